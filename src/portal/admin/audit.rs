//! The audit log in the console: filtered by who acted, what happened, which document and
//! which days; paged by sequence number (an index, never `OFFSET`, so the thousandth page costs
//! what the first does); exported as CSV or JSON with the same filter; verified from the page
//! (the keyed chain and every checkpoint, as `candor audit verify` does). Reading it is every
//! role's; exports and verifications are themselves audited.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::session::{Admin, AdminForm};
use super::view::{self, esc};
use crate::portal::app::Portal;
use crate::portal::audit::EventKind;
use crate::portal::guards::failed;
use crate::portal::store::console::AuditFilter;
use crate::portal::store::report::LogState;

/// Rows per page.
const PAGE: i64 = 100;

#[derive(serde::Deserialize, Default)]
pub(crate) struct FilterQuery {
    #[serde(default)]
    actor: String,
    #[serde(default)]
    event: String,
    #[serde(default)]
    document: String,
    #[serde(default)]
    from: String,
    #[serde(default)]
    to: String,
    #[serde(default)]
    before: Option<i64>,
}

fn day(s: &str) -> bool {
    chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok() && s.len() == 10
}

impl FilterQuery {
    /// The store's filter, or the name of the field that cannot be one.
    fn filter(&self) -> Result<AuditFilter, &'static str> {
        let text = |s: &str, max: usize, ok: fn(char) -> bool, name: &'static str| {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else if s.chars().count() > max || !s.chars().all(ok) {
                Err(name)
            } else {
                Ok(Some(s.to_owned()))
            }
        };
        let date = |s: &str, name: &'static str| {
            let s = s.trim();
            if s.is_empty() {
                Ok(None)
            } else if day(s) {
                Ok(Some(s.to_owned()))
            } else {
                Err(name)
            }
        };
        Ok(AuditFilter {
            actor: text(&self.actor, 254, |c| !c.is_control() && c != ' ', "actor")?,
            event: text(
                &self.event,
                40,
                |c| c.is_ascii_lowercase() || c == '_',
                "event",
            )?,
            document: text(
                &self.document,
                100,
                |c| c.is_ascii_alphanumeric() || c == '-' || c == '_',
                "document",
            )?,
            from: date(&self.from, "from")?,
            to: date(&self.to, "to")?,
        })
    }

    /// The query string of this filter (without `before`).
    fn query(&self) -> String {
        let enc = |s: &str| {
            percent_encoding::utf8_percent_encode(s.trim(), percent_encoding::NON_ALPHANUMERIC)
                .to_string()
        };
        format!(
            "actor={}&event={}&document={}&from={}&to={}",
            enc(&self.actor),
            enc(&self.event),
            enc(&self.document),
            enc(&self.from),
            enc(&self.to)
        )
    }
}

fn bad_filter(admin: &Admin) -> Response {
    view::message(
        &admin.cat,
        &admin.lang,
        StatusCode::BAD_REQUEST,
        "admin-audit-bad-filter",
    )
}

/// `GET /{lang}/audit`.
pub(crate) async fn audit_page(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<FilterQuery>,
) -> Response {
    let Ok(filter) = q.filter() else {
        return bad_filter(&admin);
    };
    let rows = match portal.store.audit_page(&filter, q.before, PAGE + 1).await {
        Ok(r) => r,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let events = match portal.store.audit_events().await {
        Ok(e) => e,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let cat = &admin.cat;
    let lang = &admin.lang;
    let mount = esc(&portal.settings.admin_mount);
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let title = cat.t(lang, "admin-audit-title", &[]);
    let mut body = format!("<h1>{}</h1>", esc(&title));
    // The filter (a GET form: the filtered page has its own address).
    body.push_str(&format!(
        "<form method=\"get\" action=\"{mount}/{lang}/audit\" class=\"console-filter\"><fieldset><legend>{}</legend>\
         <p><label for=\"actor\">{}</label><input id=\"actor\" name=\"actor\" value=\"{}\" maxlength=\"254\"></p>\
         <p><label for=\"event\">{}</label><select id=\"event\" name=\"event\"><option value=\"\">{}</option>",
        t("admin-audit-filter"),
        t("admin-audit-actor"),
        esc(q.actor.trim()),
        t("admin-audit-event"),
        t("admin-audit-any"),
    ));
    for e in &events {
        let selected = if *e == q.event.trim() {
            " selected"
        } else {
            ""
        };
        body.push_str(&format!("<option{selected}>{}</option>", esc(e)));
    }
    body.push_str(&format!(
        "</select></p><p><label for=\"document\">{}</label><input id=\"document\" name=\"document\" value=\"{}\" maxlength=\"100\"></p>\
         <p><label for=\"from\">{}</label><input id=\"from\" name=\"from\" type=\"date\" value=\"{}\"></p>\
         <p><label for=\"to\">{}</label><input id=\"to\" name=\"to\" type=\"date\" value=\"{}\"></p>\
         <p><button type=\"submit\">{}</button></p></fieldset></form>",
        t("admin-audit-document"),
        esc(q.document.trim()),
        t("admin-audit-from"),
        esc(q.from.trim()),
        t("admin-audit-to"),
        esc(q.to.trim()),
        t("admin-audit-apply"),
    ));
    let query = q.query();
    body.push_str(&format!(
        "<p class=\"console-actions\"><a href=\"{mount}/{lang}/audit/export.csv?{q}\" download>{}</a> · \
         <a href=\"{mount}/{lang}/audit/export.json?{q}\" download>{}</a></p>\
         <form method=\"post\" action=\"{mount}/{lang}/audit/verify\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
         <p><button type=\"submit\">{}</button></p></form>",
        t("admin-audit-csv"),
        t("admin-audit-json"),
        esc(&admin.csrf),
        t("admin-audit-verify"),
        q = esc(&query),
    ));
    let more = rows.len() as i64 > PAGE;
    let shown = &rows[..rows.len().min(PAGE as usize)];
    if shown.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-audit-none")));
    } else {
        body.push_str(&format!(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"audit-caption\"><table class=\"console-table\">\
             <caption id=\"audit-caption\">{}</caption><thead><tr>",
            t("admin-audit-caption")
        ));
        for key in [
            "admin-audit-seq",
            "admin-audit-at",
            "admin-audit-event",
            "admin-audit-actor",
            "admin-audit-document",
            "admin-audit-detail",
        ] {
            body.push_str(&format!("<th scope=\"col\">{}</th>", t(key)));
        }
        body.push_str("</tr></thead><tbody>");
        for r in shown {
            body.push_str(&format!(
                "<tr><td>{}</td><td><time datetime=\"{}\">{}</time></td><th scope=\"row\">{}</th><td>{}</td><td>{}</td><td class=\"reason\">{}</td></tr>",
                r.seq,
                esc(&r.at),
                esc(r.at.get(..19).unwrap_or(&r.at).replace('T', " ").as_str()),
                esc(&r.event),
                esc(r.email.as_deref().unwrap_or("")),
                esc(r.document_id.as_deref().unwrap_or("")),
                esc(r.detail.as_deref().unwrap_or("")),
            ));
        }
        body.push_str("</tbody></table></div>");
        if more && let Some(last) = shown.last() {
            body.push_str(&format!(
                "<p class=\"console-pager\"><a href=\"{mount}/{lang}/audit?{}&amp;before={}\">{}</a></p>",
                esc(&query),
                last.seq,
                t("admin-audit-older")
            ));
        }
    }
    view::page(&portal, &admin, "audit", &title, &body)
}

async fn export(portal: &Portal, admin: &Admin, q: &FilterQuery, json: bool) -> Response {
    let Ok(filter) = q.filter() else {
        return bad_filter(admin);
    };
    let rows = match portal.store.audit_matching(&filter).await {
        Ok(r) => r,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    if let Err(e) = portal
        .store
        .audit_admin(
            EventKind::AuditExported,
            &admin.email,
            Some(format!(
                "{} rows as {}; filter {}",
                rows.len(),
                if json { "JSON" } else { "CSV" },
                q.query()
            )),
            &admin.client.event(EventKind::AuditExported),
        )
        .await
    {
        return failed(&admin.cat, &admin.lang, &e);
    }
    let (body, ty, ext) = if json {
        (
            serde_json::to_vec_pretty(&rows).unwrap_or_default(),
            "application/json",
            "json",
        )
    } else {
        (
            crate::portal::audit::to_csv(&rows).into_bytes(),
            "text/csv; charset=utf-8",
            "csv",
        )
    };
    let mut r = (StatusCode::OK, [(header::CONTENT_TYPE, ty)], body).into_response();
    if let Ok(v) = HeaderValue::from_str(&format!("attachment; filename=\"audit.{ext}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}

/// `GET /{lang}/audit/export.csv`.
pub(crate) async fn export_csv(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<FilterQuery>,
) -> Response {
    export(&portal, &admin, &q, false).await
}

/// `GET /{lang}/audit/export.json`.
pub(crate) async fn export_json(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<FilterQuery>,
) -> Response {
    export(&portal, &admin, &q, true).await
}

/// `POST /{lang}/audit/verify`: the chain and every checkpoint, with the result on the page.
pub(crate) async fn verify(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    let cat = &admin.cat;
    let lang = &admin.lang;
    let state = match portal.store.verify_log(&portal.checkpoint_dir(), &[]).await {
        Ok(s) => s,
        Err(e) => return failed(cat, lang, &e),
    };
    let (ok, text) = match &state {
        LogState::Intact(r) => {
            let mut text = cat.t(
                lang,
                "admin-audit-intact",
                &[("rows", &r.verified.rows.to_string())],
            );
            if let Some(mark) = &r.pruned {
                text.push(' ');
                text.push_str(&cat.t(
                    lang,
                    "admin-audit-pruned",
                    &[("rows", &mark.seq.to_string()), ("day", mark.cutoff_day())],
                ));
            }
            text.push(' ');
            text.push_str(&match &r.newest_checkpoint {
                Some((_, cp)) => cat.t(
                    lang,
                    "admin-audit-checkpoint",
                    &[
                        ("seq", &cp.seq.to_string()),
                        ("count", &r.checkpoints.to_string()),
                        ("newer", &(r.verified.head.0 - cp.seq).to_string()),
                    ],
                ),
                None => cat.t(lang, "admin-audit-no-checkpoint", &[]),
            });
            (true, text)
        }
        LogState::Tampered(what) => (
            false,
            cat.t(lang, "admin-audit-tampered", &[("what", what)]),
        ),
        LogState::BadCheckpoint(why) => {
            (false, cat.t(lang, "admin-audit-tampered", &[("what", why)]))
        }
    };
    if let Err(e) = portal
        .store
        .audit_admin(
            EventKind::AuditVerified,
            &admin.email,
            Some(if ok {
                "intact".to_owned()
            } else {
                format!("broken: {text}")
            }),
            &admin.client.event(EventKind::AuditVerified),
        )
        .await
    {
        return failed(cat, lang, &e);
    }
    let title = cat.t(lang, "admin-audit-verify-title", &[]);
    let body = format!(
        "<h1>{}</h1><p class=\"notice-box{}\" role=\"status\">{}</p><p><a href=\"{}/{lang}/audit\">{}</a></p>",
        esc(&title),
        if ok { "" } else { " expired" },
        esc(&text),
        esc(&portal.settings.admin_mount),
        esc(&cat.t(lang, "admin-audit-back", &[]))
    );
    let mut r = view::page(&portal, admin, "audit", &title, &body);
    if !ok {
        *r.status_mut() = StatusCode::CONFLICT;
    }
    r
}
