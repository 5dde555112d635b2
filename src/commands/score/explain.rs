//! `score --explain COMPOUND`: everything needed to defend one compound's score.

use serde_json::{json, Value};

use crate::domain::explain::{explain_visits, ExplainedVisit};
use crate::domain::rule::Rule;
use crate::domain::visit::Visit;
use crate::error::{Error, Result};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::{Level, Period, Purpose};
use crate::render::json::{compound_json, dec, document, finish};
use crate::render::{Cell, Format, Rows};
use crate::workspace::StandardsFile;

use crate::commands::loaded::{Inapplicable, Loaded};

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
    let report = loaded.score(period, Some(level), standards, Inapplicable::Refused)?;
    let result = report
        .compounds
        .iter()
        .find(|c| c.compound_id == compound.id)
        .cloned()
        .ok_or_else(|| Error::msg(format!("{} is not in the report", compound.id)))?;
    // The visits as recorded, before appeals, so the explanation shows what appeals removed.
    let mut visits: Vec<Visit> = Vec::new();
    loaded.scan_raw(&period, |v| {
        if *v.compound_id == *compound.id && v.purpose == Purpose::Routine && v.level == level {
            visits.push(v.clone());
        }
    })?;
    let rule = Rule::new(st);
    let explained = explain_visits(&rule, &loaded.registry, &loaded.appeals, visits).map_err(Error::msg)?;
    if format == Format::Json {
        let mut doc = document(&period, standards);
        doc.insert("level".into(), json!(level.as_str()));
        doc.insert("compound".into(), compound_json(&result));
        doc.insert(
            "visits".into(),
            Value::Array(
                explained
                    .iter()
                    .map(
                        |ExplainedVisit {
                             visit: v,
                             grade,
                             company_id: company,
                             breakdown: e,
                         }| {
                            json!({
                                "visit_id": v.id, "date": v.date.to_string(), "team": v.team,
                                "service_grade": grade, "company_id": company,
                                "m": fmt2(e.m), "d": fmt2(e.d), "score": fmt2(e.score), "red_line": e.red_line,
                                "items": e.lines.iter().map(|l| json!({
                                    "item": l.code, "name": l.name, "max": fmt2(l.max), "deduct": fmt2(l.deduct),
                                    "red_line": l.red_line, "recorded": l.recorded, "appealed": l.appealed,
                                    "count": l.count, "deduction": fmt2(l.deduction),
                                })).collect::<Vec<_>>(),
                            })
                        },
                    )
                    .collect(),
            ),
        );
        doc.insert("community_score".into(), dec(result.community_score));
        let provenance = loaded.inputs.provenance(&loaded.ws)?;
        return Ok(finish(doc, &provenance));
    }
    Ok(text(
        loaded, standards, period, level, &compound, &result, &explained, lang,
    ))
}

#[allow(clippy::too_many_arguments)]
fn text(
    loaded: &Loaded,
    standards: &StandardsFile,
    period: Period,
    level: Level,
    compound: &crate::model::registry::Compound,
    result: &crate::domain::scoring::CompoundResult,
    explained: &[ExplainedVisit],
    lang: Lang,
) -> String {
    let st = &standards.standards;
    let reg = &loaded.registry;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut out = String::new();
    let community = reg.community(&compound.community_id);
    let street = reg.street_of_compound(compound);
    out += &format!(
        "{} ({}) — {} {period}, {} {}\n",
        compound.name,
        compound.id,
        l("评分说明", "how the score came about,"),
        l("检查层级", "level"),
        level.as_str()
    );
    out += &format!(
        "{}: {} {}; {}: {} {}\n",
        l("社区", "community"),
        compound.community_id,
        community.map_or("", |c| c.name.as_str()),
        l("街道", "street"),
        street.map_or("", |s| s.id.as_str()),
        street.map_or("", |s| s.name.as_str()),
    );
    out += &format!(
        "{}: {} ({}, effective_from {}, sha256 {}); pass_mark {}\n",
        l("标准", "standards"),
        standards.file,
        st.title,
        st.effective_from,
        standards.sha256,
        st.pass_mark
    );
    out += &format!("{}:\n", l("合同", "contracts"));
    for k in reg
        .contracts_of(&compound.id)
        .filter(|k| k.start <= period.end() && k.end >= period.start())
    {
        out += &format!(
            "  {} {} {} {}..{}\n",
            k.company_id,
            l("服务等级", "service grade"),
            k.service_grade,
            k.start,
            k.end
        );
    }
    let rule = Rule::new(st);
    let mut grades: Vec<u8> = explained.iter().map(|x| x.grade).collect();
    grades.sort_unstable();
    grades.dedup();
    for g in grades {
        let applicable: Vec<String> = st
            .items
            .iter()
            .filter(|i| i.applies(g))
            .map(|i| i.code.clone())
            .collect();
        let excluded: Vec<String> = st
            .items
            .iter()
            .filter(|i| !i.applies(g))
            .map(|i| i.code.clone())
            .collect();
        let m = rule.m(g);
        out += &format!(
            "{} {g}: {} {} (M = {}){}\n",
            l("服务等级", "service grade"),
            l("适用检查项", "applicable items"),
            applicable.join(" "),
            m,
            if excluded.is_empty() {
                String::new()
            } else {
                format!("; {} {}", l("不适用", "not applicable"), excluded.join(" "))
            }
        );
    }
    for ExplainedVisit {
        visit: v,
        grade,
        company_id: company,
        breakdown: e,
    } in explained
    {
        out += &format!(
            "\n{} {} {} {} ({} {grade}, {company})\n",
            l("检查", "visit"),
            v.id,
            v.date,
            v.team,
            l("服务等级", "grade")
        );
        let mut t = Rows::new([
            l("检查项", "item"),
            l("名称", "name"),
            l("上限", "max"),
            l("每点扣分", "deduct"),
            l("记录点位", "recorded"),
            l("申诉核减", "appealed"),
            l("计分点位", "counted"),
            l("扣分", "deduction"),
        ]);
        for line in &e.lines {
            t.push(vec![
                Cell::text(format!("{}{}", line.code, if line.red_line { " ●" } else { "" })),
                Cell::text(&line.name),
                Cell::num(line.max),
                Cell::num(line.deduct),
                Cell::num(line.recorded),
                Cell::num(line.appealed),
                Cell::num(line.count),
                Cell::num(line.deduction.normalize()),
            ]);
        }
        if !e.lines.is_empty() {
            out += &t.to_table();
        }
        out += &format!(
            "D = {}; score = 100 × (M − D) / M = 100 × ({} − {}) / {} = {}{}\n",
            e.d.normalize(),
            e.m.normalize(),
            e.d.normalize(),
            e.m.normalize(),
            fmt2(e.score),
            if e.red_line {
                l("；红线项有问题点位：不合格", "; a red-line item has points: fails")
            } else {
                ""
            }
        );
    }
    out += "\n";
    match result.score {
        None => {
            out += &format!(
                "{}\n",
                l(
                    "本期该层级无日常检查：未评定 (not_assessed)",
                    "no routine visit at this level in the period: not_assessed"
                )
            )
        }
        Some(s) => {
            let scores: Vec<String> = explained.iter().map(|x| fmt2(x.breakdown.score)).collect();
            out += &format!(
                "{} = ({}) / {} = {} → {} {}, {} {}\n",
                l("得分", "score"),
                scores.join(" + "),
                scores.len(),
                fmt2(s),
                l("等级", "grade"),
                result.grade.as_deref().unwrap_or_default(),
                l("结论", "verdict"),
                result.verdict.as_str()
            );
        }
    }
    if let Some(looks) = result.looks {
        out += &format!(
            "{}: {} {}, {} {} ({} {}, {} {}), {} {}\n",
            l("三看", "three looks"),
            l("街道管理", "street"),
            looks.street,
            l("社区监督", "community"),
            looks.community,
            l("社区自查平均分", "community's own mean"),
            result.community_score.map(fmt2).unwrap_or_else(|| "-".into()),
            l("允许高出", "allowed gap"),
            st.looks.community_max_gap,
            l("物业服务", "property"),
            looks.property
        );
    }
    let appealed: Vec<String> = explained
        .iter()
        .flat_map(
            |ExplainedVisit {
                 visit: v, breakdown: e, ..
             }| {
                e.lines
                    .iter()
                    .filter(|l| l.appealed > 0)
                    .map(move |l| format!("{} {} −{}", v.id, l.code, l.appealed))
            },
        )
        .collect();
    if !appealed.is_empty() {
        out += &format!(
            "{}: {}\n",
            l("申诉核减（已支持）", "upheld appeals applied"),
            appealed.join(", ")
        );
    }
    out
}
