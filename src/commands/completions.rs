//! `oldestate completions SHELL` and `oldestate man`: the command line described for shells
//! and for `man`, generated from the same clap definitions that parse it, in the run's
//! language as `--help` is (the descriptions a shell shows beside each option, the man page's
//! text; clap_mangen's section names stay its own).

use clap::CommandFactory;

use super::emit;
use crate::cli::Cli;
use crate::error::Result;

/// Print a shell's completion script for oldestate
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  oldestate completions bash > ~/.local/share/bash-completion/completions/oldestate
  oldestate completions zsh > ~/.zfunc/_oldestate")]
pub struct CompletionsArgs {
    /// The shell to complete in
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Print the man page (roff) for oldestate
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:
  oldestate man > oldestate.1
  oldestate man | man -l -")]
pub struct ManArgs {}

/// The command line as `--help` describes it in the run's language.
fn described() -> clap::Command {
    match crate::i18n::current() {
        crate::model::records::Lang::En => Cli::command(),
        crate::model::records::Lang::Zh => crate::cli::localized_command(),
    }
}

/// Write the completion script for `args.shell` to stdout.
pub fn cmd_completions(args: &CompletionsArgs) -> Result<()> {
    let mut out = Vec::new();
    let mut cmd = match crate::i18n::current() {
        crate::model::records::Lang::En => described(),
        crate::model::records::Lang::Zh => crate::cli::with_localized_values(described()),
    };
    clap_complete::generate(args.shell, &mut cmd, "oldestate", &mut out);
    emit(&out)
}

/// Write the man page to stdout.
pub fn cmd_man(_args: &ManArgs) -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(described())
        .render(&mut out)
        .map_err(|e| crate::error::Error::io("<man page>", e))?;
    emit(&out)
}
