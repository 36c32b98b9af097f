//! Stage timings for profiling: with `DOSSIER_TIMINGS` set, every stage of a build prints how
//! long it took to stderr (`timing: load  1195.3 ms`); nested steps are indented. Off, a
//! [`Timer`] costs one environment lookup. Timings are for people reading a profile; tests
//! never assert them (benchmarks in `bench/` do the measuring).

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
                "timing: {name:<14} {:>8.1} ms",
                self.last.elapsed().as_secs_f64() * 1000.0
            );
        }
        self.last = Instant::now();
    }
}

impl Default for Timer {
    fn default() -> Self {
        Self::new()
    }
}
