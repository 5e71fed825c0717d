//! CoNLL-2003 NER evaluation: reads a CoNLL file (`token POS chunk NER`, IOB1
//! tags, `-DOCSTART-` between documents), tags each document's sentences with
//! the bundled model, and scores exact-span micro precision/recall/F1 per type
//! and overall, as `conlleval` does. Only the tagging is timed for the
//! throughput figure. The POS and chunk columns are ignored: raw news text
//! has none.

use std::fmt;
use std::path::Path;
use std::time::Instant;

use serde::Serialize;

pub use crate::extract::entities::conll::{parse_conll, read_conll, ConllDocument, ConllSentence};
use crate::extract::entities::labels::{decode_spans, spans_from_iob, Span};
use crate::extract::entities::tagger::Tagger;
use crate::extract::entities::EntityKind;

/// Gold, predicted and correctly predicted span counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub(crate) gold: usize,
    pub(crate) predicted: usize,
    pub(crate) correct: usize,
}

impl Counts {
    /// Precision in percent.
    pub fn precision(&self) -> f64 {
        percent(self.correct, self.predicted)
    }
    /// Recall in percent.
    pub fn recall(&self) -> f64 {
        percent(self.correct, self.gold)
    }
    /// F1 in percent.
    pub fn f1(&self) -> f64 {
        let (p, r) = (self.precision(), self.recall());
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

fn percent(a: usize, b: usize) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

const KINDS: [(EntityKind, &str); 4] = [
    (EntityKind::Place, "LOC"),
    (EntityKind::Misc, "MISC"),
    (EntityKind::Org, "ORG"),
    (EntityKind::Person, "PER"),
];

/// Exact-span match counts per entity type (CoNLL order: LOC, MISC, ORG, PER).
#[derive(Clone, Debug, Default)]
pub struct SpanScorer {
    per_kind: [Counts; 4],
}

fn slot(kind: EntityKind) -> usize {
    KINDS.iter().position(|(k, _)| *k == kind).unwrap_or(0)
}

impl SpanScorer {
    /// Adds one sentence's gold and predicted spans.
    pub(crate) fn add(&mut self, gold: &[Span], predicted: &[Span]) {
        for g in gold {
            self.per_kind[slot(g.kind)].gold += 1;
        }
        for p in predicted {
            let c = &mut self.per_kind[slot(p.kind)];
            c.predicted += 1;
            if gold.contains(p) {
                c.correct += 1;
            }
        }
    }

    /// Counts summed over all types.
    pub fn overall(&self) -> Counts {
        self.per_kind.iter().fold(Counts::default(), |a, c| Counts {
            gold: a.gold + c.gold,
            predicted: a.predicted + c.predicted,
            correct: a.correct + c.correct,
        })
    }
}

/// Scores of one entity type (or all of them).
#[derive(Clone, Debug, Serialize)]
pub struct TypeScore {
    /// `LOC`, `MISC`, `ORG`, `PER` or `overall`.
    pub(crate) kind: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    #[serde(flatten)]
    pub(crate) counts: Counts,
}

impl TypeScore {
    fn new(kind: &str, counts: Counts) -> TypeScore {
        TypeScore {
            kind: kind.to_string(),
            precision: counts.precision(),
            recall: counts.recall(),
            f1: counts.f1(),
            counts,
        }
    }
}

/// Result of [`evaluate_conll`].
#[derive(Clone, Debug, Serialize)]
pub struct NerReport {
    /// The file scored.
    pub(crate) file: String,
    pub(crate) documents: usize,
    pub(crate) sentences: usize,
    pub(crate) tokens: usize,
    /// One row per type, then `overall`.
    pub(crate) scores: Vec<TypeScore>,
    /// Seconds spent tagging (feature extraction and decoding), excluding I/O and scoring.
    pub(crate) tagging_seconds: f64,
    /// Tokens tagged per second.
    pub(crate) tokens_per_second: f64,
}

impl NerReport {
    /// The `overall` row.
    pub fn overall(&self) -> Option<&TypeScore> {
        self.scores.iter().find(|s| s.kind == "overall")
    }
}

impl fmt::Display for NerReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{}: {} documents, {} sentences, {} tokens",
            self.file, self.documents, self.sentences, self.tokens
        )?;
        writeln!(
            f,
            "{:<8} {:>9} {:>9} {:>9} {:>7} {:>7} {:>7}",
            "type", "precision", "recall", "F1", "gold", "found", "correct"
        )?;
        for s in &self.scores {
            writeln!(
                f,
                "{:<8} {:>9.2} {:>9.2} {:>9.2} {:>7} {:>7} {:>7}",
                s.kind,
                s.precision,
                s.recall,
                s.f1,
                s.counts.gold,
                s.counts.predicted,
                s.counts.correct
            )?;
        }
        write!(f, "tagging: {:.3} s, {:.0} tokens/s", self.tagging_seconds, self.tokens_per_second)
    }
}

/// Tags `docs` with `tagger` and scores them; returns the scorer and the
/// seconds spent tagging.
pub fn score_documents(tagger: &Tagger, docs: &[ConllDocument]) -> (SpanScorer, f64) {
    let mut scorer = SpanScorer::default();
    let mut seconds = 0.0;
    for doc in docs {
        let sentences: Vec<Vec<&str>> =
            doc.sentences.iter().map(|s| s.tokens.iter().map(String::as_str).collect()).collect();
        let started = Instant::now();
        let labels = tagger.tag_document(&sentences);
        seconds += started.elapsed().as_secs_f64();
        for (s, l) in doc.sentences.iter().zip(&labels) {
            let tags: Vec<&str> = s.tags.iter().map(String::as_str).collect();
            scorer.add(&spans_from_iob(&tags), &decode_spans(l));
        }
    }
    (scorer, seconds)
}

/// Reads a CoNLL file, tags it with the bundled model and scores the result.
pub fn evaluate_conll(path: &Path) -> anyhow::Result<NerReport> {
    let docs = read_conll(path)?;
    let (scorer, seconds) = score_documents(Tagger::bundled(), &docs);
    let sentences: usize = docs.iter().map(|d| d.sentences.len()).sum();
    let tokens: usize = docs.iter().flat_map(|d| &d.sentences).map(|s| s.tokens.len()).sum();
    let mut scores: Vec<TypeScore> =
        KINDS.iter().zip(&scorer.per_kind).map(|((_, name), c)| TypeScore::new(name, *c)).collect();
    scores.push(TypeScore::new("overall", scorer.overall()));
    Ok(NerReport {
        file: path.display().to_string(),
        documents: docs.len(),
        sentences,
        tokens,
        scores,
        tagging_seconds: seconds,
        tokens_per_second: if seconds > 0.0 { tokens as f64 / seconds } else { 0.0 },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = "-DOCSTART- -X- O O\n\nEU NNP I-NP I-ORG\nrejects VBZ I-VP O\nGerman JJ I-NP I-MISC\ncall NN I-NP O\n\nPeter NNP I-NP I-PER\nBlackburn NNP I-NP I-PER\n\n-DOCSTART- -X- O O\n\nBRUSSELS NNP I-NP I-LOC\n";

    #[test]
    fn parses_documents_and_sentences() {
        let docs = parse_conll(SAMPLE).unwrap();
        assert_eq!(docs.len(), 2);
        assert_eq!(docs[0].sentences.len(), 2);
        assert_eq!(docs[0].sentences[1].tokens, ["Peter", "Blackburn"]);
        assert_eq!(docs[1].sentences[0].tags, ["I-LOC"]);
    }

    #[test]
    fn evaluates_a_file_with_the_bundled_model() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sample.conll");
        std::fs::write(&path, SAMPLE).unwrap();
        let report = evaluate_conll(&path).unwrap();
        assert_eq!((report.documents, report.sentences, report.tokens), (2, 3, 7));
        let overall = report.overall().unwrap();
        assert_eq!(overall.counts.gold, 4);
        assert!(overall.counts.correct <= overall.counts.predicted);
        let table = report.to_string();
        assert!(table.contains("overall") && table.contains("PER") && table.contains("tokens/s"));
        let json = serde_json::to_value(&report).unwrap();
        assert_eq!(json["scores"].as_array().map(Vec::len), Some(5));
        assert_eq!(json["scores"][4]["gold"], 4);
    }

    #[test]
    fn missing_file_is_a_clear_error() {
        let err = evaluate_conll(Path::new("/nonexistent/eng.testa")).unwrap_err();
        assert!(format!("{err:#}").contains("/nonexistent/eng.testa"));
    }

    #[test]
    fn scores_exact_spans_like_conlleval() {
        let gold = spans_from_iob(&["I-PER", "I-PER", "O", "I-LOC"]);
        // Predicted: person span too short, location right, one spurious org.
        let pred = vec![
            Span { start: 0, end: 1, kind: EntityKind::Person },
            Span { start: 3, end: 4, kind: EntityKind::Place },
            Span { start: 2, end: 3, kind: EntityKind::Org },
        ];
        let mut s = SpanScorer::default();
        s.add(&gold, &pred);
        let all = s.overall();
        assert_eq!(all, Counts { gold: 2, predicted: 3, correct: 1 });
        assert!((all.precision() - 100.0 / 3.0).abs() < 1e-9);
        assert!((all.recall() - 50.0).abs() < 1e-9);
        assert!((all.f1() - 40.0).abs() < 1e-9);
    }
}
