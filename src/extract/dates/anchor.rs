//! Finds a document's own date (its anchor): a full date on a short header or
//! date line near the top, or opening a dateline (`March 3, 1987 —`,
//! `WASHINGTON, March 3, 1987 (Reuters) -`). Nothing else counts: a date in
//! the body is what the article talks about, not when it was written.

use time::{Date, Month};

use super::grammar::{find, Spec};
use super::tokens::tokenize;

/// How many leading paragraphs may hold the date line.
const HEADER_PARAGRAPHS: usize = 5;
/// A paragraph this short that holds a full date is a date or byline line.
const SHORT_LINE: usize = 100;
/// A dateline date starts within this many bytes of its paragraph.
const DATELINE_REACH: usize = 80;

/// The document date, if one of the first paragraphs states it.
pub(super) fn document_anchor(paragraphs: &[&str]) -> Option<Date> {
    paragraphs
        .iter()
        .filter(|p| !p.trim().is_empty())
        .take(HEADER_PARAGRAPHS)
        .find_map(|p| line_date(p))
}

/// The full date a header line or dateline gives, if it is one.
fn line_date(paragraph: &str) -> Option<Date> {
    let tokens = tokenize(paragraph);
    let trimmed = paragraph.trim();
    // A sentence that merely starts with a date ("On April 26, 2025, it ended.") is not a date line.
    let sentence = trimmed.ends_with('.') && !trimmed.ends_with("m.");
    let short = trimmed.len() <= SHORT_LINE && !sentence;
    find(&tokens).into_iter().find_map(|found| {
        let Spec::Calendar { year: Some(y), month: Some(m), day: Some(d) } = found.spec else {
            return None;
        };
        let start = tokens[found.first].start;
        let end = tokens[found.end - 1].end;
        let rest = paragraph[end..].trim_start();
        let dateline = start <= DATELINE_REACH && rest.starts_with(['-', '—', '–', '(', '/', '|']);
        (short || dateline)
            .then(|| Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok())
            .flatten()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_date_lines_and_datelines_only() {
        let day = |y, m, d| Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).ok();
        assert_eq!(document_anchor(&["Title", "March 3, 1987", "Body."]), day(1987, 3, 3));
        assert_eq!(document_anchor(&["Published: 2024-11-05 10:00", "Body."]), day(2024, 11, 5));
        let dateline = "WASHINGTON, March 3, 1987 (Reuters) - The long first paragraph of a wire story goes on and on \
                        about what happened, well past the length of any header line.";
        assert_eq!(document_anchor(&[dateline]), day(1987, 3, 3));
        let body = "The long first paragraph mentions that fighting started on August 6, 2024, and it goes on \
                    about what happened since, well past the length of any header line.";
        assert_eq!(document_anchor(&["Title", body]), None);
        // Year-less Reuters datelines give no anchor.
        assert_eq!(
            document_anchor(&[
                "SALVADOR, Feb 26 - Brazilian cocoa farmers said the rains continued."
            ]),
            None
        );
    }
}
