//! `assessor` (DESIGN §16): a small district worked by hand, figure by figure.
//!
//! The `mini` fixture: pass mark 80; items X01 (max 10, 2 a point), X02 (max 10, 1 a point,
//! grades 1 and 2), X03 (max 10, 5 a point, red line). P1 grade 1 and P2, P4 grade 2: M = 30;
//! P3 grade 3 in March: M = 20 (X01, X03). Streets: P1, P2 (C1) and P3 (C2) in S1 劝业场街,
//! P4 (C3) in S2 小白楼街.
//!
//! Third party, March (teams 甲组, 乙组), scores after upheld appeals:
//! - T1 03-02 P1 甲组: X01 1 → D 2, 100·28/30 = 93.33 pass; 2 photos.
//! - T2 03-03 P2 甲组: X01 2, X02 1; an appeal upheld 03-25 removes 1 X01 point → X01 1, X02 1:
//!   D 3, 90.00 pass; no photo.
//! - T3 03-04 P3 乙组: X03 1, X01 1 → D 7, 100·13/20 = 65.00 fail (red line too); 1 photo.
//! - T4 03-05 P4 乙组: X01 1 → 93.33 pass; no photo.
//! - T5 03-20 P1 乙组: X01 5 → D 10, 66.67 fail; 3 photos (its appeal is upheld only 04-10).
//!
//! District (routine): D1 03-10 P1 X01 2, X02 1 → D 5, 83.33 pass; D2 03-30 P1 X02 3 → 90.00
//! pass; D3 03-04 P3 X03 1 → 75.00 fail (red line); D4 03-20 P2 clean → 100.00.
//!
//! Pairs (nearest district visit to the same compound, at most 14 days; ties the earlier):
//! - T1 ↔ D1 (8 days; D2 is 28): 93.33 − 83.33 = 10.00, pass/pass;
//! - T3 ↔ D3 (0 days): 65.00 − 75.00 = −10.00, fail/fail;
//! - T5 ↔ D1 (10 days, and D2 is also 10: the earlier, D1): 66.67 − 83.33 = −16.66, fail/pass;
//! - T2 has D4 17 days away (too far), T4 no district visit: no pair.
//!
//! mean_diff = (10.00 − 10.00 − 16.66)/3 = −5.5533 → −5.55; max_diff 16.66; verdicts agree in
//! 2 of 3 = 66.67%. Table [both pass 1, only assessor passes 0, only district passes 1, both
//! fail 1]; assessor passes 1 of 3, district 2 of 3: p_o = 2/3, p_e = (1·2 + 2·1)/9 = 4/9,
//! kappa = (2/3 − 4/9)/(1 − 4/9) = (2/9)/(5/9) = 0.4000.
//! Items over the pairs: X01 assessor 1 + 1 + 5 = 7, district 2 + 0 + 2 = 4, only the assessor
//! in (T3, D3); X02 district 1 + 1 = 2, only the district twice; X03 1 and 1.
//!
//! Appeals (as of 2026-03-31): T2 X01 1 upheld 03-25 (S1); T3 X03 rejected 03-26 (S1); T4 X01
//! rejected 03-27 (S2); T5 X01 2 upheld 04-10, after the as-of date: undecided (S1); D1's
//! appeal is the district's, not counted. Filed 4, decided 3, upheld 1, points removed 1,
//! error rate 1/3 = 33.33%.
//!
//! Teams: 甲组 T1, T2: 2 visits, 1 + 2 = 3 points (1.50), both pass (100.00); 乙组 T3, T4, T5:
//! 3 visits, 2 + 1 + 5 = 8 points (2.67), 1 pass (33.33).
//! Fisher, 甲组 against the rest, [[2, 0], [1, 2]]: N 5, first row 2, first column 3;
//! P(x) = C(3,x)·C(2,2−x)/C(5,2): x = 0, 1, 2 → 1, 6, 3 (/10); the observed x = 2 has 3/10,
//! no more probable: x = 0 and 2, p = 4/10 = 0.4000 (R: fisher.test(matrix(c(2,1,0,2),2))
//! p-value = 0.4); 乙组 is the mirror table, also 0.4000.
//! Mann–Whitney, 甲组 {1, 2} against {2, 1, 5}: ranks of 1 1 2 2 5 are 1.5 1.5 3.5 3.5 5; 甲组's
//! sum 5, W = 5 − 3 = 2, z = W − 2·3/2 = −1, continuity → −0.5; ties Σ(t³ − t) = 12, σ² =
//! (6/12)·(6 − 12/20) = 2.7, σ = 1.64317; z = −0.30429, p = 2·Φ(−0.30429) = 0.7609 (R:
//! wilcox.test(c(1,2), c(2,1,5), exact=FALSE) p-value = 0.7609); 乙组 the same.
//! Pairs by team: 甲组 T1 (10.00); 乙组 T3, T5: (−10.00 − 16.66)/2 = −13.33.
//! Evidence: 5 visits, all with points, 1 + 2 + 2 + 1 + 5 = 11 points, 2 + 0 + 1 + 0 + 3 = 6
//! photos: 6/11 = 0.55 a point; T2 and T4 have points and no photo.

use serde_json::{json, Value};

use crate::harness::Ws;
use crate::score::with_store;

fn district() -> Ws {
    let ws = with_store(&[
        "T1,2026-03-02,third_party,routine,甲组,3,P1,X01,1,2,",
        "T2,2026-03-03,third_party,routine,甲组,3,P2,X01,2,0,\nT2,2026-03-03,third_party,routine,甲组,3,P2,X02,1,0,",
        "T3,2026-03-04,third_party,routine,乙组,3,P3,X01,1,0,\nT3,2026-03-04,third_party,routine,乙组,3,P3,X03,1,1,",
        "T4,2026-03-05,third_party,routine,乙组,3,P4,X01,1,0,",
        "T5,2026-03-20,third_party,routine,乙组,3,P1,X01,5,3,",
        "D1,2026-03-10,district,routine,区抽查组,2,P1,X01,2,1,\nD1,2026-03-10,district,routine,区抽查组,2,P1,X02,1,1,",
        "D2,2026-03-30,district,routine,区抽查组,2,P1,X02,3,1,",
        "D3,2026-03-04,district,routine,区抽查组,2,P3,X03,1,1,",
        "D4,2026-03-20,district,routine,区抽查组,2,P2,,0,0,",
    ]);
    ws.write(
        "data/appeals.csv",
        "visit_id,item,points,decision,decided_on,note\n\
         T2,X01,1,upheld,2026-03-25,\n\
         T3,X03,1,rejected,2026-03-26,\n\
         T4,X01,1,rejected,2026-03-27,\n\
         T5,X01,2,upheld,2026-04-10,\n\
         D1,X01,1,rejected,2026-03-28,\n",
    );
    ws
}

fn report(ws: &Ws, args: &[&str]) -> Value {
    let mut all = vec!["assessor", "--period", "2026-03", "--format", "json"];
    all.extend_from_slice(args);
    let r = ws.run(&all);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

/// Every figure of the module's worked example.
#[test]
fn the_worked_district() {
    let ws = district();
    let v = report(&ws, &["--as-of", "2026-03-31"]);
    assert_eq!(v["level"], "third_party");
    assert_eq!(v["as_of"], "2026-03-31");
    assert_eq!(v["complete"], true);
    // The third party's window is the half year, not over on 2026-03-31: no window is
    // required yet (as `inspect coverage` says); all four compounds were visited.
    assert_eq!(
        v["coverage"],
        json!({"cadence": "half", "compounds": 4, "visited": 4, "visits": 5, "windows": []})
    );
    let a = &v["agreement"];
    assert_eq!(a["pairs"], 3);
    assert_eq!(a["mean_diff"], "-5.55");
    assert_eq!(a["max_diff"], "16.66");
    assert_eq!(a["verdict_agreement"], "66.67");
    assert_eq!(a["kappa"], "0.4000");
    assert_eq!(a["items_only_assessor"], 1);
    assert_eq!(a["items_only_district"], 2);
    assert_eq!(
        a["verdicts"],
        json!({"both_pass": 1, "assessor_only_pass": 0, "district_only_pass": 1, "both_fail": 1})
    );
    let diffs: Vec<(&str, &str, &str)> = a["list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| {
            (
                p["assessor"]["date"].as_str().unwrap(),
                p["district"]["date"].as_str().unwrap(),
                p["diff"].as_str().unwrap(),
            )
        })
        .collect();
    // P1's two pairs first (registry order), then P3's; T5 takes D1, the earlier of two
    // visits 10 days away.
    assert_eq!(
        diffs,
        [
            ("2026-03-02", "2026-03-10", "10.00"),
            ("2026-03-20", "2026-03-10", "-16.66"),
            ("2026-03-04", "2026-03-04", "-10.00")
        ]
    );
    assert_eq!(
        a["items"],
        json!([
            {"item": "X01", "name": "私装地锁", "assessor_points": 7, "district_points": 4, "only_assessor": 1, "only_district": 0},
            {"item": "X02", "name": "楼道清扫保洁", "assessor_points": 0, "district_points": 2, "only_assessor": 0, "only_district": 2},
            {"item": "X03", "name": "飞线充电", "assessor_points": 1, "district_points": 1, "only_assessor": 0, "only_district": 0}
        ])
    );
    let p = &v["appeals"];
    assert_eq!(
        (
            &p["filed"],
            &p["decided"],
            &p["upheld"],
            &p["points_removed"],
            &p["error_rate"]
        ),
        (&json!(4), &json!(3), &json!(1), &json!(1), &json!("33.33"))
    );
    assert_eq!(
        p["by_street"],
        json!([
            {"street_id": "S1", "name": "劝业场街", "filed": 3, "decided": 2, "upheld": 1, "points_removed": 1},
            {"street_id": "S2", "name": "小白楼街", "filed": 1, "decided": 1, "upheld": 0, "points_removed": 0}
        ])
    );
    assert_eq!(
        p["by_item"],
        json!([
            {"item": "X01", "name": "私装地锁", "filed": 3, "decided": 2, "upheld": 1, "points_removed": 1},
            {"item": "X03", "name": "飞线充电", "filed": 1, "decided": 1, "upheld": 0, "points_removed": 0}
        ])
    );
    assert_eq!(
        v["teams"],
        json!([
            {"team": "乙组", "visits": 3, "points_per_visit": "2.67", "pass_rate": "33.33",
             "p_pass_rate": "0.4000", "p_points": "0.7609", "outlier": false,
             "pairs": 2, "mean_diff": "-13.33"},
            {"team": "甲组", "visits": 2, "points_per_visit": "1.50", "pass_rate": "100.00",
             "p_pass_rate": "0.4000", "p_points": "0.7609", "outlier": false,
             "pairs": 1, "mean_diff": "10.00"}
        ])
    );
    assert_eq!(
        v["evidence"],
        json!({"visits": 5, "visits_with_points": 5, "problem_points": 11, "photos": 6,
               "photos_per_point": "0.55", "visits_without_photo": 2})
    );
}

/// On 2026-04-10 T5's appeal is decided: its 2 points go (X01 3: D 6, 80.00, a pass), the
/// appeals count 4 decided, 2 upheld, 3 points removed (50.00%), and 乙组 passes 2 of 3.
#[test]
fn a_later_as_of_date_decides_the_appeal() {
    let v = report(&district(), &["--as-of", "2026-04-10"]);
    let p = &v["appeals"];
    assert_eq!(
        (&p["decided"], &p["upheld"], &p["points_removed"], &p["error_rate"]),
        (&json!(4), &json!(2), &json!(3), &json!("50.00"))
    );
    assert_eq!(v["teams"][0]["pass_rate"], "66.67");
    // T5 ↔ D1 now agree: pass/pass; the table is [2, 0, 0, 1], kappa
    // (3·3 − (2·2 + 1·1))/(9 − 5) = 4/4 = 1.
    assert_eq!(v["agreement"]["kappa"], "1.0000");
}

/// `[assessor]`: 7 days leave only T3 ↔ D3 (one pair: both fail, p_e = 1, kappa null); an
/// alpha of 0.5 names both teams outliers (Fisher p = 0.4 < 0.5).
#[test]
fn the_settings_change_the_pairs_and_the_outliers() {
    let ws = district();
    ws.append("data/workspace.toml", "\n[assessor]\nagreement_days = 7\nalpha = 0.5\n");
    let v = report(&ws, &["--as-of", "2026-03-31"]);
    assert_eq!(v["agreement_days"], 7);
    assert_eq!(v["alpha"], "0.5");
    assert_eq!(v["agreement"]["pairs"], 1);
    assert_eq!(v["agreement"]["kappa"], Value::Null);
    assert_eq!(v["agreement"]["mean_diff"], "-10.00");
    assert_eq!(v["teams"][0]["outlier"], true);
    assert_eq!(v["teams"][1]["outlier"], true);
}

/// `check` refuses a wrong `[assessor]`, naming the file, the line and what is expected.
#[test]
fn check_refuses_wrong_settings() {
    let ws = district();
    ws.append(
        "data/workspace.toml",
        "\n[assessor]\nagreement_days = -3\nalpha = 1.5\nbeta = 2\n",
    );
    let r = ws.run(&["check"]);
    r.status(1);
    r.stdout_line("data/workspace.toml:6: [assessor] agreement_days is -3 but must be a whole number of days from 0 to 366 (default 14)")
        .stdout_line("data/workspace.toml:7: [assessor] alpha is 1.5 but must be a number between 0 and 1, such as 0.01 (the default) or \"0.05\"")
        .stdout_line("data/workspace.toml:8: [assessor] unknown key \"beta\" (known: agreement_days, alpha)");
    // The report refuses to run on them too, writing nothing.
    let r = ws.run(&["assessor", "--period", "2026-03"]);
    r.status(1);
    assert_eq!(r.stdout, "");
}

/// `--level street` with no street visit in the period is an error, not a report of zeros;
/// the district assessed has no agreement (it would be compared with itself).
#[test]
fn other_levels() {
    let ws = district();
    let r = ws.run(&["assessor", "--period", "2026-03", "--level", "street"]);
    r.status(1);
    r.stderr_line(
        "oldestate: 2026-03 截至 2026-03-30 没有检查记录（计分层级：街道）；记录库中最新一次检查的日期是 2026-03-30",
    );
    let v = report(&ws, &["--level", "district"]);
    assert_eq!(v["level"], "district");
    assert_eq!(v["agreement"], Value::Null);
    assert_eq!(v["coverage"]["visits"], 4);
}

/// The table and the CSV say the same in words (zh first; en complete); every format runs.
#[test]
fn table_csv_and_documents() {
    let ws = district();
    let r = ws.run(&["assessor", "--period", "2026-03", "--as-of", "2026-03-31"]);
    r.status(0);
    assert!(
        r.stdout
            .starts_with("测试区2026年3月第三方检查考评情况\n数据截至2026年3月31日\n"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout.contains("│ Kappa系数               ┆ 0.4000 │"),
        "{}",
        r.stdout
    );
    let r = ws.run(&[
        "assessor",
        "--period",
        "2026-03",
        "--as-of",
        "2026-03-31",
        "--format",
        "csv",
    ]);
    r.status(0);
    assert_eq!(
        r.stdout,
        "team,visits,points_per_visit,pass_rate,p_pass_rate,p_points,outlier,pairs,mean_diff\n\
         乙组,3,2.67,33.33,0.4000,0.7609,false,2,-13.33\n\
         甲组,2,1.50,100.00,0.4000,0.7609,false,1,10.00\n"
    );
    let r = ws.run(&[
        "--lang",
        "en",
        "assessor",
        "--period",
        "2026-03",
        "--as-of",
        "2026-03-31",
        "--format",
        "md",
    ]);
    r.status(0);
    assert!(
        r.stdout.contains("Assessment of the third-party inspections, 2026-03"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Cohen's kappa"), "{}", r.stdout);
}

/// The binary's stdout bytes (a pipe: documents are written to it).
fn bytes(ws: &Ws, args: &[&str]) -> Vec<u8> {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_oldestate"))
        .arg("--workspace")
        .arg(ws.root())
        .args(args)
        .env_remove("OLDESTATE_WORKSPACE")
        .env_remove("OLDESTATE_TODAY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

/// The workbook has a sheet per part, the teams' visits add up in its 合计 row; the Word
/// document is a package with the title in its text.
#[test]
fn workbook_and_word_document() {
    use calamine::{open_workbook, Data, Reader, Xlsx};
    use std::io::Write;
    let ws = district();
    let args = ["assessor", "--period", "2026-03", "--as-of", "2026-03-31", "--format"];
    let mut file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
    file.write_all(&bytes(&ws, &[&args[..], &["xlsx"]].concat())).unwrap();
    let mut book: Xlsx<_> = open_workbook(file.path()).unwrap();
    assert_eq!(
        book.sheet_names(),
        [
            "覆盖",
            "一致性",
            "配对",
            "分项对比",
            "申诉",
            "申诉分街道",
            "申诉分项目",
            "检查组",
            "佐证"
        ]
    );
    let teams = book.worksheet_range("检查组").unwrap();
    let rows: Vec<Vec<Data>> = teams.rows().map(|r| r.to_vec()).collect();
    assert_eq!(rows[0][0], Data::String("测试区 2026年3月 四、各检查组一致性".into()));
    let last = rows.last().unwrap();
    assert_eq!((&last[0], &last[1]), (&Data::String("合计".into()), &Data::Float(5.0)));

    let docx = bytes(&ws, &[&args[..], &["docx"]].concat());
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(docx)).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut zip.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    assert!(xml.contains("测试区2026年3月第三方检查考评情况"));
    assert!(xml.contains("Kappa系数"));
}
