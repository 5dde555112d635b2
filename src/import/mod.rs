//! `inspect import`'s core: turning sheets into canonical visits (DESIGN §10). Reading files
//! is in [`sheet`]; recognising headers in [`layout`]; values in [`values`]; merging into the
//! store in [`merge`]. Every problem of every sheet is collected before anything is written.

pub mod book;
pub mod form;
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
    /// `--level`: the level of visits whose sheet has no level column; a sheet that states
    /// another level is an error.
    pub level: Option<Level>,
    /// `--purpose`: the purpose of visits whose sheet has no purpose column (none: routine);
    /// a sheet that states another purpose is an error.
    pub purpose: Option<Purpose>,
}

/// A visit ready for the store: its rows in store order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitRows {
    /// The visit id, given by the sheet or derived ([`derive_visit_id`]).
    pub id: String,
    /// Its rows as the store holds them: one per item with problem points, sorted by item
    /// (one with no item when there are none); photos and note on the first.
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

    /// The visit's date, which decides the month file it is stored in.
    pub fn date(&self) -> NaiveDate {
        self.rows[0].date
    }
}

/// A visit read from a sheet, with where it came from.
#[derive(Debug, Clone)]
pub struct SheetVisit {
    /// The visit.
    pub visit: VisitRows,
    /// The sheet file it was read from, as named on the command line (for messages).
    pub file: String,
    /// The sheet row of its first row (for messages).
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
    /// Index the compounds of `reg` by id, name and alias, and the items of every standards
    /// file by code and name, once for all the sheets of an import.
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

/// A visit being gathered from its rows: its head, the sheet row where it starts, its findings
/// as (item code, count, sheet row), and the photos and notes of all its rows.
struct Builder {
    head: Head,
    row: u64,
    findings: Vec<(String, u64, u64)>,
    photos: u64,
    notes: Vec<String>,
}

impl Builder {
    /// A visit begun by its first row, sheet row `row`.
    fn new(read: RowRead, row: u64) -> Builder {
        Builder {
            head: read.head,
            row,
            findings: read.findings,
            photos: read.photos,
            notes: read.note.into_iter().collect(),
        }
    }

    /// A further row of visit `key` (a long sheet's), sheet row `row`: its head must agree with
    /// the first row's, and no item may be listed twice.
    fn add_row(&mut self, file: &str, key: &str, row: u64, read: RowRead, diags: &mut Diagnostics) {
        if self.head != read.head {
            diags.error(file, Some(row), format!("visit {key}: date, level, purpose, team, inspectors or compound differ from row {}: a visit's rows must agree", self.row));
            return;
        }
        for (code, n, r) in read.findings {
            if let Some((_, _, first)) = self.findings.iter().find(|(c, _, _)| *c == code) {
                diags.error(
                    file,
                    Some(r),
                    format!("visit {key}: item {code} is listed twice (rows {first} and {r})"),
                );
            } else {
                self.findings.push((code, n, r));
            }
        }
        self.photos += read.photos;
        self.notes.extend(read.note);
    }

    /// The visit as the store holds it: one row per item with points, sorted by item (a visit
    /// with none has one row with no item); photos and notes on the first row.
    fn into_visit(self, id: String, file: &str) -> SheetVisit {
        let mut findings: Vec<(String, u64)> = self
            .findings
            .into_iter()
            .filter(|(_, n, _)| *n > 0)
            .map(|(c, n, _)| (c, n))
            .collect();
        findings.sort();
        if findings.is_empty() {
            findings.push((String::new(), 0));
        }
        let h = &self.head;
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
                photos: if i == 0 { self.photos } else { 0 },
                note: if i == 0 { self.notes.join("；") } else { String::new() },
            })
            .collect();
        SheetVisit {
            visit: VisitRows { id, rows },
            file: file.to_string(),
            row: self.row,
        }
    }
}

/// The visits of one sheet as its rows are read, kept in the order of their first rows.
#[derive(Default)]
struct Gathered {
    visits: HashMap<String, Builder>,
    order: Vec<String>,
}

impl Gathered {
    /// Add a row read at sheet row `row` to visit `key`. A wide sheet has one row per visit, so
    /// there a second row for the same visit is an error.
    fn add(&mut self, file: &str, key: String, row: u64, read: RowRead, wide: bool, diags: &mut Diagnostics) {
        match self.visits.get_mut(&key) {
            None => {
                self.order.push(key.clone());
                self.visits.insert(key, Builder::new(read, row));
            }
            Some(b) if wide => {
                diags.error(file, Some(row), format!("row {} and this row describe the same visit {key} (one row per visit in a sheet with a column per item)", b.row));
            }
            Some(b) => b.add_row(file, &key, row, read, diags),
        }
    }

    /// Report each visit whose rows add up to more photos than a visit may record.
    fn check_photos(&self, file: &str, diags: &mut Diagnostics) {
        for (key, b) in &self.visits {
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
    }

    /// The visits, in the order of their first rows.
    fn into_visits(self, file: &str) -> Vec<SheetVisit> {
        let Gathered { mut visits, order } = self;
        order
            .into_iter()
            .filter_map(|key| visits.remove(&key).map(|b| (key, b)))
            .map(|(id, b)| b.into_visit(id, file))
            .collect()
    }
}

/// The ids of a sheet's visits: the one a row gives, else one derived from its head. The rows
/// of a visit are usually adjacent, so the last derived id is kept and reused.
#[derive(Default)]
struct VisitIds {
    last: Option<(Head, String)>,
}

impl VisitIds {
    /// The id of the visit a row with `given` id and `head` belongs to.
    fn of(&mut self, given: Option<String>, head: &Head) -> String {
        if let Some(id) = given {
            return id;
        }
        match &self.last {
            Some((h, id)) if h == head => id.clone(),
            _ => {
                let id = derive_visit_id(head.date, head.level, head.purpose, &head.team, &head.compound_id);
                self.last = Some((head.clone(), id.clone()));
                id
            }
        }
    }
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
    let Some((header, layout)) = sheet_layout(resolver, file, sheet, diags) else {
        return Vec::new();
    };
    let mut gathered = Gathered::default();
    let mut ids = VisitIds::default();
    for (n, row) in sheet.rows[1..].iter().enumerate() {
        if n % 10_000 == 0 {
            progress(n);
        }
        let cells = RowCells {
            file,
            header,
            layout: &layout,
            row,
        };
        let Some(mut read) = read_row(resolver, &cells, defaults, diags) else {
            continue;
        };
        let key = ids.of(read.given_id.take(), &read.head);
        gathered.add(file, key, row.row, read, layout.is_wide(), diags);
    }
    gathered.check_photos(file, diags);
    gathered.into_visits(file)
}

/// A sheet's header row and the layout it declares; `None` (reported) when the sheet is empty,
/// its header is not understood, or it has no row below the header.
fn sheet_layout<'s>(
    resolver: &Resolver<'_>,
    file: &str,
    sheet: &'s Sheet,
    diags: &mut Diagnostics,
) -> Option<(&'s SheetRow, Layout)> {
    let Some(header) = sheet.rows.first() else {
        diags.error(file, None, "empty sheet: expected a header row and visits");
        return None;
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
            return None;
        }
    };
    if sheet.rows.len() < 2 {
        diags.error(
            file,
            Some(header.row),
            "the sheet has a header but no visits: was the wrong file sent?",
        );
        return None;
    }
    Some((header, layout))
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

/// One data row of a sheet, with what is needed to find its cells and to say where a problem
/// is: the file, the header (for column names), and the layout (for column positions).
struct RowCells<'s> {
    file: &'s str,
    header: &'s SheetRow,
    layout: &'s Layout,
    row: &'s SheetRow,
}

impl<'s> RowCells<'s> {
    /// The cell of field `f`, if the sheet has that column ("" past the end of a short row).
    fn get(&self, f: Field) -> Option<&'s str> {
        self.layout.col(f).map(|c| self.row.cells.get(c).unwrap_or(""))
    }

    /// Report a problem with this row.
    fn error(&self, diags: &mut Diagnostics, message: impl Into<String>) {
        diags.error(self.file, Some(self.row.row), message);
    }

    /// Report a problem with this row's cell in column `col`: the column, then `m`.
    fn column_error(&self, diags: &mut Diagnostics, col: usize, m: &str) {
        self.error(diags, format!("{}{m}", column_label(self.header, col, true)));
    }

    /// Report that the cell of field `f` is not what was expected, quoting what it holds.
    fn bad(&self, diags: &mut Diagnostics, f: Field, expected: &str) {
        let col = self.layout.col(f).unwrap_or(0);
        let value = self.row.cells.get(col).unwrap_or("");
        self.column_error(diags, col, &format!("expected {expected}, found \"{value}\""));
    }
}

/// One data row: its given visit id, the visit's fields, its findings, photos and note.
/// `None` when any cell was wrong (each reported).
fn read_row(r: &Resolver<'_>, cells: &RowCells<'_>, defaults: Defaults, diags: &mut Diagnostics) -> Option<RowRead> {
    let before = diags.errors();
    let given_id = read_visit_id(cells, diags);
    let date = read_date(cells, diags);
    let level = read_level(cells, defaults.level, diags);
    let purpose = read_purpose(cells, defaults.purpose, diags);
    let team = read_team(cells, diags);
    let inspectors = read_inspectors(cells, diags);
    let compound_id = read_compound(r, cells, diags);
    let photos = read_photos(cells, diags);
    let note = read_note(cells);
    let findings = match date {
        Some(date) if cells.layout.is_wide() => wide_findings(r, cells, date, diags),
        Some(date) => long_finding(r, cells, date, diags).into_iter().collect(),
        None => Vec::new(),
    };
    let (Some(date), Some(level), Some(purpose), Some(inspectors), Some(compound_id), Some(photos)) =
        (date, level, purpose, inspectors, compound_id, photos)
    else {
        return None;
    };
    check_contract(r, cells, &compound_id, date, &findings, diags);
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

/// The visit id a row gives, if the sheet has a visit id column (checked to be safe to use).
fn read_visit_id(cells: &RowCells<'_>, diags: &mut Diagnostics) -> Option<String> {
    match cells.get(Field::VisitId).map(str::trim) {
        Some(id) if !id.is_empty() => {
            if !valid_visit_id(id) {
                cells.bad(diags, Field::VisitId, "a visit id of letters, digits, '-', '_' or '.'");
            }
            Some(id.to_string())
        }
        // A sheet that numbers its visits must number every row: a blank (a merged cell in
        // Excel) would otherwise split one visit in two.
        Some(_) => {
            cells.bad(
                diags,
                Field::VisitId,
                "the visit id (this sheet has a visit id column: fill it on every row)",
            );
            None
        }
        None => None,
    }
}

/// The visit's date, in any of the forms people type ([`values::parse_date`]).
fn read_date(cells: &RowCells<'_>, diags: &mut Diagnostics) -> Option<NaiveDate> {
    let date = values::parse_date(cells.get(Field::Date).unwrap_or(""));
    if date.is_none() {
        cells.bad(diags, Field::Date, "a date like 2026-03-05, 2026/3/5 or 2026年3月5日");
    }
    date
}

/// The visit's level: the sheet's, which must agree with `--level` (`flag`) if both are given;
/// else the flag's. One of them must give it.
fn read_level(cells: &RowCells<'_>, flag: Option<Level>, diags: &mut Diagnostics) -> Option<Level> {
    match (cells.get(Field::Level).map(str::trim).filter(|s| !s.is_empty()), flag) {
        (Some(s), flag) => match values::parse_level(s) {
            None => {
                cells.bad(
                    diags,
                    Field::Level,
                    "a level: 社区, 街道, 区, 第三方 (or community, street, district, third_party)",
                );
                None
            }
            Some(l) if flag.is_some_and(|f| f != l) => {
                cells.error(
                    diags,
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
            cells.error(diags, "no level: add a 检查层级 column or pass --level");
            None
        }
    }
}

/// The visit's purpose: the sheet's, which must agree with `--purpose` (`flag`) if both are
/// given; else the flag's; else routine.
fn read_purpose(cells: &RowCells<'_>, flag: Option<Purpose>, diags: &mut Diagnostics) -> Option<Purpose> {
    match (cells.get(Field::Purpose).map(str::trim).filter(|s| !s.is_empty()), flag) {
        (Some(s), flag) => match values::parse_purpose(s) {
            None => {
                cells.bad(diags, Field::Purpose, "a purpose: 日常 or 复检 (routine or recheck)");
                None
            }
            Some(p) if flag.is_some_and(|f| f != p) => {
                cells.error(
                    diags,
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
    }
}

/// The inspection team's name, which may not be blank (blank is reported and returned).
fn read_team(cells: &RowCells<'_>, diags: &mut Diagnostics) -> String {
    let team = cells.get(Field::Team).unwrap_or("").trim().to_string();
    if team.is_empty() {
        cells.bad(diags, Field::Team, "the inspection team's name");
    }
    team
}

/// How many inspectors made the visit: a whole number, 1 or more.
fn read_inspectors(cells: &RowCells<'_>, diags: &mut Diagnostics) -> Option<u32> {
    let inspectors = values::parse_whole(cells.get(Field::Inspectors).unwrap_or(""))
        .filter(|&n| n >= 1)
        .and_then(|n| u32::try_from(n).ok());
    if inspectors.is_none() {
        cells.bad(
            diags,
            Field::Inspectors,
            "the number of inspectors, a whole number 1 or more",
        );
    }
    inspectors
}

/// The id of the compound visited, named by id, name or alias.
fn read_compound(r: &Resolver<'_>, cells: &RowCells<'_>, diags: &mut Diagnostics) -> Option<String> {
    match r.compound(cells.get(Field::Compound).unwrap_or("")) {
        Ok(id) => Some(id),
        Err(m) => {
            cells.column_error(diags, cells.layout.col(Field::Compound).unwrap_or(0), &m);
            None
        }
    }
}

/// The photos the row counts: a whole number (blank or no column: 0).
fn read_photos(cells: &RowCells<'_>, diags: &mut Diagnostics) -> Option<u64> {
    let photos = match cells.get(Field::Photos).map(str::trim) {
        None | Some("") => Some(0),
        Some(s) => values::parse_whole(s),
    };
    if photos.is_none() {
        cells.bad(
            diags,
            Field::Photos,
            "a number of photos, a whole number from 0 to 1000000",
        );
    }
    photos
}

/// The row's note, if it has one that is not blank.
fn read_note(cells: &RowCells<'_>) -> Option<String> {
    cells
        .get(Field::Note)
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
}

/// A wide row's findings: one per item column with problem points (blank = 0), checked against
/// the standards in force on `date`.
fn wide_findings(
    r: &Resolver<'_>,
    cells: &RowCells<'_>,
    date: NaiveDate,
    diags: &mut Diagnostics,
) -> Vec<(String, u64, u64)> {
    let mut findings = Vec::new();
    for (code, col) in &cells.layout.items {
        let v = cells.row.cells.get(*col).unwrap_or("").trim();
        match values::parse_whole(v).or(v.is_empty().then_some(0)) {
            Some(0) => {}
            Some(n) => match r.item(code, date) {
                Ok(code) => findings.push((code, n, cells.row.row)),
                Err(m) => cells.column_error(diags, *col, &m),
            },
            None => cells.column_error(
                diags,
                *col,
                &format!(
                    "expected a count of problem points, a whole number from 0 to 1000000 (blank = 0), found \"{v}\""
                ),
            ),
        }
    }
    findings
}

/// A long row's finding, if it has one: its item (checked against the standards in force on
/// `date`) and count of problem points. A row with no item and no points is a visit with none.
fn long_finding(
    r: &Resolver<'_>,
    cells: &RowCells<'_>,
    date: NaiveDate,
    diags: &mut Diagnostics,
) -> Option<(String, u64, u64)> {
    let item = cells.get(Field::Item).unwrap_or("").trim();
    let count = cells.get(Field::Count).unwrap_or("").trim();
    match (
        item.is_empty(),
        values::parse_whole(count).or(count.is_empty().then_some(0)),
    ) {
        (_, None) => {
            cells.bad(
                diags,
                Field::Count,
                "a count of problem points, a whole number from 0 to 1000000",
            );
            None
        }
        (true, Some(0)) => None,
        (true, Some(n)) => {
            cells.error(
                diags,
                format!("{n} problem points but no item: fill in the 问题项 column"),
            );
            None
        }
        (false, Some(n)) => match r.item(item, date) {
            Ok(code) => Some((code, n, cells.row.row)),
            Err(m) => {
                cells.column_error(diags, cells.layout.col(Field::Item).unwrap_or(0), &m);
                None
            }
        },
    }
}

/// A visit needs a contract in force on its date, and each item found must apply at the
/// service grade that contract sets.
fn check_contract(
    r: &Resolver<'_>,
    cells: &RowCells<'_>,
    compound_id: &str,
    date: NaiveDate,
    findings: &[(String, u64, u64)],
    diags: &mut Diagnostics,
) {
    let Some(k) = r.reg.contract_on(compound_id, date) else {
        cells.error(
            diags,
            format!(
                "{compound_id} has no contract in force on {date}: a visit needs one (see data/registry/contracts.csv)"
            ),
        );
        return;
    };
    let Some(st) = r.standards.in_force_on(first_of_month(date)) else {
        return;
    };
    for (code, n, _) in findings {
        if let Some(item) = st.standards.item(code) {
            if *n > 0 && !item.applies(k.service_grade) {
                cells.error(
                    diags,
                    format!(
                        "item {code} ({}) does not apply to {compound_id}, served at service grade {} on {date}",
                        item.name, k.service_grade
                    ),
                );
            }
        }
    }
}
