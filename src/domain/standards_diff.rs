//! `standards diff` (DESIGN §11): what changes for each compound if other standards applied.

use super::scoring::{CompoundResult, ScoreReport};

/// The compounds whose score, grade or verdict differ between two reports of the same period
/// over the same registry, as (before, after) in registry order. Compared as decided, not as
/// printed: a score of 80.5 and 80.50 is the same score.
pub fn changed<'a>(
    before: &'a ScoreReport,
    after: &'a ScoreReport,
) -> impl Iterator<Item = (&'a CompoundResult, &'a CompoundResult)> {
    before
        .compounds
        .iter()
        .zip(&after.compounds)
        .filter(|&(b, a)| key(b) != key(a))
}

/// What is compared of a compound's result (its grade borrowed, not copied: 220,000 a side).
fn key(c: &CompoundResult) -> (Option<rust_decimal::Decimal>, Option<&str>, super::scoring::Verdict) {
    (c.score, c.grade.as_deref(), c.verdict)
}
