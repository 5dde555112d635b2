//! Scoring at national scale: the store's visits go through the domain's [`Scorer`] on every
//! scanning thread, and their contributions are added to one table of per-compound
//! [`Tally`]s.
//!
//! One table, not a copy per thread: at national scale a copy is 30 MB. Each thread works
//! out its visits' contributions on its own (the visit rule is the costly part) and adds them
//! to the shared table a batch at a time under a lock, fetching each compound's tally into the
//! cache a few contributions ahead (the table is much larger than the cache). Tallies add in
//! any order, so the report does not depend on the threads. The results are then built from
//! the table in chunks on every core, in registry order.

use std::ops::Range;
use std::sync::{Arc, Mutex, PoisonError};

use crate::domain::scoring::{Contribution, GroupTallies, ScoreLog, ScoreProblem, ScoreReport, Scorer, Tally};
use crate::domain::visit::{Accumulate, Visit};

/// Contributions a thread gathers before it takes the lock.
const BATCH: usize = 4096;

/// How many contributions ahead a tally is fetched into the cache.
const AHEAD: usize = 8;

/// Every compound's tally, and its points by category: compound i's are
/// `categories[i * width..(i + 1) * width]` (one allocation, not one per compound).
#[derive(Debug, Clone, Default)]
struct Table {
    tallies: Vec<Tally>,
    categories: Vec<u64>,
    width: usize,
}

impl Table {
    fn points(&self, i: usize) -> &[u64] {
        self.categories
            .get(i * self.width..(i + 1) * self.width)
            .unwrap_or_default()
    }
}

/// A scoring run: an accumulator for the store scan ([`Accumulate`]) that shares one table
/// with its forks.
pub struct ScoreRun<'s, 'a> {
    scorer: &'s Scorer<'a>,
    table: Arc<Mutex<Table>>,
    /// Contributions not yet added, each with its range in `points`.
    batch: Vec<(Contribution, Range<usize>)>,
    points: Vec<(usize, u64)>,
    log: ScoreLog,
    /// Threads for building the results (they do not depend on it).
    threads: usize,
    /// The communities and streets to add the results to (the run's own, not its forks').
    groups: Option<GroupTallies>,
}

impl<'s, 'a> ScoreRun<'s, 'a> {
    /// A run of `scorer` over the registry's compounds, building results on `threads`.
    pub fn new(scorer: &'s Scorer<'a>, threads: usize) -> ScoreRun<'s, 'a> {
        let n = scorer.registry().compounds.len();
        let width = scorer.categories();
        let table = Table {
            tallies: vec![Tally::default(); n],
            categories: vec![0; n * width],
            width,
        };
        ScoreRun {
            scorer,
            table: Arc::new(Mutex::new(table)),
            batch: Vec::with_capacity(BATCH),
            points: Vec::new(),
            log: ScoreLog::default(),
            threads,
            groups: Some(scorer.group_tallies()),
        }
    }

    /// Add the batch to the table.
    fn flush(&mut self) {
        if self.batch.is_empty() {
            return;
        }
        let mut guard = self.table.lock().unwrap_or_else(PoisonError::into_inner);
        let Table {
            tallies,
            categories,
            width,
        } = &mut *guard;
        let w = *width;
        for (k, (c, range)) in self.batch.iter().enumerate() {
            if let Some((ahead, _)) = self.batch.get(k + AHEAD) {
                if let Some(t) = tallies.get(ahead.compound) {
                    super::hint::prefetch(t);
                }
                if let Some(p) = categories.get(ahead.compound * w) {
                    super::hint::prefetch(p);
                }
            }
            let i = c.compound;
            let (Some(tally), Some(cats)) = (tallies.get_mut(i), categories.get_mut(i * w..(i + 1) * w)) else {
                continue;
            };
            tally.add(cats, c, self.points.get(range.clone()).unwrap_or_default());
        }
        drop(guard);
        self.batch.clear();
        self.points.clear();
    }

    /// The report, or the problems met (any problem fails the whole report). Every fork has
    /// been merged or dropped by then (both add its last batch to the table).
    pub fn finish(mut self) -> Result<ScoreReport, Vec<ScoreProblem>> {
        self.flush();
        let log = std::mem::take(&mut self.log);
        if log.has_problems() {
            let groups = self.groups.take().unwrap_or_else(|| self.scorer.group_tallies());
            return self.scorer.report(Vec::new(), Vec::new(), groups, log);
        }
        let shared = std::mem::replace(&mut self.table, Arc::new(Mutex::new(Table::default())));
        let table = match Arc::try_unwrap(shared) {
            Ok(m) => m.into_inner().unwrap_or_else(PoisonError::into_inner),
            // Not reached: the scan merges every fork before this. Were one still alive, the
            // table would still hold every batch it flushed; its last batch is added on drop.
            Err(shared) => shared.lock().unwrap_or_else(PoisonError::into_inner).clone(),
        };
        let (scorer, reg) = (self.scorer, self.scorer.registry());
        let n = reg.compounds.len().min(table.tallies.len());
        let mut compounds = Vec::with_capacity(n);
        let mut covered = Vec::with_capacity(n);
        let chunk = |range: Range<usize>| {
            // Each chunk shares its own copies of the codes and grade names: results built on
            // two threads do not bump the same reference counts.
            let (codes, grades) = scorer.shared_names();
            range
                .map(|i| {
                    let (c, tally) = (&reg.compounds[i], &table.tallies[i]);
                    let k = reg.community_index(&c.community_id);
                    let result = scorer.result(c, tally, k, table.points(i), &codes, &grades);
                    (result, k, tally.covered())
                })
                .collect()
        };
        // Each community and street is tallied as the results come, in registry order (while
        // they are in the cache, not in a pass of their own after).
        let mut groups = self.groups.take().unwrap_or_else(|| scorer.group_tallies());
        crate::engine::par::in_order(n, self.threads, chunk, |(c, k, bits)| {
            groups.add(&c, k);
            compounds.push(c);
            covered.push(bits);
        });
        scorer.report(compounds, covered, groups, log)
    }

    /// Whether some problem was met (its merged forks' too): [`ScoreRun::finish`] would then
    /// give the problems, not a report.
    pub fn has_problems(&self) -> bool {
        self.log.has_problems()
    }
}

/// A run dropped before its batch was added (a fork merged or not) adds it now: no visit is
/// left out of the table, whatever the caller did with the fork.
impl Drop for ScoreRun<'_, '_> {
    fn drop(&mut self) {
        self.flush();
    }
}

impl Accumulate for ScoreRun<'_, '_> {
    fn add(&mut self, v: &Visit) {
        let start = self.points.len();
        if let Some(c) = self.scorer.contribution(v, &mut self.points, &mut self.log) {
            self.batch.push((c, start..self.points.len()));
            if self.batch.len() >= BATCH {
                self.flush();
            }
        }
    }

    fn fork(&self) -> Self {
        ScoreRun {
            scorer: self.scorer,
            table: Arc::clone(&self.table),
            batch: Vec::with_capacity(BATCH),
            points: Vec::new(),
            log: ScoreLog::default(),
            threads: self.threads,
            groups: None,
        }
    }

    fn merge(&mut self, mut other: Self) {
        other.flush();
        self.log.merge(std::mem::take(&mut other.log));
    }
}
