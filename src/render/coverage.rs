//! `inspect coverage` for people and spreadsheets: a summary per level and window with the
//! missing counts per street, the missing compounds listed, and one CSV row per gap.

use super::xlsx::{self, Sheet};
use super::{Cell, Rows};
use crate::domain::scoring::LevelCoverage;
use chrono::NaiveDate;
use rust_i18n::t;

use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::model::Period;
use crate::report::coverage::per_street;

/// The table for people: a title line (the period and the as-of date), the summary, then
/// the compounds each window missed.
pub fn table(reg: &Registry, coverage: &[LevelCoverage], period: &Period, as_of: NaiveDate, lang: Lang) -> String {
    let title = t!(
        "report.coverage.title",
        locale = lang.code(),
        period = period,
        as_of = as_of
    );
    format!("{title}\n") + &summary(reg, coverage, lang).to_table() + &listing(reg, coverage, lang)
}

/// The workbook's sheets: the summary (missing counts added up) and the missing compounds.
pub fn sheets(
    reg: &Registry,
    coverage: &[LevelCoverage],
    district: &str,
    period: &Period,
    as_of: NaiveDate,
    lang: Lang,
) -> Vec<Sheet> {
    let summary = summary(reg, coverage, lang);
    let sums: Vec<usize> = (4..summary.header.len()).collect();
    let title = |what: &str| xlsx::title(district, period, what, lang);
    let line = xlsx::period_as_of_line(as_of, period, lang);
    let code = lang.code();
    vec![
        Sheet::new(
            &t!("report.coverage.sheet.summary", locale = code),
            title(&t!("report.coverage.sheet.summary_title", locale = code)),
            line.clone(),
            summary,
        )
        .with_totals(&t!("report.coverage.sheet.total", locale = code), &sums),
        Sheet::new(
            &t!("report.coverage.sheet.missing", locale = code),
            title(&t!("report.coverage.sheet.missing_title", locale = code)),
            line,
            gap_rows(reg, coverage, lang, false),
        ),
    ]
}

/// One row per level and window: required, missing, and missing per street (one column each).
pub fn summary(reg: &Registry, coverage: &[LevelCoverage], lang: Lang) -> Rows {
    let code = lang.code();
    let mut header = vec![
        t!("report.coverage.header.level", locale = code).into_owned(),
        t!("report.coverage.header.cadence", locale = code).into_owned(),
        t!("report.coverage.header.window", locale = code).into_owned(),
        t!("report.coverage.header.required", locale = code).into_owned(),
        t!("report.coverage.header.missing", locale = code).into_owned(),
    ];
    header.extend(reg.streets.iter().map(|s| s.name.clone()));
    let mut t = Rows::new(header);
    for lc in coverage {
        for w in &lc.windows {
            let mut row = vec![
                Cell::text(super::words::level(lc.level, lang)),
                Cell::text(super::words::cadence(lc.cadence, lang)),
                Cell::text(w.window.to_string()),
                Cell::num(reg.compounds.len()),
                Cell::num(w.missing.len()),
            ];
            row.extend(per_street(reg, &w.missing).values().map(Cell::num));
            t.push(row);
        }
    }
    t
}

/// The compounds each window missed, under a line naming the level and window.
pub fn listing(reg: &Registry, coverage: &[LevelCoverage], lang: Lang) -> String {
    let mut out = String::new();
    let missed = t!("report.coverage.listing.missing", locale = lang.code());
    for lc in coverage {
        let level = super::words::level(lc.level, lang);
        for w in lc.windows.iter().filter(|w| !w.missing.is_empty()) {
            out += &format!("\n{level} {} {missed}:\n", w.window);
            for id in &w.missing {
                if let Some(c) = reg.compound(id) {
                    let street = reg.street_of_compound(c).map_or("", |s| s.name.as_str());
                    let community = reg.community(&c.community_id).map_or("", |k| k.name.as_str());
                    out += &format!("  {} {} ({street} {community})\n", c.id, c.name);
                }
            }
        }
    }
    out
}

/// One CSV row per (level, window, missing compound).
pub fn gaps(reg: &Registry, coverage: &[LevelCoverage]) -> Rows {
    gap_rows(reg, coverage, Lang::En, true)
}

/// One row per (level, window, missing compound): English ids for scripts (`machine`), or
/// headers and levels in `lang` for people.
pub fn gap_rows(reg: &Registry, coverage: &[LevelCoverage], lang: Lang, machine: bool) -> Rows {
    // Scripts read the ids; people, the catalogue's labels.
    let code = lang.code();
    let l = |id: &str, label: &str| String::from(if machine { id } else { label });
    let mut t = Rows::new([
        l("level", &t!("report.coverage.gap.level", locale = code)),
        l("window", &t!("report.coverage.gap.window", locale = code)),
        l("compound_id", &t!("report.coverage.gap.compound_id", locale = code)),
        l("name", &t!("report.coverage.gap.name", locale = code)),
        l("community_id", &t!("report.coverage.gap.community_id", locale = code)),
        l("street_id", &t!("report.coverage.gap.street_id", locale = code)),
    ]);
    for lc in coverage {
        let level = match machine {
            true => lc.level.as_str().to_string(),
            false => super::words::level(lc.level, lang),
        };
        for w in &lc.windows {
            for id in &w.missing {
                let c = reg.compound(id);
                t.push(vec![
                    Cell::text(&level),
                    Cell::text(w.window.to_string()),
                    Cell::text(id),
                    Cell::text(c.map(|c| c.name.clone()).unwrap_or_default()),
                    Cell::text(c.map(|c| c.community_id.clone()).unwrap_or_default()),
                    Cell::text(
                        c.and_then(|c| reg.street_of_compound(c))
                            .map(|s| s.id.clone())
                            .unwrap_or_default(),
                    ),
                ]);
            }
        }
    }
    t
}
