//! dossier: a static-site generator for policy briefs.
//!
//! A build is one value flowing through pure stages; only scanning, template loading and
//! writing touch the disk:
//!
//! ```text
//! site.toml, content/**  --content::scan-->   Vec<Source> + assets          [I/O]
//!   par: front matter + Markdown  --content::parse-->  Vec<Parsed>          [pure]
//!   site::assemble(config, parsed, now)  -->  Site                          [pure]
//!   render::plan(&site) -> Vec<Planned>                                     [pure]
//!   par: render pages with Templates, a batch at a time --> a PageSink      [pure]
//!        (search::Indexer in front of output::Staging, or render::InMemory)
//!   render::files: feeds, sitemap, static files... --> the same PageSink   [pure]
//!   output::Staging: folder beside the output (unchanged files linked from
//!     the previous output, mtime kept), swapped in at the end               [I/O]
//! ```
//!
//! [`build`] runs every stage but the last and returns the in-memory [`Build`];
//! [`build_and_write`] streams each rendered page and generated file (feeds, the search index)
//! into the staging folder (they are not held in memory) and swaps it in; [`render_site`] is where the sinks are composed. Every stage collects [`diag::Diagnostic`]s with file, line and
//! column instead of stopping at the first problem.

pub mod biblio;
pub mod check;
pub mod cite;
pub mod cli;
pub mod config;
pub mod content;
pub mod data;
pub mod deploy;
pub mod diag;
pub mod escape;
pub mod external;
pub mod fsx;
pub mod highlight;
pub mod i18n;
pub mod images;
pub mod import;
pub mod links;
pub mod listing;
pub mod markdown;
pub mod mime;
pub mod output;
pub mod progress;
pub mod references;
pub mod render;
pub mod safety;
pub mod scaffold;
pub mod schedule;
pub mod search;
pub mod serve;
pub mod site;
pub mod slug;
pub mod timings;
pub mod urls;

use std::path::PathBuf;
use std::time::Duration;

use config::Config;
use diag::{Diagnostic, Diagnostics};
use output::Output;
use site::{Publishing, Site};

/// Everything a build needs, resolved once from the command line.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Site root (the folder holding site.toml).
    pub root: PathBuf,
    /// Output folder; None means the config's `output_dir` under the root.
    pub output: Option<PathBuf>,
    /// Replaces `base_url` from site.toml.
    pub base_url: Option<String>,
    /// Include drafts.
    pub drafts: bool,
    /// Include briefs dated in the future.
    pub future: bool,
    /// The current time; None means the clock (or `DOSSIER_NOW`).
    pub now: Option<jiff::Timestamp>,
    /// Which settings files to read (`--config`, `--env`); default `site.toml`.
    pub config: config::Sources,
    /// Where to report progress on long builds (nothing by default).
    pub progress: progress::Progress,
    /// Report internal links and images that name nothing published (as `[build]
    /// broken_links` says); `check` turns this off and reports them itself, with fragments.
    pub verify_links: bool,
}

impl BuildOptions {
    /// Options for building the site at `root` with defaults.
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self {
            root: root.into(),
            output: None,
            base_url: None,
            drafts: false,
            future: false,
            now: None,
            config: config::Sources::default(),
            progress: progress::Progress::none(),
            verify_links: true,
        }
    }
}

/// A finished in-memory build.
#[derive(Debug)]
pub struct Build {
    /// The resolved site.
    pub site: Site,
    /// Every output file.
    pub output: Output,
    /// Warnings (a successful build has no errors).
    pub diagnostics: Diagnostics,
    /// Where the output should be written.
    pub output_dir: PathBuf,
    /// Wall time of the build stages.
    pub elapsed: Duration,
    /// The site root the build read.
    pub root: PathBuf,
    /// What writing the output did (files kept from the previous output and written); None
    /// for a build kept in memory.
    pub placed: Option<output::Placed>,
}

/// The current time: `opts.now`, else `DOSSIER_NOW` (RFC 3339, for reproducible builds and
/// tests), else the clock.
pub fn now(opts: &BuildOptions) -> Result<jiff::Timestamp, Diagnostic> {
    match opts.now {
        Some(n) => Ok(n),
        None => clock(),
    }
}

/// `DOSSIER_NOW` (RFC 3339), else the clock: what every command takes as the current time.
pub fn clock() -> Result<jiff::Timestamp, Diagnostic> {
    match std::env::var("DOSSIER_NOW") {
        Ok(v) => v.parse().map_err(|e| {
            Diagnostic::error(format!("DOSSIER_NOW={v:?} is not an RFC 3339 time: {e}"))
        }),
        Err(_) => Ok(jiff::Timestamp::now()),
    }
}

/// Load the config, applying `--base-url`.
pub fn load_config(opts: &BuildOptions) -> Result<Config, Diagnostics> {
    let mut config = Config::load_from(&opts.root, &opts.config).map_err(Diagnostics)?;
    if let Some(url) = &opts.base_url
        && !config.set_base_url(url)
    {
        return Err(Diagnostics(vec![Diagnostic::error(format!(
            "--base-url {url:?} is not an absolute http(s) URL"
        ))]));
    }
    Ok(config)
}

/// Where the output goes: `--output`, else `output_dir` from site.toml under the root.
pub fn output_dir(opts: &BuildOptions, config: &Config) -> PathBuf {
    match &opts.output {
        Some(o) => o.clone(),
        None => opts.root.join(&config.output_dir), // an absolute output_dir replaces the root
    }
}

/// Build the site in memory. Returns every diagnostic when any is an error.
pub fn build(opts: &BuildOptions) -> Result<Build, Diagnostics> {
    let config = load_config(opts)?;
    build_with(opts, config, &render::InMemory)
}

/// A build's stages up to rendering, kept by `serve` between rebuilds.
pub struct Parts {
    /// The configuration the site was built with.
    pub config: Config,
    /// The resolved site.
    pub site: Site,
    /// Loaded templates.
    pub templates: render::templates::Templates,
    /// Where the theme comes from.
    pub theme: render::templates::ThemeSource,
    /// Cards and citations.
    pub renderer: render::Renderer,
    /// Every Markdown source and its role, by path relative to the root.
    pub roles: std::collections::HashMap<PathBuf, content::Role>,
    /// Warnings so far.
    pub diagnostics: Diagnostics,
}

/// Run every stage before rendering; `cache` (from `serve`) skips re-parsing unchanged files.
pub fn prepare(
    opts: &BuildOptions,
    config: Config,
    cache: Option<&mut content::ParseCache>,
) -> Result<Parts, Diagnostics> {
    let mut timer = timings::Timer::new();
    opts.progress.step("Reading content");
    let now = now(opts).map_err(|d| Diagnostics(vec![d]))?;
    let mut diags = Diagnostics::default();
    // Templates load while content is scanned and parsed.
    let theme = render::templates::theme_source(&opts.root, &config.theme);
    let (templates, (scan, parsed)) = rayon::join(
        || {
            let templates = theme
                .clone()
                .map_err(|d| vec![d])
                .and_then(|t| render::templates::Templates::load(&opts.root, &t));
            let theme_dir = match &theme {
                Ok(render::templates::ThemeSource::Dir(d)) => Some(d.as_path()),
                _ => None,
            };
            let words = i18n::Catalog::load(&opts.root, theme_dir, &config.language);
            (templates, words)
        },
        || {
            let mut t = timings::Timer::nested(1);
            let mut scan = content::scan(&opts.root, &config);
            t.done("scan");
            let (library, lib_diags) = biblio::Library::load(&opts.root, &config, &scan.sources);
            scan.diagnostics.extend(lib_diags);
            // A bibliography is read, not published.
            scan.assets.retain(|a| !library.is_bibliography(&a.rel));
            let images =
                images::catalog(&opts.root, &config.images, &scan.assets).unwrap_or_else(|d| {
                    scan.diagnostics.push(d);
                    images::Catalog::off()
                });
            t.done("images");
            let parsed = match cache {
                Some(c) => content::parse_cached(&scan.sources, &config, &library, &images, c),
                None => content::parse(&mut scan.sources, &config, &library, &images),
            };
            t.done("parse");
            (scan, (parsed, library, images))
        },
    );
    let (parsed, library, images) = parsed;
    let (templates, words) = templates;
    let words = words.unwrap_or_else(|ds| {
        diags.extend(ds);
        i18n::Catalog::built_in(&config.language)
    });
    // Types, topics and regions that site.toml leaves unnamed are named in the site's language.
    let mut config = config;
    config.localise(&words.labels(&config.language));
    timer.done("load");
    diags.extend(scan.diagnostics.0);
    let (parsed, parse_diags) = parsed;
    diags.extend(parse_diags.0);
    let roles = scan.sources.into_iter().map(|s| (s.rel, s.role)).collect();
    let templates = match templates {
        Ok(t) => {
            diags.extend(t.warnings.iter().cloned());
            Some(t)
        }
        Err(ds) => {
            diags.extend(ds);
            None
        }
    };
    let publishing = Publishing {
        now,
        drafts: opts.drafts,
        future: opts.future,
    };
    let mut laps = timings::Timer::nested(1);
    let (mut site, site_diags) = site::assemble(&config, parsed, scan.assets, &publishing);
    laps.done("site");
    site.bibliographies = std::sync::Arc::new(library);
    let mut images = images;
    images.publish(
        site.assets
            .iter()
            .map(|a| (a.rel.as_path(), a.out.as_str())),
    );
    site.images = std::sync::Arc::new(images);
    site.i18n = std::sync::Arc::new(words);
    diags.extend(render::images::diagnostics(&site));
    laps.done("images checked");
    diags.extend(site_diags.0);
    timer.done("assemble");
    if diags.has_errors() {
        diags.sort_dedup();
        return Err(diags);
    }
    let mut templates = templates.expect("no errors, so templates loaded");
    render::image_fns::register(
        &mut templates.tera,
        site.images.clone(),
        (&site.config.base_url, &site.config.base_path),
    );
    render::words_fn::register(
        &mut templates.tera,
        site.i18n.clone(),
        &site.config.language,
    );
    let (data, data_diags) = data::Data::load(&opts.root);
    diags.extend(data_diags);
    data::register(&mut templates.tera, std::sync::Arc::new(data));
    // Components written in Markdown are drawn before anything reads a document's HTML.
    diags.extend(render::components::expand_site(&mut site, &templates.tera));
    timer.done("components");
    // Nothing changes a brief's HTML from here on: it is held compressed until read.
    site.pack_bodies();
    timer.done("pack bodies");
    if diags.has_errors() {
        diags.sort_dedup();
        return Err(diags);
    }
    let theme = theme.expect("no errors, so the theme resolved");
    opts.progress.step("Preparing cards and citations");
    let (renderer, render_diags) = render::Renderer::new(&site, &templates);
    diags.extend(render_diags.0);
    if diags.has_errors() {
        diags.sort_dedup();
        return Err(diags);
    }
    Ok(Parts {
        config,
        site,
        templates,
        theme,
        renderer,
        roles,
        diagnostics: diags,
    })
}

/// Render a prepared site: every page through `sink` (with the search index made on the way
/// when `search` is true and the site enables it), then every other file, into one [`Output`].
/// Two sources of one output path are errors naming both.
pub fn render_site(
    parts: &mut Parts,
    root: &std::path::Path,
    sink: &dyn render::PageSink,
    search: bool,
) -> (Output, Diagnostics) {
    let none = progress::Progress::none();
    render_site_with(parts, root, sink, search, &none, PageValues::Keep)
}

/// What a render does with the values only pages use (every brief's card) once the pages are
/// rendered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageValues {
    /// Keep them (`serve` renders edited briefs again).
    Keep,
    /// Free them before the search index and the other files are made (a build).
    Release,
}

/// [`render_site`], counting rendered pages on `progress`, and keeping or releasing the
/// values only pages use.
pub fn render_site_with(
    parts: &mut Parts,
    root: &std::path::Path,
    sink: &dyn render::PageSink,
    search: bool,
    progress: &progress::Progress,
    page_values: PageValues,
) -> (Output, Diagnostics) {
    let site = &parts.site;
    let mut timer = timings::Timer::new();
    let planned = render::plan(site);
    progress.phase("Rendering pages", planned.len() as u64);
    let counting = progress::Counting {
        inner: sink,
        progress,
    };
    let writer: &dyn render::PageSink = &counting;
    let indexer = (search && site.config.search).then(|| search::Indexer::new(writer));
    let sink: &dyn render::PageSink = match &indexer {
        Some(ix) => ix,
        None => writer,
    };
    let (pages, mut diags) = parts
        .renderer
        .render_pages(site, &parts.templates, &planned, sink);
    let mut out = Output::default();
    out.add_all(pages, &mut diags);
    if page_values == PageValues::Release {
        parts.renderer.release_page_values();
    }
    timer.done("pages");
    // The other files before the search index: the feeds' texts are freed before the index's
    // postings are made, and the cards have long been freed (at 100,000 briefs, the index
    // made while the cards were still being freed set the build's peak).
    let (files, warnings) = render::files::site_files(
        site,
        parts.renderer.citations(),
        &planned,
        (root, &parts.theme),
        writer,
    );
    diags.extend(warnings);
    out.add_all(files, &mut diags);
    timer.done("files");
    if let Some(ix) = indexer
        && !diags.has_errors()
    {
        match ix.finish() {
            Ok(files) => {
                // Each index file is written (or kept) as it is handed over, then freed.
                use rayon::prelude::*;
                let placed: Vec<(String, Result<output::Body, Diagnostic>)> = files
                    .into_par_iter()
                    .map(|(path, file)| {
                        let body = file
                            .into_bytes()
                            .map_err(|e| {
                                Diagnostic::error(format!(
                                    "search index: cannot read back {path} from its temporary file: {e}"
                                ))
                            })
                            .and_then(|bytes| writer.file(&path, bytes));
                        (path, body)
                    })
                    .collect();
                for (path, body) in placed {
                    let origin = output::Origin::generated("the search index");
                    match body.and_then(|b| out.add(path, b, origin)) {
                        Ok(()) => {}
                        Err(d) => diags.push(d),
                    }
                }
            }
            Err(e) => diags.push(Diagnostic::error(format!(
                "search index: {}",
                diag::anyhow_chain(&e)
            ))),
        }
        timer.done("search");
    }
    (out, diags)
}

fn build_with(
    opts: &BuildOptions,
    config: Config,
    sink: &dyn render::PageSink,
) -> Result<Build, Diagnostics> {
    let start = std::time::Instant::now();
    let output_dir = output_dir(opts, &config);
    let mut parts = prepare(opts, config, None)?;
    let mut diags = parts.diagnostics.clone();
    let (output, render_diags) = render_site_with(
        &mut parts,
        &opts.root,
        sink,
        true,
        &opts.progress,
        PageValues::Release,
    );
    diags.extend(render_diags.0);
    let mut timer = timings::Timer::new();
    if opts.verify_links {
        diags.extend(broken_links(&parts.site, &output));
        timer.done("links");
    }
    // Freeing every brief's card and citation takes a while at 10,000 briefs; do it aside.
    let Parts {
        site,
        renderer,
        templates,
        ..
    } = parts;
    std::thread::spawn(move || drop((renderer, templates)));
    diags.sort_dedup();
    if diags.has_errors() {
        return Err(diags);
    }
    Ok(Build {
        site,
        output,
        diagnostics: diags,
        output_dir,
        elapsed: start.elapsed(),
        root: opts.root.clone(),
        placed: None,
    })
}

/// Internal links and images that name nothing the site publishes, as errors or warnings as
/// `[build] broken_links` says.
pub fn broken_links(site: &Site, output: &Output) -> Vec<Diagnostic> {
    let severity = site.config.broken_links;
    references::broken(site, output)
        .into_iter()
        .map(|b| {
            let mut d = b.diagnostic;
            d.severity = severity;
            if severity == diag::Severity::Error {
                let was = d.hint.take().unwrap_or_default();
                d.hint = Some(format!(
                    "{was}; to publish anyway, set `[build] broken_links = \"warning\"` in site.toml"
                ));
            }
            d
        })
        .collect()
}

/// Build and write to the output folder (checked first: see [`output::check_output_dir`]).
/// Pages are written into a staging folder as they are rendered; it replaces the output folder
/// only when the build succeeded and every file was written.
pub fn build_and_write(opts: &BuildOptions) -> Result<Build, Diagnostics> {
    // Check the output folder before doing any work, so a refusal is immediate.
    let config = load_config(opts)?;
    let out = output_dir(opts, &config);
    let out_abs = output::check_output_dir(&opts.root, &out).map_err(|d| Diagnostics(vec![d]))?;
    let cannot_write = |e: &std::io::Error| {
        Diagnostics(vec![
            Diagnostic::error(format!(
                "cannot write the output to {}: {}",
                out.display(),
                diag::error_chain(e)
            ))
            .with_hint("the previous output, if any, is unchanged"),
        ])
    };
    let stage = output::Staging::new(&out_abs).map_err(|e| cannot_write(&e))?;
    // On an error the staging folder is dropped (removed) and the output left as it was.
    let mut b = build_with(opts, config, &stage)?;
    let mut timer = timings::Timer::new();
    opts.progress.step("Writing files");
    let written = stage.finish(&b.output);
    timer.done("write");
    b.placed = Some(written.map_err(|e| cannot_write(&e))?);
    Ok(b)
}
