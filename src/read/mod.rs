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

// The dispatcher (branch read-core) is what calls these readers; until it
// lands only their tests do.
#[allow(dead_code)]
pub(crate) mod docx;
#[allow(dead_code)]
mod fallback;
#[allow(dead_code)]
pub(crate) mod mail;
#[allow(dead_code)]
pub(crate) mod pdf;
#[allow(dead_code)]
pub(crate) mod warc;

/// The formats lede reads, chosen by extension and checked by content.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Format {
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

/// One document read from a file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReadDocument {
    /// What follows `#` in the document's address: `None` when the file is
    /// one document; the record number (`"3"`), the attachment name or the
    /// target URI when it holds several.
    pub part: Option<String>,
    pub title: String,
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
pub struct ReadParagraph {
    pub text: String,
    pub location: Location,
}

/// Where a paragraph stands in its file.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// First line in the file (text, and formats whose lines a person can
    /// count in an editor), 1-based.
    Line(u32),
    /// Page of a PDF, 1-based.
    Page(u32),
    /// Nothing finer than the document (a DOCX body, an HTML page).
    Document,
}

/// Why a file (or a document in it) was not read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadError {
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
#[allow(dead_code)] // until the dispatcher calls the readers
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
#[allow(dead_code)] // until the dispatcher calls the readers
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
#[allow(dead_code)] // until the dispatcher calls the readers
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
}
