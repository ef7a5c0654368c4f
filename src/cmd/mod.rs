//! One function per subcommand.

mod build;
mod check;
mod keygen;
mod portal;
mod scaffold;
mod serve;
mod translations;

use std::process::ExitCode;

use candor::error::{BuildError, Diagnostic};

use crate::cli::{Cli, Command};

/// Runs the parsed command line.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    match cli.command {
        Command::Build(args) => build::run(args),
        Command::Check(args) => check::run(args),
        Command::Keygen(args) => keygen::run(args),
        Command::Translations(args) => translations::run(args),
        Command::Serve(args) => serve::run(args),
        Command::Requests(c) => portal::requests(c),
        Command::Grants(c) => portal::grants(c),
        Command::Audit(c) => portal::audit(c),
        Command::PortalKeys(c) => portal::keys(c),
        Command::Agreements(c) => portal::agreements(c),
        Command::New(args) => scaffold::new_site(args),
        Command::NewPage(args) => scaffold::new_page(args),
    }
}

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
