//! The guard around every reader: a panic in a parser becomes that file's
//! error, and a reader that runs too long is abandoned, so one bad file can
//! neither crash nor stall an indexing run.

use std::panic::{self, AssertUnwindSafe};
use std::sync::{mpsc, Once};
use std::thread;
use std::time::Duration;

use super::json::{self, JsonKeys};
use super::{choose_format, Format, ReadDocument, ReadError};

/// Bounds on the work one file may cost.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Wall-clock time a reader gets before the file is reported as failed.
    pub time: Duration,
}

impl Default for Limits {
    fn default() -> Limits {
        Limits { time: Duration::from_secs(60) }
    }
}

/// How files are read: the bounds on each, and the JSON keys the user chose.
#[derive(Clone, Debug, Default)]
pub(crate) struct ReadOptions {
    pub limits: Limits,
    pub json_keys: JsonKeys,
}

/// What a file read as.
#[derive(Debug)]
pub(crate) struct Read {
    pub format: Format,
    pub documents: Vec<ReadDocument>,
}

/// The name reader threads carry, so the panic hook knows to stay quiet.
const READER_THREAD: &str = "lede-reader";

/// Reads the bytes of the file called `name` with the reader its name and
/// content choose, behind the guard. `Ok(None)`: not a format lede reads.
/// The error carries the format that was tried.
pub(crate) fn read_guarded(
    name: &str,
    bytes: Vec<u8>,
    options: &ReadOptions,
) -> Result<Option<Read>, (Format, ReadError)> {
    let Some((format, note)) = choose_format(name, &bytes) else { return Ok(None) };
    let Some(reader) = format.reader() else {
        let why = format!("{} files are not read by this build, skipped", format.name());
        return Err((format, ReadError::Skipped(why)));
    };
    // An empty file is no broken PDF or zip: there is just nothing to read.
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(Some(Read { format, documents: Vec::new() }));
    }
    if bytes.len() as u64 > format.max_bytes() {
        let limit = format.max_bytes() / (1024 * 1024);
        let why = format!("larger than {limit} MiB, skipped");
        return Err((format, ReadError::Skipped(why)));
    }
    let keys = options.json_keys.clone();
    let read = move |bytes: &[u8]| match format {
        Format::Json => json::read_with_keys(bytes, &keys),
        _ => reader(bytes),
    };
    let mut documents = run(read, format, bytes, options.limits).map_err(|err| (format, err))?;
    if let Some(note) = note {
        for doc in &mut documents {
            doc.notes.insert(0, note.clone());
        }
    }
    Ok(Some(Read { format, documents }))
}

/// Runs `reader` on its own thread: a panic is caught, and past the time
/// limit the thread is abandoned (it finishes on its own; its result is
/// dropped).
fn run(
    reader: impl FnOnce(&[u8]) -> Result<Vec<ReadDocument>, ReadError> + Send + 'static,
    format: Format,
    bytes: Vec<u8>,
    limits: Limits,
) -> Result<Vec<ReadDocument>, ReadError> {
    quiet_reader_panics();
    let (tx, rx) = mpsc::channel();
    let spawned = thread::Builder::new().name(READER_THREAD.to_string()).spawn(move || {
        let result = panic::catch_unwind(AssertUnwindSafe(|| reader(&bytes)));
        // The receiver is gone when the reader ran out of time.
        let _ = tx.send(result);
    });
    if let Err(err) = spawned {
        return Err(ReadError::Failed(format!("cannot start a reader thread: {err}")));
    }
    match rx.recv_timeout(limits.time) {
        Ok(Ok(result)) => result,
        Ok(Err(panic)) => {
            let what = panic_message(panic.as_ref());
            Err(ReadError::Failed(format!(
                "the {} reader failed on this file ({what})",
                format.name()
            )))
        }
        Err(_) => {
            let secs = limits.time.as_secs_f64();
            Err(ReadError::Failed(format!("the {} reader gave up after {secs} s", format.name())))
        }
    }
}

fn panic_message(panic: &(dyn std::any::Any + Send)) -> String {
    panic_text(panic).unwrap_or_else(|| "panic".to_string())
}

/// The text a panic was raised with, when it was raised with text.
pub(crate) fn panic_text(panic: &(dyn std::any::Any + Send)) -> Option<String> {
    panic
        .downcast_ref::<&str>()
        .map(|text| text.to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
}

/// Keeps the default panic message off the terminal for reader threads:
/// their panics are reported as the file's error instead.
fn quiet_reader_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if thread::current().name() != Some(READER_THREAD) {
                previous(info);
            }
        }));
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_text_file_reads_and_an_unknown_name_is_left_alone() {
        let read = read_guarded("a.md", b"# Title\n\nBody.".to_vec(), &ReadOptions::default());
        let read = read.unwrap().unwrap();
        assert_eq!((read.format, read.documents[0].title.as_str()), (Format::Text, "Title"));
        assert!(read_guarded("a.png", b"x".to_vec(), &ReadOptions::default()).unwrap().is_none());
    }

    #[test]
    fn an_empty_file_holds_no_document_whatever_its_format() {
        for name in ["empty.pdf", "empty.docx", "empty.warc.gz", "empty.txt"] {
            let read = read_guarded(name, b" \n".to_vec(), &ReadOptions::default());
            assert!(read.unwrap().unwrap().documents.is_empty(), "{name}");
        }
    }

    #[test]
    fn a_misnamed_file_is_read_as_what_it_is_with_a_note() {
        let page = b"<!DOCTYPE html><html><head><title>Memo</title></head><body><p>Body text of the memo.</p></body></html>";
        let read =
            read_guarded("memo.txt", page.to_vec(), &ReadOptions::default()).unwrap().unwrap();
        assert_eq!(read.format, Format::Text, "markup in a .txt stays text");
        let err = read_guarded("scan.txt", b"%PDF-1.4 x".to_vec(), &ReadOptions::default());
        assert_eq!(err.unwrap_err().0, Format::Pdf);
    }

    fn panicking(_: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
        panic!("index out of bounds")
    }

    fn hanging(_: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
        thread::sleep(Duration::from_secs(5));
        Ok(Vec::new())
    }

    #[test]
    fn a_panic_or_a_hang_becomes_the_files_error() {
        let limits = Limits { time: Duration::from_millis(100) };
        let err = run(panicking, Format::Pdf, Vec::new(), limits).unwrap_err();
        assert_eq!(
            err,
            ReadError::Failed("the PDF reader failed on this file (index out of bounds)".into())
        );
        let started = std::time::Instant::now();
        let err = run(hanging, Format::Html, Vec::new(), limits).unwrap_err();
        assert!(err.to_string().contains("gave up after 0.1 s"), "{err}");
        assert!(started.elapsed() < Duration::from_secs(2));
    }
}
