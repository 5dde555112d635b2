//! Merging imported visits into the store: identical visits are skipped, different ones with
//! the same id are errors unless replacing, and each touched month is rewritten.
//!
//! Neither the store nor the touched months are held in memory (DESIGN §12: a million-row sheet
//! into a national store): planning streams every month file once, comparing each stored visit
//! whose id is being imported with the sheet's as its rows go by ([`Stored`]); writing streams
//! each touched month file again, past the sorted visits to add ([`Plan::write_month`]). What
//! is held is the sheets' visits themselves, packed ([`Packed`]): a visit's fields once and its
//! id, team, compound and rows' items in blocks shared by all ([`Arena`]), a small part of
//! their size as [`Finding`]s.

use std::collections::{BTreeMap, BTreeSet};
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
    /// The bytes of the visits to write.
    arena: Arena,
    /// The stored month files, and whether each is in store order (an unsorted one, edited by
    /// hand, is rewritten by reading it whole).
    files: Vec<(MonthFile, bool)>,
}

/// Where a stored visit whose id is being imported again is, and how it compares with the
/// sheet's visit, gathered as the store streams past: no stored row is held. Small and of
/// one size (re-importing a month's sheet meets a third of a million of them): what is rare
/// is boxed ([`StoredRare`]).
struct Stored {
    /// The month file it was first met in, and the line of its first row.
    month: Period,
    line: u64,
    /// The id it is stored under when not the sheet's, its first row when not the sheet
    /// visit's, and which items it has named when the sheet visit has more than 64 rows.
    rare: Option<Box<StoredRare>>,
    /// Whether its first row has the sheet visit's date, level, purpose, team and compound.
    same_visit: bool,
    /// Whether its content can still equal the sheet visit's.
    equal: bool,
    /// Which of the sheet visit's items its rows have named (in the sheet visit's order), a
    /// bit each (or in `rare`, past 64).
    seen: u64,
    /// Its photos so far.
    photos: u64,
    /// How much of the sheet visit's joined notes its notes have matched so far, and whether
    /// any has.
    notes: usize,
    any_note: bool,
}

/// What a [`Stored`] visit rarely has.
#[derive(Default)]
struct StoredRare {
    /// The id it is stored under, when not the sheet's (an earlier version's derived id).
    id: Option<String>,
    /// Its first row's visit fields, kept only when they are not the sheet visit's (for the
    /// message naming both).
    other: Option<Finding>,
    /// Which of the sheet visit's items its rows have named, when it has more than 64 rows.
    seen: Vec<bool>,
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
        let rare = StoredRare {
            id: (first.visit_id != key).then(|| first.visit_id.clone()),
            other: (!same_visit).then(|| first.clone()),
            seen: if visit.rows.len() > 64 {
                vec![false; visit.rows.len()]
            } else {
                Vec::new()
            },
        };
        let common = rare.id.is_none() && rare.other.is_none() && rare.seen.is_empty();
        Stored {
            month,
            line,
            rare: (!common).then(|| Box::new(rare)),
            same_visit,
            equal: head,
            seen: 0,
            photos: 0,
            notes: 0,
            any_note: false,
        }
    }

    /// The id it is stored under, when not the sheet's.
    fn id(&self) -> Option<&String> {
        self.rare.as_ref()?.id.as_ref()
    }

    /// Its first row, when not the sheet visit's.
    fn other(&self) -> Option<&Finding> {
        self.rare.as_ref()?.other.as_ref()
    }

    /// Whether it has named the sheet visit's item `i` (of `n`), marking it named.
    fn see(&mut self, i: usize, n: usize) -> bool {
        if n > 64 {
            let seen = self.rare.as_mut().and_then(|r| r.seen.get_mut(i));
            return seen.is_some_and(|s| std::mem::replace(s, true));
        }
        let bit = 1u64 << i;
        let was = self.seen & bit != 0;
        self.seen |= bit;
        was
    }

    /// Whether it has named the sheet visit's item `i` (of `n`).
    fn seen(&self, i: usize, n: usize) -> bool {
        if n > 64 {
            return self.rare.as_ref().and_then(|r| r.seen.get(i)).is_some_and(|s| *s);
        }
        self.seen & (1u64 << i) != 0
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
            match at {
                Some(i) if !self.see(i, visit.rows.len()) => {}
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
        let n = visit.rows.len();
        let items = (0..n).all(|i| visit.rows[i].item.is_empty() || self.seen(i, n));
        let photos: u64 = visit.rows.iter().map(|r| r.photos).sum();
        self.equal && items && self.photos == photos && self.notes == notes.len()
    }
}

/// The stored visits sharing an id with a sheet's, by the index of the sheet's visit: an
/// index per sheet visit into one list, made when the first is met.
#[derive(Default)]
struct StoredMap {
    at: Vec<u32>,
    list: Vec<Stored>,
}

impl StoredMap {
    fn get(&self, i: usize) -> Option<&Stored> {
        let &at = self.at.get(i)?;
        self.list.get(at as usize)
    }

    /// The stored visit of sheet visit `i` (of `n`), made by `make` if there is none yet.
    fn entry(&mut self, i: usize, n: usize, make: impl FnOnce() -> Stored) -> Option<&mut Stored> {
        if self.at.is_empty() {
            self.at = vec![u32::MAX; n];
        }
        let at = self.at.get_mut(i)?;
        if *at == u32::MAX {
            *at = u32::try_from(self.list.len()).ok()?;
            self.list.push(make());
        }
        self.list.get_mut(*at as usize)
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
    let Sheets { visits, arena, origins } = sheets;
    let incoming = one_per_id(visits, &origins, &arena, &mut plan, ps);
    let mut stored = StoredMap::default();
    for f in month_files(ws, diags)? {
        let sorted = read_into(ws, &f, (&incoming, &arena), &mut stored, diags)?;
        plan.files.push((f, sorted));
    }
    if diags.has_errors() {
        return Ok(plan);
    }
    let mut touched: BTreeSet<Period> = incoming.iter().map(Packed::month).collect();
    sort_incoming(
        (incoming, &arena),
        &origins,
        &stored,
        replace,
        &mut plan,
        &mut touched,
        ps,
    );
    plan.arena = arena;
    for visits in plan.adding.values_mut() {
        let arena = &plan.arena;
        visits.sort_by(|a, b| (a.date, a.id_bytes(arena)).cmp(&(b.date, b.id_bytes(arena))));
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
        let mut incoming = adding
            .iter()
            .filter_map(|p| p.unpack(&self.arena))
            .flat_map(|v| v.rows)
            .peekable();
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
fn one_per_id(
    mut visits: Vec<Packed>,
    origins: &[Place],
    arena: &Arena,
    plan: &mut Plan,
    ps: &mut Problems,
) -> Vec<Packed> {
    // Stable: of one id's visits, the first read comes first.
    visits.sort_by(|a, b| a.id_bytes(arena).cmp(b.id_bytes(arena)));
    visits.dedup_by(|v, first| {
        if v.id_bytes(arena) != first.id_bytes(arena) {
            return false;
        }
        let (a, b) = (first.unpack(arena), v.unpack(arena));
        if a.as_ref().map(VisitRows::content) == b.as_ref().map(VisitRows::content) {
            plan.skipped += 1;
        } else {
            let at = origin(origins, first).words(ps.lang);
            let m = t!(
                "import.msg.same_id_differs",
                locale = ps.lang.code(),
                id = v.id(arena),
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
    (incoming, arena): (Vec<Packed>, &Arena),
    origins: &[Place],
    stored: &StoredMap,
    replace: bool,
    plan: &mut Plan,
    touched: &mut BTreeSet<Period>,
    ps: &mut Problems,
) {
    for (i, p) in incoming.into_iter().enumerate() {
        let Some(old) = stored.get(i) else {
            plan.added += 1;
            plan.add(p, p.id(arena));
            continue;
        };
        let Some(v) = p.unpack(arena) else { continue };
        let place = origin(origins, &p);
        let at = (place.file.as_str(), place.sheet.as_deref(), p.row);
        if old.equals(&v, &joined_notes(&v)) {
            plan.skipped += 1;
        } else if !old.same_visit {
            // Another visit holds this id: --replace may not take it.
            let where_ = format!("{}:{}", month_path(&old.month), old.line);
            let first = old.other().unwrap_or(&v.rows[0]);
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
            plan.removed.insert(old.id().cloned().unwrap_or_else(|| v.id.clone()));
            touched.insert(old.month);
            plan.add(p, &v.id);
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
    fn add(&mut self, p: Packed, id: &str) {
        self.rows += p.rows as usize;
        self.imported.insert(id.to_string());
        self.adding.entry(p.month()).or_default().push(p);
    }
}

/// The index among `incoming` (sorted by id) of the sheet visit a stored row belongs to, if
/// any: the one with the same id, or the one whose id is derived and for which an earlier
/// version derived the stored id (24 bits of hash, [`super::legacy_visit_id`]), being the same
/// visit. The derived id is worked out from the stored row's own fields, so no table of old
/// ids is held.
fn key_of(
    stored: &Finding,
    incoming: &[Packed],
    arena: &Arena,
    last: &mut Option<(String, Option<usize>)>,
) -> Option<usize> {
    let find = |id: &str| incoming.binary_search_by(|p| p.id_bytes(arena).cmp(id.as_bytes())).ok();
    let id = &stored.visit_id;
    // A stored visit's rows are together: its id is looked up once.
    let found = match last {
        Some((last, found)) if last == id => *found,
        _ => {
            let found = find(id);
            *last = Some((id.clone(), found));
            found
        }
    };
    if let Some(i) = found {
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
    let (team, compound) = p.head(arena)?;
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
    (incoming, arena): (&[Packed], &Arena),
    stored: &mut StoredMap,
    diags: &mut Diagnostics,
) -> Result<bool> {
    let mut sorted = true;
    let mut last: Option<(NaiveDate, String, String)> = None;
    // The stored id last looked up, and what it found.
    let mut last_id = None;
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
            let Some(i) = key_of(&finding, incoming, arena, &mut last_id) else {
                return;
            };
            if cache.as_ref().is_none_or(|(at, _, _)| *at != i) {
                let Some(v) = incoming[i].unpack(arena) else { return };
                let notes = joined_notes(&v);
                cache = Some((i, v, notes));
            }
            let Some((_, v, notes)) = &cache else { return };
            let Some(e) = stored.entry(i, incoming.len(), || Stored::new(f.month, line, &v.id, &finding, v)) else {
                return;
            };
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

/// A sheet's visit as an import holds it until it is written: its visit fields, and where in
/// its [`Arena`] its id, team, compound and rows' items, counts, photos and notes are, instead
/// of a [`Finding`] of five strings per row (a million-row sheet is a third of a million
/// visits, and even a buffer of its own each cost half as much again).
#[derive(Debug, Clone, Copy)]
pub struct Packed {
    /// Where its bytes are in the arena ([`Arena::bytes`]).
    at: u64,
    /// The sheet row of its first row (for messages).
    row: u64,
    date: NaiveDate,
    inspectors: u32,
    /// How many rows the visit has.
    rows: u32,
    /// The sheet it was read from: an index into [`Sheets::origins`].
    origin: u32,
    level: Level,
    purpose: Purpose,
}

/// The bytes of packed visits, one after another in blocks of a mebibyte (none grows by
/// doubling, as one buffer of them all would): each visit's id, team and compound, then each
/// row's item, count, photos and note, strings as their length and bytes, numbers as LEB128.
#[derive(Debug, Default)]
pub(crate) struct Arena {
    blocks: Vec<Vec<u8>>,
}

/// The size of an [`Arena`]'s blocks (a visit larger than this has a block of its own).
const ARENA_BLOCK: usize = 1 << 20;

impl Arena {
    /// Keep `bytes`; where they are.
    pub(crate) fn put(&mut self, bytes: &[u8]) -> u64 {
        let fits = self
            .blocks
            .last()
            .is_some_and(|b| b.capacity() - b.len() >= bytes.len() && b.len() <= u32::MAX as usize);
        if !fits {
            self.blocks.push(Vec::with_capacity(ARENA_BLOCK.max(bytes.len())));
        }
        let n = self.blocks.len() - 1;
        let Some(b) = self.blocks.last_mut() else { return 0 };
        let at = ((n as u64) << 32) | b.len() as u64;
        b.extend_from_slice(bytes);
        at
    }

    /// The blocks, in order: what was put, one after another.
    pub(crate) fn blocks(&self) -> impl Iterator<Item = &[u8]> + '_ {
        self.blocks.iter().map(Vec::as_slice)
    }

    /// The bytes from `at` on (to the end of its block).
    fn bytes(&self, at: u64) -> &[u8] {
        let (n, off) = ((at >> 32) as usize, (at & u64::from(u32::MAX)) as usize);
        self.blocks.get(n).and_then(|b| b.get(off..)).unwrap_or_default()
    }
}

/// The visits of every sheet of an import, packed ([`Packed`]), in the order read.
#[derive(Debug, Default)]
pub struct Sheets {
    visits: Vec<Packed>,
    arena: Arena,
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
        let mut buf = Vec::with_capacity(64 + 8 * v.visit.rows.len());
        put_str(&mut buf, &v.visit.id);
        put_str(&mut buf, &f.team);
        put_str(&mut buf, &f.compound_id);
        for r in &v.visit.rows {
            put_str(&mut buf, &r.item);
            put_u64(&mut buf, r.count);
            put_u64(&mut buf, r.photos);
            put_str(&mut buf, &r.note);
        }
        let at = self.arena.put(&buf);
        self.visits.push(Packed {
            at,
            row: v.row,
            date: f.date,
            inspectors: f.inspectors,
            rows: u32::try_from(v.visit.rows.len()).unwrap_or(u32::MAX),
            origin: u32::try_from(origin).unwrap_or(u32::MAX),
            level: f.level,
            purpose: f.purpose,
        });
    }

    /// Room for `n` more visits (a sheet's, gathered), so that the list of them does not
    /// grow by doubling.
    pub fn reserve(&mut self, n: usize) {
        self.visits.reserve_exact(n);
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
        let arena = &self.arena;
        self.visits.iter().filter_map(move |v| {
            let place = origins.get(v.origin as usize)?;
            Some((v.id(arena), v.date, place, v.row))
        })
    }
}

impl Packed {
    /// The visit's id as bytes, to compare (as `str`s compare) without checking them again.
    fn id_bytes<'r>(&self, arena: &'r Arena) -> &'r [u8] {
        let mut at = arena.bytes(self.at);
        let n = get_u64(&mut at).and_then(|n| usize::try_from(n).ok()).unwrap_or(0);
        at.get(..n).unwrap_or_default()
    }

    /// The visit's id ("" only for bytes this module did not write).
    fn id<'r>(&self, arena: &'r Arena) -> &'r str {
        get_str(&mut arena.bytes(self.at)).unwrap_or_default()
    }

    /// The visit's rows as the store holds them; `None` only for bytes this module did not
    /// write.
    fn unpack(&self, arena: &Arena) -> Option<VisitRows> {
        let mut at = arena.bytes(self.at);
        let id = get_str(&mut at)?;
        let team = get_str(&mut at)?;
        let compound = get_str(&mut at)?;
        let mut rows = Vec::with_capacity(self.rows as usize);
        for _ in 0..self.rows {
            let item = get_str(&mut at)?;
            let (count, photos) = (get_u64(&mut at)?, get_u64(&mut at)?);
            let note = get_str(&mut at)?;
            rows.push(Finding {
                visit_id: id.to_string(),
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
            id: id.to_string(),
            rows,
        })
    }

    fn month(&self) -> Period {
        Period::containing(self.date, Span::Month)
    }

    /// The visit's team and compound.
    fn head<'r>(&self, arena: &'r Arena) -> Option<(&'r str, &'r str)> {
        let mut at = arena.bytes(self.at);
        get_str(&mut at)?;
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
            prop_assert_eq!(packed.unpack(&sheets.arena), Some(v.visit.clone()));
            prop_assert_eq!(packed.head(&sheets.arena), Some((team.as_str(), "HP001")));
            prop_assert_eq!(packed.id(&sheets.arena), id.as_str());
            prop_assert_eq!(sheets.places().next().map(|(id, _, p, row)| (id.to_string(), p.sheet.clone(), row)),
                Some((id.clone(), Some("七月".to_string()), 7)));
        }
    }

    #[test]
    fn visits_past_an_arena_block_unpack_whole() {
        let big = "东".repeat(100_000);
        let huge = "西".repeat(500_000);
        let visits: Vec<SheetVisit> = (0..12u64)
            .map(|i| {
                let note = match i % 4 {
                    0 => big.as_str(),
                    1 => huge.as_str(),
                    _ => "短",
                };
                visit(&format!("V{i}"), "甲组", &[("A01".to_string(), i)], i, note)
            })
            .collect();
        let mut sheets = Sheets::default();
        for v in &visits {
            sheets.push(v);
        }
        assert!(sheets.arena.blocks.len() > 3);
        assert!(sheets.arena.blocks.iter().any(|b| b.len() > ARENA_BLOCK));
        for (p, v) in sheets.visits.iter().zip(&visits) {
            assert_eq!(p.unpack(&sheets.arena), Some(v.visit.clone()));
        }
    }

    #[test]
    fn a_truncated_buffer_unpacks_to_nothing_rather_than_panicking() {
        let v = visit("V1", "甲组", &[("A01".to_string(), 300)], 2, "东侧");
        let mut sheets = Sheets::default();
        sheets.push(&v);
        let p = sheets.visits[0];
        let block = &mut sheets.arena.blocks[0];
        block.truncate(block.len() - 1);
        assert_eq!(p.unpack(&sheets.arena), None);
        let mut at = &[0xffu8; 11][..];
        assert_eq!(get_u64(&mut at), None, "more than 64 bits");
    }
}
