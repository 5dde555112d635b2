//! `oldestate subsidy`: the period's fiscal subsidies per compound, street and company.

use clap::{Args, ValueEnum};
use rust_decimal::Decimal;
use rust_i18n::t;

use crate::domain::capital::capital;
use crate::domain::subsidy::SubsidyReport;
use crate::error::{Error, Result};
use crate::model::decimal::parse_decimal;
use crate::model::records::Lang;
use crate::model::Period;
use crate::render::json::{to_pretty, Document};
use crate::render::xlsx::{self, Sheet};
use crate::render::{subsidy, Format, Rows};
use crate::report::subsidy::Subsidy;

use super::loaded::{Inapplicable, Loaded};
use super::publish::{format_arg, lang_arg, publish, Made};
use super::{csv_text, emit, AsOfOpt, Context};

/// Fiscal subsidies per compound, street and company, exact to the fen.
///
/// Subsidies tied to outcomes (整改结果与财政补贴挂钩), from data/funds/PERIOD.toml: per
/// compound, base = area × the monthly rate of its service grade over its contract months,
/// times the coefficient of its outcome and the fee bonus; capped by the budget; amounts in
/// fen that add up to the total exactly. `--by street --format xlsx` is finance's payment sheet
/// (拨付表): each street's amount in capital numerals (大写金额), the 合计, and lines to sign;
/// `--format csv --excel` is the same listing as CSV for Excel.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate subsidy --period 2026H1 --by company\n  oldestate subsidy --period 2026H1 --budget 1200000 --format xlsx > subsidy.xlsx"
)]
pub struct SubsidyArgs {
    /// The period of the funds file (data/funds/PERIOD.toml) (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// Cap the total at AMOUNT 元 (yuan, e.g. 1200000 or 1200000.50) instead of the funds
    /// file's budget
    #[arg(long, value_name = "AMOUNT", value_parser = parse_amount)]
    pub budget: Option<Decimal>,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
    /// Which rows the table and CSV list (JSON holds all)
    #[arg(long, value_enum, default_value_t = SubsidyBy::Street)]
    pub by: SubsidyBy,
    /// Record the workbook as published (data/published.csv; with --format xlsx), so
    /// `oldestate verify` can tell later whether it still stands
    #[arg(long)]
    pub publish: bool,
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
        .ok_or_else(|| t!("subsidy.bad_amount", value = s).into_owned())
}

/// Run `subsidy`: load, allocate the round, render it in the chosen format (and record the
/// workbook as published when asked).
pub fn cmd_subsidy(ctx: &Context, args: &SubsidyArgs) -> Result<()> {
    let format = ctx.format("subsidy", crate::cli::TABLE_FORMATS)?;
    if args.publish && format != Format::Xlsx {
        return Err(Error::Usage(t!("subsidy.publish_needs_xlsx").into_owned()));
    }
    let made = document(ctx, args, args.publish)?;
    if format == Format::Xlsx {
        super::emit_binary(&made.bytes)?;
    } else {
        emit(&made.bytes)?;
    }
    if args.publish {
        publish(ctx, "subsidy", &made, "stdout")?;
    }
    Ok(())
}

/// The report's bytes in the format asked for, with what they stood on (`provenance`: also
/// its inputs' digest, for publishing). `verify` makes it again through this.
pub fn document(ctx: &Context, args: &SubsidyArgs, provenance: bool) -> Result<Made> {
    let format = ctx.format("subsidy", crate::cli::TABLE_FORMATS)?;
    let mut loaded = Loaded::report(ctx, format, args.when.as_of)?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let report = loaded
        .subsidy(args.period, &standards, args.budget, Inapplicable::Refused, |spent| {
            ctx.discard(spent)
        })?
        .ok_or_else(|| Error::msg(t!("subsidy.no_funds", period = args.period)))?;
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
        Format::Csv => csv_text(ctx, &rows(!ctx.excel)),
        Format::Xlsx => String::new(),
        _ => subsidy::title(&loaded.settings.district, &report, loaded.as_of.date, lang) + &rows(false).to_table(),
    };
    let bytes = match format {
        Format::Xlsx => xlsx::workbook_dated(
            &[sheet(&loaded, &report, args.by, lang, rows(false))],
            Some(loaded.as_of.date),
        )?,
        _ => out.into_bytes(),
    };
    let mut arguments = format!("subsidy --period {} --by {}", args.period, by_arg(args.by));
    if let Some(b) = args.budget {
        arguments += &format!(" --budget {b}");
    }
    arguments += &format!(" --format {} --lang {}", format_arg(format), lang_arg(lang));
    let made = Made {
        bytes,
        period: args.period,
        as_of: loaded.as_of.date,
        standards: (standards.file.clone(), standards.sha256.clone()),
        arguments,
        provenance: provenance.then(|| loaded.inputs.provenance(&loaded.ws)).transpose()?,
        ws: loaded.ws.clone(),
        lang,
    };
    // The report's 220,000 compounds (at national scale) and the registry are done with.
    ctx.discard((report, std::sync::Arc::clone(&loaded.registry)));
    Ok(made)
}

/// `--by` as written on the command line.
fn by_arg(by: SubsidyBy) -> &'static str {
    match by {
        SubsidyBy::Street => "street",
        SubsidyBy::Compound => "compound",
        SubsidyBy::Company => "company",
    }
}

/// The workbook's sheet: by street, finance's payment sheet; by compound or company, the
/// listing with its money added up (the 合计 of the amounts is the round's total).
fn sheet(loaded: &Loaded, report: &SubsidyReport, by: SubsidyBy, lang: Lang, rows: Rows) -> Sheet {
    let (district, as_of) = (&loaded.settings.district, loaded.as_of.date);
    let (what, name, totals): (_, _, &[usize]) = match by {
        SubsidyBy::Street => return subsidy::payment_sheet(&loaded.registry, report, district, as_of, lang),
        SubsidyBy::Compound => (
            lang.pick("财政补贴（按小区）", "subsidy by compound"),
            lang.pick("小区", "Compounds"),
            &[4, 9],
        ),
        SubsidyBy::Company => (
            lang.pick("财政补贴（按物业公司）", "subsidy by company"),
            lang.pick("物业公司", "Companies"),
            &[2],
        ),
    };
    let title = xlsx::title(district, &report.period, what, lang);
    let mut sheet = Sheet::new(name, title, xlsx::period_as_of_line(as_of, &report.period, lang), rows)
        .with_totals(lang.pick("合计", "Total"), totals);
    if by == SubsidyBy::Company {
        let sum = sheet.sums().first().map(|s| s.1).unwrap_or_default();
        sheet.total_text = vec![(3, capital(sum).unwrap_or_default())];
    }
    sheet
}
