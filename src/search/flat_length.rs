//! BM25 for fields indexed without fieldnorms.
//!
//! tantivy scores a field without fieldnorms as if every record were one
//! token long, against the field's real average length (its token count over
//! all records). `translit` holds only the words of other scripts than
//! Latin, so in a Latin corpus that average is near zero and a match would
//! score near zero too. [`FlatLength`] wraps a query so that, for the fields
//! covers (every indexed field of the schema without fieldnorms), the
//! average length is one as well: a match then scores
//! `idf * (k1 + 1) * tf / (tf + k1)`, BM25 without length normalisation.

use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::{Field, Schema};
use tantivy::{Result, Term};

/// `inner`, with `fields` scored without length normalisation.
#[derive(Debug)]
pub struct FlatLength {
    inner: Box<dyn Query>,
    fields: Vec<Field>,
}

impl FlatLength {
    /// Wraps `inner` for the indexed fields of `schema` without fieldnorms.
    pub fn new(inner: Box<dyn Query>, schema: &Schema) -> FlatLength {
        let fields = schema
            .fields()
            .filter(|(_, entry)| entry.is_indexed() && !entry.has_fieldnorms())
            .map(|(field, _)| field)
            .collect();
        FlatLength { inner, fields }
    }
}

impl Clone for FlatLength {
    fn clone(&self) -> FlatLength {
        FlatLength { inner: self.inner.box_clone(), fields: self.fields.clone() }
    }
}

/// The statistics of `base`, except one token per record in `fields`.
struct Statistics<'a> {
    base: &'a dyn Bm25StatisticsProvider,
    fields: &'a [Field],
}

impl Bm25StatisticsProvider for Statistics<'_> {
    fn total_num_tokens(&self, field: Field) -> Result<u64> {
        if self.fields.contains(&field) {
            self.base.total_num_docs()
        } else {
            self.base.total_num_tokens(field)
        }
    }

    fn total_num_docs(&self) -> Result<u64> {
        self.base.total_num_docs()
    }

    fn doc_freq(&self, term: &Term) -> Result<u64> {
        self.base.doc_freq(term)
    }
}

impl Query for FlatLength {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> Result<Box<dyn Weight>> {
        match enable_scoring {
            EnableScoring::Enabled { searcher, statistics_provider } => {
                let statistics = Statistics { base: statistics_provider, fields: &self.fields };
                self.inner
                    .weight(EnableScoring::enabled_from_statistics_provider(&statistics, searcher))
            }
            disabled => self.inner.weight(disabled),
        }
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

#[cfg(test)]
mod tests {
    use tantivy::collector::TopDocs;
    use tantivy::query::TermQuery;
    use tantivy::schema::{IndexRecordOption, TextFieldIndexing, TextOptions, TEXT};
    use tantivy::{doc, Index};

    use super::*;

    #[test]
    fn a_sparse_field_scores_like_bm25_without_length_normalisation() {
        let mut builder = Schema::builder();
        let sparse_options = TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(false),
        );
        let sparse = builder.add_text_field("sparse", sparse_options);
        let text = builder.add_text_field("text", TEXT);
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        writer.add_document(doc!(sparse => "mihailov mihailov", text => "a b c")).unwrap();
        for _ in 0..99 {
            writer.add_document(doc!(text => "only latin words here")).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term =
            TermQuery::new(Term::from_field_text(sparse, "mihailov"), IndexRecordOption::WithFreqs);
        let score = |query: &dyn Query| {
            searcher.search(query, &TopDocs::with_limit(1).order_by_score()).unwrap()[0].0
        };
        let raw = score(&term);
        let schema = index.schema();
        let flat = score(&FlatLength::new(Box::new(term.clone()), &schema));
        let idf = (1.0f32 + (100.0 - 1.0 + 0.5) / (1.0 + 0.5)).ln();
        let expected = idf * 2.2 * 2.0 / (2.0 + 1.2);
        assert!((flat - expected).abs() < 1e-4, "{flat} vs {expected}");
        assert!(raw < flat / 10.0, "unwrapped, the tiny average length crushes it: {raw}");
        let mut terms = Vec::new();
        let wrapped = FlatLength::new(Box::new(term), &schema);
        wrapped.query_terms(&mut |t, _| terms.push(t.clone()));
        assert_eq!(terms, [Term::from_field_text(sparse, "mihailov")]);
        assert_eq!(wrapped.fields, [sparse], "text has fieldnorms");
    }
}
