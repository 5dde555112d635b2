//! The standards' items laid out for the hot loop: looked up by code through a small FNV hash
//! (codes are a few bytes; SipHash and linear string search both showed in profiles), with
//! M precomputed per service grade. [`ItemTable::score`] must agree with
//! [`super::scoring::score_visit`], the plain statement of the rule; a test holds them equal.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::standards::Standards;

use super::scoring::{score_visit, VisitScore};

/// FNV-1a, for short keys.
#[derive(Default)]
pub struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 { 0xcbf2_9ce4_8422_2325 } else { self.0 };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

/// A hash map keyed by short strings.
pub type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

struct Entry {
    max: Decimal,
    deduct: Decimal,
    red_line: bool,
    category: usize,
    /// Bit g-1 set: applies to service grade g.
    grades: u8,
}

/// The items of one standards file, ready for scoring many visits.
pub struct ItemTable<'a> {
    standards: &'a Standards,
    index: FnvMap<&'a str, usize>,
    entries: Vec<Entry>,
    /// M per service grade 1..=3 (index g-1).
    m: [Decimal; 3],
}

impl<'a> ItemTable<'a> {
    pub fn new(standards: &'a Standards) -> ItemTable<'a> {
        let cats: FnvMap<&str, usize> = standards
            .categories
            .iter()
            .enumerate()
            .map(|(i, c)| (c.code.as_str(), i))
            .collect();
        let entries: Vec<Entry> = standards
            .items
            .iter()
            .map(|i| Entry {
                max: i.max,
                deduct: i.deduct,
                red_line: i.red_line,
                category: cats.get(i.category.as_str()).copied().unwrap_or(usize::MAX),
                grades: (1..=3u8).filter(|g| i.applies(*g)).fold(0, |b, g| b | (1 << (g - 1))),
            })
            .collect();
        let m = [1u8, 2, 3].map(|g| standards.items.iter().filter(|i| i.applies(g)).map(|i| i.max).sum());
        let index = standards
            .items
            .iter()
            .enumerate()
            .map(|(k, i)| (i.code.as_str(), k))
            .collect();
        ItemTable {
            standards,
            index,
            entries,
            m,
        }
    }

    /// Score a visit of a compound at `grade`, calling `on_point(category, count)` for each
    /// finding that counts. With `ignore_inapplicable`, findings on unknown or inapplicable
    /// items are left out and their points returned; otherwise they are an error (worded by
    /// `score_visit`).
    pub fn score(
        &self,
        grade: u8,
        findings: &[(String, u64)],
        ignore_inapplicable: bool,
        mut on_point: impl FnMut(usize, u64),
    ) -> Result<(VisitScore, u64), String> {
        let bit = match grade {
            1..=3 => 1u8 << (grade - 1),
            _ => 0,
        };
        let m = match grade {
            1..=3 => self.m[usize::from(grade - 1)],
            _ => Decimal::ZERO,
        };
        let mut d = Decimal::ZERO;
        let mut red_line = false;
        let mut dropped = 0;
        for (code, count) in findings {
            let e = self
                .index
                .get(code.as_str())
                .map(|&k| &self.entries[k])
                .filter(|e| e.grades & bit != 0);
            let Some(e) = e else {
                if ignore_inapplicable {
                    dropped += count;
                    continue;
                }
                return Err(score_visit(self.standards, grade, findings).err().unwrap_or_default());
            };
            if *count == 0 {
                continue;
            }
            d += (e.deduct * Decimal::from(*count)).min(e.max);
            red_line |= e.red_line;
            on_point(e.category, *count);
        }
        if m.is_zero() {
            return Err(format!(
                "no item applies to service grade {grade}: nothing to score against"
            ));
        }
        Ok((
            VisitScore {
                score: round2(Decimal::ONE_HUNDRED * (m - d) / m),
                red_line,
            },
            dropped,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::workspace::parse_standards;
    use proptest::prelude::*;

    fn standards() -> Standards {
        parse_standards(include_str!("../../standards/2026-01-01.toml"), Some("2026-01-01")).unwrap()
    }

    proptest! {
        /// The table scores exactly as the plain rule does, errors included.
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
            let table = ItemTable::new(&st);
            let fast = table.score(grade, &findings, false, |_, _| {}).map(|(s, _)| s);
            prop_assert_eq!(fast, score_visit(&st, grade, &findings));
        }
    }
}
