//! `oldestate company`: each property company's record, for residents choosing a company.

use clap::Args;

use crate::domain::company::{records, CompanyRecord};
use crate::error::{Diagnostics, Result};
use crate::model::Period;
use crate::render::{docx, Format};
use crate::report::company::CompanyReport;
use crate::workspace;

use super::loaded::{Inapplicable, Loaded};
use super::{emit, AsOfOpt, Context};

/// Each property company's record, for residents choosing a company.
///
/// Each company's record (服务记录) for residents choosing a company (居民选): compounds it
/// serves on the period's last day, the mean official score of the compounds it served, passed
/// and failed, notices and their outcomes, vetoes caused, fee collection — for the period and
/// the three before it. Markdown or HTML print one page per company, for the notice board of a
/// selection meeting; JSON is for scripts.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate company --period 2026H1\n  oldestate company CO1 --period 2026H1 --format html > CO1.html"
)]
pub struct CompanyArgs {
    /// One company: its id, full name or a short name only it has (劝业场物业); default:
    /// every company
    #[arg(value_name = "COMPANY")]
    pub company: Option<String>,
    /// The period: a month, quarter, half year or year (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
}

/// Run `oldestate company`: the companies asked about, their records for the period and the
/// three before it, written as Markdown, HTML or JSON.
pub fn cmd_company(ctx: &Context, args: &CompanyArgs) -> Result<()> {
    let format = ctx.format("company", crate::cli::DOCUMENT_FORMATS)?;
    let mut loaded = Loaded::report(ctx, format, args.when.as_of)?;
    let lang = loaded.lang(ctx);
    let companies = companies(&loaded, args.company.as_deref())?;
    let standards = loaded.standards_for(&args.period)?;
    // The period and the three before it, each under its own standards (none: no scores).
    let mut periods = vec![args.period];
    for _ in 0..3 {
        let p = periods[periods.len() - 1].previous();
        periods.push(p);
    }
    let ids: Vec<&str> = companies.iter().map(|(id, _)| id.as_str()).collect();
    let mut by_period = Vec::new();
    for (i, p) in periods.iter().enumerate() {
        // The period asked for must have inspections; the three before it may not.
        by_period.push(period_records(ctx, &mut loaded, &ids, *p, i == 0)?);
    }
    let report = CompanyReport::new(&companies, by_period);
    let out = match format {
        Format::Json => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            crate::render::company::json(&report, &args.period, &loaded.as_of, &standards, &provenance)
        }
        _ => {
            let doc =
                crate::render::company::document(&report, &loaded.settings.district, args.period, &loaded.as_of, lang);
            match format {
                Format::Html => doc.to_html(lang.pick("zh-CN", "en")),
                Format::Docx => {
                    let provenance = loaded.inputs.provenance(&loaded.ws)?;
                    let props = docx::properties(&doc.title, &standards, &provenance);
                    let mut g = docx::from_document(&doc, props);
                    g.issuer = loaded.settings.documents.issuer.clone();
                    g.date = crate::render::words::date_words(loaded.as_of.date, lang);
                    return super::emit_binary(&docx::to_docx(&g)?);
                }
                _ => doc.to_markdown(),
            }
        }
    };
    ctx.discard(std::sync::Arc::clone(&loaded.registry));
    emit(out.as_bytes())
}

/// The companies asked about, as (id, name): the one named (by id or name, see
/// [`crate::model::registry::Registry::resolve_company`]), or every company of the registry.
fn companies(loaded: &Loaded, asked: Option<&str>) -> Result<Vec<(String, String)>> {
    let reg = &loaded.registry;
    let Some(who) = asked else {
        return Ok(reg
            .companies
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone()))
            .collect());
    };
    let c = reg.resolve_company(who)?;
    Ok(vec![(c.id.to_string(), c.name.clone())])
}

/// Every company's record for one period. The period asked for (`required`) is scored with
/// its notices in one pass over the store, each of the three before it from its own months
/// only, so that a period without inspections costs no pass over the later months (its record
/// has no scores or notices). A period without inspections up to the as-of date is an error
/// when `required`. The period asked for's reports are left to the process's end (freeing a
/// national half-year's 220,000 results cost more than summing them); the others' are freed
/// once summed, so that at most two periods' are held at once (a month's report scores four
/// periods).
fn period_records(
    ctx: &Context,
    loaded: &mut Loaded,
    ids: &[&str],
    p: Period,
    required: bool,
) -> Result<Vec<CompanyRecord>> {
    let st = loaded.standards.for_period(&p).ok().cloned();
    let (scores, rechecks) = match &st {
        Some(st) if required => {
            let (scores, rechecks) = loaded.score_and_rechecks(p, st, Inapplicable::Refused)?;
            (Some(scores), Some(rechecks))
        }
        Some(st) => match loaded.score_if_any(p, None, st, Inapplicable::Refused)? {
            Some(scores) => (Some(scores), Some(loaded.rechecks(p, st, Inapplicable::Refused)?)),
            None => (None, None),
        },
        None => (None, None),
    };
    let mut d = Diagnostics::new();
    let fees = workspace::load_fees(&loaded.ws, &p, &mut d)?;
    d.into_result()?;
    loaded.inputs.add_file(&loaded.ws, &format!("data/fees/{p}.csv"))?;
    let records = records(&loaded.registry, ids, p, scores.as_ref(), rechecks.as_ref(), &fees);
    if required {
        ctx.discard((scores, rechecks, fees));
    }
    Ok(records)
}
