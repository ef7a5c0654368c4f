//! What a build publishes that subscribers are told about (issue 19): the portal's
//! `candor notify` compares this list with what it announced before, so the generator only says
//! what is published on a day, never what was mailed.
//!
//! Each [`Item`] has a stable key (what the portal records as announced) and a digest of its
//! content: subprocessor changes announced by the day (key: [`Change::id`]), every version of
//! every document (key: document id and version), every advisory revision (key: tracking id
//! and version) and every page of the `updates` section. Titles and absolute page URLs are given
//! per language, so that the portal needs nothing else of the build.

use std::collections::BTreeMap;
use std::path::Path;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::site::build::Generated;
use crate::site::content::PageKind;
use crate::site::subprocessors::{self, Change};

/// The topics, as subscriptions name them.
pub const TOPICS: [&str; 4] = ["subprocessors", "documents", "advisories", "updates"];

/// The section whose pages are the trust center's updates.
pub const UPDATES_DIR: &str = "updates/";

/// One thing the site publishes that subscribers of `topic` are told about.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Item {
    /// `subprocessors`, `documents`, `advisories` or `updates`.
    pub topic: String,
    /// Stable key, unique within the topic (e.g. `2027-01-11-added-example-shield-gmbh`,
    /// `dpa/3.1`, `EXAMPLE-SA-2026-002/2`, `updates/2026-12-01-x.md`).
    pub key: String,
    /// For documents: the document's id (subscriptions may name documents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document: Option<String>,
    /// SHA-256 (hex) of what the item says, for the record.
    pub digest: String,
    /// The item's date (announcement, version date, release, page date).
    pub date: NaiveDate,
    /// The day it takes effect (subprocessor changes, document versions).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// The last day to object (subprocessor additions and changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub objection_deadline: Option<NaiveDate>,
    /// Whether a subscriber can still act on it today (an upcoming subprocessor change).
    pub actionable: bool,
    /// What it is, per language (one line).
    pub titles: BTreeMap<String, String>,
    /// What changes, per language (may be empty).
    pub details: BTreeMap<String, String>,
    /// The absolute URL of its page, per language.
    pub urls: BTreeMap<String, String>,
}

fn digest(parts: &[&str]) -> String {
    crate::site::render::assets::sha256_hex(parts.join("\u{1f}").as_bytes())
}

/// Every item `generated` (a build of the site at `root` on `today`) publishes, in a stable
/// order (by topic, then date, then key).
pub fn items(root: &Path, generated: &Generated, today: NaiveDate) -> Vec<Item> {
    let config = &generated.config;
    let site = &generated.site;
    let base = config.base_url();
    let url = |key: &str, lang: &str| {
        site.get(key, lang)
            .map(|p| format!("{base}/{}", p.path.trim_start_matches('/')))
    };
    let urls_of = |key: &str| -> BTreeMap<String, String> {
        config
            .languages
            .iter()
            .filter_map(|l| Some((l.clone(), url(key, l)?)))
            .collect()
    };
    let titles_of = |key: &str| -> BTreeMap<String, String> {
        config
            .languages
            .iter()
            .filter_map(|l| Some((l.clone(), site.get(key, l)?.title.clone())))
            .collect()
    };
    let mut out = Vec::new();

    // Subprocessor changes announced by today, linked to the page that lists them.
    if let Ok(Some(data)) = subprocessors::load(root, config, today) {
        let page = site
            .pages
            .iter()
            .find(|p| p.meta.template.as_deref() == Some(subprocessors::TEMPLATE))
            .map(|p| p.key.clone());
        let urls = page.as_deref().map(urls_of).unwrap_or_default();
        for c in data.changes.iter().filter(|c| c.announced(today)) {
            out.push(change_item(c, today, &urls, &config.languages));
        }
    }

    // Every version of every document.
    for doc in &generated.docs.list {
        let titles = titles_of(&doc.key);
        let urls = urls_of(&doc.key);
        for v in &doc.versions {
            let notes: Vec<&str> = v.notes.values().map(String::as_str).collect();
            out.push(Item {
                topic: "documents".into(),
                key: format!("{}/{}", doc.id, v.version),
                document: Some(doc.id.clone()),
                digest: digest(&[&doc.id, &v.version, &v.date.to_string(), &notes.join("\n")]),
                date: v.date,
                effective: Some(v.date),
                objection_deadline: None,
                actionable: false,
                titles: titles
                    .iter()
                    .map(|(l, t)| (l.clone(), format!("{t} {}", v.version)))
                    .collect(),
                details: v.notes.clone().into_iter().collect(),
                urls: urls.clone(),
            });
        }
    }

    // Every advisory revision (tracking id and version).
    let (advisories, _) = crate::site::advisories::load(root, site, config);
    for a in &advisories.list {
        let tracking = &a.document["document"]["tracking"];
        let version = tracking["version"].as_str().unwrap_or("1").to_owned();
        let (titles, urls) = match &a.key {
            Some(key) => (titles_of(key), urls_of(key)),
            None => (BTreeMap::new(), BTreeMap::new()),
        };
        let titles = if titles.is_empty() {
            config
                .languages
                .iter()
                .map(|l| (l.clone(), a.title.clone()))
                .collect()
        } else {
            titles
        };
        out.push(Item {
            topic: "advisories".into(),
            key: format!("{}/{version}", a.id),
            document: None,
            digest: crate::site::render::assets::sha256_hex(&a.json),
            date: a.current.date_naive(),
            effective: None,
            objection_deadline: None,
            actionable: false,
            titles: titles
                .into_iter()
                .map(|(l, t)| (l, format!("{}: {t}", a.id)))
                .collect(),
            details: BTreeMap::new(),
            urls,
        });
    }

    // Pages of the updates section.
    let default = config.default_language();
    for p in site.pages.iter().filter(|p| {
        p.lang == default && p.key.starts_with(UPDATES_DIR) && p.kind != PageKind::Section
    }) {
        let descriptions: BTreeMap<String, String> = config
            .languages
            .iter()
            .filter_map(|l| {
                let page = site.get(&p.key, l)?;
                Some((l.clone(), page.meta.description.clone()?))
            })
            .collect();
        out.push(Item {
            topic: "updates".into(),
            key: p.key.clone(),
            document: None,
            digest: digest(&[&p.key, &p.raw]),
            date: p.meta.date.or(p.meta.updated).unwrap_or(today),
            effective: None,
            objection_deadline: None,
            actionable: false,
            titles: titles_of(&p.key),
            details: descriptions,
            urls: urls_of(&p.key),
        });
    }
    out.sort_by(|a, b| (&a.topic, a.date, &a.key).cmp(&(&b.topic, b.date, &b.key)));
    out
}

fn change_item(
    c: &Change,
    today: NaiveDate,
    urls: &BTreeMap<String, String>,
    languages: &[String],
) -> Item {
    let description: Vec<&str> = c.description.values().map(String::as_str).collect();
    Item {
        topic: "subprocessors".into(),
        key: c.id(),
        document: None,
        digest: digest(&[&c.id(), &c.date.to_string(), &description.join("\n")]),
        date: c.date,
        effective: Some(c.effective_date()),
        objection_deadline: c.objection_deadline(),
        actionable: c.upcoming(today),
        titles: languages
            .iter()
            .map(|l| (l.clone(), c.name.clone()))
            .collect(),
        details: c.description.clone().into_iter().collect(),
        urls: urls.clone(),
    }
}

/// The kind of a subprocessor change item (`added`, `removed`, `changed`), from its key.
pub fn change_kind(key: &str) -> Option<&'static str> {
    let rest = key.get(11..)?;
    ["added", "removed", "changed"]
        .into_iter()
        .find(|k| rest.starts_with(&format!("{k}-")))
}
