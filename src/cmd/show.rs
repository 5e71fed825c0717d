//! `lede show`: a passage with its neighbours, entities, dates and title.
//! Targets come from the command line or, one per line, from standard input
//! (so `lede search` output in any format can be piped in).

use std::io::{self, BufRead, BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Result};

use super::Status;
use crate::cli::{Location, ShowArgs};
use crate::config::{self, PathDisplay};
use crate::index::LedeIndex;
use crate::render;
use crate::search::passages::{self, Paragraph};

/// Which paragraph of a file to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum At {
    /// The title (paragraph 0).
    Title,
    /// The paragraph holding this 1-based line.
    Line(u32),
    /// Paragraph number.
    Para(u32),
    /// The first paragraph of a PDF page.
    Page(u32),
}

/// A file and a place in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Target {
    pub path: String,
    pub at: At,
}

pub fn run(location: &Location, args: &ShowArgs) -> Result<Status> {
    let mut indexes = Indexes::new(location);
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
    opened: Vec<Opened>,
}

impl<'a> Indexes<'a> {
    fn new(location: &'a Location) -> Indexes<'a> {
        Indexes { location, opened: Vec::new() }
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
                let index = LedeIndex::open(&paths.index)?;
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

/// The file's path relative to the corpus root (`/`-separated): a path that
/// exists is resolved against the corpus folder, anything else is taken as
/// already relative to it.
/// A document inside a file keeps its `#part`.
fn corpus_relative(corpus: &Path, path: &str) -> String {
    let (file, part) = match path.rsplit_once('#') {
        Some((file, part)) if !Path::new(path).exists() => (file, Some(part)),
        _ => (path, None),
    };
    let mut relative = file.trim_start_matches("./").to_string();
    if let Ok(full) = Path::new(file).canonicalize() {
        if let Ok(rel) = full.strip_prefix(corpus) {
            let parts: Vec<String> =
                rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            relative = parts.join("/");
        }
    }
    match part {
        Some(part) => format!("{relative}#{part}"),
        None => relative,
    }
}

/// Reads a target from a command-line argument or a line of piped output:
/// a `--json` hit, a `--tsv` line, a human header `1. path:line  title`, or
/// `PATH`, `PATH:LINE`, `PATH:pN`. Passage lines of human output (indented)
/// and blank lines give `None`.
pub fn parse_target(line: &str) -> Option<Target> {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    if trimmed.trim().is_empty() || trimmed.starts_with(char::is_whitespace) {
        return None;
    }
    if trimmed.starts_with('{') {
        let hit: serde_json::Value = serde_json::from_str(trimmed).ok()?;
        let path = hit["path"].as_str().or(hit["doc"].as_str())?.to_string();
        let at = hit["para"].as_u64().map_or(At::Title, |p| At::Para(p as u32));
        return Some(Target { path, at });
    }
    if trimmed.contains('\t') {
        let columns: Vec<&str> = trimmed.split('\t').collect();
        let line = columns.get(3)?.parse().ok()?;
        return Some(Target { path: columns.get(2)?.to_string(), at: At::Line(line) });
    }
    let mut text = trimmed;
    if let Some((rank, rest)) = text.split_once(". ") {
        if !rank.is_empty() && rank.chars().all(|c| c.is_ascii_digit()) {
            text = rest.split("  ").next().unwrap_or(rest);
        }
    }
    if let Some((path, place)) = text.rsplit_once(':') {
        if let Ok(line) = place.parse() {
            return Some(Target { path: path.to_string(), at: At::Line(line) });
        }
        if let Some(Ok(para)) = place.strip_prefix('p').map(str::parse) {
            return Some(Target { path: path.to_string(), at: At::Para(para) });
        }
        if let Some(Ok(page)) = place.strip_prefix("page ").map(str::parse) {
            return Some(Target { path: path.to_string(), at: At::Page(page) });
        }
    }
    Some(Target { path: text.to_string(), at: At::Title })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str, at: At) -> Option<Target> {
        Some(Target { path: path.to_string(), at })
    }

    #[test]
    fn parse_target_table() {
        let cases = [
            ("a/b.txt", target("a/b.txt", At::Title)),
            ("a/b.txt:27", target("a/b.txt", At::Line(27))),
            ("a/b.txt:p14", target("a/b.txt", At::Para(14))),
            ("1. r.pdf:page 3  Annual report", target("r.pdf", At::Page(3))),
            ("d.jsonl#4:p2", target("d.jsonl#4", At::Para(2))),
            ("1. data/x.txt:21  Covert: Operation", target("data/x.txt", At::Line(21))),
            ("12. my file.txt:3  Title  with gaps", target("my file.txt", At::Line(3))),
            ("1\t3.2100\tdata/x.txt\t21\tThe passage", target("data/x.txt", At::Line(21))),
            (
                r#"{"path":"data/x.txt","doc":"x.txt","para":14,"line":27}"#,
                target("data/x.txt", At::Para(14)),
            ),
            ("   an indented passage line", None),
            ("", None),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_target(line), expected, "{line}");
        }
    }
}
