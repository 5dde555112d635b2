//! `oldestate recheck`: rectification notices, their re-inspections, and the vetoes.

use rust_i18n::t;
use std::path::{Path, PathBuf};

use chrono::{Days, NaiveDate};
use clap::Args;

use crate::domain::recheck::{Outcome, RecheckReport};
use crate::error::{Error, Result};
use crate::model::records::Lang;
use crate::model::Period;
use crate::render::json::{to_pretty, Document};
use crate::render::notice::{self, NoticeCoefficients, NoticeInputs};
use crate::render::{docx, recheck, Format};
use crate::report::recheck::Recheck;
use crate::workspace::sources::{latest_sources, load_sources_of};
use crate::workspace::{self, StandardsFile};

use super::loaded::{AsOfDefault, Inapplicable, Loaded};
use super::publish::{format_arg, lang_arg, listing, publish, Made};
use super::{csv_text, emit, emit_xlsx, AsOfOpt, Context};

/// Rectification notices, re-inspections and vetoes for a period.
///
/// Rectification (限期整改): every failing official routine visit of the period gets a notice
/// with a deadline; its re-inspection is the compound's first recheck visit after it, at any
/// level, wherever it lies in the store. Outcomes: rectified, failed (late flagged), pending or
/// overdue as of --as-of. A failed re-inspection vetoes the community's 美丽社区 for that year.
/// With --due-within, the as-of date defaults to today: the list answers what is due from
/// today on.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate recheck --period 2026H1 --notices notices/ --format docx\n  oldestate recheck --period 2026H1 --due-within 7 --as-of today"
)]
pub struct RecheckArgs {
    /// The period whose failing visits get notices (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
    /// Write one 整改通知书 per notice into DIR (DIR/<notice_id>.md, or .html/.docx with
    /// --format html|docx)
    #[arg(long, value_name = "DIR")]
    pub notices: Option<PathBuf>,
    /// Only the pending notices whose deadline falls within DAYS after the as-of date, soonest first
    #[arg(long, value_name = "DAYS")]
    pub due_within: Option<u64>,
    /// Record the notices written by --notices as published (data/published.csv), so
    /// `oldestate verify` can tell later whether they still stand
    #[arg(long, requires = "notices")]
    pub publish: bool,
}

/// Run `recheck`: load, follow every notice to its re-inspection, write the notice documents
/// when asked, and render the report (or only the notices due soon).
pub fn cmd_recheck(ctx: &Context, args: &RecheckArgs) -> Result<()> {
    let supported = match args.notices {
        Some(_) => crate::cli::NOTICE_FORMATS,
        None => crate::cli::TABLE_FORMATS,
    };
    let format = ctx.format("recheck", supported)?;
    // --format md|html|docx names the notices' format; the report itself is then the table.
    let notice_format = match format {
        Format::Html | Format::Docx => format,
        _ => Format::Md,
    };
    // What is due is a calendar question, asked from today; the rest is the store's state.
    let default = match args.due_within {
        Some(_) => AsOfDefault::Today,
        None => AsOfDefault::NewestVisit,
    };
    let mut loaded = Loaded::load(
        ctx,
        format.carries_provenance() || notice_format == Format::Docx,
        args.when.as_of,
        default,
    )?;
    let lang = loaded.lang(ctx);
    if let Some(dir) = &args.notices {
        crate::workspace::refuse_store_path(&loaded.ws, dir, "--notices")?;
    }
    let standards = loaded.standards_for(&args.period)?;
    let mut report = loaded.rechecks(args.period, &standards, Inapplicable::Refused)?;
    loaded.note_if_incomplete(ctx, &args.period, format);
    let mut published = None;
    if let Some(dir) = &args.notices {
        let docs = notice_documents(&loaded, &standards, &report, lang, notice_format)?;
        write_notices(ctx, dir, &docs)?;
        if args.publish {
            published = Some((
                made(&loaded, &report, &standards, &docs, lang, notice_format, true)?,
                dir,
            ));
        }
    }
    if let Some(days) = args.due_within {
        due_within(&mut report, days);
    }
    let reg = &loaded.registry;
    let out = match format {
        Format::Json => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            let body = Recheck::new(&report, args.due_within);
            to_pretty(&Document::new(
                &report.period,
                &loaded.as_of,
                &standards,
                body,
                &provenance,
            ))
        }
        Format::Csv => csv_text(ctx, &recheck::notice_rows(reg, &report, lang, !ctx.excel)),
        Format::Xlsx => {
            let district = &loaded.settings.district;
            return emit_xlsx(&recheck::sheets(
                reg,
                &report,
                district,
                lang,
                args.due_within.is_none(),
            ));
        }
        _ => recheck::table(reg, &report, &standards, lang, args.due_within.is_none()),
    };
    emit(out.as_bytes())?;
    if let Some((made, dir)) = published {
        // The store's read lock goes before the record takes the writer's.
        drop(loaded);
        publish(ctx, "recheck", &made, &dir.display().to_string())?;
    }
    Ok(())
}

/// The notices of `args.period` as published: their documents' `sha256sum` listing, made
/// again by `verify` (`--format md|html|docx` names the notices' format).
pub fn notices_document(ctx: &Context, args: &RecheckArgs, provenance: bool) -> Result<Made> {
    let format = ctx.format("recheck", &[Format::Md, Format::Html, Format::Docx])?;
    let mut loaded = Loaded::load(ctx, format == Format::Docx, args.when.as_of, AsOfDefault::NewestVisit)?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let report = loaded.rechecks(args.period, &standards, Inapplicable::Refused)?;
    let docs = notice_documents(&loaded, &standards, &report, lang, format)?;
    made(&loaded, &report, &standards, &docs, lang, format, provenance)
}

/// The published form of a set of notices.
fn made(
    loaded: &Loaded,
    report: &RecheckReport,
    standards: &StandardsFile,
    docs: &[(String, Vec<u8>)],
    lang: Lang,
    format: Format,
    provenance: bool,
) -> Result<Made> {
    Ok(Made {
        bytes: listing(docs),
        period: report.period,
        as_of: report.as_of,
        standards: (standards.file.clone(), standards.sha256.clone()),
        arguments: format!(
            "recheck --period {} --format {} --lang {}",
            report.period,
            format_arg(format),
            lang_arg(lang)
        ),
        provenance: provenance.then(|| loaded.inputs.provenance(&loaded.ws)).transpose()?,
        ws: loaded.ws.clone(),
        lang,
    })
}

/// Keep only the pending notices due within `days` after the as-of date, soonest first.
fn due_within(report: &mut RecheckReport, days: u64) {
    let horizon = report.as_of.checked_add_days(Days::new(days)).unwrap_or(NaiveDate::MAX);
    report
        .notices
        .retain(|n| n.outcome == Outcome::Pending && n.deadline <= horizon);
    report
        .notices
        .sort_by(|a, b| (a.deadline, &a.notice_id).cmp(&(b.deadline, &b.notice_id)));
}

/// Write the notice documents into `dir` (`--notices DIR`), and say how many.
fn write_notices(ctx: &Context, dir: &Path, docs: &[(String, Vec<u8>)]) -> Result<()> {
    let written = write_documents(dir, docs)?;
    ctx.note(t!(
        "recheck.notices_written",
        n = docs.len(),
        dir = dir.display(),
        written = written
    ));
    Ok(())
}

/// One notice document per notice, named by its notice id, in `format`.
fn notice_documents(
    loaded: &Loaded,
    standards: &StandardsFile,
    report: &RecheckReport,
    lang: Lang,
    format: Format,
) -> Result<Vec<(String, Vec<u8>)>> {
    let inputs_sha256 = if format == Format::Docx {
        loaded.inputs.provenance(&loaded.ws)?.inputs_sha256
    } else {
        String::new()
    };
    let inputs = NoticeInputs {
        reg: &loaded.registry,
        documents: &loaded.settings.documents,
        default_issuer: format!("{}民政局", loaded.settings.district),
        standards,
        as_of: report.as_of,
        lang,
        root: Some(&loaded.ws.root),
        inputs_sha256,
        coefficients: coefficients(loaded, standards, report.period),
        sources: {
            let ids: std::collections::HashSet<&str> = report.notices.iter().map(|n| &*n.visit_id).collect();
            latest_sources(load_sources_of(&loaded.ws, |id| ids.contains(id))?)
        },
    };
    let html_lang = lang.pick("zh-CN", "en");
    let docs: Vec<(String, Vec<u8>)> = report
        .notices
        .iter()
        .map(|n| {
            let g = notice::gongwen(&inputs, n)?;
            let bytes = match format {
                Format::Docx => docx::to_docx(&g)?,
                Format::Html => notice::to_html(&g, html_lang).into_bytes(),
                _ => notice::to_markdown(&g).into_bytes(),
            };
            Ok((file_name(&n.notice_id, format.as_str())?, bytes))
        })
        .collect::<Result<_>>()?;
    Ok(docs)
}

/// The subsidy coefficients a failing compound's notices decide (rectified, re-inspection failed,
/// unresolved: DESIGN §9) from the period's funds file; none when there is no such file or it
/// does not load cleanly, and the notice then words the subsidy's consequence generally.
fn coefficients(loaded: &Loaded, standards: &StandardsFile, period: Period) -> Option<NoticeCoefficients> {
    let grades: Vec<&str> = standards.standards.grades.iter().map(|g| g.name.as_str()).collect();
    let mut d = crate::error::Diagnostics::new();
    let funds = workspace::load_funds(&loaded.ws, &period, &grades, &mut d).ok()??;
    d.into_result().ok()?;
    let c = |k: &str| funds.coefficients.get(k).map(|v| v.to_string());
    Some(NoticeCoefficients {
        rectified: c("rectified")?,
        recheck_failed: c("recheck_failed")?,
        unresolved: c("unresolved")?,
    })
}

/// A notice id as a file name: ids come from the store, so anything that could leave the
/// directory (separators, `..`, a leading dot) is refused rather than followed.
fn file_name(notice_id: &str, ext: &str) -> Result<String> {
    let safe = !notice_id.starts_with('.')
        && notice_id
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '-' | '_' | '.'))
        && !notice_id.contains("..");
    if safe {
        Ok(format!("{notice_id}.{ext}"))
    } else {
        Err(Error::msg(t!("recheck.bad_notice_id", id = notice_id)))
    }
}

/// Write documents into `dir`, each only when its content changed, each through a temporary
/// file renamed into place. Returns how many were written.
fn write_documents(dir: &Path, docs: &[(String, Vec<u8>)]) -> Result<usize> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let mut written = 0;
    for (name, text) in docs {
        let path = dir.join(name);
        if std::fs::read(&path).is_ok_and(|old| old == *text) {
            continue;
        }
        let mut tmp =
            crate::workspace::transaction::temp_file_in(dir, ".oldestate-tmp-").map_err(|e| Error::io(dir, e))?;
        crate::workspace::transaction::keep_mode(tmp.as_file(), &path)
            .and_then(|_| std::io::Write::write_all(&mut tmp, text))
            .map_err(|e| Error::io(&path, e))?;
        tmp.persist(&path).map_err(|e| Error::io(&path, e.error))?;
        written += 1;
    }
    Ok(written)
}
