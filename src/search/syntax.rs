//! The query text as tantivy's grammar will read it, and what to tell the
//! user when it cannot.
//!
//! Pasted text is full of colons (`Kursk: Putin’s…`, `http://…`, `12:30`)
//! that the grammar would take for `field:value`; [`colons_as_text`] escapes
//! every colon whose word is not one of lede's fields. When the grammar still
//! fails, [`diagnose`] names the first problem and its column, since the
//! grammar itself only says that it failed.

use std::borrow::Cow;

/// Characters that end a field name in tantivy's grammar (besides whitespace).
const NAME_STOPS: &[char] =
    &['+', '^', '`', ':', '{', '}', '"', '\'', '[', ']', '(', ')', '!', '\\', '*'];

/// `query` with `\` before each colon that does not follow a field name
/// `is_field` accepts, so the colon is read as part of the text.
pub(crate) fn colons_as_text(query: &str, is_field: impl Fn(&str) -> bool) -> Cow<'_, str> {
    if !query.contains(':') {
        return Cow::Borrowed(query);
    }
    let mut out = String::with_capacity(query.len() + 4);
    let mut escaped = false;
    for (at, c) in query.char_indices() {
        if c == ':' && !escaped && !is_field(word_before(&query[..at])) {
            out.push('\\');
        }
        escaped = c == '\\' && !escaped;
        out.push(c);
    }
    Cow::Owned(out)
}

/// `query` with `\` before each `[`, `]`, `{` and `}`, and with each lone
/// `-` or `+` (a list bullet, a dash between words) made a space: the
/// grammar reads brackets as a range (lede has no range syntax) and wants a
/// word right after `-`/`+`, while pasted text holds `[redacted]`, `[sic]`,
/// `{v2}` and `- 5,000 troops`, which the analysers read as words anyway.
pub(crate) fn brackets_as_text(query: &str) -> Cow<'_, str> {
    let lone_mark = |at: usize, c: char| {
        let before = query[..at].chars().next_back();
        let after = query[at + c.len_utf8()..].chars().next();
        matches!(c, '-' | '+')
            && before.is_none_or(|b| b.is_whitespace() || b == '(')
            && after.is_none_or(char::is_whitespace)
    };
    let special = |(at, c): (usize, char)| "[]{}".contains(c) || lone_mark(at, c);
    if !query.char_indices().any(special) {
        return Cow::Borrowed(query);
    }
    let mut out = String::with_capacity(query.len() + 4);
    let mut escaped = false;
    for (at, c) in query.char_indices() {
        if !escaped && "[]{}".contains(c) {
            out.push('\\');
            out.push(c);
        } else if !escaped && lone_mark(at, c) {
            out.push(' ');
        } else {
            out.push(c);
        }
        escaped = c == '\\' && !escaped;
    }
    Cow::Owned(out)
}

/// The word just before the end of `text` as the grammar would read a field
/// name there: spaces skipped, a leading `-`/`+` (an occurrence mark) dropped.
fn word_before(text: &str) -> &str {
    let text = text.trim_end();
    let start = text
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || NAME_STOPS.contains(&c))
        .map_or(0, |(i, c)| i + c.len_utf8());
    text[start..].trim_start_matches('-')
}

/// Why `query` does not parse: the first unbalanced quote or bracket, or an
/// operator with nothing on one side, with its 1-based column.
pub(crate) fn diagnose(query: &str) -> String {
    if let Some(problem) = unbalanced(query) {
        return problem;
    }
    if let Some(problem) = dangling_operator(query) {
        return problem;
    }
    if let Some(problem) = field_without_value(query) {
        return problem;
    }
    "the query syntax is not valid (quote the text or escape special characters with \\)"
        .to_string()
}

/// `field:` with nothing after the colon.
fn field_without_value(query: &str) -> Option<String> {
    words_with_columns(query).into_iter().find_map(|(column, word)| {
        let name = word.strip_suffix(':')?.trim_start_matches(['-', '+']);
        (!name.is_empty() && !name.contains(':'))
            .then(|| format!("`{name}:` at column {column} needs a value after the colon"))
    })
}

/// An opening quote, bracket or parenthesis that is never closed, or a
/// closing one that was never opened.
fn unbalanced(query: &str) -> Option<String> {
    let mut open: Vec<(usize, char)> = Vec::new();
    let mut quote: Option<(usize, char)> = None;
    let mut escaped = false;
    for (column, c) in query.chars().enumerate().map(|(i, c)| (i + 1, c)) {
        if escaped {
            escaped = false;
            continue;
        }
        match (quote, c) {
            (_, '\\') => escaped = true,
            (Some((_, q)), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"') => quote = Some((column, c)),
            (None, '(' | '[' | '{') => open.push((column, c)),
            (None, ')' | ']' | '}') => {
                let expected = match c {
                    ')' => '(',
                    ']' => '[',
                    _ => '{',
                };
                match open.pop() {
                    Some((_, o)) if o == expected => {}
                    _ => return Some(format!("unmatched `{c}` at column {column}")),
                }
            }
            _ => {}
        }
    }
    if let Some((column, q)) = quote {
        return Some(format!("unclosed `{q}` at column {column}: add the closing `{q}`"));
    }
    open.pop().map(|(column, c)| format!("unclosed `{c}` at column {column}"))
}

/// `AND`/`OR` at the start or end of the query or of a group, or next to
/// another operator.
fn dangling_operator(query: &str) -> Option<String> {
    let words: Vec<(usize, &str)> = words_with_columns(query);
    for (i, &(column, word)) in words.iter().enumerate() {
        if word != "AND" && word != "OR" {
            continue;
        }
        let before = i.checked_sub(1).map(|j| words[j].1);
        let after = words.get(i + 1).map(|w| w.1);
        let missing = |side: Option<&str>, edge: &str| {
            side.is_none_or(|w| w == "AND" || w == "OR" || w == edge)
        };
        if missing(before, "(") || missing(after, ")") {
            return Some(format!(
                "`{word}` at column {column} needs a word on each side \
                 (quote it to search for the word itself)"
            ));
        }
    }
    None
}

/// Whitespace-separated words, with parentheses as words of their own,
/// each with its 1-based column.
fn words_with_columns(query: &str) -> Vec<(usize, &str)> {
    let mut words = Vec::new();
    let mut start: Option<(usize, usize)> = None;
    let mut column = 0;
    for (at, c) in query.char_indices() {
        column += 1;
        let parenthesis = c == '(' || c == ')';
        if c.is_whitespace() || parenthesis {
            if let Some((from, col)) = start.take() {
                words.push((col, &query[from..at]));
            }
            if parenthesis {
                words.push((column, &query[at..at + 1]));
            }
        } else if start.is_none() {
            start = Some((at, column));
        }
    }
    if let Some((from, col)) = start {
        words.push((col, &query[from..]));
    }
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(name: &str) -> bool {
        ["title", "person"].contains(&name)
    }

    #[test]
    fn only_field_names_keep_their_colon() {
        let cases = [
            ("Kursk: Putin’s", "Kursk\\: Putin’s"),
            ("http://example.com", "http\\://example.com"),
            ("title:Kremlin", "title:Kremlin"),
            ("-person:\"Kim Jong Un\"", "-person:\"Kim Jong Un\""),
            ("(title:a OR b)", "(title:a OR b)"),
            ("at 12:30", "at 12\\:30"),
            ("already\\:escaped", "already\\:escaped"),
            ("Title:Kremlin", "Title\\:Kremlin"),
            ("\"Kursk: x\"", "\"Kursk\\: x\""),
        ];
        for (query, expected) in cases {
            assert_eq!(colons_as_text(query, fields), expected, "{query}");
        }
    }

    #[test]
    fn brackets_and_lone_marks_are_text() {
        let cases = [
            ("an official [redacted] said", "an official \\[redacted\\] said"),
            ("the draft {v2}", "the draft \\{v2\\}"),
            ("- 5,000 troops", "  5,000 troops"),
            ("Kyiv - Kursk + Sumy -", "Kyiv   Kursk   Sumy  "),
            ("Korea -Kursk +Seoul a-b", "Korea -Kursk +Seoul a-b"),
            ("already \\[escaped]", "already \\[escaped\\]"),
        ];
        for (query, expected) in cases {
            assert_eq!(brackets_as_text(query), expected, "{query}");
        }
    }

    #[test]
    fn diagnoses_name_the_problem_and_column() {
        let cases = [
            ("\"special forces", "unclosed `\"` at column 1"),
            ("(a OR b", "unclosed `(` at column 1"),
            ("a OR b)", "unmatched `)` at column 7"),
            ("Putin AND", "`AND` at column 7"),
            ("OR Kim", "`OR` at column 1"),
            ("a AND OR b", "`AND` at column 3"),
            ("(AND a)", "`AND` at column 2"),
            ("Kursk title:", "`title:` at column 7 needs a value"),
            ("a ^ b", "quote the text"),
        ];
        for (query, expected) in cases {
            let diagnosis = diagnose(query);
            assert!(diagnosis.contains(expected), "{query}: {diagnosis}");
        }
    }
}
