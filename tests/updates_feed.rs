//! The updates section's Atom feed (issue 19, part 5): `feed: true` on a section's page makes
//! `<section>/feed.xml` in each language, fed by the section's pages and, with
//! `feed_subprocessor_changes: true`, by the changes announced in the subprocessor register.
//! Read back with feed-rs (another implementation than the one that wrote it); bad settings are
//! errors with file and line.

mod common;

use std::path::Path;

use candor::error::BuildError;
use candor::site::build::{Options, build, check};
use common::*;

const FEEDS: [(&str, &str, &str); 2] = [
    ("en", "en/updates/", "en/subprocessors/"),
    ("de", "de/aktuelles/", "de/unterauftragsverarbeiter/"),
];

fn options(site: &Path, now: &str) -> Options {
    let mut opts = Options::new(site);
    opts.now = format!("{now}T12:00:00Z").parse().unwrap();
    opts
}

fn build_at(site: &Path, now: &str) -> (tempfile::TempDir, std::path::PathBuf) {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&options(site, now), &public).expect("builds");
    (out, public)
}

fn feed(public: &Path, dir: &str) -> feed_rs::model::Feed {
    let xml = std::fs::read(public.join(dir).join("feed.xml")).expect("a feed");
    feed_rs::parser::parse(xml.as_slice()).expect("valid Atom")
}

fn titles(feed: &feed_rs::model::Feed) -> Vec<String> {
    feed.entries
        .iter()
        .map(|e| e.title.as_ref().unwrap().content.clone())
        .collect()
}

#[test]
fn the_updates_feed_carries_the_sections_pages_and_the_registers_changes_newest_first() {
    let site = example_site();
    let (_out, public) = build_at(site.path(), "2026-12-05");
    for (lang, updates, register) in FEEDS {
        let feed = feed(&public, updates);
        let titles = titles(&feed);
        // Every dated page of the section is an entry, linking to its page in this language.
        let pages: Vec<String> = std::fs::read_dir(public.join(updates))
            .unwrap()
            .filter_map(|e| {
                let name = e.unwrap().file_name().into_string().unwrap();
                name.starts_with("20").then_some(name)
            })
            .collect();
        assert!(pages.len() >= 10, "{lang}: {pages:?}");
        for name in &pages {
            let url = format!("https://trust.example.com/{updates}{name}/");
            let entry = feed
                .entries
                .iter()
                .find(|e| e.links.iter().any(|l| l.href == url))
                .unwrap_or_else(|| panic!("{lang}: no entry for {url}"));
            let html = std::fs::read_to_string(public.join(updates).join(name).join("index.html"))
                .unwrap();
            let title = &entry.title.as_ref().unwrap().content;
            assert!(html.contains(title.as_str()), "{lang}: {title}");
            assert!(entry.summary.is_some(), "{lang}: {title} has no summary");
        }
        // The register's announced changes, in this language, each linking to its own entry
        // on the subprocessor page (whose anchor exists).
        let (shield, added) = match lang {
            "en" => ("Added: Example Shield GmbH", "Removed: Example Status Ltd."),
            _ => (
                "Hinzugefügt: Example Shield GmbH",
                "Entfernt: Example Status Ltd.",
            ),
        };
        let register_html =
            std::fs::read_to_string(public.join(register).join("index.html")).unwrap();
        for title in [shield, added] {
            let entry = feed
                .entries
                .iter()
                .find(|e| e.title.as_ref().unwrap().content == title)
                .unwrap_or_else(|| panic!("{lang}: no {title:?} in {titles:?}"));
            let href = &entry.links[0].href;
            let (page, anchor) = href.split_once('#').expect("an anchor");
            assert_eq!(page, format!("https://trust.example.com/{register}"));
            assert!(
                register_html.contains(&format!("id=\"{anchor}\"")),
                "{lang}: no element {anchor} on the register page"
            );
        }
        let shield_entry = feed
            .entries
            .iter()
            .find(|e| e.title.as_ref().unwrap().content == shield)
            .unwrap();
        let summary = &shield_entry.summary.as_ref().unwrap().content;
        let (effective, deadline) = match lang {
            "en" => ("January 11, 2027", "January 10, 2027"),
            _ => ("11. Januar 2027", "10. Januar 2027"),
        };
        assert!(summary.contains(effective), "{lang}: {summary}");
        assert!(summary.contains(deadline), "{lang}: {summary}");
        // Newest first.
        let dates: Vec<_> = feed.entries.iter().map(|e| e.published.unwrap()).collect();
        let mut sorted = dates.clone();
        sorted.sort_by(|a, b| b.cmp(a));
        assert_eq!(dates, sorted, "{lang}");
        assert_eq!(feed.language.as_deref(), Some(lang));
        // The section's pages announce the feed, in the head and as a link.
        let index = std::fs::read_to_string(public.join(updates).join("index.html")).unwrap();
        let feed_path = format!("/{updates}feed.xml");
        assert!(
            index.contains(&format!("type=application/atom+xml href={feed_path}"))
                || index.contains(&format!("href={feed_path} type=application/atom+xml"))
                || index.contains(&format!("href=\"{feed_path}\"")),
            "{lang}: the section does not link its feed"
        );
        assert_eq!(index.matches(&feed_path).count(), 2, "{lang}");
    }
    // Sections without `feed: true` have none.
    assert!(!public.join("en/security/feed.xml").exists());
}

#[test]
fn a_change_appears_in_the_updates_feed_from_its_announcement_on() {
    let site = example_site();
    let shield = "Added: Example Shield GmbH";
    let (_a, before) = build_at(site.path(), "2026-11-30");
    assert!(!titles(&feed(&before, "en/updates/")).contains(&shield.to_owned()));
    let (_b, after) = build_at(site.path(), "2026-12-01");
    let feed = feed(&after, "en/updates/");
    let entry = feed
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == shield)
        .expect("announced on 2026-12-01");
    // Its id stays the same once the change has taken effect, so readers do not see it twice.
    let (_c, later) = build_at(site.path(), "2027-02-01");
    let later = self::feed(&later, "en/updates/");
    let same = later
        .entries
        .iter()
        .find(|e| e.title.as_ref().unwrap().content == shield)
        .unwrap();
    assert_eq!(same.id, entry.id);
    assert_eq!(same.summary, entry.summary);
}

#[test]
fn a_large_section_feeds_its_newest_pages_only() {
    let site = example_site();
    let dir = site.path().join("content/updates");
    for day in 1..=120 {
        let date = chrono::NaiveDate::from_ymd_opt(2020, 1, 1).unwrap() + chrono::Days::new(day);
        std::fs::write(
            dir.join(format!("bulk-{day:03}.md")),
            format!("---\ntitle: \"Bulk entry {day:03}\"\ndescription: \"d\"\ndate: {date}\n---\nText.\n"),
        )
        .unwrap();
    }
    let (_out, public) = build_at(site.path(), "2026-12-05");
    let feed = feed(&public, "en/updates/");
    assert_eq!(feed.entries.len(), candor::site::feeds::MAX_ENTRIES);
    let titles = titles(&feed);
    // The example's own entries (2026) come first; of the bulk ones only the newest make it.
    assert!(!titles.contains(&"Bulk entry 001".to_owned()));
    let bulk: Vec<_> = titles.iter().filter(|t| t.starts_with("Bulk")).collect();
    assert!(!bulk.is_empty());
    assert_eq!(bulk[0], "Bulk entry 120");
}

/// The messages of a failed check of the site at `root`.
fn check_errors(root: &Path) -> Vec<String> {
    match check(&options(root, "2026-12-05")) {
        Ok(_) => panic!("the check passes"),
        Err(BuildError::Invalid(d)) => d.iter().map(ToString::to_string).collect(),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn feed_settings_in_the_wrong_place_are_errors_with_their_line() {
    // `feed: true` on a page that is not a section.
    let site = example_site();
    let page = "content/contact.md";
    edit_file(&site.path().join(page), |t| {
        t.replacen("---\n", "---\nfeed: true\n", 1)
    });
    let errors = check_errors(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!(
            "{page}:2: error: `feed: true` is only for a section's page"
        )),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("hint: "), "{}", errors[0]);

    // The register's changes without a feed to go into.
    let site = example_site();
    let index = "content/updates/_index.md";
    edit_file(&site.path().join(index), |t| {
        t.replace("feed: true ", "feed: false")
    });
    let errors = check_errors(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    let text = std::fs::read_to_string(site.path().join(index)).unwrap();
    let line = text
        .lines()
        .position(|l| l.starts_with("feed_subprocessor_changes"))
        .unwrap()
        + 1;
    assert!(
        errors[0].starts_with(&format!(
            "{index}:{line}: error: `feed_subprocessor_changes: true` has no feed to go into"
        )),
        "{}",
        errors[0]
    );
    assert!(errors[0].contains("Add `feed: true`"), "{}", errors[0]);

    // A value that is not true or false.
    let site = example_site();
    edit_file(&site.path().join(index), |t| {
        t.replace("feed: true ", "feed: weekly")
    });
    let errors = check_errors(site.path());
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!("{index}:"))
            && errors[0].contains("`feed` must be `true` or `false`"),
        "{}",
        errors[0]
    );
    assert!(
        errors[0].contains("Write `feed: true` or `feed: false`."),
        "{}",
        errors[0]
    );

    // Changes from a register that does not exist.
    let site = example_site();
    std::fs::remove_file(site.path().join("content/_data/subprocessors.yaml")).unwrap();
    let errors = check_errors(site.path());
    assert!(
        errors
            .iter()
            .any(|e| e.starts_with(index) && e.contains("There is no subprocessor register")),
        "{errors:#?}"
    );
}
