//! Which characters belong to the unspaced (or particle-glued) scripts of
//! Chinese, Japanese and Korean. [`super::news_tokenizer`] splits a run of
//! them into overlapping bigrams, as Lucene's `CJKAnalyzer` does: `金正恩在平壤`
//! → `金正 正恩 恩在 在平 平壤`, `평양에서` → `평양 양에 에서`. Every two-character
//! word is then a term of its own, a longer word is a phrase of bigrams, and
//! a Korean noun is found whatever particle follows it (`평양` in `평양에서`)
//! with no dictionary to ship or download.

/// Whether `c` is a Han ideograph, a kana or a Hangul letter.
pub(crate) fn is_cjk(c: char) -> bool {
    matches!(u32::from(c),
        0x3040..=0x30FF          // Hiragana, Katakana
        | 0x3400..=0x4DBF        // Han extension A
        | 0x4E00..=0x9FFF        // Han unified ideographs
        | 0xF900..=0xFAFF        // Han compatibility ideographs
        | 0x1100..=0x11FF        // Hangul Jamo
        | 0x3130..=0x318F        // Hangul compatibility Jamo
        | 0xAC00..=0xD7AF        // Hangul syllables
        | 0xFF66..=0xFF9F        // halfwidth Katakana
        | 0x20000..=0x2FA1F) // Han extensions B and later
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_table() {
        for c in ['金', '平', '평', '양', 'の', 'ア', '㐀'] {
            assert!(is_cjk(c), "{c}");
        }
        for c in ['a', 'М', 'і', '5', '。', '、', '，'] {
            assert!(!is_cjk(c), "{c}");
        }
    }
}
