//! `score --explain` for people: the compound and its standards, the items each service grade
//! applies, every visit item by item with its arithmetic, then the compound's score, looks and
//! the upheld appeals applied. One function per part.

use std::fmt::Write;

use rust_decimal::Decimal;

use super::{Cell, Rows};
use crate::domain::explain::ExplainedVisit;
use crate::domain::scoring::CompoundResult;
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::registry::{Compound, Registry};
use crate::model::{Level, Period};
use crate::workspace::StandardsFile;

/// What the explanation shows: the compound's result and the visits behind it.
pub struct Explanation<'a> {
    /// The registry, for names and contracts.
    pub reg: &'a Registry,
    /// The standards the period is scored under.
    pub standards: &'a StandardsFile,
    /// The period.
    pub period: Period,
    /// The day the report stands on (DESIGN §14).
    pub as_of: chrono::NaiveDate,
    /// The level scored.
    pub level: Level,
    /// The compound explained.
    pub compound: &'a Compound,
    /// Its result in the score report.
    pub result: &'a CompoundResult,
    /// Its routine visits, explained.
    pub visits: &'a [ExplainedVisit],
    /// Where each visit came from (`data/sources.csv`), by id.
    pub sources: &'a std::collections::HashMap<String, crate::workspace::sources::Source>,
    /// The reader's language.
    pub lang: Lang,
}

impl Explanation<'_> {
    /// A label in the reader's language.
    fn l(&self, zh: &'static str, en: &'static str) -> &'static str {
        self.lang.pick(zh, en)
    }
}

/// The whole explanation as text.
pub fn text(e: &Explanation<'_>) -> String {
    let mut out = head(e);
    out += &grades(e);
    for v in e.visits {
        out += &visit(e, v);
    }
    out += "\n";
    out += &outcome(e);
    out
}

/// The compound, its community and street, the standards, and the contracts in the period.
fn head(e: &Explanation<'_>) -> String {
    let (c, st, reg) = (e.compound, e.standards, e.reg);
    let community = reg.community(&c.community_id);
    let street = reg.street_of_compound(c);
    let mut out = format!(
        "{} ({}) — {} {}, {} {}\n",
        c.name,
        c.id,
        e.l("评分说明", "how the score came about,"),
        e.period,
        e.l("检查层级", "level"),
        e.l(e.level.zh(), e.level.en())
    );
    out += &format!("{} {}\n", e.l("数据截至", "data as of"), e.as_of);
    out += &format!(
        "{}: {} {}; {}: {} {}\n",
        e.l("社区", "community"),
        c.community_id,
        community.map_or("", |c| c.name.as_str()),
        e.l("街道", "street"),
        street.map_or("", |s| s.id.as_str()),
        street.map_or("", |s| s.name.as_str()),
    );
    out += &format!(
        "{}: {} ({}, {} {}, sha256 {}); {} {}\n",
        e.l("标准", "standards"),
        st.file,
        st.standards.title,
        e.l("生效日期", "effective from"),
        st.standards.effective_from,
        st.sha256,
        e.l("合格线", "pass mark"),
        st.standards.pass_mark
    );
    out += &format!("{}:\n", e.l("合同", "contracts"));
    let (start, end) = (e.period.start(), e.period.end());
    for k in reg.contracts_of(&c.id).filter(|k| k.start <= end && k.end >= start) {
        let grade = e.l("服务等级", "service grade");
        let _ = writeln!(
            out,
            "  {} {grade} {} {}..{}",
            k.company_id, k.service_grade, k.start, k.end
        );
    }
    out
}

/// For each service grade among the visits: the items that apply, M, and those that do not.
fn grades(e: &Explanation<'_>) -> String {
    let st = &e.standards.standards;
    // M of each grade, as the rule computed it for the visits at that grade.
    let mut grades: Vec<(u8, Decimal)> = e.visits.iter().map(|x| (x.grade, x.breakdown.m)).collect();
    grades.sort_unstable();
    grades.dedup_by_key(|(g, _)| *g);
    let mut out = String::new();
    for (g, m) in grades {
        let codes = |applies: bool| -> Vec<&str> {
            st.items
                .iter()
                .filter(|i| i.applies(g) == applies)
                .map(|i| i.code.as_str())
                .collect()
        };
        let excluded = codes(false);
        let _ = writeln!(
            out,
            "{} {g}: {} {} (M = {}){}",
            e.l("服务等级", "service grade"),
            e.l("适用检查项", "applicable items"),
            codes(true).join(" "),
            m,
            if excluded.is_empty() {
                String::new()
            } else {
                format!("; {} {}", e.l("不适用", "not applicable"), excluded.join(" "))
            }
        );
    }
    out
}

/// One visit: its items as a table (when any was recorded) and the score's arithmetic.
fn visit(e: &Explanation<'_>, x: &ExplainedVisit) -> String {
    let (v, b) = (&x.visit, &x.breakdown);
    let mut out = format!(
        "\n{} {} {} {} ({} {}, {})\n",
        e.l("检查", "visit"),
        v.id,
        v.date,
        v.team,
        e.l("服务等级", "grade"),
        x.grade,
        x.company_id
    );
    let source = e.sources.get(&*v.id);
    out += &crate::render::source::source_words(source, Some(v.level), e.lang);
    out.push('\n');
    let mut t = Rows::new([
        e.l("检查项", "item"),
        e.l("名称", "name"),
        e.l("上限", "max"),
        e.l("每点扣分", "deduct"),
        e.l("记录点位", "recorded"),
        e.l("申诉核减", "appealed"),
        e.l("计分点位", "counted"),
        e.l("扣分", "deduction"),
    ]);
    for line in &b.lines {
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
    if !b.lines.is_empty() {
        out += &t.to_table();
    }
    let (m, d) = (b.m.normalize(), b.d.normalize());
    let red = if b.red_line {
        e.l("；红线项有问题点位：不合格", "; a red-line item has points: fails")
    } else {
        ""
    };
    let score = fmt2(b.score);
    let _ = writeln!(
        out,
        "D = {d}; {} = 100 × (M − D) / M = 100 × ({m} − {d}) / {m} = {score}{red}",
        e.l("得分", "score")
    );
    out
}

/// The compound's score from its visits, its three looks, and the upheld appeals applied.
fn outcome(e: &Explanation<'_>) -> String {
    let r = e.result;
    let mut out = match r.score {
        None => format!(
            "{}\n",
            e.l(
                "本期该层级无日常检查：未检查",
                "no routine visit at this level in the period: not_assessed"
            )
        ),
        Some(s) => {
            let scores: Vec<String> = e.visits.iter().map(|x| fmt2(x.breakdown.score)).collect();
            format!(
                "{} = ({}) / {} = {} → {} {}, {} {}\n",
                e.l("得分", "score"),
                scores.join(" + "),
                scores.len(),
                fmt2(s),
                e.l("等级", "grade"),
                r.grade.as_deref().unwrap_or_default(),
                e.l("结论", "verdict"),
                verdict_words(e, r.verdict)
            )
        }
    };
    if let Some(looks) = r.looks {
        out += &format!(
            "{}: {} {}, {} {} ({} {}, {} {}), {} {}\n",
            e.l("三看", "three looks"),
            e.l("街道管理", "street"),
            in_place(e, looks.street),
            e.l("社区监督", "community"),
            in_place(e, looks.community),
            e.l("社区自查平均分", "community's own mean"),
            r.community_score.map(fmt2).unwrap_or_else(|| "-".into()),
            e.l("允许高出", "allowed gap"),
            e.standards.standards.looks.community_max_gap,
            e.l("物业服务", "property"),
            in_place(e, looks.property)
        );
    }
    out + &appeals(e)
}

/// A verdict in the reader's words.
fn verdict_words(e: &Explanation<'_>, v: crate::domain::scoring::Verdict) -> &'static str {
    super::words::vocab(e.lang).verdict(v)
}

/// A look in place or not, in the reader's words.
fn in_place(e: &Explanation<'_>, yes: bool) -> &'static str {
    super::words::vocab(e.lang).look(yes)
}

/// The upheld appeals applied, as `visit item −points`, or nothing.
fn appeals(e: &Explanation<'_>) -> String {
    let applied: Vec<String> = e
        .visits
        .iter()
        .flat_map(|x| {
            x.breakdown
                .lines
                .iter()
                .filter(|l| l.appealed > 0)
                .map(move |l| format!("{} {} −{}", x.visit.id, l.code, l.appealed))
        })
        .collect();
    if applied.is_empty() {
        return String::new();
    }
    format!(
        "{}: {}\n",
        e.l("申诉核减（已支持）", "upheld appeals applied"),
        applied.join(", ")
    )
}
