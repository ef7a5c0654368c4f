//! `candor keygen`.

use std::process::ExitCode;

use anyhow::{Context as _, bail};
use candor::site::signing::SigningKey;

use super::args::KeygenArgs;

pub fn run(args: KeygenArgs) -> anyhow::Result<ExitCode> {
    if args.certificate {
        return certificate(args);
    }
    let user_id = match args.user_id {
        Some(id) => id,
        None => {
            let config = candor::site::config::load(&args.root).map_err(|ds| {
                let text: Vec<String> = ds.iter().map(ToString::to_string).collect();
                anyhow::anyhow!("{}\n(or pass --user-id)", text.join("\n"))
            })?;
            format!("{} <{}>", config.company.name, config.contacts.security)
        }
    };
    let output = args
        .output
        .unwrap_or_else(|| args.root.join(".candor").join("signing-key.asc"));
    if output.exists() && !args.force {
        bail!(
            "{} exists; pass --force to replace it (signatures made with the old key will no longer match the published key)",
            output.display()
        );
    }
    let key = SigningKey::generate(&user_id).context("cannot generate the key")?;
    let secret = key.to_armored_secret().context("cannot export the key")?;
    if let Some(dir) = output.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    candor::pdf::pades::write_private(&output, secret.as_bytes())
        .with_context(|| format!("cannot write {}", output.display()))?;
    println!(
        "Created the OpenPGP signing key {} for {user_id}",
        key.fingerprint()
    );
    println!(
        "Secret key: {} (mode 0600; never commit it)",
        output.display()
    );
    let in_site = output.strip_prefix(&args.root).unwrap_or(&output);
    println!(
        "Use it by adding to site.yaml:\n\n  signing:\n    key: {}\n",
        in_site.display()
    );
    println!(
        "or by setting CANDOR_SIGNING_KEY={} (for example in CI).",
        output.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// `candor keygen --certificate`: the agreement-signing key and its self-signed certificate.
fn certificate(args: KeygenArgs) -> anyhow::Result<ExitCode> {
    let config = candor::site::config::load(&args.root).map_err(|ds| {
        let text: Vec<String> = ds.iter().map(ToString::to_string).collect();
        anyhow::anyhow!("{}", text.join("\n"))
    })?;
    let keys = args.root.join(".candor").join("keys");
    let key_path = args
        .output
        .unwrap_or_else(|| keys.join("agreement-key.pem"));
    let cert_path = args
        .certificate_output
        .unwrap_or_else(|| keys.join("agreement-cert.pem"));
    for path in [&key_path, &cert_path] {
        if path.exists() && !args.force {
            bail!(
                "{} exists; pass --force to replace it (PDF readers will then show agreements signed before as signed by a different certificate)",
                path.display()
            );
        }
    }
    let common_name = args.user_id.unwrap_or_else(|| config.company.name.clone());
    let generated =
        candor::pdf::pades::Identity::generate(&common_name, &config.company.name, args.days)
            .context("cannot create the certificate")?;
    candor::pdf::pades::write_private(&key_path, generated.key_pem.as_bytes())
        .with_context(|| format!("cannot write {}", key_path.display()))?;
    if let Some(dir) = cert_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    }
    std::fs::write(&cert_path, &generated.certificate_pem)
        .with_context(|| format!("cannot write {}", cert_path.display()))?;
    let id = &generated.identity;
    println!(
        "Created an agreement signing key and a self-signed certificate for {}",
        id.subject()
    );
    println!(
        "Certificate: {} (SHA-256 {})",
        cert_path.display(),
        id.fingerprint()
    );
    println!(
        "Secret key:  {} (mode 0600; never commit it)",
        key_path.display()
    );
    let rel = |p: &std::path::Path| {
        p.strip_prefix(&args.root)
            .unwrap_or(p)
            .display()
            .to_string()
    };
    println!(
        "Use them by adding to site.yaml:\n\n  portal:\n    agreements:\n      key: {}\n      certificate: {}\n",
        rel(&key_path),
        rel(&cert_path)
    );
    println!(
        "or by setting CANDOR_AGREEMENT_KEY and CANDOR_AGREEMENT_CERTIFICATE. A certificate from a CA that\n\
         PDF readers trust (with its chain, signer first, in one PEM file) makes the signatures show as trusted."
    );
    Ok(ExitCode::SUCCESS)
}
