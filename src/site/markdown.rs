//! Markdown → HTML with pulldown-cmark: heading ids and anchors, a table of contents, internal
//! `@/` links resolved to the page's language, external links marked, tables wrapped for small
//! screens.
//!
//! The renderer is a pure function of the body and a [`LinkResolver`]; it returns the HTML and
//! everything later checks need (heading ids, anchors it links to), plus diagnostics with the
//! file's line numbers.

use std::collections::HashSet;
use std::path::Path;

use pulldown_cmark::{CowStr, Event, HeadingLevel, LinkType, Options, Parser, Tag, TagEnd};
use pulldown_cmark_escape::{escape_href, escape_html};
use serde::Serialize;

use crate::error::{Diagnostic, line_col};
use crate::site::terminology::{self, Term};

/// An entry of a page's table of contents (`##` headings, with their `###` children).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TocEntry {
    /// Heading level (2 or 3).
    pub level: u8,
    /// The heading's id, the fragment to link to.
    pub id: String,
    /// The heading's plain text.
    pub title: String,
    /// `###` headings under a `##` heading.
    pub children: Vec<TocEntry>,
}

/// A link to a fragment (`#id`), checked once every page is rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AnchorRef {
    /// The page key the fragment belongs to; `None` for the same page.
    pub key: Option<String>,
    /// The fragment without `#`.
    pub anchor: String,
    /// 1-based line in the source file.
    pub line: usize,
    /// 1-based column in the source file.
    pub column: usize,
}

/// What an internal link resolves to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    /// The page's translation key.
    pub key: String,
    /// Root-relative URL of the page in the best available language.
    pub url: String,
    /// The language of that page, when it differs from the linking page's (`hreflang`).
    pub other_lang: Option<String>,
}

/// Why an internal link cannot be resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unresolved {
    /// No page or published file has this path.
    NotFound,
    /// The path names a file of a gated or NDA document, which is never published.
    Confidential,
}

/// Looks up `@/` links (and, in bundles, links relative to the bundle's folder).
pub trait LinkResolver: Sync {
    /// Resolves a content path (`privacy/gdpr.md`, `documents/dpa/dpa-3.1-en.pdf`) for a page
    /// in `lang`.
    fn resolve(&self, path: &str, lang: &str) -> Result<Resolved, Unresolved>;
}

/// The settings of one render.
pub struct RenderOptions<'a> {
    /// The page's language.
    pub lang: &'a str,
    /// Host of the site: links to other hosts are external.
    pub site_host: &'a str,
    /// Accessible label of heading anchors, localized ("Link to this section").
    pub anchor_label: &'a str,
    /// Source file, for messages.
    pub path: &'a Path,
    /// 1-based line of the body's first line in the file.
    pub body_line: usize,
    /// For bundles: the bundle's folder under `content/`, against which relative links to its
    /// files resolve.
    pub bundle_dir: Option<&'a str>,
    /// The terms the site does not use in the page's language ([`terminology`]): their uses
    /// in the text (not in code, raw HTML, link targets or autolinks) are warnings.
    pub terms: &'a [Term],
}

/// A rendered body.
#[derive(Debug, Default)]
pub struct Rendered {
    /// The HTML.
    pub html: String,
    /// Table of contents (`##` and `###`).
    pub toc: Vec<TocEntry>,
    /// Every id the body defines (headings), to check fragments against.
    pub ids: Vec<String>,
    /// Every fragment the body links to.
    pub anchors: Vec<AnchorRef>,
    /// Broken links and other problems.
    pub diagnostics: Vec<Diagnostic>,
    /// The body as plain text (for the search index), at most [`TEXT_LIMIT`] bytes.
    pub text: String,
    /// The ids the HTML defines besides the headings' (footnotes, raw HTML), once the HTML is
    /// dropped ([`Rendered::keep_for_checks`]).
    pub other_ids: Vec<String>,
}

impl Rendered {
    /// Drops what only the page's own output needs (HTML, text, table of contents), keeping
    /// what the checks over the whole site read: ids (with the other ids the HTML defines),
    /// anchors and problems. A build that writes each page as soon as its body is rendered
    /// holds the whole site's text this way only once.
    pub fn keep_for_checks(&mut self) {
        self.other_ids = ids_in(&self.html)
            .into_iter()
            .filter(|id| !self.ids.contains(id))
            .collect();
        self.html = String::new();
        self.text = String::new();
        self.toc = Vec::new();
    }

    /// Whether the body defines `id` (a heading, a footnote, an element of raw HTML).
    pub fn defines(&self, id: &str) -> bool {
        self.ids.iter().any(|i| i == id)
            || self.other_ids.iter().any(|i| i == id)
            || defines_id(&self.html, id)
    }
}

/// How much plain text of a page goes into the search index.
pub const TEXT_LIMIT: usize = 4000;

/// The Markdown extensions Candor enables.
pub fn options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_HEADING_ATTRIBUTES
}

/// Turns heading text into an id: lower case, letters and digits kept (also non-ASCII ones like
/// `ä`), spaces and hyphens become single hyphens, everything else is dropped.
pub fn slugify(text: &str) -> String {
    fn push(out: &mut String, c: char) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if (c.is_whitespace() || c == '-' || c == '_')
            && !out.is_empty()
            && !out.ends_with('-')
        {
            out.push('-');
        }
    }
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii() {
            push(&mut out, c.to_ascii_lowercase());
        } else {
            c.to_lowercase().for_each(|l| push(&mut out, l));
        }
    }
    if out.ends_with('-') {
        out.pop();
    }
    if out.is_empty() {
        "section".to_owned()
    } else {
        out
    }
}

struct HeadingState<'a> {
    level: HeadingLevel,
    id: Option<String>,
    classes: Vec<String>,
    text: String,
    events: Vec<Event<'a>>,
}

/// Renders `body` (the Markdown after the front matter).
pub fn render(body: &str, opts: &RenderOptions<'_>, links: &dyn LinkResolver) -> Rendered {
    let mut out = Rendered::default();
    let mut used_ids: HashSet<String> = HashSet::new();
    let mut events: Vec<Event<'_>> = Vec::new();
    let mut heading: Option<HeadingState<'_>> = None;
    let position = |offset: usize| {
        let (line, column) = line_col(body, offset);
        (line + opts.body_line - 1, column)
    };
    // The source ranges of the text, for the terminology check (only when there are terms).
    let mut prose = Vec::new();
    let (mut in_code, mut in_autolink) = (false, false);

    for (event, range) in Parser::new_ext(body, options()).into_offset_iter() {
        if !opts.terms.is_empty() {
            match &event {
                Event::Start(Tag::CodeBlock(_)) => in_code = true,
                Event::End(TagEnd::CodeBlock) => in_code = false,
                Event::Start(Tag::Link {
                    link_type: LinkType::Autolink | LinkType::Email,
                    ..
                }) => in_autolink = true,
                Event::End(TagEnd::Link) => in_autolink = false,
                Event::Text(_) if !in_code && !in_autolink => prose.push(range.clone()),
                _ => {}
            }
        }
        let event = match event {
            Event::Start(Tag::Heading {
                level, id, classes, ..
            }) => {
                heading = Some(HeadingState {
                    level,
                    id: id.map(|s| s.into_string()),
                    classes: classes.into_iter().map(|c| c.into_string()).collect(),
                    text: String::new(),
                    events: Vec::new(),
                });
                continue;
            }
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take() {
                    let html = finish_heading(h, &mut used_ids, &mut out, opts);
                    events.push(Event::Html(html.into()));
                }
                continue;
            }
            Event::Start(Tag::Link {
                dest_url, title, ..
            }) => {
                let at = || position(range.start);
                Event::InlineHtml(link_open(&dest_url, &title, &at, opts, links, &mut out).into())
            }
            Event::End(TagEnd::Link) => Event::InlineHtml("</a>".into()),
            Event::Start(Tag::Table(alignments)) => {
                // Focusable, so that keyboard users can scroll a wide table (WCAG 2.1.1).
                events.push(Event::Html(
                    r#"<div class="table-wrap" tabindex="0">"#.into(),
                ));
                Event::Start(Tag::Table(alignments))
            }
            Event::End(TagEnd::Table) => {
                events.push(Event::End(TagEnd::Table));
                Event::Html("</div>".into())
            }
            Event::TaskListMarker(done) => Event::Html(if done { "☑ " } else { "☐ " }.into()),
            other => other,
        };
        if let Event::Text(t) | Event::Code(t) = &event
            && out.text.len() < TEXT_LIMIT
        {
            if !out.text.is_empty() && !out.text.ends_with(' ') {
                out.text.push(' ');
            }
            out.text.push_str(t);
        }
        match &mut heading {
            Some(h) => {
                if let Event::Text(t) | Event::Code(t) = &event {
                    h.text.push_str(t);
                }
                h.events.push(event);
            }
            None => events.push(event),
        }
    }
    out.html.reserve(body.len() + body.len() / 4);
    pulldown_cmark::html::push_html(&mut out.html, events.into_iter());
    out.diagnostics.extend(terminology::check_prose(
        opts.terms,
        body,
        &prose,
        opts.path,
        opts.body_line,
    ));
    out
}

fn finish_heading(
    h: HeadingState<'_>,
    used_ids: &mut HashSet<String>,
    out: &mut Rendered,
    opts: &RenderOptions<'_>,
) -> String {
    let base = h.id.unwrap_or_else(|| slugify(&h.text));
    let mut id = base.clone();
    let mut n = 1;
    while !used_ids.insert(id.clone()) {
        id = format!("{base}-{n}");
        n += 1;
    }
    let mut inner = String::new();
    pulldown_cmark::html::push_html(&mut inner, h.events.into_iter());
    let level = h.level as u8;
    let title = h.text.trim().to_owned();
    out.ids.push(id.clone());
    match level {
        2 => out.toc.push(TocEntry {
            level,
            id: id.clone(),
            title: title.clone(),
            children: Vec::new(),
        }),
        3 => {
            let entry = TocEntry {
                level,
                id: id.clone(),
                title: title.clone(),
                children: Vec::new(),
            };
            match out.toc.last_mut() {
                Some(parent) => parent.children.push(entry),
                None => out.toc.push(entry),
            }
        }
        _ => {}
    }
    let mut html = format!("<h{level} id=\"");
    let _ = escape_html(&mut html, &id);
    html.push('"');
    if !h.classes.is_empty() {
        html.push_str(" class=\"");
        let _ = escape_html(&mut html, &h.classes.join(" "));
        html.push('"');
    }
    html.push('>');
    html.push_str(&inner);
    html.push_str("<a class=\"anchor\" href=\"#");
    let _ = escape_href(&mut html, &id);
    html.push_str("\" aria-label=\"");
    let _ = escape_html(&mut html, &format!("{}: {title}", opts.anchor_label));
    html.push_str(&format!("\">#</a></h{level}>\n"));
    html
}

/// The opening tag of a link to `dest`; `at` gives the link's line and column, for the
/// diagnostics and fragment checks that need them (most links need neither).
fn link_open(
    dest: &CowStr<'_>,
    title: &CowStr<'_>,
    at: &dyn Fn() -> (usize, usize),
    opts: &RenderOptions<'_>,
    links: &dyn LinkResolver,
    out: &mut Rendered,
) -> String {
    let mut href = dest.to_string();
    let mut rel = None;
    let mut hreflang = None;
    let bundle_file = opts
        .bundle_dir
        .filter(|_| is_relative_file(dest))
        .map(|dir| format!("@/{dir}/{dest}"));
    let internal = bundle_file
        .as_deref()
        .or_else(|| dest.starts_with("@/").then_some(&**dest));
    if let Some(target) = internal.and_then(|d| d.strip_prefix("@/")) {
        let (path, fragment) = match target.split_once('#') {
            Some((p, f)) => (p, Some(f)),
            None => (target, None),
        };
        match links.resolve(path, opts.lang) {
            Ok(resolved) => {
                href = resolved.url;
                hreflang = resolved.other_lang;
                if let Some(f) = fragment {
                    href.push('#');
                    href.push_str(f);
                    let (line, column) = at();
                    out.anchors.push(AnchorRef {
                        key: Some(resolved.key),
                        anchor: f.to_owned(),
                        line,
                        column,
                    });
                }
            }
            Err(Unresolved::NotFound) => {
                let (line, column) = at();
                out.diagnostics.push(
                    Diagnostic::error(
                        opts.path.to_path_buf(),
                        format!("broken internal link `{dest}`: there is no page content/{path}"),
                    )
                    .at(line, column)
                    .with_hint(
                        "Internal links name the page's file from the content folder, \
                         e.g. `@/privacy/gdpr.md`; check the spelling, or whether the page is a draft.",
                    ),
                );
                href = "#".to_owned();
            }
            Err(Unresolved::Confidential) => {
                let (line, column) = at();
                out.diagnostics.push(
                    Diagnostic::error(
                        opts.path.to_path_buf(),
                        format!("the link `{dest}` points at a confidential file (content/{path})"),
                    )
                    .at(line, column)
                    .with_hint(
                        "Gated and NDA documents are never published. Link to the document's page \
                         instead (`@/documents/<id>/index.md`), where visitors can request it.",
                    ),
                );
                href = "#".to_owned();
            }
        }
    } else if let Some(fragment) = dest.strip_prefix('#') {
        let (line, column) = at();
        out.anchors.push(AnchorRef {
            key: None,
            anchor: fragment.to_owned(),
            line,
            column,
        });
    } else if is_external(dest, opts.site_host) {
        rel = Some("noopener");
    }
    let mut html = String::from("<a href=\"");
    let _ = escape_href(&mut html, &href);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        let _ = escape_html(&mut html, title);
        html.push('"');
    }
    if let Some(lang) = hreflang {
        html.push_str(" hreflang=\"");
        let _ = escape_html(&mut html, &lang);
        html.push('"');
    }
    if let Some(rel) = rel {
        html.push_str(" rel=\"");
        html.push_str(rel);
        html.push('"');
    }
    html.push('>');
    html
}

/// A link like `report.pdf` or `./annex.pdf`: no scheme, not absolute, not a fragment.
fn is_relative_file(dest: &str) -> bool {
    !dest.is_empty()
        && !dest.starts_with(['#', '/', '@', '?'])
        && !dest.contains(':')
        && !dest.ends_with('/')
}

/// Whether a link leaves the site: an absolute http(s) URL (or scheme-relative `//host`) whose
/// host is not the site's.
pub fn is_external(dest: &str, site_host: &str) -> bool {
    let rest = dest
        .strip_prefix("https://")
        .or_else(|| dest.strip_prefix("http://"))
        .or_else(|| dest.strip_prefix("//"));
    match rest {
        Some(rest) => {
            let host = rest.split(['/', '?', '#']).next().unwrap_or("");
            !host.eq_ignore_ascii_case(site_host)
        }
        None => false,
    }
}

/// Every `id` attribute value in `html` (quoted or bare), in order.
pub fn ids_in(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (at, _) in html.match_indices("id=") {
        if !matches!(
            html.as_bytes().get(at.wrapping_sub(1)),
            Some(b' ' | b'\t' | b'\n')
        ) {
            continue;
        }
        let rest = &html[at + 3..];
        let value = match rest.as_bytes().first() {
            Some(q @ (b'"' | b'\'')) => rest[1..].split(*q as char).next(),
            _ => rest.split([' ', '>', '/', '\t', '\n']).next(),
        };
        if let Some(v) = value.filter(|v| !v.is_empty()) {
            out.push(v.to_owned());
        }
    }
    out
}

/// Whether `html` has an element with the id `id` (quoted as pulldown-cmark writes it, or bare
/// as minify-html leaves it).
pub fn defines_id(html: &str, id: &str) -> bool {
    html.contains(&format!("id=\"{id}\""))
        || html
            .match_indices(&format!("id={id}"))
            .any(|(at, m)| matches!(html.as_bytes().get(at + m.len()), Some(b' ' | b'>' | b'/')))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_every_id_quoted_or_bare_but_not_other_attributes_ending_in_id() {
        let html = r#"<h2 id="a-b">x</h2><p id=fn-1>y<div data-id=no id='q' class=c>"#;
        assert_eq!(ids_in(html), ["a-b", "fn-1", "q"]);
        assert!(ids_in("<p>id= is text</p>").is_empty());
    }

    #[test]
    fn finds_ids_quoted_and_bare_but_not_their_prefixes() {
        assert!(defines_id(r#"<p id="fn-1">x</p>"#, "fn-1"));
        assert!(defines_id("<p id=fn-1>x", "fn-1"));
        assert!(defines_id("<p id=fn-1 class=note>x", "fn-1"));
        assert!(!defines_id("<p id=fn-10>x", "fn-1"));
        assert!(!defines_id(r#"<p id="fn-10">x</p>"#, "fn-1"));
    }

    struct Links;
    impl LinkResolver for Links {
        fn resolve(&self, path: &str, lang: &str) -> Result<Resolved, Unresolved> {
            match path {
                "docs/secret/report.pdf" => Err(Unresolved::Confidential),
                "privacy/gdpr.md" => Ok(Resolved {
                    key: path.to_owned(),
                    url: format!("/{lang}/privacy/gdpr/"),
                    other_lang: None,
                }),
                "only-en.md" => Ok(Resolved {
                    key: path.to_owned(),
                    url: "/en/only-en/".to_owned(),
                    other_lang: (lang != "en").then(|| "en".to_owned()),
                }),
                _ => Err(Unresolved::NotFound),
            }
        }
    }

    fn render_de(body: &str) -> Rendered {
        let opts = RenderOptions {
            lang: "de",
            site_host: "trust.example.com",
            anchor_label: "Link zu diesem Abschnitt",
            path: Path::new("content/a.de.md"),
            body_line: 5,
            bundle_dir: Some("docs/secret"),
            terms: &[],
        };
        render(body, &opts, &Links)
    }

    #[test]
    fn terms_are_found_in_text_and_link_text_but_not_in_code_html_or_urls() {
        let terms = [Term::new("Werktag", "Arbeitstag")];
        let opts = RenderOptions {
            lang: "de",
            site_host: "trust.example.com",
            anchor_label: "Link",
            path: Path::new("content/a.de.md"),
            body_line: 5,
            bundle_dir: None,
            terms: &terms,
        };
        let body = "## Zehn Werktage\n\n\
            `Werktag` [Werktage](https://example.com/Werktag) <https://example.com/Werktag>\n\n\
            ```\nWerktag\n```\n\n\
            <div>Werktag</div>\n\n\
            Frist: *zwei* Werktage.\n";
        let r = render(body, &opts, &Links);
        let at: Vec<(Option<usize>, Option<usize>)> =
            r.diagnostics.iter().map(|d| (d.line, d.column)).collect();
        assert_eq!(
            at,
            [
                (Some(5), Some(9)),
                (Some(7), Some(12)),
                (Some(15), Some(15))
            ]
        );
        assert!(
            r.diagnostics[0]
                .message
                .starts_with("\"Werktage\" — this site writes")
        );
    }

    #[test]
    fn headings_get_unique_ids_anchors_and_a_toc() {
        let r = render_de("## Über uns\n\n### Details\n\n## Über uns\n\n## Eigene {#own}\n");
        assert!(r.html.contains(r##"<h2 id="über-uns">Über uns<a class="anchor" href="#%C3%BCber-uns" aria-label="Link zu diesem Abschnitt: Über uns">#</a></h2>"##), "{}", r.html);
        assert!(r.html.contains(r#"<h2 id="über-uns-1">"#));
        assert!(r.html.contains(r#"<h2 id="own">"#));
        assert_eq!(r.ids, ["über-uns", "details", "über-uns-1", "own"]);
        assert_eq!(r.toc.len(), 3);
        assert_eq!(r.toc[0].children[0].title, "Details");
    }

    #[test]
    fn internal_links_resolve_in_the_page_language() {
        let r = render_de("See [DSGVO](@/privacy/gdpr.md#rechte) and [EN](@/only-en.md).");
        assert!(
            r.html
                .contains(r##"<a href="/de/privacy/gdpr/#rechte">DSGVO</a>"##),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"<a href="/en/only-en/" hreflang="en">EN</a>"#),
            "{}",
            r.html
        );
        assert_eq!(r.anchors[0].key.as_deref(), Some("privacy/gdpr.md"));
        assert_eq!(r.anchors[0].anchor, "rechte");
        assert!(r.diagnostics.is_empty());
    }

    #[test]
    fn broken_internal_link_reports_file_line_and_column() {
        let r = render_de("Intro\n\nSee [x](@/nope.md) now.");
        assert_eq!(r.diagnostics.len(), 1);
        let d = &r.diagnostics[0];
        assert_eq!((d.line, d.column), (Some(7), Some(5)));
        assert!(d.message.contains("@/nope.md"), "{}", d.message);
    }

    #[test]
    fn external_links_get_noopener_and_own_host_does_not() {
        let r = render_de(
            "[a](https://owasp.org/x) [b](https://trust.example.com/en/) [c](mailto:x@example.com)",
        );
        assert!(
            r.html
                .contains(r#"<a href="https://owasp.org/x" rel="noopener">a</a>"#),
            "{}",
            r.html
        );
        assert!(
            r.html
                .contains(r#"<a href="https://trust.example.com/en/">b</a>"#)
        );
        assert!(r.html.contains(r#"<a href="mailto:x@example.com">c</a>"#));
    }

    #[test]
    fn tables_footnotes_strikethrough_and_tasks() {
        let r = render_de(
            "| a | b |\n|---|---|\n| 1 | 2 |\n\n~~old~~ new[^1]\n\n[^1]: Note.\n\n- [x] done\n- [ ] open\n",
        );
        assert!(
            r.html
                .contains(r#"<div class="table-wrap" tabindex="0"><table>"#),
            "{}",
            r.html
        );
        assert!(
            r.html.contains("</table>\n</div>") || r.html.contains("</table></div>"),
            "{}",
            r.html
        );
        assert!(r.html.contains("<del>old</del>"));
        assert!(r.html.contains("footnote-definition"));
        assert!(
            r.html.contains("☑ done") && r.html.contains("☐ open"),
            "{}",
            r.html
        );
        assert!(!r.html.contains("<input"), "no unlabeled checkboxes");
    }

    #[test]
    fn links_to_confidential_files_are_errors_also_when_relative() {
        let r = render_de("[a](@/docs/secret/report.pdf) and [b](report.pdf)");
        assert_eq!(r.diagnostics.len(), 2, "{:#?}", r.diagnostics);
        assert!(
            r.diagnostics
                .iter()
                .all(|d| d.message.contains("confidential file"))
        );
        assert!(!r.html.contains("report.pdf"), "{}", r.html);
    }

    #[test]
    fn same_page_fragments_are_recorded() {
        let r = render_de("[top](#oben)");
        assert_eq!(
            r.anchors,
            [AnchorRef {
                key: None,
                anchor: "oben".into(),
                line: 5,
                column: 1
            }]
        );
    }

    #[test]
    fn slugify_keeps_letters_and_collapses_separators() {
        assert_eq!(slugify("Hello, World!"), "hello-world");
        assert_eq!(slugify("  Ärger -- über_alles "), "ärger-über-alles");
        assert_eq!(slugify("§ 38 BDSG"), "38-bdsg");
        assert_eq!(slugify("!!!"), "section");
        assert_eq!(slugify("- Ende -_ "), "ende");
        assert_eq!(slugify("ÄRGER Über SSO"), "ärger-über-sso");
        assert_eq!(slugify("a\u{00a0}b\tc"), "a-b-c");
    }
}
