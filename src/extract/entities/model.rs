//! The trained model: its compact binary file format, the in-memory weight
//! tables, and Viterbi decoding of a sentence under BILOU constraints.
//!
//! File layout (little-endian):
//! ```text
//! magic  b"LEDENER\0"   version u32 = 1   labels u32 = 17   stages u32 (1 or 2)
//! per stage:
//!   features u32   scale f32                 (weight = stored i16 / scale)
//!   transitions (labels + 1) x labels f32    (row `labels` = sentence start)
//!   end scores  labels f32
//!   per feature: hash u64, label mask u32, then one i16 per set bit of the mask
//! ```
//! A stage-2 model reads the first stage's predictions over the whole
//! document as extra features (see `features::DocContext::add_hint`).

use std::fmt;
use std::sync::OnceLock;

use super::labels::{allowed, allowed_end, NUM_LABELS};

const MAGIC: &[u8; 8] = b"LEDENER\0";
const VERSION: u32 = 1;

/// Why a model file could not be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ModelError {
    /// The file does not start with the lede NER magic bytes.
    BadMagic,
    /// The file was written by an incompatible version of the format.
    Version(u32),
    /// The label count differs from this build's label set.
    Labels(u32),
    /// The file ends early or holds an impossible count.
    Truncated,
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ModelError::BadMagic => write!(f, "not a lede NER model (bad magic bytes)"),
            ModelError::Version(v) => {
                write!(f, "NER model format version {v} is not supported (expected {VERSION})")
            }
            ModelError::Labels(n) => {
                write!(f, "NER model has {n} labels, this build expects {NUM_LABELS}")
            }
            ModelError::Truncated => write!(f, "NER model file is truncated or corrupt"),
        }
    }
}

impl std::error::Error for ModelError {}

/// One stage's weights: a hash table from feature hash to a dense row of
/// per-label weights.
#[derive(Clone)]
pub struct Weights {
    keys: Vec<u64>,
    rows: Vec<u32>,
    mask: usize,
    emit: Vec<f32>,
    trans: Vec<f32>,
    end: Vec<f32>,
}

/// The table's empty-slot marker; a feature hash of 0 is stored as 1.
const EMPTY: u64 = 0;

fn slot_key(hash: u64) -> u64 {
    if hash == EMPTY {
        1
    } else {
        hash
    }
}

impl Weights {
    /// Builds the table from (feature hash, per-label weights) rows plus transition scores.
    pub fn new(features: Vec<(u64, [f32; NUM_LABELS])>, trans: Vec<f32>, end: Vec<f32>) -> Weights {
        let mut w = Weights::with_capacity(features.len(), trans, end);
        for (hash, row) in &features {
            w.insert(*hash, row);
        }
        w
    }

    /// An empty table sized for `n` features.
    fn with_capacity(n: usize, trans: Vec<f32>, end: Vec<f32>) -> Weights {
        let capacity = (n * 2).next_power_of_two().max(16);
        Weights {
            keys: vec![EMPTY; capacity],
            rows: vec![0; capacity],
            mask: capacity - 1,
            emit: Vec::with_capacity(n * NUM_LABELS),
            trans,
            end,
        }
    }

    /// Adds a feature's row (the table must have room: see `with_capacity`).
    fn insert(&mut self, hash: u64, row: &[f32; NUM_LABELS]) {
        let key = slot_key(hash);
        let mut slot = (key as usize) & self.mask;
        while self.keys[slot] != EMPTY && self.keys[slot] != key {
            slot = (slot + 1) & self.mask;
        }
        if self.keys[slot] == key {
            let r = self.rows[slot] as usize * NUM_LABELS;
            self.emit[r..r + NUM_LABELS].copy_from_slice(row);
            return;
        }
        self.keys[slot] = key;
        self.rows[slot] = (self.emit.len() / NUM_LABELS) as u32;
        self.emit.extend_from_slice(row);
    }

    /// The per-label weights of a feature, if the model knows it.
    #[inline]
    pub fn row(&self, hash: u64) -> Option<&[f32]> {
        let key = slot_key(hash);
        let mut slot = (key as usize) & self.mask;
        loop {
            let k = self.keys[slot];
            if k == key {
                let r = self.rows[slot] as usize * NUM_LABELS;
                return Some(&self.emit[r..r + NUM_LABELS]);
            }
            if k == EMPTY {
                return None;
            }
            slot = (slot + 1) & self.mask;
        }
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.emit.len() / NUM_LABELS
    }

    /// Whether the table has no features.
    pub fn is_empty(&self) -> bool {
        self.emit.is_empty()
    }

    /// Adds each token's emission scores (`n x NUM_LABELS`) to `scores`.
    pub fn emissions(&self, features: &super::features::SentenceFeatures, scores: &mut Vec<f32>) {
        scores.clear();
        scores.resize(features.len() * NUM_LABELS, 0.0);
        for i in 0..features.len() {
            let out = &mut scores[i * NUM_LABELS..(i + 1) * NUM_LABELS];
            for &f in features.token(i) {
                if let Some(row) = self.row(f) {
                    for (o, w) in out.iter_mut().zip(row) {
                        *o += *w;
                    }
                }
            }
        }
    }

    /// Best label sequence for the emission scores.
    pub fn decode(&self, scores: &[f32]) -> Vec<u8> {
        viterbi(scores, &self.trans, &self.end)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        let max = self.emit.iter().fold(0f32, |m, w| m.max(w.abs())).max(1e-9);
        let scale = f32::from(i16::MAX) / max;
        out.extend_from_slice(&(self.len() as u32).to_le_bytes());
        out.extend_from_slice(&scale.to_le_bytes());
        for v in self.trans.iter().chain(&self.end) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for (slot, &key) in self.keys.iter().enumerate() {
            if key == EMPTY {
                continue;
            }
            let r = self.rows[slot] as usize * NUM_LABELS;
            let q: Vec<i16> =
                self.emit[r..r + NUM_LABELS].iter().map(|w| (w * scale).round() as i16).collect();
            let mask =
                q.iter().enumerate().fold(0u32, |m, (l, v)| if *v != 0 { m | 1 << l } else { m });
            out.extend_from_slice(&key.to_le_bytes());
            out.extend_from_slice(&mask.to_le_bytes());
            for v in q.iter().filter(|v| **v != 0) {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }

    fn decode_from(r: &mut Reader<'_>) -> Result<Weights, ModelError> {
        let n = r.u32()? as usize;
        let scale = r.f32()?;
        if !(scale.is_finite() && scale > 0.0) || n > r.remaining() / 12 {
            return Err(ModelError::Truncated);
        }
        let mut trans = Vec::with_capacity((NUM_LABELS + 1) * NUM_LABELS);
        for _ in 0..(NUM_LABELS + 1) * NUM_LABELS {
            trans.push(r.f32()?);
        }
        let mut end = Vec::with_capacity(NUM_LABELS);
        for _ in 0..NUM_LABELS {
            end.push(r.f32()?);
        }
        let mut weights = Weights::with_capacity(n, trans, end);
        for _ in 0..n {
            let key = r.u64()?;
            let mask = r.u32()?;
            let mut row = [0f32; NUM_LABELS];
            for (l, w) in row.iter_mut().enumerate() {
                if mask & (1 << l) != 0 {
                    *w = f32::from(r.i16()?) / scale;
                }
            }
            weights.insert(key, &row);
        }
        Ok(weights)
    }
}

/// A one- or two-stage model.
pub struct Model {
    pub stages: Vec<Weights>,
}

impl Model {
    /// Serialises the model in the file format described in the module doc.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(NUM_LABELS as u32).to_le_bytes());
        out.extend_from_slice(&(self.stages.len() as u32).to_le_bytes());
        for s in &self.stages {
            s.encode(&mut out);
        }
        out
    }

    /// Parses a model file, with a clear error for anything that is not one.
    pub fn from_bytes(bytes: &[u8]) -> Result<Model, ModelError> {
        let mut r = Reader { bytes, at: 0 };
        if r.take(MAGIC.len())? != MAGIC {
            return Err(ModelError::BadMagic);
        }
        let version = r.u32()?;
        if version != VERSION {
            return Err(ModelError::Version(version));
        }
        let labels = r.u32()?;
        if labels as usize != NUM_LABELS {
            return Err(ModelError::Labels(labels));
        }
        let n = r.u32()?;
        if !(1..=2).contains(&n) {
            return Err(ModelError::Truncated);
        }
        let stages = (0..n).map(|_| Weights::decode_from(&mut r)).collect::<Result<_, _>>()?;
        if r.remaining() != 0 {
            return Err(ModelError::Truncated);
        }
        Ok(Model { stages })
    }
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ModelError> {
        let end = self.at.checked_add(n).ok_or(ModelError::Truncated)?;
        let s = self.bytes.get(self.at..end).ok_or(ModelError::Truncated)?;
        self.at = end;
        Ok(s)
    }
    fn remaining(&self) -> usize {
        self.bytes.len() - self.at
    }
    fn array<const N: usize>(&mut self) -> Result<[u8; N], ModelError> {
        let mut a = [0u8; N];
        a.copy_from_slice(self.take(N)?);
        Ok(a)
    }
    fn u32(&mut self) -> Result<u32, ModelError> {
        Ok(u32::from_le_bytes(self.array()?))
    }
    fn u64(&mut self) -> Result<u64, ModelError> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn f32(&mut self) -> Result<f32, ModelError> {
        Ok(f32::from_le_bytes(self.array()?))
    }
    fn i16(&mut self) -> Result<i16, ModelError> {
        Ok(i16::from_le_bytes(self.array()?))
    }
}

/// For each label, the labels that may precede it in a sentence, in
/// increasing order: an `I-`/`L-` label only follows `B-`/`I-` of its kind,
/// so most of the `L x L` pairs Viterbi would try are impossible. Computed
/// once per process.
struct Predecessors {
    labels: [[u8; NUM_LABELS]; NUM_LABELS],
    count: [usize; NUM_LABELS],
}

fn predecessors() -> &'static Predecessors {
    static TABLE: OnceLock<Predecessors> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Predecessors { labels: [[0; NUM_LABELS]; NUM_LABELS], count: [0; NUM_LABELS] };
        for y in 0..NUM_LABELS {
            for p in 0..NUM_LABELS {
                if allowed(Some(p as u8), y as u8) {
                    t.labels[y][t.count[y]] = p as u8;
                    t.count[y] += 1;
                }
            }
        }
        t
    })
}

/// Highest-scoring well-formed BILOU sequence. `scores` is `n x L`
/// emissions, `trans` is `(L + 1) x L` with row `L` for the sentence start,
/// `end` scores the last label. Ties go to the lowest-numbered label.
pub fn viterbi(scores: &[f32], trans: &[f32], end: &[f32]) -> Vec<u8> {
    const L: usize = NUM_LABELS;
    let preds = predecessors();
    let n = scores.len() / L;
    if n == 0 {
        return Vec::new();
    }
    let neg = f32::NEG_INFINITY;
    let mut best = vec![neg; n * L];
    let mut back = vec![0u8; n * L];
    for y in 0..L {
        if allowed(None, y as u8) {
            best[y] = trans[L * L + y] + scores[y];
        }
    }
    for i in 1..n {
        let (done, rest) = best.split_at_mut(i * L);
        let before = &done[(i - 1) * L..];
        for y in 0..L {
            let mut top = neg;
            let mut arg = 0u8;
            for &p in &preds.labels[y][..preds.count[y]] {
                let prev = before[usize::from(p)];
                if prev == neg {
                    continue;
                }
                let s = prev + trans[usize::from(p) * L + y];
                if s > top {
                    top = s;
                    arg = p;
                }
            }
            rest[y] = top + scores[i * L + y];
            back[i * L + y] = arg;
        }
    }
    let mut last = 0u8;
    let mut top = neg;
    for y in 0..L {
        let s = best[(n - 1) * L + y];
        if s != neg && allowed_end(y as u8) && s + end[y] > top {
            top = s + end[y];
            last = y as u8;
        }
    }
    let mut labels = vec![0u8; n];
    labels[n - 1] = last;
    for i in (1..n).rev() {
        labels[i - 1] = back[i * L + labels[i] as usize];
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entities::labels::decode_spans;

    fn tiny_model() -> Model {
        let mut row = [0f32; NUM_LABELS];
        row[4] = 2.0; // U-PER
        row[3] = -0.5;
        let trans = vec![0.25; (NUM_LABELS + 1) * NUM_LABELS];
        let end = vec![0.0; NUM_LABELS];
        Model { stages: vec![Weights::new(vec![(42, row), (7, [0.0; NUM_LABELS])], trans, end)] }
    }

    #[test]
    fn round_trips_through_bytes() {
        let m = tiny_model();
        let back = Model::from_bytes(&m.to_bytes()).unwrap();
        let row = back.stages[0].row(42).unwrap();
        assert!((row[4] - 2.0).abs() < 1e-3);
        assert!((row[3] + 0.5).abs() < 1e-3);
        assert!(back.stages[0].row(43).is_none());
    }

    #[test]
    fn bad_files_give_clear_errors() {
        assert_eq!(
            Model::from_bytes(b"hello world, not a model").err(),
            Some(ModelError::BadMagic)
        );
        let mut bytes = tiny_model().to_bytes();
        bytes[8] = 9;
        assert_eq!(Model::from_bytes(&bytes).err(), Some(ModelError::Version(9)));
        let bytes = tiny_model().to_bytes();
        assert_eq!(Model::from_bytes(&bytes[..bytes.len() - 1]).err(), Some(ModelError::Truncated));
        assert!(ModelError::BadMagic.to_string().contains("not a lede NER model"));
    }

    #[test]
    fn viterbi_only_returns_well_formed_sequences() {
        // Emissions prefer B-PER everywhere; the decoder must still close the entity.
        let mut scores = vec![0f32; 3 * NUM_LABELS];
        for i in 0..3 {
            scores[i * NUM_LABELS + 1] = 5.0;
        }
        let trans = vec![0.0; (NUM_LABELS + 1) * NUM_LABELS];
        let labels = viterbi(&scores, &trans, &[0.0; NUM_LABELS]);
        for w in labels.windows(2) {
            assert!(allowed(Some(w[0]), w[1]));
        }
        assert!(allowed_end(labels[2]));
        assert!(!decode_spans(&labels).is_empty());
    }
}
