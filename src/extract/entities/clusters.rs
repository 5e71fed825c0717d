//! Word clusters learned from unlabelled news (see [`super::exchange`] for
//! how), as the tagger reads them: each known word maps to one class id per
//! granularity, finest first, where every coarser class is a union of finer
//! ones. A word the labelled training data never showed still tells the
//! tagger something if it shares a class with words it did see ("Kinnock"
//! with "Thatcher", "Ecuador" with "Peru").
//!
//! The bundled file (`data/models/clusters.bin`) is compiled in, like the
//! model, and parsed once per process (a few milliseconds).
//!
//! File layout (little-endian):
//! ```text
//! magic  b"LEDECLU\0"   version u32 = 1   levels u32 (1..=4)
//! classes u32 per level (finest first, each at most 65,535)
//! words u32
//! per word, in byte order of the word: length u8, UTF-8 bytes,
//!   then one u16 class id per level
//! ```
//! Words are stored as [`cluster_key`] gives them: case kept (clusters of
//! surface forms: "Bush" and "bush" live apart), digits folded to `0`.

use std::fmt;
use std::sync::OnceLock;

use super::fasthash::FastMap;

const MAGIC: &[u8; 8] = b"LEDECLU\0";
const VERSION: u32 = 1;

/// Most granularities a file may hold.
pub(crate) const MAX_LEVELS: usize = 4;

/// A word's class per level, finest first; [`NO_CLASS`] where it has none.
pub(crate) type ClassIds = [u16; MAX_LEVELS];

/// The class id of a word the clusters do not know (and of absent levels).
pub(crate) const NO_CLASS: u16 = u16::MAX;

/// The [`ClassIds`] of an unknown word.
pub(crate) const UNKNOWN: ClassIds = [NO_CLASS; MAX_LEVELS];

const BUNDLED_CLUSTERS: &[u8] = include_bytes!("../../../data/models/clusters.bin");

/// The clusters in use: the compiled-in file unless [`Clusters::install`] came first.
static BUNDLED: OnceLock<Clusters> = OnceLock::new();

/// Why a clusters file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClustersError {
    /// The file does not start with the clusters magic bytes.
    BadMagic,
    /// The file was written by an incompatible version of the format.
    Version(u32),
    /// A count or class id is out of range, or the file ends early.
    Corrupt(&'static str),
}

impl fmt::Display for ClustersError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ClustersError::BadMagic => write!(f, "not a lede clusters file (bad magic bytes)"),
            ClustersError::Version(v) => {
                write!(f, "clusters format version {v} is not supported (expected {VERSION})")
            }
            ClustersError::Corrupt(what) => write!(f, "clusters file is corrupt: {what}"),
        }
    }
}

impl std::error::Error for ClustersError {}

/// Words and their class ids at each granularity.
#[derive(Debug, Default)]
pub struct Clusters {
    /// Classes per level, finest first.
    classes: Vec<u32>,
    words: FastMap<Box<str>, ClassIds>,
}

/// The form a word is looked up and stored under: its own case, ASCII
/// digits folded to `0` (numbers cluster by shape, not value) and curly
/// apostrophes straightened, appended to `out`.
pub(crate) fn cluster_key(token: &str, out: &mut String) {
    out.extend(token.chars().map(key_char));
}

/// One character of a [`cluster_key`].
fn key_char(c: char) -> char {
    match c {
        '0'..='9' => '0',
        '’' => '\'',
        c => c,
    }
}

impl Clusters {
    /// The clusters shipped in `data/models/clusters.bin`, parsed on first use.
    ///
    /// # Panics
    /// If the bundled file is unusable: a build defect (caught by this
    /// module's tests), not something input can cause.
    pub(crate) fn bundled() -> &'static Clusters {
        BUNDLED.get_or_init(|| {
            Clusters::from_bytes(BUNDLED_CLUSTERS).unwrap_or_else(|e| {
                panic!("the bundled word clusters data/models/clusters.bin are unusable: {e}")
            })
        })
    }

    /// Makes `self` the clusters this process tags and trains with, in
    /// place of the compiled-in file: for experiments (`train_ner` with
    /// `NER_CLUSTERS`), so trying other clusters needs no rebuild. Gives
    /// them back if clusters were already in use.
    pub fn install(self) -> Result<(), Clusters> {
        BUNDLED.set(self)
    }

    /// Clusters from `(word, class ids finest first)` pairs and the number
    /// of classes per level. Words are keyed as given (callers pass
    /// [`cluster_key`] forms); ids must be below their level's class count.
    pub fn new(
        classes: Vec<u32>,
        words: impl IntoIterator<Item = (String, Vec<u16>)>,
    ) -> Result<Clusters, ClustersError> {
        if classes.is_empty() || classes.len() > MAX_LEVELS {
            return Err(ClustersError::Corrupt("level count"));
        }
        if classes.iter().any(|&c| c == 0 || c >= u32::from(NO_CLASS)) {
            return Err(ClustersError::Corrupt("class count"));
        }
        let mut map = FastMap::default();
        for (word, ids) in words {
            if word.is_empty() || word.len() > usize::from(u8::MAX) {
                return Err(ClustersError::Corrupt("word length"));
            }
            if ids.len() != classes.len() {
                return Err(ClustersError::Corrupt("ids per word"));
            }
            let mut row = UNKNOWN;
            for ((slot, &id), &n) in row.iter_mut().zip(&ids).zip(&classes) {
                if u32::from(id) >= n {
                    return Err(ClustersError::Corrupt("class id"));
                }
                *slot = id;
            }
            map.insert(word.into_boxed_str(), row);
        }
        Ok(Clusters { classes, words: map })
    }

    /// Number of levels (granularities) in the file.
    pub fn levels(&self) -> usize {
        self.classes.len()
    }

    /// Classes per level, finest first.
    pub fn classes(&self) -> &[u32] {
        &self.classes
    }

    /// Number of words with classes.
    pub fn len(&self) -> usize {
        self.words.len()
    }

    /// Whether no word has a class.
    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The class ids stored for `key` exactly (a [`cluster_key`] form).
    pub fn get(&self, key: &str) -> Option<&[u16]> {
        self.words.get(key).map(|ids| &ids[..self.classes.len()])
    }

    /// The classes of a token as the tagger sees it. News sets headlines
    /// and datelines in capitals and starts sentences with a capital, so a
    /// token missing in its own form is looked up in title case (for an
    /// all-capitals word) and then in lowercase: "GERMANY" gets the classes
    /// of "Germany". `scratch` is working space.
    pub(crate) fn lookup(&self, token: &str, scratch: &mut String) -> ClassIds {
        scratch.clear();
        cluster_key(token, scratch);
        if let Some(ids) = self.words.get(scratch.as_str()) {
            return *ids;
        }
        let mut chars = token.chars();
        if !chars.next().is_some_and(char::is_uppercase) {
            return UNKNOWN;
        }
        let all_caps = chars.clone().any(char::is_uppercase) && !chars.any(char::is_lowercase);
        // The key is kept in `scratch`; each other form is written after it.
        let key_len = scratch.len();
        let mut try_form = |to_lower: &dyn Fn(usize) -> bool| -> Option<ClassIds> {
            scratch.truncate(key_len);
            for (n, c) in token.chars().enumerate() {
                if to_lower(n) {
                    scratch.extend(c.to_lowercase().map(key_char));
                } else {
                    scratch.push(key_char(c));
                }
            }
            self.words.get(&scratch[key_len..]).copied()
        };
        if all_caps {
            if let Some(ids) = try_form(&|n| n > 0) {
                return ids;
            }
        }
        try_form(&|_| true).unwrap_or(UNKNOWN)
    }

    /// The file's bytes: words in byte order, so the same clusters always
    /// give the same file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.words.len() * 16);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(self.classes.len() as u32).to_le_bytes());
        for c in &self.classes {
            out.extend_from_slice(&c.to_le_bytes());
        }
        out.extend_from_slice(&(self.words.len() as u32).to_le_bytes());
        let mut words: Vec<(&str, &ClassIds)> =
            self.words.iter().map(|(w, ids)| (&**w, ids)).collect();
        words.sort_unstable_by(|a, b| a.0.cmp(b.0));
        for (w, ids) in words {
            // Lengths were checked when the word went in.
            out.push(w.len() as u8);
            out.extend_from_slice(w.as_bytes());
            for id in &ids[..self.classes.len()] {
                out.extend_from_slice(&id.to_le_bytes());
            }
        }
        out
    }

    /// Parses a clusters file.
    pub fn from_bytes(bytes: &[u8]) -> Result<Clusters, ClustersError> {
        let mut r = Reader(bytes);
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ClustersError::BadMagic);
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(ClustersError::Version(version));
        }
        let levels = r.u32()? as usize;
        if levels == 0 || levels > MAX_LEVELS {
            return Err(ClustersError::Corrupt("level count"));
        }
        let classes = (0..levels).map(|_| r.u32()).collect::<Result<Vec<u32>, _>>()?;
        let n = r.u32()? as usize;
        // Each word takes at least 2 + 2 * levels bytes: a bad count cannot
        // make us reserve more than the file could hold.
        if n > r.0.len() / (2 + 2 * levels) {
            return Err(ClustersError::Corrupt("word count"));
        }
        let mut words = Vec::with_capacity(n);
        for _ in 0..n {
            let len = usize::from(r.take(1)?[0]);
            let word = std::str::from_utf8(r.take(len)?)
                .map_err(|_| ClustersError::Corrupt("word is not UTF-8"))?;
            let ids = (0..levels).map(|_| r.u16()).collect::<Result<Vec<u16>, _>>()?;
            words.push((word.to_string(), ids));
        }
        if !r.0.is_empty() {
            return Err(ClustersError::Corrupt("bytes after the last word"));
        }
        Clusters::new(classes, words)
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ClustersError> {
        if self.0.len() < n {
            return Err(ClustersError::Corrupt("file ends early"));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, ClustersError> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    fn u16(&mut self) -> Result<u16, ClustersError> {
        let b = self.take(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Clusters {
        let words = [
            ("Germany", vec![3, 1]),
            ("France", vec![3, 1]),
            ("Kinnock", vec![7, 2]),
            ("said", vec![0, 0]),
            ("0,000", vec![5, 0]),
            ("Cote d'Ivoire", vec![3, 1]),
        ];
        Clusters::new(vec![8, 3], words.map(|(w, ids)| (w.to_string(), ids))).unwrap()
    }

    #[test]
    fn round_trips_through_bytes_deterministically() {
        let c = sample();
        let bytes = c.to_bytes();
        let back = Clusters::from_bytes(&bytes).unwrap();
        assert_eq!(back.classes(), &[8, 3]);
        assert_eq!(back.len(), 6);
        assert_eq!(back.get("Kinnock"), Some(&[7u16, 2][..]));
        assert_eq!(back.to_bytes(), bytes);
    }

    #[test]
    fn lookup_folds_digits_and_falls_back_on_case() {
        let c = sample();
        let mut s = String::new();
        assert_eq!(c.lookup("Germany", &mut s), [3, 1, NO_CLASS, NO_CLASS]);
        // Headline capitals, then lowercase, then nothing.
        assert_eq!(c.lookup("GERMANY", &mut s), [3, 1, NO_CLASS, NO_CLASS]);
        assert_eq!(c.lookup("Said", &mut s), [0, 0, NO_CLASS, NO_CLASS]);
        assert_eq!(c.lookup("SAID", &mut s), [0, 0, NO_CLASS, NO_CLASS]);
        assert_eq!(c.lookup("5,000", &mut s), [5, 0, NO_CLASS, NO_CLASS]);
        assert_eq!(c.lookup("germany", &mut s), UNKNOWN);
        assert_eq!(c.lookup("Narnia", &mut s), UNKNOWN);
        assert_eq!(c.lookup("", &mut s), UNKNOWN);
        assert_eq!(c.lookup("Cote d’Ivoire", &mut s), [3, 1, NO_CLASS, NO_CLASS]);
    }

    #[test]
    fn bad_files_give_errors_not_panics() {
        let bytes = sample().to_bytes();
        assert_eq!(Clusters::from_bytes(b"NOTCLUST").unwrap_err(), ClustersError::BadMagic);
        for cut in [0, 9, 20, bytes.len() - 1] {
            assert!(Clusters::from_bytes(&bytes[..cut]).is_err(), "cut at {cut}");
        }
        let mut version = bytes.clone();
        version[8] = 9;
        assert_eq!(Clusters::from_bytes(&version).unwrap_err(), ClustersError::Version(9));
        // A class id at or above its level's count.
        let bad = Clusters::new(vec![2], [("x".to_string(), vec![2])]);
        assert!(bad.is_err());
        let mut extra = bytes;
        extra.push(0);
        assert!(Clusters::from_bytes(&extra).is_err());
    }

    #[test]
    fn bundled_clusters_load_and_know_news_words() {
        let c = Clusters::bundled();
        assert!(c.levels() >= 2, "{:?}", c.classes());
        assert!(c.len() > 10_000, "{}", c.len());
        let mut s = String::new();
        let country = |w: &str, s: &mut String| c.lookup(w, s);
        // Countries share a coarse class more often than a country and a verb.
        let (de, fr, said) =
            (country("Germany", &mut s), country("France", &mut s), country("said", &mut s));
        assert!(de != UNKNOWN && fr != UNKNOWN && said != UNKNOWN);
        let coarsest = c.levels() - 1;
        assert_eq!(de[coarsest], fr[coarsest]);
        assert_ne!(de[coarsest], said[coarsest]);
    }
}
