//! The progress bar of the long commands (`inspect import`'s sheets, `check`'s month files, the
//! reports' pass over the store):
//! on stderr, and only when stderr is a terminal and the run is not `-q`.

use indicatif::{ProgressBar, ProgressStyle};
use rust_i18n::t;

use super::Context;

/// What a bar counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// Sheet rows; below 50,000 no bar is shown.
    Rows,
    /// Bytes of files; below 32 MiB no bar is shown.
    Bytes,
}

/// A progress bar on stderr for `len` rows or bytes of work, labelled `label`; hidden unless
/// stderr is a terminal and not `-q`, and for work too small to wait for.
pub(crate) fn progress_bar(ctx: &Context, len: u64, unit: Unit, label: &str) -> ProgressBar {
    bar(ctx.quiet, len, unit, label)
}

/// [`progress_bar`] for a run that is `quiet` or not.
pub(crate) fn bar(quiet: bool, len: u64, unit: Unit, label: &str) -> ProgressBar {
    use std::io::IsTerminal;
    let (least, template) = match unit {
        Unit::Rows => (
            50_000,
            format!("{{msg}} {{bar:40}} {{pos}}/{{len}} {}", t!("progress.rows")),
        ),
        Unit::Bytes => (32 << 20, "{msg} {bar:40} {bytes}/{total_bytes}".to_string()),
    };
    if quiet || len < least || !std::io::stderr().is_terminal() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(len);
    if let Ok(style) = ProgressStyle::with_template(&template) {
        bar.set_style(style);
    }
    bar.set_message(label.to_string());
    bar
}
