//! Atom feeds of sections whose page says `feed: true` (the trust center's updates section):
//! `<section URL>feed.xml` in each language, newest first, with the section's dated pages and,
//! with `feed_subprocessor_changes: true`, the changes announced in the subprocessor register,
//! each linking to the subprocessor page. A feed carries at most [`MAX_ENTRIES`] entries, so its
//! size does not grow with the section.
//!
//! May use: the site's content model, config, locales and [`super::subprocessors`].

use atom_syndication::{Entry, Feed, Link, Person, Text};
use chrono::{DateTime, FixedOffset, NaiveDate, TimeZone as _, Utc};

use crate::error::Diagnostic;
use crate::site::config::Config;
use crate::site::content::{Page, PageKind, Site};
use crate::site::i18n::{Arg, Locales};
use crate::site::subprocessors::{self, Subprocessors};

/// The most entries one feed carries (the newest).
pub const MAX_ENTRIES: usize = 50;

/// The feed's file name beside the section's `index.html`.
pub const FILE: &str = "feed.xml";

/// One entry before it becomes Atom: when, what, where.
struct Item {
    published: NaiveDate,
    updated: NaiveDate,
    id: String,
    title: String,
    summary: String,
    link: String,
}

/// Whether the section `page` asks for a feed (its own front matter, else a translation's).
pub fn wants_feed(site: &Site, page: &Page) -> bool {
    page.kind == PageKind::Section
        && site
            .section_setting(&page.key, &page.lang, |m| m.feed)
            .unwrap_or(false)
}

/// Whether the feed of `page` carries the subprocessor register's changes.
fn wants_changes(site: &Site, page: &Page) -> bool {
    site.section_setting(&page.key, &page.lang, |m| m.feed_subprocessor_changes)
        .unwrap_or(false)
}

/// The problems of the feed settings: `feed` on a page that is not a section, and
/// `feed_subprocessor_changes` without `feed` or without a register file (a register that does
/// not load has problems of its own).
pub fn check(site: &Site, register_exists: bool) -> Vec<Diagnostic> {
    let mut problems = Vec::new();
    for page in &site.pages {
        if page.meta.feed == Some(true) && page.kind != PageKind::Section {
            problems.push(
                Diagnostic::error(
                    page.source.clone(),
                    "`feed: true` is only for a section's page (`_index.md`)",
                )
                .at_line(page.line_of("feed"))
                .with_hint("Move `feed: true` to the front matter of the section's `_index.md`."),
            );
        }
        if page.meta.feed_subprocessor_changes == Some(true) {
            let hint = if page.kind != PageKind::Section || !wants_feed(site, page) {
                Some("Add `feed: true` to this section's front matter, or remove this line.")
            } else if !register_exists {
                Some(
                    "There is no subprocessor register (`content/_data/subprocessors.yaml`); \
                     add one, or remove this line.",
                )
            } else {
                None
            };
            if let Some(hint) = hint {
                problems.push(
                    Diagnostic::error(
                        page.source.clone(),
                        "`feed_subprocessor_changes: true` has no feed to go into",
                    )
                    .at_line(page.line_of("feed_subprocessor_changes"))
                    .with_hint(hint),
                );
            }
        }
    }
    problems
}

/// The feed of the section `page` on `today`: its path in the output and its XML.
pub fn section_feed(
    site: &Site,
    config: &Config,
    locales: &Locales,
    register: Option<&Subprocessors>,
    page: &Page,
    today: NaiveDate,
) -> Result<(String, String), String> {
    let lang = page.lang.as_str();
    let base = config.base_url();
    let page_url = format!("{base}/{}", page.path);
    let feed_path = format!("{}{FILE}", page.path);
    let feed_url = format!("{base}/{feed_path}");
    let mut items: Vec<Item> = site
        .children_of(&page.key, lang)
        .filter_map(|child| {
            let published = child.meta.date.or(child.meta.updated)?;
            let url = format!("{base}/{}", child.path);
            Some(Item {
                published,
                updated: child.meta.updated.unwrap_or(published).max(published),
                id: url.clone(),
                title: child.title.clone(),
                summary: child.meta.description.clone().unwrap_or_default(),
                link: url,
            })
        })
        .collect();
    if let Some(register) = register.filter(|_| wants_changes(site, page)) {
        let register_page = site.pages.iter().find(|p| {
            p.lang == lang && p.meta.template.as_deref() == Some(subprocessors::TEMPLATE)
        });
        let register_url =
            register_page.map_or_else(|| page_url.clone(), |p| format!("{base}/{}", p.path));
        for change in register.changes.iter().filter(|c| c.announced(today)) {
            let (title, summary) = subprocessors::change_text(change, locales, lang)?;
            items.push(Item {
                published: change.date,
                updated: change.date,
                id: format!("{register_url}#change-{}", change.id()),
                title,
                summary,
                link: format!("{register_url}#change-{}", change.id()),
            });
        }
    }
    // Newest first; among one day's entries, by title, so the order does not depend on input.
    items.sort_by(|a, b| {
        b.published
            .cmp(&a.published)
            .then_with(|| a.title.cmp(&b.title))
    });
    items.truncate(MAX_ENTRIES);

    let mut feed = Feed::default();
    let title = locales.translate(
        lang,
        "updates-feed-title",
        &[
            ("title".into(), Arg::Str(page.title.clone())),
            (
                "site".into(),
                Arg::Str(config.title.get(lang).cloned().unwrap_or_default()),
            ),
        ],
    )?;
    feed.set_title(Text::plain(title));
    feed.set_id(feed_url.clone());
    feed.set_lang(Some(lang.to_owned()));
    let newest = items
        .iter()
        .map(|i| i.updated)
        .max()
        .or(page.meta.updated)
        .unwrap_or_default();
    feed.set_updated(midnight(newest));
    let mut author = Person::default();
    author.set_name(config.company.name.clone());
    feed.set_authors(vec![author]);
    feed.set_links(vec![
        link(&feed_url, "self", "application/atom+xml", None),
        link(&page_url, "alternate", "text/html", Some(lang)),
    ]);
    feed.set_entries(
        items
            .into_iter()
            .map(|item| {
                let mut entry = Entry::default();
                entry.set_title(Text::plain(item.title));
                entry.set_id(item.id);
                entry.set_published(Some(midnight(item.published)));
                entry.set_updated(midnight(item.updated));
                if !item.summary.is_empty() {
                    entry.set_summary(Some(Text::plain(item.summary)));
                }
                entry.set_links(vec![link(&item.link, "alternate", "text/html", Some(lang))]);
                entry
            })
            .collect::<Vec<_>>(),
    );
    Ok((feed_path, feed.to_string()))
}

fn link(href: &str, rel: &str, mime: &str, lang: Option<&str>) -> Link {
    let mut link = Link::default();
    link.set_href(href.to_owned());
    link.set_rel(rel.to_owned());
    link.set_mime_type(Some(mime.to_owned()));
    link.set_hreflang(lang.map(str::to_owned));
    link
}

fn midnight(d: NaiveDate) -> DateTime<FixedOffset> {
    Utc.from_utc_datetime(&d.and_hms_opt(0, 0, 0).unwrap_or_default())
        .fixed_offset()
}
