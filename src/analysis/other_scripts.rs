//! [`OtherScriptsOnly`]: keeps only the tokens that hold a letter of a
//! script other than Latin (`Михайлов`, `Ελλάδα`) and drops the rest
//! (`Mikhailov`, `São`, `5000`) and Chinese, Japanese and Korean tokens:
//! their romanisation would be a guess (`金正恩` is `Kim Jong Un`, not the
//! `jinzhengen` a character table gives), so a Latin query meets them only
//! through the names `extract::entities::aliases` lists.
//!
//! It decides what the `translit` field indexes. That field exists so that a
//! Latin query word finds a name written in another script; a Latin word of
//! the text is already matched through `text` and `text_exact`, and indexing
//! its skeleton again made `translit` as large as either of them. Query words
//! still go through the whole [`super::TRANSLIT`] analyser, so `Mikhailov`
//! becomes the skeleton `mihailov` that `Михайлов` was indexed as.

use tantivy::tokenizer::{Token, TokenFilter, TokenStream, Tokenizer};

use super::cjk::is_cjk;

/// Token filter: drop tokens written only in Latin letters, digits and marks.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct OtherScriptsOnly;

/// Whether `c` is a letter outside the Latin script (Latin here covers
/// ASCII, the Latin-1 and Latin Extended blocks, and the fullwidth forms).
pub(crate) fn is_other_script_letter(c: char) -> bool {
    c.is_alphabetic()
        && !matches!(
            u32::from(c),
            0..=0x24F | 0x1E00..=0x1EFF | 0x2C60..=0x2C7F | 0xA720..=0xA7FF
                | 0xAB30..=0xAB6F | 0xFB00..=0xFB06 | 0xFF21..=0xFF5A
        )
}

impl TokenFilter for OtherScriptsOnly {
    type Tokenizer<T: Tokenizer> = OtherScriptsTokenizer<T>;

    fn transform<T: Tokenizer>(self, inner: T) -> OtherScriptsTokenizer<T> {
        OtherScriptsTokenizer { inner }
    }
}

/// The tokenizer produced by [`OtherScriptsOnly`].
#[derive(Clone)]
pub(crate) struct OtherScriptsTokenizer<T> {
    inner: T,
}

impl<T: Tokenizer> Tokenizer for OtherScriptsTokenizer<T> {
    type TokenStream<'a> = OtherScriptsTokenStream<T::TokenStream<'a>>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> Self::TokenStream<'a> {
        OtherScriptsTokenStream { tail: self.inner.token_stream(text) }
    }
}

/// The token stream produced by [`OtherScriptsTokenizer`].
pub(crate) struct OtherScriptsTokenStream<S> {
    tail: S,
}

impl<S: TokenStream> TokenStream for OtherScriptsTokenStream<S> {
    fn advance(&mut self) -> bool {
        while self.tail.advance() {
            let text = &self.tail.token().text;
            if text.chars().any(is_other_script_letter) && !text.chars().any(is_cjk) {
                return true;
            }
        }
        false
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

    #[test]
    fn other_script_letters_table() {
        for c in ['М', 'й', '中', 'Ω', 'ש', 'ع', 'ก', 'ア'] {
            assert!(is_other_script_letter(c), "{c}");
        }
        for c in ['a', 'Z', 'ã', 'ß', 'ł', 'ő', 'ș', 'ạ', 'ｆ', '5', '\u{303}', '’', '-']
        {
            assert!(!is_other_script_letter(c), "{c}");
        }
    }
}
