//! The best passages in one total order: score (highest first), then file
//! path, then paragraph number. Ties are common (the same wire story filed
//! in several folders scores the same everywhere; a filter-only search
//! scores every passage alike), so ordering by score alone and sorting ties
//! afterwards would need ever larger windows to be sure of the cut. This
//! collector breaks ties while it collects, so a window of `limit` passages
//! is exact, and it keeps tantivy's Block-WAND pruning: only passages that
//! cannot even tie the current last one are skipped.
//!
//! When copies are folded it can keep one passage per fingerprint
//! ([`RankedPassages::distinct`]): in a folder holding every story five
//! times the first ten passages were two stories, and filling a page took
//! four searches; dropping exact copies while collecting takes one.

use std::cmp::Ordering;
use std::collections::{BinaryHeap, HashMap, HashSet};
use std::sync::Mutex;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

use super::columns::sorted_paths;
use crate::schema::Fields;

/// One ranked passage.
#[derive(Clone, Debug, PartialEq)]
pub struct Ranked {
    pub score: Score,
    pub path: String,
    pub para: u32,
    pub address: DocAddress,
}

/// Collects the first `limit` passages in (score, path, para) order.
pub(crate) struct RankedPassages<'a> {
    limit: usize,
    /// Keep only the best passage of each fingerprint (headlines excepted),
    /// noting the others here.
    distinct: Option<&'a Dropped>,
    /// Where the `path` and `para` columns are.
    fields: &'a Fields,
}

impl<'a> RankedPassages<'a> {
    pub(crate) fn with_limit(fields: &'a Fields, limit: usize) -> RankedPassages<'a> {
        RankedPassages { limit: limit.max(1), distinct: None, fields }
    }

    /// The first `limit` passages whose fingerprints differ: of exact copies
    /// only the first in order is kept, which is the one folding would keep.
    /// Two stories may share a headline and each is lifted to its own body,
    /// so a headline is a copy only in a document whose signature is the
    /// same too. A short result still means no more passages.
    /// The copies left out of the last search are in `dropped`, for listing.
    pub(crate) fn distinct(self, dropped: Option<&'a Dropped>) -> Self {
        RankedPassages { distinct: dropped, ..self }
    }
}

/// The exact copies distinct searches left out, by the passage each
/// returned in their place. One pick of passages may be several searches
/// (a query's tiers), so they add to it; [`Dropped::take`] empties it.
#[derive(Default)]
pub(crate) struct Dropped(Mutex<HashMap<DocAddress, Vec<DocAddress>>>);

impl Dropped {
    /// What the searches since the last call left out.
    pub(crate) fn take(&self) -> HashMap<DocAddress, Vec<DocAddress>> {
        std::mem::take(&mut *self.lock())
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, HashMap<DocAddress, Vec<DocAddress>>> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A candidate within one segment; paths are compared by their ordinal in
/// the segment's sorted path dictionary, which orders them as strings do.
#[derive(Clone, Copy, Debug)]
struct Entry {
    score: Score,
    path: u64,
    para: u64,
    doc: DocId,
    /// The fingerprint it is kept apart by, in distinct mode.
    copy_key: Option<u64>,
}

impl Entry {
    /// Better entries compare as smaller, so a max-heap keeps the worst on top.
    fn rank(&self, other: &Entry) -> Ordering {
        other
            .score
            .total_cmp(&self.score)
            .then(self.path.cmp(&other.path))
            .then(self.para.cmp(&other.para))
            .then(self.doc.cmp(&other.doc))
    }
}

impl PartialEq for Entry {
    fn eq(&self, other: &Entry) -> bool {
        self.rank(other) == Ordering::Equal
    }
}

impl Eq for Entry {}

impl PartialOrd for Entry {
    fn partial_cmp(&self, other: &Entry) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Entry {
    fn cmp(&self, other: &Entry) -> Ordering {
        self.rank(other)
    }
}

/// The per-segment half of [`RankedPassages`].
pub(crate) struct SegmentRanked {
    limit: usize,
    segment: SegmentOrdinal,
    paths: Option<StrColumn>,
    paras: Column<u64>,
    /// Fingerprints and document signatures, in distinct mode.
    hashes: Option<Column<u64>>,
    signatures: Option<Column<u64>>,
    heap: BinaryHeap<Entry>,
    /// Distinct mode: the entry kept for each fingerprint. A heap entry of
    /// a fingerprint whose kept entry is another one was replaced by a
    /// better copy: it is stale, left in the heap until it reaches the top.
    kept: HashMap<u64, Entry>,
    /// Distinct mode: the copies of each kept fingerprint left out.
    dropped: HashMap<u64, Vec<DocId>>,
    /// Distinct mode: the paragraph fingerprints of every passage kept so
    /// far (also of those since pushed out: it only has to hold them all).
    kept_fingerprints: HashSet<u64>,
    stale: usize,
}

impl SegmentRanked {
    /// Offers a passage; returns the score a passage must beat (or tie) to
    /// still get in, for pruning.
    fn offer(&mut self, doc: DocId, score: Score) -> Score {
        let path = self.paths.as_ref().and_then(|p| p.term_ords(doc).next()).unwrap_or(u64::MAX);
        let para = self.paras.first(doc).unwrap_or(u64::MAX);
        let fingerprint = self.hashes.as_ref().and_then(|hashes| hashes.first(doc));
        let entry = Entry { score, path, para, doc, copy_key: None };
        // A passage sharing no kept passage's fingerprint is no copy of one:
        // if it does not come before the worst kept passage either, it is
        // turned away before a headline's signature is read for its key
        // (ties at the cut are many where every story is filed twenty times).
        if fingerprint.is_some_and(|f| !self.kept_fingerprints.contains(&f))
            && self.live() >= self.limit
            && self.heap.peek().is_some_and(|worst| entry >= *worst)
        {
            return self.threshold();
        }
        let copy_key = fingerprint.and_then(|f| self.copy_key(doc, para, f));
        if let Some(f) = fingerprint {
            self.kept_fingerprints.insert(f);
        }
        let entry = Entry { copy_key, ..entry };
        let copy_of = copy_key.and_then(|key| self.kept.get(&key).copied());
        if let (Some(kept), Some(key)) = (copy_of, copy_key) {
            // A copy of a kept passage: it takes the place only if it comes first.
            let left_out = if entry < kept {
                self.stale += 1;
                self.keep(entry);
                kept.doc
            } else {
                doc
            };
            self.dropped.entry(key).or_default().push(left_out);
        } else if self.live() < self.limit {
            self.keep(entry);
        } else if self.heap.peek().is_some_and(|worst| entry < *worst) {
            if let Some(worst) = self.heap.pop() {
                self.forget(&worst);
            }
            self.keep(entry);
        }
        self.drop_stale_top();
        self.threshold()
    }

    /// What exact copies of record `doc` share: its fingerprint `hash`,
    /// and for a headline its document's signature as well.
    fn copy_key(&self, doc: DocId, para: u64, hash: u64) -> Option<u64> {
        if para != 0 {
            return Some(hash);
        }
        let mut words = self.signatures.as_ref()?.values_for_doc(doc).peekable();
        words.peek()?;
        // FNV-style mixing; a headline key colliding with a body's would
        // only make two passages look like copies with odds of 2^-64.
        Some(words.fold(hash ^ 0x6a09_e667_f3bc_c908, |key, word| {
            (key ^ word).wrapping_mul(0x0000_0100_0000_01b3).rotate_left(29)
        }))
    }

    fn keep(&mut self, entry: Entry) {
        if let Some(key) = entry.copy_key {
            self.kept.insert(key, entry);
        }
        self.heap.push(entry);
    }

    fn forget(&mut self, entry: &Entry) {
        if let Some(key) = entry.copy_key {
            self.kept.remove(&key);
            self.dropped.remove(&key);
        }
    }

    fn is_stale(&self, entry: &Entry) -> bool {
        entry.copy_key.is_some_and(|key| self.kept.get(&key).is_none_or(|k| k.doc != entry.doc))
    }

    /// Entries in the heap that are not stale.
    fn live(&self) -> usize {
        self.heap.len() - self.stale
    }

    /// Pops stale entries off the top, so the top is the worst live entry.
    fn drop_stale_top(&mut self) {
        while self.heap.peek().is_some_and(|top| self.is_stale(top)) {
            self.heap.pop();
            self.stale -= 1;
        }
    }

    /// Just below the last kept score once the heap is full, so passages
    /// that tie it are still offered.
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.live() >= self.limit => worst.score.next_down(),
            _ => Score::NEG_INFINITY,
        }
    }
}

/// One segment's best entries, best first, with the column that turns their
/// path ordinals into strings. Strings are read only in
/// [`RankedPassages::merge_fruits`], for the entries that can make the cut:
/// each read decodes a block of the path dictionary, and most of a
/// segment's entries never reach the output.
pub(crate) struct SegmentFruit {
    segment: SegmentOrdinal,
    paths: Option<StrColumn>,
    entries: Vec<Entry>,
    dropped: HashMap<u64, Vec<DocId>>,
}

/// The paths of the pooled entries, by segment and ordinal: each segment's
/// decoded at once ([`sorted_paths`]), so a dictionary block holding several
/// of them (twenty copies of a story, say) is decompressed once, not once
/// per entry.
fn pool_paths(
    fruits: &[SegmentFruit],
    pool: &[(&SegmentFruit, &Entry)],
) -> tantivy::Result<HashMap<(SegmentOrdinal, u64), String>> {
    let mut paths = HashMap::with_capacity(pool.len());
    for fruit in fruits {
        let Some(column) = &fruit.paths else { continue };
        let mut ords: Vec<u64> = pool
            .iter()
            .filter(|(f, e)| f.segment == fruit.segment && e.path != u64::MAX)
            .map(|(_, e)| e.path)
            .collect();
        if ords.is_empty() {
            continue;
        }
        ords.sort_unstable();
        ords.dedup();
        let decoded = sorted_paths(column, &ords)?;
        paths.extend(ords.into_iter().map(|ord| (fruit.segment, ord)).zip(decoded));
    }
    Ok(paths)
}

impl SegmentCollector for SegmentRanked {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(self) -> SegmentFruit {
        let mut entries =
            self.heap.iter().filter(|e| !self.is_stale(e)).copied().collect::<Vec<_>>();
        entries.sort();
        SegmentFruit { segment: self.segment, paths: self.paths, entries, dropped: self.dropped }
    }
}

/// Best first: score, then path, then paragraph, then address.
fn ranked_order(a: &Ranked, b: &Ranked) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then_with(|| a.path.cmp(&b.path))
        .then(a.para.cmp(&b.para))
        .then(a.address.cmp(&b.address))
}

impl Collector for RankedPassages<'_> {
    type Fruit = Vec<Ranked>;
    type Child = SegmentRanked;

    fn for_segment(
        &self,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentRanked> {
        let fast = reader.fast_fields();
        Ok(SegmentRanked {
            limit: self.limit,
            segment,
            paths: fast.str(self.fields.name(self.fields.path))?,
            paras: fast.u64(self.fields.name(self.fields.para))?,
            hashes: match self.distinct {
                Some(_) => fast.u64(self.fields.name(self.fields.para_hash)).ok(),
                None => None,
            },
            signatures: match self.distinct {
                Some(_) => fast.u64(self.fields.name(self.fields.doc_signature)).ok(),
                None => None,
            },
            heap: BinaryHeap::new(),
            kept: HashMap::new(),
            dropped: HashMap::new(),
            kept_fingerprints: HashSet::new(),
            stale: 0,
        })
    }

    fn requires_scoring(&self) -> bool {
        true
    }

    /// Keeps every entry scoring at least the `limit`-th best score (ties
    /// at the cut are decided by path, which needs the strings), reads
    /// their paths, and orders them fully.
    fn merge_fruits(&self, fruits: Vec<SegmentFruit>) -> tantivy::Result<Vec<Ranked>> {
        let mut pool: Vec<(&SegmentFruit, &Entry)> =
            fruits.iter().flat_map(|f| f.entries.iter().map(move |e| (f, e))).collect();
        pool.sort_by(|a, b| b.1.score.total_cmp(&a.1.score));
        // The `limit`-th score, counting copies in different segments once.
        let mut keys = HashSet::new();
        let mut counted = 0;
        for (_, entry) in &pool {
            if entry.copy_key.is_none_or(|key| keys.insert(key)) {
                counted += 1;
            }
            if counted == self.limit {
                let cut = entry.score;
                pool.retain(|(_, e)| e.score.total_cmp(&cut) != Ordering::Less);
                break;
            }
        }
        let paths = pool_paths(&fruits, &pool)?;
        let mut all = Vec::with_capacity(pool.len());
        for (fruit, entry) in pool {
            let ranked = Ranked {
                score: entry.score,
                path: paths.get(&(fruit.segment, entry.path)).cloned().unwrap_or_default(),
                para: u32::try_from(entry.para).unwrap_or(u32::MAX),
                address: DocAddress::new(fruit.segment, entry.doc),
            };
            all.push((ranked, entry.copy_key));
        }
        all.sort_by(|a, b| ranked_order(&a.0, &b.0));
        let mut keys = HashSet::new();
        let mut left_out: HashMap<u64, Vec<DocAddress>> = HashMap::new();
        all.retain(|(ranked, key)| match key {
            Some(key) if !keys.insert(*key) => {
                left_out.entry(*key).or_default().push(ranked.address);
                false
            }
            _ => true,
        });
        all.truncate(self.limit);
        if let Some(dropped) = self.distinct {
            let shown: HashMap<u64, DocAddress> =
                all.iter().filter_map(|(ranked, key)| Some(((*key)?, ranked.address))).collect();
            for fruit in &fruits {
                for (key, docs) in &fruit.dropped {
                    let addresses = docs.iter().map(|&doc| DocAddress::new(fruit.segment, doc));
                    left_out.entry(*key).or_default().extend(addresses);
                }
            }
            let mut table = dropped.lock();
            for (key, copies) in left_out {
                if let Some(passage) = shown.get(&key) {
                    table.entry(*passage).or_default().extend(copies);
                }
            }
        }
        Ok(all.into_iter().map(|(ranked, _)| ranked).collect())
    }

    fn collect_segment(
        &self,
        weight: &dyn Weight,
        segment: SegmentOrdinal,
        reader: &SegmentReader,
    ) -> tantivy::Result<SegmentFruit> {
        let mut child = self.for_segment(segment, reader)?;
        let alive = reader.alive_bitset();
        weight.for_each_pruning(Score::NEG_INFINITY, reader, &mut |doc, score| {
            if alive.is_none_or(|a| a.is_alive(doc)) {
                child.offer(doc, score)
            } else {
                child.threshold()
            }
        })?;
        Ok(child.harvest())
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::{AllQuery, QueryParser};
    use tantivy::{doc, Index, IndexWriter};

    use super::*;
    use crate::{analysis, schema};

    /// An index of passages `(path, para, text)` in two segments.
    fn index(passages: &[(&str, u64, &str)]) -> (Index, Fields) {
        let (schema, fields) = schema::build();
        let (path, para, text) = (fields.path, fields.para, fields.text);
        let index = Index::create_in_ram(schema);
        analysis::register(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, (p, n, t)) in passages.iter().enumerate() {
            writer.add_document(doc!(path => *p, para => *n, text => *t)).unwrap();
            if i == passages.len() / 2 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// An index of records `(path, para, text, signature word)` with their
    /// fingerprints, in two segments.
    fn index_with_copies(records: &[(&str, u64, &str, u64)]) -> (Index, Fields) {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        analysis::register(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        for (i, &(path, para, text, signature)) in records.iter().enumerate() {
            let hash = crate::fingerprint::paragraph_hash(text).unwrap();
            let mut record = doc!(fields.path => path, fields.para => para, fields.text => text);
            record.add_u64(fields.para_hash, hash);
            record.add_u64(fields.doc_signature, signature);
            writer.add_document(record).unwrap();
            if i == records.len() / 2 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    /// Five copies of a story, one of them under another story's headline
    /// (same words, another signature): the distinct search keeps the first
    /// copy of the paragraph and of the headline, both headlines, and notes
    /// the copies it left out, across segments.
    #[test]
    fn a_distinct_search_keeps_the_first_of_each_copy_and_notes_the_rest() {
        let mut records = Vec::new();
        for folder in ["03", "05", "01", "04", "02"] {
            let signature = if folder == "05" { 9 } else { 7 };
            let story = "oil prices rose sharply today".to_string();
            records.push((format!("{folder}/a.txt"), 0, "Oil prices".to_string(), signature));
            records.push((format!("{folder}/a.txt"), 1, story, 0));
            records.push((format!("{folder}/b.txt"), 1, format!("oil wells of {folder}"), 0));
        }
        let records: Vec<(&str, u64, &str, u64)> =
            records.iter().map(|(p, n, t, s)| (p.as_str(), *n, t.as_str(), *s)).collect();
        let (index, fields) = index_with_copies(&records);
        let searcher = index.reader().unwrap().searcher();
        let query = QueryParser::for_index(&index, vec![fields.text]).parse_query("oil").unwrap();
        let dropped = Dropped::default();
        let distinct = RankedPassages::with_limit(&fields, 100).distinct(Some(&dropped));
        let found = searcher.search(&query, &distinct).unwrap();
        let all = searcher.search(&query, &RankedPassages::with_limit(&fields, 100)).unwrap();
        assert_eq!(all.len(), 15);
        // What a distinct search keeps is what the full list holds, minus copies.
        let headlines: Vec<(String, u32)> = keys(&found).into_iter().filter(|k| k.1 == 0).collect();
        assert_eq!(headlines, [("01/a.txt".to_string(), 0), ("05/a.txt".to_string(), 0)]);
        let stories: Vec<(String, u32)> =
            keys(&found).into_iter().filter(|k| k.0.ends_with("a.txt") && k.1 == 1).collect();
        assert_eq!(stories, [("01/a.txt".to_string(), 1)]);
        assert_eq!(found.len(), 2 + 1 + 5, "{:?}", keys(&found));
        assert!(found.iter().all(|hit| all.contains(hit)));
        let left_out = dropped.take();
        let path_of = |address: &DocAddress| {
            all.iter().find(|hit| hit.address == *address).map(|hit| hit.path.clone()).unwrap()
        };
        let copies_of = |hit: &Ranked| {
            let mut paths: Vec<String> = left_out[&hit.address].iter().map(path_of).collect();
            paths.sort();
            paths
        };
        let story = found.iter().find(|hit| hit.para == 1 && hit.path == "01/a.txt").unwrap();
        assert_eq!(copies_of(story), ["02/a.txt", "03/a.txt", "04/a.txt", "05/a.txt"]);
        let headline = found.iter().find(|hit| hit.para == 0 && hit.path == "01/a.txt").unwrap();
        assert_eq!(copies_of(headline), ["02/a.txt", "03/a.txt", "04/a.txt"]);
        // A short window is filled with distinct passages too.
        let two = RankedPassages::with_limit(&fields, 2).distinct(Some(&dropped));
        assert_eq!(keys(&searcher.search(&query, &two).unwrap()), keys(&found[..2]));
    }

    fn keys(hits: &[Ranked]) -> Vec<(String, u32)> {
        hits.iter().map(|h| (h.path.clone(), h.para)).collect()
    }

    #[test]
    fn ties_are_ordered_by_path_then_paragraph_at_any_limit() {
        // The same story in five folders, listed out of order, plus noise.
        let story = "oil prices rose sharply";
        let mut passages = vec![];
        for folder in ["05", "02", "04", "01", "03"] {
            passages.push((format!("{folder}/a.txt"), 2, story));
            passages.push((format!("{folder}/a.txt"), 1, story));
            passages.push((format!("{folder}/b.txt"), 1, "wheat and corn"));
        }
        let passages: Vec<(&str, u64, &str)> =
            passages.iter().map(|(p, n, t)| (p.as_str(), *n, *t)).collect();
        let (index, fields) = index(&passages);
        let searcher = index.reader().unwrap().searcher();
        let query = QueryParser::for_index(&index, vec![fields.text]).parse_query("oil").unwrap();
        let all = searcher.search(&query, &RankedPassages::with_limit(&fields, 100)).unwrap();
        let expected: Vec<(String, u32)> = ["01", "02", "03", "04", "05"]
            .iter()
            .flat_map(|f| [(format!("{f}/a.txt"), 1), (format!("{f}/a.txt"), 2)])
            .collect();
        assert_eq!(keys(&all), expected);
        for limit in 1..=10 {
            let top = searcher.search(&query, &RankedPassages::with_limit(&fields, limit)).unwrap();
            assert_eq!(keys(&top), expected[..limit], "limit {limit}");
        }
    }

    #[test]
    fn scores_come_first_and_match_tantivys_own() {
        let passages = [
            ("a.txt", 1, "cocoa"),
            ("b.txt", 1, "cocoa cocoa cocoa exports"),
            ("c.txt", 1, "coffee"),
            ("d.txt", 1, "cocoa exports fell as cocoa prices rose"),
        ];
        let (index, fields) = index(&passages);
        let searcher = index.reader().unwrap().searcher();
        let query = QueryParser::for_index(&index, vec![fields.text]).parse_query("cocoa").unwrap();
        let ours = searcher.search(&query, &RankedPassages::with_limit(&fields, 10)).unwrap();
        let theirs = searcher.search(&query, &TopDocs::with_limit(10).order_by_score()).unwrap();
        let our_scores: Vec<Score> = ours.iter().map(|h| h.score).collect();
        let their_scores: Vec<Score> = theirs.iter().map(|(s, _)| *s).collect();
        assert_eq!(our_scores, their_scores);
        assert_eq!(ours.len(), 3);
        assert!(ours.windows(2).all(|w| w[0].score >= w[1].score));
        // A query that scores everything alike is ordered by path alone.
        let every = searcher.search(&AllQuery, &RankedPassages::with_limit(&fields, 2)).unwrap();
        assert_eq!(keys(&every), [("a.txt".to_string(), 1), ("b.txt".to_string(), 1)]);
    }
}
