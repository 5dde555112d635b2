//! Records of the data files beside the registry: canonical findings rows (DESIGN §4),
//! appeals, fees, selections, and the workspace settings.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::level::{Level, Purpose};

/// One row of the canonical findings store. `item` is empty and `count` 0 for a visit that
/// found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// The visit the row belongs to; a visit's rows share it.
    pub visit_id: String,
    /// The day of the visit.
    pub date: NaiveDate,
    /// Who inspected.
    pub level: Level,
    /// Routine round or re-inspection.
    pub purpose: Purpose,
    /// The inspecting team, as recorded.
    pub team: String,
    /// People on the team that day, at least 1.
    pub inspectors: u32,
    /// The compound visited.
    pub compound_id: String,
    /// The item code of the standards, empty for a visit that found nothing.
    pub item: String,
    /// Problem points found for the item, at most [`MAX_PER_ROW`].
    pub count: u64,
    /// Photos taken, at most [`MAX_PER_ROW`].
    pub photos: u64,
    /// Free text from the inspectors; no rule reads it.
    pub note: String,
}

/// The largest count or number of photos one row may carry: far above any real inspection, and
/// low enough that no sum over a national store can overflow.
pub const MAX_PER_ROW: u64 = 1_000_000;

/// The columns of a store file, exactly and in this order.
pub const STORE_HEADER: [&str; 11] = [
    "visit_id",
    "date",
    "level",
    "purpose",
    "team",
    "inspectors",
    "compound_id",
    "item",
    "count",
    "photos",
    "note",
];

/// What became of an appeal against a count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decision {
    /// The count is reduced by the appeal's points.
    Upheld,
    /// The count stands.
    Rejected,
    /// Not decided yet: the count stands until it is.
    Pending,
}

/// A company's appeal against the count of one item on one visit. Only upheld ones count.
#[derive(Debug, Clone)]
pub struct Appeal {
    /// The visit appealed against.
    pub visit_id: String,
    /// The item whose count is appealed.
    pub item: String,
    /// The points the appeal asks to remove.
    pub points: u64,
    /// What was decided.
    pub decision: Decision,
    /// The day of the decision, once there is one.
    pub decided_on: Option<NaiveDate>,
    /// Free text; no rule reads it.
    pub note: String,
    /// Line in `data/appeals.csv`, for diagnostics.
    pub line: u64,
}

/// Fee billing and collection of a compound for a period.
#[derive(Debug, Clone)]
pub struct Fee {
    /// The compound billed.
    pub compound_id: String,
    /// Fees billed for the period, in yuan.
    pub billed: Decimal,
    /// Fees collected of those, in yuan.
    pub collected: Decimal,
    /// Line in the fees file, for diagnostics.
    pub line: u64,
}

/// One candidate's votes in a residents' selection of a company (居民选).
#[derive(Debug, Clone)]
pub struct SelectionVote {
    /// The selection the vote belongs to; its rows share it.
    pub selection_id: String,
    /// The compound whose residents chose.
    pub compound_id: String,
    /// The day the vote was held.
    pub held_on: NaiveDate,
    /// The candidate company.
    pub company_id: String,
    /// Households that voted for the candidate.
    pub households: u64,
    /// Floor area that voted for the candidate, in m².
    pub area_m2: Decimal,
    /// Line in `data/selections.csv`, for diagnostics.
    pub line: u64,
}

/// `data/workspace.toml`.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The district's name, printed on reports.
    pub district: String,
    /// The language reports are written in.
    pub language: Lang,
    /// The currency's name, printed beside amounts.
    pub currency: String,
    /// The share of households and of area that must vote for a selection to be valid.
    pub quorum: Decimal,
    /// The share of the voting households and of the voting area a candidate must exceed to win.
    pub majority: Decimal,
    /// What official documents carry (`[documents]`, DESIGN §15); defaults from the district
    /// when absent.
    pub documents: Documents,
    /// `[assessor]`: how the assessor's own assessment judges it (DESIGN §16).
    pub assessor: AssessorSettings,
}

/// `[assessor]` of `data/workspace.toml` (DESIGN §16).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AssessorSettings {
    /// The most days between an assessed visit and the district's visit it is paired with.
    pub agreement_days: u32,
    /// The significance level below which a team is named an outlier (0 < alpha < 1).
    pub alpha: Decimal,
}

impl Default for AssessorSettings {
    /// 14 days, and 0.01.
    fn default() -> Self {
        AssessorSettings {
            agreement_days: 14,
            alpha: Decimal::new(1, 2),
        }
    }
}

/// `[documents]` of `data/workspace.toml`: what official documents (公文) carry.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(deny_unknown_fields)]
pub struct Documents {
    /// 发文机关全称, who signs (default: the district's 民政局).
    #[serde(default)]
    pub issuer: String,
    /// 发文机关标志, the red heading; none: no red heading.
    #[serde(default)]
    pub issuer_mark: Option<String>,
    /// 发文字号 template: `{year}` is the document's year, `{seq}` left blank to fill by hand.
    #[serde(default)]
    pub number: Option<String>,
    /// 主送机关 of the bulletin.
    #[serde(default)]
    pub recipients: Vec<String>,
    /// 抄送.
    #[serde(default)]
    pub cc: Vec<String>,
    /// The office to contact, and its telephone.
    #[serde(default)]
    pub contact: Option<String>,
}

impl Documents {
    /// The 发文字号 for a document of `year`: the template with the year filled in and the
    /// sequence left as a blank (〔2026〕　号) for the office to number by hand; none without a
    /// template.
    pub fn number_for(&self, year: i32) -> Option<String> {
        self.number
            .as_ref()
            .map(|t| t.replace("{year}", &year.to_string()).replace("{seq}", "　　"))
    }
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// Chinese, the bureau's language.
    #[default]
    Zh,
    /// English.
    En,
}

impl Lang {
    /// The language's code in the message catalogue and on the command line (`zh`, `en`).
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh",
            Lang::En => "en",
        }
    }

    /// The label in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
