//! Write the demo district, the workspace the repository ships as its own `data/` and
//! `standards/`: `cargo run --example demo -- DIR`.
//!
//! Files of the same name in DIR are overwritten and nothing else is touched, so
//! `cargo run --example demo -- .` regenerates the committed district in place (then
//! `git status` shows what changed). The generator is [`kit::demo`].

#[path = "kit/mod.rs"]
mod kit;

use std::error::Error;
use std::path::PathBuf;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args_os().skip(1);
    let (Some(dir), None) = (args.next().map(PathBuf::from), args.next()) else {
        return Err("usage: demo DIR".into());
    };
    kit::demo::generate(&dir)?;
    println!("wrote the demo district to {}", dir.display());
    Ok(())
}
