//! Brings an index in step with its corpus folder in one commit.
//!
//! [`plan`](super::plan) compares the folder with the file records (stat
//! only); only the candidates are read, and only those whose content hash
//! differs are split and analysed again. A changed file has all its records
//! replaced, a removed file's records are deleted, and everything is
//! committed once, so a run that dies midway (even `kill -9`) leaves the
//! previous commit intact and the next run finishes the job. Files that
//! cannot be indexed get a record too (marked failed or skipped), so they are
//! reported once rather than on every search.
//!
//! Memory stays flat with the corpus: candidates are pulled by the workers
//! one at a time and prepared files wait in a bounded queue, the report
//! counts files rather than listing them, the writer's budget is fixed, and
//! its merges read segments into buffers rather than mapping them.

use std::collections::BTreeSet;
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use anyhow::{Context, Result};
use tantivy::directory::error::LockError;
use tantivy::indexer::UserOperation;
use tantivy::indexer::{LogMergePolicy, NoMergePolicy};
use tantivy::query::{BooleanQuery, Occur, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Index, IndexWriter, Searcher, TantivyError, Term};

use super::aliases;
use super::indexed::{self, IndexedFile, FAILED_MARK, FAILED_MTIME, SKIPPED_MARK};
use super::plan::{self, Candidate, PlanOptions, Unlisted};
use super::records::{self, EntityNames};
use super::{writer_error, LedeIndex};
use crate::corpus::SourceFile;
use crate::extract::entities::alias_file::{self, AliasFile};
use crate::extract::{self, Annotations, Extractors};
use crate::read::json::JsonKeys;
use crate::read::{self, Format, ReadError, ReadOptions};
use crate::schema::{Fields, KIND_DOC};
use crate::split::Document;

mod freed;
mod unmapped;

use unmapped::UnmappedDirectory;

/// A file modified less than this before the scan started may change again
/// within the same mtime tick, so its record keeps mtime 0 and the next run
/// compares its content hash instead. Two seconds covers the coarsest file
/// systems (FAT); an mtime with a sub-second part shows a fine clock (Linux
/// ticks are at most 10 ms), for which [`FINE_RACY_WINDOW`] is plenty.
const RACY_WINDOW: Duration = Duration::from_secs(2);
const FINE_RACY_WINDOW: Duration = Duration::from_millis(100);

/// Memory of each tantivy indexing thread before it writes a segment
/// (about 105,000 Reuters paragraphs). Fixed, whatever the corpus size;
/// larger budgets only mean fewer, larger segments to merge.
const WRITER_BUDGET: usize = 64_000_000;

/// How often a `--wait` run tries the writer lock again.
const LOCK_RETRY: Duration = Duration::from_millis(200);

/// What the caller asked for.
#[derive(Clone, Debug, Default)]
pub struct UpdateOptions {
    /// Drop every record and index all files again (in the same commit).
    pub(crate) rebuild: bool,
    /// Work out the plan (reading and hashing changed files) but write nothing.
    pub(crate) dry_run: bool,
    /// Analysis threads; 0 means one per core.
    pub(crate) threads: usize,
    /// Wait for another process's update to finish instead of failing with
    /// [`crate::error::Error::IndexBusy`].
    pub(crate) wait: bool,
    /// Leave files that could not be read last time alone unless they
    /// change (the search freshness check); `lede index` tries them again.
    pub(crate) skip_failed: bool,
    /// Which extractors annotate changed files.
    pub(crate) extractors: Extractors,
    /// Leave the record of a file whose content is as indexed alone even
    /// when its size or mtime moved (a touch, or a file written too close
    /// to the last run for its mtime to count): the search freshness check
    /// and the watcher must not rewrite what did not change, since every
    /// rewrite leaves a deleted document that shifts BM25 statistics until
    /// a merge. Such a file is compared by hash again next time.
    pub(crate) keep_unchanged_records: bool,
    /// Keep the paths of added, updated and removed files in the report
    /// (a dry run prints them); otherwise they are only counted, so a first
    /// build of a large corpus does not hold every path until it ends.
    pub(crate) list_paths: bool,
    /// JSON key names to read JSON files with, recorded in the index's
    /// manifest once the run commits; `None` uses those the manifest holds.
    pub(crate) json_keys: Option<JsonKeys>,
    /// Warn only about walk problems (broken links, loops) the last update
    /// did not already report (the search freshness check and the watcher);
    /// `lede index` reports them all.
    pub(crate) quiet_known_problems: bool,
    /// The user's entity corrections: [`update`] reads the alias file and
    /// puts its rules here for the analysis threads.
    pub(crate) aliases: Arc<AliasFile>,
    /// Look only at these paths (relative to the corpus) rather than walk
    /// the folder: a watcher knows what changed. A folder among them makes
    /// the run walk after all.
    pub(crate) only: Option<Arc<BTreeSet<String>>>,
}

impl UpdateOptions {
    /// How this run reads a file.
    fn read_options(&self) -> ReadOptions {
        ReadOptions {
            json_keys: self.json_keys.clone().unwrap_or_default(),
            ..ReadOptions::default()
        }
    }

    /// The updates that keep an index fresh behind the user's back (the
    /// search freshness check, the watcher): files that failed stay as they
    /// are unless they change, and unchanged files are not re-recorded.
    pub(crate) fn freshness() -> UpdateOptions {
        UpdateOptions {
            skip_failed: true,
            keep_unchanged_records: true,
            quiet_known_problems: true,
            ..UpdateOptions::default()
        }
    }
}

/// Something worth telling the user about one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Notice {
    pub(crate) path: String,
    pub(crate) message: String,
    /// True when the file could not be indexed (the run then exits 2).
    pub(crate) failed: bool,
}

/// What happens during a run, as it happens.
#[derive(Debug)]
pub enum Event<'a> {
    /// A warning or per-file error; the run goes on.
    Notice(&'a Notice),
    /// Another process holds the writer lock; this run waits (`--wait`).
    Waiting,
    /// This many new or changed files are about to be read.
    Reading(usize),
    /// One more of those files has been read and handled.
    Read,
    /// Everything is read; the commit (and segment merging) starts.
    Committing,
}

/// What a run did (or, with `dry_run`, would do).
#[derive(Clone, Debug, Default)]
pub struct UpdateReport {
    pub(crate) added: Changes,
    pub(crate) updated: Changes,
    pub(crate) removed: Changes,
    /// Files whose size and mtime, or content, are as indexed.
    pub(crate) unchanged: usize,
    /// Unchanged files whose record was rewritten for a new size or mtime.
    pub(crate) refreshed: usize,
    /// Paragraphs written (titles included).
    pub(crate) paragraphs: usize,
    /// Bytes of text read and analysed.
    pub(crate) bytes: u64,
    pub(crate) failed: usize,
    /// Files that are not articles (binary, oversized), left out.
    pub(crate) skipped: usize,
    /// Documents read and skipped, per format, among the files read.
    pub(crate) formats: std::collections::BTreeMap<Format, FormatCounts>,
    pub(crate) elapsed: Duration,
    /// True when the run wrote a commit.
    pub(crate) committed: bool,
}

impl UpdateReport {
    fn listing(list_paths: bool) -> UpdateReport {
        UpdateReport {
            added: Changes::new(list_paths),
            updated: Changes::new(list_paths),
            removed: Changes::new(list_paths),
            ..UpdateReport::default()
        }
    }
}

/// Documents of one format a run read or left out (a file that failed or
/// was skipped counts as one document skipped).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct FormatCounts {
    pub(crate) read: usize,
    pub(crate) skipped: usize,
}

/// Files of one kind of change: always counted, their paths kept only when
/// [`UpdateOptions::list_paths`] asks for them.
#[derive(Clone, Debug, Default)]
pub(crate) struct Changes {
    count: usize,
    /// Sorted once the run ends; `None` when not asked for.
    paths: Option<Vec<String>>,
}

impl Changes {
    fn new(list_paths: bool) -> Changes {
        Changes { count: 0, paths: list_paths.then(Vec::new) }
    }

    pub(crate) fn len(&self) -> usize {
        self.count
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// The paths, sorted; empty unless they were asked for.
    pub(crate) fn paths(&self) -> &[String] {
        self.paths.as_deref().unwrap_or_default()
    }

    fn push(&mut self, path: String) {
        self.count += 1;
        if let Some(paths) = &mut self.paths {
            paths.push(path);
        }
    }

    fn sort(&mut self) {
        if let Some(paths) = &mut self.paths {
            paths.sort();
        }
    }
}

/// What the analysis workers hand back for one file.
enum Outcome {
    /// New content, split and ready to write.
    Ready(Box<Prepared>),
    /// Content hash as indexed: at most the record's size/mtime change.
    SameContent(Box<Prepared>),
    /// Listed by the walk, gone when read.
    Vanished(Candidate),
    /// The message, and the format the file was read as when known.
    Failed(Candidate, String, Option<Format>),
    /// Not an article (binary, oversized): skipped with a warning.
    Skipped(Candidate, String, Option<Format>),
}

struct Prepared {
    candidate: Candidate,
    /// Hash of the previous record (or its failure mark).
    previous_hash: Option<String>,
    hash: String,
    /// What the file was read as; `None` when it was not read again.
    format: Option<Format>,
    /// The documents of the file (one, or one per record or message).
    docs: Vec<Document>,
    /// Per document, one entry per paragraph; empty when the content is
    /// unchanged.
    annotations: Vec<Vec<Annotations>>,
    /// Entity names of the whole file, for its file record.
    names: EntityNames,
    /// The readers' notes, each with the address of its document.
    notes: Vec<(String, String)>,
    /// Documents the reader found but that hold no text (an invalid JSON
    /// line, a broken message of an mbox): counted as skipped.
    skipped_documents: usize,
}

impl Prepared {
    /// A file whose content is as recorded: nothing to read or analyse.
    fn unchanged(
        candidate: Candidate,
        previous_hash: Option<String>,
        hash: String,
        names: EntityNames,
    ) -> Prepared {
        Prepared {
            candidate,
            previous_hash,
            hash,
            format: None,
            docs: Vec::new(),
            annotations: Vec::new(),
            names,
            notes: Vec::new(),
            skipped_documents: 0,
        }
    }
}

/// Updates `index` from its corpus, calling `events` as things happen.
pub fn update(
    index: &LedeIndex,
    options: &UpdateOptions,
    events: &mut dyn FnMut(&Event),
) -> Result<UpdateReport> {
    let started = Instant::now();
    let recorded_keys = &index.manifest.json_keys;
    let json_keys = options.json_keys.clone().unwrap_or_else(|| recorded_keys.clone());
    let keys_changed = json_keys != *recorded_keys;
    let options = &UpdateOptions { json_keys: Some(json_keys), ..options.clone() };
    let mut writer = match options.dry_run {
        true => None,
        false => Some(open_writer(index, options.wait, events)?),
    };
    // Read the records only once the lock is held: they are then the last
    // commit, and nobody else can change them before ours.
    let searcher = index.reader()?.searcher();
    let compact = writes_whole_index(&searcher, options);
    if let Some(writer) = &writer {
        writer.set_merge_policy(match compact {
            // Merging along the way would be redone by the final merge.
            true => Box::new(NoMergePolicy),
            false => Box::new(merge_policy()),
        });
    }
    let (loaded, reanalyse) = alias_changes(index, &searcher, options, events)?;
    let options = &UpdateOptions { aliases: Arc::new(loaded.rules.clone()), ..options.clone() };
    let scan_started = SystemTime::now();
    let plan_options = PlanOptions {
        rebuild: options.rebuild,
        retry_failed: !options.skip_failed,
        reanalyse: Arc::new(reanalyse),
    };
    let targeted = match &options.only {
        Some(only) => plan::plan_paths(index, &searcher, plan_options.clone(), only)?,
        None => None,
    };
    let walked = targeted.is_none();
    let mut plan = match targeted {
        Some(plan) => plan,
        None => plan::plan(index, &searcher, plan_options)?,
    };
    if writer.is_some() {
        // A cache: failing to keep it costs the next walk time, not results.
        let _ = plan.save_listings(&index.dir);
    }
    let scan_started = nanos_since_epoch(scan_started);
    let mut run = Run {
        fields: &index.fields,
        writer: writer.as_ref(),
        scan_started,
        keep_unchanged_records: options.keep_unchanged_records,
        report: UpdateReport::listing(options.list_paths),
        events: &mut *events,
    };
    if options.rebuild {
        if let Some(writer) = run.writer {
            writer.delete_all_documents().context("cannot clear the index")?;
        }
    }
    let known = &index.manifest.walk_problems;
    let mut problems = Vec::new();
    for unlisted in std::mem::take(&mut plan.unlisted) {
        let Unlisted { path, message, failed } = unlisted;
        // A folder that cannot be listed hides files, as an unreadable
        // file does: the run fails (exit 2) and the next one retries it.
        if failed {
            run.report.failed += 1;
        }
        let problem = format!("{path}: {message}");
        if !(options.quiet_known_problems && known.contains(&problem)) {
            run.notice(Notice { path, message, failed });
        }
        problems.push(problem);
    }
    problems.sort();
    for path in std::mem::take(&mut plan.removed) {
        run.delete_file(&path);
        run.report.removed.push(path);
    }
    run.report.unchanged = plan.unchanged;
    if plan.candidates > 0 {
        (run.events)(&Event::Reading(plan.candidates));
    }
    let candidates = plan.into_candidates();
    let mut give_back = freed::Paced::new();
    read_candidates(candidates, &searcher, &index.fields, options, |outcome| {
        run.record(outcome)?;
        (run.events)(&Event::Read);
        give_back.tick();
        Ok(())
    })?;
    let mut report = run.report;
    report.added.sort();
    report.updated.sort();
    report.removed.sort();

    if let Some(mut writer) = writer.take() {
        let changed = options.rebuild
            || !report.added.is_empty()
            || !report.updated.is_empty()
            || !report.removed.is_empty()
            || report.refreshed > 0
            || report.failed > 0
            || report.skipped > 0;
        if changed {
            events(&Event::Committing);
            writer
                .commit()
                .with_context(|| format!("cannot commit the index at {}", index.dir.display()))?;
            report.committed = true;
            if compact {
                freed::give_back();
                merge_into_one_segment(&mut writer).with_context(|| {
                    format!("cannot merge the segments of the index at {}", index.dir.display())
                })?;
            }
        }
        writer.wait_merging_threads().with_context(|| {
            format!("cannot finish merging the index at {}", index.dir.display())
        })?;
        // Recorded only now: a run cut short leaves the keys the index's
        // records were read with.
        let mut manifest = index.manifest.clone();
        if keys_changed {
            manifest.json_keys = options.json_keys.clone().unwrap_or_default();
        }
        // Only a walk sees every problem; a targeted run keeps the list.
        if walked {
            manifest.walk_problems = problems;
        }
        if manifest != index.manifest {
            manifest.write(&index.dir)?;
        }
        aliases::record_applied(&index.dir, &loaded)?;
    }
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Reads the alias file, reports its bad lines, and finds the files its
/// edit since the last run affects (none on a rebuild, which reads all).
fn alias_changes(
    index: &LedeIndex,
    searcher: &Searcher,
    options: &UpdateOptions,
    events: &mut dyn FnMut(&Event),
) -> Result<(aliases::Loaded, BTreeSet<String>)> {
    let loaded = aliases::load(index).unwrap_or_else(|err| {
        let path = alias_file::locate(&index.manifest.corpus, &index.dir).unwrap_or_default();
        let why = err.root_cause();
        let message = format!("cannot read it ({why}); the rules of the last update still apply");
        let path = path.display().to_string();
        events(&Event::Notice(&Notice { path, message, failed: false }));
        aliases::applied_file(&index.dir)
    });
    let before = aliases::applied(&index.dir);
    let changed = loaded.rules != before;
    if changed || !options.quiet_known_problems {
        let shown = loaded.path.as_deref().map(|p| p.display().to_string()).unwrap_or_default();
        for bad in &loaded.bad {
            let path = format!("{shown}:{}", bad.line);
            let message = format!("{}; line skipped", bad.message);
            events(&Event::Notice(&Notice { path, message, failed: false }));
        }
    }
    if !changed || options.rebuild {
        return Ok((loaded, BTreeSet::new()));
    }
    let names = loaded.rules.names_changed_from(&before);
    let files = aliases::files_naming(searcher, &index.fields, &names)?;
    Ok((loaded, files))
}

/// Share of a segment's documents that may sit deleted before the segment
/// is merged. BM25 counts deleted documents (document counts, term
/// frequencies, average lengths) until a merge drops them, so many of them
/// make rankings drift from what a fresh index of the same files gives; a
/// few do not, and merging a large segment for them would cost seconds.
const DELETED_SHARE_BEFORE_MERGE: f32 = 0.1;

/// tantivy's log merge policy, which also merges a segment (with the
/// others of its size) once deletes pass [`DELETED_SHARE_BEFORE_MERGE`].
fn merge_policy() -> LogMergePolicy {
    let mut policy = LogMergePolicy::default();
    policy.set_del_docs_ratio_before_merge(DELETED_SHARE_BEFORE_MERGE);
    policy
}

/// Whether this run writes every record of the index: the first build, or
/// `--rebuild`. Such a run ends with one segment ([`merge_into_one_segment`]).
fn writes_whole_index(searcher: &Searcher, options: &UpdateOptions) -> bool {
    !options.dry_run && (options.rebuild || searcher.num_docs() == 0)
}

/// Merges every segment of the last commit into one. A search looks each
/// word up in every segment's dictionaries and maps every segment's files,
/// and one segment stores the same text in less space. Done only after a
/// run that wrote the whole index: later runs add small segments that
/// tantivy's merge policy folds in as they accumulate, and merging
/// everything again for ten changed files would cost seconds.
///
/// At most [`MERGE_FAN_IN`] segments are merged at once: a sorted merge
/// reads each input segment's store through a cache of its own (tantivy's,
/// fifty 128 KiB blocks), so merging all of a large build's segments at
/// once made peak memory grow with the corpus.
fn merge_into_one_segment(writer: &mut IndexWriter) -> tantivy::Result<()> {
    loop {
        let segments = writer.index().searchable_segment_ids()?;
        if segments.len() <= 1 {
            return Ok(());
        }
        for group in segments.chunks(MERGE_FAN_IN).filter(|group| group.len() > 1) {
            writer.merge(group).wait()?;
            freed::give_back();
        }
    }
}

/// Segments one merge reads at most (see [`merge_into_one_segment`]).
const MERGE_FAN_IN: usize = 8;

/// True when the folder differs from the last commit: the freshness check
/// of `lede search`. Stat only, except for files whose size or mtime moved
/// but which have a record: those are settled by hash, as git settles
/// "racily clean" entries, so a file written in the same second as the
/// index (recorded without its mtime) or merely touched does not count as a
/// change and the search writes nothing. Files that could not be read last
/// time do not count unless they changed.
pub(crate) fn is_stale(index: &LedeIndex) -> Result<bool> {
    if aliases::changed(index) {
        return Ok(true);
    }
    let searcher = index.reader()?.searcher();
    let options = PlanOptions::default();
    let plan = plan::plan(index, &searcher, options)?;
    if plan.is_current() {
        return Ok(false);
    }
    if !plan.removed.is_empty() {
        return Ok(true);
    }
    let Some(candidates) = plan.listed() else { return Ok(true) };
    let read_options =
        ReadOptions { json_keys: index.manifest.json_keys.clone(), ..ReadOptions::default() };
    Ok(!candidates
        .iter()
        .all(|candidate| same_content(candidate, &searcher, &index.fields, &read_options)))
}

/// True when `candidate` has a record and its content hashes as recorded
/// (a file that is still not an article counts as such too).
fn same_content(
    candidate: &Candidate,
    searcher: &Searcher,
    fields: &Fields,
    read_options: &ReadOptions,
) -> bool {
    let Some(previous) = candidate.previous else { return false };
    let Ok(recorded) = indexed::stored_hash(searcher, fields, previous.address) else {
        return false;
    };
    if recorded == SKIPPED_MARK {
        return still_skipped(&candidate.file, read_options);
    }
    std::fs::read(&candidate.file.abs).is_ok_and(|bytes| content_hash(&bytes) == recorded)
}

/// Whether a file recorded as skipped would be skipped again: too big for
/// its format, or turned down by its reader.
fn still_skipped(file: &SourceFile, read_options: &ReadOptions) -> bool {
    let named = Format::from_name(&file.rel);
    if named.is_some_and(|format| file.size > format.max_bytes()) {
        return true;
    }
    let Ok(bytes) = std::fs::read(&file.abs) else { return false };
    matches!(read::read_guarded(&file.rel, bytes, read_options), Err((_, ReadError::Skipped(_))))
}

/// Takes the writer lock, waiting for another process if asked to.
fn open_writer(
    index: &LedeIndex,
    wait: bool,
    events: &mut dyn FnMut(&Event),
) -> Result<IndexWriter> {
    let writer_index = writer_index(index)?;
    let threads = tantivy_threads();
    let mut announced = false;
    loop {
        match writer_index.writer_with_num_threads(threads, WRITER_BUDGET * threads) {
            Ok(writer) => return Ok(writer),
            Err(TantivyError::LockFailure(LockError::LockBusy, _)) if wait => {
                if !announced {
                    events(&Event::Waiting);
                    announced = true;
                }
                std::thread::sleep(LOCK_RETRY);
            }
            Err(err) => return Err(writer_error(&index.dir, err)),
        }
    }
}

/// The index opened again for the writer, through [`UnmappedDirectory`]:
/// the segments it merges are read, not mapped, so they do not stay
/// resident while it works.
fn writer_index(index: &LedeIndex) -> Result<Index> {
    let open_error = || format!("cannot open the index at {}", index.dir.display());
    let directory = UnmappedDirectory::open(&index.dir).with_context(open_error)?;
    let writer_index = Index::open(directory).with_context(open_error)?;
    crate::analysis::register(writer_index.tokenizers());
    Ok(writer_index)
}

/// Prepared files waiting for the writer. Bounded, like the candidates
/// (pulled one at a time), so memory holds only the files in flight.
const OUTCOME_QUEUE: usize = 64;

/// Reads, hashes and splits the candidates on worker threads and hands
/// each outcome to `handle` on this thread, in completion order.
fn read_candidates(
    candidates: Box<dyn Iterator<Item = Candidate> + Send>,
    searcher: &Searcher,
    fields: &Fields,
    options: &UpdateOptions,
    mut handle: impl FnMut(Outcome) -> Result<()>,
) -> Result<()> {
    let threads = if options.threads == 0 { num_cores() } else { options.threads };
    // Workers take the next candidate under the lock: when the plan did not
    // keep them, that pulls the second walk along (a stat per file, cheap
    // beside reading and analysing one).
    let candidates = Mutex::new(candidates);
    std::thread::scope(|scope| -> Result<()> {
        let (tx, rx) = mpsc::sync_channel::<Outcome>(OUTCOME_QUEUE);
        let candidates = &candidates;
        for _ in 0..threads {
            let tx = tx.clone();
            scope.spawn(move || loop {
                // A poisoned lock means another worker panicked: stop.
                let next = candidates.lock().ok().and_then(|mut walk| walk.next());
                let Some(candidate) = next else { break };
                let outcome = prepare(candidate, searcher, fields, options);
                if tx.send(outcome).is_err() {
                    break;
                }
            });
        }
        drop(tx);
        for outcome in rx {
            handle(outcome)?;
        }
        Ok(())
    })
}

/// Reads, hashes and splits one candidate (runs on a worker thread).
fn prepare(
    candidate: Candidate,
    searcher: &Searcher,
    fields: &Fields,
    options: &UpdateOptions,
) -> Outcome {
    let previous_hash = match candidate.previous {
        Some(previous) => match indexed::stored_hash(searcher, fields, previous.address) {
            Ok(hash) => Some(hash),
            Err(err) => return Outcome::Failed(candidate, format!("{err:#}"), None),
        },
        None => None,
    };
    let named = Format::from_name(&candidate.file.rel);
    if let Some(format) = named.filter(|f| candidate.file.size > f.max_bytes()) {
        let why =
            ReadError::Skipped(format!("larger than {} MiB, skipped", format.max_bytes() >> 20));
        return not_read(candidate, previous_hash, format, why);
    }
    let bytes = match std::fs::read(&candidate.file.abs) {
        Ok(bytes) => bytes,
        Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
            return Outcome::Vanished(candidate)
        }
        Err(err) => return Outcome::Failed(candidate, format!("cannot read file: {err}"), named),
    };
    let hash = content_hash(&bytes);
    if previous_hash.as_deref() == Some(hash.as_str()) && !candidate.reanalyse {
        // Unchanged content keeps the names its record has.
        let names = match candidate.previous {
            Some(previous) => {
                match records::stored_entity_names(searcher, fields, previous.address) {
                    Ok(names) => names,
                    Err(err) => return Outcome::Failed(candidate, format!("{err:#}"), named),
                }
            }
            None => EntityNames::new(),
        };
        return Outcome::SameContent(Box::new(Prepared::unchanged(
            candidate,
            previous_hash,
            hash,
            names,
        )));
    }
    let read = match read::read_guarded(&candidate.file.rel, bytes, &options.read_options()) {
        Ok(Some(read)) => read,
        Ok(None) => {
            let why = "not a format lede reads, skipped".to_string();
            return Outcome::Skipped(candidate, why, None);
        }
        Err((format, err)) => return not_read(candidate, previous_hash, format, err),
    };
    let mut notes = Vec::new();
    let mut docs = Vec::with_capacity(read.documents.len());
    let mut skipped_documents = 0;
    for document in read.documents {
        let address = records::document_address(&candidate.file.rel, document.part.as_deref());
        notes.extend(document.notes.iter().map(|note| (address.clone(), note.clone())));
        let doc = document.into_document();
        if doc.paragraphs.is_empty() {
            skipped_documents += 1;
        } else {
            docs.push(doc);
        }
    }
    // Changed content is analysed here, on the worker thread, not in the
    // writer; a dry run only needs to know that the content changed.
    let (annotations, names) = if options.dry_run {
        (Vec::new(), EntityNames::new())
    } else {
        let mut annotations: Vec<Vec<Annotations>> =
            docs.iter().map(|doc| extract::annotate_with(doc, options.extractors)).collect();
        for paragraph in annotations.iter_mut().flatten() {
            options.aliases.apply(&mut paragraph.entities);
        }
        let names = annotations.iter().flat_map(|a| records::entity_names(a)).collect();
        (annotations, names)
    };
    Outcome::Ready(Box::new(Prepared {
        candidate,
        previous_hash,
        hash,
        format: Some(read.format),
        docs,
        annotations,
        names,
        notes,
        skipped_documents,
    }))
}

/// The outcome of a file its reader turned down. A file skipped before and
/// skipped again is not reported a second time.
fn not_read(
    candidate: Candidate,
    previous_hash: Option<String>,
    format: Format,
    err: ReadError,
) -> Outcome {
    match err {
        ReadError::Skipped(_) if previous_hash.as_deref() == Some(SKIPPED_MARK) => {
            let hash = SKIPPED_MARK.to_string();
            Outcome::SameContent(Box::new(Prepared::unchanged(
                candidate,
                previous_hash,
                hash,
                EntityNames::new(),
            )))
        }
        ReadError::Skipped(why) => Outcome::Skipped(candidate, why, Some(format)),
        ReadError::Failed(why) => Outcome::Failed(candidate, why, Some(format)),
    }
}

/// The state of one run while outcomes arrive.
struct Run<'a> {
    fields: &'a Fields,
    /// `None` for a dry run.
    writer: Option<&'a IndexWriter>,
    /// When the scan started (ns since the epoch), for racy mtimes.
    scan_started: u64,
    /// See [`UpdateOptions::keep_unchanged_records`].
    keep_unchanged_records: bool,
    report: UpdateReport,
    events: &'a mut dyn FnMut(&Event),
}

impl Run<'_> {
    fn notice(&mut self, notice: Notice) {
        (self.events)(&Event::Notice(&notice));
    }

    fn file_notice(&mut self, file: &SourceFile, message: String, failed: bool) {
        self.notice(Notice { path: file.abs.display().to_string(), message, failed });
    }

    /// Deletes every record of the file `path` (its file record and the
    /// paragraphs of all its documents).
    fn delete_file(&self, path: &str) {
        if let Some(writer) = self.writer {
            writer.delete_term(Term::from_field_text(self.fields.file, path));
        }
    }

    /// How a notice names a document of `file`: its path on disk, then the
    /// `#part` of its address.
    fn display_address(&self, file: &SourceFile, address: &str) -> String {
        let part = address.strip_prefix(file.rel.as_str()).unwrap_or("");
        format!("{}{part}", file.abs.display())
    }

    /// The size/mtime to record for `file`: mtime 0 when it is too recent
    /// to be trusted next time.
    fn recorded(&self, file: &SourceFile) -> SourceFile {
        let mut file = file.clone();
        let fine = !file.mtime.is_multiple_of(1_000_000_000);
        let window = if fine { FINE_RACY_WINDOW } else { RACY_WINDOW };
        if file.mtime > self.scan_started.saturating_sub(window.as_nanos() as u64) {
            file.mtime = 0;
        }
        file
    }

    /// Replaces the records of a file that cannot be indexed by one mark.
    fn mark(&mut self, candidate: &Candidate, mark: &str) -> Result<()> {
        let Some(writer) = self.writer else { return Ok(()) };
        if candidate.previous.is_some() {
            self.delete_file(&candidate.file.rel);
        }
        let mut file = self.recorded(&candidate.file);
        if mark == FAILED_MARK {
            file.mtime = FAILED_MTIME;
        }
        writer.add_document(records::file_record(self.fields, &file, mark, &EntityNames::new()))?;
        Ok(())
    }

    fn record(&mut self, outcome: Outcome) -> Result<()> {
        match outcome {
            Outcome::Failed(candidate, message, format) => {
                self.report.failed += 1;
                self.count(format, 0, 1);
                self.file_notice(&candidate.file, message, true);
                self.mark(&candidate, FAILED_MARK)?;
            }
            Outcome::Skipped(candidate, message, format) => {
                self.report.skipped += 1;
                self.count(format, 0, 1);
                self.file_notice(&candidate.file, message, false);
                self.mark(&candidate, SKIPPED_MARK)?;
            }
            Outcome::Vanished(candidate) => {
                let message = "vanished before it could be read, skipped".to_string();
                self.file_notice(&candidate.file, message, false);
                if candidate.previous.is_some() {
                    self.delete_file(&candidate.file.rel);
                    self.report.removed.push(candidate.file.rel);
                }
            }
            Outcome::SameContent(prepared) => {
                self.report.unchanged += 1;
                self.refresh_record(&prepared)?;
            }
            Outcome::Ready(prepared) => self.write(*prepared)?,
        }
        Ok(())
    }

    fn count(&mut self, format: Option<Format>, read: usize, skipped: usize) {
        if let Some(format) = format {
            let counts = self.report.formats.entry(format).or_default();
            counts.read += read;
            counts.skipped += skipped;
        }
    }

    /// Rewrites the file record of an unchanged file whose size or mtime
    /// moved (a touch), so the next run need not read it again.
    fn refresh_record(&mut self, prepared: &Prepared) -> Result<()> {
        let Some(writer) = self.writer else { return Ok(()) };
        if self.keep_unchanged_records {
            return Ok(());
        }
        let file = self.recorded(&prepared.candidate.file);
        let as_recorded = prepared
            .candidate
            .previous
            .is_some_and(|old: IndexedFile| old.size == file.size && old.mtime == file.mtime);
        if as_recorded {
            return Ok(());
        }
        writer.delete_query(Box::new(file_record_query(self.fields, &file.rel)))?;
        writer.add_document(records::file_record(
            self.fields,
            &file,
            &prepared.hash,
            &prepared.names,
        ))?;
        self.report.refreshed += 1;
        Ok(())
    }

    /// Writes a new or changed file: all old records out, all new ones in.
    fn write(&mut self, prepared: Prepared) -> Result<()> {
        let Prepared {
            candidate,
            previous_hash,
            hash,
            format,
            docs,
            annotations,
            names,
            notes,
            skipped_documents,
        } = prepared;
        let file = &candidate.file;
        for (address, note) in notes {
            let path = self.display_address(file, &address);
            self.notice(Notice { path, message: note, failed: false });
        }
        let paragraphs: usize = docs.iter().map(|doc| doc.paragraphs.len()).sum();
        if paragraphs == 0 {
            self.file_notice(file, "empty file, nothing to index".to_string(), false);
        }
        // A file with no document at all (a WARC of images) counts as one.
        let skipped = skipped_documents.max(usize::from(paragraphs == 0));
        self.count(format, docs.len(), skipped);
        self.report.bytes += file.size;
        self.report.paragraphs += paragraphs;
        if let Some(writer) = self.writer {
            if candidate.previous.is_some() {
                self.delete_file(&file.rel);
            }
            let recorded = self.recorded(file);
            // One batch per file: tantivy hands a batch to one indexing
            // thread, so a file's records stay adjacent in one segment and
            // a search finds a passage's title record right before it.
            let records =
                records::file_records(self.fields, &recorded, &hash, &names, &docs, &annotations);
            writer.run(records.into_iter().map(UserOperation::Add))?;
        }
        // A file that was only a failure mark before is new to searches.
        let was_searchable = previous_hash.is_some_and(|h| h != FAILED_MARK && h != SKIPPED_MARK);
        if was_searchable {
            self.report.updated.push(candidate.file.rel);
        } else {
            self.report.added.push(candidate.file.rel);
        }
        Ok(())
    }
}

/// Matches the `doc` record of one path (not its paragraphs).
fn file_record_query(fields: &Fields, path: &str) -> BooleanQuery {
    let term = |field, text: &str| -> Box<dyn Query> {
        Box::new(TermQuery::new(Term::from_field_text(field, text), IndexRecordOption::Basic))
    };
    BooleanQuery::new(vec![
        (Occur::Must, term(fields.path, path)),
        (Occur::Must, term(fields.kind, KIND_DOC)),
    ])
}

/// A stable content fingerprint (xxh3, 128 bits, hex).
fn content_hash(bytes: &[u8]) -> String {
    format!("{:032x}", xxhash_rust::xxh3::xxh3_128(bytes))
}

fn nanos_since_epoch(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_nanos() as u64)
}

fn num_cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// tantivy's own indexing threads: half the cores, at least one.
fn tantivy_threads() -> usize {
    (num_cores() / 2).clamp(1, 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(dir: &std::path::Path, name: &str) -> Candidate {
        let abs = dir.join(name);
        let file = SourceFile { rel: name.to_string(), abs, size: 5, mtime: 1 };
        Candidate { file, previous: None, reanalyse: false }
    }

    #[test]
    fn merging_into_one_segment_keeps_every_live_record() {
        use tantivy::schema::{Schema, TEXT};
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.set_merge_policy(Box::new(NoMergePolicy));
        // More segments than one merge takes: merged in rounds.
        let words = ["cocoa", "coffee", "sugar", "rice", "wheat", "maize", "oats", "rye", "soy"];
        assert!(words.len() > MERGE_FAN_IN);
        for word in words {
            writer.add_document(tantivy::doc!(text => word)).unwrap();
            writer.add_document(tantivy::doc!(text => "tea")).unwrap();
            writer.commit().unwrap();
        }
        writer.delete_term(Term::from_field_text(text, "coffee"));
        writer.commit().unwrap();
        assert_eq!(index.searchable_segment_ids().unwrap().len(), words.len());
        merge_into_one_segment(&mut writer).unwrap();
        writer.wait_merging_threads().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        assert_eq!(searcher.num_docs() as usize, words.len() * 2 - 1);
        assert_eq!(searcher.segment_reader(0).num_deleted_docs(), 0);
        let tea = TermQuery::new(Term::from_field_text(text, "tea"), IndexRecordOption::Basic);
        assert_eq!(searcher.search(&tea, &tantivy::collector::Count).unwrap(), words.len());
    }

    /// A file listed by the walk and deleted before it is read is skipped
    /// quietly (nothing to index), not counted as a failure.
    #[test]
    fn a_file_that_vanishes_after_listing_is_not_a_failure() {
        let (corpus, _index_dir, index) = empty_index();
        let searcher = index.reader().unwrap().searcher();
        std::fs::write(corpus.path().join("here.txt"), "Title\n\nText.\n").unwrap();
        let options = UpdateOptions::default();
        let here =
            prepare(candidate(corpus.path(), "here.txt"), &searcher, &index.fields, &options);
        assert!(matches!(here, Outcome::Ready(_)));
        let gone =
            prepare(candidate(corpus.path(), "gone.txt"), &searcher, &index.fields, &options);
        assert!(matches!(gone, Outcome::Vanished(_)));

        let mut notices = Vec::new();
        let mut run = Run {
            fields: &index.fields,
            writer: None,
            scan_started: 0,
            keep_unchanged_records: false,
            report: UpdateReport::default(),
            events: &mut |event| {
                if let Event::Notice(notice) = event {
                    notices.push((*notice).clone());
                }
            },
        };
        run.record(gone).unwrap();
        assert_eq!(run.report.failed, 0);
        drop(run);
        assert_eq!(notices.len(), 1);
        assert!(notices[0].message.contains("vanished") && !notices[0].failed);
    }

    /// An empty corpus folder and an index of it; both folders are
    /// returned so that they live as long as the test.
    fn empty_index() -> (tempfile::TempDir, tempfile::TempDir, LedeIndex) {
        let corpus = tempfile::tempdir().unwrap();
        let index_dir = tempfile::tempdir().unwrap();
        let index = LedeIndex::create(index_dir.path(), corpus.path()).unwrap();
        (corpus, index_dir, index)
    }

    /// Writes file `rel` under `root`, making its folders.
    fn write_file(root: &std::path::Path, rel: &str, text: &str) {
        let path = root.join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// A watcher's update looks only at the paths it names: a file changed
    /// behind the watcher's back stays as it was until a walk, a removed
    /// folder takes its files along, and a folder among the paths walks.
    #[test]
    fn an_update_of_named_paths_looks_at_those_alone() {
        let (corpus, _index_dir, index) = empty_index();
        let write = |rel: &str, text: &str| write_file(corpus.path(), rel, text);
        write("a.txt", "Alpha\n\nFirst text.\n");
        write("b.txt", "Beta\n\nSecond text.\n");
        write("d/c.txt", "Gamma\n\nThird text.\n");
        write("d/e.txt", "Delta\n\nFourth text.\n");
        update(&index, &UpdateOptions::default(), &mut |_| {}).unwrap();
        let only = |paths: &[&str]| UpdateOptions {
            only: Some(Arc::new(paths.iter().map(|p| p.to_string()).collect())),
            list_paths: true,
            ..UpdateOptions::freshness()
        };

        write("a.txt", "Alpha\n\nFirst text, longer now.\n");
        write("b.txt", "Beta\n\nSecond text, changed unseen.\n");
        write("f.txt", "Epsilon\n\nFifth text.\n");
        std::fs::remove_dir_all(corpus.path().join("d")).unwrap();
        let report = update(&index, &only(&["a.txt", "f.txt", "d", "g.png"]), &mut |_| {}).unwrap();
        assert_eq!(report.added.paths(), ["f.txt"]);
        assert_eq!(report.updated.paths(), ["a.txt"]);
        assert_eq!(report.removed.paths(), ["d/c.txt", "d/e.txt"]);
        assert_eq!(report.unchanged, 1, "b.txt, not looked at");

        std::fs::create_dir(corpus.path().join("h")).unwrap();
        write("h/i.txt", "Eta\n\nSixth text.\n");
        let walked = update(&index, &only(&["h"]), &mut |_| {}).unwrap();
        assert_eq!(walked.added.paths(), ["h/i.txt"]);
        assert_eq!(walked.updated.paths(), ["b.txt"], "a folder walks, and finds b.txt");
    }

    /// The records of one segment in document order: each as its path and
    /// paragraph number (`None` for the file record).
    fn records_in_order(index: &LedeIndex) -> Vec<(String, Option<u64>)> {
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 1);
        let segment = searcher.segment_reader(0);
        let fast = segment.fast_fields();
        let paths = fast.str(index.fields.name(index.fields.path)).unwrap().unwrap();
        let paras = fast.u64(index.fields.name(index.fields.para)).unwrap();
        let mut path = String::new();
        (0..segment.max_doc())
            .filter(|&doc| !segment.is_deleted(doc))
            .map(|doc| {
                let ord = paths.term_ords(doc).next().unwrap();
                path.clear();
                paths.ord_to_str(ord, &mut path).unwrap();
                (path.clone(), paras.first(doc))
            })
            .collect()
    }

    /// Exact copies of a file sit side by side whatever their paths and
    /// whichever run wrote them, so a search meets a story's copies in one
    /// posting block; each file's records stay together and in order.
    #[test]
    fn copies_of_a_file_sit_side_by_side_with_each_files_records_in_order() {
        let (corpus, _index_dir, index) = empty_index();
        let write = |rel: &str, text: &str| write_file(corpus.path(), rel, text);
        let story = "Cocoa talks\n\nGhana and Ivory Coast met.\n\nPrices rose.\n\nTalks go on.\n";
        write("a/story.txt", story);
        write("z/story.txt", story);
        for (i, name) in ["b", "c", "d", "m", "x", "y"].iter().enumerate() {
            write(&format!("{name}/other.txt"), &format!("Other {i}\n\nText {i} here.\n"));
        }
        update(&index, &UpdateOptions::default(), &mut |_| {}).unwrap();
        // A third copy, written by a later run into a segment of its own.
        write("n/story.txt", story);
        update(&index, &UpdateOptions::default(), &mut |_| {}).unwrap();
        let mut writer: IndexWriter = index.index.writer_with_num_threads(1, 15_000_000).unwrap();
        merge_into_one_segment(&mut writer).unwrap();
        writer.wait_merging_threads().unwrap();

        let records = records_in_order(&index);
        // A file record, then the title (paragraph 0) and the text's paragraphs.
        assert_eq!(records.len(), 3 * 5 + 6 * 3);
        let copies: Vec<usize> =
            (0..records.len()).filter(|&i| records[i].0.ends_with("story.txt")).collect();
        assert_eq!(copies.len(), 15);
        assert_eq!(copies[14] - copies[0], 14, "the copies are one run: {records:?}");
        for file in records.chunk_by(|a, b| a.0 == b.0) {
            let paras: Vec<Option<u64>> = file.iter().map(|(_, para)| *para).collect();
            let expected = std::iter::once(None).chain((0..paras.len() as u64 - 1).map(Some));
            assert_eq!(paras, expected.collect::<Vec<_>>(), "{records:?}");
        }
        let files = records.chunk_by(|a, b| a.0 == b.0).count();
        assert_eq!(files, 9, "each file's records together: {records:?}");
    }

    #[test]
    fn recent_files_are_recorded_without_their_mtime() {
        let index_dir = tempfile::tempdir().unwrap();
        let index = LedeIndex::create(index_dir.path(), index_dir.path()).unwrap();
        let run = Run {
            fields: &index.fields,
            writer: None,
            scan_started: 100_000_000_000,
            keep_unchanged_records: false,
            report: UpdateReport::default(),
            events: &mut |_| {},
        };
        let file = |mtime| SourceFile { rel: "a.txt".into(), abs: "a.txt".into(), size: 1, mtime };
        // Sub-second mtimes: 100 ms window.
        assert_eq!(run.recorded(&file(99_899_000_001)).mtime, 99_899_000_001);
        assert_eq!(run.recorded(&file(99_900_000_001)).mtime, 0);
        // Whole-second mtimes (a coarse file system): 2 s window.
        assert_eq!(run.recorded(&file(97_000_000_000)).mtime, 97_000_000_000);
        assert_eq!(run.recorded(&file(99_000_000_000)).mtime, 0);
    }
}
