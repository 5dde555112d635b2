//! `standards diff`: the consequences of a standards change, against a git revision or a file.
//!
//! The store: P1 (grade 1, M = 30) has X01 × 2 → D = 4 → 86.67; P2 (grade 2) X01 × 1 → 93.33;
//! P3 (grade 3 until 2026-03-31, M = 20) nothing → 100.00; P4 none: not assessed.

use serde_json::{json, Value};

use crate::harness::Ws;
use crate::score::with_store;

const ST: &str = "standards/2026-01-01.toml";

fn git(ws: &Ws, args: &[&str]) {
    let out = std::process::Command::new("git")
        .args(args)
        .current_dir(ws.root())
        .env("GIT_AUTHOR_NAME", "t")
        .env("GIT_AUTHOR_EMAIL", "t@example.org")
        .env("GIT_COMMITTER_NAME", "t")
        .env("GIT_COMMITTER_EMAIL", "t@example.org")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The store above, committed in a fresh git repository.
fn repo() -> Ws {
    let ws = with_store(&[
        "T1,2026-02-03,third_party,routine,甲组,3,P1,X01,2,4,",
        "T2,2026-02-03,third_party,routine,甲组,3,P2,X01,1,4,",
        "T3,2026-02-03,third_party,routine,甲组,3,P3,,0,4,",
    ]);
    git(&ws, &["init", "-q"]);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-q", "-m", "standards as they are"]);
    ws
}

fn diff(ws: &Ws, period: &str, against: &str) -> Value {
    let r = ws.run(&[
        "standards",
        "diff",
        "--period",
        period,
        "--against",
        against,
        "--as-of",
        "2026-07-01",
        "--format",
        "json",
    ]);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn a_raised_pass_mark_against_the_last_commit() {
    let ws = repo();
    ws.replace(ST, "pass_mark = 80", "pass_mark = 90");
    let doc = diff(&ws, "2026H1", "HEAD");
    assert_eq!(doc["against"], "HEAD");
    assert_eq!(doc["against_standards"]["file"], "HEAD:./standards/2026-01-01.toml");
    assert_eq!(doc["standards"]["file"], "standards/2026-01-01.toml");
    // Only P1 (86.67) crosses the new line: pass → fail; its grade (良好) does not change.
    assert_eq!(
        doc["changes"],
        json!([{"compound_id": "P1", "name": "南营门里", "street_id": "S1",
                "before": {"score": "86.67", "grade": "良好", "verdict": "pass"},
                "after": {"score": "86.67", "grade": "良好", "verdict": "fail"}}])
    );
    assert_eq!(
        doc["totals"],
        json!({"before": {"passed": 3, "failed": 0, "not_assessed": 1}, "after": {"passed": 2, "failed": 1, "not_assessed": 1}})
    );
    // Street scores do not move with the pass mark.
    assert_eq!(
        doc["streets"][0],
        json!({"street_id": "S1", "name": "劝业场街", "before": "93.33", "after": "93.33"})
    );
    assert_eq!(doc["subsidy"], Value::Null, "no funds file for 2026H1 in this fixture");
}

#[test]
fn a_doubled_deduction_and_the_street_subsidy_it_moves() {
    let ws = repo();
    ws.write("data/funds/2026H1.toml", "period = \"2026H1\"\n[rates]\n\"1\" = \"0.30\"\n\"2\" = \"0.25\"\n\"3\" = \"0.20\"\n[coefficients]\n\"优秀\" = \"1.00\"\n\"良好\" = \"0.95\"\n\"合格\" = \"0.90\"\n\"不合格\" = \"0.60\"\nrectified = \"0.85\"\nrecheck_failed = \"0.30\"\nunresolved = \"0\"\nnot_assessed = \"0.80\"\n");
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-q", "-m", "funds"]);
    ws.replace(ST, "max = 10\ndeduct = 2", "max = 10\ndeduct = 4");
    let doc = diff(&ws, "2026H1", "HEAD");
    // P1: D = min(10, 4 × 2) = 8 → 73.33 (fail, 不合格); P2: D = 4 → 86.67 (良好).
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 2);
    assert_eq!(
        changes[0]["after"],
        json!({"score": "73.33", "grade": "不合格", "verdict": "fail"})
    );
    assert_eq!(
        changes[1]["after"],
        json!({"score": "86.67", "grade": "良好", "verdict": "pass"})
    );
    // S1 before (no fee bonus in this funds file): P1 6 × 21000.50 × 0.30 × 0.95 (良好) =
    // 35910.855; P2 21000 × 1.00 = 21000; P3 (3 × 9000 × 0.20 + 3 × 9000 × 0.25) × 1.00 = 12150.
    // With P4 (43200) the exact total 114060.855 → 114060.86; the fen goes to P1 (remainder
    // .005): S1 = 35910.86 + 21000 + 12150 = 69060.86.
    // After: P1 fails with no re-inspection: unresolved, 0; P2 良好 0.95: 19950. S1 = 32100.00.
    let s1 = &doc["subsidy"]["streets"][0];
    assert_eq!(
        (s1["before"].clone(), s1["after"].clone(), s1["change"].clone()),
        (json!("69060.86"), json!("32100.00"), json!("-36960.86"))
    );
}

#[test]
fn an_item_limited_to_a_grade_leaves_the_others_findings_out() {
    let ws = repo();
    ws.replace(ST, "max = 10\ndeduct = 2\n", "max = 10\ndeduct = 2\napplies_to = [1]\n");
    let doc = diff(&ws, "2026H1", "HEAD");
    // P2 (grade 2): X01 no longer applies: its point is left out and M = 20: 100.00. P1 is
    // grade 1 and keeps its score.
    let changes = doc["changes"].as_array().unwrap();
    assert_eq!(changes.len(), 1, "{}", doc["changes"]);
    assert_eq!(changes[0]["compound_id"], "P2");
    assert_eq!(changes[0]["after"]["score"], "100.00");
    assert_eq!(doc["ignored_points"], json!({"before": 0, "after": 1}));
}

#[test]
fn a_moved_effective_date_changes_which_file_a_period_uses() {
    let ws = repo();
    let older = ws
        .read(ST)
        .replace("2026-01-01", "2025-07-01")
        .replace("max = 10\ndeduct = 2", "max = 10\ndeduct = 1");
    ws.write("standards/2025-07-01.toml", &older);
    git(&ws, &["add", "-A"]);
    git(&ws, &["commit", "-q", "-m", "the 2025 edition"]);
    // Proposed: the 2026 edition starts in April, not January.
    let moved = ws
        .read(ST)
        .replace("effective_from = 2026-01-01", "effective_from = 2026-04-01");
    std::fs::remove_file(ws.path(ST)).unwrap();
    ws.write("standards/2026-04-01.toml", &moved);
    let doc = diff(&ws, "2026Q1", "HEAD");
    assert_eq!(doc["against_standards"]["file"], "HEAD:./standards/2026-01-01.toml");
    assert_eq!(doc["standards"]["file"], "standards/2025-07-01.toml");
    // P1 under the 2025 edition: D = 2 → 93.33 (was 86.67).
    let p1 = doc["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["compound_id"] == "P1")
        .unwrap();
    assert_eq!(
        (p1["before"]["score"].clone(), p1["after"]["score"].clone()),
        (json!("86.67"), json!("93.33"))
    );
}

#[test]
fn against_a_proposed_file() {
    let ws = repo();
    let proposed = ws.read(ST).replace("pass_mark = 80", "pass_mark = 90");
    ws.write("proposals/stricter.toml", &proposed);
    let path = ws.path("proposals/stricter.toml").display().to_string();
    let doc = diff(&ws, "2026H1", &path);
    // Now the file is "before" and the working tree "after": P1 fail → pass.
    assert_eq!(doc["changes"][0]["before"]["verdict"], "fail");
    assert_eq!(doc["changes"][0]["after"]["verdict"], "pass");
    // The table view runs too, and says what was compared.
    let r = ws.run(&[
        "standards",
        "diff",
        "--period",
        "2026H1",
        "--against",
        &path,
        "--as-of",
        "2026-07-01",
        "--lang",
        "en",
    ]);
    r.status(0);
    assert!(
        r.stdout
            .contains("totals: passed 2 → 3, failed 1 → 0, not assessed 1 → 1"),
        "{}",
        r.stdout
    );
    // The verdicts in words, not ids (the JSON above keeps the ids).
    assert!(r.stdout.contains("fail → pass"), "{}", r.stdout);
    let zh = ws.run(&[
        "standards",
        "diff",
        "--period",
        "2026H1",
        "--against",
        &path,
        "--as-of",
        "2026-07-01",
    ]);
    zh.status(0);
    assert!(zh.stdout.contains("不合格 → 合格"), "{}", zh.stdout);
    assert!(!zh.stdout.contains("fail"), "{}", zh.stdout);
}

#[test]
fn outside_a_git_repository_a_revision_is_an_error() {
    let ws = with_store(&[]);
    ws.run(&["standards", "diff", "--period", "2026H1", "--against", "HEAD"])
        .status(1)
        .stderr_line(&format!(
            "oldestate: --against HEAD：不是文件，而 {} 也不在 git 仓库中，因此不能当作版本",
            ws.root().display()
        ));
}

#[test]
fn a_revision_without_standards_for_the_period_is_an_error() {
    let ws = repo();
    let r = ws.run(&["standards", "diff", "--period", "2025H2", "--against", "HEAD"]);
    r.status(1);
    assert!(
        r.stderr.contains("2025-07-01（2025H2 的第一天）没有生效的标准"),
        "{}",
        r.stderr
    );
    ws.run(&["standards", "diff", "--period", "2026H1", "--against", "no-such-branch"])
        .status(1)
        .stderr_line(&format!(
            "oldestate: --against no-such-branch：既不是文件，也不是 {} 的 git 版本",
            ws.root().display()
        ));
}
