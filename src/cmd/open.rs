//! Opening an index for the read-only commands (search, entities, dates,
//! export, serve): a missing index is built first, so one command works on
//! a fresh checkout, and with `refresh` the index is brought up to date.

use anyhow::Result;

use super::progress::Reporter;
use crate::cli::Location;
use crate::config::{self, Paths};
use crate::index::lifecycle::{self, Observer, Opened};
use crate::index::update::UpdateOptions;
use crate::index::LedeIndex;
use crate::render::indexing::freshened_line;
use crate::watch::{self, hint, Synced};

/// Resolves the paths and opens the index, building it when it is missing
/// and, with `refresh`, repairing it when it cannot be read and first
/// bringing it up to date when the folder changed.
pub(super) fn open_for_reading(location: &Location, refresh: bool) -> Result<(Paths, LedeIndex)> {
    let paths = config::resolve_paths_for_reading(location, refresh)?;
    let index = open_resolved(&paths, refresh)?;
    Ok((paths, index))
}

/// [`open_for_reading`] once the paths are resolved.
pub(super) fn open_resolved(paths: &Paths, refresh: bool) -> Result<LedeIndex> {
    let mut reporter = Reporter::new(&paths.index);
    let Opened { index, built } =
        lifecycle::open_or_build(paths, refresh, &UpdateOptions::default(), &mut reporter)?;
    // An index just built is as fresh as it gets.
    if refresh && !built {
        make_fresh(&index, &mut reporter);
    }
    Ok(index)
}

/// Brings the index up to date before a search: a running watcher is asked
/// to apply pending changes (no walk); without one, the search walks the
/// folder itself, and a slow walk earns a hint once a day. `LEDE_TRACE` set
/// says on stderr which way freshness came. Never fails the search.
fn make_fresh(index: &LedeIndex, reporter: &mut Reporter) {
    match watch::sync(&index.dir) {
        Synced::Current => trace("watcher"),
        Synced::Late => late_watcher(),
        Synced::Walk(reason) => {
            if let Some(reason) = reason {
                eprintln!("lede: note: the watcher could not update the index ({reason}); checking the folder");
            }
            let (outcome, walk) = lifecycle::refresh_if_stale(index, &mut |e| reporter.event(e));
            reporter.done();
            if let Some(line) = freshened_line(&outcome) {
                eprintln!("lede: {line}");
            }
            trace("walk");
            if let Some(hint) = hint::slow_walk(&index.dir, walk) {
                eprintln!("lede: {hint}");
            }
        }
    }
}

/// The note for a watcher that did not answer in time.
pub(super) fn late_watcher() {
    eprintln!(
        "lede: note: the watcher did not apply the latest changes in time; \
         searching the last commit"
    );
    trace("watcher (late)");
}

pub(super) fn trace(how: &str) {
    if std::env::var_os("LEDE_TRACE").is_some_and(|value| !value.is_empty()) {
        eprintln!("lede: freshness: {how}");
    }
}
