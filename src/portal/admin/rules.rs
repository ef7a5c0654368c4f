//! Automatic approval rules: requests from an e-mail domain (a customer's) are approved at once
//! for chosen documents, or for all. The rules live in the store, so every replica applies the
//! same ones the moment one is saved; adding and removing them needs the `approver` role and is
//! audited. The domains of `portal.approve_domains` in site.yaml keep working beside them.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};

use super::session::{Admin, AdminForm, audit_refusal};
use super::view::{self, esc, when};
use crate::portal::app::Portal;
use crate::portal::audit::EventKind;
use crate::portal::guards::failed;
use crate::portal::store;
use crate::site::config::AdminRole;

/// Whether `domain` can be an e-mail domain: lower-case letters, digits, hyphens and dots, at
/// least one dot, no empty label, at most 253 characters.
pub(crate) fn valid_domain(domain: &str) -> bool {
    domain.len() <= 253
        && domain.contains('.')
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && !label.starts_with('-')
                && !label.ends_with('-')
                && label
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        })
}

/// `GET /{lang}/rules`.
pub(crate) async fn rules_page(State(portal): State<Arc<Portal>>, admin: Admin) -> Response {
    let rules = match portal.store.rules().await {
        Ok(r) => r,
        Err(e) => return failed(&admin.cat, &admin.lang, &e),
    };
    let cat = &admin.cat;
    let lang = &admin.lang;
    let t = |k: &str| esc(&cat.t(lang, k, &[]));
    let title = cat.t(lang, "admin-rules-title", &[]);
    let mut body = format!("<h1>{}</h1><p>{}</p>", esc(&title), t("admin-rules-intro"));
    if !portal.settings.approve_domains.is_empty() {
        body.push_str(&format!(
            "<p>{} {}</p>",
            t("admin-rules-configured"),
            esc(&portal.settings.approve_domains.join(", "))
        ));
    }
    let editable = admin.role >= AdminRole::Approver;
    let document_title = |id: &str| {
        if id == "*" {
            cat.t(lang, "admin-rules-all", &[])
        } else {
            cat.title_of(id, lang)
        }
    };
    if rules.is_empty() {
        body.push_str(&format!("<p>{}</p>", t("admin-rules-none")));
    } else {
        body.push_str(&format!(
            "<div class=\"table-wrap\" tabindex=\"0\" role=\"region\" aria-labelledby=\"rules-caption\"><table class=\"console-table\">\
             <caption id=\"rules-caption\">{}</caption><thead><tr><th scope=\"col\">{}</th><th scope=\"col\">{}</th><th scope=\"col\">{}</th>{}</tr></thead><tbody>",
            t("admin-rules-caption"),
            t("admin-rules-domain"),
            t("admin-rules-documents"),
            t("admin-rules-created"),
            if editable { format!("<th scope=\"col\"><span class=\"visually-hidden\">{}</span></th>", t("admin-rules-remove")) } else { String::new() }
        ));
        for r in &rules {
            let docs: Vec<String> = r.documents.split_whitespace().map(document_title).collect();
            body.push_str(&format!(
                "<tr><th scope=\"row\">{}</th><td>{}</td><td>{}<br><span class=\"meta\">{}</span></td>",
                esc(&r.domain),
                esc(&docs.join(", ")),
                when(cat, lang, r.created_at),
                esc(&r.created_by)
            ));
            if editable {
                body.push_str(&format!(
                    "<td><form method=\"post\" action=\"{}/{lang}/rules/remove\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
                     <input type=\"hidden\" name=\"id\" value=\"{}\"><button type=\"submit\">{}<span class=\"visually-hidden\">: {}</span></button></form></td>",
                    esc(&portal.settings.admin_mount),
                    esc(&admin.csrf),
                    esc(&r.id),
                    t("admin-rules-remove"),
                    esc(&r.domain)
                ));
            }
            body.push_str("</tr>");
        }
        body.push_str("</tbody></table></div>");
    }
    if editable {
        let mut docs: Vec<(&String, String)> = cat
            .documents
            .keys()
            .map(|id| (id, cat.title_of(id, lang)))
            .collect();
        docs.sort_by(|a, b| a.1.cmp(&b.1));
        body.push_str(&format!(
            "<form method=\"post\" action=\"{}/{lang}/rules/add\"><input type=\"hidden\" name=\"csrf\" value=\"{}\">\
             <fieldset><legend>{}</legend><p><label for=\"domain\">{}</label>\
             <input id=\"domain\" name=\"domain\" required maxlength=\"253\" placeholder=\"customer.example\" autocomplete=\"off\"></p>\
             <fieldset><legend>{}</legend><ul class=\"plain\"><li><input type=\"checkbox\" id=\"doc-all\" name=\"document\" value=\"*\"> <label for=\"doc-all\">{}</label></li>",
            esc(&portal.settings.admin_mount),
            esc(&admin.csrf),
            t("admin-rules-add"),
            t("admin-rules-domain"),
            t("admin-rules-documents"),
            t("admin-rules-all")
        ));
        for (i, (id, title)) in docs.iter().enumerate() {
            body.push_str(&format!(
                "<li><input type=\"checkbox\" id=\"doc-{i}\" name=\"document\" value=\"{}\"> <label for=\"doc-{i}\">{}</label></li>",
                esc(id),
                esc(title)
            ));
        }
        body.push_str(&format!(
            "</ul></fieldset><p><button type=\"submit\">{}</button></p></fieldset></form>",
            t("admin-rules-save")
        ));
    }
    view::page(&portal, &admin, "rules", &title, &body)
}

/// `POST /{lang}/rules/add`.
pub(crate) async fn add(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(r) = admin.require(&portal, AdminRole::Approver).await {
        return r;
    }
    let domain = form
        .get("domain")
        .unwrap_or_default()
        .trim()
        .trim_start_matches('@')
        .to_ascii_lowercase();
    let chosen = form.all("document");
    let documents = if chosen.contains(&"*") {
        "*".to_owned()
    } else {
        chosen.join(" ")
    };
    let known = chosen
        .iter()
        .all(|d| *d == "*" || admin.cat.documents.contains_key(*d));
    if !valid_domain(&domain) || chosen.is_empty() || !known {
        audit_refusal(
            &portal,
            admin,
            "an approval rule with a bad domain or document",
        )
        .await;
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-rules-invalid",
        );
    }
    match portal
        .store
        .add_rule(
            &domain,
            &documents,
            &admin.email,
            &admin.client.event(EventKind::RuleAdded),
        )
        .await
    {
        Ok(_) => Redirect::to(&format!(
            "{}/{}/rules",
            portal.settings.admin_mount, admin.lang
        ))
        .into_response(),
        Err(e) => failed(&admin.cat, &admin.lang, &e),
    }
}

/// `POST /{lang}/rules/remove`.
pub(crate) async fn remove(State(portal): State<Arc<Portal>>, form: AdminForm) -> Response {
    let admin = &form.admin;
    if let Err(r) = admin.require(&portal, AdminRole::Approver).await {
        return r;
    }
    let id = form.get("id").unwrap_or_default();
    if !store::valid_id(id) {
        return view::message(
            &admin.cat,
            &admin.lang,
            StatusCode::BAD_REQUEST,
            "admin-bad-form",
        );
    }
    match portal
        .store
        .remove_rule(
            id,
            &admin.email,
            &admin.client.event(EventKind::RuleRemoved),
        )
        .await
    {
        Ok(_) | Err(store::StoreError::NotFound(_)) => Redirect::to(&format!(
            "{}/{}/rules",
            portal.settings.admin_mount, admin.lang
        ))
        .into_response(),
        Err(e) => failed(&admin.cat, &admin.lang, &e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_domains_make_rules() {
        for ok in ["acme.com", "eu.acme-corp.co.uk", "xn--mnchen-3ya.de"] {
            assert!(valid_domain(ok), "{ok}");
        }
        for bad in [
            "acme",
            "Acme.com",
            "acme..com",
            "-acme.com",
            "acme.com.",
            "a b.com",
            "*.acme.com",
            "acme.com/x",
            "",
        ] {
            assert!(!valid_domain(bad), "{bad}");
        }
    }
}
