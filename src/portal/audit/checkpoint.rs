//! Checkpoints: the chain's head (sequence number and MAC) exported out of the database, so that
//! removing the newest rows and moving the head back, which the chain alone cannot reveal, is
//! found by comparing the log with the last checkpoint.
//!
//! A checkpoint is a small JSON file (`audit-checkpoint-<seq>-<time>.json`) carrying its own
//! HMAC-SHA-256 under the audit key (so `candor audit verify` can tell an authentic checkpoint from
//! a planted one), optionally a detached CMS signature beside it (`.p7s`, made with the key that
//! signs executed agreements, verifiable with `openssl cms -verify` by anyone holding the
//! certificate), and a copy mailed to the legal team, out of reach of whoever administers the
//! database. The portal writes one every `portal.audit.checkpoint_hours` when the log has grown;
//! `candor audit checkpoint` writes one at once.

use std::path::{Path, PathBuf};

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::Mac as _;
use serde::{Deserialize, Serialize};

use super::{AuditKeys, Broken, Row, Verified, hex, hmac};

/// The `format` of checkpoints this version writes and reads.
pub const FORMAT: &str = "candor-audit-checkpoint/1";

/// Domain separation of checkpoint MACs from row MACs under the same key.
const CONTEXT: &[u8] = b"candor-audit-checkpoint/1";

/// The head of the chain at one moment.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Checkpoint {
    /// [`FORMAT`].
    pub format: String,
    /// The site whose portal wrote it (its base URL), for the reader.
    pub site: String,
    /// The newest row's sequence number (0: the log was empty).
    pub seq: i64,
    /// The newest row's hash (its MAC).
    pub hash: String,
    /// When the newest row was written (RFC 3339).
    pub row_at: Option<String>,
    /// When the checkpoint was made (RFC 3339).
    pub created: String,
    /// The audit key that authenticates this checkpoint.
    pub key_id: String,
    /// HMAC-SHA-256 (hex) over the fields above.
    pub mac: String,
}

impl Checkpoint {
    /// A checkpoint of the head (`seq`, `hash`, written at `row_at`), made at `created` and
    /// authenticated with the current audit key.
    pub fn new(
        site: &str,
        seq: i64,
        hash: &str,
        row_at: Option<&str>,
        created: DateTime<Utc>,
        keys: &AuditKeys,
    ) -> Checkpoint {
        let mut cp = Checkpoint {
            format: FORMAT.to_owned(),
            site: site.to_owned(),
            seq,
            hash: hash.to_owned(),
            row_at: row_at.map(str::to_owned),
            created: created.to_rfc3339_opts(SecondsFormat::Secs, true),
            key_id: keys.current_id().to_owned(),
            mac: String::new(),
        };
        cp.mac = hex(&cp.mac_under(keys.current()).finalize().into_bytes());
        cp
    }

    fn mac_under(&self, key: &[u8; 32]) -> hmac::Hmac<sha2::Sha256> {
        let fields = serde_json::to_string(&(
            &self.format,
            &self.site,
            self.seq,
            &self.hash,
            &self.row_at,
            &self.created,
            &self.key_id,
        ))
        .expect("strings serialize");
        hmac(key, &[CONTEXT, fields.as_bytes()])
    }

    /// Whether the checkpoint was made with one of `keys` and not changed since (constant time).
    pub fn authenticate(&self, keys: &AuditKeys) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("its format is `{}`, not `{FORMAT}`", self.format));
        }
        super::check_mac(
            keys,
            &self.key_id,
            &self.mac,
            |key| self.mac_under(key),
            "the file was changed or not made by this portal",
        )
    }

    /// The checkpoint from a file's text.
    pub fn parse(text: &str) -> Result<Checkpoint, String> {
        serde_json::from_str(text).map_err(|e| format!("not a checkpoint: {e}"))
    }

    /// The file's text (pretty JSON, newline-terminated).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("strings serialize");
        s.push('\n');
        s
    }

    /// `audit-checkpoint-<seq, 12 digits>-<created, basic format>` (sorts by sequence).
    pub fn file_stem(&self) -> String {
        let time: String = self
            .created
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        format!("audit-checkpoint-{:012}-{time}", self.seq)
    }

    /// When it was made, for people: `2026-12-04 10:15 UTC`.
    pub fn created_display(&self) -> String {
        DateTime::parse_from_rfc3339(&self.created)
            .map(|d| {
                d.with_timezone(&Utc)
                    .format("%Y-%m-%d %H:%M UTC")
                    .to_string()
            })
            .unwrap_or_else(|_| self.created.clone())
    }

    /// Whether the log, verified as `verified`, still holds this checkpoint's head: the row at
    /// its sequence number exists (`row`) and has its hash.
    pub fn check(&self, verified: &Verified, row: Option<&Row>) -> Result<(), Broken> {
        let (last, _) = &verified.head;
        // Rows up to an authentic prune mark were deleted on purpose: a checkpoint of one of
        // them can only be compared where the mark records the hash.
        if let Some((pruned_seq, pruned_hash)) = &verified.pruned
            && self.seq <= *pruned_seq
        {
            return if self.seq < *pruned_seq || self.hash == *pruned_hash {
                Ok(())
            } else {
                Err(Broken {
                    seq: self.seq,
                    reason: format!(
                        "it differs from the checkpoint of {} at the row the log was pruned up to",
                        self.created_display()
                    ),
                })
            };
        }
        if self.seq > *last {
            return Err(Broken {
                seq: last + 1,
                reason: format!(
                    "the checkpoint of {} records row {}, but the log ends at row {last} (the newest rows were removed and the head moved back)",
                    self.created_display(),
                    self.seq
                ),
            });
        }
        if self.seq == 0 {
            return Ok(());
        }
        match row {
            Some(r) if r.hash == self.hash => Ok(()),
            _ => Err(Broken {
                seq: self.seq,
                reason: format!(
                    "it differs from the checkpoint of {} (the log was rewritten from here on, or the checkpoint belongs to another log)",
                    self.created_display()
                ),
            }),
        }
    }
}

/// The checkpoints in `dir` (`*.json`), oldest first (by sequence number, then time). A missing
/// folder has none; a file that is not a checkpoint is an error naming it.
pub fn read_dir(dir: &Path) -> Result<Vec<(PathBuf, Checkpoint)>, String> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(format!("cannot read {}: {e}", dir.display())),
    };
    let mut found = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .path();
        let prune_mark = path
            .file_name()
            .is_some_and(|n| n.to_string_lossy().starts_with("audit-prune-"));
        if path.extension().is_some_and(|e| e == "json") && !prune_mark {
            found.push(read(&path)?);
        }
    }
    found.sort_by(|a, b| (a.1.seq, &a.1.created).cmp(&(b.1.seq, &b.1.created)));
    Ok(found)
}

/// One checkpoint file.
pub fn read(path: &Path) -> Result<(PathBuf, Checkpoint), String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let cp = Checkpoint::parse(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok((path.to_owned(), cp))
}

/// Writes `cp` into `dir` (created private when missing) as `<stem>.json`, and `signature` as
/// `<stem>.json.p7s`; each written under a temporary name and renamed into place.
pub fn write(dir: &Path, cp: &Checkpoint, signature: Option<&[u8]>) -> Result<PathBuf, String> {
    write_json(dir, &cp.file_stem(), &cp.to_json(), signature)
}

/// Writes `json` into `dir` (created private when missing) as `<stem>.json`, and `signature` as
/// `<stem>.json.p7s` (checkpoints and prune marks).
pub fn write_json(
    dir: &Path,
    stem: &str,
    json: &str,
    signature: Option<&[u8]>,
) -> Result<PathBuf, String> {
    crate::portal::private::create_dir(dir).map_err(|e| e.message)?;
    let path = dir.join(format!("{stem}.json"));
    let put = |path: &Path, bytes: &[u8]| {
        let tmp = path.with_extension("tmp");
        std::fs::write(&tmp, bytes)
            .and_then(|()| std::fs::rename(&tmp, path))
            .map_err(|e| format!("cannot write {}: {e}", path.display()))
    };
    if let Some(sig) = signature {
        let mut p7s = path.as_os_str().to_owned();
        p7s.push(".p7s");
        put(Path::new(&p7s), sig)?;
    }
    put(&path, json.as_bytes())?;
    Ok(path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::keys::Keyring;

    fn at() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-04T10:15:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn verified(seq: i64, hash: &str) -> Verified {
        Verified {
            rows: seq as usize,
            unkeyed: 0,
            key_ids: Default::default(),
            head: (seq, hash.to_owned()),
            pruned: None,
        }
    }

    fn row(seq: i64, hash: &str) -> Row {
        Row {
            seq,
            at: String::new(),
            event: "download".into(),
            request_id: None,
            grant_id: None,
            document_id: None,
            version: None,
            email: None,
            ip: None,
            user_agent: None,
            detail: None,
            key_id: None,
            prev_hash: String::new(),
            hash: hash.to_owned(),
        }
    }

    #[test]
    fn a_checkpoint_round_trips_and_only_its_key_authenticates_it() {
        let keys = Keyring::generate().audit_keys();
        let cp = Checkpoint::new("https://trust.example.com", 7, "ab12", None, at(), &keys);
        let back = Checkpoint::parse(&cp.to_json()).unwrap();
        assert_eq!(back, cp);
        back.authenticate(&keys).unwrap();
        assert_eq!(cp.created_display(), "2026-12-04 10:15 UTC");
        assert_eq!(
            cp.file_stem(),
            "audit-checkpoint-000000000007-20261204T101500Z"
        );
        let mut moved = cp.clone();
        moved.seq = 5;
        assert!(
            moved
                .authenticate(&keys)
                .unwrap_err()
                .contains("does not fit")
        );
        let other = Keyring::generate().audit_keys();
        assert!(
            cp.authenticate(&other)
                .unwrap_err()
                .contains("not in the portal's key file")
        );
        let mut future = cp.clone();
        future.format = "candor-audit-checkpoint/9".into();
        assert!(future.authenticate(&keys).unwrap_err().contains("format"));
        assert!(Checkpoint::parse("{\"seq\": 1}").is_err());
    }

    #[test]
    fn a_log_shorter_than_its_checkpoint_or_different_at_it_is_found() {
        let keys = Keyring::generate().audit_keys();
        let cp = Checkpoint::new("s", 7, "ab12", None, at(), &keys);
        cp.check(&verified(9, "ff"), Some(&row(7, "ab12"))).unwrap();
        cp.check(&verified(7, "ab12"), Some(&row(7, "ab12")))
            .unwrap();
        let short = cp.check(&verified(5, "cd"), None).unwrap_err();
        assert_eq!(short.seq, 6);
        assert!(
            short.reason.contains("removed and the head moved back"),
            "{short}"
        );
        let rewritten = cp
            .check(&verified(9, "ff"), Some(&row(7, "0000")))
            .unwrap_err();
        assert_eq!(rewritten.seq, 7);
        let empty = Checkpoint::new("s", 0, super::super::GENESIS, None, at(), &keys);
        empty
            .check(&verified(0, super::super::GENESIS), None)
            .unwrap();
    }

    #[test]
    fn checkpoints_are_written_privately_and_read_back_in_order() {
        let dir = tempfile::tempdir().unwrap();
        let keys = Keyring::generate().audit_keys();
        let folder = dir.path().join("checkpoints");
        assert!(read_dir(&folder).unwrap().is_empty());
        let late = Checkpoint::new("s", 12, "aa", None, at(), &keys);
        let early = Checkpoint::new("s", 3, "bb", None, at(), &keys);
        let p = write(&folder, &late, Some(b"sig")).unwrap();
        write(&folder, &early, None).unwrap();
        assert!(p.with_extension("json.p7s").exists());
        let read: Vec<i64> = read_dir(&folder)
            .unwrap()
            .iter()
            .map(|(_, c)| c.seq)
            .collect();
        assert_eq!(read, [3, 12]);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = std::fs::metadata(&folder).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o700);
        }
        std::fs::write(folder.join("notes.json"), "{}").unwrap();
        assert!(read_dir(&folder).unwrap_err().contains("notes.json"));
    }
}
