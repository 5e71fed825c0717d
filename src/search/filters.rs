//! Filters that select passages by what they mention: entities (canonical
//! names holding the words given, see [`entity_names`]) and dates (ranges that overlap the periods the
//! text mentions, or a month and day in any year); and by their language.

use std::ops::Bound;

use anyhow::{bail, Context, Result};
use tantivy::query::{BooleanQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term};
use time::{Date, Month};

use super::entity_names::{self, EntityNameQuery};
use crate::index::records::{day_time, first_of_month};
use crate::schema::Fields;

/// Entity and date conditions; every one given must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filters {
    pub person: Vec<String>,
    pub org: Vec<String>,
    pub place: Vec<String>,
    pub misc: Vec<String>,
    /// Passages mentioning a period that overlaps [from, to] (inclusive).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// Passages mentioning this month and day, in any year or none.
    pub month_day: Option<(u8, u8)>,
    /// Passages of documents published in [from, to] (inclusive); documents
    /// with no known publication date never match.
    pub published_from: Option<Date>,
    pub published_to: Option<Date>,
    /// Passages in this language (an ISO 639-1 code).
    pub lang: Option<&'static str>,
}

impl Filters {
    pub fn is_empty(&self) -> bool {
        *self == Filters::default()
    }

    /// The tantivy clauses, one per condition.
    pub fn queries(&self, fields: &Fields) -> Vec<Box<dyn Query>> {
        let mut queries: Vec<Box<dyn Query>> = Vec::new();
        for (_, field, names) in self.entity_filters(fields) {
            for name in names {
                queries.push(entity_query(field, name));
            }
        }
        if self.from.is_some() || self.to.is_some() {
            queries.push(date_range_query(fields, self.from, self.to));
        }
        if self.published_from.is_some() || self.published_to.is_some() {
            let bound = |date: Option<Date>| match date {
                Some(date) => {
                    Bound::Included(Term::from_field_date(fields.published, day_time(date)))
                }
                None => Bound::Unbounded,
            };
            let range = RangeQuery::new(bound(self.published_from), bound(self.published_to));
            queries.push(Box::new(range));
        }
        if let Some((month, day)) = self.month_day {
            let term =
                Term::from_field_u64(fields.date_md, u64::from(month) * 100 + u64::from(day));
            queries.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        if let Some(lang) = self.lang {
            let term = Term::from_field_text(fields.lang, lang);
            queries.push(Box::new(TermQuery::new(term, IndexRecordOption::Basic)));
        }
        queries
    }

    /// One line per entity filter value that names no entity of the index,
    /// with the closest names it does hold: why a filtered search found
    /// nothing.
    pub fn unmatched(&self, searcher: &Searcher, fields: &Fields) -> Result<Vec<String>> {
        let mut lines = Vec::new();
        for (kind, field, names) in self.entity_filters(fields) {
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
        Ok(lines)
    }

    /// (type name, field, values) of each entity filter.
    fn entity_filters<'a>(&'a self, fields: &Fields) -> [(&'static str, Field, &'a [String]); 4] {
        [
            ("person", fields.person, &self.person),
            ("org", fields.org, &self.org),
            ("place", fields.place, &self.place),
            ("misc", fields.misc, &self.misc),
        ]
    }
}

/// Passages naming an entity whose name holds the words of `name` (see
/// [`entity_names`]).
pub(crate) fn entity_query(field: Field, name: &str) -> Box<dyn Query> {
    Box::new(EntityNameQuery::new(field, name))
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
        (Occur::Should, Box::new(RangeQuery::new(lower, upper)))
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

/// Which end of a period a bound stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum End {
    First,
    Last,
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` as the first or last day of
/// that period (`--to 2024-08` means up to 31 August).
pub fn parse_bound(text: &str, end: End) -> Result<Date> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    let number = |s: &str| -> Result<i64> {
        anyhow::ensure!(!s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()), "not a number");
        Ok(s.parse()?)
    };
    let parsed = (|| -> Result<Date> {
        let year = number(parts[0])? as i32;
        anyhow::ensure!(parts[0].len() == 4, "the year needs four digits");
        let (first_month, last_month) = match parts.get(1) {
            Some(m) => (number(m)?, number(m)?),
            None => (1, 12),
        };
        let month = Month::try_from(if end == End::First { first_month } else { last_month } as u8)
            .context("no such month")?;
        let day = match (parts.get(2), end) {
            (Some(d), _) => number(d)? as u8,
            (None, End::First) => 1,
            (None, End::Last) => time::util::days_in_month(month, year),
        };
        anyhow::ensure!(parts.len() <= 3, "too many parts");
        Ok(Date::from_calendar_date(year, month, day)?)
    })();
    parsed.with_context(|| format!("invalid date {text:?}: use YYYY, YYYY-MM or YYYY-MM-DD"))
}

/// Parses `MM-DD` (a month and day in any year).
pub fn parse_month_day(text: &str) -> Result<(u8, u8)> {
    let Some((month, day)) = text.trim().split_once('-') else {
        bail!("invalid date {text:?}: use YYYY-MM-DD, or MM-DD for any year");
    };
    let month: u8 = month.parse().with_context(|| format!("invalid month in {text:?}"))?;
    let day: u8 = day.parse().with_context(|| format!("invalid day in {text:?}"))?;
    let valid =
        Month::try_from(month).is_ok_and(|m| day >= 1 && day <= time::util::days_in_month(m, 2024));
    anyhow::ensure!(valid, "invalid date {text:?}: no such month and day");
    Ok((month, day))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
    }

    #[test]
    fn bounds_cover_whole_periods() {
        assert_eq!(parse_bound("2024", End::First).unwrap(), d(2024, 1, 1));
        assert_eq!(parse_bound("2024", End::Last).unwrap(), d(2024, 12, 31));
        assert_eq!(parse_bound("2024-02", End::Last).unwrap(), d(2024, 2, 29));
        assert_eq!(parse_bound("2024-08", End::First).unwrap(), d(2024, 8, 1));
        assert_eq!(parse_bound("2024-11-15", End::Last).unwrap(), d(2024, 11, 15));
    }

    #[test]
    fn bad_bounds_say_what_is_expected() {
        for bad in ["24", "2024-13", "2024-02-30", "yesterday", "2024-1-1-1", ""] {
            let err = parse_bound(bad, End::First).unwrap_err();
            assert!(format!("{err:#}").contains("YYYY-MM-DD"), "{bad}: {err:#}");
        }
    }

    #[test]
    fn month_day() {
        assert_eq!(parse_month_day("11-07").unwrap(), (11, 7));
        assert_eq!(parse_month_day("02-29").unwrap(), (2, 29));
        assert!(parse_month_day("02-30").is_err());
        assert!(parse_month_day("1107").is_err());
    }

    #[test]
    fn decade_floor() {
        assert_eq!(first_of_decade(d(1997, 5, 3)), d(1990, 1, 1));
        assert_eq!(first_of_year(d(1997, 5, 3)), d(1997, 1, 1));
    }
}
