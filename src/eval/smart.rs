//! Reads the SMART test collections (Cranfield, CISI): documents and queries
//! as records that start with `.I id` and hold fields `.T` (title), `.A`
//! (authors), `.B`, `.W` (text), `.X` (cross references)…, one marker line
//! per field; and their relevance judgements, whose layout differs by
//! collection (see [`QrelLayout`]).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};

/// One record of a SMART file: its `.I` id and the fields it holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Record {
    pub id: String,
    /// Title (`.T`), lines joined by spaces.
    pub title: String,
    /// Text (`.W`), line breaks kept.
    pub text: String,
}

/// Parses every record of a SMART file. Fields other than `.T` and `.W`
/// are read past.
pub(crate) fn parse_records(source: &str) -> Vec<Record> {
    let mut records: Vec<Record> = Vec::new();
    let mut field = None;
    for line in source.lines() {
        if let Some((marker, rest)) = marker(line) {
            if marker == 'I' {
                records.push(Record { id: rest.to_string(), ..Record::default() });
            }
            field = Some(marker);
            continue;
        }
        let (Some(record), Some(field)) = (records.last_mut(), field) else { continue };
        let target = match field {
            'T' => &mut record.title,
            'W' => &mut record.text,
            _ => continue,
        };
        if !target.is_empty() {
            target.push(if field == 'T' { ' ' } else { '\n' });
        }
        target.push_str(if field == 'T' { line.trim() } else { line });
    }
    records
}

/// `.I 12` → (`I`, `12`); `.W` → (`W`, ``); anything else is text.
fn marker(line: &str) -> Option<(char, &str)> {
    let rest = line.strip_prefix('.')?;
    let mut chars = rest.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    let after = chars.as_str();
    if !after.is_empty() && !after.starts_with(char::is_whitespace) {
        return None;
    }
    Some((letter, after.trim()))
}

/// How a collection's judgement file names queries and grades documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum QrelLayout {
    /// Cranfield's `cranqrel`: `query doc code`, the query being its
    /// position in the query file (ids there skip numbers); codes 1
    /// ("a complete answer") to 4 ("of minimum interest") are relevant,
    /// -1 is not.
    Cranfield,
    /// CISI's `CISI.REL`: `query doc 0 0.0`, the query by its `.I` id;
    /// every listed pair is relevant (no grades).
    Cisi,
}

/// A judged query's relevant documents with their gains (higher is more
/// relevant; at least 1).
pub(crate) type Judgements = HashMap<String, u32>;

/// Reads a judgement file: for each query key (its position or id, as the
/// layout says), its relevant documents.
pub(crate) fn parse_qrels(source: &str, layout: QrelLayout) -> Result<HashMap<String, Judgements>> {
    let mut qrels: HashMap<String, Judgements> = HashMap::new();
    for (n, line) in source.lines().enumerate() {
        let columns: Vec<&str> = line.split_whitespace().collect();
        if columns.is_empty() {
            continue;
        }
        let bad = || format!("line {}: expected `query doc grade`, found {line:?}", n + 1);
        if columns.len() < 3 {
            bail!(bad());
        }
        let (query, doc) = (columns[0], columns[1]);
        let gain = match layout {
            QrelLayout::Cranfield => match columns[2].parse::<i32>().with_context(bad)? {
                code @ 1..=4 => 5 - code as u32,
                _ => continue,
            },
            QrelLayout::Cisi => 1,
        };
        let judged = qrels.entry(query.to_string()).or_default();
        let best = judged.entry(doc.to_string()).or_insert(gain);
        *best = (*best).max(gain);
    }
    Ok(qrels)
}

/// A test collection on disk: its three files and how to read the third.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct CollectionFiles {
    pub name: String,
    pub documents: PathBuf,
    pub queries: PathBuf,
    pub qrels: PathBuf,
    pub layout: QrelLayout,
}

/// The file names of the collections lede knows: (documents, queries,
/// judgements, layout).
const KNOWN: [(&str, &str, &str, QrelLayout); 2] = [
    ("cran.all.1400", "cran.qry", "cranqrel", QrelLayout::Cranfield),
    ("CISI.ALL", "CISI.QRY", "CISI.REL", QrelLayout::Cisi),
];

/// The collections in `dir`: `dir` itself when it holds one, else each of
/// its subfolders that does, by name.
pub(crate) fn find_collections(dir: &Path) -> Result<Vec<CollectionFiles>> {
    if let Some(found) = collection_in(dir) {
        return Ok(vec![found]);
    }
    let entries = std::fs::read_dir(dir)
        .with_context(|| format!("cannot read the folder {}", dir.display()))?;
    let mut found: Vec<CollectionFiles> = entries
        .filter_map(|entry| entry.ok())
        .filter(|entry| entry.path().is_dir())
        .filter_map(|entry| collection_in(&entry.path()))
        .collect();
    found.sort_by(|a, b| a.name.cmp(&b.name));
    if found.is_empty() {
        let names: Vec<String> =
            KNOWN.iter().map(|(d, q, r, _)| format!("{d} + {q} + {r}")).collect();
        bail!(
            "no test collection in {}: expected a folder holding {} (or folders of them)",
            dir.display(),
            names.join(" or ")
        );
    }
    Ok(found)
}

fn collection_in(dir: &Path) -> Option<CollectionFiles> {
    KNOWN.iter().find_map(|&(documents, queries, qrels, layout)| {
        let files = [documents, queries, qrels].map(|name| dir.join(name));
        files.iter().all(|f| f.is_file()).then(|| {
            let [documents, queries, qrels] = files;
            let name = dir
                .file_name()
                .map_or_else(|| dir.display().to_string(), |n| n.to_string_lossy().into_owned());
            CollectionFiles { name, documents, queries, qrels, layout }
        })
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_keep_title_and_text_and_skip_other_fields() {
        let source = ".I 1\n.T\nwing in a\nslipstream .\n.A\nbrenckman,m.\n.W\nfirst line\n  second .\n.X\n1\t5\t1\n.I 002\n.W\nwhat laws .\n";
        let records = parse_records(source);
        assert_eq!(records.len(), 2);
        assert_eq!(records[0].id, "1");
        assert_eq!(records[0].title, "wing in a slipstream .");
        assert_eq!(records[0].text, "first line\n  second .");
        assert_eq!(
            records[1],
            Record { id: "002".into(), title: "".into(), text: "what laws .".into() }
        );
    }

    #[test]
    fn a_line_starting_with_a_dot_is_text_unless_it_is_a_marker() {
        let records = parse_records(".I 1\n.W\n.5 per cent\n.Tables\n.T \nA title\n");
        assert_eq!(records[0].text, ".5 per cent\n.Tables");
        assert_eq!(records[0].title, "A title");
    }

    #[test]
    fn cranfield_codes_become_gains_and_minus_one_is_not_relevant() {
        let qrels =
            parse_qrels("1 184 2\n1 29 1 \n1 486 -1\n2 12 4\n", QrelLayout::Cranfield).unwrap();
        assert_eq!(qrels["1"], HashMap::from([("184".into(), 3), ("29".into(), 4)]));
        assert_eq!(qrels["2"], HashMap::from([("12".into(), 1)]));
    }

    #[test]
    fn cisi_pairs_are_all_relevant() {
        let qrels =
            parse_qrels("     1     28\t0\t0.000000\n     1     35\t0\t0.0\n", QrelLayout::Cisi)
                .unwrap();
        assert_eq!(qrels["1"].len(), 2);
        assert!(parse_qrels("1 28\n", QrelLayout::Cisi).is_err());
    }
}
