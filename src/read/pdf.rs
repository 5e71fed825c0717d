//! PDF: the text layer as paragraphs in reading order, each with its page.
//!
//! `pdf-extract` (over `lopdf`) decodes each glyph with its position; the
//! order of glyphs in the content stream is not reading order (a producer may
//! draw the right column first), so [`layout`] rebuilds lines, columns and
//! paragraphs from the positions. A file without a single glyph is a scan and
//! is skipped with a hint to OCR it; a file that needs a password is skipped.

mod layout;

use std::panic::{catch_unwind, AssertUnwindSafe};

use pdf_extract::{Document, MediaBox, Object, OutputDev, OutputError, Transform};

use super::{datetime_utc, normalise_whitespace, ReadDocument, ReadError};
use layout::{Glyph, PageGlyphs};

pub(crate) fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    let truncated = !has_end_marker(bytes);
    let document = load(bytes).map_err(|err| match truncated {
        true => ReadError::Failed(format!("truncated PDF (no %%EOF marker): {err}")),
        false => err,
    })?;
    let mut collector = GlyphCollector::default();
    // pdf-extract unwraps on some malformed objects: a panic there is this
    // file's error, not the run's.
    let outcome =
        catch_unwind(AssertUnwindSafe(|| pdf_extract::output_doc(&document, &mut collector)));
    match outcome {
        Ok(Ok(())) => {}
        Ok(Err(err)) if collector.pages.is_empty() => {
            return Err(ReadError::Failed(format!("unreadable PDF: {}", describe(&err))))
        }
        Ok(Err(_)) | Err(_) if truncated => {}
        Ok(Err(err)) => {
            return Err(ReadError::Failed(format!("unreadable PDF: {}", describe(&err))))
        }
        Err(_) => return Err(ReadError::Failed("the PDF parser failed on this file".into())),
    }
    if collector.pages.iter().all(|page| page.glyphs.iter().all(|g| g.text.trim().is_empty())) {
        return Err(match truncated {
            true => {
                ReadError::Failed("truncated PDF (no %%EOF marker) with no readable text".into())
            }
            false => ReadError::Skipped("no text layer: scanned? run OCR first".into()),
        });
    }

    let mut doc = ReadDocument::default();
    let info = info_dictionary(&document);
    let info_text = |key: &[u8]| {
        info.and_then(|info| info.get(key).ok())
            .and_then(|value| value.as_str().ok())
            .map(|raw| normalise_whitespace(&decode_text_string(raw)))
            .filter(|text| !text.is_empty())
    };
    doc.author = info_text(b"Author");
    doc.published = info_text(b"CreationDate").and_then(|date| parse_pdf_date(&date));
    let laid_out = layout::paragraphs(&collector.pages);
    doc.paragraphs = laid_out.paragraphs;
    // Producers write placeholder titles ("untitled") when the author set none.
    let title = info_text(b"Title").filter(|title| !title.eq_ignore_ascii_case("untitled"));
    doc.title = match (title, laid_out.heading) {
        (Some(title), _) => title,
        (None, Some(index)) => doc.paragraphs.remove(index).text,
        (None, None) => String::new(),
    };
    if truncated {
        doc.notes.push("the PDF looks truncated (no %%EOF marker): text may be missing".into());
    }
    Ok(vec![doc])
}

/// Loads the document, opening files whose password is empty (encrypted only
/// to restrict printing or copying); any other encryption is skipped.
fn load(bytes: &[u8]) -> Result<Document, ReadError> {
    let encrypted = || {
        ReadError::Skipped(
            "encrypted PDF (password needed): decrypt it first, then index it".into(),
        )
    };
    let mut document = match catch_unwind(|| Document::load_mem(bytes)) {
        Ok(Ok(document)) => document,
        Ok(Err(pdf_extract::Error::Decryption(_))) => return Err(encrypted()),
        Ok(Err(err)) => return Err(ReadError::Failed(format!("not a readable PDF: {err}"))),
        Err(_) => return Err(ReadError::Failed("the PDF parser failed on this file".into())),
    };
    if document.is_encrypted() && document.decrypt("").is_err() {
        return Err(encrypted());
    }
    Ok(document)
}

fn describe(err: &OutputError) -> String {
    match err {
        OutputError::PdfError(err) => err.to_string(),
        OutputError::IoError(err) => err.to_string(),
        OutputError::FormatError(err) => err.to_string(),
    }
}

/// `%%EOF` within the last kilobyte, where every complete PDF has it.
fn has_end_marker(bytes: &[u8]) -> bool {
    let tail = &bytes[bytes.len().saturating_sub(1024)..];
    tail.windows(5).any(|window| window == b"%%EOF")
}

fn info_dictionary(document: &Document) -> Option<&pdf_extract::Dictionary> {
    match document.trailer.get(b"Info").ok()? {
        Object::Reference(id) => document.get_dictionary(*id).ok(),
        Object::Dictionary(info) => Some(info),
        _ => None,
    }
}

/// A PDF text string: UTF-16BE after a byte-order mark, else PDFDocEncoding,
/// which matches Latin-1 on the characters metadata uses.
fn decode_text_string(raw: &[u8]) -> String {
    match raw.strip_prefix(&[0xfe, 0xff]) {
        Some(utf16) => {
            let units: Vec<u16> =
                utf16.chunks_exact(2).map(|pair| u16::from_be_bytes([pair[0], pair[1]])).collect();
            String::from_utf16_lossy(&units)
        }
        None => match std::str::from_utf8(raw) {
            Ok(text) => text.to_owned(),
            Err(_) => raw.iter().map(|&byte| char::from(byte)).collect(),
        },
    }
}

/// `D:YYYYMMDDHHmmSS+HH'mm'`, any tail of which may be missing.
fn parse_pdf_date(text: &str) -> Option<time::OffsetDateTime> {
    let text = text.strip_prefix("D:").unwrap_or(text);
    let digits = |range: std::ops::Range<usize>, default: u32| match text.get(range) {
        Some(field) if field.bytes().all(|b| b.is_ascii_digit()) => field.parse().ok(),
        Some(_) => None,
        None => Some(default),
    };
    let year = text.get(0..4)?.parse::<i32>().ok()?;
    let date = (year, digits(4..6, 1)? as u8, digits(6..8, 1)? as u8);
    let clock = (digits(8..10, 0)? as u8, digits(10..12, 0)? as u8, digits(12..14, 0)? as u8);
    let zone = text.get(14..).unwrap_or("");
    let offset = match zone.chars().next() {
        Some(sign @ ('+' | '-')) => {
            let fields: Vec<i32> =
                zone[1..].split('\'').filter_map(|field| field.parse().ok()).collect();
            let seconds = fields.first().copied().unwrap_or(0) * 3600
                + fields.get(1).copied().unwrap_or(0) * 60;
            if sign == '-' {
                -seconds
            } else {
                seconds
            }
        }
        _ => 0,
    };
    datetime_utc(date, clock, offset)
}

/// Receives pdf-extract's glyphs, page by page, in top-down coordinates.
#[derive(Default)]
struct GlyphCollector {
    pages: Vec<PageGlyphs>,
    height: f64,
}

impl OutputDev for GlyphCollector {
    fn begin_page(
        &mut self,
        page_num: u32,
        media_box: &MediaBox,
        _art_box: Option<(f64, f64, f64, f64)>,
    ) -> Result<(), OutputError> {
        self.height = media_box.ury - media_box.lly;
        self.pages.push(PageGlyphs {
            number: page_num,
            width: media_box.urx - media_box.llx,
            height: self.height,
            glyphs: Vec::new(),
        });
        Ok(())
    }

    fn end_page(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn output_character(
        &mut self,
        trm: &Transform,
        width: f64,
        _spacing: f64,
        font_size: f64,
        text: &str,
    ) -> Result<(), OutputError> {
        // The font size as drawn: the text matrix scales it.
        let scaled_x = font_size * trm.m11 + font_size * trm.m21;
        let scaled_y = font_size * trm.m12 + font_size * trm.m22;
        let size = (scaled_x * scaled_y).abs().sqrt();
        if let Some(page) = self.pages.last_mut() {
            page.glyphs.push(Glyph {
                x: trm.m31,
                y: self.height - trm.m32,
                end: trm.m31 + width * size,
                size,
                text: text.to_owned(),
            });
        }
        Ok(())
    }

    fn begin_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_word(&mut self) -> Result<(), OutputError> {
        Ok(())
    }

    fn end_line(&mut self) -> Result<(), OutputError> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::{test_data, Location};

    fn texts(doc: &ReadDocument) -> Vec<(&str, Location)> {
        doc.paragraphs.iter().map(|p| (p.text.as_str(), p.location)).collect()
    }

    #[test]
    fn two_columns_read_in_order_without_running_headers() {
        let docs = read(&test_data("two-columns.pdf")).unwrap();
        assert_eq!(docs.len(), 1);
        let doc = &docs[0];
        assert_eq!(doc.title, "Harbour Authority Quarterly Report");
        assert_eq!(doc.author.as_deref(), Some("Harbour Authority"));
        assert_eq!(
            texts(doc),
            [
                (
                    "The harbour authority reported that cargo volumes rose sharply in the first \
                     quarter, driven by grain shipments from the northern terminals.",
                    Location::Page(1)
                ),
                (
                    "Dock workers in the western basin said the new cranes had halved the time \
                     needed to unload a container vessel, although maintenance costs remain high.",
                    Location::Page(1)
                ),
                (
                    "In the second column the authority describes its plans for a quieter night \
                     schedule, after residents complained about the noise of the straddle \
                     carriers.",
                    Location::Page(1)
                ),
                (
                    "A spokesperson said the zanzibarite coating on the quay walls would be \
                     renewed before the winter storms arrive.",
                    Location::Page(1)
                ),
                (
                    "On the second page the report turns to finances: port dues brought in more \
                     than the forecast, and the pilotage service broke even for the first time.",
                    Location::Page(2)
                ),
                (
                    "The board approved a budget for dredging the approach channel, which has \
                     silted up since the last survey.",
                    Location::Page(2)
                ),
            ]
        );
    }

    #[test]
    fn ligatures_are_normalised_and_hyphenation_undone() {
        let docs = read(&test_data("ligatures.pdf")).unwrap();
        let doc = &docs[0];
        // No /Title in the metadata: the large first line is the title.
        assert_eq!(doc.title, "Official findings of the flood inquiry");
        assert_eq!(
            texts(doc),
            [
                (
                    "The final report of the flood inquiry was published on Tuesday. It found \
                     that the pumping stations had been inadequately maintained for a decade, \
                     and that the office responsible had ignored three warnings.",
                    Location::Page(1)
                ),
                (
                    "A second section deals with compensation for the households affected by \
                     the flooding in the river valley.",
                    Location::Page(1)
                ),
            ]
        );
        // reportlab's reproducible mode stamps 2000-01-01 as the creation date.
        assert_eq!(doc.published.map(|d| d.unix_timestamp()), Some(946_684_800));
    }

    #[test]
    fn a_scan_without_text_is_skipped_with_a_hint() {
        assert_eq!(
            read(&test_data("scanned.pdf")),
            Err(ReadError::Skipped("no text layer: scanned? run OCR first".into()))
        );
    }

    #[test]
    fn an_encrypted_pdf_is_skipped() {
        let err = read(&test_data("encrypted.pdf")).unwrap_err();
        assert!(
            matches!(&err, ReadError::Skipped(why) if why.starts_with("encrypted PDF")),
            "{err}"
        );
    }

    #[test]
    fn a_truncated_pdf_fails_or_says_it_is_truncated() {
        match read(&test_data("truncated.pdf")) {
            Err(ReadError::Failed(why)) => assert!(why.contains("truncated"), "{why}"),
            Ok(docs) => assert!(docs[0].notes[0].contains("truncated"), "{docs:?}"),
            Err(other) => panic!("{other}"),
        }
    }

    #[test]
    fn garbage_is_not_a_pdf() {
        assert!(matches!(read(b"%PDF-1.4 nothing else\n%%EOF"), Err(ReadError::Failed(_))));
    }

    #[test]
    fn pdf_dates_with_offsets() {
        let at = |s: &str| parse_pdf_date(s).map(|d| d.unix_timestamp());
        assert_eq!(at("D:20240305103000+01'00'"), Some(1_709_631_000));
        assert_eq!(at("D:20240305093000Z"), Some(1_709_631_000));
        assert_eq!(at("D:2024"), Some(1_704_067_200));
        assert_eq!(at("D:2024x305"), None);
    }
}
