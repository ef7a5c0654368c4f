//! The admin console against `candor serve --production`: signing in with a mailed link and a
//! TOTP second factor, deciding requests and revoking grants in a browser's place, and the
//! attacks the console must refuse (forged, replayed and expired links, a skipped second
//! factor, CSRF, a viewer deciding, session fixation, markup in requesters' fields, oversized
//! and malformed bodies), each with its refusal, its audit row and nothing changed.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::portal::*;
use common::*;

const OWNER: &str = "privacy@example.com";
const APPROVER: &str = "legal@example.com";
const VIEWER: &str = "auditor@example.com";

/// The example site with a viewer besides the example's owner and approver.
fn site() -> tempfile::TempDir {
    let site = example_site();
    edit_file(&site.path().join("site.yaml"), |t| {
        t.replacen(
            "    - {email: legal@example.com, role: approver}",
            "    - {email: legal@example.com, role: approver}\n    - {email: auditor@example.com}",
            1,
        )
    });
    site
}

/// A browser's side of the console: the session cookie (`candor_admin` on loopback).
struct Console {
    addr: String,
    cookie: Option<String>,
}

impl Console {
    fn new(server: &Server) -> Self {
        Console {
            addr: server.addr.clone(),
            cookie: None,
        }
    }

    fn remember(&mut self, r: &Response) {
        for (name, value) in &r.headers {
            if name == "set-cookie" && value.starts_with("candor_admin=") {
                let pair = value.split(';').next().unwrap();
                self.cookie = (pair != "candor_admin=").then(|| pair.to_owned());
            }
        }
    }

    fn send(
        &mut self,
        method: &str,
        path: &str,
        body: Option<&[u8]>,
        extra: &[(&str, &str)],
    ) -> Response {
        let cookie = self.cookie.clone();
        let mut headers = vec![("User-Agent", "candor-test/1.0")];
        if body.is_some() {
            headers.push(("Content-Type", "application/x-www-form-urlencoded"));
        }
        if let Some(c) = &cookie {
            headers.push(("Cookie", c));
        }
        headers.extend_from_slice(extra);
        let r = request(&self.addr, method, path, &headers, body);
        self.remember(&r);
        r
    }

    fn get(&mut self, path: &str) -> Response {
        self.send("GET", path, None, &[])
    }

    fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.send("POST", path, Some(&form(fields)), &[])
    }
}

/// The mails to `to`, waiting until there are `n`.
fn mails_to(root: &Path, to: &str, n: usize) -> Vec<String> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let bodies: Vec<String> = outbox(root)
            .into_iter()
            .filter(|(rcpt, _, _)| rcpt.contains(to))
            .map(|(_, _, body)| body)
            .collect();
        if bodies.len() >= n || Instant::now() > deadline {
            return bodies;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// The console link in a mail body, as a path.
fn console_link(body: &str) -> String {
    let start = body
        .find("https://trust.example.com/admin/")
        .expect("a console link");
    let rest = &body[start + "https://trust.example.com".len()..];
    rest[..rest.find(char::is_whitespace).unwrap_or(rest.len())].to_owned()
}

/// Asks for a sign-in link for `email` and returns its path (the `n`-th mail to it).
fn sign_in_link(c: &mut Console, root: &Path, email: &str, n: usize) -> String {
    let r = c.post("/admin/en/sign-in", &[("email", email)]);
    assert_eq!(r.status, 200);
    let mails = mails_to(root, email, n);
    assert_eq!(mails.len(), n, "a sign-in mail to {email}");
    console_link(mails.last().unwrap())
}

/// The enrolment key on a page, base32 as an authenticator app takes it.
fn secret_on(page: &str) -> String {
    let start = page
        .find("class=\"totp-secret\">")
        .expect("the key on the page")
        + 20;
    let text: String = page[start..start + page[start..].find('<').unwrap()]
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    text
}

/// The code an authenticator app shows for `secret` (base32) at `at`.
fn code(secret: &str, at: i64) -> String {
    let totp = totp_rs::Builder::new()
        .with_secret(totp_rs::Secret::try_from_base32(secret).unwrap())
        .build()
        .unwrap();
    totp.generate(u64::try_from(at).unwrap()).to_string()
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// Signs `email` in for the first time (enrolling TOTP); returns the console and the secret.
fn first_sign_in(server: &Server, email: &str) -> (Console, String) {
    let mut c = Console::new(server);
    let link = sign_in_link(&mut c, &server.root, email, 1);
    // Opening the link uses nothing: it only shows a button.
    let page = c.get(&link);
    assert_eq!(page.status, 200);
    assert!(actions(&page.text()).contains(&link));
    let r = c.post(&link, &[]);
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin/en/second-factor"));
    let cookie = r.header("set-cookie").unwrap().to_owned();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let enrol = c.get("/admin/en/second-factor").text();
    assert!(enrol.contains("<svg"), "a QR code");
    let secret = secret_on(&enrol);
    let csrf = hidden(&enrol, "csrf").unwrap();
    let r = c.post(
        "/admin/en/second-factor",
        &[("csrf", &csrf), ("code", &code(&secret, now()))],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin/en/requests"));
    (c, secret)
}

/// A pending request (the requester's domain is not approved automatically), confirmed.
fn pending_request(server: &Server, name: &str, company: &str, reason: &str) -> String {
    let mut b = server.browser();
    let path = "/portal/de/request/pentest-summary";
    let page = b.get(path);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    let email = format!(
        "{}@customer.test",
        name.split_whitespace().next().unwrap().to_lowercase()
    );
    let n = outbox(&server.root).len();
    let r = b.post(
        path,
        &[
            ("csrf", &csrf),
            ("name", name),
            ("email", &email),
            ("company", company),
            ("reason", reason),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let mails = wait_for_mails(&server.root, n + 1);
    let confirm = link_path(&mails.last().unwrap().2).unwrap();
    let page = b.get(&confirm);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    let action = actions(&page.text())
        .into_iter()
        .find(|a| a.starts_with("/portal/"))
        .unwrap();
    assert_eq!(b.post(&action, &[("csrf", &csrf)]).status, 200);
    email
}

/// The ids of the request checkboxes on a console page.
fn request_ids(page: &str) -> Vec<String> {
    page.match_indices("name=\"id\" value=\"")
        .map(|(i, m)| {
            let rest = &page[i + m.len()..];
            rest[..rest.find('"').unwrap()].to_owned()
        })
        .collect()
}

fn audit(root: &Path) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["audit", "export", "--json", "--root"])
        .arg(root)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn an_approver_signs_in_with_totp_approves_and_rejects_and_revokes() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut c, secret) = first_sign_in(&server, APPROVER);

    // Two requests wait; the requesters' fields are shown as text.
    // The request form admits no markup in names and companies (tests/portal.rs); the reason
    // is free text, and `&` and `'` are fine in a company and a name.
    let jane = pending_request(
        &server,
        "Jane O'Roe",
        "Roe & Söhne",
        "Vendor review <script>alert(1)</script> \"x\" onmouseover='y'",
    );
    let max = pending_request(&server, "Max Muster", "Muster AG", "Audit");
    let page = c.get("/admin/en/requests").text();
    assert!(
        page.contains("Jane O&#39;Roe") || page.contains("Jane O&#x27;Roe"),
        "a quote in a name is text"
    );
    assert!(page.contains("Max Muster"));
    assert!(
        !page.contains("<script>alert(1)"),
        "markup from a requester is text"
    );
    assert!(!page.contains("onmouseover='y'"));
    assert!(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(page.contains("Roe &amp; Söhne"));
    assert!(page.contains("customer.test"), "the e-mail domain is shown");
    let ids = request_ids(&page);
    assert_eq!(ids.len(), 2);
    let csrf = hidden(&page, "csrf").unwrap();

    // Approve one for 14 days: the requester gets the grant mail.
    let jane_id = ids
        .iter()
        .find(|id| {
            page[page.find(id.as_str()).unwrap()..]
                .find("Jane O")
                .is_some_and(|at| {
                    page[page.find(id.as_str()).unwrap()..][..at]
                        .matches("<tr>")
                        .count()
                        == 0
                })
        })
        .unwrap()
        .clone();
    let max_id = ids.iter().find(|id| **id != jane_id).unwrap().clone();
    let r = c.post(
        "/admin/en/requests/decide",
        &[
            ("csrf", &csrf),
            ("id", &jane_id),
            ("days", "14"),
            ("action", "approve"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    let grant_mail = mails_to(&server.root, &jane, 2);
    let grant = link_path(grant_mail.last().unwrap()).expect("a grant link");
    assert!(grant.contains("/grant/"), "{grant}");
    // Reject the other with a reason: the mail is in the request's language (German) and
    // carries the reason.
    let r = c.post(
        "/admin/en/requests/decide",
        &[
            ("csrf", &csrf),
            ("id", &max_id),
            ("action", "reject"),
            ("reason", "Bitte fragen Sie über Ihren Vertrag an."),
        ],
    );
    assert_eq!(r.status, 303);
    let rejection = mails_to(&server.root, &max, 2);
    let body = rejection.last().unwrap();
    assert!(
        body.contains("Die angegebene Begründung: Bitte fragen Sie über Ihren Vertrag an."),
        "{body}"
    );

    // Revoke the grant: the download is refused.
    let mut b = server.browser();
    let landing = b.get(&grant);
    assert_eq!(landing.status, 200);
    let grants = c.get("/admin/en/grants").text();
    let grant_ids = request_ids(&grants);
    assert_eq!(grant_ids.len(), 1);
    let csrf = hidden(&grants, "csrf").unwrap();
    // Extend it by 10 days, resend a fresh link: the old link stops working, the new one opens.
    let r = c.post(
        "/admin/en/grants/act",
        &[
            ("csrf", &csrf),
            ("id", &grant_ids[0]),
            ("action", "extend"),
            ("days", "10"),
        ],
    );
    assert_eq!(r.header("location"), Some("/admin/en/grants?done=extended"));
    let r = c.post(
        "/admin/en/grants/act",
        &[("csrf", &csrf), ("id", &grant_ids[0]), ("action", "resend")],
    );
    assert_eq!(r.header("location"), Some("/admin/en/grants?done=resent"));
    let mails = mails_to(&server.root, &jane, 3);
    let fresh = link_path(mails.last().unwrap()).expect("a fresh grant link");
    assert_ne!(fresh, grant);
    assert_eq!(
        b.get(&grant).status,
        403,
        "the earlier link no longer opens the grant"
    );
    assert_eq!(b.get(&fresh).status, 200);
    let r = c.post(
        "/admin/en/grants/act",
        &[("csrf", &csrf), ("id", &grant_ids[0]), ("action", "revoke")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        b.get(&fresh).status,
        403,
        "a revoked grant's link is refused"
    );

    // Every decision is audited with the admin's address.
    let log = audit(&server.root);
    for needle in [
        format!("by {APPROVER}; 14 days"),
        format!("by {APPROVER}; reason: Bitte fragen Sie über Ihren Vertrag an."),
        "admin_signed_in".to_owned(),
        "admin_factor_added".to_owned(),
        "\"revoked\"".to_owned(),
        "grant_extended".to_owned(),
        "grant_resent".to_owned(),
    ] {
        assert!(log.contains(&needle), "audit lacks {needle}");
    }

    // Signing out ends the session on the server: the old cookie no longer works.
    let old = c.cookie.clone();
    let page = c.get("/admin/en/requests").text();
    let csrf = hidden(&page, "csrf").unwrap();
    let r = c.post("/admin/en/sign-out", &[("csrf", &csrf)]);
    assert_eq!(r.status, 303);
    c.cookie = old;
    let r = c.get("/admin/en/requests");
    assert_eq!(r.status, 303, "a signed-out session is gone");
    assert_eq!(r.header("location"), Some("/admin/en/sign-in"));

    // The second sign-in asks for a code; the code just used is refused (one use per step).
    let mut again = Console::new(&server);
    let link = sign_in_link(&mut again, &server.root, APPROVER, 2);
    assert_eq!(again.post(&link, &[]).status, 303);
    let page = again.get("/admin/en/second-factor").text();
    assert!(!page.contains("totp-secret"), "no new enrolment");
    let csrf = hidden(&page, "csrf").unwrap();
    let t = now();
    let first = again.post(
        "/admin/en/second-factor",
        &[("csrf", &csrf), ("code", &code(&secret, t))],
    );
    // The enrolment used the current step a moment ago: the same code is a replay.
    if first.status == 303 {
        // A new 30-second step began since; then a replay of this one must fail.
        let mut third = Console::new(&server);
        let link = sign_in_link(&mut third, &server.root, APPROVER, 3);
        assert_eq!(third.post(&link, &[]).status, 303);
        let page = third.get("/admin/en/second-factor").text();
        let csrf = hidden(&page, "csrf").unwrap();
        let replay = third.post(
            "/admin/en/second-factor",
            &[("csrf", &csrf), ("code", &code(&secret, t))],
        );
        assert_eq!(replay.status, 422, "a code is good once");
    } else {
        assert_eq!(first.status, 422, "a code is good once");
    }
    server.stop();
}

#[test]
fn no_address_is_revealed_and_sign_in_links_are_single_use_and_unforgeable() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let mut c = Console::new(&server);
    let admin = c.post("/admin/en/sign-in", &[("email", OWNER)]);
    let stranger = c.post("/admin/en/sign-in", &[("email", "nobody@example.com")]);
    assert_eq!(admin.status, stranger.status);
    assert_eq!(
        admin.text(),
        stranger.text(),
        "the same answer for any address"
    );
    let mails = mails_to(&server.root, OWNER, 1);
    assert_eq!(mails.len(), 1);
    std::thread::sleep(Duration::from_millis(300));
    assert!(
        outbox(&server.root)
            .iter()
            .all(|(to, _, _)| !to.contains("nobody@")),
        "no mail to a non-admin"
    );
    let link = console_link(&mails[0]);

    // A mail scanner fetching the link (GET, HEAD) uses nothing.
    assert_eq!(c.get(&link).status, 200);
    assert_eq!(c.send("HEAD", &link, None, &[]).status, 200);
    // A forged link: the signature does not hold.
    let mut forged = link.clone();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert_eq!(c.post(&forged, &[]).status, 403);
    assert_eq!(c.get(&forged).status, 403);
    // Used once: fine; a second time: refused, and no new session.
    assert_eq!(c.post(&link, &[]).status, 303);
    let mut other = Console::new(&server);
    let replay = other.post(&link, &[]);
    assert_eq!(replay.status, 403);
    assert!(other.cookie.is_none());
    // The second factor cannot be skipped: a pending session reaches no console page.
    let r = c.get("/admin/en/requests");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/admin/en/sign-in"));
    let r = c.post(
        "/admin/en/requests/decide",
        &[("id", "r_x"), ("action", "approve")],
    );
    assert_eq!(r.status, 403);
    let log = audit(&server.root);
    assert!(
        log.contains("not an admin"),
        "the stranger's attempt is audited"
    );
    assert!(!log.contains("nobody@example.com"), "by its hash only");
    assert!(log.contains("used again or had expired"));
    assert!(log.contains("forged or expired"));
    server.stop();
}

#[test]
fn csrf_roles_fixation_and_bad_bodies_are_refused_and_change_nothing() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut approver, _) = first_sign_in(&server, APPROVER);
    let (mut viewer, _) = first_sign_in(&server, VIEWER);
    pending_request(&server, "Eve Example", "Example Ltd", "Review");
    let page = approver.get("/admin/en/requests").text();
    let id = request_ids(&page)[0].clone();

    // A viewer sees the list but has no decision form, and a decision is refused and audited.
    let seen = viewer.get("/admin/en/requests").text();
    assert!(seen.contains("Eve Example"));
    assert!(request_ids(&seen).is_empty(), "no checkboxes for a viewer");
    let viewer_csrf = hidden(&seen, "csrf").unwrap();
    let r = viewer.post(
        "/admin/en/requests/decide",
        &[("csrf", &viewer_csrf), ("id", &id), ("action", "approve")],
    );
    assert_eq!(r.status, 403);
    // No CSRF token, a token of another session, a cross-site request: refused.
    let r = approver.post(
        "/admin/en/requests/decide",
        &[("id", &id), ("action", "approve")],
    );
    assert_eq!(r.status, 403);
    let r = approver.post(
        "/admin/en/requests/decide",
        &[("csrf", &viewer_csrf), ("id", &id), ("action", "approve")],
    );
    assert_eq!(r.status, 403);
    let csrf = hidden(&page, "csrf").unwrap();
    let body = form(&[("csrf", &csrf), ("id", &id), ("action", "approve")]);
    let r = approver.send(
        "POST",
        "/admin/en/requests/decide",
        Some(&body),
        &[("Sec-Fetch-Site", "cross-site")],
    );
    assert_eq!(r.status, 403);
    // A huge body and a malformed one.
    let huge = vec![b'a'; 200 * 1024];
    let r = approver.send("POST", "/admin/en/requests/decide", Some(&huge), &[]);
    assert_eq!(r.status, 413);
    let r = approver.send(
        "POST",
        "/admin/en/requests/decide",
        Some(b"%zz=%%&\xff"),
        &[],
    );
    assert!(
        r.status == 400 || r.status == 422 || r.status == 403,
        "{}",
        r.status
    );
    // An id that cannot be ours, and an unknown action.
    let r = approver.post(
        "/admin/en/requests/decide",
        &[("csrf", &csrf), ("id", "../../x"), ("action", "approve")],
    );
    assert_eq!(r.header("location"), Some("/admin/en/requests?done=none"));
    let r = approver.post(
        "/admin/en/requests/decide",
        &[("csrf", &csrf), ("id", &id), ("action", "delete")],
    );
    assert_eq!(r.status, 400);
    // Nothing was decided.
    let still = approver.get("/admin/en/requests?state=pending").text();
    assert_eq!(request_ids(&still), vec![id.clone()]);

    // Session fixation: a cookie planted before sign-in is never the session after it.
    let mut planted = Console::new(&server);
    planted.cookie = Some("candor_admin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA".into());
    let link = sign_in_link(&mut planted, &server.root, OWNER, 1);
    planted.post(&link, &[]);
    let after_link = planted.cookie.clone().unwrap();
    assert!(!after_link.ends_with("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"));
    let enrol = planted.get("/admin/en/second-factor").text();
    let secret = secret_on(&enrol);
    let csrf2 = hidden(&enrol, "csrf").unwrap();
    planted.post(
        "/admin/en/second-factor",
        &[("csrf", &csrf2), ("code", &code(&secret, now()))],
    );
    let active = planted.cookie.clone().unwrap();
    assert_ne!(
        active, after_link,
        "the second factor rotates the session secret"
    );
    // The pre-factor cookie is dead.
    let mut stale = Console::new(&server);
    stale.cookie = Some(after_link);
    assert_eq!(stale.get("/admin/en/requests").status, 303);

    let log = audit(&server.root);
    assert!(log.contains("viewer may not do what needs approver"));
    assert!(log.contains("without its CSRF token"));
    server.stop();
}

#[test]
fn approval_rules_approve_at_once_for_their_documents_until_removed() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut c, _) = first_sign_in(&server, APPROVER);
    let page = c.get("/admin/en/rules").text();
    let csrf = hidden(&page, "csrf").unwrap();
    // Bad input: a domain with `@`-less junk, no document, an unknown document.
    for fields in [
        vec![("domain", "not a domain"), ("document", "pentest-summary")],
        vec![("domain", "customer.test")],
        vec![
            ("domain", "customer.test"),
            ("document", "no-such-document"),
        ],
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        assert_eq!(c.post("/admin/en/rules/add", &all).status, 400);
    }
    assert!(
        c.get("/admin/en/rules")
            .text()
            .contains("There are no rules yet.")
    );
    // A rule for the pentest summary only, written as `@Customer.Test`.
    let r = c.post(
        "/admin/en/rules/add",
        &[
            ("csrf", &csrf),
            ("domain", "@Customer.Test"),
            ("document", "pentest-summary"),
        ],
    );
    assert_eq!(r.status, 303);
    let page = c.get("/admin/en/rules").text();
    assert!(page.contains("customer.test"));
    // A confirmed request from that domain is approved at once: the grant mail follows.
    let email = pending_request(&server, "Rita Rule", "Customer", "Review");
    let mails = mails_to(&server.root, &email, 2);
    assert_eq!(mails.len(), 2, "confirmation and grant");
    assert!(
        link_path(mails.last().unwrap())
            .unwrap()
            .contains("/grant/")
    );
    let log = audit(&server.root);
    assert!(log.contains("by rule:a"), "the approval names the rule");
    assert!(log.contains(&format!("by {APPROVER}; rule a")));
    // The rule removed: the next request waits.
    let id = hidden(&page, "id").unwrap();
    let r = c.post("/admin/en/rules/remove", &[("csrf", &csrf), ("id", &id)]);
    assert_eq!(r.status, 303);
    let other = pending_request(&server, "Otto Other", "Customer", "Review");
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(
        mails_to(&server.root, &other, 1).len(),
        1,
        "only the confirmation"
    );
    let waiting = c.get("/admin/en/requests").text();
    assert!(waiting.contains("Otto Other"));
    assert!(audit(&server.root).contains("rule_removed"));
    server.stop();
}

fn sql(root: &Path, statements: &str) {
    let status = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()",
        ])
        .arg(root.join(".candor/portal.db"))
        .arg(statements)
        .status()
        .unwrap();
    assert!(status.success(), "{statements}");
}

#[test]
fn the_audit_log_filters_exports_and_verifies_from_the_page() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut c, _) = first_sign_in(&server, VIEWER);
    pending_request(&server, "Ada Audit", "Audit GmbH", "Review");
    // Filter by actor and event: only the viewer's sign-in rows.
    let page = c
        .get(&format!(
            "/admin/de/audit?actor={VIEWER}&event=admin_signed_in"
        ))
        .text();
    assert!(page.contains("admin_signed_in"));
    assert!(
        !page.contains("<th scope=\"row\">email_verified</th>"),
        "other events are filtered out"
    );
    assert!(page.contains("Prüfprotokoll"), "in German");
    // A bad filter is refused.
    assert_eq!(c.get("/admin/en/audit?from=yesterday").status, 400);
    assert_eq!(c.get("/admin/en/audit?event=DROP%20TABLE").status, 400);
    // Exports carry the filter's rows only, as attachments.
    let csv = c.get("/admin/en/audit/export.csv?event=email_verified");
    assert_eq!(csv.status, 200);
    assert!(
        csv.header("content-disposition")
            .unwrap()
            .contains("audit.csv")
    );
    let text = csv.text();
    assert!(
        text.lines().count() >= 2 && text.lines().skip(1).all(|l| l.contains(",email_verified,")),
        "{text}"
    );
    let json = c.get("/admin/en/audit/export.json?event=email_verified");
    let rows: serde_json::Value = serde_json::from_slice(&json.body).unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .all(|r| r["event"] == "email_verified")
    );
    // Verify from the page: intact; then a changed row is found.
    let page = c.get("/admin/en/audit").text();
    let csrf = hidden(&page, "csrf").unwrap();
    let r = c.post("/admin/en/audit/verify", &[("csrf", &csrf)]);
    assert_eq!(r.status, 200);
    assert!(r.text().contains("The audit log is intact"), "{}", r.text());
    sql(
        &server.root,
        "UPDATE audit SET detail = 'by nobody' WHERE event = 'email_verified';",
    );
    let r = c.post("/admin/en/audit/verify", &[("csrf", &csrf)]);
    assert_eq!(r.status, 409);
    assert!(r.text().contains("does not verify"));
    let log = audit(&server.root);
    assert!(log.contains("audit_exported") && log.contains("audit_verified"));
    server.stop();
}

#[test]
fn owners_switch_watermarks_and_manage_admins_others_cannot() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut owner, _) = first_sign_in(&server, OWNER);
    let (mut approver, _) = first_sign_in(&server, APPROVER);
    let original = std::fs::read(
        site.path()
            .join("content/documents/pentest-summary/pentest-summary-2026-en.pdf"),
    )
    .unwrap();
    let download = |server: &Server| {
        let mut b = server.browser();
        let grant = granted(server, &mut b, "pentest-summary");
        let file = token_path(&mut b, &grant);
        let r = b.get(&file);
        assert_eq!(r.status, 200);
        r.body
    };
    // On by default: the copy is stamped.
    assert_ne!(download(&server), original);
    // An approver may not switch it off.
    let page = approver.get("/admin/en/settings").text();
    assert!(
        page.contains("CANDOR_PORTAL_LIMITS"),
        "the limits in force are explained"
    );
    let csrf = hidden(&page, "csrf").unwrap();
    let r = approver.post(
        "/admin/en/settings/watermark",
        &[
            ("csrf", &csrf),
            ("document", "pentest-summary"),
            ("value", "off"),
        ],
    );
    assert_eq!(r.status, 403);
    // The owner switches it off: the next copy is the file as published, and the audit says so.
    let page = owner.get("/admin/en/settings").text();
    let csrf = hidden(&page, "csrf").unwrap();
    let r = owner.post(
        "/admin/en/settings/watermark",
        &[
            ("csrf", &csrf),
            ("document", "pentest-summary"),
            ("value", "off"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_eq!(download(&server), original);
    let log = audit(&server.root);
    assert!(log.contains("not watermarked (switched off in the console)"));
    assert!(log.contains("setting_changed"));
    // Unknown documents and values are refused.
    for (doc, value) in [("no-such-doc", "off"), ("pentest-summary", "maybe")] {
        let r = owner.post(
            "/admin/en/settings/watermark",
            &[("csrf", &csrf), ("document", doc), ("value", value)],
        );
        assert_eq!(r.status, 400);
    }
    let r = owner.post(
        "/admin/en/settings/watermark",
        &[
            ("csrf", &csrf),
            ("document", "pentest-summary"),
            ("value", "on"),
        ],
    );
    assert_eq!(r.status, 303);
    assert_ne!(download(&server), original);

    // The owner signs the approver out everywhere: the approver's session is gone at once.
    assert_eq!(approver.get("/admin/en/requests").status, 200);
    let r = owner.post(
        "/admin/en/settings/admin",
        &[("csrf", &csrf), ("email", APPROVER), ("action", "sign-out")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(approver.get("/admin/en/requests").status, 303);
    // A reset removes the second factor: the next sign-in enrols anew.
    let r = owner.post(
        "/admin/en/settings/admin",
        &[("csrf", &csrf), ("email", APPROVER), ("action", "reset")],
    );
    assert_eq!(r.status, 303);
    let mut again = Console::new(&server);
    let link = sign_in_link(&mut again, &server.root, APPROVER, 2);
    assert_eq!(again.post(&link, &[]).status, 303);
    assert!(
        again
            .get("/admin/en/second-factor")
            .text()
            .contains("totp-secret")
    );
    // An address that is not an admin's cannot be acted on.
    let r = owner.post(
        "/admin/en/settings/admin",
        &[
            ("csrf", &csrf),
            ("email", "eve@example.com"),
            ("action", "reset"),
        ],
    );
    assert_eq!(r.status, 400);
    let log = audit(&server.root);
    assert!(log.contains("admin_sessions_revoked") && log.contains("admin_factor_removed"));
    server.stop();
}

#[test]
fn downloads_are_charted_per_day_and_counted_per_document_and_company() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut c, _) = first_sign_in(&server, VIEWER);
    let mut b = server.browser();
    let grant = granted(&server, &mut b, "pentest-summary");
    for _ in 0..2 {
        let file = token_path(&mut b, &grant);
        assert_eq!(b.get(&file).status, 200);
    }
    let page = c.get("/admin/de/downloads?days=30").text();
    assert!(
        page.contains("2 Downloads vertraulicher Dokumente in den letzten 30 Tagen"),
        "{page}"
    );
    assert!(page.contains("<svg class=\"chart\"") && page.contains("role=\"img\""));
    assert_eq!(page.matches("<rect class=\"chart-bar\"").count(), 1);
    assert!(page.contains("<th scope=\"row\">Acme</th><td>2</td>"));
    let csv = c.get("/admin/en/downloads.csv?days=30");
    assert_eq!(csv.status, 200);
    let text = csv.text();
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("day,document,company,downloads"));
    let row = lines.next().unwrap();
    assert!(row.ends_with(",\"pentest-summary\",\"Acme\",2"), "{row}");
    // An unknown period falls back to 90 days.
    assert!(
        c.get("/admin/en/downloads?days=7")
            .text()
            .contains("last 90 days")
    );
    server.stop();
}

#[test]
fn agreements_concluded_online_are_listed_with_their_evidence_and_signed_pdf() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut c, _) = first_sign_in(&server, VIEWER);
    assert!(
        c.get("/admin/en/agreements")
            .text()
            .contains("No agreements have been concluded online yet.")
    );
    let mut b = server.browser();
    let link = request_link(
        &mut b,
        &server.root,
        "de",
        "dpa",
        "anna.mueller@mueller-logistik.example",
    );
    let form = confirm(&mut b, &link);
    assert_eq!(execute(&mut b, &link, &form, &fields(&[])).status, 200);

    let list = c.get("/admin/de/agreements").text();
    assert!(list.contains("Müller &amp; Söhne Logistik GmbH"));
    assert!(list.contains("Aktuelle Fassung"));
    let start = list.find("/admin/de/agreements/").unwrap();
    let href = &list[start..start + list[start..].find('"').unwrap()];
    let detail = c.get(href).text();
    for needle in [
        "Dr. Anna Müller",
        "Hafenstraße 12, 20457 Hamburg",
        "vorhanden; SHA-256 stimmt überein",
        "HRB 123456",
    ] {
        assert!(detail.contains(needle), "{needle}");
    }
    let pdf = c.get(&format!("{href}/pdf"));
    assert_eq!(pdf.status, 200);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.body.starts_with(b"%PDF"));
    let expected = detail
        .split("SHA-256 des signierten PDF</dt><dd class=\"hash\">")
        .nth(1)
        .unwrap();
    let expected = &expected[..64];
    use sha2::Digest as _;
    let got: String = sha2::Sha256::digest(&pdf.body)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect();
    assert_eq!(got, expected, "the PDF is the one the evidence names");
    // Unknown and malformed ids.
    assert_eq!(c.get("/admin/en/agreements/s_nothere2345678").status, 404);
    assert_eq!(c.get("/admin/en/agreements/..%2F..%2Fetc/pdf").status, 404);
    let log = audit(&server.root);
    assert!(log.contains("agreement_viewed") && log.contains("; console download of agreement"));
    server.stop();
}

#[test]
fn every_console_page_names_every_section_and_marks_its_own() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut c, _) = first_sign_in(&server, VIEWER);
    let sections = [
        "requests",
        "grants",
        "downloads",
        "agreements",
        "objections",
        "rules",
        "audit",
        "settings",
    ];
    for lang in ["en", "de"] {
        for current in sections {
            let r = c.get(&format!("/admin/{lang}/{current}"));
            assert_eq!(r.status, 200, "{lang}/{current}");
            let page = r.text();
            assert!(
                page.contains(&format!("<html lang=\"{lang}\""))
                    || page.contains(&format!("<html lang={lang}"))
            );
            for s in sections {
                let link = format!("href=\"/admin/{lang}/{s}\"");
                assert!(page.contains(&link), "{lang}/{current} links {s}");
            }
            assert!(
                page.contains(&format!(
                    "href=\"/admin/{lang}/{current}\" aria-current=\"page\""
                )),
                "{lang}/{current} marks itself"
            );
        }
    }
    server.stop();
}

#[test]
fn only_owners_prune_and_only_with_a_past_day_and_confirmation() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut owner, _) = first_sign_in(&server, OWNER);
    let (mut viewer, _) = first_sign_in(&server, VIEWER);
    let rows = |root: &Path| {
        serde_json::from_str::<Vec<serde_json::Value>>(&audit(root))
            .unwrap()
            .len()
    };
    let page = owner.get("/admin/en/settings").text();
    assert!(page.contains("Retention of the audit log"));
    assert!(
        !viewer
            .get("/admin/en/settings")
            .text()
            .contains("Delete old entries")
    );
    let csrf = hidden(&page, "csrf").unwrap();
    let viewer_csrf = hidden(&viewer.get("/admin/en/settings").text(), "csrf").unwrap();
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let before = rows(&server.root);
    let r = viewer.post(
        "/admin/en/settings/prune",
        &[
            ("csrf", &viewer_csrf),
            ("before", &today),
            ("confirm", "yes"),
        ],
    );
    assert_eq!(r.status, 403);
    for fields in [
        vec![("before", tomorrow.as_str()), ("confirm", "yes")],
        vec![("before", today.as_str())],
        vec![("before", "last year"), ("confirm", "yes")],
    ] {
        let mut all = vec![("csrf", csrf.as_str())];
        all.extend(fields);
        assert_eq!(owner.post("/admin/en/settings/prune", &all).status, 400);
    }
    // Nothing is older than today: nothing is deleted, and the page says so.
    let r = owner.post(
        "/admin/en/settings/prune",
        &[("csrf", &csrf), ("before", &today), ("confirm", "yes")],
    );
    assert_eq!(r.status, 200);
    assert!(
        r.text()
            .contains(&format!("No entry was written before {today}"))
    );
    // Only refusals were added (one per refused attempt), no row was deleted.
    let after = rows(&server.root);
    assert_eq!(after, before + 4, "four refusals audited, nothing deleted");
    server.stop();
}

// ---- passkeys ------------------------------------------------------------------------------

/// What `query` returns from the store, one row a line, columns separated by `|`.
fn sql_rows(root: &Path, query: &str) -> String {
    let out = std::process::Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); print('\\n'.join('|'.join(str(v) for v in r) for r in c.execute(sys.argv[2])))",
        ])
        .arg(root.join(".candor/portal.db"))
        .arg(query)
        .output()
        .unwrap();
    assert!(out.status.success(), "{query}");
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

/// A software authenticator: one P-256 credential, with user verification, as a platform
/// authenticator answers `navigator.credentials.create` and `get` (attestation `none`).
struct SoftKey {
    key: p256::ecdsa::SigningKey,
    id: Vec<u8>,
    counter: u32,
}

fn b64(bytes: &[u8]) -> String {
    use base64::Engine as _;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn sha256(bytes: &[u8]) -> Vec<u8> {
    use sha2::Digest as _;
    sha2::Sha256::digest(bytes).to_vec()
}

/// The console's relying party and origin in the example site.
const RP_ID: &str = "trust.example.com";
const ORIGIN: &str = "https://trust.example.com";

impl SoftKey {
    fn new() -> Self {
        let mut id = vec![0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut id);
        SoftKey {
            key: p256::ecdsa::SigningKey::random(&mut rand::rngs::OsRng),
            id,
            counter: 0,
        }
    }

    fn client_data(kind: &str, challenge: &str) -> Vec<u8> {
        format!(
            r#"{{"type":"{kind}","challenge":"{challenge}","origin":"{ORIGIN}","crossOrigin":false}}"#
        )
        .into_bytes()
    }

    /// The answer to creation options whose challenge is `challenge`.
    fn create(&self, challenge: &str) -> String {
        let point = self.key.verifying_key().to_encoded_point(false);
        let mut cose = vec![0xa5, 0x01, 0x02, 0x03, 0x26, 0x20, 0x01, 0x21, 0x58, 0x20];
        cose.extend_from_slice(point.x().unwrap());
        cose.extend_from_slice(&[0x22, 0x58, 0x20]);
        cose.extend_from_slice(point.y().unwrap());
        let mut auth_data = sha256(RP_ID.as_bytes());
        auth_data.push(0x45); // user present, verified, attested credential data
        auth_data.extend_from_slice(&0u32.to_be_bytes());
        auth_data.extend_from_slice(&[0u8; 16]);
        auth_data.extend_from_slice(&(self.id.len() as u16).to_be_bytes());
        auth_data.extend_from_slice(&self.id);
        auth_data.extend_from_slice(&cose);
        let mut att = vec![0xa3, 0x63];
        att.extend_from_slice(b"fmt");
        att.push(0x64);
        att.extend_from_slice(b"none");
        att.push(0x67);
        att.extend_from_slice(b"attStmt");
        att.push(0xa0);
        att.push(0x68);
        att.extend_from_slice(b"authData");
        att.extend_from_slice(&[0x58, auth_data.len() as u8]);
        att.extend_from_slice(&auth_data);
        serde_json::json!({
            "id": b64(&self.id),
            "rawId": b64(&self.id),
            "type": "public-key",
            "response": {
                "attestationObject": b64(&att),
                "clientDataJSON": b64(&Self::client_data("webauthn.create", challenge)),
            },
            "extensions": {},
        })
        .to_string()
    }

    /// The answer to request options whose challenge is `challenge` (the counter goes up).
    fn get(&mut self, challenge: &str) -> String {
        use p256::ecdsa::signature::Signer as _;
        self.counter += 1;
        let mut auth_data = sha256(RP_ID.as_bytes());
        auth_data.push(0x05); // user present, verified
        auth_data.extend_from_slice(&self.counter.to_be_bytes());
        let client_data = Self::client_data("webauthn.get", challenge);
        let mut signed = auth_data.clone();
        signed.extend_from_slice(&sha256(&client_data));
        let signature: p256::ecdsa::Signature = self.key.sign(&signed);
        serde_json::json!({
            "id": b64(&self.id),
            "rawId": b64(&self.id),
            "type": "public-key",
            "response": {
                "authenticatorData": b64(&auth_data),
                "clientDataJSON": b64(&client_data),
                "signature": b64(signature.to_der().as_bytes()),
                "userHandle": null,
            },
            "extensions": {},
        })
        .to_string()
    }
}

/// The challenge of the options a console answered with (JSON), after checking the relying party.
fn challenge_of(r: &Response) -> String {
    assert_eq!(r.status, 200, "{}", r.text());
    assert_eq!(r.header("cache-control"), Some("no-store"));
    let v: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let pk = &v["publicKey"];
    if let Some(rp) = pk.get("rp") {
        assert_eq!(rp["id"], RP_ID, "{v}");
    } else {
        assert_eq!(pk["rpId"], RP_ID, "{v}");
    }
    pk["challenge"].as_str().unwrap().to_owned()
}

/// Opens a new sign-in for `email` (the `n`-th link) up to its second-factor page.
fn open_sign_in(server: &Server, email: &str, n: usize) -> (Console, String) {
    let mut c = Console::new(server);
    let link = sign_in_link(&mut c, &server.root, email, n);
    let r = c.post(&link, &[]);
    assert_eq!(r.status, 303, "{}", r.text());
    let page = c.get("/admin/en/second-factor").text();
    (c, page)
}

#[test]
fn passkeys_enrol_and_sign_in_and_forged_replayed_or_unbound_answers_change_nothing() {
    let site = site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let mut key = SoftKey::new();

    // First sign-in: a passkey is offered first (shown by the script), the app beside it.
    let (mut c, page) = open_sign_in(&server, APPROVER, 1);
    let passkey_at = page.find("class=\"passkey-form\"").expect("a passkey form");
    assert!(passkey_at < page.find("totp-secret").unwrap(), "{page}");
    assert!(page.contains("data-mode=\"create\""));
    let script = page
        .find("/admin/assets/passkey.js?v=")
        .map(|i| page[i..i + page[i..].find('"').unwrap()].to_owned())
        .expect("the script");
    assert!(!page.contains("<script>"), "no inline script");
    let csrf = hidden(&page, "csrf").unwrap();
    let js = c.get(&script);
    assert_eq!(js.status, 200);
    assert!(
        js.header("content-type")
            .unwrap()
            .starts_with("text/javascript")
    );
    assert!(js.header("cache-control").unwrap().contains("max-age"));
    assert!(js.text().contains("navigator.credentials.create"));

    // Console pages stay closed while the second factor is due.
    let r = c.get("/admin/en/requests");
    assert_eq!(r.status, 303);
    assert_eq!(r.header("location"), Some("/admin/en/sign-in"));

    // Options and answers need the session's CSRF token.
    let r = c.post("/admin/en/second-factor/passkey/options", &[]);
    assert_eq!(r.status, 403);
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", "forged"), ("response", &key.create("AAAA"))],
    );
    assert_eq!(r.status, 403);

    // An answer to another challenge, then garbage: refused, audited, nothing stored.
    let challenge = challenge_of(&c.post(
        "/admin/en/second-factor/passkey/options",
        &[("csrf", &csrf)],
    ));
    let other = b64(&[7u8; 32]);
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf), ("response", &key.create(&other))],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    // The ceremony was used up by the refused answer: the right one now finds none.
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf), ("response", &key.create(&challenge))],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf), ("response", "{\"id\": [}")],
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        sql_rows(root, "SELECT COUNT(*) FROM admin_factors"),
        "0",
        "nothing stored"
    );
    assert_eq!(c.get("/admin/en/requests").status, 303, "not signed in");
    let log = audit(root);
    assert!(log.contains("CSRF token"), "{log}");
    assert!(log.contains("a passkey registration was refused"), "{log}");

    // The right answer to a fresh challenge enrols the passkey and signs in.
    let challenge = challenge_of(&c.post(
        "/admin/en/second-factor/passkey/options",
        &[("csrf", &csrf)],
    ));
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf), ("response", &key.create(&challenge))],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin/en/requests"));
    assert_eq!(c.get("/admin/en/requests").status, 200);
    assert_eq!(
        sql_rows(root, "SELECT kind, label FROM admin_factors"),
        "passkey|Passkey"
    );
    let settings = c.get("/admin/en/settings").text();
    assert!(settings.contains("id=\"factors\""), "{settings}");
    assert!(
        settings.contains("Your only factor"),
        "the last factor cannot be removed"
    );

    // The next sign-in asks for the passkey; no code form (no TOTP), and the page says so.
    let (mut c, page) = open_sign_in(&server, APPROVER, 2);
    assert!(page.contains("data-mode=\"get\""), "{page}");
    assert!(!page.contains("name=\"code\""));
    let csrf = hidden(&page, "csrf").unwrap();
    let challenge = challenge_of(&c.post(
        "/admin/en/second-factor/passkey/options",
        &[("csrf", &csrf)],
    ));
    // A forged assertion (another key, same credential id) is refused and counts.
    let mut forger = SoftKey::new();
    forger.id = key.id.clone();
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf), ("response", &forger.get(&challenge))],
    );
    assert_eq!(r.status, 403, "{}", r.text());
    assert_eq!(c.get("/admin/en/requests").status, 303);
    // The good assertion for the used-up challenge is refused too (no replay of a ceremony).
    let answer = key.get(&challenge);
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf), ("response", &answer)],
    );
    assert_eq!(r.status, 403);
    // A fresh challenge and a good assertion sign in; the counter is kept.
    let challenge = challenge_of(&c.post(
        "/admin/en/second-factor/passkey/options",
        &[("csrf", &csrf)],
    ));
    let answer = key.get(&challenge);
    let r = c.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf), ("response", &answer)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(c.get("/admin/en/requests").status, 200);
    let stored = sql_rows(
        root,
        "SELECT data, last_used_at IS NOT NULL FROM admin_factors",
    );
    assert!(stored.ends_with("|1"), "{stored}");
    let data: serde_json::Value = serde_json::from_str(stored.rsplit_once('|').unwrap().0).unwrap();
    assert!(data.to_string().contains("\"counter\":2"), "{data}");

    // The same assertion in another sign-in (another challenge) is refused.
    let (mut c2, page) = open_sign_in(&server, APPROVER, 3);
    let csrf2 = hidden(&page, "csrf").unwrap();
    challenge_of(&c2.post(
        "/admin/en/second-factor/passkey/options",
        &[("csrf", &csrf2)],
    ));
    let r = c2.post(
        "/admin/en/second-factor/passkey",
        &[("csrf", &csrf2), ("response", &answer)],
    );
    assert_eq!(r.status, 403);
    assert_eq!(c2.get("/admin/en/requests").status, 303);
    // Refused answers count with wrong codes: the fifth ends the sign-in.
    for attempt in 2..=5 {
        let r = c2.post(
            "/admin/en/second-factor/passkey",
            &[("csrf", &csrf2), ("response", "garbage")],
        );
        assert_eq!(r.status, 403, "attempt {attempt}");
        assert_eq!(
            r.text().contains("this sign-in has ended"),
            attempt == 5,
            "attempt {attempt}: {}",
            r.text()
        );
    }
    assert_eq!(c2.cookie, None, "the cookie is cleared");
    let log = audit(root);
    assert!(log.contains("a passkey assertion was refused"), "{log}");
    assert!(log.contains("admin_signed_in"), "{log}");
}

#[test]
fn admins_add_and_remove_their_own_passkeys_but_not_the_last_factor_and_a_reset_removes_them() {
    let site = site();
    let root = site.path();
    let server = Server::start(root, &[]);
    let (mut c, _) = first_sign_in(&server, APPROVER);
    let page = c.get("/admin/de/settings").text();
    assert!(page.contains("Ihre zweiten Faktoren"), "{page}");
    assert!(page.contains("Ihr einziger Faktor"));
    let csrf = hidden(&page, "csrf").unwrap();
    let totp_id = sql_rows(root, "SELECT id FROM admin_factors");

    // The last factor stays.
    let r = c.post(
        "/admin/de/settings/factor/remove",
        &[("csrf", &csrf), ("id", &totp_id)],
    );
    assert_eq!(r.status, 400);
    // Without the CSRF token nothing starts.
    assert_eq!(
        c.post("/admin/de/settings/passkey/options", &[]).status,
        403
    );

    // Another passkey, named.
    let key = SoftKey::new();
    let challenge = challenge_of(&c.post("/admin/de/settings/passkey/options", &[("csrf", &csrf)]));
    let answer = key.create(&challenge);
    let r = c.post(
        "/admin/de/settings/passkey",
        &[
            ("csrf", &csrf),
            ("label", "Dienst-Laptop"),
            ("response", &answer),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(r.header("location"), Some("/admin/de/settings#factors"));
    // The same answer again: the ceremony is gone.
    let r = c.post(
        "/admin/de/settings/passkey",
        &[("csrf", &csrf), ("label", "Zweimal"), ("response", &answer)],
    );
    assert_eq!(r.status, 400);
    // The same credential in a new ceremony: the options exclude it, and it is refused.
    let r = c.post("/admin/de/settings/passkey/options", &[("csrf", &csrf)]);
    let options: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(
        options["publicKey"]["excludeCredentials"][0]["id"],
        b64(&key.id),
        "{options}"
    );
    let r = c.post(
        "/admin/de/settings/passkey",
        &[
            ("csrf", &csrf),
            ("response", &key.create(&challenge_of(&r))),
        ],
    );
    assert_eq!(r.status, 400);
    assert_eq!(
        sql_rows(root, "SELECT kind, label FROM admin_factors ORDER BY kind"),
        "passkey|Dienst-Laptop\ntotp|Authenticator app"
    );
    let page = c.get("/admin/de/settings").text();
    assert!(page.contains("Dienst-Laptop"));
    assert!(!page.contains("Ihr einziger Faktor"));

    // Another admin's factor cannot be removed from here.
    first_sign_in(&server, VIEWER);
    let viewer_factor = sql_rows(
        root,
        &format!("SELECT id FROM admin_factors WHERE email = '{VIEWER}'"),
    );
    let r = c.post(
        "/admin/de/settings/factor/remove",
        &[("csrf", &csrf), ("id", &viewer_factor)],
    );
    assert_eq!(r.status, 400);
    // The app goes; the passkey is now the last factor.
    let r = c.post(
        "/admin/de/settings/factor/remove",
        &[("csrf", &csrf), ("id", &totp_id)],
    );
    assert_eq!(r.status, 303, "{}", r.text());
    assert_eq!(
        sql_rows(
            root,
            &format!("SELECT kind FROM admin_factors WHERE email = '{APPROVER}'")
        ),
        "passkey"
    );
    let log = audit(root);
    assert!(log.contains("admin_factor_added"), "{log}");
    assert!(
        log.contains(&format!("by {APPROVER}; factor {totp_id}")),
        "{log}"
    );
    assert!(log.contains("removing the last second factor"), "{log}");

    // The owner's reset removes passkeys too: the next sign-in enrols anew.
    let (mut owner, _) = first_sign_in(&server, OWNER);
    let page = owner.get("/admin/en/settings").text();
    let ocsrf = hidden(&page, "csrf").unwrap();
    let r = owner.post(
        "/admin/en/settings/admin",
        &[("csrf", &ocsrf), ("email", APPROVER), ("action", "reset")],
    );
    assert_eq!(r.status, 303);
    assert_eq!(
        sql_rows(
            root,
            &format!("SELECT COUNT(*) FROM admin_factors WHERE email = '{APPROVER}'")
        ),
        "0"
    );
    assert_eq!(c.get("/admin/de/settings").status, 303, "signed out");
}

/// Writes an objection row straight into the store (the form admits no markup in names and
/// companies; the console must escape whatever the store holds).
#[allow(clippy::too_many_arguments)]
fn insert_objection(
    root: &Path,
    id: &str,
    change: &str,
    company: &str,
    contact: &str,
    email: &str,
    reason: &str,
    late: bool,
    received_at: i64,
) {
    let (rt, mut db) = common::sqlite(root, false);
    rt.block_on(async {
        sqlx::query(
            "INSERT INTO objections (id, change_id, subprocessor, kind, effective, deadline, company, \
             contact, email, reason, lang, received_at, confirmed_at, late, grant_id, subscribed) \
             VALUES ($1, $2, '<b>Sub</b>', 'added', '2027-01-11', '2027-01-10', $3, $4, $5, $6, 'en', \
             $7, $7, $8, NULL, 1)",
        )
        .bind(id)
        .bind(change)
        .bind(company)
        .bind(contact)
        .bind(email)
        .bind(reason)
        .bind(received_at)
        .bind(i64::from(late))
        .execute(&mut db)
        .await
        .unwrap();
    });
}

#[test]
fn a_viewer_reads_objections_escaped_late_ones_in_words_and_filtered_by_change() {
    let site = site();
    let server = Server::start(site.path(), &[]);
    let (mut c, _) = first_sign_in(&server, VIEWER);
    let empty = c.get("/admin/en/objections");
    assert_eq!(empty.status, 200);
    assert!(empty.text().contains("No objections have been received."));

    let markup = "<script>alert(1)</script>\"'&";
    insert_objection(
        site.path(),
        "olate000000000a",
        "2027-01-11-added-<i>x</i>",
        &format!("Evil {markup} GmbH"),
        &format!("Eve {markup}"),
        "eve+<img src=x>@evil.example",
        &format!("Reason {markup}\nsecond line"),
        true,
        now() - 60,
    );
    insert_objection(
        site.path(),
        "ointime0000000b",
        "2027-02-01-changed-other",
        "Good GmbH",
        "Jane Doe",
        "jane@good.example",
        "In time.",
        false,
        now(),
    );
    let page = c.get("/admin/en/objections");
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(!html.contains("<script>alert(1)"), "markup is text");
    assert!(
        !html.contains("<img src=x>") && !html.contains("<b>Sub</b>") && !html.contains("<i>x</i>")
    );
    assert!(
        html.contains("Evil &lt;script&gt;alert(1)&lt;/script&gt;"),
        "{html}"
    );
    assert!(html.contains("Eve &lt;script&gt;"));
    assert!(html.contains("Reason &lt;script&gt;"));
    assert!(html.contains("eve+&lt;img src=x&gt;@evil.example"));
    assert!(html.contains("&lt;b&gt;Sub&lt;/b&gt;"));
    assert!(
        html.contains("Late: after the deadline of 2027-01-10"),
        "late in words"
    );
    assert!(html.contains("In time (deadline 2027-01-10)"));
    assert!(html.contains("Confirmed subscriber"), "the evidence");
    assert!(html.contains("(2; late: 1)"), "{html}");
    let late_at = html.find("olate000000000a").unwrap();
    let in_time_at = html.find("ointime0000000b").unwrap();
    assert!(in_time_at < late_at, "newest first");

    // Filtered by change: only its objections.
    let filtered = c
        .get("/admin/en/objections?change=2027-02-01-changed-other")
        .text();
    assert!(filtered.contains("ointime0000000b"));
    assert!(!filtered.contains("olate000000000a"));
    assert!(filtered.contains("<option value=\"2027-02-01-changed-other\" selected>"));
    let none = c.get("/admin/en/objections?change=nothing").text();
    assert!(none.contains("No objections to this change."));

    // In German.
    let de = c.get("/admin/de/objections").text();
    assert!(
        de.contains("Verspätet: nach Fristende am 2027-01-10"),
        "{de}"
    );
    assert!(de.contains("Widersprüche gegen Änderungen der Unterauftragsverarbeiter"));
    assert!(!de.contains("<script>alert(1)"));
    server.stop();
}
