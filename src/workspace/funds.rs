//! `data/funds/PERIOD.toml`: a subsidy round (DESIGN §9). Optional per period.

use rust_i18n::t;

use crate::error::{Diagnostics, Error, Result};
use crate::model::funds::Funds;
use crate::model::Period;

use super::settings::toml_error;
use super::{list_dir, read_optional, Workspace};

/// The periods that have a funds file.
pub fn fund_periods(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Period>> {
    let mut out = Vec::new();
    for name in list_dir(&ws.path("data/funds"))? {
        match name.strip_suffix(".toml").map(str::parse::<Period>) {
            Some(Ok(p)) => out.push(p),
            _ => diags.warning(&format!("data/funds/{name}"), None, t!("funds.ignored_name")),
        }
    }
    Ok(out)
}

/// Load the funds file of a period: `Ok(None)` when there is none; problems go to `diags`.
/// `grades` are the grade names of the period's standards, each of which needs a coefficient.
pub fn load_funds(ws: &Workspace, period: &Period, grades: &[&str], diags: &mut Diagnostics) -> Result<Option<Funds>> {
    let rel = format!("data/funds/{period}.toml");
    let Some(bytes) = read_optional(&ws.path(&rel))? else {
        return Ok(None);
    };
    let text = std::str::from_utf8(&bytes).map_err(|_| Error::msg(t!("funds.not_utf8", file => rel)))?;
    match toml::from_str::<Funds>(text) {
        Err(e) => {
            let (line, m) = toml_error(text, &e);
            diags.error(&rel, line, m);
            Ok(None)
        }
        Ok(funds) => {
            for p in funds.problems(&period.to_string(), grades) {
                diags.error(&rel, None, p);
            }
            Ok(Some(funds))
        }
    }
}
