//! What every portal route gets, whichever group it belongs to: a request log line that names
//! the matched route and never the URI, and a per-request timeout.

use std::time::{Duration, Instant};

use axum::extract::{MatchedPath, Request};
use axum::middleware::Next;
use axum::response::Response;

/// Environment variable: seconds a portal request may take until its response starts
/// (default 30); slower ones (a client trickling its body) get 408.
pub const REQUEST_TIMEOUT_ENV: &str = "CANDOR_REQUEST_TIMEOUT";

/// The per-request timeout (see [`REQUEST_TIMEOUT_ENV`]; values outside 0–3600 s are ignored).
pub fn request_timeout() -> Duration {
    let seconds = std::env::var(REQUEST_TIMEOUT_ENV).ok();
    match seconds.and_then(|s| s.parse::<f64>().ok()) {
        Some(s) if s > 0.0 && s < 3600.0 => Duration::from_secs_f64(s),
        _ => Duration::from_secs(30),
    }
}

/// Logs one line per request with the *matched route* (`/portal/download/{token}`), never the
/// URI, so tokens in paths or queries never reach the log. Add with `route_layer`.
pub async fn log_request(req: Request, next: Next) -> Response {
    let method = req.method().clone();
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "-".to_owned(), |m| m.as_str().to_owned());
    let started = Instant::now();
    let response = next.run(req).await;
    println!(
        "{method} {route} {} {:.1} ms",
        response.status().as_u16(),
        started.elapsed().as_secs_f64() * 1000.0
    );
    response
}
