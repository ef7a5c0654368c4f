//! Objections to subprocessor changes (issue 19): every notice of a change links to
//! `{mount}/{lang}/objection/{change id}`, a form that shows the change (subprocessor, kind,
//! effective date, objection deadline) and asks for the company, the contact person, the
//! address and the reason.
//!
//! The rules of [`super::request`] hold: GET changes nothing, every POST carries the CSRF token,
//! the answer to the form is the same for every address (no enumeration), mail to unproven
//! addresses is limited per address and portal-wide, the form per network. The objector proves
//! the address by a POST from the mailed link; only then is it an objection: recorded with the
//! evidence of the address's standing (an active grant, a confirmed subscription), audited,
//! mailed to the privacy team (`contacts.privacy`) and acknowledged to the customer in the
//! form's language with its reference. An objection after the deadline is accepted and marked
//! late.
//!
//! Changes come from the build ([`crate::site::published`]): a change is objectable once
//! announced, unless it is a removal.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{NaiveDate, Utc};

use super::app::{Catalogue, Portal};
use super::audit::EventKind;
use super::guards::{
    Charset, Client, Limit, Link, LinkPost, MailGate, checked_post, confirmation_mail_gate,
    csrf_for, defang, denied, failed, field_problem, html, lang_or_default, message_page,
    valid_email, with_cookie,
};
use super::keys::Purpose;
use super::pages::{self, FieldError};
use super::store::objections::{Confirmed, NewObjection, Objection};
use super::token::{self, LinkClaims};
use crate::site::render::xml_escape as esc;
use crate::site::subprocessors::{Change, ChangeKind, objection_deadline};

/// Longest reason (characters).
const REASON_MAX: usize = 4000;

/// What the form holds.
#[derive(Debug, Default, Clone)]
struct Values {
    company: String,
    name: String,
    email: String,
    reason: String,
}

/// The change `id`, when it is announced today (and the site has language `lang`).
fn find<'c>(cat: &'c Catalogue, lang: &str, id: &str) -> Option<&'c Change> {
    let today = Utc::now().date_naive();
    cat.has_language(lang)
        .then(|| {
            cat.subprocessor_changes
                .iter()
                .find(|c| c.announced(today) && c.id() == id)
        })
        .flatten()
}

/// The last day to object: the change's objection deadline, or for a change that took effect
/// when it was announced (no `effective`), the day before that.
fn deadline(change: &Change) -> NaiveDate {
    change
        .objection_deadline()
        .unwrap_or_else(|| objection_deadline(change.effective_date()))
}

fn kind_str(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Changed => "changed",
    }
}

fn day(cat: &Catalogue, lang: &str, date: NaiveDate) -> String {
    cat.locales
        .format_date(lang, date)
        .unwrap_or_else(|_| date.to_string())
}

fn day_of(cat: &Catalogue, lang: &str, ymd: &str) -> String {
    ymd.parse::<NaiveDate>()
        .map_or_else(|_| ymd.to_owned(), |d| day(cat, lang, d))
}

/// Checks the form; the values (trimmed, the reason's line ends as `\n`) and the problems,
/// each naming its field. Every field refuses control characters but the reason's line breaks
/// and tabs, so nothing the objector types can start a mail header line.
fn validate(
    cat: &Catalogue,
    lang: &str,
    form: &HashMap<String, String>,
) -> (Values, Vec<FieldError>) {
    let get = |k: &str| form.get(k).map(|v| v.trim().to_owned()).unwrap_or_default();
    let values = Values {
        company: get("company"),
        name: get("name"),
        email: get("email"),
        reason: get("reason").replace("\r\n", "\n"),
    };
    let checks: [(&'static str, &str, usize, Charset, &str, &str); 4] = [
        (
            "company",
            &values.company,
            150,
            Charset::Organisation,
            "portal-error-company",
            "objection-form-company",
        ),
        (
            "name",
            &values.name,
            100,
            Charset::PersonName,
            "portal-error-name",
            "objection-form-name",
        ),
        (
            "email",
            &values.email,
            254,
            Charset::Line,
            "portal-error-email",
            "objection-form-email",
        ),
        (
            "reason",
            &values.reason,
            REASON_MAX,
            Charset::Lines,
            "objection-error-reason",
            "objection-form-reason",
        ),
    ];
    let mut errors = Vec::new();
    for (field, value, max, charset, missing, label) in checks {
        let label = cat.t(lang, label, &[]);
        let message = if value.is_empty() {
            Some(cat.t(lang, missing, &[]))
        } else if let Some(problem) = field_problem(cat, lang, &label, value, max, charset) {
            Some(problem)
        } else if field == "reason" && value.contains('\r') {
            // A carriage return without its line feed: not a line break any mail keeps.
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
    (values, errors)
}

/// The change as the form and the confirmation page show it: a definition list.
fn change_html(cat: &Catalogue, lang: &str, change: &Change) -> String {
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let description = change
        .description
        .get(lang)
        .or_else(|| change.description.get(&cat.default_lang))
        .map(String::as_str)
        .unwrap_or_default();
    format!(
        "<dl class=\"objection-change\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd><time datetime=\"{}\">{}</time></dd><dt>{}</dt><dd><time datetime=\"{}\">{}</time></dd></dl>",
        t("objection-change"),
        esc(&cat.t(
            lang,
            &format!("sub-change-{}", kind_str(change.kind)),
            &[("name", &change.name)]
        )),
        t("objection-description"),
        esc(description),
        t("objection-effective"),
        change.effective_date(),
        esc(&day(cat, lang, change.effective_date())),
        t("objection-deadline"),
        deadline(change),
        esc(&day(cat, lang, deadline(change))),
    )
}

/// The objection form.
fn form_html(
    cat: &Catalogue,
    lang: &str,
    change: &Change,
    values: &Values,
    errors: &[FieldError],
    csrf: &str,
    action: &str,
) -> String {
    let t = |k: &str| cat.t(lang, k, &[]);
    let req = t("portal-required");
    let mut out = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&cat.t(lang, "objection-title", &[("name", &change.name)])),
        esc(&t("objection-intro"))
    );
    out.push_str(&change_html(cat, lang, change));
    if Utc::now().date_naive() > deadline(change) {
        out.push_str(&format!(
            "<p class=\"notice-box\" role=\"note\">{}</p>",
            esc(&cat.t(
                lang,
                "objection-late-note",
                &[("date", &day(cat, lang, deadline(change)))]
            ))
        ));
    }
    if !errors.is_empty() {
        out.push_str(&format!(
            "<div class=\"form-errors\" role=\"alert\" tabindex=\"-1\" id=\"form-errors\" aria-labelledby=\"form-errors-title\" autofocus><h2 id=\"form-errors-title\">{}</h2><ul>",
            esc(&t("portal-errors-heading"))
        ));
        for e in errors {
            out.push_str(&format!(
                "<li><a href=\"#{}\">{}</a></li>",
                e.field,
                esc(&e.message)
            ));
        }
        out.push_str("</ul></div>");
    }
    out.push_str(&format!(
        "<form class=\"request-form objection-form\" method=\"post\" action=\"{}\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(action),
        esc(csrf)
    ));
    let inputs = [
        (
            "company",
            "objection-form-company",
            format!(
                "<input id=\"company\" name=\"company\" autocomplete=\"organization\" required maxlength=\"150\" value=\"{}\"{{attrs}}>",
                esc(&values.company)
            ),
        ),
        (
            "name",
            "objection-form-name",
            format!(
                "<input id=\"name\" name=\"name\" autocomplete=\"name\" required maxlength=\"100\" value=\"{}\"{{attrs}}>",
                esc(&values.name)
            ),
        ),
        (
            "email",
            "objection-form-email",
            format!(
                "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required maxlength=\"254\" value=\"{}\"{{attrs}}>",
                esc(&values.email)
            ),
        ),
        (
            "reason",
            "objection-form-reason",
            format!(
                "<textarea id=\"reason\" name=\"reason\" rows=\"6\" required maxlength=\"{REASON_MAX}\"{{attrs}}>{}</textarea>",
                esc(&values.reason)
            ),
        ),
    ];
    for (id, label, input) in inputs {
        out.push_str(&pages::field(id, &t(label), &input, errors, &req));
    }
    out.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p></form>",
        esc(&t("objection-submit"))
    ));
    out
}

#[allow(clippy::too_many_arguments)]
fn form_response(
    portal: &Portal,
    client: &Client,
    cat: &Catalogue,
    lang: &str,
    change: &Change,
    values: &Values,
    errors: &[FieldError],
) -> Response {
    let (csrf, cookie) = csrf_for(portal, client);
    let action = format!("{}/{lang}/objection/{}", portal.settings.mount, change.id());
    let body = form_html(cat, lang, change, values, errors, &csrf, &action);
    let mut title = cat.t(lang, "objection-title", &[("name", &change.name)]);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        title = cat.t(lang, "portal-error-title", &[("title", &title)]);
        StatusCode::UNPROCESSABLE_ENTITY
    };
    with_cookie(html(status, cat.page(lang, &title, &body)), cookie)
}

/// The page for a change that cannot be objected to (a removal).
fn not_objectable(cat: &Catalogue, lang: &str, change: &Change) -> Response {
    message_page(
        cat,
        lang,
        StatusCode::OK,
        "objection-removal",
        &[("name", &change.name)],
    )
}

/// The page for an address that names no announced change (a mistyped or stale link): 404,
/// in the visitor's language, with the way back to the trust center.
/// An unknown language gets the page in the default one.
fn unknown_change(portal: &Portal, cat: &Catalogue, lang: &str) -> Response {
    let lang = lang_or_default(cat, lang);
    let lang = lang.as_str();
    let title = cat.t(lang, "objection-unknown-title", &[]);
    let home = format!("{}/{lang}/", portal.settings.site_url.trim_end_matches('/'));
    let body = pages::message(
        &title,
        &cat.t(lang, "objection-unknown-body", &[]),
        Some((&home, &cat.t(lang, "not-found-home", &[]))),
    );
    html(StatusCode::NOT_FOUND, cat.page(lang, &title, &body))
}

/// `GET /{lang}/objection/{change}`: the form.
pub(super) async fn objection_form(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, change_id)): Path<(String, String)>,
) -> Response {
    let cat = portal.catalogue();
    let Some(change) = find(&cat, &lang, &change_id) else {
        return unknown_change(&portal, &cat, &lang);
    };
    if change.kind == ChangeKind::Removed {
        return not_objectable(&cat, &lang, change);
    }
    form_response(
        &portal,
        &client,
        &cat,
        &lang,
        change,
        &Values::default(),
        &[],
    )
}

/// `POST /{lang}/objection/{change}`: CSRF, rate limit, validation, the mail limits, then the
/// unconfirmed objection and the mail with the link; the same answer for every address.
pub(super) async fn objection_submit(
    State(portal): State<Arc<Portal>>,
    client: Client,
    Path((lang, change_id)): Path<(String, String)>,
    axum::Form(form): axum::Form<HashMap<String, String>>,
) -> Response {
    let cat = portal.catalogue();
    let Some(change) = find(&cat, &lang, &change_id) else {
        return unknown_change(&portal, &cat, &lang);
    };
    if change.kind == ChangeKind::Removed {
        return not_objectable(&cat, &lang, change);
    }
    if let Err(r) = checked_post(&portal, &cat, &lang, &client, &form, Limit::Objection).await {
        return r;
    }
    let (values, errors) = validate(&cat, &lang, &form);
    if !errors.is_empty() {
        return form_response(&portal, &client, &cat, &lang, change, &values, &errors);
    }
    let hours = portal.settings.confirm_hours.to_string();
    let sent = || {
        message_page(
            &cat,
            &lang,
            StatusCode::OK,
            "objection-sent",
            &[("email", &values.email), ("hours", &hours)],
        )
    };
    match confirmation_mail_gate(&portal, &cat, &lang, &client, &values.email).await {
        Err(r) => return r,
        Ok(MailGate::Quiet) => return sent(),
        Ok(MailGate::Send) => {}
    }
    let now = Utc::now();
    let new = NewObjection {
        change_id: change.id(),
        subprocessor: change.name.clone(),
        kind: kind_str(change.kind).to_owned(),
        effective: change.effective_date().to_string(),
        deadline: deadline(change).to_string(),
        company: values.company.clone(),
        contact: values.name.clone(),
        email: values.email.clone(),
        reason: values.reason.clone(),
        lang: lang.clone(),
        late: now.date_naive() > deadline(change),
    };
    let stale_before = now.timestamp() - i64::from(portal.settings.confirm_hours) * 3600;
    let objection = match portal
        .store
        .create_objection(
            &new,
            stale_before,
            &client.event(EventKind::ObjectionRequested),
        )
        .await
    {
        Ok(o) => o,
        Err(e) => return failed(&cat, &lang, &e),
    };
    let link = portal.confirmation_link(
        Purpose::ObjectionConfirm,
        &objection.id,
        &format!("{lang}/objection/confirm"),
    );
    // Nothing the objector wrote: the address is not proven yet.
    let args = [
        ("name", change.name.as_str()),
        ("site", portal.site_title(&lang)),
        ("hours", hours.as_str()),
        ("link", link.as_str()),
    ];
    if let Err(e) = portal
        .mailer
        .send(
            &objection.email,
            &cat.t(&lang, "mail-objection-confirm-subject", &args),
            &cat.t(&lang, "mail-objection-confirm-body", &args),
        )
        .await
    {
        return failed(&cat, &lang, &e);
    }
    sent()
}

fn verify(portal: &Portal, tok: &str) -> Option<String> {
    token::verify::<LinkClaims>(
        &portal.keys,
        Purpose::ObjectionConfirm,
        tok,
        Utc::now().timestamp(),
    )
    .ok()
    .map(|c| c.id)
}

/// `GET /{lang}/objection/confirm/{token}`: what will be sent, and a button (opening the link
/// confirms nothing).
pub(super) async fn confirm_page(State(portal): State<Arc<Portal>>, link: Link) -> Response {
    let Link {
        cat,
        lang,
        tok,
        client,
    } = link;
    let Some(id) = verify(&portal, &tok) else {
        return denied(&cat, &lang);
    };
    let o = match portal.store.objection(&id).await {
        Ok(Some(o)) => o,
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    if o.confirmed_at.is_some() {
        return message_page(
            &cat,
            &lang,
            StatusCode::OK,
            "objection-already",
            &[("reference", &o.id)],
        );
    }
    let (csrf, cookie) = csrf_for(&portal, &client);
    let t = |k: &str| esc(&cat.t(&lang, k, &[]));
    let title = cat.t(&lang, "objection-confirm-title", &[]);
    let action = format!("{}/{lang}/objection/confirm/{tok}", portal.settings.mount);
    let body = format!(
        "<h1>{}</h1><p>{}</p><dl class=\"objection-change\"><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd>{}</dd><dt>{}</dt><dd class=\"pre-line\">{}</dd></dl><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><p><button type=\"submit\">{}</button></p></form>",
        esc(&title),
        esc(&cat.t(&lang, "objection-confirm-body", &[("email", &o.email)])),
        t("objection-change"),
        esc(&cat.t(
            &lang,
            &format!("sub-change-{}", o.kind),
            &[("name", &o.subprocessor)]
        )),
        t("objection-form-company"),
        esc(&o.company),
        t("objection-form-name"),
        esc(&o.contact),
        t("objection-form-email"),
        esc(&o.email),
        t("objection-form-reason"),
        esc(&o.reason),
        esc(&action),
        esc(&csrf),
        t("objection-confirm-button"),
    );
    with_cookie(html(StatusCode::OK, cat.page(&lang, &title, &body)), cookie)
}

/// `POST /{lang}/objection/confirm/{token}`: the objection is recorded (audited), the privacy
/// team told, the customer's receipt mailed.
pub(super) async fn confirm_submit(State(portal): State<Arc<Portal>>, post: LinkPost) -> Response {
    let LinkPost {
        cat,
        lang,
        tok,
        client,
        form: _,
    } = post;
    let Some(id) = verify(&portal, &tok) else {
        return denied(&cat, &lang);
    };
    let o = match portal
        .store
        .confirm_objection(&id, &client.event(EventKind::ObjectionConfirmed))
        .await
    {
        Ok(Some(Confirmed::New(o))) => o,
        Ok(Some(Confirmed::Already(o))) => {
            return message_page(
                &cat,
                &lang,
                StatusCode::OK,
                "objection-already",
                &[("reference", &o.id)],
            );
        }
        Ok(None) => return denied(&cat, &lang),
        Err(e) => return failed(&cat, &lang, &e),
    };
    // Recorded and audited: the objector is told so whatever the mail does. A mail that
    // fails now is sent again by the portal's housekeeping (see [`deliver`]).
    deliver(&portal, &cat, &o).await;
    let key = if o.late {
        "objection-received-late"
    } else {
        "objection-received"
    };
    message_page(
        &cat,
        &lang,
        StatusCode::OK,
        key,
        &[
            ("reference", &o.id),
            ("email", &o.email),
            ("date", &day_of(&cat, &lang, &o.deadline)),
        ],
    )
}

/// How long a sender holds an objection's mails before another may send them (seconds).
const MAIL_LEASE: i64 = 600;
/// How long after a failed delivery the mails are due again (seconds).
const MAIL_RETRY: i64 = 300;

/// Sends the mails of a confirmed objection when they are due and no other sender holds them:
/// claimed in the store first, then sent, then settled (sent, or due again in five minutes).
/// `true` when this call sent them. Failures are logged without addresses; the objection
/// stands either way.
pub(crate) async fn deliver(portal: &Portal, cat: &Catalogue, o: &Objection) -> bool {
    let now = Utc::now().timestamp();
    let claim = match portal
        .store
        .claim_objection_mail(&o.id, now, MAIL_LEASE)
        .await
    {
        Ok(Some(claim)) => claim,
        Ok(None) => return false,
        Err(e) => {
            eprintln!("portal: objection {}: cannot claim its mails: {e}", o.id);
            return false;
        }
    };
    let sent = match notify(portal, cat, o).await {
        Ok(()) => true,
        Err(e) => {
            eprintln!(
                "portal: objection {}: its mails failed and are due again in {} minutes: {}",
                o.id,
                MAIL_RETRY / 60,
                e.redacted()
            );
            false
        }
    };
    let retry = (!sent).then(|| Utc::now().timestamp() + MAIL_RETRY);
    match portal
        .store
        .settle_objection_mail(&o.id, claim, retry)
        .await
    {
        Ok(true) => {}
        Ok(false) => eprintln!(
            "portal: objection {}: its mails took longer than the lease; another sender holds them now",
            o.id
        ),
        Err(e) => eprintln!("portal: objection {}: cannot record its mails: {e}", o.id),
    }
    sent
}

/// Mails the privacy team (in the site's default language, what the objector wrote defanged)
/// and the objector's receipt (in the form's language).
async fn notify(
    portal: &Portal,
    cat: &Catalogue,
    o: &Objection,
) -> Result<(), super::mail::MailError> {
    let team = &cat.default_lang;
    let received = chrono::DateTime::from_timestamp(o.received_at, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default();
    let standing = match (&o.grant_id, o.subscribed) {
        (Some(g), true) => cat.t(
            team,
            "mail-objection-standing-both",
            &[("grant", g.as_str())],
        ),
        (Some(g), false) => cat.t(
            team,
            "mail-objection-standing-grant",
            &[("grant", g.as_str())],
        ),
        (None, true) => cat.t(team, "mail-objection-standing-subscriber", &[]),
        (None, false) => cat.t(team, "mail-objection-standing-address", &[]),
    };
    let change = cat.t(
        team,
        &format!("sub-change-{}", o.kind),
        &[("name", &o.subprocessor)],
    );
    let late = if o.late {
        cat.t(team, "mail-objection-late-yes", &[])
    } else {
        cat.t(team, "mail-objection-late-no", &[])
    };
    let (company, contact, reason) = (defang(&o.company), defang(&o.contact), defang(&o.reason));
    let team_args = [
        ("reference", o.id.as_str()),
        ("change", change.as_str()),
        ("change_id", o.change_id.as_str()),
        ("name", o.subprocessor.as_str()),
        ("effective", o.effective.as_str()),
        ("deadline", o.deadline.as_str()),
        ("received", received.as_str()),
        ("late", late.as_str()),
        ("company", company.as_str()),
        ("contact", contact.as_str()),
        ("email", o.email.as_str()),
        ("standing", standing.as_str()),
        ("lang", o.lang.as_str()),
        ("reason", reason.as_str()),
    ];
    portal
        .mailer
        .send(
            &portal.settings.contact,
            &cat.t(team, "mail-objection-team-subject", &team_args),
            &cat.t(team, "mail-objection-team-body", &team_args),
        )
        .await?;
    let lang = &o.lang;
    let change = cat.t(
        lang,
        &format!("sub-change-{}", o.kind),
        &[("name", &o.subprocessor)],
    );
    let deadline = day_of(cat, lang, &o.deadline);
    let received_day = cat.date(lang, o.received_at);
    let args = [
        ("reference", o.id.as_str()),
        ("change", change.as_str()),
        ("name", o.subprocessor.as_str()),
        ("site", portal.site_title(lang)),
        ("date", received_day.as_str()),
        ("deadline", deadline.as_str()),
        ("contact", portal.settings.contact.as_str()),
    ];
    let mut body = cat.t(lang, "mail-objection-ack-body", &args);
    if o.late {
        body.push_str("\n\n");
        body.push_str(&cat.t(lang, "mail-objection-ack-late", &args));
    }
    portal
        .mailer
        .send(
            &o.email,
            &cat.t(lang, "mail-objection-ack-subject", &args),
            &body,
        )
        .await
}
