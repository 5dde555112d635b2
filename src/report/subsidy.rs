//! `subsidy`'s JSON (DESIGN §11): the totals, then the amounts by street, compound and company.

use std::collections::BTreeMap;

use rust_decimal::Decimal;
use serde::Serialize;

use crate::domain::subsidy::{CompoundSubsidy, StreetSubsidy, SubsidyReport};
use crate::model::decimal::fmt2;
use crate::model::registry::Registry;

/// The subsidy document's own fields, in their order (money as `"1234.50"`).
#[derive(Debug, Serialize)]
pub struct Subsidy<'a> {
    /// The budget capping the total, or null when uncapped.
    pub budget: Option<String>,
    /// Whether the entitlements were scaled down to fit the budget.
    pub scaled: bool,
    /// What is paid, in all.
    pub total: String,
    /// What the outcomes withheld from the compounds' bases.
    pub withheld: String,
    /// Per street, in registry order.
    pub streets: Vec<Street>,
    /// Per compound.
    pub compounds: Vec<Compound<'a>>,
    /// Per company under contract.
    pub companies: Vec<Company>,
}

/// A street's payment.
#[derive(Debug, Serialize)]
pub struct Street {
    /// The street's id.
    pub street_id: String,
    /// The street's name.
    pub name: String,
    /// What the street's compounds are paid.
    pub amount: String,
    /// What their outcomes withheld.
    pub withheld: String,
    /// Their bases before outcomes.
    pub base: String,
    /// How many compounds had each outcome.
    pub outcomes: BTreeMap<String, u32>,
}

/// A compound's subsidy, from base to amount.
#[derive(Debug, Serialize)]
pub struct Compound<'a> {
    /// The compound's id.
    pub compound_id: &'a str,
    /// Its street.
    pub street_id: &'a str,
    /// The company under contract, or null.
    pub company_id: Option<&'a str>,
    /// Contract months in the period.
    pub months: u32,
    /// Area × rate × months.
    pub base: String,
    /// The outcome's coefficient.
    pub coefficient: String,
    /// The grade name or another coefficient key.
    pub outcome: &'a str,
    /// The fee collection rate in percent, or null without fee data.
    pub fee_rate: Option<String>,
    /// Whether the fee bonus was earned.
    pub bonus: bool,
    /// What the compound is entitled to before the budget.
    pub entitlement: String,
    /// What the outcome and the budget withheld.
    pub withheld: String,
    /// What is paid.
    pub amount: String,
}

/// A company's total.
#[derive(Debug, Serialize)]
pub struct Company {
    /// The company's id.
    pub company_id: String,
    /// Its name.
    pub name: String,
    /// What is paid for the compounds it serves.
    pub amount: String,
}

impl<'a> Subsidy<'a> {
    /// The document of a subsidy round (its as-of date is the document's header's).
    pub fn new(reg: &Registry, r: &'a SubsidyReport) -> Subsidy<'a> {
        Subsidy {
            budget: r.budget.map(fmt2),
            scaled: r.scaled,
            total: fmt2(r.total),
            withheld: fmt2(r.withheld()),
            streets: r.by_street(reg).into_iter().map(Street::from).collect(),
            compounds: r.compounds.iter().map(Compound::from).collect(),
            companies: r
                .by_company(reg)
                .into_iter()
                .map(|(company_id, name, amount)| Company {
                    company_id,
                    name,
                    amount: fmt2(amount),
                })
                .collect(),
        }
    }
}

impl From<StreetSubsidy> for Street {
    fn from(s: StreetSubsidy) -> Street {
        Street {
            street_id: s.street_id,
            name: s.name,
            amount: fmt2(s.amount),
            withheld: fmt2(s.withheld),
            base: fmt2(s.base),
            outcomes: s.outcomes,
        }
    }
}

impl<'a> From<&'a CompoundSubsidy> for Compound<'a> {
    fn from(c: &'a CompoundSubsidy) -> Compound<'a> {
        Compound {
            compound_id: &c.compound_id,
            street_id: &c.street_id,
            company_id: c.company_id.as_deref(),
            months: c.months,
            base: fmt2(c.base),
            coefficient: fmt2(c.coefficient),
            outcome: &c.outcome,
            fee_rate: c.fee_rate.map(|f| fmt2(f * Decimal::ONE_HUNDRED)),
            bonus: c.bonus,
            entitlement: fmt2(c.entitlement),
            withheld: fmt2(c.withheld()),
            amount: fmt2(c.amount),
        }
    }
}
