//! `inspect coverage` for people and spreadsheets: a summary per level and window with the
//! missing counts per street, the missing compounds listed, and one CSV row per gap.

use super::xlsx::{self, Sheet};
use super::{Cell, Rows};
use crate::domain::scoring::LevelCoverage;
use chrono::NaiveDate;

use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::model::Period;
use crate::report::coverage::per_street;

/// The table for people: a title line (the period and the as-of date), the summary, then
/// the compounds each window missed.
pub fn table(reg: &Registry, coverage: &[LevelCoverage], period: &Period, as_of: NaiveDate, lang: Lang) -> String {
    let title = match lang {
        Lang::Zh => format!("{period} 检查覆盖情况（数据截至 {as_of}；未结束的窗口不计缺检）\n"),
        Lang::En => {
            format!("Inspection coverage, {period} (data as of {as_of}; windows not yet over are not counted)\n")
        }
    };
    title + &summary(reg, coverage, lang).to_table() + &listing(reg, coverage, lang)
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
    let title = |what| xlsx::title(district, period, what, lang);
    let line = xlsx::as_of_line(as_of, lang);
    vec![
        Sheet::new(
            lang.pick("覆盖情况", "Coverage"),
            title(lang.pick("检查覆盖情况", "inspection coverage")),
            line.clone(),
            summary,
        )
        .with_totals(lang.pick("合计", "Total"), &sums),
        Sheet::new(
            lang.pick("缺检小区", "Not visited"),
            title(lang.pick("缺检小区", "compounds not visited")),
            line,
            gap_rows(reg, coverage, lang, false),
        ),
    ]
}

/// One row per level and window: required, missing, and missing per street (one column each).
pub fn summary(reg: &Registry, coverage: &[LevelCoverage], lang: Lang) -> Rows {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let mut header = vec![
        l("检查层级", "level"),
        l("频次", "cadence"),
        l("窗口", "window"),
        l("应检", "required"),
        l("缺检", "missing"),
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
    for lc in coverage {
        for w in lc.windows.iter().filter(|w| !w.missing.is_empty()) {
            out += &format!(
                "\n{} {} {}:\n",
                lang.pick(lc.level.zh(), lc.level.en()),
                w.window,
                lang.pick("缺检小区", "not visited")
            );
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
    let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
    let mut t = Rows::new([
        l("检查层级", "level"),
        l("窗口", "window"),
        l("小区", "compound_id"),
        l("名称", "name"),
        l("社区", "community_id"),
        l("街道", "street_id"),
    ]);
    for lc in coverage {
        for w in &lc.windows {
            for id in &w.missing {
                let c = reg.compound(id);
                t.push(vec![
                    Cell::text(if machine {
                        lc.level.as_str()
                    } else {
                        lang.pick(lc.level.zh(), lc.level.en())
                    }),
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
