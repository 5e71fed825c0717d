//! The watcher's loop: file-system notifications (the `notify` crate) mark
//! the corpus dirty; a burst of them becomes one incremental update once
//! the folder has been quiet for the debounce time. When every notification
//! of the burst named files, the update looks at those paths alone (the
//! cost follows what changed, not the corpus); a folder created or renamed,
//! or a notification without paths, makes it walk the folder, and the
//! periodic rescan walks too, so a missed event costs nothing but time.
//! A search's `sync` skips the debounce: a cookie file written
//! into the corpus comes back through the same notification stream after
//! every earlier change, so once it arrives the watcher knows all it must
//! apply, applies it and answers. Lost or overflowing notifications, and a
//! cookie that never comes back, end in a full update, never a stale index.

use std::collections::{BTreeSet, HashMap};
use std::ffi::OsString;
use std::path::{Component, Path};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use notify::event::{AccessKind, AccessMode};
use notify::{EventKind, RecursiveMode, Watcher};

use super::socket::{self, Kind, Request};
use super::{log, now_secs, WatchStatus};
use crate::config::Paths;

/// How often the loop looks at the stop flag while idle.
const TICK: Duration = Duration::from_millis(100);
/// A steady stream of changes still gets indexed at least this often.
const MAX_DELAY: Duration = Duration::from_secs(10);
/// A cookie not seen back by then (notifications lost, or none on this
/// file system) is given up on, and the sync walks the corpus instead.
const COOKIE_WAIT: Duration = Duration::from_millis(1000);

/// How the loop is tuned.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Options {
    /// Quiet time after the last change before an update.
    pub debounce: Duration,
    /// Full rescan period (for file systems that send no notifications).
    pub rescan: Option<Duration>,
    /// This watcher is part of `lede serve`: stopping it alone would leave
    /// the pages served unwatched.
    pub in_server: bool,
}

/// What the loop needs from its caller.
pub(crate) trait Updater {
    /// Runs one incremental update: of the `changed` paths (relative to
    /// the corpus) when the notifications named them all, else of the
    /// whole folder. False when it must be retried.
    fn update(&mut self, changed: Option<&BTreeSet<String>>) -> bool;
    /// Whether the folder changed since the last commit (a stat-only walk).
    fn is_stale(&mut self) -> bool;
    /// Runs a served search's `question` on the last commit: the answer
    /// line ([`super::served::answer`]).
    fn search(&mut self, question: &str) -> String;
}

/// When this process first watched (seconds since 1970), for `--status`.
static PROCESS_STARTED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();

/// How often the loop checks that its index folder is still the one it
/// locked (`lede index --rebuild` swaps in a new folder).
const FOLDER_CHECK: Duration = Duration::from_secs(1);

/// Why the loop ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Ended {
    /// Asked to stop (Ctrl-C, SIGTERM, `--stop`).
    Stopped,
    /// The index folder was replaced: the caller opens the new one and
    /// watches again.
    IndexReplaced,
}

/// Something for the loop to handle.
enum Message {
    Notified(notify::Result<notify::Event>),
    Asked(Request),
}

/// Watches `paths.corpus` until `stop` is set, keeping the index current
/// and answering requests on the socket. The first update runs after the
/// notifications are on, so changes made while nothing watched are applied.
pub(crate) fn run(
    paths: &Paths,
    options: Options,
    stop: &AtomicBool,
    updater: &mut dyn Updater,
) -> Result<Ended> {
    let (tx, rx) = mpsc::channel();
    let notified = tx.clone();
    let mut watcher = notify::recommended_watcher(move |event| {
        let _ = notified.send(Message::Notified(event));
    })
    .context("cannot watch for file changes")?;
    watcher
        .watch(&paths.corpus, RecursiveMode::Recursive)
        .with_context(|| format!("cannot watch {}", paths.corpus.display()))?;
    let socket_path = super::socket_path(&paths.index);
    let deliver = move |request| tx.send(Message::Asked(request)).is_ok();
    let _listening = socket::listen(&socket_path, deliver)
        .inspect_err(|err| {
            let path = socket_path.display();
            log(&format!("warning: cannot listen on {path}: {err}; searches will walk the folder"));
        })
        .ok();
    let lock_path = super::lock_path(&paths.index);
    let locked = file_id(&lock_path);
    let mut next_check = Instant::now() + FOLDER_CHECK;
    let mut ended = Ended::Stopped;
    let mut state = State::new(paths, options);
    if !state.update(updater) {
        log("the first update did not run; trying again shortly");
    }
    log(&format!("watching {} (Ctrl-C to stop)", paths.corpus.display()));

    while !stop.load(Ordering::SeqCst) {
        match rx.recv_timeout(TICK) {
            Ok(Message::Notified(Ok(event))) => state.notified(&event),
            Ok(Message::Notified(Err(err))) => {
                log(&format!("warning: file notifications: {err}"));
                state.mark_dirty();
            }
            Ok(Message::Asked(request)) => match request.kind {
                Kind::Sync | Kind::Search => state.sync_requested(request),
                Kind::SearchLast => {
                    let answer = updater.search(&request.payload);
                    request.answer(&answer);
                }
                Kind::Status => {
                    let status = serde_json::to_string(&state.status()).unwrap_or_default();
                    request.answer(&status);
                }
                Kind::Stop => {
                    log("asked to stop");
                    request.answer("stopping");
                    stop.store(true, Ordering::SeqCst);
                }
            },
            Err(mpsc::RecvTimeoutError::Timeout) => {}
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
        }
        if Instant::now() >= next_check {
            next_check = Instant::now() + FOLDER_CHECK;
            if file_id(&lock_path) != locked {
                log("the index folder was replaced (lede index --rebuild?); watching the new one");
                ended = Ended::IndexReplaced;
                break;
            }
        }
        state.give_up_late_cookies();
        state.serve_syncs(updater);
        state.update_when_due(updater);
    }
    drop(watcher);
    // Syncs still waiting are let go: their searches walk the folder.
    let corpus = &paths.corpus;
    let waiting = state.waiting.drain().map(|(name, waiting)| {
        let _ = std::fs::remove_file(corpus.join(name));
        waiting.request
    });
    for request in state.ready.drain(..).chain(waiting) {
        request.answer("failed: the watcher is stopping");
    }
    if ended == Ended::Stopped {
        log("stopped watching");
    }
    Ok(ended)
}

/// Device and inode of a file, to tell a replaced one apart.
fn file_id(path: &Path) -> Option<(u64, u64)> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|meta| (meta.dev(), meta.ino()))
}

/// A sync waiting for its cookie to come back.
struct Waiting {
    request: Request,
    since: Instant,
}

struct State<'a> {
    paths: &'a Paths,
    options: Options,
    dirty: Option<Dirty>,
    /// Syncs by cookie file name.
    waiting: HashMap<OsString, Waiting>,
    /// Syncs whose cookie came back: answered after the next update.
    ready: Vec<Request>,
    next_cookie: u64,
    next_rescan: Option<Instant>,
    started: u64,
    last_sync: Option<u64>,
    last_update: Option<u64>,
}

impl<'a> State<'a> {
    fn new(paths: &'a Paths, options: Options) -> State<'a> {
        State {
            paths,
            options,
            dirty: None,
            waiting: HashMap::new(),
            ready: Vec::new(),
            next_cookie: 0,
            next_rescan: options.rescan.map(|every| Instant::now() + every),
            // The process's start: a rebuild restarts the loop, not the watcher.
            started: *PROCESS_STARTED.get_or_init(now_secs),
            last_sync: None,
            last_update: None,
        }
    }

    fn status(&self) -> WatchStatus {
        WatchStatus {
            pid: std::process::id(),
            corpus: self.paths.corpus.display().to_string(),
            started: self.started,
            last_sync: self.last_sync,
            last_update: self.last_update,
            in_server: self.options.in_server,
        }
    }

    fn mark_dirty(&mut self) {
        mark_dirty(&mut self.dirty);
    }

    fn notified(&mut self, event: &notify::Event) {
        for path in &event.paths {
            let cookie = path.file_name().and_then(|name| self.waiting.remove(name));
            if let Some(waiting) = cookie {
                let _ = std::fs::remove_file(path);
                self.ready.push(waiting.request);
            }
        }
        let relevant = is_relevant(event, self.paths);
        if event.need_rescan() || (relevant && event.paths.is_empty()) {
            self.mark_dirty();
        } else if relevant {
            let corpus_paths = event.paths.iter().filter(|path| is_corpus_path(path, self.paths));
            let changed = corpus_paths.map(|path| changed_path(path, self.paths)).collect();
            mark_changed(&mut self.dirty, changed);
        }
    }

    /// Drops a cookie into the corpus (a hidden file, which the walk
    /// ignores). Where none can be written (a read-only corpus), the sync
    /// is served by a full update at once.
    fn sync_requested(&mut self, request: Request) {
        self.next_cookie += 1;
        let name =
            OsString::from(format!(".lede-sync-{}-{}", std::process::id(), self.next_cookie));
        let path = self.paths.corpus.join(&name);
        match std::fs::write(&path, b"") {
            Ok(()) => {
                self.waiting.insert(name, Waiting { request, since: Instant::now() });
            }
            Err(_) => {
                self.mark_dirty();
                self.ready.push(request);
            }
        }
    }

    fn give_up_late_cookies(&mut self) {
        let late: Vec<OsString> = self
            .waiting
            .iter()
            .filter(|(_, waiting)| waiting.since.elapsed() >= COOKIE_WAIT)
            .map(|(name, _)| name.clone())
            .collect();
        for name in late {
            if let Some(waiting) = self.waiting.remove(&name) {
                let _ = std::fs::remove_file(self.paths.corpus.join(&name));
                self.mark_dirty();
                self.ready.push(waiting.request);
            }
        }
    }

    /// Applies what the ready syncs wait for and answers them.
    fn serve_syncs(&mut self, updater: &mut dyn Updater) {
        if self.ready.is_empty() {
            return;
        }
        let ok = self.dirty.is_none() || self.update(updater);
        let answer = if ok { "ok" } else { "failed: the update did not run" };
        for request in self.ready.drain(..) {
            if ok && request.kind == Kind::Search {
                let answer = updater.search(&request.payload);
                request.answer(&answer);
            } else {
                request.answer(answer);
            }
        }
        self.last_sync = Some(now_secs());
    }

    /// The debounced update, and the periodic rescan.
    fn update_when_due(&mut self, updater: &mut dyn Updater) {
        let settled = self.dirty.as_ref().is_some_and(|d| d.is_settled(self.options.debounce));
        let rescan_due = self.next_rescan.is_some_and(|at| Instant::now() >= at);
        if rescan_due {
            self.next_rescan = self.options.rescan.map(|every| Instant::now() + every);
        }
        if rescan_due && updater.is_stale() {
            // The folder changed where no notification said: walk it.
            self.mark_dirty();
            self.update(updater);
        } else if settled {
            self.update(updater);
        }
    }

    fn update(&mut self, updater: &mut dyn Updater) -> bool {
        let changed = self.dirty.as_ref().and_then(|dirty| dirty.changed.as_ref());
        if updater.update(changed) {
            self.dirty = None;
            self.last_update = Some(now_secs());
            true
        } else {
            // Busy or failed: try again after another quiet period.
            self.mark_dirty();
            false
        }
    }
}

/// Changes seen since the last update.
struct Dirty {
    first: Instant,
    last: Instant,
    /// The paths that changed (relative to the corpus), when every
    /// notification named only files; `None`: walk the whole folder.
    changed: Option<BTreeSet<String>>,
}

impl Dirty {
    /// Quiet long enough, or waiting too long already.
    fn is_settled(&self, debounce: Duration) -> bool {
        self.last.elapsed() >= debounce || self.first.elapsed() >= MAX_DELAY
    }
}

/// Something changed, what is not known: the next update walks.
fn mark_dirty(dirty: &mut Option<Dirty>) {
    mark_changed(dirty, None);
}

/// `changed` paths changed (`None`: unknown ones). Once a change is
/// unknown, the next update walks whatever else comes.
fn mark_changed(dirty: &mut Option<Dirty>, changed: Option<Vec<String>>) {
    let now = Instant::now();
    let d = dirty.get_or_insert_with(|| Dirty {
        first: now,
        last: now,
        changed: Some(BTreeSet::new()),
    });
    d.last = now;
    match (&mut d.changed, changed) {
        (Some(known), Some(more)) => known.extend(more),
        (known, _) => *known = None,
    }
}

/// A notified path as a corpus key; `None` for a folder that is there
/// (what changed inside it is not known without listing it).
fn changed_path(path: &Path, paths: &Paths) -> Option<String> {
    if path.is_dir() {
        return None;
    }
    Some(crate::corpus::relative_key(&paths.corpus, path))
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
        assert!(!is_relevant(&event(create, "/c/.lede-sync-1-1"), &paths));
        let elsewhere = Paths { corpus: "/c".into(), index: "/idx".into() };
        assert!(!is_relevant(&event(create, "/idx/meta.json"), &elsewhere));
    }

    #[test]
    fn named_files_gather_until_an_unknown_change_makes_the_update_walk() {
        let dir = tempfile::tempdir().unwrap();
        let paths = Paths { corpus: dir.path().to_path_buf(), index: dir.path().join(".lede") };
        std::fs::create_dir(dir.path().join("folder")).unwrap();
        let key = |name: &str| changed_path(&dir.path().join(name), &paths);
        assert_eq!(key("a/b.txt").as_deref(), Some("a/b.txt"));
        assert_eq!(key("folder"), None);

        let mut dirty = None;
        mark_changed(&mut dirty, Some(vec!["a.txt".to_string()]));
        mark_changed(&mut dirty, Some(vec!["b/c.txt".to_string(), "a.txt".to_string()]));
        let changed = dirty.as_ref().and_then(|d| d.changed.clone()).unwrap();
        assert_eq!(changed.into_iter().collect::<Vec<_>>(), ["a.txt", "b/c.txt"]);
        mark_dirty(&mut dirty);
        mark_changed(&mut dirty, Some(vec!["d.txt".to_string()]));
        assert!(dirty.as_ref().is_some_and(|d| d.changed.is_none()));
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
