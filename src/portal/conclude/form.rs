//! The signing form: the contracting party, the signatory, the language version and the
//! acceptance; its validation with a localized message per field, and its page.

use std::collections::HashMap;

use axum::http::StatusCode;
use axum::response::Response;

use crate::portal::app::{Catalogue, GatedDocument, Portal};
use crate::portal::guards::{Charset, clean, denied, field_problem, html, valid_email};
use crate::portal::pages::{FieldError, field};
use crate::portal::store::SigningRequest;
use crate::site::render::xml_escape as esc;

/// The signing form before anything was typed (the signatory's e-mail is the proven one).
pub(super) fn empty_form(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    tok: &str,
    request: &SigningRequest,
    doc: &GatedDocument,
    csrf: &str,
) -> Response {
    let values = SignValues {
        signatory_email: request.email.clone(),
        ..SignValues::default()
    };
    form_page(
        portal,
        cat,
        lang,
        tok,
        request,
        doc,
        &values,
        &[],
        csrf,
        StatusCode::OK,
    )
}

/// What the customer typed into the signing form (kept when it is shown again).
#[derive(Debug, Default, Clone)]
pub(super) struct SignValues {
    pub(super) company: String,
    pub(super) address: String,
    pub(super) registration: String,
    pub(super) privacy_contact: String,
    pub(super) signatory_name: String,
    pub(super) signatory_title: String,
    pub(super) signatory_email: String,
    pub(super) language: String,
    pub(super) accept: bool,
}

/// The form's text fields: name, label key, maximum length, required, kind.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Kind {
    /// A person's name.
    Name,
    /// A company, job title or registration.
    Organisation,
    /// A postal address.
    Lines,
    /// An e-mail address.
    Email,
}

impl Kind {
    fn charset(self) -> Charset {
        match self {
            Kind::Name => Charset::PersonName,
            Kind::Organisation => Charset::Organisation,
            Kind::Lines => Charset::Lines,
            Kind::Email => Charset::Line,
        }
    }
}

pub(super) const FIELDS: [(&str, &str, usize, bool, Kind); 7] = [
    (
        "company",
        "agreement-form-company",
        150,
        true,
        Kind::Organisation,
    ),
    ("address", "agreement-form-address", 500, true, Kind::Lines),
    (
        "registration",
        "agreement-form-registration",
        100,
        false,
        Kind::Organisation,
    ),
    (
        "privacy_contact",
        "agreement-form-privacy-contact",
        254,
        true,
        Kind::Email,
    ),
    (
        "signatory_name",
        "agreement-form-signatory-name",
        100,
        true,
        Kind::Name,
    ),
    (
        "signatory_title",
        "agreement-form-signatory-title",
        150,
        true,
        Kind::Organisation,
    ),
    (
        "signatory_email",
        "agreement-form-signatory-email",
        254,
        true,
        Kind::Email,
    ),
];

impl SignValues {
    fn get(&self, name: &str) -> &str {
        match name {
            "company" => &self.company,
            "address" => &self.address,
            "registration" => &self.registration,
            "privacy_contact" => &self.privacy_contact,
            "signatory_name" => &self.signatory_name,
            "signatory_title" => &self.signatory_title,
            "signatory_email" => &self.signatory_email,
            _ => "",
        }
    }
}

/// The languages the current version is available in, with their files.
pub(super) fn versions(doc: &GatedDocument) -> Option<&crate::site::documents::Version> {
    doc.doc.current()
}

pub(super) fn validate(
    cat: &Catalogue,
    lang: &str,
    doc: &GatedDocument,
    form: &HashMap<String, String>,
) -> (SignValues, Vec<FieldError>) {
    let get = |k: &str| {
        form.get(k)
            .map(|v| v.replace("\r\n", "\n").trim().to_owned())
            .unwrap_or_default()
    };
    let values = SignValues {
        company: get("company"),
        address: get("address"),
        registration: get("registration"),
        privacy_contact: get("privacy_contact"),
        signatory_name: get("signatory_name"),
        signatory_title: get("signatory_title"),
        signatory_email: get("signatory_email"),
        language: get("language"),
        accept: form.get("accept").is_some_and(|v| v == "accept"),
    };
    let mut errors = Vec::new();
    for (name, label_key, max, required, kind) in FIELDS {
        let value = values.get(name);
        let label = cat.t(lang, label_key, &[]);
        let message = if value.is_empty() {
            required.then(|| cat.t(lang, "agreement-error-missing", &[("field", &label)]))
        } else if let Some(problem) = field_problem(cat, lang, &label, value, max, kind.charset()) {
            Some(problem)
        } else if kind == Kind::Lines && value.lines().count() > 8 {
            Some(cat.t(lang, "portal-error-characters", &[("field", &label)]))
        } else if kind == Kind::Email && !valid_email(value) {
            Some(cat.t(lang, "agreement-error-email", &[("field", &label)]))
        } else {
            None
        };
        if let Some(message) = message {
            errors.push(FieldError {
                field: name,
                message,
            });
        }
    }
    let languages_ok = versions(doc).is_some_and(|v| v.files.contains_key(&values.language));
    if !languages_ok {
        errors.push(FieldError {
            field: "language",
            message: cat.t(lang, "agreement-error-language", &[]),
        });
    }
    if !values.accept {
        errors.push(FieldError {
            field: "accept",
            message: cat.t(lang, "agreement-error-accept", &[]),
        });
    }
    (values, errors)
}

pub(super) fn error_summary(cat: &Catalogue, lang: &str, errors: &[FieldError]) -> String {
    if errors.is_empty() {
        return String::new();
    }
    let mut out = format!(
        "<div class=\"form-errors\" role=\"alert\" tabindex=\"-1\" id=\"form-errors\" aria-labelledby=\"form-errors-title\" autofocus><h2 id=\"form-errors-title\">{}</h2><ul>",
        esc(&cat.t(lang, "portal-errors-heading", &[]))
    );
    for e in errors {
        let target = match e.field {
            "language" => "language-0",
            f => f,
        };
        out.push_str(&format!(
            "<li><a href=\"#{target}\">{}</a></li>",
            esc(&e.message)
        ));
    }
    out.push_str("</ul></div>");
    out
}

pub(super) fn language_name(cat: &Catalogue, lang: &str, code: &str) -> String {
    cat.locales
        .translate(lang, &format!("language-{code}"), &[])
        .or_else(|_| cat.locales.translate(code, "language-name", &[]))
        .unwrap_or_else(|_| code.to_owned())
}

/// "German (authoritative)" / "English".
pub(super) fn language_label(
    cat: &Catalogue,
    lang: &str,
    doc: &GatedDocument,
    code: &str,
) -> String {
    let name = language_name(cat, lang, code);
    if doc.doc.authoritative.as_deref() == Some(code) {
        cat.t(lang, "agreement-authoritative", &[("language", &name)])
    } else {
        name
    }
}

#[allow(clippy::too_many_arguments)]
pub(super) fn form_page(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    tok: &str,
    request: &SigningRequest,
    doc: &GatedDocument,
    values: &SignValues,
    errors: &[FieldError],
    csrf: &str,
    status: StatusCode,
) -> Response {
    let t = |k: &str| cat.t(lang, k, &[]);
    let title = doc.title(lang);
    let heading = cat.t(lang, "agreement-form-title", &[("document", title)]);
    let Some(version) = versions(doc) else {
        return denied(cat, lang);
    };
    let verified = request.verified_at.unwrap_or_default();
    let mut body = format!(
        "<h1>{}</h1><p>{}</p>",
        esc(&heading),
        esc(&cat.t(
            lang,
            "agreement-form-intro",
            &[
                ("email", &request.email),
                ("date", &cat.date(lang, verified)),
                ("version", &version.version)
            ]
        ))
    );
    body.push_str(&error_summary(cat, lang, errors));
    body.push_str(&format!(
        "<form class=\"request-form\" method=\"post\" action=\"{}/{lang}/sign/link/{}/execute\" novalidate><input type=\"hidden\" name=\"csrf\" value=\"{}\">",
        esc(&portal.settings.mount),
        esc(tok),
        esc(csrf)
    ));
    let required = t("portal-required");
    let optional = t("agreement-optional");
    for (legend, fields) in [
        ("agreement-form-party", &FIELDS[..4]),
        ("agreement-form-signatory", &FIELDS[4..]),
    ] {
        body.push_str(&format!("<fieldset><legend>{}</legend>", esc(&t(legend))));
        for (name, label_key, max, req, kind) in fields {
            let value = values.get(name);
            let autocomplete = match *name {
                "company" => " autocomplete=\"organization\"",
                "address" => " autocomplete=\"street-address\"",
                "signatory_name" => " autocomplete=\"name\"",
                "signatory_title" => " autocomplete=\"organization-title\"",
                "signatory_email" | "privacy_contact" => " autocomplete=\"email\"",
                _ => "",
            };
            let req_attr = if *req { " required" } else { "" };
            let input = match kind {
                Kind::Lines => format!(
                    "<textarea id=\"{name}\" name=\"{name}\" rows=\"4\" maxlength=\"{max}\"{autocomplete}{req_attr}{{attrs}}>{}</textarea>",
                    esc(value)
                ),
                Kind::Email => format!(
                    "<input id=\"{name}\" name=\"{name}\" type=\"email\" maxlength=\"{max}\"{autocomplete}{req_attr} value=\"{}\"{{attrs}}>",
                    esc(value)
                ),
                Kind::Name | Kind::Organisation => format!(
                    "<input id=\"{name}\" name=\"{name}\" maxlength=\"{max}\"{autocomplete}{req_attr} value=\"{}\"{{attrs}}>",
                    esc(value)
                ),
            };
            body.push_str(&field(
                name,
                &t(label_key),
                &input,
                errors,
                if *req { &required } else { &optional },
            ));
        }
        body.push_str("</fieldset>");
    }

    // The language version; the page's language, else the authoritative one, is preselected.
    let chosen = if version.files.contains_key(&values.language) {
        values.language.clone()
    } else if version.files.contains_key(lang) {
        lang.to_owned()
    } else {
        doc.doc
            .authoritative
            .clone()
            .filter(|a| version.files.contains_key(a))
            .or_else(|| version.files.keys().next().cloned())
            .unwrap_or_default()
    };
    let language_error = errors.iter().find(|e| e.field == "language");
    body.push_str(&format!(
        "<fieldset{}><legend>{}</legend>",
        if language_error.is_some() {
            " aria-describedby=\"language-error\""
        } else {
            ""
        },
        esc(&t("agreement-form-language"))
    ));
    if let Some(e) = language_error {
        body.push_str(&format!(
            "<p class=\"field-error\" id=\"language-error\">{}</p>",
            esc(&e.message)
        ));
    }
    if let Some(auth) = &doc.doc.authoritative {
        body.push_str(&format!(
            "<p>{}</p>",
            esc(&cat.t(
                lang,
                "agreement-authoritative-note",
                &[("language", &language_name(cat, lang, auth))]
            ))
        ));
    }
    for (i, code) in version.files.keys().enumerate() {
        body.push_str(&format!(
            "<p class=\"check\"><input type=\"radio\" id=\"language-{i}\" name=\"language\" value=\"{}\"{}><label for=\"language-{i}\">{}</label></p>",
            esc(code),
            if *code == chosen { " checked" } else { "" },
            esc(&language_label(cat, lang, doc, code))
        ));
    }
    body.push_str("</fieldset>");

    // The full text of the current version, with the files themselves.
    body.push_str(&format!(
        "<h2 id=\"agreement-text-title\">{}</h2><ul class=\"downloads\">",
        esc(&cat.t(
            lang,
            "agreement-text-title",
            &[("version", &version.version)]
        ))
    ));
    for (code, file) in &version.files {
        let name = language_label(cat, lang, doc, code);
        let label = cat.t(
            lang,
            "agreement-text-file",
            &[("language", &name), ("sha256", &file.sha256)],
        );
        match &file.path {
            Some(path) => body.push_str(&format!(
                "<li><a href=\"{}/{}\" type=\"application/pdf\">{}</a></li>",
                esc(&cat.url_prefix),
                esc(path),
                esc(&label)
            )),
            None => body.push_str(&format!("<li>{}</li>", esc(&label))),
        }
    }
    body.push_str("</ul>");
    if let Some(file) = version.files.get(&chosen) {
        let pages = portal.agreement_text(&cat.root.join(&file.source), &file.sha256);
        if !pages.is_empty() {
            body.push_str(&format!(
                "<div class=\"nda-text\" tabindex=\"0\" role=\"region\" aria-labelledby=\"agreement-text-title\" lang=\"{}\">",
                esc(&chosen)
            ));
            for page in pages.iter() {
                for para in page.split("\n\n") {
                    let para = para.trim();
                    if !para.is_empty() {
                        body.push_str(&format!(
                            "<p>{}</p>",
                            esc(&clean(para, 20_000)).replace('\n', "<br>")
                        ));
                    }
                }
            }
            body.push_str("</div>");
        }
    }

    let accept_error = errors.iter().find(|e| e.field == "accept");
    body.push_str(&format!(
        "{}<p class=\"check\"><input type=\"checkbox\" id=\"accept\" name=\"accept\" value=\"accept\" required{}{}><label for=\"accept\">{}</label></p>",
        accept_error
            .map(|e| format!(
                "<p class=\"field-error\" id=\"accept-error\">{}</p>",
                esc(&e.message)
            ))
            .unwrap_or_default(),
        if values.accept { " checked" } else { "" },
        if accept_error.is_some() {
            " aria-invalid=\"true\" aria-describedby=\"accept-error\""
        } else {
            ""
        },
        esc(&cat.t(
            lang,
            "agreement-form-accept",
            &[("version", &version.version), ("document", title)]
        ))
    ));
    body.push_str(&format!(
        "<p><button type=\"submit\">{}</button></p></form>",
        esc(&t("agreement-form-button"))
    ));
    let title = if errors.is_empty() {
        heading
    } else {
        cat.t(lang, "portal-error-title", &[("title", &heading)])
    };
    html(status, cat.page(lang, &title, &body))
}

/// The signable document `id` in language `lang`, if both exist.
pub(super) fn signable<'a>(cat: &'a Catalogue, lang: &str, id: &str) -> Option<&'a GatedDocument> {
    if !cat.has_language(lang) {
        return None;
    }
    cat.signable.get(id)
}
