//! [`CyrillicStem`]: Snowball stemming for words written in Cyrillic, so
//! `оборона` finds `обороны` and `Курская` finds `Курской`, while Latin
//! words keep the English stemmer and every other script is left alone.
//!
//! Russian has a Snowball algorithm; Ukrainian has none. The two share most
//! of their noun and adjective endings and differ in a few letters, so a
//! Ukrainian word is first written with the nearest Russian letters (`і` →
//! `и`, `ї` → `й` as it follows a vowel, `є` → `е`, `ґ` → `г`) and then
//! stemmed as Russian: `військових` and `військові` meet at one stem, as do
//! `Курській`, `Курської` and `Курська`, `оборони` and `оборона`. Light and dictionary-free, it misses a few Ukrainian-only
//! endings (`-ові`, `-ою`) that the Russian algorithm does not know; a wrong
//! stem costs only recall, since `text_exact` still holds the word as written.
//! `ё` is folded to `е` for Russian as most news copy writes it.

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};

use super::rewrite::RewriteToken;

/// Token rule: stem lowercase Cyrillic words (see the module doc).
#[derive(Clone, Copy)]
pub(crate) struct CyrillicStem(Stemmer);

impl Default for CyrillicStem {
    fn default() -> CyrillicStem {
        CyrillicStem(Stemmer::new(Algorithm::Russian))
    }
}

impl std::fmt::Debug for CyrillicStem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CyrillicStem")
    }
}

/// Whether `c` is a Cyrillic letter.
pub(crate) fn is_cyrillic(c: char) -> bool {
    matches!(c, '\u{0400}'..='\u{04FF}')
}

impl CyrillicStem {
    /// The stem of one lowercase word, or `None` when it is not Cyrillic.
    pub(crate) fn stem<'a>(&self, word: &'a str) -> Option<Cow<'a, str>> {
        if word.is_ascii() || !word.chars().any(is_cyrillic) {
            return None;
        }
        let folded = fold_to_russian_letters(word);
        Some(match folded {
            Cow::Borrowed(word) => self.0.stem(word),
            Cow::Owned(folded) => Cow::Owned(self.0.stem(&folded).into_owned()),
        })
    }
}

impl RewriteToken for CyrillicStem {
    fn rewrite(&self, text: &str, out: &mut String) -> bool {
        match self.stem(text) {
            Some(Cow::Owned(stem)) => {
                out.push_str(&stem);
                true
            }
            Some(Cow::Borrowed(stem)) if stem.len() != text.len() => {
                out.push_str(stem);
                true
            }
            _ => false,
        }
    }
}

/// `word` with the Ukrainian letters (and `ё`) the Russian stemmer does not
/// know written as their nearest Russian ones.
fn fold_to_russian_letters(word: &str) -> Cow<'_, str> {
    let fold = |c: char| match c {
        'і' => 'и',
        'ї' => 'й',
        'є' | 'ё' => 'е',
        'ґ' => 'г',
        other => other,
    };
    if word.chars().all(|c| fold(c) == c) {
        return Cow::Borrowed(word);
    }
    Cow::Owned(word.chars().map(fold).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stem(word: &str) -> Option<String> {
        CyrillicStem::default().stem(word).map(Cow::into_owned)
    }

    #[test]
    fn russian_inflections_meet() {
        for group in [
            &["курская", "курской", "курскую", "курске"][..],
            &["оборона", "обороны", "обороне"],
            &["область", "области", "областью"],
            &["москва", "москве", "москвы"],
        ] {
            let stems: Vec<_> = group.iter().map(|w| stem(w)).collect();
            assert!(stems.iter().all(|s| s == &stems[0]), "{group:?} → {stems:?}");
        }
    }

    #[test]
    fn ukrainian_inflections_meet() {
        for group in [
            &["військових", "військові"][..],
            &["курська", "курській", "курської"],
            &["оборона", "оборони"],
            &["області", "область"],
        ] {
            let stems: Vec<_> = group.iter().map(|w| stem(w)).collect();
            assert!(stems.iter().all(|s| s == &stems[0]), "{group:?} → {stems:?}");
        }
    }

    #[test]
    fn other_scripts_are_left_alone() {
        assert_eq!(stem("engineers"), None);
        assert_eq!(stem("평양에서"), None);
        assert_eq!(stem("são"), None);
    }
}
