//! DOCX: the body's paragraphs, headings and table rows in document order.
//!
//! A DOCX is a zip of XML parts; `word/document.xml` holds the text and
//! `docProps/core.xml` the title, author and creation date. Runs (`w:r`) are
//! joined exactly as written, so the spaces Word keeps in
//! `xml:space="preserve"` runs survive ("listed as" + "Viktor"). Each part is
//! read through a size cap, so a zip bomb costs at most that much memory.

use std::io::{Cursor, Read};

use roxmltree::{Document, Node};

use super::{
    normalise_whitespace, parse_rfc3339, Location, ReadDocument, ReadError, ReadParagraph,
};

/// Largest uncompressed XML part read (a 500-page report's `document.xml`
/// is a few MiB; past this it is a zip bomb or not a memo).
pub(crate) const MAX_PART_BYTES: u64 = 32 << 20;

const WORD_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

pub(crate) fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|err| {
        ReadError::Failed(format!("not a DOCX (not a readable zip archive: {err})"))
    })?;
    let body = read_part(&mut archive, "word/document.xml")?
        .ok_or_else(|| ReadError::Failed("not a DOCX: no word/document.xml inside".into()))?;
    let body = Document::parse(&body)
        .map_err(|err| ReadError::Failed(format!("word/document.xml is malformed: {err}")))?;
    let blocks = body_blocks(&body);

    let mut doc = ReadDocument::default();
    if let Some(core) = read_part(&mut archive, "docProps/core.xml")? {
        if let Ok(core) = Document::parse(&core) {
            apply_core_properties(&core, &mut doc);
        }
    }
    let mut title_taken = !doc.title.is_empty();
    for block in blocks {
        if !title_taken && block.heading {
            doc.title = block.text;
            title_taken = true;
            continue;
        }
        doc.paragraphs.push(ReadParagraph { text: block.text, location: Location::Document });
    }
    Ok(vec![doc])
}

/// The text of one zip entry, `None` when the archive has no such entry.
fn read_part(
    archive: &mut zip::ZipArchive<Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, ReadError> {
    let entry = match archive.by_name(name) {
        Ok(entry) => entry,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(err) => return Err(ReadError::Failed(format!("{name}: {err}"))),
    };
    // Trust no size the archive declares: count what inflates.
    let mut text = String::new();
    entry
        .take(MAX_PART_BYTES + 1)
        .read_to_string(&mut text)
        .map_err(|err| ReadError::Failed(format!("{name} cannot be inflated: {err}")))?;
    if text.len() as u64 > MAX_PART_BYTES {
        return Err(ReadError::Failed(format!(
            "{name} inflates past {} MiB (zip bomb?): not read",
            MAX_PART_BYTES >> 20
        )));
    }
    Ok(Some(text))
}

/// Title, author and creation date from `docProps/core.xml`.
fn apply_core_properties(core: &Document, doc: &mut ReadDocument) {
    for node in core.root_element().children().filter(Node::is_element) {
        let text = normalise_whitespace(node.text().unwrap_or(""));
        if text.is_empty() {
            continue;
        }
        match node.tag_name().name() {
            "title" => doc.title = text,
            "creator" => doc.author = Some(text),
            "created" => doc.published = parse_rfc3339(&text),
            _ => {}
        }
    }
}

/// One paragraph or table row of the body.
struct Block {
    text: String,
    heading: bool,
}

/// The body's blocks in order: a paragraph each, a table row each.
fn body_blocks(document: &Document) -> Vec<Block> {
    let mut blocks = Vec::new();
    if let Some(body) = document.root_element().children().find(|n| is_word(n, "body")) {
        collect_blocks(body, &mut blocks);
    }
    blocks
}

fn collect_blocks(parent: Node, blocks: &mut Vec<Block>) {
    for node in parent.children().filter(Node::is_element) {
        if is_word(&node, "p") {
            let text = normalise_whitespace(&paragraph_text(node));
            if !text.is_empty() {
                blocks.push(Block { text, heading: is_heading(node) });
            }
        } else if is_word(&node, "tr") {
            let cells: Vec<String> = node
                .children()
                .filter(|cell| is_word(cell, "tc"))
                .map(|cell| normalise_whitespace(&paragraph_text(cell)))
                .filter(|text| !text.is_empty())
                .collect();
            if !cells.is_empty() {
                blocks.push(Block { text: cells.join(" | "), heading: false });
            }
        } else {
            // Tables, content controls (`w:sdt`), inserted revisions: look inside.
            collect_blocks(node, blocks);
        }
    }
}

/// The visible text under `node`: `w:t` runs as written, tabs and breaks as
/// spaces; deleted revisions (`w:delText`) and field codes are not text.
fn paragraph_text(node: Node) -> String {
    let mut text = String::new();
    for child in node.descendants().filter(Node::is_element) {
        if child.tag_name().namespace() != Some(WORD_NS) {
            continue;
        }
        match child.tag_name().name() {
            "t" => text.push_str(child.text().unwrap_or("")),
            "tab" | "br" | "cr" => text.push(' '),
            // Paragraphs inside one table cell.
            "p" if child != node && !text.is_empty() => text.push(' '),
            _ => {}
        }
    }
    text
}

/// A `Title` or `HeadingN` style, or an outline level: what Word shows in the
/// navigation pane.
fn is_heading(paragraph: Node) -> bool {
    let Some(properties) = paragraph.children().find(|n| is_word(n, "pPr")) else {
        return false;
    };
    properties.children().any(|n| {
        (is_word(&n, "pStyle")
            && n.attribute((WORD_NS, "val"))
                .is_some_and(|style| style == "Title" || style.starts_with("Heading")))
            || is_word(&n, "outlineLvl")
    })
}

fn is_word(node: &Node, name: &str) -> bool {
    node.is_element()
        && node.tag_name().name() == name
        && node.tag_name().namespace() == Some(WORD_NS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::test_data;

    fn texts(doc: &ReadDocument) -> Vec<&str> {
        doc.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn reads_runs_with_their_spaces_tables_per_row_and_core_properties() {
        let docs = read(&test_data("memo.docx")).unwrap();
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!(doc.title, "Port tender memo");
        assert_eq!(doc.author.as_deref(), Some("Viktor Brandt"));
        assert_eq!(doc.published.map(|d| d.unix_timestamp()), Some(1_709_631_000));
        assert_eq!(
            texts(doc),
            [
                // The first heading stays in the body when the properties name the title.
                "Memo on the port tender",
                "The contract was listed as Viktor Brandt's responsibility until May.",
                "Bids arrived from three companies; the quillwort bid was the lowest.",
                "Bidder | Amount",
                "Quillwort Ltd | 4.2 million",
                "Second line after a tab.",
            ]
        );
        assert!(doc.paragraphs.iter().all(|p| p.location == Location::Document));
    }

    #[test]
    fn title_falls_back_to_the_first_heading() {
        let docs = read(&test_data("untitled.docx")).unwrap();
        assert_eq!(docs[0].title, "Heading from the body");
        assert_eq!(texts(&docs[0]), ["Body text."]);
    }

    #[test]
    fn a_file_that_is_not_a_zip_is_a_clear_failure() {
        let err = read(&test_data("not-a-zip.docx")).unwrap_err();
        assert!(matches!(&err, ReadError::Failed(why) if why.starts_with("not a DOCX")), "{err}");
    }

    #[test]
    fn a_truncated_docx_fails() {
        assert!(matches!(read(&test_data("truncated.docx")), Err(ReadError::Failed(_))));
    }

    #[test]
    fn a_zip_bomb_stops_at_the_cap() {
        let err = read(&test_data("bomb.docx")).unwrap_err();
        assert!(err.to_string().contains("zip bomb"), "{err}");
    }
}
