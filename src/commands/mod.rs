//! One module per subcommand. Each reads like a paragraph: load what it needs, call the
//! domain, render.

pub mod assessor;
pub mod bulletin;
pub mod check;
pub mod clean;
pub mod company;
pub mod completions;
pub mod contracts;
pub mod coverage;
pub mod import;
pub mod init;
pub mod loaded;
mod progress;
pub mod publish;
pub mod recheck;
pub mod score;
pub mod standards;
pub mod subsidy;
pub mod verify;

use rust_i18n::t;
use std::io::Write;
use std::path::PathBuf;

use chrono::NaiveDate;

use crate::cli::Cli;
use crate::error::{Error, Result};
use crate::model::records::Lang;
use crate::render::Format;
use crate::workspace::{Workspace, WORKSPACE_ENV};

/// `--as-of DATE|today` (DESIGN §14): one option, worded once, on every report.
#[derive(Debug, Clone, Copy, clap::Args)]
pub struct AsOfOpt {
    /// The day the report stands on: records dated after it do not exist for it (YYYY-MM-DD,
    /// or `today`) [default: the newest visit's date; `contracts` and `recheck --due-within`:
    /// today]
    #[arg(long = "as-of", value_name = "DATE|today", value_parser = crate::model::parse_as_of)]
    pub as_of: Option<crate::model::AsOfArg>,
}

/// `OLDESTATE_TODAY=YYYY-MM-DD` pins the calendar day a run takes as today (tests, and
/// re-running a day's cron job exactly); unset or empty, the clock is read.
pub const TODAY_ENV: &str = "OLDESTATE_TODAY";

/// The day [`TODAY_ENV`] pins, if set; a value that is not a date is a usage error, as a
/// silently ignored pin would report on the wrong day.
pub fn today_from_env() -> Result<Option<NaiveDate>> {
    match std::env::var(TODAY_ENV) {
        Ok(v) if !v.is_empty() => crate::model::parse_date(&v)
            .map(Some)
            .ok_or_else(|| Error::Usage(t!("cmd.today_env_bad", var = TODAY_ENV, value = v).into_owned())),
        _ => Ok(None),
    }
}

/// What every command gets from the global options.
#[derive(Debug, Clone)]
pub struct Context {
    /// `--workspace`: the workspace directory, if given (else found as DESIGN §2 says).
    pub workspace: Option<PathBuf>,
    /// `--format`: the output format asked for; each command checks it ([`Context::format`]).
    pub format: Option<Format>,
    /// `--lang`: the report language, if given (else the workspace's).
    pub lang: Option<Lang>,
    /// `--excel`: CSV for a person in Excel (a BOM, headers in the report's language).
    pub excel: bool,
    /// `-q`: print nothing but the result and errors.
    pub quiet: bool,
    /// `-v` given this many times: say more about what is being done, on stderr.
    pub verbose: u8,
    /// The process ends when the command returns (set by [`crate::run`]).
    pub ends_process: bool,
    /// The date taken as today; `None` reads the clock. [`TODAY_ENV`] sets it for a run, and
    /// tests set it to pin what the commands that default to today report.
    pub today: Option<NaiveDate>,
    /// `verify` only: the git commit and dirty flag a published document carried, so that it
    /// is made again as it was published (JSON and Word documents carry them).
    pub pinned_git: Option<(Option<String>, Option<bool>)>,
}

impl Context {
    /// The global options of a parsed command line; the clock is read (`today: None`).
    pub fn new(cli: &Cli) -> Context {
        Context {
            workspace: cli.workspace.clone(),
            format: cli.format,
            lang: cli.lang,
            excel: cli.excel,
            quiet: cli.quiet,
            verbose: cli.verbose,
            ends_process: false,
            today: None,
            pinned_git: None,
        }
    }

    /// Today: the as-of date of a command not given one. The one place a report's "today"
    /// comes from (unless the `today` field is set), so the domain and the reports never read
    /// the clock; the only other clock read is the time `inspect import` stamps on its ledger.
    pub fn today(&self) -> NaiveDate {
        self.today.unwrap_or_else(|| chrono::Local::now().date_naive())
    }

    /// Done with `value` at the end of a command. When the process ends with the command, its
    /// memory goes back to the system at once, so it is not freed piece by piece: a national
    /// report and registry are millions of allocations, 60 ms of freeing for nothing. Only for
    /// plain memory: nothing whose drop does something (a lock, a file) is discarded.
    pub fn discard<T>(&self, value: T) {
        if self.ends_process {
            std::mem::forget(value);
        }
    }

    /// Find the workspace per DESIGN §2.
    pub fn workspace(&self) -> Result<Workspace> {
        let env = std::env::var_os(WORKSPACE_ENV)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from);
        let cwd = std::env::current_dir().map_err(|e| Error::io(".", e))?;
        Workspace::discover(self.workspace.as_deref(), env.as_deref(), &cwd)
    }

    /// The format asked for, checked against what `command` supports (the first is the default).
    pub fn format(&self, command: &str, supported: &[Format]) -> Result<Format> {
        match self.format {
            None => Ok(supported[0]),
            Some(f) if supported.contains(&f) => Ok(f),
            Some(f) => {
                let names: Vec<&str> = supported.iter().map(|f| f.as_str()).collect();
                Err(Error::Usage(
                    t!(
                        "cmd.format_unsupported",
                        command = command,
                        format = f.as_str(),
                        formats = names.join(", ")
                    )
                    .into_owned(),
                ))
            }
        }
    }

    /// A message for people on stderr, unless `-q`.
    pub fn note(&self, msg: impl AsRef<str>) {
        if !self.quiet {
            crate::say!("{}", msg.as_ref());
        }
    }
}

/// Write a binary document (docx, xlsx) to stdout, unless stdout is a terminal, where its
/// bytes would garble the screen: then the message says to redirect it or use `--out`.
pub fn emit_binary(bytes: &[u8]) -> Result<()> {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal() {
        return Err(Error::Usage(t!("cmd.binary_on_terminal").into_owned()));
    }
    emit(bytes)
}

/// Write a finished report to stdout in one go (a broken pipe surfaces as an I/O error that
/// `main` treats as success).
pub fn emit(bytes: &[u8]) -> Result<()> {
    use std::io::IsTerminal;
    let mut out = std::io::stdout().lock();
    if out.is_terminal() {
        // On a screen, a stored value's control characters are shown, not obeyed.
        if let Ok(text) = std::str::from_utf8(bytes) {
            return out
                .write_all(crate::error::terminal_safe(text).as_bytes())
                .and_then(|_| out.flush())
                .map_err(|e| Error::io("<stdout>", e));
        }
    }
    out.write_all(bytes)
        .and_then(|_| out.flush())
        .map_err(|e| Error::io("<stdout>", e))
}

/// A table as CSV: for scripts, exactly [`crate::render::Rows::to_csv`]; with `--excel`, for a
/// person opening it in Excel or WPS: a UTF-8 BOM first (without it they read the bytes as
/// GBK), the rows being the people's rendering (headers and words in the report's language).
pub fn csv_text(ctx: &Context, rows: &crate::render::Rows) -> String {
    if ctx.excel {
        format!("\u{FEFF}{}", rows.to_csv())
    } else {
        rows.to_csv()
    }
}

/// Write a workbook of `sheets` to stdout (refused on a terminal, as [`emit_binary`] says).
pub fn emit_xlsx(sheets: &[crate::render::xlsx::Sheet]) -> Result<()> {
    emit_binary(&crate::render::xlsx::workbook(sheets)?)
}
