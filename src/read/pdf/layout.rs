//! Positioned glyphs → paragraphs in reading order.
//!
//! Glyphs on one baseline become lines; a page whose lines leave a vertical
//! gutter in its middle third is read as two columns (lines crossing the
//! gutter, such as a title, are read where they stand); lines repeated at the
//! top or bottom of most pages (running headers, "Page 3 of 9") are dropped;
//! consecutive lines are joined into a paragraph until a larger gap, a change
//! of size or a short line ending a sentence, and a word hyphenated at a line
//! end is put back together. Text is NFKC-normalised, which turns ligature
//! glyphs (`ﬁ`) into letters.

use std::collections::HashMap;

use unicode_normalization::UnicodeNormalization;

use crate::read::{normalise_whitespace, Location, ReadParagraph};

/// One decoded glyph, in points from the page's top-left corner.
pub(super) struct Glyph {
    pub x: f64,
    pub y: f64,
    pub end: f64,
    pub size: f64,
    pub text: String,
}

pub(super) struct PageGlyphs {
    pub number: u32,
    pub width: f64,
    pub height: f64,
    pub glyphs: Vec<Glyph>,
}

/// The paragraphs of a document, and which of them is set as a heading
/// larger than the body on the first page (the title when the metadata has
/// none).
pub(super) struct LaidOut {
    pub paragraphs: Vec<ReadParagraph>,
    pub heading: Option<usize>,
}

/// A run of glyphs on one baseline.
#[derive(Clone, Debug)]
struct Line {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
}

/// Lines in reading order, each with the block (column or section) it
/// belongs to: paragraphs never continue across blocks.
struct Flow {
    page: u32,
    block: usize,
    line: Line,
}

/// Share of the page height, at its top and bottom, where running headers
/// and footers stand.
const MARGIN_ZONE: f64 = 0.12;

pub(super) fn paragraphs(pages: &[PageGlyphs]) -> LaidOut {
    let mut page_lines: Vec<Vec<Line>> = pages.iter().map(|page| lines(&page.glyphs)).collect();
    drop_running_lines(pages, &mut page_lines);

    let mut flow = Vec::new();
    let mut block = 0;
    for (page, lines) in pages.iter().zip(page_lines) {
        for section in reading_order(page.width, lines) {
            block += 1;
            flow.extend(section.into_iter().map(|line| Flow { page: page.number, block, line }));
        }
    }
    join_paragraphs(&flow)
}

/// Groups glyphs into lines: a glyph off the current baseline, or far from
/// the line's end, starts a new one.
fn lines(glyphs: &[Glyph]) -> Vec<Line> {
    let mut lines: Vec<Line> = Vec::new();
    for glyph in glyphs {
        let size = glyph.size.max(1.0);
        let continues = lines.last().is_some_and(|line| {
            (glyph.y - line.y).abs() < 0.5 * size
                && glyph.x > line.x1 - 0.5 * size
                && glyph.x < line.x1 + 2.5 * size
        });
        if !continues {
            if glyph.text.trim().is_empty() {
                continue;
            }
            lines.push(Line {
                x0: glyph.x,
                x1: glyph.end,
                y: glyph.y,
                size: glyph.size,
                text: String::new(),
            });
        }
        let Some(line) = lines.last_mut() else { continue };
        let gap = glyph.x - line.x1;
        if continues && gap > 0.15 * size && !line.text.ends_with(' ') && glyph.text != " " {
            line.text.push(' ');
        }
        line.text.push_str(&glyph.text);
        line.x1 = line.x1.max(glyph.end);
        line.size = line.size.max(glyph.size);
    }
    for line in &mut lines {
        line.text = normalise_whitespace(&line.text.nfkc().collect::<String>());
    }
    lines.retain(|line| !line.text.is_empty());
    lines
}

/// Drops lines in the top or bottom margin that recur (digits aside) on at
/// least half of the pages, and bare page numbers there.
fn drop_running_lines(pages: &[PageGlyphs], page_lines: &mut [Vec<Line>]) {
    let in_margin = |page: &PageGlyphs, line: &Line| {
        line.y < page.height * MARGIN_ZONE || line.y > page.height * (1.0 - MARGIN_ZONE)
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (page, lines) in pages.iter().zip(page_lines.iter()) {
        let mut keys: Vec<String> = lines
            .iter()
            .filter(|line| in_margin(page, line))
            .map(|line| running_key(&line.text))
            .collect();
        keys.sort();
        keys.dedup();
        for key in keys {
            *seen.entry(key).or_default() += 1;
        }
    }
    let needed = pages.len().div_ceil(2).max(2);
    for (page, lines) in pages.iter().zip(page_lines.iter_mut()) {
        lines.retain(|line| {
            let key = running_key(&line.text);
            let bare_number = key.chars().all(|c| c == '#' || c == ' ');
            !(in_margin(page, line)
                && (bare_number || seen.get(&key).copied().unwrap_or(0) >= needed))
        });
    }
}

/// A line with its digits masked, so "Page 3" and "Page 4" are one header.
fn running_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_digit() {
            if !key.ends_with('#') {
                key.push('#');
            }
        } else {
            key.extend(c.to_lowercase());
        }
    }
    key
}

/// The page's lines as blocks in reading order: top to bottom, and on a
/// two-column page the left column of each stretch before its right one.
fn reading_order(width: f64, mut lines: Vec<Line>) -> Vec<Vec<Line>> {
    lines.sort_by(|a, b| a.y.total_cmp(&b.y).then(a.x0.total_cmp(&b.x0)));
    let Some(gutter) = gutter(width, &lines) else {
        return vec![lines];
    };
    let mut blocks = Vec::new();
    let (mut left, mut right) = (Vec::new(), Vec::new());
    for line in lines {
        if line.x1 <= gutter {
            left.push(line);
        } else if line.x0 >= gutter {
            right.push(line);
        } else {
            // A line across the gutter ends the stretch of columns above it.
            for column in [std::mem::take(&mut left), std::mem::take(&mut right)] {
                if !column.is_empty() {
                    blocks.push(column);
                }
            }
            blocks.push(vec![line]);
        }
    }
    blocks.extend([left, right].into_iter().filter(|column| !column.is_empty()));
    blocks
}

/// An x position in the middle third of the page that few lines cross, with
/// several lines wholly on each side of it.
fn gutter(width: f64, lines: &[Line]) -> Option<f64> {
    let (from, to) = (width / 3.0, 2.0 * width / 3.0);
    let mut best: Option<(usize, f64)> = None;
    let mut x = from;
    while x <= to {
        let crossing = lines.iter().filter(|line| line.x0 < x && line.x1 > x).count();
        if best.is_none_or(|(fewest, _)| crossing < fewest) {
            best = Some((crossing, x));
        }
        x += 2.0;
    }
    let (crossing, x) = best?;
    let left = lines.iter().filter(|line| line.x1 <= x).count();
    let right = lines.iter().filter(|line| line.x0 >= x).count();
    (crossing * 5 <= lines.len() && left >= 3 && right >= 3).then_some(x)
}

/// Joins the flow's lines into paragraphs.
fn join_paragraphs(flow: &[Flow]) -> LaidOut {
    let pitch = typical_pitch(flow);
    let body_size = typical_size(flow);
    let mut paragraphs: Vec<ReadParagraph> = Vec::new();
    let mut heading = None;
    let mut block_right: HashMap<usize, f64> = HashMap::new();
    let mut block_left: HashMap<usize, f64> = HashMap::new();
    for item in flow {
        let right = block_right.entry(item.block).or_insert(f64::MIN);
        *right = right.max(item.line.x1);
        let left = block_left.entry(item.block).or_insert(f64::MAX);
        *left = left.min(item.line.x0);
    }
    for (index, item) in flow.iter().enumerate() {
        let line = &item.line;
        let starts_paragraph = match index.checked_sub(1).map(|i| &flow[i]) {
            None => true,
            Some(previous) => {
                let prev = &previous.line;
                let width = block_right[&previous.block] - block_left[&previous.block];
                let short = prev.x1 < block_right[&previous.block] - 0.25 * width;
                previous.block != item.block
                    || line.y - prev.y > 1.6 * pitch.max(prev.size)
                    || (line.size - prev.size).abs() > 1.0
                    || (short && ends_sentence(&prev.text))
            }
        };
        if starts_paragraph {
            if heading.is_none() && item.page == 1 && line.size > 1.2 * body_size {
                heading = Some(paragraphs.len());
            }
            paragraphs.push(ReadParagraph {
                text: line.text.clone(),
                location: Location::Page(item.page),
            });
        } else if let Some(paragraph) = paragraphs.last_mut() {
            append_line(&mut paragraph.text, &line.text);
        }
    }
    LaidOut { paragraphs, heading }
}

/// Appends a wrapped line, undoing a hyphen that split a word.
fn append_line(paragraph: &mut String, line: &str) {
    let next_is_lower = line.chars().next().is_some_and(char::is_lowercase);
    let mut chars = paragraph.chars().rev();
    let (last, before) = (chars.next(), chars.next());
    match (last, before) {
        (Some('\u{ad}'), _) => {
            paragraph.pop();
        }
        // "in-" + "adequately": one word; "north-" + "East": a compound.
        (Some('-'), Some(letter)) if letter.is_alphabetic() => {
            if next_is_lower {
                paragraph.pop();
            }
        }
        _ => paragraph.push(' '),
    }
    paragraph.push_str(line);
}

fn ends_sentence(text: &str) -> bool {
    text.trim_end_matches(['"', '\'', '”', '’', ')']).ends_with(['.', '!', '?', ':'])
}

/// The most common distance between consecutive lines of a block.
fn typical_pitch(flow: &[Flow]) -> f64 {
    let pitches = flow
        .windows(2)
        .filter(|pair| pair[0].block == pair[1].block)
        .map(|pair| pair[1].line.y - pair[0].line.y);
    most_common(pitches).unwrap_or(12.0)
}

/// The most common line size, weighted by the text it carries.
fn typical_size(flow: &[Flow]) -> f64 {
    let sizes =
        flow.iter().flat_map(|item| std::iter::repeat_n(item.line.size, item.line.text.len()));
    most_common(sizes).unwrap_or(10.0)
}

/// The mode of positive values, in steps of a tenth of a point.
fn most_common(values: impl Iterator<Item = f64>) -> Option<f64> {
    let mut counts: HashMap<i64, usize> = HashMap::new();
    for value in values.filter(|v| *v > 0.0) {
        *counts.entry((value * 10.0).round() as i64).or_default() += 1;
    }
    counts
        .into_iter()
        .max_by_key(|&(value, count)| (count, -value))
        .map(|(value, _)| value as f64 / 10.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hyphens_join_only_words_split_at_the_line_end() {
        let mut text = "pumping stations were in-".to_owned();
        append_line(&mut text, "adequately kept");
        assert_eq!(text, "pumping stations were inadequately kept");
        let mut text = "the north-".to_owned();
        append_line(&mut text, "East wind");
        assert_eq!(text, "the north-East wind");
        let mut text = "a dash -".to_owned();
        append_line(&mut text, "then more");
        assert_eq!(text, "a dash - then more");
    }

    #[test]
    fn running_keys_ignore_page_numbers() {
        assert_eq!(running_key("Page 3 of 12"), running_key("page 11 of 12"));
        assert_ne!(running_key("Annual report"), running_key("Annual review"));
    }
}
