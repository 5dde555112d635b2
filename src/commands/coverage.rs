//! `oldestate inspect coverage`: which compounds each level failed to visit in its windows.

use clap::Args;

use crate::error::Result;
use crate::model::Period;
use crate::render::json::{to_pretty, Document};
use crate::render::{coverage, Format};
use crate::report::coverage::Coverage;

use super::loaded::Loaded;
use super::{csv_text, emit, emit_xlsx, AsOfOpt, Context};

/// Which compounds each level failed to visit in its required windows.
///
/// Full coverage (全覆盖): for every level, the windows its cadence requires in the period and
/// the compounds with no routine visit in each, counted per street. A window is required when
/// it lies wholly inside the period; when the period is shorter than the cadence, the one
/// window containing the period is required and visits anywhere in it count.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate inspect coverage --period 2026Q1\n  oldestate inspect coverage --period 2026-03 --format csv --excel > gaps.csv"
)]
pub struct CoverageArgs {
    /// The period: a month, quarter, half year or year (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
}

/// Run `inspect coverage`: load, score the period, render each level's gaps.
pub fn cmd_coverage(ctx: &Context, args: &CoverageArgs) -> Result<()> {
    let format = ctx.format("inspect coverage", crate::cli::TABLE_FORMATS)?;
    let mut loaded = Loaded::report(ctx, format, args.when.as_of)?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let coverage = loaded.coverage(args.period, &standards)?;
    loaded.note_if_incomplete(ctx, &args.period, format);
    let reg = &loaded.registry;
    let out = match format {
        Format::Json => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            let body = Coverage::new(reg, &coverage);
            to_pretty(&Document::new(
                &args.period,
                &loaded.as_of,
                &standards,
                body,
                &provenance,
            ))
        }
        Format::Csv => csv_text(ctx, &coverage::gap_rows(reg, &coverage, lang, !ctx.excel)),
        Format::Xlsx => {
            let district = &loaded.settings.district;
            return emit_xlsx(&coverage::sheets(
                reg,
                &coverage,
                district,
                &args.period,
                loaded.as_of.date,
                lang,
            ));
        }
        _ => coverage::table(reg, &coverage, &args.period, loaded.as_of.date, lang),
    };
    emit(out.as_bytes())
}
