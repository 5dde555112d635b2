//! The `contracts` report written out: a table for people (with a heading line), CSV for the
//! morning cron job, and the JSON document of DESIGN §13. Every format is written from the one
//! [`ContractsReport`]; the table also names communities and streets from the registry.

use serde_json::{Map, Value};

use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::report::contracts::{ContractsReport, ExpiringContract};
use crate::workspace::provenance::Provenance;

use super::json::finish;
use super::xlsx::{self, Sheet};
use super::{Cell, Rows};
use chrono::NaiveDate;

/// The JSON document: the report's fields, then the provenance (this document has no period
/// and no standards: contracts do not depend on them).
pub fn json(report: &ContractsReport, provenance: &Provenance) -> String {
    let body = match serde_json::to_value(report) {
        Ok(Value::Object(m)) => m,
        _ => Map::new(),
    };
    finish(body, provenance)
}

/// A heading line (how many contracts end within how many days) and, when there are any, the
/// table.
pub fn table(report: &ContractsReport, reg: &Registry, lang: Lang) -> String {
    let n = report.expiring.len();
    let (as_of, within) = (&report.as_of, report.expiring_within);
    let head = match lang {
        Lang::Zh => format!("{as_of} 起 {within} 天内到期的物业服务合同：{n} 份\n"),
        Lang::En => format!("Contracts ending within {within} days of {as_of}: {n}\n"),
    };
    if report.expiring.is_empty() {
        head
    } else {
        head + &rows(report, reg, lang, false).to_table()
    }
}

/// CSV for scripts: English column names, `valid` as true/false, no winner as an empty cell.
pub fn csv(report: &ContractsReport, reg: &Registry) -> String {
    rows(report, reg, Lang::En, true).to_csv()
}

/// The workbook's sheet: the contracts ending soon, titled with the horizon and the as-of date.
pub fn sheet(report: &ContractsReport, reg: &Registry, district: &str, as_of: NaiveDate, lang: Lang) -> Sheet {
    let within = report.expiring_within;
    let title = match lang {
        Lang::Zh => format!("{district} {within}天内到期的物业服务合同"),
        Lang::En => format!("{district} contracts ending within {within} days"),
    };
    let name = lang.pick("到期合同", "Contracts");
    Sheet::new(
        name,
        title.trim().to_string(),
        xlsx::as_of_line(as_of, lang),
        rows(report, reg, lang, false),
    )
}

/// The rows: for people in `lang`, or for scripts (`machine`).
pub fn rows(report: &ContractsReport, reg: &Registry, lang: Lang, machine: bool) -> Rows {
    let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
    let mut t = Rows::new([
        l("小区", "compound_id"),
        l("名称", "name"),
        l("社区", "community"),
        l("街道", "street"),
        l("物业公司", "company_id"),
        l("服务等级", "service_grade"),
        l("到期日", "end"),
        l("剩余天数", "days_left"),
        l("选聘", "selection_id"),
        l("选聘日期", "held_on"),
        l("有效", "valid"),
        l("参与户数%", "households_pct"),
        l("参与面积%", "area_pct"),
        l("选定企业", "winner"),
    ]);
    for e in &report.expiring {
        t.push(row(e, reg, lang, machine));
    }
    t
}

/// One contract's row.
fn row(e: &ExpiringContract, reg: &Registry, lang: Lang, machine: bool) -> Vec<Cell<'static>> {
    let s = e.selection.as_ref();
    let share = |pick: fn(&crate::report::contracts::Participation) -> &Option<String>| {
        s.and_then(|s| s.participation.as_ref())
            .and_then(|p| pick(p).clone())
            .unwrap_or_default()
    };
    let valid = |valid: bool| match (machine, valid) {
        (true, _) => valid.to_string(),
        (false, true) => lang.pick("有效", "yes").to_string(),
        (false, false) => lang.pick("无效", "no").to_string(),
    };
    let none = if machine { "" } else { lang.pick("无", "none") };
    vec![
        Cell::text(&e.compound_id),
        Cell::text(e.name.as_deref().unwrap_or_default()),
        Cell::text(
            e.community_id
                .as_deref()
                .and_then(|id| reg.community(id))
                .map(|k| k.name.as_str())
                .unwrap_or_default(),
        ),
        Cell::text(
            e.street_id
                .as_deref()
                .and_then(|id| reg.street(id))
                .map(|k| k.name.as_str())
                .unwrap_or_default(),
        ),
        Cell::text(&e.company_id),
        Cell::num(e.service_grade),
        Cell::date(&e.end),
        Cell::num(e.days_left),
        Cell::text(s.map(|s| s.selection_id.as_str()).unwrap_or_default()),
        Cell::date(s.map(|s| s.held_on.as_str()).unwrap_or_default()),
        Cell::text(s.map(|s| valid(s.valid)).unwrap_or_default()),
        Cell::num(share(|p| &p.households)),
        Cell::num(share(|p| &p.area)),
        Cell::text(s.map(|s| s.winner.as_deref().unwrap_or(none)).unwrap_or_default()),
    ]
}
