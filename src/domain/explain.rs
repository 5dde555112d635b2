//! `score --explain`: how one compound's score came about, visit by visit, through the same
//! [`Rule`] the scorer uses (a test holds the two equal for every compound of the demo).

use std::sync::Arc;

use crate::model::registry::Registry;
use crate::model::{Level, Period, Purpose};

use super::rule::{Breakdown, Rule};
use super::visit::{Accumulate, UpheldAppeals, Visit};

/// The routine visits of one compound at one level in a period, gathered from a pass over the
/// store that is scoring the period anyway (and may read beyond it: the windows of a level
/// with a longer cadence).
#[derive(Debug, Clone)]
pub struct CompoundVisits {
    compound_id: String,
    level: Level,
    period: Period,
    visits: Vec<Visit>,
}

impl CompoundVisits {
    /// Gather the routine visits of `compound_id` by `level` in `period`.
    pub fn new(compound_id: &str, level: Level, period: Period) -> CompoundVisits {
        CompoundVisits {
            compound_id: compound_id.to_string(),
            level,
            period,
            visits: Vec::new(),
        }
    }

    /// The visits gathered, in store order (month file, then line), whichever threads read
    /// them.
    pub fn in_store_order(mut self) -> Vec<Visit> {
        self.visits.sort_by(|a, b| (&a.file, a.line).cmp(&(&b.file, b.line)));
        self.visits
    }
}

impl Accumulate for CompoundVisits {
    fn add(&mut self, v: &Visit) {
        if v.compound_id == self.compound_id
            && v.purpose == Purpose::Routine
            && v.level == self.level
            && self.period.contains(v.date)
        {
            self.visits.push(v.clone());
        }
    }

    fn fork(&self) -> Self {
        CompoundVisits::new(&self.compound_id, self.level, self.period)
    }

    fn merge(&mut self, other: Self) {
        self.visits.extend(other.visits);
    }
}

/// One visit of the explained compound, with the contract it was scored under.
#[derive(Debug, Clone)]
pub struct ExplainedVisit {
    /// The visit as recorded, before appeals (the breakdown shows what appeals removed).
    pub visit: Visit,
    /// The service grade of the contract in force on the visit's date.
    pub grade: u8,
    /// The company of that contract.
    pub company_id: Arc<str>,
    /// The rule's breakdown of the visit's score.
    pub breakdown: Breakdown,
}

/// Explain each of `visits` (recorded findings, before appeals): the grade and company of the
/// contract in force that day and the rule's breakdown, appeals applied.
pub fn explain_visits(
    rule: &Rule,
    reg: &Registry,
    appeals: &UpheldAppeals,
    visits: Vec<Visit>,
) -> Result<Vec<ExplainedVisit>, String> {
    visits
        .into_iter()
        .map(|v| {
            let contract = reg
                .contract_on(&v.compound_id, v.date)
                .ok_or_else(|| format!("visit {}: no contract in force on {}", v.id, v.date))?;
            let grade = contract.service_grade;
            let breakdown = rule
                .explain(grade, &v.findings, |code| appeals.removed(&v.id, code))
                .map_err(|m| format!("visit {}: {m}", v.id))?;
            Ok(ExplainedVisit {
                company_id: Arc::clone(&contract.company_id),
                grade,
                breakdown,
                visit: v,
            })
        })
        .collect()
}
