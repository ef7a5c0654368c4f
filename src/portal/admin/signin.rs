//! Signing in to the console: the address gets a one-time link; opening it shows a button, and
//! only the POST of that button uses the link (a mail scanner that fetches links uses nothing);
//! then the second factor, enrolled on the first sign-in. Every step starts a new session secret
//! (no fixation), every step is audited, and the answer to an address is the same whether it is
//! an admin's or not.

use std::sync::Arc;

use axum::extract::{FromRequestParts, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::session::{self, AdminForm, refused, with_cookie};
use super::totp;
use super::view::{self, esc};
use super::webauthn;
use crate::portal::app::{Catalogue, Portal};
use crate::portal::audit::EventKind;
use crate::portal::guards::{Client, failed, html, lang_or_default, valid_email};
use crate::portal::keys::Purpose;
use crate::portal::token;

/// How long a sign-in link is good for.
const LINK_MINUTES: i64 = 15;
/// Sign-in links one address may be sent in an hour.
const LINKS_PER_ADDRESS_PER_HOUR: i64 = 5;
/// Sign-in forms one network may send in ten minutes.
const SIGN_INS_PER_NETWORK: i64 = 10;
/// Wrong second-factor codes a session may enter before it ends.
const CODE_ATTEMPTS: i64 = 5;

fn start(portal: &Portal, lang: &str) -> String {
    format!("{}/{lang}/requests", portal.settings.admin_mount)
}

/// `GET /{lang}/sign-in`.
pub(crate) async fn sign_in_form(
    State(portal): State<Arc<Portal>>,
    Path(lang): Path<String>,
    client: Client,
    headers: HeaderMap,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if let Ok(Some((s, _))) = session::session_of(&portal, &headers, &client).await
        && s.stage == "active"
    {
        return Redirect::to(&start(&portal, &lang)).into_response();
    }
    html(StatusCode::OK, sign_in_page(&portal, &cat, &lang, None))
}

fn sign_in_page(portal: &Portal, cat: &Catalogue, lang: &str, note: Option<&str>) -> String {
    let t = |k: &str| cat.t(lang, k, &[]);
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&t("admin-sign-in-title")),
        esc(&t("admin-sign-in-intro"))
    );
    if let Some(note) = note {
        body.push_str(&format!(
            "<p class=\"notice-box\" role=\"status\">{}</p>",
            esc(note)
        ));
    }
    body.push_str(&format!(
        "<form method=\"post\" action=\"{}/{lang}/sign-in\"><p><label for=\"email\">{}</label>\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required maxlength=\"254\"></p>\
         <p><button type=\"submit\">{}</button></p></form>",
        esc(&portal.settings.admin_mount),
        esc(&t("admin-sign-in-email")),
        esc(&t("admin-sign-in-send"))
    ));
    cat.page(lang, &t("admin-sign-in-title"), &body)
}

/// `POST /{lang}/sign-in`: the same answer for every address; a link only to an admin's.
pub(crate) async fn sign_in_submit(
    State(portal): State<Arc<Portal>>,
    Path(lang): Path<String>,
    client: Client,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if client.cross_site() {
        return refused(&cat, &lang, "admin-form-expired");
    }
    let now = Utc::now().timestamp();
    match portal
        .store
        .hit(&format!("admin-sign-in:{}", client.network()), 600, now)
        .await
    {
        Ok((hits, _)) if hits <= SIGN_INS_PER_NETWORK => {}
        Ok(_) => {
            let mut ev = client.event(EventKind::Failed);
            ev.detail = Some("console sign-in: too many attempts from this network".into());
            let _ = portal.store.audit(&ev).await;
            return view::message(&cat, &lang, StatusCode::TOO_MANY_REQUESTS, "admin-limited");
        }
        Err(e) => return failed(&cat, &lang, &e),
    }
    let email = form
        .iter()
        .find(|(k, _)| k == "email")
        .map(|(_, v)| v.trim().to_ascii_lowercase())
        .unwrap_or_default();
    let answer = cat.t(&lang, "admin-sign-in-sent", &[]);
    if !valid_email(&email) || email.len() > 254 {
        return html(
            StatusCode::OK,
            sign_in_page(
                &portal,
                &cat,
                &lang,
                Some(&cat.t(&lang, "admin-sign-in-invalid", &[])),
            ),
        );
    }
    // Whatever happens next happens after the answer, so that its timing tells nothing.
    let task_portal = Arc::clone(&portal);
    let task_lang = lang.clone();
    tokio::spawn(async move {
        send_link(&task_portal, &client, &task_lang, &email, now).await;
    });
    html(
        StatusCode::OK,
        sign_in_page(&portal, &cat, &lang, Some(&answer)),
    )
}

/// Mails a sign-in link to `email` when it is an admin's and has not had its share this hour;
/// audits either way (a non-admin address by its hash only).
async fn send_link(portal: &Portal, client: &Client, lang: &str, email: &str, now: i64) {
    let mut ev = client.event(EventKind::Failed);
    if session::role_of(portal, email).is_none() {
        ev.detail = Some(format!(
            "console sign-in asked for an address that is not an admin's (sha256 {})",
            &session::hash(email)[..16]
        ));
        let _ = portal.store.audit(&ev).await;
        return;
    }
    match portal
        .store
        .hit(&format!("admin-link:{}", session::hash(email)), 3600, now)
        .await
    {
        Ok((hits, _)) if hits <= LINKS_PER_ADDRESS_PER_HOUR => {}
        Ok(_) => {
            ev.email = Some(email.to_owned());
            ev.detail = Some("console sign-in: no link sent, too many this hour".into());
            let _ = portal.store.audit(&ev).await;
            return;
        }
        Err(e) => {
            eprintln!("portal: console sign-in: {e}");
            return;
        }
    }
    let nonce = token::nonce() + &token::nonce();
    let exp = now + LINK_MINUTES * 60;
    let claims = token::LinkClaims {
        id: nonce.clone(),
        exp,
        n: token::nonce(),
    };
    let link = format!(
        "{}/{lang}/link/{}",
        portal.settings.admin_url,
        token::sign(&portal.keys, Purpose::AdminLink, &claims)
    );
    if let Err(e) = portal
        .store
        .create_admin_link(
            email,
            &session::hash(&nonce),
            exp,
            &client.event(EventKind::AdminLinkSent),
        )
        .await
    {
        eprintln!("portal: console sign-in: {e}");
        return;
    }
    let cat = portal.catalogue();
    let minutes = LINK_MINUTES.to_string();
    let args = [
        ("link", link.as_str()),
        ("minutes", minutes.as_str()),
        ("site", portal.site_title(lang)),
    ];
    if let Err(e) = portal
        .mailer
        .send(
            email,
            &cat.t(lang, "admin-mail-subject", &args),
            &cat.t(lang, "admin-mail-body", &args),
        )
        .await
    {
        eprintln!("portal: cannot send a console sign-in link: {e}");
    }
}

/// The nonce a sign-in link names, if its signature and expiry hold.
fn link_nonce(portal: &Portal, tok: &str) -> Option<String> {
    token::verify::<token::LinkClaims>(
        &portal.keys,
        Purpose::AdminLink,
        tok,
        Utc::now().timestamp(),
    )
    .ok()
    .map(|c| c.id)
}

/// `GET /{lang}/link/{token}`: a button that signs in; the link itself is not used yet.
pub(crate) async fn link_page(
    State(portal): State<Arc<Portal>>,
    Path((lang, tok)): Path<(String, String)>,
    client: Client,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if link_nonce(&portal, &tok).is_none() {
        audit_bad_link(
            &portal,
            &client,
            "a forged or expired console sign-in link was opened",
        )
        .await;
        return refused(&cat, &lang, "admin-link-invalid");
    }
    let t = |k: &str| cat.t(&lang, k, &[]);
    let body = format!(
        "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}/{lang}/link/{}\"><p><button type=\"submit\">{}</button></p></form>",
        esc(&t("admin-link-title")),
        esc(&t("admin-link-intro")),
        esc(&portal.settings.admin_mount),
        esc(&tok),
        esc(&t("admin-link-button"))
    );
    html(
        StatusCode::OK,
        cat.page(&lang, &t("admin-link-title"), &body),
    )
}

async fn audit_bad_link(portal: &Portal, client: &Client, why: &str) {
    let mut ev = client.event(EventKind::Failed);
    ev.detail = Some(why.to_owned());
    if let Err(e) = portal.store.audit(&ev).await {
        eprintln!("portal: cannot audit a refused console sign-in: {e}");
    }
}

/// `POST /{lang}/link/{token}`: uses the link once and starts a session at its second factor.
pub(crate) async fn link_use(
    State(portal): State<Arc<Portal>>,
    Path((lang, tok)): Path<(String, String)>,
    client: Client,
) -> Response {
    let cat = portal.catalogue();
    let lang = lang_or_default(&cat, &lang);
    if client.cross_site() {
        return refused(&cat, &lang, "admin-form-expired");
    }
    let now = Utc::now().timestamp();
    let Some(nonce) = link_nonce(&portal, &tok) else {
        audit_bad_link(
            &portal,
            &client,
            "a forged or expired console sign-in link was used",
        )
        .await;
        return refused(&cat, &lang, "admin-link-invalid");
    };
    let email = match portal
        .store
        .use_admin_link(&session::hash(&nonce), now)
        .await
    {
        Ok(Some(email)) => email,
        Ok(None) => {
            audit_bad_link(
                &portal,
                &client,
                "a console sign-in link was used again or had expired",
            )
            .await;
            return refused(&cat, &lang, "admin-link-invalid");
        }
        Err(e) => return failed(&cat, &lang, &e),
    };
    if session::role_of(&portal, &email).is_none() {
        audit_bad_link(
            &portal,
            &client,
            "a console sign-in link of an address that is no longer an admin's",
        )
        .await;
        return refused(&cat, &lang, "admin-link-invalid");
    }
    let factors = match portal.store.factors(&email).await {
        Ok(f) => f,
        Err(e) => return failed(&cat, &lang, &e),
    };
    let stage = if factors.is_empty() {
        "enrol"
    } else {
        "second_factor"
    };
    let (secret, id_hash) = session::new_secret();
    if let Err(e) = portal
        .store
        .create_session(
            &id_hash,
            &email,
            stage,
            &client.event(EventKind::AdminLinkUsed),
        )
        .await
    {
        return failed(&cat, &lang, &e);
    }
    with_cookie(
        Redirect::to(&format!(
            "{}/{lang}/second-factor",
            portal.settings.admin_mount
        ))
        .into_response(),
        session::cookie(&portal, &client, &secret),
    )
}

/// A session between its sign-in link and its second factor.
pub(crate) struct Pending {
    pub(crate) email: String,
    pub(crate) stage: String,
    pub(crate) id_hash: String,
    pub(crate) lang: String,
    pub(crate) cat: Arc<Catalogue>,
    pub(crate) client: Client,
}

impl FromRequestParts<Arc<Portal>> for Pending {
    type Rejection = Response;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        portal: &Arc<Portal>,
    ) -> Result<Self, Response> {
        let Ok(client) = Client::from_request_parts(parts, portal).await;
        let cat = portal.catalogue();
        let lang = session::path_lang(&cat, parts.uri.path());
        let found = session::session_of(portal, &parts.headers, &client)
            .await
            .map_err(|e| failed(&cat, &lang, &e))?;
        match found {
            Some((s, _)) if s.stage == "enrol" || s.stage == "second_factor" => Ok(Pending {
                email: s.email,
                stage: s.stage,
                id_hash: s.id_hash,
                lang,
                cat,
                client,
            }),
            Some((s, _)) if s.stage == "active" => {
                Err(Redirect::to(&start(portal, &lang)).into_response())
            }
            _ => Err(
                Redirect::to(&format!("{}/{lang}/sign-in", portal.settings.admin_mount))
                    .into_response(),
            ),
        }
    }
}

/// `GET /{lang}/second-factor`: on the first sign-in, the choice between creating a passkey
/// and enrolling an authenticator app (a new TOTP secret each time the page is shown); later,
/// the admin's passkey and the code form, as the admin has them. The passkey parts are shown
/// by `passkey.js`; without JavaScript the code form works alone.
pub(crate) async fn second_factor_page(
    State(portal): State<Arc<Portal>>,
    headers: HeaderMap,
    p: Pending,
) -> Response {
    let Pending {
        email,
        stage,
        id_hash,
        lang,
        cat,
        client,
    } = p;
    let t = |k: &str| cat.t(&lang, k, &[]);
    let csrf = session::csrf_token(&portal, &id_hash);
    let mount = esc(&portal.settings.admin_mount);
    let can_passkey = webauthn::relying_party(&portal, &headers, &client).is_some();
    let factors = match portal.store.factors(&email).await {
        Ok(f) => f,
        Err(e) => return failed(&cat, &lang, &e),
    };
    let has_passkey = factors.iter().any(|f| f.kind == "passkey");
    let has_totp = factors.iter().any(|f| f.kind == "totp");
    let passkey_form = |title: &str, intro: &str, button: &str| {
        format!(
            "<section class=\"passkey\" hidden aria-labelledby=\"passkey-title\"><h2 id=\"passkey-title\">{}</h2><p>{}</p>\
             <form class=\"passkey-form\" method=\"post\" action=\"{mount}/{lang}/second-factor/passkey\" \
             data-options=\"{mount}/{lang}/second-factor/passkey/options\" data-mode=\"{}\" data-working=\"{}\" data-cancelled=\"{}\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"response\" value=\"\">\
             <p><button type=\"submit\">{}</button></p><p class=\"passkey-status\" role=\"status\"></p></form></section>",
            esc(&t(title)),
            esc(&t(intro)),
            if stage == "enrol" { "create" } else { "get" },
            esc(&t("admin-passkey-working")),
            esc(&t("admin-passkey-cancelled")),
            esc(&csrf),
            esc(&t(button)),
        )
    };
    let mut body = String::new();
    let mut code_form = true;
    if stage == "enrol" {
        let secret = totp::new_secret();
        let issuer = portal.site_title(&lang).to_owned();
        let Some(generator) = totp::totp(&secret, &issuer, &email) else {
            return failed(&cat, &lang, &"cannot make a TOTP generator");
        };
        let sealed = totp::seal(&portal.keys, &email, &secret);
        if let Err(e) =
            webauthn::update_ceremony(&portal, &id_hash, |c| c.totp = Some(sealed)).await
        {
            return failed(&cat, &lang, &e);
        }
        body.push_str(&format!(
            "<h1>{}</h1><p>{}</p>",
            esc(&t("admin-enrol-title")),
            esc(&t("admin-enrol-choose"))
        ));
        if can_passkey {
            body.push_str(&passkey_form(
                "admin-passkey-create-title",
                "admin-passkey-create-intro",
                "admin-passkey-create",
            ));
        }
        body.push_str(&format!(
            "<h2>{}</h2><p>{}</p><figure class=\"totp-qr\">{}<figcaption>{}</figcaption></figure>\
             <p>{} <code class=\"totp-secret\">{}</code></p>",
            esc(&t("admin-enrol-totp-title")),
            esc(&t("admin-enrol-intro")),
            totp::qr_svg(&generator)
                .map(|svg| svg.replacen(
                    "<svg",
                    "<svg role=\"img\" aria-labelledby=\"totp-qr-label\"",
                    1
                ))
                .unwrap_or_default(),
            format_args!(
                "<span id=\"totp-qr-label\">{}</span>",
                esc(&t("admin-enrol-qr"))
            ),
            esc(&t("admin-enrol-manual")),
            esc(&totp::secret_text(&secret)),
        ));
    } else {
        body.push_str(&format!("<h1>{}</h1>", esc(&t("admin-code-title"))));
        if has_passkey && can_passkey {
            body.push_str(&passkey_form(
                "admin-passkey-use-title",
                "admin-passkey-use-intro",
                "admin-passkey-use",
            ));
        }
        if has_totp {
            body.push_str(&format!(
                "<h2>{}</h2><p>{}</p>",
                esc(&t(if has_passkey {
                    "admin-code-alt-title"
                } else {
                    "admin-code-app-title"
                })),
                esc(&t("admin-code-intro"))
            ));
        } else {
            code_form = false;
            body.push_str(&format!(
                "<p class=\"passkey-only\">{}</p>",
                esc(&t("admin-passkey-needs-script"))
            ));
        }
    }
    if code_form {
        body.push_str(&format!(
            "<form method=\"post\" action=\"{mount}/{lang}/second-factor\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <p><label for=\"code\">{}</label><input id=\"code\" name=\"code\" inputmode=\"numeric\" \
             autocomplete=\"one-time-code\" pattern=\"[0-9 ]{{6,7}}\" maxlength=\"7\" required></p>\
             <p><button type=\"submit\">{}</button></p></form>",
            esc(&csrf),
            esc(&t("admin-code-label")),
            esc(&t("admin-code-submit"))
        ));
    }
    if can_passkey && (stage == "enrol" || has_passkey) {
        body.push_str(&format!(
            "<script src=\"{}\" defer></script>",
            esc(&webauthn::script_url(&portal))
        ));
    }
    let title = if stage == "enrol" {
        t("admin-enrol-title")
    } else {
        t("admin-code-title")
    };
    html(StatusCode::OK, cat.page(&lang, &title, &body))
}

/// Audits a refused step of a sign-in that is under way.
pub(crate) async fn audit_failure(portal: &Portal, p: &Pending, why: &str) {
    let mut ev = p.client.event(EventKind::Failed);
    ev.email = Some(p.email.clone());
    ev.detail = Some(why.to_owned());
    if let Err(e) = portal.store.audit(&ev).await {
        eprintln!("portal: cannot audit a refused console sign-in: {e}");
    }
}

/// The answer to a refused second factor (a wrong code, a refused passkey): audited with `why`,
/// counted; the fifth in a session ends it.
pub(crate) async fn wrong_factor(
    portal: &Portal,
    p: &Pending,
    status: StatusCode,
    why: &str,
) -> Response {
    audit_failure(portal, p, why).await;
    let now = Utc::now().timestamp();
    let attempts = portal
        .store
        .hit(&format!("admin-code:{}", p.id_hash), 3600, now)
        .await
        .map(|(h, _)| h)
        .unwrap_or(i64::MAX);
    if attempts >= CODE_ATTEMPTS {
        let _ = portal
            .store
            .revoke_session(&p.id_hash, &p.client.event(EventKind::AdminSignedOut))
            .await;
        return with_cookie(
            refused(&p.cat, &p.lang, "admin-code-locked"),
            session::clear_cookie(portal, &p.client),
        );
    }
    let key = if status == StatusCode::UNPROCESSABLE_ENTITY {
        "admin-code-wrong"
    } else {
        "admin-passkey-failed"
    };
    let mut r = view::message(&p.cat, &p.lang, status, key);
    r.headers_mut().insert(
        axum::http::header::REFRESH,
        axum::http::HeaderValue::from_static("3"),
    );
    r
}

/// Signs the session in under a new secret, audited with `how` (the factor used).
pub(crate) async fn signed_in(portal: &Portal, p: &Pending, how: String) -> Response {
    let (secret, new_hash) = session::new_secret();
    match portal
        .store
        .advance_session(
            &p.id_hash,
            &new_hash,
            "active",
            (EventKind::AdminSignedIn, Some(how)),
            &p.client.event(EventKind::AdminSignedIn),
        )
        .await
    {
        Ok(true) => with_cookie(
            Redirect::to(&start(portal, &p.lang)).into_response(),
            session::cookie(portal, &p.client, &secret),
        ),
        Ok(false) => refused(&p.cat, &p.lang, "admin-signed-out"),
        Err(e) => failed(&p.cat, &p.lang, &e),
    }
}

/// `POST /{lang}/second-factor`: checks the code (enrolling the secret on the first sign-in)
/// and makes the session active under a new secret.
pub(crate) async fn second_factor_submit(
    State(portal): State<Arc<Portal>>,
    p: Pending,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    };
    if p.client.cross_site() || !session::csrf_valid(&portal, &p.id_hash, field("csrf")) {
        audit_bad_link(
            &portal,
            &p.client,
            "a second-factor form without its CSRF token",
        )
        .await;
        return refused(&p.cat, &p.lang, "admin-form-expired");
    }
    let now = Utc::now().timestamp();
    let code = field("code");
    let accepted = if p.stage == "enrol" {
        enrol(&portal, &p.email, &p.id_hash, code, now, &p.client).await
    } else {
        verify(&portal, &p.email, code, now).await
    };
    match accepted {
        Ok(Some(how)) => signed_in(&portal, &p, how).await,
        Ok(None) => {
            wrong_factor(
                &portal,
                &p,
                StatusCode::UNPROCESSABLE_ENTITY,
                "console: a wrong or reused second-factor code",
            )
            .await
        }
        Err(e) => failed(&p.cat, &p.lang, &e),
    }
}

fn field<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
        .unwrap_or_default()
}

/// `POST /{lang}/second-factor/passkey/options`: the options of the sign-in's ceremony
/// (registration when enrolling, authentication otherwise), as JSON.
pub(crate) async fn passkey_options(
    State(portal): State<Arc<Portal>>,
    headers: HeaderMap,
    p: Pending,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    if p.client.cross_site() || !session::csrf_valid(&portal, &p.id_hash, field(&form, "csrf")) {
        audit_failure(&portal, &p, "a passkey request without its CSRF token").await;
        return webauthn::json_error(StatusCode::FORBIDDEN);
    }
    let Some(webauthn) = webauthn::relying_party(&portal, &headers, &p.client) else {
        return webauthn::json_error(StatusCode::NOT_FOUND);
    };
    let result = if p.stage == "enrol" {
        webauthn::start_registration(&portal, &webauthn, &p.email, &p.id_hash).await
    } else {
        webauthn::start_authentication(&portal, &webauthn, &p.email, &p.id_hash).await
    };
    result.unwrap_or_else(|e| {
        eprintln!("portal: console passkey: {e}");
        webauthn::json_error(StatusCode::INTERNAL_SERVER_ERROR)
    })
}

/// `POST /{lang}/second-factor/passkey`: `csrf` and `response` (the browser's credential,
/// JSON); enrols the passkey or checks the assertion, then signs the session in under a new
/// secret. A refusal is audited and counts toward the session's failures.
pub(crate) async fn passkey_finish(
    State(portal): State<Arc<Portal>>,
    headers: HeaderMap,
    p: Pending,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Response {
    if p.client.cross_site() || !session::csrf_valid(&portal, &p.id_hash, field(&form, "csrf")) {
        audit_failure(&portal, &p, "a passkey answer without its CSRF token").await;
        return refused(&p.cat, &p.lang, "admin-form-expired");
    }
    let Some(webauthn) = webauthn::relying_party(&portal, &headers, &p.client) else {
        return wrong_factor(
            &portal,
            &p,
            StatusCode::FORBIDDEN,
            "console: a passkey where none can work",
        )
        .await;
    };
    let response = field(&form, "response");
    let accepted = if p.stage == "enrol" {
        match webauthn::finish_registration(&portal, &webauthn, &p.id_hash, response).await {
            Ok(Some(passkey)) => {
                match webauthn::store_passkey(
                    &portal,
                    &p.email,
                    &webauthn::label_of(None),
                    &passkey,
                    &p.client,
                )
                .await
                {
                    Ok(f) => Ok(Some(format!("passkey {} enrolled", f.id))),
                    Err(e) => Err(e),
                }
            }
            Ok(None) => Ok(None),
            Err(e) => Err(e),
        }
    } else {
        webauthn::finish_authentication(&portal, &webauthn, &p.email, &p.id_hash, response).await
    };
    match accepted {
        Ok(Some(how)) => signed_in(&portal, &p, how).await,
        Ok(None) => {
            wrong_factor(
                &portal,
                &p,
                StatusCode::FORBIDDEN,
                if p.stage == "enrol" {
                    "console: a passkey registration was refused"
                } else {
                    "console: a passkey assertion was refused"
                },
            )
            .await
        }
        Err(e) => failed(&p.cat, &p.lang, &e),
    }
}

/// Enrols the secret shown on the page when `code` matches it; `Some("totp enrolled")`.
async fn enrol(
    portal: &Portal,
    email: &str,
    id_hash: &str,
    code: &str,
    now: i64,
    client: &Client,
) -> Result<Option<String>, crate::portal::store::StoreError> {
    // The secret is taken (once); a mistyped code puts it back, so that the admin may retry.
    let checked = webauthn::update_ceremony(portal, id_hash, |c| {
        let sealed = c.totp.take()?;
        let step = totp::unseal(&portal.keys, email, &sealed)
            .and_then(|secret| totp::totp(&secret, "", email))
            .and_then(|generator| totp::check(&generator, code, now));
        if step.is_none() {
            c.totp = Some(sealed.clone());
        }
        Some((sealed, step?))
    })
    .await?;
    let Some((sealed, step)) = checked else {
        return Ok(None);
    };
    let factor = portal
        .store
        .add_factor(
            email,
            "totp",
            "Authenticator app",
            &sealed,
            &client.event(EventKind::AdminFactorAdded),
        )
        .await?;
    portal
        .store
        .use_factor(&factor.id, None, Some(step))
        .await?;
    Ok(Some(format!("totp {} enrolled", factor.id)))
}

/// Checks `code` against the admin's TOTP factors, each step accepted once.
async fn verify(
    portal: &Portal,
    email: &str,
    code: &str,
    now: i64,
) -> Result<Option<String>, crate::portal::store::StoreError> {
    for factor in portal.store.factors(email).await? {
        if factor.kind != "totp" {
            continue;
        }
        let Some(secret) = totp::unseal(&portal.keys, email, &factor.data) else {
            continue;
        };
        let Some(generator) = totp::totp(&secret, "", email) else {
            continue;
        };
        if let Some(step) = totp::check(&generator, code, now) {
            return Ok(portal
                .store
                .use_factor(&factor.id, None, Some(step))
                .await?
                .then(|| format!("totp {}", factor.id)));
        }
    }
    Ok(None)
}

/// `POST /{lang}/sign-out`: ends this session.
pub(crate) async fn sign_out(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(e) = portal
        .store
        .revoke_session(
            &admin.session,
            &admin.client.event(EventKind::AdminSignedOut),
        )
        .await
    {
        return failed(&admin.cat, &admin.lang, &e);
    }
    with_cookie(
        Redirect::to(&format!(
            "{}/{}/sign-in",
            portal.settings.admin_mount, admin.lang
        ))
        .into_response(),
        session::clear_cookie(&portal, &admin.client),
    )
}
