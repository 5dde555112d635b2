//! `oldestate score`: every compound's score, grade, verdict and three looks for a period,
//! with community and street aggregates; `--explain` shows how one compound's score came about.

mod explain;

use clap::{Args, ValueEnum};

use crate::domain::scoring::ScoreReport;
use crate::error::{Error, Result};
use crate::model::{Level, Period};
use crate::render::json::Document;
use crate::render::score::{self, Groups};
use crate::render::xlsx::{self, Sheet};
use crate::render::{Format, Rows};
use crate::report::score::Score;

use super::loaded::{Inapplicable, Loaded};
use super::{csv_text, emit, emit_xlsx, AsOfOpt, Context};

/// Score every compound, community and street for a period.
///
/// Score every compound for a period: the mean of the scoring level's routine visit scores,
/// its grade and verdict (pass / fail / not_assessed), red lines, problem points by category,
/// and the three looks (street management, community supervision, property service in place);
/// then each community and street. Upheld appeals are applied first. The standards used are
/// the file in force on the period's first day, named in the output.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate score --period 2026H1 --by street\n  oldestate score --period 2026-03 --explain 南营门"
)]
pub struct ScoreArgs {
    /// The period: a month, quarter, half year or year (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// Score at this level instead of the standards' scoring level
    #[arg(long, value_parser = crate::model::level::parse_level)]
    pub level: Option<Level>,
    /// Which rows the table and CSV list (JSON always holds all three)
    #[arg(long, value_enum, default_value_t = By::Compound)]
    pub by: By,
    /// Show how this compound's score came about (id, name or alias)
    #[arg(long, value_name = "COMPOUND")]
    pub explain: Option<String>,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
}

/// The grouping of a report's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One row per compound.
    Compound,
    /// One row per community.
    Community,
    /// One row per street.
    Street,
}

/// Run `score`: load, score the period (or explain one compound), render the report. Every
/// format is streamed: a national report lists hundreds of thousands of compounds.
pub fn cmd_score(ctx: &Context, args: &ScoreArgs) -> Result<()> {
    let format = ctx.format("score", crate::cli::TABLE_FORMATS)?;
    let mut loaded = Loaded::report(ctx, format, args.when.as_of)?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    if let Some(who) = &args.explain {
        // An explanation is a text table or JSON: CSV would be the table's text, unescaped.
        if matches!(format, Format::Xlsx | Format::Csv) {
            return Err(Error::Usage(format!(
                "`score --explain` does not write --format {}: use table or json",
                format.as_str()
            )));
        }
        let out = explain::explain(&mut loaded, &standards, args.period, args.level, who, format, lang)?;
        loaded.note_if_incomplete(ctx, &args.period, format);
        return emit(out.as_bytes());
    }
    let report = loaded.score(args.period, args.level, &standards, Inapplicable::Refused)?;
    loaded.note_if_incomplete(ctx, &args.period, format);
    let out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    let groups = match args.by {
        By::Community => Groups::Communities(&report.communities),
        _ => Groups::Streets(&report.streets),
    };
    let (compounds, threads) = (&report.compounds, loaded.threads);
    let title = || score::title(&loaded.settings.district, &report, &standards, loaded.as_of.date, lang);
    if format == Format::Xlsx || (format == Format::Csv && ctx.excel) {
        let rows = score::people_rows(compounds, groups, args.by == By::Compound, &standards, lang);
        return people(ctx, &loaded, &report, args.by, groups, rows, format);
    }
    let written = match (format, args.by) {
        (Format::Json, _) => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            let doc = Document::new(
                &report.period,
                &loaded.as_of,
                &standards,
                Score::new(&report),
                &provenance,
            );
            score::write_json(out, &doc)
        }
        (Format::Csv, By::Compound) => score::compounds_csv(out, compounds, &standards, lang, threads),
        (Format::Csv, _) => score::groups_csv(out, groups),
        (_, By::Compound) => score::compounds_table(out, &title(), compounds, &standards, lang, threads),
        (_, _) => score::groups_table(out, &title(), groups, lang),
    };
    // The report and the registry (the rest of `loaded`, its lock among them, is dropped).
    ctx.discard((report, std::sync::Arc::clone(&loaded.registry)));
    written.map_err(|e| Error::io("<stdout>", e))
}

/// The people's listing for a spreadsheet: a CSV for Excel (`--excel`), or a workbook whose
/// 合计 row adds up the counts.
fn people(
    ctx: &Context,
    loaded: &Loaded,
    report: &ScoreReport,
    by: By,
    groups: Groups<'_>,
    rows: Rows,
    format: Format,
) -> Result<()> {
    if format == Format::Csv {
        return emit(csv_text(ctx, &rows).as_bytes());
    }
    let lang = loaded.lang(ctx);
    let what = match by {
        By::Compound => lang.pick("评分（按小区）", "scores by compound"),
        By::Community => lang.pick("评分（按社区）", "scores by community"),
        By::Street => lang.pick("评分（按街道）", "scores by street"),
    };
    let title = xlsx::title(&loaded.settings.district, &report.period, what, lang);
    let as_of = xlsx::period_as_of_line(loaded.as_of.date, &report.period, lang);
    let sums = score::count_columns(groups, by == By::Compound);
    let sheet = Sheet::new(lang.pick("评分", "Scores"), title, as_of, rows);
    emit_xlsx(&[sheet.with_totals(lang.pick("合计", "Total"), &sums)])
}
