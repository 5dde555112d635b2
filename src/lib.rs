//! `oldestate`: supervision of old residential compounds under the bundled property model.
//!
//! The library holds everything; `main.rs` only parses arguments and maps errors to exit
//! statuses. Layout (ARCHITECTURE.md has the map and the rules): [`model`] (plain types),
//! [`workspace`] (finding and loading files), [`validate`] (`check`'s rules), [`domain`] (the
//! rules, pure), [`engine`] (reading the store fast; drives the domain), [`import`] (sheets into
//! the store), [`commands`] (one per subcommand), [`render`] (writers).

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod cli;
pub mod commands;
pub mod domain;
pub mod engine;
pub mod error;
pub mod import;
pub mod model;
pub mod render;
pub mod report;
pub mod suggest;
pub mod validate;
pub mod workspace;

pub use cli::Cli;
pub use error::{Error, Result};

/// Run a parsed command line: the binary's entry point, after which the process ends.
pub fn run(cli: Cli) -> Result<()> {
    // Describing the command line needs no workspace and no today.
    match &cli.command {
        cli::Command::Completions(args) => return commands::completions::cmd_completions(args),
        cli::Command::Man(args) => return commands::completions::cmd_man(args),
        _ => {}
    }
    let mut ctx = commands::Context::new(&cli);
    ctx.ends_process = true;
    ctx.today = commands::today_from_env()?;
    match &cli.command {
        cli::Command::Init(args) => commands::init::cmd_init(&ctx, args),
        cli::Command::Check(args) => commands::check::cmd_check(&ctx, args),
        cli::Command::Inspect(cli::InspectCommand::Import(args)) => commands::import::cmd_import(&ctx, args),
        cli::Command::Inspect(cli::InspectCommand::Coverage(args)) => commands::coverage::cmd_coverage(&ctx, args),
        cli::Command::Inspect(cli::InspectCommand::Clean(args)) => commands::clean::cmd_clean(&ctx, args),
        cli::Command::Score(args) => commands::score::cmd_score(&ctx, args),
        cli::Command::Recheck(args) => commands::recheck::cmd_recheck(&ctx, args),
        cli::Command::Bulletin(args) => commands::bulletin::cmd_bulletin(&ctx, args),
        cli::Command::Subsidy(args) => commands::subsidy::cmd_subsidy(&ctx, args),
        cli::Command::Contracts(args) => commands::contracts::cmd_contracts(&ctx, args),
        cli::Command::Company(args) => commands::company::cmd_company(&ctx, args),
        cli::Command::Standards(cmd) => commands::standards::cmd_standards(&ctx, cmd),
        cli::Command::Completions(_) | cli::Command::Man(_) => Ok(()),
    }
}
