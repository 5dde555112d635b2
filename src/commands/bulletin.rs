//! `oldestate bulletin`: the periodic notification (情况通报) that names streets and
//! communities, as Markdown, a printable HTML document, or JSON.

use std::path::PathBuf;

use clap::Args;

use crate::cli::Format;
use crate::domain::bulletin::{build, SummaryBuilder};
use crate::error::{Diagnostics, Error, Result};
use crate::model::Period;
use crate::render::bulletin::{to_document, to_json, Frame};
use crate::render::json::finish;
use crate::workspace;

use super::loaded::Loaded;
use super::recheck::{notice_json, parse_as_of, today};
use super::{emit, Context};

/// The bulletin (情况通报) of a period, in Markdown, HTML or JSON.
///
/// The bulletin of a period: headline figures of the scoring level, street and community
/// rankings with the change since the previous period of the same length, problems by
/// category, hot spots, the three looks per street, failing compounds with their notices,
/// vetoes, coverage gaps of every level, and fee collection. `--street` narrows it to one
/// street: the brief for that street's joint meeting (联席会议), naming no other street.
#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// The period: YYYY-MM, YYYYQn, YYYYHn or YYYY
    #[arg(long)]
    pub period: Period,
    /// Only this street (its id)
    #[arg(long, value_name = "ID")]
    pub street: Option<String>,
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Decide pending against overdue notices as of this date (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<chrono::NaiveDate>,
}

pub fn cmd_bulletin(ctx: &Context, args: &BulletinArgs) -> Result<()> {
    let format = ctx.format("bulletin", &[Format::Md, Format::Html, Format::Json])?;
    let mut loaded = Loaded::load(ctx)?;
    let lang = loaded.lang(ctx);
    if let Some(s) = &args.street {
        if loaded.registry.street(s).is_none() {
            let known: Vec<&str> = loaded.registry.streets.iter().map(|s| s.id.as_str()).collect();
            return Err(Error::msg(format!(
                "unknown street \"{s}\" (known: {})",
                known.join(", ")
            )));
        }
    }
    let period = args.period;
    let standards = loaded.standards_for(&period)?;
    let as_of = args.as_of.unwrap_or_else(today);
    // One report, one standards file (DESIGN §7): the previous period is scored under this
    // period's standards too, leaving out findings on items they do not apply. A previous
    // period that cannot be scored (a visit without a contract) shows no change.
    loaded.ignore_inapplicable = true;
    // Only its street and community scores are used: its compounds are dropped at once.
    let previous = loaded.score(period.previous(), None, &standards).ok().map(|mut p| {
        p.keep_groups_only();
        p
    });
    loaded.ignore_inapplicable = false;
    let registry = std::sync::Arc::clone(&loaded.registry);
    let headline = SummaryBuilder::new(&registry, &standards.standards, period, args.street.as_deref());
    let (scores, rechecks, headline) = loaded.score_rechecks_and(period, as_of, &standards, headline)?;
    let summary = headline.finish();
    if ctx.verbose > 1 {
        eprintln!(
            "oldestate: scores, notices and headline done{}",
            super::loaded::peak_memory()
        );
    }
    let mut d = Diagnostics::new();
    let fees = workspace::load_fees(&loaded.ws, &period, &mut d)?;
    d.into_result()?;
    loaded.inputs.add_file(&loaded.ws, &format!("data/fees/{period}.csv"))?;
    let b = build(
        &loaded.registry,
        &standards.standards,
        summary,
        &scores,
        previous.as_ref(),
        &rechecks,
        &fees,
        args.street.as_deref(),
    );
    if ctx.verbose > 1 {
        eprintln!("oldestate: bulletin built{}", super::loaded::peak_memory());
    }
    let frame = Frame {
        registry: &loaded.registry,
        standards: &standards,
        district: &loaded.settings.district,
        as_of,
        lang,
    };
    let out = match format {
        Format::Json => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            finish(
                to_json(&b, &standards, as_of, super::score::compound_json, notice_json),
                &provenance,
            )
        }
        Format::Html => to_document(&frame, &b).to_html(lang.pick("zh-CN", "en")),
        _ => to_document(&frame, &b).to_markdown(),
    };
    match &args.out {
        None => emit(out.as_bytes()),
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
            std::io::Write::write_all(&mut tmp, out.as_bytes()).map_err(|e| Error::io(path, e))?;
            tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
            ctx.note(format!("wrote {}", path.display()));
            Ok(())
        }
    }
}
