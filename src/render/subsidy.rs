//! `subsidy` for people and spreadsheets: the title line and the three listings (by street,
//! compound or company). `machine` keeps English headers and raw values for CSV.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_i18n::t;

use super::words::period_words;
use super::xlsx::{period_as_of_line, Sheet};
use super::{Cell, Rows};
use crate::domain::capital::capital;
use crate::domain::subsidy::SubsidyReport;
use crate::model::decimal::{fmt2, round2};
use crate::model::records::Lang;
use crate::model::registry::Registry;

/// A header: its English id for scripts (`machine`), the catalogue's label for people.
fn head(machine: bool, id: &str, label: &str) -> String {
    String::from(if machine { id } else { label })
}

/// The first line of the table: the total, the budget and what was withheld.
pub fn title(district: &str, r: &SubsidyReport, as_of: NaiveDate, lang: Lang) -> String {
    let code = lang.code();
    let scaled = match r.scaled {
        true => t!("report.subsidy.scaled", locale = code),
        false => "".into(),
    };
    let budget = r.budget.map(|b| {
        t!(
            "report.subsidy.budget",
            locale = code,
            budget = fmt2(b),
            scaled = scaled
        )
        .into_owned()
    });
    // The English line has not named the district so far.
    let title = t!(
        "report.subsidy.title",
        locale = code,
        district = lang.pick(district, ""),
        period = r.period,
        as_of = as_of,
        total = fmt2(r.total),
        budget = budget.unwrap_or_default(),
        withheld = fmt2(r.withheld())
    );
    format!("{title}\n")
}

/// One row per street, with the amount in capital numerals (finance's payment sheet).
pub fn street_rows(reg: &Registry, r: &SubsidyReport, lang: Lang, machine: bool) -> Rows {
    let code = lang.code();
    let l = |id: &str, label: &str| head(machine, id, label);
    let mut t = Rows::new([
        l("street_id", &t!("report.subsidy.street.street_id", locale = code)),
        l("name", &t!("report.subsidy.street.name", locale = code)),
        l("base", &t!("report.subsidy.street.base", locale = code)),
        l("withheld", &t!("report.subsidy.street.withheld", locale = code)),
        l("amount", &t!("report.subsidy.street.amount", locale = code)),
        l(
            "amount_in_words",
            &t!("report.subsidy.street.amount_in_words", locale = code),
        ),
        l("outcomes", &t!("report.subsidy.street.outcomes", locale = code)),
    ]);
    let sep = head(
        machine,
        "; ",
        &t!("report.subsidy.street.outcome_separator", locale = code),
    );
    for s in r.by_street(reg) {
        let outcomes: Vec<String> = s
            .outcomes
            .iter()
            .map(|(k, n)| format!("{} {n}", outcome_word(k, lang, machine)))
            .collect();
        t.push(vec![
            Cell::text(&s.street_id),
            Cell::text(&s.name),
            Cell::num(fmt2(s.base)),
            Cell::num(fmt2(s.withheld)),
            Cell::num(fmt2(s.amount)),
            Cell::text(capital(s.amount).unwrap_or_default()),
            Cell::text(outcomes.join(&sep)),
        ]);
    }
    t
}

/// An outcome key of the funds file (DESIGN §9) for people: grade names stay as they are, the
/// other keys in the reader's language; scripts (`machine`) get the key itself.
pub fn outcome_word(key: &str, lang: Lang, machine: bool) -> String {
    match machine {
        true => key.to_string(),
        false => super::words::outcome(key, lang),
    }
}

/// Finance's payment sheet (DESIGN §15): one row per street with its amount and the amount in
/// capital numerals, a 合计 row (with its capital numerals), and lines to sign under it.
///
/// Beside them the street's base and what of it is withheld, as finance adds them up: 扣减 is
/// the base as shown less the amount paid, so every row (and the 合计 of the columns) reads
/// 基数 − 扣减 = 金额 to the fen. DESIGN §9's `withheld` (base − entitlement, which the JSON and
/// the listings keep) differs from it by the fen rounding of the apportioned amounts, and
/// printed beside the amount it left some rows a fen apart.
pub fn payment_sheet(reg: &Registry, r: &SubsidyReport, district: &str, as_of: NaiveDate, lang: Lang) -> Sheet {
    let code = lang.code();
    let mut rows = Rows::new([
        t!("report.subsidy.payment.street", locale = code),
        t!("report.subsidy.payment.amount", locale = code),
        t!("report.subsidy.payment.amount_in_words", locale = code),
        t!("report.subsidy.payment.base", locale = code),
        t!("report.subsidy.payment.withheld", locale = code),
    ]);
    for s in r.by_street(reg) {
        let base = round2(s.base);
        rows.push(vec![
            Cell::text(&s.name),
            Cell::num(fmt2(s.amount)),
            Cell::text(capital(s.amount).unwrap_or_default()),
            Cell::num(fmt2(base)),
            Cell::num(fmt2(base - s.amount)),
        ]);
    }
    let title = t!(
        "report.subsidy.payment.title",
        locale = code,
        district = district,
        period = period_words(r.period, lang)
    );
    let name = t!("report.subsidy.payment.sheet", locale = code);
    let mut sheet = Sheet::new(
        &name,
        title.into_owned(),
        period_as_of_line(as_of, &r.period, lang),
        rows,
    )
    .with_totals(&t!("report.subsidy.payment.total", locale = code), &[1, 3, 4]);
    sheet.total_text = vec![(2, capital(r.total).unwrap_or_default())];
    let gap = "\u{3000}".repeat(10);
    sheet.footer = vec![t!("report.subsidy.payment.signatures", locale = code, gap = gap).into_owned()];
    sheet
}

/// One row per compound: base, outcome, coefficient, fee bonus and amount.
pub fn compound_rows(r: &SubsidyReport, lang: Lang, machine: bool) -> Rows {
    let code = lang.code();
    let l = |id: &str, label: &str| head(machine, id, label);
    let mut t = Rows::new([
        l("compound_id", &t!("report.subsidy.compound.compound_id", locale = code)),
        l("street_id", &t!("report.subsidy.compound.street_id", locale = code)),
        l("company_id", &t!("report.subsidy.compound.company_id", locale = code)),
        l("months", &t!("report.subsidy.compound.months", locale = code)),
        l("base", &t!("report.subsidy.compound.base", locale = code)),
        l("outcome", &t!("report.subsidy.compound.outcome", locale = code)),
        l("coefficient", &t!("report.subsidy.compound.coefficient", locale = code)),
        l("fee_rate", &t!("report.subsidy.compound.fee_rate", locale = code)),
        l("bonus", &t!("report.subsidy.compound.bonus", locale = code)),
        l("amount", &t!("report.subsidy.compound.amount", locale = code)),
    ]);
    // The outcomes' words, looked up once per key rather than once per compound.
    let mut words: BTreeMap<&str, String> = BTreeMap::new();
    for c in &r.compounds {
        words
            .entry(&c.outcome)
            .or_insert_with(|| outcome_word(&c.outcome, lang, machine));
    }
    for c in &r.compounds {
        t.push(vec![
            Cell::text(&c.compound_id),
            Cell::text(&c.street_id),
            Cell::text(c.company_id.clone().unwrap_or_default()),
            Cell::num(c.months),
            Cell::num(fmt2(c.base)),
            Cell::text(words.get(c.outcome.as_str()).map_or("", String::as_str)),
            Cell::num(c.coefficient),
            Cell::num(c.fee_rate.map(|f| fmt2(f * Decimal::ONE_HUNDRED)).unwrap_or_default()),
            Cell::text(match (machine, c.bonus) {
                (true, b) => b.to_string(),
                (false, true) => "●".into(),
                (false, false) => String::new(),
            }),
            Cell::num(fmt2(c.amount)),
        ]);
    }
    t
}

/// One row per company under contract, with the amount in capital numerals.
pub fn company_rows(reg: &Registry, r: &SubsidyReport, lang: Lang, machine: bool) -> Rows {
    let code = lang.code();
    let l = |id: &str, label: &str| head(machine, id, label);
    let mut t = Rows::new([
        l("company_id", &t!("report.subsidy.company.company_id", locale = code)),
        l("name", &t!("report.subsidy.company.name", locale = code)),
        l("amount", &t!("report.subsidy.company.amount", locale = code)),
        l(
            "amount_in_words",
            &t!("report.subsidy.company.amount_in_words", locale = code),
        ),
    ]);
    for (id, name, amount) in r.by_company(reg) {
        t.push(vec![
            Cell::text(id),
            Cell::text(name),
            Cell::num(fmt2(amount)),
            Cell::text(capital(amount).unwrap_or_default()),
        ]);
    }
    t
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's funds always have a budget; without one the title has no budget clause.
    #[test]
    fn a_title_without_a_budget_says_none() {
        let r = SubsidyReport {
            period: "2026H1".parse().unwrap(),
            budget: None,
            scaled: false,
            total: "1234.5".parse().unwrap(),
            compounds: vec![],
        };
        let as_of = NaiveDate::from_ymd_opt(2026, 6, 30).unwrap();
        assert_eq!(
            title("和平区", &r, as_of, Lang::Zh),
            "和平区 2026H1 财政补贴（数据截至 2026-06-30）：合计 1234.50 元，扣减 0.00 元\n"
        );
        assert_eq!(
            title("和平区", &r, as_of, Lang::En),
            "Subsidy for 2026H1 (data as of 2026-06-30): total 1234.50, withheld 0.00\n"
        );
    }
}
