//! The on-disk index: opening, creating and updating it.
//!
//! An index folder holds tantivy's files plus [`manifest::Manifest`]. Opening
//! always registers lede's analysers (tantivy stores only their names) and
//! checks the format version. [`plan`] compares the folder with the file
//! records ([`indexed`]); [`update`] applies the difference in one commit.

pub(crate) mod aliases;
pub(crate) mod indexed;
pub(crate) mod lifecycle;
pub(crate) mod manifest;
pub(crate) mod plan;
pub(crate) mod preview;
pub(crate) mod rebuild;
pub(crate) mod records;
pub(crate) mod stats;
pub mod update;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tantivy::directory::error::LockError;
use tantivy::index::SegmentComponent;
use tantivy::store::{Compressor, ZstdCompressor};
use tantivy::{Index, IndexReader, IndexSettings, IndexSortByField, ReloadPolicy, TantivyError};

use crate::error::Error;
use crate::schema::{self, Fields};
use manifest::Manifest;

/// An opened lede index.
/// Name of the index folder inside a corpus.
pub(crate) const INDEX_DIR_NAME: &str = ".lede";

/// A resolved corpus folder and the index folder that serves it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Paths {
    /// Absolute corpus folder.
    pub(crate) corpus: PathBuf,
    /// Index folder (absolute).
    pub(crate) index: PathBuf,
}

pub struct LedeIndex {
    pub index: Index,
    pub(crate) fields: Fields,
    pub(crate) dir: PathBuf,
    pub(crate) manifest: Manifest,
}

impl LedeIndex {
    /// Opens the index in `dir`, or fails with [`Error::IndexMissing`] or
    /// [`Error::IndexIncompatible`].
    pub fn open(dir: &Path) -> Result<LedeIndex> {
        let Some(manifest) = Manifest::read(dir)? else {
            return Err(Error::IndexMissing(dir.to_path_buf()).into());
        };
        if manifest.format != schema::FORMAT_VERSION {
            return Err(Error::IndexIncompatible {
                dir: dir.to_path_buf(),
                found: format!("format {} from lede {}", manifest.format, manifest.lede_version),
            }
            .into());
        }
        let index = Index::open_in_dir(dir).map_err(|err| match err {
            TantivyError::IncompatibleIndex(inc) => {
                Error::IndexIncompatible { dir: dir.to_path_buf(), found: format!("{inc:?}") }
                    .into()
            }
            other => anyhow::Error::from(unreadable(dir, &other)),
        })?;
        check_segment_files(&index, dir)?;
        let (expected, fields) = schema::build();
        if index.schema() != expected {
            return Err(Error::IndexIncompatible {
                dir: dir.to_path_buf(),
                found: "a different schema".to_string(),
            }
            .into());
        }
        crate::analysis::register(index.tokenizers());
        Ok(LedeIndex { index, fields, dir: dir.to_path_buf(), manifest })
    }

    /// Creates an empty index for `corpus` in `dir`, replacing whatever lede
    /// index was there.
    pub fn create(dir: &Path, corpus: &Path) -> Result<LedeIndex> {
        if dir.exists() {
            remove_index_files(dir)?;
        }
        fs::create_dir_all(dir).map_err(|err| cannot_create("the index folder", dir, &err))?;
        let (schema, fields) = schema::build();
        let index = Index::builder()
            .schema(schema)
            .settings(settings())
            .create_in_dir(dir)
            .with_context(|| format!("cannot create an index in {}", dir.display()))?;
        crate::analysis::register(index.tokenizers());
        let manifest = Manifest::new(corpus);
        manifest.write(dir)?;
        Ok(LedeIndex { index, fields, dir: dir.to_path_buf(), manifest })
    }

    /// Creates an empty index in `dir`, which must not hold an index yet,
    /// safely against a second lede doing the same at the same moment: the
    /// index is built in a hidden sibling folder and renamed into place, so
    /// exactly one wins and the other opens the winner's index (and then
    /// finds the writer busy). Falls back to [`LedeIndex::create`] when `dir`
    /// holds the debris of something else.
    pub(crate) fn create_new(dir: &Path, corpus: &Path) -> Result<LedeIndex> {
        let Some(parent) = dir.parent() else { return LedeIndex::create(dir, corpus) };
        let name = dir.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
        fs::create_dir_all(parent).map_err(|err| cannot_create("the folder", parent, &err))?;
        let staging = tempfile::Builder::new()
            .prefix(&format!(".{name}.new-"))
            .tempdir_in(parent)
            .map_err(|err| cannot_create("a folder in", parent, &err))?;
        drop(LedeIndex::create(staging.path(), corpus)?);
        match fs::rename(staging.path(), dir) {
            Ok(()) => LedeIndex::open(dir),
            // Someone else's index got there first: use it.
            Err(_) if Manifest::read(dir)?.is_some() => LedeIndex::open(dir),
            Err(_) => LedeIndex::create(dir, corpus),
        }
    }

    /// A reader for one-shot queries: the process sees the last commit.
    ///
    /// It caches one decompressed store block (tantivy keeps 100 by
    /// default): a search reads a hit and then its title, which share a
    /// block, and rarely returns to a block later. The evicted block's
    /// 128 KiB then serve the next one, where a large cache makes every
    /// block new memory the kernel must fault in and zero (on Reuters x5,
    /// 166 of a search's 800 page faults with 4 blocks cached).
    pub fn reader(&self) -> Result<IndexReader> {
        self.reader_caching(STORE_CACHE_BLOCKS)
    }

    /// A reader for a process that answers many searches (a watcher, the
    /// web server): it keeps the store blocks that recent searches read,
    /// since searches refined one after another read the same passages.
    pub fn long_lived_reader(&self) -> Result<IndexReader> {
        self.reader_caching(LONG_LIVED_STORE_CACHE_BLOCKS)
    }

    fn reader_caching(&self, store_blocks: usize) -> Result<IndexReader> {
        self.index
            .reader_builder()
            .reload_policy(ReloadPolicy::Manual)
            .doc_store_cache_num_blocks(store_blocks)
            .try_into()
            .map_err(|err| unreadable(&self.dir, &err).into())
    }
}

/// Fails with [`Error::IndexUnreadable`] when a file of the last commit is
/// missing or empty (every tantivy file ends with a footer, so none is
/// empty): checked on opening, at the cost of one `stat` per file, so a
/// damaged index is reported before any search reads it.
fn check_segment_files(index: &Index, dir: &Path) -> Result<()> {
    let metas = index.searchable_segment_metas().map_err(|err| unreadable(dir, &err))?;
    for meta in metas {
        let mut components = vec![
            SegmentComponent::Postings,
            SegmentComponent::Positions,
            SegmentComponent::Terms,
            SegmentComponent::Store,
            SegmentComponent::FastFields,
            SegmentComponent::FieldNorms,
        ];
        if meta.has_deletes() {
            components.push(SegmentComponent::Delete);
        }
        for file in components.into_iter().map(|c| meta.relative_path(c)) {
            let problem = match fs::metadata(dir.join(&file)) {
                Ok(found) if found.len() > 0 => continue,
                Ok(_) => "is empty",
                Err(_) => "is missing",
            };
            let reason = format!("{} {problem}", file.display());
            return Err(Error::IndexUnreadable { dir: dir.to_path_buf(), reason }.into());
        }
    }
    Ok(())
}

/// Tantivy's failure to open or read `dir` in one short line.
fn unreadable(dir: &Path, err: &TantivyError) -> Error {
    let reason = if !dir.join("meta.json").exists() {
        "meta.json is missing".to_string()
    } else {
        let text = err.to_string();
        let first_line = text.lines().next().unwrap_or_default();
        first_line.chars().take(120).collect()
    };
    Error::IndexUnreadable { dir: dir.to_path_buf(), reason }
}

/// Decompressed store blocks a reader keeps (see [`LedeIndex::reader`]).
const STORE_CACHE_BLOCKS: usize = 1;

/// Decompressed store blocks a long-lived reader keeps: at most 8 MiB of
/// 128 KiB blocks.
const LONG_LIVED_STORE_CACHE_BLOCKS: usize = 64;

/// Stored paragraphs are compressed with zstd level 9 in 128 KiB blocks:
/// news text compresses better the more of it one block holds (on Reuters
/// the store is 9.0 MB in 64 KiB blocks at level 7, 8.2 MB in 128 KiB at
/// level 9, 7.6 MB in 512 KiB), but a search decompresses one whole block
/// per hit it prints: with 512 KiB blocks zstd took a third of a search's
/// time and the benchmark's median query on Reuters x5 doubled. This is the
/// smallest block that keeps the Reuters index under 1.5x its text (25.08 MB
/// for 16.77 MB); level 12 would save 0.07 MB more for 13% more indexing CPU.
/// With tantivy's default (lz4, 16 KiB) the document store alone was larger
/// than the corpus.
fn settings() -> IndexSettings {
    IndexSettings {
        docstore_compression: Compressor::Zstd(ZstdCompressor {
            compression_level: Some(DOCSTORE_ZSTD_LEVEL),
        }),
        docstore_blocksize: DOCSTORE_BLOCK_BYTES,
        // Copies of a file side by side (`records::order_key`): a search
        // scores the twenty copies of a wire story in one posting block
        // instead of twenty, and the store compresses them together.
        sort_by_field: Some(IndexSortByField {
            field: schema::ORDER.to_string(),
            order: tantivy::Order::Asc,
        }),
        ..IndexSettings::default()
    }
}

const DOCSTORE_ZSTD_LEVEL: i32 = 9;
const DOCSTORE_BLOCK_BYTES: usize = 128 * 1024;

/// Maps tantivy's lock failure to the message users should see.
pub(crate) fn writer_error(dir: &Path, err: TantivyError) -> anyhow::Error {
    match err {
        TantivyError::LockFailure(LockError::LockBusy, _) => {
            Error::IndexBusy(dir.to_path_buf()).into()
        }
        other => anyhow::Error::new(other)
            .context(format!("cannot write the index at {}", dir.display())),
    }
}

/// Deletes a previous index's files, but only if the folder is one lede
/// made (see [`ensure_replaceable`]).
fn remove_index_files(dir: &Path) -> Result<()> {
    for entry in ensure_replaceable(dir)? {
        let path = entry.path();
        let result = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
        result.with_context(|| format!("cannot remove {}", path.display()))?;
    }
    Ok(())
}

/// The entries of `dir` when lede may replace it: it is empty, or has a
/// manifest or tantivy's meta.json. A mistyped `--index` must never wipe a
/// user's folder.
pub(crate) fn ensure_replaceable(dir: &Path) -> Result<Vec<fs::DirEntry>> {
    let entries: Vec<_> = fs::read_dir(dir)
        .with_context(|| format!("cannot read {}", dir.display()))?
        .collect::<Result<_, _>>()
        .with_context(|| format!("cannot read {}", dir.display()))?;
    let ours = entries.is_empty()
        || dir.join(manifest::FILE_NAME).exists()
        || dir.join("meta.json").exists();
    anyhow::ensure!(
        ours,
        "{} is not empty and is not a lede index: choose another --index folder",
        dir.display()
    );
    Ok(entries)
}
/// Why a folder for the index cannot be made in or at `path`; when the
/// folder is read-only (a shared or mounted corpus), what to do instead.
pub(crate) fn cannot_create(what: &str, path: &Path, err: &std::io::Error) -> anyhow::Error {
    use std::io::ErrorKind::{PermissionDenied, ReadOnlyFilesystem};
    let hint = if matches!(err.kind(), PermissionDenied | ReadOnlyFilesystem) {
        "; for a read-only corpus, keep the index in another folder with --index DIR \
         (lede --index DIR index CORPUS)"
    } else {
        ""
    };
    anyhow::anyhow!("cannot create {what} {}: {err}{hint}", path.display())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Error as IoError, ErrorKind};

    #[test]
    fn a_read_only_folder_points_to_index_dir() {
        let corpus = Path::new("/srv/news");
        for kind in [ErrorKind::PermissionDenied, ErrorKind::ReadOnlyFilesystem] {
            let err = cannot_create("a folder in", corpus, &IoError::from(kind)).to_string();
            assert!(err.starts_with("cannot create a folder in /srv/news: "), "{err}");
            assert!(err.contains("--index DIR"), "{err}");
        }
        let full = cannot_create("a folder in", corpus, &IoError::from(ErrorKind::StorageFull));
        assert!(!full.to_string().contains("--index"), "{full}");
    }
}
