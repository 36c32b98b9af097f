//! The command line: clap definitions, resolved once into `BuildOptions` and friends.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::BuildOptions;

/// dossier: a static-site generator for policy briefs.
///
/// Write briefs in Markdown with front matter under content/briefs/, author profiles under
/// content/authors/, then `dossier build`. Every brief is reachable by author, topic and
/// region, with Atom feeds and a sitemap.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about, long_about, propagate_version = true)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    ///
    /// The previous output is replaced only when the whole build succeeds; on any error it is
    /// left exactly as it was and every problem is listed with its file and line.
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
    /// Builds in memory (never into the output folder), watches site.toml, content/,
    /// templates/, static/ and themes/, and rebuilds on every save: an edit to a brief
    /// re-renders only the pages that show it. Open pages reload themselves; CSS changes are
    /// swapped in place; a broken file shows its error on the page while the last good
    /// version stays served. Ctrl-C stops it.
    Serve(ServeArgs),
    /// Publish the built site to a target from site.toml ([deploy.targets.NAME]).
    ///
    /// Builds (unless --no-build), compares the output with the target by content hash,
    /// uploads new and changed files (assets before pages), then deletes files that are no
    /// longer built — at most --max-deletes unless --confirm. Prints the plan; --dry-run
    /// changes nothing. An interrupted deploy is completed by running it again. S3 credentials
    /// come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY or ~/.aws/credentials, never from
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
}

/// `dossier new …`
#[derive(Debug, Subcommand)]
pub enum NewCommand {
    /// Write content/briefs/<slug>.md as a draft (never overwrites an existing file).
    Brief {
        /// The brief's title.
        title: String,
        /// An author (slug or name); repeat for several.
        #[arg(long = "author", value_name = "AUTHOR")]
        authors: Vec<String>,
        /// A topic; repeat for several.
        #[arg(long = "topic", value_name = "TOPIC")]
        topics: Vec<String>,
        /// A region; repeat for several.
        #[arg(long = "region", value_name = "REGION")]
        regions: Vec<String>,
        /// Site root.
        #[arg(long, default_value = ".", value_name = "DIR")]
        root: PathBuf,
    },
}

/// Arguments of `dossier check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Site root: the folder holding site.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
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
}

impl CheckArgs {
    /// Resolve into check options.
    pub fn options(&self) -> crate::check::CheckOptions {
        crate::check::CheckOptions {
            build: BuildOptions {
                root: self.root.clone(),
                output: None,
                base_url: None,
                drafts: self.drafts,
                future: self.future,
                now: None,
            },
            external: self.external,
            external_options: crate::external::ExternalOptions {
                timeout: std::time::Duration::from_secs(self.timeout.max(1)),
                per_host: self.per_host.max(1),
                ..Default::default()
            },
        }
    }
}

/// Arguments of `dossier serve`.
#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Site root: the folder holding site.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
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
    /// Site root: the folder holding site.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
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
    /// Upload every file, even unchanged ones (e.g. after changing cache rules).
    #[arg(long)]
    pub force: bool,
    /// Output folder (default: `output_dir` from site.toml, "public").
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

/// Arguments of `dossier build`.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// Site root: the folder holding site.toml.
    #[arg(long, default_value = ".", value_name = "DIR")]
    pub root: PathBuf,
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

impl BuildArgs {
    /// Resolve into build options.
    pub fn options(&self) -> BuildOptions {
        BuildOptions {
            root: self.root.clone(),
            output: self.output.clone(),
            base_url: self.base_url.clone(),
            drafts: self.drafts,
            future: self.future,
            now: None,
        }
    }
}
