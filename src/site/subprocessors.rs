//! The subprocessor list (GDPR Art. 28) from `content/_data/subprocessors.yaml`: validated, and
//! its change log published as an Atom feed per language beside the page that shows the list, so
//! that customers can be notified of changes.
//!
//! Planned changes: a change may carry `effective: DATE` besides its announcement `date`. The
//! build's day (`now`) decides what a page shows, so that a daily build moves a change into the
//! register on the day it takes effect:
//!
//! - a change is *announced* from its `date` on; before that it is published nowhere;
//! - it is *in force* from its effective date (`effective`, or `date` when it has none) on;
//! - announced but not yet in force, it is *upcoming*: listed under "Upcoming changes" with its
//!   effective date and, for additions and changes, the objection deadline, the day before it
//!   takes effect ([`objection_deadline`]);
//! - the register lists a subprocessor whose `added` change is in force (an upcoming addition's
//!   entry is written in full in `subprocessors`, without `since`: its `since` is the change's
//!   effective date), drops one whose `removed` change is in force, and shows a `changed` change's
//!   new `purpose`, `location` or `transfer` (written on the change) from its effective date.
//!
//! [`load`] checks the notice (`subprocessors.notice_days` in site.yaml, from `date` to
//! `effective`), effective dates before announcements, and two upcoming changes to one
//! subprocessor (their order would be undecided).

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use atom_syndication::{Entry, Feed, Link, Person, Text};
use chrono::{NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

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
    /// The subprocessors: the current ones, and those whose planned addition or removal has not
    /// taken effect yet.
    pub subprocessors: Vec<Subprocessor>,
    /// The change log, newest (announcement `date`) first.
    #[serde(default)]
    pub changes: Vec<Change>,
}

/// One subprocessor.
#[derive(Debug, Clone, Deserialize, Serialize)]
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
    /// Engaged since; left out when its `added` change has an `effective` date, which is then
    /// the one source of this date.
    #[serde(default)]
    pub since: Option<NaiveDate>,
}

/// What happened in a change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
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
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Change {
    /// When it was announced.
    pub date: NaiveDate,
    /// When it takes effect, when that is later than its announcement.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub effective: Option<NaiveDate>,
    /// Added, removed or changed.
    pub kind: ChangeKind,
    /// Which subprocessor.
    pub name: String,
    /// What changed, per language.
    pub description: BTreeMap<String, String>,
    /// A `changed` change's new purpose, per language, shown from its effective date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<BTreeMap<String, String>>,
    /// A `changed` change's new location, per language, shown from its effective date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<BTreeMap<String, String>>,
    /// A `changed` change's new transfer mechanism, per language, shown from its effective date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transfer: Option<BTreeMap<String, String>>,
}

impl Change {
    /// The day it takes effect: `effective`, or its announcement `date`.
    pub fn effective_date(&self) -> NaiveDate {
        self.effective.unwrap_or(self.date)
    }

    /// Whether it has been announced by `today`.
    pub fn announced(&self, today: NaiveDate) -> bool {
        self.date <= today
    }

    /// Whether it is in force on `today`.
    pub fn in_force(&self, today: NaiveDate) -> bool {
        self.effective_date() <= today
    }

    /// Announced, but not yet in force.
    pub fn upcoming(&self, today: NaiveDate) -> bool {
        self.announced(today) && !self.in_force(today)
    }

    /// A stable name for the change, used in URLs and by the portal (notices, objections):
    /// `<effective date>-<kind>-<name as ASCII slug>`, e.g. `2027-01-11-added-example-shield-gmbh`.
    /// `check` refuses two pending changes to one subprocessor, so the name is unique among
    /// the changes a customer can still object to.
    pub fn id(&self) -> String {
        format!(
            "{}-{}-{}",
            self.effective_date(),
            self.kind.as_str(),
            crate::site::answers::slug(&self.name)
        )
    }

    /// The last day customers may object, for changes that can be objected to (not removals).
    pub fn objection_deadline(&self) -> Option<NaiveDate> {
        match self.kind {
            ChangeKind::Removed => None,
            _ => self.effective.map(objection_deadline),
        }
    }
}

/// The last day to object to a change that takes effect on `effective`: the day before, since
/// objections are possible until the change takes effect.
pub fn objection_deadline(effective: NaiveDate) -> NaiveDate {
    effective.pred_opt().unwrap_or(effective)
}

/// The days of notice a change announced on `date` and taking effect on `effective` gives, when
/// they are fewer than `notice_days`.
pub fn short_notice(date: NaiveDate, effective: NaiveDate, notice_days: u32) -> Option<i64> {
    let days = (effective - date).num_days();
    (days < i64::from(notice_days)).then_some(days)
}

/// Where each item of the top-level list `key` starts and ends in `text` (1-based lines, end
/// exclusive), for block-style YAML; empty when the list is written another way.
fn item_lines(text: &str, key: &str) -> Vec<(usize, usize)> {
    let lines: Vec<&str> = text.lines().collect();
    let Some(start) = lines
        .iter()
        .position(|l| l.strip_prefix(key).is_some_and(|r| r.starts_with(':')))
    else {
        return Vec::new();
    };
    let mut items: Vec<(usize, usize)> = Vec::new();
    let mut indent = None;
    let mut end = lines.len();
    for (i, line) in lines.iter().enumerate().skip(start + 1) {
        let trimmed = line.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let this = line.len() - trimmed.len();
        if this == 0 && !trimmed.starts_with('-') {
            end = i;
            break;
        }
        if trimmed.starts_with("- ") || trimmed == "-" {
            let first = *indent.get_or_insert(this);
            if this == first {
                items.push((i + 1, 0));
            }
        }
    }
    let starts: Vec<usize> = items.iter().map(|i| i.0).collect();
    for (k, item) in items.iter_mut().enumerate() {
        item.1 = starts.get(k + 1).copied().unwrap_or(end + 1);
    }
    items
}

/// The line of `field:` inside the item at `item` (from [`item_lines`]), else the item's first.
fn field_line(text: &str, item: Option<&(usize, usize)>, field: &str) -> usize {
    let Some(&(start, end)) = item else {
        return 1;
    };
    text.lines()
        .enumerate()
        .skip(start - 1)
        .take(end - start)
        .find(|(_, l)| {
            let t = l.trim_start();
            let t = t.strip_prefix("- ").unwrap_or(t).trim_start();
            t.strip_prefix(field).is_some_and(|r| r.starts_with(':'))
        })
        .map_or(start, |(i, _)| i + 1)
}

/// Reads and checks the data file, if the site has one, for a build on `today`.
pub fn load(
    root: &Path,
    config: &Config,
    today: NaiveDate,
) -> Result<Option<Subprocessors>, Vec<Diagnostic>> {
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
             and `description`, and may have `effective` (YYYY-MM-DD).",
        );
        vec![match e.location() {
            Some(l) => d.at(l.line(), l.column()),
            None => d,
        }]
    })?;
    let problems = check(&data, &text, config, today);
    if problems.is_empty() {
        Ok(Some(data))
    } else {
        Err(problems)
    }
}

/// Every problem of the parsed data file `text` for a build on `today`.
fn check(data: &Subprocessors, text: &str, config: &Config, today: NaiveDate) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    let error = |line: usize, message: String, hint: String| {
        Diagnostic::error(PathBuf::from(DATA_FILE), message)
            .at_line(line)
            .with_hint(hint)
    };
    let entries = item_lines(text, "subprocessors");
    let change_lines = item_lines(text, "changes");
    let mut check_text = |line: usize, name: &str, field: &str, map: &BTreeMap<String, String>| {
        for lang in &config.languages {
            if map.get(lang).is_none_or(|v| v.trim().is_empty()) {
                problems.push(error(
                    line,
                    format!("`{name}`: `{field}` has no text for `{lang}`"),
                    format!("Add `{lang}: …` under `{field}`."),
                ));
            }
        }
    };
    for (i, s) in data.subprocessors.iter().enumerate() {
        let item = entries.get(i);
        for (field, map) in [
            ("purpose", &s.purpose),
            ("location", &s.location),
            ("transfer", &s.transfer),
        ] {
            check_text(field_line(text, item, field), &s.name, field, map);
        }
    }
    for (i, c) in data.changes.iter().enumerate() {
        let item = change_lines.get(i);
        check_text(
            field_line(text, item, "description"),
            &c.name,
            "description",
            &c.description,
        );
        for (field, map) in [
            ("purpose", &c.purpose),
            ("location", &c.location),
            ("transfer", &c.transfer),
        ] {
            if let Some(map) = map {
                check_text(field_line(text, item, field), &c.name, field, map);
            }
        }
    }
    for (i, pair) in data.changes.windows(2).enumerate() {
        if pair[1].date > pair[0].date {
            problems.push(error(
                field_line(text, change_lines.get(i + 1), "date"),
                format!(
                    "the change of {} ({}) is listed below an older one",
                    pair[1].date, pair[1].name
                ),
                "List changes newest first: add new entries at the top of `changes`.".into(),
            ));
        }
    }
    let notice_days = config.notice_days();
    let mut upcoming: BTreeMap<&str, &Change> = BTreeMap::new();
    let mut ids: BTreeMap<String, usize> = BTreeMap::new();
    // Oldest first, so that the second of two upcoming changes is the one reported.
    for (i, c) in data.changes.iter().enumerate().rev() {
        let item = change_lines.get(i);
        let line = field_line(text, item, "effective");
        // The id names the change in links, notices and objections: it must be unique.
        if ids.insert(c.id(), i).is_some() {
            problems.push(error(
                field_line(text, item, "name"),
                format!(
                    "two `{}` changes for {} take effect on {}",
                    c.kind.as_str(),
                    c.name,
                    c.effective_date()
                ),
                "Describe both in one change, or give them different `effective` dates.".into(),
            ));
        }
        if c.kind != ChangeKind::Changed
            && (c.purpose.is_some() || c.location.is_some() || c.transfer.is_some())
        {
            problems.push(error(
                field_line(text, item, "kind"),
                format!(
                    "the {} change of {} has new `purpose`, `location` or `transfer`",
                    c.kind.as_str(),
                    c.name
                ),
                "Only a `changed` change carries new values; an added subprocessor's are written \
                 in its entry under `subprocessors`."
                    .into(),
            ));
        }
        let Some(effective) = c.effective else {
            continue;
        };
        if effective < c.date {
            problems.push(error(
                line,
                format!(
                    "the change of {} takes effect on {effective}, before it is announced on {}",
                    c.name, c.date
                ),
                "`effective` is the day the change takes effect, on or after its announcement \
                 `date`."
                    .into(),
            ));
            continue;
        }
        if effective <= today {
            continue;
        }
        if c.kind != ChangeKind::Removed
            && let Some(days) = short_notice(c.date, effective, notice_days)
        {
            let earliest = c.date + chrono::Days::new(u64::from(notice_days));
            problems.push(error(
                line,
                format!(
                    "the change of {} announced on {} takes effect on {effective}: {days} days' \
                     notice, {notice_days} required",
                    c.name, c.date
                ),
                format!(
                    "Customers must be told at least {notice_days} days before a subprocessor is \
                     added or changed (`subprocessors: {{notice_days: …}}` in site.yaml): set \
                     `effective: {earliest}` or later."
                ),
            ));
        }
        if !data.subprocessors.iter().any(|s| s.name == c.name) {
            problems.push(error(
                field_line(text, item, "name"),
                format!(
                    "the planned change of {} names no entry under `subprocessors`",
                    c.name
                ),
                "Write a planned subprocessor's entry in full under `subprocessors` (without \
                 `since`): it is listed from the change's `effective` date. A planned removal \
                 keeps its entry until then."
                    .into(),
            ));
        }
        if let Some(first) = upcoming.insert(&c.name, c) {
            problems.push(error(
                field_line(text, item, "name"),
                format!(
                    "two planned changes to {}, taking effect on {} and {effective}: their order \
                     is undecided",
                    c.name,
                    first.effective_date()
                ),
                "Plan one change per subprocessor at a time: describe both in one change, or \
                 announce the second once the first has taken effect."
                    .into(),
            ));
        }
    }
    for (i, s) in data.subprocessors.iter().enumerate() {
        let item = entries.get(i);
        let planned = data
            .changes
            .iter()
            .find(|c| c.kind == ChangeKind::Added && c.name == s.name && c.effective.is_some());
        match (s.since, planned) {
            (Some(_), Some(c)) => problems.push(error(
                field_line(text, item, "since"),
                format!(
                    "`{}` has `since`, but its addition takes effect on {}",
                    s.name,
                    c.effective_date()
                ),
                "Leave `since` out: the `effective` date of the `added` change is the date the \
                 subprocessor is engaged from."
                    .into(),
            )),
            (None, None) => problems.push(error(
                field_line(text, item, "name"),
                format!("`{}` has no `since`", s.name),
                "Add `since: YYYY-MM-DD`, or an `added` change with `effective: YYYY-MM-DD`."
                    .into(),
            )),
            _ => {}
        }
    }
    problems
}

/// What the subprocessor page shows on a day: the register, the change log of what is in force
/// and the upcoming changes. Templates get it as `data.subprocessors`.
#[derive(Debug, Serialize)]
pub struct View<'a> {
    /// The subprocessors engaged on that day, with the values in force.
    pub subprocessors: Vec<Subprocessor>,
    /// The changes announced and in force, newest first.
    pub changes: Vec<ChangeView<'a>>,
    /// The changes announced but not yet in force, the soonest first.
    pub upcoming: Vec<ChangeView<'a>>,
    /// The least notice of a change (`subprocessors.notice_days`).
    pub notice_days: u32,
}

/// A change as pages show it.
#[derive(Debug, Serialize)]
pub struct ChangeView<'a> {
    /// The change as written.
    #[serde(flatten)]
    pub change: &'a Change,
    /// The last day to object ([`Change::objection_deadline`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub objection_until: Option<NaiveDate>,
    /// Its stable id ([`Change::id`]): the anchor of its entry (`#change-<id>`); the portal's
    /// objection form is `…/objection/<id>`.
    pub id: String,
}

impl<'a> ChangeView<'a> {
    fn new(change: &'a Change) -> Self {
        ChangeView {
            change,
            objection_until: change.objection_deadline(),
            id: change.id(),
        }
    }
}

/// The page's view of `data` on `today`.
pub fn view<'a>(data: &'a Subprocessors, today: NaiveDate, notice_days: u32) -> View<'a> {
    let mut upcoming: Vec<ChangeView<'a>> = data
        .changes
        .iter()
        .filter(|c| c.upcoming(today))
        .map(ChangeView::new)
        .collect();
    upcoming.sort_by_key(|c| c.change.effective_date());
    View {
        subprocessors: register(data, today),
        changes: data
            .changes
            .iter()
            .filter(|c| c.announced(today) && c.in_force(today))
            .map(ChangeView::new)
            .collect(),
        upcoming,
        notice_days,
    }
}

/// The subprocessors engaged on `today`: without those whose addition is not yet in force or
/// whose removal is, `since` taken from a planned addition, and the new values of the `changed`
/// changes in force.
pub fn register(data: &Subprocessors, today: NaiveDate) -> Vec<Subprocessor> {
    data.subprocessors
        .iter()
        .filter_map(|s| {
            // Oldest first (the list is newest first).
            let mine: Vec<&Change> = data
                .changes
                .iter()
                .rev()
                .filter(|c| c.name == s.name)
                .collect();
            let latest = mine
                .iter()
                .filter(|c| c.in_force(today))
                .max_by_key(|c| c.effective_date());
            if latest.is_some_and(|c| c.kind == ChangeKind::Removed) {
                return None;
            }
            let added = |in_force: bool| {
                mine.iter()
                    .any(|c| c.kind == ChangeKind::Added && c.in_force(today) == in_force)
            };
            if added(false) && !added(true) {
                return None;
            }
            let mut s = s.clone();
            if s.since.is_none() {
                s.since = mine
                    .iter()
                    .rev()
                    .find(|c| c.kind == ChangeKind::Added && c.effective.is_some())
                    .map(|c| c.effective_date());
            }
            let mut changed: Vec<&&Change> = mine
                .iter()
                .filter(|c| c.kind == ChangeKind::Changed && c.in_force(today))
                .collect();
            changed.sort_by_key(|c| c.effective_date());
            for c in changed {
                for (new, old) in [
                    (&c.purpose, &mut s.purpose),
                    (&c.location, &mut s.location),
                    (&c.transfer, &mut s.transfer),
                ] {
                    if let Some(new) = new {
                        old.clone_from(new);
                    }
                }
            }
            Some(s)
        })
        .collect()
}

/// The Atom feed of the change log in `lang` on `today`, for the page `page_key`: every change
/// announced by then, planned ones with their effective date and objection deadline.
pub fn feed(
    data: &Subprocessors,
    config: &Config,
    site: &Site,
    locales: &Locales,
    lang: &str,
    page_key: &str,
    today: NaiveDate,
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
        .filter(|c| c.announced(today))
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
        if !c.announced(today) {
            continue;
        }
        let (title, summary) = change_text(c, locales, lang)?;
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
        entry.set_summary(Some(Text::plain(summary)));
        entry.set_links(vec![alternate.clone()]);
        entries.push(entry);
    }
    feed.set_entries(entries);
    Ok((feed_path, feed.to_string()))
}

/// A change's title and summary in `lang`, as feeds show it: "Subprocessor added: …", and what
/// changed, with the effective date and the objection deadline of a planned change. The summary
/// says the same before and after the change takes effect, so that feed readers do not show it
/// as edited.
pub fn change_text(c: &Change, locales: &Locales, lang: &str) -> Result<(String, String), String> {
    let date_arg = |d: NaiveDate| -> Result<Vec<(String, Arg)>, String> {
        Ok(vec![(
            "date".into(),
            Arg::Str(locales.format_date(lang, d)?),
        )])
    };
    let title = locales.translate(
        lang,
        &format!("sub-change-{}", c.kind.as_str()),
        &[("name".into(), Arg::Str(c.name.clone()))],
    )?;
    let mut summary = c.description.get(lang).cloned().unwrap_or_default();
    if let Some(effective) = c.effective {
        summary.push(' ');
        summary.push_str(&locales.translate(
            lang,
            "sub-change-effective",
            &date_arg(effective)?,
        )?);
        if let Some(deadline) = c.objection_deadline() {
            summary.push(' ');
            summary.push_str(&locales.translate(
                lang,
                "sub-change-objection",
                &date_arg(deadline)?,
            )?);
        }
    }
    Ok((title, summary))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn config(extra: &str) -> Config {
        serde_yaml::from_str(&format!(
            "title: {{en: T, de: T}}\ndescription: {{en: D, de: D}}\nbase_url: https://x.test\n\
             languages: [en, de]\ncompany: {{name: C, address: [A]}}\n\
             contacts: {{security: s@x.test, privacy: p@x.test}}\n\
             security_txt: {{expires: 2030-01-01T00:00:00Z, policy: https://x.test/p}}\n{extra}"
        ))
        .unwrap()
    }

    const ENTRY: &str = "subprocessors:\n  - name: Old\n    purpose: {en: p, de: p}\n    \
                         location: {en: l, de: l}\n    transfer: {en: t, de: t}\n    \
                         since: 2020-01-01\n  - name: New\n    purpose: {en: p, de: p}\n    \
                         location: {en: l, de: l}\n    transfer: {en: t, de: t}\n";

    fn change(kind: &str, name: &str, date: &str, effective: &str) -> String {
        format!(
            "  - date: {date}\n    effective: {effective}\n    kind: {kind}\n    name: {name}\n    \
             description: {{en: d, de: d}}\n"
        )
    }

    #[test]
    fn a_change_is_named_by_its_effective_day_kind_and_subprocessor() {
        let planned: Change = serde_yaml::from_str(
            &change("added", "Example Shield GmbH", "2026-12-01", "2027-01-11")[4..]
                .replace("\n    ", "\n"),
        )
        .unwrap();
        assert_eq!(planned.id(), "2027-01-11-added-example-shield-gmbh");
        let mut at_once = planned.clone();
        at_once.effective = None;
        at_once.kind = ChangeKind::Removed;
        at_once.name = "Übersee & Co. (Ltd.)".into();
        assert_eq!(at_once.id(), "2026-12-01-removed-bersee-co-ltd");
    }

    /// The problems of a data file with `changes`, on `today`, as `line: message`.
    fn problems(changes: &str, today: &str, extra: &str) -> Vec<String> {
        // `New` engaged long ago, below the changes under test.
        let base = change("added", "New", "2019-01-01", "2019-01-01");
        let text = format!("{ENTRY}changes:\n{changes}{base}");
        let data: Subprocessors = serde_yaml::from_str(&text).unwrap();
        check(&data, &text, &config(extra), day(today))
            .into_iter()
            .map(|d| format!("{}: {}", d.line.unwrap_or(0), d.message))
            .collect()
    }

    #[test]
    fn notice_is_counted_in_days_from_the_announcement() {
        // Exactly 30 days: enough; 29: one day short.
        assert_eq!(short_notice(day("2026-12-01"), day("2026-12-31"), 30), None);
        assert_eq!(
            short_notice(day("2026-12-01"), day("2026-12-30"), 30),
            Some(29)
        );
        assert_eq!(short_notice(day("2026-12-01"), day("2026-12-01"), 0), None);
        assert_eq!(
            short_notice(day("2026-12-01"), day("2026-12-01"), 1),
            Some(0)
        );
    }

    #[test]
    fn the_objection_deadline_is_the_day_before_the_change_takes_effect() {
        assert_eq!(objection_deadline(day("2027-01-11")), day("2027-01-10"));
        assert_eq!(objection_deadline(day("2027-03-01")), day("2027-02-28"));
        assert_eq!(objection_deadline(day("2028-03-01")), day("2028-02-29"));
    }

    #[test]
    fn a_change_is_upcoming_until_the_day_it_takes_effect() {
        let text = format!(
            "{ENTRY}changes:\n{}",
            change("added", "New", "2026-12-01", "2027-01-11")
        );
        let data: Subprocessors = serde_yaml::from_str(&text).unwrap();
        let c = &data.changes[0];
        let names = |today: &str| -> Vec<String> {
            register(&data, day(today))
                .into_iter()
                .map(|s| s.name)
                .collect()
        };
        // Not announced yet: published nowhere, not listed.
        assert!(!c.announced(day("2026-11-30")));
        assert!(!c.upcoming(day("2026-11-30")));
        assert_eq!(names("2026-11-30"), ["Old"]);
        // Effective tomorrow: upcoming, not listed.
        assert!(c.upcoming(day("2027-01-10")));
        assert_eq!(names("2027-01-10"), ["Old"]);
        assert_eq!(view(&data, day("2027-01-10"), 30).upcoming.len(), 1);
        // Effective today: in force, listed since its effective date.
        assert!(!c.upcoming(day("2027-01-11")));
        assert!(c.in_force(day("2027-01-11")));
        let listed = register(&data, day("2027-01-11"));
        assert_eq!(listed[1].name, "New");
        assert_eq!(listed[1].since, Some(day("2027-01-11")));
        let v = view(&data, day("2027-01-11"), 30);
        assert!(v.upcoming.is_empty());
        assert_eq!(v.changes.len(), 1);
        assert_eq!(c.objection_deadline(), Some(day("2027-01-10")));
    }

    #[test]
    fn a_planned_removal_keeps_the_entry_and_a_planned_change_its_values_until_the_day() {
        let text = format!(
            "{ENTRY}changes:\n{}  - date: 2026-12-01\n    effective: 2027-01-05\n    kind: changed\n    \
             name: Old\n    description: {{en: d, de: d}}\n    location: {{en: Austria, de: Österreich}}\n\
             {}",
            change("removed", "Old", "2026-12-02", "2027-02-01"),
            change("added", "New", "2019-01-01", "2019-01-01"),
        );
        let data: Subprocessors = serde_yaml::from_str(&text).unwrap();
        let old = |today: &str| {
            register(&data, day(today))
                .into_iter()
                .find(|s| s.name == "Old")
        };
        assert_eq!(old("2027-01-04").unwrap().location["en"], "l");
        assert_eq!(old("2027-01-05").unwrap().location["de"], "Österreich");
        assert!(old("2027-01-31").is_some());
        assert!(old("2027-02-01").is_none());
        // A removal has no objection deadline.
        assert_eq!(data.changes[0].objection_deadline(), None);
    }

    #[test]
    fn short_notice_is_an_error_on_the_line_of_effective() {
        let ok = change("added", "New", "2026-12-01", "2026-12-31");
        assert_eq!(problems(&ok, "2026-12-05", ""), Vec::<String>::new());
        let short = change("added", "New", "2026-12-01", "2026-12-30");
        assert_eq!(
            problems(&short, "2026-12-05", ""),
            [
                "13: the change of New announced on 2026-12-01 takes effect on 2026-12-30: 29 days' \
              notice, 30 required"
            ]
        );
        // Once in force, a change is history and no longer checked.
        assert!(problems(&short, "2026-12-30", "").is_empty());
        // notice_days from site.yaml.
        assert!(problems(&short, "2026-12-05", "subprocessors: {notice_days: 29}").is_empty());
        // Removals need no notice.
        let removal = change("removed", "Old", "2026-12-01", "2026-12-02");
        assert!(problems(&removal, "2026-12-01", "").is_empty());
    }

    #[test]
    fn effective_before_the_announcement_and_two_planned_changes_are_errors() {
        let early = change("added", "New", "2026-12-01", "2026-11-30");
        assert_eq!(
            problems(&early, "2026-12-05", ""),
            [
                "13: the change of New takes effect on 2026-11-30, before it is announced on \
              2026-12-01"
            ]
        );
        let two = format!(
            "{}{}",
            change("changed", "Old", "2026-12-03", "2027-02-01"),
            change("removed", "Old", "2026-12-01", "2027-01-15"),
        );
        assert_eq!(
            problems(&two, "2026-12-05", ""),
            [
                "15: two planned changes to Old, taking effect on 2027-01-15 and 2027-02-01: their \
              order is undecided"
            ]
        );
        let twice = format!(
            "{}{}",
            change("changed", "Old", "2025-03-01", "2025-03-01"),
            change("changed", "Old", "2025-03-01", "2025-03-01"),
        );
        assert_eq!(
            problems(&twice, "2026-12-05", ""),
            ["15: two `changed` changes for Old take effect on 2025-03-01"]
        );
        let unknown = change("added", "Nobody", "2026-12-01", "2027-01-15");
        assert_eq!(
            problems(&unknown, "2026-12-05", "")[0],
            "15: the planned change of Nobody names no entry under `subprocessors`"
        );
    }
}
