//! Micro-benchmarks of one page through each stage of a build, and of one portal token
//! (`cargo bench --bench micro`). The pages come from a synthetic site made by
//! `benches/site/generate.py` (about 1,200 words each with headings, lists, a table, a code
//! block and internal links), the same generator `benches/compare.sh` builds.

use std::hint::black_box;
use std::path::Path;
use std::process::Command;

use candor::portal::keys::{Keyring, Purpose};
use candor::portal::token::{self, DownloadClaims};
use candor::site::bench::Loaded;
use candor::site::build::Options;
use criterion::{Criterion, criterion_group, criterion_main};

/// Generates a small synthetic site and loads it.
fn site(dir: &Path) -> Loaded {
    let generator = Path::new(env!("CARGO_MANIFEST_DIR")).join("benches/site/generate.py");
    let status = Command::new("python3")
        .arg(&generator)
        .arg("40")
        .arg(dir)
        .stdout(std::process::Stdio::null())
        .status()
        .expect("python3 runs benches/site/generate.py");
    assert!(status.success(), "benches/site/generate.py failed");
    Loaded::new(&Options::new(dir)).expect("the synthetic site builds")
}

fn pages(c: &mut Criterion) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let site = site(dir.path());
    // A leaf page in English (not a section: those list their pages instead of a body).
    let index = site
        .index_of("content/area00/section000/page00005.md")
        .expect("the generator writes page00005");
    let renderer = site.renderer();
    let html = renderer.render_page_html(index).expect("the page renders");

    c.bench_function("front matter + Markdown (compacted) of one page", |b| {
        b.iter(|| black_box(site.parse_and_render_markdown(black_box(index))))
    });
    c.bench_function(
        "template of one page (tera, templates minified when compiled)",
        |b| b.iter(|| black_box(renderer.render_page_html(black_box(index)))),
    );
    c.bench_function(
        "minify one whole page (minify-html, only with minify_each_page)",
        |b| b.iter(|| black_box(candor::site::render::minify(black_box(&html)))),
    );
    c.bench_function(
        "render one page as a build does (template, no whole-page minify)",
        |b| b.iter(|| black_box(renderer.render_page(black_box(index)))),
    );
}

fn tokens(c: &mut Criterion) {
    let keys = Keyring::generate();
    let claims = DownloadClaims {
        g: "g_4f1c2a9be07d".into(),
        d: "pentest-summary".into(),
        v: "2026".into(),
        l: "en".into(),
        h: "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08".into(),
        exp: 4_000_000_000,
        n: token::nonce(),
    };
    let signed = token::sign(&keys, Purpose::Download, &claims);
    c.bench_function("verify one download token", |b| {
        b.iter(|| {
            black_box(token::verify::<DownloadClaims>(
                &keys,
                Purpose::Download,
                black_box(&signed),
                1_900_000_000,
            ))
        })
    });
}

criterion_group!(benches, pages, tokens);
criterion_main!(benches);
