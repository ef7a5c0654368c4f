//! Rendering the loaded site into output files: page contexts for tera, the templates, the
//! language chooser, 404 pages, redirects for aliases, notices for missing translations, the
//! sitemap, robots.txt and security.txt; every HTML file minified.

pub mod assets;
pub mod document_view;
pub mod listing;
mod special;
pub mod templates;

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Mutex;

use rayon::prelude::*;
use serde::Serialize;
use tera::{Context, Tera};

use crate::error::Diagnostic;
use crate::site::config::Config;
use crate::site::content::{Page, PageKind, Site};
use crate::site::documents::Documents;
use crate::site::i18n::Locales;
use crate::site::markdown::{Rendered, TocEntry};
use crate::site::output::OutputFile;
use crate::site::search::Entry;

pub use crate::site::markdown::{defines_id, ids_in};
pub use special::{SitemapExtra, robots, security_txt, sitemap, xml_escape};

/// Everything rendering reads; built once per build.
pub struct Renderer<'a> {
    /// The configuration.
    pub config: &'a Config,
    /// The loaded pages.
    pub site: &'a Site,
    /// Rendered Markdown, indexed like `site.pages`.
    pub bodies: &'a [Rendered],
    /// UI strings.
    pub locales: &'a Locales,
    /// One tera per language.
    pub teras: &'a HashMap<String, Tera>,
    /// The documents.
    pub documents: &'a Documents,
    /// Today, for validity of certificates.
    pub today: chrono::NaiveDate,
    /// Extension of detached signatures when signing is configured.
    pub signature_ext: Option<&'a str>,
    /// Whether pages are minified after rendering (the default). Off when the templates were
    /// minified when compiled and the bodies when rendered, which gives the same pages for a
    /// fraction of the work.
    pub minify_pages: bool,
    /// The security advisories: an advisory's page gets `advisory`, the advisories page
    /// `advisories` (see [`crate::site::advisories`]).
    pub advisories: Option<&'a crate::site::advisories::Advisories>,
    /// `site` context per language, serialized once.
    site_values: HashMap<String, tera::Value>,
    /// The `section` context (the side navigation) of each section, indexed like `site.pages`:
    /// every page of a section shows the same list (50 links and more), which was most of the
    /// cost of a page's context. Serialized on first use with no page marked current; a page
    /// takes one from its section's pool, marks itself, and puts it back after rendering (so each
    /// section holds one value per thread rendering it, and none is copied or freed per page).
    sections: Vec<Mutex<Vec<tera::Value>>>,
    /// Each page's position among its section's pages (`usize::MAX` for the home page).
    positions: Vec<usize>,
    /// How many pages each section page has in its language (0 for other pages).
    section_sizes: Vec<usize>,
    /// The answer library and its rendered answers, for the answers pages.
    pub answers: Option<(
        &'a crate::site::answers::Library,
        &'a crate::site::answers::Pages,
    )>,
}

/// A link in navigation, breadcrumbs or listings. `current` is true for the page being rendered
/// and for a section that holds it (templates mark it with `aria-current`).
#[derive(Debug, Serialize)]
struct Link<'a> {
    title: &'a str,
    url: String,
    description: Option<&'a str>,
    current: bool,
    is_section: bool,
    /// The page's `date` (listings of sections sorted by date show it).
    #[serde(skip_serializing_if = "Option::is_none")]
    date: Option<String>,
}

/// The page's other (and own) languages for the switcher and hreflang.
#[derive(Debug, Serialize)]
struct Translation {
    lang: String,
    name: String,
    url: String,
    permalink: String,
    available: bool,
    current: bool,
}

#[derive(Debug, Serialize)]
struct PageView<'a> {
    key: &'a str,
    kind: &'static str,
    title: &'a str,
    description: Option<&'a str>,
    content: &'a str,
    toc: &'a [TocEntry],
    url: String,
    permalink: String,
    updated: Option<String>,
    extra: &'a std::collections::BTreeMap<String, serde_json::Value>,
    translations: Vec<Translation>,
    breadcrumbs: Vec<Link<'a>>,
    children: Vec<Link<'a>>,
    /// The section's Atom feed (`feed: true`).
    feed: Option<String>,
    source: String,
}

#[derive(Debug, Serialize)]
struct SiteView<'a> {
    title: &'a str,
    description: &'a str,
    base_url: &'a str,
    url_prefix: &'a str,
    home: String,
    default_language: &'a str,
    languages: Vec<LanguageView<'a>>,
    company: &'a crate::site::config::Company,
    contacts: &'a crate::site::config::Contacts,
    portal_url: Option<String>,
    search_url: String,
    signing: Option<&'a SigningInfo>,
    generator: &'static str,
}

/// The signing key as pages show it.
#[derive(Debug, Clone, Serialize)]
pub struct SigningInfo {
    /// Upper-case hex fingerprint.
    pub fingerprint: String,
    /// Root-relative URL of the published public key.
    pub key_url: String,
}

#[derive(Debug, Serialize)]
struct LanguageView<'a> {
    code: &'a str,
    name: String,
    url: String,
}

/// The generator's name and version, for `<meta name="generator">`.
pub const GENERATOR: &str = concat!("Candor ", env!("CARGO_PKG_VERSION"));

impl<'a> Renderer<'a> {
    /// Prepares the per-language `site` context.
    pub fn new(
        config: &'a Config,
        site: &'a Site,
        bodies: &'a [Rendered],
        locales: &'a Locales,
        teras: &'a HashMap<String, Tera>,
        documents: &'a Documents,
        signing: Option<&'a SigningInfo>,
    ) -> Self {
        let mut r = Renderer {
            config,
            site,
            bodies,
            locales,
            teras,
            documents,
            today: chrono::Utc::now().date_naive(),
            signature_ext: None,
            minify_pages: true,
            advisories: None,
            site_values: HashMap::new(),
            sections: std::iter::repeat_with(Mutex::default)
                .take(site.pages.len())
                .collect(),
            positions: vec![usize::MAX; site.pages.len()],
            section_sizes: vec![0; site.pages.len()],
            answers: None,
        };
        for ((key, lang), list) in &site.children {
            for (at, &i) in list.iter().enumerate() {
                r.positions[i] = at;
            }
            if let Some(section) = site.index_of(key, lang) {
                r.section_sizes[section] = list.len();
            }
        }
        for lang in &config.languages {
            let view = SiteView {
                title: config.title.get(lang).map_or("", String::as_str),
                description: config.description.get(lang).map_or("", String::as_str),
                base_url: config.base_url(),
                url_prefix: config.url_prefix(),
                home: r.url(&format!("{lang}/")),
                default_language: config.default_language(),
                languages: config
                    .languages
                    .iter()
                    .map(|code| LanguageView {
                        code,
                        name: r.language_name(code),
                        url: r.url(&format!("{code}/")),
                    })
                    .collect(),
                company: &config.company,
                contacts: &config.contacts,
                portal_url: config.portal.as_ref().map(|p| p.href(config.url_prefix())),
                search_url: r.url(&r.search_path(lang)),
                signing,
                generator: GENERATOR,
            };
            let value = tera::to_value(&view).unwrap_or_default();
            r.site_values.insert(lang.clone(), value);
        }
        r
    }

    /// Root-relative URL of an output path (`en/privacy/` → `/en/privacy/`, with the prefix).
    pub fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.config.url_prefix())
    }

    /// Absolute URL of an output path.
    pub fn permalink(&self, path: &str) -> String {
        format!("{}/{path}", self.config.base_url())
    }

    fn language_name(&self, code: &str) -> String {
        self.locales
            .translate(code, "language-name", &[])
            .unwrap_or_else(|_| code.to_owned())
    }

    /// The translations of `key` for the language switcher and hreflang links.
    fn translations(&self, key: &str, current: &str) -> Vec<Translation> {
        self.config
            .languages
            .iter()
            .filter_map(|lang| {
                let available = self.site.get(key, lang).is_some();
                let path = self.site.path_of(key, lang)?;
                Some(Translation {
                    lang: lang.clone(),
                    name: self.language_name(lang),
                    url: self.url(path),
                    permalink: self.permalink(path),
                    available,
                    current: lang == current,
                })
            })
            .collect()
    }

    /// The language switcher and hreflang links of listing page `number` (> 1) of the section
    /// `section`: a translation is available where its section has that many listing pages;
    /// elsewhere the switcher leads to its last one.
    fn listing_translations(&self, section: &Page, number: usize) -> Vec<Translation> {
        self.config
            .languages
            .iter()
            .filter_map(|lang| {
                let Some(i) = self.site.index_of(&section.key, lang) else {
                    let path = self.site.path_of(&section.key, lang)?;
                    return Some((lang, path.to_owned(), false));
                };
                let total = self.site.listing_pages(self.config, i);
                let path = self.site.listing_path(self.config, i, number.min(total));
                Some((lang, path, number <= total))
            })
            .map(|(lang, path, available)| Translation {
                lang: lang.clone(),
                name: self.language_name(lang),
                url: self.url(&path),
                permalink: self.permalink(&path),
                available,
                current: *lang == section.lang,
            })
            .collect()
    }

    /// The language switcher of a page Candor generates in every language (404, search):
    /// `path_of` gives its output path per language.
    fn generated_translations(
        &self,
        current: &str,
        path_of: impl Fn(&str) -> String,
    ) -> Vec<Translation> {
        self.config
            .languages
            .iter()
            .map(|l| {
                let path = path_of(l);
                Translation {
                    lang: l.clone(),
                    name: self.language_name(l),
                    url: self.url(&path),
                    permalink: self.permalink(&path),
                    available: true,
                    current: l == current,
                }
            })
            .collect()
    }

    fn link(&self, page: &'a Page, current_key: &str) -> Link<'a> {
        Link {
            title: &page.title,
            url: self.url(&page.path),
            description: page.meta.description.as_deref(),
            current: is_current(page, current_key),
            is_section: page.kind == PageKind::Section,
            date: page.meta.date.map(|d| d.to_string()),
        }
    }

    /// The `section` context of the page with key `current_key`: the section at `at` in
    /// `site.pages` (title, url, whether it is the current page) and its pages as [`Link`]s,
    /// taken from the section's pool (the `sections` field); give it back with
    /// [`Renderer::return_section_view`].
    fn section_view(&self, at: usize, current: usize) -> tera::Value {
        let section = &self.site.pages[at];
        let current_key = self.site.pages[current].key.as_str();
        let len = self.section_sizes[at];
        if len > listing::SIDEBAR_ALL_UP_TO {
            return self.section_window(at, current, len);
        }
        let ready = self.sections[at]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .pop();
        let mut view = ready.unwrap_or_else(|| {
            let pages: Vec<Link<'_>> = self
                .site
                .children_of(&section.key, &section.lang)
                .map(|p| self.link(p, ""))
                .collect();
            serde_json::json!({
                "title": section.title,
                "url": self.url(&section.path),
                "current": false,
                "pages": pages,
                "total": pages.len(),
                "more": false,
            })
        });
        self.mark_current(at, &mut view, current_key, true);
        view
    }

    /// The `section` context of a section too large to list whole: the pages around the current
    /// one ([`listing::sidebar_window`]), and the listing page that shows the current one.
    fn section_window(&self, at: usize, current: usize, len: usize) -> tera::Value {
        let section = &self.site.pages[at];
        let current_key = self.site.pages[current].key.as_str();
        let position = (current != at).then(|| self.positions[current]);
        let window = listing::sidebar_window(len, position);
        let pages: Vec<Link<'_>> = self
            .site
            .children_of(&section.key, &section.lang)
            .skip(window.start)
            .take(window.len())
            .map(|p| self.link(p, current_key))
            .collect();
        let per_page = self
            .site
            .paginate_by(self.config, &section.key, &section.lang);
        let number = listing::listing_number(position.unwrap_or(0), per_page);
        serde_json::json!({
            "title": section.title,
            "url": self.url(&section.path),
            "current": section.key == current_key,
            "pages": pages,
            "total": len,
            "more": true,
            "hidden_before": window.start,
            "hidden_after": len - window.end,
            "listing_url": self.url(&self.site.listing_path(self.config, at, number)),
        })
    }

    /// Unmarks the page that [`Renderer::section_view`] marked in `view` and puts it back into
    /// the pool of the section at `at`.
    fn return_section_view(&self, at: usize, mut view: tera::Value, current_key: &str) {
        if view.get("more") == Some(&tera::Value::Bool(true)) {
            return; // made for this page alone
        }
        self.mark_current(at, &mut view, current_key, false);
        self.sections[at]
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push(view);
    }

    /// Sets `current` to `on` in the section view `view` (of the section at `at`) wherever a link
    /// is current on the page with key `current_key`.
    fn mark_current(&self, at: usize, view: &mut tera::Value, current_key: &str, on: bool) {
        let section = &self.site.pages[at];
        let mark = |link: &mut tera::Value| {
            if let Some(current) = link.get_mut("current") {
                *current = tera::Value::Bool(on);
            }
        };
        if section.key == current_key {
            mark(view);
        }
        if let Some(tera::Value::Array(links)) = view.get_mut("pages") {
            let children = self.site.children_of(&section.key, &section.lang);
            for (link, page) in links.iter_mut().zip(children) {
                if is_current(page, current_key) {
                    mark(link);
                }
            }
        }
    }

    /// The main navigation: the home page's children in `lang`.
    fn nav(&self, lang: &str, current_key: &str) -> Vec<Link<'a>> {
        self.site
            .children_of("_index.md", lang)
            .map(|p| self.link(p, current_key))
            .collect()
    }

    fn breadcrumbs(&self, page: &'a Page) -> Vec<Link<'a>> {
        let mut crumbs = Vec::new();
        let mut parent = page.parent.as_deref();
        while let Some(key) = parent {
            let Some(section) = self
                .site
                .get(key, &page.lang)
                .or_else(|| self.site.get(key, self.config.default_language()))
            else {
                break;
            };
            crumbs.push(Link {
                title: &section.title,
                url: self.url(self.site.path_of(key, &page.lang).unwrap_or(&section.path)),
                description: None,
                current: false,
                is_section: true,
                date: None,
            });
            parent = section.parent.as_deref();
        }
        crumbs.reverse();
        crumbs
    }

    fn base_context(&self, lang: &str, current_key: &str) -> Context {
        let mut ctx = Context::new();
        ctx.insert("lang", lang);
        if let Some(site) = self.site_values.get(lang) {
            insert_value(&mut ctx, "site", site.clone());
        }
        ctx.insert("nav", &self.nav(lang, current_key));
        insert_value(
            &mut ctx,
            "data",
            tera::Value::Object(self.site.data.clone()),
        );
        ctx
    }

    /// The template a page is rendered with.
    pub fn template_of<'p>(&self, page: &'p Page) -> &'p str {
        match (&page.meta.template, page.kind) {
            (Some(t), _) => t,
            (None, PageKind::Bundle) if self.documents.by_key(&page.key).is_some() => {
                "document.html"
            }
            (None, _)
                if self
                    .advisories
                    .is_some_and(|a| a.by_key(&page.key).is_some()) =>
            {
                crate::site::advisories::TEMPLATE
            }
            (None, PageKind::Section) if page.parent.is_none() => "home.html",
            (None, PageKind::Section) => "section.html",
            (None, _) => "page.html",
        }
    }

    /// Renders one page to its minified HTML file (a paginated section: its first listing
    /// page; [`Renderer::render_page_files`] makes the others too).
    pub fn render_page(&self, index: usize) -> Result<OutputFile, Diagnostic> {
        self.render_listing(index, &self.bodies[index], 1)
    }

    /// Every file page `index` makes: the page itself and, for a paginated section, its further
    /// listing pages and the redirect from `<paginate_path>/1/` to the section.
    pub fn render_page_files(&self, index: usize) -> Vec<Result<OutputFile, Diagnostic>> {
        self.render_page_files_with(index, &self.bodies[index])
    }

    /// [`Renderer::render_page_files`] with the page's rendered Markdown given (a build that
    /// renders each page as soon as its body is ready, and keeps no bodies).
    pub fn render_page_files_with(
        &self,
        index: usize,
        body: &Rendered,
    ) -> Vec<Result<OutputFile, Diagnostic>> {
        let total = self.site.listing_pages(self.config, index);
        let mut files: Vec<_> = (1..=total)
            .map(|n| self.render_listing(index, body, n))
            .collect();
        if total > 1 {
            files.push(self.render_first_listing_redirect(index));
        }
        files.extend(self.render_answer_filters(index, body));
        files
    }

    /// Listing page `number` (from 1) of page `index`, minified.
    fn render_listing(
        &self,
        index: usize,
        body: &Rendered,
        number: usize,
    ) -> Result<OutputFile, Diagnostic> {
        let html = self.render_page_bytes_at(index, body, number)?;
        let bytes = if self.minify_pages {
            minify_bytes(&html)
        } else {
            html
        };
        let path = self.site.listing_path(self.config, index, number);
        Ok(OutputFile::bytes(format!("{path}index.html"), bytes))
    }

    /// `<section>/<paginate_path>/1/`, which would show what the section's own page shows:
    /// a redirect there.
    fn render_first_listing_redirect(&self, index: usize) -> Result<OutputFile, Diagnostic> {
        let page = &self.site.pages[index];
        let file = format!(
            "{}{}/1/index.html",
            page.path,
            self.config.paginate_path(&page.lang)
        );
        self.redirect_to(page, file)
            .map_err(|m| Diagnostic::error(page.source.clone(), m))
    }

    /// The redirect page `file` that sends visitors on to `page`.
    fn redirect_to(&self, page: &Page, file: String) -> Result<OutputFile, String> {
        let mut ctx = Context::new();
        ctx.insert("lang", &page.lang);
        ctx.insert("target", &self.permalink(&page.path));
        ctx.insert("title", &page.title);
        self.render_template(&page.lang, "redirect.html", &ctx, 0)
            .map(|html| OutputFile::bytes(file, minify(&html)))
    }

    /// Renders one page through its template, before minification.
    pub fn render_page_html(&self, index: usize) -> Result<String, Diagnostic> {
        let html = self.render_page_bytes(index)?;
        String::from_utf8(html).map_err(|e| {
            Diagnostic::error(
                self.site.pages[index].source.clone(),
                format!("the page rendered invalid UTF-8: {e}"),
            )
        })
    }

    /// [`Renderer::render_page_html`] as the UTF-8 bytes tera wrote (not checked again: tera
    /// writes only `str`s).
    fn render_page_bytes(&self, index: usize) -> Result<Vec<u8>, Diagnostic> {
        self.render_page_bytes_at(index, &self.bodies[index], 1)
    }

    /// [`Renderer::render_page_bytes`] of listing page `number` (from 1; pages that are no
    /// paginated section have only the first).
    fn render_page_bytes_at(
        &self,
        index: usize,
        body: &Rendered,
        number: usize,
    ) -> Result<Vec<u8>, Diagnostic> {
        self.render_page_bytes_filtered(index, body, number, None)
    }

    /// [`Renderer::render_page_bytes_at`], for an answers page also its page of one `filter`
    /// (without the page's own text, which stands on its unfiltered page).
    fn render_page_bytes_filtered(
        &self,
        index: usize,
        body: &Rendered,
        number: usize,
        filter: Option<&crate::site::answers::Filter>,
    ) -> Result<Vec<u8>, Diagnostic> {
        let page = &self.site.pages[index];
        let pagination = self.site.pagination(self.config, index);
        let per_page = pagination.map(|(per_page, _)| per_page);
        let (children, items) = if page.kind == PageKind::Section {
            let all = self
                .site
                .children
                .get(&(page.key.clone(), page.lang.clone()))
                .map_or(&[][..], Vec::as_slice);
            let range = listing::listing_range(all.len(), per_page, number);
            let links = all[range]
                .iter()
                .map(|&i| self.link(&self.site.pages[i], &page.key))
                .collect();
            (links, all.len())
        } else {
            (Vec::new(), 0)
        };
        let mut path = self.site.listing_path(self.config, index, number);
        let mut translations = if number > 1 {
            self.listing_translations(page, number)
        } else {
            self.translations(&page.key, &page.lang)
        };
        if let Some(f) = filter {
            path = answers_view::filter_path(self, index, f).unwrap_or(path);
            translations = answers_view::filter_translations(self, page, f);
        }
        let view = PageView {
            key: &page.key,
            kind: match (page.kind, page.parent.is_none()) {
                (PageKind::Section, true) => "home",
                (PageKind::Section, false) => "section",
                (PageKind::Bundle, _) => "bundle",
                (PageKind::Page, _) => "page",
            },
            title: &page.title,
            description: page.meta.description.as_deref(),
            // The section's own text stands on its first listing page only.
            content: if number > 1 || filter.is_some() {
                ""
            } else {
                &body.html
            },
            toc: if number > 1 || filter.is_some() {
                &[]
            } else {
                &body.toc
            },
            url: self.url(&path),
            permalink: self.permalink(&path),
            updated: page.meta.updated.map(|d| d.to_string()),
            extra: &page.meta.extra,
            translations,
            breadcrumbs: self.breadcrumbs(page),
            children,
            feed: crate::site::feeds::wants_feed(self.site, page)
                .then(|| self.url(&format!("{}{}", page.path, crate::site::feeds::FILE))),
            source: page.source.to_string_lossy().replace('\\', "/"),
        };
        let mut ctx = self.base_context(&page.lang, &page.key);
        ctx.insert("page", &view);
        if let Some((per_page, total)) = pagination {
            let paginator = listing::Paginator::new(
                number,
                total,
                items,
                per_page,
                |n| self.url(&self.site.listing_path(self.config, index, n)),
                |n| self.permalink(&self.site.listing_path(self.config, index, n)),
            );
            ctx.insert("paginator", &paginator);
        }
        // The section a page belongs to, with its pages, for the side navigation.
        let section_key = match page.kind {
            PageKind::Section if page.parent.is_some() => Some(page.key.as_str()),
            PageKind::Section => None,
            _ => page.parent.as_deref().filter(|k| *k != "_index.md"),
        };
        let section = section_key.and_then(|key| self.site.index_of(key, &page.lang));
        if let Some(at) = section {
            insert_value(&mut ctx, "section", self.section_view(at, index));
        }
        if let Some(doc) = self.documents.by_key(&page.key) {
            ctx.insert("document", &self.view_context(&page.lang).document(doc));
        }
        if let Some(answers) = answers_view::context(self, index, filter) {
            insert_value(&mut ctx, "answers", answers);
        }
        if let Some(advisories) = self.advisories {
            let prefix = self.config.url_prefix();
            if let Some(view) =
                advisories.view(&page.key, &page.lang, prefix, self.signature_ext.is_some())
            {
                insert_value(&mut ctx, "advisory", view);
            } else if page.key == crate::site::advisories::SECTION_KEY {
                insert_value(
                    &mut ctx,
                    "advisories",
                    advisories.listing(self.site, &page.lang, prefix),
                );
            }
        }
        let template = self.template_of(page);
        let html = self.render_template_bytes(&page.lang, template, &ctx, body.html.len());
        if let Some(at) = section
            && let Some(view) = ctx.remove("section")
        {
            self.return_section_view(at, view, &page.key);
        }
        html.map_err(|message| {
            let mut d = Diagnostic::error(page.source.clone(), message);
            if page.meta.template.is_some() {
                d = d.at_line(page.line_of("template"));
            }
            d.with_hint("Fix the template named above, or the page's `template:`.")
        })
    }

    /// Renders the notice shown where a translation does not exist yet.
    pub fn render_missing(&self, index: usize) -> Result<OutputFile, Diagnostic> {
        let missing = &self.site.missing[index];
        let available: Vec<serde_json::Value> = self
            .site
            .translations(&missing.key)
            .map(|p| {
                serde_json::json!({
                    "lang": p.lang,
                    "name": self.language_name(&p.lang),
                    "title": p.title,
                    "url": self.url(&p.path),
                })
            })
            .collect();
        let source = self.site.translations(&missing.key).next();
        let mut ctx = self.base_context(&missing.lang, &missing.key);
        ctx.insert(
            "page",
            &serde_json::json!({
                "key": missing.key,
                "kind": "missing",
                "title": source.map_or("", |p| p.title.as_str()),
                "url": self.url(&missing.path),
                "permalink": self.permalink(&missing.path),
                "translations": self.translations(&missing.key, &missing.lang),
                "available": available,
                "breadcrumbs": [],
            }),
        );
        let html = self
            .render_template(&missing.lang, "untranslated.html", &ctx, 0)
            .map_err(|m| Diagnostic::error(PathBuf::from("templates/untranslated.html"), m))?;
        Ok(OutputFile::bytes(
            format!("{}index.html", missing.path),
            minify(&html),
        ))
    }

    /// `/<lang>/404.html` for every language and `/404.html` in the default language.
    pub fn render_404s(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut out = Vec::new();
        for lang in &self.config.languages {
            out.extend(self.render_404(lang)?);
        }
        Ok(out)
    }

    /// The frame of the portal's pages in every language (`_candor/portal/<lang>.html`): the
    /// theme's `portal.html` with the markers [`PORTAL_TITLE`] and [`PORTAL_BODY`], which the
    /// portal replaces with its escaped content. Only for sites with a portal; never published.
    pub fn render_portal_shells(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut out = Vec::new();
        for lang in &self.config.languages {
            out.extend(self.render_portal_shell(lang)?);
        }
        Ok(out)
    }

    /// The portal's page frame in `lang` (see [`Renderer::render_portal_shells`]).
    pub fn render_portal_shell(&self, lang: &str) -> Result<Option<OutputFile>, Diagnostic> {
        if self.config.portal.is_none() {
            return Ok(None);
        }
        let mut ctx = self.base_context(lang, "");
        let translations = self.generated_translations(lang, |l| format!("{l}/"));
        ctx.insert(
            "page",
            &serde_json::json!({
                "kind": "portal",
                "title": PORTAL_TITLE,
                "url": self.url(&format!("{lang}/")),
                "translations": translations,
                "breadcrumbs": [],
            }),
        );
        ctx.insert("portal_title", PORTAL_TITLE);
        ctx.insert("portal_body", PORTAL_BODY);
        let html = self
            .render_template(lang, "portal.html", &ctx, 0)
            .map_err(|m| Diagnostic::error(PathBuf::from("templates/portal.html"), m))?;
        Ok(Some(OutputFile::bytes(
            format!("{PORTAL_SHELL_DIR}{lang}.html"),
            minify(&html),
        )))
    }

    /// `/<lang>/404.html`, and `/404.html` too for the default language.
    pub fn render_404(&self, lang: &str) -> Result<Vec<OutputFile>, Diagnostic> {
        let mut out = Vec::new();
        let mut ctx = self.base_context(lang, "");
        let translations = self.generated_translations(lang, |l| format!("{l}/404.html"));
        ctx.insert(
            "page",
            &serde_json::json!({
                "kind": "404",
                "url": self.url(&format!("{lang}/404.html")),
                "translations": translations,
                "breadcrumbs": [],
            }),
        );
        let html = self
            .render_template(lang, "404.html", &ctx, 0)
            .map_err(|m| Diagnostic::error(PathBuf::from("templates/404.html"), m))?;
        let bytes = minify(&html);
        if lang == self.config.default_language() {
            out.push(OutputFile::bytes("404.html".to_owned(), bytes.clone()));
        }
        out.push(OutputFile::bytes(format!("{lang}/404.html"), bytes));
        Ok(out)
    }

    /// Output path of the search page in `lang` (`en/search/`; the segment is the UI string
    /// `search-slug`).
    pub fn search_path(&self, lang: &str) -> String {
        let slug = self
            .locales
            .translate(lang, "search-slug", &[])
            .unwrap_or_else(|_| "search".to_owned());
        format!("{lang}/{slug}/")
    }

    /// The search page of every language (their indexes are [`Renderer::search_index`]).
    pub fn render_search(&self) -> Result<Vec<OutputFile>, Diagnostic> {
        self.config
            .languages
            .iter()
            .map(|lang| self.render_search_page(lang))
            .collect()
    }

    /// The search page of `lang`.
    pub fn render_search_page(&self, lang: &str) -> Result<OutputFile, Diagnostic> {
        let path = self.search_path(lang);
        let mut ctx = self.base_context(lang, "");
        let translations = self.generated_translations(lang, |l| self.search_path(l));
        ctx.insert(
            "page",
            &serde_json::json!({
                "kind": "search",
                "title": self.locales.translate(lang, "search-title", &[]).unwrap_or_default(),
                "url": self.url(&path),
                "permalink": self.permalink(&path),
                "translations": translations,
                "breadcrumbs": [],
                "index_url": self.url(&crate::site::search::index_path(lang)),
            }),
        );
        let html = self
            .render_template(lang, "search.html", &ctx, 0)
            .map_err(|m| Diagnostic::error(PathBuf::from("templates/search.html"), m))?;
        Ok(OutputFile::bytes(
            format!("{path}index.html"),
            minify(&html),
        ))
    }

    /// Page `index`'s entry in its language's search index: title, URL, description, headings
    /// and the start of the text.
    pub fn search_entry(&self, index: usize) -> Entry {
        self.search_entry_with(index, &self.bodies[index])
    }

    /// [`Renderer::search_entry`] with the page's rendered Markdown given, whose text it takes
    /// (a build holds each page's text once, in its entry).
    pub fn search_entry_taking(&self, index: usize, body: &mut Rendered) -> Entry {
        let text = std::mem::take(&mut body.text);
        Entry {
            x: text,
            ..self.search_entry_with(index, body)
        }
    }

    /// [`Renderer::search_entry`] with the page's rendered Markdown given.
    pub fn search_entry_with(&self, index: usize, body: &Rendered) -> Entry {
        let page = &self.site.pages[index];
        let headings: Vec<&str> = body
            .toc
            .iter()
            .flat_map(|h| std::iter::once(h).chain(&h.children))
            .map(|h| h.title.as_str())
            .collect();
        Entry {
            d: page.meta.description.clone(),
            h: headings.join(" · "),
            t: page.title.clone(),
            u: self.url(&page.path),
            x: body.text.clone(),
        }
    }

    /// The search index of `lang` ([`crate::site::search::index_files`]) from the entries of
    /// every page (from [`Renderer::search_entry`], indexed like the site's pages).
    pub fn search_index(&self, lang: &str, entries: &[Entry]) -> Vec<OutputFile> {
        let mut entries = crate::site::search::of_language(self.site, entries, lang);
        if let Some((_, pages)) = self.answers
            && let Some(rendered) = pages.languages.get(lang)
        {
            // Each answer is found on its own, after the pages (whose positions stay).
            entries.extend(&rendered.entries);
        }
        crate::site::search::index_files(lang, &entries)
    }

    /// `/index.html`: a small page to choose the language.
    pub fn render_chooser(&self) -> Result<OutputFile, Diagnostic> {
        let lang = self.config.default_language();
        let mut ctx = self.base_context(lang, "");
        let languages: Vec<serde_json::Value> = self
            .config
            .languages
            .iter()
            .map(|l| {
                serde_json::json!({
                    "code": l,
                    "name": self.language_name(l),
                    "title": self.config.title.get(l),
                    "description": self.config.description.get(l),
                    "url": self.url(&format!("{l}/")),
                    "permalink": self.permalink(&format!("{l}/")),
                })
            })
            .collect();
        ctx.insert("languages", &languages);
        ctx.insert("permalink", &self.permalink(""));
        let html = self
            .render_template(lang, "chooser.html", &ctx, 0)
            .map_err(|m| Diagnostic::error(PathBuf::from("templates/chooser.html"), m))?;
        Ok(OutputFile::bytes("index.html".to_owned(), minify(&html)))
    }

    /// Redirect pages for every page's `aliases`.
    pub fn render_aliases(&self) -> Vec<Result<OutputFile, Diagnostic>> {
        (0..self.site.pages.len())
            .flat_map(|i| self.render_aliases_of(i))
            .collect()
    }

    /// Redirect pages for the `aliases` of page `index`.
    pub fn render_aliases_of(&self, index: usize) -> Vec<Result<OutputFile, Diagnostic>> {
        let page = &self.site.pages[index];
        let mut out = Vec::new();
        for alias in &page.meta.aliases {
            let trimmed = alias.trim_start_matches('/');
            let file = if trimmed.is_empty() || trimmed.ends_with('/') {
                format!("{trimmed}index.html")
            } else if trimmed.ends_with(".html") {
                trimmed.to_owned()
            } else {
                format!("{trimmed}/index.html")
            };
            out.push(self.redirect_to(page, file).map_err(|m| {
                Diagnostic::error(page.source.clone(), m).at_line(page.line_of("aliases"))
            }));
        }
        out
    }

    /// The settings document views are made with in `lang`.
    pub fn view_context<'l>(&'l self, lang: &'l str) -> document_view::ViewContext<'l> {
        document_view::ViewContext {
            lang,
            default_lang: self.config.default_language(),
            url_prefix: self.config.url_prefix(),
            today: self.today,
            locales: self.locales,
            signature_ext: self.signature_ext,
        }
    }

    /// Renders template `name` with `ctx`; `inserted` is the length of the text the context
    /// brings along (a page's body), so that the page is written into one buffer of its size.
    fn render_template(
        &self,
        lang: &str,
        name: &str,
        ctx: &Context,
        inserted: usize,
    ) -> Result<String, String> {
        let out = self.render_template_bytes(lang, name, ctx, inserted)?;
        String::from_utf8(out).map_err(|e| format!("`{name}` rendered invalid UTF-8: {e}"))
    }

    /// [`Renderer::render_template`] as the bytes tera wrote.
    fn render_template_bytes(
        &self,
        lang: &str,
        name: &str,
        ctx: &Context,
        inserted: usize,
    ) -> Result<Vec<u8>, String> {
        // What the default theme writes around a page's body, with some room to spare.
        const FRAME: usize = 16 * 1024;
        let tera = self
            .teras
            .get(lang)
            .ok_or_else(|| format!("no templates for language `{lang}`"))?;
        if !tera.get_template_names().any(|n| n == name) {
            return Err(format!(
                "the template `{name}` does not exist in the theme or the site's templates/ folder"
            ));
        }
        let mut out = Vec::with_capacity(inserted + FRAME);
        tera.render_to(name, ctx, &mut out)
            .map_err(|e| format!("cannot render `{name}`: {}", templates::error_chain(&e)))?;
        Ok(out)
    }

    /// Renders every page, notice and generated page (chooser, 404s, search pages, redirects) in
    /// parallel, handing each file to `take` as soon as it is made; the search indexes are
    /// [`Renderer::search_index`]. Returns the files `take` gave back, and the problems.
    pub fn render_all(
        &self,
        take: impl Fn(OutputFile) -> Option<OutputFile> + Sync,
    ) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        self.render(true, take)
    }

    /// [`Renderer::render_all`] but the pages (which a build that renders each page as soon as
    /// its body is ready has made already).
    pub fn render_all_but_pages(
        &self,
        take: impl Fn(OutputFile) -> Option<OutputFile> + Sync,
    ) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        self.render(false, take)
    }

    fn render(
        &self,
        pages: bool,
        take: impl Fn(OutputFile) -> Option<OutputFile> + Sync,
    ) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let pages = (0..if pages { self.site.pages.len() } else { 0 })
            .into_par_iter()
            .flat_map_iter(|i| self.render_page_files(i));
        let missing = (0..self.site.missing.len())
            .into_par_iter()
            .map(|i| self.render_missing(i));
        let results: Vec<Result<OutputFile, Diagnostic>> = pages
            .chain(missing)
            .filter_map(|r| r.map(&take).transpose())
            .collect();
        let (mut files, mut problems) = (Vec::new(), Vec::new());
        for r in results {
            match r {
                Ok(f) => files.push(f),
                Err(d) => problems.push(d),
            }
        }
        let extra = self
            .render_aliases()
            .into_iter()
            .chain(std::iter::once(self.render_chooser()))
            .chain(match self.render_404s() {
                Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(d) => vec![Err(d)],
            })
            .chain(match self.render_search() {
                Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(d) => vec![Err(d)],
            })
            .chain(match self.render_portal_shells() {
                Ok(v) => v.into_iter().map(Ok).collect::<Vec<_>>(),
                Err(d) => vec![Err(d)],
            });
        for r in extra {
            match r {
                Ok(f) => files.extend(take(f)),
                Err(d) => problems.push(d),
            }
        }
        (files, problems)
    }
}

/// Whether a link to `page` is current on the page with key `current_key`: it is that page, or
/// a section that holds it.
fn is_current(page: &Page, current_key: &str) -> bool {
    page.key == current_key
        || (page.kind == PageKind::Section && {
            // `privacy/_index.md` → `privacy/` (the home page's `_index.md` → ``).
            let dir = page.key.strip_suffix("_index.md").unwrap_or(&page.key);
            !dir.is_empty() && current_key.starts_with(dir)
        })
}

/// Puts `value` into `ctx` as `key` without the copy [`Context::insert`] makes of it.
fn insert_value(ctx: &mut Context, key: &str, value: tera::Value) {
    let mut entry = serde_json::Map::new();
    entry.insert(key.to_owned(), value);
    if let Ok(one) = Context::from_value(tera::Value::Object(entry)) {
        ctx.extend(one);
    }
}

/// Where the portal's page frames go in the in-memory site (never written by `build`).
pub const PORTAL_SHELL_DIR: &str = "_candor/portal/";
/// Marker for the portal page's title in its frame.
pub const PORTAL_TITLE: &str = "CANDOR-PORTAL-TITLE";
/// Marker for the portal page's content in its frame.
pub const PORTAL_BODY: &str = "CANDOR-PORTAL-BODY";

/// Minifies an HTML document with minify-html, keeping it spec-compliant (no options that trade
/// validity for bytes).
pub fn minify(html: &str) -> Vec<u8> {
    minify_bytes(html.as_bytes())
}

/// [`minify`] of HTML as bytes.
fn minify_bytes(html: &[u8]) -> Vec<u8> {
    let cfg = minify_html::Cfg {
        keep_html_and_head_opening_tags: true,
        ..minify_html::Cfg::default()
    };
    minify_html::minify(html, &cfg)
}

/// Compacts a page's Markdown body as pulldown-cmark writes it: drops the line breaks it puts
/// between block elements (`</p>\n<h2>`), where white space does not show, and keeps everything
/// else as written, `<pre>`, `<textarea>`, `<script>` and `<style>` untouched.
///
/// This is the body's share of minification. Running minify-html over bodies as well cost about
/// 40% of a build's CPU and saved only 2% of the bytes of a page (the optional closing tags and
/// attribute quotes it also drops), and nothing once gzipped (ARCHITECTURE.md, "Minifying once").
/// A line break between inline elements (`</em>\n<strong>`) shows as a space and is kept.
pub fn compact_fragment(html: &str) -> String {
    /// Elements whose start and end tags white space next to does not show (a subset of HTML's
    /// block and table elements: those Markdown and its raw HTML write).
    const BLOCKS: &[&str] = &[
        "address",
        "article",
        "aside",
        "blockquote",
        "caption",
        "dd",
        "details",
        "div",
        "dl",
        "dt",
        "figcaption",
        "figure",
        "footer",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "header",
        "hr",
        "li",
        "main",
        "nav",
        "ol",
        "p",
        "pre",
        "section",
        "summary",
        "table",
        "tbody",
        "td",
        "tfoot",
        "th",
        "thead",
        "tr",
        "ul",
    ];
    /// Elements whose content is kept exactly.
    const RAW: &[&str] = &["pre", "textarea", "script", "style"];
    let is_block = |tag: &str| {
        let name = tag_name(tag);
        BLOCKS.iter().any(|b| name.eq_ignore_ascii_case(b))
    };
    fn raw_name(tag: &str) -> Option<&str> {
        let name = tag_name(tag);
        (!tag.starts_with("</") && RAW.iter().any(|r| name.eq_ignore_ascii_case(r))).then_some(name)
    }
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(nl) = rest.find('\n') {
        let (before, after) = (&rest[..nl], &rest[nl + 1..]);
        // A raw element that opens on this line: copy through its end tag.
        let raw = before
            .match_indices('<')
            .filter(|&(i, _)| {
                matches!(
                    before.as_bytes().get(i + 1),
                    Some(b'p' | b't' | b's' | b'P' | b'T' | b'S')
                )
            })
            .find_map(|(i, _)| raw_name(&before[i..]).map(|name| (i, name)));
        if let Some((open, name)) = raw {
            let end = rest[open..]
                .match_indices("</")
                .map(|(i, _)| open + i)
                .find(|&i| tag_name(&rest[i..]).eq_ignore_ascii_case(name))
                .unwrap_or(rest.len());
            out.push_str(&rest[..end]);
            rest = &rest[end..];
            continue;
        }
        out.push_str(before);
        let previous = before.rfind('<').map_or("", |i| &before[i..]);
        let after_block = before.ends_with('>') && is_block(previous);
        let next_tag = after.starts_with('<');
        let shows = !((after_block && (next_tag || after.is_empty()))
            || (next_tag && is_block(after) && before.ends_with('>')));
        if shows {
            out.push('\n');
        }
        rest = after;
    }
    out.push_str(rest);
    out
}

/// The element name of the tag that `tag` starts with (`<h2 id=a>…` and `</h2>…` → `h2`).
pub fn tag_name(tag: &str) -> &str {
    let t = tag.trim_start_matches('<').trim_start_matches('/');
    let end = t
        .bytes()
        .position(|b| !b.is_ascii_alphanumeric())
        .unwrap_or(t.len());
    &t[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_compacted_body_drops_line_breaks_between_blocks_only() {
        let html = "<p>One</p>\n<h2 id=\"a\">Two</h2>\n<ul>\n<li>three</li>\n</ul>\n<p>four</p>\n";
        assert_eq!(
            compact_fragment(html),
            "<p>One</p><h2 id=\"a\">Two</h2><ul><li>three</li></ul><p>four</p>"
        );
        // A soft break between inline elements, or in text, shows as a space.
        let inline = "<p><em>a</em>\n<strong>b</strong>\nc\nd</p>\n";
        assert_eq!(
            compact_fragment(inline),
            "<p><em>a</em>\n<strong>b</strong>\nc\nd</p>"
        );
    }

    #[test]
    fn a_compacted_body_keeps_preformatted_text_exactly() {
        let html = "<p>x</p>\n<pre><code class=\"language-yaml\">a:\n  <b>\n</b>\n</code></pre>\n\
                    <p>y</p>\n<PRE>\n<i>z</i>\n</PRE>\n<textarea>\n<p>\n</textarea>\n<p>w</p>\n";
        assert_eq!(
            compact_fragment(html),
            "<p>x</p><pre><code class=\"language-yaml\">a:\n  <b>\n</b>\n</code></pre>\
             <p>y</p><PRE>\n<i>z</i>\n</PRE><textarea>\n<p>\n</textarea><p>w</p>"
        );
        // An unclosed raw element keeps the rest as written.
        assert_eq!(compact_fragment("<pre>a\n<p>b\n"), "<pre>a\n<p>b\n");
    }
}

// The answers page's context, kept in this file: it reads the renderer's internals.
mod answers_view {
    //! What the answers page's template sees (`answers`), and its filter pages: one per topic and
    //! per framework, each the page's template with the answers of that filter (see
    //! [`crate::site::answers`]).

    use super::{Renderer, Translation, minify_bytes};
    use crate::error::Diagnostic;
    use crate::site::answers::Filter;
    use crate::site::content::Page;
    use crate::site::markdown::Rendered;
    use crate::site::output::OutputFile;

    impl Renderer<'_> {
        /// The filter pages of page `index`, when it is its language's answers page.
        pub(super) fn render_answer_filters(
            &self,
            index: usize,
            body: &Rendered,
        ) -> Vec<Result<OutputFile, Diagnostic>> {
            let page = &self.site.pages[index];
            let Some((_, pages)) = self.answers else {
                return Vec::new();
            };
            let Some(rendered) = pages.of_page(index, &page.lang) else {
                return Vec::new();
            };
            rendered
                .filters
                .iter()
                .map(|(filter, path)| {
                    let html = self.render_page_bytes_filtered(index, body, 1, Some(filter))?;
                    let bytes = if self.minify_pages {
                        minify_bytes(&html)
                    } else {
                        html
                    };
                    Ok(OutputFile::bytes(format!("{path}index.html"), bytes))
                })
                .collect()
        }
    }

    /// The output path of page `index`'s page of `filter`.
    pub(super) fn filter_path(r: &Renderer<'_>, index: usize, filter: &Filter) -> Option<String> {
        let page = &r.site.pages[index];
        let (_, pages) = r.answers?;
        pages
            .of_page(index, &page.lang)?
            .filter_path(filter)
            .map(str::to_owned)
    }

    /// The language switcher of a filter page: the same filter in every language with an answers
    /// page.
    pub(super) fn filter_translations(
        r: &Renderer<'_>,
        page: &Page,
        filter: &Filter,
    ) -> Vec<Translation> {
        let Some((_, pages)) = r.answers else {
            return Vec::new();
        };
        r.config
            .languages
            .iter()
            .filter_map(|lang| {
                let path = pages.languages.get(lang)?.filter_path(filter)?;
                Some(Translation {
                    lang: lang.clone(),
                    name: r.language_name(lang),
                    url: r.url(path),
                    permalink: r.permalink(path),
                    available: true,
                    current: *lang == page.lang,
                })
            })
            .collect()
    }

    /// The `answers` context of page `index` (on its page of `filter`), when it is an answers page.
    pub(super) fn context(
        r: &Renderer<'_>,
        index: usize,
        filter: Option<&Filter>,
    ) -> Option<tera::Value> {
        let page = &r.site.pages[index];
        let (library, pages) = r.answers?;
        let rendered = pages.of_page(index, &page.lang)?;
        Some(rendered.context(library, r.config, &page.lang, filter))
    }
}
