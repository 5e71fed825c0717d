//! Output that summarises a search instead of listing passages: `--count`
//! (how many paragraphs and files match) and `--files` (the matching files'
//! paths, best first, for `xargs`), and the one-line notes on stderr around
//! a search: how many hits of how many, corrections, what a timeline left out.

use std::collections::HashSet;
use std::io::{self, Write};

use serde::Serialize;

use super::json::BatchTag;
use super::printer::{Begin, End, Printer};
use crate::config::PathDisplay;
use crate::search::counts::{By, Timeline};
use crate::search::explain::HitExplanation;
use crate::search::{Hit, SearchResult, Sort};

/// `--count --json` output.
#[derive(Serialize)]
struct JsonCount<'a> {
    paragraphs: usize,
    /// Paragraphs counted once per fingerprint: copies fold into one.
    #[serde(skip_serializing_if = "Option::is_none")]
    distinct: Option<usize>,
    files: usize,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    batch: Option<BatchTag<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corrected_query: Option<&'a str>,
}

/// How many paragraphs match, how many of them differ (when known: a
/// remote engine does not say) and in how many files.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counted {
    pub paragraphs: usize,
    pub distinct: Option<usize>,
    pub files: usize,
}

/// Writes the number of matching paragraphs and files (of the correction
/// searched instead of the query, when `corrected_query` is given); copies
/// are named when there are any: `12 paragraphs (10 distinct) in 3 files`.
pub(crate) fn write_count<W: Write>(
    out: &mut W,
    counted: Counted,
    json: bool,
    batch: Option<BatchTag>,
    corrected_query: Option<&str>,
) -> io::Result<()> {
    let Counted { paragraphs, distinct, files } = counted;
    if json {
        let count = JsonCount { paragraphs, distinct, files, batch, corrected_query };
        serde_json::to_writer(&mut *out, &count)?;
        return out.write_all(b"\n");
    }
    let plural = |n: usize, word: &str| format!("{n} {word}{}", if n == 1 { "" } else { "s" });
    let copies = match distinct {
        Some(distinct) if distinct != paragraphs => format!(" ({distinct} distinct)"),
        _ => String::new(),
    };
    writeln!(out, "{}{copies} in {}", plural(paragraphs, "paragraph"), plural(files, "file"))
}

/// `1234567` as `1,234,567`, for counts people read.
pub(crate) fn thousands(n: usize) -> String {
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
pub(crate) fn left_out(timeline: &Timeline, by: By) -> String {
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
pub(crate) fn shown_of(shown: usize, total: usize, order: &str) -> String {
    format!("{} of {}, {order}", thousands(shown), plural(total, "passage"))
}

/// How hits in `sort` order come, in words ("10 of 3,733, best first").
pub(crate) fn order(sort: Sort) -> &'static str {
    match sort {
        Sort::Relevance => "best first",
        Sort::Mentioned { .. } => "oldest mentioned date first",
        Sort::Published => "newest first",
    }
}

/// `--count`: the number of matching paragraphs and files, after the hits
/// (there are none).
pub(crate) struct Count<W> {
    out: W,
    json: bool,
    batch: Option<(String, usize)>,
    corrected: Option<String>,
}

impl<W: Write> Count<W> {
    pub(crate) fn new(out: W, json: bool) -> Count<W> {
        Count { out, json, batch: None, corrected: None }
    }
}

impl<W: Write> Printer for Count<W> {
    fn begin(&mut self, search: &Begin) -> io::Result<()> {
        self.batch = search.batch.map(|tag| (tag.query.to_string(), tag.query_line));
        self.corrected = search.corrected.map(str::to_string);
        Ok(())
    }

    fn hit(&mut self, _: &Hit, _: Option<&HitExplanation>) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        let batch = self.batch.as_ref().map(|(query, line)| BatchTag { query, query_line: *line });
        let counted = Counted {
            paragraphs: end.total.unwrap_or(0),
            distinct: end.distinct,
            files: end.files.unwrap_or(0),
        };
        write_count(&mut self.out, counted, self.json, batch, self.corrected.as_deref())
    }
}

/// `--files`: each distinct file of the hits once, in hit order, ended by
/// a newline or (with `null`) a NUL byte.
pub(crate) struct Files<'a, W> {
    out: W,
    paths: &'a PathDisplay,
    null: bool,
    seen: HashSet<String>,
}

impl<'a, W: Write> Files<'a, W> {
    pub(crate) fn new(out: W, paths: &'a PathDisplay, null: bool) -> Files<'a, W> {
        Files { out, paths, null, seen: HashSet::new() }
    }
}

impl<W: Write> Printer for Files<'_, W> {
    fn begin(&mut self, _: &Begin) -> io::Result<()> {
        self.seen.clear();
        Ok(())
    }

    fn hit(&mut self, hit: &Hit, _: Option<&HitExplanation>) -> io::Result<()> {
        if self.seen.contains(&hit.doc) {
            return Ok(());
        }
        self.seen.insert(hit.doc.clone());
        self.out.write_all(self.paths.show(&hit.doc).as_bytes())?;
        self.out.write_all(if self.null { b"\0" } else { b"\n" })
    }

    fn end(&mut self, _: &End) -> io::Result<()> {
        Ok(())
    }
}

/// Says on `err` that a correction was searched instead of `query`, which
/// found nothing, or else what might have been meant; `batch_line` is the
/// line of the batch file the query came from.
pub(crate) fn write_suggestion<W: Write>(
    err: &mut W,
    result: &SearchResult,
    query: &str,
    batch_line: Option<usize>,
) -> io::Result<()> {
    let line = batch_line.map(|n| format!("line {n}: ")).unwrap_or_default();
    if let Some(corrected) = &result.corrected_query {
        writeln!(err, "lede: {line}showing results for {corrected}; no passage matches {query}")?;
    }
    if let Some(suggestion) = &result.suggestion {
        writeln!(err, "lede: {line}no passage matches; did you mean: {suggestion}")?;
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
        let counted = |paragraphs, distinct, files| Counted { paragraphs, distinct, files };
        write_count(&mut out, counted(1, Some(1), 1), false, None, None).unwrap();
        write_count(&mut out, counted(12, None, 3), false, None, None).unwrap();
        write_count(&mut out, counted(12, Some(10), 3), false, None, None).unwrap();
        let batch = Some(BatchTag { query: "x", query_line: 4 });
        write_count(&mut out, counted(12, Some(12), 3), true, batch, None).unwrap();
        write_count(&mut out, counted(2, None, 1), true, None, None).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "1 paragraph in 1 file\n12 paragraphs in 3 files\n\
             12 paragraphs (10 distinct) in 3 files\n\
             {\"paragraphs\":12,\"distinct\":12,\"files\":3,\"query\":\"x\",\"query_line\":4}\n\
             {\"paragraphs\":2,\"files\":1}\n"
        );
    }
}
