//! The canonical findings store, `data/inspections/YYYY/YYYY-MM.csv` (DESIGN §4): listing its
//! month files and streaming their rows one at a time, so memory does not grow with rows.

use std::io::Read;

use crate::error::{Diagnostics, Error, Result};
use crate::model::records::{Finding, STORE_HEADER};
use crate::model::{parse_date, Level, Period, Purpose};

use super::provenance::HashingReader;
use super::table::csv_problem;
use super::{list_dir, Workspace};

/// A month file of the store.
#[derive(Debug, Clone)]
pub struct MonthFile {
    pub month: Period,
    /// Workspace-relative path.
    pub rel: String,
}

/// Workspace-relative path of a month's file.
pub fn month_path(month: &Period) -> String {
    format!("data/inspections/{:04}/{month}.csv", month.year())
}

/// Every month file of the store, oldest first. Files that do not follow the layout are
/// reported as warnings and ignored.
pub fn month_files(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<MonthFile>> {
    let mut out = Vec::new();
    for year in list_dir(&ws.path("data/inspections"))? {
        let dir = ws.path(&format!("data/inspections/{year}"));
        if !dir.is_dir() {
            diags.warning(
                &format!("data/inspections/{year}"),
                None,
                "ignored: the store holds only YYYY/ folders",
            );
            continue;
        }
        for name in list_dir(&dir)? {
            let rel = format!("data/inspections/{year}/{name}");
            let month = name.strip_suffix(".csv").and_then(|m| m.parse::<Period>().ok());
            match month {
                Some(m) if m.span() == crate::model::Span::Month && m.to_string()[..4] == year => {
                    out.push(MonthFile { month: m, rel });
                }
                _ => diags.warning(
                    &rel,
                    None,
                    format!("ignored: store files are named data/inspections/{year}/{year}-MM.csv"),
                ),
            }
        }
    }
    out.sort_by_key(|f| f.month);
    Ok(out)
}

/// The month files that hold a period's visits.
pub fn files_for(ws: &Workspace, period: &Period, diags: &mut Diagnostics) -> Result<Vec<MonthFile>> {
    Ok(month_files(ws, diags)?
        .into_iter()
        .filter(|f| period.covers(&f.month))
        .collect())
}

/// The month files from the month of `first` to the end of the store.
pub fn files_from(ws: &Workspace, first: chrono::NaiveDate, diags: &mut Diagnostics) -> Result<Vec<MonthFile>> {
    let first = Period::containing(first, crate::model::Span::Month);
    Ok(month_files(ws, diags)?
        .into_iter()
        .filter(|f| f.month >= first)
        .collect())
}

/// Stream a month file: `visit` gets each row's line and either the finding or the problems
/// with its fields. A wrong header is reported and ends the file. Returns the file's SHA-256,
/// computed on the way (for provenance).
pub fn read_month(
    ws: &Workspace,
    file: &MonthFile,
    diags: &mut Diagnostics,
    mut visit: impl FnMut(u64, std::result::Result<Finding, Vec<String>>, &mut Diagnostics),
) -> Result<String> {
    let path = ws.path(&file.rel);
    let f = std::fs::File::open(&path).map_err(|e| Error::io(&path, e))?;
    let mut hashing = HashingReader::new(f);
    read_findings(
        std::io::BufReader::with_capacity(1 << 16, &mut hashing),
        &file.rel,
        diags,
        &mut visit,
    )?;
    // Drain what the CSV reader did not need (a file that ended early on a bad header).
    std::io::copy(&mut hashing, &mut std::io::sink()).map_err(|e| Error::io(&path, e))?;
    Ok(hashing.digest().unwrap_or_default())
}

/// Stream findings from any reader holding a store file; see [`read_month`].
pub fn read_findings<R: Read>(
    reader: R,
    rel: &str,
    diags: &mut Diagnostics,
    visit: &mut impl FnMut(u64, std::result::Result<Finding, Vec<String>>, &mut Diagnostics),
) -> Result<()> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(false).from_reader(reader);
    let mut rec = csv::StringRecord::new();
    match rdr.read_record(&mut rec) {
        Ok(true) => {
            let found: Vec<&str> = rec.iter().collect();
            let found0 = found.first().map(|h| h.trim_start_matches('\u{feff}'));
            if found.len() != STORE_HEADER.len() || found0 != Some(STORE_HEADER[0]) || found[1..] != STORE_HEADER[1..] {
                diags.error(
                    rel,
                    Some(1),
                    format!(
                        "wrong header: expected exactly {}, found {}",
                        STORE_HEADER.join(","),
                        found.join(",")
                    ),
                );
                return Ok(());
            }
        }
        Ok(false) => {
            diags.error(
                rel,
                Some(1),
                format!("empty file: expected the header {}", STORE_HEADER.join(",")),
            );
            return Ok(());
        }
        Err(e) => {
            diags.error(rel, Some(1), csv_problem(&e));
            return Ok(());
        }
    }
    loop {
        match rdr.read_record(&mut rec) {
            Ok(false) => return Ok(()),
            Ok(true) => {
                let line = rec.position().map_or(0, |p| p.line());
                visit(line, parse_finding(&rec), diags);
            }
            Err(e) => {
                let line = e.position().map(|p| p.line());
                diags.error(rel, line, csv_problem(&e));
                if !matches!(
                    e.kind(),
                    csv::ErrorKind::UnequalLengths { .. } | csv::ErrorKind::Utf8 { .. }
                ) {
                    return Ok(());
                }
            }
        }
    }
}

/// Parse one store record (already known to have the header's 11 fields).
pub fn parse_finding(rec: &csv::StringRecord) -> std::result::Result<Finding, Vec<String>> {
    let mut problems = Vec::new();
    let get = |i: usize| rec.get(i).unwrap_or("");
    let mut bad = |i: usize, expected: &str| {
        problems.push(format!(
            "column {}: expected {expected}, found \"{}\"",
            STORE_HEADER[i],
            get(i)
        ));
    };
    let visit_id = get(0);
    if visit_id.is_empty() {
        bad(0, "a visit id");
    }
    let date = parse_date(get(1));
    if date.is_none() {
        bad(1, "a date YYYY-MM-DD that exists");
    }
    let level = get(2).parse::<Level>().ok();
    if level.is_none() {
        bad(2, "community, street, district or third_party");
    }
    let purpose = get(3).parse::<Purpose>().ok();
    if purpose.is_none() {
        bad(3, "routine or recheck");
    }
    let inspectors = whole(get(5)).filter(|&n| n >= 1).and_then(|n| u32::try_from(n).ok());
    if inspectors.is_none() {
        bad(5, "a whole number 1 or more (people on the team that day)");
    }
    if get(6).is_empty() {
        bad(6, "a compound id");
    }
    let count = whole(get(8));
    if count.is_none() {
        bad(8, "a whole number from 0 to 1000000");
    }
    let photos = whole(get(9));
    if photos.is_none() {
        bad(9, "a whole number from 0 to 1000000");
    }
    let item = get(7);
    if let Some(c) = count {
        if item.is_empty() && c != 0 {
            problems.push(format!(
                "column item: empty, but count is {c}: a finding needs its item code"
            ));
        }
        if !item.is_empty() && c == 0 {
            problems.push(format!("column count: 0 for item {item}: rows are kept only for findings (count > 0); a visit that found nothing is one row with an empty item"));
        }
    }
    match (date, level, purpose, inspectors, count, photos) {
        (Some(date), Some(level), Some(purpose), Some(inspectors), Some(count), Some(photos))
            if problems.is_empty() =>
        {
            Ok(Finding {
                visit_id: visit_id.to_string(),
                date,
                level,
                purpose,
                team: get(4).to_string(),
                inspectors,
                compound_id: get(6).to_string(),
                item: item.to_string(),
                count,
                photos,
                note: get(10).to_string(),
            })
        }
        _ => Err(problems),
    }
}

/// A whole number written plainly (`12`); `-1`, `1.5`, `12.0` and `x` are not.
fn whole(s: &str) -> Option<u64> {
    if !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()) {
        s.parse().ok().filter(|&n| n <= crate::model::records::MAX_PER_ROW)
    } else {
        None
    }
}

/// Render findings as store CSV (header and rows), sorted as the store requires.
pub fn write_findings<W: std::io::Write>(out: W, rows: &mut [Finding]) -> csv::Result<()> {
    rows.sort_by(|a, b| (a.date, &a.visit_id, &a.item).cmp(&(b.date, &b.visit_id, &b.item)));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(STORE_HEADER)?;
    for r in rows.iter() {
        w.write_record([
            r.visit_id.as_str(),
            &r.date.to_string(),
            r.level.as_str(),
            r.purpose.as_str(),
            &r.team,
            &r.inspectors.to_string(),
            &r.compound_id,
            &r.item,
            &r.count.to_string(),
            &r.photos.to_string(),
            &r.note,
        ])?;
    }
    w.flush()?;
    Ok(())
}
