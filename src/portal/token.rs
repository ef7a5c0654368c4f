//! Signed tokens: `v1.<key-id>.<payload>.<mac>`, each part base64url without padding.
//!
//! The payload is compact JSON with an expiry (`exp`, Unix seconds) and a random nonce; the MAC is
//! HMAC-SHA256 over `v1.<key-id>.<payload>` under the key derived for the token's [`Purpose`] from
//! the master key named by `key-id`. Verification checks the shape, looks the key id up in memory,
//! verifies the MAC in constant time, and only then decodes the payload and checks the expiry.
//! Every failure is the same opaque [`Invalid`]: callers answer with one generic page.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac};
use rand::RngCore as _;
use serde::Serialize;
use serde::de::DeserializeOwned;
use sha2::Sha256;

use super::keys::{Keyring, Purpose, valid_key_id};

/// The token format's version prefix.
pub const VERSION: &str = "v1";
/// Longest token accepted (bytes); anything longer is rejected before decoding.
pub const MAX_LEN: usize = 1024;
/// Clock skew tolerated between replicas (seconds).
pub const LEEWAY_SECS: i64 = 30;

type HmacSha256 = Hmac<Sha256>;

/// A token that is not valid. Deliberately without detail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("invalid token")]
pub struct Invalid;

/// Payloads carry an expiry.
pub trait Claims: Serialize + DeserializeOwned {
    /// Expiry, Unix seconds.
    fn expires(&self) -> i64;
}

/// What a download token grants: one file of one document version, for a few minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DownloadClaims {
    /// Grant id.
    pub g: String,
    /// Document id.
    pub d: String,
    /// Version.
    pub v: String,
    /// Language of the file.
    pub l: String,
    /// SHA-256 (hex) of the file as stored.
    pub h: String,
    /// Expiry.
    pub exp: i64,
    /// Random nonce (base64url).
    pub n: String,
}

impl Claims for DownloadClaims {
    fn expires(&self) -> i64 {
        self.exp
    }
}

/// A link naming a record (grant, request, customer) until it expires.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LinkClaims {
    /// The record's id.
    pub id: String,
    /// Expiry.
    pub exp: i64,
    /// Random nonce (base64url).
    pub n: String,
}

impl Claims for LinkClaims {
    fn expires(&self) -> i64 {
        self.exp
    }
}

/// A fresh random nonce.
pub fn nonce() -> String {
    let mut n = [0u8; 12];
    rand::rngs::OsRng.fill_bytes(&mut n);
    URL_SAFE_NO_PAD.encode(n)
}

/// The parts of a token, checked for shape only (nothing is trusted yet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The key id.
    pub key_id: &'a str,
    /// The signed prefix `v1.<key-id>.<payload>`.
    pub signed: &'a str,
    /// The decoded payload (unauthenticated).
    pub payload: Vec<u8>,
    /// The decoded MAC.
    pub mac: [u8; 32],
}

/// Splits and decodes a token without verifying it. Total: never panics, whatever the input.
pub fn parse(token: &str) -> Result<Parts<'_>, Invalid> {
    if token.len() > MAX_LEN || !token.is_ascii() {
        return Err(Invalid);
    }
    let mut it = token.split('.');
    let (Some(version), Some(key_id), Some(payload), Some(mac), None) =
        (it.next(), it.next(), it.next(), it.next(), it.next())
    else {
        return Err(Invalid);
    };
    if version != VERSION || !valid_key_id(key_id) || payload.is_empty() {
        return Err(Invalid);
    }
    let payload_bytes = URL_SAFE_NO_PAD.decode(payload).map_err(|_| Invalid)?;
    let mac_bytes: [u8; 32] = URL_SAFE_NO_PAD
        .decode(mac)
        .map_err(|_| Invalid)?
        .try_into()
        .map_err(|_| Invalid)?;
    let signed = &token[..token.len() - mac.len() - 1];
    Ok(Parts {
        key_id,
        signed,
        payload: payload_bytes,
        mac: mac_bytes,
    })
}

/// Signs `claims` for `purpose` with the current signing key.
pub fn sign<C: Claims>(keys: &Keyring, purpose: Purpose, claims: &C) -> String {
    let (key_id, key) = keys.signing_key(purpose);
    let payload = serde_json::to_vec(claims).expect("claims serialize");
    let signed = format!("{VERSION}.{key_id}.{}", URL_SAFE_NO_PAD.encode(payload));
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(signed.as_bytes());
    let tag = mac.finalize().into_bytes();
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(tag))
}

/// Verifies a token for `purpose` at time `now` (Unix seconds): shape, key, MAC (constant time),
/// payload, expiry — in that order.
pub fn verify<C: Claims>(
    keys: &Keyring,
    purpose: Purpose,
    token: &str,
    now: i64,
) -> Result<C, Invalid> {
    let parts = parse(token)?;
    let key = keys.verifying_key(parts.key_id, purpose).ok_or(Invalid)?;
    let mut mac = HmacSha256::new_from_slice(key).map_err(|_| Invalid)?;
    mac.update(parts.signed.as_bytes());
    mac.verify_slice(&parts.mac).map_err(|_| Invalid)?;
    let claims: C = serde_json::from_slice(&parts.payload).map_err(|_| Invalid)?;
    if claims.expires() + LEEWAY_SECS < now {
        return Err(Invalid);
    }
    Ok(claims)
}

/// A tag binding `data` under the key of `purpose`: base64url HMAC-SHA256 (CSRF tokens of the
/// portal's forms, bound to their cookie, and of the console's, bound to the session).
pub fn bound_tag(keys: &Keyring, purpose: Purpose, data: &str) -> String {
    let (_, key) = keys.signing_key(purpose);
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(data.as_bytes());
    URL_SAFE_NO_PAD.encode(mac.finalize().into_bytes())
}

/// Whether `tag` is [`bound_tag`] of `data` (constant time).
pub fn bound_tag_valid(keys: &Keyring, purpose: Purpose, data: &str, tag: &str) -> bool {
    if tag.len() > 64 {
        return false;
    }
    let Ok(tag) = URL_SAFE_NO_PAD.decode(tag) else {
        return false;
    };
    let (_, key) = keys.signing_key(purpose);
    let Ok(mut mac) = HmacSha256::new_from_slice(key) else {
        return false;
    };
    mac.update(data.as_bytes());
    mac.verify_slice(&tag).is_ok()
}

/// A CSRF token bound to the browser's CSRF cookie: HMAC of the cookie's random value.
pub fn csrf_token(keys: &Keyring, cookie: &str) -> String {
    bound_tag(keys, Purpose::Csrf, cookie)
}

/// Whether `token` is the CSRF token for `cookie` (constant time; the cookie must look random).
pub fn csrf_valid(keys: &Keyring, cookie: &str, token: &str) -> bool {
    (16..=64).contains(&cookie.len()) && bound_tag_valid(keys, Purpose::Csrf, cookie, token)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::portal::keys::{KeyFile, KeyStatus, new_key, rotate};
    use proptest::prelude::*;
    use std::path::Path;

    const NOW: i64 = 1_800_000_000;

    fn claims() -> DownloadClaims {
        DownloadClaims {
            g: "g7x2k9q4m3n8".into(),
            d: "pentest-summary".into(),
            v: "2026".into(),
            l: "en".into(),
            h: "ab".repeat(32),
            exp: NOW + 300,
            n: nonce(),
        }
    }

    #[test]
    fn a_signed_token_verifies_and_has_four_parts() {
        let keys = Keyring::generate();
        let t = sign(&keys, Purpose::Download, &claims());
        assert_eq!(t.split('.').count(), 4);
        assert!(t.starts_with("v1."));
        let back: DownloadClaims = verify(&keys, Purpose::Download, &t, NOW).unwrap();
        assert_eq!(back.d, "pentest-summary");
    }

    #[test]
    fn every_single_byte_change_and_every_truncation_is_rejected() {
        let keys = Keyring::generate();
        let t = sign(&keys, Purpose::Download, &claims());
        let bytes = t.as_bytes();
        for i in 0..bytes.len() {
            for b in 0u8..=127 {
                if b == bytes[i] {
                    continue;
                }
                let mut changed = bytes.to_vec();
                changed[i] = b;
                let changed = String::from_utf8(changed).unwrap();
                assert!(
                    verify::<DownloadClaims>(&keys, Purpose::Download, &changed, NOW).is_err(),
                    "accepted a change at {i} to {b}: {changed}"
                );
            }
        }
        for len in 0..t.len() {
            assert!(verify::<DownloadClaims>(&keys, Purpose::Download, &t[..len], NOW).is_err());
        }
    }

    #[test]
    fn expiry_is_enforced_with_a_small_leeway() {
        let keys = Keyring::generate();
        let t = sign(&keys, Purpose::Download, &claims());
        assert!(
            verify::<DownloadClaims>(&keys, Purpose::Download, &t, NOW + 300 + LEEWAY_SECS).is_ok()
        );
        assert!(
            verify::<DownloadClaims>(&keys, Purpose::Download, &t, NOW + 301 + LEEWAY_SECS)
                .is_err()
        );
    }

    #[test]
    fn a_token_for_one_purpose_or_keyring_is_useless_for_another() {
        let keys = Keyring::generate();
        let link = LinkClaims {
            id: "g1".into(),
            exp: NOW + 60,
            n: nonce(),
        };
        let t = sign(&keys, Purpose::Grant, &link);
        assert!(verify::<LinkClaims>(&keys, Purpose::Confirm, &t, NOW).is_err());
        assert!(verify::<LinkClaims>(&keys, Purpose::Agreements, &t, NOW).is_err());
        assert!(verify::<LinkClaims>(&Keyring::generate(), Purpose::Grant, &t, NOW).is_err());
        // Payload shape is part of the contract too.
        assert!(verify::<DownloadClaims>(&keys, Purpose::Grant, &t, NOW).is_err());
    }

    #[test]
    fn tokens_of_a_rotated_key_verify_until_it_is_retired() {
        let mut file = KeyFile {
            keys: vec![new_key(KeyStatus::Signing)],
        };
        let old = Keyring::from_file(&file, Path::new("k")).unwrap();
        let t = sign(&old, Purpose::Download, &claims());
        rotate(&mut file);
        let rotated = Keyring::from_file(&file, Path::new("k")).unwrap();
        assert!(verify::<DownloadClaims>(&rotated, Purpose::Download, &t, NOW).is_ok());
        let fresh = sign(&rotated, Purpose::Download, &claims());
        assert_ne!(fresh.split('.').nth(1), t.split('.').nth(1));
        file.keys[0].status = KeyStatus::Retired;
        let retired = Keyring::from_file(&file, Path::new("k")).unwrap();
        assert!(verify::<DownloadClaims>(&retired, Purpose::Download, &t, NOW).is_err());
    }

    #[test]
    fn csrf_tokens_are_bound_to_their_cookie() {
        let keys = Keyring::generate();
        let cookie = nonce() + &nonce();
        let t = csrf_token(&keys, &cookie);
        assert!(csrf_valid(&keys, &cookie, &t));
        assert!(!csrf_valid(&keys, &(nonce() + &nonce()), &t));
        assert!(!csrf_valid(&keys, &cookie, ""));
        assert!(!csrf_valid(&keys, "short", &csrf_token(&keys, "short")));
    }

    proptest! {
        #[test]
        fn the_parser_never_panics_and_garbage_never_verifies(s in "\\PC{0,300}") {
            let keys = Keyring::generate();
            let _ = parse(&s);
            prop_assert!(verify::<DownloadClaims>(&keys, Purpose::Download, &s, NOW).is_err());
        }

        #[test]
        fn well_formed_but_unsigned_tokens_never_verify(
            kid in "[A-Za-z0-9_-]{1,32}",
            payload in proptest::collection::vec(any::<u8>(), 1..200),
            mac in proptest::collection::vec(any::<u8>(), 32..=32),
        ) {
            let keys = Keyring::generate();
            let t = format!("v1.{kid}.{}.{}", URL_SAFE_NO_PAD.encode(&payload), URL_SAFE_NO_PAD.encode(&mac));
            let parts = parse(&t).unwrap();
            prop_assert_eq!(parts.payload, payload);
            prop_assert!(verify::<DownloadClaims>(&keys, Purpose::Download, &t, NOW).is_err());
        }

        #[test]
        fn signed_claims_round_trip(doc in "[a-z0-9-]{1,40}", version in "[0-9.]{1,8}", exp in NOW..NOW + 10_000) {
            let keys = Keyring::generate();
            let c = DownloadClaims { d: doc, v: version, exp, ..claims() };
            let t = sign(&keys, Purpose::Download, &c);
            prop_assert_eq!(verify::<DownloadClaims>(&keys, Purpose::Download, &t, NOW).unwrap(), c);
        }
    }
}
