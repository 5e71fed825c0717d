//! JSON Lines output: one self-contained, flat object per hit.
//!
//! The wire format is specified by `schema/hit.schema.json`:
//!
//! ```text
//! {"rank":1,"score":12.3,"path":"data/corpus/000_….txt","doc":"000_….txt",
//!  "para":14,"line":27,"title":"…","text":"…",
//!  "highlights":[{"start":55,"end":60}],
//!  "entities":{"person":[],"org":[],"place":[],"misc":[]},
//!  "dates":[{"text":"…","value":"2024-08-06","precision":"day","start":0,"end":9}]}
//! ```
//!
//! `path` opens from the current directory; `doc` is relative to the corpus
//! root; `highlights`, `start` and `end` are byte offsets into `text`. The
//! serialisation types live here, apart from the domain types.

use std::io::{self, Write};

use serde::Serialize;

use crate::config::PathDisplay;
use crate::search::{Entities, Hit};

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
    title: &'a str,
    text: &'a str,
    highlights: Vec<Span>,
    entities: &'a Entities,
    dates: &'a [serde_json::Value],
}

/// Writes one JSON line per hit.
pub fn write_hits<W: Write>(out: &mut W, hits: &[Hit], paths: &PathDisplay) -> io::Result<()> {
    for hit in hits {
        let line = JsonHit {
            rank: hit.rank,
            score: hit.score,
            path: paths.show(&hit.doc),
            doc: &hit.doc,
            para: hit.para,
            line: hit.line,
            title: &hit.title,
            text: &hit.text,
            highlights: hit
                .highlights
                .iter()
                .map(|r| Span { start: r.start, end: r.end })
                .collect(),
            entities: &hit.entities,
            dates: &hit.dates,
        };
        serde_json::to_writer(&mut *out, &line)?;
        out.write_all(b"\n")?;
    }
    Ok(())
}
