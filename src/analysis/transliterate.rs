//! [`Transliterate`]: writes a token in other scripts in lowercase ASCII
//! letters and digits with `deunicode` (`михайлов` → `mikhailov`,
//! `são` → `sao`, `中国` → `zhongguo`), one character at a time into the
//! reused buffer. Characters with no transliteration, and the spaces and
//! punctuation some transliterations contain, are dropped; a token that would
//! come out empty is kept as it was rather than indexed as an empty term.

use deunicode::deunicode_char;

use super::rewrite::RewriteToken;

/// Token rule: transliterate non-ASCII tokens to lowercase ASCII.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Transliterate;

impl RewriteToken for Transliterate {
    fn rewrite(&self, text: &str, out: &mut String) -> bool {
        if text.is_ascii() {
            return false;
        }
        for c in text.chars() {
            if c.is_ascii() {
                push_alphanumeric(c.encode_utf8(&mut [0; 4]), out);
            } else if let Some(latin) = deunicode_char(c) {
                push_alphanumeric(latin, out);
            }
        }
        !out.is_empty()
    }
}

/// Appends the ASCII letters (lowercased) and digits of `latin` to `out`.
fn push_alphanumeric(latin: &str, out: &mut String) {
    out.extend(latin.chars().filter(char::is_ascii_alphanumeric).map(|c| c.to_ascii_lowercase()));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn transliterate(text: &str) -> Option<String> {
        let mut out = String::new();
        Transliterate.rewrite(text, &mut out).then_some(out)
    }

    #[test]
    fn transliterate_table() {
        let cases = [
            ("михайлов", Some("mikhailov")),
            ("евгений", Some("evgenii")),
            ("зеленский", Some("zelenskii")),
            ("são", Some("sao")),
            ("straße", Some("strasse")),
            ("中国", Some("zhongguo")),
            ("kyiv", None),
            ("5000", None),
        ];
        for (text, expected) in cases {
            assert_eq!(transliterate(text).as_deref(), expected, "transliterate({text:?})");
        }
    }
}
