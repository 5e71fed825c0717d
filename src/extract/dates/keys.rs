//! How a date mention is keyed in the index, written once for indexing,
//! export, filtering and counting.
//!
//! `date_md` holds `month × 100 + day` of a day mention, with or without a
//! year. `date_span` holds one key per mention: `length × 10^8 + first`,
//! where `first` is the first day as the number YYYYMMDD and `length` the
//! days after it that the mention covers (0 for a day, 30 for March, 364 for
//! a common year). Keys of one length sort by their first day, so "the
//! mentions lying inside [a, b]" is one range per length: first day from a
//! to b − length. A mention without a year is keyed with year 0000 (no
//! filter reaches it; `lede dates` counts it as left out).

use time::{Date, Duration};

use super::{value_month_day, value_range};

/// What the length is multiplied by in a span key.
const LENGTH_UNIT: u64 = 100_000_000;

/// Every length (days after the first) a mention with a year can have:
/// day, weekend, week, months, quarters and seasons, years, decades,
/// centuries. A test checks it against [`value_range`].
pub(crate) const SPAN_LENGTHS: [u32; 16] =
    [0, 1, 6, 27, 28, 29, 30, 89, 90, 91, 364, 365, 3651, 3652, 36523, 36524];

/// The `date_md` value of a month and day.
pub(crate) fn month_day_key(month: u8, day: u8) -> u64 {
    u64::from(month) * 100 + u64::from(day)
}

/// A day as the number YYYYMMDD.
fn day_number(date: Date) -> u64 {
    let year = u64::try_from(date.year()).unwrap_or(0);
    year * 10_000 + u64::from(u8::from(date.month())) * 100 + u64::from(date.day())
}

/// The `date_span` key of a TimeML value (`2024-08-06`, `1987-03`, `199X`,
/// `XXXX-11-07`); `None` for vague references (`PRESENT_REF`).
pub(crate) fn span_key(value: &str) -> Option<u64> {
    if let Some((first, last)) = value_range(value) {
        let length = u64::try_from(last.to_julian_day() - first.to_julian_day()).ok()?;
        return Some(length * LENGTH_UNIT + day_number(first));
    }
    let rest = value.strip_prefix("XXXX")?;
    if let Some((month, day)) = value_month_day(value) {
        return Some(month_day_key(month, day));
    }
    // A year-less month or other period: year 0000, its month if it has one.
    let month: u64 = rest.get(1..3).and_then(|m| m.parse().ok()).unwrap_or(0);
    Some(month * 100)
}

/// What a span key says about a mention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Span {
    /// Days after the first that the mention covers.
    pub length: u32,
    /// First day as YYYYMMDD; a year of 0 means the mention has none.
    pub first: u64,
}

impl Span {
    pub(crate) fn of_key(key: u64) -> Span {
        Span {
            length: u32::try_from(key / LENGTH_UNIT).unwrap_or(u32::MAX),
            first: key % LENGTH_UNIT,
        }
    }

    /// The first and last day, when the mention has a year.
    pub(crate) fn days(&self) -> Option<(Date, Date)> {
        let year = i32::try_from(self.first / 10_000).ok().filter(|&y| y > 0)?;
        let month = time::Month::try_from(u8::try_from(self.first / 100 % 100).ok()?).ok()?;
        let day = u8::try_from(self.first % 100).ok()?;
        let first = Date::from_calendar_date(year, month, day).ok()?;
        Some((first, first.checked_add(Duration::days(i64::from(self.length)))?))
    }

    /// Whether the mention names no year (`November 7`).
    pub(crate) fn yearless(&self) -> bool {
        self.first < 10_000
    }
}

/// The key ranges (inclusive) of the mentions lying wholly inside
/// [first, last]: one per possible length that fits.
pub(crate) fn within_ranges(first: Date, last: Date) -> Vec<(u64, u64)> {
    SPAN_LENGTHS
        .iter()
        .filter_map(|&length| {
            let latest = last.checked_sub(Duration::days(i64::from(length)))?;
            (latest >= first).then(|| {
                let base = u64::from(length) * LENGTH_UNIT;
                (base + day_number(first), base + day_number(latest))
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::Month;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
    }

    #[test]
    fn keys_read_as_length_and_first_day() {
        assert_eq!(span_key("1987-03-18"), Some(19_870_318));
        assert_eq!(span_key("1987-03"), Some(30 * LENGTH_UNIT + 19_870_301));
        assert_eq!(span_key("1987"), Some(364 * LENGTH_UNIT + 19_870_101));
        assert_eq!(span_key("XXXX-11-07"), Some(1107));
        assert_eq!(span_key("PRESENT_REF"), None);
        let span = Span::of_key(span_key("1988-02").unwrap());
        assert_eq!(span, Span { length: 28, first: 19_880_201 });
        assert!(Span::of_key(1107).yearless());
        assert!(!span.yearless());
        assert_eq!(month_day_key(11, 7), 1107);
    }

    /// Every shape of value with a year has a listed length, so no mention
    /// is out of reach of a filter.
    #[test]
    fn every_length_is_listed() {
        for year in 1890..2110 {
            let mut values =
                vec![format!("{year}"), format!("{}X", year / 10), format!("{}", year / 100)];
            for month in 1..=12 {
                values.push(format!("{year}-{month:02}"));
            }
            for quarter in 1..=4 {
                values.push(format!("{year}-Q{quarter}"));
            }
            for season in ["SP", "SU", "FA", "WI"] {
                values.push(format!("{year}-{season}"));
            }
            for week in 1..=52 {
                values.push(format!("{year}-W{week:02}"));
                values.push(format!("{year}-W{week:02}-WE"));
            }
            values.push(format!("{year}-02-28"));
            for value in values {
                let key = span_key(&value).unwrap_or_else(|| panic!("{value}"));
                let length = Span::of_key(key).length;
                assert!(SPAN_LENGTHS.contains(&length), "{value}: {length}");
            }
        }
    }

    #[test]
    fn ranges_hold_exactly_the_mentions_inside() {
        let inside = |value: &str, first: Date, last: Date| {
            let key = span_key(value).unwrap();
            within_ranges(first, last).iter().any(|&(low, high)| (low..=high).contains(&key))
        };
        let day = (d(1987, 3, 18), d(1987, 3, 18));
        assert!(inside("1987-03-18", day.0, day.1));
        assert!(!inside("1987-03", day.0, day.1));
        assert!(!inside("1987", day.0, day.1));
        let march = (d(1987, 3, 1), d(1987, 3, 31));
        assert!(inside("1987-03-18", march.0, march.1));
        assert!(inside("1987-03", march.0, march.1));
        assert!(inside("1987-W12", march.0, march.1));
        assert!(!inside("1987-Q1", march.0, march.1));
        assert!(!inside("1987-04-01", march.0, march.1));
        let year = (d(1987, 1, 1), d(1987, 12, 31));
        for value in ["1987-03-18", "1987-03", "1987-Q4", "1987"] {
            assert!(inside(value, year.0, year.1), "{value}");
        }
        assert!(!inside("198X", year.0, year.1));
        assert!(!inside("1987-WI", year.0, year.1), "winter runs into 1988");
        assert!(!inside("XXXX-03-18", year.0, year.1));
        assert!(inside("198X", d(1980, 1, 1), d(1989, 12, 31)));
        let march = Span::of_key(span_key("1987-03").unwrap());
        assert_eq!(march.days(), Some((d(1987, 3, 1), d(1987, 3, 31))));
        assert_eq!(Span::of_key(1107).days(), None);
    }
}
