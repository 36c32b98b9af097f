//! The publishing schedule (issue 24): what goes live, and what expires, after now.
//!
//! `dossier build` prints the next entry under its summary; `dossier schedule` lists them all
//! (`--json` for scripts); `serve` rebuilds at each one (`Site::next_publication`). The list
//! itself is made by the site stage (`site::collections::schedule`); this module reads the
//! site without rendering it and formats the list.

use crate::diag::Diagnostics;
use crate::site::{Change, Publishing, ScheduledChange};
use crate::{BuildOptions, biblio, content, load_config, now, site};

/// Everything that publishes or expires after the build clock, soonest first. Reads and
/// parses the content; renders nothing.
pub fn schedule(opts: &BuildOptions) -> Result<Vec<ScheduledChange>, Diagnostics> {
    let config = load_config(opts)?;
    let now = now(opts).map_err(|d| Diagnostics(vec![d]))?;
    let mut scan = content::scan(&opts.root, &config);
    let (library, lib_diags) = biblio::Library::load(&opts.root, &config, &scan.sources);
    let (parsed, parse_diags) = content::parse(
        &mut scan.sources,
        &config,
        &library,
        &crate::images::Catalog::off(),
    );
    let publishing = Publishing {
        now,
        drafts: false,
        future: false,
    };
    let (site, site_diags) = site::assemble(&config, parsed, scan.assets, &publishing);
    let mut diags = scan.diagnostics;
    diags.extend(lib_diags);
    diags.extend(parse_diags.0);
    diags.extend(site_diags.0);
    if diags.has_errors() {
        diags.sort_dedup();
        return Err(diags);
    }
    Ok(site.schedule)
}

/// "2026-12-05 17:30 GMT": a time as the site's editors read it.
pub fn when(at: &jiff::ZonedDateTime) -> String {
    at.strftime("%Y-%m-%d %H:%M %Z").to_string()
}

/// One line of the schedule: "2026-12-05 17:30 GMT  publishes  content/briefs/x.md  (Title)".
pub fn line(c: &ScheduledChange) -> String {
    let what = match c.change {
        Change::Publishes => "publishes",
        Change::Expires => "expires  ",
    };
    format!(
        "{}  {what}  {}  ({})",
        when(&c.at),
        c.source.display(),
        c.title
    )
}

/// The note `build` prints under its summary: the next publication and the next expiry.
pub fn next_note(schedule: &[ScheduledChange]) -> Vec<String> {
    let mut out = Vec::new();
    for (change, label) in [
        (Change::Publishes, "next scheduled"),
        (Change::Expires, "next expiry"),
    ] {
        if let Some(c) = schedule.iter().find(|c| c.change == change) {
            out.push(format!(
                "{label}: {} at {}",
                c.source.display(),
                when(&c.at)
            ));
        }
    }
    out
}

/// The schedule as JSON: `[{"at": RFC 3339, "change": "publishes"|"expires", "source",
/// "title"}]`.
pub fn to_json(schedule: &[ScheduledChange]) -> String {
    let items: Vec<serde_json::Value> = schedule
        .iter()
        .map(|c| {
            serde_json::json!({
                "at": c.at.timestamp().to_string(),
                "local": when(&c.at),
                "change": c.change,
                "source": c.source.to_string_lossy().replace('\\', "/"),
                "title": c.title,
            })
        })
        .collect();
    serde_json::to_string_pretty(&items).expect("JSON values serialise")
}
