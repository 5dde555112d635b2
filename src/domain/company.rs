//! A property company's record for residents choosing (DESIGN §13): the compounds it serves,
//! their official scores, its notices and their outcomes, the vetoes it caused, and its fee
//! collection, for a period.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::records::Fee;
use crate::model::registry::{Contract, Positions, Registry};
use crate::model::Period;

use super::recheck::{Outcome, RecheckReport};
use super::scoring::{ScoreReport, Verdict};

/// One company's figures for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyRecord {
    /// The company, as the registry names it.
    pub company_id: String,
    /// The period the figures cover.
    pub period: Period,
    /// Compounds under contract with it on the period's last day.
    pub compounds: usize,
    /// Mean official score of the compounds attributed to it (see [`serves`]).
    pub score: Option<Decimal>,
    /// Its attributed compounds that passed the period.
    pub passed: usize,
    /// Its attributed compounds that failed the period.
    pub failed: usize,
    /// Notices on visits made while it was under contract.
    pub notices: usize,
    /// Of those notices, the ones rectified at re-inspection.
    pub rectified: usize,
    /// Of those notices, the ones whose re-inspection failed.
    pub recheck_failed: usize,
    /// Vetoes (community-years) caused by its failed re-inspections.
    pub vetoes: usize,
    /// collected / billed × 100 over its compounds with fee data.
    pub fee_rate: Option<Decimal>,
}

/// The company a compound is attributed to for a period: under contract on the period's last
/// day, else the latest contract in the period (the rule of DESIGN §9).
pub fn serves(reg: &Registry, compound_id: &str, period: &Period) -> Option<String> {
    let index = reg.compound_index(compound_id)?;
    serving(reg, index, period).map(|k| k.company_id.to_string())
}

/// The contract that attributes the compound at `index` in the registry to its company for a
/// period (see [`serves`]).
fn serving<'r>(reg: &'r Registry, index: usize, period: &Period) -> Option<&'r Contract> {
    reg.contract_on_ix(index, period.end()).or_else(|| {
        reg.contracts_of_ix(index)
            .filter(|k| k.start <= period.end() && k.end >= period.start())
            .last()
    })
}

/// A company's running sums for one period.
#[derive(Debug, Clone, Default)]
struct Sums {
    on_last_day: usize,
    score_sum: Decimal,
    scored: u64,
    passed: usize,
    failed: usize,
    notices: usize,
    rectified: usize,
    recheck_failed: usize,
    vetoes: usize,
    billed: Decimal,
    collected: Decimal,
}

/// The records of `companies` for a period, in that order, from that period's scores,
/// notices and fees. `scores` is `None` when the period could not be scored (no standards in
/// force then). Each compound is attributed once (see [`serves`]) and every figure is summed
/// in one pass, so a national registry (hundreds of companies, hundreds of thousands of
/// compounds) costs one pass, not one per company.
pub fn records(
    reg: &Registry,
    companies: &[&str],
    period: Period,
    scores: Option<&ScoreReport>,
    rechecks: Option<&RecheckReport>,
    fees: &[Fee],
) -> Vec<CompanyRecord> {
    let slot = slots(companies);
    let mut sums = vec![Sums::default(); companies.len()];
    count_contracts(&mut sums, &slot, reg, &period);
    // A period without scores or fees (one before the standards, at national scale three of a
    // record's four) needs no compound attributed.
    if scores.is_some() || !fees.is_empty() {
        let owner = owners(&slot, reg, &period);
        add_scores(&mut sums, &owner, reg, scores);
        add_fees(&mut sums, &owner, reg, fees);
    }
    if let Some(r) = rechecks {
        add_notices_and_vetoes(&mut sums, &slot, r);
    }
    companies
        .iter()
        .zip(sums)
        .map(|(company_id, s)| s.record(company_id, period))
        .collect()
}

/// Each company asked about, by id, to its place in the list (the first, if listed twice).
fn slots<'c>(companies: &[&'c str]) -> HashMap<&'c str, usize> {
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for (i, c) in companies.iter().enumerate() {
        slot.entry(c).or_insert(i);
    }
    slot
}

/// Count the contracts in force on the period's last day.
fn count_contracts(sums: &mut [Sums], slot: &HashMap<&str, usize>, reg: &Registry, period: &Period) {
    for k in reg.contracts.iter().filter(|k| k.in_force(period.end())) {
        if let Some(&i) = slot.get(&*k.company_id) {
            sums[i].on_last_day += 1;
        }
    }
}

/// The company each compound is attributed to, among those asked about: its place in the
/// list, by the compound's position in the registry.
fn owners(slot: &HashMap<&str, usize>, reg: &Registry, period: &Period) -> Vec<Option<usize>> {
    // A company's contracts name it by one shared id: its place is looked up once per id.
    let mut last: Option<(&Contract, Option<usize>)> = None;
    (0..reg.compounds.len())
        .map(|i| {
            let k = serving(reg, i, period)?;
            match last {
                Some((prev, place)) if std::sync::Arc::ptr_eq(&prev.company_id, &k.company_id) => place,
                _ => {
                    let place = slot.get(&*k.company_id).copied();
                    last = Some((k, place));
                    place
                }
            }
        })
        .collect()
}

/// Add the official scores and verdicts of each company's compounds.
fn add_scores(sums: &mut [Sums], owner: &[Option<usize>], reg: &Registry, scores: Option<&ScoreReport>) {
    let mut at = Positions::new(reg);
    for c in scores.map_or(&[][..], |s| &s.compounds) {
        let Some(i) = at.of(&c.compound_id).and_then(|p| owner[p]) else {
            continue;
        };
        let s = &mut sums[i];
        if let Some(score) = c.score {
            s.score_sum += score;
            s.scored += 1;
        }
        match c.verdict {
            Verdict::Pass => s.passed += 1,
            Verdict::Fail => s.failed += 1,
            Verdict::NotAssessed => {}
        }
    }
}

/// Add each company's notices and their outcomes, and the vetoes its notices caused (a veto
/// counts once per company however many of its notices led to it).
fn add_notices_and_vetoes(sums: &mut [Sums], slot: &HashMap<&str, usize>, r: &RecheckReport) {
    // Which companies each notice id belongs to (one, as ids are per visit).
    let mut notice_owners: HashMap<&str, Vec<usize>> = HashMap::new();
    for n in &r.notices {
        let Some(&i) = slot.get(n.company_id.as_str()) else {
            continue;
        };
        let s = &mut sums[i];
        s.notices += 1;
        s.rectified += usize::from(n.outcome == Outcome::Rectified);
        s.recheck_failed += usize::from(n.outcome == Outcome::Failed);
        notice_owners.entry(&n.notice_id).or_default().push(i);
    }
    for v in &r.vetoes {
        let mut caused: Vec<usize> = v
            .notices
            .iter()
            .filter_map(|n| notice_owners.get(n.as_str()))
            .flatten()
            .copied()
            .collect();
        caused.sort_unstable();
        caused.dedup();
        for i in caused {
            sums[i].vetoes += 1;
        }
    }
}

/// Add the fees billed and collected at each company's compounds.
fn add_fees(sums: &mut [Sums], owner: &[Option<usize>], reg: &Registry, fees: &[Fee]) {
    let mut at = Positions::new(reg);
    for f in fees {
        if let Some(i) = at.of(&f.compound_id).and_then(|p| owner[p]) {
            sums[i].billed += f.billed;
            sums[i].collected += f.collected;
        }
    }
}

impl Sums {
    /// The company's record: its sums, with the mean score and the fee rate worked out.
    fn record(self, company_id: &str, period: Period) -> CompanyRecord {
        let s = self;
        CompanyRecord {
            company_id: company_id.to_string(),
            period,
            compounds: s.on_last_day,
            score: (s.scored > 0).then(|| round2(s.score_sum / Decimal::from(s.scored))),
            passed: s.passed,
            failed: s.failed,
            notices: s.notices,
            rectified: s.rectified,
            recheck_failed: s.recheck_failed,
            vetoes: s.vetoes,
            fee_rate: (!s.billed.is_zero()).then(|| round2(s.collected * Decimal::ONE_HUNDRED / s.billed)),
        }
    }
}
