//! Brings an index in step with its corpus folder in one commit.
//!
//! The walk's size and mtime are compared with the file records already in
//! the index; only files that differ are read, and only files whose content
//! hash differs are split and analysed again. Changed files have all their
//! records replaced, removed files are deleted, and everything is committed
//! once, so a run that dies midway leaves the previous commit intact.

use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::{records, writer_error, LedeIndex};
use crate::corpus::{self, Encoding, SourceFile};
use crate::extract::{self, Annotations};
use crate::schema::{Fields, KIND_DOC};
use crate::split::{self, Document};

/// What the caller asked for.
#[derive(Clone, Debug, Default)]
pub struct UpdateOptions {
    /// Drop every record and index all files again.
    pub rebuild: bool,
    /// Work out the plan (reading and hashing changed files) but write nothing.
    pub dry_run: bool,
    /// Analysis threads; 0 means one per core.
    pub threads: usize,
}

/// Something worth telling the user about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub path: String,
    pub message: String,
    /// True when the file could not be indexed (the run then exits 2).
    pub failed: bool,
}

/// What a run did (or, with `dry_run`, would do).
#[derive(Clone, Debug, Default)]
pub struct UpdateReport {
    pub added: Vec<String>,
    pub updated: Vec<String>,
    pub removed: Vec<String>,
    /// Files whose size and mtime, or content, are as indexed.
    pub unchanged: usize,
    /// Unchanged files whose record was rewritten for a new size or mtime.
    pub refreshed: usize,
    /// Paragraphs written (titles included).
    pub paragraphs: usize,
    /// Bytes of text read and analysed.
    pub bytes: u64,
    pub failed: usize,
    /// Files that are not articles (binary, oversized), left out.
    pub skipped: usize,
    pub elapsed: Duration,
    /// True when the run wrote a commit.
    pub committed: bool,
}

/// The indexed state of one file, from its `doc` record.
#[derive(Clone, Debug)]
struct Indexed {
    size: u64,
    mtime: u64,
    hash: String,
}

/// What the analysis workers hand back for one file.
enum Outcome {
    /// New content, split and ready to write.
    Ready(Box<Prepared>),
    /// Content hash as indexed: only the record's size/mtime change.
    SameContent(SourceFile),
    Failed(SourceFile, String),
    /// Not an article (binary, oversized): skipped with a warning.
    Skipped(SourceFile, String),
}

struct Prepared {
    file: SourceFile,
    hash: String,
    doc: Document,
    /// One entry per paragraph of `doc`.
    annotations: Vec<Annotations>,
    encoding: Encoding,
}

/// Updates `index` from its corpus, calling `notify` for every notice as it
/// happens (warnings and per-file errors; the run goes on).
pub fn update(
    index: &LedeIndex,
    options: &UpdateOptions,
    notify: &mut dyn FnMut(&Notice),
) -> Result<UpdateReport> {
    let started = Instant::now();
    let corpus = index.manifest.corpus.clone();
    let fields = &index.fields;
    let writer = if options.dry_run {
        None
    } else {
        let threads = tantivy_threads();
        let writer: IndexWriter = index
            .index
            .writer_with_num_threads(threads, 64_000_000 * threads)
            .map_err(|e| writer_error(&index.dir, e))?;
        Some(writer)
    };
    let mut indexed = if options.rebuild { HashMap::new() } else { indexed_files(index)? };
    if options.rebuild {
        if let Some(writer) = &writer {
            writer.delete_all_documents().context("cannot clear the index")?;
        }
    }

    let mut report = UpdateReport::default();
    let mut candidates = Vec::new();
    let mut seen = HashSet::new();
    let mut unlisted_dirs = Vec::new();
    let skip = index.dir.canonicalize().ok();
    for entry in corpus::walk(&corpus, skip.as_deref()) {
        match entry {
            Ok(file) => {
                seen.insert(file.rel.clone());
                match indexed.get(&file.rel) {
                    Some(old) if old.size == file.size && old.mtime == file.mtime => {
                        report.unchanged += 1
                    }
                    _ => candidates.push(file),
                }
            }
            Err(err) => {
                let rel = err
                    .path
                    .strip_prefix(&corpus)
                    .unwrap_or(&err.path)
                    .to_string_lossy()
                    .replace('\\', "/");
                unlisted_dirs.push(rel.clone());
                report.failed += 1;
                notify(&Notice {
                    path: err.path.display().to_string(),
                    message: err.message,
                    failed: true,
                });
            }
        }
    }

    // Files that vanished, unless they sit under a folder we could not list.
    let mut removed: Vec<String> = indexed
        .keys()
        .filter(|p| !seen.contains(*p))
        .filter(|p| !unlisted_dirs.iter().any(|d| d.is_empty() || p.starts_with(d.as_str())))
        .cloned()
        .collect();
    removed.sort();
    if let Some(writer) = &writer {
        for path in &removed {
            writer.delete_term(Term::from_field_text(fields.path, path));
        }
    }
    report.removed = removed;

    let threads = if options.threads == 0 { num_cores() } else { options.threads };
    let dry_run = options.dry_run;
    let indexed_ref = &indexed;
    let next = AtomicUsize::new(0);
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::sync_channel::<Outcome>(64);
        let candidates = &candidates;
        let next = &next;
        for _ in 0..threads.min(candidates.len()).max(1) {
            let tx = tx.clone();
            scope.spawn(move || loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(file) = candidates.get(i) else { break };
                let outcome = prepare(file.clone(), indexed_ref.get(&file.rel), dry_run);
                if tx.send(outcome).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for outcome in rx {
            match outcome {
                Outcome::Failed(file, message) => {
                    report.failed += 1;
                    notify(&Notice { path: file.abs.display().to_string(), message, failed: true });
                }
                Outcome::Skipped(file, message) => {
                    report.skipped += 1;
                    notify(&Notice {
                        path: file.abs.display().to_string(),
                        message,
                        failed: false,
                    });
                }
                Outcome::SameContent(file) => {
                    report.unchanged += 1;
                    if let Some(writer) = &writer {
                        refresh_doc_record(index, writer, &file)?;
                        report.refreshed += 1;
                    }
                }
                Outcome::Ready(prepared) => {
                    let Prepared { file, hash, doc, annotations, encoding } = *prepared;
                    if encoding == Encoding::Latin1 {
                        notify(&Notice {
                            path: file.abs.display().to_string(),
                            message: "not valid UTF-8, decoded as Latin-1".to_string(),
                            failed: false,
                        });
                    }
                    if doc.paragraphs.is_empty() {
                        notify(&Notice {
                            path: file.abs.display().to_string(),
                            message: "empty file, nothing to index".to_string(),
                            failed: false,
                        });
                    }
                    let existed = indexed_ref.contains_key(&file.rel);
                    report.bytes += file.size;
                    report.paragraphs += doc.paragraphs.len();
                    if let Some(writer) = &writer {
                        if existed {
                            writer.delete_term(Term::from_field_text(fields.path, &file.rel));
                        }
                        write_file(writer, fields, &file, &hash, &doc, &annotations)?;
                    }
                    if existed {
                        report.updated.push(file.rel);
                    } else {
                        report.added.push(file.rel);
                    }
                }
            }
        }
        Ok(())
    })?;
    report.added.sort();
    report.updated.sort();
    indexed.clear();

    if let Some(mut writer) = writer {
        let changed = options.rebuild
            || !report.added.is_empty()
            || !report.updated.is_empty()
            || !report.removed.is_empty()
            || report.refreshed > 0;
        if changed {
            writer
                .commit()
                .with_context(|| format!("cannot commit the index at {}", index.dir.display()))?;
            report.committed = true;
        }
        writer.wait_merging_threads().with_context(|| {
            format!("cannot finish merging the index at {}", index.dir.display())
        })?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

fn num_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// tantivy's own indexing threads: half the cores, at least one.
fn tantivy_threads() -> usize {
    (num_cores() / 2).clamp(1, 4)
}

/// Reads, hashes and splits one changed candidate (runs on a worker thread).
fn prepare(file: SourceFile, indexed: Option<&Indexed>, dry_run: bool) -> Outcome {
    let decoded = match corpus::read_text(&file.abs) {
        Ok(decoded) => decoded,
        Err(err) if err.is::<corpus::NotText>() => return Outcome::Skipped(file, err.to_string()),
        Err(err) => return Outcome::Failed(file, format!("{err:#}")),
    };
    let hash = content_hash(&decoded.text);
    if indexed.is_some_and(|old| old.hash == hash) {
        return Outcome::SameContent(file);
    }
    let doc = if dry_run { Document::default() } else { split::split(&decoded.text) };
    let annotations = extract::annotate(&doc);
    Outcome::Ready(Box::new(Prepared { file, hash, doc, annotations, encoding: decoded.encoding }))
}

/// A stable content fingerprint (xxh3, 128 bits, hex).
fn content_hash(text: &str) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(text.as_bytes()))
}

/// Writes the file record and one record per paragraph.
fn write_file(
    writer: &IndexWriter,
    fields: &Fields,
    file: &SourceFile,
    hash: &str,
    doc: &Document,
    annotations: &[Annotations],
) -> Result<()> {
    writer.add_document(records::file_record(fields, file, hash, annotations))?;
    for record in records::paragraph_records(fields, file, doc, annotations) {
        writer.add_document(record)?;
    }
    Ok(())
}

/// Replaces a file record whose content is unchanged but whose size or
/// mtime moved, so the next run does not read the file again.
fn refresh_doc_record(index: &LedeIndex, writer: &IndexWriter, file: &SourceFile) -> Result<()> {
    let fields = &index.fields;
    let query = doc_record_query(fields, &file.rel);
    let searcher = index.reader()?.searcher();
    let Some(address) = searcher.search(&query, &DocSetCollector)?.into_iter().next() else {
        return Ok(());
    };
    let old: TantivyDocument = searcher.doc(address)?;
    let mut record = TantivyDocument::new();
    for (field, value) in old.field_values() {
        if field != fields.size && field != fields.mtime {
            if let Some(text) = value.as_str() {
                record.add_text(field, text);
            } else if let Some(n) = value.as_u64() {
                record.add_u64(field, n);
            }
        }
    }
    record.add_u64(fields.size, file.size);
    record.add_u64(fields.mtime, file.mtime);
    writer.delete_query(Box::new(query))?;
    writer.add_document(record)?;
    Ok(())
}

/// Matches the `doc` record of one path.
fn doc_record_query(fields: &Fields, path: &str) -> BooleanQuery {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
    };
    BooleanQuery::new(vec![
        (Occur::Must, term(fields.path, path)),
        (Occur::Must, term(fields.kind, KIND_DOC)),
    ])
}

/// Every file record in the index, keyed by path.
fn indexed_files(index: &LedeIndex) -> Result<HashMap<String, Indexed>> {
    let fields = &index.fields;
    let searcher = index.reader()?.searcher();
    let query =
        TermQuery::new(Term::from_field_text(fields.kind, KIND_DOC), IndexRecordOption::Basic);
    let mut files = HashMap::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let doc: TantivyDocument = searcher.doc(address)?;
        let text = |f| doc.get_first(f).and_then(|v| v.as_str()).map(str::to_string);
        let number = |f| doc.get_first(f).and_then(|v| v.as_u64()).unwrap_or(0);
        if let Some(path) = text(fields.path) {
            let entry = Indexed {
                size: number(fields.size),
                mtime: number(fields.mtime),
                hash: text(fields.hash).unwrap_or_default(),
            };
            files.insert(path, entry);
        }
    }
    Ok(files)
}
