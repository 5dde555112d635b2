//! `inspect coverage`'s JSON (DESIGN §11): per level, each required window and the compounds
//! nobody visited in it, counted per street.

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::Serialize;

use crate::domain::scoring::{LevelCoverage, WindowGap};
use crate::model::registry::Registry;

/// The coverage document's own fields.
#[derive(Debug, Serialize)]
pub struct Coverage<'a> {
    /// Every level with a cadence, in the standards' order.
    pub levels: Vec<Level<'a>>,
}

/// One level's windows.
#[derive(Debug, Serialize)]
pub struct Level<'a> {
    /// The level's id.
    pub level: &'static str,
    /// How often it must visit every compound (`month`, `quarter`, ...).
    pub cadence: &'static str,
    /// The windows the period requires.
    pub windows: Vec<Window<'a>>,
}

/// One required window.
#[derive(Debug, Serialize)]
pub struct Window<'a> {
    /// The window, as a period.
    pub window: String,
    /// Compounds to visit: every compound of the registry.
    pub required: usize,
    /// The compounds with no routine visit in the window, in registry order.
    pub missing: &'a [Arc<str>],
    /// How many of them each street has (every street, zeros included).
    pub by_street: BTreeMap<String, usize>,
}

impl<'a> Coverage<'a> {
    /// The document of the levels' coverage.
    pub fn new(reg: &Registry, coverage: &'a [LevelCoverage]) -> Coverage<'a> {
        let window = |w: &'a WindowGap| Window {
            window: w.window.to_string(),
            required: reg.compounds.len(),
            missing: &w.missing,
            by_street: per_street(reg, &w.missing),
        };
        Coverage {
            levels: coverage
                .iter()
                .map(|lc| Level {
                    level: lc.level.as_str(),
                    cadence: lc.cadence.as_str(),
                    windows: lc.windows.iter().map(window).collect(),
                })
                .collect(),
        }
    }
}

/// Missing compounds of one window, counted per street id (every street, zeros included):
/// the JSON's `by_street` and the table's street columns.
pub fn per_street(reg: &Registry, missing: &[Arc<str>]) -> BTreeMap<String, usize> {
    let mut m: BTreeMap<String, usize> = reg.streets.iter().map(|s| (s.id.clone(), 0)).collect();
    for id in missing {
        if let Some(s) = reg.compound(id).and_then(|c| reg.street_of_compound(c)) {
            *m.entry(s.id.clone()).or_default() += 1;
        }
    }
    m
}
