//! Incremental rebuilds (`candor serve`'s preview): after every kind of edit, the session's output
//! and warnings are exactly those of a fresh full build of the same sources, and edits that the
//! session cannot apply page by page fall back to a full build.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use candor::error::BuildError;
use candor::site::build::{Options, generate};
use candor::site::incremental::{Kind, Output, Rebuild, Session};
use chrono::{DateTime, Utc};
use common::example_site;

/// One fixed time for every build of a test, so that validity checks agree.
fn options(root: &Path, now: DateTime<Utc>) -> Options {
    let mut opts = Options::new(root);
    opts.now = now;
    opts
}

/// Rewrites a file of the site.
fn edit(root: &Path, rel: &str, change: impl FnOnce(&str) -> String) {
    let path = root.join(rel);
    let text = std::fs::read_to_string(&path).unwrap();
    let changed = change(&text);
    assert_ne!(text, changed, "the edit of {rel} changes nothing");
    std::fs::write(&path, changed).unwrap();
}

/// Replaces the `key:` line of the front matter.
fn set_front(root: &Path, rel: &str, key: &str, value: &str) {
    edit(root, rel, |text| {
        let prefix = format!("{key}:");
        let mut done = false;
        let lines: Vec<String> = text
            .lines()
            .map(|l| {
                if !done && l.starts_with(&prefix) {
                    done = true;
                    format!("{key}: {value}")
                } else {
                    l.to_owned()
                }
            })
            .collect();
        assert!(done, "{rel} has no `{key}:`");
        lines.join("\n") + "\n"
    });
}

/// Replaces the `key:` line of the front matter, or adds one.
fn set_or_add_front(root: &Path, rel: &str, key: &str, value: &str) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    if text.lines().any(|l| l.starts_with(&format!("{key}:"))) {
        set_front(root, rel, key, value);
    } else {
        edit(root, rel, |t| {
            t.replacen("\n---\n", &format!("\n{key}: {value}\n---\n"), 1)
        });
    }
}

/// Appends a paragraph to the body.
fn append(root: &Path, rel: &str, text: &str) {
    edit(root, rel, |old| format!("{old}\n{text}\n"));
}

/// Every output file and warning of the session equals a fresh full build's.
fn assert_same_as_full_build(
    session: &Session,
    rebuild: &Rebuild,
    root: &Path,
    now: DateTime<Utc>,
) {
    let full = generate(&options(root, now)).expect("the full build succeeds");
    let mut expected: BTreeMap<&str, Output> = BTreeMap::new();
    for f in &full.files {
        let out = match &f.data {
            candor::site::output::Data::Bytes(b) => Output::Bytes(b.as_slice().into()),
            candor::site::output::Data::Copy(p) => Output::Copy(p.clone()),
        };
        expected.insert(&f.path, out);
    }
    let actual: BTreeMap<&str, &Output> = session.files().collect();
    let missing: Vec<&&str> = expected
        .keys()
        .filter(|p| !actual.contains_key(*p))
        .collect();
    let extra: Vec<&&str> = actual
        .keys()
        .filter(|p| !expected.contains_key(*p))
        .collect();
    assert!(missing.is_empty(), "the session lacks {missing:?}");
    assert!(
        extra.is_empty(),
        "the session has files a full build has not: {extra:?}"
    );
    let differing: Vec<&str> = expected
        .iter()
        .filter(|(p, out)| actual[*p] != *out)
        .map(|(p, _)| *p)
        .collect();
    if let Some(first) = differing.first() {
        let text = |o: &Output| match o {
            Output::Bytes(b) => String::from_utf8_lossy(b).into_owned(),
            Output::Copy(p) => format!("copy of {}", p.display()),
        };
        let (want, got) = (text(&expected[first]), text(actual[first]));
        let at = want
            .bytes()
            .zip(got.bytes())
            .position(|(a, b)| a != b)
            .unwrap_or(want.len().min(got.len()));
        let around = |s: &str| {
            let mut from = at.saturating_sub(80);
            while !s.is_char_boundary(from) {
                from -= 1;
            }
            let mut to = (at + 80).min(s.len());
            while !s.is_char_boundary(to) {
                to += 1;
            }
            s[from..to].to_owned()
        };
        panic!(
            "{} files differ from a full build: {differing:?}\nfirst: {first}\nfull build: …{}…\nsession:    …{}…",
            differing.len(),
            around(&want),
            around(&got)
        );
    }
    assert_eq!(
        rebuild.warnings, full.warnings,
        "warnings differ from a full build's"
    );
    assert_eq!(rebuild.files, full.files.len());
}

fn pages_read(rebuild: &Rebuild) -> usize {
    match &rebuild.kind {
        Kind::Incremental { pages, .. } => *pages,
        Kind::Full(reason) => panic!("expected an incremental rebuild, got a full one: {reason}"),
    }
}

fn start() -> (tempfile::TempDir, Session, DateTime<Utc>) {
    let site = example_site();
    let now = Utc::now();
    let mut session = Session::new(options(site.path(), now));
    let first = session.build().expect("the example site builds");
    assert!(first.is_full());
    (site, session, now)
}

#[test]
fn a_body_edit_renders_the_page_and_its_search_index_only() {
    let (site, mut session, now) = start();
    let root = site.path();
    append(
        root,
        "content/privacy/gdpr.md",
        "A new paragraph about *GDPR*.",
    );
    let rebuild = session.update(["content/privacy/gdpr.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    let mut changed = rebuild.changed.clone();
    changed.sort();
    assert_eq!(
        changed,
        ["en/privacy/gdpr/index.html", "en/search-index.json"],
        "only the page and the index change"
    );
    assert!(rebuild.removed.is_empty());
    assert_same_as_full_build(&session, &rebuild, root, now);

    // The watcher names files by absolute path.
    append(root, "content/privacy/gdpr.md", "And another one.");
    let rebuild = session
        .update([root.join("content/privacy/gdpr.md")])
        .unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);
}

#[test]
fn title_edits_render_the_pages_that_list_the_page() {
    let (site, mut session, now) = start();
    let root = site.path();
    // A page in a section: the section lists it, its neighbours' side navigation too.
    set_front(
        root,
        "content/security/encryption.md",
        "title",
        "\"Encryption everywhere\"",
    );
    let rebuild = session.update(["content/security/encryption.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert!(
        rebuild
            .changed
            .contains(&"en/security/index.html".to_owned())
    );
    assert!(
        rebuild
            .changed
            .contains(&"en/security/backups/index.html".to_owned())
    );
    assert!(
        !rebuild.changed.iter().any(|p| p.starts_with("de/")),
        "{:?}",
        rebuild.changed
    );
    assert_same_as_full_build(&session, &rebuild, root, now);

    // A description and a new weight: listings change order.
    set_front(root, "content/security/encryption.md", "weight", "1");
    set_front(
        root,
        "content/security/encryption.md",
        "description",
        "\"Short.\"",
    );
    let rebuild = session.update(["content/security/encryption.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);

    // A section's title is in the breadcrumbs of every page below it.
    set_front(
        root,
        "content/security/_index.md",
        "title",
        "\"Security, in depth\"",
    );
    let rebuild = session.update(["content/security/_index.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);

    // A top-level page is in the main navigation of every page of its language.
    set_front(root, "content/contact.md", "title", "\"Contact us\"");
    set_front(root, "content/contact.md", "weight", "5");
    let rebuild = session.update(["content/contact.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert!(rebuild.changed.contains(&"en/404.html".to_owned()));
    assert_same_as_full_build(&session, &rebuild, root, now);

    // The home page's title is in every breadcrumb trail.
    set_front(root, "content/_index.md", "title", "\"Our Trust Center\"");
    let rebuild = session.update(["content/_index.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);
}

#[test]
fn notices_of_missing_translations_follow_their_source() {
    let site = example_site();
    let root = site.path();
    // German pages below an untranslated section show the English section in their breadcrumbs.
    std::fs::remove_file(root.join("content/security/_index.de.md")).unwrap();
    std::fs::remove_file(root.join("content/privacy/pdpa.de.md")).unwrap();
    let now = Utc::now();
    let mut session = Session::new(options(root, now));
    session.build().unwrap();
    set_front(
        root,
        "content/security/_index.md",
        "title",
        "\"Security (renamed)\"",
    );
    let rebuild = session.update(["content/security/_index.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert!(
        rebuild
            .changed
            .iter()
            .any(|p| p.starts_with("de/security/")),
        "{:?}",
        rebuild.changed
    );
    assert_same_as_full_build(&session, &rebuild, root, now);
    set_front(
        root,
        "content/privacy/pdpa.md",
        "title",
        "\"PDPA (renamed)\"",
    );
    let rebuild = session.update(["content/privacy/pdpa.md"]).unwrap();
    assert!(
        rebuild
            .changed
            .iter()
            .any(|p| p.starts_with("de/") && p.contains("pdpa")),
        "the German notice names the page: {:?}",
        rebuild.changed
    );
    assert_same_as_full_build(&session, &rebuild, root, now);
}

#[test]
fn a_sweep_of_edits_over_the_site_matches_full_builds() {
    let (site, mut session, now) = start();
    let root = site.path();
    let mut pages: Vec<String> = walkdir::WalkDir::new(root.join("content"))
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "md"))
        .map(|e| {
            e.path()
                .strip_prefix(root)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/")
        })
        // Advisories are rebuilt whole (their CSAF documents depend on each other), and a final
        // one may not change without a revision: both are tested in tests/advisories.rs.
        .filter(|p| !p.starts_with("content/advisories/"))
        .collect();
    pages.sort();
    // Every fifth page, with the kinds of edit taking turns.
    for (n, page) in pages.iter().step_by(5).enumerate() {
        match n % 4 {
            0 => append(root, page, &format!("Sweep paragraph {n}.")),
            1 => set_front(root, page, "title", &format!("\"Sweep title {n}\"")),
            2 => set_or_add_front(root, page, "weight", &(500 - n).to_string()),
            _ => edit(root, page, |t| {
                // Inside the quotes of a quoted description (it may hold a colon).
                let described = if t.contains("description: \"") {
                    t.replacen("description: \"", &format!("description: \"Sweep {n}. "), 1)
                } else {
                    t.replacen("description: ", &format!("description: Sweep {n}. "), 1)
                };
                described.replacen("\n---\n", "\n---\n## Sweep heading\n\n", 1)
            }),
        }
        let rebuild = session.update([page.as_str()]).unwrap();
        assert_eq!(pages_read(&rebuild), 1, "{page}");
        assert_same_as_full_build(&session, &rebuild, root, now);
    }
}

#[test]
fn edits_of_translations_and_documents_match_a_full_build() {
    let (site, mut session, now) = start();
    let root = site.path();
    // A German translation: body and title (the English notice pages do not change).
    append(root, "content/privacy/gdpr.de.md", "Ein neuer Absatz.");
    set_front(
        root,
        "content/privacy/gdpr.de.md",
        "title",
        "\"DSGVO (neu)\"",
    );
    let rebuild = session.update(["content/privacy/gdpr.de.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert!(rebuild.changed.contains(&"de/search-index.json".to_owned()));
    assert_same_as_full_build(&session, &rebuild, root, now);

    // The source of a tracked translation: the translation is now out of date.
    append(
        root,
        "content/development/secure-coding.md",
        "One more rule.",
    );
    let rebuild = session
        .update(["content/development/secure-coding.md"])
        .unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert!(
        rebuild
            .new_warnings
            .iter()
            .any(|w| w.message.contains("out of date")),
        "{:?}",
        rebuild.new_warnings
    );
    assert_same_as_full_build(&session, &rebuild, root, now);

    // A document's page: the body, then the title of its translation (in every listing).
    append(
        root,
        "content/documents/dpa/index.md",
        "Signed copies are kept for ten years.",
    );
    let rebuild = session.update(["content/documents/dpa/index.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);
    set_front(
        root,
        "content/documents/dpa/index.de.md",
        "title",
        "\"AVV (neu)\"",
    );
    let rebuild = session
        .update(["content/documents/dpa/index.de.md"])
        .unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);
    // The front matter of the page with the `document:` block: the documents are read again.
    set_front(
        root,
        "content/documents/dpa/index.md",
        "title",
        "\"DPA (new)\"",
    );
    let rebuild = session.update(["content/documents/dpa/index.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert!(rebuild.changed.contains(&"documents.json".to_owned()));
    assert_same_as_full_build(&session, &rebuild, root, now);
    // A change of the document itself changes published files: a full build.
    edit(root, "content/documents/dpa/index.md", |t| {
        t.replace("date: 2025-01-15", "date: 2025-01-16")
    });
    let rebuild = session.update(["content/documents/dpa/index.md"]).unwrap();
    assert!(rebuild.is_full(), "{:?}", rebuild.kind);
    assert_same_as_full_build(&session, &rebuild, root, now);

    // Several pages at once.
    append(root, "content/contact.de.md", "Noch ein Absatz.");
    set_front(root, "content/privacy/dpo.md", "title", "\"Our DPO\"");
    let rebuild = session
        .update(["content/contact.de.md", "content/privacy/dpo.md"])
        .unwrap();
    assert_eq!(pages_read(&rebuild), 2);
    assert_same_as_full_build(&session, &rebuild, root, now);
}

#[test]
fn what_pages_cannot_express_falls_back_to_a_full_build() {
    let (site, mut session, now) = start();
    let root = site.path();
    let full = |rebuild: &Rebuild| match &rebuild.kind {
        Kind::Full(reason) => reason.clone(),
        other => panic!("expected a full build, got {other:?}"),
    };
    // A new URL: links to the page elsewhere change.
    edit(root, "content/privacy/gdpr.md", |t| {
        t.replace("weight: 10", "weight: 10\nslug: eu-gdpr")
    });
    let rebuild = session.update(["content/privacy/gdpr.md"]).unwrap();
    assert!(full(&rebuild).contains("slug"), "{:?}", rebuild.kind);
    assert!(
        rebuild
            .removed
            .contains(&"en/privacy/gdpr/index.html".to_owned())
    );
    assert_same_as_full_build(&session, &rebuild, root, now);

    // A template.
    edit(root, "themes/default/templates/page.html", |t| {
        format!("{t}\n{{# edited #}}")
    });
    let rebuild = session
        .update(["themes/default/templates/page.html"])
        .unwrap();
    full(&rebuild);
    assert_same_as_full_build(&session, &rebuild, root, now);

    // A document's file.
    let pdf = root.join("content/documents/dpa/dpa-3.1-en.pdf");
    let mut bytes = std::fs::read(&pdf).unwrap();
    bytes.extend_from_slice(b"\n% changed\n");
    std::fs::write(&pdf, bytes).unwrap();
    let rebuild = session.update([&pdf]).unwrap();
    full(&rebuild);
    assert_same_as_full_build(&session, &rebuild, root, now);

    // A new page, then its deletion.
    std::fs::write(
        root.join("content/privacy/new.md"),
        "---\ntitle: New\n---\nNew.\n",
    )
    .unwrap();
    let rebuild = session.update(["content/privacy/new.md"]).unwrap();
    assert!(full(&rebuild).contains("added"));
    assert_same_as_full_build(&session, &rebuild, root, now);
    std::fs::remove_file(root.join("content/privacy/new.md")).unwrap();
    let rebuild = session.update(["content/privacy/new.md"]).unwrap();
    assert!(full(&rebuild).contains("deleted"));
    assert!(
        rebuild
            .removed
            .contains(&"en/privacy/new/index.html".to_owned())
    );
    assert_same_as_full_build(&session, &rebuild, root, now);
}

#[test]
fn files_the_build_does_not_read_change_nothing() {
    let (site, mut session, now) = start();
    let root = site.path();
    std::fs::write(root.join("content/privacy/.gdpr.md.swp"), "x").unwrap();
    std::fs::write(root.join("content/privacy/gdpr.md~"), "x").unwrap();
    std::fs::write(
        root.join("content/privacy/draft.md"),
        "---\ntitle: D\ndraft: true\n---\n",
    )
    .unwrap();
    std::fs::write(root.join("content/privacy/#gdpr.md#"), "autosave").unwrap();
    std::fs::write(
        root.join("content/documents/dpa/notes.txt"),
        "not a document's",
    )
    .unwrap();
    let rebuild = session
        .update([
            "content/privacy/.gdpr.md.swp",
            "content/privacy/gdpr.md~",
            "content/privacy/draft.md",
            "content/privacy/4913.tmp",
            "content/privacy/#gdpr.md#",
            "content/documents/dpa/notes.txt",
        ])
        .unwrap();
    assert_eq!(pages_read(&rebuild), 0);
    assert!(rebuild.changed.is_empty(), "{:?}", rebuild.changed);
    assert_same_as_full_build(&session, &rebuild, root, now);
}

#[test]
fn a_failed_rebuild_keeps_the_last_good_build_and_recovers() {
    let (site, mut session, now) = start();
    let root = site.path();
    let before: Vec<(String, Output)> = session
        .files()
        .map(|(p, o)| (p.to_owned(), o.clone()))
        .collect();

    // A link to a heading that does not exist: the anchor check fails the rebuild.
    let original = std::fs::read_to_string(root.join("content/contact.md")).unwrap();
    append(
        root,
        "content/contact.md",
        "See [the measures](@/privacy/gdpr.md#no-such-heading).",
    );
    let err = session.update(["content/contact.md"]).unwrap_err();
    let BuildError::Invalid(ds) = err else {
        panic!("{err}")
    };
    assert!(
        ds.iter()
            .any(|d| d.is_error() && d.message.contains("broken anchor `#no-such-heading`")),
        "{ds:?}"
    );
    let after: Vec<(String, Output)> = session
        .files()
        .map(|(p, o)| (p.to_owned(), o.clone()))
        .collect();
    assert!(before == after, "a failed rebuild changed the output");

    // A link to a real heading; then the heading goes away in the other page.
    std::fs::write(root.join("content/contact.md"), &original).unwrap();
    append(
        root,
        "content/contact.md",
        "See [the measures](@/privacy/gdpr.md#data-location-and-transfers).",
    );
    let rebuild = session.update(["content/contact.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);
    edit(root, "content/privacy/gdpr.md", |t| {
        t.replace("## Data location and transfers", "## Where data lives")
    });
    let err = session.update(["content/privacy/gdpr.md"]).unwrap_err();
    assert!(err.to_string().contains("error"), "{err}");

    // A page that no longer parses fails the (full) rebuild; fixing it recovers incrementally.
    let gdpr = std::fs::read_to_string(root.join("content/privacy/gdpr.md")).unwrap();
    edit(root, "content/privacy/gdpr.md", |t| {
        t.replacen("title: ", "titel: ", 1)
    });
    let err = session.update(["content/privacy/gdpr.md"]).unwrap_err();
    let BuildError::Invalid(ds) = err else {
        panic!("{err}")
    };
    assert!(
        ds.iter()
            .any(|d| d.message.contains("`titel` is not a front matter key")),
        "{ds:?}"
    );
    std::fs::write(
        root.join("content/privacy/gdpr.md"),
        gdpr.replace("## Where data lives", "## Data location and transfers"),
    )
    .unwrap();
    let rebuild = session.update(["content/privacy/gdpr.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);
}

/// The example site with a `news` section of `n` English pages, `per_page` to a listing page,
/// sorted by date.
fn start_with_news(n: usize, per_page: usize) -> (tempfile::TempDir, Session, DateTime<Utc>) {
    let site = example_site();
    let news = site.path().join("content/news");
    std::fs::create_dir_all(&news).unwrap();
    std::fs::write(
        news.join("_index.md"),
        format!(
            "---\ntitle: News\nweight: 95\nsort_by: date\npaginate_by: {per_page}\n---\nNews.\n"
        ),
    )
    .unwrap();
    std::fs::write(
        news.join("_index.de.md"),
        "---\ntitle: Neues\nslug: neues\nweight: 95\n---\nNeues.\n",
    )
    .unwrap();
    for i in 0..n {
        std::fs::write(
            news.join(format!("item-{i:03}.md")),
            format!(
                "---\ntitle: Item {i:03}\ndate: 2026-{:02}-{:02}\n---\nText {i}.\n",
                i % 12 + 1,
                i % 28 + 1
            ),
        )
        .unwrap();
    }
    let now = Utc::now();
    let mut session = Session::new(options(site.path(), now));
    assert!(session.build().expect("the site builds").is_full());
    (site, session, now)
}

#[test]
fn edits_in_a_large_paginated_section_match_a_full_build() {
    let (site, mut session, now) = start_with_news(120, 25);
    let root = site.path();
    // A title: shown by its neighbours' side navigation and its listing page only.
    set_front(
        root,
        "content/news/item-060.md",
        "title",
        "\"Item 060, renamed\"",
    );
    let rebuild = session.update(["content/news/item-060.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    let rendered = rebuild
        .changed
        .iter()
        .filter(|p| p.starts_with("en/news/item-"))
        .count();
    assert!(
        (1..=2 * 21).contains(&rendered),
        "{rendered} item pages rendered again"
    );
    assert_same_as_full_build(&session, &rebuild, root, now);
    // A date: the order changes, and with it listing pages and windows.
    set_front(root, "content/news/item-007.md", "date", "2027-01-01");
    let rebuild = session.update(["content/news/item-007.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert_same_as_full_build(&session, &rebuild, root, now);
    // A body: the page and the search index.
    append(root, "content/news/item-100.md", "More text.");
    let rebuild = session.update(["content/news/item-100.md"]).unwrap();
    let mut changed = rebuild.changed.clone();
    changed.sort();
    assert_eq!(
        changed,
        ["en/news/item-100/index.html", "en/search-index.json"]
    );
    assert_same_as_full_build(&session, &rebuild, root, now);
    // `paginate_by` changes which files exist: a full build.
    set_front(root, "content/news/_index.md", "paginate_by", "10");
    let rebuild = session.update(["content/news/_index.md"]).unwrap();
    assert!(rebuild.is_full());
    assert_same_as_full_build(&session, &rebuild, root, now);
}

#[test]
fn a_split_search_index_follows_edits_and_drops_parts_no_longer_made() {
    // Enough text for the English index to be split into shards (src/site/search.rs).
    let site = example_site();
    let kb = site.path().join("content/kb");
    std::fs::create_dir_all(&kb).unwrap();
    std::fs::write(
        kb.join("_index.md"),
        "---\ntitle: KB\nweight: 96\n---\nAll.\n",
    )
    .unwrap();
    std::fs::write(
        kb.join("_index.de.md"),
        "---\ntitle: KB\nslug: kb\nweight: 96\n---\nAlle.\n",
    )
    .unwrap();
    let filler = "lorem ipsum dolor sit amet ".repeat(150);
    for i in 0..1_100 {
        std::fs::write(
            kb.join(format!("a{i:04}.md")),
            format!("---\ntitle: A {i:04}\n---\n{filler}\n"),
        )
        .unwrap();
    }
    // The only page with a word in the shard `qq` (early: the index keeps the text's start).
    edit(site.path(), "content/kb/a0500.md", |t| {
        t.replace("---\nlorem", "---\nqqonly lorem")
    });
    let now = Utc::now();
    let mut session = Session::new(options(site.path(), now));
    assert!(session.build().unwrap().is_full());
    let shard = format!(
        "en/search-index/t-{}.json",
        candor::site::search::shard_of("qqonly")
    );
    assert!(session.file(&shard).is_some(), "the index is split");
    edit(site.path(), "content/kb/a0500.md", |t| {
        t.replace("qqonly", "lorem")
    });
    let rebuild = session.update(["content/kb/a0500.md"]).unwrap();
    assert_eq!(pages_read(&rebuild), 1);
    assert!(rebuild.removed.contains(&shard), "{:?}", rebuild.removed);
    assert!(session.file(&shard).is_none());
    assert_same_as_full_build(&session, &rebuild, site.path(), now);
}

#[test]
fn the_updates_feed_follows_edits_of_its_pages_and_settings() {
    let site = example_site();
    let root = site.path();
    let now = Utc::now();
    let mut session = Session::new(options(root, now));
    session.build().expect("builds");
    // A new title of an update: its page, the listing and the section's feed.
    let page = "content/updates/2026-04-01-email-delivery.md";
    set_front(
        root,
        page,
        "title",
        "\"Outgoing mail moved to a new provider\"",
    );
    let rebuild = session.update([page]).unwrap();
    assert!(!rebuild.is_full());
    assert!(
        rebuild.changed.iter().any(|p| p == "en/updates/feed.xml"),
        "{:?}",
        rebuild.changed
    );
    assert_same_as_full_build(&session, &rebuild, root, now);
    // Turning the feed off: a full build (the translation's page links it too), and no feed.
    set_front(root, "content/updates/_index.md", "feed", "false");
    set_front(
        root,
        "content/updates/_index.md",
        "feed_subprocessor_changes",
        "false",
    );
    let rebuild = session.update(["content/updates/_index.md"]).unwrap();
    assert!(rebuild.is_full());
    assert_same_as_full_build(&session, &rebuild, root, now);
    assert!(
        !session
            .files()
            .any(|(p, _)| p.ends_with("feed.xml") && p.contains("updates"))
    );
}
