//! The bulletin (情况通报, DESIGN §8) as a [`Document`] (Markdown, HTML) and as JSON (§11).
//!
//! One function per section, in the order the office reads them; [`to_document`] only calls
//! them. The domain's [`Bulletin`] carries ids and numbers; names, words and the letterhead
//! come from the [`Frame`] it is rendered in.

use std::path::Path;

use rust_decimal::Decimal;
use rust_i18n::t;
use serde_json::{json, Map, Value};

use crate::domain::as_of::AsOf;
use crate::domain::bulletin::{Bulletin, Ranked, Summary};
use crate::domain::recheck::{Notice, VetoEffect};
use crate::error::Result;
use crate::model::decimal::fmt2;
use crate::model::records::{Documents, Lang};
use crate::model::registry::Registry;
use crate::model::Period;
use crate::workspace::StandardsFile;

use super::document::{Chart, Document, Section, Table};
use super::json::{compound_json, dec, document, notice_json};
use super::templates;
use super::words::{change_words, count, date_words, money, period_words};

/// What the document needs besides the bulletin: the registry that names streets, communities
/// and compounds, the standards it was scored under, the date notices are decided at, the
/// language, and the district on the letterhead.
#[derive(Debug, Clone, Copy)]
pub struct Frame<'a> {
    /// Names of streets, communities and compounds (the bulletin names them, not ids).
    pub registry: &'a Registry,
    /// The standards file the period was scored under (named in the subtitle).
    pub standards: &'a StandardsFile,
    /// The district on the letterhead.
    pub district: &'a str,
    /// The day the bulletin stands on (DESIGN §14): its data, and the date notices are
    /// decided at (pending or overdue).
    pub as_of: AsOf,
    /// The language of every word of the document.
    pub lang: Lang,
    /// What an official document carries: issuer, red heading, 文号, 主送, 抄送, contact.
    pub documents: &'a Documents,
    /// The workspace whose `templates/` may override the shipped wording.
    pub root: Option<&'a Path>,
}

impl Frame<'_> {
    /// The scoring level's name (第三方, third_party, ...).
    fn level(&self) -> String {
        let level = self.standards.standards.scoring_level;
        super::words::level(level, self.lang)
    }

    /// A street's name, or its id when the registry does not know it.
    fn street(&self, id: &str) -> String {
        self.registry
            .street(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
    }

    /// A period in words (2026年上半年).
    fn period(&self, p: Period) -> String {
        period_words(p, self.lang)
    }

    /// A date in words (2026年6月30日).
    fn date(&self, d: chrono::NaiveDate) -> String {
        date_words(d, self.lang)
    }

    /// The issuer (发文机关署名): the workspace's, else the district's 民政局.
    fn issuer(&self) -> String {
        if !self.documents.issuer.is_empty() {
            return self.documents.issuer.clone();
        }
        t!(
            "report.company.bureau",
            locale = self.lang.code(),
            district = self.district
        )
        .into_owned()
    }

    fn community(&self, id: &str) -> String {
        self.registry
            .community(id)
            .map_or_else(|| id.to_string(), |c| c.name.clone())
    }

    fn compound(&self, id: &str) -> String {
        self.registry
            .compound(id)
            .map_or_else(|| id.to_string(), |c| c.name.to_string())
    }
}

/// The bulletin as a document: the letterhead, the sections in order, what is asked next
/// (from the template `bulletin_next.txt.j2`), the signature, date, contact and 抄送.
pub fn to_document(f: &Frame, b: &Bulletin) -> Result<Document> {
    let mut doc = letterhead(f, b);
    let fees = fees(f, b);
    let n = doc.sections.len() + FIRST_SECTIONS + usize::from(fees.is_some()) + 1;
    // The 第三方考评 section (its statistics put into words: a third of drawing a national
    // bulletin) and the community ranking (one row per community) are drawn on a thread of
    // their own while the other sections before them are drawn here.
    let (first, (communities, assessor)) = std::thread::scope(|s| {
        let other = s.spawn(|| {
            let assessor = b
                .assessor
                .as_ref()
                .map(|a| super::assessor::bulletin_section(a, f.registry, &f.standards.standards, f.lang, n));
            (community_ranking(f, b), assessor)
        });
        let first = first_sections(f, b);
        (first, other.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
    });
    doc.sections.extend(first.before);
    doc.sections.push(communities);
    doc.sections.extend(first.after);
    doc.sections.extend(fees);
    doc.sections.extend(assessor);
    let n = doc.sections.len() + 1;
    doc.sections.push(next_steps(f, b, n)?);
    doc.signature = Some(f.issuer());
    doc.date = Some(f.as_of.date);
    doc.contact.clone_from(&f.documents.contact);
    doc.cc.clone_from(&f.documents.cc);
    Ok(doc)
}

/// How many sections every bulletin has before its fees and the 第三方考评: those of
/// [`FirstSections`] and the community ranking between them.
const FIRST_SECTIONS: usize = BEFORE_RANKING + 1 + AFTER_RANKING;
const BEFORE_RANKING: usize = 2;
const AFTER_RANKING: usize = 6;

/// The sections every bulletin has, before its fees and the 第三方考评, but the community
/// ranking, which [`to_document`] draws on another thread and puts between the two parts.
struct FirstSections {
    /// The overview and the street ranking.
    before: [Section; BEFORE_RANKING],
    /// Categories, hot spots, the three looks, failing compounds, vetoes, coverage.
    after: [Section; AFTER_RANKING],
}

fn first_sections(f: &Frame, b: &Bulletin) -> FirstSections {
    FirstSections {
        before: [overview(f, b), street_ranking(f, b)],
        after: [
            categories(f, b),
            hotspots(f, b),
            looks(f, b),
            failing(f, b),
            vetoes(f, b),
            coverage(f, b),
        ],
    }
}

/// The heading of the document: the red heading and 文号 of `[documents]`, the title (the
/// district's, or the street's for a joint meeting) with the period in words, the line
/// naming the standards by title and the as-of date, and whom it is addressed to. Paths and
/// hashes stay in the JSON.
fn letterhead(f: &Frame, b: &Bulletin) -> Document {
    let place = match &b.street {
        Some(s) => f.street(s),
        None => f.district.to_string(),
    };
    let period = f.period(b.period);
    let title = t!(
        "report.bulletin.title",
        locale = f.lang.code(),
        place = place,
        period = period
    )
    .into_owned();
    let mut doc = Document {
        lang: f.lang,
        mark: f.documents.issuer_mark.clone(),
        number: f.documents.number_for(b.period.year()),
        recipients: recipients(f, b),
        title,
        ..Default::default()
    };
    if b.street.is_some() {
        doc.subtitle
            .push(t!("report.bulletin.subtitle.street_brief", locale = f.lang.code()).into_owned());
    }
    // A period not over is said first, before anything is read as final (DESIGN §14).
    if !f.as_of.complete(&b.period) {
        let as_of = f.date(f.as_of.date);
        let words = t!(
            "report.bulletin.subtitle.not_over",
            locale = f.lang.code(),
            period = period,
            as_of = as_of
        );
        doc.subtitle.push(words.into_owned());
    }
    let (title, level, as_of) = (&f.standards.standards.title, f.level(), f.date(f.as_of.date));
    let code = f.lang.code();
    let basis = t!(
        "report.bulletin.subtitle.basis",
        locale = code,
        as_of = as_of,
        title = title,
        level = level
    );
    doc.subtitle.push(basis.into_owned());
    doc
}

/// 主送: the workspace's recipients for the district's bulletin; a street's brief goes to
/// that street's office (劝业场街 → 劝业场街道办事处).
fn recipients(f: &Frame, b: &Bulletin) -> Vec<String> {
    match &b.street {
        None => f.documents.recipients.clone(),
        Some(id) => {
            let name = f.street(id);
            // A Chinese street named …街 has a …街道办事处; English says "street office" for both.
            let office = if name.ends_with('街') {
                t!(
                    "report.bulletin.recipient.street_office",
                    locale = f.lang.code(),
                    name = name
                )
            } else {
                t!("report.bulletin.recipient.office", locale = f.lang.code(), name = name)
            };
            vec![office.into_owned()]
        }
    }
}

/// 一、总体情况: the headline figures in one sentence; a street's brief names the street
/// and counts its communities only.
fn overview(f: &Frame, b: &Bulletin) -> Section {
    let s = &b.summary;
    let level = f.level();
    let code = f.lang.code();
    let place = match &b.street {
        Some(id) => t!(
            "report.bulletin.overview.street",
            locale = code,
            street = f.street(id),
            communities = s.communities
        ),
        None => t!(
            "report.bulletin.overview.district",
            locale = code,
            streets = s.streets,
            communities = s.communities
        ),
    };
    // Chinese says 本期 (the title has named the period); English names it.
    let when = match f.lang {
        Lang::Zh => t!("report.bulletin.overview.this_period", locale = code),
        Lang::En => t!(
            "report.bulletin.overview.in_period",
            locale = code,
            period = f.period(b.period)
        ),
    };
    let sentence = t!(
        "report.bulletin.overview.sentence",
        locale = code,
        when = when,
        level = level,
        place = place,
        compounds = count(s.compounds_inspected as u64),
        photos = count(s.photos),
        person_times = count(s.person_times),
        categories = s.categories_found,
        points = count(s.problem_points),
        rechecked = count(s.rechecked_compounds as u64)
    )
    .into_owned();
    Section {
        title: t!("report.bulletin.overview.title", locale = f.lang.code()).into_owned(),
        paragraphs: vec![sentence],
        ..Default::default()
    }
}

/// 二、街道排名: the ranking, what the change is against, and a chart of the mean scores.
fn street_ranking(f: &Frame, b: &Bulletin) -> Section {
    let of = b.street.is_some().then_some(b.streets_ranked);
    let mut streets = ranking(
        f,
        t!("report.bulletin.streets.title", locale = f.lang.code()).into_owned(),
        &b.streets,
        (false, b.previous_unscored),
        of,
    );
    let previous = f.period(b.previous);
    let code = f.lang.code();
    let against = match b.previous_unscored {
        true => t!(
            "report.bulletin.streets.change_unscored",
            locale = code,
            previous = previous,
            id = b.previous
        ),
        false => t!("report.bulletin.streets.change", locale = code, previous = previous),
    };
    streets.paragraphs.push(against.into_owned());
    streets.chart = Some(Chart {
        caption: t!("report.bulletin.streets.chart", locale = f.lang.code()).into_owned(),
        bars: b
            .streets
            .iter()
            .filter_map(|r| {
                r.group
                    .score
                    .map(|sc| (r.group.name.clone(), decimal_f64(sc), fmt2(sc)))
            })
            .collect(),
        from: 50.0,
        to: 100.0,
    });
    streets
}

/// 三、社区排名: with each community's street, unless the bulletin is one street's.
fn community_ranking(f: &Frame, b: &Bulletin) -> Section {
    ranking(
        f,
        t!("report.bulletin.communities.title", locale = f.lang.code()).into_owned(),
        &b.communities,
        (b.street.is_none(), b.previous_unscored),
        b.street.is_some().then_some(b.communities_ranked),
    )
}

/// The words of a ranking's places, looked up once per table.
struct Places {
    unranked: String,
    /// 第%{n}名（共58个）: the place out of how many, `%{n}` left for each row.
    out_of: Option<String>,
}

impl Places {
    fn new(f: &Frame, of: Option<usize>) -> Places {
        let code = f.lang.code();
        Places {
            unranked: t!("report.bulletin.ranking.unranked", locale = code).into_owned(),
            // `n` is filled per row below; the catalogue fills `of` once.
            out_of: of.map(|of| t!("report.bulletin.ranking.place", locale = code, of = of).into_owned()),
        }
    }

    /// A place in a ranking: the number in the district's bulletin; in a street's brief,
    /// where the reader sees only the street's own, the place out of how many are ranked
    /// district-wide (第6名（共58个）).
    fn of(&self, rank: Option<usize>) -> String {
        match (rank, &self.out_of) {
            (None, _) => self.unranked.clone(),
            (Some(n), None) => n.to_string(),
            (Some(n), Some(words)) => words.replace("%{n}", &n.to_string()),
        }
    }
}

/// A ranking table of streets or communities: rank (out of `of` in a street's brief), name,
/// (street,) mean score, change, counts and pass rate.
fn ranking(f: &Frame, title: String, list: &[Ranked], cols: (bool, bool), of: Option<usize>) -> Section {
    // (Whether a street column is shown; whether the previous period could not be scored, so
    // that a place without a change is not "new" but unknown.)
    let (street_col, unscored) = cols;
    let mut header = vec![
        t!("report.bulletin.col.rank", locale = f.lang.code()).into_owned(),
        t!("report.bulletin.col.name", locale = f.lang.code()).into_owned(),
    ];
    if street_col {
        header.push(t!("report.bulletin.col.street", locale = f.lang.code()).into_owned());
    }
    header.extend([
        t!("report.bulletin.col.mean", locale = f.lang.code()).into_owned(),
        t!("report.bulletin.col.change", locale = f.lang.code()).into_owned(),
        t!("report.bulletin.col.assessed", locale = f.lang.code()).into_owned(),
        t!("report.bulletin.col.passed", locale = f.lang.code()).into_owned(),
        t!("report.bulletin.col.failed", locale = f.lang.code()).into_owned(),
        t!("report.bulletin.col.pass_rate", locale = f.lang.code()).into_owned(),
    ]);
    let n = header.len();
    let places = Places::new(f, of);
    let new = match unscored {
        true => "—".into(),
        false => t!("report.bulletin.ranking.new", locale = f.lang.code()),
    };
    let rows = list
        .iter()
        .map(|r| {
            let g = &r.group;
            let mut row = Vec::with_capacity(n);
            row.extend([places.of(r.rank), g.name.clone()]);
            if street_col {
                row.push(g.street_id.as_deref().map(|s| f.street(s)).unwrap_or_default());
            }
            row.extend([
                g.score.map(fmt2).unwrap_or_else(|| "—".into()),
                change(r, &new, f.lang),
                count(u64::from(g.assessed)),
                count(u64::from(g.passed)),
                count(u64::from(g.failed)),
                g.pass_rate().map(fmt2).unwrap_or_else(|| "—".into()),
            ]);
            row
        })
        .collect();
    Section {
        title,
        table: Some(Table {
            header,
            rows,
            // The rank and the figures; the change (words) stays left, and so does a place
            // written out in a street's brief.
            numeric: (n - 6..n)
                .filter(|&i| i != n - 5)
                .chain(of.is_none().then_some(0))
                .collect(),
        }),
        ..Default::default()
    }
}

/// 四、问题分类: points per category, as a chart and a table.
fn categories(f: &Frame, b: &Bulletin) -> Section {
    let max_points = b.categories.iter().map(|c| c.points).max().unwrap_or(0) as f64;
    Section {
        title: t!("report.bulletin.categories.title", locale = f.lang.code()).into_owned(),
        chart: Some(Chart {
            caption: t!("report.bulletin.categories.chart", locale = f.lang.code()).into_owned(),
            bars: b
                .categories
                .iter()
                .filter(|c| c.points > 0)
                .map(|c| (c.name.clone(), c.points as f64, count(c.points)))
                .collect(),
            from: 0.0,
            to: max_points.max(1.0),
        }),
        table: Some(Table {
            header: vec![
                t!("report.bulletin.categories.category", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.col.points", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.categories.share", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.categories.compounds", locale = f.lang.code()).into_owned(),
            ],
            rows: b
                .categories
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        count(c.points),
                        fmt2(c.share),
                        count(c.compounds as u64),
                    ]
                })
                .collect(),
            numeric: vec![1, 2, 3],
        }),
        ..Default::default()
    }
}

/// 五、成片问题: compounds with many points of one category, named with their community and
/// street.
fn hotspots(f: &Frame, b: &Bulletin) -> Section {
    let standards = &f.standards.standards;
    let category = |code: &str| {
        standards
            .categories
            .iter()
            .find(|c| c.code == code)
            .map_or(code.to_string(), |c| c.name.clone())
    };
    let mut hot = Section {
        title: t!("report.bulletin.hotspots.title", locale = f.lang.code()).into_owned(),
        ..Default::default()
    };
    let min_points = standards.hotspots.min_points;
    let lead = t!(
        "report.bulletin.hotspots.lead",
        locale = f.lang.code(),
        min_points = min_points
    );
    hot.paragraphs.push(lead.into_owned());
    if b.hotspots.is_empty() {
        hot.paragraphs
            .push(t!("report.bulletin.none", locale = f.lang.code()).into_owned());
        return hot;
    }
    hot.table = Some(Table {
        header: vec![
            t!("report.bulletin.col.compound", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.col.community", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.col.street", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.hotspots.category", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.col.points", locale = f.lang.code()).into_owned(),
        ],
        rows: b
            .hotspots
            .iter()
            .map(|h| {
                vec![
                    h.name.clone(),
                    f.community(&h.community_id),
                    f.street(&h.street_id),
                    category(&h.category),
                    count(h.points),
                ]
            })
            .collect(),
        numeric: vec![4],
    });
    hot
}

/// 六、“三看三到位”: per street, how many compounds fell short on each look, then their names.
fn looks(f: &Frame, b: &Bulletin) -> Section {
    let mut looks = Section {
        title: t!("report.bulletin.looks.title", locale = f.lang.code()).into_owned(),
        ..Default::default()
    };
    looks.table = Some(Table {
        header: vec![
            t!("report.bulletin.col.street", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.col.assessed", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.looks.street", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.looks.community", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.looks.property", locale = f.lang.code()).into_owned(),
        ],
        rows: b
            .looks
            .iter()
            .map(|x| {
                vec![
                    f.street(&x.street_id),
                    count(u64::from(x.assessed)),
                    count(x.street_not.len() as u64),
                    count(x.community_not.len() as u64),
                    count(x.property_not.len() as u64),
                ]
            })
            .collect(),
        numeric: vec![1, 2, 3, 4],
    });
    let code = f.lang.code();
    let separator = t!("report.document.list_separator", locale = code);
    let names = |ids: &[String]| ids.iter().map(|id| f.compound(id)).collect::<Vec<_>>().join(&separator);
    // What follows a street's name, looked up once for all streets.
    let short = [
        t!("report.bulletin.looks.street_short", locale = code),
        t!("report.bulletin.looks.community_short", locale = code),
        t!("report.bulletin.looks.property_short", locale = code),
    ];
    for x in &b.looks {
        for (what, ids) in short.iter().zip([&x.street_not, &x.community_not, &x.property_not]) {
            if !ids.is_empty() {
                looks
                    .after
                    .push(format!("{}{what}{}", f.street(&x.street_id), names(ids)));
            }
        }
    }
    looks
}

/// 七、不合格小区及整改情况: the notices with their re-inspection and outcome, then the
/// compounds failing for the period.
fn failing(f: &Frame, b: &Bulletin) -> Section {
    let mut failing = Section {
        title: t!("report.bulletin.failing.title", locale = f.lang.code()).into_owned(),
        ..Default::default()
    };
    if b.notices.is_empty() {
        failing
            .paragraphs
            .push(t!("report.bulletin.failing.no_notices", locale = f.lang.code()).into_owned());
    } else {
        failing.table = Some(notices(f, &b.notices));
    }
    // 华阳里（78.50）, 泰安道公寓（91.44，红线项）: looked up once, filled per compound. A
    // compound that crossed a red line is marked so: its score may be above the pass mark.
    let named = t!("report.bulletin.failing.name_score", locale = f.lang.code());
    let named_red = t!("report.bulletin.failing.name_score_red", locale = f.lang.code());
    let failing_names: Vec<String> = b
        .failing
        .iter()
        .map(|c| {
            let score = c.score.map(fmt2).unwrap_or_default();
            let words = if c.red_line { &named_red } else { &named };
            words.replace("%{name}", &c.name).replace("%{score}", &score)
        })
        .collect();
    if !failing_names.is_empty() {
        let code = f.lang.code();
        let names = failing_names.join(&t!("report.document.list_separator", locale = code));
        failing
            .after
            .push(t!("report.bulletin.failing.list", locale = code, names = names).into_owned());
    }
    failing
}

/// The notices' table: where, when, the score (red line marked), the deadline, the
/// re-inspection (late marked) and the outcome.
fn notices(f: &Frame, notices: &[Notice]) -> Table {
    let (red_line, late) = (
        t!("report.bulletin.notices.red_line", locale = f.lang.code()),
        t!("report.bulletin.notices.late", locale = f.lang.code()),
    );
    let marked = |mark: bool, words: &str| if mark { words.to_string() } else { String::new() };
    Table {
        header: vec![
            t!("report.bulletin.col.compound", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.col.community", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.col.street", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.notices.date", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.notices.score", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.notices.deadline", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.notices.recheck", locale = f.lang.code()).into_owned(),
            t!("report.bulletin.notices.outcome", locale = f.lang.code()).into_owned(),
        ],
        rows: notices
            .iter()
            .map(|n| {
                vec![
                    f.compound(&n.compound_id),
                    f.community(&n.community_id),
                    f.street(&n.street_id),
                    f.date(n.date),
                    format!("{}{}", fmt2(n.score), marked(n.red_line, &red_line)),
                    f.date(n.deadline),
                    n.recheck
                        .as_ref()
                        .map(|r| format!("{} {}{}", f.date(r.date), fmt2(r.score), marked(r.late, &late)))
                        .unwrap_or_else(|| "—".into()),
                    outcome(f.lang, n.outcome.as_str()),
                ]
            })
            .collect(),
        numeric: vec![3, 4, 5],
    }
}

/// The last section, 下一步工作要求: the wording is the template `bulletin_next.txt.j2`
/// (the workspace's `templates/` may replace it), given the figures it speaks of; `n` is the
/// section's place, for its numeral.
fn next_steps(f: &Frame, b: &Bulletin, n: usize) -> Result<Section> {
    let mut streets: Vec<(&str, u32)> = b
        .streets
        .iter()
        .filter(|r| r.group.failed > 0)
        .map(|r| (r.group.name.as_str(), r.group.failed))
        .collect();
    streets.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(b.0)));
    // The template names at most five streets and says how many more there are.
    const NAMED: usize = 5;
    let outcomes = |o: &str| b.notices.iter().filter(|n| n.outcome.as_str() == o).count();
    // Compounds, not notices: a compound with two notices counts once.
    let compounds = |keep: &dyn Fn(&Notice) -> bool| {
        let ids: std::collections::BTreeSet<&str> = b
            .notices
            .iter()
            .filter(|n| keep(n))
            .map(|n| n.compound_id.as_str())
            .collect();
        ids.len()
    };
    let ctx = json!({
        "lang": f.lang.code(),
        "period": f.period(b.period),
        "next_period": f.period(b.period.next()),
        "street": b.street.as_deref().map(|s| f.street(s)),
        "failing": b.failing.len(),
        "streets": streets.iter().take(NAMED).map(|(name, failing)| json!({"name": name, "failing": failing})).collect::<Vec<_>>(),
        "more_streets": streets.len().saturating_sub(NAMED),
        "notices": b.notices.len(),
        "failed": compounds(&|n| n.outcome.as_str() == "failed"),
        "pending": outcomes("pending"),
        "overdue": outcomes("overdue"),
        "late": compounds(&|n| n.recheck.as_ref().is_some_and(|r| r.late)),
        "gaps": b.gaps.iter().map(|g| g.missing.len()).sum::<usize>(),
    });
    let text = templates::render(f.root, "bulletin_next.txt.j2", ctx)?;
    // Chinese headings count in Chinese numerals (十一、), English in digits (11.).
    let numeral = match f.lang {
        Lang::Zh => zh_numeral(n),
        Lang::En => n.to_string(),
    };
    Ok(Section {
        title: t!("report.bulletin.next.title", locale = f.lang.code(), n = numeral).into_owned(),
        paragraphs: text
            .split("\n\n")
            .map(|p| p.lines().map(str::trim).collect::<Vec<_>>().join(f.lang.pick("", " ")))
            .filter(|p| !p.is_empty())
            .collect(),
        ..Default::default()
    })
}

/// 1..=99 as Chinese numerals (一, 十, 十一, 二十), for section headings.
pub(super) fn zh_numeral(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match (n / 10, n % 10) {
        (0, u) => DIGITS[u].to_string(),
        (1, u) => format!("十{}", DIGITS[u]),
        (t, u) => format!("{}十{}", DIGITS[t.min(9)], DIGITS[u]),
    }
}

/// A notice's outcome in words (the JSON keeps its id).
fn outcome(lang: Lang, o: &str) -> String {
    super::words::outcome(o, lang)
}

/// 八、一票否决: one sentence per community that lost its 美丽社区 title or candidacy.
fn vetoes(f: &Frame, b: &Bulletin) -> Section {
    let mut veto = Section {
        title: t!("report.bulletin.vetoes.title", locale = f.lang.code()).into_owned(),
        ..Default::default()
    };
    if b.vetoes.is_empty() {
        veto.paragraphs
            .push(t!("report.bulletin.none", locale = f.lang.code()).into_owned());
    }
    for v in &b.vetoes {
        let community = f.community(&v.community_id);
        let (code, year) = (f.lang.code(), v.year);
        let sentence = match v.effect {
            VetoEffect::Revoked => t!(
                "report.bulletin.vetoes.revoked",
                locale = code,
                community = community,
                year = year
            ),
            VetoEffect::Ineligible => t!(
                "report.bulletin.vetoes.ineligible",
                locale = code,
                community = community,
                year = year
            ),
        };
        veto.paragraphs.push(sentence.into_owned());
    }
    veto
}

/// 九、检查覆盖情况: per level and window, the compounds not visited (the first 20 named).
fn coverage(f: &Frame, b: &Bulletin) -> Section {
    Section {
        title: t!("report.bulletin.coverage.title", locale = f.lang.code()).into_owned(),
        table: Some(Table {
            header: vec![
                t!("report.bulletin.coverage.level", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.coverage.window", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.coverage.missing", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.coverage.compounds", locale = f.lang.code()).into_owned(),
            ],
            rows: b
                .gaps
                .iter()
                .map(|g| {
                    let names: Vec<String> = g.missing.iter().take(20).map(|id| f.compound(id)).collect();
                    let more = if g.missing.len() > 20 {
                        format!(" …（{}）", g.missing.len())
                    } else {
                        String::new()
                    };
                    vec![
                        super::words::level(g.level, f.lang),
                        f.period(g.window),
                        count(g.missing.len() as u64),
                        names.join("、") + &more,
                    ]
                })
                .collect(),
            numeric: vec![2],
        }),
        ..Default::default()
    }
}

/// 十、物业费收缴情况: per street, only where fee data exist.
fn fees(f: &Frame, b: &Bulletin) -> Option<Section> {
    if b.fees.is_empty() {
        return None;
    }
    let share = |part: usize, whole: usize| {
        if whole == 0 {
            "0.00".into()
        } else {
            fmt2(Decimal::from(part as u64) * Decimal::ONE_HUNDRED / Decimal::from(whole as u64))
        }
    };
    // 12（40.00%）: looked up once, filled per street.
    let at_90 = t!("report.bulletin.fees.at_90_share", locale = f.lang.code());
    Some(Section {
        title: t!("report.bulletin.fees.title", locale = f.lang.code()).into_owned(),
        table: Some(Table {
            header: vec![
                t!("report.bulletin.col.street", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.fees.billed", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.fees.collected", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.fees.rate", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.fees.compounds", locale = f.lang.code()).into_owned(),
                t!("report.bulletin.fees.at_90", locale = f.lang.code()).into_owned(),
            ],
            rows: b
                .fees
                .iter()
                .map(|x| {
                    vec![
                        f.street(&x.street_id),
                        money(x.billed),
                        money(x.collected),
                        x.rate.map(fmt2).unwrap_or_else(|| "—".into()),
                        count(x.compounds as u64),
                        at_90
                            .replace("%{count}", &count(x.at_90 as u64))
                            .replace("%{share}", &share(x.at_90, x.compounds)),
                    ]
                })
                .collect(),
            numeric: vec![1, 2, 3, 4, 5],
        }),
        ..Default::default()
    })
}

/// The change since the previous period in words (上升1.28分, 下降0.52分, 持平), "new" where
/// there was no score then, a dash where there is none now.
fn change(r: &Ranked, new: &str, lang: Lang) -> String {
    match r.change {
        None if r.group.score.is_none() => "—".to_string(),
        None => new.to_string(),
        Some(c) => change_words(c, lang),
    }
}

/// A score as a bar's length: charts are drawn in floating point, the figures shown are not.
fn decimal_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

/// The bulletin as JSON (DESIGN §11), to be [`finish`](super::json::finish)ed with the
/// provenance. Failing compounds and notices are written as `score` and `recheck` write
/// theirs, by the same writers.
pub fn to_json(b: &Bulletin, st: &StandardsFile, as_of: &AsOf) -> Map<String, Value> {
    let mut doc = document(&b.period, as_of, st);
    doc.insert("street".into(), json!(b.street));
    doc.insert("previous_period".into(), json!(b.previous.to_string()));
    doc.insert("previous_unscored".into(), json!(b.previous_unscored));
    doc.insert("summary".into(), summary_json(&b.summary));
    doc.insert("streets".into(), array(&b.streets, |r| ranked_json(r, "street_id")));
    doc.insert(
        "communities".into(),
        array(&b.communities, |r| ranked_json(r, "community_id")),
    );
    doc.insert(
        "categories".into(),
        array(&b.categories, |c| json!({"code": c.code, "name": c.name, "points": c.points, "share": fmt2(c.share), "compounds": c.compounds})),
    );
    doc.insert(
        "hotspots".into(),
        array(&b.hotspots, |h| json!({"compound_id": h.compound_id, "name": h.name, "community_id": h.community_id, "street_id": h.street_id, "category": h.category, "points": h.points})),
    );
    doc.insert(
        "looks".into(),
        array(&b.looks, |x| json!({"street_id": x.street_id, "assessed": x.assessed, "street_not_in_place": x.street_not, "community_not_in_place": x.community_not, "property_not_in_place": x.property_not})),
    );
    doc.insert("failing".into(), array(&b.failing, compound_json));
    doc.insert("notices".into(), array(&b.notices, notice_json));
    doc.insert(
        "vetoes".into(),
        array(&b.vetoes, |v| json!({"community_id": v.community_id, "year": v.year, "effect": v.effect.as_str(), "notices": v.notices})),
    );
    doc.insert(
        "coverage".into(),
        array(
            &b.gaps,
            |g| json!({"level": g.level.as_str(), "window": g.window.to_string(), "missing": g.missing}),
        ),
    );
    doc.insert(
        "fees".into(),
        array(&b.fees, |f| json!({"street_id": f.street_id, "billed": fmt2(f.billed), "collected": fmt2(f.collected), "rate": dec(f.rate), "compounds": f.compounds, "at_90": f.at_90})),
    );
    doc
}

/// A JSON array of one value per item.
fn array<T>(items: &[T], item: impl Fn(&T) -> Value) -> Value {
    Value::Array(items.iter().map(item).collect())
}

/// The headline figures, all counts.
fn summary_json(s: &Summary) -> Value {
    json!({
        "compounds_inspected": s.compounds_inspected, "streets": s.streets, "communities": s.communities,
        "rechecked_compounds": s.rechecked_compounds, "photos": s.photos, "person_times": s.person_times,
        "categories_found": s.categories_found, "problem_points": s.problem_points,
    })
}

/// A street or community of a ranking; `key` names its id (`street_id`, `community_id`).
fn ranked_json(r: &Ranked, key: &str) -> Value {
    let g = &r.group;
    let mut m = Map::new();
    m.insert(key.into(), json!(g.id));
    m.insert("name".into(), json!(g.name));
    if let Some(s) = &g.street_id {
        m.insert("street_id".into(), json!(s));
    }
    m.insert("rank".into(), json!(r.rank));
    m.insert("score".into(), dec(g.score));
    m.insert("change".into(), dec(r.change));
    m.insert("previous_rank".into(), json!(r.previous_rank));
    m.insert("assessed".into(), json!(g.assessed));
    m.insert("passed".into(), json!(g.passed));
    m.insert("failed".into(), json!(g.failed));
    m.insert("not_assessed".into(), json!(g.not_assessed));
    m.insert("pass_rate".into(), dec(g.pass_rate()));
    Value::Object(m)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outcomes_are_words_in_chinese_and_json_names_in_english() {
        assert_eq!(outcome(Lang::Zh, "overdue"), "逾期未复检");
        assert_eq!(outcome(Lang::En, "pending"), "awaiting re-inspection");
        // An outcome the catalogue does not know is shown as it is, not dropped.
        assert_eq!(outcome(Lang::Zh, "withdrawn"), "withdrawn");
    }
}
