//! The bulletin (情况通报, DESIGN §8) as a [`Document`] (Markdown, HTML) and as JSON (§11).
//!
//! One function per section, in the order the office reads them; [`to_document`] only calls
//! them. The domain's [`Bulletin`] carries ids and numbers; names, words and the letterhead
//! come from the [`Frame`] it is rendered in.

use rust_decimal::Decimal;
use serde_json::{json, Map, Value};

use crate::domain::as_of::AsOf;
use crate::domain::bulletin::{Bulletin, Ranked, Summary};
use crate::domain::recheck::Notice;
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::workspace::StandardsFile;

use super::document::{Chart, Document, Section, Table};
use super::json::{compound_json, dec, document, notice_json};
use super::zh_date;

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
}

impl Frame<'_> {
    /// The words in the bulletin's language.
    fn pick(&self, zh: &str, en: &str) -> String {
        self.lang.pick(zh, en).to_string()
    }

    /// The scoring level's name (第三方, third_party, ...).
    fn level(&self) -> &'static str {
        let level = self.standards.standards.scoring_level;
        self.lang.pick(level.zh(), level.as_str())
    }

    /// A street's name, or its id when the registry does not know it.
    fn street(&self, id: &str) -> String {
        self.registry
            .street(id)
            .map_or_else(|| id.to_string(), |s| s.name.clone())
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

/// The bulletin as a document: the letterhead, the sections in order, the signature.
pub fn to_document(f: &Frame, b: &Bulletin) -> Document {
    let mut doc = letterhead(f, b);
    doc.sections.extend([
        overview(f, b),
        street_ranking(f, b),
        community_ranking(f, b),
        categories(f, b),
        hotspots(f, b),
        looks(f, b),
        failing(f, b),
        vetoes(f, b),
        coverage(f, b),
    ]);
    doc.sections.extend(fees(f, b));
    doc.footer.push(match f.lang {
        Lang::Zh => format!("{}民政局", f.district),
        Lang::En => format!("{} Civil Affairs Bureau", f.district),
    });
    doc
}

/// The title (the district's, or the street's for a joint meeting) and the line naming the
/// standards and the as-of date.
fn letterhead(f: &Frame, b: &Bulletin) -> Document {
    let place = match &b.street {
        Some(s) => f.street(s),
        None => f.district.to_string(),
    };
    let title = match f.lang {
        Lang::Zh => format!("{place}旧楼区物业服务管理情况通报（{}）", b.period),
        Lang::En => format!(
            "Old residential compounds: property service bulletin, {place}, {}",
            b.period
        ),
    };
    let mut doc = Document {
        title,
        ..Default::default()
    };
    if b.street.is_some() {
        doc.subtitle
            .push(f.pick("街道联席会议材料", "Brief for the street's joint meeting"));
    }
    // A period not over is said first, before anything is read as final (DESIGN §14).
    if !f.as_of.complete(&b.period) {
        doc.subtitle.push(match f.lang {
            Lang::Zh => format!(
                "本期（{}）尚未结束：本通报仅反映截至{}的数据，为阶段性情况",
                b.period,
                zh_date(f.as_of.date)
            ),
            Lang::En => format!(
                "{} is not over: this bulletin shows only the data up to {}, an interim account",
                b.period, f.as_of.date
            ),
        });
    }
    let (st, level, as_of) = (f.standards, f.level(), f.as_of.date);
    doc.subtitle.push(match f.lang {
        Lang::Zh => format!(
            "数据截至{}；依据《{}》（{}，sha256 {}）；官方评分：{level}检查",
            zh_date(as_of),
            st.standards.title,
            st.file,
            &st.sha256[..12]
        ),
        Lang::En => format!(
            "Data as of {as_of}; standards: {} ({}, sha256 {}); official scores: {level} visits",
            st.standards.title,
            st.file,
            &st.sha256[..12]
        ),
    });
    doc
}

/// 一、总体情况: the headline figures in one sentence.
fn overview(f: &Frame, b: &Bulletin) -> Section {
    let s = &b.summary;
    let level = f.level();
    let sentence = match f.lang {
        Lang::Zh => format!(
            "本期{level}对{} {} 个街道、{} 个社区的 {} 个旧楼区进行了检查，拍摄照片 {} 张，出动检查人员 {} 人次，发现 {} 类问题、问题点位 {} 处，对 {} 个小区进行了复检复查。",
            if b.street.is_some() { "" } else { "全区" },
            s.streets,
            s.communities,
            thousands(s.compounds_inspected as u64),
            thousands(s.photos),
            thousands(s.person_times),
            s.categories_found,
            thousands(s.problem_points),
            s.rechecked_compounds
        ),
        Lang::En => format!(
            "In {} the {level} inspected {} old compounds in {} communities of {} streets, took {} photos with {} person-times of inspectors, found {} problem points in {} categories, and re-inspected {} compounds.",
            b.period,
            thousands(s.compounds_inspected as u64),
            s.communities,
            s.streets,
            thousands(s.photos),
            thousands(s.person_times),
            thousands(s.problem_points),
            s.categories_found,
            s.rechecked_compounds
        ),
    };
    Section {
        title: f.pick("一、总体情况", "1. Overview"),
        paragraphs: vec![sentence],
        ..Default::default()
    }
}

/// 二、街道排名: the ranking, what the change is against, and a chart of the mean scores.
fn street_ranking(f: &Frame, b: &Bulletin) -> Section {
    let mut streets = ranking(f, f.pick("二、街道排名", "2. Street ranking"), &b.streets, false);
    streets.paragraphs.push(match f.lang {
        Lang::Zh => format!("较上期：与 {} 相比的平均分变化；“新增”表示上期无评分。", b.previous),
        Lang::En => format!("Change: against {}; \"new\" where there was no score then.", b.previous),
    });
    streets.chart = Some(Chart {
        caption: f.pick("街道平均分", "Street mean scores"),
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
        f.pick("三、社区排名", "3. Community ranking"),
        &b.communities,
        b.street.is_none(),
    )
}

/// A ranking table of streets or communities: rank, name, (street,) mean score, change,
/// counts and pass rate.
fn ranking(f: &Frame, title: String, list: &[Ranked], street_col: bool) -> Section {
    let mut header = vec![f.pick("排名", "rank"), f.pick("名称", "name")];
    if street_col {
        header.push(f.pick("街道", "street"));
    }
    header.extend([
        f.pick("平均分", "score"),
        f.pick("较上期", "change"),
        f.pick("检查小区", "assessed"),
        f.pick("合格", "passed"),
        f.pick("不合格", "failed"),
        f.pick("合格率%", "pass rate %"),
    ]);
    let n = header.len();
    let rows = list
        .iter()
        .map(|r| {
            let g = &r.group;
            let rank = r.rank.map_or_else(|| f.pick("未排名", "unranked"), |n| n.to_string());
            let mut row = vec![rank, g.name.clone()];
            if street_col {
                row.push(g.street_id.as_deref().map(|s| f.street(s)).unwrap_or_default());
            }
            row.extend([
                g.score.map(fmt2).unwrap_or_else(|| "—".into()),
                change(r, f.lang),
                g.assessed.to_string(),
                g.passed.to_string(),
                g.failed.to_string(),
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
            // The rank and the figures; the change (an arrow, or a word) stays left.
            numeric: (n - 6..n).filter(|&i| i != n - 5).chain([0]).collect(),
        }),
        ..Default::default()
    }
}

/// 四、问题分类: points per category, as a chart and a table.
fn categories(f: &Frame, b: &Bulletin) -> Section {
    let max_points = b.categories.iter().map(|c| c.points).max().unwrap_or(0) as f64;
    Section {
        title: f.pick("四、问题分类", "4. Problems by category"),
        chart: Some(Chart {
            caption: f.pick("各类问题点位", "Problem points by category"),
            bars: b
                .categories
                .iter()
                .filter(|c| c.points > 0)
                .map(|c| (c.name.clone(), c.points as f64, c.points.to_string()))
                .collect(),
            from: 0.0,
            to: max_points.max(1.0),
        }),
        table: Some(Table {
            header: vec![
                f.pick("类别", "category"),
                f.pick("点位", "points"),
                f.pick("占比%", "share %"),
                f.pick("涉及小区", "compounds"),
            ],
            rows: b
                .categories
                .iter()
                .map(|c| {
                    vec![
                        c.name.clone(),
                        c.points.to_string(),
                        fmt2(c.share),
                        c.compounds.to_string(),
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
        title: f.pick("五、成片问题", "5. Hot spots"),
        ..Default::default()
    };
    let min_points = standards.hotspots.min_points;
    hot.paragraphs.push(match f.lang {
        Lang::Zh => format!("同一小区同一类问题点位达到 {min_points} 处的，点名如下："),
        Lang::En => format!("Compounds with {min_points} or more points of one category:"),
    });
    if b.hotspots.is_empty() {
        hot.paragraphs.push(f.pick("本期无。", "None this period."));
        return hot;
    }
    hot.table = Some(Table {
        header: vec![
            f.pick("小区", "compound"),
            f.pick("社区", "community"),
            f.pick("街道", "street"),
            f.pick("问题类别", "category"),
            f.pick("点位", "points"),
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
                    h.points.to_string(),
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
        title: f.pick("六、“三看三到位”情况", "6. The three looks"),
        ..Default::default()
    };
    looks.table = Some(Table {
        header: vec![
            f.pick("街道", "street"),
            f.pick("检查小区", "assessed"),
            f.pick("街道管理不到位", "street mgmt not in place"),
            f.pick("社区监督不到位", "community supervision not in place"),
            f.pick("物业服务不到位", "property service not in place"),
        ],
        rows: b
            .looks
            .iter()
            .map(|x| {
                vec![
                    f.street(&x.street_id),
                    x.assessed.to_string(),
                    x.street_not.len().to_string(),
                    x.community_not.len().to_string(),
                    x.property_not.len().to_string(),
                ]
            })
            .collect(),
        numeric: vec![1, 2, 3, 4],
    });
    let names = |ids: &[String]| ids.iter().map(|id| f.compound(id)).collect::<Vec<_>>().join("、");
    for x in &b.looks {
        for (what_zh, what_en, ids) in [
            ("街道管理不到位", "street management not in place", &x.street_not),
            ("社区监督不到位", "community supervision not in place", &x.community_not),
            ("物业服务不到位", "property service not in place", &x.property_not),
        ] {
            if !ids.is_empty() {
                looks.after.push(format!(
                    "{}{}：{}",
                    f.street(&x.street_id),
                    f.lang.pick(what_zh, &format!(" — {what_en}")),
                    names(ids)
                ));
            }
        }
    }
    looks
}

/// 七、不合格小区及整改情况: the notices with their re-inspection and outcome, then the
/// compounds failing for the period.
fn failing(f: &Frame, b: &Bulletin) -> Section {
    let mut failing = Section {
        title: f.pick("七、不合格小区及整改情况", "7. Failing compounds and rectification"),
        ..Default::default()
    };
    if b.notices.is_empty() {
        failing
            .paragraphs
            .push(f.pick("本期无整改通知。", "No notices this period."));
    } else {
        failing.table = Some(notices(f, &b.notices));
    }
    let failing_names: Vec<String> = b
        .failing
        .iter()
        .map(|c| format!("{}（{}）", c.name, c.score.map(fmt2).unwrap_or_default()))
        .collect();
    if !failing_names.is_empty() {
        failing.after.push(format!(
            "{}{}",
            f.pick("本期评分不合格的小区：", "Compounds failing for the period: "),
            failing_names.join("、")
        ));
    }
    failing
}

/// The notices' table: where, when, the score (red line marked), the deadline, the
/// re-inspection (late marked) and the outcome.
fn notices(f: &Frame, notices: &[Notice]) -> Table {
    let marked = |mark: bool, zh, en| if mark { f.lang.pick(zh, en) } else { "" };
    Table {
        header: vec![
            f.pick("小区", "compound"),
            f.pick("社区", "community"),
            f.pick("街道", "street"),
            f.pick("检查日期", "date"),
            f.pick("得分", "score"),
            f.pick("整改期限", "deadline"),
            f.pick("复检", "re-inspection"),
            f.pick("结果", "outcome"),
        ],
        rows: notices
            .iter()
            .map(|n| {
                vec![
                    f.compound(&n.compound_id),
                    f.community(&n.community_id),
                    f.street(&n.street_id),
                    n.date.to_string(),
                    format!("{}{}", fmt2(n.score), marked(n.red_line, "（红线）", " (red line)")),
                    n.deadline.to_string(),
                    n.recheck
                        .as_ref()
                        .map(|r| format!("{} {}{}", r.date, fmt2(r.score), marked(r.late, "（逾期）", " (late)")))
                        .unwrap_or_else(|| "—".into()),
                    outcome(f.lang, n.outcome.as_str()),
                ]
            })
            .collect(),
        numeric: vec![3, 4, 5],
    }
}

/// A notice's outcome in words; English keeps the JSON's names.
fn outcome(lang: Lang, o: &str) -> String {
    match (lang, o) {
        (Lang::Zh, "rectified") => "整改到位".to_string(),
        (Lang::Zh, "failed") => "复检不合格".to_string(),
        (Lang::Zh, "pending") => "待复检".to_string(),
        (Lang::Zh, "overdue") => "逾期未复检".to_string(),
        (_, o) => o.to_string(),
    }
}

/// 八、一票否决: one sentence per community that lost its 美丽社区 title or candidacy.
fn vetoes(f: &Frame, b: &Bulletin) -> Section {
    let mut veto = Section {
        title: f.pick("八、一票否决", "8. One-vote veto"),
        ..Default::default()
    };
    if b.vetoes.is_empty() {
        veto.paragraphs.push(f.pick("本期无。", "None this period."));
    }
    for v in &b.vetoes {
        let community = f.community(&v.community_id);
        veto.paragraphs.push(match (f.lang, v.effect.as_str()) {
            (Lang::Zh, "revoked") => format!("{community}：复检仍不合格，撤销其“美丽社区”称号（{} 年度）。", v.year),
            (Lang::Zh, _) => format!("{community}：复检仍不合格，取消其 {} 年度“美丽社区”评选资格。", v.year),
            (Lang::En, e) => format!("{community}: re-inspection failed; 美丽社区 {e} for {}.", v.year),
        });
    }
    veto
}

/// 九、检查覆盖情况: per level and window, the compounds not visited (the first 20 named).
fn coverage(f: &Frame, b: &Bulletin) -> Section {
    Section {
        title: f.pick("九、检查覆盖情况", "9. Coverage"),
        table: Some(Table {
            header: vec![
                f.pick("检查层级", "level"),
                f.pick("周期", "window"),
                f.pick("缺检小区数", "missing"),
                f.pick("缺检小区", "compounds"),
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
                        f.lang.pick(g.level.zh(), g.level.as_str()).to_string(),
                        g.window.to_string(),
                        g.missing.len().to_string(),
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
    Some(Section {
        title: f.pick("十、物业费收缴情况", "10. Fee collection"),
        table: Some(Table {
            header: vec![
                f.pick("街道", "street"),
                f.pick("应收（元）", "billed"),
                f.pick("实收（元）", "collected"),
                f.pick("收缴率%", "rate %"),
                f.pick("小区", "compounds"),
                f.pick("收缴率≥90%的小区", "compounds at 90%+"),
            ],
            rows: b
                .fees
                .iter()
                .map(|x| {
                    vec![
                        f.street(&x.street_id),
                        fmt2(x.billed),
                        fmt2(x.collected),
                        x.rate.map(fmt2).unwrap_or_else(|| "—".into()),
                        x.compounds.to_string(),
                        format!("{} ({}%)", x.at_90, share(x.at_90, x.compounds)),
                    ]
                })
                .collect(),
            numeric: vec![1, 2, 3, 4, 5],
        }),
        ..Default::default()
    })
}

/// The change since the previous period: an arrow and the difference, "new" where there was
/// no score then, a dash where there is none now or nothing moved.
fn change(r: &Ranked, lang: Lang) -> String {
    match r.change {
        None if r.group.score.is_none() => "—".to_string(),
        None => lang.pick("新增", "new").to_string(),
        Some(c) if c > Decimal::ZERO => format!("↑{}", fmt2(c)),
        Some(c) if c < Decimal::ZERO => format!("↓{}", fmt2(-c)),
        Some(_) => "—".to_string(),
    }
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
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
    fn thousands_are_grouped_from_the_right() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000), "1,000");
        assert_eq!(thousands(12_345), "12,345");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn outcomes_are_words_in_chinese_and_json_names_in_english() {
        assert_eq!(outcome(Lang::Zh, "overdue"), "逾期未复检");
        assert_eq!(outcome(Lang::En, "overdue"), "overdue");
        // An outcome the catalogue does not know is shown as it is, not dropped.
        assert_eq!(outcome(Lang::Zh, "withdrawn"), "withdrawn");
    }
}
