//! Walks a corpus folder.
//!
//! The walk yields every candidate file (a name some reader in [`crate::read`]
//! takes; hidden files and folders and the index folder skipped) with its
//! size and mtime, so the indexer can decide what to read. One bad entry is
//! an `Err` item of the iterator; the walk goes on. Knows nothing of tantivy.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::mpsc;

use anyhow::Result;

use crate::read;

pub(crate) mod listings;
pub(crate) mod scan;

/// A candidate file found by the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct SourceFile {
    /// Path relative to the corpus root, `/`-separated: the key in the index.
    pub rel: String,
    /// Path on disk.
    pub abs: PathBuf,
    pub size: u64,
    /// Modification time in nanoseconds since the epoch (0 if unknown).
    pub mtime: u64,
}

/// An entry the walk could not list.
#[derive(Debug)]
pub(crate) struct WalkError {
    pub path: PathBuf,
    pub message: String,
    pub kind: WalkErrorKind,
}

/// Why an entry could not be listed; callers treat the kinds differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum WalkErrorKind {
    /// A symbolic link that points back to one of its parents: nothing is
    /// hidden by skipping it.
    Loop,
    /// Listed, then gone before it could be examined (or a dangling link):
    /// there is nothing to index.
    Vanished,
    /// Anything else (permissions, I/O): files below it may be missing.
    Unreadable,
}

/// Lists the candidate files under `root`, in no particular order (callers
/// sort what they show). `skip` is a folder never descended into (the
/// index, when it lives inside).
///
/// Symbolic links are followed, and a link back to one of its own parent
/// folders is reported as a loop. Only `stat` is called; no file is opened.
/// The walk runs on every core ([`scan`]); a caller that only compares the
/// files with something calls [`scan::scan`] itself and allocates nothing
/// per file.
pub(crate) fn walk(
    root: &Path,
    skip: Option<&Path>,
) -> impl Iterator<Item = Result<SourceFile, WalkError>> {
    let (found, results) = mpsc::sync_channel(1024);
    let skip = skip.map(Path::to_path_buf);
    let root = root.to_path_buf();
    std::thread::spawn(move || {
        let file = |seen: scan::Seen<'_>| {
            let file = SourceFile {
                rel: seen.rel.to_string(),
                abs: seen.abs(),
                size: seen.size,
                mtime: seen.mtime,
            };
            found.send(Ok(file)).is_ok()
        };
        let problem = |err: WalkError| {
            let _ = found.send(Err(err));
        };
        scan::scan(&root, skip.as_deref(), None, threads(), &file, &problem);
    });
    results.into_iter()
}

/// Threads for a walk: every core, up to eight (more only queue on the disk).
pub(crate) fn threads() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get()).min(8)
}

/// What one path of the corpus is now, for an update that looks only at
/// the paths a watcher saw change.
#[derive(Debug)]
pub(crate) enum Looked {
    /// A file the walk would list.
    File(SourceFile),
    /// Nothing is there (a file or a folder was removed or renamed away).
    Gone,
    /// A folder: its files are not known without listing it.
    Folder,
    /// Something the walk passes over (another kind of file, hidden).
    Passed,
}

/// Looks at `rel` (a `/`-separated path under `root`) as the walk would.
pub(crate) fn look_at(root: &Path, rel: &str) -> std::io::Result<Looked> {
    let hidden = rel.split('/').any(|part| part.starts_with('.'));
    let abs = root.join(rel);
    let meta = match std::fs::metadata(&abs) {
        Ok(meta) => meta,
        Err(err) if err.kind() == ErrorKind::NotFound => return Ok(Looked::Gone),
        Err(err) => return Err(err),
    };
    if hidden {
        return Ok(Looked::Passed);
    }
    if meta.is_dir() {
        return Ok(Looked::Folder);
    }
    let name = rel.rsplit('/').next().unwrap_or(rel);
    if !meta.is_file() || !read::is_readable_name(name) {
        return Ok(Looked::Passed);
    }
    let (size, mtime) = scan::size_and_mtime(&meta);
    Ok(Looked::File(SourceFile { rel: rel.to_string(), abs, size, mtime }))
}

impl WalkError {
    pub(crate) fn from_io(path: &Path, err: &std::io::Error) -> WalkError {
        let (kind, message) = if is_link_loop(err) {
            (WalkErrorKind::Loop, "symbolic link loop, skipped".to_string())
        } else if err.kind() != ErrorKind::NotFound {
            (WalkErrorKind::Unreadable, err.to_string())
        } else if path.is_symlink() {
            (WalkErrorKind::Vanished, "broken symbolic link, skipped".to_string())
        } else {
            (WalkErrorKind::Vanished, "vanished while listing, skipped".to_string())
        };
        WalkError { path: path.to_path_buf(), message, kind }
    }
}

/// Links that lead to each other (`a.txt` → `b.txt` → `a.txt`): ELOOP.
fn is_link_loop(err: &std::io::Error) -> bool {
    #[cfg(unix)]
    return err.raw_os_error() == Some(libc::ELOOP);
    #[cfg(not(unix))]
    return false;
}

/// The index key of a file: its path relative to the root, `/`-separated.
pub(crate) fn relative_key(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

    #[cfg(unix)]
    #[test]
    fn links_that_lead_to_each_other_are_a_loop_not_an_unreadable_file() {
        let dir = tempfile::tempdir().unwrap();
        std::os::unix::fs::symlink("b.txt", dir.path().join("a.txt")).unwrap();
        std::os::unix::fs::symlink("a.txt", dir.path().join("b.txt")).unwrap();
        let problems: Vec<WalkError> = walk(dir.path(), None).filter_map(Result::err).collect();
        assert_eq!(problems.len(), 2, "{problems:?}");
        for problem in problems {
            assert_eq!(problem.kind, WalkErrorKind::Loop, "{problem:?}");
            assert_eq!(problem.message, "symbolic link loop, skipped");
        }
    }

    #[test]
    fn walk_lists_text_files_and_skips_hidden_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/sub")).unwrap();
        fs::create_dir_all(root.join(".hidden")).unwrap();
        fs::create_dir_all(root.join("idx")).unwrap();
        for name in [
            "a.txt",
            "b/sub/c.MD",
            "b/d.text",
            "e.png",
            "f.html",
            "g.jsonl",
            ".f.txt",
            ".hidden/g.txt",
            "idx/h.txt",
        ] {
            fs::write(root.join(name), "x").unwrap();
        }
        let mut files: Vec<String> =
            walk(root, Some(&root.join("idx"))).map(|f| f.unwrap().rel).collect();
        files.sort();
        assert_eq!(files, ["a.txt", "b/d.text", "b/sub/c.MD", "f.html", "g.jsonl"]);
    }
}
