//! What the index knows about each corpus file, read from the `doc` records.
//!
//! Path, size and mtime come from fast-field columns (no stored document is
//! decompressed), so comparing a 95,000-file corpus with its index costs a
//! few tens of milliseconds; the content hash is read from the stored record
//! only for the few files whose size or mtime moved.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use anyhow::{Context, Result};
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_64_with_seed;

use crate::schema::{Fields, KIND_DOC};

/// `hash` of the record of a file that could not be read (permissions, I/O
/// error).
pub const FAILED_MARK: &str = "!failed";
/// `mtime` of the record of a file that could not be read. No real file has
/// it, so `lede index` always tries such a file again, while the search
/// freshness check can tell it apart from a change and leave it alone (a
/// permanently unreadable file must not refresh the index on every search).
pub const FAILED_MTIME: u64 = u64::MAX;
/// `hash` of the record of a file that is not an article (binary, too big):
/// it is looked at again only when its size or mtime changes.
pub const SKIPPED_MARK: &str = "!skipped";

/// The file records by corpus-relative path. One-shot xxh3 instead of
/// SipHash: the keys are the user's own file names (no hostile input), and
/// hashing 95,000 of them is a visible part of the freshness check.
pub type FileRecords = HashMap<String, IndexedFile, BuildHasherDefault<PathHasher>>;

/// An empty [`FileRecords`].
pub fn no_records() -> FileRecords {
    HashMap::default()
}

/// Hashes each written slice with one xxh3 call, chained through the seed.
#[derive(Default)]
pub struct PathHasher(u64);

impl Hasher for PathHasher {
    fn write(&mut self, bytes: &[u8]) {
        self.0 = xxh3_64_with_seed(bytes, self.0);
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// The indexed state of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IndexedFile {
    pub size: u64,
    /// Nanoseconds since the epoch; 0 when the file was modified too close
    /// to the scan for its mtime to prove it unchanged later (see `update`),
    /// [`FAILED_MTIME`] when it could not be read.
    pub mtime: u64,
    /// Where the stored `doc` record is, to read its hash on demand.
    pub address: DocAddress,
}

/// Every file record visible to `searcher`, keyed by corpus-relative path.
pub fn indexed_files(searcher: &Searcher, fields: &Fields) -> Result<FileRecords> {
    let query =
        TermQuery::new(Term::from_field_text(fields.kind, KIND_DOC), IndexRecordOption::Basic);
    let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); searcher.segment_readers().len()];
    for address in searcher.search(&query, &DocSetCollector)? {
        by_segment[address.segment_ord as usize].push(address.doc_id);
    }
    let mut files = no_records();
    for (segment_ord, docs) in by_segment.into_iter().enumerate() {
        if docs.is_empty() {
            continue;
        }
        read_segment(searcher, fields, segment_ord as u32, docs, &mut files)?;
    }
    Ok(files)
}

/// Reads the file records `docs` of one segment from its fast fields.
fn read_segment(
    searcher: &Searcher,
    fields: &Fields,
    segment_ord: u32,
    docs: Vec<u32>,
    files: &mut FileRecords,
) -> Result<()> {
    let schema = searcher.schema();
    let reader = searcher.segment_reader(segment_ord);
    let fast = reader.fast_fields();
    let column_error = || "cannot read the file records of the index";
    let paths = fast
        .str(schema.get_field_name(fields.path))
        .with_context(column_error)?
        .with_context(column_error)?;
    let sizes = fast.u64(schema.get_field_name(fields.size)).with_context(column_error)?;
    let mtimes = fast.u64(schema.get_field_name(fields.mtime)).with_context(column_error)?;
    // (path ordinal, file) pairs, sorted by ordinal so the path dictionary
    // is decoded in one forward pass.
    let mut records: Vec<(u64, IndexedFile)> = docs
        .into_iter()
        .filter_map(|doc_id| {
            let ord = paths.term_ords(doc_id).next()?;
            let file = IndexedFile {
                size: sizes.first(doc_id).unwrap_or(0),
                mtime: mtimes.first(doc_id).unwrap_or(0),
                address: DocAddress::new(segment_ord, doc_id),
            };
            Some((ord, file))
        })
        .collect();
    records.sort_by_key(|(ord, _)| *ord);
    records.dedup_by_key(|(ord, _)| *ord);
    let ords: Vec<u64> = records.iter().map(|(ord, _)| *ord).collect();
    let mut next = records.into_iter().map(|(_, file)| file);
    paths
        .dictionary()
        .sorted_ords_to_term_cb(&ords, |bytes| {
            if let Some(file) = next.next() {
                files.insert(String::from_utf8_lossy(bytes).into_owned(), file);
            }
        })
        .with_context(column_error)?;
    Ok(())
}

/// The content hash (or failure mark) stored in a file record.
pub fn stored_hash(searcher: &Searcher, fields: &Fields, address: DocAddress) -> Result<String> {
    let record: TantivyDocument =
        searcher.doc(address).context("cannot read a file record of the index")?;
    Ok(record.get_first(fields.hash).and_then(|v| v.as_str()).unwrap_or_default().to_string())
}
