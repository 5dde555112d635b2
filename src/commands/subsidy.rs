//! `oldestate subsidy`: the period's fiscal subsidies per compound, street and company.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::domain::capital::capital;
use crate::domain::subsidy::SubsidyReport;
use crate::error::{Error, Result};
use crate::model::decimal::{fmt2, parse_decimal};
use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::model::{parse_as_of, Period};
use crate::render::json::{dec, document, finish};
use crate::render::{Cell, Format, Rows};
use crate::workspace::StandardsFile;

use super::loaded::{Inapplicable, Loaded};
use super::{emit, Context};

/// Fiscal subsidies per compound, street and company, exact to the fen.
///
/// Subsidies tied to outcomes (整改结果与财政补贴挂钩), from data/funds/PERIOD.toml: per
/// compound, base = area × the monthly rate of its service grade over its contract months,
/// times the coefficient of its outcome and the fee bonus; capped by the budget; amounts in
/// fen that add up to the total exactly. `--format csv --by street` is the payment sheet for
/// finance, with each amount in capital numerals (大写金额).
#[derive(Debug, Args)]
pub struct SubsidyArgs {
    /// The period of the funds file (data/funds/PERIOD.toml)
    #[arg(long)]
    pub period: Period,
    /// Cap the total at AMOUNT instead of the funds file's budget
    #[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
    pub budget: Option<Decimal>,
    /// Decide pending against overdue notices as of this date (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<NaiveDate>,
    /// Which rows the table and CSV list (JSON holds all)
    #[arg(long, value_enum, default_value_t = SubsidyBy::Street)]
    pub by: SubsidyBy,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SubsidyBy {
    Street,
    Compound,
    Company,
}

fn parse_amount(s: &str) -> std::result::Result<Decimal, String> {
    parse_decimal(s)
        .filter(|d| *d >= Decimal::ZERO)
        .ok_or_else(|| format!("expected an amount like 1200000.00, found \"{s}\""))
}

pub fn cmd_subsidy(ctx: &Context, args: &SubsidyArgs) -> Result<()> {
    let format = ctx.format("subsidy", &[Format::Table, Format::Csv, Format::Json])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let as_of = args.as_of.unwrap_or_else(|| ctx.today());
    let report = loaded.subsidy(args.period, &standards, args.budget, as_of, Inapplicable::Refused)?.ok_or_else(|| {
        Error::msg(format!(
            "data/funds/{}.toml: missing: a subsidy round needs its funds file (rates, coefficients, optional budget; see DESIGN §9)",
            args.period
        ))
    })?;
    let out = match format {
        Format::Json => {
            let mut doc = to_json(&loaded.registry, &report, &standards);
            doc.insert("as_of".into(), json!(as_of.to_string()));
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            finish(doc, &provenance)
        }
        Format::Csv => rows(&loaded.registry, &report, args.by, lang, true).to_csv(),
        _ => {
            let head = match lang {
                Lang::Zh => format!(
                    "{} {} 财政补贴：合计 {} 元{}，扣减 {} 元\n",
                    loaded.settings.district,
                    report.period,
                    fmt2(report.total),
                    report
                        .budget
                        .map(|b| format!(
                            "（预算 {}{}）",
                            fmt2(b),
                            if report.scaled { "，按比例核减" } else { "" }
                        ))
                        .unwrap_or_default(),
                    fmt2(report.withheld())
                ),
                Lang::En => format!(
                    "Subsidy for {}: total {}{}, withheld {}\n",
                    report.period,
                    fmt2(report.total),
                    report
                        .budget
                        .map(|b| format!(
                            " (budget {}{})",
                            fmt2(b),
                            if report.scaled { ", scaled down" } else { "" }
                        ))
                        .unwrap_or_default(),
                    fmt2(report.withheld())
                ),
            };
            head + &rows(&loaded.registry, &report, args.by, lang, false).to_table()
        }
    };
    emit(out.as_bytes())
}

fn rows(reg: &Registry, r: &SubsidyReport, by: SubsidyBy, lang: Lang, machine: bool) -> Rows {
    let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
    match by {
        SubsidyBy::Street => {
            let mut t = Rows::new([
                l("街道编号", "street_id"),
                l("街道", "name"),
                l("基数", "base"),
                l("扣减", "withheld"),
                l("金额", "amount"),
                l("大写金额", "amount_in_words"),
                l("结果分布", "outcomes"),
            ]);
            for s in r.by_street(reg) {
                let outcomes: Vec<String> = s.outcomes.iter().map(|(k, n)| format!("{k} {n}")).collect();
                t.push(vec![
                    Cell::text(&s.street_id),
                    Cell::text(&s.name),
                    Cell::num(fmt2(s.base)),
                    Cell::num(fmt2(s.withheld)),
                    Cell::num(fmt2(s.amount)),
                    Cell::text(capital(s.amount).unwrap_or_default()),
                    Cell::text(outcomes.join("; ")),
                ]);
            }
            t
        }
        SubsidyBy::Compound => {
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
                    Cell::text(&c.outcome),
                    Cell::num(c.coefficient),
                    Cell::num(c.fee_rate.map(|f| fmt2(f * Decimal::ONE_HUNDRED)).unwrap_or_default()),
                    Cell::text(if machine {
                        c.bonus.to_string()
                    } else if c.bonus {
                        "●".into()
                    } else {
                        String::new()
                    }),
                    Cell::num(fmt2(c.amount)),
                ]);
            }
            t
        }
        SubsidyBy::Company => {
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
    }
}

/// The JSON document of DESIGN §11.
pub fn to_json(reg: &Registry, r: &SubsidyReport, st: &StandardsFile) -> serde_json::Map<String, Value> {
    let mut doc = document(&r.period, st);
    doc.insert("budget".into(), dec(r.budget));
    doc.insert("scaled".into(), json!(r.scaled));
    doc.insert("total".into(), dec(Some(r.total)));
    doc.insert("withheld".into(), dec(Some(r.withheld())));
    doc.insert(
        "streets".into(),
        Value::Array(
            r.by_street(reg)
                .iter()
                .map(|s| json!({"street_id": s.street_id, "name": s.name, "amount": fmt2(s.amount), "withheld": fmt2(s.withheld), "base": fmt2(s.base), "outcomes": s.outcomes}))
                .collect(),
        ),
    );
    doc.insert(
        "compounds".into(),
        Value::Array(
            r.compounds
                .iter()
                .map(|c| {
                    json!({
                        "compound_id": c.compound_id, "street_id": c.street_id, "company_id": c.company_id,
                        "months": c.months, "base": fmt2(c.base), "coefficient": fmt2(c.coefficient),
                        "outcome": c.outcome, "fee_rate": dec(c.fee_rate.map(|f| f * Decimal::ONE_HUNDRED)),
                        "bonus": c.bonus, "entitlement": fmt2(c.entitlement), "withheld": fmt2(c.withheld()), "amount": fmt2(c.amount),
                    })
                })
                .collect(),
        ),
    );
    doc.insert(
        "companies".into(),
        Value::Array(
            r.by_company(reg)
                .into_iter()
                .map(|(id, name, a)| json!({"company_id": id, "name": name, "amount": fmt2(a)}))
                .collect(),
        ),
    );
    doc
}
