//! Issue 24: what a hostile colleague or an unlucky administrator did to the tool. Small
//! workbooks that once killed it, permissions kept under any umask, a lock that cannot be
//! deleted from under a writer, writers before readers, ids that do not collide, and the
//! smaller holes (cells beyond the header, control characters, money overflow, outputs into
//! the store, leftovers of a killed import).

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Command, Output};

use crate::harness::Ws;

const APRIL: &str = "data/inspections/2026/2026-04.csv";

fn bin() -> &'static str {
    env!("CARGO_BIN_EXE_oldestate")
}

/// Run the binary through `sh` under `umask`.
fn under_umask(ws: &Ws, umask: &str, args: &[&str]) -> Output {
    let mut script = format!("umask {umask}; exec \"$0\" --workspace \"$1\"");
    for i in 0..args.len() {
        script.push_str(&format!(" \"${}\"", i + 2));
    }
    Command::new("sh")
        .arg("-c")
        .arg(script)
        .arg(bin())
        .arg(ws.root())
        .args(args)
        .env_remove("OLDESTATE_WORKSPACE")
        .env_remove("OLDESTATE_TODAY")
        .output()
        .unwrap()
}

fn mode(p: &Path) -> u32 {
    std::fs::metadata(p).unwrap().permissions().mode() & 0o777
}

fn set_mode(p: &Path, m: u32) {
    std::fs::set_permissions(p, std::fs::Permissions::from_mode(m)).unwrap();
}

const SHEET: &str = "日期,检查组,人数,小区,问题项,点位\n2026/4/2,甲组,3,P1,X01,1\n";

#[test]
fn a_rewritten_file_keeps_its_mode_and_a_new_one_follows_the_umask() {
    for (umask, new_mode) in [("022", 0o644), ("077", 0o600)] {
        let ws = Ws::fixture("mini");
        ws.write("in/a.csv", SHEET);
        // The ledger exists and was made group-readable by the bureau; the month is new.
        ws.write("data/imports.csv", "imported_at,file,sha256,visits,rows\n");
        set_mode(&ws.path("data/imports.csv"), 0o664);
        let sheet = ws.path("in/a.csv");
        let out = under_umask(
            &ws,
            umask,
            &["inspect", "import", "--level", "street", sheet.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(
            mode(&ws.path("data/imports.csv")),
            0o664,
            "umask {umask}: the ledger kept its mode"
        );
        assert_eq!(mode(&ws.path(APRIL)), new_mode, "umask {umask}: a new month");
        let archived = std::fs::read_dir(ws.path("data/archive"))
            .unwrap()
            .next()
            .unwrap()
            .unwrap();
        assert_eq!(mode(&archived.path()), new_mode, "umask {umask}: the archive copy");
        // A rewritten month keeps the mode it was given, whatever this writer's umask.
        set_mode(&ws.path(APRIL), 0o640);
        ws.write(
            "in/b.csv",
            "日期,检查组,人数,小区,问题项,点位\n2026/4/9,乙组,3,P2,X01,2\n",
        );
        let sheet = ws.path("in/b.csv");
        let out = under_umask(
            &ws,
            umask,
            &["inspect", "import", "--level", "street", sheet.to_str().unwrap()],
        );
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(mode(&ws.path(APRIL)), 0o640, "umask {umask}: the rewritten month");
        assert_eq!(ws.read(APRIL).lines().count(), 3);
    }
}

/// A workbook of one sheet whose cells are (reference, text), in order.
fn workbook(cells: &[(&str, &str)]) -> Vec<u8> {
    let mut xml = String::new();
    for (r, v) in cells {
        xml.push_str(&format!(
            r#"<row><c r="{r}" t="inlineStr"><is><t>{v}</t></is></c></row>"#
        ));
    }
    oldestate::import::book::raw_xlsx(xml.as_bytes())
}

/// Import `bytes` as in/x.xlsx: exit 1, a stderr line containing `message`, store untouched.
#[track_caller]
fn refused(bytes: &[u8], message: &str) {
    refused_as("x.xlsx", bytes, message);
}

/// [`refused`], the file named `name`.
#[track_caller]
fn refused_as(name: &str, bytes: &[u8], message: &str) {
    let ws = Ws::fixture("mini");
    std::fs::create_dir_all(ws.path("in")).unwrap();
    let file = ws.path(&format!("in/{name}"));
    std::fs::write(&file, bytes).unwrap();
    let before = ws.snapshot();
    let r = ws.run(&["inspect", "import", "--level", "street", file.to_str().unwrap()]);
    r.status(1);
    assert!(r.stderr.contains(message), "expected {message:?} in:\n{}", r.stderr);
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn small_workbooks_that_killed_the_tool_exit_1() {
    let header = [
        ("A1", "日期"),
        ("B1", "检查组"),
        ("C1", "人数"),
        ("D1", "小区"),
        ("E1", "问题项"),
        ("F1", "点位"),
    ];
    // A 6 KB workbook with one value at XFD1048576 (and at XFD4000): beyond the header.
    for far in ["XFD1048576", "XFD4000"] {
        let mut cells = header.to_vec();
        cells.push((far, "z"));
        let bytes = workbook(&cells);
        assert!(bytes.len() < 6_144);
        let row = &far[3..];
        refused(&bytes, &format!("第{row}行 XFD列：表头只到F列，此格在表头之外：「z」"));
    }
    for mutated in ["YHP99956", "A9999999999999999999999947"] {
        let mut cells = header.to_vec();
        cells.push((mutated, "z"));
        refused(
            &workbook(&cells),
            &format!("引用了 Excel 表格之外的单元格「{mutated}」"),
        );
    }
    // A zip bomb: 16 MiB of sheet XML in 16 KB (the ratio is refused as the part streams;
    // the 512 MiB budget of all parts is held by `budget`'s unit test).
    let row = b"<row><c><v></v></c></row>";
    let xml: Vec<u8> = row.iter().copied().cycle().take(16 << 20).collect();
    refused(&oldestate::import::book::raw_xlsx(&xml), "疑为压缩炸弹，不予读取");
}

#[test]
fn small_xls_and_ods_that_took_gigabytes_exit_1() {
    let header = ["日期", "检查组", "人数", "小区", "问题项", "点位"];
    // A 2.5 KB .xls with one value at IV65536: calamine laid out 65,536 × 256 cells for it,
    // twice (1.07 GB peak); named .xlsx, it reached calamine's .xls reader all the same.
    let mut cells: Vec<(u16, u16, &str)> = (0..).zip(header).map(|(c, h)| (0, c, h)).collect();
    cells.push((65_535, 255, "z"));
    let xls = oldestate::import::book::raw_xls(&[("S", &cells)]);
    assert!(xls.len() < 4_096, "{}", xls.len());
    for name in ["x.xls", "x.xlsx"] {
        refused_as(
            name,
            &xls,
            "工作表「S」的单元格从第 1 行第 1 列延伸到第 65536 行第 256 列，读取时要铺开 16777216 个单元格，超过上限 2000000 个",
        );
    }
    // .ods, under 1 KB each: a row of 16,384 values repeated 6,000 times (98 million cells,
    // within calamine's own cap of 100 million: over 6.7 GB before it gave up); a cell of two
    // billion spaces (`<text:s text:c>`: 3.9 GB and still growing after 90 s); a table whose
    // XML ends before it does (calamine read on past the end forever).
    let head: String = header
        .iter()
        .map(|h| format!(r#"<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>"#))
        .collect();
    let table = |rows: &str| {
        let xml =
            format!(r#"<table:table table:name="S"><table:table-row>{head}</table:table-row>{rows}</table:table>"#);
        oldestate::import::book::raw_ods(&xml)
    };
    let repeated = table(
        r#"<table:table-row table:number-rows-repeated="6000"><table:table-cell table:number-columns-repeated="16384" office:value-type="float" office:value="1"/></table:table-row>"#,
    );
    refused_as(
        "x.ods",
        &repeated,
        "工作表「S」的单元格从第 1 行第 1 列延伸到第 6001 行第 16384 列",
    );
    let spaces = table(
        r#"<table:table-row><table:table-cell office:value-type="string"><text:p><text:s text:c="2000000000"/></text:p></table:table-cell></table:table-row>"#,
    );
    refused_as("x.ods", &spaces, "工作表「S」读取时要复制超过 64 MiB 的文字");
    let xml = format!(r#"<table:table table:name="S"><table:table-row>{head}</table:table-row>"#);
    let cut = oldestate::import::book::raw_ods(&xml);
    refused_as("x.ods", &cut, "工作表「S」的内容在表格结束前中断（content.xml 不完整）");
}

#[test]
fn small_workbooks_whose_shared_strings_took_gigabytes_exit_1() {
    let header = ["日期", "检查组", "人数", "小区", "问题项", "点位"];
    let long = "x".repeat(32_000);
    let mut strings = header.to_vec();
    strings.push(&long);
    // An .xlsx whose cells all refer to one shared string of 32,000 characters: every cell
    // held its own copy (a million cells, a 2.6 MB file, asked for 32 GB and aborted at the
    // 4 GB address limit); here 120,000 cells, 3.8 GB, refused at the 256 MiB text budget.
    let head: String = (0..6)
        .map(|i| format!(r#"<c r="{}1" t="s"><v>{i}</v></c>"#, char::from(b'A' + i as u8)))
        .collect();
    let mut xml = format!(r#"<row r="1">{head}</row>"#);
    for r in 2..=10_001 {
        let cells: String = ('A'..='L')
            .map(|c| format!(r#"<c r="{c}{r}" t="s"><v>6</v></c>"#))
            .collect();
        xml.push_str(&format!(r#"<row r="{r}">{cells}</row>"#));
    }
    let xlsx = oldestate::import::book::raw_xlsx_shared(&strings, xml.as_bytes());
    assert!(xlsx.len() < 600_000, "{}", xlsx.len());
    refused(
        &xlsx,
        "工作表「S」：读到第 701 行第 1 列时，工作簿各单元格的文字合计已超过 256 MiB",
    );
    // The same in an .xls, 14 bytes a cell: calamine copied the string into every cell as it
    // opened the file, before anything was read.
    let mut cells: Vec<(u16, u16, u32)> = (0..6).map(|c| (0, c, u32::from(c))).collect();
    cells.extend((0..10_000u16).map(|i| (1 + i / 10, i % 10, 6)));
    let xls = oldestate::import::book::raw_xls_shared(&strings, &[("S", &cells)]);
    assert!(xls.len() < 250_000, "{}", xls.len());
    for name in ["x.xls", "x.xlsx"] {
        refused_as(name, &xls, "读到工作表「S」时，各单元格要复制的共享文字合计超过 64 MiB");
    }
}

fn dir(p: &Path) -> std::fs::File {
    std::fs::File::open(p).unwrap()
}

/// Wait until `still` is false, up to 60 s.
#[track_caller]
fn wait_until(mut still: impl FnMut() -> bool, what: &str) {
    let start = std::time::Instant::now();
    while still() {
        assert!(start.elapsed().as_secs() < 60, "timed out waiting until {what}");
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}

/// Wait until some process holds `dir` locked exclusively (a shared lock can no longer be had).
#[track_caller]
fn wait_until_locked(dir: &std::fs::File, what: &str) {
    wait_until(
        || match dir.try_lock_shared() {
            Ok(()) => {
                dir.unlock().unwrap();
                true
            }
            Err(_) => false,
        },
        what,
    );
}

fn spawn(ws: &Ws, wait: &str, args: &[&str]) -> std::process::Child {
    Command::new(bin())
        .arg("--workspace")
        .arg(ws.root())
        .args(args)
        .env(oldestate::workspace::transaction::LOCK_WAIT_ENV, wait)
        .env_remove("OLDESTATE_WORKSPACE")
        .env_remove("OLDESTATE_TODAY")
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap()
}

/// A long sheet of `n` visits of team `team` in April (one row each, compounds P1 and P2 by
/// turns, days 1 to 30).
fn many_visits(team: &str, n: usize) -> String {
    let mut s = String::from("日期,检查组,人数,小区,问题项,点位\n");
    for i in 0..n {
        s.push_str(&format!(
            "2026/4/{},{team}{},3,P{},X01,1\n",
            i % 30 + 1,
            i / 30,
            i % 2 + 1
        ));
    }
    s
}

#[test]
fn deleting_the_lock_file_mid_import_never_lets_two_writers_in() {
    let ws = Ws::fixture("mini");
    ws.write("in/a.csv", &many_visits("甲组", 30_000));
    ws.write("in/b.csv", &many_visits("乙组", 30));
    let a = spawn(
        &ws,
        "120",
        &[
            "inspect",
            "import",
            "--level",
            "street",
            ws.path("in/a.csv").to_str().unwrap(),
        ],
    );
    // Once the first import holds the store, its lock file (git-ignored: `git clean -fdX`) is
    // deleted and a second import started.
    let data = dir(&ws.path("data"));
    wait_until_locked(&data, "the first import holds the store");
    let _ = std::fs::remove_file(ws.path("data/.oldestate.lock"));
    let b = spawn(
        &ws,
        "120",
        &[
            "inspect",
            "import",
            "--level",
            "street",
            ws.path("in/b.csv").to_str().unwrap(),
        ],
    );
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(a.status.success(), "{}", String::from_utf8_lossy(&a.stderr));
    assert!(b.status.success(), "{}", String::from_utf8_lossy(&b.stderr));
    // Both landed: 30,000 + 30 visits, one row each, and both sheets in the ledger.
    assert_eq!(ws.read(APRIL).lines().count(), 1 + 30_030);
    assert_eq!(ws.read("data/imports.csv").lines().count(), 3);
}

#[test]
fn a_reader_arriving_while_a_writer_waits_queues_behind_it() {
    let ws = Ws::fixture("mini");
    ws.write("in/a.csv", SHEET);
    // A long report holds the store shared.
    let data = dir(&ws.path("data"));
    data.lock_shared().unwrap();
    let import = spawn(
        &ws,
        "60",
        &[
            "inspect",
            "import",
            "--level",
            "street",
            ws.path("in/a.csv").to_str().unwrap(),
        ],
    );
    // The import announces itself on the workspace directory and waits for the report.
    let root = dir(ws.root());
    wait_until_locked(&root, "the import announces that it waits");
    // A report started now waits behind the import (here, for one second, then gives up).
    let late = spawn(&ws, "1", &["score", "--period", "2026-03"])
        .wait_with_output()
        .unwrap();
    assert_eq!(late.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&late.stderr).contains("工作区被占用：另一个 oldestate 正在写入"),
        "{}",
        String::from_utf8_lossy(&late.stderr)
    );
    // The long report ends: the import lands.
    data.unlock().unwrap();
    let import = import.wait_with_output().unwrap();
    assert!(import.status.success(), "{}", String::from_utf8_lossy(&import.stderr));
    assert_eq!(ws.read(APRIL).lines().count(), 2);
}

#[test]
fn an_import_lands_within_seconds_while_reports_loop() {
    let ws = Ws::fixture("mini");
    ws.write("in/a.csv", SHEET);
    let done = std::sync::atomic::AtomicBool::new(false);
    std::thread::scope(|s| {
        for _ in 0..3 {
            s.spawn(|| {
                while !done.load(std::sync::atomic::Ordering::Relaxed) {
                    let r = spawn(&ws, "120", &["score", "--period", "2026-03"])
                        .wait_with_output()
                        .unwrap();
                    assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
                }
            });
        }
        std::thread::sleep(std::time::Duration::from_millis(500));
        let start = std::time::Instant::now();
        let r = spawn(
            &ws,
            "20",
            &[
                "inspect",
                "import",
                "--level",
                "street",
                ws.path("in/a.csv").to_str().unwrap(),
            ],
        )
        .wait_with_output()
        .unwrap();
        done.store(true, std::sync::atomic::Ordering::Relaxed);
        assert!(r.status.success(), "{}", String::from_utf8_lossy(&r.stderr));
        assert!(start.elapsed().as_secs() < 20);
    });
    assert_eq!(ws.read(APRIL).lines().count(), 2);
}

/// Import `text` (written to in/NAME) at street level with `extra` arguments.
fn import_text(ws: &Ws, name: &str, text: &str, extra: &[&str]) -> crate::harness::Run {
    ws.write(&format!("in/{name}"), text);
    let path = ws.path(&format!("in/{name}"));
    let mut args = vec!["inspect", "import", "--level", "street", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    ws.run(&args)
}

/// Import `text` (written to in/NAME) with `extra` arguments only.
fn plain_import(ws: &Ws, name: &str, text: &str, extra: &[&str]) -> crate::harness::Run {
    ws.write(&format!("in/{name}"), text);
    let path = ws.path(&format!("in/{name}"));
    let mut args = vec!["inspect", "import", path.to_str().unwrap()];
    args.extend_from_slice(extra);
    ws.run(&args)
}

#[test]
fn two_teams_whose_old_ids_collided_are_two_visits() {
    // A272组1 and A2905组1 at P1 on 2026-04-02 shared the 24-bit id S20260402-P1-a6ccd1.
    let ws = Ws::fixture("mini");
    import_text(
        &ws,
        "a.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/4/2,A272组1,3,P1,X01,1\n",
        &[],
    )
    .status(0);
    import_text(
        &ws,
        "b.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/4/2,A2905组1,3,P1,X01,2\n",
        &[],
    )
    .status(0);
    assert_eq!(
        ws.read(APRIL),
        "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note
S20260402-P1-a6ccd11b1d9dc997,2026-04-02,street,routine,A272组1,3,P1,X01,1,0,
S20260402-P1-a6ccd1308ea8ace5,2026-04-02,street,routine,A2905组1,3,P1,X01,2,0,
"
    );
}

#[test]
fn a_store_with_old_ids_still_matches_its_sheets() {
    use chrono::NaiveDate;
    use oldestate::model::{Level, Purpose};
    let ws = Ws::fixture("mini");
    let old = oldestate::import::legacy_visit_id(
        NaiveDate::from_ymd_opt(2026, 4, 2).unwrap(),
        Level::Street,
        Purpose::Routine,
        "A272组1",
        "P1",
    );
    assert_eq!(old, "S20260402-P1-a6ccd1");
    let stored = format!(
        "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\n{old},2026-04-02,street,routine,A272组1,3,P1,X01,1,0,\n"
    );
    ws.write(APRIL, &stored);
    let a = "日期,检查组,人数,小区,问题项,点位\n2026/4/2,A272组1,3,P1,X01,1\n";
    // The same visit: skipped, the store unchanged.
    import_text(&ws, "a.csv", a, &[])
        .status(0)
        .stderr_line("已导入 1 个文件，1 次检查：新增 0，替换 0，已入库（略过）1；0 行；写入月份：无");
    assert_eq!(ws.read(APRIL), stored);
    // The other team whose old id was the same is another visit, not a conflict.
    import_text(
        &ws,
        "b.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/4/2,A2905组1,3,P1,X01,2\n",
        &[],
    )
    .status(0);
    assert_eq!(ws.read(APRIL).lines().count(), 3);
    // The same visit with other findings replaces the old-id rows with --replace.
    let changed = "日期,检查组,人数,小区,问题项,点位\n2026/4/2,A272组1,3,P1,X02,4\n";
    import_text(&ws, "c.csv", changed, &[]).status(1);
    import_text(&ws, "c.csv", changed, &["--replace"]).status(0);
    let april = ws.read(APRIL);
    assert!(!april.contains(&format!("{old},")), "{april}");
    assert!(
        april.contains("S20260402-P1-a6ccd11b1d9dc997,2026-04-02,street,routine,A272组1,3,P1,X02,4,0,"),
        "{april}"
    );
}

#[test]
fn replace_takes_only_the_same_visit_and_archives_what_it_replaced() {
    let ws = Ws::fixture("mini");
    let march = "data/inspections/2026/2026-03.csv";
    let before = ws.read(march);
    // T1 is stored: 2026-03-05, third party, routine, 第三方一组, P1. A sheet giving T1 to
    // another team's visit is refused even with --replace, naming both visits.
    let other =
        "visit_id,date,level,team,inspectors,compound_id,item,count\nT1,2026-03-05,third_party,第三方二组,3,P1,X01,3\n";
    let r = plain_import(&ws, "other.csv", other, &["--replace"]);
    r.status(1).stderr_line(&format!(
        "oldestate: {} 第2行：检查编号 T1 已被另一次检查占用：库中（data/inspections/2026/2026-03.csv:2）为 2026-03-05 third_party routine 检查组「第三方一组」 小区 P1，本表为 2026-03-05 third_party routine 检查组「第三方二组」 小区 P1。这是两次不同的检查，--replace 不会替换另一次检查：请为这次检查另编号",
        ws.path("in/other.csv").display()
    ));
    assert_eq!(ws.read(march), before);
    // The same visit with other findings is replaced; its old rows go to the archive.
    let same =
        "visit_id,date,level,team,inspectors,compound_id,item,count\nT1,2026-03-05,third_party,第三方一组,3,P1,X01,3\n";
    let r = plain_import(&ws, "same.csv", same, &["--replace"]);
    r.status(0);
    let ledger = ws.read("data/imports.csv");
    let last = ledger.lines().last().unwrap();
    let fields: Vec<&str> = last.split(',').collect();
    assert_eq!(
        (fields[1], fields[3], fields[4]),
        ("replaced-by:same.csv", "1", "2"),
        "{ledger}"
    );
    let archive = format!("data/archive/{}.csv", fields[2]);
    r.stderr_line(&format!(
        "被替换的记录已存档于 {archive}（已记入 data/imports.csv）；如需恢复：oldestate inspect import --replace {archive}"
    ));
    let old_rows: Vec<&str> = before.lines().filter(|l| l.starts_with("T1,")).collect();
    assert_eq!(old_rows.len(), 2);
    assert_eq!(
        ws.read(&archive),
        format!(
            "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\n{}\n",
            old_rows.join("\n")
        )
    );
    assert!(!ws.read(march).contains("X02"));
    // Restoring is importing the archive back with --replace: the same visit, its photos
    // gathered on its first row as import stores them (5 + 2).
    ws.run(&["inspect", "import", "--replace", &archive]).status(0);
    assert_eq!(
        ws.read(march),
        before
            .replace("P1,X01,2,5,", "P1,X01,2,7,")
            .replace("P1,X02,1,2,", "P1,X02,1,0,")
    );
    ws.run(&["check", "--strict"]).status(0);
}

#[test]
fn cells_beyond_the_header_and_control_characters_are_refused_with_their_column() {
    let ws = Ws::fixture("mini");
    let sheet = ws.path("in/a.csv").display().to_string();
    import_text(&ws, "a.csv", "日期,检查组,人数,小区,问题项,点位\n2026/4/2,甲组,3,P1,X01,1,楼道堆物\n", &[])
        .status(1)
        .stderr_line(&format!(
            "oldestate: {sheet} 第2行 G列：表头只到F列，此格在表头之外：「楼道堆物」。请给这一列填上表头，或删去表头之外的内容"
        ));
    // ESC and BEL in a team name: refused, and the message does not ring or recolour the
    // terminal (stderr carries no control character at all).
    let r = import_text(
        &ws,
        "a.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/4/2,甲组\u{1b}[31m\u{7},3,P1,X01,1\n",
        &[],
    );
    r.status(1).stderr_line(&format!(
        "oldestate: {sheet} 第2行 B列「检查组」：含控制字符 U+001B（看不见的字符，多由复制粘贴或系统导出带入）。请删去该字符后另存"
    ));
    assert!(!r.stderr.chars().any(|c| c.is_control() && c != '\n'), "{:?}", r.stderr);
    // An unknown compound named with ESC is echoed, escaped.
    let r = import_text(
        &ws,
        "a.csv",
        "日期,检查组,人数,小区,问题项,点位\n2026/4/2,甲组,3,P\u{1b}9,X01,1\n",
        &[],
    );
    r.status(1);
    assert!(r.stderr.contains("P\\u{1b}9"), "{}", r.stderr);
    assert!(!r.stderr.chars().any(|c| c.is_control() && c != '\n'), "{:?}", r.stderr);
    // Tab and a CRLF inside a quoted note are text, not control.
    import_text(
        &ws,
        "a.csv",
        "日期,检查组,人数,小区,问题项,点位,备注\n2026/4/2,甲组,3,P1,X01,1,\"东侧\t两处\r\n西侧\"\n",
        &[],
    )
    .status(0);
}

#[test]
fn explain_refuses_csv_instead_of_writing_its_table() {
    let ws = Ws::fixture("mini");
    ws.run(&["score", "--period", "2026-03", "--explain", "P1", "--format", "csv"])
        .status(2)
        .stderr_line("oldestate: `score --explain` does not write --format csv: use table or json");
}

#[test]
fn funds_and_areas_too_large_are_refused_not_a_panic() {
    let ws = Ws::fixture("mini");
    ws.write(
        "data/funds/2026H1.toml",
        &crate::subsidy::FUNDS.replace("\"1\" = \"0.30\"", "\"1\" = \"1000000000000000000\""),
    );
    ws.run(&["check"])
        .status(1)
        .stdout_line("data/funds/2026H1.toml: [rates] 中“1”为 1000000000000000000，不能超过 10000（元/平方米·月）");
    let r = ws.run(&["subsidy", "--period", "2026H1", "--as-of", "2026-07-01"]);
    r.status(1);
    assert!(
        r.stderr.contains("[rates] 中“1”为 1000000000000000000，不能超过 10000"),
        "{}",
        r.stderr
    );
    // An area no compound has, with real rates: the arithmetic is checked.
    ws.write("data/funds/2026H1.toml", crate::subsidy::FUNDS);
    ws.replace(
        "data/registry/compounds.csv",
        "21000.50",
        "79000000000000000000000000000",
    );
    for args in [
        &["subsidy", "--period", "2026H1", "--as-of", "2026-07-01"][..],
        &["standards", "diff", "--period", "2026H1", "--against", "HEAD"][..],
    ] {
        let r = ws.run(args);
        assert!(r.code == 1 || r.code == 0, "{args:?}: exit {}\n{}", r.code, r.stderr);
        assert!(!r.stderr.contains("panicked"), "{}", r.stderr);
    }
    ws.run(&["subsidy", "--period", "2026H1", "--as-of", "2026-07-01"])
        .status(1)
        .stderr_line("oldestate: data/funds/2026H1.toml：小区 P1：补贴金额过大，无法精确计算：请核对 data/registry/compounds.csv 中该小区的面积 area_m2 和资金文件中的补贴标准");
}

#[test]
fn out_and_notices_refuse_the_store() {
    let ws = Ws::fixture("mini");
    let before = ws.snapshot();
    let registry = ws.path("data/registry/compounds.csv");
    let r = ws.run(&[
        "bulletin",
        "--period",
        "2026H1",
        "--as-of",
        "2026-07-01",
        "--out",
        registry.to_str().unwrap(),
    ]);
    r.status(2).stderr_line(&format!(
        "oldestate: --out {} 位于工作区的 data/ 之内：报表和文书从不写入 data/ 或 standards/（会覆盖数据）；请另选这两个目录以外的路径",
        registry.display()
    ));
    // Relative to the workspace, and through `..`.
    let sneaky = ws.root().join("in/../standards/b.md");
    ws.run(&[
        "bulletin",
        "--period",
        "2026H1",
        "--as-of",
        "2026-07-01",
        "--out",
        sneaky.to_str().unwrap(),
    ])
    .status(2);
    ws.run(&[
        "bulletin",
        "--period",
        "2026H1",
        "--as-of",
        "2026-07-01",
        "--out",
        "data/b.md",
    ])
    .status(2);
    ws.run(&[
        "recheck",
        "--period",
        "2026H1",
        "--as-of",
        "2026-07-01",
        "--notices",
        "data/notices",
    ])
    .status(2);
    // An import's list of problems is refused there too, before any sheet is read.
    ws.write("bad.csv", "not a sheet\n");
    ws.run(&["inspect", "import", "--errors", "data/registry/streets.csv", "bad.csv"])
        .status(2)
        .stderr_line("oldestate: --errors data/registry/streets.csv 位于工作区的 data/ 之内：报表和文书从不写入 data/ 或 standards/（会覆盖数据）；请另选这两个目录以外的路径");
    assert_eq!(ws.snapshot(), before);
    assert!(!ws.path("standards/b.md").exists() && !ws.path("data/notices").exists());
}

#[test]
fn check_reports_a_killed_imports_leftovers_and_clean_removes_them() {
    let ws = Ws::fixture("mini");
    ws.write("data/inspections/2026/.oldestate-tmp-Ab12Cd", "half a month");
    ws.write(
        "data/.oldestate.new",
        "data/inspections/2026/.oldestate-tmp-Ab12Cd\tdata/inspections/2026/2026-04.csv\n",
    );
    let fix = "被强行终止的导入留下的文件（不属于数据）：请用 `oldestate inspect clean` 清除";
    ws.run(&["check"])
        .status(0)
        .stdout_line(&format!("data/.oldestate.new: 警告：{fix}"))
        .stdout_line(&format!("data/inspections/2026/.oldestate-tmp-Ab12Cd: 警告：{fix}"));
    ws.run(&["check", "--strict"]).status(1);
    let before_store = ws.read("data/inspections/2026/2026-03.csv");
    ws.run(&["inspect", "clean"])
        .status(0)
        .stderr_line("已删除 data/.oldestate.new")
        .stderr_line("已删除 data/inspections/2026/.oldestate-tmp-Ab12Cd");
    assert!(!ws.path("data/.oldestate.new").exists());
    assert!(!ws.path("data/inspections/2026/.oldestate-tmp-Ab12Cd").exists());
    assert_eq!(ws.read("data/inspections/2026/2026-03.csv"), before_store);
    ws.run(&["check", "--strict"]).status(0);
    ws.run(&["inspect", "clean"])
        .status(0)
        .stderr_line("没有需要清理的残留文件");
}
