//! Stand-ins for the text and HTML readers, for the formats that embed text
//! or HTML (e-mail bodies and attachments, WARC payloads).
//!
//! TODO(read-core): once `read::html` and `read::text` land, call them from
//! `mail` and `warc` and delete this module. Until then HTML is read the
//! simple way: tags stripped, `<script>`/`<style>` dropped, a paragraph per
//! block element, entities decoded; no main-text extraction.

use super::{normalise_whitespace, Location, ReadDocument, ReadParagraph};

/// Plain text as paragraphs: blank lines separate them, hard-wrapped lines
/// inside one are joined.
pub(crate) fn text_paragraphs(text: &str) -> Vec<ReadParagraph> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(normalise_whitespace)
        .filter(|paragraph| !paragraph.is_empty())
        .map(|text| ReadParagraph { text, location: Location::Document })
        .collect()
}

/// Elements that end a paragraph.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "ul",
    "ol",
    "tr",
    "table",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "nav",
    "aside",
    "dd",
    "dt",
    "figcaption",
    "hr",
    "title",
    "body",
    "form",
];

/// Elements whose content is never text.
const HIDDEN: &[&str] = &["script", "style", "noscript", "template", "svg", "head"];

/// An HTML page as a document: `<title>` (else the first `<h1>`) and a
/// paragraph per block element.
pub(crate) fn html_document(html: &str) -> ReadDocument {
    let mut doc = ReadDocument::default();
    let mut title = String::new();
    let mut first_h1 = None;
    let mut current = String::new();
    let mut hidden_until: Option<String> = None;
    let mut in_title = false;
    let mut in_h1 = false;
    let mut rest = html;
    while !rest.is_empty() {
        let Some(open) = rest.find('<') else {
            push_text(rest, &mut current, &mut title, in_title, hidden_until.is_some());
            break;
        };
        push_text(&rest[..open], &mut current, &mut title, in_title, hidden_until.is_some());
        rest = &rest[open..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(close) = rest.find('>') else { break };
        let tag = &rest[1..close];
        rest = &rest[close + 1..];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_lowercase())
            .collect();
        if let Some(hidden) = &hidden_until {
            if closing && *hidden == name {
                hidden_until = None;
            }
            if name != "title" {
                continue;
            }
        }
        if !closing && HIDDEN.contains(&name.as_str()) && !tag.ends_with('/') {
            hidden_until = Some(name.clone());
        }
        match name.as_str() {
            "title" => in_title = !closing,
            "h1" => {
                if closing && in_h1 && first_h1.is_none() {
                    first_h1 = Some(normalise_whitespace(&current));
                }
                in_h1 = !closing;
            }
            _ => {}
        }
        if BLOCKS.contains(&name.as_str()) || name == "td" || name == "th" {
            if name == "td" || name == "th" {
                current.push(' ');
            } else {
                end_paragraph(&mut current, &mut doc.paragraphs);
            }
        }
    }
    end_paragraph(&mut current, &mut doc.paragraphs);
    doc.title = normalise_whitespace(&title);
    if doc.title.is_empty() {
        // The heading stays in the text too: it may be all a mail body has.
        doc.title = first_h1.unwrap_or_default();
    } else if doc.paragraphs.first().is_some_and(|first| first.text == doc.title) {
        doc.paragraphs.remove(0);
    }
    doc
}

fn push_text(raw: &str, current: &mut String, title: &mut String, in_title: bool, hidden: bool) {
    if in_title {
        title.push_str(&decode_entities(raw));
    } else if !hidden {
        current.push_str(&decode_entities(raw));
    }
}

fn end_paragraph(current: &mut String, paragraphs: &mut Vec<ReadParagraph>) {
    let text = normalise_whitespace(current);
    current.clear();
    if !text.is_empty() {
        paragraphs.push(ReadParagraph { text, location: Location::Document });
    }
}

/// Named entities that news pages use, and every numeric one.
fn decode_entities(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        rest = &rest[amp..];
        let decoded = rest.find(';').filter(|&end| end <= 10).and_then(|end| {
            let name = &rest[1..end];
            let ch = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "mdash" => Some('—'),
                "ndash" => Some('–'),
                "hellip" => Some('…'),
                "rsquo" => Some('’'),
                "lsquo" => Some('‘'),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                _ => name.strip_prefix('#').and_then(|number| {
                    let code = match number.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => number.parse().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            ch.map(|ch| (ch, end))
        });
        match decoded {
            Some((ch, end)) => {
                out.push(ch);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(paragraphs: &[ReadParagraph]) -> Vec<&str> {
        paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn html_blocks_become_paragraphs_without_scripts_or_styles() {
        let doc = html_document(
            "<html><head><title>A &amp; B</title><style>p{}</style></head><body>\
             <h1>Heading</h1><p>One <b>bold</b>&nbsp;word &#8212; &#x41;.</p>\
             <script>var x = '<p>no</p>';</script><!-- <p>hidden</p> -->\
             <table><tr><td>a</td><td>b</td></tr></table></body></html>",
        );
        assert_eq!(doc.title, "A & B");
        assert_eq!(texts(&doc.paragraphs), ["Heading", "One bold word — A.", "a b"]);
    }

    #[test]
    fn title_falls_back_to_h1() {
        let doc = html_document("<h1>Only heading</h1><p>Body</p>");
        assert_eq!(doc.title, "Only heading");
        assert_eq!(texts(&doc.paragraphs), ["Only heading", "Body"]);
    }

    #[test]
    fn text_paragraphs_join_wrapped_lines() {
        let paragraphs = text_paragraphs("Hello,\r\n\r\nthe first\nparagraph.\n\n\nSecond.\n");
        assert_eq!(texts(&paragraphs), ["Hello,", "the first paragraph.", "Second."]);
    }
}
