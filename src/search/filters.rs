//! Filters that select passages by what they mention: entities (canonical
//! names holding the words given, see [`entity_names`]) and dates (periods
//! the text mentions that lie inside a range, or overlap it, or a month and
//! day in any year); and by their language.

use std::ops::Bound;

use anyhow::Result;
use tantivy::query::{BooleanQuery, InvertedIndexRangeQuery, Occur, Query, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};
use time::{Date, Month};

use super::entity_names::{self, EntityNameQuery};
use crate::extract::dates::keys;
use crate::extract::entities::ByKind;
use crate::index::records::{day_time, first_of_month};
use crate::schema::Fields;

/// Entity and date conditions; every one given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Filters {
    /// Names each passage must mention, by kind (`--person`, `--org`…).
    pub entities: ByKind<Vec<String>>,
    /// Passages mentioning a period inside (or, as `date_match` says,
    /// overlapping) [from, to] (inclusive).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// How a mentioned period meets [from, to].
    pub date_match: DateMatch,
    /// Passages mentioning this month and day, in any year or none.
    pub month_day: Option<(u8, u8)>,
    /// Passages of documents published in [from, to] (inclusive); documents
    /// with no known publication date never match.
    pub published_from: Option<Date>,
    pub published_to: Option<Date>,
    /// Passages in this language (an ISO 639-1 code).
    /// Not in the serde form, which has no `'static` code to give: a
    /// served search sends it apart ([`crate::watch::served`]).
    #[serde(skip)]
    pub lang: Option<&'static str>,
}

impl Filters {
    pub(crate) fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// The tantivy clauses, one per condition.
    pub(crate) fn queries(&self, fields: &Fields) -> Vec<Box<dyn Query>> {
        let mut queries: Vec<Box<dyn Query>> = Vec::new();
        for (kind, names) in self.entities.iter() {
            for name in names {
                queries.push(entity_query(fields.entities[kind], name));
            }
        }
        if self.from.is_some() || self.to.is_some() {
            queries.push(match self.date_match {
                DateMatch::Within => within_query(fields, self.from, self.to),
                DateMatch::Overlap => date_range_query(fields, self.from, self.to),
            });
        }
        if self.published_from.is_some() || self.published_to.is_some() {
            let bound = |date: Option<Date>| match date {
                Some(date) => {
                    Bound::Included(Term::from_field_date(fields.published, day_time(date)))
                }
                None => Bound::Unbounded,
            };
            let range =
                InvertedIndexRangeQuery::new(bound(self.published_from), bound(self.published_to));
            queries.push(Box::new(range));
        }
        if let Some((month, day)) = self.month_day {
            let term = Term::from_field_u64(fields.date_md, keys::month_day_key(month, day));
            queries.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        if let Some(lang) = self.lang {
            let term = Term::from_field_text(fields.lang, lang);
            queries.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        queries
    }

    /// Why a filtered search found nothing: a line per entity filter value
    /// that names no entity of the index (with the closest names it does
    /// hold), and one for a publication date filter on an index that holds
    /// no publication dates.
    pub(crate) fn unmatched(&self, searcher: &Searcher, fields: &Fields) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        for (kind, names) in self.entities.iter() {
            let field = fields.entities[kind];
            let kind = kind.name();
            for name in names {
                if !entity_names::matching_names(searcher, field, name)?.is_empty() {
                    continue;
                }
                let closest = entity_names::closest_names(searcher, field, name)?;
                let mut line = format!("no {kind} in the index is named {name:?}");
                if !closest.is_empty() {
                    line.push_str(&format!("; closest: {}", closest.join(", ")));
                }
                lines.push(line);
            }
        }
        let published_filter = self.published_from.is_some() || self.published_to.is_some();
        if published_filter && !holds_any_term(searcher, fields.published)? {
            lines.push(
                "no document in the index has a publication date (plain text files carry none); \
                 --from/--to/--on filter the dates passages mention"
                    .to_string(),
            );
        }
        Ok(lines)
    }
}

/// Why `--with NAME` found nothing, when NAME names no entity of any kind:
/// the line to print, with the closest names of every kind.
pub(crate) fn unmatched_name(
    searcher: &Searcher,
    fields: &Fields,
    name: &str,
) -> Result<Option<String>> {
    let kinds: Vec<Field> = fields.entities.iter().map(|(_, &field)| field).collect();
    for &field in &kinds {
        if !entity_names::matching_names(searcher, field, name)?.is_empty() {
            return Ok(None);
        }
    }
    let closest = entity_names::closest_names_of_all(searcher, &kinds, name)?;
    let mut line = format!("no entity in the index is named {name:?}");
    if !closest.is_empty() {
        line.push_str(&format!("; closest: {}", closest.join(", ")));
    }
    Ok(Some(line))
}

/// Whether any segment indexes a term of `field`.
fn holds_any_term(searcher: &Searcher, field: Field) -> Result<bool> {
    for segment in searcher.segment_readers() {
        if segment.inverted_index(field)?.terms().num_terms() > 0 {
            return Ok(true);
        }
    }
    Ok(false)
}

/// Passages naming an entity whose name holds the words of `name` (see
/// [`entity_names`]).
pub(crate) fn entity_query(field: Field, name: &str) -> Box<dyn Query> {
    Box::new(EntityNameQuery::new(field, name))
}

/// How a date filter meets the periods passages mention.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub(crate) enum DateMatch {
    /// The whole period lies inside the range: a day filter takes day
    /// mentions, a month filter the month and its days and weeks, a year
    /// filter anything of that year ("1987" is not on 1987-03-18).
    #[default]
    Within,
    /// The period shares a day with the range ("1987" is on 1987-03-18).
    Overlap,
}

/// The first and last day a date filter allows; open ends reach the first
/// and last day a mention key can hold.
pub(crate) fn window(from: Option<Date>, to: Option<Date>) -> (Date, Date) {
    let earliest = Date::from_calendar_date(1, Month::January, 1).unwrap_or(Date::MIN);
    let latest = Date::from_calendar_date(9999, Month::December, 31).unwrap_or(Date::MAX);
    (from.unwrap_or(earliest).max(earliest), to.unwrap_or(latest).min(latest))
}

/// Mentions lying wholly inside [from, to]: one `date_span` range per
/// mention length (see [`keys`]).
fn within_query(fields: &Fields, from: Option<Date>, to: Option<Date>) -> Box<dyn Query> {
    let (first, last) = window(from, to);
    let ranges = keys::within_ranges(first, last)
        .into_iter()
        .map(|(low, high)| {
            let bound = |key| Bound::Included(Term::from_field_u64(fields.date_span, key));
            let range: Box<dyn Query> =
                Box::new(InvertedIndexRangeQuery::new(bound(low), bound(high)));
            (Occur::Should, range)
        })
        .collect();
    Box::new(BooleanQuery::new(ranges))
}

/// Periods overlapping [from, to]: a day inside it, or a month, year or
/// decade that starts no earlier than the period containing `from` and no
/// later than `to`. Exact for calendar-aligned periods.
fn date_range_query(fields: &Fields, from: Option<Date>, to: Option<Date>) -> Box<dyn Query> {
    let range = |field: Field, floor: fn(Date) -> Date| -> (Occur, Box<dyn Query>) {
        let lower = match from {
            Some(from) => Bound::Included(Term::from_field_date(field, day_time(floor(from)))),
            None => Bound::Unbounded,
        };
        let upper = match to {
            Some(to) => Bound::Included(Term::from_field_date(field, day_time(to))),
            None => Bound::Unbounded,
        };
        (Occur::Should, Box::new(InvertedIndexRangeQuery::new(lower, upper)))
    };
    Box::new(BooleanQuery::new(vec![
        range(fields.date_day, |d| d),
        range(fields.date_month, first_of_month),
        range(fields.date_year, first_of_year),
        range(fields.date_decade, first_of_decade),
    ]))
}

pub(crate) fn first_of_year(date: Date) -> Date {
    Date::from_calendar_date(date.year(), Month::January, 1).unwrap_or(date)
}

pub(crate) fn first_of_decade(date: Date) -> Date {
    Date::from_calendar_date(date.year() - date.year().rem_euclid(10), Month::January, 1)
        .unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
    }

    #[test]
    fn decade_floor() {
        assert_eq!(first_of_decade(d(1997, 5, 3)), d(1990, 1, 1));
        assert_eq!(first_of_year(d(1997, 5, 3)), d(1997, 1, 1));
    }
}
