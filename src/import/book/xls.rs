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

/// Refuse an `.xls` whose sheets calamine would lay out beyond [`MAX_DENSE_CELLS`]. A container
/// without a workbook stream passes: calamine reports it.
pub fn check_xls(bytes: &[u8]) -> Result<(), SheetError> {
    check_xls_within(bytes, MAX_DENSE_CELLS)
}

pub(super) fn check_xls_within(bytes: &[u8], max_cells: u64) -> Result<(), SheetError> {
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
    walk(&stream, &mut Tally::new(max_cells, MAX_DENSE_TEXT))
}

/// One BIFF record: its type and its data (CONTINUE records after it are skipped, as
/// calamine's record iterator joins them to it). `Err`: the stream ends inside a record,
/// where calamine stops with an error.
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
    type Item = Result<(u16, &'a [u8]), ()>;

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
        if self.rest.len() > 4 {
            while self.rest.len() > 4 && u16_at(self.rest, 0) == Some(0x003C) {
                let len = u16_at(self.rest, 2).unwrap_or(0) as usize;
                if self.rest.len() < len + 4 {
                    return Some(Err(()));
                }
                self.rest = &self.rest[len + 4..];
            }
        }
        Some(Ok((typ, data)))
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
    for record in (Records { rest: stream }) {
        // A damaged globals substream: calamine stops before it lays out any sheet.
        let Ok((typ, data)) = record else {
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
            0x0042 => gbk = u16_at(data, 0) == Some(936),
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
        match sheet_extent(sub, &sheet.name)? {
            Some(extent) => tally.sheet(&sheet.name, extent, extent.area())?,
            None => continue,
        }
    }
    Ok(())
}

/// The dense extent of one sheet's substream (`None`: no cell), counting the cells of every
/// record type calamine keeps and the formulas it keeps beside them.
fn sheet_extent(sub: &[u8], name: &str) -> Result<Option<Extent>, SheetError> {
    let mut extent: Option<Extent> = None;
    let mut add = |row: u16, col: u16| {
        let at = Extent::at(u64::from(row), u64::from(col));
        extent = Some(extent.map_or(at, |e| e.join(at)));
    };
    let mut formula_at = (0u16, 0u16);
    let mut seen_bof = false;
    let mut depth = 0usize;
    for record in (Records { rest: sub }) {
        // calamine stops with an error, laying out nothing more.
        let Ok((typ, data)) = record else {
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
            // NUMBER, LABEL, RSTRING, BOOLERR, RK, LABELSST.
            0x0203 | 0x0204 | 0x00D6 | 0x0205 | 0x027E | 0x00FD => {
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
    Ok(extent)
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
    fn record(out: &mut Vec<u8>, typ: u16, data: &[u8]) {
        out.extend_from_slice(&typ.to_le_bytes());
        out.extend_from_slice(&(data.len() as u16).to_le_bytes());
        out.extend_from_slice(data);
    }
    fn utf16(s: &str) -> Vec<u8> {
        s.encode_utf16().flat_map(u16::to_le_bytes).collect()
    }
    let bof = |dt: u16| {
        let mut d = vec![0u8; 16];
        d[..2].copy_from_slice(&0x0600u16.to_le_bytes());
        d[2..4].copy_from_slice(&dt.to_le_bytes());
        d
    };
    // The globals: BOF, one BOUNDSHEET8 per sheet (its position filled in below), EOF.
    let mut globals = Vec::new();
    record(&mut globals, 0x0809, &bof(0x0005));
    let mut pos_at = Vec::new();
    for (name, _) in sheets {
        let mut d = vec![0u8; 6];
        d.push(name.encode_utf16().count() as u8);
        d.push(1);
        d.extend(utf16(name));
        pos_at.push(globals.len() + 4);
        record(&mut globals, 0x0085, &d);
    }
    record(&mut globals, 0x000A, &[]);
    let mut stream = globals;
    for (i, (_, cells)) in sheets.iter().enumerate() {
        let pos = (stream.len() as u32).to_le_bytes();
        stream[pos_at[i]..pos_at[i] + 4].copy_from_slice(&pos);
        record(&mut stream, 0x0809, &bof(0x0010));
        for &(row, col, text) in cells.iter() {
            let mut d = Vec::new();
            d.extend_from_slice(&row.to_le_bytes());
            d.extend_from_slice(&col.to_le_bytes());
            d.extend_from_slice(&0u16.to_le_bytes());
            d.extend_from_slice(&(text.encode_utf16().count() as u16).to_le_bytes());
            d.push(1);
            d.extend(utf16(text));
            record(&mut stream, 0x0204, &d);
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
        assert_eq!((rows[0].row, &rows[0].cells[0]), (1, "日期"));
        assert_eq!((rows[1].row, &rows[1].cells[1]), (3, "z"));
    }

    #[test]
    fn the_budget_holds_all_sheets_together() {
        // 1,000 × 10 cells each: two sheets fit in 20,000, three do not.
        let sheet: &[(u16, u16, &str)] = &[(0, 0, "a"), (999, 9, "b")];
        let two = raw_xls(&[("A", sheet), ("B", sheet)]);
        check_xls_within(&two, 20_000).unwrap();
        let three = raw_xls(&[("A", sheet), ("B", sheet), ("C", sheet)]);
        let e = check_xls_within(&three, 20_000).unwrap_err();
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
}
