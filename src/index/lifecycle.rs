//! An index's life as the commands see it: opened, built when missing,
//! rebuilt when it cannot be read or another lede made it, kept with its
//! corpus, brought up to date. `lede index`, the read-only commands, the
//! watcher and the web server all go through here; what happens is told
//! to an [`Observer`] as typed values, so each front end words and routes
//! it (stderr, the watcher's log) without repeating the decisions.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{bail, Result};

use super::rebuild;
use super::update::{self, Event, UpdateOptions, UpdateReport};
use super::LedeIndex;
use super::{Paths, INDEX_DIR_NAME};
use crate::error::Error;

/// Something the user should hear about, besides update progress.
pub(crate) enum Notice<'a> {
    /// No index yet: one is being built.
    Building { corpus: &'a Path, index: &'a Path },
    /// The index was written by another lede version: rebuilding it.
    Incompatible { dir: &'a Path, found: &'a str },
    /// The index's files are damaged or missing: rebuilding it.
    Unreadable { dir: &'a Path, reason: &'a str },
    /// The index built (or rebuilt) while opening it.
    Built(&'a UpdateReport),
    /// The corpus folder moved; the index inside it follows.
    CorpusMoved { from: &'a Path, to: &'a Path },
}

/// Receives what the lifecycle tells the user.
pub(crate) trait Observer {
    fn notice(&mut self, notice: Notice<'_>);
    /// Progress and per-file warnings of an update.
    fn event(&mut self, event: &Event);
    /// The run is over: progress display can be cleared.
    fn done(&mut self) {}
}

/// Opens (or creates) the index of `paths` and brings it up to date.
/// `--rebuild`, an index that cannot be read, or one another lede version
/// wrote, is built afresh beside the old one and swapped in (the index is
/// derived from the corpus, so no command is left for the user to type).
/// Fails when the corpus has no indexable files.
pub(crate) fn index_corpus(
    paths: &Paths,
    options: &UpdateOptions,
    observer: &mut dyn Observer,
) -> Result<UpdateReport> {
    let report = update_or_rebuild(paths, options, observer);
    observer.done();
    let report = report?;
    let files = report.added.len() + report.updated.len() + report.unchanged;
    if files == 0 && report.failed == 0 {
        bail!(
            "no file lede reads (text, HTML, PDF, DOCX, e-mail, JSON, WARC) in {}: point --corpus at \
             a folder of articles",
            paths.corpus.display()
        );
    }
    Ok(report)
}

fn update_or_rebuild(
    paths: &Paths,
    options: &UpdateOptions,
    observer: &mut dyn Observer,
) -> Result<UpdateReport> {
    let rebuild = |observer: &mut dyn Observer| {
        rebuild::rebuild(&paths.index, &paths.corpus, options, &mut |event| observer.event(event))
    };
    let err = match LedeIndex::open(&paths.index) {
        Ok(mut index) => {
            check_corpus(&mut index, paths, observer)?;
            if options.rebuild && !options.dry_run {
                drop(index);
                return rebuild(observer);
            }
            rebuild::remove_leftovers(&paths.index);
            return update::update(&index, options, &mut |event| observer.event(event));
        }
        Err(err) => err,
    };
    match err.downcast_ref::<Error>() {
        Some(Error::IndexMissing(_)) if options.dry_run => {
            dry_run_without_index(paths, options, observer)
        }
        Some(Error::IndexMissing(_)) => {
            let index = LedeIndex::create_new(&paths.index, &paths.corpus)?;
            update::update(&index, options, &mut |event| observer.event(event))
        }
        Some(Error::IndexIncompatible { .. } | Error::IndexUnreadable { .. })
            if options.rebuild && !options.dry_run =>
        {
            rebuild(observer)
        }
        Some(Error::IndexIncompatible { dir, found }) if !options.dry_run => {
            observer.notice(Notice::Incompatible { dir, found });
            rebuild(observer)
        }
        Some(Error::IndexUnreadable { dir, reason }) if !options.dry_run => {
            observer.notice(Notice::Unreadable { dir, reason });
            rebuild(observer)
        }
        _ => Err(err),
    }
}

/// A dry run with no index yet: every file would be added.
fn dry_run_without_index(
    paths: &Paths,
    options: &UpdateOptions,
    observer: &mut dyn Observer,
) -> Result<UpdateReport> {
    let dir = tempfile::tempdir()?;
    let index = LedeIndex::create(dir.path(), &paths.corpus)?;
    update::update(&index, options, &mut |event| observer.event(event))
}

/// An opened index, and whether opening it built it.
pub(crate) struct Opened {
    pub index: LedeIndex,
    pub built: bool,
}

/// Opens the index of `paths`, building it first when there is none. With
/// `repair`, an index that cannot be read or that another lede version
/// wrote is rebuilt too; without it (the user asked for no indexing) that
/// is the error. `options` are those of a build.
pub(crate) fn open_or_build(
    paths: &Paths,
    repair: bool,
    options: &UpdateOptions,
    observer: &mut dyn Observer,
) -> Result<Opened> {
    let err = match LedeIndex::open(&paths.index) {
        Ok(mut index) => {
            check_corpus(&mut index, paths, observer)?;
            return Ok(Opened { index, built: false });
        }
        Err(err) => err,
    };
    match err.downcast_ref::<Error>() {
        Some(Error::IndexMissing(_)) => {
            observer.notice(Notice::Building { corpus: &paths.corpus, index: &paths.index });
        }
        Some(Error::IndexIncompatible { .. } | Error::IndexUnreadable { .. }) if repair => {}
        _ => return Err(err),
    }
    let report = index_corpus(paths, options, observer)?;
    observer.notice(Notice::Built(&report));
    Ok(Opened { index: LedeIndex::open(&paths.index)?, built: true })
}

/// Makes sure the index belongs to the corpus asked for. An index inside its
/// corpus folder (`CORPUS/.lede`) follows the folder when it is moved or
/// renamed; any other mismatch is an error, so a search never quietly runs
/// against another corpus.
pub(crate) fn check_corpus(
    index: &mut LedeIndex,
    paths: &Paths,
    observer: &mut dyn Observer,
) -> Result<()> {
    if index.manifest.corpus == paths.corpus {
        return Ok(());
    }
    if paths.index == paths.corpus.join(INDEX_DIR_NAME) {
        observer.notice(Notice::CorpusMoved { from: &index.manifest.corpus, to: &paths.corpus });
        index.manifest.corpus = paths.corpus.clone();
        return index.manifest.write(&index.dir);
    }
    bail!(
        "the index at {} belongs to the corpus {}, not {}: pass --index for another folder",
        paths.index.display(),
        index.manifest.corpus.display(),
        paths.corpus.display()
    )
}

/// How bringing an index up to date went. Never an error for the caller
/// to propagate: a search or a server goes on with the last commit.
pub(crate) enum Freshened {
    /// Nothing changed in the folder.
    Current,
    /// The update ran (`committed` says whether it wrote anything).
    Updated(UpdateReport),
    /// Another process holds the writer; its last commit stands.
    Busy,
    /// The folder could not be checked for changes.
    CheckFailed(anyhow::Error),
    /// The update failed; the last commit stands.
    Failed(anyhow::Error),
}

/// Applies the folder's changes to the index (a freshness update: no
/// waiting for another writer); with `only`, the changes of those paths
/// (relative to the corpus), without walking the folder.
pub(crate) fn apply_changes(
    index: &LedeIndex,
    only: Option<Arc<BTreeSet<String>>>,
    events: &mut dyn FnMut(&Event),
) -> Freshened {
    let options = UpdateOptions { only, ..UpdateOptions::freshness() };
    match update::update(index, &options, events) {
        Ok(report) => Freshened::Updated(report),
        Err(err) if matches!(err.downcast_ref::<Error>(), Some(Error::IndexBusy(_))) => {
            Freshened::Busy
        }
        Err(err) => Freshened::Failed(err),
    }
}

/// The freshness check: when the folder changed since the last commit
/// (stat only, no file read), the changes are applied. Returns the outcome
/// and how long the check (the walk) took.
pub(crate) fn refresh_if_stale(
    index: &LedeIndex,
    events: &mut dyn FnMut(&Event),
) -> (Freshened, Duration) {
    let started = Instant::now();
    let stale = update::is_stale(index);
    let walk = started.elapsed();
    let outcome = match stale {
        Ok(false) => Freshened::Current,
        Ok(true) => apply_changes(index, None, events),
        Err(err) => Freshened::CheckFailed(err),
    };
    (outcome, walk)
}
