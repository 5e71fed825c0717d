//! "Did you mean": when a query finds nothing, its words that occur nowhere
//! in the corpus are replaced by the closest words the index does hold
//! (`Gerasimv` → `Gerasimov`), keeping the rest of the query as typed.
//!
//! A suggestion is *confident* when lede may run it in place of the query
//! (see [`Suggestion::confident`]): a reader who misspells a name should
//! land on the passage, but a script must never get another query's hits
//! because a rare word looked like a common one.

use super::expand::{self, Expansion, Lexicon};
use super::query::{Literal, Operator};
use crate::schema::Fields;

/// Words shorter than this are never corrected without asking: too many
/// real words lie one edit away from them.
const CONFIDENT_MIN_CHARS: usize = 5;
/// Words of at least this many characters may be corrected by two edits.
const TWO_EDITS_MIN_CHARS: usize = 8;
/// The nearest word must be this many times as frequent as any other word
/// at the same distance to be the obvious correction.
const CLEAR_LEAD: u64 = 3;

/// A corrected query.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Suggestion {
    /// The query with its unknown words replaced.
    pub text: String,
    /// Whether the correction may be searched instead of the query: every
    /// unknown word was outside quotes, long enough, and had one clear
    /// nearest word (numbers are never unknown words: they are skipped).
    pub confident: bool,
}

/// The query with unknown words replaced, or `None` when every word is
/// known (or none has a close neighbour).
pub(crate) fn did_you_mean(
    fields: &Fields,
    query: &str,
    literals: &[Literal],
    lexicon: &Lexicon,
) -> tantivy::Result<Option<Suggestion>> {
    let mut suggestion = query.to_string();
    let mut changed = false;
    let mut confident = true;
    for literal in literals {
        let fuzzable = matches!(literal.operator, Operator::Plain | Operator::Proximity(_));
        let named = |field| literal.field.as_deref() == Some(fields.name(field));
        if !fuzzable || (literal.field.is_some() && !named(fields.text) && !named(fields.title)) {
            continue;
        }
        for word in literal.text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() < 3 || expand::is_numeric(word) || lexicon.is_known(word)? {
                continue;
            }
            let mut neighbours = lexicon.neighbours(word)?;
            keeping_first_letter_first(word, &mut neighbours);
            let Some(near) = neighbours.first() else {
                confident = false;
                continue;
            };
            let by = match_case(word, &near.term);
            match replace_word(&suggestion, word, &by, literal.quoted) {
                Some(replaced) => {
                    suggestion = replaced;
                    changed = true;
                    confident &= !literal.quoted && clear_correction(word, &neighbours);
                }
                None => confident = false,
            }
        }
    }
    Ok(changed.then_some(Suggestion { text: suggestion, confident }))
}

/// Among neighbours equally close, puts those that start as `word` does
/// first: typing errors seldom fall on a word's first letter, so `oill` is
/// `oil` before the more frequent `will`. Otherwise the order is kept.
fn keeping_first_letter_first(word: &str, neighbours: &mut [Expansion]) {
    let first = word.chars().next().map(|c| c.to_lowercase().collect::<String>());
    let starts_otherwise = |term: &str| first.as_deref().is_none_or(|f| !term.starts_with(f));
    neighbours.sort_by_key(|n| (n.distance, starts_otherwise(&n.term)));
}

/// Whether the first of `neighbours` (closest first) is the one obvious
/// correction of `word`: one edit away (two for long words), and far more
/// frequent than any other word as close.
fn clear_correction(word: &str, neighbours: &[Expansion]) -> bool {
    let Some(best) = neighbours.first() else { return false };
    let chars = word.chars().count();
    let reach = if chars >= TWO_EDITS_MIN_CHARS { 2 } else { 1 };
    let rival = neighbours[1..].iter().find(|n| n.distance == best.distance);
    chars >= CONFIDENT_MIN_CHARS
        && best.distance <= reach
        && rival.is_none_or(|r| best.doc_freq >= CLEAR_LEAD * r.doc_freq)
}

/// `text` with the first whole-word occurrence of `word` replaced that is
/// inside double quotes when `quoted`, outside them otherwise: a word typed
/// both ways is corrected where its literal was.
fn replace_word(text: &str, word: &str, by: &str, quoted: bool) -> Option<String> {
    let mut from = 0;
    while let Some(at) = text[from..].find(word).map(|i| from + i) {
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        let whole =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        if whole && inside_quotes(&text[..at]) == quoted {
            return Some(format!("{}{by}{}", &text[..at], &text[end..]));
        }
        from = end;
    }
    None
}

/// Whether the end of `before` lies inside a double-quoted phrase: an odd
/// number of unescaped quotes precede it.
fn inside_quotes(before: &str) -> bool {
    let mut inside = false;
    let mut escaped = false;
    for c in before.chars() {
        if c == '"' && !escaped {
            inside = !inside;
        }
        escaped = c == '\\' && !escaped;
    }
    inside
}

/// `term` (lowercase, from the index) written in the case style of `typed`:
/// `KURSK`, `Kursk` or `kursk`.
fn match_case(typed: &str, term: &str) -> String {
    let letters: Vec<char> = typed.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return term.to_uppercase();
    }
    if typed.chars().next().is_some_and(char::is_uppercase) {
        let mut chars = term.chars();
        return chars.next().map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect());
    }
    term.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_words_only() {
        assert_eq!(
            replace_word("Gerasim Gerasimv", "Gerasimv", "Gerasimov", false).unwrap(),
            "Gerasim Gerasimov"
        );
        assert_eq!(replace_word("ab abc", "abc", "x", false).unwrap(), "ab x");
        assert_eq!(replace_word("abcd", "abc", "x", false), None);
        assert_eq!(
            replace_word("\"Kursk offensive\"", "offensive", "offense", true).unwrap(),
            "\"Kursk offense\""
        );
    }

    #[test]
    fn replaces_inside_or_outside_quotes_as_the_literal_was() {
        let query = "\"Budanv said\" Budanv";
        assert_eq!(
            replace_word(query, "Budanv", "Budanov", false).unwrap(),
            "\"Budanv said\" Budanov"
        );
        assert_eq!(
            replace_word(query, "Budanv", "Budanov", true).unwrap(),
            "\"Budanov said\" Budanv"
        );
        assert_eq!(replace_word("\"a b\"", "b", "c", false), None);
        assert!(!inside_quotes("x \\\" y"));
    }

    fn near(term: &str, distance: u32, doc_freq: u64) -> Expansion {
        Expansion { term: term.to_string(), distance, doc_freq }
    }

    #[test]
    fn a_correction_is_clear_when_close_long_enough_and_without_a_rival() {
        assert!(clear_correction("Gerasimv", &[near("gerasimov", 1, 3)]));
        assert!(clear_correction("Lavrof", &[near("lavrov", 1, 9), near("lavra", 2, 9)]));
        assert!(clear_correction("Lavrof", &[near("lavrov", 1, 9), near("lavrof", 1, 3)]));
        // A rival as close and nearly as frequent: ask instead.
        assert!(!clear_correction("Lavrof", &[near("lavrov", 1, 9), near("lavros", 1, 4)]));
        // Short words are one edit from too many words.
        assert!(!clear_correction("Kurk", &[near("kursk", 1, 9)]));
        // Two edits only for long words.
        assert!(!clear_correction("Budnv", &[near("budanov", 2, 9)]));
        assert!(!clear_correction("Gersimv", &[near("gerasimov", 2, 9)]));
        assert!(clear_correction("Gerrasimv", &[near("gerasimov", 2, 9)]));
        assert!(!clear_correction("Budanv", &[]));
    }

    #[test]
    fn a_neighbour_keeping_the_first_letter_comes_first_among_equals() {
        let mut neighbours = [near("will", 1, 900), near("bill", 1, 50), near("oil", 1, 500)];
        keeping_first_letter_first("Oill", &mut neighbours);
        let terms: Vec<&str> = neighbours.iter().map(|n| n.term.as_str()).collect();
        assert_eq!(terms, ["oil", "will", "bill"]);
        // Closer words still come first.
        let mut neighbours = [near("oils", 2, 9), near("will", 1, 900)];
        keeping_first_letter_first("oill", &mut neighbours);
        assert_eq!(neighbours[0].term, "will");
        // The first letter alone does not make a correction clear.
        let mut neighbours = [near("will", 1, 900), near("oil", 1, 500)];
        keeping_first_letter_first("oilll", &mut neighbours);
        assert!(!clear_correction("oilll", &neighbours));
    }

    #[test]
    fn keeps_the_typed_case_style() {
        assert_eq!(match_case("Gerasimv", "gerasimov"), "Gerasimov");
        assert_eq!(match_case("KURSKK", "kursk"), "KURSK");
        assert_eq!(match_case("kursk", "kursk"), "kursk");
        assert_eq!(match_case("Михайлв", "михайлов"), "Михайлов");
    }
}
