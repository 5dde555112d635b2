//! Workbooks: `.xlsx`/`.xlsm`, `.xlsb`, `.xls` (BIFF) and `.ods`, every visible worksheet in
//! workbook order. `.xlsx` and `.xlsb` sheets are streamed cell by cell into [`Cells`], so a
//! hostile file's absurd dimensions cost nothing; `.xls` and `.ods` have no streaming reader
//! in calamine and go through its dense `Range`, laid out for every sheet when the file is
//! opened: what that will cost is measured first ([`super::xls`], [`super::ods`]) and held to
//! [`super::dense::MAX_DENSE_CELLS`]. Every cell keeps a copy of its text, so the text all
//! sheets' cells hold together is held to [`super::cells::MAX_TEXT_BYTES`] as they are read.

use rust_i18n::t;
use std::io::Cursor;

use calamine::{open_workbook_from_rs, DataRef, Ods, Reader, SheetType, SheetVisible, Sheets, Xls, Xlsb, Xlsx};

use super::cells::{Cells, MAX_TEXT_BYTES};
use super::{Book, Grid};
use crate::import::sheet::{cell_text, data_ref_text, Rows, SheetError};

type Workbook<'a> = Sheets<Cursor<&'a [u8]>>;

fn err(message: String) -> SheetError {
    SheetError { row: None, message }
}

/// Read the worksheets of a workbook held in memory. `ext` (the file's extension, lower case)
/// only decides which reader is tried first and names the file type in an error; `asked` is
/// `--sheet` (empty: every visible worksheet).
pub fn read_workbook(bytes: &[u8], ext: &str, asked: &[String]) -> Result<Book, SheetError> {
    if bytes.starts_with(b"PK") {
        super::budget::check_zip(bytes)?;
    }
    // The budget above keeps calamine from the inputs known to make it panic; should another
    // one do so, the file is refused like any unreadable workbook rather than killing the tool.
    let read = std::panic::catch_unwind(|| read_checked(bytes, ext, asked));
    read.unwrap_or_else(|_| {
        Err(err(
            t!("book.crashed", ext = if ext.is_empty() { "xlsx" } else { ext }).into_owned()
        ))
    })
}

fn read_checked(bytes: &[u8], ext: &str, asked: &[String]) -> Result<Book, SheetError> {
    // Whatever the extension, `open` may end up in calamine's `.xls` or `.ods` reader, which
    // lay out every sheet as they open: bound them first.
    if super::xls::is_cfb(bytes) {
        super::xls::check_xls(bytes)?;
    }
    if bytes.starts_with(b"PK") {
        super::ods::check_ods(bytes)?;
    }
    let mut wb = open(bytes, ext)?;
    let (names, skipped) = choose(wb.sheets_metadata(), asked)?;
    let mut grids = Vec::with_capacity(names.len());
    // The text all sheets' cells may still hold: every sheet's rows are kept until the end.
    let mut text_left = MAX_TEXT_BYTES;
    for name in names {
        let rows = read_worksheet(&mut wb, &name, &mut text_left).map_err(|e| SheetError {
            message: format!("工作表「{name}」：{}", e.message),
            ..e
        })?;
        grids.push(Grid { name: Some(name), rows });
    }
    Ok(Book { grids, skipped })
}

/// Open with the reader the extension names first, then the others (an `.xls` may really be
/// an `.xlsx` renamed, and the reverse); the first reader's error is the one reported.
fn open<'a>(bytes: &'a [u8], ext: &str) -> Result<Workbook<'a>, SheetError> {
    let rs = || Cursor::new(bytes);
    let try_xlsx = || {
        open_workbook_from_rs::<Xlsx<_>, _>(rs())
            .map(Sheets::Xlsx)
            .map_err(|e| e.to_string())
    };
    let try_xls = || {
        open_workbook_from_rs::<Xls<_>, _>(rs())
            .map(Sheets::Xls)
            .map_err(|e| e.to_string())
    };
    let try_xlsb = || {
        open_workbook_from_rs::<Xlsb<_>, _>(rs())
            .map(Sheets::Xlsb)
            .map_err(|e| e.to_string())
    };
    let try_ods = || {
        open_workbook_from_rs::<Ods<_>, _>(rs())
            .map(Sheets::Ods)
            .map_err(|e| e.to_string())
    };
    let order: [&dyn Fn() -> Result<Workbook<'a>, String>; 4] = match ext {
        "xls" => [&try_xls, &try_xlsx, &try_xlsb, &try_ods],
        "xlsb" => [&try_xlsb, &try_xlsx, &try_xls, &try_ods],
        "ods" => [&try_ods, &try_xlsx, &try_xls, &try_xlsb],
        _ => [&try_xlsx, &try_xls, &try_xlsb, &try_ods],
    };
    let mut first = None;
    for attempt in order {
        match attempt() {
            Ok(wb) => return Ok(wb),
            Err(e) => {
                first.get_or_insert(e);
            }
        }
    }
    let kind = if ext.is_empty() { "xlsx" } else { ext };
    Err(err(t!(
        "book.unreadable_workbook",
        ext = kind,
        error = first.unwrap_or_default()
    )
    .into_owned()))
}

/// The worksheets to read, and those passed over with why.
pub type Chosen = (Vec<String>, Vec<(String, String)>);

/// Which worksheets to read, in workbook order, and which are passed over with why. Sheets
/// named with `--sheet` are read even when hidden: the analyst asked for them.
pub fn choose(meta: &[calamine::Sheet], asked: &[String]) -> Result<Chosen, SheetError> {
    if let Some(unknown) = asked.iter().find(|a| !meta.iter().any(|s| &s.name == *a)) {
        let names: Vec<&str> = meta.iter().map(|s| s.name.as_str()).collect();
        return Err(err(t!(
            "book.no_such_sheet",
            sheet = unknown,
            sheets = names.join(t!("punct.list").as_ref())
        )
        .into_owned()));
    }
    let mut read = Vec::new();
    let mut skipped = Vec::new();
    for s in meta {
        let why = if s.typ != SheetType::WorkSheet {
            Some("不是工作表（图表或宏表）")
        } else if !asked.is_empty() {
            (!asked.contains(&s.name)).then_some("未用 --sheet 选择")
        } else {
            match s.visible {
                SheetVisible::Visible => None,
                SheetVisible::Hidden => Some("隐藏工作表"),
                SheetVisible::VeryHidden => Some("深度隐藏工作表"),
            }
        };
        match why {
            Some(why) => skipped.push((s.name.clone(), why.to_string())),
            None => read.push(s.name.clone()),
        }
    }
    Ok((read, skipped))
}

/// One worksheet's non-blank rows, merged regions filled from their top-left cell, holding at
/// most `text_left` bytes of text (less what they hold, after).
fn read_worksheet(wb: &mut Workbook<'_>, name: &str, text_left: &mut u64) -> Result<Rows, SheetError> {
    let mut cells = Cells::within(*text_left);
    let merges = match wb {
        Sheets::Xlsx(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| err(e.to_string()))?;
            while let Some(cell) = reader.next_cell().map_err(|e| err(e.to_string()))? {
                let (r, c) = cell.get_position();
                push_ref(&mut cells, r, c, cell.get_value())?;
            }
            drop(reader);
            x.merge_cells_by_sheet_name(name).map_err(|e| err(e.to_string()))?
        }
        Sheets::Xlsb(x) => {
            let mut reader = x.worksheet_cells_reader(name).map_err(|e| err(e.to_string()))?;
            while let Some(cell) = reader.next_cell().map_err(|e| err(e.to_string()))? {
                let (r, c) = cell.get_position();
                push_ref(&mut cells, r, c, cell.get_value())?;
            }
            // calamine reads no merged regions from .xlsb.
            Vec::new()
        }
        Sheets::Xls(x) => {
            dense(x.worksheet_range(name).map_err(|e| err(e.to_string()))?, &mut cells)?;
            x.merge_cells_by_sheet_name(name).map_err(|e| err(e.to_string()))?
        }
        Sheets::Ods(x) => {
            dense(x.worksheet_range(name).map_err(|e| err(e.to_string()))?, &mut cells)?;
            // calamine reads no merged regions from .ods.
            Vec::new()
        }
    };
    cells.fill_merges(&merges)?;
    *text_left = text_left.saturating_sub(cells.text_held());
    cells.into_rows()
}

/// Keep a streamed cell. calamine lends a shared string's text (`DataRef::SharedString`, one
/// `String` in its table however many cells refer to it): it is measured against the budget
/// before it is copied, so a string referenced a million times is refused at the budget
/// without a copy per cell on the way.
fn push_ref(cells: &mut Cells, r: u32, c: u32, value: &DataRef<'_>) -> Result<(), SheetError> {
    match value {
        DataRef::SharedString(s) => cells.push(r, c, s),
        DataRef::String(s) => cells.push(r, c, s),
        other => cells.push(r, c, &data_ref_text(other)),
    }
}

/// The used cells of a dense range, at their sheet positions.
fn dense(range: calamine::Range<calamine::Data>, cells: &mut Cells) -> Result<(), SheetError> {
    let (r0, c0) = range.start().unwrap_or((0, 0));
    for (r, c, v) in range.used_cells() {
        let (r, c) = (r0.saturating_add(r as u32), c0.saturating_add(c as u32));
        cells.push(r, c, &cell_text(v))?;
    }
    Ok(())
}

/// A minimal `.xlsx` holding one worksheet named `S` whose `<sheetData>` holds `sheet_data`,
/// written by hand so that it can say what no office program would: for tests and the fuzz
/// targets (`fuzz/`), not for reports.
#[doc(hidden)]
pub fn raw_xlsx(sheet_data: &[u8]) -> Vec<u8> {
    xlsx(None, sheet_data)
}

/// [`raw_xlsx`] with a shared string table holding `strings` (`xl/sharedStrings.xml`), which
/// cells refer to by index (`<c r="A1" t="s"><v>0</v></c>`). For tests, not for reports.
#[doc(hidden)]
pub fn raw_xlsx_shared(strings: &[&str], sheet_data: &[u8]) -> Vec<u8> {
    xlsx(Some(strings), sheet_data)
}

fn xlsx(strings: Option<&[&str]>, sheet_data: &[u8]) -> Vec<u8> {
    use std::io::Write;
    use zip::write::SimpleFileOptions;
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let files: [(&str, &[u8]); 4] = [
        (
            "[Content_Types].xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#,
        ),
        (
            "_rels/.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#,
        ),
        (
            "xl/workbook.xml",
            br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>"#,
        ),
        (
            "xl/_rels/workbook.xml.rels",
            br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#,
        ),
    ];
    for (name, body) in files {
        if strings.is_some() && name == "xl/_rels/workbook.xml.rels" {
            continue;
        }
        zip.start_file(name, opts).expect("writing to memory");
        zip.write_all(body).expect("writing to memory");
    }
    if let Some(strings) = strings {
        // calamine finds the table by the workbook's relationship to it.
        zip.start_file("xl/_rels/workbook.xml.rels", opts)
            .expect("writing to memory");
        zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#)
            .expect("writing to memory");
        zip.start_file("xl/sharedStrings.xml", opts).expect("writing to memory");
        write!(zip, r#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="{n}" uniqueCount="{n}">"#, n = strings.len())
            .expect("writing to memory");
        for s in strings {
            write!(zip, "<si><t>{s}</t></si>").expect("writing to memory");
        }
        zip.write_all(b"</sst>").expect("writing to memory");
    }
    zip.start_file("xl/worksheets/sheet1.xml", opts.compression_level(Some(9)))
        .expect("writing to memory");
    zip.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#)
        .expect("writing to memory");
    zip.write_all(sheet_data).expect("writing to memory");
    zip.write_all(b"</sheetData></worksheet>").expect("writing to memory");
    zip.finish().expect("writing to memory").into_inner()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cell(r: &str, v: &str) -> Vec<u8> {
        format!(r#"<row><c r="{r}" t="inlineStr"><is><t>{v}</t></is></c></row>"#).into_bytes()
    }

    fn read(bytes: &[u8]) -> Result<Book, SheetError> {
        read_workbook(bytes, "xlsx", &[])
    }

    #[test]
    fn a_cell_at_xfd1048576_or_xfd4000_costs_one_row() {
        for r in ["XFD1048576", "XFD4000"] {
            let bytes = raw_xlsx(&cell(r, "z"));
            assert!(bytes.len() < 6_000, "{}", bytes.len());
            let book = read(&bytes).unwrap();
            let row = book.grids[0].rows.get(0).unwrap();
            assert_eq!((row.cells.len(), &row.cells[16_383]), (16_384, "z"));
        }
    }

    #[test]
    fn mutated_references_are_refused_not_a_crash() {
        // Before the budget, calamine's reference parser overflowed on these (a panic; in a
        // release build, a wrapped position).
        for r in ["YHP99956", "A9999999999999999999999947", "A1048577", "AAAAAAAAAAAAAAA1"] {
            let e = read(&raw_xlsx(&cell(r, "z"))).unwrap_err();
            assert_eq!(
                e.message,
                format!("worksheet part \"xl/worksheets/sheet1.xml\" refers to cell \"{r}\" outside Excel's grid (at most XFD1048576): the file is damaged or altered; save it again from Excel"),
            );
        }
        // In a merge's reference too (calamine parses it apart from the cells).
        let mut data = cell("A1", "a");
        data.extend_from_slice(
            b"</sheetData><mergeCells count=\"1\"><mergeCell ref=\"A1:B99999999999\"/></mergeCells><sheetData>",
        );
        let e = read(&raw_xlsx(&data)).unwrap_err();
        assert!(e.message.contains("\"A1:B99999999999\""), "{}", e.message);
    }

    #[test]
    fn the_fuzzers_finds_are_refused() {
        // sheet_xml: `<row r=\r\r…"inmineStr">`, whitespace between `=` and the value.
        let found = include_bytes!("../../../fuzz/seeds/sheet_xml/r_with_whitespace");
        let e = read(&raw_xlsx(found)).unwrap_err();
        assert!(e.message.contains("cell \"inmineStr\""), "{}", e.message);
    }

    #[test]
    fn a_zip_bomb_is_refused_by_its_ratio() {
        // 16 MiB of empty rows in about 16 KB: a thousand times, where the issue's bomb
        // (3.2 GB of sheet XML in 10.9 MB) was three hundred.
        let row = b"<row><c><v></v></c></row>";
        let data: Vec<u8> = row.iter().copied().cycle().take(16 << 20).collect();
        let bytes = raw_xlsx(&data);
        assert!(bytes.len() < 200_000, "{}", bytes.len());
        let e = read(&bytes).unwrap_err();
        assert!(
            e.message
                .starts_with("workbook part \"xl/worksheets/sheet1.xml\" unpacks more than 250 times"),
            "{}",
            e.message
        );
    }

    /// `n` rows of 12 cells each referring to shared string 0.
    fn shared_rows(n: u32) -> Vec<u8> {
        (1..=n)
            .flat_map(|r| {
                let cells: String = ('A'..='L')
                    .map(|c| format!(r#"<c r="{c}{r}" t="s"><v>0</v></c>"#))
                    .collect();
                format!(r#"<row r="{r}">{cells}</row>"#).into_bytes()
            })
            .collect()
    }

    #[test]
    fn a_shared_string_in_many_cells_is_refused_at_the_text_budget() {
        // 32,000 characters in 12,000 cells: 384 MB of copies from a 60 KB file (a million
        // cells, 32 GB, is a 2.6 MB file: the reliability test's).
        let long = "x".repeat(32_000);
        let bytes = raw_xlsx_shared(&[&long], &shared_rows(1_000));
        assert!(bytes.len() < 60_000, "{}", bytes.len());
        let e = read(&bytes).unwrap_err();
        // The 8,389th copy (row 700, column A) would pass 256 MiB.
        assert!(
            e.message.starts_with(
                "工作表「S」：at row 700, column 1, the text of the workbook's cells comes to more than 256 MiB"
            ),
            "{}",
            e.message
        );
    }

    #[test]
    fn shared_strings_read_as_their_text() {
        let bytes = raw_xlsx_shared(
            &["日期", " 南营门里 "],
            br#"<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>"#,
        );
        let rows = &read(&bytes).unwrap().grids[0].rows;
        assert_eq!(
            rows.get(0).unwrap().cells.iter().collect::<Vec<_>>(),
            ["日期", "南营门里"]
        );
    }
}
