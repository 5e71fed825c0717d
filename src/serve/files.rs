//! The original files behind the documents, served only when the index
//! holds them and they resolve inside the corpus folder: `..`, absolute
//! paths, symbolic links that lead out of the corpus, and encoded forms of
//! them all get a 404. Files are sent as plain text or as a download, never
//! as HTML the browser would run.

use std::path::Path;

use super::reply::{Problem, Reply, TEXT};
use super::searches;
use super::state::Shared;

/// Largest original file sent.
const MAX_FILE: u64 = 64 * 1024 * 1024;

/// The file of document `doc` (an indexed path; a `#record` suffix names
/// its file).
pub(super) fn original(shared: &Shared, doc: &str) -> Result<Reply, Problem> {
    searches::document(shared, doc)?;
    let file = match doc.rsplit_once('#') {
        Some((file, part)) if part.chars().all(|c| c.is_ascii_digit()) => file,
        _ => doc,
    };
    let not_found = || Problem::NotFound(format!("{doc:?} is not a file of the corpus"));
    if Path::new(file).is_absolute() || file.split('/').any(|part| part == "..") {
        return Err(not_found());
    }
    let resolved = shared.corpus.join(file).canonicalize().map_err(|_| not_found())?;
    if !resolved.starts_with(&shared.corpus) || !resolved.is_file() {
        return Err(not_found());
    }
    let size = resolved.metadata().map_err(|_| not_found())?.len();
    if size > MAX_FILE {
        return Err(Problem::Bad(format!("{doc:?} is {size} bytes; the most sent is {MAX_FILE}")));
    }
    let bytes = std::fs::read(&resolved).map_err(|_| not_found())?;
    let name = resolved.file_name().map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    let plain = matches!(
        resolved.extension().and_then(|e| e.to_str()),
        Some("txt" | "text" | "md" | "markdown")
    );
    if plain && std::str::from_utf8(&bytes).is_ok() {
        return Ok(Reply::ok(TEXT, bytes));
    }
    let safe_name: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || ".-_".contains(c) { c } else { '_' })
        .collect();
    Ok(Reply::download("application/octet-stream", bytes, &safe_name))
}
