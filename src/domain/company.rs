//! A property company's record for residents choosing (DESIGN §13): the compounds it serves,
//! their official scores, its notices and their outcomes, the vetoes it caused, and its fee
//! collection, for a period.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use std::collections::HashMap;

use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::records::Fee;
use crate::model::registry::Registry;
use crate::model::Period;

use super::recheck::{Outcome, RecheckReport};
use super::scoring::{ScoreReport, Verdict};

/// One company's figures for one period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyRecord {
    pub company_id: String,
    pub period: Period,
    /// Compounds under contract with it on the period's last day.
    pub compounds: usize,
    /// Mean official score of the compounds attributed to it (see [`serves`]).
    pub score: Option<Decimal>,
    pub passed: usize,
    pub failed: usize,
    /// Notices on visits made while it was under contract.
    pub notices: usize,
    pub rectified: usize,
    pub recheck_failed: usize,
    /// Vetoes (community-years) caused by its failed re-inspections.
    pub vetoes: usize,
    /// collected / billed × 100 over its compounds with fee data.
    pub fee_rate: Option<Decimal>,
}

/// The company a compound is attributed to for a period: under contract on the period's last
/// day, else the latest contract in the period (the rule of DESIGN §9).
pub fn serves(reg: &Registry, compound_id: &str, period: &Period) -> Option<String> {
    reg.contract_on(compound_id, period.end())
        .or_else(|| {
            reg.contracts_of(compound_id)
                .filter(|k| k.start <= period.end() && k.end >= period.start())
                .last()
        })
        .map(|k| k.company_id.to_string())
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
    let mut slot: HashMap<&str, usize> = HashMap::new();
    for (i, c) in companies.iter().enumerate() {
        slot.entry(c).or_insert(i);
    }
    let mut sums = vec![Sums::default(); companies.len()];
    for k in reg.contracts.iter().filter(|k| k.in_force(period.end())) {
        if let Some(&i) = slot.get(&*k.company_id) {
            sums[i].on_last_day += 1;
        }
    }
    // The company each compound is attributed to, among those asked about.
    let owner: HashMap<&str, usize> = reg
        .compounds
        .iter()
        .filter_map(|c| {
            let company = serves(reg, &c.id, &period)?;
            Some((&*c.id, *slot.get(company.as_str())?))
        })
        .collect();
    for c in scores.map_or(&[][..], |s| &s.compounds) {
        let Some(&i) = owner.get(&*c.compound_id) else { continue };
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
    if let Some(r) = rechecks {
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
    for f in fees {
        if let Some(&i) = owner.get(f.compound_id.as_str()) {
            sums[i].billed += f.billed;
            sums[i].collected += f.collected;
        }
    }
    companies
        .iter()
        .zip(sums)
        .map(|(company_id, s)| CompanyRecord {
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
        })
        .collect()
}
