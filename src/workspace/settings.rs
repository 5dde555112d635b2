//! `data/workspace.toml`: the district's name, report language, currency and the selection rule.

use rust_decimal::Decimal;
use rust_i18n::t;
use serde::Deserialize;

use crate::error::{Diagnostics, Result};
use crate::model::decimal::de_opt_decimal;
use crate::model::records::{AssessorSettings, Documents, Lang, Settings};

use super::{read_optional, Workspace};

/// The workspace settings file, workspace-relative (optional).
pub const SETTINGS: &str = "data/workspace.toml";

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    district: String,
    #[serde(default)]
    language: Lang,
    #[serde(default = "default_currency")]
    currency: String,
    #[serde(default)]
    selection: Option<RawSelection>,
    #[serde(default)]
    documents: Option<Documents>,
    #[serde(default)]
    assessor: Option<toml::Table>,
    /// Keys this version does not know: warned about, not fatal, so a workspace written for
    /// a newer version still runs.
    #[serde(flatten)]
    unknown: std::collections::BTreeMap<String, toml::Value>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawSelection {
    #[serde(default, deserialize_with = "de_opt_decimal")]
    quorum: Option<Decimal>,
    #[serde(default, deserialize_with = "de_opt_decimal")]
    majority: Option<Decimal>,
}

fn default_currency() -> String {
    "CNY".into()
}

/// Defaults of DESIGN §13 for a selection's quorum and majority.
pub fn default_quorum() -> Decimal {
    Decimal::new(6667, 4)
}

/// See [`default_quorum`].
pub fn default_majority() -> Decimal {
    Decimal::new(5, 1)
}

/// Load the settings; a missing file means the defaults (with a warning).
pub fn load_settings(ws: &Workspace, diags: &mut Diagnostics) -> Result<Settings> {
    let defaults = Settings {
        district: String::new(),
        language: Lang::Zh,
        currency: default_currency(),
        quorum: default_quorum(),
        majority: default_majority(),
        documents: Documents::default(),
        assessor: AssessorSettings::default(),
    };
    let Some(bytes) = read_optional(&ws.path(SETTINGS))? else {
        diags.warning(SETTINGS, None, t!("settings.missing"));
        return Ok(defaults);
    };
    let Ok(text) = std::str::from_utf8(&bytes) else {
        diags.error(SETTINGS, None, t!("settings.not_utf8"));
        return Ok(defaults);
    };
    let raw: Raw = match toml::from_str(text) {
        Ok(r) => r,
        Err(e) => {
            let (line, m) = toml_error(text, &e);
            diags.error(SETTINGS, line, m);
            return Ok(defaults);
        }
    };
    for key in raw.unknown.keys() {
        diags.warning(SETTINGS, None, t!("settings.unknown_key", key = key));
    }
    let sel = raw.selection.unwrap_or_default();
    let documents = documents(raw.documents, &raw.district, diags);
    let assessor = assessor(raw.assessor, text, diags);
    let settings = Settings {
        district: raw.district,
        language: raw.language,
        currency: raw.currency,
        quorum: sel.quorum.unwrap_or_else(default_quorum),
        majority: sel.majority.unwrap_or_else(default_majority),
        documents,
        assessor,
    };
    for (name, v) in [("quorum", settings.quorum), ("majority", settings.majority)] {
        if v < Decimal::ZERO || v > Decimal::ONE {
            diags.error(SETTINGS, None, t!("settings.share", name = name, value = v));
        }
    }
    Ok(settings)
}

/// `[documents]` checked: the issuer defaults to the district's 民政局; a 文号 template needs
/// `{year}` and `{seq}`, else every document would carry the same number.
fn documents(raw: Option<Documents>, district: &str, diags: &mut Diagnostics) -> Documents {
    let mut d = raw.unwrap_or_default();
    if d.issuer.trim().is_empty() {
        d.issuer = format!("{district}民政局");
    }
    if let Some(n) = &d.number {
        for part in ["{year}", "{seq}"] {
            if !n.contains(part) {
                diags.error(SETTINGS, None, t!("settings.number_lacks", number = n, part = part));
            }
        }
    }
    d
}

/// `[assessor]` checked (DESIGN §16): `agreement_days` a whole number of days from 0 to 366,
/// `alpha` a decimal strictly between 0 and 1; an unknown key is an error, as a misspelt
/// `alpha` would otherwise leave the default in force unnoticed. A wrong value keeps the
/// default after its error, so that `check` lists every error at once.
fn assessor(raw: Option<toml::Table>, text: &str, diags: &mut Diagnostics) -> AssessorSettings {
    let mut a = AssessorSettings::default();
    let Some(table) = raw else { return a };
    let line = |key: &str| line_of_key(text, key);
    for (key, value) in &table {
        match (key.as_str(), value) {
            ("agreement_days", toml::Value::Integer(n)) if (0..=366).contains(n) => a.agreement_days = *n as u32,
            ("agreement_days", v) => diags.error(
                SETTINGS,
                line(key),
                format!("[assessor] agreement_days is {v} but must be a whole number of days from 0 to 366 (default 14)"),
            ),
            ("alpha", v) => match alpha(v) {
                Some(x) => a.alpha = x,
                None => diags.error(
                    SETTINGS,
                    line(key),
                    format!("[assessor] alpha is {v} but must be a number between 0 and 1, such as 0.01 (the default) or \"0.05\""),
                ),
            },
            _ => diags.error(
                SETTINGS,
                line(key),
                format!("[assessor] unknown key \"{key}\" (known: agreement_days, alpha)"),
            ),
        }
    }
    a
}

/// A significance level: a float or a decimal string strictly between 0 and 1.
fn alpha(v: &toml::Value) -> Option<Decimal> {
    let d = match v {
        toml::Value::Float(f) => Decimal::from_f64_retain(*f).map(|d| d.round_dp(12).normalize()),
        toml::Value::String(s) => s.trim().parse::<Decimal>().ok(),
        _ => None,
    }?;
    (d > Decimal::ZERO && d < Decimal::ONE).then_some(d)
}

/// The line of the first `key =` after an `[assessor]` header, for located messages.
fn line_of_key(text: &str, key: &str) -> Option<u64> {
    let mut inside = false;
    for (i, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            inside = t.trim_start_matches('[').trim_end_matches(']').trim() == "assessor";
        } else if inside && t.split('=').next().is_some_and(|k| k.trim().trim_matches('"') == key) {
            return Some(i as u64 + 1);
        }
    }
    None
}

/// A TOML error as (line, message): the line from the error's span, the message on one line.
pub fn toml_error(text: &str, e: &toml::de::Error) -> (Option<u64>, String) {
    let line = e.span().map(|sp| {
        1 + text.as_bytes()[..sp.start.min(text.len())]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64
    });
    (line, serde_words(&e.message().trim().replace('\n', " ")))
}

/// serde's English about a field (unknown, missing, repeated, of the wrong type) in the reader's
/// language; the TOML parser's own syntax messages, and ours from the value parsers, as they are.
fn serde_words(m: &str) -> String {
    let quoted = |s: &str| s.split('`').nth(1).map(str::to_string).unwrap_or_default();
    if let Some(rest) = m.strip_prefix("unknown field `") {
        let expected = rest.split_once("expected ").map_or("", |(_, e)| e);
        let expected = expected.trim_start_matches("one of ").replace('`', "");
        return t!("settings.unknown_field", field = quoted(m), expected = expected).into_owned();
    }
    if m.starts_with("missing field `") {
        return t!("settings.missing_field", field = quoted(m)).into_owned();
    }
    if m.starts_with("duplicate key `") || m.starts_with("duplicate field `") {
        return t!("settings.duplicate_key", field = quoted(m)).into_owned();
    }
    if let Some((found, expected)) = m
        .strip_prefix("invalid type: ")
        .and_then(|r| r.split_once(", expected "))
    {
        return t!("settings.invalid_type", found = found, expected = expected).into_owned();
    }
    m.to_string()
}
