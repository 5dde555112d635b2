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
        let out = under_umask(&ws, umask, &["inspect", "import", "--level", "street", sheet.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(mode(&ws.path("data/imports.csv")), 0o664, "umask {umask}: the ledger kept its mode");
        assert_eq!(mode(&ws.path(APRIL)), new_mode, "umask {umask}: a new month");
        let archived = std::fs::read_dir(ws.path("data/archive")).unwrap().next().unwrap().unwrap();
        assert_eq!(mode(&archived.path()), new_mode, "umask {umask}: the archive copy");
        // A rewritten month keeps the mode it was given, whatever this writer's umask.
        set_mode(&ws.path(APRIL), 0o640);
        ws.write("in/b.csv", "日期,检查组,人数,小区,问题项,点位\n2026/4/9,乙组,3,P2,X01,2\n");
        let sheet = ws.path("in/b.csv");
        let out = under_umask(&ws, umask, &["inspect", "import", "--level", "street", sheet.to_str().unwrap()]);
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(mode(&ws.path(APRIL)), 0o640, "umask {umask}: the rewritten month");
        assert_eq!(ws.read(APRIL).lines().count(), 3);
    }
}

/// A workbook of one sheet whose cells are (reference, text), in order.
fn workbook(cells: &[(&str, &str)]) -> Vec<u8> {
    let mut xml = String::new();
    for (r, v) in cells {
        xml.push_str(&format!(r#"<row><c r="{r}" t="inlineStr"><is><t>{v}</t></is></c></row>"#));
    }
    oldestate::import::book::raw_xlsx(xml.as_bytes())
}

/// Import `bytes` as in/x.xlsx: exit 1, a stderr line containing `message`, store untouched.
#[track_caller]
fn refused(bytes: &[u8], message: &str) {
    let ws = Ws::fixture("mini");
    std::fs::create_dir_all(ws.path("in")).unwrap();
    std::fs::write(ws.path("in/x.xlsx"), bytes).unwrap();
    let before = ws.snapshot();
    let r = ws.run(&["inspect", "import", "--level", "street", ws.path("in/x.xlsx").to_str().unwrap()]);
    r.status(1);
    assert!(r.stderr.contains(message), "expected {message:?} in:\n{}", r.stderr);
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn small_workbooks_that_killed_the_tool_exit_1() {
    let header = [("A1", "日期"), ("B1", "检查组"), ("C1", "人数"), ("D1", "小区"), ("E1", "问题项"), ("F1", "点位")];
    // A 6 KB workbook with one value at XFD1048576 (and at XFD4000): beyond the header.
    for far in ["XFD1048576", "XFD4000"] {
        let mut cells = header.to_vec();
        cells.push((far, "z"));
        let bytes = workbook(&cells);
        assert!(bytes.len() < 6_144);
        let row = &far[3..];
        refused(
            &bytes,
            &format!("第{row}行 XFD列：表头只到F列，此格在表头之外：「z」"),
        );
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
