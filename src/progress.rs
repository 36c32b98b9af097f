//! Progress lines for long work (a big build, `check --external`, deploy uploads), drawn by
//! indicatif on standard error. A line appears only on a terminal and only once the work has
//! lasted a moment (two seconds for builds), so short commands, pipes, CI logs and tests never
//! see one; it is cleared when the work ends, leaving the summary line alone.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

/// A progress line, or nothing. Cheap to clone; every clone reports to the same line.
#[derive(Clone, Default)]
pub struct Progress(Option<ProgressBar>);

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(if self.0.is_some() {
            "Progress(shown)"
        } else {
            "Progress(none)"
        })
    }
}

impl Progress {
    /// Report nothing.
    pub fn none() -> Self {
        Self(None)
    }

    /// A line that appears on standard error after `after`, if it is a terminal and the work
    /// has not finished by then.
    pub fn after(after: Duration) -> Self {
        if !std::io::stderr().is_terminal() {
            return Self(None);
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::hidden());
        bar.set_style(spinner_style());
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(after);
            if !shown.is_finished() {
                shown.set_draw_target(ProgressDrawTarget::stderr_with_hz(8));
                shown.enable_steady_tick(Duration::from_millis(125));
            }
        });
        Self(Some(bar))
    }

    /// Start a phase of `total` steps ("Rendering pages", 19,000).
    pub fn phase(&self, what: &str, total: u64) {
        if let Some(b) = &self.0 {
            b.set_style(bar_style());
            b.set_message(what.to_string());
            b.set_length(total);
            b.set_position(0);
        }
    }

    /// Start a phase counted in bytes ("Deploying: 120/3400 files 12 MiB/40 MiB 3 MiB/s").
    pub fn transfer(&self, what: &str, total_bytes: u64) {
        if let Some(b) = &self.0 {
            b.set_style(transfer_style());
            b.set_message(what.to_string());
            b.set_length(total_bytes);
            b.set_position(0);
        }
    }

    /// Change the words before the counts.
    pub fn message(&self, what: &str) {
        if let Some(b) = &self.0 {
            b.set_message(what.to_string());
        }
    }

    /// Start a phase that is not counted ("Reading content").
    pub fn step(&self, what: &str) {
        if let Some(b) = &self.0 {
            b.set_style(spinner_style());
            b.set_message(what.to_string());
        }
    }

    /// `n` more steps done.
    pub fn advance(&self, n: u64) {
        if let Some(b) = &self.0 {
            b.inc(n);
        }
    }

    /// The work is over: clear the line.
    pub fn finish(&self) {
        if let Some(b) = &self.0 {
            b.finish_and_clear();
        }
    }
}

fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg}…").expect("a valid template")
}

fn bar_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {msg} {pos}/{len} {wide_bar} {eta}")
        .expect("a valid template")
        .progress_chars("=> ")
}

fn transfer_style() -> ProgressStyle {
    ProgressStyle::with_template(
        "{spinner} {msg} {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} {wide_bar} {eta}",
    )
    .expect("a valid template")
    .progress_chars("=> ")
}

/// A page sink that counts pages on their way to the sink behind it.
pub struct Counting<'a> {
    /// Where pages go next.
    pub inner: &'a dyn crate::render::PageSink,
    /// What counts them.
    pub progress: &'a Progress,
}

impl crate::render::PageSink for Counting<'_> {
    fn take(
        &self,
        batch: Vec<crate::render::RenderedPage>,
    ) -> Vec<Result<crate::output::Body, crate::diag::Diagnostic>> {
        let n = batch.len() as u64;
        let out = self.inner.take(batch);
        self.progress.advance(n);
        out
    }

    fn file(
        &self,
        path: &str,
        bytes: Vec<u8>,
    ) -> Result<crate::output::Body, crate::diag::Diagnostic> {
        self.inner.file(path, bytes)
    }
}
