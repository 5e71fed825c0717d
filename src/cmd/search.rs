//! `lede search`: ranked passages in human, JSON or TSV form, counts, file
//! lists, explanations, and batch mode (one query per line of a file, one
//! opened index, JSON Lines out).

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};

use anyhow::{bail, Context, Result};

use super::open::open_for_reading;
use super::Status;
use crate::cli::{Location, SearchArgs, SortChoice};
use crate::config::{self, PathDisplay};
use crate::error::Error;
use crate::export::http::Url;
use crate::export::remote::{self, RemoteRequest};
use crate::render;
use crate::render::json::BatchTag;
use crate::search::filters::Filters;
use crate::search::{Engine, SearchRequest, SearchResult, Sort};

pub fn run(location: &Location, args: &SearchArgs) -> Result<Status> {
    let filters = config::filters(&args.filters)?;
    if args.batch.is_none() && args.query.join(" ").trim().is_empty() && filters.is_empty() {
        bail!("nothing to search for: give query words or a filter such as --person or --from");
    }
    if let Some(url) = &args.remote {
        return run_remote(location, args, &filters, url);
    }
    let (_, index) = open_for_reading(location, !args.no_refresh)?;
    let engine = Engine::new(&index)?;
    let display = PathDisplay::new(&index.manifest.corpus);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let status = match &args.batch {
        Some(file) => run_batch(&engine, args, &filters, file, &display, &mut out)?,
        None => run_one(&engine, args, &filters, &display, &mut out)?,
    };
    out.flush()?;
    Ok(status)
}

/// The request for `query` with the options of `args`.
fn request(args: &SearchArgs, filters: &Filters, query: String) -> SearchRequest {
    let sort = sort_choice(args.sort, &query);
    let shape = config::SearchShape {
        limit: args.limit,
        per_file: args.per_file,
        count: args.count,
        count_total: human(args),
        files: args.files,
        explain: args.explain,
        // JSON (and so batch mode) always carries entities; human output on request.
        entities: args.entities || args.json || args.batch.is_some(),
        sort: match sort {
            SortChoice::Relevance => Sort::Relevance,
            SortChoice::Date => Sort::Mentioned { from: filters.from, to: filters.to },
            SortChoice::Published => Sort::Published,
        },
        expand: args.expand,
        correct: !args.no_correct,
    };
    config::search_request(&shape, query)
}

/// Whether hits are printed for people (not counted, listed or as data).
fn human(args: &SearchArgs) -> bool {
    !(args.count || args.files || args.tsv || args.json || args.batch.is_some())
}

/// `--sort`, or by default: relevance when there are words to rank by,
/// the mentioned dates when only filters select the passages.
fn sort_choice(chosen: Option<SortChoice>, query: &str) -> SortChoice {
    match chosen {
        Some(choice) => choice,
        None if query.trim().is_empty() => SortChoice::Date,
        None => SortChoice::Relevance,
    }
}

fn run_one<W: Write>(
    engine: &Engine,
    args: &SearchArgs,
    filters: &Filters,
    display: &PathDisplay,
    out: &mut W,
) -> Result<Status> {
    let query = args.query.join(" ");
    let result =
        engine.run(&request(args, filters, query.clone()), filters.queries(engine.fields()))?;
    report_suggestion(&result, &query, None);
    if !result.found() {
        super::report_unmatched_filters(engine.searcher(), engine.fields(), filters)?;
    }
    print(out, args, &result, display)?;
    Ok(if result.found() { Status::Success } else { Status::NoHits })
}

/// Prints one search's result in the form `args` asks for (local and
/// remote searches alike).
fn print<W: Write>(
    out: &mut W,
    args: &SearchArgs,
    result: &SearchResult,
    display: &PathDisplay,
) -> Result<()> {
    let corrected = result.corrected_query.as_deref();
    if args.count {
        let files = result.files.unwrap_or(0);
        let total = result.total.unwrap_or(0);
        render::summary::write_count(out, total, files, args.json, None, corrected)?;
    } else if args.files {
        render::summary::write_files(out, &result.hits, display, args.null)?;
    } else if args.tsv {
        render::tsv::write_hits(out, &result.hits, display)?;
    } else if args.json {
        if args.explain {
            let mut err = io::stderr().lock();
            render::explain::write_analysis(&mut err, &result.prepared, &result.literals)?;
            render::explain::write_feedback(&mut err, &result.feedback)?;
        }
        let hits =
            render::json::Tagged { batch: None, corrected, explanations: &result.explanations };
        render::json::write_hits_with(out, &result.hits, display, &hits)?;
    } else {
        let options = render::human::Options {
            color: config::use_color(args.color),
            entities: args.entities,
        };
        if args.explain {
            render::explain::write_analysis(out, &result.prepared, &result.literals)?;
            render::explain::write_feedback(out, &result.feedback)?;
            for (i, hit) in result.hits.iter().enumerate() {
                writeln!(out)?;
                render::human::write_hits(out, std::slice::from_ref(hit), display, &options)?;
                if let Some(explanation) = result.explanations.get(i) {
                    render::explain::write_hit(out, explanation)?;
                }
            }
        } else {
            render::human::write_hits(out, &result.hits, display, &options)?;
        }
        // On stderr, so what scripts read from stdout stays the same.
        if let (Some(total), false) = (result.total, result.hits.is_empty()) {
            let order = match sort_choice(args.sort, &result.prepared) {
                SortChoice::Relevance => "best first",
                SortChoice::Date => "oldest mentioned date first",
                SortChoice::Published => "newest first",
            };
            out.flush()?;
            eprintln!("{}", render::summary::shown_of(result.hits.len(), total, order));
        }
    }
    Ok(())
}

/// `--remote URL`: the query translated to the engine's DSL, its hits
/// printed like local ones (paths shown under the local corpus, if any).
fn run_remote(
    location: &Location,
    args: &SearchArgs,
    filters: &Filters,
    url: &str,
) -> Result<Status> {
    let url = Url::parse(url)?;
    let query = args.query.join(" ");
    let size = match (args.count, args.files) {
        (true, _) => 0,
        (false, true) => remote::MAX_SIZE,
        (false, false) => args.limit,
    };
    let request = RemoteRequest { query: &query, filters, size };
    let per_file = if args.files { 1 } else { args.per_file };
    let found = remote::search(&url, super::export::engine(args.engine), &request, per_file)?;
    let corpus = config::resolve_paths(location, None).map(|p| p.corpus).unwrap_or_default();
    let result = SearchResult {
        hits: found.hits,
        total: Some(found.total),
        files: found.files,
        prepared: query,
        ..SearchResult::default()
    };
    let mut out = BufWriter::new(io::stdout().lock());
    print(&mut out, args, &result, &PathDisplay::new(&corpus))?;
    out.flush()?;
    Ok(if result.found() { Status::Success } else { Status::NoHits })
}

/// Runs every query line of `file` against the one opened index.
fn run_batch<W: Write>(
    engine: &Engine,
    args: &SearchArgs,
    filters: &Filters,
    file: &std::path::Path,
    display: &PathDisplay,
    out: &mut W,
) -> Result<Status> {
    let source = file.display().to_string();
    let reader: Box<dyn BufRead> = if source == "-" {
        Box::new(BufReader::new(io::stdin().lock()))
    } else {
        let opened =
            File::open(file).with_context(|| format!("cannot open batch file {source}"))?;
        Box::new(BufReader::new(opened))
    };
    let (mut found, mut errored) = (false, false);
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read batch file {source}"))?;
        let query = line.trim();
        if query.is_empty() || query.starts_with('#') {
            continue;
        }
        let tag = BatchTag { query, query_line: i + 1 };
        let result = match engine
            .run(&request(args, filters, query.to_string()), filters.queries(engine.fields()))
        {
            Ok(result) => result,
            Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::BadQuery { .. })) => {
                eprintln!("lede: {source}:{}: {err:#}", i + 1);
                errored = true;
                continue;
            }
            Err(err) => return Err(err),
        };
        report_suggestion(&result, query, Some(tag));
        found |= result.found();
        let corrected = result.corrected_query.as_deref();
        if args.count {
            let files = result.files.unwrap_or(0);
            let total = result.total.unwrap_or(0);
            render::summary::write_count(out, total, files, true, Some(tag), corrected)?;
        } else {
            let tagged = render::json::Tagged {
                batch: Some(tag),
                corrected,
                explanations: &result.explanations,
            };
            render::json::write_hits_with(out, &result.hits, display, &tagged)?;
        }
    }
    Ok(match (errored, found) {
        (true, _) => Status::Error,
        (false, true) => Status::Success,
        (false, false) => Status::NoHits,
    })
}

/// The correction searched instead of `query`, which found nothing, or
/// else "did you mean", on stderr before any hit; batch lines say their
/// line number.
fn report_suggestion(result: &SearchResult, query: &str, tag: Option<BatchTag>) {
    let line = tag.map(|t| format!("line {}: ", t.query_line)).unwrap_or_default();
    if let Some(corrected) = &result.corrected_query {
        eprintln!("lede: {line}showing results for {corrected}; no passage matches {query}");
    }
    if let Some(suggestion) = &result.suggestion {
        eprintln!("lede: {line}no passage matches; did you mean: {suggestion}");
    }
}
