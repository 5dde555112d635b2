//! `score --explain` tells the scorer's own numbers: the explained visits of a compound give
//! exactly its score, visit count, red line and problem points, for every compound of the demo.

use std::collections::BTreeMap;
use std::path::Path;

use oldestate::commands::loaded::{AsOfDefault, Inapplicable, Loaded};
use oldestate::commands::Context;
use oldestate::domain::explain::explain_visits;
use oldestate::domain::rule::Rule;
use oldestate::domain::visit::Visit;
use oldestate::model::decimal::round2;
use oldestate::model::{Period, Purpose};
use rust_decimal::Decimal;
use serde_json::Value;

use crate::harness::run_in;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// In process, so that all 323 compounds are checked in one pass over the store: the same
/// `explain_visits` and `Rule` the command calls, against the scorer's report.
#[test]
fn explain_agrees_with_score_for_every_compound_of_the_demo() {
    let ctx = Context {
        workspace: Some(repo().to_path_buf()),
        format: None,
        lang: None,
        excel: false,
        quiet: true,
        verbose: 0,
        ends_process: false,
        today: None,
        pinned_git: None,
    };
    let mut loaded = Loaded::load(&ctx, false, None, AsOfDefault::NewestVisit).unwrap();
    let period: Period = "2026H1".parse().unwrap();
    let standards = loaded.standards_for(&period).unwrap();
    let st = &standards.standards;
    let report = loaded.score(period, None, &standards, Inapplicable::Refused).unwrap();
    let mut visits: BTreeMap<String, Vec<Visit>> = BTreeMap::new();
    loaded
        .scan_raw(
            &period,
            |_| true,
            |v| {
                if v.purpose == Purpose::Routine && v.level == st.scoring_level {
                    visits.entry(v.compound_id.to_string()).or_default().push(v.clone());
                }
            },
        )
        .unwrap();
    let rule = Rule::new(st);
    let (mut assessed, mut red_lines) = (0, 0);
    for c in &report.compounds {
        let id = &*c.compound_id;
        let vs = visits.remove(id).unwrap_or_default();
        let explained = explain_visits(&rule, &loaded.registry, &loaded.appeals, vs).unwrap();
        assert_eq!(explained.len(), c.visits as usize, "{id}: visits");
        let scores: Vec<Decimal> = explained.iter().map(|x| x.breakdown.score).collect();
        let mean = (!scores.is_empty()).then(|| round2(scores.iter().sum::<Decimal>() / Decimal::from(scores.len())));
        assert_eq!(mean, c.score, "{id}: score");
        let red_line = explained.iter().any(|x| x.breakdown.red_line);
        assert_eq!(red_line, c.red_line, "{id}: red line");
        let points: u64 = explained.iter().flat_map(|x| &x.breakdown.lines).map(|l| l.count).sum();
        assert_eq!(points, c.problem_points, "{id}: problem points");
        for x in &explained {
            let b = &x.breakdown;
            assert_eq!(
                b.score,
                round2(Decimal::ONE_HUNDRED * (b.m - b.d) / b.m),
                "{id}: M and D"
            );
        }
        assessed += usize::from(c.score.is_some());
        red_lines += usize::from(c.red_line);
    }
    assert!(
        visits.is_empty(),
        "visits of compounds outside the report: {:?}",
        visits.keys()
    );
    // The demo's staging (examples/ generator): every compound assessed, three red lines.
    assert_eq!((report.compounds.len(), assessed, red_lines), (323, 323, 3));
}

/// `score --period 2026H1 --explain ID` on the demo, as JSON.
fn explain_json(id: &str) -> Value {
    let ws = repo().to_str().unwrap();
    let args = [
        "--workspace",
        ws,
        "--format",
        "json",
        "score",
        "--period",
        "2026H1",
        "--explain",
        id,
    ];
    let r = run_in(repo(), &args);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

/// The command's JSON: the compound it explains is the score report's entry, field for field.
#[test]
fn explain_json_carries_the_score_reports_own_entry() {
    let ws = repo().to_str().unwrap();
    let score = run_in(
        repo(),
        &["--workspace", ws, "--format", "json", "score", "--period", "2026H1"],
    );
    score.status(0);
    let score: Value = serde_json::from_str(&score.stdout).unwrap();
    for id in ["HP014", "HP106", "HP300"] {
        let e = explain_json(id);
        let entry = score["compounds"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["compound_id"] == id)
            .unwrap();
        assert_eq!(&e["compound"], entry, "{id}");
        let n = e["visits"].as_array().unwrap().len();
        assert_eq!(Some(n as u64), entry["visits"].as_u64(), "{id}");
    }
}

/// A zh explanation and coverage table speak Chinese: no level id, no `true`, no `pass_mark`,
/// no verdict id, no cadence id (ids stay in CSV and JSON).
#[test]
fn the_zh_explanation_and_coverage_say_words_not_ids() {
    let ws = repo().to_str().unwrap();
    let r = run_in(
        repo(),
        &["--workspace", ws, "score", "--period", "2026H1", "--explain", "HP106"],
    );
    let t = &r.status(0).stdout;
    for word in [
        "third_party",
        "true",
        "false",
        "pass_mark",
        "effective_from",
        "结论 fail",
        "not_assessed",
    ] {
        assert!(!t.contains(word), "{word} in:\n{t}");
    }
    assert!(
        t.contains("检查层级 第三方") && t.contains("结论 不合格") && t.contains("物业服务 不到位"),
        "{t}"
    );
    let r = run_in(
        repo(),
        &["--workspace", ws, "inspect", "coverage", "--period", "2026H1"],
    );
    let t = &r.status(0).stdout;
    assert!(
        t.contains("每月") && t.contains("每季度") && !t.contains("quarter"),
        "{t}"
    );
}

/// An en bulletin and company page keep Chinese punctuation out of their English sentences.
#[test]
fn en_documents_use_english_punctuation() {
    let ws = repo().to_str().unwrap();
    let r = run_in(
        repo(),
        &["--workspace", ws, "--lang", "en", "bulletin", "--period", "2026H1"],
    );
    let t = &r.status(0).stdout;
    assert!(t.contains("street management not in place: "), "{t}");
    assert!(
        t.contains("official scores: third-party visits") && !t.contains("third\\_party"),
        "{t}"
    );
    assert!(
        !t.contains("not in place：") && !t.contains("Compounds failing for the period: 德馨里（"),
        "{t}"
    );
    let r = run_in(
        repo(),
        &[
            "--workspace",
            ws,
            "--lang",
            "en",
            "company",
            "CO02",
            "--period",
            "2026H1",
        ],
    );
    let t = &r.status(0).stdout;
    assert!(
        t.contains("vetoes caused: 1") && t.contains("(CO02)") && !t.contains("（CO02）"),
        "{t}"
    );
}

/// An appealed visit is explained as recorded, the appeal shown beside it: the pass that scores
/// the period hands over visits with appeals applied, so the explanation reads that visit's
/// month again as recorded (HP035's A07: 3 recorded, 1 removed by an upheld appeal, 2 counted).
#[test]
fn an_appealed_visit_is_explained_as_recorded() {
    let e = explain_json("HP035");
    let visit = e["visits"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["visit_id"] == "T20260511-HP035")
        .unwrap();
    let a07 = visit["items"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["item"] == "A07")
        .unwrap();
    assert_eq!(
        (&a07["recorded"], &a07["appealed"], &a07["count"]),
        (&3.into(), &1.into(), &2.into())
    );
    assert_eq!(visit["score"], "96.40");
}

/// A month's explanation at the community level lists that month's visits only, though the
/// pass that scores it reads the whole half-year (the district's half-yearly window).
#[test]
fn a_months_explanation_lists_the_months_visits_only() {
    let ws = repo().to_str().unwrap();
    for id in ["HP014", "HP117", "HP300"] {
        let args = [
            "--workspace",
            ws,
            "--format",
            "json",
            "score",
            "--period",
            "2026-05",
            "--level",
            "community",
            "--explain",
            id,
        ];
        let r = run_in(repo(), &args);
        r.status(0);
        let e: Value = serde_json::from_str(&r.stdout).unwrap();
        let visits = e["visits"].as_array().unwrap();
        assert_eq!(Some(visits.len() as u64), e["compound"]["visits"].as_u64(), "{id}");
        assert!(
            visits
                .iter()
                .all(|v| v["date"].as_str().unwrap().starts_with("2026-05")),
            "{id}: {visits:?}"
        );
    }
}
