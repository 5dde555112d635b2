//! Work on many independent items shared between threads, the results kept in item order, in
//! memory a few chunks at a time: a national report's hundreds of thousands of compounds are
//! computed on every core without holding a second copy of them.

use std::ops::Range;

/// Items one thread takes at a time.
const CHUNK: usize = 8192;

/// Compute `make(range)` for consecutive ranges covering `0..n`, `threads` ranges at a time on
/// as many threads, and hand every result to `take` in order: the same calls of `take` as
/// `take`-ing `make(0..n)` on one thread, whatever the number of threads.
pub fn in_order<R: Send>(
    n: usize,
    threads: usize,
    make: impl Fn(Range<usize>) -> Vec<R> + Sync,
    mut take: impl FnMut(R),
) {
    let make = &make;
    let round = CHUNK * threads.max(1);
    for start in (0..n).step_by(round) {
        let end = (start + round).min(n);
        let made: Vec<Vec<R>> = std::thread::scope(|s| {
            let mut ranges = (start..end).step_by(CHUNK).map(|a| a..(a + CHUNK).min(end));
            let first = ranges.next();
            let handles: Vec<_> = ranges.map(|r| s.spawn(move || make(r))).collect();
            let mut made = vec![first.map_or_else(Vec::new, make)];
            made.extend(
                handles
                    .into_iter()
                    .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))),
            );
            made
        });
        made.into_iter().flatten().for_each(&mut take);
    }
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
}
