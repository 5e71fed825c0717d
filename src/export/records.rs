//! Reads every record of an index back as the document an engine indexes:
//! stored values from the document store, paths, paragraph numbers,
//! languages, entity names and dates from the fast columns, and what lede
//! keeps only as index terms (the title, `translit`, `date_md`, `date_span`)
//! rebuilt from what is stored.
//!
//! Records come out sorted by path, the file record first and then its
//! paragraphs in order, so an export of the same index is the same bytes
//! whatever the segment layout. Nothing depends on where the corpus lives or
//! when its files were touched (`mtime` is not exported).

use anyhow::{Context, Result};
use serde::Serialize;
use tantivy::columnar::{Column, StrColumn};
use tantivy::schema::Value as _;
use tantivy::{DateTime, DocId, TantivyDocument};

use crate::analysis;
use crate::extract::dates::{keys, DateMention};
use crate::extract::entities::EntityKind;
use crate::index::records::read_mention;
use crate::index::LedeIndex;
use crate::schema::{Fields, KIND_DOC, KIND_PARA};
use crate::split::title_text;

/// The `_id` of a record: the path for a file record, `path:pN` for a
/// paragraph, which is also how `lede show` addresses it.
pub(crate) fn record_id(path: &str, para: Option<u32>) -> String {
    let id = match para {
        None => path.to_string(),
        Some(n) => format!("{path}:p{n}"),
    };
    // OpenSearch and Elasticsearch refuse ids over 512 bytes.
    if id.len() > MAX_ID_BYTES {
        format!("xxh3:{:032x}", xxhash_rust::xxh3::xxh3_128(id.as_bytes()))
    } else {
        id
    }
}

const MAX_ID_BYTES: usize = 512;

/// One record as the engines index it (field names are lede's schema's;
/// empty lists are left out).
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub(crate) struct Record {
    pub kind: &'static str,
    pub path: String,
    /// The file a document came from, when the file holds several
    /// (`path` is then `file#part`): what a remote delete or filter by file
    /// needs, since `#` may also occur inside a file name or a URI.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// The document's number inside its file (`dump.jsonl#3`, an mbox's
    /// third message), when its part is a number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub record: Option<u64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub para: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Page of a PDF paragraph, 1-based.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// The document's publication date, RFC 3339 midnight UTC (the day is
    /// what lede stores).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lang: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub translit: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub person: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub org: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub place: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub misc: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date_day: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date_month: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date_year: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date_decade: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date_md: Vec<u64>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub date_span: Vec<u64>,
    #[serde(
        skip_serializing_if = "Vec::is_empty",
        serialize_with = "crate::extract::dates::json::mentions"
    )]
    pub date_mention: Vec<DateMention>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub size: Option<u64>,
}

impl Record {
    pub(crate) fn id(&self) -> String {
        record_id(&self.path, self.para)
    }
}

/// Every live record of the index, sorted (see the module doc).
pub(crate) fn read_all(index: &LedeIndex) -> Result<Vec<Record>> {
    let reader = index.reader()?;
    let searcher = reader.searcher();
    let fields = &index.fields;
    let mut records = Vec::new();
    let mut translit = analysis::analyser(analysis::TRANSLIT_INDEXED);
    for segment in searcher.segment_readers() {
        let fast = segment.fast_fields();
        let name = |field| fields.name(field);
        // In `Record`'s order (see `fill_dates`).
        let dates =
            [fields.date, fields.date_day, fields.date_month, fields.date_year, fields.date_decade]
                .into_iter()
                .map(|field| fast.date(name(field)))
                .collect::<tantivy::Result<Vec<Column<DateTime>>>>()?;
        let sizes = fast.u64(name(fields.size))?;
        let published = fast.date(name(fields.published))?;
        let paras = fast.u64(name(fields.para))?;
        let paths = Names::of(fast.str(name(fields.path))?)?;
        let langs = Names::of(fast.str(name(fields.lang))?)?;
        let entities = fields
            .entities
            .map(|_, field| -> Result<Names> { Names::of(fast.str(name(field))?) })
            .transpose()?;
        // The store is read block after block, each decompressed once.
        let store = segment.get_store_reader(1).context("cannot read the document store")?;
        let alive = (0..segment.max_doc()).filter(|doc| !segment.is_deleted(*doc));
        for (doc_id, stored) in alive.zip(store.iter::<TantivyDocument>(segment.alive_bitset())) {
            let stored = stored?;
            let names = |kind| entities[kind].all(doc_id);
            let mut record = Record {
                path: paths.all(doc_id).into_iter().next().unwrap_or_default(),
                person: names(EntityKind::Person),
                org: names(EntityKind::Org),
                place: names(EntityKind::Place),
                misc: names(EntityKind::Misc),
                ..Record::default()
            };
            match paras.first(doc_id) {
                None => {
                    record.kind = KIND_DOC;
                    record.hash = first_text(&stored, fields.hash);
                    record.size = sizes.first(doc_id);
                }
                Some(para) => {
                    record.kind = KIND_PARA;
                    record.para = Some(para as u32);
                    record.lang = langs.all(doc_id).into_iter().next();
                    fill_paragraph(&mut record, &stored, fields, translit.as_mut());
                    fill_dates(&mut record, &dates, doc_id);
                    record.published = published.first(doc_id).map(day_text);
                }
            }
            records.push(record);
        }
    }
    records.sort_by(|a, b| (&a.path, a.para).cmp(&(&b.path, b.para)));
    add_titles(&mut records);
    add_files(&mut records);
    Ok(records)
}

/// A string column with its whole dictionary read once: looking a term up
/// by ordinal, one record at a time, decoded a dictionary block per name.
struct Names {
    column: Option<StrColumn>,
    terms: Vec<String>,
}

impl Names {
    fn of(column: Option<StrColumn>) -> Result<Names> {
        let mut terms = Vec::new();
        if let Some(column) = &column {
            let mut stream = column.dictionary().stream()?;
            while stream.advance() {
                terms.push(String::from_utf8_lossy(stream.key()).into_owned());
            }
        }
        Ok(Names { column, terms })
    }

    /// The record's values, in the order they were indexed.
    fn all(&self, doc_id: DocId) -> Vec<String> {
        let Some(column) = &self.column else { return Vec::new() };
        column.term_ords(doc_id).filter_map(|ord| self.terms.get(ord as usize).cloned()).collect()
    }
}

fn first_text(doc: &TantivyDocument, field: tantivy::schema::Field) -> Option<String> {
    doc.get_first(field).and_then(|v| v.as_str()).map(str::to_string)
}

/// Stored text, line and date mentions, and what is rebuilt from them.
fn fill_paragraph(
    record: &mut Record,
    stored: &TantivyDocument,
    fields: &Fields,
    translit: Option<&mut tantivy::tokenizer::TextAnalyzer>,
) {
    let text = first_text(stored, fields.text).unwrap_or_default();
    record.line = stored.get_first(fields.line).and_then(|v| v.as_u64());
    record.page = stored.get_first(fields.page).and_then(|v| v.as_u64());
    for stored in stored.get_all(fields.date_mention).filter_map(|v| v.as_str()) {
        let Some(mention) = read_mention(stored, &text) else { continue };
        if let Some((month, day)) = mention.month_day() {
            record.date_md.push(keys::month_day_key(month, day));
        }
        record.date_span.extend(keys::span_key(&mention.value));
        record.date_mention.push(mention);
    }
    // Only words of other scripts reach `translit`: ASCII text has none.
    if let (false, Some(analyser)) = (text.is_ascii(), translit) {
        let mut words = String::new();
        analyser.token_stream(&text).process(&mut |token| {
            if !words.is_empty() {
                words.push(' ');
            }
            words.push_str(&token.text);
        });
        record.translit = (!words.is_empty()).then_some(words);
    }
    record.text = Some(text);
}

fn fill_dates(record: &mut Record, columns: &[Column<DateTime>], doc_id: DocId) {
    let lists = [
        &mut record.date,
        &mut record.date_day,
        &mut record.date_month,
        &mut record.date_year,
        &mut record.date_decade,
    ];
    for (list, column) in lists.into_iter().zip(columns) {
        list.extend(column.values_for_doc(doc_id).map(day_text));
    }
}

/// A stored day as RFC 3339 midnight UTC, which every engine's date parser
/// takes.
fn day_text(value: DateTime) -> String {
    rfc3339_day(value.into_utc().date())
}

/// A calendar day as RFC 3339 midnight UTC (records and remote date filters).
pub(crate) fn rfc3339_day(date: time::Date) -> String {
    format!("{:04}-{:02}-{:02}T00:00:00Z", date.year(), u8::from(date.month()), date.day())
}

/// Every paragraph of a file carries its title (lede indexes it on each for
/// the headline boost and `title:`); the title is paragraph 0's text.
fn add_titles(records: &mut [Record]) {
    let mut current: Option<(String, String)> = None;
    for record in records.iter_mut().filter(|r| r.para.is_some()) {
        if record.para == Some(0) {
            let title = title_text(record.text.as_deref().unwrap_or_default());
            current = Some((record.path.clone(), title));
        }
        match &current {
            Some((path, title)) if *path == record.path => record.title = Some(title.clone()),
            _ => {}
        }
    }
}

/// Names the file of every document that is one part of a file. A file
/// record's path is its file, so the file of `a#b#3` is the longest path of
/// a file record that, followed by `#`, begins it.
fn add_files(records: &mut [Record]) {
    let files: std::collections::HashSet<String> =
        records.iter().filter(|r| r.para.is_none()).map(|r| r.path.clone()).collect();
    for record in records.iter_mut().filter(|r| r.para.is_some()) {
        let file = record
            .path
            .match_indices('#')
            .rev()
            .map(|(at, _)| &record.path[..at])
            .find(|prefix| files.contains(*prefix));
        if let Some(file) = file {
            record.record = record.path[file.len() + 1..].parse().ok();
            record.file = Some(file.to_string());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_path_and_paragraph_and_fit_the_engines_limit() {
        assert_eq!(record_id("a/b.txt", None), "a/b.txt");
        assert_eq!(record_id("a/b.txt", Some(3)), "a/b.txt:p3");
        let long = "x".repeat(600);
        let id = record_id(&long, Some(1));
        assert!(id.starts_with("xxh3:") && id.len() < MAX_ID_BYTES, "{id}");
        assert_ne!(id, record_id(&long, Some(2)));
    }

    #[test]
    fn titles_follow_their_own_file_only() {
        let para = |path: &str, n: u32, text: &str| Record {
            kind: KIND_PARA,
            path: path.to_string(),
            para: Some(n),
            text: Some(text.to_string()),
            ..Record::default()
        };
        let mut records = vec![
            para("a.txt", 0, "# Headline A"),
            para("a.txt", 1, "body"),
            para("b.txt", 1, "no title record"),
        ];
        add_titles(&mut records);
        assert_eq!(records[0].title.as_deref(), Some("Headline A"));
        assert_eq!(records[1].title.as_deref(), Some("Headline A"));
        assert_eq!(records[2].title, None);
    }

    #[test]
    fn parts_name_their_file_even_when_names_hold_a_hash() {
        let record = |path: &str, para: Option<u32>| Record {
            kind: if para.is_some() { KIND_PARA } else { KIND_DOC },
            path: path.to_string(),
            para,
            ..Record::default()
        };
        let mut records = vec![
            record("dump.jsonl", None),
            record("dump.jsonl#3", Some(1)),
            record("issue #5.mbox", None),
            record("issue #5.mbox#2", Some(0)),
            record("site.warc", None),
            record("site.warc#https://example.com/a#top", Some(1)),
            record("plain #1.txt", Some(1)),
        ];
        add_files(&mut records);
        let got: Vec<_> = records.iter().map(|r| (r.file.as_deref(), r.record)).collect();
        assert_eq!(
            got,
            [
                (None, None),
                (Some("dump.jsonl"), Some(3)),
                (None, None),
                (Some("issue #5.mbox"), Some(2)),
                (None, None),
                (Some("site.warc"), None),
                (None, None),
            ]
        );
    }
}
