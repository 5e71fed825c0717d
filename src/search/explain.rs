//! `--explain` as data: how each literal of the query was analysed (the
//! tokens every field sees, so `5,000` shows as `5000` and `Михайлов` as
//! `mihailov`), and for one hit which (field, term) pairs matched and what
//! each scores.

use std::collections::HashSet;

use serde::Serialize;
use tantivy::query::{Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{DocAddress, Searcher};

use super::feedback::FeedbackTerm;
use super::flat_length::FlatLength;
use super::query::{self, Literal};
use super::SearchResult;
use crate::analysis;
use crate::schema::Fields;

/// The analysers each default field applies to query words, in the order
/// they are shown.
fn analysed_fields(fields: &Fields) -> [(Field, &'static str); 3] {
    [
        (fields.text, analysis::TEXT),
        (fields.text_exact, analysis::EXACT),
        (fields.translit, analysis::TRANSLIT),
    ]
}

/// The weight of a match in `field`, as [`super::query`] sets them (`None`
/// for fields that are not scored, such as the record-kind filter).
fn field_weight(fields: &Fields, field: Field) -> Option<f32> {
    let fixed = [
        (fields.text, query::TEXT_WEIGHT),
        (fields.text_exact, query::EXACT_WEIGHT),
        (fields.translit, query::TRANSLIT_WEIGHT),
        (fields.title, query::TITLE_BOOST),
    ];
    let stems = || fields.stems.iter().any(|(_, f)| *f == field).then_some(query::STEM_WEIGHT);
    fixed.iter().find(|(f, _)| *f == field).map(|(_, weight)| *weight).or_else(stems)
}

/// The `field` of the line that makes the terms add up to the score: the
/// all-words bonus and phrase matches, which no single term explains.
pub(crate) const REST: &str = "rest (all-words bonus, phrases)";

/// Rounding noise below this is not a line of its own.
const REST_SHOWN_FROM: f32 = 1e-4;

/// The tokens one piece of query text becomes in each field.
#[derive(Clone, Debug, Serialize, serde::Deserialize)]
pub(crate) struct FieldTokens {
    pub field: String,
    pub tokens: Vec<String>,
}

/// What the analysers make of `text`, field by field.
pub(crate) fn analyse(fields: &Fields, text: &str) -> Vec<FieldTokens> {
    analysed_fields(fields)
        .iter()
        .map(|&(field, analyser)| FieldTokens {
            field: fields.name(field).to_string(),
            tokens: analysis::analyse(analyser, text).unwrap_or_default(),
        })
        .collect()
}

/// What the analysers make of a literal matched in the default fields, or
/// in one of them by name; nothing for a literal aimed at another field
/// (`title:`, `person:`), whose analysis the default fields do not show.
pub(crate) fn analyse_literal(fields: &Fields, literal: &Literal) -> Vec<FieldTokens> {
    let analysed =
        |name: &str| analysed_fields(fields).iter().any(|&(f, _)| fields.name(f) == name);
    if literal.field.as_deref().is_none_or(analysed) {
        analyse(fields, &literal.text)
    } else {
        Vec::new()
    }
}

/// What one matched term added to a hit's score.
#[derive(Clone, Debug, PartialEq, Serialize, serde::Deserialize)]
pub(crate) struct TermScore {
    /// Field name, or `phrase` for a phrase or proximity match.
    pub field: String,
    /// The indexed term (empty for a phrase).
    pub term: String,
    /// Its share of the score, boosts applied.
    pub score: f32,
}

/// Why one hit scored what it did.
#[derive(Clone, Debug, Default, PartialEq, Serialize, serde::Deserialize)]
pub(crate) struct HitExplanation {
    pub score: f32,
    /// Matched terms, largest contribution first.
    pub terms: Vec<TermScore>,
}

/// Explains the score of the passage at `address` under `query`: every
/// term of the query that occurs in the passage, with its BM25 score alone
/// times the weight of its field, then a [`REST`] line with the difference
/// to the score. (Tantivy's own whole-tree explanation
/// cannot be used: its boolean explain seeks backwards on clauses that do
/// not match the passage.) The terms of the record-kind filter are left out.
pub(crate) fn explain_hit(
    searcher: &Searcher,
    fields: &Fields,
    query: &dyn Query,
    score: f32,
    address: DocAddress,
) -> tantivy::Result<HitExplanation> {
    let mut seen = HashSet::new();
    let mut terms = Vec::new();
    query.query_terms(&mut |term, _| {
        if seen.insert(term.clone()) {
            terms.push(term.clone());
        }
    });
    let mut scored = Vec::new();
    let schema = searcher.schema();
    for term in terms {
        let Some(weight) = field_weight(fields, term.field()) else { continue };
        let Some(text) = term.value().as_str().map(str::to_string) else { continue };
        let alone = FlatLength::new(
            Box::new(TermQuery::new(term.clone(), IndexRecordOption::WithFreqs)),
            schema,
            fields,
        );
        if let Ok(explanation) = alone.explain(searcher, address) {
            scored.push(TermScore {
                field: fields.name(term.field()).to_string(),
                term: text,
                score: explanation.value() * weight,
            });
        }
    }
    scored.sort_by(|a, b| {
        b.score.total_cmp(&a.score).then_with(|| (&a.field, &a.term).cmp(&(&b.field, &b.term)))
    });
    // The lines must add up to the score shown: what the terms alone do not
    // explain (the all-words bonus, phrase matches) is one line of its own.
    let rest = score - scored.iter().map(|t| t.score).sum::<f32>();
    if rest.abs() >= REST_SHOWN_FROM {
        scored.push(TermScore { field: REST.to_string(), term: String::new(), score: rest });
    }
    Ok(HitExplanation { score, terms: scored })
}

/// What `--explain` shows of a query before its hits: the text as parsed,
/// each literal with what the analysers make of it, and the words
/// `--expand` added.
#[derive(Clone, Debug)]
pub(crate) struct QueryAnalysis<'a> {
    /// The query text after [`crate::analysis::prepare_query`].
    pub prepared: &'a str,
    pub literals: Vec<LiteralAnalysis<'a>>,
    /// The terms `--expand` added, strongest first.
    pub feedback: &'a [FeedbackTerm],
}

/// One literal of the query and its tokens.
#[derive(Clone, Debug)]
pub(crate) struct LiteralAnalysis<'a> {
    pub literal: &'a Literal,
    /// The tokens per default field; `None` when the literal names another
    /// field (`person:`, `title:`), where those analysers do not apply.
    pub tokens: Option<Vec<FieldTokens>>,
}

/// The analysis of the query `result` answers.
pub(crate) fn analyse_query(result: &SearchResult) -> QueryAnalysis<'_> {
    let literals = result
        .literals
        .iter()
        .map(|literal| LiteralAnalysis {
            literal,
            tokens: (!literal.tokens.is_empty()).then(|| literal.tokens.clone()),
        })
        .collect();
    QueryAnalysis { prepared: &result.prepared, literals, feedback: &result.feedback }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::schema;

    #[test]
    fn numbers_are_normalised_and_names_transliterated() {
        let fields = analyse(&schema::build().1, "5,000 Михайлов");
        let exact = fields.iter().find(|f| f.field == "text_exact").unwrap();
        assert_eq!(exact.tokens, ["5000", "михайлов"]);
        let translit = fields.iter().find(|f| f.field == "translit").unwrap();
        assert_eq!(translit.tokens, ["5000", "mihailov"]);
    }
}
