//! The demo district: the committed `data/` and `standards/` are exactly the generator's
//! output, they pass `check`, and they carry the figures the real district published.
//!
//! The generator lives in the examples' kit, not the library; the test compiles it in.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::harness::{run_in, Ws};

#[path = "../../examples/kit/mod.rs"]
mod kit;

fn files(root: &Path) -> BTreeSet<PathBuf> {
    let mut out = BTreeSet::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(dir) = stack.pop() {
        for e in std::fs::read_dir(&dir).unwrap() {
            let p = e.unwrap().path();
            let lock = p
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with(".oldestate."));
            if p.is_dir() {
                stack.push(p);
            } else if !lock {
                out.insert(p.strip_prefix(root).unwrap().to_path_buf());
            }
        }
    }
    out
}

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn the_committed_demo_is_the_generators_output() {
    let tmp = Ws::empty();
    let out = tmp.path("demo");
    kit::demo::generate(&out).unwrap();
    for top in ["data", "standards"] {
        let generated = files(&out.join(top));
        let committed = files(&repo().join(top));
        assert_eq!(
            generated, committed,
            "the files under {top}/ differ: regenerate with `cargo run --example demo -- .`"
        );
        for f in generated {
            let a = std::fs::read(out.join(top).join(&f)).unwrap();
            let b = std::fs::read(repo().join(top).join(&f)).unwrap();
            assert!(a == b, "{top}/{} differs from the generator's output", f.display());
        }
    }
}

#[test]
fn the_demo_passes_check() {
    let r = run_in(repo(), &["--workspace", repo().to_str().unwrap(), "check"]);
    r.status(0);
    assert!(!r.stdout.contains("error"), "{}", r.stdout);
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--workspace", repo().to_str().unwrap(), "--format", "json"];
    all.extend_from_slice(args);
    let r = run_in(repo(), &all);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn the_demo_half_year_has_the_published_figures() {
    let doc = json(&["score", "--period", "2026H1"]);
    let compounds = doc["compounds"].as_array().unwrap();
    assert_eq!(compounds.len(), 323);
    assert!(
        compounds.iter().all(|c| c["verdict"] != "not_assessed"),
        "the assessor covered every compound"
    );
    let points: u64 = compounds.iter().map(|c| c["problem_points"].as_u64().unwrap()).sum();
    assert_eq!(points, 2344);
    let categories: BTreeSet<&str> = compounds
        .iter()
        .flat_map(|c| c["categories"].as_object().unwrap().keys().map(String::as_str))
        .collect();
    assert_eq!(categories.len(), 11);
    let communities = doc["communities"].as_array().unwrap();
    assert_eq!(communities.len(), 63);
    assert_eq!(
        communities.iter().filter(|c| c["assessed"].as_u64() > Some(0)).count(),
        58
    );
    assert_eq!(doc["streets"].as_array().unwrap().len(), 6);
    let rechecks = json(&["recheck", "--period", "2026H1", "--as-of", "2026-07-01"]);
    let rechecked: BTreeSet<&str> = rechecks["notices"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| !n["recheck"].is_null())
        .map(|n| n["compound_id"].as_str().unwrap())
        .collect();
    assert_eq!(rechecked.len(), 12);
    assert_eq!(rechecks["vetoes"].as_array().unwrap().len(), 2);
}

#[test]
fn the_demo_bulletin_headline_reads_as_published() {
    let doc = json(&["bulletin", "--period", "2026H1", "--as-of", "2026-07-01"]);
    let s = &doc["summary"];
    assert_eq!(s["compounds_inspected"], 323);
    assert_eq!(s["streets"], 6);
    assert_eq!(s["communities"], 58);
    assert_eq!(s["rechecked_compounds"], 12);
    assert!(s["photos"].as_u64().unwrap() >= 10_000, "{s}");
    assert!(s["person_times"].as_u64().unwrap() >= 200, "{s}");
    assert_eq!(s["categories_found"], 11);
    assert_eq!(s["problem_points"], 2344);
}

/// The demo bulletin's sentences are true on its as-of date: a red-line failure is marked as
/// one (its score is above the pass mark), the streets with failing compounds are all named
/// (they add up to the count), re-inspection figures count compounds, the change column says
/// both periods are scored under this period's standards, and nothing is promised for a period
/// that may be over (the 2025H2 bulletin stands on 2026-06-30, after 2026H1 has ended).
#[test]
fn the_demo_bulletin_says_only_what_is_true() {
    let r = run_in(repo(), &["bulletin", "--period", "2026H1"]);
    r.status(0);
    let text = &r.stdout;
    for red in [
        "泰安道公寓（91.44，红线项）",
        "德馨里（91.79，红线项）",
        "曲阜道公寓（88.29，红线项）",
    ] {
        assert!(text.contains(red), "{red}: {text}");
    }
    assert!(text.contains("本期考评不合格的小区：永和里（58.56）、"), "{text}");
    assert!(
        text.contains(
            "本期共有 13 个小区考评不合格，其中劝业场街 4 个、五大道街 3 个、小白楼街 3 个、新兴街 2 个、南市街 1 个。"
        ),
        "{text}"
    );
    assert!(text.contains("复检仍不合格的小区 2 个"), "{text}");
    assert!(text.contains("（两期均按本期标准计算）"), "{text}");
    assert!(
        text.contains("本期第三方对 6 个街道、58 个社区的 323 个旧楼区进行了检查"),
        "{text}"
    );
    let past = run_in(repo(), &["bulletin", "--period", "2025H2"]);
    past.status(0);
    assert!(!past.stdout.contains("将于"), "{}", past.stdout);
    assert!(
        past.stdout.contains("四是抓好常态长效。第三方检查按期持续开展，"),
        "{}",
        past.stdout
    );
}

/// With no `--as-of`, the demo's reports stand on its newest visit, 2026-06-30 (DESIGN §14):
/// the half-year is complete, every appeal is decided by then, and nothing needs a note.
#[test]
fn the_demo_stands_on_its_newest_visit() {
    let ws = repo().to_str().unwrap();
    let r = run_in(
        repo(),
        &["--workspace", ws, "--format", "json", "bulletin", "--period", "2026H1"],
    );
    assert_eq!(r.status(0).stderr, "");
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(
        (doc["as_of"].as_str(), doc["complete"].as_bool()),
        (Some("2026-06-30"), Some(true))
    );
    assert_eq!(doc["summary"]["problem_points"], 2344);
    let md = run_in(repo(), &["--workspace", ws, "bulletin", "--period", "2026H1"]);
    assert!(
        md.status(0).stdout.contains("> 数据截至2026年6月30日；"),
        "{}",
        md.stdout
    );
    // The next half-year has not begun in the store: an error, not a report of zeros.
    run_in(repo(), &["--workspace", ws, "bulletin", "--period", "2026H2"])
        .status(1)
        .stderr_line("oldestate: 2026H2 截至 2026-06-30 没有检查记录（计分层级：第三方）；记录库中最新一次检查的日期是 2026-06-30");
}

/// Every demo notice states only what is true on its issue date (the as-of date, 2026-06-30):
/// "低于合格线" only when the score is below the pass mark, the deadline said to have passed
/// exactly when it is before the issue date, 一票否决 only in the sentence on what follows a
/// failed re-inspection, the coefficients as DESIGN §9 takes them, and never the re-inspection
/// itself (most of the demo's came before the issue date: no "will be re-inspected").
#[test]
fn every_demo_notice_states_only_what_is_true() {
    let tmp = Ws::empty();
    let dir = tmp.path("notices");
    let d = dir.to_str().unwrap();
    let r = run_in(repo(), &["recheck", "--period", "2026H1", "--format", "json"]);
    r.status(0);
    let doc: Value = serde_json::from_str(&r.stdout).unwrap();
    run_in(repo(), &["recheck", "--period", "2026H1", "--notices", d]).status(0);
    let notices = doc["notices"].as_array().unwrap();
    assert!(notices.len() >= 13, "{}", notices.len());
    let mut red_only = 0;
    for n in notices {
        let id = n["notice_id"].as_str().unwrap();
        let text = std::fs::read_to_string(dir.join(format!("{id}.md"))).unwrap();
        let score: f64 = n["score"].as_str().unwrap().parse().unwrap();
        let low = score < 80.0;
        assert_eq!(text.contains("低于合格线"), low, "{id}: {text}");
        if !low {
            red_only += 1;
            assert!(text.contains("分（合格线80分），但发现红线项问题（"), "{id}: {text}");
        }
        let passed = n["deadline"].as_str().unwrap() < "2026-06-30";
        assert_eq!(text.contains("，已于本通知书日期前届满。"), passed, "{id}: {text}");
        assert!(!text.contains("将组织复检"), "{id}: {text}");
        // data/funds/2026H1.toml: rectified = 0.85, recheck_failed = 0.30, unresolved = 0,
        // taken in DESIGN §9's order, and only for a compound failing the period.
        assert!(
            text.contains("该小区本期考评结果为不合格的，本期物业服务财政补贴系数按其各份整改通知书的复检是否合格核定：有复检不合格的按0.30；没有复检不合格、但有尚未复检的按0；均复检合格的按0.85。"),
            "{id}: {text}"
        );
        for line in text.lines().filter(|l| l.contains("一票否决")) {
            assert!(line.contains("复检不合格的，对"), "{id}: a veto as a fact: {line}");
        }
        if let Some(rc) = n["recheck"]["visit_id"].as_str() {
            assert!(!text.contains(rc), "{id} reports its re-inspection {rc}");
        }
    }
    assert!(red_only >= 3, "HP106, HP162, HP177 score above the pass mark");
}

/// The demo's assessor report and company pages claim no more than the data: mid-period, the
/// compounds the third party has not visited yet are not "missed" (its whole-period window has
/// not ended); the evidence's photos are named as those of the visits that found problems (the
/// ones compared with the points); a period none of a company's compounds was assessed in shows
/// no verdicts rather than "0 passed, 0 failed".
#[test]
fn the_demo_assessor_and_company_pages_claim_no_more_than_the_data() {
    let row = |out: &str| -> String {
        out.lines()
            .find(|l| l.contains("全期（第三方检查"))
            .unwrap_or_else(|| panic!("{out}"))
            .to_string()
    };
    let mid = run_in(repo(), &["assessor", "--period", "2026H1", "--as-of", "2026-06-10"]);
    mid.status(0);
    let line = row(&mid.stdout);
    assert!(line.contains("┆  227 ┆ —"), "{line}");
    let end = run_in(repo(), &["assessor", "--period", "2026H1"]);
    end.status(0);
    assert!(row(&end.stdout).contains("┆  323 ┆    0 │"), "{}", end.stdout);
    assert!(
        end.stdout.contains("│ 发现问题的检查所拍照片 ┆ 11636 │"),
        "{}",
        end.stdout
    );
    // In English the teams' columns are words; the CSV keeps its ids for scripts.
    let en = run_in(repo(), &["--lang", "en", "assessor", "--period", "2026H1"]);
    assert!(
        en.stdout.contains("┆ points per visit ┆ pass rate % ┆ p (pass rate) ┆"),
        "{}",
        en.stdout
    );
    assert!(!en.stdout.contains("points_per_visit"), "{}", en.stdout);
    let company = run_in(repo(), &["company", "CO01", "--period", "2026H1"]);
    company.status(0);
    assert!(
        company
            .stdout
            .contains("\n| 2025H1 | 39 | — | — | — | 0 | 0 | 0 | 0 | — |\n"),
        "{}",
        company.stdout
    );
    assert!(
        company
            .stdout
            .contains("\n| 2026H1 | 48 | 94.21 | 47 | 1 | 1 | 0 | 0 | 0 | 86.71 |\n"),
        "{}",
        company.stdout
    );
}
