//! Helpers shared by the integration tests: fixture sites in temp dirs, running the binary, and
//! reading links out of (minified) HTML.
#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use regex::Regex;

pub mod portal;
pub mod postgres;
pub mod python;
pub mod smtp;

/// The repository root (the bundled example site).
pub fn repo() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Copies a folder recursively.
pub fn copy_dir(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let dest = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&dest).unwrap();
        } else {
            std::fs::create_dir_all(dest.parent().unwrap()).unwrap();
            std::fs::copy(entry.path(), &dest).unwrap();
        }
    }
}

/// A fixture site in a temp dir: `tests/fixtures/<name>` plus the repository's theme and UI
/// strings (unless the fixture brings its own), then each overlay folder copied on top.
pub fn fixture(name: &str, overlays: &[&Path]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_dir(&repo().join("tests/fixtures").join(name), dir.path());
    for shared in ["themes", "locales"] {
        if !dir.path().join(shared).exists() {
            copy_dir(&repo().join(shared), &dir.path().join(shared));
        }
    }
    for overlay in overlays {
        copy_dir(overlay, dir.path());
    }
    dir
}

/// The example site copied to a temp dir (so tests never touch the repository's `public/`).
pub fn example_site() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for part in ["site.yaml", "content", "locales", "themes", "static"] {
        let from = repo().join(part);
        if from.is_dir() {
            copy_dir(&from, &dir.path().join(part));
        } else if from.exists() {
            std::fs::copy(&from, dir.path().join(part)).unwrap();
        }
    }
    dir
}

/// Runs the `candor` binary.
pub fn candor(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_candor"))
        .args(args)
        .output()
        .expect("run candor")
}

/// Runs `candor ARGS --root ROOT`: whether it succeeded, stdout, stderr.
pub fn run_in(root: &Path, args: &[&str]) -> (bool, String, String) {
    let mut all: Vec<&str> = args.to_vec();
    all.extend(["--root", root.to_str().unwrap()]);
    let out = candor(&all);
    let (o, e) = text(&out);
    (out.status.success(), o, e)
}

/// Rewrites the text file at `path` with `edit` (a test's change to a copied site).
pub fn edit_file(path: &Path, edit: impl FnOnce(String) -> String) {
    let text = std::fs::read_to_string(path).unwrap();
    std::fs::write(path, edit(text)).unwrap();
}

/// stdout and stderr as text.
pub fn text(output: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Every HTML file under `dir`, relative path → content.
pub fn html_files(dir: &Path) -> BTreeMap<String, String> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.path().extension().is_some_and(|x| x == "html"))
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read_to_string(e.path()).unwrap())
        })
        .collect()
}

/// A page as minify-html writes it when minifying it whole. Builds minify templates once and
/// Markdown bodies once, which leaves the quotes around values that templates insert; this gives
/// tests one spelling of markup to match (`<a href=/en/ hreflang=en>`), whichever way a page was
/// minified. tests/minify.rs checks that both ways show the same.
pub fn as_minified(html: &str) -> String {
    String::from_utf8(candor::site::render::minify(html)).expect("minified HTML is UTF-8")
}

/// Every HTML file under `dir` as [`as_minified`] spells it, relative path → content.
pub fn minified_html_files(dir: &Path) -> BTreeMap<String, String> {
    html_files(dir)
        .into_iter()
        .map(|(path, html)| (path, as_minified(&html)))
        .collect()
}

/// The values of an attribute on every element of a tag name, quoted or not (minified HTML).
pub fn attr_values(html: &str, tag: &str, attr: &str) -> Vec<String> {
    let tag_re = Regex::new(&format!(r"<{tag}\b[^>]*>")).unwrap();
    let attr_re = Regex::new(&format!(
        r#"\s{attr}=(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))"#
    ))
    .unwrap();
    tag_re
        .find_iter(html)
        .filter_map(|m| {
            attr_re.captures(m.as_str()).map(|c| {
                let v = c.get(1).or(c.get(2)).or(c.get(3)).unwrap().as_str();
                v.replace("&amp;", "&")
            })
        })
        .collect()
}

/// The `<link rel=alternate hreflang=… href=…>` pairs of a page.
pub fn alternates(html: &str) -> Vec<(String, String)> {
    let tag_re = Regex::new(r"<link\b[^>]*>").unwrap();
    tag_re
        .find_iter(html)
        .filter_map(|m| {
            let t = m.as_str();
            let lang = attr_values(t, "link", "hreflang").pop()?;
            let href = attr_values(t, "link", "href").pop()?;
            Some((lang, href))
        })
        .collect()
}

/// The output file a root-relative or absolute site URL points to (`/en/x/` → `en/x/index.html`).
pub fn file_for_url(url: &str, base_url: &str) -> Option<String> {
    let path = url.strip_prefix(base_url).unwrap_or(url);
    let path = path.split(['#', '?']).next().unwrap_or("");
    let path = if path.is_empty() {
        ""
    } else {
        path.strip_prefix('/')?
    };
    Some(if path.is_empty() || path.ends_with('/') {
        format!("{path}index.html")
    } else {
        path.to_owned()
    })
}

/// Sets the fixture's `security_txt.expires` to 180 days from now, for tests that run the binary
/// (which checks expiry against the real clock).
pub fn renew_security_txt(site: &Path) {
    let path = site.join("site.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let expires = (chrono::Utc::now() + chrono::Duration::days(180)).format("%Y-%m-%dT00:00:00Z");
    let renewed: Vec<String> = text
        .lines()
        .map(|l| match l.find("expires: ") {
            Some(i) => format!("{}expires: {expires}", &l[..i]),
            None => l.to_owned(),
        })
        .collect();
    std::fs::write(&path, renewed.join("\n") + "\n").unwrap();
}

/// The site's SQLite store opened directly, for tests that read its rows or set them up
/// (`read_only` opens it with `?mode=ro`). Run queries with `rt.block_on(…)` on the returned
/// runtime: `let (rt, mut db) = sqlite(root, true); rt.block_on(q.fetch_all(&mut db))`.
pub fn sqlite(root: &Path, read_only: bool) -> (tokio::runtime::Runtime, sqlx::SqliteConnection) {
    use sqlx::ConnectOptions as _;
    let url = format!(
        "sqlite://{}{}",
        root.join(".candor/portal.db").display(),
        if read_only { "?mode=ro" } else { "" }
    );
    let rt = tokio::runtime::Runtime::new().unwrap();
    let conn = rt
        .block_on(
            url.parse::<sqlx::sqlite::SqliteConnectOptions>()
                .unwrap()
                .busy_timeout(std::time::Duration::from_secs(10))
                .connect(),
        )
        .unwrap_or_else(|e| panic!("{url}: {e}"));
    (rt, conn)
}
