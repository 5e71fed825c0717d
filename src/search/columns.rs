//! Reads what a record keeps in fast columns rather than in the document
//! store: its path, paragraph number and entity names. Keeping them only
//! there (not stored twice) keeps the index small, and reading them costs
//! no decompression of stored blocks.

use anyhow::Result;
use tantivy::columnar::{Column, StrColumn};
use tantivy::{DocAddress, Searcher};

use super::Entities;

/// The fast columns of every segment of one searcher.
pub struct RecordColumns {
    segments: Vec<SegmentColumns>,
    buffer: String,
}

struct SegmentColumns {
    path: Option<StrColumn>,
    para: Column<u64>,
    /// person, org, place, misc: the order of [`ENTITY_FIELDS`].
    entities: [Option<StrColumn>; 4],
}

/// The entity fields, in the order [`Entities`] lists them.
pub const ENTITY_FIELDS: [&str; 4] = ["person", "org", "place", "misc"];

impl RecordColumns {
    pub fn new(searcher: &Searcher) -> Result<RecordColumns> {
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let [person, org, place, misc] = ENTITY_FIELDS;
            segments.push(SegmentColumns {
                path: fast.str("path")?,
                para: fast.u64("para")?,
                entities: [fast.str(person)?, fast.str(org)?, fast.str(place)?, fast.str(misc)?],
            });
        }
        Ok(RecordColumns { segments, buffer: String::new() })
    }

    /// The path (relative to the corpus root) and paragraph number of a record.
    pub fn path_para(&mut self, address: DocAddress) -> Result<(String, u32)> {
        let segment = &self.segments[address.segment_ord as usize];
        let path = first_str(segment.path.as_ref(), address, &mut self.buffer)?;
        let para = segment.para.first(address.doc_id).unwrap_or(0) as u32;
        Ok((path, para))
    }

    /// The entity names of a record, each list in the order they were indexed
    /// (first mention first): string columns keep a document's values in
    /// the order they were added.
    pub fn entities(&mut self, address: DocAddress) -> Result<Entities> {
        let segment = &self.segments[address.segment_ord as usize];
        let mut lists: [Vec<String>; 4] = Default::default();
        for (list, column) in lists.iter_mut().zip(&segment.entities) {
            let Some(column) = column else { continue };
            for ord in column.term_ords(address.doc_id) {
                self.buffer.clear();
                column.ord_to_str(ord, &mut self.buffer)?;
                list.push(self.buffer.clone());
            }
        }
        let [person, org, place, misc] = lists;
        Ok(Entities { person, org, place, misc })
    }
}

fn first_str(
    column: Option<&StrColumn>,
    address: DocAddress,
    buffer: &mut String,
) -> Result<String> {
    buffer.clear();
    if let Some(column) = column {
        if let Some(ord) = column.term_ords(address.doc_id).next() {
            column.ord_to_str(ord, buffer)?;
        }
    }
    Ok(buffer.clone())
}
