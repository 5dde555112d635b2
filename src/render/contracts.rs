//! The `contracts` report written out: a table for people (with a heading line), CSV for the
//! morning cron job, and the JSON document of DESIGN §13. Every format is written from the one
//! [`ContractsReport`]; the table also names communities and streets from the registry.

use rust_i18n::t;
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
    let head = t!(
        "report.contracts.heading",
        locale = lang.code(),
        as_of = as_of,
        within = within,
        n = n
    );
    let head = format!("{head}\n");
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
    let code = lang.code();
    let title = t!(
        "report.contracts.sheet.title",
        locale = code,
        district = district,
        within = within
    );
    Sheet::new(
        &t!("report.contracts.sheet.name", locale = code),
        title.trim().to_string(),
        xlsx::as_of_line(as_of, lang),
        rows(report, reg, lang, false),
    )
}

/// The rows: for people in `lang`, or for scripts (`machine`).
pub fn rows(report: &ContractsReport, reg: &Registry, lang: Lang, machine: bool) -> Rows {
    // Scripts read the ids; people, the catalogue's labels.
    let code = lang.code();
    let l = |id: &str, label: &str| String::from(if machine { id } else { label });
    let mut t = Rows::new([
        l("compound_id", &t!("report.contracts.column.compound_id", locale = code)),
        l("name", &t!("report.contracts.column.name", locale = code)),
        l("community", &t!("report.contracts.column.community", locale = code)),
        l("street", &t!("report.contracts.column.street", locale = code)),
        l("company_id", &t!("report.contracts.column.company_id", locale = code)),
        l(
            "service_grade",
            &t!("report.contracts.column.service_grade", locale = code),
        ),
        l("end", &t!("report.contracts.column.end", locale = code)),
        l("days_left", &t!("report.contracts.column.days_left", locale = code)),
        l(
            "selection_id",
            &t!("report.contracts.column.selection_id", locale = code),
        ),
        l("held_on", &t!("report.contracts.column.held_on", locale = code)),
        l("valid", &t!("report.contracts.column.valid", locale = code)),
        l(
            "households_pct",
            &t!("report.contracts.column.households_pct", locale = code),
        ),
        l("area_pct", &t!("report.contracts.column.area_pct", locale = code)),
        l("winner", &t!("report.contracts.column.winner", locale = code)),
    ]);
    let words = RowWords::new(lang, machine);
    for e in &report.expiring {
        t.push(row(e, reg, &words));
    }
    t
}

/// The words a row repeats, looked up once per table: a selection valid or not, and no winner.
/// Scripts (`machine`) get `true`/`false` and an empty cell.
struct RowWords {
    valid: String,
    invalid: String,
    no_winner: String,
}

impl RowWords {
    fn new(lang: Lang, machine: bool) -> RowWords {
        let code = lang.code();
        match machine {
            true => RowWords {
                valid: true.to_string(),
                invalid: false.to_string(),
                no_winner: String::new(),
            },
            false => RowWords {
                valid: t!("report.contracts.valid", locale = code).into_owned(),
                invalid: t!("report.contracts.invalid", locale = code).into_owned(),
                no_winner: t!("report.contracts.no_winner", locale = code).into_owned(),
            },
        }
    }
}

/// One contract's row.
fn row(e: &ExpiringContract, reg: &Registry, words: &RowWords) -> Vec<Cell<'static>> {
    let s = e.selection.as_ref();
    let share = |pick: fn(&crate::report::contracts::Participation) -> &Option<String>| {
        s.and_then(|s| s.participation.as_ref())
            .and_then(|p| pick(p).clone())
            .unwrap_or_default()
    };
    let valid = |valid: bool| if valid { &words.valid } else { &words.invalid };
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
        Cell::text(s.map_or("", |s| valid(s.valid))),
        Cell::num(share(|p| &p.households)),
        Cell::num(share(|p| &p.area)),
        Cell::text(s.map_or("", |s| s.winner.as_deref().unwrap_or(&words.no_winner))),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::contracts::Selection;

    /// The demo's selections are all valid and all chose a company: an invalid one that chose
    /// none is pinned here, for people in both languages and for scripts.
    #[test]
    fn an_invalid_selection_without_a_winner_is_said_in_words() {
        let e = ExpiringContract {
            compound_id: "HP001".into(),
            name: None,
            community_id: None,
            street_id: None,
            company_id: "CO01".into(),
            service_grade: 2,
            end: "2026-08-31".into(),
            days_left: 62,
            selection: Some(Selection {
                selection_id: "SEL01".into(),
                held_on: "2026-05-20".into(),
                valid: false,
                winner: None,
                households: 120,
                area_m2: "8000".into(),
                participation: None,
            }),
        };
        let reg = Registry::default();
        let cells = |lang: Lang, machine: bool| -> Vec<String> {
            let words = RowWords::new(lang, machine);
            let row = row(&e, &reg, &words);
            [10, 13].iter().map(|&i| row[i].as_str().to_string()).collect()
        };
        assert_eq!(cells(Lang::Zh, false), ["无效", "无"]);
        assert_eq!(cells(Lang::En, false), ["no", "none"]);
        assert_eq!(cells(Lang::En, true), ["false", ""]);
    }
}
