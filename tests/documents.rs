//! Documents, subprocessors and security.txt of the example site, checked on the built output.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use candor::site::build::{Options, build};
use common::*;
use sha2::{Digest, Sha256};

const BASE: &str = "https://trust.example.com";

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn build_at(site: &Path, now: &str) -> (tempfile::TempDir, candor::site::build::Summary) {
    let out = tempfile::tempdir().unwrap();
    let mut opts = Options::new(site);
    opts.now = now.parse().unwrap();
    let summary = build(&opts, &out.path().join("public")).expect("builds");
    (out, summary)
}

fn example() -> (
    tempfile::TempDir,
    tempfile::TempDir,
    candor::site::build::Summary,
) {
    let site = example_site();
    let (out, summary) = build_at(site.path(), "2026-11-20T12:00:00Z");
    (site, out, summary)
}

fn manifest(public: &Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(public.join("documents.json")).unwrap()).unwrap()
}

#[test]
fn public_files_are_published_under_versioned_and_latest_urls_with_their_checksums() {
    let (site, out, summary) = example();
    let public = out.path().join("public");
    assert_eq!(summary.documents, 9);
    let json = manifest(&public);
    let docs = json["documents"].as_array().unwrap();
    let dpa = docs.iter().find(|d| d["id"] == "dpa").unwrap();
    assert_eq!(dpa["access"], "public");
    assert_eq!(dpa["current_version"], "3.1");
    assert_eq!(dpa["title"]["de"], "Auftragsverarbeitungsvertrag (AVV)");
    assert_eq!(dpa["page"]["de"], format!("{BASE}/de/dokumente/avv/"));
    let v31 = &dpa["versions"][0]["files"]["en"];
    assert_eq!(
        v31["url"],
        format!("{BASE}/documents/dpa/3.1/dpa-3.1-en.pdf")
    );
    assert_eq!(
        v31["latest_url"],
        format!("{BASE}/documents/dpa/latest/dpa-en.pdf")
    );
    // Every published URL serves the source file byte for byte, and its checksum is right.
    let mut checked = 0;
    for doc in docs.iter().filter(|d| d["access"] == "public") {
        for version in doc["versions"].as_array().unwrap() {
            for file in version["files"].as_object().unwrap().values() {
                let path = file["url"].as_str().unwrap().strip_prefix(BASE).unwrap();
                let bytes = std::fs::read(public.join(&path[1..])).unwrap();
                assert_eq!(sha256(&bytes), file["sha256"], "{path}");
                assert_eq!(bytes.len() as u64, file["size"].as_u64().unwrap());
                checked += 1;
            }
        }
    }
    assert!(checked >= 8, "{checked}");
    // `latest` is the newest version.
    assert_eq!(
        std::fs::read(public.join("documents/dpa/latest/dpa-de.pdf")).unwrap(),
        std::fs::read(site.path().join("content/documents/dpa/avv-3.1-de.pdf")).unwrap()
    );
    // The page shows version, date, size, type and checksum, and older versions.
    let page = std::fs::read_to_string(public.join("en/documents/dpa/index.html")).unwrap();
    let hash = v31["sha256"].as_str().unwrap();
    for needle in [
        hash,
        "application/pdf",
        "June 1, 2026",
        "<dd>3.1",
        "/documents/dpa/3.0/dpa-3.0-en.pdf",
        "Version history",
        "KB",
    ] {
        assert!(page.contains(needle), "DPA page lacks {needle}");
    }
    let de = std::fs::read_to_string(public.join("de/dokumente/avv/index.html")).unwrap();
    assert!(
        regex::Regex::new(r"\d+,\d KB").unwrap().is_match(&de),
        "German sizes use a decimal comma"
    );
}

#[test]
fn the_version_history_shows_the_digest_of_every_published_file_of_every_version() {
    let (_site, out, _) = example();
    let public = out.path().join("public");
    let json = manifest(&public);
    let mut older = 0;
    for doc in json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["access"] == "public")
    {
        for (lang, page_url) in doc["page"].as_object().unwrap() {
            let path = page_url.as_str().unwrap().strip_prefix(BASE).unwrap();
            let html = std::fs::read_to_string(public.join(&path[1..]).join("index.html")).unwrap();
            let history = &html[html.find("doc-history-title").expect("a history table")..];
            for (i, version) in doc["versions"].as_array().unwrap().iter().enumerate() {
                // The history row names the file in the page's language (or the fallback).
                let files = version["files"].as_object().unwrap();
                let file = files.get(lang).or_else(|| files.values().next()).unwrap();
                let digest = file["sha256"].as_str().unwrap();
                let url = file["url"].as_str().unwrap().strip_prefix(BASE).unwrap();
                let row = history
                    .find(url)
                    .map(|at| &history[at..])
                    .unwrap_or_else(|| panic!("{path}: no history row links {url}"));
                let row = &row[..row.find("</tr>").unwrap()];
                assert!(
                    row.contains(digest),
                    "{path}: the row of {url} lacks its SHA-256 {digest}"
                );
                if i > 0 {
                    older += 1;
                }
            }
        }
    }
    // The DPA's older version in both languages at least.
    assert!(older >= 2, "{older}");
}

#[test]
fn no_gated_or_nda_file_reaches_the_output() {
    let (site, out, _) = example();
    let public = out.path().join("public");
    let json = manifest(&public);
    let mut confidential = Vec::new();
    for doc in json["documents"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["access"] != "public")
    {
        let id = doc["id"].as_str().unwrap();
        for version in doc["versions"].as_array().unwrap() {
            for file in version["files"].as_object().unwrap().values() {
                assert!(
                    file.get("url").is_none() && file.get("sha256").is_none(),
                    "{id}: {file}"
                );
            }
        }
        // Every file of the bundle's folder, whatever the front matter says.
        for entry in std::fs::read_dir(site.path().join("content/documents").join(id)).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e != "md") {
                confidential.push((path.clone(), std::fs::read(&path).unwrap()));
            }
        }
    }
    assert!(
        confidential.len() >= 4,
        "the example has gated and NDA files: {}",
        confidential.len()
    );
    let mut scanned = 0;
    for entry in walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
    {
        if !entry.file_type().is_file() {
            continue;
        }
        let bytes = std::fs::read(entry.path()).unwrap();
        for (source, secret) in &confidential {
            assert_ne!(
                &bytes,
                secret,
                "{} is a copy of {}",
                entry.path().display(),
                source.display()
            );
            let name = source.file_name().unwrap().to_string_lossy();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(name.as_ref()),
                "{} names the confidential file {name}",
                entry.path().display()
            );
        }
        scanned += 1;
    }
    assert!(scanned > 100);
    // Their pages show version and date, say how to ask, and have no checksum.
    let page =
        std::fs::read_to_string(public.join("en/documents/pentest-summary/index.html")).unwrap();
    assert!(page.contains("On request") && page.contains("2026"));
    assert!(
        page.contains("mailto:privacy@example.com"),
        "no portal configured: ask by e-mail"
    );
    assert!(!page.contains("SHA-256"));
}

#[test]
fn authoritative_language_fallback_files_and_validity_are_stated_in_each_language() {
    let (_site, out, _) = example();
    let public = out.path().join("public");
    let read = |p: &str| std::fs::read_to_string(public.join(p)).unwrap();
    assert!(
        read("en/documents/dpa/index.html").contains(
            "In case of conflict between language versions, the German version prevails."
        )
    );
    assert!(read("de/dokumente/avv/index.html").contains("Maßgebliche Sprache: Deutsch"));
    let uk_de = read("de/dokumente/uk-addendum/index.html");
    assert!(
        uk_de.contains("Dieses Dokument liegt nur auf Englisch vor."),
        "fallback stated"
    );
    assert!(uk_de.contains("/documents/uk-addendum/1.0/uk-addendum-1.0-en.pdf"));
    assert!(
        read("en/documents/iso27001-certificate/index.html").contains("Valid until June 30, 2027")
    );
    assert!(
        read("de/dokumente/iso27001-zertifikat/index.html").contains("Gültig bis 30. Juni 2027")
    );
    let index = read("en/documents/index.html");
    for needle in [
        "Privacy",
        "Security",
        "Compliance",
        "Legal",
        "On request, under NDA",
        "Public",
    ] {
        assert!(index.contains(needle), "documents index lacks {needle}");
    }
    let index_de = read("de/dokumente/index.html");
    assert!(
        index_de.contains("Auf Anfrage, mit Vertraulichkeitsvereinbarung")
            && index_de.contains("Rechtliches")
    );
}

#[test]
fn lapsed_certificates_are_marked_expired_in_both_languages_and_fail_check() {
    let site = example_site();
    // A day after the example certificate's `valid_until`.
    let (out, summary) = build_at(site.path(), "2027-07-01T00:00:00Z");
    let public = out.path().join("public");
    let en = std::fs::read_to_string(public.join("en/documents/iso27001-certificate/index.html"))
        .unwrap();
    let de = std::fs::read_to_string(public.join("de/dokumente/iso27001-zertifikat/index.html"))
        .unwrap();
    assert!(en.contains("Expired on June 30, 2027"), "{en}");
    assert!(de.contains("Abgelaufen am 30. Juni 2027"));
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.message == "the document expired on 2027-06-30")
    );
    let mut opts = Options::new(site.path());
    opts.now = "2027-07-01T00:00:00Z".parse().unwrap();
    opts.check = true;
    match candor::site::build::generate(&opts) {
        Err(candor::error::BuildError::Invalid(ds)) => assert!(
            ds.iter()
                .any(|d| d.is_error() && d.message == "the document expired on 2027-06-30"),
            "{ds:#?}"
        ),
        other => panic!("check must fail on a lapsed certificate: {other:?}"),
    }
    // Thirty days ahead, a warning.
    let (_out, summary) = build_at(site.path(), "2027-06-10T00:00:00Z");
    assert!(
        summary
            .warnings
            .iter()
            .any(|w| w.message.starts_with("the document expires in 20 days")),
        "{:#?}",
        summary.warnings
    );
}

#[test]
fn subprocessor_feeds_are_valid_atom_in_each_language() {
    let (site, out, _) = example();
    let public = out.path().join("public");
    let data: serde_yaml::Value = serde_yaml::from_str(
        &std::fs::read_to_string(site.path().join("content/_data/subprocessors.yaml")).unwrap(),
    )
    .unwrap();
    // The changes announced by the build's day (2026-11-20); later ones are not published yet.
    let changes = data["changes"]
        .as_sequence()
        .unwrap()
        .iter()
        .filter(|c| c["date"].as_str().unwrap() <= "2026-11-20")
        .count();
    assert!(changes > 0 && changes < data["changes"].as_sequence().unwrap().len());
    for (path, lang, added) in [
        ("en/subprocessors/feed.xml", "en", "Added: "),
        (
            "de/unterauftragsverarbeiter/feed.xml",
            "de",
            "Hinzugefügt: ",
        ),
    ] {
        let xml = std::fs::read(public.join(path)).unwrap();
        let feed = feed_rs::parser::parse(xml.as_slice()).unwrap_or_else(|e| panic!("{path}: {e}"));
        assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom);
        assert_eq!(feed.entries.len(), changes);
        assert_eq!(feed.language.as_deref(), Some(lang));
        assert!(feed.updated.is_some());
        assert!(
            feed.links
                .iter()
                .any(|l| l.rel.as_deref() == Some("self") && l.href == format!("{BASE}/{path}"))
        );
        assert!(
            feed.entries
                .iter()
                .any(|e| e.title.as_ref().unwrap().content.starts_with(added))
        );
        let mut ids: Vec<&str> = feed.entries.iter().map(|e| e.id.as_str()).collect();
        ids.dedup();
        assert_eq!(ids.len(), changes, "entry ids are unique");
        let page =
            std::fs::read_to_string(public.join(path.replace("feed.xml", "index.html"))).unwrap();
        assert!(
            page.contains("application/atom+xml"),
            "the page links its feed"
        );
        assert!(page.contains("Example Colocation GmbH"));
    }
}

/// Parses security.txt strictly by RFC 9116's field rules; returns the fields.
fn parse_security_txt(text: &str) -> BTreeMap<String, Vec<String>> {
    let allowed = [
        "Acknowledgments",
        "Canonical",
        "Contact",
        "Encryption",
        "Expires",
        "Hiring",
        "Policy",
        "Preferred-Languages",
        "CSAF",
    ];
    let mut fields: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for line in text.lines() {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (name, value) = line
            .split_once(": ")
            .unwrap_or_else(|| panic!("not `Field: value`: {line:?}"));
        assert!(
            allowed.iter().any(|a| a.eq_ignore_ascii_case(name)),
            "unknown field {name}"
        );
        assert!(
            !value.trim().is_empty() && value == value.trim(),
            "{line:?}"
        );
        fields
            .entry(name.to_owned())
            .or_default()
            .push(value.to_owned());
    }
    assert!(
        !fields.get("Contact").is_none_or(Vec::is_empty),
        "Contact is required"
    );
    assert_eq!(
        fields.get("Expires").map(Vec::len),
        Some(1),
        "exactly one Expires"
    );
    assert!(fields.get("Preferred-Languages").map_or(0, Vec::len) <= 1);
    let expires = &fields["Expires"][0];
    chrono::DateTime::parse_from_rfc3339(expires).expect("Expires is RFC 3339");
    for (name, values) in &fields {
        for v in values {
            let uri_field = !matches!(name.as_str(), "Expires" | "Preferred-Languages");
            if uri_field {
                let ok = v.starts_with("https://")
                    || (name == "Contact" && (v.starts_with("mailto:") || v.starts_with("tel:")));
                assert!(ok, "{name}: {v} must be an https URI (RFC 9116 §2.5)");
            }
        }
    }
    fields
}

#[test]
fn security_txt_follows_rfc_9116() {
    let (_site, out, _) = example();
    let text = std::fs::read_to_string(out.path().join("public/.well-known/security.txt")).unwrap();
    let fields = parse_security_txt(&text);
    assert_eq!(
        fields["Canonical"],
        [format!("{BASE}/.well-known/security.txt")]
    );
    assert_eq!(
        fields["Policy"],
        [format!("{BASE}/en/vulnerability-disclosure/")]
    );
    assert_eq!(fields["Preferred-Languages"], ["en, de"]);
    assert!(fields["Encryption"][0].ends_with("/.well-known/pgp-key.txt"));
    assert!(
        out.path().join("public/.well-known/pgp-key.txt").is_file(),
        "the encryption key is published"
    );
}

#[test]
fn confidential_documents_link_to_the_portals_request_form() {
    // The example site has a portal on its own origin (`/portal`).
    let (site, out, _) = example();
    let page = as_minified(
        &std::fs::read_to_string(
            out.path()
                .join("public/de/dokumente/iso27001-auditbericht/index.html"),
        )
        .unwrap(),
    );
    assert!(
        page.contains("href=/portal/de/request/iso27001-audit-report"),
        "{page}"
    );
    assert!(
        page.contains("Vertraulichkeitsvereinbarung"),
        "NDA documents say so"
    );
    // The portal's page frames are for `candor serve` only.
    assert!(!out.path().join("public/_candor").exists());
    // A portal elsewhere: its URL is used as written.
    common::edit_file(&site.path().join("site.yaml"), |config| {
        config.replace(
            "portal:\n",
            "portal:\n  url: https://portal.example.net/trust\n",
        )
    });
    let (out, _) = build_at(site.path(), "2026-11-20T12:00:00Z");
    let page = as_minified(
        &std::fs::read_to_string(
            out.path()
                .join("public/en/documents/pentest-summary/index.html"),
        )
        .unwrap(),
    );
    assert!(
        page.contains("href=https://portal.example.net/trust/en/request/pentest-summary"),
        "{page}"
    );
}
