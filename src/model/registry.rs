//! The registry: streets, communities, compounds, companies, contracts and titles (DESIGN §2),
//! with the lookups every command needs. Each record keeps the line it came from so that
//! `check` can point at it.

use std::sync::Arc;

use chrono::NaiveDate;
use rust_i18n::t;

use crate::engine::compound_table::{CompoundTable, ContractsOf, GradeOn, AHEAD};
use crate::error::{Error, Result};
use rust_decimal::Decimal;

/// A street office's area (街道), the registry's top level.
#[derive(Debug, Clone)]
pub struct Street {
    /// The street's id, as other tables name it.
    pub id: String,
    /// The street's name, printed on reports.
    pub name: String,
    /// Line in the streets file, for diagnostics.
    pub line: u64,
}

/// A residents' committee's area (社区), within one street.
#[derive(Debug, Clone)]
pub struct Community {
    /// The community's id, as other tables name it.
    pub id: String,
    /// The street it lies in.
    pub street_id: Arc<str>,
    /// The community's name, printed on reports.
    pub name: String,
    /// Line in the communities file, for diagnostics.
    pub line: u64,
}

/// An old residential compound (小区), the unit that is inspected and scored.
#[derive(Debug, Clone)]
pub struct Compound {
    /// The compound's id, as the store and other tables name it.
    pub id: Arc<str>,
    /// The community it lies in.
    pub community_id: Arc<str>,
    /// The compound's name, printed on reports.
    pub name: Arc<str>,
    /// Other names it goes by on sheets, for import to recognise.
    pub aliases: Vec<String>,
    /// Households living there (a selection's quorum and majority count them).
    pub households: u64,
    /// Its floor area in m² (subsidies are paid per m², selections count it).
    pub area_m2: Decimal,
    /// Its number of buildings.
    pub buildings: u64,
    /// Line in the compounds file, for diagnostics.
    pub line: u64,
}

/// A property company that may serve compounds.
#[derive(Debug, Clone)]
pub struct Company {
    /// The company's id, as contracts and selections name it.
    pub id: Arc<str>,
    /// The company's name, printed on reports.
    pub name: String,
    /// Line in the companies file, for diagnostics.
    pub line: u64,
}

/// A service agreement signed by the residents' committee (社区签). `end` is inclusive.
#[derive(Debug, Clone)]
pub struct Contract {
    /// Shared with the compound's record once the registry is built.
    pub compound_id: Arc<str>,
    /// Shared with the company's record once the registry is built.
    pub company_id: Arc<str>,
    /// The service grade agreed (1, 2 or 3): which items apply and the subsidy rate.
    pub service_grade: u8,
    /// The first day in force.
    pub start: NaiveDate,
    /// The last day in force (inclusive).
    pub end: NaiveDate,
    /// Line in the contracts file, for diagnostics.
    pub line: u64,
}

impl Contract {
    /// Whether the contract is in force on `date` (both ends included).
    pub fn in_force(&self, date: NaiveDate) -> bool {
        self.start <= date && date <= self.end
    }
}

/// A 美丽社区 title held by a community, valid `awarded_on..=valid_until`.
#[derive(Debug, Clone)]
pub struct Title {
    /// The community holding the title.
    pub community_id: String,
    /// The title's name.
    pub title: String,
    /// The day it was awarded.
    pub awarded_on: NaiveDate,
    /// The last day it is valid (inclusive).
    pub valid_until: NaiveDate,
    /// Line in the titles file, for diagnostics.
    pub line: u64,
}

impl Title {
    /// Whether the title is valid on `date` (both ends included).
    pub fn valid_on(&self, date: NaiveDate) -> bool {
        self.awarded_on <= date && date <= self.valid_until
    }
}

/// Ids → positions in a record list, without copying the ids: the table holds positions and
/// hashes the records' own ids (a national registry has hundreds of thousands of them).
#[derive(Debug, Clone, Default)]
struct IdIndex(hashbrown::HashTable<u32>);

fn hash_id(id: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6f6c_6465_7374_6174).hash_one(id)
}

impl IdIndex {
    /// Index `records` by `id`; a duplicated id keeps its first record.
    fn build<T>(records: &[T], id: impl Fn(&T) -> &str) -> IdIndex {
        let mut table = hashbrown::HashTable::with_capacity(records.len());
        for (i, r) in records.iter().enumerate() {
            let key = id(r);
            let Ok(pos) = u32::try_from(i) else { break };
            if let hashbrown::hash_table::Entry::Vacant(v) = table.entry(
                hash_id(key),
                |&j: &u32| id(&records[j as usize]) == key,
                |&j: &u32| hash_id(id(&records[j as usize])),
            ) {
                v.insert(pos);
            }
        }
        IdIndex(table)
    }

    fn get<T>(&self, records: &[T], id: impl Fn(&T) -> &str, key: &str) -> Option<usize> {
        self.0
            .find(hash_id(key), |&j| id(&records[j as usize]) == key)
            .map(|&j| j as usize)
    }
}

/// The registry's tables as read, in [`Registry::new`]'s order: streets, communities,
/// compounds, companies, contracts, titles.
pub type Tables = (
    Vec<Street>,
    Vec<Community>,
    Vec<Compound>,
    Vec<Company>,
    Vec<Contract>,
    Vec<Title>,
);

/// Everything under `data/registry/`, with id indexes. Records stay in file order; indexes
/// keep the first record of a duplicated id (duplicates are reported by `check`).
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// Every street, in file order.
    pub streets: Vec<Street>,
    /// Every community, in file order.
    pub communities: Vec<Community>,
    /// Every compound, in file order (the order reports list them in).
    pub compounds: Vec<Compound>,
    /// Every company, in file order.
    pub companies: Vec<Company>,
    /// Every contract, in file order, their ids shared with their compound and company.
    pub contracts: Vec<Contract>,
    /// Every title, in file order.
    pub titles: Vec<Title>,
    street_ix: IdIndex,
    community_ix: IdIndex,
    compound_ix: CompoundTable,
    company_ix: IdIndex,
    /// The contracts of compound `i`, sorted by start, are
    /// `contract_list[contract_start[i]..contract_start[i + 1]]` (positions in `contracts`).
    contract_start: Vec<u32>,
    contract_list: Vec<u32>,
    /// The position of each contract's compound, `u32::MAX` when it is not registered.
    contract_owner: Vec<u32>,
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
        let mut compounds = compounds;
        compounds.shrink_to_fit();
        let mut reg = Registry::indexes(streets, communities, &compounds, companies, contracts, titles);
        reg.compounds = compounds;
        reg
    }

    /// [`Registry::new`] of `tables`, running `beside` over the compounds on a second thread
    /// while the indexes are built (a check of the compounds alone need not wait for them).
    pub fn new_beside<R: Send>(tables: Tables, beside: impl FnOnce(&[Compound]) -> R + Send) -> (Registry, R) {
        let (streets, communities, mut compounds, companies, contracts, titles) = tables;
        compounds.shrink_to_fit();
        let (mut reg, r) = std::thread::scope(|s| {
            let compounds = &compounds;
            let r = s.spawn(move || beside(compounds));
            let reg = Registry::indexes(streets, communities, compounds, companies, contracts, titles);
            (reg, r.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        reg.compounds = compounds;
        (reg, r)
    }

    /// The registry of every table but the compounds (left empty), its indexes built over
    /// `compounds` (the positions the compound table gives are theirs).
    fn indexes(
        mut streets: Vec<Street>,
        mut communities: Vec<Community>,
        compounds: &[Compound],
        mut companies: Vec<Company>,
        mut contracts: Vec<Contract>,
        mut titles: Vec<Title>,
    ) -> Registry {
        streets.shrink_to_fit();
        communities.shrink_to_fit();
        companies.shrink_to_fit();
        contracts.shrink_to_fit();
        titles.shrink_to_fit();
        let mut compound_ix = CompoundTable::build(compounds.iter().map(|c| &*c.id));
        let contract_owner = contract_owners(&compound_ix, compounds, &contracts);
        let company_ix = IdIndex::build(&companies, |c| &c.id);
        share_ids(&mut contracts, &contract_owner, compounds, &companies, &company_ix);
        let (contract_start, mut contract_list) = group_by_compound(&contract_owner, compounds.len());
        let summary = summarize_contracts(&contract_start, &mut contract_list, &contracts);
        compound_ix.set_contracts(|i| summary.get(i).copied().unwrap_or(ContractsOf::None));
        Registry {
            street_ix: IdIndex::build(&streets, |s| &s.id),
            community_ix: IdIndex::build(&communities, |c| &c.id),
            compound_ix,
            company_ix,
            contract_start,
            contract_list,
            contract_owner: contract_owner
                .iter()
                .map(|o| o.and_then(|i| u32::try_from(i).ok()).unwrap_or(u32::MAX))
                .collect(),
            streets,
            communities,
            compounds: Vec::new(),
            companies,
            contracts,
            titles,
        }
    }

    /// The street with this id.
    pub fn street(&self, id: &str) -> Option<&Street> {
        let i = self.street_ix.get(&self.streets, |s| &s.id, id)?;
        Some(&self.streets[i])
    }

    /// The community with this id.
    pub fn community(&self, id: &str) -> Option<&Community> {
        Some(&self.communities[self.community_index(id)?])
    }

    /// Position of a community in `communities`.
    pub fn community_index(&self, id: &str) -> Option<usize> {
        self.community_ix.get(&self.communities, |c| &c.id, id)
    }

    /// Position of a street in `streets`.
    pub fn street_index(&self, id: &str) -> Option<usize> {
        self.street_ix.get(&self.streets, |s| &s.id, id)
    }

    /// The compound with this id (one probe of the compound table).
    pub fn compound(&self, id: &str) -> Option<&Compound> {
        Some(&self.compounds[self.compound_index(id)?])
    }

    /// A compound by what people type: its id, else its name or one of its aliases (trimmed).
    /// A name several compounds answer to is an error listing them; an unknown one names the
    /// nearest names and ids.
    pub fn resolve_compound(&self, who: &str) -> Result<&Compound> {
        let who = who.trim();
        if let Some(c) = self.compound(who) {
            return Ok(c);
        }
        let named = |c: &Compound| c.name.trim() == who || c.aliases.iter().any(|a| a.trim() == who);
        match unique(&self.compounds, who, named)? {
            Some(c) => Ok(c),
            None => Err(unknown(who, &t!("registry.kind_compound"), &self.compounds)),
        }
    }

    /// A street by what people type: its id, its name, or its name without the trailing 街 /
    /// 街道 or with 街道办事处 (`劝业场`, `劝业场街道`, `劝业场街道办事处` → 劝业场街), trimmed.
    /// A name several streets answer to is an error listing them; an unknown one names the
    /// nearest names and ids.
    pub fn resolve_street(&self, who: &str) -> Result<&Street> {
        let who = who.trim();
        if let Some(s) = self.street(who) {
            return Ok(s);
        }
        if let Some(s) = unique(&self.streets, who, |s| s.name.trim() == who)? {
            return Ok(s);
        }
        let stem = street_stem(who);
        if let Some(s) = unique(&self.streets, who, |s| street_stem(s.name.trim()) == stem)? {
            return Ok(s);
        }
        Err(unknown(who, &t!("registry.kind_street"), &self.streets))
    }

    /// A community by what people type: its id or its name, trimmed. A name several
    /// communities answer to is an error listing them; an unknown one names the nearest names
    /// and ids.
    pub fn resolve_community(&self, who: &str) -> Result<&Community> {
        let who = who.trim();
        if let Some(c) = self.community(who) {
            return Ok(c);
        }
        match unique(&self.communities, who, |c| c.name.trim() == who)? {
            Some(c) => Ok(c),
            None => Err(unknown(who, &t!("registry.kind_community"), &self.communities)),
        }
    }

    /// A company by what people type: its id, its full name, or a short name that exactly one
    /// company's name contains (`劝业场物业` → 天津市劝业场物业服务有限公司), trimmed. A short
    /// name several companies' names contain is an error listing them; an unknown one names
    /// the nearest names and ids.
    pub fn resolve_company(&self, who: &str) -> Result<&Company> {
        let who = who.trim();
        if let Some(c) = self.company(who) {
            return Ok(c);
        }
        if let Some(c) = unique(&self.companies, who, |c| c.name.trim() == who)? {
            return Ok(c);
        }
        if !who.is_empty() {
            if let Some(c) = unique(&self.companies, who, |c| c.name.contains(who))? {
                return Ok(c);
            }
        }
        Err(unknown(who, &t!("registry.kind_company"), &self.companies))
    }

    /// Each compound whose id an earlier compound has, with that earlier (first) compound, in
    /// file order: positions in `compounds`.
    pub fn duplicate_compounds(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.compound_ix.duplicates()
    }

    /// Position of a compound in `compounds` (its interned index).
    pub fn compound_index(&self, id: &str) -> Option<usize> {
        self.compound_ix.get(id, |i| self.compounds.get(i).map(|c| &*c.id))
    }

    /// [`Registry::compound_index`], trying `guess` first (a position found before, or the
    /// next in registry order): the compound there when it is `id`, else looked up.
    #[inline]
    pub fn compound_index_from(&self, guess: Option<usize>, id: &str) -> Option<usize> {
        match guess.and_then(|i| Some((i, self.compounds.get(i)?))) {
            Some((i, c)) if *c.id == *id => Some(i),
            _ => self.compound_index(id),
        }
    }

    /// The company with this id.
    pub fn company(&self, id: &str) -> Option<&Company> {
        let i = self.company_ix.get(&self.companies, |c| &c.id, id)?;
        Some(&self.companies[i])
    }

    /// The contracts of a compound, earliest first.
    pub fn contracts_of<'a>(&'a self, compound_id: &str) -> impl Iterator<Item = &'a Contract> + 'a {
        let list = self
            .compound_index(compound_id)
            .map_or(&[][..], |i| self.contract_positions(i));
        list.iter().map(|&k| &self.contracts[k as usize])
    }

    /// The position in `compounds` of the compound of `contracts[k]`, when it is registered.
    pub fn contract_compound_index(&self, k: usize) -> Option<usize> {
        self.contract_owner
            .get(k)
            .filter(|&&i| i != u32::MAX)
            .map(|&i| i as usize)
    }

    /// The contracts of the compound at `index` in `compounds`, earliest first.
    pub fn contracts_of_ix(&self, index: usize) -> impl Iterator<Item = &Contract> + '_ {
        self.contract_positions(index)
            .iter()
            .map(|&k| &self.contracts[k as usize])
    }

    /// Positions in `contracts` of the contracts of the compound at `index`, earliest first.
    fn contract_positions(&self, index: usize) -> &[u32] {
        match (self.contract_start.get(index), self.contract_start.get(index + 1)) {
            (Some(&a), Some(&b)) => &self.contract_list[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The position of a compound and the service grade of its contract in force on `date`:
    /// one lookup, for the store scan's every visit.
    pub fn compound_and_grade(&self, id: &str, date: NaiveDate) -> Option<(usize, Option<u8>)> {
        let id_of = |i: usize| self.compounds.get(i).map(|c| &*c.id);
        let (i, grade) = self.compound_ix.get_with_grade(id, date, id_of)?;
        let grade = match grade {
            GradeOn::Grade(g) => Some(g),
            GradeOn::None => None,
            GradeOn::Ask => self.contract_on_ix(i, date).map(|k| k.service_grade),
        };
        Some((i, grade))
    }

    /// Start fetching what [`Registry::compound_and_grade`] will read for `id`.
    pub fn prefetch_compound(&self, id: &[u8]) {
        self.compound_ix.prefetch(id);
    }

    /// The contract in force on a date for the compound at `index` in `compounds`.
    pub fn contract_on_ix(&self, index: usize, date: NaiveDate) -> Option<&Contract> {
        self.contract_positions(index)
            .iter()
            .map(|&k| &self.contracts[k as usize])
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

/// A street's name as people shorten or lengthen it: without a trailing 街道办事处, 街道 or 街
/// (the first that leaves something).
fn street_stem(name: &str) -> &str {
    ["街道办事处", "街道", "街"]
        .iter()
        .find_map(|suffix| name.strip_suffix(suffix).filter(|s| !s.is_empty()))
        .unwrap_or(name)
}

/// A record people name: by its id, or by its name.
trait Named {
    /// The record's id.
    fn id(&self) -> &str;
    /// The record's name.
    fn name(&self) -> &str;
}

impl Named for Street {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Community {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Compound {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

impl Named for Company {
    fn id(&self) -> &str {
        &self.id
    }
    fn name(&self) -> &str {
        &self.name
    }
}

/// The one record `matches` picks out, or none; several are an error naming each with its id.
fn unique<'a, T: Named>(records: &'a [T], who: &str, matches: impl Fn(&T) -> bool) -> Result<Option<&'a T>> {
    let found: Vec<&T> = records.iter().filter(|r| matches(r)).collect();
    match found[..] {
        [] => Ok(None),
        [one] => Ok(Some(one)),
        _ => {
            const SHOWN: usize = 5;
            let named: Vec<String> = found
                .iter()
                .take(SHOWN)
                .map(|r| format!("{} {}", r.id(), r.name()))
                .collect();
            let more = if found.len() > SHOWN {
                t!("registry.ambiguous_more", n => found.len()).into_owned()
            } else {
                String::new()
            };
            let list = named.join(&t!("registry.sep"));
            Err(Error::msg(
                t!("registry.ambiguous", who => who, list => list, more => more),
            ))
        }
    }
}

/// `没有名为「X」的街道（是否为「劝业场街（S01）」？）`: the nearest records by name or by id
/// ([`crate::suggest::nearest`] over both), each once; with no near one, a short list names
/// every record.
fn unknown<T: Named>(who: &str, kind: &str, records: &[T]) -> Error {
    let labels: Vec<(&str, &str)> = records.iter().map(|r| (r.id(), r.name())).collect();
    let shown = |&(id, name): &(&str, &str)| t!("registry.shown", name => name, id => id).into_owned();
    let words = labels.iter().flat_map(|&(id, name)| [id, name]);
    let mut near: Vec<usize> = Vec::new();
    for word in crate::suggest::nearest(who, words) {
        let at = labels.iter().position(|&(id, name)| id == word || name == word);
        if let Some(i) = at.filter(|i| !near.contains(i)) {
            near.push(i);
        }
    }
    let hint = if !near.is_empty() {
        let named: Vec<String> = near.iter().map(|&i| shown(&labels[i])).collect();
        t!("suggest.did_you_mean", names => named.join(&t!("suggest.or"))).into_owned()
    } else if !labels.is_empty() && labels.len() <= 10 {
        let named: Vec<String> = labels.iter().map(shown).collect();
        t!("registry.existing", names => named.join(&t!("registry.sep"))).into_owned()
    } else {
        String::new()
    };
    Error::msg(t!("registry.no_such", who => who, kind => kind, hint => hint))
}

/// Each contract's compound (its position), or none for a contract of an unknown compound:
/// those are left out of the compound's list (`check` reports them).
fn contract_owners(compound_ix: &CompoundTable, compounds: &[Compound], contracts: &[Contract]) -> Vec<Option<usize>> {
    let id_of = |i: usize| compounds.get(i).map(|c| &*c.id);
    contracts
        .iter()
        .enumerate()
        .map(|(k, c)| {
            if let Some(ahead) = contracts.get(k + AHEAD) {
                compound_ix.prefetch(ahead.compound_id.as_bytes());
            }
            compound_ix.get(&c.compound_id, id_of)
        })
        .collect()
}

/// Contracts share their compound's and company's id (one string each, not one per
/// contract).
fn share_ids(
    contracts: &mut [Contract],
    contract_owner: &[Option<usize>],
    compounds: &[Compound],
    companies: &[Company],
    company_ix: &IdIndex,
) {
    for (k, o) in contracts.iter_mut().zip(contract_owner) {
        if let Some(i) = *o {
            k.compound_id = Arc::clone(&compounds[i].id);
        }
        if let Some(j) = company_ix.get(companies, |c| &c.id, &k.company_id) {
            k.company_id = Arc::clone(&companies[j].id);
        }
    }
}

/// The contracts of each compound in one flat list: compound `i`'s are
/// `list[start[i]..start[i + 1]]`, in file order. Returns `(start, list)`.
fn group_by_compound(contract_owner: &[Option<usize>], compounds: usize) -> (Vec<u32>, Vec<u32>) {
    let mut contract_start = vec![0u32; compounds + 1];
    for &i in contract_owner.iter().flatten() {
        contract_start[i + 1] += 1;
    }
    for i in 0..compounds {
        contract_start[i + 1] += contract_start[i];
    }
    let mut fill = contract_start.clone();
    let mut contract_list = vec![0u32; contract_start[compounds] as usize];
    for (k, o) in contract_owner.iter().enumerate() {
        if let (Some(i), Ok(k)) = (*o, u32::try_from(k)) {
            contract_list[fill[i] as usize] = k;
            fill[i] += 1;
        }
    }
    (contract_start, contract_list)
}

/// Sort each compound's contracts by start, and say what its slot in the compound table holds
/// of them (gathered in compound order, then handed to the table in its own order).
fn summarize_contracts(contract_start: &[u32], contract_list: &mut [u32], contracts: &[Contract]) -> Vec<ContractsOf> {
    (0..contract_start.len() - 1)
        .map(|i| {
            let list = &mut contract_list[contract_start[i] as usize..contract_start[i + 1] as usize];
            list.sort_by_key(|&k| (contracts[k as usize].start, contracts[k as usize].end));
            match list {
                [] => ContractsOf::None,
                [k] => {
                    let c = &contracts[*k as usize];
                    ContractsOf::One {
                        start: c.start,
                        end: c.end,
                        grade: c.service_grade,
                    }
                }
                _ => ContractsOf::Many,
            }
        })
        .collect()
}

/// Registry positions of compound ids that mostly come in registry order (results always do;
/// fee rows and notices as files and passes list them): the position after the last one found
/// is tried first, then the registry's index. The same answers as
/// [`Registry::compound_index`], with one comparison instead of a hash lookup in the usual case.
pub struct Positions<'r> {
    reg: &'r Registry,
    next: usize,
}

impl<'r> Positions<'r> {
    /// Positions looked up in `reg`, the first expected at its start.
    pub fn new(reg: &'r Registry) -> Positions<'r> {
        Positions { reg, next: 0 }
    }

    /// The registry position of `compound_id`, if registered.
    pub fn of(&mut self, compound_id: &str) -> Option<usize> {
        let i = self.reg.compound_index_from(Some(self.next), compound_id)?;
        self.next = i + 1;
        Some(i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compound(id: &str, line: u64) -> Compound {
        Compound {
            id: id.into(),
            community_id: "K1".into(),
            name: format!("{id}小区").into(),
            aliases: Vec::new(),
            households: 1,
            area_m2: Decimal::ONE,
            buildings: 1,
            line,
        }
    }

    fn contract(compound_id: &str, start: &str, end: &str, grade: u8, line: u64) -> Contract {
        Contract {
            compound_id: compound_id.into(),
            company_id: "CO1".into(),
            service_grade: grade,
            start: crate::model::parse_date(start).unwrap(),
            end: crate::model::parse_date(end).unwrap(),
            line,
        }
    }

    #[test]
    fn contracts_go_to_the_first_compound_of_an_id_and_unknown_ones_to_none() {
        let reg = Registry::new(
            Vec::new(),
            Vec::new(),
            vec![compound("P1", 2), compound("P2", 3), compound("P1", 4)],
            vec![Company {
                id: "CO1".into(),
                name: "物业".into(),
                line: 2,
            }],
            vec![
                contract("P1", "2026-07-01", "2026-12-31", 2, 2),
                contract("P9", "2026-01-01", "2026-12-31", 1, 3),
                contract("P1", "2026-01-01", "2026-06-30", 1, 4),
            ],
            Vec::new(),
        );
        assert_eq!(reg.compound_index("P1"), Some(0));
        assert_eq!(reg.compound_index("P9"), None);
        assert_eq!(reg.contract_compound_index(0), Some(0));
        assert_eq!(reg.contract_compound_index(1), None);
        assert_eq!(reg.contract_compound_index(2), Some(0));
        // Earliest first, whatever the file order; the duplicate's own list is empty.
        let lines: Vec<u64> = reg.contracts_of_ix(0).map(|k| k.line).collect();
        assert_eq!(lines, [4, 2]);
        assert_eq!(reg.contracts_of_ix(2).count(), 0);
        assert_eq!(reg.contracts_of("P9").count(), 0);
        // Two contracts: the lookup asks the list, and gets the one in force.
        let day = |s: &str| crate::model::parse_date(s).unwrap();
        assert_eq!(reg.compound_and_grade("P1", day("2026-03-01")), Some((0, Some(1))));
        assert_eq!(reg.compound_and_grade("P1", day("2026-08-01")), Some((0, Some(2))));
        assert_eq!(reg.compound_and_grade("P2", day("2026-08-01")), Some((1, None)));
        // Contracts share their compound's and company's id.
        assert!(Arc::ptr_eq(&reg.contracts[0].compound_id, &reg.compounds[0].id));
        assert!(Arc::ptr_eq(&reg.contracts[0].company_id, &reg.companies[0].id));
    }

    /// Two streets, three communities, three compounds (two 永和里 in name or alias) and
    /// three companies (two 劝业场 companies).
    fn named() -> Registry {
        let street = |id: &str, name: &str| Street {
            id: id.into(),
            name: name.into(),
            line: 2,
        };
        let community = |id: &str, name: &str| Community {
            id: id.into(),
            street_id: "S01".into(),
            name: name.into(),
            line: 2,
        };
        let company = |id: &str, name: &str| Company {
            id: id.into(),
            name: name.into(),
            line: 2,
        };
        let mut compounds = vec![compound("P1", 2), compound("P2", 3), compound("P3", 4)];
        compounds[0].name = "永和里".into();
        compounds[1].name = "永安里".into();
        compounds[1].aliases = vec!["永和里".into()];
        compounds[2].name = "泰安道大楼".into();
        compounds[2].aliases = vec!["泰安大楼".into()];
        Registry::new(
            vec![street("S01", "劝业场街"), street("S02", "小白楼街")],
            vec![
                community("C01", "花园社区"),
                community("C02", "滨西社区"),
                community("C03", "花园社区"),
            ],
            compounds,
            vec![
                company("CO01", "天津市劝业场物业服务有限公司"),
                company("CO02", "天津市劝业场物业管理有限公司"),
                company("CO03", "天津市小白楼物业管理有限公司"),
            ],
            Vec::new(),
            Vec::new(),
        )
    }

    fn err<T: std::fmt::Debug>(r: Result<T>) -> String {
        r.unwrap_err().to_string()
    }

    #[test]
    fn a_street_by_id_name_or_the_name_people_say() {
        let reg = named();
        for who in [
            "S01",
            " S01 ",
            "劝业场街",
            "劝业场",
            "劝业场街道",
            "劝业场街道办事处",
            " 劝业场 ",
        ] {
            assert_eq!(reg.resolve_street(who).unwrap().id, "S01", "{who}");
        }
        assert_eq!(reg.resolve_street("小白楼").unwrap().id, "S02");
        assert_eq!(
            err(reg.resolve_street("劝业厂街")),
            "no street named \"劝业厂街\" (did you mean \"劝业场街\" (S01)?)"
        );
        assert_eq!(
            err(reg.resolve_street("S9")),
            // Nothing near: a short list names every street.
            "no street named \"S9\" (known: \"劝业场街\" (S01), \"小白楼街\" (S02))"
        );
    }

    #[test]
    fn a_community_by_id_or_name_and_a_shared_name_lists_both() {
        let reg = named();
        assert_eq!(reg.resolve_community("C02").unwrap().id, "C02");
        assert_eq!(reg.resolve_community(" 滨西社区").unwrap().id, "C02");
        assert_eq!(
            err(reg.resolve_community("花园社区")),
            "\"花园社区\" is ambiguous: it may mean C01 花园社区, C03 花园社区; use the id"
        );
        assert!(err(reg.resolve_community("滨西")).contains("\"滨西社区\" (C02)"));
    }

    #[test]
    fn a_compound_by_id_name_or_alias() {
        let reg = named();
        assert_eq!(&*reg.resolve_compound("P3").unwrap().id, "P3");
        assert_eq!(&*reg.resolve_compound("泰安道大楼").unwrap().id, "P3");
        assert_eq!(&*reg.resolve_compound("泰安大楼 ").unwrap().id, "P3");
        // P1's name is P2's alias: the name does not pick one of them.
        assert_eq!(
            err(reg.resolve_compound("永和里")),
            "\"永和里\" is ambiguous: it may mean P1 永和里, P2 永安里; use the id"
        );
        assert!(err(reg.resolve_compound("泰安道"))
            .starts_with("no compound named \"泰安道\" (did you mean \"泰安道大楼\" (P3)"));
    }

    #[test]
    fn a_company_by_id_full_name_or_a_short_name_of_its_own() {
        let reg = named();
        assert_eq!(&*reg.resolve_company("CO03").unwrap().id, "CO03");
        assert_eq!(
            &*reg.resolve_company("天津市劝业场物业管理有限公司").unwrap().id,
            "CO02"
        );
        assert_eq!(&*reg.resolve_company("小白楼物业").unwrap().id, "CO03");
        assert_eq!(&*reg.resolve_company("劝业场物业服务").unwrap().id, "CO01");
        assert_eq!(
            err(reg.resolve_company("劝业场物业")),
            "\"劝业场物业\" is ambiguous: it may mean CO01 天津市劝业场物业服务有限公司, CO02 天津市劝业场物业管理有限公司; use the id"
        );
        assert!(err(reg.resolve_company("CO9")).starts_with("no company named \"CO9\" (did you mean \""));
        assert!(err(reg.resolve_company("小百楼物业公司")).contains("\"天津市小白楼物业管理有限公司\" (CO03)"));
        assert!(err(reg.resolve_company("  ")).starts_with("no company named \"\""));
    }
}
