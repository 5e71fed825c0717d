//! Walks a corpus folder and decodes text.
//!
//! The walk yields every candidate file (a name some reader in [`crate::read`]
//! takes; hidden files and folders and the index folder skipped) with its
//! size and mtime, so the indexer can decide what to read. Decoding takes
//! UTF-16 with a byte-order mark and UTF-8, falls back to Latin-1
//! (reported), and refuses binary content. One
//! bad entry is an `Err` item of the iterator; the walk goes on. Knows
//! nothing of tantivy.

use std::io::ErrorKind;
use std::path::{Path, PathBuf};
use std::sync::mpsc::SyncSender;

use anyhow::Result;
use walkdir::WalkDir;

use crate::read;

mod stat;

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
/// The walk is walkdir's: symbolic links are followed, and a link back to one
/// of its own parent folders is reported as a loop. Only `stat` is called;
/// no file is opened. Folders are listed by one thread and their files
/// stat-ed by one per core ([`stat`]).
pub(crate) fn walk(
    root: &Path,
    skip: Option<&Path>,
) -> impl Iterator<Item = Result<SourceFile, WalkError>> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get()).min(8);
    let (found_tx, work_tx, found_rx) = stat::workers(root, threads);
    let skip = skip.map(Path::to_path_buf);
    let root = root.to_path_buf();
    std::thread::spawn(move || list(&root, skip.as_deref(), &found_tx, &work_tx));
    found_rx.into_iter().flatten()
}

/// Lists the folders under `root` in order, sending their candidate files
/// to the stat workers and what cannot be listed straight to the results.
fn list(
    root: &Path,
    skip: Option<&Path>,
    found: &SyncSender<Vec<stat::Found>>,
    work: &SyncSender<stat::Batch>,
) {
    let entries = WalkDir::new(root).follow_links(true).into_iter().filter_entry(|entry| {
        let hidden = entry.depth() > 0 && entry.file_name().to_string_lossy().starts_with('.');
        !hidden && skip != Some(entry.path())
    });
    let mut batcher = stat::Batcher::default();
    for entry in entries {
        let sent = match entry {
            Err(err) => found.send(vec![Err(WalkError::from_walkdir(root, &err))]).is_ok(),
            Ok(entry) => {
                let readable = entry.file_name().to_str().is_some_and(read::is_readable_name);
                let dir = entry.path().parent().unwrap_or(root);
                if !entry.file_type().is_file() || !readable {
                    continue;
                }
                match batcher.push(dir, entry.file_name().to_os_string()) {
                    Some(batch) => work.send(batch).is_ok(),
                    None => true,
                }
            }
        };
        if !sent {
            return;
        }
    }
    if let Some(batch) = batcher.finish() {
        let _ = work.send(batch);
    }
}

impl WalkError {
    fn from_walkdir(root: &Path, err: &walkdir::Error) -> WalkError {
        let path = err.path().unwrap_or(root);
        if err.loop_ancestor().is_some() {
            return WalkError {
                path: path.to_path_buf(),
                message: "symbolic link loop, skipped".to_string(),
                kind: WalkErrorKind::Loop,
            };
        }
        match err.io_error() {
            Some(io) => WalkError::from_io(path, io),
            None => WalkError {
                path: path.to_path_buf(),
                message: err.to_string(),
                kind: WalkErrorKind::Unreadable,
            },
        }
    }

    pub(crate) fn from_io(path: &Path, err: &std::io::Error) -> WalkError {
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

/// The index key of a file: its path relative to the root, `/`-separated.
pub(crate) fn relative_key(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    rel.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// How the bytes of a file were turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    /// UTF-16 with a byte-order mark (what Windows' Notepad writes as "Unicode").
    Utf16,
    /// Not valid UTF-8; each byte was read as a Latin-1 character.
    Latin1,
}

/// The decoded text of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// A file that is readable but is not an article lede indexes (binary,
/// oversized): skipped with a warning rather than counted as a failure.
#[derive(Debug)]
pub(crate) struct NotText(pub String);

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotText {}

/// Decodes file bytes: UTF-16 when it starts with a byte-order mark, UTF-8
/// (BOM dropped), else Latin-1; binary is an error.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<Decoded> {
    if let Some(text) = decode_utf16(&bytes) {
        return Ok(Decoded { text, encoding: Encoding::Utf16 });
    }
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

/// The text of UTF-16 bytes behind a byte-order mark (little- or
/// big-endian), invalid sequences replaced; `None` without a mark. Checked
/// before the binary test, since UTF-16 is full of NUL bytes.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let from: fn([u8; 2]) -> u16 = match bytes {
        [0xff, 0xfe, ..] => u16::from_le_bytes,
        [0xfe, 0xff, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| from([pair[0], pair[1]]));
    Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

/// NUL bytes never occur in text files; look at the first 8 KiB like git does.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::fs;

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
        let mut le = vec![0xff, 0xfe];
        le.extend("Київ, 5,000".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le).unwrap().text, "Київ, 5,000");
        let mut be = vec![0xfe, 0xff];
        be.extend("Kyiv".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(be).unwrap().encoding, Encoding::Utf16);
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
