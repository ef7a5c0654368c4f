//! Retention: deleting the oldest rows of the chain without losing the proof for the rest.
//!
//! `candor audit prune --before DATE` (or an owner in the console) deletes the rows written
//! before DATE and records a [`PruneMark`]: the last deleted row's sequence number and hash, how
//! many rows went, the cut-off and the time, authenticated with an HMAC under the audit key. The
//! mark is kept in the store (the newest one is where [`super::verify`] starts) and exported as a
//! file beside the checkpoints, signed like them. Changing the mark (to hide more deleted rows, or
//! to start the chain elsewhere) breaks its MAC; deleting it leaves a log that does not start
//! at row 1, which fails too.

use chrono::{DateTime, SecondsFormat, Utc};
use hmac::Mac as _;
use serde::{Deserialize, Serialize};

use super::{AuditKeys, hex, hmac};

/// The `format` of prune marks.
pub const FORMAT: &str = "candor-audit-prune/1";

/// Domain separation from row and checkpoint MACs under the same key.
const CONTEXT: &[u8] = b"candor-audit-prune/1";

/// Where the log starts after a prune.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PruneMark {
    /// [`FORMAT`].
    pub format: String,
    /// The site whose portal pruned (its base URL).
    pub site: String,
    /// The last deleted row's sequence number: the log continues at the next one.
    pub seq: i64,
    /// The last deleted row's hash: the next row's previous-hash.
    pub hash: String,
    /// How many rows this prune deleted.
    pub deleted: i64,
    /// Rows written before this time were deleted (RFC 3339).
    pub cutoff: String,
    /// When (RFC 3339).
    pub pruned_at: String,
    /// The audit key that authenticates the mark.
    pub key_id: String,
    /// HMAC-SHA-256 (hex) over the fields above.
    pub mac: String,
}

impl PruneMark {
    /// A mark for rows up to `seq` (last hash `hash`), authenticated with the current key.
    pub fn new(
        site: &str,
        seq: i64,
        hash: &str,
        deleted: i64,
        cutoff: DateTime<Utc>,
        now: DateTime<Utc>,
        keys: &AuditKeys,
    ) -> PruneMark {
        let mut mark = PruneMark {
            format: FORMAT.to_owned(),
            site: site.to_owned(),
            seq,
            hash: hash.to_owned(),
            deleted,
            cutoff: cutoff.to_rfc3339_opts(SecondsFormat::Secs, true),
            pruned_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            key_id: keys.current_id().to_owned(),
            mac: String::new(),
        };
        mark.mac = hex(&mark.mac_under(keys.current()).finalize().into_bytes());
        mark
    }

    fn mac_under(&self, key: &[u8; 32]) -> hmac::Hmac<sha2::Sha256> {
        let fields = serde_json::to_string(&(
            &self.format,
            &self.site,
            self.seq,
            &self.hash,
            self.deleted,
            &self.cutoff,
            &self.pruned_at,
            &self.key_id,
        ))
        .expect("strings serialize");
        hmac(key, &[CONTEXT, fields.as_bytes()])
    }

    /// Whether the mark was made with one of `keys` and not changed since (constant time).
    pub fn authenticate(&self, keys: &AuditKeys) -> Result<(), String> {
        if self.format != FORMAT {
            return Err(format!("its format is `{}`, not `{FORMAT}`", self.format));
        }
        super::check_mac(
            keys,
            &self.key_id,
            &self.mac,
            |key| self.mac_under(key),
            "the prune checkpoint was changed, or not made by this portal",
        )
    }

    /// The file's text (pretty JSON, newline-terminated).
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("strings serialize");
        s.push('\n');
        s
    }

    /// `audit-prune-<seq, 12 digits>-<time>`; checkpoint folders skip these names.
    pub fn file_stem(&self) -> String {
        let time: String = self
            .pruned_at
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .collect();
        format!("audit-prune-{:012}-{time}", self.seq)
    }

    /// The cut-off's day (`2023-12-01`).
    pub fn cutoff_day(&self) -> &str {
        self.cutoff.get(..10).unwrap_or(&self.cutoff)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys() -> AuditKeys {
        crate::portal::keys::Keyring::generate().audit_keys()
    }

    #[test]
    fn a_mark_authenticates_until_any_field_changes() {
        let k = keys();
        let t = Utc::now();
        let mark = PruneMark::new("https://t.example", 41, &"ab".repeat(32), 41, t, t, &k);
        assert_eq!(mark.authenticate(&k), Ok(()));
        let mut edits: Vec<PruneMark> = Vec::new();
        for f in 0..6 {
            let mut m = mark.clone();
            match f {
                0 => m.seq += 1,
                1 => m.hash = "cd".repeat(32),
                2 => m.deleted -= 1,
                3 => m.cutoff = "2099-01-01T00:00:00Z".into(),
                4 => m.site = "https://evil.example".into(),
                _ => m.pruned_at = "2000-01-01T00:00:00Z".into(),
            }
            edits.push(m);
        }
        for m in edits {
            assert!(m.authenticate(&k).is_err(), "{m:?}");
        }
        let mut other = keys();
        assert!(mark.authenticate(&other).is_err());
        other = k.clone();
        assert_eq!(mark.authenticate(&other), Ok(()));
        let parsed: PruneMark = serde_json::from_str(&mark.to_json()).unwrap();
        assert_eq!(parsed, mark);
    }
}
