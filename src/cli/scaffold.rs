//! `candor new` and `candor new-page`.

use std::process::ExitCode;

use super::args::{NewArgs, NewPageArgs};

pub fn new_site(args: NewArgs) -> anyhow::Result<ExitCode> {
    let today = chrono::Utc::now().date_naive();
    match candor::site::scaffold::new_site(&args.dir, today) {
        Ok(_) => {
            println!("Created a new trust center in {}.", args.dir.display());
            println!(
                "Next: edit site.yaml, then `candor build --root {}`.",
                args.dir.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}

pub fn new_page(args: NewPageArgs) -> anyhow::Result<ExitCode> {
    let config = match candor::site::config::load(&args.root) {
        Ok(c) => c,
        Err(ds) => {
            super::report::print_diagnostics(&ds);
            return Ok(ExitCode::FAILURE);
        }
    };
    let languages = if args.lang.is_empty() {
        config.languages.clone()
    } else {
        args.lang
    };
    let today = chrono::Utc::now().date_naive();
    match candor::site::scaffold::new_page(&args.root, &config, &args.path, &languages, today) {
        Ok(files) => {
            for f in files {
                println!(
                    "created {}",
                    f.strip_prefix(&args.root).unwrap_or(&f).display()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => {
            eprintln!("error: {e}");
            Ok(ExitCode::FAILURE)
        }
    }
}
