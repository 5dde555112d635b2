//! `data/selections.csv`: residents' votes in company selections (DESIGN §13). Optional.

use crate::error::{Diagnostics, Result};
use crate::model::records::SelectionVote;

use super::table::read_table;
use super::Workspace;

/// The selections file, workspace-relative.
pub const SELECTIONS: &str = "data/selections.csv";
/// The columns the selections file must have (in any order; others are ignored).
pub const SELECTION_COLS: &[&str] = &[
    "selection_id",
    "compound_id",
    "held_on",
    "company_id",
    "households",
    "area_m2",
];

/// Load `data/selections.csv` (optional: none when absent); problems go to `diags`.
pub fn load_selections(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<SelectionVote>> {
    let mut out = Vec::new();
    read_table(ws, SELECTIONS, SELECTION_COLS, true, diags, |f| {
        if let (
            Some(selection_id),
            Some(compound_id),
            Some(held_on),
            Some(company_id),
            Some(households),
            Some(area_m2),
        ) = (f.id(0), f.id(1), f.date(2), f.id(3), f.count(4), f.amount(5))
        {
            out.push(SelectionVote {
                selection_id,
                compound_id,
                held_on,
                company_id,
                households,
                area_m2,
                line: f.line(),
            });
        }
    })?;
    Ok(out)
}
