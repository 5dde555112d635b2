//! `oldestate score`: every compound's score, grade, verdict and three looks for a period,
//! with community and street aggregates; `--explain` shows how one compound's score came about.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

mod explain;

use std::io::Write;

use clap::{Args, ValueEnum};
use serde_json::{json, Map, Value};

use crate::domain::scoring::{CompoundResult, GroupResult, Looks, ScoreReport, Verdict};
use crate::engine::par::chunks_in_order;
use crate::error::{Error, Result};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::{Level, Period};
use crate::render::json::{
    compound_pretty, dec, provenance as provenance_json, standards as standards_json, write_streamed, Field,
};
use crate::render::table::{write_table, write_table_parallel};
use crate::render::{Cell, CsvStream, Format, RowSink};
use crate::workspace::StandardsFile;

use super::loaded::{Inapplicable, Loaded};
use super::{emit, Context};

/// Score every compound, community and street for a period.
///
/// Score every compound for a period: the mean of the scoring level's routine visit scores,
/// its grade and verdict (pass / fail / not_assessed), red lines, problem points by category,
/// and the three looks (street management, community supervision, property service in place);
/// then each community and street. Upheld appeals are applied first. The standards used are
/// the file in force on the period's first day, named in the output.
#[derive(Debug, Args)]
pub struct ScoreArgs {
    /// The period: YYYY-MM, YYYYQn, YYYYHn or YYYY
    #[arg(long)]
    pub period: Period,
    /// Score at this level instead of the standards' scoring level
    #[arg(long, value_parser = parse_level)]
    pub level: Option<Level>,
    /// Which rows the table and CSV list (JSON always holds all three)
    #[arg(long, value_enum, default_value_t = By::Compound)]
    pub by: By,
    /// Show how this compound's score came about (id, name or alias)
    #[arg(long, value_name = "COMPOUND")]
    pub explain: Option<String>,
}

/// The grouping of a report's rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    Compound,
    Community,
    Street,
}

/// clap parser for a level id.
pub fn parse_level(s: &str) -> std::result::Result<Level, String> {
    s.parse()
}

pub fn cmd_score(ctx: &Context, args: &ScoreArgs) -> Result<()> {
    let format = ctx.format("score", &[Format::Table, Format::Csv, Format::Json])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    let standards = loaded.standards_for(&args.period)?;
    if let Some(who) = &args.explain {
        let out = explain::explain(&mut loaded, &standards, args.period, args.level, who, format, lang)?;
        return emit(out.as_bytes());
    }
    let report = loaded.score(args.period, args.level, &standards, Inapplicable::Refused)?;
    // Every format is streamed: a national report lists hundreds of thousands of compounds.
    let stdout = std::io::stdout();
    let out = std::io::BufWriter::with_capacity(1 << 16, stdout.lock());
    let written = match format {
        Format::Json => {
            // The compounds are written one by one, never held as one JSON tree.
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            let r = &report;
            let fields = vec![
                ("period", Field::Value(json!(r.period.to_string()))),
                ("standards", Field::Value(standards_json(&standards))),
                ("level", Field::Value(json!(r.level.as_str()))),
                (
                    "compounds",
                    Field::Pretty(Box::new(r.compounds.iter().map(compound_pretty))),
                ),
                (
                    "communities",
                    Field::Array(Box::new(r.communities.iter().map(|g| group_json(g, "community_id")))),
                ),
                (
                    "streets",
                    Field::Array(Box::new(r.streets.iter().map(|g| group_json(g, "street_id")))),
                ),
                ("provenance", Field::Value(provenance_json(&provenance))),
            ];
            let mut out = out;
            write_streamed(&mut out, fields).and_then(|_| out.flush())
        }
        Format::Csv if args.by == By::Compound => {
            // Drawn on every core, in chunks written in order.
            let list = CompoundRows::new(&standards, lang, true);
            let mut out = out;
            let mut head = CsvStream::new(Vec::new());
            head.header(list.header());
            let compounds = &report.compounds;
            let draw = |r: std::ops::Range<usize>| {
                let mut w = CsvStream::new(Vec::new());
                for c in &compounds[r] {
                    w.row(list.row(c));
                }
                w.into_inner()
            };
            head.into_inner()
                .and_then(|h| out.write_all(&h))
                .and_then(|_| chunks_in_order(compounds.len(), loaded.threads, draw, |b| out.write_all(&b?)))
                .and_then(|_| out.flush())
        }
        Format::Csv => {
            let mut out = CsvStream::new(out);
            rows(&report, &standards, args.by, lang, true, &mut out);
            out.finish()
        }
        _ => {
            let title = title(&loaded, &report, &standards, lang);
            let mut out = out;
            writeln!(out, "{title}")
                .and_then(|_| match args.by {
                    By::Compound => {
                        let list = CompoundRows::new(&standards, lang, false);
                        write_table_parallel(out, list.header(), &report.compounds, loaded.threads, |c| list.row(c))
                    }
                    _ => write_table(out, |t| rows(&report, &standards, args.by, lang, false, t)),
                })
                .map(drop)
        }
    };
    // The report and the registry (the rest of `loaded`, its lock among them, is dropped).
    ctx.discard((report, std::sync::Arc::clone(&loaded.registry)));
    written.map_err(|e| Error::io("<stdout>", e))
}

fn title(loaded: &Loaded, r: &ScoreReport, st: &StandardsFile, lang: Lang) -> String {
    let level = match lang {
        Lang::Zh => r.level.zh(),
        Lang::En => r.level.as_str(),
    };
    match lang {
        Lang::Zh => format!(
            "{} {} 评分（{}检查，标准 {}，sha256 {}）",
            loaded.settings.district,
            r.period,
            level,
            st.file,
            &st.sha256[..12]
        )
        .trim_start()
        .to_string(),
        Lang::En => format!(
            "{} scores for {} ({level} visits; standards {}, sha256 {})",
            loaded.settings.district,
            r.period,
            st.file,
            &st.sha256[..12]
        )
        .trim_start()
        .to_string(),
    }
}

fn yes_no(b: bool, lang: Lang, machine: bool) -> &'static str {
    match (machine, lang, b) {
        (true, _, true) => "true",
        (true, _, false) => "false",
        (false, Lang::Zh, true) => "到位",
        (false, Lang::Zh, false) => "不到位",
        (false, Lang::En, true) => "yes",
        (false, Lang::En, false) => "NO",
    }
}

fn verdict_label(c: &CompoundResult, lang: Lang, machine: bool) -> &'static str {
    match (machine, lang, c.verdict) {
        (true, _, v) => v.as_str(),
        (false, Lang::Zh, Verdict::Pass) => "合格",
        (false, Lang::Zh, Verdict::Fail) => "不合格",
        (false, Lang::Zh, Verdict::NotAssessed) => "未检查",
        (false, Lang::En, Verdict::NotAssessed) => "not assessed",
        (false, Lang::En, v) => v.as_str(),
    }
}

/// The rows of the table or CSV. `machine` keeps ids and values as scripts want them.
/// The compound listing's header and rows (a row is made from its compound alone, so the
/// table can be drawn on several threads).
struct CompoundRows<'s> {
    cats: Vec<&'s str>,
    lang: Lang,
    machine: bool,
}

impl<'s> CompoundRows<'s> {
    fn new(st: &'s StandardsFile, lang: Lang, machine: bool) -> CompoundRows<'s> {
        let cats = st.standards.categories.iter().map(|c| c.code.as_str()).collect();
        CompoundRows { cats, lang, machine }
    }

    fn header(&self) -> Vec<String> {
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

    fn row<'a>(&self, c: &'a CompoundResult) -> Vec<Cell<'a>> {
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
            Cell::borrowed(verdict_label(c, lang, machine)),
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

fn rows(r: &ScoreReport, st: &StandardsFile, by: By, lang: Lang, machine: bool, t: &mut dyn RowSink) {
    let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
    let opt = |d: Option<rust_decimal::Decimal>| d.map(fmt2).unwrap_or_default();
    match by {
        By::Compound => {
            let list = CompoundRows::new(st, lang, machine);
            t.header(list.header());
            for c in &r.compounds {
                t.row(list.row(c));
            }
        }
        By::Community | By::Street => {
            let groups = if by == By::Community {
                &r.communities
            } else {
                &r.streets
            };
            let id = if by == By::Community {
                l("社区编号", "community_id")
            } else {
                l("街道编号", "street_id")
            };
            let mut header = vec![id, l("名称", "name")];
            if by == By::Community {
                header.push(l("街道", "street_id"));
            }
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
            for g in groups {
                let mut row = vec![Cell::text(&g.id), Cell::text(&g.name)];
                if by == By::Community {
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
    }
}

fn group_json(g: &GroupResult, id_key: &str) -> Value {
    let mut m = Map::new();
    m.insert(id_key.into(), json!(g.id));
    m.insert("name".into(), json!(g.name));
    if let Some(s) = &g.street_id {
        m.insert("street_id".into(), json!(s));
    }
    m.insert("compounds".into(), json!(g.compounds));
    m.insert("assessed".into(), json!(g.assessed));
    m.insert("passed".into(), json!(g.passed));
    m.insert("failed".into(), json!(g.failed));
    m.insert("not_assessed".into(), json!(g.not_assessed));
    m.insert("score".into(), dec(g.score));
    m.insert("pass_rate".into(), dec(g.pass_rate()));
    m.insert(
        "looks".into(),
        json!({"street": g.looks.street, "community": g.looks.community, "property": g.looks.property}),
    );
    Value::Object(m)
}
