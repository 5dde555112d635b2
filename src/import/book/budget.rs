//! The budget a zip workbook (`.xlsx`, `.xlsm`, `.xlsb`, `.ods`) may spend before calamine reads
//! it: every part is decompressed once, streamed and counted, and the file is refused when its
//! parts together exceed [`MAX_XML_BYTES`] or one part expands more than [`MAX_RATIO`] times (a
//! zip bomb), and when a worksheet names a cell beyond Excel's grid (`YHP99956`,
//! `A9999999999999999999999947`), which calamine's reference parser would overflow on.

use rust_i18n::t;
use std::io::{Cursor, Read};

use crate::import::sheet::SheetError;

use super::cells::{MAX_COLS, MAX_ROWS};

/// The most bytes all parts of one workbook may decompress to.
pub const MAX_XML_BYTES: u64 = 512 * 1024 * 1024;
/// The most a part may expand (decompressed bytes per compressed byte), once past
/// [`RATIO_FROM`] bytes: office files expand 5 to 50 times, zip bombs hundreds of times.
pub const MAX_RATIO: u64 = 250;
/// Parts smaller than this are not held to [`MAX_RATIO`] (a short XML of repeats may expand
/// well beyond it and costs nothing).
pub const RATIO_FROM: u64 = 1024 * 1024;
/// The longest `r="…"`/`ref="…"` value looked at; a real one is under 40 bytes.
const MAX_REF_LEN: usize = 4096;

fn refuse(message: String) -> SheetError {
    SheetError { row: None, message }
}

/// Check a zip workbook against the budget. A file that is not a readable zip passes: calamine
/// then reports it as unreadable.
pub fn check_zip(bytes: &[u8]) -> Result<(), SheetError> {
    check_zip_within(bytes, MAX_XML_BYTES)
}

fn check_zip_within(bytes: &[u8], max_bytes: u64) -> Result<(), SheetError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let mut total = 0u64;
    let mut buf = vec![0u8; 64 * 1024];
    for i in 0..zip.len() {
        let Ok(mut part) = zip.by_index(i) else {
            return Ok(());
        };
        let name = part.name().to_string();
        let packed = part.compressed_size().max(1);
        let worksheet = name.starts_with("xl/worksheets/") && name.ends_with(".xml");
        let mut scan = RefScan::default();
        let mut out = 0u64;
        loop {
            let n = match part.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                // A damaged part: calamine reports it when it reads it.
                Err(_) => return Ok(()),
            };
            out += n as u64;
            total += n as u64;
            if total > max_bytes {
                return Err(refuse(
                    t!("book.too_big", mib = max_bytes >> 20, part = name).into_owned(),
                ));
            }
            if out > RATIO_FROM && out > packed.saturating_mul(MAX_RATIO) {
                return Err(refuse(
                    t!("book.ratio", part = name, ratio = MAX_RATIO, packed = packed, out = out).into_owned(),
                ));
            }
            if worksheet {
                scan.feed(&buf[..n])
                    .map_err(|r| refuse(t!("book.beyond_grid", part = name, cell = r, rows = MAX_ROWS).into_owned()))?;
            }
        }
        if worksheet {
            scan.finish()
                .map_err(|r| refuse(t!("book.beyond_grid", part = name, cell = r, rows = MAX_ROWS).into_owned()))?;
        }
    }
    Ok(())
}

/// Finds every `r="…"` and `ref="…"` attribute of a worksheet's XML as it streams past, and
/// checks each cell reference in it. Whitespace runs are collapsed to one space as the bytes
/// arrive (XML allows any amount around `=`: `r =\r\n"…"`), so a short carried tail always
/// holds an attribute cut between two chunks.
#[derive(Default)]
struct RefScan {
    carry: Vec<u8>,
    /// The last byte kept was whitespace.
    in_space: bool,
}

impl RefScan {
    fn feed(&mut self, chunk: &[u8]) -> Result<(), String> {
        let mut buf = std::mem::take(&mut self.carry);
        buf.reserve(chunk.len());
        for &b in chunk {
            if b.is_ascii_whitespace() {
                if !self.in_space {
                    buf.push(b' ');
                }
                self.in_space = true;
            } else {
                buf.push(b);
                self.in_space = false;
            }
        }
        let keep_from = scan(&buf, false)?;
        self.carry = buf[keep_from..].to_vec();
        Ok(())
    }

    fn finish(self) -> Result<(), String> {
        scan(&self.carry, true).map(|_| ())
    }
}

/// Check the attributes in `buf` (whitespace collapsed); returns where the unchecked tail
/// starts (to be scanned again with the next chunk). `last`: no more bytes follow.
fn scan(buf: &[u8], last: bool) -> Result<usize, String> {
    let mut keep = buf.len().saturating_sub(64);
    for eq in memchr::memchr_iter(b'=', buf) {
        // The attribute's name: the name characters before `=` (and one space).
        let name_end = if eq > 0 && buf[eq - 1] == b' ' { eq - 1 } else { eq };
        let name_start = buf[..name_end]
            .iter()
            .rposition(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'_' | b':' | b'.' | b'-')))
            .map_or(0, |p| p + 1);
        let name = &buf[name_start..name_end];
        if name != b"r" && name != b"ref" {
            continue;
        }
        let mut q = eq + 1;
        if buf.get(q) == Some(&b' ') {
            q += 1;
        }
        let Some(&quote) = buf.get(q) else {
            if !last {
                keep = keep.min(name_start);
            }
            break;
        };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let value_start = q + 1;
        match memchr::memchr(quote, &buf[value_start..]) {
            Some(len) => check_refs(&buf[value_start..value_start + len])?,
            None if last || buf.len() - value_start > MAX_REF_LEN => {
                let end = buf.len().min(value_start + 40);
                return Err(String::from_utf8_lossy(&buf[value_start..end]).into_owned() + "…");
            }
            None => {
                keep = keep.min(name_start);
                break;
            }
        }
    }
    Ok(keep)
}

/// A reference value: cells (`B7`), ranges (`A1:D9`), whole rows or columns (`3`, `C`), lists
/// separated by spaces. Each part must lie within Excel's grid.
fn check_refs(value: &[u8]) -> Result<(), String> {
    for part in value.split(|&b| b == b':' || b == b' ') {
        if !ref_fits(part) {
            let shown = String::from_utf8_lossy(&value[..value.len().min(60)]).into_owned();
            return Err(shown);
        }
    }
    Ok(())
}

/// Whether a cell reference (letters then digits, `$` allowed) fits in XFD1048576. What is
/// not a reference at all passes: calamine refuses it without overflowing.
fn ref_fits(r: &[u8]) -> bool {
    let r: Vec<u8> = r.iter().copied().filter(|&b| b != b'$').collect();
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = r[letters..].iter().take_while(|b| b.is_ascii_digit()).count();
    if r[letters + digits..].iter().any(|b| b.is_ascii_alphanumeric()) {
        // Letters after digits, or the like: not a reference calamine reads, and no run in it
        // may overflow either.
        let mut run = (0u8, 0usize);
        for &b in &r {
            let kind = if b.is_ascii_alphabetic() {
                1
            } else if b.is_ascii_digit() {
                2
            } else {
                0
            };
            run = if kind == run.0 { (kind, run.1 + 1) } else { (kind, 1) };
            if (kind == 1 && run.1 > 3) || (kind == 2 && run.1 > 7) {
                return false;
            }
        }
        return true;
    }
    if letters > 3 || digits > 7 {
        return false;
    }
    let col = r[..letters]
        .iter()
        .fold(0u32, |c, b| c * 26 + u32::from(b.to_ascii_uppercase() - b'A') + 1);
    let row = r[letters..letters + digits]
        .iter()
        .fold(0u32, |n, b| n * 10 + u32::from(b - b'0'));
    col <= MAX_COLS && row <= MAX_ROWS
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_within_excel_fit_and_others_do_not() {
        for ok in ["A1", "XFD1048576", "$B$7", "C", "12", "", "A0"] {
            assert!(ref_fits(ok.as_bytes()), "{ok}");
        }
        for bad in [
            "YHP99956",
            "XFE1",
            "A1048577",
            "A9999999999999999999999947",
            "AAAAAAAAAAAA",
            "A1B99999999999",
        ] {
            assert!(!ref_fits(bad.as_bytes()), "{bad}");
        }
    }

    #[test]
    fn a_workbook_beyond_the_byte_budget_is_refused() {
        // Numbers that differ from row to row: they compress like a real sheet, not a bomb.
        let data: Vec<u8> = (0..120_000u32)
            .flat_map(|i| format!("<row><c><v>{}</v></c></row>", i.wrapping_mul(2_654_435_761)).into_bytes())
            .collect();
        assert!(data.len() > 3 << 20);
        let bytes = crate::import::book::raw_xlsx(&data);
        check_zip_within(&bytes, 4 << 20).unwrap();
        let e = check_zip_within(&bytes, 2 << 20).unwrap_err();
        assert!(
            e.message
                .starts_with("the workbook unpacks to more than 2 MiB (at part \"xl/worksheets/sheet1.xml\")"),
            "{}",
            e.message
        );
    }

    #[test]
    fn a_reference_cut_between_two_chunks_is_still_seen() {
        let xml = br#"<row r="1"><c r="A1" t="n"><v>1</v></c><c r="YHP99956"><v>2</v></c></row>"#;
        for cut in 1..xml.len() {
            let mut s = RefScan::default();
            let r = s
                .feed(&xml[..cut])
                .and_then(|_| s.feed(&xml[cut..]))
                .and_then(|_| s.finish());
            assert_eq!(r, Err("YHP99956".to_string()), "cut at {cut}");
        }
        let mut s = RefScan::default();
        s.feed(br#"<dimension ref="A1:XFD1048576"/><row r="1">"#).unwrap();
        s.finish().unwrap();
        // Whitespace around `=` (the sheet_xml fuzzer's find: `r=\r\r…"inmineStr"`), and an
        // attribute right after a quote, cut anywhere.
        let spaced = b"<row r=\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\r\"inmineStr\">";
        let glued = br#"<c t="s"r = 'YHP99956'><v>1</v></c>"#;
        for (xml, r) in [(&spaced[..], "inmineStr"), (&glued[..], "YHP99956")] {
            for cut in 1..xml.len() {
                let mut s = RefScan::default();
                let got = s
                    .feed(&xml[..cut])
                    .and_then(|_| s.feed(&xml[cut..]))
                    .and_then(|_| s.finish());
                assert_eq!(got, Err(r.to_string()), "cut at {cut}");
            }
        }
    }
}
