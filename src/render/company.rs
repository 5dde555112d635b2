//! The `company` report written out: one page per company for the notice board of a
//! selection meeting (Markdown or HTML: a paragraph of the period's figures and a table of the
//! period and the three before), and the JSON document of DESIGN §13. Every format is written
//! from the one [`CompanyReport`].

use serde_json::Value;

use crate::domain::as_of::AsOf;
use crate::model::records::Lang;
use crate::model::Period;
use crate::report::company::{Company, CompanyReport, Figures};
use crate::workspace::provenance::Provenance;
use crate::workspace::StandardsFile;

use super::document::{Document, Section, Table};
use super::json::{document as json_document, finish};
use super::zh_date;

/// The JSON document: `period` and `standards`, the report's fields, the provenance.
pub fn json(
    report: &CompanyReport,
    period: &Period,
    as_of: &AsOf,
    standards: &StandardsFile,
    provenance: &Provenance,
) -> String {
    let mut doc = json_document(period, as_of, standards);
    if let Ok(Value::Object(body)) = serde_json::to_value(report) {
        doc.extend(body);
    }
    finish(doc, provenance)
}

/// The document for people: a title naming the district and the period, a page per company,
/// and the bureau's name at the foot.
pub fn document(report: &CompanyReport, district: &str, period: Period, as_of: &AsOf, lang: Lang) -> Document {
    let mut doc = Document {
        title: match lang {
            Lang::Zh => format!(
                "{district}{}物业服务企业服务记录",
                super::words::period_words(period, lang)
            ),
            Lang::En => format!("Property companies' records, {district}, {period}"),
        },
        ..Default::default()
    };
    // A period not over is said first (DESIGN §14).
    if !as_of.complete(&period) {
        doc.subtitle.push(match lang {
            Lang::Zh => format!(
                "本期（{}）尚未结束：以下仅反映截至{}的数据",
                super::words::period_words(period, lang),
                zh_date(as_of.date)
            ),
            Lang::En => format!(
                "{period} is not over: what follows shows only the data up to {}",
                as_of.date
            ),
        });
    }
    doc.subtitle.push(match lang {
        Lang::Zh => format!("数据截至{}", zh_date(as_of.date)),
        Lang::En => format!("Data as of {}", as_of.date),
    });
    doc.subtitle.push(
        lang.pick(
            "供居民选聘物业服务企业时参阅（居民选、社区签）：评分为第三方检查的官方得分",
            "For residents choosing a company (居民选、社区签): scores are the official third-party scores",
        )
        .to_string(),
    );
    doc.sections = report.companies.iter().map(|c| section(c, period, lang)).collect();
    doc.footer.push(match lang {
        Lang::Zh => format!("{district}民政局"),
        Lang::En => format!("{district} Civil Affairs Bureau"),
    });
    doc
}

/// A company's page: its figures for the period in words, then every period in a table.
fn section(c: &Company, period: Period, lang: Lang) -> Section {
    Section {
        title: match lang {
            Lang::Zh => format!("{}（{}）", c.name, c.company_id),
            Lang::En => format!("{} ({})", c.name, c.company_id),
        },
        page_break: true,
        paragraphs: vec![paragraph(&c.figures, c.fee_rate.as_ref(), period, lang)],
        table: Some(history_table(c, period, lang)),
        ..Default::default()
    }
}

/// A score or rate as shown in a document: two decimals, or a dash.
fn or_dash(value: &Option<String>) -> String {
    value.clone().unwrap_or_else(|| "—".into())
}

/// The period's figures in one sentence.
fn paragraph(f: &Figures, fee_rate: Option<&String>, period: Period, lang: Lang) -> String {
    let score = or_dash(&f.score);
    let fee = |none: &str| fee_rate.map_or_else(|| none.to_string(), |r| format!("{r}%"));
    match lang {
        Lang::Zh => format!(
            "{period} 期末服务旧楼区 {} 个；所服务小区平均得分 {score}，合格 {} 个、不合格 {} 个；收到整改通知 {} 份，整改到位 {} 份，复检仍不合格 {} 份，导致一票否决 {} 次；物业费收缴率 {}。",
            f.compounds, f.passed, f.failed, f.notices, f.rectified, f.recheck_failed, f.vetoes, fee("无数据")
        ),
        Lang::En => format!(
            "At the end of {period} it served {} old compounds; their mean score {score}, {} passed and {} failed; {} notices, {} rectified, {} failed again on re-inspection, vetoes caused: {}; fee collection {}.",
            f.compounds, f.passed, f.failed, f.notices, f.rectified, f.recheck_failed, f.vetoes, fee("no data")
        ),
    }
}

/// The period and the three before, a row each.
fn history_table(c: &Company, period: Period, lang: Lang) -> Table {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en).to_string();
    let now = std::iter::once((period.to_string(), &c.figures, &c.fee_rate));
    let past = c.history.iter().map(|p| (p.period.clone(), &p.figures, &p.fee_rate));
    Table {
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
        rows: now.chain(past).map(|(p, f, fee)| row(p, f, fee)).collect(),
        numeric: (1..10).collect(),
    }
}

/// A period's row.
fn row(period: String, f: &Figures, fee_rate: &Option<String>) -> Vec<String> {
    vec![
        period,
        f.compounds.to_string(),
        or_dash(&f.score),
        f.passed.to_string(),
        f.failed.to_string(),
        f.notices.to_string(),
        f.rectified.to_string(),
        f.recheck_failed.to_string(),
        f.vetoes.to_string(),
        or_dash(fee_rate),
    ]
}
