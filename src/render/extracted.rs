//! `lede extract` output: each document a reader found, with the paragraph
//! numbers, locations and languages the index would give it (worked out in
//! [`crate::index::preview`]).

use std::io::{self, Write};

use serde::Serialize;

use crate::index::preview::Preview;
use crate::read::Format;
use crate::split::Paragraph;

/// One document as a JSON line.
#[derive(Serialize)]
struct JsonDocument<'a> {
    path: String,
    format: &'static str,
    title: &'a str,
    published: Option<String>,
    lang: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    author: Option<&'a str>,
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    meta: &'a [(String, String)],
    #[serde(skip_serializing_if = "<[_]>::is_empty")]
    notes: &'a [String],
    paragraphs: Vec<JsonParagraph<'a>>,
}

#[derive(Serialize)]
struct JsonParagraph<'a> {
    para: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    lang: &'static str,
    text: &'a str,
}

/// Writes the documents of one file, read as `format`.
pub(crate) fn write<W: Write>(
    out: &mut W,
    format: Format,
    previews: &[Preview],
    json: bool,
) -> io::Result<()> {
    for preview in previews {
        let document = preview.read;
        let doc = &preview.document;
        let published = document.published.map(|p| p.date().to_string());
        if json {
            let line = JsonDocument {
                path: preview.address.clone(),
                format: format.name(),
                title: &document.title,
                published,
                lang: preview.lang,
                url: document.url.as_deref(),
                author: document.author.as_deref(),
                meta: &document.meta,
                notes: &document.notes,
                paragraphs: doc
                    .paragraphs
                    .iter()
                    .zip(&preview.langs)
                    .map(|(paragraph, lang)| json_paragraph(paragraph, lang))
                    .collect(),
            };
            serde_json::to_writer(&mut *out, &line)?;
            writeln!(out)?;
            continue;
        }
        writeln!(out, "{}  ({})", preview.address, format.name())?;
        writeln!(out, "  title: {}", document.title)?;
        let fields = [
            ("lang", Some(preview.lang.to_string())),
            ("published", published),
            ("url", document.url.clone()),
            ("author", document.author.clone()),
        ];
        for (name, value) in fields.iter().filter_map(|(n, v)| Some((n, v.as_ref()?))) {
            writeln!(out, "  {name}: {value}")?;
        }
        for (name, value) in &document.meta {
            writeln!(out, "  {name}: {value}")?;
        }
        for note in &document.notes {
            writeln!(out, "  note: {note}")?;
        }
        for (paragraph, &para_lang) in doc.paragraphs.iter().zip(&preview.langs) {
            let mut label = location_label(paragraph);
            // Only a paragraph in another language than its document's.
            if para_lang != preview.lang {
                label.push_str(&format!(", {para_lang}"));
            }
            writeln!(out, "  [{label}] {}", paragraph.text)?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn json_paragraph<'a>(paragraph: &'a Paragraph, lang: &'static str) -> JsonParagraph<'a> {
    JsonParagraph {
        para: paragraph.number,
        line: (paragraph.line > 0).then_some(paragraph.line),
        page: paragraph.page,
        lang,
        text: &paragraph.text,
    }
}

/// `3 line 7`, `3 page 2` or `3`: the paragraph number and where it stands.
fn location_label(paragraph: &Paragraph) -> String {
    match super::place(paragraph.line, paragraph.page) {
        Some(place) => format!("{} {place}", paragraph.number),
        None => paragraph.number.to_string(),
    }
}
