//! [`SpellingSkeleton`]: folds a transliterated, lowercased token to a
//! skeleton that absorbs the usual variation between romanisations of the
//! same name, so `Mikhailov`, `Mihailov`, `Mikhaylov` and `Михайлов` (via
//! `mikhailov`) all become `mihailov`.
//!
//! The rules, applied left to right in one pass over ASCII letters:
//! - `kh` → `h` (х: Mikhail / Mihail)
//! - `ks` → `x` (Aleksei / Alexei)
//! - `ye`, `je` → `e` (Yevgeny / Evgeny, Dmitriyev / Dmitriev)
//! - `y`, `j` → `i` (й, ы: Mikhaylov, Zelenskyy, Zelenskij / Zelenskiy)
//! - `w` → `v` (German romanisations: Mikhailow, Smirnow)
//! - a letter equal to the previous output letter is dropped (Evgenii /
//!   Evgeni, Hussein / Husein, Zelenskyy)
//!
//! Digits and other characters pass unchanged and are never collapsed, so
//! `5000` stays `5000`. The set is deliberately small: it is for recall on
//! the `translit` field, and exact forms rank through `text_exact`.

use super::rewrite::RewriteToken;

/// Token rule: fold a lowercase ASCII token to its spelling skeleton.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct SpellingSkeleton;

impl RewriteToken for SpellingSkeleton {
    fn rewrite(&self, text: &str, out: &mut String) -> bool {
        if !text.is_ascii() {
            // Not expected after `Transliterate`; keep such tokens intact.
            return false;
        }
        let bytes = text.as_bytes();
        let mut last_letter: Option<u8> = None;
        let mut i = 0;
        while i < bytes.len() {
            let (folded, consumed) = fold_at(bytes, i);
            i += consumed;
            if folded.is_ascii_lowercase() {
                if last_letter == Some(folded) {
                    continue;
                }
                last_letter = Some(folded);
            } else {
                last_letter = None;
            }
            out.push(char::from(folded));
        }
        out != text
    }
}

/// The skeleton letter for the bytes at `i` and how many bytes it covers.
fn fold_at(bytes: &[u8], i: usize) -> (u8, usize) {
    let next = bytes.get(i + 1).copied();
    match (bytes[i], next) {
        (b'k', Some(b'h')) => (b'h', 2),
        (b'k', Some(b's')) => (b'x', 2),
        (b'y' | b'j', Some(b'e')) => (b'e', 2),
        (b'y' | b'j', _) => (b'i', 1),
        (b'w', _) => (b'v', 1),
        (b, _) => (b, 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn skeleton(text: &str) -> String {
        let mut out = String::new();
        if SpellingSkeleton.rewrite(text, &mut out) {
            out
        } else {
            text.to_string()
        }
    }

    #[test]
    fn spelling_variants_meet() {
        let groups: &[&[&str]] = &[
            &["mikhailov", "mihailov", "mikhaylov", "mikhaillov", "mikhailow"],
            &["evgenii", "evgeny", "yevgeny", "yevgeniy", "evgeni"],
            &["zelensky", "zelenskyy", "zelenskiy", "zelenskij", "zelenskii"],
            &["aleksei", "alexei", "alexey", "aleksey"],
            &["dmitriev", "dmitriyev"],
        ];
        for group in groups {
            let first = skeleton(group[0]);
            for variant in group.iter() {
                assert_eq!(skeleton(variant), first, "{variant} vs {}", group[0]);
            }
        }
    }

    #[test]
    fn skeleton_table() {
        let cases = [
            ("mikhailov", "mihailov"),
            ("kyiv", "kiv"),
            ("5000", "5000"),
            ("a1100b", "a1100b"),
            ("moscow", "moscov"),
        ];
        for (text, expected) in cases {
            assert_eq!(skeleton(text), expected, "skeleton({text:?})");
        }
    }

    #[test]
    fn different_names_stay_apart() {
        assert_ne!(skeleton("mikhailov"), skeleton("mikhalkov"));
        assert_ne!(skeleton("ivanov"), skeleton("ivanova"));
    }
}
