//! Orchestration: load → check → render → write. [`generate`] builds the whole site in memory (the
//! preview server and `check` use it too); [`build`] also writes it atomically.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use rayon::prelude::*;

use crate::error::{self, BuildError, Diagnostic};
use crate::site::advisories::{self, Advisories};
use crate::site::answers;
use crate::site::compliance;
use crate::site::config::{self, CONFIG_FILE, Config};
use crate::site::content::{self, Page, Site};
use crate::site::documents::{self, Documents};
use crate::site::i18n;
use crate::site::markdown::{self, LinkResolver, RenderOptions, Rendered, Resolved, Unresolved};
use crate::site::output::{self, OutputFile};
use crate::site::published::Published;
use crate::site::render::{self, Renderer, assets, templates};
use crate::site::search;
use crate::site::signing::SigningKey;
use crate::site::subprocessors;
use crate::site::terminology::{self, Terminology};
use crate::site::translations;

/// What to build.
#[derive(Debug, Clone)]
pub struct Options {
    /// The site folder (with `site.yaml`).
    pub root: PathBuf,
    /// Include pages marked `draft: true`.
    pub drafts: bool,
    /// The current time (for expiry checks); injectable for tests.
    pub now: DateTime<Utc>,
    /// Run as `candor check`: lapsed certificates and reports are errors (a build publishes them
    /// marked as expired, with a warning).
    pub check: bool,
    /// Minify every whole page after rendering, instead of the templates once when they are
    /// compiled and each Markdown body compacted once (the default: well over half of a
    /// build's CPU less, pages about 4% larger and no larger gzipped; see ARCHITECTURE.md,
    /// "Minifying once"). Tests use it as the reference.
    pub minify_each_page: bool,
}

impl Options {
    /// Options for the site at `root`, now, without drafts.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Options {
            root: root.into(),
            drafts: false,
            now: Utc::now(),
            check: false,
            minify_each_page: false,
        }
    }
}

/// A site built in memory.
#[derive(Debug)]
pub struct Generated {
    /// Every output file.
    pub files: Vec<OutputFile>,
    /// Warnings (errors make [`generate`] fail instead).
    pub warnings: Vec<Diagnostic>,
    /// Number of pages per language (without notices for missing translations).
    pub pages: BTreeMap<String, usize>,
    /// Number of documents.
    pub documents: usize,
    /// The loaded model, for checks that need more than the files.
    pub site: Site,
    /// The configuration.
    pub config: Config,
    /// The UI strings.
    pub locales: Arc<crate::site::i18n::Locales>,
    /// The document registry.
    pub docs: Documents,
    /// The questionnaire answer library, when the site has one.
    pub answers: Option<answers::Library>,
    /// The subprocessor change log, when the site has one (the portal's objections).
    pub subprocessor_changes: Vec<subprocessors::Change>,
}

impl Generated {
    /// What this build publishes for the portal (see [`crate::site::published`]).
    pub fn published(&self, root: &Path) -> Published {
        let texts: std::collections::HashMap<&str, &[u8]> = self
            .files
            .iter()
            .filter_map(|f| match &f.data {
                output::Data::Bytes(b) => Some((f.path.as_str(), b.as_slice())),
                output::Data::Copy(_) => None,
            })
            .collect();
        Published::new(
            root,
            &self.config,
            &self.site,
            &self.docs,
            &self.subprocessor_changes,
            Arc::clone(&self.locales),
            |path| {
                texts
                    .get(path)
                    .map(|b| String::from_utf8_lossy(b).into_owned())
            },
        )
    }
}

/// What `build` reports.
#[derive(Debug)]
pub struct Summary {
    /// Number of pages per language.
    pub pages: BTreeMap<String, usize>,
    /// Number of documents.
    pub documents: usize,
    /// Number of files written.
    pub files: usize,
    /// Wall time of the whole build.
    pub elapsed: Duration,
    /// Warnings found.
    pub warnings: Vec<Diagnostic>,
}

impl std::fmt::Display for Summary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let pages: Vec<String> = self.pages.iter().map(|(l, n)| format!("{n} {l}")).collect();
        write!(
            f,
            "{} pages ({}), {} documents, {} files in {:.2} s",
            self.pages.values().sum::<usize>(),
            pages.join(", "),
            self.documents,
            self.files,
            self.elapsed.as_secs_f64()
        )?;
        if !self.warnings.is_empty() {
            write!(f, ", {} warnings", self.warnings.len())?;
        }
        Ok(())
    }
}

/// Resolves `@/` links against the loaded site.
struct SiteLinks<'a> {
    site: &'a Site,
    config: &'a Config,
    documents: &'a Documents,
}

impl LinkResolver for SiteLinks<'_> {
    fn resolve(&self, path: &str, lang: &str) -> Result<Resolved, Unresolved> {
        if self.site.failed.contains(path) {
            // The page exists but has errors of its own, reported already.
            return Ok(Resolved {
                key: path.to_owned(),
                url: "#".to_owned(),
                other_lang: None,
            });
        }
        if !path.ends_with(".md") {
            // A file: only the published files of public documents can be linked.
            if documents::is_confidential(self.documents, path) {
                return Err(Unresolved::Confidential);
            }
            let &i = self.documents.files.get(path).ok_or(Unresolved::NotFound)?;
            let doc = &self.documents.list[i];
            let name = path.rsplit('/').next().unwrap_or(path);
            let file = doc
                .versions
                .iter()
                .flat_map(|v| v.files.values())
                .find(|f| f.name == name)
                .and_then(|f| f.path.as_ref())
                .ok_or(Unresolved::NotFound)?;
            return Ok(Resolved {
                key: path.to_owned(),
                url: format!("{}/{file}", self.config.url_prefix()),
                other_lang: None,
            });
        }
        let (key, wanted) = if self.site.by_key.contains_key(path) {
            (path.to_owned(), lang.to_owned())
        } else {
            // `@/privacy/gdpr.de.md` names one language explicitly.
            let stem = path.strip_suffix(".md").ok_or(Unresolved::NotFound)?;
            let (name, suffix) = stem.rsplit_once('.').ok_or(Unresolved::NotFound)?;
            if !self.config.has_language(suffix) {
                return Err(Unresolved::NotFound);
            }
            (format!("{name}.md"), suffix.to_owned())
        };
        let page = self
            .site
            .get(&key, &wanted)
            .or_else(|| self.site.get(&key, self.config.default_language()))
            .or_else(|| self.site.translations(&key).next())
            .ok_or(Unresolved::NotFound)?;
        Ok(Resolved {
            key,
            url: format!("{}/{}", self.config.url_prefix(), page.path),
            other_lang: (page.lang != lang).then(|| page.lang.clone()),
        })
    }
}

fn fail(mut problems: Vec<Diagnostic>) -> BuildError {
    error::sort(&mut problems);
    BuildError::Invalid(problems)
}

/// Builds the site in memory. Every problem of the run is collected; if any is an error, the
/// build fails with all of them.
pub fn generate(opts: &Options) -> Result<Generated, BuildError> {
    let full = build_full(opts, &Sink::Memory)?;
    let model = full.model;
    let (pages, documents) = counts(&model);
    Ok(Generated {
        files: full.files,
        warnings: full.warnings,
        pages,
        documents,
        site: model.site,
        config: model.config,
        locales: model.locales,
        docs: model.docs,
        answers: model.answers,
        subprocessor_changes: model.subprocessors.map(|s| s.changes).unwrap_or_default(),
    })
}

/// Everything a build loads and works out before rendering: configuration, UI strings, compiled
/// templates, the site model, documents and every page's rendered Markdown.
///
/// [`generate`] makes one per build and drops it; the preview's
/// [`Session`](crate::site::incremental::Session) keeps it between rebuilds and replaces the pages that
/// were edited, so that only what depends on them is rendered again.
pub(crate) struct Model {
    /// The site folder.
    pub(crate) root: PathBuf,
    /// The time the build was made for (validity of documents).
    pub(crate) now: DateTime<Utc>,
    /// The severity of lapsed documents (errors for `check`).
    lapsed: error::Severity,
    /// The configuration.
    pub(crate) config: Config,
    /// The UI strings.
    pub(crate) locales: Arc<i18n::Locales>,
    /// The compiled templates, before the per-language functions are bound.
    tera: tera::Tera,
    /// Whether the templates were minified when compiled: then pages are not minified again,
    /// only their Markdown bodies (once, in [`Model::render_body`]).
    templates_minified: bool,
    /// Fingerprinted URLs of the static files.
    asset_urls: Arc<HashMap<String, String>>,
    /// The `documents()` listing per language (bound into `teras`).
    pub(crate) listings: HashMap<String, tera::Value>,
    /// One tera per language.
    pub(crate) teras: HashMap<String, tera::Tera>,
    /// The pages.
    pub(crate) site: Site,
    /// The documents.
    pub(crate) docs: Documents,
    /// Every page's Markdown, rendered; indexed like `site.pages`.
    pub(crate) bodies: Vec<Rendered>,
    /// Every page's entry in its language's search index (JSON); indexed like `site.pages`.
    pub(crate) search_entries: Vec<search::Entry>,
    /// The source hashes of the pages that tracked translations name, by page index (so that
    /// the check for out-of-date translations need not hash every source on every rebuild).
    pub(crate) source_hashes: HashMap<usize, String>,
    /// The signing key as pages show it.
    signing_info: Option<render::SigningInfo>,
    /// `.asc` when files are signed.
    signature_ext: Option<&'static str>,
    /// `content/_data/subprocessors.yaml`, when the site has one.
    pub(crate) subprocessors: Option<subprocessors::Subprocessors>,
    /// The label of heading anchors per language.
    anchor_labels: HashMap<String, String>,
    /// The terms the site does not use, per language (`terminology:` in site.yaml).
    terminology: Terminology,
    /// `content/_data/certifications.yaml`, checked, when the site has one.
    pub(crate) certifications: Option<Vec<compliance::Certification>>,
    /// `content/_data/answers/`, checked, when the site has it.
    pub(crate) answers: Option<answers::Library>,
    /// The answers rendered for each language's answers page.
    pub(crate) answer_pages: answers::Pages,
    /// The security advisories (CSAF documents), loaded with the site.
    pub(crate) advisories: Advisories,
}

/// A whole build: the model, every output file and the problems found.
pub(crate) struct FullBuild {
    /// What the build loaded.
    pub(crate) model: Model,
    /// Every output file, sorted by path.
    pub(crate) files: Vec<OutputFile>,
    /// The paths of the files [`Model::derived_files`] made.
    pub(crate) derived: Vec<String>,
    /// The problems [`Model::derived_files`] found.
    pub(crate) derived_problems: Vec<Diagnostic>,
    /// The problems of the stages that do not depend on pages' text (UI strings, signing,
    /// security.txt), which a rebuild of edited pages does not redo.
    pub(crate) fixed_problems: Vec<Diagnostic>,
    /// The problems of the documents (which a rebuild redoes when a document's front matter
    /// changes).
    pub(crate) document_problems: Vec<Diagnostic>,
    /// Every warning, sorted (the build fails on errors instead).
    pub(crate) warnings: Vec<Diagnostic>,
}

/// Where [`build_full`] puts the files it makes.
pub(crate) enum Sink<'a> {
    /// Kept in [`FullBuild::files`] ([`generate`], the preview).
    Memory,
    /// Written into the staging folder as soon as each is made, and dropped ([`build`]): a build
    /// never holds the whole site in memory, and writing overlaps rendering.
    Disk(&'a output::Staging),
    /// Dropped ([`check`]).
    Discard,
}

impl Sink<'_> {
    /// Takes a file; returns it when it is to be kept in memory.
    fn take(&self, file: OutputFile) -> Option<OutputFile> {
        match self {
            Sink::Memory => Some(file),
            Sink::Disk(staging) => {
                // The portal's page frames are for `candor serve` only.
                if !file.path.starts_with(render::PORTAL_SHELL_DIR) {
                    staging.write(&file);
                }
                None
            }
            Sink::Discard => None,
        }
    }
}

/// Loads, checks and renders the whole site, keeping the model; the files go to `sink`.
pub(crate) fn build_full(opts: &Options, sink: &Sink<'_>) -> Result<FullBuild, BuildError> {
    let root = opts.root.as_path();
    let config = config::load(root).map_err(fail)?;
    let config_text = std::fs::read_to_string(root.join(CONFIG_FILE)).unwrap_or_default();

    // Independent inputs load in parallel.
    let ((locales, site), (tera, assets)) = rayon::join(
        || {
            rayon::join(
                || i18n::load(root, &config.languages),
                || content::load(root, &config, opts.drafts),
            )
        },
        || {
            rayon::join(
                || {
                    templates::collect(root, &config.theme)
                        .and_then(|files| templates::compile(root, &files, !opts.minify_each_page))
                },
                || assets::collect(root, &config.theme, config.url_prefix()),
            )
        },
    );
    let (site, mut fixed) = site;
    let locales = locales.map_err(|e| fixed.extend(e)).ok();
    let tera = tera.map_err(|e| fixed.extend(e)).ok();
    let assets = assets.map_err(|e| fixed.extend(e)).ok();
    let (Some(locales), Some(tera), Some(assets)) = (locales, tera, assets) else {
        return Err(fail(fixed));
    };
    fixed.extend(locales.check_complete(&config.languages));
    fixed.extend(terminology::validate(&config, &config_text));
    let terminology = Terminology::new(&config);
    fixed.extend(terminology::check_files(&terminology, root, &config_text));

    let lapsed = if opts.check {
        error::Severity::Error
    } else {
        error::Severity::Warning
    };
    let (docs, document_problems) = load_documents(root, &site, &config, opts.now, lapsed);

    let signer = load_signing_key(root, &config, &config_text).unwrap_or_else(|d| {
        fixed.push(d);
        None
    });
    let (advisories, advisory_problems) = advisories::load(root, &site, &config);
    fixed.extend(advisory_problems);
    let today = opts.now.date_naive();
    let subprocessors = subprocessors::load(root, &config, today).unwrap_or_else(|e| {
        fixed.extend(e);
        None
    });
    fixed.extend(crate::site::feeds::check(
        &site,
        root.join(subprocessors::DATA_FILE).exists(),
    ));
    let mut site = site;
    match &subprocessors {
        // Templates show the list as it stands on the build's day (`site::subprocessors`).
        Some(data) => {
            let view = subprocessors::view(data, today, config.notice_days());
            site.data.insert(
                "subprocessors".to_owned(),
                serde_json::to_value(&view).unwrap_or_default(),
            );
        }
        // A list with problems is not shown (the build fails with them).
        None => {
            site.data.remove("subprocessors");
        }
    }
    let (certifications, problems) =
        compliance::load(root, &config, &site, &docs, opts.now.date_naive(), lapsed);
    fixed.extend(problems);
    let (answer_library, problems) =
        answers::load(root, &config, &site, &docs, opts.now.date_naive());
    fixed.extend(problems);
    let anchor_labels = config
        .languages
        .iter()
        .map(|l| {
            let label = locales
                .translate(l, "anchor-label", &[])
                .unwrap_or_else(|_| "Link to this section".to_owned());
            (l.clone(), label)
        })
        .collect();
    let mut model = Model {
        root: root.to_owned(),
        now: opts.now,
        lapsed,
        signing_info: signer.as_ref().map(|k| render::SigningInfo {
            fingerprint: k.fingerprint(),
            key_url: format!("{}/{PUBLIC_KEY_PATH}", config.url_prefix()),
        }),
        signature_ext: signer.as_ref().map(|_| ".asc"),
        config,
        locales: Arc::new(locales),
        tera: tera.tera,
        templates_minified: tera.minified,
        asset_urls: Arc::new(assets.urls.clone()),
        listings: HashMap::new(),
        teras: HashMap::new(),
        site,
        docs,
        bodies: Vec::new(),
        search_entries: Vec::new(),
        source_hashes: HashMap::new(),
        subprocessors,
        anchor_labels,
        terminology,
        certifications,
        answers: answer_library,
        answer_pages: answers::Pages::default(),
        advisories,
    };
    fixed.extend(model.render_answers());
    model.listings = model.document_listings();
    model.bind_templates();
    model.source_hashes = crate::site::translations::tracked_sources(&model.site, &model.config)
        .into_par_iter()
        .map(|i| {
            (
                i,
                crate::site::translations::source_hash(&model.site.pages[i]),
            )
        })
        .collect();
    let (mut files, mut problems) = if matches!(sink, Sink::Memory) {
        // Markdown of every page, in parallel, kept (tests, the preview re-renders from it);
        // each page's text moves into its search entry.
        let (bodies, entries) = {
            let renderer = model.renderer();
            (0..model.site.pages.len())
                .into_par_iter()
                .map(|i| {
                    let mut body = model.render_body(i);
                    let entry = renderer.search_entry_taking(i, &mut body);
                    (body, entry)
                })
                .unzip()
        };
        model.bodies = bodies;
        model.search_entries = entries;
        model.renderer().render_all(|f| sink.take(f))
    } else {
        // Each page written as soon as its Markdown is rendered, keeping only what the checks
        // over the whole site need: the site's text is never held twice.
        let sources: Vec<String> = model.site.pages.iter_mut().map(Page::take_body).collect();
        let (bodies, entries, page_problems) = model.render_pages_streaming(sink, sources);
        model.bodies = bodies;
        model.search_entries = entries;
        let (files, mut problems) = model.renderer().render_all_but_pages(|f| sink.take(f));
        problems.extend(page_problems);
        (files, problems)
    };
    let renderer = model.renderer();
    // One search index per language (megabytes each in a large site), written in parallel.
    let indexes: Vec<OutputFile> = model
        .config
        .languages
        .par_iter()
        .flat_map_iter(|lang| {
            renderer
                .search_index(lang, &model.search_entries)
                .into_iter()
                .filter_map(|f| sink.take(f))
                .collect::<Vec<_>>()
        })
        .collect();
    files.extend(indexes);
    let (derived, derived_problems) = model.derived_files();
    let derived_paths = derived.iter().map(|f| f.path.clone()).collect();
    files.extend(derived.into_iter().filter_map(|f| sink.take(f)));
    problems.extend(derived_problems.iter().cloned());
    problems.extend(model.page_checks());

    let config = &model.config;
    files.extend(sink.take(OutputFile::bytes(
        "robots.txt".into(),
        render::robots(config).into_bytes(),
    )));
    files.extend(sink.take(OutputFile::bytes(
        "_headers".into(),
        crate::site::headers::headers_file(config).into_bytes(),
    )));
    let (security_txt, security_problems) =
        render::security_txt(config, &model.site, opts.now, &config_text);
    fixed.extend(security_problems);
    // A CSAF provider names its metadata in security.txt (CSAF 2.0 section 7.1.8).
    let security_txt = if model.advisories.is_empty() {
        security_txt
    } else {
        format!(
            "{security_txt}CSAF: {}/{}\n",
            config.base_url(),
            advisories::provider::METADATA
        )
    };
    fixed.extend(config::check_portal(config, &config_text, |key| {
        model.site.get(key, config.default_language()).is_some()
    }));
    let security_txt = match &signer {
        Some(key) => key.clearsign(&security_txt).unwrap_or_else(|e| {
            fixed.push(Diagnostic::error(
                None,
                format!("cannot sign security.txt: {e}"),
            ));
            security_txt
        }),
        None => security_txt,
    };
    files.extend(sink.take(OutputFile::bytes(
        ".well-known/security.txt".into(),
        security_txt.into_bytes(),
    )));
    // The CSAF provider's files and the advisories' Atom feeds.
    let (provider_files, provider_problems) =
        advisories::provider::files(&model.advisories, config, signer.as_ref());
    fixed.extend(provider_problems);
    let feeds = config.languages.iter().filter_map(|lang| {
        advisories::provider::atom(&model.advisories, config, &model.site, &model.locales, lang)
    });
    for feed in feeds.collect::<Vec<_>>() {
        match feed {
            Ok(f) => files.extend(sink.take(OutputFile::bytes(f.0, f.1))),
            Err(e) => fixed.push(Diagnostic::error(
                PathBuf::from(advisories::PRODUCTS_FILE),
                format!("cannot write the advisories feed: {e}"),
            )),
        }
    }
    files.extend(
        provider_files
            .into_iter()
            .filter_map(|(path, bytes)| sink.take(OutputFile::bytes(path, bytes))),
    );
    let doc_files = document_files(root, &model.docs);
    if let Some(key) = &signer {
        match signatures(&doc_files, key, root) {
            Ok(sigs) => files.extend(sigs.into_iter().filter_map(|f| sink.take(f))),
            Err(d) => fixed.push(d),
        }
    }
    let copies: Vec<OutputFile> = assets
        .files
        .iter()
        .map(|f| OutputFile::copy(f.dest.clone(), f.source.clone()))
        .chain(doc_files)
        .collect::<Vec<_>>()
        .into_par_iter()
        .filter_map(|f| sink.take(f))
        .collect();
    files.extend(copies);

    problems.extend(fixed.iter().cloned());
    problems.extend(document_problems.iter().cloned());
    if problems.iter().any(Diagnostic::is_error) {
        return Err(fail(problems));
    }
    error::sort(&mut problems);
    files.sort_by(|a, b| a.path.cmp(&b.path));
    Ok(FullBuild {
        model,
        files,
        derived: derived_paths,
        derived_problems,
        fixed_problems: fixed,
        document_problems,
        warnings: problems,
    })
}

/// Loads the documents of `site` (see [`documents::load`]).
fn load_documents(
    root: &Path,
    site: &Site,
    config: &Config,
    now: DateTime<Utc>,
    lapsed: error::Severity,
) -> (Documents, Vec<Diagnostic>) {
    documents::load(
        root,
        site,
        &config.languages,
        config.default_language(),
        now.date_naive(),
        lapsed,
    )
}

impl Model {
    /// Loads the documents of the model's site again (after a document's front matter changed).
    pub(crate) fn load_documents(&self) -> (Documents, Vec<Diagnostic>) {
        load_documents(&self.root, &self.site, &self.config, self.now, self.lapsed)
    }

    /// Resolves `@/` links against the site.
    fn links(&self) -> SiteLinks<'_> {
        SiteLinks {
            site: &self.site,
            config: &self.config,
            documents: &self.docs,
        }
    }

    /// Renders every page's Markdown and, at once, the page's files (into `sink`) and its search
    /// entry; returns each body as the site checks need it ([`Rendered::keep_for_checks`]), the
    /// search entries and the pages' rendering problems.
    fn render_pages_streaming(
        &self,
        sink: &Sink<'_>,
        sources: Vec<String>,
    ) -> (Vec<Rendered>, Vec<search::Entry>, Vec<Diagnostic>) {
        let renderer = self.renderer();
        let per_page: Vec<(Rendered, search::Entry, Vec<Diagnostic>)> = sources
            .into_par_iter()
            .enumerate()
            .map(|(i, source)| {
                let mut body = self.render_markdown(i, &source);
                drop(source);
                let mut problems = Vec::new();
                for file in renderer.render_page_files_with(i, &body) {
                    match file {
                        Ok(f) => drop(sink.take(f)),
                        Err(d) => problems.push(d),
                    }
                }
                let entry = renderer.search_entry_taking(i, &mut body);
                body.keep_for_checks();
                (body, entry, problems)
            })
            .collect();
        let mut bodies = Vec::with_capacity(per_page.len());
        let mut entries = Vec::with_capacity(per_page.len());
        let mut problems = Vec::new();
        for (body, entry, p) in per_page {
            bodies.push(body);
            entries.push(entry);
            problems.extend(p);
        }
        (bodies, entries, problems)
    }

    /// Renders the Markdown of page `index`.
    pub(crate) fn render_body(&self, index: usize) -> Rendered {
        self.render_markdown(index, self.site.pages[index].body())
    }

    /// Renders `body`, the Markdown of page `index`.
    fn render_markdown(&self, index: usize, body: &str) -> Rendered {
        let page = &self.site.pages[index];
        let opts = RenderOptions {
            lang: &page.lang,
            site_host: self.config.host(),
            anchor_label: self
                .anchor_labels
                .get(page.lang.as_str())
                .map_or("", String::as_str),
            path: &page.source,
            body_line: page.body_line,
            bundle_dir: (page.kind == content::PageKind::Bundle)
                .then(|| page.key.trim_end_matches("/index.md")),
            terms: self.terminology.of(&page.lang),
        };
        let mut rendered = markdown::render(body, &opts, &self.links());
        // The front matter's texts, here so that an edited page is checked again with its body.
        rendered.diagnostics.extend(terminology::check_front_matter(
            &self.terminology,
            page.raw.get(..page.body_offset).unwrap_or(""),
            &page.lang,
            &page.source,
        ));
        // Compacted once here, the body is spliced into templates that were minified when they
        // were compiled, so that pages need no minification of their own.
        if self.templates_minified {
            rendered.html = render::compact_fragment(&rendered.html);
        }
        rendered
    }

    /// The renderer over the model.
    pub(crate) fn renderer(&self) -> Renderer<'_> {
        let mut renderer = Renderer::new(
            &self.config,
            &self.site,
            &self.bodies,
            &self.locales,
            &self.teras,
            &self.docs,
            self.signing_info.as_ref(),
        );
        renderer.today = self.now.date_naive();
        renderer.signature_ext = self.signature_ext;
        renderer.minify_pages = !self.templates_minified;
        renderer.answers = self.answers.as_ref().map(|l| (l, &self.answer_pages));
        renderer.advisories = Some(&self.advisories);
        renderer
    }

    /// Renders the answers of every language again (after pages they link to changed).
    pub(crate) fn render_answers(&mut self) -> Vec<Diagnostic> {
        let Some(library) = &self.answers else {
            return Vec::new();
        };
        let (pages, problems) =
            answers::render(library, &self.site, &self.docs, &self.config, &self.locales);
        self.answer_pages = pages;
        problems
    }

    /// What `certifications()` returns in each language.
    fn certification_views(&self) -> HashMap<String, tera::Value> {
        self.config
            .languages
            .iter()
            .map(|lang| {
                let value = match &self.certifications {
                    Some(certs) => compliance::views(
                        certs,
                        &self.site,
                        &self.docs,
                        &self.config,
                        &self.locales,
                        lang,
                        self.now.date_naive(),
                    ),
                    None => serde_json::json!({"items": [], "url": null}),
                };
                (lang.clone(), value)
            })
            .collect()
    }

    /// The `documents()` listing of every language, as templates see it.
    pub(crate) fn document_listings(&self) -> HashMap<String, tera::Value> {
        self.config
            .languages
            .iter()
            .map(|lang| {
                let ctx = render::document_view::ViewContext {
                    lang,
                    default_lang: self.config.default_language(),
                    url_prefix: self.config.url_prefix(),
                    today: self.now.date_naive(),
                    locales: &self.locales,
                    signature_ext: self.signature_ext,
                };
                let entries = render::document_view::listing(&self.docs, &self.site, &ctx);
                (lang.clone(), tera::to_value(entries).unwrap_or_default())
            })
            .collect()
    }

    /// Binds the per-language functions (and the current `listings`) into one tera per language.
    pub(crate) fn bind_templates(&mut self) {
        self.teras = templates::per_language(
            &self.tera,
            &self.config.languages,
            &self.locales,
            &self.asset_urls,
            self.listings.clone(),
        );
        // `certifications()`: made from the documents' titles and pages like `documents()`, so
        // it changes only when the listings do (which binds the templates again).
        let mut views = self.certification_views();
        for (lang, tera) in &mut self.teras {
            tera.register_function(
                "certifications",
                templates::Constant(views.remove(lang).unwrap_or_default()),
            );
        }
    }

    /// The answer library's filter pages, for the sitemap: each filter in every language that
    /// has an answers page.
    fn answer_filter_urls(&self) -> Vec<render::SitemapExtra> {
        let Some(first) = self
            .config
            .languages
            .iter()
            .find_map(|l| self.answer_pages.languages.get(l))
        else {
            return Vec::new();
        };
        first
            .filters
            .iter()
            .map(|(filter, _)| render::SitemapExtra {
                paths: self
                    .config
                    .languages
                    .iter()
                    .filter_map(|lang| {
                        let path = self.answer_pages.languages.get(lang)?.filter_path(filter)?;
                        Some((lang.clone(), path.to_owned()))
                    })
                    .collect(),
                updated: self
                    .answer_pages
                    .languages
                    .values()
                    .filter_map(|r| self.site.pages[r.page].meta.updated)
                    .max(),
            })
            .collect()
    }

    /// The files made from the whole model that are cheap to make again: `sitemap.xml`,
    /// `documents.json` and the subprocessor feeds.
    pub(crate) fn derived_files(&self) -> (Vec<OutputFile>, Vec<Diagnostic>) {
        let mut files = Vec::new();
        let mut problems = Vec::new();
        files.push(OutputFile::bytes(
            "sitemap.xml".into(),
            render::sitemap(&self.config, &self.site, &self.answer_filter_urls()).into_bytes(),
        ));
        if let Some(data) = &self.subprocessors {
            for page in self
                .site
                .pages
                .iter()
                .filter(|p| p.meta.template.as_deref() == Some(subprocessors::TEMPLATE))
            {
                match subprocessors::feed(
                    data,
                    &self.config,
                    &self.site,
                    &self.locales,
                    &page.lang,
                    &page.key,
                    self.now.date_naive(),
                ) {
                    Ok((path, xml)) => files.push(OutputFile::bytes(path, xml.into_bytes())),
                    Err(e) => problems.push(Diagnostic::error(
                        page.source.clone(),
                        format!("cannot write the subprocessor feed: {e}"),
                    )),
                }
            }
        }
        let today = self.now.date_naive();
        for page in self
            .site
            .pages
            .iter()
            .filter(|p| crate::site::feeds::wants_feed(&self.site, p))
        {
            match crate::site::feeds::section_feed(
                &self.site,
                &self.config,
                &self.locales,
                self.subprocessors.as_ref(),
                page,
                today,
            ) {
                Ok((path, xml)) => files.push(OutputFile::bytes(path, xml.into_bytes())),
                Err(e) => problems.push(Diagnostic::error(
                    page.source.clone(),
                    format!("cannot write the section's feed: {e}"),
                )),
            }
        }
        let manifest = documents::manifest(
            &self.docs,
            &self.site,
            self.config.base_url(),
            render::GENERATOR,
            self.signature_ext,
        );
        files.push(OutputFile::bytes(
            "documents.json".into(),
            serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
        ));
        if let Some(certs) = &self.certifications {
            let manifest = compliance::manifest(
                certs,
                &self.site,
                &self.docs,
                &self.config,
                render::GENERATOR,
                self.now.date_naive(),
            );
            files.push(OutputFile::bytes(
                "compliance.json".into(),
                serde_json::to_vec_pretty(&manifest).unwrap_or_default(),
            ));
        }
        if let Some(library) = &self.answers {
            let (exports, export_problems) = answers::exports(
                library,
                &self.answer_pages,
                &self.site,
                &self.docs,
                &self.config,
                &self.locales,
                render::GENERATOR,
            );
            files.extend(exports);
            problems.extend(export_problems);
        }
        (files, problems)
    }

    /// The checks that read pages' text: Markdown problems (broken links), the anchor check,
    /// missing and out-of-date translations.
    pub(crate) fn page_checks(&self) -> Vec<Diagnostic> {
        let mut problems: Vec<Diagnostic> = self
            .bodies
            .iter()
            .flat_map(|b| b.diagnostics.iter().cloned())
            .collect();
        problems.extend(check_anchors(&self.site, &self.bodies, &self.links()));
        problems.extend(missing_translations(&self.site, &self.config));
        problems.extend(crate::site::translations::stale_warnings_with(
            &self.site,
            &self.config,
            |i| self.source_hashes.get(&i).map(String::as_str),
        ));
        problems
    }
}

/// The environment variable naming the signing key file (overrides `signing.key` in site.yaml).
pub const SIGNING_KEY_ENV: &str = "CANDOR_SIGNING_KEY";
/// The environment variable with the signing key's passphrase, if it has one.
pub const SIGNING_PASSPHRASE_ENV: &str = "CANDOR_SIGNING_KEY_PASSPHRASE";
/// Where the public signing key is published.
pub const PUBLIC_KEY_PATH: &str = "documents/signing-key.asc";

/// Loads the OpenPGP signing key named by the environment or `site.yaml`, if any.
///
/// The key must not lie inside a folder that is published (`content/`, `static/`, `themes/`),
/// and on Unix it must be readable by its owner only (mode 0600).
fn load_signing_key(
    root: &Path,
    config: &Config,
    config_text: &str,
) -> Result<Option<SigningKey>, Diagnostic> {
    let (path, origin) = match std::env::var_os(SIGNING_KEY_ENV) {
        Some(p) if !p.is_empty() => (PathBuf::from(p), format!("${SIGNING_KEY_ENV}")),
        _ => match &config.signing {
            Some(s) => (root.join(&s.key), "`signing.key` in site.yaml".to_owned()),
            None => return Ok(None),
        },
    };
    let at = |d: Diagnostic| match config::key_line(config_text, "key") {
        Some(line) if origin.starts_with('`') => d.at_line(line),
        _ => d,
    };
    let problem = |msg: String, hint: &str| {
        at(Diagnostic::error(PathBuf::from(CONFIG_FILE), msg).with_hint(hint.to_owned()))
    };
    let canonical = path.canonicalize().map_err(|e| {
        problem(
            format!(
                "cannot read the signing key {} named by {origin}: {e}",
                path.display()
            ),
            "Create one with `candor keygen`, or correct the path.",
        )
    })?;
    for published in ["content", "static", "themes"] {
        if let Ok(dir) = root.join(published).canonicalize()
            && canonical.starts_with(&dir)
        {
            return Err(problem(
                format!(
                    "the signing key {} lies inside {published}/, which is published",
                    path.display()
                ),
                "Move the secret key out of the site's published folders, e.g. to .candor/.",
            ));
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&canonical)
            .map(|m| m.permissions().mode())
            .unwrap_or(0);
        if mode & 0o077 != 0 {
            return Err(problem(
                format!(
                    "the signing key {} can be read by other users (mode {:o})",
                    path.display(),
                    mode & 0o777
                ),
                "Run `chmod 600` on the key file.",
            ));
        }
    }
    let text = std::fs::read_to_string(&canonical).map_err(|e| {
        problem(
            format!("cannot read the signing key {}: {e}", path.display()),
            "Check the file.",
        )
    })?;
    let passphrase = std::env::var(SIGNING_PASSPHRASE_ENV).unwrap_or_default();
    SigningKey::from_armored(&text, &passphrase).map(Some).map_err(|e| {
        problem(
            format!("the signing key {} cannot be used: {e}", path.display()),
            &format!("Give its passphrase in ${SIGNING_PASSPHRASE_ENV}, or create a new key with `candor keygen`."),
        )
    })
}

/// Detached signatures (`.asc`) of every published file, the public key, and nothing else.
fn signatures(
    files: &[OutputFile],
    key: &SigningKey,
    root: &Path,
) -> Result<Vec<OutputFile>, Diagnostic> {
    let mut out: Vec<OutputFile> = files
        .par_iter()
        .filter(|f| f.path.starts_with("documents/") && !f.path.ends_with(".json"))
        .map(|f| {
            let bytes = match &f.data {
                output::Data::Bytes(b) => b.clone(),
                output::Data::Copy(source) => std::fs::read(source).map_err(|e| {
                    Diagnostic::error(
                        error::relative_to(source, root),
                        format!("cannot read the file: {e}"),
                    )
                })?,
            };
            let signature = key.sign_detached(&bytes).map_err(|e| {
                Diagnostic::error(
                    PathBuf::from(CONFIG_FILE),
                    format!("cannot sign {} with the key from `signing`: {e}", f.path),
                )
            })?;
            Ok(OutputFile::bytes(
                format!("{}.asc", f.path),
                signature.into_bytes(),
            ))
        })
        .collect::<Result<_, Diagnostic>>()?;
    let public = key.to_armored_public().map_err(|e| {
        Diagnostic::error(
            PathBuf::from(CONFIG_FILE),
            format!("cannot export the public key of the key from `signing`: {e}"),
        )
    })?;
    out.push(OutputFile::bytes(
        PUBLIC_KEY_PATH.to_owned(),
        public.into_bytes(),
    ));
    Ok(out)
}

/// The published copies of public documents' files: each version under its own URL, and the
/// current version again under `latest/`. Gated and NDA files are never among them.
fn document_files(root: &Path, docs: &Documents) -> Vec<OutputFile> {
    let mut out = Vec::new();
    for doc in docs.list.iter().filter(|d| d.access.is_public()) {
        for version in &doc.versions {
            for file in version.files.values() {
                for path in file.path.iter().chain(&file.latest_path) {
                    out.push(OutputFile::copy(path.clone(), root.join(&file.source)));
                }
            }
        }
    }
    out
}

/// Builds the site and writes it to `output` atomically.
pub fn build(opts: &Options, output: &Path) -> Result<Summary, BuildError> {
    build_then(opts, output, drop)
}

/// [`build`] for a process that exits as soon as it returns (`candor build`): what the build
/// loaded (every page, its rendered body, the templates: tens of thousands of allocations, about
/// 3 ms per 1,000 pages to free) is left to the operating system, which reclaims it at exit.
pub fn build_before_exit(opts: &Options, output: &Path) -> Result<Summary, BuildError> {
    build_then(opts, output, std::mem::forget)
}

/// [`build`], handing what the build loaded to `release` once the output is in place.
fn build_then(opts: &Options, output: &Path, release: fn(Model)) -> Result<Summary, BuildError> {
    let start = Instant::now();
    let staging = output::Staging::new(output)?;
    let full = build_full(opts, &Sink::Disk(&staging))?;
    let files = staging.written();
    staging.commit()?;
    let (pages, documents) = counts(&full.model);
    let FullBuild {
        model, warnings, ..
    } = full;
    release(model);
    Ok(Summary {
        files,
        pages,
        documents,
        elapsed: start.elapsed(),
        warnings,
    })
}

/// Builds the site without writing or keeping its files (`candor check`): the same errors and
/// warnings as [`build`] with `opts`. The summary counts the files a build would write.
pub fn check(opts: &Options) -> Result<Summary, BuildError> {
    let start = Instant::now();
    let full = build_full(opts, &Sink::Discard)?;
    let (pages, documents) = counts(&full.model);
    Ok(Summary {
        files: 0,
        pages,
        documents,
        elapsed: start.elapsed(),
        warnings: full.warnings,
    })
}

/// Pages per language (every configured language, even without pages) and documents.
fn counts(model: &Model) -> (BTreeMap<String, usize>, usize) {
    let mut pages: BTreeMap<String, usize> = model
        .config
        .languages
        .iter()
        .map(|l| (l.clone(), 0))
        .collect();
    for page in &model.site.pages {
        *pages.entry(page.lang.clone()).or_default() += 1;
    }
    (pages, model.docs.list.len())
}

/// Fragments (`#id`, `@/page.md#id`) that point at no heading.
fn check_anchors(site: &Site, bodies: &[Rendered], links: &SiteLinks<'_>) -> Vec<Diagnostic> {
    let index: HashMap<(&str, &str), usize> = site
        .pages
        .iter()
        .enumerate()
        .map(|(i, p)| ((p.key.as_str(), p.lang.as_str()), i))
        .collect();
    let mut out = Vec::new();
    for (i, page) in site.pages.iter().enumerate() {
        for a in &bodies[i].anchors {
            let target = match &a.key {
                None => Some(i),
                Some(key) => links.resolve(key, &page.lang).ok().and_then(|r| {
                    let lang = r.other_lang.as_deref().unwrap_or(&page.lang);
                    index.get(&(key.as_str(), lang)).copied()
                }),
            };
            let Some(target) = target else { continue };
            // Footnotes and the theme's own ids are not headings but are valid targets.
            let ids = &bodies[target].ids;
            if ids.contains(&a.anchor) || a.anchor.is_empty() {
                continue;
            }
            if bodies[target].defines(&a.anchor) {
                continue;
            }
            let target_page = &site.pages[target];
            let known: Vec<&str> = ids.iter().take(8).map(String::as_str).collect();
            out.push(
                Diagnostic::error(
                    page.source.clone(),
                    format!(
                        "broken anchor `#{}`: {} has no heading with this id",
                        a.anchor,
                        target_page.source.display()
                    ),
                )
                .at(a.line, a.column)
                .with_hint(if known.is_empty() {
                    "The target page has no headings; link to the page without `#…`.".to_owned()
                } else {
                    format!("Headings there: {}", known.join(", "))
                }),
            );
        }
    }
    out
}

/// One warning per page and configured language it is not translated into.
fn missing_translations(site: &Site, config: &Config) -> Vec<Diagnostic> {
    site.missing
        .iter()
        .filter(|m| !site.failed.contains(&m.key))
        .filter_map(|m| {
            let source = site
                .get(&m.key, config.default_language())
                .or_else(|| site.translations(&m.key).next())?;
            let expected =
                translations::translation_path(&source.source, &source.lang, &m.lang, config);
            Some(
                Diagnostic::warning(
                    source.source.clone(),
                    format!("this page has no `{}` translation yet", m.lang),
                )
                .with_hint(format!(
                    "Create {} (visitors see a notice until then).",
                    expected.display()
                )),
            )
        })
        .collect()
}
