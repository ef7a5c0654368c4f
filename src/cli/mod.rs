//! The `candor` command line (the binary's only module): [`args`] parses the command line with
//! clap, and one file per subcommand calls the library and prints what it returns.
//!
//! Owns: argument parsing, exit codes, what is printed. May use every part of the library
//! (`candor::site`, `candor::server`, `candor::portal`, `candor::pdf`); nothing in the library
//! uses it.

pub mod args;
mod build;
mod check;
mod keygen;
mod notify;
mod portal;
pub mod report;
mod scaffold;
mod serve;
mod translations;

use std::process::ExitCode;

use args::{Cli, Command};

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
        Command::Objections(c) => portal::objections(c),
        Command::Notify(args) => notify::run(args),
        Command::New(args) => scaffold::new_site(args),
        Command::NewPage(args) => scaffold::new_page(args),
    }
}
