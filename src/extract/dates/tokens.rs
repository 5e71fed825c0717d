//! Splits paragraph text into the small tokens the date grammar works on:
//! words (classified once against the date lexicon), digit runs and single
//! punctuation characters, each with its byte span and whether whitespace
//! precedes it. Classifying here keeps the grammar a matter of comparing enums.

use super::lexicon::{classify, Lex};

/// What a token is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kind {
    /// A run of letters (apostrophes inside words split them).
    Word,
    /// A run of ASCII digits.
    Number,
    /// Any other single non-space character.
    Punct,
}

/// One token with its byte span in the paragraph.
#[derive(Clone, Copy, Debug)]
pub(super) struct Token<'a> {
    pub kind: Kind,
    pub text: &'a str,
    pub start: usize,
    pub end: usize,
    /// Whitespace separates this token from the previous one.
    pub spaced: bool,
    /// Value of a digit run (saturating), 0 for other tokens.
    pub value: u32,
    /// Lexicon class of a word, if it is one the grammar knows.
    pub lex: Option<Lex>,
    /// The word starts with an upper-case letter.
    pub capital: bool,
}

impl Token<'_> {
    /// The token is this punctuation character.
    pub(super) fn is_punct(&self, c: char) -> bool {
        self.kind == Kind::Punct && self.text.starts_with(c)
    }

    /// Number of digits of a digit run.
    pub(super) fn digits(&self) -> usize {
        if self.kind == Kind::Number {
            self.text.len()
        } else {
            0
        }
    }
}

/// Tokenises `text`; spans are byte offsets into it.
pub(super) fn tokenize(text: &str) -> Vec<Token<'_>> {
    let mut tokens = Vec::with_capacity(text.len() / 5 + 1);
    let mut chars = text.char_indices().peekable();
    let mut spaced = true;
    while let Some((start, c)) = chars.next() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        let (kind, end) = if c.is_ascii_digit() {
            let mut end = start + 1;
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_ascii_digit() {
                    break;
                }
                end = i + 1;
                chars.next();
            }
            (Kind::Number, end)
        } else if c.is_alphabetic() {
            let mut end = start + c.len_utf8();
            while let Some(&(i, d)) = chars.peek() {
                if !d.is_alphabetic() {
                    break;
                }
                end = i + d.len_utf8();
                chars.next();
            }
            (Kind::Word, end)
        } else {
            (Kind::Punct, start + c.len_utf8())
        };
        let word = &text[start..end];
        let (value, lex) = match kind {
            Kind::Number => (
                word.bytes()
                    .fold(0u32, |v, b| v.saturating_mul(10).saturating_add(u32::from(b - b'0'))),
                None,
            ),
            Kind::Word => (0, classify(word)),
            Kind::Punct => (0, None),
        };
        tokens.push(Token {
            kind,
            text: word,
            start,
            end,
            spaced,
            value,
            lex,
            capital: c.is_uppercase(),
        });
        spaced = false;
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spans_kinds_and_spacing() {
        let tokens = tokenize("On Nov. 1,  2,021 São");
        let summary: Vec<(Kind, &str, usize, bool)> =
            tokens.iter().map(|t| (t.kind, t.text, t.start, t.spaced)).collect();
        assert_eq!(
            summary,
            vec![
                (Kind::Word, "On", 0, true),
                (Kind::Word, "Nov", 3, true),
                (Kind::Punct, ".", 6, false),
                (Kind::Number, "1", 8, true),
                (Kind::Punct, ",", 9, false),
                (Kind::Number, "2", 12, true),
                (Kind::Punct, ",", 13, false),
                (Kind::Number, "021", 14, false),
                (Kind::Word, "São", 18, true),
            ]
        );
        assert_eq!(tokens[7].value, 21);
        assert!(tokens[1].lex.is_some());
    }
}
