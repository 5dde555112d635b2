//! `oldestate verify [PERIOD]`: is each published document still what today's store says?
//! Every line of `data/published.csv` (of the period) is made again from today's store with
//! its recorded arguments and as-of date, and its SHA-256 compared with the published one;
//! for a document that changed, the published state kept in `data/published/SHA256.csv` is
//! compared with today's to name the visits added, replaced or removed since (with their
//! source, from `data/sources.csv`), and the appeals and standards that differ.

use std::collections::HashMap;

use clap::Args;
use rust_i18n::t;

use crate::error::{Error, Result};
use crate::model::Period;
use crate::render::json::to_pretty;
use crate::render::{verify as words, Format};
use crate::report::verify::{Checked, SourceRef, Verify, VisitSource, Visits};
use crate::workspace::sources::{load_sources, Source};
use crate::workspace::{load_publications, sha256_hex, Publication, State, Workspace, PUBLISHED};

use super::publish::Made;
use super::{emit, Context};

/// Check that published documents still stand (bulletin, notices, payment sheet).
///
/// Every document recorded in data/published.csv (by --publish) is made again from today's
/// store with its recorded as-of date and arguments, and compared with what was published:
/// identical, or changed, and then which visits were added, replaced or removed since (with
/// the sheet and rows they came from), and which appeals and standards differ. Exit status 0
/// when every document is identical, 1 otherwise.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate verify 2026H1\n  oldestate verify --format json\n  oldestate verify 2026H1 --format md > verify-2026H1.md"
)]
pub struct VerifyArgs {
    /// Only the documents published for this period (2026-03 | 2026Q1 | 2026H1 | 2026);
    /// default: every one recorded
    #[arg(value_name = "PERIOD")]
    pub period: Option<Period>,
}

/// Makes a published document again from its record, with the provenance of what it read: the
/// document, or why it cannot be made.
pub type Remake<'a> = &'a dyn Fn(&Context, &Publication) -> Result<Made>;

/// Run `verify`: check every publication of the period, render the report, and fail (exit 1)
/// when any is not made again identically.
pub fn cmd_verify(ctx: &Context, args: &VerifyArgs, remake: Remake<'_>) -> Result<()> {
    let format = ctx.format("verify", crate::cli::VERIFY_FORMATS)?;
    let ws = ctx.workspace()?;
    let lang = ctx.lang.unwrap_or_else(|| {
        crate::workspace::strictly(|d| crate::workspace::load_settings(&ws, d))
            .map_or(Default::default(), |s| s.language)
    });
    let publications: Vec<Publication> = load_publications(&ws)?
        .into_iter()
        .filter(|p| args.period.is_none_or(|q| p.period == q))
        .collect();
    if publications.is_empty() {
        let what = args.period.map(|p| p.to_string()).unwrap_or_default();
        return Err(Error::msg(lang.pick(
            &format!("{PUBLISHED}：没有 {what} 的发布记录：发布时请加 --publish（如 oldestate bulletin --period 2026H1 --publish）"),
            &format!("{PUBLISHED}: no publication {what} recorded: publish with --publish (oldestate bulletin --period 2026H1 --publish)"),
        ).replace("  ", " ")));
    }
    let sources = load_sources(&ws)?;
    let mut dates: HashMap<String, Source> = HashMap::new();
    for s in sources {
        dates.insert(s.visit_id.clone(), s);
    }
    let standards = ws.standards()?;
    let checked: Vec<Checked> = publications
        .iter()
        .map(|p| check(ctx, &ws, &standards, p, &dates, remake, lang))
        .collect::<Result<_>>()?;
    let report = Verify {
        period: args.period.map(|p| p.to_string()),
        identical: checked.iter().all(|c| c.status == "identical"),
        publications: checked,
    };
    let out = match format {
        Format::Json => to_pretty(&report),
        Format::Md => words::markdown(&report, lang),
        _ => words::table(&report, lang),
    };
    emit(out.as_bytes())?;
    let changed = report.publications.iter().filter(|c| c.status != "identical").count();
    if changed == 0 {
        return Ok(());
    }
    let all = report.publications.len();
    Err(Error::msg(lang.pick(
        &format!("{all} 份已发布文件中有 {changed} 份与今天的数据重新生成的不同"),
        &format!("{changed} of {all} published document(s) differ when made again from today's store"),
    )))
}

/// Check one publication: make it again, compare, and when it changed say what differs.
fn check(
    ctx: &Context,
    ws: &Workspace,
    standards: &crate::workspace::StandardsSet,
    p: &Publication,
    sources: &HashMap<String, Source>,
    remake: Remake<'_>,
    lang: crate::model::records::Lang,
) -> Result<Checked> {
    let mut c = Checked {
        line: p.line,
        published_at: p.published_at.clone(),
        command: p.command.clone(),
        arguments: p.arguments.clone(),
        period: p.period.to_string(),
        as_of: p.as_of.to_string(),
        output: p.output.clone(),
        sha256: p.sha256.clone(),
        sha256_now: None,
        status: "not_made",
        problem: None,
        cause: None,
        visits: Visits::default(),
        appeals: Vec::new(),
        standards: Vec::new(),
    };
    if p.arguments.trim().is_empty() {
        c.problem = Some(
            lang.pick(
                "没有记录参数（手工写入的一行）：无法重新生成",
                "no arguments recorded (a line written by hand): it cannot be made again",
            )
            .to_string(),
        );
        return Ok(c);
    }
    let mut inputs_now = None;
    match remake(ctx, p) {
        Ok(made) => {
            let now = sha256_hex(&made.bytes);
            c.status = if now == p.sha256 { "identical" } else { "changed" };
            c.sha256_now = Some(now);
            inputs_now = made.provenance.map(|p| p.inputs_sha256);
        }
        Err(e) => c.problem = Some(e.to_string()),
    }
    if c.status == "identical" {
        return Ok(c);
    }
    // Every file it read is as it was: the difference is the program's.
    let inputs_known = c.status == "changed" && !p.inputs_sha256.is_empty() && inputs_now.is_some();
    if inputs_known && inputs_now.as_deref() == Some(p.inputs_sha256.as_str()) {
        c.cause = Some("program");
        return Ok(c);
    }
    let Some(then) = State::load(ws, &p.state_file())? else {
        c.problem.get_or_insert_with(|| {
            t!(
                "report.verify.state_missing",
                locale = lang.code(),
                file = p.state_file()
            )
            .into_owned()
        });
        return Ok(c);
    };
    let file = standards.for_period(&p.period)?;
    let now = State::of(ws, &p.period, p.as_of, (&file.file, &file.sha256))?;
    let diff = now.diff(&then);
    let visit = |id: &str| VisitSource {
        visit_id: id.to_string(),
        date: sources.get(id).map(|s| s.date.to_string()),
        source: sources.get(id).map(SourceRef::of),
    };
    for (kind, id) in &diff.added {
        match kind.as_str() {
            "visit" => c.visits.added.push(visit(id)),
            "appeal" => c.appeals.push(id.clone()),
            _ => c.standards.push(id.clone()),
        }
    }
    for (kind, id) in &diff.changed {
        match kind.as_str() {
            "visit" => c.visits.replaced.push(visit(id)),
            "appeal" => c.appeals.push(id.clone()),
            _ => c.standards.push(id.clone()),
        }
    }
    for (kind, id) in &diff.removed {
        match kind.as_str() {
            "visit" => c.visits.removed.push(visit(id)),
            "appeal" => c.appeals.push(id.clone()),
            _ => c.standards.push(id.clone()),
        }
    }
    c.appeals.sort();
    c.standards.sort();
    c.standards.dedup();
    let v = &c.visits;
    let none_listed = v.added.is_empty()
        && v.replaced.is_empty()
        && v.removed.is_empty()
        && c.appeals.is_empty()
        && c.standards.is_empty();
    if inputs_known && none_listed {
        c.cause = Some("other_inputs");
    }
    Ok(c)
}
