//! The number scanner of the news analysers (`crate::analysis`): indexed text
//! and query words agree on what "5,000" is because both read numbers here.
//!
//! The scanner reads one number starting at a given ASCII digit and writes its
//! canonical form: digit groups joined (`5,000`, `5\u{A0}000`, `5\u{202F}000`
//! → `5000`), the decimal point kept (`3.5`), everything else as written.
//! A group separator (comma, no-break space U+00A0, thin space U+2009, narrow
//! no-break space U+202F) joins only when the first group has 1–3 digits and
//! every following group has exactly 3 digits, all with the same separator;
//! so `2,021` is 2021.
//!
//! A plain ASCII space joins groups too (`5 000` and `5 000 000` are 5000
//! and 5000000), but only where it cannot be a table or a range: not after
//! another number or a month name, not inside a range or code (`1-3
//! 230-240`, `47 767-300's`), not when more numbers follow the groups (`5
//! 000 000 5`), and several groups only when they cannot be a table row of
//! numbers of one size (`Food 700 690 678` stays three numbers; `1 234 567`
//! and `12 500 000` join). The groups join all or none. English newswire
//! rarely groups with spaces, so these guards matter more than the joins:
//! unguarded, all 186 one-group space joins in the shared BBC and Reuters
//! corpora were false, and so were all 67 joins of several groups (every one
//! a row of a Reuters table: `Start Stocks 498 498 371 371`); with the
//! guards, 7 one-group joins remain (`few 137 161`, `36 100 kilowatt`) and no
//! join of several groups.
//!
//! A period is a decimal point only when a digit follows, so a sentence-ending
//! period is never part of a number. Signs are not read (`-5` is 5).

/// Characters that may separate thousands groups (not the ASCII space: see
/// the module doc).
const GROUP_SEPARATORS: [char; 4] = [',', '\u{A0}', '\u{2009}', '\u{202F}'];

/// Scans the number that starts at byte `start` of `text` (which must be an
/// ASCII digit, else `None`), appends its canonical form to `out` and returns
/// the byte offset just past it. Never allocates beyond `out`'s growth.
pub(crate) fn scan_number(text: &str, start: usize, out: &mut String) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.get(start)?.is_ascii_digit() {
        return None;
    }
    let first_end = digits_end(bytes, start);
    out.push_str(&text[start..first_end]);
    let mut end = first_end;

    let first_len = first_end - start;
    if (1..=3).contains(&first_len) && bytes[start] != b'0' {
        end = if text[end..].starts_with(' ') {
            if space_may_group(text, start) {
                join_space_groups(text, end, first_len, out)
            } else {
                end
            }
        } else {
            join_groups(text, end, out)
        };
    }

    // A decimal point needs a digit after it; otherwise it ends the sentence.
    if bytes.get(end) == Some(&b'.') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit) {
        let fraction_end = digits_end(bytes, end + 1);
        out.push_str(&text[end..fraction_end]);
        end = fraction_end;
    }
    Some(end)
}

/// Appends the exact-3-digit groups that follow `end` with one consistent
/// separator of [`GROUP_SEPARATORS`], returning the new end.
fn join_groups(text: &str, mut end: usize, out: &mut String) -> usize {
    let mut separator: Option<char> = None;
    while let Some(sep) = text[end..].chars().next() {
        if !GROUP_SEPARATORS.contains(&sep) || separator.is_some_and(|s| s != sep) {
            break;
        }
        let Some(group_end) = group_after(text, end + sep.len_utf8()) else { break };
        out.push_str(&text[end + sep.len_utf8()..group_end]);
        separator = Some(sep);
        end = group_end;
    }
    end
}

/// Appends the groups that follow `end` after plain spaces when they are
/// one number, returning the new end (`end` itself when they are not).
/// Groups join all or none: the whole run must end the numbers there (not
/// run on into another number, range or code), and a run of several groups
/// must not read as a table row: `5 000 000` and `1 234 567` join, `Food
/// 700 690 678` does not (see [`several_groups_are_one_number`]).
fn join_space_groups(text: &str, end: usize, first_len: usize, out: &mut String) -> usize {
    let mut groups = Vec::new();
    let mut at = end;
    while text[at..].starts_with(' ') {
        let Some(group_end) = group_after(text, at + 1) else { break };
        groups.push(&text[at + 1..group_end]);
        at = group_end;
    }
    let one_number = match groups.len() {
        0 => false,
        1 => true,
        _ => several_groups_are_one_number(first_len, &groups),
    };
    if !one_number || runs_on_into_numbers(text, at) {
        return end;
    }
    groups.iter().for_each(|g| out.push_str(g));
    at
}

/// The end of the exactly-3-digit group starting at `from`, unless letters
/// are glued to it (`000km`).
fn group_after(text: &str, from: usize) -> Option<usize> {
    let group_end = digits_end(text.as_bytes(), from);
    let glued = text[group_end..].chars().next().is_some_and(char::is_alphanumeric);
    (group_end - from == 3 && !glued).then_some(group_end)
}

/// Whether a first group of `first_len` digits and the 3-digit `groups`
/// after it (two or more, separated by plain spaces) are one number rather
/// than a row of table columns. Columns of one table are numbers of about
/// one size, each written without leading zeros (`700 690 678`, `354 389
/// 353`); a number grouped by spaces has a shorter first group or a group
/// starting with 0 (`1 234 567`, `12 500 000`, `250 000 000`). A row such
/// as `Exports 95 120 149` would still join, but none of the shared BBC and
/// Reuters corpora has that shape (see the module doc).
fn several_groups_are_one_number(first_len: usize, groups: &[&str]) -> bool {
    first_len < 3 || groups.iter().any(|g| g.starts_with('0'))
}

/// Whether a plain space may separate digit groups of the number at
/// `start`: not when a number or a month name comes just before it (table
/// rows such as `700 690 678`, dates such as `July 6 100 mln`).
fn space_may_group(text: &str, start: usize) -> bool {
    // Part of a range, fraction or code: `1-3 230-240`, `2/3 100`.
    if text[..start].ends_with(['-', '/', '.', ':', '+']) {
        return false;
    }
    let before = text[..start].trim_end_matches(' ');
    if before.len() == start {
        // No space before: the number starts the text or follows punctuation.
        return !before.ends_with(|c: char| c.is_ascii_digit());
    }
    let previous_word = before
        .rsplit(|c: char| !c.is_alphanumeric() && c != '.')
        .next()
        .unwrap_or("")
        .trim_end_matches('.');
    let is_number = previous_word.chars().any(|c| c.is_ascii_digit());
    !is_number && !is_month_name(previous_word)
}

/// True when the text after `end` is another number separated by a space:
/// the groups are then columns or a code (`555 123 4567`), not one number.
fn runs_on_into_numbers(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let more_digits = rest.starts_with(' ') && rest[1..].starts_with(|c: char| c.is_ascii_digit());
    // `230-240`, `600/700`, `767-300's`: the group starts a range or code.
    more_digits || rest.starts_with(['-', '/', '\'', '’'])
}

fn is_month_name(word: &str) -> bool {
    const MONTHS: [&str; 12] =
        ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];
    let lower = word.to_ascii_lowercase();
    lower.len() >= 3 && MONTHS.iter().any(|m| lower.starts_with(m)) && lower.len() <= 9
}

/// Byte offset of the first non-digit at or after `from`.
fn digits_end(bytes: &[u8], from: usize) -> usize {
    bytes[from..].iter().position(|b| !b.is_ascii_digit()).map_or(bytes.len(), |n| from + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, expected canonical form of the number at offset 0, expected end)
    const SCAN_CASES: &[(&str, &str, usize)] = &[
        ("5000 engineers", "5000", 4),
        ("5,000 engineers", "5000", 5),
        ("5 000 engineers", "5000", 5),
        ("1 234 567 people", "1234567", 9),
        ("5 000", "5000", 5),
        ("5 000 000", "5000000", 9),
        ("1 200 000 people", "1200000", 9),
        ("12 500 000.", "12500000", 10),
        ("250 000 000 dollars", "250000000", 11),
        ("700 690 678", "700", 3),
        ("700 690 678 678", "700", 3),
        ("354 389 353", "354", 3),
        ("121 121 100 100", "121", 3),
        ("5 000 000 5", "5", 1),
        ("5 000 000 5,000", "5", 1),
        ("5 000-6 000", "5", 1),
        ("5 000 000-6 000 000", "5", 1),
        ("5 000 000km", "5", 1),
        ("5 000 000's", "5", 1),
        ("5,000 000", "5000", 5),
        ("5 000,000", "5000", 5),
        ("5 000.5", "5000.5", 7),
        ("47 767-300's", "47", 2),
        ("5\u{A0}000 engineers", "5000", 6),
        ("5\u{2009}000", "5000", 7),
        ("5\u{202F}000", "5000", 7),
        ("1,500 special forces", "1500", 5),
        ("1,234,567", "1234567", 9),
        ("1\u{A0}234\u{A0}567", "1234567", 11),
        ("1\u{A0}234 567", "1234", 6),
        ("2,021", "2021", 5),
        ("3.5 per cent", "3.5", 3),
        ("1,500.75", "1500.75", 8),
        ("2024.", "2024", 4),
        ("5,000.", "5000", 5),
        ("2021 100 soldiers", "2021", 4),
        ("300,00", "300", 3),
        ("1,000\u{A0}000", "1000", 5),
        ("5\u{A0}000km", "5", 1),
        ("3,5", "3", 1),
        ("0\u{A0}500", "0", 1),
        ("12.05.2024", "12.05", 5),
        ("7", "7", 1),
    ];

    #[test]
    fn scan_number_table() {
        for (text, canonical, end) in SCAN_CASES {
            let mut out = String::from("prefix:");
            let got = scan_number(text, 0, &mut out);
            assert_eq!(got, Some(*end), "end for {text:?}");
            assert_eq!(out, format!("prefix:{canonical}"), "canonical for {text:?}");
        }
    }

    #[test]
    fn a_space_after_a_number_or_month_never_groups() {
        for (text, at, canonical) in [
            ("in 2021 100 000 soldiers", 8, "100"),
            ("July 6 100 000 tonnes", 5, "6"),
            ("0845 8 505 505", 5, "8"),
            ("ranges 1-3 230 000 000", 11, "230"),
            ("Exports 5 000 000 tonnes", 8, "5000000"),
        ] {
            let mut out = String::new();
            scan_number(text, at, &mut out);
            assert_eq!(out, canonical, "{text}");
        }
    }

    #[test]
    fn scan_number_needs_a_digit() {
        let mut out = String::new();
        assert_eq!(scan_number("abc", 0, &mut out), None);
        assert_eq!(scan_number("", 0, &mut out), None);
        assert_eq!(scan_number("5", 3, &mut out), None);
        assert!(out.is_empty());
    }
}
