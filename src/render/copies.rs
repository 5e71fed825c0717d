//! `lede search --copies PATH`: one line per document holding a copy.

use std::io::{self, Write};

use serde::Serialize;

use crate::config::PathDisplay;
use crate::search::copies::DocumentCopies;

/// `--copies --json`: one line per document.
#[derive(Serialize)]
struct JsonCopy {
    path: String,
    /// The estimated share of three-word shingles in common, when the
    /// document is a near copy (at least 0.9).
    #[serde(skip_serializing_if = "Option::is_none")]
    similarity: Option<f32>,
    /// Paragraphs of the document asked about that this one holds too.
    shared_paragraphs: usize,
    /// The paragraphs of the document asked about.
    paragraphs: usize,
}

/// Writes `found`, most similar first:
/// `b.txt  near copy (97% of its wording), 12 of 14 paragraphs`.
pub(crate) fn write<W: Write>(
    out: &mut W,
    found: &DocumentCopies,
    paths: &PathDisplay,
    json: bool,
) -> io::Result<()> {
    for copy in &found.copies {
        let path = paths.show(&copy.path);
        if json {
            let line = JsonCopy {
                path,
                similarity: copy.similarity,
                shared_paragraphs: copy.shared,
                paragraphs: found.paragraphs,
            };
            serde_json::to_writer(&mut *out, &line)?;
            out.write_all(b"\n")?;
            continue;
        }
        // A document of short paragraphs only has none to count as shared.
        let shared = (found.paragraphs > 0)
            .then(|| format!("{} of {} paragraphs", copy.shared, found.paragraphs));
        match (copy.similarity, shared) {
            (Some(similarity), shared) => {
                let percent = (similarity * 100.0).floor();
                let shared = shared.map(|s| format!(", {s}")).unwrap_or_default();
                writeln!(out, "{path}  near copy ({percent}% of its wording){shared}")?
            }
            (None, Some(shared)) => writeln!(out, "{path}  {shared}")?,
            (None, None) => {}
        }
    }
    Ok(())
}
