//! What the last successful export to one target holds, so the next one
//! sends only what changed: per file, its content hash and how many
//! paragraph records it had (to delete the ones an edit removed). Kept in
//! the index folder, one file per target URL; a file whose records did not
//! all arrive is left out, so it is sent again next time.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};

use super::records::{record_id, Record};

/// One file as the target last received it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct FileState {
    pub hash: String,
    /// Paragraph records `0..paragraphs` were sent.
    pub paragraphs: u32,
}

/// Every file the target holds, by path.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ExportState {
    pub target: String,
    pub files: BTreeMap<String, FileState>,
}

impl ExportState {
    /// Where the state of exports to `target` lives in `index_dir`.
    pub(crate) fn path(index_dir: &Path, target: &str) -> PathBuf {
        index_dir
            .join(format!("export-{:016x}.json", xxhash_rust::xxh3::xxh3_64(target.as_bytes())))
    }

    /// The state saved for `target`, or an empty one (first export).
    pub(crate) fn load(index_dir: &Path, target: &str) -> Result<ExportState> {
        let path = ExportState::path(index_dir, target);
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).with_context(|| {
                format!("{} is damaged: delete it to export everything again", path.display())
            }),
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => {
                Ok(ExportState { target: target.to_string(), files: BTreeMap::new() })
            }
            Err(err) => Err(err).with_context(|| format!("cannot read {}", path.display())),
        }
    }

    /// Takes in what a push of `plan` delivered: files whose records all
    /// arrived move to their new state; those in `failed` keep the old one,
    /// so they are sent again next time.
    pub(crate) fn apply(&mut self, plan: &Plan, failed: &BTreeSet<String>) {
        for (path, update) in &plan.updates {
            if failed.contains(path) {
                continue;
            }
            match update {
                Some(file) => self.files.insert(path.clone(), file.clone()),
                None => self.files.remove(path),
            };
        }
    }

    /// Writes the state next to the index, replacing the old one at once.
    pub(crate) fn save(&self, index_dir: &Path) -> Result<()> {
        let path = ExportState::path(index_dir, &self.target);
        let mut file = tempfile::NamedTempFile::new_in(index_dir)
            .with_context(|| format!("cannot write in {}", index_dir.display()))?;
        file.write_all(&serde_json::to_vec(self)?)?;
        file.persist(&path).with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// What to send: the records of new and edited files, the ids of records
/// that no longer exist, and the state once all of it has arrived.
#[derive(Debug, Default)]
pub(crate) struct Plan<'a> {
    pub adds: Vec<&'a Record>,
    /// (path, id) of records to delete.
    pub deletes: Vec<(String, String)>,
    /// Files already on the target whose content changed.
    pub edited: Vec<String>,
    pub removed: Vec<String>,
    pub unchanged: usize,
    /// Each changed file's state, applied once its records arrived.
    pub updates: BTreeMap<String, Option<FileState>>,
}

/// Compares the index's `records` (sorted by path, as `records::read_all`
/// returns them) with what the target holds.
pub(crate) fn plan<'a>(records: &'a [Record], previous: &ExportState) -> Plan<'a> {
    let mut plan = Plan::default();
    let mut seen = BTreeMap::new();
    for group in records.chunk_by(|a, b| a.path == b.path) {
        let path = &group[0].path;
        let current = FileState {
            hash: group.iter().find_map(|r| r.hash.clone()).unwrap_or_default(),
            paragraphs: group.iter().filter_map(|r| r.para).max().map_or(0, |p| p + 1),
        };
        seen.insert(path.as_str(), ());
        match previous.files.get(path) {
            Some(old) if *old == current => {
                plan.unchanged += 1;
                continue;
            }
            Some(old) => {
                plan.edited.push(path.clone());
                for para in current.paragraphs..old.paragraphs {
                    plan.deletes.push((path.clone(), record_id(path, Some(para))));
                }
            }
            None => {}
        }
        plan.adds.extend(group);
        plan.updates.insert(path.clone(), Some(current));
    }
    for (path, old) in &previous.files {
        if seen.contains_key(path.as_str()) {
            continue;
        }
        plan.removed.push(path.clone());
        plan.deletes.push((path.clone(), record_id(path, None)));
        for para in 0..old.paragraphs {
            plan.deletes.push((path.clone(), record_id(path, Some(para))));
        }
        plan.updates.insert(path.clone(), None);
    }
    plan
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::{KIND_DOC, KIND_PARA};

    fn file(path: &str, hash: &str, paragraphs: u32) -> Vec<Record> {
        let mut records = vec![Record {
            kind: KIND_DOC,
            path: path.into(),
            hash: Some(hash.into()),
            ..Record::default()
        }];
        records.extend((0..paragraphs).map(|n| Record {
            kind: KIND_PARA,
            path: path.into(),
            para: Some(n),
            ..Record::default()
        }));
        records
    }

    #[test]
    fn only_changes_are_sent_and_vanished_records_deleted() {
        let previous = ExportState {
            target: "t".into(),
            files: BTreeMap::from([
                ("a.txt".into(), FileState { hash: "1".into(), paragraphs: 2 }),
                ("b.txt".into(), FileState { hash: "1".into(), paragraphs: 3 }),
                ("c.txt".into(), FileState { hash: "1".into(), paragraphs: 1 }),
            ]),
        };
        let mut records = file("a.txt", "1", 2); // unchanged
        records.extend(file("b.txt", "2", 2)); // edited, one paragraph fewer
        records.extend(file("d.txt", "1", 1)); // new; c.txt removed
        let plan = plan(&records, &previous);
        let added: Vec<String> = plan.adds.iter().map(|r| r.id()).collect();
        assert_eq!(added, ["b.txt", "b.txt:p0", "b.txt:p1", "d.txt", "d.txt:p0"]);
        let deleted: Vec<&str> = plan.deletes.iter().map(|(_, id)| id.as_str()).collect();
        assert_eq!(deleted, ["b.txt:p2", "c.txt", "c.txt:p0"]);
        assert_eq!((plan.unchanged, plan.edited.len(), plan.removed.len()), (1, 1, 1));
        assert_eq!(plan.updates["c.txt"], None);
    }
}
