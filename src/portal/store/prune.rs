//! Retention of the audit log: deleting old rows under an authenticated prune mark (see
//! [`crate::portal::audit::prune`]), and reading the mark the chain now starts from.

use chrono::{DateTime, Utc};
use sqlx::Row as _;

use super::{Result, Store, StoreError, append};
use crate::portal::audit::prune::PruneMark;
use crate::portal::audit::{Event, EventKind};

/// What a prune did.
#[derive(Debug, Clone)]
pub struct Pruned {
    /// The new start of the log.
    pub mark: PruneMark,
    /// The sequence number of the audit row that records the prune.
    pub recorded_at_seq: i64,
}

impl Store {
    /// The newest prune mark (where the chain starts), if rows were ever pruned.
    pub async fn prune_mark(&self) -> Result<Option<PruneMark>> {
        let row = sqlx::query(
            "SELECT seq, hash, deleted, cutoff, pruned_at, key_id, mac, site FROM audit_prunes \
             ORDER BY seq DESC LIMIT 1",
        )
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(PruneMark {
                format: crate::portal::audit::prune::FORMAT.to_owned(),
                site: r.try_get("site")?,
                seq: r.try_get("seq")?,
                hash: r.try_get("hash")?,
                deleted: r.try_get("deleted")?,
                cutoff: r.try_get("cutoff")?,
                pruned_at: r.try_get("pruned_at")?,
                key_id: r.try_get("key_id")?,
                mac: r.try_get("mac")?,
            })
        })
        .transpose()
    }

    /// Deletes the audit rows written before `cutoff`, after checking that the whole log
    /// verifies (a broken log is evidence and is never pruned). Records an authenticated prune
    /// mark and an `audit_pruned` row naming `by`, in one transaction. `None`: no row is that old.
    pub async fn prune_audit(
        &self,
        site: &str,
        cutoff: DateTime<Utc>,
        by: &str,
        ctx: &Event,
    ) -> Result<Option<Pruned>> {
        if let Err(broken) = self.verify_audit().await? {
            return Err(StoreError::Conflict(format!(
                "the audit log does not verify ({broken}); nothing was pruned: a broken log is kept as evidence"
            )));
        }
        let cut = super::rfc3339_millis(cutoff);
        let now = Utc::now();
        let mut tx = self.pool.begin().await?;
        // The head row is locked first, as every append does: no row is added meanwhile.
        let head = sqlx::query("UPDATE audit_head SET seq = seq WHERE id = 1 RETURNING seq")
            .fetch_one(&mut *tx)
            .await?;
        let head_seq: i64 = head.try_get("seq")?;
        let last =
            sqlx::query("SELECT seq, hash FROM audit WHERE at < $1 ORDER BY seq DESC LIMIT 1")
                .bind(&cut)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(last) = last else {
            return Ok(None);
        };
        let seq: i64 = last.try_get("seq")?;
        let hash: String = last.try_get("hash")?;
        debug_assert!(seq <= head_seq);
        let deleted = sqlx::query("DELETE FROM audit WHERE seq <= $1")
            .bind(seq)
            .execute(&mut *tx)
            .await?
            .rows_affected() as i64;
        let mark = PruneMark::new(site, seq, &hash, deleted, cutoff, now, &self.keys);
        sqlx::query(
            "INSERT INTO audit_prunes (seq, hash, deleted, cutoff, pruned_at, key_id, mac, site) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(mark.seq)
        .bind(&mark.hash)
        .bind(mark.deleted)
        .bind(&mark.cutoff)
        .bind(&mark.pruned_at)
        .bind(&mark.key_id)
        .bind(&mark.mac)
        .bind(&mark.site)
        .execute(&mut *tx)
        .await?;
        let mut ev = ctx.clone();
        ev.event = EventKind::AuditPruned.as_str();
        ev.email = Some(by.to_owned());
        ev.detail = Some(format!(
            "by {by}; {deleted} rows up to row {seq} written before {} deleted; prune checkpoint hash {hash}",
            mark.cutoff
        ));
        let row = append(&mut tx, &self.keys, &ev, now).await?;
        tx.commit().await?;
        Ok(Some(Pruned {
            mark,
            recorded_at_seq: row.seq,
        }))
    }
}
