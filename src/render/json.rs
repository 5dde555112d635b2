//! The parts JSON documents share (DESIGN §11): `period`, `standards`, `provenance`, numbers
//! as strings with exactly two decimals, and the records several documents list (a compound's
//! result, a notice); and the streamed writer of the largest documents.
//!
//! A report's own fields are a typed value in [`crate::report`]; [`Document`] wraps one in the
//! shared header and provenance, and [`to_pretty`] writes it. `serde_json` keeps key order
//! (`preserve_order`), so a struct's field order is its document's key order.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::domain::recheck::Notice;
use crate::domain::scoring::{CategoryPoints, CompoundResult};
use crate::model::decimal::fmt2;
use crate::model::Period;
use crate::workspace::provenance::Provenance;
use crate::workspace::StandardsFile;

/// A whole JSON document of DESIGN §11: `period`, `standards`, the report's own fields (a
/// value of [`crate::report`], flattened in its field order), then `provenance`. One type for
/// every report, so the header cannot differ between them.
#[derive(Serialize)]
pub struct Document<'a, B> {
    period: String,
    standards: StandardsJson<'a>,
    #[serde(flatten)]
    body: B,
    provenance: ProvenanceJson<'a>,
}

impl<'a, B: Serialize> Document<'a, B> {
    /// The document of a report over `period`, scored under `standards_file`.
    pub fn new(period: &Period, standards_file: &'a StandardsFile, body: B, provenance: &'a Provenance) -> Self {
        Document {
            period: period.to_string(),
            standards: StandardsJson::from(standards_file),
            body,
            provenance: ProvenanceJson {
                tool_version: &provenance.tool_version,
                git_commit: provenance.git_commit.as_deref(),
                dirty: provenance.dirty,
                inputs_sha256: &provenance.inputs_sha256,
            },
        }
    }
}

/// The `standards` field: which standards file a report used, and its digest.
#[derive(Serialize)]
struct StandardsJson<'a> {
    file: &'a str,
    effective_from: String,
    sha256: &'a str,
}

impl<'a> From<&'a StandardsFile> for StandardsJson<'a> {
    fn from(f: &'a StandardsFile) -> Self {
        StandardsJson {
            file: &f.file,
            effective_from: f.standards.effective_from.to_string(),
            sha256: &f.sha256,
        }
    }
}

/// The `provenance` field (DESIGN §11).
#[derive(Serialize)]
struct ProvenanceJson<'a> {
    tool_version: &'a str,
    git_commit: Option<&'a str>,
    dirty: Option<bool>,
    inputs_sha256: &'a str,
}

/// A value pretty-printed, with a final newline: how every JSON document is written.
pub fn to_pretty(value: &impl Serialize) -> String {
    let mut s = serde_json::to_string_pretty(value).unwrap_or_default();
    s.push('\n');
    s
}

/// Write a value pretty-printed, with a final newline, straight to `out`: for the documents
/// too large to hold as text (a national score report).
pub fn write_pretty<W: std::io::Write>(out: &mut W, value: &impl Serialize) -> std::io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}

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

/// The `{tool_version, git_commit, dirty, inputs_sha256}` tracing a figure to its data.
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

/// A field of a streamed document: one value, or an array produced element by element.
pub enum Field<'a> {
    Value(Value),
    Array(Box<dyn Iterator<Item = Value> + 'a>),
    /// An array whose items are already pretty-printed (`serde_json::to_vec_pretty` of a
    /// struct): for the largest arrays, so no `Value` tree is built per item.
    Pretty(Box<dyn Iterator<Item = Vec<u8>> + 'a>),
}

/// Write a JSON object field by field, arrays element by element, byte-identical to
/// `serde_json::to_string_pretty` of the whole object plus a newline, but without ever holding
/// the whole tree: a national score report has 220,000 compounds.
pub fn write_streamed<W: std::io::Write>(out: &mut W, fields: Vec<(&str, Field<'_>)>) -> std::io::Result<()> {
    // Pretty-printed JSON has line breaks only between tokens (strings escape theirs), so
    // indenting an item is writing the indent after each of them.
    fn indented<W: std::io::Write>(out: &mut W, text: &[u8], indent: &[u8]) -> std::io::Result<()> {
        let mut lines = text.split(|&b| b == b'\n');
        if let Some(first) = lines.next() {
            out.write_all(first)?;
        }
        for line in lines {
            out.write_all(b"\n")?;
            out.write_all(indent)?;
            out.write_all(line)?;
        }
        Ok(())
    }
    let pretty = |v: &Value| serde_json::to_vec_pretty(v).unwrap_or_default();
    out.write_all(b"{")?;
    let n = fields.len();
    for (i, (key, field)) in fields.into_iter().enumerate() {
        write!(out, "\n  {}: ", Value::String(key.to_string()))?;
        match field {
            Field::Value(v) => indented(out, &pretty(&v), b"  ")?,
            Field::Array(items) => write_array(out, items.map(|v| pretty(&v)), indented)?,
            Field::Pretty(items) => write_array(out, items, indented)?,
        }
        if i + 1 < n {
            out.write_all(b",")?;
        }
    }
    out.write_all(b"\n}\n")
}

/// `[` items `]` as pretty-printing an array inside an object writes them.
fn write_array<W: std::io::Write>(
    out: &mut W,
    items: impl Iterator<Item = Vec<u8>>,
    indented: fn(&mut W, &[u8], &[u8]) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut items = items.peekable();
    if items.peek().is_none() {
        return out.write_all(b"[]");
    }
    out.write_all(b"[")?;
    while let Some(v) = items.next() {
        out.write_all(b"\n    ")?;
        indented(out, &v, b"    ")?;
        if items.peek().is_some() {
            out.write_all(b",")?;
        }
    }
    out.write_all(b"\n  ]")
}

/// A compound as JSON (DESIGN §11), serialized straight from the result: national reports
/// write hundreds of thousands of these.
#[derive(serde::Serialize)]
struct CompoundJson<'a> {
    compound_id: &'a str,
    name: &'a str,
    community_id: &'a str,
    street_id: &'a str,
    visits: u32,
    score: Option<String>,
    grade: Option<&'a str>,
    verdict: &'a str,
    red_line: bool,
    problem_points: u64,
    categories: &'a CategoryPoints,
    looks: Option<LooksJson>,
}

#[derive(serde::Serialize)]
struct LooksJson {
    street: bool,
    community: bool,
    property: bool,
}

impl<'a> From<&'a CompoundResult> for CompoundJson<'a> {
    fn from(c: &'a CompoundResult) -> Self {
        CompoundJson {
            compound_id: &c.compound_id,
            name: &c.name,
            community_id: &c.community_id,
            street_id: &c.street_id,
            visits: c.visits,
            score: c.score.map(fmt2),
            grade: c.grade.as_deref(),
            verdict: c.verdict.as_str(),
            red_line: c.red_line,
            problem_points: c.problem_points,
            categories: &c.categories,
            looks: c.looks.map(|l| LooksJson {
                street: l.street,
                community: l.community,
                property: l.property,
            }),
        }
    }
}

/// A compound's result as a JSON value (in a document that lists a few: a bulletin's failing
/// compounds, an explanation).
pub fn compound_json(c: &CompoundResult) -> Value {
    serde_json::to_value(CompoundJson::from(c)).unwrap_or(Value::Null)
}

/// A compound's result pretty-printed, as an item of [`Field::Pretty`]: the score report's
/// compounds are written this way, with no `Value` tree per compound.
pub fn compound_pretty(c: &CompoundResult) -> Vec<u8> {
    serde_json::to_vec_pretty(&CompoundJson::from(c)).unwrap_or_default()
}

/// A rectification notice with its re-inspection (in `recheck`'s document and the bulletin's):
/// [`crate::report::recheck::Notice`] as a value.
pub fn notice_json(n: &Notice) -> Value {
    serde_json::to_value(crate::report::recheck::Notice::from(n)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn streaming_writes_what_pretty_printing_would() {
        let doc = json!({
            "period": "2026H1",
            "standards": {"file": "s.toml", "sha256": "ab"},
            "compounds": [{"id": "P1", "looks": {"a": true}, "categories": {}}, {"id": "P2", "looks": null, "list": [1, 2]}],
            "empty": [],
            "provenance": {"tool_version": "0.1.0", "git_commit": null},
        });
        let mut out = Vec::new();
        write_streamed(
            &mut out,
            vec![
                ("period", Field::Value(doc["period"].clone())),
                ("standards", Field::Value(doc["standards"].clone())),
                (
                    "compounds",
                    Field::Array(Box::new(doc["compounds"].as_array().unwrap().clone().into_iter())),
                ),
                ("empty", Field::Array(Box::new(std::iter::empty()))),
                ("provenance", Field::Value(doc["provenance"].clone())),
            ],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            serde_json::to_string_pretty(&doc).unwrap() + "\n"
        );
    }
}
