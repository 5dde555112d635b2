//! `oldestate subsidy`: the period's fiscal subsidies per compound, street and company.

use clap::{Args, ValueEnum};
use rust_decimal::Decimal;

use crate::error::{Error, Result};
use crate::model::decimal::parse_decimal;
use crate::model::Period;
use crate::render::json::{to_pretty, Document};
use crate::render::{subsidy, Format};
use crate::report::subsidy::Subsidy;

use super::loaded::{AsOfDefault, Inapplicable, Loaded};
use super::{emit, AsOfOpt, Context};

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
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
    /// Which rows the table and CSV list (JSON holds all)
    #[arg(long, value_enum, default_value_t = SubsidyBy::Street)]
    pub by: SubsidyBy,
}

/// The listing the table and CSV show.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SubsidyBy {
    /// One row per street: finance's payment sheet.
    Street,
    /// One row per compound, from base to amount.
    Compound,
    /// One row per company under contract.
    Company,
}

/// clap parser for `--budget`: a non-negative amount.
fn parse_amount(s: &str) -> std::result::Result<Decimal, String> {
    parse_decimal(s)
        .filter(|d| *d >= Decimal::ZERO)
        .ok_or_else(|| format!("expected an amount like 1200000.00, found \"{s}\""))
}

/// Run `subsidy`: load, allocate the round, render it in the chosen format.
pub fn cmd_subsidy(ctx: &Context, args: &SubsidyArgs) -> Result<()> {
    let format = ctx.format("subsidy", &[Format::Table, Format::Csv, Format::Json])?;
    let mut loaded = Loaded::load(
        ctx,
        format.carries_provenance(),
        args.when.as_of,
        AsOfDefault::NewestVisit,
    )?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let report = loaded.subsidy(args.period, &standards, args.budget, Inapplicable::Refused)?.ok_or_else(|| {
        Error::msg(format!(
            "data/funds/{}.toml: missing: a subsidy round needs its funds file (rates, coefficients, optional budget; see DESIGN §9)",
            args.period
        ))
    })?;
    loaded.note_if_incomplete(ctx, &args.period, format);
    let reg = &loaded.registry;
    let rows = |machine| match args.by {
        SubsidyBy::Street => subsidy::street_rows(reg, &report, lang, machine),
        SubsidyBy::Compound => subsidy::compound_rows(&report, lang, machine),
        SubsidyBy::Company => subsidy::company_rows(reg, &report, lang, machine),
    };
    let out = match format {
        Format::Json => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            let body = Subsidy::new(reg, &report);
            to_pretty(&Document::new(
                &args.period,
                &loaded.as_of,
                &standards,
                body,
                &provenance,
            ))
        }
        Format::Csv => rows(true).to_csv(),
        _ => subsidy::title(&loaded.settings.district, &report, loaded.as_of.date, lang) + &rows(false).to_table(),
    };
    emit(out.as_bytes())
}
