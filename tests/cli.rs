//! The `candor` binary: help texts, exit codes, the one-line summary, and that a failed build
//! leaves the previous output in place.

mod common;

use common::*;

#[test]
fn help_explains_every_command_and_flag() {
    let (out, _) = text(&candor(&["--help"]));
    for word in ["build", "check", "--help", "--version"] {
        assert!(out.contains(word), "candor --help lacks {word}:\n{out}");
    }
    let (out, _) = text(&candor(&["build", "--help"]));
    for flag in ["--root", "--output", "--drafts", "--quiet"] {
        assert!(
            out.contains(flag),
            "candor build --help lacks {flag}:\n{out}"
        );
    }
    let (out, _) = text(&candor(&["check", "--help"]));
    for flag in ["--root", "--strict", "--drafts"] {
        assert!(
            out.contains(flag),
            "candor check --help lacks {flag}:\n{out}"
        );
    }
}

#[test]
fn build_prints_a_one_line_summary_and_writes_the_site() {
    let site = fixture("basic", &[]);
    renew_security_txt(site.path());
    let root = site.path().to_str().unwrap();
    let out_dir = site.path().join("out");
    let output = candor(&[
        "build",
        "--root",
        root,
        "--output",
        out_dir.to_str().unwrap(),
    ]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let summary: Vec<&str> = stdout.lines().collect();
    assert_eq!(summary.len(), 1, "{stdout}");
    assert!(
        summary[0].starts_with("Built 8 pages (3 de, 5 en), 0 documents, "),
        "{stdout}"
    );
    assert!(
        summary[0].contains(" s, "),
        "the summary has the time: {stdout}"
    );
    // The fixture's missing translations are warnings on stderr.
    assert!(
        stderr.contains("warning: this page has no `de` translation yet"),
        "{stderr}"
    );
    assert!(out_dir.join("en/index.html").is_file());
}

#[test]
fn check_exit_codes_follow_errors_and_strictness() {
    let site = fixture("basic", &[]);
    renew_security_txt(site.path());
    let root = site.path().to_str().unwrap();
    // Warnings only: passes, but not with --strict.
    let ok = candor(&["check", "--root", root]);
    assert_eq!(ok.status.code(), Some(0), "{:?}", text(&ok));
    let strict = candor(&["check", "--root", root, "--strict"]);
    assert_eq!(strict.status.code(), Some(1));
    assert!(
        text(&strict)
            .1
            .contains("--strict treats warnings as errors")
    );
    assert!(!site.path().join("public").exists(), "check writes nothing");

    let broken = fixture(
        "basic",
        &[&repo().join("tests/fixtures/invalid/many-errors")],
    );
    renew_security_txt(broken.path());
    let failed = candor(&["check", "--root", broken.path().to_str().unwrap()]);
    assert_eq!(failed.status.code(), Some(1));
    let (_, stderr) = text(&failed);
    // All errors at once, compiler style, then a verdict.
    assert!(
        stderr.contains("content/policy.md:1: error: the title is missing"),
        "{stderr}"
    );
    assert!(
        stderr.contains("content/guides/setup.md:7:13: error: broken internal link `@/gone.md`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("locales/en/extra.ftl:1: error:"),
        "{stderr}"
    );
    assert!(
        stderr
            .trim_end()
            .ends_with("error: the site has 4 errors; nothing was written"),
        "{stderr}"
    );
}

#[test]
fn a_failed_build_leaves_the_previous_output_intact() {
    let site = fixture("basic", &[]);
    renew_security_txt(site.path());
    let root = site.path().to_str().unwrap();
    assert!(candor(&["build", "--root", root, "-q"]).status.success());
    let index = site.path().join("public/en/policy/index.html");
    let before = std::fs::read(&index).unwrap();

    std::fs::write(
        site.path().join("content/policy.md"),
        "---\ntitle: [broken\n---\n",
    )
    .unwrap();
    let failed = candor(&["build", "--root", root]);
    assert_eq!(failed.status.code(), Some(1));
    assert_eq!(
        std::fs::read(&index).unwrap(),
        before,
        "the previous site is untouched"
    );
}

#[test]
fn missing_site_yaml_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let output = candor(&["check", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let (_, stderr) = text(&output);
    assert!(
        stderr.contains("site.yaml: error: cannot read the configuration"),
        "{stderr}"
    );
    assert!(stderr.contains("pass --root DIR"), "{stderr}");
}

#[test]
fn an_error_says_each_cause_once() {
    let dir = tempfile::tempdir().unwrap();
    let output = candor(&["audit", "verify", "--root", dir.path().to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let (_, stderr) = text(&output);
    assert!(
        stderr.starts_with("error: cannot load the portal's key file"),
        "{stderr}"
    );
    assert!(stderr.contains("portal-keys.json"), "{stderr}");
    // The operating system's words for the cause, once (they came twice before).
    assert_eq!(stderr.matches("(os error 2)").count(), 1, "{stderr}");
}
