//! Agreements concluded online: the list (current or superseded by a newer version of their
//! document), one agreement with its evidence (who signed for which company, when, from where,
//! the proven address, the hashes of the text and of the signed PDF, whether the stored file
//! still matches), and the signed PDF itself. Every role may read them; opening an agreement and
//! downloading its PDF are audited.

use std::sync::Arc;

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::session::Admin;
use super::view::{self, esc, when};
use crate::portal::app::Portal;
use crate::portal::audit::EventKind;
use crate::portal::guards::failed;
use crate::portal::store;

/// `GET /{lang}/agreements`.
pub(crate) async fn list(State(portal): State<Arc<Portal>>, admin: Admin) -> Response {
    let agreements = match portal.store.agreements(None).await {
        Ok(a) => a,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let cat = &admin.cat;
    let lang = &admin.lang;
    let mount = esc(&portal.settings.admin_mount);
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let title = cat.t(lang, "admin-agreements-title", &[]);
    let mut body = format!("<h1>{}</h1>", esc(&title));
    if agreements.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-agreements-none")));
        return view::page(&portal, &admin, "agreements", &title, &body);
    }
    body.push_str(&format!(
        "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"agreements-caption\"><table class=\"console-table\">\
         <caption id=\"agreements-caption\">{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th>\
         <th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th></tr></thead><tbody>",
        t("admin-agreements-caption"),
        t("admin-col-company"),
        t("admin-col-document"),
        t("admin-agreements-signatory"),
        t("admin-agreements-signed"),
        t("admin-col-state"),
    ));
    for a in &agreements {
        let status = match cat.superseded_by(a) {
            Some(v) => cat.t(lang, "admin-agreements-superseded", &[("version", v)]),
            None => cat.t(lang, "admin-agreements-current", &[]),
        };
        body.push_str(&format!(
            "<tr><th scope=\"row\"><a href=\"{mount}/{lang}/agreements/{}\">{}</a></th><td>{} {}</td><td>{}<br><span class=\"meta\">{}</span></td><td>{}</td><td>{}</td></tr>",
            esc(&a.id),
            esc(&a.company),
            esc(&cat.title_of(&a.document_id, lang)),
            esc(&a.version),
            esc(&a.signatory_name),
            esc(&a.signatory_email),
            when(cat, lang, a.signed_at),
            esc(&status)
        ));
    }
    body.push_str("</tbody></table></div>");
    view::page(&portal, &admin, "agreements", &title, &body)
}

async fn find(portal: &Portal, admin: &Admin, id: &str) -> Result<store::Agreement, Response> {
    if !store::valid_id(id) {
        return Err(view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::NOT_FOUND,
            "admin-agreements-missing",
        ));
    }
    match portal.store.agreement(id).await {
        Ok(Some(a)) => Ok(a),
        Ok(None) => Err(view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::NOT_FOUND,
            "admin-agreements-missing",
        )),
        Err(e) => Err(failed(&admin.cat, &admin.lang, &e)),
    }
}

/// `GET /{lang}/agreements/{id}`: the evidence.
pub(crate) async fn detail(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let a = match find(&portal, &admin, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let mut ev = admin.client.event(EventKind::AgreementViewed);
    ev.email = Some(admin.email.clone());
    ev.document_id = Some(a.document_id.clone());
    ev.detail = Some(format!("by {}; agreement {}", admin.email, a.id));
    if let Err(e) = portal.store.audit(&ev).await {
        return failed(&admin.cat, &admin.lang, &e);
    }
    let cat = &admin.cat;
    let lang = &admin.lang;
    let t = |k: &str| cat.t(lang, k, &[]);
    let file = match portal.files.get(&a.id, &a.pdf_sha256) {
        Ok(_) => t("admin-agreements-file-ok"),
        Err(e) => cat.t(
            lang,
            "admin-agreements-file-problem",
            &[("problem", &e.to_string())],
        ),
    };
    let status = match cat.superseded_by(&a) {
        Some(v) => cat.t(lang, "admin-agreements-superseded", &[("version", v)]),
        None => t("admin-agreements-current"),
    };
    let title = cat.t(lang, "admin-agreements-detail", &[("company", &a.company)]);
    let facts: Vec<(String, String)> = vec![
        (
            t("admin-col-document"),
            format!(
                "{} {} ({})",
                cat.title_of(&a.document_id, lang),
                a.version,
                a.lang
            ),
        ),
        (t("admin-col-state"), status),
        (t("admin-agreements-signed"), String::new()),
        (t("admin-col-company"), a.company.clone()),
        (t("admin-agreements-address"), a.address.replace('\n', ", ")),
        (t("admin-agreements-registration"), a.registration.clone()),
        (
            t("admin-agreements-privacy-contact"),
            a.privacy_contact.clone(),
        ),
        (
            t("admin-agreements-signatory"),
            format!(
                "{} ({}), {}",
                a.signatory_name, a.signatory_title, a.signatory_email
            ),
        ),
        (t("admin-agreements-proven"), a.email.clone()),
        (t("admin-agreements-ip"), a.ip.clone()),
        (t("admin-agreements-agent"), a.user_agent.clone()),
        (t("admin-agreements-text-hash"), a.text_sha256.clone()),
        (t("admin-agreements-pdf-hash"), a.pdf_sha256.clone()),
        (t("admin-agreements-file"), file),
    ];
    let mut body = format!("<h1>{}</h1><dl class=\"facts\">", esc(&title));
    for (k, v) in facts {
        let value = if v.is_empty() {
            when(cat, lang, a.signed_at)
        } else {
            esc(&v)
        };
        body.push_str(&format!(
            "<dt>{}</dt><dd class=\"hash\">{value}</dd>",
            esc(&k)
        ));
    }
    body.push_str(&format!(
        "</dl><p><a href=\"{}/{lang}/agreements/{}/pdf\" download>{}</a></p>",
        esc(&portal.settings.admin_mount),
        esc(&a.id),
        esc(&t("admin-agreements-download"))
    ));
    view::page(&portal, &admin, "agreements", &title, &body)
}

/// `GET /{lang}/agreements/{id}/pdf`: the signed PDF as stored (its hash checked).
pub(crate) async fn pdf(
    State(portal): State<Arc<Portal>>,
    admin: Admin,
    Path((_, id)): Path<(String, String)>,
) -> Response {
    let a = match find(&portal, &admin, &id).await {
        Ok(a) => a,
        Err(r) => return r,
    };
    let bytes = match portal.files.get(&a.id, &a.pdf_sha256) {
        Ok(b) => b,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let mut ev = admin.client.event(EventKind::AgreementDownload);
    ev.email = Some(admin.email.clone());
    ev.document_id = Some(a.document_id.clone());
    ev.detail = Some(format!(
        "by {}; console download of agreement {}",
        admin.email, a.id
    ));
    if let Err(e) = portal.store.audit(&ev).await {
        return failed(&admin.cat, &admin.lang, &e);
    }
    let mut r = (
        StatusCode::OK,
        [(header::CONTENT_TYPE, "application/pdf")],
        bytes,
    )
        .into_response();
    if let Ok(v) = HeaderValue::from_str(&format!(
        "attachment; filename=\"{}-{}-{}.pdf\"",
        a.document_id, a.version, a.id
    )) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r.headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    r
}
