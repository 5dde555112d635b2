//! `inspect import`'s merge into the store, streamed (DESIGN §12): a stored month is compared
//! and rewritten as it is read, never held. These pin what the streaming must keep: a visit
//! stored under another month or under an earlier version's id is still found, a month file
//! edited out of order still comes out sorted, and a re-import over several months writes
//! nothing.

use crate::harness::Ws;

const APRIL: &str = "data/inspections/2026/2026-04.csv";

/// Two visits in April: the first's id derived as T20260402-P1-9d12748cee48bd00, which an
/// earlier version derived as T20260402-P1-9d1274.
const LONG: &str = "日期,检查层级,检查类型,检查组,人数,小区,问题项,点位,照片,备注
2026/4/2,第三方,日常,第三方一组,3,南营门,私装地锁,2,5,\"东侧,两处\"
2026/4/2,第三方,日常,第三方一组,3,南营门,X02,1,3,
2026年4月3日,第三方,日常,第三方一组,3,福明里,,,4,
";

const HEADER: &str = "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\n";

/// LONG's first visit as an earlier version stored it, with `x02` points on X02.
fn legacy_rows(x02: u32) -> String {
    format!(
        "T20260402-P1-9d1274,2026-04-02,third_party,routine,第三方一组,3,P1,X01,2,8,\"东侧,两处\"\n\
         T20260402-P1-9d1274,2026-04-02,third_party,routine,第三方一组,3,P1,X02,{x02},0,\n"
    )
}

/// A later April visit, stored by hand.
const LATER: &str = "T9,2026-04-20,third_party,routine,第三方一组,3,P2,X01,1,0,\n";

fn import(ws: &Ws, args: &[&str]) -> crate::harness::Run {
    let mut all = vec!["inspect", "import"];
    all.extend_from_slice(args);
    ws.run(&all)
}

#[test]
fn a_visit_id_stored_in_another_month_is_refused_naming_where_it_is() {
    let ws = Ws::fixture("mini");
    // T1 is stored in March (2026-03-05); this sheet gives the id to an April visit.
    ws.write(
        "in/taken.csv",
        "visit_id,date,level,team,inspectors,compound_id,item,count\nT1,2026-04-07,third_party,第三方一组,3,P1,X01,3\n",
    );
    let sheet = ws.path("in/taken.csv").display().to_string();
    let before = ws.snapshot();
    import(&ws, &["--replace", &sheet]).status(1).stderr_line(&format!(
        "oldestate: {sheet} 第2行：检查编号 T1 已被另一次检查占用：库中（data/inspections/2026/2026-03.csv:2）为 \
         2026-03-05 third_party routine 检查组「第三方一组」 小区 P1，本表为 2026-04-07 third_party routine \
         检查组「第三方一组」 小区 P1。这是两次不同的检查，--replace 不会替换另一次检查：请为这次检查另编号"
    ));
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn an_earlier_versions_id_is_the_same_visit_in_a_sorted_month() {
    let ws = Ws::fixture("mini");
    ws.write(APRIL, &format!("{HEADER}{}{LATER}", legacy_rows(1)));
    ws.write("in/long.csv", LONG);
    let sheet = ws.path("in/long.csv").display().to_string();
    import(&ws, &[&sheet])
        .status(0)
        .stderr_line("已导入 1 个文件，2 次检查：新增 1，替换 0，已入库（略过）1；1 行；写入月份：2026-04");
    // Skipped under its old id, which stays; the new visit goes in its place in the order.
    assert_eq!(
        ws.read(APRIL),
        format!(
            "{HEADER}{}T20260403-P2-6222f52ebf2e9d2b,2026-04-03,third_party,routine,第三方一组,3,P2,,0,4,\n{LATER}",
            legacy_rows(1)
        )
    );
}

#[test]
fn an_earlier_versions_id_that_differs_needs_replace_even_in_a_month_out_of_order() {
    let ws = Ws::fixture("mini");
    // Edited by hand: the later visit first.
    ws.write(APRIL, &format!("{HEADER}{LATER}{}", legacy_rows(2)));
    ws.write("in/long.csv", LONG);
    let sheet = ws.path("in/long.csv").display().to_string();
    import(&ws, &[&sheet]).status(1).stderr_line(&format!(
        "oldestate: {sheet} 第2行：检查 T20260402-P1-9d12748cee48bd00 已入库（data/inspections/2026/2026-04.csv:3），\
         内容与本表不同。如确需覆盖，请加 --replace；否则请为这次检查另编号"
    ));
    import(&ws, &["--replace", &sheet])
        .status(0)
        .stderr_line("已导入 1 个文件，2 次检查：新增 1，替换 1，已入库（略过）0；3 行；写入月份：2026-04");
    // The month comes out whole and sorted; the old rows are archived, importable back.
    assert_eq!(
        ws.read(APRIL),
        format!(
            "{HEADER}T20260402-P1-9d12748cee48bd00,2026-04-02,third_party,routine,第三方一组,3,P1,X01,2,8,\"东侧,两处\"\n\
             T20260402-P1-9d12748cee48bd00,2026-04-02,third_party,routine,第三方一组,3,P1,X02,1,0,\n\
             T20260403-P2-6222f52ebf2e9d2b,2026-04-03,third_party,routine,第三方一组,3,P2,,0,4,\n{LATER}"
        )
    );
    let ledger = ws.read("data/imports.csv");
    let line = ledger.lines().last().unwrap();
    let sha = line.split(',').nth(2).unwrap();
    assert!(line.ends_with(&format!(",replaced-by:long.csv,{sha},1,2")), "{line}");
    assert_eq!(
        ws.read(&format!("data/archive/{sha}.csv")),
        format!("{HEADER}{}", legacy_rows(2))
    );
}

#[test]
fn re_importing_a_sheet_over_several_months_writes_nothing() {
    let ws = Ws::fixture("mini");
    let sheet = "visit_id,date,level,team,inspectors,compound_id,item,count,photos,note
V1,2026-03-31,street,甲组,2,P1,X01,1,1,月末
V2,2026-04-01,street,甲组,2,P2,X02,2,0,
V2,2026-04-01,street,甲组,2,P2,X01,1,3,\"两处,一处\"
V3,2026-05-15,street,乙组,4,P4,,0,0,
";
    ws.write("in/months.csv", sheet);
    let path = ws.path("in/months.csv").display().to_string();
    import(&ws, &[&path]).status(0).stderr_line(
        "已导入 1 个文件，3 次检查：新增 3，替换 0，已入库（略过）0；4 行；写入月份：2026-03、2026-04、2026-05",
    );
    // March's stored visits and V1 share the file, in order.
    let march = ws.read("data/inspections/2026/2026-03.csv");
    assert!(
        march.ends_with("\nV1,2026-03-31,street,routine,甲组,2,P1,X01,1,1,月末\n"),
        "{march}"
    );
    let before = ws.snapshot();
    import(&ws, &[&path])
        .status(0)
        .stderr_line("已导入 1 个文件，3 次检查：新增 0，替换 0，已入库（略过）3；0 行；写入月份：无");
    assert_eq!(ws.snapshot(), before);
    ws.run(&["check", "--strict"]).status(0);
}
