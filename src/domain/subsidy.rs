//! Fiscal subsidies (DESIGN §9): each compound's entitlement from its contract months, the
//! rate of its service grade and the coefficient of its outcome; the budget cap; and amounts
//! in fen that add up to the target exactly (largest remainders).

use rust_i18n::t;
use std::collections::BTreeMap;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::{Decimal, RoundingStrategy};

use crate::model::funds::Funds;
use crate::model::records::Fee;
use crate::model::registry::{Compound, Positions, Registry};
use crate::model::Period;

use super::recheck::{Notice, Settled, WorstOutcomes};
use super::scoring::{CompoundResult, Verdict};

/// One compound's subsidy.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompoundSubsidy {
    /// Ids shared with the registry (a national allocation has 220,000 compounds).
    pub compound_id: std::sync::Arc<str>,
    /// The compound's street, shared with the score report.
    pub street_id: std::sync::Arc<str>,
    /// Company under contract on the period's last day, else the latest in the period.
    pub company_id: Option<std::sync::Arc<str>>,
    /// Months of the period with a contract in force on their first day.
    pub months: u32,
    /// area × the month's rate, summed over those months, in yuan.
    pub base: Decimal,
    /// Its outcome key (see [`outcome_key`]), which picks the coefficient.
    pub outcome: String,
    /// The funds' coefficient for the outcome.
    pub coefficient: Decimal,
    /// collected / billed, when fee data exist and something was billed.
    pub fee_rate: Option<Decimal>,
    /// Whether its fee collection earned the fee bonus.
    pub bonus: bool,
    /// base × coefficient × (1 + bonus), scaled by budget / sum when the cap binds (exact).
    pub entitlement: Decimal,
    /// In fen, after scaling and apportioning.
    pub amount: Decimal,
}

impl CompoundSubsidy {
    /// base − entitlement: what the outcome and the cap withheld (negative when a fee bonus
    /// brought more than the base).
    pub fn withheld(&self) -> Decimal {
        self.base - self.entitlement
    }
}

/// The whole allocation.
#[derive(Debug, Clone)]
pub struct SubsidyReport {
    /// The period allocated.
    pub period: Period,
    /// The budget cap: the command line's, else the funds file's.
    pub budget: Option<Decimal>,
    /// Whether the budget cap was binding.
    pub scaled: bool,
    /// What is paid out, in yuan to the fen: the budget when it binds, else the entitlements' sum.
    pub total: Decimal,
    /// Every registered compound of the score report, in registry order.
    pub compounds: Vec<CompoundSubsidy>,
}

impl SubsidyReport {
    /// What outcomes and the cap withheld over all compounds (see [`CompoundSubsidy::withheld`]).
    pub fn withheld(&self) -> Decimal {
        self.compounds.iter().map(CompoundSubsidy::withheld).sum()
    }

    /// Per street: (amount, withheld, compounds by outcome), for the streets of the registry.
    pub fn by_street(&self, reg: &Registry) -> Vec<StreetSubsidy> {
        streets_of(
            reg,
            self.compounds
                .iter()
                .map(|c| (&*c.street_id, c.amount, c.base, c.withheld(), c.outcome.as_str())),
        )
    }

    /// Per company with compounds in the period, by company id.
    pub fn by_company(&self, reg: &Registry) -> Vec<(String, String, Decimal)> {
        let mut m: BTreeMap<&str, Decimal> = BTreeMap::new();
        for c in &self.compounds {
            if let Some(k) = &c.company_id {
                *m.entry(k).or_default() += c.amount;
            }
        }
        m.into_iter()
            .map(|(k, a)| {
                (
                    k.to_string(),
                    reg.company(k).map(|c| c.name.clone()).unwrap_or_default(),
                    a,
                )
            })
            .collect()
    }
}

/// A street's share.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreetSubsidy {
    /// The street.
    pub street_id: String,
    /// The street's name.
    pub name: String,
    /// Paid to its compounds, in yuan.
    pub amount: Decimal,
    /// Its compounds' bases summed.
    pub base: Decimal,
    /// What was withheld from its compounds.
    pub withheld: Decimal,
    /// Its compounds by outcome key.
    pub outcomes: BTreeMap<String, u32>,
}

/// Per street of the registry: the amounts, bases and withholdings of its compounds summed, and
/// its compounds counted by outcome. `compounds` gives each compound's (street, amount, base,
/// withheld, outcome).
fn streets_of<'c>(
    reg: &Registry,
    compounds: impl Iterator<Item = (&'c str, Decimal, Decimal, Decimal, &'c str)>,
) -> Vec<StreetSubsidy> {
    let mut out: Vec<StreetSubsidy> = reg
        .streets
        .iter()
        .map(|s| StreetSubsidy {
            street_id: s.id.clone(),
            name: s.name.clone(),
            ..Default::default()
        })
        .collect();
    let at: std::collections::HashMap<&str, usize> = reg
        .streets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.id.as_str(), i))
        .collect();
    // The outcomes of each street's compounds counted by their text (a handful a street), made
    // into its map once at the end.
    let mut counts: Vec<Vec<(&str, u32)>> = vec![Vec::new(); out.len()];
    // A street's compounds mostly follow one another: its position is looked up when it changes.
    let mut last: Option<(&str, usize)> = None;
    for (street, amount, base, withheld, outcome) in compounds {
        let i = match last {
            Some((id, i)) if id == street => i,
            _ => match at.get(street) {
                Some(&i) => i,
                None => continue,
            },
        };
        last = Some((street, i));
        let s = &mut out[i];
        s.amount += amount;
        s.base += base;
        s.withheld += withheld;
        match counts[i].iter_mut().find(|(o, _)| *o == outcome) {
            Some((_, n)) => *n += 1,
            None => counts[i].push((outcome, 1)),
        }
    }
    for (s, counted) in out.iter_mut().zip(counts) {
        s.outcomes = counted.into_iter().map(|(o, n)| (o.to_string(), n)).collect();
    }
    out
}

/// The outcome key of a compound (DESIGN §9): its grade when it passed; `not_assessed`; for a
/// failing compound the worst of its notices' outcomes: recheck_failed, then unresolved
/// (pending or overdue), then rectified; its grade name when it failed without a notice.
pub fn outcome_key(result: &CompoundResult, notices: &[&Notice]) -> String {
    let worst = notices.iter().map(|n| n.outcome.settled()).min();
    outcome_of(result, worst).to_string()
}

/// The outcome key of [`outcome_key`], borrowed (a national allocation has 220,000), from the
/// worst of the compound's notices' outcomes.
fn outcome_of(result: &CompoundResult, worst: Option<Settled>) -> &str {
    let grade = || result.grade.as_deref().unwrap_or_default();
    match (result.verdict, worst) {
        (Verdict::NotAssessed, _) => "not_assessed",
        (Verdict::Pass, _) | (Verdict::Fail, None) => grade(),
        (Verdict::Fail, Some(worst)) => worst.key(),
    }
}

/// What a period's funds are allocated from.
pub struct Allocation<'a> {
    /// The registry: compounds, their streets and contracts.
    pub reg: &'a Registry,
    /// The period allocated.
    pub period: Period,
    /// The period's funds file.
    pub funds: &'a Funds,
    /// `--budget`, which overrides the funds file's.
    pub budget: Option<Decimal>,
    /// The official scores of every compound, in registry order.
    pub results: &'a [CompoundResult],
    /// The period's fee rows.
    pub fees: &'a [Fee],
}

impl<'a> Allocation<'a> {
    /// Allocate the period's funds: every compound's subsidy, its notices among `notices`.
    pub fn report(&self, notices: &[Notice]) -> Result<SubsidyReport, String> {
        let (reg, period) = (self.reg, self.period);
        let worst = WorstOutcomes::of_notices(reg, notices);
        let (shares, budget, total, scaled) = self.shares(&worst)?;
        let compounds = shares
            .into_iter()
            .map(|s| CompoundSubsidy {
                compound_id: reg.compounds[s.index].id.clone(),
                street_id: s.result.street_id.clone(),
                company_id: attributed_company(reg, period, s.index),
                months: s.months,
                base: s.base,
                outcome: s.outcome.to_string(),
                coefficient: s.coefficient,
                fee_rate: s.fee_rate,
                bonus: s.bonus,
                entitlement: s.entitlement,
                amount: s.amount,
            })
            .collect();
        Ok(SubsidyReport {
            period,
            budget,
            scaled,
            total,
            compounds,
        })
    }

    /// What [`Allocation::report`]'s [`SubsidyReport::by_street`] gives, without the
    /// compounds' subsidies (`standards diff` allocates twice at national scale, and only tells
    /// the streets). The notices are given by `worst`, what they come to for each compound
    /// ([`WorstOutcomes::of_notices`] of the notices, which need not be built for it).
    pub fn by_street(&self, worst: &WorstOutcomes) -> Result<Vec<StreetSubsidy>, String> {
        let (shares, ..) = self.shares(worst)?;
        Ok(streets_of(
            self.reg,
            shares.iter().map(|s| {
                (
                    &*s.result.street_id,
                    s.amount,
                    s.base,
                    s.base - s.entitlement,
                    s.outcome,
                )
            }),
        ))
    }
}

/// One compound's subsidy as it is worked out, borrowing from the registry and the results
/// (made into a [`CompoundSubsidy`] only where the compounds are reported).
struct Share<'a> {
    index: usize,
    compound_id: &'a str,
    result: &'a CompoundResult,
    months: u32,
    base: Decimal,
    outcome: &'a str,
    coefficient: Decimal,
    fee_rate: Option<Decimal>,
    bonus: bool,
    entitlement: Decimal,
    amount: Decimal,
}

/// The shares of an [`Allocation`], apportioned, with (the budget, the total, whether it bound).
type Shares<'a> = (Vec<Share<'a>>, Option<Decimal>, Decimal, bool);

impl<'a> Allocation<'a> {
    /// Every registered compound's share of the funds, in the order of `results`, apportioned;
    /// its notices' outcomes from `worst`.
    fn shares(&self, worst: &WorstOutcomes) -> Result<Shares<'a>, String> {
        let Allocation {
            reg,
            period,
            funds,
            budget,
            results,
            fees,
        } = *self;
        // Fee rows by registry position (the last fee row of a compound counts): a national
        // allocation looks up 220,000 compounds, once each.
        let mut fee_of: Vec<Option<&Fee>> = vec![None; reg.compounds.len()];
        let mut at = Positions::new(reg);
        for f in fees {
            if let Some(i) = at.of(&f.compound_id) {
                fee_of[i] = Some(f);
            }
        }
        let rates = Rates::new(funds);
        let mut coefficients = Coefficients::default();
        // The first day of each month of the period, for every compound's contract months.
        let starts: Vec<chrono::NaiveDate> = period.months().map(|m| m.start()).collect();
        let mut shares = Vec::with_capacity(results.len());
        let mut at = Positions::new(reg);
        for r in results {
            let Some(i) = at.of(&r.compound_id) else {
                continue;
            };
            let c = Registered {
                compound: &reg.compounds[i],
                index: i,
            };
            let outcome = (outcome_of(r, worst.of(i)), &mut coefficients);
            shares.push(entitlement(reg, &starts, funds, &rates, r, c, outcome, fee_of[i])?);
        }
        let budget = budget.or(funds.budget);
        // The entitlements must add up exactly before they are apportioned.
        let sum = shares
        .iter()
        .try_fold(Decimal::ZERO, |sum, c| sum.checked_add(c.entitlement))
        .ok_or_else(|| {
            "the period's subsidy entitlements add up to more than can be computed exactly: check the areas in data/registry/compounds.csv and the funds file's rates".to_string()
        })?;
        let (total, scaled) = apportion_all(&mut shares, sum, budget);
        Ok((shares, budget, total, scaled))
    }
}

/// The funds' coefficients of the outcomes met so far (a handful), so that each compound's is
/// not looked up by its text in the funds file.
#[derive(Default)]
struct Coefficients<'a>(Vec<(&'a str, Decimal)>);

impl<'a> Coefficients<'a> {
    fn of(&mut self, funds: &Funds, outcome: &'a str) -> Result<Decimal, String> {
        if let Some(&(_, c)) = self.0.iter().find(|(k, _)| *k == outcome) {
            return Ok(c);
        }
        let c = *funds
            .coefficients
            .get(outcome)
            .ok_or_else(|| t!("subsidy.no_coefficient", outcome = outcome).into_owned())?;
        self.0.push((outcome, c));
        Ok(c)
    }
}

/// A registered compound and its position in the registry (its contracts are found by it).
#[derive(Clone, Copy)]
struct Registered<'a> {
    compound: &'a Compound,
    index: usize,
}

/// The funds' rate of each service grade, looked up once (the funds file keys them by the
/// grade's number as text).
struct Rates(Vec<Option<Decimal>>);

impl Rates {
    fn new(funds: &Funds) -> Rates {
        Rates(
            (0..=u8::MAX)
                .map(|g| funds.rates.get(&g.to_string()).copied())
                .collect(),
        )
    }

    fn of(&self, grade: u8) -> Result<Decimal, String> {
        self.0
            .get(usize::from(grade))
            .copied()
            .flatten()
            .ok_or_else(|| t!("subsidy.no_rate", grade = grade).into_owned())
    }
}

/// One compound's exact entitlement (its amount is apportioned later): the base from its
/// contract months, times its outcome's coefficient (from `coefficients`), times the fee bonus
/// it earned.
#[allow(clippy::too_many_arguments)]
fn entitlement<'a>(
    reg: &'a Registry,
    starts: &[chrono::NaiveDate],
    funds: &Funds,
    rates: &Rates,
    r: &'a CompoundResult,
    c: Registered<'a>,
    (outcome, coefficients): (&'a str, &mut Coefficients<'a>),
    fee: Option<&Fee>,
) -> Result<Share<'a>, String> {
    let (months, base) = contract_base(reg, starts, rates, c)?;
    let coefficient = coefficients.of(funds, outcome)?;
    let fee_rate = fee.filter(|f| !f.billed.is_zero()).map(|f| f.collected / f.billed);
    let (bonus, factor) = fee_bonus(funds, fee_rate);
    let entitlement = base
        .checked_mul(coefficient)
        .and_then(|e| e.checked_mul(factor))
        .ok_or_else(|| overflow(&c.compound.id))?;
    Ok(Share {
        index: c.index,
        compound_id: &c.compound.id,
        result: r,
        months,
        base,
        outcome,
        coefficient,
        fee_rate,
        bonus,
        entitlement,
        amount: Decimal::ZERO,
    })
}

/// The months of the period with a contract in force on their first day (`starts`), and the
/// base they earn: area × the rate of each month's service grade (the product worked out once
/// while the grade stays the same, and added month by month as before).
fn contract_base(
    reg: &Registry,
    starts: &[chrono::NaiveDate],
    rates: &Rates,
    c: Registered,
) -> Result<(u32, Decimal), String> {
    let mut months = 0;
    let mut base = Decimal::ZERO;
    let mut last: Option<(u8, Option<Decimal>)> = None;
    for &start in starts {
        if let Some(k) = reg.contract_on_ix(c.index, start) {
            let amount = match last {
                Some((grade, amount)) if grade == k.service_grade => amount,
                _ => {
                    let rate = rates.of(k.service_grade)?;
                    let amount = c.compound.area_m2.checked_mul(rate);
                    last = Some((k.service_grade, amount));
                    amount
                }
            };
            months += 1;
            base = amount
                .and_then(|m| base.checked_add(m))
                .ok_or_else(|| overflow(&c.compound.id))?;
        }
    }
    Ok((months, base))
}

/// The error of money too large for exact arithmetic (an area or a rate far beyond any real
/// one: `check` bounds the funds file, and this keeps anything else from panicking).
fn overflow(compound: &str) -> String {
    t!("subsidy.overflow", compound = compound).into_owned()
}

/// `a × b / d` exactly where it fits, else in the other order (the fen are apportioned after).
fn scale(a: Decimal, b: Decimal, d: Decimal) -> Decimal {
    a.checked_mul(b)
        .and_then(|x| x.checked_div(d))
        .or_else(|| a.checked_div(d).and_then(|x| x.checked_mul(b)))
        .unwrap_or(Decimal::ZERO)
}

/// The company under contract on the period's last day, else the latest in the period, of the
/// compound at `index` in the registry.
fn attributed_company(reg: &Registry, period: Period, index: usize) -> Option<std::sync::Arc<str>> {
    reg.contract_on_ix(index, period.end())
        .or_else(|| {
            reg.contracts_of_ix(index)
                .filter(|k| k.start <= period.end() && k.end >= period.start())
                .last()
        })
        .map(|k| k.company_id.clone())
}

/// Whether a fee rate earns the funds' bonus, and the factor the entitlement is multiplied by.
fn fee_bonus(funds: &Funds, fee_rate: Option<Decimal>) -> (bool, Decimal) {
    let bonus = match (&funds.fee_bonus, fee_rate) {
        (Some(fb), Some(rate)) => rate >= fb.min_rate,
        _ => false,
    };
    let factor = if bonus {
        Decimal::ONE + funds.fee_bonus.as_ref().map_or(Decimal::ZERO, |fb| fb.bonus)
    } else {
        Decimal::ONE
    };
    (bonus, factor)
}

/// Give each compound its amount in fen under the budget, scaling the entitlements when the
/// budget binds (`sum`: the entitlements' exact sum). Returns (the total, whether the budget
/// was binding).
fn apportion_all(compounds: &mut [Share], sum: Decimal, budget: Option<Decimal>) -> (Decimal, bool) {
    let entitlements: Vec<(&str, Decimal)> = compounds.iter().map(|c| (c.compound_id, c.entitlement)).collect();
    let Apportioned {
        values,
        amounts,
        target,
        scaled,
    } = apportion_summed(&entitlements, sum, budget);
    // A scaled entitlement is the value apportioned (scaled by the target over the sum).
    let rescale = scaled && !sum.is_zero();
    for ((c, a), v) in compounds.iter_mut().zip(amounts).zip(values) {
        c.amount = a;
        if rescale {
            c.entitlement = v;
        }
    }
    (target, scaled)
}

/// What [`apportion`] works out: the values apportioned (the entitlements, scaled when the
/// budget binds), their amounts in fen, the target and whether the budget bound.
struct Apportioned {
    values: Vec<Decimal>,
    amounts: Vec<Decimal>,
    target: Decimal,
    scaled: bool,
}

/// Split exact entitlements into fen amounts that sum to the target exactly: the budget when
/// the entitlements exceed it (each scaled by budget / sum), else their exact sum rounded half
/// away from zero. Each gets its amount rounded down to the fen, and the fen left go one each to
/// the largest remainders, ties to the smaller id. Returns (amounts in input order, target,
/// whether the budget was binding).
pub fn apportion(entitlements: &[(&str, Decimal)], budget: Option<Decimal>) -> (Vec<Decimal>, Decimal, bool) {
    let sum: Decimal = entitlements.iter().map(|(_, e)| *e).sum();
    let a = apportion_summed(entitlements, sum, budget);
    (a.amounts, a.target, a.scaled)
}

/// [`apportion`] of entitlements whose exact sum is `sum` (an allocation has it already).
fn apportion_summed(entitlements: &[(&str, Decimal)], sum: Decimal, budget: Option<Decimal>) -> Apportioned {
    let fen = Decimal::new(1, 2);
    let (values, target, scaled): (Vec<Decimal>, Decimal, bool) = match budget {
        Some(b) if sum > b => {
            let b = b.round_dp_with_strategy(2, RoundingStrategy::ToZero);
            (entitlements.iter().map(|(_, e)| scale(*e, b, sum)).collect(), b, true)
        }
        _ => (
            entitlements.iter().map(|(_, e)| *e).collect(),
            sum.round_dp_with_strategy(2, RoundingStrategy::MidpointAwayFromZero),
            false,
        ),
    };
    let mut amounts: Vec<Decimal> = values
        .iter()
        .map(|v| v.round_dp_with_strategy(2, RoundingStrategy::ToZero).max(Decimal::ZERO))
        .collect();
    let given: Decimal = amounts.iter().sum();
    let mut left = ((target - given) / fen).round().to_i64().unwrap_or(0).max(0);
    if left == 0 {
        return Apportioned {
            values,
            amounts,
            target,
            scaled,
        };
    }
    // The fen left go down `order`: largest remainder first, ties to the smaller id (then to
    // the earlier entitlement, as a stable sort leaves them). Fewer fen than entitlements (the
    // rule: exact arithmetic leaves less than one fen each) go one each to the first ones,
    // whose order among themselves does not matter: they are selected, not sorted (a national
    // allocation has 220,000).
    let remainders: Vec<Decimal> = values.iter().zip(&amounts).map(|(v, a)| v - a).collect();
    let first = |&a: &usize, &b: &usize| {
        remainders[b]
            .cmp(&remainders[a])
            .then_with(|| entitlements[a].0.cmp(entitlements[b].0))
            .then(a.cmp(&b))
    };
    let mut order: Vec<usize> = (0..values.len()).collect();
    match usize::try_from(left) {
        Ok(n) if n < order.len() => {
            order.select_nth_unstable_by(n - 1, first);
            order.truncate(n);
        }
        _ => order.sort_by(first),
    }
    // At most one fen each; the loop only wraps if the scaled values fell short of the budget
    // by more than one fen per compound, which exact arithmetic rules out.
    while left > 0 && !order.is_empty() {
        for &i in &order {
            if left == 0 {
                break;
            }
            amounts[i] += fen;
            left -= 1;
        }
    }
    Apportioned {
        values,
        amounts,
        target,
        scaled,
    }
}

#[cfg(test)]
mod tests {
    use super::{apportion, contract_base, Positions, Rates, Registered};
    use crate::model::registry::{Compound, Contract, Registry};
    use proptest::prelude::*;
    use rust_decimal::Decimal;
    use rust_decimal_macros::dec;

    fn compound(id: &str, area: Decimal) -> Compound {
        Compound {
            id: id.into(),
            community_id: "K1".into(),
            name: id.into(),
            aliases: Vec::new(),
            households: 1,
            area_m2: area,
            buildings: 1,
            line: 2,
        }
    }

    fn registry(compounds: Vec<Compound>, contracts: Vec<Contract>) -> Registry {
        Registry::new(Vec::new(), Vec::new(), compounds, Vec::new(), contracts, Vec::new())
    }

    proptest! {
        /// Ids in any order, known or not, get the positions the registry's index gives.
        #[test]
        fn positions_answer_as_the_index_does(order in proptest::collection::vec(0usize..12, 0..60)) {
            let reg = registry((0..8).map(|i| compound(&format!("P{i}"), Decimal::ONE)).collect(), Vec::new());
            let mut at = Positions::new(&reg);
            for i in order {
                let id = format!("P{i}");
                prop_assert_eq!(at.of(&id), reg.compound_index(&id));
            }
        }
    }

    #[test]
    fn a_grade_change_mid_period_earns_each_months_rate() {
        // Grade 1 from January to March, none in April, grade 2 in May and June, grade 1
        // again from July (after the half year): 2 × 1.10 × 3 + 2 × 2.25 × 2 months.
        let day = |s: &str| crate::model::parse_date(s).unwrap();
        let contract = |start: &str, end: &str, grade: u8| Contract {
            compound_id: "P1".into(),
            company_id: "CO1".into(),
            service_grade: grade,
            start: day(start),
            end: day(end),
            line: 2,
        };
        let reg = registry(
            vec![compound("P1", dec!(2))],
            vec![
                contract("2026-01-01", "2026-03-31", 1),
                contract("2026-05-01", "2026-06-30", 2),
                contract("2026-07-01", "2026-12-31", 1),
            ],
        );
        let period: crate::model::Period = "2026H1".parse().unwrap();
        let starts: Vec<_> = period.months().map(|m| m.start()).collect();
        let mut rates = vec![None; 256];
        rates[1] = Some(dec!(1.10));
        rates[2] = Some(dec!(2.25));
        let c = Registered {
            compound: &reg.compounds[0],
            index: 0,
        };
        let (months, base) = contract_base(&reg, &starts, &Rates(rates.clone()), c).unwrap();
        assert_eq!((months, base), (5, dec!(15.60)));
        // A grade without a rate is an error, whenever it comes.
        rates[2] = None;
        assert!(contract_base(&reg, &starts, &Rates(rates), c).is_err());
    }

    #[test]
    fn remainders_go_to_the_largest_then_the_smaller_id() {
        // Exact sum 10.00; floors 3.33 + 3.33 + 3.33 = 9.99; one fen left; equal remainders:
        // the smallest id takes it.
        let third = dec!(10) / dec!(3);
        let (a, t, scaled) = apportion(&[("B", third), ("A", third), ("C", third)], None);
        assert_eq!((t, scaled), (dec!(10.00), false));
        assert_eq!(a, vec![dec!(3.33), dec!(3.34), dec!(3.33)]);
    }

    #[test]
    fn the_cap_binds_only_when_the_sum_exceeds_it() {
        // Sum 300.00 > 200.00: each scaled by 2/3: 66.666…, 133.333…; floors 66.66 + 133.33 =
        // 199.99; the fen goes to the larger remainder (0.00666… vs 0.00333…): the first.
        let (a, t, scaled) = apportion(&[("A", dec!(100)), ("B", dec!(200))], Some(dec!(200)));
        assert_eq!((t, scaled), (dec!(200), true));
        assert_eq!(a, vec![dec!(66.67), dec!(133.33)]);
        // Sum 300.00 under a 300.00 budget: not binding, amounts as they are.
        let (a, t, scaled) = apportion(&[("A", dec!(100)), ("B", dec!(200))], Some(dec!(300)));
        assert_eq!((a, t, scaled), (vec![dec!(100), dec!(200)], dec!(300.00), false));
    }

    #[test]
    fn the_unscaled_target_is_the_exact_sum_rounded_half_away() {
        // 0.005 + 0.005 = 0.01: floors 0 + 0, one fen to the smaller id.
        let (a, t, _) = apportion(&[("A", dec!(0.005)), ("B", dec!(0.005))], None);
        assert_eq!(t, dec!(0.01));
        assert_eq!(a, vec![dec!(0.01), Decimal::ZERO]);
    }

    mod laws {
        use super::super::apportion;
        use proptest::prelude::*;
        use rust_decimal::prelude::ToPrimitive;
        use rust_decimal::Decimal;

        /// Entitlements from 0 to 10 million yuan with up to 6 decimals, and an optional budget.
        fn cases() -> impl Strategy<Value = (Vec<i64>, Option<i64>)> {
            (
                prop::collection::vec(0i64..10_000_000_000_000, 1..40),
                prop::option::of(0i64..100_000_000_000),
            )
        }

        fn run(raw: &[i64], budget: Option<i64>) -> (Vec<(String, Decimal)>, Vec<Decimal>, Decimal) {
            let ents: Vec<(String, Decimal)> = raw
                .iter()
                .enumerate()
                .map(|(i, &e)| (format!("C{i:03}"), Decimal::new(e, 6)))
                .collect();
            let refs: Vec<(&str, Decimal)> = ents.iter().map(|(id, e)| (id.as_str(), *e)).collect();
            let (amounts, target, _) = apportion(&refs, budget.map(|b| Decimal::new(b, 2)));
            (ents, amounts, target)
        }

        /// The apportioning as first written, every entitlement sorted: what the selection
        /// must give.
        fn apportion_sorted(entitlements: &[(&str, Decimal)], budget: Option<Decimal>) -> Vec<Decimal> {
            let (_, target, _) = apportion(entitlements, budget);
            let sum: Decimal = entitlements.iter().map(|(_, e)| *e).sum();
            let values: Vec<Decimal> = match budget {
                Some(b) if sum > b => {
                    let b = b.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero);
                    entitlements
                        .iter()
                        .map(|(_, e)| super::super::scale(*e, b, sum))
                        .collect()
                }
                _ => entitlements.iter().map(|(_, e)| *e).collect(),
            };
            let mut amounts: Vec<Decimal> = values
                .iter()
                .map(|v| {
                    v.round_dp_with_strategy(2, rust_decimal::RoundingStrategy::ToZero)
                        .max(Decimal::ZERO)
                })
                .collect();
            let fen = Decimal::new(1, 2);
            let given: Decimal = amounts.iter().sum();
            let mut left = ((target - given) / fen).round().to_i64().unwrap_or(0).max(0);
            let mut order: Vec<usize> = (0..values.len()).collect();
            order.sort_by(|&a, &b| {
                (values[b] - amounts[b])
                    .cmp(&(values[a] - amounts[a]))
                    .then_with(|| entitlements[a].0.cmp(entitlements[b].0))
            });
            while left > 0 && !order.is_empty() {
                for &i in &order {
                    if left == 0 {
                        break;
                    }
                    amounts[i] += fen;
                    left -= 1;
                }
            }
            amounts
        }

        /// Entitlements with many equal remainders (few distinct values, ids that repeat).
        fn ties() -> impl Strategy<Value = (Vec<(u8, i64)>, Option<i64>)> {
            (
                prop::collection::vec(
                    (0u8..6, prop::sample::select(vec![0i64, 5, 3333, 6667, 10_000, 12_345])),
                    1..60,
                ),
                prop::option::of(0i64..2_000),
            )
        }

        proptest! {
            #[test]
            fn amounts_are_whole_fen_non_negative_and_sum_to_the_target((raw, budget) in cases()) {
                let (_, amounts, target) = run(&raw, budget);
                prop_assert_eq!(amounts.iter().copied().sum::<Decimal>(), target);
                for a in &amounts {
                    prop_assert!(*a >= Decimal::ZERO);
                    prop_assert_eq!(a.round_dp(2), *a);
                }
            }

            #[test]
            fn a_larger_entitlement_never_gets_less((raw, budget) in cases()) {
                let (ents, amounts, _) = run(&raw, budget);
                for i in 0..ents.len() {
                    for j in 0..ents.len() {
                        if ents[i].1 > ents[j].1 {
                            prop_assert!(amounts[i] >= amounts[j], "{:?} {:?}", ents[i], ents[j]);
                        }
                    }
                }
            }

            #[test]
            fn selecting_the_largest_remainders_gives_what_sorting_them_all_gave((raw, budget) in cases()) {
                let ents: Vec<(String, Decimal)> =
                    raw.iter().enumerate().map(|(i, &e)| (format!("C{i:03}"), Decimal::new(e, 6))).collect();
                let refs: Vec<(&str, Decimal)> = ents.iter().map(|(id, e)| (id.as_str(), *e)).collect();
                let budget = budget.map(|b| Decimal::new(b, 2));
                prop_assert_eq!(apportion(&refs, budget).0, apportion_sorted(&refs, budget));
            }

            #[test]
            fn ties_and_repeated_ids_go_as_when_sorted((raw, budget) in ties()) {
                let ents: Vec<(String, Decimal)> =
                    raw.iter().map(|&(id, e)| (format!("C{id}"), Decimal::new(e, 6))).collect();
                let refs: Vec<(&str, Decimal)> = ents.iter().map(|(id, e)| (id.as_str(), *e)).collect();
                let budget = budget.map(|b| Decimal::new(b, 4));
                prop_assert_eq!(apportion(&refs, budget).0, apportion_sorted(&refs, budget));
            }

            #[test]
            fn the_result_does_not_depend_on_input_order((raw, budget) in cases(), seed in any::<u64>()) {
                let (ents, amounts, target) = run(&raw, budget);
                let mut shuffled: Vec<usize> = (0..ents.len()).collect();
                // A deterministic shuffle from the seed.
                let mut x = seed | 1;
                for k in (1..shuffled.len()).rev() {
                    x ^= x << 13; x ^= x >> 7; x ^= x << 17;
                    shuffled.swap(k, (x % (k as u64 + 1)) as usize);
                }
                let refs: Vec<(&str, Decimal)> = shuffled.iter().map(|&i| (ents[i].0.as_str(), ents[i].1)).collect();
                let (again, t2, _) = apportion(&refs, budget.map(|b| Decimal::new(b, 2)));
                prop_assert_eq!(t2, target);
                for (k, &i) in shuffled.iter().enumerate() {
                    prop_assert_eq!(again[k], amounts[i]);
                }
            }
        }
    }
}
