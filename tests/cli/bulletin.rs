//! `bulletin`: headline figures by the definitions of DESIGN §8, snapshots of the Markdown
//! and HTML, escaping, well-formed HTML, and `--street` naming no other street.

use std::path::Path;

use serde_json::{json, Value};

use crate::harness::{run_in, Ws};
use crate::score::with_store;

/// Two half-years. 2026H1 at the third party: P1 fails with 10 LOCK points (a hot spot) and is
/// re-inspected; P2 passes; P3 passes; P4 has only a community visit. Team 甲组 records 3
/// people on one row and 4 on another the same day: the day counts 4.
fn district() -> Ws {
    let ws = with_store(&[
        "T0,2025-10-09,third_party,routine,甲组,3,P1,,0,2,",
        "T9,2025-10-09,third_party,routine,甲组,3,P3,X01,2,2,",
        "T1,2026-03-02,third_party,routine,甲组,3,P1,X01,10,12,",
        "T2,2026-03-02,third_party,routine,甲组,4,P2,X02,1,6,",
        "T3,2026-03-03,third_party,routine,乙组,2,P3,,0,5,",
        "R1,2026-03-10,third_party,recheck,甲组,3,P1,,0,7,",
        "C1,2026-03-04,community,routine,滨西社区检查组,2,P4,X01,1,1,",
    ]);
    // Contracts and standards reaching back to the previous half-year, for the change.
    ws.replace(
        "data/registry/contracts.csv",
        "P1,CO1,1,2026-01-01",
        "P1,CO1,1,2025-07-01",
    );
    ws.replace(
        "data/registry/contracts.csv",
        "P3,CO2,3,2026-01-01",
        "P3,CO2,3,2025-07-01",
    );
    let older = ws.read("standards/2026-01-01.toml").replace("2026-01-01", "2025-07-01");
    ws.write("standards/2025-07-01.toml", &older);
    ws
}

/// HTML parsed as XML (the doctype allowed): well-formed or a panic.
fn well_formed(html: &str) {
    let opts = roxmltree::ParsingOptions {
        allow_dtd: true,
        ..Default::default()
    };
    roxmltree::Document::parse_with_options(html, opts).expect("the HTML parses as well-formed XML");
}

fn bulletin(ws: &Ws, extra: &[&str]) -> crate::harness::Run {
    let mut args = vec!["bulletin", "--period", "2026H1", "--as-of", "2026-07-01"];
    args.extend_from_slice(extra);
    let r = ws.run(&args);
    r.status(0);
    r
}

#[test]
fn headline_figures_follow_the_definitions() {
    let doc: Value = serde_json::from_str(&bulletin(&district(), &["--format", "json"]).stdout).unwrap();
    // Inspected: P1, P2, P3 (routine, third party) in S1 (C1, C2); re-inspected: P1.
    // Photos: 12 + 6 + 5 + 7 = 30 (routine and recheck). Person-times: (03-02, 甲组) 4 +
    // (03-03, 乙组) 2 + (03-10, 甲组) 3 = 9. Points: 10 + 1 = 11 in LOCK and CLEAN.
    assert_eq!(
        doc["summary"],
        json!({"compounds_inspected": 3, "streets": 1, "communities": 2, "rechecked_compounds": 1, "photos": 30,
               "person_times": 9, "categories_found": 2, "problem_points": 11})
    );
    assert_eq!(
        doc["hotspots"],
        json!([{"compound_id": "P1", "name": "南营门里", "community_id": "C1", "street_id": "S1", "category": "LOCK", "points": 10}])
    );
    // S1: (66.67 + 96.67 + 100.00) / 3 = 87.78; in 2025H2 (100.00 + 93.33... P3 grade 3: M 20,
    // D 4: 80.00) → (100.00 + 80.00) / 2 = 90.00; change −2.22.
    assert_eq!(doc["streets"][0]["score"], "87.78");
    assert_eq!(doc["streets"][0]["change"], "-2.22");
    assert_eq!(doc["notices"][0]["outcome"], "rectified");
}

#[test]
fn markdown_snapshot() {
    insta::assert_snapshot!("bulletin_md", bulletin(&district(), &[]).stdout);
}

#[test]
fn html_snapshot_is_well_formed_and_self_contained() {
    let html = bulletin(&district(), &["--format", "html"]).stdout;
    well_formed(&html);
    for external in ["<script", "src=", "href=", "@import", "url("] {
        assert!(!html.contains(external), "no external resources: found {external}");
    }
    assert!(html.contains("<svg"), "an inline SVG chart");
    assert!(html.contains("@page { size: A4;"), "print CSS for A4");
    insta::assert_snapshot!("bulletin_html", html);
}

#[test]
fn markup_in_names_is_escaped() {
    let ws = district();
    ws.replace(
        "data/registry/compounds.csv",
        "P1,C1,南营门里,",
        "P1,C1,<img src=x onerror=alert(1)>|[链接](http://x),",
    );
    ws.replace("data/registry/compounds.csv", "南营门|营门里", "");
    let md = bulletin(&ws, &[]).stdout;
    assert!(!md.contains("<img"), "{md}");
    assert!(
        md.contains("&lt;img src=x onerror=alert(1)&gt;\\|\\[链接\\](http://x)"),
        "{md}"
    );
    let html = bulletin(&ws, &["--format", "html"]).stdout;
    assert!(!html.contains("<img"));
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;|[链接](http://x)"));
    well_formed(&html);
}

#[test]
fn a_street_brief_names_no_other_street() {
    let ws = district();
    let md = bulletin(&ws, &["--street", "S2"]).stdout;
    assert!(
        md.starts_with("# 关于小白楼街2026年上半年旧楼区物业服务管理情况的通报"),
        "{md}"
    );
    // Addressed to the street's own office, and worded for one street.
    assert!(md.contains("\n小白楼街道办事处：\n"), "{md}");
    assert!(
        md.contains("本期第三方对小白楼街 0 个社区的 0 个旧楼区进行了检查"),
        "{md}"
    );
    for other in ["劝业场街", "滨西社区", "花园社区", "南营门里", "福明里", "昆明路公寓"] {
        assert!(!md.contains(other), "the S2 brief names {other}:\n{md}");
    }
    let doc: Value = serde_json::from_str(&bulletin(&ws, &["--street", "S2", "--format", "json"]).stdout).unwrap();
    assert_eq!(doc["summary"]["compounds_inspected"], 0);
    assert_eq!(doc["streets"].as_array().unwrap().len(), 1);
    // A street with no score has no place in the ranking (S1 has a score, S2 none).
    assert_eq!(doc["streets"][0]["rank"], Value::Null);
    assert!(md.contains("| 未排名 | 小白楼街 | — |"), "{md}");
    ws.run(&["bulletin", "--period", "2026H1", "--street", "S9"])
        .status(1)
        .stderr_line("oldestate: 没有名为「S9」的街道（是否为「劝业场街（S1）」或「小白楼街（S2）」？）");
}

#[test]
fn out_writes_the_file_and_nothing_to_stdout() {
    let ws = district();
    let out = ws.path("reports/b.html");
    std::fs::create_dir_all(out.parent().unwrap()).unwrap();
    let r = bulletin(&ws, &["--format", "html", "--out", out.to_str().unwrap()]);
    assert_eq!(r.stdout, "");
    assert!(std::fs::read_to_string(&out).unwrap().starts_with("<!DOCTYPE html>"));
}

/// A previous period that has inspections but cannot be scored (P1 visited before its
/// contract began) gives no change, and the bulletin says so, on stderr and in its note,
/// rather than calling every street and community "new".
#[test]
fn a_previous_period_that_cannot_be_scored_is_said_so_not_called_new() {
    let ws = district();
    let scored: Value = serde_json::from_str(&bulletin(&ws, &["--format", "json"]).stdout).unwrap();
    assert_eq!(scored["previous_unscored"], false);
    ws.replace(
        "data/registry/contracts.csv",
        "P1,CO1,1,2025-07-01",
        "P1,CO1,1,2026-01-01",
    );
    let r = bulletin(&ws, &[]);
    assert!(
        r.stdout.contains(
            "较上期：2025年下半年的检查记录无法评分（运行 oldestate score --period 2025H2 可见原因），本期不作比较。"
        ),
        "{}",
        r.stdout
    );
    assert!(!r.stdout.contains("新增"), "{}", r.stdout);
    assert!(
        r.stderr.contains("上期 2025H2 的检查记录无法评分，通报不作较上期比较"),
        "{}",
        r.stderr
    );
    let doc: Value = serde_json::from_str(&bulletin(&ws, &["--format", "json"]).stdout).unwrap();
    assert_eq!(doc["previous_unscored"], true);
}

#[test]
fn provenance_covers_a_previous_period_file_it_could_not_read() {
    // The previous period's store only gives the change since then; a month file there with a
    // broken header leaves the change out but is still an input, digested by its bytes.
    let digest = |header: &str| {
        let ws = district();
        ws.write("data/inspections/2025/2025-10.csv", &format!("{header}\n"));
        let r = bulletin(&ws, &["--format", "json"]);
        let doc: Value = serde_json::from_str(&r.stdout).unwrap();
        doc["provenance"]["inputs_sha256"].as_str().unwrap().to_string()
    };
    let (a, b) = (digest("visit_id,date,BROKEN"), digest("visit_id,date,ALSO_BROKEN"));
    assert_eq!(a.len(), 64);
    assert_ne!(a, b, "the unreadable file's bytes are part of the digest");
}

/// The first `dddd-dd-dd` in `text`, if any.
fn iso_date(text: &str) -> Option<String> {
    let chars: Vec<char> = text.chars().collect();
    let shape = |w: &[char]| {
        w.iter().enumerate().all(|(i, c)| {
            if i == 4 || i == 7 {
                *c == '-'
            } else {
                c.is_ascii_digit()
            }
        })
    };
    chars.windows(10).find(|w| shape(w)).map(|w| w.iter().collect())
}

/// The demo's bulletin, as Markdown unless `extra` says otherwise.
fn demo_bulletin(extra: &[&str]) -> String {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let ws = repo.to_str().unwrap();
    let mut args = vec!["--workspace", ws, "bulletin", "--period", "2026H1"];
    args.extend_from_slice(extra);
    let r = run_in(repo, &args);
    r.status(0);
    r.stdout.clone()
}

#[test]
fn iso_dates_are_found() {
    assert_eq!(iso_date("截至2026-06-30止"), Some("2026-06-30".into()));
    assert_eq!(iso_date("2026年6月30日 2026-06 3,877,521.34"), None);
}

/// What an official reading the demo's bulletin objected to: no paths or hashes, no arrows,
/// no ISO dates, no period codes; and what a 公文 carries: red heading, 文号, 主送, 抄送, the
/// signature and date, and the closing requirements.
#[test]
fn the_demo_bulletin_reads_as_an_official_document() {
    let md = demo_bulletin(&[]);
    for absent in ["sha256", "standards/", "↑", "↓", "2026H1", "2025H2", "2026Q"] {
        assert!(!md.contains(absent), "the bulletin says {absent}:\n{md}");
    }
    assert_eq!(iso_date(&md), None, "an ISO date in the text");
    assert!(
        md.starts_with("天津市和平区民政局文件\n\n和民政通〔2026〕　　号\n"),
        "{md}"
    );
    for present in [
        "# 关于和平区2026年上半年旧楼区物业服务管理情况的通报",
        "依据《旧楼区物业服务检查考核标准（2026版）》；",
        "\n各街道办事处：\n",
        "| 1 | 南营门街 | 95.10 | 上升1.28分 |",
        "| 6 | 劝业场街 | 92.37 | 下降1.08分 |",
        "| 劝业场街 | 3,877,521.34 | 3,483,352.87 | 89.83 | 49 | 25（51.02%） |",
        "| 永和里 | 花园社区 | 劝业场街 | 2026年5月7日 |",
        "| 街道 | 2026年第一季度 | 1 |",
        "拍摄照片 11,960 张",
        "## 十一、第三方考评",
        "## 十二、下一步工作要求",
        "其中劝业场街 4 个",
        "\n天津市和平区民政局\n\n2026年6月30日\n\n（区民政局基层政权科　联系电话：23300000）\n",
    ] {
        assert!(md.contains(present), "no {present}:\n{md}");
    }
    assert!(
        md.trim_end().ends_with("\n---\n\n抄送：区住房建设委、区财政局。"),
        "{md}"
    );
    let html = demo_bulletin(&["--format", "html"]);
    assert!(html.contains("<p class=\"mark\">天津市和平区民政局文件</p>"), "{html}");
    assert!(html.contains("<p class=\"number\">和民政通〔2026〕　　号</p>"));
    assert!(html.contains("<footer class=\"cc\">\n<p>抄送：区住房建设委、区财政局。</p>"));
    assert!(html.contains("body { font-family: FangSong, \"仿宋_GB2312\", STFangsong,"));
    assert!(html.contains("counter(page)"), "page numbers in print");
}

/// A street's brief: worded for the one street, its places out of the district's.
#[test]
fn the_demo_street_brief_counts_its_places_out_of_the_district() {
    let md = demo_bulletin(&["--street", "S01"]);
    assert!(
        md.contains("本期第三方对劝业场街 9 个社区的 49 个旧楼区进行了检查"),
        "{md}"
    );
    assert!(!md.contains("1 个街道"), "{md}");
    assert!(md.contains("| 第6名（共6个） | 劝业场街 |"), "{md}");
    assert!(md.contains("| 第6名（共58个） | 福明社区 |"), "{md}");
    assert!(md.contains("\n劝业场街道办事处：\n"), "{md}");
    // The JSON keeps the numbers as they were: the rank, not the words.
    let doc: Value = serde_json::from_str(&demo_bulletin(&["--street", "S01", "--format", "json"])).unwrap();
    assert_eq!(doc["communities"][0]["rank"], 6);
    assert_eq!(doc["fees"][0]["billed"], "3877521.34");
}

/// 下一步工作要求 is the workspace's own wording when it has a `templates/` file of that name.
#[test]
fn the_next_steps_wording_can_be_the_workspaces() {
    let ws = district();
    ws.write(
        "templates/bulletin_next.txt.j2",
        "{{ period }}不合格小区 {{ failing }} 个，限期整改。",
    );
    let md = bulletin(&ws, &[]).stdout;
    assert!(
        md.contains("## 十二、下一步工作要求\n\n2026年上半年不合格小区 1 个，限期整改。\n"),
        "{md}"
    );
}
