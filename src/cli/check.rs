//! `candor check`.

use std::process::ExitCode;

use candor::site::build::{Options, check};

use super::args::CheckArgs;

pub fn run(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let mut opts = Options::new(&args.site.root);
    opts.drafts = args.site.drafts;
    opts.check = true;
    match check(&opts) {
        Ok(checked) => {
            super::report::print_diagnostics(&checked.warnings);
            let warnings = checked.warnings.len();
            if args.strict && warnings > 0 {
                eprintln!("error: {warnings} warning(s), and --strict treats warnings as errors");
                return Ok(ExitCode::FAILURE);
            }
            let pages: usize = checked.pages.values().sum();
            println!("No errors in {pages} pages ({warnings} warnings).");
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            super::report::report_failure(&e);
            Ok(ExitCode::FAILURE)
        }
    }
}
