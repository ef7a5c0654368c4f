//! Steps 1 and 2 of concluding: the e-mail address, the signing link, and the button that
//! proves the address (POST) before the signing form is shown.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use super::form::{empty_form, error_summary, signable};
use crate::portal::app::{Catalogue, GatedDocument, Portal};
use crate::portal::audit::EventKind;
use crate::portal::guards::{
    Client, Limit, Link, LinkPost, MailGate, checked_post, confirmation_mail_gate, csrf_for,
    denied, failed, forbidden_char, html, message_page, not_found_in, valid_email, with_cookie,
};
use crate::portal::keys::Purpose;
use crate::portal::pages::{FieldError, field};
use crate::portal::store::SigningRequest;
use crate::portal::token::{self, LinkClaims};
use crate::site::render::xml_escape as esc;

pub(in crate::portal) async fn start_form(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, doc_id)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    let Some(doc) = signable(&cat, &lang, &doc_id) else {
        return not_found_in(&cat, &lang);
    };
    start_page(&portal, &cat, &client, &lang, doc, "", None, StatusCode::OK)
}

#[allow(clippy::too_many_arguments)]
pub(super) fn start_page(
    portal: &Portal,
    cat: &Catalogue,
    client: &Client,
    lang: &str,
    doc: &GatedDocument,
    email: &str,
    error: Option<String>,
    status: StatusCode,
) -> Response {
    let (csrf, cookie) = csrf_for(portal, client);
    let t = |k: &str| cat.t(lang, k, &[]);
    let heading = cat.t(
        lang,
        "agreement-start-title",
        &[("document", doc.title(lang))],
    );
    let errors: Vec<FieldError> = error
        .into_iter()
        .map(|message| FieldError {
            field: "email",
            message,
        })
        .collect();
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&heading),
        esc(&t("agreement-start-intro"))
    );
    body.push_str(&error_summary(cat, lang, &errors));
    body.push_str(&format!(
        "<form class=\"request-form\" method=\"post\" action=\"{}/{lang}/sign/{}\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&portal.settings.mount),
        esc(&doc.doc.id),
        esc(&csrf)
    ));
    body.push_str(&field(
        "email",
        &t("agreement-start-email"),
        &format!(
            "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required maxlength=\"254\" value=\"{}\"{{attrs}}>",
            esc(email)
        ),
        &errors,
        &t("portal-required"),
    ));
    body.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p></form>",
        esc(&t("agreement-start-button"))
    ));
    if let Some(url) = doc.urls.get(lang) {
        body.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            esc(url),
            esc(&t("portal-back"))
        ));
    }
    let title = if errors.is_empty() {
        heading
    } else {
        cat.t(lang, "portal-error-title", &[("title", &heading)])
    };
    with_cookie(html(status, cat.page(lang, &title, &body)), cookie)
}

pub(in crate::portal) async fn start_submit(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, doc_id)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let cat = portal.catalogue();
    let Some(doc) = signable(&cat, &lang, &doc_id) else {
        return not_found_in(&cat, &lang);
    };
    if let Err(r) = checked_post(&portal, &cat, &lang, &client, &form, Limit::Request).await {
        return r;
    }
    let email = form.get("email").map(|e| e.trim()).unwrap_or_default();
    if !valid_email(email) || email.len() > 254 || email.chars().any(forbidden_char) {
        let message = cat.t(&lang, "portal-error-email", &[]);
        return start_page(
            &portal,
            &cat,
            &client,
            &lang,
            doc,
            email,
            Some(message),
            StatusCode::UNPROCESSABLE_ENTITY,
        );
    }
    let hours_s = portal.settings.confirm_hours.to_string();
    let sent = |email: &str| {
        message_page(
            &cat,
            &lang,
            StatusCode::OK,
            "portal-sent",
            &[("email", email), ("hours", &hours_s)],
        )
    };
    match confirmation_mail_gate(&portal, &cat, &lang, &client, email).await {
        Err(response) => return response,
        Ok(MailGate::Quiet) => return sent(email),
        Ok(MailGate::Send) => {}
    }
    let request = match portal
        .store
        .create_signing_request(
            &lang,
            &doc_id,
            email,
            &client.event(EventKind::AgreementRequested),
        )
        .await
    {
        Ok(r) => r,
        Err(e) => return failed(&cat, &lang, &e),
    };
    let link = portal.confirmation_link(Purpose::Sign, &request.id, &format!("{lang}/sign/link"));
    let site = portal.site_title(&lang);
    let args = [
        ("document", doc.title(&lang)),
        ("site", site),
        ("hours", hours_s.as_str()),
        ("link", link.as_str()),
    ];
    if let Err(e) = portal
        .mailer
        .send(
            email,
            &cat.t(&lang, "agreement-mail-link-subject", &args),
            &cat.t(&lang, "agreement-mail-link-body", &args),
        )
        .await
    {
        return failed(&cat, &lang, &e);
    }
    sent(email)
}

/// The signing request behind a signing link, when it can still conclude an agreement; `Err`
/// is the page to show instead (the generic refusal, or "already used").
pub(super) async fn open_request(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    tok: &str,
) -> Result<(SigningRequest, GatedDocument), Response> {
    let Ok(claims) =
        token::verify::<LinkClaims>(&portal.keys, Purpose::Sign, tok, Utc::now().timestamp())
    else {
        return Err(denied(cat, lang));
    };
    let request = match portal.store.signing_request(&claims.id).await {
        Ok(Some(r)) => r,
        Ok(None) => return Err(denied(cat, lang)),
        Err(e) => return Err(failed(cat, lang, &e)),
    };
    if request.agreement_id.is_some() {
        return Err(message_page(
            cat,
            lang,
            StatusCode::OK,
            "agreement-used",
            &[],
        ));
    }
    let Some(doc) = cat.signable.get(&request.document_id) else {
        return Err(denied(cat, lang));
    };
    Ok((request, doc.clone()))
}

pub(in crate::portal) async fn link_page(
    State(portal): State<Arc<Portal>>,
    Link {
        cat,
        lang,
        tok,
        client,
    }: Link,
) -> Response {
    let (request, doc) = match open_request(&portal, &cat, &lang, &tok).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let (csrf, cookie) = csrf_for(&portal, &client);
    let action = format!("{}/{lang}/sign/link/{tok}", portal.settings.mount);
    if request.verified_at.is_none() {
        let heading = cat.t(&lang, "portal-confirm-title", &[]);
        let body = format!(
            "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><p><button type=\"submit\">{}</button></p></form>",
            esc(&heading),
            esc(&cat.t(
                &lang,
                "agreement-confirm-body",
                &[("email", &request.email), ("document", doc.title(&lang))]
            )),
            esc(&action),
            esc(&csrf),
            esc(&cat.t(&lang, "portal-confirm-button", &[]))
        );
        return with_cookie(
            html(StatusCode::OK, cat.page(&lang, &heading, &body)),
            cookie,
        );
    }
    with_cookie(
        empty_form(&portal, &cat, &lang, &tok, &request, &doc, &csrf),
        cookie,
    )
}

pub(in crate::portal) async fn link_confirm(
    State(portal): State<Arc<Portal>>,
    LinkPost {
        cat,
        lang,
        tok,
        client,
        form: _,
    }: LinkPost,
) -> Response {
    let (request, doc) = match open_request(&portal, &cat, &lang, &tok).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let request = match portal
        .store
        .verify_signing_request(&request.id, &client.event(EventKind::EmailVerified))
        .await
    {
        Ok(Some(r)) => r,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let (csrf, cookie) = csrf_for(&portal, &client);
    with_cookie(
        empty_form(&portal, &cat, &lang, &tok, &request, &doc, &csrf),
        cookie,
    )
}
