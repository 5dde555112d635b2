//! The hot path: streaming the store's visits for reports. Rows are read as byte records into
//! one reused visit buffer (no allocation per row once warm), month files are shared between
//! the machine's cores (each thread takes the next file not yet taken), and the threads'
//! results are merged in thread order; every accumulator is order-free (sums, sets, lists sorted
//! at the end), so the output does not depend on the number of threads or on which took what.

use std::cell::Cell;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

use chrono::NaiveDate;
use rust_i18n::t;

use crate::domain::as_of::AsOf;
use crate::domain::visit::{UpheldAppeals, Visit};
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::STORE_HEADER;
use crate::model::registry::Registry;
use crate::model::{Level, Period, Purpose, Span};

use crate::workspace::provenance::HashingReader;
use crate::workspace::store::{header_ok, parse_finding, read_row, read_row_tail, MonthFile, RowFields, StoreRow};
use crate::workspace::{csv_problem, Workspace};

use super::store_rows::{Cut, Next, StoreRows, HEAD};
use super::utf8_watch::Utf8Watch;

/// Fields of a store row; the note is the last.
pub(crate) const FIELDS: usize = STORE_HEADER.len();

/// What a scan reads besides the month files: where they are, the day the report stands on,
/// the upheld appeals to apply, and the registry to resolve each visit's compound and service
/// grade against; and whether to hash the files as they stream.
pub struct Sources<'a> {
    /// The workspace holding the store.
    pub ws: &'a Workspace,
    /// The report's as-of date: a visit dated after it is not handed over (DESIGN §14).
    pub as_of: AsOf,
    /// Appeals upheld, applied to each visit's counts.
    pub appeals: &'a UpheldAppeals,
    /// The registry each visit's compound and service grade are resolved against.
    pub registry: &'a Registry,
    /// Whether to hash each file as it streams (for a JSON report's provenance).
    pub hash: bool,
}

/// What one month file gave: its problems and, if hashed, its SHA-256.
pub struct FileScan {
    /// The file scanned.
    pub file: MonthFile,
    /// Its SHA-256, when the scan hashed.
    pub sha256: Option<String>,
    /// Its problems.
    pub diags: Diagnostics,
}

/// Scan `files` on up to `threads` threads. Each thread fills one `T` from `init` with the
/// visits of the files it takes, in store order within a file; the callers' accumulators are
/// order-free (sums, sets, sorted lists), so merging the threads' `T`s gives the same result
/// whatever the split. Per-file results come back in file order; `done` is told of each file
/// as it is finished (a progress bar).
pub fn scan_files<T: Send>(
    src: &Sources<'_>,
    files: &[MonthFile],
    threads: usize,
    init: impl Fn() -> T + Sync,
    visit: impl Fn(&mut T, &Visit) + Sync,
    done: impl Fn(&MonthFile) + Sync,
) -> Result<(Vec<T>, Vec<FileScan>)> {
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<Option<Result<FileScan>>>> = Mutex::new((0..files.len()).map(|_| None).collect());
    let work = || {
        let mut value = init();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some(file) = files.get(i) else { break };
            let mut diags = Diagnostics::new();
            let r = scan_file(src, file, &mut diags, |v| visit(&mut value, v)).map(|sha256| FileScan {
                file: file.clone(),
                sha256,
                diags,
            });
            done(file);
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
        return Err(Error::msg(t!("store.scan_panicked")));
    }
    let all = results
        .into_inner()
        .map_err(|_| Error::msg(t!("store.scan_panicked")))?;
    let scans = all
        .into_iter()
        .map(|r| r.unwrap_or_else(|| Err(Error::msg(t!("store.not_scanned")))))
        .collect::<Result<_>>()?;
    Ok((values, scans))
}

/// Worker threads for scanning: the machine's cores, at most 8.
pub fn default_threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get().min(8))
}

/// The visit being read, with spare strings for reuse. The compound lookup is a random access
/// into a table much larger than the cache, so its slot is fetched when the visit's first row
/// is read ([`Registry::prefetch_compound`]) and read when the visit is complete, after its
/// other rows. Visits are handed over one at a time in store order.
struct Buffer {
    /// The visit being read.
    visit: Visit,
    open: bool,
    pool: Vec<String>,
}

impl Buffer {
    fn reset_findings(&mut self) {
        for (s, _) in self.visit.findings.drain(..) {
            self.pool.push(s);
        }
    }

    /// The visit being read is complete: unless it is dated after the as-of date, resolve it,
    /// apply the upheld appeals and hand it over.
    fn complete(&mut self, src: (&Registry, &UpheldAppeals, AsOf), on_visit: &mut impl FnMut(&Visit)) {
        let (reg, appeals, as_of) = src;
        if self.open && !as_of.knows(self.visit.date) {
            self.open = false;
        }
        if self.open {
            let v = &mut self.visit;
            let found = reg.compound_and_grade(&v.compound_id, v.date);
            v.compound = found.map(|(i, _)| i);
            v.grade = found.and_then(|(_, g)| g);
            appeals.apply(v);
            on_visit(v);
            self.open = false;
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

fn set_bytes(dst: &mut Vec<u8>, src: &[u8]) {
    dst.clear();
    dst.extend_from_slice(src);
}

/// The previous good row: for the order check, the grouping into visits and the date cache.
#[derive(Default)]
struct Prev {
    visit_id: Vec<u8>,
    date_text: Vec<u8>,
    date: Option<NaiveDate>,
    item: ItemKey,
}

/// An item code as a key ordered as its bytes are, kept in one word when it fits (every code
/// of the standards does: `A01`), so that the order check of a visit's rows compares two
/// words rather than calling `memcmp`.
#[derive(Default)]
struct ItemKey {
    /// The first eight bytes, big-endian, padded with zeros.
    word: u64,
    len: usize,
    /// The bytes, when longer than eight.
    long: Vec<u8>,
}

impl ItemKey {
    fn word(b: &[u8]) -> u64 {
        b.iter()
            .take(8)
            .enumerate()
            .fold(0, |w, (i, &c)| w | u64::from(c) << (56 - 8 * i))
    }

    fn set(&mut self, b: &[u8]) {
        self.word = ItemKey::word(b);
        self.len = b.len();
        if b.len() > 8 {
            set_bytes(&mut self.long, b);
        }
    }

    /// Whether `b` comes after this key's bytes (`b > key` as byte strings).
    #[inline(always)]
    fn is_before(&self, b: &[u8]) -> bool {
        if b.len() <= 8 && self.len <= 8 {
            // Equal padded words: one is the other with zeros after it, the longer later.
            (ItemKey::word(b), b.len()) > (self.word, self.len)
        } else if self.len <= 8 {
            b > &self.word.to_be_bytes()[..self.len]
        } else {
            b > self.long.as_slice()
        }
    }
}

/// One month file's scan in progress, whichever reader its rows come from.
struct FileScanner<'s, V> {
    file: &'s MonthFile,
    reg: &'s Registry,
    appeals: &'s UpheldAppeals,
    as_of: AsOf,
    b: Buffer,
    prev: Prev,
    on_visit: V,
}

impl<V: FnMut(&Visit)> FileScanner<'_, V> {
    /// Read a row by the store's rule, or `None` for the careful reader to word its problems.
    /// `text` says every field is known to be text already (the store reader's buffer checked,
    /// or the file so far, see [`Utf8Watch`]), so none is checked again. The
    /// note is not read (no report uses it; `check` checks it).
    #[inline]
    fn fast_row<'r>(&self, f: &RowFields<'r>, text: bool) -> Option<StoreRow<'r>> {
        if !text && f.iter().any(|f| std::str::from_utf8(f).is_err()) {
            return None;
        }
        let prev_day = self.prev.date.map(|d| (self.prev.date_text.as_slice(), d));
        read_row(f, prev_day, None)
    }

    /// Take a row [`FileScanner::fast_row`] read, on line `line`. `false` when the row was
    /// left out (dated outside the file's month; or a field not text, which `fast_row` has
    /// ruled out already): the previous good row is still the one
    /// before it. `same` says the caller knows the row repeats the previous good row's visit
    /// id and date (the row repeats its head, [`scan_store`]), so the open visit is its own.
    ///
    /// `texts` gives the row's visit id, team and compound id as text (they are read as text
    /// only when the row opens a visit), `None` when one is not UTF-8.
    fn take<'r>(
        &mut self,
        row: &StoreRow<'r>,
        line: u64,
        same: bool,
        texts: impl FnOnce() -> Option<(&'r str, &'r str, &'r str)>,
        diags: &mut Diagnostics,
    ) -> bool {
        let rel = &self.file.rel;
        let prev = &mut self.prev;
        // (The previous good row's day is in the month already.)
        if prev.date != Some(row.date) && Period::containing(row.date, Span::Month) != self.file.month {
            diags.error(
                rel,
                Some(line),
                t!("store.row_in_wrong_month", visit => String::from_utf8_lossy(row.visit_id), date => row.date,
                    month => self.file.month),
            );
            return false;
        }
        let b = &mut self.b;
        // The previous good row belongs to the open visit, so one comparison of visit ids
        // serves both the order check and the grouping.
        debug_assert!(!same || (b.open && b.visit.id.as_bytes() == row.visit_id && prev.date == Some(row.date)));
        let same_visit = same || b.open && b.visit.id.as_bytes() == row.visit_id;
        if let Some(pd) = prev.date {
            let in_order = match row.date.cmp(&pd) {
                std::cmp::Ordering::Greater => true,
                std::cmp::Ordering::Less => false,
                std::cmp::Ordering::Equal if same_visit => prev.item.is_before(row.item.as_bytes()),
                std::cmp::Ordering::Equal => row.visit_id > prev.visit_id.as_slice(),
            };
            if !in_order {
                diags.error(rel, Some(line), t!("store.out_of_order"));
            }
        }
        if same_visit {
            if !row.item.is_empty() {
                b.push_finding(row.item, row.count);
            }
            b.visit.photos += row.photos;
        } else {
            // Checked as text by `fast_row` already: this cannot fail.
            let Some((id, team, compound_id)) = texts() else {
                return false;
            };
            b.complete((self.reg, self.appeals, self.as_of), &mut self.on_visit);
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
            self.reg.prefetch_compound(row.compound_id);
            v.photos = row.photos;
            v.line = line;
            if !row.item.is_empty() {
                b.push_finding(row.item, row.count);
            }
            set_bytes(&mut prev.visit_id, row.visit_id);
        }
        if prev.date != Some(row.date) {
            set_bytes(&mut prev.date_text, row.date_text);
            prev.date = Some(row.date);
        }
        prev.item.set(row.item.as_bytes());
        true
    }

    /// Hand over the last visit.
    fn finish(&mut self) {
        self.b
            .complete((self.reg, self.appeals, self.as_of), &mut self.on_visit);
    }
}

/// The parsed head (date, level, purpose, inspectors) of the last row taken, whose fields a
/// row repeating its head's bytes has too.
#[derive(Clone, Copy)]
struct Head {
    date: NaiveDate,
    level: Level,
    purpose: Purpose,
    inspectors: u32,
}

impl Head {
    /// The row `rec`, cut by `cut`, that repeats this head: its own item, count and photos by
    /// [`read_row`]'s rules, the rest the head's (equal bytes, equal fields).
    #[inline(always)]
    fn row<'r>(&self, rec: &'r [u8], cut: &Cut) -> Option<StoreRow<'r>> {
        let (item, count, photos) = read_row_tail(cut.field(rec, 7), cut.field(rec, 8), cut.field(rec, 9))?;
        Some(StoreRow {
            visit_id: cut.field(rec, 0),
            date_text: cut.field(rec, 1),
            date: self.date,
            level: self.level,
            purpose: self.purpose,
            team: cut.field(rec, 4),
            inspectors: self.inspectors,
            compound_id: cut.field(rec, 6),
            item,
            count,
            photos,
        })
    }
}

/// A row's visit id, team and compound id as text, each checked on its own.
fn field_texts<'r>(fields: (&'r [u8], &'r [u8], &'r [u8])) -> Option<(&'r str, &'r str, &'r str)> {
    let text = |b: &'r [u8]| std::str::from_utf8(b).ok();
    Some((text(fields.0)?, text(fields.1)?, text(fields.2)?))
}

/// [`field_texts`] of a row [`StoreRows`] cut: the record's first seven fields are checked as
/// text in one go (three checks of short fields cost more than one of the bytes around them)
/// and the three cut out of it where [`Cut::field`] cuts them. Should the head not be text
/// where those three are (it cannot: the other four read as ASCII by the row's rules), each is
/// checked on its own.
fn head_texts<'r>(rec: &'r [u8], cut: &Cut) -> Option<(&'r str, &'r str, &'r str)> {
    let one = |head: &'r str| {
        Some((
            cut.text_field(head, 0)?,
            cut.text_field(head, 4)?,
            cut.text_field(head, 6)?,
        ))
    };
    // (simdutf8: a head's team is often CJK, where core's check goes byte by byte.)
    let whole = rec
        .get(..cut.head_len())
        .and_then(|h| simdutf8::basic::from_utf8(h).ok());
    whole.and_then(one).or_else(|| {
        let text = |i: usize| std::str::from_utf8(cut.field(rec, i)).ok();
        Some((text(0)?, text(4)?, text(6)?))
    })
}

/// Read as many rows as [`StoreRows`] hands over plain and [`read_row`] reads, on their lines.
/// Returns how many data rows it took, or `None` when it took them all.
fn scan_store<R: std::io::Read, V: FnMut(&Visit)>(
    rows: &mut StoreRows<R>,
    s: &mut FileScanner<'_, V>,
    diags: &mut Diagnostics,
) -> Option<u64> {
    let (mut line, mut taken) = (2u64, 0u64);
    // The last row taken's head bytes and commas, and its fields read, while it is the
    // scanner's previous good row (so a row repeating it is in the same visit and day).
    let (mut head_bytes, mut head_commas, mut head) = (Vec::new(), [0u32; HEAD], None::<Head>);
    let mut cut = Cut::default();
    loop {
        let given = head.is_some().then_some((head_bytes.as_slice(), &head_commas));
        let at = match rows.next(given, &mut cut) {
            Next::Record(at) => at,
            Next::End => return None,
            Next::Stop => return Some(taken),
        };
        let rec = &rows.bytes()[at..at + cut.len as usize];
        let row = match head {
            Some(h) if cut.same_head => h.row(rec, &cut),
            _ => {
                let f: RowFields<'_> = std::array::from_fn(|i| cut.field(rec, i));
                s.fast_row(&f, rows.is_text(at, rec.len()))
            }
        };
        // (Taken where it was made: moving a row just made stalls the same way a returned
        // cut did.)
        let Some(row) = &row else {
            return Some(taken);
        };
        if !s.take(
            row,
            line,
            cut.same_head && head.is_some(),
            || head_texts(rec, &cut),
            diags,
        ) {
            head = None;
        } else if !cut.same_head || head.is_none() {
            head_bytes.clear();
            head_bytes.extend_from_slice(&rec[..cut.head_len()]);
            head_commas.copy_from_slice(&cut.commas[..HEAD]);
            head = Some(Head {
                date: row.date,
                level: row.level,
                purpose: row.purpose,
                inspectors: row.inspectors,
            });
        }
        line += 1 + u64::from(cut.breaks);
        taken += 1;
    }
}

/// Read the rows of `path` after its header and the first `skip` data rows with the csv
/// crate, wording the problems of any row the fast path refuses.
fn scan_careful<V: FnMut(&Visit)>(
    path: &std::path::Path,
    skip: u64,
    s: &mut FileScanner<'_, V>,
    diags: &mut Diagnostics,
) -> Result<()> {
    let rel = &s.file.rel;
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let text = Cell::new(true);
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .buffer_capacity(1 << 16)
        .from_reader(Utf8Watch::new(f, &text));
    let mut rec = csv::ByteRecord::new();
    match rdr.read_byte_record(&mut rec) {
        Ok(true) if header_ok(rec.iter()) => {}
        Ok(_) => {
            diags.error(
                rel,
                Some(1),
                t!("store.wrong_header_run_check", expected => STORE_HEADER.join(",")),
            );
            return Ok(());
        }
        Err(e) => {
            diags.error(rel, Some(1), csv_problem(&e));
            return Ok(());
        }
    }
    for _ in 0..skip {
        // Read already, by `scan_store`.
        if !rdr.read_byte_record(&mut rec).unwrap_or(false) {
            return Err(Error::msg(t!("store.changed_while_read", file => rel)));
        }
    }
    loop {
        match rdr.read_byte_record(&mut rec) {
            Ok(false) => break,
            Err(e) => {
                if !crate::workspace::store::row_error(&e, rel, diags) {
                    break;
                }
            }
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                let mut f: RowFields<'_> = [&[]; FIELDS - 1];
                for (slot, v) in f.iter_mut().zip(rec.iter()) {
                    *slot = v;
                }
                let row = if rec.len() == FIELDS {
                    s.fast_row(&f, text.get())
                } else {
                    None
                };
                match row {
                    Some(row) => {
                        let texts = (row.visit_id, row.team, row.compound_id);
                        s.take(&row, line, false, || field_texts(texts), diags);
                    }
                    None => slow_problems(&rec, rel, line, diags),
                }
            }
        }
    }
    Ok(())
}

/// Stream one month file's visits, upheld appeals applied. Returns the file's SHA-256 if
/// [`Sources::hash`] asked for it.
///
/// Rows are split by [`StoreRows`], a reader made for the store's own shape, for as long as
/// each record is plain and its row well formed; from the first other record on (a damaged
/// row, a blank line, a `\r`, a quote outside the note), the file is read on by the csv
/// crate, whose reading, line numbers and messages are the contract.
pub fn scan_file(
    src: &Sources<'_>,
    file: &MonthFile,
    diags: &mut Diagnostics,
    on_visit: impl FnMut(&Visit),
) -> Result<Option<String>> {
    let path = src.ws.path(&file.rel);
    let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut hashing = if src.hash {
        HashingReader::new(f)
    } else {
        HashingReader::unhashed(f)
    };
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
    let mut s = FileScanner {
        file,
        reg: src.registry,
        appeals: src.appeals,
        as_of: src.as_of,
        b: Buffer {
            visit: empty,
            open: false,
            pool: Vec::new(),
        },
        prev: Prev::default(),
        on_visit,
    };
    let stopped = match StoreRows::new(&mut hashing) {
        Some(mut rows) => scan_store(&mut rows, &mut s, diags),
        // (Not the header line exactly: the careful reader reads the file from its start.)
        None => Some(0),
    };
    if let Some(skip) = stopped {
        scan_careful(&path, skip, &mut s, diags)?;
    }
    s.finish();
    if src.hash {
        // The rest of a file the fast reader left early.
        std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
    }
    Ok(hashing.digest())
}

/// Word the problems of a row the fast path refused, as `check` would.
fn slow_problems(rec: &csv::ByteRecord, rel: &str, line: u64, diags: &mut Diagnostics) {
    match csv::StringRecord::from_byte_record(rec.clone()) {
        Err(_) => diags.error(rel, Some(line), t!("store.not_utf8")),
        Ok(s) => match parse_finding(&s) {
            Err(problems) => {
                for p in problems {
                    diags.error(rel, Some(line), p);
                }
            }
            Ok(_) => diags.error(rel, Some(line), t!("store.unreadable_row")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The item key orders codes as their bytes do: short and long, zero bytes included,
        /// one the prefix of the other.
        #[test]
        fn item_key_orders_as_bytes(a in prop::collection::vec(prop_oneof![Just(0u8), Just(b'A'), Just(b'0'), any::<u8>()], 0..12), b in prop::collection::vec(prop_oneof![Just(0u8), Just(b'A'), Just(b'0'), any::<u8>()], 0..12), cut in 0usize..12) {
            let mut key = ItemKey::default();
            key.set(&a);
            prop_assert_eq!(key.is_before(&b), b.as_slice() > a.as_slice());
            let prefix = &a[..cut.min(a.len())];
            prop_assert_eq!(key.is_before(prefix), prefix > a.as_slice());
            // A key set again forgets what it held.
            key.set(&b);
            prop_assert_eq!(key.is_before(&a), a.as_slice() > b.as_slice());
        }
    }

    /// The first record of `data` after the store's header, as the store reader cuts it.
    fn first_record(data: &[u8]) -> (Vec<u8>, Cut) {
        let mut rdr = StoreRows::new(data).unwrap();
        let mut cut = Cut::default();
        let Next::Record(at) = rdr.next(None, &mut cut) else {
            panic!("no record")
        };
        (rdr.bytes()[at..at + cut.len as usize].to_vec(), cut)
    }

    /// The visit id, team and compound id read in one check of the head are those read one by
    /// one: text (CJK too) when they are, `None` when one is not UTF-8.
    #[test]
    fn head_texts_are_the_fields_texts() {
        let header = STORE_HEADER.join(",");
        let good = format!("{header}\nV1,2026-06-01,community,routine,社区组1,1,P1,A01,1,0,备注\n");
        let (rec, cut) = first_record(good.as_bytes());
        assert_eq!(head_texts(&rec, &cut), Some(("V1", "社区组1", "P1")));
        let fields = (cut.field(&rec, 0), cut.field(&rec, 4), cut.field(&rec, 6));
        assert_eq!(head_texts(&rec, &cut), field_texts(fields));
        // A byte that is not UTF-8 in the visit id, the team or the compound id.
        for field in ["V1,", "组1,", "P1,"] {
            let mut data = good.clone().into_bytes();
            let at = good.find(field).unwrap();
            data[at] = 0x80;
            let (rec, cut) = first_record(&data);
            let fields = (cut.field(&rec, 0), cut.field(&rec, 4), cut.field(&rec, 6));
            assert_eq!(head_texts(&rec, &cut), None, "{field}");
            assert_eq!(field_texts(fields), None, "{field}");
        }
    }
}
