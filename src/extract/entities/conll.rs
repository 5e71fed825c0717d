//! The CoNLL-2003 file format (`token POS chunk NER` per line, IOB1 tags,
//! blank lines between sentences, `-DOCSTART-` between documents): what the
//! tagger is trained on and scored against.

use std::path::Path;

use anyhow::Context;

/// One sentence of a CoNLL file: tokens and their gold IOB tags.
#[derive(Clone, Debug, Default)]
pub struct ConllSentence {
    pub tokens: Vec<String>,
    pub tags: Vec<String>,
}

/// One `-DOCSTART-` document of a CoNLL file.
#[derive(Clone, Debug, Default)]
pub struct ConllDocument {
    pub sentences: Vec<ConllSentence>,
}

/// Parses CoNLL-2003 text. The token is the first column and the NER tag the
/// last; blank lines end sentences and `-DOCSTART-` lines start documents.
pub fn parse_conll(text: &str) -> anyhow::Result<Vec<ConllDocument>> {
    let mut docs = vec![ConllDocument::default()];
    let mut sentence = ConllSentence::default();
    for (no, line) in text.lines().enumerate() {
        let line = line.trim_end();
        if line.is_empty() || line.starts_with("-DOCSTART-") {
            if !sentence.tokens.is_empty() {
                if let Some(d) = docs.last_mut() {
                    d.sentences.push(std::mem::take(&mut sentence));
                }
            }
            if line.starts_with("-DOCSTART-")
                && docs.last().is_some_and(|d| !d.sentences.is_empty())
            {
                docs.push(ConllDocument::default());
            }
            continue;
        }
        let mut cols = line.split_whitespace();
        let token = cols.next().with_context(|| format!("line {}: no token", no + 1))?;
        let tag = cols.last().with_context(|| format!("line {}: no NER tag column", no + 1))?;
        sentence.tokens.push(token.to_string());
        sentence.tags.push(tag.to_string());
    }
    if !sentence.tokens.is_empty() {
        if let Some(d) = docs.last_mut() {
            d.sentences.push(sentence);
        }
    }
    docs.retain(|d| !d.sentences.is_empty());
    Ok(docs)
}

/// Reads and parses a CoNLL file.
pub fn read_conll(path: &Path) -> anyhow::Result<Vec<ConllDocument>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("failed to read CoNLL file {}", path.display()))?;
    parse_conll(&text).with_context(|| format!("failed to parse CoNLL file {}", path.display()))
}
