//! What is wrong with a sheet, said to the person who fixes it (DESIGN §10): in the
//! workspace's language, with the file, the worksheet, the Excel row and column letter, the
//! value as the cell shows it, and the change to make. A cause that repeats on many rows of
//! a column is said once, with the rows; `--errors FILE.csv` lists every problem, one per row.

use std::collections::BTreeMap;

use crate::error::{Diagnostics, Severity};
use rust_i18n::t;

use crate::model::records::Lang;

/// One problem with a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// Whether it stops the import.
    pub severity: Severity,
    /// The sheet file, as named on the command line.
    pub file: String,
    /// The worksheet, in a workbook.
    pub sheet: Option<String>,
    /// The row, as Excel numbers it (or the line of a text file).
    pub row: Option<u64>,
    /// The column: its index (0 = A) and its header as the sheet writes it.
    pub column: Option<(usize, String)>,
    /// The cell's value as it shows, when the problem is about one cell.
    pub value: Option<String>,
    /// What is wrong, in words.
    pub message: String,
    /// What to change in the sheet (may be empty).
    pub fix: String,
    /// Problems with the same cause in the same column are said once; `None`: never grouped.
    pub cause: Option<&'static str>,
}

/// Where a problem is: a file and, in a workbook, a worksheet.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Place {
    /// The sheet file, as named on the command line.
    pub file: String,
    /// The worksheet, in a workbook.
    pub sheet: Option<String>,
}

impl Place {
    /// The file and worksheet in words: `a.xlsx（工作表「花园社区」）`.
    pub fn words(&self, lang: Lang) -> String {
        match &self.sheet {
            None => self.file.clone(),
            Some(s) => t!(
                "import.msg.place_sheet",
                locale = lang.code(),
                file = self.file,
                sheet = s
            )
            .into_owned(),
        }
    }
}

/// Every problem of an import, collected before anything is written.
#[derive(Debug)]
pub struct Problems {
    /// The language problems are said in.
    pub lang: Lang,
    list: Vec<Problem>,
    errors: usize,
}

/// Rows of one cause at which a group is said once.
const GROUP_AT: usize = 3;

impl Problems {
    /// No problems yet, to be said in `lang`.
    pub fn new(lang: Lang) -> Problems {
        Problems {
            lang,
            list: Vec::new(),
            errors: 0,
        }
    }

    /// Record a problem.
    pub fn push(&mut self, p: Problem) {
        self.errors += usize::from(p.severity == Severity::Error);
        self.list.push(p);
    }

    /// A problem of one sheet row as a whole (no column): where the file, sheet and row say.
    pub fn at_row(&mut self, severity: Severity, place: (&str, Option<&str>, u64), message: String, fix: String) {
        let (file, sheet, row) = place;
        self.push(Problem {
            severity,
            file: file.to_string(),
            sheet: sheet.map(str::to_string),
            row: Some(row),
            column: None,
            value: None,
            message,
            fix,
            cause: None,
        });
    }

    /// A problem of a whole file or sheet (no row).
    pub fn file_error(&mut self, place: &Place, row: Option<u64>, message: impl Into<String>) {
        self.push(Problem {
            severity: Severity::Error,
            file: place.file.clone(),
            sheet: place.sheet.clone(),
            row,
            column: None,
            value: None,
            message: message.into(),
            fix: String::new(),
            cause: None,
        });
    }

    /// Take in the located problems of another collector (the store's, for a merge): their
    /// file is the sheet file, their line its row.
    pub fn absorb(&mut self, d: Diagnostics) {
        for x in d.sorted() {
            self.push(Problem {
                severity: x.severity,
                file: x.file.unwrap_or_default(),
                sheet: None,
                row: x.line,
                column: None,
                value: None,
                message: x.message,
                fix: String::new(),
                cause: None,
            });
        }
    }

    /// How many problems are recorded, to [`Problems::rewind`] to.
    pub fn mark(&self) -> usize {
        self.list.len()
    }

    /// Forget the problems recorded since `mark`: they were found in a reading that turned out
    /// not to be the file's (it changed while read), so they name rows in neither version.
    pub fn rewind(&mut self, mark: usize) {
        for p in self.list.drain(mark.min(self.list.len())..) {
            self.errors -= usize::from(p.severity == Severity::Error);
        }
    }

    /// How many errors.
    pub fn errors(&self) -> usize {
        self.errors
    }

    /// How many warnings.
    pub fn warnings(&self) -> usize {
        self.list.len() - self.errors
    }

    /// Turn every warning into an error (`--strict`).
    pub fn strict(&mut self) {
        for p in &mut self.list {
            p.severity = Severity::Error;
        }
        self.errors = self.list.len();
    }

    /// Every problem, ordered by file, sheet, row and column.
    pub fn sorted(&self) -> Vec<&Problem> {
        let mut v: Vec<&Problem> = self.list.iter().collect();
        v.sort_by(|a, b| {
            (&a.file, &a.sheet, a.row, a.column.as_ref().map(|c| c.0), &a.message).cmp(&(
                &b.file,
                &b.sheet,
                b.row,
                b.column.as_ref().map(|c| c.0),
                &b.message,
            ))
        });
        v
    }

    /// The lines to print: every problem, a cause repeated on [`GROUP_AT`] or more rows of a
    /// column said once with its rows; warnings marked.
    pub fn lines(&self) -> Vec<String> {
        // A cell's cause by column; a row's problem by its very words.
        let mut cells: BTreeMap<CellCause<'_>, Vec<&Problem>> = BTreeMap::new();
        let mut rows: BTreeMap<RowCause<'_>, Vec<&Problem>> = BTreeMap::new();
        let mut out: Vec<(Key, String)> = Vec::new();
        for p in self.sorted() {
            match (p.cause, &p.column, p.row) {
                (Some(cause), Some((col, _)), _) => cells
                    .entry((p.severity, &p.file, &p.sheet, *col, cause))
                    .or_default()
                    .push(p),
                (None, _, Some(_)) => rows
                    .entry((p.severity, &p.file, &p.sheet, &p.message, &p.fix))
                    .or_default()
                    .push(p),
                _ => out.push((key(p), self.line(p))),
            }
        }
        for list in cells.into_values() {
            if list.len() >= GROUP_AT {
                out.push((key(list[0]), self.group_line(&list)));
            } else {
                out.extend(list.into_iter().map(|p| (key(p), self.line(p))));
            }
        }
        for list in rows.into_values() {
            if list.len() >= GROUP_AT {
                out.push((key(list[0]), self.rows_line(&list)));
            } else {
                out.extend(list.into_iter().map(|p| (key(p), self.line(p))));
            }
        }
        out.sort();
        out.into_iter().map(|(_, l)| l).collect()
    }

    /// One problem in one line.
    pub fn line(&self, p: &Problem) -> String {
        let place = Place {
            file: p.file.clone(),
            sheet: p.sheet.clone(),
        }
        .words(self.lang);
        let code = self.lang.code();
        let mut at = String::new();
        if let Some(r) = p.row {
            at += &t!("import.msg.row", locale = code, row = r);
        }
        if let Some((col, header)) = &p.column {
            if !at.is_empty() {
                at.push(' ');
            }
            at += &column_words(*col, header, self.lang);
        }
        let sep = t!("import.msg.colon", locale = code);
        let mut s = if at.is_empty() {
            format!("{place}{sep}")
        } else {
            format!("{place} {at}{sep}")
        };
        if p.severity == Severity::Warning {
            s += &t!("import.msg.warning", locale = code);
        }
        s += &p.message;
        if !p.fix.is_empty() {
            s += &t!("import.msg.fix_sep", locale = code);
            s += &p.fix;
        }
        s
    }

    /// A cause repeated on many rows of one column, in one line: the column, how many rows and
    /// which, and the first row's message.
    fn group_line(&self, list: &[&Problem]) -> String {
        let p = list[0];
        let place = Place {
            file: p.file.clone(),
            sheet: p.sheet.clone(),
        }
        .words(self.lang);
        let (col, header) = p.column.clone().unwrap_or_default();
        let rows: Vec<u64> = list.iter().filter_map(|p| p.row).collect();
        let code = self.lang.code();
        let mut s = t!(
            "import.msg.group",
            locale = code,
            place = place,
            column = column_words(col, &header, self.lang),
            n = list.len(),
            rows = row_ranges(&rows, self.lang)
        )
        .into_owned();
        if p.severity == Severity::Warning {
            s += &t!("import.msg.warning", locale = code);
        }
        s += &match p.row {
            Some(r) => t!("import.msg.group_example", locale = code, row = r, message = p.message).into_owned(),
            None => p.message.clone(),
        };
        if !p.fix.is_empty() {
            s += &t!("import.msg.fix_sep", locale = code);
            s += &p.fix;
        }
        s
    }

    /// The same problem (same words, same cell value) on many rows, in one line:
    /// `a.csv 第2–4行：…`, `a.csv 第2–4行 E列「小区」：…`.
    fn rows_line(&self, list: &[&Problem]) -> String {
        let rows: Vec<u64> = list.iter().filter_map(|p| p.row).collect();
        let mut one = list[0].clone();
        one.row = None;
        let line = self.line(&one);
        let place = Place {
            file: one.file.clone(),
            sheet: one.sheet.clone(),
        }
        .words(self.lang);
        // The line goes on with " F列「小区」：…" or "：…": the rows go before either.
        let rest = line.strip_prefix(&place).unwrap_or(&line);
        format!("{place} {}{rest}", row_ranges(&rows, self.lang))
    }

    /// `--errors FILE.csv`: every problem, one per line, for the person who fixes the sheet
    /// (UTF-8 with a byte-order mark, so Excel on a Chinese Windows PC opens it as it is).
    pub fn to_csv(&self) -> Vec<u8> {
        let code = self.lang.code();
        let header = [
            t!("import.msg.csv.file", locale = code),
            t!("import.msg.csv.sheet", locale = code),
            t!("import.msg.csv.row", locale = code),
            t!("import.msg.csv.column", locale = code),
            t!("import.msg.csv.header", locale = code),
            t!("import.msg.csv.value", locale = code),
            t!("import.msg.csv.severity", locale = code),
            t!("import.msg.csv.message", locale = code),
            t!("import.msg.csv.suggestion", locale = code),
        ];
        // Looked up once, not per problem.
        let error = t!("import.msg.csv.error", locale = code);
        let warning = t!("import.msg.csv.warning", locale = code);
        let mut w = csv::Writer::from_writer(crate::workspace::store::BOM.to_vec());
        let _ = w.write_record(header.iter().map(|h| h.as_ref()));
        for p in self.sorted() {
            let severity = match p.severity {
                Severity::Error => &error,
                Severity::Warning => &warning,
            };
            let (col, header) = match &p.column {
                Some((c, h)) => (super::column_letter(*c), h.clone()),
                None => (String::new(), String::new()),
            };
            let _ = w.write_record([
                safe(&p.file),
                safe(p.sheet.as_deref().unwrap_or("")),
                p.row.map(|r| r.to_string()).unwrap_or_default(),
                col,
                safe(&header),
                safe(&super::shown(p.value.as_deref().unwrap_or(""))),
                severity.to_string(),
                safe(&p.message),
                safe(&p.fix),
            ]);
        }
        w.into_inner().unwrap_or_default()
    }
}

/// A cause in a column: severity, file, sheet, column, cause.
type CellCause<'p> = (Severity, &'p str, &'p Option<String>, usize, &'p str);

/// The same words on many rows: severity, file, sheet, message, fix.
type RowCause<'p> = (Severity, &'p str, &'p Option<String>, &'p str, &'p str);

/// The order lines are printed in: file, sheet, row, column.
type Key = (String, Option<String>, Option<u64>, Option<usize>);

fn key(p: &Problem) -> Key {
    (p.file.clone(), p.sheet.clone(), p.row, p.column.as_ref().map(|c| c.0))
}

/// A column in words: `F列「人数」`, or `column F "人数"`.
pub fn column_words(col: usize, header: &str, lang: Lang) -> String {
    let letter = super::column_letter(col);
    let code = lang.code();
    if header.is_empty() {
        t!("import.msg.column", locale = code, letter = letter).into_owned()
    } else {
        t!(
            "import.msg.column_header",
            locale = code,
            letter = letter,
            header = header
        )
        .into_owned()
    }
}

/// Sorted rows as ranges: `第3–7、9、11–20行` (`rows 3–7, 9, 11–20`); after ten ranges, "等".
pub fn row_ranges(rows: &[u64], lang: Lang) -> String {
    let mut rows = rows.to_vec();
    rows.sort_unstable();
    rows.dedup();
    let mut ranges: Vec<(u64, u64)> = Vec::new();
    for r in rows {
        match ranges.last_mut() {
            Some((_, last)) if *last + 1 == r => *last = r,
            _ => ranges.push((r, r)),
        }
    }
    let more = ranges.len() > 10;
    let text: Vec<String> = ranges
        .iter()
        .take(10)
        .map(|&(a, b)| if a == b { a.to_string() } else { format!("{a}–{b}") })
        .collect();
    let code = lang.code();
    let rows = text.join(t!("import.msg.rows_sep", locale = code).as_ref());
    if more {
        t!("import.msg.rows_more", locale = code, rows = rows).into_owned()
    } else {
        t!("import.msg.rows", locale = code, rows = rows).into_owned()
    }
}

/// A cell for the errors sheet: text that Excel would run as a formula gets a leading `'`.
fn safe(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn problem(row: u64, value: &str) -> Problem {
        Problem {
            severity: Severity::Error,
            file: "a.xlsx".into(),
            sheet: Some("花园社区".into()),
            row: Some(row),
            column: Some((5, "人数".into())),
            value: Some(value.into()),
            message: format!("应为检查人数，实为「{value}」"),
            fix: "请填写 1 或以上的整数".into(),
            cause: Some("inspectors"),
        }
    }

    /// The same problem of whole rows on many rows is said once too.
    #[test]
    fn a_repeated_row_problem_is_said_once() {
        let mut ps = Problems::new(Lang::Zh);
        for r in [2, 3, 4] {
            ps.file_error(
                &Place {
                    file: "a.csv".into(),
                    sheet: None,
                },
                Some(r),
                "没有检查层级",
            );
        }
        assert_eq!(ps.lines(), ["a.csv 第2–4行：没有检查层级"]);
    }

    /// A reading's problems are forgotten when the reading is: the errors count with them,
    /// and what came before stays.
    #[test]
    fn rewinding_forgets_the_problems_since_the_mark() {
        let mut ps = Problems::new(Lang::Zh);
        ps.push(problem(2, "x"));
        let mark = ps.mark();
        ps.push(problem(228887, "P005"));
        ps.push(Problem {
            severity: Severity::Warning,
            ..problem(9, "y")
        });
        assert_eq!((ps.errors(), ps.warnings()), (2, 1));
        ps.rewind(mark);
        assert_eq!((ps.errors(), ps.warnings()), (1, 0));
        assert_eq!(ps.lines().len(), 1);
        assert!(ps.lines()[0].contains("第2行"), "{:?}", ps.lines());
    }

    /// One problem: where, what, and what to change.
    #[test]
    fn a_problem_names_file_sheet_row_column_and_value() {
        let mut ps = Problems::new(Lang::Zh);
        ps.push(problem(5, "三人人"));
        assert_eq!(
            ps.lines(),
            ["a.xlsx（工作表「花园社区」） 第5行 F列「人数」：应为检查人数，实为「三人人」。请填写 1 或以上的整数"]
        );
    }

    /// A cause repeated on many rows is said once, with the rows; the CSV keeps every row.
    #[test]
    fn a_repeated_cause_is_said_once() {
        let mut ps = Problems::new(Lang::Zh);
        for r in [3, 4, 5, 6, 9] {
            ps.push(problem(r, ""));
        }
        assert_eq!(
            ps.lines(),
            ["a.xlsx（工作表「花园社区」） F列「人数」 共 5 行（第3–6、9行）：如第3行，应为检查人数，实为「」。请填写 1 或以上的整数"]
        );
        let csv = String::from_utf8(ps.to_csv()).unwrap();
        assert_eq!(csv.lines().count(), 6);
        assert!(
            csv.contains("a.xlsx,花园社区,9,F,人数,,错误,应为检查人数，实为「」,请填写 1 或以上的整数"),
            "{csv}"
        );
    }

    #[test]
    fn row_ranges_are_compact() {
        assert_eq!(row_ranges(&[7, 3, 4, 5, 9], Lang::Zh), "第3–5、7、9行");
        assert_eq!(row_ranges(&[1, 2], Lang::En), "rows 1–2");
        let many: Vec<u64> = (0..30).map(|i| i * 2).collect();
        assert!(row_ranges(&many, Lang::Zh).ends_with("行等"));
    }
}
