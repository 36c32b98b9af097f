//! Carrying out a plan: each phase's files shared among `--workers` threads (each blocking on
//! the target's own I/O, so N requests are in flight), an overall deadline, and a retry of a
//! whole file after the target's own retries gave up (a connection that dropped mid-upload, a
//! throttled burst). The first file that still fails stops the phase: workers finish the file
//! in hand and take no more, and the error names the file.

use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::anyhow;

/// Tries per file (each made of the target's own retried requests).
const FILE_TRIES: u32 = 3;

/// How much work runs at once, and until when.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Threads, each with one file (or batch of deletions) in flight.
    pub workers: usize,
    /// When the deploy gives up.
    pub deadline: Instant,
    /// The overall time allowed (for the message).
    pub timeout: Duration,
}

/// Run `job` on every item with `limits.workers` threads.
pub fn each<T: Sync>(
    items: &[T],
    limits: &Limits,
    job: impl Fn(&T) -> anyhow::Result<()> + Sync,
) -> anyhow::Result<()> {
    if items.is_empty() {
        return Ok(());
    }
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let failed: Mutex<Option<anyhow::Error>> = Mutex::new(None);
    let fail = |e: anyhow::Error| {
        stop.store(true, Ordering::SeqCst);
        failed
            .lock()
            .expect("no panics while holding the lock")
            .get_or_insert(e);
    };
    std::thread::scope(|s| {
        for _ in 0..limits.workers.clamp(1, items.len()) {
            s.spawn(|| {
                while !stop.load(Ordering::SeqCst) {
                    let Some(item) = items.get(next.fetch_add(1, Ordering::SeqCst)) else {
                        break;
                    };
                    if let Err(e) = tries(limits, || job(item)) {
                        fail(e);
                    }
                }
            });
        }
    });
    match failed
        .into_inner()
        .expect("no panics while holding the lock")
    {
        Some(e) => Err(e),
        None => Ok(()),
    }
}

fn tries(limits: &Limits, job: impl Fn() -> anyhow::Result<()>) -> anyhow::Result<()> {
    let mut n = 1;
    loop {
        if Instant::now() >= limits.deadline {
            return Err(anyhow!(
                "the deploy did not finish within {} s (--timeout); what was sent stays, and running the deploy again completes it",
                limits.timeout.as_secs()
            ));
        }
        match job() {
            Ok(()) => return Ok(()),
            Err(e) if n >= FILE_TRIES => return Err(e),
            Err(_) => {
                std::thread::sleep(Duration::from_secs(u64::from(n)));
                n += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(workers: usize) -> Limits {
        Limits {
            workers,
            deadline: Instant::now() + Duration::from_secs(60),
            timeout: Duration::from_secs(60),
        }
    }

    #[test]
    fn every_item_runs_once_on_several_threads_at_once() {
        let items: Vec<usize> = (0..200).collect();
        let seen = Mutex::new(Vec::new());
        let (now, most) = (AtomicUsize::new(0), AtomicUsize::new(0));
        each(&items, &limits(8), |i| {
            let n = now.fetch_add(1, Ordering::SeqCst) + 1;
            most.fetch_max(n, Ordering::SeqCst);
            std::thread::sleep(Duration::from_millis(2));
            seen.lock().unwrap().push(*i);
            now.fetch_sub(1, Ordering::SeqCst);
            Ok(())
        })
        .unwrap();
        let mut seen = seen.into_inner().unwrap();
        seen.sort();
        assert_eq!(seen, items);
        assert!(most.load(Ordering::SeqCst) > 1, "ran concurrently");
    }

    #[test]
    fn a_file_failing_once_is_retried_and_one_failing_always_stops_the_phase() {
        let calls = AtomicUsize::new(0);
        each(&[1], &limits(1), |_| {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                anyhow::bail!("connection reset")
            }
            Ok(())
        })
        .unwrap();
        assert_eq!(calls.load(Ordering::SeqCst), 2);
        let err = each(&[1, 2, 3], &limits(1), |i| {
            if *i == 1 {
                anyhow::bail!("uploading {i}: HTTP 403")
            }
            Ok(())
        })
        .unwrap_err();
        assert!(err.to_string().contains("403"));
    }

    #[test]
    fn past_the_deadline_nothing_more_is_started() {
        let l = Limits {
            deadline: Instant::now(),
            ..limits(2)
        };
        let err = each(&[1, 2], &l, |_| Ok(())).unwrap_err();
        assert!(err.to_string().contains("--timeout"), "{err}");
    }
}
