//! The bulletin (情况通报, DESIGN §8): headline figures, rankings with their change since the
//! previous period, problems by category, hot spots, the three looks per street, notices and
//! vetoes, coverage gaps, and fee collection — all narrowed to one street when asked.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::records::Fee;
use crate::model::registry::Registry;
use crate::model::standards::Standards;
use crate::model::{Level, Period, Purpose};

use super::recheck::{Notice, RecheckReport, Veto};
use super::scoring::{CompoundResult, GroupResult, ScoreReport, Verdict};
use super::visit::{Accumulate, Visit};

/// Headline figures of DESIGN §8, over the scoring level's visits in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    pub compounds_inspected: usize,
    pub streets: usize,
    pub communities: usize,
    pub rechecked_compounds: usize,
    pub photos: u64,
    pub person_times: u64,
    pub categories_found: usize,
    pub problem_points: u64,
}

/// Accumulates the headline figures from a stream of visits (appeals applied).
pub struct SummaryBuilder<'a> {
    reg: &'a Registry,
    standards: &'a Standards,
    period: Period,
    street: Option<String>,
    inspected: BTreeSet<String>,
    rechecked: BTreeSet<String>,
    photos: u64,
    crews: HashMap<(chrono::NaiveDate, String), u32>,
    categories: BTreeSet<String>,
    points: u64,
}

impl Accumulate for SummaryBuilder<'_> {
    fn add(&mut self, v: &Visit) {
        SummaryBuilder::add(self, v);
    }

    fn fork(&self) -> Self {
        SummaryBuilder::new(self.reg, self.standards, self.period, self.street.as_deref())
    }

    fn merge(&mut self, other: Self) {
        self.inspected.extend(other.inspected);
        self.rechecked.extend(other.rechecked);
        self.photos += other.photos;
        for (k, n) in other.crews {
            let e = self.crews.entry(k).or_insert(0);
            *e = (*e).max(n);
        }
        self.categories.extend(other.categories);
        self.points += other.points;
    }
}

impl<'a> SummaryBuilder<'a> {
    pub fn new(
        reg: &'a Registry,
        standards: &'a Standards,
        period: Period,
        street: Option<&str>,
    ) -> SummaryBuilder<'a> {
        SummaryBuilder {
            reg,
            standards,
            period,
            street: street.map(String::from),
            inspected: BTreeSet::new(),
            rechecked: BTreeSet::new(),
            photos: 0,
            crews: HashMap::new(),
            categories: BTreeSet::new(),
            points: 0,
        }
    }

    pub fn add(&mut self, v: &Visit) {
        if v.level != self.standards.scoring_level || !self.period.contains(v.date) {
            return;
        }
        if let Some(s) = &self.street {
            let in_street = self
                .reg
                .compound(&v.compound_id)
                .and_then(|c| self.reg.street_of_compound(c))
                .is_some_and(|st| st.id == *s);
            if !in_street {
                return;
            }
        }
        self.photos += v.photos;
        let crew = self.crews.entry((v.date, v.team.clone())).or_insert(0);
        *crew = (*crew).max(v.inspectors);
        match v.purpose {
            Purpose::Recheck => {
                self.rechecked.insert(v.compound_id.clone());
            }
            Purpose::Routine => {
                self.inspected.insert(v.compound_id.clone());
                for (code, n) in &v.findings {
                    if *n > 0 {
                        self.points += n;
                        if let Some(item) = self.standards.item(code) {
                            self.categories.insert(item.category.clone());
                        }
                    }
                }
            }
        }
    }

    pub fn finish(self) -> Summary {
        let communities: BTreeSet<&str> = self
            .inspected
            .iter()
            .filter_map(|id| self.reg.compound(id))
            .map(|c| &*c.community_id)
            .collect();
        let streets: BTreeSet<&str> = self
            .inspected
            .iter()
            .filter_map(|id| self.reg.compound(id))
            .filter_map(|c| self.reg.street_of_compound(c))
            .map(|s| s.id.as_str())
            .collect();
        Summary {
            compounds_inspected: self.inspected.len(),
            streets: streets.len(),
            communities: communities.len(),
            rechecked_compounds: self.rechecked.len(),
            photos: self.photos,
            person_times: self.crews.values().map(|&n| u64::from(n)).sum(),
            categories_found: self.categories.len(),
            problem_points: self.points,
        }
    }
}

/// A place in a ranking: the group, its rank, and its change since the previous period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    pub group: GroupResult,
    pub rank: usize,
    /// Score change since the previous period; `None` when it had no score then ("new").
    pub change: Option<Decimal>,
    pub previous_rank: Option<usize>,
}

/// Problems of one category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryLine {
    pub code: String,
    pub name: String,
    pub points: u64,
    /// Share of all points, in percent.
    pub share: Decimal,
    pub compounds: usize,
}

/// A compound with many points of one category (成片问题).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hotspot {
    pub compound_id: String,
    pub name: String,
    pub community_id: String,
    pub street_id: String,
    pub category: String,
    pub points: u64,
}

/// The three looks of one street: compounds assessed and, per look, those not in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreetLooks {
    pub street_id: String,
    pub assessed: u32,
    pub street_not: Vec<String>,
    pub community_not: Vec<String>,
    pub property_not: Vec<String>,
}

/// Fee collection of one street.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeLine {
    pub street_id: String,
    pub billed: Decimal,
    pub collected: Decimal,
    /// collected / billed × 100.
    pub rate: Option<Decimal>,
    pub compounds: usize,
    /// Compounds collecting 90% or more.
    pub at_90: usize,
}

/// Coverage gaps of one level: (window, missing compound ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapLine {
    pub level: Level,
    pub window: Period,
    pub missing: Vec<String>,
}

/// Everything a bulletin says.
#[derive(Debug, Clone)]
pub struct Bulletin {
    pub period: Period,
    pub previous: Period,
    pub street: Option<String>,
    pub summary: Summary,
    pub streets: Vec<Ranked>,
    pub communities: Vec<Ranked>,
    pub categories: Vec<CategoryLine>,
    pub hotspots: Vec<Hotspot>,
    pub looks: Vec<StreetLooks>,
    pub failing: Vec<CompoundResult>,
    pub notices: Vec<Notice>,
    pub vetoes: Vec<Veto>,
    pub gaps: Vec<GapLine>,
    pub fees: Vec<FeeLine>,
}

/// Rank groups by score (highest first, ties by id; unscored last) and compare with before.
fn rank(now: &[GroupResult], before: Option<&[GroupResult]>) -> Vec<Ranked> {
    let order = |list: &[GroupResult]| -> Vec<GroupResult> {
        let mut v: Vec<GroupResult> = list.to_vec();
        v.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        v
    };
    let prev: BTreeMap<String, (usize, Decimal)> = before
        .map(|b| {
            order(b)
                .into_iter()
                .filter_map(|g| g.score.map(|s| (g.id.clone(), s)))
                .enumerate()
                .map(|(i, (id, s))| (id, (i + 1, s)))
                .collect()
        })
        .unwrap_or_default();
    order(now)
        .into_iter()
        .enumerate()
        .map(|(i, g)| {
            let p = prev.get(&g.id);
            Ranked {
                change: match (g.score, p) {
                    (Some(s), Some((_, ps))) => Some(s - ps),
                    _ => None,
                },
                previous_rank: p.map(|(r, _)| *r),
                rank: i + 1,
                group: g,
            }
        })
        .collect()
}

/// Build the bulletin. `street` narrows every section to one street.
#[allow(clippy::too_many_arguments)]
pub fn build(
    reg: &Registry,
    standards: &Standards,
    summary: Summary,
    scores: &ScoreReport,
    previous: Option<&ScoreReport>,
    rechecks: &RecheckReport,
    fees: &[Fee],
    street: Option<&str>,
) -> Bulletin {
    let in_street = |sid: &str| street.is_none_or(|s| s == sid);
    let compounds: Vec<&CompoundResult> = scores.compounds.iter().filter(|c| in_street(&c.street_id)).collect();
    // Rank district-wide, then narrow: a street's brief shows its place in the district, and
    // its previous rank is on the same scale.
    let with_compounds: Vec<GroupResult> = scores.communities.iter().filter(|g| g.compounds > 0).cloned().collect();
    let streets: Vec<Ranked> = rank(&scores.streets, previous.map(|p| p.streets.as_slice()))
        .into_iter()
        .filter(|r| in_street(&r.group.id))
        .collect();
    let communities: Vec<Ranked> = rank(&with_compounds, previous.map(|p| p.communities.as_slice()))
        .into_iter()
        .filter(|r| r.group.street_id.as_deref().is_some_and(in_street))
        .collect();

    let total_points: u64 = compounds.iter().map(|c| c.problem_points).sum();
    let mut categories: Vec<CategoryLine> = standards
        .categories
        .iter()
        .map(|cat| {
            let points: u64 = compounds
                .iter()
                .map(|c| c.categories.get(&cat.code).copied().unwrap_or(0))
                .sum();
            CategoryLine {
                code: cat.code.clone(),
                name: cat.name.clone(),
                points,
                share: if total_points == 0 {
                    Decimal::ZERO
                } else {
                    round2(Decimal::from(points) * Decimal::ONE_HUNDRED / Decimal::from(total_points))
                },
                compounds: compounds
                    .iter()
                    .filter(|c| c.categories.get(&cat.code).is_some_and(|&n| n > 0))
                    .count(),
            }
        })
        .collect();
    categories.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.code.cmp(&b.code)));

    let mut hotspots = Vec::new();
    for c in &compounds {
        for (cat, n) in c.categories.iter() {
            if n >= standards.hotspots.min_points {
                hotspots.push(Hotspot {
                    compound_id: c.compound_id.to_string(),
                    name: c.name.to_string(),
                    community_id: c.community_id.to_string(),
                    street_id: c.street_id.to_string(),
                    category: cat.to_string(),
                    points: n,
                });
            }
        }
    }
    hotspots.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then_with(|| (&a.compound_id, &a.category).cmp(&(&b.compound_id, &b.category)))
    });

    // Compounds and fee rows of each street, grouped in one pass (a pass per street is
    // quadratic at national scale).
    let mut assessed_in: HashMap<&str, Vec<&CompoundResult>> = HashMap::new();
    for c in compounds.iter().filter(|c| c.looks.is_some()) {
        assessed_in.entry(&*c.street_id).or_default().push(c);
    }
    let street_of = |id: &str| {
        reg.compound(id)
            .and_then(|c| reg.street_of_compound(c))
            .map(|s| s.id.clone())
            .unwrap_or_default()
    };
    let mut fees_in: HashMap<String, Vec<&Fee>> = HashMap::new();
    for f in fees {
        fees_in.entry(street_of(&f.compound_id)).or_default().push(f);
    }
    let looks = reg
        .streets
        .iter()
        .filter(|s| in_street(&s.id))
        .map(|s| {
            let mine: Vec<&CompoundResult> = assessed_in.get(s.id.as_str()).cloned().unwrap_or_default();
            let not = |f: fn(&super::scoring::Looks) -> bool| -> Vec<String> {
                mine.iter()
                    .filter(|c| c.looks.is_some_and(|l| !f(&l)))
                    .map(|c| c.compound_id.to_string())
                    .collect()
            };
            StreetLooks {
                street_id: s.id.clone(),
                assessed: mine.len() as u32,
                street_not: not(|l| l.street),
                community_not: not(|l| l.community),
                property_not: not(|l| l.property),
            }
        })
        .collect();

    let failing = compounds
        .iter()
        .filter(|c| c.verdict == Verdict::Fail)
        .map(|c| (*c).clone())
        .collect();
    let notices: Vec<Notice> = rechecks
        .notices
        .iter()
        .filter(|n| in_street(&n.street_id))
        .cloned()
        .collect();
    let vetoes = rechecks
        .vetoes
        .iter()
        .filter(|v| reg.community(&v.community_id).is_some_and(|c| in_street(&c.street_id)))
        .cloned()
        .collect();
    let gaps = scores
        .coverage()
        .iter()
        .flat_map(|lc| {
            lc.windows.iter().map(|w| GapLine {
                level: lc.level,
                window: w.window,
                missing: w
                    .missing
                    .iter()
                    .filter(|id| in_street(&street_of(id)))
                    .map(|id| id.to_string())
                    .collect(),
            })
        })
        .collect();
    let fees = reg
        .streets
        .iter()
        .filter(|s| in_street(&s.id))
        .filter_map(|s| {
            let mine: Vec<&Fee> = fees_in.get(&s.id).cloned().unwrap_or_default();
            if mine.is_empty() {
                return None;
            }
            let billed: Decimal = mine.iter().map(|f| f.billed).sum();
            let collected: Decimal = mine.iter().map(|f| f.collected).sum();
            let ninety = Decimal::new(9, 1);
            Some(FeeLine {
                street_id: s.id.clone(),
                billed,
                collected,
                rate: (!billed.is_zero()).then(|| round2(collected * Decimal::ONE_HUNDRED / billed)),
                compounds: mine.len(),
                at_90: mine
                    .iter()
                    .filter(|f| !f.billed.is_zero() && f.collected / f.billed >= ninety)
                    .count(),
            })
        })
        .collect();
    Bulletin {
        period: scores.period,
        previous: scores.period.previous(),
        street: street.map(String::from),
        summary,
        streets,
        communities,
        categories,
        hotspots,
        looks,
        failing,
        notices,
        vetoes,
        gaps,
        fees,
    }
}
