//! Human output: rank, `path:line`, the title, then the passage with the
//! matched words highlighted (colour on a terminal, plain otherwise). Long
//! passages are cut to a window around the matches. With `--explain`, the
//! query's analysis comes first and each hit is followed by its score.

use std::io::{self, Write};
use std::ops::Range;

use super::printer::{Begin, End, Printer};
use crate::config::PathDisplay;
use crate::search::explain::HitExplanation;
use crate::search::Hit;

/// Passages longer than this many bytes are cut around their matches.
pub(crate) const MAX_PASSAGE_BYTES: usize = 480;

const BOLD_RED: &str = "\x1b[1;31m";
const MAGENTA: &str = "\x1b[35m";
const GREEN: &str = "\x1b[32m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// How hits are shown.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Options {
    /// ANSI colours for the path, line and matches.
    pub color: bool,
    /// A line with the passage's entities and dates.
    pub entities: bool,
    /// `--explain`: the query's analysis first, and under each hit what
    /// its matched terms scored.
    pub explain: bool,
}

/// The printer for people. The "10 of 3,733, best first" line goes to
/// stderr, so what scripts read from stdout stays the same.
pub(crate) struct Human<'a, W> {
    out: W,
    paths: &'a PathDisplay,
    options: Options,
    /// How the current search's hits are ordered, in words.
    order: &'static str,
    shown: usize,
    /// Whether a hit of the current search stands for copies.
    folded: bool,
}

impl<'a, W: Write> Human<'a, W> {
    pub(crate) fn new(out: W, paths: &'a PathDisplay, options: Options) -> Human<'a, W> {
        Human { out, paths, options, order: "", shown: 0, folded: false }
    }
}

impl<W: Write> Printer for Human<'_, W> {
    fn begin(&mut self, search: &Begin) -> io::Result<()> {
        self.shown = 0;
        self.folded = false;
        self.order = super::summary::order(search.sort);
        if let Some(analysis) = search.analysis {
            super::explain::write_analysis(&mut self.out, analysis)?;
        }
        Ok(())
    }

    fn hit(&mut self, hit: &Hit, explanation: Option<&HitExplanation>) -> io::Result<()> {
        // Hits are set apart by a blank line; explained ones from the
        // analysis too.
        if self.shown > 0 || self.options.explain {
            writeln!(self.out)?;
        }
        self.shown += 1;
        self.folded |= hit.copies.count > 0;
        write_hit(&mut self.out, hit, self.paths, &self.options)?;
        match explanation {
            Some(explanation) if self.options.explain => {
                super::explain::write_hit(&mut self.out, explanation)
            }
            _ => Ok(()),
        }
    }

    fn end(&mut self, end: &End) -> io::Result<()> {
        if let (Some(total), true) = (end.total, self.shown > 0) {
            self.out.flush()?;
            let mut line = super::summary::shown_of(self.shown, total, self.order);
            if let Some(cap) = end.held_per_file {
                line.push_str(&format!("; at most {cap} per file (--per-file 0 shows all)"));
            }
            if self.folded {
                line.push_str("; copies folded (--all-copies shows each)");
            }
            writeln!(io::stderr().lock(), "{line}")?;
        }
        Ok(())
    }
}

/// Writes one hit for a person to read.
pub(crate) fn write_hit<W: Write>(
    out: &mut W,
    hit: &Hit,
    paths: &PathDisplay,
    options: &Options,
) -> io::Result<()> {
    let color = options.color;
    let path = paths.show(&hit.doc);
    let at = super::target(hit.para, hit.line, hit.page);
    let title = match &hit.published {
        Some(published) => format!("{}  ({published})", hit.title),
        None => hit.title.clone(),
    };
    if color {
        writeln!(
            out,
            "{}. {MAGENTA}{path}{RESET}:{GREEN}{at}{RESET}  {DIM}{title}{RESET}",
            hit.rank
        )?;
    } else {
        writeln!(out, "{}. {path}:{at}  {title}", hit.rank)?;
    }
    let (window, prefix, suffix) = excerpt(&hit.text, &hit.highlights, MAX_PASSAGE_BYTES);
    out.write_all(b"   ")?;
    if prefix {
        out.write_all("…".as_bytes())?;
    }
    write_highlighted(out, &hit.text, window, &hit.highlights, color)?;
    if suffix {
        out.write_all("…".as_bytes())?;
    }
    writeln!(out)?;
    if options.entities {
        write_annotations(out, hit, color)?;
    }
    write_copies(out, hit, paths, color)
}

/// Copies shown before the rest are counted: a line stays a line.
pub(crate) const COPIES_NAMED: usize = 3;

/// `   also in 4 files: a.txt, b.txt, c.txt and 1 more`
fn write_copies<W: Write>(
    out: &mut W,
    hit: &Hit,
    paths: &PathDisplay,
    color: bool,
) -> io::Result<()> {
    let count = hit.copies.count;
    if count == 0 {
        return Ok(());
    }
    let named: Vec<String> =
        hit.copies.paths.iter().take(COPIES_NAMED).map(|doc| paths.show(doc)).collect();
    let files = if count == 1 { "file" } else { "files" };
    let mut line = format!("also in {count} {files}: {}", named.join(", "));
    if count > named.len() {
        line.push_str(&format!(" and {} more", count - named.len()));
    }
    if color {
        writeln!(out, "   {DIM}{line}{RESET}")
    } else {
        writeln!(out, "   {line}")
    }
}

/// `   person: A; B · place: C · dates: April 26, 2025 (2025-04-26)`
fn write_annotations<W: Write>(out: &mut W, hit: &Hit, color: bool) -> io::Result<()> {
    let mut parts = Vec::new();
    for (kind, names) in hit.entities.iter() {
        if !names.is_empty() {
            parts.push(format!("{}: {}", kind.name(), names.join("; ")));
        }
    }
    let dates: Vec<String> =
        hit.dates.iter().map(|d| format!("{} ({})", d.text, d.value)).collect();
    if !dates.is_empty() {
        parts.push(format!("dates: {}", dates.join("; ")));
    }
    if parts.is_empty() {
        return Ok(());
    }
    let line = parts.join(" · ");
    if color {
        writeln!(out, "   {DIM}{line}{RESET}")
    } else {
        writeln!(out, "   {line}")
    }
}

fn write_highlighted<W: Write>(
    out: &mut W,
    text: &str,
    window: Range<usize>,
    highlights: &[Range<usize>],
    color: bool,
) -> io::Result<()> {
    let mut at = window.start;
    if color {
        for h in highlights {
            let start = h.start.max(window.start);
            let end = h.end.min(window.end);
            if start >= end || start < at {
                continue;
            }
            out.write_all(&text.as_bytes()[at..start])?;
            write!(out, "{BOLD_RED}{}{RESET}", &text[start..end])?;
            at = end;
        }
    }
    out.write_all(&text.as_bytes()[at..window.end])
}

/// Chooses the part of `text` to show: all of it when short, else a window
/// of about `max` bytes starting a little before the first match, on word
/// boundaries. Returns the window and whether text was cut before and after.
pub(crate) fn excerpt(
    text: &str,
    highlights: &[Range<usize>],
    max: usize,
) -> (Range<usize>, bool, bool) {
    if text.len() <= max {
        return (0..text.len(), false, false);
    }
    let first = highlights.first().map_or(0, |h| h.start);
    let lead = max / 5;
    let mut start = first.saturating_sub(lead);
    if start > 0 {
        start = next_word_start(text, start);
        if start > first {
            start = floor_char(text, first);
        }
    }
    let mut end = floor_char(text, (start + max).min(text.len()));
    if end < text.len() {
        end = text[start..end].rfind(' ').map_or(end, |i| start + i);
    }
    (start..end, start > 0, end < text.len())
}

fn floor_char(text: &str, mut i: usize) -> usize {
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn next_word_start(text: &str, from: usize) -> usize {
    let from = floor_char(text, from);
    match text[from..].find(' ') {
        Some(i) => from + i + 1,
        None => from,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_shown_whole() {
        assert_eq!(
            excerpt("short text", &[Range { start: 6, end: 10 }], 100),
            (0..10, false, false)
        );
    }

    #[test]
    fn long_text_is_cut_around_the_first_match_on_word_boundaries() {
        let text = "word ".repeat(100) + "needle " + &"tail ".repeat(100);
        let at = text.find("needle").unwrap();
        let (window, before, after) = excerpt(&text, &[Range { start: at, end: at + 6 }], 100);
        assert!(before && after);
        assert!(window.start < at && window.end > at + 6);
        assert!(window.end - window.start <= 100);
        assert!(text[window.clone()].starts_with("word"));
        assert!(!text[window].ends_with(' '));
    }

    #[test]
    fn cuts_never_split_a_character() {
        let text = "Михайлов ".repeat(80);
        let (window, _, _) = excerpt(&text, &[], 101);
        assert!(text.is_char_boundary(window.start) && text.is_char_boundary(window.end));
    }
}
