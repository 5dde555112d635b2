//! `assessor` for people and scripts (DESIGN §16): the report's parts as tables (coverage,
//! agreement, the pairs, items on each side, appeals by street and by item, teams, evidence),
//! shown as a text table, Markdown or Word document, or workbook sheets; the CSV is the teams'
//! table. Every part is drawn from the one [`Assessor`] value the JSON is, so the formats
//! cannot disagree. Also the bulletin's short 第三方考评 section ([`bulletin_section`]).

use rust_i18n::t;

use crate::domain::as_of::AsOf;
use crate::domain::assessor::AssessorReport;
use crate::domain::scoring::Verdict;
use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::model::standards::Standards;
use crate::model::{Level, Period};
use crate::report::assessor::{Assessor, Side};

use super::document::{Document, Section, Table};
use super::xlsx::{self, Sheet};
use super::{zh_date, Cell, Rows};

/// Everything a rendering names besides the report.
pub struct Frame<'a> {
    /// Street, community and compound names.
    pub registry: &'a Registry,
    /// The district's name, for titles.
    pub district: &'a str,
    /// The period assessed.
    pub period: Period,
    /// The day the report stands on.
    pub as_of: AsOf,
    /// The level assessed.
    pub level: Level,
    /// The report's language.
    pub lang: Lang,
}

impl Frame<'_> {
    /// The level assessed, in the vocabulary's words.
    fn level(&self) -> String {
        super::words::level(self.level, self.lang)
    }

    /// The period as the title says it: in words in Chinese (2026年上半年), its id in English.
    fn period_said(&self) -> String {
        match self.lang {
            Lang::Zh => super::words::period_words(self.period, self.lang),
            Lang::En => self.period.to_string(),
        }
    }

    fn title(&self) -> String {
        let (code, period, level) = (self.lang.code(), self.period_said(), self.level());
        // A Chinese title leads with the district; the English one has never named it.
        match self.lang {
            Lang::Zh => t!(
                "report.assessor.title.district",
                locale = code,
                district = self.district,
                period = period,
                level = level
            ),
            Lang::En => t!(
                "report.assessor.title.plain",
                locale = code,
                period = period,
                level = level
            ),
        }
        .trim()
        .to_string()
    }

    fn subtitle(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.as_of.complete(&self.period) {
            let date = match self.lang {
                Lang::Zh => zh_date(self.as_of.date),
                Lang::En => self.as_of.date.to_string(),
            };
            let words = t!(
                "report.company.not_over",
                locale = self.lang.code(),
                period = self.period_said(),
                date = date
            );
            lines.push(words.into_owned());
        }
        lines.push(xlsx::as_of_line(self.as_of.date, self.lang));
        lines
    }
}

/// The most pairs a document for people lists (a national level pairs tens of thousands of
/// visits: they are listed by the largest difference first; the JSON lists every pair).
const LISTED_PAIRS: usize = 100;

/// One titled part of the report.
struct Part {
    /// The sheet's tab name.
    tab: String,
    title: String,
    rows: Rows,
    /// Columns that add up in a workbook's 合计 row.
    totals: Vec<usize>,
}

/// The parts, in order; a part with no rows is left out.
fn parts(a: &Assessor, f: &Frame) -> Vec<Part> {
    let (lang, code) = (f.lang, f.lang.code());
    let mut out = vec![Part {
        tab: t!("report.assessor.tab.coverage", locale = code).into_owned(),
        title: t!("report.assessor.part.coverage", locale = code).into_owned(),
        rows: coverage(a, f),
        totals: Vec::new(),
    }];
    if a.agreement.is_some() {
        let days = a.agreement_days;
        // The Chinese heading says how far apart a pair may be; the English one leaves it out.
        let title = match lang {
            Lang::Zh => t!("report.assessor.part.agreement_days", locale = code, days = days),
            Lang::En => t!("report.assessor.part.agreement", locale = code),
        };
        out.push(Part {
            tab: t!("report.assessor.tab.agreement", locale = code).into_owned(),
            title: title.into_owned(),
            rows: agreement(a, f),
            totals: Vec::new(),
        });
        let total = a.agreement.as_ref().map_or(0, |ag| ag.list.len());
        let title = if total > LISTED_PAIRS {
            t!(
                "report.assessor.part.pairs_listed",
                locale = code,
                total = total,
                listed = LISTED_PAIRS
            )
        } else {
            t!("report.assessor.part.pairs", locale = code)
        };
        out.push(Part {
            tab: t!("report.assessor.tab.pairs", locale = code).into_owned(),
            title: title.into_owned(),
            rows: pairs(a, f),
            totals: Vec::new(),
        });
        out.push(Part {
            tab: t!("report.assessor.tab.items", locale = code).into_owned(),
            title: t!("report.assessor.part.items", locale = code).into_owned(),
            rows: items(a, f),
            totals: vec![2, 3, 4, 5],
        });
    }
    out.push(Part {
        tab: t!("report.assessor.tab.appeals", locale = code).into_owned(),
        title: t!("report.assessor.part.appeals", locale = code).into_owned(),
        rows: appeals(a, lang),
        totals: Vec::new(),
    });
    let by_street = t!("report.assessor.part.appeals_by_street", locale = code).into_owned();
    out.push(Part {
        tab: by_street.clone(),
        title: by_street,
        rows: appeal_lines(
            &a.appeals.by_street,
            lang,
            &t!("report.assessor.appeal.street", locale = code),
        ),
        totals: vec![1, 2, 3, 4],
    });
    let by_item = t!("report.assessor.part.appeals_by_item", locale = code).into_owned();
    out.push(Part {
        tab: by_item.clone(),
        title: by_item,
        rows: appeal_lines(
            &a.appeals.by_item,
            lang,
            &t!("report.assessor.appeal.item", locale = code),
        ),
        totals: vec![1, 2, 3, 4],
    });
    out.push(Part {
        tab: t!("report.assessor.tab.teams", locale = code).into_owned(),
        title: t!("report.assessor.part.teams", locale = code).into_owned(),
        rows: teams(a, lang, false),
        totals: vec![1, 7],
    });
    out.push(Part {
        tab: t!("report.assessor.tab.evidence", locale = code).into_owned(),
        title: t!("report.assessor.part.evidence", locale = code).into_owned(),
        rows: evidence(a, lang),
        totals: Vec::new(),
    });
    out.retain(|p| !p.rows.rows.is_empty());
    out
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

fn key_value(lang: Lang, lines: Vec<(std::borrow::Cow<'_, str>, String)>) -> Rows {
    let code = lang.code();
    let mut t = Rows::new([
        t!("report.assessor.figure", locale = code),
        t!("report.assessor.value", locale = code),
    ]);
    for (k, v) in lines {
        t.push(vec![Cell::text(k), Cell::num(v)]);
    }
    t
}

fn coverage(a: &Assessor, f: &Frame) -> Rows {
    let code = f.lang.code();
    let c = &a.coverage;
    let mut t = Rows::new([
        t!("report.assessor.coverage.window", locale = code),
        t!("report.assessor.coverage.due", locale = code),
        t!("report.assessor.coverage.visited", locale = code),
        t!("report.assessor.coverage.missed", locale = code),
    ]);
    for w in &c.windows {
        t.push(vec![
            Cell::text(&w.window),
            Cell::num(w.required),
            Cell::num(w.visited),
            Cell::num(w.missing),
        ]);
    }
    t.push(vec![
        // The Chinese row names the level; the English one leaves it to the title.
        Cell::text(match f.lang {
            Lang::Zh => t!(
                "report.assessor.coverage.period_level",
                locale = code,
                level = f.level(),
                visits = c.visits
            ),
            Lang::En => t!("report.assessor.coverage.period", locale = code, visits = c.visits),
        }),
        Cell::num(c.compounds),
        Cell::num(c.visited),
        // Not visited yet is not missed while the period runs (its windows above are the
        // ended ones).
        match f.as_of.complete(&f.period) {
            true => Cell::num(c.compounds - c.visited),
            false => Cell::text("—"),
        },
    ]);
    t
}

fn agreement(a: &Assessor, f: &Frame) -> Rows {
    let Some(ag) = &a.agreement else {
        return Rows::new(Vec::<String>::new());
    };
    let (lv, code) = (f.level(), f.lang.code());
    let lines = vec![
        (
            t!("report.assessor.agreement.pairs", locale = code),
            ag.pairs.to_string(),
        ),
        (
            t!("report.assessor.agreement.mean_diff", locale = code, level = lv),
            or_dash(&ag.mean_diff),
        ),
        (
            t!("report.assessor.agreement.max_diff", locale = code),
            or_dash(&ag.max_diff),
        ),
        (
            t!("report.assessor.agreement.verdicts_agree", locale = code),
            or_dash(&ag.verdict_agreement),
        ),
        (t!("report.assessor.agreement.kappa", locale = code), or_dash(&ag.kappa)),
        (
            t!("report.assessor.agreement.both_pass", locale = code),
            ag.verdicts.both_pass.to_string(),
        ),
        (
            t!("report.assessor.agreement.only_level_passes", locale = code, level = lv),
            ag.verdicts.assessor_only_pass.to_string(),
        ),
        (
            t!("report.assessor.agreement.only_district_passes", locale = code),
            ag.verdicts.district_only_pass.to_string(),
        ),
        (
            t!("report.assessor.agreement.both_fail", locale = code),
            ag.verdicts.both_fail.to_string(),
        ),
        (
            t!("report.assessor.agreement.items_level_only", locale = code, level = lv),
            ag.items_only_assessor.to_string(),
        ),
        (
            t!("report.assessor.agreement.items_district_only", locale = code),
            ag.items_only_district.to_string(),
        ),
    ];
    key_value(f.lang, lines)
}

fn pairs(a: &Assessor, f: &Frame) -> Rows {
    let (lv, code) = (f.level(), f.lang.code());
    let mut t = Rows::new([
        t!("report.assessor.pairs.compound", locale = code),
        t!("report.assessor.pairs.street", locale = code),
        t!("report.assessor.pairs.level_date", locale = code, level = lv),
        t!("report.assessor.pairs.level_score", locale = code, level = lv),
        t!("report.assessor.pairs.level_verdict", locale = code, level = lv),
        t!("report.assessor.pairs.district_date", locale = code),
        t!("report.assessor.pairs.district_score", locale = code),
        t!("report.assessor.pairs.district_verdict", locale = code),
        t!("report.assessor.pairs.difference", locale = code),
    ]);
    // The vocabulary's verdicts, looked up once for every pair.
    let (pass, fail) = (
        super::words::verdict(Verdict::Pass, f.lang),
        super::words::verdict(Verdict::Fail, f.lang),
    );
    let verdict = |s: &Side| match (f.lang, s.verdict) {
        (_, "pass") => pass.clone(),
        (Lang::Zh, _) => fail.clone(),
        (Lang::En, v) => v.to_string(),
    };
    let mut listed: Vec<&crate::report::assessor::PairJson> = a.agreement.iter().flat_map(|ag| &ag.list).collect();
    if listed.len() > LISTED_PAIRS {
        let size = |p: &crate::report::assessor::PairJson| {
            p.diff
                .trim_start_matches('-')
                .parse::<rust_decimal::Decimal>()
                .unwrap_or_default()
        };
        // Stable: equal differences keep the JSON's order (registry order, then date). Each
        // difference is parsed once, not at every comparison (tens of thousands of pairs).
        listed.sort_by_cached_key(|p| std::cmp::Reverse(size(p)));
        listed.truncate(LISTED_PAIRS);
    }
    for p in listed {
        let c = f.registry.compound(&p.compound_id);
        let street = c.and_then(|c| f.registry.street_of_compound(c)).map(|s| s.name.clone());
        t.push(vec![
            Cell::text(c.map_or_else(|| p.compound_id.clone(), |c| c.name.to_string())),
            Cell::text(street.unwrap_or_default()),
            Cell::date(&p.assessor.date),
            Cell::num(&p.assessor.score),
            Cell::text(verdict(&p.assessor)),
            Cell::date(&p.district.date),
            Cell::num(&p.district.score),
            Cell::text(verdict(&p.district)),
            Cell::num(&p.diff),
        ]);
    }
    t
}

fn items(a: &Assessor, f: &Frame) -> Rows {
    let (lv, code) = (f.level(), f.lang.code());
    let mut t = Rows::new([
        t!("report.assessor.items.item", locale = code),
        t!("report.assessor.items.name", locale = code),
        t!("report.assessor.items.level_points", locale = code, level = lv),
        t!("report.assessor.items.district_points", locale = code),
        t!("report.assessor.items.level_only", locale = code, level = lv),
        t!("report.assessor.items.district_only", locale = code),
    ]);
    for i in a.agreement.iter().flat_map(|ag| &ag.items) {
        t.push(vec![
            Cell::text(&i.item),
            Cell::text(&i.name),
            Cell::num(i.assessor_points),
            Cell::num(i.district_points),
            Cell::num(i.only_assessor),
            Cell::num(i.only_district),
        ]);
    }
    t
}

fn appeals(a: &Assessor, lang: Lang) -> Rows {
    let p = &a.appeals;
    let code = lang.code();
    let lines = vec![
        (t!("report.assessor.appeals.filed", locale = code), p.filed.to_string()),
        (
            t!("report.assessor.appeals.decided", locale = code),
            p.decided.to_string(),
        ),
        (
            t!("report.assessor.appeals.upheld", locale = code),
            p.upheld.to_string(),
        ),
        (
            t!("report.assessor.appeals.points_removed", locale = code),
            p.points_removed.to_string(),
        ),
        (
            t!("report.assessor.appeals.error_rate", locale = code),
            or_dash(&p.error_rate),
        ),
    ];
    key_value(lang, lines)
}

fn appeal_lines(lines: &[crate::report::assessor::AppealLine], lang: Lang, what: &str) -> Rows {
    let code = lang.code();
    let mut t = Rows::new([
        what.to_string(),
        t!("report.assessor.appeal.filed", locale = code).into_owned(),
        t!("report.assessor.appeal.decided", locale = code).into_owned(),
        t!("report.assessor.appeal.upheld", locale = code).into_owned(),
        t!("report.assessor.appeal.points_removed", locale = code).into_owned(),
    ]);
    for x in lines {
        let name = match (&x.item, x.name.is_empty()) {
            (Some(code), false) => format!("{code} {}", x.name),
            (Some(code), true) => code.clone(),
            (None, _) => x.name.clone(),
        };
        t.push(vec![
            Cell::text(name),
            Cell::num(x.filed),
            Cell::num(x.decided),
            Cell::num(x.upheld),
            Cell::num(x.points_removed),
        ]);
    }
    t
}

/// The teams' table: people's headers and words, or (`machine`) the CSV's stable English
/// headers and JSON values.
pub fn teams(a: &Assessor, lang: Lang, machine: bool) -> Rows {
    // The CSV's headers are its English ids, for scripts; people read the catalogue's words.
    const IDS: [&str; 9] = [
        "team",
        "visits",
        "points_per_visit",
        "pass_rate",
        "p_pass_rate",
        "p_points",
        "outlier",
        "pairs",
        "mean_diff",
    ];
    let mut t = if machine {
        Rows::new(IDS)
    } else {
        let code = lang.code();
        Rows::new([
            t!("report.assessor.teams.team", locale = code),
            t!("report.assessor.teams.visits", locale = code),
            t!("report.assessor.teams.points_per_visit", locale = code),
            t!("report.assessor.teams.pass_rate", locale = code),
            t!("report.assessor.teams.p_pass_rate", locale = code),
            t!("report.assessor.teams.p_points", locale = code),
            t!("report.assessor.teams.outlier", locale = code),
            t!("report.assessor.teams.pairs", locale = code),
            t!("report.assessor.teams.mean_diff", locale = code),
        ])
    };
    let yes = t!("report.assessor.teams.yes", locale = lang.code());
    let blank = |v: &Option<String>| {
        if machine {
            v.clone().unwrap_or_default()
        } else {
            or_dash(v)
        }
    };
    for x in &a.teams {
        let outlier = match (machine, x.outlier) {
            (true, o) => o.to_string(),
            (false, true) => yes.to_string(),
            (false, false) => String::new(),
        };
        t.push(vec![
            Cell::text(&x.team),
            Cell::num(x.visits),
            Cell::num(blank(&x.points_per_visit)),
            Cell::num(blank(&x.pass_rate)),
            Cell::num(blank(&x.p_pass_rate)),
            Cell::num(blank(&x.p_points)),
            Cell::text(outlier),
            Cell::num(x.pairs),
            Cell::num(blank(&x.mean_diff)),
        ]);
    }
    t
}

fn evidence(a: &Assessor, lang: Lang) -> Rows {
    let e = &a.evidence;
    let code = lang.code();
    let lines = vec![
        (
            t!("report.assessor.evidence.visits", locale = code),
            e.visits.to_string(),
        ),
        (
            t!("report.assessor.evidence.visits_with_points", locale = code),
            e.visits_with_points.to_string(),
        ),
        (
            t!("report.assessor.evidence.problem_points", locale = code),
            e.problem_points.to_string(),
        ),
        (
            t!("report.assessor.evidence.photos", locale = code),
            e.photos.to_string(),
        ),
        (
            t!("report.assessor.evidence.photos_per_point", locale = code),
            or_dash(&e.photos_per_point),
        ),
        (
            t!("report.assessor.evidence.without_photo", locale = code),
            e.visits_without_photo.to_string(),
        ),
    ];
    key_value(lang, lines)
}

/// The table for people: the title, the as-of line, then each part under its heading, and
/// the outlying teams named with the test that names them.
pub fn table(a: &Assessor, f: &Frame) -> String {
    let mut out = format!("{}\n", f.title());
    for line in f.subtitle() {
        out += &format!("{line}\n");
    }
    for p in parts(a, f) {
        out += &format!("\n{}\n{}", p.title, p.rows.to_table());
    }
    for line in outliers(a, f) {
        out += &format!("\n{line}");
    }
    out.push('\n');
    out
}

/// One sentence per outlying team, naming the test and its p.
fn outliers(a: &Assessor, f: &Frame) -> Vec<String> {
    // Looked up once, filled per outlying team.
    let sentence = t!("report.assessor.outlier", locale = f.lang.code());
    a.teams
        .iter()
        .filter(|t| t.outlier)
        .map(|t| {
            sentence
                .replace("%{team}", &t.team)
                .replace("%{pass_rate}", &or_dash(&t.pass_rate))
                .replace("%{p_pass_rate}", &or_dash(&t.p_pass_rate))
                .replace("%{points}", &or_dash(&t.points_per_visit))
                .replace("%{p_points}", &or_dash(&t.p_points))
        })
        .collect()
}

fn doc_table(rows: &Rows) -> Table {
    Table {
        header: rows.header.clone(),
        rows: rows
            .rows
            .iter()
            .map(|r| r.iter().map(|c| c.as_str().to_string()).collect())
            .collect(),
        numeric: rows.rows.first().map_or_else(Vec::new, |r| {
            r.iter()
                .enumerate()
                .filter(|(_, c)| matches!(c, Cell::Num(_)))
                .map(|(i, _)| i)
                .collect()
        }),
    }
}

/// The document (Markdown, Word): a section per part; the outliers named after the teams.
pub fn document(a: &Assessor, f: &Frame) -> Document {
    let mut sections: Vec<Section> = parts(a, f)
        .into_iter()
        .map(|p| Section {
            title: p.title,
            table: Some(doc_table(&p.rows)),
            ..Default::default()
        })
        .collect();
    let teams = t!("report.assessor.part.teams", locale = f.lang.code());
    if let Some(s) = sections.iter_mut().find(|s| s.title == teams) {
        s.after = outliers(a, f);
    }
    Document {
        lang: f.lang,
        title: f.title(),
        subtitle: f.subtitle(),
        sections,
        footer: vec![t!("report.company.bureau", locale = f.lang.code(), district = f.district).into_owned()],
        ..Default::default()
    }
}

/// The workbook: a sheet per part, with a 合计 row where a column adds up.
pub fn sheets(a: &Assessor, f: &Frame) -> Vec<Sheet> {
    let line = xlsx::as_of_line(f.as_of.date, f.lang);
    let total = t!("report.assessor.total", locale = f.lang.code());
    parts(a, f)
        .into_iter()
        .map(|p| {
            let title = xlsx::title(f.district, &f.period, &p.title, f.lang);
            let sheet = Sheet::new(&p.tab, title, line.clone(), p.rows);
            if p.totals.is_empty() {
                sheet
            } else {
                sheet.with_totals(&total, &p.totals)
            }
        })
        .collect()
}

/// The bulletin's 第三方考评 section, numbered `n`: coverage, agreement with the district's
/// checks and appeals, a sentence each.
pub fn bulletin_section(
    report: &AssessorReport,
    registry: &Registry,
    standards: &Standards,
    lang: Lang,
    n: usize,
) -> Section {
    let a = &Assessor::summary(registry, standards, report);
    let level = report.level;
    let (lv, code) = (super::words::level(level, lang), lang.code());
    let c = &a.coverage;
    let (visits, visited, compounds) = (c.visits, c.visited, c.compounds);
    let coverage = t!(
        "report.assessor.bulletin.coverage",
        locale = code,
        level = lv,
        visits = visits,
        visited = visited,
        compounds = compounds
    );
    let mut paragraphs = vec![coverage.into_owned()];
    paragraphs.push(match &a.agreement {
        Some(ag) if ag.pairs == 0 => t!("report.assessor.bulletin.no_pairs", locale = code).into_owned(),
        Some(ag) => t!(
            "report.assessor.bulletin.agreement",
            locale = code,
            level = lv,
            pairs = ag.pairs,
            mean_diff = or_dash(&ag.mean_diff),
            max_diff = or_dash(&ag.max_diff),
            agreeing = or_dash(&ag.verdict_agreement),
            kappa = or_dash(&ag.kappa)
        )
        .into_owned(),
        None => String::new(),
    });
    paragraphs.push(appeals_sentence(&a.appeals, &lv, lang));
    paragraphs.retain(|s| !s.is_empty());
    // Chinese headings count in Chinese numerals (十一、), English in digits (11.).
    let numeral = match lang {
        Lang::Zh => super::bulletin::zh_numeral(n),
        Lang::En => n.to_string(),
    };
    Section {
        title: t!("report.assessor.bulletin.title", locale = code, n = numeral).into_owned(),
        paragraphs,
        ..Default::default()
    }
}

/// The bulletin's sentence on appeals; the error rate only once some appeal is decided.
fn appeals_sentence(p: &crate::report::assessor::Appeals, lv: &str, lang: Lang) -> String {
    let code = lang.code();
    if p.filed == 0 {
        return t!("report.assessor.bulletin.no_appeals", locale = code, level = lv).into_owned();
    }
    let rate = match &p.error_rate {
        Some(r) => t!("report.assessor.bulletin.error_rate", locale = code, rate = r).into_owned(),
        None => String::new(),
    };
    t!(
        "report.assessor.bulletin.appeals",
        locale = code,
        filed = p.filed,
        decided = p.decided,
        upheld = p.upheld,
        points_removed = p.points_removed,
        rate = rate
    )
    .into_owned()
}
