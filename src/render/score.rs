//! `score` for people and scripts: the table's title, the compound listing and the community
//! and street listings, as tables, CSV or the JSON document. Every format is streamed: a
//! national report lists 220,000 compounds, drawn on every core in chunks written in order.

use std::io::Write;

use chrono::NaiveDate;
use rust_decimal::Decimal;

use super::json::{write_pretty, Document};
use super::table::{write_table, write_table_parallel};
use super::{Cell, CsvStream, RowSink, Rows};
use crate::domain::scoring::{CompoundResult, GroupResult, Looks, ScoreReport, Verdict};
use crate::engine::par::chunks_in_order;
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::report::score::Score;
use crate::workspace::StandardsFile;

/// The aggregates a listing shows: communities (with their street) or streets.
#[derive(Debug, Clone, Copy)]
pub enum Groups<'a> {
    /// One row per community.
    Communities(&'a [GroupResult]),
    /// One row per street.
    Streets(&'a [GroupResult]),
}

/// Write the JSON document (DESIGN §11), the compounds serialized one by one as written.
pub fn write_json<W: Write>(mut out: W, doc: &Document<'_, Score<'_>>) -> std::io::Result<()> {
    write_pretty(&mut out, doc)?;
    out.flush()
}

/// Write every compound as CSV, drawn on `threads` threads in chunks written in order.
pub fn compounds_csv<W: Write>(
    mut out: W,
    compounds: &[CompoundResult],
    st: &StandardsFile,
    lang: Lang,
    threads: usize,
) -> std::io::Result<()> {
    let list = CompoundRows::new(st, lang, true);
    let mut head = CsvStream::new(Vec::new());
    head.header(list.header());
    let draw = |r: std::ops::Range<usize>| {
        let mut w = CsvStream::new(Vec::new());
        for c in &compounds[r] {
            w.row(list.row(c));
        }
        w.into_inner()
    };
    out.write_all(&head.into_inner()?)?;
    chunks_in_order(compounds.len(), threads, draw, |b| out.write_all(&b?))?;
    out.flush()
}

/// Write the communities or streets as CSV.
pub fn groups_csv<W: Write>(out: W, groups: Groups<'_>) -> std::io::Result<()> {
    let mut out = CsvStream::new(out);
    group_rows(groups, Lang::En, true, &mut out);
    out.finish()
}

/// Write the title and the compound table, drawn on `threads` threads.
pub fn compounds_table<W: Write>(
    mut out: W,
    title: &str,
    compounds: &[CompoundResult],
    st: &StandardsFile,
    lang: Lang,
    threads: usize,
) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    let list = CompoundRows::new(st, lang, false);
    write_table_parallel(out, list.header(), compounds, threads, |c| list.row(c))?;
    Ok(())
}

/// Write the title and the community or street table.
pub fn groups_table<W: Write>(mut out: W, title: &str, groups: Groups<'_>, lang: Lang) -> std::io::Result<()> {
    writeln!(out, "{title}")?;
    write_table(out, |t| group_rows(groups, lang, false, t))?;
    Ok(())
}

/// The table's title: district, period, level, and the standards used.
pub fn title(district: &str, r: &ScoreReport, st: &StandardsFile, as_of: NaiveDate, lang: Lang) -> String {
    let text = match lang {
        Lang::Zh => format!(
            "{} {} 评分（{}检查，数据截至 {as_of}，标准 {}，sha256 {}）",
            district,
            r.period,
            r.level.zh(),
            st.file,
            &st.sha256[..12]
        ),
        Lang::En => format!(
            "{} scores for {} ({} visits, data as of {as_of}; standards {}, sha256 {})",
            district,
            r.period,
            r.level.as_str(),
            st.file,
            &st.sha256[..12]
        ),
    };
    text.trim_start().to_string()
}

/// The people's rows (headers and words in `lang`): the compounds, or the communities or
/// streets of `groups`, collected for a workbook or a CSV for Excel.
pub fn people_rows(
    compounds: &[CompoundResult],
    groups: Groups<'_>,
    by_compound: bool,
    st: &StandardsFile,
    lang: Lang,
) -> Rows {
    let mut rows = Rows::default();
    if by_compound {
        let list = CompoundRows::new(st, lang, false);
        rows.header(list.header());
        for c in compounds {
            rows.row(list.row(c));
        }
    } else {
        group_rows(groups, lang, false, &mut rows);
    }
    rows
}

/// The columns of [`people_rows`] that add up (counts: problem points; compounds, passed,
/// failed and the looks in place per group), never scores or rates.
pub fn count_columns(groups: Groups<'_>, by_compound: bool) -> Vec<usize> {
    let first = match (by_compound, groups) {
        (true, _) => return vec![9],
        (false, Groups::Communities(_)) => 3,
        (false, Groups::Streets(_)) => 2,
    };
    // compounds, assessed, passed, failed, not_assessed, [score, pass rate], three looks.
    [0, 1, 2, 3, 4, 7, 8, 9].iter().map(|i| first + i).collect()
}

/// A look in place or not: `true`/`false` for scripts, words for people.
fn yes_no(b: bool, lang: Lang, machine: bool) -> &'static str {
    match (machine, b) {
        (true, true) => "true",
        (true, false) => "false",
        (false, b) => super::words::vocab(lang).look(b),
    }
}

/// A verdict: its id for scripts, words for people.
fn verdict_label(v: Verdict, lang: Lang, machine: bool) -> &'static str {
    match machine {
        true => v.as_str(),
        false => super::words::vocab(lang).verdict(v),
    }
}

/// The compound listing's header and rows. A row is made from its compound alone, so the
/// table can be drawn on several threads. `machine` keeps English headers and raw values for
/// CSV, and adds the points per category.
pub struct CompoundRows<'s> {
    cats: Vec<&'s str>,
    lang: Lang,
    machine: bool,
}

impl<'s> CompoundRows<'s> {
    /// The listing under the categories of `st`.
    pub fn new(st: &'s StandardsFile, lang: Lang, machine: bool) -> CompoundRows<'s> {
        let cats = st.standards.categories.iter().map(|c| c.code.as_str()).collect();
        CompoundRows { cats, lang, machine }
    }

    /// The header row.
    pub fn header(&self) -> Vec<String> {
        let (lang, machine) = (self.lang, self.machine);
        let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
        let mut header: Vec<String> = [
            l("编号", "compound_id"),
            l("小区", "name"),
            l("社区", "community_id"),
            l("街道", "street_id"),
            l("检查次数", "visits"),
            l("得分", "score"),
            l("等级", "grade"),
            l("结论", "verdict"),
            l("红线", "red_line"),
            l("问题点位", "problem_points"),
            l("街道管理", "look_street"),
            l("社区监督", "look_community"),
            l("物业服务", "look_property"),
        ]
        .map(String::from)
        .to_vec();
        if machine {
            header.extend(self.cats.iter().map(|c| format!("points_{c}")));
        }
        header
    }

    /// A compound's row, borrowing its text from the result.
    pub fn row<'a>(&self, c: &'a CompoundResult) -> Vec<Cell<'a>> {
        let (lang, machine) = (self.lang, self.machine);
        let look = |f: fn(&Looks) -> bool| c.looks.as_ref().map_or("", |lk| yes_no(f(lk), lang, machine));
        let mut row = vec![
            Cell::borrowed(&c.compound_id),
            Cell::borrowed(&c.name),
            Cell::borrowed(&c.community_id),
            Cell::borrowed(&c.street_id),
            Cell::num(c.visits),
            Cell::num(c.score.map(fmt2).unwrap_or_default()),
            Cell::borrowed(c.grade.as_deref().unwrap_or_default()),
            Cell::borrowed(verdict_label(c.verdict, lang, machine)),
            Cell::borrowed(match (machine, c.red_line) {
                (true, true) => "true",
                (true, false) => "false",
                (false, true) => "●",
                (false, false) => "",
            }),
            Cell::num(c.problem_points),
            Cell::borrowed(look(|l| l.street)),
            Cell::borrowed(look(|l| l.community)),
            Cell::borrowed(look(|l| l.property)),
        ];
        if machine {
            row.extend(
                self.cats
                    .iter()
                    .map(|k| Cell::num(c.categories.get(k).copied().unwrap_or(0))),
            );
        }
        row
    }
}

/// The community or street listing: header and one row per group. `machine` keeps English
/// headers for CSV.
pub fn group_rows(groups: Groups<'_>, lang: Lang, machine: bool, t: &mut dyn RowSink) {
    let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
    let opt = |d: Option<Decimal>| d.map(fmt2).unwrap_or_default();
    let (list, community) = match groups {
        Groups::Communities(g) => (g, true),
        Groups::Streets(g) => (g, false),
    };
    let mut header = match groups {
        Groups::Communities(_) => vec![l("社区编号", "community_id"), l("名称", "name"), l("街道", "street_id")],
        Groups::Streets(_) => vec![l("街道编号", "street_id"), l("名称", "name")],
    };
    header.extend([
        l("小区数", "compounds"),
        l("已检查", "assessed"),
        l("合格", "passed"),
        l("不合格", "failed"),
        l("未检查", "not_assessed"),
        l("平均分", "score"),
        l("合格率%", "pass_rate"),
        l("街道管理到位", "looks_street"),
        l("社区监督到位", "looks_community"),
        l("物业服务到位", "looks_property"),
    ]);
    t.header(header.into_iter().map(String::from).collect());
    for g in list {
        let mut row = vec![Cell::text(&g.id), Cell::text(&g.name)];
        if community {
            row.push(Cell::text(g.street_id.clone().unwrap_or_default()));
        }
        row.extend([
            Cell::num(g.compounds),
            Cell::num(g.assessed),
            Cell::num(g.passed),
            Cell::num(g.failed),
            Cell::num(g.not_assessed),
            Cell::num(opt(g.score)),
            Cell::num(opt(g.pass_rate())),
            Cell::num(g.looks.street),
            Cell::num(g.looks.community),
            Cell::num(g.looks.property),
        ]);
        t.row(row);
    }
}
