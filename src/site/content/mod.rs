//! Loading `content/`: pages, sections, translations, data files, and the URLs they get.
//!
//! The result is an immutable [`Site`] model: every later stage (Markdown, templates, checks) reads
//! it and never changes it.

pub mod document_meta;
pub mod frontmatter;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use rayon::prelude::*;
use walkdir::WalkDir;

use crate::error::{Diagnostic, relative_to};
use crate::site::config::{Config, key_line, yaml_message};
use frontmatter::{FrontMatter, SortBy, SplitError};

/// The folder under the site root that holds the pages.
pub const CONTENT_DIR: &str = "content";
/// The folder under `content/` that holds YAML data files for templates.
pub const DATA_DIR: &str = "_data";
/// The answer library's folder under `content/` (read by `site::answers`, not as data).
pub const ANSWERS_DIR: &str = "_data/answers";

/// What a page is within its folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageKind {
    /// `_index.md`: the page of a section (a folder); the site's home page is the root section.
    Section,
    /// `name.md`: a page in a section.
    Page,
    /// `name/index.md`: a page with its files beside it (documents).
    Bundle,
}

/// One page in one language.
#[derive(Debug, Clone)]
pub struct Page {
    /// Source file, relative to the site root (`content/privacy/gdpr.de.md`).
    pub source: PathBuf,
    /// Translation key: the source path relative to `content/` without the language suffix
    /// (`privacy/gdpr.md`). Pages with the same key are translations of each other.
    pub key: String,
    /// Language code.
    pub lang: String,
    /// Section, page or bundle.
    pub kind: PageKind,
    /// Key of the section this page is listed in (`None` for the home page).
    pub parent: Option<String>,
    /// The front matter, validated.
    pub meta: FrontMatter,
    /// The title (required in the front matter).
    pub title: String,
    /// The whole source text (kept for positions in messages).
    pub raw: String,
    /// Byte offset of the Markdown body in `raw`.
    pub body_offset: usize,
    /// 1-based line of the body's first line.
    pub body_line: usize,
    /// Output path of the page's folder, relative to the output root, with a trailing slash
    /// (`de/datenschutz/dsgvo/`).
    pub path: String,
}

impl Page {
    /// The Markdown body.
    pub fn body(&self) -> &str {
        self.raw.get(self.body_offset..).unwrap_or("")
    }

    /// Takes the Markdown body out of the page, keeping the front matter (for messages that name
    /// its lines): a build that keeps no bodies frees each one as soon as it is rendered.
    pub(crate) fn take_body(&mut self) -> String {
        let body = self.raw.split_off(self.body_offset.min(self.raw.len()));
        self.raw.shrink_to_fit();
        body
    }

    /// The 1-based line of a front matter key, for messages about its value.
    pub fn line_of(&self, key: &str) -> usize {
        key_line(&self.raw[..self.body_offset], key).unwrap_or(1)
    }

    /// The 1-based line of `key: …value…` in the front matter (for list items such as versions),
    /// falling back to any line with the value, then to the key's line.
    pub fn line_of_value(&self, key: &str, value: &str) -> usize {
        let front = &self.raw[..self.body_offset];
        let lines = || front.lines().enumerate();
        lines()
            .find(|(_, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                t.starts_with(key) && t.contains(value)
            })
            .or_else(|| lines().find(|(_, l)| l.contains(value)))
            .map_or_else(|| self.line_of(key), |(i, _)| i + 1)
    }

    /// The 1-based line of the `n`-th (0-based) `key:` in the front matter, e.g. the third
    /// `- version:` of a document; falls back to the first.
    pub fn line_of_nth(&self, key: &str, n: usize) -> usize {
        let front = &self.raw[..self.body_offset];
        front
            .lines()
            .enumerate()
            .filter(|(_, l)| {
                let t = l.trim_start().trim_start_matches("- ");
                t.strip_prefix(key).is_some_and(|r| r.starts_with(':'))
            })
            .nth(n)
            .map_or_else(|| self.line_of(key), |(i, _)| i + 1)
    }

    /// The order within a section: weight (missing weights last), then title.
    fn sort_key(&self) -> (i64, &str) {
        (self.meta.weight.unwrap_or(i64::MAX), self.title.as_str())
    }

    /// The order within a section sorted by date: newest first (`date`, else `updated`),
    /// undated pages last, then title.
    fn date_key(&self) -> (bool, std::cmp::Reverse<Option<chrono::NaiveDate>>, &str) {
        let date = self.meta.date.or(self.meta.updated);
        (date.is_none(), std::cmp::Reverse(date), self.title.as_str())
    }
}

/// A page that does not exist in one language: the output gets a notice page at its URL that
/// links the languages it exists in.
#[derive(Debug, Clone)]
pub struct Missing {
    /// Translation key of the page.
    pub key: String,
    /// The language it is missing in.
    pub lang: String,
    /// Where the notice is written (as `Page::path`).
    pub path: String,
}

/// The loaded site: every page of every language and the relations between them.
#[derive(Debug, Default)]
pub struct Site {
    /// All pages (drafts removed unless requested), in a stable order.
    pub pages: Vec<Page>,
    /// Pages by translation key, then language.
    pub by_key: HashMap<String, BTreeMap<String, usize>>,
    /// Children of each section key per language, sorted by weight then title.
    pub children: HashMap<(String, String), Vec<usize>>,
    /// Notice pages for translations that do not exist yet, sorted by key, then language (so
    /// that [`Site::path_of`] can search them).
    pub missing: Vec<Missing>,
    /// YAML data files from `content/_data/`, by file stem.
    pub data: serde_json::Map<String, serde_json::Value>,
    /// Non-Markdown files under `content/` (bundle files), relative to the site root.
    pub assets: Vec<PathBuf>,
    /// Keys of pages that exist but could not be loaded (their errors are reported); links to
    /// them are not reported again as broken.
    pub failed: std::collections::HashSet<String>,
}

impl Site {
    /// The page with `key` in `lang`, if it exists.
    pub fn get(&self, key: &str, lang: &str) -> Option<&Page> {
        self.index_of(key, lang).map(|i| &self.pages[i])
    }

    /// Where the page with `key` in `lang` is in [`Site::pages`], if it exists.
    pub fn index_of(&self, key: &str, lang: &str) -> Option<usize> {
        self.by_key.get(key).and_then(|m| m.get(lang)).copied()
    }

    /// All languages a key exists in, with their pages.
    pub fn translations(&self, key: &str) -> impl Iterator<Item = &Page> {
        self.by_key
            .get(key)
            .into_iter()
            .flat_map(|m| m.values().map(|&i| &self.pages[i]))
    }

    /// The children of a section in a language, in order.
    pub fn children_of(&self, section_key: &str, lang: &str) -> impl Iterator<Item = &Page> {
        self.children
            .get(&(section_key.to_owned(), lang.to_owned()))
            .into_iter()
            .flatten()
            .map(|&i| &self.pages[i])
    }

    /// A setting of the section `section_key` in `lang`: what its page in that language says,
    /// else what one of its translations says (so a translation need not repeat the source's
    /// `paginate_by` or `sort_by`).
    pub fn section_setting<T>(
        &self,
        section_key: &str,
        lang: &str,
        field: impl Fn(&FrontMatter) -> Option<T>,
    ) -> Option<T> {
        self.get(section_key, lang)
            .and_then(|p| field(&p.meta))
            .or_else(|| self.translations(section_key).find_map(|p| field(&p.meta)))
    }

    /// How many pages each listing page of the section `section_key` shows in `lang`: its
    /// front matter's `paginate_by`, else the site's; `None` when everything is on one page.
    pub fn paginate_by(&self, config: &Config, section_key: &str, lang: &str) -> Option<usize> {
        self.section_setting(section_key, lang, |m| m.paginate_by)
            .or(config.paginate_by)
            .filter(|&n| n > 0)
    }

    /// How the section page at `index` is paginated, `(pages per listing page, listing
    /// pages)`, when it has more pages than fit on one listing page. The home page is never
    /// paginated: its listing is the site's main navigation.
    pub fn pagination(&self, config: &Config, index: usize) -> Option<(usize, usize)> {
        let page = &self.pages[index];
        if page.kind != PageKind::Section || page.parent.is_none() {
            return None;
        }
        let per_page = self.paginate_by(config, &page.key, &page.lang)?;
        let children = self
            .children
            .get(&(page.key.clone(), page.lang.clone()))
            .map_or(0, Vec::len);
        let pages = children.div_ceil(per_page);
        (pages > 1).then_some((per_page, pages))
    }

    /// How many listing pages the section page at `index` has (1 unless it is paginated and
    /// has more pages than fit on one).
    pub fn listing_pages(&self, config: &Config, index: usize) -> usize {
        self.pagination(config, index).map_or(1, |(_, pages)| pages)
    }

    /// The output path of listing page `number` (from 1) of the section page at `index`: the
    /// section's own path for the first, `<section>/<paginate_path>/<number>/` for the others.
    pub fn listing_path(&self, config: &Config, index: usize, number: usize) -> String {
        let page = &self.pages[index];
        if number <= 1 {
            return page.path.clone();
        }
        format!(
            "{}{}/{number}/",
            page.path,
            config.paginate_path(&page.lang)
        )
    }

    /// Where a key's page lives in `lang`: the page itself, or the notice page of a missing
    /// translation.
    pub fn path_of(&self, key: &str, lang: &str) -> Option<&str> {
        if let Some(p) = self.get(key, lang) {
            return Some(&p.path);
        }
        self.missing
            .binary_search_by(|m| (m.key.as_str(), m.lang.as_str()).cmp(&(key, lang)))
            .ok()
            .map(|i| self.missing[i].path.as_str())
    }
}

/// The section key of a folder (`""` → `_index.md`, `privacy` → `privacy/_index.md`).
pub fn section_key(dir: &str) -> String {
    if dir.is_empty() {
        "_index.md".to_owned()
    } else {
        format!("{dir}/_index.md")
    }
}

/// A Markdown file's place in the content tree, derived from its path.
struct FileName {
    key: String,
    lang: String,
    kind: PageKind,
    /// Folder the page is listed in (`privacy` for `privacy/gdpr.md` and for
    /// `privacy/dpa/index.md`), `None` for the home page.
    listed_in: Option<String>,
    /// URL segment when the front matter has no slug.
    default_slug: String,
}

/// Works out key, language and kind from a path relative to `content/` (with `/` separators).
fn classify(rel: &str, config: &Config) -> Result<FileName, Diagnostic> {
    let (dir, file) = rel.rsplit_once('/').unwrap_or(("", rel));
    let stem = file.strip_suffix(".md").unwrap_or(file);
    let (name, lang) = match stem.rsplit_once('.') {
        Some((name, suffix)) if config.has_language(suffix) => (name, suffix.to_owned()),
        Some((_, suffix)) if looks_like_language(suffix) => {
            return Err(Diagnostic::error(
                None,
                format!("the language suffix `.{suffix}` is not one of the configured languages"),
            )
            .with_hint(format!(
                "Add `{suffix}` to `languages` in site.yaml, or rename the file (configured: {}).",
                config.languages.join(", ")
            )));
        }
        _ => (stem, config.default_language().to_owned()),
    };
    let join = |d: &str, f: &str| {
        if d.is_empty() {
            f.to_owned()
        } else {
            format!("{d}/{f}")
        }
    };
    let last = |d: &str| d.rsplit('/').next().unwrap_or(d).to_owned();
    let parent_dir = |d: &str| {
        d.rsplit_once('/')
            .map_or(String::new(), |(p, _)| p.to_owned())
    };
    Ok(match name {
        "_index" => FileName {
            key: join(dir, "_index.md"),
            lang,
            kind: PageKind::Section,
            listed_in: (!dir.is_empty()).then(|| parent_dir(dir)),
            default_slug: last(dir),
        },
        "index" if !dir.is_empty() => FileName {
            key: join(dir, "index.md"),
            lang,
            kind: PageKind::Bundle,
            listed_in: Some(parent_dir(dir)),
            default_slug: last(dir),
        },
        _ => FileName {
            key: join(dir, &format!("{name}.md")),
            lang,
            kind: PageKind::Page,
            listed_in: Some(dir.to_owned()),
            default_slug: name.to_owned(),
        },
    })
}

/// `fr`, `pt-BR`, `zh-Hant`: what a language suffix looks like (so `report.2024.md` is not one).
fn looks_like_language(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.chars().all(|c| c.is_ascii_lowercase())
        && parts.all(|p| (2..=4).contains(&p.len()) && p.chars().all(|c| c.is_ascii_alphanumeric()))
}

pub use crate::site::config::valid_slug;

/// The keys a page's front matter may have.
const FRONT_MATTER_KEYS: &str = "title, description, weight, slug, template, updated, date, \
                                 draft, aliases, translated_from, extra, document, paginate_by, \
                                 sort_by, feed, feed_subprocessor_changes, advisory";

/// Turns serde_yaml's message about front matter into plain words and a fix.
fn front_matter_problem(yaml: &str) -> (String, String) {
    if let Some(rest) = yaml.strip_prefix("unknown field `") {
        let key = rest.split('`').next().unwrap_or(rest);
        return (
            format!("`{key}` is not a front matter key"),
            format!("Check the spelling. The keys are: {FRONT_MATTER_KEYS}."),
        );
    }
    let (path, detail) = match yaml.split_once(": ") {
        Some((path, detail)) => (Some(path), detail),
        None => (None, yaml),
    };
    // `document.versions[0].version` → `document`
    let key = path
        .map(|p| p.split(['.', '[']).next().unwrap_or(p))
        .filter(|k| FRONT_MATTER_KEYS.split(", ").any(|known| known == *k));
    let detail =
        if key.is_some() { detail } else { yaml }.replace("unknown variant", "unknown value");
    let hint = match key {
        Some("updated" | "date") => "Write the date as YYYY-MM-DD, e.g. `updated: 2024-03-01`.",
        Some("paginate_by") => {
            "Write how many pages each listing page shows, e.g. `paginate_by: 20` (`0`: all on one)."
        }
        Some("sort_by") => {
            "Write `sort_by: weight` (the default) or `sort_by: date` (newest first)."
        }
        Some("weight") => "Write a whole number, e.g. `weight: 10`.",
        Some("draft") => "Write `draft: true` or `draft: false`.",
        Some(k @ ("feed" | "feed_subprocessor_changes")) => {
            return (
                format!("`{k}` must be `true` or `false` ({detail})"),
                format!("Write `{k}: true` or `{k}: false`."),
            );
        }
        Some("aliases") => "Write a list of old addresses, e.g. `aliases: [/en/old-page/]`.",
        Some("extra") => "Write `extra:` followed by indented `name: value` lines.",
        Some("document") => {
            "See README.md (Documents): `category` (privacy, security, compliance, legal), \
             `access` (public, gated, nda) and `versions` with quoted numbers, e.g. `version: \"3.1\"`."
        }
        Some(_) => {
            "Write plain text; put it in quotes if it contains a colon, e.g. `title: \"Brazil: LGPD\"`."
        }
        None => {
            "Each line is `key: value`. Text containing a colon, or starting with [ { * & ! | > ' \" % @, needs quotes."
        }
    };
    let message = match (key, path) {
        (Some(_), Some(path)) => format!("the value of `{path}` is not valid ({detail})"),
        _ => format!("the front matter is not valid YAML ({detail})"),
    };
    (message, hint.to_owned())
}

/// A page file read and parsed, before the tree is assembled.
pub(crate) struct Parsed {
    /// The page, without `parent` and `path` (the tree gives those).
    pub(crate) page: Page,
    /// Folder the page is listed in.
    pub(crate) listed_in: Option<String>,
    /// Its URL segment.
    pub(crate) slug: String,
}

/// Reads and parses one page file (`abs` under `root/content/`); every problem of the file is
/// returned.
pub(crate) fn parse_page(
    root: &Path,
    abs: &Path,
    config: &Config,
) -> Result<Parsed, Vec<Diagnostic>> {
    let source = relative_to(abs, root);
    let rel = abs
        .strip_prefix(root.join(CONTENT_DIR))
        .unwrap_or(abs)
        .to_string_lossy()
        .replace('\\', "/");
    let name = classify(&rel, config).map_err(|mut d| {
        d.path = Some(source.clone());
        vec![d]
    })?;
    let raw = match std::fs::read(abs) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|e| {
            let (line, col) = crate::error::line_col(
                &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
                e.utf8_error().valid_up_to(),
            );
            vec![
                Diagnostic::error(source.clone(), "the file is not valid UTF-8 text")
                    .at(line, col)
                    .with_hint("Save the file with UTF-8 encoding in your editor."),
            ]
        })?,
        Err(e) => {
            return Err(vec![
                Diagnostic::error(source.clone(), format!("cannot read the file: {e}"))
                    .with_hint("Check that the file exists and is readable."),
            ]);
        }
    };
    let split = frontmatter::split(&raw).map_err(|e| {
        let hint = match e {
            SplitError::Missing => {
                "Start the file with a line `---`, then `title: …`, then another `---` line."
            }
            SplitError::Unclosed => "Add a line `---` after the last front matter line.",
        };
        vec![
            Diagnostic::error(source.clone(), e.to_string())
                .at_line(1)
                .with_hint(hint),
        ]
    })?;
    let meta: FrontMatter = if split.yaml.trim().is_empty() {
        FrontMatter::default()
    } else {
        serde_yaml::from_str(split.yaml).map_err(|e| {
            let (message, hint) = front_matter_problem(&yaml_message(&e));
            let line = e
                .location()
                .map_or(split.yaml_line, |l| l.line() + split.yaml_line - 1);
            let d = Diagnostic::error(source.clone(), message);
            let d = match e.location() {
                Some(l) => d.at(line, l.column()),
                None => d.at_line(line),
            };
            vec![d.with_hint(hint)]
        })?
    };

    let mut problems = Vec::new();
    let fm_line = |key: &str| key_line(split.yaml, key).map_or(1, |l| l + split.yaml_line - 1);
    let title = match meta.title.as_deref().map(str::trim) {
        Some(t) if !t.is_empty() => t.to_owned(),
        _ => {
            problems.push(
                Diagnostic::error(source.clone(), "the title is missing")
                    .at_line(if meta.title.is_some() {
                        fm_line("title")
                    } else {
                        1
                    })
                    .with_hint("Add `title: …` to the front matter between the `---` lines."),
            );
            String::new()
        }
    };
    let slug = match &meta.slug {
        Some(s) if !valid_slug(s) => {
            problems.push(
                Diagnostic::error(
                    source.clone(),
                    format!("the slug `{s}` cannot be used in a URL"),
                )
                .at_line(fm_line("slug"))
                .with_hint(
                    "Use lower-case letters a–z, digits and hyphens only, e.g. `datenschutz` \
                         (write ä as ae, ö as oe, ü as ue, ß as ss).",
                ),
            );
            name.default_slug.clone()
        }
        Some(_) if name.kind == PageKind::Section && name.listed_in.is_none() => {
            problems.push(
                Diagnostic::error(source.clone(), "the home page cannot have a slug")
                    .at_line(fm_line("slug"))
                    .with_hint("Remove the `slug:` line; the home page is always at /<language>/."),
            );
            String::new()
        }
        Some(s) => s.clone(),
        None => name.default_slug.clone(),
    };
    for alias in &meta.aliases {
        if !alias.starts_with('/') || alias.contains("..") || alias.contains(['?', '#', '\\']) {
            problems.push(
                Diagnostic::error(
                    source.clone(),
                    format!("the alias `{alias}` is not a site path"),
                )
                .at_line(fm_line("aliases"))
                .with_hint(
                    "Write old addresses as paths from the site root, e.g. `/en/old-page/`.",
                ),
            );
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    Ok(Parsed {
        page: Page {
            source,
            key: name.key,
            lang: name.lang,
            kind: name.kind,
            parent: None,
            meta,
            title,
            body_offset: split.body_offset,
            body_line: split.body_line,
            raw,
            path: String::new(),
        },
        listed_in: name.listed_in,
        slug,
    })
}

/// Reads `content/` under `root`: parses every page in parallel, assembles sections and
/// translations and computes every page's URL.
///
/// Returns the pages that could be loaded together with every problem found, so that one broken
/// page does not hide the problems of the others.
pub fn load(root: &Path, config: &Config, drafts: bool) -> (Site, Vec<Diagnostic>) {
    let content = root.join(CONTENT_DIR);
    let mut problems = Vec::new();
    if !content.is_dir() {
        problems.push(
            Diagnostic::error(PathBuf::from(CONTENT_DIR), "the content folder is missing")
                .with_hint("Create `content/` with at least `_index.md` (the home page)."),
        );
        return (Site::default(), problems);
    }
    let mut markdown = Vec::new();
    let mut data_files = Vec::new();
    let mut assets = Vec::new();
    let walker = WalkDir::new(&content)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !e.file_name().to_string_lossy().starts_with('.'));
    for entry in walker {
        match entry {
            Ok(e) if e.file_type().is_file() => {
                let path = e.into_path();
                let rel = relative_to(&path, &content);
                let name = path.file_name().unwrap_or_default().to_string_lossy();
                if name.ends_with('~') {
                    continue;
                }
                if rel.starts_with(DATA_DIR) {
                    // The answer library has its own loader (`site::answers`): its many files are
                    // not page data.
                    if !rel.starts_with(ANSWERS_DIR) {
                        data_files.push(path);
                    }
                } else if name.ends_with(".md") {
                    markdown.push(path);
                } else {
                    assets.push(relative_to(&path, root));
                }
            }
            Ok(_) => {}
            Err(e) => problems.push(
                Diagnostic::error(
                    e.path().map(|p| relative_to(p, root)),
                    format!("cannot read the content folder: {e}"),
                )
                .with_hint("Check the folder's permissions."),
            ),
        }
    }

    let parsed: Vec<Result<Parsed, Vec<Diagnostic>>> = markdown
        .par_iter()
        .map(|p| parse_page(root, p, config))
        .collect();
    let mut pages = Vec::with_capacity(parsed.len());
    let mut failed = std::collections::HashSet::new();
    for (result, path) in parsed.into_iter().zip(&markdown) {
        match result {
            Ok(p) if p.page.meta.draft && !drafts => {}
            Ok(p) => pages.push(p),
            Err(ds) => {
                problems.extend(ds);
                let rel = relative_to(path, &content)
                    .to_string_lossy()
                    .replace('\\', "/");
                if let Ok(name) = classify(&rel, config) {
                    failed.insert(name.key);
                }
            }
        }
    }
    let data = load_data(root, &data_files, &mut problems);

    let mut site = assemble(pages, config, &failed, &mut problems);
    site.data = data;
    site.assets = assets;
    site.failed = failed;
    (site, problems)
}

fn load_data(
    root: &Path,
    files: &[PathBuf],
    problems: &mut Vec<Diagnostic>,
) -> serde_json::Map<String, serde_json::Value> {
    let mut data = serde_json::Map::new();
    for path in files {
        let display = relative_to(path, root);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(ext, "yaml" | "yml") {
            problems.push(
                Diagnostic::error(display, "data files must be YAML").with_hint(
                    "Name data files `*.yaml`, or move this file out of content/_data/.",
                ),
            );
            continue;
        }
        let stem = path
            .file_stem()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        let parsed = std::fs::read_to_string(path)
            .map_err(|e| Diagnostic::error(display.clone(), format!("cannot read the file: {e}")))
            .and_then(|text| {
                serde_yaml::from_str::<serde_json::Value>(&text).map_err(|e| {
                    let d = Diagnostic::error(
                        display.clone(),
                        format!("the data file is not valid YAML: {}", yaml_message(&e)),
                    )
                    .with_hint("Check the indentation and quote text that contains a colon.");
                    match e.location() {
                        Some(l) => d.at(l.line(), l.column()),
                        None => d,
                    }
                })
            });
        match parsed {
            Ok(value) => {
                data.insert(stem, value);
            }
            Err(d) => problems.push(d),
        }
    }
    data
}

/// Builds the tree from parsed pages: parents, children order, URLs, missing translations.
fn assemble(
    mut parsed: Vec<Parsed>,
    config: &Config,
    failed: &std::collections::HashSet<String>,
    problems: &mut Vec<Diagnostic>,
) -> Site {
    parsed.sort_by(|a, b| (&a.page.key, &a.page.lang).cmp(&(&b.page.key, &b.page.lang)));
    let mut site = Site::default();
    let mut slugs: HashMap<(String, String), String> = HashMap::new();
    let mut listed_in: Vec<Option<String>> = Vec::with_capacity(parsed.len());
    for p in parsed {
        let i = site.pages.len();
        site.by_key
            .entry(p.page.key.clone())
            .or_default()
            .insert(p.page.lang.clone(), i);
        slugs.insert((p.page.key.clone(), p.page.lang.clone()), p.slug);
        listed_in.push(p.listed_in);
        site.pages.push(p.page);
    }

    if !site.by_key.contains_key("_index.md") && !failed.contains("_index.md") {
        problems.push(
            Diagnostic::error(
                PathBuf::from("content/_index.md"),
                "the home page is missing",
            )
            .with_hint("Create content/_index.md with a `title:` in its front matter."),
        );
    }

    // Parents: every folder with pages needs its own `_index.md`.
    for (i, dir) in listed_in.iter().enumerate() {
        let Some(dir) = dir else { continue };
        let key = section_key(dir);
        if site.by_key.contains_key(&key) {
            site.pages[i].parent = Some(key);
        } else if !failed.contains(&key) {
            let page = &site.pages[i];
            problems.push(
                Diagnostic::error(
                    page.source.clone(),
                    format!("the folder `content/{dir}` has no section page `_index.md`"),
                )
                .at_line(1)
                .with_hint(format!(
                    "Create content/{key} with a `title:`; it lists the pages of the folder."
                )),
            );
        }
    }

    // URL segment of a key in a language: its own slug, or the default language's, or the
    // default derived from the file name.
    let default_lang = config.default_language();
    let segment = |key: &str, lang: &str| -> Option<String> {
        slugs
            .get(&(key.to_owned(), lang.to_owned()))
            .or_else(|| slugs.get(&(key.to_owned(), default_lang.to_owned())))
            .or_else(|| {
                config
                    .languages
                    .iter()
                    .find_map(|l| slugs.get(&(key.to_owned(), l.clone())))
            })
            .cloned()
    };
    let path_for = |key: &str, lang: &str, parent: Option<&str>| -> String {
        let mut segments = Vec::new();
        if key != "_index.md" {
            segments.push(segment(key, lang).unwrap_or_default());
        }
        let mut ancestor = parent.map(str::to_owned);
        while let Some(section) = ancestor {
            if section == "_index.md" {
                break;
            }
            segments.push(segment(&section, lang).unwrap_or_default());
            let dir = section.trim_end_matches("/_index.md");
            ancestor = Some(section_key(dir.rsplit_once('/').map_or("", |(p, _)| p)));
        }
        segments.reverse();
        let mut path = format!("{lang}/");
        for s in segments {
            path.push_str(&s);
            path.push('/');
        }
        path
    };

    for i in 0..site.pages.len() {
        let page = &site.pages[i];
        let path = path_for(&page.key, &page.lang, page.parent.as_deref());
        site.pages[i].path = path;
    }

    // Translations that do not exist get a notice page at the URL they would have.
    let keys: Vec<String> = site.by_key.keys().cloned().collect();
    for key in keys {
        if failed.contains(&key) {
            continue;
        }
        let parent = site
            .translations(&key)
            .next()
            .and_then(|p| p.parent.clone());
        for lang in &config.languages {
            if site.get(&key, lang).is_none() {
                let path = path_for(&key, lang, parent.as_deref());
                site.missing.push(Missing {
                    key: key.clone(),
                    lang: lang.clone(),
                    path,
                });
            }
        }
    }
    site.missing
        .sort_by(|a, b| (&a.key, &a.lang).cmp(&(&b.key, &b.lang)));

    // Two pages at one URL would overwrite each other.
    let mut seen: HashMap<&str, &Path> = HashMap::new();
    for page in &site.pages {
        if let Some(other) = seen.insert(&page.path, &page.source) {
            problems.push(
                Diagnostic::error(
                    page.source.clone(),
                    format!(
                        "this page has the same URL /{} as {}",
                        page.path,
                        other.display()
                    ),
                )
                .at_line(page.line_of("slug"))
                .with_hint("Give one of the two pages a different `slug`."),
            );
        }
    }

    // Children per section and language, ordered by weight then title.
    for (i, page) in site.pages.iter().enumerate() {
        if let Some(parent) = &page.parent {
            site.children
                .entry((parent.clone(), page.lang.clone()))
                .or_default()
                .push(i);
        }
    }
    let orders: Vec<((String, String), SortBy)> = site
        .children
        .keys()
        .map(|(key, lang)| ((key.clone(), lang.clone()), site.sort_by(key, lang)))
        .collect();
    for (section, by) in orders {
        if let Some(list) = site.children.get_mut(&section) {
            order_children(&site.pages, list, by);
        }
    }
    site
}

impl Site {
    /// The order of the section `section_key`'s pages in `lang` (its front matter's `sort_by`).
    pub fn sort_by(&self, section_key: &str, lang: &str) -> SortBy {
        self.section_setting(section_key, lang, |m| m.sort_by)
            .unwrap_or_default()
    }
}

/// Puts a section's children in their order (`by`: weight, then title; or newest first, then
/// title), then page order (the order of `Site::pages`) among equals.
fn order_children(pages: &[Page], list: &mut [usize], by: SortBy) {
    list.sort_unstable();
    match by {
        SortBy::Weight => list.sort_by(|&a, &b| pages[a].sort_key().cmp(&pages[b].sort_key())),
        SortBy::Date => list.sort_by(|&a, &b| pages[a].date_key().cmp(&pages[b].date_key())),
    }
}

impl Site {
    /// Replaces the page at `index` with a new version of the same file (same key, language,
    /// parent and URL), keeping its section's children in order. Used by the preview between
    /// builds; a page whose URL or place changes needs a new [`load`] instead.
    pub(crate) fn replace_page(&mut self, index: usize, mut page: Page) -> Page {
        let old = &self.pages[index];
        page.parent = old.parent.clone();
        page.path = old.path.clone();
        let reorder = old.sort_key() != page.sort_key() || old.date_key() != page.date_key();
        let old = std::mem::replace(&mut self.pages[index], page);
        if reorder && let Some(parent) = &old.parent {
            let by = self.sort_by(parent, &old.lang);
            if let Some(list) = self.children.get_mut(&(parent.clone(), old.lang.clone())) {
                order_children(&self.pages, list, by);
            }
        }
        old
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn config() -> Config {
        crate::site::config::parse(
            "title: {en: T, de: T}\ndescription: {en: D, de: D}\nbase_url: https://x.example.com\n\
             languages: [en, de]\ncompany: {name: X}\n\
             contacts: {security: s@example.com, privacy: p@example.com}\n\
             security_txt: {expires: 2030-01-01T00:00:00Z}\n",
            Path::new("site.yaml"),
        )
        .unwrap()
    }

    #[test]
    fn classify_derives_key_language_and_kind() {
        let c = config();
        let f = classify("privacy/gdpr.de.md", &c).unwrap();
        assert_eq!((f.key.as_str(), f.lang.as_str()), ("privacy/gdpr.md", "de"));
        assert_eq!(f.kind, PageKind::Page);
        assert_eq!(f.listed_in.as_deref(), Some("privacy"));

        let f = classify("privacy/gdpr.en.md", &c).unwrap();
        assert_eq!((f.key.as_str(), f.lang.as_str()), ("privacy/gdpr.md", "en"));

        let f = classify("_index.md", &c).unwrap();
        assert_eq!(f.kind, PageKind::Section);
        assert_eq!(f.listed_in, None);

        let f = classify("privacy/_index.de.md", &c).unwrap();
        assert_eq!(f.key, "privacy/_index.md");
        assert_eq!(f.listed_in.as_deref(), Some(""));

        let f = classify("documents/dpa/index.md", &c).unwrap();
        assert_eq!(f.kind, PageKind::Bundle);
        assert_eq!(f.listed_in.as_deref(), Some("documents"));
        assert_eq!(f.default_slug, "dpa");

        // A dotted name that is not a language stays part of the name.
        let f = classify("reports/iso.2024.md", &c).unwrap();
        assert_eq!(f.key, "reports/iso.2024.md");
    }

    #[test]
    fn path_of_finds_every_missing_translation() {
        let dir = tempfile::tempdir().unwrap();
        let content = dir.path().join(CONTENT_DIR);
        std::fs::create_dir_all(content.join("guides")).unwrap();
        std::fs::write(content.join("_index.md"), "---\ntitle: Home\n---\n").unwrap();
        std::fs::write(content.join("_index.de.md"), "---\ntitle: Start\n---\n").unwrap();
        std::fs::write(
            content.join("guides/_index.md"),
            "---\ntitle: Guides\n---\n",
        )
        .unwrap();
        for name in ["zeta", "alpha", "mid", "beta"] {
            std::fs::write(
                content.join(format!("guides/{name}.md")),
                format!("---\ntitle: {name}\n---\nText.\n"),
            )
            .unwrap();
        }
        let (site, _) = load(dir.path(), &config(), false);
        // The section and its four pages have no German page.
        assert_eq!(site.missing.len(), 5, "{:?}", site.missing);
        for m in &site.missing {
            assert_eq!(m.lang, "de");
            assert_eq!(
                site.path_of(&m.key, "de"),
                Some(m.path.as_str()),
                "{}",
                m.key
            );
        }
        assert_eq!(
            site.path_of("guides/alpha.md", "en"),
            Some("en/guides/alpha/")
        );
        assert_eq!(site.path_of("guides/omega.md", "de"), None);
    }

    #[test]
    fn unknown_language_suffix_is_an_error() {
        let err = classify("privacy/gdpr.fr.md", &config()).err().unwrap();
        assert!(err.message.contains("`.fr`"), "{err}");
    }

    proptest::proptest! {
        /// Whatever an editor saves, loading reports it or accepts it; it never panics.
        #[test]
        fn parsing_any_page_never_panics(
            front in "(title|slug|weight|updated|draft|aliases|extra|template|x)?: ?[-\\[\\]{}:#'\"a-zA-Zäß0-9 ]{0,24}",
            more in proptest::collection::vec("[ -~äöü\n]{0,30}", 0..4),
            body in "[ -~äöü\n#@/()\\[\\]]{0,80}",
            delimiter in proptest::bool::ANY,
        ) {
            let dir = tempfile::tempdir().unwrap();
            std::fs::create_dir_all(dir.path().join("content")).unwrap();
            let close = if delimiter { "---\n" } else { "" };
            let text = format!("---\n{front}\n{}\n{close}{body}", more.join("\n"));
            let path = dir.path().join("content/page.de.md");
            std::fs::write(&path, &text).unwrap();
            match parse_page(dir.path(), &path, &config()) {
                Ok(p) => {
                    proptest::prop_assert!(!p.page.title.is_empty());
                    proptest::prop_assert!(p.page.body_offset <= p.page.raw.len());
                }
                Err(ds) => {
                    proptest::prop_assert!(!ds.is_empty());
                    for d in ds {
                        proptest::prop_assert_eq!(d.path.as_deref(), Some(Path::new("content/page.de.md")));
                        proptest::prop_assert!(d.line.is_some(), "{}", d);
                    }
                }
            }
        }
    }

    #[test]
    fn slugs_are_lowercase_ascii() {
        assert!(valid_slug("datenschutz"));
        assert!(valid_slug("iso-27001"));
        for bad in ["", "Daten", "über", "a/b", "-a", "a-", "a b", ".."] {
            assert!(!valid_slug(bad), "{bad}");
        }
    }
}
