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
//!
//! A language's stem field (`stem_fr`…, see [`crate::analysis::snowball`])
//! holds only the passages of that language, so a term's document frequency
//! there is measured among them, but tantivy weighs it against every record
//! of the index: in a mostly English index every French stem would look
//! rare and lift French passages above English ones for the same word.
//! [`FlatLength`] scales such a frequency by the share of the index the
//! language's passages are (`doc_freq × records / passages in the
//! language`), so a stem is as rare as it is among its own language's
//! passages.

use tantivy::query::{Bm25StatisticsProvider, EnableScoring, Query, Weight};
use tantivy::schema::{Field, Schema};
use tantivy::{Result, Term};

use crate::schema::Fields;

/// `inner`, with `fields` scored without length normalisation.
#[derive(Debug)]
pub(crate) struct FlatLength {
    inner: Box<dyn Query>,
    fields: Vec<Field>,
    /// Each stem field, with the `lang` term of its language's passages.
    languages: Vec<(Field, Term)>,
}

impl FlatLength {
    /// Wraps `inner` for the indexed fields of `schema` without fieldnorms,
    /// and the stem fields of `fields`.
    pub(crate) fn new(inner: Box<dyn Query>, schema: &Schema, fields: &Fields) -> FlatLength {
        let languages = fields
            .stems
            .iter()
            .map(|(language, field)| (*field, Term::from_field_text(fields.lang, language.code)))
            .collect();
        FlatLength::with_languages(inner, schema, languages)
    }

    /// [`FlatLength::new`] with each stem field given with the `lang` term
    /// of its language's passages.
    fn with_languages(
        inner: Box<dyn Query>,
        schema: &Schema,
        languages: Vec<(Field, Term)>,
    ) -> FlatLength {
        let fields = schema
            .fields()
            .filter(|(_, entry)| entry.is_indexed() && !entry.has_fieldnorms())
            .map(|(field, _)| field)
            .collect();
        FlatLength { inner, fields, languages }
    }
}

impl Clone for FlatLength {
    fn clone(&self) -> FlatLength {
        FlatLength {
            inner: self.inner.box_clone(),
            fields: self.fields.clone(),
            languages: self.languages.clone(),
        }
    }
}

/// The statistics of `base`, except one token per record in `fields` and
/// stem terms as frequent as among their language's passages.
struct Statistics<'a> {
    base: &'a dyn Bm25StatisticsProvider,
    fields: &'a [Field],
    languages: &'a [(Field, Term)],
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
        let doc_freq = self.base.doc_freq(term)?;
        let Some((_, lang)) = self.languages.iter().find(|(field, _)| *field == term.field())
        else {
            return Ok(doc_freq);
        };
        let passages = self.base.doc_freq(lang)?;
        let records = self.base.total_num_docs()?;
        if passages == 0 {
            return Ok(doc_freq);
        }
        let scaled = u128::from(doc_freq) * u128::from(records) / u128::from(passages);
        Ok(u64::try_from(scaled).unwrap_or(u64::MAX).min(records))
    }
}

impl Query for FlatLength {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> Result<Box<dyn Weight>> {
        match enable_scoring {
            EnableScoring::Enabled { searcher, statistics_provider } => {
                let statistics = Statistics {
                    base: statistics_provider,
                    fields: &self.fields,
                    languages: &self.languages,
                };
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

    /// A text field with term frequencies and no fieldnorms.
    fn unnormed() -> TextOptions {
        TextOptions::default().set_indexing_options(
            TextFieldIndexing::default()
                .set_index_option(IndexRecordOption::WithFreqs)
                .set_fieldnorms(false),
        )
    }

    #[test]
    fn a_sparse_field_scores_like_bm25_without_length_normalisation() {
        let mut builder = Schema::builder();
        let sparse = builder.add_text_field("sparse", unnormed());
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
        let flat = score(&FlatLength::with_languages(Box::new(term.clone()), &schema, vec![]));
        let idf = (1.0f32 + (100.0 - 1.0 + 0.5) / (1.0 + 0.5)).ln();
        let expected = idf * 2.2 * 2.0 / (2.0 + 1.2);
        assert!((flat - expected).abs() < 1e-4, "{flat} vs {expected}");
        assert!(raw < flat / 10.0, "unwrapped, the tiny average length crushes it: {raw}");
        let mut terms = Vec::new();
        let wrapped = FlatLength::with_languages(Box::new(term), &schema, vec![]);
        wrapped.query_terms(&mut |t, _| terms.push(t.clone()));
        assert_eq!(terms, [Term::from_field_text(sparse, "mihailov")]);
        assert_eq!(wrapped.fields, [sparse], "text has fieldnorms");
    }

    #[test]
    fn a_stem_is_as_rare_as_among_its_languages_passages() {
        let mut builder = Schema::builder();
        let lang = builder.add_text_field("lang", tantivy::schema::STRING);
        let french = builder.add_text_field("stem_fr", unnormed());
        let index = Index::create_in_ram(builder.build());
        let mut writer = index.writer_with_num_threads(1, 15_000_000).unwrap();
        // 90 English passages, 10 French ones of which 5 hold the stem.
        for i in 0..100 {
            let record = match i {
                0..90 => doc!(lang => "en"),
                90..95 => doc!(lang => "fr", french => "macron"),
                _ => doc!(lang => "fr", french => "gouvern"),
            };
            writer.add_document(record).unwrap();
        }
        writer.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let term =
            TermQuery::new(Term::from_field_text(french, "macron"), IndexRecordOption::WithFreqs);
        let languages = vec![(french, Term::from_field_text(lang, "fr"))];
        let query = FlatLength::with_languages(Box::new(term), &index.schema(), languages);
        let score = searcher.search(&query, &TopDocs::with_limit(1).order_by_score()).unwrap()[0].0;
        // Half the French passages: doc_freq 5 counts as 50 of 100 records.
        let idf = (1.0f32 + (100.0 - 50.0 + 0.5) / (50.0 + 0.5)).ln();
        let expected = idf * 2.2 / (1.0 + 1.2);
        assert!((score - expected).abs() < 1e-4, "{score} vs {expected}");
    }
}
