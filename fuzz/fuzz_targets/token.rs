//! Download tokens from arbitrary input: `token::parse` and `token::verify` never panic, what
//! `parse` accepts is a well-formed token, and nothing verifies but a token signed with the key
//! (with a fixed keyring, so that crashes reproduce).
//!
//! Input starting with 0x00 is a list of edits (position, byte) applied to a genuine token
//! instead: any change at all must make it fail to verify.

#![no_main]

use std::path::Path;
use std::sync::LazyLock;

use candor::portal::keys::{KeyFile, KeyStatus, Keyring, Purpose, StoredKey};
use candor::portal::token::{self, DownloadClaims, MAX_LEN};
use libfuzzer_sys::fuzz_target;

/// "Now" for expiry checks; the genuine token expires 5 minutes later.
const NOW: i64 = 1_800_000_000;

static KEYS: LazyLock<Keyring> = LazyLock::new(|| {
    let file = KeyFile {
        keys: vec![StoredKey {
            id: "fuzz".into(),
            status: KeyStatus::Signing,
            // Bytes 0..32, base64url.
            secret: "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8".into(),
            created: None,
        }],
    };
    Keyring::from_file(&file, Path::new("fuzz")).expect("a valid key file")
});

static GENUINE: LazyLock<String> = LazyLock::new(|| {
    let claims = DownloadClaims {
        g: "g23456789abcdef".into(),
        d: "pentest-summary".into(),
        v: "2026".into(),
        l: "en".into(),
        h: "ab".repeat(32),
        exp: NOW + 300,
        n: "AAAAAAAAAAAAAAAA".into(),
    };
    token::sign(&KEYS, Purpose::Download, &claims)
});

fn check(input: &str) {
    if let Ok(parts) = token::parse(input) {
        assert!(input.len() <= MAX_LEN && input.is_ascii());
        assert!(input.starts_with("v1."));
        assert!(input.starts_with(parts.signed));
        assert_eq!(input.as_bytes()[parts.signed.len()], b'.');
        assert!(input.starts_with(&format!("v1.{}.", parts.key_id)));
    }
    let verified = token::verify::<DownloadClaims>(&KEYS, Purpose::Download, input, NOW);
    if input == GENUINE.as_str() {
        assert!(verified.is_ok(), "the genuine token no longer verifies");
    } else {
        assert!(
            verified.is_err(),
            "verified a token the key never signed: {input:?}"
        );
    }
    // The same token for another purpose never verifies.
    assert!(token::verify::<DownloadClaims>(&KEYS, Purpose::Grant, input, NOW).is_err());
}

fuzz_target!(|data: &[u8]| {
    match data.split_first() {
        Some((0, edits)) => {
            let mut bytes = GENUINE.as_bytes().to_vec();
            for edit in edits.chunks_exact(3) {
                let at = usize::from(u16::from_le_bytes([edit[0], edit[1]]));
                match bytes.get_mut(at) {
                    Some(b) => *b = edit[2],
                    None => bytes.truncate(at % (bytes.len() + 1)),
                }
            }
            check(&String::from_utf8_lossy(&bytes));
        }
        _ => check(&String::from_utf8_lossy(data)),
    }
});
