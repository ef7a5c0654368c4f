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
