//! The `standards diff` report (DESIGN §11): what scoring a period under other standards
//! ("before") instead of the workspace's own ("after") changes, exactly as its JSON document
//! lists it (after `period` and `standards`, the "after" standards, before the provenance).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::scoring::{CompoundResult, ScoreReport, Verdict};
use crate::domain::standards_diff::changed;
use crate::domain::subsidy::StreetSubsidy;
use crate::model::decimal::fmt2;
use crate::workspace::StandardsFile;

/// Scores, verdicts, street scores and street subsidies under both standards.
#[derive(Debug, Clone, Serialize)]
pub struct StandardsDiffReport {
    /// What was compared, as given on the command line (a file or a git revision).
    pub against: String,
    /// The standards file `against` resolved to for the period.
    pub against_standards: StandardsUsed,
    /// The compounds whose score, grade or verdict differs, in registry order.
    pub changes: Vec<Change>,
    /// Pass/fail counts under each.
    pub totals: BeforeAfter<Totals>,
    /// Problem points left out under each, their item not applying under those standards.
    pub ignored_points: BeforeAfter<u64>,
    /// Every street's score under each, in registry order.
    pub streets: Vec<StreetScores>,
    /// Each street's subsidy under each; null when the period has no funds file.
    pub subsidy: Option<SubsidyChange>,
}

/// A standards file as a JSON document names it.
#[derive(Debug, Clone, Serialize)]
pub struct StandardsUsed {
    /// Its path (or `REV:./standards/...` for a git revision).
    pub file: String,
    /// The day it takes effect.
    pub effective_from: String,
    /// The SHA-256 of its bytes, so a figure can be traced to the exact file.
    pub sha256: String,
}

/// One value under the "before" standards and under the "after" ones.
#[derive(Debug, Clone, Serialize)]
pub struct BeforeAfter<T> {
    /// Under the `--against` standards.
    pub before: T,
    /// Under the workspace's own.
    pub after: T,
}

/// A compound whose outcome changes.
#[derive(Debug, Clone, Serialize)]
pub struct Change {
    /// The compound.
    pub compound_id: String,
    /// Its name.
    pub name: String,
    /// Its street.
    pub street_id: String,
    /// Its outcome under the `--against` standards.
    pub before: Outcome,
    /// Its outcome under the workspace's own.
    pub after: Outcome,
}

/// A compound's score, grade and verdict under one set of standards.
#[derive(Debug, Clone, Serialize)]
pub struct Outcome {
    /// Two decimals; null when not assessed.
    pub score: Option<String>,
    /// The grade's name; null when not assessed.
    pub grade: Option<String>,
    /// `pass`, `fail` or `not_assessed`.
    pub verdict: &'static str,
}

/// How many compounds passed, failed, or were not assessed.
#[derive(Debug, Clone, Serialize)]
pub struct Totals {
    /// Compounds that passed.
    pub passed: usize,
    /// Compounds that failed.
    pub failed: usize,
    /// Compounds not assessed.
    pub not_assessed: usize,
}

/// A street's score under both standards.
#[derive(Debug, Clone, Serialize)]
pub struct StreetScores {
    /// The street.
    pub street_id: String,
    /// Its name.
    pub name: String,
    /// Its score under the `--against` standards; null when none of its compounds was assessed.
    pub before: Option<String>,
    /// Its score under the workspace's own; null likewise.
    pub after: Option<String>,
}

/// The subsidy under both standards, street by street.
#[derive(Debug, Clone, Serialize)]
pub struct SubsidyChange {
    /// Every street, by id.
    pub streets: Vec<StreetSubsidyChange>,
}

/// A street's subsidy under both standards.
#[derive(Debug, Clone, Serialize)]
pub struct StreetSubsidyChange {
    /// The street.
    pub street_id: String,
    /// Its amount under the `--against` standards.
    pub before: String,
    /// Its amount under the workspace's own.
    pub after: String,
    /// `after` − `before`.
    pub change: String,
}

/// Each street's subsidy under both standards (both as of the document's as-of date).
#[derive(Debug, Clone, Copy)]
pub struct Subsidies<'a> {
    /// Street by street under the `--against` standards (`SubsidyReport::by_street`).
    pub before: &'a [StreetSubsidy],
    /// Street by street under the workspace's own.
    pub after: &'a [StreetSubsidy],
}

impl StandardsDiffReport {
    /// The report comparing `before` (scored under `against_standards`, resolved from
    /// `against`) with `after`, both over the same registry; `subsidies` when the period has a
    /// funds file.
    pub fn new(
        against: &str,
        against_standards: &StandardsFile,
        before: &ScoreReport,
        after: &ScoreReport,
        subsidies: Option<Subsidies<'_>>,
    ) -> StandardsDiffReport {
        StandardsDiffReport {
            against: against.to_string(),
            against_standards: StandardsUsed::from(against_standards),
            changes: changes(before, after),
            totals: BeforeAfter {
                before: Totals::of(before),
                after: Totals::of(after),
            },
            ignored_points: BeforeAfter {
                before: before.ignored_points,
                after: after.ignored_points,
            },
            streets: before
                .streets
                .iter()
                .zip(&after.streets)
                .map(|(b, a)| StreetScores {
                    street_id: a.id.clone(),
                    name: a.name.clone(),
                    before: b.score.map(fmt2),
                    after: a.score.map(fmt2),
                })
                .collect(),
            subsidy: subsidies.map(SubsidyChange::from),
        }
    }
}

/// The compounds whose (score, grade, verdict) differ ([`changed`]), as the JSON lists them.
fn changes(before: &ScoreReport, after: &ScoreReport) -> Vec<Change> {
    changed(before, after)
        .map(|(b, a)| Change {
            compound_id: a.compound_id.to_string(),
            name: a.name.to_string(),
            street_id: a.street_id.to_string(),
            before: Outcome::from(b),
            after: Outcome::from(a),
        })
        .collect()
}

impl From<&StandardsFile> for StandardsUsed {
    fn from(f: &StandardsFile) -> StandardsUsed {
        StandardsUsed {
            file: f.file.clone(),
            effective_from: f.standards.effective_from.to_string(),
            sha256: f.sha256.clone(),
        }
    }
}

impl From<&CompoundResult> for Outcome {
    fn from(c: &CompoundResult) -> Outcome {
        Outcome {
            score: c.score.map(fmt2),
            grade: c.grade.as_deref().map(String::from),
            verdict: c.verdict.as_str(),
        }
    }
}

impl Totals {
    fn of(r: &ScoreReport) -> Totals {
        let count = |v: Verdict| r.compounds.iter().filter(|c| c.verdict == v).count();
        Totals {
            passed: count(Verdict::Pass),
            failed: count(Verdict::Fail),
            not_assessed: count(Verdict::NotAssessed),
        }
    }
}

impl From<Subsidies<'_>> for SubsidyChange {
    fn from(s: Subsidies<'_>) -> SubsidyChange {
        // By street id (a street listed twice keeps its last amounts).
        let by_id: BTreeMap<&str, (Decimal, Decimal)> = s
            .before
            .iter()
            .zip(s.after)
            .map(|(b, a)| (a.street_id.as_str(), (b.amount, a.amount)))
            .collect();
        SubsidyChange {
            streets: by_id
                .into_iter()
                .map(|(id, (b, a))| StreetSubsidyChange {
                    street_id: id.to_string(),
                    before: fmt2(b),
                    after: fmt2(a),
                    change: fmt2(a - b),
                })
                .collect(),
        }
    }
}
