//! Outgoing mail: `.eml` files in an outbox folder by default (so the whole flow can be followed
//! without a mail server), or SMTP with TLS/STARTTLS when `CANDOR_SMTP_URL` is set, both through
//! lettre.

use std::path::{Path, PathBuf};

use lettre::message::Body;
use lettre::message::Mailbox;
use lettre::message::header::{ContentTransferEncoding, ContentType};
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport as _, Message, Tokio1Executor,
};

/// Environment variable with the SMTP URL, e.g. `smtp://user:pass@mail.example.com:587?tls=required`
/// (STARTTLS) or `smtps://…:465` (TLS); plain `smtp://host:port` only for a relay on loopback.
pub const SMTP_ENV: &str = "CANDOR_SMTP_URL";

/// Problems sending mail.
#[derive(Debug, thiserror::Error)]
pub enum MailError {
    /// The configuration is wrong.
    #[error("mail configuration: {0}")]
    Config(String),
    /// An address could not be used.
    #[error("invalid address: {0}")]
    Address(String),
    /// Building the message failed.
    #[error("cannot build the message: {0}")]
    Build(#[from] lettre::error::Error),
    /// SMTP delivery failed.
    #[error("SMTP: {0}")]
    Smtp(#[from] lettre::transport::smtp::Error),
    /// Writing to the outbox failed.
    #[error("outbox: {0}")]
    File(#[from] lettre::transport::file::Error),
}

impl MailError {
    /// Whether sending the same message again cannot succeed: an SMTP 5xx answer (RFC 5321
    /// §4.2.1, a permanent negative completion) or a message that cannot be built. Connection
    /// failures, timeouts and 4xx answers are transient.
    pub fn is_permanent(&self) -> bool {
        match self {
            MailError::Smtp(e) => e.is_permanent(),
            MailError::Address(_) | MailError::Build(_) | MailError::Config(_) => true,
            MailError::File(_) => false,
        }
    }

    /// The error in words without addresses (servers often echo the recipient; an invalid
    /// address is one): words with an `@` become `<address>`, so that logs, `--status` and the
    /// outbox never show one.
    pub fn redacted(&self) -> String {
        redact(&self.to_string())
    }
}

fn redact(error: &str) -> String {
    error
        .split(' ')
        .map(|w| if w.contains('@') { "<address>" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How mail leaves.
#[derive(Clone)]
enum Transport {
    Outbox(AsyncFileTransport<Tokio1Executor>, PathBuf),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// Sends the portal's mails.
#[derive(Clone)]
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The SMTP URL may carry credentials: never print it.
        let kind = match &self.transport {
            Transport::Outbox(_, dir) => format!("outbox {}", dir.display()),
            Transport::Smtp(_) => "smtp".to_owned(),
        };
        f.debug_struct("Mailer")
            .field("transport", &kind)
            .field("from", &self.from.to_string())
            .finish()
    }
}

impl Mailer {
    /// SMTP when `CANDOR_SMTP_URL` is set, else the outbox `<root>/.candor/outbox/`.
    pub fn from_env(root: &Path, from: &str) -> Result<Mailer, MailError> {
        match std::env::var(SMTP_ENV) {
            Ok(url) if !url.is_empty() => Mailer::smtp(&url, from),
            _ => Mailer::outbox(&root.join(".candor").join("outbox"), from),
        }
    }

    /// Writes every mail as an `.eml` file into `dir`.
    pub fn outbox(dir: &Path, from: &str) -> Result<Mailer, MailError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| MailError::Config(format!("cannot create {}: {e}", dir.display())))?;
        Ok(Mailer {
            transport: Transport::Outbox(AsyncFileTransport::new(dir), dir.to_owned()),
            from: parse_mailbox(from)?,
        })
    }

    /// Delivers over SMTP.
    pub fn smtp(url: &str, from: &str) -> Result<Mailer, MailError> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|_| MailError::Config(format!("{SMTP_ENV} is not a valid SMTP URL")))?
            .timeout(Some(std::time::Duration::from_secs(20)))
            .build();
        Ok(Mailer {
            transport: Transport::Smtp(transport),
            from: parse_mailbox(from)?,
        })
    }

    /// The outbox folder, when mail goes there.
    pub fn outbox_dir(&self) -> Option<&Path> {
        match &self.transport {
            Transport::Outbox(_, dir) => Some(dir),
            Transport::Smtp(_) => None,
        }
    }

    /// Sends a plain-text mail.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), MailError> {
        let message = Message::builder()
            .from(self.from.clone())
            .to(parse_mailbox(to)?)
            .subject(subject)
            .header(ContentType::TEXT_PLAIN)
            .body(eight_bit(body))?;
        self.deliver(message).await
    }

    /// Sends a plain-text mail to a subscriber: with `Content-Language: lang`, and the one-click
    /// unsubscribe of RFC 8058 (`List-Unsubscribe: <unsubscribe>` and `List-Unsubscribe-Post:
    /// List-Unsubscribe=One-Click`); the body carries the same link for people to see. Mail
    /// providers act on these headers only in mail whose DKIM signature covers them (the MTA's
    /// part).
    pub async fn send_to_subscriber(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        lang: &str,
        unsubscribe: &str,
    ) -> Result<(), MailError> {
        let message = self.subscriber_message(to, subject, body, lang, unsubscribe, None)?;
        self.deliver(message).await
    }

    /// Sends a notice to a subscriber as [`Mailer::send_to_subscriber`] does, with the given
    /// `Message-ID` (`<…@…>`, fixed when the notice was queued, so that a resent message keeps
    /// it).
    pub async fn send_notice(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        lang: &str,
        unsubscribe: &str,
        message_id: &str,
    ) -> Result<(), MailError> {
        let message =
            self.subscriber_message(to, subject, body, lang, unsubscribe, Some(message_id))?;
        self.deliver(message).await
    }

    /// The domain of the sender's address (for Message-IDs).
    pub fn from_domain(&self) -> String {
        self.from.email.domain().to_owned()
    }

    fn subscriber_message(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        lang: &str,
        unsubscribe: &str,
        message_id: Option<&str>,
    ) -> Result<Message, MailError> {
        use lettre::message::header::{HeaderName, HeaderValue};
        let https = unsubscribe.starts_with("https://") || unsubscribe.starts_with("http://");
        if !https || unsubscribe.contains(|c: char| c.is_whitespace() || c.is_control() || c == '>')
        {
            return Err(MailError::Config(
                "an unsubscribe link must be one http(s) URL".into(),
            ));
        }
        if lang.is_empty() || !lang.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            return Err(MailError::Config(format!("not a language tag: {lang:?}")));
        }
        if let Some(id) = message_id {
            let ok = id.starts_with('<')
                && id.ends_with('>')
                && id.contains('@')
                && id[1..id.len() - 1]
                    .bytes()
                    .all(|b| b.is_ascii_graphic() && b != b'<' && b != b'>');
            if !ok {
                return Err(MailError::Config("not a Message-ID".into()));
            }
        }
        // Subjects are made from UI strings and site content: no line break may reach a header.
        let subject: String = subject
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .collect();
        let mut builder = Message::builder()
            .from(self.from.clone())
            .to(parse_mailbox(to)?)
            .subject(subject)
            .date_now()
            .header(ContentType::TEXT_PLAIN)
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("Content-Language"),
                lang.to_owned(),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe"),
                format!("<{unsubscribe}>"),
            ))
            .raw_header(HeaderValue::new(
                HeaderName::new_from_ascii_str("List-Unsubscribe-Post"),
                "List-Unsubscribe=One-Click".to_owned(),
            ));
        if let Some(id) = message_id {
            builder = builder.message_id(Some(id.to_owned()));
        }
        Ok(builder.body(eight_bit(body))?)
    }

    /// Sends a plain-text mail with a PDF attached (`name` is the attachment's file name).
    pub async fn send_with_pdf(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        name: &str,
        pdf: Vec<u8>,
    ) -> Result<(), MailError> {
        self.send_with_attachments(
            to,
            subject,
            body,
            vec![(name.to_owned(), "application/pdf", pdf)],
        )
        .await
    }

    /// Sends a plain-text mail with files attached: (file name, media type, bytes).
    pub async fn send_with_attachments(
        &self,
        to: &str,
        subject: &str,
        body: &str,
        files: Vec<(String, &str, Vec<u8>)>,
    ) -> Result<(), MailError> {
        use lettre::message::{Attachment, MultiPart, SinglePart};
        let mut parts = MultiPart::mixed().singlepart(
            SinglePart::builder()
                .header(ContentType::TEXT_PLAIN)
                .body(eight_bit(body)),
        );
        for (name, media_type, bytes) in files {
            let media_type =
                ContentType::parse(media_type).map_err(|e| MailError::Config(e.to_string()))?;
            parts = parts.singlepart(Attachment::new(name).body(bytes, media_type));
        }
        let message = Message::builder()
            .from(self.from.clone())
            .to(parse_mailbox(to)?)
            .subject(subject)
            .multipart(parts)?;
        self.deliver(message).await
    }

    async fn deliver(&self, message: Message) -> Result<(), MailError> {
        match &self.transport {
            Transport::Outbox(t, _) => {
                t.send(message).await?;
            }
            Transport::Smtp(t) => {
                t.send(message).await?;
            }
        }
        Ok(())
    }
}

/// The body as 8bit text with CRLF line ends: links stay on one line, readable and clickable in
/// the `.eml` files and in every mail client. RFC 5322 allows lines of up to 998 octets; lettre's
/// own chooser would switch to quoted-printable at 76, breaking links across lines. Longer lines
/// (never in our messages) fall back to lettre's choice.
fn eight_bit(body: &str) -> Body {
    let text = body.replace("\r\n", "\n");
    if text.lines().any(|l| l.len() > 998) || text.contains('\0') {
        return Body::new(body.to_owned());
    }
    Body::dangerous_pre_encoded(
        text.replace('\n', "\r\n").into_bytes(),
        ContentTransferEncoding::EightBit,
    )
}

fn parse_mailbox(s: &str) -> Result<Mailbox, MailError> {
    s.parse::<Mailbox>()
        .map_err(|_| MailError::Address(s.chars().take(100).collect()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_in_errors_are_redacted() {
        assert_eq!(
            redact("permanent error (550): 5.1.1 <jane@example.net>: unknown"),
            "permanent error (550): 5.1.1 <address> unknown"
        );
        let e = MailError::Address("jane@@example.net".into());
        assert_eq!(e.redacted(), "invalid address: <address>");
    }

    #[tokio::test]
    async fn a_notice_has_its_headers_and_no_line_break_from_content_reaches_a_header() {
        let dir = tempfile::tempdir().unwrap();
        let mailer = Mailer::outbox(dir.path(), "Trust <trust@example.com>").unwrap();
        assert_eq!(mailer.from_domain(), "example.com");
        mailer
            .send_notice(
                "jane@example.net",
                "News\r\nBcc: victim@example.org",
                "Body\nline two",
                "de",
                "https://trust.example.com/portal/de/unsubscribe/v1.x",
                "<nabc.odef@example.com>",
            )
            .await
            .unwrap();
        let file = std::fs::read_dir(dir.path())
            .unwrap()
            .next()
            .unwrap()
            .unwrap()
            .path();
        let raw = std::fs::read_to_string(file).unwrap();
        let head = raw.split("\r\n\r\n").next().unwrap();
        assert!(!head.lines().any(|l| l.starts_with("Bcc:")), "{head}");
        assert!(
            head.contains("Message-ID: <nabc.odef@example.com>"),
            "{head}"
        );
        assert!(head.contains("Content-Language: de"), "{head}");
        assert!(
            head.contains("List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
            "{head}"
        );
        assert!(head.lines().any(|l| l.starts_with("Date: ")), "{head}");
        // A Message-ID or an unsubscribe link that could break a header is refused.
        for (id, link) in [
            ("<a@b>\r\nBcc: x", "https://a.example/u"),
            ("no-brackets@b", "https://a.example/u"),
            ("<a@b>", "https://a.example/u>\r\nBcc: x"),
        ] {
            assert!(
                mailer
                    .send_notice("jane@example.net", "S", "B", "en", link, id)
                    .await
                    .is_err(),
                "{id:?} {link:?}"
            );
        }
    }
}
