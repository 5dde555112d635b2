//! The `company` report (DESIGN §13): each company's record for residents choosing a company,
//! for the period and the three before it, exactly as its JSON document lists them (after
//! `period` and `standards`, before the provenance).

use serde::Serialize;

use crate::domain::company::CompanyRecord;
use crate::model::decimal::fmt2;

/// The companies asked about, in registry order.
#[derive(Debug, Clone, Serialize)]
pub struct CompanyReport {
    /// One entry per company.
    pub companies: Vec<Company>,
}

/// A company: its figures for the period, then for each of the three periods before it.
#[derive(Debug, Clone, Serialize)]
pub struct Company {
    /// Its id in the registry.
    pub company_id: String,
    /// Its name.
    pub name: String,
    /// The period's fee collection rate in percent, two decimals; null without fee data.
    ///
    /// It comes before the other figures, unlike in `history` and DESIGN §13's list: the
    /// document has always had it there (it was built by removing `period` from a map, which
    /// moved the last key into its place), and this value keeps the bytes it had.
    pub fee_rate: Option<String>,
    /// The period's other figures, as fields of the company itself.
    #[serde(flatten)]
    pub figures: Figures,
    /// The three periods before, latest first.
    pub history: Vec<PastPeriod>,
}

/// A company's figures for one of the periods before.
#[derive(Debug, Clone, Serialize)]
pub struct PastPeriod {
    /// The period (`2025H2`).
    pub period: String,
    /// Its figures but the fee rate.
    #[serde(flatten)]
    pub figures: Figures,
    /// Its fee collection rate in percent, two decimals; null without fee data.
    pub fee_rate: Option<String>,
}

/// One company's figures for one period but the fee rate, which each holder places itself
/// (see [`CompanyRecord`] for how each is counted).
#[derive(Debug, Clone, Serialize)]
pub struct Figures {
    /// Compounds under contract with it on the period's last day.
    pub compounds: usize,
    /// Mean official score of the compounds attributed to it, two decimals; null if none.
    pub score: Option<String>,
    /// Its compounds that passed.
    pub passed: usize,
    /// Its compounds that failed.
    pub failed: usize,
    /// Rectification notices on visits made while it was under contract.
    pub notices: usize,
    /// Notices rectified.
    pub rectified: usize,
    /// Notices whose re-inspection failed.
    pub recheck_failed: usize,
    /// Vetoes (community-years) its failed re-inspections caused.
    pub vetoes: usize,
}

impl CompanyReport {
    /// The report of `companies` (id, name), from each period's records (the period's first,
    /// then the three before, latest first), each listing the companies in the same order, as
    /// [`crate::domain::company::records`] returns them.
    pub fn new(companies: &[(String, String)], by_period: Vec<Vec<CompanyRecord>>) -> CompanyReport {
        let mut by_period: Vec<_> = by_period.into_iter().map(Vec::into_iter).collect();
        let companies = companies
            .iter()
            .filter_map(|(id, name)| {
                let mut list = by_period.iter_mut().filter_map(Iterator::next);
                let now = list.next()?;
                Some(Company {
                    company_id: id.clone(),
                    name: name.clone(),
                    fee_rate: now.fee_rate.map(fmt2),
                    figures: Figures::from(&now),
                    history: list
                        .map(|r| PastPeriod {
                            period: r.period.to_string(),
                            figures: Figures::from(&r),
                            fee_rate: r.fee_rate.map(fmt2),
                        })
                        .collect(),
                })
            })
            .collect();
        CompanyReport { companies }
    }
}

impl From<&CompanyRecord> for Figures {
    fn from(r: &CompanyRecord) -> Figures {
        Figures {
            compounds: r.compounds,
            score: r.score.map(fmt2),
            passed: r.passed,
            failed: r.failed,
            notices: r.notices,
            rectified: r.rectified,
            recheck_failed: r.recheck_failed,
            vetoes: r.vetoes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    fn record(period: &str, fee_rate: Option<rust_decimal::Decimal>) -> CompanyRecord {
        CompanyRecord {
            company_id: "CO01".into(),
            period: period.parse().unwrap(),
            compounds: 3,
            score: Some(dec!(91.255)),
            passed: 2,
            failed: 1,
            notices: 1,
            rectified: 1,
            recheck_failed: 0,
            vetoes: 0,
            fee_rate,
        }
    }

    /// The published key order: `fee_rate` first among the period's figures, last in each
    /// past period's; `period` only in the history. Changing it changes every document.
    #[test]
    fn keys_come_in_the_published_order() {
        let companies = [("CO01".to_string(), "和平物业".to_string())];
        let report = CompanyReport::new(
            &companies,
            vec![vec![record("2026H1", Some(dec!(86.705)))], vec![record("2025H2", None)]],
        );
        let v = serde_json::to_value(&report).unwrap();
        let company = &v["companies"][0];
        let keys: Vec<&str> = company.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "company_id",
                "name",
                "fee_rate",
                "compounds",
                "score",
                "passed",
                "failed",
                "notices",
                "rectified",
                "recheck_failed",
                "vetoes",
                "history"
            ]
        );
        // 91.255 and 86.705 are rounded to two decimals as strings.
        assert_eq!(company["score"], "91.26");
        assert_eq!(company["fee_rate"], "86.71");
        let past = &company["history"][0];
        let keys: Vec<&str> = past.as_object().unwrap().keys().map(String::as_str).collect();
        assert_eq!(keys.first(), Some(&"period"));
        assert_eq!(keys.last(), Some(&"fee_rate"));
        assert_eq!(past["period"], "2025H2");
        assert!(past["fee_rate"].is_null());
    }
}
