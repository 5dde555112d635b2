//! `oldestate inspect coverage`: which compounds each level failed to visit in its windows.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use std::collections::BTreeMap;

use clap::Args;
use serde_json::{json, Value};

use crate::domain::scoring::LevelCoverage;
use crate::error::Result;
use crate::model::records::Lang;
use crate::model::Period;
use crate::render::json::{document, finish};
use crate::render::{Cell, Format, Rows};

use super::loaded::{Inapplicable, Loaded};
use super::{emit, Context};

/// Which compounds each level failed to visit in its required windows.
///
/// Full coverage (全覆盖): for every level, the windows its cadence requires in the period and
/// the compounds with no routine visit in each, counted per street. A window is required when
/// it lies wholly inside the period; when the period is shorter than the cadence, the one
/// window containing the period is required and visits anywhere in it count.
#[derive(Debug, Args)]
pub struct CoverageArgs {
    /// The period: YYYY-MM, YYYYQn, YYYYHn or YYYY
    #[arg(long)]
    pub period: Period,
}

pub fn cmd_coverage(ctx: &Context, args: &CoverageArgs) -> Result<()> {
    let format = ctx.format("inspect coverage", &[Format::Table, Format::Csv, Format::Json])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    let coverage = loaded
        .score(args.period, None, &standards, Inapplicable::Refused)?
        .coverage();
    let out = match format {
        Format::Json => {
            let mut doc = document(&args.period, &standards);
            doc.insert("levels".into(), levels_json(&loaded, &coverage));
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            finish(doc, &provenance)
        }
        Format::Csv => gaps(&loaded, &coverage).to_csv(),
        _ => summary(&loaded, &coverage, lang).to_table() + &listing(&loaded, &coverage, lang),
    };
    emit(out.as_bytes())
}

/// Missing compounds of one window, counted per street id.
fn per_street(loaded: &Loaded, missing: &[std::sync::Arc<str>]) -> BTreeMap<String, usize> {
    let mut m: BTreeMap<String, usize> = loaded.registry.streets.iter().map(|s| (s.id.clone(), 0)).collect();
    for id in missing {
        if let Some(s) = loaded
            .registry
            .compound(id)
            .and_then(|c| loaded.registry.street_of_compound(c))
        {
            *m.entry(s.id.clone()).or_default() += 1;
        }
    }
    m
}

pub fn levels_json(loaded: &Loaded, coverage: &[LevelCoverage]) -> Value {
    Value::Array(
        coverage
            .iter()
            .map(|lc| {
                json!({
                    "level": lc.level.as_str(),
                    "cadence": lc.cadence.as_str(),
                    "windows": lc.windows.iter().map(|w| json!({
                        "window": w.window.to_string(),
                        "required": loaded.registry.compounds.len(),
                        "missing": w.missing,
                        "by_street": per_street(loaded, &w.missing),
                    })).collect::<Vec<_>>(),
                })
            })
            .collect(),
    )
}

fn summary(loaded: &Loaded, coverage: &[LevelCoverage], lang: Lang) -> Rows {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let mut header = vec![
        l("检查层级", "level"),
        l("频次", "cadence"),
        l("窗口", "window"),
        l("应检", "required"),
        l("缺检", "missing"),
    ];
    header.extend(loaded.registry.streets.iter().map(|s| s.name.clone()));
    let mut t = Rows::new(header);
    for lc in coverage {
        for w in &lc.windows {
            let mut row = vec![
                Cell::text(lang.pick(lc.level.zh(), lc.level.as_str())),
                Cell::text(lc.cadence.as_str()),
                Cell::text(w.window.to_string()),
                Cell::num(loaded.registry.compounds.len()),
                Cell::num(w.missing.len()),
            ];
            row.extend(per_street(loaded, &w.missing).values().map(Cell::num));
            t.push(row);
        }
    }
    t
}

fn listing(loaded: &Loaded, coverage: &[LevelCoverage], lang: Lang) -> String {
    let mut out = String::new();
    for lc in coverage {
        for w in lc.windows.iter().filter(|w| !w.missing.is_empty()) {
            out += &format!(
                "\n{} {} {}:\n",
                lang.pick(lc.level.zh(), lc.level.as_str()),
                w.window,
                lang.pick("缺检小区", "not visited")
            );
            for id in &w.missing {
                if let Some(c) = loaded.registry.compound(id) {
                    let street = loaded.registry.street_of_compound(c).map_or("", |s| s.name.as_str());
                    let community = loaded
                        .registry
                        .community(&c.community_id)
                        .map_or("", |k| k.name.as_str());
                    out += &format!("  {} {} ({street} {community})\n", c.id, c.name);
                }
            }
        }
    }
    out
}

/// One CSV row per (level, window, missing compound).
fn gaps(loaded: &Loaded, coverage: &[LevelCoverage]) -> Rows {
    let mut t = Rows::new(["level", "window", "compound_id", "name", "community_id", "street_id"]);
    for lc in coverage {
        for w in &lc.windows {
            for id in &w.missing {
                let c = loaded.registry.compound(id);
                t.push(vec![
                    Cell::text(lc.level.as_str()),
                    Cell::text(w.window.to_string()),
                    Cell::text(id),
                    Cell::text(c.map(|c| c.name.clone()).unwrap_or_default()),
                    Cell::text(c.map(|c| c.community_id.clone()).unwrap_or_default()),
                    Cell::text(
                        c.and_then(|c| loaded.registry.street_of_compound(c))
                            .map(|s| s.id.clone())
                            .unwrap_or_default(),
                    ),
                ]);
            }
        }
    }
    t
}
