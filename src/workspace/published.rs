//! `data/published.csv`: what the bureau has published (a bulletin, the notices, a payment
//! sheet), one line each, so that a later change to a published period does not go unnoticed.
//! Optional. Import reads the period and as-of date of each line: a visit imported into a
//! period already published is a warning (DESIGN §10). `--publish` (bulletin, notices, payment
//! sheet) appends a line and keeps the published [`State`] in `data/published/SHA256.csv`;
//! `verify` makes each document again and compares.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_i18n::t;
use sha2::{Digest, Sha256};

use crate::error::{Diagnostics, Error, Result};
use crate::model::records::Finding;
use crate::model::Period;

use super::store::{files_from, read_month};
use super::table::read_table;
use super::{transaction, Workspace};

/// The publication record, workspace-relative.
pub const PUBLISHED: &str = "data/published.csv";
/// The columns import reads (in any order; the record's other columns, what was published and
/// its digests, are ignored here).
pub const PUBLISHED_COLS: &[&str] = &["period", "as_of"];

/// One publication: its period and the as-of date it stood on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Published {
    /// The period published.
    pub period: Period,
    /// The as-of date of what was published.
    pub as_of: NaiveDate,
    /// Its line in the record.
    pub line: u64,
}

/// Load `data/published.csv` (none when absent); problems go to `diags`.
pub fn load_published(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Published>> {
    let mut out = Vec::new();
    read_table(ws, PUBLISHED, PUBLISHED_COLS, true, diags, |f| {
        let period = f.text_str(0).parse::<Period>();
        match (period, f.date(1)) {
            (Ok(period), Some(as_of)) => out.push(Published {
                period,
                as_of,
                line: f.line(),
            }),
            (Err(e), _) => f.error(t!("published.bad_period", problem => e)),
            _ => {}
        }
    })?;
    Ok(out)
}

/// The record's header when this tool starts it: the columns import reads, then what was
/// published and how to make it again (`arguments`, canonical and free of spaces inside a
/// value; `output`, where it was written; `git_dirty`, whether the workspace had uncommitted
/// changes, which JSON documents carry).
pub const PUBLISHED_HEADER: &str =
    "published_at,command,period,as_of,sha256,inputs_sha256,git_commit,arguments,output,git_dirty\n";
const RECORD_COLS: &[&str] = &[
    "published_at",
    "command",
    "period",
    "as_of",
    "sha256",
    "inputs_sha256",
    "git_commit",
];
const EXTRA_COLS: &[&str] = &["arguments", "output", "git_dirty"];
/// Where the published state of each publication is kept: `data/published/SHA256.csv`.
pub const STATE_DIR: &str = "data/published";

/// One line of `data/published.csv`, every column.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Publication {
    /// When it was published (local time, RFC 3339).
    pub published_at: String,
    /// `bulletin`, `recheck` (the notices) or `subsidy` (the payment sheet).
    pub command: String,
    /// The period published.
    pub period: Period,
    /// The as-of date it stood on.
    pub as_of: NaiveDate,
    /// The SHA-256 of what was published (for a set of notices, of their `sha256sum` listing).
    pub sha256: String,
    /// The provenance digest of the inputs read (the JSON `provenance.inputs_sha256`).
    pub inputs_sha256: String,
    /// The workspace's git commit, empty outside git.
    pub git_commit: String,
    /// The command's arguments, canonical (`--period 2026H1 --format md --lang zh`), without
    /// `--as-of` (the `as_of` column) and without where it was written.
    pub arguments: String,
    /// Where it was written (`stdout` for standard output).
    pub output: String,
    /// `true`/`false` in a git workspace, empty outside one.
    pub git_dirty: String,
    /// Its line in the record.
    pub line: u64,
}

impl Publication {
    /// The file holding its published state.
    pub fn state_file(&self) -> String {
        format!("{STATE_DIR}/{}.csv", self.sha256)
    }
}

/// Every publication recorded, in order (none when the record is absent). Lines written by
/// hand with only the first seven columns have empty arguments: `verify` says it cannot make
/// them again.
pub fn load_publications(ws: &Workspace) -> Result<Vec<Publication>> {
    let mut d = Diagnostics::new();
    let mut out = Vec::new();
    read_table(ws, PUBLISHED, RECORD_COLS, true, &mut d, |f| {
        let period = f.text_str(2).parse::<Period>();
        match (period, f.date(3)) {
            (Ok(period), Some(as_of)) => out.push(Publication {
                published_at: f.text(0),
                command: f.text(1),
                period,
                as_of,
                sha256: f.text(4),
                inputs_sha256: f.text(5),
                git_commit: f.text(6),
                arguments: String::new(),
                output: String::new(),
                git_dirty: String::new(),
                line: f.line(),
            }),
            (Err(e), _) => f.error(t!("published.bad_period", problem => e)),
            _ => {}
        }
    })?;
    d.into_result()?;
    // The appended columns are optional (a record begun by hand lacks them): read apart.
    let extra = read_extra(ws)?;
    for p in &mut out {
        if let Some((args, output, dirty)) = extra.get(&p.line) {
            p.arguments = args.clone();
            p.output = output.clone();
            p.git_dirty = dirty.clone();
        }
    }
    Ok(out)
}

/// `arguments`, `output` and `git_dirty` by line, where the record has those columns.
fn read_extra(ws: &Workspace) -> Result<std::collections::HashMap<u64, (String, String, String)>> {
    let mut out = std::collections::HashMap::new();
    let path = ws.path(PUBLISHED);
    let Ok(file) = std::fs::File::open(&path) else {
        return Ok(out);
    };
    let mut r = csv::ReaderBuilder::new().flexible(true).from_reader(file);
    let headers = r
        .headers()
        .map_err(|e| Error::msg(format!("{PUBLISHED}: {e}")))?
        .clone();
    let at: Vec<Option<usize>> = EXTRA_COLS
        .iter()
        .map(|c| headers.iter().position(|h| h.trim() == *c))
        .collect();
    if at.iter().all(Option::is_none) {
        return Ok(out);
    }
    for rec in r.records() {
        let rec = rec.map_err(|e| Error::msg(format!("{PUBLISHED}: {e}")))?;
        let line = rec.position().map_or(0, |p| p.line());
        let get = |i: Option<usize>| i.and_then(|i| rec.get(i)).unwrap_or("").to_string();
        out.insert(line, (get(at[0]), get(at[1]), get(at[2])));
    }
    Ok(out)
}

/// Append `p` to the record and write its published `state` beside it, all or nothing, under
/// the workspace lock (as an import writes the store). A record begun by hand with the seven
/// first columns gets the appended ones in its header (its lines keep theirs empty).
pub fn append_publication(ws: &Workspace, p: &Publication, state: &State, wait: std::time::Duration) -> Result<()> {
    let _lock = transaction::lock(ws, wait, || {})?;
    transaction::recover(ws)?;
    let mut text = match std::fs::read(ws.path(PUBLISHED)) {
        Ok(bytes) => String::from_utf8(bytes).map_err(|_| {
            Error::msg(t!(
                "ledger.not_utf8",
                file = PUBLISHED,
                action = t!("ledger.publishing")
            ))
        })?,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => PUBLISHED_HEADER.to_string(),
        Err(e) => return Err(Error::io(ws.path(PUBLISHED), e)),
    };
    if !text.ends_with('\n') {
        text.push('\n');
    }
    if !text.lines().next().unwrap_or("").contains("arguments") {
        text = widen(&text);
    }
    let mut w = csv::Writer::from_writer(Vec::new());
    let (period, as_of) = (p.period.to_string(), p.as_of.to_string());
    let _ = w.write_record([
        p.published_at.as_str(),
        &p.command,
        &period,
        &as_of,
        &p.sha256,
        &p.inputs_sha256,
        &p.git_commit,
        &p.arguments,
        crate::render::csv_safe(&p.output).as_ref(),
        &p.git_dirty,
    ]);
    text.push_str(&String::from_utf8_lossy(&w.into_inner().unwrap_or_default()));
    let mut tx = transaction::Transaction::default();
    tx.stage(ws, &p.state_file(), state.to_csv().as_bytes())?;
    tx.stage(ws, PUBLISHED, text.as_bytes())?;
    tx.commit(ws)
}

/// A record begun by hand with the first seven columns, given the appended ones: the header
/// names them and every line gets them empty, so each line has as many fields as the header.
fn widen(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 64);
    for (i, line) in text.lines().enumerate() {
        let line = line.strip_suffix('\r').unwrap_or(line);
        if line.is_empty() {
            continue;
        }
        out.push_str(line);
        out.push_str(if i == 0 {
            ",arguments,output,git_dirty\n"
        } else {
            ",,,\n"
        });
    }
    out
}

/// What a published document stood on, small enough to keep in git: the standards file it used
/// and a short digest of every visit (from the period's first day to its as-of date) and of
/// every appeal against those visits, as the as-of date saw it. Two states compared name the
/// visits added, replaced or removed, and the appeals and standards that changed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct State {
    /// (kind, id) → digest; kind is `standards`, `visit` or `appeal`.
    pub entries: BTreeMap<(String, String), String>,
}

/// The first 16 hex digits of the SHA-256 of `parts`, separated so no two lists collide.
fn short_digest(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0x1f]);
    }
    super::provenance::hex(&h.finalize())[..16].to_string()
}

impl State {
    /// The state of `period` on `as_of` in today's store, under `standards` (its file and
    /// SHA-256). A store row that does not read is an error (run `check`).
    pub fn of(ws: &Workspace, period: &Period, as_of: NaiveDate, standards: (&str, &str)) -> Result<State> {
        let mut entries = BTreeMap::new();
        entries.insert(
            ("standards".to_string(), standards.0.to_string()),
            standards.1[..standards.1.len().min(16)].to_string(),
        );
        let mut d = Diagnostics::new();
        let mut visits: BTreeMap<String, Vec<Finding>> = BTreeMap::new();
        for f in files_from(ws, period.start(), &mut d)? {
            if f.month.start() > as_of {
                break;
            }
            read_month(ws, &f, &mut d, |line, row, d| match row {
                Ok(r) if r.date <= as_of => visits.entry(r.visit_id.clone()).or_default().push(r),
                Ok(_) => {}
                Err(p) => d.error(&f.rel, Some(line), p.join("; ")),
            })?;
        }
        for (id, mut rows) in visits {
            rows.sort_by(|a, b| a.item.cmp(&b.item));
            let text: Vec<String> = rows
                .iter()
                .map(|r| {
                    format!(
                        "{}|{}|{}|{}|{}|{}|{}|{}|{}|{}",
                        r.date,
                        r.level.as_str(),
                        r.purpose.as_str(),
                        r.team,
                        r.inspectors,
                        r.compound_id,
                        r.item,
                        r.count,
                        r.photos,
                        r.note
                    )
                })
                .collect();
            let parts: Vec<&str> = text.iter().map(String::as_str).collect();
            entries.insert(("visit".to_string(), id), short_digest(&parts));
        }
        for a in super::load_appeals(ws, &mut d)? {
            if !entries.contains_key(&("visit".to_string(), a.visit_id.clone())) {
                continue;
            }
            // As the as-of date saw it: decided later is not decided yet.
            let decision = match a.decided_on {
                Some(day) if day <= as_of => format!("{:?} {day}", a.decision),
                _ => "pending".to_string(),
            };
            let points = a.points.to_string();
            let key = ("appeal".to_string(), format!("{}/{}", a.visit_id, a.item));
            let prev = entries.get(&key).cloned().unwrap_or_default();
            entries.insert(key, short_digest(&[&prev, &points, &decision]));
        }
        d.into_result()?;
        Ok(State { entries })
    }

    /// As written to `data/published/SHA256.csv`: `kind,id,digest`, sorted.
    pub fn to_csv(&self) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let _ = w.write_record(["kind", "id", "digest"]);
        for ((kind, id), digest) in &self.entries {
            let _ = w.write_record([kind, id, digest]);
        }
        String::from_utf8_lossy(&w.into_inner().unwrap_or_default()).into_owned()
    }

    /// Read a state written by [`State::to_csv`]; `None` when the file is absent.
    pub fn load(ws: &Workspace, rel: &str) -> Result<Option<State>> {
        let path = ws.path(rel);
        let file = match std::fs::File::open(&path) {
            Ok(f) => f,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::io(&path, e)),
        };
        let mut entries = BTreeMap::new();
        for rec in csv::Reader::from_reader(file).records() {
            let rec = rec.map_err(|e| Error::msg(format!("{rel}: {}", super::csv_problem(&e))))?;
            if let (Some(k), Some(i), Some(d)) = (rec.get(0), rec.get(1), rec.get(2)) {
                entries.insert((k.to_string(), i.to_string()), d.to_string());
            }
        }
        Ok(Some(State { entries }))
    }

    /// What differs from `then` (the published state) to `self` (now), by kind: ids added,
    /// changed and removed, each sorted.
    pub fn diff(&self, then: &State) -> StateDiff {
        let mut out = StateDiff::default();
        for ((kind, id), digest) in &self.entries {
            match then.entries.get(&(kind.clone(), id.clone())) {
                None => out.added.push((kind.clone(), id.clone())),
                Some(old) if old != digest => out.changed.push((kind.clone(), id.clone())),
                Some(_) => {}
            }
        }
        for (kind, id) in then.entries.keys() {
            if !self.entries.contains_key(&(kind.clone(), id.clone())) {
                out.removed.push((kind.clone(), id.clone()));
            }
        }
        out
    }
}

/// The difference of two states: (kind, id) pairs, sorted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StateDiff {
    /// In the store now, not in the published state.
    pub added: Vec<(String, String)>,
    /// In both, with different content.
    pub changed: Vec<(String, String)>,
    /// In the published state, not in the store now.
    pub removed: Vec<(String, String)>,
}

impl StateDiff {
    /// Whether nothing differs.
    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_begun_by_hand_is_widened_line_by_line() {
        let text = "published_at,command,period,as_of,sha256,inputs_sha256,git_commit\r\n\
                    2026-05-06T09:00:00+08:00,bulletin,2026-04,2026-04-30,ab,cd,\r\n";
        assert_eq!(
            widen(text),
            "published_at,command,period,as_of,sha256,inputs_sha256,git_commit,arguments,output,git_dirty\n\
             2026-05-06T09:00:00+08:00,bulletin,2026-04,2026-04-30,ab,cd,,,,\n"
        );
    }

    #[test]
    fn states_differ_by_what_was_added_changed_and_removed() {
        let state = |entries: &[(&str, &str, &str)]| State {
            entries: entries
                .iter()
                .map(|(k, i, d)| ((k.to_string(), i.to_string()), d.to_string()))
                .collect(),
        };
        let then = state(&[("visit", "A", "1"), ("visit", "B", "2"), ("appeal", "A/X01", "3")]);
        let now = state(&[("visit", "A", "1"), ("visit", "B", "9"), ("visit", "C", "4")]);
        let d = now.diff(&then);
        let pair = |k: &str, i: &str| (k.to_string(), i.to_string());
        assert_eq!(d.added, vec![pair("visit", "C")]);
        assert_eq!(d.changed, vec![pair("visit", "B")]);
        assert_eq!(d.removed, vec![pair("appeal", "A/X01")]);
        assert!(now.diff(&now).is_empty());
    }
}
