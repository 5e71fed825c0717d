//! Walks a corpus folder and reads its files as text.
//!
//! The walk yields every candidate file (`.txt`, `.md`, `.text`; hidden files
//! and folders and the index folder skipped) with its size and mtime, so the
//! indexer can decide what to read. Reading decodes UTF-8, falls back to
//! Latin-1 (reported), and refuses binary or oversized files. One bad entry
//! is an `Err` item of the iterator; the walk goes on. Knows nothing of tantivy.

use std::fs;
use std::io::ErrorKind;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::UNIX_EPOCH;

use anyhow::{Context, Result};

/// Files larger than this are skipped: they are not articles.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// File name extensions lede indexes (compared case-insensitively).
pub const EXTENSIONS: [&str; 3] = ["txt", "md", "text"];

/// A candidate file found by the walk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
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
pub struct WalkError {
    pub path: PathBuf,
    pub message: String,
    pub kind: WalkErrorKind,
}

/// Why an entry could not be listed; callers treat the kinds differently.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WalkErrorKind {
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
/// Only `stat` is called, relative to each open folder (no full path lookup
/// per file), and the top-level folders are walked on parallel threads: on
/// a 95,000-file corpus this is the whole cost of the search freshness check.
/// Symbolic links are followed; a link back to one of its own parent folders
/// is reported as a loop.
pub fn walk(
    root: &Path,
    skip: Option<&Path>,
) -> impl Iterator<Item = Result<SourceFile, WalkError>> {
    let walker = Walker { skip: skip.map(Path::to_path_buf) };
    walker.walk_root(root).into_iter()
}

/// A folder still to list: where it is, its index key, and the identities
/// (device, inode) of it and its parents, to recognise link loops.
struct Pending {
    abs: PathBuf,
    rel: String,
    ancestors: Vec<(u64, u64)>,
}

struct Walker {
    skip: Option<PathBuf>,
}

type Entries = Vec<Result<SourceFile, WalkError>>;

impl Walker {
    fn walk_root(&self, root: &Path) -> Entries {
        let mut out = Vec::new();
        let meta = match fs::metadata(root) {
            Ok(meta) => meta,
            Err(err) => {
                out.push(Err(WalkError::from_io(root, &err)));
                return out;
            }
        };
        let top = Pending {
            abs: root.to_path_buf(),
            rel: String::new(),
            ancestors: vec![(meta.dev(), meta.ino())],
        };
        let mut folders = Vec::new();
        self.list(top, &mut out, &mut folders);
        let next = AtomicUsize::new(0);
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(4);
        let parts: Vec<Entries> = std::thread::scope(|scope| {
            let workers: Vec<_> = (0..threads.min(folders.len()))
                .map(|_| {
                    scope.spawn(|| {
                        let mut part = Vec::new();
                        loop {
                            let i = next.fetch_add(1, Ordering::Relaxed);
                            let Some(folder) = folders.get(i) else { break };
                            self.walk_folder(folder, &mut part);
                        }
                        part
                    })
                })
                .collect();
            workers.into_iter().filter_map(|w| w.join().ok()).collect()
        });
        out.extend(parts.into_iter().flatten());
        out
    }

    /// Walks one folder and everything below it on this thread.
    fn walk_folder(&self, folder: &Pending, out: &mut Entries) {
        let mut stack = Vec::new();
        self.list(
            Pending {
                abs: folder.abs.clone(),
                rel: folder.rel.clone(),
                ancestors: folder.ancestors.clone(),
            },
            out,
            &mut stack,
        );
        while let Some(next) = stack.pop() {
            self.list(next, out, &mut stack);
        }
    }

    /// Lists one folder: files go to `out`, sub-folders to `folders`.
    fn list(&self, folder: Pending, out: &mut Entries, folders: &mut Vec<Pending>) {
        let entries = match fs::read_dir(&folder.abs) {
            Ok(entries) => entries,
            Err(err) => return out.push(Err(WalkError::from_io(&folder.abs, &err))),
        };
        for entry in entries {
            let entry = match entry {
                Ok(entry) => entry,
                Err(err) => return out.push(Err(WalkError::from_io(&folder.abs, &err))),
            };
            let name = entry.file_name();
            let name = name.to_string_lossy();
            if name.starts_with('.') {
                continue;
            }
            let abs = entry.path();
            if self.skip.as_deref() == Some(abs.as_path()) {
                continue;
            }
            let is_link = entry.file_type().is_ok_and(|t| t.is_symlink());
            // Links are followed; anything else is stat'ed relative to its folder.
            let meta = if is_link { fs::metadata(&abs) } else { entry.metadata() };
            let meta = match meta {
                Ok(meta) => meta,
                Err(err) => {
                    out.push(Err(WalkError::from_io(&abs, &err)));
                    continue;
                }
            };
            let rel = if folder.rel.is_empty() {
                name.into_owned()
            } else {
                format!("{}/{name}", folder.rel)
            };
            if meta.is_dir() {
                let id = (meta.dev(), meta.ino());
                if folder.ancestors.contains(&id) {
                    out.push(Err(WalkError {
                        path: abs,
                        message: "symbolic link loop, skipped".to_string(),
                        kind: WalkErrorKind::Loop,
                    }));
                    continue;
                }
                let mut ancestors = folder.ancestors.clone();
                ancestors.push(id);
                folders.push(Pending { abs, rel, ancestors });
            } else if meta.is_file() && has_text_extension(&abs) {
                let mtime = meta
                    .modified()
                    .ok()
                    .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
                    .map_or(0, |d| d.as_nanos() as u64);
                out.push(Ok(SourceFile { rel, abs, size: meta.len(), mtime }));
            }
        }
    }
}

impl WalkError {
    fn from_io(path: &Path, err: &std::io::Error) -> WalkError {
        let (kind, message) = if err.kind() != ErrorKind::NotFound {
            (WalkErrorKind::Unreadable, err.to_string())
        } else if path.is_symlink() {
            (WalkErrorKind::Vanished, "broken symbolic link, skipped".to_string())
        } else {
            (WalkErrorKind::Vanished, "vanished while listing, skipped".to_string())
        };
        WalkError { path: path.to_path_buf(), message, kind }
    }
}

fn has_text_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| EXTENSIONS.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// The index key of a file: its path relative to the root, `/`-separated.
pub fn relative_key(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// How the bytes of a file were turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Utf8,
    /// Not valid UTF-8; each byte was read as a Latin-1 character.
    Latin1,
}

/// The decoded text of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// A file that is readable but is not an article lede indexes (binary,
/// oversized): skipped with a warning rather than counted as a failure.
#[derive(Debug)]
pub struct NotText(pub String);

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotText {}

/// Reads and decodes one file.
pub fn read_text(path: &Path) -> Result<Decoded> {
    let meta = fs::metadata(path).context("cannot read file")?;
    if meta.len() > MAX_FILE_BYTES {
        let limit = MAX_FILE_BYTES / (1024 * 1024);
        return Err(NotText(format!("larger than {limit} MiB, skipped")).into());
    }
    let bytes = fs::read(path).context("cannot read file")?;
    decode(bytes)
}

/// Decodes file bytes: UTF-8 (BOM dropped), else Latin-1; binary is an error.
pub fn decode(bytes: Vec<u8>) -> Result<Decoded> {
    if looks_binary(&bytes) {
        return Err(NotText("binary file (contains NUL bytes), skipped".to_string()).into());
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(Decoded { text, encoding: Encoding::Utf8 })
        }
        Err(err) => {
            let text = err.into_bytes().iter().map(|&b| b as char).collect();
            Ok(Decoded { text, encoding: Encoding::Latin1 })
        }
    }
}

/// NUL bytes never occur in text files; look at the first 8 KiB like git does.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_latin1_and_rejects_binary() {
        let utf8 = decode("Kyiv – Київ".as_bytes().to_vec()).unwrap();
        assert_eq!((utf8.text.as_str(), utf8.encoding), ("Kyiv – Київ", Encoding::Utf8));
        let bom = decode(b"\xef\xbb\xbfTitle".to_vec()).unwrap();
        assert_eq!(bom.text, "Title");
        let latin1 = decode(b"cost \xa3600m".to_vec()).unwrap();
        assert_eq!((latin1.text.as_str(), latin1.encoding), ("cost £600m", Encoding::Latin1));
        let err = decode(b"PK\x03\x04\x00\x00".to_vec()).unwrap_err();
        assert!(err.to_string().contains("binary"));
    }

    #[test]
    fn walk_lists_text_files_and_skips_hidden_and_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path();
        fs::create_dir_all(root.join("b/sub")).unwrap();
        fs::create_dir_all(root.join(".hidden")).unwrap();
        fs::create_dir_all(root.join("idx")).unwrap();
        for name in
            ["a.txt", "b/sub/c.MD", "b/d.text", "e.pdf", ".f.txt", ".hidden/g.txt", "idx/h.txt"]
        {
            fs::write(root.join(name), "x").unwrap();
        }
        let mut files: Vec<String> =
            walk(root, Some(&root.join("idx"))).map(|f| f.unwrap().rel).collect();
        files.sort();
        assert_eq!(files, ["a.txt", "b/d.text", "b/sub/c.MD"]);
    }
}
