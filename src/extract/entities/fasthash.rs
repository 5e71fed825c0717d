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
    }
}
