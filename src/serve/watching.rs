//! `lede serve` is its index's watcher: a thread runs the same loop as
//! `lede watch` ([`crate::watch::watcher`]), so changes to the folder reach
//! the page within the debounce time without any request walking the
//! corpus, and `lede search` in a terminal syncs with the server instead of
//! walking too. When another process already watches the index, the server
//! leaves it be and syncs with it ([`Shared::refresh`]).

use std::collections::BTreeSet;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use super::state::{log, Shared};
use crate::config::Paths;
use crate::index::update;
use crate::watch::{self, lock, served, updates, watcher};

/// Quiet time after the last change before the server updates the index
/// (`lede watch`'s default).
const DEBOUNCE: Duration = Duration::from_millis(500);
/// Full rescan period, for file systems that send no notifications.
const RESCAN: Duration = Duration::from_secs(60);

/// The watcher thread; dropping it stops the thread (after the update in
/// progress) and releases the watcher's lock.
pub struct Watching {
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

/// What [`start`] did.
pub enum Started {
    /// This server watches the index.
    Watching(Watching),
    /// Another process (its id) watches it; requests sync with that one.
    WatchedBy(u32),
}

/// Claims the index's watcher lock and starts watching on a thread. An
/// error means the lock could not be taken or read (the requests then
/// check the folder themselves, as without a watcher).
pub fn start(shared: &Arc<Shared>) -> std::io::Result<Started> {
    let paths = Paths { corpus: shared.corpus.clone(), index: shared.index.dir.clone() };
    let Some(held) = lock::claim(&watch::lock_path(&paths.index))? else {
        let pid = watch::watcher_pid(&paths.index).unwrap_or(0);
        return Ok(Started::WatchedBy(pid));
    };
    let stop = Arc::new(AtomicBool::new(false));
    let thread = {
        let stop = Arc::clone(&stop);
        let shared = Arc::clone(shared);
        std::thread::Builder::new().name("lede-watch".to_string()).spawn(move || {
            let _held = held;
            let options =
                watcher::Options { debounce: DEBOUNCE, rescan: Some(RESCAN), in_server: true };
            let mut updates = ServerUpdates { shared, seen: None };
            match watcher::run(&paths, options, &stop, &mut updates) {
                Ok(watcher::Ended::Stopped) => {}
                Ok(watcher::Ended::IndexReplaced) => {
                    log("note: the index folder was replaced (lede index --rebuild?); \
                     restart lede serve to serve the new one")
                }
                Err(err) => {
                    log(&format!("warning: {err:#}; requests check the folder for changes instead"))
                }
            }
        })?
    };
    Ok(Started::Watching(Watching { stop, thread: Some(thread) }))
}

impl Drop for Watching {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// The watcher's updates: applied, logged, and read by the next request.
struct ServerUpdates {
    shared: Arc<Shared>,
    /// The commit served searches last reloaded on.
    seen: Option<served::CommitStamp>,
}

impl watcher::Updater for ServerUpdates {
    fn update(&mut self, changed: Option<&BTreeSet<String>>) -> bool {
        let applied = updates::apply_and_log(&self.shared.index, changed, &mut |_| {});
        // Stamped before the reload: a served search then reloads only for
        // a commit made after it.
        self.seen = served::CommitStamp::read(&self.shared.index.dir);
        self.shared.reload();
        applied
    }

    fn is_stale(&mut self) -> bool {
        update::is_stale(&self.shared.index).unwrap_or(true)
    }

    fn search(&mut self, question: &str) -> String {
        // This watcher's updates, or another process (`lede index`), may
        // have committed since.
        if served::must_reload(&self.shared.index.dir, &mut self.seen) {
            self.shared.reload();
        }
        served::answer(&self.shared.index, self.shared.searcher(), question)
    }
}
