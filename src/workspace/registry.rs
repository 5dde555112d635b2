//! Loading `data/registry/*.csv` and checking the registry's own integrity: duplicate ids,
//! dangling references, impossible and overlapping contracts.

use rust_i18n::t;

use crate::error::{Diagnostics, Result};
use crate::model::registry::{Community, Company, Compound, Contract, Registry, Street, Title};
use crate::model::standards::SERVICE_GRADES;

use super::table::read_table;
use super::Workspace;

/// The registry's streets file, workspace-relative.
pub const STREETS: &str = "data/registry/streets.csv";
/// The registry's communities file.
pub const COMMUNITIES: &str = "data/registry/communities.csv";
/// The registry's compounds file.
pub const COMPOUNDS: &str = "data/registry/compounds.csv";
/// The registry's property companies file.
pub const COMPANIES: &str = "data/registry/companies.csv";
/// The registry's contracts file.
pub const CONTRACTS: &str = "data/registry/contracts.csv";
/// The registry's titles file (optional).
pub const TITLES: &str = "data/registry/titles.csv";

/// The columns the streets file must have (in any order; others are ignored).
pub const STREET_COLS: &[&str] = &["street_id", "name"];
/// The columns the communities file must have.
pub const COMMUNITY_COLS: &[&str] = &["community_id", "street_id", "name"];
/// The columns the compounds file must have.
pub const COMPOUND_COLS: &[&str] = &[
    "compound_id",
    "community_id",
    "name",
    "aliases",
    "households",
    "area_m2",
    "buildings",
];
/// The columns the companies file must have.
pub const COMPANY_COLS: &[&str] = &["company_id", "name"];
/// The columns the contracts file must have.
pub const CONTRACT_COLS: &[&str] = &["compound_id", "company_id", "service_grade", "start", "end"];
/// The columns the titles file must have.
pub const TITLE_COLS: &[&str] = &["community_id", "title", "awarded_on", "valid_until"];

fn read_compounds(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Compound>> {
    let mut compounds = Vec::new();
    // A community's compounds are listed together: they share its id's string.
    let mut community = None;
    read_table(ws, COMPOUNDS, COMPOUND_COLS, false, diags, |f| {
        let parsed = (
            f.id_arc(0),
            f.id_arc_after(1, &mut community),
            f.id_arc(2),
            f.count(4),
            f.amount(5),
            f.count(6),
        );
        if let (Some(id), Some(community_id), Some(name), Some(households), Some(area_m2), Some(buildings)) = parsed {
            let aliases = f
                .text_str(3)
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect();
            compounds.push(Compound {
                id,
                community_id,
                name,
                aliases,
                households,
                area_m2,
                buildings,
                line: f.line(),
            });
        }
    })?;
    Ok(compounds)
}

type Others = (Vec<Street>, Vec<Community>, Vec<Company>, Vec<Contract>, Vec<Title>);

/// Every registry table but the compounds.
fn read_others(ws: &Workspace, diags: &mut Diagnostics) -> Result<Others> {
    let streets = read_streets(ws, diags)?;
    let communities = read_communities(ws, diags)?;
    let companies = read_companies(ws, diags)?;
    let contracts = read_contracts(ws, diags)?;
    let titles = read_titles(ws, diags)?;
    Ok((streets, communities, companies, contracts, titles))
}

/// The streets table.
fn read_streets(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Street>> {
    let mut streets = Vec::new();
    read_table(ws, STREETS, STREET_COLS, false, diags, |f| {
        if let (Some(id), Some(name)) = (f.id(0), f.id(1)) {
            streets.push(Street {
                id,
                name,
                line: f.line(),
            });
        }
    })?;
    Ok(streets)
}

/// The communities table, each naming its street.
fn read_communities(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Community>> {
    let mut communities = Vec::new();
    read_table(ws, COMMUNITIES, COMMUNITY_COLS, false, diags, |f| {
        if let (Some(id), Some(street_id), Some(name)) = (f.id(0), f.id_arc(1), f.id(2)) {
            communities.push(Community {
                id,
                street_id,
                name,
                line: f.line(),
            });
        }
    })?;
    Ok(communities)
}

/// The property companies table.
fn read_companies(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Company>> {
    let mut companies = Vec::new();
    read_table(ws, COMPANIES, COMPANY_COLS, false, diags, |f| {
        if let (Some(id), Some(name)) = (f.id(0), f.id(1)) {
            companies.push(Company {
                id: id.into(),
                name,
                line: f.line(),
            });
        }
    })?;
    Ok(companies)
}

/// The contracts table: a service grade of 1, 2 or 3, and an end no earlier than the start.
fn read_contracts(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Contract>> {
    let mut contracts = Vec::new();
    // A few hundred companies hold hundreds of thousands of contracts: one string per company.
    let mut company_ids: hashbrown::HashSet<std::sync::Arc<str>> = hashbrown::HashSet::new();
    read_table(ws, CONTRACTS, CONTRACT_COLS, false, diags, |f| {
        let grade = f.text_str(2);
        let service_grade = match grade.trim().parse::<u8>() {
            Ok(g) if SERVICE_GRADES.contains(&g) => Some(g),
            _ => {
                let expected = t!("registry.expect_grade");
                f.error(t!("table.column_expected", column => "service_grade", expected => expected, found => grade));
                None
            }
        };
        if let (Some(compound_id), Some(company_id), Some(service_grade), Some(start), Some(end)) = (
            f.id_arc(0),
            f.id_arc_in(1, &mut company_ids),
            service_grade,
            f.date(3),
            f.date(4),
        ) {
            if end < start {
                f.error(
                    t!("registry.contract_ends_before_start", compound => compound_id, end => end,
                    start => start),
                );
                return;
            }
            contracts.push(Contract {
                compound_id,
                company_id,
                service_grade,
                start,
                end,
                line: f.line(),
            });
        }
    })?;
    Ok(contracts)
}

/// The titles table (optional): a title is valid no earlier than it was awarded.
fn read_titles(ws: &Workspace, diags: &mut Diagnostics) -> Result<Vec<Title>> {
    let mut titles = Vec::new();
    read_table(ws, TITLES, TITLE_COLS, true, diags, |f| {
        if let (Some(community_id), Some(title), Some(awarded_on), Some(valid_until)) =
            (f.id(0), f.id(1), f.date(2), f.date(3))
        {
            if valid_until < awarded_on {
                f.error(t!("registry.title_ends_before_award", community => community_id,
                    until => valid_until, awarded => awarded_on));
                return;
            }
            titles.push(Title {
                community_id,
                title,
                awarded_on,
                valid_until,
                line: f.line(),
            });
        }
    })?;
    Ok(titles)
}

/// Load and cross-check the registry. Problems go to `diags`; what parsed is returned. The
/// compounds (the largest table) are read on a second thread while the rest are read here.
pub fn load_registry(ws: &Workspace, diags: &mut Diagnostics) -> Result<Registry> {
    load_registry_then(ws, diags, || {})
}

/// [`load_registry`], telling `others_read` when this thread has read the tables besides the
/// compounds (the larger read, still going on the other thread): from then on until the
/// cross-checks, one core is mostly idle, for the caller's own reading.
pub fn load_registry_then(ws: &Workspace, diags: &mut Diagnostics, others_read: impl FnOnce()) -> Result<Registry> {
    let (compounds, rest) = std::thread::scope(|s| {
        let other = s.spawn(|| {
            let mut d = Diagnostics::new();
            read_compounds(ws, &mut d).map(|c| (c, d))
        });
        let rest = read_others(ws, diags);
        others_read();
        let compounds = other
            .join()
            .unwrap_or_else(|_| Err(crate::error::Error::msg(t!("registry.compounds_panicked"))));
        (compounds, rest)
    });
    let (compounds, d) = compounds?;
    diags.absorb(d);
    let (streets, communities, companies, contracts, titles) = rest?;
    // The names are checked while the indexes are built; the other cross-checks read the
    // registry: part on a second thread. Their problems are listed in the same order as one
    // after the other.
    let tables = (streets, communities, compounds, companies, contracts, titles);
    let (reg, mut names) = Registry::new_beside(tables, |compounds| {
        let mut names = Diagnostics::new();
        check_names(compounds, &mut names);
        names
    });
    std::thread::scope(|s| {
        s.spawn(|| check_contract_overlaps(&reg, &mut names));
        duplicate_ids(
            STREETS,
            "street_id",
            reg.streets.iter().map(|s| (s.id.as_str(), s.line)),
            diags,
        );
        duplicate_ids(
            COMMUNITIES,
            "community_id",
            reg.communities.iter().map(|c| (c.id.as_str(), c.line)),
            diags,
        );
        duplicate_compound_ids(&reg, diags);
        duplicate_ids(
            COMPANIES,
            "company_id",
            reg.companies.iter().map(|c| (&*c.id, c.line)),
            diags,
        );
        check_references(&reg, diags);
    });
    diags.absorb(names);
    Ok(reg)
}

fn duplicate_ids<'a>(rel: &str, col: &str, ids: impl Iterator<Item = (&'a str, u64)>, diags: &mut Diagnostics) {
    let mut first: hashbrown::HashMap<&str, u64> = hashbrown::HashMap::with_capacity(ids.size_hint().0);
    for (id, line) in ids {
        if let Some(&l) = first.get(id) {
            duplicate(rel, col, id, line, l, diags);
        } else {
            first.insert(id, line);
        }
    }
}

/// The id `id` in column `col` on `line` of `rel` is a duplicate of the one on line `first`.
fn duplicate(rel: &str, col: &str, id: &str, line: u64, first: u64, diags: &mut Diagnostics) {
    diags.error(
        rel,
        Some(line),
        t!("registry.duplicate_id", column => col, id => id, first => first),
    );
}

/// [`duplicate_ids`] of the compounds: the registry's compound index found them as it was
/// built (a second table of a national registry's ids would cost as much again).
fn duplicate_compound_ids(reg: &Registry, diags: &mut Diagnostics) {
    for (i, first) in reg.duplicate_compounds() {
        let (c, first) = (&reg.compounds[i], &reg.compounds[first]);
        duplicate(COMPOUNDS, "compound_id", &c.id, c.line, first.line, diags);
    }
}

fn known<'a>(ids: impl Iterator<Item = &'a str>) -> String {
    let ids: Vec<&str> = ids.collect();
    let sep = t!("registry.sep");
    match ids.len() {
        0 => t!("registry.none_registered").into_owned(),
        n if n <= 8 => t!("registry.known", ids => ids.join(&sep)).into_owned(),
        n => t!("registry.known_many", first => ids[..4].join(&sep), last => ids[n - 1], n => n).into_owned(),
    }
}

fn check_references(reg: &Registry, diags: &mut Diagnostics) {
    for c in &reg.communities {
        if reg.street(&c.street_id).is_none() {
            let hint = known(reg.streets.iter().map(|s| s.id.as_str()));
            diags.error(
                COMMUNITIES,
                Some(c.line),
                t!("registry.community_unknown_street", community => c.id, street => c.street_id,
                    known => hint),
            );
        }
    }
    for c in &reg.compounds {
        if reg.community(&c.community_id).is_none() {
            diags.error(
                COMPOUNDS,
                Some(c.line),
                t!("registry.compound_unknown_community", compound => c.id, community => c.community_id,
                    file => COMMUNITIES),
            );
        }
    }
    for (i, k) in reg.contracts.iter().enumerate() {
        if reg.contract_compound_index(i).is_none() {
            diags.error(
                CONTRACTS,
                Some(k.line),
                t!("registry.contract_unknown_compound", compound => k.compound_id, file => COMPOUNDS),
            );
        }
        if reg.company(&k.company_id).is_none() {
            let hint = known(reg.companies.iter().map(|c| &*c.id));
            diags.error(
                CONTRACTS,
                Some(k.line),
                t!("registry.contract_unknown_company", compound => k.compound_id, company => k.company_id,
                    known => hint),
            );
        }
    }
    for t in &reg.titles {
        if reg.community(&t.community_id).is_none() {
            diags.error(
                TITLES,
                Some(t.line),
                t!("registry.title_unknown_community", community => t.community_id, file => COMMUNITIES),
            );
        }
    }
}

/// Import resolves compounds by name or alias: one name for two compounds would be ambiguous.
fn check_names(compounds: &[Compound], diags: &mut Diagnostics) {
    let mut owner: hashbrown::HashMap<&str, &str> = hashbrown::HashMap::with_capacity(compounds.len());
    for c in compounds {
        for name in std::iter::once(&*c.name).chain(c.aliases.iter().map(String::as_str)) {
            match owner.get(name) {
                Some(&other) if other != &*c.id => diags.warning(
                    COMPOUNDS,
                    Some(c.line),
                    t!("registry.name_shared", name => name, compound => c.id, other => other),
                ),
                Some(_) => {}
                None => {
                    owner.insert(name, &c.id);
                }
            }
        }
    }
}

fn check_contract_overlaps(reg: &Registry, diags: &mut Diagnostics) {
    for (i, c) in reg.compounds.iter().enumerate() {
        let list: Vec<&Contract> = reg.contracts_of_ix(i).collect();
        for w in list.windows(2) {
            if w[1].start <= w[0].end {
                diags.error(
                    CONTRACTS,
                    Some(w[1].line),
                    t!("registry.contracts_overlap", compound => c.id, start => w[1].start, line => w[0].line,
                        from => w[0].start, to => w[0].end),
                );
            }
        }
    }
}
