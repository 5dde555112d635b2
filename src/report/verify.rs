//! `verify`'s report: for each published document, whether today's store makes it again byte
//! for byte, and if not, what differs from the published state.

use serde::Serialize;

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct Verify {
    /// The period asked for, or null for every publication.
    pub period: Option<String>,
    /// Whether every publication is made again identically.
    pub identical: bool,
    /// One entry per line of `data/published.csv` (of the period), in the record's order.
    pub publications: Vec<Checked>,
}

/// One publication checked.
#[derive(Debug, Clone, Serialize)]
pub struct Checked {
    /// Its line in `data/published.csv`.
    pub line: u64,
    /// When it was published.
    pub published_at: String,
    /// `bulletin`, `recheck` or `subsidy`.
    pub command: String,
    /// The arguments it was made with.
    pub arguments: String,
    /// Its period.
    pub period: String,
    /// Its as-of date.
    pub as_of: String,
    /// Where it was written.
    pub output: String,
    /// The published SHA-256.
    pub sha256: String,
    /// The SHA-256 of the document made today, null when it could not be made.
    pub sha256_now: Option<String>,
    /// `identical`, `changed`, or `not_made` (see `problem`).
    pub status: &'static str,
    /// Why it could not be made again, or why what differs is not known.
    pub problem: Option<String>,
    /// Where the change comes from when no visit, appeal or standards file explains it:
    /// `program` when every input it read is byte for byte as when it was published (the
    /// program makes it differently), `other_inputs` when its visits, appeals and standards are
    /// as published but another input is not (the registry, the funds, the fees, the
    /// settings); null otherwise.
    pub cause: Option<&'static str>,
    /// Visits added, replaced and removed since (from the published state).
    pub visits: Visits,
    /// Appeals (`VISIT/ITEM`) added, changed or removed since.
    pub appeals: Vec<String>,
    /// Standards files that differ from those published with.
    pub standards: Vec<String>,
}

/// The visits that differ.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Visits {
    /// In the store now, not when published.
    pub added: Vec<VisitSource>,
    /// Stored then and now with different content.
    pub replaced: Vec<VisitSource>,
    /// Stored then, not now.
    pub removed: Vec<VisitSource>,
}

/// A visit and where it came from (`data/sources.csv`, its last line).
#[derive(Debug, Clone, Serialize)]
pub struct VisitSource {
    /// The visit's id.
    pub visit_id: String,
    /// Its date, when known.
    pub date: Option<String>,
    /// Its source, null when unknown.
    pub source: Option<SourceRef>,
}

/// A source, as JSON names it (also `score --explain`'s `source`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceRef {
    /// The sheet's file name as imported.
    pub file: String,
    /// The archived sheet's SHA-256 (`data/archive/SHA256.EXT`).
    pub sha256: String,
    /// The worksheet, null for a CSV sheet.
    pub sheet: Option<String>,
    /// The sheet rows (`12-14;17`).
    pub rows: String,
    /// When it was imported.
    pub imported_at: String,
}

impl SourceRef {
    /// The JSON form of a source record line.
    pub fn of(s: &crate::workspace::sources::Source) -> SourceRef {
        SourceRef {
            file: s.file.clone(),
            sha256: s.sha256.clone(),
            sheet: (!s.sheet.is_empty()).then(|| s.sheet.clone()),
            rows: s.rows.clone(),
            imported_at: s.imported_at.clone(),
        }
    }
}
