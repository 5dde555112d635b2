//! `oldestate bulletin`: the periodic notification (情况通报) that names streets and
//! communities, as Markdown, a printable HTML document, or JSON.

use std::path::PathBuf;

use clap::Args;
use rust_decimal::Decimal;
use serde_json::{json, Value};

use crate::domain::bulletin::{build, Bulletin, Ranked, SummaryBuilder};
use crate::error::{Diagnostics, Error, Result};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::registry::Registry;
use crate::model::{parse_as_of, Period};
use crate::render::document::{Chart, Document, Section, Table};
use crate::render::json::{compound_json, dec, document, finish, notice_json};
use crate::render::Format;
use crate::workspace::{self, StandardsFile};

use super::loaded::{Inapplicable, Loaded};
use super::{emit, Context};

/// The bulletin (情况通报) of a period, in Markdown, HTML or JSON.
///
/// The bulletin of a period: headline figures of the scoring level, street and community
/// rankings with the change since the previous period of the same length, problems by
/// category, hot spots, the three looks per street, failing compounds with their notices,
/// vetoes, coverage gaps of every level, and fee collection. `--street` narrows it to one
/// street: the brief for that street's joint meeting (联席会议), naming no other street.
#[derive(Debug, Args)]
pub struct BulletinArgs {
    /// The period: YYYY-MM, YYYYQn, YYYYHn or YYYY
    #[arg(long)]
    pub period: Period,
    /// Only this street (its id)
    #[arg(long, value_name = "ID")]
    pub street: Option<String>,
    /// Write to FILE instead of standard output
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Decide pending against overdue notices as of this date (default: today)
    #[arg(long, value_name = "DATE", value_parser = parse_as_of)]
    pub as_of: Option<chrono::NaiveDate>,
}

pub fn cmd_bulletin(ctx: &Context, args: &BulletinArgs) -> Result<()> {
    let format = ctx.format("bulletin", &[Format::Md, Format::Html, Format::Json])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    if let Some(s) = &args.street {
        if loaded.registry.street(s).is_none() {
            let known: Vec<&str> = loaded.registry.streets.iter().map(|s| s.id.as_str()).collect();
            return Err(Error::msg(format!(
                "unknown street \"{s}\" (known: {})",
                known.join(", ")
            )));
        }
    }
    let period = args.period;
    let standards = loaded.standards_for(&period)?;
    let as_of = args.as_of.unwrap_or_else(|| ctx.today());
    // One report, one standards file (DESIGN §7): the previous period is scored under this
    // period's standards too, leaving out findings on items they do not apply. A previous
    // period that cannot be scored (a visit without a contract) shows no change.
    // Only its street and community scores are used: its compounds are dropped at once.
    let previous = loaded
        .score(period.previous(), None, &standards, Inapplicable::LeftOut)
        .ok()
        .map(|mut p| {
            p.keep_groups_only();
            p
        });
    let registry = std::sync::Arc::clone(&loaded.registry);
    let headline = SummaryBuilder::new(&registry, &standards.standards, period, args.street.as_deref());
    let (scores, rechecks, headline) =
        loaded.score_rechecks_and(period, as_of, &standards, Inapplicable::Refused, headline)?;
    let summary = headline.finish();
    if ctx.verbose > 1 {
        eprintln!(
            "oldestate: scores, notices and headline done{}",
            super::loaded::peak_memory()
        );
    }
    let mut d = Diagnostics::new();
    let fees = workspace::load_fees(&loaded.ws, &period, &mut d)?;
    d.into_result()?;
    loaded.inputs.add_file(&loaded.ws, &format!("data/fees/{period}.csv"))?;
    let b = build(
        &loaded.registry,
        &standards.standards,
        summary,
        &scores,
        previous.as_ref(),
        &rechecks,
        &fees,
        args.street.as_deref(),
    );
    if ctx.verbose > 1 {
        eprintln!("oldestate: bulletin built{}", super::loaded::peak_memory());
    }
    let out = match format {
        Format::Json => {
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            finish(to_json(&b, &standards, as_of), &provenance)
        }
        Format::Html => to_document(&loaded, &b, &standards, as_of, lang).to_html(lang.pick("zh-CN", "en")),
        _ => to_document(&loaded, &b, &standards, as_of, lang).to_markdown(),
    };
    match &args.out {
        None => emit(out.as_bytes()),
        Some(path) => {
            let dir = match path.parent() {
                Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                _ => PathBuf::from("."),
            };
            let mut tmp = tempfile::NamedTempFile::new_in(&dir).map_err(|e| Error::io(&dir, e))?;
            std::io::Write::write_all(&mut tmp, out.as_bytes()).map_err(|e| Error::io(path, e))?;
            tmp.persist(path).map_err(|e| Error::io(path, e.error))?;
            ctx.note(format!("wrote {}", path.display()));
            Ok(())
        }
    }
}

fn name_of_street(reg: &Registry, id: &str) -> String {
    reg.street(id).map_or_else(|| id.to_string(), |s| s.name.clone())
}

fn name_of_community(reg: &Registry, id: &str) -> String {
    reg.community(id).map_or_else(|| id.to_string(), |c| c.name.clone())
}

fn name_of_compound(reg: &Registry, id: &str) -> String {
    reg.compound(id).map_or_else(|| id.to_string(), |c| c.name.to_string())
}

fn change(r: &Ranked, lang: Lang) -> String {
    match r.change {
        None if r.group.score.is_none() => "—".to_string(),
        None => lang.pick("新增", "new").to_string(),
        Some(c) if c > Decimal::ZERO => format!("↑{}", fmt2(c)),
        Some(c) if c < Decimal::ZERO => format!("↓{}", fmt2(-c)),
        Some(_) => "—".to_string(),
    }
}

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

fn to_document(loaded: &Loaded, b: &Bulletin, st: &StandardsFile, as_of: chrono::NaiveDate, lang: Lang) -> Document {
    let reg = &loaded.registry;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let level = lang.pick(st.standards.scoring_level.zh(), st.standards.scoring_level.as_str());
    let place = match &b.street {
        Some(s) => name_of_street(reg, s),
        None => loaded.settings.district.clone(),
    };
    let title = match lang {
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
            .push(l("街道联席会议材料", "Brief for the street's joint meeting"));
    }
    doc.subtitle.push(match lang {
        Lang::Zh => format!(
            "依据《{}》（{}，sha256 {}）；官方评分：{level}检查；通知状态截至 {as_of}",
            st.standards.title,
            st.file,
            &st.sha256[..12]
        ),
        Lang::En => format!(
            "Standards: {} ({}, sha256 {}); official scores: {level} visits; notices as of {as_of}",
            st.standards.title,
            st.file,
            &st.sha256[..12]
        ),
    });
    let s = &b.summary;
    let mut overview = Section {
        title: l("一、总体情况", "1. Overview"),
        ..Default::default()
    };
    overview.paragraphs.push(match lang {
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
    });
    doc.sections.push(overview);

    let ranking = |title: String, list: &[Ranked], street_col: bool| {
        let mut header = vec![l("排名", "rank"), l("名称", "name")];
        if street_col {
            header.push(l("街道", "street"));
        }
        header.extend([
            l("平均分", "score"),
            l("较上期", "change"),
            l("检查小区", "assessed"),
            l("合格", "passed"),
            l("不合格", "failed"),
            l("合格率%", "pass rate %"),
        ]);
        let n = header.len();
        let rows = list
            .iter()
            .map(|r| {
                let g = &r.group;
                let mut row = vec![r.rank.to_string(), g.name.clone()];
                if street_col {
                    row.push(
                        g.street_id
                            .as_deref()
                            .map(|s| name_of_street(reg, s))
                            .unwrap_or_default(),
                    );
                }
                row.extend([
                    g.score.map(fmt2).unwrap_or_else(|| "—".into()),
                    change(r, lang),
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
                numeric: (n - 6..n).filter(|&i| i != n - 5).chain([0]).collect(),
            }),
            ..Default::default()
        }
    };
    let mut streets = ranking(l("二、街道排名", "2. Street ranking"), &b.streets, false);
    streets.paragraphs.push(match lang {
        Lang::Zh => format!("较上期：与 {} 相比的平均分变化；“新增”表示上期无评分。", b.previous),
        Lang::En => format!("Change: against {}; \"new\" where there was no score then.", b.previous),
    });
    streets.chart = Some(Chart {
        caption: l("街道平均分", "Street mean scores"),
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
    doc.sections.push(streets);
    doc.sections.push(ranking(
        l("三、社区排名", "3. Community ranking"),
        &b.communities,
        b.street.is_none(),
    ));

    let max_points = b.categories.iter().map(|c| c.points).max().unwrap_or(0) as f64;
    doc.sections.push(Section {
        title: l("四、问题分类", "4. Problems by category"),
        chart: Some(Chart {
            caption: l("各类问题点位", "Problem points by category"),
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
                l("类别", "category"),
                l("点位", "points"),
                l("占比%", "share %"),
                l("涉及小区", "compounds"),
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
    });

    let cat_name = |code: &str| {
        st.standards
            .categories
            .iter()
            .find(|c| c.code == code)
            .map_or(code.to_string(), |c| c.name.clone())
    };
    let mut hot = Section {
        title: l("五、成片问题", "5. Hot spots"),
        ..Default::default()
    };
    hot.paragraphs.push(match lang {
        Lang::Zh => format!(
            "同一小区同一类问题点位达到 {} 处的，点名如下：",
            st.standards.hotspots.min_points
        ),
        Lang::En => format!(
            "Compounds with {} or more points of one category:",
            st.standards.hotspots.min_points
        ),
    });
    if b.hotspots.is_empty() {
        hot.paragraphs.push(l("本期无。", "None this period."));
    } else {
        hot.table = Some(Table {
            header: vec![
                l("小区", "compound"),
                l("社区", "community"),
                l("街道", "street"),
                l("问题类别", "category"),
                l("点位", "points"),
            ],
            rows: b
                .hotspots
                .iter()
                .map(|h| {
                    vec![
                        h.name.clone(),
                        name_of_community(reg, &h.community_id),
                        name_of_street(reg, &h.street_id),
                        cat_name(&h.category),
                        h.points.to_string(),
                    ]
                })
                .collect(),
            numeric: vec![4],
        });
    }
    doc.sections.push(hot);

    let mut looks = Section {
        title: l("六、“三看三到位”情况", "6. The three looks"),
        ..Default::default()
    };
    looks.table = Some(Table {
        header: vec![
            l("街道", "street"),
            l("检查小区", "assessed"),
            l("街道管理不到位", "street mgmt not in place"),
            l("社区监督不到位", "community supervision not in place"),
            l("物业服务不到位", "property service not in place"),
        ],
        rows: b
            .looks
            .iter()
            .map(|x| {
                vec![
                    name_of_street(reg, &x.street_id),
                    x.assessed.to_string(),
                    x.street_not.len().to_string(),
                    x.community_not.len().to_string(),
                    x.property_not.len().to_string(),
                ]
            })
            .collect(),
        numeric: vec![1, 2, 3, 4],
    });
    for x in &b.looks {
        let names = |ids: &[String]| {
            ids.iter()
                .map(|id| name_of_compound(reg, id))
                .collect::<Vec<_>>()
                .join("、")
        };
        for (what_zh, what_en, ids) in [
            ("街道管理不到位", "street management not in place", &x.street_not),
            ("社区监督不到位", "community supervision not in place", &x.community_not),
            ("物业服务不到位", "property service not in place", &x.property_not),
        ] {
            if !ids.is_empty() {
                looks.after.push(format!(
                    "{}{}：{}",
                    name_of_street(reg, &x.street_id),
                    lang.pick(what_zh, &format!(" — {what_en}")),
                    names(ids)
                ));
            }
        }
    }
    doc.sections.push(looks);

    let mut failing = Section {
        title: l("七、不合格小区及整改情况", "7. Failing compounds and rectification"),
        ..Default::default()
    };
    let outcome = |o: &str| match (lang, o) {
        (Lang::Zh, "rectified") => "整改到位".to_string(),
        (Lang::Zh, "failed") => "复检不合格".to_string(),
        (Lang::Zh, "pending") => "待复检".to_string(),
        (Lang::Zh, "overdue") => "逾期未复检".to_string(),
        (_, o) => o.to_string(),
    };
    if b.notices.is_empty() {
        failing
            .paragraphs
            .push(l("本期无整改通知。", "No notices this period."));
    } else {
        failing.table = Some(Table {
            header: vec![
                l("小区", "compound"),
                l("社区", "community"),
                l("街道", "street"),
                l("检查日期", "date"),
                l("得分", "score"),
                l("整改期限", "deadline"),
                l("复检", "re-inspection"),
                l("结果", "outcome"),
            ],
            rows: b
                .notices
                .iter()
                .map(|n| {
                    vec![
                        name_of_compound(reg, &n.compound_id),
                        name_of_community(reg, &n.community_id),
                        name_of_street(reg, &n.street_id),
                        n.date.to_string(),
                        format!(
                            "{}{}",
                            fmt2(n.score),
                            if n.red_line {
                                lang.pick("（红线）", " (red line)")
                            } else {
                                ""
                            }
                        ),
                        n.deadline.to_string(),
                        n.recheck
                            .as_ref()
                            .map(|r| {
                                format!(
                                    "{} {}{}",
                                    r.date,
                                    fmt2(r.score),
                                    if r.late {
                                        lang.pick("（逾期）", " (late)")
                                    } else {
                                        ""
                                    }
                                )
                            })
                            .unwrap_or_else(|| "—".into()),
                        outcome(n.outcome.as_str()),
                    ]
                })
                .collect(),
            numeric: vec![3, 4, 5],
        });
    }
    let failing_names: Vec<String> = b
        .failing
        .iter()
        .map(|c| format!("{}（{}）", c.name, c.score.map(fmt2).unwrap_or_default()))
        .collect();
    if !failing_names.is_empty() {
        failing.after.push(format!(
            "{}{}",
            l("本期评分不合格的小区：", "Compounds failing for the period: "),
            failing_names.join("、")
        ));
    }
    doc.sections.push(failing);

    let mut veto = Section {
        title: l("八、一票否决", "8. One-vote veto"),
        ..Default::default()
    };
    if b.vetoes.is_empty() {
        veto.paragraphs.push(l("本期无。", "None this period."));
    }
    for v in &b.vetoes {
        veto.paragraphs.push(match (lang, v.effect.as_str()) {
            (Lang::Zh, "revoked") => format!(
                "{}：复检仍不合格，撤销其“美丽社区”称号（{} 年度）。",
                name_of_community(reg, &v.community_id),
                v.year
            ),
            (Lang::Zh, _) => format!(
                "{}：复检仍不合格，取消其 {} 年度“美丽社区”评选资格。",
                name_of_community(reg, &v.community_id),
                v.year
            ),
            (Lang::En, e) => format!(
                "{}: re-inspection failed; 美丽社区 {e} for {}.",
                name_of_community(reg, &v.community_id),
                v.year
            ),
        });
    }
    doc.sections.push(veto);

    let mut gaps = Section {
        title: l("九、检查覆盖情况", "9. Coverage"),
        ..Default::default()
    };
    gaps.table = Some(Table {
        header: vec![
            l("检查层级", "level"),
            l("周期", "window"),
            l("缺检小区数", "missing"),
            l("缺检小区", "compounds"),
        ],
        rows: b
            .gaps
            .iter()
            .map(|g| {
                let names: Vec<String> = g.missing.iter().take(20).map(|id| name_of_compound(reg, id)).collect();
                let more = if g.missing.len() > 20 {
                    format!(" …（{}）", g.missing.len())
                } else {
                    String::new()
                };
                vec![
                    lang.pick(g.level.zh(), g.level.as_str()).to_string(),
                    g.window.to_string(),
                    g.missing.len().to_string(),
                    names.join("、") + &more,
                ]
            })
            .collect(),
        numeric: vec![2],
    });
    doc.sections.push(gaps);

    if !b.fees.is_empty() {
        doc.sections.push(Section {
            title: l("十、物业费收缴情况", "10. Fee collection"),
            table: Some(Table {
                header: vec![
                    l("街道", "street"),
                    l("应收（元）", "billed"),
                    l("实收（元）", "collected"),
                    l("收缴率%", "rate %"),
                    l("小区", "compounds"),
                    l("收缴率≥90%的小区", "compounds at 90%+"),
                ],
                rows: b
                    .fees
                    .iter()
                    .map(|f| {
                        vec![
                            name_of_street(reg, &f.street_id),
                            fmt2(f.billed),
                            fmt2(f.collected),
                            f.rate.map(fmt2).unwrap_or_else(|| "—".into()),
                            f.compounds.to_string(),
                            format!(
                                "{} ({}%)",
                                f.at_90,
                                if f.compounds == 0 {
                                    "0.00".into()
                                } else {
                                    fmt2(
                                        Decimal::from(f.at_90 as u64) * Decimal::ONE_HUNDRED
                                            / Decimal::from(f.compounds as u64),
                                    )
                                }
                            ),
                        ]
                    })
                    .collect(),
                numeric: vec![1, 2, 3, 4, 5],
            }),
            ..Default::default()
        });
    }
    doc.footer.push(match lang {
        Lang::Zh => format!("{}民政局", loaded.settings.district),
        Lang::En => format!("{} Civil Affairs Bureau", loaded.settings.district),
    });
    doc
}

fn decimal_f64(d: Decimal) -> f64 {
    d.to_string().parse().unwrap_or(0.0)
}

fn ranked_json(r: &Ranked, key: &str) -> Value {
    let g = &r.group;
    let mut m = serde_json::Map::new();
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

fn to_json(b: &Bulletin, st: &StandardsFile, as_of: chrono::NaiveDate) -> serde_json::Map<String, Value> {
    let s = &b.summary;
    let mut doc = document(&b.period, st);
    doc.insert("street".into(), json!(b.street));
    doc.insert("as_of".into(), json!(as_of.to_string()));
    doc.insert("previous_period".into(), json!(b.previous.to_string()));
    doc.insert(
        "summary".into(),
        json!({
            "compounds_inspected": s.compounds_inspected, "streets": s.streets, "communities": s.communities,
            "rechecked_compounds": s.rechecked_compounds, "photos": s.photos, "person_times": s.person_times,
            "categories_found": s.categories_found, "problem_points": s.problem_points,
        }),
    );
    doc.insert(
        "streets".into(),
        Value::Array(b.streets.iter().map(|r| ranked_json(r, "street_id")).collect()),
    );
    doc.insert(
        "communities".into(),
        Value::Array(b.communities.iter().map(|r| ranked_json(r, "community_id")).collect()),
    );
    doc.insert(
        "categories".into(),
        Value::Array(b.categories.iter().map(|c| json!({"code": c.code, "name": c.name, "points": c.points, "share": fmt2(c.share), "compounds": c.compounds})).collect()),
    );
    doc.insert(
        "hotspots".into(),
        Value::Array(
            b.hotspots
                .iter()
                .map(|h| json!({"compound_id": h.compound_id, "name": h.name, "community_id": h.community_id, "street_id": h.street_id, "category": h.category, "points": h.points}))
                .collect(),
        ),
    );
    doc.insert(
        "looks".into(),
        Value::Array(
            b.looks
                .iter()
                .map(|x| json!({"street_id": x.street_id, "assessed": x.assessed, "street_not_in_place": x.street_not, "community_not_in_place": x.community_not, "property_not_in_place": x.property_not}))
                .collect(),
        ),
    );
    doc.insert(
        "failing".into(),
        Value::Array(b.failing.iter().map(compound_json).collect()),
    );
    doc.insert(
        "notices".into(),
        Value::Array(b.notices.iter().map(notice_json).collect()),
    );
    doc.insert(
        "vetoes".into(),
        Value::Array(b.vetoes.iter().map(|v| json!({"community_id": v.community_id, "year": v.year, "effect": v.effect.as_str(), "notices": v.notices})).collect()),
    );
    doc.insert(
        "coverage".into(),
        Value::Array(
            b.gaps
                .iter()
                .map(|g| json!({"level": g.level.as_str(), "window": g.window.to_string(), "missing": g.missing}))
                .collect(),
        ),
    );
    doc.insert(
        "fees".into(),
        Value::Array(
            b.fees
                .iter()
                .map(|f| json!({"street_id": f.street_id, "billed": fmt2(f.billed), "collected": fmt2(f.collected), "rate": dec(f.rate), "compounds": f.compounds, "at_90": f.at_90}))
                .collect(),
        ),
    );
    doc
}
