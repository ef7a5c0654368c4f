//! Translation tracking: which pages are missing in a language, which translations are older than
//! their source, and which UI strings are missing or unused.
//!
//! A translation records the hash of the source it was made from in its front matter
//! (`translated_from: 3f2a9c1b0d4e5f60`). The hash covers the source's title, description and body,
//! so re-ordering (`weight`) or re-dating (`updated`) the source does not make translations stale,
//! but any change of its text does.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::Diagnostic;
use crate::site::config::Config;
use crate::site::content::{Page, Site};
use crate::site::i18n::Locales;
use crate::site::render::assets::sha256_hex;

/// The hash a translation records: the first 16 hex digits of SHA-256 over the source's title,
/// description and body (line endings normalized).
pub fn source_hash(page: &Page) -> String {
    let text = format!(
        "{}\n{}\n{}",
        page.title,
        page.meta.description.as_deref().unwrap_or(""),
        page.body().replace("\r\n", "\n").trim()
    );
    sha256_hex(text.as_bytes())[..16].to_owned()
}

/// The state of one page in one language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "lowercase")]
pub enum State {
    /// Translated from the current source.
    Current,
    /// The source changed after the translation was made.
    Stale {
        /// The hash the translation records.
        recorded: String,
        /// The source's hash now.
        current: String,
    },
    /// The translation records no source hash.
    Untracked,
    /// There is no translation.
    Missing,
}

/// One page's translation into one language.
#[derive(Debug, Clone, Serialize)]
pub struct Entry {
    /// The source file (default language).
    pub source: PathBuf,
    /// The translation's file (existing or expected).
    pub translation: PathBuf,
    /// Its state.
    #[serde(flatten)]
    pub state: State,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    /// Per language other than the default: every page's state.
    pub languages: BTreeMap<String, Vec<Entry>>,
    /// Per language: UI string keys other languages define and this one lacks.
    pub missing_keys: BTreeMap<String, Vec<String>>,
    /// UI string keys no template or code uses.
    pub unused_keys: Vec<String>,
    /// Per language other than the default: the questionnaire answers and how many of them are
    /// translated (empty when the site has no answer library).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub answers: BTreeMap<String, crate::site::answers::TranslationCounts>,
}

impl Report {
    /// Number of entries in `lang` with a state like `state`.
    pub fn count(&self, lang: &str, pred: impl Fn(&State) -> bool) -> usize {
        self.languages
            .get(lang)
            .map_or(0, |v| v.iter().filter(|e| pred(&e.state)).count())
    }
}

/// UI strings that Candor's code (not the templates) uses, and prefixes of keys that templates
/// build from data (`"doc-category-" ~ category`).
const CODE_KEYS: &[&str] = &[
    "language-name",
    "anchor-label",
    "date-long",
    "decimal-separator",
    "search-slug",
    "sub-feed-title",
    // The updates section's feed title (`site::feeds`).
    "updates-feed-title",
];
const CODE_PREFIXES: &[&str] = &[
    "month-",
    "language-",
    "sub-change-",
    "portal-",
    "mail-",
    "agreement-",
    // Advisory feeds and severities (`site::advisories::provider`).
    "adv-",
    // Certification statuses (`site::compliance`) and the answers' labels and exports
    // (`site::answers`).
    "compliance-status-",
    "answers-",
    // The admin console (`portal::admin`).
    "admin-",
    // Subscriptions (`portal::subscribe`).
    "subscribe-",
    // Objections to subprocessor changes (`portal::objection`).
    "objection-",
];

/// Keys a template uses: literal `key="…"` and prefixes of `key="…" ~ …`.
fn template_keys(text: &str) -> (BTreeSet<String>, BTreeSet<String>) {
    let mut keys = BTreeSet::new();
    let mut prefixes = BTreeSet::new();
    for quote in ['"', '\''] {
        let marker = format!("key={quote}");
        let mut rest = text;
        while let Some(i) = rest.find(&marker) {
            rest = &rest[i + marker.len()..];
            let Some(end) = rest.find(quote) else { break };
            let key = &rest[..end];
            let after = rest[end + 1..].trim_start();
            if after.starts_with('~') {
                prefixes.insert(key.to_owned());
            } else {
                keys.insert(key.split('.').next().unwrap_or(key).to_owned());
            }
            rest = &rest[end + 1..];
        }
    }
    (keys, prefixes)
}

/// Builds the report for a loaded site. `templates` are the template sources in use.
pub fn report(site: &Site, config: &Config, locales: &Locales, templates: &[String]) -> Report {
    let default = config.default_language();
    let mut languages: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for lang in config.languages.iter().filter(|l| l.as_str() != default) {
        let mut entries = Vec::new();
        let mut keys: Vec<&String> = site.by_key.keys().collect();
        keys.sort();
        for key in keys {
            let Some(source) = site.get(key, default) else {
                continue;
            };
            let expected = translation_path(&source.source, default, lang, config);
            let (translation, state) = match site.get(key, lang) {
                None => (expected, State::Missing),
                Some(t) => {
                    let state = match &t.meta.translated_from {
                        None => State::Untracked,
                        Some(recorded) => {
                            let current = source_hash(source);
                            if *recorded == current {
                                State::Current
                            } else {
                                State::Stale {
                                    recorded: recorded.clone(),
                                    current,
                                }
                            }
                        }
                    };
                    (t.source.clone(), state)
                }
            };
            entries.push(Entry {
                source: source.source.clone(),
                translation,
                state,
            });
        }
        languages.insert(lang.clone(), entries);
    }

    let mut missing_keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let all: BTreeSet<&String> = locales.keys().values().flat_map(|k| k.keys()).collect();
    for lang in &config.languages {
        let defined = locales.keys().get(lang);
        let missing: Vec<String> = all
            .iter()
            .filter(|k| defined.is_none_or(|d| !d.contains_key(**k)))
            .map(|k| (*k).clone())
            .collect();
        if !missing.is_empty() {
            missing_keys.insert(lang.clone(), missing);
        }
    }
    let mut used = BTreeSet::new();
    let mut prefixes: BTreeSet<String> = CODE_PREFIXES.iter().map(|p| (*p).to_owned()).collect();
    for text in templates {
        let (k, p) = template_keys(text);
        used.extend(k);
        prefixes.extend(p);
    }
    let unused_keys = all
        .into_iter()
        .filter(|k| {
            !k.starts_with('-')
                && !used.contains(*k)
                && !CODE_KEYS.contains(&k.as_str())
                && !prefixes.iter().any(|p| k.starts_with(p.as_str()))
        })
        .cloned()
        .collect();
    Report {
        languages,
        missing_keys,
        unused_keys,
        answers: BTreeMap::new(),
    }
}

/// One warning per translation whose source changed since it was made (fails `check --strict`).
pub fn stale_warnings(site: &Site, config: &Config) -> Vec<Diagnostic> {
    stale_warnings_with(site, config, |_| None)
}

/// The pages (indexes into `site.pages`) whose [`source_hash`] [`stale_warnings`] needs: the
/// sources of translations that record one.
pub(crate) fn tracked_sources(site: &Site, config: &Config) -> Vec<usize> {
    let default = config.default_language();
    let mut out: Vec<usize> = site
        .pages
        .iter()
        .filter(|t| t.lang != default && t.meta.translated_from.is_some())
        .filter_map(|t| site.by_key.get(&t.key)?.get(default).copied())
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// [`stale_warnings`] with the source hashes that `known` gives by page index (those it does
/// not know are computed).
pub(crate) fn stale_warnings_with<'a>(
    site: &Site,
    config: &Config,
    known: impl Fn(usize) -> Option<&'a str>,
) -> Vec<Diagnostic> {
    let default = config.default_language();
    site.pages
        .iter()
        .filter(|p| p.lang != default)
        .filter_map(|t| {
            let recorded = t.meta.translated_from.as_ref()?;
            let index = *site.by_key.get(&t.key)?.get(default)?;
            let source = &site.pages[index];
            let current = known(index).map_or_else(|| source_hash(source), str::to_owned);
            (*recorded != current).then(|| {
                Diagnostic::warning(
                    t.source.clone(),
                    format!(
                        "the translation is out of date: {} changed since it was translated",
                        source.source.display()
                    ),
                )
                .at_line(t.line_of("translated_from"))
                .with_hint(format!(
                    "Update the translation, then run `candor translations --mark-current {}`.",
                    t.source.display()
                ))
            })
        })
        .collect()
}

/// Records the current source hash in the translation at `path` (relative to `root` or absolute)
/// by adding or replacing its `translated_from:` line; returns the hash.
pub fn mark_current(
    root: &Path,
    site: &Site,
    config: &Config,
    path: &Path,
) -> Result<String, String> {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let page = site
        .pages
        .iter()
        .find(|p| p.source == rel)
        .ok_or_else(|| format!("{} is not a page of this site", rel.display()))?;
    if page.lang == config.default_language() {
        return Err(format!(
            "{} is in the default language; mark its translations instead (e.g. {})",
            rel.display(),
            translation_path(&page.source, &page.lang, "de", config).display()
        ));
    }
    let source = site
        .get(&page.key, config.default_language())
        .ok_or_else(|| {
            format!(
                "{} has no source page in the default language",
                rel.display()
            )
        })?;
    let hash = source_hash(source);
    let file = root.join(&page.source);
    let text = std::fs::read_to_string(&file)
        .map_err(|e| format!("cannot read {}: {e}", rel.display()))?;
    let split = crate::site::content::frontmatter::split(&text)
        .map_err(|e| format!("{}: {e}", rel.display()))?;
    let line = format!("translated_from: {hash}");
    let mut yaml = String::new();
    let mut replaced = false;
    for l in split.yaml.split_inclusive('\n') {
        if l.starts_with("translated_from:") {
            yaml.push_str(&line);
            yaml.push_str(if l.ends_with("\r\n") { "\r\n" } else { "\n" });
            replaced = true;
        } else {
            yaml.push_str(l);
        }
    }
    if !replaced {
        if !yaml.is_empty() && !yaml.ends_with('\n') {
            yaml.push('\n');
        }
        yaml.push_str(&line);
        yaml.push('\n');
    }
    let yaml_start = split.yaml.as_ptr() as usize - text.as_ptr() as usize;
    let yaml_end = yaml_start + split.yaml.len();
    let updated = format!("{}{yaml}{}", &text[..yaml_start], &text[yaml_end..]);
    // Write beside and rename, so an interrupted write never leaves half a page.
    let tmp = file.with_extension("md.candor-tmp");
    std::fs::write(&tmp, updated).map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
    std::fs::rename(&tmp, &file).map_err(|e| format!("cannot write {}: {e}", rel.display()))?;
    Ok(hash)
}

/// The file a translation of `source` into `lang` is expected at (`gdpr.md` → `gdpr.de.md`).
pub fn translation_path(source: &Path, source_lang: &str, lang: &str, config: &Config) -> PathBuf {
    let name = source.file_name().unwrap_or_default().to_string_lossy();
    let stem = name.strip_suffix(".md").unwrap_or(&name);
    let base = stem
        .strip_suffix(&format!(".{source_lang}"))
        .unwrap_or(stem);
    let file = if lang == config.default_language() {
        format!("{base}.md")
    } else {
        format!("{base}.{lang}.md")
    };
    source.with_file_name(file)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn template_keys_finds_literals_and_prefixes() {
        let (keys, prefixes) = template_keys(
            r#"{{ t(key="a") }} {{ t(key='b.attr', x=1) }} {{ t(key="doc-" ~ d.kind) }}"#,
        );
        assert_eq!(keys.into_iter().collect::<Vec<_>>(), ["a", "b"]);
        assert_eq!(prefixes.into_iter().collect::<Vec<_>>(), ["doc-"]);
    }
}
