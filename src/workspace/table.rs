//! Reading the workspace's small CSV tables (registry, appeals, fees, selections) into rows
//! with located, typed field access. Each problem becomes a diagnostic; the row is skipped.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::error::{Diagnostics, Result};
use crate::model::decimal::parse_decimal;
use crate::model::parse_date;

use super::{read_optional, Workspace};

/// A CSV file's rows, fields reordered to the columns asked for.
pub struct Table {
    pub rel: String,
    pub columns: &'static [&'static str],
    /// For each asked column, its position in the file's rows.
    order: Vec<usize>,
    pub rows: Vec<Row>,
}

/// One row as read (one allocation for all its fields).
pub struct Row {
    pub line: u64,
    record: csv::StringRecord,
}

/// Read `rel`. A missing file is an error unless `optional`, when it is an empty table.
/// Returns `None` when the file could not be read as a table at all.
pub fn read_table(
    ws: &Workspace,
    rel: &str,
    columns: &'static [&'static str],
    optional: bool,
    diags: &mut Diagnostics,
) -> Result<Option<Table>> {
    let empty = || Table {
        rel: rel.to_string(),
        columns,
        order: Vec::new(),
        rows: Vec::new(),
    };
    let Some(bytes) = read_optional(&ws.path(rel))? else {
        if !optional {
            diags.error(
                rel,
                None,
                format!("missing file: expected a CSV with columns {}", columns.join(",")),
            );
            return Ok(None);
        }
        return Ok(Some(empty()));
    };
    let mut rdr = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes.as_slice());
    let mut records = rdr.records();
    let header = match records.next() {
        None => {
            diags.error(
                rel,
                Some(1),
                format!("empty file: expected the header {}", columns.join(",")),
            );
            return Ok(None);
        }
        Some(Err(e)) => {
            diags.error(rel, Some(1), csv_problem(&e));
            return Ok(None);
        }
        Some(Ok(h)) => h,
    };
    let names: Vec<&str> = header.iter().map(|h| h.trim_start_matches('\u{feff}').trim()).collect();
    let mut order = Vec::with_capacity(columns.len());
    let mut missing = Vec::new();
    for col in columns {
        match names.iter().position(|n| n == col) {
            Some(i) => order.push(i),
            None => missing.push(*col),
        }
    }
    if !missing.is_empty() {
        diags.error(
            rel,
            Some(1),
            format!(
                "header lacks column(s) {}: expected {}, found {}",
                missing.join(","),
                columns.join(","),
                names.join(",")
            ),
        );
        return Ok(None);
    }
    let mut table = empty();
    table.order = order;
    for rec in records {
        match rec {
            Err(e) => diags.error(rel, e.position().map(|p| p.line()), csv_problem(&e)),
            Ok(rec) => {
                let line = rec.position().map_or(0, |p| p.line());
                if rec.len() == 1 && rec.get(0) == Some("") {
                    continue; // a blank line
                }
                table.rows.push(Row { line, record: rec });
            }
        }
    }
    Ok(Some(table))
}

/// A csv crate error in words a person can act on.
pub fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => {
            "not valid UTF-8: workspace files must be saved as UTF-8 (sheets in GB18030 go through `oldestate inspect import`)"
                .to_string()
        }
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            format!("expected {expected_len} fields like the header, found {len} (an unquoted comma?)")
        }
        _ => format!("unreadable CSV: {e}"),
    }
}

/// Typed access to one row's fields; a bad field adds a diagnostic naming the column.
pub struct Fields<'a> {
    table: &'a Table,
    row: &'a Row,
    diags: &'a mut Diagnostics,
}

impl Table {
    pub fn fields<'a>(&'a self, row: &'a Row, diags: &'a mut Diagnostics) -> Fields<'a> {
        Fields {
            table: self,
            row,
            diags,
        }
    }
}

impl Fields<'_> {
    fn raw(&self, i: usize) -> &str {
        self.table
            .order
            .get(i)
            .and_then(|&k| self.row.record.get(k))
            .unwrap_or("")
    }

    fn bad(&mut self, i: usize, expected: &str) {
        let msg = format!(
            "column {}: expected {expected}, found \"{}\"",
            self.table.columns[i],
            self.raw(i)
        );
        self.diags.error(&self.table.rel, Some(self.row.line), msg);
    }

    /// Free text, possibly empty.
    pub fn text(&self, i: usize) -> String {
        self.raw(i).to_string()
    }

    /// A non-empty identifier or name.
    pub fn id(&mut self, i: usize) -> Option<String> {
        let s = self.raw(i).trim();
        if s.is_empty() {
            self.bad(i, "a value");
            return None;
        }
        Some(s.to_string())
    }

    pub fn date(&mut self, i: usize) -> Option<NaiveDate> {
        let d = parse_date(self.raw(i).trim());
        if d.is_none() {
            self.bad(i, "a date YYYY-MM-DD that exists");
        }
        d
    }

    pub fn optional_date(&mut self, i: usize) -> Option<Option<NaiveDate>> {
        if self.raw(i).trim().is_empty() {
            return Some(None);
        }
        self.date(i).map(Some)
    }

    /// A decimal that is not negative.
    pub fn amount(&mut self, i: usize) -> Option<Decimal> {
        match parse_decimal(self.raw(i)) {
            Some(d) if d >= Decimal::ZERO => Some(d),
            _ => {
                self.bad(i, "a non-negative decimal number like 1234.56");
                None
            }
        }
    }

    /// A whole number that is not negative.
    pub fn count(&mut self, i: usize) -> Option<u64> {
        let s = self.raw(i).trim();
        let n = if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
            s.parse().ok()
        } else {
            None
        };
        if n.is_none() {
            self.bad(i, "a whole number 0 or more");
        }
        n
    }
}
