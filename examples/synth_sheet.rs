//! Write a large long-layout inspection sheet for the demo district, for the import benchmark:
//! `cargo run --release --example synth_sheet -- ROWS OUT.csv` (July 2026, community level,
//! three findings per visit on items every grade has, teams numbered so visits stay distinct).
//! `... ROWS OUT.csv COMPOUNDS`: for the synthetic national store of `examples/synth.rs`
//! instead (its compounds P000000..; June 2026, a month the store already holds, so the import
//! merges into a stored month).

#[path = "kit/mod.rs"]
mod kit;

use std::io::{BufWriter, Write};

use kit::rng::XorShift64;

const ITEMS: [&str; 12] = [
    "A01", "A02", "A03", "A04", "A05", "A07", "A08", "A10", "A11", "A13", "A14", "A15",
];

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let rows: usize = args.next().ok_or("usage: synth_sheet ROWS OUT.csv")?.parse()?;
    let out = args.next().ok_or("usage: synth_sheet ROWS OUT.csv")?;
    let national: Option<usize> = args.next().map(|n| n.parse()).transpose()?;
    let (month, days, compounds) = match national {
        Some(n) => ("2026-06", 30, n),
        None => ("2026-07", 31, 323),
    };
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    writeln!(w, "日期,检查组,人数,小区,问题项,点位,照片")?;
    let mut rng = XorShift64::new(0x9E37_79B9_7F4A_7C15);
    let mut n = 0;
    'all: for team in 1.. {
        for day in 1..=days {
            for c in 1..=compounds {
                let x = rng.next_u64();
                for k in 0..3 {
                    if n == rows {
                        break 'all;
                    }
                    // Three distinct items per visit.
                    let item = ITEMS[(x as usize + k * 4) % ITEMS.len()];
                    if national.is_some() {
                        writeln!(
                            w,
                            "{month}-{day:02},普查组{team},3,P{:06},{item},{},2",
                            c - 1,
                            1 + x % 3
                        )?;
                    } else {
                        writeln!(w, "{month}-{day:02},组{team},3,HP{c:03},{item},{},2", 1 + x % 3)?;
                    }
                    n += 1;
                }
            }
        }
    }
    w.flush()?;
    Ok(())
}
