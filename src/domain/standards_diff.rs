//! `standards diff` (DESIGN §11): what changes for each compound if other standards applied.

use super::scoring::{CompoundResult, ScoreReport};

/// The compounds whose score, grade or verdict differ between two reports of the same period
/// over the same registry, as (before, after) in registry order. Compared as decided, not as
/// printed: a score of 80.5 and 80.50 is the same score.
pub fn changed<'a>(
    before: &'a ScoreReport,
    after: &'a ScoreReport,
) -> impl Iterator<Item = (&'a CompoundResult, &'a CompoundResult)> {
    let key = |c: &CompoundResult| (c.score, c.grade.clone(), c.verdict);
    before
        .compounds
        .iter()
        .zip(&after.compounds)
        .filter(move |&(b, a)| key(b) != key(a))
}
