//! Candor turns a folder of Markdown + YAML front matter into a bilingual, accessible static
//! trust center, and serves it with a portal for confidential documents.
//!
//! The library has three parts and the foundations they share; dependencies point one way
//! (`scripts/check-layout` fails the tests on an import loop or an arrow against this order):
//!
//! ```text
//!  candor (src/main.rs, src/cli/)      the command line
//!        │
//!        ├──────────────► server       HTTP: static site from memory, preview, security headers
//!        │                  │
//!        ├──────────────► portal       requests, grants, downloads, agreements, audit
//!        │                  │   └────► pdf      watermarks, executed agreements, PAdES signatures
//!        ▼                  ▼
//!       site                           the generator: content → built site, document registry
//!        │
//!        ▼
//!      error                           diagnostics with file, line and hint
//! ```
//!
//! [`site::build::generate`] builds a site in memory, [`site::build::build`] writes it;
//! [`site::published::Published`] is what a build hands to the portal. Problems are reported as
//! [`error::Diagnostic`]s with file, line and a hint.
#![warn(missing_docs)]

pub mod error;
pub mod pdf;
pub mod portal;
pub mod server;
pub mod site;
