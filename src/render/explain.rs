//! `score --explain` for people: the compound and its standards, the items each service grade
//! applies, every visit item by item with its arithmetic, then the compound's score, looks and
//! the upheld appeals applied. One function per part.

use std::fmt::Write;

use rust_decimal::Decimal;
use rust_i18n::t;

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
        t!("report.explain.head.title", locale = e.lang.code()),
        e.period,
        t!("report.explain.head.level", locale = e.lang.code()),
        super::words::level(e.level, e.lang)
    );
    out += &format!(
        "{} {}\n",
        t!("report.explain.head.as_of", locale = e.lang.code()),
        e.as_of
    );
    out += &format!(
        "{}: {} {}; {}: {} {}\n",
        t!("report.explain.head.community", locale = e.lang.code()),
        c.community_id,
        community.map_or("", |c| c.name.as_str()),
        t!("report.explain.head.street", locale = e.lang.code()),
        street.map_or("", |s| s.id.as_str()),
        street.map_or("", |s| s.name.as_str()),
    );
    out += &format!(
        "{}: {} ({}, {} {}, sha256 {}); {} {}\n",
        t!("report.explain.head.standards", locale = e.lang.code()),
        st.file,
        st.standards.title,
        t!("report.explain.head.effective_from", locale = e.lang.code()),
        st.standards.effective_from,
        st.sha256,
        t!("report.explain.head.pass_mark", locale = e.lang.code()),
        st.standards.pass_mark
    );
    out += &format!("{}:\n", t!("report.explain.head.contracts", locale = e.lang.code()));
    let (start, end) = (e.period.start(), e.period.end());
    let grade = t!("report.explain.grade.service_grade", locale = e.lang.code());
    for k in reg.contracts_of(&c.id).filter(|k| k.start <= end && k.end >= start) {
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
            t!("report.explain.grade.service_grade", locale = e.lang.code()),
            t!("report.explain.grade.applicable", locale = e.lang.code()),
            codes(true).join(" "),
            m,
            if excluded.is_empty() {
                String::new()
            } else {
                format!(
                    "; {} {}",
                    t!("report.explain.grade.not_applicable", locale = e.lang.code()),
                    excluded.join(" ")
                )
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
        t!("report.explain.visit.visit", locale = e.lang.code()),
        v.id,
        v.date,
        v.team,
        t!("report.explain.visit.grade", locale = e.lang.code()),
        x.grade,
        x.company_id
    );
    let source = e.sources.get(&*v.id);
    out += &crate::render::source::source_words(source, Some(v.level), e.lang);
    out.push('\n');
    let mut t = Rows::new([
        t!("report.explain.visit.item", locale = e.lang.code()),
        t!("report.explain.visit.name", locale = e.lang.code()),
        t!("report.explain.visit.max", locale = e.lang.code()),
        t!("report.explain.visit.deduct", locale = e.lang.code()),
        t!("report.explain.visit.recorded", locale = e.lang.code()),
        t!("report.explain.visit.appealed", locale = e.lang.code()),
        t!("report.explain.visit.counted", locale = e.lang.code()),
        t!("report.explain.visit.deduction", locale = e.lang.code()),
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
        t!("report.explain.visit.red_line", locale = e.lang.code())
    } else {
        "".into()
    };
    let score = fmt2(b.score);
    let _ = writeln!(
        out,
        "D = {d}; {} = 100 × (M − D) / M = 100 × ({m} − {d}) / {m} = {score}{red}",
        t!("report.explain.score", locale = e.lang.code())
    );
    out
}

/// The compound's score from its visits, its three looks, and the upheld appeals applied.
fn outcome(e: &Explanation<'_>) -> String {
    let r = e.result;
    let mut out = match r.score {
        None => format!("{}\n", t!("report.explain.outcome.none", locale = e.lang.code())),
        Some(s) => {
            let scores: Vec<String> = e.visits.iter().map(|x| fmt2(x.breakdown.score)).collect();
            format!(
                "{} = ({}) / {} = {} → {} {}, {} {}\n",
                t!("report.explain.score", locale = e.lang.code()),
                scores.join(" + "),
                scores.len(),
                fmt2(s),
                t!("report.explain.outcome.grade", locale = e.lang.code()),
                r.grade.as_deref().unwrap_or_default(),
                t!("report.explain.outcome.verdict", locale = e.lang.code()),
                verdict_words(e, r.verdict)
            )
        }
    };
    if let Some(looks) = r.looks {
        out += &format!(
            "{}: {} {}, {} {} ({} {}, {} {}), {} {}\n",
            t!("report.explain.looks.title", locale = e.lang.code()),
            t!("report.explain.looks.street", locale = e.lang.code()),
            in_place(e, looks.street),
            t!("report.explain.looks.community", locale = e.lang.code()),
            in_place(e, looks.community),
            t!("report.explain.looks.own_mean", locale = e.lang.code()),
            r.community_score.map(fmt2).unwrap_or_else(|| "-".into()),
            t!("report.explain.looks.allowed_gap", locale = e.lang.code()),
            e.standards.standards.looks.community_max_gap,
            t!("report.explain.looks.property", locale = e.lang.code()),
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
        t!("report.explain.appeals", locale = e.lang.code()),
        applied.join(", ")
    )
}
