//! Objections to subprocessor changes (issue 19): what a customer sent from the objection form,
//! kept unconfirmed until the address is proven by a POST from the mailed link, then recorded
//! with the evidence of who the objector is (an active grant of the address, a confirmed
//! subscription) for the legal team.
//!
//! Only confirmed rows are objections: [`Store::objections`] lists nothing else, and an
//! unconfirmed row is deleted once its link can no longer be used (by the hourly housekeeping
//! and at the next objection sent).
//! Audit rows carry the objector's address, as the access requests' do.

use chrono::Utc;
use serde::Serialize;
use sqlx::Row as _;
use sqlx::any::AnyRow;

use super::{Result, Store, append, new_id};
use crate::portal::audit::{Event, EventKind};

/// An objection as the form sent it, with the change as the register had it.
#[derive(Debug, Clone)]
pub struct NewObjection {
    /// The change's id ([`crate::site::subprocessors::Change::id`]).
    pub change_id: String,
    /// The subprocessor.
    pub subprocessor: String,
    /// `added` or `changed`.
    pub kind: String,
    /// When the change takes effect (YYYY-MM-DD).
    pub effective: String,
    /// The last day to object (YYYY-MM-DD).
    pub deadline: String,
    /// The customer company.
    pub company: String,
    /// The contact person.
    pub contact: String,
    /// The address to prove.
    pub email: String,
    /// Why the customer objects.
    pub reason: String,
    /// Language of the pages and mails.
    pub lang: String,
    /// Sent after the deadline (accepted, marked late).
    pub late: bool,
}

/// A stored objection.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Objection {
    /// Id: the reference the customer is given.
    pub id: String,
    /// The change's id.
    pub change_id: String,
    /// The subprocessor.
    pub subprocessor: String,
    /// `added` or `changed`.
    pub kind: String,
    /// When the change takes effect (YYYY-MM-DD).
    pub effective: String,
    /// The last day to object (YYYY-MM-DD).
    pub deadline: String,
    /// The customer company.
    pub company: String,
    /// The contact person.
    pub contact: String,
    /// The address (proven once confirmed).
    pub email: String,
    /// The reason.
    pub reason: String,
    /// Language.
    pub lang: String,
    /// When the form was sent (Unix seconds): the objection's time.
    pub received_at: i64,
    /// When the address was confirmed (Unix seconds); `None`: not an objection yet.
    pub confirmed_at: Option<i64>,
    /// Received after the deadline.
    pub late: bool,
    /// An active grant of the address at confirmation.
    pub grant_id: Option<String>,
    /// The address was a confirmed subscriber at confirmation.
    pub subscribed: bool,
    /// From when its mails (to the privacy team, the receipt) are due (Unix seconds); `None`
    /// once they were sent (migration 10).
    pub mail_due: Option<i64>,
}

/// What [`Store::confirm_objection`] did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Confirmed {
    /// Confirmed now.
    New(Objection),
    /// Confirmed before: nothing changed.
    Already(Objection),
}

const COLUMNS: &str = "id, change_id, subprocessor, kind, effective, deadline, company, contact, \
     email, reason, lang, received_at, confirmed_at, late, grant_id, subscribed, mail_due";

fn objection_of(row: &AnyRow) -> Result<Objection> {
    Ok(Objection {
        id: row.try_get("id")?,
        change_id: row.try_get("change_id")?,
        subprocessor: row.try_get("subprocessor")?,
        kind: row.try_get("kind")?,
        effective: row.try_get("effective")?,
        deadline: row.try_get("deadline")?,
        company: row.try_get("company")?,
        contact: row.try_get("contact")?,
        email: row.try_get("email")?,
        reason: row.try_get("reason")?,
        lang: row.try_get("lang")?,
        received_at: row.try_get("received_at")?,
        confirmed_at: row.try_get("confirmed_at")?,
        late: row.try_get::<i64, _>("late")? != 0,
        grant_id: row.try_get("grant_id")?,
        subscribed: row.try_get::<i64, _>("subscribed")? != 0,
        mail_due: row.try_get("mail_due")?,
    })
}

fn event(ctx: &Event, kind: EventKind, o: &Objection, what: &str) -> Event {
    let mut ev = ctx.clone();
    ev.event = kind.as_str();
    ev.email = Some(o.email.clone());
    ev.detail = Some(format!(
        "objection {} to change {}{}{what}",
        o.id,
        o.change_id,
        if o.late { " (late)" } else { "" }
    ));
    ev
}

impl Store {
    /// Stores an objection sent from the form, unconfirmed, and audits it. Unconfirmed
    /// objections received before `stale_before` (Unix seconds: their links have expired) are
    /// deleted first.
    pub async fn create_objection(
        &self,
        new: &NewObjection,
        stale_before: i64,
        ctx: &Event,
    ) -> Result<Objection> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        sqlx::query("DELETE FROM objections WHERE confirmed_at IS NULL AND received_at < $1")
            .bind(stale_before)
            .execute(&mut *tx)
            .await?;
        let id = new_id('o');
        sqlx::query(&format!(
            "INSERT INTO objections ({COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, NULL, $13, NULL, 0, NULL)"
        ))
        .bind(&id)
        .bind(&new.change_id)
        .bind(&new.subprocessor)
        .bind(&new.kind)
        .bind(&new.effective)
        .bind(&new.deadline)
        .bind(&new.company)
        .bind(&new.contact)
        .bind(new.email.trim())
        .bind(&new.reason)
        .bind(&new.lang)
        .bind(now.timestamp())
        .bind(i64::from(new.late))
        .execute(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM objections WHERE id = $1"))
            .bind(&id)
            .fetch_one(&mut *tx)
            .await?;
        let objection = objection_of(&row)?;
        let ev = event(
            ctx,
            EventKind::ObjectionRequested,
            &objection,
            "; confirmation link mailed",
        );
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(objection)
    }

    /// Deletes the unconfirmed objections received before `before` (Unix seconds: their links
    /// have expired); how many. The hourly housekeeping calls it, as does every new objection.
    pub async fn delete_unconfirmed_objections(&self, before: i64) -> Result<u64> {
        let done =
            sqlx::query("DELETE FROM objections WHERE confirmed_at IS NULL AND received_at < $1")
                .bind(before)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected())
    }

    /// One objection, confirmed or not.
    pub async fn objection(&self, id: &str) -> Result<Option<Objection>> {
        self.by_id("objections", COLUMNS, id, objection_of).await
    }

    /// Confirms an objection (the address is proven): records the evidence of the address's
    /// standing (an active grant, a confirmed subscription) and audits it. `None` when there is
    /// no such objection (or it was deleted as stale).
    pub async fn confirm_objection(&self, id: &str, ctx: &Event) -> Result<Option<Confirmed>> {
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        let Some(row) = sqlx::query(&format!("SELECT {COLUMNS} FROM objections WHERE id = $1"))
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
        else {
            return Ok(None);
        };
        let before = objection_of(&row)?;
        if before.confirmed_at.is_some() {
            return Ok(Some(Confirmed::Already(before)));
        }
        let grant: Option<String> = sqlx::query(
            "SELECT id FROM grants WHERE LOWER(email) = LOWER($1) AND revoked_at IS NULL \
             AND expires_at > $2 ORDER BY created_at DESC, id LIMIT 1",
        )
        .bind(&before.email)
        .bind(now.timestamp())
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get("id"))
        .transpose()?;
        let subscribed =
            sqlx::query("SELECT id FROM subscribers WHERE email = LOWER($1) AND status = 'active'")
                .bind(&before.email)
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
        let done = sqlx::query(
            "UPDATE objections SET confirmed_at = $1, grant_id = $2, subscribed = $3, mail_due = $1 \
             WHERE id = $4 AND confirmed_at IS NULL RETURNING id",
        )
        .bind(now.timestamp())
        .bind(&grant)
        .bind(i64::from(subscribed))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?;
        let row = sqlx::query(&format!("SELECT {COLUMNS} FROM objections WHERE id = $1"))
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let objection = objection_of(&row)?;
        if done.is_none() {
            // Confirmed by a parallel request in the meantime.
            tx.commit().await?;
            return Ok(Some(Confirmed::Already(objection)));
        }
        let standing = match (&objection.grant_id, objection.subscribed) {
            (Some(g), true) => format!("; active grant {g}; confirmed subscriber"),
            (Some(g), false) => format!("; active grant {g}"),
            (None, true) => "; confirmed subscriber".to_owned(),
            (None, false) => "; no grant or subscription".to_owned(),
        };
        let ev = event(
            ctx,
            EventKind::ObjectionConfirmed,
            &objection,
            &format!("; address confirmed{standing}"),
        );
        append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(Some(Confirmed::New(objection)))
    }

    /// Claims the mails of objection `id` when they are due at `now`: moves `mail_due` to
    /// `now + lease` so that no other sender takes them meanwhile, and returns that time, the
    /// claim to settle with. `None`: not due (sent, not yet due, or claimed by another sender
    /// whose lease holds).
    pub async fn claim_objection_mail(
        &self,
        id: &str,
        now: i64,
        lease: i64,
    ) -> Result<Option<i64>> {
        let until = now + lease;
        let done = sqlx::query(
            "UPDATE objections SET mail_due = $1 \
             WHERE id = $2 AND confirmed_at IS NOT NULL AND mail_due IS NOT NULL AND mail_due <= $3",
        )
        .bind(until)
        .bind(id)
        .bind(now)
        .execute(&self.pool)
        .await?;
        Ok((done.rows_affected() == 1).then_some(until))
    }

    /// Settles mails claimed with `claim` (see [`Store::claim_objection_mail`]): sent (`retry`
    /// `None`: nothing is due any more), or due again at `retry`. A sender whose lease ran out
    /// and whose mails another sender claimed since settles nothing: `false`.
    pub async fn settle_objection_mail(
        &self,
        id: &str,
        claim: i64,
        retry: Option<i64>,
    ) -> Result<bool> {
        let done =
            sqlx::query("UPDATE objections SET mail_due = $1 WHERE id = $2 AND mail_due = $3")
                .bind(retry)
                .bind(id)
                .bind(claim)
                .execute(&self.pool)
                .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Confirmed objections whose mails are due at `now`, oldest first.
    pub async fn objection_mails_due(&self, now: i64) -> Result<Vec<Objection>> {
        let rows = sqlx::query(&format!(
            "SELECT {COLUMNS} FROM objections WHERE confirmed_at IS NOT NULL \
             AND mail_due IS NOT NULL AND mail_due <= $1 ORDER BY received_at, id"
        ))
        .bind(now)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(objection_of).collect()
    }

    /// Confirmed objections, newest first: all, or those to the change `change_id`.
    pub async fn objections(&self, change_id: Option<&str>) -> Result<Vec<Objection>> {
        let rows = match change_id {
            Some(change) => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM objections WHERE confirmed_at IS NOT NULL \
                     AND change_id = $1 ORDER BY received_at DESC, id"
                ))
                .bind(change)
                .fetch_all(&self.pool)
                .await?
            }
            None => {
                sqlx::query(&format!(
                    "SELECT {COLUMNS} FROM objections WHERE confirmed_at IS NOT NULL \
                     ORDER BY received_at DESC, id"
                ))
                .fetch_all(&self.pool)
                .await?
            }
        };
        rows.iter().map(objection_of).collect()
    }
}

/// Objections as CSV (RFC 4180, formulas defused), with a header line; times in UTC (RFC 3339).
pub fn to_csv(list: &[Objection]) -> String {
    use crate::portal::audit::csv_field as field;
    let time = |t: i64| {
        chrono::DateTime::from_timestamp(t, 0)
            .map(|d| d.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .unwrap_or_default()
    };
    let mut out = String::from(
        "id,received_at,confirmed_at,late,change_id,subprocessor,kind,effective,deadline,company,contact,email,lang,grant_id,subscribed,reason\n",
    );
    for o in list {
        out.push_str(&format!(
            "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n",
            field(&o.id),
            time(o.received_at),
            o.confirmed_at.map(time).unwrap_or_default(),
            if o.late { "yes" } else { "no" },
            field(&o.change_id),
            field(&o.subprocessor),
            field(&o.kind),
            field(&o.effective),
            field(&o.deadline),
            field(&o.company),
            field(&o.contact),
            field(&o.email),
            field(&o.lang),
            field(o.grant_id.as_deref().unwrap_or("")),
            if o.subscribed { "yes" } else { "no" },
            field(&o.reason),
        ));
    }
    out
}
