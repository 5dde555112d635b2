//! `oldestate bulletin`: the periodic notification (情况通报) that names streets and
//! communities, as Markdown, a printable HTML document, or JSON.

use rust_i18n::t;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::domain::assessor::{self, Gather, GatheredVisits};
use crate::domain::bulletin::{build, Bulletin, FeeLine, FeeTally, SummaryBuilder};
use crate::domain::rule::Rule;
use crate::domain::scoring::{LevelCoverage, ScoreReport};
use crate::error::{Diagnostics, Error, Result};
use crate::model::records::Appeal;
use crate::model::registry::Registry;
use crate::model::Period;
use crate::render::bulletin::{to_document, to_json, Frame};
use crate::render::json::finish;
use crate::render::{docx, Format};
use crate::report::assessor::Assessor;
use crate::workspace::{self, StandardsFile, Workspace};

use super::loaded::{both, Inapplicable, Loaded};
use super::publish::{format_arg, lang_arg, publish, Made};
use super::{emit, AsOfOpt, Context};

/// The bulletin (情况通报) of a period, in Markdown, HTML or JSON.
///
/// The bulletin of a period: headline figures of the scoring level, street and community
/// rankings with the change since the previous period of the same length, problems by
/// category, hot spots, the three looks per street, failing compounds with their notices,
/// vetoes, coverage gaps of every level, and fee collection. `--street` narrows it to one
/// street: the brief for that street's joint meeting (联席会议), naming no other street.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate bulletin --period 2026H1 --format docx --out 2026H1.docx\n  oldestate bulletin --period 2026Q1 --street S1 --format html > S1.html"
)]
pub struct BulletinArgs {
    /// The period: a month, quarter, half year or year (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// Only this street: its id or name (劝业场街, 劝业场, 劝业场街道 all name S01)
    #[arg(long, value_name = "STREET")]
    pub street: Option<String>,
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
    /// Record the bulletin as published (data/published.csv), so `oldestate verify` can tell
    /// later whether it still stands
    #[arg(long)]
    pub publish: bool,
}

/// Run `oldestate bulletin`: score the period and the one before, decide the notices, build
/// the bulletin and write it in the format asked for (and record it as published when asked).
pub fn cmd_bulletin(ctx: &Context, args: &BulletinArgs) -> Result<()> {
    let format = ctx.format("bulletin", crate::cli::DOCUMENT_FORMATS)?;
    let made = made(ctx, args, args.publish, true)?;
    if args.out.is_none() && format.is_binary() {
        super::emit_binary(&made.bytes)?;
    } else {
        write(ctx, args.out.as_deref(), &made.bytes)?;
    }
    if args.publish {
        let output = args
            .out
            .as_ref()
            .map_or("stdout".to_string(), |p| p.display().to_string());
        publish(ctx, "bulletin", &made, &output)?;
    }
    Ok(())
}

/// The bulletin's bytes in the format asked for, with what they stood on (`provenance`: also
/// its inputs' digest, for publishing). `verify` makes it again through this.
pub fn document(ctx: &Context, args: &BulletinArgs, provenance: bool) -> Result<Made> {
    made(ctx, args, provenance, false)
}

/// [`document`]; `last`: the command ends with it, so what it built is left to the process's
/// end ([`Context::discard`]) rather than freed (`verify` makes several documents in one
/// process: there it is freed).
fn made(ctx: &Context, args: &BulletinArgs, provenance: bool, last: bool) -> Result<Made> {
    let format = ctx.format("bulletin", crate::cli::DOCUMENT_FORMATS)?;
    let mut loaded = Loaded::report(ctx, format, args.when.as_of)?;
    let lang = loaded.lang(ctx);
    let street = known_street(&loaded.registry, args.street.as_deref())?;
    let street = street.as_deref();
    let standards = loaded.standards_for(&args.period)?;
    if let Some(out) = &args.out {
        crate::workspace::refuse_store_path(&loaded.ws, out, "--out")?;
    }
    let (b, spent) = bulletin(ctx, &mut loaded, &standards, args.period, street)?;
    let frame = Frame {
        registry: &loaded.registry,
        standards: &standards,
        district: &loaded.settings.district,
        as_of: loaded.as_of,
        lang,
        documents: &loaded.settings.documents,
        root: Some(&loaded.ws.root),
    };
    // The document's rows (tens of thousands of cells at national scale) are left to the
    // process's end once drawn, as what it was built from is below.
    let done = |doc| {
        if last {
            ctx.discard(doc);
        }
    };
    let render = || -> Result<Vec<u8>> {
        Ok(match format {
            Format::Json => {
                let provenance = loaded.inputs.provenance(&loaded.ws)?;
                let mut doc = to_json(&b, &standards, &loaded.as_of);
                if let Some(a) = &b.assessor {
                    let value = Assessor::new(&loaded.registry, &standards.standards, a);
                    doc.insert("assessor".into(), serde_json::to_value(value).unwrap_or_default());
                }
                finish(doc, &provenance).into_bytes()
            }
            Format::Html => {
                let doc = to_document(&frame, &b)?;
                let html = doc.to_html(lang.pick("zh-CN", "en")).into_bytes();
                done(doc);
                html
            }
            Format::Docx => {
                let provenance = loaded.inputs.provenance(&loaded.ws)?;
                let doc = to_document(&frame, &b)?;
                let props = docx::properties(&doc.title, &standards, &provenance);
                let bytes = docx::to_docx(&docx::from_document(&doc, props))?;
                done(doc);
                bytes
            }
            _ => {
                let doc = to_document(&frame, &b)?;
                let md = doc.to_markdown().into_bytes();
                done(doc);
                md
            }
        })
    };
    // What the bulletin was built from is left to the process's end, or (for `verify`) freed on
    // the second core while the bulletin is drawn.
    let (out, ()) = both(render, move || {
        if last {
            ctx.discard(spent);
        }
    });
    let out = out?;
    let mut arguments = format!("bulletin --period {}", args.period);
    if let Some(s) = street {
        arguments += &format!(" --street {s}");
    }
    arguments += &format!(" --format {} --lang {}", format_arg(format), lang_arg(lang));
    if last {
        ctx.discard((b, std::sync::Arc::clone(&loaded.registry)));
    }
    Ok(Made {
        bytes: out,
        period: args.period,
        as_of: loaded.as_of.date,
        standards: (standards.file.clone(), standards.sha256.clone()),
        arguments,
        provenance: provenance.then(|| loaded.inputs.provenance(&loaded.ws)).transpose()?,
        ws: loaded.ws.clone(),
        lang,
    })
}

/// The id of the street `--street` names (by id or name, see [`Registry::resolve_street`]),
/// or the error saying which streets come near.
fn known_street(registry: &Registry, street: Option<&str>) -> Result<Option<String>> {
    street
        .map(|s| registry.resolve_street(s).map(|s| s.id.clone()))
        .transpose()
}

/// Score the period and the one before it, decide its notices, count the headline figures,
/// read the fees, and let the domain build the bulletin from all of it.
fn bulletin(
    ctx: &Context,
    loaded: &mut Loaded,
    standards: &StandardsFile,
    period: Period,
    street: Option<&str>,
) -> Result<(Bulletin, Spent)> {
    let (previous, previous_unscored) = previous_scores(loaded, period, standards);
    if previous_unscored {
        let p = period.previous();
        ctx.note(t!("bulletin.previous_unscored", previous = p));
    }
    let registry = std::sync::Arc::clone(&loaded.registry);
    let headline = SummaryBuilder::new(&registry, &standards.standards, period, street);
    // The 第三方考评 section's figures are gathered in the same pass (DESIGN §16).
    let (appeals, appealed) = loaded.appeal_records()?;
    let st = &standards.standards;
    let rule = Rule::new(st);
    let gather = Gather::new(&rule, st, st.scoring_level, period, loaded.settings.assessor, &appealed);
    let earliest = Some(gather.span().0);
    let (scores, rechecks, (headline, gather)) =
        loaded.score_rechecks_and_from(period, standards, Inapplicable::Refused, (headline, gather), earliest)?;
    // After the pass, the assessor section's statistics are worked out on a core of their own
    // while the rest of the bulletin is built, and the fees read, on this one.
    let district = street.is_none();
    let (as_of, coverage) = (loaded.as_of, scores.coverage());
    let cx = assessor::Context {
        registry: &registry,
        appeals: &appeals,
        as_of: &as_of,
        coverage: &coverage,
        settings: loaded.settings.assessor,
    };
    let rest = || -> Bulletin {
        let summary = headline.finish();
        if ctx.verbose > 1 {
            crate::say!(
                "oldestate: {}{}",
                t!("bulletin.verbose.scored"),
                super::loaded::peak_memory()
            );
        }
        build(
            &registry,
            st,
            summary,
            &scores,
            previous.as_ref(),
            rechecks,
            &coverage,
            street,
        )
    };
    // The fees are read on the other core when there is no assessor section (a street's
    // bulletin).
    let ws = &loaded.ws;
    let fees = || fee_lines(ws, &registry, period, street);
    let ((mut b, here), (there, assessor)) = both(
        || (rest(), district.then(fees)),
        || ((!district).then(fees), district.then(|| gather.finish(&cx))),
    );
    b.fees = here.or(there).unwrap_or_else(|| Ok(Vec::new()))?;
    b.previous_unscored = previous_unscored;
    loaded.inputs.add_file(&loaded.ws, &format!("data/fees/{period}.csv"))?;
    let (assessor, visits) = assessor.unzip();
    b.assessor = assessor;
    if ctx.verbose > 1 {
        crate::say!(
            "oldestate: {}{}",
            t!("bulletin.verbose.built"),
            super::loaded::peak_memory()
        );
    }
    Ok((b, (scores, previous, coverage, appeals, visits)))
}

/// The period's fee collection per street, summed as `data/fees/PERIOD.csv` is read (none
/// without the file).
fn fee_lines(ws: &Workspace, registry: &Registry, period: Period, street: Option<&str>) -> Result<Vec<FeeLine>> {
    let mut tally = FeeTally::new(registry, street);
    let mut d = Diagnostics::new();
    workspace::each_fee(ws, &period, &mut d, |fee| tally.add(&fee))?;
    d.into_result()?;
    Ok(tally.lines())
}

/// What a bulletin is built from and no longer needs once built: the period's scores (at
/// national scale 220,000 results), the previous period's, the coverage, the appeals and the
/// assessor's visits.
type Spent = (
    ScoreReport,
    Option<ScoreReport>,
    Vec<LevelCoverage>,
    Vec<Appeal>,
    Option<GatheredVisits>,
);

/// The previous period's street and community scores, for the change; its compounds are
/// dropped at once.
///
/// One report, one standards file (DESIGN §7): the previous period is scored under this
/// period's standards too, leaving out findings on items they do not apply. A previous
/// period without inspections shows no change (every place "new"); one that has inspections
/// but cannot be scored (a visit without a contract) shows no change either, and says so
/// (`true`: it would be false to call every place new).
fn previous_scores(loaded: &mut Loaded, period: Period, standards: &StandardsFile) -> (Option<ScoreReport>, bool) {
    match loaded.score_if_any(period.previous(), None, standards, Inapplicable::LeftOut) {
        Ok(previous) => (
            previous.map(|mut p| {
                p.keep_groups_only();
                p
            }),
            false,
        ),
        Err(_) => (None, true),
    }
}

/// Standard output, or `--out FILE` written whole or not at all (a temporary file beside it,
/// renamed over it).
fn write(ctx: &Context, out: Option<&Path>, bytes: &[u8]) -> Result<()> {
    let Some(path) = out else {
        return emit(bytes);
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp =
        crate::workspace::transaction::temp_file_in(&dir, ".oldestate-tmp-").map_err(|e| Error::io(&dir, e))?;
    crate::workspace::transaction::keep_mode(tmp.as_file(), path)
        .and_then(|_| std::io::Write::write_all(&mut tmp, bytes))
        .map_err(|e| Error::io(path, e))?;
    tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
    ctx.note(t!("cmd.wrote", path = path.display()));
    Ok(())
}
