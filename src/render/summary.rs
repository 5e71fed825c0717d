//! Output that summarises a search instead of listing passages: `--count`
//! (how many paragraphs and files match) and `--files` (the matching files'
//! paths, best first, for `xargs`).

use std::collections::HashSet;
use std::io::{self, Write};

use serde::Serialize;

use super::json::BatchTag;
use crate::config::PathDisplay;
use crate::search::counts::{By, Timeline};
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

/// `1234567` as `1,234,567`, for counts people read.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, digit) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    out
}

fn plural(n: usize, word: &str) -> String {
    format!("{} {word}{}", thousands(n), if n == 1 { "" } else { "s" })
}

/// What a timeline could not place, for stderr: `left out 12 mentions of a
/// year or longer and 3 without a year`.
pub fn left_out(timeline: &Timeline, by: By) -> String {
    let longer = match by {
        By::Year => "of a decade or longer",
        By::Month => "of a year or longer",
        By::Day => "longer than a day",
    };
    let mut parts = Vec::new();
    if timeline.coarser > 0 {
        parts.push(format!("{} {longer}", plural(timeline.coarser, "mention")));
    }
    if timeline.yearless > 0 {
        let noun = if parts.is_empty() {
            plural(timeline.yearless, "mention")
        } else {
            thousands(timeline.yearless)
        };
        parts.push(format!("{noun} without a year"));
    }
    format!("left out {}", parts.join(" and "))
}

/// "10 of 3,733 passages, best first": how many matched beside how many
/// are shown.
pub fn shown_of(shown: usize, total: usize, order: &str) -> String {
    format!("{} of {}, {order}", thousands(shown), plural(total, "passage"))
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
    fn numbers_are_grouped_by_thousands() {
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(3_733), "3,733");
        assert_eq!(thousands(1_234_567), "1,234,567");
        assert_eq!(shown_of(10, 3_733, "best first"), "10 of 3,733 passages, best first");
        let timeline = Timeline { periods: vec![], coarser: 2, yearless: 1 };
        assert_eq!(
            left_out(&timeline, By::Month),
            "left out 2 mentions of a year or longer and 1 without a year"
        );
        let yearless = Timeline { periods: vec![], coarser: 0, yearless: 1 };
        assert_eq!(left_out(&yearless, By::Day), "left out 1 mention without a year");
    }

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
