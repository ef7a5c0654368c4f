//! The portal's file area: executed agreements, addressed by id, in a local folder
//! (`<root>/.candor/files/`, or `CANDOR_FILES_DIR`; replicas share it, e.g. as a mounted volume).
//! Never under `public/`. Files are written to a temporary name and renamed into place, so a
//! crash never leaves a half-written agreement under its id; their SHA-256 in the store is checked
//! on every read.

use std::path::{Path, PathBuf};

/// Environment variable naming the file area.
pub const FILES_ENV: &str = "CANDOR_FILES_DIR";

/// Problems with the file area.
#[derive(Debug, thiserror::Error)]
pub enum FileError {
    /// Reading or writing failed.
    #[error("file area {}: {source}", path.display())]
    Io {
        /// Where.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The id is not one of ours.
    #[error("`{0}` is not a file id")]
    BadId(String),
    /// The stored file is not the one recorded.
    #[error("{} does not match its recorded SHA-256 (changed or damaged on disk)", path.display())]
    Corrupt {
        /// The file.
        path: PathBuf,
    },
}

/// The file area.
#[derive(Debug, Clone)]
pub struct Files {
    dir: PathBuf,
}

impl Files {
    /// The area named by `CANDOR_FILES_DIR`, else `<root>/.candor/files`; refused when other
    /// users can read it (it holds signed agreements with personal data).
    pub fn open_default(root: &Path) -> Result<Files, super::private::NotPrivate> {
        let dir = std::env::var_os(FILES_ENV)
            .filter(|d| !d.is_empty())
            .map_or_else(|| root.join(".candor").join("files"), PathBuf::from);
        super::private::check(&dir, "the portal's file area")?;
        Ok(Files { dir })
    }

    /// The area in `dir`.
    pub fn at(dir: &Path) -> Files {
        Files {
            dir: dir.to_owned(),
        }
    }

    fn path(&self, id: &str) -> Result<PathBuf, FileError> {
        if !super::store::valid_id(id) {
            return Err(FileError::BadId(id.to_owned()));
        }
        Ok(self.dir.join("agreements").join(format!("{id}.pdf")))
    }

    /// Stores `bytes` as agreement `id` (atomically; an existing file is never replaced).
    pub fn put(&self, id: &str, bytes: &[u8]) -> Result<PathBuf, FileError> {
        use std::io::Write as _;
        let path = self.path(id)?;
        let io = |path: &Path| {
            let path = path.to_owned();
            move |source| FileError::Io { path, source }
        };
        let dir = path.parent().unwrap_or(&self.dir);
        super::private::create_dir(dir).map_err(|e| FileError::Io {
            path: dir.to_owned(),
            source: std::io::Error::other(e.message),
        })?;
        let tmp = dir.join(format!(".{id}.{}.tmp", std::process::id()));
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let written = options.open(&tmp).and_then(|mut f| {
            f.write_all(bytes)?;
            f.sync_all()
        });
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(io(&tmp)(e));
        }
        // A hard link fails when the target exists: ids are never reused or overwritten.
        let linked = std::fs::hard_link(&tmp, &path);
        let _ = std::fs::remove_file(&tmp);
        linked.map_err(io(&path))?;
        Ok(path)
    }

    /// Agreement `id`, checked against its recorded SHA-256 (hex).
    pub fn get(&self, id: &str, sha256: &str) -> Result<Vec<u8>, FileError> {
        let path = self.path(id)?;
        let bytes = std::fs::read(&path).map_err(|source| FileError::Io {
            path: path.clone(),
            source,
        })?;
        if crate::site::render::assets::sha256_hex(&bytes) != sha256 {
            return Err(FileError::Corrupt { path });
        }
        Ok(bytes)
    }

    /// Removes agreement `id` (a file written for a signing that was then refused).
    pub fn remove(&self, id: &str) {
        if let Ok(path) = self.path(id) {
            let _ = std::fs::remove_file(path);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn files_are_written_once_and_checked_when_read() {
        let dir = tempfile::tempdir().unwrap();
        let files = Files::at(dir.path());
        let id = super::super::store::new_id('a');
        let path = files.put(&id, b"%PDF-1.7 signed").unwrap();
        assert!(path.starts_with(dir.path()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt as _;
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&path), 0o600);
            assert_eq!(mode(path.parent().unwrap()), 0o700);
        }
        let sha = crate::site::render::assets::sha256_hex(b"%PDF-1.7 signed");
        assert_eq!(files.get(&id, &sha).unwrap(), b"%PDF-1.7 signed");
        assert!(files.put(&id, b"other").is_err(), "never overwritten");
        assert_eq!(files.get(&id, &sha).unwrap(), b"%PDF-1.7 signed");
        std::fs::write(&path, b"%PDF-1.7 change").unwrap();
        assert!(matches!(
            files.get(&id, &sha),
            Err(FileError::Corrupt { .. })
        ));
        assert!(matches!(
            files.put("../../etc/passwd", b"x"),
            Err(FileError::BadId(_))
        ));
        let leftovers: Vec<_> = std::fs::read_dir(path.parent().unwrap())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(leftovers.len(), 1, "{leftovers:?}");
    }
}
