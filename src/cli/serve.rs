//! `candor serve`.

use std::process::ExitCode;

use candor::server::serve::{ServeOptions, run as serve};

use super::args::ServeArgs;

pub fn run(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let opts = ServeOptions {
        root: args.site.root,
        addr: args.addr,
        watch: args.watch || !args.production,
        drafts: args.site.drafts,
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(serve(opts))?;
    Ok(ExitCode::SUCCESS)
}
