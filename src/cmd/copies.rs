//! `lede search --copies PATH`: the documents that hold a copy of one
//! document, or some of its paragraphs.

use std::io::{self, BufWriter, Write};

use anyhow::{bail, Result};

use super::open::open_for_reading;
use super::Status;
use crate::cli::Location;
use crate::config::{corpus_relative, parse_target, PathDisplay};
use crate::render;
use crate::search::copies;

pub(super) fn run(location: &Location, text: &str, json: bool, refresh: bool) -> Result<Status> {
    let Some(target) = parse_target(text) else {
        bail!("--copies {text:?}: give a document's path as hits show it")
    };
    let (_, index) = open_for_reading(location, refresh)?;
    let searcher = index.reader()?.searcher();
    let doc = corpus_relative(&index.manifest.corpus, &target.path);
    let Some(found) = copies::of_document(&searcher, &index.fields, &doc)? else {
        if std::path::Path::new(&target.path).is_dir() {
            bail!("{}: is a folder: name one of its documents", target.path)
        }
        bail!(
            "{}: no such document in the index (a file of several documents: name one, \
             as hits show it, e.g. FILE#2)",
            target.path
        )
    };
    let display = PathDisplay::new(&index.manifest.corpus);
    let mut out = BufWriter::new(io::stdout().lock());
    render::copies::write(&mut out, &found, &display, json)?;
    out.flush()?;
    Ok(if found.copies.is_empty() { Status::NoHits } else { Status::Success })
}
