//! Paginated section listings and the side navigation of large sections, on sites generated
//! from the `basic` fixture plus a `news` section of any size.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use candor::site::build::{Options, build};
use common::*;

/// One page of the generated `news` section.
struct Item {
    name: String,
    title: String,
    extra: String,
}

fn items(prefix: &str, n: usize) -> Vec<Item> {
    (1..=n)
        .map(|i| Item {
            name: format!("item-{i:04}"),
            title: format!("{prefix} {i:04}"),
            extra: String::new(),
        })
        .collect()
}

/// The basic fixture with a `news` section: `section` is the English section's extra front
/// matter, `en` and `de` its pages in each language (German files beside the English ones),
/// `site` lines appended to site.yaml.
fn site_with_news(section: &str, en: &[Item], de: &[Item], site: &str) -> tempfile::TempDir {
    let dir = fixture("basic", &[]);
    let news = dir.path().join("content/news");
    std::fs::create_dir_all(&news).unwrap();
    std::fs::write(
        news.join("_index.md"),
        format!("---\ntitle: News\nweight: 30\n{section}---\nWhat is new.\n"),
    )
    .unwrap();
    std::fs::write(
        news.join("_index.de.md"),
        "---\ntitle: Neues\nslug: neues\nweight: 30\n---\nWas es Neues gibt.\n",
    )
    .unwrap();
    for (items, suffix) in [(en, ""), (de, ".de")] {
        for item in items {
            std::fs::write(
                news.join(format!("{}{suffix}.md", item.name)),
                format!(
                    "---\ntitle: \"{}\"\n{}---\nText of {}.\n",
                    item.title, item.extra, item.title
                ),
            )
            .unwrap();
        }
    }
    if !site.is_empty() {
        edit_file(&dir.path().join("site.yaml"), |yaml| {
            format!("{yaml}{site}\n")
        });
    }
    dir
}

fn build_site(dir: &Path, drafts: bool) -> BTreeMap<String, String> {
    let out = dir.join("public");
    let mut opts = Options::new(dir);
    opts.drafts = drafts;
    opts.now = "2029-06-01T00:00:00Z".parse().unwrap();
    build(&opts, &out).unwrap_or_else(|e| panic!("{e}"));
    minified_html_files(&out)
}

/// The titles a listing page lists, in order.
fn listed(html: &str) -> Vec<String> {
    let cards = &html[html.find("<ul class=cards>").expect("a listing")..];
    let cards = &cards[..cards.find("</ul>").unwrap()];
    regex::Regex::new(r"<h3><a [^>]*>([^<]*)</a>")
        .unwrap()
        .captures_iter(cards)
        .map(|c| c[1].to_owned())
        .collect()
}

fn listing_files(html: &BTreeMap<String, String>, section: &str) -> Vec<String> {
    html.keys()
        .filter(|p| p.starts_with(section) && p.contains("/page/") || p.contains("/seite/"))
        .filter(|p| p.starts_with(section))
        .cloned()
        .collect()
}

fn rel(html: &str, rel: &str) -> Option<String> {
    regex::Regex::new(&format!(r"<link href=([^ >]+) rel={rel}>"))
        .unwrap()
        .captures(html)
        .map(|c| c[1].trim_matches('"').to_owned())
}

#[test]
fn n_plus_one_pages_make_two_listing_pages_in_weight_then_title_order() {
    let mut en = items("Item", 11);
    // Weight first, then title: the last item by name comes first.
    en[10].extra = "weight: 1\n".into();
    let dir = site_with_news("paginate_by: 10\n", &en, &[], "");
    let html = build_site(dir.path(), false);
    let first = &html["en/news/index.html"];
    let second = &html["en/news/page/2/index.html"];
    let mut expected: Vec<String> = vec!["Item 0011".into()];
    expected.extend((1..=9).map(|i| format!("Item {i:04}")));
    assert_eq!(listed(first), expected);
    assert_eq!(listed(second), ["Item 0010"]);
    assert!(!html.contains_key("en/news/page/3/index.html"));
    // rel prev/next between them, absolute, and none beyond the ends.
    let base = "https://trust.example.com";
    assert_eq!(
        rel(first, "next").as_deref(),
        Some(&*format!("{base}/en/news/page/2/"))
    );
    assert_eq!(rel(first, "prev"), None);
    assert_eq!(
        rel(second, "prev").as_deref(),
        Some(&*format!("{base}/en/news/"))
    );
    assert_eq!(rel(second, "next"), None);
    // The pager: a labelled navigation with the current page marked.
    assert!(
        second.contains("<nav aria-label=\"Listing pages\" class=pager>"),
        "{second}"
    );
    assert!(
        second.contains("aria-current=page href=/en/news/page/2/>2</a>"),
        "{second}"
    );
    assert!(second.contains("Entries 11 to 11 of 11"));
    assert!(second.contains("<title>News – Page 2 – Basic Trust Center</title>"));
    // The section's text stands on its first page only; each page is its own canonical URL.
    assert!(first.contains("What is new."));
    assert!(!second.contains("What is new."));
    assert!(second.contains(&format!("<link href={base}/en/news/page/2/ rel=canonical>")));
    // /page/1/ is the section itself.
    let redirect = &html["en/news/page/1/index.html"];
    assert!(
        redirect.contains(&format!("url={base}/en/news/")),
        "{redirect}"
    );
    assert!(redirect.contains("<meta content=noindex name=robots>"));
}

#[test]
fn exactly_n_pages_or_none_make_one_listing_page_without_a_pager() {
    for n in [0, 1, 10] {
        let dir = site_with_news("paginate_by: 10\n", &items("Item", n), &[], "");
        let html = build_site(dir.path(), false);
        let first = &html["en/news/index.html"];
        assert!(!first.contains("class=pager"), "{n}");
        assert_eq!(rel(first, "next"), None, "{n}");
        assert!(listing_files(&html, "en/news/").is_empty(), "{n}");
        if n > 0 {
            assert_eq!(listed(first).len(), n);
        }
    }
}

#[test]
fn the_site_default_applies_and_a_section_can_turn_it_off() {
    let dir = site_with_news("", &items("Item", 7), &[], "paginate_by: 3");
    let html = build_site(dir.path(), false);
    assert_eq!(
        listing_files(&html, "en/news/"),
        [
            "en/news/page/1/index.html",
            "en/news/page/2/index.html",
            "en/news/page/3/index.html"
        ]
    );
    let dir = site_with_news("paginate_by: 0\n", &items("Item", 7), &[], "paginate_by: 3");
    let html = build_site(dir.path(), false);
    assert!(listing_files(&html, "en/news/").is_empty());
    assert_eq!(listed(&html["en/news/index.html"]).len(), 7);
}

#[test]
fn a_translation_with_fewer_pages_has_fewer_listing_pages_under_its_own_segment() {
    let dir = site_with_news(
        "paginate_by: 10\n",
        &items("Item", 25),
        &items("Eintrag", 12),
        "paginate_path: {de: seite}",
    );
    let html = build_site(dir.path(), false);
    let base = "https://trust.example.com";
    assert!(html.contains_key("en/news/page/3/index.html"));
    assert!(html.contains_key("de/neues/seite/2/index.html"));
    assert!(!html.contains_key("de/neues/seite/3/index.html"));
    // The German section takes `paginate_by` from the English one (it does not repeat it).
    assert_eq!(listed(&html["de/neues/seite/2/index.html"]).len(), 2);
    // hreflang only where both languages have the listing page; the switcher still leads on.
    let en2 = &html["en/news/page/2/index.html"];
    let mut alts = alternates(en2);
    alts.sort();
    assert_eq!(
        alts,
        [
            ("de".to_owned(), format!("{base}/de/neues/seite/2/")),
            ("en".to_owned(), format!("{base}/en/news/page/2/")),
            ("x-default".to_owned(), format!("{base}/en/news/page/2/")),
        ]
    );
    let en3 = &html["en/news/page/3/index.html"];
    let alts: BTreeSet<String> = alternates(en3).into_iter().map(|(l, _)| l).collect();
    assert_eq!(alts, BTreeSet::from(["en".into(), "x-default".into()]));
    assert!(
        en3.contains("<a href=/de/neues/seite/2/ hreflang=de lang=de>Deutsch</a>"),
        "{en3}"
    );
    // The German pager is translated.
    let de2 = &html["de/neues/seite/2/index.html"];
    assert!(de2.contains("<nav aria-label=\"Seiten der Übersicht\" class=pager>"));
    assert!(de2.contains(">Zurück</a>"));
    // The sitemap lists every listing page with the alternates that exist.
    let sitemap = std::fs::read_to_string(dir.path().join("public/sitemap.xml")).unwrap();
    let entry = |loc: &str| -> String {
        let start = sitemap
            .find(&format!("<loc>{base}/{loc}</loc>"))
            .unwrap_or_else(|| panic!("{loc} not in the sitemap"));
        let rest = &sitemap[start..];
        rest[..rest.find("</url>").unwrap()].to_owned()
    };
    assert!(entry("en/news/page/2/").contains(&format!(
        "hreflang=\"de\" href=\"{base}/de/neues/seite/2/\""
    )));
    assert!(!entry("en/news/page/3/").contains("hreflang"));
    assert!(entry("de/neues/seite/2/").contains("hreflang=\"x-default\""));
    assert!(!sitemap.contains("/page/1/") && !sitemap.contains("/seite/1/"));
}

#[test]
fn a_draft_on_the_boundary_is_not_counted_unless_drafts_are_built() {
    let mut en = items("Item", 11);
    en[10].extra = "draft: true\n".into();
    let dir = site_with_news("paginate_by: 10\n", &en, &[], "");
    let html = build_site(dir.path(), false);
    assert!(listing_files(&html, "en/news/").is_empty());
    assert!(!html["en/news/index.html"].contains("Item 0011"));
    let html = build_site(dir.path(), true);
    assert_eq!(listed(&html["en/news/page/2/index.html"]), ["Item 0011"]);
}

#[test]
fn listing_urls_and_pages_are_the_same_on_every_build() {
    let dir = site_with_news(
        "paginate_by: 4\n",
        &items("Item", 10),
        &items("Eintrag", 6),
        "",
    );
    let first = build_site(dir.path(), false);
    let second = build_site(dir.path(), false);
    assert_eq!(first, second);
    assert_eq!(listing_files(&first, "en/news/").len(), 3);
}

#[test]
fn a_section_sorted_by_date_lists_the_newest_first_and_undated_pages_last() {
    let mut en = items("Item", 4);
    en[0].extra = "date: 2026-03-01\n".into();
    en[1].extra = "date: 2026-05-01\n".into();
    en[2].extra = "updated: 2026-04-01\n".into();
    let dir = site_with_news("sort_by: date\npaginate_by: 2\n", &en, &[], "");
    let html = build_site(dir.path(), false);
    assert_eq!(
        listed(&html["en/news/index.html"]),
        ["Item 0002", "Item 0003"]
    );
    assert_eq!(
        listed(&html["en/news/page/2/index.html"]),
        ["Item 0001", "Item 0004"]
    );
}

/// The links of a page's navigation landmarks (main, side, breadcrumbs, pager).
fn navigation_links(html: &str) -> usize {
    let nav = regex::Regex::new(r"(?s)<nav\b.*?</nav>").unwrap();
    nav.find_iter(html)
        .map(|m| m.as_str().matches("<a ").count())
        .sum()
}

#[test]
fn the_navigation_of_a_2000_page_section_is_bounded_and_every_page_stays_reachable() {
    let n = 2000;
    let dir = site_with_news("paginate_by: 25\n", &items("Item", n), &[], "");
    let html = build_site(dir.path(), false);
    let pages: Vec<(&String, &String)> = html
        .iter()
        .filter(|(p, _)| p.starts_with("en/news/item-"))
        .collect();
    assert_eq!(pages.len(), n);
    let most = pages
        .iter()
        .map(|(_, h)| navigation_links(h))
        .max()
        .unwrap();
    assert!(most <= 100, "a page carries {most} navigation links");
    let side = regex::Regex::new(r#"(?s)<aside class=sidebar>.*?</aside>"#).unwrap();
    let more_link = regex::Regex::new(r"class=sidebar-more><a href=([^>]+)>").unwrap();
    for (path, page) in &pages {
        let sidebar = side.find(page).expect("a side navigation").as_str();
        // The page itself, marked, among its neighbours; and the listing page that lists it.
        let name = path
            .trim_start_matches("en/news/")
            .trim_end_matches("/index.html");
        assert!(
            sidebar.contains(&format!("<a aria-current=page href=/en/news/{name}/>")),
            "{path}: {sidebar}"
        );
        let more = more_link
            .captures(sidebar)
            .unwrap_or_else(|| panic!("{path}: no link to the listing"))[1]
            .to_owned();
        let listing = file_for_url(&more, "https://trust.example.com").unwrap();
        let title = format!("Item {}", &name["item-".len()..]);
        assert!(
            listed(&html[&listing]).contains(&title),
            "{path}: {listing}"
        );
    }
    // Every page is listed on exactly one listing page.
    let mut all: Vec<String> = listed(&html["en/news/index.html"]);
    for k in 2..=n / 25 {
        all.extend(listed(&html[&format!("en/news/page/{k}/index.html")]));
    }
    assert_eq!(all.len(), n);
    assert_eq!(all.iter().collect::<BTreeSet<_>>().len(), n);
    // Output per page does not grow with the section: the largest item page is small.
    let biggest = pages.iter().map(|(_, h)| h.len()).max().unwrap();
    assert!(biggest < 12_000, "{biggest} bytes");
}

#[test]
fn bad_pagination_settings_name_the_file_line_and_fix() {
    for (site, section, needle) in [
        (
            "paginate_by: 0",
            "",
            "site.yaml:10: error: `paginate_by: 0`",
        ),
        (
            "paginate_path: {de: Seite/2}",
            "",
            "site.yaml:10: error: `paginate_path: {de: Seite/2}` is not a URL segment",
        ),
        (
            "paginate_path: {fr: page}",
            "",
            "`paginate_path` names `fr`, which is not one of `languages`",
        ),
        (
            "",
            "sort_by: newest\n",
            "content/news/_index.md:4:10: error: the value of `sort_by` is not valid (unknown value \
             `newest`, expected `weight` or `date`)\n  hint: Write `sort_by: weight`",
        ),
        (
            "",
            "paginate_by: -1\n",
            "content/news/_index.md:4:14: error: the value of `paginate_by` is not valid",
        ),
    ] {
        let dir = site_with_news(section, &items("Item", 3), &[], site);
        let (ok, _, err) = run_in(dir.path(), &["check"]);
        assert!(!ok, "{site}{section}");
        assert!(err.contains(needle), "{site}{section}: {err}");
    }
}
