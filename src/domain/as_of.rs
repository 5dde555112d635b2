//! What a report knows (DESIGN §14): the store as it stood at the end of one day, its as-of
//! date D. The one place that decides what a report can see:
//!
//! - a visit dated after D does not exist ([`AsOf::knows`], asked by the scan of the store for
//!   every visit, so no notice, re-inspection, score or coverage comes from it);
//! - an appeal decided after D is not decided yet ([`AsOf::upheld_appeals`]);
//! - a residents' selection held after D has not happened ([`AsOf::held`]).
//!
//! Titles and contracts are judged on their own dates, as before. D itself is found by the
//! command (given, today, or the newest visit's date); nothing here reads the clock.

use chrono::NaiveDate;

use crate::model::records::{Appeal, Decision, SelectionVote};
use crate::model::{Level, Period};

use super::visit::{Accumulate, UpheldAppeals, Visit};

/// A report's as-of date and how it was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AsOf {
    /// D: the last day whose records the report sees.
    pub date: NaiveDate,
    /// Where D came from.
    pub chosen: Chosen,
}

/// How a report's as-of date was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Chosen {
    /// `--as-of DATE`.
    Given,
    /// `--as-of today`, or the default of a calendar list (`contracts`, `recheck --due-within`).
    Today,
    /// The default of every other report: the date of the newest visit in the store.
    NewestVisit,
}

impl AsOf {
    /// D, chosen as `chosen` says.
    pub fn new(date: NaiveDate, chosen: Chosen) -> AsOf {
        AsOf { date, chosen }
    }

    /// Whether a record dated `day` existed on D (made on D or before).
    #[inline]
    pub fn knows(&self, day: NaiveDate) -> bool {
        day <= self.date
    }

    /// Whether `period` had ended on D: a report over a period not yet over is incomplete.
    pub fn complete(&self, period: &Period) -> bool {
        period.end() <= self.date
    }

    /// The appeals upheld on D: those decided after it are still undecided.
    pub fn upheld_appeals(&self, appeals: &[Appeal]) -> UpheldAppeals {
        UpheldAppeals::new(appeals.iter().filter(|a| self.decided(a)))
    }

    /// The upheld appeals decided after D, which the report does not apply.
    pub fn upheld_later<'a>(&self, appeals: &'a [Appeal]) -> Vec<&'a Appeal> {
        appeals
            .iter()
            .filter(|a| a.decision == Decision::Upheld && !self.decided(a))
            .collect()
    }

    /// The selection votes of selections held on D or before.
    pub fn held(&self, votes: Vec<SelectionVote>) -> Vec<SelectionVote> {
        votes.into_iter().filter(|v| self.knows(v.held_on)).collect()
    }

    /// Whether an appeal had been decided on D (an upheld appeal without a date, which
    /// `check` refuses, counts as decided, as it did before as-of dates).
    fn decided(&self, a: &Appeal) -> bool {
        a.decided_on.is_none_or(|d| self.knows(d))
    }
}

/// Which levels visited in a period up to the as-of date (the scan hands over no later
/// visit): a period the scoring level did not visit is an error, not a report of zeros
/// (DESIGN §14).
#[derive(Debug, Clone, Copy)]
pub struct Inspected {
    period: Period,
    visits: [u64; 4],
}

impl Inspected {
    /// Counting the visits of every level in `period`.
    pub fn new(period: Period) -> Inspected {
        Inspected { period, visits: [0; 4] }
    }

    /// Whether `level` visited in the period.
    pub fn by(&self, level: Level) -> bool {
        self.visits[level as usize] > 0
    }

    /// Whether any level visited in the period.
    pub fn any(&self) -> bool {
        self.visits.iter().any(|&n| n > 0)
    }
}

impl Accumulate for Inspected {
    fn add(&mut self, v: &Visit) {
        if self.period.contains(v.date) {
            self.visits[v.level as usize] += 1;
        }
    }

    fn fork(&self) -> Self {
        Inspected::new(self.period)
    }

    fn merge(&mut self, other: Self) {
        for (n, m) in self.visits.iter_mut().zip(other.visits) {
            *n += m;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        crate::model::parse_date(s).unwrap()
    }

    fn appeal(decision: Decision, decided_on: Option<&str>) -> Appeal {
        Appeal {
            visit_id: "V1".into(),
            item: "A01".into(),
            points: 2,
            decision,
            decided_on: decided_on.map(day),
            note: String::new(),
            line: 2,
        }
    }

    /// The records of D itself are known; the next day's are not.
    #[test]
    fn the_as_of_day_is_included_and_the_next_is_not() {
        let d = AsOf::new(day("2026-05-20"), Chosen::Given);
        assert!(d.knows(day("2026-05-19")));
        assert!(d.knows(day("2026-05-20")));
        assert!(!d.knows(day("2026-05-21")));
    }

    /// A period is complete from its last day on.
    #[test]
    fn a_period_is_complete_from_its_last_day() {
        let h1: Period = "2026H1".parse().unwrap();
        assert!(!AsOf::new(day("2026-06-29"), Chosen::Given).complete(&h1));
        assert!(AsOf::new(day("2026-06-30"), Chosen::Given).complete(&h1));
        assert!(AsOf::new(day("2026-07-01"), Chosen::Given).complete(&h1));
    }

    /// An appeal upheld after D removes nothing on D; one upheld on D does.
    #[test]
    fn an_appeal_counts_from_the_day_it_is_decided() {
        let appeals = [appeal(Decision::Upheld, Some("2026-05-20"))];
        let on = AsOf::new(day("2026-05-20"), Chosen::Given);
        let before = AsOf::new(day("2026-05-19"), Chosen::Given);
        assert_eq!(on.upheld_appeals(&appeals).removed("V1", "A01"), 2);
        assert_eq!(before.upheld_appeals(&appeals).removed("V1", "A01"), 0);
        assert_eq!(before.upheld_later(&appeals).len(), 1);
        assert!(on.upheld_later(&appeals).is_empty());
        let rejected = [appeal(Decision::Rejected, Some("2026-05-21"))];
        assert!(on.upheld_later(&rejected).is_empty());
    }
}
