//! Reading the workspace's small CSV tables (registry, appeals, fees, selections) into rows
//! with located, typed field access. Each problem becomes a diagnostic; the row is skipped.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_i18n::t;

use crate::error::{Diagnostics, Result};
use crate::model::decimal::parse_decimal;
use crate::model::parse_date;

use super::Workspace;

/// Read `rel` row by row, calling `each` with typed access to every row (one record buffer
/// is reused: a national registry has hundreds of thousands of rows). A missing file is an
/// error unless `optional`, when it has no rows. Returns `false` when the file could not be
/// read as a table at all.
pub fn read_table(
    ws: &Workspace,
    rel: &str,
    columns: &'static [&'static str],
    optional: bool,
    diags: &mut Diagnostics,
    mut each: impl FnMut(&mut Fields<'_>),
) -> Result<bool> {
    let path = ws.path(rel);
    let file = match std::fs::File::open(&path) {
        Ok(f) => Some(f),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => return Err(crate::error::Error::io(&path, e)),
    };
    let Some(file) = file else {
        if !optional {
            diags.error(rel, None, t!("table.missing_file", columns => columns.join(",")));
            return Ok(false);
        }
        return Ok(true);
    };
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(file);
    let mut rec = csv::StringRecord::new();
    let Some(order) = read_header(&mut rdr, &mut rec, rel, columns, diags) else {
        return Ok(false);
    };
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => break,
            Err(e) => diags.error(rel, e.position().map(|p| p.line()), csv_problem(&e)),
            Ok(true) => {
                if rec.len() == 1 && rec.get(0) == Some("") {
                    continue; // a blank line
                }
                let mut f = Fields {
                    rel,
                    columns,
                    order: &order,
                    line: rec.position().map_or(0, |p| p.line()),
                    record: &rec,
                    diags,
                };
                each(&mut f);
            }
        }
    }
    Ok(true)
}

/// Read the header row and find each of `columns` in it (names trimmed, a byte-order mark
/// ignored; other columns may come in any order). Returns each column's position, or `None`
/// when the header is missing, unreadable or lacks a column (reported).
fn read_header<R: std::io::Read>(
    rdr: &mut csv::Reader<R>,
    rec: &mut csv::StringRecord,
    rel: &str,
    columns: &[&str],
    diags: &mut Diagnostics,
) -> Option<Vec<usize>> {
    match rdr.read_record(rec) {
        Ok(true) => {}
        Ok(false) => {
            diags.error(rel, Some(1), t!("table.empty_file", header => columns.join(",")));
            return None;
        }
        Err(e) => {
            diags.error(rel, Some(1), csv_problem(&e));
            return None;
        }
    }
    let names: Vec<&str> = rec.iter().map(|h| h.trim_start_matches('\u{feff}').trim()).collect();
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
            t!("table.header_lacks", missing => missing.join(","), expected => columns.join(","),
                found => names.join(",")),
        );
        return None;
    }
    Some(order)
}

/// A csv crate error in words a person can act on.
pub fn csv_problem(e: &csv::Error) -> String {
    match e.kind() {
        csv::ErrorKind::Utf8 { .. } => t!("table.not_utf8").into_owned(),
        csv::ErrorKind::UnequalLengths { expected_len, len, .. } => {
            t!("table.unequal_fields", expected => expected_len, found => len).into_owned()
        }
        _ => t!("table.unreadable", error => e).into_owned(),
    }
}

/// Typed access to one row's fields; a bad field adds a diagnostic naming the column.
pub struct Fields<'a> {
    rel: &'a str,
    columns: &'static [&'static str],
    order: &'a [usize],
    line: u64,
    record: &'a csv::StringRecord,
    diags: &'a mut Diagnostics,
}

impl Fields<'_> {
    /// The row's line in its file.
    pub fn line(&self) -> u64 {
        self.line
    }

    /// Report a problem with this row.
    pub fn error(&mut self, message: impl Into<String>) {
        self.diags.error(self.rel, Some(self.line), message);
    }

    fn raw(&self, i: usize) -> &str {
        self.order.get(i).and_then(|&k| self.record.get(k)).unwrap_or("")
    }

    fn bad(&mut self, i: usize, expected: &str) {
        let msg = t!("table.column_expected", column => self.columns[i], expected => expected,
            found => self.raw(i));
        self.error(msg);
    }

    /// Free text, possibly empty.
    pub fn text(&self, i: usize) -> String {
        self.raw(i).to_string()
    }

    /// [`Fields::text`], borrowed from the row (a national registry reads hundreds of
    /// thousands of rows: no copy for a field only looked at).
    pub fn text_str(&self, i: usize) -> &str {
        self.raw(i)
    }

    /// A non-empty identifier or name.
    pub fn id(&mut self, i: usize) -> Option<String> {
        self.id_str(i).map(String::from)
    }

    /// A non-empty identifier or name, shared (one allocation: registry ids are kept as
    /// `Arc<str>`).
    pub fn id_arc(&mut self, i: usize) -> Option<std::sync::Arc<str>> {
        self.id_str(i).map(std::sync::Arc::from)
    }

    /// [`Fields::id_arc`], sharing `last` when the id is the same as it (rows of one
    /// community, say, come together): one allocation per run of equal ids, not per row.
    pub fn id_arc_after(&mut self, i: usize, last: &mut Option<std::sync::Arc<str>>) -> Option<std::sync::Arc<str>> {
        let id = self.id_str(i)?;
        match last {
            Some(l) if **l == *id => {}
            _ => *last = Some(std::sync::Arc::from(id)),
        }
        last.clone()
    }

    /// [`Fields::id_arc`], sharing the string of an equal id in `seen` (added when new):
    /// one allocation per distinct id of a column that repeats a few ids over many rows.
    pub fn id_arc_in(
        &mut self,
        i: usize,
        seen: &mut hashbrown::HashSet<std::sync::Arc<str>>,
    ) -> Option<std::sync::Arc<str>> {
        let id = self.id_str(i)?;
        Some(seen.get_or_insert_with(id, |id| std::sync::Arc::from(id)).clone())
    }

    fn id_str(&mut self, i: usize) -> Option<&str> {
        if self.raw(i).trim().is_empty() {
            self.bad(i, &t!("table.expect_value"));
            return None;
        }
        Some(self.raw(i).trim())
    }

    /// Column `i` as a date that exists.
    pub fn date(&mut self, i: usize) -> Option<NaiveDate> {
        let d = parse_date(self.raw(i).trim());
        if d.is_none() {
            self.bad(i, &t!("table.expect_date"));
        }
        d
    }

    /// Column `i` as a date, or `Some(None)` when empty.
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
                self.bad(i, &t!("table.expect_amount"));
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
            self.bad(i, &t!("table.expect_count"));
        }
        n
    }
}
