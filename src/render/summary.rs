//! Output that summarises a search instead of listing passages: `--count`
//! (how many paragraphs and files match) and `--files` (the matching files'
//! paths, best first, for `xargs`).

use std::collections::HashSet;
use std::io::{self, Write};

use serde::Serialize;

use super::json::BatchTag;
use crate::config::PathDisplay;
use crate::search::Hit;

/// `--count --json` output.
#[derive(Serialize)]
struct JsonCount<'a> {
    paragraphs: usize,
    files: usize,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    batch: Option<BatchTag<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corrected_query: Option<&'a str>,
}

/// Writes the number of matching paragraphs and files (of the correction
/// searched instead of the query, when `corrected_query` is given).
pub fn write_count<W: Write>(
    out: &mut W,
    paragraphs: usize,
    files: usize,
    json: bool,
    batch: Option<BatchTag>,
    corrected_query: Option<&str>,
) -> io::Result<()> {
    if json {
        let count = JsonCount { paragraphs, files, batch, corrected_query };
        serde_json::to_writer(&mut *out, &count)?;
        return out.write_all(b"\n");
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    writeln!(out, "{} in {}", plural(paragraphs, "paragraph"), plural(files, "file"))
}

/// Writes each distinct file of `hits` once, in hit order, ended by a
/// newline or (with `null`) a NUL byte.
pub fn write_files<W: Write>(
    out: &mut W,
    hits: &[Hit],
    paths: &PathDisplay,
    null: bool,
) -> io::Result<()> {
    let mut seen = HashSet::new();
    for hit in hits {
        if seen.insert(hit.doc.as_str()) {
            out.write_all(paths.show(&hit.doc).as_bytes())?;
            out.write_all(if null { b"\0" } else { b"\n" })?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn count_in_words_and_json() {
        let mut out = Vec::new();
        write_count(&mut out, 1, 1, false, None, None).unwrap();
        write_count(&mut out, 12, 3, false, None, None).unwrap();
        write_count(&mut out, 12, 3, true, Some(BatchTag { query: "x", query_line: 4 }), None)
            .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1 paragraph in 1 file\n12 paragraphs in 3 files\n\
             {\"paragraphs\":12,\"files\":3,\"query\":\"x\",\"query_line\":4}\n"
        );
    }
}
