//! `data/workspace.toml`: the district's name, report language, currency and the selection rule.

use rust_decimal::Decimal;
use rust_i18n::t;
use serde::Deserialize;

use crate::error::{Diagnostics, Result};
use crate::model::decimal::de_opt_decimal;
use crate::model::records::{Documents, Lang, Settings};

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
    let settings = Settings {
        district: raw.district,
        language: raw.language,
        currency: raw.currency,
        quorum: sel.quorum.unwrap_or_else(default_quorum),
        majority: sel.majority.unwrap_or_else(default_majority),
        documents,
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
