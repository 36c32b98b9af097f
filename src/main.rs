//! The `dossier` binary: parse the command line, call the library, print diagnostics, and
//! return an exit code (0 success, 1 errors in the site, 2 usage errors from clap).

use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser;
use dossier::BuildOptions;
use dossier::cli::{Cli, Command, NewCommand};
use dossier::diag::Diagnostics;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let opts = args.options();
            match dossier::build_and_write(&opts) {
                Ok(b) => {
                    print_diagnostics(&b.diagnostics);
                    if !args.quiet {
                        let s = &b.site;
                        let topics = s
                            .taxonomies
                            .iter()
                            .find(|t| t.def.name == "topics")
                            .map_or(0, |t| t.terms.len());
                        let out = opts
                            .output
                            .clone()
                            .unwrap_or_else(|| opts.root.join(&s.config.output_dir));
                        let count = |n: usize, one: &str, many: &str| {
                            format!("{n} {}", if n == 1 { one } else { many })
                        };
                        let left_out = match s.left_out {
                            0 => String::new(),
                            1 => " (1 draft or scheduled brief left out)".to_string(),
                            n => format!(" ({n} drafts or scheduled left out)"),
                        };
                        println!(
                            "Built {}: {}{left_out}, {}, {} in {} ms → {}",
                            count(b.output.html_pages(), "page", "pages"),
                            count(s.briefs.len(), "brief", "briefs"),
                            count(s.authors.len(), "author", "authors"),
                            count(topics, "topic", "topics"),
                            b.elapsed.as_millis(),
                            out.display()
                        );
                    }
                    // The process ends here: let the OS reclaim the site's memory at once
                    // rather than freeing it piece by piece (~0.1 s at 10,000 briefs).
                    std::mem::forget(b);
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(&diags),
            }
        }
        Command::Check(args) => {
            let report = dossier::check::check(&args.options());
            let mut out = std::io::stdout().lock();
            let _ = dossier::check::print_grouped(&report.diagnostics, &mut out);
            let (e, w) = (
                report.diagnostics.error_count(),
                report.diagnostics.warning_count(),
            );
            if let Some(x) = &report.external {
                let _ = writeln!(
                    out,
                    "\nExternal links: {} checked on {} hosts: {} ok, {} broken, {} unreachable.",
                    x.checked, x.hosts, x.ok, x.broken, x.unreachable
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
                "\nChecked {} pages: {e} error{}, {w} warning{} in {files} file{}.",
                report.pages,
                if e == 1 { "" } else { "s" },
                if w == 1 { "" } else { "s" },
                if files == 1 { "" } else { "s" }
            );
            if e > 0 || (args.strict && w > 0) {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            }
        }
        Command::Serve(args) => match dossier::serve::run(&args) {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("error: {}", dossier::diag::anyhow_chain(&e));
                ExitCode::from(1)
            }
        },
        Command::Deploy(args) => {
            let opts = BuildOptions {
                root: args.root.clone(),
                output: args.output.clone(),
                base_url: None,
                drafts: false,
                future: false,
                now: None,
            };
            if !args.no_build {
                match dossier::build_and_write(&opts) {
                    Ok(b) => {
                        print_diagnostics(&b.diagnostics);
                        println!(
                            "Built {} pages in {} ms.",
                            b.output.html_pages(),
                            b.elapsed.as_millis()
                        );
                    }
                    Err(d) => return fail(&d),
                }
            }
            let config = match dossier::load_config(&opts) {
                Ok(c) => c,
                Err(d) => return fail(&d),
            };
            let out = dossier::output_dir(&opts, &config);
            let d = dossier::deploy::DeployOptions {
                target: args.target.clone(),
                dry_run: args.dry_run,
                max_deletes: args.max_deletes,
                confirm: args.confirm,
                force: args.force,
            };
            let mut stdout = std::io::stdout();
            match dossier::deploy::deploy(&config, &opts.root, &out, &d, &mut stdout) {
                Ok(_) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {}", dossier::diag::anyhow_chain(&e));
                    ExitCode::from(1)
                }
            }
        }
        Command::Init { dir } => match dossier::scaffold::init(&dir) {
            Ok(()) => {
                println!("Created a new site in {}.", dir.display());
                println!("Next: cd {} && dossier build", dir.display());
                ExitCode::SUCCESS
            }
            Err(d) => fail(&Diagnostics(vec![d])),
        },
        Command::New(NewCommand::Brief {
            title,
            authors,
            topics,
            regions,
            root,
        }) => match dossier::scaffold::new_brief(&root, &title, &authors, &topics, &regions) {
            Ok(path) => {
                println!(
                    "Created {} (a draft: remove `draft: true` to publish it).",
                    path.display()
                );
                ExitCode::SUCCESS
            }
            Err(d) => fail(&Diagnostics(vec![d])),
        },
    }
}

fn print_diagnostics(diags: &Diagnostics) {
    let mut err = std::io::stderr().lock();
    for d in diags.iter() {
        let _ = writeln!(err, "{d}");
    }
}

fn fail(diags: &Diagnostics) -> ExitCode {
    print_diagnostics(diags);
    let n = diags.error_count();
    eprintln!(
        "Build failed: {n} error{}{}. Nothing was written; the previous output is unchanged.",
        if n == 1 { "" } else { "s" },
        match diags.warning_count() {
            0 => String::new(),
            w => format!(", {w} warning{}", if w == 1 { "" } else { "s" }),
        }
    );
    ExitCode::from(1)
}
