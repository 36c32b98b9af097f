//! What `deploy` prints: the plan (`+` new, `~` changed, `-` deleted, `!` invalidated), and
//! the result as a summary line or, with `--json`, one JSON object.

use super::cdn::Cdn;
use super::{Plan, Remote};

/// What a finished (or dry) deploy did; the `--json` object.
#[derive(serde::Serialize)]
pub struct Done<'a> {
    /// The target's name in site.toml.
    pub target: &'a str,
    /// Where it is ("s3://bucket/prefix/").
    pub location: String,
    /// Nothing was changed.
    pub dry_run: bool,
    /// The plan carried out.
    pub plan: &'a Plan,
    /// What each CDN said.
    pub cdn: Vec<String>,
    /// Wall time.
    pub seconds: f64,
}

/// After the deploy: JSON, or the CDNs' answers and a summary line (a dry run's line).
pub fn print_result(
    log: &mut dyn std::io::Write,
    done: &Done<'_>,
    json: bool,
) -> anyhow::Result<()> {
    if json {
        let mut rounded = serde_json::to_value(done)?;
        rounded["seconds"] = serde_json::json!((done.seconds * 1000.0).round() / 1000.0);
        let _ = writeln!(log, "{}", serde_json::to_string_pretty(&rounded)?);
        return Ok(());
    }
    if done.dry_run {
        let _ = writeln!(log, "Dry run: nothing was changed.");
        return Ok(());
    }
    for d in &done.cdn {
        let _ = writeln!(log, "{d}.");
    }
    let (plan, secs) = (done.plan, done.seconds);
    let _ = writeln!(
        log,
        "Deployed: {} uploaded ({} in {secs:.1} s, {}/s), {} deleted.",
        plan.uploads.len() + plan.updates.len(),
        human_bytes(plan.bytes),
        human_bytes((plan.bytes as f64 / secs.max(0.001)) as u64),
        plan.deletes.len()
    );
    Ok(())
}

/// Before the deploy: the counts, each path, and what the CDNs will be told.
pub fn print_plan(
    log: &mut dyn std::io::Write,
    name: &str,
    remote: &dyn Remote,
    cdns: &[Cdn],
    plan: &Plan,
) {
    let checked = if plan.checked > 0 {
        format!(" ({} checked by their stored version)", plan.checked)
    } else {
        String::new()
    };
    let _ = writeln!(
        log,
        "Deploy to `{name}` ({}): {} new, {} changed, {} to delete, {} unchanged{checked}; {} to upload.",
        remote.label(),
        plan.uploads.len(),
        plan.updates.len(),
        plan.deletes.len(),
        plan.unchanged,
        human_bytes(plan.bytes)
    );
    for p in &plan.uploads {
        let _ = writeln!(log, "  + {p}");
    }
    for p in &plan.updates {
        let _ = writeln!(log, "  ~ {p}");
    }
    for p in &plan.deletes {
        let _ = writeln!(log, "  - {p}");
    }
    if cdns.is_empty() {
        return;
    }
    let told = cdns
        .iter()
        .map(Cdn::label)
        .collect::<Vec<_>>()
        .join(" and ");
    if plan.invalidate.is_empty() {
        let _ = writeln!(log, "{told}: nothing to invalidate.");
    } else {
        let _ = writeln!(log, "{told}: invalidate {} paths", plan.invalidate.len());
        for p in &plan.invalidate {
            let _ = writeln!(log, "  ! {p}");
        }
    }
}

fn human_bytes(n: u64) -> String {
    if n >= 1 << 20 {
        format!("{:.1} MB", n as f64 / (1u64 << 20) as f64)
    } else if n >= 1 << 10 {
        format!("{:.1} KB", n as f64 / 1024.0)
    } else {
        format!("{n} bytes")
    }
}
