//! `--rebuild`, and the repair of an index that cannot be read: the whole
//! index is built again from the corpus in a fresh sibling folder and
//! swapped in when it is complete, so the old index (damaged or not) is
//! never read, and a run killed half-way leaves the old index in place.
//!
//! The fresh folder is named `.{index}.rebuild-{pid}-…` beside the index; a
//! later run removes those whose process is gone ([`remove_leftovers`]).

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tantivy::directory::{Directory, DirectoryLock, Lock, MmapDirectory};

use super::update::{self, Event, UpdateOptions, UpdateReport};
use super::LedeIndex;
use crate::error::Error;
use crate::extract::entities::alias_file;

/// Builds the index of `corpus` afresh and puts it at `dir`, replacing what
/// was there. Holds the old index's writer lock throughout (when it can be
/// taken), so no other lede writes to it meanwhile.
pub(crate) fn rebuild(
    dir: &Path,
    corpus: &Path,
    options: &UpdateOptions,
    events: &mut dyn FnMut(&Event),
) -> Result<UpdateReport> {
    if dir.exists() {
        super::ensure_replaceable(dir)?;
    }
    let _lock = lock_existing(dir, options.wait)?;
    remove_leftovers(dir);
    let (parent, name) = parent_and_name(dir)?;
    let staging = tempfile::Builder::new()
        .prefix(&format!("{}{}-", leftover_prefix(&name), std::process::id()))
        .tempdir_in(&parent)
        .map_err(|err| super::cannot_create("a folder in", &parent, &err))?;
    let fresh = LedeIndex::create(staging.path(), corpus)?;
    // The user's alias file, when it lives in the index folder, goes with
    // the index (and applies to the new one).
    let aliases = dir.join(alias_file::FILE_NAME);
    if aliases.is_file() {
        let copy = staging.path().join(alias_file::FILE_NAME);
        fs::copy(&aliases, &copy)
            .with_context(|| format!("cannot copy {} to {}", aliases.display(), copy.display()))?;
    }
    let fresh_options = UpdateOptions { rebuild: false, ..options.clone() };
    let report = update::update(&fresh, &fresh_options, events)?;
    drop(fresh);
    swap_in(staging.keep(), dir)?;
    Ok(report)
}

/// Moves the complete index at `fresh` to `dir`: the old folder is first
/// renamed aside (to a leftover name), then removed.
fn swap_in(fresh: PathBuf, dir: &Path) -> Result<()> {
    if dir.exists() {
        let (parent, name) = parent_and_name(dir)?;
        let aside = parent.join(format!("{}{}-old", leftover_prefix(&name), std::process::id()));
        fs::rename(dir, &aside)
            .with_context(|| format!("cannot move the old index {} aside", dir.display()))?;
        fs::rename(&fresh, dir)
            .with_context(|| format!("cannot move the new index to {}", dir.display()))?;
        fs::remove_dir_all(&aside)
            .with_context(|| format!("cannot remove the old index {}", aside.display()))?;
    } else {
        fs::rename(&fresh, dir)
            .with_context(|| format!("cannot move the new index to {}", dir.display()))?;
    }
    Ok(())
}

/// The writer lock of the index at `dir`, if the folder exists and can hold
/// one: a damaged index still has its lock file.
fn lock_existing(dir: &Path, wait: bool) -> Result<Option<DirectoryLock>> {
    if !dir.is_dir() {
        return Ok(None);
    }
    let Ok(directory) = MmapDirectory::open(dir) else { return Ok(None) };
    let lock = Lock { filepath: PathBuf::from(".tantivy-writer.lock"), is_blocking: wait };
    match directory.acquire_lock(&lock) {
        Ok(held) => Ok(Some(held)),
        Err(tantivy::directory::error::LockError::LockBusy) => {
            Err(Error::IndexBusy(dir.to_path_buf()).into())
        }
        Err(_) => Ok(None),
    }
}

/// Removes the folders that rebuilds of `dir` killed before they finished
/// left beside it (their process no longer runs). Best effort: a folder
/// that cannot be removed is left for the next run.
pub(crate) fn remove_leftovers(dir: &Path) {
    let Ok((parent, name)) = parent_and_name(dir) else { return };
    let prefix = leftover_prefix(&name);
    let Ok(entries) = fs::read_dir(&parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix(&prefix)) else {
            continue;
        };
        let pid = rest.split('-').next().and_then(|p| p.parse::<u32>().ok());
        if pid.is_some_and(|pid| !process_is_alive(pid)) {
            let _ = fs::remove_dir_all(entry.path());
        }
    }
}

/// `.{name}.rebuild-` (`.lede.rebuild-` for `.lede`): the start of a
/// rebuild's folder names for index `name`.
fn leftover_prefix(name: &str) -> String {
    format!(".{}.rebuild-", name.trim_start_matches('.'))
}

fn parent_and_name(dir: &Path) -> Result<(PathBuf, String)> {
    let absolute = std::path::absolute(dir)
        .with_context(|| format!("cannot resolve the index folder {}", dir.display()))?;
    let name = absolute.file_name().map(|n| n.to_string_lossy().into_owned());
    match (absolute.parent(), name) {
        (Some(parent), Some(name)) => Ok((parent.to_path_buf(), name)),
        _ => anyhow::bail!("{} cannot hold an index: choose another --index folder", dir.display()),
    }
}

/// Whether a process with this id runs (on this machine). Where that cannot
/// be known, assumes it does, so nothing in use is removed.
fn process_is_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    #[cfg(unix)]
    {
        let Ok(pid) = libc::pid_t::try_from(pid) else { return true };
        // SAFETY: kill with signal 0 only checks that the process exists.
        let result = unsafe { libc::kill(pid, 0) };
        result == 0 || std::io::Error::last_os_error().raw_os_error() != Some(libc::ESRCH)
    }
    #[cfg(not(unix))]
    {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn leftovers_of_dead_processes_go_and_live_ones_stay() {
        let parent = tempfile::tempdir().unwrap();
        let dir = parent.path().join(".lede");
        // A pid far above any pid_max, so no process has it.
        let dead = parent.path().join(".lede.rebuild-2147483600-abc");
        let alive = parent.path().join(format!(".lede.rebuild-{}-def", std::process::id()));
        let other = parent.path().join("notes");
        for folder in [&dead, &alive, &other] {
            fs::create_dir_all(folder).unwrap();
        }
        remove_leftovers(&dir);
        assert!(!dead.exists());
        assert!(alive.exists());
        assert!(other.exists());
    }
}
