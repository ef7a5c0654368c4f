//! The generator: `site.yaml`, `content/`, `locales/` and a theme in, a built site out.
//!
//! Owns loading ([`config`], [`content`], [`i18n`]), Markdown ([`markdown`]), the document
//! registry ([`documents`], [`subprocessors`]), section feeds ([`feeds`]), the compliance overview ([`compliance`]), the
//! questionnaire answer library ([`answers`]), security advisories as a CSAF provider
//! ([`advisories`]), rendering ([`render`]), writing ([`output`]), the
//! orchestration of a build ([`build`], and [`incremental`] for the preview), translation status
//! ([`translations`]), the site's terminology ([`terminology`]), the search index ([`search`]), OpenPGP signatures of published files ([`signing`]), the security header
//! policy ([`headers`]) and scaffolding ([`scaffold`]). [`published`] is the one interface the
//! portal reads a build through, with [`announce`]: what a build publishes that subscribers are
//! told about.
//!
//! May use: [`crate::error`] only. It knows nothing of HTTP, the portal or PDF editing.

pub mod advisories;
pub mod announce;
pub mod answers;
#[doc(hidden)]
pub mod bench;
pub mod build;
pub mod compliance;
pub mod config;
pub mod content;
pub mod documents;
pub mod feeds;
pub mod headers;
pub mod i18n;
pub mod incremental;
pub mod markdown;
pub mod output;
pub mod published;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod signing;
pub mod subprocessors;
pub mod terminology;
pub mod translations;
