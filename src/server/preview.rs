//! The preview (`candor serve --watch`): builds the site in memory through an incremental
//! session, watches the sources, rebuilds after a short quiet period, tells open tabs to reload
//! over server-sent events, and shows an overlay naming file and line while a build fails.

use std::collections::HashMap;
use std::convert::Infallible;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{IntoResponse, Response};
use tokio_stream::StreamExt as _;
use tokio_stream::wrappers::BroadcastStream;

use super::state::{AppState, Current, Files, Signal};
use crate::error::{BuildError, Diagnostic};
use crate::site::incremental::{Kind, Output, Rebuild, Session};
use crate::site::render::xml_escape;

/// The script injected into pages in preview mode.
const LIVE_JS: &str = "new EventSource('/_candor/events').addEventListener('reload',function(){location.reload()});\n";
pub(super) const LIVE_TAG: &str = "<script src=/_candor/live.js></script>";
/// The style of the error overlay (a file, because the CSP forbids inline styles).
const OVERLAY_CSS: &str = "body{margin:0;font:16px/1.5 system-ui,sans-serif;background:#fff7f5;color:#1a1f2b}\
main{max-width:52rem;margin:2rem auto;padding:1.5rem 2rem;background:#fff;border:2px solid #b42318;border-radius:.5rem}\
h1{color:#b42318;font-size:1.6rem;margin-top:0}li{margin:1rem 0}code{font-weight:700;font-size:1rem}\
.hint{color:#4a5568}li p{margin:.25rem 0}";

/// Builds the site (`changed: None`) or rebuilds it after `changed` files changed, and brings
/// `files` up to date with the session's output (`None` when they could not be: the next
/// successful build fills them anew).
pub(super) fn build_in_memory(
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

pub(super) fn report(current: &Current, rebuild: Option<&Rebuild>, elapsed: Duration) {
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
pub(super) fn watch(
    root: &Path,
    state: Arc<AppState>,
    mut session: Session,
    mut files: Option<Files>,
) -> anyhow::Result<()> {
    use notify::{RecursiveMode, Watcher};
    let (tx, rx) = std::sync::mpsc::channel();
    let root = root.canonicalize()?;
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

pub(super) async fn live_js() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        LIVE_JS,
    )
}

pub(super) async fn overlay_css() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        OVERLAY_CSS,
    )
}

pub(super) async fn events(State(state): State<Arc<AppState>>) -> impl IntoResponse {
    let stream = BroadcastStream::new(state.reload.subscribe())
        .filter_map(|r| r.ok())
        .take_while(|s| *s != Signal::Close)
        .map(|_| Ok::<Event, Infallible>(Event::default().event("reload").data("reload")));
    Sse::new(stream).keep_alive(KeepAlive::default())
}

/// The page shown instead of the site while the build fails.
pub(super) fn overlay(state: &AppState, diagnostics: &[Diagnostic]) -> Response {
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
