//! Pseudo-relevance feedback (RM3, as Anserini implements it): the best
//! passages of a first search are taken as relevant, a relevance model is
//! estimated from their words, and its strongest terms are added to the
//! query, weighted against the original words.
//!
//! Anserini's estimate: each feedback passage's words (minus those in more
//! than a tenth of all passages, and one-character ones) as a distribution
//! P(t|D) = tf / |D|; P(t|R) = Σ_D P(t|D) · score(D); the `fb_terms` largest
//! kept and normalised to sum to one. The expanded query gives each
//! original term weight `α / n` (n original terms) and each feedback term
//! `(1 − α) · P(t|R)`. Here the original words keep lede's own query (text,
//! exact-form, transliterated and headline matches), so the feedback terms
//! are scaled into its units instead; see [`term_boosts`].

use std::collections::HashMap;

use serde::Serialize;

use crate::analysis;

/// The few parameters of RM3; nothing else is tuned.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Rm3 {
    /// Feedback passages: the first search's best.
    pub fb_docs: usize,
    /// Terms of the relevance model kept.
    pub fb_terms: usize,
    /// α: the original query's share of the expanded query (0–1).
    pub original_weight: f32,
    /// Feedback passages taken from one file at most.
    pub fb_per_file: usize,
}

impl Default for Rm3 {
    /// Anserini's defaults (fbDocs 10, fbTerms 10, originalQueryWeight 0.5);
    /// a file gives as many passages as a search shows of it by default.
    fn default() -> Rm3 {
        Rm3 { fb_docs: 10, fb_terms: 10, original_weight: 0.5, fb_per_file: 3 }
    }
}

/// Words in more than this share of all passages say nothing about a
/// topic (Anserini's cut-off).
const MAX_DOC_SHARE: f64 = 0.1;

/// One term of the relevance model, as indexed in `text` (stemmed).
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub(crate) struct FeedbackTerm {
    pub term: String,
    /// P(t|R): the terms' weights sum to one.
    pub weight: f32,
}

/// A feedback passage: its text and its score in the first search.
pub(crate) struct FeedbackPassage<'a> {
    pub text: &'a str,
    pub score: f32,
}

/// Estimates the relevance model of `passages`, keeping `fb_terms` terms.
/// `doc_freq` gives a term's passage count out of `num_passages`.
pub(crate) fn relevance_model(
    passages: &[FeedbackPassage],
    fb_terms: usize,
    num_passages: u64,
    doc_freq: &dyn Fn(&str) -> u64,
) -> Vec<FeedbackTerm> {
    let mut common: HashMap<String, bool> = HashMap::new();
    let mut model: HashMap<String, f64> = HashMap::new();
    for passage in passages {
        let mut counts: HashMap<String, f64> = HashMap::new();
        for token in analysis::analyse(analysis::TEXT, passage.text).unwrap_or_default() {
            if token.chars().count() < 2 || !token.chars().all(char::is_alphanumeric) {
                continue;
            }
            let too_common = *common
                .entry(token.clone())
                .or_insert_with(|| doc_freq(&token) as f64 > MAX_DOC_SHARE * num_passages as f64);
            if !too_common {
                *counts.entry(token).or_default() += 1.0;
            }
        }
        let length: f64 = counts.values().sum();
        if length == 0.0 {
            continue;
        }
        for (term, tf) in counts {
            *model.entry(term).or_default() += tf / length * f64::from(passage.score);
        }
    }
    let mut terms: Vec<(String, f64)> = model.into_iter().collect();
    terms.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    terms.truncate(fb_terms);
    let total: f64 = terms.iter().map(|(_, w)| w).sum();
    if total <= 0.0 {
        return Vec::new();
    }
    terms.into_iter().map(|(term, w)| FeedbackTerm { term, weight: (w / total) as f32 }).collect()
}

/// The boost of each feedback term's `text` match in the expanded query.
///
/// RM3 scores `α/n · Σ_orig bm25(t) + (1−α) · Σ_fb P(t|R) · bm25(t)`.
/// lede's original query scores a word about `per_word` times its BM25
/// (stemmed plus exact-form match), so dividing through by `α/n` keeps the
/// original query as it is and gives each feedback term
/// `per_word · n · (1−α)/α · P(t|R)`.
pub(crate) fn term_boosts(
    model: &[FeedbackTerm],
    original_terms: usize,
    rm3: &Rm3,
    per_word: f32,
) -> Vec<(String, f32)> {
    let alpha = rm3.original_weight.clamp(0.01, 1.0);
    let scale = per_word * original_terms.max(1) as f32 * (1.0 - alpha) / alpha;
    model
        .iter()
        .map(|t| (t.term.clone(), scale * t.weight))
        .filter(|(_, boost)| *boost > 0.0)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn passage(text: &str, score: f32) -> FeedbackPassage<'_> {
        FeedbackPassage { text, score }
    }

    #[test]
    fn terms_of_high_scoring_passages_weigh_most_and_weights_sum_to_one() {
        let passages = [
            passage("Boundary layer transition on a heated plate", 3.0),
            passage("Transition of the boundary layer", 1.0),
        ];
        let model = relevance_model(&passages, 10, 1000, &|_| 1);
        let weight = |t: &str| model.iter().find(|f| f.term == t).map(|f| f.weight);
        let total: f32 = model.iter().map(|t| t.weight).sum();
        assert!((total - 1.0).abs() < 1e-5, "{total}");
        // In both passages, stemmed: "transit", "boundari", "layer".
        assert!(weight("transit").unwrap() > weight("heat").unwrap());
        // One-letter words are never feedback terms.
        assert_eq!(weight("a"), None);
    }

    #[test]
    fn common_words_are_left_out_and_the_model_is_cut_to_fb_terms() {
        let passages = [passage("the wing the wing the flutter of the panel", 2.0)];
        let common = |t: &str| if t == "the" || t == "of" { 500 } else { 3 };
        let model = relevance_model(&passages, 2, 1000, &common);
        let terms: Vec<&str> = model.iter().map(|t| t.term.as_str()).collect();
        assert_eq!(terms, ["wing", "flutter"]);
        assert!(model[0].weight > model[1].weight);
    }

    #[test]
    fn no_feedback_passage_with_words_gives_no_model() {
        assert!(relevance_model(&[passage("a", 1.0)], 10, 10, &|_| 1).is_empty());
        assert!(relevance_model(&[], 10, 10, &|_| 1).is_empty());
    }

    #[test]
    fn boosts_scale_with_the_feedback_share() {
        let model = [FeedbackTerm { term: "wing".into(), weight: 0.5 }];
        let half = Rm3 { original_weight: 0.5, ..Rm3::default() };
        let mostly_original = Rm3 { original_weight: 0.8, ..Rm3::default() };
        let boost = |rm3: &Rm3| term_boosts(&model, 4, rm3, 1.0)[0].1;
        assert!((boost(&half) - 2.0).abs() < 1e-6);
        assert!((boost(&mostly_original) - 0.5).abs() < 1e-6);
        assert!(term_boosts(&model, 4, &Rm3 { original_weight: 1.0, ..half }, 1.0).is_empty());
    }
}
