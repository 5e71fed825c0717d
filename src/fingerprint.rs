//! Fingerprints that find the same story twice: syndicated wire copy and
//! files saved twice. A paragraph's fingerprint is a hash of its words
//! (case, punctuation and spacing ignored), so byte-different copies of one
//! paragraph share it. A document's is a MinHash signature of its three-word
//! shingles: the share of equal values estimates the share of shingles two
//! documents have in common (their Jaccard similarity); locality-sensitive
//! bands of it say which documents are worth comparing at all.
//!
//! Everything here is a fixed function of the text (xxh3 with fixed seeds),
//! because the values are kept in the index and compared across runs.

use std::collections::HashSet;

use xxhash_rust::xxh3::{xxh3_64, xxh3_64_with_seed};

/// Values in a document signature.
const SIGNATURE_LEN: usize = 64;
/// Numbers a signature is stored as ([`Signature::to_words`]).
const WORDS: usize = SIGNATURE_LEN.div_ceil(3);
/// Rows per locality-sensitive band: documents sharing ≥ 90% of their
/// shingles share a band with probability 1 − (1 − 0.9⁴)¹⁶ > 0.999999.
const BAND_ROWS: usize = 4;
/// Bands per signature.
const BANDS: usize = SIGNATURE_LEN / BAND_ROWS;
/// Documents sharing at least this share of shingles are copies.
pub(crate) const NEAR_DUPLICATE: f32 = 0.9;
/// Fewer shingles than this say too little for a similarity: short
/// documents are folded by their paragraphs' fingerprints only.
const MIN_SHINGLES: usize = 8;

/// The lower-case words of `text`: runs of letters and digits.
fn words(text: &str) -> impl Iterator<Item = String> + '_ {
    text.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_lowercase)
}

/// The fingerprint of a paragraph's words; `None` for text without any.
pub(crate) fn paragraph_hash(text: &str) -> Option<u64> {
    let mut normalised = String::with_capacity(text.len());
    for word in words(text) {
        if !normalised.is_empty() {
            normalised.push(' ');
        }
        normalised.push_str(&word);
    }
    (!normalised.is_empty()).then(|| xxh3_64(normalised.as_bytes()))
}

/// What decides whether two paragraphs of documents that are copies say
/// the same: their numbers and their words.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Gist {
    numbers: Vec<String>,
    words: HashSet<String>,
}

impl Gist {
    pub(crate) fn of(text: &str) -> Gist {
        let words: HashSet<String> = words(text).collect();
        let mut numbers: Vec<String> =
            words.iter().filter(|w| w.chars().any(|c| c.is_ascii_digit())).cloned().collect();
        numbers.sort();
        Gist { numbers, words }
    }

    /// The same numbers, and at least half their words in common. An
    /// edited sentence ending agrees; "committee 5 agreed" and "committee 6
    /// agreed" do not, though the minutes around them are the same.
    pub(crate) fn agrees_with(&self, other: &Gist) -> bool {
        if self.numbers != other.numbers {
            return false;
        }
        let common = self.words.intersection(&other.words).count();
        let union = self.words.len() + other.words.len() - common;
        union > 0 && 2 * common >= union
    }
}

/// MurmurHash3's 64-bit finaliser: each seed's xor followed by this is one
/// of the signature's hash functions, at a few cycles a shingle (xxh3 per
/// seed cost more than the rest of indexing a paragraph).
fn mix(mut x: u64) -> u64 {
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^ (x >> 33)
}

/// A document's MinHash signature: per seed, the low 16 bits of the least
/// shingle hash ("b-bit minwise hashing", Li & König 2010). Sixteen bits
/// halve the size at a 1/65,536 chance that two different minima agree.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Signature([u16; SIGNATURE_LEN]);

impl Signature {
    /// The signature of a document's paragraphs; `None` when they hold too
    /// few shingles to compare.
    pub(crate) fn of<'a>(paragraphs: impl IntoIterator<Item = &'a str>) -> Option<Signature> {
        let hashes: Vec<u64> =
            paragraphs.into_iter().flat_map(words).map(|w| xxh3_64(w.as_bytes())).collect();
        let mut minima = [u64::MAX; SIGNATURE_LEN];
        let mut shingles = 0;
        for window in hashes.windows(3) {
            shingles += 1;
            let shingle = window[0].rotate_left(42) ^ window[1].rotate_left(21) ^ window[2];
            for (seed, minimum) in (1u64..).zip(minima.iter_mut()) {
                let value = mix(shingle ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15));
                *minimum = (*minimum).min(value);
            }
        }
        (shingles >= MIN_SHINGLES).then(|| Signature(minima.map(|m| m as u16)))
    }

    /// The estimated share of shingles two documents have in common.
    pub(crate) fn similarity(&self, other: &Signature) -> f32 {
        let equal = self.0.iter().zip(&other.0).filter(|(a, b)| a == b).count();
        equal as f32 / SIGNATURE_LEN as f32
    }

    /// Whether the documents are copies of one another.
    pub(crate) fn is_copy_of(&self, other: &Signature) -> bool {
        self.similarity(other) >= NEAR_DUPLICATE
    }

    /// The band keys: documents that are copies share at least one.
    pub(crate) fn bands(&self) -> [u64; BANDS] {
        let mut keys = [0; BANDS];
        for (band, key) in keys.iter_mut().enumerate() {
            let mut bytes = [0u8; 2 * BAND_ROWS];
            for (row, value) in self.0[band * BAND_ROWS..][..BAND_ROWS].iter().enumerate() {
                bytes[2 * row..][..2].copy_from_slice(&value.to_le_bytes());
            }
            *key = xxh3_64_with_seed(&bytes, band as u64);
        }
        keys
    }

    /// The signature as stored in the index: three values to a number,
    /// above them the number's place (a column need not keep a record's
    /// numbers in the order they were added).
    pub(crate) fn to_words(&self) -> Vec<u64> {
        self.0
            .chunks(3)
            .enumerate()
            .map(|(place, values)| {
                let packed = values.iter().fold(0, |word, &value| word << 16 | u64::from(value));
                (place as u64) << 48 | packed << (16 * (3 - values.len()))
            })
            .collect()
    }

    /// A stored signature; `None` for numbers that are not one.
    pub(crate) fn from_words(words: impl IntoIterator<Item = u64>) -> Option<Signature> {
        let mut words: Vec<u64> = words.into_iter().collect();
        words.sort_unstable();
        if words.len() != WORDS || words.iter().enumerate().any(|(i, w)| w >> 48 != i as u64) {
            return None;
        }
        let mut values = [0u16; SIGNATURE_LEN];
        for (chunk, word) in values.chunks_mut(3).zip(words) {
            for (i, value) in chunk.iter_mut().enumerate() {
                *value = (word >> (16 * (2 - i))) as u16;
            }
        }
        Some(Signature(values))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORY: [&str; 4] = [
        "Approximately 5,000 North Korean Army engineers are expected to arrive in the \
         Kursk region to help rebuild infrastructure damaged during the fighting.",
        "The deployment was confirmed by officials in Moscow, who said the engineers would \
         clear mines and restore bridges and roads over the coming months.",
        "Analysts said the move deepens military cooperation between the two countries and \
         follows the earlier arrival of troops that fought in the region.",
        "Ukrainian officials did not comment on the report on Tuesday evening.",
    ];

    #[test]
    fn a_paragraph_hash_ignores_case_punctuation_and_spacing() {
        let a = paragraph_hash("Oil prices rose 5%, traders said.");
        assert_eq!(a, paragraph_hash("  oil PRICES rose 5 % -- traders said"));
        assert_ne!(a, paragraph_hash("Oil prices rose 6%, traders said."));
        assert_eq!(paragraph_hash(" -- "), None);
    }

    #[test]
    fn a_copy_with_a_changed_sentence_ending_is_near_and_another_story_is_not() {
        let original = Signature::of(STORY).unwrap();
        let mut edited = STORY.map(String::from);
        edited[3] = "Ukrainian officials did not comment on Tuesday.".into();
        let copy = Signature::of(edited.iter().map(String::as_str)).unwrap();
        assert!(copy.similarity(&original) >= 0.8, "{}", copy.similarity(&original));
        assert!(copy.bands().iter().any(|band| original.bands().contains(band)));
        let other = Signature::of([
            "Oil prices fell on Monday as traders weighed rising stocks in the United States \
             against output cuts agreed by producers last week.",
        ])
        .unwrap();
        assert!(other.similarity(&original) < 0.2, "{}", other.similarity(&original));
        assert!(!other.is_copy_of(&original));
        assert!(original.is_copy_of(&Signature::of(STORY).unwrap()));
    }

    #[test]
    fn passages_agree_when_they_share_their_numbers_and_most_words() {
        let agree = |a: &str, b: &str| Gist::of(a).agrees_with(&Gist::of(b));
        let original = "Officials in Kyiv did not comment on the report on Tuesday evening.";
        assert!(agree(original, "Officials in Kyiv did not comment on Tuesday."));
        assert!(!agree("The committee number 5 agreed.", "The committee number 6 agreed."));
        assert!(!agree(original, "Officials in Moscow said the bridges would reopen soon."));
        assert!(!agree("", ""));
    }

    #[test]
    fn half_a_story_is_not_a_copy_of_it() {
        let whole = Signature::of(STORY).unwrap();
        let half = Signature::of(STORY[..2].iter().copied()).unwrap();
        let similarity = half.similarity(&whole);
        assert!((0.3..0.8).contains(&similarity), "{similarity}");
    }

    #[test]
    fn a_few_words_have_no_signature_and_signatures_survive_storage() {
        assert_eq!(Signature::of(["Oil prices rose today."]), None);
        let signature = Signature::of(STORY).unwrap();
        let mut words = signature.to_words();
        words.reverse();
        assert_eq!(Signature::from_words(words), Some(signature));
        assert_eq!(Signature::from_words([1, 2, 3]), None);
    }
}
