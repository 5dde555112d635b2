//! Work on many independent items shared between threads, the results kept in item order, in
//! memory a few chunks at a time: a national report's hundreds of thousands of compounds are
//! computed on every core without holding a second copy of them. The one chunked-threads
//! loop of the crate: the scorer's compounds and the drawn rows of tables and CSV share it.

use std::convert::Infallible;
use std::ops::Range;

/// Items one thread takes at a time. For a report's rows, a few MB of drawn text: enough that
/// starting a thread costs nothing beside it, few enough that memory stays a few chunks.
pub const CHUNK: usize = 8192;

/// Compute `make(range)` for consecutive ranges of [`CHUNK`] items covering `0..n`, `threads`
/// ranges at a time on as many threads, and hand every range's result to `take` in order,
/// stopping at the first error `take` returns (a closed pipe: nothing more is computed). The
/// same calls of `take` as one thread making the ranges one after another, whatever the
/// number of threads.
pub fn chunks_in_order<R: Send, E>(
    n: usize,
    threads: usize,
    make: impl Fn(Range<usize>) -> R + Sync,
    mut take: impl FnMut(R) -> Result<(), E>,
) -> Result<(), E> {
    let make = &make;
    let round = CHUNK * threads.max(1);
    for start in (0..n).step_by(round) {
        let end = (start + round).min(n);
        let made: Vec<R> = std::thread::scope(|s| {
            let mut ranges = (start..end).step_by(CHUNK).map(|a| a..(a + CHUNK).min(end));
            // The first range is made on this thread, which would otherwise only wait.
            let first = ranges.next();
            let handles: Vec<_> = ranges.map(|r| s.spawn(move || make(r))).collect();
            let mut made: Vec<R> = first.map(make).into_iter().collect();
            made.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            );
            made
        });
        for r in made {
            take(r)?;
        }
    }
    Ok(())
}

/// [`chunks_in_order`] for results made item by item: every item's result handed to `take`
/// in item order.
pub fn in_order<R: Send>(
    n: usize,
    threads: usize,
    make: impl Fn(Range<usize>) -> Vec<R> + Sync,
    mut take: impl FnMut(R),
) {
    let Ok(()) = chunks_in_order(n, threads, make, |made: Vec<R>| {
        made.into_iter().for_each(&mut take);
        Ok::<(), Infallible>(())
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_come_in_item_order_whatever_the_threads() {
        for n in [0, 1, CHUNK - 1, CHUNK, 3 * CHUNK + 5] {
            for threads in [0, 1, 2, 3] {
                let mut got = Vec::new();
                in_order(n, threads, |r| r.map(|i| i * 2).collect(), |x| got.push(x));
                assert_eq!(
                    got,
                    (0..n).map(|i| i * 2).collect::<Vec<_>>(),
                    "n {n}, threads {threads}"
                );
            }
        }
    }

    /// The first error `take` returns ends the work: no later range is made or taken.
    #[test]
    fn the_first_error_stops_the_rounds() {
        let made = std::sync::atomic::AtomicUsize::new(0);
        let mut taken = Vec::new();
        let r = chunks_in_order(
            10 * CHUNK,
            2,
            |r| {
                made.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                r.start / CHUNK
            },
            |k| {
                taken.push(k);
                if k == 2 {
                    Err(k)
                } else {
                    Ok(())
                }
            },
        );
        assert_eq!(r, Err(2));
        assert_eq!(taken, [0, 1, 2]);
        // Two rounds of two ranges were made, and none of the six after the error.
        assert_eq!(made.into_inner(), 4);
    }
}
