//! A sheet file as a person opens it: a workbook of named worksheets (`.xlsx`, `.xlsm`,
//! `.xlsb`, `.xls`, `.ods`), an HTML page of tables (what web systems' export buttons save,
//! often named `.xls`), or one grid of delimited text (`.csv`, `.tsv`, `.txt`, UTF-16 "Unicode
//! text"). The kind is told by the file's first bytes, not its name, since offices rename
//! freely. What each grid holds is read as a form by [`super::form`].

mod budget;
mod cells;
mod dense;
mod html;
mod ods;
mod workbook;
mod xls;

use rust_i18n::t;
use std::path::Path;

#[doc(hidden)]
pub use ods::raw_ods;
#[doc(hidden)]
pub use workbook::{raw_xlsx, raw_xlsx_shared};
#[doc(hidden)]
pub use xls::{raw_xls, raw_xls_shared};

use super::form::{FormScan, ScannedForm};
use super::sheet::{
    decode_borrowed, first_char_after, parse_delimited, scan_delimited, text_8bit, utf16_body, Encoding, Rows,
    SheetError, TextPlan,
};

/// One worksheet as text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grid {
    /// The worksheet's name (an HTML table's caption, or `表1`, `表2`…); `None` for a text
    /// file, which holds one grid.
    pub name: Option<String>,
    /// Its non-blank rows, cells trimmed, numbered as a person sees them (the Excel row, the
    /// table row, or the line of a text file). Each row starts at column A, so a cell's index
    /// is its column letter; a merged cell's value is repeated over the cells it covers.
    pub rows: Rows,
}

/// The grids of a sheet file that may hold visits, and the worksheets passed over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Book {
    /// The worksheets to read, in workbook order.
    pub grids: Vec<Grid>,
    /// Worksheets passed over, with why in a few words (隐藏工作表, 未用 --sheet 选择 …).
    pub skipped: Vec<(String, String)>,
}

/// The file extensions read (lower case).
const KNOWN: [&str; 10] = ["csv", "tsv", "txt", "xls", "xlsx", "xlsm", "xlsb", "ods", "htm", "html"];

/// Read a sheet file into its grids. `sheets` narrows a workbook to the worksheets named
/// (`--sheet`, repeatable; empty: every visible one); `encoding` forces a text file's.
pub fn read_book(path: &Path, sheets: &[String], encoding: Option<Encoding>) -> Result<Book, SheetError> {
    let (ext, bytes) = read_known_file(path)?;
    read_book_bytes(&bytes, &ext, sheets, encoding)
}

/// A sheet file's extension in lower case and its bytes; a type not read, or a file that
/// cannot be read, is refused.
fn read_known_file(path: &Path) -> Result<(String, Vec<u8>), SheetError> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .unwrap_or_default();
    if !KNOWN.contains(&ext.as_str()) {
        return Err(SheetError {
            row: None,
            message: t!("book.unknown_type", ext = ext).into_owned(),
        });
    }
    // A named pipe or a device cannot be read twice (a text sheet is read again row by row,
    // and every sheet again when archived): reading it a second time would wait forever.
    if std::fs::metadata(path).is_ok_and(|m| !m.is_file() && !m.is_dir()) {
        return Err(SheetError {
            row: None,
            message: t!("book.not_a_file").into_owned(),
        });
    }
    let bytes = std::fs::read(path).map_err(|e| SheetError {
        row: None,
        message: t!("book.unreadable", error = crate::error::io_words(&e)).into_owned(),
    })?;
    Ok((ext, bytes))
}

/// A sheet file opened for import ([`open_book`]).
pub enum Opened {
    /// Its grids, held: a workbook, an HTML page, a UTF-16 text file.
    Book(Book),
    /// A delimited text file in UTF-8 or GB18030, read through once: how to read it again row
    /// by row, and
    /// its form as that reading found it (`None`: no row is a header). A million-row sheet's
    /// rows are not held.
    Text(Box<TextSheet>),
}

/// A delimited text file read through once ([`Opened::Text`]).
pub struct TextSheet {
    /// How to read it again.
    pub plan: TextPlan,
    /// Its form, if a row is a header.
    pub form: Option<ScannedForm>,
}

/// Open a sheet file for import: read it once, and say its SHA-256 (its bytes are not kept:
/// the archive copies the file again and checks it is the same). `known` says whether a
/// header cell names a known column (for a text file's form, found as it is read). Refused as
/// [`read_book`] refuses.
pub fn open_book(
    path: &Path,
    sheets: &[String],
    encoding: Option<Encoding>,
    known: &dyn Fn(&str) -> bool,
) -> Result<(Opened, String), SheetError> {
    let (ext, bytes) = read_known_file(path)?;
    let sha = crate::workspace::sha256_hex(&bytes);
    // UTF-16 text is decoded whole, as a grid (its errors are those `read_book_bytes` gives).
    if !is_workbook(&bytes) && !matches!(ext.as_str(), "xlsx" | "xlsm" | "xlsb" | "ods") && !is_utf16(&bytes) {
        let text = text_8bit(&bytes, encoding)?;
        if first_char_after(text, before_tag) != Some('<') {
            let mut form = FormScan::default();
            let mut plan = scan_delimited(&bytes, text, ext == "tsv", &mut |row| form.row(row, known))?;
            plan.sha256.clone_from(&sha);
            let form = form.finish(known);
            return Ok((Opened::Text(Box::new(TextSheet { plan, form })), sha));
        }
    }
    let book = read_book_bytes(&bytes, &ext, sheets, encoding)?;
    Ok((Opened::Book(book), sha))
}

/// Read a sheet file held in memory; `ext` is its extension in lower case (it names the file
/// type in errors and says that a `.tsv` is tab-separated; the content decides the reader).
pub fn read_book_bytes(
    bytes: &[u8],
    ext: &str,
    sheets: &[String],
    encoding: Option<Encoding>,
) -> Result<Book, SheetError> {
    if is_workbook(bytes) {
        return workbook::read_workbook(bytes, ext, sheets);
    }
    let (text, utf16) = decode_borrowed(bytes, encoding)?;
    if looks_like_html(&text) {
        return narrow(html::read_html(&text)?, sheets);
    }
    if matches!(ext, "xlsx" | "xlsm" | "xlsb" | "ods") {
        return Err(SheetError {
            row: None,
            message: t!("book.not_a_workbook", ext = ext).into_owned(),
        });
    }
    let sheet = parse_delimited(&text, ext == "tsv" || utf16)?;
    Ok(Book {
        grids: vec![Grid {
            name: None,
            rows: sheet.rows,
        }],
        skipped: Vec::new(),
    })
}

/// A zip archive (`.xlsx`, `.xlsb`, `.ods`) or an OLE compound file (`.xls`).
fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
}

/// UTF-16 text, told by its BOM as [`decode_borrowed`] tells it.
fn is_utf16(bytes: &[u8]) -> bool {
    utf16_body(bytes).is_some()
}

/// An HTML page: after any whitespace, a tag (`<html>`, `<table>`, `<meta …>`, `<!DOCTYPE>`).
fn looks_like_html(text: &str) -> bool {
    text.chars().find(|&c| !before_tag(c)) == Some('<')
}

/// What may come before an HTML page's first tag: a BOM, whitespace.
fn before_tag(c: char) -> bool {
    matches!(c, '\u{feff}' | ' ' | '\t' | '\r' | '\n')
}

/// Keep the tables `--sheet` names, as for a workbook's worksheets.
fn narrow(grids: Vec<Grid>, sheets: &[String]) -> Result<Book, SheetError> {
    let meta: Vec<calamine::Sheet> = grids
        .iter()
        .map(|g| calamine::Sheet {
            name: g.name.clone().unwrap_or_default(),
            typ: calamine::SheetType::WorkSheet,
            visible: calamine::SheetVisible::Visible,
        })
        .collect();
    let (read, skipped) = workbook::choose(&meta, sheets)?;
    let grids = grids
        .into_iter()
        .filter(|g| g.name.as_ref().is_some_and(|n| read.contains(n)))
        .collect();
    Ok(Book { grids, skipped })
}

#[cfg(test)]
mod tests {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};

    use super::*;

    /// Rows as (Excel row, cells), for exact comparison.
    fn rows(grid: &Grid) -> Vec<(u64, Vec<&str>)> {
        grid.rows.iter().map(|r| (r.row, r.cells.iter().collect())).collect()
    }

    fn names(book: &Book) -> Vec<&str> {
        book.grids.iter().map(|g| g.name.as_deref().unwrap_or("")).collect()
    }

    /// A form as offices make it: a title merged across, a two-row header whose group cell
    /// 问题项 is merged across its items, the compound merged down over its two visits, and a
    /// hidden sheet and an instruction sheet beside it.
    fn office_workbook() -> Vec<u8> {
        let mut wb = Workbook::new();
        let date = Format::new().set_num_format("yyyy-mm-dd");
        let plain = Format::new();
        let ws = wb.add_worksheet().set_name("七月").unwrap();
        ws.merge_range(0, 0, 0, 4, "2026年7月 街道巡查表", &plain).unwrap();
        ws.merge_range(2, 1, 3, 1, "小区", &plain).unwrap();
        ws.write(2, 0, "日期").unwrap();
        ws.merge_range(2, 2, 2, 3, "问题项", &plain).unwrap();
        ws.write(3, 2, "A01").unwrap();
        ws.write(3, 3, "A02").unwrap();
        ws.merge_range(4, 1, 5, 1, "南营门里", &plain).unwrap();
        let d = ExcelDateTime::from_ymd(2026, 7, 3).unwrap();
        ws.write_datetime_with_format(4, 0, &d, &date).unwrap();
        ws.write_datetime_with_format(5, 0, &d, &date).unwrap();
        ws.write(4, 2, 2.0).unwrap();
        ws.write(5, 3, 1.5).unwrap();
        let hidden = wb.add_worksheet().set_name("底稿").unwrap();
        hidden.write(0, 0, "x").unwrap();
        hidden.set_hidden(true);
        let notes = wb.add_worksheet().set_name("填表说明").unwrap();
        notes.write(1, 1, "每月5日前报送").unwrap();
        wb.save_to_buffer().unwrap()
    }

    fn xlsx(bytes: &[u8], sheets: &[&str]) -> Result<Book, SheetError> {
        let sheets: Vec<String> = sheets.iter().map(|s| s.to_string()).collect();
        read_book_bytes(bytes, "xlsx", &sheets, None)
    }

    #[test]
    fn every_visible_sheet_is_a_grid_in_order_and_hidden_ones_are_skipped() {
        let book = xlsx(&office_workbook(), &[]).unwrap();
        assert_eq!(names(&book), vec!["七月", "填表说明"]);
        assert_eq!(book.skipped, vec![("底稿".to_string(), "隐藏工作表".to_string())]);
        assert_eq!(rows(&book.grids[1]), vec![(2, vec!["", "每月5日前报送"])]);
    }

    #[test]
    fn merged_cells_are_filled_down_and_across_and_dates_are_days() {
        let book = xlsx(&office_workbook(), &[]).unwrap();
        assert_eq!(
            rows(&book.grids[0]),
            vec![
                // The title's merge reaches column E, past the last value: clipped to D.
                (1, vec!["2026年7月 街道巡查表"; 4]),
                (3, vec!["日期", "小区", "问题项", "问题项"]),
                (4, vec!["", "小区", "A01", "A02"]),
                (5, vec!["2026-07-03", "南营门里", "2"]),
                (6, vec!["2026-07-03", "南营门里", "", "1.5"]),
            ]
        );
    }

    #[test]
    fn sheet_narrows_and_an_unknown_sheet_names_the_sheets() {
        let book = xlsx(&office_workbook(), &["填表说明"]).unwrap();
        assert_eq!(names(&book), vec!["填表说明"]);
        assert_eq!(
            book.skipped,
            vec![
                ("七月".to_string(), "未用 --sheet 选择".to_string()),
                ("底稿".to_string(), "未用 --sheet 选择".to_string()),
            ]
        );
        // Asked for by name, a hidden sheet is read.
        assert_eq!(names(&xlsx(&office_workbook(), &["底稿"]).unwrap()), vec!["底稿"]);
        let e = xlsx(&office_workbook(), &["八月"]).unwrap_err();
        assert_eq!(
            e.message,
            "no worksheet named \"八月\" (worksheets: 七月, 底稿, 填表说明)"
        );
    }

    #[test]
    fn a_renamed_workbook_is_read_by_its_content() {
        let bytes = office_workbook();
        let book = read_book_bytes(&bytes, "xls", &[], None).unwrap();
        assert_eq!(names(&book), vec!["七月", "填表说明"]);
        let e = read_book_bytes(b"PK\x03\x04 not a zip", "xlsx", &[], None).unwrap_err();
        assert!(e.message.starts_with("not a readable .xlsx workbook"), "{}", e.message);
    }

    #[test]
    fn utf16_unicode_text_is_tab_separated() {
        let text = "小区\t日期,备注\r\n南营门里\t2026/7/3, 无\r\n\r\n";
        let mut le = vec![0xFF, 0xFE];
        le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
        let mut be = vec![0xFE, 0xFF];
        be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
        for bytes in [le, be] {
            let book = read_book_bytes(&bytes, "txt", &[], None).unwrap();
            assert_eq!(book.grids[0].name, None);
            assert_eq!(
                rows(&book.grids[0]),
                vec![(1, vec!["小区", "日期,备注"]), (2, vec!["南营门里", "2026/7/3, 无"])]
            );
        }
        // An unpaired surrogate on line 2 is located there.
        let mut bad = vec![0xFF, 0xFE];
        bad.extend("a\nb".encode_utf16().flat_map(u16::to_le_bytes));
        bad.extend([0x00, 0xD8, b'c', 0]);
        assert_eq!(read_book_bytes(&bad, "txt", &[], None).unwrap_err().row, Some(2));
    }

    #[test]
    fn an_html_export_in_gbk_with_spans_is_read_as_merged_cells() {
        let html = r#"  <html><head><meta charset="gbk"></head><body>
            <table><caption> 七月 巡查 </caption>
              <tr><th rowspan="2">小区</th><th colspan="2">问题项</th><th>备注</th></tr>
              <tr><th>A01</th><th>A02</th><td>说明<br>见后</td></tr>
              <tr><td></td></tr>
              <tr><td rowspan="2">南营门里</td><td>2</td><td>0</td><td>  楼道
                  堆物 </td></tr>
              <tr><td>1</td><td>无</td></tr>
            </table>
            <table><tr><td>填表人</td><td>张三</td></tr></table>
            </body></html>"#;
        let (gbk, _, _) = encoding_rs::GBK.encode(html);
        let book = read_book_bytes(&gbk, "xls", &[], None).unwrap();
        assert_eq!(names(&book), vec!["七月 巡查", "表2"]);
        assert_eq!(
            rows(&book.grids[0]),
            vec![
                (1, vec!["小区", "问题项", "问题项", "备注"]),
                (2, vec!["小区", "A01", "A02", "说明 见后"]),
                (4, vec!["南营门里", "2", "0", "楼道 堆物"]),
                (5, vec!["南营门里", "1", "无"]),
            ]
        );
        assert_eq!(rows(&book.grids[1]), vec![(1, vec!["填表人", "张三"])]);
        let only = read_book_bytes(&gbk, "xls", &["表2".to_string()], None).unwrap();
        assert_eq!(names(&only), vec!["表2"]);
    }

    #[test]
    fn a_nested_table_is_its_own_grid() {
        let html = "<table><tr><td>a</td><td><table><tr><td>b</td></tr></table></td></tr></table>";
        let book = read_book_bytes(html.as_bytes(), "html", &[], None).unwrap();
        assert_eq!(rows(&book.grids[0]), vec![(1, vec!["a", "b"])]);
        assert_eq!(rows(&book.grids[1]), vec![(1, vec!["b"])]);
    }

    #[test]
    fn csv_is_read_as_before() {
        let book = read_book_bytes("日期;小区\n\n2026/7/3;南营门里\n".as_bytes(), "csv", &[], None).unwrap();
        assert_eq!(book.skipped, vec![]);
        assert_eq!(
            rows(&book.grids[0]),
            vec![(1, vec!["日期", "小区"]), (3, vec!["2026/7/3", "南营门里"])]
        );
    }

    fn fixture(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/forms")
            .join(name);
        std::fs::read(path).unwrap()
    }

    #[test]
    fn xls_and_ods_saved_by_libreoffice_read_like_the_xlsx() {
        let xlsx = xlsx(&office_workbook(), &[]).unwrap();
        let xls = read_book_bytes(&fixture("office.xls"), "xls", &[], None).unwrap();
        // .xls keeps its merged regions: the same grids, hidden sheet skipped.
        assert_eq!(xls, xlsx);
        // calamine reads no merged regions from .ods: a merge's value stays in its first cell.
        let ods = read_book_bytes(&fixture("office.ods"), "ods", &[], None).unwrap();
        assert_eq!(names(&ods), vec!["七月", "填表说明"]);
        assert_eq!(ods.skipped, xlsx.skipped);
        assert_eq!(
            rows(&ods.grids[0]),
            vec![
                (1, vec!["2026年7月 街道巡查表"]),
                (3, vec!["日期", "小区", "问题项"]),
                (4, vec!["", "", "A01", "A02"]),
                (5, vec!["2026-07-03", "南营门里", "2"]),
                (6, vec!["2026-07-03", "", "", "1.5"]),
            ]
        );
    }

    #[test]
    fn a_1904_workbook_counts_its_dates_from_1904() {
        // The office workbook with date1904="1" set and its date cells holding 44744, which is
        // 2026-07-03 counted from 1904-01-01 (and 2022-07-02 if counted from 1900).
        let book = read_book_bytes(&fixture("date1904.xlsx"), "xlsx", &[], None).unwrap();
        let rows = &book.grids[0].rows;
        let dates: Vec<&str> = rows
            .range(3..rows.len())
            .map(|r| r.cells.get(0).unwrap_or(""))
            .collect();
        assert_eq!(dates, vec!["2026-07-03", "2026-07-03"]);
    }

    #[test]
    fn a_cell_at_excels_last_corner_costs_one_cell() {
        let mut wb = Workbook::new();
        let ws = wb.add_worksheet();
        ws.write(0, 0, "a").unwrap();
        ws.write(1_048_575, 16_383, "z").unwrap();
        let book = xlsx(&wb.save_to_buffer().unwrap(), &[]).unwrap();
        let last = book.grids[0].rows.get(1).unwrap();
        assert_eq!(
            (last.row, last.cells.len(), &last.cells[16_383]),
            (1_048_576, 16_384, "z")
        );
        // A merge over the whole sheet is refused in `cells` (its test): rust_xlsxwriter
        // cannot write one, as it fills every cell of a merge.
    }
}
