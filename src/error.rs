//! The few failures a caller branches on. Everything else travels as
//! `anyhow::Error` with context added at the I/O edge.

use std::fmt;
use std::path::PathBuf;

/// A failure that the command layer reports in its own words, or that the
/// search command reacts to (for instance by building a missing index).
#[derive(Debug)]
pub(crate) enum Error {
    /// No index exists at this directory.
    IndexMissing(PathBuf),
    /// The index was written by a lede with another on-disk format.
    IndexIncompatible { dir: PathBuf, found: String },
    /// The index's files are missing, empty or damaged.
    IndexUnreadable { dir: PathBuf, reason: String },
    /// Another process holds the index writer lock.
    IndexBusy(PathBuf),
    /// The query text could not be parsed.
    BadQuery { query: String, reason: String },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::IndexMissing(dir) => {
                write!(f, "no index at {}: run `lede index` first", dir.display())
            }
            Error::IndexIncompatible { dir, found } => write!(
                f,
                "the index at {} was built by an incompatible lede ({found}): \
                 rebuild it with `lede index --rebuild`",
                dir.display()
            ),
            Error::IndexUnreadable { dir, reason } => write!(
                f,
                "the index at {} cannot be read ({reason}): \
                 rebuild it with `lede index --rebuild`",
                dir.display()
            ),
            Error::IndexBusy(dir) => write!(
                f,
                "the index at {} is being updated by another lede process: \
                 wait for it to finish or pass --wait",
                dir.display()
            ),
            Error::BadQuery { query, reason } => {
                write!(f, "cannot parse query {query:?}: {reason}")
            }
        }
    }
}

impl std::error::Error for Error {}
