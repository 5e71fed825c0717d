//! Compares the corpus folder with the index, reading no file: which files
//! are new or changed (by size and mtime), which were removed, how many are
//! as indexed. Both `lede index` and the freshness check of `lede search`
//! start here; only the candidates are ever read.

use std::collections::HashSet;
use std::path::Path;

use anyhow::Result;
use tantivy::Searcher;

use super::indexed::{self, FileRecords, IndexedFile, FAILED_MTIME};
use super::LedeIndex;
use crate::corpus::{self, SourceFile, WalkErrorKind};

/// Which files to consider.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlanOptions {
    /// Ignore the records: every file is a candidate, none is "removed".
    pub rebuild: bool,
    /// Treat files that could not be read last time as candidates again.
    pub retry_failed: bool,
}

/// A file to read: new, or its size or mtime differs from its record.
#[derive(Clone, Debug)]
pub struct Candidate {
    pub file: SourceFile,
    /// Its record, when the index has one.
    pub previous: Option<IndexedFile>,
}

/// A folder or file the walk could not list (permissions, symlink loop).
#[derive(Clone, Debug)]
pub struct Unlisted {
    /// Path on disk.
    pub path: String,
    pub message: String,
    /// True when real content may be missing from the index (an unreadable
    /// folder); false for a symbolic link loop or a vanished entry.
    pub failed: bool,
}

/// The difference between the folder and the index.
#[derive(Clone, Debug, Default)]
pub struct Plan {
    pub candidates: Vec<Candidate>,
    /// Indexed paths no longer in the folder, sorted.
    pub removed: Vec<String>,
    /// Files whose size and mtime are as indexed.
    pub unchanged: usize,
    pub unlisted: Vec<Unlisted>,
}

impl Plan {
    /// True when the index already reflects the folder.
    pub fn is_current(&self) -> bool {
        self.candidates.is_empty() && self.removed.is_empty()
    }
}

/// Walks the corpus of `index` (stat only) and compares it with the file
/// records `searcher` sees.
pub fn plan(index: &LedeIndex, searcher: &Searcher, options: PlanOptions) -> Result<Plan> {
    let indexed = if options.rebuild {
        indexed::no_records()
    } else {
        indexed::indexed_files(searcher, &index.fields)?
    };
    let skip = index.dir.canonicalize().ok();
    Ok(compare(&index.manifest.corpus, skip.as_deref(), &indexed, options))
}

/// The comparison itself, apart from tantivy.
fn compare(
    corpus: &Path,
    skip: Option<&Path>,
    indexed: &FileRecords,
    options: PlanOptions,
) -> Plan {
    let mut plan = Plan::default();
    let entries: Vec<_> = corpus::walk(corpus, skip).collect();
    let mut unlisted_dirs = Vec::new();
    let mut found = 0;
    for entry in &entries {
        match entry {
            Ok(file) => {
                let previous = indexed.get(&file.rel).copied();
                found += usize::from(previous.is_some());
                match previous {
                    Some(old) if old.size == file.size && old.mtime == file.mtime => {
                        plan.unchanged += 1
                    }
                    Some(old) if old.mtime == FAILED_MTIME && !options.retry_failed => {
                        plan.unchanged += 1
                    }
                    _ => plan.candidates.push(Candidate { file: file.clone(), previous }),
                }
            }
            Err(err) => {
                if err.kind != WalkErrorKind::Vanished {
                    unlisted_dirs.push(corpus::relative_key(corpus, &err.path));
                }
                plan.unlisted.push(Unlisted {
                    path: err.path.display().to_string(),
                    message: err.message.clone(),
                    failed: err.kind == WalkErrorKind::Unreadable,
                });
            }
        }
    }
    plan.candidates.sort_by(|a, b| a.file.rel.cmp(&b.file.rel));
    plan.unlisted.sort_by(|a, b| a.path.cmp(&b.path));
    // Files that vanished, unless they sit under a folder we could not list.
    // Every record found by the walk means nothing was removed: the usual
    // case needs no set of walked paths.
    if found < indexed.len() {
        let seen: HashSet<&str> =
            entries.iter().filter_map(|e| e.as_ref().ok()).map(|f| f.rel.as_str()).collect();
        let hidden_by_error =
            |p: &str| unlisted_dirs.iter().any(|d| d.is_empty() || is_under(p, d.as_str()));
        plan.removed = indexed
            .keys()
            .filter(|p| !seen.contains(p.as_str()) && !hidden_by_error(p))
            .cloned()
            .collect();
        plan.removed.sort();
    }
    plan
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
    use tantivy::DocAddress;

    fn record(size: u64, mtime: u64) -> IndexedFile {
        IndexedFile { size, mtime, address: DocAddress::new(0, 0) }
    }

    #[test]
    fn sorts_files_into_candidates_removed_and_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        for name in ["same.txt", "grown.txt", "new.txt", "unreadable.txt"] {
            fs::write(root.join(name), "text").unwrap();
        }
        let files: HashMap<String, SourceFile> =
            corpus::walk(root, None).map(|f| f.unwrap()).map(|f| (f.rel.clone(), f)).collect();
        let same = &files["same.txt"];
        let mut indexed = indexed::no_records();
        indexed.insert("same.txt".to_string(), record(same.size, same.mtime));
        indexed.insert("grown.txt".to_string(), record(1, files["grown.txt"].mtime));
        indexed.insert("gone.txt".to_string(), record(4, 1));
        indexed.insert("unreadable.txt".to_string(), record(4, FAILED_MTIME));

        let quiet = compare(root, None, &indexed, PlanOptions::default());
        let names =
            |plan: &Plan| plan.candidates.iter().map(|c| c.file.rel.clone()).collect::<Vec<_>>();
        assert_eq!(names(&quiet), ["grown.txt", "new.txt"]);
        assert_eq!(quiet.removed, ["gone.txt"]);
        assert_eq!(quiet.unchanged, 2);
        assert!(!quiet.is_current());

        let retry =
            compare(root, None, &indexed, PlanOptions { retry_failed: true, rebuild: false });
        assert_eq!(names(&retry), ["grown.txt", "new.txt", "unreadable.txt"]);
        assert_eq!(retry.unchanged, 1);
    }

    #[test]
    fn is_under_respects_component_boundaries() {
        assert!(is_under("a/b.txt", "a"));
        assert!(is_under("a", "a"));
        assert!(!is_under("ab/c.txt", "a"));
    }
}
