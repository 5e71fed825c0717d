//! Builds the tantivy records of one file: its file record (manifest data
//! for reindexing) and one record per paragraph with its annotations.

use std::collections::BTreeSet;

use tantivy::tokenizer::{PreTokenizedString, TextAnalyzer};
use tantivy::{DateTime, DocAddress, Searcher, TantivyDocument};
use time::{Date, Month};

use crate::analysis;
use crate::analysis::other_scripts::is_other_script_letter;
use crate::corpus::SourceFile;
use crate::extract::dates::{keys, DateMention, Precision};
use crate::extract::entities::{EntityKind, EntityMention};
use crate::extract::Annotations;
use crate::fingerprint::{self, Signature};
use crate::schema::{Fields, KIND_DOC, KIND_PARA};
use crate::split::Document;

/// The distinct (kind, canonical name) pairs of a file.
pub(crate) type EntityNames = BTreeSet<(EntityKind, String)>;

/// The `doc` record of a file: what incremental reindexing compares, and the
/// union of the entities its paragraphs mention.
pub(crate) fn file_record(
    fields: &Fields,
    file: &SourceFile,
    hash: &str,
    names: &EntityNames,
) -> TantivyDocument {
    let mut record = TantivyDocument::new();
    record.add_text(fields.kind, KIND_DOC);
    record.add_text(fields.path, &file.rel);
    record.add_text(fields.file, &file.rel);
    record.add_text(fields.hash, hash);
    record.add_u64(fields.size, file.size);
    record.add_u64(fields.mtime, file.mtime);
    record.add_u64(fields.order, order_key(hash, &file.rel, 0));
    for (kind, name) in names {
        record.add_text(fields.entities[*kind], name);
    }
    record
}

/// Where record `seq` of a file (0 its file record, then its paragraph
/// records in order) sits in a segment: the index is sorted by this key.
/// The top 20 bits come from the file's content hash, so exact copies of a
/// file sit side by side (at any place in the corpus, written in any run):
/// a search scores a story's copies in one posting block instead of one
/// block per copy, and the store compresses them together. The next 28
/// come from its path, keeping each copy's records together and in order,
/// which [`crate::search::columns`] and the counts rely on; two copies
/// could only mix if their paths' hashes met in 28 bits (odds of 2^-28
/// per pair of identical files). Records past the 65,535th of a file share
/// the last key and keep the order they were written in.
pub(crate) fn order_key(content_hash: &str, path: &str, seq: usize) -> u64 {
    let group = xxhash_rust::xxh3::xxh3_64(content_hash.as_bytes()) >> 44;
    let place = xxhash_rust::xxh3::xxh3_64(path.as_bytes()) >> 36;
    let seq = seq.min(0xffff) as u64;
    (group << 44) | (place << 16) | seq
}

/// The entity names of a whole file, from its paragraphs' annotations.
pub(crate) fn entity_names(annotations: &[Annotations]) -> EntityNames {
    annotations.iter().flat_map(|a| &a.entities).map(|m| (m.kind, m.canonical.clone())).collect()
}

/// The entity names of an existing file record, read from the entity
/// fields' fast columns (for a file whose content did not change, so it
/// need not be analysed again).
pub(crate) fn stored_entity_names(
    searcher: &Searcher,
    fields: &Fields,
    address: DocAddress,
) -> tantivy::Result<EntityNames> {
    let fast = searcher.segment_reader(address.segment_ord).fast_fields();
    let mut names = EntityNames::new();
    let mut name = String::new();
    for (kind, &field) in fields.entities.iter() {
        let Some(column) = fast.str(fields.name(field))? else { continue };
        for ord in column.term_ords(address.doc_id) {
            name.clear();
            column.ord_to_str(ord, &mut name)?;
            names.insert((kind, name.clone()));
        }
    }
    Ok(names)
}

/// The address of a document of `file`: the file's path, then `#part`
/// when the file holds several documents.
pub(crate) fn document_address(file: &str, part: Option<&str>) -> String {
    match part {
        Some(part) => format!("{file}#{part}"),
        None => file.to_string(),
    }
}

/// Every record of a file, in the order they are written: its file
/// record, then each document's paragraph records, each with its
/// [`order_key`].
pub(crate) fn file_records(
    fields: &Fields,
    file: &SourceFile,
    hash: &str,
    names: &EntityNames,
    docs: &[Document],
    annotations: &[Vec<Annotations>],
) -> Vec<TantivyDocument> {
    let mut records = vec![file_record(fields, file, hash, names)];
    for (i, doc) in docs.iter().enumerate() {
        let annotations = annotations.get(i).map_or(&[][..], Vec::as_slice);
        for mut record in paragraph_records(fields, file, doc, annotations) {
            record.add_u64(fields.order, order_key(hash, &file.rel, records.len()));
            records.push(record);
        }
    }
    records
}

/// One `para` record per paragraph (the title is paragraph 0).
fn paragraph_records(
    fields: &Fields,
    file: &SourceFile,
    doc: &Document,
    annotations: &[Annotations],
) -> Vec<TantivyDocument> {
    let mut other_scripts = analysis::analyser(analysis::TRANSLIT_INDEXED);
    let address = document_address(&file.rel, doc.part.as_deref());
    let published = doc.published.map(|p| day_time(p.date()));
    let signature = document_signature(doc).map(|s| s.to_words());
    let mut latin_names = analysis::analyser(analysis::TRANSLIT);
    doc.paragraphs
        .iter()
        .enumerate()
        .map(|(i, para)| {
            let mut record = TantivyDocument::new();
            record.add_text(fields.kind, KIND_PARA);
            record.add_text(fields.path, &address);
            record.add_text(fields.file, &file.rel);
            record.add_u64(fields.para, u64::from(para.number));
            record.add_u64(fields.line, u64::from(para.line));
            if let Some(page) = para.page {
                record.add_u64(fields.page, u64::from(page));
            }
            if let Some(published) = published {
                record.add_date(fields.published, published);
            }
            let lang = annotations.get(i).map(|a| a.lang).filter(|l| !l.is_empty());
            if let Some(lang) = lang {
                record.add_text(fields.lang, lang);
            }
            record.add_text(fields.title, &doc.title);
            record.add_text(fields.text, &para.text);
            record.add_text(fields.text_exact, &para.text);
            // Stemmed once more in the paragraph's own language, if that
            // has a field of its own (`analysis::snowball`).
            if let Some(stems) = lang.and_then(|lang| fields.stem_field(lang)) {
                record.add_text(stems, &para.text);
            }
            let listed = annotations.get(i).map_or(&[][..], |a| &a.entities[..]);
            if let (Some(words), Some(names)) = (other_scripts.as_mut(), latin_names.as_mut()) {
                add_translit(&mut record, fields, [words, names], &para.text, listed);
            }
            if let Some(annotations) = annotations.get(i) {
                add_annotations(&mut record, fields, annotations, &para.text);
            }
            if let Some(hash) = fingerprint::paragraph_hash(&para.text) {
                record.add_u64(fields.para_hash, hash);
            }
            // On the document's first record only: a search finds it beside
            // any of its passages (`RecordColumns::head_beside`).
            if let (Some(signature), 0) = (&signature, i) {
                for &word in signature.iter() {
                    record.add_u64(fields.doc_signature, word);
                }
            }
            record
        })
        .collect()
}

/// The signature of a document's body: a syndicated copy often carries its
/// own headline. A document that is only a headline is its headline.
fn document_signature(doc: &Document) -> Option<Signature> {
    let body = doc.paragraphs.iter().filter(|p| p.number > 0).map(|p| p.text.as_str());
    Signature::of(body).or_else(|| Signature::of(doc.paragraphs.iter().map(|p| p.text.as_str())))
}

/// Indexes the words of other scripts than Latin into `translit`, already
/// analysed: the field's own analyser is the one query words go through,
/// which keeps Latin words too. An entity written in another script adds
/// the words of its canonical (English) name, with the mention's offsets:
/// that is how `Pyongyang` finds `평양` and `平壤`, whose romanisation is
/// never guessed.
fn add_translit(
    record: &mut TantivyDocument,
    fields: &Fields,
    [words, names]: [&mut TextAnalyzer; 2],
    text: &str,
    entities: &[EntityMention],
) {
    let mut tokens = Vec::new();
    words.token_stream(text).process(&mut |token| tokens.push(token.clone()));
    for mention in entities.iter().filter(|m| m.text.chars().any(is_other_script_letter)) {
        names.token_stream(&mention.canonical).process(&mut |token| {
            let mut token = token.clone();
            (token.offset_from, token.offset_to) = (mention.start, mention.end);
            tokens.push(token);
        });
    }
    if !tokens.is_empty() {
        record.add_pre_tokenized_text(
            fields.translit,
            PreTokenizedString { text: String::new(), tokens },
        );
    }
}

fn add_annotations(
    record: &mut TantivyDocument,
    fields: &Fields,
    annotations: &Annotations,
    text: &str,
) {
    let mut seen = BTreeSet::new();
    for mention in &annotations.entities {
        if seen.insert((mention.kind, mention.canonical.as_str())) {
            record.add_text(fields.entities[mention.kind], &mention.canonical);
        }
    }
    for mention in &annotations.dates {
        add_date(record, fields, mention, text);
    }
}

/// Indexes one date mention so that range filters are exact: each calendar
/// period goes to the field of its size, and a filter asks each field for
/// the periods that overlap its range (see `search::filters`).
fn add_date(record: &mut TantivyDocument, fields: &Fields, mention: &DateMention, text: &str) {
    if let Some(stored) = stored_mention(mention, text) {
        record.add_text(fields.date_mention, stored);
    }
    if let Some((month, day)) = mention.month_day() {
        record.add_u64(fields.date_md, keys::month_day_key(month, day));
    }
    if let Some(key) = keys::span_key(&mention.value) {
        record.add_u64(fields.date_span, key);
    }
    let Some((first, last)) = mention.day_range() else {
        return;
    };
    record.add_date(fields.date, day_time(first));
    match period_of(first, last) {
        Period::Day => record.add_date(fields.date_day, day_time(first)),
        Period::Year => record.add_date(fields.date_year, day_time(first)),
        Period::Decade => record.add_date(fields.date_decade, day_time(first)),
        Period::Wide => {}
        Period::Months => {
            // Months, quarters, seasons, weeks: every month touched. A week
            // or season is then found by any filter on the months it spans.
            let mut month = first_of_month(first);
            while month <= last {
                record.add_date(fields.date_month, day_time(month));
                month = next_month(month);
            }
        }
    }
}

/// A date mention as the document store keeps it: `start end precision
/// value`, the surface text being the paragraph's bytes `start..end` (a
/// third of the JSON's size; the store was 0.23 MB smaller on Reuters). A
/// mention whose text is not that slice is kept as its JSON.
fn stored_mention(mention: &DateMention, text: &str) -> Option<String> {
    if text.get(mention.start..mention.end) != Some(mention.text.as_str()) {
        let json = serde_json::to_value(mention).ok()?;
        return Some(json.to_string());
    }
    let precision = mention.precision.name();
    Some(format!("{} {} {precision} {}", mention.start, mention.end, mention.value))
}

/// A stored date mention read back, given the text of its paragraph;
/// `None` when it is damaged.
pub(crate) fn read_mention(stored: &str, text: &str) -> Option<DateMention> {
    if stored.starts_with('{') {
        return serde_json::from_str(stored).ok();
    }
    let mut parts = stored.splitn(4, ' ');
    let start: usize = parts.next()?.parse().ok()?;
    let end: usize = parts.next()?.parse().ok()?;
    let precision = Precision::parse(parts.next()?)?;
    let value = parts.next()?.to_string();
    let text = text.get(start..end)?.to_string();
    Some(DateMention { text, start, end, value, precision })
}

/// How a day range is indexed.
#[derive(Debug, PartialEq, Eq)]
enum Period {
    Day,
    /// Whole months or a part of the calendar inside a few of them.
    Months,
    Year,
    Decade,
    /// Centuries and longer: too coarse to filter on; only `date` has it.
    Wide,
}

fn period_of(first: Date, last: Date) -> Period {
    let whole_years = first.month() == Month::January
        && first.day() == 1
        && last.month() == Month::December
        && last.day() == 31;
    if last.to_julian_day() - first.to_julian_day() > 3_660 {
        Period::Wide
    } else if first == last {
        Period::Day
    } else if whole_years && first.year() == last.year() {
        Period::Year
    } else if whole_years && first.year() % 10 == 0 && last.year() == first.year() + 9 {
        Period::Decade
    } else {
        Period::Months
    }
}

/// Midnight UTC of a calendar day, as tantivy stores dates.
pub(crate) fn day_time(date: Date) -> DateTime {
    DateTime::from_timestamp_secs(i64::from(date.to_julian_day() - UNIX_EPOCH_JULIAN_DAY) * 86_400)
}

/// Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i32 = 2_440_588;

pub(crate) fn first_of_month(date: Date) -> Date {
    date.replace_day(1).unwrap_or(date)
}

fn next_month(date: Date) -> Date {
    let first = first_of_month(date);
    let (year, month) = match first.month() {
        Month::December => (first.year() + 1, Month::January),
        other => (first.year(), other.next()),
    };
    Date::from_calendar_date(year, month, 1).unwrap_or(Date::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
    }

    #[test]
    fn periods_by_extent() {
        assert_eq!(period_of(d(2024, 8, 6), d(2024, 8, 6)), Period::Day);
        assert_eq!(period_of(d(2024, 8, 1), d(2024, 8, 31)), Period::Months);
        assert_eq!(period_of(d(2024, 7, 1), d(2024, 9, 30)), Period::Months);
        assert_eq!(period_of(d(2021, 1, 1), d(2021, 12, 31)), Period::Year);
        assert_eq!(period_of(d(1990, 1, 1), d(1999, 12, 31)), Period::Decade);
        assert_eq!(period_of(d(1991, 1, 1), d(2000, 12, 31)), Period::Months);
        assert_eq!(period_of(d(1901, 1, 1), d(2000, 12, 31)), Period::Wide);
    }

    #[test]
    fn stored_mentions_read_back_as_they_were() {
        let text = "Talks began on Nov. 1, 2024 and ended in the 1990s, as planned.";
        let mention = |surface: &str, value: &str, precision| {
            let start = text.find(surface).unwrap();
            DateMention {
                text: surface.to_string(),
                start,
                end: start + surface.len(),
                value: value.to_string(),
                precision,
            }
        };
        for m in [
            mention("Nov. 1, 2024", "2024-11-01", Precision::Day),
            mention("the 1990s", "199X", Precision::Decade),
        ] {
            let stored = stored_mention(&m, text).unwrap();
            assert!(!stored.starts_with('{'), "{stored}");
            assert_eq!(read_mention(&stored, text), Some(m));
        }
        // A mention whose text is not its span is kept whole.
        let mut odd = mention("Nov. 1, 2024", "2024-11-01", Precision::Day);
        odd.text = "November 1".to_string();
        let stored = stored_mention(&odd, text).unwrap();
        assert_eq!(read_mention(&stored, text), Some(odd));
    }

    #[test]
    fn day_time_counts_days_from_the_epoch() {
        assert_eq!(day_time(d(1970, 1, 2)).into_timestamp_secs(), 86_400);
        assert_eq!(next_month(d(2024, 12, 15)), d(2025, 1, 1));
    }
}
