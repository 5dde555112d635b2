//! A temporary workspace made from a fixture, and a way to run the real binary on it.

use std::path::{Path, PathBuf};
use std::process::Command;

/// What one run of the binary did.
#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// Assert the exit status, showing both streams when it differs.
    #[track_caller]
    pub fn status(&self, code: i32) -> &Run {
        assert_eq!(
            self.code, code,
            "exit status\nstdout:\n{}\nstderr:\n{}",
            self.stdout, self.stderr
        );
        self
    }

    /// Assert that stdout has this exact line.
    #[track_caller]
    pub fn stdout_line(&self, line: &str) -> &Run {
        assert!(
            self.stdout.lines().any(|l| l == line),
            "no line\n  {line}\nin stdout:\n{}\nstderr:\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    /// Assert that stderr has this exact line.
    #[track_caller]
    pub fn stderr_line(&self, line: &str) -> &Run {
        assert!(
            self.stderr.lines().any(|l| l == line),
            "no line\n  {line}\nin stderr:\n{}",
            self.stderr
        );
        self
    }
}

/// A workspace in a temporary directory, deleted on drop.
pub struct Ws {
    dir: tempfile::TempDir,
}

impl Ws {
    /// A copy of `tests/fixtures/NAME`.
    pub fn fixture(name: &str) -> Ws {
        let dir = tempfile::tempdir().unwrap();
        copy_dir(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name),
            dir.path(),
        );
        Ws { dir }
    }

    /// An empty temporary directory (not a workspace).
    pub fn empty() -> Ws {
        Ws {
            dir: tempfile::tempdir().unwrap(),
        }
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.dir.path().join(rel)
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.path(rel)).unwrap()
    }

    pub fn write(&self, rel: &str, text: &str) {
        let p = self.path(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }

    pub fn append(&self, rel: &str, text: &str) {
        let old = self.read(rel);
        self.write(rel, &(old + text));
    }

    /// Replace exactly one occurrence of `from` in a file.
    #[track_caller]
    pub fn replace(&self, rel: &str, from: &str, to: &str) {
        let old = self.read(rel);
        assert_eq!(old.matches(from).count(), 1, "{from:?} must occur once in {rel}");
        self.write(rel, &old.replacen(from, to, 1));
    }

    /// Every file under `data/` with its bytes (the lock file left out), sorted: a store
    /// that must not change is compared before and after.
    pub fn snapshot(&self) -> Vec<(String, Vec<u8>)> {
        let mut out = Vec::new();
        let mut stack = vec![self.path("data")];
        while let Some(d) = stack.pop() {
            for e in std::fs::read_dir(d).unwrap() {
                let p = e.unwrap().path();
                if p.is_dir() {
                    stack.push(p);
                } else if !p.ends_with(".oldestate.lock") {
                    out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
                }
            }
        }
        out.sort();
        out
    }

    /// Run `oldestate --workspace ROOT ARGS...`.
    pub fn run(&self, args: &[&str]) -> Run {
        let mut all = vec!["--workspace", self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        run_in(self.root(), &all)
    }

    /// [`Ws::run`] on a calendar day other than the clock's (`OLDESTATE_TODAY`).
    pub fn run_on(&self, today: &str, args: &[&str]) -> Run {
        let mut all = vec!["--workspace", self.root().to_str().unwrap()];
        all.extend_from_slice(args);
        run_with(self.root(), &all, Some(today))
    }
}

/// Run the binary in `cwd` with exactly `args`, no workspace variable and the clock's today.
pub fn run_in(cwd: &Path, args: &[&str]) -> Run {
    run_with(cwd, args, None)
}

/// Run the binary in `cwd` with exactly `args`, no workspace variable, and `today` as the
/// calendar day when given.
fn run_with(cwd: &Path, args: &[&str], today: Option<&str>) -> Run {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_oldestate"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("OLDESTATE_WORKSPACE")
        .env_remove("OLDESTATE_TODAY")
        // Outside a workspace the language is the environment's: the tests' is none (zh).
        .env_remove("LC_ALL")
        .env_remove("LC_MESSAGES")
        .env_remove("LANG");
    if let Some(day) = today {
        cmd.env("OLDESTATE_TODAY", day);
    }
    let out = cmd.output().unwrap();
    Run {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}
