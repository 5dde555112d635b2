//! Issue 25: every stored visit traced to its sheet rows (`data/sources.csv`), every published
//! document recorded (`--publish`) and checked again (`verify`).

use rust_xlsxwriter::Workbook;
use serde_json::Value;

use crate::harness::Ws;

/// A copy of the demo district (the repository's own `data/` and `standards/`).
fn demo() -> Ws {
    let ws = Ws::empty();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["data", "standards"] {
        copy(&repo.join(top), &ws.path(top));
    }
    ws
}

fn copy(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let p = e.unwrap().path();
        let name = p.file_name().unwrap();
        if name.to_string_lossy().starts_with(".oldestate.") {
            continue;
        }
        if p.is_dir() {
            copy(&p, &to.join(name));
        } else {
            std::fs::copy(&p, to.join(name)).unwrap();
        }
    }
}

/// A third-party visit to HP117 on 2026-06-20, handed in late: two findings, sheet rows 2–3.
const LATE: &str = "检查日期,检查层级,检查类型,检查组,人数,小区,问题项,点位,照片,备注
2026年6月20日,第三方,日常,第三方二组,4,HP117,人员在岗及服装标识,2,6,
2026年6月20日,第三方,日常,第三方二组,4,HP117,公共区域堆物,3,1,
";

/// The columns of `data/sources.csv` but the time: (visit_id, date, file, sheet, rows).
fn sources(ws: &Ws) -> Vec<Vec<String>> {
    let text = ws.read("data/sources.csv");
    let mut lines = text.lines();
    assert_eq!(lines.next(), Some("imported_at,visit_id,date,file,sha256,sheet,rows"));
    lines
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            assert_eq!(f.len(), 7, "{l}");
            assert_eq!(f[4].len(), 64, "{l}");
            vec![f[1].into(), f[2].into(), f[3].into(), f[5].into(), f[6].into()]
        })
        .collect()
}

fn row(fields: &[&str]) -> Vec<String> {
    fields.iter().map(|s| s.to_string()).collect()
}

#[test]
fn verify_names_exactly_the_late_visit_and_passes_once_it_is_gone() {
    let ws = demo();
    let june = ws.read("data/inspections/2026/2026-06.csv");
    ws.run(&["bulletin", "--period", "2026H1", "--publish", "--out", "b.md"])
        .status(0);
    let record = ws.read("data/published.csv");
    let lines: Vec<&str> = record.lines().collect();
    assert_eq!(
        lines[0],
        "published_at,command,period,as_of,sha256,inputs_sha256,git_commit,arguments,output,git_dirty"
    );
    let sha = oldestate::workspace::sha256_hex(&std::fs::read(ws.path("b.md")).unwrap());
    let fields: Vec<&str> = lines[1].split(',').collect();
    assert_eq!(fields[1..4], ["bulletin", "2026H1", "2026-06-30"]);
    assert_eq!(fields[4], sha);
    assert_eq!(fields[7..9], ["bulletin --period 2026H1 --format md --lang zh", "b.md"]);
    assert!(ws.path(&format!("data/published/{sha}.csv")).exists());

    let ok = ws.run(&["verify", "2026H1"]);
    ok.status(0);
    assert_eq!(ok.stdout.lines().count(), 1, "{}", ok.stdout);
    assert!(
        ok.stdout.starts_with("bulletin 2026H1（数据截至2026-06-30，"),
        "{}",
        ok.stdout
    );
    assert!(ok.stdout.trim_end().ends_with("：一致"), "{}", ok.stdout);

    ws.write("in/late.csv", LATE);
    let r = ws.run(&["inspect", "import", ws.path("in/late.csv").to_str().unwrap()]);
    r.status(0);
    assert!(
        r.stderr.contains("属于已发布的 2026H1（数据截至2026年6月30日）"),
        "{}",
        r.stderr
    );
    let changed = ws.run(&["verify", "2026H1"]);
    changed
        .status(1)
        .stderr_line("oldestate: 1 份已发布文件中有 1 份与今天的数据重新生成的不同");
    let lines: Vec<&str> = changed.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", changed.stdout);
    assert!(lines[0].ends_with("：已变"), "{}", lines[0]);
    assert!(
        lines[1].starts_with("  新增检查 T20260620-HP117-7b19664196606068 2026-06-20（来源：late.csv第2–3行，导入于 "),
        "{}",
        lines[1]
    );
    let json: Value = serde_json::from_str(&ws.run(&["verify", "--format", "json"]).stdout).unwrap();
    let p = &json["publications"][0];
    assert_eq!(json["identical"], false);
    assert_eq!(p["status"], "changed");
    assert_eq!(p["visits"]["added"].as_array().unwrap().len(), 1);
    assert_eq!(p["visits"]["added"][0]["visit_id"], "T20260620-HP117-7b19664196606068");
    assert_eq!(p["visits"]["added"][0]["source"]["rows"], "2-3");
    assert_eq!(p["visits"]["replaced"], Value::Array(vec![]));
    assert_eq!(p["visits"]["removed"], Value::Array(vec![]));
    assert_eq!(p["appeals"], Value::Array(vec![]));
    assert_eq!(p["standards"], Value::Array(vec![]));

    // The late visit taken out again: the bulletin stands as published.
    ws.write("data/inspections/2026/2026-06.csv", &june);
    ws.run(&["verify", "2026H1"]).status(0);
    // In English, as Markdown.
    let md = ws.run(&["--lang", "en", "verify", "--format", "md"]);
    md.status(0);
    assert!(
        md.stdout
            .starts_with("# Verification of published documents\n\n- bulletin 2026H1 (as of 2026-06-30, published "),
        "{}",
        md.stdout
    );
}

/// A document that changed while its visits, appeals and standards did not is explained: by
/// another input (a street renamed in the registry), or, when every input is as published, by
/// the program that made it (here a record edited to stand for another version's bytes).
#[test]
fn verify_tells_where_a_change_comes_from_when_no_visit_explains_it() {
    let ws = demo();
    ws.run(&["bulletin", "--period", "2026H1", "--publish", "--out", "b.md"])
        .status(0);
    let streets = ws.read("data/registry/streets.csv");
    assert!(streets.contains(",劝业场街\n"), "{streets}");
    ws.write(
        "data/registry/streets.csv",
        &streets.replace(",劝业场街\n", ",劝业场街道\n"),
    );
    let changed = ws.run(&["verify", "2026H1"]);
    changed.status(1);
    let lines: Vec<&str> = changed.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", changed.stdout);
    assert!(lines[0].ends_with("：已变"), "{}", lines[0]);
    assert_eq!(
        lines[1],
        "  它依据的检查记录、申诉和标准都与发布时相同，但它读取的其他输入文件有变化（如名册、补贴资金、物业费或设置）"
    );
    let json: Value = serde_json::from_str(&ws.run(&["verify", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["publications"][0]["cause"], "other_inputs");

    // The registry as published: the bulletin stands, and has no cause to give.
    ws.write("data/registry/streets.csv", &streets);
    ws.run(&["verify", "2026H1"]).status(0);
    let json: Value = serde_json::from_str(&ws.run(&["verify", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["publications"][0]["cause"], Value::Null);

    // The record says other bytes were published from the same inputs (its state file renamed
    // with it): the program made it differently.
    let record = ws.read("data/published.csv");
    let sha = record.lines().nth(1).unwrap().split(',').nth(4).unwrap().to_string();
    let other = "f".repeat(64);
    ws.write("data/published.csv", &record.replace(&sha, &other));
    std::fs::rename(
        ws.path(&format!("data/published/{sha}.csv")),
        ws.path(&format!("data/published/{other}.csv")),
    )
    .unwrap();
    let changed = ws.run(&["verify", "2026H1"]);
    changed.status(1);
    let lines: Vec<&str> = changed.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", changed.stdout);
    assert_eq!(
        lines[1],
        "  它读取的每个输入文件都与发布时相同，数据没有变：是今天的 oldestate 生成的文件与登记的不同（发布时用的是另一个版本，或登记被改过）"
    );
    let json: Value = serde_json::from_str(&ws.run(&["verify", "--format", "json"]).stdout).unwrap();
    assert_eq!(json["publications"][0]["cause"], "program");
    let md = ws.run(&["--lang", "en", "verify", "--format", "md"]);
    assert!(
        md.stdout.contains(
            "\n  - every input it read is as when it was published, so the data have not changed: today's oldestate makes a different file from the one recorded (another version published it, or the record was edited)\n"
        ),
        "{}",
        md.stdout
    );

    // Its state gone as well: what differs is not known, in the workspace's language.
    std::fs::remove_file(ws.path(&format!("data/published/{other}.csv"))).unwrap();
    ws.write(
        "data/registry/streets.csv",
        &streets.replace(",劝业场街\n", ",劝业场街道\n"),
    );
    let lines: Vec<String> = ws.run(&["verify", "2026H1"]).stdout.lines().map(String::from).collect();
    assert_eq!(
        lines[1],
        format!("  data/published/{other}.csv 不存在：无法得知哪些数据有变")
    );
}

#[test]
fn verify_without_a_publication_says_how_to_publish() {
    let ws = demo();
    ws.run(&["verify", "2026H1"]).status(1).stderr_line(
        "oldestate: data/published.csv：没有 2026H1 的发布记录：发布时请加 --publish（如 oldestate bulletin --period 2026H1 --publish）",
    );
}

#[test]
fn a_changed_appeal_is_named() {
    let ws = demo();
    ws.run(&[
        "bulletin",
        "--period",
        "2026H1",
        "--publish",
        "--format",
        "json",
        "--out",
        "b.json",
    ])
    .status(0);
    ws.run(&["verify"]).status(0);
    // An appeal decided before the as-of date, now upheld for more points.
    let appeals = ws.read("data/appeals.csv");
    let line = appeals
        .lines()
        .find(|l| l.starts_with("T20260507-HP014,A05,"))
        .unwrap()
        .to_string();
    let mut f: Vec<String> = line.split(',').map(String::from).collect();
    f[2] = (f[2].parse::<u64>().unwrap() + 1).to_string();
    ws.replace("data/appeals.csv", &line, &f.join(","));
    let json: Value = serde_json::from_str(&ws.run(&["verify", "--format", "json"]).stdout).unwrap();
    let p = &json["publications"][0];
    assert_eq!(p["appeals"], serde_json::json!(["T20260507-HP014/A05"]));
    assert_eq!(p["visits"]["added"], Value::Array(vec![]));
}

/// The `mini` fixture's three visits, as in `forms.rs`.
const PLAIN: &str = "日期,检查组,人数,小区,私装地锁,楼道清扫保洁
2026-04-02,甲组,3,南营门里,2,1
2026-04-02,甲组,3,福明里,0,3
2026-04-03,乙组,2,长沙路小区,1,0
";

#[test]
fn sources_name_the_sheet_and_excel_rows_of_a_workbook_and_survive_replace() {
    let ws = Ws::fixture("mini");
    let cells: Vec<Vec<&str>> = PLAIN.lines().map(|l| l.split(',').collect()).collect();
    let mut wb = Workbook::new();
    let a = wb.add_worksheet().set_name("泰安道社区").unwrap();
    a.write_string(0, 0, "2026年4月检查记录表").unwrap();
    for (r, line) in cells[..3].iter().enumerate() {
        for (c, v) in line.iter().enumerate() {
            a.write_string(r as u32 + 1, c as u16, *v).unwrap();
        }
    }
    let b = wb.add_worksheet().set_name("花园社区").unwrap();
    for (r, line) in [&cells[0], &cells[3]].iter().enumerate() {
        for (c, v) in line.iter().enumerate() {
            b.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    std::fs::create_dir_all(ws.path("in")).unwrap();
    wb.save(ws.path("in/book.xlsx")).unwrap();
    let book = ws.path("in/book.xlsx").display().to_string();
    ws.run(&["inspect", "import", "--level", "street", &book]).status(0);
    let first = sources(&ws);
    assert_eq!(first.len(), 3);
    assert_eq!(first[0][1..], row(&["2026-04-02", "book.xlsx", "泰安道社区", "3"]));
    assert_eq!(first[1][1..], row(&["2026-04-02", "book.xlsx", "泰安道社区", "4"]));
    assert_eq!(first[2][1..], row(&["2026-04-03", "book.xlsx", "花园社区", "2"]));
    // Every stored visit has its line.
    let store = ws.read("data/inspections/2026/2026-04.csv");
    for s in &first {
        assert!(store.contains(&format!("\n{},", s[0])), "{}", s[0]);
    }
    // Importing the same visits again writes no line; replacing one appends its new source
    // and keeps the old line.
    ws.run(&["inspect", "import", "--level", "street", &book]).status(0);
    assert_eq!(sources(&ws).len(), 3);
    ws.write(
        "in/fix.csv",
        &PLAIN.replace("2026-04-03,乙组,2,长沙路小区,1,0", "2026-04-03,乙组,2,长沙路小区,2,0"),
    );
    let fix = ws.path("in/fix.csv").display().to_string();
    ws.run(&["inspect", "import", "--level", "street", "--replace", &fix])
        .status(0);
    let after = sources(&ws);
    assert_eq!(after.len(), 4);
    assert_eq!(after[..3], first[..]);
    assert_eq!(after[3], row(&[&first[2][0], "2026-04-03", "fix.csv", "", "4"]));
}

#[test]
fn the_notices_and_the_payment_sheet_are_published_and_verified() {
    let ws = demo();
    ws.run(&[
        "recheck",
        "--period",
        "2026H1",
        "--notices",
        "n",
        "--publish",
        "--format",
        "docx",
    ])
    .status(0);
    // The workbook's bytes, as finance receives them (the harness reads stdout as text).
    let pay = std::process::Command::new(env!("CARGO_BIN_EXE_oldestate"))
        .args([
            "--workspace",
            ws.root().to_str().unwrap(),
            "subsidy",
            "--period",
            "2026H1",
        ])
        .args(["--format", "xlsx", "--publish"])
        .output()
        .unwrap();
    assert!(pay.status.success());
    ws.run(&["subsidy", "--period", "2026H1", "--publish"])
        .status(2)
        .stderr_line("oldestate: --publish 记录的是拨付表（Excel 工作簿）：请加 --format xlsx");
    let record = ws.read("data/published.csv");
    let lines: Vec<&str> = record.lines().collect();
    assert_eq!(lines.len(), 3, "{record}");
    // The notices are published as their sha256sum listing: one digest for the set.
    let mut listing: Vec<String> = std::fs::read_dir(ws.path("n"))
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let sha = oldestate::workspace::sha256_hex(&std::fs::read(&p).unwrap());
            format!("{sha}  {}\n", p.file_name().unwrap().to_string_lossy())
        })
        .collect();
    listing.sort();
    assert!(listing.len() > 1);
    let sha = oldestate::workspace::sha256_hex(listing.concat().as_bytes());
    assert!(
        lines[1].contains(&format!(",recheck,2026H1,2026-06-30,{sha},")),
        "{}",
        lines[1]
    );
    assert!(
        lines[1].ends_with(",recheck --period 2026H1 --format docx --lang zh,n,"),
        "{}",
        lines[1]
    );
    let pay_sha = oldestate::workspace::sha256_hex(&pay.stdout);
    assert!(
        lines[2].contains(&format!(",subsidy,2026H1,2026-06-30,{pay_sha},")),
        "{}",
        lines[2]
    );
    assert!(
        lines[2].ends_with(",subsidy --period 2026H1 --by street --format xlsx --lang zh,stdout,"),
        "{}",
        lines[2]
    );
    let ok = ws.run(&["verify", "2026H1"]);
    ok.status(0);
    assert_eq!(ok.stdout.matches("：一致\n").count(), 2, "{}", ok.stdout);
    // A late visit that passes moves no money (HP117 keeps its grade), so the payment sheet
    // stands; the Word notices carry their inputs' digest in their properties, so they change
    // with any input, and the visit is named.
    ws.write("in/late.csv", LATE);
    ws.run(&["inspect", "import", ws.path("in/late.csv").to_str().unwrap()])
        .status(0);
    let changed = ws.run(&["verify", "2026H1"]);
    changed
        .status(1)
        .stderr_line("oldestate: 2 份已发布文件中有 1 份与今天的数据重新生成的不同");
    let lines: Vec<&str> = changed.stdout.lines().collect();
    assert_eq!(lines.len(), 3, "{}", changed.stdout);
    assert!(
        lines[0].starts_with("recheck 2026H1（") && lines[0].ends_with("：已变"),
        "{}",
        lines[0]
    );
    assert!(
        lines[1].starts_with("  新增检查 T20260620-HP117-7b19664196606068 2026-06-20（来源：late.csv"),
        "{}",
        lines[1]
    );
    assert!(
        lines[2].starts_with("subsidy 2026H1（") && lines[2].ends_with("：一致"),
        "{}",
        lines[2]
    );
}

#[test]
fn explain_names_each_visits_source() {
    let ws = demo();
    ws.write("in/late.csv", LATE);
    ws.run(&["inspect", "import", ws.path("in/late.csv").to_str().unwrap()])
        .status(0);
    let text = ws.run(&["score", "--period", "2026H1", "--explain", "HP117"]);
    text.status(0);
    let lines: Vec<&str> = text.stdout.lines().collect();
    let at = lines
        .iter()
        .position(|l| l.starts_with("检查 T20260620-HP117-7b19664196606068 "))
        .unwrap();
    let sha = oldestate::workspace::sha256_hex(LATE.as_bytes());
    assert_eq!(
        lines[at + 1],
        format!("来源：late.csv（第三方）第2–3行，存档 {}…", &sha[..8])
    );
    // The demo's own visits were never imported: their source is unknown.
    assert!(lines.contains(&"来源不明"), "{}", text.stdout);
    let json: Value = serde_json::from_str(
        &ws.run(&["score", "--period", "2026H1", "--explain", "HP117", "--format", "json"])
            .stdout,
    )
    .unwrap();
    let visits = json["visits"].as_array().unwrap();
    let late = visits
        .iter()
        .find(|v| v["visit_id"] == "T20260620-HP117-7b19664196606068")
        .unwrap();
    assert_eq!(
        late["source"],
        serde_json::json!({"file": "late.csv", "sha256": sha, "sheet": null, "rows": "2-3", "imported_at": late["source"]["imported_at"]})
    );
    assert!(visits.iter().any(|v| v["source"].is_null()));
}

#[test]
fn a_record_begun_by_hand_is_kept_and_its_lines_cannot_be_made_again() {
    let ws = demo();
    ws.write(
        "data/published.csv",
        "published_at,command,period,as_of,sha256,inputs_sha256,git_commit\n\
         2026-07-10T09:00:00+08:00,bulletin --period 2026H1,2026H1,2026-06-30,ab,cd,\n",
    );
    ws.run(&["bulletin", "--period", "2026H1", "--publish", "--out", "b.md"])
        .status(0);
    let record = ws.read("data/published.csv");
    let lines: Vec<&str> = record.lines().collect();
    assert_eq!(lines.len(), 3);
    assert_eq!(
        lines[1],
        "2026-07-10T09:00:00+08:00,bulletin --period 2026H1,2026H1,2026-06-30,ab,cd,,,,"
    );
    let r = ws.run(&["verify", "2026H1"]);
    r.status(1);
    let out: Vec<&str> = r.stdout.lines().collect();
    assert!(out[0].ends_with("：无法重新生成"), "{}", r.stdout);
    assert_eq!(out[1], "  没有记录参数（手工写入的一行）：无法重新生成");
    assert!(out[2].ends_with("：一致"), "{}", r.stdout);
    // Import still reads the record.
    ws.write("in/late.csv", LATE);
    let i = ws.run(&["inspect", "import", ws.path("in/late.csv").to_str().unwrap()]);
    i.status(0);
    assert_eq!(i.stderr.matches("属于已发布的 2026H1").count(), 1, "{}", i.stderr);
}
