//! Per-word partial emission sums. About half of a token's features depend
//! on nothing but the word itself (its form, prefixes, suffixes, length) or
//! describe it to a neighbour (`w[-1]=…`). News text repeats a small
//! vocabulary, so the tagger looks those up once per word and per model
//! stage and keeps the result: the summed row of the word's own features
//! and, for each of its four window positions, the summed row of the
//! features it gives the token there (its folded form and its clusters).
//! A token's emission sum is then five cached sums plus its context
//! features, however many window features there are. Sums are integers, so a
//! cached sum adds up to exactly what the features would have given.
//!
//! The cache is bounded (it starts over when full), so memory stays flat
//! however large the corpus.

use super::fasthash::FastMap;
use super::features::{neighbour_features, word_features, word_forms, WordForms, WINDOW_TEMPLATES};
use super::gazetteer::{normalize_into, Gazetteers};
use super::labels::NUM_LABELS;
use super::model::{FeatureRows, RowSum, Weights};

/// Words kept before the cache starts over: about 12 MB for a two-stage
/// model (five sums of 68 bytes per word and stage), enough for the
/// everyday vocabulary of a news corpus.
const MAX_WORDS: usize = 1 << 14;

const WINDOWS: usize = WINDOW_TEMPLATES.len();

/// Cached sums for the words a thread has tagged, for one model.
#[derive(Default)]
pub(crate) struct WordCache {
    /// Ids of the stages the entries were computed for.
    stage_ids: Vec<u64>,
    entries: FastMap<Box<str>, u32>,
    /// Per entry: the word's [`normalize`](super::gazetteer::normalize)d
    /// form (a range of `lower_text`) and its [`WordForms`].
    lower_text: String,
    lower_ends: Vec<usize>,
    forms: Vec<WordForms>,
    /// Per entry and stage: the summed row of the word's own features.
    own: Vec<RowSum>,
    /// Per entry and stage: the summed rows of the features the word gives
    /// each window position.
    windows: Vec<[RowSum; WINDOWS]>,
    /// Per stage: the same for what stands beyond a sentence end.
    boundary: Vec<[RowSum; WINDOWS]>,
    /// Working space: a word's own features, and those it gives a neighbour.
    features: Vec<u64>,
    neighbour: Vec<u64>,
    scratch: String,
}

impl WordCache {
    /// Makes the cache serve a new document tagged with `stages`, dropping
    /// entries of any other model, or all entries once it is full (never
    /// during a document, whose sentences hold entry numbers).
    pub(crate) fn prepare(&mut self, stages: &[Weights], rows: &FeatureRows) {
        if self.stage_ids.iter().copied().eq(stages.iter().map(Weights::id)) {
            if self.entries.len() >= MAX_WORDS {
                self.clear();
            }
            return;
        }
        self.clear();
        self.stage_ids = stages.iter().map(Weights::id).collect();
        self.boundary = vec![[[0; NUM_LABELS]; WINDOWS]; stages.len()];
        neighbour_sums(stages, rows, None, &mut self.neighbour, &mut self.boundary);
    }

    fn clear(&mut self) {
        self.entries.clear();
        self.lower_text.clear();
        self.lower_ends.clear();
        self.forms.clear();
        self.own.clear();
        self.windows.clear();
    }

    /// Appends the entries of a sentence's tokens to `out`, computing the
    /// missing ones.
    pub(crate) fn add_words(
        &mut self,
        tokens: &[&str],
        stages: &[Weights],
        rows: &FeatureRows,
        gaz: &Gazetteers,
        out: &mut Vec<u32>,
    ) {
        for tok in tokens {
            let entry = match self.entries.get(*tok) {
                Some(&e) => e,
                None => self.add(tok, stages, rows, gaz),
            };
            out.push(entry);
        }
    }

    fn add(&mut self, tok: &str, stages: &[Weights], rows: &FeatureRows, gaz: &Gazetteers) -> u32 {
        let entry = self.entries.len() as u32;
        let start = self.lower_text.len();
        normalize_into(tok, &mut self.lower_text);
        self.lower_ends.push(self.lower_text.len());
        let low = &self.lower_text[start..];
        let forms = word_forms(tok, low, &mut self.scratch);
        self.forms.push(forms);
        self.features.clear();
        word_features(tok, low, forms, gaz, &mut self.features);
        let own = self.own.len();
        self.own.resize(own + stages.len(), [0; NUM_LABELS]);
        add_rows(stages, rows, &self.features, &mut self.own[own..]);
        let windows = self.windows.len();
        self.windows.resize(windows + stages.len(), [[0; NUM_LABELS]; WINDOWS]);
        neighbour_sums(
            stages,
            rows,
            Some(&forms),
            &mut self.neighbour,
            &mut self.windows[windows..],
        );
        self.entries.insert(tok.into(), entry);
        entry
    }

    /// The normalised form of entry `e`.
    pub(crate) fn lower(&self, e: u32) -> &str {
        let e = e as usize;
        let start = if e == 0 { 0 } else { self.lower_ends[e - 1] };
        &self.lower_text[start..self.lower_ends[e]]
    }

    /// The [`WordForms`] of entry `e`.
    pub(crate) fn forms(&self, e: u32) -> WordForms {
        self.forms[e as usize]
    }

    /// Token `i`'s sum for stage `stage` of its own and its neighbours'
    /// cached features.
    pub(crate) fn sum(&self, stage: usize, words: &[u32], i: usize) -> RowSum {
        let stages = self.stage_ids.len();
        let mut sum = self.own[words[i] as usize * stages + stage];
        for (k, (offset, _)) in WINDOW_TEMPLATES.iter().enumerate() {
            let j = i as isize + offset;
            let given = match usize::try_from(j).ok().and_then(|j| words.get(j)) {
                Some(&e) => &self.windows[e as usize * stages + stage][k],
                None => &self.boundary[stage][k],
            };
            for (s, g) in sum.iter_mut().zip(given) {
                *s += g;
            }
        }
        sum
    }
}

/// Adds the rows of `features` to `sums`, one sum per stage: each feature
/// is found once for all stages (with [`FeatureRows`]), a probe that likely
/// misses the cache, where each stage's own table would take one per stage.
fn add_rows(stages: &[Weights], rows: &FeatureRows, features: &[u64], sums: &mut [RowSum]) {
    for &f in features {
        let found = rows.rows(f);
        for ((stage, sum), &row) in stages.iter().zip(sums.iter_mut()).zip(&found) {
            stage.add_row(row, sum);
        }
    }
}

/// Into `sums` (one per stage), the summed rows of the features a word
/// (`None`: the sentence boundary) gives each window position. `features`
/// is working space.
fn neighbour_sums(
    stages: &[Weights],
    rows: &FeatureRows,
    word: Option<&WordForms>,
    features: &mut Vec<u64>,
    sums: &mut [[RowSum; WINDOWS]],
) {
    for k in 0..WINDOWS {
        features.clear();
        neighbour_features(k, word, features);
        for sum in sums.iter_mut() {
            sum[k] = [0; NUM_LABELS];
        }
        for &f in features.iter() {
            let found = rows.rows(f);
            for ((stage, sum), &row) in stages.iter().zip(sums.iter_mut()).zip(&found) {
                stage.add_row(row, &mut sum[k]);
            }
        }
    }
}
