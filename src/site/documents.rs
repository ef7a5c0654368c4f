//! Documents: page bundles (`content/documents/<id>/index.md`) whose front matter has a
//! `document:` block with versions and a file per language.
//!
//! Public files are published under stable, versioned URLs with their SHA-256, size and media type
//! (and a detached OpenPGP signature when a signing key is configured). Gated and NDA files are never
//! published: their pages show the metadata and a request form.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use serde::Serialize;

use crate::error::Diagnostic;
use crate::site::content::{PageKind, Site};
use crate::site::render::assets::sha256_hex;

pub use crate::site::content::document_meta::{Access, Category, DocumentMeta, VersionMeta};

/// A file of a version in one language.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileInfo {
    /// Source file, relative to the site root.
    #[serde(skip)]
    pub source: PathBuf,
    /// The file name as written in the front matter.
    pub name: String,
    /// Size in bytes.
    pub size: u64,
    /// Lower-case hex SHA-256.
    pub sha256: String,
    /// Media type from the extension.
    pub media_type: &'static str,
    /// Output path of the versioned copy (public documents only).
    pub path: Option<String>,
    /// Output path of the `latest` copy (current version of public documents only).
    pub latest_path: Option<String>,
}

/// A version with its files checked and measured.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Version {
    /// Version number.
    pub version: String,
    /// Effective date.
    pub date: NaiveDate,
    /// Files per language (only languages that have their own file).
    pub files: BTreeMap<String, FileInfo>,
    /// Change notes per language.
    pub notes: BTreeMap<String, String>,
}

/// A document, loaded and checked.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Document {
    /// Stable id (URL segment).
    pub id: String,
    /// Translation key of its page (`documents/dpa/index.md`).
    pub key: String,
    /// Grouping.
    pub category: Category,
    /// Who may download it.
    pub access: Access,
    /// Prevailing language, if any.
    pub authoritative: Option<String>,
    /// Last valid day, if any.
    pub valid_until: Option<NaiveDate>,
    /// Can be concluded online.
    pub signable: bool,
    /// Versions, current first.
    pub versions: Vec<Version>,
}

impl Document {
    /// The current version (the first listed).
    pub fn current(&self) -> Option<&Version> {
        self.versions.first()
    }

    /// The file of `version` to offer in `lang`: its own, or else the default language's (the
    /// `bool` says whether it is such a fallback).
    pub fn file_for<'a>(
        &self,
        version: &'a Version,
        lang: &str,
        default_lang: &str,
    ) -> Option<(&'a str, &'a FileInfo, bool)> {
        if let Some((l, f)) = version.files.get_key_value(lang) {
            return Some((l.as_str(), f, false));
        }
        version
            .files
            .get_key_value(default_lang)
            .or_else(|| version.files.iter().next())
            .map(|(l, f)| (l.as_str(), f, true))
    }
}

/// All documents of the site, and the bundle files that belong to them.
#[derive(Debug, Default, PartialEq)]
pub struct Documents {
    /// Documents in page-key order.
    pub list: Vec<Document>,
    /// Content-relative path of every document file (`documents/dpa/dpa-3.1-en.pdf`) → its
    /// document's index in `list` (for link checks).
    pub files: HashMap<String, usize>,
}

impl Documents {
    /// The document whose page has `key`.
    pub fn by_key(&self, key: &str) -> Option<&Document> {
        self.list.iter().find(|d| d.key == key)
    }
}

/// A media type from a file name's extension.
pub fn media_type(name: &str) -> &'static str {
    let ext = name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    match ext.as_str() {
        "pdf" => "application/pdf",
        "txt" => "text/plain",
        "md" => "text/markdown",
        "csv" => "text/csv",
        "json" => "application/json",
        "xml" => "application/xml",
        "zip" => "application/zip",
        "asc" => "application/pgp-signature",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "odt" => "application/vnd.oasis.opendocument.text",
        "png" => "image/png",
        "jpg" | "jpeg" => "image/jpeg",
        _ => "application/octet-stream",
    }
}

/// Whether `s` may be used as a URL segment for ids and versions.
fn url_safe(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'))
}

/// Loads every document: checks the block, reads and hashes the files.
///
/// A lapsed `valid_until` is reported with `lapsed` severity: `candor check` makes it an error,
/// while a build publishes the page marked as expired and warns.
pub fn load(
    root: &Path,
    site: &Site,
    languages: &[String],
    default_lang: &str,
    today: NaiveDate,
    lapsed: crate::error::Severity,
) -> (Documents, Vec<Diagnostic>) {
    let mut docs = Documents::default();
    let mut problems = Vec::new();
    let mut ids: HashMap<String, PathBuf> = HashMap::new();
    for page in &site.pages {
        let Some(meta) = &page.meta.document else {
            continue;
        };
        let err = |key: &str, msg: String, hint: &str| {
            Diagnostic::error(page.source.clone(), msg)
                .at_line(page.line_of(key))
                .with_hint(hint.to_owned())
        };
        if page.kind != PageKind::Bundle {
            problems.push(err(
                "document",
                "a `document:` block belongs in a bundle's index.md".into(),
                "Move the page to content/documents/<id>/index.md and put the files beside it.",
            ));
            continue;
        }
        if page.lang != default_lang {
            problems.push(err(
                "document",
                "the `document:` block belongs in the default language's index.md only".into(),
                "Remove it here; translations share the block (put per-language notes under `notes:`).",
            ));
            continue;
        }
        let folder = page.key.trim_end_matches("/index.md");
        let folder_name = folder.rsplit('/').next().unwrap_or(folder);
        let id = meta.id.clone().unwrap_or_else(|| folder_name.to_owned());
        if !url_safe(&id) {
            problems.push(err(
                "id",
                format!("the document id `{id}` cannot be used in a URL"),
                "Use letters, digits, `.`, `-` and `_`, e.g. `dpa`.",
            ));
            continue;
        }
        if let Some(other) = ids.insert(id.clone(), page.source.clone()) {
            problems.push(err(
                "id",
                format!("the document id `{id}` is also used by {}", other.display()),
                "Give each document its own `id`.",
            ));
        }
        if let Some(lang) = &meta.authoritative
            && !languages.contains(lang)
        {
            problems.push(err(
                "authoritative",
                format!("`authoritative: {lang}` is not one of the site's languages"),
                "Name a configured language, e.g. `authoritative: de`.",
            ));
        }
        if meta.versions.is_empty() {
            problems.push(err(
                "versions",
                "the document has no versions".into(),
                "Add at least one entry under `versions:` with `version`, `date` and `files`.",
            ));
            continue;
        }
        let mut versions = Vec::new();
        let mut seen_versions: HashMap<&str, usize> = HashMap::new();
        let dir = root.join(crate::site::content::CONTENT_DIR).join(folder);
        for (i, v) in meta.versions.iter().enumerate() {
            let vline = page.line_of_nth("version", i);
            let verr = |msg: String, hint: &str| {
                Diagnostic::error(page.source.clone(), msg)
                    .at_line(vline)
                    .with_hint(hint.to_owned())
            };
            if !url_safe(&v.version) {
                problems.push(verr(
                    format!("the version `{}` cannot be used in a URL", v.version),
                    "Use digits, letters, `.` and `-`, e.g. `version: \"3.1\"`.",
                ));
                continue;
            }
            if seen_versions.insert(&v.version, i).is_some() {
                problems.push(verr(
                    format!("version {} is listed twice", v.version),
                    "Give every version its own number.",
                ));
            }
            if i == 0 && v.date > today {
                problems.push(verr(
                    format!(
                        "version {} is listed first (current) but takes effect on {}, in the future",
                        v.version, v.date
                    ),
                    "Publish it on or after its date, or list the version in force first until then.",
                ));
            }
            if i > 0 && v.date > meta.versions[i - 1].date {
                problems.push(verr(
                    format!(
                        "version {} ({}) is newer than version {} listed above it",
                        v.version,
                        v.date,
                        meta.versions[i - 1].version
                    ),
                    "List versions newest first.",
                ));
            } else if i > 0
                && let Some((message, hint)) = numbers_contradict(&meta.versions[i - 1], v)
            {
                problems.push(verr(message, hint));
            }
            if v.files.is_empty() {
                problems.push(verr(
                    format!("version {} has no files", v.version),
                    "Add `files: {en: name.pdf}` with the file beside index.md.",
                ));
            }
            let mut files = BTreeMap::new();
            for (lang, name) in &v.files {
                if !languages.contains(lang) {
                    problems.push(verr(
                        format!(
                            "version {}: `{lang}` is not one of the site's languages",
                            v.version
                        ),
                        "Use the codes from `languages` in site.yaml.",
                    ));
                    continue;
                }
                if name.contains(['/', '\\']) || name.starts_with('.') {
                    problems.push(verr(
                        format!(
                            "version {}: `{name}` must be a file name beside index.md",
                            v.version
                        ),
                        "Put the file in the document's folder and write only its name.",
                    ));
                    continue;
                }
                let source = dir.join(name);
                let bytes = match std::fs::read(&source) {
                    Ok(b) => b,
                    Err(e) => {
                        problems.push(
                            Diagnostic::error(
                                page.source.clone(),
                                format!(
                                    "version {}: the file `{name}` is missing ({e})",
                                    v.version
                                ),
                            )
                            .at_line(page.line_of_value(lang, name))
                            .with_hint(format!(
                                "Put `{name}` in content/{folder}/, or correct the name."
                            )),
                        );
                        continue;
                    }
                };
                let ext = name
                    .rsplit_once('.')
                    .map_or(String::new(), |(_, e)| format!(".{e}"));
                let public = meta.access.is_public();
                let path = public
                    .then(|| format!("documents/{id}/{v}/{id}-{v}-{lang}{ext}", v = v.version));
                let latest_path =
                    (public && i == 0).then(|| format!("documents/{id}/latest/{id}-{lang}{ext}"));
                docs.files
                    .insert(format!("{folder}/{name}"), docs.list.len());
                files.insert(
                    lang.clone(),
                    FileInfo {
                        source: crate::error::relative_to(&source, root),
                        name: name.clone(),
                        size: bytes.len() as u64,
                        sha256: sha256_hex(&bytes),
                        media_type: media_type(name),
                        path,
                        latest_path,
                    },
                );
            }
            versions.push(Version {
                version: v.version.clone(),
                date: v.date,
                files,
                notes: v.notes.clone(),
            });
        }
        // Concluding online signs the current version's files: they must be PDFs.
        if meta.signable
            && let Some(current) = versions.first()
            && let Some((_, f)) = current
                .files
                .iter()
                .find(|(_, f)| f.media_type != "application/pdf")
        {
            problems.push(err(
                "signable",
                format!(
                    "`signable: true`, but `{}` of version {} is not a PDF",
                    f.name, current.version
                ),
                "Agreements concluded online are signed as PDF: publish the current version as PDF files, or remove `signable`.",
            ));
        }
        problems.extend(history_against_pages(page, meta, site));
        if let Some(until) = meta.valid_until {
            let line = page.line_of("valid_until");
            if until < today {
                let mut d = Diagnostic::error(
                    page.source.clone(),
                    format!("the document expired on {until}"),
                );
                d.severity = lapsed;
                problems.push(
                    d
                        .at_line(line)
                        .with_hint("Publish the renewed certificate or report as a new version and update `valid_until`."),
                );
            } else if (until - today).num_days() < 30 {
                problems.push(
                    Diagnostic::warning(
                        page.source.clone(),
                        format!(
                            "the document expires in {} days ({until})",
                            (until - today).num_days()
                        ),
                    )
                    .at_line(line)
                    .with_hint("Prepare the renewed certificate or report."),
                );
            }
        }
        docs.list.push(Document {
            id,
            key: page.key.clone(),
            category: meta.category,
            access: meta.access,
            authoritative: meta.authoritative.clone(),
            valid_until: meta.valid_until,
            signable: meta.signable,
            versions,
        });
    }
    (docs, problems)
}

/// A version number as numbers (`"3.1"` → `[3, 1]`, `"2026-2"` → `[2026, 2]`), trailing zeros
/// dropped so that `3` and `3.0` are equal; `None` when a part is not a number (`2026-q1`).
fn version_number(version: &str) -> Option<Vec<u64>> {
    let mut parts = version
        .split(['.', '-'])
        .map(|p| p.parse::<u64>().ok())
        .collect::<Option<Vec<u64>>>()?;
    while parts.len() > 1 && parts.last() == Some(&0) {
        parts.pop();
    }
    Some(parts)
}

/// Where `below` is listed right after `above` (so replaced by it) and its date is not later:
/// whether its number says otherwise (higher than `above`'s, or the same number written
/// another way): the message and its hint. Numbers that are not all digits are not compared.
fn numbers_contradict(above: &VersionMeta, below: &VersionMeta) -> Option<(String, &'static str)> {
    const ORDER: &str = "List versions newest first: a later version has a higher number and an \
                         effective date on or after the date of the version it replaces. Correct \
                         the number or the date that is wrong.";
    if above.version == below.version {
        // Reported as listed twice.
        return None;
    }
    let (a, b) = (
        version_number(&above.version)?,
        version_number(&below.version)?,
    );
    match b.cmp(&a) {
        std::cmp::Ordering::Less => None,
        std::cmp::Ordering::Equal => Some((
            format!(
                "version {} is the same number as version {} listed above it",
                below.version, above.version
            ),
            "Give every version its own number, written one way (`3.0` and `3` are the same).",
        )),
        std::cmp::Ordering::Greater if below.date < above.date => Some((
            format!(
                "version {} ({}) has a higher number than version {} listed above it, but an \
                 earlier date ({}): the numbers and the dates put the versions in different orders",
                below.version, below.date, above.version, above.date
            ),
            ORDER,
        )),
        std::cmp::Ordering::Greater => Some((
            format!(
                "version {} has a higher number than version {} listed above it (both take \
                 effect on {})",
                below.version, above.version, above.date
            ),
            ORDER,
        )),
    }
}

/// What a document's history says against its pages: a page (in any language) last
/// `updated` before the current version took effect, and a `valid_until` before it.
fn history_against_pages(
    page: &crate::site::content::Page,
    meta: &DocumentMeta,
    site: &Site,
) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let Some(current) = meta.versions.first() else {
        return problems;
    };
    for p in site.translations(&page.key) {
        if let Some(updated) = p.meta.updated
            && updated < current.date
        {
            problems.push(
                Diagnostic::error(
                    p.source.clone(),
                    format!(
                        "the page was last updated on {updated}, before its current version {} \
                         took effect on {}",
                        current.version, current.date
                    ),
                )
                .at_line(p.line_of("updated"))
                .with_hint(format!(
                    "Set `updated:` to the day the page last changed (on or after {}), or \
                     correct the version's date in {}.",
                    current.date,
                    page.source.display()
                )),
            );
        }
    }
    if let Some(until) = meta.valid_until
        && until < current.date
    {
        problems.push(
            Diagnostic::error(
                page.source.clone(),
                format!(
                    "`valid_until: {until}` is before the current version {} took effect ({})",
                    current.version, current.date
                ),
            )
            .at_line(page.line_of("valid_until"))
            .with_hint(
                "A certificate or report is valid from its version's date on: correct the \
                 date that is wrong.",
            ),
        );
    }
    problems
}

/// Whether a content-relative path is inside a gated or NDA document's bundle folder.
pub fn is_confidential(docs: &Documents, content_path: &str) -> bool {
    if let Some(&i) = docs.files.get(content_path) {
        return !docs.list[i].access.is_public();
    }
    // Any other file in the folder of a confidential document counts too.
    docs.list.iter().any(|d| {
        !d.access.is_public() && content_path.starts_with(d.key.trim_end_matches("index.md"))
    })
}

/// `documents.json`: every document with its titles, page URLs, versions and, for public files,
/// URLs and SHA-256, for customers who automate vendor reviews.
pub fn manifest(
    docs: &Documents,
    site: &Site,
    base_url: &str,
    generator: &str,
    signature_ext: Option<&str>,
) -> serde_json::Value {
    let list: Vec<serde_json::Value> = docs
        .list
        .iter()
        .map(|d| {
            let titles: BTreeMap<&str, &str> = site
                .translations(&d.key)
                .map(|p| (p.lang.as_str(), p.title.as_str()))
                .collect();
            let pages: BTreeMap<&str, String> = site
                .translations(&d.key)
                .map(|p| (p.lang.as_str(), format!("{base_url}/{}", p.path)))
                .collect();
            let versions: Vec<serde_json::Value> = d
                .versions
                .iter()
                .map(|v| {
                    let files: BTreeMap<&str, serde_json::Value> = v
                        .files
                        .iter()
                        .map(|(lang, f)| {
                            let mut entry = serde_json::json!({
                                "media_type": f.media_type,
                                "size": f.size,
                            });
                            if let Some(path) = &f.path {
                                entry["url"] = format!("{base_url}/{path}").into();
                                entry["sha256"] = f.sha256.clone().into();
                                if let Some(latest) = &f.latest_path {
                                    entry["latest_url"] = format!("{base_url}/{latest}").into();
                                }
                                if let Some(ext) = signature_ext {
                                    entry["signature_url"] =
                                        format!("{base_url}/{path}{ext}").into();
                                }
                            }
                            (lang.as_str(), entry)
                        })
                        .collect();
                    serde_json::json!({
                        "version": v.version,
                        "date": v.date,
                        "notes": v.notes,
                        "files": files,
                    })
                })
                .collect();
            serde_json::json!({
                "id": d.id,
                "category": d.category,
                "access": d.access,
                "title": titles,
                "page": pages,
                "authoritative": d.authoritative,
                "valid_until": d.valid_until,
                "current_version": d.current().map(|v| v.version.as_str()),
                "versions": versions,
            })
        })
        .collect();
    serde_json::json!({
        "generator": generator,
        "site": base_url,
        "documents": list,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn media_types_follow_extensions() {
        assert_eq!(media_type("a.PDF"), "application/pdf");
        assert_eq!(
            media_type("a.docx").split('.').next(),
            Some("application/vnd")
        );
        assert_eq!(media_type("noext"), "application/octet-stream");
    }

    #[test]
    fn version_numbers_compare_as_numbers() {
        assert_eq!(version_number("3.1"), Some(vec![3, 1]));
        assert_eq!(version_number("3.0"), version_number("3"));
        assert!(version_number("3.10") > version_number("3.9"));
        assert!(version_number("2021.1") < version_number("2026"));
        assert_eq!(version_number("2026-q1"), None);
        assert_eq!(version_number(""), None);
        let v = |version: &str, date: &str| VersionMeta {
            version: version.into(),
            date: date.parse().unwrap(),
            files: BTreeMap::new(),
            notes: BTreeMap::new(),
        };
        assert_eq!(
            numbers_contradict(&v("3.1", "2026-06-01"), &v("3.0", "2025-01-15")),
            None
        );
        assert_eq!(
            numbers_contradict(&v("b", "2026-06-01"), &v("a", "2025-01-15")),
            None
        );
        assert!(
            numbers_contradict(&v("3.0", "2026-06-01"), &v("3.1", "2025-01-15"))
                .is_some_and(|(m, _)| m.contains("different orders"))
        );
        assert!(
            numbers_contradict(&v("3.0", "2026-06-01"), &v("3.1", "2026-06-01"))
                .is_some_and(|(m, _)| m.contains("both take effect on 2026-06-01"))
        );
        assert!(
            numbers_contradict(&v("3", "2026-06-01"), &v("3.0", "2025-01-01"))
                .is_some_and(|(m, _)| m.contains("the same number"))
        );
    }

    #[test]
    fn ids_and_versions_are_url_safe() {
        assert!(url_safe("3.1") && url_safe("dpa") && url_safe("2026-q1"));
        for bad in ["", "..", ".x", "a/b", "a b", "ä"] {
            assert!(!url_safe(bad), "{bad}");
        }
    }
}
