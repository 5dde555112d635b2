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
pub mod i18n;
pub mod import;
pub mod model;
pub mod render;
pub mod report;
pub mod suggest;
pub mod validate;
pub mod workspace;

// The message catalogue (`locales/`), compiled in; English when a key lacks a language.
rust_i18n::i18n!("locales", fallback = "en");

use rust_i18n::t;

pub use cli::Cli;
pub use error::{Error, Result};

/// Make the run's language the process's: `--lang`, else the workspace's, else `LANG` (a run
/// without a workspace speaks `LANG`'s). Every message from then on is in it.
pub fn choose_language(
    lang: Option<model::records::Lang>,
    workspace: Option<&std::path::Path>,
) -> model::records::Lang {
    let env = std::env::var_os(workspace::WORKSPACE_ENV)
        .filter(|v| !v.is_empty())
        .map(std::path::PathBuf::from);
    let cwd = std::env::current_dir().unwrap_or_default();
    let root = workspace::Workspace::discover(workspace, env.as_deref(), &cwd)
        .ok()
        .map(|w| w.root);
    i18n::choose(lang, root.as_deref())
}

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
    choose_language(cli.lang, cli.workspace.as_deref());
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
        cli::Command::Assessor(args) => commands::assessor::cmd_assessor(&ctx, args),
        cli::Command::Standards(cmd) => commands::standards::cmd_standards(&ctx, cmd),
        cli::Command::Verify(args) => commands::verify::cmd_verify(&ctx, args, &remake),
        cli::Command::Completions(_) | cli::Command::Man(_) => Ok(()),
    }
}

/// Make a published document again (`verify`): its recorded arguments and as-of date read as
/// the command line they were, in the same workspace, the git state it carried pinned. Here,
/// where every command is known, so that no command imports another.
fn remake(ctx: &commands::Context, p: &workspace::Publication) -> Result<commands::publish::Made> {
    use clap::Parser;
    let ws = ctx.workspace()?;
    let mut argv: Vec<std::ffi::OsString> = vec!["oldestate".into(), "--workspace".into(), ws.root.into_os_string()];
    argv.extend(p.arguments.split_whitespace().map(Into::into));
    argv.extend(["--as-of".into(), p.as_of.to_string().into()]);
    let cli = Cli::try_parse_from(argv).map_err(|e| {
        Error::msg(t!(
            "verify.bad_arguments",
            file = workspace::PUBLISHED,
            line = p.line,
            arguments = p.arguments,
            why = e.kind()
        ))
    })?;
    let mut again = commands::Context::new(&cli);
    again.quiet = true;
    again.today = ctx.today;
    let commit = Some(p.git_commit.clone()).filter(|c| !c.is_empty());
    again.pinned_git = Some((commit, p.git_dirty.parse().ok()));
    match &cli.command {
        // With their provenance: the inputs' digest tells a document made differently from the
        // same files (the program changed) from one made from other files.
        cli::Command::Bulletin(a) if p.command == "bulletin" => commands::bulletin::document(&again, a, true),
        cli::Command::Recheck(a) if p.command == "recheck" => commands::recheck::notices_document(&again, a, true),
        cli::Command::Subsidy(a) if p.command == "subsidy" => commands::subsidy::document(&again, a, true),
        _ => Err(Error::msg(t!(
            "verify.not_a_document",
            file = workspace::PUBLISHED,
            line = p.line,
            arguments = p.arguments
        ))),
    }
}
