//! `subsidy` for people and spreadsheets: the title line and the three listings (by street,
//! compound or company). `machine` keeps English headers and raw values for CSV.

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::xlsx::{as_of_line, period_words, Sheet};
use super::{Cell, Rows};
use crate::domain::capital::capital;
use crate::domain::subsidy::SubsidyReport;
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::registry::Registry;

/// A header label: English for scripts, the reader's language for people.
fn label(lang: Lang, machine: bool) -> impl Fn(&'static str, &'static str) -> &'static str {
    move |zh, en| if machine { en } else { lang.pick(zh, en) }
}

/// The first line of the table: the total, the budget and what was withheld.
pub fn title(district: &str, r: &SubsidyReport, as_of: NaiveDate, lang: Lang) -> String {
    let scaled = if r.scaled {
        lang.pick("，按比例核减", ", scaled down")
    } else {
        ""
    };
    match lang {
        Lang::Zh => format!(
            "{} {} 财政补贴（数据截至 {as_of}）：合计 {} 元{}，扣减 {} 元\n",
            district,
            r.period,
            fmt2(r.total),
            r.budget
                .map(|b| format!("（预算 {}{}）", fmt2(b), scaled))
                .unwrap_or_default(),
            fmt2(r.withheld())
        ),
        Lang::En => format!(
            "Subsidy for {} (data as of {as_of}): total {}{}, withheld {}\n",
            r.period,
            fmt2(r.total),
            r.budget
                .map(|b| format!(" (budget {}{})", fmt2(b), scaled))
                .unwrap_or_default(),
            fmt2(r.withheld())
        ),
    }
}

/// One row per street, with the amount in capital numerals (finance's payment sheet).
pub fn street_rows(reg: &Registry, r: &SubsidyReport, lang: Lang, machine: bool) -> Rows {
    let l = label(lang, machine);
    let mut t = Rows::new([
        l("街道编号", "street_id"),
        l("街道", "name"),
        l("基数", "base"),
        l("扣减", "withheld"),
        l("金额", "amount"),
        l("大写金额", "amount_in_words"),
        l("结果分布", "outcomes"),
    ]);
    let sep = if machine { "; " } else { lang.pick("；", "; ") };
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
            Cell::text(outcomes.join(sep)),
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
pub fn payment_sheet(reg: &Registry, r: &SubsidyReport, district: &str, as_of: NaiveDate, lang: Lang) -> Sheet {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut rows = Rows::new([
        l("街道", "Street"),
        l("金额（元）", "Amount (yuan)"),
        l("大写金额", "Amount in words"),
        l("基数（元）", "Base (yuan)"),
        l("扣减（元）", "Withheld (yuan)"),
    ]);
    for s in r.by_street(reg) {
        rows.push(vec![
            Cell::text(&s.name),
            Cell::num(fmt2(s.amount)),
            Cell::text(capital(s.amount).unwrap_or_default()),
            Cell::num(fmt2(s.base)),
            Cell::num(fmt2(s.withheld)),
        ]);
    }
    let title = match lang {
        Lang::Zh => format!(
            "{district}{}旧楼区物业服务财政补贴拨付表",
            period_words(&r.period, lang)
        ),
        Lang::En => format!("{district} {} subsidy payment sheet", r.period),
    };
    let mut sheet = Sheet::new(l("拨付表", "Payment"), title, as_of_line(as_of, lang), rows)
        .with_totals(l("合计", "Total"), &[1, 3, 4]);
    sheet.total_text = vec![(2, capital(r.total).unwrap_or_default())];
    let gap = "\u{3000}".repeat(10);
    sheet.footer = vec![match lang {
        Lang::Zh => format!("经办人：{gap}审核人：{gap}负责人：{gap}"),
        Lang::En => format!("Prepared by:{gap}Checked by:{gap}Approved by:{gap}"),
    }];
    sheet
}

/// One row per compound: base, outcome, coefficient, fee bonus and amount.
pub fn compound_rows(r: &SubsidyReport, lang: Lang, machine: bool) -> Rows {
    let l = label(lang, machine);
    let mut t = Rows::new([
        l("小区", "compound_id"),
        l("街道", "street_id"),
        l("物业公司", "company_id"),
        l("月数", "months"),
        l("基数", "base"),
        l("结果", "outcome"),
        l("系数", "coefficient"),
        l("收费率%", "fee_rate"),
        l("奖励", "bonus"),
        l("金额", "amount"),
    ]);
    for c in &r.compounds {
        t.push(vec![
            Cell::text(&c.compound_id),
            Cell::text(&c.street_id),
            Cell::text(c.company_id.clone().unwrap_or_default()),
            Cell::num(c.months),
            Cell::num(fmt2(c.base)),
            Cell::text(outcome_word(&c.outcome, lang, machine)),
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
    let l = label(lang, machine);
    let mut t = Rows::new([
        l("公司编号", "company_id"),
        l("物业公司", "name"),
        l("金额", "amount"),
        l("大写金额", "amount_in_words"),
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
