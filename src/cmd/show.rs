//! `lede show`: a passage with its neighbours, entities, dates and title.
//! Targets come from the command line or, one per line, from standard input
//! (so `lede search` output in any format can be piped in); they are read
//! by [`crate::config::parse_target`].

use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Result};

use super::Status;
use crate::cli::{Location, ShowArgs};
use crate::config::{self, corpus_relative, parse_target, At, PathDisplay, Target};
use crate::index::LedeIndex;
use crate::render;
use crate::search::passages::{self, Paragraph};

pub(super) fn run(location: &Location, args: &ShowArgs) -> Result<Status> {
    let mut indexes = Indexes::new(location, !args.no_refresh);
    let color = config::use_color(args.color);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let mut status = Status::Success;
    let mut shown = 0;
    let mut show = |target: &Target, out: &mut BufWriter<io::StdoutLock>| -> Result<()> {
        let opened = indexes.for_target(&target.path)?;
        let corpus = &opened.index.manifest.corpus;
        let doc = corpus_relative(corpus, &target.path);
        let paragraphs = passages::of_file(&opened.searcher, &opened.index.fields, &doc)?;
        if paragraphs.is_empty() {
            bail!("{}: no such file in the index", target.path);
        }
        let count = paragraphs.len();
        let Some(at) = locate(&paragraphs, &target.at) else {
            bail!(
                "{}: no such paragraph: the file has {count} (p0 to p{})",
                target.path,
                count - 1
            );
        };
        if let At::Line(line) = target.at {
            let file = corpus.join(doc.split('#').next().unwrap_or(&doc));
            if let Some(lines) = line_count(&file).filter(|&lines| line > lines) {
                bail!(
                    "{}: line {line} is past the end: the file has {lines} lines, {count} paragraphs",
                    target.path
                );
            }
        }
        if shown > 0 {
            writeln!(out)?;
        }
        shown += 1;
        let title = paragraphs.iter().find(|p| p.para == 0).map_or("", |p| p.text.as_str());
        let window = &paragraphs
            [at.saturating_sub(args.context)..(at + args.context + 1).min(paragraphs.len())];
        render::passage::write_passage(
            out,
            &PathDisplay::new(corpus).show(&doc),
            title,
            window,
            &paragraphs[at],
            color,
        )?;
        Ok(())
    };
    match args.target.as_deref() {
        Some(text) if text != "-" => {
            let Some(target) = parse_target(text) else { bail!("cannot read target {text:?}") };
            show(&target, &mut out)?;
        }
        _ => {
            for line in io::stdin().lock().lines() {
                let line = line?;
                let Some(target) = parse_target(&line) else { continue };
                if let Err(err) = show(&target, &mut out) {
                    eprintln!("lede: {err:#}");
                    status = Status::Error;
                }
            }
        }
    }
    out.flush()?;
    Ok(status)
}

/// An opened index and the searcher its passages are read with.
struct Opened {
    index: LedeIndex,
    searcher: tantivy::Searcher,
}

/// The indexes targets are shown from, opened once each: a file's own
/// corpus (the nearest folder above it with an index), else the one
/// `--corpus`/`--index` or the current folder name.
struct Indexes<'a> {
    location: &'a Location,
    /// Bring each index up to date when it is first opened, as a search does.
    refresh: bool,
    opened: Vec<Opened>,
}

impl<'a> Indexes<'a> {
    fn new(location: &'a Location, refresh: bool) -> Indexes<'a> {
        Indexes { location, refresh, opened: Vec::new() }
    }

    fn for_target(&mut self, path: &str) -> Result<&Opened> {
        let named = self.location.corpus.is_some() || self.location.index.is_some();
        let own = Path::new(path)
            .canonicalize()
            .ok()
            .filter(|_| !named)
            .and_then(|file| file.parent().and_then(config::enclosing_corpus));
        let paths = match own {
            Some(corpus) => {
                config::resolve_paths(&Location { corpus: Some(corpus), index: None }, None)?
            }
            None => config::resolve_paths(self.location, None)?,
        };
        let position = match self.opened.iter().position(|o| o.index.dir == paths.index) {
            Some(position) => position,
            None => {
                let index = match self.refresh {
                    true => super::open::open_resolved(&paths, true)?,
                    false => LedeIndex::open(&paths.index)?,
                };
                let searcher = index.reader()?.searcher();
                self.opened.push(Opened { index, searcher });
                self.opened.len() - 1
            }
        };
        Ok(&self.opened[position])
    }
}

/// Lines of a file on disk (a paragraph's text no longer says how many
/// lines it spanned); `None` when it cannot be read.
fn line_count(file: &Path) -> Option<u32> {
    let bytes = std::fs::read(file).ok()?;
    let breaks = bytes.iter().filter(|&&b| b == b'\n').count();
    let unended = usize::from(bytes.last().is_some_and(|&b| b != b'\n'));
    u32::try_from(breaks + unended).ok()
}

/// Index of the paragraph `at` points to.
fn locate(paragraphs: &[Paragraph], at: &At) -> Option<usize> {
    let para = match at {
        At::Title => 0,
        At::Para(para) => *para,
        At::Line(line) => passages::at_line(paragraphs, *line)?.para,
        At::Page(page) => paragraphs.iter().find(|p| p.page == Some(*page))?.para,
    };
    paragraphs.iter().position(|p| p.para == para)
}
