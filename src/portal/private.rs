//! Files only the portal's user may read: the key file, the SQLite store (with its WAL and
//! shared-memory files), the file area and audit checkpoints. Created with mode 0600 (folders
//! 0700); one that other users can read is refused, with the `chmod` that fixes it.

use std::path::Path;

/// Why a path is not private (or cannot be made so).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct NotPrivate {
    /// What is wrong and how to fix it, naming the path.
    pub message: String,
}

/// Creates `dir` (and its parents) when missing; the folders this call creates get mode 0700.
pub fn create_dir(dir: &Path) -> Result<(), NotPrivate> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| NotPrivate {
        message: format!("cannot create {}: {e}", dir.display()),
    })
}

/// Creates the empty file `path` with mode 0600 unless it exists.
pub fn create_file(path: &Path) -> Result<(), NotPrivate> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(NotPrivate {
            message: format!("cannot create {}: {e}", path.display()),
        }),
    }
}

/// Refuses `path` (a file or a folder) when users other than its owner may read or write it;
/// `what` names it in the message ("the portal's store"). A missing path is fine.
pub fn check(path: &Path, what: &str) -> Result<(), NotPrivate> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let Ok(meta) = std::fs::metadata(path) else {
            return Ok(());
        };
        let mode = meta.permissions().mode();
        if mode & 0o077 != 0 {
            let fix = if meta.is_dir() { "700" } else { "600" };
            return Err(NotPrivate {
                message: format!(
                    "{what} {} can be read by other users (mode {:o}); run `chmod {fix} {}`",
                    path.display(),
                    mode & 0o777,
                    path.display()
                ),
            });
        }
    }
    #[cfg(not(unix))]
    let _ = (path, what);
    Ok(())
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt as _;

    fn mode(p: &Path) -> u32 {
        std::fs::metadata(p).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn created_files_and_folders_are_private_and_shared_ones_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let inner = dir.path().join("a/b");
        create_dir(&inner).unwrap();
        assert_eq!(mode(&inner), 0o700);
        assert_eq!(mode(&dir.path().join("a")), 0o700);
        let file = inner.join("store.db");
        create_file(&file).unwrap();
        assert_eq!(mode(&file), 0o600);
        check(&file, "the store").unwrap();
        check(&inner.join("missing"), "the store").unwrap();
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let err = check(&file, "the portal's store").unwrap_err().to_string();
        assert!(
            err.contains("mode 644") && err.contains("chmod 600"),
            "{err}"
        );
        // An existing file is left as it is (and then refused by `check`).
        create_file(&file).unwrap();
        assert_eq!(mode(&file), 0o644);
        std::fs::set_permissions(&inner, std::fs::Permissions::from_mode(0o755)).unwrap();
        assert!(
            check(&inner, "the file area")
                .unwrap_err()
                .to_string()
                .contains("chmod 700")
        );
    }
}
