//! The portal's secret keys: a small key file (mode 0600) holding one or more master keys, each
//! with an id and a status, from which a separate key per purpose is derived with HKDF-SHA256.
//!
//! Rotation: add a new key with status `signing` and demote the old one to `verify` (tokens it
//! signed keep working until they expire), later to `retired` (no token it signed is accepted).
//! Keep retired keys in the file as long as the audit log is kept: each audit row names the key
//! whose HMAC chains it, and `candor audit verify` needs that key to check the row.
//! `candor portal-keys rotate` does the first step. Key ids are only ever looked up in memory;
//! they are never used as a path or in SQL.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hkdf::Hkdf;
use rand::RngCore as _;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// Environment variable naming the key file in production.
pub const KEYS_ENV: &str = "CANDOR_PORTAL_KEYS";

/// What a derived key is used for. Each purpose has its own key, so a token minted for one
/// purpose (a grant link) can never be replayed as another (a download).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Purpose {
    /// Short-lived download tokens.
    Download,
    /// Grant links mailed to approved requesters.
    Grant,
    /// E-mail confirmation links.
    Confirm,
    /// CSRF tokens of the portal's forms.
    Csrf,
    /// Links to a customer's executed agreements.
    Agreements,
    /// Links that prove an e-mail address and lead to an agreement's signing form.
    Sign,
    /// Short-lived download tokens of executed agreements.
    AgreementFile,
    /// The audit chain's MACs and its checkpoints.
    Audit,
    /// Sign-in links of the admin console.
    AdminLink,
    /// CSRF tokens of the admin console (bound to the session).
    AdminCsrf,
    /// Sealing admins' TOTP secrets in the store.
    AdminTotp,
    /// Links that confirm a subscription (double opt-in).
    SubscriptionConfirm,
    /// A subscriber's preferences and one-click unsubscribe links.
    Subscription,
    /// Links that prove the address of an objection to a subprocessor change.
    ObjectionConfirm,
}

impl Purpose {
    const ALL: [Purpose; 14] = [
        Purpose::Download,
        Purpose::Grant,
        Purpose::Confirm,
        Purpose::Csrf,
        Purpose::Agreements,
        Purpose::Sign,
        Purpose::AgreementFile,
        Purpose::Audit,
        Purpose::AdminLink,
        Purpose::AdminCsrf,
        Purpose::AdminTotp,
        Purpose::SubscriptionConfirm,
        Purpose::Subscription,
        Purpose::ObjectionConfirm,
    ];

    fn info(self) -> &'static [u8] {
        match self {
            Purpose::Download => b"candor/v1/download",
            Purpose::Grant => b"candor/v1/grant",
            Purpose::Confirm => b"candor/v1/confirm",
            Purpose::Csrf => b"candor/v1/csrf",
            Purpose::Agreements => b"candor/v1/agreements",
            Purpose::Sign => b"candor/v1/sign",
            Purpose::AgreementFile => b"candor/v1/agreement-file",
            Purpose::Audit => b"candor/v1/audit",
            Purpose::AdminLink => b"candor/v1/admin-link",
            Purpose::AdminCsrf => b"candor/v1/admin-csrf",
            Purpose::AdminTotp => b"candor/v1/admin-totp",
            Purpose::SubscriptionConfirm => b"candor/v1/subscription-confirm",
            Purpose::Subscription => b"candor/v1/subscription",
            Purpose::ObjectionConfirm => b"candor/v1/objection-confirm",
        }
    }
}

/// What a key may still do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum KeyStatus {
    /// Signs new tokens (exactly one key) and verifies.
    Signing,
    /// Only verifies tokens signed before a rotation.
    Verify,
    /// Kept for the record; verifies nothing.
    Retired,
}

/// One master key as stored in the key file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StoredKey {
    /// Short id, `[A-Za-z0-9_-]{1,32}`.
    pub id: String,
    /// Status.
    pub status: KeyStatus,
    /// 32 random bytes, base64url.
    pub secret: String,
    /// When it was created (RFC 3339), for the operator.
    #[serde(default)]
    pub created: Option<String>,
}

/// The key file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyFile {
    /// The keys, in any order.
    pub keys: Vec<StoredKey>,
}

/// Problems with the key file.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// Reading or writing failed.
    #[error("{path}: {source}")]
    Io {
        /// The key file.
        path: PathBuf,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not a valid key file.
    #[error("{path}: {message}")]
    Invalid {
        /// The key file.
        path: PathBuf,
        /// What is wrong, in words.
        message: String,
    },
}

/// The derived keys of one master key.
struct Derived {
    status: KeyStatus,
    keys: HashMap<Purpose, [u8; 32]>,
}

/// All keys, in memory, ready to sign and verify.
pub struct Keyring {
    keys: HashMap<String, Derived>,
    signing: String,
}

impl std::fmt::Debug for Keyring {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never print key material.
        f.debug_struct("Keyring")
            .field("ids", &self.keys.keys().collect::<Vec<_>>())
            .field("signing", &self.signing)
            .finish()
    }
}

/// Whether `id` may be a key id.
pub fn valid_key_id(id: &str) -> bool {
    (1..=32).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// A new random master key with a random id.
pub fn new_key(status: KeyStatus) -> StoredKey {
    let mut secret = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    let mut id = [0u8; 6];
    rand::rngs::OsRng.fill_bytes(&mut id);
    StoredKey {
        id: format!("k{}", URL_SAFE_NO_PAD.encode(id).replace(['-', '_'], "x")),
        status,
        secret: URL_SAFE_NO_PAD.encode(secret),
        created: Some(chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
    }
}

impl Keyring {
    /// A keyring from the key file's contents (`path` only names it in errors).
    pub fn from_file(file: &KeyFile, path: &Path) -> Result<Self, KeyError> {
        let invalid = |message: String| KeyError::Invalid {
            path: path.to_owned(),
            message,
        };
        let mut keys = HashMap::new();
        let mut signing = Vec::new();
        for k in &file.keys {
            if !valid_key_id(&k.id) {
                return Err(invalid(format!(
                    "the key id `{}` may only use letters, digits, `-` and `_` (1–32)",
                    k.id
                )));
            }
            let secret = URL_SAFE_NO_PAD
                .decode(k.secret.trim())
                .map_err(|_| invalid(format!("the secret of key `{}` is not base64url", k.id)))?;
            if secret.len() < 32 {
                return Err(invalid(format!(
                    "the secret of key `{}` is shorter than 32 bytes",
                    k.id
                )));
            }
            let hk = Hkdf::<Sha256>::new(Some(b"candor-portal"), &secret);
            let mut derived = HashMap::new();
            for purpose in Purpose::ALL {
                let mut okm = [0u8; 32];
                hk.expand(purpose.info(), &mut okm)
                    .map_err(|_| invalid("key derivation failed".into()))?;
                derived.insert(purpose, okm);
            }
            if k.status == KeyStatus::Signing {
                signing.push(k.id.clone());
            }
            if keys
                .insert(
                    k.id.clone(),
                    Derived {
                        status: k.status,
                        keys: derived,
                    },
                )
                .is_some()
            {
                return Err(invalid(format!("the key id `{}` is used twice", k.id)));
            }
        }
        match signing.as_slice() {
            [one] => Ok(Keyring {
                keys,
                signing: one.clone(),
            }),
            [] => Err(invalid(
                "no key has `status: signing`; mark the newest key as signing".into(),
            )),
            _ => Err(invalid(format!(
                "{} keys have `status: signing`; exactly one may sign (mark the older ones `verify`)",
                signing.len()
            ))),
        }
    }

    /// A keyring with one fresh key (tests, throwaway servers).
    pub fn generate() -> Self {
        let file = KeyFile {
            keys: vec![new_key(KeyStatus::Signing)],
        };
        Keyring::from_file(&file, Path::new("(memory)")).expect("a fresh key is valid")
    }

    /// The id of the signing key.
    pub fn signing_id(&self) -> &str {
        &self.signing
    }

    /// The signing key for `purpose`.
    pub(crate) fn signing_key(&self, purpose: Purpose) -> (&str, &[u8; 32]) {
        let derived = &self.keys[&self.signing];
        (&self.signing, &derived.keys[&purpose])
    }

    /// The audit keys: every key's, retired ones included (a retired key signs no new token,
    /// but the audit rows it chained stay verifiable for as long as the log is kept).
    pub fn audit_keys(&self) -> crate::portal::audit::AuditKeys {
        crate::portal::audit::AuditKeys::new(
            self.signing.clone(),
            self.keys
                .iter()
                .map(|(id, d)| (id.clone(), d.keys[&Purpose::Audit]))
                .collect(),
        )
    }

    /// The key `id` for `purpose`, when it may verify.
    pub(crate) fn verifying_key(&self, id: &str, purpose: Purpose) -> Option<&[u8; 32]> {
        let derived = self.keys.get(id)?;
        match derived.status {
            KeyStatus::Signing | KeyStatus::Verify => derived.keys.get(&purpose),
            KeyStatus::Retired => None,
        }
    }
}

/// Reads the key file, refusing one that other users can read.
pub fn read_file(path: &Path) -> Result<KeyFile, KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    std::fs::metadata(path).map_err(io)?;
    crate::portal::private::check(path, "the key file").map_err(|e| KeyError::Invalid {
        path: path.to_owned(),
        message: e.message,
    })?;
    let text = std::fs::read_to_string(path).map_err(io)?;
    serde_json::from_str(&text).map_err(|e| KeyError::Invalid {
        path: path.to_owned(),
        message: format!("not a valid key file: {e}"),
    })
}

/// Writes the key file with mode 0600 (atomically: a temp file renamed over the old one).
pub fn write_file(path: &Path, file: &KeyFile) -> Result<(), KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_owned(),
        source,
    };
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).map_err(io)?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        }
    }
    let tmp = path.with_extension("tmp");
    let text = serde_json::to_string_pretty(file).map_err(|e| KeyError::Invalid {
        path: path.to_owned(),
        message: e.to_string(),
    })?;
    {
        use std::io::Write as _;
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut f = options.open(&tmp).map_err(io)?;
        f.write_all(text.as_bytes()).map_err(io)?;
        f.sync_all().map_err(io)?;
    }
    std::fs::rename(&tmp, path).map_err(io)
}

/// The key file the portal uses, which must exist: for commands that read the store (a missing
/// key file is an error, never replaced by a fresh one that would verify nothing).
pub fn load(root: &Path) -> Result<(Keyring, PathBuf), KeyError> {
    let path = std::env::var_os(KEYS_ENV)
        .filter(|p| !p.is_empty())
        .map_or_else(
            || root.join(".candor").join("keys").join("portal-keys.json"),
            PathBuf::from,
        );
    let file = read_file(&path)?;
    Ok((Keyring::from_file(&file, &path)?, path))
}

/// The key file to use: `CANDOR_PORTAL_KEYS`, or `<root>/.candor/keys/portal-keys.json`, created
/// with one fresh key on first start. Returns the keyring and the path.
pub fn load_or_create(root: &Path) -> Result<(Keyring, PathBuf), KeyError> {
    if let Some(path) = std::env::var_os(KEYS_ENV).filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        let file = read_file(&path)?;
        return Ok((Keyring::from_file(&file, &path)?, path));
    }
    let path = root.join(".candor").join("keys").join("portal-keys.json");
    if !path.exists() {
        let file = KeyFile {
            keys: vec![new_key(KeyStatus::Signing)],
        };
        write_file(&path, &file)?;
    }
    let file = read_file(&path)?;
    Ok((Keyring::from_file(&file, &path)?, path))
}

/// Rotation: a new signing key; the previous signing key only verifies from now on.
pub fn rotate(file: &mut KeyFile) -> &StoredKey {
    for k in &mut file.keys {
        if k.status == KeyStatus::Signing {
            k.status = KeyStatus::Verify;
        }
    }
    file.keys.push(new_key(KeyStatus::Signing));
    file.keys.last().expect("just pushed")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn purposes_get_different_keys() {
        let ring = Keyring::generate();
        let (_, a) = ring.signing_key(Purpose::Download);
        let (_, b) = ring.signing_key(Purpose::Grant);
        assert_ne!(a, b);
    }

    #[test]
    fn exactly_one_signing_key_is_required() {
        let mut file = KeyFile {
            keys: vec![new_key(KeyStatus::Verify)],
        };
        let err = Keyring::from_file(&file, Path::new("k.json")).unwrap_err();
        assert!(
            err.to_string().contains("no key has `status: signing`"),
            "{err}"
        );
        file.keys.push(new_key(KeyStatus::Signing));
        file.keys.push(new_key(KeyStatus::Signing));
        let err = Keyring::from_file(&file, Path::new("k.json")).unwrap_err();
        assert!(err.to_string().contains("exactly one may sign"), "{err}");
    }

    #[test]
    fn rotation_keeps_the_old_key_for_verification_and_retired_keys_verify_nothing() {
        let mut file = KeyFile {
            keys: vec![new_key(KeyStatus::Signing)],
        };
        let old = file.keys[0].id.clone();
        let new = rotate(&mut file).id.clone();
        let ring = Keyring::from_file(&file, Path::new("k")).unwrap();
        assert_eq!(ring.signing_id(), new);
        assert!(ring.verifying_key(&old, Purpose::Download).is_some());
        file.keys[0].status = KeyStatus::Retired;
        let ring = Keyring::from_file(&file, Path::new("k")).unwrap();
        assert!(ring.verifying_key(&old, Purpose::Download).is_none());
        assert!(
            ring.verifying_key("../../etc/passwd", Purpose::Download)
                .is_none()
        );
    }

    #[test]
    fn key_files_are_private_and_world_readable_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let (ring, path) = load_or_create(dir.path()).unwrap();
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // The same key on the next start.
        let (again, _) = load_or_create(dir.path()).unwrap();
        assert_eq!(ring.signing_id(), again.signing_id());
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = load_or_create(dir.path()).unwrap_err();
        assert!(err.to_string().contains("chmod 600"), "{err}");
    }

    #[test]
    fn debug_output_never_shows_secrets() {
        let file = KeyFile {
            keys: vec![new_key(KeyStatus::Signing)],
        };
        let ring = Keyring::from_file(&file, Path::new("k")).unwrap();
        let shown = format!("{ring:?}");
        assert!(!shown.contains(&file.keys[0].secret));
    }
}
