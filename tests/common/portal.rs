//! Driving a real `candor serve` over loopback HTTP: a raw HTTP/1.1 client (no normalisation of
//! paths, so traversal attempts reach the server as written), a cookie-keeping "browser", and
//! the outbox.

use std::collections::BTreeMap;
use std::io::{BufRead as _, BufReader, Read as _, Write as _};
use std::net::TcpStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// A running `candor serve --production`.
pub struct Server {
    child: Option<Child>,
    /// `127.0.0.1:port`.
    pub addr: String,
    /// The site folder.
    pub root: PathBuf,
    output: Arc<Mutex<String>>,
}

impl Server {
    /// Starts the server on a free port and waits until the portal listens.
    pub fn start(root: &Path, env: &[(&str, &str)]) -> Server {
        Server::start_mode(root, env, true)
    }

    /// Starts `candor serve` in preview mode (no key configured: the sample certificate).
    pub fn start_preview(root: &Path) -> Server {
        Server::start_mode(root, &[], false)
    }

    fn start_mode(root: &Path, env: &[(&str, &str)], production: bool) -> Server {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_candor"));
        if production {
            Server::production_key(root, &mut cmd);
            cmd.arg("serve").arg("--production");
        } else {
            cmd.arg("serve");
        }
        cmd.args(["--addr", "127.0.0.1:0", "--root"])
            .arg(root)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .env_remove("CANDOR_DATABASE_URL")
            .env_remove("CANDOR_SMTP_URL")
            .env_remove("CANDOR_PORTAL_KEYS");
        Server::spawn(root, cmd, env)
    }

    fn production_key(root: &Path, cmd: &mut Command) {
        // Production needs the key that signs executed agreements: the one `candor keygen
        // --certificate` creates in .candor/keys/ (once per site folder).
        let key = root.join(".candor/keys/agreement-key.pem");
        let cert = root.join(".candor/keys/agreement-cert.pem");
        if !key.exists() {
            let out = Command::new(env!("CARGO_BIN_EXE_candor"))
                .args(["keygen", "--certificate", "--root"])
                .arg(root)
                .output()
                .expect("candor keygen runs");
            assert!(
                out.status.success(),
                "keygen --certificate: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        cmd.env("CANDOR_AGREEMENT_KEY", &key)
            .env("CANDOR_AGREEMENT_CERTIFICATE", &cert);
    }

    fn spawn(root: &Path, mut cmd: Command, env: &[(&str, &str)]) -> Server {
        for (k, v) in env {
            cmd.env(k, v);
        }
        let mut child = cmd.spawn().expect("candor serve starts");
        let output = Arc::new(Mutex::new(String::new()));
        let (tx, rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        for (stream, tx) in [
            (Box::new(stdout) as Box<dyn std::io::Read + Send>, Some(tx)),
            (Box::new(stderr), None),
        ] {
            let out = Arc::clone(&output);
            std::thread::spawn(move || {
                for line in BufReader::new(stream).lines().map_while(Result::ok) {
                    // Logged before the address is announced, so `logs()` has the line as soon as
                    // `start` returns.
                    {
                        let mut o = out.lock().unwrap();
                        o.push_str(&line);
                        o.push('\n');
                    }
                    if let (Some(tx), Some(rest)) = (&tx, line.strip_prefix("Portal on http://")) {
                        let _ = tx.send(rest.split('/').next().unwrap_or("").to_owned());
                    }
                }
            });
        }
        let addr = match rx.recv_timeout(Duration::from_secs(60)) {
            Ok(a) => a,
            Err(_) => {
                let _ = child.kill();
                panic!(
                    "the portal did not start:\n{}",
                    output.lock().unwrap().as_str()
                );
            }
        };
        Server {
            child: Some(child),
            addr,
            root: root.to_owned(),
            output,
        }
    }

    /// Everything the server printed so far (stdout and stderr).
    pub fn logs(&self) -> String {
        self.output.lock().unwrap().clone()
    }

    /// Sends SIGTERM and waits for the exit; returns the logs.
    pub fn stop(mut self) -> String {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .args(["-TERM", &child.id().to_string()])
                .status();
            let deadline = Instant::now() + Duration::from_secs(40);
            while Instant::now() < deadline {
                if let Ok(Some(_)) = child.try_wait() {
                    break;
                }
                std::thread::sleep(Duration::from_millis(20));
            }
            let _ = child.kill();
            let _ = child.wait();
        }
        std::thread::sleep(Duration::from_millis(50));
        self.logs()
    }

    /// A fresh browser for this server.
    pub fn browser(&self) -> Browser {
        Browser {
            addr: self.addr.clone(),
            cookie: None,
        }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

/// An HTTP response.
#[derive(Debug, Clone)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers, names lower-case.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Vec<u8>,
}

impl Response {
    /// The first header `name` (lower-case).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// The body as text.
    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// Sends one request (`Connection: close`) with the path exactly as given.
pub fn request(
    addr: &str,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    body: Option<&[u8]>,
) -> Response {
    let mut stream = TcpStream::connect(addr).expect("connect");
    stream
        .set_read_timeout(Some(Duration::from_secs(60)))
        .unwrap();
    let mut head = format!("{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n");
    for (k, v) in headers {
        head.push_str(&format!("{k}: {v}\r\n"));
    }
    if let Some(b) = body {
        head.push_str(&format!("Content-Length: {}\r\n", b.len()));
    }
    head.push_str("\r\n");
    stream.write_all(head.as_bytes()).unwrap();
    if let Some(b) = body {
        stream.write_all(b).unwrap();
    }
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).expect("read the response");
    parse_response(&raw)
}

fn parse_response(raw: &[u8]) -> Response {
    let end = raw
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .expect("a complete response head");
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status: u16 = lines
        .next()
        .and_then(|l| l.split(' ').nth(1))
        .and_then(|s| s.parse().ok())
        .expect("a status line");
    let headers: Vec<(String, String)> = lines
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    let mut body = raw[end + 4..].to_vec();
    if headers
        .iter()
        .any(|(k, v)| k == "transfer-encoding" && v.contains("chunked"))
    {
        body = dechunk(&body);
    }
    Response {
        status,
        headers,
        body,
    }
}

fn dechunk(mut data: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    loop {
        let Some(nl) = data.windows(2).position(|w| w == b"\r\n") else {
            return out;
        };
        let size = usize::from_str_radix(
            String::from_utf8_lossy(&data[..nl])
                .split(';')
                .next()
                .unwrap()
                .trim(),
            16,
        )
        .unwrap_or(0);
        if size == 0 {
            return out;
        }
        out.extend_from_slice(&data[nl + 2..nl + 2 + size]);
        data = &data[nl + 2 + size + 2..];
    }
}

/// URL-encodes a form.
pub fn form(fields: &[(&str, &str)]) -> Vec<u8> {
    fields
        .iter()
        .map(|(k, v)| {
            format!(
                "{}={}",
                percent_encoding::utf8_percent_encode(k, percent_encoding::NON_ALPHANUMERIC),
                percent_encoding::utf8_percent_encode(v, percent_encoding::NON_ALPHANUMERIC)
            )
        })
        .collect::<Vec<_>>()
        .join("&")
        .into_bytes()
}

/// A client that keeps the portal's CSRF cookie, like a browser.
#[derive(Clone)]
pub struct Browser {
    /// Server address.
    pub addr: String,
    /// The cookie (`name=value`).
    pub cookie: Option<String>,
}

impl Browser {
    fn remember(&mut self, r: &Response) {
        if let Some(c) = r.header("set-cookie") {
            self.cookie = c.split(';').next().map(str::to_owned);
        }
    }

    /// GET.
    pub fn get(&mut self, path: &str) -> Response {
        let cookie = self.cookie.clone();
        let mut headers = vec![("User-Agent", "candor-test/1.0")];
        if let Some(c) = &cookie {
            headers.push(("Cookie", c));
        }
        let r = request(&self.addr, "GET", path, &headers, None);
        self.remember(&r);
        r
    }

    /// POST an urlencoded form.
    pub fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Response {
        let cookie = self.cookie.clone();
        let mut headers = vec![
            ("User-Agent", "candor-test/1.0"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ];
        if let Some(c) = &cookie {
            headers.push(("Cookie", c));
        }
        let r = request(&self.addr, "POST", path, &headers, Some(&form(fields)));
        self.remember(&r);
        r
    }
}

/// The value of the hidden input `name` in a page.
pub fn hidden(html: &str, name: &str) -> Option<String> {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html.find(&marker)? + marker.len();
    let end = html[start..].find('"')?;
    Some(html[start..start + end].to_owned())
}

/// Every `action="…"` in a page, in order.
pub fn actions(html: &str) -> Vec<String> {
    html.match_indices("action=\"")
        .filter_map(|(i, m)| {
            let rest = &html[i + m.len()..];
            rest.find('"').map(|e| rest[..e].to_owned())
        })
        .collect()
}

/// The raw `.eml` files in the outbox, oldest first.
pub fn outbox_raw(root: &Path) -> Vec<String> {
    let dir = root.join(".candor/outbox");
    let mut files: Vec<_> = std::fs::read_dir(&dir)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "eml"));
    files.sort_by_key(|p| std::fs::metadata(p).and_then(|m| m.modified()).ok());
    files
        .iter()
        .map(|p| std::fs::read_to_string(p).unwrap())
        .collect()
}

/// The PDF attached to a raw multipart mail (base64, as lettre encodes attachments).
pub fn pdf_attachment(raw: &str) -> Option<Vec<u8>> {
    use base64::Engine as _;
    let raw = raw.replace("\r\n", "\n");
    let at = raw.find("Content-Type: application/pdf")?;
    let part = &raw[at..];
    let (_, rest) = part.split_once("\n\n")?;
    let end = rest.find("\n--").unwrap_or(rest.len());
    let compact: String = rest[..end].split_whitespace().collect();
    base64::engine::general_purpose::STANDARD
        .decode(compact)
        .ok()
}

/// The mails in the outbox, oldest first: (recipient, subject, body), decoded by [`parse_mail`].
pub fn outbox(root: &Path) -> Vec<(String, String, String)> {
    outbox_raw(root).iter().map(|m| parse_mail(m)).collect()
}

/// A mail as lettre wrote it, as its reader sees it: (recipient, subject, body). Undoes what
/// lettre applies: folded header lines, RFC 2047 encoded words (a subject with “quotes”), and
/// quoted-printable or base64 bodies (the mailer sends 8bit, but falls back to lettre's choice
/// for lines over 998 octets, and lettre's own chooser turns to quoted-printable at 76).
pub fn parse_mail(raw: &str) -> (String, String, String) {
    use base64::Engine as _;
    let raw = raw.replace("\r\n", "\n");
    let (head, body) = raw.split_once("\n\n").unwrap_or((&raw, ""));
    let mut fields: Vec<(String, String)> = Vec::new();
    for line in head.lines() {
        match (line.starts_with([' ', '\t']), fields.last_mut()) {
            (true, Some((_, value))) => value.push_str(line),
            _ => {
                if let Some((name, value)) = line.split_once(':') {
                    fields.push((name.trim().to_ascii_lowercase(), value.trim().to_owned()));
                }
            }
        }
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(n, _)| n == name)
            .map_or("", |(_, v)| v.as_str())
    };
    let body = match field("content-transfer-encoding")
        .to_ascii_lowercase()
        .as_str()
    {
        "quoted-printable" => {
            let joined = body.replace("=\n", "");
            String::from_utf8(unquote(&joined, false)).expect("UTF-8 body")
        }
        "base64" => {
            let compact: String = body.split_whitespace().collect();
            String::from_utf8(
                base64::engine::general_purpose::STANDARD
                    .decode(compact)
                    .expect("base64 body"),
            )
            .expect("UTF-8 body")
        }
        _ => body.to_owned(),
    };
    (
        decode_words(field("to")),
        decode_words(field("subject")),
        body,
    )
}

/// `=XX` escapes decoded (and `_` as a space in RFC 2047 `Q` words).
fn unquote(s: &str, underscore_is_space: bool) -> Vec<u8> {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (bytes[i], hex) {
            (b'=', Some(b)) => {
                out.push(b);
                i += 3;
            }
            (b'_', _) if underscore_is_space => {
                out.push(b' ');
                i += 1;
            }
            (b, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    out
}

/// A header value with its RFC 2047 encoded words (UTF-8, `B` or `Q`) decoded; whitespace
/// between two adjacent encoded words is dropped, as the RFC says.
fn decode_words(value: &str) -> String {
    use base64::Engine as _;
    let word = regex::Regex::new(r"=\?(?i:utf-8)\?([bBqQ])\?([^?]*)\?=").unwrap();
    let mut out = String::new();
    let mut last = 0;
    let mut after_word = false;
    for m in word.captures_iter(value) {
        let whole = m.get(0).unwrap();
        let gap = &value[last..whole.start()];
        if !(after_word && gap.trim().is_empty()) {
            out.push_str(gap);
        }
        let text = &m[2];
        let bytes = if m[1].eq_ignore_ascii_case("b") {
            base64::engine::general_purpose::STANDARD
                .decode(text)
                .expect("a base64 encoded word")
        } else {
            unquote(text, true)
        };
        out.push_str(&String::from_utf8(bytes).expect("a UTF-8 encoded word"));
        last = whole.end();
        after_word = true;
    }
    out.push_str(&value[last..]);
    out
}

/// The first portal link in a mail body, as a path on the test server.
pub fn link_path(body: &str) -> Option<String> {
    let start = body.find("https://trust.example.com/portal/")?;
    let rest = &body[start + "https://trust.example.com".len()..];
    let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    Some(rest[..end].to_owned())
}

/// Waits until `n` mails are in the outbox.
pub fn wait_for_mails(root: &Path, n: usize) -> Vec<(String, String, String)> {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let mails = outbox(root);
        if mails.len() >= n || Instant::now() > deadline {
            return mails;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Requests, confirms (auto-approved) and returns the grant link's path.
pub fn granted(server: &Server, b: &mut Browser, doc: &str) -> String {
    let path = format!("/portal/en/request/{doc}");
    let page = b.get(&path);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    let r = b.post(
        &path,
        &[
            ("csrf", &csrf),
            ("name", "Jane Doe"),
            ("email", "jane@example.org"),
            ("company", "Acme"),
            ("reason", "Review"),
            ("nda", "accept"),
        ],
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let n = outbox(&server.root).len();
    let mails = wait_for_mails(&server.root, n);
    let confirm = link_path(&mails.last().unwrap().2).unwrap();
    let page = b.get(&confirm);
    let csrf = hidden(&page.text(), "csrf").unwrap();
    let action = actions(&page.text())
        .into_iter()
        .find(|a| a.starts_with("/portal/"))
        .unwrap();
    assert_eq!(b.post(&action, &[("csrf", &csrf)]).status, 200);
    let mails = wait_for_mails(&server.root, n + 1);
    link_path(&mails.last().unwrap().2).unwrap()
}

/// A download token path from a grant link.
pub fn token_path(b: &mut Browser, grant: &str) -> String {
    let landing = b.get(grant);
    let html = landing.text();
    let csrf = hidden(&html, "csrf").unwrap();
    let file = hidden(&html, "file").unwrap();
    let r = b.post(grant, &[("csrf", &csrf), ("file", &file)]);
    assert_eq!(r.status, 303);
    r.header("location").unwrap().to_owned()
}

// ---- concluding agreements online (tests/agreements.rs, tests/admin_console.rs) ----------

/// Asks for a signing link for `doc` and returns its path (from the mail).
pub fn request_link(b: &mut Browser, root: &Path, lang: &str, doc: &str, email: &str) -> String {
    let path = format!("/portal/{lang}/sign/{doc}");
    let page = b.get(&path);
    assert_eq!(page.status, 200, "{}", page.text());
    let csrf = hidden(&page.text(), "csrf").expect("a CSRF token");
    let before = outbox_raw(root).len();
    let r = b.post(&path, &[("csrf", &csrf), ("email", email)]);
    assert_eq!(r.status, 200, "{}", r.text());
    let mails = wait_for_mails(root, before + 1);
    let (to, subject, body) = mails.last().expect("the signing link mail").clone();
    assert_eq!(to, email);
    assert!(!subject.is_empty());
    let link = link_path(&body).expect("a link in the mail");
    assert!(
        link.starts_with(&format!("/portal/{lang}/sign/link/")),
        "{link}"
    );
    link
}

/// Opens the mailed link (GET shows a button and changes nothing), confirms the address
/// (POST), and returns the signing form.
pub fn confirm(b: &mut Browser, link: &str) -> String {
    let page = b.get(link);
    assert_eq!(page.status, 200);
    let html = page.text();
    assert!(
        !html.contains("name=\"company\""),
        "GET only offers to confirm"
    );
    let csrf = hidden(&html, "csrf").unwrap();
    let form = b.post(link, &[("csrf", &csrf)]);
    assert_eq!(form.status, 200, "{}", form.text());
    let html = form.text();
    assert!(html.contains("name=\"company\""), "{html}");
    html
}

pub fn fields<'a>(overrides: &[(&'a str, &'a str)]) -> BTreeMap<&'a str, &'a str> {
    let mut f: BTreeMap<&str, &str> = [
        ("company", "Müller & Söhne Logistik GmbH"),
        ("address", "Hafenstraße 12\n20457 Hamburg"),
        ("registration", "HRB 123456"),
        ("privacy_contact", "datenschutz@mueller-logistik.example"),
        ("signatory_name", "Dr. Anna Müller"),
        ("signatory_title", "Geschäftsführerin"),
        ("signatory_email", "anna.mueller@mueller-logistik.example"),
        ("language", "de"),
        ("accept", "accept"),
    ]
    .into_iter()
    .collect();
    for (k, v) in overrides {
        f.insert(k, v);
    }
    f
}

pub fn execute(b: &mut Browser, link: &str, form_html: &str, f: &BTreeMap<&str, &str>) -> Response {
    let csrf = hidden(form_html, "csrf").unwrap();
    let mut all: Vec<(&str, &str)> = f.iter().map(|(k, v)| (*k, *v)).collect();
    all.push(("csrf", &csrf));
    b.post(&format!("{link}/execute"), &all)
}
