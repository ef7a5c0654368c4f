//! What the portal does on its own, in the background: sending objection mails whose first
//! delivery failed, expiring requests left too long, deleting subscriptions and objections
//! left unconfirmed past their link's lifetime, and
//! exporting checkpoints of the audit log (see [`crate::portal::audit::checkpoint`]).

use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context as _;
use chrono::Utc;

use super::app::Portal;
use super::audit::checkpoint::{self, Checkpoint};

/// What writing a checkpoint did.
#[derive(Debug)]
pub enum Written {
    /// A new checkpoint file (and where its copy was mailed, if anywhere).
    New {
        /// The file.
        path: PathBuf,
        /// Its contents.
        checkpoint: Checkpoint,
        /// The address that received a copy.
        mailed_to: Option<String>,
    },
    /// The log has not grown since this checkpoint.
    Unchanged(Checkpoint),
    /// The log is empty: there is nothing to hold on to yet.
    Empty,
}

impl Portal {
    /// The folder audit checkpoints are written to.
    pub fn checkpoint_dir(&self) -> PathBuf {
        self.catalogue().root.join(&self.settings.checkpoint_dir)
    }

    /// Exports a checkpoint of the audit log's head, unless the newest checkpoint already
    /// records it: verifies the chain first (a broken log is never certified), writes the
    /// checkpoint (with a CMS signature by the agreement key, when the portal has one) and mails
    /// a copy to `portal.audit.mail_to`.
    pub async fn write_checkpoint(&self) -> anyhow::Result<Written> {
        let verified = match self.store.verify_audit().await? {
            Ok(v) => v,
            Err(broken) => {
                anyhow::bail!("the audit log does not verify ({broken}); no checkpoint was written")
            }
        };
        if verified.rows == 0 {
            return Ok(Written::Empty);
        }
        let dir = self.checkpoint_dir();
        let existing = checkpoint::read_dir(&dir).map_err(anyhow::Error::msg)?;
        if let Some((path, newest)) = existing.last() {
            // The log must still hold the last checkpoint: a truncated or rewritten log is
            // reported, never certified by a new checkpoint of its tampered head.
            newest
                .authenticate(self.store.audit_keys())
                .map_err(|why| {
                    anyhow::anyhow!("{} is not an authentic checkpoint: {why}", path.display())
                })?;
            let row = self.store.audit_row(newest.seq).await?;
            if let Err(broken) = newest.check(&verified, row.as_ref()) {
                anyhow::bail!(
                    "the audit log was tampered with: {broken} ({}); no checkpoint was written",
                    path.display()
                );
            }
            if (newest.seq, &newest.hash) == (verified.head.0, &verified.head.1) {
                return Ok(Written::Unchanged(newest.clone()));
            }
        }
        let row_at = self.store.audit_row(verified.head.0).await?.map(|r| r.at);
        let cp = Checkpoint::new(
            &self.settings.site_url,
            verified.head.0,
            &verified.head.1,
            row_at.as_deref(),
            Utc::now(),
            self.store.audit_keys(),
        );
        let json = cp.to_json();
        let signature = match &self.signer {
            Some(s) => Some(
                s.sign_detached(json.as_bytes())
                    .context("cannot sign the checkpoint")?,
            ),
            None => None,
        };
        let path =
            checkpoint::write(&dir, &cp, signature.as_deref()).map_err(anyhow::Error::msg)?;
        let mailed_to = match &self.settings.checkpoint_mail {
            Some(to) => {
                self.mail_checkpoint(to, &cp, json, signature)
                    .await
                    .with_context(|| {
                        format!(
                            "the checkpoint {} was written, but not mailed",
                            path.display()
                        )
                    })?;
                Some(to.clone())
            }
            None => None,
        };
        Ok(Written::New {
            path,
            checkpoint: cp,
            mailed_to,
        })
    }

    /// Deletes the audit rows written before `cutoff` (retention; see
    /// [`crate::portal::audit::prune`]) and exports the prune mark beside the checkpoints, signed
    /// like them, and mailed to `portal.audit.mail_to`. `None`: no row is that old.
    pub async fn prune_audit(
        &self,
        cutoff: chrono::DateTime<Utc>,
        by: &str,
        ctx: &super::audit::Event,
    ) -> anyhow::Result<Option<(super::store::prune::Pruned, PathBuf)>> {
        let Some(pruned) = self
            .store
            .prune_audit(&self.settings.site_url, cutoff, by, ctx)
            .await?
        else {
            return Ok(None);
        };
        let json = pruned.mark.to_json();
        let signature = match &self.signer {
            Some(s) => Some(
                s.sign_detached(json.as_bytes())
                    .context("cannot sign the prune checkpoint")?,
            ),
            None => None,
        };
        let path = checkpoint::write_json(
            &self.checkpoint_dir(),
            &pruned.mark.file_stem(),
            &json,
            signature.as_deref(),
        )
        .map_err(anyhow::Error::msg)
        .context("the rows were pruned and the mark is in the store, but its file copy failed")?;
        if let Some(to) = &self.settings.checkpoint_mail {
            let name = format!("{}.json", pruned.mark.file_stem());
            let mut files = vec![(name.clone(), "application/json", json.into_bytes())];
            if let Some(sig) = signature {
                files.push((format!("{name}.p7s"), "application/pkcs7-signature", sig));
            }
            let body = format!(
                "Audit log pruned: {site}\n\n\
                 {n} rows written before {day} were deleted (up to row {seq}). The log now starts at\n\
                 row {next}; `candor audit verify` proves it intact from there, and this mark\n\
                 records the hash of the last deleted row. Keep this mail.\n",
                site = self.settings.site_url,
                n = pruned.mark.deleted,
                day = pruned.mark.cutoff_day(),
                seq = pruned.mark.seq,
                next = pruned.mark.seq + 1,
            );
            self.mailer
                .send_with_attachments(
                    to,
                    &format!("Audit log pruned before {}", pruned.mark.cutoff_day()),
                    &body,
                    files,
                )
                .await
                .with_context(|| {
                    format!(
                        "the prune mark {} was written, but not mailed",
                        path.display()
                    )
                })?;
        }
        Ok(Some((pruned, path)))
    }

    async fn mail_checkpoint(
        &self,
        to: &str,
        cp: &Checkpoint,
        json: String,
        signature: Option<Vec<u8>>,
    ) -> Result<(), super::mail::MailError> {
        let name = format!("{}.json", cp.file_stem());
        let mut files = vec![(name.clone(), "application/json", json.into_bytes())];
        if let Some(sig) = signature {
            files.push((format!("{name}.p7s"), "application/pkcs7-signature", sig));
        }
        let body = format!(
            "Audit checkpoint of {site}\n\n\
             Row {seq} was the newest row of the portal's audit log on {date}.\n\
             Keep this mail: `candor audit verify --checkpoint {name}` proves that the log still\n\
             holds every row up to it. A log that ends earlier, or differs at row {seq}, was\n\
             tampered with.\n",
            site = self.settings.site_url,
            seq = cp.seq,
            date = cp.created_display(),
        );
        self.mailer
            .send_with_attachments(
                to,
                &format!(
                    "Audit checkpoint: row {} ({})",
                    cp.seq,
                    cp.created_display()
                ),
                &body,
                files,
            )
            .await
    }

    /// Deletes subscriptions left unconfirmed longer than their confirmation link works
    /// (`confirm_hours`); returns how many.
    pub async fn expire_subscriptions(&self) -> anyhow::Result<usize> {
        let cutoff = Utc::now().timestamp() - i64::from(self.settings.confirm_hours) * 3600;
        let n = self.store.expire_subscriptions(cutoff).await?;
        if n > 0 {
            eprintln!("portal: {n} unconfirmed subscriptions expired and were deleted");
        }
        Ok(n)
    }

    /// Sends the mails of confirmed objections that are due (their first delivery failed, or
    /// its sender crashed): how many were sent now.
    pub async fn deliver_objection_mails(&self) -> anyhow::Result<usize> {
        let due = self
            .store
            .objection_mails_due(Utc::now().timestamp())
            .await?;
        let cat = self.catalogue();
        let mut sent = 0;
        for o in &due {
            if super::objection::deliver(self, &cat, o).await {
                sent += 1;
            }
        }
        Ok(sent)
    }

    /// Runs in the background: sends objection mails that are due (every five minutes),
    /// expires requests left too long and subscriptions left unconfirmed (every hour) and
    /// writes an audit checkpoint every `portal.audit.checkpoint_hours` (and once at start when
    /// the log grew since the last one). Everything runs once at start.
    pub fn spawn_housekeeping(self: &Arc<Self>) {
        let portal = Arc::clone(self);
        tokio::spawn(async move {
            const TICKS_AN_HOUR: u32 = 12;
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(300));
            let mut ticks = 0u32;
            let mut hours = 0u32;
            loop {
                tick.tick().await;
                match portal.deliver_objection_mails().await {
                    Ok(0) => {}
                    Ok(n) => eprintln!("portal: sent the mails of {n} objections that were due"),
                    Err(e) => eprintln!("portal: sending due objection mails failed: {e}"),
                }
                let hourly = ticks.is_multiple_of(TICKS_AN_HOUR);
                ticks = ticks.wrapping_add(1);
                if !hourly {
                    continue;
                }
                let cutoff =
                    Utc::now().timestamp() - i64::from(portal.settings.request_days) * 86_400;
                if let Err(e) = portal.store.expire_requests(cutoff).await {
                    eprintln!("portal: expiring old requests failed: {e}");
                }
                // Objections never confirmed: their links have expired; nothing of them stays.
                let stale =
                    Utc::now().timestamp() - i64::from(portal.settings.confirm_hours) * 3600;
                if let Err(e) = portal.store.delete_unconfirmed_objections(stale).await {
                    eprintln!("portal: deleting unconfirmed objections failed: {e}");
                }
                if let Err(e) = portal.expire_subscriptions().await {
                    eprintln!("portal: expiring unconfirmed subscriptions failed: {e}");
                }
                let every = portal.settings.checkpoint_hours;
                if every > 0 && hours.is_multiple_of(every) {
                    match portal.write_checkpoint().await {
                        Ok(Written::New { path, .. }) => {
                            eprintln!("portal: audit checkpoint written to {}", path.display());
                        }
                        Ok(Written::Unchanged(_) | Written::Empty) => {}
                        Err(e) => eprintln!("portal: ALERT: audit checkpoint failed: {e:#}"),
                    }
                }
                hours = hours.wrapping_add(1);
            }
        });
    }
}
