//! A running watcher serves freshness, so a search need not walk the corpus.
//!
//! `lede watch` holds an exclusive lock on `watch.lock` in the index folder
//! ([`lock`]) and listens on `watch.sock` there ([`socket`]). A search asks
//! it to `sync`: the watcher drops a cookie file into the corpus and answers
//! once its own notification stream has delivered the cookie — so every
//! change made before the search has been seen — and the update those
//! changes call for is committed ([`watcher`]). The search then reads the
//! new commit and skips its walk. No answer within [`SYNC_WAIT`]: the last
//! commit is searched, with a note. No watcher (or a killed one, whose lock
//! the kernel released): the search walks as before. A single search goes
//! further and has the watcher run it on the index it keeps open
//! ([`served`]), which spares the searching process opening the index.

pub(crate) mod background;
pub(crate) mod hint;
pub(crate) mod lock;
pub(crate) mod served;
pub(crate) mod socket;
pub(crate) mod updates;
pub(crate) mod watcher;

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use socket::{Kind, Unanswered};

/// How long a search waits for the watcher before searching the last commit
/// (`LEDE_SYNC_WAIT_MS` overrides it, for tests on a loaded machine).
pub(crate) const SYNC_WAIT: Duration = Duration::from_secs(2);

pub(crate) fn sync_wait() -> Duration {
    std::env::var("LEDE_SYNC_WAIT_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(SYNC_WAIT, Duration::from_millis)
}

pub(crate) fn lock_path(index: &Path) -> PathBuf {
    index.join("watch.lock")
}

pub(crate) fn socket_path(index: &Path) -> PathBuf {
    index.join("watch.sock")
}

/// Where a background watcher writes its log.
pub(crate) fn log_path(index: &Path) -> PathBuf {
    index.join("watch.log")
}

/// The id of the watcher watching this index, if one runs.
pub fn watcher_pid(index: &Path) -> Option<u32> {
    lock::holder(&lock_path(index))
}

/// How a search got (or did not get) a current index from the watcher.
#[derive(Debug)]
pub(crate) enum Synced {
    /// Every change made before the request is committed.
    Current,
    /// The watcher did not answer in time; its last commit stands.
    Late,
    /// No watcher runs, or it could not update: walk instead.
    Walk(Option<String>),
}

/// Asks the index's watcher to apply every pending change.
pub(crate) fn sync(index: &Path) -> Synced {
    match socket::ask(&socket_path(index), Kind::Sync, sync_wait()) {
        Ok(answer) if answer == "ok" => Synced::Current,
        Ok(answer) => Synced::Walk(Some(answer)),
        Err(Unanswered::Late) => Synced::Late,
        Err(Unanswered::NoWatcher) => Synced::Walk(None),
        Err(Unanswered::Broken(err)) => Synced::Walk(Some(err.to_string())),
    }
}

/// What `lede watch --status` shows (times in seconds since 1970).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct WatchStatus {
    pub(crate) pid: u32,
    pub(crate) corpus: String,
    pub(crate) started: u64,
    pub(crate) last_sync: Option<u64>,
    pub(crate) last_update: Option<u64>,
    /// Run by `lede serve` (absent from an older watcher's answer).
    #[serde(default)]
    pub(crate) in_server: bool,
}

/// Asks a running watcher for its status.
pub(crate) fn status(index: &Path) -> Option<WatchStatus> {
    let answer = socket::ask(&socket_path(index), Kind::Status, SYNC_WAIT).ok()?;
    serde_json::from_str(&answer).ok()
}

/// Asks the watcher to stop; false when it could not be reached.
pub(crate) fn request_stop(index: &Path) -> bool {
    socket::ask(&socket_path(index), Kind::Stop, SYNC_WAIT).is_ok()
}

/// Seconds since 1970, for status times.
pub(crate) fn now_secs() -> u64 {
    SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// One log line on stderr, with the UTC time of day.
pub(crate) fn log(message: &str) {
    let secs = now_secs();
    let (h, m, s) = (secs / 3600 % 24, secs / 60 % 60, secs % 60);
    eprintln!("lede: {h:02}:{m:02}:{s:02} {message}");
}

impl WatchStatus {
    /// "up 3m12s, last sync 2s ago, last update 1h05m ago", as of `now`.
    pub(crate) fn describe(&self, now: u64) -> String {
        let ago = |at: Option<u64>| match at {
            Some(at) => format!("{} ago", span(now.saturating_sub(at))),
            None => "never".to_string(),
        };
        format!(
            "up {}, last sync {}, last update {}",
            span(now.saturating_sub(self.started)),
            ago(self.last_sync),
            ago(self.last_update)
        )
    }
}

/// A span of seconds as `45s`, `3m12s`, `2h05m` or `3d04h`.
fn span(secs: u64) -> String {
    match secs {
        0..60 => format!("{secs}s"),
        60..3600 => format!("{}m{:02}s", secs / 60, secs % 60),
        3600..86400 => format!("{}h{:02}m", secs / 3600, secs / 60 % 60),
        _ => format!("{}d{:02}h", secs / 86400, secs / 3600 % 24),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_status_reads_as_spans_of_time() {
        let status = WatchStatus { started: 1000, last_sync: Some(4598), ..WatchStatus::default() };
        assert_eq!(status.describe(4600), "up 1h00m, last sync 2s ago, last update never");
        assert_eq!(span(192), "3m12s");
        assert_eq!(span(3 * 86400 + 4 * 3600), "3d04h");
    }
}
