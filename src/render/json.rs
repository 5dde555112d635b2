//! The parts JSON documents share (DESIGN §11, §14): `period`, `as_of`, `complete`,
//! `standards`, `provenance`, numbers
//! as strings with exactly two decimals, and the records several documents list (a compound's
//! result, a notice); and the streamed writer of the largest documents.
//!
//! A report's own fields are a typed value in [`crate::report`]; [`Document`] wraps one in the
//! shared header and provenance, and [`to_pretty`] writes it. `serde_json` keeps key order
//! (`preserve_order`), so a struct's field order is its document's key order.

use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{json, Map, Value};

use crate::domain::as_of::AsOf;
use crate::domain::recheck::Notice;
use crate::domain::scoring::CompoundResult;
use crate::model::decimal::fmt2;
use crate::model::Period;
use crate::workspace::provenance::Provenance;
use crate::workspace::StandardsFile;

/// A whole JSON document of DESIGN §11: `period`, `as_of` and `complete` (§14: the day the
/// report stands on, and whether the period had ended by then), `standards`, the report's own
/// fields (a value of [`crate::report`], flattened in its field order), then `provenance`.
/// One type for every report, so the header cannot differ between them.
#[derive(Serialize)]
pub struct Document<'a, B> {
    period: String,
    as_of: String,
    complete: bool,
    standards: StandardsJson<'a>,
    #[serde(flatten)]
    body: B,
    provenance: ProvenanceJson<'a>,
}

impl<'a, B: Serialize> Document<'a, B> {
    /// The document of a report over `period` as of `as_of`, scored under `standards_file`.
    pub fn new(
        period: &Period,
        as_of: &AsOf,
        standards_file: &'a StandardsFile,
        body: B,
        provenance: &'a Provenance,
    ) -> Self {
        Document {
            period: period.to_string(),
            as_of: as_of.date.to_string(),
            complete: as_of.complete(period),
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

/// A document starting with `period`, `as_of`, `complete` and `standards`, as [`Document`]
/// does; the caller adds its own fields and then [`finish`]es it with the provenance.
pub fn document(period: &Period, as_of: &AsOf, standards_file: &StandardsFile) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("period".into(), Value::String(period.to_string()));
    m.insert("as_of".into(), Value::String(as_of.date.to_string()));
    m.insert("complete".into(), Value::Bool(as_of.complete(period)));
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

/// A compound's result as a JSON value (in a document that lists a few: a bulletin's failing
/// compounds, an explanation).
pub fn compound_json(c: &CompoundResult) -> Value {
    serde_json::to_value(crate::report::score::Compound::from(c)).unwrap_or(Value::Null)
}

/// A rectification notice with its re-inspection (in `recheck`'s document and the bulletin's):
/// [`crate::report::recheck::Notice`] as a value.
pub fn notice_json(n: &Notice) -> Value {
    serde_json::to_value(crate::report::recheck::Notice::from(n)).unwrap_or(Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::as_of::Chosen;

    /// A report's own fields, as a report of `crate::report` gives them.
    #[derive(Serialize)]
    struct Body {
        items: Vec<u32>,
        empty: Vec<u32>,
        rate: Option<String>,
    }

    /// The typed document writes what the header, the fields inserted one by one and
    /// [`finish`] wrote before reports were typed values: same keys, same order, same bytes.
    #[test]
    fn a_typed_document_writes_what_the_map_did() {
        let file = StandardsFile {
            file: "standards/2026-01-01.toml".into(),
            sha256: "ab12".into(),
            standards: toml::from_str(include_str!("../../standards/2026-01-01.toml")).unwrap(),
        };
        let period: Period = "2026H1".parse().unwrap();
        let p = Provenance {
            tool_version: "0.1.0".into(),
            git_commit: None,
            dirty: Some(true),
            inputs_sha256: "cd34".into(),
        };
        let body = Body {
            items: vec![1, 2],
            empty: vec![],
            rate: None,
        };
        let as_of = AsOf::new(crate::model::parse_date("2026-06-15").unwrap(), Chosen::Given);
        let mut map = document(&period, &as_of, &file);
        map.insert("items".into(), json!([1, 2]));
        map.insert("empty".into(), json!([]));
        map.insert("rate".into(), Value::Null);
        let typed = to_pretty(&Document::new(&period, &as_of, &file, body, &p));
        assert_eq!(typed, finish(map, &p));
        assert!(typed.starts_with("{\n  \"period\": \"2026H1\",\n  \"as_of\": \"2026-06-15\",\n  \"complete\": false,"));
        let mut streamed = Vec::new();
        let body = Body {
            items: vec![1, 2],
            empty: vec![],
            rate: None,
        };
        write_pretty(&mut streamed, &Document::new(&period, &as_of, &file, body, &p)).unwrap();
        assert_eq!(String::from_utf8(streamed).unwrap(), typed);
    }
}
