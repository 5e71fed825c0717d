//! Phrases on fields indexed without positions.
//!
//! Only `text` keeps token positions (they cost as much as its postings).
//! tantivy's query parser refuses a phrase on a field without them, and a
//! word the analysers split (`1960s` → `1960 s`) is a phrase too. So before
//! parsing, a literal aimed only at such fields (`title:"Far East"`, or any
//! literal of the headline boost) becomes its words, all required: a
//! headline is short, and holding the words is close to holding the phrase.

use tantivy::query::Occur;
use tantivy::query_grammar::{Delimiter, UserInputAst, UserInputLeaf, UserInputLiteral};
use tantivy::schema::{Field, FieldType, Schema};

use crate::analysis;

/// `ast` with every literal that would need positions in fields without
/// them replaced by the conjunction of its words. `defaults` are the fields
/// of literals that name none.
pub(crate) fn split_where_unpositioned(
    mut ast: UserInputAst,
    schema: &Schema,
    defaults: &[Field],
) -> UserInputAst {
    let analyser_of = |name: Option<&str>| -> Option<String> {
        let targets = match name {
            Some(name) => vec![schema.get_field(name).ok()?],
            None => defaults.to_vec(),
        };
        let mut analysers = targets.iter().map(|field| unpositioned_analyser(schema, *field));
        // One positioned target is enough: the parser drops the others.
        let first = analysers.next()??;
        analysers.all(|a| a.is_some()).then_some(first)
    };
    split(&mut ast, &analyser_of);
    ast
}

/// The analyser name of a text field indexed without positions.
fn unpositioned_analyser(schema: &Schema, field: Field) -> Option<String> {
    let FieldType::Str(options) = schema.get_field_entry(field).field_type() else {
        return None;
    };
    let indexing = options.get_indexing_options()?;
    (!indexing.index_option().has_positions()).then(|| indexing.tokenizer().to_string())
}

fn split(ast: &mut UserInputAst, analyser_of: &dyn Fn(Option<&str>) -> Option<String>) {
    match ast {
        UserInputAst::Clause(clauses) => {
            for (_, sub) in clauses {
                split(sub, analyser_of);
            }
        }
        UserInputAst::Boost(sub, _) => split(sub, analyser_of),
        UserInputAst::Leaf(leaf) => {
            if let UserInputLeaf::Literal(literal) = leaf.as_ref() {
                if let Some(analyser) = analyser_of(literal.field_name.as_deref()) {
                    if let Some(words) = words_of(literal, &analyser) {
                        *ast = words;
                    }
                }
            }
        }
    }
}

/// The words of a literal that `analyser` makes several tokens of, all
/// required; `None` for a single token or an analyser lede does not own
/// (whole-value fields keep their value whole).
fn words_of(literal: &UserInputLiteral, analyser: &str) -> Option<UserInputAst> {
    let tokens = analysis::analyse_tokens(analyser, &literal.phrase)?;
    if tokens.len() < 2 {
        return None;
    }
    let word = |token: &tantivy::tokenizer::Token| {
        let phrase = literal.phrase.get(token.offset_from..token.offset_to)?.to_string();
        Some(UserInputAst::from(UserInputLeaf::Literal(UserInputLiteral {
            field_name: literal.field_name.clone(),
            phrase,
            delimiter: Delimiter::None,
            slop: 0,
            prefix: false,
        })))
    };
    let words: Option<Vec<_>> =
        tokens.iter().map(|token| Some((Some(Occur::Must), word(token)?))).collect();
    Some(UserInputAst::Clause(words?))
}

#[cfg(test)]
mod tests {
    use tantivy::schema::{TextFieldIndexing, TextOptions, STRING, TEXT};

    use super::*;

    fn leaves(ast: &UserInputAst, out: &mut Vec<String>) {
        match ast {
            UserInputAst::Clause(clauses) => clauses.iter().for_each(|(_, sub)| leaves(sub, out)),
            UserInputAst::Boost(sub, _) => leaves(sub, out),
            UserInputAst::Leaf(leaf) => {
                if let UserInputLeaf::Literal(l) = leaf.as_ref() {
                    let field = l.field_name.as_deref().unwrap_or("-");
                    out.push(format!(
                        "{field}:{}{}",
                        l.phrase,
                        if l.delimiter == Delimiter::None { "" } else { "\"" }
                    ));
                }
            }
        }
    }

    #[test]
    fn phrases_split_only_where_positions_are_missing() {
        let mut builder = Schema::builder();
        let text = builder.add_text_field("text", TEXT);
        let unpositioned = TextOptions::default()
            .set_indexing_options(TextFieldIndexing::default().set_tokenizer(analysis::TEXT));
        let title = builder.add_text_field("title", unpositioned);
        builder.add_text_field("person", STRING);
        let schema = builder.build();
        let query = "\"far east\" title:\"special forces\" title:1960s text:\"a b\" \
                     person:\"Sergei Lavrov\" korea";
        let ast = tantivy::query_grammar::parse_query(query).unwrap();
        let mut on_text = Vec::new();
        leaves(&split_where_unpositioned(ast.clone(), &schema, &[text]), &mut on_text);
        assert_eq!(
            on_text,
            [
                "-:far east\"",
                "title:special",
                "title:forces",
                "title:1960",
                "title:s",
                "text:a b\"",
                "person:Sergei Lavrov\"",
                "-:korea"
            ]
        );
        let mut on_title = Vec::new();
        leaves(&split_where_unpositioned(ast, &schema, &[title]), &mut on_title);
        assert_eq!(on_title[..3], ["-:far", "-:east", "title:special"]);
    }
}
