//! A small, fast, non-cryptographic hasher (FNV-1a) for the tagger's
//! string-keyed maps. Keys are the document's own words and the bundled name
//! lists, so the flooding resistance of the default SipHash buys nothing
//! here while its cost shows in tagging throughput.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasherDefault, Hasher};

/// FNV-1a, 64-bit.
pub struct Fnv(u64);

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
pub struct Prehashed(Fnv);

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

/// `HashMap` keyed by hashes, with [`Prehashed`].
pub type HashKeyedMap<K, V> = HashMap<K, V, BuildHasherDefault<Prehashed>>;
/// `HashSet` of hashes, with [`Prehashed`].
pub type HashKeyedSet<K> = HashSet<K, BuildHasherDefault<Prehashed>>;

/// `HashMap` with [`Fnv`].
pub type FastMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;
/// `HashSet` with [`Fnv`].
pub type FastSet<K> = HashSet<K, BuildHasherDefault<Fnv>>;

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
        let hashes: HashKeyedSet<u64> = (0..1000u64).map(|k| k << 40).collect();
        assert!((0..1000u64).all(|k| hashes.contains(&(k << 40))));
        assert!(!hashes.contains(&1));
    }
}
