//! Concluding agreements online: the routes and pages for documents marked `signable: true`.
//!
//! 1. `GET/POST /{lang}/sign/{doc}`: the customer gives an e-mail address; the portal mails a
//!    signing link (a [`Purpose::Sign`] token naming a signing request).
//! 2. `GET /{lang}/sign/link/{token}`: before the address is proven, a button that proves it
//!    (`POST`, so mail scanners that fetch links change nothing); afterwards the form: the
//!    contracting party, the signatory, the language version, the agreement's text and the
//!    acceptance.
//! 3. `POST /{lang}/sign/link/{token}/execute`: validates the form (shown again with every value
//!    and a localized message per field when something is wrong), composes the executed agreement
//!    ([`crate::pdf::executed`]), signs it ([`crate::pdf::pades`]), stores it in the file area, records it
//!    with its SHA-256 in the audit chain (using the signing request up: each link concludes one
//!    agreement), mails it to the signatory and the legal contact and links "Your agreements".
//! 4. `GET/POST /{lang}/agreements/{token}`: the customer's executed agreements (every agreement
//!    concluded with the proven address), each downloadable through a short-lived
//!    [`Purpose::AgreementFile`] token at `GET /agreements/download/{token}`.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{DateTime, Utc};

use super::app::{Catalogue, GatedDocument, Portal};
use super::audit::EventKind;
use super::guards::{
    Client, Limit, clean, csrf_for, csrf_ok, denied, failed, forbidden_char, form_expired, html,
    lang_or_default, link_post, message_page, not_found_in, rate_limit, valid_email, with_cookie,
};
use super::keys::Purpose;
use super::pages::{FieldError, field};
use super::store::{Agreement, SigningRequest};
use super::token::{self, LinkClaims};
use crate::site::render::xml_escape as esc;

// ---- step 1: the e-mail address ---------------------------------------------------------------

pub(super) async fn start_form(
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
fn start_page(
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

pub(super) async fn start_submit(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, doc_id)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let cat = portal.catalogue();
    let Some(doc) = signable(&cat, &lang, &doc_id) else {
        return not_found_in(&cat, &lang);
    };
    if !csrf_ok(&portal, &client, &form) {
        return form_expired(&cat, &lang);
    }
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Request).await {
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
    let hours = portal.settings.confirm_hours;
    let claims = LinkClaims {
        id: request.id.clone(),
        exp: Utc::now().timestamp() + i64::from(hours) * 3600,
        n: token::nonce(),
    };
    let link = format!(
        "{}/{lang}/sign/link/{}",
        portal.settings.public_url,
        token::sign(&portal.keys, Purpose::Sign, &claims)
    );
    let site = portal
        .settings
        .site_titles
        .get(&lang)
        .cloned()
        .unwrap_or_default();
    let hours_s = hours.to_string();
    let args = [
        ("document", doc.title(&lang)),
        ("site", site.as_str()),
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
    message_page(
        &cat,
        &lang,
        StatusCode::OK,
        "portal-sent",
        &[("email", email), ("hours", &hours_s)],
    )
}

// ---- step 2: prove the address, then the form ---------------------------------------------------

/// The signing request behind a signing link, when it can still conclude an agreement; `Err`
/// is the page to show instead (the generic refusal, or "already used").
async fn open_request(
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

pub(super) async fn link_page(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Link).await {
        return r;
    }
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

pub(super) async fn link_confirm(
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

/// The signing form before anything was typed (the signatory's e-mail is the proven one).
fn empty_form(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    tok: &str,
    request: &SigningRequest,
    doc: &GatedDocument,
    csrf: &str,
) -> Response {
    let values = SignValues {
        signatory_email: request.email.clone(),
        ..SignValues::default()
    };
    form_page(
        portal,
        cat,
        lang,
        tok,
        request,
        doc,
        &values,
        &[],
        csrf,
        StatusCode::OK,
    )
}

/// What the customer typed into the signing form (kept when it is shown again).
#[derive(Debug, Default, Clone)]
struct SignValues {
    company: String,
    address: String,
    registration: String,
    privacy_contact: String,
    signatory_name: String,
    signatory_title: String,
    signatory_email: String,
    language: String,
    accept: bool,
}

/// The form's text fields: name, label key, maximum length, required, kind.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Line,
    Lines,
    Email,
}

const FIELDS: [(&str, &str, usize, bool, Kind); 7] = [
    ("company", "agreement-form-company", 200, true, Kind::Line),
    ("address", "agreement-form-address", 500, true, Kind::Lines),
    (
        "registration",
        "agreement-form-registration",
        100,
        false,
        Kind::Line,
    ),
    (
        "privacy_contact",
        "agreement-form-privacy-contact",
        254,
        true,
        Kind::Email,
    ),
    (
        "signatory_name",
        "agreement-form-signatory-name",
        200,
        true,
        Kind::Line,
    ),
    (
        "signatory_title",
        "agreement-form-signatory-title",
        200,
        true,
        Kind::Line,
    ),
    (
        "signatory_email",
        "agreement-form-signatory-email",
        254,
        true,
        Kind::Email,
    ),
];

impl SignValues {
    fn get(&self, name: &str) -> &str {
        match name {
            "company" => &self.company,
            "address" => &self.address,
            "registration" => &self.registration,
            "privacy_contact" => &self.privacy_contact,
            "signatory_name" => &self.signatory_name,
            "signatory_title" => &self.signatory_title,
            "signatory_email" => &self.signatory_email,
            _ => "",
        }
    }
}

/// The languages the current version is available in, with their files.
fn versions(doc: &GatedDocument) -> Option<&crate::site::documents::Version> {
    doc.doc.current()
}

fn validate(
    cat: &Catalogue,
    lang: &str,
    doc: &GatedDocument,
    form: &HashMap<String, String>,
) -> (SignValues, Vec<FieldError>) {
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.replace("\r\n", "\n").trim().to_owned())
            .unwrap_or_default()
    };
    let values = SignValues {
        company: get("company"),
        address: get("address"),
        registration: get("registration"),
        privacy_contact: get("privacy_contact"),
        signatory_name: get("signatory_name"),
        signatory_title: get("signatory_title"),
        signatory_email: get("signatory_email"),
        language: get("language"),
        accept: form.get("accept").is_some_and(|v| v == "accept"),
    };
    let mut errors = Vec::new();
    for (name, label_key, max, required, kind) in FIELDS {
        let value = values.get(name);
        let label = cat.t(lang, label_key, &[]);
        let message = if value.is_empty() {
            required.then(|| cat.t(lang, "agreement-error-missing", &[("field", &label)]))
        } else if value.chars().count() > max {
            Some(cat.t(
                lang,
                "portal-error-too-long",
                &[("field", &label), ("max", &max.to_string())],
            ))
        } else if value
            .chars()
            .any(|c| forbidden_char(c) || (c.is_control() && !(kind == Kind::Lines && c == '\n')))
            || (kind == Kind::Lines && value.lines().count() > 8)
        {
            Some(cat.t(lang, "portal-error-characters", &[("field", &label)]))
        } else if kind == Kind::Email && !valid_email(value) {
            Some(cat.t(lang, "agreement-error-email", &[("field", &label)]))
        } else {
            None
        };
        if let Some(message) = message {
            errors.push(FieldError {
                field: name,
                message,
            });
        }
    }
    let languages_ok = versions(doc).is_some_and(|v| v.files.contains_key(&values.language));
    if !languages_ok {
        errors.push(FieldError {
            field: "language",
            message: cat.t(lang, "agreement-error-language", &[]),
        });
    }
    if !values.accept {
        errors.push(FieldError {
            field: "accept",
            message: cat.t(lang, "agreement-error-accept", &[]),
        });
    }
    (values, errors)
}

fn error_summary(cat: &Catalogue, lang: &str, errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div class=\"form-errors\" role=\"alert\" tabindex=\"-1\" id=\"form-errors\" aria-labelledby=\"form-errors-title\" autofocus><h2 id=\"form-errors-title\">{}</h2><ul>",
        esc(&cat.t(lang, "portal-errors-heading", &[]))
    );
    for e in errors {
        let target = match e.field {
            "language" => "language-0",
            f => f,
        };
        out.push_str(&format!(
            "<li><a href=\"#{target}\">{}</a></li>",
            esc(&e.message)
        ));
    }
    out.push_str("</ul></div>");
    out
}

fn language_name(cat: &Catalogue, lang: &str, code: &str) -> String {
    cat.locales
        .translate(lang, &format!("language-{code}"), &[])
        .or_else(|_| cat.locales.translate(code, "language-name", &[]))
        .unwrap_or_else(|_| code.to_owned())
}

/// "German (authoritative)" / "English".
fn language_label(cat: &Catalogue, lang: &str, doc: &GatedDocument, code: &str) -> String {
    let name = language_name(cat, lang, code);
    if doc.doc.authoritative.as_deref() == Some(code) {
        cat.t(lang, "agreement-authoritative", &[("language", &name)])
    } else {
        name
    }
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    tok: &str,
    request: &SigningRequest,
    doc: &GatedDocument,
    values: &SignValues,
    errors: &[FieldError],
    csrf: &str,
    status: StatusCode,
) -> Response {
    let t = |k: &str| cat.t(lang, k, &[]);
    let title = doc.title(lang);
    let heading = cat.t(lang, "agreement-form-title", &[("document", title)]);
    let Some(version) = versions(doc) else {
        return denied(cat, lang);
    };
    let verified = request.verified_at.unwrap_or_default();
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&heading),
        esc(&cat.t(
            lang,
            "agreement-form-intro",
            &[
                ("email", &request.email),
                ("date", &cat.date(lang, verified)),
                ("version", &version.version)
            ]
        ))
    );
    body.push_str(&error_summary(cat, lang, errors));
    body.push_str(&format!(
        "<form class=\"request-form\" method=\"post\" action=\"{}/{lang}/sign/link/{}/execute\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&portal.settings.mount),
        esc(tok),
        esc(csrf)
    ));
    let required = t("portal-required");
    let optional = t("agreement-optional");
    for (legend, fields) in [
        ("agreement-form-party", &FIELDS[..4]),
        ("agreement-form-signatory", &FIELDS[4..]),
    ] {
        body.push_str(&format!("<fieldset><legend>{}</legend>", esc(&t(legend))));
        for (name, label_key, max, req, kind) in fields {
            let value = values.get(name);
            let autocomplete = match *name {
                "company" => " autocomplete=\"organization\"",
                "address" => " autocomplete=\"street-address\"",
                "signatory_name" => " autocomplete=\"name\"",
                "signatory_title" => " autocomplete=\"organization-title\"",
                "signatory_email" | "privacy_contact" => " autocomplete=\"email\"",
                _ => "",
            };
            let req_attr = if *req { " required" } else { "" };
            let input = match kind {
                Kind::Lines => format!(
                    "<textarea id=\"{name}\" name=\"{name}\" rows=\"4\" maxlength=\"{max}\"{autocomplete}{req_attr}{{attrs}}>{}</textarea>",
                    esc(value)
                ),
                Kind::Email => format!(
                    "<input id=\"{name}\" name=\"{name}\" type=\"email\" maxlength=\"{max}\"{autocomplete}{req_attr} value=\"{}\"{{attrs}}>",
                    esc(value)
                ),
                Kind::Line => format!(
                    "<input id=\"{name}\" name=\"{name}\" maxlength=\"{max}\"{autocomplete}{req_attr} value=\"{}\"{{attrs}}>",
                    esc(value)
                ),
            };
            body.push_str(&field(
                name,
                &t(label_key),
                &input,
                errors,
                if *req { &required } else { &optional },
            ));
        }
        body.push_str("</fieldset>");
    }

    // The language version; the page's language, else the authoritative one, is preselected.
    let chosen = if version.files.contains_key(&values.language) {
        values.language.clone()
    } else if version.files.contains_key(lang) {
        lang.to_owned()
    } else {
        doc.doc
            .authoritative
            .clone()
            .filter(|a| version.files.contains_key(a))
            .or_else(|| version.files.keys().next().cloned())
            .unwrap_or_default()
    };
    let language_error = errors.iter().find(|e| e.field == "language");
    body.push_str(&format!(
        "<fieldset{}><legend>{}</legend>",
        if language_error.is_some() {
            " aria-describedby=\"language-error\""
        } else {
            ""
        },
        esc(&t("agreement-form-language"))
    ));
    if let Some(e) = language_error {
        body.push_str(&format!(
            "<p class=\"field-error\" id=\"language-error\">{}</p>",
            esc(&e.message)
        ));
    }
    if let Some(auth) = &doc.doc.authoritative {
        body.push_str(&format!(
            "<p>{}</p>",
            esc(&cat.t(
                lang,
                "agreement-authoritative-note",
                &[("language", &language_name(cat, lang, auth))]
            ))
        ));
    }
    for (i, code) in version.files.keys().enumerate() {
        body.push_str(&format!(
            "<p class=\"check\"><input type=\"radio\" id=\"language-{i}\" name=\"language\" value=\"{}\"{}><label for=\"language-{i}\">{}</label></p>",
            esc(code),
            if *code == chosen { " checked" } else { "" },
            esc(&language_label(cat, lang, doc, code))
        ));
    }
    body.push_str("</fieldset>");

    // The full text of the current version, with the files themselves.
    body.push_str(&format!(
        "<h2 id=\"agreement-text-title\">{}</h2><ul class=\"downloads\">",
        esc(&cat.t(
            lang,
            "agreement-text-title",
            &[("version", &version.version)]
        ))
    ));
    for (code, file) in &version.files {
        let name = language_label(cat, lang, doc, code);
        let label = cat.t(
            lang,
            "agreement-text-file",
            &[("language", &name), ("sha256", &file.sha256)],
        );
        match &file.path {
            Some(path) => body.push_str(&format!(
                "<li><a href=\"{}/{}\" type=\"application/pdf\">{}</a></li>",
                esc(&cat.url_prefix),
                esc(path),
                esc(&label)
            )),
            None => body.push_str(&format!("<li>{}</li>", esc(&label))),
        }
    }
    body.push_str("</ul>");
    if let Some(file) = version.files.get(&chosen) {
        let pages = portal.agreement_text(&cat.root.join(&file.source), &file.sha256);
        if !pages.is_empty() {
            body.push_str(&format!(
                "<div class=\"nda-text\" tabindex=\"0\" role=\"region\" aria-labelledby=\"agreement-text-title\" lang=\"{}\">",
                esc(&chosen)
            ));
            for page in pages.iter() {
                for para in page.split("\n\n") {
                    let para = para.trim();
                    if !para.is_empty() {
                        body.push_str(&format!(
                            "<p>{}</p>",
                            esc(&clean(para, 20_000)).replace('\n', "<br>")
                        ));
                    }
                }
            }
            body.push_str("</div>");
        }
    }

    let accept_error = errors.iter().find(|e| e.field == "accept");
    body.push_str(&format!(
        "{}<p class=\"check\"><input type=\"checkbox\" id=\"accept\" name=\"accept\" value=\"accept\" required{}{}><label for=\"accept\">{}</label></p>",
        accept_error
            .map(|e| format!(
                "<p class=\"field-error\" id=\"accept-error\">{}</p>",
                esc(&e.message)
            ))
            .unwrap_or_default(),
        if values.accept { " checked" } else { "" },
        if accept_error.is_some() {
            " aria-invalid=\"true\" aria-describedby=\"accept-error\""
        } else {
            ""
        },
        esc(&cat.t(
            lang,
            "agreement-form-accept",
            &[("version", &version.version), ("document", title)]
        ))
    ));
    body.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p></form>",
        esc(&t("agreement-form-button"))
    ));
    let title = if errors.is_empty() {
        heading
    } else {
        cat.t(lang, "portal-error-title", &[("title", &heading)])
    };
    html(status, cat.page(lang, &title, &body))
}

// ---- step 3: execute ----------------------------------------------------------------------------

pub(super) async fn execute(
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
    let (request, doc) = match open_request(&portal, &cat, &lang, &tok).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(verified_at) = request.verified_at else {
        return denied(&cat, &lang);
    };
    let (values, errors) = validate(&cat, &lang, &doc, &form);
    if !errors.is_empty() {
        let (csrf, cookie) = csrf_for(&portal, &client);
        return with_cookie(
            form_page(
                &portal,
                &cat,
                &lang,
                &tok,
                &request,
                &doc,
                &values,
                &errors,
                &csrf,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            cookie,
        );
    }
    let Some(signer) = portal.signer.clone() else {
        return failed(&cat, &lang, &"no agreement signing key is loaded");
    };
    let Some(version) = versions(&doc) else {
        return denied(&cat, &lang);
    };
    let Some(file) = version.files.get(&values.language) else {
        return denied(&cat, &lang);
    };
    let original = match tokio::fs::read(cat.root.join(&file.source)).await {
        Ok(b) => b,
        Err(e) => {
            return failed(
                &cat,
                &lang,
                &format!("cannot read {}: {e}", file.source.display()),
            );
        }
    };
    // The file must still be the version the catalogue describes (and the page showed).
    let text_sha256 = crate::site::render::assets::sha256_hex(&original);
    if text_sha256 != file.sha256 {
        return failed(
            &cat,
            &lang,
            &format!("{} changed since the site was built", file.source.display()),
        );
    }
    let now = Utc::now();
    let id = super::store::new_id('a');
    let settings = &portal.settings;
    let mut agreement = Agreement {
        id: id.clone(),
        request_id: request.id.clone(),
        document_id: doc.doc.id.clone(),
        version: version.version.clone(),
        lang: values.language.clone(),
        text_sha256,
        company: values.company.clone(),
        address: values.address.clone(),
        registration: values.registration.clone(),
        privacy_contact: values.privacy_contact.clone(),
        signatory_name: values.signatory_name.clone(),
        signatory_title: values.signatory_title.clone(),
        signatory_email: values.signatory_email.clone(),
        email: request.email.clone(),
        email_verified_at: verified_at,
        signed_at: now.timestamp(),
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone().unwrap_or_default(),
        pdf_sha256: String::new(),
        pdf_size: 0,
    };

    // Compose and sign off the async workers (a few milliseconds of CPU).
    let pdf_lang = values.language.clone();
    let title = doc.title(&pdf_lang).to_owned();
    let language = language_label(&cat, &pdf_lang, &doc, &pdf_lang);
    let provider_address = settings.company.address.join("\n");
    let provider_name = settings.company.name.clone();
    let legal_contact = settings.legal_contact.clone();
    let location = settings.public_url.clone();
    let record = agreement.clone();
    let cat2 = Arc::clone(&cat);
    let signed = tokio::task::spawn_blocking(move || {
        let a = &record;
        let certificate = format!("{} (SHA-256 {})", signer.subject(), signer.fingerprint());
        let execution = crate::pdf::executed::Execution {
            agreement_id: &a.id,
            title: &title,
            version: &a.version,
            language: &language,
            text_sha256: &a.text_sha256,
            provider: crate::pdf::executed::Party {
                name: &provider_name,
                address: &provider_address,
                registration: "",
                contact: &legal_contact,
            },
            customer: crate::pdf::executed::Party {
                name: &a.company,
                address: &a.address,
                registration: &a.registration,
                contact: &a.privacy_contact,
            },
            signatory_name: &a.signatory_name,
            signatory_title: &a.signatory_title,
            signatory_email: &a.signatory_email,
            signed_at: at(a.signed_at),
            verified_email: &a.email,
            verified_at: at(a.email_verified_at),
            ip: &a.ip,
            user_agent: &a.user_agent,
            request_id: &a.request_id,
            certificate: &certificate,
        };
        let label = |key: &str, args: &[(&str, &str)]| cat2.t(&pdf_lang, key, args);
        let doc = crate::pdf::executed::compose(&original, &execution, &label)
            .map_err(|e| e.to_string())?;
        let reason = cat2.t(
            &pdf_lang,
            "agreement-pdf-reason",
            &[
                ("document", &title),
                ("version", &a.version),
                ("company", &a.company),
            ],
        );
        crate::pdf::pades::sign_pdf(
            doc,
            &signer,
            &crate::pdf::pades::SignatureInfo {
                name: &provider_name,
                reason: &reason,
                location: &location,
                contact: &legal_contact,
                time: at(a.signed_at),
            },
        )
        .map_err(|e| e.to_string())
    })
    .await;
    let pdf = match signed {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(e)) => return failed(&cat, &lang, &e),
        Err(e) => return failed(&cat, &lang, &e),
    };
    agreement.pdf_sha256 = crate::site::render::assets::sha256_hex(&pdf);
    agreement.pdf_size = i64::try_from(pdf.len()).unwrap_or(i64::MAX);

    // The file first, then the record: a record never points to a missing file. A refused record
    // (the link was used meanwhile, in another tab) removes the file again.
    if let Err(e) = portal.files.put(&id, &pdf) {
        return failed(&cat, &lang, &e);
    }
    let recorded = portal
        .store
        .record_agreement(&agreement, &client.event(EventKind::AgreementSigned))
        .await;
    match recorded {
        Ok(Some(_)) => {}
        Ok(None) => {
            portal.files.remove(&id);
            return message_page(&cat, &lang, StatusCode::OK, "agreement-used", &[]);
        }
        Err(e) => {
            portal.files.remove(&id);
            return failed(&cat, &lang, &e);
        }
    }

    let link = agreements_link(&portal, &lang, &request.id);
    let file_name = download_name(&agreement);
    notify_signed(
        &portal, &cat, &lang, &agreement, &doc, &link, &file_name, pdf,
    )
    .await;
    let heading = cat.t(&lang, "agreement-done-title", &[]);
    let text = cat.t(
        &lang,
        "agreement-done-body",
        &[
            ("document", doc.title(&lang)),
            ("version", &agreement.version),
            ("company", &agreement.company),
            ("email", &agreement.signatory_email),
        ],
    );
    let body = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"{}\">{}</a></p>",
        esc(&heading),
        esc(&text),
        esc(&link.replacen(&portal.settings.public_url, &portal.settings.mount, 1)),
        esc(&cat.t(&lang, "agreement-list-title", &[]))
    );
    html(StatusCode::OK, cat.page(&lang, &heading, &body))
}

fn at(unix: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix, 0).unwrap_or_default()
}

/// The "Your agreements" link for the address proven with signing request `request_id`.
fn agreements_link(portal: &Portal, lang: &str, request_id: &str) -> String {
    let claims = LinkClaims {
        id: request_id.to_owned(),
        exp: Utc::now().timestamp() + i64::from(portal.settings.agreements_link_days) * 86_400,
        n: token::nonce(),
    };
    format!(
        "{}/{lang}/agreements/{}",
        portal.settings.public_url,
        token::sign(&portal.keys, Purpose::Agreements, &claims)
    )
}

/// `dpa-3.1-de-executed-a2x….pdf`, in a file-name-safe alphabet.
fn download_name(a: &Agreement) -> String {
    format!(
        "{}-{}-{}-executed-{}.pdf",
        a.document_id, a.version, a.lang, a.id
    )
    .chars()
    .map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            c
        } else {
            '_'
        }
    })
    .collect()
}

/// Mails the signed PDF to the signatory (with the "Your agreements" link) and to the legal
/// contact. A failed mail is logged; the agreement stands and is listed for the customer.
#[allow(clippy::too_many_arguments)]
async fn notify_signed(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    a: &Agreement,
    doc: &GatedDocument,
    link: &str,
    file_name: &str,
    pdf: Vec<u8>,
) {
    let signed_at = at(a.signed_at).format("%Y-%m-%d %H:%M:%S UTC").to_string();
    let args = [
        ("document", doc.title(lang)),
        ("version", a.version.as_str()),
        ("company", a.company.as_str()),
        ("name", a.signatory_name.as_str()),
        ("title", a.signatory_title.as_str()),
        ("email", a.signatory_email.as_str()),
        ("id", a.id.as_str()),
        ("time", signed_at.as_str()),
        ("sha256", a.pdf_sha256.as_str()),
        ("link", link),
    ];
    let mails = [
        (a.signatory_email.as_str(), "agreement-mail-signed"),
        (
            portal.settings.legal_contact.as_str(),
            "agreement-mail-legal",
        ),
    ];
    for (to, key) in mails {
        let sent = portal
            .mailer
            .send_with_pdf(
                to,
                &cat.t(lang, &format!("{key}-subject"), &args),
                &cat.t(lang, &format!("{key}-body"), &args),
                file_name,
                pdf.clone(),
            )
            .await;
        if let Err(e) = sent {
            eprintln!("portal: cannot mail executed agreement {}: {e}", a.id);
        }
    }
}

// ---- step 4: your agreements ----------------------------------------------------------------------

/// The address behind a "Your agreements" link.
async fn owner(portal: &Portal, tok: &str) -> Result<Option<String>, super::store::StoreError> {
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

pub(super) async fn agreements_page(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Link).await {
        return r;
    }
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
fn status_of(cat: &Catalogue, lang: &str, a: &Agreement) -> String {
    match cat.superseded_by(a) {
        Some(current) => cat.t(lang, "agreement-status-superseded", &[("version", current)]),
        _ => cat.t(lang, "agreement-status-current", &[]),
    }
}

pub(super) async fn agreements_download(
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
    let email = match owner(&portal, &tok).await {
        Ok(Some(e)) => e,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let Some(id) = form
        .get("agreement")
        .filter(|id| super::store::valid_id(id))
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

pub(super) async fn agreement_file(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path(tok): Path<String>,
) -> Response {
    let cat = portal.catalogue();
    let lang = cat.default_lang.clone();
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Download).await {
        return r;
    }
    let Ok(claims) = token::verify::<LinkClaims>(
        &portal.keys,
        Purpose::AgreementFile,
        &tok,
        Utc::now().timestamp(),
    ) else {
        super::guards::audit_failure(&portal, &client, None, "invalid agreement download token")
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
    if let Err(e) = portal.store.audit(&ev).await {
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

fn signable<'a>(cat: &'a Catalogue, lang: &str, id: &str) -> Option<&'a GatedDocument> {
    if !cat.has_language(lang) {
        return None;
    }
    cat.signable.get(id)
}
