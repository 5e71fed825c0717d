//! Builds the tantivy records of one file: its file record (manifest data
//! for reindexing) and one record per paragraph with its annotations.

use tantivy::TantivyDocument;

use crate::corpus::SourceFile;
use crate::schema::{Fields, KIND_DOC, KIND_PARA};
use crate::split::Document;

/// The `doc` record of a file: what incremental reindexing compares.
pub fn file_record(
    fields: &Fields,
    file: &SourceFile,
    hash: &str,
    _doc: &Document,
) -> TantivyDocument {
    let mut record = TantivyDocument::new();
    record.add_text(fields.kind, KIND_DOC);
    record.add_text(fields.path, &file.rel);
    record.add_text(fields.hash, hash);
    record.add_u64(fields.size, file.size);
    record.add_u64(fields.mtime, file.mtime);
    record
}

/// One `para` record per paragraph (the title is paragraph 0).
pub fn paragraph_records(
    fields: &Fields,
    file: &SourceFile,
    doc: &Document,
) -> Vec<TantivyDocument> {
    doc.paragraphs
        .iter()
        .map(|para| {
            let mut record = TantivyDocument::new();
            record.add_text(fields.kind, KIND_PARA);
            record.add_text(fields.path, &file.rel);
            record.add_u64(fields.para, u64::from(para.number));
            record.add_u64(fields.line, u64::from(para.line));
            record.add_text(fields.title, &doc.title);
            record.add_text(fields.text, &para.text);
            record.add_text(fields.text_exact, &para.text);
            record.add_text(fields.translit, &para.text);
            record
        })
        .collect()
}
