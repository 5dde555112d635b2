//! The registry: streets, communities, compounds, companies, contracts and titles (DESIGN §2),
//! with the lookups every command needs. Each record keeps the line it came from so that
//! `check` can point at it.

use std::collections::HashMap;

use chrono::NaiveDate;
use rust_decimal::Decimal;

#[derive(Debug, Clone)]
pub struct Street {
    pub id: String,
    pub name: String,
    pub line: u64,
}

#[derive(Debug, Clone)]
pub struct Community {
    pub id: String,
    pub street_id: String,
    pub name: String,
    pub line: u64,
}

#[derive(Debug, Clone)]
pub struct Compound {
    pub id: String,
    pub community_id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub households: u64,
    pub area_m2: Decimal,
    pub buildings: u64,
    pub line: u64,
}

#[derive(Debug, Clone)]
pub struct Company {
    pub id: String,
    pub name: String,
    pub line: u64,
}

/// A service agreement signed by the residents' committee (社区签). `end` is inclusive.
#[derive(Debug, Clone)]
pub struct Contract {
    pub compound_id: String,
    pub company_id: String,
    pub service_grade: u8,
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub line: u64,
}

impl Contract {
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// A 美丽社区 title held by a community, valid `awarded_on..=valid_until`.
#[derive(Debug, Clone)]
pub struct Title {
    pub community_id: String,
    pub title: String,
    pub awarded_on: NaiveDate,
    pub valid_until: NaiveDate,
    pub line: u64,
}

impl Title {
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.awarded_on <= date && date <= self.valid_until
    }
}

/// Everything under `data/registry/`, with id indexes. Records stay in file order; indexes
/// keep the first record of a duplicated id (duplicates are reported by `check`).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    pub streets: Vec<Street>,
    pub communities: Vec<Community>,
    pub compounds: Vec<Compound>,
    pub companies: Vec<Company>,
    pub contracts: Vec<Contract>,
    pub titles: Vec<Title>,
    street_ix: HashMap<String, usize>,
    community_ix: HashMap<String, usize>,
    compound_ix: HashMap<String, usize>,
    company_ix: HashMap<String, usize>,
    /// Contracts of each compound, sorted by start.
    contracts_of: HashMap<String, Vec<usize>>,
    /// Contracts of each compound by its index in `compounds`, sorted by start.
    contracts_by_ix: Vec<Vec<usize>>,
}

impl Registry {
    /// Build the indexes over loaded records.
    pub fn new(
        streets: Vec<Street>,
        communities: Vec<Community>,
        compounds: Vec<Compound>,
        companies: Vec<Company>,
        contracts: Vec<Contract>,
        titles: Vec<Title>,
    ) -> Registry {
        fn index<T>(v: &[T], id: impl Fn(&T) -> &str) -> HashMap<String, usize> {
            let mut m = HashMap::new();
            for (i, r) in v.iter().enumerate() {
                m.entry(id(r).to_string()).or_insert(i);
            }
            m
        }
        let mut contracts_of: HashMap<String, Vec<usize>> = HashMap::new();
        for (i, c) in contracts.iter().enumerate() {
            contracts_of.entry(c.compound_id.clone()).or_default().push(i);
        }
        for list in contracts_of.values_mut() {
            list.sort_by_key(|&i| (contracts[i].start, contracts[i].end));
        }
        let compound_ix = index(&compounds, |c| &c.id);
        let contracts_by_ix = compounds
            .iter()
            .map(|c| contracts_of.get(&c.id).cloned().unwrap_or_default())
            .collect();
        Registry {
            contracts_by_ix,
            street_ix: index(&streets, |s| &s.id),
            community_ix: index(&communities, |c| &c.id),
            compound_ix,
            company_ix: index(&companies, |c| &c.id),
            contracts_of,
            streets,
            communities,
            compounds,
            companies,
            contracts,
            titles,
        }
    }

    pub fn street(&self, id: &str) -> Option<&Street> {
        self.street_ix.get(id).map(|&i| &self.streets[i])
    }

    pub fn community(&self, id: &str) -> Option<&Community> {
        self.community_ix.get(id).map(|&i| &self.communities[i])
    }

    pub fn compound(&self, id: &str) -> Option<&Compound> {
        self.compound_ix.get(id).map(|&i| &self.compounds[i])
    }

    /// Position of a compound in `compounds` (its interned index).
    pub fn compound_index(&self, id: &str) -> Option<usize> {
        self.compound_ix.get(id).copied()
    }

    pub fn company(&self, id: &str) -> Option<&Company> {
        self.company_ix.get(id).map(|&i| &self.companies[i])
    }

    /// The contracts of a compound, earliest first.
    pub fn contracts_of<'a>(&'a self, compound_id: &str) -> impl Iterator<Item = &'a Contract> + 'a {
        self.contracts_of
            .get(compound_id)
            .into_iter()
            .flatten()
            .map(|&i| &self.contracts[i])
    }

    /// The contract in force on a date for the compound at `index` in `compounds`.
    pub fn contract_on_ix(&self, index: usize, date: NaiveDate) -> Option<&Contract> {
        self.contracts_by_ix
            .get(index)?
            .iter()
            .map(|&i| &self.contracts[i])
            .find(|c| c.in_force(date))
    }

    /// The contract in force for a compound on a date (contracts may not overlap).
    pub fn contract_on(&self, compound_id: &str, date: NaiveDate) -> Option<&Contract> {
        self.contracts_of(compound_id).find(|c| c.in_force(date))
    }

    /// The street a compound belongs to, through its community.
    pub fn street_of_compound(&self, compound: &Compound) -> Option<&Street> {
        self.community(&compound.community_id)
            .and_then(|c| self.street(&c.street_id))
    }

    /// A title of the community valid on `date`, if any.
    pub fn title_on(&self, community_id: &str, date: NaiveDate) -> Option<&Title> {
        self.titles
            .iter()
            .find(|t| t.community_id == community_id && t.valid_on(date))
    }
}
