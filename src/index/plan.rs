//! Compares the corpus folder with the index, reading no file: which files
//! are new or changed (by size and mtime), which were removed, how many are
//! as indexed. Both `lede index` and the freshness check of `lede search`
//! start here; only the candidates are ever read.
//!
//! Memory does not grow with the corpus beyond the file records themselves
//! (a few tens of bytes per indexed file): the walk is compared as it goes,
//! and when more than [`LISTED_CANDIDATES`] files need reading (a first
//! build, a rebuild) they are not kept but found again by a second walk
//! while they are read (see [`Plan::into_candidates`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use anyhow::Result;
use tantivy::Searcher;

use super::indexed::{self, FileRecords, IndexedFile, FAILED_MTIME};
use super::LedeIndex;
use crate::corpus::listings::{ListingCache, Listings};
use crate::corpus::scan::{self, Seen};
use crate::corpus::{self, SourceFile, WalkError, WalkErrorKind};

/// At most this many candidates are kept by a plan (a few MB). A run with
/// more reads at least this many files, so a second stat-only walk to find
/// them again costs little beside reading them.
pub(crate) const LISTED_CANDIDATES: usize = 20_000;

/// Which files to consider.
#[derive(Clone, Debug, Default)]
pub(crate) struct PlanOptions {
    /// Ignore the records: every file is a candidate, none is "removed".
    pub rebuild: bool,
    /// Treat files that could not be read last time as candidates again.
    pub retry_failed: bool,
    /// Files to analyse again even when they did not change (an edit of
    /// the alias file affects them).
    pub reanalyse: Arc<BTreeSet<String>>,
}

/// A file to read: new, or its size or mtime differs from its record.
#[derive(Clone, Debug)]
pub(crate) struct Candidate {
    pub file: SourceFile,
    /// Its record, when the index has one.
    pub previous: Option<IndexedFile>,
    /// Analyse it again even if its content is as indexed.
    pub reanalyse: bool,
}

/// A folder or file the walk could not list (permissions, symlink loop).
#[derive(Clone, Debug)]
pub(crate) struct Unlisted {
    /// Path on disk.
    pub path: String,
    pub message: String,
    /// True when real content may be missing from the index (an unreadable
    /// folder); false for a symbolic link loop or a vanished entry.
    pub failed: bool,
}

/// The difference between the folder and the index.
pub(crate) struct Plan {
    /// How many files are new or changed.
    pub candidates: usize,
    /// Indexed paths no longer in the folder, sorted.
    pub removed: Vec<String>,
    /// Files whose size and mtime are as indexed.
    pub unchanged: usize,
    pub unlisted: Vec<Unlisted>,
    /// The candidates, sorted by path; `None` when there were more than
    /// `list_limit`.
    listed: Option<Vec<Candidate>>,
    /// What a second walk needs to find the candidates again.
    walk: WalkSpec,
    records: FileRecords,
    /// The folders the walk listed or found unchanged, for the next walk
    /// (`None` when the plan did not walk).
    listings: Option<Listings>,
}

/// The folder walked and how its files are judged.
#[derive(Clone)]
struct WalkSpec {
    corpus: PathBuf,
    /// A folder not to descend into (the index, when inside the corpus).
    skip: Option<PathBuf>,
    options: PlanOptions,
}

impl Plan {
    /// True when the index already reflects the folder.
    pub(crate) fn is_current(&self) -> bool {
        self.candidates == 0 && self.removed.is_empty()
    }

    /// Keeps the folder listings of this plan's walk in `index_dir` for the
    /// next walk (see [`corpus::listings`]). Only runs that update the
    /// index call it: a search that finds the index current writes nothing.
    pub(crate) fn save_listings(&self, index_dir: &Path) -> std::io::Result<()> {
        match &self.listings {
            Some(listings) => listings.save(index_dir),
            None => Ok(()),
        }
    }

    /// The candidates, sorted by path, when there were few enough to keep.
    pub(crate) fn listed(&self) -> Option<&[Candidate]> {
        self.listed.as_deref()
    }

    /// The files to read, one at a time: the list kept by the plan, or a
    /// second walk of the folder judged against the same records. That
    /// walk sees the folder a moment later: a file that appeared meanwhile
    /// is read too, one that vanished is not (the next run removes its
    /// record), so the count may differ slightly from [`Plan::candidates`].
    pub(crate) fn into_candidates(self) -> Box<dyn Iterator<Item = Candidate> + Send> {
        if let Some(listed) = self.listed {
            return Box::new(listed.into_iter());
        }
        let Plan { walk, records, .. } = self;
        let files = corpus::walk(&walk.corpus, walk.skip.as_deref());
        Box::new(files.filter_map(move |entry| {
            let file = entry.ok()?;
            let record = records.get(&file.rel).map(|(_, record)| record);
            candidate(file, record, &walk.options)
        }))
    }
}

/// Walks the corpus of `index` (stat only) and compares it with the file
/// records `searcher` sees.
pub(crate) fn plan(index: &LedeIndex, searcher: &Searcher, options: PlanOptions) -> Result<Plan> {
    let records = if options.rebuild {
        FileRecords::default()
    } else {
        indexed::indexed_files(searcher, &index.fields)?
    };
    let walk = WalkSpec {
        corpus: index.manifest.corpus.clone(),
        skip: index.dir.canonicalize().ok(),
        options,
    };
    // A rebuild trusts nothing it kept, listings included.
    let listings = match walk.options.rebuild {
        true => Listings::default(),
        false => Listings::load(&index.dir),
    };
    Ok(compare(walk, records, LISTED_CANDIDATES, listings))
}

/// The plan for the paths a watcher saw change (relative to the corpus),
/// and the files `options.reanalyse` names, without walking the folder:
/// each path is looked at once. `None` when that cannot tell (a folder
/// appeared or changed, a path cannot be examined): walk instead.
pub(crate) fn plan_paths(
    index: &LedeIndex,
    searcher: &Searcher,
    options: PlanOptions,
    changed: &BTreeSet<String>,
) -> Result<Option<Plan>> {
    let records = indexed::indexed_files(searcher, &index.fields)?;
    let walk = WalkSpec {
        corpus: index.manifest.corpus.clone(),
        skip: index.dir.canonicalize().ok(),
        options,
    };
    let mut listed = Vec::new();
    let mut removed = BTreeSet::new();
    for rel in changed.iter().chain(walk.options.reanalyse.iter()) {
        match corpus::look_at(&walk.corpus, rel) {
            Ok(corpus::Looked::File(file)) => {
                let previous = records.get(&file.rel).map(|(_, record)| record);
                listed.extend(candidate(file, previous, &walk.options));
            }
            // A removed file is one record; only a removed folder needs
            // the records searched for what lay below it.
            Ok(corpus::Looked::Gone) if records.get(rel).is_some() => {
                removed.insert(rel.clone());
            }
            Ok(corpus::Looked::Gone) => {
                let below = format!("{rel}/");
                removed.extend(
                    records
                        .iter()
                        .filter(|(_, path, _)| path.starts_with(&below))
                        .map(|(_, path, _)| path.to_string()),
                );
            }
            Ok(corpus::Looked::Passed) => {}
            Ok(corpus::Looked::Folder) | Err(_) => return Ok(None),
        }
    }
    listed.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    listed.dedup_by(|a, b| a.file.rel == b.file.rel);
    let recorded = listed.iter().filter(|c| c.previous.is_some()).count();
    Ok(Some(Plan {
        candidates: listed.len(),
        unchanged: records.len().saturating_sub(recorded + removed.len()),
        removed: removed.into_iter().collect(),
        unlisted: Vec::new(),
        listed: Some(listed),
        walk,
        records,
        listings: None,
    }))
}

/// `file` as a candidate when it must be read (see [`must_read`]).
fn candidate(
    file: SourceFile,
    record: Option<IndexedFile>,
    options: &PlanOptions,
) -> Option<Candidate> {
    let reanalyse = must_read(&file.rel, file.size, file.mtime, record, options)?;
    Some(Candidate { file, previous: record, reanalyse })
}

/// `Some(reanalyse)` when the file at `rel` must be read: it has no record,
/// its size or mtime moved (a file that failed last time only when asked to
/// retry it), or `options.reanalyse` names it (then `Some(true)`).
fn must_read(
    rel: &str,
    size: u64,
    mtime: u64,
    record: Option<IndexedFile>,
    options: &PlanOptions,
) -> Option<bool> {
    let reanalyse = !options.reanalyse.is_empty() && options.reanalyse.contains(rel);
    let changed = match record {
        Some(old) if old.size == size && old.mtime == mtime => false,
        Some(old) => old.mtime != FAILED_MTIME || options.retry_failed,
        None => true,
    };
    (reanalyse || changed).then_some(reanalyse)
}

/// What the walk threads of [`compare`] gather.
#[derive(Default)]
struct Tally {
    candidates: usize,
    /// `None` once there were more candidates than the list limit.
    listed: Option<Vec<Candidate>>,
    errors: Vec<WalkError>,
}

/// The comparison itself, apart from tantivy; at most `list_limit`
/// candidates are kept. Each file is looked up on the walk thread that
/// found it; only candidates are allocated.
fn compare(walk: WalkSpec, records: FileRecords, list_limit: usize, listings: Listings) -> Plan {
    let listings = ListingCache::new(listings);
    let seen: Vec<AtomicBool> = (0..records.len()).map(|_| AtomicBool::new(false)).collect();
    let unchanged = AtomicUsize::new(0);
    let tally = Mutex::new(Tally { listed: Some(Vec::new()), ..Tally::default() });
    let lock = || tally.lock().unwrap_or_else(|e| e.into_inner());
    let file = |file: Seen<'_>| {
        let record = records.get(file.rel);
        if let Some((id, _)) = record {
            seen[id].store(true, Ordering::Relaxed);
        }
        let previous = record.map(|(_, record)| record);
        let Some(reanalyse) = must_read(file.rel, file.size, file.mtime, previous, &walk.options)
        else {
            unchanged.fetch_add(1, Ordering::Relaxed);
            return true;
        };
        let mut tally = lock();
        tally.candidates += 1;
        let full = tally.listed.as_ref().is_some_and(|list| list.len() >= list_limit);
        if full {
            tally.listed = None;
        }
        if let Some(list) = &mut tally.listed {
            let file = SourceFile {
                rel: file.rel.to_string(),
                abs: file.abs(),
                size: file.size,
                mtime: file.mtime,
            };
            list.push(Candidate { file, previous, reanalyse });
        }
        true
    };
    let problem = |err: WalkError| lock().errors.push(err);
    let threads = corpus::threads();
    scan::scan(&walk.corpus, walk.skip.as_deref(), Some(&listings), threads, &file, &problem);
    let Tally { candidates, mut listed, errors } =
        tally.into_inner().unwrap_or_else(|e| e.into_inner());
    let mut unlisted_dirs = Vec::new();
    let mut unlisted: Vec<Unlisted> = errors
        .into_iter()
        .map(|err| {
            if err.kind != WalkErrorKind::Vanished {
                unlisted_dirs.push(corpus::relative_key(&walk.corpus, &err.path));
            }
            Unlisted {
                path: err.path.display().to_string(),
                message: err.message,
                failed: err.kind == WalkErrorKind::Unreadable,
            }
        })
        .collect();
    if let Some(list) = &mut listed {
        list.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    }
    unlisted.sort_by(|a, b| a.path.cmp(&b.path));
    // Files that vanished, unless they sit under a folder we could not list.
    let hidden_by_error =
        |p: &str| unlisted_dirs.iter().any(|d| d.is_empty() || is_under(p, d.as_str()));
    let mut removed: Vec<String> = records
        .iter()
        .filter(|&(id, path, _)| !seen[id].load(Ordering::Relaxed) && !hidden_by_error(path))
        .map(|(_, path, _)| path.to_string())
        .collect();
    removed.sort();
    Plan {
        candidates,
        removed,
        unchanged: unchanged.into_inner(),
        unlisted,
        listed,
        walk,
        records,
        listings: Some(listings.into_seen()),
    }
}

/// True when `path` is `dir` or inside it (both `/`-separated, relative).
fn is_under(path: &str, dir: &str) -> bool {
    path.strip_prefix(dir).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;
    use std::fs;
    use std::path::Path;
    use tantivy::DocAddress;

    fn record(size: u64, mtime: u64) -> IndexedFile {
        IndexedFile { size, mtime, address: DocAddress::new(0, 0) }
    }

    /// A corpus of four files and records for three of them plus one gone.
    fn corpus_and_records() -> (tempfile::TempDir, FileRecords) {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir(root.join("sub")).unwrap();
        for name in ["same.txt", "grown.txt", "sub/new.txt", "unreadable.txt"] {
            fs::write(root.join(name), "text").unwrap();
        }
        let files: HashMap<String, SourceFile> =
            corpus::walk(root, None).map(|f| f.unwrap()).map(|f| (f.rel.clone(), f)).collect();
        let same = &files["same.txt"];
        let mut records = FileRecords::default();
        records.insert("same.txt", record(same.size, same.mtime)).unwrap();
        records.insert("grown.txt", record(1, files["grown.txt"].mtime)).unwrap();
        records.insert("gone.txt", record(4, 1)).unwrap();
        records.insert("unreadable.txt", record(4, FAILED_MTIME)).unwrap();
        (dir, records)
    }

    fn spec(root: &Path, retry_failed: bool) -> WalkSpec {
        let options = PlanOptions { retry_failed, ..PlanOptions::default() };
        WalkSpec { corpus: root.to_path_buf(), skip: None, options }
    }

    fn names(plan: Plan) -> Vec<String> {
        let mut names: Vec<String> = plan.into_candidates().map(|c| c.file.rel).collect();
        names.sort();
        names
    }

    #[test]
    fn sorts_files_into_candidates_removed_and_unchanged() {
        let (dir, records) = corpus_and_records();
        let quiet =
            compare(spec(dir.path(), false), records, LISTED_CANDIDATES, Listings::default());
        assert_eq!((quiet.candidates, quiet.unchanged), (2, 2));
        assert_eq!(quiet.removed, ["gone.txt"]);
        assert!(!quiet.is_current());
        assert_eq!(names(quiet), ["grown.txt", "sub/new.txt"]);

        let (dir, records) = corpus_and_records();
        let retry =
            compare(spec(dir.path(), true), records, LISTED_CANDIDATES, Listings::default());
        assert_eq!((retry.candidates, retry.unchanged), (3, 1));
        assert_eq!(names(retry), ["grown.txt", "sub/new.txt", "unreadable.txt"]);
    }

    /// Past the list limit the plan keeps counts only, and a second walk
    /// finds the same candidates, with their records.
    #[test]
    fn too_many_candidates_are_found_again_by_a_second_walk() {
        let (dir, records) = corpus_and_records();
        let plan = compare(spec(dir.path(), true), records, 1, Listings::default());
        assert!(plan.listed.is_none());
        assert_eq!((plan.candidates, plan.unchanged), (3, 1));
        assert_eq!(plan.removed, ["gone.txt"]);
        let mut found: Vec<(String, Option<u64>)> = plan
            .into_candidates()
            .map(|c| (c.file.rel, c.previous.map(|previous| previous.size)))
            .collect();
        found.sort();
        let expected = [("grown.txt", Some(1)), ("sub/new.txt", None), ("unreadable.txt", Some(4))];
        assert_eq!(found, expected.map(|(path, size)| (path.to_string(), size)));
    }

    #[test]
    fn is_under_respects_component_boundaries() {
        assert!(is_under("a/b.txt", "a"));
        assert!(is_under("a", "a"));
        assert!(!is_under("ab/c.txt", "a"));
    }
}
