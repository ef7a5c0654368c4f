//! The tamper-evident audit log: append-only rows, each carrying the hash of the previous row and
//! its own hash, SHA-256 over the previous hash and the row's canonical form. A separate head
//! record (last sequence number and hash) makes the removal of the newest rows detectable too.

use serde::Serialize;
use sha2::{Digest as _, Sha256};

/// The hash before the first row.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// An access request was submitted.
    Request,
    /// The requester proved the e-mail address.
    EmailVerified,
    /// A request was approved (automatically or by an admin); a grant was created.
    Approved,
    /// A request was rejected.
    Rejected,
    /// A pending request expired.
    Expired,
    /// The grant link's landing page was opened.
    LinkOpened,
    /// A download token was issued from the landing page.
    TokenIssued,
    /// A file was downloaded.
    Download,
    /// A grant was revoked.
    Revoked,
    /// A token, link or download was refused.
    Failed,
    /// Someone asked to conclude an agreement online (an e-mail address to prove).
    AgreementRequested,
    /// An agreement was concluded online.
    AgreementSigned,
    /// An executed agreement was downloaded.
    AgreementDownload,
}

impl EventKind {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Request => "request",
            EventKind::EmailVerified => "email_verified",
            EventKind::Approved => "approved",
            EventKind::Rejected => "rejected",
            EventKind::Expired => "expired",
            EventKind::LinkOpened => "link_opened",
            EventKind::TokenIssued => "token_issued",
            EventKind::Download => "download",
            EventKind::Revoked => "revoked",
            EventKind::Failed => "failed",
            EventKind::AgreementRequested => "agreement_requested",
            EventKind::AgreementSigned => "agreement_signed",
            EventKind::AgreementDownload => "agreement_download",
        }
    }
}

/// An event to append (the store adds sequence number, time and hashes).
#[derive(Debug, Clone, Default)]
pub struct Event {
    /// What happened (`EventKind::as_str`).
    pub event: &'static str,
    /// The access request concerned.
    pub request_id: Option<String>,
    /// The grant concerned.
    pub grant_id: Option<String>,
    /// The document.
    pub document_id: Option<String>,
    /// The document version (and language, `2026/en`).
    pub version: Option<String>,
    /// The requester's e-mail address.
    pub email: Option<String>,
    /// The client's IP address.
    pub ip: Option<String>,
    /// The client's user agent (truncated).
    pub user_agent: Option<String>,
    /// Free detail (who approved, the file's SHA-256, why it failed in words for the operator).
    pub detail: Option<String>,
}

impl Event {
    /// An event of `kind` with nothing else filled in.
    pub fn new(kind: EventKind) -> Self {
        Event {
            event: kind.as_str(),
            ..Event::default()
        }
    }
}

/// A stored row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// Position in the chain, from 1.
    pub seq: i64,
    /// RFC 3339 time (UTC, milliseconds).
    pub at: String,
    /// What happened.
    pub event: String,
    /// Access request.
    pub request_id: Option<String>,
    /// Grant.
    pub grant_id: Option<String>,
    /// Document.
    pub document_id: Option<String>,
    /// Version.
    pub version: Option<String>,
    /// Requester e-mail.
    pub email: Option<String>,
    /// Client IP.
    pub ip: Option<String>,
    /// Client user agent.
    pub user_agent: Option<String>,
    /// Detail.
    pub detail: Option<String>,
    /// The previous row's hash.
    pub prev_hash: String,
    /// This row's hash.
    pub hash: String,
}

impl Row {
    /// SHA-256 (hex) over the previous hash and the row's canonical form (a JSON array of its
    /// fields in a fixed order).
    pub fn compute_hash(&self) -> String {
        let canonical = serde_json::to_string(&(
            self.seq,
            &self.at,
            &self.event,
            &self.request_id,
            &self.grant_id,
            &self.document_id,
            &self.version,
            &self.email,
            &self.ip,
            &self.user_agent,
            &self.detail,
        ))
        .expect("strings serialize");
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(canonical.as_bytes());
        hex(&h.finalize())
    }
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("audit row {seq}: {reason}")]
pub struct Broken {
    /// The first row (sequence number) that does not fit.
    pub seq: i64,
    /// What does not fit.
    pub reason: String,
}

/// Checks rows (in sequence order) against each other and against the head record
/// (`head_seq`, `head_hash`). Returns the number of rows.
pub fn verify(rows: &[Row], head_seq: i64, head_hash: &str) -> Result<usize, Broken> {
    let mut prev = GENESIS.to_owned();
    for (i, row) in rows.iter().enumerate() {
        let expected_seq = i as i64 + 1;
        if row.seq != expected_seq {
            return Err(Broken {
                seq: expected_seq.min(row.seq),
                reason: format!(
                    "expected row {expected_seq} but found row {} (rows were removed or reordered)",
                    row.seq
                ),
            });
        }
        if row.prev_hash != prev {
            return Err(Broken {
                seq: row.seq,
                reason: "its previous-hash does not match the row before it (a row before it was removed or changed)".into(),
            });
        }
        if row.compute_hash() != row.hash {
            return Err(Broken {
                seq: row.seq,
                reason: "its content does not match its hash (the row was edited)".into(),
            });
        }
        prev = row.hash.clone();
    }
    let last = rows.len() as i64;
    if head_seq != last || head_hash != prev {
        return Err(Broken {
            seq: last.min(head_seq) + 1,
            reason: format!(
                "the log should end at row {head_seq} but ends at row {last} (the newest rows were removed or changed)"
            ),
        });
    }
    Ok(rows.len())
}

/// Rows as CSV (RFC 4180 quoting), with a header line.
pub fn to_csv(rows: &[Row]) -> String {
    fn field(s: &str) -> String {
        // A leading =, +, - or @ would be a formula in a spreadsheet: prefix it.
        let s = if s.starts_with(['=', '+', '-', '@']) {
            format!("'{s}")
        } else {
            s.to_owned()
        };
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    }
    let mut out = String::from(
        "seq,at,event,request_id,grant_id,document_id,version,email,ip,user_agent,detail,prev_hash,hash\n",
    );
    for r in rows {
        let o = |v: &Option<String>| field(v.as_deref().unwrap_or(""));
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            r.seq,
            field(&r.at),
            field(&r.event),
            o(&r.request_id),
            o(&r.grant_id),
            o(&r.document_id),
            o(&r.version),
            o(&r.email),
            o(&r.ip),
            o(&r.user_agent),
            o(&r.detail),
            r.prev_hash,
            r.hash
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: i64) -> Vec<Row> {
        let mut prev = GENESIS.to_owned();
        (1..=n)
            .map(|seq| {
                let mut r = Row {
                    seq,
                    at: format!("2026-11-23T10:00:{seq:02}.000Z"),
                    event: "download".into(),
                    request_id: None,
                    grant_id: Some("g1".into()),
                    document_id: Some("pentest-summary".into()),
                    version: Some("2026/en".into()),
                    email: Some("jane@acme.example".into()),
                    ip: Some("127.0.0.1".into()),
                    user_agent: Some("test".into()),
                    detail: None,
                    prev_hash: prev.clone(),
                    hash: String::new(),
                };
                r.hash = r.compute_hash();
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn head(rows: &[Row]) -> (i64, String) {
        rows.last()
            .map_or((0, GENESIS.to_owned()), |r| (r.seq, r.hash.clone()))
    }

    #[test]
    fn an_intact_chain_verifies() {
        let rows = chain(5);
        let (s, h) = head(&rows);
        assert_eq!(verify(&rows, s, &h), Ok(5));
        assert_eq!(verify(&[], 0, GENESIS), Ok(0));
    }

    #[test]
    fn an_edited_row_is_found() {
        let mut rows = chain(5);
        let (s, h) = head(&rows);
        rows[2].email = Some("mallory@evil.example".into());
        assert_eq!(verify(&rows, s, &h).unwrap_err().seq, 3);
    }

    #[test]
    fn an_edited_row_with_a_recomputed_hash_breaks_the_next_link() {
        let mut rows = chain(5);
        let (s, h) = head(&rows);
        rows[1].ip = Some("10.0.0.1".into());
        rows[1].hash = rows[1].compute_hash();
        assert_eq!(verify(&rows, s, &h).unwrap_err().seq, 3);
    }

    #[test]
    fn a_deleted_row_is_found() {
        let mut rows = chain(5);
        let (s, h) = head(&rows);
        rows.remove(1);
        assert_eq!(verify(&rows, s, &h).unwrap_err().seq, 2);
    }

    #[test]
    fn removing_the_newest_rows_is_found_through_the_head() {
        let mut rows = chain(5);
        let (s, h) = head(&rows);
        rows.truncate(3);
        let err = verify(&rows, s, &h).unwrap_err();
        assert_eq!(err.seq, 4);
    }

    #[test]
    fn reordered_rows_are_found() {
        let mut rows = chain(5);
        let (s, h) = head(&rows);
        rows.swap(1, 2);
        assert_eq!(verify(&rows, s, &h).unwrap_err().seq, 2);
        // Swapping contents but keeping sequence numbers breaks the hashes.
        let mut rows = chain(5);
        let (a, b) = (rows[1].clone(), rows[2].clone());
        rows[1] = Row { seq: 2, ..b };
        rows[2] = Row { seq: 3, ..a };
        assert_eq!(verify(&rows, s, &h).unwrap_err().seq, 2);
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let mut rows = chain(1);
        rows[0].user_agent = Some("=HYPERLINK(\"x\"),a".into());
        let csv = to_csv(&rows);
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\"),a\""), "{csv}");
        assert_eq!(csv.lines().count(), 2);
    }
}
