//! Subscribers (issue 19): addresses that asked to be told about subprocessor changes, new
//! document versions, security advisories and trust-center updates.
//!
//! One row per address (compared in lower case), `pending` until the mailed link is confirmed by
//! POST, then `active`. The row keeps the consent: when it was given, in which language and the
//! SHA-256 of the sentence shown next to the checkbox. Unsubscribing deletes the row. The audit
//! rows of subscriptions never carry the address itself, only its SHA-256
//! ([`address_sha256`]), so that deleting the row deletes the address.

use chrono::Utc;
use serde::Serialize;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Result, Store, append, new_id};
use crate::portal::audit::{Event, EventKind};

/// Where a subscription stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubscriberStatus {
    /// Waiting for the address to be confirmed.
    Pending,
    /// Confirmed.
    Active,
}

impl SubscriberStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            SubscriberStatus::Pending => "pending",
            SubscriberStatus::Active => "active",
        }
    }
}

/// A subscription as the form submitted it.
#[derive(Debug, Clone)]
pub struct NewSubscription {
    /// The address (stored in lower case).
    pub email: String,
    /// Language of the mails.
    pub lang: String,
    /// Topics (`subprocessors`, `advisories`, `updates`, …).
    pub topics: Vec<String>,
    /// Documents whose new versions are wanted: ids, or `*` for every document.
    pub documents: Vec<String>,
    /// SHA-256 (hex) of the consent sentence shown next to the checkbox, in `lang`.
    pub consent_text_sha256: String,
}

/// A stored subscriber.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Subscriber {
    /// Id.
    pub id: String,
    /// The address (lower case).
    pub email: String,
    /// Language of the mails.
    pub lang: String,
    /// Topics.
    pub topics: Vec<String>,
    /// Document ids, or `*`.
    pub documents: Vec<String>,
    /// Pending or active.
    pub status: SubscriberStatus,
    /// When consent was given (Unix seconds).
    pub consent_at: i64,
    /// SHA-256 of the consent text.
    pub consent_text_sha256: String,
    /// Created (Unix seconds).
    pub created_at: i64,
    /// Confirmed (Unix seconds).
    pub confirmed_at: Option<i64>,
}

/// What [`Store::subscribe`] found and did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Subscribed {
    /// A new, pending subscription.
    New(Subscriber),
    /// A pending subscription of the address, its topics and consent replaced.
    Renewed(Subscriber),
    /// The address is already subscribed: nothing changed (only its own links may change it).
    Active(Subscriber),
}

impl Subscribed {
    /// The subscriber, whatever happened.
    pub fn subscriber(&self) -> &Subscriber {
        match self {
            Subscribed::New(s) | Subscribed::Renewed(s) | Subscribed::Active(s) => s,
        }
    }
}

const COLUMNS: &str = "id, email, lang, topics, documents, status, consent_at, \
     consent_text_sha256, created_at, confirmed_at";

fn words(s: &str) -> Vec<String> {
    s.split_whitespace().map(str::to_owned).collect()
}

fn subscriber_of(row: &AnyRow) -> Result<Subscriber> {
    let status: String = row.try_get("status")?;
    Ok(Subscriber {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        lang: row.try_get("lang")?,
        topics: words(&row.try_get::<String, _>("topics")?),
        documents: words(&row.try_get::<String, _>("documents")?),
        status: if status == "active" {
            SubscriberStatus::Active
        } else {
            SubscriberStatus::Pending
        },
        consent_at: row.try_get("consent_at")?,
        consent_text_sha256: row.try_get("consent_text_sha256")?,
        created_at: row.try_get("created_at")?,
        confirmed_at: row.try_get("confirmed_at")?,
    })
}

/// The SHA-256 (hex) of an address in lower case: all the audit log keeps of a subscriber.
pub fn address_sha256(email: &str) -> String {
    crate::site::render::assets::sha256_hex(email.trim().to_lowercase().as_bytes())
}

/// An audit event about `email`'s subscription: the address only as its SHA-256.
fn event(ctx: &Event, kind: EventKind, email: &str, what: &str) -> Event {
    let mut ev = ctx.clone();
    ev.event = kind.as_str();
    ev.email = None;
    ev.detail = Some(format!("address sha256:{}; {what}", address_sha256(email)));
    ev
}

fn described(topics: &[String], documents: &[String]) -> String {
    format!(
        "topics: {}; documents: {}",
        topics.join(" "),
        documents.join(" ")
    )
}

impl Store {
    /// Subscribes `new.email` (pending until confirmed) and audits the request. An address that
    /// is pending gets the new topics and consent; one that is active is left as it is.
    pub async fn subscribe(&self, new: &NewSubscription, ctx: &Event) -> Result<Subscribed> {
        let now = Utc::now();
        let email = new.email.trim().to_lowercase();
        let topics = new.topics.join(" ");
        let documents = new.documents.join(" ");
        let mut tx = self.pool.begin().await?;
        let id = new_id('u');
        let inserted = sqlx::query(
            "INSERT INTO subscribers (id, email, lang, topics, documents, status, consent_at, \
             consent_text_sha256, created_at) VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7, $6) \
             ON CONFLICT (email) DO NOTHING RETURNING id",
        )
        .bind(&id)
        .bind(&email)
        .bind(&new.lang)
        .bind(&topics)
        .bind(&documents)
        .bind(now.timestamp())
        .bind(&new.consent_text_sha256)
        .fetch_optional(&mut *tx)
        .await?;
        let (outcome, what) = if inserted.is_some() {
            ("new", "new")
        } else {
            let renewed = sqlx::query(
                "UPDATE subscribers SET lang = $1, topics = $2, documents = $3, consent_at = $4, \
                 consent_text_sha256 = $5 WHERE email = $6 AND status = 'pending' RETURNING id",
            )
            .bind(&new.lang)
            .bind(&topics)
            .bind(&documents)
            .bind(now.timestamp())
            .bind(&new.consent_text_sha256)
            .bind(&email)
            .fetch_optional(&mut *tx)
            .await?;
            if renewed.is_some() {
                ("renewed", "pending subscription renewed")
            } else {
                ("active", "already subscribed; nothing changed")
            }
        };
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM subscribers WHERE email = $1"
        ))
        .bind(&email)
        .fetch_one(&mut *tx)
        .await?;
        let subscriber = subscriber_of(&row)?;
        let detail = if outcome == "active" {
            what.to_owned()
        } else {
            format!(
                "{what}; lang {}; {}; consent sha256:{}",
                new.lang,
                described(&new.topics, &new.documents),
                new.consent_text_sha256
            )
        };
        let ev = event(ctx, EventKind::SubscriptionRequested, &email, &detail);
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(match outcome {
            "new" => Subscribed::New(subscriber),
            "renewed" => Subscribed::Renewed(subscriber),
            _ => Subscribed::Active(subscriber),
        })
    }

    /// One subscriber.
    pub async fn subscriber(&self, id: &str) -> Result<Option<Subscriber>> {
        self.by_id("subscribers", COLUMNS, id, subscriber_of).await
    }

    /// The subscriber with the address `email` (compared in lower case).
    pub async fn subscriber_by_email(&self, email: &str) -> Result<Option<Subscriber>> {
        let row = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM subscribers WHERE email = $1"
        ))
        .bind(email.trim().to_lowercase())
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(subscriber_of).transpose()
    }

    /// Confirms a pending subscription (audited); `None` when there is no such subscriber. An
    /// active one is returned unchanged.
    pub async fn confirm_subscription(&self, id: &str, ctx: &Event) -> Result<Option<Subscriber>> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE subscribers SET status = 'active', confirmed_at = $1 \
             WHERE id = $2 AND status = 'pending' RETURNING email",
        )
        .bind(now.timestamp())
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some(row) = done {
            let email: String = row.try_get("email")?;
            let ev = event(ctx, EventKind::SubscriptionConfirmed, &email, "confirmed");
            append(&mut tx, &self.keys, &ev, now).await?;
        }
        tx.commit().await?;
        self.subscriber(id).await
    }

    /// Replaces a subscriber's topics and documents (audited); `None` when there is no such
    /// subscriber.
    pub async fn change_subscription(
        &self,
        id: &str,
        topics: &[String],
        documents: &[String],
        ctx: &Event,
    ) -> Result<Option<Subscriber>> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let done = sqlx::query(
            "UPDATE subscribers SET topics = $1, documents = $2 WHERE id = $3 RETURNING email",
        )
        .bind(topics.join(" "))
        .bind(documents.join(" "))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(row) = done else {
            return Ok(None);
        };
        let email: String = row.try_get("email")?;
        let ev = event(
            ctx,
            EventKind::SubscriptionChanged,
            &email,
            &described(topics, documents),
        );
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        self.subscriber(id).await
    }

    /// Deletes a subscriber and everything kept of the address; the audit row keeps only the
    /// SHA-256 of the address (no IP address or user agent either). `false` when there was no
    /// such subscriber (already unsubscribed).
    pub async fn unsubscribe(&self, id: &str) -> Result<bool> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let gone = sqlx::query("DELETE FROM subscribers WHERE id = $1 RETURNING email, status")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?;
        let Some(row) = gone else {
            return Ok(false);
        };
        let email: String = row.try_get("email")?;
        let status: String = row.try_get("status")?;
        let ev = event(
            &Event::default(),
            EventKind::Unsubscribed,
            &email,
            &format!("was {status}; data deleted"),
        );
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Deletes subscriptions still pending whose confirmation link was last mailed before
    /// `cutoff` (Unix seconds): the address never confirmed, so nothing of it is kept. Each is
    /// audited with the address's SHA-256 only. Returns how many went.
    pub async fn expire_subscriptions(&self, cutoff: i64) -> Result<usize> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let gone = sqlx::query(
            "DELETE FROM subscribers WHERE status = 'pending' AND consent_at < $1 RETURNING email",
        )
        .bind(cutoff)
        .fetch_all(&mut *tx)
        .await?;
        for row in &gone {
            let email: String = row.try_get("email")?;
            let ev = event(
                &Event::default(),
                EventKind::SubscriptionExpired,
                &email,
                "not confirmed in time; data deleted",
            );
            append(&mut tx, &self.keys, &ev, now).await?;
        }
        tx.commit().await?;
        Ok(gone.len())
    }

    /// Active subscribers, oldest first (for the notices still to be built).
    pub async fn active_subscribers(&self) -> Result<Vec<Subscriber>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM subscribers WHERE status = 'active' ORDER BY created_at, id"
        ))
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(subscriber_of).collect()
    }
}
