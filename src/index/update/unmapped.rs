//! The directory the index writer works through: tantivy's memory-mapped
//! directory, except that files are read with positioned reads into buffers
//! instead of being mapped.
//!
//! A segment merge reads every byte of the segments it merges. Through a
//! memory map those pages stay resident in this process until the merge
//! ends, so peak memory grew with the largest merge: about 200 MB of mapped
//! segments on Reuters x20, and eight times that at the next merge level.
//! Read into buffers, a merge holds only what it is working on (one term's
//! postings, one segment's stored documents). Searches keep the memory map,
//! where a hit touches a few pages of a large file.

use std::fmt;
use std::fs::File;
use std::io;
use std::ops::Range;
use std::os::unix::fs::FileExt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tantivy::directory::error::{
    DeleteError, LockError, OpenDirectoryError, OpenReadError, OpenWriteError,
};
use tantivy::directory::{
    Directory, DirectoryLock, FileHandle, Lock, MmapDirectory, OwnedBytes, WatchCallback,
    WatchHandle, WritePtr,
};
use tantivy::HasLen;

/// [`MmapDirectory`] with reads through buffers.
#[derive(Clone, Debug)]
pub(super) struct UnmappedDirectory {
    mapped: MmapDirectory,
    root: PathBuf,
}

impl UnmappedDirectory {
    pub(super) fn open(root: &Path) -> Result<UnmappedDirectory, OpenDirectoryError> {
        Ok(UnmappedDirectory { mapped: MmapDirectory::open(root)?, root: root.to_path_buf() })
    }
}

impl Directory for UnmappedDirectory {
    fn get_file_handle(&self, path: &Path) -> Result<Arc<dyn FileHandle>, OpenReadError> {
        let open_error = |err: io::Error| match err.kind() {
            io::ErrorKind::NotFound => OpenReadError::FileDoesNotExist(path.to_path_buf()),
            _ => OpenReadError::wrap_io_error(err, path.to_path_buf()),
        };
        let file = File::open(self.root.join(path)).map_err(open_error)?;
        let len = file.metadata().map_err(open_error)?.len();
        let len = usize::try_from(len).map_err(|_| {
            open_error(io::Error::new(io::ErrorKind::InvalidData, "file too large to read"))
        })?;
        Ok(Arc::new(ReadFile { file, len }))
    }

    fn delete(&self, path: &Path) -> Result<(), DeleteError> {
        self.mapped.delete(path)
    }

    fn exists(&self, path: &Path) -> Result<bool, OpenReadError> {
        self.mapped.exists(path)
    }

    fn open_write(&self, path: &Path) -> Result<WritePtr, OpenWriteError> {
        self.mapped.open_write(path)
    }

    fn atomic_read(&self, path: &Path) -> Result<Vec<u8>, OpenReadError> {
        self.mapped.atomic_read(path)
    }

    fn atomic_write(&self, path: &Path, data: &[u8]) -> io::Result<()> {
        self.mapped.atomic_write(path, data)
    }

    fn sync_directory(&self) -> io::Result<()> {
        self.mapped.sync_directory()
    }

    /// The same lock files as every other lede process takes.
    fn acquire_lock(&self, lock: &Lock) -> Result<DirectoryLock, LockError> {
        self.mapped.acquire_lock(lock)
    }

    fn watch(&self, watch_callback: WatchCallback) -> tantivy::Result<WatchHandle> {
        self.mapped.watch(watch_callback)
    }
}

/// An open file read one range at a time.
struct ReadFile {
    file: File,
    len: usize,
}

impl fmt::Debug for ReadFile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ReadFile({} bytes)", self.len)
    }
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> io::Result<OwnedBytes> {
        if range.start > range.end || range.end > self.len {
            let message = format!("range {range:?} outside a file of {} bytes", self.len);
            return Err(io::Error::new(io::ErrorKind::InvalidInput, message));
        }
        let mut buffer = vec![0; range.len()];
        self.file.read_exact_at(&mut buffer, range.start as u64)?;
        Ok(OwnedBytes::new(buffer))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_ranges_and_refuses_ranges_past_the_end() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("f"), b"0123456789").unwrap();
        std::fs::write(dir.path().join("empty"), b"").unwrap();
        let directory = UnmappedDirectory::open(dir.path()).unwrap();
        let file = directory.open_read(Path::new("f")).unwrap();
        assert_eq!(file.len(), 10);
        assert_eq!(file.read_bytes_slice(2..5).unwrap().as_slice(), b"234");
        assert_eq!(file.slice(8..10).read_bytes().unwrap().as_slice(), b"89");
        let handle = directory.get_file_handle(Path::new("f")).unwrap();
        assert!(handle.read_bytes(8..11).is_err());
        let empty = directory.open_read(Path::new("empty")).unwrap();
        assert_eq!(empty.read_bytes().unwrap().as_slice(), b"");
        assert!(matches!(
            directory.open_read(Path::new("missing")),
            Err(OpenReadError::FileDoesNotExist(_))
        ));
    }
}
