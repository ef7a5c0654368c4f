//! The checks that keep the content consistent (issue 20): the site's terminology per language
//! (`terminology:` in site.yaml) and document version histories that contradict themselves or
//! their pages. Bad input is planted in a copy of the example site; `candor check` must name
//! each file and line, warn about terms (failing only with `--strict`) and fail on histories.

mod common;

use std::path::Path;

use candor::site::build::{Options, generate};
use candor::site::incremental::Session;
use common::*;

/// The 1-based line and column of the first `needle` in the file at `root/rel`.
fn position(root: &Path, rel: &str, needle: &str) -> (usize, usize) {
    let text = std::fs::read_to_string(root.join(rel)).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{rel} has no {needle:?}"));
    let line = text[..at].matches('\n').count() + 1;
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[line_start..at].chars().count() + 1)
}

/// The warning `candor check` prints for `found` at `needle` in `rel`, preferring `preferred`.
fn term_warning(root: &Path, rel: &str, needle: &str, found: &str, preferred: &str) -> String {
    let (line, column) = position(root, rel, needle);
    format!(
        "{rel}:{line}:{column}: warning: \"{found}\" — this site writes \"{preferred}\" \
         (terminology in site.yaml)"
    )
}

fn count_term_warnings(stderr: &str) -> usize {
    stderr
        .lines()
        .filter(|l| l.contains("(terminology in site.yaml)"))
        .count()
}

#[test]
fn the_example_site_lists_the_reviewed_terms_and_passes_both_checks() {
    let site = example_site();
    let config = candor::site::config::load(site.path()).unwrap();
    let de = &config.terminology["de"];
    for (discouraged, preferred) in [
        ("Werktag", "Arbeitstag"),
        (
            "Vertraulichkeitsbedingungen",
            "Vertraulichkeitsvereinbarung",
        ),
        ("unter NDA", "unter einer Vertraulichkeitsvereinbarung"),
        ("UK Addendum", "UK-Addendum"),
        ("Mandatory Clauses", "verbindliche Klauseln"),
        ("Transfer Impact Assessment", "Transfer-Folgenabschätzung"),
        ("Ticket-Queues", "Ticket-Warteschlangen"),
        ("Editionen", "Varianten"),
        ("Rechte an ihren", "Rechte in Bezug auf"),
        ("Vertrag geschlossen", "Vertrag abgeschlossen"),
    ] {
        assert_eq!(
            de.get(discouraged).map(String::as_str),
            Some(preferred),
            "{discouraged}"
        );
    }
    let (ok, out, err) = run_in(site.path(), &["check", "--strict"]);
    assert!(ok, "{err}");
    assert!(out.contains("(0 warnings)"), "{out}");
    assert_eq!(count_term_warnings(&err), 0, "{err}");
    assert!(!err.contains("error"), "{err}");
}

#[test]
fn discouraged_terms_are_reported_with_file_line_and_column_wherever_german_text_is() {
    let site = example_site();
    let root = site.path();
    // A German page: its body (in prose, and where it must not count: code, a link's target,
    // an autolink), and its front matter.
    let page = "content/security/backups.de.md";
    edit_file(&root.join(page), |t| {
        let t = t.replacen(
            "description: \"Wie Example",
            "description: \"Binnen zwei Werktagen: wie Example",
            1,
        );
        t + "\nWir stellen Daten binnen zwei Werktagen wieder her, `Werktag` zählt nicht, \
             [Details](https://example.com/Werktag) und <https://example.com/Werktage>.\n\n\
             Unterlagen teilen wir nur unter\n*NDA*.\n"
    });
    // German notes in the English page of a document, and an English page (no list for English).
    edit_file(&root.join("content/documents/dpa/index.md"), |t| {
        t.replacen(
            "de: \"Aktualisiert die",
            "de: \"Editionen: Aktualisiert die",
            1,
        )
    });
    edit_file(&root.join("content/security/backups.md"), |t| {
        t + "\nWerktag is not an English word, and English has no list.\n"
    });
    // A data file's German text, and a UI string (the key in both languages).
    edit_file(&root.join("content/_data/features.yaml"), |t| {
        t.replacen(
            "für Projekte, Dokumente und Ticket-Warteschlangen",
            "für Ticket-Queues",
            1,
        )
    });
    edit_file(&root.join("locales/de/main.ftl"), |t| {
        t + "restore-time = Wiederherstellung in { $days } Werktagen\n"
    });
    edit_file(&root.join("locales/en/main.ftl"), |t| {
        t + "restore-time = Restored in { $days } working days\n"
    });

    let expected = [
        term_warning(root, page, "Werktagen: wie", "Werktagen", "Arbeitstag"),
        term_warning(root, page, "Werktagen wieder", "Werktagen", "Arbeitstag"),
        term_warning(
            root,
            page,
            "unter\n*NDA*",
            "unter NDA",
            "unter einer Vertraulichkeitsvereinbarung",
        ),
        term_warning(
            root,
            "content/documents/dpa/index.md",
            "Editionen",
            "Editionen",
            "Varianten",
        ),
        term_warning(
            root,
            "content/_data/features.yaml",
            "Ticket-Queues",
            "Ticket-Queues",
            "Ticket-Warteschlangen",
        ),
        term_warning(
            root,
            "locales/de/main.ftl",
            "Werktagen\n",
            "Werktagen",
            "Arbeitstag",
        ),
    ];
    // Warnings: `check` passes and prints them, `--strict` fails.
    let (ok, _, err) = run_in(root, &["check"]);
    assert!(ok, "terms are warnings, not errors:\n{err}");
    for line in &expected {
        assert!(err.lines().any(|l| l == line), "missing {line}\nin:\n{err}");
    }
    assert_eq!(
        count_term_warnings(&err),
        expected.len(),
        "code, link targets, autolinks and English pages are not checked:\n{err}"
    );
    assert!(
        err.contains("  hint: Write \"Arbeitstag\", with the ending the sentence needs"),
        "{err}"
    );
    let (ok, _, err) = run_in(root, &["check", "--strict"]);
    assert!(!ok, "--strict fails on terms");
    assert!(err.contains("--strict treats warnings as errors"), "{err}");
    // A build publishes and prints the same warnings.
    let (ok, _, err) = run_in(root, &["build"]);
    assert!(ok, "{err}");
    assert_eq!(count_term_warnings(&err), expected.len(), "{err}");
}

#[test]
fn contradicting_version_histories_fail_check_naming_file_and_line() {
    let site = example_site();
    let root = site.path();
    // The DPA's current version gets a lower number than the one it replaced, and the German
    // page says it was last updated before the current version took effect.
    let dpa = "content/documents/dpa/index.md";
    edit_file(&root.join(dpa), |t| {
        t.replacen("- version: \"3.1\"", "- version: \"2.9\"", 1)
    });
    edit_file(&root.join("content/documents/dpa/index.de.md"), |t| {
        t.replacen("updated: 2026-12-01", "updated: 2026-05-31", 1)
    });
    // A certificate valid until a day before its version took effect.
    let cert = "content/documents/iso27001-certificate/index.md";
    edit_file(&root.join(cert), |t| {
        t.replacen("valid_until: 2027-06-30", "valid_until: 2024-06-30", 1)
    });

    let (ok, out, err) = run_in(root, &["check"]);
    assert!(!ok, "a contradicting history is an error\n{out}");
    let (v30, _) = position(root, dpa, "- version: \"3.0\"");
    let (updated, _) = position(root, "content/documents/dpa/index.de.md", "updated:");
    let (until, _) = position(root, cert, "valid_until:");
    for line in [
        format!(
            "{dpa}:{v30}: error: version 3.0 (2025-01-15) has a higher number than version 2.9 \
             listed above it, but an earlier date (2026-06-01): the numbers and the dates put the \
             versions in different orders"
        ),
        format!(
            "content/documents/dpa/index.de.md:{updated}: error: the page was last updated on \
             2026-05-31, before its current version 2.9 took effect on 2026-06-01"
        ),
        format!(
            "{cert}:{until}: error: `valid_until: 2024-06-30` is before the current version 2024 \
             took effect (2024-07-01)"
        ),
    ] {
        assert!(err.lines().any(|l| l == line), "missing {line}\nin:\n{err}");
    }
    assert!(
        err.contains("hint: List versions newest first: a later version has a higher number"),
        "{err}"
    );
    // A build refuses it too, and writes nothing.
    let (ok, _, _) = run_in(root, &["build"]);
    assert!(!ok);
    assert!(!root.join("public").exists());

    // Version order and date order that agree again pass.
    edit_file(&root.join(dpa), |t| {
        t.replacen("- version: \"2.9\"", "- version: \"3.1\"", 1)
    });
    edit_file(&root.join("content/documents/dpa/index.de.md"), |t| {
        t.replacen("updated: 2026-05-31", "updated: 2026-12-01", 1)
    });
    edit_file(&root.join(cert), |t| {
        t.replacen("valid_until: 2024-06-30", "valid_until: 2027-06-30", 1)
    });
    let (ok, _, err) = run_in(root, &["check", "--strict"]);
    assert!(ok, "{err}");
}

#[test]
fn the_preview_checks_edited_pages_and_document_translations_again() {
    let site = example_site();
    let root = site.path();
    let mut opts = Options::new(root);
    opts.now = chrono::Utc::now();
    let mut session = Session::new(opts.clone());
    session.build().expect("the example site builds");

    // A term added to a German page: a new warning, at its line; removed: gone.
    let page = "content/privacy/gdpr.de.md";
    let original = std::fs::read_to_string(root.join(page)).unwrap();
    edit_file(&root.join(page), |t| {
        t + "\nAntwort binnen fünf Werktagen.\n"
    });
    let rebuild = session.update([page]).expect("terms are warnings");
    let (line, column) = position(root, page, "Werktagen");
    let new: Vec<String> = rebuild.new_warnings.iter().map(|d| d.to_string()).collect();
    assert!(
        new.iter().any(|w| w.starts_with(&format!(
            "{page}:{line}:{column}: warning: \"Werktagen\" — this site writes \"Arbeitstag\""
        ))),
        "{new:#?}"
    );
    assert_eq!(
        rebuild.warnings,
        generate(&opts).unwrap().warnings,
        "the same warnings as a full build"
    );
    std::fs::write(root.join(page), &original).unwrap();
    let rebuild = session.update([page]).unwrap();
    assert!(
        !rebuild
            .warnings
            .iter()
            .any(|d| d.message.contains("Werktagen")),
        "{:#?}",
        rebuild.warnings
    );

    // The translation of a document, last updated before the current version: an error, also
    // when only the translation was edited.
    let de = "content/documents/dpa/index.de.md";
    edit_file(&root.join(de), |t| {
        t.replacen("updated: 2026-12-01", "updated: 2026-05-31", 1)
    });
    let err = session
        .update([de])
        .expect_err("a contradicting date fails");
    let candor::error::BuildError::Invalid(ds) = &err else {
        panic!("{err}")
    };
    assert!(
        ds.iter().any(|d| d.is_error()
            && d.path.as_deref() == Some(Path::new(de))
            && d.line == Some(position(root, de, "updated:").0)
            && d.message.contains("before its current version 3.1")),
        "{ds:#?}"
    );
}
