//! `candor check`.

use std::process::ExitCode;

use candor::build::{Options, generate};

use crate::cli::CheckArgs;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let mut opts = Options::new(&args.site.root);
    opts.drafts = args.site.drafts;
    opts.check = true;
    match generate(&opts) {
        Ok(generated) => {
            super::print_diagnostics(&generated.warnings);
            let warnings = generated.warnings.len();
            if args.strict && warnings > 0 {
                eprintln!("error: {warnings} warning(s), and --strict treats warnings as errors");
                return Ok(ExitCode::FAILURE);
            }
            let pages: usize = generated.pages.values().sum();
            println!("No errors in {pages} pages ({warnings} warnings).");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            super::report_failure(&e);
            Ok(ExitCode::FAILURE)
        }
    }
}
