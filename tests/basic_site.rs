//! The `basic` fixture: translations (and a missing one), slugs, ordering, drafts, aliases,
//! template overrides and Markdown features, built through the library.

mod common;

use candor::site::build::{Options, build, generate};
use common::*;

fn build_basic(
    drafts: bool,
) -> (
    tempfile::TempDir,
    std::collections::BTreeMap<String, String>,
    candor::site::build::Summary,
) {
    let site = fixture("basic", &[]);
    let out = site.path().join("public");
    let mut opts = Options::new(site.path());
    opts.drafts = drafts;
    opts.now = "2029-06-01T00:00:00Z".parse().unwrap();
    let summary = build(&opts, &out).unwrap();
    let html = minified_html_files(&out);
    (site, html, summary)
}

#[test]
fn localized_slugs_nest_under_localized_sections() {
    let (_s, html, _) = build_basic(false);
    assert!(html.contains_key("de/richtlinie/index.html"));
    assert!(html.contains_key("de/leitfaeden/index.html"));
    assert!(html.contains_key("en/guides/setup/index.html"));
    // A page missing in German gets a notice at the URL it would have, under the German section slug.
    assert!(html.contains_key("de/leitfaeden/setup/index.html"));
}

#[test]
fn missing_translation_shows_a_notice_linking_the_english_page_and_is_a_warning() {
    let (_s, html, summary) = build_basic(false);
    let notice = &html["de/leitfaeden/setup/index.html"];
    assert!(
        notice.contains("Noch nicht auf Deutsch verfügbar"),
        "{notice}"
    );
    assert!(
        notice.contains(
            "<a href=/en/guides/setup/ hreflang=en><span lang=en>Setup</span> (English)</a>"
        ),
        "{notice}"
    );
    assert!(notice.contains("<meta content=noindex name=robots>"));
    // The switcher on the English page leads to that notice.
    let setup = &html["en/guides/setup/index.html"];
    assert!(
        setup.contains("<a href=/de/leitfaeden/setup/ hreflang=de lang=de>Deutsch</a>"),
        "{setup}"
    );
    // Only existing translations are hreflang alternates.
    assert_eq!(
        alternates(setup)
            .iter()
            .map(|(l, _)| l.as_str())
            .collect::<Vec<_>>(),
        ["en", "x-default"]
    );
    let warned: Vec<String> = summary.warnings.iter().map(|w| w.to_string()).collect();
    assert_eq!(warned.len(), 2, "{warned:#?}");
    assert!(
        warned[0]
            .starts_with("content/guides/setup.md: warning: this page has no `de` translation yet"),
        "{}",
        warned[0]
    );
    assert!(warned[0].contains("Create content/guides/setup.de.md"));
    assert!(warned[1].starts_with("content/guides/zebra.md: warning:"));
}

#[test]
fn sections_order_by_weight_then_title_and_mark_the_current_page() {
    let (_s, html, _) = build_basic(false);
    let section = &html["en/guides/index.html"];
    let zebra = section.find("Alpha by weight but Zebra by name").unwrap();
    let setup = section.find(">Setup<").unwrap();
    assert!(zebra < setup, "weight 1 comes before weight 2");
    let home = &html["en/index.html"];
    let guides = home.find(">Guides<").unwrap();
    let policy = home.find(">Policy<").unwrap();
    assert!(
        guides < policy,
        "weight 10 before weight 20 in the main navigation"
    );
    let page = &html["en/guides/setup/index.html"];
    assert!(
        page.contains("<a aria-current=page href=/en/guides/setup/>Setup</a>"),
        "{page}"
    );
    assert!(
        page.contains("<a aria-current=true href=/en/guides/>Guides</a>"),
        "main nav marks the section"
    );
    // Breadcrumbs lead home through the section.
    assert!(
        page.contains("<a href=/en/>Home</a>") && page.contains("<a href=/en/guides/>Guides</a>")
    );
}

#[test]
fn drafts_are_left_out_unless_asked_for() {
    let (_s, html, summary) = build_basic(false);
    assert!(!html.keys().any(|k| k.contains("draft")));
    assert_eq!(summary.pages["en"], 5);
    let (_s, html, summary) = build_basic(true);
    assert!(html.contains_key("en/guides/draft/index.html"));
    assert!(html.contains_key("de/leitfaeden/draft/index.html"));
    assert_eq!(summary.pages["en"], 6);
}

#[test]
fn aliases_redirect_to_the_page() {
    let (_s, html, _) = build_basic(false);
    let redirect = &html["en/old-policy/index.html"];
    assert!(
        redirect.contains("content=\"0; url=https://trust.example.com/en/policy/\""),
        "{redirect}"
    );
    assert!(redirect.contains("<link href=https://trust.example.com/en/policy/ rel=canonical>"));
}

#[test]
fn template_override_and_markdown_features() {
    let (_s, html, _) = build_basic(false);
    assert!(
        html["en/guides/setup/index.html"].contains("custom template for guides/setup.md in en")
    );
    let policy = &html["en/policy/index.html"];
    assert!(policy.contains("<table>"));
    assert!(policy.contains("<del>nothing</del>"));
    assert!(policy.contains("footnote-definition"));
    assert!(policy.contains("☑ written") && policy.contains("☐ reviewed"));
    assert!(policy.contains("<a href=https://owasp.org/ rel=noopener>OWASP</a>"));
    assert!(policy.contains("<h2 id=scope>Scope<a aria-label=\"Link to this section: Scope\" class=anchor href=#scope>#</a></h2>"), "{policy}");
    // A table of contents with both headings.
    assert!(policy.contains("<nav aria-label=\"On this page\" class=toc>"));
    // The German page links the English-only guide with hreflang and its anchor.
    let de = &html["de/richtlinie/index.html"];
    assert!(
        de.contains("<a href=/en/guides/setup/#schritte hreflang=en>Leitfaden</a>"),
        "{de}"
    );
    assert!(de.contains("Zuletzt aktualisiert am 1. März 2024"));
    assert!(policy.contains("Last updated March 1, 2024"));
}

#[test]
fn generate_is_deterministic() {
    let site = fixture("basic", &[]);
    let a = generate(&Options::new(site.path())).unwrap();
    let b = generate(&Options::new(site.path())).unwrap();
    let bytes = |g: &candor::site::build::Generated| -> Vec<(String, Vec<u8>)> {
        g.files
            .iter()
            .filter_map(|f| f.as_bytes().map(|b| (f.path.clone(), b.to_vec())))
            .collect()
    };
    assert_eq!(bytes(&a), bytes(&b));
}

#[test]
fn every_page_of_a_large_section_marks_itself_and_nothing_else_in_the_side_navigation() {
    // Pages of one section render in parallel and share the section's navigation (taken from a
    // pool, marked, given back): each must still see only itself as current.
    let site = fixture("basic", &[]);
    let dir = site.path().join("content/guides");
    for i in 0..40 {
        std::fs::write(
            dir.join(format!("topic-{i:02}.md")),
            format!(
                "---\ntitle: Topic {i:02}\nweight: {}\n---\nText {i}.\n",
                100 + i
            ),
        )
        .unwrap();
    }
    let out = site.path().join("public");
    let mut opts = Options::new(site.path());
    opts.now = "2029-06-01T00:00:00Z".parse().unwrap();
    build(&opts, &out).unwrap();
    let html = minified_html_files(&out);
    for i in 0..40 {
        let page = &html[&format!("en/guides/topic-{i:02}/index.html")];
        let sidebar = &page[page.find("class=sidebar").expect("a side navigation")..];
        let sidebar = &sidebar[..sidebar.find("</aside>").unwrap()];
        let marked: Vec<&str> = sidebar
            .match_indices("aria-current=page")
            .map(|(at, _)| &sidebar[at..at + 60.min(sidebar.len() - at)])
            .collect();
        assert_eq!(marked.len(), 1, "topic {i:02}: {marked:?}");
        assert!(
            marked[0].contains(&format!("href=/en/guides/topic-{i:02}/")),
            "topic {i:02} marks {marked:?}"
        );
        // Every page of the section is listed, in order of weight.
        let first = sidebar.find(">Topic 00<").unwrap();
        let last = sidebar.find(">Topic 39<").unwrap();
        assert!(first < last);
    }
    let section = &html["en/guides/index.html"];
    let sidebar = &section[section.find("class=sidebar").unwrap()..];
    let sidebar = &sidebar[..sidebar.find("</aside>").unwrap()];
    assert_eq!(
        sidebar.matches("aria-current=page").count(),
        1,
        "the section page marks its own title only: {sidebar}"
    );
    assert!(sidebar.contains("<a aria-current=page href=/en/guides/>"));
}
