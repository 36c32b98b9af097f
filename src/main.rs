//! The `dossier` binary: parse the command line, resolve it into options once, call the
//! library, print diagnostics (coloured on a terminal), and return an exit code (0 success,
//! 1 errors in the site, 2 usage errors from clap).

use std::io::Write as _;
use std::process::ExitCode;

use clap::{CommandFactory as _, Parser as _};
use dossier::cli::{Cli, ColorWhen, Command, Global};
use dossier::diag::{Diagnostic, Diagnostics, count};

/// mimalloc instead of the system allocator: a build allocates and frees millions of small
/// strings and template values from two threads at once, and glibc's malloc spent an eighth
/// of a 10,000-brief build in its own bookkeeping (`perf`; see bench/RESULTS.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.global.color {
        ColorWhen::Always => anstream::ColorChoice::Always.write_global(),
        ColorWhen::Never => anstream::ColorChoice::Never.write_global(),
        ColorWhen::Auto => {}
    }
    let global = &cli.global;
    let result = match cli.command {
        Command::Build(args) => build(global, &args),
        Command::Check(args) => check(global, &args),
        Command::Serve(args) => args.options(global).map_err(Failure::from).and_then(|o| {
            dossier::serve::run(&o).map_err(|e| Failure::Io(dossier::diag::anyhow_chain(&e)))
        }),
        Command::Deploy(args) => deploy(global, &args),
        Command::Init { dir } => init(&dir),
        Command::New(what) => new_content(global, what.item()),
        Command::Schedule(args) => schedule(global, &args),
        Command::Import(dossier::cli::ImportCommand::Wordpress(args)) => {
            import_wordpress(global, &args)
        }
        Command::Completions { shell } => {
            let mut cmd = Cli::command();
            clap_complete::generate(shell, &mut cmd, "dossier", &mut std::io::stdout());
            Ok(())
        }
        Command::Man { dir } => man(dir.as_deref()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(Failure::Site(d)) => {
            print_diagnostics(&d);
            let n = d.error_count();
            let warnings = match d.warning_count() {
                0 => String::new(),
                w => format!(", {}", count(w, "warning", "warnings")),
            };
            anstream::eprintln!(
                "Build failed: {}{warnings}. Nothing was written; the previous output is unchanged.",
                count(n, "error", "errors")
            );
            ExitCode::from(1)
        }
        Err(Failure::Command(d)) => {
            print_diagnostics(&d);
            ExitCode::from(1)
        }
        Err(Failure::Io(message)) => {
            let red = anstyle::Style::new()
                .bold()
                .fg_color(Some(anstyle::AnsiColor::Red.into()));
            anstream::eprintln!("{red}error:{red:#} {message}");
            ExitCode::from(1)
        }
        Err(Failure::Exit(code)) => ExitCode::from(code),
    }
}

/// How a command failed.
enum Failure {
    /// The site has errors: a build would have written nothing (`build`, `deploy`'s build).
    Site(Diagnostics),
    /// A command other than a build could not do its work (`init`, `new`, `check` setup).
    Command(Diagnostics),
    /// An I/O failure at an edge (serve, deploy), with its cause chain.
    Io(String),
    /// The command printed its own report; exit with this code.
    Exit(u8),
}

impl From<Diagnostic> for Failure {
    fn from(d: Diagnostic) -> Self {
        Failure::Command(Diagnostics(vec![d]))
    }
}

fn build(global: &Global, args: &dossier::cli::BuildArgs) -> Result<(), Failure> {
    let opts = args.options(global)?;
    let built = dossier::build_and_write(&opts);
    opts.progress.finish();
    let b = built.map_err(Failure::Site)?;
    print_diagnostics(&b.diagnostics);
    if !args.quiet {
        let s = &b.site;
        let topics = s.taxonomy_named("topics").map_or(0, |(_, t)| t.terms.len());
        let left_out = match s.left_out {
            0 => String::new(),
            1 => " (1 draft or scheduled brief left out)".to_string(),
            n => format!(" ({n} drafts or scheduled briefs left out)"),
        };
        // "12 briefs", or with other collections "14 items (briefs 12, events 1, reports 1)".
        let with_items: Vec<String> = s
            .collections
            .iter()
            .filter(|c| !c.items.is_empty())
            .map(|c| format!("{} {}", c.name, c.items.len()))
            .collect();
        let items = match with_items.len() {
            0 | 1
                if s.collections
                    .iter()
                    .all(|c| c.items.is_empty() || c.name == "briefs") =>
            {
                count(s.briefs.len(), "brief", "briefs")
            }
            _ => format!(
                "{} ({})",
                count(s.briefs.len(), "item", "items"),
                with_items.join(", ")
            ),
        };
        println!(
            "Built {}: {items}{left_out}, {}, {} in {} ms → {}",
            count(b.output.html_pages(), "page", "pages"),
            count(s.authors.len(), "author", "authors"),
            count(topics, "topic", "topics"),
            b.elapsed.as_millis(),
            b.output_dir.display()
        );
        if let Some(p) = b.placed.filter(|p| p.kept > 0) {
            println!(
                "{} written, {} unchanged (kept with their modification times)",
                count(p.written, "file", "files"),
                count(p.kept, "file", "files"),
            );
        }
    }
    if !args.quiet {
        for note in dossier::schedule::next_note(&b.site.schedule) {
            println!("{note}");
        }
    }
    // The process ends here: let the OS reclaim the site's memory at once rather than freeing
    // it piece by piece (~0.1 s at 10,000 briefs).
    std::mem::forget(b);
    Ok(())
}

fn check(global: &Global, args: &dossier::cli::CheckArgs) -> Result<(), Failure> {
    let report = dossier::check::check(&args.options(global)?);
    let mut out = anstream::stdout().lock();
    let _ = dossier::check::print_grouped(&report.diagnostics, &mut out);
    let (e, w) = (
        report.diagnostics.error_count(),
        report.diagnostics.warning_count(),
    );
    if let Some(x) = &report.external {
        let _ = writeln!(
            out,
            "\nExternal links: {} checked on {}: {} ok, {} broken, {} unreachable{}.",
            x.checked,
            count(x.hosts, "host", "hosts"),
            x.ok,
            x.broken,
            x.unreachable,
            if x.not_checked > 0 {
                format!(", {} not checked before the deadline", x.not_checked)
            } else {
                String::new()
            }
        );
    }
    let files = report
        .diagnostics
        .iter()
        .filter_map(|d| d.file.as_ref())
        .collect::<std::collections::BTreeSet<_>>()
        .len();
    let _ = writeln!(
        out,
        "\nChecked {}: {}, {} in {}.",
        count(report.pages, "page", "pages"),
        count(e, "error", "errors"),
        count(w, "warning", "warnings"),
        count(files, "file", "files"),
    );
    if e > 0 || (args.strict && w > 0) {
        Err(Failure::Exit(1))
    } else {
        Ok(())
    }
}

fn deploy(global: &Global, args: &dossier::cli::DeployArgs) -> Result<(), Failure> {
    let (opts, deploy) = args.options(global)?;
    if !args.no_build {
        let built = dossier::build_and_write(&opts);
        opts.progress.finish();
        let b = built.map_err(Failure::Site)?;
        print_diagnostics(&b.diagnostics);
        let built = format!(
            "Built {} in {} ms.",
            count(b.output.html_pages(), "page", "pages"),
            b.elapsed.as_millis()
        );
        // With --json, standard output is the JSON object alone.
        if args.json {
            eprintln!("{built}");
        } else {
            println!("{built}");
        }
    }
    let config = dossier::load_config(&opts).map_err(Failure::Command)?;
    let out = dossier::output_dir(&opts, &config);
    let mut stdout = std::io::stdout();
    let done = dossier::deploy::deploy(&config, &opts.root, &out, &deploy, &mut stdout);
    deploy.progress.finish();
    done.map(|_| ())
        .map_err(|e| Failure::Io(dossier::diag::anyhow_chain(&e)))
}

fn init(dir: &std::path::Path) -> Result<(), Failure> {
    dossier::scaffold::init(dir)?;
    println!("Created a new site in {}.", dir.display());
    println!("Next: cd {} && dossier build", dir.display());
    Ok(())
}

fn schedule(global: &Global, args: &dossier::cli::ScheduleArgs) -> Result<(), Failure> {
    let opts = global.build_options()?;
    let list = dossier::schedule::schedule(&opts).map_err(Failure::Command)?;
    if args.json {
        println!("{}", dossier::schedule::to_json(&list));
    } else if list.is_empty() {
        println!(
            "Nothing is scheduled: every dated item and page is already published, and none expires."
        );
    } else {
        for c in &list {
            println!("{}", dossier::schedule::line(c));
        }
    }
    Ok(())
}

/// `dossier import wordpress`: the import, then its report; exit 1 when an item failed.
fn import_wordpress(global: &Global, args: &dossier::cli::WordpressArgs) -> Result<(), Failure> {
    let mut opts = global.build_options()?;
    if let Some(into) = &args.into {
        if !into.join("site.toml").is_file() {
            return Err(Failure::Command(Diagnostics(vec![
                Diagnostic::error(format!(
                    "{} is not a dossier site (no site.toml)",
                    into.display()
                ))
                .with_hint("create one with `dossier init DIR`, then import into it"),
            ])));
        }
        opts = dossier::BuildOptions::new(into.clone());
    }
    let config = dossier::load_config(&opts).map_err(Failure::Command)?;
    let mut map = std::collections::BTreeMap::new();
    for m in &args.map {
        let Some((wp, ours)) = m.split_once('=') else {
            return Err(Failure::Command(Diagnostics(vec![Diagnostic::error(
                format!(
                    "--map {m}: write WORDPRESS_TAXONOMY=DOSSIER_TAXONOMY, e.g. post_tag=regions"
                ),
            )])));
        };
        map.insert(wp.trim().to_string(), ours.trim().to_string());
    }
    let import = dossier::import::Options {
        export: args.export.clone(),
        uploads: args.uploads.clone(),
        map,
        dry_run: args.dry_run,
    };
    if let Some(dir) = &import.uploads
        && !dir.is_dir()
    {
        return Err(Failure::Command(Diagnostics(vec![Diagnostic::error(
            format!("--uploads {}: not a folder", dir.display()),
        )])));
    }
    let report = dossier::import::wordpress(&opts.root, &config, &import)
        .map_err(|d| Failure::Command(Diagnostics(vec![d])))?;
    print!("{}", report.text(args.dry_run));
    if report.has_failures() {
        return Err(Failure::Exit(1));
    }
    Ok(())
}

fn new_content(global: &Global, item: dossier::scaffold::NewItem) -> Result<(), Failure> {
    let opts = global.build_options()?;
    let written = dossier::scaffold::new_content(&opts, &item)?;
    for path in &written {
        let draft = std::fs::read_to_string(path).is_ok_and(|t| t.contains("\ndraft: true\n"));
        let note = if draft {
            " (a draft: remove `draft: true` to publish it)"
        } else {
            ""
        };
        println!("Created {}{note}.", path.display());
    }
    Ok(())
}

/// `dossier man`: the top page to standard output, or every page into a folder.
fn man(dir: Option<&std::path::Path>) -> Result<(), Failure> {
    let cmd = Cli::command();
    let io = |e: std::io::Error| Failure::Io(format!("cannot write the manual: {e}"));
    let Some(dir) = dir else {
        return clap_mangen::Man::new(cmd)
            .render(&mut std::io::stdout())
            .map_err(io);
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut pages = vec![("dossier".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        let name = format!("dossier-{}", sub.get_name());
        pages.push((name.clone(), sub.clone().name(name)));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut f = std::fs::File::create(&path).map_err(io)?;
        clap_mangen::Man::new(page).render(&mut f).map_err(io)?;
        println!("Wrote {}", path.display());
    }
    Ok(())
}

fn print_diagnostics(diags: &Diagnostics) {
    let mut err = anstream::stderr().lock();
    for d in diags.iter() {
        let _ = writeln!(err, "{}", d.styled());
    }
}
