//! Gives the allocator's free pages back to the system while an index is
//! written.
//!
//! Segment flushes and merges free tens of megabytes at once, in blocks
//! below glibc's memory-map threshold; glibc keeps those pages for later
//! allocations, in the heap of whichever thread freed them, and only trims
//! a heap from its top. The next segment or merge then grows some other
//! heap, so peak memory counted what earlier stages had already freed:
//! Reuters x20 peaked at 224 MB, of it 77 MB resident before the final
//! merge began; with a trim before each merge and once a second while
//! reading, 170 MB (the merge) and 160 MB while reading. It is done here,
//! not in the binary's allocator settings, because only the writer knows
//! when a stage has ended. A no-op outside Linux with glibc.

use std::time::{Duration, Instant};

/// Returns every free page of the allocator's heaps to the system.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub(super) fn give_back() {
    // SAFETY: malloc_trim only releases memory no allocation owns.
    unsafe {
        libc::malloc_trim(0);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub(super) fn give_back() {}

/// Calls [`give_back`] at most once per [`Paced::EVERY`], for a loop that
/// frees as it goes (reading files into segments). A trim took about a
/// millisecond while indexing Reuters x5 (6 ms at most).
pub(super) struct Paced {
    last: Instant,
}

impl Paced {
    const EVERY: Duration = Duration::from_secs(1);

    pub(super) fn new() -> Paced {
        Paced { last: Instant::now() }
    }

    pub(super) fn tick(&mut self) {
        if self.last.elapsed() >= Paced::EVERY {
            give_back();
            self.last = Instant::now();
        }
    }
}
