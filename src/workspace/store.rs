//! The canonical findings store, `data/inspections/YYYY/YYYY-MM.csv` (DESIGN §4): listing its
//! month files and streaming their rows one at a time, so memory does not grow with rows.

use std::io::Read;

use crate::error::{Diagnostics, Error, Result};
use chrono::NaiveDate;
use rust_i18n::t;

use crate::model::records::{Finding, MAX_PER_ROW, STORE_HEADER};
use crate::model::{parse_date_bytes, Level, Period, Purpose};

use super::provenance::HashingReader;
use super::table::csv_problem;
use super::{list_dir, Workspace};

/// A month file of the store.
#[derive(Debug, Clone)]
pub struct MonthFile {
    /// The month the file holds.
    pub month: Period,
    /// Workspace-relative path.
    pub rel: String,
}

/// Workspace-relative path of a month's file.
pub fn month_path(month: &Period) -> String {
    format!("data/inspections/{:04}/{month}.csv", month.year())
}

/// Every month file of the store, oldest first. Files that do not follow the layout are
/// reported as warnings and ignored.
pub fn month_files(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<MonthFile>> {
    let mut out = Vec::new();
    for year in list_dir(&ws.path("data/inspections"))? {
        let dir = ws.path(&format!("data/inspections/{year}"));
        if !dir.is_dir() {
            diags.warning(
                &format!("data/inspections/{year}"),
                None,
                t!("store.ignored_not_a_year"),
            );
            continue;
        }
        for name in list_dir(&dir)? {
            if super::transaction::is_temporary(&name) {
                // A killed import's leftover: `check` reports it with its fix.
                continue;
            }
            let rel = format!("data/inspections/{year}/{name}");
            let month = name.strip_suffix(".csv").and_then(|m| m.parse::<Period>().ok());
            match month {
                Some(m) if m.span() == crate::model::Span::Month && m.to_string()[..4] == year => {
                    out.push(MonthFile { month: m, rel });
                }
                _ => diags.warning(&rel, None, t!("store.ignored_not_a_month", year => year)),
            }
        }
    }
    out.sort_by_key(|f| f.month);
    Ok(out)
}

/// The month files that hold a period's visits.
pub fn files_for(ws: &Workspace, period: &Period, diags: &mut Diagnostics) -> Result<Vec<MonthFile>> {
    Ok(month_files(ws, diags)?
        .into_iter()
        .filter(|f| period.covers(&f.month))
        .collect())
}

/// The month files from the month of `first` to the end of the store.
pub fn files_from(ws: &Workspace, first: chrono::NaiveDate, diags: &mut Diagnostics) -> Result<Vec<MonthFile>> {
    let first = Period::containing(first, crate::model::Span::Month);
    Ok(month_files(ws, diags)?
        .into_iter()
        .filter(|f| f.month >= first)
        .collect())
}

/// The date of the newest visit in the store, the default as-of date of a report (DESIGN
/// §14): the latest date in the newest month file that has rows (month files hold their
/// month's visits, so no older file can hold a later one). `None` for an empty store. A date
/// that does not read is passed over: `check` words it, and a report reading its file refuses
/// it.
pub fn newest_visit(ws: &Workspace) -> Result<Option<NaiveDate>> {
    // Oddly named files are warnings for `check`; reports leave them out.
    let files = month_files(ws, &mut Diagnostics::new())?;
    for f in files.iter().rev() {
        let open = || {
            let path = ws.path(&f.rel);
            std::fs::File::open(&path).map_err(|e| Error::io(&path, e))
        };
        let quick = latest_date_split(open()?, f.month);
        let fast = match quick {
            Some(latest) => Some(latest),
            None => latest_date_fast(open()?, f.month),
        };
        let latest = match fast {
            Some(latest) => latest,
            None => latest_date_careful(ws, f)?,
        };
        if latest.is_some() {
            return Ok(latest);
        }
    }
    Ok(None)
}

/// [`latest_date_fast`]'s answer, read without finding every field of every record: simd-csv's
/// splitter gives each record (the same records: one state machine splits them), and the date
/// is the text between its first two commas when no quote comes before the second (then
/// those commas are the record's first two separators). `None` when a quote does, and then
/// [`latest_date_fast`] reads the file. About half the work of finding every separator, on a
/// whole month file read while the registry loads.
fn latest_date_split(file: impl Read, month: Period) -> Option<Option<NaiveDate>> {
    let mut rdr = simd_csv::SplitterBuilder::new()
        .has_headers(true)
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let mut latest = Latest::new(month);
    loop {
        let rec = match rdr.split_record() {
            Ok(Some(rec)) => rec,
            Ok(None) => return Some(latest.day),
            Err(_) => return None,
        };
        // One field (a blank line): no date.
        let Some(first) = memchr::memchr(b',', rec) else {
            continue;
        };
        let rest = &rec[first + 1..];
        let text = memchr::memchr(b',', rest).map_or(rest, |second| &rest[..second]);
        if memchr::memchr(b'"', &rec[..first + 1 + text.len()]).is_some() {
            return None;
        }
        latest.see(text)?;
    }
}

/// The latest day of a month file's date texts seen so far, each parsed once per run of equal
/// texts (rows come in date order).
struct Latest {
    month: Period,
    day: Option<NaiveDate>,
    prev: Vec<u8>,
}

impl Latest {
    fn new(month: Period) -> Latest {
        Latest {
            month,
            day: None,
            prev: Vec::new(),
        }
    }

    /// Take a row's date text; `None` when it is not a day of the month (the careful reader
    /// then words the problem).
    fn see(&mut self, text: &[u8]) -> Option<()> {
        if text != self.prev.as_slice() {
            let day = parse_date_bytes(text).filter(|d| self.month.contains(*d))?;
            self.day = self.day.max(Some(day));
            self.prev.clear();
            self.prev.extend_from_slice(text);
        }
        Some(())
    }
}

/// The latest visit date of a month file read by simd-csv (the date column only), or `None`
/// when a record is not plain (a quoted or unreadable date): then the csv crate, whose
/// reading is the contract, reads the file ([`latest_date_careful`]).
fn latest_date_fast(file: impl Read, month: Period) -> Option<Option<NaiveDate>> {
    let mut rdr = simd_csv::ZeroCopyReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .buffer_capacity(1 << 16)
        .from_reader(file);
    let mut latest = Latest::new(month);
    loop {
        let rec = match rdr.read_byte_record() {
            Ok(Some(rec)) => rec,
            Ok(None) => return Some(latest.day),
            Err(_) => return None,
        };
        // (A blank line has no date.)
        if let Some(text) = rec.get(1) {
            latest.see(text)?;
        }
    }
}

/// The latest readable visit date of a month file, as the csv crate reads it.
fn latest_date_careful(ws: &Workspace, f: &MonthFile) -> Result<Option<NaiveDate>> {
    let path = ws.path(&f.rel);
    let file = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(true)
        .from_reader(std::io::BufReader::with_capacity(1 << 16, file));
    let (mut latest, mut rec) = (None, csv::ByteRecord::new());
    while rdr.read_byte_record(&mut rec).map_err(|e| csv_error(&f.rel, e))? {
        let day = rec.get(1).and_then(parse_date_bytes);
        latest = latest.max(day.filter(|d| f.month.contains(*d)));
    }
    Ok(latest)
}

/// A month file the CSV reader cannot read, located.
fn csv_error(rel: &str, e: csv::Error) -> Error {
    Error::msg(t!("store.unreadable", file => rel, problem => csv_problem(&e)))
}

/// Stream a month file: `visit` gets each row's line and either the finding or the problems
/// with its fields. A wrong header is reported and ends the file. Returns the file's SHA-256,
/// computed on the way (for provenance).
pub fn read_month(
    ws: &Workspace,
    file: &MonthFile,
    diags: &mut Diagnostics,
    mut visit: impl FnMut(u64, std::result::Result<Finding, Vec<String>>, &mut Diagnostics),
) -> Result<String> {
    let path = ws.path(&file.rel);
    let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut hashing = HashingReader::new(f);
    read_findings(
        std::io::BufReader::with_capacity(1 << 16, &mut hashing),
        &file.rel,
        diags,
        &mut visit,
    )?;
    // Drain what the CSV reader did not need (a file that ended early on a bad header).
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
    Ok(hashing.digest().unwrap_or_default())
}

/// Stream findings from any reader holding a store file; see [`read_month`].
pub fn read_findings<R: Read>(
    reader: R,
    rel: &str,
    diags: &mut Diagnostics,
    visit: &mut impl FnMut(u64, std::result::Result<Finding, Vec<String>>, &mut Diagnostics),
) -> Result<()> {
    read_findings_lent(reader, rel, diags, &mut |line, row, d| visit(line, row.cloned(), d))
}

/// Say the csv crate's error on a month file's row; `true` when reading goes on (a row of the
/// wrong length or not UTF-8 is that row's problem; anything else ends the file).
pub(crate) fn row_error(e: &csv::Error, rel: &str, d: &mut Diagnostics) -> bool {
    d.error(rel, e.position().map(|p| p.line()), csv_problem(e));
    matches!(
        e.kind(),
        csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
    )
}

/// Read a month file's header line with the csv crate: `false`, with the problem in `d`, when
/// the file is empty, unreadable at line 1 or its header is not the store's.
pub(crate) fn read_header<R: Read>(
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::StringRecord,
    rel: &str,
    d: &mut Diagnostics,
) -> bool {
    match rdr.read_record(rec) {
        Ok(true) if header_ok(rec.as_byte_record().iter()) => true,
        Ok(true) => {
            let found: Vec<&str> = rec.iter().collect();
            d.error(
                rel,
                Some(1),
                t!("store.wrong_header", expected => STORE_HEADER.join(","), found => found.join(",")),
            );
            false
        }
        Ok(false) => {
            d.error(rel, Some(1), t!("table.empty_file", header => STORE_HEADER.join(",")));
            false
        }
        Err(e) => {
            d.error(rel, Some(1), csv_problem(&e));
            false
        }
    }
}

/// [`read_findings`], each finding lent to `visit` and its strings reused for the next row.
pub fn read_findings_lent<R: Read>(
    reader: R,
    rel: &str,
    diags: &mut Diagnostics,
    visit: &mut impl FnMut(u64, std::result::Result<&Finding, Vec<String>>, &mut Diagnostics),
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(reader);
    let mut rec = csv::StringRecord::new();
    if !read_header(&mut rdr, &mut rec, rel, diags) {
        return Ok(());
    }
    let mut finding = blank_finding();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                let row = parse_finding_into(&rec, &mut finding).map(|()| &finding);
                visit(line, row, diags);
            }
            Err(e) => {
                if !row_error(&e, rel, diags) {
                    return Ok(());
                }
            }
        }
    }
}

/// The UTF-8 byte-order mark a store file may begin with.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The store's header rule: exactly [`STORE_HEADER`], the first name after at most one
/// byte-order mark. Both readers of the store and `check` ask it.
pub fn header_ok<'a>(fields: impl Iterator<Item = &'a [u8]>) -> bool {
    let h: Vec<&[u8]> = fields.collect();
    let first = h.first().map(|c| c.strip_prefix(BOM).unwrap_or(c));
    h.len() == STORE_HEADER.len()
        && first == Some(STORE_HEADER[0].as_bytes())
        && h[1..].iter().zip(&STORE_HEADER[1..]).all(|(a, b)| *a == b.as_bytes())
}

/// The fields of a store row before the note, as written.
pub type RowFields<'r> = [&'r [u8]; STORE_HEADER.len() - 1];

/// One store row as [`read_row`] reads it, borrowing its text: the visit's own fields stay
/// bytes (the scan reads them only on a visit's first row).
#[derive(Debug, Clone, Copy)]
pub struct StoreRow<'r> {
    /// The visit id, never empty.
    pub visit_id: &'r [u8],
    /// The date as written (the next row compares its own with it).
    pub date_text: &'r [u8],
    /// The date, one that exists.
    pub date: NaiveDate,
    /// The visit's level.
    pub level: Level,
    /// The visit's purpose.
    pub purpose: Purpose,
    /// The inspecting team, as written (possibly empty).
    pub team: &'r [u8],
    /// People on the team that day, at least 1.
    pub inspectors: u32,
    /// The compound id, never empty.
    pub compound_id: &'r [u8],
    /// The item code, empty exactly when `count` is 0.
    pub item: &'r str,
    /// The problem points found for the item, at most [`MAX_PER_ROW`].
    pub count: u64,
    /// The photos taken, at most [`MAX_PER_ROW`].
    pub photos: u64,
}

/// The store's row rule (DESIGN §4), the one every reader of the store applies. With `why`,
/// every problem of the row is worded into it, column by column; without, the first problem
/// ends the reading (the scan's fast path, which words a row's problems only when it meets
/// one). `prev_day` is the previous row's date as written and parsed: rows are sorted by date,
/// so most rows repeat it.
///
/// Both paths ask the same rule of each column (`row_date`, `row_level`, ..., `is_finding`);
/// the fast one only asks whether the row reads, the other words what does not.
#[inline]
pub fn read_row<'r>(
    f: &RowFields<'r>,
    prev_day: Option<(&[u8], NaiveDate)>,
    why: Option<&mut Vec<String>>,
) -> Option<StoreRow<'r>> {
    // A row the rules read has nothing to word (both ask the same rules), so only a row they
    // refuse is read a second time, to say why.
    let row = row_if_good(f, prev_day);
    if let (None, Some(why)) = (&row, why) {
        word_row_problems(f, prev_day, why);
    }
    row
}

/// The row when every column reads and its item agrees with its count, else `None`.
#[inline(always)]
fn row_if_good<'r>(f: &RowFields<'r>, prev_day: Option<(&[u8], NaiveDate)>) -> Option<StoreRow<'r>> {
    let [visit_id, date_text, level, purpose, team, inspectors, compound_id, item, count, photos] = *f;
    let (item, count, photos) = read_row_tail(item, count, photos)?;
    Some(StoreRow {
        visit_id: non_empty(visit_id)?,
        date_text,
        date: row_date(date_text, prev_day)?,
        level: row_level(level)?,
        purpose: row_purpose(purpose)?,
        team,
        inspectors: headcount(inspectors)?,
        compound_id: non_empty(compound_id)?,
        count,
        photos,
        item,
    })
}

/// The item, count and photos columns of a row by [`read_row`]'s rules, for a row whose
/// other columns are known to read (the scan's rows repeating the previous row's head byte for
/// byte): the item, the count and the photos, or `None` when [`read_row`] would refuse the row.
#[inline(always)]
pub fn read_row_tail<'r>(item: &'r [u8], count: &[u8], photos: &[u8]) -> Option<(&'r str, u64, u64)> {
    let (count, photos) = (whole(count)?, whole(photos)?);
    let item = std::str::from_utf8(item).ok()?;
    is_finding(item, count).then_some((item, count, photos))
}

/// Word every problem of a row into `why`, column by column. An item that is not UTF-8 ends
/// the wording (a `StringRecord`'s never is; the scan words such rows through one).
#[cold]
#[inline(never)]
fn word_row_problems(f: &RowFields<'_>, prev_day: Option<(&[u8], NaiveDate)>, why: &mut Vec<String>) {
    let [visit_id, date_text, level, purpose, _, inspectors, compound_id, item, count, photos] = *f;
    let mut expect = |good: bool, i: usize, expected: &str| {
        if !good {
            let found = String::from_utf8_lossy(f[i]);
            why.push(
                t!("table.column_expected", column => STORE_HEADER[i], expected => expected,
                found => found)
                .into_owned(),
            );
        }
    };
    expect(non_empty(visit_id).is_some(), 0, &t!("store.expect_visit_id"));
    expect(row_date(date_text, prev_day).is_some(), 1, &t!("table.expect_date"));
    expect(row_level(level).is_some(), 2, &t!("store.expect_level"));
    expect(row_purpose(purpose).is_some(), 3, &t!("store.expect_purpose"));
    expect(headcount(inspectors).is_some(), 5, &t!("store.expect_inspectors"));
    expect(non_empty(compound_id).is_some(), 6, &t!("store.expect_compound_id"));
    let count = whole(count);
    expect(count.is_some(), 8, &t!("store.expect_whole"));
    expect(whole(photos).is_some(), 9, &t!("store.expect_whole"));
    let Ok(item) = std::str::from_utf8(item) else {
        return;
    };
    match count {
        Some(c) if !is_finding(item, c) && item.is_empty() => {
            why.push(t!("store.item_empty_with_count", count => c).into_owned())
        }
        Some(c) if !is_finding(item, c) => why.push(t!("store.count_zero_for_item", item => item).into_owned()),
        _ => {}
    }
}

/// The id columns (visit, compound): anything but empty.
#[inline(always)]
fn non_empty(b: &[u8]) -> Option<&[u8]> {
    (!b.is_empty()).then_some(b)
}

/// The date column: the previous row's date when the text repeats it (rows are sorted by
/// date), else parsed.
#[inline(always)]
fn row_date(text: &[u8], prev_day: Option<(&[u8], NaiveDate)>) -> Option<NaiveDate> {
    match prev_day {
        Some((p, d)) if p == text => Some(d),
        _ => parse_date_bytes(text),
    }
}

/// The level column, as the store spells it.
#[inline(always)]
fn row_level(b: &[u8]) -> Option<Level> {
    match b {
        b"community" => Some(Level::Community),
        b"street" => Some(Level::Street),
        b"district" => Some(Level::District),
        b"third_party" => Some(Level::ThirdParty),
        _ => None,
    }
}

/// The purpose column, as the store spells it.
#[inline(always)]
fn row_purpose(b: &[u8]) -> Option<Purpose> {
    match b {
        b"routine" => Some(Purpose::Routine),
        b"recheck" => Some(Purpose::Recheck),
        _ => None,
    }
}

/// The inspectors column: a whole number of people, at least one.
#[inline(always)]
fn headcount(b: &[u8]) -> Option<u32> {
    whole(b).filter(|&n| n >= 1).and_then(|n| u32::try_from(n).ok())
}

/// The item and count columns together: a row is a finding, so its item is empty exactly when
/// its count is 0.
#[inline(always)]
fn is_finding(item: &str, count: u64) -> bool {
    item.is_empty() == (count == 0)
}

/// Parse one store record (already known to have the header's 11 fields) by [`read_row`].
pub fn parse_finding(rec: &csv::StringRecord) -> std::result::Result<Finding, Vec<String>> {
    let mut f = blank_finding();
    parse_finding_into(rec, &mut f).map(|()| f)
}

/// A finding to parse into.
fn blank_finding() -> Finding {
    Finding {
        visit_id: String::new(),
        date: NaiveDate::MIN,
        level: Level::Community,
        purpose: Purpose::Routine,
        team: String::new(),
        inspectors: 0,
        compound_id: String::new(),
        item: String::new(),
        count: 0,
        photos: 0,
        note: String::new(),
    }
}

/// [`parse_finding`] into `out`, its strings reused (`check` reads millions of rows).
pub fn parse_finding_into(rec: &csv::StringRecord, out: &mut Finding) -> std::result::Result<(), Vec<String>> {
    let bytes = rec.as_byte_record();
    let mut f: RowFields<'_> = [&[]; STORE_HEADER.len() - 1];
    for (slot, v) in f.iter_mut().zip(bytes.iter()) {
        *slot = v;
    }
    let mut problems = Vec::new();
    let row = read_row(&f, None, Some(&mut problems)).ok_or(problems)?;
    // The record's fields as text (a StringRecord's are UTF-8).
    let set = |s: &mut String, text: &str| {
        s.clear();
        s.push_str(text);
    };
    let text = |i: usize| rec.get(i).unwrap_or_default();
    set(&mut out.visit_id, text(0));
    out.date = row.date;
    out.level = row.level;
    out.purpose = row.purpose;
    set(&mut out.team, text(4));
    out.inspectors = row.inspectors;
    set(&mut out.compound_id, text(6));
    set(&mut out.item, row.item);
    out.count = row.count;
    out.photos = row.photos;
    set(&mut out.note, text(10));
    Ok(())
}

/// A whole number written plainly (`12`, also `0012`), at most [`MAX_PER_ROW`]; `-1`, `1.5`,
/// `12.0` and `x` are not.
#[inline(always)]
fn whole(b: &[u8]) -> Option<u64> {
    if b.is_empty() || !b.iter().all(u8::is_ascii_digit) {
        return None;
    }
    // Leading zeros do not count towards the length that could overflow.
    let digits = &b[b.iter().take_while(|&&d| d == b'0').count()..];
    if digits.len() > 18 {
        return None;
    }
    Some(digits.iter().fold(0u64, |n, d| n * 10 + u64::from(d - b'0'))).filter(|&n| n <= MAX_PER_ROW)
}

/// Render findings as store CSV (header and rows), sorted as the store requires.
pub fn write_findings<W: std::io::Write>(out: W, rows: &mut [Finding]) -> csv::Result<()> {
    rows.sort_by(|a, b| (a.date, &a.visit_id, &a.item).cmp(&(b.date, &b.visit_id, &b.item)));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(STORE_HEADER)?;
    for r in rows.iter() {
        write_finding(&mut w, r)?;
    }
    w.flush()?;
    Ok(())
}

/// Write one store row, as every writer of the store writes it.
pub fn write_finding<W: std::io::Write>(w: &mut csv::Writer<W>, r: &Finding) -> csv::Result<()> {
    w.write_record([
        r.visit_id.as_str(),
        &r.date.to_string(),
        r.level.as_str(),
        r.purpose.as_str(),
        &r.team,
        &r.inspectors.to_string(),
        &r.compound_id,
        &r.item,
        &r.count.to_string(),
        &r.photos.to_string(),
        &r.note,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Month files as they come, and as they are damaged: dates in and out of the month,
    /// repeated, unreadable or quoted; quotes, commas and line breaks anywhere.
    fn month_file() -> impl Strategy<Value = Vec<u8>> {
        let field = prop_oneof![
            4 => "2026-0[56]-[0-3][0-9]",
            2 => "[a-z0-9]{0,4}",
            1 => "\"[a-z,\n\"]{0,4}\"",
            1 => "[a-z\",\r]{0,3}",
        ];
        let row = prop::collection::vec(field, 0..5).prop_map(|f| f.join(","));
        (prop::bool::ANY, prop::collection::vec(row, 0..8)).prop_map(|(bom, rows)| {
            let body = format!("{}\n{}", STORE_HEADER.join(","), rows.join("\n"));
            let bom = if bom { "\u{FEFF}" } else { "" };
            format!("{bom}{body}").into_bytes()
        })
    }

    proptest! {
        /// Read with the splitter, a month file's latest date is what reading every field
        /// gives, whenever the splitter is sure.
        #[test]
        fn the_splitter_finds_the_latest_date_as_the_fields_do(data in month_file()) {
            let month: Period = "2026-06".parse().unwrap();
            if let Some(latest) = latest_date_split(data.as_slice(), month) {
                prop_assert_eq!(Some(latest), latest_date_fast(data.as_slice(), month));
            }
        }
    }

    /// A plain month file is read by the splitter alone.
    #[test]
    fn a_plain_file_needs_no_second_reading() {
        let data = format!(
            "{}\nV1,2026-06-01,community,routine,t,1,P1,A01,1,0,\"note, \"\"quoted\"\"\"\nV2,2026-06-03,community,routine,t,1,P2,,0,0,\n",
            STORE_HEADER.join(",")
        );
        let month: Period = "2026-06".parse().unwrap();
        assert_eq!(
            latest_date_split(data.as_bytes(), month),
            Some(crate::model::parse_date("2026-06-03"))
        );
    }
}
