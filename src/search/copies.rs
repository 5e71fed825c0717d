//! Syndicated copies, folded. A wire story filed by several outlets, or a
//! file saved twice, would otherwise fill a page of hits with one passage.
//! Two hits are copies when their paragraphs have the same fingerprint, or
//! when their documents share at least 90% of their shingles
//! ([`crate::fingerprint`]); a search shows the best hit of each group and
//! lists the other documents that hold it.

use std::collections::{BTreeSet, HashMap};

use anyhow::Result;
use tantivy::collector::DocSetCollector;
use tantivy::columnar::Column;
use tantivy::query::TermSetQuery;
use tantivy::schema::Value;
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};

use super::columns::RecordColumns;
use super::ranked::Ranked;
use crate::fingerprint::{passages_agree, Signature};
use crate::schema::Fields;

/// How many copies a hit lists; [`Copies::count`] says how many there are.
pub(crate) const LISTED: usize = 50;

/// The other documents that hold a hit's passage.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct CopyList {
    /// Their addresses, sorted; at most [`LISTED`].
    pub paths: Vec<String>,
    /// How many there are in all.
    pub count: usize,
}

/// Reads fingerprints for one searcher, remembering the signatures read.
pub(crate) struct Copies<'s> {
    searcher: &'s Searcher,
    fields: &'s Fields,
    hashes: Vec<Option<Column<u64>>>,
    /// Signatures by the address of their document's first record.
    signatures: HashMap<DocAddress, Option<Signature>>,
    /// Paragraph texts read, by address.
    texts: HashMap<DocAddress, String>,
}

impl<'s> Copies<'s> {
    pub(crate) fn new(searcher: &'s Searcher, fields: &'s Fields) -> Copies<'s> {
        let name = fields.name(fields.para_hash);
        let hashes =
            searcher.segment_readers().iter().map(|s| s.fast_fields().u64(name).ok()).collect();
        Copies { searcher, fields, hashes, signatures: HashMap::new(), texts: HashMap::new() }
    }

    /// The fingerprint of a paragraph record.
    fn hash(&self, address: DocAddress) -> Option<u64> {
        self.hashes.get(address.segment_ord as usize)?.as_ref()?.first(address.doc_id)
    }

    /// The signature of the document whose first record is at `head`.
    fn signature_at(&mut self, head: DocAddress) -> Result<Option<&Signature>> {
        if !self.signatures.contains_key(&head) {
            let record: TantivyDocument = self.searcher.doc(head)?;
            let signature = record
                .get_first(self.fields.doc_signature)
                .and_then(|value| value.as_bytes())
                .and_then(Signature::from_bytes);
            self.signatures.insert(head, signature);
        }
        Ok(self.signatures.get(&head).and_then(Option::as_ref))
    }

    /// The text of a paragraph record.
    fn text(&mut self, address: DocAddress) -> Result<&str> {
        if !self.texts.contains_key(&address) {
            let record: TantivyDocument = self.searcher.doc(address)?;
            let text = record.get_first(self.fields.text).and_then(|v| v.as_str()).unwrap_or("");
            self.texts.insert(address, text.to_string());
        }
        Ok(self.texts.get(&address).map_or("", String::as_str))
    }

    /// Whether two paragraph records say the same ([`passages_agree`]).
    fn agree(&mut self, a: DocAddress, b: DocAddress) -> Result<bool> {
        let a = self.text(a)?.to_string();
        Ok(passages_agree(&a, self.text(b)?))
    }

    /// Whether the document whose first record is `head` holds a paragraph
    /// that agrees with `passage`, looked for where the passage stands in
    /// its own document and one paragraph either side (a copy that gained
    /// or lost a paragraph above it).
    fn holds(
        &mut self,
        columns: &RecordColumns,
        head: DocAddress,
        passage: &Ranked,
    ) -> Result<bool> {
        let (Some(first), Some(path)) = (columns.para(head), columns.path_ord(head)) else {
            return Ok(false);
        };
        let at = i64::from(head.doc_id) + i64::from(passage.para) - i64::from(first);
        for doc_id in [at, at - 1, at + 1] {
            let Ok(doc_id) = u32::try_from(doc_id) else { continue };
            let address = DocAddress::new(head.segment_ord, doc_id);
            let beside = columns.path_ord(address) == Some(path) && columns.para(address).is_some();
            if beside && self.agree(passage.address, address)? {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The signature of the document a passage belongs to.
    fn signature_of(
        &mut self,
        columns: &RecordColumns,
        passage: &Ranked,
    ) -> Result<Option<Signature>> {
        let Some(head) = columns.head_beside(passage.address, passage.para) else {
            return Ok(None);
        };
        Ok(self.signature_at(head)?.cloned())
    }

    /// `candidates` in their order, without the copies of an earlier one: a
    /// passage with an earlier one's fingerprint, or a passage of a document
    /// that is a copy of an earlier one's that says the same (an edited
    /// sentence; not one with another number).
    pub(crate) fn fold(
        &mut self,
        columns: &RecordColumns,
        candidates: Vec<Ranked>,
    ) -> Result<Vec<Ranked>> {
        let mut kept: Vec<Ranked> = Vec::with_capacity(candidates.len());
        let mut keys: Vec<(Option<u64>, Option<Signature>)> = Vec::new();
        for candidate in candidates {
            let hash = self.hash(candidate.address);
            if hash.is_some() && keys.iter().any(|(h, _)| *h == hash) {
                continue;
            }
            let signature = self.signature_of(columns, &candidate)?;
            let mut copied = false;
            if let Some(signature) = &signature {
                for (hit, (_, other)) in kept.iter().zip(&keys) {
                    let near = other.as_ref().is_some_and(|o| o.is_copy_of(signature));
                    if near
                        && hit.path != candidate.path
                        && self.agree(hit.address, candidate.address)?
                    {
                        copied = true;
                        break;
                    }
                }
            }
            if copied {
                continue;
            }
            keys.push((hash, signature));
            kept.push(candidate);
        }
        Ok(kept)
    }

    /// For each hit, the other documents holding its passage: those with a
    /// paragraph of the same fingerprint, and copies of its document with a
    /// paragraph that says the same.
    /// Two lookups in all, whatever the number of hits.
    pub(crate) fn lists(
        &mut self,
        columns: &mut RecordColumns,
        hits: &[Ranked],
    ) -> Result<Vec<CopyList>> {
        let mut found: Vec<BTreeSet<String>> = vec![BTreeSet::new(); hits.len()];
        let hashes: Vec<Option<u64>> = hits.iter().map(|hit| self.hash(hit.address)).collect();
        let terms =
            hashes.iter().flatten().map(|&h| Term::from_field_u64(self.fields.para_hash, h));
        for address in self.matching(terms.collect())? {
            let hash = self.hash(address);
            let (path, _) = columns.path_para(address)?;
            for (i, hit) in hits.iter().enumerate() {
                if hash == hashes[i] && path != hit.path {
                    found[i].insert(path.clone());
                }
            }
        }
        let mut signatures = Vec::with_capacity(hits.len());
        for hit in hits {
            signatures.push(self.signature_of(columns, hit)?);
        }
        let bands = signatures.iter().flatten().flat_map(Signature::bands);
        let terms = bands.map(|band| Term::from_field_u64(self.fields.doc_bands, band)).collect();
        for head in self.matching(terms)? {
            let Some(other) = self.signature_at(head)?.cloned() else { continue };
            let (path, _) = columns.path_para(head)?;
            for (i, hit) in hits.iter().enumerate() {
                let copy = signatures[i].as_ref().is_some_and(|s| s.is_copy_of(&other));
                if copy
                    && path != hit.path
                    && !found[i].contains(&path)
                    && self.holds(columns, head, hit)?
                {
                    found[i].insert(path.clone());
                }
            }
        }
        Ok(found
            .into_iter()
            .map(|paths| CopyList {
                count: paths.len(),
                paths: paths.into_iter().take(LISTED).collect(),
            })
            .collect())
    }

    /// The live records holding any of `terms`.
    fn matching(&self, terms: Vec<Term>) -> Result<BTreeSet<DocAddress>> {
        if terms.is_empty() {
            return Ok(BTreeSet::new());
        }
        let found = self.searcher.search(&TermSetQuery::new(terms), &DocSetCollector)?;
        Ok(found.into_iter().collect())
    }
}

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
    let paragraphs = super::passages::of_file(searcher, fields, doc)?;
    if paragraphs.is_empty() {
        return Ok(None);
    }
    let mut columns = RecordColumns::new(searcher, fields)?;
    let mut copies = Copies::new(searcher, fields);
    let substantial: BTreeSet<u64> = paragraphs
        .iter()
        .filter(|p| p.text.split_whitespace().count() >= SUBSTANTIAL_WORDS)
        .filter_map(|p| crate::fingerprint::paragraph_hash(&p.text))
        .collect();
    let mut shared: HashMap<String, BTreeSet<u64>> = HashMap::new();
    let terms = substantial.iter().map(|&h| Term::from_field_u64(fields.para_hash, h));
    for address in copies.matching(terms.collect())? {
        let (path, _) = columns.path_para(address)?;
        if let (Some(hash), true) = (copies.hash(address), path != doc) {
            shared.entry(path).or_default().insert(hash);
        }
    }
    let mut found: HashMap<String, DocumentCopy> = shared
        .into_iter()
        .map(|(path, hashes)| {
            (path.clone(), DocumentCopy { path, similarity: None, shared: hashes.len() })
        })
        .collect();
    let own = document_signature(searcher, fields, &mut copies, &columns, doc)?;
    if let Some(own) = own {
        let terms = own.bands().map(|band| Term::from_field_u64(fields.doc_bands, band));
        for head in copies.matching(terms.to_vec())? {
            let Some(other) = copies.signature_at(head)?.cloned() else { continue };
            let (path, _) = columns.path_para(head)?;
            let similarity = own.similarity(&other);
            if path == doc || !own.is_copy_of(&other) {
                continue;
            }
            let entry = found.entry(path.clone()).or_insert(DocumentCopy {
                path,
                similarity: None,
                shared: 0,
            });
            entry.similarity = Some(similarity);
        }
    }
    let mut copies: Vec<DocumentCopy> = found.into_values().collect();
    copies.sort_by(|a, b| {
        let by_similarity = b.similarity.unwrap_or(0.0).total_cmp(&a.similarity.unwrap_or(0.0));
        by_similarity.then(b.shared.cmp(&a.shared)).then(a.path.cmp(&b.path))
    });
    Ok(Some(DocumentCopies { paragraphs: substantial.len(), copies }))
}

/// The signature of document `doc`, from its first record.
fn document_signature(
    searcher: &Searcher,
    fields: &Fields,
    copies: &mut Copies,
    columns: &RecordColumns,
    doc: &str,
) -> Result<Option<Signature>> {
    let in_doc = TermSetQuery::new([Term::from_field_text(fields.path, doc)]);
    for address in searcher.search(&in_doc, &DocSetCollector)? {
        let Some(para) = columns.para(address) else { continue };
        if let Some(head) = columns.head_beside(address, para) {
            return Ok(copies.signature_at(head)?.cloned());
        }
    }
    Ok(None)
}
