//! OpenPGP signatures of published documents and security.txt, verified with the real `gpg`.

mod common;

use std::path::Path;
use std::process::Command;

use candor::site::build::{Options, build, generate};
use candor::site::signing::SigningKey;
use common::*;

fn gpg(home: &Path, args: &[&str]) -> std::process::Output {
    Command::new("gpg")
        .arg("--homedir")
        .arg(home)
        .args(["--batch", "--no-tty"])
        .args(args)
        .output()
        .expect("gpg is installed (scripts/test installs gnupg)")
}

/// The example site with a fresh signing key in `.candor/` and `signing.key` set.
fn signed_example() -> (tempfile::TempDir, SigningKey) {
    let site = example_site();
    let key = SigningKey::generate("Example Cloud GmbH <security@example.com>").unwrap();
    let dir = site.path().join(".candor");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("signing-key.asc");
    std::fs::write(&path, key.to_armored_secret().unwrap()).unwrap();
    set_mode(&path, 0o600);
    common::edit_file(&site.path().join("site.yaml"), |config| {
        config + "signing: {key: .candor/signing-key.asc}\n"
    });
    (site, key)
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

fn options(site: &Path) -> Options {
    let mut opts = Options::new(site);
    opts.now = "2026-11-20T12:00:00Z".parse().unwrap();
    opts
}

#[test]
fn every_public_file_has_a_detached_signature_that_gpg_verifies() {
    let (site, key) = signed_example();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&options(site.path()), &public).unwrap();

    let home = tempfile::tempdir().unwrap();
    let import = gpg(
        home.path(),
        &[
            "--import",
            public.join("documents/signing-key.asc").to_str().unwrap(),
        ],
    );
    assert!(
        import.status.success(),
        "{}",
        String::from_utf8_lossy(&import.stderr)
    );

    let mut verified = 0;
    for entry in walkdir::WalkDir::new(public.join("documents"))
        .into_iter()
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.extension().is_some_and(|e| e == "pdf") {
            let sig = format!("{}.asc", path.display());
            assert!(
                Path::new(&sig).is_file(),
                "{} has no signature",
                path.display()
            );
            let ok = gpg(home.path(), &["--verify", &sig, path.to_str().unwrap()]);
            let stderr = String::from_utf8_lossy(&ok.stderr);
            assert!(ok.status.success(), "{stderr}");
            assert!(stderr.contains("Good signature"), "{stderr}");
            verified += 1;
        }
    }
    assert!(verified >= 10, "{verified}");

    // One changed byte, and the signature no longer verifies.
    let original = public.join("documents/dpa/3.1/dpa-3.1-en.pdf");
    let mut bytes = std::fs::read(&original).unwrap();
    let middle = bytes.len() / 2;
    bytes[middle] ^= 0x01;
    let tampered = out.path().join("tampered.pdf");
    std::fs::write(&tampered, bytes).unwrap();
    let bad = gpg(
        home.path(),
        &[
            "--verify",
            &format!("{}.asc", original.display()),
            tampered.to_str().unwrap(),
        ],
    );
    assert!(
        !bad.status.success(),
        "a tampered file must fail verification"
    );
    assert!(String::from_utf8_lossy(&bad.stderr).contains("BAD signature"));

    // The pages name the fingerprint and link the key and the signatures; documents.json too.
    let page = std::fs::read_to_string(public.join("en/documents/dpa/index.html")).unwrap();
    assert!(
        page.contains(&key.fingerprint()),
        "the page shows the key's fingerprint"
    );
    assert!(page.contains("/documents/signing-key.asc"));
    assert!(page.contains("/documents/dpa/3.1/dpa-3.1-en.pdf.asc"));
    let json = std::fs::read_to_string(public.join("documents.json")).unwrap();
    assert!(json.contains(
        "\"signature_url\": \"https://trust.example.com/documents/dpa/3.1/dpa-3.1-en.pdf.asc\""
    ));
}

#[test]
fn security_txt_is_clear_signed_and_verifies_with_gpg() {
    let (site, _key) = signed_example();
    let out = tempfile::tempdir().unwrap();
    let public = out.path().join("public");
    build(&options(site.path()), &public).unwrap();
    let home = tempfile::tempdir().unwrap();
    assert!(
        gpg(
            home.path(),
            &[
                "--import",
                public.join("documents/signing-key.asc").to_str().unwrap()
            ]
        )
        .status
        .success()
    );

    let path = public.join(".well-known/security.txt");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(
        text.starts_with("-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA"),
        "{text}"
    );
    let verified = gpg(home.path(), &["--decrypt", path.to_str().unwrap()]);
    assert!(
        verified.status.success(),
        "{}",
        String::from_utf8_lossy(&verified.stderr)
    );
    let inner = String::from_utf8(verified.stdout).unwrap();
    assert!(
        inner.starts_with("Contact: mailto:security@example.com\n"),
        "{inner}"
    );
    assert!(inner.contains("\nExpires: 2027-10-31T23:59:59Z\n"));

    let tampered = out.path().join("security.txt");
    std::fs::write(
        &tampered,
        text.replace("security@example.com", "attacker@example.com"),
    )
    .unwrap();
    assert!(
        !gpg(home.path(), &["--verify", tampered.to_str().unwrap()])
            .status
            .success()
    );
}

#[test]
fn a_signing_key_that_others_can_read_or_that_would_be_published_is_refused() {
    let (site, _key) = signed_example();
    set_mode(&site.path().join(".candor/signing-key.asc"), 0o644);
    let err = generate(&options(site.path())).unwrap_err();
    let candor::error::BuildError::Invalid(ds) = err else {
        panic!()
    };
    assert!(
        ds.iter()
            .any(|d| d.message.contains("can be read by other users (mode 644)")),
        "{ds:#?}"
    );

    set_mode(&site.path().join(".candor/signing-key.asc"), 0o600);
    std::fs::rename(
        site.path().join(".candor/signing-key.asc"),
        site.path().join("static/key.asc"),
    )
    .unwrap();
    common::edit_file(&site.path().join("site.yaml"), |config| {
        config.replace(".candor/signing-key.asc", "static/key.asc")
    });
    let err = generate(&options(site.path())).unwrap_err();
    let candor::error::BuildError::Invalid(ds) = err else {
        panic!()
    };
    assert!(
        ds.iter().any(|d| d
            .message
            .contains("lies inside static/, which is published")),
        "{ds:#?}"
    );
}

#[test]
fn keygen_writes_a_private_key_and_refuses_to_overwrite_it() {
    let site = example_site();
    let root = site.path().to_str().unwrap();
    let output = candor(&["keygen", "--root", root]);
    let (stdout, stderr) = text(&output);
    assert!(output.status.success(), "{stderr}");
    let key_path = site.path().join(".candor/signing-key.asc");
    use std::os::unix::fs::PermissionsExt;
    assert_eq!(
        std::fs::metadata(&key_path).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let key = SigningKey::from_armored(&std::fs::read_to_string(&key_path).unwrap(), "").unwrap();
    assert!(stdout.contains(&key.fingerprint()), "{stdout}");
    assert!(stdout.contains("key: .candor/signing-key.asc"), "{stdout}");
    assert!(stdout.contains("Example Cloud GmbH <security@example.com>"));

    let again = candor(&["keygen", "--root", root]);
    assert_eq!(again.status.code(), Some(1));
    assert!(text(&again).1.contains("--force"));
    assert!(
        candor(&["keygen", "--root", root, "--force"])
            .status
            .success()
    );
    let replaced =
        SigningKey::from_armored(&std::fs::read_to_string(&key_path).unwrap(), "").unwrap();
    assert_ne!(replaced.fingerprint(), key.fingerprint());
}
