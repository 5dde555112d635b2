//! A synthetic workspace of any size, for the scale benchmarks (see BENCHMARKS.md):
//! `cargo run --release --example synth -- --compounds 220000 --months 6 --seed 1 DIR`.
//!
//! Realistic in shape: streets of ~70 compounds in ~10 communities, every level visiting on
//! its cadence (community monthly, street quarterly, district and assessor half-yearly) from
//! January 2026, a few findings per visit on items of the compound's grade, a failing visit now
//! and then with a re-inspection, Chinese notes with commas and quotes, fees and a funds file.
//! Deterministic by seed. Large outputs belong outside the repository.

#[path = "kit/mod.rs"]
mod kit;

use std::error::Error;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use kit::rng::Rng;
use oldestate::workspace::parse_standards;

const STANDARDS: &str = include_str!("../standards/2026-01-01.toml");

struct Args {
    compounds: usize,
    months: u32,
    seed: u64,
    dir: PathBuf,
}

fn args() -> Result<Args, Box<dyn Error>> {
    let mut a = Args {
        compounds: 1000,
        months: 6,
        seed: 1,
        dir: PathBuf::new(),
    };
    let mut it = std::env::args().skip(1);
    while let Some(x) = it.next() {
        match x.as_str() {
            "--compounds" => a.compounds = it.next().ok_or("--compounds N")?.parse()?,
            "--months" => a.months = it.next().ok_or("--months M")?.parse()?,
            "--seed" => a.seed = it.next().ok_or("--seed S")?.parse()?,
            d => a.dir = PathBuf::from(d),
        }
    }
    if a.dir.as_os_str().is_empty() || a.months == 0 || a.months > 12 {
        return Err("usage: synth [--compounds N] [--months 1..12] [--seed S] DIR".into());
    }
    Ok(a)
}

fn file(dir: &Path, rel: &str) -> Result<BufWriter<std::fs::File>, Box<dyn Error>> {
    let p = dir.join(rel);
    std::fs::create_dir_all(p.parent().ok_or("path")?)?;
    Ok(BufWriter::with_capacity(1 << 20, std::fs::File::create(p)?))
}

fn days_in(month: u32) -> u32 {
    [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month as usize - 1]
}

fn main() -> Result<(), Box<dyn Error>> {
    let a = args()?;
    let dir = &a.dir;
    let mut rng = Rng::new(a.seed);
    // The items visits find: the standards file this workspace ships, read by the crate.
    let items = parse_standards(STANDARDS, None)
        .map_err(|e| format!("the bundled standards do not parse: {e:?}"))?
        .items;
    let n = a.compounds;
    let per_community = 7;
    let communities = n.div_ceil(per_community);
    let streets = communities.div_ceil(10);
    std::fs::create_dir_all(dir.join("standards"))?;
    std::fs::write(dir.join("standards/2026-01-01.toml"), STANDARDS)?;
    std::fs::create_dir_all(dir.join("data"))?;
    std::fs::write(
        dir.join("data/workspace.toml"),
        "district = \"全国（合成）\"\nlanguage = \"zh\"\ncurrency = \"CNY\"\n",
    )?;
    let mut w = file(dir, "data/registry/streets.csv")?;
    writeln!(w, "street_id,name")?;
    for s in 0..streets {
        writeln!(w, "S{s:05},第{s}街道")?;
    }
    let mut w = file(dir, "data/registry/communities.csv")?;
    writeln!(w, "community_id,street_id,name")?;
    for c in 0..communities {
        writeln!(w, "C{c:06},S{:05},第{c}社区", c / 10)?;
    }
    let companies = (n / 500).max(2);
    let mut w = file(dir, "data/registry/companies.csv")?;
    writeln!(w, "company_id,name")?;
    for k in 0..companies {
        writeln!(w, "K{k:04},第{k}物业服务有限公司")?;
    }
    let mut grades = Vec::with_capacity(n);
    let mut w = file(dir, "data/registry/compounds.csv")?;
    let mut wc = file(dir, "data/registry/contracts.csv")?;
    let mut wf = file(dir, "data/fees/2026H1.csv")?;
    writeln!(w, "compound_id,community_id,name,aliases,households,area_m2,buildings")?;
    writeln!(wc, "compound_id,company_id,service_grade,start,end")?;
    writeln!(wf, "compound_id,billed,collected")?;
    for i in 0..n {
        let households = 80 + rng.below_u64(1000);
        let area = households * (60 + rng.below_u64(25)) * 100 + rng.below_u64(100);
        let grade = [1, 2, 2, 3, 3][rng.below(5)];
        grades.push(grade);
        writeln!(
            w,
            "P{i:06},C{:06},第{i}小区,,{households},{}.{:02},{}",
            i / per_community,
            area / 100,
            area % 100,
            1 + rng.below_u64(12)
        )?;
        writeln!(wc, "P{i:06},K{:04},{grade},2025-01-01,2028-12-31", rng.below(companies))?;
        let billed = households * 600;
        writeln!(wf, "P{i:06},{billed}.00,{}.00", billed * (75 + rng.below_u64(25)) / 100)?;
    }
    drop((w, wc, wf));
    let mut w = file(dir, "data/funds/2026H1.toml")?;
    writeln!(w, "period = \"2026H1\"\n[rates]\n\"1\" = \"0.30\"\n\"2\" = \"0.25\"\n\"3\" = \"0.20\"\n[coefficients]\n\"优秀\" = \"1.00\"\n\"良好\" = \"0.95\"\n\"合格\" = \"0.90\"\n\"不合格\" = \"0.60\"\nrectified = \"0.85\"\nrecheck_failed = \"0.30\"\nunresolved = \"0\"\nnot_assessed = \"0.80\"\n[fee_bonus]\nmin_rate = \"0.90\"\nbonus = \"0.05\"")?;
    drop(w);
    std::fs::write(
        dir.join("data/registry/titles.csv"),
        "community_id,title,awarded_on,valid_until\n",
    )?;
    let notes = [
        "",
        "",
        "",
        "",
        "楼道东侧,堆物两处",
        "住户称\"已整改\"，现场未见",
        "拍照留存",
    ];
    let mut total_rows = 0u64;
    for m in 1..=a.months {
        // Rows of the month, sorted by (date, visit_id, item): visit ids start with the
        // zero-padded day, then level letter and compound, so sorting the ids sorts the rows.
        let mut rows: Vec<(u32, String, String)> = Vec::new();
        let visit = |rng: &mut Rng,
                     rows: &mut Vec<(u32, String, String)>,
                     letter: char,
                     level: &str,
                     purpose: &str,
                     i: usize,
                     fail: bool| {
            let day = 1 + rng.below_u64(u64::from(days_in(m))) as u32;
            let id = format!(
                "{letter}{m:02}{day:02}-P{i:06}{}",
                if purpose == "recheck" { "-R" } else { "" }
            );
            let team = format!("{level}组{}", i % 97);
            let inspectors = 2 + (i % 3);
            let k = if fail { 12 } else { rng.below(8) };
            let mut found: Vec<usize> = Vec::new();
            while found.len() < k {
                let it = rng.below(items.len());
                // A red line (A17) fails a visit by itself: leave it out, the failing visits
                // fail on their other items.
                if items[it].red_line || !items[it].applies(grades[i]) || found.contains(&it) {
                    continue;
                }
                found.push(it);
            }
            found.sort_unstable();
            let photos = 2 + rng.below_u64(8);
            let head = format!("{id},2026-{m:02}-{day:02},{level},{purpose},{team},{inspectors},P{i:06}");
            if found.is_empty() {
                rows.push((day, id.clone(), format!("{head},,0,{photos},")));
            }
            for (j, &it) in found.iter().enumerate() {
                let note = notes[rng.below(notes.len())];
                let note = if note.contains([',', '"']) {
                    format!("\"{}\"", note.replace('"', "\"\""))
                } else {
                    note.to_string()
                };
                let count = if fail { 4 } else { 1 + rng.below_u64(3) };
                rows.push((
                    day,
                    id.clone(),
                    format!(
                        "{head},{},{count},{},{note}",
                        items[it].code,
                        if j == 0 { photos } else { 0 }
                    ),
                ));
            }
        };
        for i in 0..n {
            visit(&mut rng, &mut rows, 'C', "community", "routine", i, false);
            if (m - 1) % 3 == (i % 3) as u32 {
                visit(&mut rng, &mut rows, 'S', "street", "routine", i, false);
            }
            if (m - 1) % 6 == (i % 6) as u32 {
                visit(&mut rng, &mut rows, 'D', "district", "routine", i, false);
                let fail = rng.below_u64(40) == 0;
                visit(&mut rng, &mut rows, 'T', "third_party", "routine", i, fail);
                if fail && rng.below_u64(4) != 0 {
                    visit(&mut rng, &mut rows, 'T', "third_party", "recheck", i, false);
                }
            }
        }
        rows.sort_by(|a, b| (a.0, &a.1, &a.2).cmp(&(b.0, &b.1, &b.2)));
        let mut w = file(dir, &format!("data/inspections/2026/2026-{m:02}.csv"))?;
        let mut buf = String::from("visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\n");
        for (_, _, line) in &rows {
            buf.push_str(line);
            buf.push('\n');
            if buf.len() > 1 << 20 {
                w.write_all(buf.as_bytes())?;
                buf.clear();
            }
        }
        w.write_all(buf.as_bytes())?;
        total_rows += rows.len() as u64;
    }
    println!(
        "{n} compounds, {} months, {total_rows} rows in {}",
        a.months,
        dir.display()
    );
    Ok(())
}
