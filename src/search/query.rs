//! Turns the user's query text and filters into one tantivy query.
//!
//! Words are matched in the stemmed, exact and transliterated text fields. A
//! passage needs at least one of the words, and passages holding all of them
//! come first (a tier of their own, see [`Plan::tiers`]), so short queries
//! behave like AND while a long question still returns its best passages.
//! Headline matches only add to the score of passages that match on their
//! own. Phrases, `-word`, `AND`,
//! `OR`, `field:value` and `"phrase"~N` (proximity) come from tantivy's query
//! grammar; this module adds `word~N` (fuzzy, N = 1 or 2 edits) and `word*`
//! (prefix) by looking the word up in the index's dictionaries
//! ([`super::expand`]) and putting the terms found in its place, so they are
//! scored with BM25 and highlighted like typed words. Numbers and dates are
//! never fuzzed.

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, Occur, Query, QueryParser,
    QueryParserError, TermQuery,
};
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Index, Searcher, Term};

use super::expand::{self, Expansion, Lexicon};
use super::explain::FieldTokens;
use super::flat_length::FlatLength;
use super::pruned::PrunedTier;
use super::{phrases, present, syntax};
use crate::error::Error;
use crate::schema::{Fields, KIND_PARA};

/// Extra weight of the all-words clause relative to the any-word clause.
const ALL_WORDS_BOOST: f32 = 1.5;
/// Weight of headline matches.
pub(crate) const TITLE_BOOST: f32 = 0.3;
/// Weight of matches in the stemmed text.
pub(crate) const TEXT_WEIGHT: f32 = 1.0;
/// Weight of matches in the unstemmed text (added to the stemmed match).
pub(crate) const EXACT_WEIGHT: f32 = 0.6;
/// Weight of matches in the transliterated text.
pub(crate) const TRANSLIT_WEIGHT: f32 = 0.4;
/// Weight of matches in a language's stem field (`stem_fr`…). Its
/// passages match in `text` and `text_exact` too when they hold the word as
/// typed, so the stems add less than `text` does: enough for an inflection
/// to find its passage, not so much that a word in both languages ranks
/// the French passages above the English ones.
pub(crate) const STEM_WEIGHT: f32 = 0.5;
/// Fields whose words may be fuzzed or prefixed when named (`title:Kursk~1`).
fn text_fields(fields: &Fields) -> [Field; 4] {
    [fields.text, fields.text_exact, fields.translit, fields.title]
}

/// The field `name` before a colon names, when the user may search in it:
/// a text field, or an entity field (`person:"Kim Jong Un"`).
fn query_field(fields: &Fields, name: &str) -> Option<Field> {
    let mut searchable = text_fields(fields).into_iter().chain(fields.entities.values().copied());
    searchable.find(|&field| fields.name(field) == name)
}

/// How one literal of the query is matched.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum Operator {
    /// A word or a quoted phrase, matched as analysed.
    Plain,
    /// `word~N`: terms within `edits` edits (`asked` was typed).
    Fuzzy { asked: u32, edits: u8 },
    /// `word*`: terms starting with the word.
    Prefix,
    /// `"phrase"~N`: the words within N positions of each other.
    Proximity(u32),
    /// `"phrase"*`: the phrase with its last word as a prefix.
    PhrasePrefix,
    /// `number~N`: numbers and dates are matched exactly, never fuzzed.
    NumberNotFuzzed(u32),
}

/// One literal of the query as the user wrote it, and what it became.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub(crate) struct Literal {
    /// The field named before `:`, if any.
    pub field: Option<String>,
    /// The word or phrase text.
    pub text: String,
    /// Whether it was quoted.
    pub quoted: bool,
    pub operator: Operator,
    /// Dictionary terms that stand in for a fuzzy or prefix word.
    pub expansions: Vec<Expansion>,
    /// What each default field's analyser makes of the text, filled for
    /// `--explain` ([`super::explain::analyse_literal`]); empty for a
    /// literal aimed at another field.
    pub tokens: Vec<FieldTokens>,
}

/// A built query and how it was read, for `--explain` and suggestions.
pub(crate) struct Plan {
    /// Every passage that matches, with its score.
    pub query: Box<dyn Query>,
    /// The passages that hold all the words (`None` without query words).
    all_words: Option<Box<dyn Query>>,
    /// [`Plan::tiers`] in a form tantivy can prune, when the query is
    /// plain words (see [`super::pruned`]).
    pruned_tiers: Option<Vec<Box<dyn Query>>>,
    /// The query text after [`crate::analysis::prepare_query`].
    pub prepared: String,
    /// Every literal, in query order.
    pub literals: Vec<Literal>,
}

impl Plan {
    /// Whether [`Plan::tiers`] are the pruned form.
    #[cfg(test)]
    pub(crate) fn is_pruned(&self) -> bool {
        self.pruned_tiers.is_some()
    }

    /// The same plan with its tiers in the full form, to compare with.
    #[cfg(test)]
    pub(crate) fn unpruned(&self) -> Plan {
        Plan {
            query: self.query.box_clone(),
            all_words: self.all_words.as_ref().map(|q| q.box_clone()),
            pruned_tiers: None,
            prepared: self.prepared.clone(),
            literals: self.literals.clone(),
        }
    }

    /// The queries to take results from, in order: passages with all the
    /// words, then the others. Scores are those of `query` in both.
    pub(crate) fn tiers(&self) -> Vec<Box<dyn Query>> {
        if let Some(tiers) = &self.pruned_tiers {
            return tiers.iter().map(|q| q.box_clone()).collect();
        }
        let Some(all) = &self.all_words else {
            return vec![self.query.box_clone()];
        };
        let zero = || -> Box<dyn Query> { Box::new(ConstScoreQuery::new(all.box_clone(), 0.0)) };
        vec![
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.query.box_clone()),
                (Occur::Must, zero()),
            ])),
            Box::new(BooleanQuery::new(vec![
                (Occur::Must, self.query.box_clone()),
                (Occur::MustNot, zero()),
            ])),
        ]
    }
}

/// Builds the query for `text` (may be empty when filters select passages).
/// `searcher` supplies the dictionaries fuzzy and prefix words expand from.
pub(crate) fn build(
    searcher: &Searcher,
    index: &Index,
    fields: &Fields,
    text: &str,
    filters: Vec<Box<dyn Query>>,
) -> Result<Plan, Error> {
    build_expanded(searcher, index, fields, text, filters, &[])
}

/// [`build`], with `feedback` terms (as indexed in `text`, with their
/// boosts) that match as any word does, but count for neither the
/// all-words tier nor the headline boost (see [`super::feedback`]).
pub(crate) fn build_expanded(
    searcher: &Searcher,
    index: &Index,
    fields: &Fields,
    text: &str,
    filters: Vec<Box<dyn Query>>,
    feedback: &[(String, f32)],
) -> Result<Plan, Error> {
    let mut clauses: Vec<(Occur, Box<dyn Query>)> = vec![(
        Occur::Must,
        Box::new(TermQuery::new(
            Term::from_field_text(fields.kind, KIND_PARA),
            IndexRecordOption::Basic,
        )),
    )];
    let prepared = crate::analysis::prepare_query(text);
    let is_query_field = |name: &str| query_field(fields, name).is_some();
    let prepared = syntax::brackets_as_text(&prepared);
    let prepared = syntax::colons_as_text(&prepared, is_query_field).into_owned();
    let mut literals = Vec::new();
    let mut all_words = None;
    let mut pruned_tiers = None;
    if !prepared.trim().is_empty() {
        let mut ast = tantivy::query_grammar::parse_query(&prepared).map_err(|_| {
            Error::BadQuery { query: prepared.clone(), reason: syntax::diagnose(&prepared) }
        })?;
        if filters.is_empty() && !has_text(&ast) {
            return Err(Error::BadQuery {
                query: text.to_string(),
                reason: "the query is empty: give words to search for, or a filter".to_string(),
            });
        }
        let lexicon = Lexicon::new(searcher, fields);
        rewrite(&mut ast, fields, &lexicon, &mut literals)
            .map_err(|e| bad(&prepared, format!("cannot read the term dictionary: {e}")))?;
        let schema = index.schema();
        let build = |parser: QueryParser, defaults: &[Field]| {
            let ast = phrases::split_where_unpositioned(ast.clone(), &schema, defaults);
            parser.build_query_from_user_input_ast(ast).map_err(|e| match e {
                QueryParserError::AllButQueryForbidden => Error::BadQuery {
                    query: prepared.clone(),
                    reason: "it only excludes words (`-word`, `NOT word`): give a word to \
                             search for too"
                        .to_string(),
                },
                e => bad(&prepared, e),
            })
        };
        let defaults = default_fields(searcher, fields);
        let any = build(parser(index, fields, &defaults, false), &defaults)?;
        let title = build(title_parser(index, fields), &[fields.title])?;
        let one_literal = matches!(
            phrases::split_where_unpositioned(ast.clone(), &schema, &defaults),
            UserInputAst::Leaf(_)
        );
        // Plain words without filters or feedback: tiers tantivy can prune.
        let words = if filters.is_empty() && feedback.is_empty() {
            let unweighted = build(QueryParser::for_index(index, defaults.clone()), &defaults)?;
            PlainWords::of(fields, &defaults, &*unweighted, &*title, &*any)
        } else {
            None
        };
        if one_literal {
            // All words are the one word: its bonus boosts the same clause,
            // so each match is scored once, not twice (every match is
            // scored: this query cannot be pruned).
            let boosted = Box::new(BoostQuery::new(any.box_clone(), 1.0 + ALL_WORDS_BOOST));
            clauses.push((Occur::Must, with_feedback(boosted, fields.text, feedback)));
            all_words = Some(any);
        } else {
            let all = build(parser(index, fields, &defaults, true), &defaults)?;
            clauses.push((Occur::Must, with_feedback(any, fields.text, feedback)));
            let bonus = BoostQuery::new(all.box_clone(), ALL_WORDS_BOOST);
            clauses.push((Occur::Should, Box::new(bonus)));
            all_words = Some(all);
        }
        clauses.push((Occur::Should, Box::new(BoostQuery::new(title, TITLE_BOOST))));
        pruned_tiers = words.zip(all_words.as_ref()).map(|(words, all)| {
            let tiers = words.tiers(fields, &**all, one_literal).into_iter();
            tiers
                .map(|tier| -> Box<dyn Query> {
                    Box::new(FlatLength::new(Box::new(tier), &schema, fields))
                })
                .collect()
        });
    } else if filters.is_empty() {
        clauses.push((Occur::Must, Box::new(AllQuery)));
    }
    for filter in filters {
        clauses.push((Occur::Must, filter));
    }
    let all = Box::new(BooleanQuery::new(clauses));
    let query = Box::new(FlatLength::new(all, &index.schema(), fields));
    Ok(Plan { query, all_words, pruned_tiers, prepared, literals })
}

/// A query of plain words (no phrase, operator, field or filter): each
/// word's term in each default field, with the field's weight, and its
/// headline terms.
struct PlainWords {
    text: Vec<(Term, f32)>,
    title: Vec<Term>,
    /// The passages holding any of the words (not just in the headline).
    any: Box<dyn Query>,
}

impl PlainWords {
    /// The words of `unweighted` (the query as parsed without field
    /// weights) and `title` (its headline query), when both are unions of
    /// terms and the words are in the `defaults` fields (a field named in
    /// the query keeps the full form); `any` is the query the passages must
    /// match.
    fn of(
        fields: &Fields,
        defaults: &[Field],
        unweighted: &dyn Query,
        title: &dyn Query,
        any: &dyn Query,
    ) -> Option<PlainWords> {
        let mut text = Vec::new();
        let mut title_terms = Vec::new();
        if !union_terms(unweighted, &mut text)
            || !union_terms(title, &mut title_terms)
            || text.iter().any(|t| !defaults.contains(&t.field()))
        {
            return None;
        }
        let weighted = text.into_iter().map(|t| {
            let weight = field_weight(fields, t.field());
            (t, weight)
        });
        Some(PlainWords { text: weighted.collect(), title: title_terms, any: any.box_clone() })
    }

    /// The tiers of [`Plan::tiers`]: passages with all the words, scored
    /// with the all-words bonus (which is then a fixed multiple of the
    /// same terms' scores), then the others (none when there is one word).
    /// `all` is the query of passages with all the words.
    fn tiers(&self, fields: &Fields, all: &dyn Query, one_literal: bool) -> Vec<PrunedTier> {
        let mut tiers = vec![self.tier(fields, 1.0 + ALL_WORDS_BOOST, all.box_clone(), None)];
        if !one_literal {
            tiers.push(self.tier(fields, 1.0, self.any.box_clone(), Some(all.box_clone())));
        }
        tiers
    }

    fn tier(
        &self,
        fields: &Fields,
        multiple: f32,
        gate: Box<dyn Query>,
        exclude: Option<Box<dyn Query>>,
    ) -> PrunedTier {
        PrunedTier {
            terms: self.text.iter().map(|(t, weight)| (t.clone(), weight * multiple)).collect(),
            required: vec![Term::from_field_text(fields.kind, KIND_PARA)],
            bonus: self.title.iter().map(|t| (t.clone(), TITLE_BOOST)).collect(),
            gate,
            exclude,
        }
    }
}

/// Adds the terms of `query` to `out` when it is a term or a union of
/// them (at any depth): a sum of the terms' scores.
fn union_terms(query: &dyn Query, out: &mut Vec<Term>) -> bool {
    if let Some(term) = query.downcast_ref::<TermQuery>() {
        out.push(term.term().clone());
        return true;
    }
    let Some(boolean) = query.downcast_ref::<BooleanQuery>() else {
        return false;
    };
    boolean.get_minimum_number_should_match() <= 1
        && boolean
            .clauses()
            .iter()
            .all(|(occur, sub)| *occur == Occur::Should && union_terms(&**sub, out))
}

/// The weight of matches in `field`: what [`parser`] boosts each field by,
/// and what a pruned tier weighs its terms with.
fn field_weight(fields: &Fields, field: Field) -> f32 {
    if field == fields.text {
        TEXT_WEIGHT
    } else if field == fields.text_exact {
        EXACT_WEIGHT
    } else if field == fields.translit {
        TRANSLIT_WEIGHT
    } else if fields.stems.iter().any(|(_, f)| *f == field) {
        STEM_WEIGHT
    } else {
        1.0
    }
}

/// `any`, or else one of the `feedback` terms of `field`, each scored with
/// its boost.
fn with_feedback(any: Box<dyn Query>, field: Field, feedback: &[(String, f32)]) -> Box<dyn Query> {
    if feedback.is_empty() {
        return any;
    }
    let mut clauses = vec![(Occur::Should, any)];
    for (term, boost) in feedback {
        let term = TermQuery::new(Term::from_field_text(field, term), IndexRecordOption::WithFreqs);
        clauses.push((Occur::Should, Box::new(BoostQuery::new(Box::new(term), *boost))));
    }
    Box::new(BooleanQuery::new(clauses))
}

/// Whether any literal of `ast` has something in it besides spaces (`""`
/// has not).
fn has_text(ast: &UserInputAst) -> bool {
    match ast {
        UserInputAst::Clause(clauses) => clauses.iter().any(|(_, sub)| has_text(sub)),
        UserInputAst::Boost(sub, _) => has_text(sub),
        UserInputAst::Leaf(leaf) => match leaf.as_ref() {
            UserInputLeaf::Literal(literal) => !literal.phrase.trim().is_empty(),
            _ => true,
        },
    }
}

/// Records every literal of `ast` and replaces fuzzy and prefix words by
/// the dictionary terms they stand for (any of them may match).
fn rewrite(
    ast: &mut UserInputAst,
    fields: &Fields,
    lexicon: &Lexicon,
    literals: &mut Vec<Literal>,
) -> tantivy::Result<()> {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (_, sub) in clauses {
                rewrite(sub, fields, lexicon, literals)?;
            }
        }
        UserInputAst::Boost(sub, _) => rewrite(sub, fields, lexicon, literals)?,
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_mut() {
                if let Some(replacement) = rewrite_literal(literal, fields, lexicon, literals)? {
                    *ast = replacement;
                }
            }
        }
    }
    Ok(())
}

/// Reads one literal; returns what replaces it, if anything does.
fn rewrite_literal(
    literal: &mut UserInputLiteral,
    fields: &Fields,
    lexicon: &Lexicon,
    literals: &mut Vec<Literal>,
) -> tantivy::Result<Option<UserInputAst>> {
    let quoted = literal.delimiter != Delimiter::None;
    let text_field = literal.field_name.as_deref().is_none_or(|name| {
        query_field(fields, name).is_some_and(|field| text_fields(fields).contains(&field))
    });
    let mut record = Literal {
        field: literal.field_name.clone(),
        text: literal.phrase.clone(),
        quoted,
        operator: Operator::Plain,
        expansions: Vec::new(),
        tokens: Vec::new(),
    };
    // The grammar applies `~N` and `*` to quoted phrases only; on a bare
    // word they stay part of the word, and are read here.
    let suffix = if quoted { None } else { word_suffix(&literal.phrase) };
    let expansions = match suffix {
        None if quoted && literal.prefix => {
            record.operator = Operator::PhrasePrefix;
            None
        }
        None if quoted && literal.slop > 0 => {
            record.operator = Operator::Proximity(literal.slop);
            None
        }
        None => None,
        Some((word, suffix)) => {
            record.text = word.to_string();
            let word = word.to_string();
            literal.phrase.clone_from(&word);
            match suffix {
                Suffix::Fuzzy(asked) if expand::is_numeric(&word) => {
                    record.operator = Operator::NumberNotFuzzed(asked);
                    None
                }
                Suffix::Fuzzy(asked) if text_field => {
                    let edits = asked.min(u32::from(expand::MAX_DISTANCE)) as u8;
                    record.operator = Operator::Fuzzy { asked, edits };
                    Some(lexicon.fuzzy(&word, edits)?)
                }
                Suffix::Prefix if text_field => {
                    record.operator = Operator::Prefix;
                    Some(lexicon.prefix(&word)?)
                }
                _ => None,
            }
        }
    };
    let replacement = expansions.map(|expansions| {
        record.expansions = expansions;
        any_of(literal, &record.expansions)
    });
    literals.push(record);
    Ok(replacement)
}

/// The literal as plain words: one per expansion, any of which may match;
/// the literal itself (matched exactly) when nothing expanded.
fn any_of(literal: &UserInputLiteral, expansions: &[Expansion]) -> UserInputAst {
    let word = |phrase: String| {
        UserInputAst::from(UserInputLeaf::Literal(UserInputLiteral {
            field_name: literal.field_name.clone(),
            phrase,
            delimiter: Delimiter::None,
            slop: 0,
            prefix: false,
        }))
    };
    if expansions.is_empty() {
        return word(literal.phrase.clone());
    }
    UserInputAst::Clause(
        expansions.iter().map(|e| (Some(Occur::Should), word(e.term.clone()))).collect(),
    )
}

/// A fuzzy or prefix mark at the end of a bare word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Suffix {
    /// `word~N` (`word~` alone means 2 edits, as in Lucene).
    Fuzzy(u32),
    /// `word*`.
    Prefix,
}

/// Splits `Gerasimv~1` into (`Gerasimv`, fuzzy 1) and `engine*` into
/// (`engine`, prefix); `None` for a plain word.
pub(crate) fn word_suffix(phrase: &str) -> Option<(&str, Suffix)> {
    if let Some(word) = phrase.strip_suffix('*') {
        if !word.is_empty() && !word.ends_with(['*', '\\', '~']) {
            return Some((word, Suffix::Prefix));
        }
        return None;
    }
    let (word, edits) = phrase.rsplit_once('~')?;
    if word.is_empty() || word.contains('~') {
        return None;
    }
    let edits = match edits {
        "" => u32::from(expand::MAX_DISTANCE),
        digits => digits.parse().ok()?,
    };
    Some((word, Suffix::Fuzzy(edits)))
}

/// The fields a word without `field:` is matched in: `translit` and the
/// languages' stem fields only when some segment has words in them (see
/// [`super::present`]), so a query is stemmed in every language the index
/// holds and in no other.
fn default_fields(searcher: &Searcher, fields: &Fields) -> Vec<Field> {
    let mut defaults = vec![fields.text, fields.text_exact];
    let optional: Vec<Field> =
        std::iter::once(fields.translit).chain(fields.stems.iter().map(|(_, f)| *f)).collect();
    defaults.extend(present::filled(searcher, &optional));
    defaults
}

fn parser(index: &Index, fields: &Fields, defaults: &[Field], conjunction: bool) -> QueryParser {
    let mut parser = QueryParser::for_index(index, defaults.to_vec());
    let weighted = [fields.text, fields.text_exact, fields.translit];
    for field in weighted.into_iter().chain(fields.stems.iter().map(|(_, f)| *f)) {
        parser.set_field_boost(field, field_weight(fields, field));
    }
    if conjunction {
        parser.set_conjunction_by_default();
    }
    parser
}

/// Matches the words against the file's headline: a boost for passages of
/// files about the query, never a reason on its own to return a passage.
fn title_parser(index: &Index, fields: &Fields) -> QueryParser {
    QueryParser::for_index(index, vec![fields.title])
}

fn bad(query: &str, reason: impl std::fmt::Display) -> Error {
    Error::BadQuery {
        query: query.to_string(),
        reason: format!("{reason} (quote the text or escape special characters with \\)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_suffix_table() {
        let cases = [
            ("Gerasimv~1", Some(("Gerasimv", Suffix::Fuzzy(1)))),
            ("Gerasimv~", Some(("Gerasimv", Suffix::Fuzzy(2)))),
            ("Gerasimv~10", Some(("Gerasimv", Suffix::Fuzzy(10)))),
            ("engine*", Some(("engine", Suffix::Prefix))),
            ("5,000~1", Some(("5,000", Suffix::Fuzzy(1)))),
            ("Gerasimov", None),
            ("*", None),
            ("~1", None),
            ("a~b", None),
            ("a**", None),
        ];
        for (phrase, expected) in cases {
            assert_eq!(word_suffix(phrase), expected, "{phrase}");
        }
    }
}
