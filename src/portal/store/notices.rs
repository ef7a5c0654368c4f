//! Notices to subscribers and their outbox (migration 7; see `portal::notify`).
//!
//! A run's notices are queued in one transaction with the announcement of each of their items
//! and one outbox row per recipient; the primary key of the announcements makes a second
//! queueing of the same item (a rerun, another replica) fail as a whole, so a notice is queued
//! once. Rows are claimed atomically (`UPDATE … WHERE` no lease holds, checked by the rows affected) on
//! SQLite and PostgreSQL alike, so two senders never send one row; a lease that ran out (a
//! sender that crashed) lets the next run send it.

use std::collections::HashSet;

use chrono::Utc;
use serde::Serialize;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Result, Store, append, new_id};
use crate::portal::audit::{Event, EventKind};

/// A notice to queue.
#[derive(Debug, Clone)]
pub struct NewNotice {
    /// Topic (`subprocessors`, `documents`, `advisories`, `updates`).
    pub topic: String,
    /// The document, for a document's new version.
    pub document_id: Option<String>,
    /// What the mail says (JSON, read back by the sender).
    pub payload: String,
    /// Recorded as already published when notify first ran: never mailed.
    pub baseline: bool,
    /// The items it announces: (key, digest).
    pub items: Vec<(String, String)>,
}

/// A stored notice.
#[derive(Debug, Clone, Serialize)]
pub struct Notice {
    /// Id.
    pub id: String,
    /// Topic.
    pub topic: String,
    /// Document, if any.
    pub document_id: Option<String>,
    /// What the mail says (JSON).
    pub payload: String,
    /// A baseline record.
    pub baseline: bool,
    /// Outbox rows made.
    pub recipients: i64,
    /// Queued (Unix seconds).
    pub created_at: i64,
}

/// An outbox row claimed for sending.
#[derive(Debug, Clone, Serialize)]
pub struct Outgoing {
    /// Id.
    pub id: String,
    /// The notice.
    pub notice_id: String,
    /// The subscriber (read again when sending).
    pub subscriber_id: String,
    /// Language the row was queued in.
    pub lang: String,
    /// Attempts so far.
    pub attempts: i64,
    /// The Message-ID every attempt carries.
    pub message_id: String,
    /// The claim that must be shown to settle the row.
    pub claim: String,
}

/// How many outbox rows stand where.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct OutboxCounts {
    /// Waiting (new, or to be retried).
    pub pending: i64,
    /// Delivered to the SMTP server.
    pub sent: i64,
    /// Given up after the last attempt.
    pub failed: i64,
    /// Not sent: the subscriber unsubscribed or left the topic first.
    pub skipped: i64,
}

/// A row that failed at least once (pending with a retry, or failed).
#[derive(Debug, Clone, Serialize)]
pub struct Failure {
    /// Outbox row.
    pub id: String,
    /// Notice.
    pub notice_id: String,
    /// Subscriber id (never the address).
    pub subscriber_id: String,
    /// `pending` (will be retried) or `failed`.
    pub status: String,
    /// Attempts made.
    pub attempts: i64,
    /// When the next attempt is due (pending rows).
    pub next_attempt_at: i64,
    /// The last error.
    pub last_error: String,
}

/// What settling a failed attempt did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Retry {
    /// To be retried at this time.
    At(i64),
    /// Given up.
    Failed,
    /// The claim was no longer ours (another sender took the row): nothing changed.
    Lost,
}

fn notice_of(row: &AnyRow) -> Result<Notice> {
    Ok(Notice {
        id: row.try_get("id")?,
        topic: row.try_get("topic")?,
        document_id: row.try_get("document_id")?,
        payload: row.try_get("payload")?,
        baseline: row.try_get::<i64, _>("baseline")? != 0,
        recipients: row.try_get("recipients")?,
        created_at: row.try_get("created_at")?,
    })
}

impl Store {
    /// The (topic, item) pairs announced so far.
    pub async fn announced(&self) -> Result<HashSet<(String, String)>> {
        let rows = sqlx::query("SELECT topic, item FROM announcements")
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get("topic")?, r.try_get("item")?)))
            .collect()
    }

    /// Queues `notice` for `recipients` ((subscriber id, language)) with the announcement of its
    /// items, in one transaction, and audits it (id, topic, count). `None` when one of its items
    /// was announced meanwhile (by another process): then nothing is written.
    pub async fn queue_notice(
        &self,
        notice: &NewNotice,
        recipients: &[(String, String)],
        message_domain: &str,
    ) -> Result<Option<Notice>> {
        let batch = [(notice.clone(), recipients.to_vec())];
        Ok(self
            .queue_notices(&batch, message_domain)
            .await?
            .and_then(|mut v| v.pop()))
    }

    /// Queues every notice of one plan with its recipients in **one** transaction: all or none.
    /// `None` when one item of any of them was announced meanwhile (by another process, from a
    /// plan made on an older view of the announcements): then nothing is written and the caller
    /// plans again. One transaction matters for the first run, whose plan (a baseline that is
    /// never mailed) is only right while nothing at all is announced: a second process must see
    /// either none of it or all of it.
    pub async fn queue_notices(
        &self,
        notices: &[(NewNotice, Vec<(String, String)>)],
        message_domain: &str,
    ) -> Result<Option<Vec<Notice>>> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let mut queued = Vec::with_capacity(notices.len());
        for (notice, recipients) in notices {
            let id = new_id('n');
            sqlx::query(
                "INSERT INTO notices (id, topic, document_id, payload, baseline, recipients, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)",
            )
            .bind(&id)
            .bind(&notice.topic)
            .bind(&notice.document_id)
            .bind(&notice.payload)
            .bind(i64::from(notice.baseline))
            .bind(recipients.len() as i64)
            .bind(now.timestamp())
            .execute(&mut *tx)
            .await?;
            for (item, digest) in &notice.items {
                let done = sqlx::query(
                    "INSERT INTO announcements (topic, item, notice_id, digest, announced_at) \
                     VALUES ($1, $2, $3, $4, $5) ON CONFLICT (topic, item) DO NOTHING",
                )
                .bind(&notice.topic)
                .bind(item)
                .bind(&id)
                .bind(digest)
                .bind(now.timestamp())
                .execute(&mut *tx)
                .await?;
                if done.rows_affected() != 1 {
                    tx.rollback().await?;
                    return Ok(None);
                }
            }
            for (subscriber, lang) in recipients {
                let row = new_id('o');
                sqlx::query(
                    "INSERT INTO outbox (id, notice_id, subscriber_id, lang, status, attempts, \
                     next_attempt_at, message_id, created_at) \
                     VALUES ($1, $2, $3, $4, 'pending', 0, $5, $6, $5) \
                     ON CONFLICT (notice_id, subscriber_id) DO NOTHING",
                )
                .bind(&row)
                .bind(&id)
                .bind(subscriber)
                .bind(lang)
                .bind(now.timestamp())
                .bind(format!("<{id}.{row}@{message_domain}>"))
                .execute(&mut *tx)
                .await?;
            }
            let mut ev = Event::new(EventKind::NoticeQueued);
            ev.detail = Some(format!(
                "notice {id}; topic {}{}; {} recipients{}",
                notice.topic,
                notice
                    .document_id
                    .as_ref()
                    .map(|d| format!(" ({d})"))
                    .unwrap_or_default(),
                recipients.len(),
                if notice.baseline {
                    "; baseline, not mailed"
                } else {
                    ""
                }
            ));
            ev.document_id = notice.document_id.clone();
            append(&mut tx, &self.keys, &ev, now).await?;
            queued.push(Notice {
                id,
                topic: notice.topic.clone(),
                document_id: notice.document_id.clone(),
                payload: notice.payload.clone(),
                baseline: notice.baseline,
                recipients: recipients.len() as i64,
                created_at: now.timestamp(),
            });
        }
        tx.commit().await?;
        Ok(Some(queued))
    }

    /// One notice.
    pub async fn notice(&self, id: &str) -> Result<Option<Notice>> {
        self.by_id(
            "notices",
            "id, topic, document_id, payload, baseline, recipients, created_at",
            id,
            notice_of,
        )
        .await
    }

    /// Claims up to `limit` pending rows due at `now` for `lease` seconds. Each row is claimed by
    /// its own conditional update, so a row claimed by another sender (whose lease holds) is
    /// left to it.
    pub async fn claim_outbox(&self, now: i64, lease: i64, limit: i64) -> Result<Vec<Outgoing>> {
        let candidates = sqlx::query(
            "SELECT id FROM outbox WHERE status = 'pending' AND next_attempt_at <= $1 \
             AND (claimed_until IS NULL OR claimed_until < $1) ORDER BY created_at, id LIMIT $2",
        )
        .bind(now)
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        let mut claimed = Vec::new();
        for row in candidates {
            let id: String = row.try_get("id")?;
            let claim = new_id('c');
            let got = sqlx::query(
                "UPDATE outbox SET claim = $1, claimed_until = $2 WHERE id = $3 \
                 AND status = 'pending' AND (claimed_until IS NULL OR claimed_until < $4) \
                 RETURNING notice_id, subscriber_id, lang, attempts, message_id",
            )
            .bind(&claim)
            .bind(now + lease)
            .bind(&id)
            .bind(now)
            .fetch_optional(&self.pool)
            .await?;
            if let Some(r) = got {
                claimed.push(Outgoing {
                    id,
                    notice_id: r.try_get("notice_id")?,
                    subscriber_id: r.try_get("subscriber_id")?,
                    lang: r.try_get("lang")?,
                    attempts: r.try_get("attempts")?,
                    message_id: r.try_get("message_id")?,
                    claim,
                });
            }
        }
        Ok(claimed)
    }

    /// Records a row as sent (`true`), or as skipped; `false` when the claim was no longer ours.
    pub async fn settle_outbox(&self, row: &Outgoing, sent: bool) -> Result<bool> {
        let done = sqlx::query(
            "UPDATE outbox SET status = $1, sent_at = $2, attempts = attempts + $3, claim = NULL, \
             claimed_until = NULL WHERE id = $4 AND claim = $5 AND status = 'pending'",
        )
        .bind(if sent { "sent" } else { "skipped" })
        .bind(sent.then(|| Utc::now().timestamp()))
        .bind(i64::from(sent))
        .bind(&row.id)
        .bind(&row.claim)
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Records a failed attempt: retried at `retry_at`, or failed once `max_attempts` are used.
    pub async fn outbox_failed(
        &self,
        row: &Outgoing,
        error: &str,
        retry_at: i64,
        max_attempts: i64,
    ) -> Result<Retry> {
        let attempts = row.attempts + 1;
        let give_up = attempts >= max_attempts;
        let error: String = error
            .chars()
            .map(|c| if c.is_control() { ' ' } else { c })
            .take(500)
            .collect();
        let done = sqlx::query(
            "UPDATE outbox SET status = $1, attempts = $2, next_attempt_at = $3, last_error = $4, \
             claim = NULL, claimed_until = NULL WHERE id = $5 AND claim = $6 AND status = 'pending'",
        )
        .bind(if give_up { "failed" } else { "pending" })
        .bind(attempts)
        .bind(retry_at)
        .bind(&error)
        .bind(&row.id)
        .bind(&row.claim)
        .execute(&self.pool)
        .await?;
        Ok(if done.rows_affected() != 1 {
            Retry::Lost
        } else if give_up {
            Retry::Failed
        } else {
            Retry::At(retry_at)
        })
    }

    /// The earliest end of a lease held on a row due at `now` (`None`: no due row is held):
    /// a sender waits for it before it stops, so the rows of a sender that crashed go out.
    pub async fn outbox_held_until(&self, now: i64) -> Result<Option<i64>> {
        let row = sqlx::query(
            "SELECT MIN(claimed_until) AS until FROM outbox WHERE status = 'pending' \
             AND next_attempt_at <= $1 AND claimed_until >= $1",
        )
        .bind(now)
        .fetch_one(&self.pool)
        .await?;
        Ok(row.try_get::<Option<i64>, _>("until")?)
    }

    /// How many outbox rows stand where.
    pub async fn outbox_counts(&self) -> Result<OutboxCounts> {
        let rows = sqlx::query("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status")
            .fetch_all(&self.pool)
            .await?;
        let mut counts = OutboxCounts::default();
        for r in rows {
            let n: i64 = r.try_get("n")?;
            match r.try_get::<String, _>("status")?.as_str() {
                "pending" => counts.pending = n,
                "sent" => counts.sent = n,
                "failed" => counts.failed = n,
                _ => counts.skipped += n,
            }
        }
        Ok(counts)
    }

    /// Rows with a failed attempt, newest notices first (at most `limit`).
    pub async fn outbox_failures(&self, limit: i64) -> Result<Vec<Failure>> {
        let rows = sqlx::query(
            "SELECT id, notice_id, subscriber_id, status, attempts, next_attempt_at, last_error \
             FROM outbox WHERE last_error IS NOT NULL AND status IN ('pending', 'failed') \
             ORDER BY created_at DESC, id LIMIT $1",
        )
        .bind(limit)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                Ok(Failure {
                    id: r.try_get("id")?,
                    notice_id: r.try_get("notice_id")?,
                    subscriber_id: r.try_get("subscriber_id")?,
                    status: r.try_get("status")?,
                    attempts: r.try_get("attempts")?,
                    next_attempt_at: r.try_get("next_attempt_at")?,
                    last_error: r.try_get("last_error")?,
                })
            })
            .collect()
    }
}
