//! Builds the bundled example site and checks the output as a visitor and a crawler see it.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use candor::site::build::{Options, build};
use common::*;

const BASE: &str = "https://trust.example.com";

struct Built {
    _site: tempfile::TempDir,
    out: tempfile::TempDir,
    /// Every page as [`as_minified`] spells it.
    html: BTreeMap<String, String>,
    /// Every page as the build wrote it.
    written: BTreeMap<String, String>,
    summary: candor::site::build::Summary,
}

fn build_example() -> Built {
    let site = example_site();
    let out = tempfile::tempdir().unwrap();
    // A fixed "now", so that the test does not start failing when the example's security.txt
    // approaches its expiry date.
    let mut opts = Options::new(site.path());
    opts.now = "2026-11-20T12:00:00Z".parse().unwrap();
    let summary = build(&opts, &out.path().join("public")).expect("example site builds");
    let written = html_files(&out.path().join("public"));
    let html = written
        .iter()
        .map(|(path, page)| (path.clone(), as_minified(page)))
        .collect();
    Built {
        _site: site,
        out,
        html,
        written,
        summary,
    }
}

/// Pages proper: not the chooser, 404s, alias redirects or the (noindex) search pages.
fn content_pages(html: &BTreeMap<String, String>) -> BTreeMap<&str, &str> {
    html.iter()
        .filter(|(path, text)| {
            path.ends_with("/index.html")
                && !text.contains("http-equiv=refresh")
                && !text.contains("<meta content=noindex name=robots>")
        })
        .map(|(p, t)| (p.as_str(), t.as_str()))
        .collect()
}

#[test]
fn every_page_exists_in_both_languages_without_warnings() {
    let b = build_example();
    assert!(b.summary.warnings.is_empty(), "{:#?}", b.summary.warnings);
    assert_eq!(b.summary.pages["en"], b.summary.pages["de"]);
    assert!(
        b.summary.pages["en"] >= 30,
        "the example covers every topic: {:?}",
        b.summary.pages
    );
    let pages = content_pages(&b.html);
    // A paginated section's further listing pages are the section's page, not pages of their own;
    // so are the answer library's pages of one topic or framework.
    let listing = regex::Regex::new(
        r"/(page|seite)/[0-9]+/index\.html$|/(answers|fragebogen-antworten)/(topic|thema|framework|rahmenwerk)/",
    )
    .unwrap();
    let own = |lang: &str| {
        pages
            .keys()
            .filter(|p| p.starts_with(lang) && !listing.is_match(p))
            .count()
    };
    let (en, de) = (own("en/"), own("de/"));
    assert_eq!(en, b.summary.pages["en"]);
    assert_eq!(de, b.summary.pages["de"]);
    for (path, text) in &pages {
        let lang = &path[..2];
        assert!(
            text.starts_with(&format!("<!doctype html><html lang={lang}>")),
            "{path}"
        );
        let alts = alternates(text);
        let langs: BTreeSet<&str> = alts.iter().map(|(l, _)| l.as_str()).collect();
        assert_eq!(langs, BTreeSet::from(["de", "en", "x-default"]), "{path}");
    }
}

#[test]
fn hreflang_alternates_are_symmetric_and_point_at_pages() {
    let b = build_example();
    let pages = content_pages(&b.html);
    for (path, text) in &pages {
        let own = format!("{BASE}/{}", path.trim_end_matches("index.html"));
        for (lang, href) in alternates(text) {
            let target = file_for_url(&href, BASE).unwrap();
            let other = b
                .html
                .get(&target)
                .unwrap_or_else(|| panic!("{path}: {href} does not exist"));
            if lang == "x-default" {
                assert!(
                    target.starts_with("en/"),
                    "{path}: x-default is the default language"
                );
                continue;
            }
            assert!(
                target.starts_with(&format!("{lang}/")),
                "{path}: {href} is not in {lang}"
            );
            assert!(
                alternates(other).iter().any(|(_, h)| *h == own),
                "{target} does not link back to {own}"
            );
        }
    }
}

#[test]
fn a_build_written_to_disk_is_what_a_build_in_memory_makes() {
    // `build` renders each page as soon as its Markdown is ready and keeps no bodies;
    // `generate` keeps them (tests, the preview). Both must write the same site.
    let b = build_example();
    let mut opts = Options::new(b._site.path());
    opts.now = "2026-11-20T12:00:00Z".parse().unwrap();
    let generated = candor::site::build::generate(&opts).unwrap();
    let public = b.out.path().join("public");
    let mut compared = 0;
    for file in &generated.files {
        if file.path.starts_with("_candor/") {
            continue; // the portal's page frames stay in memory
        }
        let written =
            std::fs::read(public.join(&file.path)).unwrap_or_else(|e| panic!("{}: {e}", file.path));
        let expected = match &file.data {
            candor::site::output::Data::Bytes(bytes) => bytes.clone(),
            candor::site::output::Data::Copy(source) => std::fs::read(source).unwrap(),
        };
        assert!(written == expected, "{} differs", file.path);
        compared += 1;
    }
    let on_disk = walkdir::WalkDir::new(&public)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .filter(|e| e.file_name() != candor::site::output::MARKER)
        .count();
    assert_eq!(compared, on_disk, "both builds make the same files");
    assert_eq!(b.summary.warnings, generated.warnings);
}

#[test]
fn the_search_pages_name_each_other_as_hreflang_alternates() {
    let b = build_example();
    let en = &b.html["en/search/index.html"];
    let de = &b.html["de/suche/index.html"];
    let expected = vec![
        ("de".to_owned(), format!("{BASE}/de/suche/")),
        ("en".to_owned(), format!("{BASE}/en/search/")),
        ("x-default".to_owned(), format!("{BASE}/en/search/")),
    ];
    for page in [en, de] {
        let mut alts = alternates(page);
        alts.sort();
        assert_eq!(alts, expected);
        // Still kept out of search engines' indexes.
        assert!(page.contains("<meta content=noindex name=robots>"));
    }
}

#[test]
fn every_internal_link_and_asset_resolves() {
    let b = build_example();
    let public = b.out.path().join("public");
    let mut checked = 0;
    for (path, text) in &b.html {
        let links = attr_values(text, "a", "href")
            .into_iter()
            .chain(attr_values(text, "link", "href"))
            .chain(attr_values(text, "img", "src"))
            .chain(attr_values(text, "script", "src"));
        for href in links {
            if href.starts_with("mailto:") || (href.starts_with("http") && !href.starts_with(BASE))
            {
                continue;
            }
            // Served by the portal, not a file (tests/portal.rs follows these links).
            if href.starts_with("/portal/") {
                continue;
            }
            let (url, fragment) = match href.split_once('#') {
                Some((u, f)) => (u.to_owned(), Some(f.to_owned())),
                None => (href.clone(), None),
            };
            let file = if url.is_empty() {
                path.clone()
            } else {
                file_for_url(&url, BASE).unwrap_or_else(|| panic!("{path}: relative link {href}"))
            };
            assert!(
                public.join(&file).is_file(),
                "{path}: {href} → {file} is missing"
            );
            if let Some(f) = fragment.filter(|f| !f.is_empty()) {
                let target = &b.html[&file];
                let decoded = f
                    .replace("%C3%BC", "ü")
                    .replace("%C3%A4", "ä")
                    .replace("%C3%B6", "ö")
                    .replace("%C3%9F", "ß");
                assert!(
                    target.contains(&format!("id={decoded}>"))
                        || target.contains(&format!("id=\"{decoded}\""))
                        || target.contains(&format!("id={decoded} ")),
                    "{path}: anchor #{f} not found in {file}"
                );
            }
            checked += 1;
        }
    }
    assert!(checked > 1000, "the crawler followed {checked} links");
}

#[test]
fn sitemap_lists_every_page_with_alternates_and_lastmod() {
    let b = build_example();
    let public = b.out.path().join("public");
    let sitemap = std::fs::read_to_string(public.join("sitemap.xml")).unwrap();
    let locs: BTreeSet<String> = regex::Regex::new(r"<loc>([^<]+)</loc>")
        .unwrap()
        .captures_iter(&sitemap)
        .map(|c| c[1].to_owned())
        .collect();
    let pages = content_pages(&b.html);
    for path in pages.keys() {
        let url = format!("{BASE}/{}", path.trim_end_matches("index.html"));
        assert!(locs.contains(&url), "sitemap misses {url}");
    }
    assert_eq!(locs.len(), pages.len());
    assert_eq!(
        sitemap.matches("<url>").count(),
        sitemap.matches("<lastmod>").count(),
        "every example page has `updated`"
    );
    assert_eq!(
        sitemap.matches("hreflang=\"x-default\"").count(),
        pages.len()
    );
    let robots = std::fs::read_to_string(public.join("robots.txt")).unwrap();
    assert!(robots.contains(&format!("Sitemap: {BASE}/sitemap.xml")));
}

#[test]
fn output_is_minified_self_contained_and_csp_friendly() {
    let b = build_example();
    let search_js = regex::Regex::new(r"^/js/search\.[0-9a-f]{10}\.js$").unwrap();
    for (path, text) in &b.written {
        assert!(!text.contains("\n "), "{path} is not minified");
        // Only the search pages use a script: the site's own, fingerprinted, loaded from a file.
        let scripts = attr_values(text, "script", "src");
        if path.ends_with("/search/index.html") || path.ends_with("/suche/index.html") {
            assert_eq!(scripts.len(), 1, "{path}");
            assert!(search_js.is_match(&scripts[0]), "{scripts:?}");
        } else {
            assert!(!text.contains("<script"), "{path} needs no JavaScript");
        }
        assert_eq!(
            text.matches("<script").count(),
            scripts.len(),
            "{path}: no inline scripts"
        );
        assert!(
            !text.contains(" style="),
            "{path} has an inline style (blocked by the CSP)"
        );
        assert!(!text.contains("<style"), "{path} has an inline style sheet");
        for tag in ["link", "img", "script", "iframe"] {
            for attr in ["href", "src"] {
                for url in attr_values(text, tag, attr) {
                    let third_party = url.starts_with("//")
                        || (url.starts_with("http") && !url.starts_with(BASE));
                    assert!(!third_party, "{path}: third-party resource {url}");
                }
            }
        }
    }
    // The style sheet is fingerprinted and referenced with its hash.
    let home = &b.html["en/index.html"];
    let css = attr_values(home, "link", "href")
        .into_iter()
        .find(|h| h.ends_with(".css"))
        .unwrap();
    assert!(
        regex::Regex::new(r"^/css/style\.[0-9a-f]{10}\.css$")
            .unwrap()
            .is_match(&css),
        "{css}"
    );
    assert!(b.out.path().join("public").join(&css[1..]).is_file());
}

#[test]
fn german_pages_are_german_and_switch_to_the_same_english_page() {
    let b = build_example();
    let gdpr_de = &b.html["de/datenschutz/dsgvo/index.html"];
    assert!(gdpr_de.contains("Zum Inhalt springen"));
    assert!(gdpr_de.contains("Zuletzt aktualisiert am"));
    assert!(gdpr_de.contains("<a href=/en/privacy/gdpr/ hreflang=en lang=en>English</a>"));
    let gdpr_en = &b.html["en/privacy/gdpr/index.html"];
    assert!(gdpr_en.contains("<a href=/de/datenschutz/dsgvo/ hreflang=de lang=de>Deutsch</a>"));
    assert!(gdpr_en.contains("Skip to content"));
    // Localized dates in both languages.
    let date_en = regex::Regex::new(r"Last updated (January|February|March|April|May|June|July|August|September|October|November|December) \d{1,2}, 20\d\d").unwrap();
    let date_de = regex::Regex::new(r"Zuletzt aktualisiert am \d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) 20\d\d").unwrap();
    assert!(date_en.is_match(gdpr_en));
    assert!(date_de.is_match(gdpr_de));
}

#[test]
fn example_covers_the_trust_center_topics_and_renders_features_from_data() {
    let b = build_example();
    for path in [
        "en/security/encryption/index.html",
        "en/security/access-control/index.html",
        "en/security/backups/index.html",
        "en/security/tenant-isolation/index.html",
        "en/security/data-centers/index.html",
        "en/development/threat-modeling/index.html",
        "en/privacy/gdpr/index.html",
        "en/privacy/lgpd/index.html",
        "en/privacy/ccpa/index.html",
        "en/privacy/pdpa/index.html",
        "en/privacy/uk-gdpr/index.html",
        "en/privacy/dpo/index.html",
        "en/privacy/dpa/index.html",
        "en/vulnerability-disclosure/index.html",
        "de/sicherheit/verschluesselung/index.html",
        "de/datenschutz/auftragsverarbeitung/index.html",
        "de/schwachstellen-melden/index.html",
    ] {
        assert!(b.html.contains_key(path), "missing {path}");
    }
    let features_en = &b.html["en/product/index.html"];
    let features_de = &b.html["de/produktsicherheit/index.html"];
    for (page, cloud_only) in [
        (features_en, "Example Workspace Cloud only"),
        (features_de, "Nur in Example Workspace Cloud"),
    ] {
        assert_eq!(
            page.matches("class=\"card feature\"").count(),
            10,
            "ten features from content/_data/features.yaml"
        );
        assert!(page.contains(cloud_only));
    }
    assert!(
        features_en.contains("Password policies") && features_de.contains("Passwortrichtlinien")
    );
}

#[test]
fn chooser_404s_and_security_txt() {
    let b = build_example();
    let chooser = &b.html["index.html"];
    assert!(chooser.contains("href=/en/ hreflang=en") && chooser.contains("href=/de/ hreflang=de"));
    assert!(b.html["en/404.html"].contains("Page not found"));
    assert!(b.html["de/404.html"].contains("Seite nicht gefunden"));
    assert_eq!(b.html["404.html"], b.html["en/404.html"]);
    let txt =
        std::fs::read_to_string(b.out.path().join("public/.well-known/security.txt")).unwrap();
    assert!(txt.contains("Contact: mailto:security@example.com\n"));
    assert!(txt.contains(&format!("Policy: {BASE}/en/vulnerability-disclosure/\n")));
    assert!(txt.contains(&format!("Canonical: {BASE}/.well-known/security.txt\n")));
    assert!(txt.contains("Preferred-Languages: en, de\n"));
    assert!(
        regex::Regex::new(r"(?m)^Expires: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$")
            .unwrap()
            .is_match(&txt)
    );
}

#[test]
fn each_language_has_a_search_page_and_an_index_of_its_pages() {
    let b = build_example();
    let public = b.out.path().join("public");
    for (lang, page, needle) in [
        ("en", "en/search/index.html", "Encryption"),
        ("de", "de/suche/index.html", "Verschlüsselung"),
    ] {
        assert!(b.html.contains_key(page), "{page}");
        let index: Vec<serde_json::Value> = serde_json::from_slice(
            &std::fs::read(public.join(format!("{lang}/search-index.json"))).unwrap(),
        )
        .unwrap();
        // Every page, and every answer of the questionnaire library (at its anchor).
        let answers = index
            .iter()
            .filter(|e| e["u"].as_str().unwrap().contains("/#a-"))
            .count();
        assert!(answers >= 40, "{lang}: {answers} answers indexed");
        assert_eq!(
            index.len() - answers,
            b.summary.pages[lang],
            "every {lang} page is indexed"
        );
        assert!(
            index
                .iter()
                .all(|e| e["u"].as_str().unwrap().starts_with(&format!("/{lang}/")))
        );
        assert!(
            index
                .iter()
                .any(|e| e["t"] == needle && !e["x"].as_str().unwrap().is_empty())
        );
        // The header of every page has a search form leading there.
        assert!(
            b.html[&format!("{lang}/index.html")]
                .contains(&format!("action=/{}", page.trim_end_matches("index.html")))
        );
    }
}
