//! The visits `check` keeps: those of the month file being checked, with the fields their
//! rows must agree on ([`FileHeads`]), and those of every file merged so far, by id
//! ([`VisitIndex`]), to find an id used again in a later file.
//!
//! A national store has millions of visits. Kept as a map of owned strings (one allocation
//! for the id and two for the team and compound of every visit, each freed at the end) they
//! were a fifth of `check`'s time at national scale, in the allocator and in rehashing. Here a
//! file's ids, teams and compounds are appended to two buffers, the tables hold positions,
//! and each id is hashed once, by the thread that checks its file; the store-wide table takes
//! the file's visits with their hashes.

use chrono::NaiveDate;
use hashbrown::HashTable;
use std::hash::BuildHasher;
use std::ops::Range;

use crate::model::{Level, Purpose};
use crate::workspace::store::StoreRow;

/// The hash of a visit id, in both tables.
pub fn hash_id(id: &[u8]) -> u64 {
    foldhash::fast::FixedState::with_seed(0x7669_7369_7473_0001).hash_one(id)
}

/// The fields a visit's rows must agree on, as its first row in the file gave them.
#[derive(Debug, Clone)]
pub struct Head {
    /// Where in its file the visit was first seen.
    pub line: u64,
    /// The visit's day.
    pub date: NaiveDate,
    /// Who inspected.
    pub level: Level,
    /// Routine round or re-inspection.
    pub purpose: Purpose,
    /// People on the team that day.
    pub inspectors: u32,
    /// Whether the visit has the empty "found nothing" row.
    pub empty_row: bool,
    /// Whether the visit has a row with a finding.
    pub findings: bool,
    /// The inspecting team, in [`FileHeads::text`].
    team: Range<usize>,
    /// The compound visited, in [`FileHeads::text`].
    compound: Range<usize>,
}

/// The visits first seen in the month file being checked, with their heads.
#[derive(Default)]
pub struct FileHeads {
    /// Positions in `heads`, by the hash of the id.
    table: HashTable<usize>,
    heads: Vec<Head>,
    visits: FileVisits,
    /// The teams and compounds of the heads, one after another.
    text: Vec<u8>,
}

impl FileHeads {
    /// The position of the visit `id` (of hash `hash`), if it was seen in this file.
    pub fn find(&self, hash: u64, id: &[u8]) -> Option<usize> {
        self.table.find(hash, |&i| self.visits.id(i) == id).copied()
    }

    /// Add the visit of `row`, first seen on `line`; returns its position.
    pub fn insert(&mut self, hash: u64, row: &StoreRow<'_>, line: u64) -> usize {
        let i = self.heads.len();
        let text = &mut self.text;
        let mut keep = |b: &[u8]| {
            let start = text.len();
            text.extend_from_slice(b);
            start..text.len()
        };
        let (team, compound) = (keep(row.team), keep(row.compound_id));
        self.heads.push(Head {
            line,
            date: row.date,
            level: row.level,
            purpose: row.purpose,
            inspectors: row.inspectors,
            empty_row: row.item.is_empty(),
            findings: !row.item.is_empty(),
            team,
            compound,
        });
        self.visits.push(hash, row.visit_id, line);
        let hashes = &self.visits.hashes;
        self.table.insert_unique(hash, i, |&j| hashes[j]);
        i
    }

    /// The head of the visit at `i`.
    pub fn head(&self, i: usize) -> &Head {
        &self.heads[i]
    }

    /// The head of the visit at `i`, to update.
    pub fn head_mut(&mut self, i: usize) -> &mut Head {
        &mut self.heads[i]
    }

    /// The team of the visit at `i`.
    pub fn team(&self, i: usize) -> &[u8] {
        &self.text[self.heads[i].team.clone()]
    }

    /// The compound of the visit at `i`.
    pub fn compound(&self, i: usize) -> &[u8] {
        &self.text[self.heads[i].compound.clone()]
    }

    /// What is kept of the file's visits once it is checked: their ids and first lines.
    pub fn into_visits(self) -> FileVisits {
        self.visits
    }
}

/// The visits first seen in one month file: ids, the line each was first seen on, and the
/// hashes of the ids.
#[derive(Debug, Default)]
pub struct FileVisits {
    /// The ids, one after another.
    ids: Vec<u8>,
    /// Where each id ends in `ids`.
    ends: Vec<usize>,
    lines: Vec<u64>,
    hashes: Vec<u64>,
}

impl FileVisits {
    fn push(&mut self, hash: u64, id: &[u8], line: u64) {
        self.ids.extend_from_slice(id);
        self.ends.push(self.ids.len());
        self.lines.push(line);
        self.hashes.push(hash);
    }

    /// How many visits.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// The id of the visit at `i`.
    pub fn id(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.ids[start..self.ends[i]]
    }

    /// The visits with their hashes.
    fn iter(&self) -> impl Iterator<Item = (u64, &[u8])> + '_ {
        (0..self.len()).map(|i| (self.hashes[i], self.id(i)))
    }
}

/// The visits of the month files merged so far, by id: those of file `i` (its index among
/// the month files) are `files[i]`.
#[derive(Debug, Default)]
pub struct VisitIndex {
    files: Vec<FileVisits>,
    /// (file, position in the file), by the hash of the id.
    table: HashTable<(usize, usize)>,
}

impl VisitIndex {
    /// The file (its index) and line where the visit `id` (of hash `hash`) was first seen.
    pub fn get(&self, hash: u64, id: &[u8]) -> Option<(usize, u64)> {
        if self.table.is_empty() {
            return None;
        }
        let &(f, i) = self.table.find(hash, |&(f, i)| self.files[f].id(i) == id)?;
        Some((f, self.files[f].lines[i]))
    }

    /// Whether there is a visit `id`.
    pub fn contains(&self, id: &str) -> bool {
        self.get(hash_id(id.as_bytes()), id.as_bytes()).is_some()
    }

    /// Whether one of `visits` is here already.
    pub fn any_of(&self, visits: &FileVisits) -> bool {
        !self.table.is_empty() && visits.iter().any(|(h, id)| self.get(h, id).is_some())
    }

    /// Take in the visits of the next file, none of them here already ([`VisitIndex::any_of`]).
    /// Files come in order: the first is file 0.
    pub fn push(&mut self, visits: FileVisits) {
        let f = self.files.len();
        self.files.push(visits);
        let files = &self.files;
        let hash_of = |&(f, i): &(usize, usize)| files[f].hashes[i];
        let hashes = &files[f].hashes;
        self.table.reserve(hashes.len(), hash_of);
        for (i, &h) in hashes.iter().enumerate() {
            self.table.insert_unique(h, (f, i), hash_of);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use std::collections::HashMap;

    fn row(id: &str) -> StoreRow<'_> {
        StoreRow {
            visit_id: id.as_bytes(),
            date_text: b"2026-03-02",
            date: NaiveDate::from_ymd_opt(2026, 3, 2).unwrap(),
            level: Level::Street,
            purpose: Purpose::Routine,
            team: "组".as_bytes(),
            inspectors: 2,
            compound_id: id.as_bytes(),
            item: "",
            count: 0,
            photos: 0,
        }
    }

    proptest! {
        /// Files of ids, each id added to its file's heads once (where it was first seen
        /// there) unless an earlier file has it: the index answers as a map from id to the
        /// first file and line that had it.
        #[test]
        fn agrees_with_a_hash_map(files in prop::collection::vec(prop::collection::vec("[a-d]{0,3}|[a-d]{20}", 0..30), 0..5)) {
            let mut index = VisitIndex::default();
            let mut oracle: HashMap<String, (usize, u64)> = HashMap::new();
            for (f, ids) in files.iter().enumerate() {
                let mut heads = FileHeads::default();
                for (k, id) in ids.iter().enumerate() {
                    let (h, line) = (hash_id(id.as_bytes()), k as u64 + 2);
                    if heads.find(h, id.as_bytes()).is_none() && index.get(h, id.as_bytes()).is_none() {
                        let i = heads.insert(h, &row(id), line);
                        prop_assert_eq!(heads.compound(i), id.as_bytes());
                        prop_assert_eq!(heads.head(i).line, line);
                    }
                    if !oracle.contains_key(id.as_str()) {
                        oracle.insert(id.clone(), (f, line));
                    }
                }
                let visits = heads.into_visits();
                prop_assert!(!index.any_of(&visits));
                index.push(visits);
                for id in ids {
                    prop_assert_eq!(index.get(hash_id(id.as_bytes()), id.as_bytes()), oracle.get(id).copied());
                    prop_assert!(index.contains(id));
                }
            }
            prop_assert!(!index.contains("zz"));
        }
    }
}
