//! The console's requests and grants: lists by state, deciding requests (one or many at once:
//! approve for a number of days, or reject with a reason that the requester's mail carries),
//! revoking grants. Deciding and revoking need the `approver` role; every decision is audited
//! with the admin's address, as the CLI and the API audit theirs.

use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use chrono::Utc;

use super::session::{Admin, AdminForm, audit_refusal};
use super::view::{self, esc, when};
use crate::portal::app::Portal;
use crate::portal::audit::EventKind;
use crate::portal::guards::{clean, failed};
use crate::portal::store::console::GrantState;
use crate::portal::store::{self, Status};
use crate::site::config::AdminRole;

/// Rows per page.
const PAGE: i64 = 50;
/// At most this many requests or grants in one bulk action.
const BULK: usize = 200;
/// A rejection reason's length.
const REASON_MAX: usize = 1000;

/// The request states the console lists, in its tabs' order (`pending` first: what waits).
const REQUEST_TABS: [(&str, Option<Status>); 5] = [
    ("pending", Some(Status::Pending)),
    ("unverified", Some(Status::Unverified)),
    ("approved", Some(Status::Approved)),
    ("rejected", Some(Status::Rejected)),
    ("all", None),
];

#[derive(serde::Deserialize, Default)]
pub(crate) struct ListQuery {
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    page: Option<i64>,
    #[serde(default)]
    done: Option<String>,
}

fn tabs(portal: &Portal, admin: &Admin, section: &str, tabs: &[&str], current: &str) -> String {
    let mut out = format!(
        "<nav class=\"console-tabs\" aria-label=\"{}\"><ul>",
        esc(&admin.cat.t(&admin.lang, "admin-tabs-label", &[]))
    );
    for tab in tabs {
        let label = esc(&admin.cat.t(&admin.lang, &format!("admin-state-{tab}"), &[]));
        let href = format!(
            "{}/{}/{section}?state={tab}",
            esc(&portal.settings.admin_mount),
            admin.lang
        );
        if *tab == current {
            out.push_str(&format!(
                "<li><a href=\"{href}\" aria-current=\"page\">{label}</a></li>"
            ));
        } else {
            out.push_str(&format!("<li><a href=\"{href}\">{label}</a></li>"));
        }
    }
    out.push_str("</ul></nav>");
    out
}

fn pager(
    portal: &Portal,
    admin: &Admin,
    section: &str,
    state: &str,
    page: i64,
    total: i64,
) -> String {
    let pages = (total + PAGE - 1) / PAGE;
    if pages <= 1 {
        return String::new();
    }
    let link = |p: i64, key: &str| {
        format!(
            "<a href=\"{}/{}/{section}?state={state}&amp;page={p}\">{}</a>",
            esc(&portal.settings.admin_mount),
            admin.lang,
            esc(&admin.cat.t(&admin.lang, key, &[]))
        )
    };
    let mut out = String::from("<p class=\"console-pager\">");
    if page > 1 {
        out.push_str(&link(page - 1, "admin-previous"));
        out.push(' ');
    }
    out.push_str(&esc(&admin.cat.t(
        &admin.lang,
        "admin-page-of",
        &[("page", &page.to_string()), ("pages", &pages.to_string())],
    )));
    if page < pages {
        out.push(' ');
        out.push_str(&link(page + 1, "admin-next"));
    }
    out.push_str("</p>");
    out
}

/// A note about what the last action did (`?done=…`), from a fixed list (never echoed text).
fn done_note(admin: &Admin, done: Option<&str>) -> String {
    let key = match done {
        Some("approved") => "admin-done-approved",
        Some("rejected") => "admin-done-rejected",
        Some("revoked") => "admin-done-revoked",
        Some("extended") => "admin-done-extended",
        Some("resent") => "admin-done-resent",
        Some("partial") => "admin-done-partial",
        Some("none") => "admin-done-none",
        _ => return String::new(),
    };
    format!(
        "<p class=\"notice-box\" role=\"status\">{}</p>",
        esc(&admin.cat.t(&admin.lang, key, &[]))
    )
}

/// `GET /{lang}/requests`.
pub(crate) async fn requests_page(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<ListQuery>,
) -> Response {
    let state = q
        .state
        .as_deref()
        .and_then(|s| REQUEST_TABS.iter().find(|(n, _)| *n == s))
        .unwrap_or(&REQUEST_TABS[0]);
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let (rows, total) = match portal
        .store
        .requests_page(state.1, (page - 1) * PAGE, PAGE)
        .await
    {
        Ok(r) => r,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let cat = &admin.cat;
    let lang = &admin.lang;
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let title = cat.t(lang, "admin-requests-title", &[]);
    let mut body = format!("<h1>{}</h1>", esc(&title));
    body.push_str(&done_note(&admin, q.done.as_deref()));
    let names: Vec<&str> = REQUEST_TABS.iter().map(|(n, _)| *n).collect();
    body.push_str(&tabs(&portal, &admin, "requests", &names, state.0));
    if rows.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-requests-none")));
        return view::page(&portal, &admin, "requests", &title, &body);
    }
    let decidable = admin.role >= AdminRole::Approver;
    if decidable {
        body.push_str(&view::form_start(&portal, &admin, "requests/decide"));
    }
    let headers: Vec<String> = [
        "admin-col-submitted",
        "admin-col-requester",
        "admin-col-company",
        "admin-col-document",
        "admin-col-nda",
        "admin-col-reason",
        "admin-col-state",
    ]
    .iter()
    .map(|k| cat.t(lang, k, &[]))
    .collect();
    body.push_str(&view::table_start(
        "requests-caption",
        &cat.t(
            lang,
            "admin-requests-caption",
            &[("count", &total.to_string())],
        ),
        decidable
            .then(|| cat.t(lang, "admin-select", &[]))
            .as_deref(),
        &headers,
    ));
    for r in &rows {
        let domain = r.email.rsplit_once('@').map_or("", |(_, d)| d);
        body.push_str("<tr>");
        if decidable {
            if r.status == Status::Pending || r.status == Status::Unverified {
                body.push_str(&format!(
                    "<td><input type=\"checkbox\" name=\"id\" value=\"{}\" id=\"r-{}\" aria-label=\"{}\"></td>",
                    esc(&r.id),
                    esc(&r.id),
                    esc(&cat.t(lang, "admin-select-request", &[("name", &r.name), ("document", &cat.title_of(&r.document_id, lang))]))
                ));
            } else {
                body.push_str("<td></td>");
            }
        }
        let decided = match (&r.decided_by, r.decided_at) {
            (Some(by), Some(at)) => format!(
                "<br><span class=\"meta\">{} · {}</span>",
                esc(by),
                when(cat, lang, at)
            ),
            _ => String::new(),
        };
        body.push_str(&format!(
            "<td>{}</td><th scope=\"row\">{}<br><span class=\"meta\">{}</span></th><td>{}<br><span class=\"meta\">{}</span></td>\
             <td>{}<br><span class=\"meta\">{}</span></td><td>{}</td><td class=\"reason\">{}</td><td>{}{decided}</td></tr>",
            when(cat, lang, r.created_at),
            esc(&r.name),
            esc(&r.email),
            esc(&r.company),
            esc(domain),
            esc(&cat.title_of(&r.document_id, lang)),
            esc(&cat.t(lang, &format!("language-{}", r.lang), &[])),
            esc(r.nda_version.as_deref().unwrap_or("–")),
            esc(&r.reason),
            esc(&cat.t(lang, &format!("admin-state-{}", r.status.as_str()), &[])),
        ));
    }
    body.push_str("</tbody></table></div>");
    if decidable {
        body.push_str(&format!(
            "<fieldset class=\"console-decide\"><legend>{}</legend>\
             <p><label for=\"days\">{}</label><input id=\"days\" name=\"days\" type=\"number\" min=\"1\" max=\"3650\" value=\"{}\"></p>\
             <p><button type=\"submit\" name=\"action\" value=\"approve\">{}</button></p>\
             <p><label for=\"reason\">{}</label><textarea id=\"reason\" name=\"reason\" rows=\"3\" maxlength=\"{REASON_MAX}\"></textarea></p>\
             <p><button type=\"submit\" name=\"action\" value=\"reject\">{}</button></p></fieldset></form>",
            t("admin-decide-legend"),
            t("admin-decide-days"),
            portal.settings.grant_days,
            t("admin-decide-approve"),
            t("admin-decide-reason"),
            t("admin-decide-reject"),
        ));
    }
    body.push_str(&pager(&portal, &admin, "requests", state.0, page, total));
    view::page(&portal, &admin, "requests", &title, &body)
}

/// The ids a bulk form names, each of a shape the store could hold, at most [`BULK`].
fn ids(form: &AdminForm) -> Option<Vec<&str>> {
    let ids = form.all("id");
    (!ids.is_empty() && ids.len() <= BULK && ids.iter().all(|id| store::valid_id(id)))
        .then_some(ids)
}

/// `POST /{lang}/requests/decide`: approve or reject the selected requests.
pub(crate) async fn decide(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(r) = admin.require(&portal, AdminRole::Approver).await {
        return r;
    }
    let back = |done: &str| {
        Redirect::to(&format!(
            "{}/{}/requests?done={done}",
            portal.settings.admin_mount, admin.lang
        ))
        .into_response()
    };
    let Some(ids) = ids(&form) else {
        return back("none");
    };
    let action = form.get("action").unwrap_or_default();
    let reason = clean(form.get("reason").unwrap_or_default().trim(), REASON_MAX);
    let days = form
        .get("days")
        .and_then(|d| d.trim().parse::<u32>().ok())
        .unwrap_or(portal.settings.grant_days)
        .clamp(1, 3650);
    let mut failures = 0;
    match action {
        "approve" => {
            for id in &ids {
                match portal
                    .store
                    .approve(
                        id,
                        days,
                        portal.settings.download_limit,
                        &admin.email,
                        &admin.client.event(EventKind::Approved),
                    )
                    .await
                {
                    Ok(grant) => {
                        if let Err(e) = portal.notify_approved(&grant, None).await {
                            eprintln!("portal: cannot send the grant mail: {e}");
                            failures += 1;
                        }
                    }
                    Err(store::StoreError::Conflict(_) | store::StoreError::NotFound(_)) => {
                        failures += 1
                    }
                    Err(e) => return failed(&admin.cat, &admin.lang, &e),
                }
            }
            back(if failures == 0 { "approved" } else { "partial" })
        }
        "reject" => {
            for id in &ids {
                match portal
                    .store
                    .reject(
                        id,
                        &admin.email,
                        (!reason.is_empty()).then_some(reason.as_str()),
                        &admin.client.event(EventKind::Rejected),
                    )
                    .await
                {
                    Ok(r) => {
                        let reason = (!reason.is_empty()).then_some(reason.as_str());
                        if let Err(e) = portal.notify_rejected(&r, reason).await {
                            eprintln!("portal: cannot send the rejection mail: {e}");
                        }
                    }
                    Err(store::StoreError::Conflict(_) | store::StoreError::NotFound(_)) => {
                        failures += 1
                    }
                    Err(e) => return failed(&admin.cat, &admin.lang, &e),
                }
            }
            back(if failures == 0 { "rejected" } else { "partial" })
        }
        _ => {
            audit_refusal(
                &portal,
                admin,
                "a decision that is neither approve nor reject",
            )
            .await;
            view::message(
                &admin.cat,
                &admin.lang,
                StatusCode::BAD_REQUEST,
                "admin-bad-form",
            )
        }
    }
}

/// `GET /{lang}/grants`.
pub(crate) async fn grants_page(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<ListQuery>,
) -> Response {
    let tabs_list = ["active", "expired", "revoked"];
    let (name, state) = match q.state.as_deref() {
        Some("expired") => ("expired", GrantState::Expired),
        Some("revoked") => ("revoked", GrantState::Revoked),
        _ => ("active", GrantState::Active),
    };
    let page = q.page.unwrap_or(1).clamp(1, 100_000);
    let now = Utc::now().timestamp();
    let (rows, total) = match portal
        .store
        .grants_page(state, now, (page - 1) * PAGE, PAGE)
        .await
    {
        Ok(r) => r,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let cat = &admin.cat;
    let lang = &admin.lang;
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let title = cat.t(lang, "admin-grants-title", &[]);
    let mut body = format!("<h1>{}</h1>", esc(&title));
    body.push_str(&done_note(&admin, q.done.as_deref()));
    body.push_str(&tabs(&portal, &admin, "grants", &tabs_list, name));
    if rows.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-grants-none")));
        return view::page(&portal, &admin, "grants", &title, &body);
    }
    let revocable = admin.role >= AdminRole::Approver && name == "active";
    if revocable {
        body.push_str(&view::form_start(&portal, &admin, "grants/act"));
    }
    let headers: Vec<String> = [
        "admin-col-recipient",
        "admin-col-company",
        "admin-col-document",
        "admin-col-granted",
        "admin-col-until",
        "admin-col-downloads",
    ]
    .iter()
    .map(|k| cat.t(lang, k, &[]))
    .collect();
    body.push_str(&view::table_start(
        "grants-caption",
        &cat.t(
            lang,
            "admin-grants-caption",
            &[("count", &total.to_string())],
        ),
        revocable
            .then(|| cat.t(lang, "admin-select", &[]))
            .as_deref(),
        &headers,
    ));
    for g in &rows {
        body.push_str("<tr>");
        if revocable {
            body.push_str(&format!(
                "<td><input type=\"checkbox\" name=\"id\" value=\"{}\" aria-label=\"{}\"></td>",
                esc(&g.id),
                esc(&cat.t(
                    lang,
                    "admin-select-grant",
                    &[
                        ("name", &g.name),
                        ("document", &cat.title_of(&g.document_id, lang))
                    ]
                ))
            ));
        }
        let until = match g.revoked_at {
            Some(at) => format!("{} {}", t("admin-state-revoked"), when(cat, lang, at)),
            None => when(cat, lang, g.expires_at),
        };
        body.push_str(&format!(
            "<th scope=\"row\">{}<br><span class=\"meta\">{}</span></th><td>{}</td><td>{}</td><td>{}</td><td>{until}</td><td>{} / {}</td></tr>",
            esc(&g.name),
            esc(&g.email),
            esc(&g.company),
            esc(&cat.title_of(&g.document_id, lang)),
            when(cat, lang, g.created_at),
            g.downloads,
            g.max_downloads
        ));
    }
    body.push_str("</tbody></table></div>");
    if revocable {
        body.push_str(&format!(
            "<fieldset class=\"console-decide\"><legend>{}</legend>\
             <p><button type=\"submit\" name=\"action\" value=\"resend\">{}</button></p>\
             <p><label for=\"days\">{}</label><input id=\"days\" name=\"days\" type=\"number\" min=\"1\" max=\"3650\" value=\"{}\"> \
             <button type=\"submit\" name=\"action\" value=\"extend\">{}</button></p>\
             <p><button type=\"submit\" name=\"action\" value=\"revoke\">{}</button></p></fieldset></form>",
            t("admin-grants-legend"),
            t("admin-resend"),
            t("admin-extend-days"),
            portal.settings.grant_days,
            t("admin-extend"),
            t("admin-revoke")
        ));
    }
    body.push_str(&pager(&portal, &admin, "grants", name, page, total));
    view::page(&portal, &admin, "grants", &title, &body)
}

/// `POST /{lang}/grants/act`: revokes the selected grants (downloads stop at once, on every
/// replica: the store is shared), extends them, or mails their recipients a fresh link (the
/// links mailed before stop working).
pub(crate) async fn grants_act(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(r) = admin.require(&portal, AdminRole::Approver).await {
        return r;
    }
    let back = |done: &str| {
        Redirect::to(&format!(
            "{}/{}/grants?done={done}",
            portal.settings.admin_mount, admin.lang
        ))
        .into_response()
    };
    let Some(ids) = ids(&form) else {
        return back("none");
    };
    let action = form.get("action").unwrap_or_default();
    if !matches!(action, "revoke" | "resend" | "extend") {
        audit_refusal(
            &portal,
            admin,
            "a grant action that is not revoke, resend or extend",
        )
        .await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-bad-form",
        );
    }
    let days = form
        .get("days")
        .and_then(|d| d.trim().parse::<u32>().ok())
        .unwrap_or(portal.settings.grant_days)
        .clamp(1, 3650);
    let mut failures = 0;
    for id in ids {
        let done = match action {
            "revoke" => portal
                .store
                .revoke(id, &admin.email, &admin.client.event(EventKind::Revoked))
                .await
                .map(drop),
            "extend" => portal
                .store
                .extend_grant(
                    id,
                    days,
                    &admin.email,
                    &admin.client.event(EventKind::GrantExtended),
                )
                .await
                .map(drop),
            _ => {
                let nonce = crate::portal::token::nonce();
                match portal
                    .store
                    .renew_grant_link(
                        id,
                        &nonce,
                        &admin.email,
                        &admin.client.event(EventKind::GrantResent),
                    )
                    .await
                {
                    Ok(grant) => {
                        if let Err(e) = portal.notify_approved(&grant, Some(&nonce)).await {
                            eprintln!("portal: cannot send the grant mail: {e}");
                            failures += 1;
                        }
                        Ok(())
                    }
                    Err(e) => Err(e),
                }
            }
        };
        match done {
            Ok(()) => {}
            Err(store::StoreError::NotFound(_) | store::StoreError::Conflict(_)) => failures += 1,
            Err(e) => return failed(&admin.cat, &admin.lang, &e),
        }
    }
    let ok = match action {
        "revoke" => "revoked",
        "extend" => "extended",
        _ => "resent",
    };
    back(if failures == 0 { ok } else { "partial" })
}

/// `GET /{lang}/`: the console's start, the requests that wait.
pub(crate) async fn home(State(portal): State<Arc<Portal>>, Path(lang): Path<String>) -> Response {
    let cat = portal.catalogue();
    let lang = crate::portal::guards::lang_or_default(&cat, &lang);
    Redirect::to(&format!("{}/{lang}/requests", portal.settings.admin_mount)).into_response()
}
