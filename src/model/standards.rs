//! Standards: the itemised service standards in force from a date (DESIGN §3).
//!
//! These types mirror `standards/YYYY-MM-DD.toml` exactly; unknown keys are rejected so a typo
//! in a reviewed standards change cannot silently drop a rule. [`Standards::problems`] holds the
//! semantic rules that TOML alone cannot express.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_i18n::t;
use serde::{Deserialize, Deserializer};

use super::decimal::de_decimal;
use super::level::Level;
use super::period::Span;

/// One standards file.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standards {
    /// The first day the file is in force; the file is named after it.
    #[serde(deserialize_with = "de_date")]
    pub effective_from: NaiveDate,
    /// The standards' title, printed on reports.
    pub title: String,
    /// The level whose routine visits give the official score (by default the third party).
    pub scoring_level: Level,
    /// The compound score below which a compound fails (0 to 100).
    #[serde(deserialize_with = "de_decimal")]
    pub pass_mark: Decimal,
    /// The named score bands, highest `min` first; the last starts at 0.
    pub grades: Vec<Grade>,
    /// How often each level must visit every compound.
    pub cadence: Cadence,
    /// The problem categories items belong to.
    pub categories: Vec<Category>,
    /// The items problem points are counted against.
    pub items: Vec<Item>,
    /// The rules of re-inspection.
    pub recheck: RecheckRules,
    /// The rules of the three looks.
    pub looks: LooksRules,
    /// When a category's points in one compound name it a hot spot.
    pub hotspots: HotspotRules,
}

/// A named band of scores, e.g. 优秀 from 90.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grade {
    /// The grade's name, e.g. 优秀.
    pub name: String,
    /// The lowest score that earns it.
    #[serde(deserialize_with = "de_decimal")]
    pub min: Decimal,
}

/// How often each level must cover every compound.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Cadence {
    /// The residents' committee's cadence.
    pub community: Span,
    /// The street office's cadence.
    pub street: Span,
    /// The district bureau's cadence.
    pub district: Span,
    /// The hired assessor's cadence.
    pub third_party: Span,
}

impl Cadence {
    /// The cadence of one level.
    pub fn of(&self, level: Level) -> Span {
        match level {
            Level::Community => self.community,
            Level::Street => self.street,
            Level::District => self.district,
            Level::ThirdParty => self.third_party,
        }
    }
}

/// A problem category (one of the "11 categories of problems").
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Category {
    /// The category's code, as items name it.
    pub code: String,
    /// The category's name, printed on reports.
    pub name: String,
}

/// An itemised service standard that problem points are counted against.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    /// The item's code, as the store names it (e.g. `A01`).
    pub code: String,
    /// The item's name, printed on reports.
    pub name: String,
    /// The code of the category it belongs to.
    pub category: String,
    /// The most the item can cost one visit.
    #[serde(deserialize_with = "de_decimal")]
    pub max: Decimal,
    /// Points deducted per problem point.
    #[serde(deserialize_with = "de_decimal")]
    pub deduct: Decimal,
    /// Whether any problem point on it fails the compound, whatever its score.
    #[serde(default)]
    pub red_line: bool,
    /// Service grades the item applies to; `None` means all.
    #[serde(default)]
    pub applies_to: Option<Vec<u8>>,
}

/// The largest `max` or `deduct` an item may have.
pub const MAX_POINTS: u32 = 1_000_000;
/// The most decimals an item's `max` or `deduct` may have.
pub const MAX_POINT_DECIMALS: u32 = 4;

impl Item {
    /// Whether the item applies to a compound served at `grade`.
    pub fn applies(&self, grade: u8) -> bool {
        self.applies_to.as_ref().is_none_or(|g| g.contains(&grade))
    }
}

/// The rules of re-inspection (DESIGN §7).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecheckRules {
    /// Days after the failing visit by which the re-inspection is due.
    pub deadline_days: u32,
}

/// The rules of the three looks (三看三到位).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LooksRules {
    /// How far the community's own mean score may exceed the official one.
    #[serde(deserialize_with = "de_decimal")]
    pub community_max_gap: Decimal,
}

/// When a compound's problems in one category are a hot spot (成片问题).
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HotspotRules {
    /// Points of one category in one compound in a period that name it a hot spot.
    pub min_points: u64,
}

impl Standards {
    /// What is allowed but probably a mistake.
    pub fn warnings(&self) -> Vec<String> {
        SERVICE_GRADES
            .iter()
            .filter(|&&g| !self.items.iter().any(|i| i.applies(g)))
            .map(|g| t!("standards.no_item_for_grade", grade => g).into_owned())
            .collect()
    }
}

/// Service grades a contract may carry (一级 is the highest).
pub const SERVICE_GRADES: [u8; 3] = [1, 2, 3];

impl Standards {
    /// Index of the item with this code.
    pub fn item(&self, code: &str) -> Option<&Item> {
        self.items.iter().find(|i| i.code == code)
    }

    /// Item codes as a short human list for hints: `A01..A20` when contiguous, else all.
    pub fn item_codes_hint(&self) -> String {
        let codes: Vec<&str> = self.items.iter().map(|i| i.code.as_str()).collect();
        match (codes.first(), codes.last()) {
            (Some(a), Some(b)) if codes.len() > 4 => format!("{a}..{b}"),
            _ => codes.join(&t!("registry.sep")),
        }
    }

    /// The grade a score earns; the last grade when a red line was crossed.
    pub fn grade_for(&self, score: Decimal, red_line: bool) -> &str {
        let last = self.grades.last().map(|g| g.name.as_str()).unwrap_or("");
        if red_line {
            return last;
        }
        self.grades
            .iter()
            .find(|g| g.min <= score)
            .map(|g| g.name.as_str())
            .unwrap_or(last)
    }

    /// Every rule of DESIGN §3 that the TOML grammar cannot state, as messages.
    /// `file_stem` is the file's name without `.toml`, which must equal `effective_from`.
    pub fn problems(&self, file_stem: &str) -> Vec<String> {
        let mut out = Vec::new();
        self.date_problems(file_stem, &mut out);
        self.grade_problems(&mut out);
        self.duplicate_problems(&mut out);
        let categories: BTreeSet<&str> = self.categories.iter().map(|c| c.code.as_str()).collect();
        for item in &self.items {
            item_problems(item, &categories, &mut out);
        }
        if self.items.is_empty() {
            out.push(t!("standards.no_items").into_owned());
        }

        out
    }

    /// The file is named after its `effective_from`, and the pass mark is a score.
    fn date_problems(&self, file_stem: &str, out: &mut Vec<String>) {
        let eff = self.effective_from.format("%Y-%m-%d").to_string();
        if eff != file_stem {
            out.push(t!("standards.name_not_date", day => eff, file => file_stem).into_owned());
        }
        if self.pass_mark < Decimal::ZERO || self.pass_mark > Decimal::ONE_HUNDRED {
            out.push(t!("standards.pass_mark_range", pass_mark => self.pass_mark).into_owned());
        }
    }

    /// Grades exist, their minimums strictly decrease, and the last starts at 0, so every
    /// score earns exactly one grade.
    fn grade_problems(&self, out: &mut Vec<String>) {
        if self.grades.is_empty() {
            out.push(t!("standards.no_grades").into_owned());
        }
        for w in self.grades.windows(2) {
            if w[1].min >= w[0].min {
                out.push(
                    t!("standards.grades_not_decreasing", grade => w[1].name, min => w[1].min,
                    prev => w[0].name, prev_min => w[0].min)
                    .into_owned(),
                );
            }
        }
        if let Some(last) = self.grades.last() {
            if !last.min.is_zero() {
                out.push(t!("standards.last_grade_min", grade => last.name, min => last.min).into_owned());
            }
        }
    }

    /// Grade names, category codes, item codes and item names are each unique.
    fn duplicate_problems(&self, out: &mut Vec<String>) {
        duplicates(
            self.grades.iter().map(|g| g.name.as_str()),
            &t!("standards.what_grade_name"),
            out,
        );
        duplicates(
            self.categories.iter().map(|c| c.code.as_str()),
            &t!("standards.what_category_code"),
            out,
        );
        duplicates(
            self.items.iter().map(|i| i.code.as_str()),
            &t!("standards.what_item_code"),
            out,
        );
        duplicates(
            self.items.iter().map(|i| i.name.as_str()),
            &t!("standards.what_item_name"),
            out,
        );
    }
}

/// One item's rules: a known category, positive and bounded points, and service grades that
/// exist.
fn item_problems(item: &Item, categories: &BTreeSet<&str>, out: &mut Vec<String>) {
    if !categories.contains(item.category.as_str()) {
        let known: Vec<&str> = categories.iter().copied().collect();
        out.push(
            t!("standards.unknown_category", item => item.code, category => item.category,
            known => known.join(&t!("registry.sep")))
            .into_owned(),
        );
    }
    item_point_problems(item, out);
    if let Some(grades) = &item.applies_to {
        if grades.is_empty() {
            out.push(t!("standards.empty_applies_to", item => item.code).into_owned());
        }
        for g in grades {
            if !SERVICE_GRADES.contains(g) {
                out.push(t!("standards.applies_to_unknown_grade", item => item.code, grade => g).into_owned());
            }
        }
    }
}

/// An item's max and deduct are positive and within what a visit's arithmetic holds exactly.
fn item_point_problems(item: &Item, out: &mut Vec<String>) {
    if item.max <= Decimal::ZERO {
        out.push(t!("standards.max_not_positive", item => item.code, max => item.max).into_owned());
    }
    if item.deduct <= Decimal::ZERO {
        out.push(t!("standards.deduct_not_positive", item => item.code, deduct => item.deduct).into_owned());
    }
    // Bounded so that a visit's arithmetic is exact on every path (counts are at most
    // 1,000,000 a row): real standards use a few points with one or two decimals.
    for (what, v) in [("max", item.max), ("deduct", item.deduct)] {
        if v > Decimal::from(MAX_POINTS) || v.normalize().scale() > MAX_POINT_DECIMALS {
            out.push(
                t!("standards.points_too_fine", item => item.code, what => what, value => v,
                max => MAX_POINTS, decimals => MAX_POINT_DECIMALS)
                .into_owned(),
            );
        }
    }
}

fn duplicates<'a>(names: impl Iterator<Item = &'a str>, what: &str, out: &mut Vec<String>) {
    let mut seen = BTreeMap::new();
    for n in names {
        *seen.entry(n).or_insert(0u32) += 1;
    }
    for (n, k) in seen {
        if k > 1 {
            out.push(t!("standards.duplicate", what => what, name => n, times => k).into_owned());
        }
    }
}

/// A TOML date (`2026-01-01`, bare) or a string holding one.
fn de_date<'de, D: Deserializer<'de>>(de: D) -> Result<NaiveDate, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Toml(toml::value::Datetime),
        Str(String),
    }
    let text = match Raw::deserialize(de)? {
        Raw::Toml(dt) => dt.to_string(),
        Raw::Str(s) => s,
    };
    super::parse_date(&text).ok_or_else(|| serde::de::Error::custom(t!("standards.expect_date", found => text)))
}
