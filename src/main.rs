//! The `oldestate` binary: parse the command line, run it, map the outcome to an exit status
//! (0 success, 1 bad data or a failed run, 2 usage; DESIGN §11).

use std::process::ExitCode;

use clap::Parser;
use oldestate::error::Error;

/// Most located errors printed before summarising the rest (`-v` prints them all; an
/// import says every problem of its sheets itself, grouped by cause).
const MAX_PRINTED: usize = 50;

fn main() -> ExitCode {
    let cli = oldestate::Cli::parse();
    let all = cli.verbose > 0;
    match oldestate::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(Error::Usage(m)) => {
            oldestate::say!("oldestate: {m}");
            ExitCode::from(2)
        }
        Err(Error::Invalid(list)) => {
            let shown = if all { list.len() } else { MAX_PRINTED };
            for d in list.iter().take(shown) {
                oldestate::say!("oldestate: {d}");
            }
            if list.len() > shown {
                oldestate::say!(
                    "oldestate: … and {} more error(s) ({} in all; -v lists them all)",
                    list.len() - shown,
                    list.len()
                );
            }
            oldestate::say!("oldestate: {} error(s); nothing was written", list.len());
            ExitCode::from(1)
        }
        Err(Error::Reported(n)) => {
            oldestate::say!("oldestate: {n} error(s); nothing was written");
            ExitCode::from(1)
        }
        Err(e) => {
            oldestate::say!("oldestate: {e}");
            ExitCode::from(1)
        }
    }
}
