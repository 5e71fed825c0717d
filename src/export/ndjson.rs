//! The `_bulk` request body: one action line, then the record for an add.
//!
//! ```text
//! {"index":{"_id":"a.txt:p1"}}        (Quickwit: "create")
//! {"kind":"para","path":"a.txt","para":1,…}
//! {"delete":{"_id":"a.txt:p7"}}
//! ```
//!
//! Lines name no `_index`: the index is the URL's (`POST /<index>/_bulk`),
//! so one file serves any index name.

use std::io::Write;

use anyhow::Result;

use super::records::Record;
use super::Engine;

/// Appends the action and source lines that add `record`.
pub(crate) fn write_add(out: &mut Vec<u8>, engine: Engine, record: &Record) -> Result<()> {
    write_action(out, engine.add_action(), &record.id())?;
    serde_json::to_writer(&mut *out, record)?;
    out.push(b'\n');
    Ok(())
}

/// Appends the action line that deletes the record `id`.
pub(crate) fn write_delete(out: &mut Vec<u8>, id: &str) -> Result<()> {
    write_action(out, "delete", id)
}

fn write_action(out: &mut Vec<u8>, action: &str, id: &str) -> Result<()> {
    write!(out, "{{\"{action}\":{{\"_id\":")?;
    serde_json::to_writer(&mut *out, id)?;
    out.extend_from_slice(b"}}\n");
    Ok(())
}

/// Writes every record as bulk lines to `out`; returns the bytes written.
pub(crate) fn write_all(records: &[Record], engine: Engine, out: &mut impl Write) -> Result<u64> {
    let mut buffer = Vec::with_capacity(1 << 16);
    let mut total = 0u64;
    for record in records {
        write_add(&mut buffer, engine, record)?;
        if buffer.len() >= 1 << 16 {
            out.write_all(&buffer)?;
            total += buffer.len() as u64;
            buffer.clear();
        }
    }
    out.write_all(&buffer)?;
    total += buffer.len() as u64;
    out.flush()?;
    Ok(total)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema::KIND_PARA;

    #[test]
    fn action_then_source_and_quoted_ids() {
        let record = Record {
            kind: KIND_PARA,
            path: "dir/\"odd\".txt".to_string(),
            para: Some(2),
            text: Some("Text.".to_string()),
            ..Record::default()
        };
        let mut out = Vec::new();
        write_add(&mut out, Engine::OpenSearch, &record).unwrap();
        write_add(&mut out, Engine::Quickwit, &record).unwrap();
        write_delete(&mut out, "x.txt:p1").unwrap();
        let text = String::from_utf8(out).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], r#"{"index":{"_id":"dir/\"odd\".txt:p2"}}"#);
        assert_eq!(lines[1], r#"{"kind":"para","path":"dir/\"odd\".txt","para":2,"text":"Text."}"#);
        assert_eq!(lines[2], r#"{"create":{"_id":"dir/\"odd\".txt:p2"}}"#);
        assert_eq!(lines[4], r#"{"delete":{"_id":"x.txt:p1"}}"#);
        assert!(text.ends_with('\n'));
    }
}
