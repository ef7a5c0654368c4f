//! The compliance overview (`content/_data/certifications.yaml`) and the questionnaire answer
//! library (`content/_data/answers/`) of the example site: what the build publishes, what
//! `candor check` says about bad data, and the exports read back by independent readers
//! (Python's csv module and openpyxl).

mod common;

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use candor::error::BuildError;
use candor::site::build::{Options, Summary, build, check};
use common::*;

const BASE: &str = "https://trust.example.com";
const CERTS: &str = "content/_data/certifications.yaml";

fn build_at(site: &Path, now: &str) -> (tempfile::TempDir, Summary) {
    let out = tempfile::tempdir().unwrap();
    let mut opts = Options::new(site);
    opts.now = now.parse().unwrap();
    let summary = build(&opts, &out.path().join("public")).expect("builds");
    (out, summary)
}

/// `candor check` of `site` on `now`: its error and warning lines (`file:line: severity: …`).
fn check_at(site: &Path, now: &str) -> (bool, Vec<String>) {
    let mut opts = Options::new(site);
    opts.now = now.parse().unwrap();
    opts.check = true;
    match check(&opts) {
        Ok(summary) => (
            true,
            summary.warnings.iter().map(|w| w.to_string()).collect(),
        ),
        Err(BuildError::Invalid(diagnostics)) => (
            false,
            diagnostics
                .iter()
                .flat_map(|d| d.to_string().lines().map(str::to_owned).collect::<Vec<_>>())
                .collect(),
        ),
        Err(e) => panic!("{e}"),
    }
}

/// A page of the output as [`as_minified`] spells it (the templates are minified once, the
/// fragments they place are not: this compares both the same way).
fn html_at(public: &Path, page: &str) -> String {
    as_minified(&std::fs::read_to_string(public.join(page)).unwrap())
}

fn json(path: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap()
}

/// The 1-based line of the first line of `file` (under `root`) containing `needle`.
fn line_of(root: &Path, file: &str, needle: &str) -> usize {
    let text = std::fs::read_to_string(root.join(file)).unwrap();
    text.lines()
        .position(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("{needle:?} not in {file}"))
        + 1
}

fn certification<'a>(manifest: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    manifest["certifications"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("no certification {id}"))
}

#[test]
fn the_overview_takes_its_dates_from_the_documents_and_links_evidence_to_request_forms() {
    let site = example_site();
    let (out, summary) = build_at(site.path(), "2026-12-05T09:00:00Z");
    let public = out.path().join("public");
    assert!(
        !summary
            .warnings
            .iter()
            .any(|w| w.to_string().contains(CERTS)),
        "{:?}",
        summary.warnings
    );
    let manifest = json(&public.join("compliance.json"));
    assert_eq!(manifest["date"], "2026-12-05");
    assert_eq!(manifest["expiring_days"], 60);
    let iso = certification(&manifest, "iso27001");
    // Issue date from the certificate document's current version, validity from its `valid_until`.
    assert_eq!(iso["issued"], "2024-07-01");
    assert_eq!(iso["valid_until"], "2027-06-30");
    assert_eq!(iso["status"], "valid");
    assert_eq!(iso["days_left"], 207);
    assert_eq!(iso["surveillance_audits"][1], "2026-06-15");
    let evidence = iso["evidence"].as_array().unwrap();
    assert_eq!(evidence.len(), 2);
    for e in evidence {
        assert_eq!(e["access"], "nda");
        let id = e["document"].as_str().unwrap();
        assert_eq!(
            e["request"]["de"],
            format!("{BASE}/portal/de/request/{id}"),
            "{e}"
        );
    }
    let c5 = certification(&manifest, "bsi-c5");
    assert_eq!(c5["issued"], "2026-11-13");
    assert_eq!(c5["valid_until"], "2027-11-12");

    for (page, valid, until) in [
        ("en/compliance/index.html", "Valid", "until June 30, 2027"),
        ("de/compliance/index.html", "Gültig", "bis 30. Juni 2027"),
    ] {
        let html = html_at(&public, page);
        assert!(
            html.contains(&format!("<span class=status-text>{valid}</span>")),
            "{page}"
        );
        assert!(html.contains(until), "{page}: {until}");
        // The status icon is decoration; the words carry the status.
        assert!(
            html.contains("aria-hidden=true class=status-icon focusable=false"),
            "{page}"
        );
        let hrefs = attr_values(&html, "a", "href");
        assert!(
            hrefs
                .iter()
                .any(|h| h.ends_with("/request/iso27001-audit-report")),
            "{page}: {hrefs:?}"
        );
        // Confidential evidence is never linked as a file.
        assert!(
            !hrefs.iter().any(|h| h.ends_with(".pdf")),
            "{page} links a file: {hrefs:?}"
        );
    }
    // The home page's block, in both languages, links each certification on the overview.
    let home = html_at(&public, "de/index.html");
    assert!(home.contains("Zertifizierungen und Testate"));
    assert!(home.contains("href=/de/compliance/#bsi-c5"), "{home}");
    let home = html_at(&public, "en/index.html");
    assert!(home.contains("href=/en/compliance/#iso27001"));
}

#[test]
fn the_status_changes_on_the_boundary_days_and_check_fails_once_expired() {
    let site = example_site();
    let root = site.path();
    // 61 days before the last valid day: valid, no warning.
    let (out, summary) = build_at(root, "2027-04-30T12:00:00Z");
    let iso = certification(
        &json(&out.path().join("public/compliance.json")),
        "iso27001",
    )
    .clone();
    assert_eq!(
        (iso["status"].as_str(), iso["days_left"].as_i64()),
        (Some("valid"), Some(61))
    );
    assert!(
        !summary
            .warnings
            .iter()
            .any(|w| w.to_string().contains("iso27001"))
    );

    // 60 days before: expiring, a warning at `valid_until`'s line, and the page says so.
    let (out, summary) = build_at(root, "2027-05-01T12:00:00Z");
    let public = out.path().join("public");
    let iso = certification(&json(&public.join("compliance.json")), "iso27001").clone();
    assert_eq!(iso["status"], "expiring");
    let line = line_of(root, CERTS, "valid_until: 2027-06-30");
    let warning = summary
        .warnings
        .iter()
        .map(|w| w.to_string())
        .find(|w| w.contains("`iso27001`"))
        .expect("an expiry warning");
    assert!(
        warning.starts_with(&format!(
            "{CERTS}:{line}: warning: `iso27001` (ISO/IEC 27001:2022) expires in 60 days"
        )),
        "{warning}"
    );
    let html = html_at(&public, "en/compliance/index.html");
    assert!(html.contains("\"status status-expiring\""));
    assert!(html.contains("Expiring soon"));

    // The last valid day: still expiring (one day left).
    let (out, _) = build_at(root, "2027-06-30T23:00:00Z");
    let iso = certification(
        &json(&out.path().join("public/compliance.json")),
        "iso27001",
    )
    .clone();
    assert_eq!(
        (iso["status"].as_str(), iso["days_left"].as_i64()),
        (Some("expiring"), Some(0))
    );

    // The day after: a build publishes it as expired (with a warning) ...
    let (out, summary) = build_at(root, "2027-07-01T00:30:00Z");
    let public = out.path().join("public");
    let iso = certification(&json(&public.join("compliance.json")), "iso27001").clone();
    assert_eq!(iso["status"], "expired");
    assert!(summary.warnings.iter().any(|w| {
        let w = w.to_string();
        w.starts_with(&format!("{CERTS}:{line}: warning:")) && w.contains("expired on 2027-06-30")
    }));
    let html = html_at(&public, "de/compliance/index.html");
    assert!(
        html.contains("Abgelaufen am 30. Juni 2027"),
        "expired in German"
    );
    // ... and `candor check` fails naming the line.
    let (ok, lines) = check_at(root, "2027-07-01T00:30:00Z");
    assert!(!ok);
    assert!(
        lines.iter().any(|l| l.starts_with(&format!(
            "{CERTS}:{line}: error: `iso27001` (ISO/IEC 27001:2022) expired on 2027-06-30"
        ))),
        "{lines:#?}"
    );
}

#[test]
fn certification_data_that_disagrees_or_is_malformed_fails_check_with_file_and_line() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "valid_until: 2027-06-30",
            "valid_until: 2027-06-29",
            "valid_until: 2027-06-29",
            "`iso27001`: `valid_until: 2027-06-29` disagrees with its certificate document, content/documents/iso27001-certificate/index.md, whose `valid_until` is 2027-06-30",
        ),
        (
            "    body: \"Example Audit Partners AG\"",
            "    body: \"Example Audit Partners AG\"\n    issued: 2026-11-14",
            "issued: 2026-11-14",
            "disagrees with its certificate document",
        ),
        (
            "[2025-06-16, 2026-06-15]",
            "[2026-06-15, 2025-06-16]",
            "surveillance_audits:",
            "the surveillance audits are not in date order",
        ),
        (
            "[2025-06-16, 2026-06-15]",
            "[2023-06-16, 2026-06-15]",
            "surveillance_audits:",
            "the surveillance audit of 2023-06-16 is outside the certificate's validity",
        ),
        (
            "\"@/documents/iso27001-audit-report/index.md\"",
            "\"@/documents/iso27001-audit-reprot/index.md\"",
            "iso27001-audit-reprot",
            "there is no document `@/documents/iso27001-audit-reprot/index.md`",
        ),
        (
            "  - id: bsi-c5",
            "  - id: iso27001",
            "  - id: iso27001\n    name: \"BSI",
            "the certification id `iso27001` is used twice",
        ),
        (
            "    body: \"Example Certification GmbH\"",
            "    body: \"Example Certification GmbH\"\n    audited_by: someone",
            "audited_by",
            "unknown field `audited_by`",
        ),
    ];
    for (from, to, at, message) in cases {
        let site = example_site();
        let root = site.path();
        edit_file(&root.join(CERTS), |t| {
            assert!(t.contains(from), "{from}");
            t.replacen(from, to, 1)
        });
        let text = std::fs::read_to_string(root.join(CERTS)).unwrap();
        let line = if at.contains('\n') {
            let first = at.split('\n').next().unwrap();
            let pos = text.find(at).unwrap();
            text[..pos].lines().count()
                + usize::from(!first.is_empty() && text[..pos].ends_with('\n'))
        } else {
            line_of(root, CERTS, at)
        };
        let (ok, lines) = check_at(root, "2026-12-05T09:00:00Z");
        assert!(!ok, "{to}");
        let found = lines
            .iter()
            .find(|l| l.contains(message))
            .unwrap_or_else(|| panic!("no {message:?} in {lines:#?}"));
        assert!(
            found.starts_with(&format!("{CERTS}:{line}:")),
            "{found} (expected line {line})"
        );
        assert!(
            lines.iter().any(|l| l.trim_start().starts_with("hint:")),
            "{lines:#?}"
        );
    }
}

// The answer library.

/// The answers of the JSON export of `lang`.
fn exported(public: &Path, page: &str, name: &str, lang: &str) -> Vec<serde_json::Value> {
    let manifest = json(&public.join(format!("{page}{name}-{lang}.json")));
    assert_eq!(manifest["language"], lang);
    manifest["answers"].as_array().unwrap().clone()
}

/// A Python with openpyxl: `CANDOR_TEST_PYTHON` must have it (scripts/test installs it).
fn python() -> Option<String> {
    common::python::with("openpyxl, csv")
}

/// Reads a CSV with Python's csv module and an XLSX with openpyxl; both as lists of rows of text
/// (dates as YYYY-MM-DD).
const READER: &str = r#"
import csv, datetime, json, sys
import openpyxl
with open(sys.argv[1], newline="", encoding="utf-8-sig") as f:
    csv_rows = [row for row in csv.reader(f)]
book = openpyxl.load_workbook(sys.argv[2])
sheet = book.worksheets[0]
def text(v):
    if isinstance(v, datetime.datetime):
        return v.date().isoformat()
    return "" if v is None else str(v)
xlsx_rows = [[text(c) for c in row] for row in sheet.iter_rows(values_only=True)]
print(json.dumps({"csv": csv_rows, "xlsx": xlsx_rows, "sheets": len(book.worksheets),
                  "freeze": sheet.freeze_panes, "filter": sheet.auto_filter.ref}))
"#;

#[test]
fn the_exports_read_back_with_every_column_in_both_languages() {
    let Some(python) = python() else {
        eprintln!("skipped: no python3 with openpyxl (apt-get install python3-openpyxl)");
        return;
    };
    let site = example_site();
    let (out, _) = build_at(site.path(), "2026-12-05T09:00:00Z");
    let public = out.path().join("public");
    let headers = BTreeMap::from([
        (
            "en",
            vec![
                "ID",
                "Question",
                "Short answer",
                "Answer",
                "Topics",
                "Frameworks and controls",
                "Evidence",
                "Last reviewed",
                "Owner",
                "Language",
                "Link",
            ],
        ),
        (
            "de",
            vec![
                "ID",
                "Frage",
                "Kurze Antwort",
                "Antwort",
                "Themen",
                "Rahmenwerke und Kontrollen",
                "Nachweise",
                "Zuletzt geprüft",
                "Verantwortlich",
                "Sprache",
                "Link",
            ],
        ),
    ]);
    let pages = [
        ("en", "en/compliance/answers/", "security-answers"),
        (
            "de",
            "de/compliance/fragebogen-antworten/",
            "sicherheitsantworten",
        ),
    ];
    let mut counts = Vec::new();
    for (lang, page, name) in pages {
        let answers = exported(&public, page, name, lang);
        counts.push(answers.len());
        let csv = public.join(format!("{page}{name}-{lang}.csv"));
        let xlsx = public.join(format!("{page}{name}-{lang}.xlsx"));
        let output = Command::new(&python)
            .args(["-c", READER])
            .arg(&csv)
            .arg(&xlsx)
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let read: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
        assert_eq!(read["sheets"], 1);
        assert_eq!(read["freeze"], "A2", "the header row is frozen");
        assert!(
            read["filter"].as_str().unwrap().starts_with("A1:K"),
            "{}",
            read["filter"]
        );
        for format in ["csv", "xlsx"] {
            let rows = read[format].as_array().unwrap();
            let header: Vec<&str> = rows[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c.as_str().unwrap())
                .collect();
            assert_eq!(header, headers[lang], "{format} {lang}");
            assert_eq!(rows.len(), answers.len() + 1, "{format} {lang}");
            for (row, answer) in rows[1..].iter().zip(&answers) {
                let cell = |i: usize| row[i].as_str().unwrap().to_owned();
                assert_eq!(cell(0), answer["id"].as_str().unwrap());
                assert_eq!(cell(1), answer["question"].as_str().unwrap());
                assert_eq!(cell(2), answer["short"].as_str().unwrap());
                assert_eq!(cell(3), answer["long"].as_str().unwrap());
                let topics: Vec<&str> = answer["topics"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|t| t["label"].as_str().unwrap())
                    .collect();
                assert_eq!(cell(4), topics.join("; "));
                for f in answer["frameworks"].as_array().unwrap() {
                    assert!(cell(5).contains(f["framework"].as_str().unwrap()));
                }
                for e in answer["evidence"].as_array().unwrap() {
                    assert!(cell(6).contains(e["url"].as_str().unwrap()), "{}", cell(6));
                }
                assert_eq!(cell(7), answer["reviewed"].as_str().unwrap());
                assert_eq!(cell(8), answer["owner"].as_str().unwrap());
                assert_eq!(cell(9), lang, "every example answer is translated");
                assert_eq!(
                    cell(10),
                    format!("{BASE}/{page}#a-{}", answer["id"].as_str().unwrap())
                );
            }
        }
        // German text really is German, with its umlauts intact in both formats.
        if lang == "de" {
            let text = read.to_string();
            assert!(text.contains("ü") && text.contains("ä"), "umlauts survive");
        }
    }
    assert_eq!(counts[0], counts[1], "the same answers in both languages");
    assert!(
        counts[0] >= 40,
        "about 40 example answers, found {}",
        counts[0]
    );
}

#[test]
fn answers_link_confidential_evidence_to_the_request_form_and_filter_without_script() {
    let site = example_site();
    let (out, _) = build_at(site.path(), "2026-12-05T09:00:00Z");
    let public = out.path().join("public");
    let answers = exported(&public, "en/compliance/answers/", "security-answers", "en");
    let gated: Vec<&serde_json::Value> = answers
        .iter()
        .flat_map(|a| a["evidence"].as_array().unwrap())
        .filter(|e| e["on_request"] == true)
        .collect();
    assert!(
        !gated.is_empty(),
        "some answers cite confidential documents"
    );
    for e in &gated {
        let url = e["url"].as_str().unwrap();
        assert!(
            url.starts_with(&format!("{BASE}/portal/en/request/")),
            "{url}"
        );
    }
    for page in [
        "en/compliance/answers/index.html",
        "de/compliance/fragebogen-antworten/index.html",
    ] {
        let html = html_at(&public, page);
        // No script of its own: filters are links, details are <details>.
        assert!(!html.contains("<script"), "{page} has a script");
        let hrefs = attr_values(&html, "a", "href");
        assert!(
            !hrefs
                .iter()
                .any(|h| h.contains("/documents/") && h.ends_with(".pdf")),
            "{page}"
        );
        assert!(
            hrefs
                .iter()
                .any(|h| h.contains("/portal/") && h.contains("/request/")),
            "{page}"
        );
        assert_eq!(
            html.matches("<article class=answer ").count(),
            answers.len(),
            "{page}"
        );
    }
    // A topic's filter page lists exactly that topic's answers, and says so in its title.
    let in_topic = answers
        .iter()
        .filter(|a| {
            a["topics"]
                .as_array()
                .unwrap()
                .iter()
                .any(|t| t["id"] == "encryption")
        })
        .count();
    let html = html_at(&public, "en/compliance/answers/topic/encryption/index.html");
    assert_eq!(html.matches("<article class=answer ").count(), in_topic);
    assert!(
        html.contains("<title>Encryption – Security questionnaire answers"),
        "title"
    );
    assert!(html.contains(&format!(
        "{in_topic} of {} answers: Encryption",
        answers.len()
    )));
    assert!(
        html.contains("aria-current=page href=/en/compliance/answers/topic/encryption/>"),
        "current filter"
    );
    // A framework's filter page in German, under the German path segment.
    let dir = public.join("de/compliance/fragebogen-antworten/rahmenwerk/iso-iec-27001-2022");
    assert!(dir.join("index.html").is_file(), "{}", dir.display());
    // The answers are in the search index of their language.
    let index = std::fs::read_to_string(public.join("de/search-index.json")).unwrap();
    assert!(
        index.contains("/de/compliance/fragebogen-antworten/#a-encryption-at-rest"),
        "answers are searchable"
    );
}

const ENC: &str = "content/_data/answers/encryption.yaml";

/// Applies `edit` to the encryption answers of a fresh example site and runs `candor check`.
fn check_answers_edit(
    file: &str,
    edit: impl FnOnce(String) -> String,
) -> (tempfile::TempDir, bool, Vec<String>) {
    let site = example_site();
    edit_file(&site.path().join(file), edit);
    let (ok, lines) = check_at(site.path(), "2026-12-05T09:00:00Z");
    (site, ok, lines)
}

fn find<'a>(lines: &'a [String], message: &str) -> &'a str {
    lines
        .iter()
        .find(|l| l.contains(message))
        .unwrap_or_else(|| panic!("no {message:?} in {lines:#?}"))
}

#[test]
fn bad_answers_fail_check_naming_file_line_and_fix() {
    // (what to replace, with what, the text on the line the diagnostic must name, the message)
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "      - \"@/security/tom.md\"\n    text:",
            "      - \"@/security/tomm.md\"\n    text:",
            "@/security/tomm.md",
            "`encryption-at-rest`: the evidence `@/security/tomm.md` links to a missing page or document",
        ),
        (
            "      - \"@/security/tom.md\"\n    text:",
            "      - \"@/documents/iso27001-certificat/index.md\"\n    text:",
            "iso27001-certificat/",
            "links to a missing page or document",
        ),
        (
            "      - \"@/security/tom.md\"\n    text:",
            "      - \"security/tom.md\"\n    text:",
            "\"security/tom.md\"",
            "is neither a page (`@/…`) nor a web address",
        ),
        (
            "        question: \"Werden Kundendaten im Ruhezustand verschlüsselt?\"\n",
            "",
            "      de:",
            "`encryption-at-rest`: the `de` text has no question",
        ),
        (
            "    tags: [backups]",
            "    tags: [backup]",
            "tags: [backup]",
            "`encryption-at-rest`: the tag `backup` is not a topic",
        ),
        (
            "  - id: encryption-in-transit",
            "  - id: encryption-at-rest",
            "  - id: encryption-at-rest\n    tags: [network]",
            "the answer id `encryption-at-rest` is also used in",
        ),
        (
            "    reviewed: 2026-11-02\n    owner: \"Security team\"\n    evidence:\n      - \"@/security/encryption.md\"\n      - \"@/security/tom.md\"",
            "    reviewed: 2027-01-02\n    owner: \"Security team\"\n    evidence:\n      - \"@/security/encryption.md\"\n      - \"@/security/tom.md\"",
            "reviewed: 2027-01-02",
            "`encryption-at-rest` was reviewed on 2027-01-02, which is in the future",
        ),
        (
            "  - id: encryption-at-rest",
            "  - id: Encryption At Rest",
            "id: Encryption At Rest",
            "the answer id `Encryption At Rest` cannot be used as an anchor",
        ),
        (
            "    owner: \"Security team\"\n    evidence:\n      - \"@/security/encryption.md\"\n      - \"@/security/tom.md\"",
            "    owner: \"Security team\"\n    approved: yes\n    evidence:\n      - \"@/security/encryption.md\"\n      - \"@/security/tom.md\"",
            "approved: yes",
            "unknown field `approved`",
        ),
    ];
    for (from, to, at, message) in cases {
        let (site, ok, lines) = check_answers_edit(ENC, |t| {
            assert!(t.contains(from), "{from}");
            t.replacen(from, to, 1)
        });
        assert!(!ok, "{to}: {lines:#?}");
        let text = std::fs::read_to_string(site.path().join(ENC)).unwrap();
        let line = text[..text.find(at).unwrap_or_else(|| panic!("{at}"))]
            .matches('\n')
            .count()
            + 1;
        let found = find(&lines, message);
        assert!(
            found.starts_with(&format!("{ENC}:{line}:")),
            "{found} (expected line {line})"
        );
    }
    // A file that is not YAML in the folder.
    let site = example_site();
    std::fs::write(site.path().join("content/_data/answers/notes.txt"), "x").unwrap();
    let (ok, lines) = check_at(site.path(), "2026-12-05T09:00:00Z");
    assert!(!ok);
    assert!(
        find(&lines, "holds only YAML files").starts_with("content/_data/answers/notes.txt:"),
        "{lines:#?}"
    );
}

#[test]
fn stale_reviews_warn_after_the_configured_period_and_missing_translations_are_counted() {
    // Reviewed 13 months before the check: a warning naming the owner, not an error.
    let (site, ok, lines) = check_answers_edit(ENC, |t| {
        t.replacen("    reviewed: 2026-11-02", "    reviewed: 2025-11-04", 1)
    });
    assert!(ok, "{lines:#?}");
    let warning = find(
        &lines,
        "`encryption-at-rest` was last reviewed on 2025-11-04",
    );
    let line = line_of(site.path(), ENC, "reviewed: 2025-11-04");
    assert!(
        warning.starts_with(&format!("{ENC}:{line}: warning:")),
        "{warning}"
    );
    assert!(warning.contains("more than 12 months ago"), "{warning}");
    // `answers.review_months: 18` in site.yaml: no warning.
    edit_file(&site.path().join("site.yaml"), |t| {
        format!("{t}\nanswers:\n  review_months: 18\n")
    });
    let (ok, lines) = check_at(site.path(), "2026-12-05T09:00:00Z");
    assert!(ok);
    assert!(
        !lines.iter().any(|l| l.contains("last reviewed")),
        "{lines:#?}"
    );

    // An answer without German: a warning, the German page shows the English text marked as
    // English, and the translations report counts it.
    let (site, ok, lines) = check_answers_edit(ENC, |t| {
        let start = t
            .find("      de:\n        question: \"Werden Kundendaten")
            .unwrap();
        let end = start + t[start..].find("\n\n  - id:").unwrap();
        format!("{}{}", &t[..start], &t[end + 1..])
    });
    assert!(ok, "{lines:#?}");
    find(&lines, "`encryption-at-rest` has no `de` translation yet");
    let (out, _) = build_at(site.path(), "2026-12-05T09:00:00Z");
    let html = html_at(
        &out.path().join("public"),
        "de/compliance/fragebogen-antworten/index.html",
    );
    let at = html.find("id=a-encryption-at-rest").unwrap();
    let tag = &html[html[..at].rfind('<').unwrap()..at + html[at..].find('>').unwrap()];
    assert!(tag.contains("lang=en"), "marked as English: {tag}");
    assert!(html[at..].contains("sie wird auf Englisch angezeigt"));
    let (ok, stdout, stderr) = run_in(site.path(), &["translations", "--json"]);
    assert!(ok, "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let de = &report["answers"]["de"];
    assert_eq!(de["missing"], serde_json::json!(["encryption-at-rest"]));
    assert_eq!(
        de["translated"].as_u64().unwrap() + 1,
        de["total"].as_u64().unwrap()
    );
    let (_, stdout, _) = run_in(site.path(), &["translations"]);
    assert!(stdout.contains("answer `encryption-at-rest`"), "{stdout}");
}
