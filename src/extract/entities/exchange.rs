//! Offline learning of the word clusters of [`super::clusters`] from
//! unlabelled text, with the exchange algorithm (Kneser & Ney 1993; Martin,
//! Liermann & Ney 1998) run at one fine granularity and then again on its
//! classes for each coarser one.
//!
//! Why exchange rather than Brown's agglomerative clustering: both maximise
//! the likelihood of a class bigram model (the mutual information of
//! adjacent classes), but Brown's algorithm (even Liang's windowed version)
//! costs O(V·C²) merge evaluations with an exact delta-loss table, while an
//! exchange pass costs O(C) candidate classes times the few classes a word
//! has as neighbours: on 3.4M words of news, C = 1,000, it converges in a few
//! minutes on one core. Brown's bit-string prefixes give the tagger classes at
//! several granularities; here the coarser levels come from clustering the
//! fine classes themselves (their class bigram counts, same objective), so
//! every coarse class is a union of fine ones, like a prefix of a Brown path.
//!
//! The objective, for class bigram counts N(c,d) and marginals N(c,·), N(·,d):
//! `Σ N(c,d) log N(c,d) − Σ N(c,·) log N(c,·) − Σ N(·,d) log N(·,d)`. Each
//! pass takes every word (most frequent first) out of its class and puts it
//! in the class that gains most, updating the counts, until a pass moves no
//! word or the pass limit is reached.
//!
//! Deterministic: words are ranked by count then by text, the initial
//! classes are ranks modulo C, and ties keep the word where it is.
//!
//! Text is tokenised as the tagger tokenises it
//! ([`super::tokenize::tokenize`]); words keep their case (the clusters of
//! surface forms are what helps a tagger tell names from common words) and
//! digits fold to `0` ([`cluster_key`]). Sentences are separated by a
//! boundary symbol that takes part like a word, so "first word of a
//! sentence" is context too.

use std::collections::HashMap;
use std::time::Instant;

use super::clusters::{cluster_key, Clusters, ClustersError, MAX_LEVELS};
use super::tokenize::{sentence_starts, tokenize};

/// How to learn the clusters; [`ExchangeConfig::default`] gives the
/// shipped file's settings.
#[derive(Clone, Debug)]
pub struct ExchangeConfig {
    /// Words seen fewer times than this get no class (they share one
    /// stand-in while the others are clustered).
    pub min_count: u32,
    /// Classes per level, finest first (at most 4 levels).
    pub classes: Vec<usize>,
    /// Most passes over the words at the finest level.
    pub passes: usize,
    /// Most passes when clustering classes into coarser ones (cheap).
    pub coarse_passes: usize,
}

impl Default for ExchangeConfig {
    fn default() -> Self {
        ExchangeConfig {
            min_count: 3,
            classes: vec![1000, 250, 60, 15],
            passes: 12,
            coarse_passes: 40,
        }
    }
}

/// Item 0 of the corpus: the sentence boundary.
const BOUNDARY: u32 = 0;

/// Unlabelled text as one stream of word ids, sentences separated by the
/// boundary symbol.
pub struct Corpus {
    ids: HashMap<String, u32>,
    words: Vec<String>,
    counts: Vec<u64>,
    stream: Vec<u32>,
    key: String,
}

impl Default for Corpus {
    fn default() -> Self {
        Corpus::new()
    }
}

impl Corpus {
    /// An empty corpus.
    pub fn new() -> Corpus {
        Corpus {
            ids: HashMap::new(),
            words: vec!["<s>".to_string()],
            counts: vec![1],
            stream: vec![BOUNDARY],
            key: String::new(),
        }
    }

    /// Number of word tokens added (boundaries not counted).
    pub fn tokens(&self) -> usize {
        self.stream.len() - self.counts[BOUNDARY as usize] as usize
    }

    /// Number of distinct words.
    pub fn vocabulary(&self) -> usize {
        self.words.len() - 1
    }

    /// Adds one article or any plain text: paragraphs are separated by
    /// blank lines, a line break inside a paragraph is a space, and each
    /// paragraph is split into sentences as the tagger splits them.
    pub fn add_text(&mut self, text: &str) {
        let mut paragraph = String::new();
        for line in text.lines().chain(std::iter::once("")) {
            let line = line.trim();
            if line.is_empty() {
                if !paragraph.is_empty() {
                    self.add_paragraph(&paragraph);
                    paragraph.clear();
                }
            } else {
                if !paragraph.is_empty() {
                    paragraph.push(' ');
                }
                paragraph.push_str(line);
            }
        }
    }

    fn add_paragraph(&mut self, text: &str) {
        let tokens = tokenize(text);
        let starts = sentence_starts(text, &tokens);
        let mut sentence: Vec<&str> = Vec::new();
        for (t, start) in tokens.iter().zip(starts) {
            if start && !sentence.is_empty() {
                self.add_sentence(&sentence);
                sentence.clear();
            }
            sentence.push(t.text(text));
        }
        if !sentence.is_empty() {
            self.add_sentence(&sentence);
        }
    }

    /// Adds one tokenised sentence.
    pub fn add_sentence(&mut self, tokens: &[&str]) {
        for t in tokens {
            self.key.clear();
            cluster_key(t, &mut self.key);
            let id = match self.ids.get(&self.key) {
                Some(&id) => id,
                None => {
                    let id = self.words.len() as u32;
                    self.ids.insert(self.key.clone(), id);
                    self.words.push(self.key.clone());
                    self.counts.push(0);
                    id
                }
            };
            self.counts[id as usize] += 1;
            self.stream.push(id);
        }
        self.counts[BOUNDARY as usize] += 1;
        self.stream.push(BOUNDARY);
    }
}

/// Items (words, or classes of a finer level) with their bigram counts,
/// both ways, in compressed rows.
struct Graph {
    /// `right[right_at[w]..right_at[w + 1]]`: (next item, count), self excluded.
    right_at: Vec<usize>,
    right: Vec<(u32, u64)>,
    left_at: Vec<usize>,
    left: Vec<(u32, u64)>,
    /// Times the item follows itself.
    self_count: Vec<u64>,
    /// Bigrams starting / ending with the item (self bigrams included).
    out_total: Vec<u64>,
    in_total: Vec<u64>,
}

impl Graph {
    /// From (first, second, count) bigrams over `n` items, sorted by first
    /// then second and without repeats.
    fn new(n: usize, bigrams: &[(u32, u32, u64)]) -> Graph {
        let mut g = Graph {
            right_at: vec![0; n + 1],
            right: Vec::new(),
            left_at: vec![0; n + 1],
            left: Vec::new(),
            self_count: vec![0; n],
            out_total: vec![0; n],
            in_total: vec![0; n],
        };
        for &(a, b, k) in bigrams {
            g.out_total[a as usize] += k;
            g.in_total[b as usize] += k;
            if a == b {
                g.self_count[a as usize] += k;
            } else {
                g.right_at[a as usize + 1] += 1;
                g.left_at[b as usize + 1] += 1;
            }
        }
        for i in 0..n {
            g.right_at[i + 1] += g.right_at[i];
            g.left_at[i + 1] += g.left_at[i];
        }
        g.right = vec![(0, 0); g.right_at[n]];
        g.left = vec![(0, 0); g.left_at[n]];
        let mut r_fill = g.right_at.clone();
        let mut l_fill = g.left_at.clone();
        for &(a, b, k) in bigrams.iter().filter(|(a, b, _)| a != b) {
            g.right[r_fill[a as usize]] = (b, k);
            r_fill[a as usize] += 1;
            g.left[l_fill[b as usize]] = (a, k);
            l_fill[b as usize] += 1;
        }
        g
    }

    fn len(&self) -> usize {
        self.self_count.len()
    }

    fn right(&self, w: usize) -> &[(u32, u64)] {
        &self.right[self.right_at[w]..self.right_at[w + 1]]
    }

    fn left(&self, w: usize) -> &[(u32, u64)] {
        &self.left[self.left_at[w]..self.left_at[w + 1]]
    }
}

/// `x ln x`, from a table for the small counts that dominate.
struct XLogX(Vec<f64>);

impl XLogX {
    const TABLE: usize = 1 << 16;

    fn new() -> XLogX {
        XLogX((0..XLogX::TABLE).map(|x| XLogX::exact(x as i64)).collect())
    }

    fn exact(x: i64) -> f64 {
        if x <= 0 {
            0.0
        } else {
            let x = x as f64;
            x * x.ln()
        }
    }

    #[inline]
    fn get(&self, x: i64) -> f64 {
        match usize::try_from(x) {
            Ok(i) if i < XLogX::TABLE => self.0[i],
            _ => XLogX::exact(x),
        }
    }
}

/// Class bigram counts: `m[a * c + b]` = N(a, b), its transpose, and the marginals.
struct ClassCounts {
    c: usize,
    m: Vec<i64>,
    t: Vec<i64>,
    row: Vec<i64>,
    col: Vec<i64>,
}

impl ClassCounts {
    fn new(g: &Graph, cls: &[u32], c: usize) -> ClassCounts {
        let mut cc = ClassCounts {
            c,
            m: vec![0; c * c],
            t: vec![0; c * c],
            row: vec![0; c],
            col: vec![0; c],
        };
        for w in 0..g.len() {
            let a = cls[w] as usize;
            for &(v, k) in g.right(w) {
                cc.add(a, cls[v as usize] as usize, k as i64);
            }
            cc.add(a, a, g.self_count[w] as i64);
            cc.row[a] += g.out_total[w] as i64;
            cc.col[a] += g.in_total[w] as i64;
        }
        cc
    }

    #[inline]
    fn add(&mut self, a: usize, b: usize, k: i64) {
        self.m[a * self.c + b] += k;
        self.t[b * self.c + a] += k;
    }

    fn objective(&self, f: &XLogX) -> f64 {
        let cells: f64 = self.m.iter().map(|&x| f.get(x)).sum();
        let margins: f64 = self.row.iter().chain(&self.col).map(|&x| f.get(x)).sum();
        cells - margins
    }
}

/// One word's bigram counts by the class of the other word, as the
/// exchange step needs them.
struct Neighbours {
    /// Counts per class of the next word (self excluded), and which are set.
    right: Vec<i64>,
    right_set: Vec<usize>,
    left: Vec<i64>,
    left_set: Vec<usize>,
}

impl Neighbours {
    fn new(c: usize) -> Neighbours {
        Neighbours {
            right: vec![0; c],
            right_set: Vec::new(),
            left: vec![0; c],
            left_set: Vec::new(),
        }
    }

    fn gather(&mut self, g: &Graph, cls: &[u32], w: usize) {
        for (list, counts, set) in [
            (g.right(w), &mut self.right, &mut self.right_set),
            (g.left(w), &mut self.left, &mut self.left_set),
        ] {
            for &(v, k) in list {
                let d = cls[v as usize] as usize;
                if counts[d] == 0 {
                    set.push(d);
                }
                counts[d] += k as i64;
            }
        }
    }

    fn clear(&mut self) {
        for &d in &self.right_set {
            self.right[d] = 0;
        }
        for &d in &self.left_set {
            self.left[d] = 0;
        }
        self.right_set.clear();
        self.left_set.clear();
    }
}

/// Clusters the items of `g` into `c` classes; returns each item's class.
fn exchange(g: &Graph, c: usize, passes: usize, log: &mut dyn FnMut(String)) -> Vec<u32> {
    let n = g.len();
    let c = c.clamp(1, n.max(1));
    let mut cls: Vec<u32> = (0..n).map(|i| (i % c) as u32).collect();
    let mut cc = ClassCounts::new(g, &cls, c);
    let f = XLogX::new();
    let mut nb = Neighbours::new(c);
    log(format!("  {n} items, {c} classes, objective {:.0}", cc.objective(&f)));
    for pass in 1..=passes {
        let started = Instant::now();
        let mut moved = 0usize;
        for w in 0..n {
            let a = cls[w] as usize;
            nb.gather(g, &cls, w);
            let (s, out, inn) =
                (g.self_count[w] as i64, g.out_total[w] as i64, g.in_total[w] as i64);
            move_counts(&mut cc, &nb, a, s, out, inn, -1);
            let gain = |b: usize| -> f64 {
                let row = &cc.m[b * c..(b + 1) * c];
                let col = &cc.t[b * c..(b + 1) * c];
                let mut sum = 0.0;
                for &d in &nb.right_set {
                    if d != b {
                        sum += f.get(row[d] + nb.right[d]) - f.get(row[d]);
                    }
                }
                for &d in &nb.left_set {
                    if d != b {
                        sum += f.get(col[d] + nb.left[d]) - f.get(col[d]);
                    }
                }
                let diag = row[b];
                sum += f.get(diag + nb.right[b] + nb.left[b] + s) - f.get(diag);
                sum -= f.get(cc.row[b] + out) - f.get(cc.row[b]);
                sum -= f.get(cc.col[b] + inn) - f.get(cc.col[b]);
                sum
            };
            let mut best = a;
            let mut best_gain = gain(a);
            for b in (0..c).filter(|&b| b != a) {
                let gb = gain(b);
                if gb > best_gain + 1e-9 {
                    best = b;
                    best_gain = gb;
                }
            }
            move_counts(&mut cc, &nb, best, s, out, inn, 1);
            if best != a {
                cls[w] = best as u32;
                moved += 1;
            }
            nb.clear();
        }
        log(format!(
            "  pass {pass:>2}: {moved} moved, objective {:.0} ({:.1} s)",
            cc.objective(&f),
            started.elapsed().as_secs_f64()
        ));
        if moved == 0 {
            break;
        }
    }
    cls
}

/// Adds (`sign` 1) or removes (`sign` -1) a word with neighbour classes
/// `nb`, self-bigram count `s` and totals `out`/`inn` to or from class `a`.
fn move_counts(
    cc: &mut ClassCounts,
    nb: &Neighbours,
    a: usize,
    s: i64,
    out: i64,
    inn: i64,
    sign: i64,
) {
    for &d in &nb.right_set {
        cc.add(a, d, sign * nb.right[d]);
    }
    for &d in &nb.left_set {
        cc.add(d, a, sign * nb.left[d]);
    }
    cc.add(a, a, sign * s);
    cc.row[a] += sign * out;
    cc.col[a] += sign * inn;
}

/// Sorted (first, second, count) bigrams of consecutive ids.
fn count_bigrams(pairs: impl Iterator<Item = (u32, u32)>) -> Vec<(u32, u32, u64)> {
    let mut packed: Vec<u64> = pairs.map(|(a, b)| (u64::from(a) << 32) | u64::from(b)).collect();
    packed.sort_unstable();
    let mut out: Vec<(u32, u32, u64)> = Vec::new();
    for p in packed {
        let (a, b) = ((p >> 32) as u32, p as u32);
        match out.last_mut() {
            Some(last) if last.0 == a && last.1 == b => last.2 += 1,
            _ => out.push((a, b, 1)),
        }
    }
    out
}

/// Learns clusters from `corpus`; `log` receives progress lines.
pub fn learn(
    corpus: &Corpus,
    cfg: &ExchangeConfig,
    log: &mut dyn FnMut(String),
) -> Result<Clusters, ClustersError> {
    if cfg.classes.is_empty() || cfg.classes.len() > MAX_LEVELS {
        return Err(ClustersError::Corrupt("level count"));
    }
    // Items: the boundary, each word seen often enough (most frequent
    // first, ties by text), then one stand-in for all rarer words.
    let mut kept: Vec<u32> = (1..corpus.words.len() as u32)
        .filter(|&w| corpus.counts[w as usize] >= u64::from(cfg.min_count))
        .collect();
    kept.sort_by(|&a, &b| {
        let (a, b) = (a as usize, b as usize);
        corpus.counts[b].cmp(&corpus.counts[a]).then_with(|| corpus.words[a].cmp(&corpus.words[b]))
    });
    let rare = kept.len() as u32 + 1;
    let mut item_of = vec![rare; corpus.words.len()];
    item_of[BOUNDARY as usize] = 0;
    for (i, &w) in kept.iter().enumerate() {
        item_of[w as usize] = i as u32 + 1;
    }
    let n = kept.len() + 2;
    log(format!(
        "{} tokens, {} words, {} seen at least {} times",
        corpus.tokens(),
        corpus.vocabulary(),
        kept.len(),
        cfg.min_count
    ));
    let stream = &corpus.stream;
    let bigrams =
        count_bigrams(stream.windows(2).map(|p| (item_of[p[0] as usize], item_of[p[1] as usize])));
    let words = Graph::new(n, &bigrams);

    log(format!("level 0: {} classes", cfg.classes[0]));
    let mut levels: Vec<Vec<u32>> = vec![exchange(&words, cfg.classes[0], cfg.passes, log)];
    let mut classes = vec![cfg.classes[0].clamp(1, n) as u32];
    for (level, &c) in cfg.classes.iter().enumerate().skip(1) {
        // The finer level's classes become the items: their bigram counts
        // are the sums over their words.
        let finer = &levels[level - 1];
        let fc = classes[level - 1] as usize;
        let class_bigrams = count_weighted(
            bigrams.iter().map(|&(a, b, k)| (finer[a as usize], finer[b as usize], k)),
        );
        let graph = Graph::new(fc, &class_bigrams);
        log(format!("level {level}: {c} classes of the {fc} above"));
        let coarse = exchange(&graph, c, cfg.coarse_passes, log);
        classes.push(c.clamp(1, fc) as u32);
        levels.push(finer.iter().map(|&f| coarse[f as usize]).collect());
    }
    let entries = kept
        .iter()
        .enumerate()
        .filter(|&(_, &w)| corpus.words[w as usize].len() <= usize::from(u8::MAX))
        .map(|(i, &w)| {
            let ids = levels.iter().map(|l| l[i + 1] as u16).collect();
            (corpus.words[w as usize].clone(), ids)
        });
    Clusters::new(classes, entries)
}

/// [`count_bigrams`] for pairs that carry a count.
fn count_weighted(pairs: impl Iterator<Item = (u32, u32, u64)>) -> Vec<(u32, u32, u64)> {
    let mut v: Vec<(u32, u32, u64)> = pairs.collect();
    v.sort_unstable_by_key(|&(a, b, _)| (a, b));
    let mut out: Vec<(u32, u32, u64)> = Vec::new();
    for (a, b, k) in v {
        match out.last_mut() {
            Some(last) if last.0 == a && last.1 == b => last.2 += k,
            _ => out.push((a, b, k)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A toy language in which names and verbs occupy different slots:
    /// "<name> <verb> the <thing> ." in every combination.
    fn toy() -> Corpus {
        let names = ["Smith", "Jones", "Brown", "Taylor"];
        let verbs = ["sold", "bought", "made", "took"];
        let things = ["shares", "bonds", "cars", "wheat"];
        let mut c = Corpus::new();
        for n in names {
            for v in verbs {
                for t in things {
                    c.add_sentence(&[n, v, "the", t, "."]);
                }
            }
        }
        c
    }

    #[test]
    fn words_in_the_same_slot_share_classes() {
        let cfg =
            ExchangeConfig { min_count: 1, classes: vec![6, 3], passes: 20, coarse_passes: 20 };
        let clusters = learn(&toy(), &cfg, &mut |_| {}).unwrap();
        assert_eq!(clusters.classes(), &[6, 3]);
        let class = |w: &str| clusters.get(w).unwrap().to_vec();
        for level in 0..2 {
            assert_eq!(class("Smith")[level], class("Taylor")[level]);
            assert_eq!(class("sold")[level], class("took")[level]);
            assert_eq!(class("bonds")[level], class("wheat")[level]);
        }
        assert_ne!(class("Smith")[0], class("sold")[0]);
        assert_ne!(class("sold")[0], class("bonds")[0]);
    }

    #[test]
    fn learning_is_deterministic_and_skips_rare_words() {
        let mut corpus = toy();
        corpus.add_text("Headline\n\nA hapax sentence . Another one 1987 .\n");
        let cfg = ExchangeConfig { min_count: 2, classes: vec![5], passes: 5, coarse_passes: 5 };
        let a = learn(&corpus, &cfg, &mut |_| {}).unwrap();
        let b = learn(&corpus, &cfg, &mut |_| {}).unwrap();
        assert_eq!(a.to_bytes(), b.to_bytes());
        assert!(a.get("hapax").is_none());
        assert!(a.get("Smith").is_some());
        assert_eq!(corpus.tokens(), 64 * 5 + 1 + 4 + 4);
    }

    #[test]
    fn text_is_split_into_sentences_and_digits_fold() {
        let mut c = Corpus::new();
        c.add_text("TITLE\n\nPrices rose 5.5 pct. They fell in 1986.\r\n\r\nNext para.");
        let words: Vec<&str> = c.stream.iter().map(|&i| c.words[i as usize].as_str()).collect();
        assert_eq!(
            words,
            [
                "<s>", "TITLE", "<s>", "Prices", "rose", "0.0", "pct", ".", "<s>", "They", "fell",
                "in", "0000", ".", "<s>", "Next", "para", ".", "<s>"
            ]
        );
    }
}
