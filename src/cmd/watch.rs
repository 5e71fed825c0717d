//! `lede watch`: keeps the index current while it runs.
//!
//! File-system notifications (the `notify` crate) mark the corpus dirty; a
//! burst of them is gathered until the folder has been quiet for the
//! debounce time, then one ordinary incremental update runs (so the walk,
//! not the notifications, decides what changed, and a missed event costs
//! nothing but time). A periodic stat-only rescan catches what notifications
//! miss. Ctrl-C (or SIGTERM) lets the update in progress finish and exits 0;
//! the writer lock is only held during an update, so nothing is left behind.

use std::path::{Component, Path};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher};
use signal_hook::consts::TERM_SIGNALS;

use super::index::{index_corpus, summary};
use super::progress::Reporter;
use super::Status;
use crate::cli::{Location, WatchArgs};
use crate::config::{self, Paths};
use crate::error::Error;
use crate::index::update::{self, UpdateOptions};
use crate::index::LedeIndex;

/// How often the loop looks at the stop flag while idle.
const TICK: Duration = Duration::from_millis(100);
/// A steady stream of changes still gets indexed at least this often.
const MAX_DELAY: Duration = Duration::from_secs(10);

pub fn run(location: &Location, args: &WatchArgs) -> Result<Status> {
    let paths = config::resolve_paths(location, args.corpus.as_deref())?;
    let stop = stop_flag()?;
    let first = index_corpus(&paths, &UpdateOptions { wait: true, ..UpdateOptions::default() })?;
    log(&summary(&first, false));
    let index = LedeIndex::open(&paths.index)?;

    let (tx, rx) = mpsc::channel();
    let mut watcher = notify::recommended_watcher(tx).context("cannot watch for file changes")?;
    watcher
        .watch(&paths.corpus, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", paths.corpus.display()))?;
    log(&format!("watching {} (Ctrl-C to stop)", paths.corpus.display()));

    let debounce = Duration::from_millis(args.debounce);
    let rescan = (args.rescan > 0).then(|| Duration::from_secs(args.rescan));
    let mut dirty: Option<Dirty> = None;
    let mut next_rescan = rescan.map(|every| Instant::now() + every);
    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(TICK) {
            Ok(Ok(event)) if is_relevant(&event, &paths) => mark_dirty(&mut dirty),
            Ok(Ok(_)) | Err(mpsc::RecvTimeoutError::Timeout) => {}
            Ok(Err(err)) => {
                // Lost or overflowing notifications: let the walk sort it out.
                log(&format!("warning: file notifications: {err}"));
                mark_dirty(&mut dirty);
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        let settled = dirty.as_ref().is_some_and(|d| d.is_settled(debounce));
        let rescan_due = next_rescan.is_some_and(|at| Instant::now() >= at);
        if !settled && !rescan_due {
            continue;
        }
        if rescan_due {
            next_rescan = rescan.map(|every| Instant::now() + every);
        }
        if !settled && !update::is_stale(&index).unwrap_or(true) {
            continue;
        }
        if update_once(&index) {
            dirty = None;
        } else {
            // Busy or failed: try again after another quiet period.
            mark_dirty(&mut dirty);
        }
    }
    drop(watcher);
    log("stopped watching");
    Ok(Status::Success)
}

/// Changes seen since the last update.
struct Dirty {
    first: Instant,
    last: Instant,
}

impl Dirty {
    /// Quiet long enough, or waiting too long already.
    fn is_settled(&self, debounce: Duration) -> bool {
        self.last.elapsed() >= debounce || self.first.elapsed() >= MAX_DELAY
    }
}

fn mark_dirty(dirty: &mut Option<Dirty>) {
    let now = Instant::now();
    match dirty {
        Some(d) => d.last = now,
        None => *dirty = Some(Dirty { first: now, last: now }),
    }
}

/// Runs one incremental update and logs it; false when it must be retried.
fn update_once(index: &LedeIndex) -> bool {
    let options = UpdateOptions::freshness();
    let mut reporter = Reporter::new(&index.dir);
    match update::update(index, &options, &mut |event| reporter.event(event)) {
        Ok(report) => {
            if report.committed {
                log(&summary(&report, false));
            }
            true
        }
        Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::IndexBusy(_))) => {
            log("another lede process is updating the index; trying again shortly");
            false
        }
        Err(err) => {
            log(&format!("error: {err:#}"));
            false
        }
    }
}

/// Whether a notification can mean a corpus change: reads (our own, too)
/// and anything in hidden folders, which hold the index, are ignored.
fn is_relevant(event: &notify::Event, paths: &Paths) -> bool {
    let is_read = matches!(
        event.kind,
        EventKind::Access(kind) if kind != AccessKind::Close(AccessMode::Write)
    );
    if is_read || matches!(event.kind, EventKind::Other) {
        return false;
    }
    event.paths.is_empty() || event.paths.iter().any(|path| is_corpus_path(path, paths))
}

/// True for a path the corpus walk would look at.
fn is_corpus_path(path: &Path, paths: &Paths) -> bool {
    if path.starts_with(&paths.index) {
        return false;
    }
    let Ok(rel) = path.strip_prefix(&paths.corpus) else { return false };
    !rel.components()
        .any(|c| matches!(c, Component::Normal(name) if name.to_string_lossy().starts_with('.')))
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

/// One log line on stderr, with the UTC time of day.
fn log(message: &str) {
    let secs = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
    eprintln!("lede: {h:02}:{m:02}:{s:02} {message}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use notify::event::{CreateKind, ModifyKind};
    use std::path::PathBuf;

    fn event(kind: EventKind, path: &str) -> notify::Event {
        notify::Event::new(kind).add_path(PathBuf::from(path))
    }

    #[test]
    fn only_writes_to_visible_corpus_files_count() {
        let paths = Paths { corpus: "/c".into(), index: "/c/.lede".into() };
        let create = EventKind::Create(CreateKind::File);
        assert!(is_relevant(&event(create, "/c/a.txt"), &paths));
        assert!(is_relevant(&event(EventKind::Modify(ModifyKind::Any), "/c/d/a.txt"), &paths));
        assert!(is_relevant(
            &event(EventKind::Access(AccessKind::Close(AccessMode::Write)), "/c/a.txt"),
            &paths
        ));
        assert!(!is_relevant(
            &event(EventKind::Access(AccessKind::Close(AccessMode::Read)), "/c/a.txt"),
            &paths
        ));
        assert!(!is_relevant(&event(create, "/c/.lede/meta.json"), &paths));
        assert!(!is_relevant(&event(create, "/c/.git/x.txt"), &paths));
        let elsewhere = Paths { corpus: "/c".into(), index: "/idx".into() };
        assert!(!is_relevant(&event(create, "/idx/meta.json"), &elsewhere));
    }

    #[test]
    fn a_burst_settles_after_the_quiet_time() {
        let mut dirty = None;
        mark_dirty(&mut dirty);
        let d = dirty.as_ref().unwrap();
        assert!(!d.is_settled(Duration::from_secs(60)));
        assert!(d.is_settled(Duration::ZERO));
    }
}
