//! Tab-separated output, one hit per line: rank, score, path, line,
//! passage. Tabs and line breaks inside a passage become spaces, so every
//! hit is exactly one line of five fields (`cut -f3`, `awk -F'\t'`).

use std::io::{self, Write};

use super::printer::{Begin, End, Printer};
use crate::config::PathDisplay;
use crate::search::explain::HitExplanation;
use crate::search::Hit;

/// One TSV line per hit.
pub(crate) struct Tsv<'a, W> {
    out: W,
    paths: &'a PathDisplay,
}

impl<'a, W: Write> Tsv<'a, W> {
    pub(crate) fn new(out: W, paths: &'a PathDisplay) -> Tsv<'a, W> {
        Tsv { out, paths }
    }
}

impl<W: Write> Printer for Tsv<'_, W> {
    fn begin(&mut self, _: &Begin) -> io::Result<()> {
        Ok(())
    }

    fn hit(&mut self, hit: &Hit, _: Option<&HitExplanation>) -> io::Result<()> {
        writeln!(
            self.out,
            "{}\t{:.4}\t{}\t{}\t{}",
            hit.rank,
            hit.score,
            one_field(&self.paths.show(&hit.doc)),
            hit.line,
            one_field(&hit.text)
        )
    }

    fn end(&mut self, _: &End) -> io::Result<()> {
        Ok(())
    }
}

/// `text` with tabs and line breaks replaced by spaces.
pub(crate) fn one_field(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use super::one_field;

    #[test]
    fn passages_stay_on_one_field() {
        assert_eq!(one_field("a\tb\nc\r\nd"), "a b c  d");
    }
}
