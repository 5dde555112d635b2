//! The `oldestate` binary: parse the command line, run it, map the outcome to an exit status
//! (0 success, 1 bad data or a failed run, 2 usage; DESIGN §11).

use std::process::ExitCode;

fn main() -> ExitCode {
    let cli = oldestate::Cli::parse_checked();
    let all = cli.verbose > 0;
    match oldestate::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => ExitCode::from(oldestate::error::report(&e, all)),
    }
}
