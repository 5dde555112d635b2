//! Terminal tables, written as they stream. comfy-table's layout (`UTF8_FULL_CONDENSED`,
//! no wrapping: numbers right-aligned, CJK characters two columns wide) drawn in two passes
//! over the rows, [`Widths`] to measure and [`TableWriter`] to write, so a table of a whole
//! country's compounds needs no more memory than one row. (comfy-table holds every cell as
//! styled lines: 1.2 GB for 220,000 compounds.) The tests hold the output equal to
//! comfy-table's. One difference, on purpose: comfy-table caps a column at 65,535 characters
//! and wraps what is wider; here a column is as wide as its widest cell.

use std::convert::Infallible;
use std::io::Write;
use std::ops::Range;

use unicode_width::UnicodeWidthStr;

use super::{Cell, RowSink};
use crate::engine::par::chunks_in_order;

/// The width of one line of text in terminal columns. Most cells are ids and numbers:
/// printable ASCII is a column a byte, without the Unicode tables. Names are mostly printable
/// ASCII and CJK unified ideographs (two columns each, with no sequence that joins them):
/// counted without the tables too, as `unicode-width` counts them (a property test holds the
/// two equal); anything else asks the tables.
fn line_width(text: &str) -> usize {
    if text.bytes().all(|b| (0x20..0x7f).contains(&b)) {
        return text.len();
    }
    let mut w = 0;
    for c in text.chars() {
        match c {
            ' '..='~' => w += 1,
            '\u{4E00}'..='\u{9FFF}' => w += 2,
            _ => return text.width(),
        }
    }
    w
}

/// A cell's width: its widest line.
fn cell_width(text: &str) -> usize {
    if text.as_bytes().contains(&b'\n') {
        text.split('\n').map(line_width).max().unwrap_or(0)
    } else {
        line_width(text)
    }
}

/// Append `n` spaces (a slice at a time: cells are padded millions of times).
fn spaces(s: &mut String, mut n: usize) {
    const SPACES: &str = "                                                                ";
    while n > 0 {
        let k = n.min(SPACES.len());
        s.push_str(&SPACES[..k]);
        n -= k;
    }
}

/// How many lines a cell takes.
fn height(text: &str) -> usize {
    1 + text.bytes().filter(|&b| b == b'\n').count()
}

/// A table's column widths (content only, without the one space of padding each side).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Widths(Vec<usize>);

impl Widths {
    /// Widen to fit `other` too.
    fn merge(&mut self, other: &Widths) {
        self.widen(other.0.iter().copied());
    }

    fn fit<'a>(&mut self, cells: impl Iterator<Item = &'a str>) {
        // As comfy-table: a column is at least one character wide.
        self.widen(cells.map(|text| cell_width(text).max(1)));
    }

    /// Widen column by column to the given widths.
    fn widen(&mut self, widths: impl Iterator<Item = usize>) {
        for (i, w) in widths.enumerate() {
            match self.0.get_mut(i) {
                Some(have) => *have = (*have).max(w),
                None => self.0.push(w),
            }
        }
    }
}

impl RowSink for Widths {
    fn header(&mut self, header: Vec<String>) {
        self.fit(header.iter().map(String::as_str));
    }

    fn row(&mut self, row: Vec<Cell>) {
        self.fit(row.iter().map(Cell::as_str));
    }
}

/// Writes the rows measured by [`Widths`] (give it the same rows again); the bottom border is
/// drawn by [`TableWriter::finish`]. The first write error is kept for `finish`.
pub struct TableWriter<W: Write> {
    out: W,
    widths: Widths,
    started: bool,
    error: Option<std::io::Error>,
    /// The line being drawn (reused).
    buf: String,
}

impl<W: Write> TableWriter<W> {
    /// A writer drawing columns of `widths` (measured over the same rows) into `out`.
    pub fn new(out: W, widths: Widths) -> TableWriter<W> {
        TableWriter {
            out,
            widths,
            started: false,
            error: None,
            buf: String::new(),
        }
    }

    fn rule(&mut self, left: char, fill: char, mid: char, right: char) {
        let mut s = String::new();
        s.push(left);
        for (i, w) in self.widths.0.iter().enumerate() {
            if i > 0 {
                s.push(mid);
            }
            s.extend(std::iter::repeat_n(fill, w + 2));
        }
        s.push(right);
        s.push('\n');
        self.write(s.as_bytes());
    }

    /// One row (numbers right-aligned); a cell with line breaks makes the row as many lines
    /// high.
    fn line(&mut self, cells: &[Cell]) {
        let height = cells.iter().map(|c| height(c.as_str())).max().unwrap_or(1);
        self.draw(cells.len(), height, |i| {
            cells
                .get(i)
                .map_or(("", false), |c| (c.as_str(), matches!(c, Cell::Num(_))))
        });
    }

    /// [`TableWriter::line`] of a row drawn into a [`Line`].
    fn line_of(&mut self, line: &Line) {
        self.draw(line.len(), line.height(), |i| line.get(i).unwrap_or(("", false)));
    }

    /// Draw a row of `n` cells and `height` lines, `cell(i)` giving the i-th cell's text and
    /// whether it is right-aligned (a number); missing cells are empty.
    fn draw<'c>(&mut self, n: usize, height: usize, cell: impl Fn(usize) -> (&'c str, bool)) {
        let mut s = std::mem::take(&mut self.buf);
        s.clear();
        for k in 0..height {
            s.push('│');
            for (i, &w) in self.widths.0.iter().enumerate() {
                if i > 0 {
                    s.push('┆');
                }
                let (cell, right) = if i < n { cell(i) } else { ("", false) };
                let text = if height == 1 {
                    cell
                } else {
                    cell.split('\n').nth(k).unwrap_or("")
                };
                let pad = w.saturating_sub(line_width(text));
                s.push(' ');
                if right {
                    spaces(&mut s, pad);
                }
                s.push_str(text);
                if !right {
                    spaces(&mut s, pad);
                }
                s.push(' ');
            }
            s.push_str("│\n");
        }
        self.write(s.as_bytes());
        self.buf = s;
    }

    fn write(&mut self, bytes: &[u8]) {
        if self.error.is_none() {
            if let Err(e) = self.out.write_all(bytes) {
                self.error = Some(e);
            }
        }
    }

    /// Draw the bottom border, flush, and report the first error met.
    pub fn finish(mut self) -> std::io::Result<W> {
        if self.started {
            self.rule('└', '─', '┴', '┘');
        }
        if let Some(e) = self.error.take() {
            return Err(e);
        }
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write> RowSink for TableWriter<W> {
    fn header(&mut self, header: Vec<String>) {
        self.started = true;
        self.rule('┌', '─', '┬', '┐');
        let cells: Vec<Cell> = header.iter().map(|h| Cell::borrowed(h)).collect();
        self.line(&cells);
        self.rule('╞', '═', '╪', '╡');
    }

    fn row(&mut self, row: Vec<Cell>) {
        self.line(&row);
    }
}

/// Write a table of the rows `emit` gives (called twice: to measure, then to write).
pub fn write_table<W: Write>(out: W, mut emit: impl FnMut(&mut dyn RowSink)) -> std::io::Result<W> {
    let mut widths = Widths::default();
    emit(&mut widths);
    let mut t = TableWriter::new(out, widths);
    emit(&mut t);
    t.finish()
}

/// Like [`write_table`], for many rows made independently, one per item: the rows are
/// measured and drawn on `threads` threads, in chunks written in order by
/// [`crate::engine::par::chunks_in_order`] (the output is the same as [`write_table`]'s, whatever the
/// number of threads).
pub fn write_table_parallel<'a, T: Sync, W: Write>(
    out: W,
    header: Vec<String>,
    items: &'a [T],
    threads: usize,
    row: impl Fn(&'a T) -> Vec<Cell<'a>> + Sync,
) -> std::io::Result<W> {
    write_table_lines(out, header, items, threads, |item, line| {
        for c in row(item) {
            line.cell(&c);
        }
    })
}

/// One row's cells, drawn into one buffer reused from row to row: a table of a whole
/// country's compounds is measured and drawn without an allocation per row or cell.
#[derive(Debug, Default)]
pub struct Line {
    text: String,
    /// Each cell's end in `text` and whether it is a number (right-aligned).
    cells: Vec<(usize, bool)>,
}

impl Line {
    /// Empty, for the next row.
    pub fn clear(&mut self) {
        self.text.clear();
        self.cells.clear();
    }

    /// A text cell (left-aligned).
    pub fn text(&mut self, s: &str) {
        self.text.push_str(s);
        self.cells.push((self.text.len(), false));
    }

    /// A number cell (right-aligned), as its `Display` writes it.
    pub fn num(&mut self, n: impl std::fmt::Display) {
        use std::fmt::Write as _;
        // Writing to a String cannot fail.
        let _ = write!(self.text, "{n}");
        self.cells.push((self.text.len(), true));
    }

    /// A whole number cell, as `Display` writes it (without the formatting machinery: a
    /// national CSV writes millions of them).
    pub fn int(&mut self, n: u64) {
        push_digits(&mut self.text, n);
        self.cells.push((self.text.len(), true));
    }

    /// A decimal number cell, as `Display` writes it; one of two decimals, not negative (a
    /// score), without the formatting machinery.
    pub fn decimal(&mut self, d: rust_decimal::Decimal) {
        match u64::try_from(d.mantissa()) {
            Ok(m) if d.scale() == 2 && !d.is_sign_negative() => {
                push_digits(&mut self.text, m / 100);
                self.text.push('.');
                let cents = m % 100;
                push_digits(&mut self.text, cents / 10);
                push_digits(&mut self.text, cents % 10);
                self.cells.push((self.text.len(), true));
            }
            _ => self.num(d),
        }
    }

    /// A cell as [`TableWriter`] draws a [`Cell`]: numbers right-aligned, the rest left.
    pub fn cell(&mut self, c: &Cell<'_>) {
        match c {
            Cell::Num(s) => self.num(s),
            Cell::Text(s) | Cell::Date(s) => self.text(s),
        }
    }

    /// How many cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// No cell yet.
    pub fn is_empty(&self) -> bool {
        self.cells.is_empty()
    }

    /// The cells' text and whether each is a number, in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, bool)> + '_ {
        let mut start = 0;
        self.cells.iter().map(move |&(end, right)| {
            let text = self.text.get(start..end).unwrap_or_default();
            start = end;
            (text, right)
        })
    }

    /// How many lines the row takes: its tallest cell's.
    fn height(&self) -> usize {
        if memchr::memchr(b'\n', self.text.as_bytes()).is_none() {
            return 1;
        }
        self.iter().map(|(text, _)| height(text)).max().unwrap_or(1)
    }

    /// All the cells' text, run together.
    pub fn joined(&self) -> &str {
        &self.text
    }

    /// The i-th cell's text and whether it is a number.
    pub fn get(&self, i: usize) -> Option<(&str, bool)> {
        let &(end, right) = self.cells.get(i)?;
        let start = match i {
            0 => 0,
            _ => self.cells[i - 1].0,
        };
        Some((self.text.get(start..end)?, right))
    }
}

/// Append `n` in decimal digits.
fn push_digits(s: &mut String, mut n: u64) {
    let mut digits = [0u8; 20];
    let mut k = digits.len();
    loop {
        k -= 1;
        // (A digit: the cast cannot truncate.)
        digits[k] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    for &d in &digits[k..] {
        s.push(char::from(d));
    }
}

/// [`write_table_parallel`] with each row drawn by `fill` into a reused [`Line`] (twice: to
/// measure, then to draw), rather than made as cells.
pub fn write_table_lines<'a, T: Sync, W: Write>(
    out: W,
    header: Vec<String>,
    items: &'a [T],
    threads: usize,
    fill: impl Fn(&'a T, &mut Line) + Sync,
) -> std::io::Result<W> {
    let mut widths = Widths::default();
    widths.header(header.clone());
    let measure = |r: Range<usize>| {
        let mut w = Widths::default();
        let mut line = Line::default();
        for item in &items[r] {
            line.clear();
            fill(item, &mut line);
            if line.height() == 1 {
                // (No line breaks: a cell's width is its one line's.)
                w.widen(line.iter().map(|(text, _)| line_width(text).max(1)));
            } else {
                w.fit(line.iter().map(|(text, _)| text));
            }
        }
        w
    };
    let Ok(()) = chunks_in_order(items.len(), threads, measure, |w| {
        widths.merge(&w);
        Ok::<(), Infallible>(())
    });
    let draw = |r: Range<usize>| -> std::io::Result<Vec<u8>> {
        let mut t = TableWriter::new(Vec::new(), widths.clone());
        let mut line = Line::default();
        for item in &items[r] {
            line.clear();
            fill(item, &mut line);
            t.line_of(&line);
        }
        t.finish()
    };
    let mut t = TableWriter::new(out, widths.clone());
    t.header(header);
    chunks_in_order(items.len(), threads, draw, |drawn| {
        t.write(&drawn?);
        Ok::<(), std::io::Error>(())
    })?;
    t.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::Rows;
    use comfy_table::{presets, Cell as TCell, CellAlignment, ContentArrangement, Table};
    use proptest::prelude::*;

    /// The layout this module draws, as comfy-table draws it.
    fn comfy(rows: &Rows) -> String {
        let mut t = Table::new();
        t.load_preset(presets::UTF8_FULL_CONDENSED)
            .set_content_arrangement(ContentArrangement::Disabled);
        t.set_header(rows.header.iter().map(TCell::new));
        for r in &rows.rows {
            t.add_row(r.iter().map(|c| match c {
                Cell::Num(s) => TCell::new(s).set_alignment(CellAlignment::Right),
                Cell::Text(s) | Cell::Date(s) => TCell::new(s),
            }));
        }
        format!("{t}\n")
    }

    fn ours(rows: &Rows) -> String {
        let out = write_table(Vec::new(), |sink| {
            sink.header(rows.header.clone());
            for r in &rows.rows {
                sink.row(r.clone());
            }
        })
        .unwrap();
        String::from_utf8(out).unwrap()
    }

    fn text() -> impl Strategy<Value = String> {
        "([a-zA-Z0-9 .●]|[小区和平街道到位优秀]|\n){0,8}"
    }

    fn table() -> impl Strategy<Value = Rows> {
        (1usize..5).prop_flat_map(|n| {
            let header = prop::collection::vec(text(), n);
            let cell = prop_oneof![text().prop_map(Cell::text), "[0-9.]{0,6}".prop_map(Cell::num)];
            let rows = prop::collection::vec(prop::collection::vec(cell, n), 0..6);
            (header, rows).prop_map(|(header, rows)| Rows { header, rows })
        })
    }

    proptest! {
        /// Numbers are written as `Display` writes them.
        #[test]
        fn numbers_are_written_as_displayed(n in any::<u64>(), m in any::<i64>(), scale in 0u32..5) {
            let d = rust_decimal::Decimal::new(m, scale);
            let mut line = Line::default();
            line.int(n);
            line.decimal(d);
            let (n, d) = (n.to_string(), d.to_string());
            prop_assert_eq!(line.get(0), Some((n.as_str(), true)));
            prop_assert_eq!(line.get(1), Some((d.as_str(), true)));
        }

        /// Counted without the tables, a line is as wide as `unicode-width` says.
        #[test]
        fn line_width_is_unicode_widths(text in "([ -~]|[\u{4E00}-\u{9FFF}]|[\u{0}-\u{FFFF}]|[\u{1F300}-\u{1F64F}]|\u{200D}|\u{FE0F}|\u{20E3})*") {
            prop_assert_eq!(line_width(&text), text.width());
        }

        #[test]
        fn draws_what_comfy_table_draws(rows in table()) {
            prop_assert_eq!(ours(&rows), comfy(&rows));
        }

        /// Drawn in parallel chunks, the table is the same, whatever the number of threads.
        #[test]
        fn parallel_drawing_changes_nothing(rows in table(), threads in 1usize..4) {
            let out = write_table_parallel(Vec::new(), rows.header.clone(), &rows.rows, threads, |r| r.clone()).unwrap();
            prop_assert_eq!(String::from_utf8(out).unwrap(), ours(&rows));
        }
    }

    /// Many rows: several rounds of chunks on several threads, written in order.
    #[test]
    fn parallel_drawing_keeps_the_order_of_many_rows() {
        let rows = Rows {
            header: vec!["n".into(), "名称".into()],
            rows: (0..40_000)
                .map(|i| vec![Cell::num(i), Cell::text(format!("小区{}", i % 97))])
                .collect(),
        };
        for threads in [1, 2, 3] {
            let out =
                write_table_parallel(Vec::new(), rows.header.clone(), &rows.rows, threads, |r| r.clone()).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), ours(&rows), "{threads} threads");
        }
    }

    #[test]
    fn a_report_table() {
        let rows = Rows {
            header: vec!["编号".into(), "小区".into(), "得分".into()],
            rows: vec![
                vec![Cell::text("HP001"), Cell::text("泰安道大楼"), Cell::num("95.50")],
                vec![Cell::text("HP002"), Cell::text("华阳里"), Cell::num("100.00")],
            ],
        };
        let expected = "\
┌───────┬────────────┬────────┐
│ 编号  ┆ 小区       ┆ 得分   │
╞═══════╪════════════╪════════╡
│ HP001 ┆ 泰安道大楼 ┆  95.50 │
│ HP002 ┆ 华阳里     ┆ 100.00 │
└───────┴────────────┴────────┘
";
        assert_eq!(ours(&rows), expected);
        assert_eq!(comfy(&rows), expected);
    }
}
