//! `score --explain`'s JSON: one compound's result and every visit behind it, item by item,
//! as recorded and after upheld appeals.

use std::collections::HashMap;

use serde::Serialize;

use crate::domain::explain::ExplainedVisit;
use crate::domain::rule::ItemLine;
use crate::domain::scoring::CompoundResult;
use crate::model::decimal::fmt2;
use crate::model::Level;

use crate::workspace::sources::Source;

use super::score::Compound;
use super::verify::SourceRef;

/// The explanation document's own fields, in their order.
#[derive(Debug, Serialize)]
pub struct Explain<'a> {
    /// The level whose routine visits were scored.
    pub level: &'static str,
    /// The compound's result, as `score` lists it.
    pub compound: Compound<'a>,
    /// The visits scored, with their breakdowns.
    pub visits: Vec<Visit<'a>>,
    /// The community's own mean score (the community look's yardstick), or null.
    pub community_score: Option<String>,
}

/// One visit's score: M, D and each recorded item.
#[derive(Debug, Serialize)]
pub struct Visit<'a> {
    /// The visit's id.
    pub visit_id: &'a str,
    /// Its date.
    pub date: String,
    /// The inspection team.
    pub team: &'a str,
    /// The service grade under contract on the day (which items apply).
    pub service_grade: u8,
    /// The company under contract on the day.
    pub company_id: &'a str,
    /// Σ max over the applicable items.
    pub m: String,
    /// Σ deductions.
    pub d: String,
    /// 100 × (M − D) / M.
    pub score: String,
    /// Whether a counted point is on a red-line item.
    pub red_line: bool,
    /// One line per recorded finding.
    pub items: Vec<Item<'a>>,
    /// The sheet and rows it was imported from (`data/sources.csv`), null when unknown.
    pub source: Option<SourceRef>,
}

/// A recorded finding and what it cost.
#[derive(Debug, Serialize)]
pub struct Item<'a> {
    /// The item's code.
    pub item: &'a str,
    /// Its name in the standards.
    pub name: &'a str,
    /// The most the item can deduct.
    pub max: String,
    /// Deducted per point.
    pub deduct: String,
    /// Whether the item is a red line.
    pub red_line: bool,
    /// Points as recorded.
    pub recorded: u64,
    /// Points removed by upheld appeals.
    pub appealed: u64,
    /// Points counted.
    pub count: u64,
    /// min(max, deduct × count).
    pub deduction: String,
}

impl<'a> Explain<'a> {
    /// The document explaining `result` by its visits at `level`.
    /// `sources`: where each visit came from, by id.
    pub fn new(
        level: Level,
        result: &'a CompoundResult,
        visits: &'a [ExplainedVisit],
        sources: &HashMap<String, Source>,
    ) -> Explain<'a> {
        Explain {
            level: level.as_str(),
            compound: Compound::from(result),
            visits: visits
                .iter()
                .map(|x| {
                    let mut v = Visit::from(x);
                    v.source = sources.get(&*x.visit.id).map(SourceRef::of);
                    v
                })
                .collect(),
            community_score: result.community_score.map(fmt2),
        }
    }
}

impl<'a> From<&'a ExplainedVisit> for Visit<'a> {
    fn from(x: &'a ExplainedVisit) -> Visit<'a> {
        let (v, e) = (&x.visit, &x.breakdown);
        Visit {
            visit_id: &v.id,
            date: v.date.to_string(),
            team: &v.team,
            service_grade: x.grade,
            company_id: &x.company_id,
            m: fmt2(e.m),
            d: fmt2(e.d),
            score: fmt2(e.score),
            red_line: e.red_line,
            items: e.lines.iter().map(Item::from).collect(),
            source: None,
        }
    }
}

impl<'a> From<&'a ItemLine> for Item<'a> {
    fn from(l: &'a ItemLine) -> Item<'a> {
        Item {
            item: &l.code,
            name: &l.name,
            max: fmt2(l.max),
            deduct: fmt2(l.deduct),
            red_line: l.red_line,
            recorded: l.recorded,
            appealed: l.appealed,
            count: l.count,
            deduction: fmt2(l.deduction),
        }
    }
}
