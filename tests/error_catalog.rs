//! The catalogue of errors a site's authors can make, each with the exact messages Candor prints.
//!
//! Every folder in `tests/fixtures/invalid/` is laid over the `basic` fixture; building the
//! result must fail with exactly the diagnostics in its `expected.txt` (file, line, column, message
//! and hint), so that wording and positions cannot regress. After an intended change of wording,
//! regenerate the files with `CANDOR_BLESS=1 cargo test --test error_catalog` and review the diff.

mod common;

use candor::error::BuildError;
use candor::site::build::{Options, generate};
use common::*;

#[test]
fn every_invalid_fixture_fails_with_its_expected_messages() {
    let dir = repo().join("tests/fixtures/invalid");
    let mut cases: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 20,
        "the catalogue covers every kind of bad input"
    );
    let bless = std::env::var_os("CANDOR_BLESS").is_some();
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let overlay = tempfile::tempdir().unwrap();
        copy_dir(case, overlay.path());
        let _ = std::fs::remove_file(overlay.path().join("expected.txt"));
        let site = fixture("basic", &[overlay.path()]);
        let mut opts = Options::new(site.path());
        opts.now = "2029-06-01T00:00:00Z".parse().unwrap();
        opts.check = true;
        let actual = match generate(&opts) {
            Ok(_) => "(the build succeeded)\n".to_owned(),
            Err(BuildError::Invalid(diagnostics)) => {
                assert!(
                    diagnostics.iter().any(|d| d.is_error()),
                    "{name}: failure without error"
                );
                // Warnings (the fixture's missing translations) are tested elsewhere.
                diagnostics
                    .iter()
                    .filter(|d| d.is_error())
                    .map(|d| format!("{d}\n"))
                    .collect::<String>()
            }
            Err(e) => format!("(other failure) {e}\n"),
        };
        let expected_path = case.join("expected.txt");
        if bless {
            std::fs::write(&expected_path, &actual).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if expected != actual {
            failures.push(format!("── {name}\nexpected:\n{expected}actual:\n{actual}"));
        }
    }
    assert!(
        failures.is_empty(),
        "{} case(s) differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

#[test]
fn nothing_is_written_when_the_build_fails() {
    let overlay = repo().join("tests/fixtures/invalid/broken-link");
    let site = fixture("basic", &[&overlay]);
    let out = site.path().join("public");
    let result = candor::site::build::build(&Options::new(site.path()), &out);
    assert!(result.is_err());
    assert!(!out.exists(), "a failed build writes nothing");
    let leftovers: Vec<_> = std::fs::read_dir(site.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
