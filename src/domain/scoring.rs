//! Scoring (DESIGN §6): visit scores, compound scores, grades, verdicts, red lines, problem
//! points, the three looks (三看三到位), coverage (全覆盖), and community and street aggregates.
//!
//! [`Scorer`] takes visits one at a time (the store is streamed through it) and keeps only
//! per-compound accumulators, so memory grows with compounds, not with rows.

use std::sync::atomic::Ordering::Relaxed;
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU32, AtomicU64};
use std::sync::Arc;

use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::registry::{Compound, Registry};
use crate::model::standards::Standards;
use crate::model::{Level, Period, Purpose};

use super::rule::Rule;
use super::visit::{Accumulate, Visit};

/// A compound's verdict for the period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    Pass,
    Fail,
    NotAssessed,
}

impl Verdict {
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
    pub score: Decimal,
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
    pub street: bool,
    pub community: bool,
    pub property: bool,
}

/// One compound's result for the period.
#[derive(Debug, Clone)]
pub struct CompoundResult {
    pub compound_id: Arc<str>,
    pub name: Arc<str>,
    pub community_id: Arc<str>,
    pub street_id: Arc<str>,
    /// Routine visits of the scored level in the period.
    pub visits: u32,
    pub score: Option<Decimal>,
    pub grade: Option<Arc<str>>,
    pub verdict: Verdict,
    pub red_line: bool,
    pub problem_points: u64,
    /// Points by category code, categories with points only, by code.
    pub categories: CategoryPoints,
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

    pub fn iter(&self) -> impl Iterator<Item = (&str, u64)> {
        self.0.iter().map(|(c, n)| (&**c, *n))
    }
}

impl FromIterator<(Arc<str>, u64)> for CategoryPoints {
    fn from_iter<I: IntoIterator<Item = (Arc<str>, u64)>>(iter: I) -> Self {
        let mut v: Vec<(Arc<str>, u64)> = iter.into_iter().filter(|(_, n)| *n > 0).collect();
        v.sort_by(|a, b| a.0.cmp(&b.0));
        v.dedup_by(|a, b| {
            let same = a.0 == b.0;
            if same {
                b.1 += a.1;
            }
            same
        });
        CategoryPoints(v.into_boxed_slice())
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
    pub id: String,
    pub name: String,
    /// For a community, its street.
    pub street_id: Option<String>,
    pub compounds: u32,
    pub assessed: u32,
    pub passed: u32,
    pub failed: u32,
    pub not_assessed: u32,
    pub score: Option<Decimal>,
    /// Assessed compounds with each look in place.
    pub looks: LooksCount,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LooksCount {
    pub street: u32,
    pub community: u32,
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
    pub window: Period,
    /// Compound ids, in registry order (shared with the registry: at national scale a level
    /// nobody visited lists every compound in every window).
    pub missing: Vec<Arc<str>>,
}

/// Coverage of one level over the period.
#[derive(Debug, Clone)]
pub struct LevelCoverage {
    pub level: Level,
    pub cadence: crate::model::Span,
    pub windows: Vec<WindowGap>,
}

/// Everything `score` and `inspect coverage` report.
#[derive(Debug, Clone)]
pub struct ScoreReport {
    pub period: Period,
    pub level: Level,
    pub compounds: Vec<CompoundResult>,
    pub communities: Vec<GroupResult>,
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
    pub file: String,
    pub line: u64,
    pub message: String,
}

/// One compound's tally, as read once the scan is done. Scores are summed in hundredths: visit
/// scores have two decimals, so the sums are exact integers and the mean is one decimal
/// division at the end.
#[derive(Debug, Clone, Copy, Default)]
struct Acc {
    /// Score sums and visit counts: [0] the scored level, [1] the community level.
    sums: [i64; 2],
    counts: [u32; 2],
    /// Bit w set: a routine visit of the level lies in its required window w.
    covered: [u32; 4],
    red_line: bool,
}

const OFFICIAL: usize = 0;
const COMMUNITY: usize = 1;

/// One compound's tally while the scan runs. The scanning threads share one table of these
/// (not a copy each: at national scale that is 30 MB per thread) and only add, or and count,
/// which give the same result in any order, so the report does not depend on the threads.
#[derive(Debug, Default)]
struct Tally {
    sums: [AtomicI64; 2],
    counts: [AtomicU32; 2],
    covered: [AtomicU32; 4],
    red_line: AtomicBool,
}

impl Tally {
    fn get(&self) -> Acc {
        Acc {
            sums: self.sums.each_ref().map(|a| a.load(Relaxed)),
            counts: self.counts.each_ref().map(|a| a.load(Relaxed)),
            covered: self.covered.each_ref().map(|a| a.load(Relaxed)),
            red_line: self.red_line.load(Relaxed),
        }
    }
}

/// Every compound's tally and points by category of the scored level's visits: compound i's
/// are `categories[i * n..(i + 1) * n]`, n the number of categories (one allocation, not one
/// per compound).
#[derive(Debug)]
struct Tallies {
    acc: Vec<Tally>,
    categories: Vec<AtomicU64>,
}

/// Streams visits into per-compound accumulators. Feed every visit that may matter (those in
/// the months of [`Scorer::span`]); others are ignored.
pub struct Scorer<'a> {
    reg: &'a Registry,
    standards: &'a Standards,
    period: Period,
    level: Level,
    windows: [Vec<Period>; 4],
    items: Rule<'a>,
    /// Shared by the copies [`Accumulate::fork`] makes.
    tallies: Arc<Tallies>,
    problems: Vec<ScoreProblem>,
    /// Leave out findings on items these standards do not apply, instead of failing.
    pub ignore_inapplicable: bool,
    /// Threads for [`Scorer::finish`] (the results do not depend on them).
    pub threads: usize,
    ignored: u64,
}

fn level_ix(l: Level) -> usize {
    l as usize
}

impl Acc {
    /// The mean score of slot `k`, when it has visits.
    fn mean(&self, k: usize) -> Option<Decimal> {
        (self.counts[k] > 0).then(|| round2(Decimal::new(self.sums[k], 2) / Decimal::from(self.counts[k])))
    }
}

impl Accumulate for Scorer<'_> {
    fn add(&mut self, v: &Visit) {
        Scorer::add(self, v);
    }

    /// Start fetching the compound's tally and category points, so that their cache misses
    /// overlap with reading the next visit instead of stalling [`Scorer::add`].
    fn opened(&mut self, v: &Visit) {
        let Some(ci) = v.compound else { return };
        if let Some(t) = self.tallies.acc.get(ci) {
            // A tally may straddle two cache lines.
            crate::hint::prefetch(&t.sums);
            crate::hint::prefetch(&t.red_line);
        }
        let n = self.standards.categories.len();
        if let Some(p) = self.tallies.categories.get(ci * n) {
            crate::hint::prefetch(p);
        }
    }

    fn fork(&self) -> Self {
        Scorer {
            reg: self.reg,
            standards: self.standards,
            period: self.period,
            level: self.level,
            windows: self.windows.clone(),
            items: Rule::new(self.standards),
            tallies: Arc::clone(&self.tallies),
            problems: Vec::new(),
            ignore_inapplicable: self.ignore_inapplicable,
            threads: self.threads,
            ignored: 0,
        }
    }

    fn merge(&mut self, other: Self) {
        // The tallies are shared: only what each copy kept to itself is merged.
        self.problems.extend(other.problems);
        self.ignored += other.ignored;
    }
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
            windows,
            items: Rule::new(standards),
            tallies: Arc::new(Tallies {
                acc: (0..reg.compounds.len()).map(|_| Tally::default()).collect(),
                categories: (0..reg.compounds.len() * standards.categories.len())
                    .map(|_| AtomicU64::new(0))
                    .collect(),
            }),
            problems: Vec::new(),
            ignore_inapplicable: false,
            threads: 1,
            ignored: 0,
        }
    }

    /// The period plus every required window: the months whose visits count. Windows either
    /// lie inside the period or contain it, all calendar-aligned, so the union is the longest.
    pub fn span(&self) -> Period {
        std::iter::once(self.period)
            .chain(self.windows.iter().flatten().copied())
            .max_by_key(|p| p.span().months())
            .unwrap_or(self.period)
    }

    /// Take one visit (upheld appeals already applied).
    pub fn add(&mut self, v: &Visit) {
        let Some(ci) = v.compound else {
            self.problem(v, format!("unknown compound_id \"{}\"", v.compound_id));
            return;
        };
        if v.purpose != Purpose::Routine {
            return;
        }
        let li = level_ix(v.level);
        for (w, window) in self.windows[li].iter().enumerate() {
            if window.contains(v.date) {
                self.tallies.acc[ci].covered[li].fetch_or(1 << w, Relaxed);
            }
        }
        if !self.period.contains(v.date) {
            return;
        }
        // Only the scored level's visits and the community's own (for its gap) need a score;
        // other levels only cover windows. A problem with a community visit just leaves it out
        // of the community's mean; with a scored visit it fails the report.
        let official = v.level == self.level;
        let community = v.level == Level::Community;
        if !official && !community {
            return;
        }
        let Some(grade) = v.grade else {
            if official {
                self.problem(
                    v,
                    format!(
                        "visit {} to {} on {}: no contract in force that day, so no service grade to score against",
                        v.id, v.compound_id, v.date
                    ),
                );
            }
            return;
        };
        // Points by category go straight into the compound's tally, for the scored level's
        // visits only. (If such a visit cannot be scored, the whole report fails, so points
        // counted before the problem was found never reach a report.)
        let n = self.standards.categories.len();
        let points = self.tallies.categories.get(ci * n..(ci + 1) * n).unwrap_or_default();
        let scored = self
            .items
            .score(grade, &v.findings, self.ignore_inapplicable, |cat, count| {
                if let (true, Some(p)) = (official, points.get(cat)) {
                    p.fetch_add(count, Relaxed);
                }
            });
        let s = match scored {
            Ok(s) => s,
            Err(m) => {
                if official {
                    self.problem(v, format!("visit {}: {m}", v.id));
                }
                return;
            }
        };
        let acc = &self.tallies.acc[ci];
        for (slot, yes) in [(OFFICIAL, official), (COMMUNITY, community)] {
            if yes {
                acc.sums[slot].fetch_add(s.hundredths, Relaxed);
                acc.counts[slot].fetch_add(1, Relaxed);
            }
        }
        if official {
            self.ignored += s.dropped;
            if s.red_line {
                acc.red_line.store(true, Relaxed);
            }
        }
    }

    /// One compound's result from its tally, its category points (in the standards' order)
    /// and its community's position.
    fn result(
        &self,
        c: &Compound,
        acc: Acc,
        community: Option<usize>,
        points: &[u64],
        codes: &[Arc<str>],
        grades: &[Arc<str>],
    ) -> CompoundResult {
        let st = self.standards;
        let street_id = community
            .map(|k| self.reg.communities[k].street_id.clone())
            .unwrap_or_default();
        let score = acc.mean(OFFICIAL);
        let community_score = acc.mean(COMMUNITY);
        let (grade, verdict, looks) = match score {
            None => (None, Verdict::NotAssessed, None),
            Some(s) => {
                let verdict = if s >= st.pass_mark && !acc.red_line {
                    Verdict::Pass
                } else {
                    Verdict::Fail
                };
                let all = |l: Level| {
                    let n = self.windows[level_ix(l)].len();
                    acc.covered[level_ix(l)] == (1u32 << n) - 1
                };
                let gap_ok = community_score.is_none_or(|cs| cs - s <= st.looks.community_max_gap);
                let looks = Looks {
                    street: all(Level::Street),
                    community: all(Level::Community) && gap_ok,
                    property: verdict == Verdict::Pass,
                };
                let name = st.grade_for(s, acc.red_line);
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
            visits: acc.counts[OFFICIAL],
            score,
            grade,
            verdict,
            red_line: assessed && acc.red_line,
            problem_points: if assessed { points.iter().sum() } else { 0 },
            categories: if assessed {
                codes.iter().cloned().zip(points.iter().copied()).collect()
            } else {
                CategoryPoints::default()
            },
            looks,
            community_score,
        }
    }

    fn problem(&mut self, v: &Visit, message: String) {
        self.problems.push(ScoreProblem {
            file: v.file.clone(),
            line: v.line,
            message,
        });
    }

    /// Finish: the report, or the problems met (any problem fails the whole report).
    pub fn finish(self) -> Result<ScoreReport, Vec<ScoreProblem>> {
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        let st = self.standards;
        let reg = self.reg;
        // Each compound's result, its community's position for the groups, and the windows
        // it had covered; computed in chunks on every core and kept in registry order.
        let n = reg.compounds.len().min(self.tallies.acc.len());
        let mut compounds = Vec::with_capacity(n);
        let mut community_of = Vec::with_capacity(n);
        let mut covered = Vec::with_capacity(n);
        let chunk = |range: std::ops::Range<usize>| {
            // Each chunk shares its own copies of the codes and grade names: results built on
            // two threads do not bump the same reference counts.
            let codes: Vec<Arc<str>> = st.categories.iter().map(|c| Arc::from(c.code.as_str())).collect();
            let grades: Vec<Arc<str>> = st.grades.iter().map(|g| Arc::from(g.name.as_str())).collect();
            let m = st.categories.len();
            let mut points: Vec<u64> = Vec::with_capacity(m);
            range
                .map(|i| {
                    let (c, tally) = (&reg.compounds[i], self.tallies.acc[i].get());
                    let k = reg.community_index(&c.community_id);
                    points.clear();
                    points.extend(
                        self.tallies
                            .categories
                            .get(i * m..(i + 1) * m)
                            .unwrap_or_default()
                            .iter()
                            .map(|p| p.load(Relaxed)),
                    );
                    (self.result(c, tally, k, &points, &codes, &grades), k, tally.covered)
                })
                .collect()
        };
        crate::par::in_order(n, self.threads, chunk, |(c, k, bits)| {
            compounds.push(c);
            community_of.push(k);
            covered.push(bits);
        });
        // Each community and street, tallied in one pass over the compounds.
        let street_of: Vec<Option<usize>> = reg.communities.iter().map(|k| reg.street_index(&k.street_id)).collect();
        let mut communities: Vec<GroupTally> = reg
            .communities
            .iter()
            .map(|k| GroupTally::new(&k.id, &k.name, Some(&k.street_id)))
            .collect();
        let mut streets: Vec<GroupTally> = reg
            .streets
            .iter()
            .map(|s| GroupTally::new(&s.id, &s.name, None))
            .collect();
        for (c, k) in compounds.iter().zip(&community_of) {
            let Some(k) = *k else { continue };
            communities[k].add(c);
            if let Some(s) = street_of[k] {
                streets[s].add(c);
            }
        }
        let communities = communities.into_iter().map(GroupTally::finish).collect();
        let streets = streets.into_iter().map(GroupTally::finish).collect();
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
            communities,
            streets,
            covered,
            ignored_points: self.ignored,
        })
    }
}

/// A community's or street's aggregate, added to compound by compound.
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
}
