//! `candor serve`: the built site over HTTP with its security headers, the preview that
//! rebuilds and reloads on every change, and the portal's routes mounted beside the site.
//!
//! - [`http`]: the server loop (header-read timeout, peer address, graceful shutdown)
//! - [`serve`]: `candor serve` itself: options, start-up, the router, security headers
//! - `files`: static serving from memory (request path → output file, media types, 404s)
//! - `preview`: the in-memory build session, the watcher, live reload and the error overlay
//! - `state`: what those share (the build being served, the reload channel, the headers)
//!
//! May use: [`crate::site`] (an incremental build session, the header policy) and
//! [`crate::portal`] (opened and mounted when `site.yaml` has a `portal:` block).

mod files;
pub mod http;
mod preview;
pub mod serve;
mod state;
