//! Runs a query against an index and returns ranked passages as plain data.
//!
//! Ranking is BM25 over the text fields (see [`query`]). Results are
//! paragraphs, at most `per_file` from one file, ordered by score with ties
//! broken by (path, paragraph) so output is stable. Nothing here prints.

pub(crate) mod columns;
pub(crate) mod copies;
pub(crate) mod counts;
pub(crate) mod date_args;
pub(crate) mod entity_names;
pub(crate) mod expand;
pub(crate) mod explain;
pub(crate) mod feedback;
pub(crate) mod filters;
pub(crate) mod flat_length;
pub(crate) mod headline;
pub(crate) mod highlight;
pub(crate) mod passages;
pub(crate) mod phrases;
pub(crate) mod present;
pub(crate) mod pruned;
pub(crate) mod query;
pub(crate) mod ranked;
pub(crate) mod suggest;
pub(crate) mod syntax;
pub(crate) mod tally;

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use anyhow::Result;
use tantivy::collector::{Count, DocSetCollector};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{Searcher, TantivyDocument, Term};

use crate::extract::dates::{keys as date_keys, DateMention};
use crate::extract::entities::ByKind;
use crate::index::LedeIndex;
use crate::schema::{Fields, KIND_PARA};
use columns::RecordColumns;
use highlight::Highlighter;
pub use ranked::Ranked;
use ranked::RankedPassages;

/// Passages a search gives when no limit is given (`-n`, `limit=`).
pub(crate) const DEFAULT_LIMIT: usize = 10;
/// A limit this large asks for every match (`-n 0`, `--files`, the web
/// API's `limit=0`): such a list is the full count, so it keeps headlines
/// and copies as passages of their own instead of lifting and folding them.
pub(crate) const EVERY_MATCH: usize = 10_000;
/// Passages one file may give when no cap is given (`--per-file`).
pub(crate) const DEFAULT_PER_FILE: usize = 3;

/// What to search for.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchRequest {
    /// Query text in lede's query syntax; may be empty when filters are given.
    pub query: String,
    /// Maximum number of hits.
    pub limit: usize,
    /// Maximum hits from one file (0 = no cap).
    pub per_file: usize,
    /// Also count the distinct files of all matching passages.
    pub count_files: bool,
    /// Also count all matching passages (human output says "10 of 3,733").
    pub count_total: bool,
    /// Explain each hit's score (fills [`SearchResult::explanations`]).
    pub explain: bool,
    /// Read each hit's entity names ([`Hit::entities`] stays empty
    /// otherwise): each name is a dictionary lookup, and plain output does
    /// not show them.
    pub entities: bool,
    /// The order of the hits.
    pub sort: Sort,
    /// Expand the query by pseudo-relevance feedback (`--expand`).
    pub expand: Option<feedback::Rm3>,
    /// When nothing matches and the "did you mean" correction is confident
    /// and finds passages, search the correction instead (see
    /// [`SearchResult::corrected_query`]); `--no-correct` turns this off.
    pub correct: bool,
    /// Show every copy of a passage as a hit of its own (`--all-copies`)
    /// instead of folding copies into the first ([`copies`]).
    pub all_copies: bool,
    /// How many of its copies' paths each hit names ([`Hit::copies`]
    /// counts them all); `None`: up to [`copies::LISTED`]. Each path costs
    /// a dictionary block to read, and human output shows three.
    pub copies_named: Option<usize>,
}

/// How hits are ordered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Sort {
    /// Best match first.
    #[default]
    Relevance,
    /// Newest publication date first (relevance among the same day);
    /// documents with no known date last.
    Published,
    /// Oldest mentioned date first: each passage by the earliest day it
    /// mentions inside [from, to] (a period reaching into the range counts
    /// from the range's start); passages mentioning none last.
    Mentioned { from: Option<time::Date>, to: Option<time::Date> },
}

/// Entity names of a passage, by kind (JSON: `{"person":[…],"org":[…],…}`).
pub(crate) type Entities = ByKind<Vec<String>>;

/// One ranked passage. Plain data: each printer has its own form of it
/// (the JSON one is `render::json`'s).
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Hit {
    /// 1-based rank.
    pub(crate) rank: usize,
    pub(crate) score: f32,
    /// Path relative to the corpus root, `/`-separated.
    pub(crate) doc: String,
    /// Paragraph number in the file (0 is the title).
    pub(crate) para: u32,
    /// First line of the paragraph, 1-based; 0 for formats without lines
    /// (HTML, records, PDF pages).
    pub(crate) line: u32,
    /// Page of a PDF paragraph, 1-based.
    pub(crate) page: Option<u32>,
    /// The record number of a document inside a file (`dump.jsonl#3`, an
    /// mbox's third message), when its address has one.
    pub(crate) record: Option<u64>,
    /// The document's publication date (`YYYY-MM-DD`), when its reader
    /// found one.
    pub(crate) published: Option<String>,
    /// ISO 639-1 code of the passage's language (see
    /// [`crate::extract::language`]).
    pub(crate) lang: String,
    pub(crate) title: String,
    pub(crate) text: String,
    /// Byte ranges of `text` that match the query.
    pub(crate) highlights: Vec<Range<usize>>,
    /// Empty unless [`SearchRequest::entities`] asked for them.
    pub entities: Entities,
    /// Date mentions, as stored at indexing time.
    pub(crate) dates: Vec<DateMention>,
    /// The other documents holding this passage, folded into this hit.
    pub(crate) copies: copies::CopyList,
}

/// The hits of one search, and how many passages matched in all.
#[derive(Clone, Debug, Default, serde::Serialize, serde::Deserialize)]
pub struct SearchResult {
    pub(crate) hits: Vec<Hit>,
    /// Passages matching in all: counted only when asked for (a count, or
    /// `limit` 0), since counting is a pass over every match.
    pub(crate) total: Option<usize>,
    /// Distinct files among all matching passages, when asked for.
    pub(crate) files: Option<usize>,
    /// Distinct passages among them (copies counted once), with `files`.
    pub(crate) distinct: Option<usize>,
    /// The query text as parsed (after [`crate::analysis::prepare_query`]).
    pub(crate) prepared: String,
    /// The query's literals as read (fuzzy and prefix expansions included).
    pub(crate) literals: Vec<query::Literal>,
    /// Per hit, in hit order, when [`SearchRequest::explain`] is set.
    pub(crate) explanations: Vec<explain::HitExplanation>,
    /// A corrected query ("did you mean") when nothing matched and it was
    /// not searched instead.
    pub(crate) suggestion: Option<String>,
    /// The query that was searched instead of [`SearchRequest::query`],
    /// which matched nothing: a confident correction of its misspellings.
    pub(crate) corrected_query: Option<String>,
    /// The terms `--expand` added, strongest first.
    pub(crate) feedback: Vec<feedback::FeedbackTerm>,
    /// The per-file cap, when it held back passages that would have filled
    /// the list ("9 of 18" with room for 10).
    #[serde(default)]
    pub(crate) held_per_file: Option<usize>,
}

impl SearchResult {
    /// Whether anything matched.
    pub(crate) fn found(&self) -> bool {
        !self.hits.is_empty() || self.total.is_some_and(|t| t > 0)
    }
}

/// Runs `request` with extra `filters` (entity, date… clauses that must match).
pub fn run(
    index: &LedeIndex,
    request: &SearchRequest,
    filters: Vec<Box<dyn Query>>,
) -> Result<SearchResult> {
    Engine::new(index)?.run(request, filters)
}

/// An opened index with one searcher, reused across queries (batch mode).
pub(crate) struct Engine<'a> {
    index: &'a LedeIndex,
    searcher: Searcher,
}

impl<'a> Engine<'a> {
    pub(crate) fn new(index: &'a LedeIndex) -> Result<Engine<'a>> {
        Ok(Engine { index, searcher: index.reader()?.searcher() })
    }

    /// An engine on a searcher the caller keeps (a server's long-lived
    /// reader): opening a reader per query would map every segment again.
    pub(crate) fn with_searcher(index: &'a LedeIndex, searcher: Searcher) -> Engine<'a> {
        Engine { index, searcher }
    }

    /// The index's field handles, for building filters.
    pub(crate) fn fields(&self) -> &crate::schema::Fields {
        &self.index.fields
    }

    /// The searcher every query of this engine runs on.
    pub(crate) fn searcher(&self) -> &Searcher {
        &self.searcher
    }

    /// Runs `request` with extra `filters` (entity, date… clauses that must match).
    pub(crate) fn run(
        &self,
        request: &SearchRequest,
        filters: Vec<Box<dyn Query>>,
    ) -> Result<SearchResult> {
        run_with(self.index, &self.searcher, request, filters)
    }

    /// The best passages for `request` in rank order, with nothing read
    /// from the store: for measuring the ranking (`lede eval ir`).
    pub(crate) fn rank(
        &self,
        request: &SearchRequest,
        filters: Vec<Box<dyn Query>>,
    ) -> Result<Vec<Ranked>> {
        let (plan, _) = plan_for(self.index, &self.searcher, request, filters)?;
        best_passages(
            &self.searcher,
            &self.index.fields,
            &plan,
            request.limit,
            request.per_file,
            None,
        )
    }
}

/// The query plan for `request`: expanded by feedback when asked, with the
/// terms the feedback added.
fn plan_for(
    index: &LedeIndex,
    searcher: &Searcher,
    request: &SearchRequest,
    filters: Vec<Box<dyn Query>>,
) -> Result<(query::Plan, Vec<feedback::FeedbackTerm>)> {
    match request.expand {
        Some(rm3) => expanded_plan(index, searcher, request, filters, &rm3),
        None => Ok((
            query::build(searcher, &index.index, &index.fields, &request.query, filters)?,
            vec![],
        )),
    }
}

fn run_with(
    index: &LedeIndex,
    searcher: &Searcher,
    request: &SearchRequest,
    filters: Vec<Box<dyn Query>>,
) -> Result<SearchResult> {
    let fields = &index.fields;
    let filter_copies: Vec<Box<dyn Query>> = filters.iter().map(|f| f.box_clone()).collect();
    let (plan, feedback) = plan_for(index, searcher, request, filters)?;
    let query = plan.query.box_clone();
    let mut result = SearchResult {
        prepared: plan.prepared.clone(),
        literals: plan.literals.clone(),
        feedback,
        ..SearchResult::default()
    };
    if request.explain {
        for literal in &mut result.literals {
            literal.tokens = explain::analyse_literal(fields, literal);
        }
    }
    if request.count_files {
        let counted = searcher.search(&query, &tally::PassageCount { fields })?;
        result.total = Some(counted.passages);
        result.files = Some(counted.files);
        result.distinct = Some(counted.distinct);
    } else if request.limit == 0 {
        result.total = Some(searcher.search(&query, &Count)?);
    } else if request.count_total {
        // "10 of N" counts every match, which the ranking's pruning skips:
        // another core counts while this one ranks and reads the hits.
        return std::thread::scope(|scope| {
            let counting = scope.spawn(|| searcher.search(&*query, &Count));
            let mut found = hits(index, searcher, request, &plan, &*query, filter_copies, result)?;
            let total =
                counting.join().map_err(|_| anyhow::anyhow!("counting the matches failed"))?;
            // A corrected search counted its own query's matches.
            found.total = found.total.or(Some(total?));
            found.held_per_file = held_per_file(&found, request);
            Ok(found)
        });
    }
    hits(index, searcher, request, &plan, &*query, filter_copies, result)
}

/// `request.per_file` when the list is shorter than asked while more
/// passages matched and some file gave as many hits as the cap allows.
fn held_per_file(result: &SearchResult, request: &SearchRequest) -> Option<usize> {
    let cap = request.per_file;
    let shown = result.hits.len();
    if cap == 0 || shown >= request.limit || result.total.is_none_or(|total| total <= shown) {
        return None;
    }
    let mut per_file: HashMap<&str, usize> = HashMap::new();
    for hit in &result.hits {
        *per_file.entry(hit.doc.as_str()).or_default() += 1;
    }
    per_file.values().any(|&hits| hits >= cap).then_some(cap)
}

/// The hits of `plan` for `request`, added to `result` (which holds the
/// counts when they were asked for), or the result of the corrected query.
fn hits(
    index: &LedeIndex,
    searcher: &Searcher,
    request: &SearchRequest,
    plan: &query::Plan,
    query: &dyn Query,
    filter_copies: Vec<Box<dyn Query>>,
    mut result: SearchResult,
) -> Result<SearchResult> {
    let fields = &index.fields;
    // A list of every match keeps its headlines and copies: it is the full count.
    let every = request.limit >= EVERY_MATCH;
    let folds = !every && !request.all_copies;
    let dropped = ranked::Dropped::default();
    let distinct = folds.then_some(&dropped);
    let pick = |limit: usize| -> Result<Vec<Ranked>> {
        // Only the copies left out of the passages picked last are listed.
        dropped.take();
        match request.sort {
            Sort::Relevance => {
                best_passages(searcher, fields, plan, limit, request.per_file, distinct)
            }
            Sort::Published => {
                // `--files` asks for every hit: no more than the index holds.
                let limit = limit.min(searcher.num_docs() as usize);
                let name = fields.name(fields.published);
                let mut published = FastColumns::new(searcher, |fast| fast.date(name).ok());
                sorted_passages(searcher, fields, query, limit, request.per_file, |address| {
                    let column = published.of(address.segment_ord);
                    // Newest first, undated last.
                    std::cmp::Reverse(column.and_then(|c| c.first(address.doc_id)))
                })
            }
            Sort::Mentioned { from, to } => {
                let limit = limit.min(searcher.num_docs() as usize);
                let (first, last) = filters::window(from, to);
                let name = fields.name(fields.date_span);
                let mut spans = FastColumns::new(searcher, |fast| fast.u64(name).ok());
                sorted_passages(searcher, fields, query, limit, request.per_file, |address| {
                    let keys = spans.of(address.segment_ord);
                    let earliest = keys
                        .into_iter()
                        .flat_map(|column| column.values_for_doc(address.doc_id))
                        .filter_map(|key| date_keys::Span::of_key(key).days())
                        .filter(|&(start, end)| start <= last && end >= first)
                        .map(|(start, _)| start.max(first))
                        .min();
                    // Oldest first, passages with no date in range last.
                    (earliest.is_none(), earliest)
                })
            }
        }
    };
    let mut picked = pick(request.limit)?;
    let mut columns = RecordColumns::new(searcher, fields)?;
    let mut copies = folds.then(|| copies::Copies::new(searcher, fields));
    if !every {
        let shown = Shown { searcher, fields, columns: &columns, query };
        picked = shown.pick(picked, request.limit, copies.as_mut(), pick)?;
    }
    if let Some(copies) = copies.as_mut() {
        copies.left_out(dropped.take());
    }
    // Copies are listed for the hits shown, after their texts are read.
    let listed = if folds { picked.clone() } else { Vec::new() };
    if picked.is_empty() && result.total.unwrap_or(0) == 0 {
        let lexicon = expand::Lexicon::new(searcher, fields);
        let suggestion = suggest::did_you_mean(fields, &request.query, &result.literals, &lexicon)?;
        let copies = || filter_copies.iter().map(|f| f.box_clone()).collect();
        match suggestion {
            Some(s) if finds_anything(searcher, index, &s.text, copies())? => {
                if request.correct && s.confident {
                    return corrected(index, searcher, request, filter_copies, s.text);
                }
                result.suggestion = Some(s.text);
            }
            _ => {}
        }
    }
    if picked.is_empty() {
        return Ok(result);
    }
    if request.explain {
        for candidate in &picked {
            let explanation =
                explain::explain_hit(searcher, fields, query, candidate.score, candidate.address)?;
            result.explanations.push(explanation);
        }
    }
    let mut highlighter = Highlighter::new(fields, query);
    let mut titles = HashMap::new();
    let mut hits = Vec::with_capacity(picked.len());
    for (rank, candidate) in picked.into_iter().enumerate() {
        let doc: TantivyDocument = searcher.doc(candidate.address)?;
        let text = first_text(&doc, fields.text);
        let lang = columns.lang(candidate.address)?;
        let title = match titles.get(&candidate.path) {
            Some(title) => String::clone(title),
            None => {
                let title = title_of(searcher, fields, &columns, &candidate)?;
                titles.insert(candidate.path.clone(), title.clone());
                title
            }
        };
        hits.push(Hit {
            rank: rank + 1,
            score: candidate.score,
            para: candidate.para,
            line: first_u64(&doc, fields.line) as u32,
            page: page_of(&doc, fields),
            record: record_number(&candidate.path),
            published: columns
                .published(candidate.address)
                .map(|d| d.into_utc().date().to_string()),
            highlights: highlighter.ranges(&text, &lang),
            lang,
            title,
            text,
            entities: if request.entities {
                columns.entities(candidate.address)?
            } else {
                Entities::default()
            },
            dates: stored_dates(&doc, fields),
            copies: copies::CopyList::default(),
            doc: candidate.path,
        });
    }
    if let Some(copies) = copies.as_mut() {
        let named = request.copies_named.unwrap_or(copies::LISTED);
        for (hit, ranked) in hits.iter().zip(&listed) {
            copies.remember_text(ranked.address, &hit.text);
        }
        for (hit, list) in hits.iter_mut().zip(copies.lists(&columns, &listed, named)?) {
            hit.copies = list;
        }
    }
    result.hits = hits;
    Ok(result)
}

/// What turns ranked passages into the hits shown.
struct Shown<'a> {
    searcher: &'a Searcher,
    fields: &'a Fields,
    columns: &'a RecordColumns,
    query: &'a dyn Query,
}

impl Shown<'_> {
    /// `picked` (the first `limit` passages) with headline hits lifted to
    /// body paragraphs ([`headline::lift`]) and, given `copies`, copies
    /// folded into the first of their group ([`copies::Copies::fold`]). Both
    /// can leave the list short, so more passages are picked to fill it.
    fn pick(
        &self,
        picked: Vec<Ranked>,
        limit: usize,
        mut copies: Option<&mut copies::Copies>,
        pick: impl Fn(usize) -> Result<Vec<Ranked>>,
    ) -> Result<Vec<Ranked>> {
        let mut asked = limit;
        let mut candidates = picked;
        let mut bodies = headline::Bodies::new();
        loop {
            let exhausted = candidates.len() < asked;
            let (searcher, fields, columns) = (self.searcher, self.fields, self.columns);
            let mut shown =
                headline::lift(searcher, fields, columns, self.query, candidates, &mut bodies)?;
            if let Some(copies) = copies.as_deref_mut() {
                shown = copies.fold(columns, shown)?;
            }
            // A story in many copies may need many more candidates; past
            // a bound the page is left short rather than scanning on.
            if exhausted || shown.len() >= limit || asked >= limit.saturating_mul(32) {
                shown.truncate(limit);
                return Ok(shown);
            }
            asked = next_ask(asked, shown.len(), limit);
            candidates = pick(asked)?;
        }
    }
}

/// How many passages to pick after `asked` gave `shown` hits of the
/// `limit` wanted: enough at the yield seen so far, with a margin, and at
/// least twice as many. In a folder holding each story in several copies,
/// doubling took four passes (each a search, lifting and folding) where
/// this takes two.
fn next_ask(asked: usize, shown: usize, limit: usize) -> usize {
    let at_yield = asked.saturating_mul(limit).saturating_mul(5) / (shown.max(1) * 4);
    at_yield.max(asked.saturating_mul(2)).min(limit.saturating_mul(32)).max(asked)
}

/// The result of `correction` searched in place of `request`'s query, which
/// matched nothing; never corrected again.
fn corrected(
    index: &LedeIndex,
    searcher: &Searcher,
    request: &SearchRequest,
    filters: Vec<Box<dyn Query>>,
    correction: String,
) -> Result<SearchResult> {
    let again = SearchRequest { query: correction.clone(), correct: false, ..request.clone() };
    let mut result = run_with(index, searcher, &again, filters)?;
    result.corrected_query = Some(correction);
    Ok(result)
}

/// Every passage `query` matches, ordered by `key` (stable: passages of
/// one key keep their relevance order); capped per file and to `limit`.
/// Sorting needs every match, so this is a pass over all of them.
fn sorted_passages<K: Ord>(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    limit: usize,
    per_file: usize,
    mut key: impl FnMut(tantivy::DocAddress) -> K,
) -> Result<Vec<Ranked>> {
    let every = (searcher.num_docs() as usize).max(1);
    let mut all = searcher.search(query, &RankedPassages::with_limit(fields, every))?;
    let keys: Vec<K> = all.iter().map(|candidate| key(candidate.address)).collect();
    let mut order: Vec<usize> = (0..all.len()).collect();
    order.sort_by(|&a, &b| keys[a].cmp(&keys[b]));
    let mut slots: Vec<Option<Ranked>> = all.drain(..).map(Some).collect();
    let sorted = order.into_iter().filter_map(|i| slots[i].take()).collect();
    Ok(cap_per_file(sorted, limit, per_file, &mut HashMap::new()))
}

/// One fast column per segment, opened when first asked for.
struct FastColumns<'s, C, F> {
    searcher: &'s Searcher,
    open: F,
    columns: HashMap<u32, Option<C>>,
}

impl<'s, C, F> FastColumns<'s, C, F>
where
    F: Fn(&tantivy::fastfield::FastFieldReaders) -> Option<C>,
{
    fn new(searcher: &'s Searcher, open: F) -> Self {
        FastColumns { searcher, open, columns: HashMap::new() }
    }

    fn of(&mut self, segment: u32) -> Option<&C> {
        let (searcher, open) = (self.searcher, &self.open);
        self.columns
            .entry(segment)
            .or_insert_with(|| open(searcher.segment_reader(segment).fast_fields()))
            .as_ref()
    }
}

/// The best `limit` passages of `plan`, tier by tier, at most `per_file`
/// from one file; given `distinct`, one of each group of exact copies
/// (the others noted there).
fn best_passages(
    searcher: &Searcher,
    fields: &Fields,
    plan: &query::Plan,
    limit: usize,
    per_file: usize,
    distinct: Option<&ranked::Dropped>,
) -> Result<Vec<Ranked>> {
    let mut counts = HashMap::new();
    let mut picked = Vec::new();
    // `--files` asks for every hit: no more than the index holds.
    let limit = limit.min(searcher.num_docs() as usize);
    if limit > 0 {
        for tier in plan.tiers() {
            let wanted = limit - picked.len();
            if wanted == 0 {
                break;
            }
            let top =
                top_passages(searcher, fields, &*tier, wanted, per_file, distinct, &mut counts)?;
            picked.extend(top);
        }
    }
    Ok(picked)
}

/// The query of `request` expanded by RM3: its best passages (within
/// `filters`) are the feedback, and the relevance model's terms are added.
fn expanded_plan(
    index: &LedeIndex,
    searcher: &Searcher,
    request: &SearchRequest,
    filters: Vec<Box<dyn Query>>,
    rm3: &feedback::Rm3,
) -> Result<(query::Plan, Vec<feedback::FeedbackTerm>)> {
    let fields = &index.fields;
    let again: Vec<Box<dyn Query>> = filters.iter().map(|f| f.box_clone()).collect();
    let plan = query::build(searcher, &index.index, fields, &request.query, filters)?;
    let mut original = HashSet::new();
    plan.query.query_terms(&mut |term, _| {
        if term.field() == fields.text {
            original.insert(term.clone());
        }
    });
    if original.is_empty() {
        return Ok((plan, Vec::new()));
    }
    // The feedback does not follow the output's cap: `--files` asks for one
    // passage per file, which would starve the model of a file's other words.
    let top = best_passages(searcher, fields, &plan, rm3.fb_docs, rm3.fb_per_file, None)?;
    let mut texts = Vec::with_capacity(top.len());
    for passage in &top {
        texts.push(first_text(&searcher.doc::<TantivyDocument>(passage.address)?, fields.text));
    }
    let passages: Vec<feedback::FeedbackPassage> = texts
        .iter()
        .zip(&top)
        .map(|(text, passage)| feedback::FeedbackPassage { text, score: passage.score })
        .collect();
    let num_passages = searcher.doc_freq(&Term::from_field_text(fields.kind, KIND_PARA))?;
    let doc_freq = |term: &str| {
        searcher.doc_freq(&Term::from_field_text(fields.text, term)).unwrap_or(u64::MAX)
    };
    let model = feedback::relevance_model(&passages, rm3.fb_terms, num_passages, &doc_freq);
    let per_word = query::TEXT_WEIGHT + query::EXACT_WEIGHT;
    let boosts = feedback::term_boosts(&model, original.len(), rm3, per_word);
    let expanded =
        query::build_expanded(searcher, &index.index, fields, &request.query, again, &boosts)?;
    Ok((expanded, model))
}

/// Whether `text` with `filters` matches any passage: a "did you mean" that
/// finds nothing is not offered.
fn finds_anything(
    searcher: &Searcher,
    index: &LedeIndex,
    text: &str,
    filters: Vec<Box<dyn Query>>,
) -> Result<bool> {
    let Ok(plan) = query::build(searcher, &index.index, &index.fields, text, filters) else {
        return Ok(false);
    };
    Ok(searcher.search(&plan.query, &Count)? > 0)
}

/// The best `limit` passages, at most `per_file` per file, in (score, path,
/// para) order. That order is total and the collector keeps it, so a window
/// that still yields `limit` passages after the per-file cap is exact; the
/// window only grows when the cap leaves it short.
fn top_passages(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    limit: usize,
    per_file: usize,
    distinct: Option<&ranked::Dropped>,
    counts: &mut HashMap<String, usize>,
) -> Result<Vec<Ranked>> {
    // No window need be larger than the index (`--files` asks for all hits).
    let largest = (searcher.num_docs() as usize).max(1);
    let first = if per_file == 0 { limit } else { limit.saturating_mul(2) };
    let mut window = first.clamp(1, largest);
    loop {
        let ranked = RankedPassages::with_limit(fields, window).distinct(distinct);
        let top = searcher.search(query, &ranked)?;
        // A window that came back short, or spans the index, holds every match.
        let complete = top.len() < window || window >= largest;
        let mut tried = counts.clone();
        let picked = cap_per_file(top, limit, per_file, &mut tried);
        if complete || picked.len() == limit {
            *counts = tried;
            return Ok(picked);
        }
        window = window.saturating_mul(4).min(largest);
    }
}

/// Keeps candidates in order, at most `per_file` (0 = any) per path counting
/// those already in `counts`, up to `limit`.
fn cap_per_file(
    candidates: Vec<Ranked>,
    limit: usize,
    per_file: usize,
    counts: &mut HashMap<String, usize>,
) -> Vec<Ranked> {
    let mut picked = Vec::with_capacity(limit.min(candidates.len()));
    for candidate in candidates {
        let count = counts.entry(candidate.path.clone()).or_default();
        if per_file > 0 && *count >= per_file {
            continue;
        }
        *count += 1;
        picked.push(candidate);
        if picked.len() == limit {
            break;
        }
    }
    picked
}

/// The headline of a passage's file: the text of its paragraph 0, found
/// beside the passage (usually in the same stored block), else by a query.
fn title_of(
    searcher: &Searcher,
    fields: &Fields,
    columns: &RecordColumns,
    passage: &Ranked,
) -> Result<String> {
    if let Some(address) = columns.title_beside(passage.address, passage.para) {
        return Ok(first_text(&searcher.doc::<TantivyDocument>(address)?, fields.text));
    }
    let path = passage.path.as_str();
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
    };
    let query = BooleanQuery::new(vec![
        (Occur::Must, term(fields.path, path)),
        (Occur::Must, term(fields.kind, KIND_PARA)),
    ]);
    for address in searcher.search(&query, &DocSetCollector)? {
        if columns.para(address) == Some(0) {
            return Ok(first_text(&searcher.doc::<TantivyDocument>(address)?, fields.text));
        }
    }
    Ok(String::new())
}

/// The page a paragraph record stores (PDF paragraphs only).
pub(crate) fn page_of(doc: &TantivyDocument, fields: &Fields) -> Option<u32> {
    doc.get_first(fields.page).and_then(|v| v.as_u64()).and_then(|p| u32::try_from(p).ok())
}

/// The number after `#` in a document address, when it is one.
pub(crate) fn record_number(address: &str) -> Option<u64> {
    address.rsplit_once('#').and_then(|(_, part)| part.parse().ok())
}

/// The date mentions stored on a paragraph record.
pub(crate) fn stored_dates(doc: &TantivyDocument, fields: &Fields) -> Vec<DateMention> {
    let text = doc.get_first(fields.text).and_then(|v| v.as_str()).unwrap_or_default();
    doc.get_all(fields.date_mention)
        .filter_map(|v| v.as_str())
        .filter_map(|stored| crate::index::records::read_mention(stored, text))
        .collect()
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> String {
    doc.get_first(field).and_then(|v| v.as_str()).unwrap_or_default().to_string()
}

fn first_u64(doc: &TantivyDocument, field: tantivy::schema::Field) -> u64 {
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::next_ask;

    #[test]
    fn more_passages_are_asked_for_at_the_yield_seen() {
        // Two hits of ten: about five times as many, with a margin.
        assert_eq!(next_ask(10, 2, 10), 62);
        // Nearly there: still at least twice as many.
        assert_eq!(next_ask(10, 9, 10), 20);
        // Nothing shown yet: as if one was.
        assert_eq!(next_ask(10, 0, 10), 125);
        // Never past 32 times the page.
        assert_eq!(next_ask(200, 1, 10), 320);
        assert_eq!(next_ask(320, 1, 10), 320);
    }
}
