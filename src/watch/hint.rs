//! When a search's own walk of the corpus is slow, a one-line hint on
//! stderr suggests the watcher — at most once a day per index (the time is
//! kept as the mtime of `watch-hint` in the index folder), so it informs
//! without nagging.

use std::fs;
use std::path::Path;
use std::time::{Duration, SystemTime};

/// A walk slower than this is worth a hint (`LEDE_SLOW_WALK_MS` overrides
/// it, for tests).
const SLOW_WALK: Duration = Duration::from_millis(200);
const EVERY: Duration = Duration::from_secs(24 * 60 * 60);

/// The hint line for a walk that took `walk`, if one is due now; marks it
/// given. Nothing when the index folder cannot record it (read-only), so a
/// hint that cannot be rate-limited is never repeated on every search.
pub(crate) fn slow_walk(index: &Path, walk: Duration) -> Option<String> {
    if walk < threshold() {
        return None;
    }
    let stamp = index.join("watch-hint");
    let given = fs::metadata(&stamp).and_then(|m| m.modified()).ok();
    let recent =
        given.is_some_and(|at| SystemTime::now().duration_since(at).is_ok_and(|age| age < EVERY));
    if recent || fs::write(&stamp, b"").is_err() {
        return None;
    }
    Some(format!(
        "hint: checking the folder for changes took {:.2} s; `lede watch --background` \
         keeps the index current so searches skip this",
        walk.as_secs_f64()
    ))
}

fn threshold() -> Duration {
    std::env::var("LEDE_SLOW_WALK_MS")
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(SLOW_WALK, Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_hint_comes_once_a_day_and_only_for_slow_walks() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(slow_walk(dir.path(), Duration::from_millis(10)), None);
        let hint = slow_walk(dir.path(), Duration::from_millis(310)).expect("a hint");
        assert!(hint.contains("0.31 s") && hint.contains("lede watch --background"), "{hint}");
        assert_eq!(slow_walk(dir.path(), Duration::from_secs(5)), None);
    }
}
