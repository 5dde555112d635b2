//! The floor of the scale benchmark: the least a program can do with the store, a csv-crate
//! ByteRecord loop over the month files of a period, single-threaded, counting rows and
//! summing the count column. `cargo run --release --example floor -- WORKSPACE 2026H1`.

use std::error::Error;

fn main() -> Result<(), Box<dyn Error>> {
    let mut args = std::env::args().skip(1);
    let ws = args.next().ok_or("usage: floor WORKSPACE YEAR")?;
    let year = args.next().unwrap_or_else(|| "2026".into());
    let mut files: Vec<_> = std::fs::read_dir(format!("{ws}/data/inspections/{}", &year[..4]))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    files.sort();
    let (mut rows, mut points) = (0u64, 0u64);
    let mut rec = csv::ByteRecord::new();
    for f in files {
        let mut rdr = csv::Reader::from_path(f)?;
        while rdr.read_byte_record(&mut rec)? {
            rows += 1;
            points += rec
                .get(8)
                .and_then(|c| std::str::from_utf8(c).ok())
                .and_then(|c| c.parse::<u64>().ok())
                .unwrap_or(0);
        }
    }
    println!("{rows} rows, {points} points");
    Ok(())
}
