//! A small, fast, non-cryptographic hasher (FNV-1a) for the tagger's
//! string-keyed maps. Keys are the document's own words and the bundled name
//! lists, so the flooding resistance of the default SipHash buys nothing
//! here while its cost shows in tagging throughput.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64-bit.
pub(crate) struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
}

/// A hasher for keys that are already good 64-bit hashes (the tagger's
/// [`str_hash`](super::features::str_hash)es): one multiply instead of
/// FNV's eight byte steps. The shift first brings high bits down, since
/// maps pick buckets by the low bits of the result. Other keys fall back
/// to FNV-1a.
#[derive(Default)]
pub(crate) struct Prehashed(Fnv);

impl Hasher for Prehashed {
    #[inline]
    fn finish(&self) -> u64 {
        self.0.finish()
    }

    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes);
    }

    #[inline]
    fn write_u64(&mut self, v: u64) {
        self.0 .0 = (v ^ (v >> 29)).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

const K_WORD: u64 = 0x9e37_79b9_7f4a_7c15;
const K_MIX: u64 = 0xc2b2_ae3d_27d4_eb4f;

/// The high and low halves of a 128-bit product, xored: one multiply that
/// mixes every input bit into every output bit.
#[inline]
fn folded_multiply(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ ((product >> 64) as u64)
}

#[inline]
fn read_u64(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(w)
}

#[inline]
fn read_u32(bytes: &[u8], at: usize) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&bytes[at..at + 4]);
    u64::from(u32::from_le_bytes(w))
}

/// A hasher for short strings such as words: eight bytes per step where
/// FNV takes one, in the manner of wyhash/foldhash (a short string is read
/// as two overlapping loads, with no loop and no copy of a variable length).
#[derive(Default)]
pub(crate) struct WordHasher(u64);

impl Hasher for WordHasher {
    #[inline]
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        let len = bytes.len();
        let mut h = self.0 ^ (len as u64).wrapping_mul(K_MIX);
        let last = if len >= 8 {
            let mut at = 0;
            while at + 8 < len {
                h = folded_multiply(h ^ read_u64(bytes, at), K_WORD);
                at += 8;
            }
            read_u64(bytes, len - 8)
        } else if len >= 4 {
            (read_u32(bytes, 0) << 32) | read_u32(bytes, len - 4)
        } else if len > 0 {
            (u64::from(bytes[0]) << 16)
                | (u64::from(bytes[len / 2]) << 8)
                | u64::from(bytes[len - 1])
        } else {
            0
        };
        self.0 = folded_multiply(h ^ last, K_WORD ^ K_MIX);
    }

    #[inline]
    fn write_u8(&mut self, b: u8) {
        self.0 = folded_multiply(self.0 ^ u64::from(b), K_MIX);
    }
}

/// `HashMap` keyed by hashes, with [`Prehashed`].
pub(crate) type HashKeyedMap<K, V> = HashMap<K, V, BuildHasherDefault<Prehashed>>;
/// `HashSet` of hashes, with [`Prehashed`].
pub(crate) type HashKeyedSet<K> = HashSet<K, BuildHasherDefault<Prehashed>>;

/// `HashMap` with [`WordHasher`].
pub(crate) type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<WordHasher>>;
/// `HashSet` with [`WordHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<WordHasher>>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_work_with_the_fast_hasher() {
        let mut m: FastMap<String, u8> = FastMap::default();
        m.insert("putin".into(), 1);
        m.insert("kursk".into(), 2);
        assert_eq!(m.get("putin"), Some(&1));
        assert_eq!(m.get("moscow"), None);
        let words = ["", "a", "ab", "abc", "abcd", "abcde", "abcdefgh", "abcdefghi", "Putin’s"];
        let mut w: FastMap<&str, usize> = FastMap::default();
        w.extend(words.iter().enumerate().map(|(i, k)| (*k, i)));
        assert!(words.iter().enumerate().all(|(i, k)| w.get(k) == Some(&i)));
        assert_eq!(w.get("abcdefgj"), None);
        let hashes: HashKeyedSet<u64> = (0..1000u64).map(|k| k << 40).collect();
        assert!((0..1000u64).all(|k| hashes.contains(&(k << 40))));
        assert!(!hashes.contains(&1));
    }
}
