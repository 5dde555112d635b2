//! The command line itself: closed pipes, file modes, help, completions, the man page and
//! the version.

use std::process::{Command, Stdio};

use crate::harness::{run_in, Ws};

/// Run `oldestate --workspace WS ARGS` with stdout discarded and stderr a pipe whose reader
/// is closed at once; the exit status and whether it panicked.
fn run_with_stderr_closed(ws: &Ws, args: &[&str]) -> i32 {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oldestate"))
        .arg("--workspace")
        .arg(ws.root())
        .args(args)
        .env_remove("OLDESTATE_WORKSPACE")
        .env_remove("OLDESTATE_TODAY")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stderr.take());
    child.wait().unwrap().code().unwrap_or(-1)
}

#[test]
fn a_closed_stderr_ends_a_usage_error_with_its_status_not_a_panic() {
    let ws = Ws::fixture("mini");
    let code = run_with_stderr_closed(&ws, &["score", "--period", "2026H1", "--format", "docx"]);
    assert_eq!(code, 2);
}

/// The mini workspace with a store month of 3000 rows naming no compound of the registry:
/// `check` fails with pages of errors on stdout and its summary on stderr.
fn many_errors() -> Ws {
    let ws = Ws::fixture("mini");
    let rows: String = (0..3000)
        .map(|i| format!("X{i},2026-03-05,third_party,routine,T,3,NOPE{i},X01,1,0,\n"))
        .collect();
    ws.append("data/inspections/2026/2026-03.csv", &rows);
    ws.run(&["check"]).status(1);
    ws
}

#[test]
fn a_closed_stderr_ends_a_failed_check_with_its_status_not_a_panic() {
    let code = run_with_stderr_closed(&many_errors(), &["check"]);
    assert_eq!(code, 1);
}

/// The report's own case. Whether `head` has gone when the summary is written is a race, so
/// the closed-stderr tests above are the ones that pin the fix; this one keeps the pipeline.
#[test]
fn check_through_head_ends_without_a_panic_status() {
    let ws = many_errors();
    let status = ws.path("status");
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "('{}' --workspace '{}' check 2>&1; echo $? > '{}') | head -1",
            env!("CARGO_BIN_EXE_oldestate"),
            ws.root().display(),
            status.display()
        ))
        .output()
        .unwrap();
    let code = std::fs::read_to_string(&status).unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(!text.contains("panicked"), "{text}");
    assert_ne!(code.trim(), "101", "{text}");
}

#[cfg(unix)]
fn mode(path: &std::path::Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Run `sh -c 'umask 022; oldestate --workspace WS ARGS'`.
#[cfg(unix)]
fn run_umask_022(ws: &Ws, args: &[&str]) -> std::process::Output {
    let quoted: Vec<String> = args.iter().map(|a| format!("'{a}'")).collect();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "umask 022; exec '{}' --workspace '{}' {}",
            env!("CARGO_BIN_EXE_oldestate"),
            ws.root().display(),
            quoted.join(" ")
        ))
        .env_remove("OLDESTATE_WORKSPACE")
        .env_remove("OLDESTATE_TODAY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    out
}

#[cfg(unix)]
#[test]
fn a_bulletin_written_with_out_follows_the_umask() {
    let ws = Ws::fixture("mini");
    let file = ws.path("bulletin.md");
    run_umask_022(
        &ws,
        &[
            "bulletin",
            "--period",
            "2026H1",
            "--as-of",
            "2026-07-01",
            "--out",
            file.to_str().unwrap(),
        ],
    );
    assert_eq!(mode(&file), 0o644);
}

#[cfg(unix)]
#[test]
fn imported_month_files_archive_and_ledger_follow_the_umask() {
    let ws = Ws::fixture("mini");
    ws.write(
        "in/april.csv",
        "日期,检查层级,检查类型,检查组,人数,小区,问题项,点位,照片,备注\n2026/4/2,第三方,日常,第三方一组,3,南营门,X01,2,5,\n",
    );
    run_umask_022(&ws, &["inspect", "import", ws.path("in/april.csv").to_str().unwrap()]);
    assert_eq!(mode(&ws.path("data/inspections/2026/2026-04.csv")), 0o644);
    assert_eq!(mode(&ws.path("data/imports.csv")), 0o644);
    let archived: Vec<_> = std::fs::read_dir(ws.path("data/archive")).unwrap().collect();
    assert_eq!(archived.len(), 1);
    assert_eq!(mode(&archived[0].as_ref().unwrap().path()), 0o644);
}

#[cfg(unix)]
#[test]
fn a_new_workspace_directory_follows_the_umask() {
    let dir = Ws::empty();
    let out = Command::new("sh")
        .arg("-c")
        .arg(format!("umask 022; exec '{}' init ws", env!("CARGO_BIN_EXE_oldestate")))
        .current_dir(dir.root())
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(mode(&dir.path("ws")), 0o755);
}

#[test]
fn lower_case_periods_are_accepted() {
    let ws = Ws::fixture("mini");
    let upper = ws.run(&[
        "score",
        "--period",
        "2026H1",
        "--as-of",
        "2026-07-01",
        "--format",
        "csv",
    ]);
    upper.status(0);
    let lower = ws.run(&[
        "score",
        "--period",
        "2026h1",
        "--as-of",
        "2026-07-01",
        "--format",
        "csv",
    ]);
    lower.status(0);
    assert_eq!(lower.stdout, upper.stdout);
}

#[test]
fn every_command_help_has_examples_and_global_options_have_their_heading() {
    let dir = Ws::empty();
    for cmd in [
        &["init"][..],
        &["check"],
        &["inspect", "import"],
        &["inspect", "coverage"],
        &["score"],
        &["recheck"],
        &["bulletin"],
        &["subsidy"],
        &["contracts"],
        &["company"],
        &["standards", "diff"],
        &["inspect"],
        &["standards"],
        &[],
    ] {
        let mut args = vec!["--lang", "en"];
        args.extend_from_slice(cmd);
        args.push("--help");
        let r = run_in(dir.root(), &args);
        r.status(0);
        assert!(r.stdout.contains("Examples:\n  oldestate "), "{cmd:?}:\n{}", r.stdout);
        assert!(r.stdout.contains("Global options:"), "{cmd:?}:\n{}", r.stdout);
        // The same in Chinese, the language outside a workspace when the environment says none.
        let r = run_in(dir.root(), &args[2..]);
        r.status(0);
        assert!(r.stdout.contains("示例：\n  oldestate "), "{cmd:?}:\n{}", r.stdout);
        assert!(r.stdout.contains("全局选项:"), "{cmd:?}:\n{}", r.stdout);
    }
    let score = run_in(dir.root(), &["score", "--help"]);
    assert!(
        score.stdout.contains("2026-03 | 2026Q1 | 2026H1 | 2026"),
        "{}",
        score.stdout
    );
}

#[test]
fn bash_completions_name_the_commands() {
    let dir = Ws::empty();
    let r = run_in(dir.root(), &["completions", "bash"]);
    r.status(0);
    assert!(r.stdout.contains("oldestate"));
    assert!(r.stdout.contains("bulletin"));
    for shell in ["zsh", "fish", "powershell"] {
        let r = run_in(dir.root(), &["completions", shell]);
        r.status(0);
        assert!(r.stdout.contains("bulletin"), "{shell}");
    }
}

#[test]
fn completions_and_the_man_page_speak_the_run_language() {
    let dir = Ws::empty();
    let fish = run_in(dir.root(), &["completions", "fish"]);
    fish.status(0);
    // An option's help and a value's help, as a shell shows them beside what it completes.
    assert!(fish.stdout.contains("-l lang -d '报告语言"), "{}", fish.stdout);
    assert!(
        fish.stdout.contains("table\\t'终端中供人阅读的表格（默认）'"),
        "{}",
        fish.stdout
    );
    assert!(!fish.stdout.contains("A table for people"), "{}", fish.stdout);
    let bash = run_in(dir.root(), &["completions", "bash"]);
    assert!(
        bash.stdout.contains("table csv json md html docx xlsx"),
        "{}",
        bash.stdout
    );
    let en = run_in(dir.root(), &["--lang", "en", "completions", "fish"]);
    assert!(
        en.stdout
            .contains("table\\t'A table for people in a terminal (the default)'"),
        "{}",
        en.stdout
    );
    let man = run_in(dir.root(), &["man"]);
    man.status(0);
    assert!(man.stdout.contains("老旧小区打包物业模式监管工具"), "{}", man.stdout);
    assert!(man.stdout.contains(".SH 全局选项"), "{}", man.stdout);
    let man = run_in(dir.root(), &["--lang", "en", "man"]);
    assert!(
        man.stdout.contains("Supervision toolkit for old residential compounds"),
        "{}",
        man.stdout
    );
}

#[test]
fn the_man_page_is_roff() {
    let dir = Ws::empty();
    let r = run_in(dir.root(), &["man"]);
    r.status(0);
    // clap_mangen puts its two-line quote definition (`.ie`/`.el`) before the title.
    let first = r
        .stdout
        .lines()
        .find(|l| !l.starts_with(".ie") && !l.starts_with(".el"));
    assert!(first.is_some_and(|l| l.starts_with(".TH oldestate 1")), "{}", r.stdout);
    assert!(r.stdout.contains("bulletin"));
}

#[test]
fn the_version_names_the_package_version() {
    let dir = Ws::empty();
    let r = run_in(dir.root(), &["-V"]);
    r.status(0);
    assert!(r.stdout.starts_with("oldestate 0.1.0 ("), "{}", r.stdout);
}

/// clap's refusals of a command line speak the workspace's language too, with clap's
/// suggestion, and still exit 2; `--lang en` gives the English, also before a line parses.
#[test]
fn a_command_line_that_does_not_parse_is_refused_in_the_workspaces_language() {
    let ws = Ws::fixture("mini");
    ws.run(&["scor", "--period", "2026H1"])
        .status(2)
        .stderr_line("错误：不认识的命令“scor”；是不是要用“score”？");
    ws.run(&["score"])
        .status(2)
        .stderr_line("错误：缺少必需的参数：--period <PERIOD>")
        .stderr_line("用法：oldestate score --period <PERIOD>");
    ws.run(&["score", "--period", "2026H1", "--by", "sreet"])
        .status(2)
        .stderr_line("错误：--by <BY> 的值“sreet”无效（可选：compound, community, street）；是不是要用“street”？");
    ws.run(&["--lang", "en", "score", "--perod", "2026H1"])
        .status(2)
        .stderr_line("error: unexpected argument '--perod' found; did you mean '--period'?");
    // Help is not an error.
    ws.run(&["score", "--help"]).status(0);
}

/// A sheet's missing column is named as the office names it (人数), not by the field's id.
#[test]
fn a_missing_column_is_named_in_the_offices_words() {
    let ws = Ws::fixture("mini");
    ws.write(
        "short.csv",
        "检查日期,小区,检查组,问题项,点位\n2026-03-02,福明里,A组,X01,1\n",
    );
    ws.run(&["inspect", "import", "--level", "third_party", "short.csv"])
        .status(1)
        .stderr_line("oldestate: short.csv 第1行 A列「检查日期」：缺少“人数”列（列名可用：inspectors、人数、检查人数、人员数、检查人员、检查人、参检人员、检查人员姓名）");
}
