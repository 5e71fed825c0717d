//! Splits a passage into runs of plain and marked text: query highlights,
//! date mentions and entity names, each a byte range of the text. Ranges
//! that overlap one already taken are dropped (highlights win, then dates,
//! then names), and ranges that do not fall on character boundaries are
//! ignored, so a stale offset can never panic or cut a character.

use std::ops::Range;

use crate::extract::dates::DateMention;
use crate::extract::entities::EntityKind;
use crate::search::Entities;

/// What a marked run is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Mark {
    /// Matches the query.
    Hit,
    Date,
    /// An entity name of this kind.
    Entity(EntityKind),
}

impl Mark {
    /// The CSS class of the run.
    pub(super) fn class(self) -> &'static str {
        match self {
            Mark::Hit => "hl",
            Mark::Date => "date",
            Mark::Entity(kind) => kind.name(),
        }
    }
}

/// A run of text, marked or not.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Run<'a> {
    pub text: &'a str,
    pub mark: Option<Mark>,
}

/// The ranges of date mentions stored with a paragraph.
pub(super) fn date_ranges(dates: &[DateMention]) -> Vec<Range<usize>> {
    dates.iter().map(|d| d.start..d.end).collect()
}

/// Every occurrence of each entity name in `text`.
pub(super) fn entity_ranges(text: &str, entities: &Entities) -> Vec<(Range<usize>, Mark)> {
    let mut found = Vec::new();
    for (kind, names) in entities.iter() {
        let mark = Mark::Entity(kind);
        for name in names.iter().filter(|n| !n.is_empty()) {
            found.extend(
                text.match_indices(name.as_str()).map(|(at, _)| (at..at + name.len(), mark)),
            );
        }
    }
    found
}

/// `text` cut into runs by the marks, in order of priority.
pub(super) fn runs<'a>(text: &'a str, marks: Vec<(Range<usize>, Mark)>) -> Vec<Run<'a>> {
    let mut taken: Vec<(Range<usize>, Mark)> = Vec::new();
    for (range, mark) in marks {
        let valid = range.start < range.end
            && text.get(range.clone()).is_some()
            && !taken.iter().any(|(t, _)| t.start < range.end && range.start < t.end);
        if valid {
            taken.push((range, mark));
        }
    }
    taken.sort_by_key(|(r, _)| r.start);
    let mut runs = Vec::with_capacity(taken.len() * 2 + 1);
    let mut at = 0;
    for (range, mark) in taken {
        if range.start > at {
            runs.push(Run { text: &text[at..range.start], mark: None });
        }
        runs.push(Run { text: &text[range.clone()], mark: Some(mark) });
        at = range.end;
    }
    if at < text.len() {
        runs.push(Run { text: &text[at..], mark: None });
    }
    runs
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlaps_and_bad_offsets_are_dropped() {
        let text = "Café in Paris";
        let marks = vec![
            (9..14, Mark::Hit),
            (10..12, Mark::Entity(EntityKind::Place)),
            (0..4, Mark::Date), // inside "é": not a boundary
            (0..5, Mark::Entity(EntityKind::Person)),
            (20..30, Mark::Entity(EntityKind::Org)),
        ];
        let runs = runs(text, marks);
        let shown: Vec<(&str, Option<Mark>)> = runs.iter().map(|r| (r.text, r.mark)).collect();
        assert_eq!(
            shown,
            [
                ("Café", Some(Mark::Entity(EntityKind::Person))),
                (" in ", None),
                ("Paris", Some(Mark::Hit))
            ]
        );
    }
}
