//! Excel workbooks for the office (DESIGN §15): one sheet per report table, laid out the way
//! a 台账 is handed on: a bold title merged across the table, the as-of line, a frozen header
//! row, typed cells (numbers as numbers, dates as Excel dates), column widths that fit Chinese
//! text, a 合计 row under the columns that add up, and lines under the table (signatures).
//!
//! A sheet is built from the same [`Rows`] the table and CSV are drawn from, so the three
//! cannot disagree. Text is always written as a string: nothing from the data becomes a
//! formula, and no formula is written at all (the 合计 is the exact decimal sum, computed here).

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_i18n::t;
use rust_xlsxwriter::{ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};
use unicode_width::UnicodeWidthStr;

use super::{Cell, Rows};
use crate::error::{Error, Result};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::Period;

/// One sheet of a workbook: a report table with its title, as-of line and totals.
#[derive(Debug, Clone, Default)]
pub struct Sheet {
    /// The tab's name (Excel allows 31 characters, without `[]:*?/\`; cut and cleaned here).
    pub name: String,
    /// The title row, e.g. `和平区 2026年上半年 评分`.
    pub title: String,
    /// The line under the title, e.g. `数据截至2026年6月30日`.
    pub as_of: String,
    /// The header and rows (the people's rendering: headers in the report's language).
    pub rows: Rows,
    /// The columns that add up (money and counts, never scores or rates): a 合计 row sums
    /// them. Empty: no 合计 row.
    pub totals: Vec<usize>,
    /// The 合计 row's label (in the first column).
    pub total_label: String,
    /// Text cells of the 合计 row beside the sums (say, the total in capital numerals).
    pub total_text: Vec<(usize, String)>,
    /// Lines under the table, one row each (经办人： 审核人： 负责人：), left room to sign.
    pub footer: Vec<String>,
}

impl Sheet {
    /// A sheet of `rows` under `title` and `as_of`, with no totals and no footer.
    pub fn new(name: &str, title: String, as_of: String, rows: Rows) -> Sheet {
        Sheet {
            name: name.to_string(),
            title,
            as_of,
            rows,
            ..Sheet::default()
        }
    }

    /// The same sheet with a 合计 row (labelled `label`) under the columns `columns`.
    pub fn with_totals(mut self, label: &str, columns: &[usize]) -> Sheet {
        self.total_label = label.to_string();
        self.totals = columns.to_vec();
        self
    }

    /// The sums of the total columns, exact (each cell's text as a decimal; blanks count 0).
    pub fn sums(&self) -> Vec<(usize, Decimal)> {
        self.totals
            .iter()
            .map(|&i| {
                let sum = self.rows.rows.iter().filter_map(|r| r.get(i).and_then(number)).sum();
                (i, sum)
            })
            .collect()
    }
}

/// The as-of line under a title: 数据截至2026年6月30日.
pub fn as_of_line(as_of: NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("数据截至{}", super::zh_date(as_of)),
        Lang::En => format!("Data as of {as_of}"),
    }
}

/// The as-of line of a period's workbook: [`as_of_line`], and when the period is not over on
/// that day, that it is not and the figures are incomplete (DESIGN §14: documents say so in
/// their first lines; a coverage sheet, say, lists only the windows that have ended).
pub fn period_as_of_line(as_of: NaiveDate, period: &crate::model::Period, lang: Lang) -> String {
    let line = as_of_line(as_of, lang);
    if period.end() <= as_of {
        return line;
    }
    let words = super::words::period_words(*period, lang);
    match lang {
        Lang::Zh => format!("{line}（{words}尚未结束，数据不完整）"),
        Lang::En => format!("{line} ({words} is not over: the figures are incomplete)"),
    }
}

/// A title row's text: district, period in words and what the sheet holds.
pub fn title(district: &str, period: &Period, what: &str, lang: Lang) -> String {
    format!("{district} {} {what}", super::words::period_words(*period, lang))
        .trim()
        .to_string()
}

/// A number cell's value, `None` when blank or not a number (a `85.00 → 87.50` change).
fn number(c: &Cell<'_>) -> Option<Decimal> {
    match c {
        Cell::Num(s) => s.trim().parse::<Decimal>().ok(),
        _ => None,
    }
}

/// The formats a sheet's cells are written in.
struct Styles {
    title: Format,
    as_of: Format,
    header: Format,
    text: Format,
    count: Format,
    decimal: Format,
    date: Format,
    total_text: Format,
    total_count: Format,
    total_decimal: Format,
    footer: Format,
}

impl Styles {
    fn new() -> Styles {
        let font = |f: Format| f.set_font_name("宋体").set_font_size(11);
        let cell = |f: Format| font(f).set_border(FormatBorder::Thin);
        let bold = |f: Format| cell(f).set_bold();
        Styles {
            title: font(Format::new())
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            as_of: font(Format::new()).set_align(FormatAlign::Left),
            header: bold(Format::new())
                .set_align(FormatAlign::Center)
                .set_background_color(0xD9E1F2)
                .set_text_wrap(),
            text: cell(Format::new()),
            count: cell(Format::new()).set_num_format("#,##0"),
            decimal: cell(Format::new()).set_num_format("#,##0.00"),
            date: cell(Format::new()).set_num_format("yyyy\"年\"m\"月\"d\"日\""),
            total_text: bold(Format::new()),
            total_count: bold(Format::new()).set_num_format("#,##0"),
            total_decimal: bold(Format::new()).set_num_format("#,##0.00"),
            footer: font(Format::new()).set_align(FormatAlign::Left),
        }
    }
}

/// The workbook of `sheets`, as the bytes of an .xlsx file.
pub fn workbook(sheets: &[Sheet]) -> Result<Vec<u8>> {
    workbook_dated(sheets, None)
}

/// [`workbook`], its creation date set to `created` (the as-of date) when given, so the same
/// store makes the same bytes: a published payment sheet can be made again and compared
/// (`verify`). Without it the workbook carries the time it was written, as Excel does.
pub fn workbook_dated(sheets: &[Sheet], created: Option<NaiveDate>) -> Result<Vec<u8>> {
    use chrono::Datelike;
    let styles = Styles::new();
    let mut book = Workbook::new();
    if let Some(d) = created {
        let day = ExcelDateTime::from_ymd(d.year() as u16, d.month() as u8, d.day() as u8).map_err(xlsx_error)?;
        book.set_properties(&rust_xlsxwriter::DocProperties::new().set_creation_datetime(&day));
    }
    let mut names: Vec<String> = Vec::new();
    for sheet in sheets {
        let ws = book.add_worksheet();
        let name = unique_name(&sheet.name, &names);
        ws.set_name(&name).map_err(xlsx_error)?;
        names.push(name);
        write_sheet(ws, sheet, &styles).map_err(xlsx_error)?;
    }
    book.save_to_buffer().map_err(xlsx_error)
}

fn xlsx_error(e: XlsxError) -> Error {
    Error::msg(t!("render.workbook_failed", error = e))
}

/// A tab name Excel accepts, different from the ones before it.
fn unique_name(name: &str, taken: &[String]) -> String {
    let clean: String = name
        .chars()
        .map(|c| if "[]:*?/\\".contains(c) { '_' } else { c })
        .take(28)
        .collect();
    let clean = if clean.trim().is_empty() {
        "Sheet".to_string()
    } else {
        clean
    };
    let mut candidate = clean.clone();
    let mut n = 2;
    while taken.iter().any(|t| t.eq_ignore_ascii_case(&candidate)) {
        candidate = format!("{clean}{n}");
        n += 1;
    }
    candidate
}

/// Lay one sheet out: title, as-of line, header, rows, 合计, footer; widths, panes, printing.
fn write_sheet(ws: &mut Worksheet, sheet: &Sheet, st: &Styles) -> std::result::Result<(), XlsxError> {
    let cols = sheet.rows.header.len().max(1) as u16;
    let last = cols - 1;
    ws.merge_range(0, 0, 0, last, &sheet.title, &st.title)?;
    ws.set_row_height(0, 30)?;
    ws.merge_range(1, 0, 1, last, &sheet.as_of, &st.as_of)?;
    const HEAD: u32 = 2;
    for (i, h) in sheet.rows.header.iter().enumerate() {
        ws.write_string_with_format(HEAD, i as u16, h, &st.header)?;
    }
    let decimals = decimal_columns(&sheet.rows);
    let mut row = HEAD + 1;
    for r in &sheet.rows.rows {
        for (i, c) in r.iter().enumerate() {
            write_cell(ws, row, i as u16, c, decimals.get(i).copied().unwrap_or(false), st)?;
        }
        row += 1;
    }
    if !sheet.totals.is_empty() {
        write_totals(ws, row, sheet, &decimals, st)?;
        row += 1;
    }
    row += 1;
    for line in &sheet.footer {
        ws.merge_range(row, 0, row, last, line, &st.footer)?;
        ws.set_row_height(row, 36)?;
        row += 1;
    }
    for (i, w) in widths(sheet).into_iter().enumerate() {
        ws.set_column_width(i as u16, w)?;
    }
    ws.set_freeze_panes(HEAD + 1, 0)?;
    ws.set_repeat_rows(HEAD, HEAD)?;
    ws.set_paper_size(9); // A4
    if cols > 6 {
        ws.set_landscape();
    }
    ws.set_print_fit_to_pages(1, 0);
    Ok(())
}

/// Whether each column holds numbers with decimals (scores, money: two decimals shown) rather
/// than counts.
fn decimal_columns(rows: &Rows) -> Vec<bool> {
    (0..rows.header.len())
        .map(|i| {
            rows.rows
                .iter()
                .any(|r| matches!(r.get(i), Some(Cell::Num(s)) if s.contains('.')))
        })
        .collect()
}

/// One cell, typed: a number, an Excel date, or a string (never a formula).
fn write_cell(
    ws: &mut Worksheet,
    row: u32,
    col: u16,
    c: &Cell<'_>,
    decimal: bool,
    st: &Styles,
) -> std::result::Result<(), XlsxError> {
    let text = c.as_str();
    if text.is_empty() {
        ws.write_blank(row, col, &st.text)?;
        return Ok(());
    }
    match c {
        Cell::Num(_) => match number(c).and_then(|d| d.to_string().parse::<f64>().ok()) {
            Some(v) => ws.write_number_with_format(row, col, v, if decimal { &st.decimal } else { &st.count })?,
            None => ws.write_string_with_format(row, col, text, &st.text)?,
        },
        Cell::Date(_) => match excel_date(text) {
            Some(d) => ws.write_datetime_with_format(row, col, &d, &st.date)?,
            None => ws.write_string_with_format(row, col, text, &st.text)?,
        },
        Cell::Text(_) => ws.write_string_with_format(row, col, text, &st.text)?,
    };
    Ok(())
}

/// A `YYYY-MM-DD` text as an Excel date.
fn excel_date(text: &str) -> Option<ExcelDateTime> {
    let d = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d").ok()?;
    let f = |fmt: &str| d.format(fmt).to_string().parse::<u8>().ok();
    let year = d.format("%Y").to_string().parse::<u16>().ok()?;
    ExcelDateTime::from_ymd(year, f("%m")?, f("%d")?).ok()
}

/// The 合计 row: the label, the exact sums, and any text beside them.
fn write_totals(
    ws: &mut Worksheet,
    row: u32,
    sheet: &Sheet,
    decimals: &[bool],
    st: &Styles,
) -> std::result::Result<(), XlsxError> {
    for col in 0..sheet.rows.header.len() as u16 {
        ws.write_blank(row, col, &st.total_text)?;
    }
    ws.write_string_with_format(row, 0, &sheet.total_label, &st.total_text)?;
    for (i, sum) in sheet.sums() {
        let v = fmt2(sum).parse::<f64>().unwrap_or_default();
        let f = if decimals.get(i).copied().unwrap_or(false) {
            &st.total_decimal
        } else {
            &st.total_count
        };
        ws.write_number_with_format(row, i as u16, v, f)?;
    }
    for (i, text) in &sheet.total_text {
        ws.write_string_with_format(row, *i as u16, text, &st.total_text)?;
    }
    Ok(())
}

/// Column widths in Excel's character units: the widest of header and cells as shown (a CJK
/// character counts two), plus a margin; numbers with their thousands separators.
fn widths(sheet: &Sheet) -> Vec<f64> {
    let shown = |c: &Cell<'_>| -> usize {
        match c {
            Cell::Num(s) => s.len() + s.len() / 3 + 1,
            Cell::Date(s) if !s.is_empty() => 13,
            _ => c.as_str().lines().map(UnicodeWidthStr::width).max().unwrap_or(0),
        }
    };
    let mut w: Vec<usize> = sheet.rows.header.iter().map(|h| h.width()).collect();
    for r in &sheet.rows.rows {
        for (i, c) in r.iter().enumerate().take(w.len()) {
            w[i] = w[i].max(shown(c));
        }
    }
    for (i, t) in &sheet.total_text {
        if let Some(x) = w.get_mut(*i) {
            *x = (*x).max(t.width());
        }
    }
    if let Some(first) = w.first_mut() {
        *first = (*first).max(sheet.total_label.width());
    }
    w.into_iter().map(|n| (n.clamp(4, 60) + 3) as f64).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_are_exact_and_skip_blanks_and_text() {
        let mut rows = Rows::new(["a", "b"]);
        rows.push(vec![Cell::text("x"), Cell::num("0.10")]);
        rows.push(vec![Cell::text("y"), Cell::num("0.20")]);
        rows.push(vec![Cell::text("z"), Cell::num("")]);
        let s = Sheet::new("s", String::new(), String::new(), rows).with_totals("合计", &[1]);
        assert_eq!(s.sums(), vec![(1, Decimal::new(30, 2))]);
    }

    #[test]
    fn tab_names_are_valid_and_unique() {
        let taken = vec!["评分".to_string()];
        assert_eq!(unique_name("评分", &taken), "评分2");
        assert_eq!(unique_name("a/b:c", &[]), "a_b_c");
        assert_eq!(unique_name("", &[]), "Sheet");
    }
}
