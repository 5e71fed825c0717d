//! Turns the user's query text and filters into one tantivy query.
//!
//! Words are matched in the stemmed, exact and transliterated text fields. A
//! passage needs at least one of the words, and passages holding all of them
//! come first (a tier of their own, see [`PassageQuery::tiers`]), so short
//! queries behave like AND while a long question still returns its best
//! passages. Headline matches only add to the score of passages that match
//! on their own. Phrases, `-word`, `AND`, `OR` and `field:value` come from
//! tantivy's query grammar.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Term};

use crate::error::Error;
use crate::schema::{Fields, KIND_PARA};

/// Extra weight of the all-words clause relative to the any-word clause.
const ALL_WORDS_BOOST: f32 = 1.5;
/// Weight of headline matches.
const TITLE_BOOST: f32 = 0.3;

/// The query of a search, and how its results are tiered.
pub struct PassageQuery {
    /// Every passage that matches, with its score.
    pub ranked: Box<dyn Query>,
    /// The passages that hold all the words (`None` without query words).
    all_words: Option<Box<dyn Query>>,
}

impl PassageQuery {
    /// The queries to take results from, in order: passages with all the
    /// words, then the others. Scores are those of `ranked` in both.
    pub fn tiers(&self) -> Vec<Box<dyn Query>> {
        let Some(all) = &self.all_words else {
            return vec![self.ranked.box_clone()];
        };
        let zero = || -> Box<dyn Query> { Box::new(ConstScoreQuery::new(all.box_clone(), 0.0)) };
        vec![
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.ranked.box_clone()),
                (Occur::Must, zero()),
            ])),
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.ranked.box_clone()),
                (Occur::MustNot, zero()),
            ])),
        ]
    }
}

/// Builds the query for `text` (may be empty when filters select passages).
pub fn build(
    index: &Index,
    fields: &Fields,
    text: &str,
    filters: Vec<Box<dyn Query>>,
) -> Result<PassageQuery, Error> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(fields.kind, KIND_PARA),
            IndexRecordOption::Basic,
        )),
    )];
    let text = crate::analysis::prepare_query(text);
    let mut all_words = None;
    if !text.trim().is_empty() {
        let any = parser(index, fields, false).parse_query(&text).map_err(|e| bad(&text, e))?;
        let all = parser(index, fields, true).parse_query(&text).map_err(|e| bad(&text, e))?;
        let title = title_parser(index, fields).parse_query(&text).map_err(|e| bad(&text, e))?;
        clauses.push((Occur::Must, any));
        clauses.push((Occur::Should, Box::new(BoostQuery::new(all.box_clone(), ALL_WORDS_BOOST))));
        all_words = Some(all);
        clauses.push((Occur::Should, Box::new(BoostQuery::new(title, TITLE_BOOST))));
    } else if filters.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    for filter in filters {
        clauses.push((Occur::Must, filter));
    }
    Ok(PassageQuery { ranked: Box::new(BooleanQuery::new(clauses)), all_words })
}

fn parser(index: &Index, fields: &Fields, conjunction: bool) -> QueryParser {
    let mut parser =
        QueryParser::for_index(index, vec![fields.text, fields.text_exact, fields.translit]);
    parser.set_field_boost(fields.text, 1.0);
    parser.set_field_boost(fields.text_exact, 0.6);
    parser.set_field_boost(fields.translit, 0.4);
    if conjunction {
        parser.set_conjunction_by_default();
    }
    parser
}

/// Matches the words against the file's headline: a boost for passages of
/// files about the query, never a reason on its own to return a passage.
fn title_parser(index: &Index, fields: &Fields) -> QueryParser {
    QueryParser::for_index(index, vec![fields.title])
}

fn bad(query: &str, err: tantivy::query::QueryParserError) -> Error {
    Error::BadQuery {
        query: query.to_string(),
        reason: format!("{err} (quote the text or escape special characters with \\)"),
    }
}
