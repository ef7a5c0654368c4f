//! The tamper-evident audit log: append-only rows, each carrying the previous row's MAC and its
//! own, an HMAC-SHA-256 over the previous MAC and the row's canonical form, under an audit key
//! derived from the portal's key file (never stored in the database). A separate head record
//! (last sequence number and MAC) makes the removal of the newest rows detectable to anyone
//! holding the key, and signed [`checkpoint`]s exported out of the database make it detectable
//! even to someone who also moved the head: a database administrator can delete, but not
//! forge.
//!
//! Rows written before the chain was keyed (Candor up to 0.1's first round) carry a plain
//! SHA-256 and no key id. They may only form the start of the log: the portal appends a keyed
//! "chain keyed" row after them the first time it opens the store with a key
//! ([`crate::portal::store::Store::connect`]), which anchors them, and a verifier refuses an
//! unkeyed row after a keyed one and a log whose newest row is unkeyed.

pub mod checkpoint;
pub mod prune;

use std::collections::{BTreeSet, HashMap};

use hmac::{Hmac, Mac as _};
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
    /// The rows before this one (hashed without a key) were anchored by the first keyed row.
    ChainKeyed,
    /// A sign-in link was mailed to an admin.
    AdminLinkSent,
    /// An admin used a sign-in link (the second factor comes next).
    AdminLinkUsed,
    /// An admin proved a second factor: the session is signed in.
    AdminSignedIn,
    /// An admin signed out.
    AdminSignedOut,
    /// Every session of an admin was ended.
    AdminSessionsRevoked,
    /// An admin enrolled a second factor.
    AdminFactorAdded,
    /// A second factor was removed.
    AdminFactorRemoved,
    /// An automatic approval rule was added.
    RuleAdded,
    /// An automatic approval rule was removed.
    RuleRemoved,
    /// A run-time setting was changed.
    SettingChanged,
    /// A grant was extended.
    GrantExtended,
    /// A grant's mail was sent again with a new link.
    GrantResent,
    /// The audit log was exported from the console.
    AuditExported,
    /// The audit chain was verified from the console.
    AuditVerified,
    /// Old audit rows were deleted (retention); a signed prune checkpoint marks where the log
    /// now starts.
    AuditPruned,
    /// An executed agreement was downloaded from the console.
    AgreementViewed,
    /// Someone asked to subscribe an address (a confirmation link was mailed). Subscription rows
    /// never carry the address, only its SHA-256 in the detail.
    SubscriptionRequested,
    /// A subscription was confirmed from its mailed link.
    SubscriptionConfirmed,
    /// A subscriber changed the topics.
    SubscriptionChanged,
    /// An address was unsubscribed and its data deleted (the row keeps only its SHA-256).
    Unsubscribed,
    /// Someone sent the objection form for a subprocessor change (a confirmation link was
    /// mailed); nothing is an objection before the address is confirmed.
    ObjectionRequested,
    /// An objection was confirmed from its mailed link: it is recorded (late or not).
    ObjectionConfirmed,
    /// A subscription left unconfirmed past its link's lifetime was deleted (the row keeps only
    /// the address's SHA-256).
    SubscriptionExpired,
    /// `candor notify` queued a notice for its subscribers (id, topic, how many).
    NoticeQueued,
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
            EventKind::ChainKeyed => "chain_keyed",
            EventKind::AdminLinkSent => "admin_link_sent",
            EventKind::AdminLinkUsed => "admin_link_used",
            EventKind::AdminSignedIn => "admin_signed_in",
            EventKind::AdminSignedOut => "admin_signed_out",
            EventKind::AdminSessionsRevoked => "admin_sessions_revoked",
            EventKind::AdminFactorAdded => "admin_factor_added",
            EventKind::AdminFactorRemoved => "admin_factor_removed",
            EventKind::RuleAdded => "rule_added",
            EventKind::RuleRemoved => "rule_removed",
            EventKind::SettingChanged => "setting_changed",
            EventKind::GrantExtended => "grant_extended",
            EventKind::GrantResent => "grant_resent",
            EventKind::AuditExported => "audit_exported",
            EventKind::AuditVerified => "audit_verified",
            EventKind::AuditPruned => "audit_pruned",
            EventKind::AgreementViewed => "agreement_viewed",
            EventKind::SubscriptionRequested => "subscription_requested",
            EventKind::SubscriptionConfirmed => "subscription_confirmed",
            EventKind::SubscriptionChanged => "subscription_changed",
            EventKind::Unsubscribed => "unsubscribed",
            EventKind::ObjectionRequested => "objection_requested",
            EventKind::ObjectionConfirmed => "objection_confirmed",
            EventKind::SubscriptionExpired => "subscription_expired",
            EventKind::NoticeQueued => "notice_queued",
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

/// The audit keys of the portal's key file: one HMAC-SHA-256 key per master key id (derived for
/// this purpose alone), and the id of the key that chains new rows.
#[derive(Clone)]
pub struct AuditKeys {
    current: String,
    keys: HashMap<String, [u8; 32]>,
}

impl std::fmt::Debug for AuditKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut ids: Vec<&String> = self.keys.keys().collect();
        ids.sort();
        f.debug_struct("AuditKeys")
            .field("current", &self.current)
            .field("ids", &ids)
            .finish_non_exhaustive()
    }
}

impl AuditKeys {
    /// Keys by id; `current` chains new rows and must be one of them.
    pub(crate) fn new(current: String, keys: HashMap<String, [u8; 32]>) -> AuditKeys {
        debug_assert!(keys.contains_key(&current));
        AuditKeys { current, keys }
    }

    /// The id of the key that chains new rows.
    pub fn current_id(&self) -> &str {
        &self.current
    }

    /// The key with `id`.
    pub(crate) fn get(&self, id: &str) -> Option<&[u8; 32]> {
        self.keys.get(id)
    }

    /// The key that chains new rows.
    pub(crate) fn current(&self) -> &[u8; 32] {
        &self.keys[&self.current]
    }
}

/// Checks an exported record's MAC (checkpoints, prune marks): its key `key_id` must be one of
/// `keys`, and `mac` (lower-case hex) the MAC `mac_under` computes with it (constant time).
/// `what` names the record in the message for a MAC that does not fit.
pub(crate) fn check_mac(
    keys: &AuditKeys,
    key_id: &str,
    mac: &str,
    mac_under: impl Fn(&[u8; 32]) -> Hmac<Sha256>,
    what: &str,
) -> Result<(), String> {
    let key = keys.get(key_id).ok_or_else(|| {
        format!("it is authenticated with key `{key_id}`, which is not in the portal's key file")
    })?;
    let given = unhex(mac).ok_or("its MAC is not hexadecimal")?;
    mac_under(key)
        .verify_slice(&given)
        .map_err(|_| format!("its MAC does not fit ({what})"))
}

/// HMAC-SHA-256 of `parts` (each followed by a newline) under `key`.
pub(crate) fn hmac(key: &[u8; 32], parts: &[&[u8]]) -> Hmac<Sha256> {
    let mut mac = <Hmac<Sha256> as hmac::Mac>::new_from_slice(key).expect("any key length");
    for p in parts {
        mac.update(p);
        mac.update(b"\n");
    }
    mac
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
    /// The id of the key whose HMAC chains this row; `None` for a row hashed before the chain
    /// was keyed (plain SHA-256).
    pub key_id: Option<String>,
    /// The previous row's hash (MAC).
    pub prev_hash: String,
    /// This row's hash: HMAC-SHA-256 (hex) under key `key_id`, or SHA-256 for an unkeyed row.
    pub hash: String,
}

/// Domain separation of the row MAC from checkpoint MACs under the same key.
const ROW_CONTEXT: &[u8] = b"candor-audit-row/1";

impl Row {
    /// The row's canonical form: a JSON array of its fields in a fixed order (the key id last,
    /// and only on keyed rows, so that unkeyed rows keep the form they were hashed in).
    fn canonical(&self) -> String {
        let fields = (
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
        );
        match &self.key_id {
            None => serde_json::to_string(&fields),
            Some(id) => serde_json::to_string(&(fields, id)),
        }
        .expect("strings serialize")
    }

    /// SHA-256 (hex) over the previous hash and the canonical form: the hash of an unkeyed row.
    pub fn unkeyed_hash(&self) -> String {
        let mut h = Sha256::new();
        h.update(self.prev_hash.as_bytes());
        h.update(b"\n");
        h.update(self.canonical().as_bytes());
        hex(&h.finalize())
    }

    fn mac(&self, key: &[u8; 32]) -> Hmac<Sha256> {
        hmac(
            key,
            &[
                ROW_CONTEXT,
                self.prev_hash.as_bytes(),
                self.canonical().as_bytes(),
            ],
        )
    }

    /// Chains the row under the current audit key: sets `key_id` and `hash`.
    pub fn seal(&mut self, keys: &AuditKeys) {
        self.key_id = Some(keys.current_id().to_owned());
        self.hash = hex(&self.mac(keys.current()).finalize().into_bytes());
    }

    /// Whether `hash` fits the row (the MAC compared in constant time).
    fn hash_fits(&self, keys: &AuditKeys) -> Result<(), String> {
        match &self.key_id {
            None => (self.unkeyed_hash() == self.hash)
                .then_some(())
                .ok_or_else(|| "its content does not match its hash (the row was edited)".into()),
            Some(id) => {
                let key = keys.get(id).ok_or_else(|| {
                    format!(
                        "it is chained with key `{id}`, which is not in the portal's key file (restore the key file, or keep retired keys in it)"
                    )
                })?;
                let given = unhex(&self.hash).ok_or("its MAC is not hexadecimal")?;
                self.mac(key).verify_slice(&given).map_err(|_| {
                    "its content does not match its MAC (the row was edited, or written without the portal's key)".to_owned()
                })
            }
        }
    }
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    bytes.iter().fold(String::new(), |mut s, b| {
        let _ = write!(s, "{b:02x}");
        s
    })
}

pub(crate) fn unhex(s: &str) -> Option<Vec<u8>> {
    // Lower-case hex only: a MAC has one spelling, so a re-spelled hash cannot make a
    // checkpoint comparison fail (or pass) falsely.
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
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

/// What a verification found intact.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Rows in the log.
    pub rows: usize,
    /// Rows at the start hashed before the chain was keyed (anchored by the first keyed row).
    pub unkeyed: usize,
    /// The ids of the keys that chain the rows.
    pub key_ids: BTreeSet<String>,
    /// The newest row's sequence number and hash (the head).
    pub head: (i64, String),
    /// Where the log starts when old rows were pruned: the last pruned row's sequence number
    /// and hash, from an authenticated [`prune::PruneMark`].
    pub pruned: Option<(i64, String)>,
}

/// Checks rows (in sequence order) against each other, against the audit keys and against the
/// head record (`head_seq`, `head_hash`). When old rows were pruned, `start` is the sequence
/// number and hash of the last pruned row, from an authenticated [`prune::PruneMark`] (the
/// caller checks the mark): the rows continue from it.
pub fn verify(
    rows: &[Row],
    start: Option<(i64, &str)>,
    head_seq: i64,
    head_hash: &str,
    keys: &AuditKeys,
) -> Result<Verified, Broken> {
    let (first, mut prev) = match start {
        Some((seq, hash)) => (seq + 1, hash.to_owned()),
        None => (1, GENESIS.to_owned()),
    };
    let mut unkeyed = 0;
    let mut key_ids = BTreeSet::new();
    for (i, row) in rows.iter().enumerate() {
        let expected_seq = i as i64 + first;
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
        match &row.key_id {
            None if !key_ids.is_empty() => {
                return Err(Broken {
                    seq: row.seq,
                    reason: "it has no MAC although rows before it do (rows were rewritten without the portal's key)".into(),
                });
            }
            None => unkeyed += 1,
            Some(id) => {
                key_ids.insert(id.clone());
            }
        }
        row.hash_fits(keys).map_err(|reason| Broken {
            seq: row.seq,
            reason,
        })?;
        prev = row.hash.clone();
    }
    let last = rows.len() as i64 + first - 1;
    if head_seq != last || head_hash != prev {
        return Err(Broken {
            seq: last.min(head_seq) + 1,
            reason: format!(
                "the log should end at row {head_seq} but ends at row {last} (the newest rows were removed or changed)"
            ),
        });
    }
    if unkeyed > 0 && key_ids.is_empty() {
        return Err(Broken {
            seq: last,
            reason: format!(
                "none of the {last} rows carries a MAC: the log was written before the chain was keyed and has not been anchored yet (start the portal once, or run `candor audit checkpoint`, then verify again), or it was rewritten without the portal's key"
            ),
        });
    }
    Ok(Verified {
        rows: rows.len(),
        unkeyed,
        key_ids,
        head: (last, prev),
        pruned: start.map(|(seq, hash)| (seq, hash.to_owned())),
    })
}

/// One CSV field (RFC 4180 quoting); a leading =, +, - or @ would be a formula in a
/// spreadsheet, so it is prefixed with `'`.
pub fn csv_field(s: &str) -> String {
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

/// Rows as CSV (RFC 4180 quoting), with a header line.
pub fn to_csv(rows: &[Row]) -> String {
    use csv_field as field;
    let mut out = String::from(
        "seq,at,event,request_id,grant_id,document_id,version,email,ip,user_agent,detail,key_id,prev_hash,hash\n",
    );
    for r in rows {
        let o = |v: &Option<String>| field(v.as_deref().unwrap_or(""));
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
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
            o(&r.key_id),
            r.prev_hash,
            r.hash
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> AuditKeys {
        crate::portal::keys::Keyring::generate().audit_keys()
    }

    fn row(seq: i64, prev: &str) -> Row {
        Row {
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
            key_id: None,
            prev_hash: prev.to_owned(),
            hash: String::new(),
        }
    }

    /// `unkeyed` rows hashed the old way, then `keyed` rows under `keys`.
    fn chain_of(unkeyed: i64, keyed: i64, keys: &AuditKeys) -> Vec<Row> {
        let mut prev = GENESIS.to_owned();
        (1..=unkeyed + keyed)
            .map(|seq| {
                let mut r = row(seq, &prev);
                if seq <= unkeyed {
                    r.hash = r.unkeyed_hash();
                } else {
                    r.seal(keys);
                }
                prev = r.hash.clone();
                r
            })
            .collect()
    }

    fn head(rows: &[Row]) -> (i64, String) {
        rows.last()
            .map_or((0, GENESIS.to_owned()), |r| (r.seq, r.hash.clone()))
    }

    /// Recomputes every hash from row `from` on, as someone who can write the database but has
    /// no key would: with SHA-256, or with a key of their own.
    fn rehash_from(rows: &mut [Row], from: usize, forger: Option<&AuditKeys>) {
        for i in from..rows.len() {
            rows[i].prev_hash = if i == 0 {
                GENESIS.to_owned()
            } else {
                rows[i - 1].hash.clone()
            };
            match forger {
                Some(k) => rows[i].seal(k),
                None => {
                    rows[i].key_id = None;
                    rows[i].hash = rows[i].unkeyed_hash();
                }
            }
        }
    }

    #[test]
    fn an_intact_chain_verifies() {
        let k = keys();
        let rows = chain_of(0, 5, &k);
        let (s, h) = head(&rows);
        let v = verify(&rows, None, s, &h, &k).unwrap();
        assert_eq!((v.rows, v.unkeyed), (5, 0));
        assert_eq!(v.key_ids.into_iter().collect::<Vec<_>>(), [k.current_id()]);
        assert_eq!(verify(&[], None, 0, GENESIS, &k).unwrap().rows, 0);
    }

    #[test]
    fn an_edited_row_is_found() {
        let k = keys();
        let mut rows = chain_of(0, 5, &k);
        let (s, h) = head(&rows);
        rows[2].email = Some("mallory@evil.example".into());
        let err = verify(&rows, None, s, &h, &k).unwrap_err();
        assert_eq!(err.seq, 3);
        assert!(err.reason.contains("MAC"), "{err}");
    }

    #[test]
    fn an_edited_row_rehashed_without_the_key_is_found_at_the_edit() {
        let k = keys();
        for forger in [None, Some(&keys())] {
            let mut rows = chain_of(0, 5, &k);
            rows[1].ip = Some("10.0.0.1".into());
            rehash_from(&mut rows, 1, forger);
            // The attacker moves the head too.
            let (s, h) = head(&rows);
            assert_eq!(
                verify(&rows, None, s, &h, &k).unwrap_err().seq,
                2,
                "{forger:?}"
            );
        }
    }

    #[test]
    fn a_deleted_row_is_found_even_when_the_rest_is_renumbered_and_rehashed() {
        let k = keys();
        let mut rows = chain_of(0, 5, &k);
        let (s, h) = head(&rows);
        rows.remove(1);
        assert_eq!(verify(&rows, None, s, &h, &k).unwrap_err().seq, 2);
        for (i, r) in rows.iter_mut().enumerate() {
            r.seq = i as i64 + 1;
        }
        rehash_from(&mut rows, 1, None);
        let (s, h) = head(&rows);
        assert_eq!(verify(&rows, None, s, &h, &k).unwrap_err().seq, 2);
    }

    #[test]
    fn removing_the_newest_rows_is_found_through_the_head() {
        let k = keys();
        let mut rows = chain_of(0, 5, &k);
        let (s, h) = head(&rows);
        rows.truncate(3);
        assert_eq!(verify(&rows, None, s, &h, &k).unwrap_err().seq, 4);
        // Moving the head as well is only found by a checkpoint (see `checkpoint`).
        let (s, h) = head(&rows);
        assert_eq!(verify(&rows, None, s, &h, &k).unwrap().rows, 3);
    }

    #[test]
    fn reordered_rows_are_found() {
        let k = keys();
        let mut rows = chain_of(0, 5, &k);
        let (s, h) = head(&rows);
        rows.swap(1, 2);
        assert_eq!(verify(&rows, None, s, &h, &k).unwrap_err().seq, 2);
        let mut rows = chain_of(0, 5, &k);
        let (a, b) = (rows[1].clone(), rows[2].clone());
        rows[1] = Row { seq: 2, ..b };
        rows[2] = Row { seq: 3, ..a };
        assert_eq!(verify(&rows, None, s, &h, &k).unwrap_err().seq, 2);
    }

    #[test]
    fn unkeyed_rows_verify_only_as_an_anchored_prefix() {
        let k = keys();
        // Migrated: 3 old rows, then keyed rows anchoring them.
        let rows = chain_of(3, 2, &k);
        let (s, h) = head(&rows);
        let v = verify(&rows, None, s, &h, &k).unwrap();
        assert_eq!((v.rows, v.unkeyed), (5, 3));
        // Rewriting an old row breaks the first keyed row's link.
        let mut forged = rows.clone();
        forged[0].detail = Some("nothing happened".into());
        rehash_from(&mut forged[..3], 0, None);
        let err = verify(&forged, None, s, &h, &k).unwrap_err();
        assert_eq!(err.seq, 4, "{err}");
        // Rewriting the whole log without a key leaves no MAC: not intact either.
        rehash_from(&mut forged, 0, None);
        let (s2, h2) = head(&forged);
        let err = verify(&forged, None, s2, &h2, &k).unwrap_err();
        assert!(err.reason.contains("none of the 5 rows"), "{err}");
        // Unkeyed rows after keyed ones are refused.
        let mut tail = rows.clone();
        let mut extra = row(6, &tail[4].hash);
        extra.hash = extra.unkeyed_hash();
        tail.push(extra);
        let (s3, h3) = head(&tail);
        assert_eq!(verify(&tail, None, s3, &h3, &k).unwrap_err().seq, 6);
        // A log with no keyed row at all is not called intact.
        let old = chain_of(4, 0, &k);
        let (s4, h4) = head(&old);
        assert!(
            verify(&old, None, s4, &h4, &k)
                .unwrap_err()
                .reason
                .contains("none of the 4 rows")
        );
    }

    #[test]
    fn rows_of_rotated_keys_verify_and_unknown_keys_are_named() {
        use crate::portal::keys::{KeyFile, KeyStatus, Keyring, new_key, rotate};
        let mut file = KeyFile {
            keys: vec![new_key(KeyStatus::Signing)],
        };
        let old = Keyring::from_file(&file, std::path::Path::new("k"))
            .unwrap()
            .audit_keys();
        let mut rows = chain_of(0, 2, &old);
        rotate(&mut file);
        file.keys[0].status = KeyStatus::Retired;
        let new = Keyring::from_file(&file, std::path::Path::new("k"))
            .unwrap()
            .audit_keys();
        assert_ne!(new.current_id(), old.current_id());
        let mut r = row(3, &rows[1].hash);
        r.seal(&new);
        rows.push(r);
        let (s, h) = head(&rows);
        assert_eq!(verify(&rows, None, s, &h, &new).unwrap().key_ids.len(), 2);
        // Without the old key the old rows cannot be checked, and the message says why.
        let err = verify(&rows, None, s, &h, &keys()).unwrap_err();
        assert_eq!(err.seq, 1);
        assert!(err.reason.contains("not in the portal's key file"), "{err}");
    }

    #[test]
    fn debug_output_shows_key_ids_but_no_key() {
        let k = keys();
        let shown = format!("{k:?}");
        assert!(shown.contains(k.current_id()));
        assert!(!shown.contains(&hex(k.current())));
    }

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        let k = keys();
        let mut rows = chain_of(0, 1, &k);
        rows[0].user_agent = Some("=HYPERLINK(\"x\"),a".into());
        let csv = to_csv(&rows);
        assert!(csv.contains("\"'=HYPERLINK(\"\"x\"\"),a\""), "{csv}");
        assert_eq!(csv.lines().count(), 2);
        assert!(csv.contains(&format!(",{},", k.current_id())));
    }
}
