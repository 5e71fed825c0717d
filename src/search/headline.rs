//! Headlines lift passages instead of taking their place. A title is short
//! and repeats the story's key words, so BM25 ranks it above the paragraphs
//! that say something: `Blair` on BBC gave ten headlines. A headline hit
//! (paragraph 0) of a file that has a body is replaced by that file's best
//! body paragraph for the query (its lead when no body paragraph matches),
//! at the headline's rank and score: the file keeps its place, and the
//! reader gets a passage with the headline shown above it. A file that is
//! only a headline keeps its headline hit.

use std::collections::{HashMap, HashSet};

use anyhow::Result;
use tantivy::query::{BooleanQuery, ConstScoreQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::columns::RecordColumns;
use super::ranked::{Ranked, RankedPassages};
use crate::schema::Fields;

/// Each file's best body paragraph, once looked up: a search that picks
/// more passages lifts the same headlines again.
pub(crate) type Bodies = HashMap<String, Option<Ranked>>;

/// `picked` with each headline hit of a file with a body replaced by its
/// best body paragraph. A replacement that is also a hit further down moves
/// up to the headline's slot; one already above it leaves the slot out.
pub(crate) fn lift(
    searcher: &Searcher,
    fields: &Fields,
    columns: &RecordColumns,
    query: &dyn Query,
    picked: Vec<Ranked>,
    bodies: &mut Bodies,
) -> Result<Vec<Ranked>> {
    if picked.iter().all(|p| p.para != 0) {
        return Ok(picked);
    }
    let unknown: Vec<&str> = picked
        .iter()
        .filter(|hit| hit.para == 0 && !bodies.contains_key(&hit.path))
        .filter(|hit| columns.lead_beside(hit.address).is_some())
        .map(|hit| hit.path.as_str())
        .collect();
    find_bodies(searcher, fields, query, &unknown, bodies)?;
    let mut slots: Vec<Option<Ranked>> = Vec::with_capacity(picked.len());
    for hit in picked {
        let Some(lead) = columns.lead_beside(hit.address).filter(|_| hit.para == 0) else {
            slots.push(Some(hit));
            continue;
        };
        let best = bodies.get(&hit.path).cloned().flatten();
        let body = best.unwrap_or(Ranked {
            score: hit.score,
            path: hit.path.clone(),
            para: 1,
            address: lead,
        });
        let same = |s: &Option<Ranked>| s.as_ref().is_some_and(|s| s.address == body.address);
        if slots.iter().any(same) {
            continue;
        }
        slots.push(Some(Ranked { score: hit.score.max(body.score), ..body }));
    }
    // A later hit that a headline already lifted into an earlier slot.
    let mut seen = HashSet::new();
    Ok(slots.into_iter().flatten().filter(|hit| seen.insert(hit.address)).collect())
}

/// Passages looked at per file when the best bodies of several files are
/// found by one search; a file not settled within them is searched alone.
const PER_FILE: usize = 16;

/// Finds the best body paragraph ([`best_body`]) of each of `paths` and
/// adds it to `bodies`. One search restricted to all of them: a page
/// picked from a folder of many copies lifts a hundred headlines, and a
/// search per file cost about 0.1 ms each.
fn find_bodies(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    paths: &[&str],
    bodies: &mut Bodies,
) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    // A union of term queries, not a `TermSetQuery`: that one builds an
    // automaton of its terms on every search, and its builder's zeroed
    // tables cost more than the search (a fifth of a served search's time).
    let in_any = paths.iter().map(|path| {
        let term = Term::from_field_text(fields.path, path);
        let query: Box<dyn Query> = Box::new(TermQuery::new(term, IndexRecordOption::Basic));
        (Occur::Should, query)
    });
    let in_files = ConstScoreQuery::new(Box::new(BooleanQuery::new(in_any.collect())), 0.0);
    let restricted = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::Must, Box::new(in_files)),
    ]);
    let limit = paths.len().saturating_mul(PER_FILE);
    let found = searcher.search(&restricted, &RankedPassages::with_limit(fields, limit))?;
    let complete = found.len() < limit;
    // Best first: a file's first passage that is not its headline is its best body.
    for passage in found.into_iter().filter(|passage| passage.para != 0) {
        bodies.entry(passage.path.clone()).or_insert(Some(passage));
    }
    for &path in paths {
        if !bodies.contains_key(path) {
            let best = if complete { None } else { best_body(searcher, fields, query, path)? };
            bodies.insert(path.to_string(), best);
        }
    }
    Ok(())
}

/// The best paragraph of file `path` other than its headline that `query`
/// matches.
fn best_body(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    path: &str,
) -> Result<Option<Ranked>> {
    let in_file =
        TermQuery::new(Term::from_field_text(fields.path, path), IndexRecordOption::Basic);
    let restricted = BooleanQuery::new(vec![
        (Occur::Must, query.box_clone()),
        (Occur::Must, Box::new(ConstScoreQuery::new(Box::new(in_file), 0.0))),
    ]);
    // The headline may come first.
    let found = searcher.search(&restricted, &RankedPassages::with_limit(fields, 2))?;
    Ok(found.into_iter().find(|r| r.para != 0))
}
