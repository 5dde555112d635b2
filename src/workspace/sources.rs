//! `data/sources.csv`: where every stored visit came from (issue 25). Import appends one line
//! per visit it writes, added or replaced: the archived sheet (its SHA-256 under
//! `data/archive/` and the file name it was imported as), the worksheet, and the sheet rows.
//! Append-only: a visit replaced later gets a new line and its old line stays, so the history
//! of a contested finding is kept in git beside the store. The last line of a visit id is the
//! source of what the store holds now; a visit with no line (stored before this record
//! existed, or written by hand) has an unknown source.

use rust_i18n::t;
use std::collections::HashMap;
use std::io::{Read, Write};

use chrono::NaiveDate;

use crate::error::{Diagnostics, Error, Result};

use super::table::read_table;
use super::Workspace;

/// The source record, workspace-relative.
pub const SOURCES: &str = "data/sources.csv";
/// Its header line.
pub const SOURCES_HEADER: &str = "imported_at,visit_id,date,file,sha256,sheet,rows\n";
const SOURCES_COLS: &[&str] = &["imported_at", "visit_id", "date", "file", "sha256", "sheet", "rows"];

/// Where one visit was read from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// When it was imported (the import ledger's timestamp).
    pub imported_at: String,
    /// The visit's id.
    pub visit_id: String,
    /// The visit's date.
    pub date: NaiveDate,
    /// The sheet's file name as it was imported.
    pub file: String,
    /// The SHA-256 of the sheet as archived (`data/archive/SHA256.EXT`).
    pub sha256: String,
    /// The worksheet of a workbook (empty for a CSV sheet).
    pub sheet: String,
    /// The sheet rows, as written: ranges joined by `;` (`12-14;17`).
    pub rows: String,
    /// Its line in the record.
    pub line: u64,
}

/// Every line of `data/sources.csv` in order (none when absent). A record that cannot be read
/// is an error: a contested finding's source must not silently turn "unknown".
pub fn load_sources(ws: &Workspace) -> Result<Vec<Source>> {
    load_sources_of(ws, |_| true)
}

/// The lines of `data/sources.csv` whose visit id `keep` accepts (a national record has a line
/// per visit ever imported: `score --explain` keeps only its compound's).
pub fn load_sources_of(ws: &Workspace, keep: impl Fn(&str) -> bool) -> Result<Vec<Source>> {
    let mut d = Diagnostics::new();
    let mut out = Vec::new();
    read_table(ws, SOURCES, SOURCES_COLS, true, &mut d, |f| {
        if !keep(f.text_str(1)) {
            return;
        }
        if let Some(date) = f.date(2) {
            out.push(Source {
                imported_at: f.text(0),
                visit_id: f.text(1),
                date,
                file: f.text(3),
                sha256: f.text(4),
                sheet: f.text(5),
                rows: f.text(6),
                line: f.line(),
            });
        }
    })?;
    d.into_result()?;
    Ok(out)
}

/// The source of what the store holds now for each visit id: its last line.
pub fn latest_sources(all: Vec<Source>) -> HashMap<String, Source> {
    let mut latest = HashMap::with_capacity(all.len());
    for s in all {
        latest.insert(s.visit_id.clone(), s);
    }
    latest
}

/// Sheet rows as ranges: `[12, 13, 14, 17]` is `12-14;17`. `rows` is ascending.
pub fn rows_text(rows: &[u64]) -> String {
    let mut out = String::new();
    push_rows(&mut out, rows);
    out
}

/// [`rows_text`], appended to `out` (import writes a line per visit: no string of its own).
fn push_rows(out: &mut String, rows: &[u64]) {
    use std::fmt::Write;
    let mut i = 0;
    let mut first = true;
    while i < rows.len() {
        let start = rows[i];
        let mut end = start;
        while i + 1 < rows.len() && rows[i + 1] <= end + 1 {
            i += 1;
            end = rows[i];
        }
        if !first {
            out.push(';');
        }
        first = false;
        let _ = if end == start {
            write!(out, "{start}")
        } else {
            write!(out, "{start}-{end}")
        };
        i += 1;
    }
}

/// Copy the record as it stands to `out`, ending in a newline (a missing record starts with
/// its header), streamed: a national store's record is hundreds of megabytes, and an import
/// appends to it without holding it. A record that is not UTF-8 is refused, as the ledger is.
pub fn copy_sources(ws: &Workspace, out: &mut dyn Write) -> Result<()> {
    let path = ws.path(SOURCES);
    let io = |e: std::io::Error| Error::io(&path, e);
    let mut file = match std::fs::File::open(&path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return out.write_all(SOURCES_HEADER.as_bytes()).map_err(io);
        }
        Err(e) => return Err(io(e)),
    };
    let not_utf8 = || Error::msg(t!("ledger.not_utf8", file = SOURCES, action = t!("ledger.importing")));
    let mut buf = vec![0u8; 1 << 16];
    // Bytes of a character cut by the end of the last read, carried to the next.
    let mut carried = 0;
    // An empty record gets the newline it lacks, as one cut short does.
    let mut last = 0u8;
    loop {
        let n = file.read(&mut buf[carried..]).map_err(io)?;
        let filled = carried + n;
        if n == 0 {
            if carried > 0 {
                return Err(not_utf8());
            }
            break;
        }
        let whole = match std::str::from_utf8(&buf[..filled]) {
            Ok(_) => filled,
            Err(e) if e.error_len().is_none() => e.valid_up_to(),
            Err(_) => return Err(not_utf8()),
        };
        out.write_all(&buf[..whole]).map_err(io)?;
        if whole > 0 {
            last = buf[whole - 1];
        }
        buf.copy_within(whole..filled, 0);
        carried = filled - whole;
    }
    if last != b'\n' {
        out.write_all(b"\n").map_err(io)?;
    }
    Ok(())
}

/// A text field as the record writes it: a value that could be read as a formula in Excel gets
/// a leading `'` (DESIGN §11), and one holding a comma, quote or line break is quoted.
pub fn csv_field(value: &str) -> String {
    let safe = crate::render::csv_safe(value);
    if safe.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", safe.replace('"', "\"\""))
    } else {
        safe.into_owned()
    }
}

/// Append one line of the record to `out`. `file` and `sheet` are already fields
/// ([`csv_field`]); the other values never need quoting (a visit id is letters, digits, `-`,
/// `_` and `.`: import refuses others; it is written as the store holds it). Import writes a line per visit: no CSV writer per line.
#[allow(clippy::too_many_arguments)]
pub fn push_source_line(
    out: &mut String,
    imported_at: &str,
    visit_id: &str,
    date: NaiveDate,
    file: &str,
    sha256: &str,
    sheet: &str,
    rows: &[u64],
) {
    use std::fmt::Write;
    for part in [imported_at, ",", visit_id, ","] {
        out.push_str(part);
    }
    let _ = write!(out, "{date}");
    for part in [",", file, ",", sha256, ",", sheet, ","] {
        out.push_str(part);
    }
    push_rows(out, rows);
    out.push('\n');
}

/// One line of the record (see [`push_source_line`]).
pub fn source_line(
    imported_at: &str,
    visit_id: &str,
    date: NaiveDate,
    file: &str,
    sha256: &str,
    sheet: &str,
    rows: &[u64],
) -> String {
    let mut out = String::new();
    push_source_line(
        &mut out,
        imported_at,
        visit_id,
        date,
        &csv_field(file),
        sha256,
        &csv_field(sheet),
        rows,
    );
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_as_ranges() {
        assert_eq!(rows_text(&[12, 13, 14, 17]), "12-14;17");
        assert_eq!(rows_text(&[5]), "5");
        assert_eq!(rows_text(&[3, 5, 6]), "3;5-6");
        assert_eq!(rows_text(&[]), "");
    }

    fn copied(ws: &Workspace) -> Result<Vec<u8>> {
        let mut out = Vec::new();
        copy_sources(ws, &mut out)?;
        Ok(out)
    }

    #[test]
    fn the_record_is_copied_whole_across_read_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace {
            root: dir.path().to_path_buf(),
        };
        std::fs::create_dir_all(ws.path("data")).unwrap();
        // Absent: the header alone.
        assert_eq!(copied(&ws).unwrap(), SOURCES_HEADER.as_bytes());
        // Empty: the newline it lacks, as one cut short gets.
        std::fs::write(ws.path(SOURCES), "").unwrap();
        assert_eq!(copied(&ws).unwrap(), b"\n");
        // Chinese sheet names over several reads of 64 KiB: some character is cut by a read.
        let d = NaiveDate::from_ymd_opt(2026, 7, 3).unwrap();
        let mut text = SOURCES_HEADER.to_string();
        for i in 0..3000 {
            text.push_str(&source_line(
                "t",
                &format!("V{i}"),
                d,
                "七月.xlsx",
                "aa",
                "和平区社区检查",
                &[i],
            ));
        }
        std::fs::write(ws.path(SOURCES), text.trim_end()).unwrap();
        assert_eq!(copied(&ws).unwrap(), text.as_bytes());
        // Not UTF-8: refused, its history not lost.
        let mut bad = text.into_bytes();
        bad[70_000] = 0xff;
        std::fs::write(ws.path(SOURCES), &bad).unwrap();
        assert!(copied(&ws).is_err());
    }

    fn all_lines(ws: &Workspace) -> Vec<Source> {
        load_sources(ws).unwrap()
    }

    #[test]
    fn the_last_line_of_a_visit_is_its_source() {
        let dir = tempfile::tempdir().unwrap();
        let ws = Workspace {
            root: dir.path().to_path_buf(),
        };
        std::fs::create_dir_all(ws.path("data")).unwrap();
        let d = NaiveDate::from_ymd_opt(2026, 7, 3).unwrap();
        let text = format!(
            "{SOURCES_HEADER}{}{}",
            source_line("t1", "V1", d, "a.csv", "aa", "", &[2, 3]),
            source_line("t2", "V1", d, "b.xlsx", "bb", "7月", &[9])
        );
        std::fs::write(ws.path(SOURCES), text).unwrap();
        let all = load_sources(&ws).unwrap();
        assert_eq!(all.len(), 2);
        let latest = latest_sources(all);
        let s = &latest["V1"];
        assert_eq!(
            (s.file.as_str(), s.sheet.as_str(), s.rows.as_str(), s.line),
            ("b.xlsx", "7月", "9", 3)
        );
        assert_eq!(all_lines(&ws)[0].rows, "2-3");
        // A file name with a comma is quoted, one that looks like a formula defused.
        assert_eq!(csv_field("a,b.csv"), "\"a,b.csv\"");
        assert_eq!(csv_field("=1+1.csv"), "'=1+1.csv");
    }
}
