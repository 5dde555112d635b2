//! Write a large long-layout inspection sheet for the demo district, for the import benchmark:
//! `cargo run --release --example synth_sheet -- ROWS OUT.csv` (July 2026, community level,
//! three findings per visit on items every grade has, teams numbered so visits stay distinct).

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
    let mut w = BufWriter::new(std::fs::File::create(out)?);
    writeln!(w, "日期,检查组,人数,小区,问题项,点位,照片")?;
    let mut rng = XorShift64::new(0x9E37_79B9_7F4A_7C15);
    let mut n = 0;
    'all: for team in 1.. {
        for day in 1..=31 {
            for c in 1..=323 {
                let x = rng.next_u64();
                for k in 0..3 {
                    if n == rows {
                        break 'all;
                    }
                    // Three distinct items per visit.
                    let item = ITEMS[(x as usize + k * 4) % ITEMS.len()];
                    writeln!(w, "2026-07-{day:02},组{team},3,HP{c:03},{item},{},2", 1 + x % 3)?;
                    n += 1;
                }
            }
        }
    }
    w.flush()?;
    Ok(())
}
