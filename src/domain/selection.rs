//! The residents' choice (居民选, DESIGN §13): whether a selection was valid and who won.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::records::SelectionVote;
use crate::model::registry::{Compound, Registry};

/// A selection's result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectionResult {
    /// The selection, as `data/selections.csv` names it.
    pub selection_id: String,
    /// The compound whose residents chose.
    pub compound_id: String,
    /// The day the vote was held.
    pub held_on: NaiveDate,
    /// Households that voted, over all candidates.
    pub households: u64,
    /// Floor area that voted, over all candidates, in m².
    pub area_m2: Decimal,
    /// Participation reached the quorum by households and by area.
    pub valid: bool,
    /// The company with strictly more than `majority` of both; `None` when invalid or none did.
    pub winner: Option<String>,
}

/// Decide one selection from its candidate rows (all of one `selection_id`).
pub fn decide(
    votes: &[&SelectionVote],
    compound: &Compound,
    quorum: Decimal,
    majority: Decimal,
) -> Option<SelectionResult> {
    let first = votes.first()?;
    let households: u64 = votes.iter().map(|v| v.households).sum();
    let area_m2: Decimal = votes.iter().map(|v| v.area_m2).sum();
    let valid = Decimal::from(households) >= quorum * Decimal::from(compound.households)
        && area_m2 >= quorum * compound.area_m2;
    let winner = if valid {
        votes
            .iter()
            .find(|v| {
                Decimal::from(v.households) > majority * Decimal::from(households) && v.area_m2 > majority * area_m2
            })
            .map(|v| v.company_id.clone())
    } else {
        None
    };
    Some(SelectionResult {
        selection_id: first.selection_id.clone(),
        compound_id: first.compound_id.clone(),
        held_on: first.held_on,
        households,
        area_m2,
        valid,
        winner,
    })
}

/// Group votes by selection and decide each; selections of unknown compounds are skipped
/// (`check` reports them). Sorted by (compound, held_on, selection_id).
pub fn decide_all(votes: &[SelectionVote], reg: &Registry, quorum: Decimal, majority: Decimal) -> Vec<SelectionResult> {
    let mut by_id: BTreeMap<&str, Vec<&SelectionVote>> = BTreeMap::new();
    for v in votes {
        by_id.entry(&v.selection_id).or_default().push(v);
    }
    let mut out: Vec<SelectionResult> = by_id
        .values()
        .filter_map(|vs| {
            reg.compound(&vs[0].compound_id)
                .and_then(|c| decide(vs, c, quorum, majority))
        })
        .collect();
    out.sort_by(|a, b| (&a.compound_id, a.held_on, &a.selection_id).cmp(&(&b.compound_id, b.held_on, &b.selection_id)));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn compound(households: u64, area: Decimal) -> Compound {
        Compound {
            id: "X".into(),
            community_id: "C".into(),
            name: "X".into(),
            aliases: vec![],
            households,
            area_m2: area,
            buildings: 1,
            line: 2,
        }
    }

    fn vote(company: &str, households: u64, area: Decimal) -> SelectionVote {
        SelectionVote {
            selection_id: "S".into(),
            compound_id: "X".into(),
            held_on: NaiveDate::from_ymd_opt(2026, 10, 1).unwrap(),
            company_id: company.into(),
            households,
            area_m2: area,
            line: 2,
        }
    }

    fn run(c: &Compound, votes: &[SelectionVote]) -> SelectionResult {
        let refs: Vec<&SelectionVote> = votes.iter().collect();
        decide(&refs, c, dec!(0.6667), dec!(0.5)).unwrap()
    }

    #[test]
    fn quorum_is_reached_exactly_at_the_share_and_not_one_household_under() {
        // 10,000 households: quorum 0.6667 × 10,000 = 6,667 households.
        let c = compound(10_000, dec!(10000));
        let at = run(&c, &[vote("A", 6_000, dec!(6000)), vote("B", 667, dec!(667))]);
        assert!(at.valid);
        assert_eq!(at.winner.as_deref(), Some("A"));
        let under = run(&c, &[vote("A", 6_000, dec!(6000)), vote("B", 666, dec!(667))]);
        assert!(!under.valid);
        assert_eq!(under.winner, None);
        // By area: 6,666.99 m2 of 10,000 is short even with the households there.
        let short_area = run(&c, &[vote("A", 6_000, dec!(6000)), vote("B", 667, dec!(666.99))]);
        assert!(!short_area.valid);
    }

    #[test]
    fn majority_must_be_strictly_more_than_half_of_both() {
        let c = compound(100, dec!(1000));
        // 50 of 100 participating households is not more than half.
        let tie = run(&c, &[vote("A", 50, dec!(600)), vote("B", 50, dec!(400))]);
        assert!(tie.valid);
        assert_eq!(tie.winner, None);
        let by_one = run(&c, &[vote("A", 51, dec!(600)), vote("B", 49, dec!(400))]);
        assert_eq!(by_one.winner.as_deref(), Some("A"));
        // More households but exactly half the area: no winner.
        let half_area = run(&c, &[vote("A", 51, dec!(500)), vote("B", 49, dec!(500))]);
        assert_eq!(half_area.winner, None);
    }
}
