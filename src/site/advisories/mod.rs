//! Security advisories, published as a CSAF 2.0 provider (OASIS CSAF 2.0, section 7).
//!
//! An advisory is a page under `content/advisories/` whose default-language front matter has an
//! `advisory:` block with the CSAF data ([`csaf::Meta`]); its Markdown body is the summary note,
//! its translations carry text only (a translation's `advisory:` block may hold the texts, never
//! different data). Products come from `content/_data/products.yaml`. A CSAF JSON file dropped
//! into the folder is published as it is (after the same checks) and listed.
//!
//! Owns: loading ([`load`]), the CSAF documents ([`csaf`]), their checks ([`checks`]: the CSAF 2.0
//! JSON schema and the offline mandatory tests), the advisory pages' template data ([`Advisories::view`],
//! [`Advisories::listing`]) and the provider's files ([`provider`]).
//!
//! May use: [`crate::error`], [`crate::site::content`], [`crate::site::config`],
//! [`crate::site::signing`], [`crate::site::i18n`].

pub mod checks;
pub mod csaf;
pub mod provider;

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use rayon::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::error::Diagnostic;
use crate::site::config::{Config, yaml_message};
use crate::site::content::{CONTENT_DIR, PageKind, Site, frontmatter};

/// The folder under `content/` that holds advisories.
pub const DIR: &str = "advisories";
/// The products file, relative to the site root.
pub const PRODUCTS_FILE: &str = "content/_data/products.yaml";
/// The template of an advisory's page (used when a page with an `advisory:` block names none).
pub const TEMPLATE: &str = "advisory.html";
/// The template of the listing page (the section's `_index.md` names it).
pub const LIST_TEMPLATE: &str = "advisories.html";
/// The section page's key.
pub const SECTION_KEY: &str = "advisories/_index.md";

/// One published advisory.
#[derive(Debug, Clone)]
pub struct Advisory {
    /// `tracking.id`.
    pub id: String,
    /// The page's translation key (`None` for a dropped-in CSAF file, which has no page).
    pub key: Option<String>,
    /// The file it comes from, relative to the site root.
    pub source: PathBuf,
    /// The CSAF document.
    pub document: Value,
    /// The document as published (pretty JSON, keys sorted).
    pub json: Vec<u8>,
    /// `white/<year>/<file>`, relative to `/.well-known/csaf/`.
    pub path: String,
    /// `tracking.initial_release_date`.
    pub initial: DateTime<Utc>,
    /// `tracking.current_release_date`.
    pub current: DateTime<Utc>,
    /// The English title.
    pub title: String,
    /// Texts of the translations, by language, then front-matter path.
    pub texts: HashMap<String, csaf::Texts>,
}

/// Every advisory of the site, newest first.
#[derive(Debug, Default)]
pub struct Advisories {
    /// The advisories, newest `current_release_date` first, then by id.
    pub list: Vec<Advisory>,
    /// Index in `list` by page key.
    by_key: HashMap<String, usize>,
    /// The products file, if any.
    pub products: Option<csaf::Products>,
}

impl Advisories {
    /// The advisory shown by the page with `key`.
    pub fn by_key(&self, key: &str) -> Option<&Advisory> {
        self.by_key.get(key).map(|&i| &self.list[i])
    }

    /// Whether the site publishes any advisory (then it is a CSAF provider).
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }
}

/// The `advisory:` block of a front matter, with serde_yaml's positions.
#[derive(Deserialize)]
#[serde(bound = "T: Deserialize<'de>")]
struct Block<T> {
    #[serde(default = "Option::default")]
    advisory: Option<T>,
}

/// One advisory page built: the advisory (none for a draft left out) and its warnings, or its errors.
type Built = Result<(Option<Advisory>, Vec<Diagnostic>), Vec<Diagnostic>>;

/// Loads the products file and every advisory (pages and dropped-in CSAF files), builds and
/// checks their CSAF documents. Advisories with errors are left out (their errors returned).
pub fn load(root: &Path, site: &Site, config: &Config) -> (Advisories, Vec<Diagnostic>) {
    let mut problems = Vec::new();
    let products = load_products(root, &mut problems);
    let default_lang = config.default_language();
    let base = config.base_url();
    let ctx = csaf::Context {
        products: products.as_ref(),
        publisher: &config.company.name,
        namespace: base,
        contact: &config.contacts.security,
        base_url: base,
    };
    let prefix = format!("{DIR}/");
    let candidates: Vec<usize> = site
        .pages
        .iter()
        .enumerate()
        .filter(|(_, p)| p.key.starts_with(&prefix) && p.kind != PageKind::Section)
        .filter(|(_, p)| p.lang == default_lang)
        .map(|(i, _)| i)
        .collect();
    let built: Vec<Built> = candidates
        .par_iter()
        .map(|&i| from_page(site, i, config, &ctx))
        .collect();
    let mut list = Vec::new();
    for r in built {
        match r {
            Ok((a, warnings)) => {
                list.extend(a);
                problems.extend(warnings);
            }
            Err(d) => problems.extend(d),
        }
    }
    // Translations with an `advisory:` block whose page in the default language has none.
    for page in site
        .pages
        .iter()
        .filter(|p| p.key.starts_with(&prefix) && p.lang != default_lang)
    {
        let has_block = page.meta.advisory.is_some();
        let source_has = site
            .get(&page.key, default_lang)
            .is_some_and(|p| p.meta.advisory.is_some());
        if has_block && !source_has {
            problems.push(
                Diagnostic::error(
                    page.source.clone(),
                    "this translation has an `advisory:` block, but its page in the default language has none",
                )
                .at_line(page.line_of("advisory"))
                .with_hint("The advisory's data lives in the default language's page; translations carry text only."),
            );
        }
    }
    // Dropped-in CSAF documents.
    let dropped: Vec<&PathBuf> = site
        .assets
        .iter()
        .filter(|p| {
            p.strip_prefix(CONTENT_DIR)
                .is_ok_and(|r| r.starts_with(DIR) && r.components().count() == 2)
                && p.extension().is_some_and(|e| e == "json")
        })
        .collect();
    let dropped: Vec<Result<Advisory, Vec<Diagnostic>>> =
        dropped.par_iter().map(|p| from_json(root, p)).collect();
    for r in dropped {
        match r {
            Ok(a) => list.push(a),
            Err(d) => problems.extend(d),
        }
    }
    // One document per id.
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    let mut unique = Vec::with_capacity(list.len());
    for a in list {
        let lower = csaf::file_name(&a.id);
        if let Some(first) = seen.get(&lower) {
            problems.push(
                Diagnostic::error(
                    a.source.clone(),
                    format!(
                        "advisory id `{}` is used twice: {} has it too",
                        a.id,
                        first.display()
                    ),
                )
                .at_line(line_in_file(root, &a.source, &a.id))
                .with_hint(
                    "Each advisory has its own id (ids that differ only in case or punctuation share a file name).",
                ),
            );
        } else {
            seen.insert(lower, a.source.clone());
            unique.push(a);
        }
    }
    unique.sort_by(|a, b| b.current.cmp(&a.current).then_with(|| a.id.cmp(&b.id)));
    let by_key = unique
        .iter()
        .enumerate()
        .filter_map(|(i, a)| a.key.clone().map(|k| (k, i)))
        .collect();
    (
        Advisories {
            list: unique,
            by_key,
            products,
        },
        problems,
    )
}

/// The 1-based line of the first line of `file` (relative to `root`) that contains `needle`.
fn line_in_file(root: &Path, file: &Path, needle: &str) -> usize {
    std::fs::read_to_string(root.join(file))
        .ok()
        .and_then(|t| t.lines().position(|l| l.contains(needle)))
        .map_or(1, |i| i + 1)
}

fn load_products(root: &Path, problems: &mut Vec<Diagnostic>) -> Option<csaf::Products> {
    let text = std::fs::read_to_string(root.join(PRODUCTS_FILE)).ok()?;
    match serde_yaml::from_str::<csaf::Products>(&text) {
        Ok(p) => {
            let mut seen = std::collections::HashSet::new();
            for v in p.products.iter().flat_map(|p| &p.versions) {
                if !seen.insert(v.id.as_str()) {
                    problems.push(
                        Diagnostic::error(
                            PathBuf::from(PRODUCTS_FILE),
                            format!("product id `{}` is defined twice", v.id),
                        )
                        .at_line(
                            text.lines()
                                .enumerate()
                                .filter(|(_, l)| l.contains(&v.id))
                                .nth(1)
                                .map_or(1, |(i, _)| i + 1),
                        )
                        .with_hint("Give every product version its own id."),
                    );
                }
            }
            Some(p)
        }
        Err(e) => {
            let d = Diagnostic::error(
                PathBuf::from(PRODUCTS_FILE),
                format!("the products file is not valid: {}", yaml_message(&e)),
            )
            .with_hint(
                "Write `products:` with each product's `name`, optional `cpe` (a CPE 2.3 prefix \
                 without version) and `versions:` (each `id` and `version`).",
            );
            problems.push(match e.location() {
                Some(l) => d.at(l.line(), l.column()),
                None => d,
            });
            None
        }
    }
}

/// The advisory of page `index` (default language), if it has an `advisory:` block.
fn from_page(
    site: &Site,
    index: usize,
    config: &Config,
    ctx: &csaf::Context<'_>,
) -> Result<(Option<Advisory>, Vec<Diagnostic>), Vec<Diagnostic>> {
    let page = &site.pages[index];
    if page.meta.advisory.is_none() {
        return Ok((None, Vec::new()));
    }
    let front = page.raw.get(..page.body_offset).unwrap_or("");
    let yaml = frontmatter::split(&page.raw).map(|s| s.yaml).unwrap_or("");
    let block_line = page.line_of("advisory");
    let at = |near: &str| {
        front
            .lines()
            .enumerate()
            .skip(block_line.saturating_sub(1))
            .find(|(_, l)| l.contains(near))
            .map_or(block_line, |(i, _)| i + 1)
    };
    let meta: csaf::Meta = match serde_yaml::from_str::<Block<csaf::Meta>>(yaml) {
        Ok(Block { advisory: Some(m) }) => m,
        Ok(Block { advisory: None }) => return Ok((None, Vec::new())),
        Err(e) => {
            let d = Diagnostic::error(
                page.source.clone(),
                format!("the `advisory:` block is not valid: {}", yaml_message(&e)),
            )
            .with_hint(
                "See README.md (Security advisories): `id`, `status` (draft, interim, final), `tlp`, \
                 `revisions` (number, date as 2026-09-14T10:00:00Z, summary), `vulnerabilities` (title, \
                 description, cve, cwe, cvss, affected, fixed, remediations) and optional \
                 `acknowledgments` and `references`.",
            );
            return Err(vec![match e.location() {
                // serde_yaml counts from the YAML's first line, which is the file's second.
                Some(l) => d.at(l.line() + 1, l.column()),
                None => d.at_line(block_line),
            }]);
        }
    };
    if meta.status == csaf::Status::Draft {
        if page.meta.draft {
            return Ok((None, Vec::new()));
        }
        return Err(vec![
            Diagnostic::error(
                page.source.clone(),
                "an advisory with `status: draft` would be published",
            )
            .at_line(at("status:"))
            .with_hint(
                "Mark the page `draft: true` until it is released, then set `status: interim` or `final`.",
            ),
        ]);
    }
    let html_url = format!("{}/{}", config.base_url(), page.path);
    let notes = plain_text(page.body());
    let document =
        csaf::document(&meta, &page.title, &notes, Some(&html_url), ctx).map_err(|problems| {
            problems
                .into_iter()
                .map(|p| {
                    Diagnostic::error(page.source.clone(), p.message)
                        .at_line(at(&p.near))
                        .with_hint(p.hint)
                })
                .collect::<Vec<_>>()
        })?;
    let mut problems = checks::check(&document)
        .into_iter()
        .chain(checks::schema(&document))
        .map(|p| {
            Diagnostic::error(page.source.clone(), p.message)
                .at_line(at(&p.near))
                .with_hint(p.hint)
        })
        .collect::<Vec<_>>();
    // A final advisory changes only with a new revision that records what it published.
    let digest = csaf::data_digest(&document);
    if meta.status == csaf::Status::Final
        && let Some(last) = meta.revisions.last()
    {
        let line = page.line_of_value("number", &format!("\"{}\"", last.number));
        match &last.digest {
            Some(d) if *d == digest => {}
            Some(d) => problems.push(
                Diagnostic::error(
                    page.source.clone(),
                    format!(
                        "this final advisory changed since revision {} was published (digest {d}, now {digest})",
                        last.number
                    ),
                )
                .at_line(line)
                .with_hint(format!(
                    "A final advisory changes only with a new revision: add `- number: \"{}\"` with \
                     `date:`, `summary:` and `digest: {digest}` to `revisions:` (the version follows).",
                    last.number.parse::<u64>().map_or(2, |n| n + 1)
                )),
            ),
            None => problems.push(
                Diagnostic::warning(
                    page.source.clone(),
                    format!("revision {} of this final advisory records no digest", last.number),
                )
                .at_line(line)
                .with_hint(format!(
                    "Add `digest: {digest}` to the revision, so that `candor check` notices a later \
                     change that lacks a revision."
                )),
            ),
        }
    }
    // The translations: texts only.
    let source_value = block_value(yaml).unwrap_or(Value::Null);
    let mut texts = HashMap::new();
    for (lang, &ti) in site.by_key.get(&page.key).into_iter().flatten() {
        if ti == index {
            continue;
        }
        let t = &site.pages[ti];
        let Some(t_yaml) = frontmatter::split(&t.raw).ok().map(|s| s.yaml) else {
            continue;
        };
        let Some(value) = block_value(t_yaml) else {
            continue;
        };
        let (found, disagree) = csaf::translation_texts(&value, &source_value);
        for (path, shown) in disagree {
            problems.push(
                Diagnostic::error(
                    t.source.clone(),
                    format!(
                        "`advisory.{path}: {shown}` disagrees with the {} page ({})",
                        default_name(config),
                        page.source.display()
                    ),
                )
                .at_line(t.line_of_value(path.rsplit('.').next().unwrap_or(&path), &shown))
                .with_hint(
                    "The advisory's data lives in the default language's page only; a translation \
                     carries its texts (title, description, details, summary, impact). Remove the value here.",
                ),
            );
        }
        texts.insert(lang.clone(), found);
    }
    if problems.iter().any(Diagnostic::is_error) {
        return Err(problems);
    }
    let advisory = finish(
        document,
        meta.id.clone(),
        Some(page.key.clone()),
        page.source.clone(),
        texts,
    )
    .map_err(|m| vec![Diagnostic::error(page.source.clone(), m).at_line(block_line)])?;
    // Warnings (a missing digest) do not stop the advisory.
    Ok((Some(advisory), problems))
}

fn default_name(config: &Config) -> String {
    format!("`{}`", config.default_language())
}

/// The `advisory:` block of a front matter as a JSON value (dates as strings), if it has one.
fn block_value(yaml: &str) -> Option<Value> {
    serde_yaml::from_str::<Block<serde_yaml::Value>>(yaml)
        .ok()
        .and_then(|b| b.advisory)
        .and_then(|v| serde_json::to_value(v).ok())
}

/// Checks a dropped-in CSAF document and makes it an advisory.
fn from_json(root: &Path, rel: &Path) -> Result<Advisory, Vec<Diagnostic>> {
    let err = |m: String, hint: &str| {
        vec![Diagnostic::error(rel.to_owned(), m).with_hint(hint.to_owned())]
    };
    let text = std::fs::read_to_string(root.join(rel))
        .map_err(|e| err(format!("cannot read the file: {e}"), "Check the file."))?;
    let document: Value = serde_json::from_str(&text).map_err(|e| {
        vec![
            Diagnostic::error(
                rel.to_owned(),
                format!("the CSAF document is not valid JSON: {e}"),
            )
            .at(e.line(), e.column())
            .with_hint("Export the document again from your CSAF editor."),
        ]
    })?;
    let line = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i + 1)
    };
    let mut problems: Vec<Diagnostic> = checks::check(&document)
        .into_iter()
        .map(|p| {
            Diagnostic::error(rel.to_owned(), p.message)
                .at_line(line(&p.near))
                .with_hint(p.hint)
        })
        .collect();
    problems.extend(checks::schema(&document).into_iter().map(|p| {
        Diagnostic::error(rel.to_owned(), p.message)
            .at_line(line(&p.near))
            .with_hint(p.hint)
    }));
    if !problems.is_empty() {
        return Err(problems);
    }
    let id = document["document"]["tracking"]["id"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    finish(document, id, None, rel.to_owned(), HashMap::new())
        .map_err(|m| err(m, "Check `document.tracking` of the file."))
}

fn finish(
    document: Value,
    id: String,
    key: Option<String>,
    source: PathBuf,
    texts: HashMap<String, csaf::Texts>,
) -> Result<Advisory, String> {
    let tracking = &document["document"]["tracking"];
    let date = |k: &str| {
        tracking[k]
            .as_str()
            .and_then(|s| DateTime::parse_from_rfc3339(s).ok())
            .map(|d| d.with_timezone(&Utc))
            .ok_or_else(|| format!("`document.tracking.{k}` is not an RFC 3339 date"))
    };
    let initial = date("initial_release_date")?;
    let current = date("current_release_date")?;
    let title = document["document"]["title"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    let path = format!("white/{}/{}", initial.format("%Y"), csaf::file_name(&id));
    let mut json = serde_json::to_vec_pretty(&document).map_err(|e| e.to_string())?;
    json.push(b'\n');
    Ok(Advisory {
        id,
        key,
        source,
        document,
        json,
        path,
        initial,
        current,
        title,
        texts,
    })
}

impl Advisories {
    /// The data of the advisory page `key` in `lang`, as templates see it (`advisory`).
    pub fn view(&self, key: &str, lang: &str, prefix: &str, signed: bool) -> Option<Value> {
        let a = self.by_key(key)?;
        Some(view(a, lang, prefix, signed))
    }

    /// The listing on the advisories page in `lang` (`advisories`), newest first: each with its
    /// page's URL in that language, or the JSON's for a dropped-in document.
    pub fn listing(&self, site: &Site, lang: &str, prefix: &str) -> Value {
        Value::Array(
            self.list
                .iter()
                .map(|a| {
                    let page = a
                        .key
                        .as_ref()
                        .and_then(|k| site.get(k, lang).or_else(|| site.translations(k).next()));
                    let (score, severity) = max_score(&a.document);
                    json!({
                        "id": a.id,
                        "title": page.map_or(a.title.as_str(), |p| p.title.as_str()),
                        "url": page.map_or_else(
                            || format!("{prefix}/.well-known/csaf/{}", a.path),
                            |p| format!("{prefix}/{}", p.path),
                        ),
                        "json_url": format!("{prefix}/.well-known/csaf/{}", a.path),
                        "status": a.document["document"]["tracking"]["status"],
                        "version": a.document["document"]["tracking"]["version"],
                        "initial": a.initial.date_naive().to_string(),
                        "current": a.current.date_naive().to_string(),
                        "score": score,
                        "severity": severity,
                        "cves": cves(&a.document),
                    })
                })
                .collect(),
        )
    }
}

/// The Markdown body of an advisory page as the plain text of its CSAF summary note (CSAF 2.0
/// notes are text, not Markdown): paragraphs and list items separated by blank lines, emphasis
/// dropped, a web link written as `text (address)`, a link to a page of the site as its text.
fn plain_text(markdown: &str) -> String {
    use pulldown_cmark::{Event, Parser, Tag, TagEnd};
    let mut out = String::new();
    let mut links: Vec<Option<String>> = Vec::new();
    let block_end = |out: &mut String| {
        let trimmed = out.trim_end().len();
        out.truncate(trimmed);
        if !out.is_empty() {
            out.push_str("\n\n");
        }
    };
    for event in Parser::new(markdown) {
        match event {
            Event::Text(t) | Event::Code(t) => out.push_str(&t),
            Event::SoftBreak | Event::HardBreak => out.push(' '),
            Event::Start(Tag::Item) => out.push_str("- "),
            Event::Start(Tag::Link { dest_url, .. }) => links.push(
                (dest_url.starts_with("https://") || dest_url.starts_with("http://"))
                    .then(|| dest_url.to_string()),
            ),
            Event::End(TagEnd::Link) => {
                if let Some(Some(url)) = links.pop() {
                    out.push_str(&format!(" ({url})"));
                }
            }
            Event::End(
                TagEnd::Paragraph | TagEnd::Heading(_) | TagEnd::Item | TagEnd::CodeBlock,
            ) => block_end(&mut out),
            _ => {}
        }
    }
    out.trim_end().to_owned()
}

/// The highest base score of a document and its severity (lower case), if any is scored.
pub fn max_score(doc: &Value) -> (Option<f64>, Option<String>) {
    let best = doc["vulnerabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|v| v["scores"].as_array().into_iter().flatten())
        .filter_map(|s| {
            let c = &s["cvss_v3"];
            Some((c["baseScore"].as_f64()?, c["baseSeverity"].as_str()?))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((s, sev)) => (Some(s), Some(sev.to_ascii_lowercase())),
        None => (None, None),
    }
}

fn cves(doc: &Value) -> Vec<String> {
    doc["vulnerabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v["cve"].as_str().map(str::to_owned))
        .collect()
}

/// Product id → full name, from a document's product tree.
fn product_names(doc: &Value) -> HashMap<String, String> {
    fn walk(v: &Value, out: &mut HashMap<String, String>) {
        if let Some(p) = v.get("product")
            && let (Some(id), Some(name)) = (p["product_id"].as_str(), p["name"].as_str())
        {
            out.insert(id.to_owned(), name.to_owned());
        }
        for key in ["branches", "full_product_names"] {
            for b in v.get(key).and_then(Value::as_array).into_iter().flatten() {
                if key == "full_product_names"
                    && let (Some(id), Some(name)) = (b["product_id"].as_str(), b["name"].as_str())
                {
                    out.insert(id.to_owned(), name.to_owned());
                }
                walk(b, out);
            }
        }
    }
    let mut out = HashMap::new();
    walk(&doc["product_tree"], &mut out);
    out
}

fn view(a: &Advisory, lang: &str, prefix: &str, signed: bool) -> Value {
    let doc = &a.document;
    let texts = a.texts.get(lang);
    let text = |path: String, english: &Value| -> Value {
        texts
            .and_then(|t| t.get(&path))
            .map_or_else(|| english.clone(), |s| json!(s))
    };
    let names = product_names(doc);
    let name_list = |ids: &Value| -> Vec<String> {
        ids.as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(|id| names.get(id).cloned().unwrap_or_else(|| id.to_owned()))
            .collect()
    };
    let vulnerabilities: Vec<Value> = doc["vulnerabilities"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
        .map(|(i, v)| {
            let score = &v["scores"][0]["cvss_v3"];
            let description = v["notes"]
                .as_array()
                .into_iter()
                .flatten()
                .find(|n| n["category"] == "description")
                .map_or(Value::Null, |n| n["text"].clone());
            let status = &v["product_status"];
            json!({
                "cve": v["cve"],
                "cwe": v["cwe"],
                "title": text(format!("vulnerabilities.{i}.title"), &v["title"]),
                "description": text(format!("vulnerabilities.{i}.description"), &description),
                "score": score["baseScore"],
                "severity": score["baseSeverity"].as_str().map(str::to_ascii_lowercase),
                "vector": score["vectorString"],
                "affected": name_list(&status["known_affected"]),
                "fixed": name_list(&status["fixed"]).into_iter().chain(name_list(&status["first_fixed"])).collect::<Vec<_>>(),
                "not_affected": name_list(&status["known_not_affected"]),
                "under_investigation": name_list(&status["under_investigation"]),
                "impact": v["threats"].as_array().into_iter().flatten().find(|t| t["category"] == "impact")
                    .map_or(Value::Null, |t| text(format!("vulnerabilities.{i}.impact"), &t["details"])),
                "remediations": v["remediations"].as_array().into_iter().flatten().enumerate().map(|(j, r)| json!({
                    "category": r["category"],
                    "details": text(format!("vulnerabilities.{i}.remediations.{j}.details"), &r["details"]),
                    "url": r["url"],
                    "products": name_list(&r["product_ids"]),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    let d = &doc["document"];
    let (score, severity) = max_score(doc);
    let json_url = format!("{prefix}/.well-known/csaf/{}", a.path);
    json!({
        "id": a.id,
        "status": d["tracking"]["status"],
        "version": d["tracking"]["version"],
        "initial": a.initial.date_naive().to_string(),
        "current": a.current.date_naive().to_string(),
        "score": score,
        "severity": severity,
        "vex": d["category"] == "csaf_vex",
        "json_url": json_url,
        "sha256_url": format!("{json_url}.sha256"),
        "sha512_url": format!("{json_url}.sha512"),
        "asc_url": signed.then(|| format!("{json_url}.asc")),
        "vulnerabilities": vulnerabilities,
        "acknowledgments": d["acknowledgments"].as_array().into_iter().flatten().enumerate().map(|(i, ack)| json!({
            "names": ack["names"],
            "organization": ack["organization"],
            "summary": text(format!("acknowledgments.{i}.summary"), &ack["summary"]),
        })).collect::<Vec<_>>(),
        "references": d["references"].as_array().into_iter().flatten()
            .filter(|r| r["category"] != "self").enumerate().map(|(i, r)| json!({
                "url": r["url"],
                "summary": text(format!("references.{i}.summary"), &r["summary"]),
            })).collect::<Vec<_>>(),
        "revisions": d["tracking"]["revision_history"].as_array().into_iter().flatten().enumerate().map(|(i, r)| json!({
            "number": r["number"],
            "date": r["date"].as_str().map(|s| s.get(..10).unwrap_or(s)),
            "summary": text(format!("revisions.{i}.summary"), &r["summary"]),
        })).collect::<Vec<_>>(),
    })
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_summary_note_is_plain_text() {
        let md = "A **bold** claim with [a page](@/security/encryption.md) and \
                  [the fix](https://example.com/fix).\n\n- one\n- `two`\n\n## Next\n\nEnd.";
        assert_eq!(
            super::plain_text(md),
            "A bold claim with a page and the fix (https://example.com/fix).\n\n- one\n\n- two\n\nNext\n\nEnd."
        );
    }
}
