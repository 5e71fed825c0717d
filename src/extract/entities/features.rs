//! Turns a sentence of tokens into hashed features for the tagger: the word,
//! its lowercase form, shape, prefixes and suffixes, capitalisation, a ±2
//! window, word clusters learned from unlabelled news ([`super::clusters`])
//! for the word and its neighbours, gazetteer marks and document-level
//! evidence (is this capitalised
//! word also written in lowercase elsewhere in the document? what did the
//! first pass call its other occurrences?). Training and tagging share this
//! code, so a model only ever sees features computed exactly one way.
//!
//! A feature is a 64-bit hash of a template id and the hashes of its string
//! parts ([`str_hash`]), so the tagger can hash a word once and combine its
//! hash into every feature that mentions it; nothing is allocated per feature.
//!
//! Document-level features tried and dropped (eng.testa F1 with the default
//! training, an ensemble of 8; the shipped model, seed 7, scores 93.61 and
//! the same recipe with seed 1 93.44, so differences of 0.2 are noise):
//! - the longest run of words the first pass tagged anywhere in the document
//!   that covers the token, with its kind and the token's place in it
//!   (Krishnan & Manning's entity majority): 93.60;
//! - the token's own first-pass label and its predecessor's: 93.51; both
//!   together 93.53;
//! - context aggregation (Ratinov & Roth): the words beside every other
//!   occurrence of a capitalised word, as features of each occurrence.
//!   The first pass gains (92.32 to 92.95) but the second pass, which
//!   already sees the first pass's votes, ends lower: 93.47. In the first
//!   stage only, seeds 7/1/2/3 end at 93.54/93.84/93.64/93.56 (mean
//!   93.65) against 93.61/93.44/93.48/93.30 (mean 93.46) without: a gain
//!   about the size of the seed noise, for entity extraction at 1.96-1.98x
//!   the indexing time without entities on Reuters (1.89x without it), and
//!   on the bundled corpus "Biden" read as a place and "OSINTSights" as
//!   misc. Not shipped; the likeliest lead if the 2x budget allows.
//!
//! Training changes, same features: 16 perceptrons 93.57, 24 epochs 93.61
//! (stage 1's best epoch stays 16), 10 jackknife folds 93.54.
//!
//! Tried since (2026-12-07, throwaway code not kept), with paired seeds
//! (baseline seeds 7/1/2/3/4/5/6: 93.61/93.44/93.48/93.30/93.31/93.22/93.41),
//! none beyond the seed noise:
//! - in stage 2, the word's first-pass vote count (bucketed) and whether it
//!   is also written in lowercase elsewhere, each joined with its own hint:
//!   seeds 7/1/2/3/4/5/6 at 93.54/93.49/93.51/93.39/93.27/93.33/93.43, a
//!   mean gain of 0.03;
//! - loss-augmented training with a margin of 1: seeds 1/2/3 at
//!   93.45/93.30/93.28; only features seen twice or more: 93.13/93.30/93.18;
//!   pruning weights below 0.2 instead of 0.3: 93.39/93.47/93.33;
//! - averaging the weights of whole models trained with different seeds:
//!   seeds 7/1/2/3 together 93.36, 7/1/2 93.38, 3/4/5 93.26, six seeds
//!   93.39, no better than their members' mean; the eight perceptrons of one
//!   run are already such an average.

use super::clusters::{ClassIds, Clusters, MAX_LEVELS, NO_CLASS, UNKNOWN};
use super::fasthash::{HashKeyedMap, HashKeyedSet};
use super::gazetteer::{normalize_into, Gazetteers, IN_NONE, NUM_LISTS};

/// Features of one sentence: token `i` owns `hashes[offsets[i]..offsets[i + 1]]`.
#[derive(Default)]
pub struct SentenceFeatures {
    pub hashes: Vec<u64>,
    pub offsets: Vec<usize>,
}

impl SentenceFeatures {
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.offsets.len().saturating_sub(1)
    }

    /// Whether the sentence has no tokens.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The features of token `i`.
    pub fn token(&self, i: usize) -> &[u64] {
        &self.hashes[self.offsets[i]..self.offsets[i + 1]]
    }
}

/// Evidence gathered over a whole document before tagging any sentence of it.
#[derive(Default)]
pub(crate) struct DocContext {
    /// Normalised forms of words written in lowercase somewhere in the document.
    lower_seen: HashKeyedSet<u64>,
    /// Normalised forms of words capitalised somewhere other than a sentence start.
    cap_mid_seen: HashKeyedSet<u64>,
    /// First-pass evidence per normalised capitalised word: entity-kind votes
    /// (index = kind code 1..=4, 0 unused) from its other occurrences.
    hints: HashKeyedMap<u64, [u16; 5]>,
    /// Where in those entities it stood: votes for begin, inside, last, unit.
    parts: HashKeyedMap<u64, [u16; 4]>,
}

/// A token's first alphanumeric position in the sentence counts as its start
/// (so a leading quote does not hide the sentence-initial word).
fn first_word_index(tokens: &[&str]) -> usize {
    tokens.iter().position(|t| t.chars().any(char::is_alphanumeric)).unwrap_or(0)
}

fn is_capitalised(token: &str) -> bool {
    token.chars().next().is_some_and(char::is_uppercase)
}

impl DocContext {
    /// Gathers evidence from every sentence of a document.
    pub(crate) fn new<'a, I, S>(sentences: I) -> DocContext
    where
        I: IntoIterator<Item = &'a S>,
        S: AsRef<[&'a str]> + 'a + ?Sized,
    {
        let mut key = String::new();
        DocContext::with_lower_hashes(sentences, |_, _, t| {
            key.clear();
            normalize_into(t, &mut key);
            str_hash(&key)
        })
    }

    /// [`DocContext::new`] given a way to get the [`WordForms::lower`] hash
    /// of token `i` (text `t`) of sentence `k` as `lower(k, i, t)`, such as
    /// a cache.
    pub(crate) fn with_lower_hashes<'a, I, S>(
        sentences: I,
        lower: impl FnMut(usize, usize, &str) -> u64,
    ) -> DocContext
    where
        I: IntoIterator<Item = &'a S>,
        S: AsRef<[&'a str]> + 'a + ?Sized,
    {
        let mut ctx = DocContext::default();
        ctx.refill(sentences, lower);
        ctx
    }

    /// [`DocContext::with_lower_hashes`] into `self`, dropping what it held
    /// but keeping its tables' room, so a thread tagging document after
    /// document does not grow them from empty each time.
    pub(crate) fn refill<'a, I, S>(
        &mut self,
        sentences: I,
        mut lower: impl FnMut(usize, usize, &str) -> u64,
    ) where
        I: IntoIterator<Item = &'a S>,
        S: AsRef<[&'a str]> + 'a + ?Sized,
    {
        self.lower_seen.clear();
        self.cap_mid_seen.clear();
        self.hints.clear();
        self.parts.clear();
        let ctx = self;
        for (k, sentence) in sentences.into_iter().enumerate() {
            let tokens = sentence.as_ref();
            let first = first_word_index(tokens);
            for (i, t) in tokens.iter().enumerate() {
                let Some(c) = t.chars().next() else { continue };
                let set = if c.is_lowercase() {
                    &mut ctx.lower_seen
                } else if c.is_uppercase() && i != first {
                    &mut ctx.cap_mid_seen
                } else {
                    continue;
                };
                set.insert(lower(k, i, t));
            }
        }
    }

    /// Records that the first pass put capitalised `token` inside an entity of
    /// kind code `kind` (1..=4) at position `part` (0 begin, 1 inside, 2 last,
    /// 3 unit); `lower` gives the token's [`WordForms::lower`] hash (only
    /// asked for when it is needed).
    pub(crate) fn add_hint_hashed(
        &mut self,
        token: &str,
        lower: impl FnOnce() -> u64,
        kind: u8,
        part: u8,
    ) {
        if is_capitalised(token) && (1..=4).contains(&kind) {
            let key = lower();
            self.parts.entry(key).or_insert([0; 4])[usize::from(part.min(3))] += 1;
            self.hints.entry(key).or_insert([0; 5])[kind as usize] += 1;
        }
    }

    /// The position code most often given in the first pass to the word
    /// whose normalised form hashes to `lower`.
    fn part_hint(&self, lower: u64) -> Option<u8> {
        let votes = self.parts.get(&lower)?;
        let (best, _) = votes.iter().enumerate().max_by_key(|(i, n)| (**n, 4 - *i))?;
        Some(best as u8)
    }

    /// The kind code most often given in the first pass to the word whose
    /// normalised form hashes to `lower`, if any.
    fn hint(&self, lower: u64) -> Option<(u8, bool)> {
        let votes = self.hints.get(&lower)?;
        let (best, &n) = votes.iter().enumerate().skip(1).max_by_key(|(_, n)| **n)?;
        let total: u16 = votes.iter().sum();
        (n > 0).then_some((best as u8, n == total))
    }
}

/// Word shape: `Putin` → `Xx`, `NATO` → `X`, `5,000` → `d,d`, `U.S.` → `X.X.`
/// (runs of the same class collapse).
#[cfg(test)]
fn short_shape(token: &str, out: &mut String) {
    out.clear();
    push_shape(token, out);
}

/// Appends the [`short_shape`] of `token` to `out`.
fn push_shape(token: &str, out: &mut String) {
    let mut last = '\0';
    for c in token.chars() {
        let class = if c.is_uppercase() {
            'X'
        } else if c.is_lowercase() {
            'x'
        } else if c.is_ascii_digit() {
            'd'
        } else if c.is_alphabetic() {
            'a'
        } else {
            match c {
                '’' | '‘' => '\'',
                '“' | '”' => '"',
                _ => c,
            }
        };
        if class != last {
            out.push(class);
            last = class;
        }
    }
}

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a hash of a string: the form in which words, shapes and codes
/// enter features (see [`combine`]). `const` so fixed codes cost nothing.
pub(crate) const fn str_hash(s: &str) -> u64 {
    bytes_hash(s.as_bytes())
}

/// [`str_hash`] of a string's bytes.
const fn bytes_hash(bytes: &[u8]) -> u64 {
    let mut h = FNV_OFFSET;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(FNV_PRIME);
        i += 1;
    }
    h
}

/// The feature for a template id and the [`str_hash`]es of its parts.
#[inline]
pub(crate) fn combine(template: u8, parts: &[u64]) -> u64 {
    const K: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut h = (u64::from(template) + 1).wrapping_mul(K);
    for &p in parts {
        h = (h ^ p).wrapping_mul(K).rotate_left(29);
    }
    // Final avalanche so nearby values spread over the table.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

/// Hash of a template id and string parts: [`combine`] of their [`str_hash`]es.
fn hash(template: u8, parts: &[&str]) -> u64 {
    let mut hashes = [0u64; 3];
    for (h, p) in hashes.iter_mut().zip(parts) {
        *h = str_hash(p);
    }
    combine(template, &hashes[..parts.len().min(3)])
}

/// The folded-form hash of what stands beyond either end of a sentence,
/// for window and context features.
pub(crate) const BOUNDARY_WORD: u64 = str_hash("<s>");
const HEADLINE: u64 = str_hash("H");
const NOT_HEADLINE: u64 = EMPTY_STRING;

// The fixed strings of feature templates, hashed at compile time: a
// feature is computed for every token, a string hash costs a step per byte.
const LOWER: u64 = str_hash("lower");
const ALL_CAPS: u64 = str_hash("allcaps");
const CAP: u64 = str_hash("cap");
const FIRST: u64 = str_hash("first");
const MID: u64 = str_hash("mid");
const CYRILLIC: u64 = str_hash("cyrillic");
const HYPHEN: u64 = str_hash("hyphen");
const DEMONYM_OR_COUNTRY_PART: u64 = str_hash("demonym-or-country-part");
const LENGTHS: [u64; 5] =
    [str_hash("1"), str_hash("2"), str_hash("3"), str_hash("4-6"), str_hash("7+")];
const LOWER_ELSEWHERE: u64 = str_hash("lower-elsewhere");
const NEVER_LOWER: u64 = str_hash("never-lower");
const CAP_MID_ELSEWHERE: u64 = str_hash("cap-mid-elsewhere");
const EMPTY_STRING: u64 = str_hash("");
const ALL: u64 = str_hash("all");
const NO_CLUSTER: u64 = str_hash("no-cluster");
const SOME: u64 = str_hash("some");
/// [`str_hash`] of each single digit `"0"`…`"9"`.
const DIGITS: [u64; 10] = {
    let mut t = [0; 10];
    let mut d = 0;
    while d < 10 {
        t[d] = bytes_hash(&[b'0' + d as u8]);
        d += 1;
    }
    t
};
/// [`str_hash`] of each two-digit code `"ab"` (list `a`, position `b`).
const DIGIT_PAIRS: [[u64; 10]; 10] = {
    let mut t = [[0; 10]; 10];
    let mut a = 0;
    while a < 10 {
        let mut b = 0;
        while b < 10 {
            t[a][b] = bytes_hash(&[b'0' + a as u8, b'0' + b as u8]);
            b += 1;
        }
        a += 1;
    }
    t
};

fn is_cyrillic_letter(c: char) -> bool {
    ('\u{0400}'..='\u{04FF}').contains(&c)
}

// List and position codes are single digits.
const _: () = assert!(NUM_LISTS < 10);

/// Many short strings in one buffer: a sentence's per-token forms without
/// an allocation per token.
#[derive(Default)]
struct Strings {
    text: String,
    ends: Vec<usize>,
}

impl Strings {
    /// Appends one string, written by `write` onto the end of the buffer.
    fn push_with<T>(&mut self, write: impl FnOnce(&mut String) -> T) -> T {
        let value = write(&mut self.text);
        self.ends.push(self.text.len());
        value
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }

    fn clear(&mut self) {
        self.text.clear();
        self.ends.clear();
    }
}

/// The hashed forms of a word that features use besides its own text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct WordForms {
    /// [`str_hash`] of the lowercase form with digits folded to `0`.
    pub folded: u64,
    /// [`str_hash`] of the word's shape.
    pub shape: u64,
    /// [`str_hash`] of the [`normalize`]d form, as document evidence keys it.
    pub lower: u64,
    /// The word's cluster at each granularity ([`Clusters::lookup`]).
    pub classes: ClassIds,
}

/// The [`WordForms`] of `tok`, whose [`normalize`]d form is `low`
/// (`scratch` is working space), with the bundled clusters.
pub(crate) fn word_forms(tok: &str, low: &str, scratch: &mut String) -> WordForms {
    // Folding ASCII digits leaves every other UTF-8 byte as it is, so the
    // folded form's hash can be taken byte by byte.
    let mut folded = FNV_OFFSET;
    for &b in low.as_bytes() {
        let b = if b.is_ascii_digit() { b'0' } else { b };
        folded = (folded ^ u64::from(b)).wrapping_mul(FNV_PRIME);
    }
    scratch.clear();
    push_shape(tok, scratch);
    let shape = str_hash(scratch);
    let classes = Clusters::bundled().lookup(tok, scratch);
    WordForms { folded, shape, lower: str_hash(low), classes }
}

/// What the feature templates need to know about one sentence, computed
/// once and shared by every token (and by both tagging stages).
#[derive(Default)]
pub(crate) struct SentenceFacts {
    /// [`normalize`]d tokens.
    lower: Strings,
    forms: Vec<WordForms>,
    marks: Vec<[u8; NUM_LISTS]>,
    first: usize,
    headline: u64,
}

impl SentenceFacts {
    /// Analyses `tokens` (one sentence).
    pub(crate) fn new(tokens: &[&str], gaz: &Gazetteers) -> SentenceFacts {
        let mut scratch = String::new();
        SentenceFacts::with_words(tokens, gaz, |i, out| {
            let start = out.len();
            normalize_into(tokens[i], out);
            word_forms(tokens[i], &out[start..], &mut scratch)
        })
    }

    /// Analyses `tokens` given a way to get each token's [`normalize`]d form
    /// (appended to the string) and [`WordForms`], such as a cache.
    pub(crate) fn with_words(
        tokens: &[&str],
        gaz: &Gazetteers,
        word: impl FnMut(usize, &mut String) -> WordForms,
    ) -> SentenceFacts {
        let mut facts = SentenceFacts::default();
        facts.refill(tokens, gaz, word);
        facts
    }

    /// [`SentenceFacts::with_words`] into `self`, reusing its buffers: the
    /// tagger keeps a pool of these rather than allocate for every sentence.
    pub(crate) fn refill(
        &mut self,
        tokens: &[&str],
        gaz: &Gazetteers,
        mut word: impl FnMut(usize, &mut String) -> WordForms,
    ) {
        let lower = &mut self.lower;
        lower.clear();
        self.forms.clear();
        for i in 0..tokens.len() {
            self.forms.push(lower.push_with(|out| word(i, out)));
        }
        gaz.annotate_into(tokens, |j| lower.get(j), &mut self.marks);
        let mut letter_words = 0;
        let mut all_caps = true;
        for t in tokens.iter().filter(|t| t.chars().any(char::is_alphabetic)) {
            letter_words += 1;
            all_caps &= !t.chars().any(char::is_lowercase);
        }
        self.first = first_word_index(tokens);
        self.headline = if all_caps && letter_words >= 3 { HEADLINE } else { NOT_HEADLINE };
    }
}

/// Computes the features of every token of `tokens` into `out`.
pub(crate) fn sentence_features(
    tokens: &[&str],
    doc: &DocContext,
    gaz: &Gazetteers,
    out: &mut SentenceFeatures,
) {
    let facts = SentenceFacts::new(tokens, gaz);
    out.hashes.clear();
    out.offsets.clear();
    out.offsets.push(0);
    for i in 0..tokens.len() {
        token_features(tokens, &facts, i, doc, gaz, &mut out.hashes);
        hint_features(tokens, &facts, i, doc, &mut out.hashes);
        out.offsets.push(out.hashes.len());
    }
}

/// How a token is capitalised, as the [`str_hash`] of `lower`, `allcaps`
/// or `cap`.
fn capital_class(tok: &str) -> u64 {
    if !is_capitalised(tok) {
        LOWER
    } else if tok.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        ALL_CAPS
    } else {
        CAP
    }
}

/// Whether token `i` is the sentence's first word, as the [`str_hash`] of
/// `first` or `mid`.
fn position(facts: &SentenceFacts, i: usize) -> u64 {
    if i == facts.first {
        FIRST
    } else {
        MID
    }
}

/// Templates under which a word describes a neighbour: as the word before
/// (`-1`), after (`+1`), two before and two after the token being tagged.
pub(crate) const WINDOW_TEMPLATES: [(isize, u8); 4] = [(-1, 4), (1, 5), (-2, 6), (2, 7)];

/// [`str_hash`] of each cluster level's code, `"0"`…`"3"`.
const LEVELS: [u64; MAX_LEVELS] = [DIGITS[0], DIGITS[1], DIGITS[2], DIGITS[3]];

/// Template of the word's own cluster features (templates 52..=55 are taken
/// by its neighbours', one per [`WINDOW_TEMPLATES`] entry).
const OWN_CLUSTER: u8 = 50;
const OWN_CLUSTER_CAPITAL: u8 = 51;
const NEIGHBOUR_CLUSTER: u8 = 52;

/// The features a word gives the token `WINDOW_TEMPLATES[k]` away from it:
/// its folded form, and its clusters (every level next door, the coarser
/// ones two away, where finer classes are too sparse to learn from);
/// `None` stands for what is beyond either end of the sentence. Depend on
/// the word alone, so the tagger caches them per word.
pub(crate) fn neighbour_features(k: usize, word: Option<&WordForms>, h: &mut Vec<u64>) {
    let template = WINDOW_TEMPLATES[k].1;
    let Some(forms) = word else {
        h.push(combine(template, &[BOUNDARY_WORD]));
        return;
    };
    h.push(combine(template, &[forms.folded]));
    let first_level = if WINDOW_TEMPLATES[k].0.abs() == 1 { 0 } else { 1 };
    let cluster_template = NEIGHBOUR_CLUSTER + k as u8;
    for (level, &id) in forms.classes.iter().enumerate().skip(first_level) {
        if id != NO_CLASS {
            h.push(combine(cluster_template, &[LEVELS[level], u64::from(id)]));
        }
    }
}

/// Features that depend on the token's own text and nothing else (not its
/// neighbours, position or document), so the tagger can cache their summed
/// weights per word: the bias, the word, its folded form, prefixes and
/// suffixes, script and hyphen marks, and length.
pub(crate) fn word_features(
    tok: &str,
    low: &str,
    forms: WordForms,
    gaz: &Gazetteers,
    h: &mut Vec<u64>,
) {
    h.push(combine(1, &[]));
    h.push(hash(2, &[tok]));
    h.push(combine(3, &[forms.folded]));

    // Prefixes and suffixes of the lowercase word, 1 to 4 characters.
    let mut starts = low.char_indices().map(|(b, _)| b);
    let mut ends = low.char_indices().rev().map(|(b, _)| b);
    for k in 1..=4u8 {
        let (Some(_), Some(suffix_start)) = (starts.next(), ends.next()) else { break };
        let prefix_end = starts.clone().next().unwrap_or(low.len());
        h.push(hash(11 + k, &[&low[..prefix_end]]));
        h.push(hash(15 + k, &[&low[suffix_start..]]));
    }

    let capital = capital_class(tok);
    if tok.chars().any(is_cyrillic_letter) {
        h.push(combine(20, &[CYRILLIC, capital]));
    }
    if tok.contains('-') {
        h.push(combine(20, &[HYPHEN]));
        for part in low.split('-').filter(|p| !p.is_empty()) {
            if gaz.contains(3, part) || gaz.contains(0, part) {
                h.push(combine(31, &[DEMONYM_OR_COUNTRY_PART]));
            }
        }
    }
    // Clusters, alone and with the word's capitalisation.
    if forms.classes[0] == NO_CLASS {
        h.push(combine(OWN_CLUSTER, &[NO_CLUSTER, capital]));
    }
    for (level, &id) in forms.classes.iter().enumerate() {
        if id != NO_CLASS {
            h.push(combine(OWN_CLUSTER, &[LEVELS[level], u64::from(id)]));
            h.push(combine(OWN_CLUSTER_CAPITAL, &[LEVELS[level], u64::from(id), capital]));
        }
    }
    let len_bucket = match tok.chars().count() {
        0..=1 => LENGTHS[0],
        2 => LENGTHS[1],
        3 => LENGTHS[2],
        4..=6 => LENGTHS[3],
        _ => LENGTHS[4],
    };
    h.push(combine(35, &[len_bucket, capital]));
}

/// Every feature of token `i` except the first-pass hints: its
/// [`word_features`], its neighbours' [`neighbour_features`], then
/// [`context_features`].
fn token_features(
    tokens: &[&str],
    facts: &SentenceFacts,
    i: usize,
    doc: &DocContext,
    gaz: &Gazetteers,
    h: &mut Vec<u64>,
) {
    word_features(tokens[i], facts.lower.get(i), facts.forms[i], gaz, h);
    for (k, (offset, _)) in WINDOW_TEMPLATES.iter().enumerate() {
        let j = i as isize + offset;
        let word = usize::try_from(j).ok().and_then(|j| facts.forms.get(j));
        neighbour_features(k, word, h);
    }
    context_features(tokens, facts, i, doc, h);
}

/// The features of token `i` that depend on its neighbours, its place in
/// the sentence or the document: everything but its [`word_features`] and
/// the [`neighbour_features`], and the first-pass hints.
pub(crate) fn context_features(
    tokens: &[&str],
    facts: &SentenceFacts,
    i: usize,
    doc: &DocContext,
    h: &mut Vec<u64>,
) {
    let n = tokens.len();
    let headline = facts.headline;
    let marks = &facts.marks;
    let forms_at = |i: isize| -> WordForms {
        if i < 0 || i as usize >= n {
            WordForms {
                folded: BOUNDARY_WORD,
                shape: BOUNDARY_WORD,
                lower: BOUNDARY_WORD,
                classes: UNKNOWN,
            }
        } else {
            facts.forms[i as usize]
        }
    };

    let ii = i as isize;
    let tok = tokens[i];
    let (p2, p1, here, n1, n2) =
        (forms_at(ii - 2), forms_at(ii - 1), facts.forms[i], forms_at(ii + 1), forms_at(ii + 2));
    let (w, shape) = (here.folded, here.shape);
    h.push(combine(8, &[shape, headline]));
    h.push(combine(10, &[p1.shape]));
    h.push(combine(11, &[n1.shape]));
    h.push(combine(21, &[p1.folded, w]));
    h.push(combine(22, &[w, n1.folded]));
    h.push(combine(23, &[p1.shape, shape, n1.shape]));
    h.push(combine(29, &[p1.folded, shape]));
    h.push(combine(30, &[shape, n1.folded]));
    h.push(combine(36, &[p2.folded, p1.folded]));
    h.push(combine(37, &[n1.folded, n2.folded]));

    // Capitalisation and position.
    let cap = is_capitalised(tok);
    let pos = position(facts, i);
    let capital = capital_class(tok);
    h.push(combine(20, &[capital, pos, headline]));

    // Gazetteer marks here and next door.
    for (list, mark) in marks[i].iter().enumerate() {
        if *mark != IN_NONE {
            let code = DIGIT_PAIRS[list][usize::from(*mark)];
            h.push(combine(24, &[code]));
            h.push(combine(24, &[code, capital]));
        }
    }
    for (tmpl, j) in [(25u8, ii - 1), (26u8, ii + 1)] {
        if j >= 0 && (j as usize) < n {
            for (list, mark) in marks[j as usize].iter().enumerate() {
                if *mark != IN_NONE {
                    h.push(combine(tmpl, &[DIGITS[list]]));
                }
            }
        }
    }

    // Document-level evidence for capitalised words.
    if cap {
        let seen_lower = doc.lower_seen.contains(&here.lower);
        let seen_mid = doc.cap_mid_seen.contains(&here.lower);
        h.push(combine(
            27,
            &[
                if seen_lower { LOWER_ELSEWHERE } else { NEVER_LOWER },
                if seen_mid { CAP_MID_ELSEWHERE } else { EMPTY_STRING },
                pos,
            ],
        ));
    }
}

/// Token `i`'s first-pass hint features (none before the first pass):
/// what the first pass called this word and its neighbours elsewhere.
pub(crate) fn hint_features(
    tokens: &[&str],
    facts: &SentenceFacts,
    i: usize,
    doc: &DocContext,
    h: &mut Vec<u64>,
) {
    if doc.hints.is_empty() {
        return;
    }
    let n = tokens.len();
    let ii = i as isize;
    let tok = tokens[i];
    if is_capitalised(tok) {
        if let Some((kind, unanimous)) = doc.hint(facts.forms[i].lower) {
            let pos = position(facts, i);
            let code = DIGITS[usize::from(kind)];
            h.push(combine(38, &[code]));
            h.push(combine(38, &[code, if unanimous { ALL } else { SOME }, pos]));
            if let Some(part) = doc.part_hint(facts.forms[i].lower) {
                h.push(combine(41, &[code, DIGITS[usize::from(part)]]));
            }
        }
    }
    for (tmpl, j) in [(39u8, ii - 1), (40u8, ii + 1)] {
        if j >= 0 && (j as usize) < n && is_capitalised(tokens[j as usize]) {
            if let Some((kind, _)) = doc.hint(facts.forms[j as usize].lower) {
                h.push(combine(tmpl, &[DIGITS[usize::from(kind)], capital_class(tok)]));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_collapse_runs() {
        let mut s = String::new();
        for (tok, shape) in
            [("Putin", "Xx"), ("NATO", "X"), ("5,000", "d,d"), ("U.S.", "X.X."), ("Михайлов", "Xx")]
        {
            short_shape(tok, &mut s);
            assert_eq!(s, shape, "{tok}");
        }
    }

    #[test]
    fn compile_time_codes_hash_like_their_strings() {
        for (d, (&digit, pairs)) in DIGITS.iter().zip(&DIGIT_PAIRS).enumerate() {
            assert_eq!(digit, str_hash(&d.to_string()));
            for (e, &pair) in pairs.iter().enumerate() {
                assert_eq!(pair, str_hash(&format!("{d}{e}")));
            }
        }
        let lengths = ["1", "2", "3", "4-6", "7+"];
        assert_eq!(LENGTHS.to_vec(), lengths.map(str_hash).to_vec());
        assert_eq!(capital_class("putin"), str_hash("lower"));
        assert_eq!(capital_class("NATO"), str_hash("allcaps"));
        assert_eq!(capital_class("Putin"), str_hash("cap"));
    }

    fn forms_with(classes: ClassIds) -> WordForms {
        WordForms { folded: str_hash("x"), shape: str_hash("x"), lower: str_hash("x"), classes }
    }

    #[test]
    fn neighbours_give_their_clusters_finer_ones_only_next_door() {
        let forms = forms_with([7, 3, 1, NO_CLASS]);
        let mut next_door = Vec::new();
        neighbour_features(0, Some(&forms), &mut next_door);
        // The folded word, then levels 0, 1 and 2 (level 3 is absent).
        assert_eq!(next_door.len(), 4);
        assert_eq!(next_door[0], combine(WINDOW_TEMPLATES[0].1, &[forms.folded]));
        assert_eq!(next_door[1], combine(NEIGHBOUR_CLUSTER, &[LEVELS[0], 7]));
        let mut two_away = Vec::new();
        neighbour_features(2, Some(&forms), &mut two_away);
        assert_eq!(two_away.len(), 3);
        assert!(two_away.iter().all(|f| !next_door.contains(f)));
        // The same classes on the other side are other features.
        let mut after = Vec::new();
        neighbour_features(1, Some(&forms), &mut after);
        assert!(after.iter().all(|f| !next_door.contains(f)));
        let mut boundary = Vec::new();
        neighbour_features(0, None, &mut boundary);
        assert_eq!(boundary, [combine(WINDOW_TEMPLATES[0].1, &[BOUNDARY_WORD])]);
    }

    #[test]
    fn words_of_one_cluster_share_cluster_features_only() {
        let gaz = Gazetteers::from_lists(&["", "", "", "", "", ""]);
        let features = |tok: &str, classes: ClassIds| {
            let low = tok.to_lowercase();
            let mut forms = word_forms(tok, &low, &mut String::new());
            forms.classes = classes;
            let mut h = Vec::new();
            word_features(tok, &low, forms, &gaz, &mut h);
            h
        };
        let kinnock = features("Kinnock", [4, 2, NO_CLASS, NO_CLASS]);
        let thatcher = features("Thatcher", [4, 2, NO_CLASS, NO_CLASS]);
        let lower = features("thatcher", [4, 2, NO_CLASS, NO_CLASS]);
        let unknown = features("Kinnock", UNKNOWN);
        let shared: Vec<&u64> = kinnock.iter().filter(|f| thatcher.contains(f)).collect();
        // Bias, two levels alone and two with capitalisation; the length
        // bucket (7+, capitalised) too.
        assert!(shared.contains(&&combine(OWN_CLUSTER, &[LEVELS[0], 4])));
        assert!(shared.contains(&&combine(OWN_CLUSTER_CAPITAL, &[LEVELS[1], 2, CAP])));
        assert_eq!(shared.len(), 6, "{shared:?}");
        // Capitalisation is part of the conjoined features only.
        assert!(lower.contains(&combine(OWN_CLUSTER, &[LEVELS[0], 4])));
        assert!(!lower.contains(&combine(OWN_CLUSTER_CAPITAL, &[LEVELS[0], 4, CAP])));
        assert!(unknown.contains(&combine(OWN_CLUSTER, &[NO_CLUSTER, CAP])));
        assert!(!kinnock.contains(&combine(OWN_CLUSTER, &[NO_CLUSTER, CAP])));
    }

    #[test]
    fn word_forms_carry_the_bundled_clusters() {
        let mut s = String::new();
        let forms = word_forms("Germany", "germany", &mut s);
        assert_eq!(forms.classes, Clusters::bundled().lookup("Germany", &mut s));
        assert_ne!(forms.classes, UNKNOWN);
        assert_eq!(word_forms("Xqzvw", "xqzvw", &mut s).classes, UNKNOWN);
    }

    #[test]
    fn features_are_deterministic_and_depend_on_context() {
        let gaz = Gazetteers::from_lists(&["", "", "", "", "", ""]);
        let a = ["Mr.", "Smith", "left"];
        let b = ["the", "Smith", "left"];
        let doc = DocContext::new([&a[..], &b[..]]);
        let mut fa = SentenceFeatures::default();
        let mut fb = SentenceFeatures::default();
        sentence_features(&a, &doc, &gaz, &mut fa);
        sentence_features(&b, &doc, &gaz, &mut fb);
        assert_eq!(fa.len(), 3);
        assert_ne!(fa.token(1), fb.token(1));
        let mut again = SentenceFeatures::default();
        sentence_features(&a, &doc, &gaz, &mut again);
        assert_eq!(fa.hashes, again.hashes);
    }
}
