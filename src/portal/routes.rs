//! The portal's routes, one line per route, grouped as the handlers are: the public request
//! flow ([`super::request`]), subscriptions ([`super::subscribe`]), objections ([`super::objection`]), grants and downloads ([`super::downloads`]), concluding agreements
//! ([`super::conclude`]) and the admin API ([`super::api`]).

use std::sync::Arc;

use axum::Router;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse as _, Response};
use axum::routing::{get, post};

use super::api::{api_approve, api_reject, api_requests, api_revoke};
use super::app::Portal;
use super::conclude;
use super::downloads::{download, grant_download, grant_page};
use super::guards::{html, lang_or_default, not_found_in};
use super::objection;
use super::request::{confirm_page, confirm_submit, request_form, request_submit};
use super::subscribe;

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
            "/{lang}/subscribe",
            get(subscribe::subscribe_form).post(subscribe::subscribe_submit),
        )
        .route(
            "/{lang}/subscribe/confirm/{token}",
            get(subscribe::confirm_page).post(subscribe::confirm_submit),
        )
        .route(
            "/{lang}/subscribe/preferences/{token}",
            get(subscribe::preferences_page).post(subscribe::preferences_submit),
        )
        .route(
            "/{lang}/unsubscribe/{token}",
            get(subscribe::unsubscribe_page).post(subscribe::unsubscribe),
        )
        .route(
            "/{lang}/objection/{change}",
            get(objection::objection_form).post(objection::objection_submit),
        )
        .route(
            "/{lang}/objection/confirm/{token}",
            get(objection::confirm_page).post(objection::confirm_submit),
        )
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
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&portal),
            own_error_pages,
        ))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(16 * 1024))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            super::policy::request_timeout(),
        ))
        .with_state(Arc::clone(&portal));
    let admin_mount = portal.settings.admin_mount.clone();
    let console = super::admin::routes()
        .route_layer(axum::middleware::from_fn(super::policy::log_request))
        .layer(axum::middleware::from_fn_with_state(
            Arc::clone(&portal),
            own_error_pages,
        ))
        .fallback(not_found)
        .layer(DefaultBodyLimit::max(super::admin::BODY_LIMIT))
        .layer(tower_http::timeout::TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            super::policy::request_timeout(),
        ))
        .with_state(portal);
    Router::new()
        .nest(&mount, routes)
        .nest(&admin_mount, console)
}

/// The first segment after the portal's mount (`/portal/de/…` → `de`): the page language of an
/// error page, when it is one of the site's (else the default language is used).
fn path_language<'p>(portal: &Portal, path: &'p str) -> &'p str {
    let rest = path.strip_prefix(&portal.settings.mount).unwrap_or(path);
    rest.trim_start_matches('/').split('/').next().unwrap_or("")
}

/// The 404 page of an unknown address under the portal: in the language its path starts with
/// (`/portal/de/…`), else in the default language.
async fn not_found(State(portal): State<Arc<Portal>>, uri: axum::http::Uri) -> Response {
    let cat = portal.catalogue();
    not_found_in(&cat, path_language(&portal, uri.path()))
}

/// Replaces the framework's own answers to requests it could not take apart (a path segment
/// that is not UTF-8, a form field of the wrong type, a wrong content type, a method the route
/// does not have: plain text naming the parser's internals) by the portal's generic page in
/// the visitor's language, or a JSON error under `/api/`. The status and `Allow` stay.
async fn own_error_pages(
    State(portal): State<Arc<Portal>>,
    request: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let status = response.status();
    let plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|t| t.starts_with("text/plain"));
    if !status.is_client_error() || !plain {
        return response;
    }
    let (parts, _) = response.into_parts();
    // Inside the nested router the path no longer starts with the mount.
    let api = path
        .strip_prefix(&portal.settings.mount)
        .unwrap_or(&path)
        .starts_with("/api/");
    let mut own = if api {
        (
            status,
            axum::Json(
                serde_json::json!({"error": status.canonical_reason().unwrap_or("bad request")}),
            ),
        )
            .into_response()
    } else {
        let cat = portal.catalogue();
        let lang = lang_or_default(&cat, path_language(&portal, &path));
        let title = cat.t(&lang, "portal-bad-request-title", &[]);
        let body =
            super::pages::message(&title, &cat.t(&lang, "portal-bad-request-body", &[]), None);
        html(status, cat.page(&lang, &title, &body))
    };
    if let Some(allow) = parts.headers.get(header::ALLOW) {
        own.headers_mut().insert(header::ALLOW, allow.clone());
    }
    own
}
