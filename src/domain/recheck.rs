//! Rectification notices, re-inspections and the one-vote veto (DESIGN §7).
//!
//! [`NoticeBook`] is fed every visit from the period's first day to the end of the store: it
//! keeps the failing official routine visits of the period (the notices) and the re-inspection
//! visits, and then matches each notice with its re-inspection.

use std::collections::BTreeMap;

use chrono::{Datelike, Days, NaiveDate};
use rust_decimal::Decimal;

use crate::model::registry::{Positions, Registry};
use crate::model::standards::{Category, Item, Standards};
use crate::model::{Level, Period, Purpose};

use super::rule::Rule;
use super::scoring::{ScoreProblem, VisitScore};
use super::visit::{Accumulate, Visit};

/// What became of a notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Outcome {
    /// Re-inspected and passed.
    Rectified,
    /// Re-inspected and failed again: the community is vetoed for the year.
    Failed,
    /// Not re-inspected yet, and the deadline has not passed.
    Pending,
    /// Not re-inspected, and the deadline has passed.
    Overdue,
}

impl Outcome {
    /// The word used in CSV and JSON reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::Rectified => "rectified",
            Outcome::Failed => "failed",
            Outcome::Pending => "pending",
            Outcome::Overdue => "overdue",
        }
    }

    /// What the notice comes to for the compound's subsidy (DESIGN §9).
    pub fn settled(self) -> Settled {
        match self {
            Outcome::Failed => Settled::RecheckFailed,
            Outcome::Pending | Outcome::Overdue => Settled::Unresolved,
            Outcome::Rectified => Settled::Rectified,
        }
    }
}

/// What a failing compound's notices come to for its subsidy (DESIGN §9), the worst first: a
/// compound with several notices is settled by its worst.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Settled {
    /// A re-inspection failed.
    RecheckFailed,
    /// A notice is pending or overdue.
    Unresolved,
    /// Every notice was rectified.
    Rectified,
}

impl Settled {
    /// The outcome key of the funds file's coefficients.
    pub fn key(self) -> &'static str {
        match self {
            Settled::RecheckFailed => "recheck_failed",
            Settled::Unresolved => "unresolved",
            Settled::Rectified => "rectified",
        }
    }
}

/// The worst outcome of each registered compound's notices, by registry position: all a
/// subsidy asks of the notices (`standards diff` allocates both sides at national scale and
/// tells no notice, so it need not build them).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WorstOutcomes(Vec<Option<Settled>>);

impl WorstOutcomes {
    /// No notice yet, for a registry of `compounds`.
    pub fn new(compounds: usize) -> WorstOutcomes {
        WorstOutcomes(vec![None; compounds])
    }

    /// The worst outcomes of `notices`; a notice on a compound the registry does not know is
    /// left out.
    pub fn of_notices(reg: &Registry, notices: &[Notice]) -> WorstOutcomes {
        let mut worst = WorstOutcomes::new(reg.compounds.len());
        let mut at = Positions::new(reg);
        for n in notices {
            worst.note(at.of(&n.compound_id), n.outcome);
        }
        worst
    }

    /// Count a notice of the compound at `at` (none: unregistered, left out).
    fn note(&mut self, at: Option<usize>, outcome: Outcome) {
        if let Some(slot) = at.and_then(|i| self.0.get_mut(i)) {
            let settled = outcome.settled();
            *slot = Some(slot.map_or(settled, |w| w.min(settled)));
        }
    }

    /// The worst outcome of the notices of the compound at `index` in the registry, if any.
    pub fn of(&self, index: usize) -> Option<Settled> {
        self.0.get(index).copied().flatten()
    }
}

/// An item that cost points on the failing visit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NoticeItem {
    /// The item's code in the standards.
    pub code: String,
    /// The item's name in the standards.
    pub name: String,
    /// Problem points found (appeals applied).
    pub count: u64,
    /// Points it cost: count × deduct, at most the item's max.
    pub deduction: Decimal,
    /// Whether it is a red-line item.
    pub red_line: bool,
}

/// The re-inspection of a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recheck {
    /// The re-inspection visit.
    pub visit_id: String,
    /// Its day.
    pub date: NaiveDate,
    /// Who re-inspected.
    pub level: Level,
    /// Its visit score.
    pub score: Decimal,
    /// Whether it crossed a red line.
    pub red_line: bool,
    /// Dated after the deadline.
    pub late: bool,
}

/// A rectification notice (限期整改通知).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// `N-` and the failing visit's id.
    pub notice_id: String,
    /// The failing visit.
    pub visit_id: String,
    /// The compound to rectify.
    pub compound_id: String,
    /// Its community (empty if unregistered).
    pub community_id: String,
    /// Its street (empty if unregistered).
    pub street_id: String,
    /// The day of the failing visit.
    pub date: NaiveDate,
    /// Who inspected on the failing visit.
    pub level: Level,
    /// The inspecting team of the failing visit, as recorded.
    pub team: String,
    /// The day the re-inspection is due by.
    pub deadline: NaiveDate,
    /// The failing visit's score.
    pub score: Decimal,
    /// Whether the failing visit crossed a red line.
    pub red_line: bool,
    /// The company under contract on the failing visit's day (empty if none).
    pub company_id: String,
    /// The items that cost points.
    pub items: Vec<NoticeItem>,
    /// The re-inspection, once there is one.
    pub recheck: Option<Recheck>,
    /// What became of the notice as of the report's date.
    pub outcome: Outcome,
}

/// Whether a vetoed community loses a title it holds or is barred from one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum VetoEffect {
    /// The community held a title on the failed re-inspection's day, and loses it.
    Revoked,
    /// The community held no title, and may not be awarded one that year.
    Ineligible,
}

impl VetoEffect {
    /// The word used in CSV and JSON reports.
    pub fn as_str(self) -> &'static str {
        match self {
            VetoEffect::Revoked => "revoked",
            VetoEffect::Ineligible => "ineligible",
        }
    }
}

/// A one-vote veto (一票否决) of a community's 美丽社区 for a year.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Veto {
    /// The vetoed community.
    pub community_id: String,
    /// The year of the failed re-inspection.
    pub year: i32,
    /// Whether a title is revoked or barred.
    pub effect: VetoEffect,
    /// The failed notices that caused it, by id.
    pub notices: Vec<String>,
}

/// Notices and vetoes of a period as of a date.
#[derive(Debug, Clone)]
pub struct RecheckReport {
    /// The period whose notices these are.
    pub period: Period,
    /// The day outcomes were decided on (pending or overdue).
    pub as_of: NaiveDate,
    /// The notices, by date then id.
    pub notices: Vec<Notice>,
    /// The vetoes, by community then year.
    pub vetoes: Vec<Veto>,
}

/// The re-inspection visits from a period's first day, by compound id.
pub type Rechecks = BTreeMap<String, Vec<Visit>>;

/// Collects notices and re-inspections from a stream of visits.
pub struct NoticeBook<'a> {
    reg: &'a Registry,
    standards: &'a Standards,
    rule: Rule<'a>,
    period: Period,
    notices: Vec<(Visit, VisitScore)>,
    rechecks: Rechecks,
    problems: Vec<ScoreProblem>,
    /// Leave out findings on items these standards do not apply, instead of failing.
    pub ignore_inapplicable: bool,
}

impl Accumulate for NoticeBook<'_> {
    fn add(&mut self, v: &Visit) {
        NoticeBook::add(self, v);
    }

    fn fork(&self) -> Self {
        let mut b = NoticeBook::new(self.reg, self.standards, self.period);
        b.ignore_inapplicable = self.ignore_inapplicable;
        b
    }

    fn merge(&mut self, other: Self) {
        self.notices.extend(other.notices);
        for (k, list) in other.rechecks {
            self.rechecks.entry(k).or_default().extend(list);
        }
        self.problems.extend(other.problems);
    }
}

impl<'a> NoticeBook<'a> {
    /// An empty book for a period's notices under these standards.
    pub fn new(reg: &'a Registry, standards: &'a Standards, period: Period) -> NoticeBook<'a> {
        NoticeBook {
            reg,
            standards,
            rule: Rule::new(standards),
            period,
            notices: Vec::new(),
            rechecks: BTreeMap::new(),
            problems: Vec::new(),
            ignore_inapplicable: false,
        }
    }

    /// The first day whose visits matter; visits from then to the end of the store count.
    pub fn first_day(&self) -> NaiveDate {
        self.period.start()
    }

    /// The visit's service grade, resolved by the scan (the contract in force that day).
    fn grade_on(v: &Visit) -> Result<u8, ScoreProblem> {
        v.grade.ok_or_else(|| ScoreProblem {
            file: v.file.clone(),
            line: v.line,
            message: format!(
                "visit {} to {} on {}: no contract in force that day, so no service grade to score against",
                v.id, v.compound_id, v.date
            ),
        })
    }

    /// The visit's score; none when it could not be scored (the problem is recorded).
    fn score(&mut self, v: &Visit) -> Option<VisitScore> {
        self.score_of(v).map_err(|p| self.problems.push(p)).ok()
    }

    /// The visit's score, or the problem that keeps it from being scored.
    fn score_of(&self, v: &Visit) -> Result<VisitScore, ScoreProblem> {
        let grade = Self::grade_on(v)?;
        self.rule
            .visit_score(grade, &v.findings, self.ignore_inapplicable)
            .map_err(|m| ScoreProblem {
                file: v.file.clone(),
                line: v.line,
                message: format!("visit {}: {m}", v.id),
            })
    }

    /// Take one visit (upheld appeals applied).
    pub fn add(&mut self, v: &Visit) {
        if v.purpose == Purpose::Recheck {
            if v.date > self.period.start() {
                self.rechecks.entry(v.compound_id.clone()).or_default().push(v.clone());
            }
            return;
        }
        if !self.scores(v) {
            return;
        }
        if let Some(s) = self.score(v) {
            self.keep_if_failing(v, s);
        }
    }

    /// Whether a routine visit can bring a notice here: of the scoring level, in the period.
    fn scores(&self, v: &Visit) -> bool {
        v.level == self.standards.scoring_level && self.period.contains(v.date)
    }

    /// Keep the routine visit `v`, scored `s`, as a notice if it fails these standards.
    fn keep_if_failing(&mut self, v: &Visit, s: VisitScore) {
        if s.fails(self.standards) {
            self.notices.push((v.clone(), s));
        }
    }

    /// Match notices with re-inspections and decide outcomes and vetoes as of `as_of`.
    pub fn finish(mut self, as_of: NaiveDate) -> Result<RecheckReport, Vec<ScoreProblem>> {
        let notices = std::mem::take(&mut self.notices);
        let rechecks = std::mem::take(&mut self.rechecks);
        let mut out = Vec::with_capacity(notices.len());
        for (v, s) in notices {
            if let Some(n) = self.notice(v, s, as_of, &rechecks) {
                out.push(n);
            }
        }
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        out.sort_by(|a, b| (a.date, &a.notice_id).cmp(&(b.date, &b.notice_id)));
        let vetoes = vetoes(self.reg, &out);
        Ok(RecheckReport {
            period: self.period,
            as_of,
            notices: out,
            vetoes,
        })
    }

    /// What [`NoticeBook::finish`]'s notices give [`WorstOutcomes::of_notices`], and its
    /// problems, without the notices (their items, places, companies and vetoes); the notices'
    /// re-inspections are looked for in `rechecks` (a book of [`NoticeBooks`], which keeps them
    /// once for both sides).
    pub fn finish_worst_with(
        mut self,
        as_of: NaiveDate,
        rechecks: &Rechecks,
    ) -> Result<WorstOutcomes, Vec<ScoreProblem>> {
        let notices = std::mem::take(&mut self.notices);
        let mut worst = WorstOutcomes::new(self.reg.compounds.len());
        for (v, _) in &notices {
            if let Some(settled) = self.settle(v, as_of, rechecks) {
                worst.note(self.position(v), settled.outcome);
            }
        }
        if !self.problems.is_empty() {
            return Err(self.problems);
        }
        Ok(worst)
    }

    /// The notice of a failing visit `v` scored `s`, with its re-inspection and outcome as of
    /// `as_of`; none when the re-inspection could not be scored (the problem is recorded and
    /// `finish` reports it).
    fn notice(&mut self, v: Visit, s: VisitScore, as_of: NaiveDate, rechecks: &Rechecks) -> Option<Notice> {
        let Settlement {
            deadline,
            recheck,
            outcome,
        } = self.settle(&v, as_of, rechecks)?;
        let at = self.position(&v);
        let (community_id, street_id) = self.place_of(at);
        Some(Notice {
            notice_id: format!("N-{}", v.id),
            company_id: self.company_on(at, v.date),
            items: self.notice_items(&v),
            visit_id: v.id.clone(),
            compound_id: v.compound_id.clone(),
            community_id,
            street_id,
            date: v.date,
            level: v.level,
            team: v.team.clone(),
            deadline,
            score: s.score,
            red_line: s.red_line,
            recheck: recheck.map(|((visit_id, date, level), rs)| Recheck {
                late: date > deadline,
                visit_id,
                date,
                level,
                score: rs.score,
                red_line: rs.red_line,
            }),
            outcome,
        })
    }

    /// The deadline, re-inspection and outcome as of `as_of` of the notice of the failing visit
    /// `v`; none when the re-inspection could not be scored (the problem is recorded).
    fn settle(&mut self, v: &Visit, as_of: NaiveDate, rechecks: &Rechecks) -> Option<Settlement> {
        let deadline = v
            .date
            .checked_add_days(Days::new(u64::from(self.standards.recheck.deadline_days)))
            .unwrap_or(NaiveDate::MAX);
        // The re-inspection is scored where it lies (not copied): only its id is kept.
        let recheck = match first_recheck(rechecks, v).map(|r| (r, self.score_of(r))) {
            None => None,
            Some((r, Ok(rs))) => Some(((r.id.clone(), r.date, r.level), rs)),
            Some((_, Err(p))) => {
                self.problems.push(p);
                return None;
            }
        };
        let outcome = match &recheck {
            Some((_, rs)) if rs.fails(self.standards) => Outcome::Failed,
            Some(_) => Outcome::Rectified,
            None if as_of <= deadline => Outcome::Pending,
            None => Outcome::Overdue,
        };
        Some(Settlement {
            deadline,
            recheck,
            outcome,
        })
    }

    /// The registry position of the visit's compound (the scan's, else looked up), if
    /// registered.
    fn position(&self, v: &Visit) -> Option<usize> {
        self.reg.compound_index_from(v.compound, &v.compound_id)
    }

    /// The community and street of the compound at `at` in the registry, empty when the
    /// registry does not know it.
    fn place_of(&self, at: Option<usize>) -> (String, String) {
        let compound = at.and_then(|i| self.reg.compounds.get(i));
        let community_id = compound.map(|c| c.community_id.clone()).unwrap_or_default();
        let street_id = compound
            .and_then(|c| self.reg.street_of_compound(c))
            .map(|s| s.id.clone())
            .unwrap_or_default();
        (community_id.to_string(), street_id)
    }

    /// The company under contract at the compound at `at` on `date`, empty when none was.
    fn company_on(&self, at: Option<usize>, date: NaiveDate) -> String {
        let company_id = at
            .and_then(|i| self.reg.contract_on_ix(i, date))
            .map(|c| c.company_id.clone())
            .unwrap_or_default();
        company_id.to_string()
    }

    /// The items that cost the visit points, with what each cost.
    fn notice_items(&self, v: &Visit) -> Vec<NoticeItem> {
        v.findings
            .iter()
            .filter(|(_, n)| *n > 0)
            .filter_map(|(code, n)| {
                let item = self.standards.item(code)?;
                Some(NoticeItem {
                    code: code.clone(),
                    name: item.name.clone(),
                    count: *n,
                    deduction: self.rule.deduction(code, *n)?,
                    red_line: item.red_line,
                })
            })
            .collect()
    }
}

/// Two books over the same period and registry fed the same visits (`standards diff`, one per
/// side): the re-inspections, the same for both, are kept once (by the first), and a routine
/// visit is scored once when both standards score it alike (the same items, the same scoring
/// level), each book then keeping it if it fails under its own pass mark.
pub struct NoticeBooks<'a> {
    books: [NoticeBook<'a>; 2],
    alike: bool,
}

impl Accumulate for NoticeBooks<'_> {
    fn add(&mut self, v: &Visit) {
        let [first, second] = &mut self.books;
        if v.purpose == Purpose::Recheck || !self.alike {
            first.add(v);
            if v.purpose != Purpose::Recheck {
                second.add(v);
            }
            return;
        }
        // (Alike: the same scoring level, so the second book scores what the first does.)
        if !first.scores(v) {
            return;
        }
        match first.score_of(v) {
            Ok(s) => {
                first.keep_if_failing(v, s);
                second.keep_if_failing(v, s);
            }
            Err(p) => {
                second.problems.push(p.clone());
                first.problems.push(p);
            }
        }
    }

    fn fork(&self) -> Self {
        NoticeBooks {
            books: [self.books[0].fork(), self.books[1].fork()],
            alike: self.alike,
        }
    }

    fn merge(&mut self, other: Self) {
        let [a, b] = other.books;
        self.books[0].merge(a);
        self.books[1].merge(b);
    }
}

impl<'a> NoticeBooks<'a> {
    /// A book of a period's notices under each of two standards; with `ignore_inapplicable`,
    /// each leaves out findings on items its standards do not apply.
    pub fn new(
        reg: &'a Registry,
        standards: [&'a Standards; 2],
        period: Period,
        ignore_inapplicable: bool,
    ) -> NoticeBooks<'a> {
        let books = standards.map(|st| {
            let mut book = NoticeBook::new(reg, st, period);
            book.ignore_inapplicable = ignore_inapplicable;
            book
        });
        let [a, b] = standards;
        let alike = a.scoring_level == b.scoring_level && items_alike(a, b);
        NoticeBooks { books, alike }
    }

    /// The first day whose visits matter: both books' period's first.
    pub fn first_day(&self) -> NaiveDate {
        self.books[0].first_day()
    }

    /// The books, each to be finished with [`NoticeBook::finish_worst_with`] the
    /// re-inspections given with them.
    pub fn into_books(mut self) -> (Rechecks, [NoticeBook<'a>; 2]) {
        let rechecks = std::mem::take(&mut self.books[0].rechecks);
        (rechecks, self.books)
    }
}

/// Whether two standards give every visit the same score and red line: the same items (code,
/// name, category, max and deduct to the decimal, red line, grades) in the same order, in the
/// same categories. The pass mark, grades, cadence and the rest may differ.
fn items_alike(a: &Standards, b: &Standards) -> bool {
    let same = |x: Decimal, y: Decimal| x == y && x.scale() == y.scale();
    // Every field named, so one added to `Item` or `Category` must be decided on here.
    let items = a.items.len() == b.items.len()
        && a.items.iter().zip(&b.items).all(|(x, y)| {
            let Item {
                code,
                name,
                category,
                max,
                deduct,
                red_line,
                applies_to,
            } = x;
            *code == y.code
                && *name == y.name
                && *category == y.category
                && same(*max, y.max)
                && same(*deduct, y.deduct)
                && *red_line == y.red_line
                && *applies_to == y.applies_to
        });
    // (A category's name is printed, never scored.)
    let categories = a.categories.len() == b.categories.len()
        && a.categories.iter().zip(&b.categories).all(|(x, y)| {
            let Category { code, name: _ } = x;
            *code == y.code
        });
    items && categories
}

/// The re-inspection of a notice on the failing visit `v`: the compound's first re-inspection
/// visit after it (ties by visit id).
fn first_recheck<'r>(rechecks: &'r Rechecks, v: &Visit) -> Option<&'r Visit> {
    rechecks.get(&v.compound_id).and_then(|list| {
        list.iter()
            .filter(|r| r.date > v.date)
            .min_by(|a, b| (a.date, &a.id).cmp(&(b.date, &b.id)))
    })
}

/// A notice's deadline, its re-inspection ((visit id, day, level), score) if any, and its
/// outcome.
struct Settlement {
    deadline: NaiveDate,
    recheck: Option<((String, NaiveDate, Level), VisitScore)>,
    outcome: Outcome,
}

/// One veto per (community, year of re-inspection) with a failed notice; `revoked` when the
/// community held a title valid on a failed re-inspection's date, else `ineligible`.
fn vetoes(reg: &Registry, notices: &[Notice]) -> Vec<Veto> {
    let mut by: BTreeMap<(String, i32), Veto> = BTreeMap::new();
    for n in notices.iter().filter(|n| n.outcome == Outcome::Failed) {
        let Some(r) = &n.recheck else { continue };
        let effect = if reg.title_on(&n.community_id, r.date).is_some() {
            VetoEffect::Revoked
        } else {
            VetoEffect::Ineligible
        };
        let v = by
            .entry((n.community_id.clone(), r.date.year()))
            .or_insert_with(|| Veto {
                community_id: n.community_id.clone(),
                year: r.date.year(),
                effect,
                notices: Vec::new(),
            });
        v.effect = v.effect.min(effect);
        v.notices.push(n.notice_id.clone());
    }
    by.into_values()
        .map(|mut v| {
            v.notices.sort();
            v
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::registry::Compound;
    use crate::workspace::parse_standards;

    fn standards(edit: impl Fn(String) -> String) -> Standards {
        let text = edit(include_str!("../../standards/2026-01-01.toml").to_string());
        parse_standards(&text, Some("2026-01-01")).unwrap()
    }

    fn registry(n: usize) -> Registry {
        let compounds = (0..n)
            .map(|i| Compound {
                id: format!("C{i:02}").into(),
                community_id: "K1".into(),
                name: format!("C{i:02}").into(),
                aliases: Vec::new(),
                households: 1,
                area_m2: Decimal::ONE,
                buildings: 1,
                line: 2,
            })
            .collect();
        Registry::new(Vec::new(), Vec::new(), compounds, Vec::new(), Vec::new(), Vec::new())
    }

    fn visit(id: &str, compound: usize, day: &str, purpose: Purpose, findings: &[(&str, u64)]) -> Visit {
        Visit {
            id: id.to_string(),
            date: day.parse().unwrap(),
            level: Level::ThirdParty,
            purpose,
            team: "T".to_string(),
            inspectors: 2,
            compound_id: format!("C{compound:02}"),
            compound: Some(compound),
            grade: Some(1),
            findings: findings.iter().map(|(c, n)| (c.to_string(), *n)).collect(),
            photos: 0,
            file: "f.csv".to_string(),
            line: 2,
        }
    }

    /// Routine visits losing more and more points, some re-inspected (passing or not, in time
    /// or late), and one crossing a red line.
    fn visits() -> Vec<Visit> {
        let mut out = Vec::new();
        for c in 0..12usize {
            let n = u64::try_from(c).unwrap();
            let red = if c % 3 == 0 { 1 } else { 0 };
            let findings = [("A02", n / 2), ("A01", n % 3), ("A05", n), ("A11", n), ("A17", red)];
            out.push(visit(&format!("V{c}"), c, "2026-02-10", Purpose::Routine, &findings));
            match c % 4 {
                0 => out.push(visit(&format!("R{c}"), c, "2026-02-20", Purpose::Recheck, &[])),
                1 => out.push(visit(
                    &format!("R{c}"),
                    c,
                    "2026-03-20",
                    Purpose::Recheck,
                    &[("A02", 2)],
                )),
                2 => out.push(visit(
                    &format!("R{c}"),
                    c,
                    "2026-02-12",
                    Purpose::Recheck,
                    &[("A17", 1)],
                )),
                _ => {}
            }
        }
        out.push(visit("V99", 11, "2026-04-01", Purpose::Routine, &[("A17", 1)]));
        out
    }

    fn book<'a>(reg: &'a Registry, st: &'a Standards) -> NoticeBook<'a> {
        let mut b = NoticeBook::new(reg, st, "2026H1".parse().unwrap());
        b.ignore_inapplicable = true;
        b
    }

    /// A pair of books gives each side what a book of its own gives, whether the two standards
    /// score alike (a pass-mark change) or not (an item's deduction changed).
    #[test]
    fn a_pair_of_books_settles_as_two_books_do() {
        let reg = registry(12);
        let before = standards(|t| t);
        let stricter = standards(|t| t.replace("pass_mark = 80", "pass_mark = 90"));
        let reweighed = standards(|t| t.replace("max = 10\ndeduct = 5", "max = 10\ndeduct = 3"));
        let as_of: NaiveDate = "2026-06-30".parse().unwrap();
        for (after, alike) in [(&stricter, true), (&reweighed, false)] {
            let mut pair = NoticeBooks::new(&reg, [&before, after], "2026H1".parse().unwrap(), true);
            assert_eq!(pair.alike, alike);
            let mut alone = [book(&reg, &before), book(&reg, after)];
            for v in visits() {
                pair.add(&v);
                alone.iter_mut().for_each(|b| b.add(&v));
            }
            let (rechecks, books) = pair.into_books();
            let paired = books.map(|b| b.finish_worst_with(as_of, &rechecks).unwrap());
            let [a, b] = alone.map(|b| b.finish(as_of).unwrap());
            let told = [&a, &b].map(|r| WorstOutcomes::of_notices(&reg, &r.notices));
            assert_eq!(paired, told);
            assert_ne!(paired[0], paired[1], "the two sides' notices differ");
            assert!(a.notices.iter().any(|n| n.outcome == Outcome::Failed));
        }
    }

    /// A compound is settled by its worst notice: a failed re-inspection, then an unresolved
    /// notice, then a rectified one; an unregistered compound's notices are left out.
    #[test]
    fn the_worst_outcome_settles_a_compound() {
        assert!(Settled::RecheckFailed < Settled::Unresolved && Settled::Unresolved < Settled::Rectified);
        assert_eq!(Outcome::Overdue.settled(), Settled::Unresolved);
        assert_eq!(Outcome::Pending.settled(), Settled::Unresolved);
        let mut w = WorstOutcomes::new(3);
        w.note(Some(0), Outcome::Rectified);
        w.note(Some(0), Outcome::Overdue);
        w.note(Some(0), Outcome::Rectified);
        w.note(Some(1), Outcome::Failed);
        w.note(Some(1), Outcome::Pending);
        w.note(None, Outcome::Failed);
        w.note(Some(7), Outcome::Failed);
        assert_eq!(
            [w.of(0), w.of(1), w.of(2), w.of(7)],
            [Some(Settled::Unresolved), Some(Settled::RecheckFailed), None, None]
        );
        assert_eq!(Settled::RecheckFailed.key(), "recheck_failed");
    }

    /// Standards score alike only when every item is the same: a pass mark or a grade may
    /// differ, not a deduction, a red line or a name.
    #[test]
    fn items_alike_looks_at_every_item_field() {
        let base = standards(|t| t);
        assert!(items_alike(
            &base,
            &standards(|t| t.replace("pass_mark = 80", "pass_mark = 85"))
        ));
        assert!(items_alike(&base, &standards(|t| t.replace("min = 85", "min = 86"))));
        assert!(!items_alike(
            &base,
            &standards(|t| t.replace("deduct = 2\n", "deduct = 3\n"))
        ));
        assert!(!items_alike(&base, &standards(|t| t.replace("red_line = true\n", ""))));
        assert!(!items_alike(
            &base,
            &standards(|t| t.replace("name = \"私装地锁\"\ncategory", "name = \"地锁\"\ncategory"))
        ));
    }
}
