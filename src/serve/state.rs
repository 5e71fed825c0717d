//! What every request shares: the opened index, one long-lived reader, and
//! the freshness check that keeps the index in step with the folder.
//!
//! The server watches its index ([`super::watching`]); before a request
//! runs, the watcher (its own, or the `lede watch` that got there first) is
//! asked to apply every change made so far, as `lede search` asks it. With
//! no watcher to ask, the folder is checked (stat only) instead. Either
//! check runs when the last one is older than [`ServeOptions::refresh_every`]
//! and than ten times what it took (a walk of every file takes seconds on a
//! large corpus under load, and must not take a core for itself). One
//! request does the check and any update while the others go on searching
//! the last commit, so a slow update never holds up the page.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use anyhow::Result;
use tantivy::{IndexReader, Searcher};

use super::cache::ReplyCache;
use crate::config::PathDisplay;
use crate::index::lifecycle::{self, Freshened};
use crate::index::LedeIndex;
use crate::watch::{self, Synced};

/// Settings of a server.
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Least time between two checks of the folder for changes (zero:
    /// before every request).
    pub refresh_every: Duration,
    /// Check the folder at all (`--no-refresh` off).
    pub refresh: bool,
}

impl Default for ServeOptions {
    fn default() -> ServeOptions {
        ServeOptions { refresh_every: Duration::from_secs(2), refresh: true }
    }
}

/// The server's state, shared by every request.
pub struct Shared {
    pub(crate) index: LedeIndex,
    reader: IndexReader,
    /// The corpus folder, resolved (symbolic links followed).
    pub(crate) corpus: PathBuf,
    pub(crate) display: PathDisplay,
    /// Answers given on the current commit.
    pub(crate) replies: ReplyCache,
    /// Requests that may run at once ([`turns`]); the others wait their
    /// turn in order of arrival.
    pub(crate) turns: tokio::sync::Semaphore,
    options: ServeOptions,
    /// When the folder was last checked, and how long that took; held
    /// while a check runs.
    last_check: Mutex<Option<(Instant, Duration)>>,
}

impl Shared {
    pub fn new(index: LedeIndex, options: ServeOptions) -> Result<Shared> {
        let reader = index.long_lived_reader()?;
        // A corpus folder that is gone (`--no-refresh` on an index alone)
        // keeps its recorded path: its files then simply are not served.
        let recorded = &index.manifest.corpus;
        let corpus = recorded.canonicalize().unwrap_or_else(|_| recorded.clone());
        let display = PathDisplay::new(&corpus);
        Ok(Shared {
            index,
            reader,
            corpus,
            display,
            replies: ReplyCache::default(),
            turns: tokio::sync::Semaphore::new(turns()),
            options,
            last_check: Mutex::new(None),
        })
    }

    /// A searcher on the last commit.
    pub(crate) fn searcher(&self) -> Searcher {
        self.reader.searcher()
    }

    /// Brings the index up to date when the folder changed and the last
    /// check is old enough; returns at once when another request is
    /// checking. Runs on a blocking thread. Never fails the request: what
    /// goes wrong is logged and the last commit is searched.
    pub fn refresh(&self) {
        if !self.options.refresh {
            return;
        }
        let Ok(mut last) = self.last_check.try_lock() else { return };
        let due = |(at, took): (Instant, Duration)| {
            at.elapsed() >= self.options.refresh_every.max(took * CHECK_SHARE)
        };
        if last.is_some_and(|check| !due(check)) {
            return;
        }
        let started = Instant::now();
        let took = match watch::sync(&self.index.dir) {
            Synced::Current | Synced::Late => started.elapsed(),
            Synced::Walk(reason) => {
                if let Some(reason) = reason {
                    log(&format!("note: the watcher could not update the index ({reason}); checking the folder"));
                }
                // Only the check counts toward the spacing, not an update it starts.
                let (outcome, took) = lifecycle::refresh_if_stale(&self.index, &mut |_| {});
                log_freshened(&outcome);
                took
            }
        };
        // Another process (`lede index`, `lede watch`) may have committed.
        self.reload();
        *last = Some((Instant::now(), took));
    }

    /// Makes the next requests search the last commit.
    pub(crate) fn reload(&self) {
        if let Err(err) = self.reader.reload() {
            log(&format!("warning: cannot reload the index: {err}"));
        }
    }
}

/// Logs what a freshness check did, in the server's words.
fn log_freshened(outcome: &Freshened) {
    match outcome {
        Freshened::Current => {}
        Freshened::Updated(report) => log(&format!(
            "index updated: {} added, {} updated, {} removed",
            report.added.len(),
            report.updated.len(),
            report.removed.len()
        )),
        Freshened::Busy => {
            log("note: another lede process is updating the index; serving its last commit")
        }
        Freshened::CheckFailed(err) => {
            log(&format!("warning: cannot check the corpus for changes: {err:#}"))
        }
        Freshened::Failed(err) => log(&format!("warning: cannot update the index: {err:#}")),
    }
}

/// How many requests run at once: twice the cores, and at least four, so a
/// few slow ones (a large export, an index update) leave room for the rest.
/// Measured with `bench/serve-load --uncached` (32 clients, Reuters x5, two
/// cores): with no bound, 32 searches share the cores and p99 was 371.7 ms;
/// with four at once, the same throughput (285 against 292 requests/s) and
/// a p99 of 137.2 ms, since no search is starved by the 31 others.
fn turns() -> usize {
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    (cores * 2).max(4)
}

/// The least time between checks, as a multiple of the last check's time:
/// the checks take at most a tenth of the server's time.
const CHECK_SHARE: u32 = 10;

/// One line on stderr, as the other commands report.
pub(crate) fn log(message: &str) {
    eprintln!("lede: {message}");
}
