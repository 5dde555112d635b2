//! A property company's record for residents choosing (DESIGN §13): the compounds it serves,
//! their official scores, its notices and their outcomes, the vetoes it caused, and its fee
//! collection, for a period.

use std::collections::BTreeSet;

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

/// The record of `company_id` for a period, from that period's scores, notices and fees.
/// `scores` is `None` when the period could not be scored (no standards in force then).
pub fn record(
    reg: &Registry,
    company_id: &str,
    period: Period,
    scores: Option<&ScoreReport>,
    rechecks: Option<&RecheckReport>,
    fees: &[Fee],
) -> CompanyRecord {
    let on_last_day = reg
        .contracts
        .iter()
        .filter(|k| &*k.company_id == company_id && k.in_force(period.end()))
        .count();
    let mine: BTreeSet<&str> = reg
        .compounds
        .iter()
        .filter(|c| serves(reg, &c.id, &period).as_deref() == Some(company_id))
        .map(|c| &*c.id)
        .collect();
    let results: Vec<_> = scores
        .map(|s| s.compounds.iter().filter(|c| mine.contains(&*c.compound_id)).collect())
        .unwrap_or_default();
    let scored: Vec<Decimal> = results.iter().filter_map(|c| c.score).collect();
    let notices: Vec<_> = rechecks
        .map(|r| r.notices.iter().filter(|n| n.company_id == company_id).collect())
        .unwrap_or_default();
    let notice_ids: BTreeSet<&str> = notices.iter().map(|n| n.notice_id.as_str()).collect();
    let vetoes = rechecks.map_or(0, |r| {
        r.vetoes
            .iter()
            .filter(|v| v.notices.iter().any(|n| notice_ids.contains(n.as_str())))
            .count()
    });
    let my_fees: Vec<&Fee> = fees.iter().filter(|f| mine.contains(f.compound_id.as_str())).collect();
    let billed: Decimal = my_fees.iter().map(|f| f.billed).sum();
    let collected: Decimal = my_fees.iter().map(|f| f.collected).sum();
    CompanyRecord {
        company_id: company_id.to_string(),
        period,
        compounds: on_last_day,
        score: (!scored.is_empty())
            .then(|| round2(scored.iter().sum::<Decimal>() / Decimal::from(scored.len() as u64))),
        passed: results.iter().filter(|c| c.verdict == Verdict::Pass).count(),
        failed: results.iter().filter(|c| c.verdict == Verdict::Fail).count(),
        notices: notices.len(),
        rectified: notices.iter().filter(|n| n.outcome == Outcome::Rectified).count(),
        recheck_failed: notices.iter().filter(|n| n.outcome == Outcome::Failed).count(),
        vetoes,
        fee_rate: (!billed.is_zero()).then(|| round2(collected * Decimal::ONE_HUNDRED / billed)),
    }
}
