//! `oldestate assessor`: the bureau's assessment of the assessor (对第三方的考核, 双向监督,
//! DESIGN §16), in one pass over the store that also scores the period.

use clap::Args;

use crate::domain::assessor::{self, AssessorReport, Gather};
use crate::domain::rule::Rule;
use crate::error::Result;
use crate::model::{Level, Period};
use crate::render::assessor::{self as render, Frame};
use crate::render::json::{to_pretty, Document};
use crate::render::{docx, Format};
use crate::report::assessor::Assessor;
use crate::workspace::StandardsFile;

use super::loaded::Loaded;
use super::{csv_text, emit, emit_binary, emit_xlsx, AsOfOpt, Context};

/// The assessor's own assessment: coverage, agreement, appeals, teams, evidence.
///
/// How the level whose visits give the official score (the third party, unless `--level`)
/// does its work in a period: the compounds it covered in each required window; how its
/// routine visits agree with the district's own checks of the same compounds within
/// `[assessor] agreement_days` (pairs, mean and largest score difference, verdicts agreeing,
/// Cohen's kappa, items found by one side only); the appeals against its visits (filed,
/// upheld, points removed, by street and by item); each team's visits, points per visit and
/// pass rate against the rest of the level (Fisher's exact test, Mann–Whitney U; an outlier
/// when p < `[assessor] alpha`); and the photos behind its points. `[assessor]` is set in
/// data/workspace.toml (agreement_days = 14, alpha = 0.01 by default).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate assessor --period 2026H1\n  oldestate assessor --period 2026Q2 --level street --format json\n  oldestate assessor --period 2026H1 --format docx > 第三方考评.docx"
)]
pub struct AssessorArgs {
    /// The period: a month, quarter, half year or year (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// Assess this level's teams instead of the standards' scoring level
    /// (community | street | district | third_party)
    #[arg(long, value_name = "LEVEL", value_parser = crate::model::level::parse_level)]
    pub level: Option<Level>,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
}

/// Run `assessor`: load, gather the level's visits while scoring the period, draw up the
/// assessment, render it.
pub fn cmd_assessor(ctx: &Context, args: &AssessorArgs) -> Result<()> {
    let format = ctx.format("assessor", crate::cli::ASSESSOR_FORMATS)?;
    let mut loaded = Loaded::report(ctx, format, args.when.as_of)?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let level = args.level.unwrap_or(standards.standards.scoring_level);
    let report = assess(ctx, &mut loaded, &standards, args.period, level)?;
    loaded.note_if_incomplete(ctx, &args.period, format);
    let value = Assessor::new(&loaded.registry, &standards.standards, &report);
    let frame = Frame {
        registry: &loaded.registry,
        district: &loaded.settings.district,
        period: args.period,
        as_of: loaded.as_of,
        level,
        lang,
    };
    let out = match format {
        Format::Json => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            to_pretty(&Document::new(
                &args.period,
                &loaded.as_of,
                &standards,
                value,
                &provenance,
            ))
        }
        Format::Csv => csv_text(ctx, &render::teams(&value, lang, !ctx.excel)),
        Format::Md => render::document(&value, &frame).to_markdown(),
        Format::Docx => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            let doc = render::document(&value, &frame);
            let props = docx::properties(&doc.title, &standards, &provenance);
            return emit_binary(&docx::to_docx(&docx::from_document(&doc, props))?);
        }
        Format::Xlsx => return emit_xlsx(&render::sheets(&value, &frame)),
        _ => render::table(&value, &frame),
    };
    ctx.discard((report, std::sync::Arc::clone(&loaded.registry)));
    emit(out.as_bytes())
}

/// The assessment of `level` in `period`: the appeals read, the level's visits gathered in the
/// pass that scores the period at that level (its coverage comes from the same pass).
pub fn assess(
    ctx: &Context,
    loaded: &mut Loaded,
    standards: &StandardsFile,
    period: Period,
    level: Level,
) -> Result<AssessorReport> {
    let (appeals, appealed) = loaded.appeal_records()?;
    let st = &standards.standards;
    let rule = Rule::new(st);
    let settings = loaded.settings.assessor;
    let gather = Gather::new(&rule, st, level, period, settings, &appealed);
    let span = gather.span();
    let (scores, gather) = loaded.score_level_and(period, level, standards, span, gather)?;
    let coverage = scores.coverage();
    let registry = std::sync::Arc::clone(&loaded.registry);
    let (report, visits) = gather.finish(&assessor::Context {
        registry: &registry,
        appeals: &appeals,
        as_of: &loaded.as_of,
        coverage: &coverage,
        settings,
    });
    // The period's 220,000 results (at national scale) and the visits are done with.
    ctx.discard((scores, coverage, visits));
    Ok(report)
}
