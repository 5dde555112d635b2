//! `inspect import` on the forms offices really hand in (DESIGN §10 "Real forms"): each form
//! of the same three visits stores exactly the rows the plain sheet stores, and the forms that
//! could give a wrong number are refused or flagged with a message that says where and why.
//!
//! The `mini` fixture: 南营门里 (P1), 福明里 (P2), 长沙路小区 (P4); items 私装地锁 (X01),
//! 楼道清扫保洁 (X02), 飞线充电 (X03).

use rust_xlsxwriter::{Format, Workbook, Worksheet};

use crate::harness::{Run, Ws};

/// The three visits, as the plain form: a header on row 1, one row per visit.
const PLAIN: &str = "日期,检查组,人数,小区,私装地锁,楼道清扫保洁
2026-04-02,甲组,3,南营门里,2,1
2026-04-02,甲组,3,福明里,0,3
2026-04-03,乙组,2,长沙路小区,1,0
";

/// The header and rows of [`PLAIN`], as cells.
fn plain_rows() -> Vec<Vec<String>> {
    PLAIN
        .lines()
        .map(|l| l.split(',').map(String::from).collect())
        .collect()
}

fn import(ws: &Ws, args: &[&str]) -> Run {
    let mut all = vec!["inspect", "import"];
    all.extend_from_slice(args);
    ws.run(&all)
}

/// What the plain form stores: April's month file.
fn stored_by_plain() -> String {
    let ws = Ws::fixture("mini");
    ws.write("in/plain.csv", PLAIN);
    import(&ws, &["--level", "street", ws.path("in/plain.csv").to_str().unwrap()]).status(0);
    ws.read("data/inspections/2026/2026-04.csv")
}

/// Import `file` (written into a fresh `mini` workspace as `name`) with `args`: it must
/// store what the plain form stores. Returns the run, for its account on stderr.
#[track_caller]
fn stores_as_plain(name: &str, bytes: &[u8], args: &[&str]) -> Run {
    let ws = Ws::fixture("mini");
    std::fs::create_dir_all(ws.path("in")).unwrap();
    let path = ws.path(&format!("in/{name}"));
    std::fs::write(&path, bytes).unwrap();
    let mut all = args.to_vec();
    let p = path.to_str().unwrap().to_string();
    all.push(&p);
    let r = import(&ws, &all);
    r.status(0);
    assert_eq!(
        ws.read("data/inspections/2026/2026-04.csv"),
        stored_by_plain(),
        "{name}"
    );
    r
}

fn write_rows(sheet: &mut Worksheet, first_row: u32, rows: &[Vec<String>]) {
    for (r, row) in rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let (r, c) = (first_row + r as u32, c as u16);
            match cell.parse::<f64>() {
                Ok(n) => sheet.write_number(r, c, n).unwrap(),
                Err(_) => sheet.write_string(r, c, cell).unwrap(),
            };
        }
    }
}

#[test]
fn a_title_above_the_header_and_a_footer_below() {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    sheet.write_string(0, 0, "2026年4月劝业场街街道检查记录表").unwrap();
    sheet.write_string(1, 0, "填报单位：劝业场街办事处").unwrap();
    write_rows(sheet, 2, &plain_rows());
    sheet.write_string(6, 0, "合计").unwrap();
    sheet.write_number(6, 4, 3.0).unwrap();
    sheet.write_number(6, 5, 4.0).unwrap();
    sheet.write_string(8, 0, "填表人：张三").unwrap();
    sheet.write_string(8, 3, "审核人：李四").unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    // The title says 街道: no --level needed.
    let r = stores_as_plain("titled.xlsx", &bytes, &[]);
    assert!(r.stderr.contains("第1–2行：标题"), "{}", r.stderr);
    assert!(r.stderr.contains("第7行：合计"), "{}", r.stderr);
}

#[test]
fn a_two_row_header_with_a_merged_group_over_the_items() {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    let rows = plain_rows();
    for (c, h) in rows[0][..4].iter().enumerate() {
        sheet.write_string(0, c as u16, h).unwrap();
    }
    sheet.merge_range(0, 4, 0, 5, "问题点位（处）", &Format::new()).unwrap();
    sheet.write_string(1, 4, "私装地锁").unwrap();
    sheet.write_string(1, 5, "楼道清扫保洁").unwrap();
    write_rows(sheet, 2, &rows[1..]);
    let bytes = wb.save_to_buffer().unwrap();
    stores_as_plain("two-row.xlsx", &bytes, &["--level", "street"]);
}

#[test]
fn vertically_merged_cells_are_filled_down() {
    let mut wb = Workbook::new();
    let sheet = wb.add_worksheet();
    write_rows(sheet, 0, &plain_rows());
    // 日期, 检查组 and 人数 of the first two visits merged, as offices do.
    let f = Format::new();
    sheet.merge_range(1, 0, 2, 0, "2026-04-02", &f).unwrap();
    sheet.merge_range(1, 1, 2, 1, "甲组", &f).unwrap();
    sheet.merge_range(1, 2, 2, 2, "3", &f).unwrap();
    let bytes = wb.save_to_buffer().unwrap();
    stores_as_plain("merged.xlsx", &bytes, &["--level", "street"]);
}

#[test]
fn every_visible_sheet_is_read_and_the_others_are_named() {
    let rows = plain_rows();
    let mut wb = Workbook::new();
    let help = wb.add_worksheet().set_name("填表说明").unwrap();
    help.write_string(0, 0, "请按检查日期填写，每次检查一行。").unwrap();
    let a = wb.add_worksheet().set_name("泰安道社区").unwrap();
    write_rows(a, 0, &rows[..3]);
    let b = wb.add_worksheet().set_name("花园社区").unwrap();
    write_rows(b, 0, &[rows[0].clone(), rows[3].clone()]);
    let lists = wb.add_worksheet().set_name("下拉选项").unwrap();
    write_rows(lists, 0, &[vec!["日期".into(), "小区".into(), "检查组".into()]]);
    lists.set_hidden(true);
    let bytes = wb.save_to_buffer().unwrap();
    let r = stores_as_plain("by-community.xlsx", &bytes, &["--level", "street"]);
    assert!(r.stderr.contains("「泰安道社区」2 次检查"), "{}", r.stderr);
    assert!(r.stderr.contains("「花园社区」1 次检查"), "{}", r.stderr);
    assert!(r.stderr.contains("「填表说明」（无表头）"), "{}", r.stderr);
    assert!(r.stderr.contains("「下拉选项」（"), "{}", r.stderr);
    // --sheet narrows, and repeats.
    let ws = Ws::fixture("mini");
    std::fs::create_dir_all(ws.path("in")).unwrap();
    std::fs::write(ws.path("in/b.xlsx"), &bytes).unwrap();
    let p = ws.path("in/b.xlsx").display().to_string();
    import(&ws, &["--level", "street", "--sheet", "花园社区", &p]).status(0);
    assert_eq!(ws.read("data/inspections/2026/2026-04.csv").lines().count(), 2);
}

#[test]
fn what_people_type_in_cells_reads_as_numbers() {
    // Full-width digits typed in IME mode, 无 and - for none, units in cells, and the
    // inspectors' names instead of a headcount.
    let sheet = "日期,检查组,检查人员,小区,私装地锁,楼道清扫保洁
２０２６-04-02,甲组,张三、李四、王五,南营门里,2处,１
2026/4/2,甲组,3人,福明里,无,3
2026年4月3日,乙组,２,长沙路小区,1,-
";
    stores_as_plain("typed.csv", sheet.as_bytes(), &["--level", "street"]);
}

#[test]
fn excel_unicode_text_and_web_exports_are_read() {
    // Excel's "Unicode text": UTF-16LE with a BOM, tab-separated.
    let mut utf16 = vec![0xFF, 0xFE];
    for u in PLAIN.replace(',', "\t").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    stores_as_plain("unicode.txt", &utf16, &["--level", "street"]);
    // The same with a long Chinese title: a CJK character is two bytes in UTF-16 and three
    // decoded, so such a sheet once outgrew its decoding and was refused (解码中断).
    let titled = format!(
        "{}\n{}",
        "南营门街道办事处二〇二六年四月旧楼区物业服务街道季度检查问题点位记录汇总表（第二季度第一次）", PLAIN
    );
    let mut utf16 = vec![0xFF, 0xFE];
    for u in titled.replace(',', "\t").encode_utf16() {
        utf16.extend_from_slice(&u.to_le_bytes());
    }
    stores_as_plain("titled-unicode.txt", &utf16, &["--level", "street"]);
    // A web system's "export to Excel": an HTML table named .xls.
    let mut html = String::from("<html><head><meta charset=\"utf-8\"></head><body><table>");
    for row in plain_rows() {
        html += "<tr>";
        for c in row {
            html += &format!("<td>{c}</td>");
        }
        html += "</tr>";
    }
    html += "</table></body></html>";
    stores_as_plain("export.xls", html.as_bytes(), &["--level", "street"]);
}

#[test]
fn a_column_of_deduction_points_is_refused_never_read_as_counts() {
    let ws = Ws::fixture("mini");
    ws.write("in/k.csv", &PLAIN.replace("私装地锁,", "私装地锁（扣分）,"));
    let k = ws.path("in/k.csv").display().to_string();
    let before = ws.snapshot();
    let r = import(&ws, &["--level", "street", &k]);
    r.status(1);
    assert!(
        r.stderr.contains(&format!(
            "{k} 第1行 E列「私装地锁（扣分）」：「私装地锁（扣分）」是扣分列"
        )),
        "{}",
        r.stderr
    );
    assert_eq!(ws.snapshot(), before);
}

#[test]
fn a_visit_outside_the_sheets_month_is_flagged() {
    let ws = Ws::fixture("mini");
    // March typed for April (the contracts of the fixture begin in 2026, so a year typo
    // would be refused for want of a contract).
    ws.write("in/y.csv", &PLAIN.replace("2026-04-03,乙组", "2026-03-03,乙组"));
    let y = ws.path("in/y.csv").display().to_string();
    // A warning that names the row; with --strict an error, and nothing written.
    let before = ws.snapshot();
    let r = import(&ws, &["--level", "street", "--strict", &y]);
    r.status(1);
    let line = format!(
        "oldestate: {y} 第4行：检查日期 2026-03-03 不在本表大多数检查所在的 2026年4月。请核对年份和月份是否填错"
    );
    r.stderr_line(&line);
    assert_eq!(ws.snapshot(), before);
    let r = import(&ws, &["--level", "street", &y]);
    r.status(0);
    r.stderr_line(&line.replace("第4行：", "第4行：（提示）"));
}

#[test]
fn errors_go_to_a_sheet_for_the_person_who_fixes_them() {
    let ws = Ws::fixture("mini");
    let bad = "日期,检查组,人数,小区,私装地锁
2026-04-02,甲组,,南营门里,1
2026-04-02,甲组,,福明里,1
2026-04-03,乙组,,长沙路小区,1
2026-04-03,乙组,2,永和里小区,1
";
    ws.write("in/bad.csv", bad);
    let p = ws.path("in/bad.csv").display().to_string();
    let errors = ws.path("errors.csv");
    let r = import(&ws, &["--level", "street", "--errors", errors.to_str().unwrap(), &p]);
    r.status(1);
    // The empty headcounts, said once with their rows.
    r.stderr_line(&format!(
        "oldestate: {p} C列「人数」 共 3 行（第2–4行）：如第2行，应为检查人数（1 或以上的整数，或以顿号分隔的检查人员姓名），此格为空。请填写人数，如 3"
    ));
    let csv = std::fs::read_to_string(&errors).unwrap();
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 5, "{csv}");
    assert!(
        lines[4].starts_with(&format!("{p},,5,D,小区,永和里小区,错误,登记册中没有小区「永和里小区」")),
        "{csv}"
    );
}

#[test]
fn a_visit_into_a_published_period_is_flagged() {
    let ws = Ws::fixture("mini");
    ws.write(
        "data/published.csv",
        "published_at,command,period,as_of,sha256,inputs_sha256,git_commit\n\
         2026-05-06T09:00:00+08:00,bulletin --period 2026-04,2026-04,2026-04-30,ab,cd,\n",
    );
    ws.write("in/late.csv", PLAIN);
    let p = ws.path("in/late.csv").display().to_string();
    let before = ws.snapshot();
    let r = import(&ws, &["--level", "street", "--strict", &p]);
    r.status(1).stderr_line(&format!(
        "oldestate: {p} 第4行：检查日期 2026-04-03 属于已发布的 2026-04（数据截至2026年4月30日）：导入后，重新生成的报告将与已发布的不同。请确认需要补录；已发布的文件可用 --as-of 重现"
    ));
    assert_eq!(ws.snapshot(), before);
    // Without --strict the visits go in, each flagged.
    let r = import(&ws, &["--level", "street", &p]);
    assert_eq!(
        r.status(0).stderr.matches("属于已发布的 2026-04").count(),
        3,
        "{}",
        r.stderr
    );
}

mod any_form {
    //! The law: whatever form a sheet takes (a title above it, a footer under it, numbers
    //! typed full-width, none written 无, units in cells, names for the headcount), it gives
    //! the visits the plain sheet gives.

    use std::path::Path;

    use oldestate::import::book::Grid;
    use oldestate::import::form::read_form;
    use oldestate::import::problems::{Place, Problems};
    use oldestate::import::sheet::Rows;
    use oldestate::import::{visits_from_sheet, Defaults, Resolver, VisitRows};
    use oldestate::model::records::Lang;
    use oldestate::model::Level;
    use oldestate::workspace::Workspace;
    use proptest::prelude::*;

    /// (day of April, team 0/1, headcount, compound 0..3, X01 count, X02 count).
    type Row = (u32, usize, u32, usize, u64, u64);

    const COMPOUNDS: [&str; 3] = ["南营门里", "福明里", "长沙路小区"];
    const NAMES: [&str; 6] = ["张三", "李四", "王五", "赵六", "钱七", "孙八"];

    fn full_width(n: u64) -> String {
        n.to_string()
            .chars()
            .map(|c| char::from_u32(c as u32 - '0' as u32 + '０' as u32).unwrap_or(c))
            .collect()
    }

    fn grid(rows: Vec<Vec<String>>) -> Grid {
        let mut all = Rows::default();
        for (i, cells) in rows.iter().enumerate() {
            all.push(i as u64 + 1, cells.iter().map(String::as_str)).unwrap();
        }
        Grid { name: None, rows: all }
    }

    fn header() -> Vec<String> {
        ["日期", "检查组", "人数", "小区", "私装地锁", "楼道清扫保洁"]
            .map(String::from)
            .to_vec()
    }

    fn plain(rows: &[Row]) -> Grid {
        let mut all = vec![header()];
        for &(day, team, n, c, x1, x2) in rows {
            all.push(vec![
                format!("2026-04-{day:02}"),
                ["甲组", "乙组"][team].to_string(),
                n.to_string(),
                COMPOUNDS[c].to_string(),
                x1.to_string(),
                x2.to_string(),
            ]);
        }
        grid(all)
    }

    /// The same visits as an office would hand them in.
    fn as_office(rows: &[Row], style: u8) -> Grid {
        let mut all = vec![
            vec!["2026年4月街道检查记录表".to_string()],
            vec!["填报单位：劝业场街".to_string()],
            header(),
        ];
        for &(day, team, n, c, x1, x2) in rows {
            let count = |x: u64| match (x, style % 3) {
                (0, 0) => "无".to_string(),
                (0, 1) => "-".to_string(),
                (_, 1) => format!("{x}处"),
                (_, 2) => full_width(x),
                _ => x.to_string(),
            };
            let headcount = match style % 2 {
                0 => NAMES[..n as usize].join("、"),
                _ => format!("{n}人"),
            };
            all.push(vec![
                format!("2026年4月{day}日"),
                ["甲组", "乙组"][team].to_string(),
                headcount,
                COMPOUNDS[c].to_string(),
                count(x1),
                count(x2),
            ]);
        }
        all.push(vec![
            "合计".into(),
            String::new(),
            String::new(),
            String::new(),
            "9".into(),
            "9".into(),
        ]);
        all.push(vec![
            "填表人：张三".into(),
            String::new(),
            String::new(),
            "审核人：李四".into(),
        ]);
        grid(all)
    }

    fn visits(resolver: &Resolver<'_>, mut g: Grid) -> Vec<VisitRows> {
        let known = |h: &str| resolver.known_column(h);
        let form = read_form(&mut g, &known).expect("a header");
        let defaults = Defaults {
            level: None,
            purpose: None,
            title_level: form.title.level,
            year: form.title.year,
        };
        let place = Place {
            file: "t".into(),
            sheet: None,
        };
        let mut ps = Problems::new(Lang::Zh);
        let defaults = Defaults {
            level: Some(defaults.title_level.unwrap_or(Level::Street)),
            ..defaults
        };
        let v = visits_from_sheet(resolver, &place, &form.sheet, defaults, &mut ps, &mut |_| {});
        assert_eq!(ps.errors(), 0, "{:?}", ps.lines());
        v.into_iter().map(|v| v.visit).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]
        #[test]
        fn any_form_gives_the_plain_sheets_visits(
            rows in prop::collection::btree_map((1u32..=28, 0usize..2, 0usize..3), (1u32..=6, 0u64..6, 0u64..6), 1..12),
            style in 0u8..6,
        ) {
            let rows: Vec<Row> = rows.into_iter().map(|((d, t, c), (n, x1, x2))| (d, t, n, c, x1, x2)).collect();
            let ws = Workspace::discover(Some(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/mini")), None, Path::new(".")).unwrap();
            let (registry, standards) = (ws.registry().unwrap(), ws.standards().unwrap());
            let resolver = Resolver::new(&registry, &standards);
            prop_assert_eq!(visits(&resolver, as_office(&rows, style)), visits(&resolver, plain(&rows)));
        }
    }
}
