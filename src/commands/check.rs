//! `oldestate check`: validate the whole workspace and report every problem.

use clap::Args;
use rust_i18n::t;
use serde_json::json;

use crate::error::{Error, Result, Severity};
use crate::render::Format;
use crate::validate::validate;

use super::progress::{progress_bar, Unit};
use super::{emit, Context};

/// Validate the whole workspace and list every problem.
///
/// Validate everything: registry, standards, the findings store, appeals, fees, funds and
/// selections. Every problem is listed as `path:line: message` on stdout, errors and warnings
/// alike; the exit status is 1 when there is an error (or, with --strict, a warning).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  oldestate check\n  oldestate check --strict --format json")]
pub struct CheckArgs {
    /// Fail on warnings too (contracts running out, compounds without a contract, ...)
    #[arg(long)]
    pub strict: bool,
}

/// Run `oldestate check`: validate the workspace, list every problem (as lines, or JSON with
/// counts), and fail when there is an error, or a warning under `--strict`.
pub fn cmd_check(ctx: &Context, args: &CheckArgs) -> Result<()> {
    let format = ctx.format("check", crate::cli::CHECK_FORMATS)?;
    let ws = ctx.workspace()?;
    let label = t!("check.progress");
    let diags = validate(&ws, |bytes| progress_bar(ctx, bytes, Unit::Bytes, &label))?;
    let (errors, warnings) = (diags.errors(), diags.warnings());
    let list = diags.sorted();
    let out = match format {
        Format::Json => {
            let problems: Vec<_> = list
                .iter()
                .map(|d| {
                    json!({
                        "severity": if d.severity == Severity::Error { "error" } else { "warning" },
                        "file": d.file,
                        "line": d.line,
                        "message": d.message,
                    })
                })
                .collect();
            let doc = json!({ "errors": errors, "warnings": warnings, "problems": problems });
            let mut s = serde_json::to_string_pretty(&doc).map_err(|e| Error::msg(e.to_string()))?;
            s.push('\n');
            s
        }
        _ => list.iter().map(|d| format!("{d}\n")).collect(),
    };
    emit(out.as_bytes())?;
    let summary = t!(
        "cmd.check_summary",
        errors = errors,
        warnings = warnings,
        workspace = ws.root.display()
    );
    if errors > 0 || (args.strict && warnings > 0) {
        let why = if errors == 0 { t!("cmd.check_strict") } else { "".into() };
        return Err(Error::msg(format!("{summary}{why}")));
    }
    ctx.note(summary);
    Ok(())
}
