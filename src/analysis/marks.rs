//! [`StripCombiningMarks`]: removes combining diacritical marks that survive
//! accent folding in decomposed (NFD) text, so `Sa\u{303}o` folds to `sao`
//! like the precomposed `São`.

use super::news_tokenizer::is_combining_mark;
use super::rewrite::RewriteToken;

/// Token rule: drop combining marks.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct StripCombiningMarks;

impl RewriteToken for StripCombiningMarks {
    fn rewrite(&self, text: &str, out: &mut String) -> bool {
        if text.is_ascii() || !text.chars().any(is_combining_mark) {
            return false;
        }
        out.extend(text.chars().filter(|c| !is_combining_mark(*c)));
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strips_marks_only() {
        let mut out = String::new();
        assert!(StripCombiningMarks.rewrite("sa\u{303}o", &mut out));
        assert_eq!(out, "sao");
        out.clear();
        assert!(!StripCombiningMarks.rewrite("são", &mut out));
        assert!(!StripCombiningMarks.rewrite("sao", &mut out));
        assert!(out.is_empty());
    }
}
