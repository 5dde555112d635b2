//! `init` and workspace discovery.

use crate::harness::{run_in, Ws};

#[test]
fn init_then_check_passes() {
    let tmp = Ws::empty();
    let dir = tmp.path("district");
    let d = dir.to_str().unwrap();
    run_in(tmp.root(), &["init", d]).status(0);
    assert_eq!(
        std::fs::read_to_string(dir.join("data/registry/compounds.csv")).unwrap(),
        "compound_id,community_id,name,aliases,households,area_m2,buildings\n"
    );
    assert!(dir.join("standards/2026-01-01.toml").is_file());
    run_in(tmp.root(), &["--workspace", d, "check", "--strict"])
        .status(0)
        .stderr_line(&format!("检查完毕：0 个错误，0 个警告（工作区 {d}）"));
}

#[test]
fn init_refuses_a_non_empty_directory_and_writes_nothing() {
    let tmp = Ws::empty();
    tmp.write("busy/notes.txt", "mine");
    let d = tmp.path("busy");
    run_in(tmp.root(), &["init", d.to_str().unwrap()])
        .status(1)
        .stderr_line(&format!(
            "oldestate: {} 不是空目录：init 只在空目录或新目录中建立工作区",
            d.display()
        ));
    let names: Vec<_> = std::fs::read_dir(&d).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(names, vec!["notes.txt"]);
    // No temporary directory is left beside it either.
    assert_eq!(std::fs::read_dir(tmp.root()).unwrap().count(), 1);
}

#[test]
fn init_accepts_an_existing_empty_directory() {
    let tmp = Ws::empty();
    std::fs::create_dir(tmp.path("empty")).unwrap();
    run_in(tmp.root(), &["init", "empty"]).status(0);
    assert!(tmp.path("empty/data/workspace.toml").is_file());
}

#[test]
fn workspace_is_found_from_a_subdirectory() {
    let ws = Ws::fixture("mini");
    std::fs::create_dir_all(ws.path("data/registry/deep")).unwrap();
    run_in(&ws.path("data/registry/deep"), &["check"]).status(0);
}

#[test]
fn no_workspace_is_an_error_with_a_hint() {
    let tmp = Ws::empty();
    // No workspace to take a language from: the flag chooses it (else LANG would).
    let r = run_in(tmp.root(), &["--lang", "zh", "check"]);
    r.status(1);
    assert!(r.stderr.contains("及其上级目录中都没有找到工作区"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("请用 --workspace DIR 指定，或设置环境变量 OLDESTATE_WORKSPACE"),
        "{}",
        r.stderr
    );
    let r = run_in(tmp.root(), &["--lang", "en", "check"]);
    r.status(1);
    assert!(r.stderr.contains("no workspace found in"), "{}", r.stderr);
    assert!(
        r.stderr.contains("pass --workspace DIR, set OLDESTATE_WORKSPACE"),
        "{}",
        r.stderr
    );
}

#[test]
fn usage_errors_exit_2() {
    let ws = Ws::fixture("mini");
    ws.run(&["check", "--no-such-flag"]).status(2);
    ws.run(&["check", "--format", "html"])
        .status(2)
        .stderr_line("error: `check` 不能输出 --format html：可用的格式为 table, json");
    ws.run(&["frobnicate"]).status(2);
}

/// A format the command does not write is refused when the line is parsed, before anything is
/// read or written: `init --format html DIR` creates nothing (it used to be accepted).
#[test]
fn a_format_the_command_does_not_write_is_refused_before_it_runs() {
    let ws = Ws::fixture("mini");
    let dir = ws.root().join("new-district");
    let d = dir.to_str().unwrap();
    ws.run(&["--format", "html", "init", d])
        .status(2)
        .stderr_line("error: `init` 不输出报表，不接受 --format html");
    assert!(!dir.exists());
    ws.run(&["--lang", "en", "score", "--period", "2026H1", "--format", "md"])
        .status(2)
        .stderr_line("error: `score` does not write --format md: use one of table, csv, json, xlsx");
    ws.run(&["recheck", "--period", "2026H1", "--format", "docx"])
        .status(2)
        .stderr_line("error: `recheck` 不能输出 --format docx：可用的格式为 table, csv, json, xlsx");
}
