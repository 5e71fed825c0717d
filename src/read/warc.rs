//! WARC web archives (`.warc`, `.warc.gz`, as wget, ArchiveBox and
//! Webrecorder write them): each successful `response` record with an HTML
//! payload is a document addressed by its target URI.
//!
//! The record block is the HTTP response as received: its headers are
//! stripped and a chunked or gzip-encoded payload is decoded before the page
//! is read. The archive's capture date is the fallback publication date. A
//! gzip stream that ends early keeps every record read before the break.

use std::borrow::Cow;
use std::io::{BufRead, BufReader, Read};

use flate2::read::{GzDecoder, MultiGzDecoder};
use warc::{RecordType, WarcHeader, WarcReader};

use super::{html, ReadDocument, ReadError};

/// Largest decoded payload read from one record (a news page is well under
/// a megabyte; a gzip bomb stops here).
const MAX_PAYLOAD_BYTES: u64 = 64 << 20;

pub(crate) fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    let reader: Box<dyn BufRead + '_> = if bytes.starts_with(&[0x1f, 0x8b]) {
        Box::new(BufReader::new(MultiGzDecoder::new(bytes)))
    } else {
        Box::new(bytes)
    };
    let mut documents: Vec<ReadDocument> = Vec::new();
    let mut any_record = false;
    for (index, record) in WarcReader::new(reader).iter_records().enumerate() {
        any_record = true;
        let record = match record {
            Ok(record) => record,
            Err(err) if index == 0 => {
                return Err(ReadError::Failed(format!("not a readable WARC file: {err}")))
            }
            Err(err) => {
                // The stream cannot be resynchronised after a broken record.
                let note = format!(
                    "the archive breaks off after record {index} ({err}): the records before it were read"
                );
                match documents.last_mut() {
                    Some(last) => last.notes.push(note),
                    None => return Err(ReadError::Failed(note)),
                }
                break;
            }
        };
        if *record.warc_type() != RecordType::Response {
            continue;
        }
        let Some(uri) = record.header(WarcHeader::TargetURI) else { continue };
        let Some(html) = html_payload(record.body()) else { continue };
        let mut doc = match html::read_page(&html) {
            Ok(doc) => doc,
            // A page with no text (a redirect, an empty shell) is no document.
            Err(_) => continue,
        };
        doc.part = Some(uri.to_string());
        doc.url = Some(uri.to_string());
        if doc.title.is_empty() {
            doc.title = uri.to_string();
        }
        if doc.published.is_none() {
            doc.published =
                time::OffsetDateTime::from_unix_timestamp(record.date().timestamp()).ok();
        }
        documents.push(doc);
    }
    if !any_record {
        return Err(ReadError::Failed("not a WARC file: no record found".into()));
    }
    Ok(documents)
}

/// The decoded HTML of a successful HTTP response; `None` for other
/// statuses, other media types and bodies that cannot be decoded.
fn html_payload(block: &[u8]) -> Option<String> {
    let (head, body) = split_http(block)?;
    let mut lines = head.lines();
    let status = lines.next()?.split_whitespace().nth(1)?;
    if !status.starts_with('2') {
        return None;
    }
    let header = |name: &str| {
        head.lines()
            .skip(1)
            .filter_map(|line| line.split_once(':'))
            .find(|(key, _)| key.trim().eq_ignore_ascii_case(name))
            .map(|(_, value)| value.trim().to_ascii_lowercase())
    };
    let content_type = header("content-type").unwrap_or_default();
    if !(content_type.starts_with("text/html") || content_type.starts_with("application/xhtml")) {
        return None;
    }
    let mut body = Cow::Borrowed(body);
    if header("transfer-encoding").is_some_and(|te| te.contains("chunked")) {
        body = Cow::Owned(crate::chunked::decode(&body)?);
    }
    if header("content-encoding").is_some_and(|ce| ce.contains("gzip")) {
        let mut inflated = Vec::new();
        GzDecoder::new(&body[..]).take(MAX_PAYLOAD_BYTES).read_to_end(&mut inflated).ok()?;
        body = Cow::Owned(inflated);
    }
    Some(
        match content_type.contains("charset=iso-8859-1")
            || content_type.contains("charset=windows-1252")
        {
            true => body.iter().map(|&byte| char::from(byte)).collect(),
            false => String::from_utf8_lossy(&body).into_owned(),
        },
    )
}

/// HTTP head (as text) and body.
fn split_http(block: &[u8]) -> Option<(Cow<'_, str>, &[u8])> {
    let end = block
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .map(|at| (at, at + 4))
        .or_else(|| block.windows(2).position(|w| w == b"\n\n").map(|at| (at, at + 2)))?;
    Some((String::from_utf8_lossy(&block[..end.0]), &block[end.1..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::test_data;

    fn summary(docs: &[ReadDocument]) -> Vec<(&str, &str, Vec<&str>, i64)> {
        docs.iter()
            .map(|doc| {
                (
                    doc.part.as_deref().unwrap_or(""),
                    doc.title.as_str(),
                    doc.paragraphs.iter().map(|p| p.text.as_str()).collect(),
                    doc.published.map_or(0, |d| d.unix_timestamp()),
                )
            })
            .collect()
    }

    fn expected() -> Vec<(&'static str, &'static str, Vec<&'static str>, i64)> {
        vec![
            (
                "https://news.example.com/harbour",
                "Harbour strike ends",
                vec![
                    // The <h1> repeats the title and is not kept twice.
                    "Dockers voted to accept the pelican-class pay offer on Sunday.",
                    "Ships are queuing again.",
                ],
                1_719_828_002,
            ),
            (
                "https://news.example.com/ferry",
                "Ferry fares",
                vec!["Ferry fares rise by the narwhal surcharge in October."],
                1_719_828_004,
            ),
        ]
    }

    #[test]
    fn html_responses_become_documents_plain_and_gzipped() {
        for name in ["site.warc", "site.warc.gz"] {
            let docs = read(&test_data(name)).unwrap();
            assert_eq!(summary(&docs), expected(), "{name}");
            assert!(docs.iter().all(|doc| doc.notes.is_empty()));
        }
    }

    #[test]
    fn a_gzip_that_ends_early_keeps_the_records_before() {
        let docs = read(&test_data("truncated.warc.gz")).unwrap();
        assert_eq!(summary(&docs), expected()[..1]);
        assert!(docs[0].notes[0].contains("breaks off"), "{:?}", docs[0].notes);
    }

    #[test]
    fn not_a_warc_fails() {
        assert!(matches!(read(b"<html>not an archive</html>"), Err(ReadError::Failed(_))));
    }

    #[test]
    fn chunked_gzip_payloads_are_decoded() {
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        std::io::Write::write_all(&mut gz, b"<p>squid</p>").unwrap();
        let zipped = gz.finish().unwrap();
        let mut block = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n".to_vec();
        block.extend(format!("{:x}\r\n", zipped.len()).bytes());
        block.extend(&zipped);
        block.extend(b"\r\n0\r\n\r\n");
        assert_eq!(html_payload(&block).as_deref(), Some("<p>squid</p>"));
        assert_eq!(
            html_payload(b"HTTP/1.1 404 Not Found\r\nContent-Type: text/html\r\n\r\n<p>x</p>"),
            None
        );
    }
}
