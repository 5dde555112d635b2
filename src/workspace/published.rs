//! `data/published.csv`: what the bureau has published (a bulletin, the notices, a payment
//! sheet), one line each, so that a later change to a published period does not go unnoticed.
//! Optional. Import reads the period and as-of date of each line: a visit imported into a
//! period already published is a warning (DESIGN §10).

use chrono::NaiveDate;
use rust_i18n::t;

use crate::error::{Diagnostics, Result};
use crate::model::Period;

use super::table::read_table;
use super::Workspace;

/// The publication record, workspace-relative.
pub const PUBLISHED: &str = "data/published.csv";
/// The columns import reads (in any order; the record's other columns, what was published and
/// its digests, are ignored here).
pub const PUBLISHED_COLS: &[&str] = &["period", "as_of"];

/// One publication: its period and the as-of date it stood on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The period published.
    pub period: Period,
    /// The as-of date of what was published.
    pub as_of: NaiveDate,
    /// Its line in the record.
    pub line: u64,
}

/// Load `data/published.csv` (none when absent); problems go to `diags`.
pub fn load_published(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Published>> {
    let mut out = Vec::new();
    read_table(ws, PUBLISHED, PUBLISHED_COLS, true, diags, |f| {
        let period = f.text(0).parse::<Period>();
        match (period, f.date(1)) {
            (Ok(period), Some(as_of)) => out.push(Published {
                period,
                as_of,
                line: f.line(),
            }),
            (Err(e), _) => f.error(t!("published.bad_period", problem => e)),
            _ => {}
        }
    })?;
    Ok(out)
}
