//! `candor requests|grants|audit|portal-keys`: admin operations on the portal's store.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use candor::build::{Options, generate};
use candor::portal::Portal;
use candor::portal::audit::{Event, EventKind};
use candor::portal::store::{Store, valid_id};

use crate::cli::{AuditCommand, GrantsCommand, PortalKeysCommand, RequestsCommand};

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// The whole portal (needed to mail: document titles, keys, settings).
async fn open_portal(root: &Path) -> anyhow::Result<Portal> {
    let generated = generate(&Options::new(root)).map_err(|e| {
        if let candor::error::BuildError::Invalid(ds) = &e {
            super::print_diagnostics(ds);
        }
        anyhow::anyhow!("the site does not build: {e}")
    })?;
    let catalogue = candor::portal::Catalogue::from_generated(root, &generated);
    Portal::open(root, &generated.config, catalogue).await
}

fn cli_event(kind: EventKind) -> Event {
    Event {
        ip: Some("cli".to_owned()),
        user_agent: Some(format!("candor {}", env!("CARGO_PKG_VERSION"))),
        ..Event::new(kind)
    }
}

fn check_id(id: &str, what: &str) -> anyhow::Result<()> {
    if !valid_id(id) {
        bail!(
            "`{id}` is not a {what} id (15 lower-case letters and digits, as `candor requests list` shows)"
        );
    }
    Ok(())
}

fn date(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_default()
}

pub fn requests(cmd: RequestsCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match cmd {
            RequestsCommand::List {
                store,
                json,
                status,
            } => {
                let store = Store::open_default(&store.root).await?;
                let list = store.requests(status).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else if list.is_empty() {
                    println!("No requests.");
                } else {
                    println!(
                        "{:<15}  {:<10}  {:<16}  {:<20}  {:<30}  company",
                        "id", "status", "submitted", "document", "e-mail"
                    );
                    for r in &list {
                        println!(
                            "{:<15}  {:<10}  {:<16}  {:<20}  {:<30}  {}",
                            r.id,
                            r.status.as_str(),
                            date(r.created_at),
                            r.document_id,
                            r.email,
                            r.company
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            RequestsCommand::Approve { store, id, days } => {
                check_id(&id, "request")?;
                let portal = open_portal(&store.root).await?;
                let days = days.unwrap_or(portal.settings.grant_days).clamp(1, 3650);
                let grant = portal
                    .store
                    .approve(
                        &id,
                        days,
                        portal.settings.download_limit,
                        "cli",
                        &cli_event(EventKind::Approved),
                    )
                    .await?;
                portal
                    .notify_approved(&grant)
                    .await
                    .context("approved, but the mail with the link could not be sent")?;
                println!(
                    "Approved {id}: grant {} for {} until {}; the link was mailed to {}.",
                    grant.id,
                    grant.document_id,
                    date(grant.expires_at),
                    grant.email
                );
                Ok(ExitCode::SUCCESS)
            }
            RequestsCommand::Reject { store, id } => {
                check_id(&id, "request")?;
                let portal = open_portal(&store.root).await?;
                let request = portal
                    .store
                    .reject(&id, "cli", &cli_event(EventKind::Rejected))
                    .await?;
                portal
                    .notify_rejected(&request)
                    .await
                    .context("rejected, but the mail could not be sent")?;
                println!("Rejected {id}; {} was told.", request.email);
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

pub fn grants(cmd: GrantsCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match cmd {
            GrantsCommand::Revoke { store, id } => {
                check_id(&id, "grant")?;
                let store = Store::open_default(&store.root).await?;
                let grant = store
                    .revoke(&id, "cli", &cli_event(EventKind::Revoked))
                    .await?;
                println!(
                    "Revoked grant {id} ({}, {}) at {}.",
                    grant.document_id,
                    grant.email,
                    date(grant.revoked_at.unwrap_or_default())
                );
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

pub fn audit(cmd: AuditCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match cmd {
            AuditCommand::Export { store, csv, .. } => {
                let store = Store::open_default(&store.root).await?;
                let rows = store.audit_rows().await?;
                if csv {
                    print!("{}", candor::portal::audit::to_csv(&rows));
                } else {
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
                Ok(ExitCode::SUCCESS)
            }
            AuditCommand::Verify { store } => {
                let store = Store::open_default(&store.root).await?;
                match store.verify_audit().await? {
                    Ok(n) => {
                        println!("The audit log is intact: {n} rows, hash chain verified.");
                        Ok(ExitCode::SUCCESS)
                    }
                    Err(broken) => {
                        eprintln!("error: the audit log was tampered with: {broken}");
                        Ok(ExitCode::from(1))
                    }
                }
            }
        }
    })
}

pub fn keys(cmd: PortalKeysCommand) -> anyhow::Result<ExitCode> {
    use candor::portal::keys;
    match cmd {
        PortalKeysCommand::Rotate { store } => {
            let path = std::env::var_os(keys::KEYS_ENV)
                .filter(|p| !p.is_empty())
                .map(std::path::PathBuf::from)
                .unwrap_or_else(|| {
                    store
                        .root
                        .join(".candor")
                        .join("keys")
                        .join("portal-keys.json")
                });
            let mut file = keys::read_file(&path)?;
            let id = keys::rotate(&mut file).id.clone();
            keys::write_file(&path, &file)?;
            println!(
                "New signing key {id} in {}; the previous key now only verifies. Restart every replica; mark old keys `retired` once their tokens have expired.",
                path.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        PortalKeysCommand::AdminToken => {
            use argon2::password_hash::{PasswordHasher as _, SaltString, rand_core::OsRng};
            let token = format!(
                "{}{}",
                candor::portal::token::nonce(),
                candor::portal::token::nonce()
            );
            let salt = SaltString::generate(&mut OsRng);
            let hash = argon2::Argon2::default()
                .hash_password(token.as_bytes(), &salt)
                .map_err(|e| anyhow::anyhow!("cannot hash the token: {e}"))?
                .to_string();
            println!(
                "Admin API token (shown once; keep it in your password manager):\n\n  {token}\n"
            );
            println!(
                "Its hash, for site.yaml (portal.admin_token_hash) or CANDOR_ADMIN_TOKEN_HASH:\n\n  {hash}"
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
