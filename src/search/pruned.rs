//! One tier of a plain-words search, shaped so tantivy can skip passages
//! that cannot reach the results.
//!
//! A tier's query as [`super::query`] writes it (`kind:para` AND the words,
//! plus the all-words and headline bonuses) is a conjunction with optional
//! clauses, which tantivy scores match by match: 28,000 matches of
//! `dividend` in Reuters x20 cost 11 ms. Within a tier the all-words bonus
//! is a fixed multiple of the same term scores, so the words' part of the
//! score is a weighted sum of term scores: a pure union, which tantivy
//! prunes with block-max WAND. [`PrunedTier`] runs that union and keeps
//! only the passages the tier admits (its `gate`, not its `exclude`),
//! adding the scores of the `required` terms (`kind:para`) and of the
//! `bonus` terms they hold (the headline words, indexed without
//! frequencies, so they cannot join the union). The threshold the union
//! prunes with is lowered by the most those terms can add, so nothing that
//! could still make the cut is skipped.
//!
//! The union adds a passage's term scores in whatever order its cursors
//! stand, so two passages with the same terms could differ in the last
//! bit, and passages that tie (copies of one story in several folders)
//! would no longer be ordered by path. A passage that passes is therefore
//! scored again, term by term in one fixed order.

use tantivy::query::{
    Bm25Weight, BooleanQuery, BoostQuery, ConstScoreQuery, EnableScoring, Explanation, Occur,
    Query, Scorer, TermQuery, Weight,
};
use tantivy::schema::IndexRecordOption;
use tantivy::{DocId, Score, SegmentReader, Term};

/// Weighted terms, summed, restricted to the passages `gate` admits and
/// `exclude` does not, plus the scores of `required` and `bonus` terms.
#[derive(Debug)]
pub(crate) struct PrunedTier {
    /// Terms (matched with frequencies) and their weights: the union.
    pub terms: Vec<(Term, Score)>,
    /// Terms every passage must hold (matched as `Basic`: which records
    /// hold the term, no frequencies); their scores are added.
    pub required: Vec<Term>,
    /// Terms (matched as `Basic`) whose scores, times their weight, are
    /// added to the passages holding them.
    pub bonus: Vec<(Term, Score)>,
    /// Passages the tier admits (matching it adds nothing to the score).
    pub gate: Box<dyn Query>,
    /// Passages the tier leaves to another tier.
    pub exclude: Option<Box<dyn Query>>,
}

impl Clone for PrunedTier {
    fn clone(&self) -> PrunedTier {
        PrunedTier {
            terms: self.terms.clone(),
            required: self.required.clone(),
            bonus: self.bonus.clone(),
            gate: self.gate.box_clone(),
            exclude: self.exclude.as_ref().map(|q| q.box_clone()),
        }
    }
}

/// `term` matched with `option`, its scores times `weight`.
fn weighted(term: &Term, option: IndexRecordOption, weight: Score) -> Box<dyn Query> {
    let query = Box::new(TermQuery::new(term.clone(), option));
    if weight == 1.0 {
        query
    } else {
        Box::new(BoostQuery::new(query, weight))
    }
}

impl PrunedTier {
    /// The union of the weighted terms, which tantivy prunes.
    fn union(&self) -> BooleanQuery {
        let clauses = self
            .terms
            .iter()
            .map(|(t, w)| (Occur::Should, weighted(t, IndexRecordOption::WithFreqs, *w)))
            .collect();
        BooleanQuery::new(clauses)
    }

    /// The same passages and scores as one boolean query: what every
    /// collector but a pruning one is served from.
    fn as_boolean(&self) -> BooleanQuery {
        let basic = |t: &Term, w| weighted(t, IndexRecordOption::Basic, w);
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(Occur::Must, Box::new(self.union()))];
        clauses.extend(self.required.iter().map(|t| (Occur::Must, basic(t, 1.0))));
        clauses.extend(self.bonus.iter().map(|(t, w)| (Occur::Should, basic(t, *w))));
        clauses.push((Occur::Must, Box::new(ConstScoreQuery::new(self.gate.box_clone(), 0.0))));
        if let Some(exclude) = &self.exclude {
            clauses.push((Occur::MustNot, exclude.box_clone()));
        }
        BooleanQuery::new(clauses)
    }

    /// The most the required and bonus terms add to a passage's score:
    /// a `Basic` term counts once, and scores highest in the shortest
    /// record (`None` when nothing is scored).
    fn added_bound(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Option<Score>> {
        let EnableScoring::Enabled { statistics_provider, .. } = enable_scoring else {
            return Ok(None);
        };
        let required = self.required.iter().map(|t| (t, 1.0));
        let mut bound = 0.0;
        for (term, weight) in required.chain(self.bonus.iter().map(|(t, w)| (t, *w))) {
            let bm25 = Bm25Weight::for_terms(statistics_provider, std::slice::from_ref(term))?;
            bound += bm25.boost_by(weight).score(0, 1);
        }
        Ok(Some(bound))
    }
}

impl Query for PrunedTier {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        let weights = |terms: &mut dyn Iterator<Item = (&Term, Score)>, option| {
            terms
                .map(|(t, w)| weighted(t, option, w).weight(enable_scoring))
                .collect::<tantivy::Result<Vec<_>>>()
        };
        let terms = &mut self.terms.iter().map(|(t, w)| (t, *w));
        let required = &mut self.required.iter().map(|t| (t, 1.0));
        let bonus = &mut self.bonus.iter().map(|(t, w)| (t, *w));
        Ok(Box::new(PrunedWeight {
            union: self.union().weight(enable_scoring)?,
            terms: weights(terms, IndexRecordOption::WithFreqs)?,
            required: weights(required, IndexRecordOption::Basic)?,
            bonus: weights(bonus, IndexRecordOption::Basic)?,
            added_bound: self.added_bound(enable_scoring)?,
            gate: self.gate.weight(enable_scoring)?,
            exclude: self.exclude.as_ref().map(|q| q.weight(enable_scoring)).transpose()?,
            whole: self.as_boolean().weight(enable_scoring)?,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        for (term, _) in &self.terms {
            visitor(term, false);
        }
    }
}

struct PrunedWeight {
    union: Box<dyn Weight>,
    /// Each term of the union alone, to score a passage in a fixed order.
    terms: Vec<Box<dyn Weight>>,
    required: Vec<Box<dyn Weight>>,
    bonus: Vec<Box<dyn Weight>>,
    /// What the required and bonus terms can add at most (`None`: prune
    /// nothing).
    added_bound: Option<Score>,
    gate: Box<dyn Weight>,
    exclude: Option<Box<dyn Weight>>,
    /// The tier as one boolean query, for everything but pruning.
    whole: Box<dyn Weight>,
}

/// Whether `set` holds `doc`, given that it is never asked about a
/// document before one it was asked about already.
fn holds(set: &mut dyn Scorer, doc: DocId) -> bool {
    if set.doc() < doc {
        set.seek(doc);
    }
    set.doc() == doc
}

/// The summed scores of the `scorers` that hold `doc`, in their order.
fn sum_holding(scorers: &mut [Box<dyn Scorer>], doc: DocId) -> Score {
    let mut sum = 0.0;
    for scorer in scorers {
        if holds(scorer.as_mut(), doc) {
            sum += scorer.score();
        }
    }
    sum
}

/// A threshold for the union that is safely below `threshold` minus the
/// most the other terms add (`None`: no bound is known, prune nothing).
fn union_threshold(threshold: Score, added_bound: Option<Score>) -> Score {
    match added_bound {
        // The margin covers rounding: the union sums in another order.
        Some(bound) => threshold - bound - (threshold.abs() + bound) * 1e-5,
        None => Score::NEG_INFINITY,
    }
}

impl Weight for PrunedWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        self.whole.scorer(reader, boost)
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        self.whole.explain(reader, doc)
    }

    fn count(&self, reader: &SegmentReader) -> tantivy::Result<u32> {
        self.whole.count(reader)
    }

    fn for_each_pruning(
        &self,
        threshold: Score,
        reader: &SegmentReader,
        callback: &mut dyn FnMut(DocId, Score) -> Score,
    ) -> tantivy::Result<()> {
        let scorers = |weights: &[Box<dyn Weight>]| {
            weights.iter().map(|w| w.scorer(reader, 1.0)).collect::<tantivy::Result<Vec<_>>>()
        };
        let mut terms = scorers(&self.terms)?;
        let mut required = scorers(&self.required)?;
        let mut bonus = scorers(&self.bonus)?;
        let mut gate = self.gate.scorer(reader, 1.0)?;
        let mut exclude = self.exclude.as_ref().map(|w| w.scorer(reader, 1.0)).transpose()?;
        let bound = self.added_bound;
        let mut last = threshold;
        self.union.for_each_pruning(union_threshold(threshold, bound), reader, &mut |doc, _| {
            let admitted = holds(gate.as_mut(), doc)
                && !exclude.as_mut().is_some_and(|set| holds(set.as_mut(), doc))
                && required.iter_mut().all(|set| holds(set.as_mut(), doc));
            if admitted {
                let words = sum_holding(&mut terms, doc);
                let score = sum_holding(&mut required, doc) + words + sum_holding(&mut bonus, doc);
                // Offered only above the collector's threshold, as tantivy
                // does: what it leaves out, such as a copy below the cut, is
                // left out alike.
                if score > last {
                    last = callback(doc, score);
                }
            }
            union_threshold(last, bound)
        })
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use tantivy::{doc, Index, IndexWriter};

    use crate::schema::{self, Fields, KIND_DOC, KIND_PARA};
    use crate::search::ranked::{Dropped, Ranked};
    use crate::search::{best_passages, query};
    use crate::{analysis, fingerprint};

    const WORDS: [&str; 12] = [
        "oil", "prices", "rose", "opec", "crude", "output", "talks", "bank", "rates", "the",
        "said", "trade",
    ];

    /// 3,000 passages of pseudo-random words (common ones often, rare ones
    /// seldom, so a term's posting blocks differ in their best scores), in
    /// three segments; every seventh story is also filed in a second folder
    /// (exact copies that tie), and every file has a file record.
    fn corpus() -> (Index, Fields) {
        let (schema, fields) = schema::build();
        let index = Index::create_in_ram(schema);
        analysis::register(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = |below: usize| {
            seed = seed
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            ((seed >> 33) as usize) % below
        };
        for story in 0..3_000 {
            let length = 3 + next(30);
            let text: Vec<&str> =
                (0..length).map(|_| WORDS[next(WORDS.len()).min(next(WORDS.len()))]).collect();
            let text = text.join(" ");
            let title = format!("{} {}", WORDS[next(WORDS.len())], WORDS[next(WORDS.len())]);
            let folders: &[&str] = if story % 7 == 0 { &["a", "b"] } else { &["a"] };
            for folder in folders {
                let path = format!("{folder}/{story:04}.txt");
                let mut record = doc!(
                    fields.kind => KIND_PARA,
                    fields.path => path.as_str(),
                    fields.para => 1u64,
                    fields.title => title.as_str(),
                    fields.text => text.as_str(),
                    fields.text_exact => text.as_str(),
                );
                record.add_u64(fields.para_hash, fingerprint::paragraph_hash(&text).unwrap_or(0));
                writer.add_document(record).unwrap();
                writer
                    .add_document(doc!(fields.kind => KIND_DOC, fields.path => path.as_str()))
                    .unwrap();
            }
            if story % 1_000 == 999 {
                writer.commit().unwrap();
            }
        }
        writer.commit().unwrap();
        (index, fields)
    }

    fn keys(hits: &[Ranked]) -> Vec<(String, u32)> {
        hits.iter().map(|h| (h.path.clone(), h.para)).collect()
    }

    /// Scores agree but for the order their terms were added in.
    fn same_scores(a: &[Ranked], b: &[Ranked]) -> bool {
        a.iter().zip(b).all(|(a, b)| (a.score - b.score).abs() <= 1e-5 * b.score.abs())
    }

    /// Pruned tiers find the same passages, in the same order, with the
    /// same scores and the same copies left out, as the query they stand
    /// for: one word, several, words only some passages hold all of, and
    /// headline words.
    #[test]
    fn pruned_tiers_rank_as_the_full_query_does() {
        let (index, fields) = corpus();
        let searcher = index.reader().unwrap().searcher();
        for text in
            ["opec", "oil", "crude talks", "opec crude output", "the said", "rates trade bank"]
        {
            let plan = query::build(&searcher, &index, &fields, text, Vec::new()).unwrap();
            assert!(plan.is_pruned(), "{text}: plain words are pruned");
            let full = plan.unpruned();
            for (limit, per_file) in [(10, 0), (3, 1), (200, 0)] {
                let (pruned_dropped, full_dropped) = (Dropped::default(), Dropped::default());
                let run = |plan: &query::Plan, dropped| {
                    best_passages(&searcher, &fields, plan, limit, per_file, Some(dropped)).unwrap()
                };
                let pruned = run(&plan, &pruned_dropped);
                let expected = run(&full, &full_dropped);
                assert_eq!(pruned.len(), limit.min(expected.len()), "{text}");
                assert_eq!(keys(&pruned), keys(&expected), "{text}, {limit} hits");
                assert!(same_scores(&pruned, &expected), "{text}, {limit} hits");
                let sorted = |d: &Dropped| {
                    let mut copies: Vec<_> =
                        d.take().into_iter().collect::<HashMap<_, _>>().into_iter().collect();
                    copies.sort();
                    copies
                };
                assert_eq!(sorted(&pruned_dropped), sorted(&full_dropped), "{text}");
            }
        }
    }

    /// Phrases, exclusions and named fields keep the full query.
    #[test]
    fn queries_with_operators_are_not_pruned() {
        let (index, fields) = corpus();
        let searcher = index.reader().unwrap().searcher();
        for text in ["\"crude oil\"", "oil -opec", "title:oil", "oil AND opec"] {
            let plan = query::build(&searcher, &index, &fields, text, Vec::new()).unwrap();
            assert!(!plan.is_pruned(), "{text}");
        }
    }
}
