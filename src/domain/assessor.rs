//! The assessor's own assessment (DESIGN §16, 对第三方的考核, 双向监督): how the level whose
//! visits are assessed (the scoring level, the third party, unless asked otherwise) covers the
//! compounds, agrees with the district's own checks, fares on appeal, how consistent its
//! teams are, and what evidence it keeps.
//!
//! [`Gather`] takes the visits of the one pass over the store that also scores the period
//! (it only keeps what the figures need: per assessed visit its compound, date, score and
//! points by item; per team its counts and the histogram of its points per visit); then
//! [`Gather::finish`] draws up the [`AssessorReport`] from it, the appeals and the coverage
//! of the same pass. Visit scores and red lines are [`Rule::score`]'s, appeals applied by the
//! scan, so every figure is the one `score --explain` would show for the visit.

pub mod stats;

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::records::{Appeal, AssessorSettings, Decision};
use crate::model::registry::Registry;
use crate::model::standards::Standards;
use crate::model::{Level, Period, Purpose};

use super::as_of::AsOf;
use super::rule::Rule;
use super::scoring::LevelCoverage;
use super::visit::{Accumulate, Visit};

/// One routine visit as the agreement needs it; ordered by compound, then date.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Seen {
    compound: u32,
    date: NaiveDate,
    hundredths: i64,
    red_line: bool,
    passed: bool,
    /// (position of the item in the standards, points), items with points only.
    items: Box<[(u16, u64)]>,
    /// The team (assessed visits only; shared with its tally).
    team: Option<Arc<str>>,
}

/// One team's visits, as counted while scanning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
struct TeamTally {
    name: Option<Arc<str>>,
    visits: u64,
    points: u64,
    passed: u64,
    /// Points per visit → visits: the sample the rank test compares.
    histogram: BTreeMap<u64, u64>,
}

impl TeamTally {
    fn merge(&mut self, other: TeamTally) {
        if self.name.is_none() {
            self.name = other.name;
        }
        self.visits += other.visits;
        self.points += other.points;
        self.passed += other.passed;
        for (v, n) in other.histogram {
            *self.histogram.entry(v).or_default() += n;
        }
    }
}

/// What the assessor report takes from the pass over the store.
pub struct Gather<'a> {
    rule: &'a Rule<'a>,
    standards: &'a Standards,
    level: Level,
    period: Period,
    /// District visits this far from the period's ends can still pair with one in it.
    days: i64,
    /// The first and last day whose visits count (see [`Gather::span`]), worked out once
    /// rather than for every visit of the pass.
    span: (NaiveDate, NaiveDate),
    /// Ids of the visits some appeal names: only those are remembered, with their compound.
    appealed: &'a HashSet<String>,
    assessed: Vec<Seen>,
    district: Vec<Seen>,
    appealed_visits: Vec<(String, u32)>,
    teams: BTreeMap<String, TeamTally>,
    evidence: Evidence,
}

impl<'a> Gather<'a> {
    /// Gathering for `level`'s visits in `period` under `rule` (compiled from `standards`);
    /// `appealed`: the visit ids `data/appeals.csv` names.
    pub fn new(
        rule: &'a Rule<'a>,
        standards: &'a Standards,
        level: Level,
        period: Period,
        settings: AssessorSettings,
        appealed: &'a HashSet<String>,
    ) -> Gather<'a> {
        let days = i64::from(settings.agreement_days);
        let widen = chrono::Duration::days(days);
        Gather {
            rule,
            standards,
            level,
            period,
            days,
            span: (period.start() - widen, period.end() + widen),
            appealed,
            assessed: Vec::new(),
            district: Vec::new(),
            appealed_visits: Vec::new(),
            teams: BTreeMap::new(),
            evidence: Evidence::default(),
        }
    }

    /// The first and last day whose visits count: the period widened by `agreement_days` on
    /// each side for the district's visits.
    pub fn span(&self) -> (NaiveDate, NaiveDate) {
        self.span
    }

    /// A routine visit scored: `None` when it cannot be (no contract, an item that does not
    /// apply): the score pass reports that visit as an error.
    fn seen(&self, v: &Visit, compound: u32, grade: u8) -> Option<Seen> {
        let scored = self.rule.score(grade, &v.findings, false, |_, _| {}).ok()?;
        let items: Box<[(u16, u64)]> = v
            .findings
            .iter()
            .filter(|(_, n)| *n > 0)
            .filter_map(|(code, n)| Some((self.item_position(code)?, *n)))
            .collect();
        Some(Seen {
            compound,
            date: v.date,
            hundredths: scored.hundredths,
            red_line: scored.red_line,
            passed: !scored.visit_score().fails(self.standards),
            items,
            team: None,
        })
    }

    fn item_position(&self, code: &str) -> Option<u16> {
        let k = self.rule.item_position(code)?;
        u16::try_from(k).ok()
    }

    fn add_assessed(&mut self, v: &Visit, mut seen: Seen) {
        let points = v.points();
        let team = match self.teams.get_mut(v.team.as_str()) {
            Some(t) => t,
            None => self.teams.entry(v.team.clone()).or_default(),
        };
        let name = team.name.get_or_insert_with(|| Arc::from(v.team.as_str()));
        seen.team = Some(Arc::clone(name));
        team.visits += 1;
        team.points += points;
        team.passed += u64::from(seen.passed);
        *team.histogram.entry(points).or_default() += 1;
        self.evidence.visits += 1;
        if points > 0 {
            self.evidence.visits_with_points += 1;
            self.evidence.points += points;
            self.evidence.photos += v.photos;
            self.evidence.no_photo += u64::from(v.photos == 0);
        }
        self.assessed.push(seen);
    }
}

impl Accumulate for Gather<'_> {
    fn add(&mut self, v: &Visit) {
        let in_period = self.period.contains(v.date);
        let Some(compound) = v.compound.and_then(|c| u32::try_from(c).ok()) else {
            return;
        };
        if in_period && v.level == self.level && self.appealed.contains(&v.id) {
            self.appealed_visits.push((v.id.clone(), compound));
        }
        if v.purpose != Purpose::Routine {
            return;
        }
        let assessed = in_period && v.level == self.level;
        let (first, last) = self.span;
        let district = self.level != Level::District && v.level == Level::District && (first..=last).contains(&v.date);
        if !assessed && !district {
            return;
        }
        let Some(seen) = v.grade.and_then(|g| self.seen(v, compound, g)) else {
            return;
        };
        if assessed {
            self.add_assessed(v, seen);
        } else {
            self.district.push(seen);
        }
    }

    fn fork(&self) -> Self {
        Gather {
            assessed: Vec::new(),
            district: Vec::new(),
            appealed_visits: Vec::new(),
            teams: BTreeMap::new(),
            evidence: Evidence::default(),
            ..*self
        }
    }

    fn merge(&mut self, other: Self) {
        self.assessed.extend(other.assessed);
        self.district.extend(other.district);
        self.appealed_visits.extend(other.appealed_visits);
        for (name, t) in other.teams {
            self.teams.entry(name).or_default().merge(t);
        }
        self.evidence.merge(other.evidence);
    }
}

/// The assessor's assessment of one period (DESIGN §16).
#[derive(Debug, Clone, PartialEq)]
pub struct AssessorReport {
    /// The level assessed.
    pub level: Level,
    /// `[assessor]` as the report used it.
    pub settings: AssessorSettings,
    /// Its coverage of the compounds.
    pub coverage: Coverage,
    /// Its agreement with the district's checks; `None` when the district is the level
    /// assessed (it would be compared with itself).
    pub agreement: Option<Agreement>,
    /// The appeals against its visits.
    pub appeals: Appeals,
    /// Its teams, by name.
    pub teams: Vec<Team>,
    /// The photos behind its points.
    pub evidence: Evidence,
}

/// Coverage and cadence (全覆盖).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    /// How often the level must visit every compound.
    pub cadence: crate::model::Span,
    /// Registered compounds: each is due in every required window.
    pub compounds: usize,
    /// Distinct compounds with a routine visit of the level in the period.
    pub visited: usize,
    /// The level's routine visits in the period.
    pub visits: u64,
    /// Each required window: (window, compounds missed in it).
    pub windows: Vec<(Period, usize)>,
}

/// One pair: an assessed visit and the district's visit to the same compound nearest to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pair {
    /// The compound's position in the registry.
    pub compound: usize,
    /// The assessed visit's date, score and verdict (pass: true).
    pub assessed: (NaiveDate, Decimal, bool),
    /// The district visit's date, score and verdict.
    pub district: (NaiveDate, Decimal, bool),
}

/// One item's points over all pairs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemSides {
    /// The item's code.
    pub code: String,
    /// The item's name in the standards.
    pub name: String,
    /// Points the assessed visits found.
    pub assessed: u64,
    /// Points the district's visits found.
    pub district: u64,
    /// Pairs where only the assessed visit found points on the item.
    pub only_assessed: u64,
    /// Pairs where only the district's visit did.
    pub only_district: u64,
}

/// Agreement with the district's own checks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Agreement {
    /// Every pair, by compound (registry order) and assessed date.
    pub pairs: Vec<Pair>,
    /// Mean of assessed − district score over the pairs, rounded to 2 decimals.
    pub mean_diff: Option<Decimal>,
    /// The largest |assessed − district| score.
    pub max_diff: Option<Decimal>,
    /// Share of pairs whose verdicts agree, in percent (2 decimals).
    pub verdict_agreement: Option<Decimal>,
    /// Verdict table: [both pass, assessed pass and district fail, assessed fail and
    /// district pass, both fail].
    pub table: [u64; 4],
    /// Cohen's kappa of the table, unrounded; `None` when undefined.
    pub kappa: Option<Decimal>,
    /// Per item with points on either side, in the standards' order.
    pub items: Vec<ItemSides>,
}

impl Agreement {
    /// (pair, item) cases where only the assessed visit found points.
    pub fn items_only_assessed(&self) -> u64 {
        self.items.iter().map(|i| i.only_assessed).sum()
    }

    /// (pair, item) cases where only the district's visit found points.
    pub fn items_only_district(&self) -> u64 {
        self.items.iter().map(|i| i.only_district).sum()
    }
}

/// Appeals counted one way (a street, an item, or all).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AppealCount {
    /// Appeal rows against the level's visits in the period.
    pub filed: u64,
    /// Decided (upheld or rejected) on or before the as-of date.
    pub decided: u64,
    /// Upheld on or before the as-of date.
    pub upheld: u64,
    /// The upheld appeals' points.
    pub points_removed: u64,
}

impl AppealCount {
    fn add(&mut self, a: &Appeal, as_of: &AsOf) {
        let decided = a.decision != Decision::Pending && a.decided_on.is_none_or(|d| as_of.knows(d));
        self.filed += 1;
        self.decided += u64::from(decided);
        if decided && a.decision == Decision::Upheld {
            self.upheld += 1;
            self.points_removed += a.points;
        }
    }

    /// The upheld share of the decided appeals in percent: the assessor's error rate.
    pub fn error_rate(&self) -> Option<Decimal> {
        percent(self.upheld, self.decided)
    }
}

/// The appeals against the level's visits (双向监督).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Appeals {
    /// All of them.
    pub total: AppealCount,
    /// Per street id with an appeal, in registry order.
    pub by_street: Vec<(String, AppealCount)>,
    /// Per item code with an appeal, in the standards' order (codes the standards lack last).
    pub by_item: Vec<(String, AppealCount)>,
}

/// One team of the level.
#[derive(Debug, Clone, PartialEq)]
pub struct Team {
    /// The team's name as recorded.
    pub team: String,
    /// Its routine visits in the period.
    pub visits: u64,
    /// Their problem points.
    pub points: u64,
    /// Visits that passed (score ≥ pass mark, no red-line point).
    pub passed: u64,
    /// Fisher's exact p of its pass rate against the rest of the level's visits.
    pub p_pass_rate: Option<f64>,
    /// Mann–Whitney p of its points per visit against the rest of the level's visits.
    pub p_points: Option<f64>,
    /// A p-value below alpha.
    pub outlier: bool,
    /// Its visits paired with a district check.
    pub pairs: u64,
    /// Mean of its (assessed − district) score over them: a lenient team shows above 0.
    pub mean_diff: Option<Decimal>,
}

impl Team {
    /// Mean points per visit, 2 decimals.
    pub fn points_per_visit(&self) -> Option<Decimal> {
        (self.visits > 0).then(|| round2(Decimal::from(self.points) / Decimal::from(self.visits)))
    }

    /// Passed visits in percent.
    pub fn pass_rate(&self) -> Option<Decimal> {
        percent(self.passed, self.visits)
    }
}

/// The photos behind the points.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Evidence {
    /// The level's routine visits in the period.
    pub visits: u64,
    /// Those that found problem points.
    pub visits_with_points: u64,
    /// Their problem points.
    pub points: u64,
    /// Their photos.
    pub photos: u64,
    /// Visits with points and no photo.
    pub no_photo: u64,
}

impl Evidence {
    fn merge(&mut self, o: Evidence) {
        self.visits += o.visits;
        self.visits_with_points += o.visits_with_points;
        self.points += o.points;
        self.photos += o.photos;
        self.no_photo += o.no_photo;
    }

    /// Photos per problem point, over the visits that found points (2 decimals).
    pub fn photos_per_point(&self) -> Option<Decimal> {
        (self.points > 0).then(|| round2(Decimal::from(self.photos) / Decimal::from(self.points)))
    }
}

/// `part / whole` in percent, 2 decimals; `None` when `whole` is 0.
fn percent(part: u64, whole: u64) -> Option<Decimal> {
    (whole > 0).then(|| round2(Decimal::from(part) * Decimal::ONE_HUNDRED / Decimal::from(whole)))
}

/// What [`Gather::finish`] needs besides the gathered visits.
pub struct Context<'a> {
    /// The registry the visits' compounds index.
    pub registry: &'a Registry,
    /// Every row of `data/appeals.csv`.
    pub appeals: &'a [Appeal],
    /// The report's as-of date: appeals decided after it are pending.
    pub as_of: &'a AsOf,
    /// Every level's coverage from the same pass.
    pub coverage: &'a [LevelCoverage],
    /// `[assessor]`.
    pub settings: AssessorSettings,
}

/// The visits a [`Gather`] drew its report from, handed back by [`Gather::finish`] for the
/// caller to free, or to leave to the process's end when the process ends with the report: a
/// national half-year's are hundreds of thousands of small allocations, and freeing them one
/// by one while the bulletin was drawn cost it 0.08–0.10 s of 1.3–1.4 (the freed memory did
/// not lower its peak: the drawing's allocations did not fit the freed pieces; `assessor`'s
/// peak does rise, 262 → 293 MB, for 0.05 s).
pub struct GatheredVisits {
    _assessed: Vec<Seen>,
    _district: Vec<Seen>,
}

impl Gather<'_> {
    /// The report, from what was gathered, and the visits it was drawn from.
    pub fn finish(mut self, cx: &Context) -> (AssessorReport, GatheredVisits) {
        // Visits arrive in whatever order the threads finished: sort before anything is
        // drawn from them.
        self.assessed.sort_unstable();
        self.district.sort_unstable();
        self.appealed_visits.sort();
        let mut teams = teams(std::mem::take(&mut self.teams), cx.settings.alpha);
        let agreement = (self.level != Level::District).then(|| {
            let (agreement, by_team) = self.agreement();
            team_agreement(&by_team, &mut teams);
            agreement
        });
        let report = AssessorReport {
            level: self.level,
            settings: cx.settings,
            coverage: self.coverage(cx),
            agreement,
            appeals: self.appeals(cx),
            teams,
            evidence: self.evidence,
        };
        let visits = GatheredVisits {
            _assessed: self.assessed,
            _district: self.district,
        };
        (report, visits)
    }

    fn coverage(&self, cx: &Context) -> Coverage {
        let mut visited: Vec<u32> = self.assessed.iter().map(|s| s.compound).collect();
        visited.dedup();
        let mine = cx.coverage.iter().find(|c| c.level == self.level);
        Coverage {
            cadence: self.standards.cadence.of(self.level),
            compounds: cx.registry.compounds.len(),
            visited: visited.len(),
            visits: self.assessed.len() as u64,
            windows: mine
                .map(|c| c.windows.iter().map(|w| (w.window, w.missing.len())).collect())
                .unwrap_or_default(),
        }
    }

    /// Each assessed visit with the district's visit to its compound nearest in date (ties:
    /// the earlier), at most `agreement_days` apart; and per team, its pairs and their summed
    /// (assessed − district) score, for [`team_agreement`].
    fn agreement(&self) -> (Agreement, BTreeMap<&str, (u64, Decimal)>) {
        let mut by_team: BTreeMap<&str, (u64, Decimal)> = BTreeMap::new();
        let mut pairs = Vec::new();
        let mut items = vec![(0u64, 0u64, 0u64, 0u64); self.standards.items.len()];
        let mut table = [0u64; 4];
        // Each side's points by item, summed into these once per pair (not searched for item
        // by item), then moved into the item lines and cleared: only the items the pair's
        // visits name are touched.
        let (mut found_a, mut found_d) = (vec![0u64; items.len()], vec![0u64; items.len()]);
        let add = |found: &mut [u64], s: &Seen| {
            for &(i, n) in s.items.iter() {
                if let Some(f) = found.get_mut(usize::from(i)) {
                    *f += n;
                }
            }
        };
        // Both lists are sorted by compound: the district's visits to each assessed visit's
        // compound are found walking forward, not searched for again.
        let mut compound = DistrictWalk::default();
        for a in &self.assessed {
            let Some(d) = compound.nearest(&self.district, a, self.days) else {
                continue;
            };
            table[usize::from(!a.passed) * 2 + usize::from(!d.passed)] += 1;
            if let Some(team) = &a.team {
                let e = by_team.entry(team).or_insert((0, Decimal::ZERO));
                e.0 += 1;
                e.1 += Decimal::new(a.hundredths - d.hundredths, 2);
            }
            add(&mut found_a, a);
            add(&mut found_d, d);
            for &(i, _) in a.items.iter().chain(d.items.iter()) {
                let i = usize::from(i);
                let (Some(x), Some(y), Some(line)) = (found_a.get_mut(i), found_d.get_mut(i), items.get_mut(i)) else {
                    continue;
                };
                // An item both visits name is moved at its first turn; then both are 0 and
                // add nothing.
                let (x, y) = (std::mem::take(x), std::mem::take(y));
                *line = (
                    line.0 + x,
                    line.1 + y,
                    line.2 + u64::from(x > 0 && y == 0),
                    line.3 + u64::from(y > 0 && x == 0),
                );
            }
            pairs.push(Pair {
                compound: a.compound as usize,
                assessed: (a.date, Decimal::new(a.hundredths, 2), a.passed),
                district: (d.date, Decimal::new(d.hundredths, 2), d.passed),
            });
        }
        let diffs: Vec<Decimal> = pairs.iter().map(|p| p.assessed.1 - p.district.1).collect();
        let n = pairs.len() as u64;
        let agreement = Agreement {
            mean_diff: (n > 0).then(|| round2(diffs.iter().sum::<Decimal>() / Decimal::from(n))),
            max_diff: diffs.iter().map(|d| d.abs()).max(),
            verdict_agreement: percent(table[0] + table[3], n),
            kappa: stats::cohen_kappa(table[0], table[1], table[2], table[3]),
            table,
            items: self
                .standards
                .items
                .iter()
                .zip(items)
                .filter(|(_, l)| l.0 + l.1 > 0)
                .map(|(item, l)| ItemSides {
                    code: item.code.clone(),
                    name: item.name.clone(),
                    assessed: l.0,
                    district: l.1,
                    only_assessed: l.2,
                    only_district: l.3,
                })
                .collect(),
            pairs,
        };
        (agreement, by_team)
    }

    /// Appeals against the level's visits in the period, counted in total, by street and by
    /// item.
    fn appeals(&self, cx: &Context) -> Appeals {
        let compound_of: HashMap<&str, u32> = self.appealed_visits.iter().map(|(id, c)| (id.as_str(), *c)).collect();
        let mut out = Appeals::default();
        let mut streets: BTreeMap<usize, AppealCount> = BTreeMap::new();
        let mut items: BTreeMap<(usize, String), AppealCount> = BTreeMap::new();
        for a in cx.appeals {
            let Some(&c) = compound_of.get(a.visit_id.as_str()) else {
                continue;
            };
            out.total.add(a, cx.as_of);
            let street = cx.registry.compounds.get(c as usize).and_then(|c| {
                let s = cx.registry.street_of_compound(c)?;
                cx.registry.streets.iter().position(|x| x.id == s.id)
            });
            streets
                .entry(street.unwrap_or(usize::MAX))
                .or_default()
                .add(a, cx.as_of);
            let k = self
                .standards
                .items
                .iter()
                .position(|i| i.code == a.item)
                .unwrap_or(usize::MAX);
            items.entry((k, a.item.clone())).or_default().add(a, cx.as_of);
        }
        out.by_street = streets
            .into_iter()
            .map(|(k, n)| (cx.registry.streets.get(k).map(|s| s.id.clone()).unwrap_or_default(), n))
            .collect();
        out.by_item = items.into_iter().map(|((_, code), n)| (code, n)).collect();
        out
    }
}

/// Each team's pairs and mean score difference (from [`Gather::agreement`]): whose leniency
/// the agreement shows.
fn team_agreement(by_team: &BTreeMap<&str, (u64, Decimal)>, teams: &mut [Team]) {
    for t in teams {
        if let Some(&(n, sum)) = by_team.get(t.team.as_str()) {
            t.pairs = n;
            t.mean_diff = Some(round2(sum / Decimal::from(n)));
        }
    }
}

/// Where the district's visits to one compound lie in the district's list (sorted by
/// compound, then date), for assessed visits taken in compound order.
#[derive(Debug, Default)]
struct DistrictWalk {
    from: usize,
    to: usize,
}

impl DistrictWalk {
    /// The district visit to `a`'s compound nearest to it in date, at most `days` away; ties
    /// go to the earlier. `a`'s compound is this one's or a later one.
    fn nearest<'s>(&mut self, district: &'s [Seen], a: &Seen, days: i64) -> Option<&'s Seen> {
        let below = |d: &Seen| d.compound < a.compound;
        while district.get(self.from).is_some_and(below) {
            self.from += 1;
        }
        self.to = self.to.max(self.from);
        while district.get(self.to).is_some_and(|d| d.compound <= a.compound) {
            self.to += 1;
        }
        nearest(district.get(self.from..self.to).unwrap_or_default(), a, days)
    }
}

/// The district visit to `a`'s compound nearest to it in date, at most `days` away; ties go to
/// the earlier. `district` is sorted by (compound, date).
fn nearest<'s>(district: &'s [Seen], a: &Seen, days: i64) -> Option<&'s Seen> {
    let from = district.partition_point(|d| d.compound < a.compound);
    let to = district.partition_point(|d| d.compound <= a.compound);
    district[from..to]
        .iter()
        .map(|d| ((d.date - a.date).num_days().abs(), d))
        .filter(|(gap, _)| *gap <= days)
        // min_by_key keeps the first of equal keys: the earlier date, as they are sorted.
        .min_by_key(|(gap, _)| *gap)
        .map(|(_, d)| d)
}

/// Each team against the rest of the level: Fisher's exact test of the pass rate, the
/// Mann–Whitney test of the points per visit; an outlier when either p is below `alpha`.
fn teams(tallies: BTreeMap<String, TeamTally>, alpha: Decimal) -> Vec<Team> {
    let mut all = TeamTally::default();
    for t in tallies.values() {
        all.merge(t.clone());
    }
    let alpha = f64::try_from(alpha).unwrap_or(0.01);
    tallies
        .into_iter()
        .map(|(team, t)| {
            let rest_visits = all.visits - t.visits;
            let rest_passed = all.passed - t.passed;
            let (p_pass_rate, p_points) = if rest_visits == 0 {
                (None, None)
            } else {
                let rest: BTreeMap<u64, u64> = all
                    .histogram
                    .iter()
                    .map(|(v, n)| (*v, n - t.histogram.get(v).copied().unwrap_or(0)))
                    .filter(|(_, n)| *n > 0)
                    .collect();
                (
                    Some(stats::fisher_two_sided(
                        t.passed,
                        t.visits - t.passed,
                        rest_passed,
                        rest_visits - rest_passed,
                    )),
                    stats::mann_whitney_two_sided(&t.histogram, &rest),
                )
            };
            let outlier = [p_pass_rate, p_points].iter().flatten().any(|p| *p < alpha);
            Team {
                team,
                visits: t.visits,
                points: t.points,
                passed: t.passed,
                p_pass_rate,
                p_points,
                outlier,
                pairs: 0,
                mean_diff: None,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Datelike;

    fn seen(compound: u32, day: u32) -> Seen {
        Seen {
            compound,
            date: NaiveDate::from_ymd_opt(2026, 3, day).unwrap_or_default(),
            hundredths: i64::from(day),
            red_line: false,
            passed: true,
            items: Box::new([]),
            team: None,
        }
    }

    #[test]
    fn walking_the_district_finds_what_searching_it_finds() {
        // Compounds 1, 3, 4 and 7 have district visits; the assessed visits (in compound,
        // date order) include compounds with none, before, between and after them, and ties
        // in distance (the earlier wins).
        let district: Vec<Seen> = [(1, 5), (1, 9), (3, 1), (3, 20), (4, 10), (4, 14), (7, 2)]
            .into_iter()
            .map(|(c, d)| seen(c, d))
            .collect();
        let assessed: Vec<Seen> = [
            (0, 3),
            (1, 7),
            (1, 28),
            (2, 5),
            (3, 10),
            (3, 11),
            (4, 12),
            (5, 1),
            (7, 9),
            (9, 9),
        ]
        .into_iter()
        .map(|(c, d)| seen(c, d))
        .collect();
        for days in [0, 2, 5, 30] {
            let mut walk = DistrictWalk::default();
            let walked: Vec<_> = assessed.iter().map(|a| walk.nearest(&district, a, days)).collect();
            let searched: Vec<_> = assessed.iter().map(|a| nearest(&district, a, days)).collect();
            assert_eq!(walked, searched, "days {days}");
        }
        let mut walk = DistrictWalk::default();
        let found = walk.nearest(&district, &seen(1, 7), 5).map(|d| d.date.day0() + 1);
        assert_eq!(found, Some(5));
    }
}
