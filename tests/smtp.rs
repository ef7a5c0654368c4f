//! Mail over SMTP: `candor serve` with `CANDOR_SMTP_URL` pointing at a real SMTP server on
//! loopback (`common::smtp`: aiosmtpd, with a small handler that writes each message it accepts
//! to a JSON file, parsed by Python's own `email` package so that our encoding is checked by
//! another implementation). The confirmation mail arrives there with a working link, and nothing is
//! written to the outbox.
//!
//! Needs a Python with aiosmtpd: `CANDOR_TEST_PYTHON` (scripts/test sets it to Debian's
//! python3, with python3-aiosmtpd installed), else `python3` or `/usr/bin/python3` when one of
//! them has it; otherwise the tests say "skipped" and pass.

mod common;

use std::path::Path;
use std::process::Command;

use common::portal::{Server, hidden, link_path, outbox};
use common::smtp::{Mode, SKIPPED, Smtp};

fn python() -> Option<String> {
    common::python::with("aiosmtpd")
}

fn request_document(server: &Server, email: &str) -> common::portal::Response {
    let mut browser = server.browser();
    let path = "/portal/en/request/pentest-summary";
    let form = browser.get(path);
    assert_eq!(form.status, 200, "{}", form.text());
    let csrf = hidden(&form.text(), "csrf").expect("a CSRF token in the form");
    browser.post(
        path,
        &[
            ("csrf", &csrf),
            ("name", "Jane Doe"),
            ("email", email),
            ("company", "Example Org"),
            ("reason", "Vendor review"),
        ],
    )
}

fn assert_outbox_empty(site: &Path) {
    assert!(
        outbox(site).is_empty(),
        "mail went to the outbox too: {:?}",
        outbox(site)
    );
    let dir = site.join(".candor/outbox");
    assert!(
        !dir.exists() || std::fs::read_dir(&dir).unwrap().next().is_none(),
        "{} has files",
        dir.display()
    );
}

#[test]
fn mails_go_over_smtp_to_a_real_server_and_not_to_the_outbox() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Accept);
    let site = common::example_site();
    let server = Server::start(site.path(), &[("CANDOR_SMTP_URL", &smtp.url())]);
    assert!(server.logs().contains("mail: SMTP"), "{}", server.logs());

    let sent = request_document(&server, "jane@example.org");
    assert_eq!(sent.status, 200, "{}", sent.text());
    let mails = smtp.wait_for(1);
    assert_eq!(mails.len(), 1, "the confirmation mail arrived over SMTP");
    let confirm = &mails[0];
    assert_eq!(confirm.rcpt_tos, ["jane@example.org"]);
    assert_eq!(confirm.header("To"), Some("jane@example.org"));
    assert_eq!(confirm.mail_from, "trust@example.com");
    assert_eq!(
        confirm.header("From"),
        Some("Example Cloud Trust Center <trust@example.com>")
    );
    assert_eq!(
        confirm.subject,
        "Confirm your request for “Penetration Test Summary 2026”"
    );
    assert!(confirm.body.starts_with("Hello,"), "{confirm:?}");
    assert!(!confirm.body.contains("Jane Doe"), "{confirm:?}");

    // The link works: example.org is approved at once, and the grant mail follows over SMTP.
    let link = link_path(&confirm.body).expect("a confirmation link");
    assert!(link.starts_with("/portal/en/confirm/v1."), "{link}");
    let mut browser = server.browser();
    let page = browser.get(&link);
    assert_eq!(page.status, 200, "{}", page.text());
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token on the confirm page");
    let done = browser.post(&link, &[("csrf", &csrf)]);
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(done.text().contains("access is granted"), "{}", done.text());
    let mails = smtp.wait_for(2);
    assert_eq!(mails.len(), 2, "the grant mail arrived over SMTP");
    assert_eq!(mails[1].rcpt_tos, ["jane@example.org"]);
    let grant = link_path(&mails[1].body).expect("a grant link");
    assert!(grant.starts_with("/portal/en/grant/v1."), "{grant}");
    assert_eq!(browser.get(&grant).status, 200);

    assert_outbox_empty(site.path());
}

#[test]
fn an_unreachable_smtp_server_fails_the_request_visibly_and_nothing_goes_to_the_outbox() {
    // A port nothing listens on (bound, then released).
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let site = common::example_site();
    let server = Server::start(
        site.path(),
        &[("CANDOR_SMTP_URL", &format!("smtp://127.0.0.1:{port}"))],
    );
    let sent = request_document(&server, "jane@example.org");
    assert_eq!(sent.status, 503, "{}", sent.text());
    assert!(!sent.text().contains("sent a confirmation link"));
    let logs = server.stop();
    assert!(
        logs.contains("portal: SMTP"),
        "the operator sees why: {logs}"
    );
    assert_outbox_empty(site.path());
}

#[test]
fn an_agreement_concluded_online_arrives_over_smtp_with_the_signed_pdf() {
    use base64::Engine as _;
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Accept);
    let site = common::example_site();
    let server = Server::start(site.path(), &[("CANDOR_SMTP_URL", &smtp.url())]);
    let mut b = server.browser();
    let start = "/portal/en/sign/uk-addendum";
    let csrf = hidden(&b.get(start).text(), "csrf").unwrap();
    let sent = b.post(start, &[("csrf", &csrf), ("email", "jane@acme.example")]);
    assert_eq!(sent.status, 200, "{}", sent.text());
    let mails = smtp.wait_for(1);
    let link = link_path(&mails[0].body).expect("a signing link");
    assert!(link.starts_with("/portal/en/sign/link/v1."), "{link}");
    let csrf = hidden(&b.get(&link).text(), "csrf").unwrap();
    let form = b.post(&link, &[("csrf", &csrf)]).text();
    let csrf = hidden(&form, "csrf").unwrap();
    let done = b.post(
        &format!("{link}/execute"),
        &[
            ("csrf", csrf.as_str()),
            ("company", "Acme Ltd"),
            ("address", "1 Example Street\nLondon"),
            ("registration", ""),
            ("privacy_contact", "privacy@acme.example"),
            ("signatory_name", "Jane Doe"),
            ("signatory_title", "General Counsel"),
            ("signatory_email", "jane@acme.example"),
            ("language", "en"),
            ("accept", "accept"),
        ],
    );
    assert_eq!(done.status, 200, "{}", done.text());
    let mails = smtp.wait_for(3);
    assert_eq!(mails.len(), 3);
    let mut recipients: Vec<_> = mails[1..].iter().map(|m| m.rcpt_tos.join(",")).collect();
    recipients.sort();
    assert_eq!(recipients, ["jane@acme.example", "legal@example.com"]);
    for mail in &mails[1..] {
        assert_eq!(mail.attachments.len(), 1, "{mail:?}");
        let pdf = &mail.attachments[0];
        assert_eq!(pdf.content_type, "application/pdf");
        assert!(
            pdf.filename.starts_with("uk-addendum-1.0-en-executed-a"),
            "{}",
            pdf.filename
        );
        let bytes = base64::engine::general_purpose::STANDARD
            .decode(&pdf.data)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signed.pdf");
        std::fs::write(&path, &bytes).unwrap();
        let out = Command::new("pdfsig")
            .arg(&path)
            .output()
            .expect("pdfsig (poppler-utils)");
        let verdict = String::from_utf8_lossy(&out.stdout);
        assert!(verdict.contains("Signature is Valid"), "{verdict}");
        assert!(verdict.contains("Total document signed"), "{verdict}");
    }
    let signatory = mails[1..]
        .iter()
        .find(|m| m.rcpt_tos == ["jane@acme.example"])
        .unwrap();
    assert!(signatory.body.starts_with("Hello,"), "{}", signatory.body);
    let mine = link_path(&signatory.body).expect("the agreements link");
    assert!(b.get(&mine).text().contains("Acme Ltd"));
    assert_outbox_empty(site.path());
}
