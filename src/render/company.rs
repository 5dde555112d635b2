//! The `company` report written out: one page per company for the notice board of a
//! selection meeting (Markdown or HTML: a paragraph of the period's figures and a table of the
//! period and the three before), and the JSON document of DESIGN §13. Every format is written
//! from the one [`CompanyReport`].

use chrono::NaiveDate;
use rust_i18n::t;
use serde_json::Value;

use crate::domain::as_of::AsOf;
use crate::model::records::Lang;
use crate::model::Period;
use crate::report::company::{Company, CompanyReport, Figures};
use crate::workspace::provenance::Provenance;
use crate::workspace::StandardsFile;

use super::document::{Document, Section, Table};
use super::json::{document as json_document, finish};
use super::words::period_words;
use super::xlsx::as_of_line;

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
    let code = lang.code();
    // The period in words: 2026年上半年, the first half of 2026.
    let words = period_words(period, lang);
    let mut doc = Document {
        title: t!(
            "report.company.title",
            locale = code,
            district = district,
            period = words
        )
        .into_owned(),
        ..Default::default()
    };
    // A period not over is said first (DESIGN §14).
    if !as_of.complete(&period) {
        let date = date_as_written(as_of.date, lang);
        doc.subtitle
            .push(t!("report.company.not_over", locale = code, period = words, date = date).into_owned());
    }
    doc.subtitle.push(as_of_line(as_of.date, lang));
    doc.subtitle
        .push(t!("report.company.purpose", locale = code).into_owned());
    doc.sections = report.companies.iter().map(|c| section(c, period, lang)).collect();
    doc.footer
        .push(t!("report.company.bureau", locale = code, district = district).into_owned());
    doc
}

/// A date as these pages write it: 2026年6月30日, 30 June 2026 ([`super::words::date_words`]).
fn date_as_written(d: NaiveDate, lang: Lang) -> String {
    super::words::date_words(d, lang)
}

/// A company's page: its figures for the period in words, then every period in a table.
fn section(c: &Company, period: Period, lang: Lang) -> Section {
    Section {
        title: t!(
            "report.company.section_title",
            locale = lang.code(),
            name = c.name,
            id = c.company_id
        )
        .into_owned(),
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
    let code = lang.code();
    let fee = match fee_rate {
        Some(r) => format!("{r}%"),
        None => t!("report.company.no_fee_data", locale = code).into_owned(),
    };
    t!(
        "report.company.figures",
        locale = code,
        period = period,
        compounds = f.compounds,
        score = score,
        passed = f.passed,
        failed = f.failed,
        notices = f.notices,
        rectified = f.rectified,
        recheck_failed = f.recheck_failed,
        vetoes = f.vetoes,
        fee = fee
    )
    .into_owned()
}

/// The period and the three before, a row each.
fn history_table(c: &Company, period: Period, lang: Lang) -> Table {
    let code = lang.code();
    let now = std::iter::once((period.to_string(), &c.figures, &c.fee_rate));
    let past = c.history.iter().map(|p| (p.period.clone(), &p.figures, &p.fee_rate));
    Table {
        header: vec![
            t!("report.company.history.period", locale = code).into_owned(),
            t!("report.company.history.compounds", locale = code).into_owned(),
            t!("report.company.history.score", locale = code).into_owned(),
            t!("report.company.history.passed", locale = code).into_owned(),
            t!("report.company.history.failed", locale = code).into_owned(),
            t!("report.company.history.notices", locale = code).into_owned(),
            t!("report.company.history.rectified", locale = code).into_owned(),
            t!("report.company.history.recheck_failed", locale = code).into_owned(),
            t!("report.company.history.vetoes", locale = code).into_owned(),
            t!("report.company.history.fee_rate", locale = code).into_owned(),
        ],
        rows: now.chain(past).map(|(p, f, fee)| row(p, f, fee)).collect(),
        numeric: (1..10).collect(),
    }
}

/// A period's row.
fn row(period: String, f: &Figures, fee_rate: &Option<String>) -> Vec<String> {
    // A period none of its compounds was assessed in has no verdicts: a dash, not "0 passed,
    // 0 failed" (which reads as a clean record). Its notices and vetoes are counted as they are.
    let verdicts = |n: usize| match f.score {
        Some(_) => n.to_string(),
        None => "—".to_string(),
    };
    vec![
        period,
        f.compounds.to_string(),
        or_dash(&f.score),
        verdicts(f.passed),
        verdicts(f.failed),
        f.notices.to_string(),
        f.rectified.to_string(),
        f.recheck_failed.to_string(),
        f.vetoes.to_string(),
        or_dash(fee_rate),
    ]
}
