//! Decimal helpers: reading decimals from TOML (integers, floats or strings) without ever
//! going through binary floating point arithmetic, and the one rounding rule of the contract.

use std::str::FromStr;

use rust_decimal::{Decimal, RoundingStrategy};
use rust_i18n::t;
use serde::{Deserialize, Deserializer};

/// Round to 2 decimals, half away from zero (DESIGN §6).
pub fn round2(d: Decimal) -> Decimal {
    d.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero)
}

/// Format with exactly two decimals, as JSON and CSV outputs require (`"87.50"`).
pub fn fmt2(d: Decimal) -> String {
    let mut r = round2(d);
    r.rescale(2);
    r.to_string()
}

/// Parse a decimal written by a person: `12`, `12.5`, `-3.25`. No exponents, no separators.
pub fn parse_decimal(s: &str) -> Option<Decimal> {
    let t = s.trim();
    let body = t.strip_prefix('-').unwrap_or(t);
    let valid = !body.is_empty()
        && !body.starts_with('.')
        && !body.ends_with('.')
        && body.bytes().all(|b| b.is_ascii_digit() || b == b'.')
        && body.bytes().filter(|&b| b == b'.').count() <= 1;
    if !valid {
        return None;
    }
    Decimal::from_str(t).ok()
}

/// Deserialize a decimal from a TOML integer, float or string. A float is read back through
/// its shortest round-trip text (`0.3` stays 0.3, not 0.299999…), which is what the author typed.
pub fn de_decimal<'de, D: Deserializer<'de>>(de: D) -> Result<Decimal, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Float(f64),
        Str(String),
    }
    let text = match Raw::deserialize(de)? {
        Raw::Int(i) => return Ok(Decimal::from(i)),
        Raw::Float(f) if f.is_finite() => f.to_string(),
        Raw::Float(f) => return Err(serde::de::Error::custom(t!("period.expect_decimal", found => f))),
        Raw::Str(s) => s,
    };
    parse_decimal(&text).ok_or_else(|| serde::de::Error::custom(t!("period.expect_decimal_like", found => text)))
}

/// [`de_decimal`] for an optional field.
pub fn de_opt_decimal<'de, D: Deserializer<'de>>(de: D) -> Result<Option<Decimal>, D::Error> {
    de_decimal(de).map(Some)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn rounds_half_away_from_zero() {
        assert_eq!(round2(dec!(87.345)), dec!(87.35));
        assert_eq!(round2(dec!(87.344999)), dec!(87.34));
        assert_eq!(round2(dec!(-0.005)), dec!(-0.01));
        assert_eq!(fmt2(dec!(87.5)), "87.50");
        assert_eq!(fmt2(dec!(100)), "100.00");
        assert_eq!(fmt2(dec!(0.9325) * dec!(100)), "93.25");
    }

    #[test]
    fn parses_plain_decimals_only() {
        assert_eq!(parse_decimal("12.50"), Some(dec!(12.50)));
        assert_eq!(parse_decimal(" -3 "), Some(dec!(-3)));
        for bad in ["", "1e3", "1,000", ".5", "5.", "1.2.3", "abc", "NaN"] {
            assert_eq!(parse_decimal(bad), None, "{bad}");
        }
    }
}
