//! What calamine will lay out for an `.xls` (BIFF in a CFB container), measured before it
//! opens the file. calamine reads every sheet when it opens an `.xls` and builds each one's
//! dense `Range` from the cells it found (`Range::from_sparse`, calamine's `xls.rs`): its size
//! is decided by the first and the furthest cell present, not by what the sheet declares, so
//! a 6 KB file with one value at IV65536 costs 65,536 × 256 cells. This walks the same BIFF
//! records calamine walks, the same way (CONTINUE records joined to the record before, nested
//! chart substreams skipped), and counts the cells of the record types it keeps.

use rust_i18n::t;
use std::io::{Cursor, Read};

use super::dense::{refuse, Extent, Tally, MAX_DENSE_CELLS, MAX_DENSE_TEXT};
use crate::import::sheet::SheetError;

/// The first bytes of a CFB container (an `.xls`, and also an encrypted `.xlsx`).
const CFB_MAGIC: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// BIFF8's grid: what a `DIMENSIONS` record of a real `.xls` may declare.
const BIFF8_ROWS: u64 = 65_536;
const BIFF8_COLS: u64 = 256;

/// Whether `bytes` are a CFB container, which calamine's `.xls` reader would open.
pub fn is_cfb(bytes: &[u8]) -> bool {
    bytes.starts_with(&CFB_MAGIC)
}

/// Refuse an `.xls` whose sheets calamine would lay out beyond [`MAX_DENSE_CELLS`], or whose
/// cells would copy more than [`MAX_DENSE_TEXT`] from its shared strings. A container without
/// a workbook stream passes: calamine reports it.
pub fn check_xls(bytes: &[u8]) -> Result<(), SheetError> {
    check_xls_within(bytes, MAX_DENSE_CELLS, MAX_DENSE_TEXT)
}

pub(super) fn check_xls_within(bytes: &[u8], max_cells: u64, max_text: u64) -> Result<(), SheetError> {
    let unchecked = |e: std::io::Error| refuse(t!("book.xls_unchecked", error = e).into_owned());
    let mut cfb = cfb::CompoundFile::open(Cursor::new(bytes)).map_err(unchecked)?;
    // calamine takes the first entry named `Workbook`, else `Book`, in any case.
    let path = ["Workbook", "Book"].iter().find_map(|want| {
        cfb.walk()
            .find(|e| e.is_stream() && e.name().eq_ignore_ascii_case(want))
            .map(|e| e.path().to_path_buf())
    });
    let Some(path) = path else {
        return Ok(());
    };
    let mut stream = Vec::new();
    cfb.open_stream(&path)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(unchecked)?;
    walk(&stream, &mut Tally::new(max_cells, max_text))
}

/// One BIFF record: its type, its data, and the CONTINUE records after it (which calamine's
/// record iterator joins to it), whole with their headers: only the shared string table reads
/// them. `Err`: the stream ends inside a record, where calamine stops with an error.
struct Records<'a> {
    rest: &'a [u8],
}

fn u16_at(data: &[u8], at: usize) -> Option<u16> {
    data.get(at..at + 2).map(|b| u16::from_le_bytes([b[0], b[1]]))
}

fn u32_at(data: &[u8], at: usize) -> Option<u32> {
    data.get(at..at + 4)
        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
}

impl<'a> Iterator for Records<'a> {
    type Item = Result<(u16, &'a [u8], &'a [u8]), ()>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.rest.is_empty() {
            return None;
        }
        let (Some(typ), Some(len)) = (u16_at(self.rest, 0), u16_at(self.rest, 2)) else {
            return Some(Err(()));
        };
        let Some(data) = self.rest.get(4..4 + len as usize) else {
            return Some(Err(()));
        };
        self.rest = &self.rest[4 + len as usize..];
        let conts = self.rest;
        if self.rest.len() > 4 {
            while self.rest.len() > 4 && u16_at(self.rest, 0) == Some(0x003C) {
                let len = u16_at(self.rest, 2).unwrap_or(0) as usize;
                if self.rest.len() < len + 4 {
                    return Some(Err(()));
                }
                self.rest = &self.rest[len + 4..];
            }
        }
        let conts = &conts[..conts.len() - self.rest.len()];
        Some(Ok((typ, data, conts)))
    }
}

/// A sheet as BOUNDSHEET8 names it: where its substream starts, and its name for messages.
struct Bound {
    pos: usize,
    name: String,
}

/// Walk the workbook stream as calamine's `parse_workbook` does and tally each sheet.
fn walk(stream: &[u8], tally: &mut Tally) -> Result<(), SheetError> {
    let mut sheets = Vec::new();
    let mut biff8 = true;
    let mut gbk = false;
    // calamine decodes text as UTF-16 (code page 1200) unless a CODEPAGE record says otherwise.
    let mut utf16 = true;
    let mut strings = Vec::new();
    for record in (Records { rest: stream }) {
        // A damaged globals substream: calamine stops before it lays out any sheet.
        let Ok((typ, data, conts)) = record else {
            return Ok(());
        };
        match typ {
            // FilePass: calamine refuses the file as password protected.
            0x002F if u16_at(data, 0).is_some_and(|v| v != 0) => return Ok(()),
            0x0809 => {
                let version = u16_at(data, 0).unwrap_or(0);
                let before_biff8 = matches!(version, 0x0200 | 0x0002 | 0x0007 | 0x0300 | 0x0400 | 0x0500);
                biff8 = !(before_biff8 || (version == 0 && u16_at(data, 2) == Some(0x1000)));
            }
            0x0042 => {
                gbk = u16_at(data, 0) == Some(936);
                utf16 = u16_at(data, 0) == Some(1200);
            }
            // SST: calamine keeps the last one. One it cannot read fails the whole file.
            0x00FC => match sst_lengths(data, conts, utf16) {
                Some(lengths) => strings = lengths,
                None => return Ok(()),
            },
            0x0085 => {
                if let Some(pos) = u32_at(data, 0) {
                    let name = data.get(6..).map(|s| sheet_name(s, biff8, gbk)).unwrap_or_default();
                    sheets.push(Bound {
                        pos: pos as usize,
                        name,
                    });
                }
            }
            0x000A => break,
            _ => (),
        }
    }
    for sheet in sheets {
        // Beyond the stream: calamine panics there (caught, the file refused as damaged).
        let Some(sub) = stream.get(sheet.pos..) else {
            return Ok(());
        };
        match sheet_extent(sub, &sheet.name, &strings)? {
            Some((extent, text)) => {
                tally.sheet(&sheet.name, extent, extent.area())?;
                tally.shared_text(&sheet.name, text)?;
            }
            None => continue,
        }
    }
    Ok(())
}

/// The dense extent of one sheet's substream (`None`: no cell), counting the cells of every
/// record type calamine keeps and the formulas it keeps beside them, and the bytes of text
/// its LABELSST cells copy from the shared strings (`strings`: each one's length in bytes).
fn sheet_extent(sub: &[u8], name: &str, strings: &[u32]) -> Result<Option<(Extent, u64)>, SheetError> {
    let mut extent: Option<Extent> = None;
    let mut text = 0u64;
    let mut add = |row: u16, col: u16| {
        let at = Extent::at(u64::from(row), u64::from(col));
        extent = Some(extent.map_or(at, |e| e.join(at)));
    };
    let mut formula_at = (0u16, 0u16);
    let mut seen_bof = false;
    let mut depth = 0usize;
    for record in (Records { rest: sub }) {
        // calamine stops with an error, laying out nothing more.
        let Ok((typ, data, _)) = record else {
            return Ok(None);
        };
        if depth > 0 {
            match typ {
                0x0809 => depth += 1,
                0x000A => depth -= 1,
                _ => (),
            }
            continue;
        }
        let row_col = || Some((u16_at(data, 0)?, u16_at(data, 2)?));
        match typ {
            0x0809 if seen_bof => depth += 1,
            0x0809 => seen_bof = true,
            // DIMENSIONS: calamine reserves room for the area it declares.
            0x0200 => dimensions(data, name)?,
            // LABELSST: a cell, and a copy of its shared string (none when the index is past
            // the table, or when the record is too short: calamine then fails).
            0x00FD => {
                if let Some((r, c)) = row_col() {
                    add(r, c);
                }
                if data.len() >= 10 {
                    let isst = u32_at(data, 6).map_or(usize::MAX, |i| i as usize);
                    let bytes = strings.get(isst).copied().unwrap_or(0);
                    text = text.saturating_add(u64::from(bytes));
                }
            }
            // NUMBER, LABEL, RSTRING, BOOLERR, RK.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E => {
                if let Some((r, c)) = row_col() {
                    add(r, c);
                }
            }
            // STRING: a formula's text, placed at the last formula's cell.
            0x0207 => add(formula_at.0, formula_at.1),
            // FORMULA: its value and its text, both at its cell.
            0x0006 => {
                if let Some((r, c)) = row_col() {
                    formula_at = (r, c);
                    add(r, c);
                }
            }
            // MULRK: one row, columns first..=last.
            0x00BD => {
                let last = data.len().checked_sub(2).and_then(|at| u16_at(data, at));
                if let (Some((r, first)), Some(last)) = (row_col(), last) {
                    if first <= last {
                        add(r, first);
                        add(r, last);
                    }
                }
            }
            0x000A => break,
            _ => (),
        }
    }
    Ok(extent.map(|e| (e, text)))
}

/// calamine reserves room for a DIMENSIONS record's area (rows × columns, computed as it
/// computes them): a damaged one declaring four billion rows would abort the process.
fn dimensions(data: &[u8], name: &str) -> Result<(), SheetError> {
    let (rf, rl, mut cf, cl) = match data.len() {
        10 => (
            u32::from(u16_at(data, 0).unwrap_or(0)),
            u32::from(u16_at(data, 2).unwrap_or(0)),
            u32::from(u16_at(data, 4).unwrap_or(0)),
            u32::from(u16_at(data, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u32_at(data, 0).unwrap_or(0),
            u32_at(data, 4).unwrap_or(0),
            u32::from(u16_at(data, 8).unwrap_or(0)),
            u32::from(u16_at(data, 10).unwrap_or(0)),
        ),
        _ => return Ok(()),
    };
    if 0xFF < cf || cl < cf {
        cf = 0;
    }
    let (start, end) = if 1 <= rl && 1 <= cl {
        ((rf, cf), (rl - 1, cl - 1))
    } else {
        ((rf, cf), (rf, cf))
    };
    // calamine subtracts without checking: a row range running backwards wraps.
    let rows = u64::from(end.0.wrapping_sub(start.0).wrapping_add(1));
    let cols = u64::from(end.1.wrapping_sub(start.1).wrapping_add(1));
    if rows > BIFF8_ROWS || cols > BIFF8_COLS {
        return Err(refuse(
            t!(
                "book.xls_dimensions",
                sheet = name,
                rows = u64::from(rl).max(u64::from(rf) + 1),
                cols = u64::from(cl).max(u64::from(cf) + 1),
                max_rows = BIFF8_ROWS,
                max_cols = BIFF8_COLS
            )
            .into_owned(),
        ));
    }
    Ok(())
}

/// An SST record's data read as calamine reads it (`parse_sst`), its CONTINUE records taken in
/// turn as it takes them.
struct Joined<'a> {
    data: &'a [u8],
    /// The CONTINUE records not yet taken, with their headers (whole: [`Records`] checked).
    conts: &'a [u8],
}

impl Joined<'_> {
    /// Move on to the next CONTINUE record's data; `false`: none is left.
    fn next_record(&mut self) -> bool {
        let Some(len) = u16_at(self.conts, 2) else {
            return false;
        };
        let end = (4 + len as usize).min(self.conts.len());
        self.data = &self.conts[4..end];
        self.conts = &self.conts[end..];
        true
    }

    fn take(&mut self, n: usize) -> Option<&[u8]> {
        let (head, rest) = (self.data.get(..n)?, self.data.get(n..)?);
        self.data = rest;
        Some(head)
    }

    /// Skip `len` bytes across records; `None` where calamine fails (too few are left).
    fn skip(&mut self, mut len: usize) -> Option<()> {
        while len > 0 {
            if self.data.is_empty() && !self.next_record() {
                return None;
            }
            let l = len.min(self.data.len());
            self.data = &self.data[l..];
            len -= l;
        }
        Some(())
    }
}

/// The length in bytes of each string of a shared string table (an SST record, `data`, and its
/// CONTINUE records, `conts`) as calamine will hold it, decoded. `utf16`: calamine decodes
/// with UTF-16 (the code page of every BIFF8 file Excel writes); otherwise with a legacy code
/// page, whose output is counted as 3 bytes for each byte it decodes (the most any
/// encoding_rs decoder writes). `None`: calamine fails to read the table (an error, or a
/// panic it is caught in), and so the file.
fn sst_lengths(data: &[u8], conts: &[u8], utf16: bool) -> Option<Vec<u32>> {
    let mut r = Joined {
        data: data.get(8..)?,
        conts,
    };
    let mut lengths = Vec::new();
    while !r.data.is_empty() || r.next_record() {
        lengths.push(rich_extended_string_len(&mut r, utf16)?);
    }
    Some(lengths)
}

/// One XLUnicodeRichExtendedString, read as calamine's `read_rich_extended_string` reads it;
/// its length in bytes decoded.
fn rich_extended_string_len(r: &mut Joined<'_>, utf16: bool) -> Option<u32> {
    if r.data.is_empty() {
        return Some(0);
    }
    let head = r.take(3)?;
    let (cch, flags) = (usize::from(u16::from_le_bytes([head[0], head[1]])), head[2]);
    let c_run = if flags & 0x8 != 0 {
        r.take(2).map(|b| usize::from(u16::from_le_bytes([b[0], b[1]])))?
    } else {
        0
    };
    let cb_ext_rst = if flags & 0x4 != 0 {
        // calamine reads an i32 and casts it: a negative one is a skip past every record.
        let b = r.take(4)?;
        usize::try_from(i32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()?
    } else {
        0
    };
    // `read_dbcs`: as many characters as this record holds, then on into the next, which
    // starts with its own fHighByte flag.
    let mut high_byte = flags & 0x1 != 0;
    let mut left = cch;
    let mut bytes = 0u64;
    while left > 0 {
        let chars = if high_byte {
            (r.data.len() / 2).min(left)
        } else {
            r.data.len().min(left)
        };
        let raw = &r.data[..if high_byte { 2 * chars } else { chars }];
        bytes += decoded_len(raw, high_byte, utf16);
        r.data = &r.data[raw.len()..];
        left -= chars;
        if left > 0 {
            if !r.next_record() {
                return None;
            }
            // calamine indexes the flag byte without a check: an empty CONTINUE panics.
            let (&flag, rest) = r.data.split_first()?;
            high_byte = flag & 0x1 != 0;
            r.data = rest;
        }
    }
    r.skip(c_run * 4)?;
    r.skip(cb_ext_rst)?;
    Some(u32::try_from(bytes).unwrap_or(u32::MAX))
}

/// The UTF-8 length of `raw` characters as calamine decodes them: two bytes each
/// (`high_byte`) or one, widened to UTF-16 with a zero high byte.
fn decoded_len(raw: &[u8], high_byte: bool, utf16: bool) -> u64 {
    // A legacy code page decodes the UTF-16 bytes (two per character either way).
    let input = if high_byte { raw.len() } else { raw.len() * 2 };
    match (utf16, high_byte) {
        (false, _) => 3 * input as u64,
        // U+0000..U+00FF: one byte in UTF-8 below 0x80, two above.
        (true, false) => raw.len() as u64 + raw.iter().filter(|&&b| b >= 0x80).count() as u64,
        // Decoded as calamine decodes it (a byte order mark sniffed, lone surrogates replaced).
        (true, true) => encoding_rs::UTF_16LE.decode(raw).0.len() as u64,
    }
}

/// A BOUNDSHEET8 name (ShortXLUnicodeString in BIFF8; bytes in the code page before), for
/// messages only.
fn sheet_name(s: &[u8], biff8: bool, gbk: bool) -> String {
    let Some((&cch, rest)) = s.split_first() else {
        return String::new();
    };
    let cch = usize::from(cch);
    if biff8 {
        let Some((&flags, chars)) = rest.split_first() else {
            return String::new();
        };
        if flags & 1 != 0 {
            let units: Vec<u16> = chars
                .chunks_exact(2)
                .take(cch)
                .map(|b| u16::from_le_bytes([b[0], b[1]]))
                .collect();
            return String::from_utf16_lossy(&units);
        }
        return chars.iter().take(cch).map(|&b| char::from(b)).collect();
    }
    let bytes = &rest[..cch.min(rest.len())];
    let encoding = if gbk {
        encoding_rs::GBK
    } else {
        encoding_rs::WINDOWS_1252
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// A sheet for [`raw_xls`]: its name and its cells, (row, column, text), 0-based.
#[doc(hidden)]
pub type RawSheet<'a> = (&'a str, &'a [(u16, u16, &'a str)]);

/// A minimal BIFF8 `.xls`: one worksheet per (name, cells), each cell a LABEL at (row, column),
/// 0-based. Written by hand so that it can hold what tests need (a value at IV65536); for
/// tests, not for reports.
#[doc(hidden)]
pub fn raw_xls(sheets: &[RawSheet<'_>]) -> Vec<u8> {
    let sheets: Vec<BiffSheet<'_>> = sheets
        .iter()
        .map(|&(name, cells)| {
            let records = cells
                .iter()
                .map(|&(row, col, text)| {
                    let mut d = Vec::new();
                    d.extend_from_slice(&row.to_le_bytes());
                    d.extend_from_slice(&col.to_le_bytes());
                    d.extend_from_slice(&0u16.to_le_bytes());
                    d.extend_from_slice(&(text.encode_utf16().count() as u16).to_le_bytes());
                    d.push(1);
                    d.extend(utf16(text));
                    (0x0204, d)
                })
                .collect();
            (name, records)
        })
        .collect();
    biff8(&[], &sheets)
}

/// A sheet for [`raw_xls_shared`]: its name and its cells, (row, column, shared string index).
#[doc(hidden)]
pub type RawSharedSheet<'a> = (&'a str, &'a [(u16, u16, u32)]);

/// [`raw_xls`] whose cells are LABELSST records referring to a shared string table holding
/// `strings` (an SST record with CONTINUE records, a string's characters running on into the
/// next as Excel writes them). For tests, not for reports.
#[doc(hidden)]
pub fn raw_xls_shared(strings: &[&str], sheets: &[RawSharedSheet<'_>]) -> Vec<u8> {
    // Excel's most data in one record.
    const MAX: usize = 8224;
    let mut records: Vec<Vec<u8>> = vec![Vec::new()];
    let n = (strings.len() as u32).to_le_bytes();
    records[0].extend(n.iter().chain(&n));
    for s in strings {
        let units: Vec<u16> = s.encode_utf16().collect();
        // The head (cch, flags) is never split from the first characters.
        if records.last().map_or(0, Vec::len) + 5 > MAX {
            records.push(Vec::new());
        }
        let cur = records.last_mut().expect("one record at least");
        cur.extend_from_slice(&(units.len() as u16).to_le_bytes());
        cur.push(1);
        let mut rest = &units[..];
        while !rest.is_empty() {
            let cur = records.last_mut().expect("one record at least");
            let take = ((MAX - cur.len()) / 2).min(rest.len());
            cur.extend(rest[..take].iter().flat_map(|u| u.to_le_bytes()));
            rest = &rest[take..];
            if !rest.is_empty() {
                // A CONTINUE record starts with the flags of the characters it goes on with.
                records.push(vec![1]);
            }
        }
    }
    let globals: Vec<(u16, Vec<u8>)> = records
        .into_iter()
        .enumerate()
        .map(|(i, d)| (if i == 0 { 0x00FC } else { 0x003C }, d))
        .collect();
    let sheets: Vec<BiffSheet<'_>> = sheets
        .iter()
        .map(|&(name, cells)| {
            let records = cells
                .iter()
                .map(|&(row, col, isst)| {
                    let mut d = Vec::new();
                    d.extend_from_slice(&row.to_le_bytes());
                    d.extend_from_slice(&col.to_le_bytes());
                    d.extend_from_slice(&0u16.to_le_bytes());
                    d.extend_from_slice(&isst.to_le_bytes());
                    (0x00FD, d)
                })
                .collect();
            (name, records)
        })
        .collect();
    biff8(&globals, &sheets)
}

/// A record for [`biff8`]: its type and data.
type BiffRecord = (u16, Vec<u8>);
/// A sheet for [`biff8`]: its name and records.
type BiffSheet<'a> = (&'a str, Vec<BiffRecord>);

fn utf16(s: &str) -> Vec<u8> {
    s.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

/// A BIFF8 workbook stream in a CFB container: the globals (BOF, the `globals` records, one
/// BOUNDSHEET8 per sheet, EOF), then each sheet's substream holding its records.
fn biff8(globals: &[BiffRecord], sheets: &[BiffSheet<'_>]) -> Vec<u8> {
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    // The globals: BOF, one BOUNDSHEET8 per sheet (its position filled in below), EOF.
    let mut stream = Vec::new();
    record(&mut stream, 0x0809, &bof(0x0005));
    for (typ, data) in globals {
        record(&mut stream, *typ, data);
    }
    let mut pos_at = Vec::new();
    for (name, _) in sheets {
        let mut d = vec![0u8; 6];
        d.push(name.encode_utf16().count() as u8);
        d.push(1);
        d.extend(utf16(name));
        pos_at.push(stream.len() + 4);
        record(&mut stream, 0x0085, &d);
    }
    record(&mut stream, 0x000A, &[]);
    for (i, (_, records)) in sheets.iter().enumerate() {
        let pos = (stream.len() as u32).to_le_bytes();
        stream[pos_at[i]..pos_at[i] + 4].copy_from_slice(&pos);
        record(&mut stream, 0x0809, &bof(0x0010));
        for (typ, data) in records {
            record(&mut stream, *typ, data);
        }
        record(&mut stream, 0x000A, &[]);
    }
    let mut cfb =
        cfb::CompoundFile::create_with_version(cfb::Version::V3, Cursor::new(Vec::new())).expect("writing to memory");
    {
        use std::io::Write;
        let mut s = cfb.create_stream("/Workbook").expect("writing to memory");
        s.write_all(&stream).expect("writing to memory");
    }
    cfb.flush().expect("writing to memory");
    cfb.into_inner().into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/forms/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    #[test]
    fn the_office_xls_is_within_budget_and_a_cell_at_iv65536_is_not() {
        check_xls(&fixture("office.xls")).unwrap();
        let near = raw_xls(&[("S", &[(0, 0, "日期"), (99, 5, "z")])]);
        check_xls(&near).unwrap();
        let far = raw_xls(&[("S", &[(0, 0, "日期"), (65_535, 255, "z")])]);
        assert!(far.len() < 8_000, "{}", far.len());
        let e = check_xls(&far).unwrap_err();
        assert!(e.message.contains("\"S\""), "{}", e.message);
        assert!(e.message.contains("65536"), "{}", e.message);
        assert!(e.message.contains("16777216"), "{}", e.message);
    }

    #[test]
    fn a_raw_xls_reads_as_written() {
        let bytes = raw_xls(&[("S", &[(0, 0, "日期"), (2, 1, "z")])]);
        let book = super::super::workbook::read_workbook(&bytes, "xls", &[]).unwrap();
        let rows = &book.grids[0].rows;
        let (first, second) = (rows.get(0).unwrap(), rows.get(1).unwrap());
        assert_eq!((first.row, &first.cells[0]), (1, "日期"));
        assert_eq!((second.row, &second.cells[1]), (3, "z"));
    }

    #[test]
    fn the_budget_holds_all_sheets_together() {
        // 1,000 × 10 cells each: two sheets fit in 20,000, three do not.
        let sheet: &[(u16, u16, &str)] = &[(0, 0, "a"), (999, 9, "b")];
        let two = raw_xls(&[("A", sheet), ("B", sheet)]);
        check_xls_within(&two, 20_000, MAX_DENSE_TEXT).unwrap();
        let three = raw_xls(&[("A", sheet), ("B", sheet), ("C", sheet)]);
        let e = check_xls_within(&three, 20_000, MAX_DENSE_TEXT).unwrap_err();
        assert!(e.message.contains("\"C\""), "{}", e.message);
        assert!(e.message.contains("30000"), "{}", e.message);
    }

    #[test]
    fn a_dimensions_record_beyond_biff8_is_refused() {
        let mut data = Vec::new();
        for v in [0u32, 0xFFFF_FFFF] {
            data.extend_from_slice(&v.to_le_bytes());
        }
        data.extend_from_slice(&[0, 0, 10, 0, 0, 0]);
        let e = dimensions(&data, "S").unwrap_err();
        assert!(e.message.contains("4294967295"), "{}", e.message);
        // Rows 1..65536, columns A..IV: BIFF8's own grid.
        let mut data = Vec::new();
        for v in [0u32, 65_536] {
            data.extend_from_slice(&v.to_le_bytes());
        }
        data.extend_from_slice(&[0, 0, 0, 1, 0, 0]);
        dimensions(&data, "S").unwrap();
    }

    #[test]
    fn damaged_streams_pass_to_calamine_without_a_panic() {
        let good = raw_xls(&[("S", &[(0, 0, "a"), (65_535, 255, "z")])]);
        for cut in [0, 7, 100, 600, good.len() - 1] {
            let _ = check_xls(&good[..cut]);
        }
        let mut tally = Tally::new(10, 10);
        for bytes in [
            &b""[..],
            &[9, 8, 0xFF, 0xFF, 1],
            &[0x85, 0, 4, 0, 0xFF, 0xFF, 0xFF, 0xFF],
        ] {
            walk(bytes, &mut tally).unwrap();
        }
    }

    /// The cells' texts of the first sheet, as calamine reads them.
    fn texts(bytes: &[u8]) -> Vec<String> {
        let book = super::super::workbook::read_workbook(bytes, "xls", &[]).unwrap();
        book.grids[0]
            .rows
            .iter()
            .flat_map(|r| r.cells.iter().map(str::to_string))
            .collect()
    }

    #[test]
    fn shared_strings_are_measured_as_calamine_decodes_them() {
        // Chinese (3 bytes each), Latin-1 (é: 2), and a string of 20,000 characters running on
        // through three CONTINUE records.
        let long = "日".repeat(20_000);
        let strings = ["日期", "café", long.as_str()];
        let cells: &[(u16, u16, u32)] = &[(0, 0, 0), (0, 1, 1), (1, 0, 2), (2, 0, 2), (3, 0, 7)];
        let bytes = raw_xls_shared(&strings, &[("S", cells)]);
        assert_eq!(texts(&bytes), ["日期", "café", &long, &long]);
        // 6 + 5 + 60,000 × 2 (index 7 is past the table: calamine keeps no cell there).
        let total = 6 + 5 + 2 * 60_000;
        check_xls_within(&bytes, MAX_DENSE_CELLS, total).unwrap();
        let e = check_xls_within(&bytes, MAX_DENSE_CELLS, total - 1).unwrap_err();
        assert!(
            e.message.starts_with("by worksheet \"S\", the cells would copy"),
            "{}",
            e.message
        );
    }

    #[test]
    fn continue_records_switching_width_and_rich_strings_are_followed() {
        // "abc" with one format run and 2 bytes of phonetic data; then "日本é" whose "é" goes
        // on in a CONTINUE record whose flags say one byte a character.
        let mut sst = vec![2, 0, 0, 0, 2, 0, 0, 0];
        sst.extend([3, 0, 0x0C, 1, 0, 2, 0, 0, 0]);
        sst.extend(b"abc");
        sst.extend([0, 0, 0, 0, 9, 9]);
        sst.extend([3, 0, 1]);
        sst.extend(utf16("日本"));
        let cont = vec![0, 0xE9];
        let mut conts = vec![0x3C, 0, 2, 0];
        conts.extend(&cont);
        assert_eq!(sst_lengths(&sst, &conts, true), Some(vec![3, 8]));
        // The same through calamine.
        let globals = vec![(0x00FC, sst.clone()), (0x003C, cont)];
        let cells = vec![
            (0x00FD, vec![0, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            (0x00FD, vec![1, 0, 0, 0, 0, 0, 1, 0, 0, 0]),
        ];
        assert_eq!(texts(&biff8(&globals, &[("S", cells)])), ["abc", "日本é"]);
        // A legacy code page is counted at its most: 3 bytes for each of 2 bytes a character.
        assert_eq!(sst_lengths(&sst, &conts, false), Some(vec![18, 18]));
        // Where calamine fails: a string cut short with no CONTINUE, an empty CONTINUE where
        // the flags should be, a negative cbExtRst, a table under 8 bytes.
        assert_eq!(sst_lengths(&sst, &[], true), None);
        assert_eq!(sst_lengths(&sst, &[0x3C, 0, 0, 0], true), None);
        assert_eq!(
            sst_lengths(&[1, 0, 0, 0, 1, 0, 0, 0, 0, 0, 4, 0xFF, 0xFF, 0xFF, 0xFF], &[], true),
            None
        );
        assert_eq!(sst_lengths(&[1, 0, 0], &[], true), None);
    }

    #[test]
    fn a_shared_string_in_ten_thousand_cells_is_refused() {
        // 32,000 characters in 10,000 cells: 320 MB of copies from a 200 KB file.
        let long = "x".repeat(32_000);
        let cells: Vec<(u16, u16, u32)> = (0..10_000).map(|i| (i / 10, i % 10, 0)).collect();
        let bytes = raw_xls_shared(&[&long], &[("S", &cells)]);
        assert!(bytes.len() < 250_000, "{}", bytes.len());
        let e = check_xls(&bytes).unwrap_err();
        assert_eq!(
            e.message,
            "by worksheet \"S\", the cells would copy more than 64 MiB of shared text (a text that many cells refer to is copied into each), so the file is not read: delete the unneeded cells or overlong texts, or save it as .xlsx in Excel and import that"
        );
        // The budget holds all sheets together: 600 cells (19.2 MB) in each of three sheets
        // fit, a fourth does not.
        let few = &cells[..600];
        check_xls(&raw_xls_shared(&[&long], &[("A", few), ("B", few), ("C", few)])).unwrap();
        let e = check_xls(&raw_xls_shared(
            &[&long],
            &[("A", few), ("B", few), ("C", few), ("D", few)],
        ))
        .unwrap_err();
        assert!(e.message.starts_with("by worksheet \"D\""), "{}", e.message);
    }
}
