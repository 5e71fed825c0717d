//! Date mentions in news text: surface text, byte span, TimeML-style value
//! and precision. Covered: full and partial calendar dates (`April 26, 2025`,
//! `26 April 2025`, `Nov. 1`, `Sept. 30`, `August 2024`, ISO `2024-08-06`,
//! unambiguous `08/26/2024`), years used as years (not `2,021` or
//! `2021 troops`), decades and centuries, seasons, quarters, weeks, holidays,
//! weekdays, relative expressions (`yesterday`, `last week`, `a year ago`,
//! `June last year`), years spelled out as spoken (`nineteen ninety-six`), dates
//! that refer back to the text (`later that year`),
//! and TimeML's vague `PRESENT_REF`/`PAST_REF`/`FUTURE_REF` (`now`, `recently`).
//!
//! Year-less and relative dates are resolved against the document's own date
//! (its anchor) when one is known; otherwise year-less dates stay partial
//! (`XXXX-11-07`) and relative ones are not reported. The current year is
//! never assumed. Pure functions, no I/O; the work is split into tokenising
//! (`tokens`), the word list (`lexicon`), recognising (`grammar`), the tense of
//! the clause around a bare weekday or month (`tense`), resolving
//! (`resolve`) and finding the document date (`anchor`).
//!
//! Russian and Ukrainian month names (`26 апреля 2025`, `26 квітня 2025`) are
//! in the lexicon; Chinese, Japanese and Korean dates (`2025年4月26日`,
//! `2025년 4월 26일`) are read by `cjk`.
//!
//! Quality is measured on TempEval-3 TimeML data by `crate::eval::dates`.

mod anchor;
mod cjk;
mod grammar;
pub(crate) mod json;
pub(crate) mod keys;
mod lexicon;
mod resolve;
mod tense;
mod tokens;

use time::{Date, Month, Weekday};

use grammar::{find, Spec};
use resolve::Resolver;
use tokens::tokenize;

/// How much of the calendar a mention covers.
#[derive(
    Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub(crate) enum Precision {
    /// One day (`2024-08-06`, `XXXX-11-07`).
    Day,
    /// An ISO week or weekend (`2024-W32`, `2024-W32-WE`).
    Week,
    /// A month (`2024-08`).
    Month,
    /// A quarter (`1989-Q3`).
    Quarter,
    /// A season (`1998-SU`).
    Season,
    /// A year (`2021`).
    Year,
    /// A decade (`199X`).
    Decade,
    /// A century (`19` for the 20th century).
    Century,
    /// A vague reference to the present, past or future (`PRESENT_REF`).
    Reference,
}

impl Precision {
    /// Every precision, finest first.
    pub(crate) const ALL: [Precision; 9] = [
        Precision::Day,
        Precision::Week,
        Precision::Month,
        Precision::Quarter,
        Precision::Season,
        Precision::Year,
        Precision::Decade,
        Precision::Century,
        Precision::Reference,
    ];

    /// The precision as output and the index's stored mentions spell it
    /// (`day`, `decade`…): its serde name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Precision::Day => "day",
            Precision::Week => "week",
            Precision::Month => "month",
            Precision::Quarter => "quarter",
            Precision::Season => "season",
            Precision::Year => "year",
            Precision::Decade => "decade",
            Precision::Century => "century",
            Precision::Reference => "reference",
        }
    }

    /// The precision spelt `name` (see [`Precision::name`]).
    pub(crate) fn parse(name: &str) -> Option<Precision> {
        Precision::ALL.into_iter().find(|precision| precision.name() == name)
    }
}

/// One date mentioned in a paragraph: what extraction finds, the index
/// stores and a search hit carries. Its JSON form is the printers' (see
/// [`json`]); the derived serde form serves `lede extract` and the
/// index's stored mentions.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct DateMention {
    /// Surface text, exactly as in the paragraph.
    pub text: String,
    /// Byte span in the paragraph text passed in.
    pub start: usize,
    pub end: usize,
    /// TimeML-style value: `2024-08-06`, `2024-08`, `2024`, `199X`, `XXXX-11-07`, `1989-Q3`.
    pub value: String,
    pub precision: Precision,
}

impl DateMention {
    /// First and last calendar day covered, when the year is known (`None` for
    /// partial dates and vague references), so the mention can be indexed as a range.
    pub(crate) fn day_range(&self) -> Option<(Date, Date)> {
        value_range(&self.value)
    }

    /// Month and day of a day-precision mention, so year-less dates stay
    /// searchable by month and day.
    pub(crate) fn month_day(&self) -> Option<(u8, u8)> {
        if self.precision != Precision::Day {
            return None;
        }
        value_month_day(&self.value)
    }
}

/// Month and day of a day-precision value (`2024-08-06`, `XXXX-11-07`), for
/// a mention read back from the index as text.
pub(crate) fn value_month_day(value: &str) -> Option<(u8, u8)> {
    let month = value.get(5..7)?.parse().ok()?;
    let day = value.get(8..10)?.parse().ok()?;
    Some((month, day))
}

/// Extracts the dates of every paragraph of one document, resolving year-less and relative dates
/// against the document's own date when one is known. One Vec per paragraph, in order. Pure.
///
/// The document date comes from a date line or dateline near the top. Without one, a year-less
/// calendar date (`April 28`) takes its year from the latest full date written before it, but
/// only when that puts the two within [`CONTEXT_DAYS`] of each other; otherwise it stays partial.
#[cfg(test)]
pub(crate) fn extract_document(paragraphs: &[&str]) -> Vec<Vec<DateMention>> {
    extract_document_published(paragraphs, None)
}

/// The same for a document whose publication date its reader found (page
/// metadata, a record's date key): that date anchors relative and year-less
/// dates, ahead of any date line in the text.
pub(crate) fn extract_document_published(
    paragraphs: &[&str],
    published: Option<Date>,
) -> Vec<Vec<DateMention>> {
    let anchor = published.or_else(|| anchor::document_anchor(paragraphs));
    let mut resolver = Resolver::new(anchor);
    let mut context: Option<Date> = None;
    paragraphs
        .iter()
        .map(|text| {
            let tokens = tokenize(text);
            find(&tokens)
                .into_iter()
                .filter_map(|found| {
                    let (start, end) = (tokens[found.first].start, tokens[found.end - 1].end);
                    let (value, precision) = match (anchor, found.spec) {
                        (
                            None,
                            Spec::Calendar { year: None, .. }
                            | Spec::Ahead { .. }
                            | Spec::Behind { .. },
                        ) => from_context(found.spec, context)
                            .or_else(|| resolver.resolve(found.spec))?,
                        _ => resolver.resolve(found.spec)?,
                    };
                    if let Spec::Calendar { year: Some(_), month: Some(_), day: Some(_) } =
                        found.spec
                    {
                        context = value_range(&value).map(|(first, _)| first);
                    }
                    Some(DateMention {
                        text: text[start..end].to_string(),
                        start,
                        end,
                        value,
                        precision,
                    })
                })
                .collect()
        })
        .collect()
}

/// How close a year-less date must fall to the last full date for that date's year to be trusted.
pub(crate) const CONTEXT_DAYS: i32 = 92;

/// Resolves a year-less calendar date against the latest full date in the text, if it falls close.
fn from_context(spec: Spec, context: Option<Date>) -> Option<(String, Precision)> {
    let context = context?;
    let (value, precision) = Resolver::new(Some(context)).resolve(spec)?;
    let (first, _) = value_range(&value)?;
    ((first.to_julian_day() - context.to_julian_day()).abs() <= CONTEXT_DAYS)
        .then_some((value, precision))
}

/// The same for one text with an explicit anchor (used by the evaluation and by tests).
pub(crate) fn extract(text: &str, anchor: Option<Date>) -> Vec<DateMention> {
    let tokens = tokenize(text);
    let mut resolver = Resolver::new(anchor);
    find(&tokens)
        .into_iter()
        .filter_map(|found| {
            let (value, precision) = resolver.resolve(found.spec)?;
            let (start, end) = (tokens[found.first].start, tokens[found.end - 1].end);
            Some(DateMention { text: text[start..end].to_string(), start, end, value, precision })
        })
        .collect()
}

/// First and last day of a TimeML value with a known year.
fn value_range(value: &str) -> Option<(Date, Date)> {
    let num = |range: std::ops::Range<usize>| -> Option<i32> {
        let part = value.get(range)?;
        part.bytes().all(|b| b.is_ascii_digit()).then(|| part.parse().ok()).flatten()
    };
    let ymd = |y: i32, m: i32, d: i32| {
        Date::from_calendar_date(
            y,
            Month::try_from(u8::try_from(m).ok()?).ok()?,
            u8::try_from(d).ok()?,
        )
        .ok()
    };
    let month_end = |y: i32, m: i32| {
        ymd(y, m, i32::from(Month::try_from(u8::try_from(m).ok()?).ok()?.length(y)))
    };
    let rest = value.get(4..).unwrap_or("");
    let Some(year) = num(0..4) else {
        // Decades (`199X`) and centuries (`19`).
        if value.len() == 4 && value.ends_with('X') {
            let decade = num(0..3)? * 10;
            return Some((ymd(decade, 1, 1)?, ymd(decade + 9, 12, 31)?));
        }
        if value.len() == 2 {
            let century = num(0..2)? * 100;
            return Some((ymd(century, 1, 1)?, ymd(century + 99, 12, 31)?));
        }
        return None;
    };
    if rest.is_empty() {
        return Some((ymd(year, 1, 1)?, ymd(year, 12, 31)?));
    }
    if let Some(quarter) = rest.strip_prefix("-Q") {
        let q: i32 = quarter.parse().ok()?;
        return Some((ymd(year, 3 * q - 2, 1)?, month_end(year, 3 * q)?));
    }
    let season_months = match rest {
        "-SP" => Some((3, 5)),
        "-SU" => Some((6, 8)),
        "-FA" => Some((9, 11)),
        "-WI" => Some((12, 14)),
        _ => None,
    };
    if let Some((first, last)) = season_months {
        let (last_year, last_month) = if last > 12 { (year + 1, last - 12) } else { (year, last) };
        return Some((ymd(year, first, 1)?, month_end(last_year, last_month)?));
    }
    if let Some(week) = rest.strip_prefix("-W") {
        let number = u8::try_from(num(6..8)?).ok()?;
        let monday = Date::from_iso_week_date(year, number, Weekday::Monday).ok()?;
        let sunday = Date::from_iso_week_date(year, number, Weekday::Sunday).ok()?;
        return if week.ends_with("-WE") {
            Some((Date::from_iso_week_date(year, number, Weekday::Saturday).ok()?, sunday))
        } else {
            Some((monday, sunday))
        };
    }
    let month = num(5..7)?;
    match num(8..10) {
        Some(day) => ymd(year, month, day).map(|d| (d, d)),
        None => Some((ymd(year, month, 1)?, month_end(year, month)?)),
    }
}

#[cfg(test)]
mod tests;
