//! `oldestate company`: each property company's record, for residents choosing a company.
#![allow(missing_docs)] // Not yet documented item by item (issue 17): remove this line once it is.

use clap::Args;
use serde_json::{json, Value};

use crate::domain::company::{records, CompanyRecord};
use crate::error::{Diagnostics, Error, Result};
use crate::model::decimal::fmt2;
use crate::model::records::Lang;
use crate::model::Period;
use crate::render::document::{Document, Section, Table};
use crate::render::json::{dec, document, finish};
use crate::render::Format;
use crate::workspace;

use super::loaded::{Inapplicable, Loaded};
use super::{emit, Context};

/// Each property company's record, for residents choosing a company.
///
/// Each company's record (服务记录) for residents choosing a company (居民选): compounds it
/// serves on the period's last day, the mean official score of the compounds it served, passed
/// and failed, notices and their outcomes, vetoes caused, fee collection — for the period and
/// the three before it. Markdown or HTML print one page per company, for the notice board of a
/// selection meeting; JSON is for scripts.
#[derive(Debug, Args)]
pub struct CompanyArgs {
    /// One company (its id); default: every company
    #[arg(value_name = "ID")]
    pub company: Option<String>,
    /// The period: YYYY-MM, YYYYQn, YYYYHn or YYYY
    #[arg(long)]
    pub period: Period,
}

pub fn cmd_company(ctx: &Context, args: &CompanyArgs) -> Result<()> {
    let format = ctx.format("company", &[Format::Md, Format::Html, Format::Json])?;
    let mut loaded = Loaded::load(ctx, format.carries_provenance())?;
    let lang = loaded.lang(ctx);
    let companies: Vec<(String, String)> = match &args.company {
        Some(id) => {
            let c = loaded.registry.company(id).ok_or_else(|| {
                let known: Vec<&str> = loaded.registry.companies.iter().map(|c| &*c.id).collect();
                Error::msg(format!(
                    "unknown company \"{id}\"{}",
                    crate::suggest::did_you_mean(id, known)
                ))
            })?;
            vec![(c.id.to_string(), c.name.clone())]
        }
        None => loaded
            .registry
            .companies
            .iter()
            .map(|c| (c.id.to_string(), c.name.clone()))
            .collect(),
    };
    let standards = loaded.standards_for(&args.period)?;
    let as_of = ctx.today();
    // The period and the three before it, each under its own standards (none: no scores).
    let mut periods = vec![args.period];
    for _ in 0..3 {
        let p = periods[periods.len() - 1].previous();
        periods.push(p);
    }
    // Per period, every company's record in one pass (the period's reports are dropped as
    // soon as they are summed); then per company, its periods.
    let ids: Vec<&str> = companies.iter().map(|(id, _)| id.as_str()).collect();
    let mut by_period: Vec<std::vec::IntoIter<CompanyRecord>> = Vec::new();
    for p in &periods {
        let st = loaded.standards.for_period(p).ok().cloned();
        let (scores, rechecks) = match &st {
            // Two passes, as before: scores read only the scored months, so a problem in a
            // later month does not fail a past period's record.
            Some(st) => (
                Some(loaded.score(*p, None, st, Inapplicable::Refused)?),
                Some(loaded.rechecks(*p, as_of, st, Inapplicable::Refused)?),
            ),
            None => (None, None),
        };
        let mut d = Diagnostics::new();
        let fees = workspace::load_fees(&loaded.ws, p, &mut d)?;
        d.into_result()?;
        loaded.inputs.add_file(&loaded.ws, &format!("data/fees/{p}.csv"))?;
        let list = records(&loaded.registry, &ids, *p, scores.as_ref(), rechecks.as_ref(), &fees);
        by_period.push(list.into_iter());
    }
    let records: Vec<(String, String, Vec<CompanyRecord>)> = companies
        .iter()
        .map(|(id, name)| {
            let list = by_period.iter_mut().filter_map(Iterator::next).collect();
            (id.clone(), name.clone(), list)
        })
        .collect();
    let out = match format {
        Format::Json => {
            let mut doc = document(&args.period, &standards);
            doc.insert(
                "companies".into(),
                Value::Array(
                    records
                        .iter()
                        .map(|(id, name, list)| {
                            let mut v = record_json(&list[0]);
                            if let Value::Object(m) = &mut v {
                                m.shift_insert(0, "company_id".into(), json!(id));
                                m.shift_insert(1, "name".into(), json!(name));
                                m.remove("period");
                                m.insert(
                                    "history".into(),
                                    Value::Array(list[1..].iter().map(record_json).collect()),
                                );
                            }
                            v
                        })
                        .collect(),
                ),
            );
            let provenance = loaded.inputs.provenance(&loaded.ws)?;
            finish(doc, &provenance)
        }
        _ => {
            let doc = to_document(&loaded, &records, args.period, lang);
            if format == Format::Html {
                doc.to_html(lang.pick("zh-CN", "en"))
            } else {
                doc.to_markdown()
            }
        }
    };
    emit(out.as_bytes())
}

fn record_json(r: &CompanyRecord) -> Value {
    json!({
        "period": r.period.to_string(),
        "compounds": r.compounds,
        "score": dec(r.score),
        "passed": r.passed,
        "failed": r.failed,
        "notices": r.notices,
        "rectified": r.rectified,
        "recheck_failed": r.recheck_failed,
        "vetoes": r.vetoes,
        "fee_rate": dec(r.fee_rate),
    })
}

fn to_document(
    loaded: &Loaded,
    records: &[(String, String, Vec<CompanyRecord>)],
    period: Period,
    lang: Lang,
) -> Document {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let district = &loaded.settings.district;
    let mut doc = Document {
        title: match lang {
            Lang::Zh => format!("{district}物业服务企业服务记录（{period}）"),
            Lang::En => format!("Property companies' records, {district}, {period}"),
        },
        ..Default::default()
    };
    doc.subtitle.push(l(
        "供居民选聘物业服务企业时参阅（居民选、社区签）：评分为第三方检查的官方得分",
        "For residents choosing a company (居民选、社区签): scores are the official third-party scores",
    ));
    for (id, name, list) in records {
        let now = &list[0];
        let mut sec = Section {
            title: format!("{name}（{id}）"),
            page_break: true,
            ..Default::default()
        };
        sec.paragraphs.push(match lang {
            Lang::Zh => format!(
                "{period} 期末服务旧楼区 {} 个；所服务小区平均得分 {}，合格 {} 个、不合格 {} 个；收到整改通知 {} 份，整改到位 {} 份，复检仍不合格 {} 份，导致一票否决 {} 次；物业费收缴率 {}。",
                now.compounds,
                now.score.map(fmt2).unwrap_or_else(|| "—".into()),
                now.passed,
                now.failed,
                now.notices,
                now.rectified,
                now.recheck_failed,
                now.vetoes,
                now.fee_rate.map(|r| format!("{}%", fmt2(r))).unwrap_or_else(|| "无数据".into())
            ),
            Lang::En => format!(
                "At the end of {period} it served {} old compounds; their mean score {}, {} passed and {} failed; {} notices, {} rectified, {} failed again on re-inspection, {} vetoes caused; fee collection {}.",
                now.compounds,
                now.score.map(fmt2).unwrap_or_else(|| "—".into()),
                now.passed,
                now.failed,
                now.notices,
                now.rectified,
                now.recheck_failed,
                now.vetoes,
                now.fee_rate.map(|r| format!("{}%", fmt2(r))).unwrap_or_else(|| "no data".into())
            ),
        });
        sec.table = Some(Table {
            header: vec![
                l("期间", "period"),
                l("服务小区", "compounds"),
                l("平均分", "score"),
                l("合格", "passed"),
                l("不合格", "failed"),
                l("整改通知", "notices"),
                l("整改到位", "rectified"),
                l("复检不合格", "recheck failed"),
                l("一票否决", "vetoes"),
                l("收缴率%", "fee rate %"),
            ],
            rows: list
                .iter()
                .map(|r| {
                    vec![
                        r.period.to_string(),
                        r.compounds.to_string(),
                        r.score.map(fmt2).unwrap_or_else(|| "—".into()),
                        r.passed.to_string(),
                        r.failed.to_string(),
                        r.notices.to_string(),
                        r.rectified.to_string(),
                        r.recheck_failed.to_string(),
                        r.vetoes.to_string(),
                        r.fee_rate.map(fmt2).unwrap_or_else(|| "—".into()),
                    ]
                })
                .collect(),
            numeric: (1..10).collect(),
        });
        doc.sections.push(sec);
    }
    doc.footer.push(match lang {
        Lang::Zh => format!("{district}民政局"),
        Lang::En => format!("{district} Civil Affairs Bureau"),
    });
    doc
}
