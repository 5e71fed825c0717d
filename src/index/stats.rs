//! What an index holds, for `lede stats`. Counts come from the index itself:
//! file and paragraph records, passages and documents per language,
//! distinct entity names and how many paragraphs mention them, paragraphs
//! with dates, the index folder's size and when it was last committed.

use std::collections::{BTreeMap, HashSet};
use std::fs;
use std::path::Path;
use std::time::SystemTime;

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::collector::Count;
use tantivy::query::{ExistsQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};

use super::LedeIndex;
use crate::extract::entities::ByKind;
use crate::schema::{Fields, KIND_DOC, KIND_PARA};

/// Counts of one kind of entity.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct EntityCount {
    /// Distinct canonical names.
    pub names: usize,
    /// Paragraph mentions: a name counted once per paragraph naming it.
    pub mentions: u64,
}

/// Passages and documents of one language.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub(crate) struct LanguageCount {
    /// ISO 639-1 code (see `extract::language`).
    pub lang: String,
    pub passages: u64,
    /// Documents with at least one passage in the language: a document
    /// that mixes languages counts under each.
    pub documents: u64,
}

/// What `lede stats` reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub(crate) struct IndexStats {
    pub corpus: String,
    pub index: String,
    pub files: usize,
    /// Paragraph records, titles (paragraph 0) included.
    pub paragraphs: usize,
    /// Most passages first.
    pub languages: Vec<LanguageCount>,
    pub index_bytes: u64,
    /// Last commit, RFC 3339 UTC (`None` if unknown).
    pub updated: Option<String>,
    /// Whether a `lede watch` keeps this index current (searches then ask
    /// it instead of checking the folder), and its process id.
    pub watched: bool,
    pub watcher_pid: Option<u32>,
    /// Per entity kind (JSON: `"person":{…},"org":{…},…`).
    #[serde(flatten)]
    pub entities: ByKind<EntityCount>,
    /// Paragraphs that mention at least one date.
    pub dated_paragraphs: usize,
    /// Distinct normalised dates.
    pub distinct_dates: usize,
    /// Copied paragraphs and documents, when asked for (`--copies`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub copies: Option<crate::search::copies::Census>,
}

/// Reads the statistics of an opened index; `watcher_pid` is the process
/// that watches it, if any (the watcher lives above the index layer).
/// `copies` adds the census of copies, a pass over every record.
pub(crate) fn collect(
    index: &LedeIndex,
    watcher_pid: Option<u32>,
    copies: bool,
) -> Result<IndexStats> {
    let searcher = index.reader()?.searcher();
    let fields = &index.fields;
    let kind = |value: &str| -> Result<usize> {
        let query =
            TermQuery::new(Term::from_field_text(fields.kind, value), IndexRecordOption::Basic);
        Ok(searcher.search(&query, &Count)?)
    };
    let dates = ExistsQuery::new(fields.name(fields.date).to_string(), false);
    let dated = searcher.search(&dates, &Count)?;
    Ok(IndexStats {
        corpus: index.manifest.corpus.display().to_string(),
        index: index.dir.display().to_string(),
        files: kind(KIND_DOC)?,
        paragraphs: kind(KIND_PARA)?,
        languages: languages(&searcher, fields)?,
        index_bytes: folder_size(&index.dir)?,
        updated: last_commit(&index.dir),
        watched: watcher_pid.is_some(),
        watcher_pid,
        entities: fields.entities.map(|_, field| entity_count(&searcher, field)).transpose()?,
        dated_paragraphs: dated,
        distinct_dates: distinct_terms(&searcher, fields.date)?.len(),
        copies: copies.then(|| crate::search::copies::census(&searcher, fields)).transpose()?,
    })
}

/// Passages and documents per language, from the `lang` and `path` fast
/// columns of the live passages.
fn languages(searcher: &Searcher, fields: &Fields) -> Result<Vec<LanguageCount>> {
    let mut passages: BTreeMap<String, u64> = BTreeMap::new();
    let mut documents: HashSet<(String, String)> = HashSet::new();
    let (mut lang, mut path) = (String::new(), String::new());
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let columns = (fast.str(fields.name(fields.lang))?, fast.str(fields.name(fields.path))?);
        let (Some(langs), Some(paths)) = columns else {
            continue;
        };
        // Ordinals first: strings are looked up once per distinct pair.
        let mut by_ord: BTreeMap<u64, u64> = BTreeMap::new();
        let mut pairs: HashSet<(u64, u64)> = HashSet::new();
        for doc in (0..segment.max_doc()).filter(|doc| !segment.is_deleted(*doc)) {
            let Some(lang_ord) = langs.term_ords(doc).next() else { continue };
            *by_ord.entry(lang_ord).or_default() += 1;
            if let Some(path_ord) = paths.term_ords(doc).next() {
                pairs.insert((lang_ord, path_ord));
            }
        }
        for (ord, count) in by_ord {
            langs.ord_to_str(ord, &mut lang)?;
            *passages.entry(lang.clone()).or_default() += count;
        }
        for (lang_ord, path_ord) in pairs {
            langs.ord_to_str(lang_ord, &mut lang)?;
            paths.ord_to_str(path_ord, &mut path)?;
            documents.insert((lang.clone(), path.clone()));
        }
    }
    let mut per_lang: BTreeMap<&str, u64> = BTreeMap::new();
    for (lang, _) in &documents {
        *per_lang.entry(lang).or_default() += 1;
    }
    let mut counts: Vec<LanguageCount> = passages
        .iter()
        .map(|(lang, &passages)| LanguageCount {
            lang: lang.clone(),
            passages,
            documents: per_lang.get(lang.as_str()).copied().unwrap_or(0),
        })
        .collect();
    counts.sort_by(|a, b| b.passages.cmp(&a.passages).then_with(|| a.lang.cmp(&b.lang)));
    Ok(counts)
}

fn entity_count(searcher: &Searcher, field: Field) -> Result<EntityCount> {
    let names = distinct_terms(searcher, field)?;
    let mut mentions = 0;
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            mentions += u64::from(stream.value().doc_freq);
        }
    }
    Ok(EntityCount { names: names.len(), mentions })
}

/// The distinct terms of `field` over all segments.
fn distinct_terms(searcher: &Searcher, field: Field) -> Result<HashSet<Vec<u8>>> {
    let mut terms = HashSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            terms.insert(stream.key().to_vec());
        }
    }
    Ok(terms)
}

fn folder_size(dir: &Path) -> Result<u64> {
    let mut total = 0;
    for entry in fs::read_dir(dir).with_context(|| format!("cannot read {}", dir.display()))? {
        let metadata = entry?.metadata()?;
        if metadata.is_file() {
            total += metadata.len();
        }
    }
    Ok(total)
}

/// When tantivy last wrote its `meta.json`: the last commit.
fn last_commit(dir: &Path) -> Option<String> {
    let modified: SystemTime = fs::metadata(dir.join("meta.json")).ok()?.modified().ok()?;
    let time = tantivy::time::OffsetDateTime::from(modified);
    time.format(&tantivy::time::format_description::well_known::Rfc3339).ok()
}
