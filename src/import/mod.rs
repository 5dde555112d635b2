//! `inspect import`'s core: turning sheets into canonical visits (DESIGN §10). Reading files
//! is in [`sheet`]; recognising headers in [`layout`]; values in [`values`]; merging into the
//! store in [`merge`]. Every problem of every sheet is collected before anything is written.

pub mod book;
pub mod form;
pub mod layout;
pub mod merge;
pub mod problems;
pub mod sheet;
pub mod values;

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use chrono::NaiveDate;
use rust_i18n::t;

use crate::error::Severity;
use crate::model::records::{Finding, Lang};
use crate::model::registry::Registry;
use crate::model::{Level, Purpose};
use crate::suggest::nearest;
use crate::workspace::{sha256_hex, StandardsSet};

use layout::{detect, Field, Layout};
use problems::{Place, Problem, Problems};
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
    /// The level the form's title states, for a sheet without a level column or `--level`.
    pub title_level: Option<Level>,
    /// The year the form's title states, for dates written without one (7月5日).
    pub year: Option<i32>,
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
    /// The worksheet it was read from, in a workbook.
    pub sheet: Option<String>,
    /// The sheet row of its first row (for messages).
    pub row: u64,
    /// Every sheet row it was read from, ascending (the source record, `data/sources.csv`).
    pub rows: Vec<u64>,
}

/// Lookups shared by all sheets of one import.
pub struct Resolver<'a> {
    reg: &'a Registry,
    standards: &'a StandardsSet,
    /// Every compound id, name and alias with the compound it names, sorted by name (a name
    /// of several compounds is ambiguous; they follow in registry order). A sorted vector, not
    /// a map: a national registry has hundreds of thousands of names.
    compounds: Vec<(&'a str, &'a str)>,
    /// Item code or name (any standards file) → code.
    items: BTreeMap<String, String>,
}

impl<'a> Resolver<'a> {
    /// Index the compounds of `reg` by id, name and alias, and the items of every standards
    /// file by code and name, once for all the sheets of an import.
    pub fn new(reg: &'a Registry, standards: &'a StandardsSet) -> Resolver<'a> {
        let mut compounds: Vec<(&str, &str)> = Vec::new();
        for c in &reg.compounds {
            let names = [&*c.id, &*c.name]
                .into_iter()
                .chain(c.aliases.iter().map(String::as_str));
            compounds.extend(names.map(|key| (key, &*c.id)));
        }
        // Stable: a name's compounds stay in registry order; each once.
        compounds.sort_by(|a, b| a.0.cmp(b.0));
        compounds.dedup_by(|a, b| a.0 == b.0 && a.1 == b.1);
        compounds.shrink_to_fit();
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

    /// The compound a cell names, or what is wrong and the change to make.
    fn compound(&self, s: &str, lang: Lang) -> Result<&'a str, (String, String)> {
        let code = lang.code();
        let key = s.trim();
        let from = self.compounds.partition_point(|(k, _)| *k < key);
        let named = &self.compounds[from..];
        let named = &named[..named.partition_point(|(k, _)| *k == key)];
        match named {
            [(_, id)] => Ok(id),
            [_, ..] => Err((
                t!(
                    "import.msg.compound_ambiguous",
                    locale = code,
                    compound = s,
                    ids = named
                        .iter()
                        .map(|(_, id)| *id)
                        .collect::<Vec<_>>()
                        .join(t!("import.msg.rows_sep", locale = code).as_ref())
                )
                .into_owned(),
                t!("import.msg.compound_ambiguous_fix", locale = code).into_owned(),
            )),
            [] if key.is_empty() => Err((
                t!("import.msg.compound_empty", locale = code).into_owned(),
                t!("import.msg.compound_empty_fix", locale = code).into_owned(),
            )),
            [] => Err((
                t!("import.msg.compound_unknown", locale = code, compound = shown(s)).into_owned(),
                suggestion(lang, &nearest(s.trim(), self.names())),
            )),
        }
    }

    /// Every compound id, name and alias, each once, in order.
    fn names(&self) -> impl Iterator<Item = &'a str> + '_ {
        let mut last = None;
        self.compounds.iter().filter_map(move |&(k, _)| {
            let new = last != Some(k);
            last = Some(k);
            new.then_some(k)
        })
    }

    /// An item code or name, checked against the standards in force on `date`.
    /// The code is the standards' own text, not a copy: a sheet names an item on every row.
    fn item(&self, s: &str, date: NaiveDate, lang: Lang) -> Result<&'a str, String> {
        let standards: &'a StandardsSet = self.standards;
        let st = standards
            .in_force_on(first_of_month(date))
            .ok_or_else(|| t!("import.msg.no_standards", locale = lang.code(), date = date).into_owned())?;
        let code = self.items.get(s.trim()).map_or(s.trim(), String::as_str);
        if let Some(item) = st.standards.item(code) {
            return Ok(&item.code);
        }
        let known = st
            .standards
            .items
            .iter()
            .flat_map(|i| [i.code.as_str(), i.name.as_str()]);
        let hint = suggestion(lang, &nearest(s.trim(), known));
        let code = lang.code();
        let mut m = t!(
            "import.msg.item_unknown",
            locale = code,
            file = st.file,
            item = shown(s)
        )
        .into_owned();
        if !hint.is_empty() {
            m += &t!("import.msg.fix_sep", locale = code);
            m += &hint;
        }
        Err(m)
    }
}

impl Resolver<'_> {
    /// Whether a header cell names a column import knows (see [`layout::known_column`]).
    pub fn known_column(&self, h: &str) -> bool {
        layout::known_column(h, &self.items)
    }
}

/// The nearest known names as the change to make, in `lang`; empty for none.
fn suggestion(lang: Lang, names: &[&str]) -> String {
    if names.is_empty() {
        return String::new();
    }
    let code = lang.code();
    let names = names.join(t!("import.msg.suggestion_or", locale = code).as_ref());
    t!("import.msg.suggestion", locale = code, names = names).into_owned()
}

fn first_of_month(d: NaiveDate) -> NaiveDate {
    d.with_day0(0).unwrap_or(d)
}

use chrono::Datelike;

/// A visit's own fields. A sheet has a third of a million visits and few teams: a team's name
/// is held once ([`Teams`]) and named by its index, and the compound id is the registry's.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Head<'a> {
    date: NaiveDate,
    level: Level,
    purpose: Purpose,
    /// The team's index in the sheet's [`Teams`].
    team: u32,
    inspectors: u32,
    compound_id: &'a str,
}

/// The team names of a sheet, each held once and known by its index.
#[derive(Default)]
struct Teams {
    names: Vec<Rc<str>>,
    index: HashMap<Rc<str>, u32>,
}

impl Teams {
    /// The index of `team`, taken in if new.
    fn of(&mut self, team: &str) -> u32 {
        if let Some(&i) = self.index.get(team) {
            return i;
        }
        let i = u32::try_from(self.names.len()).unwrap_or(u32::MAX);
        let t: Rc<str> = team.into();
        self.names.push(t.clone());
        self.index.insert(t, i);
        i
    }

    /// The name of team `i`.
    fn name(&self, i: u32) -> &str {
        self.names.get(i as usize).map_or("", |t| t)
    }
}

/// Derive a visit id from the visit's own fields, so re-importing a sheet derives the same id:
/// level letter, date, compound, and 64 bits (16 hex digits) of the SHA-256 of (date, level,
/// purpose, team, compound). Earlier versions kept 24 bits ([`legacy_visit_id`]), and two
/// teams' visits to one compound on one day could share an id.
pub fn derive_visit_id(date: NaiveDate, level: Level, purpose: Purpose, team: &str, compound_id: &str) -> String {
    visit_id_of(date, level, purpose, team, compound_id, 16)
}

/// The id earlier versions derived (6 hex digits of hash): stores holding such ids still
/// match their sheets on import.
pub fn legacy_visit_id(date: NaiveDate, level: Level, purpose: Purpose, team: &str, compound_id: &str) -> String {
    visit_id_of(date, level, purpose, team, compound_id, 6)
}

fn visit_id_of(date: NaiveDate, level: Level, purpose: Purpose, team: &str, compound_id: &str, hex: usize) -> String {
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
        &sha256_hex(key.as_bytes())[..hex]
    )
}

/// Whether a visit id is safe everywhere it travels (store, notice file names, URLs).
fn valid_visit_id(s: &str) -> bool {
    !s.is_empty()
        && !s.starts_with('.')
        && s.chars().all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !s.contains("..")
}

/// A visit being gathered: its head, its id (in [`Gathered::ids`]), the sheet row where it
/// starts, its photos, and where the rest of what its rows said is (in [`Gathered::data`]).
/// Fixed in size: a million-row sheet has a third of a million visits, and a vector or two
/// of their own each (rows, findings, notes) cost several times what they held.
struct Slot<'a> {
    head: Head<'a>,
    id: (usize, u32),
    row: u64,
    photos: u64,
    /// The first and last of its chunks in [`Gathered::data`].
    chunks: (usize, usize),
}

/// A chunk's header in [`Gathered::data`]: where the visit's next chunk is (8 bytes, [`NONE`]
/// for none) and how many bytes of entries follow (4 bytes).
const CHUNK_HEAD: usize = 12;
const NONE: u64 = u64::MAX;
/// The entries of a chunk: a sheet row of the visit, a finding, a note.
const ROW: u8 = 0;
const FINDING: u8 = 1;
const NOTE: u8 = 2;

/// What one entry of a visit's chunks says.
enum Entry<'d> {
    /// A sheet row of the visit.
    Row(u64),
    /// A finding: its item (an index into [`Gathered::items`]), its count and its sheet row.
    Finding(u32, u64, u64),
    /// A row's note.
    Note(&'d str),
}

/// The visits of one sheet as its rows are read, kept in the order of their first rows: a
/// fixed [`Slot`] each, their ids one after another in one string, and what their rows said
/// as entries in one buffer of chunks. A visit's rows are nearly always adjacent, so its
/// entries are nearly always one chunk; a row of a visit met earlier starts a chunk of its
/// own, linked from its last. The visits are held in blocks of [`BLOCK`], each with its ids
/// and chunks, so that handing them out frees them as it goes.
#[derive(Default)]
struct Gathered<'a> {
    blocks: Vec<Block<'a>>,
    /// How many visits there are.
    len: usize,
    /// The hash of a visit id → its index; an id whose hash another id has is in `clashes`.
    index: HashMap<u64, u32>,
    clashes: HashMap<String, u32>,
    hasher: std::collections::hash_map::RandomState,
    /// The item codes findings name, each once.
    items: Vec<&'a str>,
    item_index: HashMap<&'a str, u32>,
}

/// How many visits a [`Block`] holds.
const BLOCK: usize = 1 << 13;

/// A block with no visits, for an index past the last.
static EMPTY_BLOCK: Block<'static> = Block {
    slots: Vec::new(),
    ids: String::new(),
    data: Vec::new(),
    open: None,
};

/// [`BLOCK`] visits of a [`Gathered`]: their slots, ids and chunks.
#[derive(Default)]
struct Block<'a> {
    slots: Vec<Slot<'a>>,
    ids: String,
    data: Vec<u8>,
    /// The visit (index in the block) whose chunk is last in `data` (it grows in place).
    open: Option<usize>,
}

impl<'a> Block<'a> {
    fn id(&self, slot: &Slot<'a>) -> &str {
        let (at, len) = slot.id;
        self.ids.get(at..at + len as usize).unwrap_or("")
    }

    /// Append an entry to visit `v`'s chunks: in place when its chunk is the last in `data`,
    /// else in a new chunk linked from its last.
    fn append(&mut self, v: usize, entry: &[u8]) {
        if self.open != Some(v) {
            let at = self.data.len();
            self.data.extend_from_slice(&NONE.to_le_bytes());
            self.data.extend_from_slice(&0u32.to_le_bytes());
            let Some(slot) = self.slots.get_mut(v) else { return };
            if slot.chunks.0 == usize::MAX {
                slot.chunks.0 = at;
            } else if let Some(next) = self.data.get_mut(slot.chunks.1..slot.chunks.1 + 8) {
                next.copy_from_slice(&(at as u64).to_le_bytes());
            }
            slot.chunks.1 = at;
            self.open = Some(v);
        }
        let Some(last) = self.slots.get(v).map(|s| s.chunks.1) else {
            return;
        };
        self.data.extend_from_slice(entry);
        let len = self.data.len() - last - CHUNK_HEAD;
        if let Some(l) = self.data.get_mut(last + 8..last + CHUNK_HEAD) {
            l.copy_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_le_bytes());
        }
    }

    /// Visit `v`'s entries, in the order appended.
    fn entries(&self, v: usize) -> impl Iterator<Item = Entry<'_>> + '_ {
        let mut chunk = self.slots.get(v).map_or(NONE, |s| s.chunks.0 as u64);
        let mut at: &[u8] = &[];
        std::iter::from_fn(move || loop {
            if let Some((&tag, rest)) = at.split_first() {
                at = rest;
                let entry = match tag {
                    ROW => Entry::Row(merge::get_u64(&mut at)?),
                    FINDING => {
                        let item = u32::try_from(merge::get_u64(&mut at)?).ok()?;
                        Entry::Finding(item, merge::get_u64(&mut at)?, merge::get_u64(&mut at)?)
                    }
                    NOTE => Entry::Note(merge::get_str(&mut at)?),
                    _ => return None,
                };
                return Some(entry);
            }
            if chunk == NONE {
                return None;
            }
            let c = usize::try_from(chunk).ok()?;
            let head = self.data.get(c..c + CHUNK_HEAD)?;
            chunk = u64::from_le_bytes(head[..8].try_into().ok()?);
            let len = u32::from_le_bytes(head[8..].try_into().ok()?) as usize;
            at = self.data.get(c + CHUNK_HEAD..c + CHUNK_HEAD + len)?;
        })
    }
}

impl<'a> Gathered<'a> {
    /// Visit `v`'s block and its index there.
    fn at(&self, v: usize) -> Option<(&Block<'a>, usize)> {
        Some((self.blocks.get(v / BLOCK)?, v % BLOCK))
    }

    fn slot(&self, v: usize) -> Option<&Slot<'a>> {
        let (b, i) = self.at(v)?;
        b.slots.get(i)
    }

    fn id(&self, v: usize) -> &str {
        self.at(v).and_then(|(b, i)| Some(b.id(b.slots.get(i)?))).unwrap_or("")
    }

    fn append(&mut self, v: usize, entry: &[u8]) {
        if let Some(b) = self.blocks.get_mut(v / BLOCK) {
            b.append(v % BLOCK, entry);
        }
    }

    fn entries(&self, v: usize) -> impl Iterator<Item = Entry<'_>> + '_ {
        let (b, i) = match self.at(v) {
            Some(at) => at,
            None => (&EMPTY_BLOCK, 0),
        };
        b.entries(i)
    }

    /// The index of visit `key`, if it has one.
    fn find(&self, key: &str) -> Option<usize> {
        use std::hash::BuildHasher;
        let h = self.hasher.hash_one(key);
        let &i = self.index.get(&h)?;
        let i = i as usize;
        if self.id(i) == key {
            return Some(i);
        }
        self.clashes.get(key).map(|&i| i as usize)
    }

    /// A new visit `key`, begun by its first row `row`.
    fn begin(&mut self, key: &str, head: Head<'a>, row: u64) -> usize {
        use std::hash::BuildHasher;
        let v = self.len;
        let n = u32::try_from(v).unwrap_or(u32::MAX);
        let h = self.hasher.hash_one(key);
        match self.index.entry(h) {
            std::collections::hash_map::Entry::Vacant(e) => {
                e.insert(n);
            }
            std::collections::hash_map::Entry::Occupied(_) => {
                self.clashes.insert(key.to_string(), n);
            }
        }
        if v.is_multiple_of(BLOCK) {
            self.blocks.push(Block {
                slots: Vec::with_capacity(BLOCK),
                ..Block::default()
            });
        }
        let Some(b) = self.blocks.last_mut() else { return v };
        let id = (b.ids.len(), u32::try_from(key.len()).unwrap_or(u32::MAX));
        b.ids.push_str(key);
        b.slots.push(Slot {
            head,
            id,
            row,
            photos: 0,
            chunks: (usize::MAX, usize::MAX),
        });
        self.len += 1;
        v
    }

    /// The index of item `code`.
    fn item(&mut self, code: &'a str) -> u32 {
        if let Some(&i) = self.item_index.get(code) {
            return i;
        }
        let i = u32::try_from(self.items.len()).unwrap_or(u32::MAX);
        self.items.push(code);
        self.item_index.insert(code, i);
        i
    }

    /// Add a row read at sheet row `row` to visit `key`. A wide sheet has one row per visit, so
    /// there a second row for the same visit is an error.
    fn add(&mut self, place: &Place, key: &str, row: u64, read: RowRead<'a>, wide: bool, ps: &mut Problems) {
        let v = match self.find(key) {
            None => {
                let v = self.begin(key, read.head, row);
                self.add_row(v, place, key, row, read, true, ps);
                return;
            }
            Some(v) if wide => {
                let first = self.slot(v).map_or(0, |s| s.row);
                let m = t!(
                    "import.msg.wide_twice",
                    locale = ps.lang.code(),
                    visit = key,
                    row = first
                );
                ps.file_error(place, Some(row), m);
                return;
            }
            Some(v) => {
                let Some(slot) = self.slot(v) else { return };
                if slot.head != read.head {
                    let m = t!(
                        "import.msg.rows_disagree",
                        locale = ps.lang.code(),
                        visit = key,
                        row = slot.row
                    );
                    ps.file_error(place, Some(row), m);
                    return;
                }
                v
            }
        };
        self.add_row(v, place, key, row, read, false, ps);
    }

    /// Take in a row of visit `v` (`key`), sheet row `row`: no item may be listed twice (the
    /// `first` row's findings are taken as they are).
    #[allow(clippy::too_many_arguments)]
    fn add_row(
        &mut self,
        v: usize,
        place: &Place,
        key: &str,
        row: u64,
        read: RowRead<'a>,
        first: bool,
        ps: &mut Problems,
    ) {
        let mut entry = Vec::with_capacity(16);
        entry.push(ROW);
        merge::put_u64(&mut entry, row);
        self.append(v, &entry);
        for (code, n, r) in read.findings {
            let item = self.item(code);
            let twice = (!first)
                .then(|| {
                    self.entries(v).find_map(|e| match e {
                        Entry::Finding(i, _, at) if i == item => Some(at),
                        _ => None,
                    })
                })
                .flatten();
            if let Some(first) = twice {
                let m = t!(
                    "import.msg.item_twice",
                    locale = ps.lang.code(),
                    visit = key,
                    item = code,
                    first = first,
                    row = r
                );
                ps.file_error(place, Some(r), m);
            } else {
                entry.clear();
                entry.push(FINDING);
                merge::put_u64(&mut entry, u64::from(item));
                merge::put_u64(&mut entry, n);
                merge::put_u64(&mut entry, r);
                self.append(v, &entry);
            }
        }
        if let Some(slot) = self.blocks.get_mut(v / BLOCK).and_then(|b| b.slots.get_mut(v % BLOCK)) {
            slot.photos += read.photos;
        }
        if let Some(note) = read.note {
            entry.clear();
            entry.push(NOTE);
            merge::put_str(&mut entry, &note);
            self.append(v, &entry);
        }
    }

    /// Report each visit whose rows add up to more photos than a visit may record.
    fn check_photos(&self, place: &Place, ps: &mut Problems) {
        for b in &self.blocks {
            for s in b.slots.iter().filter(|s| s.photos > crate::model::records::MAX_PER_ROW) {
                let m = t!(
                    "import.msg.too_many_photos",
                    locale = ps.lang.code(),
                    visit = b.id(s),
                    n = s.photos
                );
                ps.file_error(place, Some(s.row), m);
            }
        }
    }

    /// Visit `v` as the store holds it: one row per item with points, sorted by item (a visit
    /// with none has one row with no item); photos and notes on the first row.
    fn visit(&self, v: usize, teams: &Teams, place: &Place) -> Option<SheetVisit> {
        let slot = self.slot(v)?;
        let id = self.id(v).to_string();
        let mut findings: Vec<(&str, u64)> = Vec::new();
        let mut notes: Vec<&str> = Vec::new();
        let mut sheet_rows = Vec::new();
        for e in self.entries(v) {
            match e {
                Entry::Row(r) => sheet_rows.push(r),
                Entry::Finding(item, n, _) if n > 0 => findings.push((self.items.get(item as usize)?, n)),
                Entry::Finding(..) => {}
                Entry::Note(note) => notes.push(note),
            }
        }
        findings.sort();
        if findings.is_empty() {
            findings.push(("", 0));
        }
        let h = &slot.head;
        let note = notes.join("；");
        let rows = findings
            .into_iter()
            .enumerate()
            .map(|(i, (item, count))| Finding {
                visit_id: id.clone(),
                date: h.date,
                level: h.level,
                purpose: h.purpose,
                team: teams.name(h.team).to_string(),
                inspectors: h.inspectors,
                compound_id: h.compound_id.to_string(),
                item: item.to_string(),
                count,
                photos: if i == 0 { slot.photos } else { 0 },
                note: if i == 0 { note.clone() } else { String::new() },
            })
            .collect();
        sheet_rows.sort_unstable();
        Some(SheetVisit {
            visit: VisitRows { id, rows },
            file: place.file.clone(),
            sheet: place.sheet.clone(),
            row: slot.row,
            rows: sheet_rows,
        })
    }
}

/// The ids of a sheet's visits: the one a row gives, else one derived from its head. The rows
/// of a visit are usually adjacent, so the last derived id is kept and reused.
#[derive(Default)]
struct VisitIds<'a> {
    last: Option<(Head<'a>, String)>,
}

impl<'a> VisitIds<'a> {
    /// The id of the visit a row with `given` id and `head` belongs to.
    fn of(&mut self, given: Option<String>, head: &Head<'a>, teams: &Teams) -> String {
        if let Some(id) = given {
            return id;
        }
        match &self.last {
            Some((h, id)) if h == head => id.clone(),
            _ => {
                let team = teams.name(head.team);
                let id = derive_visit_id(head.date, head.level, head.purpose, team, head.compound_id);
                self.last = Some((*head, id.clone()));
                id
            }
        }
    }
}

/// Read the visits of one sheet (a form's header and data rows). Problems go to `ps`, placed
/// at `place` and the sheet's rows. `progress` is told how many rows have been read, now and
/// then.
pub fn visits_from_sheet(
    resolver: &Resolver<'_>,
    place: &Place,
    sheet: &Sheet,
    defaults: Defaults,
    ps: &mut Problems,
    progress: &mut dyn FnMut(usize),
) -> Vec<SheetVisit> {
    let mut visits = Vec::new();
    let Some((header, layout)) = sheet_layout(resolver, place, sheet.rows.first(), sheet.rows.len(), ps) else {
        return visits;
    };
    let mut g = Gatherer::new(resolver, place, &layout, defaults);
    for row in sheet.rows.iter().skip(1) {
        g.row(header, row, ps, progress);
    }
    g.hand_out(ps, &mut |_| {}, &mut |v| visits.push(v));
    visits
}

/// [`visits_from_sheet`] for an import: the sheet is taken (and freed once read), and each
/// visit is handed to `each` as it is made instead of all of them returned together (an
/// import packs them as they come, [`merge::Sheets`]); `expect` is told first how many there
/// are.
#[allow(clippy::too_many_arguments)]
pub fn visits_from_sheet_each(
    resolver: &Resolver<'_>,
    place: &Place,
    sheet: Sheet,
    defaults: Defaults,
    ps: &mut Problems,
    progress: &mut dyn FnMut(usize),
    expect: &mut dyn FnMut(usize),
    each: &mut dyn FnMut(SheetVisit),
) {
    let Some((header, layout)) = sheet_layout(resolver, place, sheet.rows.first(), sheet.rows.len(), ps) else {
        return;
    };
    let mut g = Gatherer::new(resolver, place, &layout, defaults);
    for row in sheet.rows.iter().skip(1) {
        g.row(header, row, ps, progress);
    }
    // The sheet's rows are read: its text goes before the visits are made from what was
    // gathered (and packed, by `each`), so the two are not held together.
    drop(sheet);
    g.hand_out(ps, expect, each);
}

/// Hands each row of a sheet in turn to the function it is given ([`visits_from_rows`]).
pub type ReadRows<'f, E> = dyn FnMut(&mut dyn FnMut(SheetRow<'_>)) -> Result<(), E> + 'f;

/// [`visits_from_sheet_each`] for a sheet whose rows are not held but read one at a time
/// (a text file read again, [`sheet::TextPlan`]): `header` is its header row, `rows` how many
/// data rows it has, and `read` hands each data row in turn to the function it is given. When
/// `read` fails (the file changed since it was first read), no visit is handed out, no problem
/// of its rows is kept, and its error is returned.
#[allow(clippy::too_many_arguments)]
pub fn visits_from_rows<E>(
    resolver: &Resolver<'_>,
    place: &Place,
    header: SheetRow<'_>,
    rows: usize,
    defaults: Defaults,
    ps: &mut Problems,
    progress: &mut dyn FnMut(usize),
    read: &mut ReadRows<'_, E>,
    expect: &mut dyn FnMut(usize),
    each: &mut dyn FnMut(SheetVisit),
) -> Result<(), E> {
    let Some((header, layout)) = sheet_layout(resolver, place, Some(header), rows + 1, ps) else {
        return Ok(());
    };
    let mut g = Gatherer::new(resolver, place, &layout, defaults);
    // A reading that fails was not of the file first read: its rows' problems name rows in
    // neither version, so they are not said.
    let mark = ps.mark();
    if let Err(e) = read(&mut |row| g.row(header, row, ps, progress)) {
        ps.rewind(mark);
        return Err(e);
    }
    g.hand_out(ps, expect, each);
    Ok(())
}

/// The visits of a sheet's data rows under its header and layout, gathered a row at a time;
/// each row's problems go to `ps`.
struct Gatherer<'r, 'a> {
    resolver: &'r Resolver<'a>,
    place: &'r Place,
    layout: &'r Layout,
    defaults: Defaults,
    gathered: Gathered<'a>,
    ids: VisitIds<'a>,
    teams: Teams,
    /// Data rows read so far.
    n: usize,
}

impl<'r, 'a> Gatherer<'r, 'a> {
    fn new(resolver: &'r Resolver<'a>, place: &'r Place, layout: &'r Layout, defaults: Defaults) -> Self {
        Gatherer {
            resolver,
            place,
            layout,
            defaults,
            gathered: Gathered::default(),
            ids: VisitIds::default(),
            teams: Teams::default(),
            n: 0,
        }
    }

    /// Take in data row `row`, under `header`.
    fn row(&mut self, header: SheetRow<'_>, row: SheetRow<'_>, ps: &mut Problems, progress: &mut dyn FnMut(usize)) {
        if self.n.is_multiple_of(10_000) {
            progress(self.n);
        }
        self.n += 1;
        let cells = RowCells {
            place: self.place,
            header,
            layout: self.layout,
            row,
        };
        let Some(mut read) = read_row(self.resolver, &cells, self.defaults, &mut self.teams, ps) else {
            return;
        };
        let key = self.ids.of(read.given_id.take(), &read.head, &self.teams);
        let wide = self.layout.is_wide();
        self.gathered.add(self.place, &key, row.row, read, wide, ps);
    }

    /// Hand each visit gathered to `each`, in the order of their first rows, after the
    /// problems of their rows taken together; then warn of visits dated in an odd month.
    fn hand_out(self, ps: &mut Problems, expect: &mut dyn FnMut(usize), each: &mut dyn FnMut(SheetVisit)) {
        let Gatherer {
            place,
            mut gathered,
            teams,
            ..
        } = self;
        gathered.check_photos(place, ps);
        // The visits are found by id no more.
        gathered.index = HashMap::new();
        gathered.clashes = HashMap::new();
        // The date and first row of each visit, for the warning about odd months.
        let dated = || {
            gathered
                .blocks
                .iter()
                .flat_map(|b| &b.slots)
                .map(|s| (s.head.date, s.row))
        };
        let odd = outside_month(dated(), dated());
        expect(gathered.len);
        for v in 0..gathered.len {
            match gathered.visit(v, &teams, place) {
                Some(visit) => each(visit),
                // Not reached: only this module packs these bytes. Were a visit's unreadable,
                // the import fails rather than leave it out.
                None => ps.file_error(
                    place,
                    None,
                    t!("import.msg.visit_lost", locale = ps.lang.code(), n = v + 1),
                ),
            }
            // A block handed out is freed: the visits packed take its room.
            if v % BLOCK == BLOCK - 1 {
                if let Some(b) = gathered.blocks.get_mut(v / BLOCK) {
                    *b = Block::default();
                }
            }
        }
        drop(gathered);
        warn_outside_month(place, odd, ps);
    }
}

/// The month most of a sheet's visits are in, and the visits (date, first row) dated outside it.
type OddMonth = Option<((i32, u32), Vec<(NaiveDate, u64)>)>;

/// The visits dated outside the month most of their sheet is in (a year typed wrong, 2025 in
/// a July 2026 sheet), with that month; none when no month has most. `visits` (given twice, to
/// be read twice) are each visit's date and first row.
fn outside_month(
    visits: impl Iterator<Item = (NaiveDate, u64)>,
    again: impl Iterator<Item = (NaiveDate, u64)>,
) -> OddMonth {
    let mut months: BTreeMap<(i32, u32), usize> = BTreeMap::new();
    let mut n = 0;
    for (d, _) in visits {
        *months.entry((d.year(), d.month())).or_default() += 1;
        n += 1;
    }
    let (&(y, m), &most) = months.iter().max_by_key(|(k, n)| (**n, std::cmp::Reverse(**k)))?;
    if most * 2 <= n {
        return None;
    }
    let odd = again.filter(|(d, _)| (d.year(), d.month()) != (y, m)).collect();
    Some(((y, m), odd))
}

/// A visit dated outside the month most of its sheet is in is a warning naming its row: it
/// would go into another month's file. `odd` is what [`outside_month`] found.
fn warn_outside_month(place: &Place, odd: OddMonth, ps: &mut Problems) {
    let Some(((y, m), visits)) = odd else {
        return;
    };
    for (d, row) in &visits {
        let code = ps.lang.code();
        let month = match ps.lang {
            Lang::Zh => format!("{y}年{m}月"),
            Lang::En => format!("{y}-{m:02}"),
        };
        let message = t!("import.msg.odd_month", locale = code, date = d, month = month).into_owned();
        let fix = t!("import.msg.odd_month_fix", locale = code).into_owned();
        ps.at_row(
            Severity::Warning,
            (&place.file, place.sheet.as_deref(), *row),
            message,
            fix,
        );
    }
}

/// A sheet's header row and the layout it declares; `None` (reported) when the sheet is empty,
/// its header is not understood, or it has no row below the header.
fn sheet_layout<'s>(
    resolver: &Resolver<'_>,
    place: &Place,
    header: Option<SheetRow<'s>>,
    rows: usize,
    ps: &mut Problems,
) -> Option<(SheetRow<'s>, Layout)> {
    let lang = ps.lang;
    let Some(header) = header else {
        ps.file_error(place, None, t!("import.msg.empty_sheet", locale = lang.code()));
        return None;
    };
    let header_cells: Vec<String> = header.cells.iter().map(String::from).collect();
    let layout = match detect(&header_cells, &resolver.items) {
        Ok(l) => l,
        Err(errors) => {
            for (col, m) in errors {
                let name = header.cells.get(col).unwrap_or("").to_string();
                ps.push(Problem {
                    severity: Severity::Error,
                    file: place.file.clone(),
                    sheet: place.sheet.clone(),
                    row: Some(header.row),
                    column: Some((col, name)),
                    value: None,
                    message: m,
                    fix: String::new(),
                    cause: None,
                });
            }
            return None;
        }
    };
    if rows < 2 {
        ps.file_error(
            place,
            Some(header.row),
            t!("import.msg.header_only", locale = lang.code()),
        );
        return None;
    }
    Some((header, layout))
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
struct RowRead<'a> {
    /// The visit id the sheet gives, if it has a visit id column; else it is derived from
    /// the head ([`derive_visit_id`]).
    given_id: Option<String>,
    /// The visit's own fields, which every row of the visit must repeat.
    head: Head<'a>,
    /// Its findings as (item code, count of problem points, sheet row): in a wide sheet, one
    /// per item column with points; in a long sheet, at most one.
    findings: Vec<(&'a str, u64, u64)>,
    /// Photos taken, as the row counts them (a visit's rows add up).
    photos: u64,
    /// The row's note, if any.
    note: Option<String>,
}

/// One data row of a sheet, with what is needed to find its cells and to say where a problem
/// is: the place, the header (for column names), and the layout (for column positions).
struct RowCells<'s> {
    place: &'s Place,
    header: SheetRow<'s>,
    layout: &'s Layout,
    row: SheetRow<'s>,
}

impl<'s> RowCells<'s> {
    /// The cell of field `f`, if the sheet has that column ("" past the end of a short row).
    fn get(&self, f: Field) -> Option<&'s str> {
        self.layout.col(f).map(|c| self.row.cells.get(c).unwrap_or(""))
    }

    /// Report a problem with this row as a whole.
    fn error(&self, ps: &mut Problems, message: &str, fix: &str) {
        self.push(ps, None, message, fix, None);
    }

    /// Report a problem with this row's cell in column `col`.
    fn cell_error(&self, ps: &mut Problems, col: usize, message: &str, fix: &str, cause: Option<&'static str>) {
        self.push(ps, Some(col), message, fix, cause);
    }

    fn push(&self, ps: &mut Problems, col: Option<usize>, message: &str, fix: &str, cause: Option<&'static str>) {
        ps.push(Problem {
            severity: Severity::Error,
            file: self.place.file.clone(),
            sheet: self.place.sheet.clone(),
            row: Some(self.row.row),
            column: col.map(|c| (c, self.header.cells.get(c).unwrap_or("").to_string())),
            value: col.map(|c| self.row.cells.get(c).unwrap_or("").to_string()),
            message: message.to_string(),
            fix: fix.to_string(),
            cause,
        });
    }

    /// Report that the cell of field `f` is not what was expected (`expected`, in the
    /// import's language), quoting what it holds, with the change to make (`fix`).
    fn bad(&self, ps: &mut Problems, f: Field, expected: &str, fix: &str) {
        let col = self.layout.col(f).unwrap_or(0);
        let value = self.row.cells.get(col).unwrap_or("");
        let message = found(ps.lang, expected, value);
        self.cell_error(ps, col, &message, fix, Some(f.name()));
    }
}

/// A cell's value as a message quotes it: whole up to 40 characters, else its start and its
/// length (a 10 MB cell is not printed).
pub fn shown(value: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 40;
    match value.char_indices().nth(MAX) {
        None => value.into(),
        Some((end, _)) => format!("{}…（{} 字）", &value[..end], value.chars().count()).into(),
    }
}

/// "应为…，实为「…」" (or "此格为空"): what a cell should hold and what it holds.
fn found(lang: Lang, expected: &str, value: &str) -> String {
    let value = shown(value);
    if value.is_empty() {
        t!("import.msg.found_empty", locale = lang.code(), expected = expected).into_owned()
    } else {
        t!(
            "import.msg.found",
            locale = lang.code(),
            expected = expected,
            value = value
        )
        .into_owned()
    }
}

/// One data row: its given visit id, the visit's fields, its findings, photos and note.
/// `None` when any cell was wrong (each reported).
fn read_row<'a>(
    r: &Resolver<'a>,
    cells: &RowCells<'_>,
    defaults: Defaults,
    teams: &mut Teams,
    ps: &mut Problems,
) -> Option<RowRead<'a>> {
    let before = ps.errors();
    check_stray_cells(cells, ps);
    let given_id = read_visit_id(cells, ps);
    let date = read_date(cells, defaults.year, ps);
    let level = read_level(cells, defaults, ps);
    let purpose = read_purpose(cells, defaults.purpose, ps);
    let team = read_team(cells, ps);
    let inspectors = read_inspectors(cells, ps);
    let compound_id = read_compound(r, cells, ps);
    let photos = read_photos(cells, ps);
    let note = read_note(cells);
    let findings = match date {
        Some(date) if cells.layout.is_wide() => wide_findings(r, cells, date, ps),
        Some(date) => long_finding(r, cells, date, ps).into_iter().collect(),
        None => Vec::new(),
    };
    let (Some(date), Some(level), Some(purpose), Some(inspectors), Some(compound_id), Some(photos)) =
        (date, level, purpose, inspectors, compound_id, photos)
    else {
        return None;
    };
    check_contract(r, cells, compound_id, date, &findings, ps);
    if ps.errors() > before {
        return None;
    }
    Some(RowRead {
        given_id,
        head: Head {
            date,
            level,
            purpose,
            team: teams.of(&team),
            inspectors,
            compound_id,
        },
        findings,
        photos,
        note,
    })
}

/// A control character a sheet may not carry: anything but tab and the line breaks a sheet's
/// lines end in (LF, CRLF, and CR alone, as "CSV (Macintosh)" ends a line in a cell too; a CR
/// alone is stored as LF, [`lone_cr_as_lf`]). ESC and BEL in a team name would drive the
/// terminal of whoever reads a report.
pub fn forbidden_control(text: &str) -> Option<char> {
    text.chars()
        .find(|&c| c.is_control() && !matches!(c, '\t' | '\n' | '\r'))
}

/// Cells no column reads are refused, not dropped without a word: a value beyond the header's
/// last column (its column has no name), and any cell holding a control character.
fn check_stray_cells(cells: &RowCells<'_>, ps: &mut Problems) {
    let lang = ps.lang;
    let width = cells
        .header
        .cells
        .iter()
        .enumerate()
        .rfind(|(_, h)| !h.trim().is_empty())
        .map_or(0, |(i, _)| i + 1);
    let last = column_letter(width.saturating_sub(1));
    for (col, value) in cells.row.cells.iter().enumerate() {
        if let Some(c) = forbidden_control(value) {
            let code = c as u32;
            cells.cell_error(
                ps,
                col,
                &t!(
                    "import.msg.control_char",
                    locale = lang.code(),
                    code = format!("{code:04X}")
                ),
                &t!("import.msg.control_char_fix", locale = lang.code()),
                None,
            );
        } else if col >= width && !value.trim().is_empty() {
            cells.cell_error(
                ps,
                col,
                &t!(
                    "import.msg.beyond_header",
                    locale = lang.code(),
                    last = last,
                    value = shown(value)
                ),
                &t!("import.msg.beyond_header_fix", locale = lang.code()),
                None,
            );
        }
    }
}

/// The visit id a row gives, if the sheet has a visit id column (checked to be safe to use).
fn read_visit_id(cells: &RowCells<'_>, ps: &mut Problems) -> Option<String> {
    match cells.get(Field::VisitId).map(str::trim) {
        Some(id) if !id.is_empty() => {
            if !valid_visit_id(id) {
                cells.bad(
                    ps,
                    Field::VisitId,
                    &t!("import.msg.expect.visit_id", locale = ps.lang.code()),
                    &t!("import.msg.fix.visit_id", locale = ps.lang.code()),
                );
            }
            Some(id.to_string())
        }
        // A sheet that numbers its visits must number every row: a blank (a merged cell in
        // Excel) would otherwise split one visit in two.
        Some(_) => {
            cells.bad(
                ps,
                Field::VisitId,
                &t!("import.msg.expect.visit_id_blank", locale = ps.lang.code()),
                &t!("import.msg.fix.visit_id_blank", locale = ps.lang.code()),
            );
            None
        }
        None => None,
    }
}

/// The visit's date, in any of the forms people type ([`values::parse_date_in`]); `year` (the
/// form's title's) serves a date written without one.
fn read_date(cells: &RowCells<'_>, year: Option<i32>, ps: &mut Problems) -> Option<NaiveDate> {
    let date = values::parse_date_in(cells.get(Field::Date).unwrap_or(""), year);
    if date.is_none() {
        cells.bad(
            ps,
            Field::Date,
            &t!("import.msg.expect.date", locale = ps.lang.code()),
            &t!("import.msg.fix.date", locale = ps.lang.code()),
        );
    }
    date
}

/// The visit's level: the sheet's, which must agree with `--level` if both are given; else
/// the flag's, else the form's title's. One of them must give it.
fn read_level(cells: &RowCells<'_>, defaults: Defaults, ps: &mut Problems) -> Option<Level> {
    let flag = defaults.level;
    match (cells.get(Field::Level).map(str::trim).filter(|s| !s.is_empty()), flag) {
        (Some(s), flag) => match values::parse_level(s) {
            None => {
                cells.bad(
                    ps,
                    Field::Level,
                    &t!("import.msg.expect.level", locale = ps.lang.code()),
                    &t!("import.msg.fix.level", locale = ps.lang.code()),
                );
                None
            }
            Some(l) if flag.is_some_and(|f| f != l) => {
                // The level as each language names it on the command line.
                let word = |l: Level| ps.lang.pick(l.zh(), l.as_str());
                let m = t!(
                    "import.msg.level_differs",
                    locale = ps.lang.code(),
                    sheet = word(l),
                    flag = flag.map_or("", word)
                );
                let fix = t!("import.msg.check_which", locale = ps.lang.code());
                cells.error(ps, &m, &fix);
                None
            }
            Some(l) => Some(l),
        },
        (None, Some(l)) => Some(l),
        (None, None) => defaults.title_level.or_else(|| {
            let code = ps.lang.code();
            cells.error(
                ps,
                &t!("import.msg.no_level", locale = code),
                &t!("import.msg.no_level_fix", locale = code),
            );
            None
        }),
    }
}

/// The visit's purpose: the sheet's, which must agree with `--purpose` (`flag`) if both are
/// given; else the flag's; else routine.
fn read_purpose(cells: &RowCells<'_>, flag: Option<Purpose>, ps: &mut Problems) -> Option<Purpose> {
    match (cells.get(Field::Purpose).map(str::trim).filter(|s| !s.is_empty()), flag) {
        (Some(s), flag) => match values::parse_purpose(s) {
            None => {
                cells.bad(
                    ps,
                    Field::Purpose,
                    &t!("import.msg.expect.purpose", locale = ps.lang.code()),
                    &t!("import.msg.fix.purpose", locale = ps.lang.code()),
                );
                None
            }
            Some(p) if flag.is_some_and(|f| f != p) => {
                // The purpose as each language names it on the command line.
                let word = |p: Purpose| ps.lang.pick(purpose_zh(p), p.as_str());
                let m = t!(
                    "import.msg.purpose_differs",
                    locale = ps.lang.code(),
                    sheet = word(p),
                    flag = flag.map_or("", word)
                );
                let fix = t!("import.msg.check_which", locale = ps.lang.code());
                cells.error(ps, &m, &fix);
                None
            }
            Some(p) => Some(p),
        },
        (None, Some(p)) => Some(p),
        (None, None) => Some(Purpose::Routine),
    }
}

fn purpose_zh(p: Purpose) -> &'static str {
    match p {
        Purpose::Routine => "日常",
        Purpose::Recheck => "复检",
    }
}

/// The inspection team's name, which may not be blank (blank is reported and returned).
fn read_team(cells: &RowCells<'_>, ps: &mut Problems) -> String {
    let team = lone_cr_as_lf(cells.get(Field::Team).unwrap_or("").trim());
    if team.is_empty() {
        cells.bad(
            ps,
            Field::Team,
            &t!("import.msg.expect.team", locale = ps.lang.code()),
            &t!("import.msg.fix.team", locale = ps.lang.code()),
        );
    }
    team
}

/// How many inspectors made the visit: a whole number, 1 or more.
fn read_inspectors(cells: &RowCells<'_>, ps: &mut Problems) -> Option<u32> {
    let inspectors = values::parse_headcount(cells.get(Field::Inspectors).unwrap_or(""));
    if inspectors.is_none() {
        cells.bad(
            ps,
            Field::Inspectors,
            &t!("import.msg.expect.inspectors", locale = ps.lang.code()),
            &t!("import.msg.fix.inspectors", locale = ps.lang.code()),
        );
    }
    inspectors
}

/// The id of the compound visited, named by id, name or alias.
fn read_compound<'a>(r: &Resolver<'a>, cells: &RowCells<'_>, ps: &mut Problems) -> Option<&'a str> {
    match r.compound(cells.get(Field::Compound).unwrap_or(""), ps.lang) {
        Ok(id) => Some(id),
        Err((m, fix)) => {
            let col = cells.layout.col(Field::Compound).unwrap_or(0);
            cells.cell_error(ps, col, &m, &fix, None);
            None
        }
    }
}

/// The photos the row counts: a whole number (blank or no column: 0).
fn read_photos(cells: &RowCells<'_>, ps: &mut Problems) -> Option<u64> {
    let photos = match cells.get(Field::Photos).map(str::trim) {
        None | Some("") => Some(0),
        Some(s) => values::parse_whole(s),
    };
    if photos.is_none() {
        cells.bad(
            ps,
            Field::Photos,
            &t!("import.msg.expect.photos", locale = ps.lang.code()),
            &t!("import.msg.fix.photos", locale = ps.lang.code()),
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
        .map(lone_cr_as_lf)
}

/// A cell's text as stored: a line break that is a CR alone (a cell of a "CSV (Macintosh)"
/// sheet, or an xlsx cell so typed) becomes LF, so that the same sheet saved with CR line
/// ends derives the same visit ids (the team is part of them) and stores the same note as
/// with LF. CRLF is kept as it always was: stores hold it, and a CRLF sheet imported before
/// must match itself again.
fn lone_cr_as_lf(text: &str) -> String {
    if !text.contains('\r') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        out.push(if c == '\r' && chars.peek() != Some(&'\n') {
            '\n'
        } else {
            c
        });
    }
    out
}

/// A wide row's findings: one per item column with problem points (blank = 0), checked against
/// the standards in force on `date`.
fn wide_findings<'a>(
    r: &Resolver<'a>,
    cells: &RowCells<'_>,
    date: NaiveDate,
    ps: &mut Problems,
) -> Vec<(&'a str, u64, u64)> {
    let mut findings = Vec::new();
    for (code, col) in &cells.layout.items {
        let v = cells.row.cells.get(*col).unwrap_or("").trim();
        match values::parse_whole(v).or(v.is_empty().then_some(0)) {
            Some(0) => {}
            Some(n) => match r.item(code, date, ps.lang) {
                Ok(code) => findings.push((code, n, cells.row.row)),
                Err(m) => cells.cell_error(ps, *col, &m, "", None),
            },
            None => {
                let code = ps.lang.code();
                let m = found(ps.lang, &t!("import.msg.expect.count", locale = code), v);
                let fix = t!("import.msg.fix.count_wide", locale = code);
                cells.cell_error(ps, *col, &m, &fix, Some("count"));
            }
        }
    }
    findings
}

/// A long row's finding, if it has one: its item (checked against the standards in force on
/// `date`) and count of problem points. A row with no item and no points is a visit with none.
fn long_finding<'a>(
    r: &Resolver<'a>,
    cells: &RowCells<'_>,
    date: NaiveDate,
    ps: &mut Problems,
) -> Option<(&'a str, u64, u64)> {
    let item = cells.get(Field::Item).unwrap_or("").trim();
    let count = cells.get(Field::Count).unwrap_or("").trim();
    match (
        item.is_empty(),
        values::parse_whole(count).or(count.is_empty().then_some(0)),
    ) {
        (_, None) => {
            cells.bad(
                ps,
                Field::Count,
                &t!("import.msg.expect.count", locale = ps.lang.code()),
                &t!("import.msg.fix.count", locale = ps.lang.code()),
            );
            None
        }
        (true, Some(0)) => None,
        (true, Some(n)) => {
            let code = ps.lang.code();
            cells.error(
                ps,
                &t!("import.msg.count_no_item", locale = code, n = n),
                &t!("import.msg.count_no_item_fix", locale = code),
            );
            None
        }
        (false, Some(n)) => match r.item(item, date, ps.lang) {
            Ok(code) => Some((code, n, cells.row.row)),
            Err(m) => {
                let col = cells.layout.col(Field::Item).unwrap_or(0);
                cells.cell_error(ps, col, &m, "", None);
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
    findings: &[(&str, u64, u64)],
    ps: &mut Problems,
) {
    let Some(k) = r.reg.contract_on(compound_id, date) else {
        let name = r.reg.compound(compound_id).map_or("", |c| &*c.name);
        // Chinese names the compound and gives its id; English gives the id alone.
        let named = format!("{name}（{compound_id}）");
        let compound = ps.lang.pick(&named, compound_id);
        let code = ps.lang.code();
        let m = t!(
            "import.msg.no_contract",
            locale = code,
            compound = compound,
            date = date
        );
        cells.error(ps, &m, &t!("import.msg.no_contract_fix", locale = code));
        return;
    };
    let Some(st) = r.standards.in_force_on(first_of_month(date)) else {
        return;
    };
    for (code, n, _) in findings {
        if let Some(item) = st.standards.item(code) {
            if *n > 0 && !item.applies(k.service_grade) {
                let locale = ps.lang.code();
                let m = t!(
                    "import.msg.item_not_applicable",
                    locale = locale,
                    item = code,
                    name = item.name,
                    compound = compound_id,
                    date = date,
                    grade = k.service_grade
                );
                cells.error(ps, &m, &t!("import.msg.item_not_applicable_fix", locale = locale));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::lone_cr_as_lf;

    /// A CR alone becomes LF; CRLF and LF stay as they are; other text is untouched.
    #[test]
    fn a_lone_cr_is_stored_as_lf() {
        assert_eq!(lone_cr_as_lf("东侧\r两处"), "东侧\n两处");
        assert_eq!(lone_cr_as_lf("a\r\nb\nc\r"), "a\r\nb\nc\n");
        assert_eq!(lone_cr_as_lf("\r\r\n\r"), "\n\r\n\n");
        assert_eq!(lone_cr_as_lf("第三方一组"), "第三方一组");
    }
}
