//! Reads what a record keeps in fast columns rather than in the document
//! store: its path, paragraph number, language and entity names. Keeping them only
//! there (not stored twice) keeps the index small, and reading them costs
//! no decompression of stored blocks.

use anyhow::Result;
use tantivy::columnar::{Column, StrColumn};
use tantivy::fastfield::FastFieldReaders;
use tantivy::{DateTime, DocAddress, Searcher};

use super::Entities;
use crate::extract::entities::ByKind;
use crate::schema::Fields;

/// The fast columns of every segment of one searcher.
pub(crate) struct RecordColumns {
    segments: Vec<SegmentColumns>,
    buffer: String,
    /// Names of the columns opened only when first read.
    entity_names: ByKind<String>,
    published_name: String,
}

/// Opening a column reads its header and, for some, a block table that
/// grows with the segment, so those most searches never read (entity
/// names, shown with `--entities`; the publication date, read once per
/// hit) are opened on first use, once.
struct SegmentColumns {
    path: Option<StrColumn>,
    para: Column<u64>,
    lang: Option<StrColumn>,
    fast: FastFieldReaders,
    entities: Option<ByKind<Option<StrColumn>>>,
    published: Option<Option<Column<DateTime>>>,
}

impl RecordColumns {
    pub(crate) fn new(searcher: &Searcher, fields: &Fields) -> Result<RecordColumns> {
        let mut segments = Vec::new();
        for segment in searcher.segment_readers() {
            let fast = segment.fast_fields();
            let column = |field| fast.str(fields.name(field));
            segments.push(SegmentColumns {
                path: column(fields.path)?,
                para: fast.u64(fields.name(fields.para))?,
                lang: column(fields.lang)?,
                fast: fast.clone(),
                entities: None,
                published: None,
            });
        }
        Ok(RecordColumns {
            segments,
            buffer: String::new(),
            entity_names: fields.entities.map(|_, field| fields.name(field).to_string()),
            published_name: fields.name(fields.published).to_string(),
        })
    }

    /// The publication date of a record's document, if it has one.
    pub(crate) fn published(&mut self, address: DocAddress) -> Option<DateTime> {
        let segment = &mut self.segments[address.segment_ord as usize];
        let name = &self.published_name;
        let column = segment.published.get_or_insert_with(|| segment.fast.date(name).ok());
        column.as_ref()?.first(address.doc_id)
    }

    /// The path (relative to the corpus root) and paragraph number of a record.
    pub(crate) fn path_para(&mut self, address: DocAddress) -> Result<(String, u32)> {
        let segment = &self.segments[address.segment_ord as usize];
        let path = first_str(segment.path.as_ref(), address, &mut self.buffer)?;
        Ok((path, self.para(address).unwrap_or(0)))
    }

    /// The paths of segment `segment` with ordinals `ords` (sorted, as a
    /// segment's paths are), decoded in one forward pass over its
    /// dictionary: one lookup each decoded a dictionary block apiece.
    pub(crate) fn paths_at(&self, segment: u32, ords: &[u64]) -> Result<Vec<String>> {
        let column = self.segments.get(segment as usize).and_then(|s| s.path.as_ref());
        match column {
            Some(column) => Ok(sorted_paths(column, ords)?),
            None => Ok(Vec::new()),
        }
    }

    /// The ordinal of a record's path in its segment: equal ordinals, same
    /// path, with no text decoded.
    /// `None` past the segment's end too, so a record beside may be probed.
    pub(crate) fn path_ord(&self, address: DocAddress) -> Option<u64> {
        let segment = &self.segments[address.segment_ord as usize];
        if address.doc_id >= segment.para.num_docs() {
            return None;
        }
        segment.path.as_ref()?.term_ords(address.doc_id).next()
    }

    /// The language code of a passage; empty for a file record.
    pub(crate) fn lang(&mut self, address: DocAddress) -> Result<String> {
        let segment = &self.segments[address.segment_ord as usize];
        first_str(segment.lang.as_ref(), address, &mut self.buffer)
    }

    /// The paragraph number of a record; `None` for a file record.
    pub(crate) fn para(&self, address: DocAddress) -> Option<u32> {
        let segment = &self.segments[address.segment_ord as usize];
        segment.para.first(address.doc_id).map(|para| para as u32)
    }

    /// The title record (paragraph 0) of the file a passage belongs to, when
    /// the indexer wrote that file's records together: `para` records
    /// earlier in the same segment, with the same path. `None` when they are
    /// not adjacent (an index written before records were batched by file).
    pub(crate) fn title_beside(&self, address: DocAddress, para: u32) -> Option<DocAddress> {
        let segment = &self.segments[address.segment_ord as usize];
        let title = address.doc_id.checked_sub(para)?;
        let paths = segment.path.as_ref()?;
        let same_path = paths.term_ords(title).next() == paths.term_ords(address.doc_id).next();
        (same_path && segment.para.first(title) == Some(0))
            .then_some(DocAddress::new(address.segment_ord, title))
    }

    /// The first record of the document a passage belongs to: its title
    /// record, or paragraph 1 of a document without a title. `None` when
    /// the records are not adjacent (see [`RecordColumns::title_beside`]).
    pub(crate) fn head_beside(&self, address: DocAddress, para: u32) -> Option<DocAddress> {
        if let Some(title) = self.title_beside(address, para) {
            return Some(title);
        }
        let segment = &self.segments[address.segment_ord as usize];
        let head = address.doc_id.checked_sub(para.checked_sub(1)?)?;
        let paths = segment.path.as_ref()?;
        let same_path = paths.term_ords(head).next() == paths.term_ords(address.doc_id).next();
        (same_path && segment.para.first(head) == Some(1))
            .then_some(DocAddress::new(address.segment_ord, head))
    }

    /// The first body paragraph (paragraph 1) of the file whose headline
    /// record is at `title`, when the indexer wrote it just after the
    /// headline; `None` for a file that is only a headline.
    pub(crate) fn lead_beside(&self, title: DocAddress) -> Option<DocAddress> {
        let segment = &self.segments[title.segment_ord as usize];
        let lead = title.doc_id.checked_add(1).filter(|&lead| lead < segment.para.num_docs())?;
        let paths = segment.path.as_ref()?;
        let path = paths.term_ords(title.doc_id).next()?;
        (paths.term_ords(lead).next() == Some(path) && segment.para.first(lead) == Some(1))
            .then_some(DocAddress::new(title.segment_ord, lead))
    }

    /// The entity names of a record, each list in the order they were indexed
    /// (first mention first): string columns keep a document's values in
    /// the order they were added.
    pub(crate) fn entities(&mut self, address: DocAddress) -> Result<Entities> {
        let segment = &mut self.segments[address.segment_ord as usize];
        if segment.entities.is_none() {
            let fast = &segment.fast;
            let opened = self.entity_names.each_ref().map(|_, name| fast.str(name));
            segment.entities = Some(opened.transpose()?);
        }
        let mut entities = Entities::default();
        let columns = segment.entities.iter().flat_map(|columns| columns.iter());
        for (kind, column) in columns {
            let Some(column) = column else { continue };
            for ord in column.term_ords(address.doc_id) {
                self.buffer.clear();
                column.ord_to_str(ord, &mut self.buffer)?;
                entities[kind].push(self.buffer.clone());
            }
        }
        Ok(entities)
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

/// The paths with ordinals `ords` (sorted, as a segment's paths are) in
/// path column `column`, decoded in one forward pass over its dictionary:
/// a dictionary block holding several of them is decompressed once.
pub(crate) fn sorted_paths(column: &StrColumn, ords: &[u64]) -> std::io::Result<Vec<String>> {
    let mut paths = Vec::with_capacity(ords.len());
    column.dictionary().sorted_ords_to_term_cb(ords, |bytes| {
        paths.push(String::from_utf8_lossy(bytes).into_owned());
    })?;
    Ok(paths)
}

#[cfg(test)]
mod tests {
    use tantivy::{doc, Index, IndexWriter, TantivyDocument};

    use super::*;
    use crate::{analysis, schema};

    #[test]
    fn a_title_is_found_beside_its_passage_only_when_the_records_are_adjacent() {
        let (schema, fields) = schema::build();
        let (path, para) = (fields.path, fields.para);
        let index = Index::create_in_ram(schema);
        analysis::register(index.tokenizers());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        let records: [TantivyDocument; 6] = [
            doc!(path => "a.txt"), // the file record has no paragraph number
            doc!(path => "a.txt", para => 0u64),
            doc!(path => "a.txt", para => 1u64),
            doc!(path => "b.txt", para => 0u64),
            doc!(path => "b.txt", para => 1u64),
            doc!(path => "a.txt", para => 2u64), // written apart from its file
        ];
        for record in records {
            writer.add_document(record).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let columns = RecordColumns::new(&searcher, &fields).unwrap();
        let at = |doc| DocAddress::new(0, doc);
        assert_eq!(columns.para(at(0)), None);
        assert_eq!(columns.para(at(2)), Some(1));
        assert_eq!(columns.title_beside(at(1), 0), Some(at(1)));
        assert_eq!(columns.title_beside(at(2), 1), Some(at(1)));
        assert_eq!(columns.title_beside(at(4), 1), Some(at(3)));
        // Two records back is b.txt's title, not a.txt's: not beside.
        assert_eq!(columns.title_beside(at(5), 2), None);
        assert_eq!(columns.title_beside(at(2), 5), None);
        assert_eq!(columns.head_beside(at(2), 1), Some(at(1)));
        assert_eq!(columns.head_beside(at(5), 2), None);
    }
}
