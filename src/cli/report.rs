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
