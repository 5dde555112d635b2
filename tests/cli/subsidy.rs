//! `subsidy`: worked examples of DESIGN §9 on the `mini` fixture.
//!
//! Areas: P1 21000.50 m2 (grade 1), P2 14000.00 (grade 2), P3 9000.00 (grade 3 until
//! 2026-03-31, grade 2 from 2026-04-01), P4 36000.00 (grade 2). Rates 0.30 / 0.25 / 0.20 per
//! m2 per month. P1 collected 93000.00 of 100000.00 billed (93%, above the 90% bonus line).

use serde_json::{json, Value};

use crate::harness::Ws;
use crate::score::with_store;

pub const FUNDS: &str = r#"period = "2026H1"
[rates]
"1" = "0.30"
"2" = "0.25"
"3" = "0.20"
[coefficients]
"优秀" = "1.00"
"良好" = "0.95"
"合格" = "0.90"
"不合格" = "0.60"
rectified = "0.85"
recheck_failed = "0.30"
unresolved = "0"
not_assessed = "0.80"
[fee_bonus]
min_rate = "0.90"
bonus = "0.05"
"#;

/// P1 100.00 and P2 93.33 (优秀); P3 fails (grade 3, M = 20, D = 10: 50.00) and is rectified
/// on re-inspection; P4 is not assessed.
fn district() -> Ws {
    let ws = with_store(&[
        "T1,2026-02-03,third_party,routine,甲组,3,P1,,0,4,",
        "T2,2026-02-03,third_party,routine,甲组,3,P2,X01,1,4,",
        "T3,2026-02-03,third_party,routine,甲组,3,P3,X01,5,4,",
        "R3,2026-02-10,third_party,recheck,甲组,3,P3,,0,4,",
    ]);
    ws.write("data/funds/2026H1.toml", FUNDS);
    ws
}

fn subsidy(ws: &Ws, extra: &[&str]) -> Value {
    let mut args = vec![
        "subsidy",
        "--period",
        "2026H1",
        "--as-of",
        "2026-07-01",
        "--format",
        "json",
    ];
    args.extend_from_slice(extra);
    let r = ws.run(&args);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

fn field(doc: &Value, list: &str, key: &str, id: &str, f: &str) -> Value {
    doc[list].as_array().unwrap().iter().find(|c| c[key] == id).unwrap()[f].clone()
}

#[test]
fn entitlements_outcomes_and_exact_fen_without_a_cap() {
    let doc = subsidy(&district(), &[]);
    let c = |id: &str, f: &str| field(&doc, "compounds", "compound_id", id, f);
    // P1: 6 × 21000.50 × 0.30 = 37800.90; 优秀 1.00; bonus: × 1.05 = 39690.945.
    assert_eq!(
        (c("P1", "months"), c("P1", "base"), c("P1", "outcome")),
        (json!(6), json!("37800.90"), json!("优秀"))
    );
    assert_eq!((c("P1", "fee_rate"), c("P1", "bonus")), (json!("93.00"), json!(true)));
    // P2: 6 × 14000 × 0.25 = 21000.00 × 1.00; no fee row: fee_rate null.
    assert_eq!(
        (c("P2", "base"), c("P2", "fee_rate"), c("P2", "amount")),
        (json!("21000.00"), Value::Null, json!("21000.00"))
    );
    // P3 changes grade mid-period: 3 × 9000 × 0.20 + 3 × 9000 × 0.25 = 5400 + 6750 = 12150.00;
    // failed then rectified: 0.85 → 10327.50.
    assert_eq!(
        (
            c("P3", "base"),
            c("P3", "outcome"),
            c("P3", "coefficient"),
            c("P3", "amount")
        ),
        (json!("12150.00"), json!("rectified"), json!("0.85"), json!("10327.50"))
    );
    // P4: 6 × 36000 × 0.25 = 54000 × 0.80 (not assessed) = 43200.00.
    assert_eq!(
        (c("P4", "outcome"), c("P4", "amount")),
        (json!("not_assessed"), json!("43200.00"))
    );
    // Exact sum 114218.445 → target 114218.45; floors sum to 114218.44; the fen left goes to
    // the largest remainder, P1's 0.005: 39690.95.
    assert_eq!(doc["budget"], Value::Null);
    assert_eq!(doc["total"], "114218.45");
    assert_eq!(c("P1", "amount"), "39690.95");
    // Streets: S1 = P1 + P2 + P3 = 71018.45; S2 = P4.
    assert_eq!(field(&doc, "streets", "street_id", "S1", "amount"), "71018.45");
    assert_eq!(field(&doc, "streets", "street_id", "S2", "amount"), "43200.00");
    // Withheld = base − entitlement: P1 −1890.045, P2 0, P3 1822.50, P4 10800 → 10732.455 → 10732.46;
    // S1: −1890.045 + 1822.50 = −67.545 → −67.55 (half away from zero).
    assert_eq!(doc["withheld"], "10732.46");
    assert_eq!(field(&doc, "streets", "street_id", "S1", "withheld"), "-67.55");
    // Companies by the contract on 2026-06-30: P3 moved to CO1 on 2026-04-01.
    assert_eq!(
        doc["companies"],
        json!([
            {"company_id": "CO1", "name": "天津市和平物业管理有限公司", "amount": "71018.45"},
            {"company_id": "CO2", "name": "津南物业服务有限公司", "amount": "43200.00"},
        ])
    );
}

#[test]
fn a_binding_cap_scales_everything_and_the_total_is_the_budget() {
    let doc = subsidy(&district(), &["--budget", "100000.00"]);
    // Each entitlement × 100000 / 114218.445 (derived with exact fractions): floors 34750.03,
    // 18385.82, 9041.88, 37822.26 sum to 99999.99; remainders P3 0.00461, P4 0.00242,
    // P2 0.00201, P1 0.00096: the fen goes to P3, 9041.89.
    assert_eq!(doc["budget"], "100000.00");
    assert_eq!(doc["scaled"], true);
    assert_eq!(doc["total"], "100000.00");
    let amounts: Vec<Value> = doc["compounds"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["amount"].clone())
        .collect();
    assert_eq!(
        amounts,
        vec![
            json!("34750.03"),
            json!("18385.82"),
            json!("9041.89"),
            json!("37822.26")
        ]
    );
}

#[test]
fn a_cap_above_the_sum_does_not_bind() {
    let doc = subsidy(&district(), &["--budget", "200000"]);
    assert_eq!(
        (doc["scaled"].clone(), doc["total"].clone()),
        (json!(false), json!("114218.45"))
    );
}

#[test]
fn a_contract_starting_mid_month_misses_that_month() {
    let ws = district();
    ws.replace(
        "data/registry/contracts.csv",
        "P2,CO1,2,2026-01-01",
        "P2,CO1,2,2026-01-15",
    );
    let doc = subsidy(&ws, &[]);
    // January 1st is before the contract: five months, 5 × 14000 × 0.25 = 17500.00.
    assert_eq!(field(&doc, "compounds", "compound_id", "P2", "months"), 5);
    assert_eq!(field(&doc, "compounds", "compound_id", "P2", "base"), "17500.00");
}

#[test]
fn the_fee_bonus_is_earned_exactly_at_the_threshold() {
    let ws = district();
    ws.replace("data/fees/2026H1.csv", "93000.00", "90000.00");
    assert_eq!(
        field(&subsidy(&ws, &[]), "compounds", "compound_id", "P1", "bonus"),
        true
    );
    ws.replace("data/fees/2026H1.csv", "90000.00", "89999.99");
    let doc = subsidy(&ws, &[]);
    assert_eq!(field(&doc, "compounds", "compound_id", "P1", "bonus"), false);
    assert_eq!(field(&doc, "compounds", "compound_id", "P1", "fee_rate"), "90.00");
    assert_eq!(field(&doc, "compounds", "compound_id", "P1", "amount"), "37800.90");
}

#[test]
fn a_failed_re_inspection_and_an_unresolved_notice_take_their_coefficients() {
    let ws = district();
    ws.replace(
        "data/inspections/2026/2026-02.csv",
        "R3,2026-02-10,third_party,recheck,甲组,3,P3,,0,4,",
        "R3,2026-02-10,third_party,recheck,甲组,3,P3,X01,5,4,",
    );
    let doc = subsidy(&ws, &[]);
    // 12150.00 × 0.30 = 3645.00.
    assert_eq!(
        field(&doc, "compounds", "compound_id", "P3", "outcome"),
        "recheck_failed"
    );
    assert_eq!(field(&doc, "compounds", "compound_id", "P3", "amount"), "3645.00");
    let ws = district();
    ws.replace(
        "data/inspections/2026/2026-02.csv",
        "R3,2026-02-10,third_party,recheck,甲组,3,P3,,0,4,\n",
        "",
    );
    let doc = subsidy(&ws, &[]);
    assert_eq!(field(&doc, "compounds", "compound_id", "P3", "outcome"), "unresolved");
    // "0" in the funds file: still exactly two decimals.
    assert_eq!(field(&doc, "compounds", "compound_id", "P3", "coefficient"), "0.00");
    assert_eq!(field(&doc, "compounds", "compound_id", "P3", "withheld"), "12150.00");
    assert_eq!(field(&doc, "compounds", "compound_id", "P3", "amount"), "0.00");
}

#[test]
fn the_street_payment_sheet_carries_amounts_in_capital_numerals() {
    let r = district().run(&[
        "subsidy",
        "--period",
        "2026H1",
        "--as-of",
        "2026-07-01",
        "--format",
        "csv",
        "--by",
        "street",
    ]);
    r.status(0);
    assert_eq!(
        r.stdout.lines().next().unwrap(),
        "street_id,name,base,withheld,amount,amount_in_words,outcomes"
    );
    assert!(
        r.stdout
            .contains("S1,劝业场街,70950.90,-67.55,71018.45,柒万壹仟零壹拾捌元肆角伍分,"),
        "{}",
        r.stdout
    );
    assert!(
        r.stdout
            .contains("S2,小白楼街,54000.00,10800.00,43200.00,肆万叁仟贰佰元整,not_assessed 1"),
        "{}",
        r.stdout
    );
}

#[test]
fn a_missing_funds_file_is_named() {
    let ws = with_store(&[]);
    ws.run(&["subsidy", "--period", "2026H1"]).status(1).stderr_line(
        "oldestate: data/funds/2026H1.toml：文件不存在。一轮补贴需要该期的资金文件（补贴标准、系数、可选的预算；见 docs/rules.md“财政补贴”）",
    );
}

#[test]
fn a_malformed_funds_file_is_an_error_with_its_line() {
    let ws = district();
    ws.replace("data/funds/2026H1.toml", "rectified = \"0.85\"", "rectified = \"0,85\"");
    let r = ws.run(&["subsidy", "--period", "2026H1"]);
    r.status(1);
    assert!(
        r.stderr
            .contains("oldestate: data/funds/2026H1.toml:11: 应为一个数，如“12.50”，实际为“0,85”"),
        "{}",
        r.stderr
    );
}
