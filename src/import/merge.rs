//! Merging imported visits into the store: identical visits are skipped, different ones with
//! the same id are errors unless replacing, and each touched month is rebuilt whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::error::{Diagnostics, Result};
use crate::model::records::Finding;
use crate::model::{Period, Span};
use crate::workspace::store::{month_files, month_path, read_month, MonthFile};
use crate::workspace::Workspace;

use super::{SheetVisit, VisitRows};

/// What an import will do.
#[derive(Debug, Default)]
pub struct Plan {
    /// Visits new to the store.
    pub added: usize,
    /// Visits that replaced a different stored visit of the same id (`--replace`).
    pub replaced: usize,
    /// Visits already stored with identical content (or repeated within the import).
    pub skipped: usize,
    /// Rows of the added and replaced visits.
    pub rows: usize,
    /// Each touched month's complete new content, sorted.
    pub months: BTreeMap<Period, Vec<Finding>>,
    /// Ids of the added and replaced visits.
    pub imported: BTreeSet<String>,
}

/// Plan the import of `visits` into the store of `ws`. Conflicts go to `diags`.
pub fn plan(ws: &Workspace, visits: Vec<SheetVisit>, replace: bool, diags: &mut Diagnostics) -> Result<Plan> {
    let mut plan = Plan::default();
    // One visit per id within the import.
    let mut incoming: BTreeMap<String, SheetVisit> = BTreeMap::new();
    for v in visits {
        match incoming.get(&v.visit.id) {
            None => {
                incoming.insert(v.visit.id.clone(), v);
            }
            Some(first) if first.visit.content() == v.visit.content() => plan.skipped += 1,
            Some(first) => diags.error(
                &v.file,
                Some(v.row),
                format!(
                    "visit {} differs from the visit of the same id at {}:{}",
                    v.visit.id, first.file, first.row
                ),
            ),
        }
    }
    let month_of = |v: &VisitRows| Period::containing(v.date(), Span::Month);
    let mut touched: BTreeSet<Period> = incoming.values().map(|v| month_of(&v.visit)).collect();
    let files = month_files(ws, diags)?;
    let mut stored: HashMap<String, (Period, VisitRows, u64)> = HashMap::new();
    let mut kept: BTreeMap<Period, Vec<Finding>> = BTreeMap::new();
    for f in &files {
        read_into(
            ws,
            f,
            touched.contains(&f.month),
            &incoming,
            &mut stored,
            &mut kept,
            diags,
        )?;
    }
    if diags.has_errors() {
        return Ok(plan);
    }
    let mut removed: BTreeSet<String> = BTreeSet::new();
    let mut added: Vec<VisitRows> = Vec::new();
    for (id, v) in incoming {
        match stored.get(&id) {
            None => {
                plan.added += 1;
                plan.imported.insert(id);
                added.push(v.visit);
            }
            Some((_, old, _)) if old.content() == v.visit.content() => plan.skipped += 1,
            Some((month, _, _)) if replace => {
                plan.replaced += 1;
                plan.imported.insert(id.clone());
                removed.insert(id);
                touched.insert(*month);
                added.push(v.visit);
            }
            Some((month, _, line)) => diags.error(
                &v.file,
                Some(v.row),
                format!(
                    "visit {id} is already stored with different content at {}:{line}: pass --replace to overwrite it, or give this visit another id",
                    month_path(month)
                ),
            ),
        }
    }
    // A replaced visit stored in a month not otherwise touched: read that month whole too.
    let missing: Vec<&MonthFile> = files
        .iter()
        .filter(|f| touched.contains(&f.month) && !kept.contains_key(&f.month))
        .collect();
    for f in missing {
        read_into(ws, f, true, &BTreeMap::new(), &mut HashMap::new(), &mut kept, diags)?;
    }
    for month in &touched {
        let mut rows: Vec<Finding> = kept
            .remove(month)
            .unwrap_or_default()
            .into_iter()
            .filter(|r| !removed.contains(&r.visit_id))
            .collect();
        for v in added.iter().filter(|v| month_of(v) == *month) {
            plan.rows += v.rows.len();
            rows.extend(v.rows.iter().cloned());
        }
        rows.sort_by(|a, b| (a.date, &a.visit_id, &a.item).cmp(&(b.date, &b.visit_id, &b.item)));
        plan.months.insert(*month, rows);
    }
    Ok(plan)
}

/// Read one month file: keep all its rows when `whole`, and the stored form of any visit
/// whose id is being imported.
fn read_into(
    ws: &Workspace,
    f: &MonthFile,
    whole: bool,
    incoming: &BTreeMap<String, SheetVisit>,
    stored: &mut HashMap<String, (Period, VisitRows, u64)>,
    kept: &mut BTreeMap<Period, Vec<Finding>>,
    diags: &mut Diagnostics,
) -> Result<()> {
    let mut rows = Vec::new();
    read_month(ws, f, diags, |line, row, diags| match row {
        Err(problems) => {
            for p in problems {
                diags.error(
                    &f.rel,
                    Some(line),
                    format!("{p} (the store must be valid before importing: run `oldestate check`)"),
                );
            }
        }
        Ok(finding) => {
            if incoming.contains_key(&finding.visit_id) {
                let e = stored.entry(finding.visit_id.clone()).or_insert_with(|| {
                    (
                        f.month,
                        VisitRows {
                            id: finding.visit_id.clone(),
                            rows: Vec::new(),
                        },
                        line,
                    )
                });
                if e.0 != f.month {
                    diags.error(
                        &f.rel,
                        Some(line),
                        format!(
                            "visit {} is also stored in {} (the store must be valid before importing: run `oldestate check`)",
                            finding.visit_id,
                            month_path(&e.0)
                        ),
                    );
                }
                e.1.rows.push(finding.clone());
            }
            if whole {
                rows.push(finding);
            }
        }
    })?;
    if whole {
        kept.insert(f.month, rows);
    }
    Ok(())
}
