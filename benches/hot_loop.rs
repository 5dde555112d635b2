//! Micro-benchmarks of the scoring hot loop (divan): `cargo bench --bench hot_loop`.
//! The whole-process figures are in BENCHMARKS.md (`bash benches/national.sh`).

use divan::black_box;
use oldestate::domain::rule::oracle::score_visit;
use oldestate::domain::rule::Rule;
use oldestate::workspace::parse_standards;

fn main() {
    divan::main();
}

fn findings() -> Vec<(String, u64)> {
    vec![
        ("A03".into(), 2),
        ("A05".into(), 1),
        ("A07".into(), 3),
        ("A13".into(), 1),
    ]
}

fn standards() -> oldestate::model::standards::Standards {
    parse_standards(include_str!("../standards/2026-01-01.toml"), Some("2026-01-01"))
        .expect("the default standards parse")
}

/// A visit scored by the plain statement of the rule (the tests' oracle).
#[divan::bench]
fn score_visit_plain(b: divan::Bencher) {
    let st = standards();
    let f = findings();
    b.bench(|| score_visit(black_box(&st), 2, black_box(&f)));
}

/// The same visit through the compiled rule every report uses.
#[divan::bench]
fn score_visit_table(b: divan::Bencher) {
    let st = standards();
    let rule = Rule::new(&st);
    let f = findings();
    b.bench(|| rule.score(2, black_box(&f), false, |_, _| {}));
}

/// The date of every store row.
#[divan::bench]
fn parse_date(b: divan::Bencher) {
    b.bench(|| oldestate::model::parse_date(black_box("2026-05-17")));
}

/// Ids of a national registry: 220,000 compounds.
fn national_ids() -> Vec<String> {
    (0..220_000).map(|i| format!("P{i:06}")).collect()
}

/// The scan's per-visit lookup: a compound's position and the grade in force, at national
/// scale, for ids in the order a day's visits meet them (every 31st compound).
#[divan::bench]
fn compound_and_grade_lookup(b: divan::Bencher) {
    let ids = national_ids();
    let table = oldestate::engine::compound_table::CompoundTable::build(ids.iter().map(String::as_str));
    let id_of = |i: usize| ids.get(i).map(String::as_str);
    let date = chrono::NaiveDate::from_ymd_opt(2026, 3, 1).expect("a date");
    let mut k = 0usize;
    b.bench_local(|| {
        k = (k + 31) % ids.len();
        table.get_with_grade(black_box(&ids[k]), date, id_of)
    });
}
