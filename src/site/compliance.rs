//! The compliance overview: certifications and attestations from
//! `content/_data/certifications.yaml`, checked against the document registry, with their status
//! computed at build time (valid, expiring within [`EXPIRING_DAYS`] days, expired).
//!
//! One source of truth: a certification names its evidence documents (`certificate`, `reports`)
//! by their page (`@/documents/<id>/index.md`). The certificate document's `valid_until` and its
//! current version's date are *the* validity and issue date; the data file may leave them out (they
//! are taken from the document) or repeat them, and then they must agree, or the build fails.
//! What documents do not know (edition, scope, certification body, certificate number,
//! surveillance audits) lives only here.
//!
//! Templates read the overview through `certifications()` (bound per language, see
//! [`Model::bind_templates`](crate::site::build)); automation reads `/compliance.json`.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, Severity};
use crate::site::config::{Config, Localized, yaml_message};
use crate::site::content::Site;
use crate::site::documents::{Access, Document, Documents};
use crate::site::i18n::Locales;

/// The data file, relative to the site root.
pub const DATA_FILE: &str = "content/_data/certifications.yaml";
/// The template of the overview page (its URL is where `certifications()` items link to).
pub const TEMPLATE: &str = "compliance.html";
/// A certification whose last valid day is at most this many days away is *expiring*.
pub const EXPIRING_DAYS: i64 = 60;

/// The data file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct DataFile {
    certifications: Vec<CertificationMeta>,
}

/// One certification or attestation as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct CertificationMeta {
    id: String,
    name: String,
    scope: Localized,
    body: String,
    #[serde(default)]
    certificate_number: Option<String>,
    #[serde(default)]
    issued: Option<NaiveDate>,
    #[serde(default)]
    valid_until: Option<NaiveDate>,
    #[serde(default)]
    surveillance_audits: Vec<NaiveDate>,
    #[serde(default)]
    certificate: Option<String>,
    #[serde(default)]
    reports: Vec<String>,
}

/// Where a certification stands on a given day.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// More than [`EXPIRING_DAYS`] days left.
    Valid,
    /// Valid, but its last valid day is at most [`EXPIRING_DAYS`] days away.
    Expiring,
    /// Its last valid day has passed.
    Expired,
}

impl Status {
    /// The status label's name (`valid`, `expiring`, `expired`).
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Valid => "valid",
            Status::Expiring => "expiring",
            Status::Expired => "expired",
        }
    }
}

/// The status on `today` of something valid through `valid_until` (its last valid day).
pub fn status(valid_until: NaiveDate, today: NaiveDate) -> Status {
    let left = (valid_until - today).num_days();
    if left < 0 {
        Status::Expired
    } else if left <= EXPIRING_DAYS {
        Status::Expiring
    } else {
        Status::Valid
    }
}

/// What kind of evidence a document is for a certification.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum EvidenceKind {
    /// The certificate or attestation itself.
    Certificate,
    /// An audit report.
    Report,
}

/// A certification, checked, with the dates in force.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Certification {
    /// Stable id (anchor on the overview, key in `compliance.json`).
    pub id: String,
    /// Framework and edition, e.g. `ISO/IEC 27001:2022`.
    pub name: String,
    /// Scope statement per language.
    pub scope: Localized,
    /// Certification body or auditor.
    pub body: String,
    /// Certificate number, if any.
    pub certificate_number: Option<String>,
    /// Issue date.
    pub issued: NaiveDate,
    /// Last valid day.
    pub valid_until: NaiveDate,
    /// Surveillance audits, in date order.
    pub surveillance_audits: Vec<NaiveDate>,
    /// Evidence: page keys of documents in the registry, with their kind.
    pub evidence: Vec<(EvidenceKind, String)>,
}

/// Reads and checks the data file against the documents; `None` when the site has none.
///
/// An expired certification is reported with `lapsed` severity (an error for `candor check`, a
/// warning for a build, which shows it as expired), one that expires within
/// [`EXPIRING_DAYS`] days with a warning.
pub fn load(
    root: &Path,
    config: &Config,
    site: &Site,
    docs: &Documents,
    today: NaiveDate,
    lapsed: Severity,
) -> (Option<Vec<Certification>>, Vec<Diagnostic>) {
    let text = match std::fs::read_to_string(root.join(DATA_FILE)) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return (None, Vec::new()),
        Err(e) => {
            return (
                None,
                vec![Diagnostic::error(
                    PathBuf::from(DATA_FILE),
                    format!("cannot read the file: {e}"),
                )],
            );
        }
    };
    let data: DataFile = match serde_yaml::from_str(&text) {
        Ok(d) => d,
        Err(e) => {
            let d = Diagnostic::error(
                PathBuf::from(DATA_FILE),
                format!("the certifications are not valid: {}", yaml_message(&e)),
            )
            .with_hint(
                "Each entry under `certifications:` needs `id`, `name`, `scope` (per language) \
                 and `body`; dates are YYYY-MM-DD; `certificate` and `reports` name document \
                 pages such as `@/documents/iso27001-certificate/index.md`.",
            );
            let d = match e.location() {
                Some(l) => d.at(l.line(), l.column()),
                None => d,
            };
            return (None, vec![d]);
        }
    };
    let mut problems = Vec::new();
    let mut out = Vec::new();
    let mut ids = std::collections::HashSet::new();
    let lines = Lines::new(&text);
    let mut occurrences: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for meta in &data.certifications {
        let nth = occurrences.entry(meta.id.as_str()).or_default();
        let entry = lines.entry(&meta.id, *nth);
        *nth += 1;
        let at = |key: &str| lines.field(entry, key);
        let error = |key: &str, message: String, hint: &str| {
            Diagnostic::error(PathBuf::from(DATA_FILE), message)
                .at_line(at(key))
                .with_hint(hint.to_owned())
        };
        let before = problems.len();
        if !ids.insert(meta.id.as_str()) {
            problems.push(error(
                "id",
                format!("the certification id `{}` is used twice", meta.id),
                "Give each certification its own `id`.",
            ));
        }
        if !valid_id(&meta.id) {
            problems.push(error(
                "id",
                format!(
                    "the certification id `{}` cannot be used as an anchor",
                    meta.id
                ),
                "Use lower-case letters, digits and hyphens, e.g. `iso27001`.",
            ));
        }
        for lang in &config.languages {
            if meta.scope.get(lang).is_none_or(|s| s.trim().is_empty()) {
                problems.push(error(
                    "scope",
                    format!("`{}`: `scope` has no text for `{lang}`", meta.id),
                    &format!("Add `{lang}: …` under `scope`."),
                ));
            }
        }
        // The evidence documents.
        let mut evidence = Vec::new();
        let mut certificate: Option<&Document> = None;
        let refs = meta
            .certificate
            .iter()
            .map(|r| (EvidenceKind::Certificate, "certificate", r))
            .chain(
                meta.reports
                    .iter()
                    .map(|r| (EvidenceKind::Report, "reports", r)),
            );
        for (kind, key, reference) in refs {
            match document_of(reference, site, docs) {
                Ok(doc) => {
                    if kind == EvidenceKind::Certificate {
                        certificate = Some(doc);
                    }
                    evidence.push((kind, doc.key.clone()));
                }
                Err((message, hint)) => problems.push(
                    Diagnostic::error(
                        PathBuf::from(DATA_FILE),
                        format!("`{}`: {message}", meta.id),
                    )
                    .at_line(lines.value(entry, reference).unwrap_or_else(|| at(key)))
                    .with_hint(hint),
                ),
            }
        }
        // The dates in force: the certificate document's, which the data file may repeat.
        let doc_until = certificate.and_then(|d| d.valid_until);
        let doc_issued = certificate.and_then(|d| d.current().map(|v| v.date));
        let source = |d: &Document| {
            site.get(&d.key, config.default_language())
                .map_or_else(|| d.key.clone(), |p| p.source.display().to_string())
        };
        let mut agree = |key: &str,
                         written: Option<NaiveDate>,
                         documented: Option<NaiveDate>,
                         what: &str| {
            if let (Some(w), Some(d), Some(doc)) = (written, documented, certificate)
                && w != d
            {
                problems.push(error(
                    key,
                    format!(
                        "`{}`: `{key}: {w}` disagrees with its certificate document, {}, whose {what} is {d}",
                        meta.id,
                        source(doc)
                    ),
                    &format!(
                        "Correct the date that is wrong; or leave `{key}` out here: it is then taken from the document."
                    ),
                ));
            }
            written.or(documented)
        };
        let valid_until = agree("valid_until", meta.valid_until, doc_until, "`valid_until`");
        let issued = agree("issued", meta.issued, doc_issued, "current version's date");
        let (Some(issued), Some(valid_until)) = (issued, valid_until) else {
            problems.push(error(
                "name",
                format!(
                    "`{}` has no {}",
                    meta.id,
                    if valid_until.is_none() { "`valid_until`" } else { "`issued` date" }
                ),
                "Name the certificate document (`certificate: \"@/documents/<id>/index.md\"`, with \
                 `valid_until` in its `document:` block), or write `issued` and `valid_until` here.",
            ));
            continue;
        };
        if valid_until < issued {
            problems.push(error(
                "valid_until",
                format!(
                    "`{}` is valid until {valid_until}, before it was issued ({issued})",
                    meta.id
                ),
                "Correct the date that is wrong.",
            ));
        }
        let mut audits = meta.surveillance_audits.clone();
        for (i, audit) in meta.surveillance_audits.iter().enumerate() {
            if *audit < issued || *audit > valid_until {
                problems.push(error(
                    "surveillance_audits",
                    format!(
                        "`{}`: the surveillance audit of {audit} is outside the certificate's validity ({issued} to {valid_until})",
                        meta.id
                    ),
                    "List only the surveillance audits of this certificate's cycle.",
                ));
            }
            if i > 0 && *audit <= meta.surveillance_audits[i - 1] {
                problems.push(error(
                    "surveillance_audits",
                    format!(
                        "`{}`: the surveillance audits are not in date order ({audit} after {})",
                        meta.id,
                        meta.surveillance_audits[i - 1]
                    ),
                    "List the audits oldest first, each date once.",
                ));
            }
        }
        audits.sort();
        match status(valid_until, today) {
            Status::Expired => {
                let mut d = Diagnostic::error(
                    PathBuf::from(DATA_FILE),
                    format!("`{}` ({}) expired on {valid_until}", meta.id, meta.name),
                );
                d.severity = lapsed;
                problems.push(
                    d.at_line(at("valid_until"))
                        .with_hint("Publish the renewed certificate as a new version of its document and update `valid_until` there."),
                );
            }
            Status::Expiring => problems.push(
                Diagnostic::warning(
                    PathBuf::from(DATA_FILE),
                    format!(
                        "`{}` ({}) expires in {} days ({valid_until})",
                        meta.id,
                        meta.name,
                        (valid_until - today).num_days()
                    ),
                )
                .at_line(at("valid_until"))
                .with_hint("Prepare the recertification; the overview shows the certification as expiring."),
            ),
            Status::Valid => {}
        }
        if problems[before..].iter().any(Diagnostic::is_error) {
            continue;
        }
        out.push(Certification {
            id: meta.id.clone(),
            name: meta.name.clone(),
            scope: meta.scope.clone(),
            body: meta.body.clone(),
            certificate_number: meta.certificate_number.clone(),
            issued,
            valid_until,
            surveillance_audits: audits,
            evidence,
        });
    }
    (Some(out), problems)
}

/// Whether `id` works as an HTML id and URL fragment.
fn valid_id(id: &str) -> bool {
    crate::site::config::valid_slug(id)
}

/// The document a reference (`@/documents/<id>/index.md`) names, or the message and hint.
pub(crate) fn document_of<'d>(
    reference: &str,
    site: &Site,
    docs: &'d Documents,
) -> Result<&'d Document, (String, String)> {
    let key = reference.strip_prefix("@/").ok_or_else(|| {
        (
            format!("`{reference}` is not a link to a document page"),
            "Name the document's page from the content folder, e.g. \
             `@/documents/iso27001-certificate/index.md`."
                .to_owned(),
        )
    })?;
    if let Some(doc) = docs.by_key(key) {
        return Ok(doc);
    }
    let hint = if site.by_key.contains_key(key) {
        format!("content/{key} is a page without a `document:` block; name a document's index.md.")
    } else {
        let known: Vec<String> = docs
            .list
            .iter()
            .take(8)
            .map(|d| format!("@/{}", d.key))
            .collect();
        format!("Documents: {}", known.join(", "))
    };
    Err((format!("there is no document `{reference}`"), hint))
}

/// The lines of a data file, indexed once, for the line numbers of its diagnostics: where each
/// list entry (`- id: …`) starts and where a key or value is within an entry. Every lookup reads
/// only the entry's own lines, so a file of thousands of entries is not read again for each.
pub(crate) struct Lines<'a> {
    lines: Vec<&'a str>,
    /// Entry id → the 1-based lines where an entry with that id starts, in file order.
    ids: std::collections::HashMap<&'a str, Vec<usize>>,
}

/// Whether `line` starts a list entry (`- id: …`).
fn starts_entry(line: &str) -> bool {
    line.trim_start().starts_with("- id:")
}

impl<'a> Lines<'a> {
    /// Indexes `text`.
    pub(crate) fn new(text: &'a str) -> Self {
        let lines: Vec<&str> = text.lines().collect();
        let mut ids: std::collections::HashMap<&str, Vec<usize>> = std::collections::HashMap::new();
        for (i, l) in lines.iter().enumerate() {
            let t = l.trim_start().trim_start_matches("- ").trim_start();
            if let Some(v) = t.strip_prefix("id:") {
                ids.entry(v.trim().trim_matches(['"', '\'']))
                    .or_default()
                    .push(i + 1);
            }
        }
        Lines { lines, ids }
    }

    /// The 1-based line of the `nth` (0-based) entry with `id: <id>` (1 when not found): an id
    /// written twice is reported where it is written the second time.
    pub(crate) fn entry(&self, id: &str, nth: usize) -> usize {
        self.ids
            .get(id)
            .and_then(|l| l.get(nth))
            .copied()
            .unwrap_or(1)
    }

    /// The 1-based line of `key:` after line `entry` and before the next entry, else `entry`.
    pub(crate) fn field(&self, entry: usize, key: &str) -> usize {
        self.lines
            .iter()
            .enumerate()
            .skip(entry)
            .take_while(|(_, l)| !starts_entry(l))
            .find(|(_, l)| {
                l.trim_start()
                    .trim_start_matches("- ")
                    .strip_prefix(key)
                    .is_some_and(|r| r.starts_with(':'))
            })
            .map_or(entry, |(i, _)| i + 1)
    }

    /// The 1-based line within the entry at line `entry` that holds `value`, if any.
    pub(crate) fn value(&self, entry: usize, value: &str) -> Option<usize> {
        self.lines
            .iter()
            .enumerate()
            .skip(entry.saturating_sub(1))
            .take_while(|(i, l)| *i + 1 == entry || !starts_entry(l))
            .find(|(_, l)| l.contains(value))
            .map(|(i, _)| i + 1)
    }
}

/// Where a link to a document goes from a page in `lang`: its page, and for a confidential
/// document the request form (the portal's, or the request section of its page) instead of any
/// file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DocumentLink {
    /// The document's id.
    pub id: String,
    /// Its title in `lang` (or the default language's).
    pub title: String,
    /// Its page (root-relative).
    pub url: String,
    /// `public`, `gated` or `nda`.
    pub access: Access,
    /// Where to ask for a confidential document; `None` for public ones.
    pub request_url: Option<String>,
}

/// The link to `doc` from a page in `lang`.
pub fn document_link(doc: &Document, site: &Site, config: &Config, lang: &str) -> DocumentLink {
    let page = site
        .get(&doc.key, lang)
        .or_else(|| site.get(&doc.key, config.default_language()))
        .or_else(|| site.translations(&doc.key).next());
    let url = page.map_or_else(String::new, |p| {
        format!("{}/{}", config.url_prefix(), p.path)
    });
    let request_url = (!doc.access.is_public()).then(|| match &config.portal {
        Some(portal) => format!(
            "{}/{lang}/request/{}",
            portal.href(config.url_prefix()),
            doc.id
        ),
        None => format!("{url}#doc-request-title"),
    });
    DocumentLink {
        id: doc.id.clone(),
        title: page.map_or_else(|| doc.id.clone(), |p| p.title.clone()),
        url,
        access: doc.access,
        request_url,
    }
}

/// A certification as templates see it, in one language.
#[derive(Debug, Serialize)]
pub struct View {
    /// Stable id.
    pub id: String,
    /// Framework and edition.
    pub name: String,
    /// Scope in the page's language.
    pub scope: String,
    /// Certification body or auditor.
    pub body: String,
    /// Certificate number.
    pub certificate_number: Option<String>,
    /// Issue date (ISO; templates format it with `date`).
    pub issued: String,
    /// Last valid day (ISO).
    pub valid_until: String,
    /// Surveillance audits (ISO), oldest first.
    pub surveillance_audits: Vec<String>,
    /// `valid`, `expiring` or `expired`.
    pub status: Status,
    /// Days until `valid_until` (negative once expired).
    pub days_left: i64,
    /// The status in words, in the page's language.
    pub status_label: String,
    /// Evidence documents.
    pub evidence: Vec<EvidenceView>,
}

/// An evidence document of a certification, as templates see it.
#[derive(Debug, Serialize)]
pub struct EvidenceView {
    /// `certificate` or `report`.
    pub kind: EvidenceKind,
    /// Where it goes.
    #[serde(flatten)]
    pub link: DocumentLink,
}

/// What `certifications()` returns in `lang`: the items and the overview page's URL.
pub fn views(
    certs: &[Certification],
    site: &Site,
    docs: &Documents,
    config: &Config,
    locales: &Locales,
    lang: &str,
    today: NaiveDate,
) -> serde_json::Value {
    let items: Vec<View> = certs
        .iter()
        .map(|c| {
            let status = status(c.valid_until, today);
            View {
                id: c.id.clone(),
                name: c.name.clone(),
                scope: c
                    .scope
                    .get(lang)
                    .or_else(|| c.scope.get(config.default_language()))
                    .cloned()
                    .unwrap_or_default(),
                body: c.body.clone(),
                certificate_number: c.certificate_number.clone(),
                issued: c.issued.to_string(),
                valid_until: c.valid_until.to_string(),
                surveillance_audits: c
                    .surveillance_audits
                    .iter()
                    .map(ToString::to_string)
                    .collect(),
                status,
                days_left: (c.valid_until - today).num_days(),
                status_label: locales
                    .translate(lang, &format!("compliance-status-{}", status.as_str()), &[])
                    .unwrap_or_else(|_| status.as_str().to_owned()),
                evidence: c
                    .evidence
                    .iter()
                    .filter_map(|(kind, key)| {
                        docs.by_key(key).map(|d| EvidenceView {
                            kind: *kind,
                            link: document_link(d, site, config, lang),
                        })
                    })
                    .collect(),
            }
        })
        .collect();
    let url = site
        .pages
        .iter()
        .find(|p| p.lang == lang && p.meta.template.as_deref() == Some(TEMPLATE))
        .map(|p| format!("{}/{}", config.url_prefix(), p.path));
    serde_json::json!({ "items": items, "url": url })
}

/// `compliance.json`: every certification with its dates, status on the day of the build and
/// evidence (document pages per language; for confidential documents where to request them).
pub fn manifest(
    certs: &[Certification],
    site: &Site,
    docs: &Documents,
    config: &Config,
    generator: &str,
    today: NaiveDate,
) -> serde_json::Value {
    let base = config.base_url();
    let absolute = |url: &str| {
        // Root-relative URLs carry the prefix already; the base URL adds the host.
        let prefix = config.url_prefix();
        format!("{base}{}", url.strip_prefix(prefix).unwrap_or(url))
    };
    let list: Vec<serde_json::Value> = certs
        .iter()
        .map(|c| {
            let evidence: Vec<serde_json::Value> = c
                .evidence
                .iter()
                .filter_map(|(kind, key)| {
                    let doc = docs.by_key(key)?;
                    let mut pages = BTreeMap::new();
                    let mut requests = BTreeMap::new();
                    let mut titles = BTreeMap::new();
                    for lang in &config.languages {
                        let link = document_link(doc, site, config, lang);
                        pages.insert(lang.as_str(), absolute(&link.url));
                        titles.insert(lang.as_str(), link.title);
                        if let Some(r) = link.request_url {
                            requests.insert(lang.as_str(), absolute(&r));
                        }
                    }
                    let mut entry = serde_json::json!({
                        "kind": kind,
                        "document": doc.id,
                        "access": doc.access,
                        "title": titles,
                        "page": pages,
                    });
                    if !requests.is_empty() {
                        entry["request"] = serde_json::json!(requests);
                    }
                    Some(entry)
                })
                .collect();
            serde_json::json!({
                "id": c.id,
                "name": c.name,
                "scope": c.scope,
                "body": c.body,
                "certificate_number": c.certificate_number,
                "issued": c.issued,
                "valid_until": c.valid_until,
                "surveillance_audits": c.surveillance_audits,
                "status": status(c.valid_until, today),
                "days_left": (c.valid_until - today).num_days(),
                "evidence": evidence,
            })
        })
        .collect();
    serde_json::json!({
        "generator": generator,
        "site": base,
        "date": today,
        "expiring_days": EXPIRING_DAYS,
        "certifications": list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn status_changes_on_the_boundary_days() {
        let until = day("2027-06-30");
        // Last valid day: still valid (expiring), the day after: expired.
        assert_eq!(status(until, day("2027-06-30")), Status::Expiring);
        assert_eq!(status(until, day("2027-07-01")), Status::Expired);
        // Exactly 60 days left: expiring; 61: valid.
        assert_eq!(status(until, day("2027-05-01")), Status::Expiring);
        assert_eq!((until - day("2027-05-01")).num_days(), 60);
        assert_eq!(status(until, day("2027-04-30")), Status::Valid);
        // Across a leap day.
        assert_eq!(
            status(day("2028-03-01"), day("2028-01-01")),
            Status::Expiring
        );
        assert_eq!(status(day("2028-03-01"), day("2027-12-31")), Status::Valid);
        assert_eq!(status(until, day("2030-01-01")), Status::Expired);
    }

    #[test]
    fn lines_are_found_within_their_entry() {
        let text = "certifications:\n  - id: a\n    name: A\n    valid_until: 2027-01-01\n  - id: \"b\"\n    name: B\n";
        let lines = Lines::new(text);
        assert_eq!(lines.entry("a", 0), 2);
        assert_eq!(lines.entry("b", 0), 5);
        // The second entry with an id is found on its own line.
        let twice = "certifications:\n  - id: a\n  - id: b\n  - id: a\n";
        assert_eq!(Lines::new(twice).entry("a", 1), 4);
        assert_eq!(Lines::new(twice).entry("a", 2), 1);
        assert_eq!(lines.field(2, "valid_until"), 4);
        // `b` has no valid_until: its own line, not a's.
        assert_eq!(lines.field(5, "valid_until"), 5);
        assert_eq!(lines.field(5, "name"), 6);
        assert_eq!(lines.value(5, "B"), Some(6));
        assert_eq!(lines.value(5, "A"), None);
    }
}
