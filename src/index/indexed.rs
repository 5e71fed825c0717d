//! What the index knows about each corpus file, read from the `doc` records.
//!
//! Path, size and mtime come from fast-field columns (no stored document is
//! decompressed), so comparing a 95,000-file corpus with its index costs a
//! few tens of milliseconds; the content hash is read from the stored record
//! only for the few files whose size or mtime moved.

use anyhow::{Context, Result};
use hashbrown::HashTable;
use tantivy::collector::DocSetCollector;
use tantivy::query::TermQuery;
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{DocAddress, Searcher, TantivyDocument, Term};
use xxhash_rust::xxh3::xxh3_64;

use crate::schema::{Fields, KIND_DOC};

/// `hash` of the record of a file that could not be read (permissions, I/O
/// error).
pub(crate) const FAILED_MARK: &str = "!failed";
/// `mtime` of the record of a file that could not be read. No real file has
/// it, so `lede index` always tries such a file again, while the search
/// freshness check can tell it apart from a change and leave it alone (a
/// permanently unreadable file must not refresh the index on every search).
pub(crate) const FAILED_MTIME: u64 = u64::MAX;
/// `hash` of the record of a file that is not an article (binary, too big):
/// it is looked at again only when its size or mtime changes.
pub(crate) const SKIPPED_MARK: &str = "!skipped";

/// The file records, looked up by corpus-relative path.
///
/// Kept compact because a plan holds one per indexed file: the paths sit
/// end to end in one string and a hash table holds only record numbers, so
/// a record costs its path plus about 40 bytes (a `HashMap<String, _>` cost
/// about three times that, most of it in per-path allocations).
#[derive(Default)]
pub(crate) struct FileRecords {
    /// Every path, one after another.
    paths: String,
    /// In insertion order; record `i`'s path ends at `records[i].end` and
    /// starts where record `i - 1`'s ends.
    records: Vec<Slot>,
    /// Record numbers, hashed by path.
    by_path: HashTable<u32>,
}

#[derive(Clone, Copy)]
struct Slot {
    end: usize,
    file: IndexedFile,
}

/// A record's number within its [`FileRecords`]: `0..len()`.
pub(crate) type RecordId = usize;

impl FileRecords {
    /// Room for `records` paths without growing.
    fn with_capacity(records: usize) -> FileRecords {
        FileRecords {
            paths: String::new(),
            records: Vec::with_capacity(records),
            by_path: HashTable::with_capacity(records),
        }
    }

    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// Records `file` under `path`; a second record of the same path
    /// replaces the first.
    pub(crate) fn insert(&mut self, path: &str, file: IndexedFile) -> Result<()> {
        let hash = path_hash(path);
        let (paths, records) = (&self.paths, &mut self.records);
        if let Some(&id) = self.by_path.find(hash, |&id| path_of(paths, records, id) == path) {
            records[id as usize].file = file;
            return Ok(());
        }
        let id = u32::try_from(records.len()).context("too many files in one index")?;
        self.paths.push_str(path);
        records.push(Slot { end: self.paths.len(), file });
        let (paths, records) = (&self.paths, &self.records);
        self.by_path.insert_unique(hash, id, |&id| path_hash(path_of(paths, records, id)));
        Ok(())
    }

    /// The record of `path`, with its number.
    pub(crate) fn get(&self, path: &str) -> Option<(RecordId, IndexedFile)> {
        let id = *self
            .by_path
            .find(path_hash(path), |&id| path_of(&self.paths, &self.records, id) == path)?;
        Some((id as RecordId, self.records[id as usize].file))
    }

    /// Every record with its number and path, in insertion order.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (RecordId, &str, IndexedFile)> {
        (0..self.records.len())
            .map(|id| (id, path_of(&self.paths, &self.records, id as u32), self.records[id].file))
    }

    /// Bytes allocated on the heap, to keep the per-file cost in check.
    #[cfg(test)]
    pub(crate) fn heap_bytes(&self) -> usize {
        self.paths.capacity()
            + self.records.capacity() * std::mem::size_of::<Slot>()
            + self.by_path.allocation_size()
    }

    /// Gives back the spare capacity of the path string.
    fn shrink_to_fit(&mut self) {
        self.paths.shrink_to_fit();
    }
}

fn path_of<'a>(paths: &'a str, records: &[Slot], id: u32) -> &'a str {
    let id = id as usize;
    let start = if id == 0 { 0 } else { records[id - 1].end };
    &paths[start..records[id].end]
}

/// One-shot xxh3 rather than SipHash: the keys are the user's own file names
/// (no hostile input), and hashing 380,000 of them is a visible part of the
/// freshness check.
fn path_hash(path: &str) -> u64 {
    xxh3_64(path.as_bytes())
}

/// The indexed state of one file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct IndexedFile {
    pub size: u64,
    /// Nanoseconds since the epoch; 0 when the file was modified too close
    /// to the scan for its mtime to prove it unchanged later (see `update`),
    /// [`FAILED_MTIME`] when it could not be read.
    pub mtime: u64,
    /// Where the stored `doc` record is, to read its hash on demand.
    pub address: DocAddress,
}

/// Every file record visible to `searcher`, keyed by corpus-relative path.
pub(crate) fn indexed_files(searcher: &Searcher, fields: &Fields) -> Result<FileRecords> {
    let query =
        TermQuery::new(Term::from_field_text(fields.kind, KIND_DOC), IndexRecordOption::Basic);
    let mut by_segment: Vec<Vec<u32>> = vec![Vec::new(); searcher.segment_readers().len()];
    for address in searcher.search(&query, &DocSetCollector)? {
        by_segment[address.segment_ord as usize].push(address.doc_id);
    }
    let mut files = FileRecords::with_capacity(by_segment.iter().map(Vec::len).sum());
    for (segment_ord, docs) in by_segment.into_iter().enumerate() {
        if docs.is_empty() {
            continue;
        }
        read_segment(searcher, fields, segment_ord as u32, docs, &mut files)?;
    }
    files.shrink_to_fit();
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
    let reader = searcher.segment_reader(segment_ord);
    let fast = reader.fast_fields();
    let column_error = || "cannot read the file records of the index";
    let paths = fast
        .str(fields.name(fields.path))
        .with_context(column_error)?
        .with_context(column_error)?;
    let sizes = fast.u64(fields.name(fields.size)).with_context(column_error)?;
    let mtimes = fast.u64(fields.name(fields.mtime)).with_context(column_error)?;
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
    let mut inserted = Ok(());
    paths
        .dictionary()
        .sorted_ords_to_term_cb(&ords, |bytes| {
            if let (Some(file), Ok(())) = (next.next(), &inserted) {
                inserted = files.insert(&String::from_utf8_lossy(bytes), file);
            }
        })
        .with_context(column_error)?;
    inserted
}

/// The content hash (or failure mark) stored in a file record.
pub(crate) fn stored_hash(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> Result<String> {
    let record: TantivyDocument = searcher.doc(address).context(
        "cannot read a file record of the index (if it is damaged, `lede index --rebuild` \
             builds it again)",
    )?;
    Ok(record.get_first(fields.hash).and_then(|v| v.as_str()).unwrap_or_default().to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(size: u64) -> IndexedFile {
        IndexedFile { size, mtime: 7, address: DocAddress::new(0, size as u32) }
    }

    #[test]
    fn finds_each_path_and_only_those() {
        let mut records = FileRecords::default();
        for (i, path) in ["a.txt", "b/a.txt", "a.txt.md", "Київ.txt"].iter().enumerate() {
            records.insert(path, file(i as u64)).unwrap();
        }
        assert_eq!(records.len(), 4);
        assert_eq!(records.get("b/a.txt"), Some((1, file(1))));
        assert_eq!(records.get("Київ.txt"), Some((3, file(3))));
        assert_eq!(records.get("a.tx"), None);
        assert_eq!(records.get("b/"), None);
        let listed: Vec<&str> = records.iter().map(|(_, path, _)| path).collect();
        assert_eq!(listed, ["a.txt", "b/a.txt", "a.txt.md", "Київ.txt"]);
    }

    #[test]
    fn a_second_record_of_a_path_replaces_the_first() {
        let mut records = FileRecords::default();
        records.insert("a.txt", file(1)).unwrap();
        records.insert("b.txt", file(2)).unwrap();
        records.insert("a.txt", file(3)).unwrap();
        assert_eq!(records.len(), 2);
        assert_eq!(records.get("a.txt"), Some((0, file(3))));
    }

    /// The plan holds one record per indexed file: with paths of the length
    /// of a news archive's (`03/reut2-006/6487.txt`), a record must stay
    /// within a few tens of bytes beyond its path.
    #[test]
    fn a_record_costs_its_path_and_a_few_tens_of_bytes() {
        let count = 50_000;
        let mut records = FileRecords::with_capacity(count);
        let mut path_bytes = 0;
        for i in 0..count {
            let path = format!("{:02}/reut2-{:03}/{i}.txt", i % 20, i % 22);
            path_bytes += path.len();
            records.insert(&path, file(i as u64)).unwrap();
        }
        records.shrink_to_fit();
        let overhead = (records.heap_bytes() - path_bytes) / count;
        assert!(overhead <= 48, "{overhead} bytes per record beyond its path");
        assert_eq!(records.get("07/reut2-003/49987.txt").map(|(id, _)| id), Some(49_987));
    }
}
