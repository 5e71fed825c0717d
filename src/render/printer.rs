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
pub(crate) struct Begin<'a> {
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
pub(crate) struct End {
    /// All matching passages, when they were counted.
    pub total: Option<usize>,
    /// Their distinct files, when they were counted.
    pub files: Option<usize>,
    /// How many of them differ (copies counted once), when counted.
    pub distinct: Option<usize>,
    /// The per-file cap, when it held passages back.
    pub held_per_file: Option<usize>,
}

/// Prints searches in one format. A printer may be given several searches
/// in turn (batch mode): each starts with `begin` and ends with `end`.
pub(crate) trait Printer {
    fn begin(&mut self, search: &Begin) -> io::Result<()>;
    /// One hit, with what its score is made of when that was asked for.
    fn hit(&mut self, hit: &Hit, explanation: Option<&HitExplanation>) -> io::Result<()>;
    fn end(&mut self, end: &End) -> io::Result<()>;
}

/// The printer for `format`, writing to `out`.
pub(crate) fn printer<'a, W: Write + 'a>(
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
pub(crate) fn print_result(
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
    printer.end(&End {
        total: result.total,
        files: result.files,
        distinct: result.distinct,
        held_per_file: result.held_per_file,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::search::Entities;

    fn hit(rank: usize, doc: &str, text: &str) -> Hit {
        Hit {
            rank,
            score: 1.5,
            doc: doc.to_string(),
            para: 2,
            line: 3,
            page: None,
            record: None,
            published: None,
            lang: "en".to_string(),
            title: "Title".to_string(),
            text: text.to_string(),
            highlights: vec![],
            entities: Entities::default(),
            dates: Vec::new(),
            copies: Default::default(),
        }
    }

    fn printed(format: OutputFormat, result: &SearchResult, batch: Option<BatchTag>) -> String {
        let paths = PathDisplay::new(std::path::Path::new("/nowhere"));
        let mut out = Vec::new();
        let mut printer = printer(format, &paths, &mut out);
        print_result(&mut *printer, result, Sort::Relevance, None, batch).unwrap();
        drop(printer);
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn every_format_prints_the_same_result() {
        let result = SearchResult {
            hits: vec![hit(1, "a.txt", "one\ttwo"), hit(2, "a.txt", "three"), hit(3, "b.txt", "x")],
            total: Some(7),
            files: Some(2),
            ..SearchResult::default()
        };
        // Without a total, human output has no "N of M" line for stderr.
        let uncounted = SearchResult { total: None, ..result.clone() };
        let human = OutputFormat::Human { color: false, entities: false };
        assert_eq!(
            printed(human, &uncounted, None),
            "1. /nowhere/a.txt:3  Title\n   one\ttwo\n\n2. /nowhere/a.txt:3  Title\n   three\n\n\
             3. /nowhere/b.txt:3  Title\n   x\n"
        );
        assert_eq!(
            printed(OutputFormat::Tsv, &result, None),
            "1\t1.5000\t/nowhere/a.txt\t3\tone two\n2\t1.5000\t/nowhere/a.txt\t3\tthree\n\
             3\t1.5000\t/nowhere/b.txt\t3\tx\n"
        );
        assert_eq!(
            printed(OutputFormat::Files { null: true }, &result, None),
            "/nowhere/a.txt\0/nowhere/b.txt\0"
        );
        assert_eq!(
            printed(OutputFormat::Count { json: false }, &result, None),
            "7 paragraphs in 2 files\n"
        );
        let tag = BatchTag { query: "q", query_line: 4 };
        let batch = OutputFormat::Batch { count: true, explain: false };
        assert_eq!(
            printed(batch, &result, Some(tag)),
            "{\"paragraphs\":7,\"files\":2,\"query\":\"q\",\"query_line\":4}\n"
        );
        let json = printed(OutputFormat::Json { explain: false }, &result, Some(tag));
        assert_eq!(json.lines().count(), 3);
        assert!(json.lines().all(|line| line.ends_with(",\"query\":\"q\",\"query_line\":4}")));
    }

    #[test]
    fn a_hit_names_its_copies_and_the_count_what_differs() {
        let mut folded = hit(1, "a.txt", "one");
        let paths = ["b.txt", "c.txt", "d/e.txt", "f.txt"].map(String::from).to_vec();
        folded.copies = crate::search::copies::CopyList { paths, count: 4 };
        let result = SearchResult {
            hits: vec![folded],
            total: Some(5),
            files: Some(5),
            distinct: Some(1),
            ..SearchResult::default()
        };
        let human = OutputFormat::Human { color: false, entities: false };
        assert_eq!(
            printed(human, &result, None),
            "1. /nowhere/a.txt:3  Title\n   one\n   also in 4 files: /nowhere/b.txt, \
             /nowhere/c.txt, /nowhere/d/e.txt and 1 more\n"
        );
        let json = printed(OutputFormat::Json { explain: false }, &result, None);
        assert!(json.contains(
            "\"copies\":[\"/nowhere/b.txt\",\"/nowhere/c.txt\",\"/nowhere/d/e.txt\",\
             \"/nowhere/f.txt\"],\"copy_count\":4"
        ));
        assert_eq!(
            printed(OutputFormat::Count { json: false }, &result, None),
            "5 paragraphs (1 distinct) in 5 files\n"
        );
    }

    #[test]
    fn explained_hits_are_set_apart_and_followed_by_their_terms() {
        let result = SearchResult {
            hits: vec![hit(1, "a.txt", "one")],
            explanations: vec![HitExplanation { score: 1.5, terms: vec![] }],
            ..SearchResult::default()
        };
        let explain = OutputFormat::Explain { color: false, entities: false };
        assert_eq!(
            printed(explain, &result, None),
            "\n1. /nowhere/a.txt:3  Title\n   one\n   score 1.5000:\n"
        );
    }
}
