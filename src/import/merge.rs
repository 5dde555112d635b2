//! Merging imported visits into the store: identical visits are skipped, different ones with
//! the same id are errors unless replacing, and each touched month is rebuilt whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::error::{Diagnostics, Result, Severity};
use crate::model::records::Lang;

use super::problems::{Place, Problem, Problems};
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

/// Where each stored visit being imported again is: its month, its stored rows, and the line of
/// its first row.
type Stored = HashMap<String, (Period, VisitRows, u64)>;

/// The month a visit is stored in.
fn month_of(v: &VisitRows) -> Period {
    Period::containing(v.date(), Span::Month)
}

/// Plan the import of `visits` into the store of `ws`. Conflicts with a sheet's visits go to
/// `ps` against the sheet; problems of the store itself to `diags`.
pub fn plan(
    ws: &Workspace,
    visits: Vec<SheetVisit>,
    replace: bool,
    ps: &mut Problems,
    diags: &mut Diagnostics,
) -> Result<Plan> {
    let mut plan = Plan::default();
    let incoming = one_per_id(visits, &mut plan, ps);
    let mut touched: BTreeSet<Period> = incoming.values().map(|v| month_of(&v.visit)).collect();
    let files = month_files(ws, diags)?;
    let mut stored: Stored = HashMap::new();
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
    let (added, removed) = sort_incoming(incoming, &stored, replace, &mut plan, &mut touched, ps);
    // A replaced visit stored in a month not otherwise touched: read that month whole too.
    let missing: Vec<&MonthFile> = files
        .iter()
        .filter(|f| touched.contains(&f.month) && !kept.contains_key(&f.month))
        .collect();
    for f in missing {
        read_into(ws, f, true, &BTreeMap::new(), &mut HashMap::new(), &mut kept, diags)?;
    }
    for month in &touched {
        let rows = month_rows(
            *month,
            kept.remove(month).unwrap_or_default(),
            &removed,
            &added,
            &mut plan,
        );
        plan.months.insert(*month, rows);
    }
    Ok(plan)
}

/// One visit per id within the import: a repeat with the same content is skipped (and
/// counted), one with different content is an error.
fn one_per_id(visits: Vec<SheetVisit>, plan: &mut Plan, ps: &mut Problems) -> BTreeMap<String, SheetVisit> {
    let mut incoming: BTreeMap<String, SheetVisit> = BTreeMap::new();
    for v in visits {
        match incoming.get(&v.visit.id) {
            None => {
                incoming.insert(v.visit.id.clone(), v);
            }
            Some(first) if first.visit.content() == v.visit.content() => plan.skipped += 1,
            Some(first) => {
                let at = place_of(first).words(ps.lang);
                let m = ps
                    .lang
                    .pick(
                        &format!("检查 {} 与 {at} 第{}行编号相同而内容不同", v.visit.id, first.row),
                        &format!(
                            "visit {} differs from the visit of the same id at {at} row {}",
                            v.visit.id, first.row
                        ),
                    )
                    .to_string();
                ps.file_error(&place_of(&v), Some(v.row), m);
            }
        }
    }
    incoming
}

/// Sort the incoming visits against the stored ones: new (added), stored identically (skipped),
/// stored differently (replaced with `replace`, its month touched; else an error). Returns the
/// visits to write and the ids whose stored rows go.
fn sort_incoming(
    incoming: BTreeMap<String, SheetVisit>,
    stored: &Stored,
    replace: bool,
    plan: &mut Plan,
    touched: &mut BTreeSet<Period>,
    ps: &mut Problems,
) -> (Vec<VisitRows>, BTreeSet<String>) {
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
            Some((month, _, line)) => {
                let at = format!("{}:{line}", month_path(month));
                let (m, fix) = match ps.lang {
                    Lang::Zh => (
                        format!("检查 {id} 已入库（{at}），内容与本表不同"),
                        "如确需覆盖，请加 --replace；否则请为这次检查另编号".to_string(),
                    ),
                    Lang::En => (
                        format!("visit {id} is already stored with different content at {at}"),
                        "pass --replace to overwrite it, or give this visit another id".to_string(),
                    ),
                };
                ps.push(Problem {
                    severity: Severity::Error,
                    file: v.file.clone(),
                    sheet: v.sheet.clone(),
                    row: Some(v.row),
                    column: None,
                    value: None,
                    message: m,
                    fix,
                    cause: None,
                });
            }
        }
    }
    (added, removed)
}

/// Where a sheet's visit came from.
fn place_of(v: &SheetVisit) -> Place {
    Place {
        file: v.file.clone(),
        sheet: v.sheet.clone(),
    }
}

/// A touched month's new content: the rows it `kept` but those of `removed` visits, and the
/// rows of the `added` visits that fall in it (counted in `plan.rows`), in store order.
fn month_rows(
    month: Period,
    kept: Vec<Finding>,
    removed: &BTreeSet<String>,
    added: &[VisitRows],
    plan: &mut Plan,
) -> Vec<Finding> {
    let mut rows: Vec<Finding> = kept.into_iter().filter(|r| !removed.contains(&r.visit_id)).collect();
    for v in added.iter().filter(|v| month_of(v) == month) {
        plan.rows += v.rows.len();
        rows.extend(v.rows.iter().cloned());
    }
    rows.sort_by(|a, b| (a.date, &a.visit_id, &a.item).cmp(&(b.date, &b.visit_id, &b.item)));
    rows
}
/// Read one month file: keep all its rows when `whole`, and the stored form of any visit
/// whose id is being imported.
fn read_into(
    ws: &Workspace,
    f: &MonthFile,
    whole: bool,
    incoming: &BTreeMap<String, SheetVisit>,
    stored: &mut Stored,
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
