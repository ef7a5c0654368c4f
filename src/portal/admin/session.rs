//! Console sessions: the cookie, who is signed in ([`Admin`]), the CSRF token bound to the
//! session, the checks every console form passes ([`AdminForm`]) and the roles.
//!
//! The cookie holds 32 random bytes; the store keeps only their SHA-256, so a copy of the
//! database signs nobody in. Over HTTPS the cookie is `__Host-candor_admin` (`Secure`, `Path=/`,
//! no `Domain`); on a plain-HTTP loopback preview it is `candor_admin` without `Secure`. Both are
//! `HttpOnly` and `SameSite=Strict`. A session expires after `portal.admin_sessions.idle_minutes`
//! without a request and `absolute_hours` after sign-in; it ends when its admin signs out, when
//! an owner signs the admin out everywhere, and when the address is no longer in
//! `portal.admins` (checked on every request, so a configuration change holds at once).

use std::sync::Arc;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use rand::RngCore as _;
use sha2::{Digest as _, Sha256};

use crate::portal::app::{Catalogue, Portal};
use crate::portal::audit::EventKind;
use crate::portal::guards::{Client, failed, header_str, html, lang_or_default};
use crate::portal::keys::Purpose;
use crate::portal::store::admin::Session;
use crate::portal::token;
use crate::site::config::AdminRole;

/// The cookie over HTTPS.
pub(crate) const SECURE_COOKIE: &str = "__Host-candor_admin";
/// The cookie on a plain-HTTP loopback preview.
pub(crate) const PLAIN_COOKIE: &str = "candor_admin";

/// A new session secret (the cookie's value) and its SHA-256 (what the store keeps).
pub(crate) fn new_secret() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let secret = URL_SAFE_NO_PAD.encode(bytes);
    let hash = hash(&secret);
    (secret, hash)
}

/// SHA-256 of a secret, hex.
pub(crate) fn hash(secret: &str) -> String {
    hex(&Sha256::digest(secret.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The `Set-Cookie` value that carries `secret` to this client.
pub(crate) fn cookie(portal: &Portal, client: &Client, secret: &str) -> Option<HeaderValue> {
    let value = if client.https() {
        format!("{SECURE_COOKIE}={secret}; Path=/; Secure; HttpOnly; SameSite=Strict")
    } else {
        format!(
            "{PLAIN_COOKIE}={secret}; Path={}; HttpOnly; SameSite=Strict",
            portal.settings.admin_mount
        )
    };
    HeaderValue::from_str(&value).ok()
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn clear_cookie(portal: &Portal, client: &Client) -> Option<HeaderValue> {
    let value = if client.https() {
        format!("{SECURE_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0")
    } else {
        format!(
            "{PLAIN_COOKIE}=; Path={}; HttpOnly; SameSite=Strict; Max-Age=0",
            portal.settings.admin_mount
        )
    };
    HeaderValue::from_str(&value).ok()
}

/// The session secret this request carries (the cookie its scheme uses), if it looks like one.
pub(crate) fn secret_of(headers: &HeaderMap, client: &Client) -> Option<String> {
    let name = if client.https() {
        SECURE_COOKIE
    } else {
        PLAIN_COOKIE
    };
    header_str(headers, "cookie")?
        .split(';')
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
        .filter(|v| {
            v.len() == 43
                && v.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
        })
}

/// The CSRF token of the session whose id hash is `id_hash`: an HMAC of it under the console's
/// CSRF key (a token is worthless for any other session).
pub(crate) fn csrf_token(portal: &Portal, id_hash: &str) -> String {
    token::bound_tag(&portal.keys, Purpose::AdminCsrf, id_hash)
}

/// Whether `tag` is the CSRF token of the session `id_hash` (constant time).
pub(crate) fn csrf_valid(portal: &Portal, id_hash: &str, tag: &str) -> bool {
    token::bound_tag_valid(&portal.keys, Purpose::AdminCsrf, id_hash, tag)
}

/// The role of `email` in `portal.admins`, if it is an admin.
pub(crate) fn role_of(portal: &Portal, email: &str) -> Option<AdminRole> {
    portal
        .settings
        .admins
        .iter()
        .find(|(a, _)| a.eq_ignore_ascii_case(email))
        .map(|(_, r)| *r)
}

/// Whether `session` is still good at `now` (seconds): not revoked, within its idle and
/// absolute time.
pub(crate) fn current(portal: &Portal, session: &Session, now: i64) -> bool {
    let idle = i64::from(portal.settings.admin_idle_minutes) * 60;
    let absolute = i64::from(portal.settings.admin_absolute_hours) * 3600;
    session.revoked_at.is_none()
        && now - session.last_seen <= idle
        && now - session.created_at <= absolute
}

/// The first segment of the path inside the console (`/de/requests` → `de`), as a language of
/// the site or the default one.
pub(crate) fn path_lang(cat: &Catalogue, path: &str) -> String {
    lang_or_default(
        cat,
        path.trim_start_matches('/').split('/').next().unwrap_or(""),
    )
}

/// A signed-in admin (second factor done), on any console page.
pub(crate) struct Admin {
    pub(crate) email: String,
    pub(crate) role: AdminRole,
    /// The session's id hash.
    pub(crate) session: String,
    /// This session's CSRF token, for the page's forms.
    pub(crate) csrf: String,
    pub(crate) lang: String,
    pub(crate) cat: Arc<Catalogue>,
    pub(crate) client: Client,
}

impl Admin {
    /// `Err(403)` (audited) unless the admin's role is at least `needed`.
    pub(crate) async fn require(&self, portal: &Portal, needed: AdminRole) -> Result<(), Response> {
        if self.role >= needed {
            return Ok(());
        }
        let mut ev = self.client.event(EventKind::Failed);
        ev.email = Some(self.email.clone());
        ev.detail = Some(format!(
            "console: {} may not do what needs {}",
            self.role.as_str(),
            needed.as_str()
        ));
        if let Err(e) = portal.store.audit(&ev).await {
            return Err(failed(&self.cat, &self.lang, &e));
        }
        Err(refused(&self.cat, &self.lang, "admin-forbidden"))
    }
}

/// A console page: heading and text of the UI strings `<key>-title` and `<key>-body`.
pub(crate) fn refused(cat: &Catalogue, lang: &str, key: &str) -> Response {
    let title = cat.t(lang, &format!("{key}-title"), &[]);
    let body = format!(
        "<h1>{}</h1><p>{}</p>",
        crate::site::render::templates::escape_html(&title),
        crate::site::render::templates::escape_html(&cat.t(lang, &format!("{key}-body"), &[]))
    );
    html(StatusCode::FORBIDDEN, cat.page(lang, &title, &body))
}

/// Where a visitor without a session is sent: the sign-in page of the path's language.
fn to_sign_in(portal: &Portal, lang: &str) -> Response {
    Redirect::to(&format!("{}/{lang}/sign-in", portal.settings.admin_mount)).into_response()
}

/// The session of this request, if it carries a cookie the store knows: the session, as long
/// as it is current and its address still an admin's.
pub(crate) async fn session_of(
    portal: &Portal,
    headers: &HeaderMap,
    client: &Client,
) -> Result<Option<(Session, AdminRole)>, crate::portal::store::StoreError> {
    let Some(secret) = secret_of(headers, client) else {
        return Ok(None);
    };
    let Some(session) = portal.store.session(&hash(&secret)).await? else {
        return Ok(None);
    };
    let now = Utc::now().timestamp();
    let Some(role) = role_of(portal, &session.email) else {
        return Ok(None);
    };
    if !current(portal, &session, now) {
        return Ok(None);
    }
    Ok(Some((session, role)))
}

impl FromRequestParts<Arc<Portal>> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, portal: &Arc<Portal>) -> Result<Self, Response> {
        let Ok(client) = Client::from_request_parts(parts, portal).await;
        let cat = portal.catalogue();
        let lang = path_lang(&cat, parts.uri.path());
        let found = session_of(portal, &parts.headers, &client)
            .await
            .map_err(|e| failed(&cat, &lang, &e))?;
        let Some((session, role)) = found.filter(|(s, _)| s.stage == "active") else {
            return Err(
                if parts.method == Method::GET || parts.method == Method::HEAD {
                    to_sign_in(portal, &lang)
                } else {
                    refused(&cat, &lang, "admin-signed-out")
                },
            );
        };
        let now = Utc::now().timestamp();
        portal
            .store
            .touch_session(&session.id_hash, now)
            .await
            .map_err(|e| failed(&cat, &lang, &e))?;
        Ok(Admin {
            csrf: csrf_token(portal, &session.id_hash),
            email: session.email,
            role,
            session: session.id_hash,
            lang,
            cat,
            client,
        })
    }
}

/// A console form posted by a signed-in admin: the fields in order (a repeated name, such as
/// the `id` of every request a bulk action names, comes once per value), after the checks every
/// console POST passes: a same-site request, the session's CSRF token.
pub(crate) struct AdminForm {
    pub(crate) admin: Admin,
    pub(crate) fields: Vec<(String, String)>,
}

impl AdminForm {
    /// The first value of `name`.
    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub(crate) fn all(&self, name: &str) -> Vec<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

impl FromRequest<Arc<Portal>> for AdminForm {
    type Rejection = Response;

    async fn from_request(req: Request, portal: &Arc<Portal>) -> Result<Self, Response> {
        let (mut parts, body) = req.into_parts();
        let admin = Admin::from_request_parts(&mut parts, portal).await?;
        let form = axum::Form::<Vec<(String, String)>>::from_request(
            Request::from_parts(parts, body),
            portal,
        )
        .await;
        let fields = match form {
            Ok(axum::Form(f)) => f,
            Err(e) => {
                audit_refusal(portal, &admin, "a console form that is not a form").await;
                return Err(e.into_response());
            }
        };
        let token_ok = fields
            .iter()
            .find(|(k, _)| k == "csrf")
            .is_some_and(|(_, t)| csrf_valid(portal, &admin.session, t));
        if admin.client.cross_site() || !token_ok {
            audit_refusal(portal, &admin, "a console form without its CSRF token").await;
            return Err(refused(&admin.cat, &admin.lang, "admin-form-expired"));
        }
        Ok(AdminForm { admin, fields })
    }
}

/// Audits a refused console request of a signed-in admin.
pub(crate) async fn audit_refusal(portal: &Portal, admin: &Admin, why: &str) {
    let mut ev = admin.client.event(EventKind::Failed);
    ev.email = Some(admin.email.clone());
    ev.detail = Some(format!("console: {why}"));
    if let Err(e) = portal.store.audit(&ev).await {
        eprintln!("portal: cannot audit a refused console request: {e}");
    }
}

/// A response that sets `cookie`.
pub(crate) fn with_cookie(mut r: Response, cookie: Option<HeaderValue>) -> Response {
    if let Some(c) = cookie {
        r.headers_mut().append(header::SET_COOKIE, c);
    }
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_random_and_only_their_hash_is_kept() {
        let (a, ha) = new_secret();
        let (b, hb) = new_secret();
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert_eq!(ha, hash(&a));
        assert_ne!(ha, hb);
        assert_eq!(ha.len(), 64);
        assert!(!ha.contains(&a));
    }
}
