//! The built site as a list of files, and writing it to disk atomically: everything goes into a
//! temporary folder beside the output, which is then swapped into place. A failed build leaves the
//! previous output untouched, and files of deleted pages do not linger.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rayon::prelude::*;

use crate::error::BuildError;

/// The marker file that says a folder was written by Candor (and may be replaced by it).
pub const MARKER: &str = ".candor-output";

/// What a file's bytes are.
#[derive(Debug, Clone)]
pub enum Data {
    /// Generated in memory.
    Bytes(Vec<u8>),
    /// Copied from a source file.
    Copy(PathBuf),
}

/// One file of the built site.
#[derive(Debug, Clone)]
pub struct OutputFile {
    /// Path relative to the output folder, with `/` separators.
    pub path: String,
    /// Its content.
    pub data: Data,
}

impl OutputFile {
    /// A generated file.
    pub fn bytes(path: String, bytes: Vec<u8>) -> Self {
        OutputFile {
            path,
            data: Data::Bytes(bytes),
        }
    }

    /// A copied file.
    pub fn copy(path: String, source: PathBuf) -> Self {
        OutputFile {
            path,
            data: Data::Copy(source),
        }
    }

    /// The bytes of a generated file (`None` for copies).
    pub fn as_bytes(&self) -> Option<&[u8]> {
        match &self.data {
            Data::Bytes(b) => Some(b),
            Data::Copy(_) => None,
        }
    }
}

fn write_error(path: &Path, source: std::io::Error) -> BuildError {
    BuildError::Write {
        path: path.to_path_buf(),
        source,
    }
}

/// Writes `files` into `output`, replacing what was there only once everything is written.
///
/// Refuses to replace a non-empty folder that Candor did not create (no marker file), so that a
/// mistyped `--output` cannot delete someone's files.
pub fn write_atomically(output: &Path, files: &[OutputFile]) -> Result<(), BuildError> {
    let staging = Staging::new(output)?;
    files.par_iter().for_each(|f| staging.write(f));
    staging.commit()
}

/// An output folder being written: files go into a temporary folder beside it as they are made
/// (so that a build need not hold the whole site in memory), and [`Staging::commit`] swaps that
/// folder into place. Dropped without a commit (a failed build), it removes the temporary folder
/// and the previous output stays as it was.
#[derive(Debug)]
pub struct Staging {
    output: PathBuf,
    parent: PathBuf,
    name: String,
    tmp: PathBuf,
    /// Folders created so far, relative to `tmp`.
    dirs: Mutex<HashSet<PathBuf>>,
    /// The first write that failed; [`Staging::commit`] reports it.
    error: Mutex<Option<BuildError>>,
    written: AtomicUsize,
    committed: bool,
}

impl Staging {
    /// Prepares to replace `output`: checks that it is Candor's (or empty, or missing) and
    /// creates the temporary folder.
    pub fn new(output: &Path) -> Result<Self, BuildError> {
        let parent = output
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        let name = output
            .file_name()
            .ok_or_else(|| {
                write_error(
                    output,
                    std::io::Error::other("the output path has no folder name"),
                )
            })?
            .to_string_lossy()
            .into_owned();
        if output.exists() {
            let foreign = !output.join(MARKER).exists()
                && std::fs::read_dir(output)
                    .map_err(|e| write_error(output, e))?
                    .next()
                    .is_some();
            if foreign {
                return Err(write_error(
                    output,
                    std::io::Error::other(
                        "the folder exists and was not written by candor; refusing to replace \
                         it (choose another --output, or remove the folder yourself)",
                    ),
                ));
            }
        }
        std::fs::create_dir_all(parent).map_err(|e| write_error(parent, e))?;
        let tmp = parent.join(format!(".{name}.tmp-{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(|e| write_error(&tmp, e))?;
        }
        std::fs::create_dir(&tmp).map_err(|e| write_error(&tmp, e))?;
        Ok(Staging {
            output: output.to_owned(),
            parent: parent.to_owned(),
            name,
            tmp,
            dirs: Mutex::new(HashSet::new()),
            error: Mutex::new(None),
            written: AtomicUsize::new(0),
            committed: false,
        })
    }

    /// Writes one file (from any thread). A failure is kept for [`Staging::commit`]; after one,
    /// further files are not written.
    pub fn write(&self, file: &OutputFile) {
        if self.failed() {
            return;
        }
        if let Err(e) = self.try_write(file) {
            self.error
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .get_or_insert(e);
        }
    }

    fn failed(&self) -> bool {
        self.error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .is_some()
    }

    fn try_write(&self, file: &OutputFile) -> Result<(), BuildError> {
        let dest = self.tmp.join(&file.path);
        if let Some(dir) = Path::new(&file.path)
            .parent()
            .filter(|d| !d.as_os_str().is_empty())
        {
            let known = self
                .dirs
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .contains(dir);
            if !known {
                let full = self.tmp.join(dir);
                std::fs::create_dir_all(&full).map_err(|e| write_error(&full, e))?;
                self.dirs
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .insert(dir.to_owned());
            }
        }
        match &file.data {
            Data::Bytes(bytes) => std::fs::write(&dest, bytes).map_err(|e| write_error(&dest, e)),
            Data::Copy(source) => std::fs::copy(source, &dest)
                .map(|_| ())
                .map_err(|e| write_error(source, e)),
        }?;
        self.written.fetch_add(1, Ordering::Relaxed);
        Ok(())
    }

    /// Number of files written so far.
    pub fn written(&self) -> usize {
        self.written.load(Ordering::Relaxed)
    }

    /// Reports the first failed write, or writes the marker and swaps the folder into place.
    pub fn commit(mut self) -> Result<(), BuildError> {
        if let Some(e) = self
            .error
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take()
        {
            return Err(e);
        }
        let marker = self.tmp.join(MARKER);
        std::fs::write(
            &marker,
            "This folder is generated by candor build; edits are overwritten.\n",
        )
        .map_err(|e| write_error(&marker, e))?;
        swap(&self.tmp, &self.output, &self.parent, &self.name)?;
        self.committed = true;
        Ok(())
    }
}

impl Drop for Staging {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
        }
    }
}

fn swap(tmp: &Path, output: &Path, parent: &Path, name: &str) -> Result<(), BuildError> {
    if output.exists() {
        let old = parent.join(format!(".{name}.old-{}", std::process::id()));
        std::fs::rename(output, &old).map_err(|e| write_error(output, e))?;
        if let Err(e) = std::fs::rename(tmp, output) {
            // Put the previous output back; the build failed but nothing is lost.
            let _ = std::fs::rename(&old, output);
            return Err(write_error(output, e));
        }
        let _ = std::fs::remove_dir_all(&old);
    } else {
        std::fs::rename(tmp, output).map_err(|e| write_error(output, e))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir` (the output and anything left beside it).
    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect()
    }

    #[test]
    fn replaces_previous_output_and_removes_stale_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            &[OutputFile::bytes("a/old.html".into(), b"old".to_vec())],
        )
        .unwrap();
        assert!(out.join("a/old.html").exists());
        write_atomically(
            &out,
            &[OutputFile::bytes("b/c/new.html".into(), b"new".to_vec())],
        )
        .unwrap();
        assert!(
            !out.join("a/old.html").exists(),
            "files of deleted pages must not linger"
        );
        assert_eq!(std::fs::read(out.join("b/c/new.html")).unwrap(), b"new");
        // No temporary folders are left beside the output.
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn refuses_to_replace_a_folder_it_did_not_write() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("docs");
        std::fs::create_dir(&out).unwrap();
        std::fs::write(out.join("precious.txt"), "keep me").unwrap();
        let err =
            write_atomically(&out, &[OutputFile::bytes("x.html".into(), vec![])]).unwrap_err();
        assert!(err.to_string().contains("not written by candor"), "{err}");
        assert_eq!(
            std::fs::read_to_string(out.join("precious.txt")).unwrap(),
            "keep me"
        );
    }

    #[test]
    fn a_build_that_stops_before_its_commit_leaves_the_previous_output_and_no_temp_folder() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            &[OutputFile::bytes("index.html".into(), b"v1".to_vec())],
        )
        .unwrap();
        {
            let staging = Staging::new(&out).unwrap();
            staging.write(&OutputFile::bytes("index.html".into(), b"v2".to_vec()));
            staging.write(&OutputFile::bytes("a/b/new.html".into(), b"new".to_vec()));
            assert_eq!(staging.written(), 2);
            // Dropped here, as when the build finds an error after writing some pages.
        }
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"v1");
        assert!(!out.join("a").exists());
        assert_eq!(names(dir.path()), ["public"]);
    }

    #[test]
    fn a_failed_write_fails_the_commit() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        let staging = Staging::new(&out).unwrap();
        staging.write(&OutputFile::copy(
            "x.pdf".into(),
            dir.path().join("missing.pdf"),
        ));
        staging.write(&OutputFile::bytes("index.html".into(), b"v1".to_vec()));
        let err = staging.commit().unwrap_err();
        assert!(err.to_string().contains("missing.pdf"), "{err}");
        assert!(!out.exists(), "nothing is swapped in");
    }

    #[test]
    fn a_failing_write_leaves_the_previous_output() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("public");
        write_atomically(
            &out,
            &[OutputFile::bytes("index.html".into(), b"v1".to_vec())],
        )
        .unwrap();
        let missing = dir.path().join("no-such-file");
        let err = write_atomically(&out, &[OutputFile::copy("index.html".into(), missing)]);
        assert!(err.is_err());
        assert_eq!(std::fs::read(out.join("index.html")).unwrap(), b"v1");
    }
}
