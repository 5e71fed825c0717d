//! Splits raw paragraph text into tokens the way CoNLL-2003 is tokenised, so
//! the tagger sees the same units it was trained on: punctuation and quotes
//! (straight and curly) are their own tokens, possessive `'s`/`’s` and `n't`
//! are split off, hyphenated words and numbers like `5,000` stay whole, and
//! abbreviations (`U.S.`, `Mr.`, `Lt.`) keep their period. Every token carries
//! its byte span in the input.

/// One token: a byte span into the text it came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    /// Byte offset of the first byte.
    pub start: usize,
    /// Byte offset one past the last byte.
    pub end: usize,
}

impl Token {
    /// The token's text within `source` (the string it was cut from).
    pub(crate) fn text<'a>(&self, source: &'a str) -> &'a str {
        &source[self.start..self.end]
    }
}

/// Abbreviations (lowercase ASCII of at most eight letters, without the
/// final period) that keep their period.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "cpt", "sgt", "adm",
    "cmdr", "gov", "sen", "rep", "pres", "st", "jr", "sr", "rev", "inc", "corp", "co", "ltd",
    "bros", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    "no", "nos", "vs", "etc", "mt", "ft", "fig", "approx", "dept", "univ", "assn", "est", "gov't",
];

fn is_opening(c: char) -> bool {
    matches!(c, '"' | '\'' | '‘' | '“' | '(' | '[' | '{' | '«' | '„' | '‚' | '`')
}

fn is_closing(c: char) -> bool {
    matches!(
        c,
        '"' | '\'' | '’' | '”' | ')' | ']' | '}' | '»' | ',' | ';' | ':' | '!' | '?' | '.' | '…'
    )
}

/// Dashes that separate words even without surrounding spaces ("war—it").
fn is_breaking_dash(c: char) -> bool {
    matches!(c, '—' | '–' | '―')
}

fn is_apostrophe(c: char) -> bool {
    matches!(c, '\'' | '’' | 'ʼ')
}

/// Whether `stem` in lowercase is one of [`ABBREVIATIONS`]. This runs at
/// every sentence end, so the lowercase form goes into a small buffer, not
/// a new String; a stem whose lowercase form is not short ASCII is in no list.
fn is_listed_abbreviation(stem: &str) -> bool {
    let mut lower = [0u8; 8];
    let mut len = 0;
    for c in stem.chars().flat_map(char::to_lowercase) {
        if len == lower.len() || !c.is_ascii() {
            return false;
        }
        lower[len] = c as u8;
        len += 1;
    }
    ABBREVIATIONS.iter().any(|a| a.as_bytes() == &lower[..len])
}

/// True for `U.S.`, `U.N.`, `a.m.` and the listed abbreviations (text includes the final period).
fn is_abbreviation(word: &str) -> bool {
    let Some(stem) = word.strip_suffix('.') else {
        return false;
    };
    if stem.is_empty() {
        return false;
    }
    if is_listed_abbreviation(stem) {
        return true;
    }
    // Letter-period sequences: "U.S", "e.g", "N.Y" (the final period was stripped).
    let mut expect_letter = true;
    for c in stem.chars() {
        if expect_letter {
            if !c.is_alphabetic() {
                return false;
            }
        } else if c != '.' {
            return false;
        }
        expect_letter = !expect_letter;
    }
    // A single letter followed by a period is an initial ("John F. Kennedy").
    !expect_letter && stem.chars().next().is_some_and(|c| c.is_uppercase() || stem.len() > 1)
}

/// Splits `text` into CoNLL-style tokens with byte spans.
pub(crate) fn tokenize(text: &str) -> Vec<Token> {
    let mut tokens = Vec::with_capacity(text.len() / 5);
    let mut chunk_start: Option<usize> = None;
    for (i, c) in text.char_indices() {
        if c.is_whitespace() || is_breaking_dash(c) {
            if let Some(s) = chunk_start.take() {
                split_chunk(text, s, i, &mut tokens);
            }
            if is_breaking_dash(c) {
                tokens.push(Token { start: i, end: i + c.len_utf8() });
            }
        } else if chunk_start.is_none() {
            chunk_start = Some(i);
        }
    }
    if let Some(s) = chunk_start {
        split_chunk(text, s, text.len(), &mut tokens);
    }
    tokens
}

/// Splits one whitespace-free chunk `text[start..end]` into tokens.
fn split_chunk(text: &str, mut start: usize, mut end: usize, out: &mut Vec<Token>) {
    // Leading quotes and brackets.
    while start < end {
        let c = first_char(&text[start..end]);
        if is_opening(c) && end - start > c.len_utf8() {
            out.push(Token { start, end: start + c.len_utf8() });
            start += c.len_utf8();
        } else {
            break;
        }
    }
    // Trailing punctuation, pushed in reverse order and put after the
    // word below (in place: a chunk is split for nearly every word).
    let trailing_from = out.len();
    while start < end {
        let word = &text[start..end];
        let c = last_char(word);
        if !is_closing(c) || word.len() == c.len_utf8() {
            break;
        }
        if c == '.' && is_abbreviation(word) {
            break;
        }
        // "..." stays one token.
        if c == '.' && word.ends_with("...") && word.len() > 3 {
            out.push(Token { start: end - 3, end });
            end -= 3;
            continue;
        }
        out.push(Token { start: end - c.len_utf8(), end });
        end -= c.len_utf8();
    }
    let trailing = out.len() - trailing_from;
    out[trailing_from..].reverse();
    if start < end {
        push_word(text, start, end, out);
    }
    out[trailing_from..].rotate_left(trailing);
}

/// Pushes a word, splitting off a possessive `'s` or a negation `n't`.
fn push_word(text: &str, start: usize, end: usize, out: &mut Vec<Token>) {
    let word = &text[start..end];
    // The word's last four characters, last first.
    let mut back = word.char_indices().rev();
    let (last, second, third, fourth) = (back.next(), back.next(), back.next(), back.next());
    if let (Some((_, last)), Some((apos_at, apos)), Some(_)) = (last, second, third) {
        if is_apostrophe(apos) && matches!(last, 's' | 'S') {
            out.push(Token { start, end: start + apos_at });
            out.push(Token { start: start + apos_at, end });
            return;
        }
    }
    if let (Some((_, last)), Some((_, apos)), Some((n_at, n_char)), Some(_)) =
        (last, second, third, fourth)
    {
        if matches!(n_char, 'n' | 'N') && is_apostrophe(apos) && matches!(last, 't' | 'T') {
            out.push(Token { start, end: start + n_at });
            out.push(Token { start: start + n_at, end });
            return;
        }
    }
    out.push(Token { start, end });
}

fn first_char(s: &str) -> char {
    s.chars().next().unwrap_or(' ')
}

fn last_char(s: &str) -> char {
    s.chars().next_back().unwrap_or(' ')
}

/// Indices of tokens that start a sentence: the first token, and any token
/// after a sentence-final `.`/`!`/`?` (possibly followed by closing quotes).
pub(crate) fn sentence_starts(text: &str, tokens: &[Token]) -> Vec<bool> {
    let mut starts = vec![false; tokens.len()];
    let mut after_end = true;
    for (i, t) in tokens.iter().enumerate() {
        let s = t.text(text);
        if after_end && !matches!(s, "\"" | "'" | "’" | "”" | "‘" | "“" | "(" | ")") {
            starts[i] = true;
            after_end = false;
        }
        if matches!(s, "." | "!" | "?" | "..." | "…") {
            after_end = true;
        }
    }
    starts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        tokenize(text).iter().map(|t| t.text(text)).collect()
    }

    #[test]
    fn splits_like_conll() {
        let cases: &[(&str, &[&str])] = &[
            ("Russia’s army", &["Russia", "’s", "army"]),
            ("Russia's army.", &["Russia", "'s", "army", "."]),
            (
                "‘unprecedented in scale,’ involving",
                &["‘", "unprecedented", "in", "scale", ",", "’", "involving"],
            ),
            ("“Hello,” he said.", &["“", "Hello", ",", "”", "he", "said", "."]),
            ("the U.S. and Mr. Smith", &["the", "U.S.", "and", "Mr.", "Smith"]),
            ("Lt. Gen. Kyrylo Budanov", &["Lt.", "Gen.", "Kyrylo", "Budanov"]),
            ("about 5,000 troops (NIS)", &["about", "5,000", "troops", "(", "NIS", ")"]),
            ("war—it is", &["war", "—", "it", "is"]),
            ("Russian-Ukrainian border", &["Russian-Ukrainian", "border"]),
            ("didn't go", &["did", "n't", "go"]),
            ("soldiers’ families", &["soldiers", "’", "families"]),
            ("Евгений Михайлов, who", &["Евгений", "Михайлов", ",", "who"]),
            ("wait...", &["wait", "..."]),
            ("ended in 2024.", &["ended", "in", "2024", "."]),
            // Several closing marks keep their order after the word.
            ("(NIS).", &["(", "NIS", ")", "."]),
            ("said “no!”),", &["said", "“", "no", "!", "”", ")", ","]),
            ("it's 's don't n't", &["it", "'s", "'", "s", "do", "n't", "n't"]),
            ("Kyiv’S GOV. Inc. ST.", &["Kyiv", "’S", "GOV.", "Inc.", "ST."]),
        ];
        for (text, expected) in cases {
            assert_eq!(&words(text), expected, "input: {text}");
        }
    }

    #[test]
    fn listed_abbreviations_match_in_any_case() {
        for (stem, listed) in [
            ("Mr", true),
            ("GOV'T", true),
            ("approx", true),
            ("Approximately", false),
            ("Mrs", true),
            ("Mrsx", false),
            ("\u{212A}", false), // the Kelvin sign lowercases to ASCII "k", a word not listed
            ("Sé", false),
            ("", false),
        ] {
            let expected = ABBREVIATIONS.contains(&stem.to_lowercase().as_str());
            assert_eq!(expected, listed, "{stem}");
            assert_eq!(is_listed_abbreviation(stem), listed, "{stem}");
        }
        assert!(ABBREVIATIONS.iter().all(|a| a.is_ascii() && a.len() <= 8));
    }

    #[test]
    fn spans_point_into_the_text() {
        let text = "  Putin’s “plan”\n";
        for t in tokenize(text) {
            assert!(!t.text(text).trim().is_empty());
        }
        let toks = tokenize(text);
        assert_eq!(toks[0], Token { start: 2, end: 7 });
    }

    #[test]
    fn finds_sentence_starts() {
        let text = "He left. “Then she came.” Mr. Smith stayed";
        let toks = tokenize(text);
        let starts = sentence_starts(text, &toks);
        let firsts: Vec<&str> =
            toks.iter().zip(&starts).filter(|(_, s)| **s).map(|(t, _)| t.text(text)).collect();
        assert_eq!(firsts, ["He", "Then", "Mr."]);
    }
}
