//! Content sniffing: the format a file's first bytes show, checked against
//! the one its name promises. Only unmistakable signatures override the
//! name, so a `.txt` that quotes HTML stays text.

use super::Format;

/// The format to read a file as, and a note when its content overrode its
/// name ("read as PDF although named .html"). `None` when the name is not
/// one lede reads.
pub(crate) fn choose_format(name: &str, bytes: &[u8]) -> Option<(Format, Option<String>)> {
    let named = Format::from_name(name)?;
    let Some(found) = sniff(bytes) else { return Some((named, None)) };
    let agrees = match (named, found) {
        // Markup is a fine start for formats that may hold it.
        (Format::Text | Format::Email | Format::Mbox | Format::Json, Format::Html) => true,
        _ => named == found,
    };
    if agrees {
        return Some((named, None));
    }
    let ext = name.rsplit_once('.').map_or("", |(_, e)| e);
    let note = format!("read as {} although named .{ext}", found.name());
    Some((found, Some(note)))
}

/// The format the first bytes show, when they show one.
fn sniff(bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(1024)];
    if head.starts_with(b"%PDF-") {
        return Some(Format::Pdf);
    }
    if head.starts_with(b"PK\x03\x04") {
        return Some(Format::Docx);
    }
    if head.starts_with(b"WARC/") || head.starts_with(&[0x1f, 0x8b]) {
        return Some(Format::Warc);
    }
    let text = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    let start = text.iter().position(|b| !b.is_ascii_whitespace()).unwrap_or(text.len());
    let lower = text[start..].to_ascii_lowercase();
    let markup = [&b"<!doctype html"[..], b"<html", b"<?xml version"];
    if markup.iter().any(|m| lower.starts_with(m)) && lower.windows(5).any(|w| w == b"<html") {
        return Some(Format::Html);
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_overrides_a_misleading_name() {
        let (format, note) = choose_format("report.html", b"%PDF-1.7\n...").unwrap();
        assert_eq!(format, Format::Pdf);
        assert_eq!(note.as_deref(), Some("read as PDF although named .html"));
        let page = b"  <!DOCTYPE html><html><body><p>x</p></body></html>";
        let (format, note) = choose_format("download.pdf", page).unwrap();
        assert_eq!((format, note.is_some()), (Format::Html, true));
    }

    #[test]
    fn names_stand_when_content_agrees_or_shows_nothing() {
        assert_eq!(choose_format("a.txt", b"Title\n\nBody."), Some((Format::Text, None)));
        assert_eq!(
            choose_format("a.TXT", b"<html><p>quoted</p></html>"),
            Some((Format::Text, None))
        );
        assert_eq!(choose_format("a.htm", b"<p>fragment</p>"), Some((Format::Html, None)));
        assert_eq!(choose_format("a.warc.gz", &[0x1f, 0x8b, 8]), Some((Format::Warc, None)));
        assert_eq!(choose_format("a.png", b"\x89PNG"), None);
    }
}
