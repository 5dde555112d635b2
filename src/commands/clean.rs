//! `oldestate inspect clean`: remove what a killed import left behind (temporary files under
//! `data/`, a half-written journal), under the workspace lock so that no import is writing.

use clap::Args;
use rust_i18n::t;

use super::Context;
use crate::error::Result;
use crate::model::records::Lang;
use crate::workspace::transaction::{leftovers, lock, recover};

/// Remove what a killed import left behind.
///
/// Remove the temporary files an import that was killed left under data/ (they can be large)
/// and finish or discard its half-written journal, under the workspace lock, so no running
/// import is disturbed. `oldestate check` lists such files as warnings.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  oldestate inspect clean")]
pub struct CleanArgs {}

/// Run `inspect clean`.
pub fn cmd_clean(ctx: &Context, _args: &CleanArgs) -> Result<()> {
    let ws = ctx.workspace()?;
    let mut d = crate::error::Diagnostics::new();
    let lang = ctx
        .lang
        .unwrap_or_else(|| crate::workspace::load_settings(&ws, &mut d).map_or(Lang::Zh, |s| s.language));
    let _lock = lock(&ws, std::time::Duration::from_secs(120), || {
        ctx.note(t!("import.msg.clean_waiting", locale = lang.code()))
    })?;
    let found = leftovers(&ws);
    recover(&ws)?;
    if found.is_empty() {
        ctx.note(t!("import.msg.clean_nothing", locale = lang.code()));
    } else {
        for rel in &found {
            ctx.note(t!("import.msg.clean_removed", locale = lang.code(), path = rel));
        }
    }
    Ok(())
}
