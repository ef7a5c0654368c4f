//! The portal's state: access requests, grants, the audit chain and rate-limit counters.
//!
//! One implementation over sqlx's runtime-selected `Any` driver: SQLite (WAL) by default,
//! PostgreSQL when several replicas share the state. The schema and every query are portable SQL,
//! so the same code (and the same conformance tests) cover both. Migrations are embedded in the
//! binary and run on start by sqlx's migrator.

use std::borrow::Cow;
use std::path::Path;

use chrono::{DateTime, SecondsFormat, TimeZone as _, Utc};
use rand::Rng as _;
use serde::Serialize;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::migrate::{Migration, MigrationSource, MigrationType, Migrator};
use sqlx::{AnyPool, Executor as _, Row as _};

use super::audit::{self, Event, EventKind, Row};

pub mod admin;
pub mod console;
pub mod notices;
pub mod objections;
pub mod prune;
pub mod report;
pub mod subscriptions;

/// Environment variable selecting the store (`sqlite://…` or `postgres://…`).
pub const DATABASE_ENV: &str = "CANDOR_DATABASE_URL";

/// Problems talking to the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database failed.
    #[error("database: {0}")]
    Database(#[from] sqlx::Error),
    /// A migration failed.
    #[error("database migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// No such record.
    #[error("{0} not found")]
    NotFound(String),
    /// The operation does not apply to the record's current state.
    #[error("{0}")]
    Conflict(String),
}

type Result<T> = std::result::Result<T, StoreError>;

/// The embedded migrations.
#[derive(Debug)]
struct Embedded;

const MIGRATIONS: &[(i64, &str, &str)] = &[
    (1, "portal", include_str!("migrations/0001_portal.sql")),
    (
        2,
        "agreements",
        include_str!("migrations/0002_agreements.sql"),
    ),
    (
        3,
        "keyed audit",
        include_str!("migrations/0003_keyed_audit.sql"),
    ),
    (
        4,
        "admin console",
        include_str!("migrations/0004_admin_console.sql"),
    ),
    (
        5,
        "subscriptions",
        include_str!("migrations/0005_subscriptions.sql"),
    ),
    (
        6,
        "console indexes",
        include_str!("migrations/0006_console_indexes.sql"),
    ),
    (7, "notices", include_str!("migrations/0007_notices.sql")),
    (
        8,
        "objections",
        include_str!("migrations/0008_objections.sql"),
    ),
    (
        9,
        "download counts",
        include_str!("migrations/0009_download_counts.sql"),
    ),
    (
        10,
        "objection mails",
        include_str!("migrations/0010_objection_mails.sql"),
    ),
];

impl MigrationSource<'static> for Embedded {
    fn resolve(
        self,
    ) -> futures_core_box::BoxFuture<
        'static,
        std::result::Result<Vec<Migration>, sqlx::error::BoxDynError>,
    > {
        Box::pin(async {
            Ok(MIGRATIONS
                .iter()
                .map(|(v, d, sql)| {
                    Migration::new(
                        *v,
                        Cow::Borrowed(*d),
                        MigrationType::Simple,
                        Cow::Borrowed(*sql),
                        false,
                    )
                })
                .collect())
        })
    }
}

/// `futures_core::future::BoxFuture`, spelled out to avoid a direct dependency.
mod futures_core_box {
    pub type BoxFuture<'a, T> = std::pin::Pin<Box<dyn std::future::Future<Output = T> + Send + 'a>>;
}

/// Where an access request stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Waiting for the requester to confirm the e-mail address.
    Unverified,
    /// E-mail confirmed, waiting for an admin.
    Pending,
    /// Approved: a grant exists.
    Approved,
    /// Rejected by an admin.
    Rejected,
    /// Left pending or unverified too long.
    Expired,
}

impl Status {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Unverified => "unverified",
            Status::Pending => "pending",
            Status::Approved => "approved",
            Status::Rejected => "rejected",
            Status::Expired => "expired",
        }
    }

    fn parse(s: &str) -> Status {
        match s {
            "pending" => Status::Pending,
            "approved" => Status::Approved,
            "rejected" => Status::Rejected,
            "expired" => Status::Expired,
            _ => Status::Unverified,
        }
    }
}

/// A new access request, as submitted.
#[derive(Debug, Clone)]
pub struct NewRequest {
    /// Language of the pages and mails.
    pub lang: String,
    /// The document requested.
    pub document_id: String,
    /// Requester's name.
    pub name: String,
    /// Requester's work e-mail.
    pub email: String,
    /// Requester's company.
    pub company: String,
    /// Why they need it.
    pub reason: String,
    /// Version of the NDA accepted (NDA documents).
    pub nda_version: Option<String>,
    /// SHA-256 of the NDA text accepted.
    pub nda_sha256: Option<String>,
}

/// A stored access request.
#[derive(Debug, Clone, Serialize)]
pub struct Request {
    /// Id.
    pub id: String,
    /// Submitted (Unix seconds).
    pub created_at: i64,
    /// Language.
    pub lang: String,
    /// Document.
    pub document_id: String,
    /// Name.
    pub name: String,
    /// E-mail.
    pub email: String,
    /// Company.
    pub company: String,
    /// Reason.
    pub reason: String,
    /// NDA version accepted.
    pub nda_version: Option<String>,
    /// NDA SHA-256 accepted.
    pub nda_sha256: Option<String>,
    /// Status.
    pub status: Status,
    /// E-mail confirmed at.
    pub verified_at: Option<i64>,
    /// Approved/rejected at.
    pub decided_at: Option<i64>,
    /// Who decided (`auto:<domain>`, `cli`, `api`).
    pub decided_by: Option<String>,
    /// The grant, once approved.
    pub grant_id: Option<String>,
}

/// A grant: permission for one requester to download one document.
#[derive(Debug, Clone, Serialize)]
pub struct Grant {
    /// Id.
    pub id: String,
    /// The request it answers.
    pub request_id: String,
    /// Document.
    pub document_id: String,
    /// Language of pages and mails.
    pub lang: String,
    /// Recipient name.
    pub name: String,
    /// Recipient e-mail.
    pub email: String,
    /// Recipient company.
    pub company: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Expires (Unix seconds).
    pub expires_at: i64,
    /// Revoked at.
    pub revoked_at: Option<i64>,
    /// Downloads allowed.
    pub max_downloads: i64,
    /// Downloads so far.
    pub downloads: i64,
}

impl Grant {
    /// Whether downloads are allowed at `now`.
    pub fn usable(&self, now: i64) -> bool {
        self.revoked_at.is_none() && self.expires_at > now && self.downloads < self.max_downloads
    }
}

/// A signing request: an e-mail address to prove before concluding an agreement.
#[derive(Debug, Clone, Serialize)]
pub struct SigningRequest {
    /// Id.
    pub id: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Language of pages and mails.
    pub lang: String,
    /// The signable document.
    pub document_id: String,
    /// The e-mail address to prove.
    pub email: String,
    /// When it was proven.
    pub verified_at: Option<i64>,
    /// The agreement concluded with it (each request concludes at most one).
    pub agreement_id: Option<String>,
}

/// An executed agreement.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Agreement {
    /// Id (also the signed PDF's name in the file area).
    pub id: String,
    /// The signing request used.
    pub request_id: String,
    /// The document.
    pub document_id: String,
    /// Its version.
    pub version: String,
    /// The language version signed.
    pub lang: String,
    /// SHA-256 of the agreement file signed.
    pub text_sha256: String,
    /// The customer company.
    pub company: String,
    /// Its address.
    pub address: String,
    /// Its registration number (may be empty).
    pub registration: String,
    /// Its contact for privacy matters.
    pub privacy_contact: String,
    /// Signatory's name.
    pub signatory_name: String,
    /// Signatory's title.
    pub signatory_title: String,
    /// Signatory's e-mail.
    pub signatory_email: String,
    /// The e-mail address proven.
    pub email: String,
    /// When it was proven (Unix seconds).
    pub email_verified_at: i64,
    /// When it was signed (Unix seconds).
    pub signed_at: i64,
    /// Client IP.
    pub ip: String,
    /// Client user agent.
    pub user_agent: String,
    /// SHA-256 of the signed PDF.
    pub pdf_sha256: String,
    /// Its size in bytes.
    pub pdf_size: i64,
}

/// A random id: 14 characters of lower-case letters and digits (~72 bits).
pub fn new_id(prefix: char) -> String {
    const ALPHABET: &[u8] = b"abcdefghijkmnpqrstuvwxyz23456789";
    let mut rng = rand::rngs::OsRng;
    std::iter::once(prefix)
        .chain((0..14).map(|_| ALPHABET[rng.gen_range(0..ALPHABET.len())] as char))
        .collect()
}

/// Whether `id` looks like one of ours (checked before any lookup).
pub fn valid_id(id: &str) -> bool {
    id.len() == 15
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
}

/// The URL of the SQLite file at `path` (created when missing). sqlx splits the URL at `?` and
/// percent-decodes the path, so `%`, `?` and `#` in a folder name are escaped: unescaped, a site
/// in `q?1/` failed to open its store and one in `x%41/` opened `xA/.candor/portal.db`.
pub fn sqlite_url(path: &Path) -> String {
    const ESCAPED: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
        .add(b' ')
        .add(b'%')
        .add(b'?')
        .add(b'#');
    format!(
        "sqlite://{}?mode=rwc",
        percent_encoding::utf8_percent_encode(&path.to_string_lossy(), ESCAPED)
    )
}

/// The file of a `sqlite:` URL (`None` for other databases and in-memory SQLite).
fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next().unwrap_or_default();
    if path.is_empty() || path.starts_with(":memory:") {
        return None;
    }
    Some(
        percent_encoding::percent_decode_str(path)
            .decode_utf8_lossy()
            .into_owned()
            .into(),
    )
}

/// Creates the SQLite file (mode 0600, folder 0700) when missing; refuses one, or a WAL or
/// shared-memory file beside it, that other users can read.
fn private_sqlite(path: &Path) -> Result<()> {
    use super::private;
    let refuse = |e: private::NotPrivate| StoreError::Conflict(e.message);
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        private::create_dir(dir).map_err(refuse)?;
    }
    private::create_file(path).map_err(refuse)?;
    for suffix in ["", "-wal", "-shm"] {
        let mut file = path.as_os_str().to_owned();
        file.push(suffix);
        private::check(Path::new(&file), "the portal's store").map_err(refuse)?;
    }
    Ok(())
}

fn rfc3339_millis(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// The store.
#[derive(Clone, Debug)]
pub struct Store {
    pool: AnyPool,
    postgres: bool,
    keys: audit::AuditKeys,
}

const REQUEST_COLUMNS: &str = "id, created_at, lang, document_id, name, email, company, reason, \
     nda_version, nda_sha256, status, verified_at, decided_at, decided_by, grant_id";
const GRANT_COLUMNS: &str = "id, request_id, document_id, lang, name, email, company, created_at, \
     expires_at, revoked_at, max_downloads, downloads";
const SIGNING_COLUMNS: &str = "id, created_at, lang, document_id, email, verified_at, agreement_id";
const AGREEMENT_COLUMNS: &str = "id, request_id, document_id, version, lang, text_sha256, company, \
     address, registration, privacy_contact, signatory_name, signatory_title, signatory_email, email, \
     email_verified_at, signed_at, ip, user_agent, pdf_sha256, pdf_size";
const AUDIT_COLUMNS: &str = "seq, at, event, request_id, grant_id, document_id, version, email, ip, \
     user_agent, detail, key_id, prev_hash, hash";

fn request_of(row: &AnyRow) -> Result<Request> {
    Ok(Request {
        id: row.try_get("id")?,
        created_at: row.try_get("created_at")?,
        lang: row.try_get("lang")?,
        document_id: row.try_get("document_id")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        company: row.try_get("company")?,
        reason: row.try_get("reason")?,
        nda_version: row.try_get("nda_version")?,
        nda_sha256: row.try_get("nda_sha256")?,
        status: Status::parse(&row.try_get::<String, _>("status")?),
        verified_at: row.try_get("verified_at")?,
        decided_at: row.try_get("decided_at")?,
        decided_by: row.try_get("decided_by")?,
        grant_id: row.try_get("grant_id")?,
    })
}

fn grant_of(row: &AnyRow) -> Result<Grant> {
    Ok(Grant {
        id: row.try_get("id")?,
        request_id: row.try_get("request_id")?,
        document_id: row.try_get("document_id")?,
        lang: row.try_get("lang")?,
        name: row.try_get("name")?,
        email: row.try_get("email")?,
        company: row.try_get("company")?,
        created_at: row.try_get("created_at")?,
        expires_at: row.try_get("expires_at")?,
        revoked_at: row.try_get("revoked_at")?,
        max_downloads: row.try_get("max_downloads")?,
        downloads: row.try_get("downloads")?,
    })
}

fn signing_of(row: &AnyRow) -> Result<SigningRequest> {
    Ok(SigningRequest {
        id: row.try_get("id")?,
        created_at: row.try_get("created_at")?,
        lang: row.try_get("lang")?,
        document_id: row.try_get("document_id")?,
        email: row.try_get("email")?,
        verified_at: row.try_get("verified_at")?,
        agreement_id: row.try_get("agreement_id")?,
    })
}

fn agreement_of(row: &AnyRow) -> Result<Agreement> {
    Ok(Agreement {
        id: row.try_get("id")?,
        request_id: row.try_get("request_id")?,
        document_id: row.try_get("document_id")?,
        version: row.try_get("version")?,
        lang: row.try_get("lang")?,
        text_sha256: row.try_get("text_sha256")?,
        company: row.try_get("company")?,
        address: row.try_get("address")?,
        registration: row.try_get("registration")?,
        privacy_contact: row.try_get("privacy_contact")?,
        signatory_name: row.try_get("signatory_name")?,
        signatory_title: row.try_get("signatory_title")?,
        signatory_email: row.try_get("signatory_email")?,
        email: row.try_get("email")?,
        email_verified_at: row.try_get("email_verified_at")?,
        signed_at: row.try_get("signed_at")?,
        ip: row.try_get("ip")?,
        user_agent: row.try_get("user_agent")?,
        pdf_sha256: row.try_get("pdf_sha256")?,
        pdf_size: row.try_get("pdf_size")?,
    })
}

fn audit_of(row: &AnyRow) -> Result<Row> {
    Ok(Row {
        seq: row.try_get("seq")?,
        at: row.try_get("at")?,
        event: row.try_get("event")?,
        request_id: row.try_get("request_id")?,
        grant_id: row.try_get("grant_id")?,
        document_id: row.try_get("document_id")?,
        version: row.try_get("version")?,
        email: row.try_get("email")?,
        ip: row.try_get("ip")?,
        user_agent: row.try_get("user_agent")?,
        detail: row.try_get("detail")?,
        key_id: row.try_get("key_id")?,
        prev_hash: row.try_get("prev_hash")?,
        hash: row.try_get("hash")?,
    })
}

/// Appends an audit row inside `tx`, chained with the current audit key: takes the head first
/// (serialising appends), then writes the row and moves the head.
async fn append(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    keys: &audit::AuditKeys,
    event: &Event,
    at: DateTime<Utc>,
) -> Result<Row> {
    let head = sqlx::query("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash")
        .fetch_one(&mut **tx)
        .await?;
    let mut row = Row {
        seq: head.try_get("seq")?,
        at: rfc3339_millis(at),
        event: event.event.to_owned(),
        request_id: event.request_id.clone(),
        grant_id: event.grant_id.clone(),
        document_id: event.document_id.clone(),
        version: event.version.clone(),
        email: event.email.clone(),
        ip: event.ip.clone(),
        user_agent: event.user_agent.clone(),
        detail: event.detail.clone(),
        key_id: None,
        prev_hash: head.try_get("hash")?,
        hash: String::new(),
    };
    row.seal(keys);
    sqlx::query(&format!(
        "INSERT INTO audit ({AUDIT_COLUMNS}) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
    ))
    .bind(row.seq)
    .bind(&row.at)
    .bind(&row.event)
    .bind(&row.request_id)
    .bind(&row.grant_id)
    .bind(&row.document_id)
    .bind(&row.version)
    .bind(&row.email)
    .bind(&row.ip)
    .bind(&row.user_agent)
    .bind(&row.detail)
    .bind(&row.key_id)
    .bind(&row.prev_hash)
    .bind(&row.hash)
    .execute(&mut **tx)
    .await?;
    sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
        .bind(&row.hash)
        .execute(&mut **tx)
        .await?;
    Ok(row)
}

impl Store {
    /// The row of `table` with `id`, read with `of`.
    async fn by_id<T>(
        &self,
        table: &str,
        columns: &str,
        id: &str,
        of: fn(&AnyRow) -> Result<T>,
    ) -> Result<Option<T>> {
        let row = sqlx::query(&format!("SELECT {columns} FROM {table} WHERE id = $1"))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(of).transpose()
    }

    /// Rows of `table`, newest first by `order`: all, or those whose `column` equals `value`.
    async fn newest_first<T>(
        &self,
        table: &str,
        columns: &str,
        order: &str,
        filter: Option<(&str, &str)>,
        of: fn(&AnyRow) -> Result<T>,
    ) -> Result<Vec<T>> {
        let rows =
            match filter {
                Some((column, value)) => sqlx::query(&format!(
                    "SELECT {columns} FROM {table} WHERE {column} = $1 ORDER BY {order} DESC, id"
                ))
                .bind(value)
                .fetch_all(&self.pool)
                .await?,
                None => {
                    sqlx::query(&format!(
                        "SELECT {columns} FROM {table} ORDER BY {order} DESC, id"
                    ))
                    .fetch_all(&self.pool)
                    .await?
                }
            };
        rows.iter().map(of).collect()
    }

    /// The store named by `CANDOR_DATABASE_URL`, or the embedded SQLite file
    /// `<root>/.candor/portal.db`, with the audit keys of the portal's key file.
    ///
    /// The SQLite file is created with mode 0600 in a folder of mode 0700 (SQLite gives its WAL
    /// and shared-memory files the database file's mode), and a store file that other users can
    /// read is refused, as key files are: it holds requesters' personal data and the audit log.
    pub async fn open_default(root: &Path, keys: audit::AuditKeys) -> Result<Store> {
        match std::env::var(DATABASE_ENV) {
            Ok(url) if !url.is_empty() => {
                if let Some(path) = sqlite_path(&url) {
                    private_sqlite(&path)?;
                }
                Store::connect(&url, keys).await
            }
            _ => {
                let path = root.join(".candor").join("portal.db");
                private_sqlite(&path)?;
                Store::connect(&sqlite_url(&path), keys).await
            }
        }
    }

    /// Connects to `url`, applies the embedded migrations and, in the run that introduces the
    /// keyed chain, anchors a log written before (see [`Store::anchor_unkeyed_rows`]).
    pub async fn connect(url: &str, keys: audit::AuditKeys) -> Result<Store> {
        sqlx::any::install_default_drivers();
        let postgres = url.starts_with("postgres:") || url.starts_with("postgresql:");
        let pool = AnyPoolOptions::new()
            .max_connections(if postgres { 16 } else { 8 })
            .acquire_timeout(std::time::Duration::from_secs(30))
            .after_connect(|conn, _meta| {
                Box::pin(async move {
                    if conn.backend_name().eq_ignore_ascii_case("sqlite") {
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; \
                             PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON;",
                        )
                        .await?;
                    }
                    Ok(())
                })
            })
            .connect(url)
            .await?;
        // Whether this run introduces the keyed chain (migration 3): only then may rows without
        // a MAC be anchored. Later, a log whose newest row has no MAC was rewritten by someone
        // without the key, and must fail verification rather than be anchored as found.
        let keyed_before = sqlx::query("SELECT version FROM _sqlx_migrations WHERE version = 3")
            .fetch_optional(&pool)
            .await
            .ok()
            .flatten()
            .is_some();
        Migrator::new(Embedded).await?.run(&pool).await?;
        let store = Store {
            pool,
            postgres,
            keys,
        };
        if !keyed_before {
            store.anchor_unkeyed_rows().await?;
        }
        Ok(store)
    }

    /// The migration of a log written before the chain was keyed (run once, with migration 3):
    /// when its newest row carries no MAC, the unkeyed rows are checked and a keyed `chain_keyed` row is appended, whose MAC
    /// covers the last unkeyed hash. From then on, rewriting an old row breaks a link that only
    /// the key holder could remake. The row says whether the old rows were intact when anchored.
    async fn anchor_unkeyed_rows(&self) -> Result<Option<Row>> {
        let newest = sqlx::query("SELECT key_id FROM audit ORDER BY seq DESC LIMIT 1")
            .fetch_optional(&self.pool)
            .await?;
        let Some(newest) = newest else {
            return Ok(None);
        };
        if newest.try_get::<Option<String>, _>("key_id")?.is_some() {
            return Ok(None);
        }
        let rows = self.audit_rows().await?;
        let broken = rows.iter().enumerate().position(|(i, r)| {
            let prev = if i == 0 {
                audit::GENESIS
            } else {
                &rows[i - 1].hash
            };
            r.seq != i as i64 + 1 || r.prev_hash != prev || r.hash != r.unkeyed_hash()
        });
        let state = match broken {
            None => format!("rows 1–{} were verified intact (SHA-256)", rows.len()),
            Some(i) => format!(
                "rows 1–{} were anchored as found: row {} did not verify",
                rows.len(),
                i + 1
            ),
        };
        let mut event = Event::new(EventKind::ChainKeyed);
        event.detail = Some(format!(
            "{state}; from here on each row carries an HMAC-SHA-256 under key {}",
            self.keys.current_id()
        ));
        self.audit(&event).await.map(Some)
    }

    /// Whether this is a PostgreSQL store.
    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// Closes the pool.
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// Appends one audit row on its own.
    pub async fn audit(&self, event: &Event) -> Result<Row> {
        let mut tx = self.pool.begin().await?;
        let row = append(&mut tx, &self.keys, event, Utc::now()).await?;
        tx.commit().await?;
        Ok(row)
    }

    /// Stores a new request (status `unverified`) and audits it.
    pub async fn create_request(&self, new: &NewRequest, ctx: &Event) -> Result<Request> {
        let id = new_id('r');
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::Request.as_str();
        ev.request_id = Some(id.clone());
        ev.document_id = Some(new.document_id.clone());
        ev.email = Some(new.email.clone());
        ev.detail = new.nda_sha256.as_ref().map(|h| {
            format!(
                "nda {} sha256 {h}",
                new.nda_version.as_deref().unwrap_or("")
            )
        });
        append(&mut tx, &self.keys, &ev, now).await?;
        sqlx::query(
            "INSERT INTO requests (id, created_at, lang, document_id, name, email, company, reason, \
             nda_version, nda_sha256, status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 'unverified')",
        )
        .bind(&id)
        .bind(now.timestamp())
        .bind(&new.lang)
        .bind(&new.document_id)
        .bind(&new.name)
        .bind(&new.email)
        .bind(&new.company)
        .bind(&new.reason)
        .bind(&new.nda_version)
        .bind(&new.nda_sha256)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.request(&id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
    }

    /// One request.
    pub async fn request(&self, id: &str) -> Result<Option<Request>> {
        self.by_id("requests", REQUEST_COLUMNS, id, request_of)
            .await
    }

    /// Requests, newest first, optionally of one status.
    pub async fn requests(&self, status: Option<Status>) -> Result<Vec<Request>> {
        let filter = status.map(|s| ("status", s.as_str()));
        self.newest_first(
            "requests",
            REQUEST_COLUMNS,
            "created_at",
            filter,
            request_of,
        )
        .await
    }

    /// Records that the requester proved the e-mail address: `unverified` → `pending`.
    /// Returns the request, or `None` when it was not waiting for confirmation (already
    /// confirmed, decided or expired) — confirming twice changes nothing.
    pub async fn confirm_email(&self, id: &str, ctx: &Event) -> Result<Option<Request>> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE requests SET status = 'pending', verified_at = $1 WHERE id = $2 AND status = 'unverified' \
             RETURNING document_id, email",
        )
        .bind(now.timestamp())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = done else {
            return Ok(None);
        };
        let mut ev = ctx.clone();
        ev.event = EventKind::EmailVerified.as_str();
        ev.request_id = Some(id.to_owned());
        ev.document_id = Some(row.try_get("document_id")?);
        ev.email = Some(row.try_get("email")?);
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        self.request(id).await
    }

    /// Approves a pending request: creates a grant valid for `days` with `max_downloads`.
    pub async fn approve(
        &self,
        id: &str,
        days: u32,
        max_downloads: u32,
        by: &str,
        ctx: &Event,
    ) -> Result<Grant> {
        let now = Utc::now();
        let grant_id = new_id('g');
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(&format!(
            "UPDATE requests SET status = 'approved', decided_at = $1, decided_by = $2, grant_id = $3 \
             WHERE id = $4 AND status = 'pending' RETURNING {REQUEST_COLUMNS}"
        ))
        .bind(now.timestamp())
        .bind(by)
        .bind(&grant_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = updated else {
            drop(tx);
            return Err(self.not_pending(id).await);
        };
        let req = request_of(&row)?;
        let expires = now.timestamp() + i64::from(days) * 86_400;
        sqlx::query(&format!(
            "INSERT INTO grants ({GRANT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, $10, 0)"
        ))
        .bind(&grant_id)
        .bind(&req.id)
        .bind(&req.document_id)
        .bind(&req.lang)
        .bind(&req.name)
        .bind(&req.email)
        .bind(&req.company)
        .bind(now.timestamp())
        .bind(expires)
        .bind(i64::from(max_downloads))
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::Approved.as_str();
        ev.request_id = Some(req.id.clone());
        ev.grant_id = Some(grant_id.clone());
        ev.document_id = Some(req.document_id.clone());
        ev.email = Some(req.email.clone());
        ev.detail = Some(format!("by {by}; {days} days; {max_downloads} downloads"));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        self.grant(&grant_id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("grant {grant_id}")))
    }

    async fn not_pending(&self, id: &str) -> StoreError {
        match self.request(id).await {
            Ok(Some(r)) if r.status == Status::Unverified => StoreError::Conflict(format!(
                "request {id} is waiting for the requester to confirm the e-mail address; it can be decided once confirmed"
            )),
            Ok(Some(r)) => StoreError::Conflict(format!(
                "request {id} is {}, not pending",
                r.status.as_str()
            )),
            Ok(None) => StoreError::NotFound(format!("request {id}")),
            Err(e) => e,
        }
    }

    /// Rejects a pending or unverified request; the reason given (if any) is audited with it.
    pub async fn reject(
        &self,
        id: &str,
        by: &str,
        reason: Option<&str>,
        ctx: &Event,
    ) -> Result<Request> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE requests SET status = 'rejected', decided_at = $1, decided_by = $2 \
             WHERE id = $3 AND status IN ('pending', 'unverified') RETURNING document_id, email",
        )
        .bind(now.timestamp())
        .bind(by)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = updated else {
            drop(tx);
            return Err(match self.request(id).await? {
                Some(r) => StoreError::Conflict(format!(
                    "request {id} is {}, not pending",
                    r.status.as_str()
                )),
                None => StoreError::NotFound(format!("request {id}")),
            });
        };
        let mut ev = ctx.clone();
        ev.event = EventKind::Rejected.as_str();
        ev.request_id = Some(id.to_owned());
        ev.document_id = Some(row.try_get("document_id")?);
        ev.email = Some(row.try_get("email")?);
        ev.detail = Some(match reason {
            Some(reason) => format!("by {by}; reason: {reason}"),
            None => format!("by {by}"),
        });
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        self.request(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("request {id}")))
    }

    /// Expires requests left unverified or pending since before `cutoff` (Unix seconds).
    pub async fn expire_requests(&self, cutoff: i64) -> Result<usize> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let rows = sqlx::query(
            "UPDATE requests SET status = 'expired', decided_at = $1, decided_by = 'expiry' \
             WHERE status IN ('pending', 'unverified') AND created_at < $2 RETURNING id, document_id, email",
        )
        .bind(now.timestamp())
        .bind(cutoff)
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let mut ev = Event::new(EventKind::Expired);
            ev.request_id = Some(row.try_get("id")?);
            ev.document_id = Some(row.try_get("document_id")?);
            ev.email = Some(row.try_get("email")?);
            append(&mut tx, &self.keys, &ev, now).await?;
        }
        tx.commit().await?;
        Ok(rows.len())
    }

    /// One grant.
    pub async fn grant(&self, id: &str) -> Result<Option<Grant>> {
        self.by_id("grants", GRANT_COLUMNS, id, grant_of).await
    }

    /// Revokes a grant (idempotent: revoking twice keeps the first time).
    pub async fn revoke(&self, id: &str, by: &str, ctx: &Event) -> Result<Grant> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE grants SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL \
             RETURNING document_id, email, request_id",
        )
        .bind(now.timestamp())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = updated {
            let mut ev = ctx.clone();
            ev.event = EventKind::Revoked.as_str();
            ev.grant_id = Some(id.to_owned());
            ev.request_id = Some(row.try_get("request_id")?);
            ev.document_id = Some(row.try_get("document_id")?);
            ev.email = Some(row.try_get("email")?);
            ev.detail = Some(format!("by {by}"));
            append(&mut tx, &self.keys, &ev, now).await?;
            tx.commit().await?;
        } else {
            drop(tx);
        }
        self.grant(id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("grant {id}")))
    }

    /// In one transaction: counts a download against the grant (only when it is not revoked, not
    /// expired and under its limit) and appends the audit row. `None` when the grant does not
    /// allow it (nothing is written then; the caller audits the failure).
    pub async fn record_download(
        &self,
        grant_id: &str,
        document_id: &str,
        now: i64,
        ctx: &Event,
    ) -> Result<Option<Grant>> {
        let at = Utc.timestamp_opt(now, 0).single().unwrap_or_else(Utc::now);
        let mut tx = self.pool.begin().await?;
        // Lock order everywhere: request/grant rows first, then the audit head.
        let mut ev = ctx.clone();
        ev.event = EventKind::Download.as_str();
        ev.grant_id = Some(grant_id.to_owned());
        ev.document_id = Some(document_id.to_owned());
        let counted = sqlx::query(&format!(
            "UPDATE grants SET downloads = downloads + 1 WHERE id = $1 AND document_id = $2 \
             AND revoked_at IS NULL AND expires_at > $3 AND downloads < max_downloads RETURNING {GRANT_COLUMNS}"
        ))
        .bind(grant_id)
        .bind(document_id)
        .bind(now)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = counted else {
            return Ok(None);
        };
        let grant = grant_of(&row)?;
        ev.email = Some(grant.email.clone());
        ev.request_id = Some(grant.request_id.clone());
        append(&mut tx, &self.keys, &ev, at).await?;
        // The console's counts (migration 9), in the same transaction as the audit row.
        sqlx::query(
            "INSERT INTO download_counts (day, document_id, company, downloads) \
             VALUES ($1, $2, $3, 1) ON CONFLICT (day, document_id, company) \
             DO UPDATE SET downloads = download_counts.downloads + 1",
        )
        .bind(at.format("%Y-%m-%d").to_string())
        .bind(document_id)
        .bind(&grant.company)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(Some(grant))
    }

    /// Every audit row in order.
    pub async fn audit_rows(&self) -> Result<Vec<Row>> {
        let rows = sqlx::query(&format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY seq"))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(audit_of).collect()
    }

    /// Checks the chain with the store's audit keys: what is intact, else where it breaks.
    ///
    /// The rows and the head are read by one statement, so from one snapshot on both databases:
    /// read apart, an append committed in between (another replica, a download in flight) made
    /// an intact log look tampered with ("should end at row 6 but ends at row 5").
    pub async fn verify_audit(
        &self,
    ) -> Result<std::result::Result<audit::Verified, audit::Broken>> {
        let columns = AUDIT_COLUMNS
            .split(", ")
            .map(|c| format!("a.{c}"))
            .collect::<Vec<_>>()
            .join(", ");
        let joined = sqlx::query(&format!(
            "SELECT h.seq AS head_seq, h.hash AS head_hash, {columns} \
             FROM audit_head h LEFT JOIN audit a ON 1 = 1 WHERE h.id = 1 ORDER BY a.seq"
        ))
        .fetch_all(&self.pool)
        .await?;
        let Some(first) = joined.first() else {
            return Err(StoreError::NotFound("the audit head record".into()));
        };
        let head_seq: i64 = first.try_get("head_seq")?;
        let head_hash: String = first.try_get("head_hash")?;
        let mut rows = Vec::with_capacity(joined.len());
        for row in &joined {
            // An empty log joins to one row of NULLs.
            if row.try_get::<Option<i64>, _>("seq")?.is_some() {
                rows.push(audit_of(row)?);
            }
        }
        let start = self.prune_mark().await?;
        if let Some(mark) = &start
            && let Err(why) = mark.authenticate(&self.keys)
        {
            return Ok(Err(audit::Broken {
                seq: mark.seq + 1,
                reason: format!(
                    "the log starts at a prune checkpoint that is not authentic: {why}"
                ),
            }));
        }
        Ok(audit::verify(
            &rows,
            start.as_ref().map(|m| (m.seq, m.hash.as_str())),
            head_seq,
            &head_hash,
            &self.keys,
        ))
    }

    /// The audit row with sequence number `seq`.
    pub async fn audit_row(&self, seq: i64) -> Result<Option<Row>> {
        let row = sqlx::query(&format!("SELECT {AUDIT_COLUMNS} FROM audit WHERE seq = $1"))
            .bind(seq)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(audit_of).transpose()
    }

    /// The audit keys the store chains with.
    pub fn audit_keys(&self) -> &audit::AuditKeys {
        &self.keys
    }

    /// Requests to `email` (access requests, signing requests and objections, the address compared without
    /// regard to case) made at or after `since` whose address has not been confirmed.
    pub async fn unconfirmed_requests_to(&self, email: &str, since: i64) -> Result<i64> {
        let row = sqlx::query(
            "SELECT (SELECT COUNT(*) FROM requests WHERE LOWER(email) = LOWER($1) \
             AND status = 'unverified' AND created_at >= $2) + \
             (SELECT COUNT(*) FROM signing_requests WHERE LOWER(email) = LOWER($1) \
             AND verified_at IS NULL AND created_at >= $2) + \
             (SELECT COUNT(*) FROM objections WHERE LOWER(email) = LOWER($1) \
             AND confirmed_at IS NULL AND received_at >= $2) AS n",
        )
        .bind(email)
        .bind(since)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get("n")?)
    }

    /// Counts a hit in `bucket` for the fixed window of `window` seconds containing `now`;
    /// returns the hits in this window (this one included) and the window's end.
    ///
    /// Windows only move forward: a hit stamped with an earlier window (a replica whose clock
    /// lags the others') counts in the newest one. Resetting to the hit's own window instead let
    /// two replicas with skewed clocks restart each other's count on every request.
    pub async fn hit(&self, bucket: &str, window: i64, now: i64) -> Result<(i64, i64)> {
        let start = now - now.rem_euclid(window);
        let row = sqlx::query(
            "INSERT INTO rate_limits (bucket, window_start, hits) VALUES ($1, $2, 1) \
             ON CONFLICT (bucket) DO UPDATE SET \
             hits = CASE WHEN excluded.window_start > rate_limits.window_start THEN 1 \
             ELSE rate_limits.hits + 1 END, \
             window_start = CASE WHEN excluded.window_start > rate_limits.window_start \
             THEN excluded.window_start ELSE rate_limits.window_start END \
             RETURNING hits, window_start",
        )
        .bind(bucket)
        .bind(start)
        .fetch_one(&self.pool)
        .await?;
        let start: i64 = row.try_get("window_start")?;
        Ok((row.try_get("hits")?, start + window))
    }

    // ---- agreements ----------------------------------------------------------------------

    /// Stores a new signing request for `email` and audits it.
    pub async fn create_signing_request(
        &self,
        lang: &str,
        document_id: &str,
        email: &str,
        ctx: &Event,
    ) -> Result<SigningRequest> {
        let id = new_id('s');
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::AgreementRequested.as_str();
        ev.request_id = Some(id.clone());
        ev.document_id = Some(document_id.to_owned());
        ev.email = Some(email.to_owned());
        append(&mut tx, &self.keys, &ev, now).await?;
        sqlx::query(
            "INSERT INTO signing_requests (id, created_at, lang, document_id, email) VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(now.timestamp())
        .bind(lang)
        .bind(document_id)
        .bind(email)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.signing_request(&id)
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("signing request {id}")))
    }

    /// One signing request.
    pub async fn signing_request(&self, id: &str) -> Result<Option<SigningRequest>> {
        self.by_id("signing_requests", SIGNING_COLUMNS, id, signing_of)
            .await
    }

    /// Records that the e-mail address of a signing request was proven (the first time only;
    /// later calls change nothing) and returns the request.
    pub async fn verify_signing_request(
        &self,
        id: &str,
        ctx: &Event,
    ) -> Result<Option<SigningRequest>> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE signing_requests SET verified_at = $1 WHERE id = $2 AND verified_at IS NULL \
             RETURNING document_id, email",
        )
        .bind(now.timestamp())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = done {
            let mut ev = ctx.clone();
            ev.event = EventKind::EmailVerified.as_str();
            ev.request_id = Some(id.to_owned());
            ev.document_id = Some(row.try_get("document_id")?);
            ev.email = Some(row.try_get("email")?);
            append(&mut tx, &self.keys, &ev, now).await?;
        }
        tx.commit().await?;
        self.signing_request(id).await
    }

    /// In one transaction: uses the (verified, unused) signing request for `agreement`, stores
    /// the agreement and appends the audit row with the signed PDF's SHA-256. `None` when the
    /// request is not verified or was already used (nothing is written then).
    pub async fn record_agreement(
        &self,
        agreement: &Agreement,
        ctx: &Event,
    ) -> Result<Option<Agreement>> {
        let at = Utc
            .timestamp_opt(agreement.signed_at, 0)
            .single()
            .unwrap_or_else(Utc::now);
        let mut tx = self.pool.begin().await?;
        let claimed = sqlx::query(
            "UPDATE signing_requests SET agreement_id = $1 WHERE id = $2 AND verified_at IS NOT NULL \
             AND agreement_id IS NULL AND document_id = $3 RETURNING id",
        )
        .bind(&agreement.id)
        .bind(&agreement.request_id)
        .bind(&agreement.document_id)
        .fetch_optional(&mut *tx)
        .await?;
        if claimed.is_none() {
            return Ok(None);
        }
        let a = agreement;
        sqlx::query(&format!(
            "INSERT INTO agreements ({AGREEMENT_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, \
             $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20)"
        ))
        .bind(&a.id)
        .bind(&a.request_id)
        .bind(&a.document_id)
        .bind(&a.version)
        .bind(&a.lang)
        .bind(&a.text_sha256)
        .bind(&a.company)
        .bind(&a.address)
        .bind(&a.registration)
        .bind(&a.privacy_contact)
        .bind(&a.signatory_name)
        .bind(&a.signatory_title)
        .bind(&a.signatory_email)
        .bind(&a.email)
        .bind(a.email_verified_at)
        .bind(a.signed_at)
        .bind(&a.ip)
        .bind(&a.user_agent)
        .bind(&a.pdf_sha256)
        .bind(a.pdf_size)
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::AgreementSigned.as_str();
        ev.request_id = Some(a.request_id.clone());
        ev.document_id = Some(a.document_id.clone());
        ev.version = Some(format!("{}/{}", a.version, a.lang));
        ev.email = Some(a.email.clone());
        ev.detail = Some(format!("agreement {} sha256 {}", a.id, a.pdf_sha256));
        append(&mut tx, &self.keys, &ev, at).await?;
        tx.commit().await?;
        Ok(Some(a.clone()))
    }

    /// One agreement.
    pub async fn agreement(&self, id: &str) -> Result<Option<Agreement>> {
        self.by_id("agreements", AGREEMENT_COLUMNS, id, agreement_of)
            .await
    }

    /// Agreements, newest first: all, or those concluded with the proven address `email`.
    pub async fn agreements(&self, email: Option<&str>) -> Result<Vec<Agreement>> {
        let filter = email.map(|e| ("email", e));
        self.newest_first(
            "agreements",
            AGREEMENT_COLUMNS,
            "signed_at",
            filter,
            agreement_of,
        )
        .await
    }

    /// Raw access for tests that tamper with rows.
    #[doc(hidden)]
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }
}
