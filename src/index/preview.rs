//! `lede extract` without an index: each document of a file that was read,
//! as indexing would take it in — its address, its numbered paragraphs and
//! the languages detected for it and for each paragraph.

use super::records::document_address;
use crate::extract::language;
use crate::read::guard::Read;
use crate::read::ReadDocument;
use crate::split::Document;

/// One document of a file, as it would be indexed.
pub(crate) struct Preview<'a> {
    /// `path`, or `path#part` when the file holds several documents.
    pub address: String,
    /// The document as its reader gave it (title, metadata, notes).
    pub read: &'a ReadDocument,
    /// Its paragraphs, numbered as the index numbers them.
    pub document: Document,
    /// The document's language (ISO 639-1).
    pub lang: &'static str,
    /// Each paragraph's language, in order.
    pub langs: Vec<&'static str>,
}

/// The documents of `read`, the file at `path`.
pub(crate) fn preview<'a>(path: &str, read: &'a Read) -> Vec<Preview<'a>> {
    read.documents
        .iter()
        .map(|document| {
            let doc = document.clone().into_document();
            let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
            let lang = language::of_document(&texts);
            let langs = texts.iter().map(|text| language::of_paragraph(text, &lang)).collect();
            Preview {
                address: document_address(path, document.part.as_deref()),
                read: document,
                lang: lang.code,
                langs,
                document: doc,
            }
        })
        .collect()
}
