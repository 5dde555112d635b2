//! Writers shared by the reports: a report is a list of rows of cells, rendered as a
//! table for people (comfy-table's layout, streamed: [`table`]) or as formula-safe CSV for
//! scripts; JSON documents share a header. [`Format`] names them all. A report's own
//! renderings live in a module named after it ([`score`], [`recheck`], [`subsidy`],
//! [`coverage`], [`explain`], [`bulletin`], [`standards`], [`contracts`], [`company`]): one function per part, over the domain's results
//! and the typed values of [`crate::report`].

pub mod assessor;
pub mod bulletin;
pub mod company;
pub mod contracts;
pub mod coverage;
pub mod document;
pub mod docx;
pub mod explain;
mod format;
pub mod json;
pub mod notice;
pub mod recheck;
pub mod score;
pub mod source;
pub mod standards;
pub mod subsidy;
pub mod table;
pub mod templates;
pub mod verify;
pub mod words;
pub mod xlsx;

pub use format::Format;

use std::borrow::Cow;

/// A cell: text (names, ids: neutralised in CSV), a number (left as written) or a date (its
/// ISO text, so tables and CSV show it as before; a workbook makes it an Excel date). Streamed
/// reports borrow their text ([`Cell::borrowed`]): a national report has millions of cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell<'a> {
    /// Text: left-aligned, and made formula-safe in CSV.
    Text(Cow<'a, str>),
    /// A number as written: right-aligned, left alone in CSV (a `-2.50` is no formula).
    Num(Cow<'a, str>),
    /// A date as `YYYY-MM-DD` (or empty): shown and written as its text, left-aligned; an
    /// Excel date in a workbook.
    Date(Cow<'a, str>),
}

impl<'a> Cell<'a> {
    /// Text, copied.
    pub fn text(s: impl AsRef<str>) -> Cell<'static> {
        Cell::Text(Cow::Owned(s.as_ref().to_string()))
    }

    /// Text borrowed from the report.
    pub fn borrowed(s: &'a str) -> Cell<'a> {
        Cell::Text(Cow::Borrowed(s))
    }

    /// A number, written as its `Display` (decimals already formatted by the caller).
    pub fn num(s: impl ToString) -> Cell<'static> {
        Cell::Num(Cow::Owned(s.to_string()))
    }

    /// A date, written as its text (`YYYY-MM-DD`, or anything the report holds).
    pub fn date(s: impl ToString) -> Cell<'static> {
        Cell::Date(Cow::Owned(s.to_string()))
    }

    /// The cell, owning its text.
    pub fn into_owned(self) -> Cell<'static> {
        match self {
            Cell::Text(s) => Cell::Text(Cow::Owned(s.into_owned())),
            Cell::Num(s) => Cell::Num(Cow::Owned(s.into_owned())),
            Cell::Date(s) => Cell::Date(Cow::Owned(s.into_owned())),
        }
    }

    /// The cell's text, as a table or CSV shows it.
    pub fn as_str(&self) -> &str {
        match self {
            Cell::Text(s) | Cell::Num(s) | Cell::Date(s) => s,
        }
    }
}

/// Where report rows go: collected (for a table) or streamed (CSV of a national report).
pub trait RowSink {
    /// The header row, given once before the rows.
    fn header(&mut self, header: Vec<String>);
    /// One row, in order.
    fn row(&mut self, row: Vec<Cell<'_>>);
}

impl RowSink for Rows {
    fn header(&mut self, header: Vec<String>) {
        self.header = header;
    }

    fn row(&mut self, row: Vec<Cell<'_>>) {
        self.rows.push(row.into_iter().map(Cell::into_owned).collect());
    }
}

/// A CSV writing error as the I/O error it is, kind kept (a closed pipe is no failure: see
/// [`crate::error::Error::is_broken_pipe`]).
fn io_error(e: csv::Error) -> std::io::Error {
    let message = e.to_string();
    match e.into_kind() {
        csv::ErrorKind::Io(e) => e,
        _ => std::io::Error::other(message),
    }
}

/// Formula-safe CSV written row by row; the first write error is kept for [`CsvStream::finish`].
pub struct CsvStream<W: std::io::Write> {
    w: csv::Writer<W>,
    error: Option<csv::Error>,
}

impl<W: std::io::Write> CsvStream<W> {
    /// CSV written to `out`.
    pub fn new(out: W) -> CsvStream<W> {
        CsvStream {
            w: csv::Writer::from_writer(out),
            error: None,
        }
    }

    fn keep<T>(&mut self, r: csv::Result<T>) {
        if let Err(e) = r {
            self.error.get_or_insert(e);
        }
    }

    /// Flush, report the first error met, and give back the writer.
    pub fn into_inner(mut self) -> std::io::Result<W> {
        self.w.flush()?;
        if let Some(e) = self.error.take() {
            return Err(io_error(e));
        }
        self.w.into_inner().map_err(|e| std::io::Error::other(e.to_string()))
    }

    /// Flush, and report the first error met.
    pub fn finish(mut self) -> std::io::Result<()> {
        let flushed = self.w.flush();
        match self.error.take() {
            Some(e) => Err(io_error(e)),
            None => flushed,
        }
    }
}

impl<W: std::io::Write> RowSink for CsvStream<W> {
    fn header(&mut self, header: Vec<String>) {
        let r = self.w.write_record(&header);
        self.keep(r);
    }

    fn row(&mut self, row: Vec<Cell<'_>>) {
        let cells: Vec<std::borrow::Cow<'_, str>> = row
            .iter()
            .map(|c| match c {
                Cell::Text(s) | Cell::Date(s) => csv_safe(s),
                Cell::Num(s) => s.as_ref().into(),
            })
            .collect();
        let r = self.w.write_record(cells.iter().map(|c| c.as_bytes()));
        self.keep(r);
    }
}

/// Rows under a header.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    /// The column names.
    pub header: Vec<String>,
    /// The rows, each owning its cells.
    pub rows: Vec<Vec<Cell<'static>>>,
}

impl Rows {
    /// No rows yet, under `header`.
    pub fn new<S: Into<String>>(header: impl IntoIterator<Item = S>) -> Rows {
        Rows {
            header: header.into_iter().map(Into::into).collect(),
            rows: Vec::new(),
        }
    }

    /// Add a row (its cells copied if borrowed).
    pub fn push(&mut self, row: Vec<Cell<'_>>) {
        self.rows.push(row.into_iter().map(Cell::into_owned).collect());
    }

    /// A table for a terminal: numbers right-aligned, CJK widths measured properly (see
    /// [`table`]).
    pub fn to_table(&self) -> String {
        let out = table::write_table(Vec::new(), |sink| {
            sink.header(self.header.clone());
            for r in &self.rows {
                sink.row(r.clone());
            }
        });
        // Writing to memory cannot fail, and every cell is text.
        out.map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }

    /// A Markdown table (for a CI job's comment, say), numbers right-aligned.
    pub fn to_markdown(&self) -> String {
        let numeric = self
            .rows
            .first()
            .map(|r| {
                r.iter()
                    .enumerate()
                    .filter(|(_, c)| matches!(c, Cell::Num(_)))
                    .map(|(i, _)| i)
                    .collect()
            })
            .unwrap_or_default();
        let rows = self
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.as_str().to_string()).collect())
            .collect();
        document::markdown_table(&document::Table {
            header: self.header.clone(),
            rows,
            numeric,
        })
    }

    /// CSV for scripts: a header row, RFC 4180 quoting, and text cells made formula-safe.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        // Writing to a Vec cannot fail.
        let _ = w.write_record(&self.header);
        for r in &self.rows {
            let cells: Vec<std::borrow::Cow<'_, str>> = r
                .iter()
                .map(|c| match c {
                    Cell::Text(s) | Cell::Date(s) => csv_safe(s),
                    Cell::Num(_) => c.as_str().into(),
                })
                .collect();
            let _ = w.write_record(cells.iter().map(|c| c.as_ref()));
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}

/// Append `line` to `out` as a CSV record, exactly as [`CsvStream`] writes its cells, when
/// that needs nothing but commas and the line end: no text cell the formula guard
/// ([`csv_safe`]) would change, no cell the CSV writer would quote (a comma, quote or line
/// break in it). Otherwise `false`, `out` as it was: the caller writes the row with
/// [`CsvStream`].
pub fn plain_csv_line(out: &mut Vec<u8>, line: &table::Line) -> bool {
    // (A record of one empty field is quoted by the CSV writer.)
    let quoted = |c: &u8| matches!(c, b',' | b'"' | b'\n' | b'\r');
    let guarded = |(text, num): (&str, bool)| {
        !num && matches!(text.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
    };
    if line.len() < 2 || line.joined().as_bytes().iter().any(quoted) || line.iter().any(guarded) {
        return false;
    }
    for (i, (text, _)) in line.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        out.extend_from_slice(text.as_bytes());
    }
    out.push(b'\n');
    true
}

/// Neutralise a CSV text cell that a spreadsheet would run as a formula (DESIGN §11): cells
/// starting with `=`, `+`, `-`, `@`, tab or carriage return get a leading `'`.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// Escape text for Markdown: characters that would start markup, and HTML (`<`, `&`), so a
/// name typed into a registry cannot inject links, tables or scripts into a published page.
pub fn md_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    push_md_escaped(&mut out, s);
    out
}

/// [`md_escape`] of `s` written onto the end of `out`: the text between the characters it
/// escapes (all ASCII, so never part of a longer UTF-8 character) is copied as it is, so a
/// cell with none (most of a national table's) is one copy.
pub fn push_md_escaped(out: &mut String, s: &str) {
    let mut rest = s;
    while let Some(i) = rest.bytes().position(|b| md_escaped(b).is_some()) {
        out.push_str(&rest[..i]);
        out.push_str(md_escaped(rest.as_bytes()[i]).unwrap_or_default());
        rest = &rest[i + 1..];
    }
    out.push_str(rest);
}

/// What Markdown text writes for the byte `b`, when it is one that would start markup.
fn md_escaped(b: u8) -> Option<&'static str> {
    Some(match b {
        b'<' => "&lt;",
        b'>' => "&gt;",
        b'&' => "&amp;",
        b'\\' => "\\\\",
        b'`' => "\\`",
        b'*' => "\\*",
        b'_' => "\\_",
        b'[' => "\\[",
        b']' => "\\]",
        b'|' => "\\|",
        b'#' => "\\#",
        b'!' => "\\!",
        b'\n' | b'\r' => " ",
        _ => return None,
    })
}

/// A date in Chinese words, as documents write it: 2026年7月10日.
pub fn zh_date(d: chrono::NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn csv_cell() -> impl Strategy<Value = Cell<'static>> {
        let text = "([a-z0-9 .=+@-]|[,\"\n\r\t]|[小区])*";
        prop_oneof![
            text.prop_map(Cell::text),
            text.prop_map(Cell::num),
            text.prop_map(Cell::date)
        ]
    }

    proptest! {
        /// Markdown escaping is, character by character: `<` `>` `&` as entities, a backslash
        /// before each of ``\ ` * _ [ ] | # !``, a line break as a space, the rest as it is.
        #[test]
        fn md_escape_escapes_character_by_character(text in "[<>&\\\\`*_\\[\\]|#!\r\n a-z0-9社区（）·\u{1F600}]{0,12}") {
            let mut expected = String::new();
            for c in text.chars() {
                match c {
                    '<' => expected.push_str("&lt;"),
                    '>' => expected.push_str("&gt;"),
                    '&' => expected.push_str("&amp;"),
                    '\\' | '`' | '*' | '_' | '[' | ']' | '|' | '#' | '!' => {
                        expected.push('\\');
                        expected.push(c);
                    }
                    '\n' | '\r' => expected.push(' '),
                    _ => expected.push(c),
                }
            }
            prop_assert_eq!(md_escape(&text), expected);
        }

        /// A row written plainly is the CSV writer's row, byte for byte; a row it declines is
        /// left unwritten.
        #[test]
        fn plain_csv_lines_are_the_csv_writers(rows in (1usize..5).prop_flat_map(|n| prop::collection::vec(prop::collection::vec(csv_cell(), n), 0..6))) {
            let mut fast = Vec::new();
            let mut slow = CsvStream::new(Vec::new());
            let mut line = table::Line::default();
            for row in &rows {
                line.clear();
                for c in row {
                    line.cell(c);
                }
                let before = fast.len();
                if !plain_csv_line(&mut fast, &line) {
                    prop_assert_eq!(fast.len(), before);
                    let mut w = CsvStream::new(std::mem::take(&mut fast));
                    w.row(row.clone());
                    fast = w.into_inner().unwrap();
                }
                slow.row(row.clone());
            }
            prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(slow.into_inner().unwrap()).unwrap());
        }
    }

    #[test]
    fn formula_cells_are_neutralised() {
        for bad in ["=1+1", "+86", "-3", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(csv_safe(bad), format!("'{bad}"));
        }
        assert_eq!(csv_safe("南营门里"), "南营门里");
        assert_eq!(csv_safe(""), "");
    }

    #[test]
    fn csv_neutralises_text_but_not_numbers() {
        let mut r = Rows::new(["name", "delta"]);
        r.push(vec![Cell::text("=HYPERLINK(\"x\")"), Cell::num("-2.50")]);
        assert_eq!(r.to_csv(), "name,delta\n\"'=HYPERLINK(\"\"x\"\")\",-2.50\n");
    }

    #[test]
    fn markdown_escapes_markup_and_html() {
        assert_eq!(md_escape("<script>x</script>"), "&lt;script&gt;x&lt;/script&gt;");
        assert_eq!(
            md_escape("[链接](http://x) | *粗*"),
            "\\[链接\\](http://x) \\| \\*粗\\*"
        );
        assert_eq!(md_escape("南营门里"), "南营门里");
    }

    /// A writer whose reader has gone (`oldestate score --format csv | head`).
    struct ClosedPipe;

    impl std::io::Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }

        fn flush(&mut self) -> std::io::Result<()> {
            Err(std::io::ErrorKind::BrokenPipe.into())
        }
    }

    /// A closed pipe stays a closed pipe through the CSV writer, so every CSV report ends
    /// quietly on `| head` as tables and JSON do; other CSV errors keep their message.
    #[test]
    fn csv_errors_keep_their_io_kind() {
        let mut out = CsvStream::new(ClosedPipe);
        out.header(vec!["a".into()]);
        out.row(vec![Cell::text("x".repeat(100_000))]);
        assert_eq!(out.finish().unwrap_err().kind(), std::io::ErrorKind::BrokenPipe);

        let mut out = CsvStream::new(Vec::new());
        out.header(vec!["a".into()]);
        out.row(vec![Cell::text("x"), Cell::text("y")]);
        let e = out.into_inner().unwrap_err();
        assert_eq!(e.kind(), std::io::ErrorKind::Other);
        assert!(e.to_string().contains("found record with 2 fields"), "{e}");
    }
}
