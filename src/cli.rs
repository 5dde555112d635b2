//! The command line (DESIGN §11), as clap derive types: one Args struct per command.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::model::records::Lang;
use crate::render::Format;

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
    /// md|html|json|docx
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
