//! `inspect import`'s core: turning sheets into canonical visits (DESIGN §10). Reading files
//! is in [`sheet`]; recognising headers in [`layout`]; values in [`values`]; merging into the
//! store in [`merge`]. Every problem of every sheet is collected before anything is written.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

pub mod layout;
pub mod merge;
pub mod sheet;
pub mod values;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

use crate::error::Diagnostics;
use crate::model::records::Finding;
use crate::model::registry::Registry;
use crate::model::{Level, Purpose};
use crate::suggest::did_you_mean;
use crate::workspace::{sha256_hex, StandardsSet};

use layout::{detect, Field, Layout};
use sheet::{Sheet, SheetRow};

/// Values the command line supplies for columns a sheet lacks.
#[derive(Debug, Clone, Copy, Default)]
pub struct Defaults {
    pub level: Option<Level>,
    pub purpose: Option<Purpose>,
}

/// A visit ready for the store: its rows in store order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRows {
    pub id: String,
    pub rows: Vec<Finding>,
}

impl VisitRows {
    /// What makes two visits the same, whatever how photos and notes are spread over rows.
    pub fn content(&self) -> impl PartialEq + std::fmt::Debug + '_ {
        let f = &self.rows[0];
        let mut items: Vec<(&str, u64)> = self
            .rows
            .iter()
            .filter(|r| !r.item.is_empty())
            .map(|r| (r.item.as_str(), r.count))
            .collect();
        items.sort_unstable();
        let photos: u64 = self.rows.iter().map(|r| r.photos).sum();
        let notes: Vec<&str> = self
            .rows
            .iter()
            .map(|r| r.note.as_str())
            .filter(|n| !n.is_empty())
            .collect();
        (
            f.date,
            f.level,
            f.purpose,
            f.team.as_str(),
            f.inspectors,
            f.compound_id.as_str(),
            items,
            photos,
            notes.join("；"),
        )
    }

    pub fn date(&self) -> NaiveDate {
        self.rows[0].date
    }
}

/// A visit read from a sheet, with where it came from.
#[derive(Debug, Clone)]
pub struct SheetVisit {
    pub visit: VisitRows,
    pub file: String,
    pub row: u64,
}

/// Lookups shared by all sheets of one import.
pub struct Resolver<'a> {
    reg: &'a Registry,
    standards: &'a StandardsSet,
    /// Compound id, name or alias → compound ids (more than one: ambiguous).
    compounds: BTreeMap<&'a str, Vec<&'a str>>,
    /// Item code or name (any standards file) → code.
    items: BTreeMap<String, String>,
}

impl<'a> Resolver<'a> {
    pub fn new(reg: &'a Registry, standards: &'a StandardsSet) -> Resolver<'a> {
        let mut compounds: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for c in &reg.compounds {
            let names = [&*c.id, &*c.name]
                .into_iter()
                .chain(c.aliases.iter().map(String::as_str));
            for key in names {
                let ids = compounds.entry(key).or_default();
                if !ids.contains(&&*c.id) {
                    ids.push(&c.id);
                }
            }
        }
        let mut items = BTreeMap::new();
        for f in &standards.files {
            for i in &f.standards.items {
                items.insert(i.code.clone(), i.code.clone());
                items.insert(i.name.clone(), i.code.clone());
            }
        }
        Resolver {
            reg,
            standards,
            compounds,
            items,
        }
    }

    fn compound(&self, s: &str) -> Result<String, String> {
        match self.compounds.get(s.trim()).map(Vec::as_slice) {
            Some([id]) => Ok(id.to_string()),
            Some(ids) => Err(format!(
                "compound \"{s}\" is ambiguous: it names {} (use the compound id)",
                ids.join(", ")
            )),
            None => Err(format!(
                "unknown compound \"{s}\"{}",
                did_you_mean(s.trim(), self.compounds.keys().copied())
            )),
        }
    }

    /// An item code or name, checked against the standards in force on `date`.
    fn item(&self, s: &str, date: NaiveDate) -> Result<String, String> {
        let st = self
            .standards
            .in_force_on(first_of_month(date))
            .ok_or_else(|| format!("no standards in force on {date}"))?;
        let code = self
            .items
            .get(s.trim())
            .cloned()
            .unwrap_or_else(|| s.trim().to_string());
        if st.standards.item(&code).is_some() {
            return Ok(code);
        }
        let known = st
            .standards
            .items
            .iter()
            .flat_map(|i| [i.code.as_str(), i.name.as_str()]);
        Err(format!(
            "unknown item \"{s}\" in {}{}",
            st.file,
            did_you_mean(s.trim(), known)
        ))
    }
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day0(0).unwrap_or(d)
}

use chrono::Datelike;

/// A visit's own fields.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Head {
    date: NaiveDate,
    level: Level,
    purpose: Purpose,
    team: String,
    inspectors: u32,
    compound_id: String,
}

/// Derive a visit id from the visit's own fields, so re-importing a sheet derives the same id:
/// level letter, date, compound, and a short hash of (date, level, purpose, team, compound).
pub fn derive_visit_id(date: NaiveDate, level: Level, purpose: Purpose, team: &str, compound_id: &str) -> String {
    let letter = match level {
        Level::Community => 'C',
        Level::Street => 'S',
        Level::District => 'D',
        Level::ThirdParty => 'T',
    };
    let key = format!("{date}|{}|{}|{team}|{compound_id}", level.as_str(), purpose.as_str());
    format!(
        "{letter}{}-{compound_id}-{}",
        date.format("%Y%m%d"),
        &sha256_hex(key.as_bytes())[..6]
    )
}

/// Whether a visit id is safe everywhere it travels (store, notice file names, URLs).
fn valid_visit_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !s.contains("..")
}

struct Builder {
    head: Head,
    row: u64,
    findings: Vec<(String, u64, u64)>,
    photos: u64,
    notes: Vec<String>,
}

/// Read the visits of one sheet. Problems go to `diags` against `file` and the sheet's rows.
/// `progress` is told how many rows have been read, now and then.
pub fn visits_from_sheet(
    resolver: &Resolver<'_>,
    file: &str,
    sheet: &Sheet,
    defaults: Defaults,
    diags: &mut Diagnostics,
    progress: &mut dyn FnMut(usize),
) -> Vec<SheetVisit> {
    let Some(header) = sheet.rows.first() else {
        diags.error(file, None, "empty sheet: expected a header row and visits");
        return Vec::new();
    };
    let header_cells: Vec<String> = header.cells.iter().map(String::from).collect();
    let layout = match detect(&header_cells, &resolver.items) {
        Ok(l) => l,
        Err(errors) => {
            for (col, m) in errors {
                diags.error(
                    file,
                    Some(header.row),
                    format!("{}{m}", column_label(header, col, true)),
                );
            }
            return Vec::new();
        }
    };
    if sheet.rows.len() < 2 {
        diags.error(
            file,
            Some(header.row),
            "the sheet has a header but no visits: was the wrong file sent?",
        );
        return Vec::new();
    }
    let mut visits: HashMap<String, Builder> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    // The rows of a visit are usually adjacent: derive its id once.
    let mut last: Option<(Head, String)> = None;
    for (n, row) in sheet.rows[1..].iter().enumerate() {
        if n % 10_000 == 0 {
            progress(n);
        }
        let Some(RowRead {
            given_id,
            head,
            findings,
            photos,
            note,
        }) = read_row(resolver, file, header, &layout, row, defaults, diags)
        else {
            continue;
        };
        let key = match given_id {
            Some(id) => id,
            None => match &last {
                Some((h, id)) if *h == head => id.clone(),
                _ => {
                    let id = derive_visit_id(head.date, head.level, head.purpose, &head.team, &head.compound_id);
                    last = Some((head.clone(), id.clone()));
                    id
                }
            },
        };
        match visits.get_mut(&key) {
            None => {
                order.push(key.clone());
                visits.insert(
                    key,
                    Builder {
                        head,
                        row: row.row,
                        findings,
                        photos,
                        notes: note.into_iter().collect(),
                    },
                );
            }
            Some(b) => {
                if layout.is_wide() {
                    diags.error(file, Some(row.row), format!("row {} and this row describe the same visit {key} (one row per visit in a sheet with a column per item)", b.row));
                    continue;
                }
                if b.head != head {
                    diags.error(file, Some(row.row), format!("visit {key}: date, level, purpose, team, inspectors or compound differ from row {}: a visit's rows must agree", b.row));
                    continue;
                }
                for (code, n, r) in findings {
                    if let Some((_, _, first)) = b.findings.iter().find(|(c, _, _)| *c == code) {
                        diags.error(
                            file,
                            Some(r),
                            format!("visit {key}: item {code} is listed twice (rows {first} and {r})"),
                        );
                    } else {
                        b.findings.push((code, n, r));
                    }
                }
                b.photos += photos;
                b.notes.extend(note);
            }
        }
    }
    for (key, b) in &visits {
        if b.photos > crate::model::records::MAX_PER_ROW {
            diags.error(
                file,
                Some(b.row),
                format!(
                    "visit {key}: {} photos in all, more than the 1000000 a visit may record",
                    b.photos
                ),
            );
        }
    }
    order
        .into_iter()
        .filter_map(|key| visits.remove(&key).map(|b| (key, b)))
        .map(|(id, b)| {
            let mut findings: Vec<(String, u64)> = b
                .findings
                .into_iter()
                .filter(|(_, n, _)| *n > 0)
                .map(|(c, n, _)| (c, n))
                .collect();
            findings.sort();
            if findings.is_empty() {
                findings.push((String::new(), 0));
            }
            let h = &b.head;
            let rows = findings
                .into_iter()
                .enumerate()
                .map(|(i, (item, count))| Finding {
                    visit_id: id.clone(),
                    date: h.date,
                    level: h.level,
                    purpose: h.purpose,
                    team: h.team.clone(),
                    inspectors: h.inspectors,
                    compound_id: h.compound_id.clone(),
                    item,
                    count,
                    photos: if i == 0 { b.photos } else { 0 },
                    note: if i == 0 { b.notes.join("；") } else { String::new() },
                })
                .collect();
            SheetVisit {
                visit: VisitRows { id, rows },
                file: file.to_string(),
                row: b.row,
            }
        })
        .collect()
}

fn column_label(header: &SheetRow, col: usize, with_letter: bool) -> String {
    let name = header.cells.get(col).unwrap_or("");
    if with_letter {
        format!("column {} \"{name}\": ", column_letter(col))
    } else {
        format!("column \"{name}\"")
    }
}

/// Spreadsheet column letters: 0 → A, 25 → Z, 26 → AA.
pub fn column_letter(mut col: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// What one data row of a sheet says. The rows of one visit are merged into a [`Builder`].
struct RowRead {
    /// The visit id the sheet gives, if it has a visit id column; else it is derived from
    /// the head ([`derive_visit_id`]).
    given_id: Option<String>,
    /// The visit's own fields, which every row of the visit must repeat.
    head: Head,
    /// Its findings as (item code, count of problem points, sheet row): in a wide sheet, one
    /// per item column with points; in a long sheet, at most one.
    findings: Vec<(String, u64, u64)>,
    /// Photos taken, as the row counts them (a visit's rows add up).
    photos: u64,
    /// The row's note, if any.
    note: Option<String>,
}

/// One data row: its given visit id, the visit's fields, its findings, photos and note.
/// `None` when any cell was wrong (each reported).
fn read_row(
    r: &Resolver<'_>,
    file: &str,
    header: &SheetRow,
    layout: &Layout,
    row: &SheetRow,
    defaults: Defaults,
    diags: &mut Diagnostics,
) -> Option<RowRead> {
    let before = diags.errors();
    let cell = |f: Field| layout.col(f).map(|c| row.cells.get(c).unwrap_or(""));
    let bad = |diags: &mut Diagnostics, f: Field, expected: &str| {
        let col = layout.col(f).unwrap_or(0);
        let value = row.cells.get(col).unwrap_or("");
        diags.error(
            file,
            Some(row.row),
            format!(
                "{}expected {expected}, found \"{value}\"",
                column_label(header, col, true)
            ),
        );
    };
    let given_id = match cell(Field::VisitId).map(str::trim) {
        Some(id) if !id.is_empty() => {
            if !valid_visit_id(id) {
                bad(diags, Field::VisitId, "a visit id of letters, digits, '-', '_' or '.'");
            }
            Some(id.to_string())
        }
        // A sheet that numbers its visits must number every row: a blank (a merged cell in
        // Excel) would otherwise split one visit in two.
        Some(_) => {
            bad(
                diags,
                Field::VisitId,
                "the visit id (this sheet has a visit id column: fill it on every row)",
            );
            None
        }
        None => None,
    };
    let date = values::parse_date(cell(Field::Date).unwrap_or(""));
    if date.is_none() {
        bad(diags, Field::Date, "a date like 2026-03-05, 2026/3/5 or 2026年3月5日");
    }
    let level = match (
        cell(Field::Level).map(str::trim).filter(|s| !s.is_empty()),
        defaults.level,
    ) {
        (Some(s), flag) => match values::parse_level(s) {
            None => {
                bad(
                    diags,
                    Field::Level,
                    "a level: 社区, 街道, 区, 第三方 (or community, street, district, third_party)",
                );
                None
            }
            Some(l) if flag.is_some_and(|f| f != l) => {
                diags.error(
                    file,
                    Some(row.row),
                    format!(
                        "the sheet says level {} but --level says {}",
                        l.as_str(),
                        flag.map_or("", |f| f.as_str())
                    ),
                );
                None
            }
            Some(l) => Some(l),
        },
        (None, Some(l)) => Some(l),
        (None, None) => {
            diags.error(file, Some(row.row), "no level: add a 检查层级 column or pass --level");
            None
        }
    };
    let purpose = match (
        cell(Field::Purpose).map(str::trim).filter(|s| !s.is_empty()),
        defaults.purpose,
    ) {
        (Some(s), flag) => match values::parse_purpose(s) {
            None => {
                bad(diags, Field::Purpose, "a purpose: 日常 or 复检 (routine or recheck)");
                None
            }
            Some(p) if flag.is_some_and(|f| f != p) => {
                diags.error(
                    file,
                    Some(row.row),
                    format!(
                        "the sheet says purpose {} but --purpose says {}",
                        p.as_str(),
                        flag.map_or("", |f| f.as_str())
                    ),
                );
                None
            }
            Some(p) => Some(p),
        },
        (None, Some(p)) => Some(p),
        (None, None) => Some(Purpose::Routine),
    };
    let team = cell(Field::Team).unwrap_or("").trim().to_string();
    if team.is_empty() {
        bad(diags, Field::Team, "the inspection team's name");
    }
    let inspectors = values::parse_whole(cell(Field::Inspectors).unwrap_or(""))
        .filter(|&n| n >= 1)
        .and_then(|n| u32::try_from(n).ok());
    if inspectors.is_none() {
        bad(
            diags,
            Field::Inspectors,
            "the number of inspectors, a whole number 1 or more",
        );
    }
    let compound_id = match r.compound(cell(Field::Compound).unwrap_or("")) {
        Ok(id) => Some(id),
        Err(m) => {
            diags.error(
                file,
                Some(row.row),
                format!(
                    "{}{m}",
                    column_label(header, layout.col(Field::Compound).unwrap_or(0), true)
                ),
            );
            None
        }
    };
    let photos = match cell(Field::Photos).map(str::trim) {
        None | Some("") => Some(0),
        Some(s) => values::parse_whole(s),
    };
    if photos.is_none() {
        bad(
            diags,
            Field::Photos,
            "a number of photos, a whole number from 0 to 1000000",
        );
    }
    let note = cell(Field::Note)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from);
    let mut findings = Vec::new();
    if let Some(date) = date {
        if layout.is_wide() {
            for (code, col) in &layout.items {
                let v = row.cells.get(*col).unwrap_or("").trim();
                match values::parse_whole(v).or(v.is_empty().then_some(0)) {
                    Some(0) => {}
                    Some(n) => match r.item(code, date) {
                        Ok(code) => findings.push((code, n, row.row)),
                        Err(m) => diags.error(file, Some(row.row), format!("{}{m}", column_label(header, *col, true))),
                    },
                    None => diags.error(
                        file,
                        Some(row.row),
                        format!(
                            "{}expected a count of problem points, a whole number from 0 to 1000000 (blank = 0), found \"{v}\"",
                            column_label(header, *col, true)
                        ),
                    ),
                }
            }
        } else {
            let item = cell(Field::Item).unwrap_or("").trim();
            let count = cell(Field::Count).unwrap_or("").trim();
            match (
                item.is_empty(),
                values::parse_whole(count).or(count.is_empty().then_some(0)),
            ) {
                (_, None) => bad(
                    diags,
                    Field::Count,
                    "a count of problem points, a whole number from 0 to 1000000",
                ),
                (true, Some(0)) => {}
                (true, Some(n)) => diags.error(
                    file,
                    Some(row.row),
                    format!("{n} problem points but no item: fill in the 问题项 column"),
                ),
                (false, Some(n)) => match r.item(item, date) {
                    Ok(code) => findings.push((code, n, row.row)),
                    Err(m) => diags.error(
                        file,
                        Some(row.row),
                        format!(
                            "{}{m}",
                            column_label(header, layout.col(Field::Item).unwrap_or(0), true)
                        ),
                    ),
                },
            }
        }
    }
    let (Some(date), Some(level), Some(purpose), Some(inspectors), Some(compound_id), Some(photos)) =
        (date, level, purpose, inspectors, compound_id, photos)
    else {
        return None;
    };
    match r.reg.contract_on(&compound_id, date) {
        None => diags.error(
            file,
            Some(row.row),
            format!(
                "{compound_id} has no contract in force on {date}: a visit needs one (see data/registry/contracts.csv)"
            ),
        ),
        Some(k) => {
            if let Some(st) = r.standards.in_force_on(first_of_month(date)) {
                for (code, n, _) in &findings {
                    if let Some(item) = st.standards.item(code) {
                        if *n > 0 && !item.applies(k.service_grade) {
                            diags.error(file, Some(row.row), format!("item {code} ({}) does not apply to {compound_id}, served at service grade {} on {date}", item.name, k.service_grade));
                        }
                    }
                }
            }
        }
    }
    if diags.errors() > before {
        return None;
    }
    Some(RowRead {
        given_id,
        head: Head {
            date,
            level,
            purpose,
            team,
            inspectors,
            compound_id,
        },
        findings,
        photos,
        note,
    })
}
