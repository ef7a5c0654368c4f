//! Step 4, the customer's evidence: *Your agreements* (every agreement concluded with the
//! proven address, with its status) and the short-lived links that download each executed PDF.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::execute::{at, download_name};
use super::form::language_name;
use crate::portal::app::{Catalogue, Portal};
use crate::portal::audit::EventKind;
use crate::portal::guards::{
    FileToken, Link, LinkPost, audit_view, csrf_for, denied, failed, html, with_cookie,
};
use crate::portal::keys::Purpose;
use crate::portal::store::Agreement;
use crate::portal::token::{self, LinkClaims};
use crate::site::render::xml_escape as esc;

/// The address behind a "Your agreements" link.
pub(super) async fn owner(
    portal: &Portal,
    tok: &str,
) -> Result<Option<String>, crate::portal::store::StoreError> {
    let Ok(claims) = token::verify::<LinkClaims>(
        &portal.keys,
        Purpose::Agreements,
        tok,
        Utc::now().timestamp(),
    ) else {
        return Ok(None);
    };
    Ok(portal
        .store
        .signing_request(&claims.id)
        .await?
        .filter(|r| r.verified_at.is_some())
        .map(|r| r.email))
}

pub(in crate::portal) async fn agreements_page(
    State(portal): State<Arc<Portal>>,
    Link {
        cat,
        lang,
        tok,
        client,
    }: Link,
) -> Response {
    let email = match owner(&portal, &tok).await {
        Ok(Some(e)) => e,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let list = match portal.store.agreements(Some(&email)).await {
        Ok(l) => l,
        Err(e) => return failed(&cat, &lang, &e),
    };
    let (csrf, cookie) = csrf_for(&portal, &client);
    let heading = cat.t(&lang, "agreement-list-title", &[]);
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&heading),
        esc(&cat.t(&lang, "agreement-list-intro", &[("email", &email)]))
    );
    if list.is_empty() {
        body.push_str(&format!(
            "<p>{}</p>",
            esc(&cat.t(&lang, "agreement-list-empty", &[]))
        ));
    } else {
        body.push_str(&format!(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"agreements-caption\"><table><caption id=\"agreements-caption\">{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
            esc(&heading),
            esc(&cat.t(&lang, "agreement-list-document", &[])),
            esc(&cat.t(&lang, "agreement-list-party", &[])),
            esc(&cat.t(&lang, "agreement-list-signed", &[])),
            esc(&cat.t(&lang, "agreement-list-status", &[])),
            esc(&cat.t(&lang, "agreement-list-file", &[])),
        ));
        let action = format!("{}/{lang}/agreements/{tok}", portal.settings.mount);
        for a in &list {
            let title = cat
                .signable
                .get(&a.document_id)
                .map_or_else(|| a.document_id.clone(), |d| d.title(&lang).to_owned());
            let status = status_of(&cat, &lang, a);
            body.push_str(&format!(
                "<tr><td>{} {} ({})</td><td>{}<br>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"agreement\" value=\"{}\"><button type=\"submit\">{}</button></form></td></tr>",
                esc(&title),
                esc(&a.version),
                esc(&language_name(&cat, &lang, &a.lang)),
                esc(&a.company),
                esc(&format!("{} ({})", a.signatory_name, a.signatory_title)),
                esc(&at(a.signed_at).format("%Y-%m-%d %H:%M UTC").to_string()),
                esc(&status),
                esc(&action),
                esc(&csrf),
                esc(&a.id),
                esc(&cat.t(&lang, "agreement-list-download", &[("id", &a.id)])),
            ));
        }
        body.push_str("</tbody></table></div>");
    }
    with_cookie(
        html(StatusCode::OK, cat.page(&lang, &heading, &body)),
        cookie,
    )
}

/// "Current version" or "Superseded by version X" (the signed file never changes).
pub(super) fn status_of(cat: &Catalogue, lang: &str, a: &Agreement) -> String {
    match cat.superseded_by(a) {
        Some(current) => cat.t(lang, "agreement-status-superseded", &[("version", current)]),
        _ => cat.t(lang, "agreement-status-current", &[]),
    }
}

pub(in crate::portal) async fn agreements_download(
    State(portal): State<Arc<Portal>>,
    post: LinkPost,
) -> Response {
    let LinkPost {
        cat,
        lang,
        tok,
        client: _,
        form,
    } = post;
    let email = match owner(&portal, &tok).await {
        Ok(Some(e)) => e,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let Some(id) = form
        .get("agreement")
        .filter(|id| crate::portal::store::valid_id(id))
    else {
        return denied(&cat, &lang);
    };
    match portal.store.agreement(id).await {
        Ok(Some(a)) if a.email == email => {
            let claims = LinkClaims {
                id: a.id.clone(),
                exp: Utc::now().timestamp() + i64::from(portal.settings.token_minutes) * 60,
                n: token::nonce(),
            };
            let t = token::sign(&portal.keys, Purpose::AgreementFile, &claims);
            Redirect::to(&format!(
                "{}/agreements/download/{t}",
                portal.settings.mount
            ))
            .into_response()
        }
        Ok(_) => denied(&cat, &lang),
        Err(e) => failed(&cat, &lang, &e),
    }
}

pub(in crate::portal) async fn agreement_file(
    State(portal): State<Arc<Portal>>,
    FileToken {
        cat,
        lang,
        tok,
        client,
    }: FileToken,
) -> Response {
    let Ok(claims) = token::verify::<LinkClaims>(
        &portal.keys,
        Purpose::AgreementFile,
        &tok,
        Utc::now().timestamp(),
    ) else {
        crate::portal::guards::audit_failure(
            &portal,
            &client,
            None,
            "invalid agreement download token",
        )
        .await;
        return denied(&cat, &lang);
    };
    let a = match portal.store.agreement(&claims.id).await {
        Ok(Some(a)) => a,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let files = portal.files.clone();
    let (id, sha) = (a.id.clone(), a.pdf_sha256.clone());
    let bytes = match tokio::task::spawn_blocking(move || files.get(&id, &sha)).await {
        Ok(Ok(b)) => b,
        Ok(Err(e)) => return failed(&cat, &lang, &e),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let mut ev = client.event(EventKind::AgreementDownload);
    ev.request_id = Some(a.request_id.clone());
    ev.document_id = Some(a.document_id.clone());
    ev.version = Some(format!("{}/{}", a.version, a.lang));
    ev.email = Some(a.email.clone());
    ev.detail = Some(format!("agreement {} sha256 {}", a.id, a.pdf_sha256));
    if let Err(e) = audit_view(&portal, &client, &ev).await {
        return failed(&cat, &lang, &e);
    }
    (
        StatusCode::OK,
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", download_name(&a)),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}
