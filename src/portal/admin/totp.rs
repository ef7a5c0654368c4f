//! The TOTP second factor (RFC 6238: HMAC-SHA-1, 6 digits, 30-second steps, one step of clock
//! skew either way) with totp-rs, and how its secret is kept: sealed under the portal's
//! `AdminTotp` key, bound to the admin's address, so that the database alone yields no codes and
//! a sealed secret cannot be moved to another admin. A code is accepted once: the store keeps the
//! last accepted step of every factor and refuses a step that is not later.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use hmac::{Hmac, Mac as _};
use rand::RngCore as _;
use sha2::Sha256;
use totp_rs::{Builder, Totp};

use crate::portal::keys::{Keyring, Purpose};

type HmacSha256 = Hmac<Sha256>;

/// Secret length: 160 bits, as RFC 4226 recommends.
pub(crate) const SECRET_BYTES: usize = 20;

/// A fresh random secret.
pub(crate) fn new_secret() -> Vec<u8> {
    let mut secret = vec![0u8; SECRET_BYTES];
    rand::rngs::OsRng.fill_bytes(&mut secret);
    secret
}

/// The generator for `secret`, labelled `issuer:email` in authenticator apps.
pub(crate) fn totp(secret: &[u8], issuer: &str, email: &str) -> Option<Totp> {
    // A colon would end the label's issuer part; authenticator apps show the rest.
    let issuer = issuer.replace(':', " ");
    Builder::new()
        .with_secret(secret.to_vec())
        .with_issuer(Some(issuer))
        .with_account_name(email.replace(':', " "))
        .build()
        .ok()
}

/// The step (`time / 30`) that `code` is valid for at `now` (seconds), within one step either
/// way; `None` for a wrong code.
pub(crate) fn check(totp: &Totp, code: &str, now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != 6 || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let time = u64::try_from(now).ok()?;
    totp.check(&code, time).and_then(|s| i64::try_from(s).ok())
}

fn pad_and_tag(key: &[u8], email: &str, salt: &[u8], sealed: Option<&[u8]>) -> (Vec<u8>, Vec<u8>) {
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(b"candor admin totp pad\0");
    mac.update(salt);
    let pad = mac.finalize().into_bytes()[..SECRET_BYTES].to_vec();
    let mut mac = HmacSha256::new_from_slice(key).expect("any key length");
    mac.update(b"candor admin totp tag\0");
    mac.update(email.to_ascii_lowercase().as_bytes());
    mac.update(b"\0");
    mac.update(salt);
    mac.update(sealed.unwrap_or_default());
    (pad, mac.finalize().into_bytes()[..16].to_vec())
}

/// `secret` sealed for `email`: `v1.<key-id>.<salt>.<secret xor pad>.<tag>` (base64url).
pub(crate) fn seal(keys: &Keyring, email: &str, secret: &[u8]) -> String {
    let (key_id, key) = keys.signing_key(Purpose::AdminTotp);
    let mut salt = [0u8; 16];
    rand::rngs::OsRng.fill_bytes(&mut salt);
    let (pad, _) = pad_and_tag(key, email, &salt, None);
    let sealed: Vec<u8> = secret.iter().zip(&pad).map(|(s, p)| s ^ p).collect();
    let (_, tag) = pad_and_tag(key, email, &salt, Some(&sealed));
    format!(
        "v1.{key_id}.{}.{}.{}",
        URL_SAFE_NO_PAD.encode(salt),
        URL_SAFE_NO_PAD.encode(&sealed),
        URL_SAFE_NO_PAD.encode(tag)
    )
}

/// The secret `data` holds for `email`; `None` when it was sealed for another address, under
/// an unknown key, or changed.
pub(crate) fn unseal(keys: &Keyring, email: &str, data: &str) -> Option<Vec<u8>> {
    let mut parts = data.split('.');
    let (Some("v1"), Some(key_id), Some(salt), Some(sealed), Some(tag), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return None;
    };
    let key = keys.verifying_key(key_id, Purpose::AdminTotp)?;
    let salt = URL_SAFE_NO_PAD.decode(salt).ok()?;
    let sealed = URL_SAFE_NO_PAD.decode(sealed).ok()?;
    let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
    if sealed.len() != SECRET_BYTES {
        return None;
    }
    let (pad, expected) = pad_and_tag(key, email, &salt, Some(&sealed));
    if !bool::from(subtle::ConstantTimeEq::ct_eq(
        tag.as_slice(),
        expected.as_slice(),
    )) {
        return None;
    }
    Some(sealed.iter().zip(&pad).map(|(s, p)| s ^ p).collect())
}

/// The enrolment QR code of `totp`'s `otpauth://` URL as inline SVG (no XML prolog), or `None`.
pub(crate) fn qr_svg(totp: &Totp) -> Option<String> {
    let url = totp.to_url().ok()?;
    let code = qrcode::QrCode::new(url.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .build();
    let start = svg.find("<svg")?;
    Some(svg[start..].to_owned())
}

/// The secret in base32, in groups of four, for typing into an app by hand.
pub(crate) fn secret_text(secret: &[u8]) -> String {
    let b32 = totp_rs::Secret::from(secret.to_vec()).to_base32();
    b32.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keyring() -> Keyring {
        Keyring::generate()
    }

    #[test]
    fn rfc_6238_codes_are_checked_within_one_step() {
        // RFC 6238, appendix B: the SHA-1 secret "12345678901234567890", 8 digits there; the
        // last 6 digits of its codes are what a 6-digit generator gives.
        let t = totp(b"12345678901234567890", "Example", "jane@example.com").unwrap();
        assert_eq!(check(&t, "287082", 59), Some(1));
        assert_eq!(check(&t, "287 082", 59), Some(1));
        assert_eq!(check(&t, "081804", 1_111_111_109), Some(37_037_036));
        // One step late is still accepted (the earlier step), two are not.
        assert_eq!(check(&t, "081804", 1_111_111_109 + 30), Some(37_037_036));
        assert_eq!(check(&t, "081804", 1_111_111_109 + 61), None);
        assert_eq!(check(&t, "000000", 59), None);
        assert_eq!(check(&t, "28708", 59), None);
        assert_eq!(check(&t, "28708x", 59), None);
    }

    #[test]
    fn a_sealed_secret_opens_only_for_its_admin_and_unchanged() {
        let keys = keyring();
        let secret = new_secret();
        let sealed = seal(&keys, "jane@example.com", &secret);
        assert!(!sealed.contains(&URL_SAFE_NO_PAD.encode(&secret)));
        assert_eq!(
            unseal(&keys, "Jane@Example.com", &sealed).as_deref(),
            Some(secret.as_slice())
        );
        assert_eq!(unseal(&keys, "eve@example.com", &sealed), None);
        let mut parts: Vec<String> = sealed.split('.').map(str::to_owned).collect();
        let mut bytes = URL_SAFE_NO_PAD.decode(&parts[3]).unwrap();
        bytes[0] ^= 1;
        parts[3] = URL_SAFE_NO_PAD.encode(bytes);
        assert_eq!(unseal(&keys, "jane@example.com", &parts.join(".")), None);
        assert_eq!(unseal(&keys, "jane@example.com", "v1.x.y"), None);
    }

    #[test]
    fn the_qr_code_is_inline_svg_of_the_otpauth_url() {
        let secret = new_secret();
        let t = totp(&secret, "Example: Trust", "jane@example.com").unwrap();
        let svg = qr_svg(&t).unwrap();
        assert!(svg.starts_with("<svg"));
        assert!(!svg.contains("<?xml"));
        assert!(t.to_url().unwrap().starts_with("otpauth://totp/"));
        // 160 bits are 32 base32 characters, shown in groups of four.
        assert_eq!(secret_text(&secret).split(' ').count(), 8);
    }
}
