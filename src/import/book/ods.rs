//! What calamine will lay out for an `.ods`, measured before it opens the file. calamine reads
//! every table of `content.xml` when it opens the workbook (its `ods.rs`): a row's cells are
//! gathered with their `table:number-columns-repeated` copies, then the table is laid out as a
//! dense `Range` from its first used cell to its furthest, each row copied as many times as its
//! `table:number-rows-repeated` says, a cell's text and formula copied into every cell they
//! cover. Repeated empty cells at a row's end and empty rows after the last used one cost
//! nothing; empty rows between used ones cost their repeats. Its own caps (1,048,576 rows,
//! 16,384 columns, 100 million cells) still let a few hundred bytes of XML ask for gigabytes.
//! This reads `content.xml` with the same XML reader and settings and follows calamine's reading
//! event by event; where calamine would stop with an error, it stops and lets calamine report.

use quick_xml::events::{BytesStart, Event};
use quick_xml::name::QName;
use quick_xml::Reader;
use rust_i18n::t;
use std::io::{BufRead, BufReader, Cursor};

use super::cells::{MAX_COLS, MAX_ROWS};
use super::dense::{refuse, Extent, Tally, MAX_DENSE_CELLS, MAX_DENSE_TEXT};
use crate::import::sheet::SheetError;

/// Why the reading stopped early.
enum Stop {
    /// Beyond the budget: the file is refused.
    Refused(SheetError),
    /// Where calamine stops with an error of its own (and lays out nothing more).
    Calamine,
    /// The XML ends where calamine would read on forever (inside a table).
    Cut,
}

impl From<SheetError> for Stop {
    fn from(e: SheetError) -> Stop {
        Stop::Refused(e)
    }
}

/// Refuse an `.ods` whose tables calamine would lay out beyond [`MAX_DENSE_CELLS`] cells or
/// [`MAX_DENSE_TEXT`] bytes of repeated text. What is not a zip holding `content.xml` passes.
pub fn check_ods(bytes: &[u8]) -> Result<(), SheetError> {
    check_ods_within(bytes, MAX_DENSE_CELLS, MAX_DENSE_TEXT)
}

pub(super) fn check_ods_within(bytes: &[u8], max_cells: u64, max_text: u64) -> Result<(), SheetError> {
    let Ok(mut zip) = zip::ZipArchive::new(Cursor::new(bytes)) else {
        return Ok(());
    };
    let Ok(part) = zip.by_name("content.xml") else {
        return Ok(());
    };
    // calamine's settings: the same events in the same order.
    let mut reader = Reader::from_reader(BufReader::new(part));
    let config = reader.config_mut();
    config.check_end_names = false;
    config.trim_text(false);
    config.check_comments = false;
    config.expand_empty_elements = true;
    match content(&mut reader, &mut Tally::new(max_cells, max_text)) {
        Err(Stop::Refused(e)) => Err(e),
        Err(Stop::Cut) => Err(refuse(t!("book.ods_cut", sheet = "").into_owned())),
        Ok(()) | Err(Stop::Calamine) => Ok(()),
    }
}

fn content<R: BufRead>(reader: &mut Reader<R>, tally: &mut Tally) -> Result<(), Stop> {
    let mut buf = Vec::new();
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table") => {
                // A table without a name is not read (its rows pass by unread).
                if let Some(name) = attr(&e, "table:name")? {
                    let name = decode(name)?;
                    table(reader, &name, tally)?;
                }
            }
            Ok(Event::Eof) => return Ok(()),
            Err(_) => return Err(Stop::Calamine),
            Ok(_) => (),
        }
    }
}

/// One table (`read_table` and `get_range` in calamine).
fn table<R: BufRead>(reader: &mut Reader<R>, name: &str, tally: &mut Tally) -> Result<(), Stop> {
    let max = u64::from(MAX_ROWS);
    let mut buf = Vec::new();
    let mut bufs = (Vec::new(), Vec::new());
    // Rows as calamine numbers them (its repeats capped to MAX_ROWS in all).
    let mut rows = 0u64;
    // The used rows' span (first row, end), and columns (first, last).
    let mut used: Option<((u64, u64), (u64, u64))> = None;
    // Cells gathered before the repeats of rows are laid out.
    let mut gathered = 0u64;
    let cost = |used: Option<((u64, u64), (u64, u64))>, gathered: u64| -> (Extent, u64) {
        match used {
            Some(((r0, r1), (c0, c1))) => {
                let extent = Extent {
                    first: (r0, c0),
                    last: (r1.saturating_sub(1).max(r0), c1),
                };
                (extent, (r1 - r0).saturating_mul(c1 - c0 + 1).max(gathered))
            }
            None => (Extent::at(0, 0), gathered),
        }
    };
    loop {
        buf.clear();
        match reader.read_event_into(&mut buf) {
            Ok(Event::Start(e)) if e.name() == QName("table:table-row") => {
                let repeats = match attr(&e, "table:number-rows-repeated")? {
                    Some(v) => decode(v)?.parse::<usize>().map_err(|_| Stop::Calamine)? as u64,
                    None => 1,
                };
                let repeats = repeats.min(max.saturating_sub(rows));
                let start = rows;
                rows += repeats;
                let row = row(reader, &mut bufs).map_err(|s| match s {
                    Stop::Cut => cut(name),
                    s => s,
                })?;
                gathered = gathered.saturating_add(row.len);
                if let Some((c0, c1)) = row.used {
                    used = Some(match used {
                        None => ((start, rows), (c0, c1)),
                        Some(((r0, _), (u0, u1))) => ((r0, rows), (u0.min(c0), u1.max(c1))),
                    });
                    // Gathered once, then copied into each of its rows.
                    tally.text(name, row.text.saturating_mul(1 + repeats))?;
                }
                // Refused as soon as the table alone is beyond the budget: a hostile file
                // need not be read to its end.
                let (extent, cells) = cost(used, gathered);
                tally.peek(name, extent, cells)?;
            }
            Ok(Event::End(e)) if e.name() == QName("table:table") => break,
            // calamine reads on past the end of the XML and never returns.
            Ok(Event::Eof) => return Err(cut(name)),
            Err(_) => return Err(Stop::Calamine),
            Ok(_) => (),
        }
    }
    let (extent, cells) = cost(used, gathered);
    tally.sheet(name, extent, cells)?;
    Ok(())
}

fn cut(name: &str) -> Stop {
    Stop::Refused(refuse(t!("book.ods_cut", sheet = name).into_owned()))
}

/// One row as calamine gathers it (`read_row`).
struct Row {
    /// Cells gathered (a used cell's repeats and the empty cells before it).
    len: u64,
    /// The first and last used columns.
    used: Option<(u64, u64)>,
    /// Bytes of text the row's cells hold, repeats counted.
    text: u64,
}

fn row<R: BufRead>(reader: &mut Reader<R>, bufs: &mut (Vec<u8>, Vec<u8>)) -> Result<Row, Stop> {
    let max = u64::from(MAX_COLS);
    let mut row = Row {
        len: 0,
        used: None,
        text: 0,
    };
    let mut empty_run = 0u64;
    loop {
        bufs.0.clear();
        match reader.read_event_into(&mut bufs.0) {
            Ok(Event::Start(e))
                if e.name() == QName("table:table-cell") || e.name() == QName("table:covered-table-cell") =>
            {
                let repeats = match attr(&e, "table:number-columns-repeated")? {
                    Some(v) => v.parse::<usize>().map_err(|_| Stop::Calamine)? as u64,
                    None => 1,
                };
                let element = e.name().0.to_string();
                let cell = cell(reader, &e, &mut bufs.1)?;
                row.len += empty_run.min(max - row.len);
                empty_run = 0;
                let repeats = repeats.min(max - row.len);
                if cell.used {
                    if repeats > 0 {
                        let (first, last) = (row.len, row.len + repeats - 1);
                        row.used = Some(row.used.map_or((first, last), |(f, _)| (f, last)));
                    }
                    row.len += repeats;
                    row.text = row.text.saturating_add(cell.text.saturating_mul(repeats));
                } else {
                    empty_run = repeats;
                }
                if !cell.closed {
                    reader
                        .read_to_end_into(QName(&element), &mut bufs.1)
                        .map_err(|_| Stop::Calamine)?;
                }
            }
            Ok(Event::End(e)) if e.name() == QName("table:table-row") => return Ok(row),
            // Anything else in a row is an error to calamine.
            _ => return Err(Stop::Calamine),
        }
    }
}

/// One cell as calamine reads it (`get_datatype`).
struct Cell {
    /// Not empty to calamine: a value (an empty string is one) or a formula.
    used: bool,
    /// Bytes of text it holds (its string and formula).
    text: u64,
    /// Its content was read up to its end tag.
    closed: bool,
}

fn cell<R: BufRead>(reader: &mut Reader<R>, e: &BytesStart<'_>, buf: &mut Vec<u8>) -> Result<Cell, Stop> {
    let (mut is_string, mut is_error, mut set) = (false, false, false);
    let mut empty_string = false;
    let mut cell = Cell {
        used: false,
        text: 0,
        closed: false,
    };
    for a in RawAttrs::new(e.attributes_raw()) {
        let (key, value) = a?;
        match key {
            "office:value" | "office:boolean-value" if !set => {
                (set, cell.used) = (true, true);
            }
            "office:string-value" | "office:date-value" | "office:time-value" if !set => {
                (set, cell.used) = (true, true);
                cell.text += value.len() as u64;
                empty_string = key == "office:string-value" && value.is_empty();
            }
            "office:value-type" if !set => is_string = value == "string",
            "calcext:value-type" => is_error = value == "error",
            "table:formula" => {
                cell.used |= !value.is_empty();
                cell.text += value.len() as u64;
            }
            _ => (),
        }
    }
    if !((!set && is_string) || (is_error && empty_string)) {
        return Ok(cell);
    }
    // The text is the cell's content: paragraphs, spaces (`<text:s text:c="n"/>` is n
    // spaces), tabs and line breaks, up to the cell's end tag.
    (cell.used, cell.closed) = (true, true);
    let mut first_paragraph = true;
    loop {
        buf.clear();
        let add = match reader.read_event_into(buf) {
            Ok(Event::Text(t)) => t.len() as u64,
            Ok(Event::GeneralRef(_)) => 4,
            Ok(Event::End(e))
                if e.name() == QName("table:table-cell") || e.name() == QName("table:covered-table-cell") =>
            {
                return Ok(cell);
            }
            Ok(Event::Start(e)) if e.name() == QName("office:annotation") => loop {
                match reader.read_event_into(buf) {
                    Ok(Event::End(e)) if e.name() == QName("office:annotation") => break 0,
                    Err(_) => return Err(Stop::Calamine),
                    // calamine reads on past the end of the XML and never returns.
                    Ok(Event::Eof) => return Err(Stop::Cut),
                    _ => (),
                }
            },
            Ok(Event::Start(e)) if e.name() == QName("text:p") => {
                u64::from(!std::mem::replace(&mut first_paragraph, false))
            }
            // calamine parses the count as an `i32` (a larger one is its error).
            Ok(Event::Start(e)) if e.name() == QName("text:s") => match attr(&e, "text:c")? {
                Some(v) => decode(v)?.parse::<i32>().map_err(|_| Stop::Calamine)?.max(0) as u64,
                None => 1,
            },
            Ok(Event::Start(e)) if e.name() == QName("text:tab") || e.name() == QName("text:line-break") => 1,
            Err(_) | Ok(Event::Eof) => return Err(Stop::Calamine),
            _ => 0,
        };
        cell.text = cell.text.saturating_add(add);
    }
}

/// An attribute's raw value, found as calamine finds it (`raw_attr`: the first of that exact
/// name; a malformed attribute before it is an error).
fn attr<'a>(e: &'a BytesStart<'_>, name: &str) -> Result<Option<&'a str>, Stop> {
    for a in RawAttrs::new(e.attributes_raw()) {
        let (key, value) = a?;
        if key == name {
            return Ok(Some(value));
        }
    }
    Ok(None)
}

fn decode(value: &str) -> Result<String, Stop> {
    quick_xml::escape::unescape(value)
        .map(|s| s.into_owned())
        .map_err(|_| Stop::Calamine)
}

/// calamine's attribute splitter (`RawAttrIter`): `key = "value"` pairs, quotes `"` or `'`,
/// an unclosed value running to the end.
struct RawAttrs<'a> {
    raw: &'a str,
    pos: usize,
}

impl<'a> RawAttrs<'a> {
    fn new(raw: &'a str) -> Self {
        RawAttrs { raw, pos: 0 }
    }
}

impl<'a> Iterator for RawAttrs<'a> {
    type Item = Result<(&'a str, &'a str), Stop>;

    fn next(&mut self) -> Option<Self::Item> {
        let (raw, bytes) = (self.raw, self.raw.as_bytes());
        let len = bytes.len();
        let mut pos = self.pos;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        if pos >= len {
            self.pos = pos;
            return None;
        }
        let key_start = pos;
        while pos < len && bytes[pos] != b'=' {
            pos += 1;
        }
        if pos >= len {
            self.pos = len;
            return Some(Err(Stop::Calamine));
        }
        let key = raw[key_start..pos].trim_ascii_end();
        pos += 1;
        while pos < len && bytes[pos].is_ascii_whitespace() {
            pos += 1;
        }
        let quote = match bytes.get(pos) {
            Some(&q) if q == b'"' || q == b'\'' => q,
            _ => {
                self.pos = len;
                return Some(Err(Stop::Calamine));
            }
        };
        pos += 1;
        let start = pos;
        while pos < len && bytes[pos] != quote {
            pos += 1;
        }
        let value = &raw[start..pos];
        if pos < len {
            pos += 1;
        }
        self.pos = pos;
        Some(Ok((key, value)))
    }
}

/// A minimal `.ods` whose `content.xml` body (`<office:spreadsheet>`'s content) is `tables`,
/// written by hand so that it can say what tests need (a row repeated a million times); for
/// tests, not for reports.
#[doc(hidden)]
pub fn raw_ods(tables: &str) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    let deflated = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    zip.start_file("mimetype", stored).expect("writing to memory");
    zip.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .expect("writing to memory");
    zip.start_file("META-INF/manifest.xml", deflated)
        .expect("writing to memory");
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)
        .expect("writing to memory");
    zip.start_file("content.xml", deflated).expect("writing to memory");
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet>"#)
        .expect("writing to memory");
    zip.write_all(tables.as_bytes()).expect("writing to memory");
    zip.write_all(b"</office:spreadsheet></office:body></office:document-content>")
        .expect("writing to memory");
    zip.finish().expect("writing to memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{}/tests/fixtures/forms/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
    }

    fn text_cell(v: &str, cols: u64) -> String {
        format!(
            r#"<table:table-cell table:number-columns-repeated="{cols}" office:value-type="string"><text:p>{v}</text:p></table:table-cell>"#
        )
    }

    fn table(rows: &str) -> String {
        format!(r#"<table:table table:name="S">{rows}</table:table>"#)
    }

    #[test]
    fn the_office_ods_is_within_budget() {
        check_ods(&fixture("office.ods")).unwrap();
    }

    #[test]
    fn a_raw_ods_reads_as_written() {
        let rows = format!(
            r#"<table:table-row>{}</table:table-row><table:table-row table:number-rows-repeated="2">{}{}</table:table-row>"#,
            text_cell("日期", 1),
            text_cell("", 1).replace(r#" office:value-type="string""#, ""),
            text_cell("z", 2)
        );
        let book = super::super::workbook::read_workbook(&raw_ods(&table(&rows)), "ods", &[]).unwrap();
        let got: Vec<(u64, Vec<&str>)> = book.grids[0]
            .rows
            .iter()
            .map(|r| (r.row, r.cells.iter().collect()))
            .collect();
        assert_eq!(
            got,
            [(1, vec!["日期"]), (2, vec!["", "z", "z"]), (3, vec!["", "z", "z"])]
        );
    }

    #[test]
    fn a_repeated_row_or_column_is_counted_as_calamine_lays_it_out() {
        let check = |rows: &str| check_ods_within(&raw_ods(&table(rows)), 1_000, 1 << 20);
        // 10 columns × 100 rows: 1,000 cells, within.
        let row = |n: u64, cols: u64| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{n}">{}</table:table-row>"#,
                text_cell("z", cols)
            )
        };
        check(&row(100, 10)).unwrap();
        // One row more is beyond.
        let e = check(&row(101, 10)).unwrap_err();
        assert!(e.message.contains("\"S\""), "{}", e.message);
        assert!(e.message.contains("1010"), "{}", e.message);
        // Trailing empty rows and cells cost nothing; empty rows between used ones do.
        let empty = |n: u64| {
            format!(
                r#"<table:table-row table:number-rows-repeated="{n}"><table:table-cell table:number-columns-repeated="16384"/></table:table-row>"#
            )
        };
        check(&format!("{}{}{}", empty(1_000_000), row(100, 10), empty(1_000_000))).unwrap();
        let e = check(&format!("{}{}{}", row(1, 10), empty(1_000), row(1, 10))).unwrap_err();
        assert!(e.message.contains("1002"), "{}", e.message);
    }

    #[test]
    fn repeated_text_is_counted_by_its_bytes() {
        let check = |rows: &str| check_ods_within(&raw_ods(&table(rows)), 1 << 20, 1_000);
        let row = format!("<table:table-row>{}</table:table-row>", text_cell("0123456789", 50));
        check(&row).unwrap();
        let row = format!("<table:table-row>{}</table:table-row>", text_cell("0123456789", 200));
        let e = check(&row).unwrap_err();
        assert!(e.message.contains("\"S\""), "{}", e.message);
        // `<text:s text:c="n"/>` is n spaces.
        let spaces = r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>"#;
        check(spaces).unwrap_err();
    }

    #[test]
    fn content_cut_inside_a_table_is_refused_not_a_hang() {
        let mut xml = table(&format!("<table:table-row>{}</table:table-row>", text_cell("z", 1)));
        xml.truncate(xml.len() - "</table:table>".len());
        let e = check_ods(&raw_ods(&xml)).unwrap_err();
        assert!(e.message.contains("\"S\""), "{}", e.message);
    }
}
