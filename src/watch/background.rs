//! `lede watch --background`: the same binary started again as a detached
//! watcher (its own session, so closing the terminal or Ctrl-C there does
//! not reach it), with its output appended to `watch.log` in the index
//! folder. The caller returns once the watcher answers on its socket.

use std::fs::OpenOptions;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{bail, Context, Result};

use crate::config::Paths;

/// How long a start may take before the caller gives up waiting for it.
const START_WAIT: Duration = Duration::from_secs(60);
const POLL: Duration = Duration::from_millis(50);

/// Starts `lede watch` detached on `paths` with `watch_args` (the options
/// to pass on); returns its process id once it is watching.
pub(crate) fn start(paths: &Paths, watch_args: &[String]) -> Result<u32> {
    let log_path = super::log_path(&paths.index);
    let log = OpenOptions::new()
        .create(true)
        .append(true)
        .open(&log_path)
        .with_context(|| format!("cannot open the log file {}", log_path.display()))?;
    let exe = std::env::current_exe().context("cannot find the lede binary to start")?;
    let mut command = Command::new(exe);
    command
        .arg("--corpus")
        .arg(&paths.corpus)
        .arg("--index")
        .arg(&paths.index)
        .arg("watch")
        .args(watch_args)
        .stdin(Stdio::null())
        .stdout(log.try_clone().context("cannot share the log file")?)
        .stderr(log);
    // SAFETY: setsid is async-signal-safe and touches no memory of ours.
    unsafe {
        command.pre_exec(|| {
            if libc::setsid() < 0 {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
    let mut child = command.spawn().context("cannot start the watcher")?;
    let deadline = Instant::now() + START_WAIT;
    loop {
        // Ready once it answers: its lock is taken, it listens, and the
        // changes made while nothing watched are applied.
        if super::status(&paths.index).is_some_and(|status| status.pid == child.id()) {
            return Ok(child.id());
        }
        if let Some(status) = child.try_wait()? {
            bail!("the watcher exited at once ({status}); see {}", log_path.display());
        }
        if Instant::now() >= deadline {
            bail!(
                "the watcher did not answer within {} s; see {}",
                START_WAIT.as_secs(),
                log_path.display()
            );
        }
        std::thread::sleep(POLL);
    }
}

/// Waits until no process holds the index's watcher lock.
pub(crate) fn wait_until_stopped(index: &Path, wait: Duration) -> bool {
    let deadline = Instant::now() + wait;
    while super::watcher_pid(index).is_some() {
        if Instant::now() >= deadline {
            return false;
        }
        std::thread::sleep(POLL);
    }
    true
}

/// Sends SIGTERM to a watcher that does not answer on its socket.
pub(crate) fn terminate(pid: u32) -> bool {
    let Ok(pid) = libc::pid_t::try_from(pid) else { return false };
    if pid <= 0 {
        return false;
    }
    // SAFETY: kill only sends a signal; the pid comes from the watcher's lock.
    unsafe { libc::kill(pid, libc::SIGTERM) == 0 }
}

/// After `lede index --rebuild` swapped the index folder, a background
/// watcher's output still goes to the old folder's deleted `watch.log`:
/// points standard output and error at the new folder's log. Does nothing
/// when they are not a deleted file (a watcher run in a terminal).
pub(crate) fn follow_log(index: &std::path::Path) {
    // SAFETY: fstat on descriptor 2 into a zeroed stat buffer.
    let mut st: libc::stat = unsafe { std::mem::zeroed() };
    if unsafe { libc::fstat(2, &mut st) } != 0 || st.st_mode & libc::S_IFMT != libc::S_IFREG {
        return;
    }
    if st.st_nlink != 0 {
        return;
    }
    let Ok(log) = OpenOptions::new().create(true).append(true).open(super::log_path(index)) else {
        return;
    };
    use std::os::fd::AsRawFd;
    // SAFETY: dup2 of a descriptor we own onto stdout and stderr.
    unsafe {
        libc::dup2(log.as_raw_fd(), 1);
        libc::dup2(log.as_raw_fd(), 2);
    }
}
