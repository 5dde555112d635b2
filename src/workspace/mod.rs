//! Finding a workspace and loading its files (DESIGN §2). Loaders push every problem they meet
//! into a [`Diagnostics`] and return what they could read, so `check` can report everything at
//! once; commands turn collected errors into a failure with [`Diagnostics::into_result`].

mod appeals;
mod fees;
mod funds;
pub mod provenance;
mod published;
mod registry;
mod selections;
mod settings;
pub mod sources;
mod standards;
pub mod store;
mod table;
pub mod transaction;

use std::path::{Path, PathBuf};

use rust_i18n::t;

pub use appeals::load_appeals;
pub use fees::{each_fee, fee_periods, load_fees};
pub use funds::{fund_periods, load_funds};
pub use published::{
    append_publication, load_publications, load_published, Publication, Published, State, StateDiff, PUBLISHED,
};
pub use registry::{load_registry, load_registry_then};
pub use selections::load_selections;
pub use settings::{load_settings, SETTINGS};
pub use standards::{load_standards, parse_standards, sha256_hex, StandardsFile, StandardsSet};
pub use table::csv_problem;

use crate::error::{Diagnostics, Error, Result};

/// The environment variable naming a workspace when `--workspace` is not given.
pub const WORKSPACE_ENV: &str = "OLDESTATE_WORKSPACE";

/// A workspace on disk: a directory holding `standards/` and `data/`.
#[derive(Debug, Clone)]
pub struct Workspace {
    /// The directory holding `standards/` and `data/`.
    pub root: PathBuf,
}

impl Workspace {
    /// Find the workspace: `explicit` (from `--workspace`), else `$OLDESTATE_WORKSPACE`, else the
    /// first of `cwd` and its parents that holds both `standards/` and `data/`.
    pub fn discover(explicit: Option<&Path>, env: Option<&Path>, cwd: &Path) -> Result<Workspace> {
        if let Some(dir) = explicit.or(env) {
            let how = if explicit.is_some() {
                "--workspace"
            } else {
                WORKSPACE_ENV
            };
            if !is_workspace(dir) {
                return Err(Error::msg(
                    t!("workspace.not_a_workspace", dir => dir.display(), how => how),
                ));
            }
            return Ok(Workspace {
                root: dir.to_path_buf(),
            });
        }
        cwd.ancestors()
            .find(|d| is_workspace(d))
            .map(|d| Workspace { root: d.to_path_buf() })
            .ok_or_else(|| Error::msg(t!("workspace.none_found", dir => cwd.display(), env => WORKSPACE_ENV)))
    }

    /// Absolute path of a workspace-relative path.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// Load the registry, failing on any error in it.
    pub fn registry(&self) -> Result<crate::model::registry::Registry> {
        strictly(|d| load_registry(self, d))
    }

    /// Load all standards files, failing on any error in them.
    pub fn standards(&self) -> Result<StandardsSet> {
        strictly(|d| load_standards(self, d))
    }
}

fn is_workspace(dir: &Path) -> bool {
    dir.join("standards").is_dir() && dir.join("data").is_dir()
}

/// Run a loader and fail if it reported any error.
pub fn strictly<T>(load: impl FnOnce(&mut Diagnostics) -> Result<T>) -> Result<T> {
    let mut d = Diagnostics::new();
    let value = load(&mut d)?;
    d.into_result()?;
    Ok(value)
}

/// Read a file to a string, mapping a missing optional file to `None`.
fn read_optional(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(b) => Ok(Some(b)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(Error::io(path, e)),
    }
}

/// The file names in a directory (sorted), or none when it does not exist.
fn list_dir(dir: &Path) -> Result<Vec<String>> {
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(Error::io(dir, e)),
    };
    let mut names = Vec::new();
    for entry in entries {
        let entry = entry.map_err(|e| Error::io(dir, e))?;
        names.push(entry.file_name().to_string_lossy().into_owned());
    }
    names.sort();
    Ok(names)
}

/// Refuse an output path (`flag`, e.g. `--out`) inside the workspace's `data/` or
/// `standards/`: a report written there would overwrite the store (`--out
/// data/registry/compounds.csv` once destroyed the registry). Symlinks and `..` are resolved
/// through the part of the path that exists.
pub fn refuse_store_path(ws: &Workspace, path: &Path, flag: &str) -> Result<()> {
    let resolve = |p: &Path| -> PathBuf {
        let abs = if p.is_absolute() {
            p.to_path_buf()
        } else {
            std::env::current_dir().unwrap_or_default().join(p)
        };
        // Canonicalize the longest existing ancestor, then put the rest back on: the rest does
        // not exist, so holds no symlink, and its `..` are lexical.
        let parts: Vec<std::path::Component<'_>> = abs.components().collect();
        for i in (1..=parts.len()).rev() {
            let head: PathBuf = parts[..i].iter().collect();
            if let Ok(mut out) = head.canonicalize() {
                for part in &parts[i..] {
                    match part {
                        std::path::Component::ParentDir => {
                            out.pop();
                        }
                        std::path::Component::Normal(name) => out.push(name),
                        _ => {}
                    }
                }
                return out;
            }
        }
        abs
    };
    let target = resolve(path);
    for dir in ["data", "standards"] {
        let inside = resolve(&ws.path(dir));
        if target.starts_with(&inside) {
            return Err(Error::Usage(
                t!("workspace.output_inside", flag = flag, path = path.display(), dir = dir).into_owned(),
            ));
        }
    }
    Ok(())
}

/// The registry files and their header lines, for `init`.
pub fn registry_headers() -> Vec<(&'static str, String)> {
    use registry::*;
    vec![
        (STREETS, STREET_COLS.join(",")),
        (COMMUNITIES, COMMUNITY_COLS.join(",")),
        (COMPOUNDS, COMPOUND_COLS.join(",")),
        (COMPANIES, COMPANY_COLS.join(",")),
        (CONTRACTS, CONTRACT_COLS.join(",")),
        (TITLES, TITLE_COLS.join(",")),
    ]
}
