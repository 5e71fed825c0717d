//! [`NewsTokenizer`]: splits news text into words and numbers, with byte
//! offsets into the original text (snippet highlighting relies on them) and
//! one position per token (phrase queries rely on them).
//!
//! - A number starts at an ASCII digit and is read by the shared scanner
//!   [`crate::analysis::numbers::scan_number`]; its token text is the canonical
//!   form (`5,000`, `5\u{A0}000` and `5 000` → `5000`, `3.5` stays `3.5`; a
//!   plain space groups only where the digits cannot be table columns, so
//!   `700 690 678` is three tokens), its offsets cover
//!   the text as written. Letters glued after it start a new token
//!   (`10km` → `10`, `km`), so `10km` and `10 km` index alike.
//! - A word starts at any other alphanumeric character and runs over
//!   alphanumerics and combining marks; an apostrophe of any kind
//!   ([`APOSTROPHES`]) between two word characters stays inside the word
//!   (`Russia’s`, `O'Brien`). The token text is the word as written; the
//!   filters fold case, accents and apostrophes.
//! - A run of Chinese, Japanese or Korean characters ([`is_cjk`]) becomes
//!   overlapping bigrams, one position each (`平壤主持` → `平壤`, `壤主`,
//!   `主持`); a run of one character is one token. Such a run ends any
//!   other word (`G20峰会` → `G20`, `峰会`).
//! - Everything else (spaces, punctuation, quotes, hyphens) separates tokens.

use tantivy::tokenizer::{Token, TokenStream, Tokenizer};

use super::cjk::is_cjk;
use crate::analysis::numbers::scan_number;

/// Every character news text uses as an apostrophe: ASCII `'`, the
/// typographic `’` and `‘`, the modifier letter `ʼ`, the prime `′`, the
/// backtick and acute accent used by some keyboards, and the fullwidth `＇`.
pub(crate) const APOSTROPHES: [char; 8] =
    ['\'', '\u{2019}', '\u{2018}', '\u{02BC}', '\u{2032}', '`', '\u{00B4}', '\u{FF07}'];

/// Tokenizer for news text (see the module doc).
#[derive(Clone, Default)]
pub(crate) struct NewsTokenizer {
    token: Token,
}

/// The token stream of [`NewsTokenizer`].
pub(crate) struct NewsTokenStream<'a> {
    text: &'a str,
    cursor: usize,
    /// Inside a CJK run: where its next bigram starts.
    next_bigram: Option<usize>,
    token: &'a mut Token,
}

impl Tokenizer for NewsTokenizer {
    type TokenStream<'a> = NewsTokenStream<'a>;

    fn token_stream<'a>(&'a mut self, text: &'a str) -> NewsTokenStream<'a> {
        self.token.reset();
        NewsTokenStream { text, cursor: 0, next_bigram: None, token: &mut self.token }
    }
}

impl TokenStream for NewsTokenStream<'_> {
    fn advance(&mut self) -> bool {
        self.token.text.clear();
        if let Some(start) = self.next_bigram.take() {
            self.emit_cjk(start);
            return true;
        }
        let rest = &self.text[self.cursor..];
        let Some((offset, first)) = rest.char_indices().find(|(_, c)| c.is_alphanumeric()) else {
            self.cursor = self.text.len();
            return false;
        };
        let start = self.cursor + offset;
        if is_cjk(first) {
            self.emit_cjk(start);
            return true;
        }
        let number_end = if first.is_ascii_digit() {
            scan_number(self.text, start, &mut self.token.text)
        } else {
            None
        };
        let end = number_end.unwrap_or_else(|| {
            let end = word_end(self.text, start);
            self.token.text.push_str(&self.text[start..end]);
            end
        });
        self.token.offset_from = start;
        self.token.offset_to = end;
        self.token.position = self.token.position.wrapping_add(1);
        self.cursor = end;
        true
    }

    fn token(&self) -> &Token {
        self.token
    }

    fn token_mut(&mut self) -> &mut Token {
        self.token
    }
}

impl NewsTokenStream<'_> {
    /// Emits the bigram of the CJK run at `start` (a lone character when the
    /// run ends after it) and notes where the next bigram starts, if any.
    fn emit_cjk(&mut self, start: usize) {
        let mut chars = self.text[start..].char_indices().map(|(o, c)| (start + o, c));
        let first_end = chars.next().map_or(start, |(o, c)| o + c.len_utf8());
        let second_end = match chars.next() {
            Some((o, c)) if is_cjk(c) => o + c.len_utf8(),
            _ => first_end,
        };
        let more = second_end > first_end && chars.next().is_some_and(|(_, c)| is_cjk(c));
        self.next_bigram = more.then_some(first_end);
        self.token.text.push_str(&self.text[start..second_end]);
        self.token.offset_from = start;
        self.token.offset_to = second_end;
        self.token.position = self.token.position.wrapping_add(1);
        self.cursor = second_end;
    }
}

/// Byte offset just past the word that starts at `start`.
fn word_end(text: &str, start: usize) -> usize {
    let mut chars = text[start..].char_indices().peekable();
    let mut end = start;
    while let Some((offset, c)) = chars.next() {
        if is_word_char(c) && !is_cjk(c) {
            end = start + offset + c.len_utf8();
        } else if !(APOSTROPHES.contains(&c) && chars.peek().is_some_and(|(_, n)| is_word_char(*n)))
        {
            break;
        }
    }
    end
}

/// Alphanumerics, plus combining marks so that decomposed text (`Sa\u{303}o`)
/// stays one word.
fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// The main Unicode blocks of combining diacritical marks.
pub(crate) fn is_combining_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::{assert_tokens, collect_tokens};

    fn tokens(text: &str) -> Vec<Token> {
        collect_tokens(NewsTokenizer::default(), text)
    }

    #[test]
    fn words_and_numbers_with_offsets_and_positions() {
        let text = "approximately 5,000 North Korean Army engineers.";
        assert_tokens(
            &tokens(text),
            &[
                (0, "approximately", 0, 13),
                (1, "5000", 14, 19),
                (2, "North", 20, 25),
                (3, "Korean", 26, 32),
                (4, "Army", 33, 37),
                (5, "engineers", 38, 47),
            ],
        );
    }

    #[test]
    fn number_forms() {
        let text = "5\u{A0}000 or 5\u{202F}000, 3.5% in 2024. In 2021 100 soldiers; 2,021; 5 000";
        assert_tokens(
            &tokens(text),
            &[
                (0, "5000", 0, 6),
                (1, "or", 7, 9),
                (2, "5000", 10, 17),
                (3, "3.5", 19, 22),
                (4, "in", 24, 26),
                (5, "2024", 27, 31),
                (6, "In", 33, 35),
                (7, "2021", 36, 40),
                (8, "100", 41, 44),
                (9, "soldiers", 45, 53),
                (10, "2021", 55, 60),
                (11, "5000", 62, 67),
            ],
        );
    }

    #[test]
    fn letters_after_a_number_start_a_new_token() {
        assert_tokens(
            &tokens("10km, 1.5bn, A320"),
            &[
                (0, "10", 0, 2),
                (1, "km", 2, 4),
                (2, "1.5", 6, 9),
                (3, "bn", 9, 11),
                (4, "A320", 13, 17),
            ],
        );
    }

    #[test]
    fn apostrophes_inside_words_only() {
        // ’ is 3 bytes.
        let text = "Russia’s 'quoted' O'Brien soldiers’ don`t";
        assert_tokens(
            &tokens(text),
            &[
                (0, "Russia’s", 0, 10),
                (1, "quoted", 12, 18),
                (2, "O'Brien", 20, 27),
                (3, "soldiers", 28, 36),
                (4, "don`t", 40, 45),
            ],
        );
    }

    #[test]
    fn non_latin_scripts_and_combining_marks() {
        let text = "Евгений Михайлов, Sa\u{303}o «Paulo»";
        assert_tokens(
            &tokens(text),
            &[
                (0, "Евгений", 0, 14),
                (1, "Михайлов", 15, 31),
                (2, "Sa\u{303}o", 33, 38),
                (3, "Paulo", 41, 46),
            ],
        );
    }

    #[test]
    fn cjk_runs_become_overlapping_bigrams() {
        // Han and Hangul characters are 3 bytes each.
        assert_tokens(
            &tokens("金正恩在平壤。北, 평양에서 G20峰会"),
            &[
                (0, "金正", 0, 6),
                (1, "正恩", 3, 9),
                (2, "恩在", 6, 12),
                (3, "在平", 9, 15),
                (4, "平壤", 12, 18),
                (5, "北", 21, 24),
                (6, "평양", 26, 32),
                (7, "양에", 29, 35),
                (8, "에서", 32, 38),
                (9, "G20", 39, 42),
                (10, "峰会", 42, 48),
            ],
        );
        assert_tokens(
            &tokens("2025年4月"),
            &[(0, "2025", 0, 4), (1, "年", 4, 7), (2, "4", 7, 8), (3, "月", 8, 11)],
        );
    }

    #[test]
    fn empty_and_punctuation_only_text() {
        assert!(tokens("").is_empty());
        assert!(tokens(" -- , . ’ ").is_empty());
    }

    #[test]
    fn offsets_always_slice_the_original_text() {
        let text = "Le 5\u{A0}000 ‘Zürich’ 1,500.25—x’y 9.";
        for token in tokens(text) {
            assert!(text.get(token.offset_from..token.offset_to).is_some(), "{token:?}");
        }
    }
}
