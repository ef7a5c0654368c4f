//! Mail over SMTP: `candor serve` with `CANDOR_SMTP_URL` pointing at a real SMTP server on
//! loopback (aiosmtpd, with a small handler that writes each message it accepts to a JSON file,
//! parsed by Python's own `email` package so that our encoding is checked by another
//! implementation). The confirmation mail arrives there with a working link, and nothing is
//! written to the outbox.
//!
//! Needs a Python with aiosmtpd: `CANDOR_TEST_PYTHON` (scripts/test sets it to Debian's
//! python3, with python3-aiosmtpd installed), else `python3` or `/usr/bin/python3` when one of
//! them has it; otherwise the tests say "skipped" and pass.

mod common;

use std::io::{BufRead as _, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use common::portal::{Server, hidden, link_path, outbox};

/// The SMTP server: aiosmtpd's protocol on a free loopback port (printed on stdout once it
/// listens), each accepted message saved as `NNNN.json` (written to a temp name, then renamed).
const SERVER: &str = r#"
import asyncio, base64, email, email.policy, json, os, sys
from aiosmtpd.smtp import SMTP

out = sys.argv[1]

class Save:
    async def handle_DATA(self, server, session, envelope):
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
        n = len([f for f in os.listdir(out) if f.endswith(".json")])
        if msg.is_multipart():
            body = msg.get_body(preferencelist=("plain",)).get_content()
            attachments = [
                {
                    "filename": part.get_filename(),
                    "content_type": part.get_content_type(),
                    "data": base64.b64encode(part.get_content()).decode(),
                }
                for part in msg.iter_attachments()
            ]
        else:
            body = msg.get_content()
            attachments = []
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "from": str(msg["From"]),
            "to": str(msg["To"]),
            "subject": str(msg["Subject"]),
            "body": body,
            "attachments": attachments,
        }
        tmp = os.path.join(out, ".%04d.tmp" % n)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(out, "%04d.json" % n))
        return "250 Message accepted for delivery"

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Save()), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"#;

const SKIPPED: &str = "skipped: no python3 with aiosmtpd \
     (apt-get install python3-aiosmtpd, or set CANDOR_TEST_PYTHON)";

/// A Python that can import aiosmtpd. `CANDOR_TEST_PYTHON` must; the fallbacks may not.
fn python() -> Option<String> {
    let works = |python: &str| {
        Command::new(python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if let Some(python) = std::env::var("CANDOR_TEST_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
    {
        assert!(
            works(&python),
            "CANDOR_TEST_PYTHON={python} cannot import aiosmtpd"
        );
        return Some(python);
    }
    ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|p| works(p))
        .map(str::to_owned)
}

/// A received message, as Python's `email` package reads it.
#[derive(Debug, serde::Deserialize)]
struct Received {
    mail_from: String,
    rcpt_tos: Vec<String>,
    from: String,
    to: String,
    subject: String,
    body: String,
    #[serde(default)]
    attachments: Vec<Attached>,
}

/// An attachment, as Python's `email` package decodes it.
#[derive(Debug, serde::Deserialize)]
struct Attached {
    filename: String,
    content_type: String,
    /// Base64 of the decoded content.
    data: String,
}

struct SmtpServer {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl SmtpServer {
    fn start(python: &str) -> SmtpServer {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python)
            .args(["-c", SERVER])
            .arg(dir.path())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start the SMTP server");
        let mut line = String::new();
        BufReader::new(child.stdout.take().unwrap())
            .read_line(&mut line)
            .expect("the SMTP server's port");
        let port = line
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("the SMTP server did not start: {line:?}"));
        SmtpServer { child, port, dir }
    }

    fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}", self.port)
    }

    fn files(&self) -> Vec<PathBuf> {
        let mut files: Vec<PathBuf> = std::fs::read_dir(self.dir.path())
            .unwrap()
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "json"))
            .collect();
        files.sort();
        files
    }

    /// Waits until `n` messages arrived; all messages so far.
    fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(30);
        while self.files().len() < n && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.files()
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
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
    let smtp = SmtpServer::start(&python);
    let site = common::example_site();
    let server = Server::start(site.path(), &[("CANDOR_SMTP_URL", &smtp.url())]);
    assert!(server.logs().contains("mail: SMTP"), "{}", server.logs());

    let sent = request_document(&server, "jane@example.org");
    assert_eq!(sent.status, 200, "{}", sent.text());
    let mails = smtp.wait_for(1);
    assert_eq!(mails.len(), 1, "the confirmation mail arrived over SMTP");
    let confirm = &mails[0];
    assert_eq!(confirm.rcpt_tos, ["jane@example.org"]);
    assert_eq!(confirm.to, "jane@example.org");
    assert_eq!(confirm.mail_from, "trust@example.com");
    assert_eq!(
        confirm.from,
        "Example Cloud Trust Center <trust@example.com>"
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
    let smtp = SmtpServer::start(&python);
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
