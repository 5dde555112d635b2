//! The compound lookup the store scan makes for every visit: id → position in the registry,
//! and the service grade in force on a date. At national scale (hundreds of thousands of
//! compounds, millions of visits) a general hash map costs several cache misses per visit: its
//! control bytes, its bucket, then the record holding the id to compare, then the contract
//! lists. Here one slot of 32 bytes holds a short id inline, the position, and the compound's
//! contract when it has exactly one, so a lookup touches one cache line.

use std::hash::BuildHasher;

use chrono::{Datelike, NaiveDate};

/// Ids up to this many bytes live in the slot; longer ones are compared against the records.
const INLINE: usize = 16;

/// How many slots ahead a pass over many ids starts fetching: each slot is a cache miss (and
/// at national scale a TLB miss) that would otherwise stall the pass, a few hundred
/// nanoseconds each for hundreds of thousands of compounds.
pub const AHEAD: usize = 16;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    /// A compound with no contract.
    NoContract,
    /// A compound with exactly one contract, `start..=end` at `grade`.
    OneContract,
    /// A compound with several contracts: ask the registry's list.
    Many,
}

/// Aligned to its size, so that a slot lies in one cache line: the prefetch of a slot's first
/// byte then brings in all of it (a slot across two lines stalled the lookup on the second).
#[derive(Debug, Clone, Copy)]
#[repr(align(32))]
struct Slot {
    key: [u8; INLINE],
    /// The id's length, or `u8::MAX` when it is longer than [`INLINE`].
    len: u8,
    kind: Kind,
    grade: u8,
    index: u32,
    /// Days from the common era, inclusive.
    start: i32,
    end: i32,
}

const EMPTY: Slot = Slot {
    key: [0; INLINE],
    len: 0,
    kind: Kind::Empty,
    grade: 0,
    index: 0,
    start: 0,
    end: 0,
};

/// Whether a filled slot holds the id `b`; `id_of` gives the id at a position (for long ids).
fn holds<'a>(slot: &Slot, b: &[u8], id_of: impl Fn(usize) -> Option<&'a str>) -> bool {
    if b.len() <= INLINE {
        usize::from(slot.len) == b.len() && slot.key[..b.len()] == *b
    } else {
        slot.len == u8::MAX && slot.key == b[..INLINE] && id_of(slot.index as usize).map(str::as_bytes) == Some(b)
    }
}

/// A compound's contracts, as [`CompoundTable::set_contracts`] needs them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ContractsOf {
    /// No contract: no day has a service grade.
    None,
    /// Exactly one, in force from `start` to `end` inclusive at service grade `grade`.
    One {
        /// Its first day.
        start: NaiveDate,
        /// Its last day.
        end: NaiveDate,
        /// Its service grade.
        grade: u8,
    },
    /// More than one: a day's grade is looked up in the registry's list.
    Many,
}

/// What a lookup found about a compound's contract on a date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GradeOn {
    /// The service grade of the contract in force.
    Grade(u8),
    /// No contract in force that day.
    None,
    /// Several contracts: the caller must look through them.
    Ask,
}

/// Open addressing with linear probing, at most half full.
#[derive(Debug, Clone, Default)]
pub struct CompoundTable {
    slots: Vec<Slot>,
    mask: usize,
    /// Each later position of a duplicated id with its first, in position order.
    duplicates: Vec<(u32, u32)>,
}

fn hash(id: &[u8]) -> usize {
    // Truncation is fine: the hash picks a slot.
    foldhash::fast::FixedState::with_seed(0x636f_6d70_6f75_6e64).hash_one(id) as usize
}

impl CompoundTable {
    /// Index `ids` by position; a duplicated id keeps its first position, and each later one is
    /// recorded with it ([`CompoundTable::duplicates`]). (Positions are `u32`: past 4 billion
    /// ids the table stops, far beyond any registry.)
    pub fn build<'a>(ids: impl ExactSizeIterator<Item = &'a str>) -> CompoundTable {
        let cap = (ids.len() * 2).next_power_of_two().max(16);
        let mut t = CompoundTable {
            slots: vec![EMPTY; cap],
            mask: cap - 1,
            duplicates: Vec::new(),
        };
        let all: Vec<&str> = ids.collect();
        let homes: Vec<usize> = all.iter().map(|id| hash(id.as_bytes()) & t.mask).collect();
        for (i, id) in all.iter().enumerate() {
            let Ok(index) = u32::try_from(i) else { break };
            if let Some(&ahead) = homes.get(i + AHEAD) {
                super::hint::prefetch(&t.slots[ahead]);
            }
            let b = id.as_bytes();
            let mut s = homes[i];
            loop {
                let slot = &mut t.slots[s];
                if slot.kind == Kind::Empty {
                    let n = b.len().min(INLINE);
                    slot.key[..n].copy_from_slice(&b[..n]);
                    slot.len = if b.len() <= INLINE { b.len() as u8 } else { u8::MAX };
                    slot.kind = Kind::NoContract;
                    slot.index = index;
                    break;
                }
                if holds(slot, b, |i| all.get(i).copied()) {
                    // A duplicate: the first keeps the id.
                    t.duplicates.push((index, slot.index));
                    break;
                }
                s = (s + 1) & t.mask;
            }
        }
        t
    }

    /// The positions whose id an earlier position has, each with that first position, in
    /// position order.
    pub fn duplicates(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        self.duplicates.iter().map(|&(i, first)| (i as usize, first as usize))
    }

    fn find<'a>(&self, id: &str, id_of: impl Fn(usize) -> Option<&'a str>) -> Option<&Slot> {
        self.position(id, id_of).map(|p| &self.slots[p])
    }

    /// Where `id`'s slot is.
    fn position<'a>(&self, id: &str, id_of: impl Fn(usize) -> Option<&'a str>) -> Option<usize> {
        let b = id.as_bytes();
        if self.slots.is_empty() {
            return None;
        }
        let mut s = hash(b) & self.mask;
        loop {
            let slot = &self.slots[s];
            if slot.kind == Kind::Empty {
                return None;
            }
            if holds(slot, b, &id_of) {
                return Some(s);
            }
            s = (s + 1) & self.mask;
        }
    }

    /// Start fetching the slot where a lookup of `id` begins (see [`super::hint`]).
    pub fn prefetch(&self, id: &[u8]) {
        if let Some(slot) = self.slots.get(hash(id) & self.mask) {
            super::hint::prefetch(slot);
        }
    }

    /// The position of `id`; `id_of` gives the id at a position (for long ids).
    pub fn get<'a>(&self, id: &str, id_of: impl Fn(usize) -> Option<&'a str>) -> Option<usize> {
        self.find(id, id_of).map(|s| s.index as usize)
    }

    /// The position of `id` and what its single contract says about `date`.
    pub fn get_with_grade<'a>(
        &self,
        id: &str,
        date: NaiveDate,
        id_of: impl Fn(usize) -> Option<&'a str>,
    ) -> Option<(usize, GradeOn)> {
        let slot = self.find(id, id_of)?;
        let grade = match slot.kind {
            Kind::OneContract => {
                let d = date.num_days_from_ce();
                if slot.start <= d && d <= slot.end {
                    GradeOn::Grade(slot.grade)
                } else {
                    GradeOn::None
                }
            }
            Kind::Many => GradeOn::Ask,
            Kind::NoContract | Kind::Empty => GradeOn::None,
        };
        Some((slot.index as usize, grade))
    }

    /// Record each compound's contracts, `of(i)` telling those of the compound at position i:
    /// one is kept in its slot, several send lookups to the registry's list. (A duplicated id
    /// is the first compound's.) The slots are visited in memory order: in compound order
    /// each would be a cache miss.
    pub fn set_contracts(&mut self, of: impl Fn(usize) -> ContractsOf) {
        for slot in self.slots.iter_mut().filter(|s| s.kind != Kind::Empty) {
            match of(slot.index as usize) {
                ContractsOf::None => slot.kind = Kind::NoContract,
                ContractsOf::One { start, end, grade } => {
                    slot.kind = Kind::OneContract;
                    slot.start = start.num_days_from_ce();
                    slot.end = end.num_days_from_ce();
                    slot.grade = grade;
                }
                ContractsOf::Many => slot.kind = Kind::Many,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn day(s: &str) -> NaiveDate {
        crate::model::parse_date(s).unwrap()
    }

    /// A slot is 32 bytes at a multiple of 32: never across two cache lines of 64.
    #[test]
    fn a_slot_lies_in_one_cache_line() {
        assert_eq!(std::mem::size_of::<Slot>(), 32);
        assert_eq!(std::mem::align_of::<Slot>(), 32);
        let t = CompoundTable::build(["P1", "P2", "P3"].into_iter());
        for slot in &t.slots {
            let at = std::ptr::from_ref(slot) as usize;
            assert!(at % 64 + 32 <= 64, "slot at {at:#x}");
        }
    }

    #[test]
    fn finds_short_and_long_ids_and_keeps_the_first_of_a_duplicate() {
        let long = "一个很长很长的小区编号-0001"; // more than 16 bytes
        let ids = ["P1", long, "P1", "一个很长很长的小区编号-0002", ""];
        let t = CompoundTable::build(ids.iter().copied());
        let id_of = |i: usize| ids.get(i).copied();
        assert_eq!(t.get("P1", id_of), Some(0));
        assert_eq!(t.get(long, id_of), Some(1));
        assert_eq!(t.get("一个很长很长的小区编号-0002", id_of), Some(3));
        assert_eq!(t.get("一个很长很长的小区编号-0003", id_of), None);
        assert_eq!(t.get("", id_of), Some(4));
        assert_eq!(t.get("P2", id_of), None);
    }

    /// Every later position of a duplicated id is told with the first, in position order:
    /// three of one id, long ids sharing their first 16 bytes (not duplicates), the empty id.
    #[test]
    fn duplicates_are_told_with_their_first_position() {
        let a = "一个很长很长的小区编号-0001"; // more than 16 bytes
        let b = "一个很长很长的小区编号-0002";
        let ids = ["P1", a, "P1", b, "", "P2", a, "P1", ""];
        let t = CompoundTable::build(ids.iter().copied());
        let told: Vec<(usize, usize)> = t.duplicates().collect();
        assert_eq!(told, [(2, 0), (6, 1), (7, 0), (8, 4)]);
        assert_eq!(CompoundTable::build(["P1", "P2"].into_iter()).duplicates().count(), 0);
    }

    #[test]
    fn one_contract_answers_in_the_slot_and_several_ask_the_registry() {
        let ids = ["A", "B", "C"];
        let id_of = |i: usize| ids.get(i).copied();
        let mut t = CompoundTable::build(ids.iter().copied());
        t.set_contracts(|i| match i {
            0 => ContractsOf::One {
                start: day("2026-01-01"),
                end: day("2026-06-30"),
                grade: 2,
            },
            1 => ContractsOf::Many,
            _ => ContractsOf::None,
        });
        let on = |id: &str, d: &str| t.get_with_grade(id, day(d), id_of);
        assert_eq!(on("A", "2026-01-01"), Some((0, GradeOn::Grade(2))));
        assert_eq!(on("A", "2026-06-30"), Some((0, GradeOn::Grade(2))));
        assert_eq!(on("A", "2026-07-01"), Some((0, GradeOn::None)));
        assert_eq!(on("A", "2025-12-31"), Some((0, GradeOn::None)));
        assert_eq!(on("B", "2026-03-01"), Some((1, GradeOn::Ask)));
        assert_eq!(on("C", "2026-03-01"), Some((2, GradeOn::None)));
        assert_eq!(on("D", "2026-03-01"), None);
    }

    proptest! {
        /// Agrees with a hash map (first position of each id) for any ids, short or long.
        #[test]
        fn agrees_with_a_hash_map(ids in prop::collection::vec("[A-C]{0,3}|[A-C一]{15,20}", 0..200), probe in "[A-C]{0,3}|[A-C一]{15,20}") {
            let t = CompoundTable::build(ids.iter().map(String::as_str));
            let mut first: HashMap<&str, usize> = HashMap::new();
            for (i, id) in ids.iter().enumerate() {
                first.entry(id.as_str()).or_insert(i);
            }
            let id_of = |i: usize| ids.get(i).map(String::as_str);
            for id in ids.iter().map(String::as_str).chain([probe.as_str()]) {
                prop_assert_eq!(t.get(id, id_of), first.get(id).copied());
            }
        }
    }
}
