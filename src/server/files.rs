//! Static serving from memory: a request path mapped to an output file by name (never a path
//! on disk, so nothing can escape the site), its media type, the folder redirect and the
//! language's 404 page; directory listings of the CSAF provider's folders (CSAF 2.0, section
//! 7.1.14); in preview, pages carry the live-reload script and a failed build shows the error
//! overlay instead of the site.

use std::collections::{BTreeSet, HashMap};
use std::fmt::Write as _;
use std::sync::Arc;

use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use super::preview::{LIVE_TAG, overlay};
use super::state::{AppState, Current};
use crate::site::render::templates::escape_html;

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
            let listing = || {
                let dir = name.as_deref()?.strip_suffix("index.html")?;
                directory_listing(files, dir)
            };
            match found {
                Some((name, bytes)) => respond(&state, StatusCode::OK, &name, bytes),
                None if listing().is_some() => {
                    let html: Arc<[u8]> = listing().unwrap_or_default().into_bytes().into();
                    respond(&state, StatusCode::OK, "index.html", &html)
                }
                None => {
                    // A folder without its slash: redirect, like every static server.
                    if let Some(n) = &name
                        && (files.contains_key(&format!("{n}/index.html"))
                            || directory_listing(files, &format!("{n}/")).is_some())
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

/// The folders that get a directory listing: the CSAF provider's (requirement 14 of CSAF 2.0,
/// section 7.1: the TLP:WHITE folder and its year folders can be browsed).
const LISTED: &str = ".well-known/csaf/";

/// An HTML directory listing of `dir` (an output folder ending in `/`) when it is under
/// [`LISTED`] and holds files: its subfolders and files, sorted, each a relative link.
fn directory_listing(files: &HashMap<String, Arc<[u8]>>, dir: &str) -> Option<String> {
    if !dir.starts_with(LISTED) || !dir.ends_with('/') {
        return None;
    }
    let mut entries: BTreeSet<&str> = BTreeSet::new();
    for key in files.keys() {
        let Some(rest) = key.strip_prefix(dir) else {
            continue;
        };
        match rest.split_once('/') {
            Some((folder, _)) => entries.insert(&rest[..=folder.len()]),
            None => entries.insert(rest),
        };
    }
    if entries.is_empty() {
        return None;
    }
    let title = escape_html(&format!("Index of /{dir}"));
    let mut html = format!(
        "<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title}</title></head><body><main><h1>{title}</h1><ul>"
    );
    if dir != LISTED {
        html.push_str("<li><a href=\"../\">../</a></li>");
    }
    for entry in entries {
        let href: String =
            percent_encoding::utf8_percent_encode(entry, percent_encoding::NON_ALPHANUMERIC)
                .to_string()
                .replace("%2F", "/")
                .replace("%2E", ".")
                .replace("%2D", "-")
                .replace("%5F", "_");
        let _ = write!(
            html,
            "<li><a href=\"{}\">{}</a></li>",
            escape_html(&href),
            escape_html(entry)
        );
    }
    html.push_str("</ul></main></body></html>\n");
    Some(html)
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
    fn only_the_csaf_folders_are_listed() {
        let files: HashMap<String, Arc<[u8]>> = [
            ".well-known/csaf/provider-metadata.json",
            ".well-known/csaf/white/index.txt",
            ".well-known/csaf/white/2026/a+b<c>.json",
            ".well-known/csaf/white/2026/a+b<c>.json.sha256",
            ".well-known/security.txt",
            "en/index.html",
        ]
        .into_iter()
        .map(|k| (k.to_owned(), Arc::from(&b""[..])))
        .collect();
        let white = directory_listing(&files, ".well-known/csaf/white/").unwrap();
        assert!(white.contains("<a href=\"2026/\">2026/</a>"));
        assert!(white.contains("<a href=\"index.txt\">index.txt</a>"));
        assert!(white.contains("<a href=\"../\">"));
        let year = directory_listing(&files, ".well-known/csaf/white/2026/").unwrap();
        // Names are escaped as text and percent-encoded as links.
        assert!(
            year.contains("<a href=\"a%2Bb%3Cc%3E.json\">a+b&lt;c&gt;.json</a>"),
            "{year}"
        );
        assert_eq!(year.matches("<li>").count(), 3);
        assert!(directory_listing(&files, ".well-known/").is_none());
        assert!(directory_listing(&files, "en/").is_none());
        assert!(directory_listing(&files, ".well-known/csaf/red/").is_none());
    }

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
