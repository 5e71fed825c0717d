//! [`ApostropheFold`]: makes every apostrophe the same and drops it, after
//! removing a possessive or contracted `'s`, so that `Russia’s`, `Russia's`
//! and `Russia` are one term (`russia`). Other apostrophes are removed, not
//! split on: `don't` → `dont`, `I’ve` → `ive`, `O'Brien` → `obrien`; a query
//! goes through the same rule, so `O’Brien` still finds `O'Brien`.

use super::news_tokenizer::APOSTROPHES;
use super::rewrite::RewriteToken;

/// Token rule: strip a final `'s`, then every remaining apostrophe.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct ApostropheFold;

impl RewriteToken for ApostropheFold {
    fn rewrite(&self, text: &str, out: &mut String) -> bool {
        if !text.contains(APOSTROPHES) {
            return false;
        }
        out.extend(strip_possessive(text).chars().filter(|c| !APOSTROPHES.contains(c)));
        true
    }
}

/// `text` without a final apostrophe + `s`/`S`.
fn strip_possessive(text: &str) -> &str {
    let Some(stem) = text.strip_suffix(['s', 'S']) else {
        return text;
    };
    match stem.chars().next_back() {
        Some(c) if APOSTROPHES.contains(&c) => &stem[..stem.len() - c.len_utf8()],
        _ => text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fold(text: &str) -> String {
        let mut out = String::new();
        if ApostropheFold.rewrite(text, &mut out) {
            out
        } else {
            text.to_string()
        }
    }

    #[test]
    fn fold_table() {
        let cases = [
            ("russia’s", "russia"),
            ("russia's", "russia"),
            ("RUSSIA'S", "RUSSIA"),
            ("russiaʼs", "russia"),
            ("russia", "russia"),
            ("don't", "dont"),
            ("don’t", "dont"),
            ("i’ve", "ive"),
            ("o'brien", "obrien"),
            ("o'brien's", "obrien"),
            ("rock'n'roll", "rocknroll"),
            ("it's", "it"),
            ("says", "says"),
        ];
        for (text, expected) in cases {
            assert_eq!(fold(text), expected, "fold({text:?})");
        }
    }

    #[test]
    fn leaves_apostrophe_free_tokens_untouched() {
        let mut out = String::new();
        assert!(!ApostropheFold.rewrite("kyiv", &mut out));
        assert!(out.is_empty());
    }
}
