//! The portal's public request flow (request, confirm, grant, download) and its admin API.
//!
//! Rules every handler follows: GET never changes state (mail scanners fetch every link); every
//! POST carries a CSRF token bound to a SameSite cookie; tokens are verified (MAC first) before
//! anything is looked up; every refusal of a token or link answers the same generic 403 page;
//! visitor input is validated, length-capped and escaped; rate limits live in the store.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::app::{Catalogue, Portal};
use super::audit::EventKind;
use super::keys::Purpose;
use super::pages::{self, FieldError, FormValues};
use super::store::{self, NewRequest, Status};
use super::token::{self, DownloadClaims, LinkClaims};

use super::guards::*;

pub(super) async fn request_form(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, doc_id)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    if !cat.has_language(&lang) {
        return not_found_in(&cat, &lang);
    }
    let Some(doc) = cat.documents.get(&doc_id) else {
        return not_found_in(&cat, &lang);
    };
    let (csrf, cookie) = csrf_for(&portal, &client);
    let action = format!("{}/{lang}/request/{doc_id}", portal.settings.mount);
    let body = pages::request_form(
        &cat,
        &lang,
        doc,
        &FormValues::default(),
        &[],
        &csrf,
        &action,
    );
    let title = cat.t(
        &lang,
        "portal-request-title",
        &[("document", doc.title(&lang))],
    );
    with_cookie(html(StatusCode::OK, cat.page(&lang, &title, &body)), cookie)
}

/// Checks the form; the request or the problems, each naming its field.
fn validate(
    cat: &Catalogue,
    lang: &str,
    nda_required: bool,
    form: &HashMap<String, String>,
) -> (FormValues, Vec<FieldError>) {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let values = FormValues {
        name: get("name"),
        email: get("email"),
        company: get("company"),
        reason: get("reason"),
        nda: form.get("nda").is_some_and(|v| v == "accept"),
    };
    let mut errors = Vec::new();
    let checks: [(&'static str, &str, usize, &str, &str); 4] = [
        (
            "name",
            &values.name,
            200,
            "portal-error-name",
            "portal-form-name",
        ),
        (
            "email",
            &values.email,
            254,
            "portal-error-email",
            "portal-form-email",
        ),
        (
            "company",
            &values.company,
            200,
            "portal-error-company",
            "portal-form-company",
        ),
        (
            "reason",
            &values.reason,
            2000,
            "portal-error-reason",
            "portal-form-reason",
        ),
    ];
    for (field, value, max, missing, label) in checks {
        let label = cat.t(lang, label, &[]);
        let message = if value.is_empty() {
            Some(cat.t(lang, missing, &[]))
        } else if value.chars().count() > max {
            Some(cat.t(
                lang,
                "portal-error-too-long",
                &[("field", &label), ("max", &max.to_string())],
            ))
        } else if value
            .chars()
            .any(|c| forbidden_char(c) || (field != "reason" && c.is_control()))
        {
            Some(cat.t(lang, "portal-error-characters", &[("field", &label)]))
        } else if field == "email" && !valid_email(value) {
            Some(cat.t(lang, missing, &[]))
        } else {
            None
        };
        if let Some(message) = message {
            errors.push(FieldError { field, message });
        }
    }
    if nda_required && !values.nda {
        errors.push(FieldError {
            field: "nda",
            message: cat.t(lang, "portal-error-nda", &[]),
        });
    }
    (values, errors)
}

pub(super) async fn request_submit(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, doc_id)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let cat = portal.catalogue();
    if !cat.has_language(&lang) {
        return not_found_in(&cat, &lang);
    }
    let Some(doc) = cat.documents.get(&doc_id) else {
        return not_found_in(&cat, &lang);
    };
    if !csrf_ok(&portal, &client, &form) {
        return form_expired(&cat, &lang);
    }
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Request).await {
        return r;
    }
    let nda = (doc.doc.access == crate::site::documents::Access::Nda)
        .then(|| {
            cat.nda
                .get(&lang)
                .or_else(|| cat.nda.get(&cat.default_lang))
        })
        .flatten();
    let (values, errors) = validate(&cat, &lang, nda.is_some(), &form);
    if !errors.is_empty() {
        let (csrf, cookie) = csrf_for(&portal, &client);
        let action = format!("{}/{lang}/request/{doc_id}", portal.settings.mount);
        let body = pages::request_form(&cat, &lang, doc, &values, &errors, &csrf, &action);
        let title = cat.t(
            &lang,
            "portal-error-title",
            &[(
                "title",
                &cat.t(
                    &lang,
                    "portal-request-title",
                    &[("document", doc.title(&lang))],
                ),
            )],
        );
        return with_cookie(
            html(
                StatusCode::UNPROCESSABLE_ENTITY,
                cat.page(&lang, &title, &body),
            ),
            cookie,
        );
    }
    let new = NewRequest {
        lang: lang.clone(),
        document_id: doc_id.clone(),
        name: values.name,
        email: values.email,
        company: values.company,
        reason: values.reason,
        nda_version: nda.map(|n| n.version.clone()),
        nda_sha256: nda.map(|n| n.sha256.clone()),
    };
    let request = match portal
        .store
        .create_request(&new, &client.event(EventKind::Request))
        .await
    {
        Ok(r) => r,
        Err(e) => return failed(&cat, &lang, &e),
    };
    let hours = portal.settings.confirm_hours;
    let link = LinkClaims {
        id: request.id.clone(),
        exp: Utc::now().timestamp() + i64::from(hours) * 3600,
        n: token::nonce(),
    };
    let url = format!(
        "{}/{lang}/confirm/{}",
        portal.settings.public_url,
        token::sign(&portal.keys, Purpose::Confirm, &link)
    );
    let site = portal
        .settings
        .site_titles
        .get(&lang)
        .cloned()
        .unwrap_or_default();
    let title = doc.title(&lang);
    let hours_s = hours.to_string();
    let args = [
        ("name", request.name.as_str()),
        ("document", title),
        ("site", site.as_str()),
        ("hours", hours_s.as_str()),
        ("link", url.as_str()),
    ];
    if let Err(e) = portal
        .mailer
        .send(
            &request.email,
            &cat.t(&lang, "mail-confirm-subject", &args),
            &cat.t(&lang, "mail-confirm-body", &args),
        )
        .await
    {
        return failed(&cat, &lang, &e);
    }
    let heading = cat.t(&lang, "portal-sent-title", &[]);
    let text = cat.t(
        &lang,
        "portal-sent-body",
        &[("email", &request.email), ("hours", &hours_s)],
    );
    let back = doc
        .urls
        .get(&lang)
        .map(|u| (u.as_str(), cat.t(&lang, "portal-back", &[])));
    let body = pages::message(
        &heading,
        &text,
        back.as_ref().map(|(u, l)| (*u, l.as_str())),
    );
    html(StatusCode::OK, cat.page(&lang, &heading, &body))
}

// ---- e-mail confirmation ------------------------------------------------------------------

pub(super) async fn confirm_page(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Link).await {
        return r;
    }
    let Ok(claims) =
        token::verify::<LinkClaims>(&portal.keys, Purpose::Confirm, &tok, Utc::now().timestamp())
    else {
        return denied(&cat, &lang);
    };
    let lang = lang_or_default(&cat, &lang);
    let request = match portal.store.request(&claims.id).await {
        Ok(Some(r)) => r,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let title = cat.title_of(&request.document_id, &lang);
    if request.status != Status::Unverified {
        return message_page(&cat, &lang, StatusCode::OK, "portal-already", &[]);
    }
    let (csrf, cookie) = csrf_for(&portal, &client);
    let action = format!("{}/{lang}/confirm/{tok}", portal.settings.mount);
    let body = pages::confirm(&cat, &lang, &request, &title, &csrf, &action);
    let heading = cat.t(&lang, "portal-confirm-title", &[]);
    with_cookie(
        html(StatusCode::OK, cat.page(&lang, &heading, &body)),
        cookie,
    )
}

pub(super) async fn confirm_submit(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if let Err(r) = link_post(&portal, &cat, &lang, &client, &form).await {
        return r;
    }
    let Ok(claims) =
        token::verify::<LinkClaims>(&portal.keys, Purpose::Confirm, &tok, Utc::now().timestamp())
    else {
        return denied(&cat, &lang);
    };
    let request = match portal
        .store
        .confirm_email(&claims.id, &client.event(EventKind::EmailVerified))
        .await
    {
        Ok(Some(r)) => r,
        Ok(None) => {
            return message_page(&cat, &lang, StatusCode::OK, "portal-already", &[]);
        }
        Err(e) => return failed(&cat, &lang, &e),
    };
    if let Some(domain) = portal.settings.auto_approves(&request.email) {
        let by = format!("auto:{domain}");
        let grant = match portal
            .store
            .approve(
                &request.id,
                portal.settings.grant_days,
                portal.settings.download_limit,
                &by,
                &client.event(EventKind::Approved),
            )
            .await
        {
            Ok(g) => g,
            Err(e) => return failed(&cat, &lang, &e),
        };
        if let Err(e) = portal.notify_approved(&grant).await {
            return failed(&cat, &lang, &e);
        }
        return message_page(
            &cat,
            &lang,
            StatusCode::OK,
            "portal-approved",
            &[("email", &request.email)],
        );
    }
    message_page(
        &cat,
        &lang,
        StatusCode::OK,
        "portal-pending",
        &[("email", &request.email)],
    )
}

// ---- grant link and downloads -------------------------------------------------------------

/// The grant behind a grant-link token, when it may still download.
async fn usable_grant(
    portal: &Portal,
    tok: &str,
    client: &Client,
) -> Result<Option<store::Grant>, store::StoreError> {
    let now = Utc::now().timestamp();
    let Ok(claims) = token::verify::<LinkClaims>(&portal.keys, Purpose::Grant, tok, now) else {
        audit_failure(portal, client, None, "invalid grant link").await;
        return Ok(None);
    };
    let grant = portal.store.grant(&claims.id).await?;
    match grant {
        Some(g) if g.usable(now) => Ok(Some(g)),
        other => {
            audit_failure(
                portal,
                client,
                other.as_ref().map(|g| g.id.clone()),
                "grant revoked, expired or used up",
            )
            .await;
            Ok(None)
        }
    }
}

pub(super) async fn grant_page(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Link).await {
        return r;
    }
    let grant = match usable_grant(&portal, &tok, &client).await {
        Ok(Some(g)) => g,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let Some(doc) = cat.documents.get(&grant.document_id) else {
        return denied(&cat, &lang);
    };
    let mut ev = client.event(EventKind::LinkOpened);
    ev.grant_id = Some(grant.id.clone());
    ev.request_id = Some(grant.request_id.clone());
    ev.document_id = Some(grant.document_id.clone());
    ev.email = Some(grant.email.clone());
    if let Err(e) = portal.store.audit(&ev).await {
        return failed(&cat, &lang, &e);
    }
    let (csrf, cookie) = csrf_for(&portal, &client);
    let action = format!("{}/{lang}/grant/{tok}", portal.settings.mount);
    let body = pages::landing(&cat, &lang, &grant, doc, &csrf, &action);
    let heading = cat.t(&lang, "portal-grant-title", &[]);
    with_cookie(
        html(StatusCode::OK, cat.page(&lang, &heading, &body)),
        cookie,
    )
}

pub(super) async fn grant_download(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if let Err(r) = link_post(&portal, &cat, &lang, &client, &form).await {
        return r;
    }
    let grant = match usable_grant(&portal, &tok, &client).await {
        Ok(Some(g)) => g,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let Some((version, file_lang)) = form.get("file").and_then(|f| f.split_once('/')) else {
        return denied(&cat, &lang);
    };
    let file = cat.documents.get(&grant.document_id).and_then(|d| {
        d.doc
            .versions
            .iter()
            .find(|v| v.version == version)
            .and_then(|v| v.files.get(file_lang))
    });
    let Some(file) = file else {
        return denied(&cat, &lang);
    };
    let claims = DownloadClaims {
        g: grant.id.clone(),
        d: grant.document_id.clone(),
        v: version.to_owned(),
        l: file_lang.to_owned(),
        h: file.sha256.clone(),
        exp: Utc::now().timestamp() + i64::from(portal.settings.token_minutes) * 60,
        n: token::nonce(),
    };
    let t = token::sign(&portal.keys, Purpose::Download, &claims);
    Redirect::to(&format!("{}/download/{t}", portal.settings.mount)).into_response()
}

pub(super) async fn download(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path(tok): Path<String>,
) -> Response {
    let cat = portal.catalogue();
    let lang = cat.default_lang.clone();
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Download).await {
        return r;
    }
    let now = Utc::now().timestamp();
    // 1. MAC (constant time) and expiry; nothing else is read before this.
    let Ok(claims) = token::verify::<DownloadClaims>(&portal.keys, Purpose::Download, &tok, now)
    else {
        audit_failure(&portal, &client, None, "invalid download token").await;
        return denied(&cat, &lang);
    };
    // 2. The file the token names must still be the file it was minted for.
    let found = cat.documents.get(&claims.d).and_then(|d| {
        let v = d.doc.versions.iter().find(|v| v.version == claims.v)?;
        Some((d, v.files.get(&claims.l)?))
    });
    let Some((doc, file)) = found.filter(|(_, f)| f.sha256 == claims.h) else {
        audit_failure(
            &portal,
            &client,
            Some(claims.g.clone()),
            "file changed or gone",
        )
        .await;
        return denied(&cat, &lang);
    };
    let lang = lang_or_default(&cat, &claims.l);
    let bytes = match tokio::fs::read(cat.root.join(&file.source)).await {
        Ok(b) => b,
        Err(e) => {
            return failed(
                &cat,
                &lang,
                &format!("cannot read {}: {e}", file.source.display()),
            );
        }
    };
    // 3. In one transaction with the audit row: the grant exists, is not revoked, not expired and
    //    under its download limit.
    let mut ev = client.event(EventKind::Download);
    ev.version = Some(format!("{}/{}", claims.v, claims.l));
    ev.detail = Some(format!("sha256 {}", claims.h));
    let grant = match portal
        .store
        .record_download(&claims.g, &claims.d, now, &ev)
        .await
    {
        Ok(Some(g)) => g,
        Ok(None) => {
            audit_failure(
                &portal,
                &client,
                Some(claims.g.clone()),
                "download refused: grant revoked, expired or used up",
            )
            .await;
            return denied(&cat, &lang);
        }
        Err(e) => return failed(&cat, &lang, &e),
    };
    let is_pdf = file.media_type == "application/pdf";
    let body = if is_pdf {
        let label = format!("{} {} ({})", doc.doc.id, claims.v, claims.l);
        let stamped = tokio::task::spawn_blocking(move || {
            let stamp = crate::pdf::watermark::Stamp {
                name: &grant.name,
                email: &grant.email,
                company: &grant.company,
                time: Utc::now(),
                document: &label,
            };
            crate::pdf::watermark::watermark_pdf(&bytes, &stamp)
        })
        .await;
        match stamped {
            Ok(Ok(b)) => b,
            Ok(Err(e)) => return failed(&cat, &lang, &e),
            Err(e) => return failed(&cat, &lang, &e),
        }
    } else {
        bytes
    };
    let ext = file
        .name
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .filter(|e| e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "bin".to_owned());
    // Ids and versions are URL-safe by construction; keep the name to that alphabet anyway.
    let name: String = format!("{}-{}-{}.{ext}", claims.d, claims.v, claims.l)
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect();
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, file.media_type.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        body,
    )
        .into_response()
}

// ---- admin API ----------------------------------------------------------------------------

/// Checks the bearer token against the configured argon2id hash. `Err` is the response to send.
async fn admin(portal: &Portal, client: &Client, headers: &HeaderMap) -> Result<(), Response> {
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
async fn admin_on(
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

fn api_error(status: StatusCode, e: &store::StoreError) -> Response {
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
    axum::extract::Query(q): axum::extract::Query<HashMap<String, String>>,
) -> Response {
    if let Err(r) = admin(&portal, &client, &headers).await {
        return r;
    }
    let status = q
        .get("status")
        .and_then(|s| <Status as clap::ValueEnum>::from_str(s, true).ok());
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
    body: Option<axum::Json<ApproveBody>>,
) -> Response {
    if let Err(r) = admin_on(&portal, &client, &headers, &id, "request").await {
        return r;
    }
    let days = body
        .and_then(|b| b.0.days)
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
        Ok(grant) => match portal.notify_approved(&grant).await {
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
        .reject(&id, "api", &client.event(EventKind::Rejected))
        .await
    {
        Ok(r) => {
            if let Err(e) = portal.notify_rejected(&r).await {
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
