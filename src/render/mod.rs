//! Everything lede prints, and nothing else: the core hands over plain
//! data (hits with highlight ranges, counts, analyses) and this module
//! decides how it looks. A search prints through a [`Printer`] picked for
//! its output format ([`printer`]): [`human`] for people, [`json`] and
//! [`tsv`] for scripts, [`summary`] for `--count`/`--files`, with
//! [`explain`] for `--explain`. [`counts`] lays out `lede entities` and
//! `lede dates`, [`passage`] `lede show`, [`stats`] `lede stats`, [`serving`] the start of `lede serve`. Printers
//! write to any `io::Write`.

pub(crate) mod copies;
pub(crate) mod counts;
pub(crate) mod explain;
pub(crate) mod export;
pub(crate) mod extracted;
pub(crate) mod human;
pub(crate) mod indexing;
pub(crate) mod json;
pub(crate) mod passage;
pub(crate) mod printer;
pub(crate) mod serving;
pub(crate) mod stats;
pub(crate) mod summary;
pub(crate) mod tsv;

pub(crate) use printer::{print_result, printer};

/// Where a paragraph stands in its file, in words: `page 3`, `line 12`, or
/// nothing for formats without lines or pages (HTML, records).
pub(crate) fn place(line: u32, page: Option<u32>) -> Option<String> {
    match (page, line) {
        (Some(page), _) => Some(format!("page {page}")),
        (None, 0) => None,
        (None, line) => Some(format!("line {line}")),
    }
}

/// Where a passage stands, as `lede show` takes it after `path:`: the line,
/// `page N` for a PDF, `pN` (the paragraph) for formats without lines.
pub(crate) fn target(para: u32, line: u32, page: Option<u32>) -> String {
    match (page, line) {
        (Some(page), _) => format!("page {page}"),
        (None, 0) => format!("p{para}"),
        (None, line) => line.to_string(),
    }
}
