//! Candor turns a folder of Markdown + YAML front matter into a bilingual, accessible static
//! trust center.
//!
//! The pipeline, one module per stage:
//!
//! ```text
//! site.yaml ─► config ─┐
//! content/  ─► content ┼─► markdown ─► render (tera + fluent + minify-html) ─► output (atomic)
//! locales/  ─► i18n ───┘
//! ```
//!
//! [`build::generate`] builds a site in memory, [`build::build`] writes it. Problems are reported
//! as [`error::Diagnostic`]s with file, line and a hint.
#![warn(missing_docs)]

#[doc(hidden)]
pub mod bench;
pub mod build;
pub mod config;
pub mod content;
pub mod documents;
pub mod error;
pub mod executed;
pub mod headers;
pub mod http;
pub mod i18n;
pub mod incremental;
pub mod markdown;
pub mod output;
pub mod pades;
pub mod portal;
pub mod render;
pub mod scaffold;
pub mod serve;
pub mod signing;
pub mod subprocessors;
pub mod translations;
pub mod watermark;
