//! From an advisory's front matter (and the products file) to its CSAF 2.0 document, and the
//! CVSS v3.1 scores computed from vectors.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, SecondsFormat, Utc};
use serde::Deserialize;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// The URL of the CSAF 2.0 JSON schema (also the ROLIE feed's format schema).
pub const SCHEMA_URL: &str = "https://docs.oasis-open.org/csaf/csaf/v2.0/csaf_json_schema.json";

/// `content/_data/products.yaml`: the product tree advisories name products from.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Products {
    /// The vendor's name (defaults to `company.name` of site.yaml).
    #[serde(default)]
    pub vendor: Option<String>,
    /// The products.
    pub products: Vec<Product>,
}

/// One product and its versions.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Product {
    /// Its name, e.g. `Example Cloud Platform`.
    pub name: String,
    /// A CPE 2.3 prefix without version (`cpe:2.3:a:example:cloud_platform`), completed per version.
    #[serde(default)]
    pub cpe: Option<String>,
    /// The versions advisories can name.
    pub versions: Vec<ProductVersion>,
}

/// One version of a product: the product id advisories use.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProductVersion {
    /// The CSAF product id, e.g. `ECP-5.2.1`.
    pub id: String,
    /// The version, e.g. `5.2.1`.
    pub version: String,
}

impl Products {
    /// Product id → full name (`Example Cloud Platform 5.2.1`).
    pub fn names(&self) -> HashMap<&str, String> {
        self.products
            .iter()
            .flat_map(|p| {
                p.versions
                    .iter()
                    .map(move |v| (v.id.as_str(), format!("{} {}", p.name, v.version)))
            })
            .collect()
    }

    /// The CSAF `product_tree`: vendor → product name → product version, restricted to the
    /// products in `used` (CSAF's recommended test 6.2.1 warns about unused definitions).
    pub fn tree(&self, vendor: &str, used: &std::collections::BTreeSet<&str>) -> Value {
        let products: Vec<Value> = self
            .products
            .iter()
            .filter_map(|p| {
                let versions: Vec<Value> = p
                    .versions
                    .iter()
                    .filter(|v| used.contains(v.id.as_str()))
                    .map(|v| {
                        let mut product = json!({
                            "name": format!("{} {}", p.name, v.version),
                            "product_id": v.id,
                        });
                        if let Some(cpe) = &p.cpe {
                            product["product_identification_helper"] =
                                json!({ "cpe": format!("{cpe}:{}:*:*:*:*:*:*:*", v.version) });
                        }
                        json!({ "category": "product_version", "name": v.version, "product": product })
                    })
                    .collect();
                (!versions.is_empty()).then(|| {
                    json!({ "category": "product_name", "name": p.name, "branches": versions })
                })
            })
            .collect();
        json!({ "branches": [ { "category": "vendor", "name": vendor, "branches": products } ] })
    }
}

/// The `advisory:` block of an advisory's default-language page, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meta {
    /// `tracking.id`, e.g. `EXAMPLE-SA-2026-001`.
    pub id: String,
    /// `draft`, `interim` or `final`.
    pub status: Status,
    /// `WHITE` or `CLEAR` (published as CSAF 2.0's `WHITE`); anything else is never published.
    pub tlp: String,
    /// Also a VEX document (`csaf_vex` profile).
    #[serde(default)]
    pub vex: bool,
    /// `tracking.initial_release_date`; defaults to the first revision's date.
    #[serde(default)]
    pub initial_release: Option<DateTime<Utc>>,
    /// `tracking.current_release_date`; defaults to the last revision's date.
    #[serde(default)]
    pub current_release: Option<DateTime<Utc>>,
    /// The revision history, oldest first.
    pub revisions: Vec<Revision>,
    /// The vulnerabilities.
    pub vulnerabilities: Vec<Vulnerability>,
    /// Who is thanked.
    #[serde(default)]
    pub acknowledgments: Vec<Acknowledgment>,
    /// Further reading.
    #[serde(default)]
    pub references: Vec<Reference>,
}

/// `tracking.status`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Not published.
    Draft,
    /// Published, may still change (e.g. before a fix).
    Interim,
    /// Published; every change needs a new revision.
    Final,
}

impl Status {
    /// As CSAF writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Interim => "interim",
            Status::Final => "final",
        }
    }
}

/// One entry of the revision history.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Revision {
    /// `1`, `2`, … (integer versioning).
    pub number: String,
    /// When.
    pub date: DateTime<Utc>,
    /// What changed.
    pub summary: String,
    /// The digest of the advisory's data this revision published (see [`data_digest`]).
    #[serde(default)]
    pub digest: Option<String>,
}

/// One vulnerability.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Vulnerability {
    /// `CVE-2026-12345`.
    #[serde(default)]
    pub cve: Option<String>,
    /// The weakness.
    #[serde(default)]
    pub cwe: Option<Cwe>,
    /// A short title.
    pub title: String,
    /// What it is (the vulnerability's `description` note).
    pub description: String,
    /// A CVSS v3.1 vector; the score is computed from it.
    #[serde(default)]
    pub cvss: Option<String>,
    /// Product ids affected.
    #[serde(default)]
    pub affected: Vec<String>,
    /// Product ids that fix it.
    #[serde(default)]
    pub fixed: Vec<String>,
    /// Product ids not affected.
    #[serde(default)]
    pub not_affected: Vec<String>,
    /// Why the `not_affected` products are not affected (VEX impact statement).
    #[serde(default)]
    pub impact: Option<String>,
    /// Product ids still being investigated.
    #[serde(default)]
    pub under_investigation: Vec<String>,
    /// What customers can do.
    #[serde(default)]
    pub remediations: Vec<Remediation>,
}

/// A CWE id with its name as the CWE catalogue writes it.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cwe {
    /// `CWE-79`.
    pub id: String,
    /// The catalogue's name.
    pub name: String,
}

/// `vendor_fix`, `workaround`, `mitigation`, `no_fix_planned`, `none_available`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Remediation {
    /// The CSAF category.
    pub category: RemediationCategory,
    /// What to do.
    pub details: String,
    /// The product ids it applies to.
    pub products: Vec<String>,
    /// Where to read more or download.
    #[serde(default)]
    pub url: Option<String>,
}

/// CSAF remediation categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RemediationCategory {
    /// A fixed version.
    VendorFix,
    /// A configuration change that avoids the problem.
    Workaround,
    /// Something that reduces the risk.
    Mitigation,
    /// No fix will come.
    NoFixPlanned,
    /// No remediation yet.
    NoneAvailable,
}

impl RemediationCategory {
    fn as_str(self) -> &'static str {
        match self {
            RemediationCategory::VendorFix => "vendor_fix",
            RemediationCategory::Workaround => "workaround",
            RemediationCategory::Mitigation => "mitigation",
            RemediationCategory::NoFixPlanned => "no_fix_planned",
            RemediationCategory::NoneAvailable => "none_available",
        }
    }
}

/// Thanks.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Acknowledgment {
    /// People.
    #[serde(default)]
    pub names: Vec<String>,
    /// Their organisation.
    #[serde(default)]
    pub organization: Option<String>,
    /// For what.
    #[serde(default)]
    pub summary: Option<String>,
}

/// An external reference.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reference {
    /// Where.
    pub url: String,
    /// What it is.
    pub summary: String,
}

/// A problem with the front matter: what, which value to point at, and a hint.
#[derive(Debug, Clone)]
pub struct Problem {
    /// What is wrong.
    pub message: String,
    /// A value of the front matter to find the line by (the `advisory:` line if not found).
    pub near: String,
    /// What to do.
    pub hint: String,
}

fn problem(message: String, near: &str, hint: &str) -> Problem {
    Problem {
        message,
        near: near.to_owned(),
        hint: hint.to_owned(),
    }
}

/// A CVSS v3.1 vector read and scored.
#[derive(Debug, Clone, PartialEq)]
pub struct Score {
    /// The vector as written.
    pub vector: String,
    /// The base score, computed.
    pub base: f64,
    /// `LOW`, `MEDIUM`, `HIGH`, `CRITICAL` or `NONE`.
    pub severity: &'static str,
}

/// Reads a CVSS v3.1 vector with all eight base metrics and computes its base score and
/// severity (the published v3.1 formula, RustSec's `cvss` crate).
pub fn score(vector: &str) -> Result<Score, String> {
    if !vector.starts_with("CVSS:3.1/") {
        return Err("a CVSS v3.1 vector starts with `CVSS:3.1/`".to_owned());
    }
    let parsed: cvss::v3::Vector = vector.parse().map_err(|e| format!("{e}"))?;
    let missing: Vec<&str> = [
        ("AV", parsed.av.is_none()),
        ("AC", parsed.ac.is_none()),
        ("PR", parsed.pr.is_none()),
        ("UI", parsed.ui.is_none()),
        ("S", parsed.s.is_none()),
        ("C", parsed.c.is_none()),
        ("I", parsed.i.is_none()),
        ("A", parsed.a.is_none()),
    ]
    .into_iter()
    .filter_map(|(m, absent)| absent.then_some(m))
    .collect();
    if !missing.is_empty() {
        return Err(format!(
            "the vector lacks the base metric(s) {}",
            missing.join(", ")
        ));
    }
    let base = parsed.base_score().value();
    let severity = match base {
        0.0 => "NONE",
        s if s < 4.0 => "LOW",
        s if s < 7.0 => "MEDIUM",
        s if s < 9.0 => "HIGH",
        _ => "CRITICAL",
    };
    Ok(Score {
        vector: vector.to_owned(),
        base,
        severity,
    })
}

/// Whether `s` has the shape of a CVE id (`CVE-2026-1234`, four or more digits at the end).
pub fn is_cve(s: &str) -> bool {
    let Some(rest) = s.strip_prefix("CVE-") else {
        return false;
    };
    let Some((year, number)) = rest.split_once('-') else {
        return false;
    };
    year.len() == 4
        && year.bytes().all(|b| b.is_ascii_digit())
        && number.len() >= 4
        && number.bytes().all(|b| b.is_ascii_digit())
}

/// Whether `s` has the shape of a CWE id (`CWE-79`).
fn is_cwe(s: &str) -> bool {
    s.strip_prefix("CWE-").is_some_and(|n| {
        (1..=6).contains(&n.len()) && !n.starts_with('0') && n.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The CSAF file name of a tracking id (CSAF 2.0 section 5.1): lower case, every run of
/// characters other than `a-z`, `0-9`, `+` and `-` replaced by one `_`, then `.json`.
pub fn file_name(id: &str) -> String {
    let mut out = String::with_capacity(id.len() + 5);
    let mut in_run = false;
    for c in id.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_lowercase() || c.is_ascii_digit() || c == '+' || c == '-' {
            out.push(c);
            in_run = false;
        } else if !in_run {
            out.push('_');
            in_run = true;
        }
    }
    out.push_str(".json");
    out
}

/// RFC 3339 as CSAF examples write it.
pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// What the generator needs besides the front matter.
pub struct Context<'a> {
    /// The products file.
    pub products: Option<&'a Products>,
    /// The vendor / publisher name.
    pub publisher: &'a str,
    /// The publisher's namespace (the site's base URL).
    pub namespace: &'a str,
    /// How to reach the publisher.
    pub contact: &'a str,
    /// The base URL.
    pub base_url: &'a str,
}

/// The advisory's CSAF document from its front matter, English title and Markdown body (the
/// summary note), or the problems found.
pub fn document(
    meta: &Meta,
    title: &str,
    notes: &str,
    html_url: Option<&str>,
    ctx: &Context<'_>,
) -> Result<Value, Vec<Problem>> {
    let mut problems = Vec::new();
    let tlp = match meta.tlp.to_ascii_uppercase().as_str() {
        "WHITE" | "CLEAR" => "WHITE",
        _ => {
            problems.push(problem(
                format!(
                    "TLP `{}`: only TLP:WHITE (TLP:CLEAR) advisories are published",
                    meta.tlp
                ),
                "tlp:",
                "A public trust center publishes `tlp: CLEAR` (CSAF 2.0 writes WHITE) only; share \
                 other advisories through another channel and keep them out of content/.",
            ));
            "WHITE"
        }
    };
    if !is_id(&meta.id) {
        problems.push(problem(
            format!("`{}` is not a usable advisory id", meta.id),
            &meta.id,
            "Write letters, digits and `-`, e.g. `id: EXAMPLE-SA-2026-001`.",
        ));
    }
    let names = ctx.products.map(Products::names).unwrap_or_default();
    let mut used = std::collections::BTreeSet::new();
    let mut check_ids = |ids: &[String], field: &str, problems: &mut Vec<Problem>| {
        for id in ids {
            if names.contains_key(id.as_str()) {
                used.insert(id.clone());
            } else {
                let known: Vec<&str> = {
                    let mut k: Vec<&str> = names.keys().copied().collect();
                    k.sort_unstable();
                    k.truncate(8);
                    k
                };
                problems.push(problem(
                    format!("product id `{id}` in `{field}` is not defined in content/_data/products.yaml"),
                    id,
                    &if known.is_empty() {
                        "Define the product and its versions in content/_data/products.yaml.".to_owned()
                    } else {
                        format!("Defined ids: {}.", known.join(", "))
                    },
                ));
            }
        }
    };

    // Revisions: numbered 1, 2, … in order, dates ascending.
    if meta.revisions.is_empty() {
        problems.push(problem(
            "the advisory has no revision history".to_owned(),
            "revisions",
            "Add `revisions:` with at least `- number: \"1\"`, `date:` and `summary:`.",
        ));
    }
    for (i, r) in meta.revisions.iter().enumerate() {
        if r.number != (i + 1).to_string() {
            problems.push(problem(
                format!(
                    "revision {} is numbered `{}`: revisions are numbered 1, 2, 3, … oldest first",
                    i + 1,
                    r.number
                ),
                &format!("number: \"{}\"", r.number),
                "Number the revisions in order without gaps; the last number is the advisory's version.",
            ));
        }
        if i > 0 && r.date < meta.revisions[i - 1].date {
            problems.push(problem(
                format!(
                    "revision {} is dated before revision {}",
                    r.number,
                    meta.revisions[i - 1].number
                ),
                &r.date.format("%Y-%m-%d").to_string(),
                "List the revisions oldest first, each dated at or after the one before.",
            ));
        }
    }
    let first = meta.revisions.first().map(|r| r.date);
    let last = meta.revisions.last().map(|r| r.date);
    let initial = meta.initial_release.or(first).unwrap_or_default();
    let current = meta.current_release.or(last).unwrap_or_default();
    if let (Some(f), Some(given)) = (first, meta.initial_release)
        && given > f
    {
        problems.push(problem(
            "`initial_release` is later than the first revision".to_owned(),
            "initial_release",
            "Leave `initial_release` out (it is the first revision's date), or correct it.",
        ));
    }
    if let (Some(l), Some(given)) = (last, meta.current_release)
        && given < l
    {
        problems.push(problem(
            "`current_release` is earlier than the last revision".to_owned(),
            "current_release",
            "Leave `current_release` out (it is the last revision's date), or correct it.",
        ));
    }

    let mut vulnerabilities = Vec::new();
    let mut cves = std::collections::HashSet::new();
    if meta.vulnerabilities.is_empty() {
        problems.push(problem(
            "the advisory lists no vulnerabilities".to_owned(),
            "vulnerabilities",
            "Add `vulnerabilities:` with at least one entry (title, description, products).",
        ));
    }
    for v in &meta.vulnerabilities {
        let mut out = serde_json::Map::new();
        out.insert("title".into(), json!(v.title));
        out.insert(
            "notes".into(),
            json!([{ "category": "description", "text": v.description, "title": "Description" }]),
        );
        if let Some(cve) = &v.cve {
            if !is_cve(cve) {
                problems.push(problem(
                    format!("`{cve}` is not a CVE id"),
                    cve,
                    "A CVE id is `CVE-`, the year, `-` and at least four digits, e.g. `CVE-2026-10234`.",
                ));
            } else if !cves.insert(cve.clone()) {
                problems.push(problem(
                    format!("{cve} is listed twice"),
                    cve,
                    "Describe each CVE once; list every product it concerns under it.",
                ));
            }
            out.insert("cve".into(), json!(cve));
        } else if meta.vex {
            problems.push(problem(
                format!("vulnerability `{}` has no `cve`", v.title),
                &v.title,
                "A VEX document names each vulnerability by its CVE id.",
            ));
        }
        if let Some(cwe) = &v.cwe {
            if !is_cwe(&cwe.id) {
                problems.push(problem(
                    format!("`{}` is not a CWE id", cwe.id),
                    &cwe.id,
                    "Write the CWE id as `CWE-` and its number, e.g. `id: CWE-79`.",
                ));
            }
            out.insert("cwe".into(), json!({ "id": cwe.id, "name": cwe.name }));
        }
        check_ids(&v.affected, "affected", &mut problems);
        check_ids(&v.fixed, "fixed", &mut problems);
        check_ids(&v.not_affected, "not_affected", &mut problems);
        check_ids(&v.under_investigation, "under_investigation", &mut problems);
        let mut status = serde_json::Map::new();
        for (key, ids) in [
            ("known_affected", &v.affected),
            ("fixed", &v.fixed),
            ("known_not_affected", &v.not_affected),
            ("under_investigation", &v.under_investigation),
        ] {
            if !ids.is_empty() {
                status.insert(key.into(), json!(ids));
            }
        }
        // One status per product (CSAF mandatory test 6.1.6).
        let mut seen: HashMap<&str, &str> = HashMap::new();
        for (key, ids) in [
            ("affected", &v.affected),
            ("fixed", &v.fixed),
            ("not_affected", &v.not_affected),
            ("under_investigation", &v.under_investigation),
        ] {
            for id in ids {
                if let Some(other) = seen.insert(id, key)
                    && other != key
                {
                    problems.push(problem(
                        format!(
                            "product `{id}` is both `{other}` and `{key}` in `{}`",
                            v.title
                        ),
                        id,
                        "Give each product one status per vulnerability.",
                    ));
                }
            }
        }
        if status.is_empty() {
            problems.push(problem(
                format!("vulnerability `{}` names no products", v.title),
                &v.title,
                "List product ids under `affected:` (and `fixed:`, `not_affected:`, `under_investigation:`).",
            ));
        }
        out.insert("product_status".into(), Value::Object(status));
        if let Some(vector) = &v.cvss {
            match score(vector) {
                Ok(s) => {
                    let products: Vec<&String> = v.affected.iter().collect();
                    if products.is_empty() {
                        problems.push(problem(
                            format!("vulnerability `{}` has a CVSS vector but no affected products", v.title),
                            vector,
                            "The score applies to the `affected:` products; list them.",
                        ));
                    }
                    out.insert(
                        "scores".into(),
                        json!([{
                            "cvss_v3": {
                                "version": "3.1",
                                "vectorString": s.vector,
                                "baseScore": s.base,
                                "baseSeverity": s.severity,
                            },
                            "products": products,
                        }]),
                    );
                }
                Err(e) => problems.push(problem(
                    format!("`{vector}` is not a valid CVSS v3.1 vector: {e}"),
                    vector,
                    "Write the whole base vector, e.g. `CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H`; \
                     the score is computed from it. The FIRST calculator makes one: \
                     https://www.first.org/cvss/calculator/3.1",
                )),
            }
        }
        if let Some(impact) = &v.impact {
            if v.not_affected.is_empty() {
                problems.push(problem(
                    format!(
                        "vulnerability `{}` has an `impact` but no `not_affected` products",
                        v.title
                    ),
                    impact,
                    "The impact statement says why the `not_affected:` products are not affected.",
                ));
            }
            out.insert(
                "threats".into(),
                json!([{ "category": "impact", "details": impact, "product_ids": v.not_affected }]),
            );
        } else if meta.vex && !v.not_affected.is_empty() {
            problems.push(problem(
                format!(
                    "vulnerability `{}` lists `not_affected` products without an `impact`",
                    v.title
                ),
                &v.title,
                "A VEX document says why a product is not affected: add `impact:`.",
            ));
        }
        let mut remediations = Vec::new();
        for r in &v.remediations {
            if r.products.is_empty() {
                problems.push(problem(
                    format!(
                        "a `{}` remediation of `{}` names no products",
                        r.category.as_str(),
                        v.title
                    ),
                    &r.details,
                    "List the product ids it applies to under `products:`.",
                ));
            }
            check_ids(&r.products, "remediations", &mut problems);
            let mut rem = json!({
                "category": r.category.as_str(),
                "details": r.details,
                "product_ids": r.products,
            });
            if let Some(url) = &r.url {
                rem["url"] = json!(url);
            }
            remediations.push(rem);
        }
        if !v.affected.is_empty() && remediations.is_empty() {
            problems.push(problem(
                format!("vulnerability `{}` has affected products but no remediation", v.title),
                &v.title,
                "Add `remediations:` (vendor_fix, workaround, mitigation, no_fix_planned or none_available).",
            ));
        }
        if !remediations.is_empty() {
            out.insert("remediations".into(), Value::Array(remediations));
        }
        vulnerabilities.push(Value::Object(out));
    }
    if !problems.is_empty() {
        return Err(problems);
    }

    let vendor = ctx
        .products
        .and_then(|p| p.vendor.as_deref())
        .unwrap_or(ctx.publisher);
    let used_ids: std::collections::BTreeSet<&str> = used.iter().map(String::as_str).collect();
    let product_tree = ctx
        .products
        .map(|p| p.tree(vendor, &used_ids))
        .unwrap_or(json!({}));
    let file = file_name(&meta.id);
    let year = initial.format("%Y");
    let json_url = format!("{}/.well-known/csaf/white/{year}/{file}", ctx.base_url);
    let mut references: Vec<Value> = meta
        .references
        .iter()
        .map(|r| json!({ "category": "external", "summary": r.summary, "url": r.url }))
        .collect();
    if let Some(url) = html_url {
        references
            .push(json!({ "category": "self", "summary": "Human-readable advisory", "url": url }));
    }
    references
        .push(json!({ "category": "self", "summary": "Canonical CSAF document", "url": json_url }));
    let mut document = json!({
        "category": if meta.vex { "csaf_vex" } else { "csaf_security_advisory" },
        "csaf_version": "2.0",
        "distribution": { "tlp": { "label": tlp, "url": "https://www.first.org/tlp/" } },
        "lang": "en",
        "notes": [{ "category": "summary", "text": notes.trim(), "title": "Summary" }],
        "publisher": {
            "category": "vendor",
            "contact_details": ctx.contact,
            "name": ctx.publisher,
            "namespace": ctx.namespace,
        },
        "references": references,
        "title": title,
        "tracking": {
            "current_release_date": timestamp(current),
            "generator": { "engine": { "name": "Candor", "version": env!("CARGO_PKG_VERSION") } },
            "id": meta.id,
            "initial_release_date": timestamp(initial),
            "revision_history": meta.revisions.iter().map(|r| json!({
                "date": timestamp(r.date),
                "number": r.number,
                "summary": r.summary,
            })).collect::<Vec<_>>(),
            "status": meta.status.as_str(),
            "version": meta.revisions.last().map_or("1", |r| r.number.as_str()),
        },
    });
    if !meta.acknowledgments.is_empty() {
        document["acknowledgments"] = meta
            .acknowledgments
            .iter()
            .map(|a| {
                let mut o = serde_json::Map::new();
                if !a.names.is_empty() {
                    o.insert("names".into(), json!(a.names));
                }
                if let Some(org) = &a.organization {
                    o.insert("organization".into(), json!(org));
                }
                if let Some(s) = &a.summary {
                    o.insert("summary".into(), json!(s));
                }
                Value::Object(o)
            })
            .collect();
    }
    Ok(json!({
        "document": document,
        "product_tree": product_tree,
        "vulnerabilities": vulnerabilities,
    }))
}

/// Whether an id is usable (and maps to a sensible file name).
fn is_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 100
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'+' | b'.'))
}

/// The digest of what an advisory says (its CSAF document without `tracking`, which changes
/// with every revision, without its publisher and without the references to itself, which
/// change with the site's address, not with what the advisory says): the first 16 hex digits of the
/// SHA-256 of its canonical JSON (keys sorted). A revision records the digest it published
/// (`digest:`), so that `candor check` sees when a final advisory changed without a revision.
pub fn data_digest(document: &Value) -> String {
    let mut doc = document.clone();
    if let Some(d) = doc.get_mut("document").and_then(Value::as_object_mut) {
        d.remove("tracking");
        d.remove("publisher");
        if let Some(refs) = d.get_mut("references").and_then(Value::as_array_mut) {
            refs.retain(|r| r["category"] != "self");
        }
    }
    let bytes = serde_json::to_vec(&doc).unwrap_or_default();
    let hash = Sha256::digest(&bytes);
    hash.iter().take(8).map(|b| format!("{b:02x}")).collect()
}

/// Texts of a translation's `advisory:` block, by front-matter path (`vulnerabilities.0.title`).
pub type Texts = BTreeMap<String, String>;

/// The keys whose values are text a translation may carry; every other key is data, which lives
/// in the default language's page only.
pub const TEXT_KEYS: &[&str] = &["title", "description", "details", "summary", "impact"];

/// Compares a translation's `advisory:` block with the default language's: text keys are taken
/// as the translation's texts; any other value must be absent or equal. Returns the texts and the
/// data paths that disagree (with the translation's value).
pub fn translation_texts(translated: &Value, source: &Value) -> (Texts, Vec<(String, String)>) {
    let mut texts = Texts::new();
    let mut disagree = Vec::new();
    walk(
        translated,
        Some(source),
        String::new(),
        &mut texts,
        &mut disagree,
    );
    (texts, disagree)
}

fn walk(
    t: &Value,
    s: Option<&Value>,
    path: String,
    texts: &mut Texts,
    disagree: &mut Vec<(String, String)>,
) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_owned()
        } else {
            format!("{path}.{k}")
        }
    };
    match t {
        Value::Object(map) => {
            for (k, v) in map {
                let child = join(k);
                if TEXT_KEYS.contains(&k.as_str()) && v.is_string() {
                    texts.insert(child, v.as_str().unwrap_or_default().to_owned());
                    continue;
                }
                walk(v, s.and_then(|s| s.get(k)), child, texts, disagree);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                walk(
                    v,
                    s.and_then(|s| s.get(i)),
                    join(&i.to_string()),
                    texts,
                    disagree,
                );
            }
        }
        leaf => {
            if s != Some(leaf) {
                let shown = match leaf {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                disagree.push((path, shown));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_follow_the_published_examples() {
        // Examples from FIRST's CVSS v3.1 specification and calculator.
        let s = score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").unwrap();
        assert_eq!((s.base, s.severity), (9.8, "CRITICAL"));
        let s = score("CVSS:3.1/AV:N/AC:L/PR:L/UI:R/S:C/C:L/I:L/A:N").unwrap();
        assert_eq!((s.base, s.severity), (5.4, "MEDIUM"));
        let s = score("CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:N/I:N/A:N").unwrap();
        assert_eq!((s.base, s.severity), (0.0, "NONE"));
        let s = score("CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:C/C:H/I:H/A:H").unwrap();
        assert_eq!((s.base, s.severity), (9.0, "CRITICAL"));
        let s = score("CVSS:3.1/AV:P/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N").unwrap();
        assert_eq!((s.base, s.severity), (1.6, "LOW"));
    }

    #[test]
    fn rejects_bad_vectors() {
        assert!(score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        assert!(score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H").is_err());
        assert!(score("CVSS:3.1/AV:X/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        assert!(score("AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H").is_err());
        assert!(score("").is_err());
    }

    #[test]
    fn cve_and_cwe_shapes() {
        assert!(is_cve("CVE-2026-1234"));
        assert!(is_cve("CVE-2026-123456"));
        assert!(!is_cve("CVE-2026-123"));
        assert!(!is_cve("CVE-26-1234"));
        assert!(!is_cve("cve-2026-1234"));
        assert!(is_cwe("CWE-79"));
        assert!(!is_cwe("CWE-079"));
        assert!(!is_cwe("79"));
    }

    #[test]
    fn file_names_follow_the_standard() {
        assert_eq!(file_name("EXAMPLE-SA-2026-001"), "example-sa-2026-001.json");
        assert_eq!(file_name("ESA:2026/01 a+b"), "esa_2026_01_a+b.json");
    }

    #[test]
    fn translations_carry_text_only() {
        let source =
            json!({"id": "A-1", "vulnerabilities": [{"title": "T", "cve": "CVE-2026-1234"}]});
        let same = json!({"vulnerabilities": [{"title": "Ü", "cve": "CVE-2026-1234"}]});
        let (texts, disagree) = translation_texts(&same, &source);
        assert_eq!(
            texts.get("vulnerabilities.0.title").map(String::as_str),
            Some("Ü")
        );
        assert!(disagree.is_empty());
        let other = json!({"vulnerabilities": [{"cve": "CVE-2026-9999"}]});
        let (_, disagree) = translation_texts(&other, &source);
        assert_eq!(
            disagree,
            vec![(
                "vulnerabilities.0.cve".to_owned(),
                "CVE-2026-9999".to_owned()
            )]
        );
    }
}
