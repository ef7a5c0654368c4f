//! Translation tracking: `candor translations`, `--mark-current`, and out-of-date warnings.

mod common;

use common::*;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = candor(args);
    let (o, e) = text(&out);
    (out.status.success(), o, e)
}

#[test]
fn report_lists_missing_and_untracked_pages_and_ui_strings() {
    let site = fixture("basic", &[]);
    renew_security_txt(site.path());
    let root = site.path().to_str().unwrap();
    let (ok, out, err) = run(&["translations", "--root", root]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("de (from en): 5 pages, 0 current, 2 missing, 0 out of date, 3 untracked"),
        "{out}"
    );
    assert!(
        out.contains(
            "  missing      content/guides/setup.de.md  (translate content/guides/setup.md)"
        ),
        "{out}"
    );
    assert!(out.contains("  untracked    content/policy.de.md"), "{out}");

    let (ok, json, _) = run(&["translations", "--root", root, "--json"]);
    assert!(ok);
    let report: serde_json::Value = serde_json::from_str(&json).unwrap();
    let de = report["languages"]["de"].as_array().unwrap();
    assert_eq!(de.len(), 5);
    assert_eq!(de.iter().filter(|e| e["state"] == "missing").count(), 2);
    assert!(
        report["unused_keys"].as_array().unwrap().is_empty(),
        "{}",
        report["unused_keys"]
    );
}

#[test]
fn a_changed_source_makes_a_marked_translation_out_of_date_until_marked_again() {
    let site = fixture("basic", &[]);
    renew_security_txt(site.path());
    let root = site.path().to_str().unwrap();
    let (ok, out, err) = run(&[
        "translations",
        "--root",
        root,
        "--mark-current",
        "content/policy.de.md",
    ]);
    assert!(ok, "{err}");
    assert!(
        out.starts_with("content/policy.de.md: translated_from: "),
        "{out}"
    );
    let translated = std::fs::read_to_string(site.path().join("content/policy.de.md")).unwrap();
    assert!(
        translated.contains("\nupdated: 2024-03-01\ntranslated_from: "),
        "added inside the front matter:\n{translated}"
    );
    assert!(translated.ends_with("Text.\n"), "the body is untouched");
    let (_, out, _) = run(&["translations", "--root", root]);
    assert!(out.contains("1 current"), "{out}");

    // Re-ordering or re-dating the source changes nothing.
    let source_path = site.path().join("content/policy.md");
    let source = std::fs::read_to_string(&source_path).unwrap();
    std::fs::write(
        &source_path,
        source
            .replace("weight: 20", "weight: 25")
            .replace("updated: 2024-03-01", "updated: 2024-04-01"),
    )
    .unwrap();
    let (_, out, _) = run(&["translations", "--root", root]);
    assert!(out.contains("1 current, 2 missing, 0 out of date"), "{out}");

    // Changing its text does: the report says so, and check warns (and --strict fails).
    let source = std::fs::read_to_string(&source_path).unwrap();
    std::fs::write(
        &source_path,
        source.replace("Intro with a footnote.", "A new introduction."),
    )
    .unwrap();
    let (_, out, _) = run(&["translations", "--root", root]);
    assert!(
        out.contains("  out of date  content/policy.de.md  (content/policy.md changed: "),
        "{out}"
    );
    let (ok, _, err) = run(&["check", "--root", root]);
    assert!(ok);
    assert!(err.contains("content/policy.de.md:6: warning: the translation is out of date: content/policy.md changed since it was translated"), "{err}");
    assert!(err.contains("candor translations --mark-current content/policy.de.md"));

    // After review, marking it again makes it current; the line is replaced, not duplicated.
    assert!(
        run(&[
            "translations",
            "--root",
            root,
            "--mark-current",
            "content/policy.de.md"
        ])
        .0
    );
    let translated = std::fs::read_to_string(site.path().join("content/policy.de.md")).unwrap();
    assert_eq!(translated.matches("translated_from:").count(), 1);
    let (_, _, err) = run(&["check", "--root", root]);
    assert!(!err.contains("out of date"), "{err}");
}

#[test]
fn marking_a_default_language_page_is_an_error() {
    let site = fixture("basic", &[]);
    renew_security_txt(site.path());
    let (ok, _, err) = run(&[
        "translations",
        "--root",
        site.path().to_str().unwrap(),
        "--mark-current",
        "content/policy.md",
    ]);
    assert!(!ok);
    assert!(
        err.contains("content/policy.md is in the default language"),
        "{err}"
    );
}
