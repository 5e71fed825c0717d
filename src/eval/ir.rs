//! Scores lede's ranking on SMART test collections (Cranfield, CISI): MAP,
//! precision at 10 and nDCG@10 of the default ranking and of `--expand`.
//!
//! The documents go through lede's own indexing: each is written to a
//! temporary folder as an article (its title on the first line, then its
//! text) and indexed as `lede index` would (without entity and date
//! extraction, which add no words). A query is run as `lede search -l`
//! ranks files: passages in rank order, one per file, so a document ranks
//! by its best passage. Rankings go 1000 deep, as `trec_eval` scores them.

use std::fmt;
use std::path::Path;

use anyhow::{Context, Result};
use serde::Serialize;

use super::smart::{self, CollectionFiles, Judgements};
use crate::extract::Extractors;
use crate::index::update::{self, UpdateOptions};
use crate::index::LedeIndex;
use crate::search::feedback::Rm3;
use crate::search::{Engine, SearchRequest};

/// Documents ranked per query.
const DEPTH: usize = 1000;
/// Cut-off of P@k and nDCG@k.
const CUTOFF: usize = 10;

/// Mean scores of one ranking over the judged queries.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub(crate) struct Scores {
    pub map: f64,
    pub p10: f64,
    pub ndcg10: f64,
}

/// One collection's scores, plain and expanded.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct CollectionReport {
    pub name: String,
    pub documents: usize,
    /// Queries with at least one relevant document (the others are not scored).
    pub queries: usize,
    pub plain: Scores,
    pub expanded: Scores,
    /// Judged queries whose average precision `--expand` raised, and lowered.
    pub expand_helped: usize,
    pub expand_hurt: usize,
}

/// Every collection's scores and the RM3 parameters used.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub(crate) struct IrReport {
    pub fb_docs: usize,
    pub fb_terms: usize,
    pub original_weight: f32,
    pub collections: Vec<CollectionReport>,
}

impl fmt::Display for IrReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "--expand: RM3, {} feedback passages, {} terms, original query weight {}",
            self.fb_docs, self.fb_terms, self.original_weight
        )?;
        writeln!(
            f,
            "{:<14} {:>5} {:>7}  {:>6} {:>6}  {:>6} {:>6}  {:>7} {:>7}  {:>7}",
            "collection",
            "docs",
            "queries",
            "MAP",
            "+exp",
            "P@10",
            "+exp",
            "nDCG@10",
            "+exp",
            "+/- AP"
        )?;
        for c in &self.collections {
            writeln!(
                f,
                "{:<14} {:>5} {:>7}  {:>6.4} {:>6.4}  {:>6.4} {:>6.4}  {:>7.4} {:>7.4}  {:>3}/{:<3}",
                c.name,
                c.documents,
                c.queries,
                c.plain.map,
                c.expanded.map,
                c.plain.p10,
                c.expanded.p10,
                c.plain.ndcg10,
                c.expanded.ndcg10,
                c.expand_helped,
                c.expand_hurt
            )?;
        }
        Ok(())
    }
}

/// Evaluates every collection found in `dir` (see [`smart::find_collections`]).
pub(crate) fn evaluate(dir: &Path, rm3: Rm3) -> Result<IrReport> {
    let collections = smart::find_collections(dir)?
        .iter()
        .map(|files| {
            evaluate_collection(files, &rm3).with_context(|| format!("collection {}", files.name))
        })
        .collect::<Result<_>>()?;
    Ok(IrReport {
        fb_docs: rm3.fb_docs,
        fb_terms: rm3.fb_terms,
        original_weight: rm3.original_weight,
        collections,
    })
}

fn read(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

fn evaluate_collection(files: &CollectionFiles, rm3: &Rm3) -> Result<CollectionReport> {
    let documents = smart::parse_records(&read(&files.documents)?);
    let queries = smart::parse_records(&read(&files.queries)?);
    let qrels = smart::parse_qrels(&read(&files.qrels)?, files.layout)
        .with_context(|| files.qrels.display().to_string())?;
    let corpus = tempfile::tempdir()?;
    for doc in &documents {
        let article = format!("{}\n\n{}\n", doc.title, doc.text);
        std::fs::write(corpus.path().join(format!("{}.txt", doc.id)), article)?;
    }
    let index_dir = tempfile::tempdir()?;
    let index = LedeIndex::create(index_dir.path(), corpus.path())?;
    let options = UpdateOptions {
        extractors: Extractors { entities: false, dates: false },
        ..UpdateOptions::default()
    };
    update::update(&index, &options, &mut |_| {})?;
    let engine = Engine::new(&index)?;
    let mut plain = Vec::new();
    let mut expanded = Vec::new();
    for (position, query) in queries.iter().enumerate() {
        let key = match files.layout {
            smart::QrelLayout::Cranfield => (position + 1).to_string(),
            smart::QrelLayout::Cisi => query.id.clone(),
        };
        let Some(judged) = qrels.get(&key).filter(|j| !j.is_empty()) else { continue };
        let text = query_words(&format!("{} {}", query.title, query.text));
        for (expand, scores) in [(None, &mut plain), (Some(*rm3), &mut expanded)] {
            let request = SearchRequest {
                query: text.clone(),
                limit: DEPTH,
                per_file: 1,
                expand,
                ..SearchRequest::default()
            };
            let ranking: Vec<String> = engine
                .rank(&request, Vec::new())?
                .into_iter()
                .map(|p| p.path.trim_end_matches(".txt").to_string())
                .collect();
            scores.push(score_query(&ranking, judged));
        }
    }
    let helped = plain.iter().zip(&expanded).filter(|(p, e)| e.map > p.map).count();
    let hurt = plain.iter().zip(&expanded).filter(|(p, e)| e.map < p.map).count();
    Ok(CollectionReport {
        name: files.name.clone(),
        documents: documents.len(),
        queries: plain.len(),
        plain: mean(&plain),
        expanded: mean(&expanded),
        expand_helped: helped,
        expand_hurt: hurt,
    })
}

/// A test query as plain lede query words: punctuation (which the query
/// grammar would read as operators) becomes spaces, and lowercase keeps
/// `and`/`or`/`not` words rather than operators.
pub(crate) fn query_words(text: &str) -> String {
    let spaced: String = text.chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// Average precision (over all relevant documents), P@10 and nDCG@10
/// (linear gains, as `trec_eval` computes it) of one ranking; the fields
/// of [`Scores`] hold one query's values here.
pub(crate) fn score_query(ranking: &[String], judged: &Judgements) -> Scores {
    let mut found = 0usize;
    let mut precision_sum = 0.0;
    let mut dcg = 0.0;
    for (i, doc) in ranking.iter().enumerate() {
        let Some(&gain) = judged.get(doc) else { continue };
        found += 1;
        precision_sum += found as f64 / (i + 1) as f64;
        if i < CUTOFF {
            dcg += f64::from(gain) / ((i + 2) as f64).log2();
        }
    }
    let mut ideal: Vec<u32> = judged.values().copied().collect();
    ideal.sort_unstable_by(|a, b| b.cmp(a));
    let idcg: f64 = ideal
        .iter()
        .take(CUTOFF)
        .enumerate()
        .map(|(i, &gain)| f64::from(gain) / ((i + 2) as f64).log2())
        .sum();
    let in_top = ranking.iter().take(CUTOFF).filter(|d| judged.contains_key(*d)).count();
    Scores {
        map: precision_sum / judged.len().max(1) as f64,
        p10: in_top as f64 / CUTOFF as f64,
        ndcg10: if idcg > 0.0 { dcg / idcg } else { 0.0 },
    }
}

fn mean(per_query: &[Scores]) -> Scores {
    let n = per_query.len().max(1) as f64;
    let sum = |f: fn(&Scores) -> f64| per_query.iter().map(f).sum::<f64>() / n;
    Scores { map: sum(|s| s.map), p10: sum(|s| s.p10), ndcg10: sum(|s| s.ndcg10) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn ranking(ids: &[&str]) -> Vec<String> {
        ids.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn average_precision_counts_missing_relevant_documents_as_zero() {
        let judged: Judgements = HashMap::from([("a".into(), 1), ("b".into(), 1), ("z".into(), 1)]);
        let scores = score_query(&ranking(&["a", "x", "b", "y"]), &judged);
        // (1/1 + 2/3) / 3 relevant documents.
        assert!((scores.map - (1.0 + 2.0 / 3.0) / 3.0).abs() < 1e-9, "{}", scores.map);
        assert!((scores.p10 - 0.2).abs() < 1e-9);
    }

    #[test]
    fn ndcg_is_one_for_the_ideal_order_and_less_otherwise() {
        let judged: Judgements = HashMap::from([("a".into(), 4), ("b".into(), 1)]);
        let ideal = score_query(&ranking(&["a", "b"]), &judged);
        assert!((ideal.ndcg10 - 1.0).abs() < 1e-9);
        let swapped = score_query(&ranking(&["b", "a"]), &judged);
        let expected = (1.0 + 4.0 / 3f64.log2()) / (4.0 + 1.0 / 3f64.log2());
        assert!((swapped.ndcg10 - expected).abs() < 1e-9, "{}", swapped.ndcg10);
        assert_eq!(score_query(&ranking(&["x"]), &judged), Scores::default());
    }

    #[test]
    fn query_words_leave_no_operators() {
        assert_eq!(
            query_words("What is (information) science?  AND/OR -x \"quoted\" a:b 2.5"),
            "what is information science and or x quoted a b 2 5"
        );
    }
}
