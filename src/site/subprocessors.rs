//! The subprocessor list (GDPR Art. 28) from `content/_data/subprocessors.yaml`: validated, and
//! its change log published as an Atom feed per language beside the page that shows the list, so
//! that customers can be notified of changes.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use atom_syndication::{Entry, Feed, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};
use serde::Deserialize;

use crate::error::Diagnostic;
use crate::site::config::{Config, yaml_message};
use crate::site::content::Site;
use crate::site::i18n::{Arg, Locales};

/// The data file, relative to the site root.
pub const DATA_FILE: &str = "content/_data/subprocessors.yaml";
/// The template that shows the list; pages using it get a `feed.xml` beside them.
pub const TEMPLATE: &str = "subprocessors.html";

/// The whole data file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subprocessors {
    /// The current subprocessors.
    pub subprocessors: Vec<Subprocessor>,
    /// The change log, newest first.
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One subprocessor.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Subprocessor {
    /// Company name.
    pub name: String,
    /// What it does for us, per language.
    pub purpose: BTreeMap<String, String>,
    /// Where it processes data, per language.
    pub location: BTreeMap<String, String>,
    /// Transfer mechanism (adequacy decision, SCCs, none), per language.
    pub transfer: BTreeMap<String, String>,
    /// Engaged since.
    pub since: NaiveDate,
}

/// What happened in a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A subprocessor was engaged.
    Added,
    /// A subprocessor was removed.
    Removed,
    /// Something about a subprocessor changed.
    Changed,
}

impl ChangeKind {
    fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Added => "added",
            ChangeKind::Removed => "removed",
            ChangeKind::Changed => "changed",
        }
    }
}

/// One entry of the change log.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// When.
    pub date: NaiveDate,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Which subprocessor.
    pub name: String,
    /// What changed, per language.
    pub description: BTreeMap<String, String>,
}

/// Reads and checks the data file, if the site has one.
pub fn load(root: &Path, config: &Config) -> Result<Option<Subprocessors>, Vec<Diagnostic>> {
    let path = root.join(DATA_FILE);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => {
            return Err(vec![Diagnostic::error(
                PathBuf::from(DATA_FILE),
                format!("cannot read the file: {e}"),
            )]);
        }
    };
    let data: Subprocessors = serde_yaml::from_str(&text).map_err(|e| {
        let d = Diagnostic::error(
            PathBuf::from(DATA_FILE),
            format!("the subprocessor list is not valid: {}", yaml_message(&e)),
        )
        .with_hint(
            "Each subprocessor needs `name`, `purpose`, `location`, `transfer` (each per language) \
             and `since` (YYYY-MM-DD); each change `date`, `kind` (added, removed, changed), `name` \
             and `description`.",
        );
        vec![match e.location() {
            Some(l) => d.at(l.line(), l.column()),
            None => d,
        }]
    })?;
    let mut problems = Vec::new();
    let line_of = |needle: &str| {
        text.lines()
            .position(|l| l.contains(needle))
            .map_or(1, |i| i + 1)
    };
    let mut check = |name: &str, field: &str, map: &BTreeMap<String, String>| {
        for lang in &config.languages {
            if map.get(lang).is_none_or(|v| v.trim().is_empty()) {
                problems.push(
                    Diagnostic::error(
                        PathBuf::from(DATA_FILE),
                        format!("`{name}`: `{field}` has no text for `{lang}`"),
                    )
                    .at_line(line_of(name))
                    .with_hint(format!("Add `{lang}: …` under `{field}`.")),
                );
            }
        }
    };
    for s in &data.subprocessors {
        check(&s.name, "purpose", &s.purpose);
        check(&s.name, "location", &s.location);
        check(&s.name, "transfer", &s.transfer);
    }
    for c in &data.changes {
        check(&c.name, "description", &c.description);
    }
    for pair in data.changes.windows(2) {
        if pair[1].date > pair[0].date {
            problems.push(
                Diagnostic::error(
                    PathBuf::from(DATA_FILE),
                    format!(
                        "the change of {} ({}) is listed below an older one",
                        pair[1].date, pair[1].name
                    ),
                )
                .at_line(line_of(&pair[1].date.to_string()))
                .with_hint("List changes newest first: add new entries at the top of `changes`."),
            );
        }
    }
    if problems.is_empty() {
        Ok(Some(data))
    } else {
        Err(problems)
    }
}

/// The Atom feed of the change log in `lang`, for the page at output path `page_path`.
pub fn feed(
    data: &Subprocessors,
    config: &Config,
    site: &Site,
    locales: &Locales,
    lang: &str,
    page_key: &str,
) -> Result<(String, String), String> {
    let page = site
        .get(page_key, lang)
        .ok_or_else(|| format!("no page {page_key} in {lang}"))?;
    let base = config.base_url();
    let page_url = format!("{base}/{}", page.path);
    let feed_path = format!("{}feed.xml", page.path);
    let feed_url = format!("{base}/{feed_path}");
    let midnight = |d: NaiveDate| {
        Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
            .fixed_offset()
    };
    let title = locales.translate(
        lang,
        "sub-feed-title",
        &[("title".into(), Arg::Str(page.title.clone()))],
    )?;
    let mut feed = Feed::default();
    feed.set_title(Text::plain(title));
    feed.set_id(feed_url.clone());
    feed.set_lang(Some(lang.to_owned()));
    let newest = data
        .changes
        .iter()
        .map(|c| c.date)
        .max()
        .or(page.meta.updated)
        .unwrap_or_default();
    feed.set_updated(midnight(newest));
    let mut author = Person::default();
    author.set_name(config.company.name.clone());
    feed.set_authors(vec![author]);
    let mut self_link = Link::default();
    self_link.set_href(feed_url.clone());
    self_link.set_rel("self");
    self_link.set_mime_type(Some("application/atom+xml".to_owned()));
    let mut alternate = Link::default();
    alternate.set_href(page_url.clone());
    alternate.set_rel("alternate");
    alternate.set_mime_type(Some("text/html".to_owned()));
    alternate.set_hreflang(Some(lang.to_owned()));
    feed.set_links(vec![self_link, alternate.clone()]);
    let mut entries = Vec::with_capacity(data.changes.len());
    for (i, c) in data.changes.iter().enumerate() {
        let title = locales.translate(
            lang,
            &format!("sub-change-{}", c.kind.as_str()),
            &[("name".into(), Arg::Str(c.name.clone()))],
        )?;
        let mut entry = Entry::default();
        entry.set_title(Text::plain(title));
        // Stable ids: the change's date, kind and position counted from the oldest.
        let n = data.changes.len() - i;
        entry.set_id(format!(
            "{feed_url}#change-{}-{}-{n}",
            c.date,
            c.kind.as_str()
        ));
        entry.set_updated(midnight(c.date));
        entry.set_published(Some(midnight(c.date)));
        entry.set_summary(c.description.get(lang).map(|d| Text::plain(d.clone())));
        entry.set_links(vec![alternate.clone()]);
        entries.push(entry);
    }
    feed.set_entries(entries);
    Ok((feed_path, feed.to_string()))
}
