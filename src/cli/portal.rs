//! `candor requests|grants|audit|portal-keys|agreements|objections`: admin operations on the portal's store.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context as _, bail};
use candor::portal::Portal;
use candor::portal::audit::{Event, EventKind};
use candor::portal::store::{Store, valid_id};
use candor::site::build::{Options, generate};

use super::args::{
    AgreementsCommand, AuditCommand, GrantsCommand, ListFormat, ObjectionsCommand,
    PortalKeysCommand, RequestsCommand,
};

pub(super) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    Ok(tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?)
}

/// The whole portal (needed to mail: document titles, keys, settings).
async fn open_portal(root: &Path) -> anyhow::Result<Portal> {
    let generated = generate(&Options::new(root)).map_err(|e| {
        if let candor::error::BuildError::Invalid(ds) = &e {
            super::report::print_diagnostics(ds);
        }
        anyhow::anyhow!("the site does not build: {e}")
    })?;
    let catalogue = candor::portal::Catalogue::new(generated.published(root));
    Portal::open(root, &generated.config, catalogue).await
}

/// The store with the audit keys of the portal's key file.
pub(super) async fn open_store(root: &Path) -> anyhow::Result<Store> {
    let (keys, _) = candor::portal::keys::load(root).context(
        "cannot load the portal's key file (the audit log is chained with its keys; the portal creates it on first start)",
    )?;
    Ok(Store::open_default(root, keys.audit_keys()).await?)
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
                let store = open_store(&store.root).await?;
                let list = store.requests(status).await?;
                if json {
                    println!("{}", serde_json::to_string_pretty(&list)?);
                } else if list.is_empty() {
                    println!("No requests.");
                } else {
                    // What requesters wrote, on one line each, without control characters
                    // (a terminal escape in a name must not reach the admin's terminal).
                    let one_line = |s: &str, max: usize| {
                        let flat: String = s
                            .chars()
                            .map(|c| if c.is_control() { ' ' } else { c })
                            .collect();
                        let mut short: String = flat.chars().take(max).collect();
                        if flat.chars().count() > max {
                            short.push('…');
                        }
                        short
                    };
                    for r in &list {
                        println!(
                            "{}  {:<10}  {}  {}",
                            r.id,
                            r.status.as_str(),
                            date(r.created_at),
                            r.document_id
                        );
                        println!(
                            "    {} <{}>, {}",
                            one_line(&r.name, 100),
                            r.email,
                            one_line(&r.company, 150)
                        );
                        println!("    Reason: {}", one_line(&r.reason, 300));
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
                    .notify_approved(&grant, None)
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
                    .reject(&id, "cli", None, &cli_event(EventKind::Rejected))
                    .await?;
                portal
                    .notify_rejected(&request, None)
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
                let store = open_store(&store.root).await?;
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
                let store = open_store(&store.root).await?;
                let rows = store.audit_rows().await?;
                if csv {
                    print!("{}", candor::portal::audit::to_csv(&rows));
                } else {
                    println!("{}", serde_json::to_string_pretty(&rows)?);
                }
                Ok(ExitCode::SUCCESS)
            }
            AuditCommand::Prune { store, before } => {
                let mut portal = open_portal(&store.root).await?;
                let config = candor::site::config::load(&store.root)
                    .map_err(|_| anyhow::anyhow!("site.yaml does not load"))?;
                if let Err(e) = portal.load_signer(&store.root, &config, true) {
                    eprintln!("warning: the prune checkpoint is not signed: {e:#}");
                }
                match portal
                    .prune_audit(before, "cli", &cli_event(EventKind::AuditPruned))
                    .await?
                {
                    Some((pruned, path)) => println!(
                        "Deleted {} audit rows written before {} (up to row {}); the log now starts at row {}. Prune checkpoint: {}.",
                        pruned.mark.deleted,
                        pruned.mark.cutoff,
                        pruned.mark.seq,
                        pruned.mark.seq + 1,
                        path.display()
                    ),
                    None => println!("No audit row was written before {before}; nothing deleted."),
                }
                Ok(ExitCode::SUCCESS)
            }
            AuditCommand::Verify { store, checkpoint } => {
                verify_audit(&store.root, &checkpoint).await
            }
            AuditCommand::Checkpoint { store } => {
                use candor::portal::housekeeping::Written;
                let mut portal = open_portal(&store.root).await?;
                let config = candor::site::config::load(&store.root)
                    .map_err(|_| anyhow::anyhow!("site.yaml does not load"))?;
                if let Err(e) = portal.load_signer(&store.root, &config, true) {
                    eprintln!("warning: the checkpoint is not signed: {e:#}");
                }
                match portal.write_checkpoint().await? {
                    Written::New {
                        path,
                        checkpoint,
                        mailed_to,
                    } => {
                        println!(
                            "Wrote {} (row {}){}.",
                            path.display(),
                            checkpoint.seq,
                            mailed_to
                                .map(|to| format!(" and mailed a copy to {to}"))
                                .unwrap_or_default()
                        );
                    }
                    Written::Empty => println!("The audit log is empty; nothing written."),
                    Written::Unchanged(cp) => println!(
                        "The log has not grown since the checkpoint of {} (row {}); nothing written.",
                        cp.created_display(),
                        cp.seq
                    ),
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

/// `candor audit verify`: the chain, then every checkpoint (those in the configured folder and
/// those named on the command line) against it.
async fn verify_audit(root: &Path, named: &[std::path::PathBuf]) -> anyhow::Result<ExitCode> {
    use candor::portal::store::report::LogState;
    let store = open_store(root).await?;
    let audit = candor::site::config::load(root)
        .ok()
        .and_then(|c| c.portal)
        .map(|p| p.audit)
        .unwrap_or_default();
    let dir = root.join(audit.checkpoint_dir());
    let report = match store.verify_log(&dir, named).await? {
        LogState::Intact(r) => r,
        LogState::Tampered(what) => {
            eprintln!("error: the audit log was tampered with: {what}");
            return Ok(ExitCode::from(1));
        }
        LogState::BadCheckpoint(why) => {
            eprintln!("error: {why}");
            return Ok(ExitCode::from(1));
        }
    };
    let verified = &report.verified;
    let keys: Vec<&str> = verified.key_ids.iter().map(String::as_str).collect();
    println!(
        "The audit log is intact: {} rows, each chained with an HMAC under key {}{}.",
        verified.rows,
        keys.join(", "),
        if verified.unkeyed > 0 {
            format!(
                " (the first {} rows, from before the chain was keyed, are anchored by the first keyed row)",
                verified.unkeyed
            )
        } else {
            String::new()
        }
    );
    if let Some(mark) = &report.pruned {
        println!(
            "Rows 1–{} were pruned on {} (those written before {}); the log is proven intact from the authentic prune checkpoint on (row {}).",
            mark.seq,
            mark.pruned_at.get(..10).unwrap_or(&mark.pruned_at),
            mark.cutoff_day(),
            mark.seq + 1
        );
    }
    match &report.newest_checkpoint {
        Some((_, cp)) => println!(
            "Intact up to the checkpoint of {} (row {}); {} newer rows are not yet covered by a checkpoint.",
            cp.created_display(),
            cp.seq,
            verified.head.0 - cp.seq
        ),
        None => println!(
            "No checkpoint found in {}: removing the newest rows and moving the head back cannot be detected without one (the portal writes one every `portal.audit.checkpoint_hours`; `candor audit checkpoint` writes one now).",
            dir.display()
        ),
    }
    Ok(ExitCode::SUCCESS)
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

/// An agreement with its status, as `agreements list --json` prints it.
#[derive(serde::Serialize)]
struct Listed<'a> {
    #[serde(flatten)]
    agreement: &'a candor::portal::store::Agreement,
    /// The document's current version when it is newer than the one signed.
    superseded_by: Option<&'a str>,
}

pub fn agreements(cmd: AgreementsCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match cmd {
            AgreementsCommand::List { store, json } => {
                let portal = open_portal(&store.root).await?;
                let cat = portal.catalogue();
                let list = portal.store.agreements(None).await?;
                let listed: Vec<Listed> = list
                    .iter()
                    .map(|a| Listed {
                        agreement: a,
                        superseded_by: cat.superseded_by(a),
                    })
                    .collect();
                if json {
                    println!("{}", serde_json::to_string_pretty(&listed)?);
                } else if listed.is_empty() {
                    println!("No agreements.");
                } else {
                    println!(
                        "{:<15}  {:<16}  {:<14}  {:<8}  {:<26}  {:<30}  company",
                        "id", "signed (UTC)", "document", "version", "status", "signatory"
                    );
                    for l in &listed {
                        let a = l.agreement;
                        let status = l
                            .superseded_by
                            .map_or_else(|| "current".to_owned(), |v| format!("superseded by {v}"));
                        println!(
                            "{:<15}  {:<16}  {:<14}  {:<8}  {:<26}  {:<30}  {}",
                            a.id,
                            date(a.signed_at),
                            a.document_id,
                            format!("{}/{}", a.version, a.lang),
                            status,
                            a.signatory_email,
                            a.company
                        );
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
            AgreementsCommand::Show { store, id } => {
                check_id(&id, "agreement")?;
                let portal = open_portal(&store.root).await?;
                let Some(a) = portal.store.agreement(&id).await? else {
                    bail!("there is no agreement {id} (`candor agreements list` shows them)");
                };
                let cat = portal.catalogue();
                let file = match portal.files.get(&a.id, &a.pdf_sha256) {
                    Ok(_) => "present, SHA-256 matches".to_owned(),
                    Err(e) => format!("PROBLEM: {e}"),
                };
                let status = cat.superseded_by(&a).map_or_else(
                    || "current version".to_owned(),
                    |v| format!("superseded by version {v}"),
                );
                let rows = [
                    ("Agreement", a.id.clone()),
                    (
                        "Document",
                        format!("{} {} ({})", a.document_id, a.version, a.lang),
                    ),
                    ("Status", status),
                    ("Signed", format!("{} UTC", date(a.signed_at))),
                    ("Company", a.company.clone()),
                    ("Address", a.address.replace('\n', ", ")),
                    ("Registration", a.registration.clone()),
                    ("Privacy contact", a.privacy_contact.clone()),
                    (
                        "Signatory",
                        format!(
                            "{} ({}), {}",
                            a.signatory_name, a.signatory_title, a.signatory_email
                        ),
                    ),
                    (
                        "E-mail verified",
                        format!("{} at {} UTC", a.email, date(a.email_verified_at)),
                    ),
                    ("IP address", a.ip.clone()),
                    ("User agent", a.user_agent.clone()),
                    ("Request", a.request_id.clone()),
                    ("Agreement text SHA-256", a.text_sha256.clone()),
                    ("Signed PDF SHA-256", a.pdf_sha256.clone()),
                    ("Signed PDF", format!("{} bytes, {file}", a.pdf_size)),
                ];
                for (k, v) in rows {
                    println!("{k:<24} {v}");
                }
                Ok(ExitCode::SUCCESS)
            }
            AgreementsCommand::Export { store, id, output } => {
                check_id(&id, "agreement")?;
                let db = open_store(&store.root).await?;
                let Some(a) = db.agreement(&id).await? else {
                    bail!("there is no agreement {id} (`candor agreements list` shows them)");
                };
                let files = candor::portal::files::Files::open_default(&store.root)?;
                let bytes = files.get(&a.id, &a.pdf_sha256)?;
                // Next to the target, then renamed: never a half-written file under its name.
                let dir = output
                    .parent()
                    .filter(|d| !d.as_os_str().is_empty())
                    .unwrap_or(Path::new("."));
                let tmp = dir.join(format!(
                    ".candor-export-{}-{}.tmp",
                    a.id,
                    std::process::id()
                ));
                let written =
                    std::fs::write(&tmp, &bytes).and_then(|()| std::fs::rename(&tmp, &output));
                if let Err(e) = written {
                    let _ = std::fs::remove_file(&tmp);
                    return Err(e).with_context(|| format!("cannot write {}", output.display()));
                }
                println!(
                    "Wrote {} ({} bytes, SHA-256 {}).",
                    output.display(),
                    bytes.len(),
                    a.pdf_sha256
                );
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}

/// What a customer wrote, on one line, without control characters (a terminal escape in a name
/// must not reach the admin's terminal), cut at `max` characters.
fn one_line(s: &str, max: usize) -> String {
    let flat: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    let mut short: String = flat.chars().take(max).collect();
    if flat.chars().count() > max {
        short.push('…');
    }
    short
}

pub fn objections(cmd: ObjectionsCommand) -> anyhow::Result<ExitCode> {
    runtime()?.block_on(async {
        match cmd {
            ObjectionsCommand::List {
                store,
                change,
                format,
            } => {
                let store = open_store(&store.root).await?;
                let list = store.objections(change.as_deref()).await?;
                match format {
                    ListFormat::Json => println!("{}", serde_json::to_string_pretty(&list)?),
                    ListFormat::Csv => {
                        print!("{}", candor::portal::store::objections::to_csv(&list));
                    }
                    ListFormat::Text if list.is_empty() => println!("No objections."),
                    ListFormat::Text => {
                        println!(
                            "{:<16}  {:<15}  {:<4}  change",
                            "received (UTC)", "reference", "late"
                        );
                        for o in &list {
                            println!(
                                "{:<16}  {:<15}  {:<4}  {}",
                                date(o.received_at),
                                o.id,
                                if o.late { "LATE" } else { "no" },
                                one_line(&o.change_id, 200)
                            );
                            let standing = match (&o.grant_id, o.subscribed) {
                                (Some(g), true) => format!("active grant {g}, subscriber"),
                                (Some(g), false) => format!("active grant {g}"),
                                (None, true) => "subscriber".to_owned(),
                                (None, false) => "confirmed address only".to_owned(),
                            };
                            println!(
                                "    {}, {} <{}> ({standing}; {})",
                                one_line(&o.company, 150),
                                one_line(&o.contact, 100),
                                one_line(&o.email, 254),
                                o.lang
                            );
                            println!("    Reason: {}", one_line(&o.reason, 300));
                        }
                    }
                }
                Ok(ExitCode::SUCCESS)
            }
        }
    })
}
