//! `score --explain COMPOUND`: everything needed to defend one compound's score.

use std::collections::{HashMap, HashSet};

use crate::domain::explain::{explain_visits, CompoundVisits};
use crate::domain::rule::Rule;
use crate::domain::visit::Visit;
use crate::error::{Error, Result};
use crate::model::records::Lang;
use crate::model::{Level, Period};
use crate::render::explain::{text, Explanation};
use crate::render::json::{to_pretty, Document};
use crate::render::Format;
use crate::report::explain::Explain;
use crate::workspace::sources::{latest_sources, load_sources_of};
use crate::workspace::StandardsFile;

use crate::commands::loaded::Loaded;

/// Build the explanation of one compound's score as text (table format) or JSON.
pub fn explain(
    loaded: &mut Loaded,
    standards: &StandardsFile,
    period: Period,
    level: Option<Level>,
    who: &str,
    format: Format,
    lang: Lang,
) -> Result<String> {
    let st = &standards.standards;
    let level = level.unwrap_or(st.scoring_level);
    let compound = loaded.registry.resolve_compound(who)?.clone();
    // The period is scored and the compound's visits gathered in one pass.
    let gather = CompoundVisits::new(&compound.id, level, period);
    let (report, gathered) =
        loaded.score_level_and(period, level, standards, (period.start(), period.end()), gather)?;
    let result = report
        .compounds
        .iter()
        .find(|c| c.compound_id == compound.id)
        .cloned()
        .ok_or_else(|| Error::msg(format!("{} is not in the report", compound.id)))?;
    // The visits as recorded, before appeals, so the explanation shows what appeals removed:
    // those an upheld appeal touched are read again, as recorded, from their months only.
    let mut visits = gathered.in_store_order();
    let appealed: HashMap<String, String> = visits
        .iter()
        .filter(|v| loaded.appeals.touches(&v.id))
        .map(|v| (v.id.clone(), v.file.clone()))
        .collect();
    if !appealed.is_empty() {
        let mut recorded: HashMap<String, Visit> = HashMap::new();
        let months: HashSet<&String> = appealed.values().collect();
        loaded.scan_raw(
            &period,
            |f| months.contains(&f.rel),
            |v| {
                if appealed.contains_key(&v.id) {
                    recorded.insert(v.id.clone(), v.clone());
                }
            },
        )?;
        for v in &mut visits {
            if let Some(r) = recorded.remove(&v.id) {
                *v = r;
            }
        }
    }
    let rule = Rule::new(st);
    let explained = explain_visits(&rule, &loaded.registry, &loaded.appeals, visits).map_err(Error::msg)?;
    let ids: HashSet<&str> = explained.iter().map(|x| x.visit.id.as_str()).collect();
    let sources = latest_sources(load_sources_of(&loaded.ws, |id| ids.contains(id))?);
    if format == Format::Json {
        let provenance = loaded.inputs.provenance(&loaded.ws)?;
        let body = Explain::new(level, &result, &explained, &sources);
        return Ok(to_pretty(&Document::new(
            &period,
            &loaded.as_of,
            standards,
            body,
            &provenance,
        )));
    }
    Ok(text(&Explanation {
        reg: &loaded.registry,
        standards,
        period,
        as_of: loaded.as_of.date,
        level,
        compound: &compound,
        result: &result,
        visits: &explained,
        sources: &sources,
        lang,
    }))
}
