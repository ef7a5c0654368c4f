//! The portal's routes, one line per route, grouped as the handlers are: the public request
//! flow ([`super::request`]), grants and downloads ([`super::downloads`]), concluding agreements
//! ([`super::conclude`]) and the admin API ([`super::api`]).

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use super::api::{api_approve, api_reject, api_requests, api_revoke};
use super::app::Portal;
use super::conclude;
use super::downloads::{download, grant_download, grant_page};
use super::guards::not_found_in;
use super::request::{confirm_page, confirm_submit, request_form, request_submit};

/// The portal's routes, mounted at its path (`/portal`).
pub fn router(portal: Arc<Portal>) -> Router {
    let mount = portal.settings.mount.clone();
    let routes = Router::new()
        .route(
            "/{lang}/request/{doc}",
            get(request_form).post(request_submit),
        )
        .route(
            "/{lang}/confirm/{token}",
            get(confirm_page).post(confirm_submit),
        )
        .route(
            "/{lang}/grant/{token}",
            get(grant_page).post(grant_download),
        )
        .route("/download/{token}", get(download))
        .route(
            "/{lang}/sign/{doc}",
            get(conclude::start_form).post(conclude::start_submit),
        )
        .route(
            "/{lang}/sign/link/{token}",
            get(conclude::link_page).post(conclude::link_confirm),
        )
        .route("/{lang}/sign/link/{token}/execute", post(conclude::execute))
        .route(
            "/{lang}/agreements/{token}",
            get(conclude::agreements_page).post(conclude::agreements_download),
        )
        .route(
            "/agreements/download/{token}",
            get(conclude::agreement_file),
        )
        .route("/api/requests", get(api_requests))
        .route("/api/requests/{id}/approve", post(api_approve))
        .route("/api/requests/{id}/reject", post(api_reject))
        .route("/api/grants/{id}/revoke", post(api_revoke))
        .route_layer(axum::middleware::from_fn(super::policy::log_request))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(16 * 1024))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            super::policy::request_timeout(),
        ))
        .with_state(portal);
    Router::new().nest(&mount, routes)
}

/// The 404 page of an unknown address under the portal: in the language its path starts with
/// (`/portal/de/…`), else in the default language.
async fn not_found(State(portal): State<Arc<Portal>>, uri: axum::http::Uri) -> Response {
    let cat = portal.catalogue();
    let path = uri.path();
    let rest = path.strip_prefix(&portal.settings.mount).unwrap_or(path);
    let lang = rest.trim_start_matches('/').split('/').next().unwrap_or("");
    not_found_in(&cat, lang)
}
