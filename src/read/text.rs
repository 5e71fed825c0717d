//! Plain text and Markdown: decoded by [`decode::decode`], split by
//! [`split::split`] (title line, blank-line blocks, wrapped lines joined).

use super::decode::{self, Encoding};
use super::{Location, ReadDocument, ReadError, ReadParagraph};
use crate::split;

/// The note a Latin-1 file gets (it is still indexed).
pub(crate) const LATIN1_NOTE: &str = "not valid UTF-8, decoded as Latin-1";

/// Reads one text file as one document; a binary file is skipped.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    let decoded = decode::decode(bytes.to_vec()).map_err(|e| ReadError::Skipped(e.to_string()))?;
    Ok(vec![from_text(&decoded.text, decoded.encoding)])
}

/// The document of an already decoded text.
pub(crate) fn from_text(text: &str, encoding: Encoding) -> ReadDocument {
    let doc = split::split(text);
    let mut paragraphs = doc
        .paragraphs
        .into_iter()
        .map(|p| ReadParagraph { text: p.text, location: Location::Line(p.line) });
    let title_paragraph = paragraphs.next();
    let mut notes = Vec::new();
    if encoding == Encoding::Latin1 {
        notes.push(LATIN1_NOTE.to_string());
    }
    ReadDocument {
        title: doc.title,
        title_paragraph,
        paragraphs: paragraphs.collect(),
        notes,
        ..ReadDocument::default()
    }
}

/// Every paragraph of a text that has no title line of its own (an e-mail
/// body), split as a text file is; the lines are not the file's, so the
/// paragraphs carry no line number.
pub(crate) fn body_paragraphs(text: &str) -> Vec<ReadParagraph> {
    split::split(text)
        .paragraphs
        .into_iter()
        .map(|p| ReadParagraph { text: p.text, location: Location::Document })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markdown_title_keeps_its_line_as_paragraph_zero() {
        let docs = read(b"\n# A *Markdown* title\n\nText here.\n").unwrap();
        let doc = &docs[0];
        assert_eq!(doc.title, "A *Markdown* title");
        let title = doc.title_paragraph.as_ref().unwrap();
        assert_eq!(
            (title.text.as_str(), title.location),
            ("A *Markdown* title", Location::Line(2))
        );
        assert_eq!(doc.paragraphs[0].location, Location::Line(4));
        assert!(doc.notes.is_empty());
    }

    #[test]
    fn latin1_is_noted_and_binary_skipped() {
        assert_eq!(read(b"cost \xa3600m").unwrap()[0].notes, [LATIN1_NOTE]);
        assert!(matches!(read(b"PK\x03\x04\x00"), Err(ReadError::Skipped(_))));
    }
}
