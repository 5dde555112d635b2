//! The `standards diff` report written out: a text (or Markdown) summary with the changed
//! compounds and every street's scores and subsidy, for a reviewer or a CI comment, and the
//! JSON document of DESIGN §11. Every format is written from the one [`StandardsDiffReport`].

use serde_json::Value;

use chrono::NaiveDate;

use crate::domain::as_of::AsOf;
use crate::model::records::Lang;
use crate::model::Period;
use crate::report::standards::{Change, StandardsDiffReport, StreetScores};
use crate::workspace::provenance::Provenance;
use crate::workspace::StandardsFile;

use super::json::{document, finish};
use super::xlsx::{self, Sheet};
use super::{Cell, Rows};

/// The JSON document: `period` and `standards` (the workspace's own, "after"), the report's
/// fields, the provenance.
pub fn json(
    report: &StandardsDiffReport,
    period: &Period,
    as_of: &AsOf,
    after: &StandardsFile,
    provenance: &Provenance,
) -> String {
    let mut doc = document(period, as_of, after);
    if let Ok(Value::Object(body)) = serde_json::to_value(report) {
        doc.extend(body);
    }
    finish(doc, provenance)
}

/// The summary for people: a table for a terminal, or Markdown (`md`) for a pull request.
pub fn text(
    report: &StandardsDiffReport,
    period: &Period,
    as_of: NaiveDate,
    after: &StandardsFile,
    lang: Lang,
    md: bool,
) -> String {
    let mut s = heading(report, period, after, lang, md);
    s += &format!("{} {as_of}\n\n", lang.pick("数据截至", "Data as of"));
    s += &totals(report, lang);
    s += &ignored(report, lang);
    let (changes, streets) = (changes_rows(&report.changes, lang), street_rows(report, lang));
    s += &if report.changes.is_empty() {
        format!(
            "{}\n",
            lang.pick(
                "没有小区的得分、等级或结论发生变化。",
                "No compound's score, grade or verdict changes."
            )
        )
    } else if md {
        changes.to_markdown()
    } else {
        changes.to_table()
    };
    s += "\n";
    s += &if md { streets.to_markdown() } else { streets.to_table() };
    s
}

/// The workbook's sheets: the changed compounds, and every street's scores and subsidy (the
/// subsidies added up; scores are not).
pub fn sheets(
    report: &StandardsDiffReport,
    district: &str,
    period: &Period,
    as_of: NaiveDate,
    lang: Lang,
) -> Vec<Sheet> {
    let title = |what| xlsx::title(district, period, what, lang);
    let line = format!(
        "{}；{} {} → {}",
        xlsx::as_of_line(as_of, lang),
        lang.pick("对比", "before"),
        report.against,
        lang.pick("当前标准", "the workspace's standards")
    );
    let streets = street_rows(report, lang);
    let sums = if report.subsidy.is_some() { vec![4, 5] } else { vec![] };
    vec![
        Sheet::new(
            lang.pick("得分变化", "Changes"),
            title(lang.pick("标准变更影响（小区）", "standards diff: compounds")),
            line.clone(),
            changes_rows(&report.changes, lang),
        ),
        Sheet::new(
            lang.pick("街道", "Streets"),
            title(lang.pick("标准变更影响（街道）", "standards diff: streets")),
            line,
            streets,
        )
        .with_totals(lang.pick("合计", "Total"), &sums),
    ]
}

/// What was compared with what: the `--against` argument and its file, the workspace's file
/// and the start of its hash.
fn heading(report: &StandardsDiffReport, period: &Period, after: &StandardsFile, lang: Lang, md: bool) -> String {
    format!(
        "{}{} {period}: {} {} ({}) → {} ({})\n\n",
        if md { "### " } else { "" },
        lang.pick("标准变更影响", "Standards diff"),
        lang.pick("对比", "before"),
        report.against,
        report.against_standards.file,
        after.file,
        &after.sha256[..12]
    )
}

/// Pass/fail totals, before → after.
fn totals(report: &StandardsDiffReport, lang: Lang) -> String {
    let (b, a) = (&report.totals.before, &report.totals.after);
    format!(
        "{}: {} {} → {}, {} {} → {}, {} {} → {}\n\n",
        lang.pick("合计", "totals"),
        lang.pick("合格", "passed"),
        b.passed,
        a.passed,
        lang.pick("不合格", "failed"),
        b.failed,
        a.failed,
        lang.pick("未评定", "not assessed"),
        b.not_assessed,
        a.not_assessed
    )
}

/// A line for each side that left problem points out, none when neither did.
fn ignored(report: &StandardsDiffReport, lang: Lang) -> String {
    let sides = [
        (lang.pick("对比标准", "before"), report.ignored_points.before),
        (lang.pick("当前标准", "after"), report.ignored_points.after),
    ];
    let what = lang.pick(
        "个问题点位所属检查项在该标准下不适用，未计分",
        "problem point(s) on items these standards do not apply were left out",
    );
    sides
        .iter()
        .filter(|(_, points)| *points > 0)
        .map(|(side, points)| format!("{side}: {points} {what}\n\n"))
        .collect()
}

/// The changed compounds: each cell `before → after`, or one value where it did not change.
fn changes_rows(changes: &[Change], lang: Lang) -> Rows {
    let mut t = Rows::new([
        lang.pick("小区", "compound"),
        lang.pick("名称", "name"),
        lang.pick("得分", "score"),
        lang.pick("等级", "grade"),
        lang.pick("结论", "verdict"),
    ]);
    let arrow = |a: String, b: String| if a == b { a } else { format!("{a} → {b}") };
    let dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "—".into());
    for c in changes {
        let (b, a) = (&c.before, &c.after);
        t.push(vec![
            Cell::text(&c.compound_id),
            Cell::text(&c.name),
            Cell::num(arrow(dash(&b.score), dash(&a.score))),
            Cell::text(arrow(dash(&b.grade), dash(&a.grade))),
            Cell::text(arrow(b.verdict.into(), a.verdict.into())),
        ]);
    }
    t
}

/// Every street: its scores and, where the period has funds, its subsidy, before and after.
fn street_rows(report: &StandardsDiffReport, lang: Lang) -> Rows {
    let mut t = Rows::new([
        lang.pick("街道", "street"),
        lang.pick("名称", "name"),
        lang.pick("平均分（前）", "score before"),
        lang.pick("平均分（后）", "score after"),
        lang.pick("补贴（前）", "subsidy before"),
        lang.pick("补贴（后）", "subsidy after"),
    ]);
    for s in &report.streets {
        t.push(street_row(report, s));
    }
    t
}

/// A street's row.
fn street_row(report: &StandardsDiffReport, s: &StreetScores) -> Vec<Cell<'static>> {
    let money = report
        .subsidy
        .as_ref()
        .and_then(|m| m.streets.iter().find(|m| m.street_id == s.street_id));
    vec![
        Cell::text(&s.street_id),
        Cell::text(&s.name),
        Cell::num(s.before.clone().unwrap_or_default()),
        Cell::num(s.after.clone().unwrap_or_default()),
        Cell::num(money.map(|m| m.before.as_str()).unwrap_or_default()),
        Cell::num(money.map(|m| m.after.as_str()).unwrap_or_default()),
    ]
}
