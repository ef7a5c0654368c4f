//! Objections to subprocessor changes end to end (issue 19): `candor serve` as a process, the
//! objection form over loopback HTTP, mail read from the outbox, the store read with SQL and
//! `candor objections list`.

mod common;

use std::path::Path;

use common::portal::{
    Browser, Response, Server, actions, granted, hidden, link_path, outbox, outbox_raw,
    wait_for_mails,
};
use common::{edit_file, example_site, run_in as run};

/// Generous limits for the tests that post many forms (requests, links, downloads, admin).
const MANY: &[(&str, &str)] = &[("CANDOR_PORTAL_LIMITS", "1000,1000,30,30")];
/// The example's change that took effect when it was announced (2026-10-15): objections to it
/// are late.
const LATE: &str = "2026-10-15-added-example-vault-storage-gmbh";
/// A removal of the example's (not objectable).
const REMOVAL: &str = "2026-12-01-removed-example-status-ltd";

/// Adds an upcoming change (announced today, effective in 45 days) to the example's register
/// and returns its id: objections to it are in time whenever the test runs.
fn upcoming_change(root: &Path) -> String {
    let today = chrono::Utc::now().date_naive();
    let effective = today + chrono::Days::new(45);
    edit_file(&root.join("content/_data/subprocessors.yaml"), |t| {
        t.replacen(
            "changes:",
            &format!(
                "changes:\n  - date: {today}\n    effective: {effective}\n    kind: changed\n    name: \"Example Telemetry Oy\"\n    description:\n      en: \"Error monitoring moves to a second data centre.\"\n      de: \"Die Fehlerüberwachung zieht in ein zweites Rechenzentrum um.\"\n"
            ),
            1,
        )
    });
    format!("{effective}-changed-example-telemetry-oy")
}

/// Rows of the objections table: (id, change, company, contact, email, reason, lang,
/// confirmed, late, grant, subscribed).
#[allow(clippy::type_complexity)]
fn rows(
    root: &Path,
) -> Vec<(
    String,
    String,
    String,
    String,
    String,
    String,
    String,
    bool,
    bool,
    Option<String>,
    bool,
)> {
    use sqlx::Row as _;
    let (rt, mut db) = common::sqlite(root, true);
    let rows = rt
        .block_on(
            sqlx::query(
                "SELECT id, change_id, company, contact, email, reason, lang, confirmed_at, late, \
                 grant_id, subscribed FROM objections ORDER BY received_at, id",
            )
            .fetch_all(&mut db),
        )
        .unwrap();
    rows.iter()
        .map(|r| {
            (
                r.get(0),
                r.get(1),
                r.get(2),
                r.get(3),
                r.get(4),
                r.get(5),
                r.get(6),
                r.get::<Option<i64>, _>(7).is_some(),
                r.get::<i64, _>(8) != 0,
                r.get(9),
                r.get::<i64, _>(10) != 0,
            )
        })
        .collect()
}

fn audit(root: &Path) -> Vec<serde_json::Value> {
    let (ok, out, err) = run(root, &["audit", "export", "--json"]);
    assert!(ok, "{err}");
    serde_json::from_str::<serde_json::Value>(&out)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

/// Opens the objection form for `change` in `lang` and posts `fields` with its CSRF token.
fn post_form(b: &mut Browser, lang: &str, change: &str, fields: &[(&str, &str)]) -> Response {
    let path = format!("/portal/{lang}/objection/{change}");
    let page = b.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post(&path, &all)
}

fn object(b: &mut Browser, lang: &str, change: &str, email: &str, reason: &str) -> Response {
    post_form(
        b,
        lang,
        change,
        &[
            ("company", "Müller & Söhne GmbH"),
            ("name", "Anna Müller"),
            ("email", email),
            ("reason", reason),
        ],
    )
}

/// Presses the only portal form on the page at `link`.
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

/// The mails to `to`, waiting until there are `n`: (subject, body).
fn mails_to(root: &Path, to: &str, n: usize) -> Vec<(String, String)> {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let mails: Vec<(String, String)> = outbox(root)
            .into_iter()
            .filter(|(rcpt, _, _)| rcpt.contains(to))
            .map(|(_, s, b)| (s, b))
            .collect();
        if mails.len() >= n || std::time::Instant::now() > deadline {
            return mails;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

#[test]
fn an_objection_counts_once_the_address_is_confirmed_and_is_mailed_in_english_and_german() {
    let site = example_site();
    let root = site.path();
    let change = upcoming_change(root);
    let server = Server::start(root, MANY);
    let mut b = server.browser();

    // jane@example.org has a grant (example.org is approved at once).
    let grant_link = granted(&server, &mut b, "pentest-summary");
    assert!(grant_link.starts_with("/portal/en/grant/"), "{grant_link}");
    let before = outbox(root).len();

    // The form shows the change.
    let page = b.get(&format!("/portal/en/objection/{change}"));
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        html.contains("Object to a change: Example Telemetry Oy"),
        "{html}"
    );
    assert!(html.contains("Changed: Example Telemetry Oy"));
    assert!(html.contains("Error monitoring moves to a second data centre."));
    assert!(html.contains("Objections until"));
    assert!(!html.contains("recorded as late"), "in time");
    for name in ["company", "name", "email", "reason", "csrf"] {
        assert!(html.contains(&format!("name=\"{name}\"")), "{name}");
    }

    let sent = object(
        &mut b,
        "en",
        &change,
        "jane@example.org",
        "Our DPA forbids transfers;\r\nsee clause 7 at https://evil.example/x.",
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    assert!(sent.text().contains("Check your inbox"), "{}", sent.text());
    let mails = wait_for_mails(root, before + 1);
    let (to, subject, body) = mails.last().unwrap().clone();
    assert_eq!(to, "jane@example.org");
    assert!(subject.contains("Confirm your objection"), "{subject}");
    let confirm = link_path(&body).expect("a link");
    assert!(
        confirm.starts_with("/portal/en/objection/confirm/v1."),
        "{confirm}"
    );

    // Not an objection yet: unconfirmed, listed nowhere.
    let stored = rows(root);
    assert_eq!(stored.len(), 1);
    assert!(!stored[0].7, "unconfirmed");
    let (ok, out, err) = run(root, &["objections", "list"]);
    assert!(ok, "{err}");
    assert_eq!(out.trim(), "No objections.");

    // Opening the link (twice, as a mail scanner would) records nothing.
    for _ in 0..2 {
        let page = b.get(&confirm);
        assert_eq!(page.status, 200);
        let html = page.text();
        assert!(html.contains("Confirm and send my objection"), "{html}");
        assert!(html.contains("Müller &amp; Söhne GmbH"));
    }
    assert!(!rows(root)[0].7, "GET confirms nothing");
    assert_eq!(outbox(root).len(), before + 1, "GET mails nothing");

    let done = press(&mut b, &confirm);
    assert_eq!(done.status, 200, "{}", done.text());
    let text = done.text();
    assert!(text.contains("Objection received"), "{text}");
    let stored = rows(root);
    let (id, change_id, company, contact, email, reason, lang, confirmed, late, grant, _) =
        stored[0].clone();
    assert!(text.contains(&id), "the reference is shown");
    assert_eq!(change_id, change);
    assert_eq!(company, "Müller & Söhne GmbH");
    assert_eq!(contact, "Anna Müller");
    assert_eq!(email, "jane@example.org");
    assert_eq!(
        reason,
        "Our DPA forbids transfers;\nsee clause 7 at https://evil.example/x."
    );
    assert_eq!(lang, "en");
    assert!(confirmed && !late);
    assert!(
        grant.as_deref().is_some_and(|g| g.starts_with('g')),
        "the address's grant is the evidence: {grant:?}"
    );

    // The privacy team's mail (contacts.privacy) and the customer's receipt.
    let team = mails_to(root, "privacy@example.com", 1);
    assert_eq!(team.len(), 1);
    let (subject, body) = &team[0];
    assert!(subject.contains(&format!("Objection {id}")), "{subject}");
    assert!(body.contains("Company: Müller & Söhne GmbH"), "{body}");
    assert!(body.contains("Contact person: Anna Müller"), "{body}");
    assert!(
        body.contains("E-mail (confirmed): jane@example.org"),
        "{body}"
    );
    assert!(body.contains(&format!("({change})")), "{body}");
    assert!(body.contains("Late: no"), "{body}");
    assert!(body.contains("Evidence: active grant g"), "{body}");
    assert!(
        body.contains("https[:]//evil[.]example/x[.]"),
        "the objector's text is defanged: {body}"
    );
    let receipts = mails_to(root, "jane@example.org", 4);
    let (subject, body) = receipts.last().unwrap();
    assert!(
        subject.contains(&format!("Your objection {id}")),
        "{subject}"
    );
    assert!(body.contains(&format!("Reference: {id}")), "{body}");
    assert!(body.contains("Changed: Example Telemetry Oy"), "{body}");
    assert!(!body.contains("late"), "{body}");

    // Confirming again changes nothing.
    let csrf = hidden(
        &b.get(&format!("/portal/en/objection/{change}")).text(),
        "csrf",
    )
    .unwrap();
    let again = b.post(&confirm, &[("csrf", &csrf)]);
    assert!(
        again.text().contains("Already confirmed"),
        "{}",
        again.text()
    );
    assert_eq!(rows(root).len(), 1);

    // In German: the pages and the receipt in German, the team's mail in the site's language.
    let sent = object(
        &mut b,
        "de",
        &change,
        "kunde@kunde.example",
        "Wir widersprechen.",
    );
    assert_eq!(sent.status, 200);
    assert!(sent.text().contains("Bitte prüfen Sie Ihr Postfach"));
    let mails = mails_to(root, "kunde@kunde.example", 1);
    assert!(
        mails[0].0.contains("Bestätigen Sie Ihren Widerspruch"),
        "{}",
        mails[0].0
    );
    let confirm = link_path(&mails[0].1).unwrap();
    assert!(confirm.starts_with("/portal/de/objection/confirm/"));
    let done = press(&mut b, &confirm);
    assert!(
        done.text().contains("Widerspruch eingegangen"),
        "{}",
        done.text()
    );
    let receipts = mails_to(root, "kunde@kunde.example", 2);
    let (subject, body) = &receipts[1];
    assert!(subject.starts_with("Ihr Widerspruch o"), "{subject}");
    assert!(body.contains("Aktenzeichen: o"), "{body}");
    assert!(body.contains("Geändert: Example Telemetry Oy"), "{body}");
    let team = mails_to(root, "privacy@example.com", 2);
    assert!(team[1].1.contains("Language: de"), "{}", team[1].1);
    assert!(
        team[1].1.contains("Evidence: confirmed address only"),
        "{}",
        team[1].1
    );

    // Audited, with the address.
    let events = audit(root);
    let mine: Vec<&serde_json::Value> = events
        .iter()
        .filter(|e| e["event"].as_str().unwrap().starts_with("objection_"))
        .collect();
    let kinds: Vec<&str> = mine.iter().map(|e| e["event"].as_str().unwrap()).collect();
    assert_eq!(
        kinds,
        [
            "objection_requested",
            "objection_confirmed",
            "objection_requested",
            "objection_confirmed"
        ]
    );
    assert_eq!(mine[1]["email"], "jane@example.org");
    assert!(mine[1]["detail"].as_str().unwrap().contains(&id));

    // The CLI lists both, in every format, and by change.
    let (ok, out, err) = run(root, &["objections", "list"]);
    assert!(ok, "{err}");
    assert!(out.starts_with("received (UTC)"), "{out}");
    assert!(out.contains(&id) && out.contains(&change), "{out}");
    assert!(
        out.contains("Müller & Söhne GmbH, Anna Müller <jane@example.org> (active grant g"),
        "{out}"
    );
    assert!(
        out.contains("Reason: Our DPA forbids transfers; see clause 7"),
        "line breaks flattened: {out}"
    );
    let (ok, csv, _) = run(root, &["objections", "list", "--format", "csv"]);
    assert!(ok);
    let lines: Vec<&str> = csv.lines().collect();
    assert!(
        lines[0].starts_with("id,received_at,confirmed_at,late,change_id,"),
        "{csv}"
    );
    assert!(csv.contains(&format!("{id},")), "{csv}");
    assert!(
        csv.contains("\"Our DPA forbids transfers;\nsee clause 7 at https://evil.example/x.\""),
        "a reason with a line break is one quoted field: {csv}"
    );
    let (ok, json, _) = run(
        root,
        &[
            "objections",
            "list",
            "--format",
            "json",
            "--change",
            &change,
        ],
    );
    assert!(ok);
    let list: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(list.as_array().unwrap().len(), 2);
    assert!(
        list.as_array()
            .unwrap()
            .iter()
            .any(|o| o["id"] == id.as_str() && o["late"] == false)
    );
    let (ok, none, _) = run(root, &["objections", "list", "--change", LATE]);
    assert!(ok);
    assert_eq!(none.trim(), "No objections.");
    let (ok, _, err) = run(root, &["objections", "list", "--format", "xml"]);
    assert!(!ok && err.contains("xml"), "{err}");
    drop(server);
}

#[test]
fn an_objection_after_the_deadline_is_accepted_and_marked_late() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    let page = b.get(&format!("/portal/de/objection/{LATE}"));
    assert_eq!(page.status, 200);
    assert!(
        page.text().contains("wird als verspätet erfasst"),
        "the form says it is late: {}",
        page.text()
    );
    let sent = object(
        &mut b,
        "en",
        LATE,
        "late@customer.test",
        "Too late, we know.",
    );
    assert_eq!(sent.status, 200, "{}", sent.text());
    let mails = mails_to(root, "late@customer.test", 1);
    let done = press(&mut b, &link_path(&mails[0].1).unwrap());
    assert_eq!(done.status, 200);
    assert!(
        done.text().contains("Objection received (late)"),
        "{}",
        done.text()
    );
    let stored = rows(root);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].7 && stored[0].8, "confirmed and late");
    let receipts = mails_to(root, "late@customer.test", 2);
    assert!(
        receipts[1].1.contains("your objection is recorded as late"),
        "{}",
        receipts[1].1
    );
    let team = mails_to(root, "privacy@example.com", 1);
    assert!(team[0].1.contains("Late: yes"), "{}", team[0].1);
    let (ok, out, _) = run(root, &["objections", "list"]);
    assert!(ok && out.contains("LATE"), "{out}");
}

#[test]
fn unknown_changes_are_not_found_and_removals_cannot_be_objected_to() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    for (path, words) in [
        (
            "/portal/en/objection/2030-01-01-added-nobody",
            "no such change",
        ),
        (
            "/portal/de/objection/2030-01-01-added-nobody",
            "keine solche änderung",
        ),
        (
            "/portal/xx/objection/2026-10-15-added-example-vault-storage-gmbh",
            "no such change",
        ),
    ] {
        let r = b.get(path);
        assert_eq!(r.status, 404, "{path}");
        assert!(
            r.text().to_lowercase().contains(words),
            "{path}: {}",
            r.text()
        );
        // Not the wording of a missing confidential document.
        assert!(!r.text().contains("confidential document"), "{path}");
    }
    // The way back leads to the trust center in the visitor's language.
    let r = b.get("/portal/de/objection/2030-01-01-added-nobody");
    assert!(
        r.text().contains("href=\"https://trust.example.com/de/\""),
        "{}",
        r.text()
    );
    let r = b.get(&format!("/portal/en/objection/{REMOVAL}"));
    assert_eq!(r.status, 200);
    let html = r.text();
    assert!(html.contains("No objection needed"), "{html}");
    assert!(html.contains("Example Status Ltd."), "{html}");
    assert!(!html.contains("name=\"reason\""), "no form");
    // Posting to it anyway stores and mails nothing.
    let csrf = hidden(
        &b.get(&format!("/portal/en/objection/{LATE}")).text(),
        "csrf",
    )
    .unwrap();
    let r = b.post(
        &format!("/portal/en/objection/{REMOVAL}"),
        &[
            ("csrf", &csrf),
            ("company", "Acme"),
            ("name", "Jane Doe"),
            ("email", "jane@acme.example"),
            ("reason", "No"),
        ],
    );
    assert!(r.text().contains("No objection needed"));
    assert!(rows(root).is_empty());
    assert!(outbox_raw(root).is_empty());
}

#[test]
fn header_injection_and_malformed_addresses_are_refused_with_a_clear_error_and_nothing_stored() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    let good = [
        ("company", "Acme GmbH"),
        ("name", "Jane Doe"),
        ("email", "jane@acme.example"),
        ("reason", "We object."),
    ];
    let with = |field: &str, value: &'static str| -> Vec<(String, String)> {
        good.iter()
            .map(|(k, v)| {
                (
                    (*k).to_owned(),
                    if *k == field { value } else { *v }.to_owned(),
                )
            })
            .collect()
    };
    let cases: Vec<(&str, &str, &str)> = vec![
        (
            "company",
            "Acme\r\nBcc: eve@evil.example",
            "“Company” contains characters",
        ),
        (
            "company",
            "Acme\nBcc: eve@evil.example",
            "“Company” contains characters",
        ),
        (
            "name",
            "Jane\r\nBcc: eve@evil.example",
            "“Contact person” contains characters",
        ),
        ("name", "Jane\rDoe", "“Contact person” contains characters"),
        (
            "email",
            "jane@acme.example\r\nBcc: eve@evil.example",
            "“Work e-mail address” contains characters",
        ),
        (
            "email",
            "jane@acme.example\nBcc: eve@evil.example",
            "“Work e-mail address” contains characters",
        ),
        ("email", "jane", "Enter a valid work e-mail address"),
        (
            "email",
            "jane@localhost",
            "Enter a valid work e-mail address",
        ),
        (
            "email",
            "Jane <jane@acme.example>",
            "Enter a valid work e-mail address",
        ),
        (
            "email",
            "jane@acme.example, eve@evil.example",
            "Enter a valid work e-mail address",
        ),
        (
            "email",
            "jane@@acme.example",
            "Enter a valid work e-mail address",
        ),
        (
            "reason",
            "We object.\rBcc: eve@evil.example",
            "“Reason for your objection” contains characters",
        ),
        (
            "reason",
            "We object.\u{0}",
            "“Reason for your objection” contains characters",
        ),
        ("company", "", "Enter the name of your company."),
        ("reason", "", "Tell us why you object to this change."),
    ];
    let change = LATE;
    for (field, value, message) in cases {
        let fields = with(field, value);
        let borrowed: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        let r = post_form(&mut b, "en", change, &borrowed);
        assert_eq!(r.status, 422, "{field}={value:?}: {}", r.text());
        let html = r.text();
        assert!(html.contains(message), "{field}={value:?}: {html}");
        assert!(
            html.contains(&format!("href=\"#{field}\"")),
            "the error names its field: {field}"
        );
        assert!(rows(root).is_empty(), "{field}={value:?}: nothing stored");
        assert!(
            outbox_raw(root).is_empty(),
            "{field}={value:?}: nothing mailed"
        );
    }
    // A reason too long.
    let long = "x".repeat(4001);
    let mut fields = good.to_vec();
    fields[3] = ("reason", long.as_str());
    let r = post_form(&mut b, "en", change, &fields);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("at most 4000 characters"));
    // Without the CSRF token.
    let r = b.post(&format!("/portal/en/objection/{change}"), &good);
    assert_eq!(r.status, 403);
    assert!(rows(root).is_empty() && outbox_raw(root).is_empty());

    // The reason may have line breaks: they stay in the body of the privacy team's mail and
    // start no header there.
    let r = post_form(
        &mut b,
        "en",
        change,
        &[
            ("company", "Acme GmbH"),
            ("name", "Jane Doe"),
            ("email", "jane@acme.example"),
            (
                "reason",
                "We object.\r\nBcc: eve@evil.example\r\nSubject: hi",
            ),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let mails = mails_to(root, "jane@acme.example", 1);
    press(&mut b, &link_path(&mails[0].1).unwrap());
    mails_to(root, "privacy@example.com", 1);
    for raw in outbox_raw(root) {
        let raw = raw.replace("\r\n", "\n");
        let head = raw.split("\n\n").next().unwrap();
        assert!(!head.to_lowercase().contains("bcc"), "{head}");
        assert!(!head.contains("eve@evil"), "{head}");
    }
    let team = mails_to(root, "privacy@example.com", 1);
    assert!(
        team[0].1.contains("Bcc: eve[at]evil[.]example"),
        "{}",
        team[0].1
    );
}

#[test]
fn the_form_is_rate_limited_per_network_and_mail_per_address() {
    let site = example_site();
    let root = site.path();
    // Three forms an hour per network.
    let server = Server::start(root, &[("CANDOR_PORTAL_LIMITS", "3,1000,30,30")]);
    let mut b = server.browser();
    for i in 0..3 {
        let r = object(&mut b, "en", LATE, "jane@acme.example", "We object.");
        assert_eq!(r.status, 200, "form {i}: {}", r.text());
    }
    let r = object(&mut b, "en", LATE, "other@acme.example", "We object.");
    assert_eq!(r.status, 429, "{}", r.text());
    assert!(r.header("retry-after").is_some());
    // The address had three unconfirmed objections: the third answer was the same page, and
    // at most three confirmation mails go to one address a day (the fourth would be quiet).
    drop(server);
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    let quiet = object(&mut b, "en", LATE, "jane@acme.example", "We object.");
    assert_eq!(quiet.status, 200);
    assert!(quiet.text().contains("Check your inbox"));
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(
        mails_to(root, "jane@acme.example", 3).len(),
        3,
        "three confirmation mails to one address a day"
    );
    assert_eq!(rows(root).len(), 3, "the quiet one is not stored");
    assert!(rows(root).iter().all(|r| !r.7), "none confirmed");
    let (ok, out, _) = run(root, &["objections", "list"]);
    assert!(ok);
    assert_eq!(out.trim(), "No objections.");
}

#[test]
fn the_subprocessor_page_links_each_objectable_upcoming_change_to_the_form() {
    let site = example_site();
    let root = site.path();
    let change = upcoming_change(root);
    let out = root.join("public-test");
    let (ok, _, err) = run(
        root,
        &["build", "--quiet", "--output", out.to_str().unwrap()],
    );
    assert!(ok, "{err}");
    let pages = common::html_files(&out);
    let link = |lang: &str, id: &str| format!("/portal/{lang}/objection/{id}");
    let en = pages
        .values()
        .find(|h| h.contains(&link("en", &change)))
        .expect("an English page links the form");
    assert!(en.contains(">Object to this change</a>"), "{en}");
    assert!(
        en.contains(&link("en", "2027-01-11-added-example-shield-gmbh"))
            || chrono::Utc::now().date_naive()
                >= chrono::NaiveDate::from_ymd_opt(2027, 1, 11).unwrap(),
        "the example's upcoming addition"
    );
    let de = pages
        .values()
        .find(|h| h.contains(&link("de", &change)))
        .expect("a German page links the form");
    assert!(de.contains(">Dieser Änderung widersprechen</a>"));
    // Removals and changes in force get no link to the form (the register still anchors
    // them as `#change-<id>` for the feeds).
    for id in [REMOVAL, LATE] {
        for lang in ["en", "de"] {
            assert!(
                !pages.values().any(|h| h.contains(&link(lang, id))),
                "{lang}: {id} is linked to the objection form"
            );
        }
    }
    assert!(
        pages
            .values()
            .any(|h| h.contains(&format!("id=change-{REMOVAL}"))
                || h.contains(&format!("id=\"change-{REMOVAL}\""))),
        "the removal keeps its anchor"
    );
}

/// Sets every pending objection mail due now, as if the retry delay had passed (the portal is
/// stopped meanwhile).
fn make_mails_due_now(root: &Path) -> u64 {
    let (rt, mut db) = common::sqlite(root, false);
    rt.block_on(
        sqlx::query("UPDATE objections SET mail_due = 0 WHERE mail_due IS NOT NULL")
            .execute(&mut db),
    )
    .unwrap()
    .rows_affected()
}

#[test]
fn mails_that_fail_at_confirmation_are_sent_later_and_the_objection_stands() {
    let site = example_site();
    let root = site.path();
    let change = upcoming_change(root);
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    let sent = object(&mut b, "de", &change, "kunde@kunde.example", "Nein.");
    assert_eq!(sent.status, 200, "{}", sent.text());
    let (_, _, body) = wait_for_mails(root, 1).last().unwrap().clone();
    let confirm = link_path(&body).expect("a link");

    // Mail cannot leave now: the outbox folder is a file.
    let folder = root.join(".candor/outbox");
    let saved = root.join(".candor/outbox.saved");
    std::fs::rename(&folder, &saved).unwrap();
    std::fs::write(&folder, "not a folder").unwrap();
    let done = press(&mut b, &confirm);
    assert_eq!(done.status, 200, "{}", done.text());
    assert!(
        done.text().contains("Widerspruch eingegangen"),
        "the objection is recorded whatever the mail does: {}",
        done.text()
    );
    let stored = rows(root);
    assert_eq!(stored.len(), 1);
    assert!(stored[0].7, "confirmed");
    let logs = server.stop();
    let line = logs
        .lines()
        .find(|l| l.contains("its mails failed"))
        .unwrap_or_else(|| panic!("the failure is logged: {logs}"));
    assert!(!line.contains('@'), "no address in the log: {line}");

    // Later (the retry delay passed), a restarted portal sends them: once.
    std::fs::remove_file(&folder).unwrap();
    std::fs::rename(&saved, &folder).unwrap();
    assert_eq!(make_mails_due_now(root), 1, "one objection's mails are due");
    let server = Server::start(root, MANY);
    let team = mails_to(root, "privacy@example.com", 1);
    assert_eq!(team.len(), 1, "{:?}", outbox(root));
    assert!(team[0].0.contains(&stored[0].0), "{:?}", team[0]);
    let receipts = mails_to(root, "kunde@kunde.example", 2);
    assert_eq!(receipts.len(), 2, "the link, then the receipt");
    assert!(
        receipts[1].0.contains(&stored[0].0),
        "the receipt names the reference: {:?}",
        receipts[1]
    );
    let logs = server.stop();
    assert!(
        logs.contains("sent the mails of 1 objections that were due"),
        "{logs}"
    );
    // Nothing is due any more: another start sends nothing.
    assert_eq!(make_mails_due_now(root), 0);
    let before = outbox(root).len();
    let server = Server::start(root, MANY);
    std::thread::sleep(std::time::Duration::from_millis(300));
    drop(server);
    assert_eq!(outbox(root).len(), before);
}
