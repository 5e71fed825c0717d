//! `lede search`: ranked passages in human or JSON form.

use std::io::{self, BufWriter, Write};

use anyhow::Result;

use super::index::{index_corpus, print_event, summary};
use super::Status;
use crate::cli::{Location, SearchArgs};
use crate::config::{self, PathDisplay};
use crate::error::Error;
use crate::index::update::{self, UpdateOptions};
use crate::index::LedeIndex;
use crate::render;
use crate::search::{self, SearchRequest};

pub fn run(location: &Location, args: &SearchArgs) -> Result<Status> {
    let paths = config::resolve_paths(location, None)?;
    let index = match LedeIndex::open(&paths.index) {
        Ok(index) => {
            if !args.no_refresh {
                refresh(&index);
            }
            index
        }
        Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::IndexMissing(_))) => {
            eprintln!(
                "lede: no index for {} yet, building it in {}",
                paths.corpus.display(),
                paths.index.display()
            );
            let report = index_corpus(&paths, &UpdateOptions::default())?;
            eprintln!("lede: {}", summary(&report, false));
            LedeIndex::open(&paths.index)?
        }
        Err(err) => return Err(err),
    };
    let request =
        SearchRequest { query: args.query.join(" "), limit: args.limit, per_file: args.per_file };
    let result = search::run(&index, &request, Vec::new())?;
    let display = PathDisplay::new(&index.manifest.corpus);
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    if args.json {
        render::json::write_hits(&mut out, &result.hits, &display)?;
    } else {
        render::human::write_hits(&mut out, &result.hits, &display, config::use_color(args.color))?;
    }
    out.flush()?;
    Ok(if result.hits.is_empty() { Status::NoHits } else { Status::Success })
}

/// The freshness check: when the folder changed since the last commit
/// (stat only, no file read), update the index before searching. Never fails
/// the search: when the update cannot run (another process is writing, the
/// index folder is read-only), the last commit is searched.
fn refresh(index: &LedeIndex) {
    match update::is_stale(index) {
        Ok(false) => return,
        Ok(true) => {}
        Err(err) => {
            eprintln!("lede: warning: cannot check the corpus for changes: {err:#}");
            return;
        }
    }
    let options = UpdateOptions { skip_failed: true, ..UpdateOptions::default() };
    match update::update(index, &options, &mut |event| print_event(index, event)) {
        Ok(report) => {
            let changes = report.added.len() + report.updated.len() + report.removed.len();
            if changes > 0 {
                eprintln!("lede: index updated: {}", summary(&report, false));
            }
        }
        Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::IndexBusy(_))) => eprintln!(
            "lede: note: the index is being updated by another lede process; \
             searching its last commit"
        ),
        Err(err) => {
            eprintln!("lede: warning: cannot update the index: {err:#}; searching its last commit")
        }
    }
}
