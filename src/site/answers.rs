//! The security-questionnaire answer library: `content/_data/answers/<topic>.yaml`, one file per
//! topic, each answer with a stable id, its question, a short and a long answer per language,
//! tags (further topics), the frameworks and control ids it maps to, when it was last reviewed
//! and by whom, and its evidence (pages and documents of the site, or web addresses).
//!
//! The page whose `template:` is [`TEMPLATE`] shows every answer of its language, with a filter
//! page per topic and per framework (plain links: no script needed), and gets the exports beside
//! it: CSV, XLSX and JSON in its language. Each answer is also an entry of the language's search
//! index. Links to confidential documents go to their request form, never to a file.
//!
//! The answers are rendered here, once per language, as HTML fragments that the page's template
//! places (`answers.html`); at 5,000 answers a language, rendering each through tera would cost
//! more than the rest of the page (README, "Performance").

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::error::{Diagnostic, relative_to};
use crate::site::compliance::{self, DocumentLink, Lines};
use crate::site::config::{Config, Localized, yaml_message};
use crate::site::content::Site;
use crate::site::documents::Documents;
use crate::site::i18n::{Arg, Locales};
use crate::site::output::OutputFile;
use crate::site::render::templates::escape_html;
use crate::site::search::Entry;

/// The folder of the answer files, under `content/`.
pub const DIR: &str = crate::site::content::ANSWERS_DIR;
/// The template of the answers page.
pub const TEMPLATE: &str = "answers.html";
/// Months after which an answer is due for review, unless `answers.review_months` says otherwise.
pub const DEFAULT_REVIEW_MONTHS: u32 = 12;

/// One topic file as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct TopicFile {
    /// The topic's name per language.
    topic: Localized,
    /// The answers of the topic.
    #[serde(default)]
    answers: Vec<AnswerMeta>,
}

/// One answer as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswerMeta {
    id: String,
    #[serde(default)]
    tags: Vec<String>,
    #[serde(default)]
    frameworks: BTreeMap<String, Vec<String>>,
    reviewed: NaiveDate,
    owner: String,
    #[serde(default)]
    evidence: Vec<String>,
    text: BTreeMap<String, TextMeta>,
}

/// The text of an answer in one language.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TextMeta {
    /// The question.
    #[serde(default)]
    pub question: String,
    /// The short answer (a sentence or two; "Yes." is fine).
    #[serde(default)]
    pub short: String,
    /// The long answer: plain text, paragraphs separated by a blank line.
    #[serde(default)]
    pub long: String,
}

/// A topic (the answers of one file).
#[derive(Debug, Clone, PartialEq)]
pub struct Topic {
    /// Its id: the file's name without `.yaml`.
    pub id: String,
    /// Its name per language.
    pub label: Localized,
}

/// Where an answer's evidence is.
#[derive(Debug, Clone, PartialEq)]
pub enum Evidence {
    /// A page of the site (its translation key).
    Page(String),
    /// A document of the registry (its page's key).
    Document(String),
    /// A web address.
    Url(String),
}

/// An answer, checked.
#[derive(Debug, Clone, PartialEq)]
pub struct Answer {
    /// Stable id (anchor, key in the exports).
    pub id: String,
    /// Its topics: its file's, then its `tags` (indexes into [`Library::topics`]).
    pub topics: Vec<usize>,
    /// Framework → control ids.
    pub frameworks: Vec<(String, Vec<String>)>,
    /// Last reviewed.
    pub reviewed: NaiveDate,
    /// Who owns it.
    pub owner: String,
    /// Evidence.
    pub evidence: Vec<Evidence>,
    /// Text per language (languages without a translation are missing).
    pub text: BTreeMap<String, TextMeta>,
}

/// Every answer of the site.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Library {
    /// Topics in file-name order.
    pub topics: Vec<Topic>,
    /// Answers in file order, then as listed.
    pub answers: Vec<Answer>,
    /// Every framework named, sorted.
    pub frameworks: Vec<String>,
}

/// The folder of the answer files.
fn folder(root: &Path) -> PathBuf {
    root.join(crate::site::content::CONTENT_DIR).join(DIR)
}

/// Reads and checks every answer file; `None` when the site has no answers folder.
pub fn load(
    root: &Path,
    config: &Config,
    site: &Site,
    docs: &Documents,
    today: NaiveDate,
) -> (Option<Library>, Vec<Diagnostic>) {
    let dir = folder(root);
    let Ok(read) = std::fs::read_dir(&dir) else {
        return (None, Vec::new());
    };
    let mut paths: Vec<PathBuf> = read
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            !name.starts_with('.') && !name.ends_with('~')
        })
        .collect();
    paths.sort();
    let mut problems = Vec::new();
    let mut files = Vec::new();
    for path in paths {
        let display = relative_to(&path, root);
        let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        if path.is_dir() || !matches!(ext, "yaml" | "yml") {
            problems.push(
                Diagnostic::error(display, "the answers folder holds only YAML files")
                    .with_hint("Keep one `<topic>.yaml` per topic in content/_data/answers/."),
            );
            continue;
        }
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                problems.push(Diagnostic::error(
                    display,
                    format!("cannot read the file: {e}"),
                ));
                continue;
            }
        };
        match serde_yaml::from_str::<TopicFile>(&text) {
            Ok(file) => files.push((path, display, text, file)),
            Err(e) => {
                let d = Diagnostic::error(
                    display,
                    format!("the answers are not valid: {}", yaml_message(&e)),
                )
                .with_hint(
                    "A topic file has `topic` (its name per language) and `answers`; each answer \
                     needs `id`, `reviewed` (YYYY-MM-DD), `owner` and `text` with `question`, \
                     `short` and `long` per language.",
                );
                problems.push(match e.location() {
                    Some(l) => d.at(l.line(), l.column()),
                    None => d,
                });
            }
        }
    }
    let topics: Vec<Topic> = files
        .iter()
        .map(|(path, ..)| Topic {
            id: path
                .file_stem()
                .unwrap_or_default()
                .to_string_lossy()
                .into_owned(),
            label: Localized::new(),
        })
        .collect();
    let topic_index: HashMap<&str, usize> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.id.as_str(), i))
        .collect();
    let review_months = config
        .answers
        .as_ref()
        .map_or(DEFAULT_REVIEW_MONTHS, |a| a.review_months);
    let due = today
        .checked_sub_months(Months::new(review_months))
        .unwrap_or(NaiveDate::MIN);
    let default = config.default_language();
    let mut library = Library {
        topics: topics.clone(),
        ..Library::default()
    };
    let mut seen: HashMap<String, PathBuf> = HashMap::new();
    for (t, (_, display, text, file)) in files.iter().enumerate() {
        let error = |line: usize, message: String, hint: String| {
            Diagnostic::error(display.clone(), message)
                .at_line(line)
                .with_hint(hint)
        };
        let lines = Lines::new(text);
        let mut occurrences: HashMap<&str, usize> = HashMap::new();
        let topic_line = lines.field(0, "topic").max(1);
        for lang in &config.languages {
            match file.topic.get(lang) {
                Some(l) if !l.trim().is_empty() => {}
                _ => problems.push(error(
                    topic_line,
                    format!("the topic has no name in `{lang}`"),
                    format!("Add `{lang}: …` under `topic`."),
                )),
            }
        }
        for lang in file.topic.keys() {
            if !config.has_language(lang) {
                problems.push(error(
                    topic_line,
                    format!("`{lang}` under `topic` is not one of the site's languages"),
                    "Use the codes from `languages` in site.yaml.".into(),
                ));
            }
        }
        library.topics[t].label = file.topic.clone();
        for meta in &file.answers {
            let nth = occurrences.entry(meta.id.as_str()).or_insert(0);
            let entry = lines.entry(&meta.id, *nth);
            *nth += 1;
            let at = |key: &str| lines.field(entry, key);
            let before = problems.len();
            if !crate::site::config::valid_slug(&meta.id) {
                problems.push(error(
                    entry,
                    format!("the answer id `{}` cannot be used as an anchor", meta.id),
                    "Use lower-case letters, digits and hyphens, e.g. `encryption-at-rest`; keep \
                     it stable once published (reviewers cite it)."
                        .into(),
                ));
            }
            if let Some(other) = seen.insert(meta.id.clone(), display.clone()) {
                problems.push(error(
                    entry,
                    format!(
                        "the answer id `{}` is also used in {}",
                        meta.id,
                        other.display()
                    ),
                    "Give each answer its own id.".into(),
                ));
            }
            let mut answer_topics = vec![t];
            for tag in &meta.tags {
                match topic_index.get(tag.as_str()) {
                    Some(&i) if !answer_topics.contains(&i) => answer_topics.push(i),
                    Some(_) => {}
                    None => problems.push(error(
                        lines.value(entry, tag).unwrap_or_else(|| at("tags")),
                        format!("`{}`: the tag `{tag}` is not a topic", meta.id),
                        format!(
                            "Tags name topics, the files in content/_data/answers/: {}.",
                            topics
                                .iter()
                                .map(|t| t.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        ),
                    )),
                }
            }
            if meta.owner.trim().is_empty() {
                problems.push(error(
                    at("owner"),
                    format!("`{}` has no owner", meta.id),
                    "Name the team or person who keeps the answer true, e.g. `owner: Security team`."
                        .into(),
                ));
            }
            if meta.reviewed > today {
                problems.push(error(
                    at("reviewed"),
                    format!(
                        "`{}` was reviewed on {}, which is in the future",
                        meta.id, meta.reviewed
                    ),
                    "Write the day of the last review (YYYY-MM-DD).".into(),
                ));
            } else if meta.reviewed < due {
                problems.push(
                    Diagnostic::warning(
                        display.clone(),
                        format!(
                            "`{}` was last reviewed on {}, more than {review_months} months ago",
                            meta.id, meta.reviewed
                        ),
                    )
                    .at_line(at("reviewed"))
                    .with_hint(format!(
                        "Have {} check the answer, then set `reviewed:` to the day of the review \
                         (the period is `answers.review_months` in site.yaml).",
                        meta.owner
                    )),
                );
            }
            for (name, controls) in &meta.frameworks {
                if name.trim().is_empty() || controls.iter().any(|c| c.trim().is_empty()) {
                    problems.push(error(
                        at("frameworks"),
                        format!("`{}`: a framework or control id is empty", meta.id),
                        "Write `frameworks: {\"ISO/IEC 27001:2022\": [A.8.24]}`.".into(),
                    ));
                }
            }
            let mut evidence = Vec::new();
            for link in &meta.evidence {
                let line = lines.value(entry, link).unwrap_or_else(|| at("evidence"));
                match resolve(link, site, docs) {
                    Ok(e) => evidence.push(e),
                    Err((message, hint)) => {
                        problems.push(error(line, format!("`{}`: {message}", meta.id), hint))
                    }
                }
            }
            let text_line = at("text");
            for (lang, t) in &meta.text {
                let line = lines.field(text_line, lang).max(text_line);
                if !config.has_language(lang) {
                    problems.push(error(
                        line,
                        format!("`{}`: `{lang}` is not one of the site's languages", meta.id),
                        "Use the codes from `languages` in site.yaml.".into(),
                    ));
                    continue;
                }
                for (field, value) in [
                    ("question", &t.question),
                    ("short", &t.short),
                    ("long", &t.long),
                ] {
                    if value.trim().is_empty() {
                        problems.push(error(
                            line,
                            format!(
                                "`{}`: the `{lang}` text has no {}",
                                meta.id,
                                match field {
                                    "question" => "question",
                                    "short" => "short answer",
                                    _ => "long answer",
                                }
                            ),
                            format!(
                                "Write `{field}:` under `{lang}:`, or remove the `{lang}` text \
                                 until the translation is ready (the answer is then shown in \
                                 the default language)."
                            ),
                        ));
                    }
                }
            }
            if !meta.text.contains_key(default) {
                problems.push(error(
                    text_line,
                    format!("`{}` has no `{default}` text", meta.id),
                    format!(
                        "Write the answer in the default language first: `text: {{{default}: \
                         {{question: …, short: …, long: …}}}}`."
                    ),
                ));
            }
            for lang in &config.languages {
                if lang != default && !meta.text.contains_key(lang) {
                    problems.push(
                        Diagnostic::warning(
                            display.clone(),
                            format!("`{}` has no `{lang}` translation yet", meta.id),
                        )
                        .at_line(text_line)
                        .with_hint(format!(
                            "Add `{lang}:` with `question`, `short` and `long` under `text` \
                             (until then the `{lang}` page shows the `{default}` text)."
                        )),
                    );
                }
            }
            if problems[before..].iter().any(Diagnostic::is_error) {
                continue;
            }
            library.answers.push(Answer {
                id: meta.id.clone(),
                topics: answer_topics,
                frameworks: meta
                    .frameworks
                    .iter()
                    .map(|(k, v)| (k.clone(), v.clone()))
                    .collect(),
                reviewed: meta.reviewed,
                owner: meta.owner.clone(),
                evidence,
                text: meta.text.clone(),
            });
        }
    }
    let mut frameworks: Vec<String> = library
        .answers
        .iter()
        .flat_map(|a| a.frameworks.iter().map(|(f, _)| f.clone()))
        .collect();
    frameworks.sort();
    frameworks.dedup();
    library.frameworks = frameworks;
    (Some(library), problems)
}

/// An evidence link as written (`@/security/encryption.md`, `@/documents/dpa/index.md`,
/// `https://…`), resolved.
fn resolve(link: &str, site: &Site, docs: &Documents) -> Result<Evidence, (String, String)> {
    if link.starts_with("https://") || link.starts_with("http://") {
        return Ok(Evidence::Url(link.to_owned()));
    }
    let Some(key) = link.strip_prefix("@/") else {
        return Err((
            format!("the evidence `{link}` is neither a page (`@/…`) nor a web address"),
            "Link pages and documents by their file from the content folder, e.g. \
             `@/security/encryption.md` or `@/documents/dpa/index.md`."
                .into(),
        ));
    };
    if docs.by_key(key).is_some() {
        return Ok(Evidence::Document(key.to_owned()));
    }
    if site.by_key.contains_key(key) {
        return Ok(Evidence::Page(key.to_owned()));
    }
    if key.contains('#') {
        return Err((
            format!("the evidence `{link}` names a heading"),
            "Link the whole page (without `#…`).".into(),
        ));
    }
    let hint = match compliance::document_of(link, site, docs) {
        Err((_, hint)) if key.starts_with("documents/") => hint,
        _ => "Check the spelling, or whether the page is a draft; links name the page's file \
              from the content folder, e.g. `@/security/encryption.md`."
            .into(),
    };
    Err((
        format!("the evidence `{link}` links to a missing page or document"),
        hint,
    ))
}

/// The filters of the answers page: all answers, one topic, or one framework.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Filter {
    /// Answers of the topic with this index.
    Topic(usize),
    /// Answers mapped to the framework with this index (in [`Library::frameworks`]).
    Framework(usize),
}

/// A framework's name as a URL segment (`ISO/IEC 27001:2022` → `iso-iec-27001-2022`).
pub fn slug(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        out.push('x');
    }
    out
}

/// The answers as rendered for one language.
#[derive(Debug, Clone, PartialEq)]
pub struct Rendered {
    /// Index of the answers page in `site.pages`.
    pub page: usize,
    /// Its output path (`en/compliance/answers/`).
    pub path: String,
    /// Each answer's HTML (an `<article>`), in library order.
    pub items: Vec<String>,
    /// Each answer's search entry.
    pub entries: Vec<Entry>,
    /// Output paths of the filter pages: `<path><segment>/<key>/`.
    pub filters: Vec<(Filter, String)>,
    /// How many answers each filter of `filters` shows (counted once, not on every filter page).
    pub counts: Vec<usize>,
    /// The export files' output paths: CSV, XLSX, JSON.
    pub exports: [String; 3],
    /// What the template sees besides the items (counts, filter links, export links).
    pub labels: Labels,
}

/// The UI strings the fragments use, in one language.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Labels {
    topics: String,
    frameworks: String,
    evidence: String,
    reviewed: String,
    owner: String,
    on_request: String,
    long: String,
}

/// Everything rendered, per language (only languages with an answers page).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Pages {
    /// Language → its answers.
    pub languages: HashMap<String, Rendered>,
}

impl Pages {
    /// The rendered answers of `lang`, when `page` (an index into `site.pages`) is its page.
    pub fn of_page(&self, page: usize, lang: &str) -> Option<&Rendered> {
        self.languages.get(lang).filter(|r| r.page == page)
    }
}

/// Renders the answers for every language that has an answers page; warns when none has.
pub fn render(
    library: &Library,
    site: &Site,
    docs: &Documents,
    config: &Config,
    locales: &Locales,
) -> (Pages, Vec<Diagnostic>) {
    let mut pages = Pages::default();
    let mut problems = Vec::new();
    let rendered: Vec<(String, Result<Rendered, String>)> = config
        .languages
        .iter()
        .filter_map(|lang| {
            let index = site
                .pages
                .iter()
                .position(|p| p.lang == *lang && p.meta.template.as_deref() == Some(TEMPLATE))?;
            Some((
                lang.clone(),
                render_language(library, site, docs, config, locales, lang, index),
            ))
        })
        .collect();
    if rendered.is_empty() && !library.answers.is_empty() {
        problems.push(
            Diagnostic::warning(
                PathBuf::from(crate::site::content::CONTENT_DIR).join(DIR),
                "the answers are not published: no page has `template: answers.html`",
            )
            .with_hint(
                "Create a page with `template: answers.html` (e.g. content/compliance/answers.md) \
                 and its translations.",
            ),
        );
    }
    for (lang, r) in rendered {
        match r {
            Ok(r) => {
                pages.languages.insert(lang, r);
            }
            Err(e) => problems.push(Diagnostic::error(
                PathBuf::from(crate::site::content::CONTENT_DIR).join(DIR),
                format!("cannot render the answers in `{lang}`: {e}"),
            )),
        }
    }
    (pages, problems)
}

/// The text of `answer` in `lang`, or the default language's (with its language).
fn text_in<'a>(answer: &'a Answer, lang: &'a str, default: &'a str) -> (&'a str, &'a TextMeta) {
    answer
        .text
        .get_key_value(lang)
        .or_else(|| answer.text.get_key_value(default))
        .or_else(|| answer.text.iter().next())
        .map(|(l, t)| (l.as_str(), t))
        .unwrap_or((lang, &EMPTY))
}

static EMPTY: TextMeta = TextMeta {
    question: String::new(),
    short: String::new(),
    long: String::new(),
};

/// An evidence link in `lang`: title, URL, and whether it asks for a confidential document.
struct EvidenceLink {
    title: String,
    url: String,
    on_request: bool,
}

fn evidence_link(
    e: &Evidence,
    site: &Site,
    docs: &Documents,
    config: &Config,
    lang: &str,
) -> EvidenceLink {
    match e {
        Evidence::Url(u) => EvidenceLink {
            title: u.clone(),
            url: u.clone(),
            on_request: false,
        },
        Evidence::Page(key) => {
            let page = site
                .get(key, lang)
                .or_else(|| site.get(key, config.default_language()))
                .or_else(|| site.translations(key).next());
            EvidenceLink {
                title: page.map_or_else(|| key.clone(), |p| p.title.clone()),
                url: page.map_or_else(String::new, |p| {
                    format!("{}/{}", config.url_prefix(), p.path)
                }),
                on_request: false,
            }
        }
        Evidence::Document(key) => match docs.by_key(key) {
            Some(doc) => {
                let DocumentLink {
                    title,
                    url,
                    request_url,
                    ..
                } = compliance::document_link(doc, site, config, lang);
                EvidenceLink {
                    title,
                    on_request: request_url.is_some(),
                    url: request_url.unwrap_or(url),
                }
            }
            None => EvidenceLink {
                title: key.clone(),
                url: String::new(),
                on_request: false,
            },
        },
    }
}

fn ui(locales: &Locales, lang: &str, key: &str) -> Result<String, String> {
    locales.translate(lang, key, &[])
}

/// Renders the answers of `lang` for the page at `index`.
fn render_language(
    library: &Library,
    site: &Site,
    docs: &Documents,
    config: &Config,
    locales: &Locales,
    lang: &str,
    index: usize,
) -> Result<Rendered, String> {
    let page = &site.pages[index];
    let path = page.path.clone();
    let page_url = format!("{}/{path}", config.url_prefix());
    let topic_segment = ui(locales, lang, "answers-topic-path")?;
    let framework_segment = ui(locales, lang, "answers-framework-path")?;
    let labels = Labels {
        topics: ui(locales, lang, "answers-topics")?,
        frameworks: ui(locales, lang, "answers-frameworks")?,
        evidence: ui(locales, lang, "answers-evidence")?,
        reviewed: ui(locales, lang, "answers-reviewed")?,
        owner: ui(locales, lang, "answers-owner")?,
        on_request: ui(locales, lang, "answers-on-request")?,
        long: ui(locales, lang, "answers-long")?,
    };
    let topic_path = |t: usize| format!("{path}{topic_segment}/{}/", library.topics[t].id);
    let framework_path = |f: usize| {
        format!(
            "{path}{framework_segment}/{}/",
            slug(&library.frameworks[f])
        )
    };
    let framework_index: HashMap<&str, usize> = library
        .frameworks
        .iter()
        .enumerate()
        .map(|(i, f)| (f.as_str(), i))
        .collect();
    let topic_label = |t: usize| {
        let l = &library.topics[t].label;
        l.get(lang)
            .or_else(|| l.get(config.default_language()))
            .cloned()
            .unwrap_or_else(|| library.topics[t].id.clone())
    };
    let language_names: HashMap<&str, String> = config
        .languages
        .iter()
        .map(|l| {
            (
                l.as_str(),
                locales
                    .translate(lang, &format!("language-{l}"), &[])
                    .unwrap_or_else(|_| l.clone()),
            )
        })
        .collect();
    let date = |d: NaiveDate| locales.format_date(lang, d);
    let prefix = config.url_prefix();
    let mut items = Vec::with_capacity(library.answers.len());
    let mut entries = Vec::with_capacity(library.answers.len());
    for a in &library.answers {
        let (text_lang, text) = text_in(a, lang, config.default_language());
        let id = &a.id;
        let mut h = String::with_capacity(512 + text.long.len() + text.short.len());
        let _ = write!(h, "<article class=\"answer\" id=\"a-{id}\"");
        if text_lang != lang {
            let _ = write!(h, " lang=\"{text_lang}\"");
        }
        let _ = write!(
            h,
            "><h3>{}</h3><p class=\"answer-short\">{}</p>",
            escape_html(&text.question),
            escape_html(&text.short)
        );
        if text_lang != lang {
            let note = locales.translate(
                lang,
                "answers-in-language",
                &[(
                    "language".into(),
                    Arg::Str(language_names.get(text_lang).cloned().unwrap_or_default()),
                )],
            )?;
            let _ = write!(
                h,
                "<p class=\"answer-note\" lang=\"{lang}\">{}</p>",
                escape_html(&note)
            );
        }
        let _ = write!(
            h,
            "<details class=\"answer-long\"><summary>{}</summary>",
            escape_html(&labels.long)
        );
        for para in text
            .long
            .split("\n\n")
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            let _ = write!(h, "<p>{}</p>", escape_html(para));
        }
        h.push_str("</details><dl class=\"answer-meta\"");
        if text_lang != lang {
            let _ = write!(h, " lang=\"{lang}\"");
        }
        let _ = write!(h, "><dt>{}</dt><dd>", escape_html(&labels.topics));
        for (n, &t) in a.topics.iter().enumerate() {
            if n > 0 {
                h.push_str(", ");
            }
            let _ = write!(
                h,
                "<a href=\"{prefix}/{}\">{}</a>",
                escape_html(&topic_path(t)),
                escape_html(&topic_label(t))
            );
        }
        h.push_str("</dd>");
        if !a.frameworks.is_empty() {
            let _ = write!(h, "<dt>{}</dt><dd><ul>", escape_html(&labels.frameworks));
            for (f, controls) in &a.frameworks {
                let fi = framework_index.get(f.as_str()).copied().unwrap_or_default();
                let _ = write!(
                    h,
                    "<li><a href=\"{prefix}/{}\">{}</a>: {}</li>",
                    escape_html(&framework_path(fi)),
                    escape_html(f),
                    escape_html(&controls.join(", "))
                );
            }
            h.push_str("</ul></dd>");
        }
        if !a.evidence.is_empty() {
            let _ = write!(h, "<dt>{}</dt><dd><ul>", escape_html(&labels.evidence));
            for e in &a.evidence {
                let link = evidence_link(e, site, docs, config, lang);
                let _ = write!(
                    h,
                    "<li><a href=\"{}\">{}</a>",
                    escape_html(&link.url),
                    escape_html(&link.title)
                );
                if link.on_request {
                    let _ = write!(h, " ({})", escape_html(&labels.on_request));
                }
                h.push_str("</li>");
            }
            h.push_str("</ul></dd>");
        }
        let _ = write!(
            h,
            "<dt>{}</dt><dd><time datetime=\"{}\">{}</time></dd><dt>{}</dt><dd>{}</dd></dl></article>",
            escape_html(&labels.reviewed),
            a.reviewed,
            escape_html(&date(a.reviewed)?),
            escape_html(&labels.owner),
            escape_html(&a.owner)
        );
        items.push(h);
        entries.push(Entry {
            d: Some(text.short.clone()),
            h: a.topics
                .iter()
                .map(|&t| topic_label(t))
                .collect::<Vec<_>>()
                .join(" · "),
            t: text.question.clone(),
            u: format!("{page_url}#a-{id}"),
            x: text.long.replace("\n\n", " "),
        });
    }
    let filters: Vec<(Filter, String)> = (0..library.topics.len())
        .map(|t| (Filter::Topic(t), topic_path(t)))
        .chain((0..library.frameworks.len()).map(|f| (Filter::Framework(f), framework_path(f))))
        .collect();
    let counts = filters
        .iter()
        .map(|(f, _)| {
            (0..library.answers.len())
                .filter(|&i| Rendered::matches(library, i, Some(f)))
                .count()
        })
        .collect();
    let stem = ui(locales, lang, "answers-export-name")?;
    let exports = ["csv", "xlsx", "json"].map(|ext| format!("{path}{stem}-{lang}.{ext}"));
    Ok(Rendered {
        page: index,
        path,
        items,
        entries,
        counts,
        filters,
        exports,
        labels,
    })
}

impl Rendered {
    /// Whether answer `i` of `library` belongs on the page of `filter`.
    fn matches(library: &Library, i: usize, filter: Option<&Filter>) -> bool {
        let a = &library.answers[i];
        match filter {
            None => true,
            Some(Filter::Topic(t)) => a.topics.contains(t),
            Some(Filter::Framework(f)) => {
                let name = &library.frameworks[*f];
                a.frameworks.iter().any(|(n, _)| n == name)
            }
        }
    }

    /// What `answers.html` sees on the page of `filter` (`None`: every answer).
    pub fn context(
        &self,
        library: &Library,
        config: &Config,
        lang: &str,
        filter: Option<&Filter>,
    ) -> serde_json::Value {
        let prefix = config.url_prefix();
        let mut html = String::new();
        let mut count = 0;
        for (i, item) in self.items.iter().enumerate() {
            if Self::matches(library, i, filter) {
                html.push_str(item);
                count += 1;
            }
        }
        let links: Vec<serde_json::Value> = self
            .filters
            .iter()
            .zip(&self.counts)
            .map(|((f, path), &count)| {
                let (kind, label) = match f {
                    Filter::Topic(t) => {
                        let l = &library.topics[*t].label;
                        (
                            "topic",
                            l.get(lang)
                                .or_else(|| l.get(config.default_language()))
                                .cloned()
                                .unwrap_or_default(),
                        )
                    }
                    Filter::Framework(fi) => ("framework", library.frameworks[*fi].clone()),
                };
                serde_json::json!({
                    "kind": kind,
                    "label": label,
                    "count": count,
                    "url": format!("{prefix}/{path}"),
                    "current": filter == Some(f),
                })
            })
            .collect();
        let current = filter.and_then(|f| {
            links
                .iter()
                .zip(&self.filters)
                .find(|(_, (g, _))| g == f)
                .map(|(l, _)| l.clone())
        });
        let formats = ["CSV", "XLSX", "JSON"];
        let exports: Vec<serde_json::Value> = self
            .exports
            .iter()
            .zip(formats)
            .map(|(path, format)| {
                serde_json::json!({"format": format, "url": format!("{prefix}/{path}")})
            })
            .collect();
        serde_json::json!({
            "html": html,
            "count": count,
            "total": self.items.len(),
            "all_url": format!("{prefix}/{}", self.path),
            "topics": links.iter().filter(|l| l["kind"] == "topic").collect::<Vec<_>>(),
            "frameworks": links.iter().filter(|l| l["kind"] == "framework").collect::<Vec<_>>(),
            "filter": current,
            "exports": exports,
        })
    }

    /// The output path of the filter page `filter` in this language.
    pub fn filter_path(&self, filter: &Filter) -> Option<&str> {
        self.filters
            .iter()
            .find(|(f, _)| f == filter)
            .map(|(_, p)| p.as_str())
    }
}

/// One row of an export: the columns, in order, as text (the date as `YYYY-MM-DD`).
struct Row {
    cells: [String; 11],
    reviewed: NaiveDate,
}

/// The export columns' UI string keys, in order.
const COLUMNS: [&str; 11] = [
    "answers-col-id",
    "answers-col-question",
    "answers-col-short",
    "answers-col-long",
    "answers-col-topics",
    "answers-col-frameworks",
    "answers-col-evidence",
    "answers-col-reviewed",
    "answers-col-owner",
    "answers-col-language",
    "answers-col-url",
];

/// The exports of every language with an answers page: CSV (UTF-8 with a byte order mark, so
/// that spreadsheet programs read the umlauts; cells that a spreadsheet would run as a formula
/// are prefixed with `'`), XLSX (one sheet, a header row with a filter, frozen) and JSON.
pub fn exports(
    library: &Library,
    pages: &Pages,
    site: &Site,
    docs: &Documents,
    config: &Config,
    locales: &Locales,
    generator: &str,
) -> (Vec<OutputFile>, Vec<Diagnostic>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let mut languages: Vec<&String> = pages.languages.keys().collect();
    languages.sort();
    let made: Vec<Result<Vec<OutputFile>, String>> = {
        use rayon::prelude::*;
        languages
            .par_iter()
            .map(|lang| {
                export_language(
                    library,
                    &pages.languages[*lang],
                    site,
                    docs,
                    config,
                    locales,
                    lang,
                    generator,
                )
            })
            .collect()
    };
    for (lang, m) in languages.into_iter().zip(made) {
        match m {
            Ok(f) => files.extend(f),
            Err(e) => problems.push(Diagnostic::error(
                PathBuf::from(crate::site::content::CONTENT_DIR).join(DIR),
                format!("cannot write the answer exports in `{lang}`: {e}"),
            )),
        }
    }
    (files, problems)
}

#[allow(clippy::too_many_arguments)]
fn export_language(
    library: &Library,
    rendered: &Rendered,
    site: &Site,
    docs: &Documents,
    config: &Config,
    locales: &Locales,
    lang: &str,
    generator: &str,
) -> Result<Vec<OutputFile>, String> {
    let base = config.base_url();
    let absolute = |url: &str| {
        if url.starts_with("http://") || url.starts_with("https://") {
            url.to_owned()
        } else {
            format!(
                "{base}{}",
                url.strip_prefix(config.url_prefix()).unwrap_or(url)
            )
        }
    };
    let page_url = format!("{base}/{}", rendered.path);
    let headers: Vec<String> = COLUMNS
        .iter()
        .map(|k| ui(locales, lang, k))
        .collect::<Result<_, _>>()?;
    let on_request = &rendered.labels.on_request;
    let topic_label = |t: usize| {
        let l = &library.topics[t].label;
        l.get(lang)
            .or_else(|| l.get(config.default_language()))
            .cloned()
            .unwrap_or_default()
    };
    let mut json = Vec::with_capacity(library.answers.len());
    let rows: Vec<Row> = library
        .answers
        .iter()
        .map(|a| {
            let (text_lang, text) = text_in(a, lang, config.default_language());
            let evidence: Vec<(EvidenceLink, String)> = a
                .evidence
                .iter()
                .map(|e| {
                    let l = evidence_link(e, site, docs, config, lang);
                    let url = absolute(&l.url);
                    (l, url)
                })
                .collect();
            let url = format!("{page_url}#a-{}", a.id);
            json.push(serde_json::json!({
                "id": a.id,
                "language": text_lang,
                "question": text.question,
                "short": text.short,
                "long": text.long,
                "topics": a.topics.iter().map(|&t| serde_json::json!({
                    "id": library.topics[t].id,
                    "label": topic_label(t),
                })).collect::<Vec<_>>(),
                "frameworks": a.frameworks.iter().map(|(f, c)| serde_json::json!({
                    "framework": f,
                    "controls": c,
                })).collect::<Vec<_>>(),
                "evidence": evidence.iter().map(|(l, url)| serde_json::json!({
                    "title": l.title,
                    "url": url,
                    "on_request": l.on_request,
                })).collect::<Vec<_>>(),
                "reviewed": a.reviewed,
                "owner": a.owner,
                "url": url,
            }));
            Row {
                cells: [
                    a.id.clone(),
                    text.question.clone(),
                    text.short.clone(),
                    text.long.clone(),
                    a.topics
                        .iter()
                        .map(|&t| topic_label(t))
                        .collect::<Vec<_>>()
                        .join("; "),
                    a.frameworks
                        .iter()
                        .map(|(f, c)| format!("{f}: {}", c.join(", ")))
                        .collect::<Vec<_>>()
                        .join("; "),
                    evidence
                        .iter()
                        .map(|(l, url)| {
                            if l.on_request {
                                format!("{} ({on_request}) <{url}>", l.title)
                            } else {
                                format!("{} <{url}>", l.title)
                            }
                        })
                        .collect::<Vec<_>>()
                        .join("; "),
                    a.reviewed.to_string(),
                    a.owner.clone(),
                    text_lang.to_owned(),
                    url,
                ],
                reviewed: a.reviewed,
            }
        })
        .collect();
    let [csv_path, xlsx_path, json_path] = rendered.exports.clone();
    let csv = to_csv(&headers, &rows);
    let newest = library.answers.iter().map(|a| a.reviewed).max();
    let xlsx =
        to_xlsx(&headers, &rows, newest, config, locales, lang).map_err(|e| e.to_string())?;
    let manifest = serde_json::json!({
        "generator": generator,
        "site": base,
        "language": lang,
        "page": page_url,
        "answers": json,
    });
    Ok(vec![
        OutputFile::bytes(csv_path, csv.into_bytes()),
        OutputFile::bytes(xlsx_path, xlsx),
        OutputFile::bytes(
            json_path,
            serde_json::to_vec_pretty(&manifest).map_err(|e| e.to_string())?,
        ),
    ])
}

/// A CSV cell: quoted when it must be (RFC 4180), and prefixed with `'` when a spreadsheet would
/// read it as a formula.
fn csv_cell(out: &mut String, value: &str) {
    let risky = value.starts_with(['=', '+', '-', '@', '\t', '\r']);
    let quote = risky || value.contains([',', '"', '\n', '\r']);
    if quote {
        out.push('"');
    }
    if risky {
        out.push('\'');
    }
    for c in value.chars() {
        if c == '"' {
            out.push('"');
        }
        out.push(c);
    }
    if quote {
        out.push('"');
    }
}

fn to_csv(headers: &[String], rows: &[Row]) -> String {
    let mut out = String::with_capacity(rows.len() * 1024);
    out.push('\u{feff}');
    let mut line = |cells: &mut dyn Iterator<Item = &str>| {
        for (i, c) in cells.enumerate() {
            if i > 0 {
                out.push(',');
            }
            csv_cell(&mut out, c);
        }
        out.push_str("\r\n");
    };
    line(&mut headers.iter().map(String::as_str));
    for r in rows {
        line(&mut r.cells.iter().map(String::as_str));
    }
    out
}

fn to_xlsx(
    headers: &[String],
    rows: &[Row],
    newest: Option<NaiveDate>,
    config: &Config,
    locales: &Locales,
    lang: &str,
) -> Result<Vec<u8>, rust_xlsxwriter::XlsxError> {
    use chrono::Datelike;
    use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook};
    let excel_date = |d: NaiveDate| {
        ExcelDateTime::from_ymd(
            u16::try_from(d.year()).unwrap_or(1900),
            u8::try_from(d.month()).unwrap_or(1),
            u8::try_from(d.day()).unwrap_or(1),
        )
    };
    let mut workbook = Workbook::new();
    // The same answers give the same file: the creation date is the newest review's.
    let created = excel_date(
        newest
            .unwrap_or(NaiveDate::MIN.max(NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default())),
    )?;
    let title = locales
        .translate(lang, "answers-export-title", &[])
        .unwrap_or_default();
    workbook.set_properties(
        &DocProperties::new()
            .set_title(title)
            .set_company(config.company.name.clone())
            .set_creation_datetime(&created),
    );
    let bold = Format::new().set_bold();
    let wrap = Format::new().set_text_wrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    let sheet = workbook.add_worksheet();
    let name = locales
        .translate(lang, "answers-sheet-name", &[])
        .unwrap_or_else(|_| "Answers".to_owned());
    sheet.set_name(name)?;
    for (c, h) in headers.iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        sheet.write_string_with_format(0, col, h, &bold)?;
        let width = match c {
            0 | 7 | 9 => 14.0,
            1 | 2 => 40.0,
            3 => 80.0,
            _ => 30.0,
        };
        sheet.set_column_width(col, width)?;
    }
    for (r, row) in rows.iter().enumerate() {
        let at = u32::try_from(r + 1).unwrap_or(u32::MAX);
        for (c, cell) in row.cells.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            if c == 7 {
                sheet.write_date_with_format(at, col, excel_date(row.reviewed)?, &date)?;
            } else if matches!(c, 1..=3) {
                sheet.write_string_with_format(at, col, cell, &wrap)?;
            } else {
                sheet.write_string(at, col, cell)?;
            }
        }
    }
    let last_row = u32::try_from(rows.len()).unwrap_or(u32::MAX);
    let last_col = u16::try_from(headers.len().saturating_sub(1)).unwrap_or(0);
    sheet.autofilter(0, 0, last_row, last_col)?;
    sheet.set_freeze_panes(1, 0)?;
    workbook.save_to_buffer()
}

/// Answers per language for the translation report: how many exist, how many are translated,
/// and the ids of those that are not.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct TranslationCounts {
    /// Answers in the default language.
    pub total: usize,
    /// Of these, answers with a text in this language.
    pub translated: usize,
    /// Ids of the answers without a text in this language.
    pub missing: Vec<String>,
}

/// [`TranslationCounts`] of every language but the default.
pub fn translation_counts(
    library: &Library,
    config: &Config,
) -> BTreeMap<String, TranslationCounts> {
    config
        .languages
        .iter()
        .filter(|l| l.as_str() != config.default_language())
        .map(|lang| {
            let missing: Vec<String> = library
                .answers
                .iter()
                .filter(|a| !a.text.contains_key(lang))
                .map(|a| a.id.clone())
                .collect();
            (
                lang.clone(),
                TranslationCounts {
                    total: library.answers.len(),
                    translated: library.answers.len() - missing.len(),
                    missing,
                },
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn framework_names_become_url_segments() {
        assert_eq!(slug("ISO/IEC 27001:2022"), "iso-iec-27001-2022");
        assert_eq!(slug("CAIQ v4.0.3"), "caiq-v4-0-3");
        assert_eq!(slug("  BSI C5:2020 "), "bsi-c5-2020");
        assert_eq!(slug("§§"), "x");
    }

    #[test]
    fn csv_cells_are_quoted_and_formulas_defused() {
        let mut out = String::new();
        csv_cell(&mut out, "plain");
        out.push('|');
        csv_cell(&mut out, "a, \"b\"\nc");
        out.push('|');
        csv_cell(&mut out, "=HYPERLINK(\"x\")");
        assert_eq!(out, "plain|\"a, \"\"b\"\"\nc\"|\"'=HYPERLINK(\"\"x\"\")\"");
    }
}
