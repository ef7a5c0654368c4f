//! The portal attacked as issue 17 found it could be, each against a real `candor serve`: an
//! audit log rewritten by whoever administers its database, requester text turned into
//! phishing in our own mails, the request forms used as a mail cannon, a store other local users
//! can read, probes that counted as visits, and the framework's internals in error answers.
//! (Unicode watermarks: `src/pdf/watermark/`. The attacks that already failed before, from path
//! traversal to slow connections, are in `portal.rs` and `portal_hardening.rs`; ARCHITECTURE.md
//! maps every threat to its test.)

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::example_site;
use common::portal::{
    Browser, Response, Server, granted, hidden, outbox, request, token_path, wait_for_mails,
};
use common::run_in as run;

/// Submits the request form for `doc` in English with these fields (and the NDA accepted).
fn submit(b: &mut Browser, doc: &str, fields: &[(&str, &str)]) -> Response {
    let path = format!("/portal/en/request/{doc}");
    let page = b.get(&path);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    let mut all = vec![("csrf", csrf.as_str()), ("nda", "accept")];
    all.extend_from_slice(fields);
    b.post(&path, &all)
}

fn jane(email: &str) -> [(&'static str, &str); 4] {
    [
        ("name", "Jane Doe"),
        ("email", email),
        ("company", "Acme"),
        ("reason", "Vendor review"),
    ]
}

/// Runs SQL on the SQLite store (the server stopped), as a database administrator would.
fn sql(root: &Path, statements: &str) {
    let db = root.join(".candor/portal.db");
    let status = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.executescript(sys.argv[2]); c.commit(); c.close()",
        ])
        .arg(&db)
        .arg(statements)
        .status()
        .unwrap();
    assert!(status.success(), "{statements}");
}

/// Python that recomputes every audit hash from row `from` on the way the unkeyed chain did
/// (SHA-256 over the previous hash and the row), clears the key ids, renumbers the rows and
/// moves the head: the best a database administrator without the key file can do.
const REHASH: &str = r#"
import hashlib, json, sqlite3, sys
c = sqlite3.connect(sys.argv[1])
rows = c.execute("SELECT seq, at, event, request_id, grant_id, document_id, version, email, ip, user_agent, detail FROM audit ORDER BY seq").fetchall()
c.execute("DELETE FROM audit")
prev = "0" * 64
for i, r in enumerate(rows):
    r = (i + 1,) + tuple(r[1:])
    canonical = json.dumps(list(r), separators=(",", ":"), ensure_ascii=False)
    h = hashlib.sha256((prev + "\n" + canonical).encode()).hexdigest()
    c.execute("INSERT INTO audit (seq, at, event, request_id, grant_id, document_id, version, email, ip, user_agent, detail, key_id, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,?,?)", r + (prev, h))
    prev = h
c.execute("UPDATE audit_head SET seq = ?, hash = ? WHERE id = 1", (len(rows), prev))
c.commit()
"#;

fn rehash(root: &Path) {
    let status = Command::new("python3")
        .args(["-c", REHASH])
        .arg(root.join(".candor/portal.db"))
        .status()
        .unwrap();
    assert!(status.success());
}

/// A site with some audit history (a request, a grant, a download), the server stopped.
fn site_with_history() -> tempfile::TempDir {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    let grant = granted(&server, &mut b, "pentest-summary");
    let location = token_path(&mut b, &grant);
    assert_eq!(b.get(&location).status, 200);
    server.stop();
    site
}

#[test]
fn the_audit_log_survives_its_database_administrator() {
    let site = site_with_history();
    let root = site.path();
    let (ok, out, err) = run(root, &["audit", "checkpoint"]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains("Wrote") && out.contains("audit-checkpoints"),
        "{out}"
    );
    let (ok, out, err) = run(root, &["audit", "verify"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("HMAC") && out.contains("Intact up to the checkpoint of"),
        "{out}"
    );
    let (_, again, _) = run(root, &["audit", "checkpoint"]);
    assert!(again.contains("nothing written"), "{again}");

    let db = root.join(".candor/portal.db");
    let pristine = root.join(".candor/pristine.db");
    std::fs::copy(&db, &pristine).unwrap();
    let restore = || {
        std::fs::copy(&pristine, &db).unwrap();
        for f in ["portal.db-wal", "portal.db-shm"] {
            let _ = std::fs::remove_file(root.join(".candor").join(f));
        }
    };
    let rows: usize = {
        let (_, json, _) = run(root, &["audit", "export"]);
        serde_json::from_str::<Vec<serde_json::Value>>(&json)
            .unwrap()
            .len()
    };
    assert!(rows >= 5, "{rows}");

    // 1. Edit a row.
    restore();
    sql(
        root,
        "UPDATE audit SET email = 'mallory@evil.example' WHERE seq = 3;",
    );
    let (ok, _, err) = run(root, &["audit", "verify"]);
    assert!(!ok && err.contains("row 3"), "edit: {err}");

    // 1b. Swap two rows (through a free sequence number: seq is the primary key).
    restore();
    sql(
        root,
        "UPDATE audit SET seq = 100 WHERE seq = 2; UPDATE audit SET seq = 2 WHERE seq = 3; UPDATE audit SET seq = 3 WHERE seq = 100;",
    );
    let (ok, _, err) = run(root, &["audit", "verify"]);
    assert!(!ok && err.contains("row 2"), "reorder: {err}");

    // 2. Delete a row, renumber and rehash everything after it, move the head.
    restore();
    sql(root, "DELETE FROM audit WHERE seq = 2;");
    rehash(root);
    let (ok, _, err) = run(root, &["audit", "verify"]);
    assert!(!ok && err.contains("tampered"), "delete and rehash: {err}");

    // 3. Delete the newest rows and move the head back: the chain is consistent in itself, the
    //    checkpoint is not.
    restore();
    sql(
        root,
        &format!(
            "DELETE FROM audit WHERE seq > {keep}; UPDATE audit_head SET seq = {keep}, hash = (SELECT hash FROM audit WHERE seq = {keep}) WHERE id = 1;",
            keep = rows - 2
        ),
    );
    let (ok, _, err) = run(root, &["audit", "verify"]);
    assert!(!ok, "truncation went unnoticed");
    assert!(
        err.contains("checkpoint") && err.contains("removed and the head moved back"),
        "{err}"
    );
    // The portal does not certify the truncated log with a new checkpoint.
    let before = std::fs::read_dir(root.join(".candor/audit-checkpoints"))
        .unwrap()
        .count();
    let (ok, _, err) = run(root, &["audit", "checkpoint"]);
    assert!(!ok && err.contains("tampered"), "{err}");
    assert_eq!(
        std::fs::read_dir(root.join(".candor/audit-checkpoints"))
            .unwrap()
            .count(),
        before
    );
    // A checkpoint kept elsewhere (from the mail) finds it just as well.
    let dir = root.join(".candor/audit-checkpoints");
    let elsewhere = root.join("kept");
    std::fs::rename(&dir, &elsewhere).unwrap();
    std::fs::create_dir(&dir).unwrap();
    let mut files: Vec<_> = std::fs::read_dir(&elsewhere)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    files.sort();
    let kept = files.pop().unwrap();
    let (ok, out, _) = run(root, &["audit", "verify"]);
    assert!(ok && out.contains("No checkpoint found"), "{out}");
    let (ok, _, err) = run(
        root,
        &["audit", "verify", "--checkpoint", kept.to_str().unwrap()],
    );
    assert!(
        !ok && err.contains("removed and the head moved back"),
        "{err}"
    );

    // 4. A planted checkpoint (one that would excuse the truncation) is not authentic.
    let forged = std::fs::read_to_string(&kept).unwrap().replace(
        &format!("\"seq\": {rows}"),
        &format!("\"seq\": {}", rows - 2),
    );
    std::fs::write(dir.join("audit-checkpoint-forged.json"), forged).unwrap();
    let (ok, _, err) = run(root, &["audit", "verify"]);
    assert!(!ok && err.contains("not an authentic checkpoint"), "{err}");
}

#[test]
fn checkpoints_are_written_by_the_portal_signed_and_mailed_to_the_legal_team() {
    let site = site_with_history();
    let root = site.path();
    common::edit_file(&root.join("site.yaml"), |y| {
        y.replace(
            "portal:\n",
            "portal:\n  audit:\n    mail_to: audit@example.com\n",
        )
    });
    // The portal writes one at start, when the log has grown since the last.
    let server = Server::start(root, &[]);
    let deadline = Instant::now() + Duration::from_secs(20);
    let dir = root.join(".candor/audit-checkpoints");
    let written = loop {
        let files: Vec<_> = std::fs::read_dir(&dir)
            .map(|d| d.map(|e| e.unwrap().path()).collect())
            .unwrap_or_default();
        if files
            .iter()
            .any(|p| p.to_string_lossy().ends_with(".json.p7s"))
            || Instant::now() > deadline
        {
            break files;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    let mailed = |root: &Path| {
        outbox(root)
            .into_iter()
            .find(|(to, _, _)| to.contains("audit@example.com"))
    };
    let deadline = Instant::now() + Duration::from_secs(20);
    while mailed(root).is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    let logs = server.stop();
    let json = written
        .iter()
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap_or_else(|| panic!("no checkpoint: {logs}"));
    let p7s = json.with_extension("json.p7s");
    assert!(p7s.exists(), "{written:?}");
    // The CMS signature verifies with the agreement certificate (openssl, as a reader would).
    let cert = root.join(".candor/keys/agreement-cert.pem");
    let out = Command::new("openssl")
        .args([
            "cms",
            "-verify",
            "-binary",
            "-inform",
            "DER",
            "-noverify",
            "-in",
        ])
        .arg(&p7s)
        .arg("-content")
        .arg(json)
        .arg("-certfile")
        .arg(&cert)
        .stdout(Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let mail = mailed(root).expect("a copy for the legal team");
    assert!(mail.1.contains("Audit checkpoint"), "{}", mail.1);
    assert!(
        mail.2.contains("candor audit verify --checkpoint"),
        "{}",
        mail.2
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&dir).unwrap().permissions().mode();
        assert_eq!(mode & 0o077, 0, "{mode:o}");
    }
}

#[test]
fn confirmation_mails_carry_nothing_the_requester_wrote() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    // The phishing attempt of the issue: refused as a name.
    for name in [
        "IT Security: your account is locked. Unlock now at https://evil.example/unlock",
        "Jane https://evil.example",
        "Call 555 0100",
    ] {
        let r = submit(
            &mut b,
            "pentest-summary",
            &[
                ("name", name),
                ("email", "victim@example.net"),
                ("company", "Acme"),
                ("reason", "x"),
            ],
        );
        assert_eq!(r.status, 422, "{name}");
        assert!(r.text().contains("letters, spaces"), "{name}");
    }
    assert!(outbox(site.path()).is_empty());
    // A name of letters, a company and a reason with a link: accepted, but none of it is mailed.
    let r = submit(
        &mut b,
        "pentest-summary",
        &[
            ("name", "IT Security Team"),
            ("email", "victim@example.net"),
            ("company", "Account Recovery Desk"),
            ("reason", "Unlock now at https://evil.example/unlock"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let mail = &wait_for_mails(site.path(), 1)[0];
    for requester_text in ["IT Security", "Account Recovery", "evil.example", "Unlock"] {
        assert!(
            !mail.1.contains(requester_text) && !mail.2.contains(requester_text),
            "{requester_text} in {mail:?}"
        );
    }
    assert!(mail.2.starts_with("Hello,"), "{}", mail.2);
    // The confirmation page (before the address is proven) does not show them either.
    let confirm = common::portal::link_path(&mail.2).unwrap();
    let page = b.get(&confirm).text();
    assert!(!page.contains("IT Security") && !page.contains("Recovery Desk"));
    // Names in other scripts pass.
    for name in [
        "Łukasz Żółć",
        "山田太郎",
        "Γιώργος Παπαδόπουλος",
        "Işıl Çağlar",
    ] {
        let r = submit(
            &mut b,
            "pentest-summary",
            &[
                ("name", name),
                ("email", "intl@example.org"),
                ("company", "Maersk A/S"),
                ("reason", "Review"),
            ],
        );
        assert_eq!(r.status, 200, "{name}: {}", r.text());
    }
    server.stop();
}

#[test]
fn one_address_gets_at_most_three_unconfirmed_requests_a_day_and_nothing_tells() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    let victim = "victim@example.net";
    let mut pages = Vec::new();
    for _ in 0..5 {
        let r = submit(&mut b, "pentest-summary", &jane(victim));
        assert_eq!(r.status, 200);
        pages.push(r.text());
    }
    // A different address (case aside) is the same address.
    let r = submit(&mut b, "pentest-summary", &jane("VICTIM@example.net"));
    assert_eq!(r.status, 200);
    // Signing requests count too.
    let sign = b.get("/portal/en/sign/dpa");
    let csrf = hidden(&sign.text(), "csrf").unwrap();
    let r = b.post("/portal/en/sign/dpa", &[("csrf", &csrf), ("email", victim)]);
    assert_eq!(r.status, 200, "{}", r.text());
    std::thread::sleep(Duration::from_millis(300));
    let to_victim = outbox(site.path())
        .into_iter()
        .filter(|(to, _, _)| to.to_ascii_lowercase().contains(victim))
        .count();
    assert_eq!(to_victim, 3, "three confirmation mails, then none");
    assert!(
        pages.iter().all(|p| *p == pages[0]),
        "the answer is the same whether a mail was sent or not"
    );
    // Other addresses are not affected.
    assert_eq!(
        submit(&mut b, "pentest-summary", &jane("someone@example.org")).status,
        200
    );
    assert_eq!(wait_for_mails(site.path(), 4).len(), 4);
    server.stop();
    let (_, json, _) = run(site.path(), &["audit", "export"]);
    let held = serde_json::from_str::<Vec<serde_json::Value>>(&json)
        .unwrap()
        .into_iter()
        .filter(|r| {
            r["detail"]
                .as_str()
                .is_some_and(|d| d.contains("no confirmation mail sent"))
        })
        .count();
    assert_eq!(held, 4, "each held-back mail is audited");
}

#[test]
fn the_portal_stops_mailing_at_its_hourly_ceiling_and_says_so_in_the_log() {
    let site = example_site();
    common::edit_file(&site.path().join("site.yaml"), |y| {
        y.replace("portal:\n", "portal:\n  mail_limits:\n    per_hour: 2\n")
    });
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    for (i, expected) in [200, 200, 429, 429].into_iter().enumerate() {
        let r = submit(
            &mut b,
            "pentest-summary",
            &jane(&format!("person{i}@example.org")),
        );
        assert_eq!(r.status, expected, "request {i}");
        if expected == 429 {
            assert!(r.header("retry-after").is_some());
        }
    }
    assert_eq!(wait_for_mails(site.path(), 2).len(), 2);
    let logs = server.stop();
    assert_eq!(
        logs.matches("ALERT").count(),
        1,
        "one alert per hour: {logs}"
    );
    assert!(
        !logs.contains("person2@example.org"),
        "no address in the log"
    );
}

/// Starts `candor serve --production` expecting it to refuse: its exit status and output.
fn refused_start(root: &Path) -> String {
    let mut child = Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--production", "--addr", "127.0.0.1:0", "--root"])
        .arg(root)
        .env_remove("CANDOR_DATABASE_URL")
        .env_remove("CANDOR_PORTAL_KEYS")
        .env(
            "CANDOR_AGREEMENT_KEY",
            root.join(".candor/keys/agreement-key.pem"),
        )
        .env(
            "CANDOR_AGREEMENT_CERTIFICATE",
            root.join(".candor/keys/agreement-cert.pem"),
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("the server started although it should have refused");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let out = child.wait_with_output().unwrap();
    assert!(!out.status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[cfg(unix)]
#[test]
fn the_store_and_the_file_area_are_private_and_readable_ones_are_refused() {
    use std::os::unix::fs::PermissionsExt as _;
    let site = example_site();
    let root = site.path();
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    // While the server runs (and has written), SQLite keeps its WAL and shared-memory files
    // beside the store; they take the store's mode.
    let server = Server::start(root, &[]);
    let mut b = server.browser();
    assert_eq!(
        submit(&mut b, "pentest-summary", &jane("jane@example.org")).status,
        200
    );
    let db = root.join(".candor/portal.db");
    assert_eq!(mode(&db), 0o600);
    for side in ["portal.db-wal", "portal.db-shm"] {
        assert_eq!(mode(&root.join(".candor").join(side)), 0o600, "{side}");
    }
    server.stop();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let err = refused_start(root);
    assert!(err.contains("chmod 600"), "{err}");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o600)).unwrap();
    let files = root.join(".candor/files");
    std::fs::create_dir_all(&files).unwrap();
    std::fs::set_permissions(&files, std::fs::Permissions::from_mode(0o755)).unwrap();
    let err = refused_start(root);
    assert!(
        err.contains("file area") && err.contains("chmod 700"),
        "{err}"
    );
}

#[test]
fn head_requests_record_nothing_and_count_no_download() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    let grant = granted(&server, &mut b, "pentest-summary");
    let events = || {
        let (_, json, _) = run(site.path(), &["audit", "export"]);
        serde_json::from_str::<Vec<serde_json::Value>>(&json)
            .unwrap()
            .into_iter()
            .map(|r| r["event"].as_str().unwrap().to_owned())
            .collect::<Vec<_>>()
    };
    let before = events();
    let r = request(&server.addr, "HEAD", &grant, &[], None);
    assert_eq!(r.status, 200);
    assert_eq!(events(), before, "a HEAD of the grant link is not a visit");
    let location = token_path(&mut b, &grant);
    let opened = events();
    for _ in 0..3 {
        assert_eq!(
            request(&server.addr, "HEAD", &location, &[], None).status,
            200
        );
    }
    assert_eq!(events(), opened, "a HEAD of a download is not a download");
    let r = b.get(&location);
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"%PDF"));
    let after = events();
    assert_eq!(after.iter().filter(|e| *e == "download").count(), 1);
    server.stop();
}

#[test]
fn requests_the_framework_cannot_parse_get_the_portals_own_page() {
    use argon2::password_hash::{PasswordHasher as _, SaltString, rand_core::OsRng};
    let token = "an admin token for the parse-before-auth test";
    let hash = argon2::Argon2::default()
        .hash_password(token.as_bytes(), &SaltString::generate(&mut OsRng))
        .unwrap()
        .to_string();
    let site = example_site();
    let server = Server::start(site.path(), &[("CANDOR_ADMIN_TOKEN_HASH", &hash)]);
    let leaks = [
        "Invalid URL",
        "invalid type",
        "Failed to deserialize",
        "expected",
    ];
    type Case<'a> = (
        &'a str,
        &'a str,
        &'a [(&'a str, &'a str)],
        Option<&'a [u8]>,
        &'a str,
    );
    let cases: [Case; 3] = [
        (
            "GET",
            "/portal/de/grant/%FF%FE",
            &[],
            None,
            "Diese Anfrage kann nicht bearbeitet werden",
        ),
        (
            "POST",
            "/portal/en/request/pentest-summary",
            &[("Content-Type", "text/plain")],
            Some(b"name=x"),
            "This request cannot be handled",
        ),
        (
            "PUT",
            "/portal/en/request/pentest-summary",
            &[],
            Some(b""),
            "This request cannot be handled",
        ),
    ];
    for (method, path, headers, body, title) in cases {
        let r = request(&server.addr, method, path, headers, body);
        assert!(
            (400..500).contains(&r.status),
            "{method} {path}: {}",
            r.status
        );
        assert!(
            r.header("content-type")
                .is_some_and(|t| t.starts_with("text/html")),
            "{method} {path}"
        );
        let text = r.text();
        assert!(text.contains(title), "{method} {path}: {text}");
        for leak in leaks {
            assert!(!text.contains(leak), "{method} {path} leaks {leak}");
        }
    }
    // Under /api/ the same refusals are JSON.
    let r = request(&server.addr, "PUT", "/portal/api/requests", &[], Some(b""));
    assert_eq!(r.status, 405);
    assert!(
        r.header("content-type")
            .is_some_and(|t| t.starts_with("application/json")),
        "{:?}",
        r.header("content-type")
    );
    // The admin API authenticates before it reads the body.
    let approve = "/portal/api/requests/aaaaaaaaaaaaaaa/approve";
    let bad_json = Some(&b"{\"days\": \"x\""[..]);
    let json = [("Content-Type", "application/json")];
    let r = request(&server.addr, "POST", approve, &json, bad_json);
    assert_eq!(r.status, 401, "{}", r.text());
    let bearer = format!("Bearer {token}");
    let authed = [json[0], ("Authorization", bearer.as_str())];
    let r = request(&server.addr, "POST", approve, &authed, bad_json);
    assert_eq!(r.status, 400, "{}", r.text());
    assert!(r.text().contains("days"), "{}", r.text());
    server.stop();
}

#[test]
fn the_request_list_shows_who_asked_and_why() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    let r = submit(
        &mut b,
        "pentest-summary",
        &[
            ("name", "Jane O’Neill"),
            ("email", "jane@customer.example"),
            ("company", "Customer GmbH & Co. KG"),
            ("reason", "Annual vendor review\nof the hosting platform"),
        ],
    );
    assert_eq!(r.status, 200);
    server.stop();
    let (ok, out, err) = run(site.path(), &["requests", "list"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("Jane O’Neill <jane@customer.example>"),
        "{out}"
    );
    assert!(out.contains("Customer GmbH & Co. KG"), "{out}");
    assert!(
        out.contains("Reason: Annual vendor review of the hosting platform"),
        "{out}"
    );
}

#[test]
fn old_audit_rows_are_pruned_under_an_authenticated_mark_that_verify_starts_from() {
    let site = site_with_history();
    let root = site.path();
    let (ok, out, err) = run(root, &["audit", "checkpoint"]);
    assert!(ok, "{out}{err}");

    // Bad cut-offs change nothing.
    for bad in ["2999-01-01", "last year", "2026-13-01"] {
        let (ok, out, err) = run(root, &["audit", "prune", "--before", bad]);
        assert!(!ok && out.is_empty(), "{bad}: {out}");
        assert!(err.contains("--before"), "{bad}: {err}");
    }
    let (_, before, _) = run(root, &["audit", "export"]);
    let rows = serde_json::from_str::<Vec<serde_json::Value>>(&before)
        .unwrap()
        .len();
    assert!(rows > 3, "{before}");

    let now = chrono::Utc::now().to_rfc3339();
    let (ok, out, err) = run(root, &["audit", "prune", "--before", &now]);
    assert!(ok, "{out}{err}");
    assert!(out.contains(&format!("Deleted {rows} audit rows")), "{out}");
    let marks: Vec<_> = std::fs::read_dir(root.join(".candor/audit-checkpoints"))
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .filter(|n| n.starts_with("audit-prune-") && n.ends_with(".json"))
        .collect();
    assert_eq!(marks.len(), 1, "{marks:?}");
    let (_, after, _) = run(root, &["audit", "export"]);
    let left = serde_json::from_str::<Vec<serde_json::Value>>(&after).unwrap();
    assert_eq!(left.len(), 1, "only the prune's own row is left: {after}");
    assert_eq!(left[0]["event"], "audit_pruned");

    // The chain is proven from the mark on, and the checkpoint of the pruned head still fits.
    let (ok, out, err) = run(root, &["audit", "verify"]);
    assert!(ok, "{out}{err}");
    assert!(
        out.contains(&format!("Rows 1–{rows} were pruned")) && out.contains("Intact up to"),
        "{out}"
    );

    // A mark changed to account for one more deleted row is found.
    sql(root, "UPDATE audit_prunes SET deleted = deleted + 1;");
    let (ok, _, err) = run(root, &["audit", "verify"]);
    assert!(!ok, "a changed prune checkpoint went unnoticed");
    assert!(
        err.contains("prune checkpoint that is not authentic"),
        "{err}"
    );
}
