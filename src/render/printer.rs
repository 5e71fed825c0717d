//! One way to print any search, whatever the format: a [`Printer`] is told
//! what the query became ([`Printer::begin`]), then each hit in rank order
//! ([`Printer::hit`]), then the counts ([`Printer::end`]). [`printer`]
//! picks the implementation for an [`OutputFormat`]; `lede search`, its
//! batch and remote modes and the web API all print through it.

use std::io::{self, Write};

use super::human::{self, Human};
use super::json::{BatchTag, Json};
use super::summary::{Count, Files};
use super::tsv::Tsv;
use crate::config::{OutputFormat, PathDisplay};
use crate::search::explain::{HitExplanation, QueryAnalysis};
use crate::search::{Hit, SearchResult, Sort};

/// What a printer is told before the hits of one search.
#[derive(Clone, Copy, Debug, Default)]
pub struct Begin<'a> {
    /// The order the hits come in.
    pub sort: Sort,
    /// The query's analysis, for the formats that show it (`--explain`).
    pub analysis: Option<&'a QueryAnalysis<'a>>,
    /// The correction searched because the query matched nothing.
    pub corrected: Option<&'a str>,
    /// The batch query the hits answer.
    pub batch: Option<BatchTag<'a>>,
}

/// What a printer is told after the hits of one search.
#[derive(Clone, Copy, Debug, Default)]
pub struct End {
    /// All matching passages, when they were counted.
    pub total: Option<usize>,
    /// Their distinct files, when they were counted.
    pub files: Option<usize>,
}

/// Prints searches in one format. A printer may be given several searches
/// in turn (batch mode): each starts with `begin` and ends with `end`.
pub trait Printer {
    fn begin(&mut self, search: &Begin) -> io::Result<()>;
    /// One hit, with what its score is made of when that was asked for.
    fn hit(&mut self, hit: &Hit, explanation: Option<&HitExplanation>) -> io::Result<()>;
    fn end(&mut self, end: &End) -> io::Result<()>;
}

/// The printer for `format`, writing to `out`.
pub fn printer<'a, W: Write + 'a>(
    format: OutputFormat,
    paths: &'a PathDisplay,
    out: W,
) -> Box<dyn Printer + 'a> {
    match format {
        OutputFormat::Human { color, entities } => {
            let options = human::Options { color, entities, explain: false };
            Box::new(Human::new(out, paths, options))
        }
        OutputFormat::Explain { color, entities } => {
            let options = human::Options { color, entities, explain: true };
            Box::new(Human::new(out, paths, options))
        }
        OutputFormat::Json { .. } | OutputFormat::Batch { count: false, .. } => {
            Box::new(Json::new(out, paths))
        }
        OutputFormat::Tsv => Box::new(Tsv::new(out, paths)),
        OutputFormat::Count { json } => Box::new(Count::new(out, json)),
        OutputFormat::Batch { count: true, .. } => Box::new(Count::new(out, true)),
        OutputFormat::Files { null } => Box::new(Files::new(out, paths, null)),
    }
}

/// Prints one search's result, its hits in `sort` order: `analysis` when
/// the format shows it, and `batch` when it answers a line of a batch file.
pub fn print_result(
    printer: &mut dyn Printer,
    result: &SearchResult,
    sort: Sort,
    analysis: Option<&QueryAnalysis>,
    batch: Option<BatchTag>,
) -> io::Result<()> {
    let corrected = result.corrected_query.as_deref();
    printer.begin(&Begin { sort, analysis, corrected, batch })?;
    for (i, hit) in result.hits.iter().enumerate() {
        printer.hit(hit, result.explanations.get(i))?;
    }
    printer.end(&End { total: result.total, files: result.files })
}
