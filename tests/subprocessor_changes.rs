//! Planned changes in the subprocessor register (issue 19): the example site's planned addition
//! of Example Shield GmbH (announced 2026-12-01, effective 2027-01-11) built before its
//! announcement, while it is upcoming, on the day before and on the day it takes effect, in both
//! languages and in the feeds; and every bad input, reported with its file and line.

mod common;

use std::path::Path;

use candor::error::BuildError;
use candor::site::build::{Options, build, check};
use common::*;

const DATA: &str = "content/_data/subprocessors.yaml";
const NAME: &str = "Example Shield GmbH";

struct Built {
    _out: tempfile::TempDir,
    public: std::path::PathBuf,
}

fn options(site: &Path, now: &str) -> Options {
    let mut opts = Options::new(site);
    opts.now = format!("{now}T12:00:00Z").parse().unwrap();
    opts
}

fn build_at(site: &Path, now: &str) -> Built {
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&options(site, now), &public).expect("builds");
    Built { _out: out, public }
}

const PAGES: [(&str, &str); 2] = [
    ("en", "en/subprocessors/"),
    ("de", "de/unterauftragsverarbeiter/"),
];

fn page(b: &Built, lang: &str) -> String {
    let dir = PAGES.iter().find(|(l, _)| *l == lang).unwrap().1;
    std::fs::read_to_string(b.public.join(dir).join("index.html")).unwrap()
}

/// The register table of a page.
fn table(html: &str) -> &str {
    let start = html.find("<table").expect("a table");
    let end = html[start..].find("</table>").unwrap() + start;
    &html[start..end]
}

fn feed(b: &Built, lang: &str) -> feed_rs::model::Feed {
    let dir = PAGES.iter().find(|(l, _)| *l == lang).unwrap().1;
    let xml = std::fs::read(b.public.join(dir).join("feed.xml")).unwrap();
    feed_rs::parser::parse(xml.as_slice()).unwrap()
}

/// The feed entry about Example Shield GmbH, if any: (title, summary).
fn shield_entry(b: &Built, lang: &str) -> Option<(String, String)> {
    feed(b, lang)
        .entries
        .into_iter()
        .find(|e| e.title.as_ref().unwrap().content.contains(NAME))
        .map(|e| {
            (
                e.title.unwrap().content,
                e.summary.map(|s| s.content).unwrap_or_default(),
            )
        })
}

#[test]
fn a_change_announced_after_the_builds_day_is_not_published_yet() {
    let site = example_site();
    let b = build_at(site.path(), "2026-11-30");
    for (lang, heading) in [("en", "Upcoming changes"), ("de", "Geplante Änderungen")] {
        let html = page(&b, lang);
        assert!(!html.contains(NAME), "{lang}: {html}");
        assert!(!html.contains(heading), "{lang}");
        assert_eq!(shield_entry(&b, lang), None, "{lang}");
    }
}

#[test]
fn an_announced_change_is_upcoming_with_its_dates_and_the_register_waits_for_it() {
    let site = example_site();
    for day in ["2026-12-01", "2027-01-10"] {
        let b = build_at(site.path(), day);
        let en = page(&b, "en");
        assert!(en.contains("Upcoming changes"), "{day}");
        assert!(en.contains("Added: Example Shield GmbH"), "{day}");
        assert!(en.contains("Effective from January 11, 2027."), "{day}");
        assert!(
            en.contains("You may object until January 10, 2027."),
            "{day}"
        );
        assert!(en.contains("Announced on December 1, 2026"), "{day}");
        assert!(
            en.contains("We announce changes at least 30 days before they take effect."),
            "{day}"
        );
        let de = page(&b, "de");
        assert!(de.contains("Geplante Änderungen"), "{day}");
        assert!(de.contains("Hinzugefügt: Example Shield GmbH"), "{day}");
        assert!(de.contains("Wirksam ab 11. Januar 2027."), "{day}");
        assert!(
            de.contains("Sie können bis einschließlich 10. Januar 2027 widersprechen."),
            "{day}"
        );
        assert!(de.contains("Angekündigt am 1. Dezember 2026"), "{day}");
        for html in [&en, &de] {
            // Not in the register yet; the upcoming section comes before the change log.
            assert!(!table(html).contains(NAME), "{day}");
            assert!(table(html).contains("Example Colocation GmbH"), "{day}");
            let upcoming = html.find("sub-upcoming-title").unwrap();
            let log = html.find("sub-changes-title").unwrap();
            assert!(html[upcoming..log].contains(NAME), "{day}");
            assert!(
                !html[log..].contains(NAME),
                "{day}: not in the change log yet"
            );
        }
        let (title, summary) = shield_entry(&b, "en").expect("in the English feed");
        assert_eq!(title, "Added: Example Shield GmbH");
        assert!(
            summary.ends_with(
                "Effective from January 11, 2027. You may object until January 10, 2027."
            ),
            "{summary}"
        );
        let (title, summary) = shield_entry(&b, "de").expect("in the German feed");
        assert_eq!(title, "Hinzugefügt: Example Shield GmbH");
        assert!(
            summary.ends_with(
                "Wirksam ab 11. Januar 2027. Sie können bis einschließlich 10. Januar 2027 \
                 widersprechen."
            ),
            "{summary}"
        );
    }
}

#[test]
fn on_its_effective_date_the_next_build_moves_the_change_into_the_register() {
    let site = example_site();
    let before = build_at(site.path(), "2027-01-10");
    let b = build_at(site.path(), "2027-01-11");
    for (lang, heading) in [("en", "Upcoming changes"), ("de", "Geplante Änderungen")] {
        let html = page(&b, lang);
        assert!(!html.contains(heading), "{lang}");
        let row = table(&html);
        assert!(row.contains(NAME), "{lang}");
        assert!(
            row.contains("2027-01-11"),
            "{lang}: since its effective date"
        );
        let log = html.find("sub-changes-title").unwrap();
        assert!(html[log..].contains(NAME), "{lang}: in the change log");
        // The feed entry says the same on both days, so readers do not see it as edited.
        assert_eq!(
            shield_entry(&b, lang),
            shield_entry(&before, lang),
            "{lang}"
        );
    }
    assert!(page(&b, "de").contains("Deutschland, Österreich"));
}

/// The messages of a failed check of the site at `root` on `now`.
fn errors(root: &Path, now: &str) -> Vec<String> {
    match check(&options(root, now)) {
        Ok(_) => panic!("the check passes"),
        Err(BuildError::Invalid(d)) => d.iter().map(ToString::to_string).collect(),
        Err(e) => panic!("{e}"),
    }
}

/// The 1-based line of the first `needle` in `root/rel`.
fn line_of(root: &Path, rel: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let at = text.find(needle).unwrap_or_else(|| panic!("no {needle:?}"));
    text[..at].matches('\n').count() + 1
}

/// The example site with its data file edited by `edit`.
fn edited(edit: impl FnOnce(String) -> String) -> tempfile::TempDir {
    let site = example_site();
    edit_file(&site.path().join(DATA), edit);
    site
}

fn assert_one_error(root: &Path, now: &str, expected: &str) {
    let errors = errors(root, now);
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(expected),
        "{}\nexpected: {expected}",
        errors[0]
    );
    assert!(errors[0].contains("\n  hint: "), "{}", errors[0]);
}

#[test]
fn the_example_passes_the_check_while_the_change_is_upcoming() {
    let site = example_site();
    for day in ["2026-11-20", "2026-12-05", "2027-01-10", "2027-01-11"] {
        let summary = check(&options(site.path(), day)).expect(day);
        assert!(
            !summary
                .warnings
                .iter()
                .any(|w| w.path.as_deref() == Some(Path::new(DATA))),
            "{day}: {:#?}",
            summary.warnings
        );
    }
}

#[test]
fn too_little_notice_is_an_error_and_notice_days_comes_from_site_yaml() {
    // One day less than 30.
    let site = edited(|t| t.replace("effective: 2027-01-11", "effective: 2026-12-30"));
    let line = line_of(site.path(), DATA, "effective: 2026-12-30");
    assert_one_error(
        site.path(),
        "2026-12-05",
        &format!(
            "{DATA}:{line}: error: the change of {NAME} announced on 2026-12-01 takes effect on \
             2026-12-30: 29 days' notice, 30 required\n  hint: Customers must be told at least 30 \
             days before a subprocessor is added or changed (`subprocessors: {{notice_days: …}}` \
             in site.yaml): set `effective: 2026-12-31` or later."
        ),
    );
    // The example's 41 days are too few for 60.
    let site = example_site();
    edit_file(&site.path().join("site.yaml"), |t| {
        format!("{t}subprocessors: {{notice_days: 60}}\n")
    });
    let line = line_of(site.path(), DATA, "effective: 2027-01-11");
    assert_one_error(
        site.path(),
        "2026-12-05",
        &format!(
            "{DATA}:{line}: error: the change of {NAME} announced on 2026-12-01 takes effect on \
             2027-01-11: 41 days' notice, 60 required"
        ),
    );
}

#[test]
fn the_30_days_notice_case_passes() {
    let site = edited(|t| t.replace("effective: 2027-01-11", "effective: 2026-12-31"));
    check(&options(site.path(), "2026-12-05")).expect("exactly 30 days are enough");
}

#[test]
fn an_effective_date_before_the_announcement_is_an_error() {
    let site = edited(|t| t.replace("effective: 2027-01-11", "effective: 2026-11-30"));
    let line = line_of(site.path(), DATA, "effective: 2026-11-30");
    assert_one_error(
        site.path(),
        "2026-11-20",
        &format!(
            "{DATA}:{line}: error: the change of {NAME} takes effect on 2026-11-30, before it is \
             announced on 2026-12-01"
        ),
    );
}

#[test]
fn two_planned_changes_to_one_subprocessor_are_an_error() {
    let second = "  - date: 2026-12-03\n    effective: 2027-02-15\n    kind: changed\n    \
                  name: \"Example Shield GmbH\"\n    description:\n      en: \"Filtering moves to \
                  Vienna only.\"\n      de: \"Die Filterung erfolgt nur noch in Wien.\"\n";
    let site = edited(|t| {
        t.replacen(
            "changes:             # newest first; kinds: added, removed, changed\n",
            &format!("changes:\n{second}"),
            1,
        )
    });
    let line = line_of(site.path(), DATA, "date: 2026-12-03") + 3;
    assert_one_error(
        site.path(),
        "2026-12-05",
        &format!(
            "{DATA}:{line}: error: two planned changes to {NAME}, taking effect on 2027-01-11 and \
             2027-02-15: their order is undecided"
        ),
    );
}

#[test]
fn an_effective_that_is_not_a_date_is_a_yaml_error_with_its_line() {
    let site = edited(|t| t.replace("effective: 2027-01-11", "effective: next month"));
    let line = line_of(site.path(), DATA, "effective: next month");
    let errors = errors(site.path(), "2026-12-05");
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert!(
        errors[0].starts_with(&format!(
            "{DATA}:{line}:16: error: the subprocessor list is not valid: changes[0].effective: \
             input contains invalid characters"
        )),
        "{}",
        errors[0]
    );
}

#[test]
fn a_planned_addition_has_its_date_once_and_names_an_entry() {
    // `since` beside a planned addition: two sources for one date.
    let site = edited(|t| {
        t.replace(
            "    location: {en: \"Germany, Austria\"",
            "    since: 2027-01-11\n    location: {en: \"Germany, Austria\"",
        )
    });
    let line = line_of(site.path(), DATA, "since: 2027-01-11");
    assert_one_error(
        site.path(),
        "2026-12-05",
        &format!(
            "{DATA}:{line}: error: `{NAME}` has `since`, but its addition takes effect on \
             2027-01-11"
        ),
    );
    // A planned change of a subprocessor that has no entry.
    let site = edited(|t| {
        t.replacen(
            "    name: \"Example Shield GmbH\"\n    description:",
            "    name: \"Example Shield AG\"\n    description:",
            1,
        )
    });
    let line = line_of(site.path(), DATA, "name: \"Example Shield AG\"");
    let errors = errors(site.path(), "2026-12-05");
    assert!(
        errors.iter().any(|e| e.starts_with(&format!(
            "{DATA}:{line}: error: the planned change of Example Shield AG names no entry under \
             `subprocessors`"
        ))),
        "{errors:#?}"
    );
}
