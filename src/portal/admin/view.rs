//! The console's HTML: its frame (the site's page with the console's navigation and the
//! sign-out button), tables, dates and the one escaping function everything goes through
//! (every value a requester controls, such as name, company and reason, is text, never markup).

use axum::http::StatusCode;
use axum::response::Response;

use super::session::Admin;
use crate::portal::app::{Catalogue, Portal};
use crate::portal::guards::html;

/// Escapes text for HTML text and quoted attributes.
pub(crate) fn esc(s: &str) -> String {
    crate::site::render::templates::escape_html(s)
}

/// The console's sections, in the navigation's order: path segment and UI string.
pub(crate) const SECTIONS: [(&str, &str); 8] = [
    ("requests", "admin-nav-requests"),
    ("grants", "admin-nav-grants"),
    ("downloads", "admin-nav-downloads"),
    ("agreements", "admin-nav-agreements"),
    ("objections", "admin-nav-objections"),
    ("rules", "admin-nav-rules"),
    ("audit", "admin-nav-audit"),
    ("settings", "admin-nav-settings"),
];

/// A console page: the navigation (the current section marked), `body`, and the admin's
/// address, role and sign-out button.
pub(crate) fn page(
    portal: &Portal,
    admin: &Admin,
    current: &str,
    title: &str,
    body: &str,
) -> Response {
    let cat = &admin.cat;
    let lang = &admin.lang;
    let mount = &portal.settings.admin_mount;
    let mut nav = format!(
        "<nav class=\"console-nav\" aria-label=\"{}\"><ul>",
        esc(&cat.t(lang, "admin-nav-label", &[]))
    );
    for (segment, key) in SECTIONS {
        let label = esc(&cat.t(lang, key, &[]));
        if segment == current {
            nav.push_str(&format!(
                "<li><a href=\"{}/{lang}/{segment}\" aria-current=\"page\">{label}</a></li>",
                esc(mount)
            ));
        } else {
            nav.push_str(&format!(
                "<li><a href=\"{}/{lang}/{segment}\">{label}</a></li>",
                esc(mount)
            ));
        }
    }
    nav.push_str("</ul></nav>");
    let who = format!(
        "<form class=\"console-user\" method=\"post\" action=\"{}/{lang}/sign-out\">\
         <input type=\"hidden\" name=\"csrf\" value=\"{}\"><p>{} \
         <button type=\"submit\">{}</button></p></form>",
        esc(mount),
        esc(&admin.csrf),
        esc(&cat.t(
            lang,
            "admin-signed-in-as",
            &[
                ("email", &admin.email),
                (
                    "role",
                    &cat.t(lang, &format!("admin-role-{}", admin.role.as_str()), &[])
                )
            ]
        )),
        esc(&cat.t(lang, "admin-sign-out", &[]))
    );
    let full = format!("<div class=\"console\">{who}{nav}{body}</div>");
    html(StatusCode::OK, cat.page(lang, title, &full))
}

/// The start of a console form that posts to `<mount>/<lang>/<path>`, with the session's CSRF
/// token.
pub(crate) fn form_start(portal: &Portal, admin: &Admin, path: &str) -> String {
    format!(
        "<form method=\"post\" action=\"{}/{}/{path}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&portal.settings.admin_mount),
        admin.lang,
        esc(&admin.csrf)
    )
}

/// The start of a table that scrolls sideways on a narrow screen (a focusable region named by
/// its caption `id`), up to its header row: a column of checkboxes first when `select` names
/// it, then `headers`. Ends with `<tbody>`.
pub(crate) fn table_start(
    id: &str,
    caption: &str,
    select: Option<&str>,
    headers: &[String],
) -> String {
    let mut out = format!(
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"{id}\"><table class=\"console-table\">\
         <caption id=\"{id}\">{}</caption><thead><tr>",
        esc(caption)
    );
    if let Some(select) = select {
        out.push_str(&format!(
            "<th scope=\"col\"><span class=\"visually-hidden\">{}</span></th>",
            esc(select)
        ));
    }
    for h in headers {
        out.push_str(&format!("<th scope=\"col\">{}</th>", esc(h)));
    }
    out.push_str("</tr></thead><tbody>");
    out
}

/// A message page of the UI strings `<key>-title` and `<key>-body`, with `status`.
pub(crate) fn message(cat: &Catalogue, lang: &str, status: StatusCode, key: &str) -> Response {
    let title = cat.t(lang, &format!("{key}-title"), &[]);
    let body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&title),
        esc(&cat.t(lang, &format!("{key}-body"), &[]))
    );
    html(status, cat.page(lang, &title, &body))
}

/// A date and time (UTC) for a table cell, in a `<time>` element.
pub(crate) fn when(cat: &Catalogue, lang: &str, at: i64) -> String {
    let iso = chrono::DateTime::from_timestamp(at, 0)
        .map(|d| d.format("%Y-%m-%dT%H:%MZ").to_string())
        .unwrap_or_default();
    let time = chrono::DateTime::from_timestamp(at, 0)
        .map(|d| d.format("%H:%M").to_string())
        .unwrap_or_default();
    format!(
        "<time datetime=\"{iso}\">{} {time}</time>",
        esc(&cat.date(lang, at))
    )
}
