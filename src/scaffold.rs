//! `dossier init` and `dossier new brief`: write starter files, never overwriting anything.

use std::path::{Path, PathBuf};

use crate::diag::Diagnostic;
use crate::slug::slugify;

const SITE_TOML: &str = r#"# Site settings: see the README for every option.
title = "My Policy Institute"
base_url = "https://example.org/"
description = "Independent analysis for decision-makers."
language = "en"
timezone = "UTC"
paginate = 10
"#;

const SAMPLE_AUTHOR: &str = r#"---
name: Sample Author
role: Senior Fellow
affiliation: My Policy Institute
---
Sample Author writes about public policy. Replace this bio with a real one.
"#;

const HOME: &str = r#"---
title: My Policy Institute
description: Independent analysis for decision-makers.
---
"#;

fn sample_brief(date: &str) -> String {
    format!(
        r#"---
title: Welcome to your new site
subtitle: How briefs, authors and topics fit together
date: {date}
authors: [sample-author]
topics: [Getting Started]
regions: [Global]
summary: A first brief that shows front matter, footnotes and headings.
---
This is a brief. Its front matter (between the `---` lines) gives the title, date, authors,
topics and regions; the text below is Markdown.[^1]

## Writing

Add briefs under `content/briefs/`, author profiles under `content/authors/`, then run
`dossier build`.

[^1]: Footnotes become numbered endnotes with links both ways.
"#
    )
}

fn write_new(path: &Path, text: &str) -> Result<(), Diagnostic> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| Diagnostic::error(format!("cannot create {}: {e}", path.display())))?;
    std::io::Write::write_all(&mut f, text.as_bytes())
        .map_err(|e| Diagnostic::error(format!("cannot write {}: {e}", path.display())))
}

/// Create a working site in `dir`, which must not exist or be empty.
pub fn init(dir: &Path) -> Result<(), Diagnostic> {
    if dir.exists() {
        if !dir.is_dir() {
            return Err(Diagnostic::error(format!(
                "{} exists and is not a folder",
                dir.display()
            )));
        }
        let mut entries = std::fs::read_dir(dir)
            .map_err(|e| Diagnostic::error(format!("cannot read {}: {e}", dir.display())))?;
        if entries.next().is_some() {
            return Err(Diagnostic::error(format!(
                "{} is not empty; refusing to write into it",
                dir.display()
            ))
            .with_hint("choose a new folder name; nothing was changed"));
        }
    }
    // In the new site's time zone (UTC, as its site.toml says), by the clock builds use: a
    // local date ahead of UTC would make the sample brief "scheduled" and leave it out.
    let today = crate::clock()?
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date()
        .to_string();
    write_new(&dir.join("site.toml"), SITE_TOML)?;
    write_new(&dir.join("content/_index.md"), HOME)?;
    write_new(
        &dir.join("content/briefs/welcome.md"),
        &sample_brief(&today),
    )?;
    write_new(&dir.join("content/authors/sample-author.md"), SAMPLE_AUTHOR)?;
    for d in ["templates", "static"] {
        std::fs::create_dir_all(dir.join(d)).map_err(|e| {
            Diagnostic::error(format!("cannot create {}: {e}", dir.join(d).display()))
        })?;
    }
    // The output, and what a killed build leaves beside it until the next build removes it.
    write_new(
        &dir.join(".gitignore"),
        "/public/\n/.public.staging-*/\n/.public.old-*/\n",
    )?;
    Ok(())
}

fn yaml_list(items: &[String]) -> String {
    let quoted: Vec<String> = items.iter().map(|s| yaml_str(s)).collect();
    format!("[{}]", quoted.join(", "))
}

fn yaml_str(s: &str) -> String {
    serde_json::to_string(s).expect("strings always serialise")
}

/// Write `content/briefs/<slug>.md` as a draft dated today (in the site's time zone).
/// What `dossier new brief` writes into the front matter.
#[derive(Debug, Clone, Default)]
pub struct NewBrief {
    /// Title.
    pub title: String,
    /// Author slugs or names.
    pub authors: Vec<String>,
    /// Topics.
    pub topics: Vec<String>,
    /// Regions.
    pub regions: Vec<String>,
}

/// Write `content/briefs/<slug>.md` as a draft dated today (by the site's time zone and the
/// build clock); never overwrites a file.
pub fn new_brief(opts: &crate::BuildOptions, brief: &NewBrief) -> Result<PathBuf, Diagnostic> {
    let root = opts.root.as_path();
    let config =
        crate::config::Config::load_from(root, &opts.config).map_err(|mut ds| ds.remove(0))?;
    let NewBrief {
        title,
        authors,
        topics,
        regions,
    } = brief;
    let slug = slugify(title);
    if slug.is_empty() {
        return Err(Diagnostic::error(format!(
            "the title {title:?} has no letters or digits to make a file name from"
        )));
    }
    let path = root.join("content/briefs").join(format!("{slug}.md"));
    if path.exists() {
        return Err(Diagnostic::error(format!(
            "{} already exists; not overwriting it",
            path.display()
        )));
    }
    let today = crate::clock()?
        .to_zoned_datetime(config.timezone.clone())
        .date();
    let text = format!(
        "---\ntitle: {}\nsubtitle: \"\"\ndate: {today}\nauthors: {}\ntopics: {}\nregions: {}\nsummary: \"\"\ndraft: true\n---\nWrite the brief here.\n",
        yaml_str(title),
        yaml_list(authors),
        yaml_list(topics),
        yaml_list(regions),
    );
    write_new(&path, &text)?;
    Ok(path)
}
