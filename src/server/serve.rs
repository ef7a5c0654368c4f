//! `candor serve`: the site from memory over HTTP with the security headers, and, in preview
//! mode (`--watch`), a rebuild on every change and a reload of open browser tabs over
//! server-sent events. A failed build shows an overlay page naming file and line; the preview
//! recovers as soon as the sources are fixed.

use std::collections::HashMap;
use std::convert::Infallible;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderName, HeaderValue, StatusCode, Uri, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use tokio::sync::broadcast;
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use crate::error::{BuildError, Diagnostic};
use crate::site::build::Options;
use crate::site::incremental::{Kind, Output, Rebuild, Session};
use crate::site::render::xml_escape;

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

/// What the event stream tells browsers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Signal {
    /// Reload the page.
    Reload,
    /// The server stops: end the stream.
    Close,
}

/// The current build: the site's files, or the diagnostics of a failed build.
enum Current {
    Site(HashMap<String, Arc<[u8]>>),
    Failed(Vec<Diagnostic>),
}

struct AppState {
    current: RwLock<Arc<Current>>,
    /// Tells open tabs to reload (`Signal::Reload`) and ends their event streams on shutdown
    /// (`Signal::Close`), so that a graceful shutdown need not wait for them.
    reload: broadcast::Sender<Signal>,
    watch: bool,
    headers: Vec<(HeaderName, HeaderValue)>,
    default_language: String,
    /// The portal, when site.yaml has a `portal:` block.
    portal: Option<Arc<crate::portal::Portal>>,
    /// `Strict-Transport-Security`, sent over HTTPS only.
    hsts: Option<HeaderValue>,
    /// Whether X-Forwarded-Proto can be trusted.
    behind_proxy: bool,
}

/// The script injected into pages in preview mode.
const LIVE_JS: &str = "new EventSource('/_candor/events').addEventListener('reload',function(){location.reload()});\n";
const LIVE_TAG: &str = "<script src=/_candor/live.js></script>";
/// The style of the error overlay (a file, because the CSP forbids inline styles).
const OVERLAY_CSS: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#fff7f5;color:#1a1f2b}\
main{max-width:52rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:2px solid #b42318;border-radius:.5rem}\
h1{color:#b42318;font-size:1.6rem;margin-top:0}li{margin:1rem 0}code{font-weight:700;font-size:1rem}\
.hint{color:#4a5568}li p{margin:.25rem 0}";

/// The site's files as served; the watcher keeps them between rebuilds and patches them.
type Files = HashMap<String, Arc<[u8]>>;

/// Builds the site (`changed: None`) or rebuilds it after `changed` files changed, and brings
/// `files` up to date with the session's output (`None` when they could not be: the next
/// successful build fills them anew).
fn build_in_memory(
    session: &mut Session,
    changed: Option<Vec<PathBuf>>,
    files: &mut Option<Files>,
) -> (Current, Option<Rebuild>) {
    session.options_mut().now = chrono::Utc::now();
    let result = match changed {
        None => session.build(),
        Some(paths) => session.update(paths),
    };
    let rebuild = match result {
        Ok(rebuild) => rebuild,
        Err(BuildError::Invalid(ds)) => return (Current::Failed(ds), None),
        Err(e) => {
            return (
                Current::Failed(vec![Diagnostic::error(None, e.to_string())]),
                None,
            );
        }
    };
    // After a full build (or when the files are out of step), every file is taken anew.
    let (mut current, paths): (Files, Vec<&str>) = match files.take() {
        Some(current) if !rebuild.is_full() => (
            current,
            rebuild.changed.iter().map(String::as_str).collect(),
        ),
        _ => (
            HashMap::with_capacity(rebuild.files),
            session.files().map(|(p, _)| p).collect(),
        ),
    };
    for path in &rebuild.removed {
        current.remove(path);
    }
    for path in paths {
        let bytes: Arc<[u8]> = match session.file(path) {
            Some(Output::Bytes(b)) => Arc::clone(b),
            Some(Output::Copy(source)) => match std::fs::read(source) {
                Ok(b) => b.into(),
                Err(e) => {
                    let path = crate::error::relative_to(source, &session.options().root);
                    let d = Diagnostic::error(path, format!("cannot read the file: {e}"));
                    return (Current::Failed(vec![d]), None);
                }
            },
            None => continue,
        };
        current.insert(path.to_owned(), bytes);
    }
    *files = Some(current.clone());
    (Current::Site(current), Some(rebuild))
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
        watch(opts.clone(), Arc::clone(&state), session, files)?;
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

fn report(current: &Current, rebuild: Option<&Rebuild>, elapsed: Duration) {
    let ms = elapsed.as_secs_f64() * 1000.0;
    match (current, rebuild) {
        (Current::Site(files), None) => println!("Built {} files in {ms:.0} ms", files.len()),
        (Current::Site(_), Some(rebuild)) => {
            match &rebuild.kind {
                Kind::Full(reason) => {
                    println!(
                        "Rebuilt all {} files in {ms:.1} ms ({reason})",
                        rebuild.files
                    )
                }
                Kind::Incremental { pages, .. } => {
                    let files = rebuild.changed.len() + rebuild.removed.len();
                    println!(
                        "Rebuilt {files} {} in {ms:.1} ms ({pages} {} edited)",
                        if files == 1 { "file" } else { "files" },
                        if *pages == 1 { "page" } else { "pages" }
                    )
                }
            }
            for w in &rebuild.new_warnings {
                eprintln!("{w}");
            }
        }
        (Current::Failed(ds), _) => {
            for d in ds {
                eprintln!("{d}");
            }
            eprintln!("The build failed; the preview shows the errors until they are fixed.");
        }
    }
}

/// Whether a changed path is a source of the site (not output, not editor litter).
fn is_source(root: &Path, path: &Path) -> bool {
    let Ok(rel) = path.strip_prefix(root) else {
        return false;
    };
    let first = rel
        .components()
        .next()
        .map(|c| c.as_os_str().to_string_lossy().into_owned());
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    matches!(
        first.as_deref(),
        Some("content" | "locales" | "themes" | "templates" | "static" | "site.yaml")
    ) && !name.starts_with('.')
        && !name.ends_with('~')
        && !name.ends_with(".candor-tmp")
}

/// Watches the sources; rebuilds after a short quiet period and tells browsers to reload.
fn watch(
    opts: ServeOptions,
    state: Arc<AppState>,
    mut session: Session,
    mut files: Option<Files>,
) -> anyhow::Result<()> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let root = opts.root.canonicalize()?;
    let mut watcher = notify::recommended_watcher(move |event: notify::Result<notify::Event>| {
        use notify::EventKind;
        use notify::event::ModifyKind;
        // Reading the sources (every build does) must not trigger a build.
        if let Ok(event) = event
            && matches!(
                event.kind,
                EventKind::Create(_)
                    | EventKind::Remove(_)
                    | EventKind::Modify(
                        ModifyKind::Data(_) | ModifyKind::Name(_) | ModifyKind::Any
                    )
            )
        {
            let _ = tx.send(event.paths);
        }
    })?;
    watcher.watch(&root, RecursiveMode::Recursive)?;
    std::thread::spawn(move || {
        let _watcher = watcher; // keep it alive
        while let Ok(paths) = rx.recv() {
            let mut changed: Vec<PathBuf> = paths;
            // Editors save in bursts: wait until it is quiet for a moment.
            while let Ok(more) = rx.recv_timeout(Duration::from_millis(40)) {
                changed.extend(more);
            }
            changed.retain(|p| is_source(&root, p));
            if changed.is_empty() {
                continue;
            }
            let started = Instant::now();
            let (current, rebuild) = build_in_memory(&mut session, Some(changed), &mut files);
            // Files the build does not read (editors' temporary files): no reload, unless the
            // browsers show errors that are gone now.
            let nothing = rebuild.as_ref().is_some_and(|r| {
                r.changed.is_empty()
                    && r.removed.is_empty()
                    && matches!(r.kind, Kind::Incremental { pages: 0, .. })
            });
            let showing_site = state
                .current
                .read()
                .is_ok_and(|c| matches!(**c, Current::Site(_)));
            if nothing && showing_site {
                continue;
            }
            report(&current, rebuild.as_ref(), started.elapsed());
            if let (Some(portal), Current::Site(_)) = (&state.portal, &current)
                && let Some(catalogue) = session.published()
            {
                portal.set_catalogue(crate::portal::Catalogue::new(catalogue));
            }
            if let Ok(mut slot) = state.current.write() {
                *slot = Arc::new(current);
            }
            let _ = state.reload.send(Signal::Reload);
        }
    });
    Ok(())
}

async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
}

async fn overlay_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        OVERLAY_CSS,
    )
}

async fn events(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let stream = BroadcastStream::new(state.reload.subscribe())
        .filter_map(|r| r.ok())
        .take_while(|s| *s != Signal::Close)
        .map(|_| Ok::<Event, Infallible>(Event::default().event("reload").data("reload")));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

fn content_type(path: &str) -> &'static str {
    match path.rsplit_once('.').map(|(_, e)| e) {
        Some("html") => "text/html; charset=utf-8",
        Some("css") => "text/css; charset=utf-8",
        Some("js") => "text/javascript; charset=utf-8",
        Some("json") => "application/json",
        Some("xml") => "application/xml",
        Some("svg") => "image/svg+xml",
        Some("txt") | Some("asc") => "text/plain; charset=utf-8",
        Some(other) => crate::site::documents::media_type(&format!("x.{other}")),
        None => "application/octet-stream",
    }
}

/// Maps a request path to an output file name; `None` for anything that could escape.
fn file_name(uri: &Uri) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(uri.path())
        .decode_utf8()
        .ok()?;
    if decoded.contains('\0') || decoded.contains('\\') {
        return None;
    }
    let mut parts = Vec::new();
    for part in decoded.split('/') {
        match part {
            "" | "." => {}
            ".." => return None,
            p => parts.push(p),
        }
    }
    // In-memory files for the server itself (the portal's page frames) are not part of the site.
    if parts.first() == Some(&"_candor") {
        return None;
    }
    let mut name = parts.join("/");
    if decoded.ends_with('/') || name.is_empty() {
        if !name.is_empty() {
            name.push('/');
        }
        name.push_str("index.html");
    }
    Some(name)
}

async fn static_file(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
    let current = state.current.read().map(|c| Arc::clone(&c)).ok();
    let mut response = match current.as_deref() {
        Some(Current::Site(files)) => {
            let name = file_name(&uri);
            let found = name
                .as_ref()
                .and_then(|n| files.get(n).map(|b| (n.clone(), b)));
            match found {
                Some((name, bytes)) => respond(&state, StatusCode::OK, &name, bytes),
                None => {
                    // A folder without its slash: redirect, like every static server.
                    if let Some(n) = &name
                        && files.contains_key(&format!("{n}/index.html"))
                    {
                        let mut r = StatusCode::MOVED_PERMANENTLY.into_response();
                        if let Ok(v) = HeaderValue::from_str(&format!("{}/", uri.path())) {
                            r.headers_mut().insert(header::LOCATION, v);
                        }
                        r
                    } else {
                        let lang = uri.path().split('/').nth(1).unwrap_or("");
                        let page = files
                            .get(&format!("{lang}/404.html"))
                            .or_else(|| files.get(&format!("{}/404.html", state.default_language)))
                            .or_else(|| files.get("404.html"));
                        match page {
                            Some(bytes) => {
                                respond(&state, StatusCode::NOT_FOUND, "404.html", bytes)
                            }
                            None => StatusCode::NOT_FOUND.into_response(),
                        }
                    }
                }
            }
        }
        Some(Current::Failed(ds)) => overlay(&state, ds),
        None => StatusCode::SERVICE_UNAVAILABLE.into_response(),
    };
    if state.watch {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    response
}

fn respond(state: &AppState, status: StatusCode, name: &str, bytes: &Arc<[u8]>) -> Response {
    let ty = content_type(name);
    let body = if state.watch && ty.starts_with("text/html") {
        let mut html = bytes.to_vec();
        html.extend_from_slice(LIVE_TAG.as_bytes());
        Body::from(html)
    } else {
        Body::from(bytes.to_vec())
    };
    (status, [(header::CONTENT_TYPE, ty)], body).into_response()
}

/// The page shown instead of the site while the build fails.
fn overlay(state: &AppState, diagnostics: &[Diagnostic]) -> Response {
    let mut items = String::new();
    for d in diagnostics.iter().filter(|d| d.is_error()) {
        let place = match (&d.path, d.line) {
            (Some(p), Some(l)) => format!("{}:{l}", p.display()),
            (Some(p), None) => p.display().to_string(),
            _ => String::new(),
        };
        items.push_str(&format!(
            "<li><code>{}</code><p>{}</p>{}</li>",
            xml_escape(&place),
            xml_escape(&d.message),
            d.hint
                .as_deref()
                .map(|h| format!("<p class=hint>{}</p>", xml_escape(h)))
                .unwrap_or_default()
        ));
    }
    let html = format!(
        "<!doctype html><html lang=en><meta charset=utf-8><title>Build failed – Candor preview</title><link rel=stylesheet href=/_candor/overlay.css>\
         <main id=candor-error><h1>The site could not be built</h1>\
         <p>Fix the problems below and save; this page reloads by itself.</p><ol>{items}</ol></main>{}",
        if state.watch { LIVE_TAG } else { "" }
    );
    (
        StatusCode::INTERNAL_SERVER_ERROR,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn request_paths_never_escape_the_site() {
        let name = |p: &str| file_name(&p.parse::<Uri>().unwrap());
        assert_eq!(name("/").as_deref(), Some("index.html"));
        assert_eq!(
            name("/en/privacy/").as_deref(),
            Some("en/privacy/index.html")
        );
        assert_eq!(name("/css/style.css").as_deref(), Some("css/style.css"));
        assert_eq!(
            name("/de/%C3%BCber/").as_deref(),
            Some("de/über/index.html")
        );
        for evil in [
            "/../etc/passwd",
            "/en/%2e%2e/%2e%2e/x",
            "/a%5c..%5cb",
            "/x%00y",
        ] {
            assert_eq!(name(evil), None, "{evil}");
        }
    }
}
