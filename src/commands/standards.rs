//! `oldestate standards diff`: what a change to the standards would do, before it is merged.

use rust_i18n::t;
use std::path::Path;
use std::process::Command;

use clap::{Args, Subcommand};

use crate::domain::recheck::WorstOutcomes;
use crate::domain::scoring::ScoreReport;
use crate::domain::subsidy::{self, StreetSubsidy};
use crate::error::{Error, Result};
use crate::model::Period;
use crate::render::standards::{json, sheets, text};
use crate::render::Format;
use crate::report::standards::{StandardsDiffReport, Subsidies};
use crate::workspace::{parse_standards, sha256_hex, StandardsFile, StandardsSet};

use super::loaded::{both, funds_error, Inapplicable, Loaded, Money, Side};
use super::{emit, emit_xlsx, AsOfOpt, Context};

/// Standards files: review a change before it is merged.
#[derive(Debug, Subcommand)]
pub enum StandardsCommand {
    // Documented on `DiffArgs`: a doc comment here would replace clap's help text with itself.
    #[allow(missing_docs)]
    Diff(DiffArgs),
}

/// What a standards change would do to scores, verdicts and subsidies.
///
/// Score a period under the workspace's own standards (the working tree: "after") and under
/// alternative ones ("before"): a TOML file, or a git revision (the standards files as they
/// were at REV, the one in force for the period chosen as usual). Lists the compounds whose
/// score, grade or verdict changes, pass/fail totals, street scores, and each street's subsidy
/// where the period has a funds file. Exits 0 when it ran, whatever changed: fit for CI.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate standards diff --period 2026H1 --against HEAD\n  oldestate standards diff --period 2026H1 --against proposed.toml --format md"
)]
pub struct DiffArgs {
    /// The period to score (2026-03 | 2026Q1 | 2026H1 | 2026)
    #[arg(long, value_name = "PERIOD")]
    pub period: Period,
    /// The standards to compare with: a TOML file, or a git revision (HEAD, main, a1b2c3d)
    #[arg(long, value_name = "FILE|GIT-REV")]
    pub against: String,
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
}

/// Read the alternative standards for `period`: a TOML file, or the standards files of a git
/// revision of the workspace (the one in force for the period chosen as usual).
fn alternative(loaded: &Loaded, against: &str, period: &Period) -> Result<StandardsFile> {
    let path = Path::new(against);
    if path.is_file() {
        let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
        let text = std::str::from_utf8(&bytes).map_err(|_| Error::msg(t!("diff.not_utf8", file = against)))?;
        let standards = parse_standards(text, None).map_err(|p| located(against, p))?;
        return Ok(StandardsFile {
            file: against.to_string(),
            sha256: sha256_hex(&bytes),
            standards,
        });
    }
    let root = &loaded.ws.root;
    let git = |args: &[&str]| -> std::result::Result<Vec<u8>, String> {
        let out = Command::new("git")
            .arg("-C")
            .arg(root)
            .args(args)
            .output()
            .map_err(|e| t!("diff.no_git", error = e).into_owned())?;
        if out.status.success() {
            Ok(out.stdout)
        } else {
            Err(String::from_utf8_lossy(&out.stderr).trim().to_string())
        }
    };
    git(&["rev-parse", "--git-dir"])
        .map_err(|_| Error::msg(t!("diff.not_in_git", against = against, root = root.display())))?;
    git(&["rev-parse", "--verify", "--quiet", &format!("{against}^{{commit}}")])
        .map_err(|_| Error::msg(t!("diff.no_such_revision", against = against, root = root.display())))?;
    let listing = git(&["ls-tree", "--name-only", against, "--", "standards/"])
        .map_err(|m| Error::msg(format!("git ls-tree {against}: {m}")))?;
    let mut set = StandardsSet::default();
    for name in String::from_utf8_lossy(&listing).lines() {
        let Some(stem) = name.strip_prefix("standards/").and_then(|n| n.strip_suffix(".toml")) else {
            continue;
        };
        let spec = format!("{against}:./{name}");
        let bytes = git(&["show", &spec]).map_err(|m| Error::msg(format!("git show {spec}: {m}")))?;
        let text = String::from_utf8(bytes.clone()).map_err(|_| Error::msg(t!("diff.not_utf8", file = spec)))?;
        let standards = parse_standards(&text, Some(stem)).map_err(|p| located(&spec, p))?;
        set.files.push(StandardsFile {
            file: spec,
            sha256: sha256_hex(&bytes),
            standards,
        });
    }
    set.files.sort_by_key(|f| f.standards.effective_from);
    if set.files.is_empty() {
        return Err(Error::msg(t!("diff.revision_empty", against = against)));
    }
    set.for_period(period)
        .cloned()
        .map_err(|e| Error::msg(t!("diff.at_revision", against = against, error = e)))
}

/// The problems of a standards file as one error listing each with its line.
fn located(file: &str, problems: Vec<(Option<u64>, String)>) -> Error {
    let mut d = crate::error::Diagnostics::new();
    for (line, p) in problems {
        d.error(file, line, p);
    }
    d.into_result()
        .err()
        .unwrap_or_else(|| Error::msg(t!("diff.invalid", file = file)))
}

/// Run `oldestate standards diff`: score the period under both standards (and work out both
/// subsidies where there are funds), compare, and write the report.
pub fn cmd_standards(ctx: &Context, cmd: &StandardsCommand) -> Result<()> {
    let StandardsCommand::Diff(args) = cmd;
    let format = ctx.format("standards diff", crate::cli::DIFF_FORMATS)?;
    let mut loaded = Loaded::report(ctx, format, args.when.as_of)?;
    let lang = loaded.lang(ctx);
    let period = args.period;
    let after_st = loaded.standards_for(&period)?;
    let before_st = alternative(&loaded, &args.against, &period)?;
    // Either side may be a proposal the data were not recorded under: a finding on an item it
    // does not apply is left out (and counted) rather than failing the comparison. Both sides
    // are scored, with their notices where the period has funds, in one pass over the store.
    let money_before = loaded.funds_for(period, &before_st)?;
    // The funds file read with the same grades is the same: read once.
    let money_after = if grade_names(&before_st) == grade_names(&after_st) {
        None
    } else {
        Some(loaded.funds_for(period, &after_st)?)
    };
    let money = [
        money_before.as_ref(),
        money_after.as_ref().map_or(money_before.as_ref(), Option::as_ref),
    ];
    let funded = money.iter().all(Option::is_some);
    let [before, after] = loaded.score_sides(period, [&before_st, &after_st], funded, Inapplicable::LeftOut)?;
    loaded.note_if_incomplete(ctx, &period, format);
    let (
        Side {
            scores: before,
            notices: nb,
        },
        Side {
            scores: after,
            notices: na,
        },
    ) = (before, after);
    let by_street = match (money, nb, na) {
        ([Some(mb), Some(ma)], Some(nb), Some(na)) => {
            // The two allocations are independent: one on each core. The first side's error is
            // the one told, as when they were made in turn.
            let streets = |money: &Money, scores: &ScoreReport, worst: WorstOutcomes| -> Result<Vec<StreetSubsidy>> {
                // Only the streets are told: the compounds' shares are not made into a subsidy
                // report, and the notices were not built, only what each compound's come to.
                let allocation = subsidy::Allocation {
                    reg: &loaded.registry,
                    period,
                    funds: &money.funds,
                    budget: None,
                    results: &scores.compounds,
                    fees: &money.fees,
                };
                allocation.by_street(&worst).map_err(|m| funds_error(period, &m))
            };
            let (b, a) = both(|| streets(mb, &before, nb), || streets(ma, &after, na));
            Some((b?, a?))
        }
        _ => None,
    };
    let subsidies = by_street.as_ref().map(|(b, a)| Subsidies { before: b, after: a });
    let report = StandardsDiffReport::new(&args.against, &before_st, &before, &after, subsidies);
    let out = match format {
        Format::Json => json(
            &report,
            &period,
            &loaded.as_of,
            &after_st,
            &loaded.inputs.provenance(&loaded.ws)?,
        ),
        Format::Xlsx => {
            let district = &loaded.settings.district;
            return emit_xlsx(&sheets(&report, district, &period, loaded.as_of.date, lang));
        }
        _ => text(
            &report,
            &period,
            loaded.as_of.date,
            &after_st,
            lang,
            format == Format::Md,
        ),
    };
    let written = emit(out.as_bytes());
    // Each side's 220,000 results (at national scale) are left to the process's end, or freed
    // on a core of their own when it goes on.
    let registry = std::sync::Arc::clone(&loaded.registry);
    ctx.discard((report, by_street, registry));
    both(move || ctx.discard(before), move || ctx.discard(after));
    written
}

/// The names of a standards file's grades: the funds file is read with them.
fn grade_names(s: &StandardsFile) -> Vec<&str> {
    s.standards.grades.iter().map(|g| g.name.as_str()).collect()
}
