//! `candor serve`: the built site over HTTP with its security headers, the preview that
//! rebuilds and reloads on every change, and the portal's routes mounted beside the site.
//!
//! Owns the HTTP server loop ([`http`]: timeouts, peer address, graceful shutdown) and static
//! serving from memory with the live reload ([`serve`]).
//! May use: [`crate::site`] (an incremental build session, the header policy) and
//! [`crate::portal`] (opened and mounted when `site.yaml` has a `portal:` block).

pub mod http;
pub mod serve;
