//! Concluding agreements online, end to end over real HTTP: `candor serve --production` with a
//! certificate from `candor keygen --certificate`, the signing link read from the outbox, the
//! executed PDF checked by poppler (`pdfsig` for the signature, `pdftotext` for its text), the
//! admin commands on the same store.
//!
//! Needs poppler-utils (`pdfsig`, `pdftotext`); scripts/test installs them.

mod common;

use std::path::Path;

use common::example_site;
use common::portal::{
    Server, confirm, execute, fields, hidden, link_path, outbox, outbox_raw, pdf_attachment,
    request_link,
};
use common::run_in as run;
use sha2::{Digest as _, Sha256};

fn sha256(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn poppler(tool: &str, pdf: &[u8], args: &[&str]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new(tool)
        .args(args)
        .arg(&path)
        .output()
        .unwrap_or_else(|e| panic!("{tool} is needed (apt-get install poppler-utils): {e}"));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdfsig(pdf: &[u8]) -> String {
    poppler("pdfsig", pdf, &[])
}

fn pdftotext(pdf: &[u8]) -> String {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("agreement.pdf");
    std::fs::write(&path, pdf).unwrap();
    let out = std::process::Command::new("pdftotext")
        .arg(&path)
        .arg("-")
        .output()
        .expect("pdftotext is needed (apt-get install poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn assert_signed(pdf: &[u8]) -> String {
    let verdict = pdfsig(pdf);
    assert!(
        verdict.contains("Signature Validation: Signature is Valid."),
        "{verdict}"
    );
    assert!(verdict.contains("Total document signed"), "{verdict}");
    assert!(verdict.contains("ETSI.CAdES.detached"), "{verdict}");
    verdict
}

/// The JSON array a CLI command prints.
fn json_list(root: &Path, args: &[&str]) -> Vec<serde_json::Value> {
    let (ok, out, err) = run(root, args);
    assert!(ok, "{err}");
    match serde_json::from_str(&out).unwrap() {
        serde_json::Value::Array(a) => a,
        other => panic!("not a list: {other}"),
    }
}

fn agreements_json(root: &Path) -> Vec<serde_json::Value> {
    json_list(root, &["agreements", "list", "--json"])
}

fn audit_rows(root: &Path) -> Vec<serde_json::Value> {
    json_list(root, &["audit", "export", "--json"])
}

#[test]
fn a_customer_concludes_the_dpa_in_german_and_gets_a_signed_pdf() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let mut b = server.browser();

    // The document page offers it.
    let page = b.get("/de/dokumente/avv/");
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("/portal/de/sign/dpa"),
        "the page links the signing flow"
    );

    let link = request_link(
        &mut b,
        root,
        "de",
        "dpa",
        "anna.mueller@mueller-logistik.example",
    );
    let form = confirm(&mut b, &link);
    assert!(
        form.contains("Deutsch (maßgeblich)"),
        "the authoritative version is named"
    );
    assert!(
        form.contains("Auftragsverarbeiter"),
        "the agreement's text is shown"
    );
    let done = execute(&mut b, &link, &form, &fields(&[]));
    assert_eq!(done.status, 200, "{}", done.text());
    let done_html = done.text();
    assert!(done_html.contains("Vertrag abgeschlossen"), "{done_html}");

    // Three mails: the link, the executed agreement to the signatory and to legal.
    let raw = outbox_raw(root);
    assert_eq!(raw.len(), 3, "{:?}", outbox(root));
    let mails = outbox(root);
    let to_signatory = mails
        .iter()
        .position(|(to, s, _)| {
            to == "anna.mueller@mueller-logistik.example" && s.contains("Vertragsausfertigung")
        })
        .expect("the signatory's copy");
    let to_legal = mails
        .iter()
        .position(|(to, _, _)| to == "legal@example.com")
        .expect("legal's copy");
    let pdf = pdf_attachment(&raw[to_signatory]).expect("the signed PDF is attached");
    assert_eq!(
        pdf_attachment(&raw[to_legal]).as_deref(),
        Some(pdf.as_slice())
    );

    // Signed, and the whole file is covered.
    let verdict = assert_signed(&pdf);
    assert!(verdict.contains("Example Cloud GmbH"), "{verdict}");
    // Its text names party, signatory, version and the digest of the agreement signed.
    let original = std::fs::read(root.join("content/documents/dpa/avv-3.1-de.pdf")).unwrap();
    let text = pdftotext(&pdf);
    for needle in [
        "Vertragsausfertigung",
        "Müller & Söhne Logistik GmbH",
        "Hafenstraße 12",
        "HRB 123456",
        "Dr. Anna Müller",
        "Geschäftsführerin",
        "3.1",
        "Deutsch (maßgeblich)",
        &sha256(&original),
        "Example Cloud GmbH",
        "candor-test/1.0",
        "127.0.0.1",
        "Ausfertigung",
        "Auftragsverarbeitungsvertrag",
    ] {
        assert!(text.contains(needle), "`{needle}` missing in:\n{text}");
    }

    // One changed byte in the signed range: the signature no longer holds.
    let mut tampered = pdf.clone();
    let at = tampered
        .windows(b"Ausfertigung".len())
        .position(|w| w == b"Ausfertigung")
        .unwrap_or(100);
    tampered[at] ^= 0x01;
    let verdict = pdfsig(&tampered);
    assert!(!verdict.contains("Signature is Valid"), "{verdict}");
    assert!(verdict.contains("Digest Mismatch"), "{verdict}");

    // The record, the audit chain and the file area agree.
    let list = agreements_json(root);
    assert_eq!(list.len(), 1);
    let a = &list[0];
    let id = a["id"].as_str().unwrap().to_owned();
    assert_eq!(a["pdf_sha256"], sha256(&pdf));
    assert_eq!(a["text_sha256"], sha256(&original));
    assert_eq!(a["lang"], "de");
    assert_eq!(a["version"], "3.1");
    assert!(a["superseded_by"].is_null());
    let stored = root.join(format!(".candor/files/agreements/{id}.pdf"));
    assert_eq!(std::fs::read(&stored).unwrap(), pdf, "stored as mailed");
    let (ok, _, err) = run(root, &["build", "--quiet"]);
    assert!(ok, "{err}");
    assert!(root.join("public/de/index.html").exists());
    assert!(
        !walkdir_has(root.join("public").as_path(), &id),
        "never in the public output"
    );
    let rows = audit_rows(root);
    let signed: Vec<_> = rows
        .iter()
        .filter(|r| r["event"] == "agreement_signed")
        .collect();
    assert_eq!(signed.len(), 1);
    assert!(
        signed[0]["detail"]
            .as_str()
            .unwrap()
            .contains(&format!("agreement {id} sha256 {}", sha256(&pdf)))
    );
    for event in ["agreement_requested", "email_verified"] {
        assert!(rows.iter().any(|r| r["event"] == event), "{event}");
    }
    let (ok, out, err) = run(root, &["agreements", "show", &id]);
    assert!(ok, "{err}");
    assert!(
        out.contains("SHA-256 matches") && out.contains("Dr. Anna Müller"),
        "{out}"
    );
    let exported = root.join("exported.pdf");
    let (ok, _, err) = run(
        root,
        &[
            "agreements",
            "export",
            &id,
            "--output",
            exported.to_str().unwrap(),
        ],
    );
    assert!(ok, "{err}");
    assert_eq!(std::fs::read(&exported).unwrap(), pdf);

    // "Your agreements": from the mail, GET lists, POST mints a short-lived download.
    let (_, _, body) = &mails[to_signatory];
    let mine = link_path(body).expect("the agreements link");
    assert!(mine.starts_with("/portal/de/agreements/"), "{mine}");
    let listed = b.get(&mine);
    assert_eq!(listed.status, 200);
    let html = listed.text();
    assert!(
        html.contains(&id) && html.contains("Aktuelle Version"),
        "{html}"
    );
    let downloads_before = rows
        .iter()
        .filter(|r| r["event"] == "agreement_download")
        .count();
    let csrf = hidden(&html, "csrf").unwrap();
    let go = b.post(&mine, &[("csrf", &csrf), ("agreement", &id)]);
    assert_eq!(go.status, 303);
    let file = b.get(go.header("location").unwrap());
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert_eq!(file.body, pdf);
    let rows = audit_rows(root);
    assert_eq!(
        rows.iter()
            .filter(|r| r["event"] == "agreement_download")
            .count(),
        downloads_before + 1
    );
    // Someone else's agreement id through this link: refused.
    let other = b.post(&mine, &[("csrf", &csrf), ("agreement", "aaaaaaaaaaaaaaa")]);
    assert_eq!(other.status, 403);

    // The signing link is used up: it shows nothing of the agreement, and concludes nothing.
    let again = b.get(&link);
    assert_eq!(again.status, 200);
    let again_html = again.text();
    assert!(again_html.contains("bereits verwendet"), "{again_html}");
    assert!(!again_html.contains("Müller"), "{again_html}");
    let replay = execute(&mut b, &link, &form, &fields(&[]));
    assert!(replay.text().contains("bereits verwendet"));
    assert_eq!(agreements_json(root).len(), 1);

    let (ok, out, err) = run(root, &["audit", "verify"]);
    assert!(ok, "{out}{err}");
    // The server's log names routes, never tokens, addresses or keys.
    let logs = server.stop();
    let token = link.rsplit('/').next().unwrap();
    for secret in [token, "anna.mueller@", "Müller", "PRIVATE KEY", &id] {
        assert!(!logs.contains(secret), "`{secret}` in the log:\n{logs}");
    }
    assert!(logs.contains("/sign/link/{token}"), "{logs}");

    // A new version supersedes it; the signed file stays as it was.
    let index = root.join("content/documents/dpa/index.md");
    let front = std::fs::read_to_string(&index).unwrap().replacen(
        "    - version: \"3.1\"",
        "    - version: \"3.2\"\n      date: 2026-11-01\n      files: {en: dpa-3.1-en.pdf, de: avv-3.1-de.pdf}\n      notes: {en: \"Test.\", de: \"Test.\"}\n    - version: \"3.1\"",
        1,
    );
    std::fs::write(&index, front).unwrap();
    let list = agreements_json(root);
    assert_eq!(list[0]["superseded_by"], "3.2");
    let server = Server::start(root, &[]);
    let mut b = server.browser();
    let html = b.get(&mine).text();
    assert!(html.contains("Abgelöst durch Version 3.2"), "{html}");
    assert_eq!(
        std::fs::read(&stored).unwrap(),
        pdf,
        "the signed file is unchanged"
    );
}

fn walkdir_has(dir: &Path, needle: &str) -> bool {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .any(|e| e.file_name().to_string_lossy().contains(needle))
}

#[test]
fn expired_forged_and_replayed_links_show_nothing() {
    use candor::portal::{keys, token};
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let mut b = server.browser();
    let link = request_link(&mut b, root, "en", "uk-addendum", "jane@acme.example");
    let rows = audit_rows(root);
    let request_id = rows
        .iter()
        .find(|r| r["event"] == "agreement_requested")
        .and_then(|r| r["request_id"].as_str())
        .unwrap()
        .to_owned();

    // The same request, signed with the server's own key, but expired.
    let path = root.join(".candor/keys/portal-keys.json");
    let ring = keys::Keyring::from_file(&keys::read_file(&path).unwrap(), &path).unwrap();
    let expired = token::sign(
        &ring,
        keys::Purpose::Sign,
        &token::LinkClaims {
            id: request_id.clone(),
            exp: chrono::Utc::now().timestamp() - token::LEEWAY_SECS - 1,
            n: token::nonce(),
        },
    );
    // A token for another purpose (a grant link) naming the same id.
    let wrong_purpose = token::sign(
        &ring,
        keys::Purpose::Grant,
        &token::LinkClaims {
            id: request_id,
            exp: chrono::Utc::now().timestamp() + 3600,
            n: token::nonce(),
        },
    );
    let mut tampered = link.clone();
    let last = tampered.pop().unwrap();
    tampered.push(if last == 'A' { 'B' } else { 'A' });
    for bad in [
        format!("/portal/en/sign/link/{expired}"),
        format!("/portal/en/sign/link/{wrong_purpose}"),
        tampered,
        format!("/portal/en/agreements/{expired}"),
    ] {
        let r = b.get(&bad);
        assert_eq!(r.status, 403, "{bad}");
        assert!(!r.text().contains("jane@acme.example"), "{bad}");
    }
    // The genuine link still works.
    let form = confirm(&mut b, &link);
    assert!(form.contains("UK International Data Transfer Addendum"));
}

#[test]
fn malformed_input_is_refused_or_drawn_harmlessly() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let mut b = server.browser();
    let link = request_link(&mut b, root, "en", "dpa", "jane@acme.example");
    let form = confirm(&mut b, &link);

    let long = "x".repeat(151);
    let cases: [(&str, &str, &str); 7] = [
        ("company", &long, "at most 150"),
        (
            "signatory_name",
            "Dr. Anna Müller, https://evil.example",
            "letters, spaces",
        ),
        ("signatory_name", "Eve\u{202e}gnp.exe", "characters"),
        ("signatory_title", "CEO\u{0007}", "characters"),
        ("signatory_email", "not-an-address", "name@company.com"),
        ("address", "", "Enter the"),
        ("accept", "", "may sign it"),
    ];
    for (field, value, message) in cases {
        let f = fields(&[(field, value), ("language", "en")]);
        let r = execute(&mut b, &link, &form, &f);
        assert_eq!(r.status, 422, "{field}");
        let html = r.text();
        assert!(html.contains("form-errors"), "{field}: a summary");
        assert!(html.contains(message), "{field}: `{message}` in\n{html}");
        // Nothing typed is lost.
        assert!(
            html.contains("Hafenstraße 12") || field == "address",
            "{field}"
        );
        assert!(html.contains("value=\"HRB 123456\""), "{field}");
    }
    // A language the version does not have.
    let r = execute(&mut b, &link, &form, &fields(&[("language", "fr")]));
    assert_eq!(r.status, 422);
    assert_eq!(agreements_json(root).len(), 0, "nothing was concluded");

    // A company name with markup is refused (names hold no `<`); free text holds anything.
    let r = execute(
        &mut b,
        &link,
        &form,
        &fields(&[("company", "<b>Acme</b>"), ("language", "en")]),
    );
    assert_eq!(r.status, 422);
    assert!(r.text().contains("letters, digits"), "{}", r.text());
    // HTML is text: escaped on the pages, drawn literally in the PDF.
    let html_address = "<script>alert(1)</script> & Co\n20457 Hamburg";
    let done = execute(
        &mut b,
        &link,
        &form,
        &fields(&[("address", html_address), ("language", "en")]),
    );
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(!done.text().contains("<script>alert"), "escaped");
    let raw = outbox_raw(root);
    let pdf = raw.iter().find_map(|m| pdf_attachment(m)).unwrap();
    assert_signed(&pdf);
    let text = pdftotext(&pdf);
    assert!(text.contains("<script>alert(1)</script> & Co"), "{text}");
    assert!(
        text.contains("Executed agreement") && text.contains("English"),
        "{text}"
    );
}

#[test]
fn concurrent_signings_of_one_customer_make_separate_complete_records() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let email = "jane@acme.example";
    let mut ready = Vec::new();
    for doc in ["dpa", "dpa", "uk-addendum", "uk-addendum"] {
        let mut b = server.browser();
        let link = request_link(&mut b, root, "en", doc, email);
        let form = confirm(&mut b, &link);
        ready.push((b, link, form, doc));
    }
    // Four different links at once, plus the first one submitted twice at the same time.
    let mut twice = (ready[0].0.clone(), ready[0].1.clone(), ready[0].2.clone());
    let handles: Vec<_> = ready
        .into_iter()
        .enumerate()
        .map(|(i, (mut b, link, form, doc))| {
            std::thread::spawn(move || {
                let language = if doc == "dpa" && i % 2 == 0 {
                    "de"
                } else {
                    "en"
                };
                // Names hold letters only: the signing form refuses digits in a name.
                let name = format!("Signatory {}", char::from(b'A' + i as u8));
                let f = fields(&[("language", language), ("signatory_name", &name)]);
                let r = execute(&mut b, &link, &form, &f);
                (r.status, r.text())
            })
        })
        .chain(std::iter::once(std::thread::spawn(move || {
            let (b, link, form) = &mut twice;
            let r = execute(b, link, form, &fields(&[("signatory_name", "Signatory A")]));
            (r.status, r.text())
        })))
        .collect();
    let results: Vec<(u16, String)> = handles.into_iter().map(|h| h.join().unwrap()).collect();
    assert!(results.iter().all(|(s, _)| *s == 200), "{results:?}");
    let concluded = results
        .iter()
        .filter(|(_, t)| t.contains("Agreement concluded"))
        .count();
    let refused = results
        .iter()
        .filter(|(_, t)| t.contains("already been concluded"))
        .count();
    assert_eq!(
        (concluded, refused),
        (4, 1),
        "one link concludes one agreement"
    );

    let list = agreements_json(root);
    assert_eq!(list.len(), 4);
    let mut names: Vec<_> = list
        .iter()
        .map(|a| a["signatory_name"].as_str().unwrap().to_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["Signatory A", "Signatory B", "Signatory C", "Signatory D"]
    );
    for a in &list {
        let id = a["id"].as_str().unwrap();
        let pdf = std::fs::read(root.join(format!(".candor/files/agreements/{id}.pdf"))).unwrap();
        assert_eq!(sha256(&pdf), a["pdf_sha256"].as_str().unwrap(), "{id}");
        assert!(pdftotext(&pdf).contains(a["signatory_name"].as_str().unwrap()));
    }
    let files = std::fs::read_dir(root.join(".candor/files/agreements"))
        .unwrap()
        .count();
    assert_eq!(files, 4, "the refused signing left no file behind");
    let rows = audit_rows(root);
    assert_eq!(
        rows.iter()
            .filter(|r| r["event"] == "agreement_signed")
            .count(),
        4
    );
    let (ok, out, err) = run(root, &["audit", "verify"]);
    assert!(ok, "{out}{err}");
    // The agreements page of any of the links lists all four.
    let mails = outbox(root);
    let mine = mails
        .iter()
        .filter_map(|(_, _, body)| link_path(body))
        .find(|l| l.starts_with("/portal/en/agreements/"))
        .unwrap();
    let html = server.browser().get(&mine).text();
    for a in &list {
        assert!(html.contains(a["id"].as_str().unwrap()));
    }
}

#[test]
fn production_needs_a_private_signing_key() {
    let site = example_site();
    let root = site.path();
    // No key at all.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--production", "--addr", "127.0.0.1:0", "--root"])
        .arg(root)
        .env_remove("CANDOR_AGREEMENT_KEY")
        .env_remove("CANDOR_AGREEMENT_CERTIFICATE")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("candor keygen --certificate"), "{err}");
    // A key others can read.
    let (ok, _, e) = run(root, &["keygen", "--certificate"]);
    assert!(ok, "{e}");
    let key = root.join(".candor/keys/agreement-key.pem");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
        std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).unwrap();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
            .args(["serve", "--production", "--addr", "127.0.0.1:0", "--root"])
            .arg(root)
            .env("CANDOR_AGREEMENT_KEY", &key)
            .env(
                "CANDOR_AGREEMENT_CERTIFICATE",
                root.join(".candor/keys/agreement-cert.pem"),
            )
            .output()
            .unwrap();
        assert!(!out.status.success());
        let err = String::from_utf8_lossy(&out.stderr);
        assert!(err.contains("chmod 600"), "{err}");
    }
    // keygen refuses to replace the key without --force.
    let (ok, _, e) = run(root, &["keygen", "--certificate"]);
    assert!(!ok && e.contains("--force"), "{e}");
}

#[test]
fn a_preview_signs_with_a_sample_certificate_labelled_as_such() {
    let site = example_site();
    let root = site.path();
    let server = Server::start_preview(root);
    assert!(
        server.logs().contains("SAMPLE certificate"),
        "{}",
        server.logs()
    );
    let mut b = server.browser();
    let link = request_link(
        &mut b,
        root,
        "de",
        "dpa",
        "anna.mueller@mueller-logistik.example",
    );
    let form = confirm(&mut b, &link);
    let done = execute(&mut b, &link, &form, &fields(&[]));
    assert_eq!(done.status, 200, "{}", done.text());
    let pdf = outbox_raw(root)
        .iter()
        .find_map(|m| pdf_attachment(m))
        .expect("the executed agreement");
    let verdict = assert_signed(&pdf);
    assert!(verdict.contains("SAMPLE - not for production"), "{verdict}");
    let key = root.join(".candor/keys/sample-agreement-key.pem");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    // Never committed: .candor/ is ignored by git in the repository.
    let ignore = std::fs::read_to_string(common::repo().join(".gitignore")).unwrap();
    assert!(ignore.lines().any(|l| l.trim() == "/.candor/"), "{ignore}");
}
