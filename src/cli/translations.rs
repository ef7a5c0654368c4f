//! `candor translations`.

use std::process::ExitCode;

use candor::site::answers;
use candor::site::build::{Options, generate};
use candor::site::render::templates;
use candor::site::translations::{self, State};

use super::args::TranslationsArgs;

pub fn run(args: TranslationsArgs) -> anyhow::Result<ExitCode> {
    let root = &args.site.root;
    let mut opts = Options::new(root);
    opts.drafts = args.site.drafts;
    let generated = match generate(&opts) {
        Ok(g) => g,
        Err(e) => {
            super::report::report_failure(&e);
            return Ok(ExitCode::FAILURE);
        }
    };
    if !args.mark_current.is_empty() {
        let mut failed = false;
        for path in &args.mark_current {
            match translations::mark_current(root, &generated.site, &generated.config, path) {
                Ok(hash) => println!("{}: translated_from: {hash}", path.display()),
                Err(e) => {
                    eprintln!("error: {e}");
                    failed = true;
                }
            }
        }
        return Ok(if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    let sources: Vec<String> = templates::collect(root, &generated.config.theme)
        .map(|files| {
            files
                .values()
                .filter_map(|p| std::fs::read_to_string(p).ok())
                .collect()
        })
        .unwrap_or_default();
    let mut report = translations::report(
        &generated.site,
        &generated.config,
        &generated.locales,
        &sources,
    );
    if let Some(library) = &generated.answers {
        report.answers = answers::translation_counts(library, &generated.config);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(ExitCode::SUCCESS);
    }
    let default = generated.config.default_language();
    for (lang, entries) in &report.languages {
        let missing = report.count(lang, |s| *s == State::Missing);
        let stale = report.count(lang, |s| matches!(s, State::Stale { .. }));
        let untracked = report.count(lang, |s| *s == State::Untracked);
        println!(
            "{lang} (from {default}): {} pages, {} current, {missing} missing, {stale} out of date, {untracked} untracked",
            entries.len(),
            report.count(lang, |s| *s == State::Current),
        );
        for e in entries {
            match &e.state {
                State::Current => {}
                State::Missing => println!(
                    "  missing      {}  (translate {})",
                    e.translation.display(),
                    e.source.display()
                ),
                State::Stale { recorded, current } => println!(
                    "  out of date  {}  ({} changed: {recorded} → {current})",
                    e.translation.display(),
                    e.source.display()
                ),
                State::Untracked => println!(
                    "  untracked    {}  (review it, then: candor translations --mark-current {})",
                    e.translation.display(),
                    e.translation.display()
                ),
            }
        }
    }
    for (lang, counts) in &report.answers {
        println!(
            "{lang} answers (from {default}): {} answers, {} translated, {} missing",
            counts.total,
            counts.translated,
            counts.missing.len()
        );
        for id in &counts.missing {
            println!("  missing      answer `{id}`  (add `{lang}:` under its `text`)");
        }
    }
    for (lang, keys) in &report.missing_keys {
        println!("UI strings missing in {lang}: {}", keys.join(", "));
    }
    if report.missing_keys.is_empty() {
        println!("UI strings: none missing");
    }
    if report.unused_keys.is_empty() {
        println!("UI strings: none unused");
    } else {
        println!(
            "UI strings not used by any template: {}",
            report.unused_keys.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}
