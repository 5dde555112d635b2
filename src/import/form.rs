//! A grid read as a person reads an office's form: the header row found under any title,
//! blank and footer rows passed over (DESIGN §10 "Real forms").
//!
//! The header is the first row naming three known columns; the rows above it are the title,
//! whose year, month and level serve rows that lack them. A header may take two rows: a group
//! label merged across the item columns (Excel fills it across) over the items, or the mirror,
//! group words over the field names; the two rows are combined column by column. Under the
//! table, totals (合计, 小计 …), notes (说明, 注：…) and signature lines (填表人, 审核人 …) are
//! passed over, and everything after a signature line with them. A header repeated on each
//! printed page is passed over too. Every row kept keeps its number and its cells.

use crate::model::Level;
use rust_i18n::t;

use super::book::Grid;
use super::sheet::{Cells, Rows, Sheet, SheetRow};
use super::values::{parse_date, parse_level};

/// A grid read as a form: the header and the data rows, what was passed over, and what the
/// title says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Form {
    /// The header row first, then the data rows.
    pub sheet: Sheet,
    /// Rows passed over, in order, for the import's summary.
    pub skipped: Vec<Skipped>,
    /// What the title above the header says.
    pub title: Title,
}

/// Rows passed over: from `first` to `last` (sheet rows, inclusive), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skipped {
    /// The first row passed over.
    pub first: u64,
    /// The last row passed over.
    pub last: u64,
    /// Why.
    pub kind: SkipKind,
}

/// Why rows were passed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SkipKind {
    /// Title and subtitle rows above the header.
    Title,
    /// The second row of a two-row header, combined into the header.
    SubHeader,
    /// A footer row: 合计, 小计, 填表人, 审核人, 制表, 说明 … (its first words; a run of
    /// different footer rows, as the signature lines, says the first words and 等).
    Footer(String),
    /// The header again, as Excel prints it on each page (one or both of its rows).
    RepeatedHeader,
    /// A row of a blank form left unfilled: nothing in it but its 序号.
    Unfilled,
}

/// What a form's title states, for the rows that lack it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Title {
    /// The year stated (2026年…).
    pub year: Option<i32>,
    /// The month stated (…7月).
    pub month: Option<u32>,
    /// The level stated (社区, 街道, 区, 第三方).
    pub level: Option<Level>,
}

/// Read a grid as a form. `known` says whether a header cell names a known column (a field or
/// an item). `None` when no row of the grid is a header: the sheet holds no table (an
/// instructions sheet, a sheet of drop-down lists).
pub fn read_form(grid: &mut Grid, known: &dyn Fn(&str) -> bool) -> Option<Form> {
    let found = grid
        .rows
        .iter()
        .position(|r| r.cells.iter().filter(|c| known(c)).count() >= 3)?;
    // The rows move into the form: a month's sheet can have a million of them.
    let rows = std::mem::take(&mut grid.rows);
    let (head, title, mut body) = settle(&rows, found, known);
    // The header's text is added after the rows' (within 4 GiB: read_form is not refused for
    // it; a header is a row's worth of text, and the text of a sheet near the limit would not
    // have been read).
    let kept = rows.keep(head.top, &head.cells, head.body, |row| body.keep(row)).ok()?;
    Some(Form {
        sheet: Sheet { rows: kept },
        skipped: body.skips.list,
        title,
    })
}

/// The header around row `found` of `rows` (the first naming three known columns), what the
/// title above it says, and the sorter of the rows under it, the title and sub-header rows
/// passed over already.
fn settle(rows: &Rows, found: usize, known: &dyn Fn(&str) -> bool) -> (Head, Title, Body) {
    let head = Head::find(rows, found, known);
    let mut skips = Skips::default();
    for r in rows.range(0..head.top) {
        skips.skip(r.row, SkipKind::Title, false);
    }
    if let Some(second) = head.second.and_then(|i| rows.get(i)) {
        skips.skip(second.row, SkipKind::SubHeader, false);
    }
    let owned = |r: Option<SheetRow<'_>>| r.map(|r| r.cells.iter().map(String::from).collect::<Vec<_>>());
    let header: Vec<Vec<String>> = [Some(head.top), head.second]
        .into_iter()
        .flatten()
        .filter_map(|i| owned(rows.get(i)))
        .chain([head.cells.clone()])
        .collect();
    let title = read_title(rows.range(0..head.top));
    let body = Body::new(header, skips);
    (head, title, body)
}

/// A form read a row at a time ([`FormScan::row`]), as [`read_form`] reads a grid, for a sheet
/// whose rows are not held: the rows down to the header's are kept until the header is
/// settled, the rows under it are only sorted and counted. [`FormScan::finish`] says what was
/// found; the sheet is then read again and its rows sorted the same way ([`ScannedForm::body`]).
#[derive(Default)]
pub struct FormScan {
    /// The rows read until the header is settled.
    prefix: Rows,
    /// The index of the first row naming three known columns.
    found: Option<usize>,
    settled: Option<ScannedForm>,
}

/// What a [`FormScan`] found: the header, the title, the rows passed over, how many data rows
/// there are and from which row on.
pub struct ScannedForm {
    /// The header row (its number and cells, combined from two rows if it takes two).
    pub header: Rows,
    /// What the title above the header says.
    pub title: Title,
    /// Rows passed over, in order.
    pub skipped: Vec<Skipped>,
    /// How many data rows there are.
    pub rows: usize,
    /// The index of the first row under the header.
    pub body_at: usize,
    /// The sorter as it stood before the first row under the header.
    fresh: Body,
    /// The sorter of this reading.
    body: Body,
}

impl ScannedForm {
    /// A sorter of the rows under the header, from index [`ScannedForm::body_at`] on: whether
    /// each is a data row, as the scan found.
    pub fn body(&self) -> BodySorter {
        BodySorter(self.fresh.clone())
    }
}

/// Sorts the rows under a scanned form's header ([`ScannedForm::body`]).
pub struct BodySorter(Body);

impl BodySorter {
    /// Whether `row`, the next under the header, is a data row.
    pub fn keep(&mut self, row: SheetRow<'_>) -> bool {
        self.0.keep(row)
    }
}

impl FormScan {
    /// Take in the next row of the grid.
    pub fn row(&mut self, row: SheetRow<'_>, known: &dyn Fn(&str) -> bool) {
        if let Some(s) = &mut self.settled {
            if s.body.keep(row) {
                s.rows += 1;
            }
            return;
        }
        let i = self.prefix.len();
        // Within 4 GiB: the scan's reader refuses a sheet past it.
        let _ = self.prefix.push(row.row, row.cells.iter());
        if self.found.is_none() && row.cells.iter().filter(|c| known(c)).count() >= 3 {
            self.found = Some(i);
        }
        if self.found.is_some_and(|f| self.prefix.len() == f + 2) {
            self.settle(known);
        }
    }

    fn settle(&mut self, known: &dyn Fn(&str) -> bool) {
        let Some(found) = self.found else { return };
        let rows = std::mem::take(&mut self.prefix);
        let (head, title, body) = settle(&rows, found, known);
        let mut header = Rows::default();
        let row = rows.get(head.top).map_or(0, |r| r.row);
        let _ = header.push(row, head.cells.iter().map(String::as_str));
        let mut s = ScannedForm {
            header,
            title,
            skipped: Vec::new(),
            rows: 0,
            body_at: head.body,
            fresh: body.clone(),
            body,
        };
        for r in rows.range(head.body.min(rows.len())..rows.len()) {
            if s.body.keep(r) {
                s.rows += 1;
            }
        }
        self.settled = Some(s);
    }

    /// What the rows read say, all read; `None` when no row is a header.
    pub fn finish(mut self, known: &dyn Fn(&str) -> bool) -> Option<ScannedForm> {
        if self.settled.is_none() {
            self.settle(known);
        }
        let mut s = self.settled?;
        s.skipped = std::mem::take(&mut s.body.skips.list);
        Some(s)
    }
}

/// A summary of the rows passed over, in the workspace's words for the import's report:
/// "第1–2行：标题；第40行：合计；第41–42行：填表人等".
pub fn describe(skipped: &[Skipped], lang: crate::model::records::Lang) -> String {
    let code = lang.code();
    skipped
        .iter()
        .map(|s| {
            let what = match &s.kind {
                SkipKind::Title => t!("form.title", locale = code),
                SkipKind::SubHeader => t!("form.sub_header", locale = code),
                SkipKind::RepeatedHeader => t!("form.repeated_header", locale = code),
                SkipKind::Unfilled => t!("form.unfilled", locale = code),
                SkipKind::Footer(words) => words.as_str().into(),
            };
            if s.first == s.last {
                t!("form.row", locale = code, row = s.first, what = what).into_owned()
            } else {
                t!("form.rows", locale = code, first = s.first, last = s.last, what = what).into_owned()
            }
        })
        .collect::<Vec<_>>()
        .join(t!("punct.semicolon", locale = code).as_ref())
}

/// Where the header is: its first row (`top`), its second row if it takes two, the first row
/// after it (`body`), all indexes into the grid's rows; and its cells, combined.
struct Head {
    top: usize,
    second: Option<usize>,
    body: usize,
    cells: Vec<String>,
}

impl Head {
    /// The header around row `found`, the first naming three known columns: with the row under
    /// it when that is a sub-header, else with the row over it when that is a row of group
    /// words, else alone.
    fn find(rows: &Rows, found: usize, known: &dyn Fn(&str) -> bool) -> Head {
        let cells = |i: usize| rows.get(i).map(|r| r.cells);
        let Some(here) = cells(found) else {
            return Head {
                top: found,
                second: None,
                body: found + 1,
                cells: Vec::new(),
            };
        };
        if let Some(next) = cells(found + 1).filter(|n| is_sub_header(here, *n, known)) {
            return Head {
                top: found,
                second: Some(found + 1),
                body: found + 2,
                cells: combine(here, next, known),
            };
        }
        if let Some((above, upper)) = found
            .checked_sub(1)
            .and_then(|a| Some((a, cells(a)?)))
            .filter(|&(_, upper)| is_group_row(upper, here, known))
        {
            return Head {
                top: above,
                second: Some(found),
                body: found + 1,
                cells: combine(upper, here, known),
            };
        }
        Head {
            top: found,
            second: None,
            body: found + 1,
            cells: here.iter().map(String::from).collect(),
        }
    }
}

/// Whether `lower`, the row under the header `upper`, is the header's second row: it names a
/// known column, each of its cells names one or repeats the cell above (a field name merged
/// down), and it holds no date (a data row would).
fn is_sub_header(upper: Cells<'_>, lower: Cells<'_>, known: &dyn Fn(&str) -> bool) -> bool {
    lower.iter().any(known)
        && lower
            .iter()
            .enumerate()
            .all(|(i, c)| c.is_empty() || known(c) || upper.get(i) == Some(c))
        && !lower.iter().any(|c| parse_date(c).is_some())
}

/// Whether `upper`, the row over the header `lower`, is a row of group words: two or more
/// different labels, each naming a known column, repeating the cell below (merged down) or
/// merged across with its neighbour, one of them at least merged across; no digits, colons or
/// dates (a title or a subtitle has them, or is one text merged across the whole row).
fn is_group_row(upper: Cells<'_>, lower: Cells<'_>, known: &dyn Fn(&str) -> bool) -> bool {
    let cells: Vec<&str> = upper.iter().collect();
    let across = |i: usize| {
        let c = cells[i];
        (i > 0 && cells[i - 1] == c) || cells.get(i + 1) == Some(&c)
    };
    let mut labels: Vec<&str> = cells.iter().copied().filter(|c| !c.is_empty()).collect();
    labels.sort_unstable();
    labels.dedup();
    labels.len() >= 2
        && cells
            .iter()
            .all(|c| !c.chars().any(|ch| ch.is_numeric() || matches!(ch, ':' | '：')))
        && (0..cells.len()).any(|i| !cells[i].is_empty() && !known(cells[i]) && across(i))
        && (0..cells.len()).all(|i| {
            let c = cells[i];
            c.is_empty() || known(c) || lower.get(i) == Some(c) || across(i)
        })
}

/// The two rows of a header as one: per column, the lower cell when it names a known column
/// or the upper does not (an item under its group label, a field under a group word), else
/// the upper cell (a field name merged down over a blank).
fn combine(upper: Cells<'_>, lower: Cells<'_>, known: &dyn Fn(&str) -> bool) -> Vec<String> {
    (0..upper.len().max(lower.len()))
        .map(|i| {
            let (u, l) = (upper.get(i).unwrap_or(""), lower.get(i).unwrap_or(""));
            if !l.is_empty() && (known(l) || !known(u)) || u.is_empty() {
                l.to_string()
            } else {
                u.to_string()
            }
        })
        .collect()
}

/// What the title rows state: the first year and month found in their texts, and the level.
fn read_title<'a>(rows: impl Iterator<Item = SheetRow<'a>>) -> Title {
    let mut texts: Vec<String> = Vec::new();
    for c in rows.flat_map(|r| r.cells.iter()) {
        let t = half_width(c);
        if !t.is_empty() && !texts.contains(&t) {
            texts.push(t);
        }
    }
    Title {
        year: texts.iter().find_map(|t| find_year(t).map(|(y, _)| y)),
        month: texts.iter().find_map(|t| find_month(t)),
        level: find_level(&texts),
    }
}

/// A text with full-width digits, spaces and date marks as ASCII (２０２６年 is 2026年).
fn half_width(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
            '　' => ' ',
            '－' => '-',
            '．' => '.',
            '／' => '/',
            _ => c,
        })
        .collect()
}

/// The digits starting at `i`, if a whole number starts there (no digit before it): their
/// value and how many there are.
fn number_at(chars: &[char], i: usize) -> Option<(u32, usize)> {
    if i > 0 && chars[i - 1].is_ascii_digit() {
        return None;
    }
    let n = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let digits: String = chars[i..i + n].iter().collect();
    digits.parse().ok().map(|v| (v, n))
}

/// The first index after `i` that is not a space.
fn skip_spaces(chars: &[char], i: usize) -> usize {
    i + chars[i..].iter().take_while(|c| c.is_whitespace()).count()
}

/// The first year a text states (2026年, 2026 年, 2026-07, 2026.7), with the month when it is
/// written with the year in digits (2026-07, 2026.7).
fn find_year(t: &str) -> Option<(i32, Option<u32>)> {
    let chars: Vec<char> = t.chars().collect();
    (0..chars.len()).find_map(|i| {
        let (y, 4) = number_at(&chars, i)? else {
            return None;
        };
        if !(1990..=2100).contains(&y) {
            return None;
        }
        let j = skip_spaces(&chars, i + 4);
        match chars.get(j)? {
            '年' => Some((y as i32, None)),
            '-' | '.' | '/' => {
                let (m, _) = chars
                    .get(j + 1)
                    .filter(|c| c.is_ascii_digit())
                    .and(number_at(&chars, j + 1))?;
                Some((y as i32, Some(m).filter(|m| (1..=12).contains(m))))
            }
            _ => None,
        }
    })
}

/// The month a text states: 7月 (not the end of a range, 1-6月), 2026-07, or 七月.
fn find_month(t: &str) -> Option<u32> {
    let chars: Vec<char> = t.chars().collect();
    let in_digits = (0..chars.len()).find_map(|i| {
        let (m, n) = number_at(&chars, i)?;
        let range = i > 0 && matches!(chars[i - 1], '-' | '–' | '—' | '~' | '～' | '至' | '到');
        let follows = chars.get(skip_spaces(&chars, i + n)) == Some(&'月');
        (n <= 2 && follows && !range && (1..=12).contains(&m)).then_some(m)
    });
    const NAMES: [&str; 12] = [
        "十二月",
        "十一月",
        "十月",
        "九月",
        "八月",
        "七月",
        "六月",
        "五月",
        "四月",
        "三月",
        "二月",
        "一月",
    ];
    in_digits
        .or_else(|| find_year(t).and_then(|(_, m)| m))
        .or_else(|| NAMES.iter().position(|n| t.contains(n)).map(|i| 12 - i as u32))
}

/// The level the title texts state, the most specific when several are named (第三方, then
/// 社区, then 街道, then 区): "劝业场街社区月度检查表" is a community's form. 区 counts only as
/// 区级 or a district bureau (区民政局 …), never inside 小区 or 社区; a cell may also be a
/// level word alone or after a colon (检查层级：街道).
fn find_level(texts: &[String]) -> Option<Level> {
    let mut found = Vec::new();
    for t in texts {
        let t: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if t.contains("第三方") {
            found.push(Level::ThirdParty);
        }
        if t.contains("社区") || t.contains("居委会") {
            found.push(Level::Community);
        }
        if t.contains("街道") {
            found.push(Level::Street);
        }
        let rest = t.replace("小区", "").replace("社区", "");
        if ["区级", "区民政局", "区房管局", "区住建委", "区住房"]
            .iter()
            .any(|w| rest.contains(w))
        {
            found.push(Level::District);
        }
        found.extend(t.split([':', '：']).filter_map(parse_level));
    }
    [Level::ThirdParty, Level::Community, Level::Street, Level::District]
        .into_iter()
        .find(|l| found.contains(l))
}

/// The rows passed over so far; `open` while the row just read was passed over, so that the
/// next one passed over may join its run.
#[derive(Default, Clone)]
struct Skips {
    list: Vec<Skipped>,
    open: bool,
}

impl Skips {
    /// Pass over `row` for `kind`. It joins the run before it when that run is for the same
    /// reason, or when `join` says it belongs there whatever its words (the lines under a
    /// signature line): the run then says its first words and 等.
    fn skip(&mut self, row: u64, kind: SkipKind, join: bool) {
        if let Some(last) = self.list.last_mut().filter(|_| self.open) {
            if last.kind == kind {
                last.last = row;
                return;
            }
            if let (true, SkipKind::Footer(words), SkipKind::Footer(_)) = (join, &last.kind, &kind) {
                if !words.ends_with('等') {
                    last.kind = SkipKind::Footer(format!("{words}等"));
                }
                last.last = row;
                return;
            }
        }
        self.list.push(Skipped {
            first: row,
            last: row,
            kind,
        });
        self.open = true;
    }

    /// Pass over `row` as part of the run before it, whatever its words (a line of a note, a
    /// date under a signature); a run of `kind` if there is none.
    fn extend(&mut self, row: u64, kind: SkipKind) {
        match self.list.last_mut().filter(|_| self.open) {
            Some(last) => last.last = row,
            None => self.skip(row, kind, false),
        }
    }

    /// A row is kept: the next row passed over starts a new run.
    fn keep(&mut self) {
        self.open = false;
    }
}

/// What the rows under the table have been so far: the table, a note (说明, 注：…) whose
/// lines may follow, or a signature line, after which nothing is data.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tail {
    Table,
    Note,
    Signature,
}

/// Words that begin a footer row (compared without spaces: 合 计 is 合计), longest first where
/// one begins another; with the words a summary says for them and what the row is.
const FOOTERS: &[(&str, &str, Tail)] = &[
    ("合计", "合计", Tail::Table),
    ("小计", "小计", Tail::Table),
    ("总计", "总计", Tail::Table),
    ("累计", "累计", Tail::Table),
    ("填表人", "填表人", Tail::Signature),
    ("填报人", "填报人", Tail::Signature),
    ("审核人", "审核人", Tail::Signature),
    ("制表人", "制表人", Tail::Signature),
    ("制表", "制表", Tail::Signature),
    ("负责人", "负责人", Tail::Signature),
    ("填表日期", "填表日期", Tail::Signature),
    ("备注说明", "备注说明", Tail::Note),
    ("说明", "说明", Tail::Note),
    ("注：", "注", Tail::Note),
    ("注:", "注", Tail::Note),
    ("联系电话", "联系电话", Tail::Table),
];

/// The footer words a row begins with (its first non-empty cell), and what the row is.
fn footer(row: SheetRow<'_>) -> Option<(&'static str, Tail)> {
    let first = row.cells.iter().find(|c| !c.is_empty())?;
    // The cell without spaces starts with the words (compared without making it: every data
    // row of a sheet is asked).
    let starts = |words: &str| {
        let mut cell = first.chars().filter(|c| !c.is_whitespace());
        words.chars().all(|w| cell.next() == Some(w))
    };
    FOOTERS
        .iter()
        .find(|(start, _, _)| starts(start))
        .map(|&(_, words, tail)| (words, tail))
}

/// Whether a row holds one text only (a line of a note, merged across the row).
fn one_text(row: SheetRow<'_>) -> bool {
    let mut texts = row.cells.iter().filter(|c| !c.is_empty());
    texts.next().is_some_and(|t| texts.all(|c| c == t))
}

/// Whether a row holds nothing but its number under the header's 序号 (a blank form's rows
/// come numbered; a row with no visit in it is no error).
fn unfilled(header: &[String], row: SheetRow<'_>) -> bool {
    let mut filled = row.cells.iter().enumerate().filter(|(_, c)| !c.is_empty());
    filled.all(|(i, _)| header.get(i).map(String::as_str) == Some("序号"))
}

/// Whether two rows hold the same cells (trailing blanks aside).
fn same_cells(a: &[String], b: Cells<'_>) -> bool {
    let n = a.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    let m = b.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
    n == m && a.iter().take(n).map(String::as_str).eq(b.iter().take(m))
}

/// Sorts the rows under the header, one by one, into data rows (kept, unchanged) and rows
/// passed over: footers, the lines after a note or a signature line, and the header printed
/// again. `header` holds the header's rows as the sheet has them, and combined.
#[derive(Clone)]
struct Body {
    header: Vec<Vec<String>>,
    skips: Skips,
    tail: Tail,
}

impl Body {
    fn new(header: Vec<Vec<String>>, skips: Skips) -> Body {
        Body {
            header,
            skips,
            tail: Tail::Table,
        }
    }

    /// Whether `row`, the next under the header, is a data row; if not, it is passed over.
    fn keep(&mut self, row: SheetRow<'_>) -> bool {
        let (skips, header) = (&mut self.skips, &self.header);
        let words = footer(row);
        if self.tail == Tail::Signature {
            match words {
                Some((w, _)) => skips.skip(row.row, SkipKind::Footer(w.to_string()), true),
                None => skips.extend(row.row, SkipKind::Footer(String::new())),
            }
        } else if let Some((w, t)) = words {
            skips.skip(row.row, SkipKind::Footer(w.to_string()), false);
            self.tail = t;
        } else if self.tail == Tail::Note && one_text(row) {
            skips.extend(row.row, SkipKind::Footer(String::new()));
        } else if header.iter().any(|h| same_cells(h, row.cells)) {
            skips.skip(row.row, SkipKind::RepeatedHeader, false);
            self.tail = Tail::Table;
        } else if header.last().is_some_and(|h| unfilled(h, row)) {
            skips.skip(row.row, SkipKind::Unfilled, false);
            self.tail = Tail::Table;
        } else {
            skips.keep();
            self.tail = Tail::Table;
            return true;
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Header words these tests know: fields, people's columns, items by name and code.
    const KNOWN: &[&str] = &[
        "序号",
        "街道",
        "社区",
        "小区",
        "检查日期",
        "检查组",
        "人数",
        "私装地锁",
        "楼道清扫",
        "A05",
        "备注",
    ];

    fn known(s: &str) -> bool {
        KNOWN.contains(&s)
    }

    fn grid(rows: &[(u64, &[&str])]) -> Grid {
        let mut all = Rows::default();
        for (n, cells) in rows {
            all.push(*n, cells.iter().copied()).unwrap();
        }
        Grid {
            name: Some("7月".into()),
            rows: all,
        }
    }

    fn skip(first: u64, last: u64, kind: SkipKind) -> Skipped {
        Skipped { first, last, kind }
    }

    fn rows(form: &Form) -> Vec<(u64, Vec<&str>)> {
        form.sheet
            .rows
            .iter()
            .map(|r| (r.row, r.cells.iter().collect()))
            .collect()
    }

    #[test]
    fn title_and_subtitle_above_the_header() {
        let title = "２０２６年7月劝业场街社区月度检查表";
        let g = grid(&[
            (1, &[title, title, title, title]),
            (2, &["填报单位：劝业场街道", "", "", "填报日期：2026.7.31"]),
            (4, &["检查日期", "小区", "检查组", "私装地锁"]),
            (5, &["2026-07-03", "南营门里", "一组", "2"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(
            rows(&form),
            vec![
                (4, vec!["检查日期", "小区", "检查组", "私装地锁"]),
                (5, vec!["2026-07-03", "南营门里", "一组", "2"]),
            ]
        );
        assert_eq!(form.skipped, vec![skip(1, 2, SkipKind::Title)]);
        assert_eq!(
            form.title,
            Title {
                year: Some(2026),
                month: Some(7),
                level: Some(Level::Community),
            }
        );
        assert_eq!(
            describe(&form.skipped, crate::model::records::Lang::Zh),
            "第1–2行：标题"
        );
    }

    #[test]
    fn titles_state_year_month_and_level_as_offices_write_them() {
        let title = |t: &str| read_title(grid(&[(1, &[t])]).rows.iter());
        let t = title("第三方检查考评记录（2026 年 七月）");
        assert_eq!(
            (t.year, t.month, t.level),
            (Some(2026), Some(7), Some(Level::ThirdParty))
        );
        let t = title("区民政局委托第三方 2026-07 检查");
        assert_eq!(
            (t.year, t.month, t.level),
            (Some(2026), Some(7), Some(Level::ThirdParty))
        );
        let t = title("区级检查汇总 2026.12");
        assert_eq!(
            (t.year, t.month, t.level),
            (Some(2026), Some(12), Some(Level::District))
        );
        // A range of months states no month; 小区 is no level.
        let t = title("2026年1-6月老旧小区检查汇总表");
        assert_eq!((t.year, t.month, t.level), (Some(2026), None, None));
        let t = title("劝业场街道检查表");
        assert_eq!((t.year, t.month, t.level), (None, None, Some(Level::Street)));
        assert_eq!(title("检查层级：区").level, Some(Level::District));
        assert_eq!(title("月度检查表").month, None);
    }

    #[test]
    fn a_group_label_merged_across_is_combined_with_the_items_under_it() {
        let g = grid(&[
            (
                3,
                &[
                    "序号",
                    "小区",
                    "检查日期",
                    "问题点位（处）",
                    "问题点位（处）",
                    "问题点位（处）",
                ],
            ),
            (4, &["序号", "小区", "检查日期", "私装地锁", "楼道清扫", "A05"]),
            (5, &["1", "南营门里", "2026-07-03", "2", "", "1"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(
            rows(&form),
            vec![
                (3, vec!["序号", "小区", "检查日期", "私装地锁", "楼道清扫", "A05"]),
                (5, vec!["1", "南营门里", "2026-07-03", "2", "", "1"]),
            ]
        );
        assert_eq!(form.skipped, vec![skip(4, 4, SkipKind::SubHeader)]);
        assert_eq!(
            describe(&form.skipped, crate::model::records::Lang::Zh),
            "第4行：表头第二行"
        );
    }

    #[test]
    fn a_sub_header_with_blanks_under_fields_keeps_the_fields() {
        // Fields merged down arrive filled; a WPS export may leave them blank instead.
        let g = grid(&[
            (1, &["小区", "检查日期", "人数", "问题点位", "问题点位"]),
            (2, &["", "", "", "私装地锁", "楼道清扫"]),
            (3, &["南营门里", "2026/7/3", "2", "1", "0"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(
            rows(&form)[0],
            (1, vec!["小区", "检查日期", "人数", "私装地锁", "楼道清扫"])
        );
        assert_eq!(form.skipped, vec![skip(2, 2, SkipKind::SubHeader)]);
    }

    #[test]
    fn group_words_over_the_field_names_are_combined_too() {
        // The mirror: the items are merged down, the fields sit under group words; the top row
        // names three items, so it is the header and the row under it its second row.
        let g = grid(&[
            (2, &["基本信息", "基本信息", "基本信息", "私装地锁", "楼道清扫", "A05"]),
            (3, &["小区", "检查日期", "人数", "私装地锁", "楼道清扫", "A05"]),
            (4, &["南营门里", "2026-07-03", "2", "1", "0", ""]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        let expected = vec![
            (2, vec!["小区", "检查日期", "人数", "私装地锁", "楼道清扫", "A05"]),
            (4, vec!["南营门里", "2026-07-03", "2", "1", "0", ""]),
        ];
        assert_eq!(rows(&form), expected);
        assert_eq!(form.skipped, vec![skip(3, 3, SkipKind::SubHeader)]);

        // The same with one item only: the top row names too few known columns to be the
        // header, and is found as the group row over it, not taken for a title.
        let g = grid(&[
            (
                1,
                &[
                    "2026年7月检查表",
                    "2026年7月检查表",
                    "2026年7月检查表",
                    "2026年7月检查表",
                ],
            ),
            (2, &["基本信息", "基本信息", "基本信息", "私装地锁"]),
            (3, &["小区", "检查日期", "人数", "私装地锁"]),
            (4, &["南营门里", "2026-07-03", "2", "1"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(
            rows(&form),
            vec![
                (2, vec!["小区", "检查日期", "人数", "私装地锁"]),
                (4, vec!["南营门里", "2026-07-03", "2", "1"]),
            ]
        );
        assert_eq!(
            form.skipped,
            vec![skip(1, 1, SkipKind::Title), skip(3, 3, SkipKind::SubHeader)]
        );
        assert_eq!(
            (form.title.year, form.title.month, form.title.level),
            (Some(2026), Some(7), None)
        );
    }

    #[test]
    fn a_first_data_row_is_no_sub_header() {
        // Every cell of this row is known or repeats the header, but it holds a date.
        let g = grid(&[
            (1, &["检查日期", "小区", "私装地锁", "楼道清扫"]),
            (2, &["2026-07-03", "小区", "私装地锁", "楼道清扫"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(form.sheet.rows, g.rows);
        assert_eq!(form.skipped, vec![]);
    }

    #[test]
    fn totals_notes_and_signatures_under_the_table_are_passed_over() {
        let g = grid(&[
            (1, &["序号", "小区", "检查日期", "私装地锁"]),
            (2, &["1", "南营门里", "2026-07-03", "2"]),
            (3, &["2", "西湖村", "2026-07-04", "1"]),
            (4, &["合 计", "", "", "3"]),
            (5, &["填表人：张三", "", "审核人：李四", ""]),
            (7, &["审核人：李四", "", "", ""]),
            (8, &["3", "鞍山道", "2026-07-05", "1"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(
            rows(&form),
            vec![
                (1, vec!["序号", "小区", "检查日期", "私装地锁"]),
                (2, vec!["1", "南营门里", "2026-07-03", "2"]),
                (3, vec!["2", "西湖村", "2026-07-04", "1"]),
            ]
        );
        assert_eq!(
            form.skipped,
            vec![
                skip(4, 4, SkipKind::Footer("合计".into())),
                skip(5, 8, SkipKind::Footer("填表人等".into())),
            ]
        );
        assert_eq!(
            describe(&form.skipped, crate::model::records::Lang::Zh),
            "第4行：合计；第5–8行：填表人等"
        );
    }

    #[test]
    fn the_numbered_rows_of_a_blank_form_left_unfilled_are_passed_over() {
        let g = grid(&[
            (1, &["序号", "小区", "检查日期", "私装地锁"]),
            (2, &["1", "南营门里", "2026-07-03", "2"]),
            (3, &["2", "", "", ""]),
            (4, &["3", "", "", ""]),
            (5, &["合计", "", "", "2"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(form.sheet.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(
            describe(&form.skipped, crate::model::records::Lang::Zh),
            "第3–4行：未填写（仅有序号）；第5行：合计"
        );
    }

    #[test]
    fn the_lines_of_a_note_go_with_it_and_data_after_it_is_kept() {
        let g = grid(&[
            (1, &["序号", "小区", "检查日期", "私装地锁"]),
            (2, &["1", "南营门里", "2026-07-03", "2"]),
            (3, &["注：", "", "", ""]),
            (4, &["1、点位以处计", "1、点位以处计", "1、点位以处计", "1、点位以处计"]),
            (5, &["2", "西湖村", "2026-07-04", "1"]),
            (6, &["小计", "", "", "3"]),
            (7, &["小计", "", "", "3"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(form.sheet.rows.iter().map(|r| r.row).collect::<Vec<_>>(), vec![1, 2, 5]);
        assert_eq!(
            describe(&form.skipped, crate::model::records::Lang::Zh),
            "第3–4行：注；第6–7行：小计"
        );
    }

    #[test]
    fn a_header_printed_again_on_each_page_is_passed_over() {
        let g = grid(&[
            (1, &["小区", "检查日期", "问题点位", "问题点位"]),
            (2, &["小区", "检查日期", "私装地锁", "楼道清扫"]),
            (3, &["南营门里", "2026-07-03", "2", "0"]),
            (40, &["小区", "检查日期", "问题点位", "问题点位"]),
            (41, &["小区", "检查日期", "私装地锁", "楼道清扫", ""]),
            (42, &["西湖村", "2026-07-04", "1", "1"]),
            (80, &["小区", "检查日期", "私装地锁", "楼道清扫"]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(
            form.sheet.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
            vec![1, 3, 42]
        );
        assert_eq!(
            form.skipped,
            vec![
                skip(2, 2, SkipKind::SubHeader),
                skip(40, 41, SkipKind::RepeatedHeader),
                skip(80, 80, SkipKind::RepeatedHeader),
            ]
        );
        assert_eq!(
            describe(&form.skipped, crate::model::records::Lang::Zh),
            "第2行：表头第二行；第40–41行：重复的表头；第80行：重复的表头"
        );
    }

    #[test]
    fn a_sheet_with_no_header_is_none() {
        let g = grid(&[
            (1, &["填表说明", "", ""]),
            (2, &["1. 检查日期填写为 2026-07-03", "", ""]),
            (3, &["小区", "检查日期", "点位数"]),
        ]);
        assert_eq!(read_form(&mut g.clone(), &known), None);
        assert_eq!(read_form(&mut grid(&[]), &known), None);
    }

    #[test]
    fn a_plain_csv_passes_through_unchanged() {
        let g = grid(&[
            (1, &["检查日期", "小区", "检查组", "人数", "A05"]),
            (2, &["2026-07-03", "南营门里", "一组", "2", "1"]),
            (3, &["2026-07-04", "西湖村", "一组", "3", ""]),
        ]);
        let form = read_form(&mut g.clone(), &known).unwrap();
        assert_eq!(form.sheet.rows, g.rows);
        assert_eq!(form.skipped, vec![]);
        assert_eq!(form.title, Title::default());
        assert_eq!(describe(&form.skipped, crate::model::records::Lang::Zh), "");
    }
}
