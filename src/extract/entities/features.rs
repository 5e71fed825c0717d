//! Turns a sentence of tokens into hashed features for the tagger: the word,
//! its lowercase form, shape, prefixes and suffixes, capitalisation, a ±2
//! window, gazetteer marks and document-level evidence (is this capitalised
//! word also written in lowercase elsewhere in the document? what did the
//! first pass call its other occurrences?). Training and tagging share this
//! code, so a model only ever sees features computed exactly one way.
//!
//! Features are 64-bit FNV-1a hashes of a template id plus strings; nothing
//! is allocated per feature.

use super::fasthash::{FastMap, FastSet};
use super::gazetteer::{normalize, normalize_into, Gazetteers, IN_NONE, NUM_LISTS};

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
pub struct DocContext {
    /// Normalised forms of words written in lowercase somewhere in the document.
    lower_seen: FastSet<String>,
    /// Normalised forms of words capitalised somewhere other than a sentence start.
    cap_mid_seen: FastSet<String>,
    /// First-pass evidence per normalised capitalised word: entity-kind votes
    /// (index = kind code 1..=4, 0 unused) from its other occurrences.
    hints: FastMap<String, [u16; 5]>,
    /// Where in those entities it stood: votes for begin, inside, last, unit.
    parts: FastMap<String, [u16; 4]>,
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
    pub fn new<'a, I, S>(sentences: I) -> DocContext
    where
        I: IntoIterator<Item = &'a S>,
        S: AsRef<[&'a str]> + 'a + ?Sized,
    {
        let mut ctx = DocContext::default();
        let mut key = String::new();
        for sentence in sentences {
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
                // Most words recur: allocate a key only for a new one.
                key.clear();
                normalize_into(t, &mut key);
                if !set.contains(key.as_str()) {
                    set.insert(key.clone());
                }
            }
        }
        ctx
    }

    /// Records that the first pass put capitalised `token` inside an entity of
    /// kind code `kind` (1..=4) at position `part` (0 begin, 1 inside, 2 last, 3 unit).
    pub fn add_hint(&mut self, token: &str, kind: u8, part: u8) {
        if is_capitalised(token) && (1..=4).contains(&kind) {
            let key = normalize(token);
            self.parts.entry(key.clone()).or_insert([0; 4])[usize::from(part.min(3))] += 1;
            self.hints.entry(key).or_insert([0; 5])[kind as usize] += 1;
        }
    }

    /// The position code most often given to `lower` in the first pass.
    fn part_hint(&self, lower: &str) -> Option<u8> {
        let votes = self.parts.get(lower)?;
        let (best, _) = votes.iter().enumerate().max_by_key(|(i, n)| (**n, 4 - *i))?;
        Some(best as u8)
    }

    /// The kind code most often given to `lower` in the first pass, if any.
    fn hint(&self, lower: &str) -> Option<(u8, bool)> {
        let votes = self.hints.get(lower)?;
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

/// Hash of a template id and up to three string parts.
fn hash(template: u8, parts: &[&str]) -> u64 {
    let mut h = FNV_OFFSET ^ u64::from(template);
    h = h.wrapping_mul(FNV_PRIME);
    for p in parts {
        for &b in p.as_bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(FNV_PRIME);
        }
        h ^= 0xff;
        h = h.wrapping_mul(FNV_PRIME);
    }
    // Final avalanche so nearby strings spread over the table.
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h
}

const BOUNDARY: &str = "<s>";

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
    fn push_with(&mut self, write: impl FnOnce(&mut String)) {
        write(&mut self.text);
        self.ends.push(self.text.len());
    }

    fn get(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.text[start..self.ends[i]]
    }
}

/// What the feature templates need to know about one sentence, computed
/// once and shared by every token (and by both tagging stages).
#[derive(Default)]
pub struct SentenceFacts {
    /// [`normalize`]d tokens.
    lower: Strings,
    /// Lowercase with digits folded, for window words.
    folded: Strings,
    shapes: Strings,
    marks: Vec<[u8; NUM_LISTS]>,
    first: usize,
    headline: &'static str,
}

impl SentenceFacts {
    /// Analyses `tokens` (one sentence).
    pub fn new(tokens: &[&str], gaz: &Gazetteers) -> SentenceFacts {
        let mut lower = Strings::default();
        let mut folded = Strings::default();
        let mut shapes = Strings::default();
        for t in tokens {
            lower.push_with(|out| normalize_into(t, out));
        }
        for (i, t) in tokens.iter().enumerate() {
            let l = lower.get(i);
            folded.push_with(|out| {
                out.extend(l.chars().map(|c| if c.is_ascii_digit() { '0' } else { c }))
            });
            shapes.push_with(|out| push_shape(t, out));
        }
        let lower_words: Vec<&str> = (0..tokens.len()).map(|i| lower.get(i)).collect();
        let marks = gaz.annotate(tokens, &lower_words);
        let letters: Vec<&str> =
            tokens.iter().copied().filter(|t| t.chars().any(char::is_alphabetic)).collect();
        let all_caps_sentence =
            letters.len() >= 3 && letters.iter().all(|t| !t.chars().any(char::is_lowercase));
        SentenceFacts {
            lower,
            folded,
            shapes,
            marks,
            first: first_word_index(tokens),
            headline: if all_caps_sentence { "H" } else { "" },
        }
    }
}

/// Computes the features of every token of `tokens` into `out`.
pub fn sentence_features(
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

/// [`sentence_features`] without the first-pass hint features, which a
/// document's first pass never has: a token's hint features come last in
/// its list, so [`with_hints`] can add them later without recomputing these.
pub fn features_without_hints(
    tokens: &[&str],
    facts: &SentenceFacts,
    doc: &DocContext,
    gaz: &Gazetteers,
    out: &mut SentenceFeatures,
) {
    out.hashes.clear();
    out.offsets.clear();
    out.offsets.push(0);
    for i in 0..tokens.len() {
        token_features(tokens, facts, i, doc, gaz, &mut out.hashes);
        out.offsets.push(out.hashes.len());
    }
}

/// The full features of a sentence from its [`features_without_hints`]:
/// the same hashes, in the same order, as [`sentence_features`].
pub fn with_hints(
    tokens: &[&str],
    facts: &SentenceFacts,
    base: &SentenceFeatures,
    doc: &DocContext,
    out: &mut SentenceFeatures,
) {
    out.hashes.clear();
    out.offsets.clear();
    out.offsets.push(0);
    for i in 0..base.len() {
        out.hashes.extend_from_slice(base.token(i));
        hint_features(tokens, facts, i, doc, &mut out.hashes);
        out.offsets.push(out.hashes.len());
    }
}

/// How a token is capitalised: `lower`, `allcaps` or `cap`.
fn capital_class(tok: &str) -> &'static str {
    if !is_capitalised(tok) {
        "lower"
    } else if tok.chars().filter(|c| c.is_alphabetic()).all(char::is_uppercase) {
        "allcaps"
    } else {
        "cap"
    }
}

/// Whether token `i` is the sentence's first word.
fn position(facts: &SentenceFacts, i: usize) -> &'static str {
    if i == facts.first {
        "first"
    } else {
        "mid"
    }
}

/// Every feature of token `i` except the first-pass hints.
fn token_features(
    tokens: &[&str],
    facts: &SentenceFacts,
    i: usize,
    doc: &DocContext,
    gaz: &Gazetteers,
    h: &mut Vec<u64>,
) {
    let n = tokens.len();
    let headline = facts.headline;
    let marks = &facts.marks;
    let word_at = |i: isize| -> &str {
        if i < 0 || i as usize >= n {
            BOUNDARY
        } else {
            facts.folded.get(i as usize)
        }
    };
    let shape_at = |i: isize| -> &str {
        if i < 0 || i as usize >= n {
            BOUNDARY
        } else {
            facts.shapes.get(i as usize)
        }
    };

    let ii = i as isize;
    let tok = tokens[i];
    let low = facts.lower.get(i);
    let w = facts.folded.get(i);
    let shape = facts.shapes.get(i);
    h.push(hash(1, &[]));
    h.push(hash(2, &[tok]));
    h.push(hash(3, &[w]));
    h.push(hash(4, &[word_at(ii - 1)]));
    h.push(hash(5, &[word_at(ii + 1)]));
    h.push(hash(6, &[word_at(ii - 2)]));
    h.push(hash(7, &[word_at(ii + 2)]));
    h.push(hash(8, &[shape, headline]));
    h.push(hash(10, &[shape_at(ii - 1)]));
    h.push(hash(11, &[shape_at(ii + 1)]));
    h.push(hash(21, &[word_at(ii - 1), w]));
    h.push(hash(22, &[w, word_at(ii + 1)]));
    h.push(hash(23, &[shape_at(ii - 1), shape, shape_at(ii + 1)]));
    h.push(hash(29, &[word_at(ii - 1), shape]));
    h.push(hash(30, &[shape, word_at(ii + 1)]));
    h.push(hash(36, &[word_at(ii - 2), word_at(ii - 1)]));
    h.push(hash(37, &[word_at(ii + 1), word_at(ii + 2)]));

    // Prefixes and suffixes of the lowercase word, 1 to 4 characters.
    let mut starts = low.char_indices().map(|(b, _)| b);
    let mut ends = low.char_indices().rev().map(|(b, _)| b);
    for k in 1..=4u8 {
        let (Some(_), Some(suffix_start)) = (starts.next(), ends.next()) else { break };
        let prefix_end = starts.clone().next().unwrap_or(low.len());
        h.push(hash(11 + k, &[&low[..prefix_end]]));
        h.push(hash(15 + k, &[&low[suffix_start..]]));
    }

    // Capitalisation and character classes.
    let cap = is_capitalised(tok);
    let pos = position(facts, i);
    let capital = capital_class(tok);
    h.push(hash(20, &[capital, pos, headline]));
    if tok.chars().any(is_cyrillic_letter) {
        h.push(hash(20, &["cyrillic", capital]));
    }
    if tok.contains('-') {
        h.push(hash(20, &["hyphen"]));
        for part in low.split('-').filter(|p| !p.is_empty()) {
            if gaz.contains(3, part) || gaz.contains(0, part) {
                h.push(hash(31, &["demonym-or-country-part"]));
            }
        }
    }
    let len_bucket = match tok.chars().count() {
        0..=1 => "1",
        2 => "2",
        3 => "3",
        4..=6 => "4-6",
        _ => "7+",
    };
    h.push(hash(35, &[len_bucket, capital]));

    // Gazetteer marks here and next door.
    for (list, mark) in marks[i].iter().enumerate() {
        if *mark != IN_NONE {
            let code = [b'0' + list as u8, b'0' + *mark];
            let code = std::str::from_utf8(&code).unwrap_or("");
            h.push(hash(24, &[code]));
            h.push(hash(24, &[code, capital]));
        }
    }
    for (tmpl, j) in [(25u8, ii - 1), (26u8, ii + 1)] {
        if j >= 0 && (j as usize) < n {
            for (list, mark) in marks[j as usize].iter().enumerate() {
                if *mark != IN_NONE {
                    let code = [b'0' + list as u8];
                    h.push(hash(tmpl, &[std::str::from_utf8(&code).unwrap_or("")]));
                }
            }
        }
    }

    // Document-level evidence for capitalised words.
    if cap {
        let seen_lower = doc.lower_seen.contains(low);
        let seen_mid = doc.cap_mid_seen.contains(low);
        h.push(hash(
            27,
            &[
                if seen_lower { "lower-elsewhere" } else { "never-lower" },
                if seen_mid { "cap-mid-elsewhere" } else { "" },
                pos,
            ],
        ));
    }
}

/// Token `i`'s first-pass hint features (none before the first pass):
/// what the first pass called this word and its neighbours elsewhere.
fn hint_features(
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
        if let Some((kind, unanimous)) = doc.hint(facts.lower.get(i)) {
            let pos = position(facts, i);
            let code = [b'0' + kind];
            let code = std::str::from_utf8(&code).unwrap_or("");
            h.push(hash(38, &[code]));
            h.push(hash(38, &[code, if unanimous { "all" } else { "some" }, pos]));
            if let Some(part) = doc.part_hint(facts.lower.get(i)) {
                let part = [b'0' + part];
                h.push(hash(41, &[code, std::str::from_utf8(&part).unwrap_or("")]));
            }
        }
    }
    for (tmpl, j) in [(39u8, ii - 1), (40u8, ii + 1)] {
        if j >= 0 && (j as usize) < n && is_capitalised(tokens[j as usize]) {
            if let Some((kind, _)) = doc.hint(facts.lower.get(j as usize)) {
                let code = [b'0' + kind];
                h.push(hash(tmpl, &[std::str::from_utf8(&code).unwrap_or(""), capital_class(tok)]));
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

    #[test]
    fn hints_added_later_give_the_same_features() {
        let gaz = Gazetteers::from_lists(&["Russia", "", "", "", "", ""]);
        let a = ["Putin", "met", "Lavrov", "in", "Russia", "."];
        let b = ["Lavrov", "said", "Putin", "agreed"];
        let mut doc = DocContext::new([&a[..], &b[..]]);
        doc.add_hint("Putin", 1, 3);
        doc.add_hint("Lavrov", 1, 3);
        doc.add_hint("Russia", 3, 3);
        for s in [&a[..], &b[..]] {
            let mut full = SentenceFeatures::default();
            sentence_features(s, &doc, &gaz, &mut full);
            let facts = SentenceFacts::new(s, &gaz);
            let mut base = SentenceFeatures::default();
            features_without_hints(s, &facts, &doc, &gaz, &mut base);
            let mut joined = SentenceFeatures::default();
            with_hints(s, &facts, &base, &doc, &mut joined);
            assert!(base.hashes.len() < full.hashes.len());
            assert_eq!(joined.hashes, full.hashes);
            assert_eq!(joined.offsets, full.offsets);
        }
    }
}
