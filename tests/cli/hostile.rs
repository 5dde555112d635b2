//! Hostile input: the bad-input corpus of `tests/fixtures/bad/`, huge fields, sheets full of
//! errors, and imports killed at random points. Every case exits 1 with a located message and
//! leaves the store as it was; a killed import leaves the old store or the new one, whole.

use std::path::Path;

use crate::harness::Ws;

fn bad(name: &str) -> String {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(name)
        .display()
        .to_string()
}

/// Import `file`: exit 1, this message (a prefix of one stderr line), store untouched.
#[track_caller]
fn refused(file: &str, message: &str) {
    let ws = Ws::fixture("mini");
    let before = ws.snapshot();
    let r = ws.run(&["inspect", "import", "--level", "street", file]);
    r.status(1);
    assert!(
        r.stderr
            .lines()
            .any(|l| l.starts_with(&format!("oldestate: {file}")) && l.contains(message)),
        "expected {message:?} in:\n{}",
        r.stderr
    );
    assert_eq!(ws.snapshot(), before, "the store changed");
}

#[test]
fn the_bad_input_corpus_is_refused_with_clear_messages() {
    refused(&bad("empty.csv"), "：找不到表头");
    refused(&bad("header-only.csv"), " 第1行：表中只有表头，没有检查记录");
    refused(&bad("random.csv"), "既不是 UTF-8 也不是 GB18030 编码");
    refused(&bad("neither-encoding.csv"), " 第3行：既不是 UTF-8 也不是 GB18030 编码");
    refused(&bad("fake.xlsx"), "：不是可读的 .xlsx 工作簿");
    refused(&bad("truncated.xlsx"), "：不是可读的 .xlsx 工作簿");
    refused(
        &bad("overflow.csv"),
        " 第2行 F列「点位」：应为问题点位数（0 至 1000000 的整数），实为「99999999999999999999999」",
    );
    refused(&bad("overflow.csv"), " 第3行 C列「人数」：应为检查人数");
    refused(
        &bad("impossible-dates.csv"),
        " 第3行 A列「日期」：应为检查日期，实为「2026年13月1日」",
    );
    refused(&bad("unknown-level.csv"), " 第2行 B列「检查层级」：应为检查层级");
}

#[test]
fn a_ten_megabyte_field_is_an_error_not_a_crash() {
    let ws = Ws::fixture("mini");
    let huge = "楼".repeat(3_500_000);
    ws.write(
        "in/huge.csv",
        &format!("日期,检查组,人数,小区,问题项,点位\n2026-04-02,甲组,3,{huge},X01,1\n"),
    );
    let before = ws.snapshot();
    let r = ws.run(&[
        "inspect",
        "import",
        "--level",
        "street",
        ws.path("in/huge.csv").to_str().unwrap(),
    ]);
    r.status(1);
    assert!(
        r.stderr.contains(" 第2行 D列「小区」：登记册中没有小区「楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼楼…（3500000 字）」"),
        "{}",
        &r.stderr[..r.stderr.len().min(300)]
    );
    assert!(r.stderr.len() < 1000, "the value is not printed whole");
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_sheet_with_a_thousand_errors_lists_them_all() {
    let ws = Ws::fixture("mini");
    let mut text = String::from("日期,检查组,人数,小区,问题项,点位\n");
    for i in 0..1000 {
        text += &format!("2026-04-{:02},甲组,3,P{},X01,1\n", 1 + i % 28, 100 + i);
    }
    ws.write("in/errors.csv", &text);
    let before = ws.snapshot();
    let errors = ws.path("errors-for-the-street.csv");
    let r = ws.run(&[
        "inspect",
        "import",
        "--level",
        "street",
        ws.path("in/errors.csv").to_str().unwrap(),
        "--errors",
        errors.to_str().unwrap(),
    ]);
    // Every error is said: a thousand different unknown compounds, a line each.
    r.status(1).stderr_line("oldestate: 1000 个错误，未写入任何文件");
    assert_eq!(r.stderr.lines().count(), 1001);
    let sheet = ws.path("in/errors.csv").display().to_string();
    let last = format!("oldestate: {sheet} 第1001行 D列「小区」：登记册中没有小区「P1099」");
    assert!(r.stderr.lines().any(|l| l.starts_with(&last)), "{}", r.stderr);
    // And written for the person who fixes the sheet, one line each, with a BOM for Excel.
    let csv = std::fs::read_to_string(&errors).unwrap();
    assert!(
        csv.starts_with("\u{feff}文件,工作表,行,列,列名,单元格内容,级别,问题,修改建议\n"),
        "{csv}"
    );
    assert_eq!(csv.lines().count(), 1001);
    std::fs::remove_file(&errors).unwrap();
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn an_import_killed_at_random_points_leaves_the_old_store_or_the_new_one() {
    // The sheet: a few thousand visits to April, enough that a kill lands inside the work.
    let mut text = String::from("日期,检查组,人数,小区,问题项,点位\n");
    for i in 0..6000 {
        text += &format!("2026-04-{:02},组{},3,P{},X01,1\n", 1 + i % 28, i, 1 + i % 2);
    }
    // The store the import produces when it is left alone.
    let reference = Ws::fixture("mini");
    reference.write("in/s.csv", &text);
    reference
        .run(&[
            "inspect",
            "import",
            "--level",
            "street",
            reference.path("in/s.csv").to_str().unwrap(),
        ])
        .status(0);
    let finished = reference.read("data/inspections/2026/2026-04.csv");
    for i in 0..12u64 {
        let ws = Ws::fixture("mini");
        ws.write("in/s.csv", &text);
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_oldestate"))
            .args([
                "--workspace",
                ws.root().to_str().unwrap(),
                "-q",
                "inspect",
                "import",
                "--level",
                "street",
                ws.path("in/s.csv").to_str().unwrap(),
            ])
            .spawn()
            .unwrap();
        // Spread the kills over the run: from at once to after it has finished.
        std::thread::sleep(std::time::Duration::from_millis(i * i * 3));
        let _ = child.kill();
        let _ = child.wait();
        // The next command finishes a committed import or leaves the old store; either way the
        // store checks clean and the lock is free (check takes it when a journal is left).
        ws.run(&["check"]).status(0);
        match std::fs::read_to_string(ws.path("data/inspections/2026/2026-04.csv")) {
            // Killed before its commit point: April was never written.
            Err(_) => {}
            Ok(april) => {
                assert_eq!(april, finished, "a half-written month after a kill at {} ms", i * i * 3);
            }
        }
        let march = ws.read("data/inspections/2026/2026-03.csv");
        assert_eq!(march, Ws::fixture("mini").read("data/inspections/2026/2026-03.csv"));
        // And a new import runs: the dead process's lock is gone.
        ws.run(&[
            "inspect",
            "import",
            "--level",
            "street",
            ws.path("in/s.csv").to_str().unwrap(),
        ])
        .status(0);
        assert_eq!(ws.read("data/inspections/2026/2026-04.csv"), finished);
    }
}

#[test]
fn names_that_look_like_formulas_are_neutralised_in_every_csv() {
    let ws = crate::score::with_store(&["T1,2026-02-03,third_party,routine,甲组,3,P1,X01,5,4,"]);
    ws.replace(
        "data/registry/compounds.csv",
        "P1,C1,南营门里,",
        "P1,C1,\"=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",",
    );
    ws.replace("data/registry/streets.csv", "S1,劝业场街", "S1,+劝业场街");
    ws.write("data/funds/2026H1.toml", "period = \"2026H1\"\n[rates]\n\"1\" = \"0.30\"\n\"2\" = \"0.25\"\n\"3\" = \"0.20\"\n[coefficients]\n\"优秀\" = \"1.00\"\n\"良好\" = \"0.95\"\n\"合格\" = \"0.90\"\n\"不合格\" = \"0.60\"\nrectified = \"0.85\"\nrecheck_failed = \"0.30\"\nunresolved = \"0\"\nnot_assessed = \"0.80\"\n");
    let outputs = [
        ws.run(&["score", "--period", "2026H1", "--format", "csv"]),
        ws.run(&["score", "--period", "2026H1", "--format", "csv", "--by", "street"]),
        ws.run(&[
            "recheck",
            "--period",
            "2026H1",
            "--as-of",
            "2026-03-01",
            "--format",
            "csv",
        ]),
        ws.run(&[
            "subsidy",
            "--period",
            "2026H1",
            "--as-of",
            "2026-03-01",
            "--format",
            "csv",
            "--by",
            "street",
        ]),
        ws.run(&["inspect", "coverage", "--period", "2026H1", "--format", "csv"]),
    ];
    for r in &outputs {
        r.status(0);
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(r.stdout.as_bytes());
        for rec in rdr.records() {
            for cell in rec.unwrap().iter() {
                assert!(
                    !cell.starts_with(['=', '+', '@', '\t', '\r']),
                    "unsafe cell {cell:?} in\n{}",
                    r.stdout
                );
                // A leading '-' is a negative number or neutralised text.
                assert!(
                    !cell.starts_with('-') || cell.parse::<f64>().is_ok(),
                    "unsafe cell {cell:?}"
                );
            }
        }
    }
    assert!(outputs[0].stdout.contains("'=HYPERLINK"), "{}", outputs[0].stdout);
    assert!(outputs[1].stdout.contains("'+劝业场街"), "{}", outputs[1].stdout);
}
