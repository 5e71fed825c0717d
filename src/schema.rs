//! The index schema, defined once. Every other module gets field handles from
//! [`Fields`] instead of looking fields up by name, and `schema/fields.json`
//! at the repository root documents the same list (a test keeps them in step).

use tantivy::schema::{
    DateOptions, DateTimePrecision, Field, IndexRecordOption, NumericOptions, Schema,
    TextFieldIndexing, TextOptions, FAST, STORED,
};

use crate::analysis;
use crate::analysis::snowball::{self, StemLanguage};
use crate::extract::entities::ByKind;

/// Bumped whenever the schema or the meaning of a field changes, so an old
/// index is reported as incompatible instead of silently misread.
pub(crate) const FORMAT_VERSION: u32 = 13;

/// The field the index is sorted by (`index::settings`).
pub(crate) const ORDER: &str = "order";

/// Tantivy's tokenizer that keeps a value whole.
const RAW: &str = "raw";

/// Value of the `kind` field for the per-file record.
pub(crate) const KIND_DOC: &str = "doc";
/// Value of the `kind` field for a paragraph record.
pub(crate) const KIND_PARA: &str = "para";

/// Typed handles for every field of the index.
#[derive(Clone, Debug)]
pub(crate) struct Fields {
    pub kind: Field,
    pub path: Field,
    pub file: Field,
    pub para: Field,
    pub line: Field,
    pub page: Field,
    pub published: Field,
    pub lang: Field,
    pub title: Field,
    pub text: Field,
    pub text_exact: Field,
    pub translit: Field,
    /// One field per stemmed language (`stem_fr`…), in
    /// [`snowball::LANGUAGES`] order.
    pub stems: Vec<(&'static StemLanguage, Field)>,
    /// The canonical entity names of each kind (`person`, `org`…).
    pub entities: ByKind<Field>,
    pub date: Field,
    pub date_day: Field,
    pub date_month: Field,
    pub date_year: Field,
    pub date_decade: Field,
    pub date_md: Field,
    pub date_span: Field,
    pub date_mention: Field,
    pub hash: Field,
    pub size: Field,
    pub mtime: Field,
    /// A paragraph's fingerprint ([`crate::fingerprint::paragraph_hash`]).
    pub para_hash: Field,
    /// A document's MinHash signature, on its first record.
    pub doc_signature: Field,
    /// Where a record sits in its segment ([`crate::index::records::order_key`]):
    /// the index is sorted by it.
    pub order: Field,
    /// Each field's name, by field id: tantivy reads fast columns by name,
    /// and the names are written only in [`build`].
    names: Vec<String>,
}

/// Builds the schema and its field handles.
pub(crate) fn build() -> (Schema, Fields) {
    let mut b = Schema::builder();
    // Positions cost as much as a field's postings; only phrase queries read
    // them, and phrases are matched on `text`, so the other analysed fields
    // keep term frequencies (for BM25) or, for the headline repeated on
    // every paragraph, only which records hold a term (see `search::phrases`).
    let analysed = |tokenizer: &str, record: IndexRecordOption| {
        let indexing =
            TextFieldIndexing::default().set_tokenizer(tokenizer).set_index_option(record);
        TextOptions::default().set_indexing_options(indexing)
    };
    // `translit` holds a paragraph's words of other scripts only: its length
    // says nothing about the paragraph's, so it has no fieldnorms and is
    // scored without length normalisation (`search::flat_length`).
    let unnormed = |tokenizer: &str| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::WithFreqs)
            .set_fieldnorms(false);
        TextOptions::default().set_indexing_options(indexing)
    };
    // Fields that filter or key records but are never scored carry no
    // fieldnorms (one byte per record and field otherwise), and nothing is
    // stored that a fast column already holds.
    let keyword = |tokenizer: &str| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(tokenizer)
            .set_index_option(IndexRecordOption::Basic)
            .set_fieldnorms(false);
        TextOptions::default().set_indexing_options(indexing)
    };
    // Entity names: matched case-insensitively through the index, read back
    // as written (for hits and `lede entities`) from the fast column.
    let entity = || keyword(analysis::KEYWORD).set_fast("raw");
    let date = || {
        DateOptions::default().set_indexed().set_fast().set_precision(DateTimePrecision::Seconds)
    };
    let handles = Fields {
        kind: b.add_text_field("kind", keyword(RAW)),
        // A document's address: its file, then `#part` when the file holds
        // several documents (records, messages).
        path: b.add_text_field("path", keyword(RAW) | FAST),
        // The file every record came from: the unit reindexing replaces.
        file: b.add_text_field("file", keyword(RAW)),
        para: b.add_u64_field("para", NumericOptions::default().set_fast()),
        line: b.add_u64_field("line", STORED),
        page: b.add_u64_field("page", STORED),
        published: b.add_date_field("published", date()),
        // A passage's language, an ISO 639-1 code (`extract::language`):
        // filtered on, counted and shown with each hit from its column.
        lang: b.add_text_field("lang", keyword(RAW) | FAST),
        title: b.add_text_field("title", analysed(analysis::TEXT, IndexRecordOption::Basic)),
        text: b.add_text_field(
            "text",
            analysed(analysis::TEXT, IndexRecordOption::WithFreqsAndPositions).set_stored(),
        ),
        text_exact: b
            .add_text_field("text_exact", analysed(analysis::EXACT, IndexRecordOption::WithFreqs)),
        // Records hold only the words of other scripts (see `records`); the
        // analyser named here is what query words go through.
        translit: b.add_text_field("translit", unnormed(analysis::TRANSLIT)),
        // A paragraph in a language with a Snowball stemmer (but English
        // and Russian, which `text` stems) is also indexed in its language's
        // field; see `analysis::snowball` for why a field per language.
        stems: snowball::LANGUAGES
            .iter()
            .map(|language| {
                (language, b.add_text_field(language.field, unnormed(language.analyser)))
            })
            .collect(),
        // In `EntityKind::ALL` order.
        entities: ByKind::new([
            b.add_text_field("person", entity()),
            b.add_text_field("org", entity()),
            b.add_text_field("place", entity()),
            b.add_text_field("misc", entity()),
        ]),
        date: b.add_date_field("date", date()),
        date_day: b.add_date_field("date_day", date()),
        date_month: b.add_date_field("date_month", date()),
        date_year: b.add_date_field("date_year", date()),
        date_decade: b.add_date_field("date_decade", date()),
        date_md: b.add_u64_field("date_md", NumericOptions::default().set_indexed()),
        // One key per mention: its length and first day (see
        // `extract::dates::keys`), for filters that want the whole period
        // inside their range, date order, and what a timeline leaves out.
        date_span: b.add_u64_field("date_span", NumericOptions::default().set_indexed().set_fast()),
        date_mention: b.add_text_field("date_mention", STORED),
        // Read back from the file record only, never searched.
        hash: b.add_text_field("hash", STORED),
        size: b.add_u64_field("size", FAST),
        mtime: b.add_u64_field("mtime", FAST),
        // What folds copies (`search::copies`), read from columns only (a
        // bytes column would decompress a dictionary block per read): the
        // paragraph's fingerprint, and on a document's first record its
        // signature as 22 numbers.
        para_hash: b.add_u64_field("para_hash", FAST),
        doc_signature: b.add_u64_field("doc_signature", FAST),
        // The index is kept sorted by this key (`index::settings`).
        order: b.add_u64_field(ORDER, FAST),
        names: Vec::new(),
    };
    let schema = b.build();
    let names = schema.fields().map(|(_, entry)| entry.name().to_string()).collect();
    (schema, Fields { names, ..handles })
}

impl Fields {
    /// The name of `field`, for the tantivy calls that take names (fast
    /// columns) and for output; empty for a field of another schema.
    pub(crate) fn name(&self, field: Field) -> &str {
        self.names.get(field.field_id() as usize).map_or("", String::as_str)
    }

    /// The stem field of paragraphs in the language `code`, if it has one.
    pub(crate) fn stem_field(&self, code: &str) -> Option<Field> {
        self.stems.iter().find(|(language, _)| language.code == code).map(|(_, field)| *field)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schema/fields.json` documents the fields; it must list exactly the
    /// fields the code builds, with the same types.
    #[test]
    fn documented_fields_match_the_code() {
        let (schema, _) = build();
        let doc: serde_json::Value =
            serde_json::from_str(include_str!("../schema/fields.json")).expect("valid JSON");
        let documented: Vec<(String, String)> = doc["fields"]
            .as_array()
            .expect("fields array")
            .iter()
            .map(|f| {
                (f["name"].as_str().unwrap().to_string(), f["type"].as_str().unwrap().to_string())
            })
            .collect();
        let built: Vec<(String, String)> = schema
            .fields()
            .map(|(_, entry)| {
                let ty = format!("{:?}", entry.field_type().value_type()).to_lowercase();
                (entry.name().to_string(), ty)
            })
            .collect();
        assert_eq!(documented, built);
        assert_eq!(doc["format_version"], FORMAT_VERSION);
    }

    /// Entity fields are named after their kind, and every field's name is
    /// the schema's.
    #[test]
    fn names_are_the_schemas() {
        let (schema, fields) = build();
        for (field, entry) in schema.fields() {
            assert_eq!(fields.name(field), entry.name());
        }
        for (kind, field) in fields.entities.iter() {
            assert_eq!(fields.name(*field), kind.name());
        }
    }
}
