//! Build script: names the git commit the binary was built from, for `--version`
//! (`OLDESTATE_GIT_COMMIT`; "unknown commit" outside a git checkout or without git), and
//! rebuilds the crate when the message catalogue (`locales/`) changes.

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // The message catalogue is compiled in by rust-i18n's macro, which cargo does not know
    // reads these files: an edited translation must rebuild the crate.
    println!("cargo:rerun-if-changed=locales");
    let commit = git(&["rev-parse", "--short", "HEAD"]).unwrap_or_else(|| "unknown commit".to_string());
    // Rebuild when HEAD moves: HEAD itself (a checkout) and the branch it names (a commit).
    // Asked of git, as in a worktree `.git` is a file naming the real directory.
    if let Some(head) = git(&["rev-parse", "--git-path", "HEAD"]) {
        println!("cargo:rerun-if-changed={head}");
    }
    if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
        // A packed ref has no file of its own; naming a missing file would rebuild every time.
        if let Some(path) = git(&["rev-parse", "--git-path", &branch]).filter(|p| std::path::Path::new(p).exists()) {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    println!("cargo:rustc-env=OLDESTATE_GIT_COMMIT={commit}");
}

/// What `git ARGS` prints, trimmed, when it runs and succeeds with some output.
fn git(args: &[&str]) -> Option<String> {
    let out = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    let text = text.trim();
    (out.status.success() && !text.is_empty()).then(|| text.to_string())
}
