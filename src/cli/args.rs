//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Candor: a bilingual trust center from Markdown + YAML.
///
/// Run it in a site folder (one with a site.yaml), or pass --root.
#[derive(Debug, Parser)]
#[command(name = "candor", version, about, long_about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into a folder of static files (default: <root>/public).
    ///
    /// The output is written to a temporary folder first and swapped into place, so a failed
    /// build leaves the previous output intact.
    Build(BuildArgs),
    /// Run every validation without writing anything.
    ///
    /// Exit status 0 when there is no error, 1 otherwise. Warnings (such as missing
    /// translations) are printed but only fail with --strict.
    Check(CheckArgs),
    /// Create an OpenPGP key for signing documents and security.txt, or (with --certificate) a
    /// key and self-signed X.509 certificate for signing executed agreements.
    ///
    /// Writes the secret key (readable by you only) and prints the lines to add to site.yaml.
    /// Never commit the secret key: keep it in .candor/ (ignored by git) or a secrets store,
    /// and point CANDOR_SIGNING_KEY (or CANDOR_AGREEMENT_KEY) at it in CI.
    Keygen(KeygenArgs),
    /// Show the state of every translation: missing, out of date, untracked; UI strings missing
    /// or unused.
    ///
    /// A translation is out of date when its source page's text changed after the hash in its
    /// `translated_from:` was recorded. After reviewing a translation, record the current source
    /// with --mark-current.
    Translations(TranslationsArgs),
    /// Serve the site and, when site.yaml has a `portal:` block, the portal over HTTP.
    ///
    /// Builds the site into memory and serves it with the security headers. The portal keeps its
    /// state in <root>/.candor/portal.db (or CANDOR_DATABASE_URL), its keys in
    /// <root>/.candor/keys/ (or CANDOR_PORTAL_KEYS) and writes mail to <root>/.candor/outbox/
    /// (or sends it via CANDOR_SMTP_URL). Unless --production is given, it previews: every change under content/, locales/, themes/, templates/, static/
    /// or site.yaml rebuilds the site and reloads open browser tabs; a failed build shows its
    /// errors in the browser until they are fixed.
    Serve(ServeArgs),
    /// Access requests in the portal's store: list, approve, reject.
    #[command(subcommand)]
    Requests(RequestsCommand),
    /// Grants (approved access): revoke.
    #[command(subcommand)]
    Grants(GrantsCommand),
    /// The portal's audit log: export it, verify its hash chain.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The portal's token keys: rotate.
    #[command(subcommand)]
    PortalKeys(PortalKeysCommand),
    /// Agreements concluded online: list, show, export the signed PDF.
    #[command(subcommand)]
    Agreements(AgreementsCommand),
    /// Objections to subprocessor changes (confirmed by the objector): list.
    #[command(subcommand)]
    Objections(ObjectionsCommand),
    /// Mail subscribers what the site publishes that they have not been told yet (run after
    /// each deploy; idempotent).
    ///
    /// Compares what the build publishes today (subprocessor changes, document versions,
    /// advisories, updates) with what the portal's store records as announced, queues one
    /// notice per topic (per document for documents) and its mails in the store's outbox, and
    /// sends the outbox. The first run records everything already published without mailing
    /// it, except subprocessor changes that can still be objected to. A run that crashed is
    /// resumed by the next one; failed deliveries are retried with backoff (see --status).
    Notify(NotifyArgs),
    /// Create a new bilingual site (configuration, home and disclosure pages, UI strings, the
    /// default theme) that builds and passes `candor check`.
    New(NewArgs),
    /// Create a page and its translation stubs, e.g. `candor new-page security/encryption`.
    NewPage(NewPageArgs),
}

/// `candor serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Address to listen on.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1:8080")]
    pub addr: std::net::SocketAddr,
    /// Rebuild on changes and reload browsers (the default unless --production).
    #[arg(long, conflicts_with = "production")]
    pub watch: bool,
    /// Serve without watching and without the reload script.
    #[arg(long)]
    pub production: bool,
}

/// `candor new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The folder to create (must not exist, or be empty).
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
}

/// `candor new-page`.
#[derive(Debug, Args)]
pub struct NewPageArgs {
    /// The page, relative to content/: `security/encryption` creates security/encryption.md
    /// and its translations; `security/_index` creates a section page.
    #[arg(value_name = "PATH")]
    pub path: String,
    /// The languages to create it in [default: all of the site's languages].
    #[arg(long, value_delimiter = ',', value_name = "LANGS")]
    pub lang: Vec<String>,
    /// The site folder.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// `candor translations`.
#[derive(Debug, Args)]
pub struct TranslationsArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Print the report as JSON (for CI dashboards).
    #[arg(long)]
    pub json: bool,
    /// Record the current source's hash in these translations (e.g. content/privacy/gdpr.de.md).
    #[arg(long, value_name = "PATH", num_args = 1..)]
    pub mark_current: Vec<PathBuf>,
}

/// `candor keygen`.
#[derive(Debug, Args)]
pub struct KeygenArgs {
    /// The site folder (its site.yaml gives the default user id).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Where to write the secret key [default: <root>/.candor/signing-key.asc].
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// The key's user id [default: "<company> <security contact>" from site.yaml].
    #[arg(long, value_name = "TEXT")]
    pub user_id: Option<String>,
    /// Replace an existing key file.
    #[arg(long)]
    pub force: bool,
    /// Create an ECDSA P-256 key and a self-signed X.509 certificate that sign the PDFs of
    /// agreements concluded online [key default: <root>/.candor/keys/agreement-key.pem; the
    /// user id becomes the certificate's common name, by default the company name].
    #[arg(long)]
    pub certificate: bool,
    /// Where to write the certificate (with --certificate)
    /// [default: <root>/.candor/keys/agreement-cert.pem].
    #[arg(long, value_name = "FILE", requires = "certificate")]
    pub certificate_output: Option<PathBuf>,
    /// Days the certificate is valid (with --certificate).
    #[arg(
        long,
        value_name = "N",
        default_value_t = 1095,
        requires = "certificate"
    )]
    pub days: u32,
}

/// Where the site is.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// The site folder, containing site.yaml, content/, locales/ and themes/.
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

/// `candor build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Where to write the site [default: <root>/public].
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Print nothing but errors.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `candor check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub site: SiteArgs,
    /// Fail on warnings too (missing translations, security.txt expiring soon).
    #[arg(long)]
    pub strict: bool,
}

/// Where the portal's store is (the site folder; `CANDOR_DATABASE_URL` overrides).
#[derive(Debug, Args)]
pub struct StoreArgs {
    /// The site folder (its .candor/portal.db is the default store).
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub root: PathBuf,
}

/// `candor requests …`.
#[derive(Debug, Subcommand)]
pub enum RequestsCommand {
    /// List access requests, newest first.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
        /// Only requests with this status.
        #[arg(long, value_enum)]
        status: Option<candor::portal::store::Status>,
    },
    /// Approve a pending request: creates a grant and mails the link to the requester.
    Approve {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id (from `candor requests list`).
        id: String,
        /// Days the access lasts [default: portal.grant_days in site.yaml].
        #[arg(long)]
        days: Option<u32>,
    },
    /// Reject a pending request and tell the requester.
    Reject {
        #[command(flatten)]
        store: StoreArgs,
        /// The request id.
        id: String,
    },
}

/// `candor grants …`.
#[derive(Debug, Subcommand)]
pub enum GrantsCommand {
    /// Revoke a grant: its links and download tokens stop working at once, on every replica.
    Revoke {
        #[command(flatten)]
        store: StoreArgs,
        /// The grant id.
        id: String,
    },
}

/// `candor audit …`.
#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Print every audit row (JSON by default, or CSV).
    Export {
        #[command(flatten)]
        store: StoreArgs,
        /// JSON (the default).
        #[arg(long, conflicts_with = "csv")]
        json: bool,
        /// CSV with a header line.
        #[arg(long)]
        csv: bool,
    },
    /// Recompute the keyed hash chain and compare it with every checkpoint (those in
    /// `portal.audit.checkpoints` and those given): exit 0 when intact, 1 naming the first
    /// broken row.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
        /// A checkpoint file kept elsewhere (e.g. from the checkpoint mail); may be repeated.
        #[arg(long, value_name = "FILE")]
        checkpoint: Vec<PathBuf>,
    },
    /// Write a checkpoint of the log's head now (signed with the agreement key when one is
    /// configured, and mailed to `portal.audit.mail_to`).
    Checkpoint {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Delete the rows written before DATE (retention), after verifying the whole log; a prune
    /// checkpoint (hash of the last deleted row, count, date; signed) lets `audit verify`
    /// prove the rest intact.
    Prune {
        #[command(flatten)]
        store: StoreArgs,
        /// The cut-off: `YYYY-MM-DD` (midnight UTC) or an RFC 3339 time; it must be in the past.
        #[arg(long, value_name = "DATE", value_parser = parse_cutoff)]
        before: chrono::DateTime<chrono::Utc>,
    },
}

/// `--before`: a day (midnight UTC) or an RFC 3339 time, not in the future.
fn parse_cutoff(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    let t = match chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        Ok(d) => d.and_hms_opt(0, 0, 0).map(|t| t.and_utc()),
        Err(_) => chrono::DateTime::parse_from_rfc3339(s)
            .ok()
            .map(|t| t.with_timezone(&chrono::Utc)),
    }
    .ok_or_else(|| {
        format!("`{s}` is not a date: write YYYY-MM-DD (e.g. 2023-12-01) or an RFC 3339 time")
    })?;
    if t > chrono::Utc::now() {
        return Err(format!(
            "`{s}` is in the future: only rows written before a past date can be pruned"
        ));
    }
    Ok(t)
}

/// `candor agreements …`.
#[derive(Debug, Subcommand)]
pub enum AgreementsCommand {
    /// List executed agreements, newest first, with their status (current or superseded).
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Show one agreement: parties, signatory, evidence, the signed file and its check.
    Show {
        #[command(flatten)]
        store: StoreArgs,
        /// The agreement id (`candor agreements list` shows it).
        id: String,
    },
    /// Write the signed PDF of one agreement to a file (its SHA-256 is checked first).
    Export {
        #[command(flatten)]
        store: StoreArgs,
        /// The agreement id.
        id: String,
        /// Where to write it.
        #[arg(long, short, value_name = "FILE")]
        output: PathBuf,
    },
}

/// `candor objections …`.
#[derive(Debug, Subcommand)]
pub enum ObjectionsCommand {
    /// List the objections, newest first: when, reference, change, late or not, company,
    /// contact, address, the address's grant or subscription, and the reason.
    List {
        #[command(flatten)]
        store: StoreArgs,
        /// Only objections to this change (its id, e.g. 2027-01-11-added-example-shield-gmbh).
        #[arg(long, value_name = "ID")]
        change: Option<String>,
        /// Output: a table (text), CSV or JSON.
        #[arg(long, value_enum, default_value = "text")]
        format: ListFormat,
    },
}

/// How a list is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum ListFormat {
    /// A table for people.
    Text,
    /// CSV (RFC 4180) with a header line.
    Csv,
    /// JSON.
    Json,
}

/// `candor portal-keys …`.
#[derive(Debug, Subcommand)]
pub enum PortalKeysCommand {
    /// Add a new signing key; the previous one only verifies from now on (tokens it signed keep
    /// working until they expire). Restart every replica afterwards.
    Rotate {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Create a random admin API token and print it with its argon2id hash; put the hash in
    /// site.yaml (`portal.admin_token_hash`) or CANDOR_ADMIN_TOKEN_HASH, give the token to the
    /// admin tool (`Authorization: Bearer …`), and never store the token itself.
    AdminToken,
}

/// `candor notify`.
#[derive(Debug, Args)]
pub struct NotifyArgs {
    #[command(flatten)]
    pub store: StoreArgs,
    /// Print each notice that would be queued (topic, items, recipients per language,
    /// subject); queue and send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Print the outbox (pending, sent, failed, skipped) and its failures; send nothing.
    #[arg(long, conflicts_with = "dry_run")]
    pub status: bool,
    /// Queue the notices (announce) but send nothing: a later `--send-only` (or plain) run
    /// sends them.
    #[arg(long, conflicts_with_all = ["dry_run", "status"])]
    pub queue_only: bool,
    /// Only send what is queued (retries, a crashed run's rows); announce nothing new.
    #[arg(long, conflicts_with_all = ["dry_run", "status", "queue_only"])]
    pub send_only: bool,
    /// Mails in flight at once.
    #[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u16).range(1..=256))]
    pub concurrency: u16,
    /// Mails per second at most.
    #[arg(long, default_value_t = 10.0)]
    pub rate: f64,
    /// Attempts before a mail is marked failed.
    #[arg(long, default_value_t = 6, value_parser = clap::value_parser!(i64).range(1..=100))]
    pub max_attempts: i64,
    /// Seconds before the first retry (doubled for each further attempt, at most 6 hours).
    #[arg(long, default_value_t = 60, value_parser = clap::value_parser!(i64).range(0..=86_400))]
    pub retry_base: i64,
    /// Seconds a mail being sent is reserved for this process.
    #[arg(long, default_value_t = 120, value_parser = clap::value_parser!(i64).range(1..=3_600), hide = true)]
    pub lease: i64,
    /// The day to build the site for and to write the mails on (YYYY-MM-DD) [default: today].
    #[arg(long, value_name = "DATE")]
    pub today: Option<chrono::NaiveDate>,
}
