//! `candor notify` (issue 19): tells subscribers what the site publishes that they have not been
//! told yet, one mail per change set, in their language, through an outbox in the store.
//!
//! 1. **Plan** ([`plan`]): the build's [`announce::Item`]s (subprocessor changes, document
//!    versions, advisory revisions, update pages) minus those the store records as announced,
//!    grouped into notices: one per topic per run, one per document (subscriptions may name
//!    documents). On the first run (nothing announced yet) the whole history is recorded as a
//!    *baseline* notice that is never mailed; only subprocessor changes that can still be
//!    objected to (announced, not yet in force) are mailed. A document with several new versions
//!    is announced with its newest.
//! 2. **Queue** ([`queue`]): the run's notices with their announcements and one outbox row per
//!    matching active subscriber, all in one transaction; an item announced meanwhile by
//!    another process (a replica, a rerun) makes the whole plan a no-op and it is made again
//!    from the announcements now stored, so a notice is queued once and a second process never
//!    mistakes a half-recorded first run for news.
//! 3. **Send** ([`send`]): rows are claimed atomically with a lease, sent with bounded
//!    concurrency and a rate limit, and settled (sent, skipped when the subscriber unsubscribed
//!    or left the topic, or failed and retried with exponential backoff until the last attempt;
//!    a permanent refusal, an SMTP `5xx`, is given up at once).
//!    A crashed run's claimed rows go out when their lease ends; the Message-ID of a row is fixed
//!    when it is queued, so the one unavoidable duplicate (the process dies between the SMTP
//!    server's `250` and the store's update, RFC 1047) carries the same Message-ID.
//!
//! Logs and output carry ids and counts, never addresses or tokens.
//!
//! May use: the portal's store, mailer, keys and catalogue; of [`crate::site`] only
//! [`crate::site::announce`] (what a build publishes) and config types.

mod compose;

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::time::Duration;

use chrono::Utc;
use serde::Serialize;

use super::app::Portal;
use super::store::notices::{NewNotice, Notice, OutboxCounts, Retry};
use super::store::subscriptions::{Subscriber, SubscriberStatus};
use crate::site::announce::Item;

pub use compose::{Mail, Payload, subject};

/// A notice the run would queue.
#[derive(Debug, Clone)]
pub struct Planned {
    /// What it announces (all its items are recorded as announced).
    pub notice: NewNotice,
    /// What its mail lists (empty for a baseline).
    pub payload: Payload,
}

/// How sending goes.
#[derive(Debug, Clone)]
pub struct SendOptions {
    /// Mails in flight at once.
    pub concurrency: usize,
    /// Mails per second at most.
    pub rate: f64,
    /// Attempts before a row is marked failed.
    pub max_attempts: i64,
    /// The first retry's delay in seconds (doubled each attempt, at most six hours).
    pub retry_base: i64,
    /// How long a claimed row is reserved for its sender (seconds).
    pub lease: i64,
    /// The day the mails are written on: the objection link is left out once its deadline has
    /// passed.
    pub today: chrono::NaiveDate,
}

impl Default for SendOptions {
    fn default() -> Self {
        SendOptions {
            concurrency: 4,
            rate: 10.0,
            max_attempts: 6,
            retry_base: 60,
            lease: 120,
            today: Utc::now().date_naive(),
        }
    }
}

/// What a send pass did.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Sent {
    /// Delivered to the SMTP server (or the outbox folder).
    pub sent: usize,
    /// Skipped: the subscriber is gone or left the topic.
    pub skipped: usize,
    /// Attempts that failed (retried later or given up).
    pub failed_attempts: usize,
    /// Rows given up in this pass.
    pub given_up: usize,
}

fn wants(s: &Subscriber, topic: &str, document: Option<&str>) -> bool {
    if s.status != SubscriberStatus::Active {
        return false;
    }
    match (topic, document) {
        ("documents", Some(d)) => s.documents.iter().any(|x| x == "*" || x == d),
        _ => s.topics.iter().any(|t| t == topic),
    }
}

/// The notices to queue for `items` given what the store has `announced` (see the module
/// documentation for the first run's rule).
pub fn plan(items: &[Item], announced: &HashSet<(String, String)>) -> Vec<Planned> {
    let first_run = announced.is_empty();
    let mut groups: BTreeMap<(String, Option<String>), Vec<&Item>> = BTreeMap::new();
    for item in items {
        if announced.contains(&(item.topic.clone(), item.key.clone())) {
            continue;
        }
        let doc = (item.topic == "documents")
            .then(|| item.document.clone())
            .flatten();
        groups
            .entry((item.topic.clone(), doc))
            .or_default()
            .push(item);
    }
    let mut baseline: BTreeMap<String, Vec<&Item>> = BTreeMap::new();
    let mut out = Vec::new();
    for ((topic, document), list) in groups {
        let (mail, record): (Vec<&Item>, Vec<&Item>) = if first_run {
            list.into_iter().partition(|i| i.actionable)
        } else if topic == "documents" {
            // The newest new version is the news; older ones are recorded with it.
            let newest = list.iter().max_by_key(|i| i.date).map(|i| i.key.clone());
            list.into_iter()
                .partition(|i| Some(&i.key) == newest.as_ref())
        } else {
            (list, Vec::new())
        };
        if mail.is_empty() {
            baseline.entry(topic).or_default().extend(record);
            continue;
        }
        let notice = NewNotice {
            topic: topic.clone(),
            document_id: document.clone(),
            payload: String::new(),
            baseline: false,
            items: mail
                .iter()
                .chain(record.iter())
                .map(|i| (i.key.clone(), i.digest.clone()))
                .collect(),
        };
        let payload = Payload {
            topic,
            document,
            items: mail.into_iter().cloned().collect(),
        };
        out.push(Planned {
            notice: NewNotice {
                payload: serde_json::to_string(&payload).unwrap_or_default(),
                ..notice
            },
            payload,
        });
    }
    for (topic, list) in baseline {
        if list.is_empty() {
            continue;
        }
        let payload = Payload {
            topic: topic.clone(),
            document: None,
            items: Vec::new(),
        };
        out.push(Planned {
            notice: NewNotice {
                topic,
                document_id: None,
                payload: serde_json::to_string(&payload).unwrap_or_default(),
                baseline: true,
                items: list
                    .iter()
                    .map(|i| (i.key.clone(), i.digest.clone()))
                    .collect(),
            },
            payload,
        });
    }
    out
}

/// The recipients of a planned notice among `subscribers`: (id, language).
pub fn recipients(p: &Planned, subscribers: &[Subscriber]) -> Vec<(String, String)> {
    if p.notice.baseline {
        return Vec::new();
    }
    subscribers
        .iter()
        .filter(|s| wants(s, &p.payload.topic, p.payload.document.as_deref()))
        .map(|s| (s.id.clone(), s.lang.clone()))
        .collect()
}

/// Plans the notices for `items` against the store's announcements and queues them with their
/// recipients, all in one transaction; returns the notices queued by this run (empty when
/// another process queued them first). A plan made from an older view of the announcements
/// (another process committed meanwhile) conflicts as a whole and is made again.
pub async fn queue(portal: &Portal, items: &[Item]) -> anyhow::Result<Vec<Notice>> {
    const ATTEMPTS: usize = 5;
    let domain = portal.mailer.from_domain();
    for _ in 0..ATTEMPTS {
        let announced = portal.store.announced().await?;
        let planned = plan(items, &announced);
        if planned.is_empty() {
            return Ok(Vec::new());
        }
        let subscribers = portal.store.active_subscribers().await?;
        let batch: Vec<_> = planned
            .iter()
            .map(|p| (p.notice.clone(), recipients(p, &subscribers)))
            .collect();
        if let Some(queued) = portal.store.queue_notices(&batch, &domain).await? {
            return Ok(queued);
        }
    }
    anyhow::bail!(
        "the announcements kept changing while this run queued its notices ({ATTEMPTS} attempts): \
         another `candor notify` is queueing; run again once it is done"
    )
}

/// A rate limit shared by the senders: at most `rate` starts a second.
struct Pace {
    next: tokio::sync::Mutex<tokio::time::Instant>,
    gap: Duration,
}

impl Pace {
    fn new(rate: f64) -> Pace {
        let rate = if rate.is_finite() && rate > 0.0 {
            rate
        } else {
            1.0
        };
        Pace {
            next: tokio::sync::Mutex::new(tokio::time::Instant::now()),
            gap: Duration::from_secs_f64(1.0 / rate),
        }
    }

    async fn wait(&self) {
        let at = {
            let mut next = self.next.lock().await;
            let now = tokio::time::Instant::now();
            let at = (*next).max(now);
            *next = at + self.gap;
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

/// The delay before attempt `attempts + 1`: `base` doubled per attempt made, at most six hours.
pub fn backoff(base: i64, attempts: i64) -> i64 {
    let shift = u32::try_from(attempts.clamp(1, 30) - 1).unwrap_or(0);
    base.max(0).saturating_mul(1i64 << shift).min(6 * 3600)
}

enum Outcome {
    Sent,
    Skipped,
    Retried,
    GaveUp,
}

/// Sends one claimed row.
async fn send_one(
    portal: &Portal,
    notices: &tokio::sync::Mutex<BTreeMap<String, Option<Payload>>>,
    row: &super::store::notices::Outgoing,
    opts: &SendOptions,
) -> anyhow::Result<Outcome> {
    let payload = {
        let mut cache = notices.lock().await;
        if !cache.contains_key(&row.notice_id) {
            let p = portal
                .store
                .notice(&row.notice_id)
                .await?
                .and_then(|n| serde_json::from_str::<Payload>(&n.payload).ok());
            cache.insert(row.notice_id.clone(), p);
        }
        cache.get(&row.notice_id).cloned().flatten()
    };
    let subscriber = portal.store.subscriber(&row.subscriber_id).await?;
    let (Some(payload), Some(s)) = (payload, subscriber) else {
        portal.store.settle_outbox(row, false).await?;
        return Ok(Outcome::Skipped);
    };
    if !wants(&s, &payload.topic, payload.document.as_deref()) {
        portal.store.settle_outbox(row, false).await?;
        return Ok(Outcome::Skipped);
    }
    let mail = compose::compose(portal, &payload, &s, opts.today);
    match portal
        .mailer
        .send_notice(
            &s.email,
            &mail.subject,
            &mail.body,
            &s.lang,
            &mail.unsubscribe,
            &row.message_id,
        )
        .await
    {
        Ok(()) => {
            portal.store.settle_outbox(row, true).await?;
            Ok(Outcome::Sent)
        }
        Err(e) => {
            let now = Utc::now().timestamp();
            let at = now + backoff(opts.retry_base, row.attempts + 1);
            // A permanent refusal (5xx) is given up at once: retrying cannot help, and
            // a mailbox that does not exist must not be hammered.
            let max_attempts = if e.is_permanent() {
                row.attempts + 1
            } else {
                opts.max_attempts
            };
            match portal
                .store
                .outbox_failed(row, &e.redacted(), at, max_attempts)
                .await?
            {
                Retry::Failed => Ok(Outcome::GaveUp),
                Retry::At(_) | Retry::Lost => Ok(Outcome::Retried),
            }
        }
    }
}

/// Sends every outbox row that is due, `opts.concurrency` at a time at `opts.rate` a second,
/// until none is due and none is held by another sender (whose lease is waited out: a crashed
/// run's rows are sent by this one). Rows waiting for a later retry are left for a later run.
pub async fn send(portal: &Arc<Portal>, opts: &SendOptions) -> anyhow::Result<Sent> {
    let pace = Pace::new(opts.rate);
    let notices = Arc::new(tokio::sync::Mutex::new(BTreeMap::new()));
    let concurrency = opts.concurrency.clamp(1, 256);
    let mut done = Sent::default();
    let mut tasks = tokio::task::JoinSet::new();
    loop {
        // Keep `concurrency` rows in flight; claim one at a time, just before it is sent, so a
        // crash holds at most `concurrency` leases.
        while tasks.len() < concurrency {
            // The rate limit is waited out before a row is claimed, so a slow rate never holds
            // a lease past its end.
            pace.wait().await;
            let now = Utc::now().timestamp();
            let Some(row) = portal.store.claim_outbox(now, opts.lease, 1).await?.pop() else {
                break;
            };
            let (portal, notices, opts) = (Arc::clone(portal), Arc::clone(&notices), opts.clone());
            tasks.spawn(async move { send_one(&portal, &notices, &row, &opts).await });
        }
        match tasks.join_next().await {
            Some(result) => {
                match result.map_err(|e| anyhow::anyhow!("a sender stopped: {e}"))?? {
                    Outcome::Sent => done.sent += 1,
                    Outcome::Skipped => done.skipped += 1,
                    Outcome::Retried => done.failed_attempts += 1,
                    Outcome::GaveUp => {
                        done.failed_attempts += 1;
                        done.given_up += 1;
                    }
                }
            }
            None => {
                // Nothing in flight here: are rows held by another (or a crashed) sender?
                let now = Utc::now().timestamp();
                match portal.store.outbox_held_until(now).await? {
                    Some(until) => {
                        let wait = (until - now + 1).clamp(1, 2);
                        tokio::time::sleep(Duration::from_secs(wait as u64)).await;
                    }
                    None => break,
                }
            }
        }
    }
    Ok(done)
}

/// The outbox's counts.
pub async fn status(portal: &Portal) -> anyhow::Result<OutboxCounts> {
    Ok(portal.store.outbox_counts().await?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(topic: &str, key: &str, date: &str, actionable: bool) -> Item {
        Item {
            topic: topic.into(),
            key: key.into(),
            document: (topic == "documents").then(|| key.split('/').next().unwrap().to_owned()),
            digest: "d".into(),
            date: date.parse().unwrap(),
            effective: None,
            objection_deadline: None,
            actionable,
            titles: BTreeMap::new(),
            details: BTreeMap::new(),
            urls: BTreeMap::new(),
        }
    }

    fn sub(id: &str, topics: &[&str], documents: &[&str], active: bool) -> Subscriber {
        Subscriber {
            id: id.into(),
            email: format!("{id}@example.com"),
            lang: "en".into(),
            topics: topics.iter().map(|t| (*t).to_owned()).collect(),
            documents: documents.iter().map(|t| (*t).to_owned()).collect(),
            status: if active {
                SubscriberStatus::Active
            } else {
                SubscriberStatus::Pending
            },
            consent_at: 0,
            consent_text_sha256: String::new(),
            created_at: 0,
            confirmed_at: None,
        }
    }

    fn keys(p: &Planned) -> Vec<&str> {
        p.payload.items.iter().map(|i| i.key.as_str()).collect()
    }

    #[test]
    fn the_first_run_records_the_history_and_mails_only_objectable_changes() {
        let items = [
            item("subprocessors", "old-added", "2025-01-01", false),
            item("subprocessors", "upcoming-added", "2026-12-01", true),
            item("documents", "dpa/3.0", "2025-01-01", false),
            item("updates", "updates/a.md", "2026-01-01", false),
        ];
        let planned = plan(&items, &HashSet::new());
        let mailed: Vec<&Planned> = planned.iter().filter(|p| !p.notice.baseline).collect();
        assert_eq!(mailed.len(), 1);
        assert_eq!(keys(mailed[0]), ["upcoming-added"]);
        // Its notice records the older change too, so it is never mailed later.
        assert_eq!(mailed[0].notice.items.len(), 2);
        let recorded: usize = planned
            .iter()
            .filter(|p| p.notice.baseline)
            .map(|p| p.notice.items.len())
            .sum();
        assert_eq!(recorded, 2);
        assert!(
            planned
                .iter()
                .filter(|p| p.notice.baseline)
                .all(|p| recipients(p, &[sub("a", &["updates"], &["*"], true)]).is_empty())
        );
    }

    #[test]
    fn later_runs_mail_what_is_new_grouped_per_topic_and_per_document() {
        let announced: HashSet<(String, String)> =
            [("documents".to_owned(), "dpa/3.0".to_owned())].into();
        let items = [
            item("documents", "dpa/3.0", "2025-01-01", false),
            item("documents", "dpa/3.1", "2026-06-01", false),
            item("documents", "dpa/3.2", "2026-12-01", false),
            item("documents", "iso/2026", "2026-11-01", false),
            item("advisories", "SA-1/2", "2026-12-01", false),
            item("advisories", "SA-2/1", "2026-12-02", false),
        ];
        let planned = plan(&items, &announced);
        assert!(planned.iter().all(|p| !p.notice.baseline));
        let dpa = planned
            .iter()
            .find(|p| p.payload.document.as_deref() == Some("dpa"))
            .unwrap();
        assert_eq!(keys(dpa), ["dpa/3.2"], "the newest new version is the news");
        assert_eq!(dpa.notice.items.len(), 2, "3.1 is recorded with it");
        let adv = planned
            .iter()
            .find(|p| p.payload.topic == "advisories")
            .unwrap();
        assert_eq!(keys(adv), ["SA-1/2", "SA-2/1"], "one mail for both");
        assert_eq!(planned.len(), 3);

        let subs = [
            sub("all", &[], &["*"], true),
            sub("iso", &["advisories"], &["iso"], true),
            sub("pending", &["advisories"], &["*"], false),
        ];
        let ids = |p: &Planned| -> Vec<String> {
            recipients(p, &subs).into_iter().map(|(id, _)| id).collect()
        };
        assert_eq!(ids(dpa), ["all"]);
        assert_eq!(ids(adv), ["iso"]);
        // Everything announced: nothing to do.
        let all: HashSet<(String, String)> = items
            .iter()
            .map(|i| (i.topic.clone(), i.key.clone()))
            .collect();
        assert!(plan(&items, &all).is_empty());
    }

    #[test]
    fn backoff_doubles_and_is_capped() {
        assert_eq!(backoff(60, 1), 60);
        assert_eq!(backoff(60, 2), 120);
        assert_eq!(backoff(60, 5), 960);
        assert_eq!(backoff(60, 40), 6 * 3600);
        assert_eq!(backoff(0, 3), 0);
    }
}
