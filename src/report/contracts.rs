//! The `contracts` report (DESIGN §13): contracts ending soon, each with its compound's latest
//! selection, exactly as its JSON document lists them (after which comes the provenance).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::contracts::Expiring;
use crate::domain::selection::SelectionResult;
use crate::model::decimal::fmt2;
use crate::model::registry::{Compound, Registry};

/// Contracts ending within `expiring_within` days of `as_of`, soonest first.
#[derive(Debug, Clone, Serialize)]
pub struct ContractsReport {
    /// The day counted from (`YYYY-MM-DD`).
    pub as_of: String,
    /// How far ahead the report looked, in days.
    pub expiring_within: u32,
    /// The contracts, soonest first.
    pub expiring: Vec<ExpiringContract>,
}

/// A contract ending soon. The compound's fields are null when the registry does not know it.
#[derive(Debug, Clone, Serialize)]
pub struct ExpiringContract {
    /// The compound under contract.
    pub compound_id: String,
    /// Its name.
    pub name: Option<String>,
    /// Its community.
    pub community_id: Option<String>,
    /// Its street.
    pub street_id: Option<String>,
    /// The company whose contract ends.
    pub company_id: String,
    /// The service grade signed for (社区签).
    pub service_grade: u8,
    /// The contract's last day (inclusive).
    pub end: String,
    /// `end` minus the as-of date, in days.
    pub days_left: i64,
    /// The compound's latest selection, or null when it never held one.
    pub selection: Option<Selection>,
}

/// A selection's result (居民选), as residents and the committee read it.
#[derive(Debug, Clone, Serialize)]
pub struct Selection {
    /// Its id in `data/selections.csv`.
    pub selection_id: String,
    /// The day it was held.
    pub held_on: String,
    /// Whether participation reached the quorum by households and by area.
    pub valid: bool,
    /// The company chosen, or null when none was (invalid, or no majority).
    pub winner: Option<String>,
    /// Households that took part.
    pub households: u64,
    /// Floor area that took part, m², two decimals.
    pub area_m2: String,
    /// Participation as shares of the compound; null when the compound is unknown.
    pub participation: Option<Participation>,
}

/// Participation in percent of the compound's households and floor area, two decimals; null
/// where the compound's figure is zero.
#[derive(Debug, Clone, Serialize)]
pub struct Participation {
    /// Participating households × 100 / the compound's households.
    pub households: Option<String>,
    /// Participating area × 100 / the compound's area.
    pub area: Option<String>,
}

impl ContractsReport {
    /// The report of the contracts `expiring` (from [`crate::domain::contracts::expiring`]),
    /// with the compounds' names and places from the registry.
    pub fn new(reg: &Registry, as_of: NaiveDate, expiring_within: u32, expiring: &[Expiring<'_>]) -> ContractsReport {
        ContractsReport {
            as_of: as_of.to_string(),
            expiring_within,
            expiring: expiring.iter().map(|e| ExpiringContract::new(reg, e)).collect(),
        }
    }
}

impl ExpiringContract {
    fn new(reg: &Registry, e: &Expiring<'_>) -> ExpiringContract {
        let k = e.contract;
        let c = reg.compound(&k.compound_id);
        ExpiringContract {
            compound_id: k.compound_id.to_string(),
            name: c.map(|c| c.name.to_string()),
            community_id: c.map(|c| c.community_id.to_string()),
            street_id: c.and_then(|c| reg.street_of_compound(c)).map(|s| s.id.to_string()),
            company_id: k.company_id.to_string(),
            service_grade: k.service_grade,
            end: k.end.to_string(),
            days_left: e.days_left,
            selection: e.selection.map(|s| Selection::new(s, c)),
        }
    }
}

impl Selection {
    fn new(s: &SelectionResult, compound: Option<&Compound>) -> Selection {
        Selection {
            selection_id: s.selection_id.clone(),
            held_on: s.held_on.to_string(),
            valid: s.valid,
            winner: s.winner.clone(),
            households: s.households,
            area_m2: fmt2(s.area_m2),
            participation: compound.map(|c| Participation {
                households: percent(Decimal::from(s.households), Decimal::from(c.households)),
                area: percent(s.area_m2, c.area_m2),
            }),
        }
    }
}

/// `part` in percent of `whole`, two decimals; `None` when `whole` is zero.
fn percent(part: Decimal, whole: Decimal) -> Option<String> {
    (!whole.is_zero()).then(|| fmt2(part * Decimal::ONE_HUNDRED / whole))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    /// Participation is a share of the compound, two decimals: 54 of 99 households is
    /// 54.5454...% → "54.55"; a compound with no recorded area has no area share.
    #[test]
    fn participation_is_a_two_decimal_share_or_null() {
        assert_eq!(percent(dec!(54), dec!(99)).as_deref(), Some("54.55"));
        assert_eq!(percent(dec!(520), dec!(1000)).as_deref(), Some("52.00"));
        assert_eq!(percent(dec!(10), Decimal::ZERO), None);
    }
}
