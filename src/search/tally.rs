//! Counting collectors that work on column ordinals: matched passages,
//! distinct files, and entity mentions. A segment's string columns number
//! their distinct values (ordinals), so a passage costs a few integer reads
//! and array increments; names and paths are only turned into text once per
//! distinct value, at the end of each segment.
//!
//! Files are counted per segment and summed: an update writes all the
//! records of a file together in one segment and deletes the old ones
//! (`index/update.rs`), so a file's live passages never span segments, and
//! within a segment they are adjacent, in document order.

use std::collections::{HashMap, HashSet};

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocId, Score, SegmentOrdinal, SegmentReader};

use crate::extract::entities::EntityKind;
use crate::schema::Fields;

/// Ordinal standing for "no path" (a record without one).
const NO_PATH: u64 = u64::MAX;

/// The path ordinal of `doc`, or [`NO_PATH`].
fn path_ord(paths: Option<&StrColumn>, doc: DocId) -> u64 {
    paths.and_then(|paths| paths.term_ords(doc).next()).unwrap_or(NO_PATH)
}

/// Matched passages, how many of them differ (by fingerprint: copies count
/// once), and the distinct files they come from.
pub(crate) struct PassageCount<'a> {
    pub fields: &'a Fields,
}

/// What [`PassageCount`] finds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Passages {
    pub passages: usize,
    pub files: usize,
    pub distinct: usize,
}

pub(crate) struct SegmentPassageCount {
    paths: Option<StrColumn>,
    hashes: Option<Column<u64>>,
    last_path: u64,
    counted: Passages,
    /// Fingerprints seen in this segment; passages without one count apart.
    seen: HashSet<u64>,
    unhashed: usize,
}

/// What one segment found: counts, and fingerprints to merge across segments.
pub(crate) struct SegmentPassages {
    counted: Passages,
    seen: HashSet<u64>,
    unhashed: usize,
}

impl Collector for PassageCount<'_> {
    type Fruit = Passages;
    type Child = SegmentPassageCount;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentPassageCount> {
        let fast = reader.fast_fields();
        Ok(SegmentPassageCount {
            paths: fast.str(self.fields.name(self.fields.path))?,
            hashes: fast.u64(self.fields.name(self.fields.para_hash)).ok(),
            last_path: NO_PATH,
            counted: Passages::default(),
            seen: HashSet::new(),
            unhashed: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(&self, fruits: Vec<SegmentPassages>) -> tantivy::Result<Passages> {
        let mut sum = Passages::default();
        let mut seen = HashSet::new();
        for fruit in fruits {
            sum.passages += fruit.counted.passages;
            sum.files += fruit.counted.files;
            sum.distinct += fruit.unhashed;
            seen.extend(fruit.seen);
        }
        sum.distinct += seen.len();
        Ok(sum)
    }
}

impl SegmentCollector for SegmentPassageCount {
    type Fruit = SegmentPassages;

    fn collect(&mut self, doc: DocId, _score: Score) {
        self.counted.passages += 1;
        match self.hashes.as_ref().and_then(|hashes| hashes.first(doc)) {
            Some(hash) => {
                self.seen.insert(hash);
            }
            None => self.unhashed += 1,
        }
        let path = path_ord(self.paths.as_ref(), doc);
        if path != self.last_path {
            self.counted.files += 1;
            self.last_path = path;
        }
    }

    fn harvest(self) -> SegmentPassages {
        SegmentPassages { counted: self.counted, seen: self.seen, unhashed: self.unhashed }
    }
}

/// Mentions of one entity name, keyed by kind and name as written.
pub(crate) type EntityTallies = HashMap<(EntityKind, String), Tally>;

/// How many matched passages, and files, mention one name.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub paragraphs: usize,
    pub files: usize,
}

/// Counts the entity names of the matched passages, for the given kinds.
pub(crate) struct EntityCount<'a> {
    pub fields: &'a Fields,
    pub kinds: &'a [EntityKind],
}

/// One kind's column and a counter per ordinal.
struct KindCounters {
    kind: EntityKind,
    column: StrColumn,
    counters: Vec<OrdCounter>,
}

#[derive(Clone, Copy)]
struct OrdCounter {
    paragraphs: u32,
    files: u32,
    /// Path ordinal of the last passage counted, to count files.
    last_path: u64,
}

pub(crate) struct SegmentEntityCount {
    paths: Option<StrColumn>,
    kinds: Vec<KindCounters>,
}

impl Collector for EntityCount<'_> {
    type Fruit = EntityTallies;
    type Child = SegmentEntityCount;

    fn for_segment(
        &self,
        _segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentEntityCount> {
        let fast = reader.fast_fields();
        let mut kinds = Vec::new();
        for &kind in self.kinds {
            let Some(column) = fast.str(self.fields.name(self.fields.entities[kind]))? else {
                continue;
            };
            let fresh = OrdCounter { paragraphs: 0, files: 0, last_path: NO_PATH };
            let counters = vec![fresh; column.num_terms()];
            kinds.push(KindCounters { kind, column, counters });
        }
        Ok(SegmentEntityCount { paths: fast.str(self.fields.name(self.fields.path))?, kinds })
    }

    fn requires_scoring(&self) -> bool {
        false
    }

    fn merge_fruits(
        &self,
        fruits: Vec<std::io::Result<EntityTallies>>,
    ) -> tantivy::Result<EntityTallies> {
        let mut merged = EntityTallies::new();
        for fruit in fruits {
            let fruit = fruit?;
            for (key, tally) in fruit {
                let sum = merged.entry(key).or_default();
                sum.paragraphs += tally.paragraphs;
                sum.files += tally.files;
            }
        }
        Ok(merged)
    }
}

impl SegmentCollector for SegmentEntityCount {
    type Fruit = std::io::Result<EntityTallies>;

    fn collect(&mut self, doc: DocId, _score: Score) {
        let path = path_ord(self.paths.as_ref(), doc);
        for kind in &mut self.kinds {
            for ord in kind.column.term_ords(doc) {
                let Some(counter) = kind.counters.get_mut(ord as usize) else { continue };
                counter.paragraphs += 1;
                if counter.last_path != path {
                    counter.files += 1;
                    counter.last_path = path;
                }
            }
        }
    }

    /// Names only for the ordinals counted, resolved in ordinal order (one
    /// pass over the dictionary).
    fn harvest(self) -> std::io::Result<EntityTallies> {
        let mut tallies = EntityTallies::new();
        for KindCounters { kind, column, counters } in self.kinds {
            let counted: Vec<u64> = (0..counters.len() as u64)
                .filter(|&ord| counters[ord as usize].paragraphs > 0)
                .collect();
            let mut next = counted.iter();
            column.dictionary().sorted_ords_to_term_cb(&counted, |bytes| {
                let Some(&ord) = next.next() else { return };
                let counter = counters[ord as usize];
                let name = String::from_utf8_lossy(bytes).into_owned();
                let tally = Tally {
                    paragraphs: counter.paragraphs as usize,
                    files: counter.files as usize,
                };
                tallies.insert((kind, name), tally);
            })?;
        }
        Ok(tallies)
    }
}
