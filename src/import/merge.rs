//! Merging imported visits into the store: identical visits are skipped, different ones with
//! the same id are errors unless replacing, and each touched month is rewritten.
//!
//! Neither the store nor the touched months are held in memory (DESIGN §12: a million-row sheet
//! into a national store): planning streams every month file once, comparing each stored visit
//! whose id is being imported with the sheet's as its rows go by ([`Stored`]); writing streams
//! each touched month file again, past the sorted visits to add ([`Plan::write_month`]). What
//! is held is the sheets' visits themselves, packed ([`Packed`]): a visit's fields once and its
//! rows' items in one buffer, about a quarter of their size as [`Finding`]s.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::io::Write;

use rust_i18n::t;

use crate::error::{Diagnostics, Error, Result, Severity};
use crate::model::records::Lang;

use super::problems::{Place, Problems};
use crate::model::records::{Finding, STORE_HEADER};
use crate::model::{Level, Period, Purpose, Span};
use crate::workspace::store::{month_files, month_path, read_month, write_finding, MonthFile};
use crate::workspace::Workspace;
use chrono::NaiveDate;

use super::{SheetVisit, VisitRows};

/// What an import will do. The touched months' new content is not held: [`Plan::write_month`]
/// streams each stored month file past the visits to add, so memory does not grow with the
/// store.
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
    /// The months whose files the import rewrites.
    pub months: BTreeSet<Period>,
    /// Ids of the added and replaced visits.
    pub imported: BTreeSet<String>,
    /// The stored ids whose rows go (replaced visits').
    removed: BTreeSet<String>,
    /// The visits to write, by month, each month's sorted by (date, id): their rows, already in
    /// store order within a visit, follow in that order.
    adding: BTreeMap<Period, Vec<Packed>>,
    /// The stored month files, and whether each is in store order (an unsorted one, edited by
    /// hand, is rewritten by reading it whole).
    files: Vec<(MonthFile, bool)>,
}

/// Where a stored visit whose id is being imported again is, and how it compares with the
/// sheet's visit, gathered as the store streams past: no stored row is held.
struct Stored {
    /// The month file it was first met in, and the line of its first row.
    month: Period,
    line: u64,
    /// The id it is stored under, when not the sheet's (an earlier version's derived id).
    id: Option<String>,
    /// Its first row's visit fields, kept only when they are not the sheet visit's (for the
    /// message naming both).
    other: Option<Box<Finding>>,
    /// Whether its first row has the sheet visit's date, level, purpose, team and compound.
    same_visit: bool,
    /// Whether its content can still equal the sheet visit's.
    equal: bool,
    /// Which of the sheet visit's items its rows have named (in the sheet visit's order).
    seen: Vec<bool>,
    /// Its photos so far.
    photos: u64,
    /// How much of the sheet visit's joined notes its notes have matched so far, and whether
    /// any has.
    notes: usize,
    any_note: bool,
}

impl Stored {
    /// A stored visit met at its first row `first`, at `line` of `month`'s file, whose id is
    /// `key`'s (or an earlier version's id for it), compared with the sheet's `visit`.
    fn new(month: Period, line: u64, key: &str, first: &Finding, visit: &VisitRows) -> Stored {
        let same_visit = same_visit(first, &visit.rows[0]);
        let v = &visit.rows[0];
        let head = (
            first.date,
            first.level,
            first.purpose,
            &first.team,
            first.inspectors,
            &first.compound_id,
        ) == (v.date, v.level, v.purpose, &v.team, v.inspectors, &v.compound_id);
        Stored {
            month,
            line,
            id: (first.visit_id != key).then(|| first.visit_id.clone()),
            other: (!same_visit).then(|| Box::new(first.clone())),
            same_visit,
            equal: head,
            seen: vec![false; visit.rows.len()],
            photos: 0,
            notes: 0,
            any_note: false,
        }
    }

    /// Take in one more of its rows: [`VisitRows::content`] compared a row at a time (items as
    /// a multiset, photos summed, notes joined in row order).
    fn add(&mut self, row: &Finding, visit: &VisitRows, notes: &str) {
        self.photos = self.photos.saturating_add(row.photos);
        if !row.item.is_empty() {
            let at = visit
                .rows
                .iter()
                .position(|r| !r.item.is_empty() && r.item == row.item && r.count == row.count);
            match at.and_then(|i| self.seen.get_mut(i)) {
                Some(seen) if !*seen => *seen = true,
                _ => self.equal = false,
            }
        }
        if !row.note.is_empty() {
            let sep = if self.any_note { "；" } else { "" };
            let rest = notes.get(self.notes..).unwrap_or_default();
            match rest.strip_prefix(sep).and_then(|r| r.strip_prefix(row.note.as_str())) {
                Some(after) => self.notes = notes.len() - after.len(),
                None => self.equal = false,
            }
            self.any_note = true;
        }
    }

    /// Whether its content, all rows read, equals the sheet `visit`'s.
    fn equals(&self, visit: &VisitRows, notes: &str) -> bool {
        let items = visit.rows.iter().zip(&self.seen).all(|(r, s)| r.item.is_empty() || *s);
        let photos: u64 = visit.rows.iter().map(|r| r.photos).sum();
        self.equal && items && self.photos == photos && self.notes == notes.len()
    }
}

/// A visit's notes as [`VisitRows::content`] joins them.
fn joined_notes(v: &VisitRows) -> String {
    let notes: Vec<&str> = v
        .rows
        .iter()
        .map(|r| r.note.as_str())
        .filter(|n| !n.is_empty())
        .collect();
    notes.join("；")
}

/// Plan the import of the `sheets`' visits into the store of `ws`. Conflicts with a sheet's
/// visits go to `ps` against the sheet; problems of the store itself to `diags`. The store is
/// streamed once: only the sheets' visits, packed, and a small record per stored visit sharing
/// an id are held.
pub fn plan(ws: &Workspace, sheets: Sheets, replace: bool, ps: &mut Problems, diags: &mut Diagnostics) -> Result<Plan> {
    let mut plan = Plan::default();
    let Sheets { visits, origins } = sheets;
    let incoming = one_per_id(visits, &origins, &mut plan, ps);
    let mut stored: HashMap<usize, Stored> = HashMap::new();
    for f in month_files(ws, diags)? {
        let sorted = read_into(ws, &f, &incoming, &mut stored, diags)?;
        plan.files.push((f, sorted));
    }
    if diags.has_errors() {
        return Ok(plan);
    }
    let mut touched: BTreeSet<Period> = incoming.iter().map(Packed::month).collect();
    sort_incoming(incoming, &origins, &stored, replace, &mut plan, &mut touched, ps);
    for visits in plan.adding.values_mut() {
        visits.sort_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)));
    }
    plan.months = touched;
    Ok(plan)
}

impl Plan {
    /// Write `month`'s new content as a store file to `out`: its stored rows but those of
    /// replaced visits (moved to `replaced`), and the rows of the visits added in it, in store
    /// order. A stored file in store order is streamed past the added rows; one edited out of
    /// order is read whole and sorted, as before.
    pub fn write_month(
        &self,
        ws: &Workspace,
        month: Period,
        out: &mut dyn Write,
        replaced: &mut Vec<Finding>,
    ) -> Result<()> {
        let adding = self.adding.get(&month).map_or(&[][..], Vec::as_slice);
        let mut incoming = adding.iter().filter_map(Packed::unpack).flat_map(|v| v.rows).peekable();
        let mut w = RowWriter::new(out, month);
        w.header()?;
        let file = self.files.iter().find(|(f, _)| f.month == month);
        let mut failed: Option<Error> = None;
        match file {
            Some((f, true)) => {
                read_month(ws, f, &mut Diagnostics::new(), |_, row, _| {
                    let Ok(row) = row else { return };
                    if failed.is_some() {
                        return;
                    }
                    if self.removed.contains(&row.visit_id) {
                        replaced.push(row);
                        return;
                    }
                    while let Some(r) = incoming.next_if(|r| store_key(r) < store_key(&row)) {
                        if let Err(e) = w.row(&r) {
                            failed = Some(e);
                            return;
                        }
                    }
                    if let Err(e) = w.row(&row) {
                        failed = Some(e);
                    }
                })?;
            }
            Some((f, false)) => {
                let mut rows = Vec::new();
                read_month(ws, f, &mut Diagnostics::new(), |_, row, _| {
                    if let Ok(row) = row {
                        rows.push(row);
                    }
                })?;
                let (gone, mut kept): (Vec<Finding>, Vec<Finding>) =
                    rows.into_iter().partition(|r| self.removed.contains(&r.visit_id));
                replaced.extend(gone);
                kept.extend(incoming.by_ref());
                kept.sort_by(|a, b| store_key(a).cmp(&store_key(b)));
                for r in &kept {
                    w.row(r)?;
                }
            }
            None => {}
        }
        if let Some(e) = failed {
            return Err(e);
        }
        for r in incoming {
            w.row(&r)?;
        }
        w.finish()
    }
}

/// The order of the store's rows (DESIGN §4).
fn store_key(r: &Finding) -> (chrono::NaiveDate, &str, &str) {
    (r.date, &r.visit_id, &r.item)
}

/// Store rows written as [`write_findings`] writes them, one at a time.
struct RowWriter<'w> {
    csv: csv::Writer<&'w mut dyn Write>,
    month: Period,
}

impl<'w> RowWriter<'w> {
    fn new(out: &'w mut dyn Write, month: Period) -> RowWriter<'w> {
        RowWriter {
            csv: csv::WriterBuilder::new().buffer_capacity(1 << 16).from_writer(out),
            month,
        }
    }

    fn header(&mut self) -> Result<()> {
        let r = self.csv.write_record(STORE_HEADER);
        r.map_err(|e| self.error(e))
    }

    fn row(&mut self, row: &Finding) -> Result<()> {
        let r = write_finding(&mut self.csv, row);
        r.map_err(|e| self.error(e))
    }

    fn finish(mut self) -> Result<()> {
        let r = self.csv.flush();
        r.map_err(|e| self.error(e.into()))
    }

    fn error(&self, e: csv::Error) -> Error {
        Error::msg(t!("import.write_failed", file = month_path(&self.month), error = e))
    }
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

/// One visit per id within the import, sorted by id: a repeat with the same content is skipped
/// (and counted), one with different content is an error. The first read is kept.
fn one_per_id(mut visits: Vec<Packed>, origins: &[Place], plan: &mut Plan, ps: &mut Problems) -> Vec<Packed> {
    // Stable: of one id's visits, the first read comes first.
    visits.sort_by(|a, b| a.id.cmp(&b.id));
    visits.dedup_by(|v, first| {
        if v.id != first.id {
            return false;
        }
        let (a, b) = (first.unpack(), v.unpack());
        if a.as_ref().map(VisitRows::content) == b.as_ref().map(VisitRows::content) {
            plan.skipped += 1;
        } else {
            let at = origin(origins, first).words(ps.lang);
            let m = t!(
                "import.msg.same_id_differs",
                locale = ps.lang.code(),
                id = v.id,
                at = at,
                row = first.row
            )
            .into_owned();
            ps.file_error(&origin(origins, v), Some(v.row), m);
        }
        true
    });
    visits
}

/// Where a packed visit was read from.
fn origin(origins: &[Place], v: &Packed) -> Place {
    origins.get(v.origin as usize).cloned().unwrap_or(Place {
        file: String::new(),
        sheet: None,
    })
}

/// Sort the incoming visits (sorted by id; `stored` holds the stored visits sharing an id, by
/// index) against the stored ones: new (added), stored identically (skipped), stored
/// differently (replaced with `replace`, its month touched and its stored id in
/// `plan.removed`; else an error). The visits to write go to `plan.adding`.
fn sort_incoming(
    incoming: Vec<Packed>,
    origins: &[Place],
    stored: &HashMap<usize, Stored>,
    replace: bool,
    plan: &mut Plan,
    touched: &mut BTreeSet<Period>,
    ps: &mut Problems,
) {
    for (i, p) in incoming.into_iter().enumerate() {
        let Some(old) = stored.get(&i) else {
            plan.added += 1;
            plan.add(p);
            continue;
        };
        let Some(v) = p.unpack() else { continue };
        let place = origin(origins, &p);
        let at = (place.file.as_str(), place.sheet.as_deref(), p.row);
        if old.equals(&v, &joined_notes(&v)) {
            plan.skipped += 1;
        } else if !old.same_visit {
            // Another visit holds this id: --replace may not take it.
            let where_ = format!("{}:{}", month_path(&old.month), old.line);
            let first = old.other.as_deref().unwrap_or(&v.rows[0]);
            let (stored_words, sheet_words) = (visit_words(first, ps.lang), visit_words(&v.rows[0], ps.lang));
            let code = ps.lang.code();
            let m = t!(
                "import.msg.id_taken",
                locale = code,
                id = v.id,
                at = where_,
                stored = stored_words,
                sheet = sheet_words
            )
            .into_owned();
            let fix = t!("import.msg.id_taken_fix", locale = code).into_owned();
            ps.at_row(Severity::Error, at, m, fix);
        } else if replace {
            plan.replaced += 1;
            // The stored id: an id of an earlier version's store, if it was stored so.
            plan.removed.insert(old.id.clone().unwrap_or_else(|| v.id.clone()));
            touched.insert(old.month);
            plan.add(p);
        } else {
            let where_ = format!("{}:{}", month_path(&old.month), old.line);
            let code = ps.lang.code();
            let m = t!("import.msg.stored_differs", locale = code, id = v.id, at = where_).into_owned();
            let fix = t!("import.msg.stored_differs_fix", locale = code).into_owned();
            ps.at_row(Severity::Error, at, m, fix);
        }
    }
}

impl Plan {
    /// Take in a visit to write (added or replacing): its id, its rows, its month's list.
    fn add(&mut self, p: Packed) {
        self.rows += p.rows as usize;
        self.imported.insert(p.id.to_string());
        self.adding.entry(p.month()).or_default().push(p);
    }
}

/// The index among `incoming` (sorted by id) of the sheet visit a stored row belongs to, if
/// any: the one with the same id, or the one whose id is derived and for which an earlier
/// version derived the stored id (24 bits of hash, [`super::legacy_visit_id`]), being the same
/// visit. The derived id is worked out from the stored row's own fields, so no table of old
/// ids is held.
fn key_of(stored: &Finding, incoming: &[Packed]) -> Option<usize> {
    let find = |id: &str| incoming.binary_search_by(|p| (*p.id).cmp(id)).ok();
    let id = &stored.visit_id;
    if let Some(i) = find(id) {
        return Some(i);
    }
    let tail = id.len().checked_sub(7).and_then(|at| id.get(at..))?;
    let looks_legacy = tail.starts_with('-') && tail[1..].bytes().all(|b| b.is_ascii_hexdigit());
    if !looks_legacy {
        return None;
    }
    let f = stored;
    let (date, level, purpose, team, compound) = (f.date, f.level, f.purpose, &f.team, &f.compound_id);
    if super::legacy_visit_id(date, level, purpose, team, compound) != *id {
        return None;
    }
    let new = super::derive_visit_id(date, level, purpose, team, compound);
    let i = find(&new)?;
    let p = &incoming[i];
    let (team, compound) = p.head()?;
    let derived = super::derive_visit_id(p.date, p.level, p.purpose, team, compound) == new;
    let same = (p.date, p.level, p.purpose, team, compound)
        == (f.date, f.level, f.purpose, f.team.as_str(), f.compound_id.as_str());
    (derived && same).then_some(i)
}

/// Read one month file, streaming: compare each stored visit whose id is being imported with
/// the sheet's ([`Stored`]). Returns whether the file is in store order.
fn read_into(
    ws: &Workspace,
    f: &MonthFile,
    incoming: &[Packed],
    stored: &mut HashMap<usize, Stored>,
    diags: &mut Diagnostics,
) -> Result<bool> {
    let mut sorted = true;
    let mut last: Option<(NaiveDate, String, String)> = None;
    // The sheet visit last compared, unpacked: a stored visit's rows are together.
    let mut cache: Option<(usize, VisitRows, String)> = None;
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
            if sorted {
                if let Some((d, id, item)) = &mut last {
                    if (*d, id.as_str(), item.as_str()) > store_key(&finding) {
                        sorted = false;
                    }
                    *d = finding.date;
                    id.clone_from(&finding.visit_id);
                    item.clone_from(&finding.item);
                } else {
                    last = Some((finding.date, finding.visit_id.clone(), finding.item.clone()));
                }
            }
            let Some(i) = key_of(&finding, incoming) else {
                return;
            };
            if cache.as_ref().is_none_or(|(at, _, _)| *at != i) {
                let Some(v) = incoming[i].unpack() else { return };
                let notes = joined_notes(&v);
                cache = Some((i, v, notes));
            }
            let Some((_, v, notes)) = &cache else { return };
            let e = stored
                .entry(i)
                .or_insert_with(|| Stored::new(f.month, line, &v.id, &finding, v));
            if e.month != f.month {
                diags.error(
                    &f.rel,
                    Some(line),
                    format!(
                        "visit {} is also stored in {} (the store must be valid before importing: run `oldestate check`)",
                        finding.visit_id,
                        month_path(&e.month)
                    ),
                );
            }
            e.add(&finding, v, notes);
        }
    })?;
    Ok(sorted)
}

/// A sheet's visit as an import holds it until it is written: its visit fields once and its
/// rows' items, counts, photos and notes in one buffer, instead of a [`Finding`] of five
/// strings per row (a million-row sheet is a third of a million visits).
#[derive(Debug)]
pub struct Packed {
    id: Box<str>,
    date: NaiveDate,
    level: Level,
    purpose: Purpose,
    inspectors: u32,
    /// How many rows the visit has.
    rows: u32,
    /// The sheet it was read from: an index into [`Sheets::origins`].
    origin: u32,
    /// The sheet row of its first row (for messages).
    row: u64,
    /// The team and the compound, then each row's item, count, photos and note: strings as
    /// their length and bytes, numbers as LEB128.
    buf: Box<[u8]>,
}

/// The visits of every sheet of an import, packed ([`Packed`]), in the order read.
#[derive(Debug, Default)]
pub struct Sheets {
    visits: Vec<Packed>,
    /// Where the visits were read from: file and worksheet.
    origins: Vec<Place>,
}

impl Sheets {
    /// Take in a visit read from a sheet.
    pub fn push(&mut self, v: &SheetVisit) {
        let origin = match self.origins.last() {
            Some(p) if p.file == v.file && p.sheet == v.sheet => self.origins.len() - 1,
            _ => {
                self.origins.push(Place {
                    file: v.file.clone(),
                    sheet: v.sheet.clone(),
                });
                self.origins.len() - 1
            }
        };
        let f = &v.visit.rows[0];
        let mut buf = Vec::with_capacity(16 + 8 * v.visit.rows.len());
        put_str(&mut buf, &f.team);
        put_str(&mut buf, &f.compound_id);
        for r in &v.visit.rows {
            put_str(&mut buf, &r.item);
            put_u64(&mut buf, r.count);
            put_u64(&mut buf, r.photos);
            put_str(&mut buf, &r.note);
        }
        self.visits.push(Packed {
            id: v.visit.id.as_str().into(),
            date: f.date,
            level: f.level,
            purpose: f.purpose,
            inspectors: f.inspectors,
            rows: u32::try_from(v.visit.rows.len()).unwrap_or(u32::MAX),
            origin: u32::try_from(origin).unwrap_or(u32::MAX),
            row: v.row,
            buf: buf.into_boxed_slice(),
        });
    }

    /// How many visits were read.
    pub fn len(&self) -> usize {
        self.visits.len()
    }

    /// Whether no visit was read.
    pub fn is_empty(&self) -> bool {
        self.visits.is_empty()
    }

    /// Each visit's id, date, and where it was read (file, worksheet, first row).
    pub fn places(&self) -> impl Iterator<Item = (&str, NaiveDate, &Place, u64)> {
        let origins = &self.origins;
        self.visits.iter().filter_map(move |v| {
            let place = origins.get(v.origin as usize)?;
            Some((&*v.id, v.date, place, v.row))
        })
    }
}

impl Packed {
    /// The visit's rows as the store holds them; `None` only for a buffer this module did not
    /// write.
    fn unpack(&self) -> Option<VisitRows> {
        let mut at = &self.buf[..];
        let team = get_str(&mut at)?;
        let compound = get_str(&mut at)?;
        let mut rows = Vec::with_capacity(self.rows as usize);
        for _ in 0..self.rows {
            let item = get_str(&mut at)?;
            let (count, photos) = (get_u64(&mut at)?, get_u64(&mut at)?);
            let note = get_str(&mut at)?;
            rows.push(Finding {
                visit_id: self.id.to_string(),
                date: self.date,
                level: self.level,
                purpose: self.purpose,
                team: team.to_string(),
                inspectors: self.inspectors,
                compound_id: compound.to_string(),
                item: item.to_string(),
                count,
                photos,
                note: note.to_string(),
            });
        }
        (!rows.is_empty()).then(|| VisitRows {
            id: self.id.to_string(),
            rows,
        })
    }

    fn month(&self) -> Period {
        Period::containing(self.date, Span::Month)
    }

    /// The visit's team and compound.
    fn head(&self) -> Option<(&str, &str)> {
        let mut at = &self.buf[..];
        Some((get_str(&mut at)?, get_str(&mut at)?))
    }
}

pub(crate) fn put_u64(buf: &mut Vec<u8>, mut n: u64) {
    loop {
        let low = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            buf.push(low);
            return;
        }
        buf.push(low | 0x80);
    }
}

pub(crate) fn get_u64(at: &mut &[u8]) -> Option<u64> {
    let mut n = 0u64;
    for shift in (0..64).step_by(7) {
        let (&b, rest) = at.split_first()?;
        *at = rest;
        n |= u64::from(b & 0x7f).checked_shl(shift)?;
        if b & 0x80 == 0 {
            return Some(n);
        }
    }
    None
}

pub(crate) fn put_str(buf: &mut Vec<u8>, s: &str) {
    put_u64(buf, s.len() as u64);
    buf.extend_from_slice(s.as_bytes());
}

pub(crate) fn get_str<'b>(at: &mut &'b [u8]) -> Option<&'b str> {
    let n = usize::try_from(get_u64(at)?).ok()?;
    let bytes = at.get(..n)?;
    *at = &at[n..];
    std::str::from_utf8(bytes).ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn visit(id: &str, team: &str, items: &[(String, u64)], photos: u64, note: &str) -> SheetVisit {
        let date = NaiveDate::from_ymd_opt(2026, 7, 3).unwrap_or_default();
        let rows = items
            .iter()
            .enumerate()
            .map(|(i, (item, count))| Finding {
                visit_id: id.to_string(),
                date,
                level: Level::Street,
                purpose: Purpose::Recheck,
                team: team.to_string(),
                inspectors: 3,
                compound_id: "HP001".to_string(),
                item: item.clone(),
                count: *count,
                photos: if i == 0 { photos } else { 0 },
                note: if i == 0 { note.to_string() } else { String::new() },
            })
            .collect();
        SheetVisit {
            visit: VisitRows {
                id: id.to_string(),
                rows,
            },
            file: "a.csv".to_string(),
            sheet: Some("七月".to_string()),
            row: 7,
            rows: vec![7, 8],
        }
    }

    proptest! {
        /// A packed visit unpacks to the very rows it was packed from, whatever its strings and
        /// numbers (the import writes what it unpacks).
        #[test]
        fn a_packed_visit_unpacks_to_its_rows(
            id in "[A-Za-z0-9-]{1,40}",
            team in "\\PC{0,12}",
            items in prop::collection::vec(("[A-Z][0-9]{2}", 0u64..=u64::MAX), 1..6),
            photos in 0u64..=u64::MAX,
            note in "\\PC{0,30}",
        ) {
            let v = visit(&id, &team, &items, photos, &note);
            let mut sheets = Sheets::default();
            sheets.push(&v);
            let packed = &sheets.visits[0];
            prop_assert_eq!(packed.unpack(), Some(v.visit.clone()));
            prop_assert_eq!(packed.head(), Some((team.as_str(), "HP001")));
            prop_assert_eq!(sheets.places().next().map(|(id, _, p, row)| (id.to_string(), p.sheet.clone(), row)),
                Some((id.clone(), Some("七月".to_string()), 7)));
        }
    }

    #[test]
    fn a_truncated_buffer_unpacks_to_nothing_rather_than_panicking() {
        let v = visit("V1", "甲组", &[("A01".to_string(), 300)], 2, "东侧");
        let mut sheets = Sheets::default();
        sheets.push(&v);
        let p = &mut sheets.visits[0];
        let cut = p.buf.len() - 1;
        p.buf = p.buf[..cut].to_vec().into_boxed_slice();
        assert_eq!(p.unpack(), None);
        let mut at = &[0xffu8; 11][..];
        assert_eq!(get_u64(&mut at), None, "more than 64 bits");
    }
}
