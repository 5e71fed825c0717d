//! The trained model: its compact binary file format and the in-memory
//! weight tables (decoding is in [`super::viterbi`]).
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
//! document as extra features (see `features::DocContext::add_hint_hashed`).

use std::fmt;

use super::labels::NUM_LABELS;
use super::viterbi::{viterbi, Decoder, Lattice};

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
///
/// Weights are kept as the file stores them, `i16` steps of `1 / scale`, and
/// summed as integers: sums are exact and independent of order, so the
/// tagger may add a word's cached partial sum instead of its features one by
/// one and still get the same scores. Half-size rows also keep more of the
/// table in cache.
#[derive(Clone)]
pub struct Weights {
    /// Identifies these weights to caches of partial sums (clones share it).
    id: u64,
    slots: Vec<Slot>,
    mask: usize,
    emit: Vec<i16>,
    scale: f32,
    trans: Vec<f32>,
    end: Vec<f32>,
    /// `trans` and `end` laid out for decoding.
    decoder: Decoder,
}

/// A table slot: the feature's key and its row number (key and row side by
/// side, so a lookup touches one cache line before the row itself).
#[derive(Clone, Copy)]
struct Slot {
    key: u64,
    row: u32,
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

/// A slot of an open-addressing table keyed by feature hash.
trait Keyed {
    fn key(&self) -> u64;
}

impl Keyed for Slot {
    fn key(&self) -> u64 {
        self.key
    }
}

/// Linear probing, shared by the tables here: the slot holding `key`, or
/// the empty slot where it belongs (tables are at most half full).
#[inline]
fn find_slot<S: Keyed>(slots: &[S], mask: usize, key: u64) -> usize {
    let mut at = (key as usize) & mask;
    while slots[at].key() != EMPTY && slots[at].key() != key {
        at = (at + 1) & mask;
    }
    at
}

/// A fresh identity for newly built weights.
fn next_id() -> u64 {
    use std::sync::atomic::{AtomicU64, Ordering};
    static NEXT: AtomicU64 = AtomicU64::new(1);
    NEXT.fetch_add(1, Ordering::Relaxed)
}

/// Per-label integer sums of weight rows, as the tagger accumulates them.
pub(crate) type RowSum = [i32; NUM_LABELS];

impl Weights {
    /// Builds the table from (feature hash, per-label weights) rows plus
    /// transition scores, quantising the weights as the file format does.
    pub fn new(features: Vec<(u64, [f32; NUM_LABELS])>, trans: Vec<f32>, end: Vec<f32>) -> Weights {
        let max = features
            .iter()
            .flat_map(|(_, row)| row.iter())
            .fold(0f32, |m, w| m.max(w.abs()))
            .max(1e-9);
        let scale = f32::from(i16::MAX) / max;
        let mut w = Weights::with_capacity(features.len(), scale, trans, end);
        for (hash, row) in &features {
            let mut q = [0i16; NUM_LABELS];
            for (q, x) in q.iter_mut().zip(row) {
                *q = (x * scale).round() as i16;
            }
            w.insert(*hash, &q);
        }
        w
    }

    /// An empty table sized for `n` features.
    fn with_capacity(n: usize, scale: f32, trans: Vec<f32>, end: Vec<f32>) -> Weights {
        let capacity = (n * 2).next_power_of_two().max(16);
        Weights {
            id: next_id(),
            slots: vec![Slot { key: EMPTY, row: 0 }; capacity],
            mask: capacity - 1,
            emit: Vec::with_capacity(n * NUM_LABELS),
            scale,
            decoder: Decoder::new(&trans, &end),
            trans,
            end,
        }
    }

    /// Adds a feature's row (the table must have room: see `with_capacity`).
    fn insert(&mut self, hash: u64, row: &[i16; NUM_LABELS]) {
        let key = slot_key(hash);
        let slot = find_slot(&self.slots, self.mask, key);
        if self.slots[slot].key == key {
            let r = self.slots[slot].row as usize * NUM_LABELS;
            self.emit[r..r + NUM_LABELS].copy_from_slice(row);
            return;
        }
        self.slots[slot] = Slot { key, row: (self.emit.len() / NUM_LABELS) as u32 };
        self.emit.extend_from_slice(row);
    }

    /// The row number of a feature, if the model knows it.
    #[inline]
    pub fn row_of(&self, hash: u64) -> Option<u32> {
        let key = slot_key(hash);
        let s = self.slots[find_slot(&self.slots, self.mask, key)];
        (s.key == key).then_some(s.row)
    }

    /// Adds row number `row` to `sum` (nothing for [`NO_ROW`]).
    #[inline]
    pub fn add_row(&self, row: u32, sum: &mut RowSum) {
        if row == NO_ROW {
            return;
        }
        let r = row as usize * NUM_LABELS;
        for (s, w) in sum.iter_mut().zip(&self.emit[r..r + NUM_LABELS]) {
            *s += i32::from(*w);
        }
    }

    /// Adds the row of every known feature in `features` to `sum`.
    #[inline]
    pub fn add_features(&self, features: &[u64], sum: &mut RowSum) {
        for &f in features {
            if let Some(row) = self.row_of(f) {
                self.add_row(row, sum);
            }
        }
    }

    /// The per-label weights of a feature, if the model knows it.
    pub fn weights_of(&self, hash: u64) -> Option<[f32; NUM_LABELS]> {
        let mut sum = [0; NUM_LABELS];
        self.add_row(self.row_of(hash)?, &mut sum);
        Some(self.scores_of(&sum))
    }

    /// The emission scores an integer sum stands for.
    #[inline]
    pub fn scores_of(&self, sum: &RowSum) -> [f32; NUM_LABELS] {
        sum.map(|s| s as f32 / self.scale)
    }

    /// What identifies these weights to a cache of partial sums.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Number of features.
    pub fn len(&self) -> usize {
        self.emit.len() / NUM_LABELS
    }

    /// Whether the table has no features.
    pub fn is_empty(&self) -> bool {
        self.emit.is_empty()
    }

    /// Each token's emission scores (`n x NUM_LABELS`) into `scores`.
    pub fn emissions(&self, features: &super::features::SentenceFeatures, scores: &mut Vec<f32>) {
        scores.clear();
        for i in 0..features.len() {
            let mut sum = [0; NUM_LABELS];
            self.add_features(features.token(i), &mut sum);
            scores.extend_from_slice(&self.scores_of(&sum));
        }
    }

    /// Best label sequence for the emission scores.
    pub fn decode(&self, scores: &[f32]) -> Vec<u8> {
        viterbi(scores, &self.trans, &self.end)
    }

    /// [`Weights::decode`] into `labels`, reusing `work`.
    pub fn decode_into(&self, scores: &[f32], work: &mut Lattice, labels: &mut Vec<u8>) {
        self.decoder.decode_into(scores, work, labels)
    }

    fn encode(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(&(self.len() as u32).to_le_bytes());
        out.extend_from_slice(&self.scale.to_le_bytes());
        for v in self.trans.iter().chain(&self.end) {
            out.extend_from_slice(&v.to_le_bytes());
        }
        for slot in self.slots.iter().filter(|s| s.key != EMPTY) {
            let r = slot.row as usize * NUM_LABELS;
            let q = &self.emit[r..r + NUM_LABELS];
            let mask =
                q.iter().enumerate().fold(0u32, |m, (l, v)| if *v != 0 { m | 1 << l } else { m });
            out.extend_from_slice(&slot.key.to_le_bytes());
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
        let mut weights = Weights::with_capacity(n, scale, trans, end);
        for _ in 0..n {
            let key = r.u64()?;
            let mask = r.u32()?;
            let mut row = [0i16; NUM_LABELS];
            for (l, w) in row.iter_mut().enumerate() {
                if mask & (1 << l) != 0 {
                    *w = r.i16()?;
                }
            }
            weights.insert(key, &row);
        }
        Ok(weights)
    }
}

/// Most stages a model has (the file format allows one or two).
pub(crate) const MAX_STAGES: usize = 2;

/// Marks a feature a stage does not know.
pub(crate) const NO_ROW: u32 = u32::MAX;

/// Every stage's row number of each feature, found with one probe instead
/// of one per stage: both stages of a model score the same features, and
/// the probe, a likely cache miss, is the dearest part of scoring one.
pub(crate) struct FeatureRows {
    slots: Vec<JointSlot>,
    mask: usize,
}

#[derive(Clone, Copy)]
struct JointSlot {
    key: u64,
    rows: [u32; MAX_STAGES],
}

impl Keyed for JointSlot {
    fn key(&self) -> u64 {
        self.key
    }
}

impl FeatureRows {
    /// The joint table of `stages` (at most [`MAX_STAGES`]; later ones are ignored).
    pub(crate) fn new(stages: &[Weights]) -> FeatureRows {
        let n: usize = stages.iter().map(Weights::len).sum();
        let capacity = (n * 2).next_power_of_two().max(16);
        let mut t = FeatureRows {
            slots: vec![JointSlot { key: EMPTY, rows: [NO_ROW; MAX_STAGES] }; capacity],
            mask: capacity - 1,
        };
        for (stage_no, stage) in stages.iter().enumerate().take(MAX_STAGES) {
            for slot in stage.slots.iter().filter(|s| s.key != EMPTY) {
                let at = t.slot_for(slot.key);
                t.slots[at].key = slot.key;
                t.slots[at].rows[stage_no] = slot.row;
            }
        }
        t
    }

    fn slot_for(&self, key: u64) -> usize {
        find_slot(&self.slots, self.mask, key)
    }

    /// Asks the CPU to start loading the slot where the probe for `hash`
    /// begins, so that probing many features keeps several cache misses
    /// in flight instead of waiting on each in turn.
    #[inline]
    pub(crate) fn prefetch(&self, hash: u64) {
        let at = (slot_key(hash) as usize) & self.mask;
        prefetch(&self.slots[at]);
    }

    /// Each stage's row number of a feature ([`NO_ROW`] where unknown).
    #[inline]
    pub(crate) fn rows(&self, hash: u64) -> [u32; MAX_STAGES] {
        self.slots[self.slot_for(slot_key(hash))].rows
    }
}

/// A hint to load `value`'s cache line; no effect on results.
#[inline]
fn prefetch<T>(value: &T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: SSE is part of x86-64, and a prefetch reads nothing the
    // program sees (the pointer comes from a live reference anyway).
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
        _mm_prefetch::<_MM_HINT_T0>((value as *const T).cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = value;
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

#[cfg(test)]
mod tests {
    use super::*;

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
        let row = back.stages[0].weights_of(42).unwrap();
        assert!((row[4] - 2.0).abs() < 1e-3);
        assert!((row[3] + 0.5).abs() < 1e-3);
        assert!(back.stages[0].weights_of(43).is_none());
        assert_eq!(back.to_bytes(), m.to_bytes());
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
}
