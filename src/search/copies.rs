//! Syndicated copies, folded. A wire story filed by several outlets, or a
//! file saved twice, would otherwise fill a page of hits with one passage.
//! Two hits are copies when their paragraphs have the same fingerprint, or
//! when their documents share at least 90% of their shingles and the two
//! paragraphs say the same ([`crate::fingerprint`]); a search shows the best
//! hit of each group and lists the other documents that hold it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use anyhow::Result;
use tantivy::collector::DocSetCollector;
use tantivy::columnar::Column;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::tokenizer::TextAnalyzer;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::columns::RecordColumns;
use super::ranked::Ranked;
use crate::analysis;
use crate::fingerprint::{Gist, Signature};
use crate::schema::Fields;

/// How many copies a hit lists; [`CopyList::count`] says how many there are.
pub(crate) const LISTED: usize = 50;

/// The other documents that hold a hit's passage.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct CopyList {
    /// Their addresses, sorted; at most [`LISTED`].
    pub paths: Vec<String>,
    /// How many there are in all.
    pub count: usize,
}

/// What one segment keeps for folding: fingerprints and signatures.
struct SegmentKeys {
    hashes: Option<Column<u64>>,
    signatures: Option<Column<u64>>,
}

/// Reads fingerprints for one searcher, remembering what it decoded.
pub(crate) struct Copies<'s> {
    searcher: &'s Searcher,
    fields: &'s Fields,
    segments: Vec<SegmentKeys>,
    /// Signatures by the address of their document's first record.
    signatures: HashMap<DocAddress, Option<Signature>>,
    /// Paragraph texts read, by address.
    texts: HashMap<DocAddress, String>,
    /// What paragraphs say, by address, for comparing many pairs.
    gists: HashMap<DocAddress, Gist>,
    /// The passages (with their documents' paths) each passage kept by the
    /// last [`Copies::fold`] folded.
    folded: HashMap<DocAddress, Vec<(DocAddress, String)>>,
    /// Exact copies the search itself left out, by the passage it kept.
    left_out: HashMap<DocAddress, Vec<DocAddress>>,
    /// The analyser of the `text` field, to look up a passage's words.
    words: Option<TextAnalyzer>,
}

impl<'s> Copies<'s> {
    pub(crate) fn new(searcher: &'s Searcher, fields: &'s Fields) -> Copies<'s> {
        let (hashes, signatures) =
            (fields.name(fields.para_hash), fields.name(fields.doc_signature));
        let segments = searcher
            .segment_readers()
            .iter()
            .map(|segment| SegmentKeys {
                hashes: segment.fast_fields().u64(hashes).ok(),
                signatures: segment.fast_fields().u64(signatures).ok(),
            })
            .collect();
        Copies {
            searcher,
            fields,
            segments,
            signatures: HashMap::new(),
            texts: HashMap::new(),
            gists: HashMap::new(),
            folded: HashMap::new(),
            left_out: HashMap::new(),
            words: analysis::analyser(analysis::TEXT),
        }
    }

    /// The fingerprint of a paragraph record.
    fn hash(&self, address: DocAddress) -> Option<u64> {
        self.segments.get(address.segment_ord as usize)?.hashes.as_ref()?.first(address.doc_id)
    }

    /// The signature stored on a document's first record, at `head`.
    fn signature_at(&mut self, head: DocAddress) -> Option<Signature> {
        if let Some(known) = self.signatures.get(&head) {
            return known.clone();
        }
        let column = self.segments.get(head.segment_ord as usize)?.signatures.as_ref();
        let signature = column.and_then(|c| Signature::from_words(c.values_for_doc(head.doc_id)));
        self.signatures.insert(head, signature.clone());
        signature
    }

    /// The signature of the document a paragraph record belongs to.
    fn signature(&mut self, columns: &RecordColumns, address: DocAddress) -> Option<Signature> {
        let head = columns.head_beside(address, columns.para(address)?)?;
        self.signature_at(head)
    }

    /// Exact copies of the picked passages that the search left out
    /// ([`super::ranked::RankedPassages::distinct`]), to list with them.
    pub(crate) fn left_out(&mut self, copies: HashMap<DocAddress, Vec<DocAddress>>) {
        self.left_out = copies;
    }

    /// The text of a paragraph record the caller has read already.
    pub(crate) fn remember_text(&mut self, address: DocAddress, text: &str) {
        self.texts.entry(address).or_insert_with(|| text.to_string());
    }

    /// The text of a paragraph record.
    fn text(&mut self, address: DocAddress) -> Result<&str> {
        if !self.texts.contains_key(&address) {
            let record: TantivyDocument = self.searcher.doc(address)?;
            self.texts.insert(address, super::first_text(&record, self.fields.text));
        }
        Ok(self.texts.get(&address).map_or("", String::as_str))
    }

    /// Reads what a paragraph record says ([`Gist`]) once.
    fn read_gist(&mut self, address: DocAddress) -> Result<()> {
        if !self.gists.contains_key(&address) {
            let gist = Gist::of(self.text(address)?);
            self.gists.insert(address, gist);
        }
        Ok(())
    }

    /// Whether paragraph `other` holds a copy of paragraph `of`: the same
    /// fingerprint, or, in another document that is a copy of `of`'s, a
    /// paragraph that says the same ([`Gist::agrees_with`]).
    fn holds_copy(
        &mut self,
        columns: &RecordColumns,
        of: DocAddress,
        other: DocAddress,
        same_doc: bool,
    ) -> Result<bool> {
        let hash = self.hash(of);
        if hash.is_some() && hash == self.hash(other) {
            return Ok(true);
        }
        if same_doc {
            return Ok(false);
        }
        let (Some(a), Some(b)) = (self.signature(columns, of), self.signature(columns, other))
        else {
            return Ok(false);
        };
        if !a.is_copy_of(&b) {
            return Ok(false);
        }
        self.read_gist(of)?;
        self.read_gist(other)?;
        Ok(self.gists[&of].agrees_with(&self.gists[&other]))
    }

    /// `candidates` in their order, without the copies of an earlier one: a
    /// passage with an earlier one's fingerprint, or a passage of a document
    /// that is a copy of an earlier one's that says the same (an edited
    /// sentence; not one with another number). What each kept passage
    /// folded is remembered for [`Copies::lists`]. A candidate is compared
    /// with the kept passages of its fingerprint and those whose document
    /// shares a band with its own, not with every kept one.
    pub(crate) fn fold(
        &mut self,
        columns: &RecordColumns,
        candidates: Vec<Ranked>,
    ) -> Result<Vec<Ranked>> {
        self.folded.clear();
        let mut kept: Vec<Ranked> = Vec::with_capacity(candidates.len());
        let mut by_hash: HashMap<u64, usize> = HashMap::new();
        let mut by_band: HashMap<u64, Vec<usize>> = HashMap::new();
        for candidate in candidates {
            let hash = self.hash(candidate.address);
            let mut copy_of = hash.and_then(|hash| by_hash.get(&hash).copied());
            let signature = self.signature(columns, candidate.address);
            let bands = signature.as_ref().map(Signature::bands).unwrap_or_default();
            if copy_of.is_none() {
                let mut near: Vec<usize> =
                    bands.iter().filter_map(|band| by_band.get(band)).flatten().copied().collect();
                near.sort_unstable();
                near.dedup();
                for i in near {
                    let same_doc = kept[i].path == candidate.path;
                    if self.holds_copy(columns, kept[i].address, candidate.address, same_doc)? {
                        copy_of = Some(i);
                        break;
                    }
                }
            }
            if let Some(i) = copy_of {
                if kept[i].path != candidate.path {
                    let folded = self.folded.entry(kept[i].address).or_default();
                    folded.push((candidate.address, candidate.path));
                }
                continue;
            }
            let at = kept.len();
            if let Some(hash) = hash {
                by_hash.insert(hash, at);
            }
            if signature.is_some() {
                for band in bands {
                    by_band.entry(band).or_default().push(at);
                }
            }
            kept.push(candidate);
        }
        Ok(kept)
    }

    /// For each hit, the other documents holding its passage: those with a
    /// paragraph of the same fingerprint, and copies of its document with a
    /// paragraph that says the same. Exact copies hold its longest words,
    /// so one lookup of those per hit finds them, with most near ones; the
    /// near copies that folding met are added. Each list counts them all but
    /// names only the first `named` paths (at most [`LISTED`]): a path not
    /// met while folding costs a dictionary block to read, and in a folder
    /// of twenty copies of everything ten hits have 190 of them.
    pub(crate) fn lists(
        &mut self,
        columns: &RecordColumns,
        hits: &[Ranked],
        named: usize,
    ) -> Result<Vec<CopyList>> {
        let named = named.min(LISTED);
        let mut lists = Vec::with_capacity(hits.len());
        for hit in hits {
            let text = self.text(hit.address)?.to_string();
            let own = (hit.address.segment_ord, columns.path_ord(hit.address));
            // Paths are compared by ordinal; only those named are read.
            let mut others = self.left_out_copies(columns, hit)?;
            for other in self.sharing_long_words(&text)? {
                if (other.segment_ord, columns.path_ord(other)) == own {
                    continue;
                }
                if self.holds_copy(columns, hit.address, other, false)? {
                    others.push(other);
                }
            }
            let mut documents = CopyDocuments::default();
            for (address, path) in self.folded.get(&hit.address).into_iter().flatten() {
                documents.add(columns, *address, Some(path));
            }
            for other in others {
                documents.add(columns, other, None);
            }
            if let (segment, Some(ord)) = own {
                documents.by_ordinal.remove(&(segment, ord));
            }
            documents.unordered.remove(&hit.path);
            let count = documents.count();
            let mut paths = documents.first(columns, named)?;
            paths.remove(&hit.path);
            lists.push(CopyList { count, paths: paths.into_iter().take(named).collect() });
        }
        Ok(lists)
    }

    /// Copies of `hit` the search left out: of the passage itself, and, for a
    /// passage lifted from its headline, the same paragraph of each copy of
    /// that document whose headline was left out (records of one file are
    /// adjacent, so it sits as far from that headline as `hit` from its own).
    fn left_out_copies(&self, columns: &RecordColumns, hit: &Ranked) -> Result<Vec<DocAddress>> {
        let mut found = self.left_out.get(&hit.address).cloned().unwrap_or_default();
        if hit.para == 0 {
            return Ok(found); // a headline hit is its own title
        }
        let title = columns.title_beside(hit.address, hit.para);
        let Some(titles) = title.and_then(|title| self.left_out.get(&title)) else {
            return Ok(found);
        };
        for title in titles {
            let Some(doc_id) = title.doc_id.checked_add(hit.para) else { continue };
            let same = DocAddress::new(title.segment_ord, doc_id);
            let beside = columns.title_beside(same, hit.para) == Some(*title);
            if beside && self.hash(same).is_some() && self.hash(same) == self.hash(hit.address) {
                found.push(same);
            }
        }
        Ok(found)
    }

    /// The paragraph records holding the four longest words of `text`
    /// (all of them when it has fewer): every copy of it, and most
    /// paragraphs that say the same with a few words changed, in one lookup
    /// that matches little else. Long words are mostly rare ones, and
    /// choosing them needs no dictionary lookups; only the bound below
    /// does (one per word). Words that are all common
    /// (a sign-off like "REUTER") are not looked up: their copies would be
    /// a large share of the corpus.
    fn sharing_long_words(&mut self, text: &str) -> Result<Vec<DocAddress>> {
        let Some(words) = self.words.as_mut() else { return Ok(Vec::new()) };
        let mut tokens = BTreeSet::new();
        words.token_stream(text).process(&mut |token| {
            tokens.insert((std::cmp::Reverse(token.text.chars().count()), token.text.clone()));
        });
        let terms: Vec<Term> = tokens
            .into_iter()
            .take(LONG_WORDS)
            .map(|(_, word)| Term::from_field_text(self.fields.text, &word))
            .collect();
        let mut rarest = u64::MAX;
        for term in &terms {
            rarest = rarest.min(self.searcher.doc_freq(term)?);
        }
        if terms.is_empty() || rarest > MOST_LOOKED_UP {
            return Ok(Vec::new());
        }
        let clauses: Vec<(Occur, Box<dyn Query>)> = terms
            .into_iter()
            .map(|term| -> (Occur, Box<dyn Query>) {
                (Occur::Must, Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
            })
            .collect();
        let query = BooleanQuery::new(clauses);
        Ok(self.searcher.search(&query, &DocSetCollector)?.into_iter().collect())
    }
}

/// The documents holding copies of one hit, each once: by the ordinal of
/// its path in its segment (the path itself when folding met it), or by
/// path alone when its segment has no path column.
#[derive(Default)]
struct CopyDocuments {
    by_ordinal: BTreeMap<(u32, u64), Option<String>>,
    unordered: BTreeSet<String>,
}

impl CopyDocuments {
    fn add(&mut self, columns: &RecordColumns, record: DocAddress, path: Option<&String>) {
        match (columns.path_ord(record), path) {
            (Some(ord), _) => {
                let known = self.by_ordinal.entry((record.segment_ord, ord)).or_default();
                if known.is_none() {
                    *known = path.cloned();
                }
            }
            (None, Some(path)) => {
                self.unordered.insert(path.clone());
            }
            (None, None) => {}
        }
    }

    fn count(&self) -> usize {
        self.by_ordinal.len() + self.unordered.len()
    }

    /// The first `n` paths in order, and possibly a few more. A segment's
    /// ordinals follow its paths' order, so the first `n` of all are among
    /// the first `n` of each segment: only those are read.
    fn first(&self, columns: &RecordColumns, n: usize) -> Result<BTreeSet<String>> {
        let mut paths: BTreeSet<String> = self.unordered.iter().take(n).cloned().collect();
        let mut unread: BTreeMap<u32, Vec<u64>> = BTreeMap::new();
        let mut taken: BTreeMap<u32, usize> = BTreeMap::new();
        for (&(segment, ord), path) in &self.by_ordinal {
            let taken = taken.entry(segment).or_default();
            if *taken == n {
                continue;
            }
            *taken += 1;
            match path {
                Some(path) => {
                    paths.insert(path.clone());
                }
                None => unread.entry(segment).or_default().push(ord),
            }
        }
        for (segment, ords) in unread {
            paths.extend(columns.paths_at(segment, &ords)?);
        }
        Ok(paths)
    }
}

/// Most paragraphs a copy lookup may have to compare: the rarest of the
/// words looked up is in no more.
const MOST_LOOKED_UP: u64 = 2_000;

/// How many of a passage's words look its copies up.
const LONG_WORDS: usize = 4;

/// A document holding a copy of another, or some of its paragraphs.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct DocumentCopy {
    pub path: String,
    /// The estimated share of shingles the two documents have in common,
    /// when it is at least [`crate::fingerprint::NEAR_DUPLICATE`].
    pub similarity: Option<f32>,
    /// How many of the document's paragraphs this one holds too.
    pub shared: usize,
}

/// What [`of_document`] finds.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct DocumentCopies {
    /// The document's distinct paragraphs of some length: those compared.
    pub paragraphs: usize,
    /// Copies first (most similar first), then by paragraphs shared.
    pub copies: Vec<DocumentCopy>,
}

/// A paragraph of fewer words than this is boilerplate when shared alone
/// ("REUTER", "Photo: AP"): it does not make a document a copy.
const SUBSTANTIAL_WORDS: usize = 8;

/// The copies of document `doc` (its address as hits show it): documents
/// sharing at least 90% of its shingles, and documents that hold one of
/// its paragraphs of some length. `None` when the index has no such document.
pub(crate) fn of_document(
    searcher: &Searcher,
    fields: &Fields,
    doc: &str,
) -> Result<Option<DocumentCopies>> {
    let in_doc = TermQuery::new(Term::from_field_text(fields.path, doc), IndexRecordOption::Basic);
    let records = searcher.search(&in_doc, &DocSetCollector)?;
    let mut columns = RecordColumns::new(searcher, fields)?;
    let mut copies = Copies::new(searcher, fields);
    let mut own = None;
    // Paragraphs of some length are what copies share; a document made of
    // short ones only is still looked up by all of them, for near copies.
    let (mut long, mut short) = (Vec::new(), Vec::new());
    for &address in &records {
        if columns.para(address).is_none() {
            continue; // the file record
        }
        own = own.or_else(|| copies.signature(&columns, address));
        let words = copies.text(address)?.split_whitespace().count();
        match copies.hash(address) {
            Some(hash) if words >= SUBSTANTIAL_WORDS => long.push((hash, address)),
            Some(hash) => short.push((hash, address)),
            None => {}
        }
    }
    if !records.iter().any(|&address| columns.para(address).is_some()) {
        return Ok(None);
    }
    let substantial: BTreeSet<u64> = long.iter().map(|(hash, _)| *hash).collect();
    let looked_up = if long.is_empty() { short } else { long };
    let mut shared: HashMap<String, BTreeSet<u64>> = HashMap::new();
    let mut similar: HashMap<String, f32> = HashMap::new();
    let mut compared: BTreeSet<DocAddress> = BTreeSet::new();
    for (_, address) in looked_up {
        let text = copies.text(address)?.to_string();
        for other in copies.sharing_long_words(&text)? {
            if !compared.insert(other) {
                continue;
            }
            let (path, _) = columns.path_para(other)?;
            if path == doc {
                continue;
            }
            // Any of the document's paragraphs, not only the one looked up.
            if let Some(hash) = copies.hash(other).filter(|h| substantial.contains(h)) {
                shared.entry(path.clone()).or_default().insert(hash);
            }
            if let (Some(own), Some(theirs)) = (&own, copies.signature(&columns, other)) {
                if own.is_copy_of(&theirs) {
                    similar.insert(path, own.similarity(&theirs));
                }
            }
        }
    }
    let mut found: HashMap<String, DocumentCopy> = HashMap::new();
    for (path, hashes) in shared {
        found.insert(path.clone(), DocumentCopy { path, similarity: None, shared: hashes.len() });
    }
    for (path, similarity) in similar {
        let entry =
            found.entry(path.clone()).or_insert(DocumentCopy { path, similarity: None, shared: 0 });
        entry.similarity = Some(similarity);
    }
    let mut copies: Vec<DocumentCopy> = found.into_values().collect();
    copies.sort_by(|a, b| {
        let by_similarity = b.similarity.unwrap_or(0.0).total_cmp(&a.similarity.unwrap_or(0.0));
        by_similarity.then(b.shared.cmp(&a.shared)).then(a.path.cmp(&b.path))
    });
    Ok(Some(DocumentCopies { paragraphs: substantial.len(), copies }))
}

/// How much of an index repeats itself (`lede stats --copies`).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Census {
    /// Paragraphs whose words another document repeats (all copies counted).
    pub copied_paragraphs: usize,
    /// Their groups: one per fingerprint found in two documents or more.
    pub paragraph_groups: usize,
    /// Documents sharing at least 90% of their shingles with another.
    pub copied_documents: usize,
    /// Their groups (documents linked by being copies, transitively).
    pub document_groups: usize,
}

/// Counts copied paragraphs and documents: every live paragraph's
/// fingerprint, and every document's signature compared with those sharing
/// a band ([`Signature::bands`]). A pass over every record's columns.
pub(crate) fn census(searcher: &Searcher, fields: &Fields) -> Result<Census> {
    let mut copies = Copies::new(searcher, fields);
    let columns = RecordColumns::new(searcher, fields)?;
    // A document is its segment and path ordinal: its records are never in
    // two segments, and no path is decoded. Per fingerprint: the first
    // document seen, whether another holds it, how many paragraphs do.
    let mut paragraphs: HashMap<u64, ((u32, u64), bool, usize)> = HashMap::new();
    let mut documents: BTreeMap<(u32, u64), Signature> = BTreeMap::new();
    for (segment_ord, segment) in searcher.segment_readers().iter().enumerate() {
        let segment_ord = segment_ord as u32;
        for doc in (0..segment.max_doc()).filter(|doc| !segment.is_deleted(*doc)) {
            let address = DocAddress::new(segment_ord, doc);
            let (Some(hash), Some(path)) = (copies.hash(address), columns.path_ord(address)) else {
                continue;
            };
            let document = (segment_ord, path);
            let entry = paragraphs.entry(hash).or_insert((document, false, 0));
            entry.1 |= entry.0 != document;
            entry.2 += 1;
            if let std::collections::btree_map::Entry::Vacant(entry) = documents.entry(document) {
                if let Some(signature) = copies.signature(&columns, address) {
                    entry.insert(signature);
                }
            }
        }
    }
    let copied = paragraphs.values().filter(|(_, shared, _)| *shared);
    let signatures: Vec<Signature> = documents.into_values().collect();
    let (document_groups, copied_documents) = near_copy_groups(&signatures);
    Ok(Census {
        copied_paragraphs: copied.clone().map(|(_, _, count)| count).sum(),
        paragraph_groups: copied.count(),
        copied_documents,
        document_groups,
    })
}

/// Groups of documents that are copies of one another (linked through
/// shared bands, each link checked): how many groups, and documents in them.
fn near_copy_groups(signatures: &[Signature]) -> (usize, usize) {
    let mut parent: Vec<usize> = (0..signatures.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut buckets: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, signature) in signatures.iter().enumerate() {
        for band in signature.bands() {
            buckets.entry(band).or_default().push(i);
        }
    }
    for members in buckets.values().filter(|m| m.len() > 1) {
        // Each member is compared with one member of every group the bucket
        // already holds, not with every member (a bucket of a thousand
        // identical files costs a thousand comparisons), and joins every
        // group it is a copy of: the groups do not depend on the order.
        let mut groups: Vec<usize> = Vec::new();
        for &member in members {
            let mut joined = false;
            for &g in &groups {
                if signatures[g].is_copy_of(&signatures[member]) {
                    let (a, b) = (root(&mut parent, g), root(&mut parent, member));
                    parent[b] = a;
                    joined = true;
                }
            }
            if !joined {
                groups.push(member);
            }
        }
    }
    let mut sizes: HashMap<usize, usize> = HashMap::new();
    for i in 0..signatures.len() {
        *sizes.entry(root(&mut parent, i)).or_default() += 1;
    }
    let grouped = sizes.values().filter(|&&size| size > 1);
    (grouped.clone().count(), grouped.sum())
}

#[cfg(test)]
mod tests {
    use tantivy::{doc, Index, IndexWriter};

    use super::*;
    use crate::{analysis, schema};

    /// Seven copies in two segments: only the first three paths of each
    /// segment are read, and the first three of all are among them.
    #[test]
    fn the_first_paths_named_are_the_first_over_every_segment() {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        analysis::register(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let batches = [
            vec!["d/5.txt", "b/3.txt", "f/7.txt"],
            vec!["e/6.txt", "a/2.txt", "c/4.txt", "a/1.txt"],
        ];
        for batch in &batches {
            for path in batch {
                writer.add_document(doc!(fields.path => *path, fields.para => 1u64)).unwrap();
            }
            writer.commit().unwrap();
        }
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        let mut columns = RecordColumns::new(&searcher, &fields).unwrap();
        let mut documents = CopyDocuments::default();
        for (segment, reader) in searcher.segment_readers().iter().enumerate() {
            for doc in 0..reader.max_doc() {
                documents.add(&columns, DocAddress::new(segment as u32, doc), None);
            }
        }
        // A record folding met (its path known), of a document already counted.
        let known = String::from("a/1.txt");
        let readers = searcher.segment_readers().iter().enumerate();
        let record = readers
            .flat_map(|(segment, r)| {
                (0..r.max_doc()).map(move |d| DocAddress::new(segment as u32, d))
            })
            .find(|&address| columns.path_para(address).unwrap().0 == known)
            .unwrap();
        documents.add(&columns, record, Some(&known));
        assert_eq!(documents.count(), 7);
        let first: Vec<String> =
            documents.first(&columns, 3).unwrap().into_iter().take(3).collect();
        assert_eq!(first, ["a/1.txt", "a/2.txt", "b/3.txt"]);
        let all: Vec<String> = documents.first(&columns, LISTED).unwrap().into_iter().collect();
        assert_eq!(all.len(), 7);
    }
}
