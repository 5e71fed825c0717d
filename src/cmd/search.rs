//! `lede search`: the options become a [`SearchConfig`]; one query, a batch
//! of them or a remote engine is searched; a printer for its output format
//! prints the hits.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::Path;

use anyhow::{bail, Context, Result};

use super::open::{late_watcher, open_resolved, trace};
use super::Status;
use crate::cli::{Location, SearchArgs};
use crate::config::{self, PathDisplay, Paths, SearchConfig, Source};
use crate::error::Error;
use crate::export::http::Url;
use crate::export::{remote, Engine as RemoteEngine};
use crate::index::LedeIndex;
use crate::render::json::BatchTag;
use crate::render::{self, summary};
use crate::search::explain::analyse_query;
use crate::search::{Engine, SearchResult};
use crate::watch::{self, served::Served};

pub(super) fn run(location: &Location, args: &SearchArgs) -> Result<Status> {
    if let Some(document) = &args.copies {
        return super::copies::run(location, document, args.json, !args.no_refresh);
    }
    let config = SearchConfig::from_args(location, args)?;
    let index = match &config.source {
        Source::Local { location, refresh } => match local(&config, location, *refresh)? {
            Some(index) => index,
            // The watcher answered; its hits are printed.
            None => return Ok(Status::Success),
        },
        Source::Remote { url, engine, location } => {
            return run_remote(&config, url, *engine, location)
        }
        Source::Held => bail!("no index to search: name a corpus or an index"),
    };
    let engine = Engine::new(&index)?;
    let display = PathDisplay::new(&index.manifest.corpus);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let status = match &config.batch {
        Some(file) => run_batch(&engine, &config, file, &display, &mut out)?,
        None => run_one(&engine, &config, &display, &mut out)?,
    };
    out.flush()?;
    Ok(status)
}

/// Hits a served search may ask for: a longer list is searched here, since
/// the watcher builds its whole answer in memory and the search waits for
/// it no longer than for a sync.
const MAX_SERVED_HITS: usize = 1_000;

/// Has the index's running watcher answer a single search, when it can
/// ([`crate::watch::served`]), and prints its hits (`None`); otherwise
/// opens the index to search here.
fn local(config: &SearchConfig, location: &Location, refresh: bool) -> Result<Option<LedeIndex>> {
    let paths = config::resolve_paths_for_reading(location, refresh)?;
    let served = match config.batch {
        None => served(config, &paths, refresh),
        Some(_) => Served::SearchHere,
    };
    Ok(match served {
        Served::Answered { corpus, result } => {
            summary::write_suggestion(&mut io::stderr().lock(), &result, &config.query, None)?;
            let mut out = BufWriter::new(io::stdout().lock());
            print(config, &result, &PathDisplay::new(&corpus), &mut out)?;
            out.flush()?;
            None
        }
        // The last commit is searched here, with the note a late sync gets.
        Served::Late => {
            if refresh {
                late_watcher();
            }
            Some(open_resolved(&paths, false)?)
        }
        Served::SearchHere => Some(open_resolved(&paths, refresh)?),
    })
}

/// Asks the index's running watcher to search (see [`crate::watch::served`]).
/// A search that matched nothing is searched here again, for the notes on
/// filters that only the index can give.
fn served(config: &SearchConfig, paths: &Paths, refresh: bool) -> Served {
    let request = config.request(config.query.clone());
    if request.limit > MAX_SERVED_HITS {
        return Served::SearchHere;
    }
    let served = watch::served::search(&paths.index, &request, &config.filters, refresh);
    match served {
        Served::Answered { ref result, .. } if !result.found() => Served::SearchHere,
        Served::Answered { .. } if refresh => {
            trace("watcher (search served)");
            served
        }
        served => served,
    }
}

fn run_one<W: Write>(
    engine: &Engine,
    config: &SearchConfig,
    display: &PathDisplay,
    out: &mut W,
) -> Result<Status> {
    let query = &config.query;
    let filters = config.filters.queries(engine.fields());
    let result = engine.run(&config.request(query.clone()), filters)?;
    summary::write_suggestion(&mut io::stderr().lock(), &result, query, None)?;
    if !result.found() {
        let explained =
            super::report_unmatched_filters(engine.searcher(), engine.fields(), &config.filters)?;
        // Otherwise an empty result prints nothing at all; a count says 0.
        let said = explained || result.suggestion.is_some() || result.corrected_query.is_some();
        if !said && !config.format.counts() {
            eprintln!("lede: no passage matches");
        }
    }
    print(config, &result, display, out)?;
    Ok(if result.found() { Status::Success } else { Status::NoHits })
}

/// Prints one search's result in the config's format (local and remote
/// searches alike).
fn print<W: Write>(
    config: &SearchConfig,
    result: &SearchResult,
    display: &PathDisplay,
    out: &mut W,
) -> Result<()> {
    let analysis = config.format.shows_analysis().then(|| analyse_query(result));
    let mut printer = render::printer(config.format, display, out);
    let sort = config.sort(&config.query);
    render::print_result(&mut *printer, result, sort, analysis.as_ref(), None)?;
    Ok(())
}

/// `--remote URL`: the query translated to the engine's DSL, its hits
/// printed like local ones (paths shown under the local corpus, if any).
fn run_remote(
    config: &SearchConfig,
    url: &Url,
    engine: RemoteEngine,
    location: &Location,
) -> Result<Status> {
    let (request, per_file) = config.remote_request();
    let found = remote::search(url, engine, &request, per_file)?;
    let corpus = config::resolve_paths(location, None).map(|p| p.corpus).unwrap_or_default();
    let result = SearchResult {
        hits: found.hits,
        total: Some(found.total),
        files: found.files,
        prepared: config.query.clone(),
        ..SearchResult::default()
    };
    let mut out = BufWriter::new(io::stdout().lock());
    print(config, &result, &PathDisplay::new(&corpus), &mut out)?;
    out.flush()?;
    Ok(if result.found() { Status::Success } else { Status::NoHits })
}

/// Runs every query line of `file` against the one opened index.
fn run_batch<W: Write>(
    engine: &Engine,
    config: &SearchConfig,
    file: &Path,
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
    let mut printer = render::printer(config.format, display, out);
    let (mut found, mut errored) = (false, false);
    for (i, line) in reader.lines().enumerate() {
        let line = line.with_context(|| format!("cannot read batch file {source}"))?;
        let Some(query) = config::batch_query(&line) else { continue };
        let request = config.request(query.to_string());
        let result = match engine.run(&request, config.filters.queries(engine.fields())) {
            Ok(result) => result,
            Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::BadQuery { .. })) => {
                eprintln!("lede: {source}:{}: {err:#}", i + 1);
                errored = true;
                continue;
            }
            Err(err) => return Err(err),
        };
        summary::write_suggestion(&mut io::stderr().lock(), &result, query, Some(i + 1))?;
        found |= result.found();
        let tag = BatchTag { query, query_line: i + 1 };
        render::print_result(&mut *printer, &result, request.sort, None, Some(tag))?;
    }
    Ok(match (errored, found) {
        (true, _) => Status::Error,
        (false, true) => Status::Success,
        (false, false) => Status::NoHits,
    })
}
