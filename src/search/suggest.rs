//! "Did you mean": when a query finds nothing, its words that occur nowhere
//! in the corpus are replaced by the closest words the index does hold
//! (`Gerasimv` → `Gerasimov`), keeping the rest of the query as typed.

use super::expand::{self, Lexicon};
use super::query::{Literal, Operator};

/// The query with unknown words replaced, or `None` when every word is
/// known (or none has a close neighbour).
pub fn did_you_mean(
    query: &str,
    literals: &[Literal],
    lexicon: &Lexicon,
) -> tantivy::Result<Option<String>> {
    let mut suggestion = query.to_string();
    let mut changed = false;
    for literal in literals {
        let fuzzable = matches!(literal.operator, Operator::Plain | Operator::Proximity(_));
        if !fuzzable || literal.field.as_deref().is_some_and(|f| f != "text" && f != "title") {
            continue;
        }
        for word in literal.text.split(|c: char| !c.is_alphanumeric()) {
            if word.chars().count() < 3 || expand::is_numeric(word) || lexicon.is_known(word)? {
                continue;
            }
            if let Some(near) = lexicon.nearest(word)? {
                if let Some(replaced) =
                    replace_word(&suggestion, word, &match_case(word, &near.term))
                {
                    suggestion = replaced;
                    changed = true;
                }
            }
        }
    }
    Ok(changed.then_some(suggestion))
}

/// `text` with the first whole-word occurrence of `word` replaced.
fn replace_word(text: &str, word: &str, by: &str) -> Option<String> {
    let mut from = 0;
    while let Some(at) = text[from..].find(word).map(|i| from + i) {
        let end = at + word.len();
        let before = text[..at].chars().next_back();
        let after = text[end..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return Some(format!("{}{by}{}", &text[..at], &text[end..]));
        }
        from = end;
    }
    None
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
            replace_word("Gerasim Gerasimv", "Gerasimv", "Gerasimov").unwrap(),
            "Gerasim Gerasimov"
        );
        assert_eq!(replace_word("ab abc", "abc", "x").unwrap(), "ab x");
        assert_eq!(replace_word("abcd", "abc", "x"), None);
        assert_eq!(
            replace_word("\"Kursk offensive\"", "offensive", "offense").unwrap(),
            "\"Kursk offense\""
        );
    }

    #[test]
    fn keeps_the_typed_case_style() {
        assert_eq!(match_case("Gerasimv", "gerasimov"), "Gerasimov");
        assert_eq!(match_case("KURSKK", "kursk"), "KURSK");
        assert_eq!(match_case("kursk", "kursk"), "kursk");
        assert_eq!(match_case("Михайлв", "михайлов"), "Михайлов");
    }
}
