//! A grant's landing page and its downloads: the landing exchanges the grant link for a
//! download token of a few minutes (POST), and the download checks token, grant and file,
//! counts and audits the download in one transaction and serves a watermarked copy.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::app::Portal;
use super::audit::EventKind;
use super::keys::Purpose;
use super::pages;
use super::store;
use super::token::{self, DownloadClaims, LinkClaims};

use super::guards::{
    Client, FileToken, Link, LinkPost, audit_failure, audit_view, denied, failed, form_page,
    lang_or_default,
};

/// The grant behind a grant-link token, when it may still download.
pub(super) async fn usable_grant(
    portal: &Portal,
    tok: &str,
    client: &Client,
) -> Result<Option<store::Grant>, store::StoreError> {
    let now = Utc::now().timestamp();
    let Ok(claims) = token::verify::<LinkClaims>(&portal.keys, Purpose::Grant, tok, now) else {
        audit_failure(portal, client, None, "invalid grant link").await;
        return Ok(None);
    };
    // A link resent from the console replaced the earlier ones: only links with its nonce open.
    if let Some(nonce) = portal.store.grant_link_nonce(&claims.id).await?
        && !bool::from(subtle::ConstantTimeEq::ct_eq(
            nonce.as_bytes(),
            claims.n.as_bytes(),
        ))
    {
        audit_failure(
            portal,
            client,
            Some(claims.id.clone()),
            "a grant link replaced by a newer one",
        )
        .await;
        return Ok(None);
    }
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

pub(super) async fn grant_page(State(portal): State<Arc<Portal>>, link: Link) -> Response {
    let Link {
        cat,
        lang,
        tok,
        client,
    } = link;
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
    if let Err(e) = audit_view(&portal, &client, &ev).await {
        return failed(&cat, &lang, &e);
    }
    let action = format!("{}/{lang}/grant/{tok}", portal.settings.mount);
    form_page(
        &portal,
        &client,
        &cat,
        &lang,
        "portal-grant-title",
        |csrf| pages::landing(&cat, &lang, &grant, doc, csrf, &action),
    )
}

pub(super) async fn grant_download(State(portal): State<Arc<Portal>>, post: LinkPost) -> Response {
    let LinkPost {
        cat,
        lang,
        tok,
        client,
        form,
    } = post;
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
    FileToken {
        cat,
        lang,
        tok,
        client,
    }: FileToken,
) -> Response {
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
    if client.head {
        // A probe: the token is good, but nothing is read, counted or recorded.
        return (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, file.media_type.to_owned()),
                (header::CACHE_CONTROL, "private, no-store".to_owned()),
            ],
        )
            .into_response();
    }
    let bytes = match cat.read(file).await {
        Ok(b) => b,
        Err(e) => return failed(&cat, &lang, &e),
    };
    // 3. In one transaction with the audit row: the grant exists, is not revoked, not expired and
    //    under its download limit.
    // Watermarking is on unless an owner switched it off for this document in the console (a
    // setting in the store: it holds on every replica without a restart).
    let is_pdf = file.media_type == "application/pdf";
    let watermark = match portal
        .store
        .setting(&format!("watermark:{}", doc.doc.id))
        .await
    {
        Ok(v) => v.as_deref() != Some("off"),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let mut ev = client.event(EventKind::Download);
    ev.version = Some(format!("{}/{}", claims.v, claims.l));
    ev.detail = Some(if is_pdf && !watermark {
        format!(
            "sha256 {}; not watermarked (switched off in the console)",
            claims.h
        )
    } else {
        format!("sha256 {}", claims.h)
    });
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
    let body = if is_pdf && watermark {
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
