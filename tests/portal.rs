//! The portal end to end over real HTTP on loopback: `candor serve` as a process, a raw HTTP
//! client, mail read from the outbox, the CLI on the same store.

mod common;

use std::path::Path;

use common::example_site;
use common::portal::{
    Browser, Response, Server, actions, hidden, link_path, request, wait_for_mails,
};
use common::run_in as run;

fn audit_events(root: &Path) -> Vec<String> {
    let (ok, out, err) = run(root, &["audit", "export", "--json"]);
    assert!(ok, "{err}");
    let rows: serde_json::Value = serde_json::from_str(&out).unwrap();
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| r["event"].as_str().unwrap().to_owned())
        .collect()
}

fn requests(root: &Path) -> serde_json::Value {
    let (ok, out, err) = run(root, &["requests", "list", "--json"]);
    assert!(ok, "{err}");
    serde_json::from_str(&out).unwrap()
}

/// Submits the request form for `doc` in `lang` and returns the response.
fn submit(b: &mut Browser, lang: &str, doc: &str, email: &str, extra: &[(&str, &str)]) -> Response {
    let path = format!("/portal/{lang}/request/{doc}");
    let page = b.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token in the form");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("name", "Jane Doe"),
        ("email", email),
        ("company", "Acme Corp"),
        ("reason", "Vendor risk review"),
    ];
    fields.extend_from_slice(extra);
    b.post(&path, &fields)
}

/// Opens a mailed link (GET, shows a button) and presses the button (POST).
fn press(b: &mut Browser, link: &str) -> Response {
    let page = b.get(link);
    assert_eq!(page.status, 200, "{}", page.text());
    let html = page.text();
    let csrf = hidden(&html, "csrf").expect("a CSRF token");
    let action = actions(&html)
        .into_iter()
        .find(|a| a.starts_with("/portal/"))
        .expect("a portal form");
    b.post(&action, &[("csrf", &csrf)])
}

/// From a grant link: opens the landing page and downloads the first file; returns the
/// download token's path and the response.
fn download_first(b: &mut Browser, grant_link: &str) -> (String, Response) {
    let landing = b.get(grant_link);
    assert_eq!(landing.status, 200, "{}", landing.text());
    let html = landing.text();
    let csrf = hidden(&html, "csrf").unwrap();
    let file = hidden(&html, "file").expect("a file to download");
    let minted = b.post(grant_link, &[("csrf", &csrf), ("file", &file)]);
    assert_eq!(minted.status, 303, "{}", minted.text());
    let location = minted.header("location").unwrap().to_owned();
    assert!(location.starts_with("/portal/download/v1."), "{location}");
    let r = b.get(&location);
    (location, r)
}

fn pdf_text(bytes: &[u8]) -> String {
    let doc = lopdf::Document::load_mem(bytes).expect("a PDF");
    let pages: Vec<u32> = doc.get_pages().keys().copied().collect();
    doc.extract_text(&pages).unwrap_or_default()
}

#[test]
fn a_gated_document_in_english_from_request_to_watermarked_download() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();

    // 1. The request: the answer says what happens next.
    let sent = submit(&mut b, "en", "pentest-summary", "jane@example.org", &[]);
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert!(sent.text().contains("Check your inbox"), "{}", sent.text());
    let mails = wait_for_mails(site.path(), 1);
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].0, "jane@example.org");
    assert!(mails[0].1.contains("Confirm"), "{}", mails[0].1);
    let confirm = link_path(&mails[0].2).expect("a confirmation link");
    assert!(confirm.starts_with("/portal/en/confirm/v1."), "{confirm}");

    // 2. Opening the link (as a mail scanner would, twice) changes nothing.
    for _ in 0..2 {
        let page = b.get(&confirm);
        assert_eq!(page.status, 200);
        assert!(page.text().contains("Confirm my address"));
    }
    assert_eq!(requests(site.path())[0]["status"], "unverified");

    // 3. Confirming approves at once: example.org is on the allow-list.
    let confirmed = press(&mut b, &confirm);
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
    assert!(
        confirmed.text().contains("Access granted"),
        "{}",
        confirmed.text()
    );
    let mails = wait_for_mails(site.path(), 2);
    assert_eq!(mails.len(), 2);
    let grant = link_path(&mails[1].2).expect("a grant link");
    assert!(grant.starts_with("/portal/en/grant/v1."), "{grant}");
    let listed = requests(site.path());
    assert_eq!(listed[0]["status"], "approved");
    assert_eq!(listed[0]["decided_by"], "auto:example.org");

    // 4. The landing page lists the document; GET changes nothing (no grant used up).
    let landing = b.get(&grant);
    assert!(landing.text().contains("Penetration Test Summary 2026"));
    assert!(
        landing.text().contains("Downloads left: 10"),
        "{}",
        landing.text()
    );
    let (_, download) = download_first(&mut b, &grant);
    assert_eq!(download.status, 200, "{}", download.text());
    assert_eq!(download.header("content-type"), Some("application/pdf"));
    assert_eq!(
        download.header("content-disposition"),
        Some("attachment; filename=\"pentest-summary-2026-en.pdf\"")
    );
    assert_eq!(download.header("cache-control"), Some("private, no-store"));
    assert_eq!(download.header("x-content-type-options"), Some("nosniff"));

    // 5. The copy carries the recipient; the stored original does not and is unchanged.
    let stamped = pdf_text(&download.body);
    assert!(stamped.contains("jane@example.org"), "{stamped}");
    assert!(stamped.contains("Acme Corp"), "{stamped}");
    let original_path = site
        .path()
        .join("content/documents/pentest-summary/pentest-summary-2026-en.pdf");
    let original = std::fs::read(&original_path).unwrap();
    assert!(!pdf_text(&original).contains("jane@example.org"));
    assert_eq!(
        original,
        std::fs::read(
            common::repo().join("content/documents/pentest-summary/pentest-summary-2026-en.pdf")
        )
        .unwrap()
    );
    let landing = b.get(&grant);
    assert!(
        landing.text().contains("Downloads left: 9"),
        "{}",
        landing.text()
    );

    // 6. Every step is in the audit log, and the chain verifies.
    let events = audit_events(site.path());
    for e in [
        "request",
        "email_verified",
        "approved",
        "link_opened",
        "download",
    ] {
        assert!(events.iter().any(|x| x == e), "{e} missing in {events:?}");
    }
    assert_eq!(events.iter().filter(|e| *e == "download").count(), 1);
    let (ok, out, err) = run(site.path(), &["audit", "verify"]);
    assert!(ok, "{out}{err}");
    assert!(out.contains("intact"), "{out}");

    // 7. Nothing that could download was logged: no token, no cookie, no e-mail address.
    let logs = server.stop();
    assert!(logs.contains("GET /portal/download/{token} 200"), "{logs}");
    assert!(!logs.contains("v1."), "a token reached the log:\n{logs}");
    assert!(!logs.contains("candor_csrf"), "{logs}");
    assert!(!logs.contains("jane@example.org"), "{logs}");
    let keys = std::fs::read_to_string(site.path().join(".candor/keys/portal-keys.json")).unwrap();
    let secret: serde_json::Value = serde_json::from_str(&keys).unwrap();
    assert!(!logs.contains(secret["keys"][0]["secret"].as_str().unwrap()));
}

#[test]
fn an_nda_document_in_german_needs_the_nda_and_an_admin() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();

    // The form shows the NDA; sending without accepting it keeps every field and says why.
    let page = b.get("/portal/de/request/iso27001-audit-report");
    assert!(
        page.text().contains("Vertraulichkeitsbedingungen")
            || page.text().contains("Vertraulichkeitsvereinbarung")
    );
    let refused = submit(
        &mut b,
        "de",
        "iso27001-audit-report",
        "max@kunde.example",
        &[],
    );
    assert_eq!(refused.status, 422);
    let html = refused.text();
    assert!(
        html.contains("Nehmen Sie die Vertraulichkeitsvereinbarung an"),
        "{html}"
    );
    assert!(html.contains("value=\"max@kunde.example\""), "{html}");
    assert!(html.contains("aria-invalid=\"true\""));
    assert!(common::portal::outbox(site.path()).is_empty());

    let sent = submit(
        &mut b,
        "de",
        "iso27001-audit-report",
        "max@kunde.example",
        &[("nda", "accept")],
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert!(sent.text().contains("Bitte prüfen Sie Ihr Postfach"));
    let mails = wait_for_mails(site.path(), 1);
    let confirm = link_path(&mails[0].2).unwrap();
    assert!(confirm.starts_with("/portal/de/confirm/"), "{confirm}");
    // Greeted neutrally: nothing the requester typed goes to an address nobody has proven.
    assert!(mails[0].2.starts_with("Guten Tag,"), "{}", mails[0].2);
    assert!(!mails[0].2.contains("Jane Doe"), "{}", mails[0].2);
    let confirmed = press(&mut b, &confirm);
    assert!(
        confirmed.text().contains("Adresse bestätigt"),
        "{}",
        confirmed.text()
    );

    // Not on the allow-list: pending until an admin approves; the accepted NDA is recorded.
    let listed = requests(site.path());
    assert_eq!(listed[0]["status"], "pending");
    assert_eq!(listed[0]["nda_version"], "2026-12");
    assert_eq!(listed[0]["nda_sha256"].as_str().unwrap().len(), 64);
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let (ok, out, err) = run(site.path(), &["requests", "approve", &id, "--days", "7"]);
    assert!(ok, "{out}{err}");
    let mails = wait_for_mails(site.path(), 2);
    let grant = link_path(&mails[1].2).unwrap();
    assert!(grant.starts_with("/portal/de/grant/"), "{grant}");
    let (_, download) = download_first(&mut b, &grant);
    assert_eq!(download.status, 200);
    assert!(pdf_text(&download.body).contains("max@kunde.example"));

    // Approving twice is refused with a clear message.
    let (ok, _, err) = run(site.path(), &["requests", "approve", &id]);
    assert!(!ok);
    assert!(err.contains("approved, not pending"), "{err}");
}

#[test]
fn refused_tokens_and_links_all_get_the_same_page() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    submit(&mut b, "en", "pentest-summary", "jane@example.org", &[]);
    let confirm = link_path(&wait_for_mails(site.path(), 1)[0].2).unwrap();
    press(&mut b, &confirm);
    let grant = link_path(&wait_for_mails(site.path(), 2)[1].2).unwrap();
    let (location, ok) = download_first(&mut b, &grant);
    assert_eq!(ok.status, 200);

    let generic = b.get("/portal/download/v1.nope.nope.nope");
    assert_eq!(generic.status, 403);
    let body = generic.text();
    // Altered tokens (one character, truncated) are refused with exactly that page.
    let token = location.trim_start_matches("/portal/download/");
    let mut altered = token.to_owned().into_bytes();
    let i = altered.len() / 2;
    altered[i] = if altered[i] == b'A' { b'B' } else { b'A' };
    for bad in [
        String::from_utf8(altered).unwrap(),
        token[..token.len() - 1].to_owned(),
        format!("{token}A"),
    ] {
        let r = b.get(&format!("/portal/download/{bad}"));
        assert_eq!(r.status, 403);
        assert_eq!(r.text(), body);
    }
    // A grant link is not a download token, nor the other way round.
    let grant_token = grant.rsplit('/').next().unwrap();
    let r = b.get(&format!("/portal/download/{grant_token}"));
    assert_eq!((r.status, r.text()), (403, body.clone()));
    let r = b.get(&format!("/portal/en/grant/{token}"));
    assert_eq!(r.status, 403);

    // Revoked: the grant link and a token minted before both stop working.
    let grant_id = requests(site.path())[0]["grant_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let (ok_rev, out, err) = run(site.path(), &["grants", "revoke", &grant_id]);
    assert!(ok_rev, "{out}{err}");
    let r = b.get(&location);
    assert_eq!((r.status, r.text()), (403, body.clone()));
    let r = b.get(&grant);
    assert_eq!(r.status, 403);
    let events = audit_events(site.path());
    assert!(events.iter().any(|e| e == "revoked"));
    assert!(
        events.iter().filter(|e| *e == "failed").count() >= 5,
        "{events:?}"
    );
}

#[test]
fn downloads_stop_at_the_limit_and_tokens_are_bound_to_their_document() {
    let site = example_site();
    common::edit_file(&site.path().join("site.yaml"), |yaml| {
        yaml.replace("download_limit: 10", "download_limit: 2")
    });
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    submit(&mut b, "en", "pentest-summary", "jane@example.org", &[]);
    let confirm = link_path(&wait_for_mails(site.path(), 1)[0].2).unwrap();
    press(&mut b, &confirm);
    let grant = link_path(&wait_for_mails(site.path(), 2)[1].2).unwrap();
    let (location, first) = download_first(&mut b, &grant);
    assert_eq!(first.status, 200);
    assert_eq!(b.get(&location).status, 200);
    assert_eq!(
        b.get(&location).status,
        403,
        "a third download over a limit of 2"
    );

    // A token signed with the real key for another document of the same grant is refused.
    let keys = candor::portal::keys::read_file(&site.path().join(".candor/keys/portal-keys.json"))
        .unwrap();
    let ring = candor::portal::keys::Keyring::from_file(&keys, Path::new("k")).unwrap();
    let grant_id = requests(site.path())[0]["grant_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let doc = std::fs::read(
        site.path()
            .join("content/documents/iso27001-audit-report/iso27001-audit-report-2026-en.pdf"),
    )
    .unwrap();
    use sha2::Digest as _;
    let claims = candor::portal::token::DownloadClaims {
        g: grant_id,
        d: "iso27001-audit-report".into(),
        v: "2026".into(),
        l: "en".into(),
        h: format!("{:x}", sha2::Sha256::digest(&doc)),
        exp: chrono::Utc::now().timestamp() + 60,
        n: candor::portal::token::nonce(),
    };
    let forged =
        candor::portal::token::sign(&ring, candor::portal::keys::Purpose::Download, &claims);
    assert_eq!(b.get(&format!("/portal/download/{forged}")).status, 403);
    // An expired token (signed with the real key) is refused.
    let claims = candor::portal::token::DownloadClaims {
        d: "pentest-summary".into(),
        exp: chrono::Utc::now().timestamp() - 3600,
        ..claims
    };
    let expired =
        candor::portal::token::sign(&ring, candor::portal::keys::Purpose::Download, &claims);
    assert_eq!(b.get(&format!("/portal/download/{expired}")).status, 403);
    let events = audit_events(site.path());
    assert_eq!(events.iter().filter(|e| *e == "download").count(), 2);
}

#[test]
fn forms_without_the_csrf_token_or_from_another_site_are_refused() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    let page = b.get("/portal/en/request/pentest-summary");
    let csrf = hidden(&page.text(), "csrf").unwrap();
    let fields = [
        ("name", "Jane Doe"),
        ("email", "jane@example.org"),
        ("company", "Acme"),
        ("reason", "Review"),
    ];
    // No cookie (another browser), a wrong token, a cross-site post.
    let mut other = Browser {
        addr: server.addr.clone(),
        cookie: None,
    };
    let mut with_csrf = vec![("csrf", csrf.as_str())];
    with_csrf.extend_from_slice(&fields);
    assert_eq!(
        other
            .post("/portal/en/request/pentest-summary", &with_csrf)
            .status,
        403
    );
    let mut wrong = vec![("csrf", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")];
    wrong.extend_from_slice(&fields);
    assert_eq!(
        b.post("/portal/en/request/pentest-summary", &wrong).status,
        403
    );
    let body = common::portal::form(&with_csrf);
    let cookie = b.cookie.clone().unwrap();
    let r = request(
        &server.addr,
        "POST",
        "/portal/en/request/pentest-summary",
        &[
            ("Cookie", &cookie),
            ("Content-Type", "application/x-www-form-urlencoded"),
            ("Sec-Fetch-Site", "cross-site"),
        ],
        Some(&body),
    );
    assert_eq!(r.status, 403);
    assert!(common::portal::outbox(site.path()).is_empty());
    assert!(requests(site.path()).as_array().unwrap().is_empty());
    // The real browser's post goes through.
    assert_eq!(
        b.post("/portal/en/request/pentest-summary", &with_csrf)
            .status,
        200
    );
}

#[test]
fn a_burst_of_requests_gets_429_with_retry_after() {
    let site = example_site();
    let server = Server::start(site.path(), &[("CANDOR_PORTAL_LIMITS", "2,60,30,30")]);
    let mut b = server.browser();
    for _ in 0..2 {
        assert_eq!(
            submit(&mut b, "en", "pentest-summary", "jane@example.org", &[]).status,
            200
        );
    }
    let limited = submit(&mut b, "en", "pentest-summary", "jane@example.org", &[]);
    assert_eq!(limited.status, 429);
    let retry: u64 = limited.header("retry-after").unwrap().parse().unwrap();
    assert!((1..=3600).contains(&retry));
    assert_eq!(wait_for_mails(site.path(), 2).len(), 2);
}

#[test]
fn confirmation_links_and_downloads_are_rate_limited_too() {
    let site = example_site();
    // 5 link views/posts per 10 minutes, 1 download per minute per client.
    let server = Server::start(site.path(), &[("CANDOR_PORTAL_LIMITS", "10,5,1,30")]);
    let mut b = server.browser();
    submit(&mut b, "en", "pentest-summary", "jane@example.org", &[]);
    let confirm = link_path(&wait_for_mails(site.path(), 1)[0].2).unwrap();
    press(&mut b, &confirm); // 2 link hits
    let grant = link_path(&wait_for_mails(site.path(), 2)[1].2).unwrap();
    let (location, first) = download_first(&mut b, &grant); // 2 more link hits
    assert_eq!(first.status, 200);
    let second = b.get(&location);
    assert_eq!(second.status, 429);
    assert!(second.header("retry-after").is_some());
    assert_eq!(b.get(&confirm).status, 200); // the 5th link hit
    let limited = b.get(&confirm);
    assert_eq!(limited.status, 429);
    assert!(limited.header("retry-after").is_some());
    // Refused by the limiter, not counted: still one download in the audit log.
    let events = audit_events(site.path());
    assert_eq!(events.iter().filter(|e| *e == "download").count(), 1);
}

#[test]
fn hostile_input_is_refused_or_escaped() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    let long = "x".repeat(5000);
    for (field, value) in [
        ("name", "Eve\u{202e}gnp.exe"),
        ("company", "Acme\u{0007}"),
        ("name", long.as_str()),
        ("email", "eve@example.org, boss@example.org"),
    ] {
        let path = "/portal/en/request/pentest-summary";
        let page = b.get(path);
        let csrf = hidden(&page.text(), "csrf").unwrap();
        let mut fields = vec![
            ("csrf", csrf.as_str()),
            ("name", "Jane"),
            ("email", "jane@example.org"),
            ("company", "Acme"),
            ("reason", "Review"),
        ];
        fields.retain(|(k, _)| *k != field);
        fields.push((field, value));
        let r = b.post(path, &fields);
        assert_eq!(r.status, 422, "{field}={value:?}");
    }
    assert!(requests(site.path()).as_array().unwrap().is_empty());
    // HTML is kept as text and escaped wherever it is shown.
    let sent = submit(&mut b, "en", "pentest-summary", "jane@example.org", &[]);
    assert_eq!(sent.status, 200);
    let path = "/portal/en/request/pentest-summary";
    let page = b.get(path);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    let r = b.post(
        path,
        &[
            ("csrf", &csrf),
            ("name", "<script>alert(1)</script>"),
            ("email", "bad"),
            ("company", "\"><img src=x>"),
            ("reason", "r"),
        ],
    );
    assert_eq!(r.status, 422);
    let html = r.text();
    assert!(!html.contains("<script>alert(1)"), "{html}");
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(!html.contains("\"><img src=x>"));
}

#[test]
fn both_kinds_of_document_work_in_both_languages() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let cases = [
        ("de", "pentest-summary", "Guten Tag", "Zugang gewährt"),
        ("en", "iso27001-audit-report", "Hello", "Access granted"),
        ("en", "iso27001-certificate", "Hello", "Access granted"),
    ];
    for (i, (lang, doc, greeting, granted)) in cases.into_iter().enumerate() {
        let mut b = server.browser();
        let email = format!("user{i}@example.org");
        let sent = submit(&mut b, lang, doc, &email, &[("nda", "accept")]);
        assert_eq!(sent.status, 200, "{lang} {doc}: {}", sent.text());
        let mails = wait_for_mails(site.path(), 2 * i + 1);
        let mail = &mails[2 * i];
        assert_eq!(mail.0, email);
        assert!(mail.2.starts_with(greeting), "{lang}: {}", mail.2);
        let confirm = link_path(&mail.2).unwrap();
        assert!(confirm.starts_with(&format!("/portal/{lang}/confirm/")));
        let done = press(&mut b, &confirm);
        assert!(
            done.text().contains(granted),
            "{lang} {doc}: {}",
            done.text()
        );
        let mails = wait_for_mails(site.path(), 2 * i + 2);
        let grant = link_path(&mails[2 * i + 1].2).unwrap();
        let (_, download) = download_first(&mut b, &grant);
        assert_eq!(download.status, 200, "{lang} {doc}");
        assert!(pdf_text(&download.body).contains(&email), "{lang} {doc}");
    }
    // The request page of every confidential document the site links to answers in both
    // languages; a public document or an unknown one has no request page.
    let mut b = server.browser();
    for doc in [
        "pentest-summary",
        "iso27001-audit-report",
        "iso27001-certificate",
    ] {
        for lang in ["en", "de"] {
            let r = b.get(&format!("/portal/{lang}/request/{doc}"));
            assert_eq!(r.status, 200, "{lang} {doc}");
            assert!(
                r.text().contains(&format!("<html lang={lang}>")),
                "{lang} {doc}"
            );
        }
    }
    assert_eq!(b.get("/portal/en/request/dpa").status, 404);
    assert_eq!(b.get("/portal/en/request/nothing").status, 404);
    assert_eq!(b.get("/portal/fr/request/pentest-summary").status, 404);
}

#[test]
fn form_errors_and_unknown_addresses_speak_the_visitors_language() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();

    // The browser's own bubbles would stop an incomplete form before the server's summary.
    let path = "/portal/en/request/pentest-summary";
    let form = b.get(path);
    assert!(form.text().contains(" novalidate>"), "{}", form.text());
    let csrf = hidden(&form.text(), "csrf").unwrap();
    let refused = b.post(path, &[("csrf", csrf.as_str()), ("name", "Jane Doe")]);
    assert_eq!(refused.status, 422);
    let html = refused.text();
    // The title says so first; the summary takes the focus, is announced and named; each field
    // is marked and described by its message.
    assert!(html.contains("<title>Error: Request: "), "{html}");
    assert!(
        html.contains("role=\"alert\" tabindex=\"-1\" id=\"form-errors\" aria-labelledby=\"form-errors-title\" autofocus>"),
        "{html}"
    );
    assert!(!html.contains("name-error"), "{html}");
    assert!(
        html.contains("aria-invalid=\"true\" aria-describedby=\"email-error\""),
        "{html}"
    );
    assert!(html.contains("<a href=\"#email\">"), "{html}");

    // Unknown addresses under /portal/<lang>/ answer in that language.
    for (path, text) in [
        ("/portal/de/gibt-es-nicht", "Nicht gefunden"),
        ("/portal/de/request/gibt-es-nicht", "Nicht gefunden"),
        ("/portal/en/request/no-such-document", "Not found"),
        ("/portal/fr/request/pentest-summary", "Not found"),
        ("/portal/nowhere", "Not found"),
    ] {
        let r = b.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(r.text().contains(text), "{path}: {}", r.text());
    }
}
