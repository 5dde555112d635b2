//! A subsidy round, `data/funds/PERIOD.toml` (DESIGN §9).

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use rust_i18n::t;
use serde::Deserialize;

use super::decimal::{de_decimal, de_opt_decimal};

/// Rates, coefficients and the optional budget cap and fee bonus of one period's subsidy.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Funds {
    /// The period the file prices, as written (e.g. `2026H1`); it must match the file's name.
    pub period: String,
    /// The most the period may pay out in yuan; entitlements are scaled down to it.
    #[serde(default, deserialize_with = "de_opt_decimal")]
    pub budget: Option<Decimal>,
    /// Yuan per m2 per month, by service grade ("1", "2", "3").
    #[serde(deserialize_with = "de_decimal_map")]
    pub rates: BTreeMap<String, Decimal>,
    /// By grade name or outcome key (rectified, recheck_failed, unresolved, not_assessed).
    #[serde(deserialize_with = "de_decimal_map")]
    pub coefficients: BTreeMap<String, Decimal>,
    /// A reward for compounds that collect their fees well.
    #[serde(default)]
    pub fee_bonus: Option<FeeBonus>,
}

/// The fee bonus: compounds collecting at least `min_rate` of their fees get `bonus` more.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeeBonus {
    /// collected / billed at or above which the bonus is earned (0.9 is 90%).
    #[serde(deserialize_with = "de_decimal")]
    pub min_rate: Decimal,
    /// The share added to the entitlement (0.05 adds 5%).
    #[serde(deserialize_with = "de_decimal")]
    pub bonus: Decimal,
}

/// The largest rate a funds file may state, in yuan per m2 per month (real ones are a few
/// yuan): bounded, as standards' points are, so that area × rate × coefficient stays exact.
pub const MAX_RATE: u32 = 10_000;
/// The largest coefficient or fee bonus (real ones are at most 1 or so).
pub const MAX_COEFFICIENT: u32 = 100;
/// The largest budget, in yuan (a thousand trillion).
pub const MAX_BUDGET: u64 = 1_000_000_000_000_000;

/// The outcome keys a funds file must price beside the grade names.
pub const OUTCOME_KEYS: [&str; 4] = ["rectified", "recheck_failed", "unresolved", "not_assessed"];

fn de_decimal_map<'de, D: serde::Deserializer<'de>>(de: D) -> Result<BTreeMap<String, Decimal>, D::Error> {
    #[derive(Deserialize)]
    struct W(#[serde(deserialize_with = "de_decimal")] Decimal);
    let m: BTreeMap<String, W> = BTreeMap::deserialize(de)?;
    Ok(m.into_iter().map(|(k, W(v))| (k, v)).collect())
}

impl Funds {
    /// Rules TOML cannot state; `grades` are the standards' grade names.
    pub fn problems(&self, expected_period: &str, grades: &[&str]) -> Vec<String> {
        let mut out = Vec::new();
        if self.period != expected_period {
            out.push(t!("funds.period_mismatch", period => self.period, file => expected_period).into_owned());
        }
        if let Some(b) = self.budget {
            if b < Decimal::ZERO {
                out.push(t!("funds.negative_budget", budget => b).into_owned());
            } else if b > Decimal::from(MAX_BUDGET) {
                out.push(t!("funds.budget_too_large", budget => b, max => MAX_BUDGET).into_owned());
            }
        }
        for g in ["1", "2", "3"] {
            match self.rates.get(g) {
                None => out.push(t!("funds.no_rate", grade => g).into_owned()),
                Some(r) if *r < Decimal::ZERO => {
                    out.push(t!("funds.negative_rate", grade => g, rate => r).into_owned())
                }
                Some(r) if *r > Decimal::from(MAX_RATE) => {
                    out.push(t!("funds.rate_too_large", grade => g, rate => r, max => MAX_RATE).into_owned())
                }
                _ => {}
            }
        }
        for k in grades.iter().copied().chain(OUTCOME_KEYS) {
            match self.coefficients.get(k) {
                None => out.push(t!("funds.no_coefficient", key => k).into_owned()),
                Some(c) if *c < Decimal::ZERO => {
                    out.push(t!("funds.negative_coefficient", key => k, value => c).into_owned())
                }
                Some(c) if *c > Decimal::from(MAX_COEFFICIENT) => out
                    .push(t!("funds.coefficient_too_large", key => k, value => c, max => MAX_COEFFICIENT).into_owned()),
                _ => {}
            }
        }
        if let Some(fb) = &self.fee_bonus {
            if fb.bonus < Decimal::ZERO {
                out.push(t!("funds.negative_bonus", bonus => fb.bonus).into_owned());
            } else if fb.bonus > Decimal::from(MAX_COEFFICIENT) {
                out.push(t!("funds.bonus_too_large", bonus => fb.bonus, max => MAX_COEFFICIENT).into_owned());
            }
        }
        out
    }
}
