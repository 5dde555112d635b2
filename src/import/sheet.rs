//! Reading a sheet an inspector handed in: CSV/TSV/TXT in UTF-8 (with or without BOM) or
//! GB18030, with comma, tab or semicolon; or the first (or a named) sheet of an `.xlsx`.
//! Decoding is strict: bytes valid in neither encoding are an error with their row.

use std::path::Path;

use calamine::{Data, Reader};
use chrono::{Days, NaiveDate};

/// A sheet as rows of text cells. `row` numbers are as a person sees them (1 = the first line
/// of the file or the first row of the worksheet).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sheet {
    /// Its rows, the header first; blank rows are not kept.
    pub rows: Vec<SheetRow>,
}

/// One row's cells, trimmed: one record (a buffer and its cell bounds), not a string per cell,
/// since a month's sheet can have a million rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetRow {
    /// Where the row is, as a person counts (1 = the first line or worksheet row).
    pub row: u64,
    /// Its cells, trimmed.
    pub cells: csv::StringRecord,
}

/// A text encoding a CSV sheet may be in: UTF-8 (`utf-8`, `utf8`) or GB18030, as Excel in
/// China saves "CSV" (`gb18030`, `gbk`, `gb2312`).
// The variants are described here, not each by a `///`: clap would make such a comment the
// value's help and change `--help`.
#[allow(missing_docs)]
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Encoding {
    #[value(name = "utf-8", alias = "utf8")]
    Utf8,
    #[value(name = "gb18030", alias = "gbk", alias = "gb2312")]
    Gb18030,
}

/// A problem reading a sheet: the row (when known) and the message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SheetError {
    /// The row the problem is on, when it is known.
    pub row: Option<u64>,
    /// What is wrong, and what to do about it.
    pub message: String,
}

fn err(row: Option<u64>, message: impl Into<String>) -> SheetError {
    SheetError {
        row,
        message: message.into(),
    }
}

/// Read a sheet file, choosing the reader by extension.
pub fn read_sheet(path: &Path, sheet: Option<&str>, encoding: Option<Encoding>) -> Result<Sheet, SheetError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "xlsx" | "xlsm" => read_xlsx(path, sheet),
        "csv" | "tsv" | "txt" => {
            let bytes = std::fs::read(path).map_err(|e| err(None, format!("cannot read: {e}")))?;
            read_text(&bytes, ext == "tsv", encoding)
        }
        "xls" => Err(err(
            None,
            "old .xls workbooks are not read: save the sheet as .xlsx or CSV in Excel",
        )),
        _ => Err(err(
            None,
            format!("unknown sheet type \".{ext}\": expected .csv, .tsv, .txt or .xlsx"),
        )),
    }
}

/// The row (1-based line) of a byte offset.
fn row_of(bytes: &[u8], offset: usize) -> u64 {
    1 + bytes[..offset.min(bytes.len())].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Decode text strictly: UTF-8 (a BOM is dropped) or GB18030, detected unless `forced`.
pub fn decode(bytes: &[u8], forced: Option<Encoding>) -> Result<String, SheetError> {
    let (bom, body) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    let utf8 = |body: &[u8]| {
        std::str::from_utf8(body).map(str::to_string).map_err(|e| {
            err(
                Some(row_of(body, e.valid_up_to())),
                "not valid UTF-8 (was the sheet saved as GB18030? try --encoding gb18030)",
            )
        })
    };
    let gb = |body: &[u8]| {
        let mut decoder = encoding_rs::GB18030.new_decoder_without_bom_handling();
        let mut out = String::with_capacity(body.len() * 3 / 2 + 16);
        let (result, read) = decoder.decode_to_string_without_replacement(body, &mut out, true);
        match result {
            encoding_rs::DecoderResult::InputEmpty => Ok(out),
            encoding_rs::DecoderResult::Malformed(bad, _) => Err(err(
                Some(row_of(body, read.saturating_sub(bad as usize))),
                "bytes valid in neither UTF-8 nor GB18030: the file is damaged or in another encoding (save it from Excel as CSV UTF-8)",
            )),
            // The output string grows as needed; a full buffer cannot happen.
            encoding_rs::DecoderResult::OutputFull => Err(err(None, "decoding stopped early")),
        }
    };
    match forced {
        Some(Encoding::Utf8) => utf8(body),
        Some(Encoding::Gb18030) => gb(body),
        None if bom => utf8(body),
        None => match std::str::from_utf8(body) {
            Ok(s) => Ok(s.to_string()),
            // Neither? Report the decoder that got further: a UTF-8 sheet with one bad byte is
            // located at that byte, not at its Chinese header (which is not GB18030).
            Err(e8) => gb(body).map_err(|egb| {
                let row8 = row_of(body, e8.valid_up_to());
                if egb.row.is_some_and(|r| r < row8) {
                    SheetError { row: Some(row8), ..egb }
                } else {
                    egb
                }
            }),
        },
    }
}

/// Parse delimited text: the delimiter is tab for `.tsv`, else whichever of comma, tab and
/// semicolon the header line holds most of.
pub fn read_text(bytes: &[u8], tsv: bool, encoding: Option<Encoding>) -> Result<Sheet, SheetError> {
    let text = decode(bytes, encoding)?;
    let first = text.lines().next().unwrap_or("");
    let delimiter = if tsv {
        b'\t'
    } else {
        [b',', b'\t', b';']
            .into_iter()
            .max_by_key(|d| (first.bytes().filter(|b| b == d).count(), *d == b','))
            .unwrap_or(b',')
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut rows = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| err(e.position().map(|p| p.line()), format!("unreadable CSV: {e}")))?;
        let row = rec.position().map_or(0, |p| p.line());
        if rec.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut cells = csv::StringRecord::with_capacity(rec.as_slice().len(), rec.len());
        for c in &rec {
            cells.push_field(c.trim());
        }
        rows.push(SheetRow { row, cells });
    }
    Ok(Sheet { rows })
}

fn read_xlsx(path: &Path, sheet: Option<&str>) -> Result<Sheet, SheetError> {
    let bytes = std::fs::read(path).map_err(|e| err(None, format!("cannot read: {e}")))?;
    read_xlsx_bytes(&bytes, sheet)
}

/// Read the first (or the named) worksheet of an `.xlsx` held in memory.
pub fn read_xlsx_bytes(bytes: &[u8], sheet: Option<&str>) -> Result<Sheet, SheetError> {
    let mut wb = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e: calamine::XlsxError| err(None, format!("not a readable .xlsx workbook: {e}")))?;
    let names = wb.sheet_names();
    let range = match sheet {
        Some(name) => {
            if !names.iter().any(|n| n == name) {
                return Err(err(
                    None,
                    format!("no sheet named \"{name}\" (sheets: {})", names.join(", ")),
                ));
            }
            wb.worksheet_range(name)
                .map_err(|e| err(None, format!("sheet \"{name}\": {e}")))?
        }
        None => wb
            .worksheet_range_at(0)
            .ok_or_else(|| err(None, "the workbook has no sheets"))?
            .map_err(|e| err(None, format!("first sheet: {e}")))?,
    };
    let first_row = range.start().map_or(0, |(r, _)| u64::from(r));
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::new();
    for (i, r) in range.rows().enumerate() {
        let mut cells = csv::StringRecord::new();
        for _ in 0..first_col {
            cells.push_field("");
        }
        for c in r {
            cells.push_field(&cell_text(c));
        }
        if cells.iter().all(str::is_empty) {
            continue;
        }
        rows.push(SheetRow {
            row: first_row + i as u64 + 1,
            cells,
        });
    }
    Ok(Sheet { rows })
}

/// A cell as text: whole floats without `.0` (Excel stores every number as a float), dates as
/// `YYYY-MM-DD`, errors as Excel shows them (so they fail to parse, loudly).
fn cell_text(c: &Data) -> String {
    match c {
        Data::Empty => String::new(),
        Data::String(s) => s.trim().to_string(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => float_text(*f),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(dt) => excel_serial_date(dt.as_f64()).map_or_else(|| float_text(dt.as_f64()), |d| d.to_string()),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_string(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
    }
}

fn float_text(f: f64) -> String {
    if f.fract() == 0.0 && f.abs() < 1e15 {
        format!("{}", f as i64)
    } else {
        f.to_string()
    }
}

/// An Excel serial day number (1900 date system) as a date: day 1 is 1900-01-01, and
/// serials from 61 on count from 1899-12-30 because of Excel's phantom 1900-02-29.
pub fn excel_serial_date(serial: f64) -> Option<NaiveDate> {
    if !(61.0..2_958_466.0).contains(&serial) {
        return None;
    }
    NaiveDate::from_ymd_opt(1899, 12, 30)?.checked_add_days(Days::new(serial.floor() as u64))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_bom_and_gb18030() {
        assert_eq!(decode("日期".as_bytes(), None).unwrap(), "日期");
        assert_eq!(decode(b"\xEF\xBB\xBFdate", None).unwrap(), "date");
        let (gb, _, _) = encoding_rs::GB18030.encode("小区,日期\n南营门里,2026/3/5\n");
        assert_eq!(decode(&gb, None).unwrap(), "小区,日期\n南营门里,2026/3/5\n");
    }

    #[test]
    fn bytes_valid_in_neither_encoding_are_located() {
        let bytes = b"a,b\nok,ok\n\x81\x20bad\n";
        let e = decode(bytes, None).unwrap_err();
        assert_eq!(e.row, Some(3));
    }

    #[test]
    fn picks_the_delimiter_of_the_header() {
        let s = read_text("a;b;c\n1;2;3\n".as_bytes(), false, None).unwrap();
        assert_eq!(s.rows[1].cells, vec!["1", "2", "3"]);
        let s = read_text("a\tb\n1\t2\n".as_bytes(), false, None).unwrap();
        assert_eq!(
            s.rows[1],
            SheetRow {
                row: 2,
                cells: csv::StringRecord::from(vec!["1", "2"])
            }
        );
    }

    #[test]
    fn excel_serials_are_dates() {
        assert_eq!(excel_serial_date(46086.0), NaiveDate::from_ymd_opt(2026, 3, 5));
        assert_eq!(excel_serial_date(61.0), NaiveDate::from_ymd_opt(1900, 3, 1));
        assert_eq!(excel_serial_date(12.0), None);
    }
}

#[cfg(test)]
mod never_panic {
    use proptest::prelude::*;

    proptest! {
        /// Any bytes: decoded and split into rows, or refused with a located error.
        #[test]
        fn any_bytes_read_or_refuse(bytes in prop::collection::vec(any::<u8>(), 0..2048), tsv in any::<bool>()) {
            let _ = super::read_text(&bytes, tsv, None);
            let _ = super::read_text(&bytes, tsv, Some(super::Encoding::Gb18030));
        }

        /// Any text as a standards file: parsed or refused, with no panic.
        #[test]
        fn any_text_as_standards(text in "\\PC{0,400}") {
            let _ = crate::workspace::parse_standards(&text, None);
            let _ = toml::from_str::<crate::model::funds::Funds>(&text);
        }
    }
}
