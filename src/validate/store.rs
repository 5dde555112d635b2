//! The store's rules (DESIGN §4): header, field types, visits consistent across their rows,
//! ids unique, rows sorted and in their month's file, compounds and items known, items
//! applicable to the compound's service grade, a contract in force on the visit's day.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_i18n::t;

use std::io::Read;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use indicatif::ProgressBar;

use crate::error::{Diagnostics, Error, Result};
use crate::model::records::{Appeal, Finding};
use crate::model::registry::{Contract, Registry};
use crate::model::standards::{Item, Standards};
use crate::model::{Level, Period, Purpose, Span};
use crate::suggest::did_you_mean;
use crate::workspace::store::{month_files, read_findings_lent, MonthFile};
use crate::workspace::{StandardsSet, Workspace};

/// Fast hashing for the store's ids (the bureau's own files, not an adversary's).
type Map<K, V> = hashbrown::HashMap<K, V, foldhash::fast::RandomState>;

/// What the appeal and contract checks need to know about the store.
pub struct StoreFacts {
    /// The latest visit date in the store.
    pub newest: Option<NaiveDate>,
    /// Every visit id, with the file (its index among the month files) and line where it was
    /// first seen. A national store has millions of visits: this is all that is kept of them
    /// once their file is checked.
    pub visits: Map<Box<str>, (usize, u64)>,
    /// Counts of the (visit, item) pairs that some appeal names.
    pub appealed_counts: HashMap<(String, String), u64>,
}

/// The fields a visit's rows must agree on, and where in its file the visit was first seen
/// (kept while its file is checked).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitHead {
    /// Where in its file the visit was first seen.
    pub line: u64,
    /// The visit's day.
    pub date: NaiveDate,
    /// Who inspected.
    pub level: Level,
    /// Routine round or re-inspection.
    pub purpose: Purpose,
    /// The inspecting team.
    pub team: String,
    /// People on the team that day.
    pub inspectors: u32,
    /// The compound visited.
    pub compound_id: String,
    /// Whether the visit has the empty "found nothing" row.
    pub empty_row: bool,
    /// Whether the visit has a row with a finding.
    pub findings: bool,
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
    visits: Vec<(Box<str>, u64)>,
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
    let none = Map::default();
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
            visits: Map::default(),
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
    if part.visits.iter().any(|(id, _)| facts.visits.contains_key(id)) {
        part = check_file(rules, fi, &facts.visits, &ProgressBar::hidden())?;
    }
    facts
        .visits
        .extend(part.visits.into_iter().map(|(id, line)| (id, (fi, line))));
    facts.newest = facts.newest.max(part.newest);
    facts.appealed_counts.extend(part.appealed_counts);
    d.absorb(part.diags);
    Ok(())
}

/// Check the month file `fi` row by row. `earlier` holds the visits of the earlier files (or
/// none, when they are not known yet: then [`merge_file`] sees any repeat).
fn check_file(
    rules: &Rules<'_>,
    fi: usize,
    earlier: &Map<Box<str>, (usize, u64)>,
    bar: &ProgressBar,
) -> Result<FileFacts> {
    let file = &rules.files[fi];
    let rel = file.rel.as_str();
    let mut d = Diagnostics::new();
    let in_force = rules.standards.in_force_on(file.month.start());
    if in_force.is_none() && !rules.standards.files.is_empty() {
        d.error(rel, None, t!("check.no_standards_for_month", day = file.month.start()));
    }
    let mut newest = None;
    let mut appealed_counts = HashMap::new();
    // The visits of this file, with the fields their rows must agree on.
    let mut heads: Map<Box<str>, VisitHead> = Map::default();
    // The previous row's (date, visit_id, item), its strings reused.
    let mut prev: Option<(NaiveDate, String, String)> = None;
    let standards = in_force.map(|s| &s.standards);
    let mut refs = Refs::new(standards);
    let seen = Seen {
        earlier,
        files: rules.files,
    };
    read_counted(rules.ws, file, bar, &mut d, |line, row, d| {
        let f = match row {
            Ok(f) => f,
            Err(problems) => {
                for p in problems {
                    d.error(rel, Some(line), p);
                }
                return;
            }
        };
        check_row_order(&mut prev, f, rel, line, d);
        check_row_month(f, file, rel, line, d);
        newest = newest.max(Some(f.date));
        check_visit_head(&seen, &mut heads, rel, line, f, d);
        check_row_refs(rules.reg, standards, &mut refs, rel, line, f, d);
        record_appealed_count(&mut appealed_counts, rules.appealed, f);
    })?;
    Ok(FileFacts {
        diags: d,
        visits: heads.into_iter().map(|(id, head)| (id, head.line)).collect(),
        newest,
        appealed_counts,
    })
}

/// [`read_month`](crate::workspace::store::read_month)'s reading of a month file, every byte read counted on `bar` (and no
/// digest: `check` has no use for it).
fn read_counted(
    ws: &Workspace,
    file: &MonthFile,
    bar: &ProgressBar,
    d: &mut Diagnostics,
    mut visit: impl FnMut(u64, std::result::Result<&Finding, Vec<String>>, &mut Diagnostics),
) -> Result<()> {
    let path = ws.path(&file.rel);
    let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut counted = Counted { inner: f, bar };
    read_findings_lent(
        std::io::BufReader::with_capacity(1 << 16, &mut counted),
        &file.rel,
        d,
        &mut visit,
    )?;
    // Drain what the CSV reader did not need (a file that ended early on a bad header).
    std::io::copy(&mut counted, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
    Ok(())
}

/// A reader that counts what it reads on a progress bar.
struct Counted<'a, R> {
    inner: R,
    bar: &'a ProgressBar,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.bar.inc(n as u64);
        Ok(n)
    }
}

/// The visits of the earlier files, and the files (to name where a visit was first seen).
struct Seen<'a> {
    earlier: &'a Map<Box<str>, (usize, u64)>,
    files: &'a [MonthFile],
}

/// The items some appeal names, by visit.
fn appealed_items(appeals: &[Appeal]) -> Map<&str, Vec<&str>> {
    let mut appealed: Map<&str, Vec<&str>> = Map::default();
    for a in appeals {
        appealed.entry(&a.visit_id).or_default().push(&a.item);
    }
    appealed
}

/// Rows are sorted by (date, visit_id, item) and none repeats its predecessor's key. `prev` is
/// the previous row's key, updated to this row's with its strings reused.
fn check_row_order(
    prev: &mut Option<(NaiveDate, String, String)>,
    f: &Finding,
    rel: &str,
    line: u64,
    d: &mut Diagnostics,
) {
    let key = (f.date, f.visit_id.as_str(), f.item.as_str());
    if let Some(p) = prev {
        let before = (p.0, p.1.as_str(), p.2.as_str());
        if key < before {
            d.error(
                rel,
                Some(line),
                t!("check.rows_out_of_order", date => key.0, visit => key.1, item => key.2, prev_date => p.0,
                    prev_visit => p.1, prev_item => p.2),
            );
        } else if key == before {
            d.error(
                rel,
                Some(line),
                t!("check.duplicate_row", visit = f.visit_id, item = f.item),
            );
        }
    }
    match prev {
        Some(p) => {
            p.0 = f.date;
            p.1.clear();
            p.1.push_str(&f.visit_id);
            p.2.clear();
            p.2.push_str(&f.item);
        }
        None => *prev = Some((f.date, f.visit_id.clone(), f.item.clone())),
    }
}

/// A row lives in the file of its date's month.
fn check_row_month(f: &Finding, file: &MonthFile, rel: &str, line: u64, d: &mut Diagnostics) {
    if Period::containing(f.date, Span::Month) != file.month {
        d.error(
            rel,
            Some(line),
            t!("check.row_in_wrong_month", visit => f.visit_id, date => f.date, month => file.month,
                file => crate::workspace::store::month_path(&Period::containing(f.date, Span::Month))),
        );
    }
}

/// Keep the recorded count of a finding some appeal names, for the appeal checks.
fn record_appealed_count(counts: &mut HashMap<(String, String), u64>, appealed: &Map<&str, Vec<&str>>, f: &Finding) {
    let named = appealed
        .get(f.visit_id.as_str())
        .is_some_and(|items| items.contains(&f.item.as_str()));
    if !f.item.is_empty() && named {
        counts.insert((f.visit_id.clone(), f.item.clone()), f.count);
    }
}

#[allow(clippy::too_many_arguments)]
fn check_visit_head(
    seen: &Seen<'_>,
    heads: &mut Map<Box<str>, VisitHead>,
    rel: &str,
    line: u64,
    f: &Finding,
    d: &mut Diagnostics,
) {
    let Some(first) = heads.get_mut(f.visit_id.as_str()) else {
        // Not in this file yet: in an earlier one, or new.
        if let Some(&(file, first_line)) = seen.earlier.get(f.visit_id.as_str()) {
            d.error(
                rel,
                Some(line),
                t!("check.duplicate_visit", visit => f.visit_id, file => seen.files[file].rel, line => first_line),
            );
            return;
        }
        let head = VisitHead {
            line,
            date: f.date,
            level: f.level,
            purpose: f.purpose,
            team: f.team.clone(),
            inspectors: f.inspectors,
            compound_id: f.compound_id.clone(),
            empty_row: f.item.is_empty(),
            findings: !f.item.is_empty(),
        };
        heads.insert(f.visit_id.as_str().into(), head);
        return;
    };
    // Compared as values; worded only when they differ.
    let first_line = first.line;
    let mut differ = |name: &str, same: bool, a: &dyn std::fmt::Display, b: &dyn std::fmt::Display| {
        if !same {
            d.error(
                rel,
                Some(line),
                t!("check.visit_rows_disagree", visit => f.visit_id, column => name, here => b, first => a,
                    line => first_line),
            );
        }
    };
    differ("date", first.date == f.date, &first.date, &f.date);
    differ("level", first.level == f.level, &first.level, &f.level);
    differ("purpose", first.purpose == f.purpose, &first.purpose, &f.purpose);
    differ("team", first.team == f.team, &first.team, &f.team);
    differ(
        "inspectors",
        first.inspectors == f.inspectors,
        &first.inspectors,
        &f.inspectors,
    );
    differ(
        "compound_id",
        first.compound_id == f.compound_id,
        &first.compound_id,
        &f.compound_id,
    );
    let empty_now = f.item.is_empty();
    if (empty_now && first.findings) || (!empty_now && first.empty_row) {
        d.error(
            rel,
            Some(line),
            t!("check.findings_and_empty_row", visit = f.visit_id, line = first.line),
        );
    }
    first.empty_row |= empty_now;
    first.findings |= !empty_now;
}

/// What a row's references resolve to, kept from the previous row: a visit's rows share
/// their compound and day, and their items come from one standards file.
struct Refs<'a> {
    /// The items of the standards in force for the file, by code (the first of a code).
    items: Map<&'a str, &'a Item>,
    /// The previous row's compound and day, when the compound is known, and its contract.
    last: Option<(String, NaiveDate, Option<&'a Contract>)>,
}

impl<'a> Refs<'a> {
    fn new(standards: Option<&'a Standards>) -> Refs<'a> {
        let mut items = Map::default();
        for i in standards.map_or(&[][..], |st| &st.items[..]) {
            items.entry(i.code.as_str()).or_insert(i);
        }
        Refs { items, last: None }
    }
}

#[allow(clippy::too_many_arguments)]
fn check_row_refs<'a>(
    reg: &'a Registry,
    standards: Option<&'a Standards>,
    refs: &mut Refs<'a>,
    rel: &str,
    line: u64,
    f: &Finding,
    d: &mut Diagnostics,
) {
    let contract = match &refs.last {
        Some((id, date, contract)) if *id == f.compound_id && *date == f.date => *contract,
        _ => {
            if reg.compound(&f.compound_id).is_none() {
                let hint = did_you_mean(&f.compound_id, reg.compounds.iter().map(|c| &*c.id));
                d.error(
                    rel,
                    Some(line),
                    t!("check.unknown_compound", compound = f.compound_id, hint = hint),
                );
                return;
            }
            let contract = reg.contract_on(&f.compound_id, f.date);
            match &mut refs.last {
                Some(last) => {
                    last.0.clear();
                    last.0.push_str(&f.compound_id);
                    last.1 = f.date;
                    last.2 = contract;
                }
                None => refs.last = Some((f.compound_id.clone(), f.date, contract)),
            }
            contract
        }
    };
    if contract.is_none() {
        d.error(
            rel,
            Some(line),
            t!("check.no_contract_that_day", visit => f.visit_id, compound => f.compound_id, date => f.date),
        );
    }
    let (Some(st), false) = (standards, f.item.is_empty()) else {
        return;
    };
    let Some(&item) = refs.items.get(f.item.as_str()) else {
        let hint = did_you_mean(&f.item, st.items.iter().map(|i| i.code.as_str()));
        let hint = if hint.is_empty() {
            t!("check.known_items", codes = st.item_codes_hint()).into_owned()
        } else {
            hint
        };
        d.error(rel, Some(line), t!("check.unknown_item", item = f.item, hint = hint));
        return;
    };
    if let Some(c) = contract {
        if !item.applies(c.service_grade) {
            let applies_to = format!("{:?}", item.applies_to.clone().unwrap_or_default());
            d.error(
                rel,
                Some(line),
                t!("check.item_not_for_grade", item => item.code, name => item.name,
                    compound => f.compound_id, grade => c.service_grade, date => f.date,
                    applies_to => applies_to),
            );
        }
    }
}
