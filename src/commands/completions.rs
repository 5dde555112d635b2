//! `oldestate completions SHELL` and `oldestate man`: the command line described for shells
//! and for `man`, generated from the same clap definitions that parse it.

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

/// Write the completion script for `args.shell` to stdout.
pub fn cmd_completions(args: &CompletionsArgs) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), "oldestate", &mut out);
    emit(&out)
}

/// Write the man page to stdout.
pub fn cmd_man(_args: &ManArgs) -> Result<()> {
    let mut out = Vec::new();
    clap_mangen::Man::new(Cli::command())
        .render(&mut out)
        .map_err(|e| crate::error::Error::io("<man page>", e))?;
    emit(&out)
}
