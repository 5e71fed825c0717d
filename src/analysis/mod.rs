//! Text analysers for news text, built from small parts and registered with
//! tantivy under the name constants below. Tantivy stores only an analyser's
//! name in the index, so [`register`] must run both when an index is created
//! and when it is opened; query text goes through the same analysers.
//!
//! | name | used for | `Russia’s 5,000 São engineers, Михайлов` becomes |
//! |---|---|---|
//! | [`TEXT`] | `text` | `russia 5000 sao engin михайл` (English and Russian stems) |
//! | [`EXACT`] | `text_exact` | `russia 5000 sao engineers михайлов` |
//! | [`TRANSLIT`] | `translit` queries | `rusia 5000 sao enginers mihailov` (spelling skeleton) |
//! | [`TRANSLIT_INDEXED`] | `translit` records | `mihailov mihail` (words of other scripts only, with Cyrillic stems) |
//! | [`KEYWORD`] | whole-value names | the whole text, lowercased and accent-folded |
//! | `lede_stem_fr_v1`… | `stem_fr`… | `russi 5000 sao engineer михайлов` (French stems; one per [`snowball::LANGUAGES`]) |
//!
//! The parts, each in its own module: [`news_tokenizer`] (words and canonical
//! numbers, original byte offsets, [`cjk`] bigrams), [`cyrillic`] (Russian
//! Snowball stems for Russian and Ukrainian words), [`snowball`] (the stems
//! of the other languages tantivy's stemmer covers, for paragraphs in them),
//! [`elision`] (`l’élection` → `élection`), [`stem_variant`] (those
//! stems beside the words in `translit`), [`apostrophe`] (`Russia’s` ≡ `Russia's`
//! ≡ `Russia`), [`marks`] (decomposed accents), [`transliterate`] (other
//! scripts to Latin), [`skeleton`] (romanisation variants) and
//! [`other_scripts`] (what `translit` indexes), plus tantivy's
//! own `LowerCaser`, `AsciiFoldingFilter`, `RemoveLongFilter` and English
//! `Stemmer`. [`prepare_query`] fixes query text for tantivy's query grammar
//! (ASCII `'`, no-break and thin spaces) before parsing.
//!
//! The names carry a version: change what an analyser emits, bump it, and an
//! old index fails loudly instead of silently missing matches.

pub(crate) mod apostrophe;
pub(crate) mod cjk;
pub(crate) mod cyrillic;
pub(crate) mod elision;
pub(crate) mod marks;
pub(crate) mod news_tokenizer;
pub(crate) mod numbers;
pub(crate) mod other_scripts;
pub(crate) mod query_text;
pub(crate) mod rewrite;
pub(crate) mod skeleton;
pub(crate) mod snowball;
pub(crate) mod stem_variant;
pub(crate) mod transliterate;

use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RawTokenizer, RemoveLongFilter, Stemmer,
    TextAnalyzer, TextAnalyzerBuilder, Token, Tokenizer, TokenizerManager,
};

use self::apostrophe::ApostropheFold;
use self::cyrillic::CyrillicStem;
use self::elision::Elision;
use self::marks::StripCombiningMarks;
use self::news_tokenizer::NewsTokenizer;
use self::other_scripts::OtherScriptsOnly;
pub(crate) use self::query_text::prepare_query;
use self::rewrite::Rewrite;
use self::skeleton::SpellingSkeleton;
use self::snowball::{SnowballStem, StemLanguage};
use self::stem_variant::AlsoCyrillicStem;
use self::transliterate::Transliterate;

/// Stemmed English, for the `text` field.
pub(crate) const TEXT: &str = "lede_text_v2";
/// [`TEXT`] without stemming, for `text_exact`: exact forms rank higher.
pub(crate) const EXACT: &str = "lede_exact_v2";
/// Transliterated to Latin and folded to a spelling skeleton: what query
/// words become in `translit`.
pub(crate) const TRANSLIT: &str = "lede_translit_v2";
/// [`TRANSLIT`] of the words written in other scripts than Latin only: what
/// `translit` indexes of a paragraph (records are built with it, pre-tokenized).
pub(crate) const TRANSLIT_INDEXED: &str = "lede_translit_indexed_v2";
/// The whole value as one token, lowercased and accent-folded, for name
/// fields that should match only whole values.
pub(crate) const KEYWORD: &str = "lede_keyword_v1";

/// Every analyser name this module registers but the per-language stem
/// analysers (named in [`snowball::LANGUAGES`]).
pub(crate) const ALL: [&str; 5] = [TEXT, EXACT, TRANSLIT, TRANSLIT_INDEXED, KEYWORD];

/// Longer tokens (in bytes) are dropped: they are base64, hashes or glued
/// garbage, never words anyone searches for.
const MAX_TOKEN_BYTES: usize = 64;

/// Registers every lede analyser with `manager` (call on index create and open).
pub(crate) fn register(manager: &TokenizerManager) {
    let stem_analysers = snowball::LANGUAGES.iter().map(|language| language.analyser);
    for name in ALL.into_iter().chain(stem_analysers) {
        if let Some(analyser) = analyser(name) {
            manager.register(name, analyser);
        }
    }
}

/// A fresh analyser for one of the names in [`ALL`] or
/// [`snowball::LANGUAGES`], or `None`.
pub(crate) fn analyser(name: &str) -> Option<TextAnalyzer> {
    let analyser = match name {
        TEXT => folded_words()
            .filter(Stemmer::new(Language::English))
            .filter(Rewrite(CyrillicStem::default()))
            .build(),
        EXACT => folded_words().build(),
        TRANSLIT => skeletons(news_words()).build(),
        TRANSLIT_INDEXED => skeletons(
            news_words().filter(OtherScriptsOnly).filter(LowerCaser).filter(AlsoCyrillicStem),
        )
        .build(),
        KEYWORD => TextAnalyzer::builder(RawTokenizer::default())
            .filter(LowerCaser)
            .filter(AsciiFoldingFilter)
            .filter(Rewrite(StripCombiningMarks))
            .build(),
        _ => return snowball::for_analyser(name).map(stemmed),
    };
    Some(analyser)
}

/// The tokens `text` becomes under the analyser `name` (`None` for an unknown
/// name), with offsets and positions: for tests and `--explain`.
pub(crate) fn analyse_tokens(name: &str, text: &str) -> Option<Vec<Token>> {
    let mut analyser = analyser(name)?;
    let mut stream = analyser.token_stream(text);
    let mut tokens = Vec::new();
    stream.process(&mut |token| tokens.push(token.clone()));
    Some(tokens)
}

/// The token texts `text` becomes under the analyser `name` (`None` for an
/// unknown name).
pub(crate) fn analyse(name: &str, text: &str) -> Option<Vec<String>> {
    analyse_tokens(name, text).map(|tokens| tokens.into_iter().map(|t| t.text).collect())
}

/// Words and numbers with garbage-length tokens removed.
fn news_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    TextAnalyzer::builder(NewsTokenizer::default()).filter(RemoveLongFilter::limit(MAX_TOKEN_BYTES))
}

/// Tokens lowercased, transliterated and folded to spelling skeletons.
fn skeletons<T: Tokenizer>(words: TextAnalyzerBuilder<T>) -> TextAnalyzerBuilder<impl Tokenizer> {
    words
        .filter(LowerCaser)
        .filter(Rewrite(ApostropheFold))
        .filter(Rewrite(Transliterate))
        .filter(Rewrite(SpellingSkeleton))
}

/// [`news_words`] lowercased, with Latin accents and apostrophes folded.
fn folded_words() -> TextAnalyzerBuilder<impl Tokenizer> {
    news_words()
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Rewrite(StripCombiningMarks))
        .filter(Rewrite(ApostropheFold))
}

/// [`news_words`] lowercased, elisions cut, stemmed in `language`, then
/// folded as [`folded_words`] folds (Snowball reads the accents, so they go
/// after stemming).
fn stemmed(language: &StemLanguage) -> TextAnalyzer {
    // A language without elisions gets a rule that never applies.
    let elision = Elision::of(language.code).unwrap_or_default();
    news_words()
        .filter(LowerCaser)
        .filter(Rewrite(elision))
        .filter(Rewrite(ApostropheFold))
        .filter(Rewrite(SnowballStem::new(language)))
        .filter(AsciiFoldingFilter)
        .filter(Rewrite(StripCombiningMarks))
        .build()
}

#[cfg(test)]
mod index_tests;

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// All tokens `tokenizer` makes of `text`.
    pub(crate) fn collect_tokens<T: Tokenizer>(mut tokenizer: T, text: &str) -> Vec<Token> {
        let mut tokens = Vec::new();
        let mut stream = tokenizer.token_stream(text);
        while let Some(token) = tantivy::tokenizer::TokenStream::next(&mut stream) {
            tokens.push(token.clone());
        }
        tokens
    }

    /// Asserts one token's position, text and byte offsets (tantivy's helper).
    pub(crate) fn assert_token(token: &Token, position: usize, text: &str, from: usize, to: usize) {
        assert_eq!(token.position, position, "position of {token:?}");
        assert_eq!(token.text, text, "text of {token:?}");
        assert_eq!(token.offset_from, from, "offset_from of {token:?}");
        assert_eq!(token.offset_to, to, "offset_to of {token:?}");
    }

    /// Asserts a whole token table: (position, text, from, to) per token.
    pub(crate) fn assert_tokens(tokens: &[Token], expected: &[(usize, &str, usize, usize)]) {
        let texts: Vec<&str> = tokens.iter().map(|t| t.text.as_str()).collect();
        assert_eq!(tokens.len(), expected.len(), "token count, got {texts:?}");
        for (token, (position, text, from, to)) in tokens.iter().zip(expected) {
            assert_token(token, *position, text, *from, *to);
        }
    }

    fn texts(name: &str, text: &str) -> Vec<String> {
        analyse(name, text).expect("known analyser")
    }

    #[test]
    fn module_doc_example() {
        let text = "Russia’s 5,000 São engineers, Михайлов";
        assert_eq!(texts(TEXT, text), ["russia", "5000", "sao", "engin", "михайл"]);
        assert_eq!(texts(EXACT, text), ["russia", "5000", "sao", "engineers", "михайлов"]);
        assert_eq!(texts(TRANSLIT, text), ["rusia", "5000", "sao", "enginers", "mihailov"]);
        assert_eq!(texts(KEYWORD, "São  Paulo"), ["sao  paulo"]);
        let french = snowball::for_code("fr").expect("French is stemmed").analyser;
        assert_eq!(texts(french, text), ["russi", "5000", "sao", "engineer", "михайлов"]);
    }

    #[test]
    fn analysers_keep_original_offsets_and_positions() {
        let text = "Евгений Михайлов’s 1,500 troops";
        for name in [TEXT, EXACT, TRANSLIT] {
            let tokens = analyse_tokens(name, text).expect("known analyser");
            let spans: Vec<(usize, usize, usize)> =
                tokens.iter().map(|t| (t.position, t.offset_from, t.offset_to)).collect();
            assert_eq!(spans, [(0, 0, 14), (1, 15, 35), (2, 36, 41), (3, 42, 48)], "{name}");
        }
        let translit = texts(TRANSLIT, text);
        assert_eq!(translit, ["evgeni", "mihailov", "1500", "trops"]);
    }

    #[test]
    fn apostrophes_and_quotes_of_every_kind_agree() {
        for name in [TEXT, EXACT, TRANSLIT] {
            let expected = texts(name, "Russia's \"Far East\"");
            for variant in [
                "Russia’s “Far East”",
                "Russia‘s «Far East»",
                "Russiaʼs 'Far East'",
                "Russia „Far East“",
            ] {
                assert_eq!(texts(name, variant), expected, "{name}: {variant}");
            }
        }
        assert_eq!(texts(EXACT, "don’t I've"), ["dont", "ive"]);
    }

    #[test]
    fn accents_fold_in_every_analyser() {
        for name in [TEXT, EXACT, TRANSLIT] {
            assert_eq!(texts(name, "São"), texts(name, "Sao"), "{name}");
            assert_eq!(texts(name, "Sa\u{303}o"), texts(name, "Sao"), "{name}");
        }
    }

    #[test]
    fn transliteration_meets_romanisations() {
        let expected = texts(TRANSLIT, "Mikhailov");
        for variant in ["Михайлов", "Mihailov", "Mikhaylov", "MIKHAILOV"] {
            assert_eq!(texts(TRANSLIT, variant), expected, "{variant}");
        }
        assert_ne!(texts(TRANSLIT, "Mikhailov"), texts(TRANSLIT, "Mikhalkov"));
    }

    #[test]
    fn translit_indexes_only_words_of_other_scripts() {
        let text = "Евгений Михайлов met Mikhailov in São Paulo, 中国 5,000";
        assert_eq!(
            texts(TRANSLIT_INDEXED, text),
            ["evgeni", "evgen", "mihailov", "mihail"],
            "Latin words, numbers and (unguessable) Han are left to text and text_exact"
        );
        // An inflected Cyrillic name meets its Latin spelling through its stem.
        for inflected in ["Курской", "Курске", "Курская"] {
            assert!(texts(TRANSLIT_INDEXED, inflected).contains(&texts(TRANSLIT, "Kursk")[0]));
        }
        // A Latin query word meets the indexed skeleton of the Cyrillic name.
        assert!(texts(TRANSLIT_INDEXED, "Михайлов").contains(&texts(TRANSLIT, "Mikhailov")[0]));
        let positions: Vec<usize> = analyse_tokens(TRANSLIT_INDEXED, text)
            .expect("known analyser")
            .iter()
            .map(|t| t.position)
            .collect();
        assert_eq!(positions, [0, 0, 1, 1]);
    }

    #[test]
    fn overlong_tokens_are_dropped_but_positions_advance() {
        let blob = "a".repeat(MAX_TOKEN_BYTES);
        let tokens =
            analyse_tokens(EXACT, &format!("before {blob} after")).expect("known analyser");
        let table: Vec<(usize, &str)> =
            tokens.iter().map(|t| (t.position, t.text.as_str())).collect();
        assert_eq!(table, [(0, "before"), (2, "after")]);
    }

    #[test]
    fn each_language_meets_its_inflections_in_its_stem_field() {
        let stems = |code: &str, text: &str| {
            let language = snowball::for_code(code).expect("a stemmed language");
            texts(language.analyser, text)
        };
        for (code, inflected, bare) in [
            ("fr", "élections présidentielles", "election presidentielle"),
            ("fr", "l’élection", "élection"),
            ("de", "Wahlen", "Wahl"),
            ("es", "elecciones", "elección"),
            ("it", "dell’elezioni", "l'elezione"),
            ("pt", "políticas", "político"),
            ("nl", "verkiezingen", "verkiezing"),
            ("sv", "valen", "valet"),
        ] {
            assert_eq!(stems(code, inflected), stems(code, bare), "{code}: {inflected}");
        }
        // Folded like every other analyser, after stemming.
        assert_eq!(stems("fr", "élections"), ["elect"]);
        assert_eq!(stems("de", "Ämter"), stems("de", "Amt"));
        assert_ne!(stems("de", "Wahlen"), stems("de", "Wahlkampf"));
    }

    #[test]
    fn register_makes_every_name_available() {
        let manager = TokenizerManager::new();
        register(&manager);
        for name in ALL.into_iter().chain(snowball::LANGUAGES.iter().map(|l| l.analyser)) {
            assert!(manager.get(name).is_some(), "{name}");
        }
        assert!(analyse("en_stem", "x").is_none());
    }
}
