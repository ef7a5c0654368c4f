//! How every command prints problems.

use candor::error::{BuildError, Diagnostic};

/// Prints diagnostics to stderr, compiler style.
pub fn print_diagnostics(diagnostics: &[Diagnostic]) {
    for d in diagnostics {
        eprintln!("{d}");
    }
}

/// Prints a failed build: every diagnostic, then a one-line verdict.
pub fn report_failure(e: &BuildError) {
    if let BuildError::Invalid(diagnostics) = e {
        print_diagnostics(diagnostics);
    }
    eprintln!("error: {e}");
}

/// An error and its causes on one line, `outer: inner: …`, each said once: many errors write
/// their cause into their own message (`{path}: {source}`) and also hand it on as their
/// source, which anyhow's `{:#}` would print a second time.
pub fn error_chain(e: &anyhow::Error) -> String {
    let mut text = String::new();
    for cause in e.chain() {
        let said = cause.to_string();
        // `{path}: {source}` ends with its cause: only that repetition is dropped.
        if text.ends_with(&said) {
            continue;
        }
        if !text.is_empty() {
            text.push_str(": ");
        }
        text.push_str(&said);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_cause_is_said_once_in_order() {
        #[derive(Debug, thiserror::Error)]
        #[error("key.json: {source}")]
        struct Io {
            source: std::io::Error,
        }
        let io = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let e = anyhow::Error::new(Io { source: io }).context("cannot load the key file");
        assert_eq!(
            error_chain(&e),
            "cannot load the key file: key.json: no such file"
        );
        let plain = anyhow::anyhow!("inner").context("outer");
        assert_eq!(error_chain(&plain), "outer: inner");
    }
}
