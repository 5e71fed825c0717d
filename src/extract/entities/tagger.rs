//! The tagger: a model plus the gazetteers, applied to the token sentences of
//! one document. With a two-stage model the first pass tags the whole
//! document, its predictions become document-level features, and the second
//! pass tags again, so a name tagged confidently in one sentence helps its
//! other mentions. The bundled model is compiled into the binary and decoded
//! once per process.

use std::sync::OnceLock;

use super::features::{
    features_without_hints, with_hints, DocContext, SentenceFacts, SentenceFeatures,
};
use super::gazetteer::Gazetteers;
use super::labels::{decode_spans, kind_code};
use super::model::{Model, ModelError};

const BUNDLED_MODEL: &[u8] = include_bytes!("../../../data/models/ner.model");

/// A model ready to tag token sentences.
pub struct Tagger {
    model: Model,
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
        Tagger { model, gazetteers: Gazetteers::bundled() }
    }

    /// The underlying model.
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// BILOU labels for every sentence of one document (sentences in order).
    ///
    /// Hints are the only features that change between stages, so each
    /// sentence is analysed and featurised once; later stages only append
    /// the hint features (same hashes, same order as [`sentence_features`]).
    ///
    /// [`sentence_features`]: super::features::sentence_features
    pub fn tag_document<'a, S: AsRef<[&'a str]>>(&self, sentences: &'a [S]) -> Vec<Vec<u8>> {
        let mut ctx = DocContext::new(sentences.iter());
        let mut facts = Vec::with_capacity(sentences.len());
        let mut base = Vec::with_capacity(sentences.len());
        for s in sentences {
            let tokens = s.as_ref();
            let f = SentenceFacts::new(tokens, self.gazetteers);
            let mut b = SentenceFeatures::default();
            features_without_hints(tokens, &f, &ctx, self.gazetteers, &mut b);
            facts.push(f);
            base.push(b);
        }
        let mut feats = SentenceFeatures::default();
        let mut scores = Vec::new();
        let mut labels = Vec::with_capacity(sentences.len());
        for (stage_no, stage) in self.model.stages.iter().enumerate() {
            if stage_no > 0 {
                add_hints(&mut ctx, sentences, &labels);
            }
            labels.clear();
            for ((s, f), b) in sentences.iter().zip(&facts).zip(&base) {
                let features = if stage_no == 0 {
                    b
                } else {
                    with_hints(s.as_ref(), f, b, &ctx, &mut feats);
                    &feats
                };
                stage.emissions(features, &mut scores);
                labels.push(stage.decode(&scores));
            }
        }
        labels
    }
}

impl Tagger {
    /// Entity spans (token ranges) of one sentence tagged on its own, as a
    /// one-sentence document.
    pub fn tag_tokens(&self, tokens: &[&str]) -> Vec<super::labels::Span> {
        let labels = self.tag_document(&[tokens]);
        labels.first().map(|l| decode_spans(l)).unwrap_or_default()
    }
}

/// Records first-pass predictions as document-level evidence.
pub fn add_hints<'a, S: AsRef<[&'a str]>>(
    ctx: &mut DocContext,
    sentences: &'a [S],
    labels: &[Vec<u8>],
) {
    for (s, l) in sentences.iter().zip(labels) {
        let tokens = s.as_ref();
        for span in decode_spans(l) {
            let len = span.end - span.start;
            for (k, t) in tokens[span.start..span.end].iter().enumerate() {
                let part = match (len, k) {
                    (1, _) => 3,
                    (_, 0) => 0,
                    (_, k) if k + 1 == len => 2,
                    _ => 1,
                };
                ctx.add_hint(t, kind_code(span.kind), part);
            }
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

    #[test]
    fn bundled_model_loads() {
        let tagger = Tagger::bundled();
        assert!(!tagger.model().stages.is_empty());
        assert!(tagger.model().stages.iter().all(|s| s.len() > 1000));
    }
}
