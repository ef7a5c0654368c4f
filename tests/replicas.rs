//! Two `candor serve --production` replicas sharing one PostgreSQL database and one key file,
//! each serving its own copy of the site (so that no state can pass through a shared SQLite
//! file or outbox): a request made on one is confirmed on the other, approved with the CLI,
//! downloaded on the first, revoked with the CLI, and the revocation holds on the second at once.
//!
//! The admin console on two replicas: signed in on one, a revocation there holds on the other at
//! once, an approval rule added on the other applies on the first at once, and signing out on
//! one ends the session on both.
//!
//! Needs `CANDOR_TEST_POSTGRES_URL` (scripts/test starts a throwaway PostgreSQL); without it the
//! test says "skipped" and passes.

mod common;

use std::path::Path;
use std::process::Command;

use candor::portal::keys::{KeyFile, KeyStatus, new_key, write_file};
use common::portal::{Browser, Response, Server, actions, hidden, link_path, wait_for_mails};
use common::postgres as pg;

const DOC: &str = "pentest-summary";

/// Runs the CLI against the shared store; panics with its output when it fails.
fn cli(args: &[&str], env: &[(&str, &str)]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .env_remove("CANDOR_SMTP_URL")
        .envs(env.iter().copied())
        .output()
        .expect("run candor");
    let (stdout, stderr) = common::text(&out);
    assert!(
        out.status.success(),
        "candor {}: {}\n{stdout}\n{stderr}",
        args.join(" "),
        out.status
    );
    stdout
}

/// Opens a grant link and asks for a download token for the first file; the token's path.
fn mint_download(browser: &mut Browser, grant_link: &str) -> String {
    let page = browser.get(grant_link);
    assert_eq!(page.status, 200, "grant page: {}", page.text());
    let html = page.text();
    let csrf = hidden(&html, "csrf").expect("a CSRF token on the grant page");
    let file = hidden(&html, "file").expect("a file to download");
    let minted = browser.post(grant_link, &[("csrf", &csrf), ("file", &file)]);
    assert_eq!(minted.status, 303, "minting a token: {}", minted.text());
    let location = minted.header("location").expect("a redirect").to_owned();
    assert!(location.starts_with("/portal/download/v1."), "{location}");
    location
}

fn assert_denied(r: &Response, what: &str) {
    assert_eq!(r.status, 403, "{what} still works: {}", r.text());
    assert!(
        r.text().contains("access has ended"),
        "{what}: {}",
        r.text()
    );
}

fn requests(root: &Path, env: &[(&str, &str)]) -> Vec<serde_json::Value> {
    let root = root.to_str().unwrap();
    let json = cli(&["requests", "list", "--json", "--root", root], env);
    serde_json::from_str(&json).expect("requests as JSON")
}

/// A fresh database on the test PostgreSQL and a key file for the replicas to share (its folder
/// goes when dropped); `None` without `CANDOR_TEST_POSTGRES_URL`.
fn shared_store() -> Option<(pg::Database, tempfile::TempDir, std::path::PathBuf)> {
    let server = pg::server_url()?;
    let database = pg::block_on(pg::Database::create(&server));
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("portal-keys.json");
    write_file(
        &key_file,
        &KeyFile {
            keys: vec![new_key(KeyStatus::Signing)],
        },
    )
    .unwrap();
    Some((database, keys, key_file))
}

#[test]
fn two_replicas_on_postgres_share_requests_grants_and_revocations() {
    let Some((database, _keys, key_file)) = shared_store() else {
        eprintln!("{}", pg::SKIPPED);
        return;
    };
    let env = [
        ("CANDOR_DATABASE_URL", database.url.as_str()),
        ("CANDOR_PORTAL_KEYS", key_file.to_str().unwrap()),
    ];
    let (site_a, site_b) = (common::example_site(), common::example_site());
    let a = Server::start(site_a.path(), &env);
    let b = Server::start(site_b.path(), &env);
    for replica in [&a, &b] {
        assert!(
            replica.logs().contains("store: PostgreSQL"),
            "{}",
            replica.logs()
        );
    }

    // Request on A.
    let mut on_a = a.browser();
    let form_path = format!("/portal/en/request/{DOC}");
    let form = on_a.get(&form_path);
    assert_eq!(form.status, 200, "{}", form.text());
    assert!(actions(&form.text()).contains(&form_path));
    let csrf = hidden(&form.text(), "csrf").expect("a CSRF token in the form");
    let sent = on_a.post(
        &form_path,
        &[
            ("csrf", &csrf),
            ("name", "Jane Doe"),
            ("email", "jane@acme.example"),
            ("company", "Acme"),
            ("reason", "Vendor review"),
        ],
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    let mails = wait_for_mails(site_a.path(), 1);
    assert_eq!(mails.len(), 1, "one confirmation mail from A");
    assert_eq!(mails[0].0, "jane@acme.example");
    assert_eq!(
        mails[0].1,
        "Confirm your request for “Penetration Test Summary 2026”"
    );
    let confirm = link_path(&mails[0].2).expect("a confirmation link");
    assert!(confirm.starts_with("/portal/en/confirm/"), "{confirm}");

    // Confirm on B: B finds the request A stored.
    let mut on_b = b.browser();
    let page = on_b.get(&confirm);
    assert_eq!(page.status, 200, "{}", page.text());
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token on the confirm page");
    let done = on_b.post(&confirm, &[("csrf", &csrf)]);
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(
        done.text().contains("our team now reviews"),
        "{}",
        done.text()
    );

    // Approve with the CLI (its own connection to the same database).
    let listed = requests(site_a.path(), &env);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["status"], "pending");
    let id = listed[0]["id"].as_str().unwrap().to_owned();
    let root_a = site_a.path().to_str().unwrap();
    let approved = cli(&["requests", "approve", &id, "--root", root_a], &env);
    assert!(approved.contains(&format!("Approved {id}")), "{approved}");
    let listed = requests(site_a.path(), &env);
    assert_eq!(listed[0]["status"], "approved");
    let grant_id = listed[0]["grant_id"].as_str().unwrap().to_owned();
    let mails = wait_for_mails(site_a.path(), 2);
    assert_eq!(mails.len(), 2, "the grant mail");
    let grant_link = link_path(&mails[1].2).expect("a grant link");
    assert!(grant_link.starts_with("/portal/en/grant/"), "{grant_link}");

    // Download on A; B accepts the same grant link; a second token is minted and kept.
    let first = mint_download(&mut on_a, &grant_link);
    let pdf = on_a.get(&first);
    assert_eq!(pdf.status, 200, "{}", pdf.text());
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF-"));
    assert_eq!(on_b.get(&grant_link).status, 200, "B serves the grant page");
    let kept = mint_download(&mut on_a, &grant_link);

    // Revoke with the CLI: B refuses the link and both tokens at once.
    let revoked = cli(&["grants", "revoke", &grant_id, "--root", root_a], &env);
    assert!(
        revoked.contains(&format!("Revoked grant {grant_id}")),
        "{revoked}"
    );
    assert_denied(&on_b.get(&grant_link), "the grant link on B");
    assert_denied(
        &on_b.get(&kept),
        "a download token minted before revocation, on B",
    );
    assert_denied(&on_b.get(&first), "a used download token, on B");
    assert_denied(
        &on_a.get(&kept),
        "a download token minted before revocation, on A",
    );

    // One audit chain, written by both replicas and the CLI, intact.
    let verified = cli(&["audit", "verify", "--root", root_a], &env);
    assert!(verified.contains("intact"), "{verified}");
    let rows: Vec<serde_json::Value> =
        serde_json::from_str(&cli(&["audit", "export", "--root", root_a], &env)).unwrap();
    let events: Vec<&str> = rows.iter().map(|r| r["event"].as_str().unwrap()).collect();
    for expected in [
        "request",
        "email_verified",
        "approved",
        "link_opened",
        "download",
        "revoked",
        "failed",
    ] {
        assert!(events.contains(&expected), "no {expected} in {events:?}");
    }
    assert_eq!(events.iter().filter(|e| **e == "download").count(), 1);
    assert_eq!(rows.iter().filter(|r| r["ip"] == "cli").count(), 2);

    // No replica fell back to a SQLite file of its own.
    for site in [&site_a, &site_b] {
        assert!(!site.path().join(".candor/portal.db").exists());
    }
    a.stop();
    b.stop();
    pg::block_on(database.drop());
}

/// A request for `DOC` by `email` made and confirmed on `replica`; the mails of its site so far.
fn confirmed_request(replica: &Server, site: &Path, email: &str, mails_before: usize) -> usize {
    let mut b = replica.browser();
    let form_path = format!("/portal/en/request/{DOC}");
    let form = b.get(&form_path);
    let csrf = hidden(&form.text(), "csrf").expect("a CSRF token in the form");
    let sent = b.post(
        &form_path,
        &[
            ("csrf", &csrf),
            ("name", "Jane Doe"),
            ("email", email),
            ("company", "Acme"),
            ("reason", "Vendor review"),
        ],
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    let mails = wait_for_mails(site, mails_before + 1);
    let confirm = link_path(&mails.last().unwrap().2).expect("a confirmation link");
    let page = b.get(&confirm);
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token on the confirm page");
    assert_eq!(b.post(&confirm, &[("csrf", &csrf)]).status, 200);
    mails.len()
}

/// The TOTP code for the enrolment key shown on `page`, now.
fn totp_code(page: &str) -> String {
    let start = page.find("class=\"totp-secret\">").expect("the key") + 20;
    let secret: String = page[start..start + page[start..].find('<').unwrap()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs();
    totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(&secret).unwrap())
        .build()
        .unwrap()
        .generate(now)
        .to_string()
}

#[test]
fn the_console_on_one_replica_revokes_adds_rules_and_signs_out_on_the_other_at_once() {
    let Some((database, _keys, key_file)) = shared_store() else {
        eprintln!("{}", pg::SKIPPED);
        return;
    };
    let env = [
        ("CANDOR_DATABASE_URL", database.url.as_str()),
        ("CANDOR_PORTAL_KEYS", key_file.to_str().unwrap()),
    ];
    let (site_a, site_b) = (common::example_site(), common::example_site());
    let a = Server::start(site_a.path(), &env);
    let b = Server::start(site_b.path(), &env);
    let root_a = site_a.path().to_str().unwrap();

    // The owner signs in on A: the mailed link, then TOTP enrolment.
    let owner = "privacy@example.com";
    let mut on_a = a.browser();
    assert_eq!(
        on_a.post("/admin/en/sign-in", &[("email", owner)]).status,
        200
    );
    let mails = wait_for_mails(site_a.path(), 1);
    let link = mails[0].2[mails[0].2.find("/admin/en/link/").expect("a sign-in link")..]
        .split_whitespace()
        .next()
        .unwrap()
        .to_owned();
    assert_eq!(on_a.post(&link, &[]).status, 303);
    let enrol = on_a.get("/admin/en/second-factor").text();
    let csrf = hidden(&enrol, "csrf").unwrap();
    let r = on_a.post(
        "/admin/en/second-factor",
        &[("csrf", &csrf), ("code", &totp_code(&enrol))],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let page = on_a.get("/admin/en/requests");
    assert_eq!(page.status, 200);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    // The same session on B (one store): the cookie works there too.
    let mut on_b = Browser {
        addr: b.addr.clone(),
        cookie: on_a.cookie.clone(),
    };
    assert_eq!(on_b.get("/admin/en/grants").status, 200);

    // A grant, revoked in the console on A: its link is refused on B at once.
    let n = confirmed_request(&a, site_a.path(), "jane@acme.example", 1);
    let id = requests(site_a.path(), &env)[0]["id"]
        .as_str()
        .unwrap()
        .to_owned();
    cli(&["requests", "approve", &id, "--root", root_a], &env);
    let mails = wait_for_mails(site_a.path(), n + 1);
    let grant_link = link_path(&mails.last().unwrap().2).expect("a grant link");
    let mut visitor_b = b.browser();
    assert_eq!(visitor_b.get(&grant_link).status, 200, "B serves the grant");
    let grant_id = requests(site_a.path(), &env)[0]["grant_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let r = on_a.post(
        "/admin/en/grants/act",
        &[("csrf", &csrf), ("id", &grant_id), ("action", "revoke")],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_denied(&visitor_b.get(&grant_link), "a grant revoked on A, on B");

    // A rule added on B approves a request confirmed on A at once.
    let r = on_b.post(
        "/admin/en/rules/add",
        &[
            ("csrf", &csrf),
            ("domain", "partner.example"),
            ("document", DOC),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let n = confirmed_request(&a, site_a.path(), "rita@partner.example", n + 1);
    let listed = requests(site_a.path(), &env);
    let rita = listed
        .iter()
        .find(|r| r["email"] == "rita@partner.example")
        .expect("Rita's request");
    assert_eq!(rita["status"], "approved", "{rita}");
    let mails = wait_for_mails(site_a.path(), n + 1);
    assert!(
        link_path(&mails.last().unwrap().2)
            .unwrap()
            .contains("/grant/")
    );

    // Signing out on A ends the session on B.
    let r = on_a.post("/admin/en/sign-out", &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    let r = on_b.get("/admin/en/requests");
    assert_eq!(r.status, 303, "the session still works on B");
    assert_eq!(r.header("location"), Some("/admin/en/sign-in"));
    assert_eq!(
        on_b.post(
            "/admin/en/rules/add",
            &[("csrf", &csrf), ("domain", "x.example")]
        )
        .status,
        403
    );

    let verified = cli(&["audit", "verify", "--root", root_a], &env);
    assert!(verified.contains("intact"), "{verified}");
    a.stop();
    b.stop();
    pg::block_on(database.drop());
}
