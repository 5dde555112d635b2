//! Reading a month file's rows for `check`, as the reports' scan reads them: split by simd-csv
//! while each record is one the csv crate reads alike and the file so far is UTF-8, and by
//! the csv crate from the first record that is not (a damaged row's neighbour, a quote out of
//! place, a `\r`, a blank line, a byte that is not UTF-8). The csv crate's reading into a
//! `StringRecord` is the contract: its messages and line numbers, and [`read_row`]'s wording
//! of a row's problems. The fast part hands over only what that reading would: each row
//! borrowed, on its line.
//!
//! Measured on the national store (8 million rows): the csv crate's `StringRecord`s, with the
//! UTF-8 check of every field, were a quarter of `check`'s time; simd-csv splits the same rows
//! in about a third of that.

use std::cell::Cell;
use std::io::Read;

use indicatif::ProgressBar;
use rust_i18n::t;

use crate::engine::scan::FIELDS;
use crate::engine::utf8_watch::Utf8Watch;
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::STORE_HEADER;
use crate::workspace::store::{header_ok, read_row, MonthFile, RowFields, StoreRow, BOM};
use crate::workspace::Workspace;

/// What a row of a month file gave: the row, or the problems of its fields, worded.
pub type RowRead<'r> = std::result::Result<StoreRow<'r>, Vec<String>>;

/// Stream the rows of a month file after its header: `visit` gets each row's line and the
/// row or its problems, exactly as the csv crate's reading into `StringRecord`s and
/// [`read_row`] give them (see the module). Problems of the file itself (a wrong header, a
/// record the CSV reader refuses) land in `d`. Every byte read is counted on `bar`.
pub fn read_rows(
    ws: &Workspace,
    file: &MonthFile,
    bar: &ProgressBar,
    d: &mut Diagnostics,
    visit: &mut impl FnMut(u64, RowRead<'_>, &mut Diagnostics),
) -> Result<()> {
    read_path(&ws.path(&file.rel), &file.rel, 1 << 16, bar, d, visit)
}

/// [`read_rows`] of the file at `path`, named `rel` in messages, read `capacity` bytes at a
/// time by the fast reader.
fn read_path(
    path: &std::path::Path,
    rel: &str,
    capacity: usize,
    bar: &ProgressBar,
    d: &mut Diagnostics,
    visit: &mut impl FnMut(u64, RowRead<'_>, &mut Diagnostics),
) -> Result<()> {
    let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    let counted = Cell::new(0);
    let (text, plain) = (Cell::new(true), Cell::new(true));
    let stopped = {
        let watched = LineWatch {
            inner: Utf8Watch::new(
                Counted {
                    inner: f,
                    bar,
                    skip: 0,
                    read: &counted,
                },
                &text,
            ),
            plain: &plain,
            // As if after a line: a blank first line counts.
            last: b'\n',
        };
        let mut rdr = simd_csv::ZeroCopyReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(capacity)
            .from_reader(watched);
        read_plain(&mut rdr, (&text, &plain), d, visit)
    };
    if let Some(skip) = stopped {
        let f = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
        let rest = Counted {
            inner: f,
            bar,
            // Counted already, by the fast reader.
            skip: counted.get(),
            read: &Cell::new(0),
        };
        let mut rest = read_careful(std::io::BufReader::with_capacity(1 << 16, rest), rel, skip, d, visit)?;
        // Drain what the CSV reader did not need (a file that ended early), for the bar.
        std::io::copy(&mut rest, &mut std::io::sink()).map_err(|e| Error::io(path, e))?;
    }
    Ok(())
}

/// The rows simd-csv can read for sure (see the module), on their lines. `text` and `plain`
/// are the stream's [`Utf8Watch`] and [`LineWatch`]. Returns how many data rows it handed
/// over, or `None` when it read the whole file.
fn read_plain<R: Read>(
    rdr: &mut simd_csv::ZeroCopyReader<R>,
    (text, plain): (&Cell<bool>, &Cell<bool>),
    d: &mut Diagnostics,
    visit: &mut impl FnMut(u64, RowRead<'_>, &mut Diagnostics),
) -> Option<u64> {
    // The header (simd-csv drops a byte-order mark), on line 1: it must begin the file, as
    // a blank line before it would be counted by the csv crate and skipped by simd-csv.
    let len = match rdr.read_byte_record() {
        // (A quoted header is read by the csv crate: its raw fields do not match.)
        Ok(Some(h)) if plain.get() && text.get() && header_ok(h.iter()) => h.as_slice().len(),
        _ => return Some(0),
    };
    let consumed = rdr.position();
    if consumed != len as u64 + 1 && consumed != len as u64 + 1 + BOM.len() as u64 {
        return Some(0);
    }
    let (mut line, mut taken) = (2u64, 0u64);
    // The previous good row's date, as written and read (rows are sorted by date).
    let (mut day_text, mut day) = (Vec::new(), None);
    let mut why = Vec::new();
    loop {
        let rec = match rdr.read_byte_record() {
            Ok(Some(rec)) => rec,
            Ok(None) => return None,
            Err(_) => return Some(taken),
        };
        // Every byte of this record has been read, and checked by both watches: the note
        // too is text, as a `StringRecord`'s must be.
        if !plain.get() || !text.get() {
            return Some(taken);
        }
        let Some((f, breaks)) = plain_record(&rec) else {
            return Some(taken);
        };
        let prev_day = day.map(|d| (day_text.as_slice(), d));
        match read_row(&f, prev_day, Some(&mut why)) {
            Some(row) => {
                if day != Some(row.date) {
                    day_text.clear();
                    day_text.extend_from_slice(row.date_text);
                    day = Some(row.date);
                }
                visit(line, Ok(row), d);
            }
            None => visit(line, Err(std::mem::take(&mut why)), d),
        }
        line += 1 + breaks;
        taken += 1;
    }
}

/// The csv crate's reading of a month file into `StringRecord`s (that of
/// [`read_findings_lent`](crate::workspace::store::read_findings_lent)), the first `skip`
/// data rows passed over (read already). Returns the reader's source, for the rest of the
/// file to be drained.
fn read_careful<R: Read>(
    reader: R,
    rel: &str,
    skip: u64,
    d: &mut Diagnostics,
    visit: &mut impl FnMut(u64, RowRead<'_>, &mut Diagnostics),
) -> Result<R> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(reader);
    let mut rec = csv::StringRecord::new();
    if !crate::workspace::store::read_header(&mut rdr, &mut rec, rel, d) {
        return Ok(rdr.into_inner());
    }
    for _ in 0..skip {
        // Read already, by `read_plain`.
        if !rdr.read_record(&mut rec).unwrap_or(false) {
            return Err(Error::msg(t!("store.changed_while_read", file => rel)));
        }
    }
    let mut why = Vec::new();
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(rdr.into_inner()),
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                let mut f: RowFields<'_> = [&[]; STORE_HEADER.len() - 1];
                for (slot, v) in f.iter_mut().zip(rec.as_byte_record().iter()) {
                    *slot = v;
                }
                match read_row(&f, None, Some(&mut why)) {
                    Some(row) => visit(line, Ok(row), d),
                    None => visit(line, Err(std::mem::take(&mut why)), d),
                }
            }
            Err(e) => {
                if !crate::workspace::store::row_error(&e, rel, d) {
                    return Ok(rdr.into_inner());
                }
            }
        }
    }
}

/// A reader that counts what it reads on a progress bar, after its first `skip` bytes, and
/// keeps the count in `read`.
struct Counted<'a, R> {
    inner: R,
    bar: &'a ProgressBar,
    skip: u64,
    read: &'a Cell<u64>,
}

impl<R: Read> Read for Counted<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let passed = self.skip.min(n as u64);
        self.skip -= passed;
        self.bar.inc(n as u64 - passed);
        self.read.set(self.read.get() + n as u64);
        Ok(n)
    }
}

/// A reader that clears `plain` once the bytes read through it hold a `\r` or a blank line
/// (two `\n` in a row, across reads too): where the csv crate and simd-csv could split lines
/// differently, or count them differently. (With [`plain_record`]; the reports' scan reads
/// with its own reader, `engine/store_rows.rs`.)
struct LineWatch<'a, R> {
    inner: R,
    plain: &'a Cell<bool>,
    last: u8,
}

impl<R: std::io::Read> std::io::Read for LineWatch<'_, R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        let b = &buf[..n];
        if self.plain.get() && n > 0 {
            let blank = (self.last == b'\n' && b[0] == b'\n') || memchr::memmem::find(b, b"\n\n").is_some();
            if blank || memchr::memchr(b'\r', b).is_some() {
                self.plain.set(false);
            }
            self.last = b[n - 1];
        }
        Ok(n)
    }
}

/// The ten fields before the note of a record simd-csv read, when the csv crate reads that
/// record the same way: eleven fields, no quote before the note, and the note either
/// unquoted without quotes or quoted with its inner quotes doubled. (With no `\r` and no
/// blank line in the stream, see [`LineWatch`], both then end it at the same `\n`.)
/// Anything else is read by the csv crate, which this tool's messages and line numbers are
/// defined by. Also gives the line breaks in the record (in a quoted note only).
fn plain_record<'r>(rec: &'r simd_csv::ZeroCopyByteRecord<'_>) -> Option<(RowFields<'r>, u64)> {
    if rec.len() != FIELDS {
        return None;
    }
    let mut f: RowFields<'r> = [&[]; FIELDS - 1];
    for (i, slot) in f.iter_mut().enumerate() {
        *slot = rec.get(i)?;
    }
    let raw = rec.as_slice();
    let mut breaks = 0;
    if let Some(first) = memchr::memchr(b'"', raw) {
        // The first quote must be in the note, the record's last field.
        let note = rec.get(FIELDS - 1)?;
        if first < raw.len() - note.len() {
            return None;
        }
        // Quoted, with the quotes inside in pairs (each quote found is the first of a pair).
        let inner = note.strip_prefix(b"\"")?.strip_suffix(b"\"")?;
        let mut rest = inner;
        while let Some(q) = memchr::memchr(b'"', rest) {
            if rest.get(q + 1) != Some(&b'"') {
                return None;
            }
            rest = &rest[q + 2..];
        }
        breaks = memchr::memchr_iter(b'\n', inner).count() as u64;
    }
    Some((f, breaks))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// What a reading handed over: each row (or its problems) on its line, and the
    /// diagnostics of the file.
    type Events = (Vec<String>, String);

    fn events(read: impl FnOnce(&mut Diagnostics, &mut dyn FnMut(u64, RowRead<'_>))) -> Events {
        let mut d = Diagnostics::new();
        let mut seen = Vec::new();
        read(&mut d, &mut |line, row| seen.push(format!("{line}: {row:?}")));
        (seen, format!("{d:?}"))
    }

    /// The fast reading of `data` (simd-csv, then the csv crate) and the csv crate's alone.
    fn both(data: &[u8]) -> (Events, Events) {
        both_by(data, 1 << 16)
    }

    /// [`both`], the fast reader reading `capacity` bytes at a time (and the damage seen as
    /// it is read, after rows it has handed over).
    fn both_by(data: &[u8], capacity: usize) -> (Events, Events) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2026-03.csv");
        std::fs::write(&path, data).unwrap();
        let rel = "data/inspections/2026/2026-03.csv";
        let bar = ProgressBar::hidden();
        let fast = events(|d, seen| {
            read_path(&path, rel, capacity, &bar, d, &mut |line, row, _| seen(line, row)).unwrap();
        });
        let careful = events(|d, seen| {
            read_careful(data, rel, 0, d, &mut |line, row, _| seen(line, row)).unwrap();
        });
        (fast, careful)
    }

    const HEADER: &str = "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note";

    /// A field of a store row: mostly good values, some damaged the ways files are.
    fn field() -> impl Strategy<Value = Vec<u8>> {
        prop_oneof![
            24 => prop::sample::select(vec![
                "V1", "V2", "2026-03-02", "2026-03-03", "community", "street", "routine", "组",
                "2", "HP001", "A05", "1", "0", "", "住户称已整改",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
            1 => prop::sample::select(vec![
                "\"quoted\"", "\"a, b\"", "\"two\nlines\"", "\"said \"\"x\"\"\"", "bad\"quote", "\"open",
                "x", "-1", "2026-02-30", "\r", "\n", "\n\n",
            ])
            .prop_map(|s| s.as_bytes().to_vec()),
            1 => prop::sample::select(vec![&b"\xff"[..], b"\xe6\xbb", b"\xef\xbb\xbf"]).prop_map(<[u8]>::to_vec),
        ]
    }

    /// A store file: a header (maybe with a byte-order mark, maybe wrong), rows of mostly
    /// eleven fields, line ends mostly `\n`, the last perhaps missing.
    fn file() -> impl Strategy<Value = Vec<u8>> {
        let header = prop_oneof![
            6 => Just(HEADER.as_bytes().to_vec()),
            1 => Just([BOM, HEADER.as_bytes()].concat()),
            1 => Just(HEADER.replace("item", "code").into_bytes()),
        ];
        let note = prop::sample::select(vec![
            "",
            "",
            "plain",
            "\"住户称\"\"已整改\"\"\"",
            "\"two\nlines\"",
            "\"three\nshort\nlines\"",
            "\"a, b\"",
        ])
        .prop_map(|s| s.as_bytes().to_vec());
        let row = prop_oneof![
            12 => (prop::collection::vec(field(), 10), note).prop_map(|(mut f, note)| {
                f.push(note);
                f
            }),
            1 => prop::collection::vec(field(), 9..13),
        ];
        let end = prop_oneof![12 => Just(&b"\n"[..]), 1 => Just(&b"\r\n"[..]), 1 => Just(&b"\n\n"[..])];
        (header, prop::collection::vec((row, end), 0..12), any::<bool>()).prop_map(|(h, rows, last)| {
            let mut out = h;
            out.push(b'\n');
            for (fields, end) in rows {
                out.extend_from_slice(&fields.join(&b","[..]));
                out.extend_from_slice(end);
            }
            if !last {
                out.pop();
            }
            out
        })
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        /// The fast reading hands over what the csv crate's reading does: the same rows and
        /// problems on the same lines, the same diagnostics, whatever the damage.
        #[test]
        fn reads_as_the_csv_crate_reads(data in file(), capacity in prop::sample::select(vec![16, 37, 128, 1 << 16])) {
            let (fast, careful) = both_by(&data, capacity);
            prop_assert_eq!(fast, careful);
        }
    }

    #[test]
    fn good_rows_are_read_on_their_lines_and_bad_ones_worded() {
        let data = format!(
            "{HEADER}\nV1,2026-03-02,street,routine,组,2,HP001,A05,1,1,\"two\nlines\"\n\
             V1,2026-03-02,street,routine,组,2,HP001,A06,x,1,\nV2,2026-03-03,street,routine,组,2,HP001,,0,1,\n"
        );
        let ((fast, diags), careful) = both(data.as_bytes());
        assert_eq!(fast.len(), 3, "{fast:?}");
        assert!(fast[0].starts_with("2: Ok("), "{fast:?}");
        assert!(fast[1].starts_with("4: Err(") && fast[1].contains("count"), "{fast:?}");
        assert!(fast[2].starts_with("5: Ok("), "{fast:?}");
        assert_eq!((fast, diags), careful);
    }

    /// The note rule stated byte by byte: quotes inside a quoted note in pairs, and its line
    /// breaks counted.
    fn note_oracle(inner: &[u8]) -> Option<u64> {
        let (mut odd, mut breaks) = (false, 0);
        for &c in inner {
            match c {
                b'"' => odd = !odd,
                _ if odd => return None,
                b'\n' => breaks += 1,
                _ => {}
            }
        }
        (!odd).then_some(breaks)
    }

    proptest! {
        /// A record whose quoted note has its inner quotes in pairs is plain, with the note's
        /// line breaks counted; any other quoting in the note is not.
        #[test]
        fn quoted_notes_are_read_by_the_rule(inner in "[a\"\\n,住]{0,12}") {
            let data = format!("v,2026-03-02,community,routine,t,1,P1,A01,1,0,\"{inner}\"\n");
            let mut rdr = simd_csv::ZeroCopyReaderBuilder::new()
                .has_headers(false)
                .flexible(true)
                .from_reader(data.as_bytes());
            let rec = rdr.read_byte_record().unwrap().unwrap();
            // (A stray quote can end the record early: the rule is asked of the note read.)
            if rec.len() == FIELDS {
                let note = rec.get(FIELDS - 1).unwrap();
                let expected = note
                    .strip_prefix(b"\"")
                    .and_then(|n| n.strip_suffix(b"\""))
                    .and_then(note_oracle);
                prop_assert_eq!(plain_record(&rec).map(|(_, breaks)| breaks), expected);
            }
        }
    }
}
