//! Pure extraction of annotations from paragraph text: entities, dates and
//! numbers. Nothing here does I/O at call time or knows about tantivy.
//!
//! [`annotate`] is what the indexer calls: it runs every extractor over the
//! paragraphs of one document, so document-level context (a dateline, an
//! alias introduced earlier) is shared across paragraphs.

pub mod dates;
pub mod entities;
pub mod numbers;

use crate::split::Document;

/// Everything extracted from one paragraph.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Annotations {
    pub entities: Vec<entities::EntityMention>,
    pub dates: Vec<dates::DateMention>,
}

/// Which extractors run. All of them normally; turning some off is for
/// measuring what each costs (`lede index --extract`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Extractors {
    pub entities: bool,
    pub dates: bool,
}

impl Default for Extractors {
    fn default() -> Extractors {
        Extractors { entities: true, dates: true }
    }
}

/// Annotations for each paragraph of `doc`, in order (the title included).
pub fn annotate(doc: &Document) -> Vec<Annotations> {
    annotate_with(doc, Extractors::default())
}

/// [`annotate`] with only the chosen extractors. (Numbers are not
/// extracted here: the analysers make each one a single term.)
pub fn annotate_with(doc: &Document, extractors: Extractors) -> Vec<Annotations> {
    let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let entities = if extractors.entities {
        entities::extract_document(&texts)
    } else {
        vec![Vec::new(); texts.len()]
    };
    let dates = if extractors.dates {
        dates::extract_document_published(&texts, doc.published.map(|p| p.date()))
    } else {
        vec![Vec::new(); texts.len()]
    };
    entities
        .into_iter()
        .zip(dates)
        .map(|(entities, dates)| Annotations { entities, dates })
        .collect()
}
