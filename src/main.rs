//! The `candor` command line: parses arguments and calls the library.

mod cli;

use std::process::ExitCode;

use clap::Parser;

/// Rendering and minifying allocate many small strings on every thread; mimalloc measured faster
/// than the system allocator there (benches/compare.sh).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = cli::args::Cli::parse();
    match cli::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", cli::report::error_chain(&e));
            ExitCode::FAILURE
        }
    }
}
