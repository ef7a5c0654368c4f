//! Pages are minified the fast way: the templates once when they are compiled, each Markdown
//! body compacted once when it is rendered, and nothing after. These tests hold that to what
//! minifying every whole page with minify-html gives: the same elements, attributes and text, no
//! space lost where it shows (between inline elements), and hardly more bytes.

mod common;

use std::collections::BTreeMap;
use std::path::Path;

use candor::site::build::{Options, generate};
use candor::site::output::Data;
use candor::site::render::tag_name;
use common::*;

/// Every HTML page of the example site, built with `minify_each_page` as given.
fn pages(minify_each_page: bool) -> BTreeMap<String, String> {
    pages_of(example_site().path(), minify_each_page)
}

/// Every HTML page of the site at `root`, built with `minify_each_page` as given.
fn pages_of(root: &Path, minify_each_page: bool) -> BTreeMap<String, String> {
    let mut opts = Options::new(root);
    opts.now = "2026-11-20T12:00:00Z".parse().unwrap();
    opts.minify_each_page = minify_each_page;
    let built = generate(&opts).expect("the example site builds");
    built
        .files
        .into_iter()
        .filter(|f| f.path.ends_with(".html") && !f.path.starts_with("_candor/"))
        .map(|f| match f.data {
            Data::Bytes(b) => (f.path, String::from_utf8(b).expect("UTF-8 pages")),
            Data::Copy(_) => panic!("{} is a copied file", f.path),
        })
        .collect()
}

/// Elements around which white space does not show (HTML's block and metadata elements).
const BLOCKS: &[&str] = &[
    "html",
    "head",
    "body",
    "title",
    "meta",
    "link",
    "header",
    "footer",
    "main",
    "nav",
    "aside",
    "article",
    "section",
    "div",
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "ul",
    "ol",
    "li",
    "dl",
    "dt",
    "dd",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "form",
    "fieldset",
    "legend",
    "pre",
    "blockquote",
    "figure",
    "details",
    "summary",
    "hr",
    "br",
    "noscript",
];

/// A page as minify-html writes it, with white space next to block elements and the end tags
/// removed (minify-html leaves out more or fewer of them depending on what follows): what is
/// left — start tags with their attributes, text, and the spaces between inline elements —
/// differs only where a reader could see a difference.
fn normalized(html: &str) -> String {
    let minified = String::from_utf8(candor::site::render::minify(html)).unwrap();
    let mut out = String::with_capacity(minified.len());
    let mut rest = minified.as_str();
    while let Some(lt) = rest.find('<') {
        let (text, tail) = rest.split_at(lt);
        let end = tail.find('>').map_or(tail.len(), |i| i + 1);
        let tag = &tail[..end];
        if text.trim().is_empty() && !text.is_empty() {
            let previous = out
                .rfind('<')
                .map(|i| tag_name(&out[i..]).to_owned())
                .unwrap_or_default();
            let block = |name: &str| BLOCKS.contains(&name.to_ascii_lowercase().as_str());
            if !(block(&previous) || block(tag_name(tag))) {
                out.push(' ');
            }
        } else {
            out.push_str(text);
        }
        if !tag.starts_with("</") {
            out.push_str(tag);
        }
        rest = &tail[end..];
    }
    out.push_str(rest);
    out
}

#[test]
fn fast_pages_show_what_pages_minified_one_by_one_show() {
    let fast = pages(false);
    let slow = pages(true);
    assert_eq!(
        fast.keys().collect::<Vec<_>>(),
        slow.keys().collect::<Vec<_>>(),
        "the same pages"
    );
    let mut different = Vec::new();
    for (path, page) in &fast {
        let (a, b) = (normalized(page), normalized(&slow[path]));
        if a != b {
            let at = a.bytes().zip(b.bytes()).take_while(|(x, y)| x == y).count();
            let show = |s: &str| {
                let from = s.floor_char_boundary(at.saturating_sub(80));
                let to = s.ceil_char_boundary((at + 80).min(s.len()));
                s[from..to].to_owned()
            };
            different.push(format!(
                "{path}:\n  fast: {}\n  each: {}",
                show(&a),
                show(&b)
            ));
        }
    }
    assert!(
        different.is_empty(),
        "{} of {} pages differ:\n{}",
        different.len(),
        fast.len(),
        different.join("\n")
    );
}

#[test]
fn fast_pages_are_nearly_as_small_as_pages_minified_one_by_one() {
    let fast: usize = pages(false).values().map(String::len).sum();
    let slow: usize = pages(true).values().map(String::len).sum();
    assert!(slow > 0);
    let growth = fast as f64 / slow as f64 - 1.0;
    // Quotes around values that templates insert, a few spaces next to template tags, and the
    // optional closing tags and attribute quotes of Markdown bodies, which are compacted (line
    // breaks between blocks dropped) rather than minified: about 2% each.
    assert!(
        growth < 0.05,
        "the pages are {:.1}% larger than minified one by one ({fast} vs {slow} bytes)",
        growth * 100.0
    );
}

#[test]
fn a_template_with_a_statement_inside_a_tag_is_not_minified_but_still_works() {
    // `{% if %}` between attributes is what minify-html would rewrite: such a template is
    // compiled as written, and its pages are minified one by one instead.
    let template = r#"<a href="{{ u }}"{% if c %} aria-current="page"{% endif %}>x</a>"#;
    assert_eq!(
        candor::site::render::templates::preminify("a.html", template),
        None
    );
    let fine = "<ul>\n  {%- for i in items %}\n  <li>{{ i }}</li>\n  {%- endfor %}\n</ul>\n";
    let minified = candor::site::render::templates::preminify("b.html", fine).expect("minifiable");
    assert!(minified.len() < fine.len(), "{minified}");
    assert!(minified.contains("{%- for i in items %}") && minified.contains("{{ i }}"));
}

#[test]
fn a_site_template_with_a_statement_inside_a_tag_makes_every_page_minified_whole() {
    let site = example_site();
    let templates = site.path().join("templates/partials");
    std::fs::create_dir_all(&templates).unwrap();
    std::fs::write(
        templates.join("breadcrumbs.html"),
        "<nav class=\"breadcrumbs\"{% if page.title %} title=\"{{ page.title }}\"{% endif %}>\n  \
         <a href=\"{{ site.home }}\">Home</a>\n</nav>\n",
    )
    .unwrap();
    let fast = pages_of(site.path(), false);
    let each = pages_of(site.path(), true);
    assert_eq!(fast, each, "the fast way falls back to minifying each page");
    let security = &fast["en/security/index.html"];
    assert!(
        security.contains(
            "<nav title=\"Information security\" class=breadcrumbs><a href=/en/>Home</a></nav>"
        ),
        "the override is used and the page minified whole: {security}"
    );
}
