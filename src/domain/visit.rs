//! A visit: the rows of one `visit_id` gathered together, with upheld appeals applied.

use std::collections::HashMap;

use chrono::NaiveDate;

use crate::model::records::{Appeal, Decision};
use crate::model::{Level, Purpose};

/// One inspection visit to one compound.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Visit {
    /// The visit id, shared by the visit's rows in the store.
    pub id: String,
    /// The day of the visit.
    pub date: NaiveDate,
    /// Who inspected.
    pub level: Level,
    /// Routine round or re-inspection.
    pub purpose: Purpose,
    /// The inspecting team, as recorded.
    pub team: String,
    /// People on the team that day.
    pub inspectors: u32,
    /// The compound visited, as recorded (it may be unknown to the registry).
    pub compound_id: String,
    /// The compound's position in the registry, when it is registered (resolved once by the
    /// scan, so that each report's accumulators need not look it up again).
    pub compound: Option<usize>,
    /// The service grade of the contract in force for the compound on the visit's date.
    pub grade: Option<u8>,
    /// (item code, count) per finding row, counts after upheld appeals (possibly 0).
    pub findings: Vec<(String, u64)>,
    /// Photos summed over the visit's rows.
    pub photos: u64,
    /// The workspace-relative file of the visit's first row.
    pub file: String,
    /// The line of the visit's first row in `file`.
    pub line: u64,
}

impl Visit {
    /// Total problem points of the visit.
    pub fn points(&self) -> u64 {
        self.findings.iter().map(|(_, c)| c).sum()
    }
}

/// Points removed by upheld appeals, per visit and item.
#[derive(Debug, Clone, Default)]
pub struct UpheldAppeals {
    /// visit_id → (item, points removed), points summed over the upheld appeals.
    removed: HashMap<String, Vec<(String, u64)>>,
}

impl UpheldAppeals {
    /// Index the upheld appeals by visit; the others change nothing. Which appeals a report
    /// may see is [`super::as_of::AsOf::upheld_appeals`]'s to say.
    pub fn new<'a>(appeals: impl IntoIterator<Item = &'a Appeal>) -> UpheldAppeals {
        let mut removed: HashMap<String, Vec<(String, u64)>> = HashMap::new();
        for a in appeals.into_iter().filter(|a| a.decision == Decision::Upheld) {
            let list = removed.entry(a.visit_id.clone()).or_default();
            match list.iter_mut().find(|(item, _)| *item == a.item) {
                Some((_, p)) => *p += a.points,
                None => list.push((a.item.clone(), a.points)),
            }
        }
        UpheldAppeals { removed }
    }

    /// Remove upheld points from a visit's counts, never below zero.
    pub fn apply(&self, visit: &mut Visit) {
        if self.removed.is_empty() {
            return;
        }
        let Some(list) = self.removed.get(&visit.id) else {
            return;
        };
        for (item, count) in &mut visit.findings {
            if let Some((_, p)) = list.iter().find(|(i, _)| i == item) {
                *count = count.saturating_sub(*p);
            }
        }
    }

    /// Whether an upheld appeal removes points from the visit `visit_id`.
    pub fn touches(&self, visit_id: &str) -> bool {
        self.removed.contains_key(visit_id)
    }

    /// Points removed from one (visit, item) by upheld appeals.
    pub fn removed(&self, visit_id: &str, item: &str) -> u64 {
        self.removed
            .get(visit_id)
            .and_then(|l| l.iter().find(|(i, _)| i == item))
            .map_or(0, |(_, p)| *p)
    }
}

/// Something that takes visits one at a time and can be split across threads: each worker
/// fills its own copy with the visits of the month files it took, and the copies are merged in
/// whatever order the workers finish. So what an accumulator keeps must not depend on the order
/// visits arrive in across files (sums, sets, or lists sorted when finished).
pub trait Accumulate: Send {
    /// Take one visit.
    fn add(&mut self, v: &Visit);
    /// A copy with nothing taken yet.
    fn fork(&self) -> Self;
    /// Take in what another copy took (visits of other month files).
    fn merge(&mut self, other: Self);
}

/// Two accumulators fed by one pass over the store.
impl<A: Accumulate, B: Accumulate> Accumulate for (A, B) {
    fn add(&mut self, v: &Visit) {
        self.0.add(v);
        self.1.add(v);
    }

    fn fork(&self) -> Self {
        (self.0.fork(), self.1.fork())
    }

    fn merge(&mut self, other: Self) {
        self.0.merge(other.0);
        self.1.merge(other.1);
    }
}

/// An accumulator a pass may or may not need (`standards diff`'s notices, only where the period
/// has funds).
impl<A: Accumulate> Accumulate for Option<A> {
    fn add(&mut self, v: &Visit) {
        if let Some(a) = self {
            a.add(v);
        }
    }

    fn fork(&self) -> Self {
        self.as_ref().map(A::fork)
    }

    fn merge(&mut self, other: Self) {
        if let (Some(a), Some(b)) = (self, other) {
            a.merge(b);
        }
    }
}

/// Nothing to gather.
impl Accumulate for () {
    fn add(&mut self, _: &Visit) {}

    fn fork(&self) -> Self {}

    fn merge(&mut self, _: Self) {}
}
