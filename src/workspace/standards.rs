//! Loading `standards/*.toml` and choosing the file in force for a period (DESIGN §3).

use chrono::{Datelike, NaiveDate};
use rust_i18n::t;
use sha2::{Digest, Sha256};

use crate::error::{Diagnostics, Error, Result};
use crate::model::standards::Standards;
use crate::model::Period;

use super::settings::toml_error;
use super::{list_dir, Workspace};

/// A standards file as loaded: where it came from, its hash, and its content.
#[derive(Debug, Clone)]
pub struct StandardsFile {
    /// Workspace-relative path, e.g. `standards/2026-01-01.toml`.
    pub file: String,
    /// The file's SHA-256, for provenance.
    pub sha256: String,
    /// What the file says.
    pub standards: Standards,
}

/// All standards files of a workspace, ordered by `effective_from`.
#[derive(Debug, Clone, Default)]
pub struct StandardsSet {
    /// The files, oldest `effective_from` first.
    pub files: Vec<StandardsFile>,
}

impl StandardsSet {
    /// The file with the latest `effective_from` on or before `date`.
    pub fn in_force_on(&self, date: NaiveDate) -> Option<&StandardsFile> {
        self.files.iter().rev().find(|f| f.standards.effective_from <= date)
    }

    /// The standards for a period: in force on its first day; none is an error.
    pub fn for_period(&self, period: &Period) -> Result<&StandardsFile> {
        self.in_force_on(period.start()).ok_or_else(|| {
            let first = self
                .files
                .first()
                .map(|f| t!("standards.earliest", file => f.file, day => f.standards.effective_from).into_owned());
            let first = first.unwrap_or_default();
            Error::msg(t!("standards.none_for_period", day => period.start(), period => period, earliest => first))
        })
    }
}

/// Parse one standards file's text; `file_stem` is its name without `.toml`.
/// Returns the standards and the problems (TOML errors, or the semantic rules of §3).
/// `None` for a file outside `standards/` (a proposed change), whose name need not be its date.
pub fn parse_standards(
    text: &str,
    file_stem: Option<&str>,
) -> std::result::Result<Standards, Vec<(Option<u64>, String)>> {
    let s: Standards = toml::from_str(text).map_err(|e| vec![toml_error(text, &e)])?;
    let own = s.effective_from.format("%Y-%m-%d").to_string();
    let problems = s.problems(file_stem.unwrap_or(&own));
    if problems.is_empty() {
        Ok(s)
    } else {
        Err(problems.into_iter().map(|p| (None, p)).collect())
    }
}

/// Hex SHA-256 of bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    super::provenance::hex(&Sha256::digest(bytes))
}

/// Load every standards file and check it against DESIGN §3; problems go to `diags`, and what
/// parsed is returned.
pub fn load_standards(ws: &Workspace, diags: &mut Diagnostics) -> Result<StandardsSet> {
    let mut set = StandardsSet::default();
    for name in list_dir(&ws.path("standards"))? {
        let Some(stem) = name.strip_suffix(".toml") else {
            continue;
        };
        let rel = format!("standards/{name}");
        let bytes = std::fs::read(ws.path(&rel)).map_err(|e| Error::io(ws.path(&rel), e))?;
        let Ok(text) = std::str::from_utf8(&bytes) else {
            diags.error(&rel, None, t!("standards.not_utf8"));
            continue;
        };
        match parse_standards(text, Some(stem)) {
            Ok(standards) => {
                for w in standards.warnings() {
                    diags.warning(&rel, None, w);
                }
                if standards.effective_from.day() != 1 {
                    diags.warning(&rel, None, t!("standards.mid_month", day => standards.effective_from));
                }
                set.files.push(StandardsFile {
                    file: rel,
                    sha256: sha256_hex(&bytes),
                    standards,
                });
            }
            Err(problems) => {
                for (line, p) in problems {
                    diags.error(&rel, line, p);
                }
            }
        }
    }
    if set.files.is_empty() && !diags.has_errors() {
        diags.error("standards", None, t!("standards.no_files"));
    }
    set.files.sort_by_key(|f| f.standards.effective_from);
    for w in set.files.windows(2) {
        if w[0].standards.effective_from == w[1].standards.effective_from {
            diags.error(&w[1].file, None, t!("standards.same_day", file => w[0].file));
        }
    }
    Ok(set)
}
