//! `lede watch`: keeps the index current while it runs, and serves searches
//! their freshness (the loop is in [`crate::watch`]); `--background`,
//! `--stop` and `--status` manage a detached watcher.
//!
//! Ctrl-C (or SIGTERM, or `--stop`) lets the update in progress finish and
//! exits 0; the writer lock is only held during an update, and the watcher's
//! own lock dies with the process, so nothing is left behind.

use std::collections::BTreeSet;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context, Result};
use signal_hook::consts::TERM_SIGNALS;

use super::progress::Reporter;
use super::Status;
use crate::cli::{Location, WatchArgs};
use crate::config::{self, Paths};
use crate::index::lifecycle::{self, Notice, Observer};
use crate::index::update::{self, Event, UpdateOptions};
use crate::index::LedeIndex;
use crate::render::indexing::notice_line;
use crate::watch::{self, background, lock, log, served, updates, watcher};

/// How long `--stop` waits for the update in progress to finish.
const STOP_WAIT: Duration = Duration::from_secs(120);

pub(super) fn run(location: &Location, args: &WatchArgs) -> Result<Status> {
    let paths = config::resolve_paths(location, args.corpus.as_deref())?;
    if args.status {
        return status(&paths);
    }
    if args.stop {
        return stop(&paths);
    }
    if let Some(pid) = watch::watcher_pid(&paths.index) {
        bail!(
            "{} is already watched by lede process {pid}; `lede watch --stop` stops it",
            paths.corpus.display()
        );
    }
    let mut index = open_or_build(&paths)?;
    if args.background {
        drop(index);
        let options = ["--debounce".to_string(), args.debounce.to_string()];
        let rescan = ["--rescan".to_string(), args.rescan.to_string()];
        let pid = background::start(&paths, &[options, rescan].concat())?;
        eprintln!(
            "lede: watching {} in the background (pid {pid}); log: {}; `lede watch --stop` stops it",
            paths.corpus.display(),
            watch::log_path(&paths.index).display()
        );
        return Ok(Status::Success);
    }
    let stop = stop_flag()?;
    let options = watcher::Options {
        debounce: Duration::from_millis(args.debounce),
        rescan: (args.rescan > 0).then(|| Duration::from_secs(args.rescan)),
        in_server: false,
    };
    loop {
        let lock_path = watch::lock_path(&paths.index);
        let _held = lock::claim(&lock_path)
            .with_context(|| format!("cannot lock {}", lock_path.display()))?
            .with_context(|| format!("{} is already watched", paths.corpus.display()))?;
        let mut updates = Updates { index, reader: None, seen: None };
        match watcher::run(&paths, options, &stop, &mut updates)? {
            watcher::Ended::Stopped => return Ok(Status::Success),
            // A rebuild swapped the folder: the new one is opened and locked.
            watcher::Ended::IndexReplaced => {
                background::follow_log(&paths.index);
                index = open_or_build(&paths)?;
            }
        }
    }
}

/// The index, built first when there is none (its folder must exist before
/// the watcher's lock and socket can live in it) and repaired when it
/// cannot be read.
fn open_or_build(paths: &Paths) -> Result<LedeIndex> {
    let options = UpdateOptions { wait: true, ..UpdateOptions::default() };
    let mut log = WatchLog(Reporter::new(&paths.index));
    Ok(lifecycle::open_or_build(paths, true, &options, &mut log)?.index)
}

/// The watcher's observer: notices go to its log, with the time.
struct WatchLog(Reporter);

impl Observer for WatchLog {
    fn notice(&mut self, notice: Notice<'_>) {
        log(&notice_line(&notice));
    }

    fn event(&mut self, event: &Event) {
        self.0.event(event);
    }

    fn done(&mut self) {
        self.0.done();
    }
}

/// `--status`: exit 0 when a watcher runs, 1 when none does.
fn status(paths: &Paths) -> Result<Status> {
    let Some(pid) = watch::watcher_pid(&paths.index) else {
        println!("not watched: no watcher runs for {}", paths.corpus.display());
        return Ok(Status::NoHits);
    };
    match watch::status(&paths.index) {
        Some(status) => println!(
            "watched by {} {}: {}",
            if status.in_server { "lede serve, process" } else { "lede process" },
            status.pid,
            status.describe(watch::now_secs())
        ),
        None => println!("watched by lede process {pid} (busy: it does not answer now)"),
    }
    Ok(Status::Success)
}

/// `--stop`: asks the watcher to stop (SIGTERM if it does not answer) and
/// waits until it has; exit 1 when none runs.
fn stop(paths: &Paths) -> Result<Status> {
    let Some(pid) = watch::watcher_pid(&paths.index) else {
        eprintln!("lede: no watcher runs for {}", paths.corpus.display());
        return Ok(Status::NoHits);
    };
    if watch::status(&paths.index).is_some_and(|status| status.in_server) {
        bail!(
            "the watcher of {} is part of `lede serve` (pid {pid}): stop the server to stop it",
            paths.corpus.display()
        );
    }
    if !watch::request_stop(&paths.index) && !background::terminate(pid) {
        bail!("cannot reach the watcher (pid {pid}) of {}", paths.corpus.display());
    }
    if !background::wait_until_stopped(&paths.index, STOP_WAIT) {
        bail!("the watcher (pid {pid}) did not stop within {} s", STOP_WAIT.as_secs());
    }
    eprintln!("lede: stopped the watcher (pid {pid}) of {}", paths.corpus.display());
    Ok(Status::Success)
}

/// The updates the watcher runs, logged.
struct Updates {
    index: LedeIndex,
    /// Opened by the first served search.
    reader: Option<tantivy::IndexReader>,
    /// The commit the reader was last reloaded on.
    seen: Option<served::CommitStamp>,
}

impl watcher::Updater for Updates {
    fn update(&mut self, changed: Option<&BTreeSet<String>>) -> bool {
        let mut reporter = Reporter::new(&self.index.dir);
        updates::apply_and_log(&self.index, changed, &mut |event| reporter.event(event))
    }

    fn is_stale(&mut self) -> bool {
        update::is_stale(&self.index).unwrap_or(true)
    }

    fn search(&mut self, question: &str) -> String {
        match self.searcher() {
            Ok(searcher) => served::answer(&self.index, searcher, question),
            Err(err) => format!("failed: {err:#}"),
        }
    }
}

impl Updates {
    /// The last commit's searcher, on a reader kept open between searches
    /// (reloaded when the index changed: by this watcher's updates, or by
    /// `lede index` meanwhile).
    fn searcher(&mut self) -> Result<tantivy::Searcher> {
        let reader = match &self.reader {
            Some(reader) => reader,
            None => self.reader.insert(self.index.long_lived_reader()?),
        };
        if served::must_reload(&self.index.dir, &mut self.seen) {
            reader.reload()?;
        }
        Ok(reader.searcher())
    }
}

/// Set on the first Ctrl-C or SIGTERM; a second one exits at once (the
/// index keeps its last commit, so that is safe too).
fn stop_flag() -> Result<Arc<AtomicBool>> {
    let stop = Arc::new(AtomicBool::new(false));
    for &signal in TERM_SIGNALS {
        signal_hook::flag::register_conditional_shutdown(signal, 130, Arc::clone(&stop))
            .context("cannot install the Ctrl-C handler")?;
        signal_hook::flag::register(signal, Arc::clone(&stop))
            .context("cannot install the Ctrl-C handler")?;
    }
    Ok(stop)
}
