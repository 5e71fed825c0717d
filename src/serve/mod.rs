//! `lede serve`: the search, its facets, timeline, documents and exports as
//! a local web page and a JSON API on one router.
//!
//! Every route reads its query string with [`params`] (parameters named like
//! `lede search`'s options), runs the same core calls as the commands on a
//! blocking thread (so a slow search or index update never holds up other
//! requests), and answers through [`reply`]. Nothing here writes to the
//! corpus; the index is only updated by the server's watcher ([`watching`])
//! and the freshness check before a request ([`state`]).

mod assets;
mod cache;
mod export;
mod files;
mod marks;
pub(crate) mod pages;
pub mod params;
mod reply;
mod searches;
pub(crate) mod state;
mod timeline;
pub mod watching;

use std::future::Future;
use std::sync::Arc;

use axum::extract::{RawQuery, State};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

use crate::render;
use crate::search::highlight::Highlighter;
use params::{BadRequest, Params, MAX_LIMIT};
use reply::{Problem, Reply, HTML, JSON, JSON_LINES};
pub use state::{ServeOptions, Shared};

/// Most lines one batch runs.
pub(crate) const MAX_BATCH_LINES: usize = 500;

type SharedState = Arc<Shared>;

/// Every route of the page and the API.
pub fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/", get(search_page))
        .route("/doc", get(doc_page))
        .route("/file", get(file))
        .route("/batch", get(batch_page))
        .route("/export.csv", get(export_csv))
        .route("/export.jsonl", get(export_jsonl))
        .route("/api/search", get(api_search))
        .route("/api/entities", get(api_entities))
        .route("/api/dates", get(api_dates))
        .route("/api/doc", get(api_doc))
        .route(
            "/assets/style.css",
            get(|| async { assets::asset("text/css; charset=utf-8", assets::STYLE) }),
        )
        .route(
            "/assets/app.js",
            get(|| async { assets::asset("text/javascript; charset=utf-8", assets::SCRIPT) }),
        )
        .fallback(|| async { Problem::NotFound("no such page".to_string()).to_text() })
        .with_state(shared)
}

/// Serves `router` on `listener` until `shutdown` completes.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router).with_graceful_shutdown(shutdown).await
}

/// Runs `work` on a blocking thread after the freshness check, once its
/// turn comes (a few requests run at once: [`Shared::turns`]); a panic
/// becomes a 500, never a dead server.
async fn blocking<F>(shared: SharedState, work: F) -> Response
where
    F: FnOnce(&Shared) -> Reply + Send + 'static,
{
    let waiting = Arc::clone(&shared);
    let Ok(_turn) = waiting.turns.acquire().await else {
        return Problem::Internal("the server is stopping".to_string()).to_text().into_response();
    };
    let ran = tokio::task::spawn_blocking(move || {
        shared.refresh();
        work(&shared)
    })
    .await;
    match ran {
        Ok(reply) => reply.into_response(),
        Err(_) => Problem::Internal("the request failed inside the server".to_string())
            .to_text()
            .into_response(),
    }
}

/// [`blocking`], with the answer kept for the same query string on the
/// same index ([`cache`]): a repeated search costs a lookup.
async fn cached<F>(
    shared: SharedState,
    route: &'static str,
    raw: Option<String>,
    work: F,
) -> Response
where
    F: FnOnce(&Shared, Option<&str>) -> Reply + Send + 'static,
{
    blocking(shared, move |shared| {
        let query = raw.as_deref().unwrap_or_default();
        shared
            .replies
            .get_or_make(&shared.searcher(), route, query, || work(shared, raw.as_deref()))
    })
    .await
}

/// A page: problems shown as HTML.
fn html_page(result: Result<maud::Markup, Problem>) -> Reply {
    match result {
        Ok(markup) => Reply::ok(HTML, markup.into_string()),
        Err(problem) => Reply::ok(HTML, pages::problem_page(&problem).into_string())
            .with_status(problem.status()),
    }
}

/// An API answer: problems as one line of text.
fn api(result: Result<Reply, Problem>) -> Reply {
    result.unwrap_or_else(|problem| problem.to_text())
}

async fn search_page(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/", raw, |shared, raw| html_page(render_search(shared, raw))).await
}

fn render_search(shared: &Shared, raw: Option<&str>) -> Result<maud::Markup, Problem> {
    let params = Params::parse(raw)?;
    let mut view = pages::SearchView {
        params: &params,
        page: None,
        facets: &[],
        timeline: None,
        display: &shared.display,
        problem: None,
    };
    if !params.has_search() {
        return Ok(pages::search(&view));
    }
    let found = searches::page(shared, &params).and_then(|page| {
        let facets = searches::facets(shared, &params)?;
        let timeline = searches::timeline(shared, &params)?;
        Ok((page, facets, timeline))
    });
    match found {
        Ok((page, facets, (by, periods))) => {
            view.page = Some(&page);
            view.facets = &facets;
            view.timeline = Some((by, &periods));
            Ok(pages::search(&view))
        }
        // A query the user can fix is shown on the search page itself.
        Err(Problem::Bad(message)) => {
            let problem = Problem::Bad(message);
            view.problem = Some(&problem);
            Ok(pages::search(&view))
        }
        Err(problem) => Err(problem),
    }
}

async fn doc_page(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/doc", raw, |shared, raw| html_page(render_doc(shared, raw))).await
}

fn render_doc(shared: &Shared, raw: Option<&str>) -> Result<maud::Markup, Problem> {
    let params = Params::parse(raw)?;
    let doc = required_path(&params)?;
    let paragraphs = searches::document(shared, doc)?;
    let highlights = match query_highlighter(shared, &params) {
        Some(mut highlighter) => {
            paragraphs.iter().map(|p| highlighter.ranges(&p.text, &p.lang)).collect()
        }
        None => vec![Vec::new(); paragraphs.len()],
    };
    Ok(pages::document(&pages::DocView {
        params: &params,
        doc,
        shown_path: shared.display.show(doc),
        paragraphs: &paragraphs,
        highlights,
    }))
}

/// Marks the words of the query `q` (none when there is no query).
fn query_highlighter(shared: &Shared, params: &Params) -> Option<Highlighter> {
    if params.q.trim().is_empty() {
        return None;
    }
    let searcher = shared.searcher();
    let index = &shared.index;
    let plan =
        crate::search::query::build(&searcher, &index.index, &index.fields, &params.q, vec![])
            .ok()?;
    Some(Highlighter::new(&index.fields, &*plan.query))
}

fn required_path(params: &Params) -> Result<&str, Problem> {
    params
        .path
        .as_deref()
        .ok_or_else(|| Problem::Bad("path: give the document's path, as hits name it".to_string()))
}

async fn file(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    blocking(shared, move |shared| {
        api(Params::parse(raw.as_deref())
            .map_err(Problem::from)
            .and_then(|params| files::original(shared, required_path(&params)?)))
    })
    .await
}

async fn batch_page(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/batch", raw, |shared, raw| html_page(render_batch(shared, raw))).await
}

fn render_batch(shared: &Shared, raw: Option<&str>) -> Result<maud::Markup, Problem> {
    let params = Params::parse(raw)?;
    let lines = params.lines.clone().unwrap_or_default();
    let queries: Vec<(usize, &str)> = lines
        .lines()
        .enumerate()
        .filter_map(|(i, line)| Some((i + 1, crate::config::batch_query(line)?)))
        .collect();
    if queries.len() > MAX_BATCH_LINES {
        return Err(BadRequest(format!(
            "the list has {} lines; the most one batch runs is {MAX_BATCH_LINES}",
            queries.len()
        ))
        .into());
    }
    let mut rows = Vec::with_capacity(queries.len());
    for (line, query) in queries {
        let mut one = params.clone();
        one.q = query.to_string();
        one.count = true;
        let counts = match searches::hits(shared, &one) {
            Ok(result) => Ok((result.total.unwrap_or(0), result.files.unwrap_or(0))),
            Err(Problem::Bad(message)) => Err(message),
            Err(problem) => return Err(problem),
        };
        rows.push(pages::BatchRow { line, query: query.to_string(), counts });
    }
    Ok(pages::batch(&params, &rows))
}

/// The export's hits: `limit` 0 (what the page's links ask) is [`MAX_LIMIT`].
fn export_hits(shared: &Shared, raw: Option<&str>) -> Result<Vec<crate::search::Hit>, Problem> {
    let mut params = Params::parse(raw)?;
    params.count = false;
    params.limit = Some(params.limit.unwrap_or(MAX_LIMIT));
    Ok(searches::hits(shared, &params)?.hits)
}

async fn export_csv(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/export.csv", raw, |shared, raw| {
        api(export_hits(shared, raw).map(|hits| {
            Reply::download(
                "text/csv; charset=utf-8",
                export::csv(&hits, &shared.display),
                "lede.csv",
            )
        }))
    })
    .await
}

async fn export_jsonl(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/export.jsonl", raw, |shared, raw| {
        api(export_hits(shared, raw).and_then(|hits| {
            let body = export::json_lines(&hits, &shared.display).map_err(anyhow::Error::from)?;
            Ok(Reply::download(JSON_LINES, body, "lede.jsonl"))
        }))
    })
    .await
}

async fn api_search(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/api/search", raw, |shared, raw| api(api_search_reply(shared, raw))).await
}

fn api_search_reply(shared: &Shared, raw: Option<&str>) -> Result<Reply, Problem> {
    let params = Params::parse(raw)?;
    let config = searches::checked_config(&params)?;
    let result = searches::run(shared, &config)?;
    let mut out = Vec::new();
    let mut printer = render::printer(config.format, &shared.display, &mut out);
    let sort = config.sort(&config.query);
    render::print_result(&mut *printer, &result, sort, None, None).map_err(anyhow::Error::from)?;
    drop(printer);
    Ok(Reply::ok(if config.format.counts() { JSON } else { JSON_LINES }, out))
}

async fn api_entities(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/api/entities", raw, |shared, raw| {
        api(Params::parse(raw).map_err(Problem::from).and_then(|params| {
            let list = searches::entities(shared, &params)?;
            json_lines(&list)
        }))
    })
    .await
}

async fn api_dates(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/api/dates", raw, |shared, raw| {
        api(Params::parse(raw).map_err(Problem::from).and_then(|params| {
            let periods = searches::dates(shared, &params)?;
            json_lines(&periods)
        }))
    })
    .await
}

fn json_lines<T: serde::Serialize>(items: &[T]) -> Result<Reply, Problem> {
    let mut out = Vec::new();
    render::json::write_lines(&mut out, items).map_err(anyhow::Error::from)?;
    Ok(Reply::ok(JSON_LINES, out))
}

/// A document as one JSON object.
#[derive(serde::Serialize)]
struct JsonDoc<'a> {
    path: String,
    doc: &'a str,
    title: &'a str,
    paragraphs: Vec<JsonParagraph<'a>>,
}

#[derive(serde::Serialize)]
struct JsonParagraph<'a> {
    para: u32,
    line: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    page: Option<u32>,
    text: &'a str,
    entities: &'a crate::search::Entities,
    #[serde(serialize_with = "crate::extract::dates::json::mentions")]
    dates: &'a [crate::extract::dates::DateMention],
}

async fn api_doc(State(shared): State<SharedState>, RawQuery(raw): RawQuery) -> Response {
    cached(shared, "/api/doc", raw, |shared, raw| {
        api(Params::parse(raw).map_err(Problem::from).and_then(|params| {
            let doc = required_path(&params)?;
            let paragraphs = searches::document(shared, doc)?;
            let title = paragraphs.iter().find(|p| p.para == 0).map_or("", |p| p.text.as_str());
            let json = JsonDoc {
                path: shared.display.show(doc),
                doc,
                title,
                paragraphs: paragraphs
                    .iter()
                    .map(|p| JsonParagraph {
                        para: p.para,
                        line: p.line,
                        page: p.page,
                        text: &p.text,
                        entities: &p.entities,
                        dates: &p.dates,
                    })
                    .collect(),
            };
            let body = serde_json::to_vec(&json).map_err(anyhow::Error::from)?;
            Ok(Reply::ok(JSON, body))
        }))
    })
    .await
}
