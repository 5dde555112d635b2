//! The command line (DESIGN §11), as clap derive types: one Args struct per command.

use std::path::PathBuf;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use rust_i18n::t;

use crate::model::records::Lang;
use crate::render::Format;

mod help_text;
mod parse_errors;

/// The version `-V` prints: the package's, and the git commit it was built from ("unknown
/// commit" when built outside a git checkout).
pub const VERSION: &str = concat!(env!("CARGO_PKG_VERSION"), " (", env!("OLDESTATE_GIT_COMMIT"), ")");

/// Supervision of old residential compounds under the bundled property model
/// (居民选、社区签、街道管): scores, three looks, notices, bulletins and subsidies.
#[derive(Debug, Parser)]
#[command(name = "oldestate", version = VERSION, about, long_about = None, propagate_version = true)]
#[command(after_help = "Examples:
  oldestate init ./heping && cd heping && oldestate check
  oldestate inspect import 2026-04.xlsx
  oldestate score --period 2026H1 --by street
  oldestate bulletin --period 2026H1 --format docx --out 2026H1.docx

Each command's --help lists its options and examples.")]
pub struct Cli {
    /// The workspace (a directory with standards/ and data/); default: $OLDESTATE_WORKSPACE,
    /// else the current directory or the first parent that is one
    #[arg(long, global = true, help_heading = "Global options", value_name = "DIR")]
    pub workspace: Option<PathBuf>,

    /// Output format, checked by each command (the first is its default): score, inspect
    /// coverage, contracts, subsidy: table|csv|json|xlsx; recheck: the same, and md|html|docx for
    /// --notices; check: table|json; standards diff: table|json|md|xlsx; bulletin, company:
    /// md|html|json|docx; verify: table|json|md; assessor: table|csv|json|md|docx|xlsx
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub format: Option<Format>,

    /// CSV for a person opening it in Excel: a byte-order mark and headers in the report's
    /// language (scripts keep the plain CSV)
    #[arg(long, global = true, help_heading = "Global options")]
    pub excel: bool,

    /// Report language (default: data/workspace.toml's language)
    #[arg(long, global = true, help_heading = "Global options", value_enum)]
    pub lang: Option<Lang>,

    /// Print nothing but the result and errors
    #[arg(short, long, global = true, help_heading = "Global options")]
    pub quiet: bool,

    /// Say more about what is being done (on stderr)
    #[arg(short, long, global = true, help_heading = "Global options", action = clap::ArgAction::Count)]
    pub verbose: u8,

    /// The command to run.
    #[command(subcommand)]
    pub command: Command,
}

/// The command line with its help in Chinese, as a zh run parses it (also what its
/// completions and man page describe).
pub fn localized_command() -> clap::Command {
    help_text::localize(Cli::command())
}

/// `cmd` with each value's own help in Chinese, for completion scripts (see
/// [`help_text::localize_values`]).
pub fn with_localized_values(cmd: clap::Command) -> clap::Command {
    help_text::localize_values(cmd)
}

impl Cli {
    /// Parse the command line as clap does, then check `--format` against the command: a format
    /// the command does not write is a usage error (exit 2) before anything is read.
    ///
    /// The run's language is chosen first, from `--lang` and `--workspace` found by hand: clap's
    /// refusals and `--help` speak it.
    pub fn parse_checked() -> Cli {
        let args: Vec<String> = std::env::args_os().map(|a| a.to_string_lossy().into_owned()).collect();
        let (lang, workspace) = parse_errors::language_args(&args);
        let lang = crate::choose_language(lang, workspace.as_deref());
        let cli = match Cli::try_parse_in(lang) {
            Ok(cli) => cli,
            Err(e) => parse_errors::exit(e),
        };
        crate::choose_language(cli.lang, cli.workspace.as_deref());
        if let Err(e) = cli.check_format() {
            e.exit();
        }
        cli
    }

    /// Parse the process's command line with the help in `lang`.
    fn try_parse_in(lang: Lang) -> Result<Cli, clap::Error> {
        if lang == Lang::En {
            return Cli::try_parse();
        }
        let cmd = localized_command();
        Cli::from_arg_matches_mut(&mut cmd.try_get_matches()?)
    }

    /// `Err` when `--format` names a format the command does not write.
    pub fn check_format(&self) -> Result<(), clap::Error> {
        let Some(f) = self.format else { return Ok(()) };
        let (name, formats) = self.command.formats();
        if formats.contains(&f) {
            return Ok(());
        }
        let names: Vec<&str> = formats.iter().map(|f| f.as_str()).collect();
        let message = if names.is_empty() {
            t!("cmd.format_none", command = name, format = f.as_str())
        } else {
            t!(
                "cmd.format_unsupported",
                command = name,
                format = f.as_str(),
                formats = names.join(", ")
            )
        };
        Err(Cli::command().error(clap::error::ErrorKind::InvalidValue, message))
    }
}

/// The formats of the reports over rows: score, coverage, contracts, subsidy, recheck.
pub const TABLE_FORMATS: &[Format] = &[Format::Table, Format::Csv, Format::Json, Format::Xlsx];
/// `recheck --notices DIR`: the report's formats, and the notices' (md, html, docx).
pub const NOTICE_FORMATS: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Xlsx,
    Format::Md,
    Format::Html,
    Format::Docx,
];
/// `check`'s formats.
pub const CHECK_FORMATS: &[Format] = &[Format::Table, Format::Json];
/// The documents' formats: bulletin, company.
pub const DOCUMENT_FORMATS: &[Format] = &[Format::Md, Format::Html, Format::Json, Format::Docx];
/// `standards diff`'s formats.
pub const DIFF_FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Md, Format::Xlsx];
/// `assessor`'s formats.
pub const ASSESSOR_FORMATS: &[Format] = &[
    Format::Table,
    Format::Csv,
    Format::Json,
    Format::Md,
    Format::Docx,
    Format::Xlsx,
];
/// `verify`'s formats.
pub const VERIFY_FORMATS: &[Format] = &[Format::Table, Format::Json, Format::Md];

impl Command {
    /// The command's name as typed, and the formats it writes (the first is its default; none
    /// for a command that writes no report).
    pub fn formats(&self) -> (&'static str, &'static [Format]) {
        match self {
            Command::Init(_) => ("init", &[]),
            Command::Check(_) => ("check", CHECK_FORMATS),
            Command::Inspect(InspectCommand::Import(_)) => ("inspect import", &[]),
            Command::Inspect(InspectCommand::Coverage(_)) => ("inspect coverage", TABLE_FORMATS),
            Command::Inspect(InspectCommand::Clean(_)) => ("inspect clean", &[]),
            Command::Score(_) => ("score", TABLE_FORMATS),
            Command::Recheck(a) if a.notices.is_some() => ("recheck", NOTICE_FORMATS),
            Command::Recheck(_) => ("recheck", TABLE_FORMATS),
            Command::Bulletin(_) => ("bulletin", DOCUMENT_FORMATS),
            Command::Subsidy(_) => ("subsidy", TABLE_FORMATS),
            Command::Contracts(_) => ("contracts", TABLE_FORMATS),
            Command::Company(_) => ("company", DOCUMENT_FORMATS),
            Command::Standards(_) => ("standards diff", DIFF_FORMATS),
            Command::Verify(_) => ("verify", VERIFY_FORMATS),
            Command::Assessor(_) => ("assessor", ASSESSOR_FORMATS),
            Command::Completions(_) => ("completions", &[]),
            Command::Man(_) => ("man", &[]),
        }
    }
}

/// The commands, one variant per command file in `commands/`; a variant holds its command's
/// arguments.
// A variant wrapping an Args struct is documented by that struct, whose `///` is the command's
// `--help` text: clap would let a `///` on the variant replace it.
#[allow(missing_docs)]
#[derive(Debug, Subcommand)]
pub enum Command {
    Init(crate::commands::init::InitArgs),
    Check(crate::commands::check::CheckArgs),
    /// Inspection data: import sheets into the store, check coverage
    #[command(
        subcommand,
        after_help = "Examples:\n  oldestate inspect import 2026-04.xlsx\n  oldestate inspect coverage --period 2026Q1\n  oldestate inspect clean"
    )]
    Inspect(InspectCommand),
    Score(crate::commands::score::ScoreArgs),
    Recheck(crate::commands::recheck::RecheckArgs),
    Bulletin(crate::commands::bulletin::BulletinArgs),
    Subsidy(crate::commands::subsidy::SubsidyArgs),
    Contracts(crate::commands::contracts::ContractsArgs),
    Company(crate::commands::company::CompanyArgs),
    Verify(crate::commands::verify::VerifyArgs),
    Assessor(crate::commands::assessor::AssessorArgs),
    /// Standards files: see what a change would do before it is merged
    #[command(
        subcommand,
        after_help = "Examples:\n  oldestate standards diff --period 2026H1 --against HEAD"
    )]
    Standards(crate::commands::standards::StandardsCommand),
    Completions(crate::commands::completions::CompletionsArgs),
    Man(crate::commands::completions::ManArgs),
}

/// `oldestate inspect ...`: the inspection data's commands, nested as jj nests `git import`.
// Documented by their Args structs, as in `Command`.
#[allow(missing_docs)]
#[derive(Debug, Subcommand)]
pub enum InspectCommand {
    Import(crate::commands::import::ImportArgs),
    Coverage(crate::commands::coverage::CoverageArgs),
    Clean(crate::commands::clean::CleanArgs),
}
