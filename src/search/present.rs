//! Whether any segment of a searcher holds terms of a field. tantivy answers
//! a query on a field that a segment lacks with an empty term dictionary it
//! builds on first use: a 1 MB FST registry, zeroed and faulted in, about a
//! fifth of the page faults of a one-shot search. `translit` holds only words
//! of other scripts than Latin, so in a Latin corpus no segment has it, and
//! queries leave it out.

use tantivy::directory::CompositeFile;
use tantivy::index::SegmentComponent;
use tantivy::schema::Field;
use tantivy::Searcher;

/// Whether some segment of `searcher` has postings for `field`. Reads only
/// the field table at the end of each segment's postings file, which the
/// searcher already has mapped.
#[cfg(test)]
pub(crate) fn in_any_segment(searcher: &Searcher, field: Field) -> bool {
    !filled(searcher, &[field]).is_empty()
}

/// Those of `fields` that some segment of `searcher` has postings for, in
/// their order; each segment's field table is read once for them all.
pub(crate) fn filled(searcher: &Searcher, fields: &[Field]) -> Vec<Field> {
    let index = searcher.index();
    let mut found = vec![false; fields.len()];
    for reader in searcher.segment_readers() {
        if found.iter().all(|f| *f) {
            break;
        }
        let meta = index.new_segment_meta(reader.segment_id(), reader.max_doc());
        let postings = index.segment(meta).open_read(SegmentComponent::Postings);
        let composite = postings.ok().and_then(|file| CompositeFile::open(&file).ok());
        for (found, field) in found.iter_mut().zip(fields) {
            // When unsure, keep the field: leaving one out would lose matches.
            *found |= composite.as_ref().is_none_or(|c| c.open_read(*field).is_some());
        }
    }
    fields.iter().zip(found).filter(|(_, found)| *found).map(|(field, _)| *field).collect()
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{Schema, TEXT};
    use tantivy::{doc, Index, IndexWriter};

    use super::*;

    #[test]
    fn a_field_no_record_filled_is_absent_and_a_filled_one_present() {
        let mut builder = Schema::builder();
        let latin = builder.add_text_field("latin", TEXT);
        let other = builder.add_text_field("other", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer: IndexWriter = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(latin => "kursk")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert!(in_any_segment(&searcher, latin));
        assert!(!in_any_segment(&searcher, other));
        // A second segment that has it is enough.
        writer.add_document(doc!(other => "курск")).unwrap();
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        assert_eq!(searcher.segment_readers().len(), 2);
        assert!(in_any_segment(&searcher, other));
        assert_eq!(filled(&searcher, &[other, latin]), [other, latin]);
    }
}
