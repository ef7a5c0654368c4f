//! Subscriptions (issue 19): the form (topics: subprocessor changes, new versions of every or
//! some documents, security advisories, trust-center updates; in the visitor's language), double
//! opt-in by POST from the mailed link, the preferences page linked from every mail, and the
//! one-click unsubscribe of RFC 8058.
//!
//! The rules of [`super::request`] hold here too: GET never changes anything, form POSTs carry
//! the CSRF token, tokens are verified before anything is looked up and every refused token gets
//! the one generic page, and the answer to the form is the same whether the address is new,
//! pending or already subscribed (no enumeration; an active subscription is changed only from
//! its own links). The one POST without a CSRF token is the unsubscribe URL, which RFC 8058 has
//! mail providers call with the body `List-Unsubscribe=One-Click`: its token authenticates it.
//!
//! The site's own form (the theme's `partials/subscribe.html`) cannot carry a CSRF token (the
//! site is static): it posts the address and topics with `step=site`, and the portal answers
//! with its form filled in, with the consent checkbox and the token. Nothing is stored or sent
//! before that form comes back.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;

use super::app::{Catalogue, Portal};
use super::audit::EventKind;
use super::guards::{
    Charset, Client, Limit, Link, checked_post, clean, csrf_for, denied, failed, field_problem,
    forbidden_char, html, mail_ceiling, message_page, not_found_in, rate_limit, valid_email,
    with_cookie,
};
use super::keys::Purpose;
use super::pages::{self, FieldError};
use super::store::subscriptions::{NewSubscription, Subscribed, Subscriber, SubscriberStatus};
use super::token::{self, LinkClaims};
use crate::site::render::xml_escape as esc;

/// The topics besides documents, in the order the form lists them.
pub(crate) const TOPICS: [&str; 3] = ["subprocessors", "advisories", "updates"];

/// How long the preferences and unsubscribe links of a mail work (days).
const MANAGE_DAYS: i64 = 365;

/// What the form holds.
#[derive(Debug, Default, Clone)]
struct Values {
    email: String,
    topics: Vec<String>,
    /// Document ids, or `*` (every document).
    documents: Vec<String>,
    consent: bool,
}

/// The consent sentence shown next to the checkbox, whose SHA-256 is stored with the
/// subscription.
fn consent_text(cat: &Catalogue, lang: &str) -> String {
    cat.t(lang, "subscribe-consent", &[])
}

/// Reads and checks the form's fields (repeated `topic` and `doc` fields). Every field is
/// checked for control characters (CR/LF header injection) and named in its error.
fn validate(
    cat: &Catalogue,
    lang: &str,
    pairs: &[(String, String)],
    need_email: bool,
) -> (Values, Vec<FieldError>) {
    let mut values = Values::default();
    let mut errors: Vec<FieldError> = Vec::new();
    let push = |errors: &mut Vec<FieldError>, field: &'static str, message: String| {
        if !errors.iter().any(|e| e.field == field) {
            errors.push(FieldError { field, message });
        }
    };
    let topics_label = cat.t(lang, "subscribe-topics", &[]);
    let mut unknown = false;
    let mut all_documents = false;
    for (name, value) in pairs {
        let bad = value.chars().any(|c| c.is_control() || forbidden_char(c));
        match name.as_str() {
            "email" => values.email = value.trim().to_owned(),
            "topic" | "doc" if bad => push(
                &mut errors,
                "topics",
                cat.t(lang, "portal-error-characters", &[("field", &topics_label)]),
            ),
            "topic" if value == "documents" => all_documents = true,
            "topic" if TOPICS.contains(&value.as_str()) => values.topics.push(value.clone()),
            "doc" if cat.all_documents.iter().any(|(id, _)| id == value) => {
                values.documents.push(value.clone());
            }
            "topic" | "doc" => unknown = true,
            "consent" if bad || value != "yes" => push(
                &mut errors,
                "consent",
                cat.t(lang, "subscribe-error-consent", &[]),
            ),
            "consent" => values.consent = true,
            _ => {}
        }
    }
    dedup(&mut values.topics);
    dedup(&mut values.documents);
    if all_documents {
        values.documents = vec!["*".to_owned()];
    }
    if unknown {
        push(
            &mut errors,
            "topics",
            cat.t(lang, "subscribe-error-topic-unknown", &[]),
        );
    }
    if need_email {
        let label = cat.t(lang, "portal-form-email", &[]);
        let problem = if values.email.is_empty() {
            Some(cat.t(lang, "portal-error-email", &[]))
        } else if let Some(p) = field_problem(cat, lang, &label, &values.email, 254, Charset::Line)
        {
            Some(p)
        } else if !valid_email(&values.email) {
            Some(cat.t(lang, "portal-error-email", &[]))
        } else {
            None
        };
        if let Some(message) = problem {
            errors.insert(
                0,
                FieldError {
                    field: "email",
                    message,
                },
            );
        }
        if !values.consent {
            push(
                &mut errors,
                "consent",
                cat.t(lang, "subscribe-error-consent", &[]),
            );
        }
    }
    if values.topics.is_empty() && values.documents.is_empty() {
        push(
            &mut errors,
            "topics",
            cat.t(lang, "subscribe-error-topics", &[]),
        );
    }
    (values, errors)
}

/// `list` without repeats, in its order.
fn dedup(list: &mut Vec<String>) {
    let mut seen = std::collections::HashSet::new();
    list.retain(|x| seen.insert(x.clone()));
}

/// The error summary at the top of a form.
fn error_summary(cat: &Catalogue, lang: &str, errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div class=\"form-errors\" role=\"alert\" tabindex=\"-1\" id=\"form-errors\" aria-labelledby=\"form-errors-title\" autofocus><h2 id=\"form-errors-title\">{}</h2><ul>",
        esc(&cat.t(lang, "portal-errors-heading", &[]))
    );
    for e in errors {
        out.push_str(&format!(
            "<li><a href=\"#{}\">{}</a></li>",
            e.field,
            esc(&e.message)
        ));
    }
    out.push_str("</ul></div>");
    out
}

fn checkbox(id: &str, name: &str, value: &str, label: &str, checked: bool) -> String {
    format!(
        "<p class=\"check\"><input type=\"checkbox\" id=\"{}\" name=\"{name}\" value=\"{}\"{}><label for=\"{}\">{}</label></p>",
        esc(id),
        esc(value),
        if checked { " checked" } else { "" },
        esc(id),
        esc(label)
    )
}

/// The topics as a fieldset: one checkbox per topic, every document, or some of them.
fn topics_fieldset(cat: &Catalogue, lang: &str, values: &Values, errors: &[FieldError]) -> String {
    let t = |k: &str| cat.t(lang, k, &[]);
    let error = errors.iter().find(|e| e.field == "topics");
    let mut out = format!(
        "<fieldset id=\"topics\" class=\"topics\"{}><legend>{}</legend>",
        if error.is_some() {
            " aria-describedby=\"topics-error\""
        } else {
            ""
        },
        esc(&t("subscribe-topics"))
    );
    if let Some(e) = error {
        out.push_str(&format!(
            "<p class=\"field-error\" id=\"topics-error\">{}</p>",
            esc(&e.message)
        ));
    }
    for topic in TOPICS {
        out.push_str(&checkbox(
            &format!("topic-{topic}"),
            "topic",
            topic,
            &t(&format!("subscribe-topic-{topic}")),
            values.topics.iter().any(|x| x == topic),
        ));
    }
    let all = values.documents.iter().any(|d| d == "*");
    out.push_str(&checkbox(
        "topic-documents",
        "topic",
        "documents",
        &t("subscribe-topic-documents"),
        all,
    ));
    if !cat.all_documents.is_empty() {
        out.push_str(&format!(
            "<fieldset class=\"documents\"><legend>{}</legend>",
            esc(&t("subscribe-documents"))
        ));
        for (id, titles) in &cat.all_documents {
            let title = titles
                .get(lang)
                .or_else(|| titles.get(&cat.default_lang))
                .map_or(id.as_str(), String::as_str);
            out.push_str(&checkbox(
                &format!("doc-{id}"),
                "doc",
                id,
                title,
                !all && values.documents.iter().any(|d| d == id),
            ));
        }
        out.push_str("</fieldset>");
    }
    out.push_str("</fieldset>");
    out
}

/// The subscription form.
fn form_html(
    cat: &Catalogue,
    lang: &str,
    values: &Values,
    errors: &[FieldError],
    csrf: &str,
    action: &str,
) -> String {
    let t = |k: &str| cat.t(lang, k, &[]);
    let mut out = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&t("subscribe-title")),
        esc(&t("subscribe-intro"))
    );
    out.push_str(&error_summary(cat, lang, errors));
    out.push_str(&format!(
        "<form class=\"subscribe-form\" method=\"post\" action=\"{}\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(action),
        esc(csrf)
    ));
    out.push_str(&pages::field(
        "email",
        &t("subscribe-email"),
        &format!(
            "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required maxlength=\"254\" value=\"{}\"{{attrs}}>",
            esc(&values.email)
        ),
        errors,
        &t("portal-required"),
    ));
    out.push_str(&topics_fieldset(cat, lang, values, errors));
    let error = errors.iter().find(|e| e.field == "consent");
    out.push_str(&format!(
        "{}<p class=\"check\"><input type=\"checkbox\" id=\"consent\" name=\"consent\" value=\"yes\" required{}{}><label for=\"consent\">{}</label></p>",
        error
            .map(|e| format!(
                "<p class=\"field-error\" id=\"consent-error\">{}</p>",
                esc(&e.message)
            ))
            .unwrap_or_default(),
        if values.consent { " checked" } else { "" },
        if error.is_some() {
            " aria-invalid=\"true\" aria-describedby=\"consent-error\""
        } else {
            ""
        },
        esc(&consent_text(cat, lang)),
    ));
    out.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p></form>",
        esc(&t("subscribe-submit"))
    ));
    out
}

fn form_response(
    portal: &Portal,
    client: &Client,
    cat: &Catalogue,
    lang: &str,
    values: &Values,
    errors: &[FieldError],
) -> Response {
    let (csrf, cookie) = csrf_for(portal, client);
    let action = format!("{}/{lang}/subscribe", portal.settings.mount);
    let body = form_html(cat, lang, values, errors, &csrf, &action);
    let mut title = cat.t(lang, "subscribe-title", &[]);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        title = cat.t(lang, "portal-error-title", &[("title", &title)]);
        StatusCode::UNPROCESSABLE_ENTITY
    };
    with_cookie(html(status, cat.page(lang, &title, &body)), cookie)
}

/// `GET /{lang}/subscribe`: the form; `?topic=…&doc=…` tick topics in advance.
pub(super) async fn subscribe_form(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path(lang): Path<String>,
    Query(query): Query<Vec<(String, String)>>,
) -> Response {
    let cat = portal.catalogue();
    if !cat.has_language(&lang) {
        return not_found_in(&cat, &lang);
    }
    let (mut values, _) = validate(&cat, &lang, &query, false);
    values.email.clear();
    form_response(&portal, &client, &cat, &lang, &values, &[])
}

/// `POST /{lang}/subscribe`: from the site's form (`step=site`: the portal's form comes back
/// filled in, nothing is stored) or from the portal's own (CSRF, rate limits, validation, the
/// mail limits, then the store and the mail; the same answer for every address).
pub(super) async fn subscribe_submit(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path(lang): Path<String>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    let cat = portal.catalogue();
    if !cat.has_language(&lang) {
        return not_found_in(&cat, &lang);
    }
    let form: HashMap<String, String> = pairs
        .iter()
        .filter(|(k, _)| k == "csrf" || k == "step")
        .cloned()
        .collect();
    if form.get("step").is_some_and(|s| s == "site") && !form.contains_key("csrf") {
        // From the static site: show the portal's form with what was typed (cleaned), so the
        // visitor sees the consent sentence and sends it with a CSRF token.
        let (mut values, _) = validate(&cat, &lang, &pairs, false);
        values.email = clean(&values.email, 254);
        values.consent = false;
        return form_response(&portal, &client, &cat, &lang, &values, &[]);
    }
    if let Err(r) = checked_post(&portal, &cat, &lang, &client, &form, Limit::Subscribe).await {
        return r;
    }
    let (values, errors) = validate(&cat, &lang, &pairs, true);
    if !errors.is_empty() {
        return form_response(&portal, &client, &cat, &lang, &values, &errors);
    }
    let email = values.email.to_lowercase();
    let sent = || {
        message_page(
            &cat,
            &lang,
            StatusCode::OK,
            "subscribe-sent",
            &[
                ("email", &values.email),
                ("hours", &portal.settings.confirm_hours.to_string()),
            ],
        )
    };
    match mail_gate(&portal, &cat, &lang, &client, &email).await {
        Err(r) => return r,
        Ok(false) => return sent(),
        Ok(true) => {}
    }
    let new = NewSubscription {
        email: email.clone(),
        lang: lang.clone(),
        topics: values.topics.clone(),
        documents: values.documents.clone(),
        consent_text_sha256: crate::site::render::assets::sha256_hex(
            consent_text(&cat, &lang).as_bytes(),
        ),
    };
    let subscribed = match portal
        .store
        .subscribe(&new, &client.event(EventKind::SubscriptionRequested))
        .await
    {
        Ok(s) => s,
        Err(e) => return failed(&cat, &lang, &e),
    };
    let result = match &subscribed {
        Subscribed::New(s) | Subscribed::Renewed(s) => {
            let confirm = portal.confirmation_link(
                Purpose::SubscriptionConfirm,
                &s.id,
                &format!("{lang}/subscribe/confirm"),
            );
            send(&portal, &cat, &lang, s, "mail-subscribe-confirm", &confirm).await
        }
        // Already subscribed: the owner of the address gets its links, nothing changes, and
        // the page says what it says to everyone.
        Subscribed::Active(s) => send(&portal, &cat, &lang, s, "mail-subscribe-already", "").await,
    };
    if let Err(e) = result {
        return failed(&cat, &lang, &e);
    }
    sent()
}

/// Whether to mail `email` now: at most `portal.mail_limits.per_address_per_day` subscription
/// mails to one address a day (beyond that, `false`: the same answer and no mail, audited with
/// the address's SHA-256 only), and the portal-wide hourly ceiling.
async fn mail_gate(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    client: &Client,
    email: &str,
) -> Result<bool, Response> {
    let per_day = i64::from(portal.settings.mail_limits.per_address_per_day);
    let hash = super::store::subscriptions::address_sha256(email);
    let now = Utc::now().timestamp();
    match portal
        .store
        .hit(&format!("subscribe-mail:{hash}"), 86_400, now)
        .await
    {
        Ok((hits, _)) if hits > per_day => {
            let mut ev = client.event(EventKind::Failed);
            ev.detail = Some(format!(
                "no subscription mail sent to address sha256:{hash}: {hits} in 24 hours (limit {per_day})"
            ));
            if let Err(e) = portal.store.audit(&ev).await {
                return Err(failed(cat, lang, &e));
            }
            Ok(false)
        }
        Ok(_) => mail_ceiling(portal, cat, lang).await.map(|()| true),
        Err(e) => Err(failed(cat, lang, &e)),
    }
}

/// The preferences and unsubscribe links of subscriber `s`.
pub(super) fn manage_links(portal: &Portal, s: &Subscriber) -> (String, String) {
    let claims = LinkClaims {
        id: s.id.clone(),
        exp: Utc::now().timestamp() + MANAGE_DAYS * 86_400,
        n: token::nonce(),
    };
    let tok = token::sign(&portal.keys, Purpose::Subscription, &claims);
    let base = &portal.settings.public_url;
    (
        format!("{base}/{}/subscribe/preferences/{tok}", s.lang),
        format!("{base}/{}/unsubscribe/{tok}", s.lang),
    )
}

/// The topics of `s` in words, one per line.
fn topics_in_words(cat: &Catalogue, lang: &str, s: &Subscriber) -> String {
    let mut lines: Vec<String> = s
        .topics
        .iter()
        .map(|t| format!("- {}", cat.t(lang, &format!("subscribe-topic-{t}"), &[])))
        .collect();
    if s.documents.iter().any(|d| d == "*") {
        lines.push(format!(
            "- {}",
            cat.t(lang, "subscribe-topic-documents", &[])
        ));
    } else {
        for d in &s.documents {
            let title = cat
                .all_documents
                .iter()
                .find(|(id, _)| id == d)
                .and_then(|(_, t)| t.get(lang))
                .map_or(d.as_str(), String::as_str);
            lines.push(format!(
                "- {}",
                cat.t(lang, "subscribe-topic-document", &[("document", title)])
            ));
        }
    }
    lines.join("\n")
}

/// Mails subscriber `s` the message `key` (`<key>-subject`, `<key>-body`) in `lang`, with the
/// preferences and unsubscribe links in the body and the unsubscribe headers.
async fn send(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    s: &Subscriber,
    key: &str,
    confirm: &str,
) -> Result<(), super::mail::MailError> {
    let (preferences, unsubscribe) = manage_links(portal, s);
    let hours = portal.settings.confirm_hours.to_string();
    let topics = topics_in_words(cat, lang, s);
    let args = [
        ("site", portal.site_title(lang)),
        ("hours", hours.as_str()),
        ("link", confirm),
        ("topics", topics.as_str()),
        ("preferences", preferences.as_str()),
        ("unsubscribe", unsubscribe.as_str()),
    ];
    let body = format!(
        "{}\n\n{}",
        cat.t(lang, &format!("{key}-body"), &args),
        cat.t(lang, "mail-subscribe-footer", &args)
    );
    portal
        .mailer
        .send_to_subscriber(
            &s.email,
            &cat.t(lang, &format!("{key}-subject"), &args),
            &body,
            lang,
            &unsubscribe,
        )
        .await
}

/// A page with a heading, a paragraph and a form of one button.
#[allow(clippy::too_many_arguments)]
fn button_page(
    portal: &Portal,
    client: &Client,
    cat: &Catalogue,
    lang: &str,
    key: &str,
    args: &[(&str, &str)],
    action: &str,
    hidden: &str,
) -> Response {
    let (csrf, cookie) = csrf_for(portal, client);
    let title = cat.t(lang, &format!("{key}-title"), &[]);
    let body = format!(
        "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">{hidden}<p><button type=\"submit\">{}</button></p></form>",
        esc(&title),
        esc(&cat.t(lang, &format!("{key}-body"), args)),
        esc(action),
        esc(&csrf),
        esc(&cat.t(lang, &format!("{key}-button"), &[])),
    );
    with_cookie(html(StatusCode::OK, cat.page(lang, &title, &body)), cookie)
}

fn verify(portal: &Portal, purpose: Purpose, tok: &str) -> Option<String> {
    token::verify::<LinkClaims>(&portal.keys, purpose, tok, Utc::now().timestamp())
        .ok()
        .map(|c| c.id)
}

/// `GET /{lang}/subscribe/confirm/{token}`: a button (opening the link confirms nothing).
pub(super) async fn confirm_page(State(portal): State<Arc<Portal>>, link: Link) -> Response {
    let Link {
        cat,
        lang,
        tok,
        client,
    } = link;
    let Some(id) = verify(&portal, Purpose::SubscriptionConfirm, &tok) else {
        return denied(&cat, &lang);
    };
    let s = match portal.store.subscriber(&id).await {
        Ok(Some(s)) => s,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    if s.status == SubscriberStatus::Active {
        return message_page(&cat, &lang, StatusCode::OK, "subscribe-already", &[]);
    }
    let action = format!("{}/{lang}/subscribe/confirm/{tok}", portal.settings.mount);
    button_page(
        &portal,
        &client,
        &cat,
        &lang,
        "subscribe-confirm",
        &[("email", &s.email)],
        &action,
        "",
    )
}

/// `POST /{lang}/subscribe/confirm/{token}`: confirms (audited) and mails the welcome with the
/// subscriber's links.
pub(super) async fn confirm_submit(
    State(portal): State<Arc<Portal>>,
    post: super::guards::LinkPost,
) -> Response {
    let super::guards::LinkPost {
        cat,
        lang,
        tok,
        client,
        form: _,
    } = post;
    let Some(id) = verify(&portal, Purpose::SubscriptionConfirm, &tok) else {
        return denied(&cat, &lang);
    };
    let before = match portal.store.subscriber(&id).await {
        Ok(Some(s)) => s,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    if before.status == SubscriberStatus::Active {
        return message_page(&cat, &lang, StatusCode::OK, "subscribe-already", &[]);
    }
    let s = match portal
        .store
        .confirm_subscription(&id, &client.event(EventKind::SubscriptionConfirmed))
        .await
    {
        Ok(Some(s)) => s,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    let mail_lang = s.lang.clone();
    if let Err(e) = send(&portal, &cat, &mail_lang, &s, "mail-subscribe-welcome", "").await {
        return failed(&cat, &lang, &e);
    }
    message_page(
        &cat,
        &lang,
        StatusCode::OK,
        "subscribe-confirmed",
        &[("email", &s.email)],
    )
}

fn values_of(s: &Subscriber) -> Values {
    Values {
        email: s.email.clone(),
        topics: s.topics.clone(),
        documents: s.documents.clone(),
        consent: true,
    }
}

/// The preferences page: the topics, a save button, and the unsubscribe button.
#[allow(clippy::too_many_arguments)]
fn preferences_response(
    portal: &Portal,
    client: &Client,
    cat: &Catalogue,
    lang: &str,
    tok: &str,
    s: &Subscriber,
    values: &Values,
    errors: &[FieldError],
    saved: bool,
) -> Response {
    let (csrf, cookie) = csrf_for(portal, client);
    let t = |k: &str| cat.t(lang, k, &[]);
    let mount = &portal.settings.mount;
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&t("subscribe-preferences-title")),
        esc(&cat.t(lang, "subscribe-preferences-intro", &[("email", &s.email)]))
    );
    if saved {
        body.push_str(&format!(
            "<p class=\"notice\" role=\"status\">{}</p>",
            esc(&t("subscribe-preferences-saved"))
        ));
    }
    body.push_str(&error_summary(cat, lang, errors));
    body.push_str(&format!(
        "<form class=\"subscribe-form\" method=\"post\" action=\"{}\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"{}\">{}<p><button type=\"submit\">{}</button></p></form>",
        esc(&format!("{mount}/{lang}/subscribe/preferences/{tok}")),
        esc(&csrf),
        topics_fieldset(cat, lang, values, errors),
        esc(&t("subscribe-preferences-save"))
    ));
    body.push_str(&format!(
        "<h2>{}</h2><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\"><p><button type=\"submit\">{}</button></p></form>",
        esc(&t("subscribe-unsubscribe-title")),
        esc(&format!("{mount}/{lang}/unsubscribe/{tok}")),
        esc(&t("subscribe-unsubscribe-button"))
    ));
    let mut title = t("subscribe-preferences-title");
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        title = cat.t(lang, "portal-error-title", &[("title", &title)]);
        StatusCode::UNPROCESSABLE_ENTITY
    };
    with_cookie(html(status, cat.page(lang, &title, &body)), cookie)
}

/// `GET /{lang}/subscribe/preferences/{token}`.
pub(super) async fn preferences_page(State(portal): State<Arc<Portal>>, link: Link) -> Response {
    let Link {
        cat,
        lang,
        tok,
        client,
    } = link;
    let Some(id) = verify(&portal, Purpose::Subscription, &tok) else {
        return denied(&cat, &lang);
    };
    match portal.store.subscriber(&id).await {
        Ok(Some(s)) => {
            let values = values_of(&s);
            preferences_response(&portal, &client, &cat, &lang, &tok, &s, &values, &[], false)
        }
        Ok(None) => message_page(&cat, &lang, StatusCode::OK, "subscribe-unsubscribed", &[]),
        Err(e) => failed(&cat, &lang, &e),
    }
}

/// `POST /{lang}/subscribe/preferences/{token}`: new topics (CSRF, link rate limit), audited.
pub(super) async fn preferences_submit(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    let cat = portal.catalogue();
    let lang = super::guards::lang_or_default(&cat, &lang);
    let form: HashMap<String, String> =
        pairs.iter().filter(|(k, _)| k == "csrf").cloned().collect();
    if let Err(r) = checked_post(&portal, &cat, &lang, &client, &form, Limit::Link).await {
        return r;
    }
    let Some(id) = verify(&portal, Purpose::Subscription, &tok) else {
        return denied(&cat, &lang);
    };
    let s = match portal.store.subscriber(&id).await {
        Ok(Some(s)) => s,
        Ok(None) => {
            return message_page(&cat, &lang, StatusCode::OK, "subscribe-unsubscribed", &[]);
        }
        Err(e) => return failed(&cat, &lang, &e),
    };
    let (values, errors) = validate(&cat, &lang, &pairs, false);
    if !errors.is_empty() {
        return preferences_response(
            &portal, &client, &cat, &lang, &tok, &s, &values, &errors, false,
        );
    }
    let s = match portal
        .store
        .change_subscription(
            &id,
            &values.topics,
            &values.documents,
            &client.event(EventKind::SubscriptionChanged),
        )
        .await
    {
        Ok(Some(s)) => s,
        Ok(None) => {
            return message_page(&cat, &lang, StatusCode::OK, "subscribe-unsubscribed", &[]);
        }
        Err(e) => return failed(&cat, &lang, &e),
    };
    let values = values_of(&s);
    preferences_response(&portal, &client, &cat, &lang, &tok, &s, &values, &[], true)
}

/// `GET /{lang}/unsubscribe/{token}`: a button (opening the link unsubscribes nothing).
pub(super) async fn unsubscribe_page(State(portal): State<Arc<Portal>>, link: Link) -> Response {
    let Link {
        cat,
        lang,
        tok,
        client,
    } = link;
    let Some(id) = verify(&portal, Purpose::Subscription, &tok) else {
        return denied(&cat, &lang);
    };
    match portal.store.subscriber(&id).await {
        Ok(Some(s)) => {
            let action = format!("{}/{lang}/unsubscribe/{tok}", portal.settings.mount);
            button_page(
                &portal,
                &client,
                &cat,
                &lang,
                "subscribe-unsubscribe",
                &[("email", &s.email)],
                &action,
                "<input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">",
            )
        }
        Ok(None) => message_page(&cat, &lang, StatusCode::OK, "subscribe-unsubscribed", &[]),
        Err(e) => failed(&cat, &lang, &e),
    }
}

/// `POST /{lang}/unsubscribe/{token}`: RFC 8058's one-click unsubscribe (body
/// `List-Unsubscribe=One-Click`, sent by mail providers without a cookie) and the button of the
/// pages. The token authenticates it, so there is no CSRF token; the body is not read. Deletes
/// the subscriber (the audit row keeps the address's SHA-256 only); answers the same when the
/// address was already unsubscribed.
pub(super) async fn unsubscribe(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, tok)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    let lang = super::guards::lang_or_default(&cat, &lang);
    if let Err(r) = rate_limit(&portal, &cat, &lang, &client, Limit::Link).await {
        return r;
    }
    let Some(id) = verify(&portal, Purpose::Subscription, &tok) else {
        return denied(&cat, &lang);
    };
    if let Err(e) = portal.store.unsubscribe(&id).await {
        return failed(&cat, &lang, &e);
    }
    message_page(&cat, &lang, StatusCode::OK, "subscribe-unsubscribed", &[])
}
