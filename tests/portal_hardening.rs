//! Hardening of `candor serve` with the portal, each against a real server process: timeouts,
//! path traversal, graceful shutdown, concurrency, the admin API. (Tampering with the audit log and
//! the other attacks of issue 17: `portal_attacks.rs`.)

mod common;

use std::io::{Read as _, Write as _};
use std::net::TcpStream;
use std::time::{Duration, Instant};

use common::example_site;
use common::portal::{Server, granted, hidden, link_path, request, token_path, wait_for_mails};
use common::postgres as pg;

#[test]
fn a_client_sending_half_a_header_is_disconnected() {
    let site = example_site();
    let server = Server::start(site.path(), &[("CANDOR_HEADER_READ_TIMEOUT", "1")]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    stream
        .write_all(b"GET /en/ HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut buf = Vec::new();
    let _ = stream.read_to_end(&mut buf);
    // The server closed the connection (read returned) long before our 30 s read timeout,
    // without ever answering the incomplete request with a page.
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(!String::from_utf8_lossy(&buf).contains("200 OK"));
    // A complete request on a new connection is still served.
    assert_eq!(request(&server.addr, "GET", "/en/", &[], None).status, 200);
}

#[test]
fn a_request_whose_body_trickles_in_times_out() {
    let site = example_site();
    let server = Server::start(site.path(), &[("CANDOR_REQUEST_TIMEOUT", "1")]);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    // A complete head announcing 1000 bytes of form, then only a few of them.
    stream
        .write_all(
            b"POST /portal/en/request/pentest-summary HTTP/1.1\r\nHost: x\r\n\
              Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 1000\r\n\r\nname=J",
        )
        .unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(30)))
        .unwrap();
    let started = Instant::now();
    let mut buf = [0u8; 512];
    let n = stream.read(&mut buf).unwrap();
    assert!(
        String::from_utf8_lossy(&buf[..n]).starts_with("HTTP/1.1 408"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    assert!(started.elapsed() < Duration::from_secs(20));
    assert!(common::portal::outbox(site.path()).is_empty());
}

#[test]
fn static_files_are_immune_to_traversal_and_gated_files_are_never_served_statically() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    for path in [
        "/../site.yaml",
        "/%2e%2e/site.yaml",
        "/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "/en/%2E%2E/%2E%2E/site.yaml",
        "/..%5c..%5csite.yaml",
        "/en\\..\\..\\site.yaml",
        "/C%3A/Windows/win.ini",
        "/en/%00/index.html",
        "/.candor/portal.db",
        "/.candor/keys/portal-keys.json",
        "/content/documents/pentest-summary/pentest-summary-2026-en.pdf",
        "/documents/pentest-summary/2026/pentest-summary-2026-en.pdf",
        "/documents/pentest-summary/latest/pentest-summary-2026-en.pdf",
        "/_candor/portal/en.html",
        "/css/",
        "/documents/",
    ] {
        let r = request(&server.addr, "GET", path, &[], None);
        assert_ne!(r.status, 200, "{path} was served");
        let body = r.text();
        assert!(!body.contains("base_url"), "{path} leaked site.yaml");
        assert!(!body.starts_with("%PDF"), "{path} leaked a PDF");
        assert!(!body.contains("secret"), "{path} leaked keys");
        assert!(!body.contains("Index of"), "{path} listed a folder");
    }
    // Public documents are served.
    let r = request(
        &server.addr,
        "GET",
        "/documents/dpa/3.1/dpa-3.1-en.pdf",
        &[],
        None,
    );
    assert_eq!(r.status, 200);
    assert!(r.body.starts_with(b"%PDF"));
}

#[test]
fn every_response_carries_the_security_headers_and_hsts_only_behind_tls() {
    let site = example_site();
    common::edit_file(&site.path().join("site.yaml"), |yaml| {
        yaml.replace("  grant_days: 30", "  grant_days: 30\n  behind_proxy: true")
    });
    let server = Server::start(site.path(), &[]);
    for path in [
        "/en/",
        "/portal/en/request/pentest-summary",
        "/portal/download/v1.x.y.z",
        "/portal/nothing",
        "/nothing",
    ] {
        let r = request(&server.addr, "GET", path, &[], None);
        let csp = r.header("content-security-policy").unwrap_or("");
        assert!(csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert!(!csp.contains("unsafe-inline"), "{path}: {csp}");
        assert_eq!(
            r.header("x-content-type-options"),
            Some("nosniff"),
            "{path}"
        );
        assert_eq!(r.header("referrer-policy"), Some("no-referrer"), "{path}");
        assert_eq!(r.header("strict-transport-security"), None, "{path}");
        let tls = request(
            &server.addr,
            "GET",
            path,
            &[("X-Forwarded-Proto", "https")],
            None,
        );
        assert!(
            tls.header("strict-transport-security")
                .is_some_and(|v| v.contains("max-age=")),
            "{path}"
        );
    }
    // Behind the proxy, the CSRF cookie is Secure when the proxy says HTTPS.
    let r = request(
        &server.addr,
        "GET",
        "/portal/en/request/pentest-summary",
        &[("X-Forwarded-Proto", "https")],
        None,
    );
    assert!(r.header("set-cookie").unwrap().contains("; Secure"));
}

#[test]
fn oversized_bodies_are_refused() {
    let site = example_site();
    let server = Server::start(site.path(), &[]);
    let big = vec![b'a'; 64 * 1024];
    let r = request(
        &server.addr,
        "POST",
        "/portal/en/request/pentest-summary",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(&big),
    );
    assert_eq!(r.status, 413);
}

/// 500 concurrent downloads through one token against the store at `database` (SQLite when
/// `None`): every one succeeds, and the audit log gains exactly one row each and still verifies.
fn five_hundred_concurrent_downloads(database: Option<&str>) {
    let site = example_site();
    common::edit_file(&site.path().join("site.yaml"), |yaml| {
        yaml.replace("download_limit: 10", "download_limit: 1000")
    });
    let mut env = vec![("CANDOR_PORTAL_LIMITS", "10,100,100000,30")];
    if let Some(url) = database {
        env.push(("CANDOR_DATABASE_URL", url));
    }
    let server = Server::start(site.path(), &env);
    let url = database.map_or_else(
        || candor::portal::store::sqlite_url(&site.path().join(".candor/portal.db")),
        str::to_owned,
    );
    let audit = || {
        pg::block_on(async {
            let (keys, _) = candor::portal::keys::load_or_create(site.path()).unwrap();
            let store = candor::portal::store::Store::connect(&url, keys.audit_keys())
                .await
                .unwrap();
            let rows = store.audit_rows().await.unwrap();
            let verified = store.verify_audit().await.unwrap().map(|v| v.rows);
            store.close().await;
            (rows, verified)
        })
    };
    let mut b = server.browser();
    let grant = granted(&server, &mut b, "pentest-summary");
    let location = token_path(&mut b, &grant);
    let before = audit().0.len();
    let threads: Vec<_> = (0..500)
        .map(|_| {
            let addr = server.addr.clone();
            let location = location.clone();
            std::thread::spawn(move || request(&addr, "GET", &location, &[], None))
        })
        .collect();
    for t in threads {
        let r = t.join().unwrap();
        assert_eq!(r.status, 200, "{}", r.text());
        assert!(r.body.starts_with(b"%PDF"));
    }
    let (rows, verified) = audit();
    assert_eq!(rows.len(), before + 500);
    assert_eq!(rows.iter().filter(|r| r.event == "download").count(), 500);
    assert_eq!(verified, Ok(before + 500));
    server.stop();
}

#[test]
fn five_hundred_concurrent_downloads_all_succeed_with_one_audit_row_each() {
    five_hundred_concurrent_downloads(None);
}

#[test]
fn five_hundred_concurrent_downloads_on_postgresql() {
    let Some(server) = pg::server_url() else {
        eprintln!("{}", pg::SKIPPED);
        return;
    };
    let database = pg::block_on(pg::Database::create(&server));
    five_hundred_concurrent_downloads(Some(&database.url));
    pg::block_on(database.drop());
}

#[test]
fn shutdown_lets_a_download_in_flight_finish() {
    let site = example_site();
    // A large gated file (not a PDF: served as stored) so the response is still being written
    // when the server is told to stop.
    let dir = site.path().join("content/documents/big-export");
    std::fs::create_dir_all(&dir).unwrap();
    let size = 64 * 1024 * 1024;
    std::fs::write(dir.join("export.zip"), vec![7u8; size]).unwrap();
    std::fs::write(
        dir.join("index.md"),
        "---\ntitle: Export\ndocument:\n  category: security\n  access: gated\n  versions:\n    - version: \"1\"\n      date: 2026-01-01\n      files: {en: export.zip}\n---\nA large file.\n",
    )
    .unwrap();
    let server = Server::start(site.path(), &[]);
    let mut b = server.browser();
    let grant = granted(&server, &mut b, "big-export");
    let location = token_path(&mut b, &grant);
    let mut stream = TcpStream::connect(&server.addr).unwrap();
    write!(
        stream,
        "GET {location} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut first = [0u8; 4096];
    let n = stream.read(&mut first).unwrap();
    assert!(String::from_utf8_lossy(&first[..n]).starts_with("HTTP/1.1 200"));
    // Stop the server while most of the body is still unread.
    let stopper = std::thread::spawn(move || server.stop());
    std::thread::sleep(Duration::from_millis(300));
    let mut rest = Vec::new();
    stream.read_to_end(&mut rest).unwrap();
    let head_and_body = [&first[..n], &rest[..]].concat();
    let end = head_and_body
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .unwrap();
    assert_eq!(
        head_and_body.len() - end - 4,
        size,
        "the download was cut off"
    );
    let logs = stopper.join().unwrap();
    assert!(logs.contains("Shutting down"), "{logs}");
}

#[test]
fn the_admin_api_needs_the_bearer_token_and_decides_requests() {
    use argon2::password_hash::{PasswordHasher as _, SaltString, rand_core::OsRng};
    let token = "correct horse battery staple admin token";
    let salt = SaltString::generate(&mut OsRng);
    let hash = argon2::Argon2::default()
        .hash_password(token.as_bytes(), &salt)
        .unwrap()
        .to_string();
    let site = example_site();
    let server = Server::start(site.path(), &[("CANDOR_ADMIN_TOKEN_HASH", &hash)]);
    let mut b = server.browser();
    // A request from a domain that is not approved automatically.
    let page = b.get("/portal/en/request/pentest-summary");
    let csrf = hidden(&page.text(), "csrf").unwrap();
    b.post(
        "/portal/en/request/pentest-summary",
        &[
            ("csrf", &csrf),
            ("name", "Max"),
            ("email", "max@customer.example"),
            ("company", "Customer"),
            ("reason", "Review"),
        ],
    );
    let confirm = link_path(&wait_for_mails(site.path(), 1)[0].2).unwrap();
    let page = b.get(&confirm);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    b.post(&confirm, &[("csrf", &csrf)]);

    for auth in [None, Some("Bearer wrong"), Some("Basic YWRtaW46YWRtaW4=")] {
        let headers: Vec<(&str, &str)> = auth.map(|a| ("Authorization", a)).into_iter().collect();
        let r = request(&server.addr, "GET", "/portal/api/requests", &headers, None);
        assert_eq!(r.status, 401, "{auth:?}");
    }
    let bearer = format!("Bearer {token}");
    let auth = [("Authorization", bearer.as_str())];
    let r = request(
        &server.addr,
        "GET",
        "/portal/api/requests?status=pending",
        &auth,
        None,
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let list: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 1);
    let id = list[0]["id"].as_str().unwrap().to_owned();
    let r = request(
        &server.addr,
        "POST",
        &format!("/portal/api/requests/{id}/approve"),
        &[auth[0], ("Content-Type", "application/json")],
        Some(br#"{"days": 3}"#),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let grant: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    let days =
        (grant["expires_at"].as_i64().unwrap() - grant["created_at"].as_i64().unwrap()) / 86400;
    assert_eq!(days, 3);
    assert_eq!(wait_for_mails(site.path(), 2).len(), 2);
    let gid = grant["id"].as_str().unwrap();
    let r = request(
        &server.addr,
        "POST",
        &format!("/portal/api/grants/{gid}/revoke"),
        &auth,
        None,
    );
    assert_eq!(r.status, 200);
    let again: serde_json::Value = serde_json::from_slice(&r.body).unwrap();
    assert!(again["revoked_at"].is_i64());
    let r = request(
        &server.addr,
        "POST",
        &format!("/portal/api/requests/{id}/reject"),
        &auth,
        None,
    );
    assert_eq!(r.status, 409, "an approved request cannot be rejected");
    // The token itself never appears in the logs.
    let logs = server.stop();
    assert!(!logs.contains(token));
}

#[test]
fn shutdown_ends_the_previews_event_streams_instead_of_waiting_for_them() {
    use std::io::BufRead as _;
    let site = example_site();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(["serve", "--addr", "127.0.0.1:0", "--root"])
        .arg(site.path())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let stdout = child.stdout.take().unwrap();
    let mut lines = std::io::BufReader::new(stdout).lines();
    let addr = lines
        .by_ref()
        .map_while(Result::ok)
        .find_map(|l| {
            l.split_once(" on http://")
                .map(|(_, rest)| rest.split(' ').next().unwrap().to_owned())
        })
        .expect("the server says where it listens");
    // An open preview tab: the event stream stays open.
    let mut events = TcpStream::connect(&addr).unwrap();
    events
        .write_all(b"GET /_candor/events HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    events
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = [0u8; 256];
    let n = events.read(&mut head).unwrap();
    assert!(String::from_utf8_lossy(&head[..n]).contains("text/event-stream"));
    std::process::Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    // The stream ends and the server exits, well before the 30 s drain for downloads.
    let mut rest = Vec::new();
    let _ = events.read_to_end(&mut rest);
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break Some(status);
        }
        if Instant::now() > deadline {
            break None;
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    let _ = child.kill();
    assert!(
        status.is_some_and(|s| s.success()),
        "the server did not exit: {status:?}"
    );
}
