//! Contracts ending soon (DESIGN §13): which contracts end within a number of days after the
//! as-of date, soonest first, each with its compound's latest selection (居民选). The as-of
//! date is a parameter: the command reads the clock, the rule never does.

use chrono::NaiveDate;

use crate::model::registry::Contract;

use super::selection::SelectionResult;

/// A contract ending soon, with what the residents last decided for its compound.
#[derive(Debug, Clone)]
pub struct Expiring<'a> {
    /// The contract that ends.
    pub contract: &'a Contract,
    /// Its end minus the as-of date, in days: 0 when it ends on the as-of date.
    pub days_left: i64,
    /// The compound's latest selection (see [`latest_selection`]), if it ever held one.
    pub selection: Option<&'a SelectionResult>,
}

/// The contracts ending within `within_days` days after `as_of` (both ends counted; contracts
/// already ended are not listed), soonest first and by compound id on a tie, each with its
/// compound's latest selection among `selections`.
pub fn expiring<'a>(
    contracts: &'a [Contract],
    selections: &'a [SelectionResult],
    as_of: NaiveDate,
    within_days: u32,
) -> Vec<Expiring<'a>> {
    let mut out: Vec<Expiring<'a>> = contracts
        .iter()
        .filter_map(|k| {
            let days_left = (k.end - as_of).num_days();
            (0..=i64::from(within_days)).contains(&days_left).then(|| Expiring {
                contract: k,
                days_left,
                selection: latest_selection(selections, &k.compound_id),
            })
        })
        .collect();
    out.sort_by(|a, b| (a.days_left, &a.contract.compound_id).cmp(&(b.days_left, &b.contract.compound_id)));
    out
}

/// A compound's latest selection: the one held last, and of those held the same day the one
/// whose id sorts last, so the choice never depends on the order of the file.
pub fn latest_selection<'a>(selections: &'a [SelectionResult], compound_id: &str) -> Option<&'a SelectionResult> {
    selections
        .iter()
        .filter(|s| s.compound_id == compound_id)
        .max_by(|a, b| (a.held_on, &a.selection_id).cmp(&(b.held_on, &b.selection_id)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap()
    }

    fn contract(compound: &str, end: NaiveDate) -> Contract {
        Contract {
            compound_id: compound.into(),
            company_id: "CO01".into(),
            service_grade: 2,
            start: day(1, 1),
            end,
            line: 2,
        }
    }

    fn selection(id: &str, compound: &str, held_on: NaiveDate) -> SelectionResult {
        SelectionResult {
            selection_id: id.into(),
            compound_id: compound.into(),
            held_on,
            households: 10,
            area_m2: Decimal::TEN,
            valid: true,
            winner: Some("CO02".into()),
        }
    }

    #[test]
    fn lists_contracts_ending_within_the_window_soonest_first() {
        // As of 07-01 with 30 days: 06-30 has ended (-1), 07-01 is day 0, 07-31 is day 30
        // (listed), 08-01 is day 31 (not); P2 and P3 both end on day 10: by compound id.
        let contracts = [
            contract("P1", day(6, 30)),
            contract("P3", day(7, 11)),
            contract("P4", day(7, 31)),
            contract("P5", day(8, 1)),
            contract("P2", day(7, 11)),
            contract("P6", day(7, 1)),
        ];
        let got: Vec<(&str, i64)> = expiring(&contracts, &[], day(7, 1), 30)
            .iter()
            .map(|e| (&*e.contract.compound_id, e.days_left))
            .collect();
        assert_eq!(got, [("P6", 0), ("P2", 10), ("P3", 10), ("P4", 30)]);
    }

    #[test]
    fn the_latest_selection_is_the_last_held_then_the_last_id() {
        let selections = [
            selection("S9", "P1", day(3, 1)),
            selection("S2", "P1", day(5, 1)),
            selection("S1", "P1", day(5, 1)),
            selection("S8", "P2", day(6, 1)),
        ];
        assert_eq!(
            latest_selection(&selections, "P1").map(|s| &*s.selection_id),
            Some("S2")
        );
        assert_eq!(latest_selection(&selections, "P3"), None);
        let contracts = [contract("P1", day(7, 2)), contract("P3", day(7, 3))];
        let got = expiring(&contracts, &selections, day(7, 1), 90);
        assert_eq!(got[0].selection.map(|s| &*s.selection_id), Some("S2"));
        assert_eq!(got[1].selection, None);
    }
}
