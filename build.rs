//! Build script: names the git commit the binary was built from, for `--version`
//! (`OLDESTATE_GIT_COMMIT`; "unknown commit" outside a git checkout or without git).

use std::process::Command;

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    // rust-i18n reads locales/ at compile time but does not tell cargo: an edited message must
    // rebuild the crate, not leave the old words in the binary.
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
