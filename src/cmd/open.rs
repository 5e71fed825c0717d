//! Opening an index for the read-only commands (search, entities, dates):
//! a missing index is built first, so one command works on a fresh checkout.

use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use super::index::{index_corpus, summary};
use super::progress::Reporter;
use crate::cli::Location;
use crate::config::{self, Paths};
use crate::error::Error;
use crate::index::update::{self, UpdateOptions};
use crate::index::LedeIndex;
use crate::watch::{self, hint, Synced};

/// Resolves the paths and opens the index, building it when it is missing
/// and, with `refresh`, first bringing it up to date when the folder changed.
pub fn open_for_reading(location: &Location, refresh: bool) -> Result<(Paths, LedeIndex)> {
    let paths = config::resolve_paths_for_reading(location, refresh)?;
    match LedeIndex::open(&paths.index) {
        Ok(mut index) => {
            check_corpus(&mut index, &paths)?;
            if refresh {
                make_fresh(&index);
            }
            Ok((paths, index))
        }
        Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::IndexMissing(_))) => {
            eprintln!(
                "lede: no index for {} yet, building it in {}",
                paths.corpus.display(),
                paths.index.display()
            );
            let report = index_corpus(&paths, &UpdateOptions::default())?;
            eprintln!("lede: {}", summary(&report, false));
            let index = LedeIndex::open(&paths.index)?;
            Ok((paths, index))
        }
        // `index_corpus` says why and rebuilds; without `refresh` (the user
        // asked for no indexing) the error stands.
        Err(err)
            if refresh
                && matches!(
                    err.downcast_ref::<Error>(),
                    Some(Error::IndexIncompatible { .. } | Error::IndexUnreadable { .. })
                ) =>
        {
            let report = index_corpus(&paths, &UpdateOptions::default())?;
            eprintln!("lede: {}", summary(&report, false));
            let index = LedeIndex::open(&paths.index)?;
            Ok((paths, index))
        }
        Err(err) => Err(err),
    }
}

/// Makes sure the index belongs to the corpus asked for. An index inside its
/// corpus folder (`CORPUS/.lede`) follows the folder when it is moved or
/// renamed; any other mismatch is an error, so a search never quietly runs
/// against another corpus.
pub fn check_corpus(index: &mut LedeIndex, paths: &Paths) -> Result<()> {
    if index.manifest.corpus == paths.corpus {
        return Ok(());
    }
    if paths.index == paths.corpus.join(config::INDEX_DIR_NAME) {
        eprintln!(
            "lede: note: the corpus moved from {} to {}; the index follows it",
            index.manifest.corpus.display(),
            paths.corpus.display()
        );
        index.manifest.corpus = paths.corpus.clone();
        return index.manifest.write(&index.dir);
    }
    bail!(
        "the index at {} belongs to the corpus {}, not {}: pass --index for another folder",
        paths.index.display(),
        index.manifest.corpus.display(),
        paths.corpus.display()
    )
}

/// Brings the index up to date before a search: a running watcher is asked
/// to apply pending changes (no walk); without one, the search walks the
/// folder itself, and a slow walk earns a hint once a day. `LEDE_TRACE` set
/// says on stderr which way freshness came.
fn make_fresh(index: &LedeIndex) {
    match watch::sync(&index.dir) {
        Synced::Current => trace("watcher"),
        Synced::Late => {
            eprintln!(
                "lede: note: the watcher did not apply the latest changes in time; \
                 searching the last commit"
            );
            trace("watcher (late)");
        }
        Synced::Walk(reason) => {
            if let Some(reason) = reason {
                eprintln!("lede: note: the watcher could not update the index ({reason}); checking the folder");
            }
            let walk = refresh_if_stale(index);
            trace("walk");
            if let Some(hint) = hint::slow_walk(&index.dir, walk) {
                eprintln!("lede: {hint}");
            }
        }
    }
}

fn trace(how: &str) {
    if std::env::var_os("LEDE_TRACE").is_some_and(|value| !value.is_empty()) {
        eprintln!("lede: freshness: {how}");
    }
}

/// The freshness check: when the folder changed since the last commit
/// (stat only, no file read), update the index before searching. Never fails
/// the search: when the update cannot run (another process is writing, the
/// index folder is read-only), the last commit is searched. Returns how long
/// the walk (the check) took.
fn refresh_if_stale(index: &LedeIndex) -> Duration {
    let started = Instant::now();
    let stale = update::is_stale(index);
    let walk = started.elapsed();
    match stale {
        Ok(false) => return walk,
        Ok(true) => {}
        Err(err) => {
            eprintln!("lede: warning: cannot check the corpus for changes: {err:#}");
            return walk;
        }
    }
    let options = UpdateOptions::freshness();
    let mut reporter = Reporter::new(&index.dir);
    match update::update(index, &options, &mut |event| reporter.event(event)) {
        Ok(report) => {
            let changes = report.added.len() + report.updated.len() + report.removed.len();
            if changes > 0 {
                eprintln!("lede: index updated: {}", summary(&report, false));
            }
        }
        Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::IndexBusy(_))) => eprintln!(
            "lede: note: the index is being updated by another lede process; \
             searching its last commit"
        ),
        Err(err) => {
            eprintln!("lede: warning: cannot update the index: {err:#}; searching its last commit")
        }
    }
    walk
}
