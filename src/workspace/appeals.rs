//! `data/appeals.csv`: companies' appeals against counts. Optional; absence means none.

use rust_i18n::t;

use crate::error::{Diagnostics, Result};
use crate::model::records::{Appeal, Decision};

use super::table::read_table;
use super::Workspace;

/// The appeals file, workspace-relative.
pub const APPEALS: &str = "data/appeals.csv";
/// The columns the appeals file must have (in any order; others are ignored).
pub const APPEAL_COLS: &[&str] = &["visit_id", "item", "points", "decision", "decided_on", "note"];

/// Load `data/appeals.csv` (optional: none when absent); problems go to `diags`.
pub fn load_appeals(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Appeal>> {
    let mut out = Vec::new();
    read_table(ws, APPEALS, APPEAL_COLS, true, diags, |f| {
        let raw = f.text(3);
        let decision = match raw.trim() {
            "upheld" => Some(Decision::Upheld),
            "rejected" => Some(Decision::Rejected),
            "pending" => Some(Decision::Pending),
            other => {
                let expected = t!("appeals.expect_decision");
                f.error(t!("table.column_expected", column => "decision", expected => expected, found => other));
                None
            }
        };
        if let (Some(visit_id), Some(item), Some(points), Some(decided_on), Some(decision)) =
            (f.id(0), f.id(1), f.count(2), f.optional_date(4), decision)
        {
            out.push(Appeal {
                visit_id,
                item,
                points,
                decision,
                decided_on,
                note: f.text(5),
                line: f.line(),
            });
        }
    })?;
    Ok(out)
}
