//! `score` for people and scripts: the table's title, the compound listing and the community
//! and street listings, as tables, CSV or the JSON document. Every format is streamed: a
//! national report lists 220,000 compounds, drawn on every core in chunks written in order.

use std::io::Write;

use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_i18n::t;

use super::json::{write_pretty, Document};
use super::table::{write_table, write_table_lines, Line};
use super::{Cell, CsvStream, RowSink, Rows};
use crate::domain::scoring::{CompoundResult, GroupResult, Looks, ScoreReport, Verdict};
use crate::engine::par::chunks_in_order;
use crate::model::decimal::{fmt2, round2};
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
    // Each row drawn into a reused line and written as it is when no cell needs quoting or
    // a formula guard (every row of a plain registry); otherwise by the CSV writer.
    let draw = |r: std::ops::Range<usize>| -> std::io::Result<Vec<u8>> {
        let mut out = Vec::new();
        let mut line = Line::default();
        for c in &compounds[r] {
            line.clear();
            list.fill(c, &mut line);
            if !super::plain_csv_line(&mut out, &line) {
                let mut w = CsvStream::new(out);
                w.row(list.row(c));
                out = w.into_inner()?;
            }
        }
        Ok(out)
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
    write_table_lines(out, list.header(), compounds, threads, |c, line| list.fill(c, line))?;
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
    // The level in words in Chinese; English has said its id here so far.
    let level = super::words::level(r.level, lang);
    let text = t!(
        "report.score.title",
        locale = lang.code(),
        district = district,
        period = r.period,
        level = level,
        as_of = as_of,
        file = st.file,
        sha256 = &st.sha256[..12]
    );
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
        // Scripts read the ids; people, the catalogue's labels.
        let code = self.lang.code();
        let l = |id: &str, label: &str| String::from(if self.machine { id } else { label });
        let mut header = vec![
            l("compound_id", &t!("report.score.compound.compound_id", locale = code)),
            l("name", &t!("report.score.compound.name", locale = code)),
            l("community_id", &t!("report.score.compound.community_id", locale = code)),
            l("street_id", &t!("report.score.compound.street_id", locale = code)),
            l("visits", &t!("report.score.compound.visits", locale = code)),
            l("score", &t!("report.score.compound.score", locale = code)),
            l("grade", &t!("report.score.compound.grade", locale = code)),
            l("verdict", &t!("report.score.compound.verdict", locale = code)),
            l("red_line", &t!("report.score.compound.red_line", locale = code)),
            l(
                "problem_points",
                &t!("report.score.compound.problem_points", locale = code),
            ),
            l("look_street", &t!("report.score.compound.look_street", locale = code)),
            l(
                "look_community",
                &t!("report.score.compound.look_community", locale = code),
            ),
            l(
                "look_property",
                &t!("report.score.compound.look_property", locale = code),
            ),
        ];
        if self.machine {
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

    /// The cells of [`CompoundRows::row`], drawn into a reused [`Line`]: a national table
    /// draws each of 220,000 rows twice (to measure, then to write), without allocating.
    pub fn fill(&self, c: &CompoundResult, line: &mut Line) {
        let (lang, machine) = (self.lang, self.machine);
        let look = |f: fn(&Looks) -> bool| c.looks.as_ref().map_or("", |lk| yes_no(f(lk), lang, machine));
        line.text(&c.compound_id);
        line.text(&c.name);
        line.text(&c.community_id);
        line.text(&c.street_id);
        line.int(u64::from(c.visits));
        match c.score {
            // As `fmt2` writes it.
            Some(s) => {
                let mut r = round2(s);
                r.rescale(2);
                line.decimal(r);
            }
            None => line.num(""),
        }
        line.text(c.grade.as_deref().unwrap_or_default());
        line.text(verdict_label(c.verdict, lang, machine));
        line.text(match (machine, c.red_line) {
            (true, true) => "true",
            (true, false) => "false",
            (false, true) => "●",
            (false, false) => "",
        });
        line.int(c.problem_points);
        line.text(look(|l| l.street));
        line.text(look(|l| l.community));
        line.text(look(|l| l.property));
        if machine {
            for k in &self.cats {
                line.int(c.categories.get(k).copied().unwrap_or(0));
            }
        }
    }
}

/// The community or street listing: header and one row per group. `machine` keeps English
/// headers for CSV.
pub fn group_rows(groups: Groups<'_>, lang: Lang, machine: bool, t: &mut dyn RowSink) {
    let code = lang.code();
    let l = |id: &str, label: &str| String::from(if machine { id } else { label });
    let opt = |d: Option<Decimal>| d.map(fmt2).unwrap_or_default();
    let (list, community) = match groups {
        Groups::Communities(g) => (g, true),
        Groups::Streets(g) => (g, false),
    };
    let mut header = match groups {
        Groups::Communities(_) => vec![
            l("community_id", &t!("report.score.group.community_id", locale = code)),
            l("name", &t!("report.score.group.name", locale = code)),
            l(
                "street_id",
                &t!("report.score.group.street_of_community", locale = code),
            ),
        ],
        Groups::Streets(_) => vec![
            l("street_id", &t!("report.score.group.street_id", locale = code)),
            l("name", &t!("report.score.group.name", locale = code)),
        ],
    };
    header.extend([
        l("compounds", &t!("report.score.group.compounds", locale = code)),
        l("assessed", &t!("report.score.group.assessed", locale = code)),
        l("passed", &t!("report.score.group.passed", locale = code)),
        l("failed", &t!("report.score.group.failed", locale = code)),
        l("not_assessed", &t!("report.score.group.not_assessed", locale = code)),
        l("score", &t!("report.score.group.score", locale = code)),
        l("pass_rate", &t!("report.score.group.pass_rate", locale = code)),
        l("looks_street", &t!("report.score.group.looks_street", locale = code)),
        l(
            "looks_community",
            &t!("report.score.group.looks_community", locale = code),
        ),
        l(
            "looks_property",
            &t!("report.score.group.looks_property", locale = code),
        ),
    ]);
    t.header(header);
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::scoring::CategoryPoints;
    use proptest::prelude::*;
    use std::sync::Arc;

    fn standards() -> StandardsFile {
        StandardsFile {
            file: "standards/2026-01-01.toml".into(),
            sha256: "ab12".into(),
            standards: toml::from_str(include_str!("../../standards/2026-01-01.toml")).unwrap(),
        }
    }

    fn compound() -> impl Strategy<Value = CompoundResult> {
        let name = "([a-zA-Z0-9 ,\"=-]|[小区第里]|\n){0,6}";
        let looks = prop::option::of((any::<bool>(), any::<bool>(), any::<bool>()));
        let points = prop::collection::vec(("[A-E]", 0u64..20), 0..4);
        (
            (
                name,
                name,
                any::<u32>(),
                prop::option::of((-99_999i64..99_999, 0u32..5)),
            ),
            (
                prop::option::of(name),
                0u8..3,
                any::<bool>(),
                any::<u64>(),
                looks,
                points,
            ),
        )
            .prop_map(
                |((id, n, visits, score), (grade, verdict, red_line, pp, looks, points))| {
                    let verdict = [Verdict::Pass, Verdict::Fail, Verdict::NotAssessed][usize::from(verdict)];
                    CompoundResult {
                        compound_id: Arc::from(id.as_str()),
                        name: Arc::from(n.as_str()),
                        community_id: Arc::from("C01"),
                        street_id: Arc::from("-S"),
                        visits,
                        score: score.map(|(m, scale)| Decimal::new(m, scale)),
                        grade: grade.map(|g| Arc::from(g.as_str())),
                        verdict,
                        red_line,
                        problem_points: pp,
                        categories: points
                            .into_iter()
                            .map(|(c, n)| (Arc::from(c.as_str()), n))
                            .collect::<CategoryPoints>(),
                        looks: looks.map(|(street, community, property)| Looks {
                            street,
                            community,
                            property,
                        }),
                        community_score: None,
                    }
                },
            )
    }

    proptest! {
        /// A row drawn into a line has the cells the row is made of: the same text, numbers
        /// alike, for people and for scripts.
        #[test]
        fn fill_draws_the_row(c in compound(), machine in any::<bool>(), en in any::<bool>()) {
            let st = standards();
            let lang = if en { Lang::En } else { Lang::Zh };
            let list = CompoundRows::new(&st, lang, machine);
            let mut line = Line::default();
            list.fill(&c, &mut line);
            let row = list.row(&c);
            prop_assert_eq!(line.len(), row.len());
            for (i, cell) in row.iter().enumerate() {
                prop_assert_eq!(line.get(i), Some((cell.as_str(), matches!(cell, Cell::Num(_)))));
            }
        }

        /// The compound table and CSV, drawn from lines, are what the rows give.
        #[test]
        fn compounds_are_written_as_their_rows(cs in prop::collection::vec(compound(), 0..8), threads in 1usize..3) {
            let st = standards();
            let list = CompoundRows::new(&st, Lang::Zh, false);
            let mut fast = Vec::new();
            compounds_table(&mut fast, "t", &cs, &st, Lang::Zh, threads).unwrap();
            let mut slow = b"t\n".to_vec();
            super::super::table::write_table_parallel(&mut slow, list.header(), &cs, threads, |c| list.row(c)).unwrap();
            prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(slow).unwrap());

            let machine = CompoundRows::new(&st, Lang::Zh, true);
            let mut fast = Vec::new();
            compounds_csv(&mut fast, &cs, &st, Lang::Zh, threads).unwrap();
            let mut slow = CsvStream::new(Vec::new());
            slow.header(machine.header());
            for c in &cs {
                slow.row(machine.row(c));
            }
            prop_assert_eq!(String::from_utf8(fast).unwrap(), String::from_utf8(slow.into_inner().unwrap()).unwrap());
        }
    }
}
