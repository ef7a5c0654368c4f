//! What the admin console keeps: sign-in links, sessions, second factors, automatic approval
//! rules and run-time settings. Every change an admin makes is appended to the audit chain in the
//! same transaction, with the admin's address in `email` (or, for a decision about a request,
//! `by <address>` at the start of `detail`, as the CLI and the API write it).

use chrono::Utc;
use serde::Serialize;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Result, Store, StoreError, append, new_id};
use crate::portal::audit::{Event, EventKind};

/// A console session as stored (the cookie's value itself is never stored, only its SHA-256).
#[derive(Debug, Clone)]
pub struct Session {
    /// SHA-256 of the cookie's value, hex.
    pub id_hash: String,
    /// The admin's address as configured.
    pub email: String,
    /// `second_factor`, `enrol` or `active`.
    pub stage: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Last request (Unix seconds).
    pub last_seen: i64,
    /// Revoked at (signed out, or signed out everywhere).
    pub revoked_at: Option<i64>,
    /// A ceremony's server state between its two requests.
    pub ceremony: Option<String>,
}

/// A second factor.
#[derive(Debug, Clone, Serialize)]
pub struct Factor {
    /// Id.
    pub id: String,
    /// The admin's address.
    pub email: String,
    /// `passkey` or `totp`.
    pub kind: String,
    /// The name the admin gave it.
    pub label: String,
    /// A passkey (JSON), or the sealed TOTP secret.
    #[serde(skip)]
    pub data: String,
    /// Enrolled (Unix seconds).
    pub created_at: i64,
    /// Last used.
    pub last_used_at: Option<i64>,
}

/// An automatic approval rule.
#[derive(Debug, Clone, Serialize)]
pub struct Rule {
    /// Id.
    pub id: String,
    /// The e-mail domain it approves (exact match).
    pub domain: String,
    /// Document ids separated by spaces, or `*`.
    pub documents: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// By whom.
    pub created_by: String,
}

impl Rule {
    /// Whether the rule approves `document_id`.
    pub fn covers(&self, document_id: &str) -> bool {
        self.documents.trim() == "*" || self.documents.split_whitespace().any(|d| d == document_id)
    }
}

const SESSION_COLUMNS: &str = "id_hash, email, stage, created_at, last_seen, revoked_at, ceremony";
const FACTOR_COLUMNS: &str = "id, email, kind, label, data, created_at, last_used_at";
const RULE_COLUMNS: &str = "id, domain, documents, created_at, created_by";

fn session_of(row: &AnyRow) -> Result<Session> {
    Ok(Session {
        id_hash: row.try_get("id_hash")?,
        email: row.try_get("email")?,
        stage: row.try_get("stage")?,
        created_at: row.try_get("created_at")?,
        last_seen: row.try_get("last_seen")?,
        revoked_at: row.try_get("revoked_at")?,
        ceremony: row.try_get("ceremony")?,
    })
}

fn factor_of(row: &AnyRow) -> Result<Factor> {
    Ok(Factor {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        kind: row.try_get("kind")?,
        label: row.try_get("label")?,
        data: row.try_get("data")?,
        created_at: row.try_get("created_at")?,
        last_used_at: row.try_get("last_used_at")?,
    })
}

fn rule_of(row: &AnyRow) -> Result<Rule> {
    Ok(Rule {
        id: row.try_get("id")?,
        domain: row.try_get("domain")?,
        documents: row.try_get("documents")?,
        created_at: row.try_get("created_at")?,
        created_by: row.try_get("created_by")?,
    })
}

impl Store {
    /// Appends `kind` for admin `email` with `detail`, in its own transaction.
    pub async fn audit_admin(
        &self,
        kind: EventKind,
        email: &str,
        detail: Option<String>,
        ctx: &Event,
    ) -> Result<()> {
        let mut ev = ctx.clone();
        ev.event = kind.as_str();
        ev.email = Some(email.to_owned());
        ev.detail = detail;
        self.audit(&ev).await.map(drop)
    }

    // ---- sign-in links ---------------------------------------------------------------------

    /// Stores a sign-in link for `email` (only its nonce's hash) and audits that it was sent.
    pub async fn create_admin_link(
        &self,
        email: &str,
        nonce_hash: &str,
        expires_at: i64,
        ctx: &Event,
    ) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO admin_links (nonce_hash, email, created_at, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(nonce_hash)
        .bind(email)
        .bind(now.timestamp())
        .bind(expires_at)
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::AdminLinkSent.as_str();
        ev.email = Some(email.to_owned());
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Uses a sign-in link up: the address it was sent to, or `None` when it is unknown, used or
    /// expired (nothing changes then).
    pub async fn use_admin_link(&self, nonce_hash: &str, now: i64) -> Result<Option<String>> {
        let row = sqlx::query(
            "UPDATE admin_links SET used_at = $1 WHERE nonce_hash = $2 AND used_at IS NULL \
             AND expires_at > $1 RETURNING email",
        )
        .bind(now)
        .bind(nonce_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| r.try_get("email"))
            .transpose()
            .map_err(Into::into)
    }

    // ---- sessions --------------------------------------------------------------------------

    /// Starts a session at `stage` for `email` and audits the sign-in step.
    pub async fn create_session(
        &self,
        id_hash: &str,
        email: &str,
        stage: &str,
        ctx: &Event,
    ) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO admin_sessions (id_hash, email, stage, created_at, last_seen, ip, user_agent) \
             VALUES ($1, $2, $3, $4, $4, $5, $6)",
        )
        .bind(id_hash)
        .bind(email)
        .bind(stage)
        .bind(now.timestamp())
        .bind(&ctx.ip)
        .bind(&ctx.user_agent)
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::AdminLinkUsed.as_str();
        ev.email = Some(email.to_owned());
        ev.detail = Some(format!("next: {stage}"));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A session by the hash of its cookie.
    pub async fn session(&self, id_hash: &str) -> Result<Option<Session>> {
        let row = sqlx::query(&format!(
            "SELECT {SESSION_COLUMNS} FROM admin_sessions WHERE id_hash = $1"
        ))
        .bind(id_hash)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(session_of).transpose()
    }

    /// Records activity on a session.
    pub async fn touch_session(&self, id_hash: &str, now: i64) -> Result<()> {
        sqlx::query("UPDATE admin_sessions SET last_seen = $1 WHERE id_hash = $2")
            .bind(now)
            .bind(id_hash)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Moves a session on to `stage` under a new cookie (the one it was reached with stops
    /// working: no fixation), and audits it. `false` when the session was revoked or is gone.
    pub async fn advance_session(
        &self,
        old_hash: &str,
        new_hash: &str,
        stage: &str,
        audit: (EventKind, Option<String>),
        ctx: &Event,
    ) -> Result<bool> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE admin_sessions SET id_hash = $1, stage = $2, ceremony = NULL, last_seen = $3 \
             WHERE id_hash = $4 AND revoked_at IS NULL RETURNING email",
        )
        .bind(new_hash)
        .bind(stage)
        .bind(now.timestamp())
        .bind(old_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Ok(false);
        };
        let mut ev = ctx.clone();
        ev.event = audit.0.as_str();
        ev.email = Some(row.try_get("email")?);
        ev.detail = audit.1;
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Keeps a ceremony's state with the session (replacing any earlier one).
    pub async fn set_ceremony(&self, id_hash: &str, state: &str) -> Result<()> {
        sqlx::query(
            "UPDATE admin_sessions SET ceremony = $1 WHERE id_hash = $2 AND revoked_at IS NULL",
        )
        .bind(state)
        .bind(id_hash)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// Takes the session's ceremony state (once: a second call finds none).
    pub async fn take_ceremony(&self, id_hash: &str) -> Result<Option<String>> {
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT ceremony FROM admin_sessions WHERE id_hash = $1 AND revoked_at IS NULL",
        )
        .bind(id_hash)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(state) = row
            .map(|r| r.try_get::<Option<String>, _>("ceremony"))
            .transpose()?
            .flatten()
        else {
            return Ok(None);
        };
        let taken = sqlx::query(
            "UPDATE admin_sessions SET ceremony = NULL WHERE id_hash = $1 AND ceremony = $2",
        )
        .bind(id_hash)
        .bind(&state)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok((taken.rows_affected() == 1).then_some(state))
    }

    /// Ends one session (signing out).
    pub async fn revoke_session(&self, id_hash: &str, ctx: &Event) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "UPDATE admin_sessions SET revoked_at = $1, ceremony = NULL WHERE id_hash = $2 \
             AND revoked_at IS NULL RETURNING email",
        )
        .bind(now.timestamp())
        .bind(id_hash)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = row {
            let mut ev = ctx.clone();
            ev.event = EventKind::AdminSignedOut.as_str();
            ev.email = Some(row.try_get("email")?);
            append(&mut tx, &self.keys, &ev, now).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Ends every session of `email` (signing out everywhere, or an owner's reset), audited
    /// as done by `by`. Returns how many were open.
    pub async fn revoke_sessions_of(&self, email: &str, by: &str, ctx: &Event) -> Result<u64> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE admin_sessions SET revoked_at = $1, ceremony = NULL WHERE email = $2 \
             AND revoked_at IS NULL",
        )
        .bind(now.timestamp())
        .bind(email)
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::AdminSessionsRevoked.as_str();
        ev.email = Some(email.to_owned());
        ev.detail = Some(format!("by {by}; {} sessions", done.rows_affected()));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    /// Open sessions per admin address (active or half-way), for the owners' page.
    pub async fn open_sessions(&self, since: i64) -> Result<Vec<(String, i64)>> {
        let rows = sqlx::query(
            "SELECT email, COUNT(*) AS n FROM admin_sessions WHERE revoked_at IS NULL \
             AND last_seen >= $1 GROUP BY email",
        )
        .bind(since)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("email")?, r.try_get("n")?)))
            .collect()
    }

    // ---- second factors --------------------------------------------------------------------

    /// The second factors of `email`, oldest first.
    pub async fn factors(&self, email: &str) -> Result<Vec<Factor>> {
        let rows = sqlx::query(&format!(
            "SELECT {FACTOR_COLUMNS} FROM admin_factors WHERE email = $1 ORDER BY created_at, id"
        ))
        .bind(email)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(factor_of).collect()
    }

    /// Enrols a factor and audits it.
    pub async fn add_factor(
        &self,
        email: &str,
        kind: &str,
        label: &str,
        data: &str,
        ctx: &Event,
    ) -> Result<Factor> {
        let now = Utc::now();
        let id = new_id('f');
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO admin_factors ({FACTOR_COLUMNS}) VALUES ($1, $2, $3, $4, $5, $6, NULL)"
        ))
        .bind(&id)
        .bind(email)
        .bind(kind)
        .bind(label)
        .bind(data)
        .bind(now.timestamp())
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::AdminFactorAdded.as_str();
        ev.email = Some(email.to_owned());
        ev.detail = Some(format!("{kind} {id}"));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(Factor {
            id,
            email: email.to_owned(),
            kind: kind.to_owned(),
            label: label.to_owned(),
            data: data.to_owned(),
            created_at: now.timestamp(),
            last_used_at: None,
        })
    }

    /// Records a factor's use, replacing its data (a passkey's counter); for TOTP, only when
    /// `step` is later than the last accepted one (a code is good once). `false`: replayed.
    pub async fn use_factor(
        &self,
        id: &str,
        data: Option<&str>,
        step: Option<i64>,
    ) -> Result<bool> {
        let now = Utc::now().timestamp();
        let done = match step {
            Some(step) => {
                sqlx::query(
                    "UPDATE admin_factors SET last_used_at = $1, last_step = $2 WHERE id = $3 \
                     AND (last_step IS NULL OR last_step < $2)",
                )
                .bind(now)
                .bind(step)
                .bind(id)
                .execute(&self.pool)
                .await?
            }
            None => {
                sqlx::query(
                    "UPDATE admin_factors SET last_used_at = $1, data = COALESCE($2, data) WHERE id = $3",
                )
                .bind(now)
                .bind(data)
                .bind(id)
                .execute(&self.pool)
                .await?
            }
        };
        Ok(done.rows_affected() == 1)
    }

    /// Removes factors of `email` (one by id, or all), audited as done by `by`; returns how many.
    pub async fn remove_factors(
        &self,
        email: &str,
        id: Option<&str>,
        by: &str,
        ctx: &Event,
    ) -> Result<u64> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let done = match id {
            Some(id) => {
                sqlx::query("DELETE FROM admin_factors WHERE email = $1 AND id = $2")
                    .bind(email)
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
            }
            None => {
                sqlx::query("DELETE FROM admin_factors WHERE email = $1")
                    .bind(email)
                    .execute(&mut *tx)
                    .await?
            }
        };
        if done.rows_affected() == 0 {
            return Ok(0);
        }
        let mut ev = ctx.clone();
        ev.event = EventKind::AdminFactorRemoved.as_str();
        ev.email = Some(email.to_owned());
        ev.detail = Some(format!(
            "by {by}; {}",
            id.map_or_else(|| "all factors".to_owned(), |i| format!("factor {i}"))
        ));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(done.rows_affected())
    }

    // ---- automatic approval rules ----------------------------------------------------------

    /// Every rule, by domain.
    pub async fn rules(&self) -> Result<Vec<Rule>> {
        let rows = sqlx::query(&format!(
            "SELECT {RULE_COLUMNS} FROM approval_rules ORDER BY domain, created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(rule_of).collect()
    }

    /// The first rule that approves `document_id` for an address at `domain`.
    pub async fn rule_for(&self, domain: &str, document_id: &str) -> Result<Option<Rule>> {
        let rows = sqlx::query(&format!(
            "SELECT {RULE_COLUMNS} FROM approval_rules WHERE domain = $1 ORDER BY created_at, id"
        ))
        .bind(domain)
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .iter()
            .map(rule_of)
            .collect::<Result<Vec<_>>>()?
            .into_iter()
            .find(|r| r.covers(document_id)))
    }

    /// Adds a rule and audits it.
    pub async fn add_rule(
        &self,
        domain: &str,
        documents: &str,
        by: &str,
        ctx: &Event,
    ) -> Result<Rule> {
        let now = Utc::now();
        let id = new_id('a');
        let mut tx = self.pool.begin().await?;
        sqlx::query(&format!(
            "INSERT INTO approval_rules ({RULE_COLUMNS}) VALUES ($1, $2, $3, $4, $5)"
        ))
        .bind(&id)
        .bind(domain)
        .bind(documents)
        .bind(now.timestamp())
        .bind(by)
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::RuleAdded.as_str();
        ev.email = Some(by.to_owned());
        ev.detail = Some(format!("by {by}; rule {id}: {domain} → {documents}"));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(Rule {
            id,
            domain: domain.to_owned(),
            documents: documents.to_owned(),
            created_at: now.timestamp(),
            created_by: by.to_owned(),
        })
    }

    /// Removes a rule and audits it.
    pub async fn remove_rule(&self, id: &str, by: &str, ctx: &Event) -> Result<Rule> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "DELETE FROM approval_rules WHERE id = $1 RETURNING {RULE_COLUMNS}"
        ))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            return Err(StoreError::NotFound(format!("rule {id}")));
        };
        let rule = rule_of(&row)?;
        let mut ev = ctx.clone();
        ev.event = EventKind::RuleRemoved.as_str();
        ev.email = Some(by.to_owned());
        ev.detail = Some(format!(
            "by {by}; rule {id}: {} → {}",
            rule.domain, rule.documents
        ));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(rule)
    }

    // ---- settings --------------------------------------------------------------------------

    /// A setting's value, when one was set.
    pub async fn setting(&self, name: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT value FROM portal_settings WHERE name = $1")
            .bind(name)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| r.try_get("value"))
            .transpose()
            .map_err(Into::into)
    }

    /// Every setting that was set: name, value, when, by whom.
    pub async fn settings(&self) -> Result<Vec<(String, String, i64, String)>> {
        let rows = sqlx::query(
            "SELECT name, value, updated_at, updated_by FROM portal_settings ORDER BY name",
        )
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get("name")?,
                    r.try_get("value")?,
                    r.try_get("updated_at")?,
                    r.try_get("updated_by")?,
                ))
            })
            .collect()
    }

    /// Sets a setting and audits the change.
    pub async fn set_setting(&self, name: &str, value: &str, by: &str, ctx: &Event) -> Result<()> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO portal_settings (name, value, updated_at, updated_by) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at, \
             updated_by = excluded.updated_by",
        )
        .bind(name)
        .bind(value)
        .bind(now.timestamp())
        .bind(by)
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::SettingChanged.as_str();
        ev.email = Some(by.to_owned());
        ev.detail = Some(format!("by {by}; {name} = {value}"));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(())
    }
}
