//! The `oldestate` binary: parse the command line, run it, map the outcome to an exit status
//! (0 success, 1 bad data or a failed run, 2 usage; DESIGN §11).

use std::process::ExitCode;

use clap::Parser;
use oldestate::error::Error;

/// Most located errors printed before summarising the rest.
const MAX_PRINTED: usize = 50;

fn main() -> ExitCode {
    let cli = oldestate::Cli::parse();
    match oldestate::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if e.is_broken_pipe() => ExitCode::SUCCESS,
        Err(Error::Usage(m)) => {
            eprintln!("oldestate: {m}");
            ExitCode::from(2)
        }
        Err(Error::Invalid(list)) => {
            for d in list.iter().take(MAX_PRINTED) {
                eprintln!("oldestate: {d}");
            }
            if list.len() > MAX_PRINTED {
                eprintln!(
                    "oldestate: … and {} more error(s) ({} in all)",
                    list.len() - MAX_PRINTED,
                    list.len()
                );
            }
            eprintln!("oldestate: {} error(s); nothing was written", list.len());
            ExitCode::from(1)
        }
        Err(Error::Reported(n)) => {
            eprintln!("oldestate: {n} error(s); nothing was written");
            ExitCode::from(1)
        }
        Err(e) => {
            eprintln!("oldestate: {e}");
            ExitCode::from(1)
        }
    }
}
