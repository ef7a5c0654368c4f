//! `candor build`.

use std::process::ExitCode;

use candor::build::{Options, build_before_exit};

use crate::cli::BuildArgs;

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let mut opts = Options::new(&args.site.root);
    opts.drafts = args.site.drafts;
    let output = args.output.unwrap_or_else(|| args.site.root.join("public"));
    match build_before_exit(&opts, &output) {
        Ok(summary) => {
            if !args.quiet {
                super::print_diagnostics(&summary.warnings);
                println!("Built {summary} → {}", output.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            super::report_failure(&e);
            Ok(ExitCode::FAILURE)
        }
    }
}
