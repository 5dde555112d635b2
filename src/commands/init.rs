//! `oldestate init DIR`: a new, empty workspace with the default standards.

use rust_i18n::t;
use std::path::Path;

use clap::Args;

use crate::error::{Error, Result};
use crate::workspace::registry_headers;

use super::Context;

/// The default standards written by `init` (the demo district's current standards).
pub const DEFAULT_STANDARDS: &str = include_str!("../../standards/2026-01-01.toml");
/// The file name of [`DEFAULT_STANDARDS`]: it must equal its `effective_from`.
pub const DEFAULT_STANDARDS_FILE: &str = "standards/2026-01-01.toml";

/// Create a new, empty workspace with the default standards.
///
/// Create a new workspace in DIR: data/workspace.toml, the registry files with their headers
/// only, an empty findings store, and the default standards. DIR must be empty or absent.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  oldestate init ./heping\n  oldestate init . (in an empty directory)")]
pub struct InitArgs {
    /// Directory to create the workspace in
    pub dir: std::path::PathBuf,
}

/// Run `oldestate init DIR`: write a new workspace all at once (nothing is left behind if a
/// write fails) and say how to check it.
pub fn cmd_init(ctx: &Context, args: &InitArgs) -> Result<()> {
    create_fresh(&args.dir, |tmp| {
        write(tmp, "data/workspace.toml", WORKSPACE_TOML)?;
        // The lock and journal of writes are not data: keep them out of the bureau's git.
        write(tmp, "data/.gitignore", ".oldestate.*\n")?;
        for (rel, header) in registry_headers() {
            write(tmp, rel, &format!("{header}\n"))?;
        }
        std::fs::create_dir_all(tmp.join("data/inspections"))
            .map_err(|e| Error::io(tmp.join("data/inspections"), e))?;
        write(tmp, DEFAULT_STANDARDS_FILE, DEFAULT_STANDARDS)
    })?;
    ctx.note(t!("init.created", dir = args.dir.display()));
    Ok(())
}

const WORKSPACE_TOML: &str = r#"# The district this workspace supervises.
district = ""
# Report language: zh or en.
language = "zh"
currency = "CNY"

# Residents' selection of a company (居民选): shares of households and of floor area.
[selection]
quorum = "0.6667"
majority = "0.5"
"#;

fn write(root: &Path, rel: &str, text: &str) -> Result<()> {
    let path = root.join(rel);
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
    }
    std::fs::write(&path, text).map_err(|e| Error::io(&path, e))
}

/// Fill a temporary sibling of `dir`, then rename it into place: a failure leaves nothing
/// behind, and an existing non-empty `dir` is refused before anything is written.
fn create_fresh(dir: &Path, fill: impl FnOnce(&Path) -> Result<()>) -> Result<()> {
    let existing_empty = match std::fs::read_dir(dir) {
        Ok(mut entries) => {
            if entries.next().is_some() {
                return Err(Error::msg(t!("init.not_empty", dir = dir.display())));
            }
            true
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => false,
        Err(e) => return Err(Error::io(dir, e)),
    };
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => std::path::PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(|e| Error::io(&parent, e))?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".oldestate-init-");
    // 0777 less the umask, as `create_dir` would: tempfile's 0700 would make the workspace private.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o777));
    }
    let tmp = builder.tempdir_in(&parent).map_err(|e| Error::io(&parent, e))?;
    fill(tmp.path())?;
    if existing_empty {
        std::fs::remove_dir(dir).map_err(|e| Error::io(dir, e))?;
    }
    let kept = tmp.keep();
    std::fs::rename(&kept, dir).map_err(|e| Error::io(dir, e))?;
    Ok(())
}
