//! `candor keygen`.

use std::io::Write as _;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use candor::signing::SigningKey;

use crate::cli::KeygenArgs;

pub fn run(args: KeygenArgs) -> anyhow::Result<ExitCode> {
    let user_id = match args.user_id {
        Some(id) => id,
        None => {
            let config = candor::config::load(&args.root).map_err(|ds| {
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
    write_private(&output, secret.as_bytes())
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

/// Writes a file that only its owner can read, replacing any previous one.
fn write_private(path: &std::path::Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let mut file = options.open(path)?;
        // An existing file keeps its mode on open; tighten it explicitly.
        file.set_permissions(std::fs::Permissions::from_mode(0o600))?;
        file.write_all(bytes)
    }
    #[cfg(not(unix))]
    {
        options.open(path)?.write_all(bytes)
    }
}
