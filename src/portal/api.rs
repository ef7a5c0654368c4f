//! The admin API (bearer token, constant-time comparison, rate-limited): list requests,
//! approve, reject, revoke a grant. Every decision is an audit event.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::app::Portal;
use super::audit::EventKind;
use super::store::{self, Status};

use super::guards::{Client, Limit, header_str, rate_limit};

/// Checks the bearer token against the configured argon2id hash. `Err` is the response to send.
pub(super) async fn admin(
    portal: &Portal,
    client: &Client,
    headers: &HeaderMap,
) -> Result<(), Response> {
    let cat = portal.catalogue();
    rate_limit(portal, &cat, &cat.default_lang, client, Limit::Admin).await?;
    let unauthorized = || {
        (
            StatusCode::UNAUTHORIZED,
            [(header::WWW_AUTHENTICATE, "Bearer")],
            axum::Json(serde_json::json!({"error": "unauthorized"})),
        )
            .into_response()
    };
    let Some(hash) = portal.settings.admin_token_hash.clone() else {
        return Err(unauthorized());
    };
    let Some(given) = header_str(headers, "authorization")
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned)
    else {
        return Err(unauthorized());
    };
    // argon2 is deliberately slow: keep it off the async workers.
    let ok = tokio::task::spawn_blocking(move || {
        use argon2::{Argon2, PasswordHash, PasswordVerifier as _};
        PasswordHash::new(&hash)
            .map(|h| {
                Argon2::default()
                    .verify_password(given.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .unwrap_or(false);
    if ok { Ok(()) } else { Err(unauthorized()) }
}

/// [`admin`], then the id's shape (404 for anything that cannot be one of ours).
pub(super) async fn admin_on(
    portal: &Portal,
    client: &Client,
    headers: &HeaderMap,
    id: &str,
    what: &str,
) -> Result<(), Response> {
    admin(portal, client, headers).await?;
    if store::valid_id(id) {
        Ok(())
    } else {
        Err(api_error(
            StatusCode::NOT_FOUND,
            &store::StoreError::NotFound(what.to_owned()),
        ))
    }
}

pub(super) fn api_error(status: StatusCode, e: &store::StoreError) -> Response {
    let status = match e {
        store::StoreError::NotFound(_) => StatusCode::NOT_FOUND,
        store::StoreError::Conflict(_) => StatusCode::CONFLICT,
        _ => status,
    };
    (
        status,
        axum::Json(serde_json::json!({"error": e.to_string()})),
    )
        .into_response()
}

pub(super) async fn api_requests(
    State(portal): State<Arc<Portal>>,
    client: Client,
    headers: HeaderMap,
    axum::extract::RawQuery(query): axum::extract::RawQuery,
) -> Response {
    // Authenticated first: nothing the caller sent is parsed before.
    if let Err(r) = admin(&portal, &client, &headers).await {
        return r;
    }
    let status = query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == "status")
        .and_then(|(_, v)| <Status as clap::ValueEnum>::from_str(v, true).ok());
    match portal.store.requests(status).await {
        Ok(list) => axum::Json(list).into_response(),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

#[derive(serde::Deserialize, Default)]
pub(super) struct ApproveBody {
    days: Option<u32>,
}

pub(super) async fn api_approve(
    State(portal): State<Arc<Portal>>,
    client: Client,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    // Authenticated first: the body is parsed only for an admin.
    if let Err(r) = admin_on(&portal, &client, &headers, &id, "request").await {
        return r;
    }
    let body: ApproveBody = if body.iter().all(u8::is_ascii_whitespace) {
        ApproveBody::default()
    } else {
        match serde_json::from_slice(&body) {
            Ok(b) => b,
            Err(_) => {
                return (
                    StatusCode::BAD_REQUEST,
                    axum::Json(serde_json::json!({"error": "the body is not JSON of the form {\"days\": 30}"})),
                )
                    .into_response();
            }
        }
    };
    let days = body
        .days
        .unwrap_or(portal.settings.grant_days)
        .clamp(1, 3650);
    match portal
        .store
        .approve(
            &id,
            days,
            portal.settings.download_limit,
            "api",
            &client.event(EventKind::Approved),
        )
        .await
    {
        Ok(grant) => match portal.notify_approved(&grant, None).await {
            Ok(()) => axum::Json(grant).into_response(),
            Err(e) => (
                StatusCode::BAD_GATEWAY,
                axum::Json(serde_json::json!({"error": e.to_string(), "grant": grant})),
            )
                .into_response(),
        },
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

pub(super) async fn api_reject(
    State(portal): State<Arc<Portal>>,
    client: Client,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = admin_on(&portal, &client, &headers, &id, "request").await {
        return r;
    }
    match portal
        .store
        .reject(&id, "api", None, &client.event(EventKind::Rejected))
        .await
    {
        Ok(r) => {
            if let Err(e) = portal.notify_rejected(&r, None).await {
                eprintln!("portal: cannot send the rejection mail: {e}");
            }
            axum::Json(r).into_response()
        }
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}

pub(super) async fn api_revoke(
    State(portal): State<Arc<Portal>>,
    client: Client,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Response {
    if let Err(r) = admin_on(&portal, &client, &headers, &id, "grant").await {
        return r;
    }
    match portal
        .store
        .revoke(&id, "api", &client.event(EventKind::Revoked))
        .await
    {
        Ok(g) => axum::Json(g).into_response(),
        Err(e) => api_error(StatusCode::INTERNAL_SERVER_ERROR, &e),
    }
}
