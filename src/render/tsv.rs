//! Tab-separated output, one hit per line: rank, score, path, line,
//! passage. Tabs and line breaks inside a passage become spaces, so every
//! hit is exactly one line of five fields (`cut -f3`, `awk -F'\t'`).

use std::io::{self, Write};

use crate::config::PathDisplay;
use crate::search::Hit;

/// Writes one TSV line per hit.
pub fn write_hits<W: Write>(out: &mut W, hits: &[Hit], paths: &PathDisplay) -> io::Result<()> {
    for hit in hits {
        writeln!(
            out,
            "{}\t{:.4}\t{}\t{}\t{}",
            hit.rank,
            hit.score,
            one_field(&paths.show(&hit.doc)),
            hit.line,
            one_field(&hit.text)
        )?;
    }
    Ok(())
}

/// `text` with tabs and line breaks replaced by spaces.
pub fn one_field(text: &str) -> String {
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
