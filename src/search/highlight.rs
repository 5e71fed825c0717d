//! Finds the byte ranges of a passage that match the query, by running the
//! passage through the analysers its records were indexed with and keeping
//! the tokens whose analysed form is one of the query's terms in that field.

use std::collections::HashSet;
use std::ops::Range;

use tantivy::query::Query;
use tantivy::schema::Field;
use tantivy::tokenizer::TextAnalyzer;

use crate::analysis;
use crate::schema::Fields;

/// The query's terms for each analysed text field, with their analysers.
pub(crate) struct Highlighter {
    per_field: Vec<FieldTerms>,
}

/// One field's analyser and the query's terms in it.
struct FieldTerms {
    analyser: TextAnalyzer,
    terms: HashSet<String>,
    /// The language of a stem field: it holds only paragraphs of that
    /// language, so a passage of another has none of its terms.
    language: Option<&'static str>,
}

impl Highlighter {
    pub(crate) fn new(fields: &Fields, query: &dyn Query) -> Highlighter {
        let mut text_fields = vec![fields.text, fields.text_exact, fields.translit];
        let mut analysers = vec![
            (analysis::TEXT, None),
            (analysis::EXACT, None),
            (analysis::TRANSLIT_INDEXED, None),
        ];
        for (language, field) in &fields.stems {
            text_fields.push(*field);
            analysers.push((language.analyser, Some(language.code)));
        }
        let mut terms: Vec<HashSet<String>> = vec![HashSet::new(); text_fields.len()];
        query.query_terms(&mut |term, _| {
            if let Some(slot) = text_fields.iter().position(|f: &Field| *f == term.field()) {
                if let Some(text) = term.value().as_str() {
                    terms[slot].insert(text.to_string());
                }
            }
        });
        let per_field = analysers
            .into_iter()
            .zip(terms)
            .filter(|(_, terms)| !terms.is_empty())
            .filter_map(|((name, language), terms)| {
                Some(FieldTerms { analyser: analysis::analyser(name)?, terms, language })
            })
            .collect();
        Highlighter { per_field }
    }

    /// Sorted, merged byte ranges of `text` to highlight, for a passage in
    /// language `lang` as detected at indexing (empty when none was): the
    /// stem fields of other languages are skipped, as it cannot match there.
    pub(crate) fn ranges(&mut self, text: &str, lang: &str) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        for FieldTerms { analyser, terms, language } in &mut self.per_field {
            if language.is_some_and(|code| code != lang) {
                continue;
            }
            let mut stream = analyser.token_stream(text);
            while let Some(token) = stream.next() {
                if terms.contains(&token.text) && token.offset_to <= text.len() {
                    ranges.push(token.offset_from..token.offset_to);
                }
            }
        }
        merge(ranges)
    }
}

/// Sorts ranges and merges overlapping or touching ones.
pub(crate) fn merge(mut ranges: Vec<Range<usize>>) -> Vec<Range<usize>> {
    ranges.sort_by_key(|r| (r.start, r.end));
    let mut merged: Vec<Range<usize>> = Vec::with_capacity(ranges.len());
    for r in ranges {
        match merged.last_mut() {
            Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
            _ => merged.push(r),
        }
    }
    merged
}

#[cfg(test)]
mod tests {
    use super::*;
    use tantivy::query::TermQuery;
    use tantivy::schema::IndexRecordOption;
    use tantivy::Term;

    /// A query term in the French stem field lights up a French passage
    /// and is not looked for in a passage of another language.
    #[test]
    fn stem_fields_of_other_languages_are_skipped() {
        let (_, fields) = crate::schema::build();
        let french = crate::analysis::snowball::for_code("fr").unwrap();
        let field = fields.stem_field("fr").unwrap();
        let mut analyser = analysis::analyser(french.analyser).unwrap();
        let mut stem = String::new();
        analyser.token_stream("chevaux").process(&mut |token| stem = token.text.clone());
        let query =
            TermQuery::new(Term::from_field_text(field, &stem), IndexRecordOption::WithFreqs);
        let mut highlighter = Highlighter::new(&fields, &query);
        let text = "Les chevaux sont partis.";
        assert_eq!(highlighter.ranges(text, "fr"), vec![4..11]);
        assert!(highlighter.ranges(text, "de").is_empty());
        assert!(highlighter.ranges(text, "").is_empty());
    }

    #[test]
    fn merges_overlapping_and_touching_ranges() {
        assert_eq!(merge(vec![5..8, 0..2, 1..3, 8..9, 20..25]), vec![0..3, 5..9, 20..25]);
        assert!(merge(vec![]).is_empty());
    }
}
