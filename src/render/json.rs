//! The parts every JSON document shares (DESIGN §11): `period`, `standards`, `provenance`,
//! and numbers as strings with exactly two decimals.

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::model::decimal::fmt2;
use crate::model::Period;
use crate::workspace::provenance::Provenance;
use crate::workspace::StandardsFile;

/// A score, amount or percentage: `"87.50"`, or null.
pub fn dec(d: Option<Decimal>) -> Value {
    d.map_or(Value::Null, |d| Value::String(fmt2(d)))
}

/// The `{file, effective_from, sha256}` naming the standards used.
pub fn standards(f: &StandardsFile) -> Value {
    json!({
        "file": f.file,
        "effective_from": f.standards.effective_from.to_string(),
        "sha256": f.sha256,
    })
}

pub fn provenance(p: &Provenance) -> Value {
    json!({
        "tool_version": p.tool_version,
        "git_commit": p.git_commit,
        "dirty": p.dirty,
        "inputs_sha256": p.inputs_sha256,
    })
}

/// A document starting with `period` and `standards`; the caller adds its own fields and
/// then [`finish`]es it with the provenance.
pub fn document(period: &Period, standards_file: &StandardsFile) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("period".into(), Value::String(period.to_string()));
    m.insert("standards".into(), standards(standards_file));
    m
}

/// Add the provenance and render pretty, with a final newline.
pub fn finish(mut doc: Map<String, Value>, p: &Provenance) -> String {
    doc.insert("provenance".into(), provenance(p));
    let mut s = serde_json::to_string_pretty(&Value::Object(doc)).unwrap_or_default();
    s.push('\n');
    s
}
