//! `inspect import`: every accepted form of sheet, every class of error, and the safety of
//! the store (all or nothing, re-import a no-op, dry runs, concurrent imports, failed writes).

use crate::harness::Ws;

const APRIL: &str = "data/inspections/2026/2026-04.csv";

/// The rows a long sheet of two visits becomes (ids derived from the visits' own fields).
const EXPECTED_APRIL: &str = "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note
T20260402-P1-9d12748cee48bd00,2026-04-02,third_party,routine,第三方一组,3,P1,X01,2,8,\"东侧,两处\"
T20260402-P1-9d12748cee48bd00,2026-04-02,third_party,routine,第三方一组,3,P1,X02,1,0,
T20260403-P2-6222f52ebf2e9d2b,2026-04-03,third_party,routine,第三方一组,3,P2,,0,4,
";

const LONG: &str = "日期,检查层级,检查类型,检查组,人数,小区,问题项,点位,照片,备注
2026/4/2,第三方,日常,第三方一组,3,南营门,私装地锁,2,5,\"东侧,两处\"
2026/4/2,第三方,日常,第三方一组,3,南营门,X02,1,3,
2026年4月3日,第三方,日常,第三方一组,3,福明里,,,4,
";

fn import(ws: &Ws, args: &[&str]) -> crate::harness::Run {
    let mut all = vec!["inspect", "import"];
    all.extend_from_slice(args);
    ws.run(&all)
}

#[test]
fn a_long_utf8_sheet_with_chinese_headers_names_and_dates() {
    let ws = Ws::fixture("mini");
    ws.write("in/long.csv", LONG);
    let r = import(&ws, &[ws.path("in/long.csv").to_str().unwrap()]);
    r.status(0)
        .stderr_line("已导入 1 个文件，2 次检查：新增 2，替换 0，已入库（略过）0；3 行；写入月份：2026-04");
    assert_eq!(ws.read(APRIL), EXPECTED_APRIL);
    ws.run(&["check", "--strict"]).status(0);
    // The sheet is archived by its SHA-256 and logged in the ledger.
    let ledger = ws.read("data/imports.csv");
    let line = ledger.lines().nth(1).unwrap();
    let sha = line.split(',').nth(2).unwrap();
    assert!(line.ends_with(&format!(",long.csv,{sha},2,3")), "{line}");
    assert_eq!(
        std::fs::read(ws.path(&format!("data/archive/{sha}.csv"))).unwrap(),
        LONG.as_bytes()
    );
}

#[test]
fn re_importing_a_sheet_is_a_no_op_leaving_the_store_byte_identical() {
    let ws = Ws::fixture("mini");
    ws.write("in/long.csv", LONG);
    let sheet = ws.path("in/long.csv");
    import(&ws, &[sheet.to_str().unwrap()]).status(0);
    let before = ws.snapshot();
    import(&ws, &[sheet.to_str().unwrap()])
        .status(0)
        .stderr_line("已导入 1 个文件，2 次检查：新增 0，替换 0，已入库（略过）2；0 行；写入月份：无");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_wide_gb18030_sheet_as_excel_saves_it() {
    let ws = Ws::fixture("mini");
    // One row per visit, one column per item (by name or code), blank = 0; GB18030 bytes.
    let text = "检查日期,检查组,检查人数,小区名称,私装地锁,楼道清扫保洁,X03,照片数,备注\r\n2026-04-02,第三方一组,3,营门里,2,1,,8,\"东侧,两处\"\r\n2026-04-03,第三方一组,3,P2,,,,4,\r\n";
    let (gb, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable);
    std::fs::create_dir_all(ws.path("in")).unwrap();
    std::fs::write(ws.path("in/wide.csv"), &gb).unwrap();
    import(
        &ws,
        &[ws.path("in/wide.csv").to_str().unwrap(), "--level", "third_party"],
    )
    .status(0);
    assert_eq!(ws.read(APRIL), EXPECTED_APRIL);
}

#[test]
fn a_utf8_bom_semicolon_sheet_with_english_headers() {
    let ws = Ws::fixture("mini");
    let text = "\u{feff}visit_id;date;level;purpose;team;inspectors;compound_id;item;count;photos;note\nV1;2026-04-02;district;recheck;区民政局检查一组;2;P1;X01;1;3;\n";
    ws.write("in/en.txt", text);
    import(&ws, &[ws.path("in/en.txt").to_str().unwrap()]).status(0);
    assert_eq!(
        ws.read(APRIL),
        "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\nV1,2026-04-02,district,recheck,区民政局检查一组,2,P1,X01,1,3,\n"
    );
}

#[test]
fn an_xlsx_sheet_with_date_cells_and_float_numbers() {
    use rust_xlsxwriter::{ExcelDateTime, Format, Workbook};
    let ws = Ws::fixture("mini");
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.set_name("四月").unwrap();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for (c, h) in ["日期", "检查组", "人数", "小区", "问题项", "点位", "照片"]
        .iter()
        .enumerate()
    {
        sheet.write_string(0, c as u16, *h).unwrap();
    }
    let rows = [
        (2u8, "南营门里", "私装地锁", 2.0, 5.0),
        (2, "南营门里", "X02", 1.0, 3.0),
        (3, "福明里", "", 0.0, 4.0),
    ];
    for (r, (day, compound, item, count, photos)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        sheet
            .write_datetime_with_format(r, 0, ExcelDateTime::from_ymd(2026, 4, *day).unwrap(), &date)
            .unwrap();
        sheet.write_string(r, 1, "第三方一组").unwrap();
        sheet.write_number(r, 2, 3.0).unwrap();
        sheet.write_string(r, 3, *compound).unwrap();
        sheet.write_string(r, 4, *item).unwrap();
        sheet.write_number(r, 5, *count).unwrap();
        sheet.write_number(r, 6, *photos).unwrap();
    }
    std::fs::create_dir_all(ws.path("in")).unwrap();
    wb.save(ws.path("in/april.xlsx")).unwrap();
    import(
        &ws,
        &[
            ws.path("in/april.xlsx").to_str().unwrap(),
            "--level",
            "第三方",
            "--sheet",
            "四月",
        ],
    )
    .status(0);
    // The same visits as the CSV forms, less the note.
    assert_eq!(ws.read(APRIL), EXPECTED_APRIL.replace("\"东侧,两处\"", ""));
    let r = import(
        &ws,
        &[
            ws.path("in/april.xlsx").to_str().unwrap(),
            "--level",
            "third_party",
            "--sheet",
            "五月",
        ],
    );
    r.status(1).stderr_line(&format!(
        "oldestate: {}：没有名为「五月」的工作表（工作表：四月）",
        ws.path("in/april.xlsx").display()
    ));
}

#[test]
fn dry_run_validates_and_writes_nothing() {
    let ws = Ws::fixture("mini");
    ws.write("in/long.csv", LONG);
    let before = ws.snapshot();
    import(&ws, &[ws.path("in/long.csv").to_str().unwrap(), "--dry-run"])
        .status(0)
        .stderr_line("试运行，未写入：1 个文件，2 次检查：新增 2，替换 0，已入库（略过）0；3 行；写入月份：2026-04");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn every_error_in_every_file_is_reported_and_nothing_is_written() {
    let ws = Ws::fixture("mini");
    ws.write(
        "in/a.csv",
        "日期,检查层级,检查组,人数,小区,问题项,点位\n2026/2/30,第三方,甲组,3,南营门里,X01,1\n2026/4/2,第三方,甲组,0,南营门哩,X01,1\n2026/4/2,市,甲组,3,P1,X99,1.5\n",
    );
    ws.write("in/b.csv", "日期,检查组,人数,小区,私装地锁\n2026/4/2,甲组,3,P3,2\n");
    let before = ws.snapshot();
    let a = ws.path("in/a.csv").display().to_string();
    let b = ws.path("in/b.csv").display().to_string();
    let r = import(&ws, &[&a, &b]);
    r.status(1)
        .stderr_line(&format!("oldestate: {a} 第2行 A列「日期」：应为检查日期，实为「2026/2/30」。请写成 2026-03-05、2026/3/5 或 2026年3月5日"))
        .stderr_line(&format!("oldestate: {a} 第3行 D列「人数」：应为检查人数（1 或以上的整数，或以顿号分隔的检查人员姓名），实为「0」。请填写人数，如 3"))
        .stderr_line(&format!("oldestate: {a} 第3行 E列「小区」：登记册中没有小区「南营门哩」。是否为「南营门」或「南营门里」或「营门里」？"))
        .stderr_line(&format!("oldestate: {a} 第4行 B列「检查层级」：应为检查层级，实为「市」。请填写 社区、街道、区 或 第三方"))
        .stderr_line(&format!("oldestate: {a} 第4行 G列「点位」：应为问题点位数（0 至 1000000 的整数），实为「1.5」。请填写整数，如 2"))
        .stderr_line(&format!("oldestate: {b} 第2行：没有检查层级。请在表中加“检查层级”列，或在命令中加 --level（如 --level 社区）"))
        .stderr_line("oldestate: 6 个错误，未写入任何文件");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn unknown_items_name_the_nearest_and_inapplicable_items_are_refused() {
    let ws = Ws::fixture("mini");
    ws.write(
        "in/a.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/3/2,甲组,3,P1,私装地索,1\n2026/3/2,甲组,3,P3,X02,1\n",
    );
    let a = ws.path("in/a.csv").display().to_string();
    import(&ws, &[&a, "--level", "street"])
        .status(1)
        .stderr_line(&format!("oldestate: {a} 第2行 E列「问题项」：standards/2026-01-01.toml 中没有检查项「私装地索」。是否为「私装地锁」？"))
        .stderr_line(&format!("oldestate: {a} 第3行：检查项 X02（楼道清扫保洁）不适用于 P3：该小区 2026-03-02 的服务等级为 3 级。请核对检查项或小区"));
}

#[test]
fn a_sheet_that_disagrees_with_the_command_line_is_an_error() {
    let ws = Ws::fixture("mini");
    ws.write("in/a.csv", LONG);
    let a = ws.path("in/a.csv").display().to_string();
    import(&ws, &[&a, "--level", "street"]).status(1).stderr_line(&format!(
        "oldestate: {a} 第2–4行：表中层级为第三方，而 --level 为街道。请核对"
    ));
    // In English when asked.
    import(&ws, &["--lang", "en", &a, "--level", "street"])
        .status(1)
        .stderr_line(&format!(
            "oldestate: {a} rows 2–4: the sheet says level third_party but --level says street. check which is right"
        ));
}

#[test]
fn bytes_valid_in_neither_encoding_are_an_error_with_their_row() {
    let ws = Ws::fixture("mini");
    std::fs::create_dir_all(ws.path("in")).unwrap();
    std::fs::write(
        ws.path("in/bad.csv"),
        b"date,team,inspectors,compound_id,item,count\n2026-04-02,a,3,P1,X01,1\n2026-04-02,a,3,P1\x81\x20,X02,1\n",
    )
    .unwrap();
    let bad = ws.path("in/bad.csv").display().to_string();
    let r = import(&ws, &[&bad, "--level", "street"]);
    assert!(
        r.status(1).stderr.starts_with(&format!("oldestate: {bad} 第3行：")),
        "{}",
        r.stderr
    );
}

#[test]
fn a_stored_visit_with_different_content_needs_replace() {
    let ws = Ws::fixture("mini");
    ws.write(
        "in/v.csv",
        "visit_id,date,level,team,inspectors,compound_id,item,count\nT1,2026-03-05,third_party,第三方一组,3,P1,X01,3\n",
    );
    let v = ws.path("in/v.csv").display().to_string();
    import(&ws, &[&v]).status(1).stderr_line(&format!(
        "oldestate: {v} 第2行：检查 T1 已入库（data/inspections/2026/2026-03.csv:2），内容与本表不同。如确需覆盖，请加 --replace；否则请为这次检查另编号"
    ));
    import(&ws, &[&v, "--replace"]).status(0);
    let march = ws.read("data/inspections/2026/2026-03.csv");
    assert!(
        march.contains("\nT1,2026-03-05,third_party,routine,第三方一组,3,P1,X01,3,0,\n"),
        "{march}"
    );
    assert!(
        !march.contains("X02"),
        "the replaced visit's other rows are gone: {march}"
    );
}

#[test]
fn two_imports_started_at_once_both_land() {
    let ws = Ws::fixture("mini");
    ws.write(
        "in/a.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/4/2,甲组,3,P1,X01,1\n",
    );
    ws.write(
        "in/b.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/4/9,乙组,3,P2,X01,2\n",
    );
    let spawn = |f: &str| {
        std::process::Command::new(env!("CARGO_BIN_EXE_oldestate"))
            .args([
                "--workspace",
                ws.root().to_str().unwrap(),
                "inspect",
                "import",
                "--level",
                "street",
                ws.path(f).to_str().unwrap(),
            ])
            .output()
            .unwrap()
    };
    let (a, b) = std::thread::scope(|s| {
        let a = s.spawn(|| spawn("in/a.csv"));
        let b = s.spawn(|| spawn("in/b.csv"));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert!(a.status.success() && b.status.success(), "{a:?} {b:?}");
    let april = ws.read(APRIL);
    assert_eq!(april.lines().count(), 3, "{april}");
    assert_eq!(ws.read("data/imports.csv").lines().count(), 3);
    ws.run(&["check", "--strict"]).status(0);
}

#[test]
fn a_failure_before_the_commit_leaves_the_store_untouched() {
    let ws = Ws::fixture("mini");
    ws.write("in/long.csv", LONG);
    // Make the archive impossible to write: staging fails after the month file was staged.
    ws.write("data/archive", "not a directory");
    let before = ws.snapshot();
    import(&ws, &[ws.path("in/long.csv").to_str().unwrap()]).status(1);
    assert_eq!(ws.snapshot(), before);
    let leftovers: Vec<_> = std::fs::read_dir(ws.path("data/inspections/2026"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers, vec!["2026-03.csv"], "no temporary file is left behind");
}

#[test]
fn the_example_july_sheets_import_cleanly_into_the_demo() {
    let ws = Ws::empty();
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for top in ["data", "standards"] {
        let status = std::process::Command::new("cp")
            .arg("-r")
            .arg(repo.join(top))
            .arg(ws.root())
            .status()
            .unwrap();
        assert!(status.success());
    }
    let sheet = |name: &str| repo.join("examples/sheets").join(name).display().to_string();
    import(&ws, &["--level", "社区", &sheet("2026-07-community-S01.csv")])
        .status(0)
        .stderr_line("已导入 1 个文件，49 次检查：新增 49，替换 0，已入库（略过）0；80 行；写入月份：2026-07");
    import(&ws, &["--level", "street", &sheet("2026-07-street-S02.xlsx")]).status(0);
    import(&ws, &[&sheet("2026-07-third-party-S03.csv")]).status(0);
    let r = ws.run(&["check"]);
    r.status(0);
    assert!(r.stderr.contains("检查完毕：0 个错误"), "{}", r.stderr);
    // The whole month again: every visit already stored.
    import(&ws, &["--level", "street", &sheet("2026-07-street-S02.xlsx")])
        .status(0)
        .stderr_line("已导入 1 个文件，63 次检查：新增 0，替换 0，已入库（略过）63；0 行；写入月份：无");
}

#[test]
fn a_visit_with_more_photos_than_a_row_may_hold_is_refused() {
    let ws = Ws::fixture("mini");
    ws.write(
        "in/p.csv",
        "日期,检查组,人数,小区,问题项,点位,照片\n2026/4/2,甲组,3,P1,X01,1,600000\n2026/4/2,甲组,3,P1,X02,1,600000\n",
    );
    let p = ws.path("in/p.csv").display().to_string();
    let r = import(&ws, &[&p, "--level", "street"]);
    r.status(1);
    assert!(r.stderr.contains(" 第2行：检查 S20260402-P1-"), "{}", r.stderr);
    assert!(
        r.stderr.contains("的照片共 1200000 张，超过一次检查最多 1000000 张"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_sheet_with_a_visit_id_column_needs_it_on_every_row() {
    let ws = Ws::fixture("mini");
    ws.write(
        "in/v.csv",
        "编号,日期,检查组,人数,小区,问题项,点位\nV1,2026/4/2,甲组,3,P1,X01,1\n,2026/4/2,甲组,3,P1,X02,1\n",
    );
    let v = ws.path("in/v.csv").display().to_string();
    import(&ws, &[&v, "--level", "street"]).status(1).stderr_line(&format!(
        "oldestate: {v} 第3行 A列「编号」：应为检查编号，此格为空。本表有检查编号列：请在每一行填写"
    ));
}

#[test]
fn an_unreadable_ledger_stops_the_import_instead_of_losing_its_history() {
    let ws = Ws::fixture("mini");
    ws.write("in/long.csv", LONG);
    let (gb, _, _) = encoding_rs::GB18030
        .encode("imported_at,file,sha256,visits,rows\n2026-01-01T00:00:00+08:00,一月.csv,abc,1,1\n");
    std::fs::write(ws.path("data/imports.csv"), &gb).unwrap();
    let before = ws.snapshot();
    import(&ws, &[ws.path("in/long.csv").to_str().unwrap()])
        .status(1)
        .stderr_line(
            "oldestate: data/imports.csv：不是 UTF-8 编码（是否用 Excel 另存过？）：请先从 git 恢复该文件，再导入",
        );
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_bad_byte_in_a_utf8_sheet_is_located_at_its_row() {
    let ws = Ws::fixture("mini");
    std::fs::create_dir_all(ws.path("in")).unwrap();
    let mut bytes = "日期,检查组,人数,小区,问题项,点位\n2026/4/2,甲组,3,P1,X01,1\n"
        .as_bytes()
        .to_vec();
    bytes.extend_from_slice(b"2026/4/3,\x81,3,P1,X01,1\n");
    std::fs::write(ws.path("in/b.csv"), bytes).unwrap();
    let b = ws.path("in/b.csv").display().to_string();
    let r = import(&ws, &[&b, "--level", "street"]);
    r.status(1);
    assert!(r.stderr.starts_with(&format!("oldestate: {b} 第3行：")), "{}", r.stderr);
}

/// A named pipe cannot be read twice (a text sheet is read again row by row, every sheet again
/// when archived): it is refused at once rather than waited on forever.
#[cfg(unix)]
#[test]
fn a_named_pipe_is_refused_not_waited_on() {
    let ws = Ws::fixture("mini");
    let pipe = ws.path("in.csv");
    let made = std::process::Command::new("mkfifo").arg(&pipe).status();
    if !made.is_ok_and(|s| s.success()) {
        return; // no mkfifo here: nothing to test
    }
    let r = import(&ws, &["--dry-run", pipe.to_str().unwrap()]);
    r.status(1);
    assert!(
        r.stderr.contains("不是普通文件（如命名管道或设备），无法导入"),
        "{}",
        r.stderr
    );
}
