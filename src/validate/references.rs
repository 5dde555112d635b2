//! Cross-file rules beside the store: appeals against recorded counts, fee and funds files,
//! selections (§13), and contracts running out (合同到期).

use std::collections::BTreeMap;

use chrono::{Days, NaiveDate};
use rust_i18n::t;

use crate::domain::selection::decide_all;
use crate::error::{Diagnostics, Result};
use crate::model::records::{Appeal, Decision, SelectionVote, Settings};
use crate::model::registry::Registry;
use crate::workspace::{self, StandardsSet, Workspace};

use super::store::StoreFacts;

const APPEALS: &str = "data/appeals.csv";
const SELECTIONS: &str = "data/selections.csv";
const CONTRACTS: &str = "data/registry/contracts.csv";
const COMPOUNDS: &str = "data/registry/compounds.csv";

/// How far ahead of the newest data a contract's end is announced (合同到期).
pub const EXPIRY_WARNING_DAYS: u64 = 90;

/// Appeals must name a stored visit and an item it recorded; upheld ones may not remove more
/// points than were recorded.
/// `standards` is `None` when they failed to load: then item codes are not judged.
pub fn check_appeals(appeals: &[Appeal], store: &StoreFacts, standards: Option<&StandardsSet>, d: &mut Diagnostics) {
    let mut upheld: BTreeMap<(&str, &str), (u64, u64)> = BTreeMap::new();
    for a in appeals {
        if !store.visits.contains(&a.visit_id) {
            d.error(
                APPEALS,
                Some(a.line),
                t!("check.appeal_unknown_visit", visit = a.visit_id),
            );
            continue;
        }
        let known_item = standards.is_none_or(|s| s.files.iter().any(|f| f.standards.item(&a.item).is_some()));
        if !known_item {
            d.error(
                APPEALS,
                Some(a.line),
                t!("check.appeal_unknown_item", visit = a.visit_id, item = a.item),
            );
            continue;
        }
        if a.decision == Decision::Upheld {
            let e = upheld.entry((&a.visit_id, &a.item)).or_insert((0, a.line));
            e.0 += a.points;
            e.1 = a.line;
        }
    }
    for ((visit, item), (points, line)) in upheld {
        let recorded = store
            .appealed_counts
            .get(&(visit.to_string(), item.to_string()))
            .copied()
            .unwrap_or(0);
        if points > recorded {
            d.error(
                APPEALS,
                Some(line),
                t!("check.appeal_removes_too_many", points => points, item => item, visit => visit,
                    recorded => recorded),
            );
        }
    }
}

/// Every fee file: known compounds, collected not above billed, one row per compound.
pub fn check_fees(ws: &Workspace, reg: &Registry, d: &mut Diagnostics) -> Result<()> {
    for period in workspace::fee_periods(ws, d)? {
        let rel = format!("data/fees/{period}.csv");
        let mut seen = BTreeMap::new();
        for fee in workspace::load_fees(ws, &period, d)? {
            if reg.compound(&fee.compound_id).is_none() {
                d.error(
                    &rel,
                    Some(fee.line),
                    t!("check.fee_unknown_compound", compound = fee.compound_id),
                );
            }
            if let Some(first) = seen.insert(fee.compound_id.clone(), fee.line) {
                d.error(
                    &rel,
                    Some(fee.line),
                    t!("check.fee_duplicate_compound", compound => fee.compound_id, first => first),
                );
            }
            if fee.collected > fee.billed {
                d.warning(
                    &rel,
                    Some(fee.line),
                    t!("check.fee_collected_above_billed", compound => fee.compound_id,
                        collected => fee.collected, billed => fee.billed),
                );
            }
        }
    }
    Ok(())
}

/// Every funds file parses and prices every grade of its period's standards.
pub fn check_funds(ws: &Workspace, standards: &StandardsSet, d: &mut Diagnostics) -> Result<()> {
    for period in workspace::fund_periods(ws, d)? {
        let grades: Vec<&str> = match standards.in_force_on(period.start()) {
            Some(s) => s.standards.grades.iter().map(|g| g.name.as_str()).collect(),
            None => Vec::new(),
        };
        workspace::load_funds(ws, &period, &grades, d)?;
    }
    Ok(())
}

/// Selections: references, plausible votes, one compound and date per selection, and the
/// warning of §13 when a contract does not follow its residents' choice.
pub fn check_selections(votes: &[SelectionVote], reg: &Registry, settings: &Settings, d: &mut Diagnostics) {
    let by_id = check_vote_references(votes, reg, d);
    for (id, rows) in &by_id {
        check_selection_rows(id, rows, d);
        check_selection_size(id, rows, reg, d);
    }
    check_contracts_follow_selections(votes, reg, settings, d);
}

/// Every vote must name a known compound and a known company. Returns the votes grouped by
/// selection, for the rules over a selection's rows.
fn check_vote_references<'v>(
    votes: &'v [SelectionVote],
    reg: &Registry,
    d: &mut Diagnostics,
) -> BTreeMap<&'v str, Vec<&'v SelectionVote>> {
    let mut by_id: BTreeMap<&str, Vec<&SelectionVote>> = BTreeMap::new();
    for v in votes {
        if reg.compound(&v.compound_id).is_none() {
            d.error(
                SELECTIONS,
                Some(v.line),
                t!("check.selection_unknown_compound", selection => v.selection_id,
                    compound => v.compound_id),
            );
        }
        if reg.company(&v.company_id).is_none() {
            d.error(
                SELECTIONS,
                Some(v.line),
                t!("check.selection_unknown_company", selection => v.selection_id, company => v.company_id),
            );
        }
        by_id.entry(&v.selection_id).or_default().push(v);
    }
    by_id
}

/// A selection's rows agree on compound and date, and list each company once.
fn check_selection_rows(id: &str, rows: &[&SelectionVote], d: &mut Diagnostics) {
    let first = rows[0];
    for r in &rows[1..] {
        if r.compound_id != first.compound_id || r.held_on != first.held_on {
            d.error(
                SELECTIONS,
                Some(r.line),
                t!("check.selection_rows_disagree", selection => id, line => first.line,
                    compound => first.compound_id, held_on => first.held_on),
            );
        }
        if r.company_id == first.company_id {
            d.error(
                SELECTIONS,
                Some(r.line),
                t!("check.selection_company_twice", selection = id, company = r.company_id),
            );
        }
    }
}

/// A selection's votes cannot count more households or more area than its compound has.
fn check_selection_size(id: &str, rows: &[&SelectionVote], reg: &Registry, d: &mut Diagnostics) {
    let first = rows[0];
    let Some(c) = reg.compound(&first.compound_id) else {
        return;
    };
    let households: u64 = rows.iter().map(|r| r.households).sum();
    let area: rust_decimal::Decimal = rows.iter().map(|r| r.area_m2).sum();
    if households > c.households {
        d.error(
            SELECTIONS,
            Some(first.line),
            t!("check.selection_too_many_households", selection => id, voted => households, compound => c.id,
                households => c.households),
        );
    }
    if area > c.area_m2 {
        d.error(
            SELECTIONS,
            Some(first.line),
            t!("check.selection_too_much_area", selection => id, voted => area, compound => c.id,
                area => c.area_m2),
        );
    }
}

/// Warnings: a contract whose company is not the one its selection chose (居民选、社区签).
fn check_contracts_follow_selections(
    votes: &[SelectionVote],
    reg: &Registry,
    settings: &Settings,
    d: &mut Diagnostics,
) {
    let results = decide_all(votes, reg, settings.quorum, settings.majority);
    for k in &reg.contracts {
        // The selection that led to this contract: the compound's latest one held on or before
        // its start, unless another contract of the compound started after it.
        let Some(sel) = results
            .iter()
            .rfind(|s| *s.compound_id == *k.compound_id && s.held_on <= k.start)
        else {
            continue;
        };
        let superseded = reg
            .contracts_of(&k.compound_id)
            .any(|o| o.start > sel.held_on && o.start < k.start);
        if superseded {
            continue;
        }
        let why = match &sel.winner {
            Some(w) if **w == *k.company_id => continue,
            Some(w) => t!("check.selection_chose", winner = named_company(reg, w)),
            None if sel.valid => t!("check.selection_no_winner"),
            None => t!("check.selection_invalid"),
        };
        d.warning(
            CONTRACTS,
            Some(k.line),
            t!("check.contract_not_chosen", compound => named_compound(reg, &k.compound_id), company => named_company(reg, &k.company_id),
                start => k.start, selection => sel.selection_id, held_on => sel.held_on, why => why),
        );
    }
}

/// A company as a person knows it: its name with its id (天津市和平物业管理有限公司（CO1）), or
/// the id alone when the registry does not know it.
fn named_company(reg: &Registry, id: &str) -> String {
    reg.company(id).map_or_else(
        || id.to_string(),
        |c| t!("check.named", name = c.name, id = id).into_owned(),
    )
}

/// A compound by its name and id (昆明路公寓（P3）), or the id alone.
fn named_compound(reg: &Registry, id: &str) -> String {
    reg.compound(id).map_or_else(
        || id.to_string(),
        |c| t!("check.named", name = c.name, id = id).into_owned(),
    )
}

/// Warnings: compounds with no contract, and contracts ending within
/// [`EXPIRY_WARNING_DAYS`] of the newest data with no successor (the residents must choose).
pub fn check_contract_coverage(reg: &Registry, newest: Option<NaiveDate>, d: &mut Diagnostics) {
    for c in &reg.compounds {
        let list: Vec<_> = reg.contracts_of(&c.id).collect();
        let Some(last) = list.last() else {
            d.warning(
                COMPOUNDS,
                Some(c.line),
                t!("check.compound_without_contract", compound = c.id, name = c.name),
            );
            continue;
        };
        let Some(newest) = newest else { continue };
        let horizon = newest
            .checked_add_days(Days::new(EXPIRY_WARNING_DAYS))
            .unwrap_or(NaiveDate::MAX);
        if last.end >= newest && last.end <= horizon {
            d.warning(
                CONTRACTS,
                Some(last.line),
                t!("check.contract_expiring", compound => c.id, name => c.name, company => named_company(reg, &last.company_id),
                    end => last.end, days => EXPIRY_WARNING_DAYS, newest => newest),
            );
        }
    }
}
