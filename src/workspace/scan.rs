//! The hot path: streaming the store's visits for reports. Rows are read as byte records into
//! one reused visit buffer (no allocation per row once warm), month files are shared between
//! the machine's cores, and each worker's results are merged in month order, so the output does
//! not depend on the number of threads.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;

use crate::domain::visit::{UpheldAppeals, Visit};
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::{MAX_PER_ROW, STORE_HEADER};
use crate::model::{parse_date, Level, Period, Purpose, Span};

use super::provenance::HashingReader;
use super::store::{parse_finding, MonthFile};
use super::table::csv_problem;
use super::Workspace;

/// What one month file gave: its problems and its SHA-256.
pub struct FileScan {
    pub file: MonthFile,
    pub sha256: String,
    pub diags: Diagnostics,
}

/// Scan `files` on up to `threads` threads. Each thread fills one `T` from `init` with the
/// visits of the files it takes, in store order within a file; the callers' accumulators are
/// order-free (sums, sets, sorted lists), so merging the threads' `T`s gives the same result
/// whatever the split. Per-file results come back in file order.
pub fn scan_files<T: Send>(
    ws: &Workspace,
    files: &[MonthFile],
    appeals: &UpheldAppeals,
    threads: usize,
    init: impl Fn() -> T + Sync,
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
            let r = scan_file(ws, file, appeals, &mut diags, |v| visit(&mut value, v)).map(|sha256| FileScan {
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

/// The visit being assembled, with spare strings for reuse.
struct Buffer {
    visit: Visit,
    open: bool,
    pool: Vec<String>,
    prev: (NaiveDate, String, String),
    first: bool,
}

impl Buffer {
    fn reset_findings(&mut self) {
        for (s, _) in self.visit.findings.drain(..) {
            self.pool.push(s);
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

/// The fields the reports need from one row, borrowed from the record.
struct Row<'r> {
    visit_id: &'r str,
    date: NaiveDate,
    level: Level,
    purpose: Purpose,
    team: &'r str,
    inspectors: u32,
    compound_id: &'r str,
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
fn fast_row(rec: &csv::ByteRecord) -> Option<Row<'_>> {
    if rec.len() != STORE_HEADER.len() {
        return None;
    }
    let text = |i: usize| std::str::from_utf8(rec.get(i)?).ok();
    let level = match rec.get(2)? {
        b"community" => Level::Community,
        b"street" => Level::Street,
        b"district" => Level::District,
        b"third_party" => Level::ThirdParty,
        _ => return None,
    };
    let purpose = match rec.get(3)? {
        b"routine" => Purpose::Routine,
        b"recheck" => Purpose::Recheck,
        _ => return None,
    };
    let row = Row {
        visit_id: text(0).filter(|s| !s.is_empty())?,
        date: parse_date(text(1)?)?,
        level,
        purpose,
        team: text(4)?,
        inspectors: digits(rec.get(5)?)
            .filter(|&n| n >= 1)
            .and_then(|n| u32::try_from(n).ok())?,
        compound_id: text(6).filter(|s| !s.is_empty())?,
        item: text(7)?,
        count: digits(rec.get(8)?).filter(|&n| n <= MAX_PER_ROW)?,
        photos: digits(rec.get(9)?).filter(|&n| n <= MAX_PER_ROW)?,
    };
    // The note is not needed, but a row must still be text.
    text(10)?;
    if row.item.is_empty() != (row.count == 0) {
        return None;
    }
    Some(row)
}

/// Stream one month file's visits, upheld appeals applied. Returns the file's SHA-256.
pub fn scan_file(
    ws: &Workspace,
    file: &MonthFile,
    appeals: &UpheldAppeals,
    diags: &mut Diagnostics,
    mut on_visit: impl FnMut(&Visit),
) -> Result<String> {
    let path = ws.path(&file.rel);
    let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut hashing = HashingReader::new(f);
    {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .buffer_capacity(1 << 16)
            .from_reader(&mut hashing);
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
                return Ok(String::new());
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
            return Ok(String::new());
        }
        let mut b = Buffer {
            visit: Visit {
                id: String::new(),
                date: NaiveDate::MIN,
                level: Level::Community,
                purpose: Purpose::Routine,
                team: String::new(),
                inspectors: 1,
                compound_id: String::new(),
                findings: Vec::new(),
                photos: 0,
                file: file.rel.clone(),
                line: 0,
            },
            open: false,
            pool: Vec::new(),
            prev: (NaiveDate::MIN, String::new(), String::new()),
            first: true,
        };
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
                    let Some(row) = fast_row(&rec) else {
                        slow_problems(&rec, &file.rel, line, diags);
                        continue;
                    };
                    if Period::containing(row.date, Span::Month) != file.month {
                        diags.error(
                            &file.rel,
                            Some(line),
                            format!(
                                "visit {} is dated {} but this file holds {} (run `oldestate check`)",
                                row.visit_id, row.date, file.month
                            ),
                        );
                        continue;
                    }
                    let key = (row.date, row.visit_id, row.item);
                    if !b.first && (key.0, key.1, key.2) <= (b.prev.0, b.prev.1.as_str(), b.prev.2.as_str()) {
                        diags.error(&file.rel, Some(line), "rows out of order or repeated: the store must be sorted by (date, visit_id, item); run `oldestate check`");
                    }
                    b.first = false;
                    b.prev.0 = row.date;
                    set(&mut b.prev.1, row.visit_id);
                    set(&mut b.prev.2, row.item);
                    if b.open && b.visit.id == row.visit_id {
                        if !row.item.is_empty() {
                            b.push_finding(row.item, row.count);
                        }
                        b.visit.photos += row.photos;
                        continue;
                    }
                    if b.open {
                        appeals.apply(&mut b.visit);
                        on_visit(&b.visit);
                    }
                    b.reset_findings();
                    b.open = true;
                    let v = &mut b.visit;
                    set(&mut v.id, row.visit_id);
                    v.date = row.date;
                    v.level = row.level;
                    v.purpose = row.purpose;
                    set(&mut v.team, row.team);
                    v.inspectors = row.inspectors;
                    set(&mut v.compound_id, row.compound_id);
                    v.photos = row.photos;
                    v.line = line;
                    if !row.item.is_empty() {
                        b.push_finding(row.item, row.count);
                    }
                }
            }
        }
        if b.open {
            appeals.apply(&mut b.visit);
            on_visit(&b.visit);
        }
    }
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
    Ok(hashing.finish())
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
