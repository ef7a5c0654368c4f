//! Step 3: executing an agreement: compose the PDF, sign it (PAdES), file it under its id,
//! record it with its SHA-256 in the audit chain and mail it to the signatory and the legal
//! contact.

use std::sync::Arc;

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{DateTime, Utc};

use super::form::{form_page, language_label, validate, versions};
use super::start::open_request;
use crate::portal::app::{Catalogue, GatedDocument, Portal};
use crate::portal::audit::EventKind;
use crate::portal::guards::{
    LinkPost, csrf_for, defang, denied, failed, html, message_page, with_cookie,
};
use crate::portal::keys::Purpose;
use crate::portal::store::Agreement;
use crate::site::render::xml_escape as esc;

pub(in crate::portal) async fn execute(
    State(portal): State<Arc<Portal>>,
    LinkPost {
        cat,
        lang,
        tok,
        client,
        form,
    }: LinkPost,
) -> Response {
    let (request, doc) = match open_request(&portal, &cat, &lang, &tok).await {
        Ok(x) => x,
        Err(r) => return r,
    };
    let Some(verified_at) = request.verified_at else {
        return denied(&cat, &lang);
    };
    let (values, errors) = validate(&cat, &lang, &doc, &form);
    if !errors.is_empty() {
        let (csrf, cookie) = csrf_for(&portal, &client);
        return with_cookie(
            form_page(
                &portal,
                &cat,
                &lang,
                &tok,
                &request,
                &doc,
                &values,
                &errors,
                &csrf,
                StatusCode::UNPROCESSABLE_ENTITY,
            ),
            cookie,
        );
    }
    let Some(signer) = portal.signer.clone() else {
        return failed(&cat, &lang, &"no agreement signing key is loaded");
    };
    let Some(version) = versions(&doc) else {
        return denied(&cat, &lang);
    };
    let Some(file) = version.files.get(&values.language) else {
        return denied(&cat, &lang);
    };
    let original = match cat.read(file).await {
        Ok(b) => b,
        Err(e) => return failed(&cat, &lang, &e),
    };
    // The file must still be the version the catalogue describes (and the page showed).
    let text_sha256 = crate::site::render::assets::sha256_hex(&original);
    if text_sha256 != file.sha256 {
        return failed(
            &cat,
            &lang,
            &format!("{} changed since the site was built", file.source.display()),
        );
    }
    let now = Utc::now();
    let id = crate::portal::store::new_id('a');
    let settings = &portal.settings;
    let mut agreement = Agreement {
        id: id.clone(),
        request_id: request.id.clone(),
        document_id: doc.doc.id.clone(),
        version: version.version.clone(),
        lang: values.language.clone(),
        text_sha256,
        company: values.company.clone(),
        address: values.address.clone(),
        registration: values.registration.clone(),
        privacy_contact: values.privacy_contact.clone(),
        signatory_name: values.signatory_name.clone(),
        signatory_title: values.signatory_title.clone(),
        signatory_email: values.signatory_email.clone(),
        email: request.email.clone(),
        email_verified_at: verified_at,
        signed_at: now.timestamp(),
        ip: client.ip.clone(),
        user_agent: client.user_agent.clone().unwrap_or_default(),
        pdf_sha256: String::new(),
        pdf_size: 0,
    };

    // Compose and sign off the async workers (a few milliseconds of CPU).
    let pdf_lang = values.language.clone();
    let title = doc.title(&pdf_lang).to_owned();
    let language = language_label(&cat, &pdf_lang, &doc, &pdf_lang);
    let provider_address = settings.company.address.join("\n");
    let provider_name = settings.company.name.clone();
    let legal_contact = settings.legal_contact.clone();
    let location = settings.public_url.clone();
    let record = agreement.clone();
    let cat2 = Arc::clone(&cat);
    let signed = tokio::task::spawn_blocking(move || {
        let a = &record;
        let certificate = format!("{} (SHA-256 {})", signer.subject(), signer.fingerprint());
        let execution = crate::pdf::executed::Execution {
            agreement_id: &a.id,
            title: &title,
            version: &a.version,
            language: &language,
            text_sha256: &a.text_sha256,
            provider: crate::pdf::executed::Party {
                name: &provider_name,
                address: &provider_address,
                registration: "",
                contact: &legal_contact,
            },
            customer: crate::pdf::executed::Party {
                name: &a.company,
                address: &a.address,
                registration: &a.registration,
                contact: &a.privacy_contact,
            },
            signatory_name: &a.signatory_name,
            signatory_title: &a.signatory_title,
            signatory_email: &a.signatory_email,
            signed_at: at(a.signed_at),
            verified_email: &a.email,
            verified_at: at(a.email_verified_at),
            ip: &a.ip,
            user_agent: &a.user_agent,
            request_id: &a.request_id,
            certificate: &certificate,
        };
        let label = |key: &str, args: &[(&str, &str)]| cat2.t(&pdf_lang, key, args);
        let doc = crate::pdf::executed::compose(&original, &execution, &label)
            .map_err(|e| e.to_string())?;
        let reason = cat2.t(
            &pdf_lang,
            "agreement-pdf-reason",
            &[
                ("document", &title),
                ("version", &a.version),
                ("company", &a.company),
            ],
        );
        crate::pdf::pades::sign_pdf(
            doc,
            &signer,
            &crate::pdf::pades::SignatureInfo {
                name: &provider_name,
                reason: &reason,
                location: &location,
                contact: &legal_contact,
                time: at(a.signed_at),
            },
        )
        .map_err(|e| e.to_string())
    })
    .await;
    let pdf = match signed {
        Ok(Ok(pdf)) => pdf,
        Ok(Err(e)) => return failed(&cat, &lang, &e),
        Err(e) => return failed(&cat, &lang, &e),
    };
    agreement.pdf_sha256 = crate::site::render::assets::sha256_hex(&pdf);
    agreement.pdf_size = i64::try_from(pdf.len()).unwrap_or(i64::MAX);

    // The file first, then the record: a record never points to a missing file. A refused record
    // (the link was used meanwhile, in another tab) removes the file again.
    if let Err(e) = portal.files.put(&id, &pdf) {
        return failed(&cat, &lang, &e);
    }
    let recorded = portal
        .store
        .record_agreement(&agreement, &client.event(EventKind::AgreementSigned))
        .await;
    match recorded {
        Ok(Some(_)) => {}
        Ok(None) => {
            portal.files.remove(&id);
            return message_page(&cat, &lang, StatusCode::OK, "agreement-used", &[]);
        }
        Err(e) => {
            portal.files.remove(&id);
            return failed(&cat, &lang, &e);
        }
    }

    let link = agreements_link(&portal, &lang, &request.id);
    let file_name = download_name(&agreement);
    notify_signed(
        &portal, &cat, &lang, &agreement, &doc, &link, &file_name, pdf,
    )
    .await;
    let heading = cat.t(&lang, "agreement-done-title", &[]);
    let text = cat.t(
        &lang,
        "agreement-done-body",
        &[
            ("document", doc.title(&lang)),
            ("version", &agreement.version),
            ("company", &agreement.company),
            ("email", &agreement.signatory_email),
        ],
    );
    let body = format!(
        "<h1>{}</h1><p>{}</p><p><a href=\"{}\">{}</a></p>",
        esc(&heading),
        esc(&text),
        esc(&link.replacen(&portal.settings.public_url, &portal.settings.mount, 1)),
        esc(&cat.t(&lang, "agreement-list-title", &[]))
    );
    html(StatusCode::OK, cat.page(&lang, &heading, &body))
}

pub(super) fn at(unix: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(unix, 0).unwrap_or_default()
}

/// The "Your agreements" link for the address proven with signing request `request_id`.
pub(super) fn agreements_link(portal: &Portal, lang: &str, request_id: &str) -> String {
    portal.mailed_link(
        Purpose::Agreements,
        request_id,
        Utc::now().timestamp() + i64::from(portal.settings.agreements_link_days) * 86_400,
        &format!("{lang}/agreements"),
    )
}

/// `dpa-3.1-de-executed-a2x….pdf`, in a file-name-safe alphabet.
pub(super) fn download_name(a: &Agreement) -> String {
    format!(
        "{}-{}-{}-executed-{}.pdf",
        a.document_id, a.version, a.lang, a.id
    )
    .chars()
    .map(|c| {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
            c
        } else {
            '_'
        }
    })
    .collect()
}

/// Mails the signed PDF to the signatory (with the "Your agreements" link) and to the legal
/// contact. A failed mail is logged; the agreement stands and is listed for the customer.
#[allow(clippy::too_many_arguments)]
pub(super) async fn notify_signed(
    portal: &Portal,
    cat: &Catalogue,
    lang: &str,
    a: &Agreement,
    doc: &GatedDocument,
    link: &str,
    file_name: &str,
    pdf: Vec<u8>,
) {
    let signed_at = at(a.signed_at).format("%Y-%m-%d %H:%M:%S UTC").to_string();
    // What the customer typed, defanged: no mail client turns it into a link.
    let (company, name, title) = (
        defang(&a.company),
        defang(&a.signatory_name),
        defang(&a.signatory_title),
    );
    let args = [
        ("document", doc.title(lang)),
        ("version", a.version.as_str()),
        ("company", company.as_str()),
        ("name", name.as_str()),
        ("title", title.as_str()),
        ("email", a.signatory_email.as_str()),
        ("id", a.id.as_str()),
        ("time", signed_at.as_str()),
        ("sha256", a.pdf_sha256.as_str()),
        ("link", link),
    ];
    let mails = [
        (a.signatory_email.as_str(), "agreement-mail-signed"),
        (
            portal.settings.legal_contact.as_str(),
            "agreement-mail-legal",
        ),
    ];
    for (to, key) in mails {
        let sent = portal
            .mailer
            .send_with_pdf(
                to,
                &cat.t(lang, &format!("{key}-subject"), &args),
                &cat.t(lang, &format!("{key}-body"), &args),
                file_name,
                pdf.clone(),
            )
            .await;
        if let Err(e) = sent {
            eprintln!("portal: cannot mail executed agreement {}: {e}", a.id);
        }
    }
}
