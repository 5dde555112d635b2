//! `check`: one broken fixture per rule, with the exact message and exit status.

use crate::harness::Ws;

const STORE: &str = "data/inspections/2026/2026-03.csv";
const STANDARDS: &str = "standards/2026-01-01.toml";
const HEADER: &str = "visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note\n";

/// Run check on a broken workspace: exit 1 and exactly this line on stdout.
#[track_caller]
fn fails_with(ws: &Ws, line: &str) {
    ws.run(&["check"]).status(1).stdout_line(line);
}

/// Run check: exit 0 (warnings only), this warning on stdout, and exit 1 under --strict.
#[track_caller]
fn warns_with(ws: &Ws, line: &str) {
    ws.run(&["check"]).status(0).stdout_line(line);
    ws.run(&["check", "--strict"]).status(1).stdout_line(line);
}

#[test]
fn the_fixture_is_clean() {
    let r = Ws::fixture("mini").run(&["check", "--strict"]);
    r.status(0);
    assert_eq!(r.stdout, "");
}

#[test]
fn every_problem_is_reported_not_just_the_first() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/streets.csv", "S1,重复街\n");
    ws.append("data/registry/companies.csv", "CO2,另一家\n");
    let r = ws.run(&["check"]);
    r.status(1)
        .stdout_line("data/registry/streets.csv:4: 编号 `street_id` “S1” 重复（首次出现在第 2 行）")
        .stdout_line("data/registry/companies.csv:4: 编号 `company_id` “CO2” 重复（首次出现在第 3 行）");
    assert!(r.stderr.contains("检查完毕：2 个错误，0 个警告"), "{}", r.stderr);
}

#[test]
fn duplicate_compound_id() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/compounds.csv", "P2,C2,又一福明里,,10,100.00,1\n");
    fails_with(
        &ws,
        "data/registry/compounds.csv:6: 编号 `compound_id` “P2” 重复（首次出现在第 3 行）",
    );
}

/// Several duplicates of compound ids, one of them three times: each later row is told, in
/// file order, with the line of the id's first row.
#[test]
fn duplicate_compound_ids_in_file_order() {
    let ws = Ws::fixture("mini");
    ws.append(
        "data/registry/compounds.csv",
        "P2,C1,又一福明里,,10,100.00,1\nP1,C1,又一南营门里,,10,100.00,1\nP2,C1,再一福明里,,10,100.00,1\n",
    );
    let r = ws.run(&["check"]);
    r.status(1);
    let told: Vec<&str> = r.stdout.lines().filter(|l| l.contains("`compound_id`")).collect();
    assert_eq!(
        told,
        [
            "data/registry/compounds.csv:6: 编号 `compound_id` “P2” 重复（首次出现在第 3 行）",
            "data/registry/compounds.csv:7: 编号 `compound_id` “P1” 重复（首次出现在第 2 行）",
            "data/registry/compounds.csv:8: 编号 `compound_id` “P2” 重复（首次出现在第 3 行）",
        ],
        "{}",
        r.stdout
    );
}

#[test]
fn community_with_unknown_street() {
    let ws = Ws::fixture("mini");
    ws.replace("data/registry/communities.csv", "C3,S2,", "C3,S9,");
    fails_with(
        &ws,
        "data/registry/communities.csv:4: 社区 C3 的街道编号 `street_id` “S9” 不在街道名册中（已有：S1、S2）",
    );
}

#[test]
fn compound_with_unknown_community() {
    let ws = Ws::fixture("mini");
    ws.replace("data/registry/compounds.csv", "P4,C3,", "P4,C9,");
    fails_with(
        &ws,
        "data/registry/compounds.csv:5: 小区 P4 的社区编号 `community_id` “C9” 不在 data/registry/communities.csv 中",
    );
}

#[test]
fn contract_with_unknown_compound_or_company() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/contracts.csv", "P9,CO7,1,2026-01-01,2026-12-31\n");
    ws.run(&["check"])
        .status(1)
        .stdout_line("data/registry/contracts.csv:7: 合同的小区编号 `compound_id` “P9” 不在 data/registry/compounds.csv 中")
        .stdout_line("data/registry/contracts.csv:7: 小区 P9 的合同中物业公司编号 `company_id` “CO7” 不在物业公司名册中（已有：CO1、CO2）");
}

#[test]
fn title_with_unknown_community() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/titles.csv", "C7,美丽社区,2025-01-10,2027-01-09\n");
    fails_with(
        &ws,
        "data/registry/titles.csv:3: 称号的社区编号 `community_id` “C7” 不在 data/registry/communities.csv 中",
    );
}

#[test]
fn fee_with_unknown_compound() {
    let ws = Ws::fixture("mini");
    ws.append("data/fees/2026H1.csv", "P8,10.00,5.00\n");
    fails_with(
        &ws,
        "data/fees/2026H1.csv:3: 物业费记录中的小区编号 `compound_id` “P8” 不在小区名册中",
    );
}

#[test]
fn appeal_with_unknown_visit_or_item() {
    let ws = Ws::fixture("mini");
    ws.append(
        "data/appeals.csv",
        "T99,X01,1,upheld,2026-03-20,\nT1,Z01,1,rejected,2026-03-20,\n",
    );
    ws.run(&["check"])
        .status(1)
        .stdout_line(
            "data/appeals.csv:3: 申诉所指的检查单号 `visit_id` “T99” 不存在（data/inspections/ 中没有这次检查）",
        )
        .stdout_line("data/appeals.csv:4: 对检查 T1 的申诉所指的问题点“Z01”不在标准中");
}

#[test]
fn upheld_appeal_removing_more_than_recorded() {
    let ws = Ws::fixture("mini");
    // T1 recorded 2 points of X01; 1 is already upheld, 2 more make 3.
    ws.append("data/appeals.csv", "T1,X01,2,upheld,2026-03-25,再次申诉\n");
    fails_with(
        &ws,
        "data/appeals.csv:3: 已支持的申诉从检查 T1 中核减问题点 X01 共 3 处，但该次检查只记录了 2 处",
    );
}

#[test]
fn rejected_and_pending_appeals_remove_nothing() {
    let ws = Ws::fixture("mini");
    ws.append(
        "data/appeals.csv",
        "T1,X01,5,rejected,2026-03-25,\nT1,X01,5,pending,,\n",
    );
    ws.run(&["check", "--strict"]).status(0);
}

#[test]
fn overlapping_contracts() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/contracts.csv", "P1,CO2,2,2027-06-01,2028-12-31\n");
    fails_with(
        &ws,
        "data/registry/contracts.csv:7: 小区 P1 自 2027-06-01 起的合同与第 2 行的合同（2026-01-01 至 2027-12-31）重叠：同一小区的合同不能重叠",
    );
}

#[test]
fn contract_grade_and_dates_are_checked() {
    let ws = Ws::fixture("mini");
    ws.append(
        "data/registry/contracts.csv",
        "P2,CO1,4,2028-01-01,2028-12-31\nP4,CO1,1,2028-05-01,2028-02-01\n",
    );
    ws.run(&["check"])
        .status(1)
        .stdout_line("data/registry/contracts.csv:7: `service_grade` 列：应为 1、2 或 3，实际为“4”")
        .stdout_line("data/registry/contracts.csv:8: 小区 P4 的合同结束日期（2028-02-01）早于开始日期（2028-05-01）");
}

#[test]
fn standards_file_name_must_match_effective_from() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "effective_from = 2026-01-01", "effective_from = 2026-02-01");
    fails_with(
        &ws,
        "standards/2026-01-01.toml: 生效日期 `effective_from` 为 2026-02-01，但文件名是 2026-01-01.toml：二者必须一致（请把文件改名为 2026-02-01.toml，或改正日期）",
    );
}

#[test]
fn grades_must_strictly_decrease_and_end_at_zero() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "name = \"良好\"\nmin = 85", "name = \"良好\"\nmin = 90");
    ws.replace(STANDARDS, "name = \"不合格\"\nmin = 0", "name = \"不合格\"\nmin = 10");
    ws.run(&["check"])
        .status(1)
        .stdout_line(
            "standards/2026-01-01.toml: 各等级的最低分 `min` 必须严格递减：“良好”（min 90）排在“优秀”（min 90）之后",
        )
        .stdout_line("standards/2026-01-01.toml: 最后一个等级“不合格”的最低分 `min` 为 10，应为 0");
}

#[test]
fn item_with_unknown_category() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "category = \"LOCK\"", "category = \"LOKC\"");
    fails_with(
        &ws,
        "standards/2026-01-01.toml: 问题点 X01 的类别“LOKC”不存在（已有：CLEAN、FIRE、LOCK）",
    );
}

#[test]
fn duplicate_item_and_category_codes() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "code = \"X02\"", "code = \"X01\"");
    ws.replace(STANDARDS, "code = \"CLEAN\"", "code = \"LOCK\"");
    ws.run(&["check"])
        .status(1)
        .stdout_line("standards/2026-01-01.toml: 问题点编号“X01”重复（出现 2 次）")
        .stdout_line("standards/2026-01-01.toml: 类别编号“LOCK”重复（出现 2 次）");
}

#[test]
fn max_and_deduct_must_be_positive() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "max = 10\ndeduct = 2", "max = 0\ndeduct = -1.5");
    ws.run(&["check"])
        .status(1)
        .stdout_line("standards/2026-01-01.toml: 问题点 X01 的满分 `max` 为 0，应大于 0")
        .stdout_line("standards/2026-01-01.toml: 问题点 X01 的每处扣分 `deduct` 为 -1.5，应大于 0");
}

#[test]
fn max_and_deduct_are_bounded_so_scores_are_exact() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "max = 10\ndeduct = 2", "max = 1000001\ndeduct = 0.00005");
    ws.run(&["check"])
        .status(1)
        .stdout_line("standards/2026-01-01.toml: 问题点 X01 的 `max` 为 1000001：最多 1000000 分，最多 4 位小数")
        .stdout_line("standards/2026-01-01.toml: 问题点 X01 的 `deduct` 为 0.00005：最多 1000000 分，最多 4 位小数");
    // At the bounds it is fine.
    ws.replace(
        STANDARDS,
        "max = 1000001\ndeduct = 0.00005",
        "max = 1000000\ndeduct = 0.0001",
    );
    ws.run(&["check"]).status(0);
}

#[test]
fn pass_mark_must_lie_in_0_to_100() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "pass_mark = 80", "pass_mark = 180");
    fails_with(
        &ws,
        "standards/2026-01-01.toml: 合格线 `pass_mark` 为 180，应在 0 到 100 之间",
    );
}

#[test]
fn unknown_standards_keys_are_rejected_with_their_line() {
    let ws = Ws::fixture("mini");
    ws.replace(STANDARDS, "pass_mark = 80", "pass_mark = 80\npass_mrak = 85");
    let r = ws.run(&["check"]);
    r.status(1);
    assert!(
        r.stdout
            .lines()
            .any(|l| l
                .starts_with("standards/2026-01-01.toml:5: 不认识的设置项 `pass_mrak`（可用：effective_from, title,")),
        "{}",
        r.stdout
    );
    // A broken standards file does not cascade into "unknown item" errors elsewhere.
    assert_eq!(r.stdout.lines().count(), 1, "{}", r.stdout);
}

#[test]
fn store_with_wrong_header() {
    let ws = Ws::fixture("mini");
    ws.replace(STORE, "visit_id,date,level,", "visit,date,level,");
    fails_with(
        &ws,
        "data/inspections/2026/2026-03.csv:1: 表头不对：应恰好为 visit_id,date,level,purpose,team,inspectors,compound_id,item,count,photos,note，实际为 visit,date,level,purpose,team,inspectors,compound_id,item,count,photos,note",
    );
}

#[test]
fn visit_fields_must_agree_across_rows() {
    let ws = Ws::fixture("mini");
    ws.replace(STORE, "第三方一组,3,P1,X02", "第三方二组,4,P1,X02");
    ws.run(&["check"])
        .status(1)
        .stdout_line("data/inspections/2026/2026-03.csv:3: 检查 T1：本行的 `team` 是“第三方二组”，但第 2 行是“第三方一组”：同一次检查的各行在 `date`、`level`、`purpose`、`team`、`inspectors` 和 `compound_id` 上必须一致")
        .stdout_line("data/inspections/2026/2026-03.csv:3: 检查 T1：本行的 `inspectors` 是“4”，但第 2 行是“3”：同一次检查的各行在 `date`、`level`、`purpose`、`team`、`inspectors` 和 `compound_id` 上必须一致");
}

#[test]
fn unknown_compound_and_item_name_the_nearest() {
    let ws = Ws::fixture("mini");
    ws.replace(STORE, "3,P1,X01,2,5", "3,P1,X09,2,5");
    ws.replace(STORE, "3,P2,,0,4", "3,P22,,0,4");
    ws.run(&["check"])
        .status(1)
        .stdout_line("data/inspections/2026/2026-03.csv:2: 问题点编号“X09”不在标准中（是否为“X01”或“X02”或“X03”？）")
        .stdout_line(
            "data/inspections/2026/2026-03.csv:4: 小区编号 `compound_id` “P22” 不在小区名册中（是否为“P2”？）",
        );
}

#[test]
fn counts_must_be_whole_and_not_negative() {
    let ws = Ws::fixture("mini");
    ws.replace(STORE, "P1,X01,2,5", "P1,X01,-2,5");
    ws.replace(STORE, "P1,X02,1,2", "P1,X02,1.5,2");
    ws.run(&["check"])
        .status(1)
        .stdout_line("data/inspections/2026/2026-03.csv:2: `count` 列：应为 0 到 1000000 的整数，实际为“-2”")
        .stdout_line("data/inspections/2026/2026-03.csv:3: `count` 列：应为 0 到 1000000 的整数，实际为“1.5”");
}

#[test]
fn impossible_dates() {
    let ws = Ws::fixture("mini");
    ws.replace(STORE, "T3,2026-03-06", "T3,2026-02-30");
    fails_with(&ws, "data/inspections/2026/2026-03.csv:5: `date` 列：应为实际存在的日期（格式 YYYY-MM-DD，如 2026-03-06），实际为“2026-02-30”");
}

#[test]
fn a_row_in_the_wrong_months_file() {
    let ws = Ws::fixture("mini");
    ws.append(STORE, "T4,2026-04-02,street,routine,劝业场街检查组,2,P4,,0,3,\n");
    fails_with(
        &ws,
        "data/inspections/2026/2026-03.csv:6: 检查 T4 的日期是 2026-04-02，但本文件只存放 2026-03 的记录：请把这一行移到 data/inspections/2026/2026-04.csv",
    );
}

#[test]
fn duplicate_visit_ids_across_files() {
    let ws = Ws::fixture("mini");
    ws.write(
        "data/inspections/2026/2026-04.csv",
        &format!("{HEADER}T2,2026-04-03,third_party,routine,第三方一组,3,P2,,0,4,\n"),
    );
    fails_with(
        &ws,
        "data/inspections/2026/2026-04.csv:2: 检查单号 `visit_id` “T2” 重复：已在 data/inspections/2026/2026-03.csv:4 使用（检查单号在全部检查记录中必须唯一）",
    );
}

#[test]
fn unsorted_rows() {
    let ws = Ws::fixture("mini");
    ws.append(STORE, "T0,2026-03-01,street,routine,劝业场街检查组,2,P4,,0,3,\n");
    fails_with(
        &ws,
        "data/inspections/2026/2026-03.csv:6: 行的顺序不对：（2026-03-01，T0，）排在（2026-03-06，T3，X01）之后；检查记录应按（日期 `date`，检查单号 `visit_id`，问题点 `item`）排序（`oldestate inspect import` 会按顺序重写）",
    );
}

#[test]
fn item_not_applicable_to_the_service_grade() {
    let ws = Ws::fixture("mini");
    // P3 is served at grade 3 until 2026-03-31; X02 applies to grades 1 and 2 only.
    ws.replace(STORE, "2,P3,X01,1,1,", "2,P3,X02,1,1,");
    fails_with(
        &ws,
        "data/inspections/2026/2026-03.csv:5: 问题点 X02（楼道清扫保洁）不适用于小区 P3：该小区 2026-03-06 的服务等级为 3（标准中的 `applies_to` 为 [1, 2]）",
    );
}

#[test]
fn a_visit_on_a_day_with_no_contract() {
    let ws = Ws::fixture("mini");
    ws.replace(
        "data/registry/contracts.csv",
        "P2,CO1,2,2026-01-01,",
        "P2,CO1,2,2026-03-10,",
    );
    fails_with(
        &ws,
        "data/inspections/2026/2026-03.csv:4: 检查 T2（小区 P2，2026-03-05）：当天没有生效的物业合同（见 data/registry/contracts.csv）",
    );
}

#[test]
fn warns_of_contracts_running_out_near_the_newest_data() {
    let ws = Ws::fixture("mini");
    // The newest visit is 2026-03-06; 2026-06-04 is 90 days later.
    ws.replace(
        "data/registry/contracts.csv",
        "P4,CO2,2,2026-01-01,2027-12-31",
        "P4,CO2,2,2026-01-01,2026-06-04",
    );
    warns_with(
        &ws,
        "data/registry/contracts.csv:6: 警告：长沙路小区（P4）与津南物业服务有限公司（CO2）的合同于 2026-06-04 到期，距最新数据（2026-03-06）不足 90 天，且没有后续合同：请组织居民选聘物业公司（合同到期）",
    );
    ws.replace("data/registry/contracts.csv", "2026-06-04", "2026-06-05");
    ws.run(&["check", "--strict"]).status(0);
}

#[test]
fn warns_of_compounds_with_no_contract() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/compounds.csv", "P5,C3,新兴里,,80,5000.00,2\n");
    warns_with(
        &ws,
        "data/registry/compounds.csv:6: 警告：小区 P5（新兴里）没有物业合同：其检查无法计分",
    );
}

#[test]
fn warns_when_standards_start_mid_month() {
    let ws = Ws::fixture("mini");
    let text = ws
        .read(STANDARDS)
        .replace("effective_from = 2026-01-01", "effective_from = 2026-03-15");
    ws.write("standards/2026-03-15.toml", &text);
    warns_with(
        &ws,
        "standards/2026-03-15.toml: 警告：生效日期 `effective_from` 2026-03-15 不是某月的第一天：统计期会跨越这次标准变更，而每个统计期都按其第一天生效的标准计算",
    );
}

#[test]
fn warns_when_a_contract_ignores_the_residents_choice() {
    let ws = Ws::fixture("mini");
    ws.write(
        "data/selections.csv",
        "selection_id,compound_id,held_on,company_id,households,area_m2\nSEL1,P3,2026-03-01,CO1,90,7000.00\nSEL1,P3,2026-03-01,CO2,10,800.00\n",
    );
    // The residents chose CO1 and P3's contract from 2026-04-01 is with CO1: no warning.
    ws.run(&["check", "--strict"]).status(0);
    ws.replace(
        "data/registry/contracts.csv",
        "P3,CO1,2,2026-04-01",
        "P3,CO2,2,2026-04-01",
    );
    warns_with(
        &ws,
        "data/registry/contracts.csv:5: 警告：小区昆明路公寓（P3）与津南物业服务有限公司（CO2）的合同自 2026-04-01 起，在 2026-03-01 的选聘 SEL1 之后，但居民选择的是天津市和平物业管理有限公司（CO1）（居民选、社区签）",
    );
    // Short of quorum (60 of 120 households): no winner at all.
    ws.replace("data/selections.csv", "CO1,90,7000.00", "CO1,50,7000.00");
    warns_with(
        &ws,
        "data/registry/contracts.csv:5: 警告：小区昆明路公寓（P3）与津南物业服务有限公司（CO2）的合同自 2026-04-01 起，在 2026-03-01 的选聘 SEL1 之后，但该次选聘无效（参与比例未达到法定要求）（居民选、社区签）",
    );
}

#[test]
fn selection_votes_may_not_exceed_the_compound() {
    let ws = Ws::fixture("mini");
    ws.write(
        "data/selections.csv",
        "selection_id,compound_id,held_on,company_id,households,area_m2\nSEL1,P3,2026-03-01,CO1,100,7000.00\nSEL1,P3,2026-03-01,CO2,30,800.00\n",
    );
    fails_with(
        &ws,
        "data/selections.csv:2: 选聘 SEL1：投票户数 130 户，但小区 P3 只有 120 户",
    );
}

#[test]
fn json_lists_every_problem() {
    let ws = Ws::fixture("mini");
    ws.append("data/registry/streets.csv", "S1,重复街\n");
    let r = ws.run(&["check", "--format", "json"]);
    r.status(1);
    let doc: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    assert_eq!(doc["errors"], 1);
    assert_eq!(doc["problems"][0]["file"], "data/registry/streets.csv");
    assert_eq!(doc["problems"][0]["line"], 4);
    assert_eq!(doc["problems"][0]["severity"], "error");
}

#[test]
fn a_document_number_without_its_year_or_sequence_is_an_error() {
    let ws = Ws::fixture("mini");
    ws.append(
        "data/workspace.toml",
        "\n[documents]\nissuer = \"测试区民政局\"\nnumber = \"测民政通〔2026〕号\"\n",
    );
    fails_with(
        &ws,
        "data/workspace.toml: [documents] 文号模板“测民政通〔2026〕号”缺少 {year}：应写成“和民政通〔{year}〕{seq}号”的样子",
    );
    fails_with(
        &ws,
        "data/workspace.toml: [documents] 文号模板“测民政通〔2026〕号”缺少 {seq}：应写成“和民政通〔{year}〕{seq}号”的样子",
    );
    ws.replace(
        "data/workspace.toml",
        "number = \"测民政通〔2026〕号\"",
        "numbr = \"x\"",
    );
    let r = ws.run(&["check"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    r.stdout_line(
        "data/workspace.toml:7: 不认识的设置项 `numbr`（可用：issuer, issuer_mark, number, recipients, cc, contact）",
    );
}

/// A visit id in three month files, checked on as many threads as there are cores: every row
/// of a repeat names the file and line where the id was first used, and the rules within each
/// file still apply, all in file and line order, as when the files were checked one by one.
#[test]
fn a_visit_id_repeated_across_three_month_files() {
    let ws = Ws::fixture("mini");
    ws.write(
        "data/inspections/2026/2026-04.csv",
        &format!(
            "{HEADER}T2,2026-04-03,third_party,routine,第三方一组,3,P2,X01,1,1,\n\
             T2,2026-04-03,third_party,routine,第三方一组,4,P2,X02,1,1,\n\
             T5,2026-04-04,street,routine,劝业场街检查组,2,P4,,0,1,\n"
        ),
    );
    ws.write(
        "data/inspections/2026/2026-05.csv",
        &format!(
            "{HEADER}T2,2026-05-01,third_party,routine,第三方一组,3,P2,,0,1,\n\
             T5,2026-05-02,street,routine,劝业场街检查组,2,P4,,0,1,\n\
             T6,2026-05-03,street,routine,劝业场街检查组,2,P4,X01,1,1,\n\
             T6,2026-05-03,street,routine,劝业场街检查组,3,P4,X02,1,1,\n"
        ),
    );
    let r = ws.run(&["check"]);
    r.status(1);
    assert_eq!(
        r.stdout,
        "data/inspections/2026/2026-04.csv:2: 检查单号 `visit_id` “T2” 重复：已在 data/inspections/2026/2026-03.csv:4 使用（检查单号在全部检查记录中必须唯一）\n\
         data/inspections/2026/2026-04.csv:3: 检查单号 `visit_id` “T2” 重复：已在 data/inspections/2026/2026-03.csv:4 使用（检查单号在全部检查记录中必须唯一）\n\
         data/inspections/2026/2026-05.csv:2: 检查单号 `visit_id` “T2” 重复：已在 data/inspections/2026/2026-03.csv:4 使用（检查单号在全部检查记录中必须唯一）\n\
         data/inspections/2026/2026-05.csv:3: 检查单号 `visit_id` “T5” 重复：已在 data/inspections/2026/2026-04.csv:4 使用（检查单号在全部检查记录中必须唯一）\n\
         data/inspections/2026/2026-05.csv:5: 检查 T6：本行的 `inspectors` 是“3”，但第 4 行是“2”：同一次检查的各行在 `date`、`level`、`purpose`、`team`、`inspectors` 和 `compound_id` 上必须一致\n"
    );
    assert!(r.stderr.contains("检查完毕：5 个错误，0 个警告"), "{}", r.stderr);
}
