//! `--explain` for people: how each literal of the query was read (operator,
//! tokens per field, fuzzy and prefix expansions), and under each hit the
//! terms that matched, with their field and share of the score. The
//! analysis is done in [`crate::search::explain`]; this only lays it out.

use std::io::{self, Write};

use crate::search::explain::{HitExplanation, LiteralAnalysis, QueryAnalysis};
use crate::search::feedback::FeedbackTerm;
use crate::search::query::Operator;

/// Writes how the query was analysed, then the words `--expand` added.
pub(crate) fn write_analysis<W: Write>(out: &mut W, analysis: &QueryAnalysis) -> io::Result<()> {
    writeln!(out, "query: {}", analysis.prepared)?;
    for LiteralAnalysis { literal, tokens } in &analysis.literals {
        let field = literal.field.as_deref().map(|f| format!("{f}:")).unwrap_or_default();
        let shown =
            if literal.quoted { format!("\"{}\"", literal.text) } else { literal.text.clone() };
        writeln!(out, "  {field}{shown}  [{}]", operator(&literal.operator))?;
        if let Some(fields) = tokens {
            let per_field: Vec<String> =
                fields.iter().map(|f| format!("{}: {}", f.field, f.tokens.join(" "))).collect();
            writeln!(out, "    {}", per_field.join(" | "))?;
        }
        if matches!(literal.operator, Operator::Fuzzy { .. } | Operator::Prefix) {
            if literal.expansions.is_empty() {
                writeln!(out, "    expands to nothing in the index")?;
            } else {
                let prefix = literal.operator == Operator::Prefix;
                let terms: Vec<String> = literal
                    .expansions
                    .iter()
                    .map(|e| match prefix {
                        true => format!("{} ({})", e.term, count(e.doc_freq, "passage")),
                        false => format!(
                            "{} ({}, {})",
                            e.term,
                            count(u64::from(e.distance), "edit"),
                            count(e.doc_freq, "passage")
                        ),
                    })
                    .collect();
                writeln!(out, "    expands to: {}", terms.join(", "))?;
            }
        }
    }
    write_feedback(out, analysis.feedback)
}

/// Writes the terms `--expand` added to the query, with their share of the
/// relevance model (nothing when none were added).
fn write_feedback<W: Write>(out: &mut W, added: &[FeedbackTerm]) -> io::Result<()> {
    if added.is_empty() {
        return Ok(());
    }
    let terms: Vec<String> =
        added.iter().map(|t| format!("{} ({:.3})", t.term, t.weight)).collect();
    writeln!(out, "  expanded with (text, stemmed): {}", terms.join(", "))
}

/// Writes one hit's matched terms, indented under the hit.
pub(crate) fn write_hit<W: Write>(out: &mut W, explanation: &HitExplanation) -> io::Result<()> {
    writeln!(out, "   score {:.4}:", explanation.score)?;
    for term in &explanation.terms {
        if term.term.is_empty() {
            writeln!(out, "     {:>8.4}  {}", term.score, term.field)?;
        } else {
            writeln!(out, "     {:>8.4}  {}:{}", term.score, term.field, term.term)?;
        }
    }
    Ok(())
}

fn count(n: u64, word: &str) -> String {
    format!("{n} {word}{}", if n == 1 { "" } else { "s" })
}

fn operator(op: &Operator) -> String {
    match op {
        Operator::Plain => "words".to_string(),
        Operator::Fuzzy { asked, edits } if u32::from(*edits) == *asked => {
            format!("fuzzy, up to {}", count(u64::from(*edits), "edit"))
        }
        Operator::Fuzzy { asked, edits } => {
            format!("fuzzy, up to {} (asked {asked}, at most 2)", count(u64::from(*edits), "edit"))
        }
        Operator::Prefix => "prefix".to_string(),
        Operator::Proximity(slop) => format!("words within {slop} positions"),
        Operator::PhrasePrefix => "phrase, last word as a prefix".to_string(),
        Operator::NumberNotFuzzed(_) => "number or date: matched exactly, never fuzzed".to_string(),
    }
}
