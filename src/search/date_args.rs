//! The one parser of dates typed on the command line (`--from`, `--to`,
//! `--on`, `--published-from`, `--published-to`). Strict so that a typo is
//! an error rather than a different date: `2024-257` is not January, and
//! `2023-02-29` does not exist. Clap calls these as value parsers, so a bad
//! value is one line naming the option, and exit status 2.

use time::{Date, Month};

/// The forms every date option takes, for error messages.
pub(crate) const FORMS: &str = "use YYYY, YYYY-MM or YYYY-MM-DD";

/// The forms `--on` takes.
pub(crate) const ON_FORMS: &str = "use YYYY, YYYY-MM or YYYY-MM-DD, or MM-DD for a day in any year";

/// A calendar period as typed: a year, a month of a year, or a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DateArg {
    year: i32,
    month: Option<Month>,
    day: Option<u8>,
}

impl DateArg {
    /// The first day of the period (`2024-08` → 1 August).
    pub fn first(&self) -> Date {
        let month = self.month.unwrap_or(Month::January);
        self.date(month, self.day.unwrap_or(1))
    }

    /// The last day of the period (`2024-08` → 31 August, `2024` → 31
    /// December).
    pub fn last(&self) -> Date {
        let month = self.month.unwrap_or(Month::December);
        self.date(month, self.day.unwrap_or_else(|| month.length(self.year)))
    }

    /// A day of the period's year; parsing made sure it exists.
    fn date(&self, month: Month, day: u8) -> Date {
        Date::from_calendar_date(self.year, month, day).unwrap_or(Date::MIN)
    }
}

/// What `--on` takes: a period, or a month and day in any year (`MM-DD`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OnArg {
    Period(DateArg),
    MonthDay(u8, u8),
}

/// Parses `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (a one-digit month or day is
/// taken: `2024-1-5`).
pub(crate) fn parse_date(text: &str) -> Result<DateArg, String> {
    period(text).map_err(|reason| format!("{reason}: {FORMS}"))
}

fn period(text: &str) -> Result<DateArg, String> {
    let parts: Vec<&str> = text.trim().split('-').collect();
    if parts.len() > 3 {
        return Err("too many parts".to_string());
    }
    let year = parts[0];
    if !is_number(year, 4, 4) {
        return Err("the year must be four digits".to_string());
    }
    let year: i32 = year.parse().map_err(|_| "no such year".to_string())?;
    if year == 0 {
        return Err("there is no year 0000".to_string());
    }
    let month = match parts.get(1) {
        None => None,
        Some(text) => Some(parse_month(text)?),
    };
    let day = match (parts.get(2), month) {
        (Some(text), Some(month)) => Some(parse_day(text, month, Some(year))?),
        _ => None,
    };
    Ok(DateArg { year, month, day })
}

/// Parses `--on`: a period as [`parse_date`] reads it, or `MM-DD` for that
/// month and day in any year.
pub(crate) fn parse_on(text: &str) -> Result<OnArg, String> {
    let trimmed = text.trim();
    match trimmed.split_once('-') {
        Some((month, day)) if month.len() <= 2 && !day.contains('-') => {
            let month = parse_month(month).map_err(|reason| format!("{reason}: {ON_FORMS}"))?;
            let day =
                parse_day(day, month, None).map_err(|reason| format!("{reason}: {ON_FORMS}"))?;
            Ok(OnArg::MonthDay(u8::from(month), day))
        }
        _ => period(trimmed).map(OnArg::Period).map_err(|reason| format!("{reason}: {ON_FORMS}")),
    }
}

fn parse_month(text: &str) -> Result<Month, String> {
    if !is_number(text, 1, 2) {
        return Err("the month must be one or two digits".to_string());
    }
    let number: u8 = text.parse().map_err(|_| "no such month".to_string())?;
    Month::try_from(number).map_err(|_| format!("there is no month {number}"))
}

/// A day of `month`; with no year, of any year (so 29 February is valid).
fn parse_day(text: &str, month: Month, year: Option<i32>) -> Result<u8, String> {
    if !is_number(text, 1, 2) {
        return Err("the day must be one or two digits".to_string());
    }
    let day: u8 = text.parse().map_err(|_| "no such day".to_string())?;
    // Any year: a leap year, which has every month's longest length.
    let length = month.length(year.unwrap_or(2000));
    if day == 0 || day > length {
        let of = match year {
            Some(year) => format!("{month} {year}"),
            None => month.to_string(),
        };
        return Err(format!("there is no day {day} in {of} (it has {length} days)"));
    }
    Ok(day)
}

/// Whether `text` is between `min` and `max` ASCII digits.
fn is_number(text: &str, min: usize, max: usize) -> bool {
    (min..=max).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u8, day: u8) -> Date {
        Date::from_calendar_date(y, Month::try_from(m).unwrap(), day).unwrap()
    }

    #[test]
    fn periods_have_first_and_last_days() {
        let year = parse_date("2024").unwrap();
        assert_eq!((year.first(), year.last()), (d(2024, 1, 1), d(2024, 12, 31)));
        let feb = parse_date("2024-02").unwrap();
        assert_eq!((feb.first(), feb.last()), (d(2024, 2, 1), d(2024, 2, 29)));
        let feb = parse_date("2023-02").unwrap();
        assert_eq!(feb.last(), d(2023, 2, 28));
        let day = parse_date("2024-11-15").unwrap();
        assert_eq!((day.first(), day.last()), (d(2024, 11, 15), d(2024, 11, 15)));
        assert_eq!(parse_date("2024-1-5").unwrap().first(), d(2024, 1, 5));
        assert_eq!(parse_date(" 1987-03-18 ").unwrap().first(), d(1987, 3, 18));
    }

    #[test]
    fn leap_years_follow_the_calendar() {
        assert!(parse_date("2024-02-29").is_ok());
        assert!(parse_date("2000-02-29").is_ok());
        assert!(parse_date("2023-02-29").is_err());
        assert!(parse_date("1900-02-29").is_err());
        assert!(parse_date("2100-02-29").is_err());
    }

    #[test]
    fn malformed_and_impossible_dates_are_refused() {
        for bad in [
            "2024-13",
            "2024-00",
            "2024-02-30",
            "2023-02-29",
            "2024-04-31",
            "2024-01-00",
            "24-01-01",
            "24",
            "12345",
            "2024-1-1x",
            "2024-257",
            "2024-01-257",
            "2024-1-1-1",
            "2024-",
            "-2024",
            "yesterday",
            "0000",
            "",
        ] {
            let err = parse_date(bad).expect_err(bad);
            assert!(err.ends_with(FORMS), "{bad}: {err}");
        }
    }

    #[test]
    fn on_takes_a_period_or_a_day_of_any_year() {
        assert_eq!(parse_on("11-07").unwrap(), OnArg::MonthDay(11, 7));
        assert_eq!(parse_on("2-29").unwrap(), OnArg::MonthDay(2, 29));
        assert_eq!(parse_on("2024-08").unwrap(), OnArg::Period(parse_date("2024-08").unwrap()));
        assert_eq!(parse_on("1987").unwrap(), OnArg::Period(parse_date("1987").unwrap()));
        for bad in ["02-30", "13-01", "11-7x", "1-2-3-4", "24-01-01", "2023-02-29"] {
            let err = parse_on(bad).expect_err(bad);
            assert!(err.ends_with(ON_FORMS), "{bad}: {err}");
        }
    }
}
