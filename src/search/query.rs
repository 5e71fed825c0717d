//! Turns the user's query text and filters into one tantivy query.
//!
//! Words are matched in the stemmed, exact and transliterated text fields and
//! in the title. A passage needs at least one of the words; passages holding
//! all of them get an extra boost, so short queries behave like AND while a
//! long question still returns its best passages. Phrases, `-word`, `AND`,
//! `OR` and `field:value` come from tantivy's query grammar.

use tantivy::query::{AllQuery, BooleanQuery, BoostQuery, Occur, Query, QueryParser, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, Term};

use crate::error::Error;
use crate::schema::{Fields, KIND_PARA};

/// Extra weight of the all-words clause relative to the any-word clause.
const ALL_WORDS_BOOST: f32 = 1.5;

/// Builds the query for `text` (may be empty when filters select passages).
pub fn build(
    index: &Index,
    fields: &Fields,
    text: &str,
    filters: Vec<Box<dyn Query>>,
) -> Result<Box<dyn Query>, Error> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(fields.kind, KIND_PARA),
            IndexRecordOption::Basic,
        )),
    )];
    let text = escape_word_apostrophes(text);
    if !text.trim().is_empty() {
        let any = parser(index, fields, false).parse_query(&text).map_err(|e| bad(&text, e))?;
        let all = parser(index, fields, true).parse_query(&text).map_err(|e| bad(&text, e))?;
        clauses.push((Occur::Must, any));
        clauses.push((Occur::Should, Box::new(BoostQuery::new(all, ALL_WORDS_BOOST))));
    } else if filters.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    for filter in filters {
        clauses.push((Occur::Must, filter));
    }
    Ok(Box::new(BooleanQuery::new(clauses)))
}

fn parser(index: &Index, fields: &Fields, conjunction: bool) -> QueryParser {
    let mut parser = QueryParser::for_index(
        index,
        vec![fields.text, fields.text_exact, fields.translit, fields.title],
    );
    parser.set_field_boost(fields.text, 1.0);
    parser.set_field_boost(fields.text_exact, 0.6);
    parser.set_field_boost(fields.translit, 0.4);
    parser.set_field_boost(fields.title, 0.3);
    if conjunction {
        parser.set_conjunction_by_default();
    }
    parser
}

fn bad(query: &str, err: tantivy::query::QueryParserError) -> Error {
    Error::BadQuery {
        query: query.to_string(),
        reason: format!("{err} (quote the text or escape special characters with \\)"),
    }
}

/// The query grammar reads `'` as a phrase quote, so an apostrophe inside a
/// word (`Russia's`, `don't`) becomes `’`, which the analysers treat alike.
fn escape_word_apostrophes(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    for (i, &c) in chars.iter().enumerate() {
        let inside_word = c == '\''
            && i > 0
            && chars[i - 1].is_alphanumeric()
            && chars.get(i + 1).is_some_and(|n| n.is_alphanumeric());
        out.push(if inside_word { '\u{2019}' } else { c });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::escape_word_apostrophes;

    #[test]
    fn apostrophes_inside_words_are_made_curly() {
        assert_eq!(escape_word_apostrophes("Russia's Far East"), "Russia\u{2019}s Far East");
        assert_eq!(
            escape_word_apostrophes("'quoted phrase' don't"),
            "'quoted phrase' don\u{2019}t"
        );
        assert_eq!(escape_word_apostrophes("rock 'n' roll"), "rock 'n' roll");
    }
}
