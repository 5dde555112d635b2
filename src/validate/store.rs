//! The store's rules (DESIGN §4): header, field types, visits consistent across their rows,
//! ids unique, rows sorted and in their month's file, compounds and items known, items
//! applicable to the compound's service grade, a contract in force on the visit's day.
//!
//! At national scale (8 million rows) each rule is asked of every row, so the check keeps
//! what rows share: a visit's rows are consecutive, so its head is looked up once per visit;
//! its compound and day are looked up once, through the registry's compound table (the
//! scan's one probe); the previous row's date and month are remembered. Every rule is still
//! asked of every row: only the lookups are shared, so the messages are those of each row.

use std::borrow::Cow;
use std::collections::HashMap;

use chrono::NaiveDate;
use rust_i18n::t;

use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use indicatif::ProgressBar;

use crate::error::{Diagnostics, Error, Result};
use crate::model::records::Appeal;
use crate::model::registry::Registry;
use crate::model::standards::{Item, Standards};
use crate::model::{Period, Span};
use crate::suggest::did_you_mean;
use crate::workspace::store::{month_files, MonthFile, StoreRow};
use crate::workspace::{StandardsSet, Workspace};

use super::rows::read_rows;
use super::visits::{hash_id, FileHeads, FileVisits, VisitIndex};

/// Fast hashing for the store's ids (the bureau's own files, not an adversary's).
type Map<K, V> = hashbrown::HashMap<K, V, foldhash::fast::RandomState>;

/// What the appeal and contract checks need to know about the store.
pub struct StoreFacts {
    /// The latest visit date in the store.
    pub newest: Option<NaiveDate>,
    /// Every visit id, with the file (its index among the month files) and line where it was
    /// first seen. A national store has millions of visits: this is all that is kept of them
    /// once their file is checked.
    pub visits: VisitIndex,
    /// Counts of the (visit, item) pairs that some appeal names.
    pub appealed_counts: HashMap<(String, String), u64>,
}

/// Check every month file of the store, row by row (see the module's rules), and gather what
/// the appeal and contract checks need to know about it.
///
/// The files are checked on up to `threads` threads, each file on its own with its own
/// diagnostics and visits, and merged in file order: the diagnostics are those of one thread
/// checking the files one after another, in the same order. A file that repeats a visit id
/// of an earlier file is checked again at the merge, knowing the earlier files' visits (the
/// rule for a repeated id replaces the rules for the visit's rows): rare, and exact.
/// `progress` is handed the bytes of the month files and returns the bar that counts them.
pub fn check_store(
    ws: &Workspace,
    reg: &Registry,
    standards: &StandardsSet,
    appeals: &[Appeal],
    threads: usize,
    progress: impl FnOnce(u64) -> ProgressBar,
    d: &mut Diagnostics,
) -> Result<StoreFacts> {
    let files = month_files(ws, d)?;
    let appealed = appealed_items(appeals);
    let bytes = files
        .iter()
        .map(|f| std::fs::metadata(ws.path(&f.rel)).map_or(0, |m| m.len()))
        .sum();
    let bar = progress(bytes);
    let rules = Rules {
        ws,
        reg,
        standards,
        appealed: &appealed,
        files: &files,
    };
    let facts = check_files(&rules, threads, &bar, d);
    bar.finish_and_clear();
    facts
}

/// What every file's check reads.
struct Rules<'a> {
    ws: &'a Workspace,
    reg: &'a Registry,
    standards: &'a StandardsSet,
    appealed: &'a Map<&'a str, Vec<&'a str>>,
    files: &'a [MonthFile],
}

/// What the check of one month file found.
struct FileFacts {
    /// Its diagnostics, in the order they were found.
    diags: Diagnostics,
    /// The visits first seen in this file (not in an earlier one), with their first line.
    visits: FileVisits,
    /// The latest visit date in the file.
    newest: Option<NaiveDate>,
    /// Counts of the (visit, item) pairs that some appeal names, the file's last of each.
    appealed_counts: HashMap<(String, String), u64>,
}

/// Check the files on a pool of threads (each takes the next file not yet taken) and merge
/// their findings in file order as they come; see [`check_store`].
fn check_files(rules: &Rules<'_>, threads: usize, bar: &ProgressBar, d: &mut Diagnostics) -> Result<StoreFacts> {
    let n = rules.files.len();
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    let none = VisitIndex::default();
    std::thread::scope(|s| {
        let (tx, rx) = std::sync::mpsc::channel();
        for _ in 0..threads.clamp(1, n.max(1)) {
            let (tx, next, stop, none) = (tx.clone(), &next, &stop, &none);
            s.spawn(move || {
                while !stop.load(Ordering::Relaxed) {
                    let fi = next.fetch_add(1, Ordering::Relaxed);
                    if fi >= n || tx.send((fi, check_file(rules, fi, none, bar))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut facts = StoreFacts {
            newest: None,
            visits: VisitIndex::default(),
            appealed_counts: HashMap::new(),
        };
        // Files checked before an earlier one was merged.
        let mut waiting = std::collections::BTreeMap::new();
        for fi in 0..n {
            let part = loop {
                if let Some(part) = waiting.remove(&fi) {
                    break part;
                }
                match rx.recv() {
                    Ok((i, part)) => waiting.insert(i, part),
                    // A thread panicked (the scope's end says how).
                    Err(_) => break Err(Error::msg(t!("store.scan_panicked"))),
                };
            };
            let merged = part.and_then(|part| merge_file(rules, fi, part, &mut facts, d));
            if merged.is_err() {
                stop.store(true, Ordering::Relaxed);
                return merged.map(|()| facts);
            }
        }
        Ok(facts)
    })
}

/// Take a checked file's findings into the store's, after the earlier files'. When the file
/// repeats a visit id of an earlier file, it is checked again knowing the earlier visits.
fn merge_file(
    rules: &Rules<'_>,
    fi: usize,
    mut part: FileFacts,
    facts: &mut StoreFacts,
    d: &mut Diagnostics,
) -> Result<()> {
    if facts.visits.any_of(&part.visits) {
        part = check_file(rules, fi, &facts.visits, &ProgressBar::hidden())?;
    }
    facts.visits.push(part.visits);
    facts.newest = facts.newest.max(part.newest);
    facts.appealed_counts.extend(part.appealed_counts);
    d.absorb(part.diags);
    Ok(())
}

/// Check the month file `fi` row by row. `earlier` holds the visits of the earlier files (or
/// none, when they are not known yet: then [`merge_file`] sees any repeat).
fn check_file(rules: &Rules<'_>, fi: usize, earlier: &VisitIndex, bar: &ProgressBar) -> Result<FileFacts> {
    let file = &rules.files[fi];
    let mut d = Diagnostics::new();
    let in_force = rules.standards.in_force_on(file.month.start());
    if in_force.is_none() && !rules.standards.files.is_empty() {
        d.error(
            &file.rel,
            None,
            t!("check.no_standards_for_month", day = file.month.start()),
        );
    }
    let mut check = FileCheck::new(rules, file, earlier, in_force.map(|s| &s.standards));
    read_rows(rules.ws, file, bar, &mut d, &mut |line, row, d| match row {
        Ok(row) => check.row(line, &row, d),
        Err(problems) => {
            for p in problems {
                d.error(&file.rel, Some(line), p);
            }
        }
    })?;
    Ok(FileFacts {
        diags: d,
        visits: check.heads.into_visits(),
        newest: check.newest,
        appealed_counts: check.appealed_counts,
    })
}

/// The items some appeal names, by visit.
fn appealed_items(appeals: &[Appeal]) -> Map<&str, Vec<&str>> {
    let mut appealed: Map<&str, Vec<&str>> = Map::default();
    for a in appeals {
        appealed.entry(&a.visit_id).or_default().push(&a.item);
    }
    appealed
}

/// A store row's text, for a message (the readers hand over only text).
fn text(b: &[u8]) -> Cow<'_, str> {
    String::from_utf8_lossy(b)
}

/// The previous good row of a file: its key, and what was found about its visit.
struct Prev<'a> {
    date: NaiveDate,
    visit_id: Vec<u8>,
    item: Vec<u8>,
    /// Its visit: the position of its head in the file, or where an earlier file has it.
    visit: Seen,
    /// The items of its visit that some appeal names.
    appealed: Option<&'a [&'a str]>,
}

/// Where a visit id was found.
#[derive(Debug, Clone, Copy)]
enum Seen {
    /// In this file, its head at this position.
    Here(usize),
    /// In an earlier file (its index) first, on this line.
    Earlier(usize, u64),
}

/// What a compound and day resolve to: the compound unknown (with the hint for it), or the
/// service grade of its contract in force that day, if any.
enum Resolved {
    Unknown(String),
    Grade(Option<u8>),
}

/// One month file's check in progress: the rules asked of each good row in turn.
struct FileCheck<'a> {
    reg: &'a Registry,
    file: &'a MonthFile,
    files: &'a [MonthFile],
    earlier: &'a VisitIndex,
    appealed: &'a Map<&'a str, Vec<&'a str>>,
    /// The standards in force for the file, and their items by code (the first of a code).
    standards: Option<&'a Standards>,
    items: Map<&'a str, &'a Item>,
    heads: FileHeads,
    prev: Option<Prev<'a>>,
    /// The last day seen and whether it lies in the file's month.
    day: Option<(NaiveDate, bool)>,
    /// The last compound and day looked up, and what they resolved to.
    resolved: Option<(Vec<u8>, NaiveDate, Resolved)>,
    newest: Option<NaiveDate>,
    appealed_counts: HashMap<(String, String), u64>,
}

impl<'a> FileCheck<'a> {
    fn new(
        rules: &'a Rules<'a>,
        file: &'a MonthFile,
        earlier: &'a VisitIndex,
        standards: Option<&'a Standards>,
    ) -> FileCheck<'a> {
        let mut items = Map::default();
        for i in standards.map_or(&[][..], |st| &st.items[..]) {
            items.entry(i.code.as_str()).or_insert(i);
        }
        FileCheck {
            reg: rules.reg,
            file,
            files: rules.files,
            earlier,
            appealed: rules.appealed,
            standards,
            items,
            heads: FileHeads::default(),
            prev: None,
            day: None,
            resolved: None,
            newest: None,
            appealed_counts: HashMap::new(),
        }
    }

    /// Ask every rule of a row that reads, on `line`.
    fn row(&mut self, line: u64, r: &StoreRow<'_>, d: &mut Diagnostics) {
        // The previous good row's visit, when this row's is the same: found already.
        let same = self
            .prev
            .as_ref()
            .filter(|p| p.visit_id == r.visit_id)
            .map(|p| (p.visit, p.appealed));
        self.check_order(r, same.is_some(), line, d);
        self.check_month(r, line, d);
        self.newest = self.newest.max(Some(r.date));
        let (visit, added) = match same {
            Some((visit, _)) => (visit, false),
            None => self.find_visit(r, line),
        };
        if !added {
            self.check_visit(visit, r, line, d);
        }
        self.check_refs(r, line, d);
        let appealed = match same {
            Some((_, appealed)) => appealed,
            None => self.appealed_of(r.visit_id),
        };
        self.record_appealed_count(appealed, r);
        let prev = self.prev.as_mut().expect("set by check_order");
        prev.visit = visit;
        prev.appealed = appealed;
    }

    /// Rows are sorted by (date, visit_id, item) and none repeats its predecessor's key. The
    /// previous row's key becomes this row's, its buffers reused. `same_visit` says the
    /// previous row's visit id is this row's.
    fn check_order(&mut self, r: &StoreRow<'_>, same_visit: bool, line: u64, d: &mut Diagnostics) {
        let rel = &self.file.rel;
        let Some(p) = &mut self.prev else {
            self.prev = Some(Prev {
                date: r.date,
                visit_id: r.visit_id.to_vec(),
                item: r.item.as_bytes().to_vec(),
                visit: Seen::Here(0),
                appealed: None,
            });
            return;
        };
        // (date, visit_id, item) against the previous row's, the ids compared once.
        let order = r.date.cmp(&p.date).then_with(|| match same_visit {
            true => r.item.as_bytes().cmp(&p.item),
            false => r.visit_id.cmp(&p.visit_id),
        });
        match order {
            std::cmp::Ordering::Less => d.error(
                rel,
                Some(line),
                t!("check.rows_out_of_order", date => r.date, visit => text(r.visit_id), item => r.item,
                    prev_date => p.date, prev_visit => text(&p.visit_id), prev_item => text(&p.item)),
            ),
            std::cmp::Ordering::Equal => d.error(
                rel,
                Some(line),
                t!("check.duplicate_row", visit = text(r.visit_id), item = r.item),
            ),
            std::cmp::Ordering::Greater => {}
        }
        p.date = r.date;
        if !same_visit {
            p.visit_id.clear();
            p.visit_id.extend_from_slice(r.visit_id);
        }
        p.item.clear();
        p.item.extend_from_slice(r.item.as_bytes());
    }

    /// A row lives in the file of its date's month.
    fn check_month(&mut self, r: &StoreRow<'_>, line: u64, d: &mut Diagnostics) {
        let in_month = match self.day {
            Some((day, in_month)) if day == r.date => in_month,
            _ => {
                let in_month = Period::containing(r.date, Span::Month) == self.file.month;
                self.day = Some((r.date, in_month));
                in_month
            }
        };
        if !in_month {
            let month = Period::containing(r.date, Span::Month);
            d.error(
                &self.file.rel,
                Some(line),
                t!("check.row_in_wrong_month", visit => text(r.visit_id), date => r.date,
                    month => self.file.month, file => crate::workspace::store::month_path(&month)),
            );
        }
    }

    /// Where the visit of a row that begins a run of its rows was seen: in this file, in an
    /// earlier one, or nowhere yet (then it is added to this file's, with this row as its
    /// head: the second value says so).
    fn find_visit(&mut self, r: &StoreRow<'_>, line: u64) -> (Seen, bool) {
        let hash = hash_id(r.visit_id);
        if let Some(i) = self.heads.find(hash, r.visit_id) {
            return (Seen::Here(i), false);
        }
        match self.earlier.get(hash, r.visit_id) {
            Some((file, first_line)) => (Seen::Earlier(file, first_line), false),
            None => (Seen::Here(self.heads.insert(hash, r, line)), true),
        }
    }

    /// A visit id is not used again in a later file, and a visit's rows agree on its fields
    /// with its first (the head).
    fn check_visit(&mut self, visit: Seen, r: &StoreRow<'_>, line: u64, d: &mut Diagnostics) {
        let rel = &self.file.rel;
        let i = match visit {
            Seen::Earlier(file, first_line) => {
                let file = &self.files[file].rel;
                d.error(
                    rel,
                    Some(line),
                    t!("check.duplicate_visit", visit => text(r.visit_id), file => file, line => first_line),
                );
                return;
            }
            Seen::Here(i) => i,
        };
        let h = self.heads.head(i);
        // Compared as values; worded only when they differ.
        let first_line = h.line;
        let mut differ = |name: &str, same: bool, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
            if !same {
                d.error(
                    rel,
                    Some(line),
                    t!("check.visit_rows_disagree", visit => text(r.visit_id), column => name, here => b,
                        first => a, line => first_line),
                );
            }
        };
        differ("date", h.date == r.date, &h.date, &r.date);
        differ("level", h.level == r.level, &h.level, &r.level);
        differ("purpose", h.purpose == r.purpose, &h.purpose, &r.purpose);
        let team = self.heads.team(i);
        if team != r.team {
            differ("team", false, &text(team), &text(r.team));
        }
        differ("inspectors", h.inspectors == r.inspectors, &h.inspectors, &r.inspectors);
        let compound = self.heads.compound(i);
        if compound != r.compound_id {
            differ("compound_id", false, &text(compound), &text(r.compound_id));
        }
        let empty_now = r.item.is_empty();
        if (empty_now && h.findings) || (!empty_now && h.empty_row) {
            d.error(
                rel,
                Some(line),
                t!("check.findings_and_empty_row", visit = text(r.visit_id), line = h.line),
            );
        }
        let h = self.heads.head_mut(i);
        h.empty_row |= empty_now;
        h.findings |= !empty_now;
    }

    /// The compound is known, has a contract in force on the day, and the item is one of the
    /// standards in force, applicable to the contract's service grade.
    fn check_refs(&mut self, r: &StoreRow<'_>, line: u64, d: &mut Diagnostics) {
        let rel = &self.file.rel;
        let grade = match self.resolve(r.compound_id, r.date) {
            Resolved::Unknown(hint) => {
                d.error(
                    rel,
                    Some(line),
                    t!("check.unknown_compound", compound = text(r.compound_id), hint = hint),
                );
                return;
            }
            Resolved::Grade(grade) => *grade,
        };
        if grade.is_none() {
            d.error(
                rel,
                Some(line),
                t!("check.no_contract_that_day", visit => text(r.visit_id), compound => text(r.compound_id),
                    date => r.date),
            );
        }
        let (Some(st), false) = (self.standards, r.item.is_empty()) else {
            return;
        };
        let Some(&item) = self.items.get(r.item) else {
            let hint = did_you_mean(r.item, st.items.iter().map(|i| i.code.as_str()));
            let hint = if hint.is_empty() {
                t!("check.known_items", codes = st.item_codes_hint()).into_owned()
            } else {
                hint
            };
            d.error(rel, Some(line), t!("check.unknown_item", item = r.item, hint = hint));
            return;
        };
        if let Some(grade) = grade {
            if !item.applies(grade) {
                let applies_to = format!("{:?}", item.applies_to.clone().unwrap_or_default());
                d.error(
                    rel,
                    Some(line),
                    t!("check.item_not_for_grade", item => item.code, name => item.name,
                        compound => text(r.compound_id), grade => grade, date => r.date,
                        applies_to => applies_to),
                );
            }
        }
    }

    /// What a compound and day resolve to, looked up only when they are not the last row's.
    fn resolve(&mut self, compound: &[u8], date: NaiveDate) -> &Resolved {
        let hit = matches!(&self.resolved, Some((c, day, _)) if c == compound && *day == date);
        if !hit {
            let reg = self.reg;
            let id = text(compound);
            let resolved = match reg.compound_and_grade(&id, date) {
                Some((_, grade)) => Resolved::Grade(grade),
                None => match &self.resolved {
                    // The same unknown compound on another day: the same hint.
                    Some((c, _, Resolved::Unknown(hint))) if c == compound => Resolved::Unknown(hint.clone()),
                    _ => Resolved::Unknown(did_you_mean(&id, reg.compounds.iter().map(|c| &*c.id))),
                },
            };
            let kept = self
                .resolved
                .get_or_insert_with(|| (Vec::new(), date, Resolved::Grade(None)));
            kept.0.clear();
            kept.0.extend_from_slice(compound);
            kept.1 = date;
            kept.2 = resolved;
        }
        &self.resolved.as_ref().expect("resolved above").2
    }

    /// The items some appeal names of visit `id`.
    fn appealed_of(&self, id: &[u8]) -> Option<&'a [&'a str]> {
        if self.appealed.is_empty() {
            return None;
        }
        let appealed: &'a Map<&'a str, Vec<&'a str>> = self.appealed;
        appealed.get(std::str::from_utf8(id).ok()?).map(Vec::as_slice)
    }

    /// Keep the recorded count of a finding some appeal names, for the appeal checks.
    fn record_appealed_count(&mut self, appealed: Option<&[&str]>, r: &StoreRow<'_>) {
        let named = appealed.is_some_and(|items| items.contains(&r.item));
        if !r.item.is_empty() && named {
            self.appealed_counts
                .insert((text(r.visit_id).into_owned(), r.item.to_string()), r.count);
        }
    }
}
