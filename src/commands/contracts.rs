//! `oldestate contracts`: the contracts about to end, with the residents' latest selection.

use clap::Args;

use crate::domain::contracts::expiring;
use crate::domain::selection::decide_all;
use crate::error::{Diagnostics, Result};
use crate::render::Format;
use crate::report::contracts::ContractsReport;
use crate::workspace;

use super::loaded::{AsOfDefault, Loaded};
use super::{csv_text, emit, emit_xlsx, AsOfOpt, Context};

/// Contracts ending soon, with the residents' latest selection.
///
/// Contracts ending within DAYS after the as-of date, soonest first (合同到期: the residents
/// choose a company again, 居民选, and the residents' committee signs, 社区签), each with the
/// compound's latest selection: valid or not, participation, and the winner. A morning cron
/// job: `oldestate contracts -q --format csv`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  oldestate contracts --expiring-within 60\n  oldestate contracts --as-of 2026-07-01 --format csv"
)]
pub struct ContractsArgs {
    /// `--as-of DATE|today`: the day the report stands on.
    #[command(flatten)]
    pub when: AsOfOpt,
    /// How far ahead to look, in days
    #[arg(long, value_name = "DAYS", default_value_t = 90)]
    pub expiring_within: u32,
}

/// Run `oldestate contracts`: decide the selections, pick the contracts ending within DAYS
/// (the domain's rules), and write them as a table, CSV or JSON.
pub fn cmd_contracts(ctx: &Context, args: &ContractsArgs) -> Result<()> {
    let format = ctx.format("contracts", crate::cli::TABLE_FORMATS)?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance(), args.when.as_of, AsOfDefault::Today)?;
    let lang = loaded.lang(ctx);
    let as_of = loaded.as_of.date;
    let mut d = Diagnostics::new();
    // A selection held after the as-of date has not happened yet (DESIGN §14).
    let votes = loaded.as_of.held(workspace::load_selections(&loaded.ws, &mut d)?);
    d.into_result()?;
    loaded.inputs.add_file(&loaded.ws, "data/selections.csv")?;
    let reg = &loaded.registry;
    let selections = decide_all(&votes, reg, loaded.settings.quorum, loaded.settings.majority);
    let ending = expiring(&reg.contracts, &selections, as_of, args.expiring_within);
    let report = ContractsReport::new(reg, as_of, args.expiring_within, &ending);
    let out = match format {
        Format::Json => crate::render::contracts::json(&report, &loaded.inputs.provenance(&loaded.ws)?),
        Format::Csv if ctx.excel => csv_text(ctx, &crate::render::contracts::rows(&report, reg, lang, false)),
        Format::Csv => crate::render::contracts::csv(&report, reg),
        Format::Xlsx => {
            let district = &loaded.settings.district;
            return emit_xlsx(&[crate::render::contracts::sheet(&report, reg, district, as_of, lang)]);
        }
        _ => crate::render::contracts::table(&report, reg, lang),
    };
    emit(out.as_bytes())
}
