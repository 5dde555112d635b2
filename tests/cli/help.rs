//! `--help` in the run's language: Chinese in a zh workspace, clap's English, unchanged, with
//! `--lang en`.

use crate::harness::{run_in, Ws};

#[test]
fn score_help_speaks_chinese_in_a_zh_workspace() {
    let ws = Ws::fixture("mini");
    let r = ws.run(&["score", "--help"]);
    r.status(0);
    let out = &r.stdout;
    for text in [
        "按期间对每个小区、社区和街道评分",
        "用法：oldestate score [OPTIONS] --period <PERIOD>",
        "期间：月、季度、半年或年（2026-03 | 2026Q1 | 2026H1 | 2026）",
        "YYYY-MM-DD 或 `today`",
        "- street:    每个街道一行",
        "[默认：compound]",
        "示例：\n  oldestate score --period 2026H1 --by street\n  oldestate score --period 2026-03 --explain 南营门",
        "选项:\n      --period <PERIOD>",
        "全局选项:\n      --workspace <DIR>",
        "  -h, --help\n          显示帮助（-h 只显示摘要）",
    ] {
        assert!(out.contains(text), "no {text:?} in\n{out}");
    }
    for english in [
        "Usage:",
        "Options:",
        "Global options",
        "Examples:",
        "Print help",
        "Possible values",
    ] {
        assert!(!out.contains(english), "{english:?} in\n{out}");
    }
    insta::assert_snapshot!("score_help_zh", out);
    // The summary (-h) too, with the values and the default in the line.
    let short = ws.run(&["score", "-h"]);
    short.status(0);
    for text in ["[可选值：compound, community, street]", "[默认：compound]"] {
        assert!(short.stdout.contains(text), "no {text:?} in\n{}", short.stdout);
    }
}

/// `--lang en` is clap's English help exactly as it was before the Chinese came (the English
/// path is clap's own parse, untouched; every page was compared with the binary before the
/// Chinese help when these snapshots were taken).
#[test]
fn english_help_is_unchanged() {
    let ws = Ws::fixture("mini");
    let long = ws.run(&["--lang", "en", "score", "--help"]);
    long.status(0);
    insta::assert_snapshot!("score_help_en", long.stdout);
    // A workspace that speaks English gives the same page without --lang.
    ws.replace("data/workspace.toml", "language = \"zh\"", "language = \"en\"");
    let en_workspace = ws.run(&["score", "--help"]);
    en_workspace.status(0);
    assert_eq!(en_workspace.stdout, long.stdout);
    let top = ws.run(&["--lang", "en", "-h"]);
    top.status(0);
    insta::assert_snapshot!("top_help_en_short", top.stdout);
}

#[test]
fn every_command_and_its_nested_commands_speak_chinese() {
    let dir = Ws::empty();
    for cmd in [
        &[][..],
        &["inspect"],
        &["inspect", "import"],
        &["inspect", "coverage"],
        &["standards", "diff"],
        &["completions"],
        &["man"],
    ] {
        let mut args = cmd.to_vec();
        args.push("--help");
        let r = run_in(dir.root(), &args);
        r.status(0);
        assert!(r.stdout.contains("用法：oldestate"), "{cmd:?}:\n{}", r.stdout);
        assert!(!r.stdout.contains("Options:"), "{cmd:?}:\n{}", r.stdout);
        assert!(
            r.stdout.contains("  -V, --version\n          显示版本"),
            "{cmd:?}:\n{}",
            r.stdout
        );
    }
    let import = run_in(dir.root(), &["inspect", "import", "--help"]);
    assert!(
        import.stdout.contains("参数:\n  <FILE>...\n          要导入的检查表"),
        "{}",
        import.stdout
    );
    let top = run_in(dir.root(), &["--help"]);
    assert!(top.stdout.contains("命令:\n  init "), "{}", top.stdout);
    assert!(
        top.stdout.contains("  help         显示本帮助，或给定命令的帮助"),
        "{}",
        top.stdout
    );
}
