//! `candor new` and `candor new-page`: a minimal bilingual site that builds and passes `check`,
//! and new pages with their translation stubs.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use include_dir::{Dir, include_dir};

use crate::site::config::Config;

/// The default theme, built into the binary so that `candor new` works anywhere.
static THEME: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/themes/default");
/// The UI strings of the default theme.
static LOCALES: Dir<'_> = include_dir!("$CARGO_MANIFEST_DIR/locales");

fn write_new(path: &Path, contents: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| format!("cannot create {}: {e}", path.display()))?;
    std::io::Write::write_all(&mut file, contents)
        .map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn extract(dir: &Dir<'_>, to: &Path) -> Result<(), String> {
    for file in dir.files() {
        write_new(&to.join(file.path()), file.contents())?;
    }
    for sub in dir.dirs() {
        extract(sub, to)?;
    }
    Ok(())
}

/// Creates a new site in `dir` (which must not exist or be empty); returns the files written.
pub fn new_site(dir: &Path, today: NaiveDate) -> Result<Vec<PathBuf>, String> {
    if dir.exists()
        && std::fs::read_dir(dir)
            .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
            .next()
            .is_some()
    {
        return Err(format!(
            "{} exists and is not empty; choose a new folder",
            dir.display()
        ));
    }
    let expires = today + chrono::Duration::days(300);
    let files: Vec<(&str, String)> = vec![
        (
            "site.yaml",
            format!(
                "# Candor site configuration; every key is described in Candor's README.\n\
                 title: {{en: Trust Center, de: Trust Center}}\n\
                 description:\n  en: How we protect your data.\n  de: Wie wir Ihre Daten schützen.\n\
                 base_url: https://trust.example.com\n\
                 languages: [en, de]\n\
                 theme: default\n\
                 company: {{name: Example GmbH, address: [Musterstraße 1, 10115 Berlin, Germany]}}\n\
                 contacts:\n  security: security@example.com\n  privacy: privacy@example.com\n\
                 security_txt:\n  # RFC 9116: renew at least once a year (`candor check` reminds you).\n  \
                 expires: {expires}T00:00:00Z\n  policy: \"@/vulnerability-disclosure.md\"\n"
            ),
        ),
        (
            "content/_index.md",
            format!(
                "---\ntitle: Trust Center\ndescription: How we protect your data.\nupdated: {today}\n---\nWelcome to our trust center.\n"
            ),
        ),
        (
            "content/_index.de.md",
            format!(
                "---\ntitle: Trust Center\ndescription: Wie wir Ihre Daten schützen.\nupdated: {today}\n---\nWillkommen in unserem Trust Center.\n"
            ),
        ),
        (
            "content/vulnerability-disclosure.md",
            format!(
                "---\ntitle: Vulnerability disclosure policy\ndescription: How to report a security vulnerability to us.\nweight: 10\nupdated: {today}\n---\nPlease report vulnerabilities to security@example.com.\n\n## Scope\n\n## What we promise\n"
            ),
        ),
        (
            "content/vulnerability-disclosure.de.md",
            format!(
                "---\ntitle: Richtlinie zur Meldung von Schwachstellen\ndescription: Wie Sie uns eine Sicherheitslücke melden.\nslug: schwachstellen-melden\nweight: 10\nupdated: {today}\n---\nBitte melden Sie Schwachstellen an security@example.com.\n\n## Geltungsbereich\n\n## Unsere Zusagen\n"
            ),
        ),
        (".gitignore", "public/\n.candor/\n".to_owned()),
    ];
    let mut written = Vec::new();
    for (path, text) in files {
        write_new(&dir.join(path), text.as_bytes())?;
        written.push(dir.join(path));
    }
    extract(&LOCALES, &dir.join("locales"))?;
    extract(&THEME, &dir.join("themes").join("default"))?;
    written.push(dir.join("locales"));
    written.push(dir.join("themes/default"));
    Ok(written)
}

/// `security/encryption` → `Encryption`; `data-centers` → `Data centers`.
fn title_from(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().collect::<String>() + chars.as_str(),
        None => String::new(),
    }
}

/// Creates the page `path` (under `content/`, with or without `.md`) in each of `languages`;
/// returns the files written.
pub fn new_page(
    root: &Path,
    config: &Config,
    path: &str,
    languages: &[String],
    today: NaiveDate,
) -> Result<Vec<PathBuf>, String> {
    let rel = path
        .trim_start_matches("./")
        .trim_start_matches("content/")
        .trim_end_matches(".md");
    if rel.is_empty() || rel.contains("..") || rel.starts_with('/') {
        return Err(format!(
            "`{path}` is not a page path like security/encryption"
        ));
    }
    let (folder, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    if !crate::site::content::valid_slug(name) && name != "_index" {
        return Err(format!(
            "`{name}` cannot be used in a URL: use lower-case letters, digits and hyphens"
        ));
    }
    let content = root.join(crate::site::content::CONTENT_DIR);
    if !folder.is_empty() && name != "_index" && !content.join(folder).join("_index.md").exists() {
        return Err(format!(
            "the folder content/{folder} has no _index.md; create it first with `candor new-page {folder}/_index`"
        ));
    }
    for lang in languages {
        if !config.has_language(lang) {
            return Err(format!(
                "`{lang}` is not one of the site's languages ({})",
                config.languages.join(", ")
            ));
        }
    }
    let default = config.default_language();
    let file_for = |lang: &str| {
        let file = if lang == default {
            format!("{name}.md")
        } else {
            format!("{name}.{lang}.md")
        };
        content.join(folder).join(file)
    };
    for lang in languages {
        if file_for(lang).exists() {
            return Err(format!("{} exists already", file_for(lang).display()));
        }
    }
    let title = title_from(if name == "_index" {
        folder.rsplit('/').next().unwrap_or(folder)
    } else {
        name
    });
    let source = crate::error::relative_to(&file_for(default), root);
    let mut written = Vec::new();
    for lang in languages {
        let mut front = format!("---\ntitle: \"{title}\"\ndescription: \"\"\n");
        if lang != default {
            front.push_str(&format!(
                "slug: {}\n",
                if name == "_index" {
                    folder.rsplit('/').next().unwrap_or(folder)
                } else {
                    name
                }
            ));
        }
        front.push_str(&format!("updated: {today}\n---\n"));
        let body = if lang == default {
            "Write the page here. Headings start with `## `.\n".to_owned()
        } else {
            format!(
                "<!-- Translate {} into `{lang}`, give the page a title and slug in `{lang}`, then run:\n     candor translations --mark-current {} -->\n",
                source.display(),
                crate::error::relative_to(&file_for(lang), root).display()
            )
        };
        write_new(&file_for(lang), format!("{front}{body}").as_bytes())?;
        written.push(file_for(lang));
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_come_from_file_names() {
        assert_eq!(title_from("data-centers"), "Data centers");
        assert_eq!(title_from("gdpr"), "Gdpr");
    }
}
