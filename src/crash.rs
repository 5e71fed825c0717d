//! What the user reads when a command stops on a panic or on an index that
//! cannot be read: one line that names the cause and the command that fixes
//! a damaged index, instead of a backtrace or a bare "Data corrupted".
//!
//! The index's own libraries panic on some damaged files (a garbled `.idx`
//! stops a search in a bit unpacker), and report others as I/O errors that
//! name no file; rebuilding the index is the cure for both.

use std::io::Write;
use std::panic::{self, PanicHookInfo};
use std::sync::Mutex;

use crate::read::guard::panic_text;

/// The first panic of the process, as "message (file:line)".
static FIRST: Mutex<Option<String>> = Mutex::new(None);

/// What to run when the index may be damaged.
const REBUILD: &str = "if the index is damaged, `lede index --rebuild` builds it again";

/// Panics print nothing themselves; [`panic_line`] reports the first one
/// once the command has stopped. With `RUST_BACKTRACE` set the default
/// output stays too, for whoever debugs lede.
pub fn keep_panics_quiet() {
    let debugging = std::env::var_os("RUST_BACKTRACE").is_some();
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        if debugging {
            previous(info);
        }
        let Ok(mut first) = FIRST.lock() else { return };
        if first.is_some() {
            return;
        }
        let cause = first.insert(describe(info));
        // tantivy's segment updater runs on a pool without a panic handler,
        // which aborts the process: say why before it does.
        if std::thread::current().name() == Some(ABORTING_THREAD) {
            let line = format!("stopped by an internal error: {cause}; {REBUILD}");
            let _ = writeln!(std::io::stderr(), "lede: {line}");
        }
    }));
}

/// The thread whose panic aborts the process (see above).
const ABORTING_THREAD: &str = "segment_updater";

fn describe(info: &PanicHookInfo<'_>) -> String {
    let message = panic_text(info.payload()).unwrap_or_else(|| "a panic".to_string());
    match info.location() {
        Some(at) => format!("{message} ({}:{})", short_path(at.file()), at.line()),
        None => message,
    }
}

/// A source path from its crate's folder on (`tantivy-0.27.0/src/…`), not
/// the registry path of this machine.
fn short_path(file: &str) -> &str {
    let parts: Vec<usize> = file.match_indices('/').map(|(at, _)| at).collect();
    match file.rfind("/src/") {
        Some(src) => {
            let start = parts.iter().rev().find(|&&at| at < src).map_or(0, |at| at + 1);
            &file[start..]
        }
        None => file,
    }
}

/// The line for a command stopped by a panic.
pub fn panic_line() -> String {
    let first = FIRST.lock().ok().and_then(|first| first.clone());
    let cause = first.unwrap_or_else(|| "a panic".to_string());
    format!("stopped by an internal error: {cause}; {REBUILD}")
}

/// The hint to add to an error that says the index could not be read.
pub fn damage_hint(err: &anyhow::Error) -> Option<&'static str> {
    let unreadable = err.chain().any(|cause| match cause.downcast_ref::<tantivy::TantivyError>() {
        Some(tantivy::TantivyError::DataCorruption(_)) => true,
        Some(tantivy::TantivyError::IoError(io)) => matches!(
            io.kind(),
            std::io::ErrorKind::InvalidData
                | std::io::ErrorKind::UnexpectedEof
                | std::io::ErrorKind::Other
        ),
        _ => false,
    });
    unreadable.then_some(REBUILD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_registry_path_is_cut_to_its_crate() {
        let file = "/root/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/bitpacking-0.9.2/src/bitpacker4x.rs";
        assert_eq!(short_path(file), "bitpacking-0.9.2/src/bitpacker4x.rs");
        assert_eq!(short_path("src/main.rs"), "src/main.rs");
    }

    #[test]
    fn corruption_gets_the_rebuild_hint_and_other_errors_do_not() {
        let corrupt = tantivy::TantivyError::DataCorruption(
            tantivy::error::DataCorruption::comment_only("bad"),
        );
        let err = anyhow::Error::new(corrupt).context("searching");
        assert_eq!(damage_hint(&err), Some(REBUILD));
        let denied = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        let err = anyhow::Error::new(tantivy::TantivyError::from(denied));
        assert_eq!(damage_hint(&err), None);
    }
}
