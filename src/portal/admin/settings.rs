//! Settings that change without a rebuild or a restart, and the admins: watermarking per
//! confidential document (kept in the store, so every replica serves the same), the limits in
//! force (from site.yaml and `CANDOR_PORTAL_LIMITS`, shown, not edited), and, for owners, each
//! admin's sessions and second factors (sign out everywhere; reset, so that the admin enrols
//! anew at the next sign-in). Every change is audited; changing needs the `owner` role.

use std::sync::Arc;

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};

use super::session::{Admin, AdminForm, audit_refusal, role_of};
use super::view::{self, esc};
use super::webauthn;
use crate::portal::app::Portal;
use crate::portal::audit::EventKind;
use crate::portal::guards::failed;
use crate::site::config::AdminRole;

/// `GET /{lang}/settings`.
pub(crate) async fn settings_page(
    State(portal): State<Arc<Portal>>,
    headers: HeaderMap,
    admin: Admin,
) -> Response {
    let cat = &admin.cat;
    let lang = &admin.lang;
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let mount = esc(&portal.settings.admin_mount);
    let owner = admin.role >= AdminRole::Owner;
    let title = cat.t(lang, "admin-settings-title", &[]);
    let mut body = format!(
        "<h1>{}</h1><h2 id=\"watermarks\">{}</h2><p>{}</p>",
        esc(&title),
        t("admin-watermark-title"),
        t("admin-watermark-intro")
    );
    let mut docs: Vec<(&String, String)> = cat
        .documents
        .keys()
        .map(|id| (id, cat.title_of(id, lang)))
        .collect();
    docs.sort_by(|a, b| a.1.cmp(&b.1));
    body.push_str(&format!(
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"watermarks\"><table class=\"console-table\"><thead><tr>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th>{}</tr></thead><tbody>",
        t("admin-col-document"),
        t("admin-watermark-state"),
        if owner { format!("<th scope=\"col\"><span class=\"visually-hidden\">{}</span></th>", t("admin-watermark-change")) } else { String::new() }
    ));
    for (id, doc_title) in docs {
        let on = match portal.store.setting(&format!("watermark:{id}")).await {
            Ok(v) => v.as_deref() != Some("off"),
            Err(e) => return failed(cat, lang, &e),
        };
        body.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td>",
            esc(&doc_title),
            if on {
                t("admin-watermark-on")
            } else {
                t("admin-watermark-off")
            }
        ));
        if owner {
            body.push_str(&format!(
                "<td><form method=\"post\" action=\"{mount}/{lang}/settings/watermark\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                 <input type=\"hidden\" name=\"document\" value=\"{}\"><input type=\"hidden\" name=\"value\" value=\"{}\">\
                 <button type=\"submit\">{}<span class=\"visually-hidden\">: {}</span></button></form></td>",
                esc(&admin.csrf),
                esc(id),
                if on { "off" } else { "on" },
                if on { t("admin-watermark-turn-off") } else { t("admin-watermark-turn-on") },
                esc(&doc_title)
            ));
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");

    // The limits in force.
    let s = &portal.settings;
    let limits = [
        (
            "admin-limit-requests",
            s.limits.requests_per_hour.to_string(),
        ),
        (
            "admin-limit-links",
            s.limits.links_per_10_minutes.to_string(),
        ),
        (
            "admin-limit-downloads",
            s.limits.downloads_per_minute.to_string(),
        ),
        ("admin-limit-admin", s.limits.admin_per_minute.to_string()),
        ("admin-limit-grant-days", s.grant_days.to_string()),
        ("admin-limit-download-limit", s.download_limit.to_string()),
        (
            "admin-limit-mail-address",
            s.mail_limits.per_address_per_day.to_string(),
        ),
        ("admin-limit-mail-hour", s.mail_limits.per_hour.to_string()),
        ("admin-limit-idle", s.admin_idle_minutes.to_string()),
        ("admin-limit-absolute", s.admin_absolute_hours.to_string()),
    ];
    body.push_str(&format!(
        "<h2 id=\"limits\">{}</h2><p>{}</p><dl class=\"facts\">",
        t("admin-limits-title"),
        t("admin-limits-intro")
    ));
    for (key, value) in limits {
        body.push_str(&format!("<dt>{}</dt><dd>{}</dd>", t(key), esc(&value)));
    }
    body.push_str("</dl>");

    // The admin's own second factors.
    match own_factors(&portal, &admin, &headers).await {
        Ok(html) => body.push_str(&html),
        Err(e) => return failed(cat, lang, &e),
    }

    // The admins.
    body.push_str(&format!(
        "<h2 id=\"admins\">{}</h2><p>{}</p><div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"admins\"><table class=\"console-table\"><thead><tr>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>{}</tr></thead><tbody>",
        t("admin-admins-title"),
        t("admin-admins-intro"),
        t("admin-admins-email"),
        t("admin-admins-role"),
        t("admin-admins-factors"),
        if owner { format!("<th scope=\"col\"><span class=\"visually-hidden\">{}</span></th>", t("admin-admins-actions")) } else { String::new() }
    ));
    for (email, role) in &portal.settings.admins {
        let factors = match portal.store.factors(email).await {
            Ok(f) => f.len(),
            Err(e) => return failed(cat, lang, &e),
        };
        body.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td>",
            esc(email),
            esc(&cat.t(lang, &format!("admin-role-{}", role.as_str()), &[])),
            factors
        ));
        if owner {
            body.push_str("<td>");
            for (action, key) in [
                ("sign-out", "admin-admins-sign-out"),
                ("reset", "admin-admins-reset"),
            ] {
                body.push_str(&format!(
                    "<form class=\"inline\" method=\"post\" action=\"{mount}/{lang}/settings/admin\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                     <input type=\"hidden\" name=\"email\" value=\"{}\"><input type=\"hidden\" name=\"action\" value=\"{action}\">\
                     <button type=\"submit\">{}<span class=\"visually-hidden\">: {}</span></button></form> ",
                    esc(&admin.csrf),
                    esc(email),
                    t(key),
                    esc(email)
                ));
            }
            body.push_str("</td>");
        }
        body.push_str("</tr>");
    }
    body.push_str("</tbody></table></div>");

    // Retention: deleting old audit rows under a signed prune mark (owners).
    if owner {
        body.push_str(&format!(
            "<h2 id=\"retention\">{}</h2><p>{}</p>{}<fieldset class=\"console-decide\"><legend>{}</legend>\
             <p><label for=\"before\">{}</label><input id=\"before\" name=\"before\" type=\"date\" required></p>\
             <p><input type=\"checkbox\" id=\"prune-confirm\" name=\"confirm\" value=\"yes\" required> \
             <label for=\"prune-confirm\">{}</label></p><p><button type=\"submit\">{}</button></p></fieldset></form>",
            t("admin-prune-title"),
            t("admin-prune-intro"),
            view::form_start(&portal, &admin, "settings/prune"),
            t("admin-prune-title"),
            t("admin-prune-before"),
            t("admin-prune-confirm"),
            t("admin-prune-submit"),
        ));
    }
    view::page(&portal, &admin, "settings", &title, &body)
}

/// `POST /{lang}/settings/prune`: `before` (a day, not after today) and `confirm`; deletes the
/// audit rows written before that day under a signed prune mark, as `candor audit prune` does.
pub(crate) async fn prune(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(r) = admin.require(&portal, AdminRole::Owner).await {
        return r;
    }
    let today = chrono::Utc::now().date_naive();
    let day = form
        .get("before")
        .and_then(|d| chrono::NaiveDate::parse_from_str(d.trim(), "%Y-%m-%d").ok())
        .filter(|d| *d <= today);
    let (Some(day), Some("yes")) = (day, form.get("confirm")) else {
        audit_refusal(
            &portal,
            admin,
            "a prune without a past day or its confirmation",
        )
        .await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-prune-invalid",
        );
    };
    let cutoff = day.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let cat = &admin.cat;
    let lang = &admin.lang;
    let text = match portal
        .prune_audit(
            cutoff,
            &admin.email,
            &admin.client.event(EventKind::AuditPruned),
        )
        .await
    {
        Ok(Some((pruned, _))) => cat.t(
            lang,
            "admin-prune-done",
            &[
                ("rows", &pruned.mark.deleted.to_string()),
                ("seq", &pruned.mark.seq.to_string()),
                ("day", pruned.mark.cutoff_day()),
            ],
        ),
        Ok(None) => cat.t(lang, "admin-prune-nothing", &[("day", &day.to_string())]),
        Err(e) => return failed(cat, lang, &e),
    };
    let title = cat.t(lang, "admin-prune-title", &[]);
    let body = format!(
        "<h1>{}</h1><p class=\"notice-box\" role=\"status\">{}</p><p><a href=\"{}/{lang}/settings\">{}</a></p>",
        esc(&title),
        esc(&text),
        esc(&portal.settings.admin_mount),
        esc(&cat.t(lang, "admin-settings-back", &[]))
    );
    view::page(&portal, admin, "settings", &title, &body)
}

/// The admin's own second factors (passkeys by label, the authenticator app; added, last used;
/// a button to remove each but the last) and, with JavaScript, a form to add a passkey.
async fn own_factors(
    portal: &Portal,
    admin: &Admin,
    headers: &HeaderMap,
) -> Result<String, crate::portal::store::StoreError> {
    let cat = &admin.cat;
    let lang = &admin.lang;
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let mount = esc(&portal.settings.admin_mount);
    let factors = portal.store.factors(&admin.email).await?;
    let mut out = format!(
        "<h2 id=\"factors\">{}</h2><p>{}</p>{}",
        t("admin-factors-title"),
        t("admin-factors-intro"),
        view::table_start(
            "factors-caption",
            &cat.t(lang, "admin-factors-caption", &[]),
            None,
            &[
                cat.t(lang, "admin-factor-name", &[]),
                cat.t(lang, "admin-factor-kind", &[]),
                cat.t(lang, "admin-factor-added", &[]),
                cat.t(lang, "admin-factor-used", &[]),
                cat.t(lang, "admin-factor-actions", &[]),
            ],
        )
    );
    for f in &factors {
        let name = if f.kind == "totp" {
            cat.t(lang, "admin-factor-kind-totp", &[])
        } else {
            f.label.clone()
        };
        let action = if factors.len() > 1 {
            format!(
                "<form method=\"post\" action=\"{mount}/{lang}/settings/factor/remove\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                 <input type=\"hidden\" name=\"id\" value=\"{}\"><button type=\"submit\">{}<span class=\"visually-hidden\">: {}</span></button></form>",
                esc(&admin.csrf),
                esc(&f.id),
                t("admin-factor-remove"),
                esc(&name)
            )
        } else {
            t("admin-factor-only")
        };
        out.push_str(&format!(
            "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td>{}</td><td>{action}</td></tr>",
            esc(&name),
            t(if f.kind == "totp" {
                "admin-factor-kind-totp"
            } else {
                "admin-factor-kind-passkey"
            }),
            view::when(cat, lang, f.created_at),
            f.last_used_at
                .map_or_else(|| t("admin-factor-never"), |at| view::when(cat, lang, at)),
        ));
    }
    out.push_str("</tbody></table></div>");
    if webauthn::relying_party(portal, headers, &admin.client).is_some() {
        out.push_str(&format!(
            "<section class=\"passkey\" hidden aria-labelledby=\"passkey-title\"><h3 id=\"passkey-title\">{}</h3>\
             <form class=\"passkey-form\" method=\"post\" action=\"{mount}/{lang}/settings/passkey\" \
             data-options=\"{mount}/{lang}/settings/passkey/options\" data-mode=\"create\" data-working=\"{}\" data-cancelled=\"{}\">\
             <input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"response\" value=\"\">\
             <p><label for=\"passkey-label\">{}</label><input id=\"passkey-label\" name=\"label\" maxlength=\"{}\" autocomplete=\"off\"></p>\
             <p><button type=\"submit\">{}</button></p><p class=\"passkey-status\" role=\"status\"></p></form></section>\
             <script src=\"{}\" defer></script>",
            t("admin-passkey-add-title"),
            t("admin-passkey-working"),
            t("admin-passkey-cancelled"),
            esc(&admin.csrf),
            t("admin-passkey-label"),
            webauthn::LABEL_MAX,
            t("admin-passkey-add"),
            esc(&webauthn::script_url(portal)),
        ));
    }
    Ok(out)
}

fn back(portal: &Portal, admin: &Admin) -> Response {
    Redirect::to(&format!(
        "{}/{}/settings",
        portal.settings.admin_mount, admin.lang
    ))
    .into_response()
}

/// `POST /{lang}/settings/watermark`: `document` and `value` (`on` or `off`).
pub(crate) async fn watermark(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(r) = admin.require(&portal, AdminRole::Owner).await {
        return r;
    }
    let doc = form.get("document").unwrap_or_default();
    let value = form.get("value").unwrap_or_default();
    if !admin.cat.documents.contains_key(doc) || !matches!(value, "on" | "off") {
        audit_refusal(
            &portal,
            admin,
            "a watermark setting for an unknown document or value",
        )
        .await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-bad-form",
        );
    }
    match portal
        .store
        .set_setting(
            &format!("watermark:{doc}"),
            value,
            &admin.email,
            &admin.client.event(EventKind::SettingChanged),
        )
        .await
    {
        Ok(()) => back(&portal, admin),
        Err(e) => failed(&admin.cat, &admin.lang, &e),
    }
}

/// `POST /{lang}/settings/admin`: `email` and `action` (`sign-out`: end all its sessions;
/// `reset`: also remove its second factors, so that it enrols anew).
pub(crate) async fn admin_action(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(r) = admin.require(&portal, AdminRole::Owner).await {
        return r;
    }
    let email = form.get("email").unwrap_or_default().to_owned();
    let action = form.get("action").unwrap_or_default();
    if role_of(&portal, &email).is_none() || !matches!(action, "sign-out" | "reset") {
        audit_refusal(
            &portal,
            admin,
            "an admin action for an unknown address or action",
        )
        .await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-bad-form",
        );
    }
    if action == "reset"
        && let Err(e) = portal
            .store
            .remove_factors(
                &email,
                None,
                &admin.email,
                &admin.client.event(EventKind::AdminFactorRemoved),
            )
            .await
    {
        return failed(&admin.cat, &admin.lang, &e);
    }
    match portal
        .store
        .revoke_sessions_of(
            &email,
            &admin.email,
            &admin.client.event(EventKind::AdminSessionsRevoked),
        )
        .await
    {
        Ok(_) => back(&portal, admin),
        Err(e) => failed(&admin.cat, &admin.lang, &e),
    }
}
