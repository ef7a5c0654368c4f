//! `candor notify`: announce what the site publishes to its subscribers (see
//! `candor::portal::notify`). Prints ids and counts, never addresses.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::sync::Arc;

use candor::portal::Portal;
use candor::portal::notify::{self, SendOptions};
use candor::site::build::{Options, generate};

use super::args::NotifyArgs;
use super::portal::{open_store, runtime};

fn when(ts: i64) -> String {
    chrono::DateTime::from_timestamp(ts, 0)
        .map(|d| d.format("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_default()
}

async fn print_status(store: &candor::portal::store::Store) -> anyhow::Result<bool> {
    let c = store.outbox_counts().await?;
    println!(
        "Outbox: {} pending, {} sent, {} failed, {} skipped (unsubscribed).",
        c.pending, c.sent, c.failed, c.skipped
    );
    let failures = store.outbox_failures(50).await?;
    for f in &failures {
        let next = if f.status == "pending" {
            format!("; next attempt {}", when(f.next_attempt_at))
        } else {
            String::new()
        };
        println!(
            "  {} {}  notice {}  subscriber {}  {} attempts{next}: {}",
            f.status, f.id, f.notice_id, f.subscriber_id, f.attempts, f.last_error
        );
    }
    Ok(c.failed > 0)
}

pub fn run(args: NotifyArgs) -> anyhow::Result<ExitCode> {
    let root = args.store.root.clone();
    runtime()?.block_on(async move {
        if args.status {
            let store = open_store(&root).await?;
            let failed = print_status(&store).await?;
            return Ok(if failed {
                ExitCode::FAILURE
            } else {
                ExitCode::SUCCESS
            });
        }
        let today = args.today.unwrap_or_else(|| chrono::Utc::now().date_naive());
        let mut opts = Options::new(&root);
        opts.now = today
            .and_hms_opt(12, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or(opts.now);
        let generated = generate(&opts).map_err(|e| {
            if let candor::error::BuildError::Invalid(ds) = &e {
                super::report::print_diagnostics(ds);
            }
            anyhow::anyhow!("the site does not build: {e}")
        })?;
        let catalogue = candor::portal::Catalogue::new(generated.published(&root));
        let portal = Arc::new(Portal::open(&root, &generated.config, catalogue).await?);
        if !args.send_only {
            let items = candor::site::announce::items(&root, &generated, today);
            let announced = portal.store.announced().await?;
            let planned = notify::plan(&items, &announced);
            if args.dry_run {
                let subscribers = portal.store.active_subscribers().await?;
                if planned.is_empty() {
                    println!("Nothing new to announce.");
                }
                for p in &planned {
                    let keys: Vec<&str> = p.notice.items.iter().map(|(k, _)| k.as_str()).collect();
                    if p.notice.baseline {
                        println!(
                            "baseline  {}: {} items recorded as announced, not mailed",
                            p.notice.topic,
                            keys.len()
                        );
                        continue;
                    }
                    let to = notify::recipients(p, &subscribers);
                    let mut per_lang: BTreeMap<&str, usize> = BTreeMap::new();
                    for (_, lang) in &to {
                        *per_lang.entry(lang.as_str()).or_default() += 1;
                    }
                    let langs: Vec<String> =
                        per_lang.iter().map(|(l, n)| format!("{l} {n}")).collect();
                    let mailed: Vec<&str> =
                        p.payload.items.iter().map(|i| i.key.as_str()).collect();
                    let recorded = keys.len() - mailed.len();
                    println!(
                        "notice  {}{}: {}{}",
                        p.notice.topic,
                        p.notice
                            .document_id
                            .as_ref()
                            .map(|d| format!(" ({d})"))
                            .unwrap_or_default(),
                        mailed.join(", "),
                        if recorded > 0 {
                            format!(" (and {recorded} earlier items recorded, not mailed)")
                        } else {
                            String::new()
                        }
                    );
                    println!(
                        "  recipients: {} ({})",
                        to.len(),
                        if langs.is_empty() {
                            "none".to_owned()
                        } else {
                            langs.join(", ")
                        }
                    );
                    for lang in per_lang.keys() {
                        println!(
                            "  subject [{lang}]: {}",
                            notify::subject(&portal, &p.payload, lang)
                        );
                    }
                }
                println!("Dry run: nothing was queued or sent.");
                return Ok(ExitCode::SUCCESS);
            }
            let queued = notify::queue(&portal, &items).await?;
            for n in &queued {
                if n.baseline {
                    println!(
                        "Recorded {} ({}) as already published (first run): not mailed.",
                        n.id, n.topic
                    );
                } else {
                    println!(
                        "Queued notice {} ({}{}) for {} subscribers.",
                        n.id,
                        n.topic,
                        n.document_id
                            .as_ref()
                            .map(|d| format!(": {d}"))
                            .unwrap_or_default(),
                        n.recipients
                    );
                }
            }
            if queued.is_empty() {
                println!("Nothing new to announce.");
            }
            if args.queue_only {
                print_status(&portal.store).await?;
                return Ok(ExitCode::SUCCESS);
            }
        }
        let send = SendOptions {
            concurrency: usize::from(args.concurrency),
            rate: args.rate,
            max_attempts: args.max_attempts,
            retry_base: args.retry_base,
            lease: args.lease,
            today,
        };
        let started = std::time::Instant::now();
        let done = notify::send(&portal, &send).await?;
        let secs = started.elapsed().as_secs_f64();
        println!(
            "Sent {} mails in {:.1} s ({:.0}/s); {} skipped (unsubscribed or topic left); {} failed attempts, {} given up.",
            done.sent,
            secs,
            done.sent as f64 / secs.max(1e-3),
            done.skipped,
            done.failed_attempts,
            done.given_up
        );
        let failed = print_status(&portal.store).await?;
        Ok(if failed || done.given_up > 0 {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        })
    })
}
