//! `recheck`: notices, re-inspections, outcomes and vetoes (DESIGN §7), one edge per test.
//!
//! In the `mini` fixture P1 and P2 belong to C1, which holds a 美丽社区 title valid
//! 2025-01-10..2027-01-09; P3 belongs to C2, which holds none. P1 is grade 1 (M = 30):
//! five X01 points deduct min(10, 2 × 5) = 10, so the visit scores 100 × 20 / 30 = 66.67.

use serde_json::{json, Value};

use crate::harness::Ws;
use crate::score::with_store;

const FAIL_P1: &str = "T1,2026-03-05,third_party,routine,甲组,3,P1,X01,5,4,";

fn recheck(ws: &Ws, period: &str, as_of: &str) -> Value {
    let r = ws.run(&["recheck", "--period", period, "--as-of", as_of, "--format", "json"]);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn a_failing_visit_gets_a_notice_with_a_deadline_and_its_company() {
    let ws = with_store(&[FAIL_P1, "T2,2026-03-05,third_party,routine,甲组,3,P2,X01,1,4,"]);
    let doc = recheck(&ws, "2026H1", "2026-03-10");
    assert_eq!(doc["as_of"], "2026-03-10");
    let notices = doc["notices"].as_array().unwrap();
    assert_eq!(notices.len(), 1, "P2 scored 93.33 and gets no notice");
    let n = &notices[0];
    assert_eq!(n["notice_id"], "N-T1");
    assert_eq!(n["visit_id"], "T1");
    assert_eq!(n["compound_id"], "P1");
    assert_eq!(n["company_id"], "CO1");
    assert_eq!(n["score"], "66.67");
    // 2026-03-05 + 15 days.
    assert_eq!(n["deadline"], "2026-03-20");
    assert_eq!(n["recheck"], Value::Null);
    assert_eq!(n["outcome"], "pending");
}

#[test]
fn without_a_re_inspection_the_as_of_date_decides_pending_or_overdue() {
    let ws = with_store(&[FAIL_P1]);
    assert_eq!(recheck(&ws, "2026H1", "2026-03-20")["notices"][0]["outcome"], "pending");
    assert_eq!(recheck(&ws, "2026H1", "2026-03-21")["notices"][0]["outcome"], "overdue");
}

#[test]
fn a_re_inspection_on_the_deadline_day_is_not_late_and_the_day_after_is() {
    let on_time = with_store(&[FAIL_P1, "R1,2026-03-20,third_party,recheck,甲组,3,P1,,0,2,"]);
    let n = recheck(&on_time, "2026H1", "2026-06-30")["notices"][0].clone();
    assert_eq!(
        n["recheck"],
        json!({"visit_id": "R1", "date": "2026-03-20", "level": "third_party", "score": "100.00", "red_line": false, "late": false})
    );
    assert_eq!(n["outcome"], "rectified");
    let late = with_store(&[FAIL_P1, "R1,2026-03-21,third_party,recheck,甲组,3,P1,,0,2,"]);
    let n = recheck(&late, "2026H1", "2026-06-30")["notices"][0].clone();
    assert_eq!(n["recheck"]["late"], true);
    assert_eq!(n["outcome"], "rectified");
}

#[test]
fn two_failing_visits_share_the_first_re_inspection_after_each() {
    let ws = with_store(&[
        FAIL_P1,
        "T2,2026-03-10,third_party,routine,乙组,3,P1,X01,4,4,",
        "R1,2026-03-15,third_party,recheck,甲组,3,P1,,0,2,",
        "R2,2026-03-16,third_party,recheck,甲组,3,P1,X01,5,2,",
    ]);
    let doc = recheck(&ws, "2026H1", "2026-06-30");
    let ids: Vec<_> = doc["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| (n["notice_id"].clone(), n["recheck"]["visit_id"].clone()))
        .collect();
    assert_eq!(ids, vec![(json!("N-T1"), json!("R1")), (json!("N-T2"), json!("R1"))]);
}

#[test]
fn a_visit_on_the_same_day_is_not_a_re_inspection() {
    let ws = with_store(&[FAIL_P1, "R0,2026-03-05,third_party,recheck,甲组,3,P1,,0,2,"]);
    assert_eq!(
        recheck(&ws, "2026H1", "2026-03-06")["notices"][0]["recheck"],
        Value::Null
    );
}

#[test]
fn a_re_inspection_at_another_level_counts() {
    let ws = with_store(&[FAIL_P1, "R1,2026-03-12,street,recheck,劝业场街检查组,2,P1,,0,2,"]);
    let n = recheck(&ws, "2026H1", "2026-06-30")["notices"][0].clone();
    assert_eq!(n["recheck"]["level"], "street");
    assert_eq!(n["outcome"], "rectified");
}

#[test]
fn a_re_inspection_in_the_next_period_counts() {
    let ws = with_store(&[
        "T1,2026-03-28,third_party,routine,甲组,3,P1,X01,5,4,",
        "R1,2026-04-06,third_party,recheck,甲组,3,P1,,0,2,",
    ]);
    let n = recheck(&ws, "2026Q1", "2026-04-10")["notices"][0].clone();
    assert_eq!(n["recheck"]["visit_id"], "R1");
    assert_eq!(n["outcome"], "rectified");
    // As of 2026-03-30 the re-inspection of 2026-04-06 has not happened yet (DESIGN §14).
    let n = recheck(&ws, "2026Q1", "2026-03-30")["notices"][0].clone();
    assert_eq!(n["recheck"], Value::Null);
    assert_eq!(n["outcome"], "pending");
}

#[test]
fn a_red_line_point_fails_a_high_score_and_a_red_line_on_re_inspection_fails_it_again() {
    // X03 × 1: D = 5, 100 × 25 / 30 = 83.33, above the pass mark but a red line.
    let ws = with_store(&[
        "T1,2026-04-01,third_party,routine,甲组,3,P1,X03,1,4,",
        "R1,2026-04-10,third_party,recheck,甲组,3,P1,X03,1,2,",
    ]);
    let doc = recheck(&ws, "2026H1", "2026-06-30");
    let n = &doc["notices"][0];
    assert_eq!(
        (n["score"].clone(), n["red_line"].clone()),
        (json!("83.33"), json!(true))
    );
    assert_eq!(n["recheck"]["score"], "83.33");
    assert_eq!(n["outcome"], "failed");
    // C1 holds a title valid on 2026-04-10: revoked.
    assert_eq!(
        doc["vetoes"],
        json!([{"community_id": "C1", "year": 2026, "effect": "revoked", "notices": ["N-T1"]}])
    );
}

#[test]
fn a_failed_re_inspection_makes_a_community_without_a_valid_title_ineligible() {
    let ws = with_store(&[
        "T1,2026-04-01,third_party,routine,甲组,3,P1,X01,5,4,",
        "R1,2026-04-10,third_party,recheck,甲组,3,P1,X01,5,2,",
        "T3,2026-04-01,third_party,routine,甲组,3,P3,X01,5,4,",
        "R3,2026-04-10,third_party,recheck,甲组,3,P3,X01,5,2,",
    ]);
    // C1's title expired the day before the re-inspection.
    ws.replace("data/registry/titles.csv", "2027-01-09", "2026-04-09");
    let doc = recheck(&ws, "2026H1", "2026-06-30");
    assert_eq!(
        doc["vetoes"],
        json!([
            {"community_id": "C1", "year": 2026, "effect": "ineligible", "notices": ["N-T1"]},
            {"community_id": "C2", "year": 2026, "effect": "ineligible", "notices": ["N-T3"]},
        ])
    );
}

#[test]
fn the_veto_falls_in_the_year_of_the_re_inspection() {
    let ws = with_store(&[
        "T1,2026-12-20,third_party,routine,甲组,3,P1,X01,5,4,",
        "R1,2027-01-04,third_party,recheck,甲组,3,P1,X01,5,2,",
    ]);
    let doc = recheck(&ws, "2026H2", "2027-02-01");
    // On 2027-01-04 C1's title (valid to 2027-01-09) still holds.
    assert_eq!(
        doc["vetoes"],
        json!([{"community_id": "C1", "year": 2027, "effect": "revoked", "notices": ["N-T1"]}])
    );
}

#[test]
fn due_within_lists_pending_notices_by_deadline() {
    let ws = with_store(&[
        "T1,2026-03-05,third_party,routine,甲组,3,P1,X01,5,4,",
        "T2,2026-03-02,third_party,routine,甲组,3,P2,X01,5,4,",
        "T3,2026-03-01,third_party,routine,甲组,3,P3,X01,5,4,",
        "R3,2026-03-04,third_party,recheck,甲组,3,P3,,0,2,",
    ]);
    // Deadlines: T2 2026-03-17, T1 2026-03-20; T3 is rectified. As of 03-10, within 8 days: T2 only.
    let r = ws.run(&[
        "recheck",
        "--period",
        "2026H1",
        "--as-of",
        "2026-03-10",
        "--due-within",
        "8",
        "--format",
        "csv",
    ]);
    r.status(0);
    let ids: Vec<&str> = r.stdout.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, vec!["N-T2"]);
    let r = ws.run(&[
        "recheck",
        "--period",
        "2026H1",
        "--as-of",
        "2026-03-10",
        "--due-within",
        "30",
        "--format",
        "csv",
    ]);
    let ids: Vec<&str> = r.stdout.lines().skip(1).map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(ids, vec!["N-T2", "N-T1"]);
}

#[test]
fn notice_documents_are_written_once_and_rewritten_only_when_they_change() {
    let ws = with_store(&[FAIL_P1]);
    let dir = ws.path("out/notices");
    let d = dir.to_str().unwrap();
    ws.run(&["recheck", "--period", "2026H1", "--as-of", "2026-03-10", "--notices", d])
        .status(0);
    let doc = std::fs::read_to_string(dir.join("N-T1.md")).unwrap();
    assert!(doc.contains("# 整改通知书\n"), "{doc}");
    assert!(doc.contains("\n天津市和平物业管理有限公司：\n"), "{doc}");
    assert!(!doc.contains("CO1"), "names, not ids: {doc}");
    assert!(
        doc.contains(
            "2026年3月5日，第三方检查组（甲组）对你公司当日负责物业服务的劝业场街滨西社区南营门里进行了检查。"
        ),
        "{doc}"
    );
    assert!(doc.contains("| 私装地锁 | 5 | 10.00 | 否 |"), "{doc}");
    // Due after the issue date (2026-03-10): the deadline stands as a date, not as passed.
    assert!(doc.contains("整改期限为2026年3月20日（自检查之日起15日）。\n"), "{doc}");
    assert!(doc.contains("抄送：劝业场街办事处，滨西社区居民委员会。"), "{doc}");
    assert!(doc.contains("**送达回执**"), "{doc}");
    assert!(!doc.contains("复检情况") && !doc.contains("T1 "), "{doc}");
    let before = std::fs::metadata(dir.join("N-T1.md")).unwrap().modified().unwrap();
    std::thread::sleep(std::time::Duration::from_millis(20));
    let r = ws.run(&["recheck", "--period", "2026H1", "--as-of", "2026-03-10", "--notices", d]);
    r.status(0)
        .stderr_line(&format!("{d} 中共有 1 份整改通知书（本次写入或更新 0 份）"));
    assert_eq!(
        std::fs::metadata(dir.join("N-T1.md")).unwrap().modified().unwrap(),
        before
    );
}

#[test]
fn a_notice_id_that_would_leave_the_directory_is_refused_and_nothing_is_written() {
    let ws = with_store(&["../T1,2026-03-05,third_party,routine,甲组,3,P1,X01,5,4,"]);
    let dir = ws.path("notices");
    let r = ws.run(&[
        "recheck",
        "--period",
        "2026H1",
        "--as-of",
        "2026-03-10",
        "--notices",
        dir.to_str().unwrap(),
    ]);
    r.status(1);
    assert!(r.stderr.contains("通知编号“N-../T1”不能用作文件名"), "{}", r.stderr);
    assert!(!dir.exists());
}

/// The notice of the `rows`' only failing visit, as Markdown on 2026-03-10.
fn notice_md(rows: &[&str]) -> String {
    let ws = with_store(rows);
    let dir = ws.path("notices");
    let d = dir.to_str().unwrap();
    ws.run(&["recheck", "--period", "2026H1", "--as-of", "2026-03-10", "--notices", d])
        .status(0);
    std::fs::read_to_string(dir.join("N-T1.md")).unwrap()
}

#[test]
fn a_low_score_notice_says_the_score_is_below_the_pass_mark() {
    let doc = notice_md(&[FAIL_P1]);
    assert!(
        doc.contains("本次检查得分66.67分，低于合格线80分。扣分项目如下："),
        "{doc}"
    );
    assert!(!doc.contains("红线项问题"), "{doc}");
    // The mini workspace has no funds file: the subsidy's consequence is worded generally.
    assert!(
        doc.contains(
            "。该小区本期考评结果为不合格的，本期物业服务财政补贴系数按其各份整改通知书的复检是否合格核定。\n"
        ),
        "{doc}"
    );
}

#[test]
fn a_red_line_notice_above_the_pass_mark_never_says_the_score_is_low() {
    // X03 once: D = 5, 100 × 25 / 30 = 83.33 ≥ 80, but X03 is a red line.
    let doc = notice_md(&["T1,2026-03-05,third_party,routine,甲组,3,P1,X03,1,4,"]);
    assert!(
        doc.contains("本次检查得分83.33分（合格线80分），但发现红线项问题（飞线充电），按标准判定为不合格。"),
        "{doc}"
    );
    assert!(!doc.contains("低于合格线"), "{doc}");
    assert!(doc.contains("| 飞线充电 | 1 | 5.00 | 是 |"), "{doc}");
}

#[test]
fn a_low_score_with_a_red_line_says_both() {
    // X01 × 5 (10) and X03 × 1 (5): 100 × 15 / 30 = 50.00.
    let doc = notice_md(&[
        "T1,2026-03-05,third_party,routine,甲组,3,P1,X01,5,4,",
        "T1,2026-03-05,third_party,routine,甲组,3,P1,X03,1,4,",
    ]);
    assert!(
        doc.contains("本次检查得分50.00分，低于合格线80分，并发现红线项问题（飞线充电），按标准判定为不合格。"),
        "{doc}"
    );
}

#[test]
fn a_notice_never_reports_its_re_inspection() {
    let ws = with_store(&[FAIL_P1, "R9,2026-03-12,district,recheck,乙组,2,P1,,0,1,"]);
    let dir = ws.path("notices");
    let d = dir.to_str().unwrap();
    ws.run(&["recheck", "--period", "2026H1", "--as-of", "2026-03-30", "--notices", d])
        .status(0);
    let doc = std::fs::read_to_string(dir.join("N-T1.md")).unwrap();
    assert!(!doc.contains("R9") && !doc.contains("2026年3月12日"), "{doc}");
    assert!(
        doc.contains("\n2026年3月30日\n"),
        "the issue date is the as-of date: {doc}"
    );
    // Made after its deadline (2026-03-20), the notice says the deadline has passed, and speaks
    // of the re-inspection only as the rule that judges the rectification.
    assert!(
        doc.contains("整改期限为2026年3月20日（自检查之日起15日），已于本通知书日期前届满。"),
        "{doc}"
    );
    assert!(doc.contains("整改情况以本次检查之后对该小区的首次复检为准。"), "{doc}");
    assert!(!doc.contains("将组织复检"), "{doc}");
}

#[test]
fn notices_are_written_as_html_and_docx_on_request() {
    let ws = with_store(&[FAIL_P1]);
    let dir = ws.path("notices");
    let d = dir.to_str().unwrap();
    for f in ["html", "docx"] {
        ws.run(&[
            "recheck",
            "--period",
            "2026H1",
            "--as-of",
            "2026-03-10",
            "--notices",
            d,
            "--format",
            f,
        ])
        .status(0);
    }
    let html = std::fs::read_to_string(dir.join("N-T1.html")).unwrap();
    assert!(html.contains("<h1>整改通知书</h1>"), "{html}");
    assert!(html.contains("<td class=\"num\">10.00</td>"), "{html}");
    let docx = std::fs::read(dir.join("N-T1.docx")).unwrap();
    assert_eq!(&docx[..2], b"PK");
}
