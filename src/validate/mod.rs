//! Whole-workspace validation behind `oldestate check`: every file loaded, every rule of
//! DESIGN §2–§4 and §13 applied, every problem collected.

mod references;
mod store;

use crate::error::{Diagnostics, Result};
use crate::workspace::{self, Workspace};
use rust_i18n::t;

/// Validate everything in the workspace. I/O failures (unreadable directories) are errors of
/// the run; everything wrong with the data lands in the returned diagnostics.
pub fn validate(ws: &Workspace) -> Result<Diagnostics> {
    let _lock = crate::workspace::transaction::read_lock(ws, std::time::Duration::from_secs(120))?;
    let mut d = Diagnostics::new();
    for rel in crate::workspace::transaction::leftovers(ws) {
        d.warning(&rel, None, t!("check.leftover"));
    }
    let settings = workspace::load_settings(ws, &mut d)?;
    let registry = workspace::load_registry(ws, &mut d)?;
    let before = d.errors();
    let standards = workspace::load_standards(ws, &mut d)?;
    // Items cannot be judged against standards that did not load.
    let standards_ok = d.errors() == before;
    let appeals = workspace::load_appeals(ws, &mut d)?;
    let store = store::check_store(ws, &registry, &standards, &appeals, &mut d)?;
    references::check_appeals(&appeals, &store, standards_ok.then_some(&standards), &mut d);
    references::check_fees(ws, &registry, &mut d)?;
    references::check_funds(ws, &standards, &mut d)?;
    let selections = workspace::load_selections(ws, &mut d)?;
    references::check_selections(&selections, &registry, &settings, &mut d);
    references::check_contract_coverage(&registry, store.newest, &mut d);
    Ok(d)
}
