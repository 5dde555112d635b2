//! The visit-score rule of DESIGN §6 as the contract states it, in `Decimal`, one finding at a
//! time: the oracle [`super::Rule`] is held equal to (proptests in `rule.rs`). No report calls
//! it; it is public so that the benchmarks can compare the two.

use rust_decimal::Decimal;

use crate::domain::scoring::VisitScore;
use crate::model::decimal::round2;
use crate::model::standards::Standards;

/// Score one visit of a compound served at `grade`: M = Σ max over applicable items,
/// D = Σ min(max, deduct × count); score = 100 × (M − D) / M rounded half away from zero.
/// A finding on an unknown or inapplicable item is an error message.
pub fn score_visit(standards: &Standards, grade: u8, findings: &[(String, u64)]) -> Result<VisitScore, String> {
    let mut m = Decimal::ZERO;
    for item in standards.items.iter().filter(|i| i.applies(grade)) {
        m += item.max;
    }
    let mut d = Decimal::ZERO;
    let mut red_line = false;
    for (code, count) in findings {
        let item = standards.item(code).ok_or_else(|| {
            format!(
                "unknown item code \"{code}\" (known: {}){}",
                standards.item_codes_hint(),
                crate::suggest::did_you_mean(code, standards.items.iter().map(|i| i.code.as_str()))
            )
        })?;
        if !item.applies(grade) {
            return Err(format!(
                "item {code} ({}) does not apply to service grade {grade}",
                item.name
            ));
        }
        if *count == 0 {
            continue;
        }
        d += (item.deduct * Decimal::from(*count)).min(item.max);
        red_line |= item.red_line;
    }
    if m.is_zero() {
        return Err(format!(
            "no item applies to service grade {grade}: nothing to score against"
        ));
    }
    Ok(VisitScore {
        score: round2(Decimal::ONE_HUNDRED * (m - d) / m),
        red_line,
    })
}
