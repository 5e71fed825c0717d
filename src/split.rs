//! Splits the text of one file into its title and paragraphs.
//!
//! The first non-empty line is the title (paragraph 0). Blank lines separate
//! blocks. Inside a block, lines that end at sentence ends are paragraphs of
//! their own (some sources put one paragraph per line), while hard-wrapped
//! prose (lines broken mid-sentence at a fixed width) is joined back. Pure: no
//! I/O, no tantivy.

use std::ops::Range;

/// Longest paragraph, in bytes: a longer one (a file that is one enormous
/// line, a table dumped without breaks) is cut into pieces of at most this
/// size, at a sentence end when there is one. A passage that size is already
/// more than anyone reads as a search hit, and the extractors' memory grows
/// with the longest paragraph.
pub(crate) const MAX_PARAGRAPH_BYTES: usize = 64 * 1024;

/// One passage of a file: the unit lede indexes and returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Paragraph {
    /// 0 for the title, then 1, 2, … in file order.
    pub number: u32,
    /// First line of the paragraph in the file, 1-based.
    pub line: u32,
    /// Byte range of the paragraph in the file's text.
    pub range: Range<usize>,
    /// The paragraph text; wrapped lines are joined with single spaces.
    pub text: String,
    /// Page of a paged format (PDF), 1-based; `line` is then 0.
    pub page: Option<u32>,
}

/// A file split into paragraphs; `paragraphs[0]` is the title when there is one.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Document {
    pub title: String,
    pub paragraphs: Vec<Paragraph>,
    /// What follows `#` in the document's address when its file holds
    /// several (see [`crate::read::ReadDocument::part`]).
    pub part: Option<String>,
    /// Publication date, when the file's reader found one.
    pub published: Option<time::OffsetDateTime>,
}

/// A line of the file without its terminator.
#[derive(Clone, Copy, Debug)]
struct Line<'a> {
    number: u32,
    start: usize,
    text: &'a str,
}

impl Line<'_> {
    fn end(&self) -> usize {
        self.start + self.text.len()
    }
}

/// Splits `text` into a [`Document`].
pub(crate) fn split(text: &str) -> Document {
    let lines = lines(text);
    let mut doc = Document::default();
    let mut blocks: Vec<Vec<Line>> = Vec::new();
    let mut current: Vec<Line> = Vec::new();
    for line in lines {
        if line.text.trim().is_empty() {
            if !current.is_empty() {
                blocks.push(std::mem::take(&mut current));
            }
        } else {
            current.push(line);
        }
    }
    if !current.is_empty() {
        blocks.push(current);
    }
    let mut blocks = blocks.into_iter();
    let Some(mut first) = blocks.next() else {
        return doc;
    };
    let title_line = first.remove(0);
    let mut title = paragraph(0, &[title_line]);
    title.text = title_text(&title.text);
    let rest = if first.is_empty() { None } else { Some(first) };
    let body = rest.into_iter().chain(blocks);
    let paragraphs = std::iter::once(title)
        .chain(body.flat_map(|block| {
            paragraphs_of_block(&block)
                .into_iter()
                .map(|group| paragraph(0, group))
                .collect::<Vec<_>>()
        }))
        .flat_map(cut_if_too_long);
    for mut paragraph in paragraphs {
        paragraph.number = doc.paragraphs.len() as u32;
        doc.paragraphs.push(paragraph);
    }
    doc.title = doc.paragraphs[0].text.clone();
    doc
}

/// `paragraph` as pieces of at most [`MAX_PARAGRAPH_BYTES`], each ending at
/// the last sentence end (else the last space) that fits; one piece when it
/// is short enough. Pieces keep the paragraph's line.
pub(crate) fn cut_if_too_long(paragraph: Paragraph) -> Vec<Paragraph> {
    if paragraph.text.len() <= MAX_PARAGRAPH_BYTES {
        return vec![paragraph];
    }
    let mut pieces = Vec::new();
    let mut rest = paragraph.text.as_str();
    let mut offset = 0;
    while !rest.is_empty() {
        let cut = if rest.len() <= MAX_PARAGRAPH_BYTES { rest.len() } else { cut_point(rest) };
        let piece = rest[..cut].trim();
        if !piece.is_empty() {
            let start = (paragraph.range.start + offset).min(paragraph.range.end);
            let end = (paragraph.range.start + offset + cut).min(paragraph.range.end);
            pieces.push(Paragraph {
                number: paragraph.number,
                line: paragraph.line,
                range: start..end,
                text: piece.to_string(),
                page: paragraph.page,
            });
        }
        rest = &rest[cut..];
        offset += cut;
    }
    pieces
}

/// Where to end a piece of `text` (longer than [`MAX_PARAGRAPH_BYTES`]): after
/// the last `. `, `! ` or `? ` in the second half of the window, else at its
/// last space, else at the last character boundary that fits.
fn cut_point(text: &str) -> usize {
    let mut limit = MAX_PARAGRAPH_BYTES;
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    let window = &text[..limit];
    let half = limit / 2;
    let sentence_end = window.rmatch_indices([' ']).find_map(|(at, _)| {
        (at > half && window[..at].ends_with(['.', '!', '?'])).then_some(at + 1)
    });
    sentence_end
        .or_else(|| window.rfind(' ').filter(|&at| at > 0).map(|at| at + 1))
        .unwrap_or(limit)
}

/// Lines with their byte offsets; `\n` and `\r\n` both end a line.
fn lines(text: &str) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, raw) in text.split('\n').enumerate() {
        let line = raw.strip_suffix('\r').unwrap_or(raw);
        out.push(Line { number: i as u32 + 1, start, text: line });
        start += raw.len() + 1;
    }
    out
}

/// The title without Markdown heading marks (`# `, `## `) and surrounding
/// space: a search hit shows it as the file's headline, and `export`
/// recovers it from the stored paragraph 0.
pub(crate) fn title_text(line: &str) -> String {
    let trimmed = line.trim();
    let unmarked = trimmed.trim_start_matches('#');
    if unmarked.len() < trimmed.len() && unmarked.starts_with(' ') {
        unmarked.trim().to_string()
    } else {
        trimmed.to_string()
    }
}

/// Groups the lines of one block into paragraphs.
fn paragraphs_of_block<'b, 'a>(block: &'b [Line<'a>]) -> Vec<&'b [Line<'a>]> {
    if block.len() < 2 || is_line_per_paragraph(block) {
        return block.chunks(1).collect();
    }
    // Hard-wrapped prose: a short line ending a sentence closes a paragraph.
    let width = block.iter().map(|l| l.text.trim_end().chars().count()).max().unwrap_or(0);
    let mut groups = Vec::new();
    let mut start = 0;
    for (i, line) in block.iter().enumerate() {
        let len = line.text.trim_end().chars().count();
        let last = i + 1 == block.len();
        if last || (ends_sentence(line.text) && len * 4 < width * 3) {
            groups.push(&block[start..=i]);
            start = i + 1;
        }
    }
    groups
}

/// True when most line breaks in the block fall at sentence ends, so each
/// line is a paragraph rather than a wrapped piece of one.
fn is_line_per_paragraph(block: &[Line]) -> bool {
    let breaks = &block[..block.len() - 1];
    let at_sentence_end = breaks.iter().filter(|l| ends_sentence(l.text)).count();
    at_sentence_end * 2 >= breaks.len()
}

/// Whether a line ends a sentence, looking through closing quotes and brackets.
fn ends_sentence(line: &str) -> bool {
    let trimmed = line.trim_end().trim_end_matches(['"', '\'', '’', '”', '»', ')', ']', '*', '_']);
    trimmed.ends_with(['.', '!', '?', '…', ':', ';'])
}

fn paragraph(number: u32, lines: &[Line]) -> Paragraph {
    let first = lines[0];
    let last = lines[lines.len() - 1];
    let mut text = String::with_capacity(last.end() - first.start);
    for line in lines {
        if !text.is_empty() {
            text.push(' ');
        }
        text.push_str(line.text.trim());
    }
    Paragraph { number, line: first.number, range: first.start..last.end(), text, page: None }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(doc: &Document) -> Vec<&str> {
        doc.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn an_enormous_line_is_cut_into_pieces_at_sentence_ends() {
        let sentence = "The harbour froze overnight and the ferries stayed in port. ";
        let text = sentence.repeat(3 * MAX_PARAGRAPH_BYTES / sentence.len());
        let doc = split(&text);
        assert!(doc.paragraphs.len() >= 3, "{}", doc.paragraphs.len());
        for p in &doc.paragraphs {
            assert!(p.text.len() <= MAX_PARAGRAPH_BYTES);
            assert!(p.text.ends_with('.'), "{}", &p.text[p.text.len() - 20..]);
            assert_eq!(p.line, 1);
        }
        let joined: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(joined.join(" "), text.trim_end());
        assert_eq!(doc.title, doc.paragraphs[0].text);
    }

    #[test]
    fn a_long_word_run_without_spaces_is_cut_at_a_character_boundary() {
        let text = "Title\n\n".to_string() + &"é".repeat(MAX_PARAGRAPH_BYTES);
        let doc = split(&text);
        assert_eq!(doc.paragraphs.len(), 3);
        assert!(doc.paragraphs.iter().all(|p| p.text.len() <= MAX_PARAGRAPH_BYTES));
    }

    #[test]
    fn a_markdown_title_loses_its_heading_mark_everywhere() {
        let doc = split("# Floods in Valencia\n\nThe river rose.\n");
        assert_eq!(doc.title, "Floods in Valencia");
        assert_eq!(doc.paragraphs[0].text, "Floods in Valencia");
    }

    #[test]
    fn title_then_blank_line_separated_paragraphs() {
        let doc = split("Headline here\n\nFirst para.\n\nSecond para.\n");
        assert_eq!(doc.title, "Headline here");
        assert_eq!(texts(&doc), ["Headline here", "First para.", "Second para."]);
        let lines: Vec<u32> = doc.paragraphs.iter().map(|p| p.line).collect();
        assert_eq!(lines, [1, 3, 5]);
        let numbers: Vec<u32> = doc.paragraphs.iter().map(|p| p.number).collect();
        assert_eq!(numbers, [0, 1, 2]);
    }

    #[test]
    fn one_paragraph_per_line_when_lines_end_sentences() {
        let doc = split("Title\nA subheading\nOne sentence. Two.\nThree sentences: \u{201c}quoted.\u{201d}\nLast\n");
        assert_eq!(
            texts(&doc),
            [
                "Title",
                "A subheading",
                "One sentence. Two.",
                "Three sentences: \u{201c}quoted.\u{201d}",
                "Last"
            ]
        );
        assert_eq!(doc.paragraphs[2].line, 3);
    }

    #[test]
    fn hard_wrapped_prose_is_joined() {
        let text = "Title\n\nThe quick brown fox jumps over the lazy dog and\nkeeps running through the field until it reaches\nthe river.\nA new paragraph starts here and it goes on for a\nwhile longer.\n";
        let doc = split(text);
        assert_eq!(
            texts(&doc),
            [
                "Title",
                "The quick brown fox jumps over the lazy dog and keeps running through the field until it reaches the river.",
                "A new paragraph starts here and it goes on for a while longer."
            ]
        );
        assert_eq!(doc.paragraphs[1].line, 3);
        assert_eq!(doc.paragraphs[2].line, 6);
        let p = &doc.paragraphs[1];
        assert!(
            text[p.range.clone()].starts_with("The quick")
                && text[p.range.clone()].ends_with("river.")
        );
    }

    #[test]
    fn crlf_and_whitespace_only_lines() {
        let text = "Title\r\n \t \r\nBody one.\r\n\r\n\r\nBody two.\r\n";
        let doc = split(text);
        assert_eq!(texts(&doc), ["Title", "Body one.", "Body two."]);
        assert_eq!(doc.paragraphs[2].line, 6);
        assert_eq!(&text[doc.paragraphs[1].range.clone()], "Body one.");
    }

    #[test]
    fn leading_blank_lines_and_markdown_title() {
        let doc = split("\n\n# A *Markdown* title\n\nText.");
        assert_eq!(doc.title, "A *Markdown* title");
        assert_eq!(doc.paragraphs[0].line, 3);
        assert_eq!(texts(&doc)[1], "Text.");
    }

    #[test]
    fn empty_and_blank_files_have_no_paragraphs() {
        assert!(split("").paragraphs.is_empty());
        assert!(split(" \n\t\n").paragraphs.is_empty());
    }

    #[test]
    fn bundled_one_paragraph_per_line_file() {
        let text = include_str!("../data/corpus/004_14779f4508bfdd0b.txt");
        let doc = split(text);
        assert!(doc.title.starts_with("As North Korean Troops Prepare"));
        assert_eq!(doc.paragraphs[1].text, "A special military response");
        let special =
            doc.paragraphs.iter().find(|p| p.text.contains("1,500 special forces")).unwrap();
        assert!(special.text.starts_with("North Korea has shipped"));
        assert_eq!(text.lines().nth(special.line as usize - 1).unwrap(), special.text);
    }
}
