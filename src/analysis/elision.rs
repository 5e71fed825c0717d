//! [`Elision`]: drops the elided article or pronoun glued to a French or
//! Italian word by an apostrophe (`l’élection` → `élection`, `dell’Italia`
//! → `italia`), as Lucene's `ElisionFilter` does, so that the word is
//! stemmed and found like its bare form. Only the listed elisions are cut:
//! `aujourd’hui` and `O’Brien` stay whole (and [`super::apostrophe`] then
//! folds their apostrophe as in every other analyser).

use super::news_tokenizer::APOSTROPHES;
use super::rewrite::RewriteToken;

/// French elisions (lowercase, without the apostrophe).
const FRENCH: &[&str] =
    &["l", "m", "t", "qu", "n", "s", "j", "d", "c", "jusqu", "quoiqu", "lorsqu", "puisqu"];

/// Italian elisions (articles, articulated prepositions, `un’`, `quest’`…).
const ITALIAN: &[&str] = &[
    "c", "l", "all", "dall", "dell", "nell", "sull", "coll", "pell", "gl", "agl", "dagl", "degl",
    "negl", "sugl", "un", "m", "t", "s", "v", "d", "quest", "quell", "tutt",
];

/// Token rule: cut a leading elision of one language (tokens are lowercase).
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Elision(&'static [&'static str]);

impl Elision {
    /// The elisions of the language with ISO 639-1 code `code`, if it has
    /// any lede knows.
    pub(crate) fn of(code: &str) -> Option<Elision> {
        match code {
            "fr" => Some(Elision(FRENCH)),
            "it" => Some(Elision(ITALIAN)),
            _ => None,
        }
    }

    /// `word` without its leading elision (or `word` itself).
    pub(crate) fn strip<'a>(&self, word: &'a str) -> &'a str {
        let Some((at, apostrophe)) = word.char_indices().find(|(_, c)| APOSTROPHES.contains(c))
        else {
            return word;
        };
        let rest = &word[at + apostrophe.len_utf8()..];
        if rest.is_empty() || !self.0.contains(&&word[..at]) {
            return word;
        }
        rest
    }
}

impl RewriteToken for Elision {
    fn rewrite(&self, text: &str, out: &mut String) -> bool {
        let rest = self.strip(text);
        if rest.len() == text.len() {
            return false;
        }
        out.push_str(rest);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elisions_of_each_language() {
        let french = Elision::of("fr").unwrap();
        for (word, expected) in [
            ("l’élection", "élection"),
            ("d'europe", "europe"),
            ("qu’il", "il"),
            ("jusqu’à", "à"),
            ("aujourd’hui", "aujourd’hui"),
            ("o'brien", "o'brien"),
            ("l'", "l'"),
            ("élection", "élection"),
        ] {
            assert_eq!(french.strip(word), expected, "{word}");
        }
        let italian = Elision::of("it").unwrap();
        assert_eq!(italian.strip("dell’italia"), "italia");
        assert_eq!(italian.strip("un’elezione"), "elezione");
        assert_eq!(italian.strip("jusqu’à"), "jusqu’à");
        assert!(Elision::of("de").is_none());
    }
}
