//! The loaders' and `check`'s messages speak the run's language: Chinese in a zh workspace,
//! English with `--lang en` or in a workspace whose `language` is en (issue 21).

use crate::harness::Ws;

const FEES: &str = "data/fees/2026H1.csv";
const ZH: &str = "data/fees/2026H1.csv:3: 物业费记录中的小区编号 `compound_id` “P8” 不在小区名册中";
const EN: &str = "data/fees/2026H1.csv:3: fee row names unknown compound_id \"P8\"";
const ZH_HINT: &str =
    "data/inspections/2026/2026-03.csv:4: 小区编号 `compound_id` “P22” 不在小区名册中（是否为“P2”？）";
const EN_HINT: &str = "data/inspections/2026/2026-03.csv:4: unknown compound_id \"P22\" (did you mean \"P2\"?)";

/// The mini fixture (language zh) with a fee row and a visit naming unknown compounds.
fn broken() -> Ws {
    let ws = Ws::fixture("mini");
    ws.append(FEES, "P8,10.00,5.00\n");
    ws.replace("data/inspections/2026/2026-03.csv", "3,P2,,0,4", "3,P22,,0,4");
    ws
}

#[test]
fn check_speaks_the_workspaces_chinese_and_english_when_asked() {
    let ws = broken();
    let zh = ws.run(&["check"]);
    zh.status(1).stdout_line(ZH).stdout_line(ZH_HINT);
    assert!(!zh.stdout.contains("unknown"), "{}", zh.stdout);
    let en = ws.run(&["--lang", "en", "check"]);
    en.status(1).stdout_line(EN).stdout_line(EN_HINT);
    assert!(!en.stdout.contains("小区名册"), "{}", en.stdout);
}

#[test]
fn a_workspace_whose_language_is_en_gets_english_without_the_flag() {
    let ws = broken();
    ws.replace("data/workspace.toml", "language = \"zh\"", "language = \"en\"");
    let r = ws.run(&["check"]);
    r.status(1).stdout_line(EN).stdout_line(EN_HINT);
    assert!(!r.stdout.contains("小区名册"), "{}", r.stdout);
}

#[test]
fn a_name_the_registry_does_not_know_is_said_in_either_language() {
    let ws = Ws::fixture("mini");
    let args = ["bulletin", "--period", "2026H1", "--street", "S9"];
    ws.run(&args)
        .status(1)
        .stderr_line("oldestate: 没有名为「S9」的街道（是否为「劝业场街（S1）」或「小白楼街（S2）」？）");
    let en: Vec<&str> = ["--lang", "en"].into_iter().chain(args).collect();
    ws.run(&en)
        .status(1)
        .stderr_line("oldestate: no street named \"S9\" (did you mean \"劝业场街\" (S1) or \"小白楼街\" (S2)?)");
}

/// Every Chinese text of `locales/diagnostics.toml`, with its key.
fn chinese_diagnostics() -> Vec<(String, String)> {
    fn walk(prefix: &str, table: &toml::Table, out: &mut Vec<(String, String)>) {
        for (k, v) in table {
            let Some(t) = v.as_table() else { continue };
            let key = format!("{prefix}{k}");
            match t.get("zh").and_then(|z| z.as_str()) {
                Some(zh) => out.push((key, zh.to_string())),
                None => walk(&format!("{key}."), t, out),
            }
        }
    }
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("locales/diagnostics.toml");
    let table: toml::Table = std::fs::read_to_string(path).unwrap().parse().unwrap();
    let mut out = Vec::new();
    walk("", &table, &mut out);
    out
}

#[test]
fn the_chinese_messages_use_chinese_punctuation() {
    let all = chinese_diagnostics();
    assert!(all.len() > 100, "{} entries", all.len());
    let mut faults = Vec::new();
    for (key, zh) in &all {
        // What stays as the file spells it: `column` names, %{placeholders}, [tables], and
        // `file:line` locations.
        let mut plain = String::new();
        let mut quoted = false;
        for c in zh.chars() {
            if c == '`' {
                quoted = !quoted;
            } else if !quoted {
                plain.push(c);
            }
        }
        let plain = plain.replace("%{file}:%{line}", "");
        let mut rest = plain.as_str();
        let mut words = String::new();
        while let Some(i) = rest.find("%{") {
            words.push_str(&rest[..i]);
            rest = rest[i..].split_once('}').map_or("", |(_, r)| r);
        }
        words.push_str(rest);
        let words = words.replace("[[items]]", "").replace("[[grades]]", "");
        let words = ["[rates]", "[coefficients]", "[fee_bonus]"]
            .iter()
            .fold(words, |w, t| w.replace(t, ""));
        if let Some(c) = words.chars().find(|c| "(),;:?!\"".contains(*c)) {
            faults.push(format!("{key}: ASCII {c:?} in {zh}"));
        }
    }
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}
