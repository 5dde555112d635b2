//! `score`'s JSON (DESIGN §11): every compound's result, then the communities and streets.
//! A national report lists 220,000 compounds, so the compounds are not copied into the
//! document: [`Compounds`] serializes each straight from the domain's result as it is written.

use serde::{Serialize, Serializer};

use crate::domain::scoring::{CategoryPoints, CompoundResult, GroupResult, ScoreReport};
use crate::model::decimal::fmt2;

/// The score document's own fields, in their order.
#[derive(Debug, Serialize)]
pub struct Score<'a> {
    /// The level whose routine visits were scored.
    pub level: &'static str,
    /// Every compound of the registry, in registry order.
    pub compounds: Compounds<'a>,
    /// Every community's aggregate.
    pub communities: Vec<Community<'a>>,
    /// Every street's aggregate.
    pub streets: Vec<Street<'a>>,
}

/// The compounds of a report, written one by one as [`Compound`]s when serialized (never held
/// as a second list).
#[derive(Debug, Clone, Copy)]
pub struct Compounds<'a>(pub &'a [CompoundResult]);

impl Serialize for Compounds<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.0.iter().map(Compound::from))
    }
}

/// A compound's result (also listed by the bulletin and `--explain`).
#[derive(Debug, Serialize)]
pub struct Compound<'a> {
    /// The compound's id.
    pub compound_id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its community.
    pub community_id: &'a str,
    /// Its street.
    pub street_id: &'a str,
    /// Routine visits of the level in the period.
    pub visits: u32,
    /// Mean visit score; null when not assessed.
    pub score: Option<String>,
    /// The grade; null when not assessed.
    pub grade: Option<&'a str>,
    /// pass, fail or not_assessed.
    pub verdict: &'static str,
    /// Whether a red-line item had points.
    pub red_line: bool,
    /// Problem points found, in all.
    pub problem_points: u64,
    /// Problem points per category code.
    pub categories: &'a CategoryPoints,
    /// The three looks; null when not assessed.
    pub looks: Option<Looks>,
}

/// The three looks (三看) of a compound: whether each is in place.
#[derive(Debug, Serialize)]
pub struct Looks {
    /// Street management.
    pub street: bool,
    /// Community supervision.
    pub community: bool,
    /// Property service.
    pub property: bool,
}

/// A community's aggregate.
#[derive(Debug, Serialize)]
pub struct Community<'a> {
    /// The community's id.
    pub community_id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// Its street (absent when the registry gives none).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub street_id: Option<&'a str>,
    /// The counts and mean score.
    #[serde(flatten)]
    pub figures: Figures,
}

/// A street's aggregate.
#[derive(Debug, Serialize)]
pub struct Street<'a> {
    /// The street's id.
    pub street_id: &'a str,
    /// Its name.
    pub name: &'a str,
    /// The counts and mean score.
    #[serde(flatten)]
    pub figures: Figures,
}

/// What a community or street aggregates.
#[derive(Debug, Serialize)]
pub struct Figures {
    /// Compounds in it.
    pub compounds: u32,
    /// Compounds assessed.
    pub assessed: u32,
    /// Of those, passed.
    pub passed: u32,
    /// Of those, failed.
    pub failed: u32,
    /// Compounds not assessed.
    pub not_assessed: u32,
    /// Mean score of the assessed; null when none was.
    pub score: Option<String>,
    /// passed / assessed in percent; null when none was assessed.
    pub pass_rate: Option<String>,
    /// Assessed compounds with each look in place.
    pub looks: LooksCount,
}

/// How many assessed compounds have each look in place.
#[derive(Debug, Serialize)]
pub struct LooksCount {
    /// Street management.
    pub street: u32,
    /// Community supervision.
    pub community: u32,
    /// Property service.
    pub property: u32,
}

impl<'a> Score<'a> {
    /// The document of a score report.
    pub fn new(r: &'a ScoreReport) -> Score<'a> {
        Score {
            level: r.level.as_str(),
            compounds: Compounds(&r.compounds),
            communities: r
                .communities
                .iter()
                .map(|g| Community {
                    community_id: &g.id,
                    name: &g.name,
                    street_id: g.street_id.as_deref(),
                    figures: Figures::from(g),
                })
                .collect(),
            streets: r
                .streets
                .iter()
                .map(|g| Street {
                    street_id: &g.id,
                    name: &g.name,
                    figures: Figures::from(g),
                })
                .collect(),
        }
    }
}

impl<'a> From<&'a CompoundResult> for Compound<'a> {
    fn from(c: &'a CompoundResult) -> Self {
        Compound {
            compound_id: &c.compound_id,
            name: &c.name,
            community_id: &c.community_id,
            street_id: &c.street_id,
            visits: c.visits,
            score: c.score.map(fmt2),
            grade: c.grade.as_deref(),
            verdict: c.verdict.as_str(),
            red_line: c.red_line,
            problem_points: c.problem_points,
            categories: &c.categories,
            looks: c.looks.map(|l| Looks {
                street: l.street,
                community: l.community,
                property: l.property,
            }),
        }
    }
}

impl From<&GroupResult> for Figures {
    fn from(g: &GroupResult) -> Figures {
        Figures {
            compounds: g.compounds,
            assessed: g.assessed,
            passed: g.passed,
            failed: g.failed,
            not_assessed: g.not_assessed,
            score: g.score.map(fmt2),
            pass_rate: g.pass_rate().map(fmt2),
            looks: LooksCount {
                street: g.looks.street,
                community: g.looks.community,
                property: g.looks.property,
            },
        }
    }
}
