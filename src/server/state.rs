//! What the server's routes share: the build being served (its files, or the diagnostics of a
//! failed build), the reload channel to open preview tabs, and the header policy.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use axum::http::{HeaderName, HeaderValue};
use tokio::sync::broadcast;

use crate::error::Diagnostic;

/// What the event stream tells browsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Signal {
    /// Reload the page.
    Reload,
    /// The server stops: end the stream.
    Close,
}

/// The current build: the site's files, or the diagnostics of a failed build.
pub(super) enum Current {
    Site(HashMap<String, Arc<[u8]>>),
    Failed(Vec<Diagnostic>),
}

pub(super) struct AppState {
    pub(super) current: RwLock<Arc<Current>>,
    /// Tells open tabs to reload (`Signal::Reload`) and ends their event streams on shutdown
    /// (`Signal::Close`), so that a graceful shutdown need not wait for them.
    pub(super) reload: broadcast::Sender<Signal>,
    pub(super) watch: bool,
    pub(super) headers: Vec<(HeaderName, HeaderValue)>,
    pub(super) default_language: String,
    /// The portal, when site.yaml has a `portal:` block.
    pub(super) portal: Option<Arc<crate::portal::Portal>>,
    /// `Strict-Transport-Security`, sent over HTTPS only.
    pub(super) hsts: Option<HeaderValue>,
    /// Whether X-Forwarded-Proto can be trusted.
    pub(super) behind_proxy: bool,
}

/// The site's files as served; the watcher keeps them between rebuilds and patches them.
pub(super) type Files = HashMap<String, Arc<[u8]>>;
