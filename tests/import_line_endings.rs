//! `inspect import` of one messy sheet (a title row, the header, a note over two lines, a blank
//! line, a bad date, a 合计 footer) saved with every line ending an office's Excel or WPS
//! writes: LF, CRLF and CR alone (old Excel for Mac's "CSV (Macintosh)"), in UTF-8, GB18030
//! and UTF-16 "Unicode text". Every message names the same row whatever the endings.

#[allow(dead_code)]
#[path = "cli/harness.rs"]
mod harness;

use harness::Ws;

/// The line endings a sheet may be saved with.
const ENDINGS: [(&str, &str); 3] = [("LF", "\n"), ("CRLF", "\r\n"), ("CR", "\r")];

/// How a sheet's text is saved: its name, its delimiter, and its bytes from its text.
type Saving = (&'static str, &'static str, fn(&str) -> Vec<u8>);

const SAVINGS: [Saving; 4] = [
    ("UTF-8", ",", |t| t.as_bytes().to_vec()),
    ("GB18030", ",", |t| encoding_rs::GB18030.encode(t).0.into_owned()),
    ("UTF-16LE", "\t", |t| utf16(t, u16::to_le_bytes, [0xFF, 0xFE])),
    ("UTF-16BE", "\t", |t| utf16(t, u16::to_be_bytes, [0xFE, 0xFF])),
];

fn utf16(text: &str, unit: fn(u16) -> [u8; 2], bom: [u8; 2]) -> Vec<u8> {
    bom.into_iter().chain(text.encode_utf16().flat_map(unit)).collect()
}

/// The sheet, its lines ended by `end` (the note's line break too), cells split by `sep`;
/// `date` is the date of the visit on line 7.
fn sheet(end: &str, sep: &str, date: &str) -> String {
    [
        "2026年4月第三方检查记录表,,,,,,,,,",
        "日期,检查层级,检查类型,检查组,人数,小区,问题项,点位,照片,备注",
        "2026/4/2,第三方,日常,第三方一组,3,南营门,私装地锁,2,5,\"东侧\n两处\"",
        "2026/4/2,第三方,日常,第三方一组,3,南营门,X02,1,3,",
        "",
        &format!("{date},第三方,日常,第三方一组,3,福明里,,,4,"),
        "合计,,,,,,,3,12,",
    ]
    .map(|line| line.replace(',', sep).replace('\n', end) + end)
    .concat()
}

/// Import `bytes` as `in/sheet.csv` (`.txt` for UTF-16, as Excel names "Unicode text").
fn import(ws: &Ws, saving: &str, bytes: &[u8]) -> harness::Run {
    let name = if saving.starts_with("UTF-16") {
        "in/sheet.txt"
    } else {
        "in/sheet.csv"
    };
    std::fs::create_dir_all(ws.path("in")).unwrap();
    std::fs::write(ws.path(name), bytes).unwrap();
    // Run in the workspace: messages name the sheet as given.
    ws.run(&["inspect", "import", name])
}

/// What import says of the sheet with a bad date, in every saving: its row is 7 (the note's
/// second line is line 4, line 6 is blank).
fn expected_refusal(file: &str) -> String {
    format!(
        "oldestate: {file} 第7行 A列「日期」：应为检查日期，实为「2026年4月33日」。\
         请写成 2026-03-05、2026/3/5 或 2026年3月5日\n\
         oldestate: 1 个错误，未写入任何文件\n"
    )
}

#[test]
fn a_bad_date_is_on_the_same_row_whatever_the_line_endings() {
    for (saving, sep, encode) in SAVINGS {
        let file = if saving.starts_with("UTF-16") {
            "in/sheet.txt"
        } else {
            "in/sheet.csv"
        };
        for (ending, end) in ENDINGS {
            let ws = Ws::fixture("mini");
            let before = ws.snapshot();
            let r = import(&ws, saving, &encode(&sheet(end, sep, "2026年4月33日")));
            r.status(1);
            assert_eq!(r.stderr, expected_refusal(file), "{saving} {ending}");
            // All or nothing: the store is as it was.
            assert_eq!(ws.snapshot(), before, "{saving} {ending}");
        }
    }
}

#[test]
fn a_good_sheet_is_read_alike_whatever_the_line_endings() {
    for (saving, sep, encode) in SAVINGS {
        for (ending, end) in ENDINGS {
            let ws = Ws::fixture("mini");
            let r = import(&ws, saving, &encode(&sheet(end, sep, "2026年4月3日")));
            let file = if saving.starts_with("UTF-16") { "txt" } else { "csv" };
            assert_eq!(
                r.status(0).stderr,
                format!(
                    "in/sheet.{file}：2 次检查（略过 第1行：标题；第8行：合计）\n\
                     已导入 1 个文件，2 次检查：新增 2，替换 0，已入库（略过）0；3 行；写入月份：2026-04\n"
                ),
                "{saving} {ending}"
            );
            // Each visit's source rows: where its rows start.
            let sources: Vec<String> = ws
                .read("data/sources.csv")
                .lines()
                .skip(1)
                .map(|l| {
                    let f: Vec<&str> = l.split(',').collect();
                    format!("{} {} {}", f[1], f[3], f[6])
                })
                .collect();
            assert_eq!(
                sources,
                [
                    format!("T20260402-P1-9d12748cee48bd00 sheet.{file} 3;5"),
                    format!("T20260403-P2-6222f52ebf2e9d2b sheet.{file} 7"),
                ],
                "{saving} {ending}"
            );
            // A CRLF note keeps its CRLF, as it always did; a CR alone is stored as LF, as the
            // same sheet saved with LF stores it.
            let note = format!("\"东侧{}两处\"", if end == "\r\n" { "\r\n" } else { "\n" });
            assert_eq!(
                ws.read("data/inspections/2026/2026-04.csv"),
                format!(
                    "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\n\
                     T20260402-P1-9d12748cee48bd00,2026-04-02,third_party,routine,第三方一组,3,P1,X01,2,8,{note}\n\
                     T20260402-P1-9d12748cee48bd00,2026-04-02,third_party,routine,第三方一组,3,P1,X02,1,0,\n\
                     T20260403-P2-6222f52ebf2e9d2b,2026-04-03,third_party,routine,第三方一组,3,P2,,0,4,\n"
                ),
                "{saving} {ending}"
            );
            ws.run(&["check", "--strict"]).status(0);
        }
    }
}

/// A team over two lines of its cell is one team whatever the sheet's line endings: a CR
/// alone is stored as LF, so the sheet saved as "CSV (Macintosh)" derives the visit ids the
/// LF sheet did and adds nothing to the store (the team is part of a derived id).
#[test]
fn a_team_over_two_lines_is_the_same_team_with_cr_or_lf() {
    let ws = Ws::fixture("mini");
    let text = |end: &str| {
        [
            "日期,检查层级,检查类型,检查组,人数,小区,问题项,点位,照片,备注",
            "2026/4/2,第三方,日常,\"第三方\n二组\",3,南营门,私装地锁,2,5,",
        ]
        .map(|line| line.replace('\n', end) + end)
        .concat()
    };
    import(&ws, "UTF-8", text("\n").as_bytes()).status(0);
    let month = "data/inspections/2026/2026-04.csv";
    let stored = ws.read(month);
    assert!(stored.contains(",\"第三方\n二组\",3,P1,X01,2,5,\n"), "{stored}");
    import(&ws, "UTF-8", text("\r").as_bytes()).status(0);
    assert_eq!(ws.read(month), stored);
}
