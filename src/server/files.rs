//! Static serving from memory: a request path mapped to an output file by name (never a path
//! on disk, so nothing can escape the site), its media type, the folder redirect and the
//! language's 404 page; in preview, pages carry the live-reload script and a failed build shows
//! the error overlay instead of the site.

use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::preview::{LIVE_TAG, overlay};
use super::state::{AppState, Current};

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

pub(super) async fn static_file(State(state): State<Arc<AppState>>, uri: Uri) -> Response {
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
