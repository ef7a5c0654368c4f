//! `candor build`.

use std::process::ExitCode;

use candor::site::build::{Options, build_before_exit};

use super::args::BuildArgs;

pub fn run(args: BuildArgs) -> anyhow::Result<ExitCode> {
    let mut opts = Options::new(&args.site.root);
    opts.drafts = args.site.drafts;
    let output = args.output.unwrap_or_else(|| args.site.root.join("public"));
    match build_before_exit(&opts, &output) {
        Ok(summary) => {
            if !args.quiet {
                super::report::print_diagnostics(&summary.warnings);
                println!("Built {summary} → {}", output.display());
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            super::report::report_failure(&e);
            Ok(ExitCode::FAILURE)
        }
    }
}
