//! Objections to subprocessor changes: the confirmed objections, newest first, filtered by
//! change. Every role may read them. Late objections say so in words; everything the objector
//! wrote is text, never markup.

use std::sync::Arc;

use axum::extract::{Query, State};
use axum::response::Response;

use super::session::Admin;
use super::view::{self, esc, when};
use crate::portal::app::Portal;
use crate::portal::guards::failed;

#[derive(serde::Deserialize, Default)]
pub(crate) struct Filter {
    #[serde(default)]
    change: Option<String>,
}

/// `GET /{lang}/objections?change=…`.
pub(crate) async fn objections_page(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Query(q): Query<Filter>,
) -> Response {
    let all = match portal.store.objections(None).await {
        Ok(o) => o,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let change = q.change.as_deref().map(str::trim).filter(|c| !c.is_empty());
    let cat = &admin.cat;
    let lang = &admin.lang;
    let mount = esc(&portal.settings.admin_mount);
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let title = cat.t(lang, "admin-objections-title", &[]);
    let mut body = format!("<h1>{}</h1>", esc(&title));
    if all.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-objections-none")));
        return view::page(&portal, &admin, "objections", &title, &body);
    }
    // The filter: the changes objected to (a GET form: the filtered page has its own address).
    let mut changes: Vec<&str> = all.iter().map(|o| o.change_id.as_str()).collect();
    changes.sort_unstable();
    changes.dedup();
    body.push_str(&format!(
        "<form method=\"get\" action=\"{mount}/{lang}/objections\" class=\"console-filter\"><p><label for=\"change\">{}</label><select id=\"change\" name=\"change\"><option value=\"\">{}</option>",
        t("admin-objections-change"),
        t("admin-objections-all"),
    ));
    for c in &changes {
        let selected = if Some(*c) == change { " selected" } else { "" };
        body.push_str(&format!(
            "<option value=\"{}\"{selected}>{}</option>",
            esc(c),
            esc(c)
        ));
    }
    body.push_str(&format!(
        "</select> <button type=\"submit\">{}</button></p></form>",
        t("admin-objections-apply")
    ));
    let shown: Vec<_> = all
        .iter()
        .filter(|o| change.is_none_or(|c| o.change_id == c))
        .collect();
    if shown.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-objections-none-here")));
        return view::page(&portal, &admin, "objections", &title, &body);
    }
    let late_count = shown.iter().filter(|o| o.late).count();
    let headers: Vec<String> = [
        "admin-objections-received",
        "admin-objections-reference",
        "admin-objections-change",
        "admin-objections-timeliness",
        "admin-col-company",
        "admin-objections-contact",
        "admin-objections-standing",
        "admin-col-reason",
    ]
    .iter()
    .map(|k| cat.t(lang, k, &[]))
    .collect();
    body.push_str(&view::table_start(
        "objections-caption",
        &cat.t(
            lang,
            "admin-objections-caption",
            &[
                ("count", &shown.len().to_string()),
                ("late", &late_count.to_string()),
            ],
        ),
        None,
        &headers,
    ));
    for o in shown {
        let kind = cat.t(
            lang,
            &format!("sub-change-{}", o.kind),
            &[("name", &o.subprocessor)],
        );
        let timeliness = if o.late {
            format!(
                "<strong class=\"late\">{}</strong>",
                esc(&cat.t(lang, "admin-objections-late", &[("deadline", &o.deadline)]))
            )
        } else {
            esc(&cat.t(
                lang,
                "admin-objections-in-time",
                &[("deadline", &o.deadline)],
            ))
        };
        let standing = match (&o.grant_id, o.subscribed) {
            (Some(g), true) => cat.t(lang, "admin-objections-standing-both", &[("grant", g)]),
            (Some(g), false) => cat.t(lang, "admin-objections-standing-grant", &[("grant", g)]),
            (None, true) => cat.t(lang, "admin-objections-standing-subscriber", &[]),
            (None, false) => cat.t(lang, "admin-objections-standing-address", &[]),
        };
        body.push_str(&format!(
            "<tr><td>{}</td><th scope=\"row\">{}</th><td>{}<br><span class=\"meta\">{}</span></td><td>{timeliness}</td><td>{}</td><td>{}<br><span class=\"meta\">{}</span></td><td>{}</td><td class=\"pre-line\">{}</td></tr>",
            when(cat, lang, o.received_at),
            esc(&o.id),
            esc(&kind),
            esc(&o.change_id),
            esc(&o.company),
            esc(&o.contact),
            esc(&o.email),
            esc(&standing),
            esc(&o.reason),
        ));
    }
    body.push_str("</tbody></table></div>");
    view::page(&portal, &admin, "objections", &title, &body)
}
