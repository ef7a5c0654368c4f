//! Static files: the theme's `static/` plus the site's `static/` (the site wins on equal paths).
//! Style sheets and scripts are fingerprinted (`css/style.3f2a9c1b0d.css`) so that they can be
//! cached forever and a new version is never mixed with an old page.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};
use walkdir::WalkDir;

use crate::error::{Diagnostic, relative_to};

/// A static file to copy into the output.
#[derive(Debug, Clone)]
pub struct StaticFile {
    /// Source file.
    pub source: PathBuf,
    /// Path in the output (fingerprinted for CSS and JS), with `/` separators.
    pub dest: String,
}

/// All static files and the URL of each by its unfingerprinted path.
#[derive(Debug, Default)]
pub struct Assets {
    /// Files to copy.
    pub files: Vec<StaticFile>,
    /// `css/style.css` → `/css/style.3f2a9c1b0d.css` (with the site's URL prefix).
    pub urls: HashMap<String, String>,
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut out = String::with_capacity(64);
    for b in digest {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// Collects static files of the theme and the site.
pub fn collect(root: &Path, theme: &str, url_prefix: &str) -> Result<Assets, Vec<Diagnostic>> {
    let mut by_path: BTreeMap<String, PathBuf> = BTreeMap::new();
    let mut problems = Vec::new();
    for dir in [
        root.join("themes").join(theme).join("static"),
        root.join("static"),
    ] {
        if !dir.is_dir() {
            continue;
        }
        let walker = WalkDir::new(&dir)
            .sort_by_file_name()
            .into_iter()
            .filter_entry(|e| e.depth() == 0 || !is_hidden(&e.file_name().to_string_lossy()));
        for entry in walker {
            match entry {
                Ok(e) if e.file_type().is_file() => {
                    let rel = relative_to(e.path(), &dir)
                        .to_string_lossy()
                        .replace('\\', "/");
                    by_path.insert(rel, e.into_path());
                }
                Ok(_) => {}
                Err(e) => problems.push(Diagnostic::error(
                    e.path().map(|p| relative_to(p, root)),
                    format!("cannot read the static files: {e}"),
                )),
            }
        }
    }
    let mut assets = Assets::default();
    for (rel, source) in by_path {
        let dest = if rel.ends_with(".css") || rel.ends_with(".js") {
            match std::fs::read(&source) {
                Ok(bytes) => fingerprinted(&rel, &sha256_hex(&bytes)[..10]),
                Err(e) => {
                    problems.push(Diagnostic::error(
                        relative_to(&source, root),
                        format!("cannot read the file: {e}"),
                    ));
                    continue;
                }
            }
        } else {
            rel.clone()
        };
        assets.urls.insert(rel, format!("{url_prefix}/{dest}"));
        assets.files.push(StaticFile { source, dest });
    }
    if problems.is_empty() {
        Ok(assets)
    } else {
        Err(problems)
    }
}

/// Dot files (editor and OS litter) are skipped; `.well-known/` is published.
fn is_hidden(name: &str) -> bool {
    name.starts_with('.') && name != ".well-known"
}

/// `css/style.css` + hash → `css/style.<hash>.css`.
fn fingerprinted(rel: &str, hash: &str) -> String {
    match rel.rsplit_once('.') {
        Some((stem, ext)) => format!("{stem}.{hash}.{ext}"),
        None => format!("{rel}.{hash}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_static_overrides_theme_and_css_is_fingerprinted() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for (path, text) in [
            ("themes/t/static/css/style.css", "body{}"),
            ("themes/t/static/logo.svg", "<svg/>"),
            ("static/logo.svg", "<svg id='site'/>"),
        ] {
            std::fs::create_dir_all(root.join(path).parent().unwrap()).unwrap();
            std::fs::write(root.join(path), text).unwrap();
        }
        let assets = collect(root, "t", "/trust").unwrap();
        let hash = &sha256_hex(b"body{}")[..10];
        assert_eq!(
            assets.urls["css/style.css"],
            format!("/trust/css/style.{hash}.css")
        );
        assert_eq!(assets.urls["logo.svg"], "/trust/logo.svg");
        let logo = assets.files.iter().find(|f| f.dest == "logo.svg").unwrap();
        assert!(logo.source.starts_with(root.join("static")));
    }
}
