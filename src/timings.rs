//! Stage timings for profiling: with `DOSSIER_TIMINGS` set, every stage of a build prints how
//! long it took to stderr (`timing: load  1195.3 ms`); nested steps are indented. Off, a
//! [`Timer`] costs one environment lookup. Timings are for people reading a profile; tests
//! never assert them (benchmarks in `bench/` do the measuring). On Linux each line also gives
//! the process's resident memory when the stage ended and its peak so far (`rss 412 MB, peak
//! 530 MB`, from `/proc/self/status`), so a profile shows which stage holds the memory.

use std::time::Instant;

/// Whether `DOSSIER_TIMINGS` is set.
pub fn on() -> bool {
    std::env::var_os("DOSSIER_TIMINGS").is_some()
}

/// Times consecutive stages: each [`Timer::done`] prints the time since the previous one (or
/// since the timer was made).
pub struct Timer {
    on: bool,
    depth: usize,
    last: Instant,
}

impl Timer {
    /// A timer for top-level stages.
    pub fn new() -> Self {
        Self::nested(0)
    }

    /// A timer for the steps inside a stage, printed indented by `depth` levels.
    pub fn nested(depth: usize) -> Self {
        Self {
            on: on(),
            depth,
            last: Instant::now(),
        }
    }

    /// The stage that just ended.
    pub fn done(&mut self, stage: &str) {
        if self.on {
            let pad = "  ".repeat(self.depth);
            let name = format!("{pad}{stage}");
            eprintln!(
                "timing: {name:<14} {:>8.1} ms{}",
                self.last.elapsed().as_secs_f64() * 1000.0,
                memory()
            );
        }
        self.last = Instant::now();
    }
}

/// ", rss N MB, peak N MB" from `/proc/self/status`, or nothing where there is no such file.
fn memory() -> String {
    let Ok(status) = std::fs::read_to_string("/proc/self/status") else {
        return String::new();
    };
    let field = |name: &str| -> Option<u64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line[name.len()..]
            .trim()
            .trim_end_matches("kB")
            .trim()
            .parse()
            .ok()
    };
    match (field("VmRSS:"), field("VmHWM:")) {
        (Some(rss), Some(peak)) => format!(", rss {} MB, peak {} MB", rss / 1024, peak / 1024),
        _ => String::new(),
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
