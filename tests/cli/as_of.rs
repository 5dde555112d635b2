//! `--as-of` (DESIGN §14): a report shows the store as it stood on its as-of date D. Each kind
//! of dated record falls just before, on and just after D = 2026-05-20, and the reports must
//! see the first two and not the third; the same store gives the same bytes whatever the
//! calendar day; a period without inspections is an error, not a report of zeros.
//!
//! The `mini` fixture: X01 deducts 2 (max 10), M = 30 for grade 1 and 2 compounds (P1, P2, P4,
//! and P3 from April), pass mark 80, deadlines 15 days after the failing visit.

use serde_json::Value;

use crate::harness::Ws;
use crate::score::with_store;

/// Three failing visits on 2026-05-10 (X01 × 5: D = 10, 66.67), whose re-inspections, and
/// appeals of one point each (upheld), fall on 05-19, 05-20 and 05-21 for P1, P2 and P4; P3 is
/// visited on 05-20 (X01 × 1: 93.33) and 05-21 (X01 × 5: 66.67).
fn around_the_day() -> Ws {
    let ws = with_store(&[
        "T1,2026-05-10,third_party,routine,甲组,3,P1,X01,5,4,",
        "T2,2026-05-10,third_party,routine,甲组,3,P2,X01,5,4,",
        "T4,2026-05-10,third_party,routine,甲组,3,P4,X01,5,4,",
        "R1,2026-05-19,third_party,recheck,甲组,3,P1,,0,2,",
        "R2,2026-05-20,street,recheck,街道组,2,P2,,0,2,",
        "T3,2026-05-20,third_party,routine,乙组,3,P3,X01,1,2,",
        "R4,2026-05-21,third_party,recheck,甲组,3,P4,,0,2,",
        "T5,2026-05-21,third_party,routine,乙组,3,P3,X01,5,2,",
    ]);
    ws.write(
        "data/appeals.csv",
        "visit_id,item,points,decision,decided_on,note\n\
         T1,X01,1,upheld,2026-05-19,\n\
         T2,X01,1,upheld,2026-05-20,\n\
         T4,X01,1,upheld,2026-05-21,\n",
    );
    // Every contract running to 2027 ends on 2026-06-30 instead, so `contracts` lists them.
    let contracts = ws
        .read("data/registry/contracts.csv")
        .replace("2027-12-31", "2026-06-30");
    ws.write("data/registry/contracts.csv", &contracts);
    ws.write(
        "data/selections.csv",
        "selection_id,compound_id,held_on,company_id,households,area_m2\n\
         SEL-1,P1,2026-05-19,CO1,250,18000.00\n\
         SEL-2,P2,2026-05-20,CO2,150,11000.00\n\
         SEL-4,P4,2026-05-21,CO1,400,30000.00\n",
    );
    ws.write("data/funds/2026H1.toml", crate::subsidy::FUNDS);
    ws
}

fn json(ws: &Ws, args: &[&str]) -> Value {
    let mut all = args.to_vec();
    all.extend_from_slice(&["--format", "json"]);
    let r = ws.run(&all);
    r.status(0);
    serde_json::from_str(&r.stdout).unwrap()
}

fn find<'a>(list: &'a Value, key: &str, id: &str) -> &'a Value {
    list.as_array()
        .unwrap()
        .iter()
        .find(|x| x[key] == id)
        .unwrap_or_else(|| panic!("no {key} {id} in {list}"))
}

#[test]
fn visits_and_appeal_decisions_after_the_day_do_not_exist() {
    let ws = around_the_day();
    let doc = json(&ws, &["score", "--period", "2026H1", "--as-of", "2026-05-20"]);
    assert_eq!(
        (doc["as_of"].as_str(), doc["complete"].as_bool()),
        (Some("2026-05-20"), Some(false))
    );
    let c = &doc["compounds"];
    // Appeals decided before and on the day remove their point: X01 × 4, D = 8, 73.33.
    assert_eq!(find(c, "compound_id", "P1")["score"], "73.33");
    assert_eq!(find(c, "compound_id", "P2")["score"], "73.33");
    // The appeal decided the day after is undecided: X01 × 5, 66.67.
    assert_eq!(find(c, "compound_id", "P4")["score"], "66.67");
    // P3: the visit of the day counts, the next day's does not exist.
    let p3 = find(c, "compound_id", "P3");
    assert_eq!((p3["visits"].as_u64(), p3["score"].as_str()), (Some(1), Some("93.33")));

    // A day later every record is there.
    let doc = json(&ws, &["score", "--period", "2026H1", "--as-of", "2026-05-21"]);
    let c = &doc["compounds"];
    assert_eq!(find(c, "compound_id", "P4")["score"], "73.33");
    let p3 = find(c, "compound_id", "P3");
    assert_eq!((p3["visits"].as_u64(), p3["score"].as_str()), (Some(2), Some("80.00")));
}

#[test]
fn re_inspections_after_the_day_have_not_happened() {
    let ws = around_the_day();
    let doc = json(&ws, &["recheck", "--period", "2026H1", "--as-of", "2026-05-20"]);
    assert_eq!(doc["as_of"], "2026-05-20");
    let n = &doc["notices"];
    assert_eq!(find(n, "compound_id", "P1")["outcome"], "rectified");
    assert_eq!(find(n, "compound_id", "P2")["outcome"], "rectified");
    let p4 = find(n, "compound_id", "P4");
    assert_eq!(
        (p4["recheck"].clone(), p4["outcome"].as_str()),
        (Value::Null, Some("pending"))
    );
    // Notices come only from the visits that exist: P3's failing visit of 05-21 has none yet.
    assert_eq!(n.as_array().unwrap().len(), 3);
    // The notice's score is the visit's as of the day: P4's appeal is not decided yet.
    assert_eq!(p4["score"], "66.67");

    let doc = json(&ws, &["recheck", "--period", "2026H1", "--as-of", "2026-05-21"]);
    let n = &doc["notices"];
    assert_eq!(find(n, "compound_id", "P4")["outcome"], "rectified");
    assert_eq!(find(n, "compound_id", "P3")["outcome"], "pending");
}

#[test]
fn selections_held_after_the_day_have_not_happened() {
    let ws = around_the_day();
    let doc = json(&ws, &["contracts", "--as-of", "2026-05-20", "--expiring-within", "60"]);
    let e = &doc["expiring"];
    assert_eq!(find(e, "compound_id", "P1")["selection"]["selection_id"], "SEL-1");
    assert_eq!(find(e, "compound_id", "P2")["selection"]["selection_id"], "SEL-2");
    assert_eq!(find(e, "compound_id", "P4")["selection"], Value::Null);
    let doc = json(&ws, &["contracts", "--as-of", "2026-05-21", "--expiring-within", "60"]);
    assert_eq!(
        find(&doc["expiring"], "compound_id", "P4")["selection"]["selection_id"],
        "SEL-4"
    );
}

#[test]
fn the_default_is_the_newest_visit_whatever_the_calendar_says() {
    let ws = around_the_day();
    for args in [
        &["bulletin", "--period", "2026H1"][..],
        &["bulletin", "--period", "2026H1", "--format", "json"],
        &["score", "--period", "2026H1", "--format", "csv"],
        &["recheck", "--period", "2026H1", "--format", "json"],
        &["subsidy", "--period", "2026H1", "--format", "json"],
        &["inspect", "coverage", "--period", "2026H1"],
        &["company", "--period", "2026H1"],
    ] {
        let a = ws.run_on("2026-12-02", args);
        a.status(0);
        let b = ws.run_on("2027-03-15", args);
        assert_eq!(a.stdout, b.stdout, "{args:?} differs between two days");
        // And the default is the newest visit's date, 2026-05-21, given or not.
        let mut given = args.to_vec();
        given.extend(["--as-of", "2026-05-21"]);
        assert_eq!(a.stdout, ws.run_on("2027-03-15", &given).stdout, "{args:?}");
    }
    let doc = json(&ws, &["recheck", "--period", "2026H1"]);
    assert_eq!(doc["as_of"], "2026-05-21");
}

#[test]
fn the_calendar_lists_count_from_today() {
    let ws = around_the_day();
    // On 05-20 the notice of P4 is pending and due on 05-25, within 10 days.
    let due = |today: &str| -> Value {
        let r = ws.run_on(
            today,
            &[
                "recheck",
                "--period",
                "2026H1",
                "--due-within",
                "10",
                "--format",
                "json",
            ],
        );
        r.status(0);
        serde_json::from_str(&r.stdout).unwrap()
    };
    let doc = due("2026-05-20");
    assert_eq!(doc["as_of"], "2026-05-20");
    let ids: Vec<&str> = doc["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["compound_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["P4"]);
    // On 06-01 P4 was re-inspected; P3's notice of 05-21 is due 06-05.
    let doc = due("2026-06-01");
    let ids: Vec<&str> = doc["notices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["compound_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["P3"]);
    // contracts: from today, 2026-06-20, the contracts ending 06-30 are 10 days away.
    let r = ws.run_on(
        "2026-06-20",
        &["contracts", "--expiring-within", "10", "--format", "json"],
    );
    let doc: Value = serde_json::from_str(&r.status(0).stdout).unwrap();
    assert_eq!(doc["as_of"], "2026-06-20");
    assert_eq!(find(&doc["expiring"], "compound_id", "P1")["days_left"], 10);
    // `--as-of today` asks for the calendar day in any report.
    let r = ws.run_on(
        "2026-05-20",
        &["score", "--period", "2026H1", "--as-of", "today", "--format", "json"],
    );
    let doc: Value = serde_json::from_str(&r.status(0).stdout).unwrap();
    assert_eq!(doc["as_of"], "2026-05-20");
    assert_eq!(find(&doc["compounds"], "compound_id", "P3")["visits"], 1);
}

#[test]
fn after_the_newest_visit_only_the_as_of_date_changes() {
    let ws = around_the_day();
    // No deadline falls between the two days (P3's is 06-05) and no window ends (May ends on
    // the 31st), so nothing else may differ.
    for args in [
        &["score", "--period", "2026H1", "--format", "json"][..],
        &["recheck", "--period", "2026H1", "--format", "json"],
        &["bulletin", "--period", "2026H1", "--format", "json"],
        &["subsidy", "--period", "2026H1", "--format", "json"],
    ] {
        let mut later = args.to_vec();
        later.extend(["--as-of", "2026-05-30"]);
        let (a, b) = (ws.run(args), ws.run(&later));
        let a = a
            .status(0)
            .stdout
            .replace("\"as_of\": \"2026-05-21\"", "\"as_of\": \"2026-05-30\"");
        let b = &b.status(0).stdout;
        let differ: Vec<(&str, &str)> = a.lines().zip(b.lines()).filter(|(x, y)| x != y).collect();
        assert!(
            differ.is_empty() && a.lines().count() == b.lines().count(),
            "{args:?}: {differ:?}"
        );
    }
}

#[test]
fn a_period_not_over_says_so() {
    let ws = around_the_day();
    // Tables and CSV: one line on stderr; the report itself is unchanged.
    ws.run(&["score", "--period", "2026H1"])
        .status(0)
        .stderr_line("提示：2026H1 尚未结束，报表只含截至 2026-05-21 的数据（不完整）");
    let r = ws.run(&["score", "--period", "2026-05", "--as-of", "2026-05-31"]);
    assert!(!r.status(0).stderr.contains("not over"), "{}", r.stderr);
    // Documents: in their first lines.
    let md = ws.run(&["bulletin", "--period", "2026H1"]).status(0).stdout.clone();
    let head: Vec<&str> = md.lines().take(5).collect();
    assert!(
        head.contains(&"> 本期（2026年上半年）尚未结束：本通报仅反映截至2026年5月21日的数据，为阶段性情况"),
        "{md}"
    );
    assert!(head.iter().any(|l| l.starts_with("> 数据截至2026年5月21日；")), "{md}");
    let md = ws.run(&["company", "--period", "2026H1"]).status(0).stdout.clone();
    assert!(
        md.lines().take(5).any(|l| l.contains("本期（2026年上半年）尚未结束")),
        "{md}"
    );
    // A period over on its as-of date is complete.
    let doc = json(&ws, &["score", "--period", "2026-05", "--as-of", "2026-05-31"]);
    assert_eq!(doc["complete"], true);
}

#[test]
fn a_period_without_inspections_is_an_error() {
    let ws = around_the_day();
    let no = |period: &str| {
        format!(
            "oldestate: {period} 截至 2026-05-21 没有检查记录（计分层级：第三方）；记录库中最新一次检查的日期是 2026-05-21"
        )
    };
    for args in [
        &["score", "--period", "2030H1"][..],
        &["bulletin", "--period", "2030H1"],
        &["recheck", "--period", "2030H1"],
        &["company", "--period", "2026-02"],
        &[
            "standards",
            "diff",
            "--period",
            "2030H1",
            "--against",
            "standards/2026-01-01.toml",
        ],
    ] {
        let period = args[args.iter().position(|a| *a == "--period").unwrap() + 1];
        let r = ws.run(args);
        r.status(1).stderr_line(&no(period));
        assert_eq!(r.stdout, "", "{args:?}");
    }
    // Coverage needs a visit of any level.
    ws.run(&["inspect", "coverage", "--period", "2030H1"])
        .status(1)
        .stderr_line("oldestate: 2030H1 截至 2026-05-21 没有检查记录；记录库中最新一次检查的日期是 2026-05-21");
    // Visits after the as-of date do not count: as of 05-09, May had none.
    ws.run(&["score", "--period", "2026-05", "--as-of", "2026-05-09"])
        .status(1)
        .stderr_line("oldestate: 2026-05 截至 2026-05-09 没有检查记录（计分层级：第三方）；记录库中最新一次检查的日期是 2026-05-21");
    // An empty store has no newest visit to stand on.
    let empty = with_store(&[]);
    empty
        .run(&["bulletin", "--period", "2026H1"])
        .status(1)
        .stderr_line("oldestate: 2026H1 没有检查记录：记录库里还没有任何检查（请先用 `oldestate inspect import 文件...` 导入检查表）");
}

#[test]
fn a_wrong_as_of_is_a_usage_error() {
    let ws = around_the_day();
    let r = ws.run(&["score", "--period", "2026H1", "--as-of", "2026-02-30"]);
    r.status(2);
    r.stderr_line("错误：--as-of <DATE|today> 的值“2026-02-30”无效：应为实际存在的日期（格式 YYYY-MM-DD，如 2026-03-06）或 `today`，实际为“2026-02-30”");
    let r = ws.run_on("yesterday", &["contracts"]);
    r.status(2)
        .stderr_line("oldestate: OLDESTATE_TODAY=“yesterday”：应为存在的日期，格式 YYYY-MM-DD");
}
