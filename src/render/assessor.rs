//! `assessor` for people and scripts (DESIGN §16): the report's parts as tables (coverage,
//! agreement, the pairs, items on each side, appeals by street and by item, teams, evidence),
//! shown as a text table, Markdown or Word document, or workbook sheets; the CSV is the teams'
//! table. Every part is drawn from the one [`Assessor`] value the JSON is, so the formats
//! cannot disagree. Also the bulletin's short 第三方考评 section ([`bulletin_section`]).

use crate::domain::as_of::AsOf;
use crate::domain::assessor::AssessorReport;
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
    fn level(&self) -> &'static str {
        self.lang.pick(self.level.zh(), self.level.en())
    }

    fn title(&self) -> String {
        match self.lang {
            Lang::Zh => format!(
                "{}{}{}检查考评情况",
                self.district,
                super::words::period_words(self.period, self.lang),
                self.level()
            ),
            Lang::En => format!("Assessment of the {} inspections, {}", self.level(), self.period),
        }
        .trim()
        .to_string()
    }

    fn subtitle(&self) -> Vec<String> {
        let mut lines = Vec::new();
        if !self.as_of.complete(&self.period) {
            lines.push(match self.lang {
                Lang::Zh => format!(
                    "本期（{}）尚未结束：以下仅反映截至{}的数据",
                    super::words::period_words(self.period, self.lang),
                    zh_date(self.as_of.date)
                ),
                Lang::En => format!(
                    "{} is not over: what follows shows only the data up to {}",
                    self.period, self.as_of.date
                ),
            });
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
    tab: &'static str,
    title: String,
    rows: Rows,
    /// Columns that add up in a workbook's 合计 row.
    totals: Vec<usize>,
}

/// The parts, in order; a part with no rows is left out.
fn parts(a: &Assessor, f: &Frame) -> Vec<Part> {
    let lang = f.lang;
    let mut out = vec![Part {
        tab: lang.pick("覆盖", "Coverage"),
        title: lang.pick("一、检查覆盖和频次", "1. Coverage and cadence").to_string(),
        rows: coverage(a, f),
        totals: Vec::new(),
    }];
    if a.agreement.is_some() {
        out.push(Part {
            tab: lang.pick("一致性", "Agreement"),
            title: match lang {
                Lang::Zh => format!("二、与区级抽查的一致性（间隔不超过{}天的配对）", a.agreement_days),
                Lang::En => "2. Agreement with the district's own checks".to_string(),
            },
            rows: agreement(a, f),
            totals: Vec::new(),
        });
        let total = a.agreement.as_ref().map_or(0, |ag| ag.list.len());
        out.push(Part {
            tab: lang.pick("配对", "Pairs"),
            title: match (lang, total > LISTED_PAIRS) {
                (Lang::Zh, false) => "配对明细".to_string(),
                (Lang::Zh, true) => {
                    format!("配对明细（共{total}组，列出分差最大的{LISTED_PAIRS}组；全部见 --format json）")
                }
                (Lang::En, false) => "The pairs".to_string(),
                (Lang::En, true) => {
                    format!("The pairs ({total}; the {LISTED_PAIRS} largest differences listed, all in --format json)")
                }
            },
            rows: pairs(a, f),
            totals: Vec::new(),
        });
        out.push(Part {
            tab: lang.pick("分项对比", "Items"),
            title: lang.pick("分项问题点对比", "Points by item on each side").to_string(),
            rows: items(a, f),
            totals: vec![2, 3, 4, 5],
        });
    }
    out.push(Part {
        tab: lang.pick("申诉", "Appeals"),
        title: lang
            .pick("三、申诉（双向监督）", "3. Appeals (supervision both ways)")
            .to_string(),
        rows: appeals(a, lang),
        totals: Vec::new(),
    });
    out.push(Part {
        tab: lang.pick("申诉分街道", "Appeals by street"),
        title: lang.pick("申诉分街道", "Appeals by street").to_string(),
        rows: appeal_lines(&a.appeals.by_street, lang, lang.pick("街道", "street")),
        totals: vec![1, 2, 3, 4],
    });
    out.push(Part {
        tab: lang.pick("申诉分项目", "Appeals by item"),
        title: lang.pick("申诉分项目", "Appeals by item").to_string(),
        rows: appeal_lines(&a.appeals.by_item, lang, lang.pick("检查项目", "item")),
        totals: vec![1, 2, 3, 4],
    });
    out.push(Part {
        tab: lang.pick("检查组", "Teams"),
        title: lang
            .pick("四、各检查组一致性", "4. Consistency between the teams")
            .to_string(),
        rows: teams(a, lang, false),
        totals: vec![1, 7],
    });
    out.push(Part {
        tab: lang.pick("佐证", "Evidence"),
        title: lang.pick("五、佐证照片", "5. Photographic evidence").to_string(),
        rows: evidence(a, lang),
        totals: Vec::new(),
    });
    out.retain(|p| !p.rows.rows.is_empty());
    out
}

fn or_dash(v: &Option<String>) -> String {
    v.clone().unwrap_or_else(|| "—".into())
}

fn key_value(lang: Lang, lines: Vec<(String, String)>) -> Rows {
    let mut t = Rows::new([lang.pick("指标", "figure"), lang.pick("数值", "value")]);
    for (k, v) in lines {
        t.push(vec![Cell::text(k), Cell::num(v)]);
    }
    t
}

fn coverage(a: &Assessor, f: &Frame) -> Rows {
    let l = |zh: &'static str, en: &'static str| f.lang.pick(zh, en).to_string();
    let c = &a.coverage;
    let mut t = Rows::new([
        l("窗口", "window"),
        l("应检小区", "due"),
        l("已检", "visited"),
        l("缺检", "missed"),
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
        Cell::text(match f.lang {
            Lang::Zh => format!("全期（{}检查{}次）", f.level(), c.visits),
            Lang::En => format!("period ({} visits)", c.visits),
        }),
        Cell::num(c.compounds),
        Cell::num(c.visited),
        Cell::num(c.compounds - c.visited),
    ]);
    t
}

fn agreement(a: &Assessor, f: &Frame) -> Rows {
    let Some(ag) = &a.agreement else {
        return Rows::new(Vec::<String>::new());
    };
    let lv = f.level();
    let lines = match f.lang {
        Lang::Zh => vec![
            ("配对数".to_string(), ag.pairs.to_string()),
            (format!("平均分差（{lv}−区级）"), or_dash(&ag.mean_diff)),
            ("最大分差".to_string(), or_dash(&ag.max_diff)),
            ("结论一致率%".to_string(), or_dash(&ag.verdict_agreement)),
            ("Kappa系数".to_string(), or_dash(&ag.kappa)),
            ("双方均合格".to_string(), ag.verdicts.both_pass.to_string()),
            (format!("仅{lv}判合格"), ag.verdicts.assessor_only_pass.to_string()),
            ("仅区级判合格".to_string(), ag.verdicts.district_only_pass.to_string()),
            ("双方均不合格".to_string(), ag.verdicts.both_fail.to_string()),
            (format!("仅{lv}发现的问题项"), ag.items_only_assessor.to_string()),
            ("仅区级发现的问题项".to_string(), ag.items_only_district.to_string()),
        ],
        Lang::En => vec![
            ("pairs".to_string(), ag.pairs.to_string()),
            (format!("mean difference ({lv} − district)"), or_dash(&ag.mean_diff)),
            ("largest difference".to_string(), or_dash(&ag.max_diff)),
            ("verdicts agreeing %".to_string(), or_dash(&ag.verdict_agreement)),
            ("Cohen's kappa".to_string(), or_dash(&ag.kappa)),
            ("both pass".to_string(), ag.verdicts.both_pass.to_string()),
            (
                format!("only the {lv} passes"),
                ag.verdicts.assessor_only_pass.to_string(),
            ),
            (
                "only the district passes".to_string(),
                ag.verdicts.district_only_pass.to_string(),
            ),
            ("both fail".to_string(), ag.verdicts.both_fail.to_string()),
            (
                format!("items found by the {lv} only"),
                ag.items_only_assessor.to_string(),
            ),
            (
                "items found by the district only".to_string(),
                ag.items_only_district.to_string(),
            ),
        ],
    };
    key_value(f.lang, lines)
}

fn pairs(a: &Assessor, f: &Frame) -> Rows {
    let lv = f.level();
    let h = |zh: String, en: String| if f.lang == Lang::Zh { zh } else { en };
    let mut t = Rows::new([
        h("小区".into(), "compound".into()),
        h("街道".into(), "street".into()),
        h(format!("{lv}日期"), format!("{lv} date")),
        h(format!("{lv}得分"), format!("{lv} score")),
        h(format!("{lv}结论"), format!("{lv} verdict")),
        h("区级日期".into(), "district date".into()),
        h("区级得分".into(), "district score".into()),
        h("区级结论".into(), "district verdict".into()),
        h("分差".into(), "difference".into()),
    ]);
    let verdict = |s: &Side| match (f.lang, s.verdict) {
        (Lang::Zh, "pass") => "合格",
        (Lang::Zh, _) => "不合格",
        (Lang::En, v) => v,
    };
    let mut listed: Vec<&crate::report::assessor::PairJson> = a.agreement.iter().flat_map(|ag| &ag.list).collect();
    if listed.len() > LISTED_PAIRS {
        let size = |p: &crate::report::assessor::PairJson| {
            p.diff
                .trim_start_matches('-')
                .parse::<rust_decimal::Decimal>()
                .unwrap_or_default()
        };
        // Stable: equal differences keep the JSON's order (registry order, then date).
        listed.sort_by_key(|p| std::cmp::Reverse(size(p)));
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
    let lv = f.level();
    let h = |zh: String, en: String| if f.lang == Lang::Zh { zh } else { en };
    let mut t = Rows::new([
        h("项目".into(), "item".into()),
        h("名称".into(), "name".into()),
        h(format!("{lv}问题点"), format!("{lv} points")),
        h("区级问题点".into(), "district points".into()),
        h(format!("仅{lv}发现"), format!("{lv} only")),
        h("仅区级发现".into(), "district only".into()),
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
    let lines = match lang {
        Lang::Zh => vec![
            ("提出申诉".to_string(), p.filed.to_string()),
            ("已作出决定".to_string(), p.decided.to_string()),
            ("申诉成立".to_string(), p.upheld.to_string()),
            ("核减问题点".to_string(), p.points_removed.to_string()),
            ("差错率%（成立/已决定）".to_string(), or_dash(&p.error_rate)),
        ],
        Lang::En => vec![
            ("filed".to_string(), p.filed.to_string()),
            ("decided".to_string(), p.decided.to_string()),
            ("upheld".to_string(), p.upheld.to_string()),
            ("points removed".to_string(), p.points_removed.to_string()),
            ("error rate % (upheld / decided)".to_string(), or_dash(&p.error_rate)),
        ],
    };
    key_value(lang, lines)
}

fn appeal_lines(lines: &[crate::report::assessor::AppealLine], lang: Lang, what: &str) -> Rows {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let mut t = Rows::new([
        what.to_string(),
        l("申诉", "filed"),
        l("已决定", "decided"),
        l("成立", "upheld"),
        l("核减点数", "points removed"),
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
    let l = |zh: &'static str, en: &'static str| if machine { en } else { lang.pick(zh, en) };
    let mut t = Rows::new([
        l("检查组", "team"),
        l("检查次数", "visits"),
        l("平均问题点", "points_per_visit"),
        l("合格率%", "pass_rate"),
        l("合格率p值", "p_pass_rate"),
        l("问题点p值", "p_points"),
        l("异常", "outlier"),
        l("区级抽查配对", "pairs"),
        l("与区级平均分差", "mean_diff"),
    ]);
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
            (false, true) => lang.pick("是", "yes").to_string(),
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
    let lines = match lang {
        Lang::Zh => vec![
            ("例行检查次数".to_string(), e.visits.to_string()),
            ("发现问题的检查".to_string(), e.visits_with_points.to_string()),
            ("问题点".to_string(), e.problem_points.to_string()),
            ("照片".to_string(), e.photos.to_string()),
            ("每个问题点照片数".to_string(), or_dash(&e.photos_per_point)),
            ("有问题点无照片的检查".to_string(), e.visits_without_photo.to_string()),
        ],
        Lang::En => vec![
            ("routine visits".to_string(), e.visits.to_string()),
            ("visits with points".to_string(), e.visits_with_points.to_string()),
            ("problem points".to_string(), e.problem_points.to_string()),
            ("photos".to_string(), e.photos.to_string()),
            ("photos per problem point".to_string(), or_dash(&e.photos_per_point)),
            (
                "visits with points and no photo".to_string(),
                e.visits_without_photo.to_string(),
            ),
        ],
    };
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
    a.teams
        .iter()
        .filter(|t| t.outlier)
        .map(|t| match f.lang {
            Lang::Zh => format!(
                "{}与本层级其他检查组差异显著：合格率{}%（p={}），平均问题点{}（p={}）。",
                t.team,
                or_dash(&t.pass_rate),
                or_dash(&t.p_pass_rate),
                or_dash(&t.points_per_visit),
                or_dash(&t.p_points)
            ),
            Lang::En => format!(
                "{} differs from the level's other teams: pass rate {}% (p = {}), points per visit {} (p = {}).",
                t.team,
                or_dash(&t.pass_rate),
                or_dash(&t.p_pass_rate),
                or_dash(&t.points_per_visit),
                or_dash(&t.p_points)
            ),
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
    if let Some(s) = sections
        .iter_mut()
        .find(|s| s.title.starts_with(f.lang.pick("四、", "4.")))
    {
        s.after = outliers(a, f);
    }
    Document {
        lang: f.lang,
        title: f.title(),
        subtitle: f.subtitle(),
        sections,
        footer: vec![match f.lang {
            Lang::Zh => format!("{}民政局", f.district),
            Lang::En => format!("{} Civil Affairs Bureau", f.district),
        }],
        ..Default::default()
    }
}

/// The workbook: a sheet per part, with a 合计 row where a column adds up.
pub fn sheets(a: &Assessor, f: &Frame) -> Vec<Sheet> {
    let line = xlsx::as_of_line(f.as_of.date, f.lang);
    parts(a, f)
        .into_iter()
        .map(|p| {
            let title = xlsx::title(f.district, &f.period, &p.title, f.lang);
            let sheet = Sheet::new(p.tab, title, line.clone(), p.rows);
            if p.totals.is_empty() {
                sheet
            } else {
                sheet.with_totals(f.lang.pick("合计", "Total"), &p.totals)
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
    let a = &Assessor::new(registry, standards, report);
    let level = report.level;
    let lv = lang.pick(level.zh(), level.en());
    let c = &a.coverage;
    let mut paragraphs = vec![match lang {
        Lang::Zh => format!(
            "覆盖：{lv}本期例行检查{}次，覆盖小区{}个（共{}个）。",
            c.visits, c.visited, c.compounds
        ),
        Lang::En => format!(
            "Coverage: {} routine {lv} visits, to {} of the {} compounds.",
            c.visits, c.visited, c.compounds
        ),
    }];
    paragraphs.push(match (&a.agreement, lang) {
        (Some(ag), _) if ag.pairs == 0 => lang
            .pick("一致性：本期没有可与区级抽查配对的检查。", "Agreement: no visit could be paired with a district check.")
            .to_string(),
        (Some(ag), Lang::Zh) => format!(
            "一致性：与区级抽查配对{}组，平均分差{}分（{lv}减区级），最大分差{}分，结论一致率{}%，Kappa系数{}。",
            ag.pairs,
            or_dash(&ag.mean_diff),
            or_dash(&ag.max_diff),
            or_dash(&ag.verdict_agreement),
            or_dash(&ag.kappa)
        ),
        (Some(ag), Lang::En) => format!(
            "Agreement: {} pairs with the district's checks; mean difference {} ({lv} minus district), largest {}, verdicts agreeing {}%, kappa {}.",
            ag.pairs,
            or_dash(&ag.mean_diff),
            or_dash(&ag.max_diff),
            or_dash(&ag.verdict_agreement),
            or_dash(&ag.kappa)
        ),
        (None, _) => String::new(),
    });
    paragraphs.push(appeals_sentence(&a.appeals, lv, lang));
    paragraphs.retain(|s| !s.is_empty());
    Section {
        title: match lang {
            Lang::Zh => format!("{}、第三方考评", super::bulletin::zh_numeral(n)),
            Lang::En => format!("{n}. Assessing the assessor"),
        },
        paragraphs,
        ..Default::default()
    }
}

/// The bulletin's sentence on appeals; the error rate only once some appeal is decided.
fn appeals_sentence(p: &crate::report::assessor::Appeals, lv: &str, lang: Lang) -> String {
    let rate = |zh: bool| match (&p.error_rate, zh) {
        (Some(r), true) => format!("，差错率{r}%"),
        (Some(r), false) => format!("; error rate {r}%"),
        (None, _) => String::new(),
    };
    match lang {
        _ if p.filed == 0 => lang
            .pick(
                &format!("申诉：本期没有对{lv}检查结果的申诉。"),
                &format!("Appeals: none against the {lv} visits."),
            )
            .to_string(),
        Lang::Zh => format!(
            "申诉：提出{}件，已决定{}件，成立{}件，核减问题点{}个{}。",
            p.filed,
            p.decided,
            p.upheld,
            p.points_removed,
            rate(true)
        ),
        Lang::En => format!(
            "Appeals: {} filed, {} decided, {} upheld, {} points removed{}.",
            p.filed,
            p.decided,
            p.upheld,
            p.points_removed,
            rate(false)
        ),
    }
}
