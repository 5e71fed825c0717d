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
    pub numbers: Vec<numbers::NumberMention>,
}

/// Annotations for each paragraph of `doc`, in order (the title included).
pub fn annotate(doc: &Document) -> Vec<Annotations> {
    let texts: Vec<&str> = doc.paragraphs.iter().map(|p| p.text.as_str()).collect();
    let entities = entities::extract_document(&texts);
    let dates = dates::extract_document(&texts);
    texts
        .iter()
        .zip(entities)
        .zip(dates)
        .map(|((text, entities), dates)| Annotations {
            entities,
            dates,
            numbers: numbers::numbers(text),
        })
        .collect()
}
