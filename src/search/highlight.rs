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
    per_field: Vec<(TextAnalyzer, HashSet<String>)>,
}

impl Highlighter {
    pub(crate) fn new(fields: &Fields, query: &dyn Query) -> Highlighter {
        let mut text_fields = vec![fields.text, fields.text_exact, fields.translit];
        let mut analysers = vec![analysis::TEXT, analysis::EXACT, analysis::TRANSLIT_INDEXED];
        for (language, field) in &fields.stems {
            text_fields.push(*field);
            analysers.push(language.analyser);
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
            .filter_map(|(name, terms)| Some((analysis::analyser(name)?, terms)))
            .collect();
        Highlighter { per_field }
    }

    /// Sorted, merged byte ranges of `text` to highlight.
    pub(crate) fn ranges(&mut self, text: &str) -> Vec<Range<usize>> {
        let mut ranges = Vec::new();
        for (analyzer, terms) in &mut self.per_field {
            let mut stream = analyzer.token_stream(text);
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
    use super::merge;

    #[test]
    fn merges_overlapping_and_touching_ranges() {
        assert_eq!(merge(vec![5..8, 0..2, 1..3, 8..9, 20..25]), vec![0..3, 5..9, 20..25]);
        assert!(merge(vec![]).is_empty());
    }
}
