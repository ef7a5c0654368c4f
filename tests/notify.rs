//! `candor notify` end to end (issue 19): subscribers made through the portal's HTTP flow (or
//! the store), the binary run against a real SMTP server on loopback (`common::smtp`: aiosmtpd,
//! writing each accepted message as JSON parsed by Python's `email` package),
//! the delivered messages read back: headers (RFC 8058, Message-ID, Date, Content-Language),
//! both languages, links that work against the running portal. Idempotence, dry runs, a crash
//! mid-send, an unsubscription between queueing and sending, refusing servers, two processes on
//! one store, and the expiry of unconfirmed subscriptions.
//!
//! Needs a Python with aiosmtpd (`CANDOR_TEST_PYTHON`, as `tests/smtp.rs`); otherwise the
//! tests that need it say "skipped" and pass.

mod common;

use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use candor::portal::audit::Event;
use candor::portal::store::Store;
use candor::portal::store::subscriptions::NewSubscription;
use common::portal::{Server, actions, hidden, link_path};
use common::smtp::{Mode, Received, SKIPPED, Smtp};

const TODAY: &str = "2026-12-05";
const SHIELD: &str = "2027-01-11-added-example-shield-gmbh";

/// The messages of `candor notify` among those a server received (their Message-IDs start with
/// a notice id).
trait Notices {
    fn notices(&self) -> Vec<Received>;
}

impl Notices for Smtp {
    fn notices(&self) -> Vec<Received> {
        self.mails()
            .into_iter()
            .filter(|m| {
                m.header("Message-ID")
                    .is_some_and(|id| id.starts_with("<n"))
            })
            .collect()
    }
}

fn python() -> Option<String> {
    common::python::with("aiosmtpd")
}

fn notify_cmd(root: &Path, smtp: &str, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_candor"));
    cmd.arg("notify")
        .args(["--today", TODAY, "--root"])
        .arg(root)
        .args(args)
        .env_remove("CANDOR_DATABASE_URL")
        .env_remove("CANDOR_PORTAL_KEYS")
        .env("CANDOR_SMTP_URL", smtp);
    cmd
}

fn notify(root: &Path, smtp: &str, args: &[&str]) -> (Output, String) {
    let out = notify_cmd(root, smtp, args)
        .output()
        .expect("run candor notify");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out, text)
}

fn block_on<T>(f: impl std::future::Future<Output = T>) -> T {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(f)
}

async fn store(root: &Path) -> Store {
    let (keys, _) = candor::portal::keys::load_or_create(root).unwrap();
    Store::open_default(root, keys.audit_keys()).await.unwrap()
}

/// `n` confirmed subscribers `user<i>@<domain>` in `lang` to `topics` (through the store).
fn add_subscribers(
    root: &Path,
    n: usize,
    domain: &str,
    lang: &str,
    topics: &[&str],
) -> Vec<String> {
    block_on(async {
        let store = store(root).await;
        let mut ids = Vec::new();
        for i in 0..n {
            let new = NewSubscription {
                email: format!("user{i}@{domain}"),
                lang: lang.to_owned(),
                topics: topics.iter().map(|t| (*t).to_owned()).collect(),
                documents: Vec::new(),
                consent_text_sha256: "0".repeat(64),
            };
            let s = store.subscribe(&new, &Event::default()).await.unwrap();
            let id = s.subscriber().id.clone();
            store
                .confirm_subscription(&id, &Event::default())
                .await
                .unwrap();
            ids.push(id);
        }
        store.close().await;
        ids
    })
}

/// (notices, announcements, outbox rows) in the store.
fn counts(root: &Path) -> Counts {
    use sqlx::Row as _;
    let (rt, mut db) = common::sqlite(root, true);
    let mut out = [0i64; 3];
    for (i, t) in ["notices", "announcements", "outbox"].iter().enumerate() {
        out[i] = rt
            .block_on(sqlx::query(&format!("SELECT COUNT(*) FROM {t}")).fetch_one(&mut db))
            .map(|r| r.get::<i64, _>(0))
            .unwrap_or(0);
    }
    Counts(out[0], out[1], out[2])
}

#[derive(Debug, PartialEq, Eq)]
struct Counts(i64, i64, i64);

fn press(b: &mut common::portal::Browser, link: &str) -> common::portal::Response {
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

/// Subscribes `email` in `lang` through the portal's form and confirms it from the mailed link.
fn subscribe_over_http(server: &Server, smtp: &Smtp, lang: &str, email: &str, topics: &[&str]) {
    let mut b = server.browser();
    let path = format!("/portal/{lang}/subscribe");
    let page = b.get(&path);
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token");
    let mut fields = vec![
        ("csrf", csrf.as_str()),
        ("email", email),
        ("consent", "yes"),
    ];
    for t in topics {
        fields.push(("topic", t));
    }
    let before = smtp.count();
    let sent = b.post(&path, &fields);
    assert_eq!(sent.status, 200, "{}", sent.text());
    let mails = smtp.wait_for(before + 1);
    let link = link_path(&mails[before].body).expect("a confirmation link");
    let done = press(&mut b, &link);
    assert_eq!(done.status, 200, "{}", done.text());
    smtp.wait_for(before + 2); // the welcome mail
}

#[test]
fn notices_reach_each_subscriber_once_in_their_language_with_working_links() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Accept);
    let site = common::example_site();
    let server = Server::start(site.path(), &[("CANDOR_SMTP_URL", &smtp.url())]);
    subscribe_over_http(
        &server,
        &smtp,
        "en",
        "ann@example.net",
        &["subprocessors", "updates"],
    );
    subscribe_over_http(
        &server,
        &smtp,
        "de",
        "bernd@example.net",
        &["subprocessors"],
    );

    // A dry run prints what would go, and neither sends nor records anything.
    let (out, text) = notify(site.path(), &smtp.url(), &["--dry-run"]);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains(&format!("notice  subprocessors: {SHIELD}")),
        "{text}"
    );
    assert!(text.contains("recipients: 2 (de 1, en 1)"), "{text}");
    assert!(
        text.contains("subject [de]: Trust Center der Example Cloud: Änderungen bei unseren Unterauftragsverarbeitern"),
        "{text}"
    );
    assert!(text.contains("baseline  updates"), "{text}");
    assert!(
        !text.contains("@example.net"),
        "no addresses in the output: {text}"
    );
    assert_eq!(counts(site.path()), Counts(0, 0, 0));
    assert!(smtp.notices().is_empty());

    // The first run: the objectable change is mailed, the history recorded.
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Sent 2 mails"), "{text}");
    assert!(
        !text.contains("@example.net"),
        "no addresses in the output: {text}"
    );
    let mails = smtp.notices();
    assert_eq!(mails.len(), 2, "{mails:#?}");
    let en = mails.iter().find(|m| m.to() == "ann@example.net").unwrap();
    let de = mails
        .iter()
        .find(|m| m.to() == "bernd@example.net")
        .unwrap();
    assert_eq!(
        en.subject,
        "Example Cloud Trust Center: changes to our subprocessors"
    );
    assert_eq!(
        de.subject,
        "Trust Center der Example Cloud: Änderungen bei unseren Unterauftragsverarbeitern"
    );
    assert_eq!(en.header("Content-Language"), Some("en"));
    assert_eq!(de.header("Content-Language"), Some("de"));
    for m in [en, de] {
        assert_eq!(
            m.header("List-Unsubscribe-Post"),
            Some("List-Unsubscribe=One-Click")
        );
        let lu = m.header("List-Unsubscribe").unwrap();
        assert!(
            lu.starts_with("<https://trust.example.com/portal/") && lu.ends_with('>'),
            "{lu}"
        );
        let id = m.header("Message-ID").unwrap();
        assert!(
            id.starts_with("<n") && id.ends_with("@example.com>"),
            "{id}"
        );
        assert!(
            m.header("Date")
                .is_some_and(|d| d.contains("2026") || d.contains("20")),
            "{m:?}"
        );
        assert!(m.body.contains("Example Shield GmbH"), "{}", m.body);
        assert!(
            !m.body.contains("Example Telemetry"),
            "history is not mailed: {}",
            m.body
        );
    }
    assert_ne!(en.header("Message-ID"), de.header("Message-ID"));
    assert!(
        en.body.contains("New subprocessor: Example Shield GmbH"),
        "{}",
        en.body
    );
    assert!(
        en.body.contains("Takes effect: January 11, 2027"),
        "{}",
        en.body
    );
    assert!(
        en.body.contains("Objections until: January 10, 2027"),
        "{}",
        en.body
    );
    assert!(
        en.body.contains(&format!(
            "To object: https://trust.example.com/portal/en/objection/{SHIELD}"
        )),
        "{}",
        en.body
    );
    assert!(
        de.body
            .contains("Neuer Unterauftragsverarbeiter: Example Shield GmbH"),
        "{}",
        de.body
    );
    assert!(
        de.body.contains("Wirksam ab: 11. Januar 2027"),
        "{}",
        de.body
    );
    assert!(
        de.body.contains("Widerspruch möglich bis: 10. Januar 2027"),
        "{}",
        de.body
    );
    assert!(
        de.body.contains(&format!(
            "https://trust.example.com/portal/de/objection/{SHIELD}"
        )),
        "{}",
        de.body
    );
    // The page link works, in each language.
    let mut b = server.browser();
    for (m, page) in [
        (en, "/en/subprocessors/"),
        (de, "/de/unterauftragsverarbeiter/"),
    ] {
        assert!(
            m.body.contains(&format!("https://trust.example.com{page}")),
            "{}",
            m.body
        );
        let r = b.get(page);
        assert_eq!(r.status, 200, "{page}");
        assert!(r.text().contains("Example Shield GmbH"));
    }
    // The preferences link opens the subscriber's page.
    let prefs = en
        .body
        .lines()
        .find_map(|l| l.strip_prefix("Change your topics: https://trust.example.com"))
        .expect("a preferences link");
    let page = b.get(prefs);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("ann@example.net"), "{}", page.text());

    // A second run announces and sends nothing.
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Nothing new to announce"), "{text}");
    assert!(text.contains("Sent 0 mails"), "{text}");
    assert_eq!(smtp.notices().len(), 2);

    // A new update page: one notice, to the subscriber of updates only.
    for (suffix, title) in [("md", "A new region"), ("de.md", "Eine neue Region")] {
        std::fs::write(
            site.path().join(format!("content/updates/2026-12-05-region.{suffix}")),
            format!("---\ntitle: \"{title}\"\ndescription: \"{title}.\"\ndate: 2026-12-05\nupdated: 2026-12-05\n---\n{title}.\n"),
        )
        .unwrap();
    }
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("Queued notice") && text.contains("(updates) for 1 subscribers"),
        "{text}"
    );
    let mails = smtp.notices();
    assert_eq!(mails.len(), 3, "{mails:#?}");
    let news = &mails[2];
    assert_eq!(news.to(), "ann@example.net");
    assert_eq!(news.subject, "Example Cloud Trust Center: A new region");
    let link = news
        .body
        .lines()
        .find_map(|l| {
            l.trim()
                .strip_prefix("Read more: https://trust.example.com")
        })
        .expect("a link to the page")
        .to_owned();
    // The page is new: this server built the site before it existed; the link's form is checked.
    assert!(link.starts_with("/en/updates/"), "{link}");

    // The one-click unsubscribe link of the notice (RFC 8058: a POST with that body) works.
    let lu = en.header("List-Unsubscribe").unwrap();
    let path = lu
        .trim_start_matches("<https://trust.example.com")
        .trim_end_matches('>');
    let done = common::portal::request(
        &server.addr,
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"List-Unsubscribe=One-Click"),
    );
    assert_eq!(done.status, 200, "{}", done.text());
    let gone = block_on(async {
        let s = store(site.path()).await;
        s.subscriber_by_email("ann@example.net").await.unwrap()
    });
    assert!(gone.is_none(), "unsubscribed");
    let logs = server.stop();
    assert!(!logs.contains("ann@example.net"), "{logs}");
}

#[test]
fn a_subscriber_who_unsubscribes_before_the_send_gets_nothing() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Accept);
    let site = common::example_site();
    let ids = add_subscribers(site.path(), 3, "example.net", "en", &["subprocessors"]);
    let (out, text) = notify(site.path(), &smtp.url(), &["--queue-only"]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("for 3 subscribers"), "{text}");
    assert!(smtp.notices().is_empty(), "queued, not sent");
    block_on(async {
        let s = store(site.path()).await;
        assert!(s.unsubscribe(&ids[1]).await.unwrap());
    });
    let (out, text) = notify(site.path(), &smtp.url(), &["--send-only"]);
    assert!(out.status.success(), "{text}");
    let mut to: Vec<String> = smtp.notices().iter().map(|m| m.to().to_owned()).collect();
    to.sort();
    assert_eq!(to, ["user0@example.net", "user2@example.net"]);
    assert!(text.contains("1 skipped"), "{text}");
    let (_, status) = notify(site.path(), &smtp.url(), &["--status"]);
    assert!(
        status.contains("0 pending, 2 sent, 0 failed, 1 skipped"),
        "{status}"
    );
}

#[test]
fn a_refusing_server_is_retried_with_backoff_then_the_failure_is_visible() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Refuse);
    let site = common::example_site();
    add_subscribers(site.path(), 1, "example.net", "en", &["subprocessors"]);
    // With the default backoff the failed mail waits for a later run, visibly.
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "not failed yet, only pending: {text}");
    assert_eq!(smtp.refused(), 1, "one attempt");
    assert!(text.contains("1 pending, 0 sent, 0 failed"), "{text}");
    assert!(text.contains("1 attempts; next attempt"), "{text}");
    assert!(text.contains("451"), "the server's answer is shown: {text}");
    // A run before the retry is due sends nothing.
    let (_, text) = notify(site.path(), &smtp.url(), &["--send-only"]);
    assert_eq!(smtp.refused(), 1, "{text}");
    assert!(text.contains("1 pending"), "{text}");
    // Retries due at once (a zero base): three attempts in all, then failed, visibly, and the
    // exit status says so.
    let site2 = common::example_site();
    add_subscribers(site2.path(), 1, "example.net", "en", &["subprocessors"]);
    let (out, text) = notify(
        site2.path(),
        &smtp.url(),
        &["--retry-base", "0", "--max-attempts", "3"],
    );
    assert!(!out.status.success(), "{text}");
    assert_eq!(
        smtp.refused(),
        4,
        "three attempts for the second site: {text}"
    );
    assert!(text.contains("0 pending, 0 sent, 1 failed"), "{text}");
    assert!(
        text.contains("failed o") && text.contains("3 attempts"),
        "{text}"
    );
    assert!(!text.contains("user0@example.net"), "{text}");
}

#[test]
fn a_permanent_refusal_is_not_retried_and_the_others_are_delivered() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Bounce);
    let site = common::example_site();
    add_subscribers(site.path(), 2, "example.net", "en", &["subprocessors"]);
    add_subscribers(site.path(), 1, "bounce.example", "en", &["subprocessors"]);
    // Retries would be due at once (a zero base): a 550 is still tried only once.
    let (out, text) = notify(
        site.path(),
        &smtp.url(),
        &["--retry-base", "0", "--max-attempts", "5"],
    );
    assert!(
        !out.status.success(),
        "a given-up row fails the run: {text}"
    );
    assert_eq!(smtp.refused(), 1, "one attempt for the 550: {text}");
    assert_eq!(smtp.notices().len(), 2, "the others are delivered: {text}");
    assert!(text.contains("0 pending, 2 sent, 1 failed"), "{text}");
    assert!(text.contains("550"), "the server's answer is shown: {text}");
    assert!(text.contains("1 attempts"), "{text}");
    assert!(!text.contains("user0@bounce.example"), "{text}");
    // A later run sends nothing more and still reports the failure.
    let (out, text) = notify(site.path(), &smtp.url(), &["--retry-base", "0"]);
    assert!(!out.status.success(), "{text}");
    assert_eq!(smtp.refused(), 1, "{text}");
    assert_eq!(smtp.notices().len(), 2, "{text}");
}

/// Waits until `n` mails arrived or `child` ended.
fn wait_mails_or_exit(smtp: &Smtp, n: usize, child: &mut Child) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while smtp.count() < n && Instant::now() < deadline {
        if let Ok(Some(_)) = child.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

#[test]
fn a_run_killed_mid_send_is_resumed_without_duplicates_or_losses() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.15, Mode::Accept);
    let site = common::example_site();
    add_subscribers(site.path(), 24, "example.net", "en", &["subprocessors"]);
    let mut child = notify_cmd(
        site.path(),
        &smtp.url(),
        &["--concurrency", "3", "--rate", "1000", "--lease", "2"],
    )
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .unwrap();
    wait_mails_or_exit(&smtp, 6, &mut child);
    assert!(child.try_wait().unwrap().is_none(), "killed while sending");
    Command::new("kill")
        .args(["-KILL", &child.id().to_string()])
        .status()
        .unwrap();
    let _ = child.wait();
    let before = smtp.notices().len();
    assert!((6..24).contains(&before), "{before} mails before the kill");
    let (out, text) = notify(
        site.path(),
        &smtp.url(),
        &["--lease", "2", "--rate", "1000"],
    );
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Nothing new to announce"), "{text}");
    let mut to: Vec<String> = smtp.notices().iter().map(|m| m.to().to_owned()).collect();
    to.sort();
    let mut want: Vec<String> = (0..24).map(|i| format!("user{i}@example.net")).collect();
    want.sort();
    assert_eq!(to, want, "each subscriber exactly once");
    assert!(text.contains("0 pending, 24 sent, 0 failed"), "{text}");
}

/// Runs two `candor notify` at once on one store (`database`: a PostgreSQL URL, else the
/// site's SQLite file) and checks that the notice was queued once and each mail sent once.
fn two_processes_send_each_message_once(database: Option<&str>) {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.05, Mode::Accept);
    let site = common::example_site();
    let env = |cmd: &mut Command| {
        if let Some(url) = database {
            cmd.env("CANDOR_DATABASE_URL", url);
        }
    };
    // The store's schema and keys first (a dry run opens them), then the subscribers.
    let mut dry = notify_cmd(site.path(), &smtp.url(), &["--dry-run"]);
    env(&mut dry);
    let out = dry.output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    match database {
        Some(url) => block_on(async {
            let (keys, _) = candor::portal::keys::load_or_create(site.path()).unwrap();
            let store = Store::connect(url, keys.audit_keys()).await.unwrap();
            for i in 0..20 {
                let new = NewSubscription {
                    email: format!("user{i}@example.net"),
                    lang: "de".into(),
                    topics: vec!["subprocessors".into()],
                    documents: Vec::new(),
                    consent_text_sha256: "0".repeat(64),
                };
                let s = store.subscribe(&new, &Event::default()).await.unwrap();
                let id = s.subscriber().id.clone();
                store
                    .confirm_subscription(&id, &Event::default())
                    .await
                    .unwrap();
            }
            store.close().await;
        }),
        None => {
            add_subscribers(site.path(), 20, "example.net", "de", &["subprocessors"]);
        }
    }
    let spawn = || {
        let mut cmd = notify_cmd(
            site.path(),
            &smtp.url(),
            &["--concurrency", "2", "--rate", "1000"],
        );
        env(&mut cmd);
        cmd.stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let text = format!(
        "{}{}{}{}",
        String::from_utf8_lossy(&a.stdout),
        String::from_utf8_lossy(&a.stderr),
        String::from_utf8_lossy(&b.stdout),
        String::from_utf8_lossy(&b.stderr)
    );
    assert!(a.status.success() && b.status.success(), "{text}");
    assert_eq!(
        text.matches("Queued notice").count(),
        1,
        "queued once: {text}"
    );
    let mut to: Vec<String> = smtp.notices().iter().map(|m| m.to().to_owned()).collect();
    to.sort();
    let mut want: Vec<String> = (0..20).map(|i| format!("user{i}@example.net")).collect();
    want.sort();
    assert_eq!(to, want, "each message once: {text}");
    let mut status = notify_cmd(site.path(), &smtp.url(), &["--status"]);
    env(&mut status);
    let status = String::from_utf8_lossy(&status.output().unwrap().stdout).into_owned();
    assert!(status.contains("0 pending, 20 sent"), "{status}");
}

#[test]
fn two_processes_on_one_store_send_each_message_once() {
    two_processes_send_each_message_once(None);
}

/// Replicas share one PostgreSQL store: two processes on it send each message once.
#[test]
fn two_processes_on_one_postgres_store_send_each_message_once() {
    let Some(server) = common::postgres::server_url() else {
        eprintln!("{}", common::postgres::SKIPPED);
        return;
    };
    let db = block_on(common::postgres::Database::create(&server));
    two_processes_send_each_message_once(Some(&db.url));
    block_on(db.drop());
}

#[test]
fn unconfirmed_subscriptions_expire_and_confirmed_ones_stay() {
    let site = common::example_site();
    add_subscribers(site.path(), 1, "example.net", "en", &["updates"]);
    block_on(async {
        let s = store(site.path()).await;
        let new = NewSubscription {
            email: "late@example.net".into(),
            lang: "de".into(),
            topics: vec!["updates".into()],
            documents: Vec::new(),
            consent_text_sha256: "0".repeat(64),
        };
        s.subscribe(&new, &Event::default()).await.unwrap();
        // Not yet past the link's lifetime: kept.
        let past = chrono::Utc::now().timestamp() - 48 * 3600;
        assert_eq!(s.expire_subscriptions(past).await.unwrap(), 0);
        assert!(
            s.subscriber_by_email("late@example.net")
                .await
                .unwrap()
                .is_some()
        );
        // Past it: deleted; the confirmed subscriber stays.
        let future = chrono::Utc::now().timestamp() + 1;
        assert_eq!(s.expire_subscriptions(future).await.unwrap(), 1);
        assert!(
            s.subscriber_by_email("late@example.net")
                .await
                .unwrap()
                .is_none()
        );
        assert!(
            s.subscriber_by_email("user0@example.net")
                .await
                .unwrap()
                .is_some()
        );
        let rows = s.audit_rows().await.unwrap();
        let last = rows.last().unwrap();
        assert_eq!(last.event, "subscription_expired");
        assert!(
            !last.detail.as_deref().unwrap_or("").contains("late@"),
            "{last:?}"
        );
    });
}

#[test]
fn a_new_document_version_is_mailed_to_those_who_follow_that_document() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Accept);
    let site = common::example_site();
    block_on(async {
        let s = store(site.path()).await;
        for (email, lang, documents) in [
            ("dpa@example.net", "de", vec!["dpa"]),
            ("all@example.net", "en", vec!["*"]),
            ("other@example.net", "en", vec!["pentest-summary"]),
        ] {
            let new = NewSubscription {
                email: email.into(),
                lang: lang.into(),
                topics: vec!["updates".into()],
                documents: documents.into_iter().map(str::to_owned).collect(),
                consent_text_sha256: "0".repeat(64),
            };
            let id = s
                .subscribe(&new, &Event::default())
                .await
                .unwrap()
                .subscriber()
                .id
                .clone();
            s.confirm_subscription(&id, &Event::default())
                .await
                .unwrap();
        }
        s.close().await;
    });
    // The first run records the history: nobody here follows subprocessors, nothing is mailed.
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Sent 0 mails"), "{text}");

    // DPA 3.2, effective on the day.
    let dir = site.path().join("content/documents/dpa");
    std::fs::copy(dir.join("dpa-3.1-en.pdf"), dir.join("dpa-3.2-en.pdf")).unwrap();
    std::fs::copy(dir.join("avv-3.1-de.pdf"), dir.join("avv-3.2-de.pdf")).unwrap();
    let en = std::fs::read_to_string(dir.join("index.md")).unwrap();
    let en = en.replace("updated: 2026-12-01", "updated: 2026-12-05").replacen(
        "  versions:\n",
        "  versions:\n    - version: \"3.2\"\n      date: 2026-12-05\n      files: {en: dpa-3.2-en.pdf, de: avv-3.2-de.pdf}\n      notes:\n        en: \"Adds the new hosting region.\"\n        de: \"Ergänzt die neue Hosting-Region.\"\n",
        1,
    );
    std::fs::write(dir.join("index.md"), en).unwrap();
    let de = std::fs::read_to_string(dir.join("index.de.md")).unwrap();
    std::fs::write(
        dir.join("index.de.md"),
        de.replace("updated: 2026-12-01", "updated: 2026-12-05"),
    )
    .unwrap();
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    assert!(
        text.contains("(documents: dpa) for 2 subscribers"),
        "{text}"
    );
    let mails = smtp.notices();
    let mut to: Vec<&str> = mails.iter().map(Received::to).collect();
    to.sort();
    assert_eq!(
        to,
        ["all@example.net", "dpa@example.net"],
        "not the follower of another document"
    );
    let de = mails.iter().find(|m| m.to() == "dpa@example.net").unwrap();
    assert_eq!(de.header("Content-Language"), Some("de"));
    assert!(
        de.subject.contains("neue Version von") && de.subject.contains("3.2"),
        "{}",
        de.subject
    );
    assert!(
        de.body.contains("Ergänzt die neue Hosting-Region."),
        "{}",
        de.body
    );
    assert!(
        de.body.contains("Wirksam ab: 5. Dezember 2026"),
        "{}",
        de.body
    );
    assert!(!de.body.contains("/objection/"), "{}", de.body);
    let en = mails.iter().find(|m| m.to() == "all@example.net").unwrap();
    assert!(
        en.subject
            .starts_with("Example Cloud Trust Center: new version of"),
        "{}",
        en.subject
    );
    assert!(
        en.body.contains("Adds the new hosting region."),
        "{}",
        en.body
    );
    assert!(
        en.body
            .contains("Read more: https://trust.example.com/en/documents/dpa/"),
        "{}",
        en.body
    );
}

#[test]
fn advisories_and_updates_are_mailed_to_their_topics_only() {
    let Some(python) = python() else {
        eprintln!("{SKIPPED}");
        return;
    };
    let smtp = Smtp::start(&python, 0.0, Mode::Accept);
    let site = common::example_site();
    add_subscribers(site.path(), 1, "advisories.example", "de", &["advisories"]);
    add_subscribers(site.path(), 1, "updates.example", "en", &["updates"]);
    add_subscribers(site.path(), 1, "documents.example", "en", &["documents"]);
    // The first run records the history; none of these follows subprocessors.
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    assert!(text.contains("Sent 0 mails"), "{text}");

    // A second revision of an interim advisory, and a new page in the updates section.
    let advisory = site
        .path()
        .join("content/advisories/example-sa-2026-002.md");
    let text_of = std::fs::read_to_string(&advisory).unwrap();
    let revised = text_of.replacen(
        "      digest: 394c39c8dfef8bdb\n",
        "      digest: 394c39c8dfef8bdb\n    - number: \"2\"\n      date: 2026-12-05T09:00:00Z\n      summary: \"The fix is deployed.\"\n",
        1,
    );
    assert_ne!(
        revised, text_of,
        "the example advisory changed; update this test"
    );
    std::fs::write(&advisory, revised).unwrap();
    let updates = site.path().join("content/updates");
    std::fs::write(
        updates.join("2026-12-05-new-region.md"),
        "---\ntitle: \"A new hosting region\"\ndescription: \"Customers can now keep their data in a second EU region.\"\ndate: 2026-12-05\n---\nFrom today, a second region is available.\n",
    )
    .unwrap();
    std::fs::write(
        updates.join("2026-12-05-new-region.de.md"),
        "---\ntitle: \"Eine neue Hosting-Region\"\ndescription: \"Kunden können ihre Daten jetzt in einer zweiten EU-Region speichern.\"\ndate: 2026-12-05\n---\nAb heute steht eine zweite Region zur Verfügung.\n",
    )
    .unwrap();

    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    let mails = smtp.notices();
    let mut to: Vec<&str> = mails.iter().map(Received::to).collect();
    to.sort();
    assert_eq!(
        to,
        ["user0@advisories.example", "user0@updates.example"],
        "one mail each, none to the follower of documents: {text}"
    );
    let adv = mails
        .iter()
        .find(|m| m.to() == "user0@advisories.example")
        .unwrap();
    assert_eq!(adv.header("Content-Language"), Some("de"));
    assert!(
        adv.subject.contains("Sicherheitshinweis") && adv.subject.contains("EXAMPLE-SA-2026-002"),
        "{}",
        adv.subject
    );
    assert!(
        adv.body.contains("https://trust.example.com/de/"),
        "the German page: {}",
        adv.body
    );
    assert!(adv.header("List-Unsubscribe-Post").is_some());
    let upd = mails
        .iter()
        .find(|m| m.to() == "user0@updates.example")
        .unwrap();
    assert_eq!(upd.header("Content-Language"), Some("en"));
    assert!(
        upd.subject.ends_with(": A new hosting region"),
        "{}",
        upd.subject
    );
    assert!(
        upd.body
            .contains("Customers can now keep their data in a second EU region."),
        "{}",
        upd.body
    );
    assert!(
        upd.body.contains("https://trust.example.com/en/updates/"),
        "{}",
        upd.body
    );
    // Run again: nothing new.
    let (out, text) = notify(site.path(), &smtp.url(), &[]);
    assert!(out.status.success(), "{text}");
    assert_eq!(smtp.notices().len(), 2, "{text}");
}
