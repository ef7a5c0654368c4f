//! `candor serve`: the site from memory over HTTP with the security headers, and, in preview
//! mode (`--watch`), a rebuild on every change and a reload of open browser tabs over
//! server-sent events. A failed build shows an overlay page naming file and line; the preview
//! recovers as soon as the sources are fixed.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::{Arc, RwLock};
use std::time::Instant;

use axum::Router;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, header};
use axum::response::Response;
use axum::routing::get;
use tokio::sync::broadcast;

use super::files::static_file;
use super::preview::{build_in_memory, events, live_js, overlay_css, report, watch};
use super::state::{AppState, Signal};
use crate::site::build::Options;
use crate::site::incremental::Session;

/// How `serve` runs.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// The site folder.
    pub root: PathBuf,
    /// Address to listen on.
    pub addr: SocketAddr,
    /// Rebuild on changes and reload browsers (preview); off in production.
    pub watch: bool,
    /// Include drafts.
    pub drafts: bool,
}

/// Runs the server until Ctrl-C.
pub async fn run(opts: ServeOptions) -> anyhow::Result<()> {
    let config = crate::site::config::load(&opts.root).map_err(|ds| {
        anyhow::anyhow!(
            ds.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })?;
    let started = Instant::now();
    let mut build = Options::new(&opts.root);
    build.drafts = opts.drafts;
    let (session, files, current) = tokio::task::spawn_blocking(move || {
        let mut session = Session::new(build);
        let mut files = None;
        let (current, _) = build_in_memory(&mut session, None, &mut files);
        (session, files, current)
    })
    .await?;
    report(&current, None, started.elapsed());
    let all_headers = crate::site::headers::security_headers(&config);
    let hsts = all_headers
        .iter()
        .find(|(n, _)| *n == "Strict-Transport-Security")
        .and_then(|(_, v)| HeaderValue::from_str(v).ok());
    let headers = all_headers
        .into_iter()
        // HSTS only makes sense over TLS, which a reverse proxy in front of us terminates.
        .filter(|(name, _)| *name != "Strict-Transport-Security")
        .filter_map(|(n, v)| {
            Some((
                HeaderName::from_bytes(n.as_bytes()).ok()?,
                HeaderValue::from_str(&v).ok()?,
            ))
        })
        .collect();
    let portal = match (&config.portal, session.published()) {
        (Some(_), Some(catalogue)) => {
            let mut portal = crate::portal::Portal::open(
                &opts.root,
                &config,
                crate::portal::Catalogue::new(catalogue),
            )
            .await?;
            portal.load_signer(&opts.root, &config, !opts.watch)?;
            let portal = Arc::new(portal);
            portal.spawn_housekeeping();
            Some(portal)
        }
        (Some(_), None) => {
            eprintln!("The portal starts once the site builds: fix the errors and restart.");
            None
        }
        (None, _) => None,
    };
    let (reload, _) = broadcast::channel(16);
    let state = Arc::new(AppState {
        current: RwLock::new(Arc::new(current)),
        reload,
        watch: opts.watch,
        headers,
        default_language: config.default_language().to_owned(),
        portal: portal.clone(),
        hsts,
        behind_proxy: config.portal.as_ref().is_some_and(|p| p.behind_proxy),
    });
    if opts.watch {
        watch(&opts.root, Arc::clone(&state), session, files)?;
    }
    let mut app = Router::new()
        .route("/_candor/live.js", get(live_js))
        .route("/_candor/events", get(events))
        .route("/_candor/overlay.css", get(overlay_css))
        .fallback(get(static_file))
        .with_state(Arc::clone(&state));
    if let Some(portal) = &portal {
        app = app.merge(crate::portal::router(Arc::clone(portal)));
    }
    let app = app.layer(axum::middleware::from_fn_with_state(
        Arc::clone(&state),
        security_headers,
    ));
    // Before the address is printed: a SIGTERM from then on shuts down gracefully.
    let signal = shutdown_signal();
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let local = listener.local_addr()?;
    println!(
        "Serving {} on http://{local}{}",
        opts.root.display(),
        if opts.watch {
            " (preview: rebuilds and reloads on every change)"
        } else {
            ""
        }
    );
    if let Some(portal) = &portal {
        println!(
            "Portal on http://{local}{}/ (store: {}; mail: {})",
            portal.settings.mount,
            if portal.store.is_postgres() {
                "PostgreSQL"
            } else {
                "SQLite"
            },
            portal
                .mailer
                .outbox_dir()
                .map_or_else(|| "SMTP".to_owned(), |d| format!("outbox {}", d.display()))
        );
    }
    let closing = Arc::clone(&state);
    let shutdown = async move {
        signal.await;
        // Open preview tabs hold event streams that never end by themselves.
        let _ = closing.reload.send(Signal::Close);
    };
    crate::server::http::serve(listener, app, shutdown).await?;
    if let Some(portal) = &portal {
        portal.store.close().await;
    }
    Ok(())
}

/// Ctrl-C or SIGTERM (what container runtimes send). The SIGTERM handler is installed when this
/// is called, not when the future is first polled, so that a signal arriving right after the
/// server says where it listens is not lost.
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    #[cfg(unix)]
    let term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()).ok();
    async move {
        let ctrl_c = async {
            let _ = tokio::signal::ctrl_c().await;
        };
        #[cfg(unix)]
        let term = async move {
            match term {
                Some(mut s) => {
                    s.recv().await;
                }
                None => std::future::pending::<()>().await,
            }
        };
        #[cfg(not(unix))]
        let term = std::future::pending::<()>();
        tokio::select! {
            () = ctrl_c => {}
            () = term => {}
        }
        println!("Shutting down: finishing requests in flight");
    }
}

/// The security headers on every response (site, portal, overlay); HSTS only when the request
/// came over HTTPS through a trusted reverse proxy (`portal.behind_proxy`).
async fn security_headers(
    State(state): State<Arc<AppState>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let https = state.behind_proxy
        && request
            .headers()
            .get("x-forwarded-proto")
            .is_some_and(|v| v.as_bytes() == b"https");
    let mut response = next.run(request).await;
    for (name, value) in &state.headers {
        response.headers_mut().insert(name.clone(), value.clone());
    }
    if https && let Some(hsts) = &state.hsts {
        response
            .headers_mut()
            .insert(header::STRICT_TRANSPORT_SECURITY, hsts.clone());
    }
    response
}
