//! Diagnostics: every problem Candor reports, with the file, line and column it comes from and a hint
//! that says what to do about it.
//!
//! The generator never stops at the first problem: it collects all diagnostics of a run and prints
//! them together, compiler style (`content/privacy/gdpr.md:3:1: error: …`).

use std::fmt;
use std::path::{Path, PathBuf};

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The build cannot produce a correct site; nothing is written.
    Error,
    /// Worth fixing; fails `candor check --strict` only.
    Warning,
}

/// One problem found in the site's sources.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// File the problem is in, relative to the site root where possible.
    pub path: Option<PathBuf>,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// What is wrong, in plain words.
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Diagnostic {
    /// A new error about `path` (no position yet).
    pub fn error(path: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            path: path.into(),
            line: None,
            column: None,
            message: message.into(),
            hint: None,
        }
    }

    /// A new warning about `path` (no position yet).
    pub fn warning(path: impl Into<Option<PathBuf>>, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(path, message)
        }
    }

    /// Sets the 1-based line.
    pub fn at_line(mut self, line: usize) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the 1-based line and column.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Adds a hint saying how to fix the problem.
    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// Whether this diagnostic fails a build.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(path) = &self.path {
            write!(f, "{}", path.display())?;
            if let Some(line) = self.line {
                write!(f, ":{line}")?;
                if let Some(column) = self.column {
                    write!(f, ":{column}")?;
                }
            }
            f.write_str(": ")?;
        }
        let label = match self.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
        };
        write!(f, "{label}: {}", self.message)?;
        if let Some(hint) = &self.hint {
            write!(f, "\n  hint: {hint}")?;
        }
        Ok(())
    }
}

/// Sorts diagnostics the way a reader wants them: by file, then position, errors before warnings.
pub fn sort(diagnostics: &mut [Diagnostic]) {
    diagnostics.sort_by(|a, b| {
        (&a.path, a.line, a.column, a.severity, &a.message)
            .cmp(&(&b.path, b.line, b.column, b.severity, &b.message))
    });
}

/// A failed build: every diagnostic found, at least one of them an error.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    /// The sources have problems; nothing was written.
    #[error("{}", render_failure(.0))]
    Invalid(Vec<Diagnostic>),
    /// Writing the output failed; the previous output is left in place.
    #[error("could not write the site to {path}: {source}")]
    Write {
        /// The directory or file that could not be written.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}

fn render_failure(diagnostics: &[Diagnostic]) -> String {
    let errors = diagnostics.iter().filter(|d| d.is_error()).count();
    format!(
        "the site has {errors} error{}; nothing was written",
        if errors == 1 { "" } else { "s" }
    )
}

/// Shows `path` relative to `root` when it is inside it (messages name `content/x.md`, not `/home/…`).
pub fn relative_to(path: &Path, root: &Path) -> PathBuf {
    path.strip_prefix(root).unwrap_or(path).to_path_buf()
}

/// Converts a 0-based byte offset in `text` into a 1-based (line, column) pair; the column counts
/// characters, not bytes, so that editors land on the right spot in German text.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = text[line_start..offset].chars().count() + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_file_line_column_and_hint() {
        let d = Diagnostic::error(PathBuf::from("content/a.md"), "the title is missing")
            .at(3, 1)
            .with_hint("add `title: …`");
        assert_eq!(
            d.to_string(),
            "content/a.md:3:1: error: the title is missing\n  hint: add `title: …`"
        );
    }

    #[test]
    fn line_col_handles_crlf_the_end_of_the_text_and_empty_text() {
        let text = "Größe\n\nzwei Zeilen\r\nä\n";
        assert_eq!(line_col(text, text.find("zwei").unwrap()), (3, 1));
        assert_eq!(line_col(text, text.find('ä').unwrap() + 1), (4, 1));
        assert_eq!(line_col(text, text.len()), (5, 1));
        assert_eq!(line_col(text, text.len() + 2), (5, 1));
        assert_eq!(line_col("", 0), (1, 1));
    }

    #[test]
    fn line_col_counts_characters_not_bytes() {
        let text = "ä\nüb x";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 3), (2, 1));
        // "üb " is 4 bytes; x is the 4th character of line 2.
        assert_eq!(line_col(text, 3 + 4), (2, 4));
        // Offsets past the end or inside a character are clamped, never panic.
        assert_eq!(line_col(text, 1), (1, 1));
        assert_eq!(line_col(text, 999), (2, 5));
    }

    #[test]
    fn sort_orders_by_path_then_line() {
        let mut v = vec![
            Diagnostic::error(PathBuf::from("b.md"), "x").at_line(1),
            Diagnostic::error(PathBuf::from("a.md"), "y").at_line(9),
            Diagnostic::warning(PathBuf::from("a.md"), "z").at_line(2),
        ];
        sort(&mut v);
        let order: Vec<_> = v.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(order, ["z", "y", "x"]);
    }
}
