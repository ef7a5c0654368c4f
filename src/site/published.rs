//! What a successful build publishes for the portal: the documents it gates or lets customers
//! conclude online (with their titles and page URLs), the portal's page frame per language, the
//! NDA text, the UI strings, the site's languages and URL prefix, and the subprocessor change
//! log (the changes customers may object to).
//!
//! This is the one interface between the generator and the portal: the portal never reads the
//! build's model ([`crate::site::build::Model`]) or its output list, only a [`Published`].

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::site::config::Config;
use crate::site::content::Site;
use crate::site::documents::{Access, Document, Documents};
use crate::site::i18n::Locales;
use crate::site::render::{PORTAL_SHELL_DIR, assets::sha256_hex};
use crate::site::subprocessors::Change;

/// A document the portal serves (gated or NDA) or concludes online (`signable: true`).
#[derive(Debug, Clone)]
pub struct GatedDocument {
    /// The document (versions, files with their source paths relative to the site root).
    pub doc: Document,
    /// Title per language.
    pub titles: HashMap<String, String>,
    /// URL of its page per language.
    pub urls: HashMap<String, String>,
}

impl GatedDocument {
    /// The title in `lang`, or in any language.
    pub fn title(&self, lang: &str) -> &str {
        self.titles
            .get(lang)
            .or_else(|| self.titles.values().next())
            .map_or(self.doc.id.as_str(), String::as_str)
    }
}

/// The NDA in one language.
#[derive(Debug, Clone)]
pub struct Nda {
    /// Its text as HTML.
    pub html: String,
    /// Version (front matter `extra.version`, else its `updated` date).
    pub version: String,
    /// SHA-256 (hex) of its Markdown source.
    pub sha256: String,
}

/// What the portal needs of a build (see the module documentation).
#[derive(Debug)]
pub struct Published {
    /// Site root (file paths are relative to it).
    pub root: PathBuf,
    /// Languages, default first.
    pub languages: Vec<String>,
    /// Default language.
    pub default_lang: String,
    /// The site's URL path prefix (`""` or `/trust`), for links to its pages and files.
    pub url_prefix: String,
    /// Documents that are gated, NDA or signable, in the registry's order.
    pub documents: Vec<GatedDocument>,
    /// Every document of the registry (id, title per language), in the registry's order: what
    /// a subscription to new document versions may name.
    pub all_documents: Vec<(String, HashMap<String, String>)>,
    /// The portal's page frame per language (with the title and body markers of
    /// [`crate::site::render::PORTAL_TITLE`] and [`crate::site::render::PORTAL_BODY`]).
    pub shells: HashMap<String, String>,
    /// The NDA per language.
    pub nda: HashMap<String, Nda>,
    /// UI strings.
    pub locales: Arc<Locales>,
    /// The subprocessor change log as written (every change, announced or not: the portal
    /// decides by the day of each request), for the objection form.
    pub subprocessor_changes: Vec<Change>,
}

impl Published {
    /// Collects what a build made; `file` gives an output file's text by path (the page frames
    /// under [`PORTAL_SHELL_DIR`]).
    pub fn new(
        root: &Path,
        config: &Config,
        site: &Site,
        docs: &Documents,
        subprocessor_changes: &[Change],
        locales: Arc<Locales>,
        file: impl Fn(&str) -> Option<String>,
    ) -> Published {
        let mut documents = Vec::new();
        let all_documents = docs
            .list
            .iter()
            .map(|doc| {
                let titles = config
                    .languages
                    .iter()
                    .filter_map(|lang| {
                        Some((lang.clone(), site.get(&doc.key, lang)?.title.clone()))
                    })
                    .collect();
                (doc.id.clone(), titles)
            })
            .collect();
        for doc in &docs.list {
            if doc.access == Access::Public && !doc.signable {
                continue;
            }
            let mut titles = HashMap::new();
            let mut urls = HashMap::new();
            for lang in &config.languages {
                if let Some(p) = site.get(&doc.key, lang) {
                    titles.insert(lang.clone(), p.title.clone());
                }
                if let Some(path) = site.path_of(&doc.key, lang) {
                    urls.insert(lang.clone(), format!("{}/{path}", config.url_prefix()));
                }
            }
            documents.push(GatedDocument {
                doc: doc.clone(),
                titles,
                urls,
            });
        }
        let shells = config
            .languages
            .iter()
            .filter_map(|lang| {
                Some((
                    lang.clone(),
                    file(&format!("{PORTAL_SHELL_DIR}{lang}.html"))?,
                ))
            })
            .collect();
        let mut nda = HashMap::new();
        if let Some(link) = config.portal.as_ref().and_then(|p| p.nda.as_deref()) {
            let key = link.trim_start_matches("@/");
            for lang in &config.languages {
                let Some(page) = site
                    .get(key, lang)
                    .or_else(|| site.get(key, config.default_language()))
                else {
                    continue;
                };
                let body = page.body();
                let mut html = String::new();
                pulldown_cmark::html::push_html(
                    &mut html,
                    pulldown_cmark::Parser::new_ext(body, pulldown_cmark::Options::ENABLE_TABLES),
                );
                let version = page
                    .meta
                    .extra
                    .get("version")
                    .and_then(|v| {
                        v.as_str()
                            .map(str::to_owned)
                            .or_else(|| Some(v.to_string()))
                    })
                    .or_else(|| page.meta.updated.map(|d| d.to_string()))
                    .unwrap_or_else(|| "1".to_owned());
                nda.insert(
                    lang.clone(),
                    Nda {
                        html,
                        version,
                        sha256: sha256_hex(body.as_bytes()),
                    },
                );
            }
        }
        let mut languages = config.languages.clone();
        languages.sort_by_key(|l| l != config.default_language());
        Published {
            root: root.to_owned(),
            languages,
            default_lang: config.default_language().to_owned(),
            url_prefix: config.url_prefix().to_owned(),
            documents,
            all_documents,
            shells,
            nda,
            locales,
            subprocessor_changes: subprocessor_changes.to_vec(),
        }
    }
}
