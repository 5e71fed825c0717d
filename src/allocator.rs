//! glibc allocator tunables for the two kinds of process lede runs: an
//! indexing run that should give large buffers back as soon as it is done
//! with them, and a one-shot search that should reuse every page it was
//! given. Both are no-ops outside Linux with glibc.

/// Has glibc give every block from 128 KiB up its own memory map, returned
/// to the system when freed. By default glibc raises that threshold each
/// time such a block is freed (up to 32 MB), and the writer's buffers
/// (tantivy's 1 MB arena pages, a merge's stored documents and term
/// dictionaries) then stay in its heaps after use: peak RSS indexing Reuters
/// x20 was 175 MB without this, 153 MB with it.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn return_large_blocks_to_the_system() {
    const THRESHOLD: libc::c_int = 128 * 1024;
    // SAFETY: mallopt only sets an allocator tunable, and takes any value.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn return_large_blocks_to_the_system() {}

/// Has glibc keep freed memory in its heap for the next allocation, for a
/// process that lives a few milliseconds. A search decompresses 128 KiB
/// store blocks one after another; by default the first is a fresh memory
/// map and later ones fresh heap pages (the heap is trimmed whenever 128 KiB
/// at its top are free), and every fresh page is a fault the kernel must
/// zero: about 180 of a search's 1,100 page faults on Reuters x5.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
pub fn reuse_freed_memory() {
    const MMAP_THRESHOLD: libc::c_int = 32 * 1024 * 1024;
    const TRIM_THRESHOLD: libc::c_int = 256 * 1024 * 1024;
    // SAFETY: mallopt only sets allocator tunables, and takes any value.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD);
        libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
pub fn reuse_freed_memory() {}
