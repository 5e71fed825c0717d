//! Number mentions in paragraph text, and the number scanner that the search
//! tokenizer (`crate::analysis`) shares, so that the index and the `number`
//! field agree on what "5,000" is.
//!
//! The scanner reads one number starting at a given ASCII digit and writes its
//! canonical form: digit groups joined (`5,000`, `5\u{A0}000`, `5\u{202F}000`
//! → `5000`), the decimal point kept (`3.5`), everything else as written.
//! A group separator (comma, no-break space U+00A0, thin space U+2009, narrow
//! no-break space U+202F) joins only when the first group has 1–3 digits and
//! every following group has exactly 3 digits, all with the same separator;
//! so `2,021` is 2021.
//!
//! A plain ASCII space joins groups too (`5 000` is 5000), but only where it
//! cannot be a table or a range: not after another number or a month name,
//! not inside a range or code (`1-3 230-240`, `47 767-300's`), and not when
//! more numbers follow (`Food 700 690 678`; so a plain space joins one group
//! only: `12 500` is one number, `1 234 567` stays three). English newswire rarely groups
//! with spaces, so these guards matter more than the joins: unguarded, all
//! 186 space joins in the shared BBC and Reuters corpora were false; with
//! them, 7 remain (`few 137 161`, `36 100 kilowatt`).
//!
//! A period is a decimal point only when a digit follows, so a sentence-ending
//! period is never part of a number. Signs are not read (`-5` is 5).
//!
//! [`numbers`] reports quantities with their values. Years are included: they
//! are numbers, and a `--number 2000..2030` filter that skipped them would be
//! more surprising than one that includes them. Identifiers are not quantities:
//! digits glued to a letter (`A320`), hyphenated after a letter (`Su-35`,
//! `COVID-19`), dotted sequences (`1.2.3`, `12.05.2024`) and ordinals (`2nd`)
//! are skipped. A scale word after the number multiplies it (`1.5 million` →
//! 1 500 000, `$2bn` → 2e9).

/// A quantity mentioned in text, with its byte span in that text.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberMention {
    /// Byte offset of the first digit.
    pub start: usize,
    /// Byte offset just past the number, including a scale word if any.
    pub end: usize,
    /// The value, with any scale word applied.
    pub value: f64,
}

/// Characters that may separate thousands groups (not the ASCII space: see
/// the module doc).
const GROUP_SEPARATORS: [char; 4] = [',', '\u{A0}', '\u{2009}', '\u{202F}'];

/// Scans the number that starts at byte `start` of `text` (which must be an
/// ASCII digit, else `None`), appends its canonical form to `out` and returns
/// the byte offset just past it. Never allocates beyond `out`'s growth.
pub fn scan_number(text: &str, start: usize, out: &mut String) -> Option<usize> {
    let bytes = text.as_bytes();
    if !bytes.get(start)?.is_ascii_digit() {
        return None;
    }
    let first_end = digits_end(bytes, start);
    out.push_str(&text[start..first_end]);
    let mut end = first_end;

    let first_len = first_end - start;
    if (1..=3).contains(&first_len) && bytes[start] != b'0' {
        end = join_groups(text, end, out, space_may_group(text, start));
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
/// separator, returning the new end. A plain space groups digits only when
/// `space_may_group` and the number does not run on into more numbers.
fn join_groups(text: &str, mut end: usize, out: &mut String, space_may_group: bool) -> usize {
    let mut separator: Option<char> = None;
    while let Some(sep) = text[end..].chars().next() {
        let allowed = GROUP_SEPARATORS.contains(&sep) || (sep == ' ' && space_may_group);
        if !allowed || separator.is_some_and(|s| s != sep) {
            break;
        }
        let group_start = end + sep.len_utf8();
        let group_end = digits_end(text.as_bytes(), group_start);
        let next_is_word_char = text[group_end..].chars().next().is_some_and(char::is_alphanumeric);
        if group_end - group_start != 3 || next_is_word_char {
            break;
        }
        if sep == ' ' && runs_on_into_numbers(text, group_end) {
            break;
        }
        out.push_str(&text[group_start..group_end]);
        separator = Some(sep);
        end = group_end;
    }
    end
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

/// Every quantity mentioned in `text`, in order (see the module doc for what
/// counts).
pub fn numbers(text: &str) -> Vec<NumberMention> {
    let mut mentions = Vec::new();
    let mut canonical = String::new();
    let mut cursor = 0;
    while let Some(found) = text[cursor..].find(|c: char| c.is_ascii_digit()) {
        let start = cursor + found;
        canonical.clear();
        let Some(end) = scan_number(text, start, &mut canonical) else {
            break;
        };
        cursor = end;
        let rest = &text[end..];
        if is_glued_to_identifier(text, start) || is_ordinal(rest) || is_dotted_sequence(rest) {
            continue;
        }
        let Ok(value) = canonical.parse::<f64>() else {
            continue;
        };
        let (multiplier, scale_len) = scale_after(&text[end..]);
        mentions.push(NumberMention { start, end: end + scale_len, value: value * multiplier });
    }
    mentions
}

/// True when the digits at `start` continue a word (`A320`, `1.2.3`) or follow
/// a letter and a hyphen (`Su-35`).
fn is_glued_to_identifier(text: &str, start: usize) -> bool {
    let mut before = text[..start].chars().rev();
    match before.next() {
        None => false,
        Some(c) if c.is_alphanumeric() => true,
        Some('.') => before.next().is_some_and(|c| c.is_ascii_digit()),
        Some('-') => before.next().is_some_and(char::is_alphabetic),
        Some(_) => false,
    }
}

/// True when another `.digit` follows the number: a version or a dotted date
/// (`1.2.3`, `12.05.2024`), not a quantity.
fn is_dotted_sequence(rest: &str) -> bool {
    let bytes = rest.as_bytes();
    bytes.first() == Some(&b'.') && bytes.get(1).is_some_and(u8::is_ascii_digit)
}

/// True when `rest` starts with an English ordinal suffix (`2nd`, `21st`).
fn is_ordinal(rest: &str) -> bool {
    let word = leading_word(rest);
    ["st", "nd", "rd", "th"].iter().any(|s| word.eq_ignore_ascii_case(s))
}

/// The multiplier of a scale word at the start of `rest` (directly or after
/// one space) and the bytes it covers, or `(1.0, 0)`.
fn scale_after(rest: &str) -> (f64, usize) {
    let gap = rest.chars().next().filter(|c| *c == ' ' || *c == '\u{A0}').map_or(0, char::len_utf8);
    let word = leading_word(&rest[gap..]);
    let multiplier = match word.to_ascii_lowercase().as_str() {
        "thousand" => 1e3,
        "million" | "mln" => 1e6,
        "billion" | "bn" => 1e9,
        "trillion" | "tn" => 1e12,
        _ => return (1.0, 0),
    };
    (multiplier, gap + word.len())
}

/// The run of letters at the start of `text`.
fn leading_word(text: &str) -> &str {
    let end = text.find(|c: char| !c.is_alphabetic()).unwrap_or(text.len());
    &text[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (text, expected canonical form of the number at offset 0, expected end)
    const SCAN_CASES: &[(&str, &str, usize)] = &[
        ("5000 engineers", "5000", 4),
        ("5,000 engineers", "5000", 5),
        ("5 000 engineers", "5000", 5),
        ("1 234 567 people", "1", 1),
        ("5 000", "5000", 5),
        ("700 690 678", "700", 3),
        ("5 000 000 5", "5", 1),
        ("5 000-6 000", "5", 1),
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
    fn scan_number_needs_a_digit() {
        let mut out = String::new();
        assert_eq!(scan_number("abc", 0, &mut out), None);
        assert_eq!(scan_number("", 0, &mut out), None);
        assert_eq!(scan_number("5", 3, &mut out), None);
        assert!(out.is_empty());
    }

    fn values(text: &str) -> Vec<(String, f64)> {
        numbers(text).into_iter().map(|m| (text[m.start..m.end].to_string(), m.value)).collect()
    }

    #[test]
    fn numbers_table() {
        let cases: &[(&str, &[(&str, f64)])] = &[
            ("approximately 5,000 North Korean Army engineers", &[("5,000", 5000.0)]),
            ("in 2021 100 soldiers died.", &[("2021", 2021.0), ("100", 100.0)]),
            ("about 5 000 troops", &[("5 000", 5000.0)]),
            ("July 6 100 mln", &[("6", 6.0), ("100 mln", 100e6)]),
            ("us 1-3 230-240 lbs", &[("1", 1.0), ("3", 3.0), ("230", 230.0), ("240", 240.0)]),
            ("a 3.5% rise in 2024.", &[("3.5", 3.5), ("2024", 2024.0)]),
            ("about 1.5 million people", &[("1.5 million", 1_500_000.0)]),
            ("a $2bn deal", &[("2bn", 2e9)]),
            ("12 thousand", &[("12 thousand", 12_000.0)]),
            ("the Su-35 and F-16 jets, COVID-19", &[]),
            ("the A320 and version 1.2.3", &[]),
            ("on the 2nd and 21st day", &[]),
            ("10-15 people", &[("10", 10.0), ("15", 15.0)]),
            ("5\u{202F}000 troops", &[("5\u{202F}000", 5000.0)]),
            ("no digits here", &[]),
        ];
        for (text, expected) in cases {
            let expected: Vec<(String, f64)> =
                expected.iter().map(|(s, v)| (s.to_string(), *v)).collect();
            assert_eq!(values(text), expected, "numbers in {text:?}");
        }
    }
}
