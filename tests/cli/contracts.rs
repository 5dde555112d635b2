//! `contracts` and `company`: the residents' choice and each company's record (DESIGN §13).

use serde_json::{json, Value};

use crate::harness::Ws;
use crate::score::with_store;

const SELECTIONS: &str = "selection_id,compound_id,held_on,company_id,households,area_m2
S-A,P2,2026-05-10,CO2,120,8000.00
S-A,P2,2026-05-10,CO1,20,1500.00
S-B,P4,2026-05-12,CO1,200,15000.00
S-B,P4,2026-05-12,CO2,100,8000.00
";

fn json(ws: &Ws, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let r = ws.run(&all);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

#[test]
fn contracts_ending_soon_with_the_latest_selection() {
    let ws = with_store(&[]);
    ws.replace(
        "data/registry/contracts.csv",
        "P2,CO1,2,2026-01-01,2027-12-31",
        "P2,CO1,2,2026-01-01,2026-07-15",
    );
    ws.replace(
        "data/registry/contracts.csv",
        "P4,CO2,2,2026-01-01,2027-12-31",
        "P4,CO2,2,2026-01-01,2026-06-30",
    );
    ws.write("data/selections.csv", SELECTIONS);
    let doc = json(&ws, &["contracts", "--as-of", "2026-06-01", "--expiring-within", "60"]);
    assert_eq!(doc["as_of"], "2026-06-01");
    let e = doc["expiring"].as_array().unwrap();
    // P3's first contract ended 2026-03-31: already ended, not listed. P4 ends in 29 days, P2 in 44.
    let ids: Vec<(&str, i64)> = e
        .iter()
        .map(|x| (x["compound_id"].as_str().unwrap(), x["days_left"].as_i64().unwrap()))
        .collect();
    assert_eq!(ids, vec![("P4", 29), ("P2", 44)]);
    // P4: 300 of 500 households (60% < 66.67%): invalid, no winner.
    assert_eq!(e[0]["selection"]["valid"], false);
    assert_eq!(e[0]["selection"]["winner"], Value::Null);
    // P2: 140 of 200 households (70%) and 9500 of 14000 m2 (67.9%): valid; CO2 has 120 of 140
    // households and 8000 of 9500 m2: the winner.
    assert_eq!(
        e[1]["selection"],
        json!({"selection_id": "S-A", "held_on": "2026-05-10", "valid": true, "winner": "CO2",
        "households": 140, "area_m2": "9500.00", "participation": {"households": "70.00", "area": "67.86"}})
    );
    // Within 30 days only P4.
    let doc = json(&ws, &["contracts", "--as-of", "2026-06-01", "--expiring-within", "30"]);
    assert_eq!(doc["expiring"].as_array().unwrap().len(), 1);
    // A contract ending on the as-of day is listed with 0 days left; the next day it is gone.
    assert_eq!(
        json(&ws, &["contracts", "--as-of", "2026-06-30", "--expiring-within", "0"])["expiring"][0]["days_left"],
        0
    );
    assert_eq!(
        json(&ws, &["contracts", "--as-of", "2026-07-01", "--expiring-within", "10"])["expiring"]
            .as_array()
            .unwrap()
            .len(),
        0
    );
}

#[test]
fn a_company_record_checked_by_hand() {
    let ws = with_store(&[
        // CO1 serves P1, P2 and, from April, P3. P1 fails (66.67) and fails again on re-inspection.
        "T1,2026-02-03,third_party,routine,甲组,3,P1,X01,5,4,",
        "R1,2026-02-10,third_party,recheck,甲组,3,P1,X01,5,4,",
        "T2,2026-02-03,third_party,routine,甲组,3,P2,X01,1,4,",
        // P3 fails under CO2 in March (grade 3: D = 10 of 20: 50.00), then passes under CO1 in May.
        "T3,2026-03-03,third_party,routine,甲组,3,P3,X01,5,4,",
        "R3,2026-03-12,third_party,recheck,甲组,3,P3,,0,4,",
        "T4,2026-05-03,third_party,routine,甲组,3,P3,,0,4,",
    ]);
    let doc = json(&ws, &["company", "CO1", "--period", "2026H1"]);
    let c = &doc["companies"][0];
    // On 2026-06-30 CO1 holds P1, P2, P3. Scores: P1 66.67; P2 93.33; P3 (50.00 + 100.00) / 2 = 75.00.
    // Mean (66.67 + 93.33 + 75.00) / 3 = 78.333… → 78.33. P2 passes; P1 and P3 fail.
    // Notices under CO1: N-T1 only (T3 was under CO2), recheck failed: one veto (C1, revoked).
    // Fees: P1 93000.00 / 100000.00 = 93.00%.
    assert_eq!(
        (
            c["company_id"].clone(),
            c["compounds"].clone(),
            c["score"].clone(),
            c["passed"].clone(),
            c["failed"].clone()
        ),
        (json!("CO1"), json!(3), json!("78.33"), json!(1), json!(2))
    );
    assert_eq!(
        (
            c["notices"].clone(),
            c["rectified"].clone(),
            c["recheck_failed"].clone(),
            c["vetoes"].clone(),
            c["fee_rate"].clone()
        ),
        (json!(1), json!(0), json!(1), json!(1), json!("93.00"))
    );
    let history: Vec<&str> = c["history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["period"].as_str().unwrap())
        .collect();
    assert_eq!(history, vec!["2025H2", "2025H1", "2024H2"]);
    assert_eq!(
        c["history"][0]["score"],
        Value::Null,
        "no standards in force before 2026: no scores"
    );
    // CO2: P4 on the last day; the March notice on P3 was its, rectified.
    let co2 = &json(&ws, &["company", "CO2", "--period", "2026H1"])["companies"][0];
    assert_eq!(
        (
            co2["compounds"].clone(),
            co2["notices"].clone(),
            co2["rectified"].clone()
        ),
        (json!(1), json!(1), json!(1))
    );
}

#[test]
fn company_documents_print_a_page_per_company() {
    let ws = with_store(&["T1,2026-02-03,third_party,routine,甲组,3,P1,X01,5,4,"]);
    let md = ws.run(&["company", "--period", "2026H1"]);
    md.status(0);
    assert!(
        md.stdout.contains("## 天津市和平物业管理有限公司（CO1）"),
        "{}",
        md.stdout
    );
    assert!(md.stdout.contains("## 津南物业服务有限公司（CO2）"), "{}", md.stdout);
    let html = ws.run(&["company", "--period", "2026H1", "--format", "html"]);
    html.status(0);
    assert_eq!(html.stdout.matches("<section class=\"page\">").count(), 2);
    ws.run(&["company", "CO9", "--period", "2026H1"])
        .status(1)
        .stderr_line("oldestate: 没有名为「CO9」的物业公司（是否为「天津市和平物业管理有限公司（CO1）」或「津南物业服务有限公司（CO2）」？）");
}

#[test]
fn a_past_periods_record_ignores_problems_in_later_months() {
    // A visit to an unknown compound in July does not fail the first quarter's company record
    // or bulletin: their pass reads later months for re-inspections (which skip such a visit),
    // and the score leaves alone a visit outside the period and its windows (here the
    // half-year of its half-yearly windows). Scoring July itself fails on it.
    let ws = crate::score::with_store(&[
        "T1,2026-02-03,third_party,routine,甲组,3,P1,X01,1,4,",
        "T2,2026-07-06,third_party,routine,甲组,3,ZZ9,X01,1,4,",
    ]);
    ws.run(&["company", "--period", "2026Q1", "--format", "json"]).status(0);
    ws.run(&["bulletin", "--period", "2026Q1"]).status(0);
    ws.run(&["score", "--period", "2026Q3"])
        .status(1)
        .stderr_line("oldestate: data/inspections/2026/2026-07.csv:2: unknown compound_id \"ZZ9\"");
}
