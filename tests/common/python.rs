//! A Python for the tests that let another implementation check our output (aiosmtpd reading
//! our mail, openpyxl reading our spreadsheets). `CANDOR_TEST_PYTHON` (scripts/test sets it to
//! Debian's python3 and installs the packages) must have the modules; without it, `python3` or
//! `/usr/bin/python3` may, and a test without one says "skipped" and passes.

use std::process::{Command, Stdio};

/// A Python that can `import` each of `modules` (comma-separated, as Python writes it).
pub fn with(modules: &str) -> Option<String> {
    let works = |python: &str| {
        Command::new(python)
            .args(["-c", &format!("import {modules}")])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if let Some(python) = std::env::var("CANDOR_TEST_PYTHON")
        .ok()
        .filter(|p| !p.is_empty())
    {
        assert!(
            works(&python),
            "CANDOR_TEST_PYTHON={python} cannot import {modules}"
        );
        return Some(python);
    }
    ["python3", "/usr/bin/python3"]
        .into_iter()
        .find(|p| works(p))
        .map(str::to_owned)
}
