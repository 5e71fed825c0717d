//! Looks words up in the index's own term dictionaries: the terms within a
//! few edits of a word (`Gerasimv~1`), the terms starting with a prefix
//! (`engine*`) and the nearest known term to a word nobody wrote (for "did
//! you mean"). Lookups run over the `text_exact` and `translit` fields, whose
//! terms are whole (unstemmed) words, and merge the segments of the index.

use std::collections::HashMap;

use tantivy::query::FuzzyTermQuery;
use tantivy::schema::Field;
use tantivy::{Searcher, Term};

use crate::analysis;
use crate::schema::Fields;

/// At most this many terms stand in for one fuzzy or prefix word: beyond
/// that a query stops meaning anything and gets slow.
pub(crate) const MAX_EXPANSIONS: usize = 30;
/// The largest edit distance a fuzzy word may ask for.
pub(crate) const MAX_DISTANCE: u8 = 2;

/// One term of the dictionary that stands in for a query word.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Expansion {
    /// The term as stored in the index (lowercased, folded).
    pub term: String,
    /// Edits between the query word's form and the term (0 for prefix hits
    /// that equal the prefix; prefix hits count the extra characters).
    pub distance: u32,
    /// Passages holding the term (summed over segments, the larger count
    /// when both dictionaries hold it).
    pub doc_freq: u64,
}

/// The dictionaries of one opened index.
pub(crate) struct Lexicon<'a> {
    searcher: &'a Searcher,
    /// (field, analyser name) pairs whose dictionaries hold whole words.
    sources: [(Field, &'static str); 2],
}

impl<'a> Lexicon<'a> {
    pub(crate) fn new(searcher: &'a Searcher, fields: &Fields) -> Lexicon<'a> {
        Lexicon {
            searcher,
            sources: [(fields.text_exact, analysis::EXACT), (fields.translit, analysis::TRANSLIT)],
        }
    }

    /// Terms within `distance` edits of `word` (capped by word length, see
    /// [`allowed_distance`]), closest and most frequent first.
    pub(crate) fn fuzzy(&self, word: &str, distance: u8) -> tantivy::Result<Vec<Expansion>> {
        let mut found = HashMap::new();
        for (field, analyser) in self.sources {
            let Some(key) = single_token(analyser, word) else { continue };
            let in_field = self.terms_near(field, &key, allowed_distance(&key, distance))?;
            merge_max(&mut found, in_field);
        }
        Ok(ranked(found))
    }

    /// Terms starting with `prefix`, most frequent first.
    pub(crate) fn prefix(&self, prefix: &str) -> tantivy::Result<Vec<Expansion>> {
        let mut found = HashMap::new();
        for (field, analyser) in self.sources {
            let Some(key) = single_token(analyser, prefix) else { continue };
            let mut in_field = HashMap::new();
            for segment in self.searcher.segment_readers() {
                let inverted = segment.inverted_index(field)?;
                let mut stream = inverted.terms().range().ge(key.as_bytes()).into_stream()?;
                while stream.advance() {
                    if !stream.key().starts_with(key.as_bytes()) {
                        break;
                    }
                    let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                    if !reusable_word(term) {
                        continue;
                    }
                    let extra = (term.chars().count() - key.chars().count()) as u32;
                    add(&mut in_field, term, extra, u64::from(stream.value().doc_freq));
                }
            }
            merge_max(&mut found, in_field);
        }
        let mut ranked: Vec<Expansion> = found.into_values().collect();
        ranked.sort_by(|a, b| {
            b.doc_freq.cmp(&a.doc_freq).then(a.distance.cmp(&b.distance)).then(a.term.cmp(&b.term))
        });
        ranked.truncate(MAX_EXPANSIONS);
        Ok(ranked)
    }

    /// Whether `word` occurs anywhere in the passages, in any spelling the
    /// analysers fold together.
    pub(crate) fn is_known(&self, word: &str) -> tantivy::Result<bool> {
        for (field, analyser) in self.sources {
            let Some(key) = single_token(analyser, word) else { continue };
            if self.searcher.doc_freq(&Term::from_field_text(field, &key))? > 0 {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// The known words near `word` (within the distance its length allows),
    /// closest and most frequent first, from the exact-form dictionary: the
    /// runner-up tells whether the nearest is a confident correction.
    pub(crate) fn neighbours(&self, word: &str) -> tantivy::Result<Vec<Expansion>> {
        let (field, analyser) = self.sources[0];
        let Some(key) = single_token(analyser, word) else { return Ok(Vec::new()) };
        let mut found = self.terms_near(field, &key, MAX_DISTANCE)?;
        found.remove(&key);
        let limit = allowed_distance(&key, MAX_DISTANCE) as u32;
        Ok(ranked(found).into_iter().filter(|e| e.distance <= limit).collect())
    }

    /// The reusable words of `field` within `distance` edits of `key`, with
    /// their edit distance and passage count summed over segments.
    fn terms_near(
        &self,
        field: Field,
        key: &str,
        distance: u8,
    ) -> tantivy::Result<HashMap<String, Expansion>> {
        let mut found = HashMap::new();
        let automaton =
            FuzzyTermQuery::new(Term::from_field_text(field, key), distance, true).automaton()?;
        for segment in self.searcher.segment_readers() {
            let inverted = segment.inverted_index(field)?;
            let mut stream = inverted.terms().search(&automaton).into_stream()?;
            while stream.advance() {
                let Ok(term) = std::str::from_utf8(stream.key()) else { continue };
                if reusable_word(term) {
                    let doc_freq = u64::from(stream.value().doc_freq);
                    add(&mut found, term, edit_distance(key, term), doc_freq);
                }
            }
        }
        Ok(found)
    }
}

/// Short words match too much at a distance: at most 0 edits up to 2
/// characters, 1 edit up to 4 characters, else what was asked (at most 2).
pub(crate) fn allowed_distance(key: &str, asked: u8) -> u8 {
    let asked = asked.min(MAX_DISTANCE);
    match key.chars().count() {
        0..=2 => 0,
        3..=4 => asked.min(1),
        _ => asked,
    }
}

/// Whether a word holds a digit: numbers and dates are never fuzzed.
pub(crate) fn is_numeric(word: &str) -> bool {
    word.chars().any(|c| c.is_ascii_digit())
}

/// The one token `word` becomes under `analyser`, or `None` when it becomes
/// none or several.
fn single_token(analyser: &str, word: &str) -> Option<String> {
    let mut tokens = analysis::analyse(analyser, word)?;
    if tokens.len() == 1 {
        tokens.pop()
    } else {
        None
    }
}

/// Expansions are fed back through the query analysers as words, so they
/// must be plain words: no digits, and the word analysers must keep them
/// whole.
fn reusable_word(term: &str) -> bool {
    !term.is_empty() && !is_numeric(term) && term.chars().all(char::is_alphanumeric)
}

fn add(found: &mut HashMap<String, Expansion>, term: &str, distance: u32, doc_freq: u64) {
    let entry = found.entry(term.to_string()).or_insert(Expansion {
        term: term.to_string(),
        distance,
        doc_freq: 0,
    });
    entry.distance = entry.distance.min(distance);
    entry.doc_freq += doc_freq;
}

/// Merges one field's terms into `found`: a term in both fields keeps the
/// larger passage count (the fields index the same passages).
fn merge_max(found: &mut HashMap<String, Expansion>, in_field: HashMap<String, Expansion>) {
    for (term, expansion) in in_field {
        let entry = found.entry(term).or_insert_with(|| expansion.clone());
        entry.distance = entry.distance.min(expansion.distance);
        entry.doc_freq = entry.doc_freq.max(expansion.doc_freq);
    }
}

/// Closest first, then most frequent, then alphabetical; capped.
fn ranked(found: HashMap<String, Expansion>) -> Vec<Expansion> {
    let mut ranked: Vec<Expansion> = found.into_values().collect();
    ranked.sort_by(|a, b| {
        a.distance.cmp(&b.distance).then(b.doc_freq.cmp(&a.doc_freq)).then(a.term.cmp(&b.term))
    });
    ranked.truncate(MAX_EXPANSIONS);
    ranked
}

/// Edit distance with adjacent transpositions counted as one edit (optimal
/// string alignment), over characters, as the fuzzy automaton counts them.
pub(crate) fn edit_distance(a: &str, b: &str) -> u32 {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let width = b.len() + 1;
    let mut d = vec![0u32; (a.len() + 1) * width];
    for i in 0..=a.len() {
        d[i * width] = i as u32;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j as u32;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = u32::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_table() {
        let cases = [
            ("gerasimv", "gerasimov", 1),
            ("gerasimov", "gerasimov", 0),
            ("mihailvo", "mihailov", 1),
            ("kursk", "kirsk", 1),
            ("", "abc", 3),
            ("abc", "", 3),
            ("putin", "tupin", 2),
            ("михайлов", "михаилов", 1),
        ];
        for (a, b, expected) in cases {
            assert_eq!(edit_distance(a, b), expected, "{a} → {b}");
        }
    }

    #[test]
    fn short_words_get_fewer_edits() {
        assert_eq!(allowed_distance("ab", 2), 0);
        assert_eq!(allowed_distance("abcd", 2), 1);
        assert_eq!(allowed_distance("abcde", 2), 2);
        assert_eq!(allowed_distance("abcde", 7), 2);
        assert_eq!(allowed_distance("abcde", 1), 1);
    }

    #[test]
    fn numbers_and_dates_are_numeric() {
        for word in ["5,000", "2024-08-06", "1500", "A320"] {
            assert!(is_numeric(word), "{word}");
        }
        assert!(!is_numeric("Gerasimov"));
    }
}
