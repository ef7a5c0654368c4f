//! Verifying the whole audit log the way `candor audit verify` and the console's "Verify" do:
//! the keyed chain from its start (or from an authentic prune mark), then every checkpoint
//! found beside it or named, each authenticated and compared with the row it records.

use std::path::{Path, PathBuf};

use super::{Result, Store};
use crate::portal::audit::Verified;
use crate::portal::audit::checkpoint::{self, Checkpoint};
use crate::portal::audit::prune::PruneMark;

/// What a verification of the log found.
#[derive(Debug)]
pub enum LogState {
    /// Every row chains, every checkpoint is authentic and held.
    Intact(Box<LogReport>),
    /// The log was changed: what does not fit.
    Tampered(String),
    /// A checkpoint file cannot be read or is not this log's: which and why.
    BadCheckpoint(String),
}

/// An intact log.
#[derive(Debug)]
pub struct LogReport {
    /// What the chain verification found.
    pub verified: Verified,
    /// The prune mark the chain starts from, when rows were pruned.
    pub pruned: Option<PruneMark>,
    /// The newest checkpoint (file and contents), if any.
    pub newest_checkpoint: Option<(PathBuf, Checkpoint)>,
    /// How many checkpoints were checked.
    pub checkpoints: usize,
}

impl Store {
    /// Verifies the chain and every checkpoint in `dir` and in `named`.
    pub async fn verify_log(&self, dir: &Path, named: &[PathBuf]) -> Result<LogState> {
        let verified = match self.verify_audit().await? {
            Ok(v) => v,
            Err(broken) => return Ok(LogState::Tampered(broken.to_string())),
        };
        let mut checkpoints = match checkpoint::read_dir(dir) {
            Ok(c) => c,
            Err(why) => return Ok(LogState::BadCheckpoint(why)),
        };
        for path in named {
            match checkpoint::read(path) {
                Ok(c) => checkpoints.push(c),
                Err(why) => return Ok(LogState::BadCheckpoint(why)),
            }
        }
        checkpoints.sort_by(|a, b| (a.1.seq, &a.1.created).cmp(&(b.1.seq, &b.1.created)));
        for (path, cp) in &checkpoints {
            if let Err(why) = cp.authenticate(self.audit_keys()) {
                return Ok(LogState::BadCheckpoint(format!(
                    "{} is not an authentic checkpoint of this log: {why}",
                    path.display()
                )));
            }
            let row = self.audit_row(cp.seq).await?;
            if let Err(broken) = cp.check(&verified, row.as_ref()) {
                return Ok(LogState::Tampered(format!("{broken} ({})", path.display())));
            }
        }
        let pruned = if verified.pruned.is_some() {
            self.prune_mark().await?
        } else {
            None
        };
        let count = checkpoints.len();
        Ok(LogState::Intact(Box::new(LogReport {
            verified,
            pruned,
            newest_checkpoint: checkpoints.pop(),
            checkpoints: count,
        })))
    }
}
