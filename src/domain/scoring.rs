//! Scoring (DESIGN §6): visit scores, compound scores, grades, verdicts, red lines, problem
//! points, the three looks (三看三到位), coverage (全覆盖), and community and street aggregates.
//!
//! The rules, written plainly and single-threaded, in three steps a maintainer can change
//! one at a time:
//! 1. [`Scorer::contribution`]: what one visit adds to its compound (its score through the
//!    compiled [`Rule`], the windows it covers, its problem points by category);
//! 2. [`Tally::add`]: a compound's running tally, one contribution at a time (order-free: the
//!    engine may add a compound's visits in any order);
//! 3. [`Scorer::result`] and [`Scorer::report`]: a compound's result from its tally (the mean,
//!    the grade, the verdict, the three looks), then the communities and streets.
//!
//! How the store is streamed through these, on which threads, and where the tallies live is
//! the engine's business (`crate::engine::score`); memory grows with compounds, not rows.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::registry::{Compound, Registry};
use crate::model::standards::Standards;
use crate::model::{Level, Period, Purpose};

use super::rule::Rule;
use super::visit::Visit;

/// A compound's verdict for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// Scored at or above the pass mark, with no red line crossed.
    Pass,
    /// Scored below the pass mark, or a red line crossed.
    Fail,
    /// No routine visit of the scoring level in the period.
    NotAssessed,
}

impl Verdict {
    /// The word used in CSV and JSON reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Pass => "pass",
            Verdict::Fail => "fail",
            Verdict::NotAssessed => "not_assessed",
        }
    }
}

/// A visit's score and whether it crossed a red line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisitScore {
    /// The visit score, 0 to 100 with two decimals.
    pub score: Decimal,
    /// Whether a red-line item had a problem point.
    pub red_line: bool,
}

impl VisitScore {
    /// Fails: below the pass mark, or a red-line point (DESIGN §7).
    pub fn fails(&self, standards: &Standards) -> bool {
        self.red_line || self.score < standards.pass_mark
    }
}

/// The three looks of an assessed compound: is each party's work in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Looks {
    /// The street office's look: its level covered every required window.
    pub street: bool,
    /// The residents' committee's look: it covered every window, and its own score was not too kind.
    pub community: bool,
    /// The property company's look: the compound passed.
    pub property: bool,
}

/// One compound's result for the period.
#[derive(Debug, Clone)]
pub struct CompoundResult {
    /// The compound (ids and names shared with the registry).
    pub compound_id: Arc<str>,
    /// Its name.
    pub name: Arc<str>,
    /// Its community.
    pub community_id: Arc<str>,
    /// Its street.
    pub street_id: Arc<str>,
    /// Routine visits of the scored level in the period.
    pub visits: u32,
    /// Mean of its official visit scores, when assessed.
    pub score: Option<Decimal>,
    /// The grade its score earns (the last when a red line was crossed), when assessed.
    pub grade: Option<Arc<str>>,
    /// Pass, fail or not assessed.
    pub verdict: Verdict,
    /// Whether any official visit crossed a red line.
    pub red_line: bool,
    /// Problem points found on its official visits (appeals applied).
    pub problem_points: u64,
    /// Points by category code, categories with points only, by code.
    pub categories: CategoryPoints,
    /// The three looks, when assessed.
    pub looks: Option<Looks>,
    /// The community level's mean routine score in the period, when it visited.
    pub community_score: Option<Decimal>,
}

/// Problem points by category code: categories with points only, sorted by code. A short
/// list sharing the standards' codes, allocated to its exact length (a national report holds
/// hundreds of thousands).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CategoryPoints(Box<[(Arc<str>, u64)]>);

impl CategoryPoints {
    /// Points of the category `code`, when it has any.
    pub fn get(&self, code: &str) -> Option<&u64> {
        self.0.iter().find(|(c, _)| &**c == code).map(|(_, n)| n)
    }

    /// The categories with points and their points, by code.
    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(c, n)| (&**c, *n))
    }
}

impl CategoryPoints {
    /// The points of the categories `codes` (in the same order), allocated once to their
    /// exact length: the same list as collecting the pairs.
    pub fn of(codes: &[Arc<str>], points: &[u64]) -> CategoryPoints {
        let n = points.iter().take(codes.len()).filter(|&&p| p > 0).count();
        let mut v = Vec::with_capacity(n);
        for (code, &p) in codes.iter().zip(points) {
            if p > 0 {
                v.push((Arc::clone(code), p));
            }
        }
        CategoryPoints::sorted(v)
    }

    /// Sorted by code, a code's points added up.
    fn sorted(mut v: Vec<(Arc<str>, u64)>) -> CategoryPoints {
        if !v.is_sorted_by(|a, b| a.0 < b.0) {
            v.sort_by(|a, b| a.0.cmp(&b.0));
            v.dedup_by(|a, b| {
                let same = a.0 == b.0;
                if same {
                    b.1 += a.1;
                }
                same
            });
        }
        CategoryPoints(v.into_boxed_slice())
    }
}

impl FromIterator<(Arc<str>, u64)> for CategoryPoints {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, u64)>>(iter: I) -> Self {
        let v: Vec<(Arc<str>, u64)> = iter.into_iter().filter(|(_, n)| *n > 0).collect();
        CategoryPoints::sorted(v)
    }
}

/// Serialized as a JSON object `{code: points}`, by code.
impl serde::Serialize for CategoryPoints {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_map(self.iter())
    }
}

/// A community's or street's aggregate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GroupResult {
    /// The community's or street's id.
    pub id: String,
    /// Its name.
    pub name: String,
    /// For a community, its street.
    pub street_id: Option<String>,
    /// Its registered compounds.
    pub compounds: u32,
    /// Of those, the ones assessed.
    pub assessed: u32,
    /// Of those, the ones that passed.
    pub passed: u32,
    /// Of those, the ones that failed.
    pub failed: u32,
    /// Of its compounds, the ones not assessed.
    pub not_assessed: u32,
    /// Mean of its assessed compounds' scores, when any was assessed.
    pub score: Option<Decimal>,
    /// Assessed compounds with each look in place.
    pub looks: LooksCount,
}

/// How many compounds have each look in place.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LooksCount {
    /// With the street look in place.
    pub street: u32,
    /// With the community look in place.
    pub community: u32,
    /// With the property look in place.
    pub property: u32,
}

impl GroupResult {
    /// passed / assessed × 100, when any was assessed.
    pub fn pass_rate(&self) -> Option<Decimal> {
        (self.assessed > 0)
            .then(|| round2(Decimal::from(self.passed) * Decimal::ONE_HUNDRED / Decimal::from(self.assessed)))
    }
}

/// The compounds lacking a routine visit in one required window of one level.
#[derive(Debug, Clone)]
pub struct WindowGap {
    /// The required window.
    pub window: Period,
    /// Compound ids, in registry order (shared with the registry: at national scale a level
    /// nobody visited lists every compound in every window).
    pub missing: Vec<Arc<str>>,
}

/// Coverage of one level over the period.
#[derive(Debug, Clone)]
pub struct LevelCoverage {
    /// The level that owes the visits.
    pub level: Level,
    /// How often it must visit, from the standards.
    pub cadence: crate::model::Span,
    /// Its required windows in the period, each with the compounds it missed.
    pub windows: Vec<WindowGap>,
}

/// Everything `score` and `inspect coverage` report.
#[derive(Debug, Clone)]
pub struct ScoreReport {
    /// The period scored.
    pub period: Period,
    /// The level whose visits are official (the standards' scoring level).
    pub level: Level,
    /// Every registered compound's result, in registry order.
    pub compounds: Vec<CompoundResult>,
    /// Every community's aggregate, in registry order.
    pub communities: Vec<GroupResult>,
    /// Every street's aggregate, in registry order.
    pub streets: Vec<GroupResult>,
    /// What each compound's routine visits covered, level by level (see
    /// [`ScoreReport::coverage`]): few reports need the lists of gaps, so they are drawn up
    /// only when asked for.
    covered: Covered,
    /// Points left out because their item does not apply under these standards (only when
    /// scoring with [`Scorer::ignore_inapplicable`]).
    pub ignored_points: u64,
}

/// The required windows of each level, and which of them each compound's routine visits
/// covered: bit w of `bits[i][level]` is window w, for the i-th compound of the report.
#[derive(Debug, Clone, Default)]
struct Covered {
    levels: Vec<(Level, crate::model::Span, Vec<Period>)>,
    bits: Vec<[u32; 4]>,
}

impl ScoreReport {
    /// Coverage of every level: for each required window, the compounds with no routine visit
    /// in it, in registry order.
    pub fn coverage(&self) -> Vec<LevelCoverage> {
        let ids_missing = |li: usize, w: usize| -> Vec<Arc<str>> {
            self.compounds
                .iter()
                .zip(&self.covered.bits)
                .filter(|(_, bits)| bits[li] & (1 << w) == 0)
                .map(|(c, _)| Arc::clone(&c.compound_id))
                .collect()
        };
        self.covered
            .levels
            .iter()
            .map(|(level, cadence, windows)| LevelCoverage {
                level: *level,
                cadence: *cadence,
                windows: windows
                    .iter()
                    .enumerate()
                    .map(|(w, window)| WindowGap {
                        window: *window,
                        missing: ids_missing(level_ix(*level), w),
                    })
                    .collect(),
            })
            .collect()
    }

    /// Keep only the groups' results (a report kept for comparison).
    pub fn keep_groups_only(&mut self) {
        self.compounds = Vec::new();
        self.covered = Covered::default();
    }
}

/// A problem met while scoring: where, and what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreProblem {
    /// The workspace-relative file of the visit's first row.
    pub file: String,
    /// The line of the visit's first row.
    pub line: u64,
    /// What went wrong, in words a person can act on.
    pub message: String,
}

/// One compound's tally of the period: what its visits added up to. Scores are summed in
/// hundredths: visit scores have two decimals, so the sums are exact integers and the mean is
/// one decimal division at the end. Its points by category are kept beside it, in the
/// standards' order (see [`Tally::add`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Tally {
    /// Score sums and visit counts: [`OFFICIAL`] the scored level, [`COMMUNITY`] the
    /// community level (for its gap in the three looks).
    sums: [i64; 2],
    counts: [u32; 2],
    /// Bit w of `covered[level]` set: a routine visit of the level lies in its required
    /// window w.
    covered: [u32; 4],
    red_line: bool,
}

/// The mean of `count` (not 0) scores summing to `sum` hundredths, to two decimals: what
/// `round2(Decimal::new(sum, 2) / Decimal::from(count))` gives (a property test holds them
/// equal), in integer arithmetic, without the Decimal division (one per compound and level,
/// 220,000 compounds). The division rounds to 28 significant digits before `round2` rounds to
/// two decimals; for sums under 10^15 hundredths that first rounding cannot move the quotient
/// across a midpoint (a run of nines in `sum / count`'s digits is shorter than `count`'s ten
/// digits), so the mean is `sum / count` rounded half away from zero. Other sums (negative or
/// larger, never met: a visit scores at most 100.00) take the Decimal path.
fn mean_hundredths(sum: i64, count: u32) -> Decimal {
    const FAST: i64 = 1_000_000_000_000_000;
    // (A zero quotient comes out of the division as 0, not 0.00.)
    if count > 0 && (1..FAST).contains(&sum) {
        let (n, d) = (sum.unsigned_abs(), u64::from(count));
        // Half up on a non-negative quotient: half away from zero.
        let m = (2 * n + d) / (2 * d);
        if let Ok(m) = i64::try_from(m) {
            return Decimal::new(m, 2);
        }
    }
    round2(Decimal::new(sum, 2) / Decimal::from(count))
}

/// The slot of the scored level's visits in a [`Tally`].
const OFFICIAL: usize = 0;
/// The slot of the community level's visits.
const COMMUNITY: usize = 1;

impl Tally {
    /// The mean score of slot `k`, when it has visits.
    fn mean(&self, k: usize) -> Option<Decimal> {
        (self.counts[k] > 0).then(|| mean_hundredths(self.sums[k], self.counts[k]))
    }

    /// The bits of the required windows its routine visits covered, level by level, as
    /// [`Scorer::report`] takes them.
    pub fn covered(&self) -> [u32; 4] {
        self.covered
    }

    /// Add one visit's contribution, and its problem points `(category, count)` to
    /// `categories` (the compound's points by category, in the standards' order). The result
    /// does not depend on the order contributions are added in.
    pub fn add(&mut self, categories: &mut [u64], c: &Contribution, points: &[(usize, u64)]) {
        self.covered[c.level] |= c.covered;
        for (slot, score) in [(OFFICIAL, c.official), (COMMUNITY, c.community)] {
            if let Some(h) = score {
                self.sums[slot] += h;
                self.counts[slot] += 1;
            }
        }
        self.red_line |= c.red_line;
        for &(cat, count) in points {
            if let Some(p) = categories.get_mut(cat) {
                *p += count;
            }
        }
    }
}

/// What one routine visit adds to its compound's [`Tally`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Contribution {
    /// The compound's position in the registry.
    pub compound: usize,
    /// The visit's level (its index in [`Level::ALL`]) and the bits of that level's required
    /// windows it lies in.
    level: usize,
    covered: u32,
    /// The visit's score in hundredths, when it counts for the scored level's mean, and
    /// when it counts for the community level's.
    official: Option<i64>,
    community: Option<i64>,
    /// A scored-level visit with a point on a red-line item.
    red_line: bool,
}

/// What scoring met besides the tallies: the problems (any fails the report) and the points
/// left out as inapplicable. One per worker, merged in any order (problems are sorted when
/// they are printed).
#[derive(Debug, Default)]
pub struct ScoreLog {
    problems: Vec<ScoreProblem>,
    ignored: u64,
}

impl ScoreLog {
    /// Take in another worker's log (visits later in the store).
    pub fn merge(&mut self, other: ScoreLog) {
        self.problems.extend(other.problems);
        self.ignored += other.ignored;
    }

    /// Some problem was met: the report fails.
    pub fn has_problems(&self) -> bool {
        !self.problems.is_empty()
    }

    fn problem(&mut self, v: &Visit, message: String) {
        self.problems.push(ScoreProblem {
            file: v.file.clone(),
            line: v.line,
            message,
        });
    }
}

/// The scoring rules of one period at one level, set up once: the compiled visit rule, the
/// required windows of every level. Immutable, so any number of workers share one.
pub struct Scorer<'a> {
    reg: &'a Registry,
    standards: &'a Standards,
    period: Period,
    level: Level,
    windows: [Vec<Period>; 4],
    /// The first and last days of the period and of each window in `windows`: a visit's date
    /// is compared with them, without working out its month for every window.
    period_days: Days,
    window_days: [Vec<Days>; 4],
    rule: Rule<'a>,
    /// Leave out findings on items these standards do not apply, instead of failing.
    pub ignore_inapplicable: bool,
}

fn level_ix(l: Level) -> usize {
    l as usize
}

/// A period's first and last days (inclusive).
#[derive(Debug, Clone, Copy)]
struct Days(NaiveDate, NaiveDate);

impl Days {
    fn of(p: &Period) -> Days {
        Days(p.start(), p.end())
    }

    /// Whether `date` lies in the period, as [`Period::contains`] says.
    fn contain(self, date: NaiveDate) -> bool {
        self.0 <= date && date <= self.1
    }
}

fn window_days(windows: &[Vec<Period>; 4]) -> [Vec<Days>; 4] {
    windows.each_ref().map(|w| w.iter().map(Days::of).collect())
}

impl<'a> Scorer<'a> {
    /// Score `period` at `level` (the standards' scoring level unless asked otherwise).
    pub fn new(reg: &'a Registry, standards: &'a Standards, period: Period, level: Level) -> Scorer<'a> {
        let windows = Level::ALL.map(|l| period.required_windows(standards.cadence.of(l)));
        Scorer {
            reg,
            standards,
            period,
            level,
            period_days: Days::of(&period),
            window_days: window_days(&windows),
            windows,
            rule: Rule::new(standards),
            ignore_inapplicable: false,
        }
    }

    /// As of `day` (DESIGN §14): a required window that has not ended on `day` is not yet
    /// required, as its visit may still come (in a period not over; for a period over on
    /// `day`, every window has ended and nothing changes).
    pub fn as_of(mut self, day: NaiveDate) -> Self {
        for w in &mut self.windows {
            w.retain(|p| p.end() <= day);
        }
        self.window_days = window_days(&self.windows);
        self
    }

    /// The registry whose compounds are scored.
    pub fn registry(&self) -> &'a Registry {
        self.reg
    }

    /// The number of problem categories: the length of each compound's points by category.
    pub fn categories(&self) -> usize {
        self.standards.categories.len()
    }

    /// The period plus every required window: the months whose visits count. Windows either
    /// lie inside the period or contain it, all calendar-aligned, so the union is the longest.
    pub fn span(&self) -> Period {
        std::iter::once(self.period)
            .chain(self.windows.iter().flatten().copied())
            .max_by_key(|p| p.span().months())
            .unwrap_or(self.period)
    }

    /// What visit `v` (upheld appeals applied) adds to its compound, its problem points by
    /// category appended to `points`; `None` when it adds nothing. Problems go to `log`.
    pub fn contribution(&self, v: &Visit, points: &mut Vec<(usize, u64)>, log: &mut ScoreLog) -> Option<Contribution> {
        let li = level_ix(v.level);
        let covered = self.window_days[li]
            .iter()
            .enumerate()
            .filter(|(_, window)| window.contain(v.date))
            .fold(0u32, |bits, (w, _)| bits | (1 << w));
        let in_period = self.period_days.contain(v.date);
        // A visit neither in the period nor in one of its windows is none of this score's
        // business, whatever its faults: a pass that also reads later months (for notices)
        // fails no score on them.
        if covered == 0 && !in_period {
            return None;
        }
        let Some(ci) = v.compound else {
            log.problem(v, format!("unknown compound_id \"{}\"", v.compound_id));
            return None;
        };
        if v.purpose != Purpose::Routine {
            return None;
        }
        let mut c = Contribution {
            compound: ci,
            level: li,
            covered,
            official: None,
            community: None,
            red_line: false,
        };
        // Only the scored level's visits and the community's own (for its gap) need a score;
        // other levels only cover windows. A problem with a community visit just leaves it out
        // of the community's mean; with a scored visit it fails the report.
        let official = v.level == self.level;
        let community = v.level == Level::Community;
        if !in_period || (!official && !community) {
            return (covered != 0).then_some(c);
        }
        let Some(grade) = v.grade else {
            if official {
                log.problem(
                    v,
                    format!(
                        "visit {} to {} on {}: no contract in force that day, so no service grade to score against",
                        v.id, v.compound_id, v.date
                    ),
                );
            }
            return Some(c);
        };
        let start = points.len();
        let scored = self
            .rule
            .score(grade, &v.findings, self.ignore_inapplicable, |cat, count| {
                if official {
                    points.push((cat, count));
                }
            });
        let s = match scored {
            Ok(s) => s,
            Err(m) => {
                points.truncate(start);
                if official {
                    log.problem(v, format!("visit {}: {m}", v.id));
                }
                return Some(c);
            }
        };
        if official {
            c.official = Some(s.hundredths);
            c.red_line = s.red_line;
            log.ignored += s.dropped;
        }
        if community {
            c.community = Some(s.hundredths);
        }
        Some(c)
    }

    /// One compound's result from its tally, its points by category (in the standards'
    /// order) and its community's position. `codes` and `grades` are the standards'
    /// category codes and grade names, shared by the results.
    pub fn result(
        &self,
        c: &Compound,
        tally: &Tally,
        community: Option<usize>,
        points: &[u64],
        codes: &[Arc<str>],
        grades: &[Arc<str>],
    ) -> CompoundResult {
        let st = self.standards;
        let street_id = community
            .map(|k| self.reg.communities[k].street_id.clone())
            .unwrap_or_default();
        let score = tally.mean(OFFICIAL);
        let community_score = tally.mean(COMMUNITY);
        let (grade, verdict, looks) = match score {
            None => (None, Verdict::NotAssessed, None),
            Some(s) => {
                let verdict = if s >= st.pass_mark && !tally.red_line {
                    Verdict::Pass
                } else {
                    Verdict::Fail
                };
                let all = |l: Level| {
                    let n = self.windows[level_ix(l)].len();
                    tally.covered[level_ix(l)] == (1u32 << n) - 1
                };
                let gap_ok = community_score.is_none_or(|cs| cs - s <= st.looks.community_max_gap);
                let looks = Looks {
                    street: all(Level::Street),
                    community: all(Level::Community) && gap_ok,
                    property: verdict == Verdict::Pass,
                };
                let name = st.grade_for(s, tally.red_line);
                let grade = grades
                    .iter()
                    .find(|g| &***g == name)
                    .cloned()
                    .unwrap_or_else(|| name.into());
                (Some(grade), verdict, Some(looks))
            }
        };
        let assessed = score.is_some();
        CompoundResult {
            compound_id: c.id.clone(),
            name: c.name.clone(),
            community_id: c.community_id.clone(),
            street_id,
            visits: tally.counts[OFFICIAL],
            score,
            grade,
            verdict,
            red_line: assessed && tally.red_line,
            problem_points: if assessed { points.iter().sum() } else { 0 },
            categories: if assessed {
                CategoryPoints::of(codes, points)
            } else {
                CategoryPoints::default()
            },
            looks,
            community_score,
        }
    }

    /// Every community and street of the registry, with nothing added yet, for
    /// [`Scorer::report`]. Made before the scan by a run: their 100,000 names are then
    /// allocated in a young heap, not among the results' (where each allocation cost ten
    /// times as much).
    pub fn group_tallies(&self) -> GroupTallies {
        let reg = self.reg;
        GroupTallies {
            street_of: reg.communities.iter().map(|k| reg.street_index(&k.street_id)).collect(),
            communities: reg
                .communities
                .iter()
                .map(|k| GroupTally::new(&k.id, &k.name, Some(&k.street_id)))
                .collect(),
            streets: reg
                .streets
                .iter()
                .map(|s| GroupTally::new(&s.id, &s.name, None))
                .collect(),
        }
    }

    /// The standards' category codes and grade names, as [`Scorer::result`] shares them.
    pub fn shared_names(&self) -> (Vec<Arc<str>>, Vec<Arc<str>>) {
        let st = self.standards;
        (
            st.categories.iter().map(|c| Arc::from(c.code.as_str())).collect(),
            st.grades.iter().map(|g| Arc::from(g.name.as_str())).collect(),
        )
    }

    /// The whole report from the compounds' results in registry order, their tallies'
    /// covered windows and `groups` with every result added
    /// ([`GroupTallies::add`], in registry order, as each result is made); or the problems
    /// `log` met (any problem fails the whole report).
    pub fn report(
        &self,
        compounds: Vec<CompoundResult>,
        covered: Vec<[u32; 4]>,
        groups: GroupTallies,
        log: ScoreLog,
    ) -> Result<ScoreReport, Vec<ScoreProblem>> {
        if log.has_problems() {
            return Err(log.problems);
        }
        let GroupTallies {
            communities, streets, ..
        } = groups;
        let st = self.standards;
        let covered = Covered {
            levels: Level::ALL
                .iter()
                .map(|&l| (l, st.cadence.of(l), self.windows[level_ix(l)].clone()))
                .collect(),
            bits: covered,
        };
        Ok(ScoreReport {
            period: self.period,
            level: self.level,
            compounds,
            communities: communities.into_iter().map(GroupTally::finish).collect(),
            streets: streets.into_iter().map(GroupTally::finish).collect(),
            covered,
            ignored_points: log.ignored,
        })
    }
}

/// The registry's communities and streets, each with its aggregate, and each community's
/// street: [`Scorer::group_tallies`] makes them, [`GroupTallies::add`] adds each result as it
/// is made, [`Scorer::report`] finishes them.
#[derive(Debug)]
pub struct GroupTallies {
    street_of: Vec<Option<usize>>,
    communities: Vec<GroupTally>,
    streets: Vec<GroupTally>,
}

impl GroupTallies {
    /// Add a compound's result to its community's tally (`community`: the community's
    /// position) and its street's.
    pub fn add(&mut self, c: &CompoundResult, community: Option<usize>) {
        let Some(k) = community else { return };
        self.communities[k].add(c);
        if let Some(s) = self.street_of[k] {
            self.streets[s].add(c);
        }
    }
}

/// A community's or street's aggregate, added to compound by compound.
#[derive(Debug)]
struct GroupTally {
    g: GroupResult,
    sum: Decimal,
}

impl GroupTally {
    fn new(id: &str, name: &str, street_id: Option<&str>) -> GroupTally {
        GroupTally {
            g: GroupResult {
                id: id.to_string(),
                name: name.to_string(),
                street_id: street_id.map(String::from),
                compounds: 0,
                assessed: 0,
                passed: 0,
                failed: 0,
                not_assessed: 0,
                score: None,
                looks: LooksCount::default(),
            },
            sum: Decimal::ZERO,
        }
    }

    fn add(&mut self, c: &CompoundResult) {
        let g = &mut self.g;
        g.compounds += 1;
        match c.verdict {
            Verdict::Pass => g.passed += 1,
            Verdict::Fail => g.failed += 1,
            Verdict::NotAssessed => g.not_assessed += 1,
        }
        if let (Some(s), Some(l)) = (c.score, c.looks) {
            g.assessed += 1;
            self.sum += s;
            g.looks.street += u32::from(l.street);
            g.looks.community += u32::from(l.community);
            g.looks.property += u32::from(l.property);
        }
    }

    fn finish(self) -> GroupResult {
        let mut g = self.g;
        g.score = (g.assessed > 0).then(|| round2(self.sum / Decimal::from(g.assessed)));
        g
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::rule::oracle;
    use crate::workspace::parse_standards;
    use rust_decimal_macros::dec;

    /// The compiled rule's score of a visit, checked against the plain statement of the rule.
    fn score_visit(st: &Standards, grade: u8, findings: &[(String, u64)]) -> Result<VisitScore, String> {
        let compiled = Rule::new(st).visit_score(grade, findings, false);
        assert_eq!(compiled, oracle::score_visit(st, grade, findings));
        compiled
    }

    /// Standards with the given `[[items]]` blocks, pass mark 80, grades 90/85/80/0.
    fn standards(items: &str) -> Standards {
        let text = format!(
            r#"effective_from = 2026-01-01
title = "t"
scoring_level = "third_party"
pass_mark = 80
[[grades]]
name = "优秀"
min = 90
[[grades]]
name = "良好"
min = 85
[[grades]]
name = "合格"
min = 80
[[grades]]
name = "不合格"
min = 0
[cadence]
community = "month"
street = "quarter"
district = "half"
third_party = "half"
[[categories]]
code = "K"
name = "k"
{items}
[recheck]
deadline_days = 15
[looks]
community_max_gap = 10
[hotspots]
min_points = 10
"#
        );
        parse_standards(&text, Some("2026-01-01")).unwrap()
    }

    fn item(code: &str, max: &str, deduct: &str, extra: &str) -> String {
        format!("[[items]]\ncode = \"{code}\"\nname = \"{code}\"\ncategory = \"K\"\nmax = {max}\ndeduct = {deduct}\n{extra}\n")
    }

    fn f(code: &str, n: u64) -> (String, u64) {
        (code.to_string(), n)
    }

    /// A period's first and last days hold the same dates as the period: every day of three
    /// years against every period of every span around them.
    #[test]
    fn days_contain_what_the_period_contains() {
        use crate::model::Span;
        let first = crate::model::parse_date("2025-01-01").unwrap();
        let days: Vec<NaiveDate> = first.iter_days().take(3 * 366).collect();
        for span in [Span::Month, Span::Quarter, Span::Half, Span::Year] {
            let mut periods: Vec<Period> = days.iter().map(|&d| Period::containing(d, span)).collect();
            periods.dedup();
            for p in &periods {
                let d = Days::of(p);
                for &day in &days {
                    assert_eq!(d.contain(day), p.contains(day), "{p} {day}");
                }
            }
        }
    }

    #[test]
    fn items_not_applicable_to_the_grade_leave_the_denominator() {
        let st = standards(
            &[
                item("A", "10", "2", ""),
                item("B", "10", "1", "applies_to = [1, 2]"),
                item("C", "20", "1", ""),
            ]
            .concat(),
        );
        // Grade 1: M = 10 + 10 + 20 = 40; D = 2 × 3 = 6; 100 × 34 / 40 = 85.00.
        assert_eq!(score_visit(&st, 1, &[f("A", 3)]).unwrap().score, dec!(85.00));
        // Grade 3: B leaves M = 10 + 20 = 30; D = 6; 100 × 24 / 30 = 80.00.
        assert_eq!(score_visit(&st, 3, &[f("A", 3)]).unwrap().score, dec!(80.00));
        // A finding on B for a grade-3 compound is an error, not a silent zero.
        assert_eq!(
            score_visit(&st, 3, &[f("B", 1)]).unwrap_err(),
            "item B (B) does not apply to service grade 3"
        );
    }

    #[test]
    fn the_deduction_of_an_item_is_capped_at_its_max() {
        let st = standards(&[item("A", "10", "2", ""), item("C", "40", "1", "")].concat());
        // M = 50; A: min(10, 2 × 7 = 14) = 10; C: min(40, 1 × 5) = 5; D = 15; 100 × 35 / 50 = 70.00.
        assert_eq!(score_visit(&st, 1, &[f("A", 7), f("C", 5)]).unwrap().score, dec!(70.00));
    }

    #[test]
    fn a_red_line_point_fails_a_95_point_visit_and_takes_the_last_grade() {
        let st = standards(&[item("R", "10", "5", "red_line = true"), item("C", "90", "1", "")].concat());
        // M = 100; D = 5; score 95.00, but the red line fails it.
        let vs = score_visit(&st, 1, &[f("R", 1)]).unwrap();
        assert_eq!(
            vs,
            VisitScore {
                score: dec!(95.00),
                red_line: true
            }
        );
        assert!(vs.fails(&st));
        assert_eq!(st.grade_for(dec!(95.00), true), "不合格");
        assert_eq!(st.grade_for(dec!(95.00), false), "优秀");
    }

    #[test]
    fn visit_scores_round_half_away_from_zero() {
        let st = standards(&[item("H", "10", "0.5", ""), item("C", "70", "1", "")].concat());
        // M = 80; D = 0.5; 100 × 79.5 / 80 = 99.375 → 99.38.
        assert_eq!(score_visit(&st, 1, &[f("H", 1)]).unwrap().score, dec!(99.38));
        // D = 1.5; 100 × 78.5 / 80 = 98.125 → 98.13 (banker's rounding would give 98.12).
        assert_eq!(score_visit(&st, 1, &[f("H", 3)]).unwrap().score, dec!(98.13));
    }

    #[test]
    fn grades_take_the_first_band_whose_min_is_reached() {
        let st = standards(&item("A", "10", "1", ""));
        assert_eq!(st.grade_for(dec!(90.00), false), "优秀");
        assert_eq!(st.grade_for(dec!(89.99), false), "良好");
        assert_eq!(st.grade_for(dec!(80.00), false), "合格");
        assert_eq!(st.grade_for(dec!(79.99), false), "不合格");
    }

    /// The Decimal division the integer mean replaces.
    fn decimal_mean(sum: i64, count: u32) -> Decimal {
        round2(Decimal::new(sum, 2) / Decimal::from(count))
    }

    /// Equal as the outputs see them: the same digits and the same scale.
    fn same_decimal(a: Decimal, b: Decimal) -> bool {
        a.mantissa() == b.mantissa() && a.scale() == b.scale()
    }

    #[test]
    fn integer_mean_edges() {
        for (sum, count) in [
            (0, 1),
            (9500, 1),
            (9501, 2),
            (9503, 2),
            (1, 200),
            (1, 201),
            (1, 199),
            (10_000, 3),
            (20_000, 3),
            (-1, 2),
            (-9501, 2),
            (i64::MAX, 1),
            (i64::MAX, u32::MAX),
            (i64::MIN, 7),
            (999_999_999_999_999, u32::MAX),
            (999_999_999_999_999, 1),
            (1_000_000_000_000_000, 3),
        ] {
            let (a, b) = (mean_hundredths(sum, count), decimal_mean(sum, count));
            assert!(same_decimal(a, b), "{sum}/{count}: {a} vs {b}");
        }
        // Every mean of a few small tallies.
        for count in 1..=24u32 {
            for sum in 0..=(10_000 * i64::from(count)).min(60_000) {
                let (a, b) = (mean_hundredths(sum, count), decimal_mean(sum, count));
                assert!(same_decimal(a, b), "{sum}/{count}: {a} vs {b}");
            }
        }
    }

    proptest::proptest! {
        /// A compound's category points made from the standards' codes are the list the
        /// pairs collect into: categories with points only, by code, a repeated code's points
        /// added up.
        #[test]
        fn category_points_of_codes_are_the_collected_pairs(pairs in proptest::collection::vec(("[A-D]{1,2}", 0u64..3), 0..6)) {
            let codes: Vec<Arc<str>> = pairs.iter().map(|(c, _)| Arc::from(c.as_str())).collect();
            let points: Vec<u64> = pairs.iter().map(|&(_, p)| p).collect();
            let collected: CategoryPoints = codes.iter().cloned().zip(points.iter().copied()).collect();
            proptest::prop_assert_eq!(CategoryPoints::of(&codes, &points), collected);
        }

        /// The integer mean is the Decimal division's, digits and scale, for realistic tallies
        /// (scores of at most 100.00) and any sum the fast path takes.
        #[test]
        fn integer_mean_is_decimal_mean(count in 1u32..=u32::MAX, per in 0i64..=10_000, sum in 0i64..1_000_000_000_000_000, small in 1u32..1000, any in proptest::num::i64::ANY) {
            for (s, c) in [(per * i64::from(count), count), (per * i64::from(small) - 7, small), (sum, count), (sum, small), (sum % 1_000_000, small), (sum % 3, small), (any, count)] {
                let (a, b) = (mean_hundredths(s, c), decimal_mean(s, c));
                proptest::prop_assert!(same_decimal(a, b), "{}/{}: {} vs {}", s, c, a, b);
            }
        }
    }

    proptest::proptest! {
        /// A compound's tally does not depend on the order its visits are added in (the
        /// engine adds them in whatever order its threads deliver them).
        #[test]
        fn a_tally_adds_in_any_order(
            visits in proptest::collection::vec(
                (0usize..4, 0u32..16, proptest::option::of(0i64..10_001), proptest::option::of(0i64..10_001), proptest::bool::ANY,
                 proptest::collection::vec((0usize..3, 1u64..20), 0..4)),
                0..12,
            ),
            rotate in 0usize..12,
        ) {
            let contributions: Vec<(Contribution, Vec<(usize, u64)>)> = visits
                .into_iter()
                .map(|(level, covered, official, community, red_line, points)| {
                    (Contribution { compound: 0, level, covered, official, community, red_line }, points)
                })
                .collect();
            let tally_of = |order: &[(Contribution, Vec<(usize, u64)>)]| {
                let (mut t, mut cats) = (Tally::default(), [0u64; 3]);
                for (c, points) in order {
                    t.add(&mut cats, c, points);
                }
                (t, cats)
            };
            let forward = tally_of(&contributions);
            let mut reversed = contributions.clone();
            reversed.reverse();
            let mut rotated = contributions.clone();
            if !rotated.is_empty() {
                let k = rotate % rotated.len();
                rotated.rotate_left(k);
            }
            proptest::prop_assert_eq!(&forward, &tally_of(&reversed));
            proptest::prop_assert_eq!(&forward, &tally_of(&rotated));
        }
    }
}
