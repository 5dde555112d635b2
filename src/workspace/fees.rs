//! `data/fees/PERIOD.csv`: property fees billed and collected per compound. Optional.

use rust_i18n::t;

use crate::error::{Diagnostics, Result};
use crate::model::records::Fee;
use crate::model::Period;

use super::table::read_table;
use super::{list_dir, Workspace};

/// The columns a fee file must have (in any order; others are ignored).
pub const FEE_COLS: &[&str] = &["compound_id", "billed", "collected"];

/// The periods that have a fee file, with their file names (names that are not a period are
/// reported).
pub fn fee_periods(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Period>> {
    let mut out = Vec::new();
    for name in list_dir(&ws.path("data/fees"))? {
        match name.strip_suffix(".csv").map(str::parse::<Period>) {
            Some(Ok(p)) => out.push(p),
            _ => diags.warning(&format!("data/fees/{name}"), None, t!("fees.ignored_name")),
        }
    }
    Ok(out)
}

/// The fees of a period; empty when it has no fee file.
pub fn load_fees(ws: &Workspace, period: &Period, diags: &mut Diagnostics) -> Result<Vec<Fee>> {
    let mut out = Vec::new();
    each_fee(ws, period, diags, |fee| out.push(fee))?;
    Ok(out)
}

/// Each fee row of a period in file order, as [`load_fees`] would list it, handed to `each`
/// rather than kept (a national fee file has 220,000 rows); none when it has no fee file.
pub fn each_fee(ws: &Workspace, period: &Period, diags: &mut Diagnostics, mut each: impl FnMut(Fee)) -> Result<()> {
    let rel = format!("data/fees/{period}.csv");
    read_table(ws, &rel, FEE_COLS, true, diags, |f| {
        if let (Some(compound_id), Some(billed), Some(collected)) = (f.id(0), f.amount(1), f.amount(2)) {
            each(Fee {
                compound_id,
                billed,
                collected,
                line: f.line(),
            });
        }
    })
    .map(|_| ())
}
