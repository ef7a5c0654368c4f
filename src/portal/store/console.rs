//! The admin console's reads (pages of requests, grants and audit rows, download counts) and the
//! grant changes only the console makes (extend, resend with a new link). Every list is a page
//! from an index: the audit log by sequence number from where the page starts (no `OFFSET` over a
//! long log), requests and grants by time.

use chrono::Utc;
use serde::Serialize;
use sqlx::Row as _;

use super::{
    AUDIT_COLUMNS, GRANT_COLUMNS, Grant, REQUEST_COLUMNS, Request, Result, Status, Store,
    StoreError, append, audit_of, grant_of, request_of,
};
use crate::portal::audit::{Event, EventKind, Row};

/// Which grants a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantState {
    /// Not revoked, not expired.
    Active,
    /// Past their end, not revoked.
    Expired,
    /// Revoked.
    Revoked,
}

/// What the audit page filters by; empty fields do not filter.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Who acted: the address in the row, or its detail `by <address>` or `by <address>; …`.
    pub actor: Option<String>,
    /// The event name (`download`, `approved`, …).
    pub event: Option<String>,
    /// The document id.
    pub document: Option<String>,
    /// From this day on (`YYYY-MM-DD`, UTC).
    pub from: Option<String>,
    /// Up to and including this day.
    pub to: Option<String>,
}

impl AuditFilter {
    /// The `WHERE` conditions (numbered from `$first`) and their values; `postgres` for the
    /// PostgreSQL store (whose text order follows the database's collation, not bytes).
    fn conditions(&self, first: usize, postgres: bool) -> (Vec<String>, Vec<String>) {
        let mut sql = Vec::new();
        let mut values = Vec::new();
        let mut n = first;
        let mut next = |values: &mut Vec<String>, v: String| {
            values.push(v);
            n += 1;
            n - 1
        };
        if let Some(actor) = &self.actor {
            // An admin's decision says `by <address>` or `by <address>; …` in its detail: the
            // whole address, never a prefix of a longer one.
            let a = next(&mut values, actor.clone());
            let by = next(&mut values, format!("by {actor}"));
            let more = next(&mut values, format!("by {actor};"));
            let len = format!("by {actor};").chars().count();
            if postgres {
                sql.push(format!(
                    "(email = ${a} OR detail = ${by} OR SUBSTR(detail, 1, {len}) = ${more})"
                ));
            } else {
                // As a range, which the index on `detail` serves (SQLite compares text by its
                // UTF-8 bytes: U+10FFFF sorts last), then exactly.
                let hi = next(&mut values, format!("by {actor};\u{10ffff}"));
                sql.push(format!(
                    "(email = ${a} OR detail = ${by} OR (detail >= ${more} AND detail < ${hi} AND SUBSTR(detail, 1, {len}) = ${more}))"
                ));
            }
        }
        if let Some(event) = &self.event {
            let i = next(&mut values, event.clone());
            sql.push(format!("event = ${i}"));
        }
        if let Some(doc) = &self.document {
            let i = next(&mut values, doc.clone());
            sql.push(format!("document_id = ${i}"));
        }
        if let Some(from) = &self.from {
            let i = next(&mut values, from.clone());
            sql.push(format!("at >= ${i}"));
        }
        if let Some(to) = &self.to {
            // Every time on that day sorts before the next character after the date.
            let i = next(&mut values, format!("{to}T99"));
            sql.push(format!("at < ${i}"));
        }
        (sql, values)
    }
}

/// Downloads counted per day, document and company.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct DownloadCount {
    /// The day (`YYYY-MM-DD`, UTC).
    pub day: String,
    /// The document.
    pub document_id: String,
    /// The grant's company when the file was downloaded (empty for a download logged before
    /// the counts were kept whose grant was gone by then).
    pub company: String,
    /// How many downloads.
    pub downloads: i64,
}

impl Store {
    /// One page of requests, newest first (optionally of one status), and how many there are.
    pub async fn requests_page(
        &self,
        status: Option<Status>,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Request>, i64)> {
        let (filter, count_filter) = match status {
            Some(_) => ("WHERE status = $3", "WHERE status = $1"),
            None => ("", ""),
        };
        let select = format!(
            "SELECT {REQUEST_COLUMNS} FROM requests {filter} ORDER BY created_at DESC, id LIMIT $1 OFFSET $2"
        );
        let count = format!("SELECT COUNT(*) AS n FROM requests {count_filter}");
        let mut q = sqlx::query(&select).bind(limit).bind(offset);
        let mut c = sqlx::query(&count);
        if let Some(s) = status {
            q = q.bind(s.as_str());
            c = c.bind(s.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        let total: i64 = c.fetch_one(&self.pool).await?.try_get("n")?;
        Ok((rows.iter().map(request_of).collect::<Result<_>>()?, total))
    }

    /// One page of grants in `state` at `now`, newest first, and how many there are.
    pub async fn grants_page(
        &self,
        state: GrantState,
        now: i64,
        offset: i64,
        limit: i64,
    ) -> Result<(Vec<Grant>, i64)> {
        let filter = match state {
            GrantState::Active => "revoked_at IS NULL AND expires_at > $1",
            GrantState::Expired => "revoked_at IS NULL AND expires_at <= $1",
            GrantState::Revoked => "revoked_at IS NOT NULL AND $1 = $1",
        };
        let rows = sqlx::query(&format!(
            "SELECT {GRANT_COLUMNS} FROM grants WHERE {filter} ORDER BY created_at DESC, id LIMIT $2 OFFSET $3"
        ))
        .bind(now)
        .bind(limit)
        .bind(offset)
        .fetch_all(&self.pool)
        .await?;
        let total: i64 = sqlx::query(&format!("SELECT COUNT(*) AS n FROM grants WHERE {filter}"))
            .bind(now)
            .fetch_one(&self.pool)
            .await?
            .try_get("n")?;
        Ok((rows.iter().map(grant_of).collect::<Result<_>>()?, total))
    }

    /// Up to `limit` audit rows matching `filter`, newest first, older than `before` (a
    /// sequence number) when given.
    pub async fn audit_page(
        &self,
        filter: &AuditFilter,
        before: Option<i64>,
        limit: i64,
    ) -> Result<Vec<Row>> {
        let (mut conditions, values) = filter.conditions(3, self.is_postgres());
        conditions.push("seq < $1".to_owned());
        let sql = format!(
            "SELECT {AUDIT_COLUMNS} FROM audit WHERE {} ORDER BY seq DESC LIMIT $2",
            conditions.join(" AND ")
        );
        let mut q = sqlx::query(&sql)
            .bind(before.unwrap_or(i64::MAX))
            .bind(limit);
        for v in &values {
            q = q.bind(v.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(audit_of).collect()
    }

    /// Every audit row matching `filter`, oldest first (for exports).
    pub async fn audit_matching(&self, filter: &AuditFilter) -> Result<Vec<Row>> {
        let (conditions, values) = filter.conditions(1, self.is_postgres());
        let sql = if conditions.is_empty() {
            format!("SELECT {AUDIT_COLUMNS} FROM audit ORDER BY seq")
        } else {
            format!(
                "SELECT {AUDIT_COLUMNS} FROM audit WHERE {} ORDER BY seq",
                conditions.join(" AND ")
            )
        };
        let mut q = sqlx::query(&sql);
        for v in &values {
            q = q.bind(v.as_str());
        }
        let rows = q.fetch_all(&self.pool).await?;
        rows.iter().map(audit_of).collect()
    }

    /// The distinct event names in the log (for the filter's choices).
    pub async fn audit_events(&self) -> Result<Vec<String>> {
        let rows = sqlx::query("SELECT DISTINCT event FROM audit ORDER BY event")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| r.try_get("event").map_err(Into::into))
            .collect()
    }

    /// Downloads since `from` (`YYYY-MM-DD`), per day, document and the grant's company, from
    /// the counts kept with each download (migration 9), not from the audit log.
    pub async fn download_counts(&self, from: &str) -> Result<Vec<DownloadCount>> {
        let rows = sqlx::query(
            "SELECT day, document_id, company, downloads FROM download_counts \
             WHERE day >= $1 ORDER BY day, document_id, company",
        )
        .bind(from)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(DownloadCount {
                    day: r.try_get("day")?,
                    document_id: r.try_get("document_id")?,
                    company: r.try_get("company")?,
                    downloads: r.try_get("downloads")?,
                })
            })
            .collect()
    }

    /// Extends a grant that is not revoked to end `days` from now (or from its end, whichever
    /// is later), audited as done by `by`.
    pub async fn extend_grant(&self, id: &str, days: u32, by: &str, ctx: &Event) -> Result<Grant> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let add = i64::from(days) * 86_400;
        let row = sqlx::query(&format!(
            "UPDATE grants SET expires_at = CASE WHEN expires_at > $1 THEN expires_at + $2 ELSE $1 + $2 END \
             WHERE id = $3 AND revoked_at IS NULL RETURNING {GRANT_COLUMNS}"
        ))
        .bind(now.timestamp())
        .bind(add)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            drop(tx);
            return Err(match self.grant(id).await? {
                Some(_) => StoreError::Conflict(format!("grant {id} is revoked")),
                None => StoreError::NotFound(format!("grant {id}")),
            });
        };
        let grant = grant_of(&row)?;
        let mut ev = ctx.clone();
        ev.event = EventKind::GrantExtended.as_str();
        ev.grant_id = Some(grant.id.clone());
        ev.request_id = Some(grant.request_id.clone());
        ev.document_id = Some(grant.document_id.clone());
        ev.email = Some(grant.email.clone());
        ev.detail = Some(format!("by {by}; {days} days"));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(grant)
    }

    /// Gives a usable grant a new link nonce (links mailed before stop working), audited as
    /// done by `by`; the caller mails the new link.
    pub async fn renew_grant_link(
        &self,
        id: &str,
        nonce: &str,
        by: &str,
        ctx: &Event,
    ) -> Result<Grant> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(&format!(
            "UPDATE grants SET link_nonce = $1 WHERE id = $2 AND revoked_at IS NULL AND expires_at > $3 \
             RETURNING {GRANT_COLUMNS}"
        ))
        .bind(nonce)
        .bind(id)
        .bind(now.timestamp())
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = row else {
            drop(tx);
            return Err(match self.grant(id).await? {
                Some(_) => StoreError::Conflict(format!("grant {id} is revoked or expired")),
                None => StoreError::NotFound(format!("grant {id}")),
            });
        };
        let grant = grant_of(&row)?;
        let mut ev = ctx.clone();
        ev.event = EventKind::GrantResent.as_str();
        ev.grant_id = Some(grant.id.clone());
        ev.request_id = Some(grant.request_id.clone());
        ev.document_id = Some(grant.document_id.clone());
        ev.email = Some(grant.email.clone());
        ev.detail = Some(format!("by {by}; earlier links no longer open the grant"));
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(grant)
    }

    /// The nonce a grant's link must carry (`None`: any link signed for the grant).
    pub async fn grant_link_nonce(&self, id: &str) -> Result<Option<String>> {
        let row = sqlx::query("SELECT link_nonce FROM grants WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row
            .map(|r| r.try_get::<Option<String>, _>("link_nonce"))
            .transpose()?
            .flatten())
    }
}
