//! Viterbi decoding under BILOU constraints: the highest-scoring
//! well-formed label sequence of a sentence given per-token emission scores
//! and label-to-label transition scores.
//!
//! [`viterbi`] is the plain form, used in training, where the transitions
//! change after every sentence. [`Decoder`] gives exactly the same labels
//! with the transitions of a finished model laid out for speed: decoding is
//! a large share of tagging time at indexing.

use std::sync::OnceLock;

use super::labels::{allowed, allowed_end, NUM_LABELS};

const L: usize = NUM_LABELS;
const NEG: f32 = f32::NEG_INFINITY;

/// For each label, the labels that may precede it in a sentence, in
/// increasing order: an `I-`/`L-` label only follows `B-`/`I-` of its kind,
/// so most of the `L x L` pairs Viterbi would try are impossible. Computed
/// once per process.
struct Predecessors {
    labels: [[u8; L]; L],
    count: [usize; L],
}

impl Predecessors {
    fn of(&self, y: usize) -> &[u8] {
        &self.labels[y][..self.count[y]]
    }
}

fn predecessors() -> &'static Predecessors {
    static TABLE: OnceLock<Predecessors> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = Predecessors { labels: [[0; L]; L], count: [0; L] };
        for y in 0..L {
            for p in 0..L {
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
pub(crate) fn viterbi(scores: &[f32], trans: &[f32], end: &[f32]) -> Vec<u8> {
    let mut labels = Vec::new();
    viterbi_into(scores, trans, end, &mut Lattice::default(), &mut labels);
    labels
}

/// Working space for decoding, reused from sentence to sentence.
#[derive(Default)]
pub struct Lattice {
    best: Vec<f32>,
    back: Vec<u8>,
}

impl Lattice {
    /// Clears `labels`, sizes the lattice for the `n` tokens of `scores`
    /// (every score impossible) and scores the first token, opening the
    /// sentence with `start` (NEG: the label cannot open one). Returns `n`.
    fn begin(
        &mut self,
        scores: &[f32],
        start: impl Fn(usize) -> f32,
        labels: &mut Vec<u8>,
    ) -> usize {
        let n = scores.len() / L;
        labels.clear();
        if n == 0 {
            return 0;
        }
        self.best.clear();
        self.best.resize(n * L, NEG);
        self.back.clear();
        self.back.resize(n * L, 0);
        for (y, (best, &score)) in self.best.iter_mut().zip(scores).take(L).enumerate() {
            let s = start(y);
            if s != NEG {
                *best = s + score;
            }
        }
        n
    }

    /// The best well-formed last label, then the back-pointers from it,
    /// into `labels`.
    fn trace(&self, n: usize, end: &[f32], labels: &mut Vec<u8>) {
        let mut last = 0u8;
        let mut top = NEG;
        for (y, (&s, &e)) in self.best[(n - 1) * L..].iter().zip(end).enumerate() {
            if s != NEG && allowed_end(y as u8) && s + e > top {
                top = s + e;
                last = y as u8;
            }
        }
        labels.resize(n, 0);
        labels[n - 1] = last;
        for i in (1..n).rev() {
            labels[i - 1] = self.back[i * L + labels[i] as usize];
        }
    }
}

/// The best of `(label, score)` candidates and its label, the first on
/// ties (NEG and 0 when none is possible).
#[inline]
fn best_of(candidates: impl Iterator<Item = (u8, f32)>) -> (f32, u8) {
    let mut top = NEG;
    let mut arg = 0u8;
    for (p, s) in candidates {
        if s > top {
            top = s;
            arg = p;
        }
    }
    (top, arg)
}

/// [`viterbi`] into `labels`, with the lattice in `work`.
pub(crate) fn viterbi_into(
    scores: &[f32],
    trans: &[f32],
    end: &[f32],
    work: &mut Lattice,
    labels: &mut Vec<u8>,
) {
    let preds = predecessors();
    let opening = |y: usize| if allowed(None, y as u8) { trans[L * L + y] } else { NEG };
    let n = work.begin(scores, opening, labels);
    if n == 0 {
        return;
    }
    let (best, back) = (&mut work.best, &mut work.back);
    for i in 1..n {
        let (done, rest) = best.split_at_mut(i * L);
        let before = &done[(i - 1) * L..];
        let here = &scores[i * L..(i + 1) * L];
        for y in 0..L {
            // An impossible predecessor scores -inf and never wins, so it
            // needs no test of its own; ties keep the lowest label.
            let from = preds.of(y).iter();
            let (top, arg) =
                best_of(from.map(|&p| (p, before[usize::from(p)] + trans[usize::from(p) * L + y])));
            rest[y] = top + here[y];
            back[i * L + y] = arg;
        }
    }
    work.trace(n, end, labels);
}

/// Lanes of one SIMD vector of f32 (SSE, which every x86-64 has).
const WIDTH: usize = 4;
/// Vectors of the block. Nine labels may follow a closed entity (`O`,
/// `B-*`, `U-*`): two vectors take eight, and the ninth costs less scored
/// on its own, with the other targets, than in a third, mostly empty vector
/// (measured: 0.75G fewer instructions and about 1.5% fewer cycles over
/// Reuters).
const CHUNKS: usize = 2;
const LANES: usize = WIDTH * CHUNKS;

/// A model's transitions laid out for [`viterbi`] over many sentences.
///
/// Most allowed label pairs form one block: any label that closes an entity
/// (`O`, `L-*`, `U-*`) may be followed by any label that does not continue
/// one (`O`, `B-*`, `U-*`). That block is scored predecessor by predecessor
/// across a vector of its targets at once, with selects instead of branches,
/// so the compiler can vectorise it; the block's targets that do not fit
/// in its lanes and the few remaining pairs (`B-X`/`I-X` before
/// `I-X`/`L-X`) are scored one by one. Every sum is the one [`viterbi`]
/// forms, compared in the same order, so the labels are identical.
#[derive(Clone)]
pub(crate) struct Decoder {
    /// Score of each label at a sentence start; -inf where not allowed.
    start: [f32; L],
    /// The block's predecessors, in increasing order.
    block_from: Vec<u8>,
    /// The block's targets, one per lane.
    block: Lanes,
    /// Per chunk of lanes, then per block predecessor: its transition to
    /// each lane's target (-inf in unused lanes).
    block_trans: Vec<[f32; WIDTH]>,
    /// Targets outside the block's lanes, each with its predecessors (in
    /// increasing order) and their transitions to it.
    others: Vec<(u8, Vec<(u8, f32)>)>,
    end: [f32; L],
}

/// Target labels, one per lane.
#[derive(Clone, Default)]
struct Lanes {
    labels: [u8; LANES],
    used: usize,
}

impl Lanes {
    fn push(&mut self, label: u8) {
        self.labels[self.used] = label;
        self.used += 1;
    }

    fn labels(&self) -> &[u8] {
        &self.labels[..self.used]
    }
}

/// Per lane of a vector, the best of the candidates offered so far and its
/// label. Labels are kept as f32 (exact for small integers) so that scores
/// and labels are selected with the same vector mask.
struct Best {
    score: [f32; WIDTH],
    label: [f32; WIDTH],
}

impl Best {
    fn new() -> Best {
        Best { score: [NEG; WIDTH], label: [0.0; WIDTH] }
    }

    /// Offers `before + trans[t]` from predecessor `from` in each lane;
    /// only a strictly higher score replaces the best (ties keep the
    /// earlier, lower label).
    #[inline]
    fn offer(&mut self, before: f32, trans: &[f32; WIDTH], from: u8) {
        let from = f32::from(from);
        for ((score, label), &t) in self.score.iter_mut().zip(&mut self.label).zip(trans) {
            let s = before + t;
            let better = s > *score;
            *score = if better { s } else { *score };
            *label = if better { from } else { *label };
        }
    }
}

impl Decoder {
    /// Lays out `trans` (`(L + 1) x L`, row `L` for the sentence start) and
    /// `end` (`L`), as [`viterbi`] takes them.
    ///
    /// # Panics
    /// If `trans` or `end` is shorter than that.
    pub(crate) fn new(trans: &[f32], end: &[f32]) -> Decoder {
        let preds = predecessors();
        let mut start = [NEG; L];
        for (y, s) in start.iter_mut().enumerate() {
            if allowed(None, y as u8) {
                *s = trans[L * L + y];
            }
        }
        // The block: the targets sharing the most common predecessor list.
        let block_from: Vec<u8> = (0..L)
            .map(|y| preds.of(y))
            .max_by_key(|list| (0..L).filter(|&y| preds.of(y) == *list).count())
            .unwrap_or_default()
            .to_vec();
        let mut block = Lanes::default();
        let mut others = Vec::new();
        for y in 0..L {
            if preds.of(y) == block_from.as_slice() && block.used < LANES {
                block.push(y as u8);
            } else {
                let from =
                    preds.of(y).iter().map(|&p| (p, trans[usize::from(p) * L + y])).collect();
                others.push((y as u8, from));
            }
        }
        let mut block_trans = vec![[NEG; WIDTH]; CHUNKS * block_from.len()];
        for (t, &y) in block.labels().iter().enumerate() {
            for (k, &p) in block_from.iter().enumerate() {
                block_trans[(t / WIDTH) * block_from.len() + k][t % WIDTH] =
                    trans[usize::from(p) * L + usize::from(y)];
            }
        }
        let mut end_scores = [0f32; L];
        end_scores.copy_from_slice(&end[..L]);
        Decoder { start, block_from, block, block_trans, others, end: end_scores }
    }

    /// [`viterbi`] of `scores` (`n x L`) into `labels`, with the lattice in `work`.
    pub(crate) fn decode_into(&self, scores: &[f32], work: &mut Lattice, labels: &mut Vec<u8>) {
        let n = work.begin(scores, |y| self.start[y], labels);
        if n == 0 {
            return;
        }
        let (best, back) = (&mut work.best, &mut work.back);
        for i in 1..n {
            let (done, ahead) = best.split_at_mut(i * L);
            let before = &done[(i - 1) * L..];
            let out = &mut ahead[..L];
            let here = &scores[i * L..(i + 1) * L];
            let back = &mut back[i * L..(i + 1) * L];
            let chunks = self.block_trans.chunks_exact(self.block_from.len().max(1));
            for (c, rows) in chunks.enumerate() {
                let mut top = Best::new();
                for (&p, row) in self.block_from.iter().zip(rows) {
                    top.offer(before[usize::from(p)], row, p);
                }
                let targets = self.block.labels().iter().skip(c * WIDTH).take(WIDTH);
                for (t, &y) in targets.enumerate() {
                    let y = usize::from(y);
                    out[y] = top.score[t] + here[y];
                    back[y] = top.label[t] as u8;
                }
            }
            for (y, from) in &self.others {
                let y = usize::from(*y);
                let (top, arg) =
                    best_of(from.iter().map(|&(p, t)| (p, before[usize::from(p)] + t)));
                out[y] = top + here[y];
                back[y] = arg;
            }
        }
        work.trace(n, &self.end, labels);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entities::labels::decode_spans;

    #[test]
    fn viterbi_only_returns_well_formed_sequences() {
        // Emissions prefer B-PER everywhere; the decoder must still close the entity.
        let mut scores = vec![0f32; 3 * L];
        for i in 0..3 {
            scores[i * L + 1] = 5.0;
        }
        let trans = vec![0.0; (L + 1) * L];
        let end = [0.0; L];
        let labels = viterbi(&scores, &trans, &end);
        for w in labels.windows(2) {
            assert!(allowed(Some(w[0]), w[1]));
        }
        assert!(allowed_end(labels[2]));
        assert!(!decode_spans(&labels).is_empty());
        let mut fast = Vec::new();
        Decoder::new(&trans, &end).decode_into(&scores, &mut Lattice::default(), &mut fast);
        assert_eq!(fast, labels);
    }

    /// A small xorshift generator, so the test is deterministic.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }

        /// A score in -4..4; with `coarse`, a whole number, so ties are common.
        fn score(&mut self, coarse: bool) -> f32 {
            let x = (self.next() % 8000) as f32 / 1000.0 - 4.0;
            if coarse {
                x.round()
            } else {
                x
            }
        }
    }

    #[test]
    fn decoder_gives_exactly_the_labels_of_plain_viterbi() {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
        let mut work = Lattice::default();
        let mut fast = Vec::new();
        let mut entities = 0;
        for round in 0..400 {
            // Whole-number scores make ties, which must break the same way.
            let coarse = round % 2 == 0;
            let trans: Vec<f32> = (0..(L + 1) * L).map(|_| rng.score(coarse)).collect();
            let end: Vec<f32> = (0..L).map(|_| rng.score(coarse)).collect();
            let decoder = Decoder::new(&trans, &end);
            let n = round % 23;
            let scores: Vec<f32> = (0..n * L).map(|_| rng.score(coarse)).collect();
            let plain = viterbi(&scores, &trans, &end);
            decoder.decode_into(&scores, &mut work, &mut fast);
            assert_eq!(fast, plain, "round {round}");
            entities += decode_spans(&plain).len();
        }
        assert!(entities > 400, "{entities}");
    }
}
