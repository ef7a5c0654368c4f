//! A real SMTP server on loopback for the mail tests: aiosmtpd's protocol on a free port, with a
//! small handler that writes each message it accepts as `NNNNN.json`, parsed by Python's own
//! `email` package, so that our encoding is checked by another implementation.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// What a test says when no Python has aiosmtpd.
pub const SKIPPED: &str = "skipped: no python3 with aiosmtpd \
     (apt-get install python3-aiosmtpd, or set CANDOR_TEST_PYTHON)";

/// The server: argv = folder, seconds to wait before answering DATA, and a [`Mode`]'s name.
/// An accepted message is saved (to a temp name, then renamed) only if the client is still
/// connected when the answer is due: a client killed mid-DATA never saw the `250`.
const SERVER: &str = r#"
import asyncio, base64, email, email.policy, json, os, sys
from aiosmtpd.smtp import SMTP

out, delay, mode = sys.argv[1], float(sys.argv[2]), sys.argv[3]

def refused(envelope):
    with open(os.path.join(out, "refused.log"), "a") as f:
        f.write(",".join(envelope.rcpt_tos) + "\n")

class Save:
    async def handle_DATA(self, server, session, envelope):
        if delay:
            await asyncio.sleep(delay)
        if mode == "refuse":
            refused(envelope)
            return "451 4.3.0 Try again later"
        if mode == "bounce" and any(r.endswith("@bounce.example") for r in envelope.rcpt_tos):
            refused(envelope)
            return "550 5.1.1 Mailbox does not exist"
        if server.transport is None or server.transport.is_closing():
            return "421 gone"
        msg = email.message_from_bytes(envelope.content, policy=email.policy.default)
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
        n = len([f for f in os.listdir(out) if f.endswith(".json")])
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "subject": str(msg["Subject"]),
            "body": body,
            "headers": {k: str(v) for k, v in msg.items()},
            "attachments": attachments,
        }
        tmp = os.path.join(out, ".%05d.tmp" % n)
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(tmp, os.path.join(out, "%05d.json" % n))
        return "250 Message accepted for delivery"

async def main():
    loop = asyncio.get_running_loop()
    server = await loop.create_server(lambda: SMTP(Save()), "127.0.0.1", 0)
    print(server.sockets[0].getsockname()[1], flush=True)
    await asyncio.Event().wait()

asyncio.run(main())
"#;

/// How the server answers a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// `250` to every message.
    Accept,
    /// `451` (try again later) to every message.
    Refuse,
    /// `550` (no such mailbox) to messages for an address at `bounce.example`; `250` otherwise.
    Bounce,
}

impl Mode {
    fn arg(self) -> &'static str {
        match self {
            Mode::Accept => "ok",
            Mode::Refuse => "refuse",
            Mode::Bounce => "bounce",
        }
    }
}

/// A received message, as Python's `email` package reads it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Received {
    /// The envelope sender.
    pub mail_from: String,
    /// The envelope recipients.
    pub rcpt_tos: Vec<String>,
    /// The decoded subject.
    pub subject: String,
    /// The plain-text body, decoded.
    pub body: String,
    /// Every header, decoded.
    pub headers: BTreeMap<String, String>,
    /// The attachments, decoded.
    pub attachments: Vec<Attached>,
}

impl Received {
    /// A header, by its case-insensitive name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The (first) envelope recipient.
    pub fn to(&self) -> &str {
        &self.rcpt_tos[0]
    }
}

/// An attachment, as Python's `email` package decodes it.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Attached {
    /// Its file name.
    pub filename: String,
    /// Its media type.
    pub content_type: String,
    /// Base64 of the decoded content.
    pub data: String,
}

/// The running server; killed when dropped.
pub struct Smtp {
    child: Child,
    port: u16,
    dir: tempfile::TempDir,
}

impl Smtp {
    /// Starts the server with `python` (see [`super::python::with`]), answering each message
    /// after `delay` seconds as `mode` says.
    pub fn start(python: &str, delay: f64, mode: Mode) -> Smtp {
        let dir = tempfile::tempdir().unwrap();
        let mut child = Command::new(python)
            .args(["-c", SERVER])
            .arg(dir.path())
            .arg(delay.to_string())
            .arg(mode.arg())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
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
        Smtp { child, port, dir }
    }

    /// Its `CANDOR_SMTP_URL`.
    pub fn url(&self) -> String {
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

    /// How many messages were accepted so far.
    pub fn count(&self) -> usize {
        self.files().len()
    }

    /// Every message accepted so far, in the order they arrived.
    pub fn mails(&self) -> Vec<Received> {
        self.files()
            .iter()
            .map(|p| serde_json::from_str(&std::fs::read_to_string(p).unwrap()).unwrap())
            .collect()
    }

    /// Waits (at most a minute) until `n` messages arrived; all messages so far.
    pub fn wait_for(&self, n: usize) -> Vec<Received> {
        let deadline = Instant::now() + Duration::from_secs(60);
        while self.files().len() < n && Instant::now() < deadline {
            std::thread::sleep(Duration::from_millis(20));
        }
        self.mails()
    }

    /// How many messages the server refused.
    pub fn refused(&self) -> usize {
        std::fs::read_to_string(self.dir.path().join("refused.log"))
            .map(|s| s.lines().count())
            .unwrap_or(0)
    }
}

impl Drop for Smtp {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
