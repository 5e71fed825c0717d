//! [`AlsoCyrillicStem`]: after each Cyrillic token, its stem as a second
//! token at the same position (`курской`, then `курск`). `translit` indexes
//! both, transliterated: the whole word keeps `Mikhailov` meeting
//! `Михайлов`, and the stem lets `Kursk` meet `Курской` and `Курске`.

use std::mem;

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::cyrillic::CyrillicStem;
use super::rewrite::RewriteToken;

/// Token filter: also emit the stem of every Cyrillic token that has one.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct AlsoCyrillicStem;

impl TokenFilter for AlsoCyrillicStem {
    type Tokenizer<T: Tokenizer> = AlsoCyrillicStemTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> AlsoCyrillicStemTokenizer<T> {
        AlsoCyrillicStemTokenizer { inner, stemmer: CyrillicStem::default() }
    }
}

/// The tokenizer produced by [`AlsoCyrillicStem`].
#[derive(Clone)]
pub(crate) struct AlsoCyrillicStemTokenizer<T> {
    inner: T,
    stemmer: CyrillicStem,
}

impl<T: Tokenizer> Tokenizer for AlsoCyrillicStemTokenizer<T> {
    type TokenStream<'a> = AlsoCyrillicStemStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        AlsoCyrillicStemStream {
            tail: self.inner.token_stream(text),
            stemmer: self.stemmer,
            stem: String::new(),
            word: String::new(),
            on_stem: false,
        }
    }
}

/// The token stream produced by [`AlsoCyrillicStemTokenizer`].
pub(crate) struct AlsoCyrillicStemStream<S> {
    tail: S,
    stemmer: CyrillicStem,
    /// The stem waiting to be emitted (empty when none is).
    stem: String,
    /// The word while its stem is the current token.
    word: String,
    on_stem: bool,
}

impl<S: TokenStream> TokenStream for AlsoCyrillicStemStream<S> {
    fn advance(&mut self) -> bool {
        if self.on_stem {
            // Put the word back so the inner stream's buffer stays its own.
            mem::swap(&mut self.tail.token_mut().text, &mut self.word);
            self.on_stem = false;
        }
        if !self.stem.is_empty() {
            self.word.clear();
            mem::swap(&mut self.tail.token_mut().text, &mut self.word);
            mem::swap(&mut self.tail.token_mut().text, &mut self.stem);
            self.stem.clear();
            self.on_stem = true;
            return true;
        }
        if !self.tail.advance() {
            return false;
        }
        self.stemmer.rewrite(&self.tail.token().text, &mut self.stem);
        true
    }

    fn token(&self) -> &Token {
        self.tail.token()
    }

    fn token_mut(&mut self) -> &mut Token {
        self.tail.token_mut()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::news_tokenizer::NewsTokenizer;
    use tantivy::tokenizer::{LowerCaser, TextAnalyzer};

    #[test]
    fn stems_follow_their_words_at_the_same_position() {
        let mut analyser = TextAnalyzer::builder(NewsTokenizer::default())
            .filter(LowerCaser)
            .filter(AlsoCyrillicStem)
            .build();
        let mut table: Vec<(usize, String, usize)> = Vec::new();
        analyser
            .token_stream("В Курской области Kursk Михайлов")
            .process(&mut |t| table.push((t.position, t.text.clone(), t.offset_from)));
        let expected = [
            (0, "в", 0),
            (1, "курской", 3),
            (1, "курск", 3),
            (2, "области", 18),
            (2, "област", 18),
            (3, "kursk", 33),
            (4, "михайлов", 39),
            (4, "михайл", 39),
        ];
        let expected: Vec<(usize, String, usize)> =
            expected.iter().map(|(p, t, o)| (*p, t.to_string(), *o)).collect();
        assert_eq!(table, expected);
    }
}
