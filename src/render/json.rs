//! JSON Lines output: one self-contained, flat object per hit.
//!
//! The wire format is specified by `schema/hit.schema.json`:
//!
//! ```text
//! {"rank":1,"score":12.3,"path":"data/corpus/000_….txt","doc":"000_….txt",
//!  "para":14,"line":27,"lang":"en","title":"…","text":"…",
//!  "highlights":[{"start":55,"end":60}],
//!  "entities":{"person":[],"org":[],"place":[],"misc":[]},
//!  "dates":[{"end":9,"precision":"day","start":0,"text":"…","value":"2024-08-06"}]}
//! ```
//!
//! `path` opens from the current directory; `doc` is relative to the corpus
//! root; `highlights`, `start` and `end` are byte offsets into `text`. In
//! batch mode every hit also carries `query` and `query_line` (the line of
//! the batch file it came from); with `--explain`, `explain` holds the score
//! and the matched terms; `corrected_query` is the correction searched when
//! the query itself matched nothing. The serialisation types live here, apart from the
//! domain types.

use std::io::{self, Write};

use serde::Serialize;

use super::printer::{Begin, End, Printer};
use crate::config::PathDisplay;
use crate::extract::dates::DateMention;
use crate::search::explain::HitExplanation;
use crate::search::{Entities, Hit};

/// Which batch query a line of output answers.
#[derive(Clone, Copy, Debug, Serialize)]
pub(crate) struct BatchTag<'a> {
    pub query: &'a str,
    /// 1-based line of the batch file.
    pub query_line: usize,
}

/// A byte range of `text`.
#[derive(Serialize)]
struct Span {
    start: usize,
    end: usize,
}

/// One line of output.
#[derive(Serialize)]
struct JsonHit<'a> {
    rank: usize,
    score: f32,
    path: String,
    doc: &'a str,
    para: u32,
    line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    published: Option<&'a str>,
    lang: &'a str,
    title: &'a str,
    text: &'a str,
    highlights: Vec<Span>,
    entities: &'a Entities,
    #[serde(serialize_with = "crate::extract::dates::json::mentions")]
    dates: &'a [DateMention],
    /// The other documents holding this passage (folded into this hit),
    /// as `path` shows paths; at most 50, `copy_count` says how many.
    copies: Vec<String>,
    copy_count: usize,
    #[serde(flatten, skip_serializing_if = "Option::is_none")]
    batch: Option<BatchTag<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    explain: Option<&'a HitExplanation>,
    #[serde(skip_serializing_if = "Option::is_none")]
    corrected_query: Option<&'a str>,
}

/// JSON Lines of hits. With `--explain`, the query's analysis goes to
/// stderr, so stdout stays one hit per line.
pub(crate) struct Json<'a, W> {
    out: W,
    paths: &'a PathDisplay,
    /// The batch query (text and line) the current search answers.
    batch: Option<(String, usize)>,
    /// The correction the current search ran instead of its query.
    corrected: Option<String>,
}

impl<'a, W: Write> Json<'a, W> {
    pub(crate) fn new(out: W, paths: &'a PathDisplay) -> Json<'a, W> {
        Json { out, paths, batch: None, corrected: None }
    }
}

impl<W: Write> Printer for Json<'_, W> {
    fn begin(&mut self, search: &Begin) -> io::Result<()> {
        self.batch = search.batch.map(|tag| (tag.query.to_string(), tag.query_line));
        self.corrected = search.corrected.map(str::to_string);
        if let Some(analysis) = search.analysis {
            super::explain::write_analysis(&mut io::stderr().lock(), analysis)?;
        }
        Ok(())
    }

    fn hit(&mut self, hit: &Hit, explanation: Option<&HitExplanation>) -> io::Result<()> {
        let batch = self
            .batch
            .as_ref()
            .map(|(query, query_line)| BatchTag { query, query_line: *query_line });
        let line = json_hit(hit, self.paths, batch, explanation, self.corrected.as_deref());
        serde_json::to_writer(&mut self.out, &line)?;
        self.out.write_all(b"\n")
    }

    fn end(&mut self, _: &End) -> io::Result<()> {
        Ok(())
    }
}

/// Writes one JSON line per hit, as `lede search --json` prints them.
pub(crate) fn write_hits<W: Write>(
    out: &mut W,
    hits: &[Hit],
    paths: &PathDisplay,
) -> io::Result<()> {
    for hit in hits {
        serde_json::to_writer(&mut *out, &json_hit(hit, paths, None, None, None))?;
        out.write_all(b"\n")?;
    }
    Ok(())
}

/// The wire form of `hit` with what its search adds to it.
fn json_hit<'a>(
    hit: &'a Hit,
    paths: &PathDisplay,
    batch: Option<BatchTag<'a>>,
    explain: Option<&'a HitExplanation>,
    corrected_query: Option<&'a str>,
) -> JsonHit<'a> {
    JsonHit {
        rank: hit.rank,
        score: hit.score,
        path: paths.show(&hit.doc),
        doc: &hit.doc,
        para: hit.para,
        line: hit.line,
        page: hit.page,
        record: hit.record,
        published: hit.published.as_deref(),
        lang: &hit.lang,
        title: &hit.title,
        text: &hit.text,
        highlights: hit.highlights.iter().map(|r| Span { start: r.start, end: r.end }).collect(),
        entities: &hit.entities,
        dates: &hit.dates,
        copies: hit.copies.paths.iter().map(|doc| paths.show(doc)).collect(),
        copy_count: hit.copies.count,
        batch,
        explain,
        corrected_query,
    }
}

/// Writes each item as one JSON line (`lede entities`, `lede dates`).
pub(crate) fn write_lines<W: Write, T: Serialize>(out: &mut W, items: &[T]) -> io::Result<()> {
    for item in items {
        serde_json::to_writer(&mut *out, item)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
