//! Subscriptions end to end (issue 19): `candor serve` as a process, the portal's forms over
//! loopback HTTP, mail read from the outbox (headers included), the store read with SQL.

mod common;

use std::path::Path;

use common::example_site;
use common::portal::{
    Browser, Response, Server, actions, hidden, link_path, outbox_raw, parse_mail, request,
    wait_for_mails,
};
use common::run_in as run;

/// Generous limits for the tests that post many forms (requests, links, downloads, admin).
const MANY: &[(&str, &str)] = &[("CANDOR_PORTAL_LIMITS", "1000,1000,30,30")];

/// Rows of the subscribers table: (email, lang, topics, documents, status, consent hash).
fn subscribers(root: &Path) -> Vec<(String, String, String, String, String, String)> {
    use sqlx::Row as _;
    let (rt, mut db) = common::sqlite(root, true);
    let rows = rt
        .block_on(
            sqlx::query(
                "SELECT email, lang, topics, documents, status, consent_text_sha256 FROM subscribers ORDER BY email",
            )
            .fetch_all(&mut db),
        )
        .unwrap();
    rows.iter()
        .map(|r| (r.get(0), r.get(1), r.get(2), r.get(3), r.get(4), r.get(5)))
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

fn sha256(s: &str) -> String {
    use sha2::Digest as _;
    sha2::Sha256::digest(s.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Opens the portal's form in `lang` and posts it with `fields` (the CSRF token added).
fn post_form(b: &mut Browser, lang: &str, fields: &[(&str, &str)]) -> Response {
    let path = format!("/portal/{lang}/subscribe");
    let page = b.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token");
    let mut all = vec![("csrf", csrf.as_str())];
    all.extend_from_slice(fields);
    b.post(&path, &all)
}

fn subscribe(b: &mut Browser, lang: &str, email: &str, topics: &[(&str, &str)]) -> Response {
    let mut fields = vec![("email", email), ("consent", "yes")];
    fields.extend_from_slice(topics);
    post_form(b, lang, &fields)
}

/// A header of a raw mail, unfolded.
fn mail_header(raw: &str, name: &str) -> Option<String> {
    let raw = raw.replace("\r\n", "\n");
    let head = raw.split("\n\n").next().unwrap();
    let mut value: Option<String> = None;
    for line in head.lines() {
        if let Some(v) = value.as_mut() {
            if line.starts_with([' ', '\t']) {
                v.push_str(line.trim_start());
                continue;
            }
            return value;
        }
        if let Some((n, v)) = line.split_once(':')
            && n.eq_ignore_ascii_case(name)
        {
            value = Some(v.trim().to_owned());
        }
    }
    value
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

#[test]
fn a_new_and_an_existing_address_get_the_same_answer_and_only_a_post_confirms() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();

    let first = subscribe(
        &mut b,
        "en",
        "jane@example.org",
        &[("topic", "subprocessors")],
    );
    assert_eq!(first.status, 200, "{}", first.text());
    assert!(
        first.text().contains("Check your inbox"),
        "{}",
        first.text()
    );
    let mails = wait_for_mails(root, 1);
    assert_eq!(mails.len(), 1);
    let raw = &outbox_raw(root)[0];
    let (to, subject, body) = parse_mail(raw);
    assert_eq!(to, "jane@example.org");
    assert!(subject.contains("Confirm your subscription"), "{subject}");
    assert!(body.contains("Subprocessor changes"), "{body}");
    // Every mail: the one-click unsubscribe headers, the language, and the visible links.
    let unsubscribe = mail_header(raw, "List-Unsubscribe").expect("List-Unsubscribe");
    assert!(
        unsubscribe.starts_with("<https://trust.example.com/portal/en/unsubscribe/v1.")
            && unsubscribe.ends_with('>'),
        "{unsubscribe}"
    );
    assert_eq!(
        mail_header(raw, "List-Unsubscribe-Post").as_deref(),
        Some("List-Unsubscribe=One-Click")
    );
    assert_eq!(mail_header(raw, "Content-Language").as_deref(), Some("en"));
    assert!(body.contains("Unsubscribe: https://trust.example.com/portal/en/unsubscribe/v1."));
    assert!(body.contains(
        "Change your topics: https://trust.example.com/portal/en/subscribe/preferences/v1."
    ));
    let confirm = link_path(&body).unwrap();
    assert!(
        confirm.starts_with("/portal/en/subscribe/confirm/v1."),
        "{confirm}"
    );

    // The consent is stored with its language and the hash of the sentence shown.
    let rows = subscribers(root);
    assert_eq!(rows.len(), 1);
    let consent = "I agree to receive e-mail about the topics I chose. I can unsubscribe at any time with the link in every mail.";
    assert_eq!(rows[0].1, "en");
    assert_eq!(rows[0].2, "subprocessors");
    assert_eq!(rows[0].4, "pending");
    assert_eq!(rows[0].5, sha256(consent));

    // Opening the link (as a mail scanner would, twice, and with HEAD) confirms nothing.
    for _ in 0..2 {
        let page = b.get(&confirm);
        assert_eq!(page.status, 200);
        assert!(page.text().contains("Confirm my subscription"));
    }
    assert_eq!(subscribers(root)[0].4, "pending");
    let confirmed = press(&mut b, &confirm);
    assert_eq!(confirmed.status, 200, "{}", confirmed.text());
    assert!(confirmed.text().contains("Subscription confirmed"));
    assert_eq!(subscribers(root)[0].4, "active");
    let mails = wait_for_mails(root, 2);
    assert!(mails[1].1.contains("You are subscribed"), "{}", mails[1].1);

    // Subscribing the address again (now active) and a new address: the same page, word for
    // word but the address; the active subscription is not changed from the form.
    let again = subscribe(&mut b, "en", "jane@example.org", &[("topic", "advisories")]);
    let new = subscribe(&mut b, "en", "john@example.org", &[("topic", "advisories")]);
    assert_eq!(again.status, new.status);
    assert_eq!(
        again.text().replace("jane@example.org", "X"),
        new.text().replace("john@example.org", "X")
    );
    let rows = subscribers(root);
    assert_eq!(rows[0].0, "jane@example.org");
    assert_eq!(
        rows[0].2, "subprocessors",
        "an active subscription keeps its topics"
    );
    assert_eq!(rows[1].4, "pending");
    // The owner of the address hears that someone tried, with the links, and no confirm link.
    let mails = wait_for_mails(root, 4);
    let already = mails
        .iter()
        .find(|m| m.1.contains("Your subscription"))
        .unwrap();
    assert_eq!(already.0, "jane@example.org");
    assert!(!already.2.contains("/subscribe/confirm/"), "{}", already.2);

    // One address gets at most three subscription mails a day; the answer stays the same.
    for _ in 0..3 {
        let r = subscribe(&mut b, "en", "john@example.org", &[("topic", "updates")]);
        assert_eq!(r.text(), new.text());
    }
    std::thread::sleep(std::time::Duration::from_millis(300));
    let to_john = common::portal::outbox(root)
        .iter()
        .filter(|m| m.0 == "john@example.org")
        .count();
    assert_eq!(to_john, 3, "three mails to one address a day");

    // Every subscription row of the audit log names the address only by its SHA-256.
    let rows = audit(root);
    let text = serde_json::to_string(&rows).unwrap();
    assert!(!text.contains("jane@example.org") && !text.contains("john@example.org"));
    let events: Vec<&str> = rows.iter().map(|r| r["event"].as_str().unwrap()).collect();
    assert!(events.contains(&"subscription_requested"));
    assert!(events.contains(&"subscription_confirmed"));
    assert!(text.contains(&sha256("jane@example.org")));
}

#[test]
fn one_click_unsubscribe_deletes_the_address_and_leaves_a_hashed_audit_row() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    subscribe(&mut b, "en", "jane@example.org", &[("topic", "updates")]);
    let mails = wait_for_mails(root, 1);
    press(&mut b, &link_path(&mails[0].2).unwrap());
    wait_for_mails(root, 2);
    let raw = &outbox_raw(root)[1];
    let header = mail_header(raw, "List-Unsubscribe").unwrap();
    let url = header.trim_start_matches('<').trim_end_matches('>');
    let path = url.strip_prefix("https://trust.example.com").unwrap();

    // GET shows a button and changes nothing.
    let page = b.get(path);
    assert_eq!(page.status, 200);
    assert!(page.text().contains("<button"), "{}", page.text());
    assert_eq!(subscribers(root).len(), 1);

    // RFC 8058: a POST of `List-Unsubscribe=One-Click`, without cookie or CSRF token, as a
    // mail provider sends it.
    let r = request(
        &server.addr,
        "POST",
        path,
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"List-Unsubscribe=One-Click"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(r.text().contains("You are unsubscribed"));
    assert!(subscribers(root).is_empty(), "the row is deleted");
    // Again: the same answer.
    let again = request(
        &server.addr,
        "POST",
        path,
        &[],
        Some(b"List-Unsubscribe=One-Click"),
    );
    assert_eq!(again.status, 200);
    assert_eq!(subscribers(root).len(), 0);
    // The preferences link of the same mail now says so, too.
    let prefs = link_path(&parse_mail(raw).2).unwrap();
    assert!(b.get(&prefs).text().contains("You are unsubscribed"));

    let rows = audit(root);
    let last = rows
        .iter()
        .rfind(|r| r["event"] == "unsubscribed")
        .expect("an unsubscribed row");
    assert!(last["email"].is_null());
    assert!(last["ip"].is_null() && last["user_agent"].is_null());
    assert!(
        last["detail"]
            .as_str()
            .unwrap()
            .contains(&sha256("jane@example.org"))
    );
    assert_eq!(
        rows.iter().filter(|r| r["event"] == "unsubscribed").count(),
        1
    );
    assert!(
        !serde_json::to_string(&rows)
            .unwrap()
            .contains("jane@example.org")
    );
    let (ok, out, err) = run(root, &["audit", "verify"]);
    assert!(ok, "{out}{err}");

    // A forged token gets the generic refusal and deletes nothing.
    let forged = request(
        &server.addr,
        "POST",
        "/portal/en/unsubscribe/v1.x.y.z",
        &[],
        None,
    );
    assert_eq!(forged.status, 403);
}

#[test]
fn preferences_change_the_topics_in_german() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    let r = subscribe(
        &mut b,
        "de",
        "jana@example.org",
        &[("topic", "subprocessors")],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    assert!(
        r.text().contains("Bitte prüfen Sie Ihr Postfach"),
        "{}",
        r.text()
    );
    let mails = wait_for_mails(root, 1);
    assert!(
        mails[0].1.contains("Bestätigen Sie Ihr Abonnement"),
        "{}",
        mails[0].1
    );
    assert!(
        mails[0]
            .2
            .contains("Änderungen bei Unterauftragsverarbeitern")
    );
    assert_eq!(
        mail_header(&outbox_raw(root)[0], "Content-Language").as_deref(),
        Some("de")
    );
    let confirm = link_path(&mails[0].2).unwrap();
    assert!(
        confirm.starts_with("/portal/de/subscribe/confirm/"),
        "{confirm}"
    );
    let done = press(&mut b, &confirm);
    assert!(
        done.text().contains("Abonnement bestätigt"),
        "{}",
        done.text()
    );
    let mails = wait_for_mails(root, 2);
    assert!(
        mails[1]
            .2
            .contains("Abmelden: https://trust.example.com/portal/de/unsubscribe/")
    );
    let prefs = link_path(&mails[1].2).unwrap();
    assert!(
        prefs.starts_with("/portal/de/subscribe/preferences/"),
        "{prefs}"
    );

    let page = b.get(&prefs);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(html.contains("Ihr Abonnement"));
    assert!(html.contains("value=\"subprocessors\" checked"), "{html}");
    let doc = hidden_checkbox_value(&html, "doc").expect("documents to choose from");
    let csrf = hidden(&html, "csrf").unwrap();
    let saved = b.post(
        &prefs,
        &[("csrf", &csrf), ("topic", "advisories"), ("doc", &doc)],
    );
    assert_eq!(saved.status, 200, "{}", saved.text());
    assert!(saved.text().contains("Ihre Themen sind gespeichert"));
    let rows = subscribers(root);
    assert_eq!(rows[0].2, "advisories");
    assert_eq!(rows[0].3, doc);
    assert_eq!(rows[0].4, "active");

    // No topic at all: a message, nothing changed.
    let none = b.post(&prefs, &[("csrf", &csrf)]);
    assert_eq!(none.status, 422);
    assert!(none.text().contains("Wählen Sie mindestens ein Thema"));
    assert_eq!(subscribers(root)[0].2, "advisories");
    assert!(
        audit(root)
            .iter()
            .any(|r| r["event"] == "subscription_changed")
    );
}

/// The value of the first checkbox named `name`.
fn hidden_checkbox_value(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

#[test]
fn malformed_addresses_and_line_breaks_in_any_field_are_refused_and_nothing_is_stored() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    for bad in [
        "jane",
        "jane@localhost",
        "Jane <jane@acme.example>",
        "jane@acme.example, eve@evil.example",
        "jane@@acme.example",
    ] {
        let r = subscribe(&mut b, "en", bad, &[("topic", "updates")]);
        assert_eq!(r.status, 422, "{bad}: {}", r.text());
        assert!(
            r.text().contains("Enter a valid work e-mail address"),
            "{bad}"
        );
    }
    let inject = "\r\nBcc: eve@evil.example";
    let email = format!("jane@example.org{inject}");
    let topic = format!("updates{inject}");
    let doc = format!("dpa{inject}");
    let consent = format!("yes{inject}");
    let cases: [(Vec<(&str, &str)>, &str); 4] = [
        (
            vec![("email", &email), ("consent", "yes"), ("topic", "updates")],
            "contains characters that are not allowed",
        ),
        (
            vec![
                ("email", "jane@example.org"),
                ("consent", "yes"),
                ("topic", &topic),
            ],
            "“Topics” contains characters that are not allowed",
        ),
        (
            vec![
                ("email", "jane@example.org"),
                ("consent", "yes"),
                ("doc", &doc),
            ],
            "“Topics” contains characters that are not allowed",
        ),
        (
            vec![
                ("email", "jane@example.org"),
                ("consent", &consent),
                ("topic", "updates"),
            ],
            "Tick the box to agree",
        ),
    ];
    for (fields, message) in cases {
        let r = post_form(&mut b, "en", &fields);
        assert_eq!(r.status, 422, "{fields:?}: {}", r.text());
        assert!(r.text().contains(message), "{fields:?}: {}", r.text());
        assert!(r.text().contains("role=\"alert\""));
        // What was typed comes back (escaped), so nothing is lost.
        assert!(
            r.text().contains("value=\"jane@example.org"),
            "{}",
            r.text()
        );
    }
    // The CSRF field: the form has expired.
    let path = "/portal/en/subscribe";
    let csrf = format!("{}{inject}", hidden(&b.get(path).text(), "csrf").unwrap());
    let r = b.post(
        path,
        &[
            ("csrf", &csrf),
            ("email", "jane@example.org"),
            ("consent", "yes"),
            ("topic", "updates"),
        ],
    );
    assert_eq!(r.status, 403);
    assert!(r.text().contains("The form has expired"));
    // Without consent or topics: a message each.
    let r = post_form(&mut b, "en", &[("email", "jane@example.org")]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("Tick the box to agree"));
    assert!(r.text().contains("Choose at least one topic"));

    assert!(subscribers(root).is_empty());
    std::thread::sleep(std::time::Duration::from_millis(200));
    assert!(outbox_raw(root).is_empty(), "no mail was sent");

    // The German form says it in German.
    let r = subscribe(&mut b, "de", &email, &[("topic", "updates")]);
    assert_eq!(r.status, 422);
    assert!(r.text().contains("unzulässige Zeichen"), "{}", r.text());
}

#[test]
fn a_thousand_subscriptions_from_one_ip_get_429_after_the_limit() {
    let site = example_site();
    let root = site.path();
    // The default limits: ten forms an hour per IP network.
    let server = Server::start(root, &[]);
    let mut b = server.browser();
    let path = "/portal/en/subscribe";
    let csrf = hidden(&b.get(path).text(), "csrf").unwrap();
    let mut ok = 0;
    let mut limited = 0;
    for i in 0..1000 {
        let email = format!("bulk{i}@example.org");
        let r = b.post(
            path,
            &[
                ("csrf", &csrf),
                ("email", &email),
                ("consent", "yes"),
                ("topic", "updates"),
            ],
        );
        match r.status {
            200 => {
                assert_eq!(limited, 0, "no success after the first 429");
                ok += 1;
            }
            429 => {
                assert!(r.header("retry-after").is_some());
                limited += 1;
            }
            s => panic!("{i}: {s} {}", r.text()),
        }
    }
    assert_eq!(ok, 10);
    assert_eq!(limited, 990);
    assert_eq!(subscribers(root).len(), 10);
    std::thread::sleep(std::time::Duration::from_millis(300));
    assert_eq!(outbox_raw(root).len(), 10);
}

#[test]
fn the_sites_form_posts_to_the_portal_which_asks_for_consent_before_storing_anything() {
    let site = example_site();
    let root = site.path();
    let server = Server::start(root, MANY);
    let mut b = server.browser();
    for (page, action) in [
        ("/en/subprocessors/", "/portal/en/subscribe"),
        ("/de/unterauftragsverarbeiter/", "/portal/de/subscribe"),
    ] {
        let html = b.get(page).text();
        assert!(
            actions(&html).contains(&action.to_owned()),
            "{page}: {html}"
        );
        assert!(html.contains("<legend>"), "{page}");
    }
    // No cookie, no CSRF token: the site's form.
    let r = request(
        &server.addr,
        "POST",
        "/portal/en/subscribe",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"step=site&email=jane%40example.org&topic=subprocessors&topic=advisories"),
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let html = r.text();
    assert!(html.contains("value=\"jane@example.org\""), "{html}");
    assert!(html.contains("value=\"subprocessors\" checked"));
    assert!(html.contains("value=\"advisories\" checked"));
    assert!(!html.contains("value=\"updates\" checked"));
    assert!(html.contains("name=\"consent\""));
    assert!(hidden(&html, "csrf").is_some());
    assert!(subscribers(root).is_empty());
    assert!(outbox_raw(root).is_empty());
    // Without `step=site` a post without a token is refused as usual.
    let r = request(
        &server.addr,
        "POST",
        "/portal/en/subscribe",
        &[("Content-Type", "application/x-www-form-urlencoded")],
        Some(b"email=jane%40example.org&consent=yes&topic=updates"),
    );
    assert_eq!(r.status, 403);
    assert!(subscribers(root).is_empty());
}
