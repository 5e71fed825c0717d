//! The alias file's part in an update ([`alias_file`] has the rules).
//!
//! Every update reads the corpus's alias file and applies it to the files it
//! analyses. The index folder keeps a copy of the rules its records were
//! analysed with (`aliases.applied`, written once the update commits), so
//! an edit to the file is seen by the next update (and by a search's
//! freshness check and the watcher), and only the files it affects are
//! analysed again: those with a passage that names, or an entity that is,
//! one of the names of a rule that was added or removed. No rebuild.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use tantivy::collector::DocSetCollector;
use tantivy::query::{BooleanQuery, Occur, PhraseQuery, Query, TermQuery};
use tantivy::schema::IndexRecordOption;
use tantivy::{Searcher, Term};

use super::LedeIndex;
use crate::analysis;
use crate::extract::entities::alias_file::{self, AliasFile, BadLine};
use crate::schema::Fields;

/// The copy of the rules the index's records were analysed with.
const APPLIED: &str = "aliases.applied";

/// The alias file as an update finds it.
#[derive(Debug, Default)]
pub(crate) struct Loaded {
    /// Where it is; `None` when the corpus has none.
    pub(crate) path: Option<PathBuf>,
    /// Its text, as read (empty without a file).
    text: String,
    pub(crate) rules: AliasFile,
    pub(crate) bad: Vec<BadLine>,
}

/// Reads the alias file of `index`'s corpus (none: no rules).
pub(crate) fn load(index: &LedeIndex) -> Result<Loaded> {
    let Some(path) = alias_file::locate(&index.manifest.corpus, &index.dir) else {
        return Ok(Loaded::default());
    };
    let text = std::fs::read_to_string(&path)
        .with_context(|| format!("cannot read the alias file {}", path.display()))?;
    let (rules, bad) = alias_file::parse(&text);
    Ok(Loaded { path: Some(path), text, rules, bad })
}

/// The rules the index's records were analysed with.
pub(crate) fn applied(dir: &Path) -> AliasFile {
    applied_file(dir).rules
}

/// The copy of the rules the records follow, as if it were the alias file:
/// what an update goes on with when the alias file cannot be read.
pub(crate) fn applied_file(dir: &Path) -> Loaded {
    let text = std::fs::read_to_string(dir.join(APPLIED)).unwrap_or_default();
    let rules = alias_file::parse(&text).0;
    Loaded { path: None, text, rules, bad: Vec::new() }
}

/// Records that the index's records now follow `loaded`'s rules (after a
/// commit: a run cut short leaves the old copy, and the next run does the
/// work again).
pub(crate) fn record_applied(dir: &Path, loaded: &Loaded) -> Result<()> {
    let path = dir.join(APPLIED);
    if loaded.text.is_empty() {
        return match std::fs::remove_file(&path) {
            Err(err) if err.kind() != std::io::ErrorKind::NotFound => {
                Err(err).with_context(|| format!("cannot remove {}", path.display()))
            }
            _ => Ok(()),
        };
    }
    let partial = dir.join(format!("{APPLIED}.partial"));
    std::fs::write(&partial, &loaded.text)
        .and_then(|()| std::fs::rename(&partial, &path))
        .with_context(|| format!("cannot write {}", path.display()))
}

/// Whether the alias file's rules differ from those the records follow (a
/// freshness check calls this beside its walk). A file that cannot be read
/// changes nothing: the update would go on with the rules it has.
pub(crate) fn changed(index: &LedeIndex) -> bool {
    load(index).is_ok_and(|loaded| loaded.rules != applied(&index.dir))
}

/// The files (paths relative to the corpus) with a passage that names one
/// of `names` or holds an entity of that name, in any kind. A passage of a
/// file with parts (`file#part`) gives the file.
pub(crate) fn files_naming(
    searcher: &Searcher,
    fields: &Fields,
    names: &BTreeSet<String>,
) -> Result<BTreeSet<String>> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    for name in names {
        let key = analysis::analyse(analysis::KEYWORD, name).and_then(|mut keys| keys.pop());
        for field in fields.entities.values().filter(|_| key.is_some()) {
            let term = Term::from_field_text(*field, key.as_deref().unwrap_or_default());
            clauses.push((Occur::Should, Box::new(TermQuery::new(term, IndexRecordOption::Basic))));
        }
        let words = analysis::analyse(analysis::TEXT, name).unwrap_or_default();
        let terms: Vec<Term> =
            words.iter().map(|w| Term::from_field_text(fields.text, w)).collect();
        match terms.len() {
            0 => {}
            1 => clauses.push((
                Occur::Should,
                Box::new(TermQuery::new(terms[0].clone(), IndexRecordOption::Basic)),
            )),
            _ => clauses.push((Occur::Should, Box::new(PhraseQuery::new(terms)))),
        }
    }
    let mut files = BTreeSet::new();
    if clauses.is_empty() {
        return Ok(files);
    }
    let mut found: Vec<_> =
        searcher.search(&BooleanQuery::new(clauses), &DocSetCollector)?.into_iter().collect();
    found.sort();
    let column_error = || "cannot read the paths of the index";
    let mut path = String::new();
    for segment in found.chunk_by(|a, b| a.segment_ord == b.segment_ord) {
        let reader = searcher.segment_reader(segment[0].segment_ord);
        let paths = reader
            .fast_fields()
            .str(fields.name(fields.path))
            .with_context(column_error)?
            .with_context(column_error)?;
        for address in segment {
            let Some(ord) = paths.term_ords(address.doc_id).next() else { continue };
            path.clear();
            if paths.ord_to_str(ord, &mut path).with_context(column_error)? {
                files.extend(file_paths(&path));
            }
        }
    }
    Ok(files)
}

/// The files a record's path may belong to: itself, and for `file#part`
/// the part before each `#` (a file name may hold one too).
fn file_paths(path: &str) -> impl Iterator<Item = String> + '_ {
    let cuts = path.match_indices('#').map(|(at, _)| &path[..at]);
    std::iter::once(path).chain(cuts).map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_record_of_a_part_names_its_file() {
        let paths: Vec<String> = file_paths("feeds/a#b.jsonl#12").collect();
        assert_eq!(paths, ["feeds/a#b.jsonl#12", "feeds/a", "feeds/a#b.jsonl"]);
    }
}
