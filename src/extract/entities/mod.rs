//! Named entities: people, organisations, places and other names, with byte
//! spans and one canonical name per entity within a document.
//!
//! How it works, per document:
//! 1. [`tokenize`] splits each paragraph CoNLL-style (byte spans kept) and
//!    finds sentence starts.
//! 2. [`tagger::Tagger`] runs a two-stage averaged-perceptron sequence tagger
//!    (BILOU labels, Viterbi decoding) over every sentence. Features
//!    ([`features`]): word, lowercase, shape, prefixes/suffixes,
//!    capitalisation, ±2 window, word clusters of the word and its
//!    neighbours ([`clusters`]), gazetteer marks ([`gazetteer`]) and
//!    document-level evidence; the second stage also sees what the first
//!    stage called the same word elsewhere in the document.
//! 3. [`canonical`] rules trim titles and possessives, add capitalised
//!    non-Latin (Cyrillic, Greek…) names, and resolve aliases across the document.
//! 4. [`aliases`] puts the listed people and places found in Russian,
//!    Ukrainian, Korean and Chinese text under their English names.
//! 5. [`wire`] undoes wire-copy conventions: agency signatures, names set in
//!    capitals, abbreviations (`U.S.`), months read as part of a name.
//!
//! The model (`data/models/ner.model`, format in [`model`]) and the word
//! clusters (`data/models/clusters.bin`, format in [`clusters`]) are
//! compiled into the binary and decoded once per process. Both are built
//! offline, in this order (the model's features depend on the clusters, so
//! new clusters mean a rebuild and a retrained model). First the clusters,
//! learned with the exchange algorithm ([`exchange`]) from the unlabelled
//! Reuters-21578 and BBC news of `../shared/corpora` (a few minutes):
//!
//! ```text
//! cargo run --release --example word_clusters -- ../shared/corpora data/models/clusters.bin
//! ```
//!
//! Then the model, trained on CoNLL-2003 `eng.train`, with epochs chosen on
//! `eng.testa`:
//!
//! ```text
//! cargo run --release --example train_ner -- \
//!     ../shared/eval/ner/conll2003/eng.train ../shared/eval/ner/conll2003/eng.testa \
//!     data/models/ner.model
//! ```
//!
//! Both are deterministic (ranked words, seeded sentence order); training
//! prints dev F1 after every epoch. Score the shipped model with
//! [`crate::eval::ner::evaluate_conll`] (`lede eval ner FILE`).

pub(crate) mod alias_file;
pub(crate) mod aliases;
pub(crate) mod canonical;
pub mod clusters;
pub(crate) mod conll;
pub mod exchange;
pub(crate) mod fasthash;
pub(crate) mod features;
pub(crate) mod gazetteer;
pub(crate) mod kind;
pub(crate) mod labels;
pub(crate) mod model;
pub(crate) mod tagger;
pub(crate) mod tokenize;
pub mod train;
pub(crate) mod viterbi;
pub(crate) mod wire;
pub(crate) mod wordcache;

use std::borrow::Cow;
use std::ops::Range;

use canonical::{Draft, Paragraph};
use fasthash::FastSet;
use labels::decode_spans_into;
use tagger::Tagger;

pub use kind::{ByKind, EntityKind};

/// One mention of a named entity in a paragraph.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct EntityMention {
    pub kind: EntityKind,
    /// Byte span in the paragraph text passed in.
    pub start: usize,
    pub end: usize,
    /// Surface text (`text[start..end]`).
    pub text: String,
    /// Canonical name after document-level alias resolution.
    pub canonical: String,
}

/// Tags every paragraph of one document and resolves aliases across the whole document.
/// Result has one Vec per input paragraph, in order. Pure: no I/O.
pub fn extract_document(paragraphs: &[&str]) -> Vec<Vec<EntityMention>> {
    let paras: Vec<Paragraph<'_>> = paragraphs
        .iter()
        .map(|text| {
            let tokens = tokenize::tokenize(text);
            let sentence_start = tokenize::sentence_starts(text, &tokens);
            Paragraph { text, tokens, sentence_start }
        })
        .collect();

    // Every sentence of the document (its tokens' text, all sentences in
    // one buffer), with where it came from.
    let mut words: Vec<&str> = Vec::new();
    let mut bounds: Vec<Range<usize>> = Vec::new();
    let mut origin: Vec<(usize, usize)> = Vec::new();
    for (pi, p) in paras.iter().enumerate() {
        let mut start = 0;
        for i in 1..=p.tokens.len() {
            if i == p.tokens.len() || p.sentence_start[i] {
                let from = words.len();
                words.extend(p.tokens[start..i].iter().map(|t| t.text(p.text)));
                bounds.push(from..words.len());
                origin.push((pi, start));
                start = i;
            }
        }
    }
    let sentences: Vec<&[&str]> = bounds.iter().map(|b| &words[b.clone()]).collect();
    // Title-case headlines ("Putin’s Strategic Measures to Safeguard…") are
    // tagged in capitals, a form the model learned from CoNLL headlines.
    let shouted: Vec<Option<Vec<String>>> = sentences
        .iter()
        .map(|s| is_title_case(s).then(|| s.iter().map(|w| w.to_uppercase()).collect()))
        .collect();
    let shouted_words: Vec<Option<Vec<&str>>> = shouted
        .iter()
        .map(|up| up.as_ref().map(|up| up.iter().map(String::as_str).collect()))
        .collect();
    let tag_input: Vec<&[&str]> =
        sentences.iter().zip(&shouted_words).map(|(s, up)| up.as_deref().unwrap_or(s)).collect();
    let mut labels = Vec::new();
    Tagger::bundled().tag_document_into(&tag_input, &mut labels);

    let mut drafts: Vec<Draft> = Vec::new();
    let mut spans = Vec::new();
    for (b, &(para, offset)) in bounds.iter().zip(&origin) {
        decode_spans_into(&labels[b.clone()], &mut spans);
        for s in &spans {
            drafts.push(Draft { para, start: offset + s.start, end: offset + s.end, kind: s.kind });
        }
    }
    for (pi, p) in paras.iter().enumerate() {
        canonical::places_before_place_nouns(pi, p, &mut drafts);
        canonical::places_after_settlement_nouns(pi, p, &mut drafts);
        for name in canonical::non_latin_names(pi, p) {
            drafts.retain(|d| d.para != pi || d.end <= name.start || name.end <= d.start);
            drafts.push(name);
        }
    }
    canonical::spread_place_nouns(&paras, &mut drafts);

    // Words already in lowercase (nearly all) are borrowed, not copied.
    // Sized up front: most tokens are lowercase words.
    let mut lower_words: FastSet<Cow<'_, str>> =
        FastSet::with_capacity_and_hasher(words.len(), Default::default());
    lower_words.extend(
        words.iter().filter(|w| w.chars().next().is_some_and(char::is_lowercase)).map(|w| {
            if w.chars().any(|c| c.is_alphabetic() && !c.is_lowercase()) {
                Cow::Owned(w.to_lowercase())
            } else {
                Cow::Borrowed(*w)
            }
        }),
    );
    let drafts: Vec<Draft> = drafts
        .into_iter()
        .flat_map(|d| canonical::split_at_possessive(&paras[d.para], d))
        .flat_map(|d| canonical::split_office_holder(&paras[d.para], d))
        .filter_map(|d| canonical::clean(d, &paras[d.para], &lower_words))
        .collect();
    let mut mentions = canonical::resolve(&paras, drafts);
    aliases::apply(paragraphs, &mut mentions);
    wire::apply(paragraphs, &mut mentions);
    mentions
}

/// Whether a sentence looks like a title-case headline: no final stop, and
/// most longer words capitalised (a name-heavy sentence ends with a stop).
fn is_title_case(sentence: &[&str]) -> bool {
    let ends_like_sentence = sentence
        .iter()
        .rev()
        .find(|w| !matches!(**w, "\"" | "'" | "’" | "”" | ")"))
        .is_some_and(|w| matches!(*w, "." | "!" | "?" | "…" | "..."));
    if ends_like_sentence {
        return false;
    }
    let (mut words, mut capitalised) = (0, 0);
    for w in sentence {
        if w.chars().count() >= 4 && w.chars().all(char::is_alphabetic) {
            words += 1;
            capitalised += usize::from(w.chars().next().is_some_and(char::is_uppercase));
        }
    }
    words >= 4 && capitalised * 5 >= words * 4
}

#[cfg(test)]
mod tests;
