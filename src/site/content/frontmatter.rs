//! Splitting a Markdown file into its YAML front matter and body, and the typed front matter itself.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The parts of a page file: front matter text, body text, and where each starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Split<'a> {
    /// The YAML between the `---` lines (without them).
    pub yaml: &'a str,
    /// 1-based line of the first YAML line in the file.
    pub yaml_line: usize,
    /// The Markdown after the closing `---` line.
    pub body: &'a str,
    /// 1-based line of the first body line in the file.
    pub body_line: usize,
    /// Byte offset of the body in the file.
    pub body_offset: usize,
}

/// Why a file could not be split.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    #[error("the page has no front matter: the first line must be `---`")]
    Missing,
    /// The opening `---` has no closing `---` line.
    #[error("the front matter is not closed: no second `---` line was found")]
    Unclosed,
}

/// Whether `line` (without its line break) is a `---` delimiter; trailing spaces and `\r` are allowed.
fn is_delimiter(line: &str) -> bool {
    line.trim_end_matches([' ', '\t', '\r']) == "---"
}

/// Splits `source` line by line (no regex, no copy): the first line must be `---` (a UTF-8 byte-order
/// mark before it is allowed), and the next `---` line closes the front matter.
pub fn split(source: &str) -> Result<Split<'_>, SplitError> {
    let start = if source.starts_with('\u{feff}') { 3 } else { 0 };
    let mut lines = source[start..].split_inclusive('\n');
    let first = lines.next().ok_or(SplitError::Missing)?;
    if !is_delimiter(first.trim_end_matches('\n')) {
        return Err(SplitError::Missing);
    }
    let yaml_start = start + first.len();
    let mut offset = yaml_start;
    for (line_no, line) in (2..).zip(lines) {
        if is_delimiter(line.trim_end_matches('\n')) {
            let body_offset = offset + line.len();
            return Ok(Split {
                yaml: &source[yaml_start..offset],
                yaml_line: 2,
                body: &source[body_offset..],
                body_line: line_no + 1,
                body_offset,
            });
        }
        offset += line.len();
    }
    Err(SplitError::Unclosed)
}

/// The order of a section's pages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SortBy {
    /// Weight (pages without one last), then title.
    #[default]
    Weight,
    /// Newest first by `date` (or `updated`), then title; undated pages last.
    Date,
}

/// The front matter of a page, as written by its author.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct FrontMatter {
    /// Page title (required; optional here so that its absence gets a message of our own).
    #[serde(default)]
    pub title: Option<String>,
    /// One-sentence description for the meta description and listings.
    #[serde(default)]
    pub description: Option<String>,
    /// Order within the section (lower first); pages without a weight come last.
    #[serde(default)]
    pub weight: Option<i64>,
    /// Localized last URL segment (e.g. `datenschutz`).
    #[serde(default)]
    pub slug: Option<String>,
    /// Template to render the page with instead of the default.
    #[serde(default)]
    pub template: Option<String>,
    /// Date of the last substantive change (`YYYY-MM-DD`).
    #[serde(default)]
    pub updated: Option<NaiveDate>,
    /// Publication date (`YYYY-MM-DD`), for sections sorted by date (news, advisories).
    #[serde(default)]
    pub date: Option<NaiveDate>,
    /// On a section's page: how many of its pages each listing page shows (overrides the site's
    /// `paginate_by`; `0` lists them all on one page).
    #[serde(default)]
    pub paginate_by: Option<usize>,
    /// On a section's page: the order of its pages (`weight`, the default: weight, then title;
    /// `date`: newest `date` first, falling back to `updated`).
    #[serde(default)]
    pub sort_by: Option<SortBy>,
    /// On a section's page: an Atom feed of the section's pages at `<section URL>feed.xml`, in
    /// each language ([`crate::site::feeds`]).
    #[serde(default)]
    pub feed: Option<bool>,
    /// With `feed`: the feed also carries the changes announced in the subprocessor register
    /// (`content/_data/subprocessors.yaml`), planned ones with their effective date.
    #[serde(default)]
    pub feed_subprocessor_changes: Option<bool>,
    /// Drafts are left out of builds unless `--drafts` is given.
    #[serde(default)]
    pub draft: bool,
    /// Earlier URLs (site paths like `/en/old/`) that redirect here.
    #[serde(default)]
    pub aliases: Vec<String>,
    /// Hash of the source page this translation was made from (see `candor translations`).
    #[serde(default)]
    pub translated_from: Option<String>,
    /// Free data for templates.
    #[serde(default)]
    pub extra: BTreeMap<String, serde_json::Value>,
    /// Makes a bundle a document (versions, files, access); see [`crate::site::documents`].
    #[serde(default)]
    pub document: Option<super::document_meta::DocumentMeta>,
    /// Makes a page under `content/advisories/` a security advisory (CSAF data); read again from
    /// the front matter's text, with positions, by [`crate::site::advisories`].
    #[serde(default, skip_serializing)]
    pub advisory: Option<serde_json::Value>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn splits_front_matter_and_body_with_positions() {
        let src = "---\ntitle: A\nweight: 1\n---\nHello\n";
        let s = split(src).unwrap();
        assert_eq!(s.yaml, "title: A\nweight: 1\n");
        assert_eq!(s.yaml_line, 2);
        assert_eq!(s.body, "Hello\n");
        assert_eq!(s.body_line, 5);
        assert_eq!(&src[s.body_offset..], "Hello\n");
    }

    #[test]
    fn accepts_bom_crlf_and_trailing_spaces() {
        let src = "\u{feff}--- \r\ntitle: A\r\n---\r\nBody";
        let s = split(src).unwrap();
        assert_eq!(s.yaml, "title: A\r\n");
        assert_eq!(s.body, "Body");
        assert_eq!(s.body_line, 4);
    }

    #[test]
    fn reports_missing_and_unclosed_front_matter() {
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("# Title\n---\n"), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: A\n"), Err(SplitError::Unclosed));
        assert_eq!(split("----\ntitle: A\n---\n"), Err(SplitError::Missing));
    }

    #[test]
    fn a_thematic_break_in_the_body_stays_in_the_body() {
        let s = split("---\ntitle: A\n---\nabove\n---\nbelow\n").unwrap();
        assert_eq!(s.body, "above\n---\nbelow\n");
    }

    proptest! {
        #[test]
        fn never_panics_on_any_input(src in "\\PC*") {
            let _ = split(&src);
        }

        #[test]
        fn never_panics_on_delimiter_heavy_input(src in "(---|\r|\n| |a|\u{feff}|ä){0,40}") {
            if let Ok(s) = split(&src) {
                prop_assert!(s.body_offset <= src.len());
                prop_assert!(s.body_line >= 3);
            }
        }

        #[test]
        fn round_trips_yaml_and_body(
            yaml_lines in prop::collection::vec("[a-z]{1,8}: [a-zA-Z0-9 äöü]{0,12}", 0..6),
            body in "[^\u{feff}]{0,200}",
        ) {
            let yaml: String = yaml_lines.iter().map(|l| format!("{l}\n")).collect();
            let src = format!("---\n{yaml}---\n{body}");
            let s = split(&src).unwrap();
            prop_assert_eq!(s.yaml, yaml.as_str());
            prop_assert_eq!(s.body, body.as_str());
            prop_assert_eq!(s.body_line, yaml_lines.len() + 3);
        }
    }
}
