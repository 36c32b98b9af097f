//! The command line: clap definitions as users type them, resolved once into the options
//! structs the library takes (`BuildOptions`, `CheckOptions`, `ServeOptions`, `DeployOptions`).
//!
//! Options that every command shares are global and may come before or after the command:
//! `--root` (default: the nearest folder holding `site.toml`, from the current folder
//! upwards), `--config` and `--env` (which settings files to read), `--color`.

use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::BuildOptions;
use crate::config::Sources;
use crate::diag::Diagnostic;
use crate::progress::Progress;

/// dossier: a static-site generator for policy briefs.
///
/// Write briefs in Markdown with front matter under content/briefs/, author profiles under
/// content/authors/, then `dossier build`. Every brief is reachable by author, topic and
/// region, with Atom feeds, a sitemap, citations and search.
#[derive(Debug, Parser)]
#[command(
    name = "dossier",
    version,
    about,
    long_about,
    propagate_version = true,
    after_help = "Run `dossier <command> --help` for a command's options. Exit codes: 0 success, 1 errors in the site, 2 usage errors."
)]
pub struct Cli {
    /// Options every command takes.
    #[command(flatten)]
    pub global: Global,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Options every command takes, before or after the command's name.
#[derive(Debug, Args)]
pub struct Global {
    /// Site root: the folder holding site.toml [default: the nearest such folder, from the
    /// current one upwards]
    #[arg(long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    /// Read these settings files instead of site.toml, in order: a later file's tables merge
    /// into an earlier one's (repeat, or separate with commas; relative to the current folder)
    #[arg(long, global = true, value_name = "FILE", value_delimiter = ',')]
    pub config: Vec<PathBuf>,
    /// Overlay site.NAME.toml from the site root on the settings (e.g. `--env production`)
    #[arg(long, global = true, value_name = "NAME", env = "DOSSIER_ENV")]
    pub env: Option<String>,
    /// When to colour messages: auto (on a terminal, unless NO_COLOR is set), always, never
    #[arg(long, global = true, value_enum, default_value_t = ColorWhen::Auto, value_name = "WHEN")]
    pub color: ColorWhen,
}

/// `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    /// On a terminal, unless `NO_COLOR` is set (or `CLICOLOR=0`; `CLICOLOR_FORCE` forces it).
    Auto,
    /// Always.
    Always,
    /// Never.
    Never,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    ///
    /// The previous output is replaced only when the whole build succeeds; on any error it is
    /// left exactly as it was and every problem is listed with its file and line. Files whose
    /// bytes did not change keep their modification time (rsync and deploys see only real
    /// changes). JPEG, PNG and WebP images are resized and re-encoded once: the results are
    /// kept in .dossier-cache/ under the site root (`[images] cache_dir`, or DOSSIER_CACHE_DIR;
    /// keep it between CI runs). `DOSSIER_TIMINGS=1` prints how long each stage took.
    Build(BuildArgs),
    /// Check the site before publishing: builds in memory, writes nothing.
    ///
    /// Reports, grouped by file with line numbers: broken internal links and images (in
    /// Markdown, templates and front matter), missing bundle files, authors without profiles,
    /// hero images without alt text, briefs without a summary, topic names that differ only in
    /// case or punctuation, duplicate titles, and footnotes without definitions or never used.
    /// Exits 1 when there are errors (or, with --strict, warnings).
    Check(CheckArgs),
    /// Preview the site at http://127.0.0.1:1111/ with live reload.
    ///
    /// Builds in memory (never into the output folder), watches the settings files, content/,
    /// templates/, static/, themes/, i18n/ and data/, and rebuilds on every save: an edit to a brief
    /// re-renders only the pages that show it. Open pages reload themselves; CSS changes are
    /// swapped in place; a broken file shows its error on the page while the last good
    /// version stays served. Ctrl-C stops it.
    Serve(ServeArgs),
    /// Publish the built site to a target from site.toml ([deploy.targets.NAME]).
    ///
    /// Builds (unless --no-build), compares the output with the target by content hash,
    /// uploads new and changed files (assets, then pages, then feeds; --workers at once, each
    /// retried, large files in parts), then deletes files that are no longer built — at most
    /// --max-deletes unless --confirm — and invalidates the changed paths in the target's
    /// CloudFront distribution or purge hook. Prints the plan (--json for CI); --dry-run
    /// changes nothing. An interrupted deploy is completed by running it again. S3
    /// credentials come from the AWS chain (environment, ~/.aws/config profiles, SSO,
    /// credential_process, assume-role, web identity, ECS and instance roles), never from
    /// site.toml.
    Deploy(DeployArgs),
    /// Create a new site in DIR, with one sample brief and author.
    ///
    /// DIR must not exist or be empty; nothing is ever overwritten.
    Init {
        /// Folder for the new site.
        dir: PathBuf,
    },
    /// Create new content from a template with front matter filled in.
    #[command(subcommand)]
    New(NewCommand),
    /// List what publishes or expires after now, soonest first.
    ///
    /// Items and pages dated in the future (not drafts) publish at their `date`; those with
    /// `expires` leave the site then. A built site changes only when it is rebuilt: run the
    /// build on a schedule (see docs/deploy.md) or keep `dossier serve` running, which rebuilds at
    /// each time. Times are in the site's time zone; DOSSIER_NOW sets the clock.
    Schedule(ScheduleArgs),
    /// Bring content over from another publishing system.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Print a shell completion script.
    ///
    /// For example: `dossier completions bash > ~/.local/share/bash-completion/completions/dossier`,
    /// `dossier completions zsh > ~/.zfunc/_dossier`, or
    /// `dossier completions fish > ~/.config/fish/completions/dossier.fish`.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a folder.
    ///
    /// For example: `dossier man | man -l -`, or `dossier man --dir /usr/local/share/man/man1`.
    Man {
        /// Write dossier.1, dossier-build.1, … into this folder instead of printing dossier.1.
        #[arg(long, value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}

/// `dossier new …`: every file is written as a draft dated today, never over an existing
/// file, and passes `dossier check --strict --drafts` as written.
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write content/briefs/<slug>.md as a draft.
    Brief(NewItemArgs),
    /// Write content/reports/<slug>.md as a draft (and content/reports/_index.md, making
    /// reports a collection, when missing).
    Report(NewItemArgs),
    /// Write content/events/<slug>.md as a draft with a start time (and
    /// content/events/_index.md, listing events by start, when missing).
    Event {
        #[command(flatten)]
        item: NewItemArgs,
        /// When it starts, in the site's time zone: "2026-03-05 18:30" [default: a week from
        /// today at 18:00].
        #[arg(long, value_name = "TIME")]
        start: Option<String>,
        /// Where it takes place ("Fenwick Hall, London", "Online").
        #[arg(long, value_name = "PLACE")]
        location: Option<String>,
    },
    /// Write content/<slug>.md: a standalone page (About, Contact…), as a draft.
    Page {
        /// The page's title.
        title: String,
    },
    /// Write content/authors/<slug>.md: an author profile.
    Author {
        /// The author's name as bylines print it.
        name: String,
        /// Job title, e.g. "Senior Fellow, Energy Programme".
        #[arg(long, value_name = "ROLE")]
        role: Option<String>,
    },
}

/// What `dossier new brief|report|event` takes.
#[derive(Debug, Args)]
pub struct NewItemArgs {
    /// The title.
    pub title: String,
    /// An author (slug or name); repeat for several.
    #[arg(long = "author", value_name = "AUTHOR")]
    pub authors: Vec<String>,
    /// A topic; repeat for several.
    #[arg(long = "topic", value_name = "TOPIC")]
    pub topics: Vec<String>,
    /// A region; repeat for several.
    #[arg(long = "region", value_name = "REGION")]
    pub regions: Vec<String>,
}

impl NewCommand {
    /// What to write.
    pub fn item(self) -> crate::scaffold::NewItem {
        use crate::scaffold::{NewItem, NewKind};
        let with = |kind, a: NewItemArgs| NewItem {
            authors: a.authors,
            topics: a.topics,
            regions: a.regions,
            ..NewItem::new(kind, &a.title)
        };
        match self {
            NewCommand::Brief(a) => with(NewKind::Brief, a),
            NewCommand::Report(a) => with(NewKind::Report, a),
            NewCommand::Event {
                item,
                start,
                location,
            } => NewItem {
                start,
                location,
                ..with(NewKind::Event, item)
            },
            NewCommand::Page { title } => NewItem::new(NewKind::Page, &title),
            NewCommand::Author { name, role } => NewItem {
                role,
                ..NewItem::new(NewKind::Author, &name)
            },
        }
    }
}

/// `dossier import …`.
#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import a WordPress export (Tools → Export → All content) into the site.
    ///
    /// Posts become briefs (a bundle when they carry media), pages standalone pages, users and
    /// Co-Authors Plus guest authors author profiles, categories and tags topics (see --map),
    /// drafts and pending posts drafts, scheduled posts scheduled briefs; private and trashed
    /// items are left out. Each old permalink becomes an alias that redirects. Bodies become
    /// Markdown: captions, embeds, galleries, YouTube/Vimeo/Datawrapper/Flourish frames become
    /// components, footnote plugins Markdown footnotes; what cannot be converted is kept as
    /// written and listed. Media are copied from --uploads; nothing is downloaded. Never
    /// overwrites a file, so running it again is safe; each item is written whole or not at
    /// all. Prints a report, and exits 1 when some item could not be imported.
    Wordpress(WordpressArgs),
}

/// Arguments of `dossier import wordpress`.
#[derive(Debug, Args)]
pub struct WordpressArgs {
    /// The export file (WXR 1.1 or 1.2).
    pub export: PathBuf,
    /// A local copy of the old site's wp-content/uploads folder, to copy media from.
    #[arg(long, value_name = "DIR")]
    pub uploads: Option<PathBuf>,
    /// The dossier site to import into [default: --root, or the nearest folder with a
    /// site.toml].
    #[arg(long, value_name = "SITE")]
    pub into: Option<PathBuf>,
    /// Put a WordPress taxonomy's terms into a dossier taxonomy, e.g. `post_tag=regions`, or
    /// leave them out with `post_tag=none` (repeat) [default: categories and tags into topics,
    /// a custom taxonomy into the site's taxonomy of that name].
    #[arg(long = "map", value_name = "WP=DOSSIER")]
    pub map: Vec<String>,
    /// Report what would be written; write nothing.
    #[arg(long)]
    pub dry_run: bool,
}

/// Arguments of `dossier schedule`.
#[derive(Debug, Args)]
pub struct ScheduleArgs {
    /// Print JSON: a list of {"at", "local", "change", "source", "title"}.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `dossier check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Also check external (http/https) links, concurrently, over the network.
    #[arg(long)]
    pub external: bool,
    /// Exit 1 on warnings too.
    #[arg(long)]
    pub strict: bool,
    /// Check drafts too.
    #[arg(long)]
    pub drafts: bool,
    /// Check briefs dated in the future too.
    #[arg(long)]
    pub future: bool,
    /// Seconds allowed for each external request.
    #[arg(long, default_value_t = 10, value_name = "SECS")]
    pub timeout: u64,
    /// External requests in flight to one host at most.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub per_host: usize,
    /// Stop checking external links after this many seconds overall; links not checked by
    /// then are counted in the summary.
    #[arg(long, value_name = "SECS")]
    pub deadline: Option<u64>,
}

/// Arguments of `dossier serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Port to listen on; when the default 1111 is taken the next free one is used. 0 picks
    /// any free port.
    #[arg(long, short, value_name = "N")]
    pub port: Option<u16>,
    /// Address to listen on. Anything but a loopback address makes the preview reachable
    /// from the network (a warning is printed).
    #[arg(long, default_value = "127.0.0.1", value_name = "ADDR")]
    pub bind: std::net::IpAddr,
    /// Include briefs and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include briefs dated in the future.
    #[arg(long)]
    pub future: bool,
    /// Open the preview in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Arguments of `dossier deploy`.
#[derive(Debug, Args)]
pub struct DeployArgs {
    /// Target name from site.toml (default: `[deploy] default_target`, or the only one).
    #[arg(long, short, value_name = "NAME")]
    pub target: Option<String>,
    /// Print the plan; upload and delete nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse to delete more files than this without --confirm.
    #[arg(long, default_value_t = 256, value_name = "N")]
    pub max_deletes: usize,
    /// Allow deleting more than --max-deletes files.
    #[arg(long)]
    pub confirm: bool,
    /// Deploy the existing output folder without building first.
    #[arg(long)]
    pub no_build: bool,
    /// Upload every file, even unchanged ones (e.g. after changing cache rules); with a folder
    /// target, also take over a non-empty folder dossier did not write (its files that the
    /// build does not have are deleted). The root and home folders are always refused.
    #[arg(long)]
    pub force: bool,
    /// Output folder (default: `output_dir` from site.toml, "public").
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Requests in flight at once (uploads, metadata reads, batches of 1,000 deletions).
    #[arg(long, short = 'j', default_value_t = 10, value_name = "N",
          value_parser = clap::value_parser!(u16).range(1..=256))]
    pub workers: u16,
    /// Seconds to wait for a small request's answer before retrying it; an upload gets one
    /// more second per 256 KiB, so a frozen endpoint costs seconds and a large PDF on a slow
    /// link still arrives.
    #[arg(long, default_value_t = 30, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub request_timeout: u64,
    /// Give up after this many seconds in all (what was sent stays; run again to finish).
    #[arg(long, default_value_t = 21600, value_name = "SECONDS",
          value_parser = clap::value_parser!(u64).range(1..))]
    pub timeout: u64,
    /// Print the plan and the result as one JSON object on standard output (for CI).
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `dossier build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Output folder (default: `output_dir` from site.toml, "public").
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
    /// Use this base URL instead of site.toml's (e.g. for a staging host).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Include briefs and pages marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Include briefs dated in the future (scheduled publishing is otherwise respected).
    #[arg(long)]
    pub future: bool,
    /// Print only errors and warnings, not the summary line.
    #[arg(long, short)]
    pub quiet: bool,
}

/// How long a build runs before a progress line appears (on a terminal).
const PROGRESS_AFTER: Duration = Duration::from_secs(2);

impl Global {
    /// The site root: `--root`, else the nearest folder holding `site.toml` from the current
    /// folder upwards (with `--config` and no such folder: the current folder).
    pub fn site_root(&self) -> Result<PathBuf, Diagnostic> {
        if let Some(r) = &self.root {
            return Ok(r.clone());
        }
        let cwd = std::env::current_dir()
            .map_err(|e| Diagnostic::error(format!("cannot read the current folder: {e}")))?;
        match find_root(&cwd) {
            Some(r) => Ok(relative_to(&r, &cwd)),
            None if !self.config.is_empty() => Ok(PathBuf::from(".")),
            None => Err(Diagnostic::error(format!(
                "no site.toml in {} or any folder above it",
                cwd.display()
            ))
            .with_hint(
                "run dossier inside a site folder, pass --root DIR, or create one with `dossier init DIR`",
            )),
        }
    }

    /// The settings files to read.
    pub fn sources(&self) -> Sources {
        Sources {
            files: self.config.clone(),
            env: self.env.clone().filter(|e| !e.is_empty()),
        }
    }

    /// Build options for this site with defaults for the rest.
    pub fn build_options(&self) -> Result<BuildOptions, Diagnostic> {
        let mut o = BuildOptions::new(self.site_root()?);
        o.config = self.sources();
        Ok(o)
    }
}

/// The nearest folder from `start` upwards holding a `site.toml` file.
pub fn find_root(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|d| d.join("site.toml").is_file())
        .map(Path::to_path_buf)
}

/// `root` as a path relative to `cwd` when inside it ("." for `cwd` itself, "../.." above),
/// so messages stay short.
fn relative_to(root: &Path, cwd: &Path) -> PathBuf {
    if root == cwd {
        return PathBuf::from(".");
    }
    match cwd.strip_prefix(root) {
        Ok(below) => below.components().map(|_| "..").collect(),
        Err(_) => root.to_path_buf(),
    }
}

impl BuildArgs {
    /// Resolve into build options.
    pub fn options(&self, global: &Global) -> Result<BuildOptions, Diagnostic> {
        let mut o = global.build_options()?;
        o.output = self.output.clone();
        o.base_url = self.base_url.clone();
        o.drafts = self.drafts;
        o.future = self.future;
        o.progress = Progress::after(PROGRESS_AFTER);
        Ok(o)
    }
}

impl CheckArgs {
    /// Resolve into check options.
    pub fn options(&self, global: &Global) -> Result<crate::check::CheckOptions, Diagnostic> {
        let mut build = global.build_options()?;
        build.drafts = self.drafts;
        build.future = self.future;
        Ok(crate::check::CheckOptions {
            build,
            external: self.external,
            external_options: crate::external::ExternalOptions {
                timeout: Duration::from_secs(self.timeout.max(1)),
                per_host: self.per_host.max(1),
                deadline: self.deadline.map(Duration::from_secs),
                progress: Progress::after(Duration::from_secs(1)),
                ..Default::default()
            },
        })
    }
}

/// What `dossier serve` needs, resolved.
#[derive(Debug, Clone)]
pub struct ServeOptions {
    /// How to build (the base URL is the preview's).
    pub build: BuildOptions,
    /// `--port`.
    pub port: Option<u16>,
    /// `--bind`.
    pub bind: std::net::IpAddr,
    /// `--open`.
    pub open: bool,
}

impl ServeArgs {
    /// Resolve into serve options.
    pub fn options(&self, global: &Global) -> Result<ServeOptions, Diagnostic> {
        let mut build = global.build_options()?;
        build.drafts = self.drafts;
        build.future = self.future;
        Ok(ServeOptions {
            build,
            port: self.port,
            bind: self.bind,
            open: self.open,
        })
    }
}

impl DeployArgs {
    /// Resolve into the build options (for building first) and the deploy options.
    pub fn options(
        &self,
        global: &Global,
    ) -> Result<(BuildOptions, crate::deploy::DeployOptions), Diagnostic> {
        let mut build = global.build_options()?;
        build.output = self.output.clone();
        build.progress = Progress::after(PROGRESS_AFTER);
        let deploy = crate::deploy::DeployOptions {
            target: self.target.clone(),
            dry_run: self.dry_run,
            max_deletes: self.max_deletes,
            confirm: self.confirm,
            force: self.force,
            workers: usize::from(self.workers),
            request_timeout: Duration::from_secs(self.request_timeout),
            timeout: Duration::from_secs(self.timeout),
            json: self.json,
            progress: Progress::after(Duration::from_secs(1)),
        };
        Ok((build, deploy))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_root_is_found_upwards_and_shown_relative() {
        let d = tempfile::tempdir().unwrap();
        let site = d.path().join("site");
        std::fs::create_dir_all(site.join("content/briefs")).unwrap();
        std::fs::write(site.join("site.toml"), "").unwrap();
        assert_eq!(find_root(&site.join("content/briefs")), Some(site.clone()));
        assert_eq!(find_root(d.path()), None);
        assert_eq!(relative_to(&site, &site), PathBuf::from("."));
        assert_eq!(
            relative_to(&site, &site.join("content/briefs")),
            PathBuf::from("../..")
        );
    }

    #[test]
    fn global_options_go_before_or_after_the_command() {
        let a = Cli::try_parse_from(["dossier", "--root", "x", "build"]).unwrap();
        let b = Cli::try_parse_from(["dossier", "build", "--root", "x"]).unwrap();
        assert_eq!(a.global.root, b.global.root);
        let c = Cli::try_parse_from(["dossier", "build", "--config", "a.toml,b.toml"]).unwrap();
        assert_eq!(c.global.config.len(), 2);
    }
}
