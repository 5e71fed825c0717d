//! The searches behind the pages and the API, on the shared searcher: the
//! same core calls as `lede search`, `lede entities` and `lede dates`, with
//! the request built by [`SearchConfig::request`].

use tantivy::Searcher;

use super::params::{BadRequest, Params, MAX_LIMIT};
use super::reply::Problem;
use super::state::Shared;
use crate::config::SearchConfig;
use crate::extract::entities::EntityKind;
use crate::search::counts::{self, By, EntityCount, PeriodCount};
use crate::search::filters::Filters;
use crate::search::passages::{self, Paragraph};
use crate::search::{Engine, SearchResult};

/// Names listed per facet.
pub(super) const FACET_NAMES: usize = 10;

/// One page of hits and the counts of all of them.
pub(crate) struct Page {
    pub result: SearchResult,
    /// Rank of the first hit shown, 1-based.
    pub first_rank: usize,
    /// Hits per page.
    pub per_page: usize,
}

/// Page `params.page` of the search, with the total passages and files.
pub(super) fn page(shared: &Shared, params: &Params) -> Result<Page, Problem> {
    let config = params.search_config(params.filters()?);
    let per_page = config.limit;
    let skip = (params.page - 1).saturating_mul(per_page);
    let wanted = skip.saturating_add(per_page);
    if wanted > MAX_LIMIT {
        return Err(BadRequest(format!("page {} is past the last one", params.page)).into());
    }
    let mut request = config.request(config.query.clone());
    request.limit = wanted;
    request.count_files = true;
    let searcher = shared.searcher();
    let engine = Engine::with_searcher(&shared.index, searcher);
    let mut result = engine.run(&request, config.filters.queries(&shared.index.fields))?;
    result.hits.drain(..skip.min(result.hits.len()));
    Ok(Page { result, first_rank: skip + 1, per_page })
}

/// The hits `params` asks for, as `lede search` finds them (the API and the
/// exports): counts only with `count=1`.
pub(super) fn hits(shared: &Shared, params: &Params) -> Result<SearchResult, Problem> {
    Ok(run(shared, &checked_config(params)?)?)
}

/// The search `params` ask for, refused when there is nothing to search for.
pub(super) fn checked_config(params: &Params) -> Result<SearchConfig, Problem> {
    let filters = params.filters()?;
    if params.q.trim().is_empty() && filters.is_empty() {
        return Err(Problem::Bad(
            "nothing to search for: give q or a filter such as person or from".to_string(),
        ));
    }
    Ok(params.search_config(filters))
}

/// Runs `config` on the shared searcher.
pub(super) fn run(shared: &Shared, config: &SearchConfig) -> anyhow::Result<SearchResult> {
    let engine = Engine::with_searcher(&shared.index, shared.searcher());
    engine.run(&config.request(config.query.clone()), config.filters.queries(&shared.index.fields))
}

/// The most mentioned names of the matching passages, per kind.
pub(super) fn facets(
    shared: &Shared,
    params: &Params,
) -> Result<Vec<(EntityKind, Vec<EntityCount>)>, Problem> {
    let filters = params.filters()?;
    let kinds = [EntityKind::Person, EntityKind::Org, EntityKind::Place];
    let searcher = shared.searcher();
    let all = counts::entities_in(
        &searcher,
        &shared.index,
        &params.q,
        filters.queries(&shared.index.fields),
        &kinds,
        None,
        usize::MAX,
    )?;
    Ok(kinds
        .iter()
        .map(|&kind| {
            let names = all.iter().filter(|e| e.kind == kind).take(FACET_NAMES).cloned().collect();
            (kind, names)
        })
        .collect())
}

/// `lede entities` for the API: `type`, `with` and `limit` (default 20).
pub(super) fn entities(shared: &Shared, params: &Params) -> Result<Vec<EntityCount>, Problem> {
    let filters = params.filters()?;
    let mut queries = filters.queries(&shared.index.fields);
    if let Some(name) = &params.with {
        queries.push(counts::any_entity(&shared.index, name));
    }
    let kinds = match params.kind.as_deref() {
        None => EntityKind::ALL.to_vec(),
        Some(name) => match EntityKind::parse(name) {
            Some(kind) => vec![kind],
            None => {
                return Err(Problem::Bad(format!(
                    "type: expected person, org, place or misc, not {name:?}"
                )))
            }
        },
    };
    let limit = match params.limit {
        None => 20,
        Some(0) => usize::MAX,
        Some(n) => n,
    };
    let exclude = params.with.as_deref().map(|n| n.trim().to_lowercase());
    Ok(counts::entities_in(
        &shared.searcher(),
        &shared.index,
        &params.q,
        queries,
        &kinds,
        exclude.as_deref(),
        limit,
    )?)
}

/// `lede dates` for the API: `by` year, month (default) or day.
pub(super) fn dates(shared: &Shared, params: &Params) -> Result<Vec<PeriodCount>, Problem> {
    let filters = params.filters()?;
    let by = match params.by.as_deref() {
        None | Some("month") => By::Month,
        Some("year") => By::Year,
        Some("day") => By::Day,
        Some(other) => {
            return Err(Problem::Bad(format!("by: expected year, month or day, not {other:?}")))
        }
    };
    let timeline = counts::timeline_in(
        &shared.searcher(),
        &shared.index,
        &params.q,
        filters.queries(&shared.index.fields),
        by,
    )?;
    Ok(timeline.periods)
}

/// The timeline of the page: dates mentioned (or publication dates), by
/// year when they span several years, by month, or by day within a month
/// or two.
pub(super) fn timeline(
    shared: &Shared,
    params: &Params,
) -> Result<(By, Vec<PeriodCount>), Problem> {
    let filters = params.filters()?;
    let searcher = shared.searcher();
    let count = |by| periods(shared, &searcher, params, &filters, by);
    let years = count(By::Year)?;
    if span(&years, By::Year) > 3 {
        return Ok((By::Year, years));
    }
    let months = count(By::Month)?;
    if span(&months, By::Month) > 2 {
        return Ok((By::Month, months));
    }
    let days = count(By::Day)?;
    Ok(match (days.is_empty(), months.is_empty()) {
        (false, _) => (By::Day, days),
        (true, false) => (By::Month, months),
        (true, true) => (By::Year, years),
    })
}

/// How many periods of `by` lie from the first to the last (inclusive).
fn span(periods: &[PeriodCount], by: By) -> i64 {
    let ordinal = |p: &PeriodCount| super::timeline::ordinal(&p.period, by);
    match (periods.first().and_then(ordinal), periods.last().and_then(ordinal)) {
        (Some(first), Some(last)) => last - first + 1,
        _ => 0,
    }
}

fn periods(
    shared: &Shared,
    searcher: &Searcher,
    params: &Params,
    filters: &Filters,
    by: By,
) -> Result<Vec<PeriodCount>, Problem> {
    let queries = filters.queries(&shared.index.fields);
    let counted = if params.published_timeline {
        counts::published_timeline(searcher, &shared.index, &params.q, queries, by)?
    } else {
        counts::timeline_in(searcher, &shared.index, &params.q, queries, by)?.periods
    };
    Ok(counted)
}

/// The paragraphs of an indexed document; a 404 for anything else, so only
/// what the index holds is ever shown (`..`, absolute paths and the like
/// name nothing in it).
pub(super) fn document(shared: &Shared, doc: &str) -> Result<Vec<Paragraph>, Problem> {
    let paragraphs = passages::of_file(&shared.searcher(), &shared.index.fields, doc)?;
    if paragraphs.is_empty() {
        return Err(Problem::NotFound(format!("{doc:?} is not a document of the index")));
    }
    Ok(paragraphs)
}
