//! The bulletin (情况通报, DESIGN §8): headline figures, rankings with their change since the
//! previous period, problems by category, hot spots, the three looks per street, notices and
//! vetoes, coverage gaps, and fee collection — all narrowed to one street when asked.

use std::collections::{BTreeSet, HashMap};

use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::records::Fee;
use crate::model::registry::{Positions, Registry};
use crate::model::standards::Standards;
use crate::model::{Level, Period, Purpose};

use super::recheck::{Notice, RecheckReport, Veto};
use super::scoring::{CompoundResult, GroupResult, LevelCoverage, ScoreReport, Verdict};
use super::visit::{Accumulate, Visit};

/// Headline figures of DESIGN §8, over the scoring level's visits in the period.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Summary {
    /// Compounds with a routine visit.
    pub compounds_inspected: usize,
    /// Streets of the compounds inspected.
    pub streets: usize,
    /// Communities of the compounds inspected.
    pub communities: usize,
    /// Compounds with a re-inspection visit.
    pub rechecked_compounds: usize,
    /// Photos taken on all the visits.
    pub photos: u64,
    /// Person-times (人次): per team and day, its largest headcount, summed.
    pub person_times: u64,
    /// Problem categories with at least one point found on routine visits.
    pub categories_found: usize,
    /// Problem points found on routine visits (appeals applied).
    pub problem_points: u64,
}

/// Accumulates the headline figures from a stream of visits (appeals applied).
pub struct SummaryBuilder<'a> {
    reg: &'a Registry,
    standards: &'a Standards,
    period: Period,
    street: Option<String>,
    inspected: Compounds,
    rechecked: Compounds,
    photos: u64,
    /// Per day, each team's largest headcount (looked up by the team's name without copying
    /// it: a national half-year has millions of visits and few teams a day).
    crews: Crews,
    categories: BTreeSet<String>,
    /// How many categories the standards' items name: once all are found, a finding's item
    /// need not be looked up for its category.
    item_categories: usize,
    points: u64,
}

/// Per day, each team's largest headcount: looked up for every visit of the pass, so hashed
/// with foldhash (only summed: the order is never seen).
type Crews = HashMap<chrono::NaiveDate, HashMap<String, u32, foldhash::fast::RandomState>, foldhash::fast::RandomState>;

/// A set only counted or looked up, never listed: hashed with foldhash.
type FastSet<T> = std::collections::HashSet<T, foldhash::fast::RandomState>;

/// A map only looked up, never listed: hashed with foldhash.
type FastMap<K, V> = HashMap<K, V, foldhash::fast::RandomState>;

/// A set of compounds: the registered ones by their registry position (one bit each), the
/// others (a visit to an unregistered compound) by id.
#[derive(Debug, Clone, Default)]
struct Compounds {
    registered: Vec<u64>,
    others: BTreeSet<String>,
}

impl Compounds {
    fn new(registered: usize) -> Compounds {
        Compounds {
            registered: vec![0; registered.div_ceil(64)],
            others: BTreeSet::new(),
        }
    }

    fn insert(&mut self, v: &Visit) {
        match v
            .compound
            .and_then(|i| self.registered.get_mut(i / 64).map(|w| (w, i % 64)))
        {
            Some((word, bit)) => *word |= 1 << bit,
            None => {
                if !self.others.contains(&v.compound_id) {
                    self.others.insert(v.compound_id.clone());
                }
            }
        }
    }

    fn extend(&mut self, other: Compounds) {
        for (a, b) in self.registered.iter_mut().zip(other.registered) {
            *a |= b;
        }
        self.others.extend(other.others);
    }

    fn len(&self) -> usize {
        self.registered.iter().map(|w| w.count_ones() as usize).sum::<usize>() + self.others.len()
    }

    /// The registered compounds' positions.
    fn registered(&self) -> impl Iterator<Item = usize> + '_ {
        self.registered
            .iter()
            .enumerate()
            .flat_map(|(k, &w)| (0..64).filter(move |b| w & (1 << b) != 0).map(move |b| k * 64 + b))
    }
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
        for (day, teams) in other.crews {
            let mine = self.crews.entry(day).or_default();
            for (team, n) in teams {
                let e = mine.entry(team).or_insert(0);
                *e = (*e).max(n);
            }
        }
        self.categories.extend(other.categories);
        self.points += other.points;
    }
}

impl<'a> SummaryBuilder<'a> {
    /// A builder for a period's figures, over one street's compounds when `street` is given.
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
            inspected: Compounds::new(reg.compounds.len()),
            rechecked: Compounds::new(reg.compounds.len()),
            photos: 0,
            crews: Crews::default(),
            categories: BTreeSet::new(),
            item_categories: standards
                .items
                .iter()
                .map(|i| &i.category)
                .collect::<BTreeSet<_>>()
                .len(),
            points: 0,
        }
    }

    /// Take one visit: only the scoring level's visits in the period (and the street) count.
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
        let teams = self.crews.entry(v.date).or_default();
        match teams.get_mut(v.team.as_str()) {
            Some(crew) => *crew = (*crew).max(v.inspectors),
            None => {
                teams.insert(v.team.clone(), v.inspectors);
            }
        }
        match v.purpose {
            Purpose::Recheck => self.rechecked.insert(v),
            Purpose::Routine => {
                self.inspected.insert(v);
                for (code, n) in &v.findings {
                    if *n > 0 {
                        self.points += n;
                        if self.categories.len() == self.item_categories {
                            continue;
                        }
                        if let Some(item) = self.standards.item(code) {
                            if !self.categories.contains(&item.category) {
                                self.categories.insert(item.category.clone());
                            }
                        }
                    }
                }
            }
        }
    }

    /// The headline figures of the visits taken.
    pub fn finish(self) -> Summary {
        // Only counted: hashed sets (a national half-year inspects 220,000 compounds). A
        // compound of the previous one's community adds neither a community nor a street (the
        // registry lists them community by community): its street is not looked up again.
        let mut communities: FastSet<&str> = FastSet::default();
        let mut streets: FastSet<&str> = FastSet::default();
        let mut previous: Option<&str> = None;
        for c in self.inspected.registered().filter_map(|i| self.reg.compounds.get(i)) {
            if previous == Some(&*c.community_id) {
                continue;
            }
            previous = Some(&*c.community_id);
            communities.insert(&*c.community_id);
            streets.extend(self.reg.street_of_compound(c).map(|s| s.id.as_str()));
        }
        Summary {
            compounds_inspected: self.inspected.len(),
            streets: streets.len(),
            communities: communities.len(),
            rechecked_compounds: self.rechecked.len(),
            photos: self.photos,
            person_times: self
                .crews
                .values()
                .flat_map(|teams| teams.values())
                .map(|&n| u64::from(n))
                .sum(),
            categories_found: self.categories.len(),
            problem_points: self.points,
        }
    }
}

/// A place in a ranking: the group, its rank, and its change since the previous period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ranked {
    /// The street or community and its result.
    pub group: GroupResult,
    /// Its place, 1 for the highest score; `None` when it has no score (nothing of it was
    /// assessed): it is listed after the ranked ones, unranked.
    pub rank: Option<usize>,
    /// Score change since the previous period; `None` when it had no score then ("new").
    pub change: Option<Decimal>,
    /// Its place in the previous period; `None` when it had no score then.
    pub previous_rank: Option<usize>,
}

/// Problems of one category.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CategoryLine {
    /// The category's code in the standards.
    pub code: String,
    /// The category's name in the standards.
    pub name: String,
    /// Problem points of the category.
    pub points: u64,
    /// Share of all points, in percent.
    pub share: Decimal,
    /// Compounds with at least one point of the category.
    pub compounds: usize,
}

/// A compound with many points of one category (成片问题).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hotspot {
    /// The compound.
    pub compound_id: String,
    /// The compound's name.
    pub name: String,
    /// The compound's community.
    pub community_id: String,
    /// The compound's street.
    pub street_id: String,
    /// The category's code.
    pub category: String,
    /// Points of the category in the compound in the period.
    pub points: u64,
}

/// The three looks of one street: compounds assessed and, per look, those not in place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StreetLooks {
    /// The street.
    pub street_id: String,
    /// Its compounds that were assessed (have a verdict).
    pub assessed: u32,
    /// Assessed compounds where the street look is not in place.
    pub street_not: Vec<String>,
    /// Assessed compounds where the community look is not in place.
    pub community_not: Vec<String>,
    /// Assessed compounds where the property look is not in place (they failed).
    pub property_not: Vec<String>,
}

/// Fee collection of one street.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FeeLine {
    /// The street.
    pub street_id: String,
    /// Fees billed at its compounds, in yuan.
    pub billed: Decimal,
    /// Fees collected at its compounds, in yuan.
    pub collected: Decimal,
    /// collected / billed × 100.
    pub rate: Option<Decimal>,
    /// Its compounds with fee data.
    pub compounds: usize,
    /// Compounds collecting 90% or more.
    pub at_90: usize,
}

/// Coverage gaps of one level: (window, missing compound ids).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GapLine {
    /// The level that owed the visits.
    pub level: Level,
    /// The required window the visits were owed in.
    pub window: Period,
    /// Compounds with no routine visit of the level in the window.
    pub missing: Vec<String>,
}

/// Everything a bulletin says.
#[derive(Debug, Clone)]
pub struct Bulletin {
    /// The period reported on.
    pub period: Period,
    /// The period the rankings are compared with.
    pub previous: Period,
    /// The previous period has inspections but cannot be scored under this period's standards
    /// (a visit without a contract, say): no change is shown, and none is called "new".
    pub previous_unscored: bool,
    /// The street the bulletin is narrowed to, if any.
    pub street: Option<String>,
    /// The headline figures.
    pub summary: Summary,
    /// Streets ranked by score.
    pub streets: Vec<Ranked>,
    /// Communities with compounds, ranked by score.
    pub communities: Vec<Ranked>,
    /// How many streets are ranked district-wide (the denominator of a street's place in
    /// its own brief: 第6名（共6个）).
    pub streets_ranked: usize,
    /// How many communities are ranked district-wide (第6名（共58个）).
    pub communities_ranked: usize,
    /// Problems by category, most points first.
    pub categories: Vec<CategoryLine>,
    /// Hot spots, most points first.
    pub hotspots: Vec<Hotspot>,
    /// The three looks per street.
    pub looks: Vec<StreetLooks>,
    /// Compounds that failed.
    pub failing: Vec<CompoundResult>,
    /// The period's rectification notices.
    pub notices: Vec<Notice>,
    /// The vetoes the notices caused.
    pub vetoes: Vec<Veto>,
    /// Coverage gaps per level and window.
    pub gaps: Vec<GapLine>,
    /// Fee collection per street ([`FeeTally`]).
    pub fees: Vec<FeeLine>,
    /// The assessor's assessment for the 第三方考评 section (the district's bulletin only;
    /// set by the command, which gathers it in the same pass).
    pub assessor: Option<super::assessor::AssessorReport>,
}

/// Rank groups by score (highest first, ties by id; unscored last, without a rank) and
/// compare with before; only the groups `keep` takes are listed (ranks are taken over all).
/// Groups are sorted by reference and only those listed copied: a national district has
/// tens of thousands of communities.
fn rank<'g>(
    now: impl Iterator<Item = &'g GroupResult>,
    before: Option<&[GroupResult]>,
    keep: impl Fn(&GroupResult) -> bool,
) -> Vec<Ranked> {
    fn order<'g>(list: impl Iterator<Item = &'g GroupResult>) -> Vec<&'g GroupResult> {
        let mut v: Vec<&GroupResult> = list.collect();
        v.sort_by(|a, b| b.score.cmp(&a.score).then_with(|| a.id.cmp(&b.id)));
        v
    }
    // A group listed twice before takes its last place, as a map built in order keeps.
    let prev: FastMap<&str, (usize, Decimal)> = before
        .map(|b| {
            order(b.iter())
                .into_iter()
                .filter_map(|g| g.score.map(|s| (g.id.as_str(), s)))
                .enumerate()
                .map(|(i, (id, s))| (id, (i + 1, s)))
                .collect()
        })
        .unwrap_or_default();
    order(now)
        .into_iter()
        .enumerate()
        .filter(|(_, g)| keep(g))
        .map(|(i, g)| {
            let p = prev.get(g.id.as_str());
            Ranked {
                change: match (g.score, p) {
                    (Some(s), Some((_, ps))) => Some(s - ps),
                    _ => None,
                },
                previous_rank: p.map(|(r, _)| *r),
                rank: g.score.map(|_| i + 1),
                group: g.clone(),
            }
        })
        .collect()
}

/// Build the bulletin but its fee collection ([`FeeTally`], set by the command, which reads
/// the fees while this is built). `street` narrows every section to one street. The notices
/// and vetoes are moved into it, not copied.
#[allow(clippy::too_many_arguments)]
pub fn build(
    reg: &Registry,
    standards: &Standards,
    summary: Summary,
    scores: &ScoreReport,
    previous: Option<&ScoreReport>,
    rechecks: RecheckReport,
    coverage: &[LevelCoverage],
    street: Option<&str>,
) -> Bulletin {
    let mut compounds: Vec<&CompoundResult> = Vec::with_capacity(scores.compounds.len());
    compounds.extend(scores.compounds.iter().filter(|c| in_street(street, &c.street_id)));
    Bulletin {
        period: scores.period,
        previous: scores.period.previous(),
        previous_unscored: false,
        street: street.map(String::from),
        summary,
        streets: ranked_streets(scores, previous, street),
        communities: ranked_communities(scores, previous, street),
        streets_ranked: scores.streets.iter().filter(|g| g.score.is_some()).count(),
        communities_ranked: scores
            .communities
            .iter()
            .filter(|g| g.compounds > 0 && g.score.is_some())
            .count(),
        categories: categories(standards, &compounds),
        hotspots: hotspots(standards, &compounds),
        looks: looks(reg, &compounds, street),
        failing: failing(&compounds),
        notices: notices(rechecks.notices, street),
        vetoes: vetoes(reg, rechecks.vetoes, street),
        gaps: gaps(reg, coverage, street),
        fees: Vec::new(),
        assessor: None,
    }
}

/// Whether a street is in the bulletin: every street when it is not narrowed to one.
fn in_street(street: Option<&str>, sid: &str) -> bool {
    street.is_none_or(|s| s == sid)
}

/// The street a compound is in, or empty for a compound the registry does not know.
fn street_of<'r>(reg: &'r Registry, id: &str) -> &'r str {
    reg.compound(id)
        .and_then(|c| reg.street_of_compound(c))
        .map_or("", |s| s.id.as_str())
}

// Ranks are taken district-wide, then narrowed: a street's brief shows its place in the
// district, and its previous rank is on the same scale.

/// The streets ranked district-wide, narrowed to the bulletin's street.
fn ranked_streets(scores: &ScoreReport, previous: Option<&ScoreReport>, street: Option<&str>) -> Vec<Ranked> {
    rank(scores.streets.iter(), previous.map(|p| p.streets.as_slice()), |g| {
        in_street(street, &g.id)
    })
}

/// The communities that have compounds, ranked district-wide, narrowed to the bulletin's street.
fn ranked_communities(scores: &ScoreReport, previous: Option<&ScoreReport>, street: Option<&str>) -> Vec<Ranked> {
    let with_compounds = scores.communities.iter().filter(|g| g.compounds > 0);
    rank(with_compounds, previous.map(|p| p.communities.as_slice()), |g| {
        g.street_id.as_deref().is_some_and(|sid| in_street(street, sid))
    })
}

/// Problem points per category of the standards, most points first (ties by code), with each
/// category's share of all points and the compounds it was found in.
fn categories(standards: &Standards, compounds: &[&CompoundResult]) -> Vec<CategoryLine> {
    let total_points: u64 = compounds.iter().map(|c| c.problem_points).sum();
    // Each compound's points go to their category in one pass (a pass per category over
    // 220,000 compounds was a fifth of a national bulletin's build); a code the standards list
    // twice is the first one's.
    let mut at: FastMap<&str, usize> = FastMap::default();
    for (k, cat) in standards.categories.iter().enumerate() {
        at.entry(cat.code.as_str()).or_insert(k);
    }
    let mut points = vec![0u64; standards.categories.len()];
    let mut found_in = vec![0usize; standards.categories.len()];
    for c in compounds {
        for (code, n) in c.categories.iter() {
            if let Some(&k) = at.get(code) {
                points[k] += n;
                found_in[k] += usize::from(n > 0);
            }
        }
    }
    let mut categories: Vec<CategoryLine> = standards
        .categories
        .iter()
        .map(|cat| {
            let k = at.get(cat.code.as_str()).copied().unwrap_or_default();
            let points = points[k];
            CategoryLine {
                code: cat.code.clone(),
                name: cat.name.clone(),
                points,
                share: if total_points == 0 {
                    Decimal::ZERO
                } else {
                    round2(Decimal::from(points) * Decimal::ONE_HUNDRED / Decimal::from(total_points))
                },
                compounds: found_in[k],
            }
        })
        .collect();
    categories.sort_by(|a, b| b.points.cmp(&a.points).then_with(|| a.code.cmp(&b.code)));
    categories
}

/// Every (compound, category) with at least the standards' hotspot points, most points first
/// (ties by compound, then category).
fn hotspots(standards: &Standards, compounds: &[&CompoundResult]) -> Vec<Hotspot> {
    let mut hotspots = Vec::new();
    for c in compounds {
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
    hotspots
}

/// The three looks of each street, in registry order: compounds assessed and, per look, those
/// not in place.
fn looks(reg: &Registry, compounds: &[&CompoundResult], street: Option<&str>) -> Vec<StreetLooks> {
    // Compounds of each street, grouped in one pass (a pass per street is quadratic at
    // national scale).
    let mut assessed_in: HashMap<&str, Vec<&CompoundResult>> = HashMap::new();
    for c in compounds.iter().filter(|c| c.looks.is_some()) {
        assessed_in.entry(&*c.street_id).or_default().push(c);
    }
    reg.streets
        .iter()
        .filter(|s| in_street(street, &s.id))
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
        .collect()
}

/// The compounds that failed, in the report's order.
fn failing(compounds: &[&CompoundResult]) -> Vec<CompoundResult> {
    compounds
        .iter()
        .filter(|c| c.verdict == Verdict::Fail)
        .map(|c| (*c).clone())
        .collect()
}

/// The notices of the bulletin's streets.
fn notices(mut notices: Vec<Notice>, street: Option<&str>) -> Vec<Notice> {
    notices.retain(|n| in_street(street, &n.street_id));
    notices
}

/// The vetoes of communities in the bulletin's streets.
fn vetoes(reg: &Registry, mut vetoes: Vec<Veto>, street: Option<&str>) -> Vec<Veto> {
    vetoes.retain(|v| {
        reg.community(&v.community_id)
            .is_some_and(|c| in_street(street, &c.street_id))
    });
    vetoes
}

/// Coverage gaps per level and window (the period's [`ScoreReport::coverage`]), narrowed to
/// the compounds of the bulletin's streets.
fn gaps(reg: &Registry, coverage: &[LevelCoverage], street: Option<&str>) -> Vec<GapLine> {
    coverage
        .iter()
        .flat_map(|lc| {
            lc.windows.iter().map(|w| GapLine {
                level: lc.level,
                window: w.window,
                missing: w
                    .missing
                    .iter()
                    .filter(|id| street.is_none_or(|s| s == street_of(reg, id)))
                    .map(|id| id.to_string())
                    .collect(),
            })
        })
        .collect()
}

/// Fee collection per street, summed row by row in file order as the fees file is read: no
/// row is kept (a national fee file has 220,000).
///
/// A fee file lists compounds mostly in registry order, community by community: each row's
/// compound is looked for first where the previous row's was followed, and its street and
/// tally taken again when its community or street is the previous row's (not looked up by
/// text row by row).
pub struct FeeTally<'r> {
    reg: &'r Registry,
    street: Option<&'r str>,
    /// Per street id ("" for a compound the registry does not know): its tally in `sums`.
    streets: FastMap<&'r str, usize>,
    sums: Vec<StreetFees>,
    /// Each row's compound, looked for first after the previous row's.
    positions: Positions<'r>,
    /// The previous row's community id and the street it is in ("" when unknown).
    community: Option<(&'r str, &'r str)>,
    /// The previous row's street id and its tally in `sums`.
    last: Option<(&'r str, usize)>,
}

/// One street's fee rows summed.
#[derive(Default, Clone, Copy)]
struct StreetFees {
    billed: Decimal,
    collected: Decimal,
    /// Rows (one per compound).
    compounds: usize,
    /// Rows collected at 90 % or more.
    at_90: usize,
}

impl<'r> FeeTally<'r> {
    /// Nothing summed yet; `street` narrows the lines to one street.
    pub fn new(reg: &'r Registry, street: Option<&'r str>) -> FeeTally<'r> {
        FeeTally {
            reg,
            street,
            streets: FastMap::default(),
            sums: Vec::new(),
            positions: Positions::new(reg),
            community: None,
            last: None,
        }
    }

    /// Add one fee row to its street.
    pub fn add(&mut self, f: &Fee) {
        let ninety = Decimal::new(9, 1);
        let street = self.street_of(&f.compound_id);
        let e = self.tally_of(street);
        e.billed += f.billed;
        e.collected += f.collected;
        e.compounds += 1;
        e.at_90 += usize::from(!f.billed.is_zero() && f.collected / f.billed >= ninety);
    }

    /// The street a compound is in, or empty for a compound the registry does not know (as
    /// [`street_of`]).
    fn street_of(&mut self, id: &str) -> &'r str {
        let reg = self.reg;
        let Some(c) = self.positions.of(id).and_then(|i| reg.compounds.get(i)) else {
            return "";
        };
        match self.community {
            Some((k, s)) if k == &*c.community_id => s,
            _ => {
                let s = reg.street_of_compound(c).map_or("", |s| s.id.as_str());
                self.community = Some((&*c.community_id, s));
                s
            }
        }
    }

    /// The tally of a street id, started empty the first time.
    fn tally_of(&mut self, street: &'r str) -> &mut StreetFees {
        let k = match self.last {
            Some((s, k)) if s == street => k,
            _ => {
                let next = self.sums.len();
                let k = *self.streets.entry(street).or_insert(next);
                if k == next {
                    self.sums.push(StreetFees::default());
                }
                self.last = Some((street, k));
                k
            }
        };
        &mut self.sums[k]
    }

    /// The streets' lines, in registry order, for the streets that have fee rows.
    pub fn lines(self) -> Vec<FeeLine> {
        self.reg
            .streets
            .iter()
            .filter(|s| in_street(self.street, &s.id))
            .filter_map(|s| {
                let &StreetFees {
                    billed,
                    collected,
                    compounds,
                    at_90,
                } = self.sums.get(*self.streets.get(s.id.as_str())?)?;
                Some(FeeLine {
                    street_id: s.id.clone(),
                    billed,
                    collected,
                    rate: (!billed.is_zero()).then(|| round2(collected * Decimal::ONE_HUNDRED / billed)),
                    compounds,
                    at_90,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::LooksCount;

    fn group(id: &str, street: &str, score: Option<i64>) -> GroupResult {
        GroupResult {
            id: id.into(),
            name: id.into(),
            street_id: Some(street.into()),
            compounds: 1,
            assessed: 1,
            passed: 1,
            failed: 0,
            not_assessed: 0,
            score: score.map(|s| Decimal::new(s, 1)),
            looks: LooksCount::default(),
        }
    }

    #[test]
    fn ranks_are_taken_over_all_groups_and_only_the_kept_listed() {
        let now = [
            group("C1", "S1", Some(800)),
            group("C2", "S2", Some(900)),
            group("C3", "S1", None),
            group("C4", "S2", Some(900)),
        ];
        // C2 is listed twice before: its last place counts.
        let before = [
            group("C2", "S2", Some(950)),
            group("C1", "S1", Some(700)),
            group("C2", "S2", Some(600)),
        ];
        let ranked = rank(now.iter(), Some(&before), |g| g.street_id.as_deref() == Some("S2"));
        let got: Vec<_> = ranked
            .iter()
            .map(|r| (r.group.id.as_str(), r.rank, r.previous_rank, r.change))
            .collect();
        assert_eq!(
            got,
            [
                ("C2", Some(1), Some(3), Some(Decimal::new(300, 1))),
                ("C4", Some(2), None, None),
            ]
        );
        let all = rank(now.iter(), None, |_| true);
        let order: Vec<_> = all.iter().map(|r| (r.group.id.as_str(), r.rank)).collect();
        assert_eq!(order, [("C2", Some(1)), ("C4", Some(2)), ("C1", Some(3)), ("C3", None)]);
    }

    /// Fee collection per street of the rows `fees`, as the command sums them while reading.
    fn fee_lines(reg: &Registry, fees: &[Fee], street: Option<&str>) -> Vec<FeeLine> {
        let mut tally = FeeTally::new(reg, street);
        for f in fees {
            tally.add(f);
        }
        tally.lines()
    }

    #[test]
    fn fee_lines_sum_each_streets_rows_in_registry_order() {
        use crate::model::registry::{Community, Compound, Street};
        let street = |id: &str| Street {
            id: id.into(),
            name: id.into(),
            line: 2,
        };
        let community = |id: &str, street: &str| Community {
            id: id.into(),
            street_id: street.into(),
            name: id.into(),
            line: 2,
        };
        let compound = |id: &str, community: &str| Compound {
            id: id.into(),
            community_id: community.into(),
            name: id.into(),
            aliases: Vec::new(),
            households: 1,
            area_m2: Decimal::ONE,
            buildings: 1,
            line: 2,
        };
        let reg = Registry::new(
            vec![street("S1"), street("S2"), street("S3")],
            vec![community("K1", "S1"), community("K2", "S2")],
            vec![compound("P1", "K1"), compound("P2", "K2"), compound("P3", "K1")],
            Vec::new(),
            Vec::new(),
            Vec::new(),
        );
        let fee = |id: &str, billed: i64, collected: i64| Fee {
            compound_id: id.into(),
            billed: Decimal::new(billed, 2),
            collected: Decimal::new(collected, 2),
            line: 2,
        };
        // S2's rows come first in the file, a compound the registry does not know is left
        // out, and S3 has no rows: no line.
        let fees = [
            fee("P2", 0, 0),
            fee("P1", 10000, 9000),
            fee("X9", 500, 500),
            fee("P3", 10000, 5050),
            fee("P2", 3000, 2999),
        ];
        let line = |id: &str, billed: i64, collected: i64, rate: Option<i64>, compounds: usize, at_90: usize| FeeLine {
            street_id: id.into(),
            billed: Decimal::new(billed, 2),
            collected: Decimal::new(collected, 2),
            rate: rate.map(|r| Decimal::new(r, 2)),
            compounds,
            at_90,
        };
        assert_eq!(
            fee_lines(&reg, &fees, None),
            [
                line("S1", 20000, 14050, Some(7025), 2, 1),
                line("S2", 3000, 2999, Some(9997), 2, 1),
            ]
        );
        assert_eq!(
            fee_lines(&reg, &fees, Some("S2")),
            [line("S2", 3000, 2999, Some(9997), 2, 1)]
        );
        assert!(fee_lines(&reg, &[fee("P2", 0, 0)], None)[0].rate.is_none());
    }
}
