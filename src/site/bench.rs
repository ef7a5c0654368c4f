//! Entry points for the micro-benchmarks in `benches/micro.rs` (`cargo bench`): one stage of the
//! build applied to one page of a loaded site. Not a stable API.

use crate::error::BuildError;
use crate::site::build::{self, FullBuild, Options};
use crate::site::content;

/// A site loaded and rendered once, whose pages the benchmarks render again one at a time.
pub struct Loaded {
    full: FullBuild,
}

impl Loaded {
    /// Loads and builds the site of `opts` in memory.
    pub fn new(opts: &Options) -> Result<Self, BuildError> {
        Ok(Loaded {
            full: build::build_full(opts, &build::Sink::Memory)?,
        })
    }

    /// The index of the page whose source is `source` (relative to the site root).
    pub fn index_of(&self, source: &str) -> Option<usize> {
        self.full
            .model
            .site
            .pages
            .iter()
            .position(|p| p.source.to_string_lossy() == source)
    }

    /// Reads page `index` from disk, parses its front matter and renders its Markdown; returns
    /// the length of the HTML.
    pub fn parse_and_render_markdown(&self, index: usize) -> usize {
        let model = &self.full.model;
        let page = &model.site.pages[index];
        let abs = model.root.join(&page.source);
        match content::parse_page(&model.root, &abs, &model.config) {
            Ok(_) => model.render_body(index).html.len(),
            Err(_) => 0,
        }
    }

    /// The renderer over the loaded site (its `render_page` and `render_page_html` are what a
    /// build runs for every page).
    pub fn renderer(&self) -> crate::site::render::Renderer<'_> {
        self.full.model.renderer()
    }
}
