//! The HTML of the portal's pages (the content inside the theme's `portal.html` frame). Every
//! value that comes from a visitor or the store is escaped here.

use super::app::{Catalogue, GatedDocument};
use super::store::{Grant, Request};
use crate::site::render::xml_escape as esc;

/// What the visitor typed into the request form (kept when the form is shown again).
#[derive(Debug, Default, Clone)]
pub struct FormValues {
    pub name: String,
    pub email: String,
    pub company: String,
    pub reason: String,
    pub nda: bool,
}

/// A field with its problem.
#[derive(Debug, Clone)]
pub struct FieldError {
    pub field: &'static str,
    pub message: String,
}

/// A message page: heading, paragraph and an optional link back.
pub fn message(title: &str, text: &str, back: Option<(&str, &str)>) -> String {
    let mut out = format!("<h1>{}</h1><p>{}</p>", esc(title), esc(text));
    if let Some((href, label)) = back {
        out.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            esc(href),
            esc(label)
        ));
    }
    out
}

pub(super) fn field(
    id: &str,
    label: &str,
    input: &str,
    errors: &[FieldError],
    required: &str,
) -> String {
    let error = errors.iter().find(|e| e.field == id);
    let (invalid, described, note) = match error {
        Some(e) => (
            " aria-invalid=\"true\"",
            format!(" aria-describedby=\"{id}-error\""),
            format!(
                "<span class=\"field-error\" id=\"{id}-error\">{}</span>",
                esc(&e.message)
            ),
        ),
        None => ("", String::new(), String::new()),
    };
    format!(
        "<p><label for=\"{id}\">{} <span class=\"required\">({})</span></label>{note}{}</p>",
        esc(label),
        esc(required),
        input.replace("{attrs}", &format!("{invalid}{described}"))
    )
}

/// The access request form.
#[allow(clippy::too_many_arguments)]
pub fn request_form(
    cat: &Catalogue,
    lang: &str,
    doc: &GatedDocument,
    values: &FormValues,
    errors: &[FieldError],
    csrf: &str,
    action: &str,
) -> String {
    let t = |k: &str| cat.t(lang, k, &[]);
    let req = t("portal-required");
    let mut out = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&cat.t(
            lang,
            "portal-request-title",
            &[("document", doc.title(lang))]
        )),
        esc(&t("portal-request-intro"))
    );
    if !errors.is_empty() {
        // The summary takes the focus when the page loads (`autofocus` works without a script,
        // which the CSP forbids inline) and is announced with its heading.
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
        // `novalidate`: the browser's own bubbles would stop the form before the server's error
        // summary (announced, linked to each field) can help; `required` still tells assistive
        // technology which fields are mandatory.
        "<form class=\"request-form\" method=\"post\" action=\"{}\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(action),
        esc(csrf)
    ));
    out.push_str(&field(
        "name",
        &t("portal-form-name"),
        &format!(
            "<input id=\"name\" name=\"name\" autocomplete=\"name\" required maxlength=\"100\" value=\"{}\"{{attrs}}>",
            esc(&values.name)
        ),
        errors,
        &req,
    ));
    out.push_str(&field(
        "email",
        &t("portal-form-email"),
        &format!(
            "<input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required maxlength=\"254\" value=\"{}\"{{attrs}}>",
            esc(&values.email)
        ),
        errors,
        &req,
    ));
    out.push_str(&field(
        "company",
        &t("portal-form-company"),
        &format!(
            "<input id=\"company\" name=\"company\" autocomplete=\"organization\" required maxlength=\"150\" value=\"{}\"{{attrs}}>",
            esc(&values.company)
        ),
        errors,
        &req,
    ));
    out.push_str(&field(
        "reason",
        &t("portal-form-reason"),
        &format!(
            "<textarea id=\"reason\" name=\"reason\" rows=\"4\" required maxlength=\"2000\"{{attrs}}>{}</textarea>",
            esc(&values.reason)
        ),
        errors,
        &req,
    ));
    let nda = (doc.doc.access == crate::site::documents::Access::Nda)
        .then(|| {
            cat.nda.get(lang).map(|n| (n, lang)).or_else(|| {
                cat.nda
                    .get(&cat.default_lang)
                    .map(|n| (n, &*cat.default_lang))
            })
        })
        .flatten();
    if let Some((nda, nda_lang)) = nda {
        // A fieldset: the checkbox is announced with the agreement it accepts. The text is a
        // scrolling box, so it is focusable (keyboard scrolling) and a named region; it keeps
        // its own language when the page's has no translation.
        out.push_str(&format!(
            "<fieldset class=\"nda\"><legend><h2 id=\"nda-title\">{}</h2></legend><p>{}</p><div class=\"nda-text\" id=\"nda-text\" tabindex=\"0\" role=\"region\" aria-labelledby=\"nda-title\"{}>{}</div>",
            esc(&t("portal-nda-heading")),
            esc(&cat.t(lang, "portal-nda-intro", &[("version", &nda.version)])),
            if nda_lang == lang {
                String::new()
            } else {
                format!(" lang=\"{}\"", esc(nda_lang))
            },
            nda.html
        ));
        let error = errors.iter().find(|e| e.field == "nda");
        out.push_str(&format!(
            "{}<p class=\"check\"><input type=\"checkbox\" id=\"nda\" name=\"nda\" value=\"accept\" required{}{}><label for=\"nda\">{}</label></p></fieldset>",
            error
                .map(|e| format!(
                    "<p class=\"field-error\" id=\"nda-error\">{}</p>",
                    esc(&e.message)
                ))
                .unwrap_or_default(),
            if values.nda { " checked" } else { "" },
            if error.is_some() {
                " aria-invalid=\"true\" aria-describedby=\"nda-error\""
            } else {
                ""
            },
            esc(&t("portal-nda-accept")),
        ));
    }
    out.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p></form>",
        esc(&t("portal-send"))
    ));
    if let Some(url) = doc.urls.get(lang) {
        out.push_str(&format!(
            "<p><a href=\"{}\">{}</a></p>",
            esc(url),
            esc(&t("portal-back"))
        ));
    }
    out
}

/// The confirmation page behind the mailed link: a button that posts (GET changes nothing).
pub fn confirm(
    cat: &Catalogue,
    lang: &str,
    request: &Request,
    title: &str,
    csrf: &str,
    action: &str,
) -> String {
    format!(
        "<h1>{}</h1><p>{}</p><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><p><button type=\"submit\">{}</button></p></form>",
        esc(&cat.t(lang, "portal-confirm-title", &[])),
        esc(&cat.t(
            lang,
            "portal-confirm-body",
            &[("email", &request.email), ("document", title)]
        )),
        esc(action),
        esc(csrf),
        esc(&cat.t(lang, "portal-confirm-button", &[]))
    )
}

/// The grant link's landing page: the granted files, each behind a POST that mints a token.
pub fn landing(
    cat: &Catalogue,
    lang: &str,
    grant: &Grant,
    doc: &GatedDocument,
    csrf: &str,
    action: &str,
) -> String {
    let date = cat.date(lang, grant.expires_at);
    let left = (grant.max_downloads - grant.downloads).max(0).to_string();
    let mut out = format!(
        "<h1>{}</h1><p>{}</p><p>{}</p><h2>{}</h2>",
        esc(&cat.t(lang, "portal-grant-title", &[])),
        esc(&cat.t(
            lang,
            "portal-grant-intro",
            &[
                ("name", &grant.name),
                ("company", &grant.company),
                ("date", &date),
                ("left", &left)
            ]
        )),
        esc(&cat.t(lang, "portal-grant-note", &[])),
        esc(doc.title(lang)),
    );
    let view = crate::site::render::document_view::ViewContext {
        lang,
        default_lang: &cat.default_lang,
        url_prefix: "",
        today: chrono::Utc::now().date_naive(),
        locales: &cat.locales,
        signature_ext: None,
    };
    if let Some(version) = doc.doc.current() {
        let date = cat
            .locales
            .format_date(lang, version.date)
            .unwrap_or_else(|_| version.date.to_string());
        out.push_str(&format!(
            "<p>{}</p><ul class=\"downloads\">",
            esc(&cat.t(
                lang,
                "portal-grant-version",
                &[("version", &version.version), ("date", &date)]
            ))
        ));
        for (file_lang, file) in &version.files {
            let label = cat.t(
                lang,
                "portal-download",
                &[
                    ("language", &view.language_name(file_lang)),
                    ("size", &view.size_label(file.size)),
                ],
            );
            out.push_str(&format!(
                "<li><form method=\"post\" action=\"{}\"><input type=\"hidden\" name=\"csrf\" value=\"{}\"><input type=\"hidden\" name=\"file\" value=\"{}/{}\"><button type=\"submit\">{}</button></form></li>",
                esc(action),
                esc(csrf),
                esc(&version.version),
                esc(file_lang),
                esc(&label),
            ));
        }
        out.push_str("</ul>");
    }
    out
}
