//! Turns raw command-line arguments into validated settings, once. Nothing
//! below this module sees clap types. This file resolves where the corpus
//! and index are; [`SearchConfig`] (with its [`OutputFormat`]),
//! [`EntitiesConfig`], [`DatesConfig`], the [`filters`] they share and the
//! [`Target`]s of `lede show` have a module each.

use std::env;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

use crate::cli::{ColorChoice, JsonKeyArgs, Location};
use crate::index::manifest::Manifest;
use crate::read::json::JsonKeys;

mod counts;
mod filters;
mod search;
mod target;

pub(crate) use counts::{DatesConfig, EntitiesConfig};
pub(crate) use filters::{filters, FilterOptions};
pub(crate) use search::{batch_query, engine, Order, OutputFormat, SearchConfig, Source};
pub(crate) use target::{corpus_relative, parse_target, At, Target};

pub(crate) use crate::index::{Paths, INDEX_DIR_NAME};
/// The bundled corpus, relative to the current directory.
pub(crate) const DEFAULT_CORPUS: &str = "data/corpus";

pub(crate) use crate::search::{DEFAULT_LIMIT, DEFAULT_PER_FILE};

/// The JSON key names the options chose; `None` when none was given.
pub(crate) fn json_keys(args: &JsonKeyArgs) -> Option<JsonKeys> {
    let keys = JsonKeys {
        text: args.json_text.clone(),
        title: args.json_title.clone(),
        date: args.json_date.clone(),
        url: args.json_url.clone(),
    };
    (!keys.is_usual()).then_some(keys)
}

/// Resolves where the corpus and index are. `positional` is a corpus given
/// as a bare argument (it wins over `--corpus`/`LEDE_CORPUS`).
pub(crate) fn resolve_paths(location: &Location, positional: Option<&Path>) -> Result<Paths> {
    let (paths, corpus_exists) = resolve(location, positional)?;
    if !corpus_exists {
        bail!("{}", missing_recorded_corpus(&paths));
    }
    Ok(paths)
}

/// [`resolve_paths`] for the commands that only read the index: when the
/// corpus recorded in the index is gone, `refresh` off searches the index as
/// it is (with a warning) instead of failing.
pub(crate) fn resolve_paths_for_reading(location: &Location, refresh: bool) -> Result<Paths> {
    let (paths, corpus_exists) = resolve(location, None)?;
    if !corpus_exists {
        let problem = missing_recorded_corpus(&paths);
        if refresh {
            bail!("{problem}");
        }
        eprintln!(
            "lede: warning: the corpus folder {} is gone; searching the index as it is",
            paths.corpus.display()
        );
    }
    Ok(paths)
}

fn missing_recorded_corpus(paths: &Paths) -> String {
    format!(
        "the corpus folder {} recorded in the index at {} does not exist: pass --corpus DIR if it \
         moved, or --no-refresh to search the index as it is",
        paths.corpus.display(),
        paths.index.display()
    )
}

/// The corpus and index, and whether the corpus folder exists (it may be
/// gone only when it was read from an index's manifest).
fn resolve(location: &Location, positional: Option<&Path>) -> Result<(Paths, bool)> {
    let index = location.index.as_deref().map(absolute).transpose()?;
    let named = positional.or(location.corpus.as_deref());
    let corpus = match (named, &index) {
        (Some(dir), _) => dir.to_path_buf(),
        (None, Some(index)) => {
            if index.exists() && !index.is_dir() {
                bail!("--index {} is a file: pass the index folder", index.display());
            }
            let Some(manifest) = Manifest::read(index)? else {
                bail!("{}", no_index_in(index));
            };
            if !manifest.corpus.is_dir() {
                let paths = Paths { corpus: manifest.corpus, index: index.clone() };
                return Ok((paths, false));
            }
            manifest.corpus
        }
        (None, None) => default_corpus()?,
    };
    if !corpus.is_dir() {
        if corpus.exists() {
            bail!("corpus {} is not a folder: pass a folder of articles", corpus.display());
        }
        bail!(
            "corpus folder {} does not exist: pass a folder of articles (--corpus DIR)",
            corpus.display()
        );
    }
    let corpus = corpus
        .canonicalize()
        .with_context(|| format!("cannot resolve the corpus folder {}", corpus.display()))?;
    let index = index.unwrap_or_else(|| corpus.join(INDEX_DIR_NAME));
    Ok((Paths { corpus, index }, true))
}

/// Why `--index DIR` names no index, and what to do.
fn no_index_in(index: &Path) -> String {
    let state = match std::fs::read_dir(index).map(|mut entries| entries.next().is_none()) {
        Err(_) => "the folder does not exist",
        Ok(true) => "the folder is empty",
        Ok(false) => "the folder holds no lede index",
    };
    // `--index news` for the corpus folder whose index is `news/.lede`.
    let inside = index.join(INDEX_DIR_NAME);
    if Manifest::read(&inside).ok().flatten().is_some() {
        return format!(
            "no lede index at {} (it is a corpus folder): its index is {}; pass --index {} or \
             --corpus {}",
            index.display(),
            inside.display(),
            inside.display(),
            index.display()
        );
    }
    format!(
        "no lede index at {} ({state}): build one with `lede --index {} index CORPUS`",
        index.display(),
        index.display()
    )
}

/// The corpus when none is named: the nearest folder, from the current one
/// up, that holds a lede index (as git finds `.git`), else the bundled
/// `data/corpus` of a repository checkout.
fn default_corpus() -> Result<PathBuf> {
    let cwd = env::current_dir().context("cannot read the current folder")?;
    if let Some(corpus) = enclosing_corpus(&cwd) {
        return Ok(corpus);
    }
    let bundled = cwd.join(DEFAULT_CORPUS);
    if bundled.is_dir() {
        return Ok(bundled);
    }
    bail!(
        "no lede index in {} or any folder above it: index a folder of articles with \
         `lede index DIR`, then search from inside it (or pass --corpus DIR)",
        cwd.display()
    )
}

/// The nearest of `start` and its parents that holds an index (`.lede` with
/// a manifest).
pub(crate) fn enclosing_corpus(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .find(|dir| dir.join(INDEX_DIR_NAME).join(crate::index::manifest::FILE_NAME).is_file())
        .map(Path::to_path_buf)
}

/// Makes a path absolute without requiring it to exist.
fn absolute(path: &Path) -> Result<PathBuf> {
    std::path::absolute(path).with_context(|| format!("cannot resolve {}", path.display()))
}

/// Whether to colour output, given the user's choice and the environment.
pub(crate) fn use_color(choice: ColorChoice) -> bool {
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            env::var_os("NO_COLOR").is_none_or(|v| v.is_empty()) && std::io::stdout().is_terminal()
        }
    }
}

/// Shows files of the corpus to the user: relative to the current directory
/// when they are inside it, absolute otherwise.
#[derive(Clone, Debug)]
pub(crate) struct PathDisplay {
    corpus: PathBuf,
    cwd: Option<PathBuf>,
}

impl PathDisplay {
    pub(crate) fn new(corpus: &Path) -> PathDisplay {
        let cwd = env::current_dir().ok().and_then(|cwd| cwd.canonicalize().ok());
        PathDisplay { corpus: corpus.to_path_buf(), cwd }
    }

    /// The path of corpus file `rel` as the user can open it from here.
    pub(crate) fn show(&self, rel: &str) -> String {
        let full = self.corpus.join(rel);
        let shown = match &self.cwd {
            Some(cwd) => full.strip_prefix(cwd).unwrap_or(&full),
            None => &full,
        };
        shown.to_string_lossy().into_owned()
    }
}
