//! E-mail: one message (`.eml`) or a mailbox of them (`.mbox`).
//!
//! `mail-parser` decodes encoded words, quoted-printable and base64 and
//! unescapes mbox `>From ` lines. A message is a document titled by its
//! subject and dated by its `Date:`; `From`/`To`/`Cc` go to metadata.
//! Attachments in a format lede reads become documents of their own,
//! addressed by the attachment's name (`3/report.pdf` in an mbox). A message
//! that cannot be read does not stop the mailbox: it is a document with a
//! note and no text.

use std::borrow::Cow;

use mail_parser::{Address, HeaderName, Message, MessageParser, MimeHeaders, PartType};

use super::{docx, html, normalise_whitespace, pdf, text, ReadDocument, ReadError};

/// One message (`.eml`).
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    let message = parse(bytes).map_err(ReadError::Failed)?;
    Ok(message_documents(&message, None))
}

/// Every message of a mailbox (`.mbox`), addressed by its number from 1.
pub(crate) fn read_mbox(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    if !bytes.starts_with(b"From ") {
        return Err(ReadError::Failed(
            "not an mbox: the file does not start with a \"From \" line".into(),
        ));
    }
    let mut documents = Vec::new();
    for (index, entry) in mail_parser::mailbox::mbox::MessageIterator::new(bytes).enumerate() {
        let number = (index + 1).to_string();
        let parsed = entry.map_err(|err| err.to_string()).and_then(|raw| {
            parse(raw.contents()).map(|message| message_documents(&message, Some(&number)))
        });
        match parsed {
            Ok(message_documents) => documents.extend(message_documents),
            Err(why) => documents.push(ReadDocument {
                part: Some(number.clone()),
                notes: vec![format!("message {number} skipped: {why}")],
                ..ReadDocument::default()
            }),
        }
    }
    Ok(documents)
}

/// A message with at least one standard header; mail-parser takes
/// anything, so garbage has to be told apart here.
fn parse(bytes: &[u8]) -> Result<Message<'_>, String> {
    match MessageParser::default().parse(bytes) {
        Some(message)
            if message
                .headers()
                .iter()
                .any(|header| !matches!(header.name, HeaderName::Other(_))) =>
        {
            Ok(message)
        }
        _ => Err("no mail header found (damaged or not an e-mail)".into()),
    }
}

/// The message itself, then its attachments.
fn message_documents(message: &Message, part: Option<&str>) -> Vec<ReadDocument> {
    let mut doc = ReadDocument {
        part: part.map(str::to_owned),
        title: normalise_whitespace(message.subject().unwrap_or("")),
        published: message
            .date()
            .and_then(|date| time::OffsetDateTime::from_unix_timestamp(date.to_timestamp()).ok()),
        ..ReadDocument::default()
    };
    for (key, address) in [("from", message.from()), ("to", message.to()), ("cc", message.cc())] {
        if let Some(list) = address.map(addresses).filter(|list| !list.is_empty()) {
            doc.meta.push((key.to_owned(), list));
        }
    }
    doc.author = message
        .from()
        .and_then(|from| from.first())
        .and_then(|addr| addr.name().or(addr.address()).map(str::to_owned));
    for body in message.text_bodies() {
        match &body.body {
            PartType::Text(body) => doc.paragraphs.extend(text::body_paragraphs(body)),
            // An HTML-only message: its text body is the HTML part.
            PartType::Html(body) => match html::read_page(body) {
                Ok(page) => {
                    // A heading that repeats the subject is not kept twice.
                    if !page.title.is_empty() && page.title != doc.title {
                        doc.paragraphs.push(super::ReadParagraph {
                            text: page.title,
                            location: super::Location::Document,
                        });
                    }
                    doc.paragraphs.extend(page.paragraphs);
                }
                Err(err) => doc.notes.push(format!("HTML body not read: {err}")),
            },
            _ => {}
        }
    }
    let mut documents = vec![doc];
    for (index, attachment) in message.attachments().enumerate() {
        let name = attachment
            .attachment_name()
            .map(|name| name.replace(['/', '#'], "_"))
            .unwrap_or_else(|| format!("attachment-{}", index + 1));
        let address = match part {
            Some(part) => format!("{part}/{name}"),
            None => name.clone(),
        };
        documents.extend(attachment_documents(attachment, &name, &address));
    }
    documents
}

/// The documents an attachment holds, when lede reads its format; a
/// document with a note when it cannot be read.
fn attachment_documents(
    attachment: &mail_parser::MessagePart,
    name: &str,
    address: &str,
) -> Vec<ReadDocument> {
    let extension = name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase());
    let content_type = attachment
        .content_type()
        .map(|ct| format!("{}/{}", ct.ctype(), ct.subtype().unwrap_or("")).to_ascii_lowercase())
        .unwrap_or_default();
    let bytes = attachment.contents();
    let read = match (&attachment.body, extension.as_deref(), content_type.as_str()) {
        (PartType::Message(nested), ..) => return message_documents(nested, Some(address)),
        (_, Some("pdf"), _) | (_, _, "application/pdf") => pdf::read(bytes),
        (_, Some("docx"), _) => docx::read(bytes),
        (_, Some("eml"), _) => read(bytes),
        (PartType::Html(page), ..) => html::read_page(page).map(|doc| vec![doc]),
        (PartType::Text(body), ..) => Ok(vec![ReadDocument {
            paragraphs: text::body_paragraphs(body),
            ..ReadDocument::default()
        }]),
        _ => return Vec::new(),
    };
    match read {
        Ok(documents) => documents
            .into_iter()
            .map(|mut doc| {
                doc.part = Some(match doc.part {
                    Some(inner) => format!("{address}/{inner}"),
                    None => address.to_owned(),
                });
                if doc.title.is_empty() {
                    doc.title = name.to_owned();
                }
                doc
            })
            .collect(),
        Err(err) => vec![ReadDocument {
            part: Some(address.to_owned()),
            title: name.to_owned(),
            notes: vec![format!("attachment {name}: {err}")],
            ..ReadDocument::default()
        }],
    }
}

/// `Name <address>, …` as the header showed it, decoded.
fn addresses(address: &Address) -> String {
    address
        .iter()
        .map(|addr| match (addr.name(), addr.address()) {
            (Some(name), Some(mail)) => Cow::Owned(format!("{name} <{mail}>")),
            (Some(only), None) | (None, Some(only)) => Cow::Borrowed(only),
            (None, None) => Cow::Borrowed(""),
        })
        .filter(|text| !text.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::read::test_data;

    fn texts(doc: &ReadDocument) -> Vec<&str> {
        doc.paragraphs.iter().map(|p| p.text.as_str()).collect()
    }

    #[test]
    fn eml_decodes_subject_body_and_reads_the_docx_attachment() {
        let docs = read(&test_data("tip.eml")).unwrap();
        assert_eq!(docs.len(), 2, "{docs:#?}");
        let message = &docs[0];
        assert_eq!(message.part, None);
        assert_eq!(message.title, "Tip: Straßenbau contract kickbacks");
        assert_eq!(message.published.map(|d| d.unix_timestamp()), Some(1_723_626_900));
        assert_eq!(message.author.as_deref(), Some("Ana Ruiz"));
        assert_eq!(
            message.meta,
            [
                ("from".to_owned(), "Ana Ruiz <ana@example.org>".to_owned()),
                ("to".to_owned(), "desk@example.net".to_owned())
            ]
        );
        assert_eq!(
            texts(message),
            [
                "Hello desk,",
                "The road building contract in Görlitz was awarded after the mayor's office \
                 received a payment from the marlinspike company.",
                "Documents attached.",
            ]
        );
        // The DOCX attachment is a document of its own; the PNG is not read.
        let memo = &docs[1];
        assert_eq!(memo.part.as_deref(), Some("memo.docx"));
        assert_eq!(memo.title, "Port tender memo");
        assert!(texts(memo).iter().any(|t| t.contains("quillwort bid")), "{memo:#?}");
    }

    #[test]
    fn an_html_only_body_is_read_as_html() {
        let docs = read(&test_data("digest.eml")).unwrap();
        assert_eq!(docs.len(), 1);
        assert_eq!(docs[0].title, "Weekly digest");
        assert_eq!(
            texts(&docs[0]),
            [
                "Digest",
                "The ferry operator announced a cormorant & gull survey.",
                "Second item: fares rise in October."
            ]
        );
    }

    #[test]
    fn mbox_reads_each_message_and_notes_the_broken_one() {
        let docs = read_mbox(&test_data("inbox.mbox")).unwrap();
        let parts: Vec<_> = docs.iter().map(|d| d.part.as_deref()).collect();
        assert_eq!(parts, [Some("1"), Some("2"), Some("3")]);
        assert_eq!(docs[0].title, "First message");
        assert_eq!(texts(&docs[0]), ["The first message mentions the quokka survey."]);
        assert!(docs[1].paragraphs.is_empty());
        assert_eq!(docs[1].notes.len(), 1);
        assert!(docs[1].notes[0].starts_with("message 2 skipped"), "{:?}", docs[1].notes);
        // The `>From ` escape is undone.
        assert_eq!(texts(&docs[2]), ["From the third message: the wombat census starts."]);
        assert_eq!(docs[2].published.map(|d| d.unix_timestamp()), Some(1_725_451_200));
    }

    #[test]
    fn garbage_is_not_a_message() {
        assert!(matches!(read(b"\x00\x01\x02 not mail \xff"), Err(ReadError::Failed(_))));
        assert!(matches!(read_mbox(b"Subject: no From line\n\nbody"), Err(ReadError::Failed(_))));
    }
}
