//! Entity filter values matched the way people write names: `--person
//! Putin` finds "Vladimir Putin", `--person "evgeny mikhailov"` finds
//! "Евгений Михайлов". A value matches every canonical name in the index
//! that holds all of its words, compared as spelling skeletons
//! ([`analysis::TRANSLIT`]: any case, accents folded, other scripts in Latin
//! letters, romanisation variants met). The names come from the field's own
//! term dictionary when the query runs, so the filter is a plain query the
//! command layer builds without a searcher.

use std::collections::{BTreeMap, BTreeSet};

use tantivy::query::{BooleanQuery, EnableScoring, Occur, Query, TermQuery, Weight};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::expand::edit_distance;
use crate::analysis;

/// How many near names a filter that matched nothing lists at most.
const CLOSEST_SHOWN: usize = 5;
/// How many it lists when no name is close.
const CLOSEST_FALLBACK: usize = 3;
/// Edits per word within which a name counts as close.
const CLOSE_EDITS: u32 = 2;

/// Passages naming an entity whose canonical name holds every word of
/// `value`.
#[derive(Clone, Debug)]
pub(crate) struct EntityNameQuery {
    field: Field,
    value: String,
}

impl EntityNameQuery {
    pub(crate) fn new(field: Field, value: &str) -> EntityNameQuery {
        EntityNameQuery { field, value: value.trim().to_string() }
    }
}

impl Query for EntityNameQuery {
    fn weight(&self, scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let names = match scoring.searcher() {
            Some(searcher) => matching_names(searcher, self.field, &self.value)?,
            None => vec![whole_value_key(&self.value)],
        };
        let clauses = names
            .iter()
            .map(|name| -> (Occur, Box<dyn Query>) {
                let term = Term::from_field_text(self.field, name);
                (Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic)))
            })
            .collect();
        BooleanQuery::new(clauses).weight(scoring)
    }
}

/// The value as the `KEYWORD` analyser indexes a whole name.
fn whole_value_key(value: &str) -> String {
    analysis::analyse(analysis::KEYWORD, value)
        .and_then(|tokens| tokens.into_iter().next())
        .unwrap_or_else(|| value.to_lowercase())
}

/// The words of `text` as spelling skeletons.
fn skeleton_words(text: &str) -> BTreeSet<String> {
    analysis::analyse(analysis::TRANSLIT, text).unwrap_or_default().into_iter().collect()
}

/// Every name of `field` (as written in the text) that holds all the words
/// of `value`, or is `value` in another case.
pub(crate) fn matching_names(
    searcher: &Searcher,
    field: Field,
    value: &str,
) -> tantivy::Result<Vec<String>> {
    let wanted = skeleton_words(value);
    let wanted_letters = wanted.iter().fold(0, |mask, word| mask | letter_mask(word));
    let exact = whole_value_key(value);
    let mut names = BTreeSet::new();
    for_each_name(searcher, field, |name| {
        let matches = if name.is_ascii() {
            // Most names cannot match: a bit test spares analysing them.
            name.eq_ignore_ascii_case(&exact)
                || (!wanted.is_empty()
                    && wanted_letters & !skeleton_letters_of_ascii(name) == 0
                    && wanted.is_subset(&skeleton_words(name)))
        } else {
            whole_value_key(name) == exact
                || (!wanted.is_empty() && wanted.is_subset(&skeleton_words(name)))
        };
        if matches {
            names.insert(whole_value_key(name));
        }
    })?;
    Ok(names.into_iter().collect())
}

/// A bit per ASCII letter `text` holds (`a` is bit 0).
fn letter_mask(text: &str) -> u32 {
    text.bytes()
        .filter(u8::is_ascii_alphabetic)
        .fold(0, |mask, b| mask | 1 << (b.to_ascii_lowercase() - b'a'))
}

/// Every letter the skeleton words of an ASCII `name` can hold, and maybe
/// more: tokens are pieces of the name (numbers are digits only), lowercased,
/// with apostrophes dropped and the [`SpellingSkeleton`] folds applied, which
/// only turn `y`/`j` into `i`, `w` into `v` and `ks` into `x`.
///
/// [`SpellingSkeleton`]: crate::analysis::skeleton::SpellingSkeleton
fn skeleton_letters_of_ascii(name: &str) -> u32 {
    let bit = |letter: u8| 1u32 << (letter - b'a');
    let mut mask = letter_mask(name);
    if mask & (bit(b'y') | bit(b'j')) != 0 {
        mask |= bit(b'i');
    }
    if mask & bit(b'w') != 0 {
        mask |= bit(b'v');
    }
    if mask & bit(b'k') != 0 && mask & bit(b's') != 0 {
        mask |= bit(b'x');
    }
    mask
}

/// The names of `field` nearest to `value` (within [`CLOSE_EDITS`] edits a
/// word, else the very nearest few), for a filter that matched nothing.
pub(crate) fn closest_names(
    searcher: &Searcher,
    field: Field,
    value: &str,
) -> tantivy::Result<Vec<String>> {
    Ok(nearest(scored_names(searcher, field, value)?, value))
}

/// The names of all `fields` nearest to `value`, as [`closest_names`]
/// picks them from one.
pub(crate) fn closest_names_of_all(
    searcher: &Searcher,
    fields: &[Field],
    value: &str,
) -> tantivy::Result<Vec<String>> {
    let mut scored = Vec::new();
    for &field in fields {
        scored.extend(scored_names(searcher, field, value)?);
    }
    Ok(nearest(scored, value))
}

/// Every name of `field` with its distance to `value` (edits summed over
/// the value's words, each to its nearest word of the name).
fn scored_names(
    searcher: &Searcher,
    field: Field,
    value: &str,
) -> tantivy::Result<Vec<(String, u32)>> {
    let wanted = skeleton_words(value);
    let mut scored: BTreeMap<String, u32> = BTreeMap::new();
    for_each_name(searcher, field, |name| {
        if scored.contains_key(name) {
            return;
        }
        let words = skeleton_words(name);
        let distance: u32 = wanted
            .iter()
            .map(|w| words.iter().map(|n| edit_distance(w, n)).min().unwrap_or(u32::MAX / 8))
            .sum();
        scored.insert(name.to_string(), distance);
    })?;
    Ok(scored.into_iter().collect())
}

/// The names within [`CLOSE_EDITS`] a word of `value` (at most
/// [`CLOSEST_SHOWN`]), else the [`CLOSEST_FALLBACK`] nearest.
fn nearest(mut ranked: Vec<(String, u32)>, value: &str) -> Vec<String> {
    ranked.sort_by(|a, b| a.1.cmp(&b.1).then_with(|| a.0.cmp(&b.0)));
    ranked.dedup_by(|a, b| a.0 == b.0);
    let close = CLOSE_EDITS * skeleton_words(value).len().max(1) as u32;
    let within = ranked.iter().take_while(|(_, distance)| *distance <= close).count();
    let shown = if within > 0 { within.min(CLOSEST_SHOWN) } else { CLOSEST_FALLBACK };
    ranked.into_iter().take(shown).map(|(name, _)| name).collect()
}

/// Calls `visit` with each distinct name of `field` in every segment, as
/// written in the text (the names' column, not the lowercased terms).
fn for_each_name(
    searcher: &Searcher,
    field: Field,
    mut visit: impl FnMut(&str),
) -> tantivy::Result<()> {
    let column_name = searcher.schema().get_field_name(field).to_string();
    for segment in searcher.segment_readers() {
        let Some(column) = segment.fast_fields().str(&column_name)? else { continue };
        let mut stream = column.dictionary().stream()?;
        while stream.advance() {
            if let Ok(name) = std::str::from_utf8(stream.key()) {
                visit(name);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_letter_test_never_rejects_a_name_the_skeletons_would_match() {
        let names = [
            "Mikhail Khodorkovsky",
            "Yevgeny Prigozhin",
            "Zelenskyy",
            "ALEKSANDR KSENOFONTOV",
            "Kim Jong-un",
            "O'Neill",
            "Smirnow",
            "Hussein",
            "U.S. Treasury",
            "3M Co",
            "Jeyhun",
            "McDonald's Corp",
            "Wal-Mart Stores",
            "Dmitriyev",
        ];
        for name in names {
            let letters = skeleton_words(name).iter().fold(0, |mask, w| mask | letter_mask(w));
            let allowed = skeleton_letters_of_ascii(name);
            assert_eq!(letters & !allowed, 0, "{name}: {:?}", skeleton_words(name));
        }
        // And it does reject: no `p` in the name, so no analysis for "Putin".
        let putin = skeleton_words("Putin").iter().fold(0, |mask, w| mask | letter_mask(w));
        assert_ne!(putin & !skeleton_letters_of_ascii("Boris Yeltsin"), 0);
    }

    #[test]
    fn skeletons_meet_across_case_and_script() {
        let cyrillic = skeleton_words("евгений михайлов");
        assert!(skeleton_words("Evgeny Mikhailov").is_subset(&cyrillic), "{cyrillic:?}");
        assert!(skeleton_words("MIKHAYLOV").is_subset(&cyrillic), "{cyrillic:?}");
        assert!(skeleton_words("putin").is_subset(&skeleton_words("vladimir putin")));
        assert!(!skeleton_words("Putina").is_subset(&skeleton_words("vladimir putin")));
    }
}
