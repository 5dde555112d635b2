//! `--format xlsx` and `--excel` on the demo district: every workbook read back with calamine
//! (title, as-of line, header, typed cells, the 合计 row against the column and the JSON), and
//! the CSV for Excel (a BOM, Chinese headers and words).

use std::io::Write;
use std::path::Path;
use std::process::Command;

use calamine::{open_workbook, Data, Reader, Xlsx};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::harness::run_in;

fn repo() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// Run the binary on the demo; stdout's bytes (a pipe, not a terminal).
fn bytes(args: &[&str]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_oldestate"))
        .arg("--workspace")
        .arg(repo())
        .args(args)
        .current_dir(repo())
        .env_remove("OLDESTATE_WORKSPACE")
        .env_remove("OLDESTATE_TODAY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

fn json(args: &[&str]) -> Value {
    let mut all = vec!["--format", "json"];
    all.extend_from_slice(args);
    serde_json::from_slice(&bytes(&all)).unwrap()
}

/// Every sheet of the workbook `args` writes, by name, as rows of cells: written to a temp
/// file and opened as Excel would.
fn sheets(args: &[&str]) -> Vec<(String, Vec<Vec<Data>>)> {
    let mut all = vec!["--format", "xlsx"];
    all.extend_from_slice(args);
    let mut file = tempfile::Builder::new().suffix(".xlsx").tempfile().unwrap();
    file.write_all(&bytes(&all)).unwrap();
    let mut book: Xlsx<_> = open_workbook(file.path()).unwrap();
    book.sheet_names()
        .into_iter()
        .map(|name| {
            let range = book.worksheet_range(&name).unwrap();
            assert_eq!(range.start(), Some((0, 0)), "{name}: the title is in A1");
            (name, range.rows().map(|r| r.to_vec()).collect())
        })
        .collect()
}

fn text(d: &Data) -> String {
    match d {
        Data::String(s) => s.clone(),
        Data::Empty => String::new(),
        other => panic!("expected text, found {other:?}"),
    }
}

fn float(d: &Data) -> f64 {
    match d {
        Data::Float(f) => *f,
        other => panic!("expected a number, found {other:?}"),
    }
}

fn header(rows: &[Vec<Data>]) -> Vec<String> {
    rows[2].iter().map(text).collect()
}

fn column(rows: &[Vec<Data>], header_name: &str) -> usize {
    header(rows).iter().position(|h| h == header_name).unwrap()
}

/// The data rows: under the header, down to the first blank or 合计 row.
fn body(rows: &[Vec<Data>]) -> &[Vec<Data>] {
    let end = rows[3..]
        .iter()
        .position(|r| matches!(r[0], Data::Empty) || r[0] == Data::String("合计".into()))
        .map_or(rows.len(), |n| n + 3);
    &rows[3..end]
}

fn total_row(rows: &[Vec<Data>]) -> &Vec<Data> {
    rows.iter().find(|r| r[0] == Data::String("合计".into())).unwrap()
}

/// The sum of a money column, to the fen, as JSON writes money.
fn money(values: impl Iterator<Item = f64>) -> String {
    let sum: Decimal = values.map(|f| Decimal::try_from(f).unwrap().round_dp(2)).sum();
    format!("{sum:.2}")
}

fn excel_date(d: &Data) -> NaiveDate {
    match d {
        Data::DateTime(dt) => NaiveDate::from_ymd_opt(1899, 12, 30).unwrap() + chrono::Days::new(dt.as_f64() as u64),
        other => panic!("expected a date, found {other:?}"),
    }
}

#[test]
fn the_payment_sheet_adds_up_to_the_rounds_total() {
    let doc = json(&["subsidy", "--period", "2026H1"]);
    let book = sheets(&["subsidy", "--period", "2026H1", "--by", "street"]);
    let (name, rows) = &book[0];
    assert_eq!(name, "拨付表");
    assert_eq!(text(&rows[0][0]), "和平区2026年上半年旧楼区物业服务财政补贴拨付表");
    assert_eq!(text(&rows[1][0]), "数据截至2026年6月30日");
    assert_eq!(doc["as_of"], "2026-06-30");
    assert_eq!(
        header(rows),
        ["街道", "金额（元）", "大写金额", "基数（元）", "扣减（元）"]
    );
    let streets = body(rows);
    assert_eq!(streets.len(), doc["streets"].as_array().unwrap().len());
    let cents = |d: &Data| (float(d) * 100.0).round() as i64;
    for (row, street) in streets.iter().zip(doc["streets"].as_array().unwrap()) {
        assert_eq!(text(&row[0]), street["name"].as_str().unwrap());
        assert_eq!(format!("{:.2}", float(&row[1])), street["amount"].as_str().unwrap());
        assert!(text(&row[2]).contains('元'), "{:?}", row[2]);
        assert_eq!(format!("{:.2}", float(&row[3])), street["base"].as_str().unwrap());
        // Finance adds each row up: 基数 − 扣减 = 金额, to the fen (in 4 of the demo's 6
        // streets DESIGN's withheld, base − entitlement, is a fen off that).
        assert_eq!(cents(&row[3]) - cents(&row[4]), cents(&row[1]), "{row:?}");
    }
    let total = total_row(rows);
    assert_eq!(format!("{:.2}", float(&total[1])), doc["total"].as_str().unwrap());
    assert_eq!(
        money(streets.iter().map(|r| float(&r[1]))),
        doc["total"].as_str().unwrap()
    );
    assert_eq!(format!("{:.2}", float(&total[4])), doc["withheld"].as_str().unwrap());
    assert_eq!(cents(&total[3]) - cents(&total[4]), cents(&total[1]));
    assert!(text(&total[2]).starts_with("壹仟壹佰柒拾万"), "{:?}", total[2]);
    let sign = rows
        .iter()
        .map(|r| text(&r[0]))
        .find(|t| t.starts_with("经办人："))
        .unwrap();
    assert!(sign.contains("审核人：") && sign.contains("负责人："), "{sign}");
}

#[test]
fn subsidy_by_compound_and_company_add_up_too() {
    let doc = json(&["subsidy", "--period", "2026H1"]);
    for by in ["compound", "company"] {
        let book = sheets(&["subsidy", "--period", "2026H1", "--by", by]);
        let rows = &book[0].1;
        assert!(text(&rows[0][0]).contains("2026年上半年"), "{:?}", rows[0]);
        let amount = column(rows, "金额");
        let sum = money(body(rows).iter().map(|r| float(&r[amount])));
        assert_eq!(format!("{:.2}", float(&total_row(rows)[amount])), sum, "--by {by}");
        if by == "compound" {
            assert_eq!(sum, doc["total"].as_str().unwrap());
        }
    }
}

#[test]
fn scores_are_numbers_and_counts_add_up() {
    let book = sheets(&["score", "--period", "2026H1", "--by", "street"]);
    let rows = &book[0].1;
    assert_eq!(text(&rows[0][0]), "和平区 2026年上半年 评分（按街道）");
    assert_eq!(text(&rows[1][0]), "数据截至2026年6月30日");
    let (n, score) = (column(rows, "小区数"), column(rows, "平均分"));
    for r in body(rows) {
        assert!((60.0..=100.0).contains(&float(&r[score])), "{r:?}");
    }
    let total = total_row(rows);
    assert_eq!(float(&total[n]), 323.0);
    assert_eq!(total[score], Data::Empty, "scores are not added up");

    let book = sheets(&["score", "--period", "2026H1"]);
    let rows = &book[0].1;
    assert_eq!(body(rows).len(), 323);
    let score = column(rows, "得分");
    assert!(body(rows).iter().all(|r| matches!(r[score], Data::Float(_))));
}

#[test]
fn recheck_dates_are_excel_dates() {
    let doc = json(&["recheck", "--period", "2026H1"]);
    let book = sheets(&["recheck", "--period", "2026H1"]);
    let rows = &book[0].1;
    assert!(text(&rows[0][0]).contains("整改通知与复检"), "{:?}", rows[0]);
    let (date, deadline) = (column(rows, "检查日期"), column(rows, "整改期限"));
    let notices = doc["notices"].as_array().unwrap();
    assert_eq!(body(rows).len(), notices.len());
    for (r, n) in body(rows).iter().zip(notices) {
        assert_eq!(excel_date(&r[date]).to_string(), n["date"].as_str().unwrap());
        assert_eq!(excel_date(&r[deadline]).to_string(), n["deadline"].as_str().unwrap());
    }
}

#[test]
fn coverage_contracts_and_standards_diff_write_workbooks() {
    let book = sheets(&["inspect", "coverage", "--period", "2026H1"]);
    assert_eq!(text(&book[0].1[0][0]), "和平区 2026年上半年 检查覆盖情况");
    assert_eq!(header(&book[0].1)[..2], ["检查层级", "频次"]);

    let book = sheets(&["contracts", "--as-of", "2026-06-30", "--expiring-within", "400"]);
    let rows = &book[0].1;
    assert_eq!(text(&rows[1][0]), "数据截至2026年6月30日");
    let end = column(rows, "到期日");
    assert!(!body(rows).is_empty());
    assert!(body(rows)
        .iter()
        .all(|r| excel_date(&r[end]) >= NaiveDate::from_ymd_opt(2026, 6, 30).unwrap()));

    let against = "standards/2025-07-01.toml";
    let book = sheets(&["standards", "diff", "--period", "2026H1", "--against", against]);
    let streets = &book[1].1;
    assert!(text(&streets[0][0]).contains("标准变更影响"), "{:?}", streets[0]);
    assert_eq!(header(streets)[0], "街道");
}

#[test]
fn csv_for_excel_has_a_bom_and_chinese_headers_and_words() {
    let out = bytes(&["subsidy", "--period", "2026H1", "--format", "csv", "--excel"]);
    let text = String::from_utf8(out).unwrap();
    let text = text.strip_prefix('\u{FEFF}').expect("a BOM first");
    assert!(
        text.starts_with("街道编号,街道,基数,扣减,金额,大写金额,结果分布\n"),
        "{text}"
    );
    assert!(text.contains("复检不合格 1；整改到位 3；优秀 43"), "{text}");

    let plain = run_in(
        repo(),
        &[
            "--workspace",
            repo().to_str().unwrap(),
            "subsidy",
            "--period",
            "2026H1",
            "--format",
            "csv",
        ],
    );
    plain.status(0);
    assert!(plain
        .stdout
        .starts_with("street_id,name,base,withheld,amount,amount_in_words,outcomes\n"));
    assert!(
        plain.stdout.contains("recheck_failed 1; rectified 3; 优秀 43"),
        "{}",
        plain.stdout
    );

    let out = bytes(&["score", "--period", "2026H1", "--format", "csv", "--excel"]);
    assert!(out.starts_with("\u{FEFF}编号,小区".as_bytes()));
}

/// A workbook of a period not over on its as-of date says so in its first lines (DESIGN §14),
/// whatever the report; one of a finished period just names the day. A veto's year is a year,
/// not a quantity ("2026", never "2,026").
#[test]
fn an_unfinished_period_says_so_under_the_title_and_a_year_is_no_quantity() {
    let line = "数据截至2026年5月20日（2026年上半年尚未结束，数据不完整）";
    for report in ["score", "recheck", "inspect coverage", "subsidy"] {
        let mut args: Vec<&str> = report.split(' ').collect();
        args.extend(["--period", "2026H1", "--as-of", "2026-05-20"]);
        let book = sheets(&args);
        assert_eq!(text(&book[0].1[1][0]), line, "{report}");
    }
    let book = sheets(&["score", "--period", "2026H1"]);
    assert_eq!(text(&book[0].1[1][0]), "数据截至2026年6月30日");
    let book = sheets(&["recheck", "--period", "2026H1"]);
    let (_, vetoes) = book.iter().find(|(name, _)| name == "一票否决").expect("a veto sheet");
    let year = column(vetoes, "年度");
    assert!(!body(vetoes).is_empty());
    for r in body(vetoes) {
        assert_eq!(r[year], Data::String("2026".into()), "{r:?}");
    }
}
