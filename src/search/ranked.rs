//! The best passages in one total order: score (highest first), then file
//! path, then paragraph number. Ties are common (the same wire story filed
//! in several folders scores the same everywhere; a filter-only search
//! scores every passage alike), so ordering by score alone and sorting ties
//! afterwards would need ever larger windows to be sure of the cut. This
//! collector breaks ties while it collects, so a window of `limit` passages
//! is exact, and it keeps tantivy's Block-WAND pruning: only passages that
//! cannot even tie the current last one are skipped.

use std::cmp::Ordering;
use std::collections::BinaryHeap;

use tantivy::collector::{Collector, SegmentCollector};
use tantivy::columnar::{Column, StrColumn};
use tantivy::query::Weight;
use tantivy::{DocAddress, DocId, Score, SegmentOrdinal, SegmentReader};

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
    /// Where the `path` and `para` columns are.
    fields: &'a Fields,
}

impl RankedPassages<'_> {
    pub(crate) fn with_limit(fields: &Fields, limit: usize) -> RankedPassages<'_> {
        RankedPassages { limit: limit.max(1), fields }
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
    heap: BinaryHeap<Entry>,
}

impl SegmentRanked {
    /// Offers a passage; returns the score a passage must beat (or tie) to
    /// still get in, for pruning.
    fn offer(&mut self, doc: DocId, score: Score) -> Score {
        let path = self.paths.as_ref().and_then(|p| p.term_ords(doc).next()).unwrap_or(u64::MAX);
        let para = self.paras.first(doc).unwrap_or(u64::MAX);
        let entry = Entry { score, path, para, doc };
        if self.heap.len() < self.limit {
            self.heap.push(entry);
        } else if self.heap.peek().is_some_and(|worst| entry < *worst) {
            self.heap.pop();
            self.heap.push(entry);
        }
        self.threshold()
    }

    /// Just below the last kept score once the heap is full, so passages
    /// that tie it are still offered.
    fn threshold(&self) -> Score {
        match self.heap.peek() {
            Some(worst) if self.heap.len() >= self.limit => worst.score.next_down(),
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
}

impl SegmentFruit {
    fn path(&self, entry: &Entry) -> tantivy::Result<String> {
        let mut path = String::new();
        if let Some(paths) = &self.paths {
            if entry.path != u64::MAX {
                paths.ord_to_str(entry.path, &mut path)?;
            }
        }
        Ok(path)
    }
}

impl SegmentCollector for SegmentRanked {
    type Fruit = SegmentFruit;

    fn collect(&mut self, doc: DocId, score: Score) {
        self.offer(doc, score);
    }

    fn harvest(self) -> SegmentFruit {
        let mut entries = self.heap.into_vec();
        entries.sort();
        SegmentFruit { segment: self.segment, paths: self.paths, entries }
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
            heap: BinaryHeap::new(),
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
        if let Some(cut) = pool.get(self.limit - 1).map(|(_, e)| e.score) {
            pool.retain(|(_, e)| e.score.total_cmp(&cut) != Ordering::Less);
        }
        let mut all = Vec::with_capacity(pool.len());
        for (fruit, entry) in pool {
            all.push(Ranked {
                score: entry.score,
                path: fruit.path(entry)?,
                para: u32::try_from(entry.para).unwrap_or(u32::MAX),
                address: DocAddress::new(fruit.segment, entry.doc),
            });
        }
        all.sort_by(ranked_order);
        all.truncate(self.limit);
        Ok(all)
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
