//! Passkeys (WebAuthn, with webauthn-rs) as the console's second factor, TOTP the fallback.
//!
//! The relying party is the host of the console's public URL and the origin that URL's origin;
//! on a loopback preview opened as `http://localhost:PORT` from this machine it is `localhost`
//! with that origin (browsers allow WebAuthn there, never on `127.0.0.1`). A ceremony takes two
//! requests: the options (a fresh challenge, the state kept with the session in the store, so
//! that any replica can finish it), then the browser's answer, which takes the state once: a
//! replayed answer finds none. The browser side is `passkey.js`, served from the console under
//! `script-src 'self'`; without JavaScript the TOTP form works alone.
//!
//! - enrolment (a first sign-in, or another passkey in the settings): `start_passkey_registration`
//!   excluding the admin's registered credentials; the `Passkey` (JSON) is kept as a factor of
//!   kind `passkey` with a label
//! - the second factor: `start_passkey_authentication` over the admin's passkeys; after a good
//!   assertion the stored passkey takes the new counter and backup state. A refused answer is
//!   audited, counts toward the session's five failures, and changes nothing.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;
use serde::{Deserialize, Serialize};
use sha2::{Digest as _, Sha256};
use webauthn_rs::prelude::{
    CredentialID, Passkey, PasskeyAuthentication, PasskeyRegistration, PublicKeyCredential,
    RegisterPublicKeyCredential, Url, Uuid, Webauthn, WebauthnBuilder,
};

use super::session::{AdminForm, audit_refusal};
use super::view;
use crate::portal::app::Portal;
use crate::portal::audit::EventKind;
use crate::portal::guards::{Client, clean, failed, header_str};
use crate::portal::store::admin::Factor;

/// How long a ceremony's challenge is good for (the browser's prompt waits as long).
const CEREMONY_SECONDS: i64 = 300;
/// Longest label of a passkey.
pub(crate) const LABEL_MAX: usize = 60;

/// The browser side: `navigator.credentials.create/get`, base64url ↔ bytes, the forms.
pub(crate) const SCRIPT: &str = include_str!("passkey.js");

/// A ceremony's server state kept with the session between its two requests: the TOTP secret
/// being enrolled (sealed) and a passkey registration or authentication, each with its expiry.
#[derive(Debug, Default, Serialize, Deserialize)]
pub(crate) struct Ceremony {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) totp: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) register: Option<(i64, PasskeyRegistration)>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) authenticate: Option<(i64, PasskeyAuthentication)>,
}

impl Ceremony {
    /// The ceremony stored as `text`; an empty one for anything else.
    pub(crate) fn parse(text: Option<&str>) -> Ceremony {
        text.and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    }

    /// As stored.
    pub(crate) fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    fn is_empty(&self) -> bool {
        self.totp.is_none() && self.register.is_none() && self.authenticate.is_none()
    }
}

/// Takes the session's ceremony (once), hands it to `change`, and keeps what is left.
pub(crate) async fn update_ceremony<T>(
    portal: &Portal,
    id_hash: &str,
    change: impl FnOnce(&mut Ceremony) -> T,
) -> Result<T, crate::portal::store::StoreError> {
    let taken = portal.store.take_ceremony(id_hash).await?;
    let mut ceremony = Ceremony::parse(taken.as_deref());
    let out = change(&mut ceremony);
    if !ceremony.is_empty() {
        portal.store.set_ceremony(id_hash, &ceremony.text()).await?;
    }
    Ok(out)
}

fn is_loopback_ip(ip: &str) -> bool {
    ip.parse::<std::net::IpAddr>().is_ok_and(|a| match a {
        std::net::IpAddr::V6(v6) => {
            v6.is_loopback() || v6.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        std::net::IpAddr::V4(v4) => v4.is_loopback(),
    })
}

/// The relying party for this request: the console's public URL, or `localhost` for a page
/// opened as `http://localhost:PORT` from this machine. `None` when no passkey can work here.
pub(crate) fn relying_party(
    portal: &Portal,
    headers: &HeaderMap,
    client: &Client,
) -> Option<Webauthn> {
    let host = header_str(headers, "host").unwrap_or("");
    let localhost = host == "localhost"
        || host.strip_prefix("localhost:").is_some_and(|p| {
            !p.is_empty() && p.len() <= 5 && p.bytes().all(|b| b.is_ascii_digit())
        });
    let (rp_id, origin) = if localhost && !client.https() && is_loopback_ip(&client.ip) {
        (
            "localhost".to_owned(),
            Url::parse(&format!("http://{host}")).ok()?,
        )
    } else {
        let url = Url::parse(&portal.settings.admin_url).ok()?;
        let id = url.domain()?.to_owned();
        (id, Url::parse(&url.origin().ascii_serialization()).ok()?)
    };
    // The name authenticators show: the site's title in its default language.
    let title = portal
        .site_title(&portal.catalogue().default_lang)
        .to_owned();
    let name = if title.is_empty() {
        rp_id.clone()
    } else {
        title
    };
    WebauthnBuilder::new(&rp_id, &origin)
        .ok()?
        .rp_name(&name)
        .timeout(std::time::Duration::from_secs(CEREMONY_SECONDS as u64))
        .build()
        .ok()
}

/// The WebAuthn user handle of `email`: stable, and no address in it.
fn user_id(email: &str) -> Uuid {
    let digest = Sha256::digest(format!("candor admin\0{}", email.to_ascii_lowercase()).as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    Uuid::from_bytes(bytes)
}

/// The passkeys among `factors`, with their factor ids.
pub(crate) fn passkeys_of(factors: &[Factor]) -> Vec<(String, Passkey)> {
    factors
        .iter()
        .filter(|f| f.kind == "passkey")
        .filter_map(|f| Some((f.id.clone(), serde_json::from_str::<Passkey>(&f.data).ok()?)))
        .collect()
}

pub(crate) fn json(value: &impl Serialize) -> Response {
    let mut r = axum::Json(value).into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

pub(crate) fn json_error(status: StatusCode) -> Response {
    let mut r = (
        status,
        axum::Json(serde_json::json!({"error": status.as_u16()})),
    )
        .into_response();
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// Starts a registration for `email` (its passkeys excluded) and keeps the state with the
/// session: the options for `navigator.credentials.create`.
pub(crate) async fn start_registration(
    portal: &Portal,
    webauthn: &Webauthn,
    email: &str,
    id_hash: &str,
) -> Result<Response, crate::portal::store::StoreError> {
    let factors = portal.store.factors(email).await?;
    let exclude: Vec<CredentialID> = passkeys_of(&factors)
        .iter()
        .map(|(_, p)| p.cred_id().clone())
        .collect();
    let Ok((options, state)) =
        webauthn.start_passkey_registration(user_id(email), email, email, Some(exclude))
    else {
        return Ok(json_error(StatusCode::INTERNAL_SERVER_ERROR));
    };
    let exp = Utc::now().timestamp() + CEREMONY_SECONDS;
    update_ceremony(portal, id_hash, |c| {
        c.register = Some((exp, state));
        c.authenticate = None;
    })
    .await?;
    Ok(json(&options))
}

/// Finishes a registration with the browser's `response` (JSON): the new passkey, or `None`
/// (state missing, expired or used; an answer to another challenge; a credential already
/// registered). The state is used up either way.
pub(crate) async fn finish_registration(
    portal: &Portal,
    webauthn: &Webauthn,
    id_hash: &str,
    response: &str,
) -> Result<Option<Passkey>, crate::portal::store::StoreError> {
    let now = Utc::now().timestamp();
    let state = update_ceremony(portal, id_hash, |c| c.register.take()).await?;
    let Some((_, state)) = state.filter(|(exp, _)| *exp >= now) else {
        return Ok(None);
    };
    let Ok(credential) = serde_json::from_str::<RegisterPublicKeyCredential>(response) else {
        return Ok(None);
    };
    let Ok(passkey) = webauthn.finish_passkey_registration(&credential, &state) else {
        return Ok(None);
    };
    // A credential registered already (to this admin or another) is not registered twice.
    for (other, _) in &portal.settings.admins {
        let taken = passkeys_of(&portal.store.factors(other).await?)
            .iter()
            .any(|(_, p)| p.cred_id() == passkey.cred_id());
        if taken {
            return Ok(None);
        }
    }
    Ok(Some(passkey))
}

/// Stores `passkey` for `email` under `label`; the audit row names the admin who added it.
pub(crate) async fn store_passkey(
    portal: &Portal,
    email: &str,
    label: &str,
    passkey: &Passkey,
    client: &Client,
) -> Result<Factor, crate::portal::store::StoreError> {
    let data = serde_json::to_string(passkey).unwrap_or_default();
    portal
        .store
        .add_factor(
            email,
            "passkey",
            label,
            &data,
            &client.event(EventKind::AdminFactorAdded),
        )
        .await
}

/// A passkey's label from a form: cleaned, at most [`LABEL_MAX`] characters, `Passkey` if empty.
pub(crate) fn label_of(value: Option<&str>) -> String {
    let label = clean(value.unwrap_or_default().trim(), LABEL_MAX);
    let label = label.trim();
    if label.is_empty() {
        "Passkey".to_owned()
    } else {
        label.to_owned()
    }
}

// ---- the second factor of a sign-in -------------------------------------------------------

pub(crate) async fn start_authentication(
    portal: &Portal,
    webauthn: &Webauthn,
    email: &str,
    id_hash: &str,
) -> Result<Response, crate::portal::store::StoreError> {
    let passkeys: Vec<Passkey> = passkeys_of(&portal.store.factors(email).await?)
        .into_iter()
        .map(|(_, p)| p)
        .collect();
    if passkeys.is_empty() {
        return Ok(json_error(StatusCode::NOT_FOUND));
    }
    let Ok((options, state)) = webauthn.start_passkey_authentication(&passkeys) else {
        return Ok(json_error(StatusCode::INTERNAL_SERVER_ERROR));
    };
    let exp = Utc::now().timestamp() + CEREMONY_SECONDS;
    update_ceremony(portal, id_hash, |c| {
        c.authenticate = Some((exp, state));
        c.register = None;
    })
    .await?;
    Ok(json(&options))
}

/// Checks an assertion against the session's authentication state (used up either way) and
/// updates the passkey it names: `Some("passkey <factor id>")`, or `None` when refused.
pub(crate) async fn finish_authentication(
    portal: &Portal,
    webauthn: &Webauthn,
    email: &str,
    id_hash: &str,
    response: &str,
) -> Result<Option<String>, crate::portal::store::StoreError> {
    let now = Utc::now().timestamp();
    let state = update_ceremony(portal, id_hash, |c| c.authenticate.take()).await?;
    let Some((_, state)) = state.filter(|(exp, _)| *exp >= now) else {
        return Ok(None);
    };
    let Ok(credential) = serde_json::from_str::<PublicKeyCredential>(response) else {
        return Ok(None);
    };
    let Ok(result) = webauthn.finish_passkey_authentication(&credential, &state) else {
        return Ok(None);
    };
    for (id, mut passkey) in passkeys_of(&portal.store.factors(email).await?) {
        if passkey.cred_id() != result.cred_id() {
            continue;
        }
        let data = match passkey.update_credential(&result) {
            Some(true) => serde_json::to_string(&passkey).ok(),
            _ => None,
        };
        portal.store.use_factor(&id, data.as_deref(), None).await?;
        return Ok(Some(format!("passkey {id}")));
    }
    Ok(None)
}

// ---- the settings: an admin's own factors -------------------------------------------------

/// `POST /{lang}/settings/passkey/options`: the options to register another passkey, as JSON.
pub(crate) async fn settings_options(
    State(portal): State<Arc<Portal>>,
    headers: HeaderMap,
    form: AdminForm,
) -> Response {
    let admin = &form.admin;
    let Some(webauthn) = relying_party(&portal, &headers, &admin.client) else {
        return json_error(StatusCode::NOT_FOUND);
    };
    start_registration(&portal, &webauthn, &admin.email, &admin.session)
        .await
        .unwrap_or_else(|e| {
            eprintln!("portal: console passkey: {e}");
            json_error(StatusCode::INTERNAL_SERVER_ERROR)
        })
}

fn to_settings(portal: &Portal, lang: &str) -> Response {
    Redirect::to(&format!(
        "{}/{lang}/settings#factors",
        portal.settings.admin_mount
    ))
    .into_response()
}

/// `POST /{lang}/settings/passkey`: `response` and `label`; adds the passkey to the admin's
/// factors.
pub(crate) async fn settings_add(
    State(portal): State<Arc<Portal>>,
    headers: HeaderMap,
    form: AdminForm,
) -> Response {
    let admin = &form.admin;
    let Some(webauthn) = relying_party(&portal, &headers, &admin.client) else {
        audit_refusal(&portal, admin, "a passkey where none can work").await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-passkey-failed",
        );
    };
    let response = form.get("response").unwrap_or_default();
    match finish_registration(&portal, &webauthn, &admin.session, response).await {
        Ok(Some(passkey)) => {
            match store_passkey(
                &portal,
                &admin.email,
                &label_of(form.get("label")),
                &passkey,
                &admin.client,
            )
            .await
            {
                Ok(_) => to_settings(&portal, &admin.lang),
                Err(e) => failed(&admin.cat, &admin.lang, &e),
            }
        }
        Ok(None) => {
            audit_refusal(&portal, admin, "a passkey registration was refused").await;
            view::message(
                &admin.cat,
                &admin.lang,
                StatusCode::BAD_REQUEST,
                "admin-passkey-failed",
            )
        }
        Err(e) => failed(&admin.cat, &admin.lang, &e),
    }
}

/// `POST /{lang}/settings/factor/remove`: `id`, one of the admin's own factors, unless it is
/// the last one.
pub(crate) async fn settings_remove(
    State(portal): State<Arc<Portal>>,
    form: AdminForm,
) -> Response {
    let admin = &form.admin;
    let id = form.get("id").unwrap_or_default();
    let factors = match portal.store.factors(&admin.email).await {
        Ok(f) => f,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    if !factors.iter().any(|f| f.id == id) {
        audit_refusal(
            &portal,
            admin,
            "removing a factor that is not the admin's own",
        )
        .await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-bad-form",
        );
    }
    if factors.len() < 2 {
        audit_refusal(&portal, admin, "removing the last second factor").await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-factor-last",
        );
    }
    match portal
        .store
        .remove_factors(
            &admin.email,
            Some(id),
            &admin.email,
            &admin.client.event(EventKind::AdminFactorRemoved),
        )
        .await
    {
        Ok(_) => to_settings(&portal, &admin.lang),
        Err(e) => failed(&admin.cat, &admin.lang, &e),
    }
}

/// `GET /assets/passkey.js`.
pub(crate) async fn script() -> Response {
    let mut r = (
        [(
            header::CONTENT_TYPE,
            HeaderValue::from_static("text/javascript; charset=utf-8"),
        )],
        SCRIPT,
    )
        .into_response();
    r.headers_mut().insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, max-age=86400"),
    );
    r
}

/// The URL of the script, with a version so that a changed script is fetched anew.
pub(crate) fn script_url(portal: &Portal) -> String {
    let digest = Sha256::digest(SCRIPT.as_bytes());
    let v: String = digest[..4].iter().map(|b| format!("{b:02x}")).collect();
    format!("{}/assets/passkey.js?v={v}", portal.settings.admin_mount)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_ceremony_keeps_its_parts_and_garbage_is_empty() {
        let c = Ceremony {
            totp: Some("v1.a.b.c.d".into()),
            ..Ceremony::default()
        };
        let back = Ceremony::parse(Some(&c.text()));
        assert_eq!(back.totp.as_deref(), Some("v1.a.b.c.d"));
        assert!(back.register.is_none() && back.authenticate.is_none());
        assert!(Ceremony::parse(Some("{not json")).is_empty());
        assert!(Ceremony::parse(None).is_empty());
    }

    #[test]
    fn the_user_handle_is_stable_and_hides_the_address() {
        assert_eq!(user_id("Jane@Example.com"), user_id("jane@example.com"));
        assert_ne!(user_id("jane@example.com"), user_id("joe@example.com"));
        assert!(!user_id("jane@example.com").to_string().contains("jane"));
    }

    #[test]
    fn labels_are_cleaned_and_capped() {
        assert_eq!(label_of(None), "Passkey");
        assert_eq!(label_of(Some("  ")), "Passkey");
        assert_eq!(label_of(Some("Laptop\u{202e}")), "Laptop");
        assert_eq!(label_of(Some(&"x".repeat(100))).len(), LABEL_MAX);
    }
}
