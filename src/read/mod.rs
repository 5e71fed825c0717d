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
