//! `lede search --remote`: a lede query and its filters translated to the
//! engines' query DSL, and their answer read back as lede hits.
//!
//! The request shapes relied on (`POST /<index>/_search`, the same on
//! OpenSearch, Elasticsearch and Quickwit's `/api/v1/_elastic/<index>`):
//!
//! ```text
//! {"query": {"bool": {"must": [...], "should": [...], "must_not": [...],
//!                     "filter": [...], "minimum_should_match": 1}},
//!  "size": 10, "track_total_hits": true,
//!  "highlight": {"fields": {"text": {"number_of_fragments": 0,
//!                                    "pre_tags": ["…"], "post_tags": ["…"]}}}}
//! ```
//! and leaves `multi_match` (`type` `best_fields`, `phrase`,
//! `phrase_prefix`; `fuzziness`, `slop`), `match`, `term` and `range`.
//! Answer: `{"hits": {"total": {"value": N}, "hits": [{"_id", "_score",
//! "_source": {...}, "highlight": {"text": ["…"]}}]}}`. Quickwit sorts by
//! score only when asked (`"sort": [{"_score": {"order": "desc"}}]`) and has
//! no `text.exact` subfield and no highlighting.
//!
//! A word is matched in `text`, `text.exact` and `title` by the engine's
//! analysers; its transliteration skeleton is computed here, by lede's own
//! analyser, and matched in the exported `translit` terms.

use serde::Deserialize;
use serde_json::{json, Value};
use tantivy::query_grammar::{Delimiter, Occur, UserInputAst, UserInputLeaf, UserInputLiteral};

use anyhow::Context;

use super::http::{self, Url};
use super::records::rfc3339_day;
use super::Engine;
use crate::analysis;
use crate::error::Error;
use crate::extract::dates::{keys, DateMention};
use crate::extract::entities::EntityKind;
use crate::extract::language;
use crate::index::records::first_of_month;
use crate::search::filters::{first_of_decade, first_of_year, window, DateMatch, Filters};
use crate::search::query::{word_suffix, Suffix, EXACT_WEIGHT, TITLE_BOOST, TRANSLIT_WEIGHT};
use crate::search::{Entities, Hit};

/// Private-use marks around highlighted words, never in news text.
const MARK_START: char = '\u{E000}';
const MARK_END: char = '\u{E001}';

/// What to ask the engine.
#[derive(Clone, Debug)]
pub(crate) struct RemoteRequest<'a> {
    pub query: &'a str,
    pub filters: &'a Filters,
    /// Hits to return (0: count only).
    pub size: usize,
}

/// The `_search` body for `request`, or a [`Error::BadQuery`] naming what
/// the engines cannot be asked.
pub(crate) fn search_body(engine: Engine, request: &RemoteRequest) -> Result<Value, Error> {
    let prepared = analysis::prepare_query(request.query).into_owned();
    let mut filter = vec![json!({"term": {"kind": crate::schema::KIND_PARA}})];
    filter.extend(filter_clauses(request.filters));
    let mut bool_query = json!({"filter": filter});
    if !prepared.trim().is_empty() {
        let ast = tantivy::query_grammar::parse_query(&prepared)
            .map_err(|_| bad(&prepared, "syntax error".into()))?;
        bool_query["must"] = json!([translate(engine, &ast).map_err(|why| bad(&prepared, why))?]);
    }
    let mut body = json!({
        "query": {"bool": bool_query},
        "size": request.size,
        "track_total_hits": true,
    });
    if request.size == 0 {
        body["aggs"] = json!({"files": {"cardinality": {"field": "path"}}});
    }
    match engine {
        Engine::Quickwit => body["sort"] = json!([{"_score": {"order": "desc"}}]),
        Engine::OpenSearch | Engine::Elasticsearch => {
            body["highlight"] = json!({"fields": {"text": {
                "number_of_fragments": 0,
                "pre_tags": [MARK_START.to_string()],
                "post_tags": [MARK_END.to_string()],
            }}});
        }
    }
    Ok(body)
}

fn bad(query: &str, reason: String) -> Error {
    Error::BadQuery { query: query.to_string(), reason }
}

/// One node of the parsed query.
fn translate(engine: Engine, ast: &UserInputAst) -> Result<Value, String> {
    match ast {
        UserInputAst::Clause(clauses) => {
            let (mut must, mut should, mut must_not) = (Vec::new(), Vec::new(), Vec::new());
            for (occur, sub) in clauses {
                let query = translate(engine, sub)?;
                match occur {
                    Some(Occur::Must) => must.push(query),
                    Some(Occur::MustNot) => must_not.push(query),
                    Some(Occur::Should) | None => should.push(query),
                }
            }
            let mut node = json!({});
            if must.is_empty() && !should.is_empty() {
                // Like lede: at least one of the words.
                node["minimum_should_match"] = json!(1);
            }
            if must.is_empty() && should.is_empty() {
                must.push(json!({"match_all": {}}));
            }
            for (key, list) in [("must", must), ("should", should), ("must_not", must_not)] {
                if !list.is_empty() {
                    node[key] = Value::Array(list);
                }
            }
            Ok(json!({ "bool": node }))
        }
        UserInputAst::Boost(sub, boost) => {
            Ok(json!({"bool": {"must": [translate(engine, sub)?], "boost": f64::from(*boost)}}))
        }
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(literal) => literal_query(engine, literal),
            UserInputLeaf::All => Ok(json!({"match_all": {}})),
            UserInputLeaf::Range { .. } => {
                Err("ranges (field:[a TO b]) are not supported remotely; use --from/--to".into())
            }
            UserInputLeaf::Set { .. } => {
                Err("sets (field: IN [...]) are not supported remotely".into())
            }
            UserInputLeaf::Exists { .. } => {
                Err("field:* (exists) is not supported remotely".into())
            }
            UserInputLeaf::Regex { .. } => {
                Err("regular expressions are not supported remotely".into())
            }
        },
    }
}

/// The fields a bare word is matched in, with lede's weights.
fn text_fields(engine: Engine, field: Option<&str>) -> Result<Vec<String>, String> {
    let text = |weight: f32| format!("text^{weight}");
    let exact = (engine != Engine::Quickwit).then(|| format!("text.exact^{EXACT_WEIGHT}"));
    Ok(match field {
        None => [Some(text(1.0)), exact, Some(format!("title^{TITLE_BOOST}"))]
            .into_iter()
            .flatten()
            .collect(),
        Some("text") => [Some(text(1.0)), exact].into_iter().flatten().collect(),
        Some("text_exact") if engine != Engine::Quickwit => vec!["text.exact".into()],
        Some("title") => vec!["title".into()],
        Some(other) => return Err(format!("field {other}: is not searchable remotely")),
    })
}

fn literal_query(engine: Engine, literal: &UserInputLiteral) -> Result<Value, String> {
    let field = literal.field_name.as_deref();
    // Entity fields are exported under their kind's name.
    if let Some(name) = field.filter(|f| EntityKind::parse(f).is_some()) {
        return Ok(json!({"term": { name: entity_key(&literal.phrase) }}));
    }
    let fields = text_fields(engine, field)?;
    let quoted = literal.delimiter != Delimiter::None;
    let mut query = json!({"query": literal.phrase, "fields": fields});
    if quoted {
        query["type"] = json!(if literal.prefix { "phrase_prefix" } else { "phrase" });
        if literal.slop > 0 {
            query["slop"] = json!(literal.slop);
        }
        return Ok(json!({ "multi_match": query }));
    }
    match word_suffix(&literal.phrase) {
        Some((word, Suffix::Prefix)) => {
            query["query"] = json!(word);
            query["type"] = json!("phrase_prefix");
            Ok(json!({ "multi_match": query }))
        }
        Some((word, Suffix::Fuzzy(edits))) => {
            query["query"] = json!(word);
            // Numbers and dates are never fuzzed, as in lede.
            if !crate::search::expand::is_numeric(word) {
                query["fuzziness"] = json!(edits.min(2));
            }
            Ok(json!({ "multi_match": query }))
        }
        None => Ok(with_translit(json!({ "multi_match": query }), field, &literal.phrase)),
    }
}

/// Adds the word's transliteration skeleton as an alternative, when it has
/// one and the field searched includes `text`.
fn with_translit(query: Value, field: Option<&str>, word: &str) -> Value {
    if !matches!(field, None | Some("text")) {
        return query;
    }
    let skeleton = analysis::analyse(analysis::TRANSLIT, word).unwrap_or_default().join(" ");
    if skeleton.is_empty() {
        return query;
    }
    let translit = json!({"match": {"translit": {"query": skeleton, "boost": TRANSLIT_WEIGHT}}});
    json!({"bool": {"should": [query, translit], "minimum_should_match": 1}})
}

/// The first day of the period (day, month, year, decade) holding a date.
type Floor = fn(time::Date) -> time::Date;

/// Entity, date and language filters, as lede applies them (see
/// `search::filters`).
fn filter_clauses(filters: &Filters) -> Vec<Value> {
    let mut clauses = Vec::new();
    for (kind, names) in filters.entities.iter() {
        for name in names {
            clauses.push(json!({"term": { kind.name(): entity_key(name) }}));
        }
    }
    if (filters.from.is_some() || filters.to.is_some()) && filters.date_match == DateMatch::Within {
        let (first, last) = window(filters.from, filters.to);
        let should: Vec<Value> = keys::within_ranges(first, last)
            .into_iter()
            .map(|(low, high)| json!({"range": {"date_span": {"gte": low, "lte": high}}}))
            .collect();
        clauses.push(json!({"bool": {"should": should, "minimum_should_match": 1}}));
    } else if filters.from.is_some() || filters.to.is_some() {
        let floors: [(&str, Floor); 4] = [
            ("date_day", |d| d),
            ("date_month", first_of_month),
            ("date_year", first_of_year),
            ("date_decade", first_of_decade),
        ];
        let should: Vec<Value> = floors
            .iter()
            .map(|(field, floor)| {
                let mut range = json!({});
                if let Some(from) = filters.from {
                    range["gte"] = json!(rfc3339_day(floor(from)));
                }
                if let Some(to) = filters.to {
                    range["lte"] = json!(rfc3339_day(to));
                }
                json!({"range": { *field: range }})
            })
            .collect();
        clauses.push(json!({"bool": {"should": should, "minimum_should_match": 1}}));
    }
    if let Some((month, day)) = filters.month_day {
        clauses.push(json!({"term": {"date_md": keys::month_day_key(month, day)}}));
    }
    // Exported as midnight of the day, so day bounds compare as lede's do;
    // records with no publication date never match, as locally.
    if filters.published_from.is_some() || filters.published_to.is_some() {
        let mut range = json!({});
        if let Some(from) = filters.published_from {
            range["gte"] = json!(rfc3339_day(from));
        }
        if let Some(to) = filters.published_to {
            range["lte"] = json!(rfc3339_day(to));
        }
        clauses.push(json!({"range": {"published": range}}));
    }
    if let Some(lang) = filters.lang {
        clauses.push(json!({"term": {"lang": lang}}));
    }
    clauses
}

/// An entity name as the remote keyword fields hold it (lowercased and
/// accent-folded by the `lede_name` normalizer; Quickwit's term queries do
/// not analyse, so the folding is done here). Remote entity filters match
/// the whole canonical name; lede's own match it by its words.
fn entity_key(name: &str) -> String {
    analysis::analyse(analysis::KEYWORD, name.trim())
        .and_then(|tokens| tokens.into_iter().next())
        .unwrap_or_else(|| name.trim().to_lowercase())
}

/// What the engine answered: hits, total matches and distinct files (when
/// counted).
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct RemoteResult {
    pub hits: Vec<Hit>,
    pub total: usize,
    pub files: Option<usize>,
}

/// Reads a `_search` answer.
pub(crate) fn read_response(body: &Value) -> Result<RemoteResult, String> {
    let hits = body["hits"]["hits"].as_array().ok_or("the answer has no hits.hits")?;
    let total = match &body["hits"]["total"] {
        Value::Object(total) => total.get("value").and_then(Value::as_u64),
        other => other.as_u64(),
    }
    .unwrap_or(hits.len() as u64) as usize;
    let files = body["aggregations"]["files"]["value"].as_u64().map(|n| n as usize);
    let hits = hits.iter().enumerate().map(|(i, hit)| read_hit(i + 1, hit)).collect();
    Ok(RemoteResult { hits, total, files })
}

fn read_hit(rank: usize, hit: &Value) -> Hit {
    let source = &hit["_source"];
    let strings = |key: &str| -> Vec<String> {
        source[key]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    let text = source["text"].as_str().unwrap_or_default().to_string();
    let highlights = hit["highlight"]["text"][0].as_str().map(marked_ranges).unwrap_or_default();
    Hit {
        // Remote engines hold no fingerprints: nothing is folded.
        copies: Default::default(),
        rank,
        score: hit["_score"].as_f64().unwrap_or(0.0) as f32,
        doc: source["path"].as_str().unwrap_or_default().to_string(),
        para: source["para"].as_u64().unwrap_or(0) as u32,
        line: source["line"].as_u64().unwrap_or(0) as u32,
        page: source["page"].as_u64().and_then(|p| u32::try_from(p).ok()),
        record: source["record"].as_u64(),
        // Exported as RFC 3339 midnight; hits show the day, as locally.
        published: source["published"].as_str().map(|p| p.get(..10).unwrap_or(p).to_string()),
        // Records exported before languages were detected hold none.
        lang: source["lang"].as_str().unwrap_or(language::UNDETERMINED).to_string(),
        title: source["title"].as_str().unwrap_or_default().to_string(),
        text,
        highlights,
        entities: Entities::from_fn(|kind| strings(kind.name())),
        // Mentions as lede exported them; one that does not read as a
        // mention is left out.
        dates: source["date_mention"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|date| DateMention::deserialize(date).ok())
            .collect(),
    }
}

/// Sends `request` to the index at `url` and reads the answer; at most
/// `per_file` hits of one file are kept (0: no cap), like a local search.
pub(crate) fn search(
    url: &Url,
    engine: Engine,
    request: &RemoteRequest,
    per_file: usize,
) -> anyhow::Result<RemoteResult> {
    let mut asked = request.clone();
    // Ask for more than shown, so the per-file cap still leaves enough.
    if per_file > 0 {
        asked.size = request.size.saturating_mul(3).min(MAX_SIZE);
    }
    let body = serde_json::to_vec(&search_body(engine, &asked)?)?;
    let path = url.join("_search");
    let response = http::request("POST", url, &path, "application/json", &body)
        .with_context(|| format!("cannot reach {}:{}", url.host, url.port))?;
    if !(200..300).contains(&response.status) {
        let text: String = response.body_text().chars().take(300).collect();
        anyhow::bail!("{}:{}{path} answered {}: {text}", url.host, url.port, response.status);
    }
    let answer: Value = serde_json::from_slice(&response.body).with_context(|| {
        format!("{}:{}{path} answered something that is not JSON", url.host, url.port)
    })?;
    let mut result = read_response(&answer).map_err(anyhow::Error::msg)?;
    cap_per_file(&mut result.hits, per_file, request.size);
    Ok(result)
}

/// The engines' default cap on `from + size` (`index.max_result_window`).
pub(crate) const MAX_SIZE: usize = 10_000;

/// Keeps at most `per_file` hits of each file and `limit` in all, ranked again.
fn cap_per_file(hits: &mut Vec<Hit>, per_file: usize, limit: usize) {
    let mut seen: std::collections::HashMap<String, usize> = Default::default();
    hits.retain(|hit| {
        let count = seen.entry(hit.doc.clone()).or_default();
        *count += 1;
        per_file == 0 || *count <= per_file
    });
    hits.truncate(limit);
    for (i, hit) in hits.iter_mut().enumerate() {
        hit.rank = i + 1;
    }
}

/// Byte ranges of the marked words in the text without its marks.
fn marked_ranges(marked: &str) -> Vec<std::ops::Range<usize>> {
    let mut ranges = Vec::new();
    let (mut offset, mut start) = (0, None);
    for c in marked.chars() {
        match c {
            MARK_START => start = Some(offset),
            MARK_END => {
                if let Some(start) = start.take() {
                    ranges.push(start..offset);
                }
            }
            c => offset += c.len_utf8(),
        }
    }
    ranges
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlight_marks_become_byte_ranges_of_the_plain_text() {
        let marked = format!("Só {MARK_START}5000{MARK_END} engineers {MARK_START}left{MARK_END}");
        assert_eq!(marked_ranges(&marked), [4..8, 19..23]);
    }
}
