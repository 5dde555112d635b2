//! Records of the data files beside the registry: canonical findings rows (DESIGN §4),
//! appeals, fees, selections, and the workspace settings.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::level::{Level, Purpose};

/// One row of the canonical findings store. `item` is empty and `count` 0 for a visit that
/// found nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub visit_id: String,
    pub date: NaiveDate,
    pub level: Level,
    pub purpose: Purpose,
    pub team: String,
    pub inspectors: u32,
    pub compound_id: String,
    pub item: String,
    pub count: u64,
    pub photos: u64,
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
    Upheld,
    Rejected,
    Pending,
}

/// A company's appeal against the count of one item on one visit. Only upheld ones count.
#[derive(Debug, Clone)]
pub struct Appeal {
    pub visit_id: String,
    pub item: String,
    pub points: u64,
    pub decision: Decision,
    pub decided_on: Option<NaiveDate>,
    pub note: String,
    pub line: u64,
}

/// Fee billing and collection of a compound for a period.
#[derive(Debug, Clone)]
pub struct Fee {
    pub compound_id: String,
    pub billed: Decimal,
    pub collected: Decimal,
    pub line: u64,
}

/// One candidate's votes in a residents' selection of a company (居民选).
#[derive(Debug, Clone)]
pub struct SelectionVote {
    pub selection_id: String,
    pub compound_id: String,
    pub held_on: NaiveDate,
    pub company_id: String,
    pub households: u64,
    pub area_m2: Decimal,
    pub line: u64,
}

/// `data/workspace.toml`.
#[derive(Debug, Clone)]
pub struct Settings {
    pub district: String,
    pub language: Lang,
    pub currency: String,
    pub quorum: Decimal,
    pub majority: Decimal,
}

/// Report language.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Zh,
    En,
}

impl Lang {
    /// The label in this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}
