//! The public request flow: the request form (validated, rate-limited, NDA accepted where the
//! document asks for one), the confirmation mail and the confirmation of the address, after
//! which an allow-listed domain is granted at once and every other request waits for a decision.
//!
//! Rules every handler follows: GET never changes state (mail scanners fetch every link); every
//! POST carries a CSRF token bound to a SameSite cookie; tokens are verified (MAC first) before
//! anything is looked up; every refusal of a token or link answers the same generic 403 page;
//! visitor input is validated, length-capped and escaped; rate limits live in the store.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use super::app::{Catalogue, GatedDocument, Portal};
use super::audit::EventKind;
use super::keys::Purpose;
use super::pages::{self, FieldError, FormValues};
use super::store::{NewRequest, Status};
use super::token::{self, LinkClaims};

use super::guards::{
    Charset, Client, Limit, Link, LinkPost, MailGate, checked_post, confirmation_mail_gate,
    csrf_for, denied, failed, field_problem, form_page, html, message_page, not_found_in,
    valid_email, with_cookie,
};

/// The gated document `doc_id`, when it can be requested in `lang`.
fn requestable<'c>(cat: &'c Catalogue, lang: &str, doc_id: &str) -> Option<&'c GatedDocument> {
    cat.has_language(lang)
        .then(|| cat.documents.get(doc_id))
        .flatten()
}

pub(super) async fn request_form(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, doc_id)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    let Some(doc) = requestable(&cat, &lang, &doc_id) else {
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
pub(super) fn validate(
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
    let checks: [(&'static str, &str, usize, Charset, &str, &str); 4] = [
        (
            "name",
            &values.name,
            100,
            Charset::PersonName,
            "portal-error-name",
            "portal-form-name",
        ),
        (
            "email",
            &values.email,
            254,
            Charset::Line,
            "portal-error-email",
            "portal-form-email",
        ),
        (
            "company",
            &values.company,
            150,
            Charset::Organisation,
            "portal-error-company",
            "portal-form-company",
        ),
        (
            "reason",
            &values.reason,
            2000,
            Charset::Lines,
            "portal-error-reason",
            "portal-form-reason",
        ),
    ];
    for (field, value, max, charset, missing, label) in checks {
        let label = cat.t(lang, label, &[]);
        let message = if value.is_empty() {
            Some(cat.t(lang, missing, &[]))
        } else if let Some(problem) = field_problem(cat, lang, &label, value, max, charset) {
            Some(problem)
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
    let Some(doc) = requestable(&cat, &lang, &doc_id) else {
        return not_found_in(&cat, &lang);
    };
    if let Err(r) = checked_post(&portal, &cat, &lang, &client, &form, Limit::Request).await {
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
    let hours_s = portal.settings.confirm_hours.to_string();
    let sent = |email: &str| sent_page(&cat, &lang, doc, email, &hours_s);
    match confirmation_mail_gate(&portal, &cat, &lang, &client, &values.email).await {
        Err(response) => return response,
        Ok(MailGate::Quiet) => return sent(&values.email),
        Ok(MailGate::Send) => {}
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
    let url = portal.confirmation_link(Purpose::Confirm, &request.id, &format!("{lang}/confirm"));
    let site = portal.site_title(&lang);
    let title = doc.title(&lang);
    // Nothing the requester wrote: the address is not proven yet, and the mail comes from us.
    let args = [
        ("document", title),
        ("site", site),
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
    sent(&request.email)
}

/// "Check your mail": the same page whether a mail was sent or held back by a mail limit.
fn sent_page(
    cat: &Catalogue,
    lang: &str,
    doc: &GatedDocument,
    email: &str,
    hours: &str,
) -> Response {
    let heading = cat.t(lang, "portal-sent-title", &[]);
    let text = cat.t(
        lang,
        "portal-sent-body",
        &[("email", email), ("hours", hours)],
    );
    let back = doc
        .urls
        .get(lang)
        .map(|u| (u.as_str(), cat.t(lang, "portal-back", &[])));
    let body = pages::message(
        &heading,
        &text,
        back.as_ref().map(|(u, l)| (*u, l.as_str())),
    );
    html(StatusCode::OK, cat.page(lang, &heading, &body))
}

pub(super) async fn confirm_page(State(portal): State<Arc<Portal>>, link: Link) -> Response {
    let Link {
        cat,
        lang,
        tok,
        client,
    } = link;
    let Ok(claims) =
        token::verify::<LinkClaims>(&portal.keys, Purpose::Confirm, &tok, Utc::now().timestamp())
    else {
        return denied(&cat, &lang);
    };
    let request = match portal.store.request(&claims.id).await {
        Ok(Some(r)) => r,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let title = cat.title_of(&request.document_id, &lang);
    if request.status != Status::Unverified {
        return message_page(&cat, &lang, StatusCode::OK, "portal-already", &[]);
    }
    let action = format!("{}/{lang}/confirm/{tok}", portal.settings.mount);
    form_page(
        &portal,
        &client,
        &cat,
        &lang,
        "portal-confirm-title",
        |csrf| pages::confirm(&cat, &lang, &request, &title, csrf, &action),
    )
}

pub(super) async fn confirm_submit(State(portal): State<Arc<Portal>>, post: LinkPost) -> Response {
    let LinkPost {
        cat,
        lang,
        tok,
        client,
        form: _,
    } = post;
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
    // Approved at once: a domain of `portal.approve_domains` (every document), or an approval
    // rule an admin made in the console for this domain and document (kept in the store, so
    // every replica applies the same rules).
    let by = match portal.settings.auto_approves(&request.email) {
        Some(domain) => Some(format!("auto:{domain}")),
        None => {
            let domain = request
                .email
                .rsplit_once('@')
                .map(|(_, d)| d.to_ascii_lowercase())
                .unwrap_or_default();
            match portal.store.rule_for(&domain, &request.document_id).await {
                Ok(rule) => rule.map(|r| format!("rule:{} {domain}", r.id)),
                Err(e) => return failed(&cat, &lang, &e),
            }
        }
    };
    if let Some(by) = by {
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
        if let Err(e) = portal.notify_approved(&grant, None).await {
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
