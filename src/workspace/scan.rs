//! The hot path: streaming the store's visits for reports. Rows are read as byte records into
//! one reused visit buffer (no allocation per row once warm), month files are shared between
//! the machine's cores, and each worker's results are merged in month order, so the output does
//! not depend on the number of threads.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;

use crate::domain::visit::{UpheldAppeals, Visit};
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::{MAX_PER_ROW, STORE_HEADER};
use crate::model::registry::Registry;
use crate::model::{parse_date, Level, Period, Purpose, Span};

use super::provenance::HashingReader;
use super::store::{parse_finding, MonthFile};
use super::table::csv_problem;
use super::utf8_watch::Utf8Watch;
use super::Workspace;

/// Fields of a store row; the note is the last.
const FIELDS: usize = STORE_HEADER.len();

/// What a scan reads besides the month files: where they are, the upheld appeals to apply,
/// and the registry to resolve each visit's compound and service grade against; and whether
/// to hash the files as they stream.
pub struct Sources<'a> {
    pub ws: &'a Workspace,
    pub appeals: &'a UpheldAppeals,
    pub registry: &'a Registry,
    pub hash: bool,
}

/// What one month file gave: its problems and, if hashed, its SHA-256.
pub struct FileScan {
    pub file: MonthFile,
    pub sha256: Option<String>,
    pub diags: Diagnostics,
}

/// Scan `files` on up to `threads` threads. Each thread fills one `T` from `init` with the
/// visits of the files it takes, in store order within a file; the callers' accumulators are
/// order-free (sums, sets, sorted lists), so merging the threads' `T`s gives the same result
/// whatever the split. Per-file results come back in file order.
pub fn scan_files<T: Send>(
    src: &Sources<'_>,
    files: &[MonthFile],
    threads: usize,
    init: impl Fn() -> T + Sync,
    opened: impl Fn(&mut T, &Visit) + Sync,
    visit: impl Fn(&mut T, &Visit) + Sync,
) -> Result<(Vec<T>, Vec<FileScan>)> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<FileScan>>>> = Mutex::new((0..files.len()).map(|_| None).collect());
    let work = || {
        let mut value = init();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = files.get(i) else { break };
            let mut diags = Diagnostics::new();
            let value = std::cell::RefCell::new(&mut value);
            let r = scan_file(
                src,
                file,
                &mut diags,
                |v| opened(&mut value.borrow_mut(), v),
                |v| visit(&mut value.borrow_mut(), v),
            )
            .map(|sha256| FileScan {
                file: file.clone(),
                sha256,
                diags,
            });
            if let Ok(mut all) = results.lock() {
                all[i] = Some(r);
            }
        }
        value
    };
    let threads = threads.clamp(1, files.len().max(1));
    let values = std::thread::scope(|s| {
        let handles: Vec<_> = (1..threads).map(|_| s.spawn(work)).collect();
        let mut values = vec![work()];
        for h in handles {
            if let Ok(v) = h.join() {
                values.push(v);
            }
        }
        values
    });
    if values.len() != threads {
        return Err(Error::msg("a scanning thread panicked"));
    }
    let all = results
        .into_inner()
        .map_err(|_| Error::msg("a scanning thread panicked"))?;
    let scans = all
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Error::msg("a month file was not scanned"))))
        .collect::<Result<_>>()?;
    Ok((values, scans))
}

/// Worker threads for scanning: the machine's cores, at most 8.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// The visits in flight, with spare strings for reuse. The compound lookup and the
/// accumulators' data are random accesses into tables much larger than the cache, so each
/// visit moves through three stages, one visit apart: while it is read, its compound's slot
/// is fetched ([`Registry::prefetch_compound`]); once the next visit begins, it is resolved
/// and [`Accumulate::opened`](crate::domain::visit::Accumulate::opened) fetches what the
/// accumulators need; once the one after begins, it is handed over. Visits are still handed
/// over one at a time in store order.
struct Buffer {
    /// The visit being read.
    visit: Visit,
    open: bool,
    /// The visit before it: complete and resolved, waiting to be handed over.
    ready: Visit,
    has_ready: bool,
    pool: Vec<String>,
}

impl Buffer {
    fn reset_findings(&mut self) {
        for (s, _) in self.visit.findings.drain(..) {
            self.pool.push(s);
        }
    }

    /// The visit being read is complete: resolve it and let it wait, handing over the one
    /// that waited.
    fn complete(
        &mut self,
        reg: &Registry,
        appeals: &UpheldAppeals,
        on_open: &mut impl FnMut(&Visit),
        on_visit: &mut impl FnMut(&Visit),
    ) {
        self.flush(appeals, on_visit);
        if self.open {
            let v = &mut self.visit;
            let found = reg.compound_and_grade(&v.compound_id, v.date);
            v.compound = found.map(|(i, _)| i);
            v.grade = found.and_then(|(_, g)| g);
            on_open(v);
            std::mem::swap(&mut self.visit, &mut self.ready);
            self.has_ready = true;
            self.open = false;
        }
    }

    /// Hand over the visit waiting, if any.
    fn flush(&mut self, appeals: &UpheldAppeals, on_visit: &mut impl FnMut(&Visit)) {
        if self.has_ready {
            appeals.apply(&mut self.ready);
            on_visit(&self.ready);
            self.has_ready = false;
        }
    }

    fn push_finding(&mut self, item: &str, count: u64) {
        let mut s = self.pool.pop().unwrap_or_default();
        s.clear();
        s.push_str(item);
        self.visit.findings.push((s, count));
    }
}

fn set(dst: &mut String, src: &str) {
    dst.clear();
    dst.push_str(src);
}

/// The fields the reports need from one row, borrowed from the record (all checked as text
/// by [`fast_row`]). The visit's own fields stay bytes: they are only read on a visit's first
/// row, since most rows just add a finding to the visit they follow.
struct Row<'r> {
    visit_id: &'r [u8],
    date: NaiveDate,
    level: Level,
    purpose: Purpose,
    team: &'r [u8],
    inspectors: u32,
    compound_id: &'r [u8],
    item: &'r str,
    count: u64,
    photos: u64,
}

fn digits(b: &[u8]) -> Option<u64> {
    if b.is_empty() || b.len() > 18 || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(b.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0')))
}

/// Parse a row without allocating; `None` sends it to the slow path that words the problem.
/// `prev` is the previous row's date, as written and parsed: rows are sorted by date, so
/// most rows repeat it. `text` says the file so far is UTF-8 (see [`Utf8Watch`]), so every
/// field is text. The note is not read (no report uses it; `check` checks it).
#[inline]
fn fast_row<'r>(rec: &'r csv::ByteRecord, prev: Option<(&[u8], NaiveDate)>, text: bool) -> Option<Row<'r>> {
    if rec.len() != FIELDS {
        return None;
    }
    // Otherwise every field but the note must be text: one UTF-8 check over them (a record
    // stores its fields back to back), and each must start on a character boundary.
    if !text {
        let all = rec.as_slice();
        std::str::from_utf8(all.get(..all.len() - rec.get(FIELDS - 1)?.len())?).ok()?;
        if rec
            .iter()
            .take(FIELDS - 1)
            .any(|f| f.first().is_some_and(|&b| (0x80..0xC0).contains(&b)))
        {
            return None;
        }
    }
    let mut f = rec.iter();
    let visit_id = f.next().filter(|s| !s.is_empty())?;
    let date = f.next()?;
    let date = match prev {
        Some((p, d)) if p == date => d,
        _ => parse_date(std::str::from_utf8(date).ok()?)?,
    };
    let level = match f.next()? {
        b"community" => Level::Community,
        b"street" => Level::Street,
        b"district" => Level::District,
        b"third_party" => Level::ThirdParty,
        _ => return None,
    };
    let purpose = match f.next()? {
        b"routine" => Purpose::Routine,
        b"recheck" => Purpose::Recheck,
        _ => return None,
    };
    let team = f.next()?;
    let inspectors = digits(f.next()?)
        .filter(|&n| n >= 1)
        .and_then(|n| u32::try_from(n).ok())?;
    let compound_id = f.next().filter(|s| !s.is_empty())?;
    let item = std::str::from_utf8(f.next()?).ok()?;
    let count = digits(f.next()?).filter(|&n| n <= MAX_PER_ROW)?;
    let photos = digits(f.next()?).filter(|&n| n <= MAX_PER_ROW)?;
    if item.is_empty() != (count == 0) {
        return None;
    }
    Some(Row {
        visit_id,
        date,
        level,
        purpose,
        team,
        inspectors,
        compound_id,
        item,
        count,
        photos,
    })
}

/// Stream one month file's visits, upheld appeals applied. Returns the file's SHA-256 if
/// [`Sources::hash`] asked for it.
pub fn scan_file(
    src: &Sources<'_>,
    file: &MonthFile,
    diags: &mut Diagnostics,
    mut on_open: impl FnMut(&Visit),
    mut on_visit: impl FnMut(&Visit),
) -> Result<Option<String>> {
    let (appeals, reg) = (src.appeals, src.registry);
    let path = src.ws.path(&file.rel);
    let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut hashing = if src.hash {
        HashingReader::new(f)
    } else {
        HashingReader::unhashed(f)
    };
    let text = Cell::new(true);
    {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .buffer_capacity(1 << 16)
            .from_reader(Utf8Watch::new(&mut hashing, &text));
        let mut rec = csv::ByteRecord::new();
        let header_ok = match rdr.read_byte_record(&mut rec) {
            Ok(true) => {
                let h: Vec<&[u8]> = rec.iter().collect();
                let first = h.first().map(|c| c.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(c));
                h.len() == STORE_HEADER.len()
                    && first == Some(b"visit_id".as_slice())
                    && h[1..].iter().zip(&STORE_HEADER[1..]).all(|(a, b)| *a == b.as_bytes())
            }
            Ok(false) => false,
            Err(e) => {
                diags.error(&file.rel, Some(1), csv_problem(&e));
                return Ok(None);
            }
        };
        if !header_ok {
            diags.error(
                &file.rel,
                Some(1),
                format!(
                    "wrong header: expected exactly {} (run `oldestate check`)",
                    STORE_HEADER.join(",")
                ),
            );
            return Ok(None);
        }
        let empty = Visit {
            id: String::new(),
            date: NaiveDate::MIN,
            level: Level::Community,
            purpose: Purpose::Routine,
            team: String::new(),
            inspectors: 1,
            compound_id: String::new(),
            compound: None,
            grade: None,
            findings: Vec::new(),
            photos: 0,
            file: file.rel.clone(),
            line: 0,
        };
        let mut b = Buffer {
            visit: empty.clone(),
            open: false,
            ready: empty,
            has_ready: false,
            pool: Vec::new(),
        };
        // The previous good row and its date, for the order check and the date cache.
        let mut prev = csv::ByteRecord::new();
        let mut prev_date: Option<NaiveDate> = None;
        loop {
            match rdr.read_byte_record(&mut rec) {
                Ok(false) => break,
                Err(e) => {
                    diags.error(&file.rel, e.position().map(|p| p.line()), csv_problem(&e));
                    if !matches!(
                        e.kind(),
                        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                    ) {
                        break;
                    }
                }
                Ok(true) => {
                    let line = rec.position().map_or(0, |p| p.line());
                    let prev_day = prev_date.and_then(|d| Some((prev.get(1)?, d)));
                    let Some(row) = fast_row(&rec, prev_day, text.get()) else {
                        slow_problems(&rec, &file.rel, line, diags);
                        continue;
                    };
                    // (The previous good row's day is in the month already.)
                    if prev_date != Some(row.date) && Period::containing(row.date, Span::Month) != file.month {
                        diags.error(
                            &file.rel,
                            Some(line),
                            format!(
                                "visit {} is dated {} but this file holds {} (run `oldestate check`)",
                                String::from_utf8_lossy(row.visit_id),
                                row.date,
                                file.month
                            ),
                        );
                        continue;
                    }
                    // The previous good row belongs to the open visit, so one comparison of
                    // visit ids serves both the order check and the grouping.
                    let same_visit = b.open && b.visit.id.as_bytes() == row.visit_id;
                    if let Some(pd) = prev_date {
                        let in_order = match row.date.cmp(&pd) {
                            std::cmp::Ordering::Greater => true,
                            std::cmp::Ordering::Less => false,
                            std::cmp::Ordering::Equal if same_visit => row.item.as_bytes() > prev.get(7).unwrap_or(b""),
                            std::cmp::Ordering::Equal => row.visit_id > prev.get(0).unwrap_or(b""),
                        };
                        if !in_order {
                            diags.error(&file.rel, Some(line), "rows out of order or repeated: the store must be sorted by (date, visit_id, item); run `oldestate check`");
                        }
                    }
                    let date = row.date;
                    if same_visit {
                        if !row.item.is_empty() {
                            b.push_finding(row.item, row.count);
                        }
                        b.visit.photos += row.photos;
                    } else {
                        // Checked as text by `fast_row` already: this cannot fail.
                        let text = std::str::from_utf8;
                        let (Ok(id), Ok(team), Ok(compound_id)) =
                            (text(row.visit_id), text(row.team), text(row.compound_id))
                        else {
                            slow_problems(&rec, &file.rel, line, diags);
                            continue;
                        };
                        b.complete(reg, appeals, &mut on_open, &mut on_visit);
                        b.reset_findings();
                        b.open = true;
                        let v = &mut b.visit;
                        set(&mut v.id, id);
                        v.date = row.date;
                        v.level = row.level;
                        v.purpose = row.purpose;
                        set(&mut v.team, team);
                        v.inspectors = row.inspectors;
                        set(&mut v.compound_id, compound_id);
                        reg.prefetch_compound(row.compound_id);
                        v.photos = row.photos;
                        v.line = line;
                        if !row.item.is_empty() {
                            b.push_finding(row.item, row.count);
                        }
                    }
                    std::mem::swap(&mut rec, &mut prev);
                    prev_date = Some(date);
                }
            }
        }
        b.complete(reg, appeals, &mut on_open, &mut on_visit);
        b.flush(appeals, &mut on_visit);
    }
    if src.hash {
        // The rest of a file whose reading stopped early (a damaged CSV structure).
        std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
    }
    Ok(hashing.digest())
}

/// Word the problems of a row the fast path refused, as `check` would.
fn slow_problems(rec: &csv::ByteRecord, rel: &str, line: u64, diags: &mut Diagnostics) {
    match csv::StringRecord::from_byte_record(rec.clone()) {
        Err(_) => diags.error(
            rel,
            Some(line),
            "not valid UTF-8: the store is UTF-8 (run `oldestate check`)",
        ),
        Ok(s) => match parse_finding(&s) {
            Err(problems) => {
                for p in problems {
                    diags.error(rel, Some(line), p);
                }
            }
            Ok(_) => diags.error(rel, Some(line), "a row this tool cannot read (run `oldestate check`)"),
        },
    }
}
