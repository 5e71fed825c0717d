//! Searches a running watcher answers itself. The watcher keeps its index
//! open, with its columns read and its pages mapped, so a search it runs
//! skips what a fresh process pays for every search: opening the index
//! and faulting in the pages it reads (about half of a search's time at
//! Reuters x20). The client sends the search as JSON, the watcher runs it
//! on its last commit (after a sync, unless the search asked for none)
//! and answers with the result, which the client prints as its own.
//! Whatever goes wrong, the client searches the index itself.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Searcher;

use super::socket::{self, Kind, Unanswered};
use crate::extract::language;
use crate::index::LedeIndex;
use crate::search::filters::Filters;
use crate::search::{Engine, SearchRequest, SearchResult};

/// What a client asks the watcher to search.
#[derive(Debug, Serialize, Deserialize)]
struct Question {
    request: SearchRequest,
    filters: Filters,
    /// [`Filters::lang`], which the serde form of filters leaves out.
    lang: Option<String>,
}

/// The watcher's answer: the result, and the corpus its paths are under.
#[derive(Debug, Serialize, Deserialize)]
struct Answer {
    corpus: PathBuf,
    result: SearchResult,
}

/// What became of a served search.
#[derive(Debug)]
pub(crate) enum Served {
    /// The watcher searched: the corpus its paths are under, and the result.
    Answered { corpus: PathBuf, result: Box<SearchResult> },
    /// The watcher did not answer in time.
    Late,
    /// No watcher runs, it could not search, or it is of another version
    /// of lede: the client searches itself (and syncs as without this).
    SearchHere,
}

/// Asks the watcher of the index in `index_dir` to run `request` with
/// `filters`, after applying every change made before (`refresh`) or on
/// its last commit.
pub(crate) fn search(
    index_dir: &Path,
    request: &SearchRequest,
    filters: &Filters,
    refresh: bool,
) -> Served {
    let lang = filters.lang.map(str::to_string);
    let question = Question { request: request.clone(), filters: filters.clone(), lang };
    let Ok(payload) = serde_json::to_string(&question) else {
        return Served::SearchHere;
    };
    let kind = if refresh { Kind::Search } else { Kind::SearchLast };
    match socket::ask_with(&super::socket_path(index_dir), kind, &payload, super::sync_wait()) {
        Ok(line) => {
            let answer = line.strip_prefix("result ").map(serde_json::from_str::<Answer>);
            match answer {
                Some(Ok(Answer { corpus, result })) => {
                    Served::Answered { corpus, result: Box::new(result) }
                }
                _ => Served::SearchHere,
            }
        }
        Err(Unanswered::Late) => Served::Late,
        Err(Unanswered::NoWatcher | Unanswered::Broken(_)) => Served::SearchHere,
    }
}

/// What tells one commit of an index from another: `meta.json`'s file
/// (tantivy replaces it on every commit) and modification time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct CommitStamp {
    inode: u64,
    device: u64,
    modified: Option<std::time::SystemTime>,
}

impl CommitStamp {
    /// The stamp of the last commit in `index_dir`, if it can be read.
    pub(crate) fn read(index_dir: &Path) -> Option<CommitStamp> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::metadata(index_dir.join("meta.json")).ok()?;
        Some(CommitStamp { inode: meta.ino(), device: meta.dev(), modified: meta.modified().ok() })
    }
}

/// Whether a reader that saw `seen` must reload to see the last commit,
/// noting the commit it will see. A reload opens every segment again and
/// drops the searcher's store cache, which would cost a served search
/// more than its own work; an unreadable stamp always reloads.
pub(crate) fn must_reload(index_dir: &Path, seen: &mut Option<CommitStamp>) -> bool {
    let now = CommitStamp::read(index_dir);
    let changed = now.is_none() || now != *seen;
    *seen = now;
    changed
}

/// Runs the question in `payload` on `searcher` (the watcher's side): the
/// answer line.
pub(crate) fn answer(index: &LedeIndex, searcher: Searcher, payload: &str) -> String {
    let question: Question = match serde_json::from_str(payload) {
        Ok(question) => question,
        Err(err) => return format!("failed: unreadable search: {err}"),
    };
    let mut filters = question.filters;
    if let Some(lang) = question.lang {
        let Some(code) = language::parse(&lang) else {
            return format!("failed: unknown language {lang:?}");
        };
        filters.lang = Some(code);
    }
    let engine = Engine::with_searcher(index, searcher);
    let filters = filters.queries(engine.fields());
    let answered = engine.run(&question.request, filters).and_then(|result| {
        let answer = Answer { corpus: index.manifest.corpus.clone(), result };
        Ok(serde_json::to_string(&answer)?)
    });
    match answered {
        Ok(json) => format!("result {json}"),
        Err(err) => format!("failed: {err:#}"),
    }
}
