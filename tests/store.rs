//! The store's conformance suite: one set of tests, run against SQLite (a temp file) and against
//! PostgreSQL (a fresh database per test on `CANDOR_TEST_POSTGRES_URL`; without it the
//! PostgreSQL half says "skipped" and passes — `scripts/test` always sets it).
//!
//! Each test is an `async fn(&Store)` below; `conformance!` at the end makes a `sqlite::…` and a
//! `postgres::…` test of each.

mod common;

use std::collections::BTreeSet;

use candor::portal::audit::checkpoint::Checkpoint;
use candor::portal::audit::{AuditKeys, Event, EventKind, GENESIS, Row};
use candor::portal::keys::Keyring;
use candor::portal::store::objections::{Confirmed, NewObjection};
use candor::portal::store::subscriptions::{
    NewSubscription, Subscribed, SubscriberStatus, address_sha256,
};
use candor::portal::store::{Agreement, NewRequest, Request, Status, Store, StoreError, valid_id};
use chrono::Utc;
use common::postgres as pg;
use sqlx::Row as _;

// ---- fixtures -----------------------------------------------------------------------------

/// Fresh audit keys, as from a new key file.
fn keys() -> AuditKeys {
    Keyring::generate().audit_keys()
}

/// A store on a fresh database, and what to clean up.
struct Db {
    store: Store,
    url: String,
    _dir: Option<tempfile::TempDir>,
    pg: Option<pg::Database>,
}

impl Db {
    async fn sqlite() -> Db {
        let dir = tempfile::tempdir().unwrap();
        let url = format!(
            "sqlite://{}?mode=rwc",
            dir.path().join("portal.db").display()
        );
        Db {
            store: Store::connect(&url, keys())
                .await
                .expect("open the SQLite store"),
            url,
            _dir: Some(dir),
            pg: None,
        }
    }

    async fn postgres() -> Option<Db> {
        let server = pg::server_url()?;
        let database = pg::Database::create(&server).await;
        let store = Store::connect(&database.url, keys())
            .await
            .expect("open the PostgreSQL store");
        assert!(store.is_postgres());
        Some(Db {
            store,
            url: database.url.clone(),
            _dir: None,
            pg: Some(database),
        })
    }

    async fn finish(self) {
        self.store.close().await;
        if let Some(database) = self.pg {
            database.drop().await;
        }
    }
}

fn ctx(kind: EventKind) -> Event {
    Event {
        ip: Some("203.0.113.7".into()),
        user_agent: Some("conformance".into()),
        ..Event::new(kind)
    }
}

fn new_request(document: &str, email: &str) -> NewRequest {
    NewRequest {
        lang: "en".into(),
        document_id: document.into(),
        name: "Jane Doe".into(),
        email: email.into(),
        company: "Acme".into(),
        reason: "Vendor review".into(),
        nda_version: None,
        nda_sha256: None,
    }
}

async fn submit(store: &Store, email: &str) -> Request {
    store
        .create_request(
            &new_request("pentest-summary", email),
            &ctx(EventKind::Request),
        )
        .await
        .unwrap()
}

async fn confirmed(store: &Store, email: &str) -> Request {
    let r = submit(store, email).await;
    store
        .confirm_email(&r.id, &ctx(EventKind::EmailVerified))
        .await
        .unwrap()
        .expect("an unverified request can be confirmed")
}

async fn request(store: &Store, id: &str) -> Request {
    store
        .request(id)
        .await
        .unwrap()
        .expect("the request exists")
}

async fn events(store: &Store) -> Vec<String> {
    store
        .audit_rows()
        .await
        .unwrap()
        .into_iter()
        .map(|r| r.event)
        .collect()
}

async fn verified(store: &Store) -> usize {
    match store.verify_audit().await.unwrap() {
        Ok(v) => v.rows,
        Err(broken) => panic!("the audit chain is broken: {broken}"),
    }
}

async fn broken_at(store: &Store) -> i64 {
    match store.verify_audit().await.unwrap() {
        Ok(v) => panic!("tampering went unnoticed ({} rows verified)", v.rows),
        Err(broken) => broken.seq,
    }
}

async fn sql(store: &Store, statement: &str) {
    sqlx::query(statement)
        .execute(store.pool())
        .await
        .unwrap_or_else(|e| panic!("{statement}: {e}"));
}

/// `n` audit rows appended one after another (details `row 1` … `row n`).
async fn chain(store: &Store, n: usize) -> Vec<Row> {
    for i in 1..=n {
        let mut ev = ctx(EventKind::LinkOpened);
        ev.detail = Some(format!("row {i}"));
        store.audit(&ev).await.unwrap();
    }
    store.audit_rows().await.unwrap()
}

// ---- retention ----------------------------------------------------------------------------

async fn pruning_old_rows_keeps_the_rest_provably_intact(store: &Store) {
    chain(store, 3).await;
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    let cutoff = chrono::Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    chain(store, 2).await;
    let pruned = store
        .prune_audit(
            "https://trust.example.com",
            cutoff,
            "owner@example.com",
            &ctx(EventKind::AuditPruned),
        )
        .await
        .unwrap()
        .expect("three rows are older than the cut-off");
    assert_eq!((pruned.mark.seq, pruned.mark.deleted), (3, 3));
    assert_eq!(pruned.recorded_at_seq, 6);
    let rows = store.audit_rows().await.unwrap();
    assert_eq!(rows.iter().map(|r| r.seq).collect::<Vec<_>>(), [4, 5, 6]);
    assert_eq!(rows[0].prev_hash, pruned.mark.hash);
    assert_eq!(rows[2].event, "audit_pruned");
    assert!(
        rows[2]
            .detail
            .as_deref()
            .unwrap()
            .starts_with("by owner@example.com; 3 rows")
    );
    let v = store
        .verify_audit()
        .await
        .unwrap()
        .expect("intact after the prune");
    assert_eq!((v.rows, v.head.0), (3, 6));
    assert_eq!(v.pruned.as_ref().map(|(seq, _)| *seq), Some(3));
    // Nothing older than the cut-off is left: a second prune deletes nothing.
    let again = store
        .prune_audit(
            "https://trust.example.com",
            cutoff,
            "owner@example.com",
            &ctx(EventKind::AuditPruned),
        )
        .await
        .unwrap();
    assert!(again.is_none());

    // A mark moved to hide one more deleted row breaks its MAC.
    sql(store, "DELETE FROM audit WHERE seq = 4").await;
    sql(
        store,
        "UPDATE audit_prunes SET seq = 4, hash = (SELECT prev_hash FROM audit WHERE seq = 5)",
    )
    .await;
    assert_eq!(broken_at(store).await, 5);
    // Without the mark the log no longer starts at row 1.
    sql(store, "DELETE FROM audit_prunes").await;
    assert_eq!(broken_at(store).await, 1);
    // A broken log is evidence: it is never pruned.
    let refused = store
        .prune_audit(
            "https://trust.example.com",
            chrono::Utc::now(),
            "owner@example.com",
            &ctx(EventKind::AuditPruned),
        )
        .await;
    assert!(refused.is_err());
    assert_eq!(store.audit_rows().await.unwrap().len(), 2);
}

// ---- requests -----------------------------------------------------------------------------

async fn a_request_goes_from_unverified_to_pending_to_approved(store: &Store) {
    let r = submit(store, "jane@acme.example").await;
    assert!(valid_id(&r.id), "{}", r.id);
    assert_eq!(r.status, Status::Unverified);
    assert_eq!(
        (r.verified_at, r.decided_at, &r.grant_id),
        (None, None, &None)
    );
    assert_eq!(request(store, &r.id).await.email, "jane@acme.example");

    // Approving before the requester proved the address is refused, and changes nothing.
    match store
        .approve(&r.id, 30, 5, "cli", &ctx(EventKind::Approved))
        .await
    {
        Err(StoreError::Conflict(m)) => assert!(m.contains("confirm"), "{m}"),
        other => panic!("approved an unverified request: {other:?}"),
    }
    assert_eq!(request(store, &r.id).await.status, Status::Unverified);

    let pending = store
        .confirm_email(&r.id, &ctx(EventKind::EmailVerified))
        .await
        .unwrap()
        .expect("confirmed");
    assert_eq!(pending.status, Status::Pending);
    let verified_at = pending.verified_at.expect("verified_at is set");

    // Confirming twice changes nothing: no new state, no new audit row.
    let rows = events(store).await.len();
    assert!(
        store
            .confirm_email(&r.id, &ctx(EventKind::EmailVerified))
            .await
            .unwrap()
            .is_none()
    );
    let again = request(store, &r.id).await;
    assert_eq!(
        (again.status, again.verified_at),
        (Status::Pending, Some(verified_at))
    );
    assert_eq!(events(store).await.len(), rows);

    let grant = store
        .approve(&r.id, 30, 5, "cli", &ctx(EventKind::Approved))
        .await
        .unwrap();
    assert!(
        valid_id(&grant.id) && grant.id.starts_with('g'),
        "{}",
        grant.id
    );
    assert_eq!(grant.request_id, r.id);
    assert_eq!(
        (
            grant.document_id.as_str(),
            grant.email.as_str(),
            grant.name.as_str(),
            grant.company.as_str(),
            grant.lang.as_str()
        ),
        (
            "pentest-summary",
            "jane@acme.example",
            "Jane Doe",
            "Acme",
            "en"
        )
    );
    assert_eq!(
        (grant.max_downloads, grant.downloads, grant.revoked_at),
        (5, 0, None)
    );
    assert_eq!(grant.expires_at - grant.created_at, 30 * 86_400);
    assert!(grant.usable(Utc::now().timestamp()));
    assert_eq!(store.grant(&grant.id).await.unwrap().unwrap().id, grant.id);

    let approved = request(store, &r.id).await;
    assert_eq!(approved.status, Status::Approved);
    assert_eq!(approved.grant_id.as_deref(), Some(grant.id.as_str()));
    assert_eq!(approved.decided_by.as_deref(), Some("cli"));
    assert!(approved.decided_at.is_some());

    // Decided is final.
    for attempt in [
        store
            .approve(&r.id, 30, 5, "cli", &ctx(EventKind::Approved))
            .await
            .map(|_| ()),
        store
            .reject(&r.id, "cli", None, &ctx(EventKind::Rejected))
            .await
            .map(|_| ()),
    ] {
        match attempt {
            Err(StoreError::Conflict(m)) => assert!(m.contains("approved"), "{m}"),
            other => panic!("decided twice: {other:?}"),
        }
    }
    assert_eq!(
        events(store).await,
        ["request", "email_verified", "approved"]
    );
    let rows = store.audit_rows().await.unwrap();
    assert!(
        rows.iter()
            .all(|row| row.request_id.as_deref() == Some(r.id.as_str())
                && row.email.as_deref() == Some("jane@acme.example")
                && row.ip.as_deref() == Some("203.0.113.7"))
    );
    assert_eq!(rows[2].grant_id.as_deref(), Some(grant.id.as_str()));
    assert_eq!(verified(store).await, 3);
}

async fn rejected_requests_stay_rejected(store: &Store) {
    let unverified = submit(store, "a@acme.example").await;
    let pending = confirmed(store, "b@acme.example").await;
    let left = submit(store, "c@acme.example").await;
    for id in [&unverified.id, &pending.id] {
        let r = store
            .reject(id, "admin", None, &ctx(EventKind::Rejected))
            .await
            .unwrap();
        assert_eq!(r.status, Status::Rejected);
        assert_eq!(r.decided_by.as_deref(), Some("admin"));
    }
    assert!(matches!(
        store
            .approve(&pending.id, 30, 5, "cli", &ctx(EventKind::Approved))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(matches!(
        store
            .reject(&pending.id, "cli", None, &ctx(EventKind::Rejected))
            .await,
        Err(StoreError::Conflict(_))
    ));
    assert!(
        store
            .confirm_email(&unverified.id, &ctx(EventKind::EmailVerified))
            .await
            .unwrap()
            .is_none(),
        "a rejected request cannot be confirmed back to pending"
    );
    assert_eq!(
        request(store, &unverified.id).await.status,
        Status::Rejected
    );

    let ids = |list: Vec<Request>| list.into_iter().map(|r| r.id).collect::<BTreeSet<_>>();
    assert_eq!(
        ids(store.requests(Some(Status::Rejected)).await.unwrap()),
        BTreeSet::from([unverified.id.clone(), pending.id.clone()])
    );
    assert_eq!(
        ids(store.requests(Some(Status::Unverified)).await.unwrap()),
        BTreeSet::from([left.id.clone()])
    );
    assert!(
        store
            .requests(Some(Status::Pending))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.requests(None).await.unwrap().len(), 3);

    // Unknown ids are "not found", not conflicts.
    let unknown = "r23456789abcdef";
    assert!(matches!(
        store
            .approve(unknown, 30, 5, "cli", &ctx(EventKind::Approved))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store
            .reject(unknown, "cli", None, &ctx(EventKind::Rejected))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert!(
        store
            .confirm_email(unknown, &ctx(EventKind::EmailVerified))
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.request(unknown).await.unwrap().is_none());
    assert_eq!(verified(store).await, 6);
}

async fn nda_acceptance_is_kept_with_the_request_and_audited(store: &Store) {
    let mut new = new_request("iso27001-audit-report", "jane@acme.example");
    new.nda_version = Some("2026-01".into());
    new.nda_sha256 = Some("ab".repeat(32));
    let r = store
        .create_request(&new, &ctx(EventKind::Request))
        .await
        .unwrap();
    let back = request(store, &r.id).await;
    assert_eq!(back.nda_version.as_deref(), Some("2026-01"));
    assert_eq!(back.nda_sha256, Some("ab".repeat(32)));
    let rows = store.audit_rows().await.unwrap();
    assert_eq!(
        rows[0].detail.as_deref(),
        Some(format!("nda 2026-01 sha256 {}", "ab".repeat(32)).as_str())
    );
}

async fn old_undecided_requests_expire(store: &Store) {
    let now = Utc::now().timestamp();
    let cutoff = now - 14 * 86_400;
    let old_unverified = submit(store, "a@acme.example").await;
    let old_pending = confirmed(store, "b@acme.example").await;
    let old_approved = confirmed(store, "c@acme.example").await;
    store
        .approve(&old_approved.id, 30, 5, "cli", &ctx(EventKind::Approved))
        .await
        .unwrap();
    let old_rejected = submit(store, "d@acme.example").await;
    store
        .reject(&old_rejected.id, "cli", None, &ctx(EventKind::Rejected))
        .await
        .unwrap();
    let at_cutoff = submit(store, "e@acme.example").await;
    let fresh = submit(store, "f@acme.example").await;
    for r in [&old_unverified, &old_pending, &old_approved, &old_rejected] {
        sql(
            store,
            &format!(
                "UPDATE requests SET created_at = {} WHERE id = '{}'",
                now - 20 * 86_400,
                r.id
            ),
        )
        .await;
    }
    sql(
        store,
        &format!(
            "UPDATE requests SET created_at = {cutoff} WHERE id = '{}'",
            at_cutoff.id
        ),
    )
    .await;
    let before = events(store).await.len();

    assert_eq!(store.expire_requests(cutoff).await.unwrap(), 2);
    for r in [&old_unverified, &old_pending] {
        let r = request(store, &r.id).await;
        assert_eq!(r.status, Status::Expired, "{}", r.email);
        assert_eq!(r.decided_by.as_deref(), Some("expiry"));
    }
    assert_eq!(
        request(store, &old_approved.id).await.status,
        Status::Approved
    );
    assert_eq!(
        request(store, &old_rejected.id).await.status,
        Status::Rejected
    );
    assert_eq!(
        request(store, &at_cutoff.id).await.status,
        Status::Unverified
    );
    assert_eq!(request(store, &fresh.id).await.status, Status::Unverified);

    let rows = store.audit_rows().await.unwrap();
    let expired: BTreeSet<_> = rows[before..]
        .iter()
        .map(|r| (r.event.as_str(), r.request_id.clone().unwrap_or_default()))
        .collect();
    assert_eq!(
        expired,
        BTreeSet::from([
            ("expired", old_unverified.id.clone()),
            ("expired", old_pending.id.clone()),
        ])
    );
    // Nothing left to expire; an expired request can be neither confirmed nor approved.
    assert_eq!(store.expire_requests(cutoff).await.unwrap(), 0);
    assert!(
        store
            .confirm_email(&old_unverified.id, &ctx(EventKind::EmailVerified))
            .await
            .unwrap()
            .is_none()
    );
    match store
        .approve(&old_pending.id, 30, 5, "cli", &ctx(EventKind::Approved))
        .await
    {
        Err(StoreError::Conflict(m)) => assert!(m.contains("expired"), "{m}"),
        other => panic!("approved an expired request: {other:?}"),
    }
    assert_eq!(verified(store).await, rows.len());
}

async fn racing_confirmations_and_approvals_take_effect_once(store: &Store) {
    let r = submit(store, "jane@acme.example").await;
    let confirms: Vec<_> = (0..6)
        .map(|_| {
            let (store, id) = (store.clone(), r.id.clone());
            tokio::spawn(async move {
                store
                    .confirm_email(&id, &ctx(EventKind::EmailVerified))
                    .await
                    .unwrap()
                    .is_some()
            })
        })
        .collect();
    let mut confirmed = 0;
    for c in confirms {
        confirmed += usize::from(c.await.unwrap());
    }
    assert_eq!(confirmed, 1);

    let approvals: Vec<_> = (0..6)
        .map(|i| {
            let (store, id) = (store.clone(), r.id.clone());
            tokio::spawn(async move {
                store
                    .approve(&id, 30, 5, &format!("admin{i}"), &ctx(EventKind::Approved))
                    .await
            })
        })
        .collect();
    let mut grants = Vec::new();
    for a in approvals {
        match a.await.unwrap() {
            Ok(g) => grants.push(g),
            Err(StoreError::Conflict(_)) => {}
            Err(e) => panic!("{e}"),
        }
    }
    assert_eq!(grants.len(), 1, "one approval wins");
    let winner = request(store, &r.id).await;
    assert_eq!(winner.grant_id.as_deref(), Some(grants[0].id.as_str()));
    let stored_grants: i64 = sqlx::query("SELECT COUNT(*) AS n FROM grants")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(stored_grants, 1);
    assert_eq!(
        events(store).await,
        ["request", "email_verified", "approved"]
    );
}

// ---- grants -------------------------------------------------------------------------------

async fn revoking_stops_a_grant_and_revoking_twice_keeps_the_first_time(store: &Store) {
    let r = confirmed(store, "jane@acme.example").await;
    let grant = store
        .approve(&r.id, 30, 5, "cli", &ctx(EventKind::Approved))
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    assert!(
        store
            .record_download(&grant.id, "pentest-summary", now, &ctx(EventKind::Download))
            .await
            .unwrap()
            .is_some()
    );

    let revoked = store
        .revoke(&grant.id, "cli", &ctx(EventKind::Revoked))
        .await
        .unwrap();
    let first = revoked.revoked_at.expect("revoked_at is set");
    assert!(!revoked.usable(now));
    // Move the first revocation into the past, so that a second one would show.
    sql(
        store,
        &format!(
            "UPDATE grants SET revoked_at = {} WHERE id = '{}'",
            first - 3600,
            grant.id
        ),
    )
    .await;
    let again = store
        .revoke(&grant.id, "api", &ctx(EventKind::Revoked))
        .await
        .unwrap();
    assert_eq!(again.revoked_at, Some(first - 3600));
    assert_eq!(
        events(store)
            .await
            .iter()
            .filter(|e| *e == "revoked")
            .count(),
        1
    );

    assert!(
        store
            .record_download(&grant.id, "pentest-summary", now, &ctx(EventKind::Download))
            .await
            .unwrap()
            .is_none(),
        "a revoked grant still downloads"
    );
    assert_eq!(store.grant(&grant.id).await.unwrap().unwrap().downloads, 1);
    assert!(matches!(
        store
            .revoke("g23456789abcdef", "cli", &ctx(EventKind::Revoked))
            .await,
        Err(StoreError::NotFound(_))
    ));
    assert_eq!(
        events(store).await,
        [
            "request",
            "email_verified",
            "approved",
            "download",
            "revoked"
        ]
    );
    // The download failure above is the caller's to audit: the store wrote nothing.
    assert_eq!(verified(store).await, 5);
}

async fn downloads_stop_at_the_limit_even_when_concurrent(store: &Store) {
    let r = confirmed(store, "jane@acme.example").await;
    let grant = store
        .approve(&r.id, 30, 3, "cli", &ctx(EventKind::Approved))
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    let tasks: Vec<_> = (0..12)
        .map(|_| {
            let store = store.clone();
            let id = grant.id.clone();
            tokio::spawn(async move {
                store
                    .record_download(&id, "pentest-summary", now, &ctx(EventKind::Download))
                    .await
                    .unwrap()
                    .map(|g| g.downloads)
            })
        })
        .collect();
    let mut counted = Vec::new();
    for t in tasks {
        if let Some(n) = t.await.unwrap() {
            counted.push(n);
        }
    }
    counted.sort_unstable();
    assert_eq!(
        counted,
        [1, 2, 3],
        "each counted download sees its own count"
    );
    let after = store.grant(&grant.id).await.unwrap().unwrap();
    assert_eq!(after.downloads, 3);
    assert!(!after.usable(now));
    let downloads: Vec<_> = store
        .audit_rows()
        .await
        .unwrap()
        .into_iter()
        .filter(|r| r.event == "download")
        .collect();
    assert_eq!(downloads.len(), 3);
    assert!(downloads.iter().all(|row| {
        row.grant_id.as_deref() == Some(grant.id.as_str())
            && row.request_id.as_deref() == Some(r.id.as_str())
            && row.email.as_deref() == Some("jane@acme.example")
    }));
    assert_eq!(verified(store).await, 6);
}

async fn expired_grants_and_other_documents_are_refused(store: &Store) {
    let r = confirmed(store, "jane@acme.example").await;
    let grant = store
        .approve(&r.id, 1, 10, "cli", &ctx(EventKind::Approved))
        .await
        .unwrap();
    let end = grant.expires_at;
    let download = |document: &'static str, grant_id: String, at: i64| {
        let store = store.clone();
        async move {
            store
                .record_download(&grant_id, document, at, &ctx(EventKind::Download))
                .await
                .unwrap()
        }
    };
    assert!(grant.usable(end - 1) && !grant.usable(end));
    assert!(
        download("pentest-summary", grant.id.clone(), end - 1)
            .await
            .is_some()
    );
    assert!(
        download("pentest-summary", grant.id.clone(), end)
            .await
            .is_none()
    );
    assert!(
        download("pentest-summary", grant.id.clone(), end + 86_400)
            .await
            .is_none()
    );
    assert!(
        download("iso27001-audit-report", grant.id.clone(), end - 1)
            .await
            .is_none(),
        "a grant for one document downloads another"
    );
    assert!(
        download("pentest-summary", "g23456789abcdef".into(), end - 1)
            .await
            .is_none()
    );
    assert_eq!(store.grant(&grant.id).await.unwrap().unwrap().downloads, 1);
    assert!(store.grant("g23456789abcdef").await.unwrap().is_none());
    assert_eq!(
        events(store)
            .await
            .iter()
            .filter(|e| *e == "download")
            .count(),
        1
    );
}

// ---- the audit chain ----------------------------------------------------------------------

async fn concurrent_appends_form_one_contiguous_verifiable_chain(store: &Store) {
    const TASKS: usize = 12;
    const EACH: usize = 20;
    let writers: Vec<_> = (0..TASKS)
        .map(|t| {
            let store = store.clone();
            tokio::spawn(async move {
                let mut seqs = Vec::new();
                for i in 0..EACH {
                    // Mix plain appends with appends inside a state change.
                    let seq = if i % 5 == 0 {
                        store
                            .create_request(
                                &new_request("pentest-summary", &format!("t{t}-{i}@acme.example")),
                                &ctx(EventKind::Request),
                            )
                            .await
                            .unwrap();
                        None
                    } else {
                        let mut ev = ctx(EventKind::LinkOpened);
                        ev.detail = Some(format!("t{t}-{i}"));
                        Some(store.audit(&ev).await.unwrap().seq)
                    };
                    seqs.extend(seq);
                }
                seqs
            })
        })
        .collect();
    // Verifying while others append sees a consistent chain every time.
    let checker = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut results = Vec::new();
            for _ in 0..15 {
                results.push(store.verify_audit().await.unwrap());
            }
            results
        })
    };
    let mut per_task = Vec::new();
    for w in writers {
        per_task.push(w.await.unwrap());
    }
    for result in checker.await.unwrap() {
        assert!(
            result.is_ok(),
            "verification during appends failed: {result:?}"
        );
    }

    let rows = store.audit_rows().await.unwrap();
    assert_eq!(rows.len(), TASKS * EACH);
    let mut prev = GENESIS.to_owned();
    for (i, row) in rows.iter().enumerate() {
        assert_eq!(row.seq, i as i64 + 1, "sequence numbers are contiguous");
        assert_eq!(
            row.prev_hash, prev,
            "row {} links to the row before",
            row.seq
        );
        assert_eq!(row.key_id.as_deref(), Some(store.audit_keys().current_id()));
        prev = row.hash.clone();
    }
    // Each task's own appends are in the order it made them.
    for seqs in &per_task {
        assert!(seqs.windows(2).all(|w| w[0] < w[1]), "{seqs:?}");
    }
    let details: BTreeSet<_> = rows.iter().filter_map(|r| r.detail.clone()).collect();
    assert_eq!(details.len(), TASKS * EACH * 4 / 5, "no append was lost");
    assert_eq!(verified(store).await, TASKS * EACH);
}

async fn an_edited_row_is_found(store: &Store) {
    chain(store, 6).await;
    assert_eq!(verified(store).await, 6);
    sql(
        store,
        "UPDATE audit SET email = 'mallory@evil.example' WHERE seq = 3",
    )
    .await;
    assert_eq!(broken_at(store).await, 3);
}

/// Someone who can write the database but has no key edits row 4 and recomputes every hash from
/// there on (as SHA-256, or as MACs under a key of their own), moving the head too.
async fn an_edited_row_rehashed_without_the_key_is_found_at_the_edit(store: &Store) {
    let rows = chain(store, 6).await;
    for forger in [None, Some(keys())] {
        let mut prev = rows[2].hash.clone();
        for (i, original) in rows.iter().enumerate().skip(3) {
            let mut row = original.clone();
            if i == 3 {
                row.ip = Some("10.0.0.1".into());
            }
            row.prev_hash = prev;
            match &forger {
                Some(k) => row.seal(k),
                None => {
                    row.key_id = None;
                    row.hash = row.unkeyed_hash();
                }
            }
            sqlx::query(
                "UPDATE audit SET ip = $1, key_id = $2, prev_hash = $3, hash = $4 WHERE seq = $5",
            )
            .bind(&row.ip)
            .bind(&row.key_id)
            .bind(&row.prev_hash)
            .bind(&row.hash)
            .bind(row.seq)
            .execute(store.pool())
            .await
            .unwrap();
            prev = row.hash.clone();
        }
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1")
            .bind(&prev)
            .execute(store.pool())
            .await
            .unwrap();
        assert_eq!(
            broken_at(store).await,
            4,
            "forger with a key: {}",
            forger.is_some()
        );
    }
}

/// Deleting the newest rows and moving the head back leaves a chain that is consistent in
/// itself: the checkpoint taken before finds it.
async fn truncating_and_moving_the_head_is_found_by_the_checkpoint(store: &Store) {
    let rows = chain(store, 6).await;
    let Ok(before) = store.verify_audit().await.unwrap() else {
        panic!("intact")
    };
    let cp = Checkpoint::new(
        "https://trust.example.com",
        before.head.0,
        &before.head.1,
        Some(rows[5].at.as_str()),
        Utc::now(),
        store.audit_keys(),
    );
    cp.authenticate(store.audit_keys()).unwrap();
    cp.check(&before, store.audit_row(6).await.unwrap().as_ref())
        .unwrap();
    sql(store, "DELETE FROM audit WHERE seq >= 5").await;
    sqlx::query("UPDATE audit_head SET seq = 4, hash = $1 WHERE id = 1")
        .bind(&rows[3].hash)
        .execute(store.pool())
        .await
        .unwrap();
    let Ok(after) = store.verify_audit().await.unwrap() else {
        panic!("the chain alone cannot tell")
    };
    assert_eq!(after.rows, 4);
    let err = cp
        .check(&after, store.audit_row(6).await.unwrap().as_ref())
        .unwrap_err();
    assert_eq!(err.seq, 5, "{err}");
    // Appending new rows after the truncation does not hide it either: row 6 differs.
    chain(store, 3).await;
    let Ok(regrown) = store.verify_audit().await.unwrap() else {
        panic!("intact chain")
    };
    let err = cp
        .check(&regrown, store.audit_row(6).await.unwrap().as_ref())
        .unwrap_err();
    assert_eq!(err.seq, 6, "{err}");
}

/// A log written before the chain was keyed (rows with plain SHA-256 and no key id) is anchored
/// by a keyed `chain_keyed` row when a store opens it, and verifies; rewriting an old row after
/// that is found.
async fn an_unkeyed_log_is_anchored_when_opened_with_a_key(store: &Store, url: &str) {
    // The database as the first round left it: migration 3 not applied.
    sql(store, "DELETE FROM _sqlx_migrations WHERE version = 3").await;
    sql(store, "DROP INDEX requests_by_email").await;
    sql(store, "DROP INDEX signing_requests_by_email").await;
    sql(store, "ALTER TABLE audit DROP COLUMN key_id").await;
    // Rows as the first round wrote them.
    let mut prev = GENESIS.to_owned();
    for seq in 1..=3i64 {
        let mut row = Row {
            seq,
            at: format!("2026-11-0{seq}T10:00:00.000Z"),
            event: "download".into(),
            request_id: None,
            grant_id: Some("g1".into()),
            document_id: Some("pentest-summary".into()),
            version: Some("2026/en".into()),
            email: Some("jane@acme.example".into()),
            ip: Some("203.0.113.7".into()),
            user_agent: Some("old".into()),
            detail: None,
            key_id: None,
            prev_hash: prev.clone(),
            hash: String::new(),
        };
        row.hash = row.unkeyed_hash();
        sqlx::query(
            "INSERT INTO audit (seq, at, event, grant_id, document_id, version, email, ip, user_agent, prev_hash, hash) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)",
        )
        .bind(row.seq)
        .bind(&row.at)
        .bind(&row.event)
        .bind(&row.grant_id)
        .bind(&row.document_id)
        .bind(&row.version)
        .bind(&row.email)
        .bind(&row.ip)
        .bind(&row.user_agent)
        .bind(&row.prev_hash)
        .bind(&row.hash)
        .execute(store.pool())
        .await
        .unwrap();
        prev = row.hash.clone();
    }
    sqlx::query("UPDATE audit_head SET seq = 3, hash = $1 WHERE id = 1")
        .bind(&prev)
        .execute(store.pool())
        .await
        .unwrap();
    let again = Store::connect(url, store.audit_keys().clone())
        .await
        .unwrap();
    let rows = again.audit_rows().await.unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[3].event, "chain_keyed");
    assert!(
        rows[3]
            .detail
            .as_deref()
            .unwrap()
            .contains("rows 1–3 were verified intact"),
        "{:?}",
        rows[3].detail
    );
    let Ok(v) = again.verify_audit().await.unwrap() else {
        panic!("anchored")
    };
    assert_eq!((v.rows, v.unkeyed), (4, 3));
    // Opening it again anchors nothing more.
    let third = Store::connect(url, store.audit_keys().clone())
        .await
        .unwrap();
    assert_eq!(third.audit_rows().await.unwrap().len(), 4);
    // Rewriting an old row (and rehashing the old part) breaks the anchor.
    sql(
        store,
        "UPDATE audit SET email = 'mallory@evil.example' WHERE seq = 2",
    )
    .await;
    assert_eq!(broken_at(store).await, 2);
    // Replacing the log by rows without a MAC is not anchored on a later open: it fails.
    sql(
        store,
        "UPDATE audit SET email = 'jane@acme.example' WHERE seq = 2",
    )
    .await;
    sql(store, "DELETE FROM audit WHERE seq >= 4").await;
    let rows = store.audit_rows().await.unwrap();
    sqlx::query("UPDATE audit_head SET seq = 3, hash = $1 WHERE id = 1")
        .bind(&rows[2].hash)
        .execute(store.pool())
        .await
        .unwrap();
    let fourth = Store::connect(url, store.audit_keys().clone())
        .await
        .unwrap();
    assert_eq!(
        fourth.audit_rows().await.unwrap().len(),
        3,
        "nothing anchored"
    );
    let err = fourth.verify_audit().await.unwrap().unwrap_err();
    assert!(err.reason.contains("none of the 3 rows"), "{err}");
    again.close().await;
    third.close().await;
    fourth.close().await;
}

async fn a_deleted_row_is_found(store: &Store) {
    chain(store, 6).await;
    sql(store, "DELETE FROM audit WHERE seq = 2").await;
    assert_eq!(broken_at(store).await, 2);
}

async fn removing_the_newest_rows_is_found(store: &Store) {
    chain(store, 6).await;
    sql(store, "DELETE FROM audit WHERE seq >= 5").await;
    assert_eq!(broken_at(store).await, 5);
}

async fn reordered_rows_are_found(store: &Store) {
    chain(store, 6).await;
    // Swap rows 3 and 4 (through a free sequence number: seq is the primary key).
    sql(store, "UPDATE audit SET seq = 1000 WHERE seq = 3").await;
    sql(store, "UPDATE audit SET seq = 3 WHERE seq = 4").await;
    sql(store, "UPDATE audit SET seq = 4 WHERE seq = 1000").await;
    assert_eq!(broken_at(store).await, 3);
}

async fn a_row_appended_behind_the_heads_back_is_found(store: &Store) {
    let rows = chain(store, 3).await;
    let mut forged = rows[2].clone();
    forged.seq = 4;
    forged.detail = Some("forged".into());
    forged.prev_hash = rows[2].hash.clone();
    forged.seal(&keys());
    sqlx::query(
        "INSERT INTO audit (seq, at, event, request_id, grant_id, document_id, version, email, ip, \
         user_agent, detail, key_id, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)",
    )
    .bind(forged.seq)
    .bind(&forged.at)
    .bind(&forged.event)
    .bind(&forged.request_id)
    .bind(&forged.grant_id)
    .bind(&forged.document_id)
    .bind(&forged.version)
    .bind(&forged.email)
    .bind(&forged.ip)
    .bind(&forged.user_agent)
    .bind(&forged.detail)
    .bind(&forged.key_id)
    .bind(&forged.prev_hash)
    .bind(&forged.hash)
    .execute(store.pool())
    .await
    .unwrap();
    assert_eq!(broken_at(store).await, 4);
}

async fn an_empty_log_verifies(store: &Store) {
    assert_eq!(verified(store).await, 0);
    assert!(store.audit_rows().await.unwrap().is_empty());
}

// ---- rate limits --------------------------------------------------------------------------

async fn rate_limit_hits_count_per_window_and_reset_in_the_next(store: &Store) {
    const START: i64 = 1_800_000_000; // a multiple of 60
    const A: &str = "request:203.0.113.7";
    const B: &str = "request:198.51.100.1";
    let hit = |bucket: &'static str, at: i64| {
        let store = store.clone();
        async move { store.hit(bucket, 60, at).await.unwrap() }
    };
    // (bucket, time, hits counted in the window, the window's end)
    let steps = [
        (A, START + 30, 1, START + 60),
        (A, START + 31, 2, START + 60),
        (A, START, 3, START + 60),
        (A, START + 59, 4, START + 60),
        // Another bucket counts on its own.
        (B, START + 59, 1, START + 60),
        // The next window starts again at one.
        (A, START + 60, 1, START + 120),
        (A, START + 119, 2, START + 120),
        // A later window, skipping some: one again.
        (A, START + 600, 1, START + 660),
        (B, START + 61, 1, START + 120),
        // A replica whose clock lags counts in the newest window rather than restarting it.
        (B, START + 59, 2, START + 120),
        (B, START + 62, 3, START + 120),
        (B, START + 1, 4, START + 120),
    ];
    for (i, (bucket, at, hits, end)) in steps.into_iter().enumerate() {
        assert_eq!(
            hit(bucket, at).await,
            (hits, end),
            "step {i}: {bucket} at {at}"
        );
    }

    // Concurrent hits in one window are each counted once.
    let tasks: Vec<_> = (0..20)
        .map(|_| tokio::spawn(hit("download:x", START)))
        .collect();
    let mut counts = Vec::new();
    for t in tasks {
        counts.push(t.await.unwrap().0);
    }
    counts.sort_unstable();
    assert_eq!(counts, (1..=20).collect::<Vec<i64>>());
}

// ---- agreements ---------------------------------------------------------------------------

fn agreement_for(request_id: &str, email: &str, n: usize) -> Agreement {
    Agreement {
        id: candor::portal::store::new_id('a'),
        request_id: request_id.into(),
        document_id: "dpa".into(),
        version: "3.1".into(),
        lang: "de".into(),
        text_sha256: "ab".repeat(32),
        company: format!("Acme {n}"),
        address: "1 Example Street\nLondon".into(),
        registration: String::new(),
        privacy_contact: "privacy@acme.example".into(),
        signatory_name: format!("Signatory {n}"),
        signatory_title: "CEO".into(),
        signatory_email: email.into(),
        email: email.into(),
        email_verified_at: Utc::now().timestamp(),
        signed_at: Utc::now().timestamp(),
        ip: "203.0.113.7".into(),
        user_agent: "conformance".into(),
        pdf_sha256: format!("{n:064x}"),
        pdf_size: 1000,
    }
}

async fn an_agreement_needs_a_verified_unused_signing_request(store: &Store) {
    let email = "jane@acme.example";
    let r = store
        .create_signing_request("de", "dpa", email, &ctx(EventKind::AgreementRequested))
        .await
        .unwrap();
    assert!(valid_id(&r.id) && r.verified_at.is_none() && r.agreement_id.is_none());
    // Not verified yet: nothing is recorded.
    let a = agreement_for(&r.id, email, 1);
    assert!(
        store
            .record_agreement(&a, &ctx(EventKind::AgreementSigned))
            .await
            .unwrap()
            .is_none()
    );
    let v = store
        .verify_signing_request(&r.id, &ctx(EventKind::EmailVerified))
        .await
        .unwrap()
        .unwrap();
    let at = v.verified_at.unwrap();
    // Verifying twice keeps the first time and audits once.
    let again = store
        .verify_signing_request(&r.id, &ctx(EventKind::EmailVerified))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(again.verified_at, Some(at));
    // For another document: refused.
    let mut other = agreement_for(&r.id, email, 2);
    other.document_id = "uk-addendum".into();
    assert!(
        store
            .record_agreement(&other, &ctx(EventKind::AgreementSigned))
            .await
            .unwrap()
            .is_none()
    );
    // Recorded once; the request is used up.
    let stored = store
        .record_agreement(&a, &ctx(EventKind::AgreementSigned))
        .await
        .unwrap();
    assert_eq!(stored.as_ref(), Some(&a));
    assert_eq!(store.agreement(&a.id).await.unwrap().as_ref(), Some(&a));
    assert_eq!(
        store
            .signing_request(&r.id)
            .await
            .unwrap()
            .unwrap()
            .agreement_id
            .as_deref(),
        Some(a.id.as_str())
    );
    let b = agreement_for(&r.id, email, 3);
    assert!(
        store
            .record_agreement(&b, &ctx(EventKind::AgreementSigned))
            .await
            .unwrap()
            .is_none()
    );
    assert!(store.agreement(&b.id).await.unwrap().is_none());
    assert_eq!(
        events(store).await,
        ["agreement_requested", "email_verified", "agreement_signed"]
    );
    let rows = store.audit_rows().await.unwrap();
    assert_eq!(rows[2].version.as_deref(), Some("3.1/de"));
    assert_eq!(
        rows[2].detail.as_deref(),
        Some(format!("agreement {} sha256 {}", a.id, a.pdf_sha256).as_str())
    );
    assert_eq!(verified(store).await, 3);
}

async fn concurrent_signings_record_each_agreement_once(store: &Store) {
    let email = "jane@acme.example";
    let mut requests = Vec::new();
    for _ in 0..6 {
        let r = store
            .create_signing_request("en", "dpa", email, &ctx(EventKind::AgreementRequested))
            .await
            .unwrap();
        store
            .verify_signing_request(&r.id, &ctx(EventKind::EmailVerified))
            .await
            .unwrap();
        requests.push(r.id);
    }
    // Each request submitted three times at once: one agreement per request.
    let mut tasks = Vec::new();
    for (n, id) in requests.iter().enumerate() {
        for k in 0..3 {
            let store = store.clone();
            let a = agreement_for(id, email, n * 3 + k);
            tasks.push(tokio::spawn(async move {
                store
                    .record_agreement(&a, &ctx(EventKind::AgreementSigned))
                    .await
                    .unwrap()
            }));
        }
    }
    let mut recorded = 0;
    for t in tasks {
        recorded += usize::from(t.await.unwrap().is_some());
    }
    assert_eq!(recorded, 6);
    let list = store.agreements(Some(email)).await.unwrap();
    assert_eq!(list.len(), 6);
    let used: BTreeSet<_> = list.iter().map(|a| a.request_id.clone()).collect();
    assert_eq!(used.len(), 6, "one agreement per signing request");
    assert!(
        list.windows(2).all(|w| w[0].signed_at >= w[1].signed_at),
        "newest first"
    );
    assert!(
        store
            .agreements(Some("eve@evil.example"))
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(store.agreements(None).await.unwrap().len(), 6);
    assert_eq!(
        verified(store).await,
        6 * 3,
        "requested, verified, signed: refused ones write nothing"
    );
}

// ---- migrations ---------------------------------------------------------------------------

async fn reopening_runs_no_migration_twice_and_keeps_the_data(store: &Store, url: &str) {
    let r = submit(store, "jane@acme.example").await;
    let again = Store::connect(url, store.audit_keys().clone())
        .await
        .expect("reopen the store");
    assert_eq!(request(&again, &r.id).await.email, "jane@acme.example");
    let mut ev = ctx(EventKind::LinkOpened);
    ev.detail = Some("from the second pool".into());
    assert_eq!(again.audit(&ev).await.unwrap().seq, 2);
    again.close().await;
    assert_eq!(verified(store).await, 2);
}

// ---- subscriptions ------------------------------------------------------------------------

fn new_subscription(email: &str, topics: &[&str], documents: &[&str]) -> NewSubscription {
    NewSubscription {
        email: email.into(),
        lang: "en".into(),
        topics: topics.iter().map(|t| (*t).to_owned()).collect(),
        documents: documents.iter().map(|d| (*d).to_owned()).collect(),
        consent_text_sha256: "c".repeat(64),
    }
}

async fn a_subscription_is_pending_until_confirmed_and_unsubscribing_deletes_it(store: &Store) {
    let first = store
        .subscribe(
            &new_subscription("Jane@Example.org", &["subprocessors"], &[]),
            &ctx(EventKind::SubscriptionRequested),
        )
        .await
        .unwrap();
    let Subscribed::New(s) = first else {
        panic!("{first:?}")
    };
    assert_eq!(s.email, "jane@example.org", "kept in lower case");
    assert_eq!(s.status, SubscriberStatus::Pending);
    assert_eq!(s.topics, ["subprocessors"]);
    assert_eq!(s.consent_text_sha256, "c".repeat(64));
    assert!(s.confirmed_at.is_none());

    // Pending: the form's new topics replace the old ones; same id.
    let again = store
        .subscribe(
            &new_subscription("jane@example.org", &["advisories"], &["*"]),
            &ctx(EventKind::SubscriptionRequested),
        )
        .await
        .unwrap();
    let Subscribed::Renewed(r) = again else {
        panic!("{again:?}")
    };
    assert_eq!(r.id, s.id);
    assert_eq!(
        (r.topics.as_slice(), r.documents.as_slice()),
        (&["advisories".to_owned()][..], &["*".to_owned()][..])
    );

    let confirmed = store
        .confirm_subscription(&s.id, &ctx(EventKind::SubscriptionConfirmed))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(confirmed.status, SubscriberStatus::Active);
    assert!(confirmed.confirmed_at.is_some());
    // Confirming twice changes nothing and writes no second row.
    store
        .confirm_subscription(&s.id, &ctx(EventKind::SubscriptionConfirmed))
        .await
        .unwrap();

    // Active: the form changes nothing.
    let active = store
        .subscribe(
            &new_subscription("JANE@example.org", &["updates"], &[]),
            &ctx(EventKind::SubscriptionRequested),
        )
        .await
        .unwrap();
    assert!(
        matches!(&active, Subscribed::Active(a) if a.topics == ["advisories"]),
        "{active:?}"
    );

    let changed = store
        .change_subscription(
            &s.id,
            &["updates".to_owned()],
            &["dpa".to_owned(), "toms".to_owned()],
            &ctx(EventKind::SubscriptionChanged),
        )
        .await
        .unwrap()
        .unwrap();
    assert_eq!(changed.documents, ["dpa", "toms"]);
    assert_eq!(
        store.active_subscribers().await.unwrap(),
        vec![changed.clone()]
    );
    assert_eq!(
        store.subscriber_by_email("jane@EXAMPLE.org").await.unwrap(),
        Some(changed)
    );

    assert!(store.unsubscribe(&s.id).await.unwrap());
    assert!(store.subscriber(&s.id).await.unwrap().is_none());
    assert!(!store.unsubscribe(&s.id).await.unwrap(), "already gone");
    assert!(
        store
            .change_subscription(&s.id, &[], &[], &ctx(EventKind::SubscriptionChanged))
            .await
            .unwrap()
            .is_none()
    );

    assert_eq!(
        events(store).await,
        [
            "subscription_requested",
            "subscription_requested",
            "subscription_confirmed",
            "subscription_requested",
            "subscription_changed",
            "unsubscribed"
        ]
    );
    let rows = store.audit_rows().await.unwrap();
    let hash = address_sha256("jane@example.org");
    for row in &rows {
        assert!(row.email.is_none(), "{row:?}");
        assert!(
            !row.detail.as_deref().unwrap_or("").contains("jane@"),
            "{row:?}"
        );
        assert!(row.detail.as_deref().unwrap().contains(&hash), "{row:?}");
    }
    let last = rows.last().unwrap();
    assert!(last.ip.is_none() && last.user_agent.is_none());
    assert_eq!(verified(store).await, rows.len());
}

async fn concurrent_subscriptions_of_one_address_make_one_row(store: &Store) {
    let mut tasks = Vec::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.push(tokio::spawn(async move {
            store
                .subscribe(
                    &new_subscription("race@example.org", &["updates"], &[]),
                    &ctx(EventKind::SubscriptionRequested),
                )
                .await
        }));
    }
    let mut new = 0;
    let mut ids = BTreeSet::new();
    for t in tasks {
        let done = t.await.unwrap().expect("every subscription is answered");
        if matches!(done, Subscribed::New(_)) {
            new += 1;
        }
        ids.insert(done.subscriber().id.clone());
    }
    assert_eq!(new, 1);
    assert_eq!(ids.len(), 1);
    let n: i64 = sqlx::query("SELECT COUNT(*) AS n FROM subscribers")
        .fetch_one(store.pool())
        .await
        .unwrap()
        .get("n");
    assert_eq!(n, 1);
    assert_eq!(verified(store).await, 8);
}

// ---- both backends ------------------------------------------------------------------------

fn notice(items: &[&str]) -> candor::portal::store::notices::NewNotice {
    candor::portal::store::notices::NewNotice {
        topic: "subprocessors".into(),
        document_id: None,
        payload: "{}".into(),
        baseline: false,
        items: items
            .iter()
            .map(|i| ((*i).to_owned(), "d".repeat(64)))
            .collect(),
    }
}

/// A notice is queued once with its announcements and one outbox row per recipient; queueing
/// an announced item again (a rerun, another replica) writes nothing.
async fn a_notice_is_queued_once_with_its_outbox(store: &Store) {
    let to: Vec<(String, String)> = (0..3)
        .map(|i| {
            (
                format!("u{i:014}"),
                if i == 0 { "de" } else { "en" }.to_owned(),
            )
        })
        .collect();
    let n = store
        .queue_notice(&notice(&["a", "b"]), &to, "example.com")
        .await
        .unwrap()
        .expect("queued");
    assert_eq!(n.recipients, 3);
    assert!(!n.baseline);
    let announced = store.announced().await.unwrap();
    assert!(announced.contains(&("subprocessors".to_owned(), "a".to_owned())));
    assert_eq!(announced.len(), 2);
    // One item already announced: the whole notice is a no-op.
    assert!(
        store
            .queue_notice(&notice(&["c", "b"]), &to, "example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.announced().await.unwrap().len(), 2);
    // A plan is queued all or none: its second notice conflicts, so its first is not kept.
    let plan = [
        (notice(&["d"]), to.clone()),
        (notice(&["e", "a"]), to.clone()),
    ];
    assert!(
        store
            .queue_notices(&plan, "example.com")
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(store.announced().await.unwrap().len(), 2, "d is not kept");
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!((counts.pending, counts.sent), (3, 0));
    // Racing queuers of one new item: exactly one wins.
    let results = futures_join(store, &to).await;
    assert_eq!(results, 1, "one of eight concurrent queuers");
    assert_eq!(store.outbox_counts().await.unwrap().pending, 6);
    let rows = store.audit_rows().await.unwrap();
    assert_eq!(
        rows.iter().filter(|r| r.event == "notice_queued").count(),
        2
    );
}

async fn futures_join(store: &Store, to: &[(String, String)]) -> usize {
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let (store, to) = (store.clone(), to.to_vec());
        tasks.spawn(async move {
            store
                .queue_notice(&notice(&["race"]), &to, "example.com")
                .await
        });
    }
    let mut won = 0;
    while let Some(r) = tasks.join_next().await {
        // A loser either sees the conflict (None) or, on PostgreSQL, may fail on the key.
        if let Ok(Ok(Some(_))) = r {
            won += 1;
        }
    }
    won
}

/// Claims are atomic: concurrent claimers get disjoint rows; a held lease keeps a row from
/// others until it runs out; settling needs the claim; failures retry, then fail.
async fn outbox_rows_are_claimed_once_and_settled_by_their_claim(store: &Store) {
    use candor::portal::store::notices::Retry;
    let to: Vec<(String, String)> = (0..40)
        .map(|i| (format!("s{i:014}"), "en".to_owned()))
        .collect();
    store
        .queue_notice(&notice(&["x"]), &to, "example.com")
        .await
        .unwrap()
        .unwrap();
    let now = Utc::now().timestamp();
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..8 {
        let store = store.clone();
        tasks.spawn(async move {
            let mut mine = Vec::new();
            loop {
                let got = store.claim_outbox(now, 60, 3).await.unwrap();
                if got.is_empty() {
                    break mine;
                }
                mine.extend(got);
            }
        });
    }
    let mut all = Vec::new();
    while let Some(r) = tasks.join_next().await {
        all.extend(r.unwrap());
    }
    let ids: BTreeSet<String> = all.iter().map(|r| r.id.clone()).collect();
    assert_eq!(all.len(), 40, "every row claimed once");
    assert_eq!(ids.len(), 40);
    // Leases hold: nothing more to claim now, and a row is held until its lease ends.
    assert!(store.claim_outbox(now, 60, 100).await.unwrap().is_empty());
    assert_eq!(store.outbox_held_until(now).await.unwrap(), Some(now + 60));
    let row = &all[0];
    // A claim that is not ours settles nothing.
    let mut forged = row.clone();
    forged.claim = "cforgedforgedxx".into();
    assert!(!store.settle_outbox(&forged, true).await.unwrap());
    assert!(store.settle_outbox(row, true).await.unwrap());
    assert!(
        !store.settle_outbox(row, true).await.unwrap(),
        "settled once"
    );
    // After the lease, the others can be claimed again (a crashed sender's rows).
    let later = store.claim_outbox(now + 61, 60, 100).await.unwrap();
    assert_eq!(later.len(), 39);
    // Skipped, retried, failed.
    assert!(store.settle_outbox(&later[0], false).await.unwrap());
    let r = &later[1];
    assert_eq!(
        store
            .outbox_failed(r, "451 try\r\nlater", now + 100, 2)
            .await
            .unwrap(),
        Retry::At(now + 100)
    );
    let again = store.claim_outbox(now + 200, 60, 100).await.unwrap();
    let r2 = again.iter().find(|x| x.id == r.id).expect("due again");
    assert_eq!(r2.attempts, 1);
    assert_eq!(
        store
            .outbox_failed(r2, "451 again", now + 300, 2)
            .await
            .unwrap(),
        Retry::Failed
    );
    let counts = store.outbox_counts().await.unwrap();
    assert_eq!(
        (counts.sent, counts.skipped, counts.failed, counts.pending),
        (1, 1, 1, 37)
    );
    let failures = store.outbox_failures(10).await.unwrap();
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].status, "failed");
    assert_eq!(failures[0].attempts, 2);
    assert!(!failures[0].last_error.contains('\n'));
}

/// Pending subscriptions whose link was mailed before the cut-off are deleted (audited with the
/// address's SHA-256); active ones stay.
async fn unconfirmed_subscriptions_expire(store: &Store) {
    let a = store
        .subscribe(
            &new_subscription("Old@Example.com", &["updates"], &[]),
            &Event::default(),
        )
        .await
        .unwrap();
    let b = store
        .subscribe(
            &new_subscription("kept@example.com", &["updates"], &[]),
            &Event::default(),
        )
        .await
        .unwrap();
    store
        .confirm_subscription(&b.subscriber().id, &Event::default())
        .await
        .unwrap();
    let now = Utc::now().timestamp();
    assert_eq!(store.expire_subscriptions(now - 3600).await.unwrap(), 0);
    assert_eq!(store.expire_subscriptions(now + 1).await.unwrap(), 1);
    assert!(
        store
            .subscriber(&a.subscriber().id)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .subscriber(&b.subscriber().id)
            .await
            .unwrap()
            .is_some()
    );
    let rows = store.audit_rows().await.unwrap();
    let last = rows.last().unwrap();
    assert_eq!(last.event, "subscription_expired");
    let detail = last.detail.clone().unwrap();
    assert!(
        detail.contains(&address_sha256("old@example.com")),
        "{detail}"
    );
    assert!(!detail.contains("old@"), "{detail}");
}

macro_rules! conformance {
    ($($name:ident),* $(,)?; with the url: $($with_url:ident),* $(,)?) => {
        mod sqlite {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let db = super::Db::sqlite().await;
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*

            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $with_url() {
                    let db = super::Db::sqlite().await;
                    super::$with_url(&db.store, &db.url).await;
                    db.finish().await;
                }
            )*
        }

        mod postgres {
            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
                async fn $name() {
                    let Some(db) = super::Db::postgres().await else {
                        eprintln!("{}", super::pg::SKIPPED);
                        return;
                    };
                    super::$name(&db.store).await;
                    db.finish().await;
                }
            )*

            $(
                #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
                async fn $with_url() {
                    let Some(db) = super::Db::postgres().await else {
                        eprintln!("{}", super::pg::SKIPPED);
                        return;
                    };
                    super::$with_url(&db.store, &db.url).await;
                    db.finish().await;
                }
            )*
        }
    };
}

/// The console's queries: pages of requests, the audit log by actor (an admin's decisions
/// carry `by <address>` in their detail), event and document, keyset paging, downloads per day,
/// approval rules and settings.
/// The console's download counts are kept with each download (in its transaction), count no
/// refused download, and outlive a prune of the audit rows they came from.
async fn download_counts_are_kept_with_each_download_and_outlive_a_prune(store: &Store) {
    let r = confirmed(store, "ann@acme.example").await;
    let grant = store
        .approve(&r.id, 30, 3, "cli", &ctx(EventKind::Approved))
        .await
        .unwrap();
    let now = chrono::Utc::now();
    let today = now.format("%Y-%m-%d").to_string();
    for _ in 0..5 {
        let mut ev = ctx(EventKind::Download);
        ev.document_id = Some(grant.document_id.clone());
        // Three are allowed (max_downloads 3), two refused.
        let _ = store
            .record_download(&grant.id, &grant.document_id, now.timestamp(), &ev)
            .await
            .unwrap();
    }
    let counts = store.download_counts(&today).await.unwrap();
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(
        (
            counts[0].day.as_str(),
            counts[0].company.as_str(),
            counts[0].downloads
        ),
        (today.as_str(), grant.company.as_str(), 3),
        "the refused downloads count nothing"
    );
    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    store
        .prune_audit(
            "https://trust.example.com",
            chrono::Utc::now(),
            "owner@example.com",
            &ctx(EventKind::AuditPruned),
        )
        .await
        .unwrap()
        .expect("the rows so far are older than the cut-off");
    assert!(
        store
            .audit_rows()
            .await
            .unwrap()
            .iter()
            .all(|r| r.event != "download"),
        "the download rows are pruned"
    );
    assert_eq!(store.download_counts(&today).await.unwrap(), counts);
}

async fn the_consoles_queries_filter_page_and_count(store: &Store) {
    use candor::portal::store::console::AuditFilter;
    let mut ids = Vec::new();
    for i in 0..5 {
        ids.push(confirmed(store, &format!("p{i}@customer.test")).await.id);
    }
    let admin = "legal@example.com";
    let grant = store
        .approve(&ids[0], 30, 10, admin, &ctx(EventKind::Approved))
        .await
        .unwrap();
    store
        .reject(
            &ids[1],
            admin,
            Some("no contract"),
            &ctx(EventKind::Rejected),
        )
        .await
        .unwrap();
    // Requests: paged, newest first, by status.
    let (page, total) = store.requests_page(None, 0, 2).await.unwrap();
    assert_eq!((page.len(), total), (2, 5));
    assert!(page[0].created_at >= page[1].created_at, "newest first");
    let (pending, total) = store
        .requests_page(Some(candor::portal::store::Status::Pending), 0, 50)
        .await
        .unwrap();
    assert_eq!(total, 3);
    assert!(
        pending
            .iter()
            .all(|r| r.status == candor::portal::store::Status::Pending)
    );
    // The audit log by the admin: the approval and the rejection (with its reason), not the
    // requesters' own rows; and an address that only prefixes the admin's matches nothing.
    let by_admin = AuditFilter {
        actor: Some(admin.into()),
        ..AuditFilter::default()
    };
    let rows = store.audit_page(&by_admin, None, 50).await.unwrap();
    let kinds: Vec<&str> = rows.iter().map(|r| r.event.as_str()).collect();
    assert_eq!(kinds, ["rejected", "approved"], "newest first");
    assert_eq!(
        rows[0].detail.as_deref(),
        Some("by legal@example.com; reason: no contract")
    );
    let prefix = AuditFilter {
        actor: Some("legal@example.co".into()),
        ..AuditFilter::default()
    };
    assert!(
        store
            .audit_page(&prefix, None, 50)
            .await
            .unwrap()
            .iter()
            .all(|r| {
                r.detail
                    .as_deref()
                    .is_none_or(|d| !d.starts_with("by legal@example.com"))
            })
    );
    // By event, keyset pages that neither skip nor repeat.
    let by_event = AuditFilter {
        event: Some("email_verified".into()),
        ..AuditFilter::default()
    };
    let first = store.audit_page(&by_event, None, 3).await.unwrap();
    let second = store
        .audit_page(&by_event, Some(first.last().unwrap().seq), 3)
        .await
        .unwrap();
    assert_eq!((first.len(), second.len()), (3, 2));
    assert!(
        first
            .iter()
            .chain(&second)
            .all(|r| r.event == "email_verified")
    );
    assert!(first.last().unwrap().seq > second[0].seq);
    // Days: today's rows, none tomorrow.
    let today = chrono::Utc::now().format("%Y-%m-%d").to_string();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .format("%Y-%m-%d")
        .to_string();
    let on = |from: &str, to: &str| AuditFilter {
        from: Some(from.into()),
        to: Some(to.into()),
        ..AuditFilter::default()
    };
    assert!(
        !store
            .audit_matching(&on(&today, &today))
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        store
            .audit_matching(&on(&tomorrow, &tomorrow))
            .await
            .unwrap()
            .is_empty()
    );
    // Downloads per day, document and company.
    let now = chrono::Utc::now().timestamp();
    for _ in 0..2 {
        let mut ev = ctx(EventKind::Download);
        ev.document_id = Some("pentest-summary".into());
        let done = store
            .record_download(&grant.id, "pentest-summary", now, &ev)
            .await
            .unwrap();
        assert!(done.is_some());
    }
    let counts = store.download_counts(&today).await.unwrap();
    assert_eq!(counts.len(), 1, "{counts:?}");
    assert_eq!(
        (
            counts[0].document_id.as_str(),
            counts[0].company.as_str(),
            counts[0].downloads
        ),
        ("pentest-summary", "Acme", 2)
    );
    assert!(store.download_counts(&tomorrow).await.unwrap().is_empty());
    // Rules and settings hold for whoever reads the store next (another replica).
    let rule = store
        .add_rule(
            "customer.test",
            "pentest-summary",
            admin,
            &ctx(EventKind::RuleAdded),
        )
        .await
        .unwrap();
    let found = store
        .rule_for("customer.test", "pentest-summary")
        .await
        .unwrap();
    assert_eq!(found.map(|r| r.id), Some(rule.id.clone()));
    assert!(
        store
            .rule_for("customer.test", "dpa")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .rule_for("other.test", "pentest-summary")
            .await
            .unwrap()
            .is_none()
    );
    store
        .remove_rule(&rule.id, admin, &ctx(EventKind::RuleRemoved))
        .await
        .unwrap();
    assert!(
        store
            .rule_for("customer.test", "pentest-summary")
            .await
            .unwrap()
            .is_none()
    );
    store
        .set_setting(
            "watermark:pentest-summary",
            "off",
            admin,
            &ctx(EventKind::SettingChanged),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .setting("watermark:pentest-summary")
            .await
            .unwrap()
            .as_deref(),
        Some("off")
    );
    assert_eq!(
        verified(store).await,
        events(store).await.len(),
        "every change is audited and chained"
    );
}

fn new_objection(change: &str, email: &str, late: bool) -> NewObjection {
    NewObjection {
        change_id: change.into(),
        subprocessor: "Example Shield GmbH".into(),
        kind: "added".into(),
        effective: "2027-01-11".into(),
        deadline: "2027-01-10".into(),
        company: "Acme <b>GmbH</b>".into(),
        contact: "Jane Doe".into(),
        email: email.into(),
        reason: "Line one\nline two".into(),
        lang: "de".into(),
        late,
    }
}

/// A confirmed objection's mails are due at once; one sender at a time holds them (a lease),
/// a failure makes them due again later, a crashed sender's lease runs out, and once sent
/// nothing is due. An unconfirmed objection has no mails due.
async fn objection_mails_are_claimed_once_and_due_until_sent(store: &Store) {
    let o = store
        .create_objection(
            &new_objection(
                "2027-01-11-added-example-shield-gmbh",
                "ann@acme.example",
                false,
            ),
            0,
            &ctx(EventKind::ObjectionRequested),
        )
        .await
        .unwrap();
    let now = chrono::Utc::now().timestamp();
    assert!(store.objection_mails_due(now).await.unwrap().is_empty());
    assert_eq!(
        store.claim_objection_mail(&o.id, now, 600).await.unwrap(),
        None
    );
    store
        .confirm_objection(&o.id, &ctx(EventKind::ObjectionConfirmed))
        .await
        .unwrap();
    let due = store.objection_mails_due(now + 1).await.unwrap();
    assert_eq!(
        due.iter().map(|d| d.id.as_str()).collect::<Vec<_>>(),
        [o.id.as_str()]
    );
    // Concurrent senders: exactly one claims.
    let mut tasks = tokio::task::JoinSet::new();
    for _ in 0..6 {
        let (store, id) = (store.clone(), o.id.clone());
        tasks.spawn(async move { store.claim_objection_mail(&id, now + 1, 600).await.unwrap() });
    }
    let mut claims = Vec::new();
    while let Some(r) = tasks.join_next().await {
        claims.extend(r.unwrap());
    }
    assert_eq!(claims, [now + 601], "one sender holds the mails");
    assert!(
        store.objection_mails_due(now + 2).await.unwrap().is_empty(),
        "the lease holds"
    );
    // The lease runs out (the sender crashed): due again.
    assert_eq!(store.objection_mails_due(now + 601).await.unwrap().len(), 1);
    let claim = store
        .claim_objection_mail(&o.id, now + 601, 600)
        .await
        .unwrap()
        .expect("claimed again");
    // The first sender, late, settles nothing: the mails are the second one's.
    assert!(
        !store
            .settle_objection_mail(&o.id, claims[0], None)
            .await
            .unwrap()
    );
    assert!(store.objection_mails_due(now + 1201).await.unwrap().len() == 1);
    // A failure: due again at the retry time, not before.
    assert!(
        store
            .settle_objection_mail(&o.id, claim, Some(now + 900))
            .await
            .unwrap()
    );
    assert!(
        store
            .objection_mails_due(now + 899)
            .await
            .unwrap()
            .is_empty()
    );
    let claim = store
        .claim_objection_mail(&o.id, now + 900, 600)
        .await
        .unwrap()
        .expect("due at the retry time");
    // Sent: nothing is due, ever.
    assert!(
        store
            .settle_objection_mail(&o.id, claim, None)
            .await
            .unwrap()
    );
    assert!(
        store
            .objection_mails_due(i64::MAX / 2)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.objection(&o.id).await.unwrap().unwrap().mail_due,
        None
    );
}

async fn an_objection_counts_once_confirmed_with_the_addresss_standing(store: &Store) {
    let change = "2027-01-11-added-example-shield-gmbh";
    let stale = store
        .create_objection(
            &new_objection(change, "old@acme.example", false),
            0,
            &ctx(EventKind::ObjectionRequested),
        )
        .await
        .unwrap();
    // Age it: an unconfirmed row older than the cut-off is deleted by the next objection sent.
    sqlx::query("UPDATE objections SET received_at = 10 WHERE id = $1")
        .bind(&stale.id)
        .execute(store.pool())
        .await
        .unwrap();
    // An address with an active grant and a confirmed subscription.
    let r = confirmed(store, "jane@acme.example").await;
    let grant = store
        .approve(&r.id, 30, 5, "cli", &ctx(EventKind::Approved))
        .await
        .unwrap();
    let s = store
        .subscribe(
            &NewSubscription {
                email: "jane@acme.example".into(),
                lang: "en".into(),
                topics: vec!["subprocessors".into()],
                documents: vec![],
                consent_text_sha256: "00".into(),
            },
            &ctx(EventKind::SubscriptionRequested),
        )
        .await
        .unwrap();
    store
        .confirm_subscription(&s.subscriber().id, &ctx(EventKind::SubscriptionConfirmed))
        .await
        .unwrap();

    let o = store
        .create_objection(
            &new_objection(change, "Jane@Acme.example", false),
            100,
            &ctx(EventKind::ObjectionRequested),
        )
        .await
        .unwrap();
    assert!(valid_id(&o.id) && o.id.starts_with('o'), "{}", o.id);
    assert!(o.confirmed_at.is_none() && !o.late);
    assert!(
        store.objection(&stale.id).await.unwrap().is_none(),
        "stale row deleted"
    );
    assert!(
        store.objections(None).await.unwrap().is_empty(),
        "unconfirmed: not listed"
    );
    assert_eq!(
        store
            .unconfirmed_requests_to("jane@acme.example", 0)
            .await
            .unwrap(),
        1,
        "an unconfirmed objection counts towards the address's daily mails"
    );

    let Some(Confirmed::New(c)) = store
        .confirm_objection(&o.id, &ctx(EventKind::ObjectionConfirmed))
        .await
        .unwrap()
    else {
        panic!("confirmed now");
    };
    assert!(c.confirmed_at.is_some());
    assert_eq!(c.grant_id.as_deref(), Some(grant.id.as_str()));
    assert!(c.subscribed);
    assert_eq!(c.company, "Acme <b>GmbH</b>");
    assert_eq!(c.reason, "Line one\nline two");
    assert_eq!(c.lang, "de");
    let Some(Confirmed::Already(again)) = store
        .confirm_objection(&o.id, &ctx(EventKind::ObjectionConfirmed))
        .await
        .unwrap()
    else {
        panic!("confirmed before");
    };
    assert_eq!(again, c);
    assert!(
        store
            .confirm_objection("onosuchobjectn", &ctx(EventKind::ObjectionConfirmed))
            .await
            .unwrap()
            .is_none()
    );

    // A late objection from an address with neither: recorded, marked late, no evidence.
    let late = store
        .create_objection(
            &new_objection(
                "2026-10-15-added-example-vault-storage-gmbh",
                "eve@other.example",
                true,
            ),
            100,
            &ctx(EventKind::ObjectionRequested),
        )
        .await
        .unwrap();
    let Some(Confirmed::New(late)) = store
        .confirm_objection(&late.id, &ctx(EventKind::ObjectionConfirmed))
        .await
        .unwrap()
    else {
        panic!("confirmed now");
    };
    assert!(late.late && late.grant_id.is_none() && !late.subscribed);
    // The housekeeping's deletion takes unconfirmed rows only.
    let pending = store
        .create_objection(
            &new_objection(change, "slow@acme.example", false),
            0,
            &ctx(EventKind::ObjectionRequested),
        )
        .await
        .unwrap();
    assert_eq!(
        store
            .delete_unconfirmed_objections(Utc::now().timestamp() + 10)
            .await
            .unwrap(),
        1
    );
    assert!(store.objection(&pending.id).await.unwrap().is_none());
    assert!(
        store.objection(&late.id).await.unwrap().is_some(),
        "confirmed rows stay"
    );

    let all = store.objections(None).await.unwrap();
    assert_eq!(all.len(), 2);
    let only = store.objections(Some(change)).await.unwrap();
    assert_eq!(only, vec![c.clone()]);
    assert!(
        store
            .objections(Some("2030-01-01-added-nobody"))
            .await
            .unwrap()
            .is_empty()
    );

    let rows = store.audit_rows().await.unwrap();
    let mine: Vec<_> = rows
        .iter()
        .filter(|r| r.event.starts_with("objection_"))
        .collect();
    assert_eq!(
        mine.iter().map(|r| r.event.as_str()).collect::<Vec<_>>(),
        [
            "objection_requested",
            "objection_requested",
            "objection_confirmed",
            "objection_requested",
            "objection_confirmed",
            "objection_requested"
        ]
    );
    let confirmed_row = mine[2];
    assert_eq!(confirmed_row.email.as_deref(), Some("Jane@Acme.example"));
    let detail = confirmed_row.detail.as_deref().unwrap();
    assert!(
        detail.contains(&o.id) && detail.contains(change),
        "{detail}"
    );
    assert!(
        detail.contains(&grant.id) && detail.contains("subscriber"),
        "{detail}"
    );
    assert!(mine[4].detail.as_deref().unwrap().contains("(late)"));
    assert_eq!(store.objections(None).await.unwrap().len(), 2);
    assert_eq!(verified(store).await, rows.len());
}

conformance!(
    a_request_goes_from_unverified_to_pending_to_approved,
    rejected_requests_stay_rejected,
    nda_acceptance_is_kept_with_the_request_and_audited,
    old_undecided_requests_expire,
    racing_confirmations_and_approvals_take_effect_once,
    revoking_stops_a_grant_and_revoking_twice_keeps_the_first_time,
    downloads_stop_at_the_limit_even_when_concurrent,
    expired_grants_and_other_documents_are_refused,
    concurrent_appends_form_one_contiguous_verifiable_chain,
    an_edited_row_is_found,
    an_edited_row_rehashed_without_the_key_is_found_at_the_edit,
    truncating_and_moving_the_head_is_found_by_the_checkpoint,
    a_deleted_row_is_found,
    removing_the_newest_rows_is_found,
    reordered_rows_are_found,
    a_row_appended_behind_the_heads_back_is_found,
    an_empty_log_verifies,
    rate_limit_hits_count_per_window_and_reset_in_the_next,
    an_agreement_needs_a_verified_unused_signing_request,
    concurrent_signings_record_each_agreement_once,
    pruning_old_rows_keeps_the_rest_provably_intact,
    the_consoles_queries_filter_page_and_count,
    download_counts_are_kept_with_each_download_and_outlive_a_prune,
    a_subscription_is_pending_until_confirmed_and_unsubscribing_deletes_it,
    concurrent_subscriptions_of_one_address_make_one_row,
    an_objection_counts_once_confirmed_with_the_addresss_standing,
    objection_mails_are_claimed_once_and_due_until_sent,
    a_notice_is_queued_once_with_its_outbox,
    outbox_rows_are_claimed_once_and_settled_by_their_claim,
    unconfirmed_subscriptions_expire;
    with the url:
    reopening_runs_no_migration_twice_and_keeps_the_data,
    an_unkeyed_log_is_anchored_when_opened_with_a_key,
);

#[test]
fn a_test_database_url_keeps_everything_but_the_database() {
    assert_eq!(
        pg::with_database("postgres://u:p@127.0.0.1:5432/candor", "t1"),
        "postgres://u:p@127.0.0.1:5432/t1"
    );
    assert_eq!(
        pg::with_database("postgres://u:p@h:1/candor?sslmode=disable", "t1"),
        "postgres://u:p@h:1/t1?sslmode=disable"
    );
    assert_eq!(pg::with_database("postgres://h", "t1"), "postgres://h/t1");
    assert_eq!(
        pg::with_database("postgres://h?sslmode=disable", "t1"),
        "postgres://h/t1?sslmode=disable"
    );
}

#[tokio::test]
async fn the_sqlite_file_is_where_the_site_is_whatever_the_folder_is_called() {
    for name in [
        "with space",
        "q?mode=ro",
        "x%41y",
        "100%",
        "hash#1",
        "größe",
    ] {
        let dir = tempfile::tempdir().unwrap();
        // A decoy: `x%41y` must not open `xAy`.
        std::fs::create_dir_all(dir.path().join("xAy")).unwrap();
        let path = dir.path().join(name).join("portal.db");
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        let store = Store::connect(&candor::portal::store::sqlite_url(&path), keys())
            .await
            .unwrap_or_else(|e| panic!("{name}: {e}"));
        submit(&store, "jane@acme.example").await;
        store.close().await;
        assert!(path.is_file(), "{name}: no store at {}", path.display());
        assert_eq!(
            std::fs::read_dir(dir.path().join("xAy")).unwrap().count(),
            0,
            "{name}"
        );
    }
}
