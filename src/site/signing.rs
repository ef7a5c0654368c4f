//! OpenPGP signing for published documents and `/.well-known/security.txt`.
//!
//! This module wraps the pure-Rust [rPGP](https://docs.rs/pgp/0.21) crate and offers exactly what
//! the generator needs: create or load an Ed25519 signing key, export it, and produce detached
//! signatures and cleartext-signed messages that GnuPG 2.2 (Debian 12) and newer can verify.
//!
//! Keys are OpenPGP **v4** keys using the "EdDSA legacy" (algorithm 22) encoding of Ed25519,
//! because GnuPG 2.2 understands neither v6 keys nor the RFC 9580 Ed25519 algorithm (27).
//! Signatures are v4 signatures over SHA-256.
//!
//! All signatures are made with the **primary key** of the loaded certificate; signing subkeys are
//! not used.

use std::fmt;

use pgp::{
    composed::{
        ArmorOptions, CleartextSignedMessage, Deserializable, DetachedSignature, KeyType,
        SecretKeyParamsBuilder, SignedSecretKey,
    },
    crypto::{hash::HashAlgorithm, sym::SymmetricKeyAlgorithm},
    types::{KeyDetails as _, KeyVersion, Password},
};
use rand::rngs::OsRng;

/// Hash algorithm used for every signature this module makes.
const HASH: HashAlgorithm = HashAlgorithm::Sha256;

/// An unlocked OpenPGP secret key (with its user id and self-signature), ready to sign.
///
/// The secret key material is held unencrypted in memory (rPGP zeroizes it on drop). The type is
/// `Send + Sync`, so one key can be shared by reference across rayon worker threads.
#[derive(Clone)]
pub struct SigningKey {
    /// The transferable secret key; its primary key is unlocked (no passphrase needed to sign).
    key: SignedSecretKey,
}

/// Errors from creating, loading, exporting or using a [`SigningKey`].
#[derive(Debug, thiserror::Error)]
pub enum SigningError {
    /// The user id given to [`SigningKey::generate`] is empty or contains a line break.
    #[error("invalid OpenPGP user id {0:?}: it must be non-empty and on one line")]
    InvalidUserId(String),
    /// Key generation failed inside rPGP.
    #[error("could not generate the OpenPGP key")]
    Generate(#[source] Box<dyn std::error::Error + Send + Sync + 'static>),
    /// The text is not an ASCII-armored OpenPGP secret key (or its self-signatures are invalid).
    #[error("could not read the OpenPGP secret key")]
    Parse(#[source] pgp::errors::Error),
    /// The key parsed, but is not one this module can sign with so that GnuPG 2.2 verifies it.
    #[error("unsupported OpenPGP key: {0}")]
    UnsupportedKey(String),
    /// The secret key is passphrase-protected and the passphrase was missing or wrong.
    #[error("could not unlock the OpenPGP secret key (missing or wrong passphrase?)")]
    Unlock(#[source] pgp::errors::Error),
    /// Creating a signature failed.
    #[error("could not create the OpenPGP signature")]
    Sign(#[source] pgp::errors::Error),
    /// Serializing a key or signature to ASCII armor failed.
    #[error("could not write OpenPGP ASCII armor")]
    Armor(#[source] pgp::errors::Error),
}

impl SigningKey {
    /// Creates a new Ed25519 signing key (primary key, sign-capable) for `user_id` like
    /// "Example Cloud GmbH <security@example.com>".
    ///
    /// The key is a v4 key (EdDSA legacy encoding, readable by GnuPG 2.2) that can certify and
    /// sign, has no expiry and no subkeys, and prefers SHA-256/SHA-512 and AES-256/AES-128.
    pub fn generate(user_id: &str) -> Result<SigningKey, SigningError> {
        if user_id.trim().is_empty() || user_id.contains(['\n', '\r']) {
            return Err(SigningError::InvalidUserId(user_id.to_owned()));
        }
        let params = SecretKeyParamsBuilder::default()
            .version(KeyVersion::V4)
            .key_type(KeyType::Ed25519Legacy)
            .can_certify(true)
            .can_sign(true)
            .primary_user_id(user_id.to_owned())
            .preferred_hash_algorithms(
                [HashAlgorithm::Sha256, HashAlgorithm::Sha512]
                    .into_iter()
                    .collect(),
            )
            .preferred_symmetric_algorithms(
                [SymmetricKeyAlgorithm::AES256, SymmetricKeyAlgorithm::AES128]
                    .into_iter()
                    .collect(),
            )
            .build()
            .map_err(|e| SigningError::Generate(Box::new(e)))?;
        let key = params
            .generate(OsRng)
            .map_err(|e| SigningError::Generate(Box::new(e)))?;
        Ok(SigningKey { key })
    }

    /// Parses an ASCII-armored secret key (as written by [`SigningKey::to_armored_secret`] or
    /// `gpg --armor --export-secret-keys`), optionally passphrase-protected (`passphrase` may be
    /// the empty string for none).
    ///
    /// The primary key is unlocked once here, so signing later needs no passphrase. Only v4 keys
    /// are accepted, since GnuPG 2.2 cannot verify signatures from v6 keys.
    pub fn from_armored(text: &str, passphrase: &str) -> Result<SigningKey, SigningError> {
        let (mut key, _headers) =
            SignedSecretKey::from_string(text).map_err(SigningError::Parse)?;
        if key.primary_key.version() != KeyVersion::V4 {
            return Err(SigningError::UnsupportedKey(format!(
                "primary key is {:?}, only v4 keys are supported",
                key.primary_key.version()
            )));
        }
        key.verify_bindings().map_err(SigningError::Parse)?;
        key.primary_key
            .remove_password(&Password::from(passphrase))
            .map_err(SigningError::Unlock)?;
        Ok(SigningKey { key })
    }

    /// The secret key, ASCII-armored ("-----BEGIN PGP PRIVATE KEY BLOCK-----").
    ///
    /// The primary key material is written **unprotected** (no passphrase): keep the output
    /// secret. Read it back with [`SigningKey::from_armored`] and an empty passphrase.
    pub fn to_armored_secret(&self) -> Result<String, SigningError> {
        self.key
            .to_armored_string(ArmorOptions::default())
            .map_err(SigningError::Armor)
    }

    /// The public key (transferable public key with the user id and self-signature),
    /// ASCII-armored, importable by `gpg --import`.
    pub fn to_armored_public(&self) -> Result<String, SigningError> {
        self.key
            .to_public_key()
            .to_armored_string(ArmorOptions::default())
            .map_err(SigningError::Armor)
    }

    /// Upper-case hex fingerprint of the primary key (40 hex chars for v4).
    pub fn fingerprint(&self) -> String {
        format!("{:X}", self.key.primary_key.fingerprint())
    }

    /// A detached, ASCII-armored signature over `data` (binary document signature, SHA-256),
    /// verifiable with `gpg --verify file.asc file`.
    pub fn sign_detached(&self, data: &[u8]) -> Result<String, SigningError> {
        let signature = DetachedSignature::sign_binary_data(
            OsRng,
            &self.key.primary_key,
            &Password::empty(),
            HASH,
            data,
        )
        .map_err(SigningError::Sign)?;
        signature
            .to_armored_string(ArmorOptions::default())
            .map_err(SigningError::Armor)
    }

    /// A cleartext-signed message (RFC 4880/9580 "-----BEGIN PGP SIGNED MESSAGE-----"),
    /// verifiable with `gpg --verify`, used for `/.well-known/security.txt`.
    ///
    /// Before signing, line endings are normalized to `\n` (`\r\n` and lone `\r` count as line
    /// breaks) and trailing spaces and tabs are removed from every line, because the cleartext
    /// signature framework ignores them anyway. Lines starting with `-` are dash-escaped in the
    /// output.
    ///
    /// Like `gpg --clearsign`, the line break that ends the last line is not part of the signed
    /// data (it is the one before "-----BEGIN PGP SIGNATURE-----"), so `gpg --decrypt` returns
    /// the normalized text exactly when it ends with a newline, and with one newline appended
    /// when it does not.
    pub fn clearsign(&self, text: &str) -> Result<String, SigningError> {
        let text = normalize_cleartext(text);
        // rPGP writes the text, then "\n", then the signature armor, and signs the text as given.
        // Dropping one final newline yields gpg's layout: "last line\n-----BEGIN PGP SIGNATURE".
        let text = text.strip_suffix('\n').unwrap_or(&text);
        let message =
            CleartextSignedMessage::sign(OsRng, text, &self.key.primary_key, &Password::empty())
                .map_err(SigningError::Sign)?;
        message
            .to_armored_string(ArmorOptions::default())
            .map_err(SigningError::Armor)
    }
}

impl fmt::Debug for SigningKey {
    /// Shows the fingerprint only, never secret key material.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKey")
            .field("fingerprint", &self.fingerprint())
            .finish_non_exhaustive()
    }
}

/// Normalizes `text` for the cleartext signature framework: every line break (`\r\n`, `\r` or
/// `\n`) becomes `\n`, and trailing spaces and tabs are removed from each line.
fn normalize_cleartext(text: &str) -> String {
    let unified = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out = String::with_capacity(unified.len());
    for line in unified.split_inclusive('\n') {
        let (content, newline) = match line.strip_suffix('\n') {
            Some(content) => (content, true),
            None => (line, false),
        };
        out.push_str(content.trim_end_matches([' ', '\t']));
        if newline {
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::{
        path::Path,
        process::{Command, Output, Stdio},
        sync::OnceLock,
    };

    const SECURITY_TXT: &str = "Contact: mailto:x@example.com\n\
        Expires: 2027-01-01T00:00:00Z\n\
        -----BEGIN fake armor line that must be dash-escaped\n\
        - a list item\n\
        \n\
        Preferred-Languages: en, de\n";

    /// One key for all tests: Ed25519 key generation is fast, but there is no need to repeat it.
    fn test_key() -> &'static SigningKey {
        static KEY: OnceLock<SigningKey> = OnceLock::new();
        KEY.get_or_init(|| {
            SigningKey::generate("Example Cloud GmbH <security@example.com>").expect("generate")
        })
    }

    /// A throwaway GnuPG home directory; `None` (with a note) if `gpg` is not installed.
    struct Gpg {
        home: tempfile::TempDir,
    }

    impl Gpg {
        fn new() -> Option<Gpg> {
            let installed = Command::new("gpg")
                .arg("--version")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if !installed {
                eprintln!(
                    "note: `gpg` is not installed; skipping the GnuPG interoperability check"
                );
                return None;
            }
            // `tempdir` creates the directory with mode 0700, as GnuPG wants for its home.
            let home = tempfile::Builder::new()
                .prefix("gpg")
                .tempdir()
                .expect("tempdir");
            Some(Gpg { home })
        }

        fn run(&self, args: &[&str], stdin: Option<&[u8]>) -> Output {
            use std::io::Write;
            let mut child = Command::new("gpg")
                .arg("--homedir")
                .arg(self.home.path())
                .args(["--batch", "--no-tty", "--status-fd", "2"])
                .args(args)
                .stdin(if stdin.is_some() {
                    Stdio::piped()
                } else {
                    Stdio::null()
                })
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .expect("spawn gpg");
            if let Some(input) = stdin {
                child
                    .stdin
                    .take()
                    .expect("stdin")
                    .write_all(input)
                    .expect("write to gpg");
            }
            child.wait_with_output().expect("wait for gpg")
        }

        fn import(&self, armored: &str) {
            let out = self.run(&["--import"], Some(armored.as_bytes()));
            assert!(
                out.status.success(),
                "gpg --import failed: {}",
                stderr(&out)
            );
        }

        fn write(&self, name: &str, contents: &[u8]) -> String {
            let path = self.home.path().join(name);
            std::fs::write(&path, contents).expect("write file");
            path_str(&path)
        }
    }

    impl Drop for Gpg {
        fn drop(&mut self) {
            // Stop the gpg-agent that secret-key operations may have started for this home.
            let _ = Command::new("gpgconf")
                .arg("--homedir")
                .arg(self.home.path())
                .args(["--kill", "all"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status();
        }
    }

    fn path_str(path: &Path) -> String {
        path.to_str().expect("utf-8 temp path").to_owned()
    }

    fn stderr(out: &Output) -> String {
        String::from_utf8_lossy(&out.stderr).into_owned()
    }

    /// Asserts that gpg reported a good, valid signature by the key with `fingerprint`.
    fn assert_good(out: &Output, fingerprint: &str) {
        let log = stderr(out);
        assert!(out.status.success(), "gpg rejected the signature: {log}");
        assert!(log.contains("[GNUPG:] GOODSIG"), "no GOODSIG: {log}");
        assert!(
            log.contains(&format!("[GNUPG:] VALIDSIG {fingerprint}")),
            "no VALIDSIG for {fingerprint}: {log}"
        );
    }

    #[test]
    fn signing_key_is_send_and_sync() {
        fn assert_send_sync<T: Send + Sync + 'static>() {}
        assert_send_sync::<SigningKey>();
        assert_send_sync::<SigningError>();
    }

    #[test]
    fn generated_key_is_v4_ed25519_with_user_id() {
        let key = test_key();
        let fpr = key.fingerprint();
        assert_eq!(fpr.len(), 40, "{fpr}");
        assert!(
            fpr.chars()
                .all(|c| c.is_ascii_digit() || c.is_ascii_uppercase())
        );
        let public = key.to_armored_public().expect("public");
        assert!(public.starts_with("-----BEGIN PGP PUBLIC KEY BLOCK-----"));
        let secret = key.to_armored_secret().expect("secret");
        assert!(secret.starts_with("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
        assert!(format!("{key:?}").contains(&fpr));
        assert!(!format!("{key:?}").contains("secret_params"));
    }

    #[test]
    fn generate_rejects_bad_user_ids() {
        for bad in ["", "   ", "a\nb", "a\rb"] {
            assert!(matches!(
                SigningKey::generate(bad),
                Err(SigningError::InvalidUserId(_))
            ));
        }
    }

    #[test]
    fn armored_secret_round_trip_keeps_fingerprint() {
        let key = test_key();
        let armored = key.to_armored_secret().expect("armor");
        let back = SigningKey::from_armored(&armored, "").expect("parse");
        assert_eq!(back.fingerprint(), key.fingerprint());
        assert_eq!(
            back.to_armored_public().unwrap(),
            key.to_armored_public().unwrap()
        );
        // The re-loaded key signs too.
        back.sign_detached(b"data").expect("sign");
    }

    #[test]
    fn from_armored_rejects_garbage() {
        let key = test_key();
        let public = key.to_armored_public().unwrap();
        let secret = key.to_armored_secret().unwrap();
        let truncated = &secret[..secret.len() / 2];
        // Flip one base64 character in the middle of the armored body.
        let mut corrupted = secret.clone().into_bytes();
        let middle = corrupted.len() / 2;
        corrupted[middle] = if corrupted[middle] == b'A' {
            b'B'
        } else {
            b'A'
        };
        let corrupted = String::from_utf8(corrupted).unwrap();
        for garbage in [
            "",
            "garbage",
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\n\nnot base64!\n-----END PGP PRIVATE KEY BLOCK-----\n",
            public.as_str(),
            truncated,
            corrupted.as_str(),
            "\u{0}\u{1}\u{2}\u{ff}",
        ] {
            assert!(
                SigningKey::from_armored(garbage, "").is_err(),
                "accepted {garbage:?}"
            );
        }
    }

    #[test]
    fn from_armored_rejects_v6_keys() {
        let v6 = SecretKeyParamsBuilder::default()
            .version(KeyVersion::V6)
            .key_type(KeyType::Ed25519)
            .can_certify(true)
            .can_sign(true)
            .build()
            .unwrap()
            .generate(OsRng)
            .unwrap()
            .to_armored_string(ArmorOptions::default())
            .unwrap();
        assert!(matches!(
            SigningKey::from_armored(&v6, ""),
            Err(SigningError::UnsupportedKey(_))
        ));
    }

    #[test]
    fn normalize_cleartext_rules() {
        assert_eq!(normalize_cleartext("a \t\r\nb\rc  "), "a\nb\nc");
        assert_eq!(normalize_cleartext("x\n\n"), "x\n\n");
        assert_eq!(normalize_cleartext(""), "");
    }

    #[test]
    fn detached_signature_verifies_with_gpg() {
        let Some(gpg) = Gpg::new() else { return };
        let key = test_key();
        gpg.import(&key.to_armored_public().unwrap());

        let data: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
        let signature = key.sign_detached(&data).expect("sign");
        assert!(signature.starts_with("-----BEGIN PGP SIGNATURE-----"));
        let sig = gpg.write("doc.pdf.asc", signature.as_bytes());
        let doc = gpg.write("doc.pdf", &data);
        assert_good(
            &gpg.run(&["--verify", &sig, &doc], None),
            &key.fingerprint(),
        );

        let mut tampered = data.clone();
        tampered[5000] ^= 0x01;
        let bad = gpg.write("tampered.pdf", &tampered);
        let out = gpg.run(&["--verify", &sig, &bad], None);
        assert!(!out.status.success(), "tampered data verified");
        assert!(stderr(&out).contains("[GNUPG:] BADSIG"), "{}", stderr(&out));
    }

    #[test]
    fn clearsigned_text_verifies_with_gpg_and_round_trips() {
        let Some(gpg) = Gpg::new() else { return };
        let key = test_key();
        gpg.import(&key.to_armored_public().unwrap());

        let signed = key.clearsign(SECURITY_TXT).expect("clearsign");
        assert!(signed.starts_with("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"));
        assert!(signed.contains("\n- -----BEGIN fake armor"), "{signed}");
        assert!(signed.contains("\n- - a list item\n"), "{signed}");
        // Same layout as `gpg --clearsign`: no blank line before the signature armor.
        assert!(
            signed.contains("Preferred-Languages: en, de\n-----BEGIN PGP SIGNATURE-----\n"),
            "{signed}"
        );

        let file = gpg.write("security.txt", signed.as_bytes());
        assert_good(&gpg.run(&["--verify", &file], None), &key.fingerprint());
        let out = gpg.run(&["--output", "-", "--decrypt", &file], None);
        assert_good(&out, &key.fingerprint());
        assert_eq!(String::from_utf8(out.stdout).unwrap(), SECURITY_TXT);

        // Changing one character of the signed text breaks the signature.
        let tampered = signed.replacen("x@example.com", "y@example.com", 1);
        assert_ne!(tampered, signed);
        let bad = gpg.write("tampered.txt", tampered.as_bytes());
        let out = gpg.run(&["--verify", &bad], None);
        assert!(!out.status.success(), "tampered text verified");
        assert!(stderr(&out).contains("[GNUPG:] BADSIG"), "{}", stderr(&out));
    }

    #[test]
    fn clearsign_normalizes_trailing_whitespace_and_crlf() {
        let Some(gpg) = Gpg::new() else { return };
        let key = test_key();
        gpg.import(&key.to_armored_public().unwrap());

        let signed = key
            .clearsign("Contact: mailto:x@example.com  \r\nExpires: 2027-01-01T00:00:00Z\t\r\n")
            .expect("clearsign");
        let file = gpg.write("crlf.txt", signed.as_bytes());
        let out = gpg.run(&["--output", "-", "--decrypt", &file], None);
        assert_good(&out, &key.fingerprint());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "Contact: mailto:x@example.com\nExpires: 2027-01-01T00:00:00Z\n"
        );

        // Without a final newline, gpg hands the text back with one appended.
        let signed = key.clearsign("Contact: mailto:x@example.com").unwrap();
        let file = gpg.write("no-newline.txt", signed.as_bytes());
        let out = gpg.run(&["--output", "-", "--decrypt", &file], None);
        assert_good(&out, &key.fingerprint());
        assert_eq!(
            String::from_utf8(out.stdout).unwrap(),
            "Contact: mailto:x@example.com\n"
        );
    }

    #[test]
    fn gpg_can_import_the_armored_secret_key() {
        let Some(gpg) = Gpg::new() else { return };
        let key = test_key();
        gpg.import(&key.to_armored_secret().unwrap());
        let out = gpg.run(&["--with-colons", "--list-secret-keys"], None);
        assert!(out.status.success(), "{}", stderr(&out));
        let listing = String::from_utf8(out.stdout).unwrap();
        assert!(
            listing.contains(&format!("fpr:::::::::{}:", key.fingerprint())),
            "{listing}"
        );
        // Primary key usage as gpg sees it: sign + certify.
        let sec = listing.lines().find(|l| l.starts_with("sec:")).unwrap();
        assert_eq!(sec.split(':').nth(11), Some("scSC"), "{sec}");
    }

    /// A passphrase-protected key exported by GnuPG itself loads with the right passphrase only,
    /// and what it signs verifies.
    #[test]
    fn loads_passphrase_protected_key_exported_by_gpg() {
        let Some(gpg) = Gpg::new() else { return };
        // A low S2K iteration count keeps the three unlock attempts below fast (gpg-agent
        // otherwise calibrates it to ~100 ms of libgcrypt time, seconds of rPGP's checked SHA-1).
        gpg.write("gpg-agent.conf", b"s2k-count 65536\n");
        let pass = [
            "--pinentry-mode",
            "loopback",
            "--passphrase",
            "correct horse",
        ];
        let mut args = pass.to_vec();
        args.extend([
            "--quick-gen-key",
            "GPG Made <gpg@example.com>",
            "ed25519",
            "sign",
            "never",
        ]);
        let out = gpg.run(&args, None);
        assert!(out.status.success(), "gpg keygen: {}", stderr(&out));
        let mut args = pass.to_vec();
        args.extend(["--armor", "--export-secret-keys"]);
        let out = gpg.run(&args, None);
        assert!(out.status.success(), "gpg export: {}", stderr(&out));
        let exported = String::from_utf8(out.stdout).unwrap();

        assert!(matches!(
            SigningKey::from_armored(&exported, ""),
            Err(SigningError::Unlock(_))
        ));
        assert!(matches!(
            SigningKey::from_armored(&exported, "wrong"),
            Err(SigningError::Unlock(_))
        ));
        let key = SigningKey::from_armored(&exported, "correct horse").expect("unlock");

        let signature = key.sign_detached(b"hello\n").unwrap();
        let sig = gpg.write("hello.asc", signature.as_bytes());
        let doc = gpg.write("hello", b"hello\n");
        assert_good(
            &gpg.run(&["--verify", &sig, &doc], None),
            &key.fingerprint(),
        );

        let signed = gpg.write("s.txt", key.clearsign(SECURITY_TXT).unwrap().as_bytes());
        assert_good(&gpg.run(&["--verify", &signed], None), &key.fingerprint());
    }

    #[test]
    fn signs_in_parallel_threads() {
        let key = test_key();
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..4)
                .map(|i| scope.spawn(move || key.sign_detached(format!("doc {i}").as_bytes())))
                .collect();
            for handle in handles {
                assert!(handle.join().unwrap().is_ok());
            }
        });
    }
}
