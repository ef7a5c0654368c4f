//! The admin console: the legal and security team runs the portal from a browser, in the site's
//! languages, at `<admin_mount>/{lang}/…` (`/admin/en/requests`), beside the portal.
//!
//! - [`session`]: the session cookie, who is signed in ([`session::Admin`]) and with which role,
//!   the CSRF token bound to the session and the checks every console form passes
//! - [`settings`]: watermarking per document, the limits in force, the admins' sessions and
//!   second factors (owners)
//! - [`signin`]: the sign-in link (used by a POST, so that mail scanners use nothing), the
//!   second factor and signing out
//! - [`totp`]: RFC 6238 codes, sealed secrets, the enrolment QR code
//! - [`webauthn`]: WebAuthn passkeys (webauthn-rs): enrolment, the second factor, the admin's
//!   own factors in the settings, and the browser's script
//! - [`agreements`]: agreements concluded online, their evidence and signed PDFs
//! - [`audit`]: the audit log: filter, page, export (CSV, JSON), verify
//! - [`downloads`]: downloads per day (a server-drawn SVG chart), document and company; CSV
//! - [`objections`]: objections to subprocessor changes (every role reads; filter by change)
//! - [`requests`]: requests (decide one or many) and grants (revoke, extend, resend a fresh link)
//! - [`rules`]: automatic approval rules by e-mail domain and document, kept in the store
//! - [`view`]: the console's frame and escaping
//!
//! May use: the rest of [`crate::portal`] (its store, guards, catalogue, keys, tokens and
//! mailer) and [`crate::site`]'s config types; nothing in the portal uses the console.

pub mod agreements;
pub mod audit;
pub mod downloads;
pub mod objections;
pub mod requests;
pub mod rules;
pub mod session;
pub mod settings;
pub mod signin;
pub mod totp;
pub mod view;
pub mod webauthn;

use std::sync::Arc;

use axum::Router;
use axum::routing::{get, post};

use crate::portal::app::Portal;

/// Largest console form body: a bulk decision over a page of requests with a reason.
pub const BODY_LIMIT: usize = 64 * 1024;

/// The console's routes, relative to its mount.
pub fn routes() -> Router<Arc<Portal>> {
    Router::new()
        .route("/{lang}/", get(requests::home))
        .route(
            "/{lang}/sign-in",
            get(signin::sign_in_form).post(signin::sign_in_submit),
        )
        .route(
            "/{lang}/link/{token}",
            get(signin::link_page).post(signin::link_use),
        )
        .route(
            "/{lang}/second-factor",
            get(signin::second_factor_page).post(signin::second_factor_submit),
        )
        .route(
            "/{lang}/second-factor/passkey/options",
            post(signin::passkey_options),
        )
        .route(
            "/{lang}/second-factor/passkey",
            post(signin::passkey_finish),
        )
        .route("/assets/passkey.js", get(webauthn::script))
        .route("/{lang}/sign-out", post(signin::sign_out))
        .route("/{lang}/requests", get(requests::requests_page))
        .route("/{lang}/requests/decide", post(requests::decide))
        .route("/{lang}/grants", get(requests::grants_page))
        .route("/{lang}/grants/act", post(requests::grants_act))
        .route("/{lang}/agreements", get(agreements::list))
        .route("/{lang}/agreements/{id}", get(agreements::detail))
        .route("/{lang}/agreements/{id}/pdf", get(agreements::pdf))
        .route("/{lang}/downloads", get(downloads::downloads_page))
        .route("/{lang}/downloads.csv", get(downloads::downloads_csv))
        .route("/{lang}/rules", get(rules::rules_page))
        .route("/{lang}/objections", get(objections::objections_page))
        .route("/{lang}/audit", get(audit::audit_page))
        .route("/{lang}/audit/export.csv", get(audit::export_csv))
        .route("/{lang}/audit/export.json", get(audit::export_json))
        .route("/{lang}/audit/verify", post(audit::verify))
        .route("/{lang}/settings", get(settings::settings_page))
        .route("/{lang}/settings/watermark", post(settings::watermark))
        .route("/{lang}/settings/admin", post(settings::admin_action))
        .route("/{lang}/settings/prune", post(settings::prune))
        .route(
            "/{lang}/settings/passkey/options",
            post(webauthn::settings_options),
        )
        .route("/{lang}/settings/passkey", post(webauthn::settings_add))
        .route(
            "/{lang}/settings/factor/remove",
            post(webauthn::settings_remove),
        )
        .route("/{lang}/rules/add", post(rules::add))
        .route("/{lang}/rules/remove", post(rules::remove))
}
