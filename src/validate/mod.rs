//! Whole-workspace validation behind `oldestate check`: every file loaded, every rule of
//! DESIGN §2–§4 and §13 applied, every problem collected.

mod references;
mod rows;
mod store;
mod visits;

use crate::error::{Diagnostics, Result};
use crate::workspace::{self, Workspace};
use indicatif::ProgressBar;
use rust_i18n::t;

/// Validate everything in the workspace. I/O failures (unreadable directories) are errors of
/// the run; everything wrong with the data lands in the returned diagnostics. The month files
/// are checked on every core; `progress` is handed their bytes and returns the bar that
/// counts them as they are read.
pub fn validate(ws: &Workspace, progress: impl FnOnce(u64) -> ProgressBar) -> Result<Diagnostics> {
    validate_on(ws, crate::engine::scan::default_threads(), progress)
}

/// [`validate`] with the month files checked on at most `threads` threads: the same
/// diagnostics, in the same order, whatever the number.
pub fn validate_on(ws: &Workspace, threads: usize, progress: impl FnOnce(u64) -> ProgressBar) -> Result<Diagnostics> {
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
    let store = store::check_store(ws, &registry, &standards, &appeals, threads, progress, &mut d)?;
    references::check_appeals(&appeals, &store, standards_ok.then_some(&standards), &mut d);
    references::check_fees(ws, &registry, &mut d)?;
    references::check_funds(ws, &standards, &mut d)?;
    let selections = workspace::load_selections(ws, &mut d)?;
    references::check_selections(&selections, &registry, &settings, &mut d);
    references::check_contract_coverage(&registry, store.newest, &mut d);
    Ok(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const HEADER: &str = "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\n";

    fn copy_dir(from: &Path, to: &Path) {
        std::fs::create_dir_all(to).unwrap();
        for e in std::fs::read_dir(from).unwrap() {
            let e = e.unwrap();
            let target = to.join(e.file_name());
            if e.file_type().unwrap().is_dir() {
                copy_dir(&e.path(), &target);
            } else {
                std::fs::copy(e.path(), &target).unwrap();
            }
        }
    }

    /// The test fixture `mini` with more month files, repeating visits across files and
    /// breaking rules within them.
    fn damaged_store() -> (tempfile::TempDir, Workspace) {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini"),
            dir.path(),
        );
        let month = |m: &str, rows: &str| {
            let path = dir.path().join(format!("data/inspections/2026/2026-{m}.csv"));
            std::fs::write(path, format!("{HEADER}{rows}")).unwrap();
        };
        month(
            "01",
            "A1,2026-01-05,street,routine,组,2,P1,,0,1,\n\
             A2,2026-01-06,street,routine,组,2,P9,X01,1,1,\n\
             A2,2026-01-06,street,routine,组,3,P9,X02,1,1,\n",
        );
        month(
            "02",
            "A1,2026-02-01,street,routine,组,2,P1,X01,1,1,\n\
             A3,2026-02-02,street,routine,组,2,P2,,0,1,\n\
             A1,2026-02-03,street,routine,组,9,P1,X02,1,1,\n\
             A4,2026-01-30,street,routine,组,2,P2,,x,1,\n",
        );
        month(
            "04",
            "A3,2026-04-01,street,routine,组,2,P2,,0,1,\n\
             A2,2026-04-02,street,routine,组,2,P3,X01,1,1,\n\
             T1,2026-04-03,street,routine,组,2,P4,,0,1,\n\
             A5,2026-04-04,street,routine,组,2,P4,,0,1,\n",
        );
        let ws = Workspace::discover(Some(dir.path()), None, dir.path()).unwrap();
        (dir, ws)
    }

    /// The month files checked on several threads give the diagnostics of one thread
    /// checking them in turn: the same messages, lines and order.
    #[test]
    fn validate_is_the_same_on_any_number_of_threads() {
        let (_dir, ws) = damaged_store();
        let one = validate_on(&ws, 1, |_| ProgressBar::hidden()).unwrap();
        assert!(format!("{one:?}").contains("A1"), "{one:?}");
        for threads in [2, 3, 8] {
            let many = validate_on(&ws, threads, |_| ProgressBar::hidden()).unwrap();
            assert_eq!(format!("{many:?}"), format!("{one:?}"), "threads {threads}");
        }
    }
}
