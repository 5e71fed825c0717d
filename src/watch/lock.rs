//! The watcher's presence lock: an exclusive `flock` on a file in the index
//! folder, held for the watcher's lifetime. The kernel drops it when the
//! process dies, however it dies (`kill -9` included), so a lock that can
//! be taken proves no watcher runs, whatever files were left behind.

use std::fs::{File, OpenOptions};
use std::io::{self, Read, Seek, Write};
use std::os::fd::AsRawFd;
use std::path::Path;
use std::time::Duration;

/// A `lede stats` or `--status` probe holds the lock shared for an instant;
/// a starting watcher tries this often before concluding another one runs.
const CLAIM_TRIES: usize = 20;
const CLAIM_RETRY: Duration = Duration::from_millis(50);

/// The held lock; dropping it (or dying) releases it.
#[derive(Debug)]
pub(crate) struct Held {
    _file: File,
}

/// Takes the lock and records this process's id in the file; `None` when
/// another process holds it.
pub(crate) fn claim(path: &Path) -> io::Result<Option<Held>> {
    let mut file =
        OpenOptions::new().read(true).write(true).create(true).truncate(false).open(path)?;
    for attempt in 0..CLAIM_TRIES {
        if try_flock(&file, libc::LOCK_EX)? {
            file.set_len(0)?;
            file.rewind()?;
            write!(file, "{}", std::process::id())?;
            file.flush()?;
            return Ok(Some(Held { _file: file }));
        }
        if attempt + 1 < CLAIM_TRIES {
            std::thread::sleep(CLAIM_RETRY);
        }
    }
    Ok(None)
}

/// The id of the process holding the lock (0 if it wrote none yet), or
/// `None` when nobody holds it (or there is no lock file).
pub(crate) fn holder(path: &Path) -> Option<u32> {
    let mut file = File::open(path).ok()?;
    match try_flock(&file, libc::LOCK_SH) {
        // Free: nobody watches. The shared lock goes with `file`.
        Ok(true) | Err(_) => None,
        Ok(false) => {
            let mut text = String::new();
            let _ = file.read_to_string(&mut text);
            Some(text.trim().parse().unwrap_or(0))
        }
    }
}

/// `flock(kind | LOCK_NB)`: true when taken, false when someone else holds it.
fn try_flock(file: &File, kind: libc::c_int) -> io::Result<bool> {
    // SAFETY: flock on a descriptor this `File` owns; no memory is involved.
    let result = unsafe { libc::flock(file.as_raw_fd(), kind | libc::LOCK_NB) };
    if result == 0 {
        return Ok(true);
    }
    let err = io::Error::last_os_error();
    if err.raw_os_error() == Some(libc::EWOULDBLOCK) {
        Ok(false)
    } else {
        Err(err)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_held_lock_names_its_holder_and_is_free_once_dropped() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("watch.lock");
        assert_eq!(holder(&path), None);
        let held = claim(&path).unwrap().expect("free lock");
        assert_eq!(holder(&path), Some(std::process::id()));
        drop(held);
        assert_eq!(holder(&path), None);
        assert!(claim(&path).unwrap().is_some());
    }
}
