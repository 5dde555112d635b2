//! The visit-score rule of DESIGN §6, compiled once per report from the standards: the one
//! place a visit's score is computed. The scorer, re-inspections, `--explain`, `standards
//! diff` and the bulletin all call [`Rule`]; [`oracle::score_visit`] states the same rule
//! plainly in `Decimal` and is what the tests hold [`Rule`] equal to.
//!
//! How it is laid out for the hot loop: items are looked up by code (codes of up to 7 bytes
//! are packed into an integer and found in one probe of a small open-addressing table; others
//! through a hash map), M is precomputed per service grade, and the arithmetic is done in
//! integers: every `max` and `deduct` is scaled by 10^k (k their largest number of decimals),
//! so M and D are exact integers and the score in hundredths is one integer division rounded
//! half away from zero. Standards with unusual scales fall back to `Decimal`, through the same
//! `Entry::deduction` the breakdown uses.

pub mod oracle;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::standards::Standards;

use super::scoring::VisitScore;

/// The maps of this module: keys are a few bytes, looked up once per finding.
type Map<K, V> = hashbrown::HashMap<K, V, foldhash::fast::FixedState>;

/// One item of the standards, as the rule uses it.
struct Entry {
    max: Decimal,
    deduct: Decimal,
    /// `max` and `deduct` × 10^k, when the rule uses integers.
    max_int: i128,
    deduct_int: i128,
    red_line: bool,
    category: usize,
    /// Bit g-1 set: applies to service grade g.
    grades: u8,
}

impl Entry {
    /// What `count` problem points of this item cost: min(max, deduct × count). A product
    /// too large for `Decimal` is larger than `max`, so the cap gives the term.
    fn deduction(&self, count: u64) -> Decimal {
        self.deduct
            .checked_mul(Decimal::from(count))
            .map_or(self.max, |t| t.min(self.max))
    }

    /// [`Entry::deduction`] × 10^k, in the rule's integers.
    fn deduction_int(&self, count: u64) -> i128 {
        self.deduct_int.saturating_mul(i128::from(count)).min(self.max_int)
    }
}

/// A visit's score as the scan keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Scored {
    /// The score × 100, exactly (scores have two decimals).
    pub hundredths: i64,
    /// Some item with points is a red-line item.
    pub red_line: bool,
    /// Points left out as inapplicable (only when asked to ignore them).
    pub dropped: u64,
}

impl Scored {
    /// The score as a decimal, with the red line.
    pub fn visit_score(&self) -> VisitScore {
        VisitScore {
            score: Decimal::new(self.hundredths, 2),
            red_line: self.red_line,
        }
    }
}

/// One item's part in a visit's deduction (`score --explain`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    /// The item's code in the standards.
    pub code: String,
    /// The item's name in the standards.
    pub name: String,
    /// The most the item may deduct from one visit.
    pub max: Decimal,
    /// What each problem point deducts.
    pub deduct: Decimal,
    /// Whether a finding on the item crosses a red line.
    pub red_line: bool,
    /// As recorded in the store.
    pub recorded: u64,
    /// Removed by upheld appeals (at most `recorded`).
    pub appealed: u64,
    /// Counted: recorded − appealed.
    pub count: u64,
    /// min(max, deduct × count).
    pub deduction: Decimal,
}

/// How one visit's score came about: the rule's own figures, item by item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Breakdown {
    /// Σ max over the items applicable to the grade.
    pub m: Decimal,
    /// Σ deductions.
    pub d: Decimal,
    /// 100 × (M − D) / M, rounded to 2 decimals half away from zero.
    pub score: Decimal,
    /// Some counted point is on a red-line item.
    pub red_line: bool,
    /// One line per recorded finding, in the visit's order.
    pub lines: Vec<ItemLine>,
}

/// Decimals the integer path accepts in `max` and `deduct`; more falls back to `Decimal`.
const MAX_INT_SCALE: u32 = 9;

/// The visit-score rule of one standards file, compiled for scoring many visits.
pub struct Rule<'a> {
    standards: &'a Standards,
    /// Codes too long to pack, by position in the standards.
    index: Map<&'a str, usize>,
    /// The codes of up to 7 bytes (most are like "A06"), [`pack`]ed, in an open-addressing
    /// table at most a quarter full: found in one probe, without hashing bytes or comparing
    /// strings. A slot holds (packed code, position + 1); 0 marks an empty slot.
    packed: Vec<(u64, usize)>,
    entries: Vec<Entry>,
    /// M per service grade 1..=3 (index g-1).
    m: [Decimal; 3],
    /// M × 10^k per service grade, when the rule uses integers.
    m_int: [i128; 3],
    integers: bool,
}

/// A code of up to 7 bytes as one integer: its bytes (the first lowest), then its length in
/// the last byte. Shifted into place rather than gathered in an array read back as one word:
/// that read waited for the eight byte stores to drain, on every finding.
fn pack(code: &str) -> Option<u64> {
    let b = code.as_bytes();
    let len = u8::try_from(b.len()).ok().filter(|&n| n < 8)?;
    Some(
        b.iter()
            .enumerate()
            .fold(u64::from(len) << 56, |k, (i, &c)| k | u64::from(c) << (8 * i)),
    )
}

/// The home slot of a packed code in a table of `len` slots (a power of two): the high bits
/// of a multiplicative hash.
fn slot(key: u64, len: usize) -> usize {
    (key.wrapping_mul(0x9E37_79B9_7F4A_7C15) >> (64 - len.trailing_zeros())) as usize
}

/// `d` × 10^scale as an integer, when that is exact and fits.
fn scaled(d: Decimal, scale: u32) -> Option<i128> {
    let up = scale.checked_sub(d.scale())?;
    d.mantissa().checked_mul(10i128.checked_pow(up)?)
}

/// `num / den` rounded to the nearest integer, halves away from zero (`den` > 0).
fn div_round_half_away(num: i128, den: i128) -> i128 {
    let (q, r) = (num / den, num % den);
    if 2 * r.abs() >= den {
        q + num.signum()
    } else {
        q
    }
}

/// The bit of service grade `grade` in [`Entry::grades`] and its index in per-grade arrays
/// (bit 0 for a grade outside 1..=3: nothing applies to it).
fn grade_bit(grade: u8) -> (u8, usize) {
    match grade {
        1..=3 => (1u8 << (grade - 1), usize::from(grade - 1)),
        _ => (0, 0),
    }
}

impl<'a> Rule<'a> {
    /// Compile the rule of `standards`.
    pub fn new(standards: &'a Standards) -> Rule<'a> {
        let cats: Map<&str, usize> = standards
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i))
            .collect();
        let scale = standards
            .items
            .iter()
            .flat_map(|i| [i.max.scale(), i.deduct.scale()])
            .max()
            .unwrap_or(0);
        let mut integers = scale <= MAX_INT_SCALE;
        let entries: Vec<Entry> = standards
            .items
            .iter()
            .map(|i| {
                let (max_int, deduct_int) = match (scaled(i.max, scale), scaled(i.deduct, scale)) {
                    (Some(a), Some(b)) if integers => (a, b),
                    _ => {
                        integers = false;
                        (0, 0)
                    }
                };
                Entry {
                    max: i.max,
                    deduct: i.deduct,
                    max_int,
                    deduct_int,
                    red_line: i.red_line,
                    category: cats.get(i.category.as_str()).copied().unwrap_or(usize::MAX),
                    grades: (1..=3u8).filter(|g| i.applies(*g)).fold(0, |b, g| b | (1 << (g - 1))),
                }
            })
            .collect();
        let applicable = |g: u8| entries.iter().filter(move |e| e.grades & (1 << (g - 1)) != 0);
        let m = [1u8, 2, 3].map(|g| applicable(g).map(|e| e.max).sum());
        let m_int = [1u8, 2, 3].map(|g| {
            applicable(g)
                .try_fold(0i128, |a, e| a.checked_add(e.max_int))
                .unwrap_or_else(|| {
                    integers = false;
                    0
                })
        });
        let index: Map<&str, usize> = standards
            .items
            .iter()
            .enumerate()
            .map(|(k, i)| (i.code.as_str(), k))
            .collect();
        let short: Vec<(u64, usize)> = index.iter().filter_map(|(c, &k)| Some((pack(c)?, k))).collect();
        let mut packed = vec![(0, 0); (short.len() * 4).next_power_of_two().max(16)];
        for (key, k) in short {
            let mut i = slot(key, packed.len());
            while packed[i].1 != 0 {
                i = (i + 1) & (packed.len() - 1);
            }
            packed[i] = (key, k + 1);
        }
        Rule {
            standards,
            index,
            packed,
            entries,
            m,
            m_int,
            integers,
        }
    }

    /// M of service grade `grade`: Σ max over the items that apply to it.
    pub fn m(&self, grade: u8) -> Decimal {
        match grade_bit(grade) {
            (0, _) => Decimal::ZERO,
            (_, g) => self.m[g],
        }
    }

    /// What `count` problem points of the item `code` cost, min(max, deduct × count), when the
    /// standards have the item (for notices, which list the items that cost points).
    pub fn deduction(&self, code: &str, count: u64) -> Option<Decimal> {
        self.position(code).map(|k| self.entries[k].deduction(count))
    }

    /// The position of the item `code` in the standards (item codes are unique: standards
    /// listing one twice do not load), without a search through them.
    pub fn item_position(&self, code: &str) -> Option<usize> {
        self.position(code)
    }

    /// The position of the item `code` in the standards.
    fn position(&self, code: &str) -> Option<usize> {
        match pack(code) {
            Some(key) => {
                let mut i = slot(key, self.packed.len());
                loop {
                    match self.packed[i] {
                        (_, 0) => return None,
                        (k, p) if k == key => return Some(p - 1),
                        _ => i = (i + 1) & (self.packed.len() - 1),
                    }
                }
            }
            None => self.index.get(code).copied(),
        }
    }

    /// Why a finding on `code` cannot be scored at `grade`.
    fn refusal(&self, grade: u8, code: &str) -> String {
        match self.position(code) {
            None => format!(
                "unknown item code \"{code}\" (known: {}){}",
                self.standards.item_codes_hint(),
                crate::suggest::did_you_mean(code, self.standards.items.iter().map(|i| i.code.as_str()))
            ),
            Some(k) => format!(
                "item {code} ({}) does not apply to service grade {grade}",
                self.standards.items[k].name
            ),
        }
    }

    /// Score a visit of a compound at `grade`, calling `on_point(category, count)` for each
    /// finding that counts. With `ignore_inapplicable`, findings on unknown or inapplicable
    /// items are left out and their points returned; otherwise they are an error.
    pub fn score(
        &self,
        grade: u8,
        findings: &[(String, u64)],
        ignore_inapplicable: bool,
        mut on_point: impl FnMut(usize, u64),
    ) -> Result<Scored, String> {
        let (bit, g) = grade_bit(grade);
        // D in scaled integers, or in decimals for unusual scales. D ≤ M, which fits (it was
        // summed when the rule was compiled).
        let (mut d_int, mut d) = (0i128, Decimal::ZERO);
        let mut red_line = false;
        let mut dropped = 0;
        for (code, count) in findings {
            let e = self
                .position(code)
                .map(|k| &self.entries[k])
                .filter(|e| e.grades & bit != 0);
            let Some(e) = e else {
                if ignore_inapplicable {
                    dropped += count;
                    continue;
                }
                return Err(self.refusal(grade, code));
            };
            if *count == 0 {
                continue;
            }
            if self.integers {
                d_int += e.deduction_int(*count);
            } else {
                d += e.deduction(*count);
            }
            red_line |= e.red_line;
            on_point(e.category, *count);
        }
        if bit == 0 || self.m[g].is_zero() {
            return Err(format!(
                "no item applies to service grade {grade}: nothing to score against"
            ));
        }
        let hundredths = if self.integers {
            let m = self.m_int[g];
            (m - d_int)
                .checked_mul(10_000)
                .map(|num| div_round_half_away(num, m))
                .and_then(|h| i64::try_from(h).ok())
        } else {
            to_hundredths(Decimal::ONE_HUNDRED * (self.m[g] - d) / self.m[g])
        };
        Ok(Scored {
            hundredths: hundredths.ok_or_else(|| format!("score out of range for grade {grade}"))?,
            red_line,
            dropped,
        })
    }

    /// A visit's score and red line; with `ignore_inapplicable`, as [`Rule::score`].
    pub fn visit_score(
        &self,
        grade: u8,
        findings: &[(String, u64)],
        ignore_inapplicable: bool,
    ) -> Result<VisitScore, String> {
        self.score(grade, findings, ignore_inapplicable, |_, _| {})
            .map(|s| s.visit_score())
    }

    /// Score a visit from its recorded findings, `removed(code)` points of each taken away by
    /// upheld appeals, and say item by item how the score came about. The score and red line
    /// are [`Rule::score`]'s own.
    pub fn explain(
        &self,
        grade: u8,
        recorded: &[(String, u64)],
        removed: impl Fn(&str) -> u64,
    ) -> Result<Breakdown, String> {
        let counted: Vec<(String, u64)> = recorded
            .iter()
            .map(|(code, n)| (code.clone(), n.saturating_sub(removed(code))))
            .collect();
        let scored = self.visit_score(grade, &counted, false)?;
        let mut lines = Vec::with_capacity(recorded.len());
        for ((code, rec), (_, count)) in recorded.iter().zip(&counted) {
            let k = self.position(code).ok_or_else(|| self.refusal(grade, code))?;
            let (e, item) = (&self.entries[k], &self.standards.items[k]);
            lines.push(ItemLine {
                code: code.clone(),
                name: item.name.clone(),
                max: e.max,
                deduct: e.deduct,
                red_line: e.red_line,
                recorded: *rec,
                appealed: rec - count,
                count: *count,
                deduction: e.deduction(*count),
            });
        }
        Ok(Breakdown {
            m: self.m(grade),
            d: lines.iter().map(|l| l.deduction).sum(),
            score: scored.score,
            red_line: scored.red_line,
            lines,
        })
    }
}

/// A score rounded to two decimals (half away from zero), × 100.
fn to_hundredths(score: Decimal) -> Option<i64> {
    (round2(score) * Decimal::ONE_HUNDRED).to_i64()
}

#[cfg(test)]
mod tests {
    use super::oracle::score_visit;
    use super::*;
    use crate::workspace::parse_standards;
    use proptest::prelude::*;

    fn standards() -> Standards {
        parse_standards(include_str!("../../standards/2026-01-01.toml"), Some("2026-01-01")).unwrap()
    }

    proptest! {
        /// Codes are found where they are, short (packed) or long, and no others.
        #[test]
        fn finds_codes_where_they_are(codes in prop::collection::btree_set("[AB\u{0}é]{0,9}", 1..20), probe in "[AB\u{0}é]{0,9}") {
            let mut st = standards();
            for (item, code) in st.items.iter_mut().zip(&codes) {
                item.code = code.clone();
            }
            let table = Rule::new(&st);
            for code in codes.iter().chain([&probe]) {
                prop_assert_eq!(table.position(code), st.items.iter().position(|i| i.code == *code));
            }
        }

        /// The compiled rule scores exactly as the plain one does, errors included.
        #[test]
        fn agrees_with_score_visit(grade in 1u8..=3, raw in prop::collection::vec((0usize..22, 0u64..12), 0..8)) {
            let st = standards();
            let mut findings: Vec<(String, u64)> = Vec::new();
            for (k, n) in raw {
                let code = if k < 20 { format!("A{:02}", k + 1) } else { "Z99".to_string() };
                if !findings.iter().any(|(c, _)| *c == code) {
                    findings.push((code, n));
                }
            }
            let table = Rule::new(&st);
            let fast = table.score(grade, &findings, false, |_, _| {}).map(|s| s.visit_score());
            prop_assert_eq!(fast, score_visit(&st, grade, &findings));
        }

        /// The breakdown's score and red line are the rule's, its M and D give that score by
        /// the plain formula, and appeals only ever take points away.
        #[test]
        fn the_breakdown_agrees_with_the_score(grade in 1u8..=3, raw in prop::collection::vec((0usize..20, 0u64..12, 0u64..4), 0..8)) {
            let st = standards();
            let mut recorded: Vec<(String, u64)> = Vec::new();
            let mut removed: Vec<(String, u64)> = Vec::new();
            for (k, n, a) in raw {
                let code = format!("A{:02}", k + 1);
                if st.item(&code).is_some_and(|i| i.applies(grade)) && !recorded.iter().any(|(c, _)| *c == code) {
                    recorded.push((code.clone(), n));
                    removed.push((code, a));
                }
            }
            let rule = Rule::new(&st);
            let gone = |code: &str| removed.iter().find(|(c, _)| c == code).map_or(0, |(_, a)| *a);
            let b = rule.explain(grade, &recorded, gone).unwrap();
            let counted: Vec<(String, u64)> = recorded.iter().map(|(c, n)| (c.clone(), n.saturating_sub(gone(c)))).collect();
            let plain = score_visit(&st, grade, &counted).unwrap();
            prop_assert_eq!(b.score, plain.score);
            prop_assert_eq!(b.red_line, plain.red_line);
            prop_assert_eq!(b.score, round2(Decimal::ONE_HUNDRED * (b.m - b.d) / b.m));
            for l in &b.lines {
                prop_assert_eq!(l.count + l.appealed, l.recorded);
            }
        }

        /// Integers agree with decimals for any item values up to four decimals, including
        /// counts large enough that the cap binds and scores that end in a half hundredth.
        #[test]
        fn integers_agree_with_decimals(
            items in prop::collection::vec((1i64..100_000, 0u32..=4, 1i64..100_000, 0u32..=4), 1..6),
            raw in prop::collection::vec((0usize..6, 0u64..1_000_000), 0..6),
        ) {
            let st = custom(&items);
            let table = Rule::new(&st);
            prop_assert!(table.integers);
            let mut findings: Vec<(String, u64)> = Vec::new();
            for (k, n) in raw {
                let code = format!("I{}", k % items.len());
                if !findings.iter().any(|(c, _)| *c == code) {
                    findings.push((code, n));
                }
            }
            let fast = table.score(1, &findings, false, |_, _| {}).map(|s| s.visit_score());
            prop_assert_eq!(fast, score_visit(&st, 1, &findings));
        }
    }

    /// Standards with one item per (max mantissa, max scale, deduct mantissa, deduct scale).
    fn custom(items: &[(i64, u32, i64, u32)]) -> Standards {
        let mut st = standards();
        let template = st.items[0].clone();
        st.items = items
            .iter()
            .enumerate()
            .map(|(k, &(max, ms, deduct, ds))| {
                let mut item = template.clone();
                item.code = format!("I{k}");
                item.max = Decimal::new(max, ms);
                item.deduct = Decimal::new(deduct, ds);
                item.applies_to = None;
                item
            })
            .collect();
        st
    }

    #[test]
    fn a_half_hundredth_rounds_away_from_zero() {
        // M = 8, D = 1: 100 × 7 / 8 = 87.5 exactly; M = 16, D = 1: 93.75; M = 32, D = 1:
        // 96.875 → 96.88 (half away from zero, not to even).
        for (max, want) in [(8, 8750), (16, 9375), (32, 9688)] {
            let st = custom(&[(max, 0, 1, 0)]);
            let s = Rule::new(&st)
                .score(2, &[("I0".to_string(), 1)], false, |_, _| {})
                .unwrap();
            assert_eq!(s.hundredths, want, "max {max}");
        }
    }

    #[test]
    fn unusual_scales_fall_back_to_decimals_and_still_agree() {
        let st = custom(&[(1, 12, 3, 0), (7, 0, 1, 13)]);
        let table = Rule::new(&st);
        assert!(!table.integers);
        let f = vec![("I0".to_string(), 2), ("I1".to_string(), 5)];
        let fast = table.score(3, &f, false, |_, _| {}).map(|s| s.visit_score());
        assert_eq!(fast, score_visit(&st, 3, &f));
    }
}
