//! JSON Lines and JSON arrays of articles, as scrapers and news APIs write
//! them: one document per record, addressed `file.jsonl#N` (N is the line
//! of a JSON Lines file, the 1-based position in an array). The text, title,
//! date and URL are found among the keys such dumps usually use, or under
//! the keys the user named ([`JsonKeys`]).

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{parse_published, Location, ReadDocument, ReadError, ReadParagraph};

/// Keys tried, in order, for each part of a record.
const TEXT_KEYS: [&str; 6] = ["text", "content", "body", "article", "articleBody", "maintext"];
const TITLE_KEYS: [&str; 3] = ["title", "headline", "name"];
const DATE_KEYS: [&str; 7] = [
    "date",
    "published",
    "publishedAt",
    "pubDate",
    "datePublished",
    "published_at",
    "date_publish",
];
const URL_KEYS: [&str; 3] = ["url", "link", "canonical_url"];
const AUTHOR_KEYS: [&str; 3] = ["author", "byline", "authors"];

/// Key names the user chose for a dump whose keys are not the usual ones
/// (`lede index --json-text KEY`); `None` keeps the usual names. An index
/// records them, so every later update reads JSON files the same way.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct JsonKeys {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

impl JsonKeys {
    /// True when no key was chosen (what a manifest leaves out).
    pub(crate) fn is_usual(&self) -> bool {
        *self == JsonKeys::default()
    }
}

/// The chosen key alone, or the usual ones.
fn keys_to_try<'a>(chosen: &'a Option<String>, usual: &[&'a str]) -> Vec<&'a str> {
    match chosen {
        Some(key) => vec![key.as_str()],
        None => usual.to_vec(),
    }
}

/// Reads every record under the usual key names.
pub(crate) fn read(bytes: &[u8]) -> Result<Vec<ReadDocument>, ReadError> {
    read_with_keys(bytes, &JsonKeys::default())
}

/// Reads every record; a line that is not a JSON object becomes a
/// document with no text and a note, so it is reported with its line while
/// the others are indexed.
pub(crate) fn read_with_keys(
    bytes: &[u8],
    keys: &JsonKeys,
) -> Result<Vec<ReadDocument>, ReadError> {
    let text = String::from_utf8_lossy(bytes);
    let text = text.trim_start_matches('\u{feff}');
    if text.trim_start().starts_with('[') {
        let records: Vec<Value> = serde_json::from_str(text)
            .map_err(|err| ReadError::Failed(format!("not a JSON array of records: {err}")))?;
        return Ok(records.iter().zip(1..).map(|(value, n)| document(n, value, keys)).collect());
    }
    let mut documents = Vec::new();
    for (line, n) in text.lines().zip(1u32..) {
        if line.trim().is_empty() {
            continue;
        }
        documents.push(match serde_json::from_str::<Value>(line) {
            Ok(value) => document(n, &value, keys),
            Err(err) => bad_record(n, format!("invalid JSON ({err}), skipped")),
        });
    }
    Ok(documents)
}

fn bad_record(n: u32, note: String) -> ReadDocument {
    ReadDocument { part: Some(n.to_string()), notes: vec![note], ..ReadDocument::default() }
}

fn document(n: u32, value: &Value, keys: &JsonKeys) -> ReadDocument {
    let Some(record) = value.as_object() else {
        return bad_record(n, "not a JSON object, skipped".to_string());
    };
    let text_keys = keys_to_try(&keys.text, &TEXT_KEYS);
    let body = first_text(record, &text_keys).unwrap_or_default();
    let paragraphs = body
        .split('\n')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| ReadParagraph { text: p.to_string(), location: Location::Document })
        .collect::<Vec<_>>();
    let mut notes = Vec::new();
    if paragraphs.is_empty() {
        notes.push(format!("no text under the keys {}, skipped", text_keys.join(", ")));
    }
    ReadDocument {
        part: Some(n.to_string()),
        title: first_text(record, &keys_to_try(&keys.title, &TITLE_KEYS)).unwrap_or_default(),
        published: first_text(record, &keys_to_try(&keys.date, &DATE_KEYS))
            .as_deref()
            .and_then(parse_published),
        url: first_text(record, &keys_to_try(&keys.url, &URL_KEYS)),
        author: first_text(record, &AUTHOR_KEYS),
        paragraphs,
        notes,
        ..ReadDocument::default()
    }
}

/// The first of `keys` that holds text: a string, a list of strings (joined
/// by line breaks), or an object with a `name`.
fn first_text(record: &Map<String, Value>, keys: &[&str]) -> Option<String> {
    keys.iter().filter_map(|key| record.get(*key)).find_map(|value| {
        let text = match value {
            Value::String(text) => text.trim().to_string(),
            Value::Array(items) => items.iter().filter_map(as_text).collect::<Vec<_>>().join("\n"),
            other => as_text(other)?,
        };
        (!text.is_empty()).then_some(text)
    })
}

fn as_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.trim().to_string()),
        Value::Number(number) => Some(number.to_string()),
        Value::Object(object) => object.get("name").and_then(Value::as_str).map(str::to_string),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_lines_records_with_usual_keys_and_a_bad_line() {
        let dump = concat!(
            r#"{"headline": "Grain deal", "content": "First para.\n\nSecond para.", "publishedAt": "2024-08-06T10:00:00Z", "link": "https://x.test/1"}"#,
            "\n{broken\n\n",
            r#"{"title": "Other", "text": "Body.", "author": {"name": "Ann"}}"#,
            "\n"
        );
        let docs = read(dump.as_bytes()).unwrap();
        assert_eq!(docs.len(), 3);
        assert_eq!(docs[0].part.as_deref(), Some("1"));
        assert_eq!(docs[0].title, "Grain deal");
        assert_eq!(docs[0].paragraphs.len(), 2);
        assert_eq!(docs[0].published.unwrap().date().to_string(), "2024-08-06");
        assert_eq!(docs[0].url.as_deref(), Some("https://x.test/1"));
        assert_eq!(docs[1].part.as_deref(), Some("2"));
        assert!(docs[1].paragraphs.is_empty() && docs[1].notes[0].starts_with("invalid JSON"));
        assert_eq!((docs[2].part.as_deref(), docs[2].author.as_deref()), (Some("4"), Some("Ann")));
    }

    #[test]
    fn chosen_keys_replace_the_usual_names() {
        let record = br#"{"title": "Usual", "story": "Chosen text.", "text": "Usual text.", "headline_en": "Chosen", "ts": "2024-05-01", "permalink": "https://x.test/9"}"#;
        let keys = JsonKeys {
            text: Some("story".into()),
            title: Some("headline_en".into()),
            date: Some("ts".into()),
            url: Some("permalink".into()),
        };
        let doc = &read_with_keys(record, &keys).unwrap()[0];
        assert_eq!(doc.title, "Chosen");
        assert_eq!(doc.paragraphs[0].text, "Chosen text.");
        assert_eq!(doc.published.unwrap().date().to_string(), "2024-05-01");
        assert_eq!(doc.url.as_deref(), Some("https://x.test/9"));
        let missing = JsonKeys { text: Some("nope".into()), ..JsonKeys::default() };
        let doc = &read_with_keys(record, &missing).unwrap()[0];
        assert!(doc.paragraphs.is_empty());
        assert_eq!(doc.notes, ["no text under the keys nope, skipped"]);
    }

    #[test]
    fn a_json_array_numbers_records_from_one() {
        let docs = read(br#"[{"title": "A", "body": "x"}, {"title": "B", "body": "y"}]"#).unwrap();
        let parts: Vec<_> = docs.iter().map(|d| d.part.clone().unwrap()).collect();
        assert_eq!(parts, ["1", "2"]);
        assert!(matches!(read(b"[{\"title\": "), Err(ReadError::Failed(_))));
    }
}
