//! Reads back the stored paragraphs of one file, in order, with their
//! entities and date mentions: what `lede show` prints around a passage.

use anyhow::Result;
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, TantivyDocument, Term};

use super::columns::RecordColumns;
use super::{first_text, first_u64, page_of, stored_dates, Entities};
use crate::extract::dates::DateMention;
use crate::schema::{Fields, KIND_PARA};

/// One stored paragraph of a file.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Paragraph {
    /// Paragraph number (0 is the title).
    pub para: u32,
    /// First line in the file, 1-based.
    pub line: u32,
    /// Page of a PDF paragraph.
    pub page: Option<u32>,
    pub text: String,
    /// Language detected at indexing (empty when none was).
    pub lang: String,
    pub entities: Entities,
    /// Date mentions as stored (JSON objects).
    pub dates: Vec<DateMention>,
}

/// Every paragraph of the file `doc` (relative to the corpus root), sorted
/// by paragraph number; empty when the index does not hold the file.
pub(crate) fn of_file(searcher: &Searcher, fields: &Fields, doc: &str) -> Result<Vec<Paragraph>> {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
    };
    let query = BooleanQuery::new(vec![
        (Occur::Must, term(fields.path, doc)),
        (Occur::Must, term(fields.kind, KIND_PARA)),
    ]);
    let mut columns = RecordColumns::new(searcher, fields)?;
    let mut paragraphs = Vec::new();
    for address in searcher.search(&query, &DocSetCollector)? {
        let stored: TantivyDocument = searcher.doc(address)?;
        paragraphs.push(Paragraph {
            para: columns.path_para(address)?.1,
            line: first_u64(&stored, fields.line) as u32,
            page: page_of(&stored, fields),
            text: first_text(&stored, fields.text),
            lang: columns.lang(address)?,
            entities: columns.entities(address)?,
            dates: stored_dates(&stored, fields),
        });
    }
    paragraphs.sort_by_key(|p| p.para);
    Ok(paragraphs)
}

/// The paragraph holding `line`: the last one starting at or before it.
pub(crate) fn at_line(paragraphs: &[Paragraph], line: u32) -> Option<&Paragraph> {
    paragraphs.iter().filter(|p| p.line <= line).max_by_key(|p| (p.line, p.para))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn para(para: u32, line: u32) -> Paragraph {
        Paragraph {
            para,
            line,
            page: None,
            text: String::new(),
            lang: String::new(),
            entities: Entities::default(),
            dates: Vec::new(),
        }
    }

    #[test]
    fn a_line_inside_a_paragraph_selects_it() {
        let paragraphs = [para(0, 1), para(1, 3), para(2, 6)];
        assert_eq!(at_line(&paragraphs, 1).unwrap().para, 0);
        assert_eq!(at_line(&paragraphs, 4).unwrap().para, 1);
        assert_eq!(at_line(&paragraphs, 6).unwrap().para, 2);
        assert_eq!(at_line(&paragraphs, 99).unwrap().para, 2);
        assert!(at_line(&paragraphs, 0).is_none());
    }
}
