//! Snowball stemming for the languages other than English and Russian that
//! tantivy's stemmer covers, each in a field of its own.
//!
//! `text` stems every Latin word as English and every Cyrillic word as
//! Russian whatever the paragraph's language, because its analyser sees only
//! the text. A paragraph detected as French (see [`crate::extract::language`])
//! is also indexed into `stem_fr` with the French stemmer, so `élections`
//! finds `l’élection`; a German one into `stem_de`, and so on. Query words go
//! through every such field some segment holds, so the user need not say
//! which language a query is in.
//!
//! One field per language, rather than one field of language-tagged terms
//! (`fr:elect`), because a field is already the language tag: a German stem
//! can only ever match a German paragraph, tantivy's query parser analyses
//! a word with each field's own analyser, and a field no paragraph filled
//! costs nothing, so an English index is byte for byte what it was. The
//! fields keep no positions (phrases are matched on `text`) and no
//! fieldnorms (one byte per record and field, even in an English index);
//! they are scored without length normalisation, like `translit`.
//!
//! The analyser stems before folding accents, since Snowball's rules read
//! them (`élections` → `élect` → `elect`), and cuts French and Italian
//! elisions first ([`super::elision`]).

use std::borrow::Cow;

use frostem::{Algorithm, Stemmer};

use super::rewrite::RewriteToken;

/// A language with a Snowball stemmer and a field of its own.
#[derive(Clone, Copy, Debug)]
pub(crate) struct StemLanguage {
    /// ISO 639-1 code, as [`crate::extract::language`] tags paragraphs.
    pub code: &'static str,
    /// The field its paragraphs' stems are indexed in.
    pub field: &'static str,
    /// The analyser of that field.
    pub analyser: &'static str,
    algorithm: Algorithm,
}

macro_rules! stem_languages {
    ($($code:literal => $algorithm:ident),* $(,)?) => {
        /// Every language stemmed in a field of its own: tantivy's
        /// stemmer languages but English and Russian, which `text` stems.
        pub(crate) const LANGUAGES: &[StemLanguage] = &[$(StemLanguage {
            code: $code,
            field: concat!("stem_", $code),
            analyser: concat!("lede_stem_", $code, "_v1"),
            algorithm: Algorithm::$algorithm,
        }),*];
    };
}

stem_languages! {
    "ar" => Arabic,
    "da" => Danish,
    "de" => German,
    "el" => Greek,
    "es" => Spanish,
    "fi" => Finnish,
    "fr" => French,
    "hu" => Hungarian,
    "it" => Italian,
    "nb" => Norwegian,
    "nl" => Dutch,
    "pt" => Portuguese,
    "ro" => Romanian,
    "sv" => Swedish,
    "ta" => Tamil,
    "tr" => Turkish,
}

/// The stemmed language of paragraphs tagged `code`, if it has a field.
#[cfg(test)]
pub(crate) fn for_code(code: &str) -> Option<&'static StemLanguage> {
    LANGUAGES.iter().find(|language| language.code == code)
}

/// The stemmed language whose analyser is named `name`.
pub(crate) fn for_analyser(name: &str) -> Option<&'static StemLanguage> {
    LANGUAGES.iter().find(|language| language.analyser == name)
}

/// Token rule: the Snowball stem of a lowercase word.
#[derive(Clone, Copy)]
pub(crate) struct SnowballStem(Stemmer);

impl SnowballStem {
    pub(crate) fn new(language: &StemLanguage) -> SnowballStem {
        SnowballStem(Stemmer::new(language.algorithm))
    }
}

impl std::fmt::Debug for SnowballStem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SnowballStem")
    }
}

impl RewriteToken for SnowballStem {
    fn rewrite(&self, text: &str, out: &mut String) -> bool {
        match self.0.stem(text) {
            Cow::Borrowed(stem) if stem.len() == text.len() => false,
            stem => {
                out.push_str(&stem);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_fields_and_analysers_are_unique_and_detected() {
        for (i, language) in LANGUAGES.iter().enumerate() {
            assert_eq!(language.field, format!("stem_{}", language.code));
            assert!(LANGUAGES[..i].iter().all(|other| other.code != language.code));
            assert_eq!(for_analyser(language.analyser).map(|l| l.code), Some(language.code));
            // Every code is one language detection can give a paragraph.
            assert_eq!(crate::extract::language::parse(language.code), Some(language.code));
        }
        assert!(for_code("en").is_none() && for_code("ru").is_none());
    }
}
