//! The arithmetic behind one visit's score, line by line, for `score --explain`.

use rust_decimal::Decimal;

use crate::model::decimal::round2;
use crate::model::standards::Standards;

use super::visit::UpheldAppeals;

/// One item's part in a visit's deduction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ItemLine {
    pub code: String,
    pub name: String,
    pub max: Decimal,
    pub deduct: Decimal,
    pub red_line: bool,
    /// As recorded in the store.
    pub recorded: u64,
    /// Removed by upheld appeals.
    pub appealed: u64,
    /// Counted: recorded − appealed, never below zero.
    pub count: u64,
    /// min(max, deduct × count).
    pub deduction: Decimal,
}

/// How one visit's score came about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VisitExplanation {
    /// Σ max over the items applicable to the grade.
    pub m: Decimal,
    /// Σ deductions.
    pub d: Decimal,
    pub score: Decimal,
    pub red_line: bool,
    pub lines: Vec<ItemLine>,
}

/// Explain a visit from its recorded (pre-appeal) findings.
pub fn explain_visit(
    standards: &Standards,
    grade: u8,
    visit_id: &str,
    recorded: &[(String, u64)],
    appeals: &UpheldAppeals,
) -> Result<VisitExplanation, String> {
    let m: Decimal = standards.items.iter().filter(|i| i.applies(grade)).map(|i| i.max).sum();
    let mut lines = Vec::new();
    for (code, rec) in recorded {
        let item = standards
            .item(code)
            .ok_or_else(|| format!("unknown item code \"{code}\""))?;
        if !item.applies(grade) {
            return Err(format!("item {code} does not apply to service grade {grade}"));
        }
        let appealed = appeals.removed(visit_id, code);
        let count = rec.saturating_sub(appealed);
        lines.push(ItemLine {
            code: code.clone(),
            name: item.name.clone(),
            max: item.max,
            deduct: item.deduct,
            red_line: item.red_line,
            recorded: *rec,
            appealed: appealed.min(*rec),
            count,
            deduction: (item.deduct * Decimal::from(count)).min(item.max),
        });
    }
    if m.is_zero() {
        return Err(format!("no item applies to service grade {grade}"));
    }
    let d: Decimal = lines.iter().map(|l| l.deduction).sum();
    let red_line = lines.iter().any(|l| l.red_line && l.count > 0);
    Ok(VisitExplanation {
        m,
        d,
        score: round2(Decimal::ONE_HUNDRED * (m - d) / m),
        red_line,
        lines,
    })
}
