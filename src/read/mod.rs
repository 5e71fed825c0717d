//! Readers: the bytes of one file → the documents it holds.
//!
//! Each format has a module of its own (`text`, `html`, `pdf`, `docx`,
//! `mail`, `jsonl`, `warc`) with one entry point of the shape
//! `fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError>`. Readers
//! are pure (no I/O, no tantivy): everything after them — split, extract,
//! index, search, show — is format-blind. A file that holds several
//! documents (mbox, JSON Lines, WARC, e-mail attachments) returns one
//! [`ReadDocument`] per document, each with its own `part`, addressed
//! `path#part`.
//!
//! Third-party parsers run behind the dispatcher's guard, which turns a panic
//! or an overrun into that file's [`ReadError`]; a reader itself only has to
//! return errors for what it can recognise.

use std::fmt;

pub(crate) mod decode;
pub(crate) mod docx;
pub(crate) mod mail;
pub(crate) mod pdf;
pub(crate) mod warc;

use crate::split;

pub(crate) mod guard;
pub(crate) mod html;
pub(crate) mod json;
mod sniff;
pub(crate) mod text;

pub(crate) use guard::{read_guarded, ReadOptions};
pub(crate) use sniff::choose_format;

/// The formats lede reads, chosen by extension and checked by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Format {
    Text,
    Html,
    Pdf,
    Docx,
    /// One message (`.eml`).
    Email,
    /// Many messages (`.mbox`).
    Mbox,
    /// JSON Lines or a JSON array of article records.
    Json,
    /// Web archive (`.warc`, `.warc.gz`).
    Warc,
}

impl Format {
    /// The format a file name promises, by its extension (case-insensitive;
    /// `.warc.gz` counts as WARC).
    pub(crate) fn from_name(name: &str) -> Option<Format> {
        let lower = name.to_ascii_lowercase();
        if lower.ends_with(".warc.gz") {
            return Some(Format::Warc);
        }
        let (_, ext) = lower.rsplit_once('.')?;
        Some(match ext {
            "txt" | "md" | "text" => Format::Text,
            "html" | "htm" | "xhtml" => Format::Html,
            "pdf" => Format::Pdf,
            "docx" => Format::Docx,
            "eml" => Format::Email,
            "mbox" => Format::Mbox,
            "jsonl" | "ndjson" | "json" => Format::Json,
            "warc" => Format::Warc,
            _ => return None,
        })
    }

    /// The name reports and notes use.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Format::Text => "text",
            Format::Html => "HTML",
            Format::Pdf => "PDF",
            Format::Docx => "DOCX",
            Format::Email => "e-mail",
            Format::Mbox => "mbox",
            Format::Json => "JSON",
            Format::Warc => "WARC",
        }
    }

    /// The reader of this format, when this build has one.
    pub(crate) fn reader(self) -> Option<Reader> {
        match self {
            Format::Text => Some(text::read),
            Format::Html => Some(html::read),
            Format::Json => Some(json::read),
            Format::Pdf => Some(pdf::read),
            Format::Docx => Some(docx::read),
            Format::Email => Some(mail::read),
            Format::Mbox => Some(mail::read_mbox),
            Format::Warc => Some(warc::read),
        }
    }

    /// Largest file of this format that is read at all: bigger ones are
    /// skipped, which bounds a reader's memory (parsers hold a few times
    /// their input).
    pub(crate) fn max_bytes(self) -> u64 {
        const MIB: u64 = 1024 * 1024;
        match self {
            Format::Text | Format::Json | Format::Mbox | Format::Warc => 64 * MIB,
            Format::Html | Format::Email => 16 * MIB,
            Format::Pdf | Format::Docx => 32 * MIB,
        }
    }
}

/// The entry point every format module has.
pub(crate) type Reader = fn(&[u8]) -> Result<Vec<ReadDocument>, ReadError>;

/// Whether lede reads files with this name (a format with a reader).
pub(crate) fn is_readable_name(name: &str) -> bool {
    Format::from_name(name).is_some_and(|f| f.reader().is_some())
}

/// One document read from a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct ReadDocument {
    /// What follows `#` in the document's address: `None` when the file is
    /// one document; the record number (`"3"`), the attachment name or the
    /// target URI when it holds several.
    pub part: Option<String>,
    pub title: String,
    /// The title as the file holds it, when it is a paragraph of the file
    /// (the first line of a text file, Markdown marks and all): indexed as
    /// paragraph 0. `None` when the title is metadata; `title` is then
    /// paragraph 0.
    pub title_paragraph: Option<ReadParagraph>,
    /// Publication date as the source states it, normalised to UTC.
    pub published: Option<time::OffsetDateTime>,
    pub url: Option<String>,
    pub author: Option<String>,
    /// Other metadata a person may want to see (`from`, `to`, …).
    pub meta: Vec<(String, String)>,
    /// Body paragraphs in reading order (the title is not repeated here).
    pub paragraphs: Vec<ReadParagraph>,
    /// Things the user should hear about once ("read as PDF although named
    /// .html").
    pub notes: Vec<String>,
}

/// One paragraph with the place a person can open it at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ReadParagraph {
    pub text: String,
    pub location: Location,
}

/// Where a paragraph stands in its file.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) enum Location {
    /// First line in the file (text, and formats whose lines a person can
    /// count in an editor), 1-based.
    Line(u32),
    /// Page of a PDF, 1-based.
    Page(u32),
    /// Nothing finer than the document (a DOCX body, an HTML page).
    #[default]
    Document,
}

/// Why a file (or a document in it) was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum ReadError {
    /// Readable but not indexable as it is (scanned PDF with no text layer,
    /// encrypted): reported once and recorded, not retried on every run.
    Skipped(String),
    /// Broken input (truncated, malformed) or a parser failure.
    Failed(String),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::Skipped(why) | ReadError::Failed(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for ReadError {}

/// Runs of whitespace (newlines, tabs, NBSP) as one space, trimmed: how every
/// reader hands over a paragraph.
pub(crate) fn normalise_whitespace(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    out
}

/// A date and time with its offset from UTC, as a UTC instant; `None` when a
/// field is out of range. Readers parse their formats' own date syntax and
/// build the value here.
pub(crate) fn datetime_utc(
    (year, month, day): (i32, u8, u8),
    (hour, minute, second): (u8, u8, u8),
    offset_seconds: i32,
) -> Option<time::OffsetDateTime> {
    let month = time::Month::try_from(month).ok()?;
    let date = time::Date::from_calendar_date(year, month, day).ok()?;
    let clock = time::Time::from_hms(hour, minute, second).ok()?;
    let offset = time::UtcOffset::from_whole_seconds(offset_seconds).ok()?;
    Some(
        time::PrimitiveDateTime::new(date, clock)
            .assume_offset(offset)
            .to_offset(time::UtcOffset::UTC),
    )
}

/// An RFC 3339 / W3C-DTF timestamp (`2024-03-05T09:30:00Z`,
/// `2024-03-05T09:30:00.5+01:00`, or a bare `2024-03-05`).
pub(crate) fn parse_rfc3339(text: &str) -> Option<time::OffsetDateTime> {
    let text = text.trim();
    let number = |range: std::ops::Range<usize>| text.get(range)?.parse::<u32>().ok();
    let date = (number(0..4)? as i32, number(5..7)? as u8, number(8..10)? as u8);
    if text.len() == 10 {
        return datetime_utc(date, (0, 0, 0), 0);
    }
    let clock = (number(11..13)? as u8, number(14..16)? as u8, number(17..19)? as u8);
    let zone = text.get(19..)?.trim_start_matches(|c: char| c == '.' || c.is_ascii_digit());
    let offset = match zone {
        "" | "Z" | "z" => 0,
        _ => {
            let sign = if zone.starts_with('-') { -1 } else { 1 };
            let hours = zone.get(1..3)?.parse::<i32>().ok()?;
            let minutes = zone.get(4..6)?.parse::<i32>().ok()?;
            sign * (hours * 3600 + minutes * 60)
        }
    };
    datetime_utc(date, clock, offset)
}

/// The bytes of a fixture in `tests/data/`.
#[cfg(test)]
pub(crate) fn test_data(name: &str) -> Vec<u8> {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read(&path).unwrap_or_else(|err| panic!("{}: {err}", path.display()))
}

impl ReadDocument {
    /// The document as the indexer takes it: paragraph 0 is the title (as
    /// the file holds it, or the metadata title), the body follows.
    pub(crate) fn into_document(self) -> split::Document {
        let title = match self.title_paragraph {
            Some(paragraph) => Some(paragraph),
            None if !self.title.trim().is_empty() => {
                Some(ReadParagraph { text: self.title.clone(), location: Location::Document })
            }
            None => None,
        };
        let first_number = if title.is_some() { 0 } else { 1 };
        let pieces = title
            .into_iter()
            .chain(self.paragraphs)
            .filter(|p| !p.text.trim().is_empty())
            .map(|paragraph| {
                let (line, page) = match paragraph.location {
                    Location::Line(line) => (line, None),
                    Location::Page(page) => (0, Some(page)),
                    Location::Document => (0, None),
                };
                split::Paragraph { number: 0, line, range: 0..0, text: paragraph.text, page }
            })
            .flat_map(split::cut_if_too_long);
        let paragraphs = pieces
            .zip(first_number..)
            .map(|(paragraph, number)| split::Paragraph { number, ..paragraph })
            .collect();
        split::Document {
            title: self.title,
            paragraphs,
            part: self.part,
            published: self.published,
        }
    }
}

/// A publication date as sources write it: ISO 8601 (`2024-08-06`,
/// `2024-08-06T09:30:00+02:00`) or any full date lede's date extractor
/// knows (`Tue, 06 Aug 2024 09:30:00 GMT`, `6 August 2024`). The time of
/// day is dropped: lede filters and sorts by day.
pub(crate) fn parse_published(text: &str) -> Option<time::OffsetDateTime> {
    let date = iso_date(text.trim()).or_else(|| {
        crate::extract::dates::extract(text, None)
            .into_iter()
            .filter(|m| m.precision == crate::extract::dates::Precision::Day)
            .find_map(|m| m.day_range())
            .map(|(first, _)| first)
    })?;
    Some(date.midnight().assume_utc())
}

fn iso_date(text: &str) -> Option<time::Date> {
    let head = text.get(..10)?;
    let bytes = head.as_bytes();
    if bytes[4] != b'-' || bytes[7] != b'-' {
        return None;
    }
    let year: i32 = head[..4].parse().ok()?;
    let month: u8 = head[5..7].parse().ok()?;
    let day: u8 = head[8..10].parse().ok()?;
    time::Date::from_calendar_date(year, time::Month::try_from(month).ok()?, day).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_with_offsets_and_fractions() {
        let at = |s: &str| parse_rfc3339(s).map(|d| d.unix_timestamp());
        assert_eq!(at("2024-03-05T09:30:00Z"), Some(1_709_631_000));
        assert_eq!(at("2024-03-05T10:30:00.250+01:00"), Some(1_709_631_000));
        assert_eq!(at("2024-03-05"), Some(1_709_596_800));
        assert_eq!(at("2024-13-05T09:30:00Z"), None);
        assert_eq!(at("yesterday"), None);
    }

    #[test]
    fn whitespace_runs_become_one_space() {
        assert_eq!(normalise_whitespace(" a\n\tb\u{a0} c "), "a b c");
    }

    #[test]
    fn publication_dates_in_the_usual_forms() {
        for text in ["2024-08-06", "2024-08-06T23:30:00-05:00", "Tue, 06 Aug 2024 09:30:00 GMT"] {
            let date = parse_published(text).map(|d| d.date().to_string());
            assert_eq!(date.as_deref(), Some("2024-08-06"), "{text}");
        }
        assert_eq!(parse_published("last week"), None);
        assert_eq!(parse_published("2024-13-40"), None);
    }

    #[test]
    fn metadata_title_becomes_paragraph_zero() {
        let read = ReadDocument {
            title: "Headline".into(),
            paragraphs: vec![
                ReadParagraph { text: "Body.".into(), location: Location::Page(3) },
                ReadParagraph { text: "  ".into(), location: Location::Page(3) },
            ],
            ..ReadDocument::default()
        };
        let doc = read.into_document();
        let got: Vec<(u32, &str, u32, Option<u32>)> =
            doc.paragraphs.iter().map(|p| (p.number, p.text.as_str(), p.line, p.page)).collect();
        assert_eq!(got, [(0, "Headline", 0, None), (1, "Body.", 0, Some(3))]);
    }
}
