//! [`prepare_query`]: rewrites raw query text so that tantivy's query grammar
//! hands the analysers what the user meant. The grammar (tantivy-query-grammar
//! 0.27) treats ASCII `'` as a quote delimiter (`Russia's Far East` is a parse
//! error in `parse_query`), and it ends words at any Unicode whitespace but
//! skips only ASCII whitespace between them, so a no-break or thin space
//! (`5 000`, `Far East` pasted from a web page) is a syntax error. Both are
//! fixed here, before parsing; everything else (operators, quotes, `field:`)
//! is left for the grammar.

use std::borrow::Cow;

use crate::analysis::numbers::scan_number;

/// `query` with ASCII apostrophes inside words turned into `’` (which the
/// grammar leaves alone and the analysers fold like `'`) and numbers grouped
/// by spaces written without them (`5 000` → `5000`, as the analyser reads
/// them in the text, see [`scan_number`]); any other
/// non-ASCII whitespace becomes an ASCII space. Apostrophes at a word edge
/// stay: they may be quote delimiters (`'Far East'`).
pub(crate) fn prepare_query(query: &str) -> Cow<'_, str> {
    let grouped_digits = query.as_bytes().windows(2).any(|w| w[0].is_ascii_digit() && w[1] == b' ');
    if !grouped_digits
        && !query.contains(|c: char| c == '\'' || (c.is_whitespace() && !c.is_ascii()))
    {
        return Cow::Borrowed(query);
    }
    let mut out = String::with_capacity(query.len() + 4);
    let mut previous: Option<char> = None;
    let mut chars = query.char_indices().peekable();
    while let Some((offset, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        if c == '\''
            && previous.is_some_and(char::is_alphanumeric)
            && next.is_some_and(char::is_alphanumeric)
        {
            out.push('\u{2019}');
        } else if c.is_ascii_digit() && !previous.is_some_and(char::is_alphanumeric) {
            let mut number = String::new();
            let end = scan_number(query, offset, &mut number).unwrap_or(offset + 1);
            let span = &query[offset..end];
            out.push_str(if span.contains(char::is_whitespace) { &number } else { span });
            while chars.peek().is_some_and(|(o, _)| *o < end) {
                chars.next();
            }
            previous = span.chars().next_back();
            continue;
        } else if c.is_whitespace() && !c.is_ascii() {
            out.push(' ');
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prepare_query_table() {
        let cases = [
            ("Russia's Far East", "Russia’s Far East"),
            ("'special forces' O'Brien", "'special forces' O’Brien"),
            ("\"Russia's army\"", "\"Russia’s army\""),
            ("5\u{A0}000 engineers", "5000 engineers"),
            ("5\u{202F}000,5 1\u{2009}500.5", "5000,5 1500.5"),
            ("5,000 engineers", "5,000 engineers"),
            ("5 000 engineers", "5000 engineers"),
            ("in 2021 100 soldiers", "in 2021 100 soldiers"),
            ("A320\u{A0}000", "A320 000"),
            ("Far\u{A0}East\u{3000}Михайлов", "Far East Михайлов"),
        ];
        for (query, expected) in cases {
            assert_eq!(prepare_query(query), expected, "prepare_query({query:?})");
        }
    }

    #[test]
    fn plain_queries_are_borrowed() {
        assert!(matches!(prepare_query("Mikhailov 5,000"), Cow::Borrowed(_)));
        assert!(matches!(prepare_query("Михайлов São"), Cow::Borrowed(_)));
    }
}
