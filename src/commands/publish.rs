//! `--publish` (bulletin, the notices, the payment sheet): what every publishing command shares.
//! A command makes its document as a [`Made`] (the bytes and what they stood on), writes it as
//! it always does, then [`publish`] appends the record to `data/published.csv` and keeps the
//! published state (the visits, appeals and standards behind it) in `data/published/`, under
//! the workspace lock. `verify` makes the same [`Made`] again from the record's arguments.

use std::time::Duration;

use chrono::NaiveDate;

use crate::error::Result;
use crate::model::records::Lang;
use crate::model::Period;
use crate::render::Format;
use crate::workspace::provenance::Provenance;
use crate::workspace::{append_publication, sha256_hex, Publication, State, Workspace};

use super::Context;

/// A document made, ready to be written and perhaps published.
pub struct Made {
    /// Its bytes (for notices, their `sha256sum` listing: see [`listing`]).
    pub bytes: Vec<u8>,
    /// The period it reports.
    pub period: Period,
    /// The as-of date it stood on.
    pub as_of: NaiveDate,
    /// The standards file it used and its SHA-256.
    pub standards: (String, String),
    /// The command's canonical arguments (see [`Publication::arguments`]).
    pub arguments: String,
    /// The workspace, and the provenance of what was read (computed only when publishing).
    pub ws: Workspace,
    /// Provenance, when asked for.
    pub provenance: Option<Provenance>,
    /// The document's language.
    pub lang: Lang,
}

/// A format's name on the command line.
pub fn format_arg(f: Format) -> &'static str {
    f.as_str()
}

/// A language's name on the command line.
pub fn lang_arg(l: Lang) -> &'static str {
    match l {
        Lang::Zh => "zh",
        Lang::En => "en",
    }
}

/// The `sha256sum` listing of a set of documents (name, bytes), sorted by name: what a set of
/// notices is published as, so one digest stands for the set and any one file can be checked
/// by hand.
pub fn listing(docs: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut lines: Vec<String> = docs
        .iter()
        .map(|(name, bytes)| format!("{}  {name}\n", sha256_hex(bytes)))
        .collect();
    lines.sort();
    lines.concat().into_bytes()
}

/// Record the publication of `made` (written to `output`) by `command`: a line in
/// `data/published.csv` and its state in `data/published/SHA256.csv`, under the workspace lock.
pub fn publish(ctx: &Context, command: &str, made: &Made, output: &str) -> Result<()> {
    let provenance = match &made.provenance {
        Some(p) => p.clone(),
        None => {
            return Err(crate::error::Error::msg(
                "internal: a published document needs its provenance",
            ))
        }
    };
    let p = Publication {
        published_at: chrono::Local::now().format("%Y-%m-%dT%H:%M:%S%:z").to_string(),
        command: command.to_string(),
        period: made.period,
        as_of: made.as_of,
        sha256: sha256_hex(&made.bytes),
        inputs_sha256: provenance.inputs_sha256.clone(),
        git_commit: provenance.git_commit.clone().unwrap_or_default(),
        arguments: made.arguments.clone(),
        output: output.to_string(),
        git_dirty: provenance.dirty.map(|d| d.to_string()).unwrap_or_default(),
        line: 0,
    };
    let state = State::of(
        &made.ws,
        &made.period,
        made.as_of,
        (&made.standards.0, &made.standards.1),
    )?;
    append_publication(&made.ws, &p, &state, Duration::from_secs(120))?;
    ctx.note(made.lang.pick(
        &format!(
            "已登记发布：{} {}（数据截至{}），sha256 {}",
            command,
            made.period,
            made.as_of,
            &p.sha256[..12]
        ),
        &format!(
            "publication recorded: {} {} (as of {}), sha256 {}",
            command,
            made.period,
            made.as_of,
            &p.sha256[..12]
        ),
    ));
    Ok(())
}
