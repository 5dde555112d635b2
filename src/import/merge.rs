//! Merging imported visits into the store: identical visits are skipped, different ones with
//! the same id are errors unless replacing, and each touched month is rebuilt whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_i18n::t;

use crate::error::{Diagnostics, Result, Severity};
use crate::model::records::Lang;

use super::problems::{Place, Problems};
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
    /// The stored rows that replaced visits had, kept for the archive (`--replace` loses
    /// nothing: they can be imported back).
    pub replaced_rows: Vec<Finding>,
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
    let legacy = legacy_ids(&incoming);
    let mut touched: BTreeSet<Period> = incoming.values().map(|v| month_of(&v.visit)).collect();
    let files = month_files(ws, diags)?;
    let mut stored: Stored = HashMap::new();
    let mut kept: BTreeMap<Period, Vec<Finding>> = BTreeMap::new();
    for f in &files {
        read_into(
            ws,
            f,
            touched.contains(&f.month),
            (&incoming, &legacy),
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
        read_into(
            ws,
            f,
            true,
            (&BTreeMap::new(), &HashMap::new()),
            &mut HashMap::new(),
            &mut kept,
            diags,
        )?;
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

/// The ids earlier versions derived (24 bits of hash) for the incoming visits whose ids are
/// derived, each to its id now: a store written before keeps matching its sheets.
fn legacy_ids(incoming: &BTreeMap<String, SheetVisit>) -> HashMap<String, String> {
    incoming
        .iter()
        .filter_map(|(id, v)| {
            let f = &v.visit.rows[0];
            let (date, level, purpose, team, compound) = (f.date, f.level, f.purpose, &f.team, &f.compound_id);
            (*id == super::derive_visit_id(date, level, purpose, team, compound))
                .then(|| (super::legacy_visit_id(date, level, purpose, team, compound), id.clone()))
        })
        .collect()
}

/// Whether two rows are of one visit as a person tells visits apart: the same date, level,
/// purpose, team and compound. Only such a visit may be replaced.
fn same_visit(a: &Finding, b: &Finding) -> bool {
    (a.date, a.level, a.purpose, &a.team, &a.compound_id) == (b.date, b.level, b.purpose, &b.team, &b.compound_id)
}

/// A visit in words, for a message naming two visits that share an id.
fn visit_words(f: &Finding, lang: Lang) -> String {
    t!(
        "import.msg.visit_words",
        locale = lang.code(),
        date = f.date,
        level = f.level.as_str(),
        purpose = f.purpose.as_str(),
        team = f.team,
        compound = f.compound_id
    )
    .into_owned()
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
                let m = t!(
                    "import.msg.same_id_differs",
                    locale = ps.lang.code(),
                    id = v.visit.id,
                    at = at,
                    row = first.row
                )
                .into_owned();
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
            Some((month, old, line)) if !same_visit(&old.rows[0], &v.visit.rows[0]) => {
                // Another visit holds this id: --replace may not take it.
                let at = format!("{}:{line}", month_path(month));
                let (stored_words, sheet_words) = (
                    visit_words(&old.rows[0], ps.lang),
                    visit_words(&v.visit.rows[0], ps.lang),
                );
                let code = ps.lang.code();
                let m = t!(
                    "import.msg.id_taken",
                    locale = code,
                    id = id,
                    at = at,
                    stored = stored_words,
                    sheet = sheet_words
                )
                .into_owned();
                let fix = t!("import.msg.id_taken_fix", locale = code).into_owned();
                ps.at_row(Severity::Error, (&v.file, v.sheet.as_deref(), v.row), m, fix);
            }
            Some((month, old, _)) if replace => {
                plan.replaced += 1;
                plan.imported.insert(id.clone());
                // The stored id: an id of an earlier version's store, if it was stored so.
                removed.insert(old.id.clone());
                touched.insert(*month);
                added.push(v.visit);
            }
            Some((month, _, line)) => {
                let at = format!("{}:{line}", month_path(month));
                let code = ps.lang.code();
                let m = t!("import.msg.stored_differs", locale = code, id = id, at = at).into_owned();
                let fix = t!("import.msg.stored_differs_fix", locale = code).into_owned();
                ps.at_row(Severity::Error, (&v.file, v.sheet.as_deref(), v.row), m, fix);
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
    let (gone, mut rows): (Vec<Finding>, Vec<Finding>) = kept.into_iter().partition(|r| removed.contains(&r.visit_id));
    plan.replaced_rows.extend(gone);
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
    (incoming, legacy): (&BTreeMap<String, SheetVisit>, &HashMap<String, String>),
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
            // A stored visit under an id this import derives, or under the id an earlier
            // version derived for the same visit.
            let key = if incoming.contains_key(&finding.visit_id) {
                Some(finding.visit_id.clone())
            } else {
                legacy
                    .get(&finding.visit_id)
                    .filter(|new| same_visit(&incoming[*new].visit.rows[0], &finding))
                    .cloned()
            };
            if let Some(key) = key {
                let e = stored.entry(key).or_insert_with(|| {
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
