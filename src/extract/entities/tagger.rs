//! The tagger: a model plus the gazetteers, applied to the token sentences of
//! one document. With a two-stage model the first pass tags the whole
//! document, its predictions become document-level features, and the second
//! pass tags again, so a name tagged confidently in one sentence helps its
//! other mentions. The bundled model is compiled into the binary and decoded
//! once per process.

use std::cell::RefCell;
use std::sync::OnceLock;

use super::clusters::Clusters;
use super::features::{
    context_features, hint_features, str_hash, DocContext, SentenceFacts, SentenceFeatures,
};
use super::gazetteer::{normalize, Gazetteers};
use super::labels::{decode_spans, decode_spans_into, kind_code, Span};
use super::model::{FeatureRows, Model, ModelError, MAX_STAGES};
use super::viterbi::Lattice;
use super::wordcache::WordCache;

const BUNDLED_MODEL: &[u8] = include_bytes!("../../../data/models/ner.model");

/// A model ready to tag token sentences.
pub struct Tagger {
    model: Model,
    rows: FeatureRows,
    gazetteers: &'static Gazetteers,
}

impl Tagger {
    /// The model shipped in `data/models/ner.model`, decoded on first use.
    ///
    /// # Panics
    /// If the bundled file is not a valid model: that is a build defect
    /// (caught by this module's tests), not something input can cause.
    pub fn bundled() -> &'static Tagger {
        static BUNDLED: OnceLock<Tagger> = OnceLock::new();
        BUNDLED.get_or_init(|| {
            Tagger::from_bytes(BUNDLED_MODEL).unwrap_or_else(|e| {
                panic!("the bundled NER model data/models/ner.model is unusable: {e}")
            })
        })
    }

    /// A tagger for a model file's bytes.
    pub fn from_bytes(bytes: &[u8]) -> Result<Tagger, ModelError> {
        Ok(Tagger::new(Model::from_bytes(bytes)?))
    }

    /// A tagger for an in-memory model (used while training).
    pub fn new(model: Model) -> Tagger {
        // The word clusters every feature list reads are loaded with the
        // model, not by the first word tagged.
        Clusters::bundled();
        let rows = FeatureRows::new(&model.stages);
        Tagger { model, rows, gazetteers: Gazetteers::bundled() }
    }

    /// The underlying model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// BILOU labels for every sentence of one document (sentences in order).
    pub fn tag_document<'a, S: AsRef<[&'a str]>>(&self, sentences: &'a [S]) -> Vec<Vec<u8>> {
        let mut labels = Vec::new();
        self.tag_document_into(sentences, &mut labels);
        let mut rest = labels.as_slice();
        sentences
            .iter()
            .map(|s| {
                let (first, after) = rest.split_at(s.as_ref().len());
                rest = after;
                first.to_vec()
            })
            .collect()
    }

    /// [`Tagger::tag_document`] into `labels`: the labels of every token,
    /// sentence after sentence, in one buffer.
    ///
    /// Hints are the only features that change between stages, so each
    /// sentence is analysed and featurised once; later stages only add the
    /// hint features. Word and window features come from this thread's
    /// [`WordCache`]; the scores are exactly those of the full feature lists
    /// of [`sentence_features`].
    ///
    /// [`sentence_features`]: super::features::sentence_features
    pub fn tag_document_into<'a, S: AsRef<[&'a str]>>(
        &self,
        sentences: &'a [S],
        labels: &mut Vec<u8>,
    ) {
        thread_local! {
            static WORK: RefCell<Workspace> = RefCell::default();
        }
        WORK.with(|work| self.tag_document_with(sentences, &mut work.borrow_mut(), labels))
    }

    fn tag_document_with<'a, S: AsRef<[&'a str]>>(
        &self,
        sentences: &'a [S],
        work: &mut Workspace,
        labels: &mut Vec<u8>,
    ) {
        let stages = &self.model.stages;
        let Workspace {
            cache,
            words,
            starts,
            ctx,
            facts,
            base,
            rows,
            hints,
            scores,
            lattice,
            sentence_labels,
            stage_labels,
            spans,
        } = work;
        cache.prepare(stages, &self.rows);
        // Where each sentence's tokens start in `words`, `base` and the labels.
        words.clear();
        starts.clear();
        for s in sentences {
            starts.push(words.len());
            cache.add_words(s.as_ref(), stages, &self.rows, self.gazetteers, words);
        }
        starts.push(words.len());
        ctx.refill(sentences.iter(), |k, i, _| cache.forms(words[starts[k] + i]).lower);
        if facts.len() < sentences.len() {
            facts.resize_with(sentences.len(), SentenceFacts::default);
        }
        base.hashes.clear();
        base.offsets.clear();
        base.offsets.push(0);
        for (k, (s, f)) in sentences.iter().zip(facts.iter_mut()).enumerate() {
            let tokens = s.as_ref();
            let w = &words[starts[k]..starts[k + 1]];
            f.refill(tokens, self.gazetteers, |i, out| {
                out.push_str(cache.lower(w[i]));
                cache.forms(w[i])
            });
            for i in 0..tokens.len() {
                context_features(tokens, f, i, ctx, &mut base.hashes);
                base.offsets.push(base.hashes.len());
            }
        }
        rows.clear();
        // Probes miss the cache: each starts loading a later feature's slot.
        const AHEAD: usize = 16;
        for (i, &f) in base.hashes.iter().enumerate() {
            if let Some(&later) = base.hashes.get(i + AHEAD) {
                self.rows.prefetch(later);
            }
            rows.push(self.rows.rows(f));
        }
        labels.clear();
        for (stage_no, stage) in stages.iter().enumerate() {
            if stage_no > 0 {
                for (k, s) in sentences.iter().enumerate() {
                    let (from, to) = (starts[k], starts[k + 1]);
                    add_sentence_hints(ctx, s.as_ref(), &labels[from..to], spans, |i| {
                        cache.forms(words[from + i]).lower
                    });
                }
            }
            stage_labels.clear();
            for (k, (s, f)) in sentences.iter().zip(facts.iter()).enumerate() {
                let tokens = s.as_ref();
                let w = &words[starts[k]..starts[k + 1]];
                scores.clear();
                for i in 0..tokens.len() {
                    let mut sum = cache.sum(stage_no, w, i);
                    let t = starts[k] + i;
                    for r in &rows[base.offsets[t]..base.offsets[t + 1]] {
                        stage.add_row(r[stage_no], &mut sum);
                    }
                    if stage_no > 0 {
                        hints.clear();
                        hint_features(tokens, f, i, ctx, hints);
                        stage.add_features(hints, &mut sum);
                    }
                    scores.extend_from_slice(&stage.scores_of(&sum));
                }
                stage.decode_into(scores, lattice, sentence_labels);
                stage_labels.extend_from_slice(sentence_labels);
            }
            std::mem::swap(labels, stage_labels);
        }
    }
}

/// A thread's reusable tagging state: its word cache and buffers that would
/// otherwise be allocated for every document or sentence.
#[derive(Default)]
struct Workspace {
    cache: WordCache,
    /// Cache entries of the document's tokens, sentence after sentence.
    words: Vec<u32>,
    /// Where each sentence starts in `words`, plus the end.
    starts: Vec<usize>,
    /// The document's evidence (tables kept from document to document).
    ctx: DocContext,
    /// Per sentence (the first of these, at least as many as sentences).
    facts: Vec<SentenceFacts>,
    /// Context features of the document's tokens, in the same order.
    base: SentenceFeatures,
    /// Every stage's row of each of those features.
    rows: Vec<[u32; MAX_STAGES]>,
    hints: Vec<u64>,
    scores: Vec<f32>,
    lattice: Lattice,
    /// One sentence's labels, then a whole stage's.
    sentence_labels: Vec<u8>,
    stage_labels: Vec<u8>,
    spans: Vec<Span>,
}

impl Tagger {
    /// Entity spans (token ranges) of one sentence tagged on its own, as a
    /// one-sentence document.
    pub fn tag_tokens(&self, tokens: &[&str]) -> Vec<Span> {
        let mut labels = Vec::new();
        self.tag_document_into(&[tokens], &mut labels);
        decode_spans(&labels)
    }
}

/// Records first-pass predictions as document-level evidence.
pub(crate) fn add_hints<'a, S: AsRef<[&'a str]>>(
    ctx: &mut DocContext,
    sentences: &'a [S],
    labels: &[Vec<u8>],
) {
    let mut spans = Vec::new();
    for (s, l) in sentences.iter().zip(labels) {
        let tokens = s.as_ref();
        add_sentence_hints(ctx, tokens, l, &mut spans, |i| str_hash(&normalize(tokens[i])));
    }
}

/// [`add_hints`] for one sentence, with token `i`'s [`WordForms::lower`]
/// hash given by `lower(i)` (and `spans` as working space).
///
/// [`WordForms::lower`]: super::features::WordForms::lower
fn add_sentence_hints(
    ctx: &mut DocContext,
    tokens: &[&str],
    labels: &[u8],
    spans: &mut Vec<Span>,
    lower: impl Fn(usize) -> u64,
) {
    decode_spans_into(labels, spans);
    for span in spans.iter() {
        let len = span.end - span.start;
        for (k, t) in tokens[span.start..span.end].iter().enumerate() {
            let part = match (len, k) {
                (1, _) => 3,
                (_, 0) => 0,
                (_, k) if k + 1 == len => 2,
                _ => 1,
            };
            ctx.add_hint_hashed(t, || lower(span.start + k), kind_code(span.kind), part);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_a_sentence_of_tokens() {
        use crate::extract::entities::EntityKind;
        let tokens = ["Sergei", "Lavrov", "met", "NATO", "officials", "in", "Brussels", "."];
        let spans = Tagger::bundled().tag_tokens(&tokens);
        let found: Vec<(&[&str], EntityKind)> =
            spans.iter().map(|s| (&tokens[s.start..s.end], s.kind)).collect();
        assert!(found.contains(&(&tokens[0..2], EntityKind::Person)), "{found:?}");
        assert!(found.contains(&(&tokens[6..7], EntityKind::Place)), "{found:?}");
    }

    /// The straightforward tagger: every feature of every token looked up
    /// one by one, as in training ([`sentence_features`] per stage).
    ///
    /// [`sentence_features`]: crate::extract::entities::features::sentence_features
    fn tag_without_cache(tagger: &Tagger, sentences: &[Vec<&str>]) -> Vec<Vec<u8>> {
        use crate::extract::entities::features::sentence_features;
        let mut ctx = DocContext::new(sentences.iter());
        let mut labels: Vec<Vec<u8>> = Vec::new();
        let mut features = SentenceFeatures::default();
        let mut scores = Vec::new();
        for (stage_no, stage) in tagger.model().stages.iter().enumerate() {
            if stage_no > 0 {
                add_hints(&mut ctx, sentences, &labels);
            }
            labels = sentences
                .iter()
                .map(|s| {
                    sentence_features(s, &ctx, tagger.gazetteers, &mut features);
                    stage.emissions(&features, &mut scores);
                    stage.decode(&scores)
                })
                .collect();
        }
        labels
    }

    #[test]
    fn cached_word_sums_give_exactly_the_full_features_labels() {
        use crate::extract::entities::tokenize::{sentence_starts, tokenize};
        let articles = [
            include_str!("../../../data/corpus/000_45b7c3c7b98d9dfb.txt"),
            include_str!("../../../data/corpus/003_1a80369e4cb17159.txt"),
        ];
        let tagger = Tagger::bundled();
        let mut entities = 0;
        // Twice, so the second round runs on a warm cache.
        for text in articles.iter().chain(&articles) {
            let tokens = tokenize(text);
            let starts = sentence_starts(text, &tokens);
            let mut sentences: Vec<Vec<&str>> = Vec::new();
            for (t, start) in tokens.iter().zip(&starts) {
                if *start || sentences.is_empty() {
                    sentences.push(Vec::new());
                }
                sentences.last_mut().unwrap().push(t.text(text));
            }
            let cached = tagger.tag_document(&sentences);
            assert_eq!(cached, tag_without_cache(tagger, &sentences));
            entities += cached.iter().map(|l| decode_spans(l).len()).sum::<usize>();
        }
        assert!(entities > 50, "{entities}");
    }

    #[test]
    fn bundled_model_loads() {
        let tagger = Tagger::bundled();
        assert!(!tagger.model().stages.is_empty());
        assert!(tagger.model().stages.iter().all(|s| s.len() > 1000));
    }
}
