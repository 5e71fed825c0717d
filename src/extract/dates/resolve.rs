//! Turns what an expression says ([`Spec`]) into a TimeML-style value and a
//! precision, using the anchor (the document's date) for year-less and
//! relative expressions. Without an anchor, year-less dates stay partial
//! (`XXXX-11-07`) and relative ones are dropped: no year is ever invented.

use time::{Date, Month};

use super::grammar::{Dir, Spec};
use super::lexicon::{Holiday, Season, Unit};
use super::Precision;

/// Resolves the expressions of one document in reading order, remembering the
/// quarter under discussion (so `a year ago` after `third-quarter` is that quarter a year back).
#[derive(Clone, Copy, Debug)]
pub(super) struct Resolver {
    pub anchor: Option<Date>,
    quarter: Option<(i32, u8)>,
    /// First day and precision of the latest mention with a known calendar position.
    last: Option<(Date, Precision)>,
}

impl Resolver {
    pub(super) fn new(anchor: Option<Date>) -> Resolver {
        Resolver { anchor, quarter: None, last: None }
    }

    /// The value and precision of `spec`, or `None` when it cannot be stated
    /// (a relative expression without anchor, an impossible date).
    pub(super) fn resolve(&mut self, spec: Spec) -> Option<(String, Precision)> {
        if let (Spec::Ago { unit: Unit::Year, by }, Some((year, q))) = (spec, self.quarter) {
            if self.anchor.is_some() {
                return Some((format!("{:04}-Q{q}", year + by), Precision::Quarter));
            }
        }
        let resolved = match spec {
            Spec::QuarterOfYear(year) => match (self.quarter, self.anchor) {
                (Some((_, q)), _) => (format!("{year:04}-Q{q}"), Precision::Quarter),
                (None, Some(a)) => {
                    let (latest, _) = shift(Unit::Quarter, -1, a)?;
                    (format!("{year:04}{}", latest.get(4..)?), Precision::Quarter)
                }
                (None, None) => (format!("{year:04}"), Precision::Year),
            },
            Spec::RelativeQuarter { n, by } => {
                let a = self.anchor?;
                let q = match (n, self.quarter) {
                    (Some(n), _) => n,
                    (None, Some((_, q))) => q,
                    (None, None) => (a.month() as u8 - 1) / 3 + 1,
                };
                (format!("{:04}-Q{q}", a.year() + by), Precision::Quarter)
            }
            Spec::Anaphor { unit, by } => {
                let (day, precision) = self.last?;
                let fine_enough = match unit {
                    Unit::Day => Precision::Day,
                    Unit::Week => Precision::Week,
                    Unit::Month => Precision::Month,
                    _ => Precision::Year,
                };
                if precision > fine_enough {
                    return None;
                }
                shift(unit, by, day)?
            }
            _ => resolve(spec, self.anchor)?,
        };
        if resolved.1 != Precision::Reference {
            if let Some((first, _)) = super::value_range(&resolved.0) {
                self.last = Some((first, resolved.1));
            }
        }
        let context =
            matches!(spec, Spec::Quarter { .. } | Spec::LatestQuarter | Spec::Shift { .. });
        if resolved.1 == Precision::Quarter && context {
            let year = resolved.0.get(0..4).and_then(|y| y.parse().ok());
            let q = resolved.0.get(6..7).and_then(|q| q.parse().ok());
            if let (Some(year), Some(q)) = (year, q) {
                self.quarter = Some((year, q));
            }
        }
        Some(resolved)
    }
}

/// The value and precision of `spec` on its own.
fn resolve(spec: Spec, anchor: Option<Date>) -> Option<(String, Precision)> {
    match spec {
        Spec::Calendar { year, month, day } => calendar(year, month, day, anchor, past_leaning),
        Spec::Ahead { month, day } => calendar(None, Some(month), day, anchor, future_leaning),
        Spec::Behind { month, day } => calendar(None, Some(month), day, anchor, past_tense),
        Spec::InYear { month, day, by } => match anchor {
            Some(a) => calendar(Some(a.year() + by), Some(month), day, None, past_leaning),
            None => calendar(None, Some(month), day, None, past_leaning),
        },
        Spec::Holiday { holiday, dir } => holiday_value(holiday, dir, anchor),
        Spec::WeekOf { year, month, day } => {
            let (value, _) = calendar(year, Some(month), Some(day), anchor, past_leaning)?;
            let (first, _) = super::value_range(&value)?;
            Some((week_value(first), Precision::Week))
        }
        Spec::Decade(first) => Some((format!("{}X", first.div_euclid(10)), Precision::Decade)),
        Spec::Century(n) => {
            (1..=21).contains(&n).then(|| (format!("{:02}", n - 1), Precision::Century))
        }
        Spec::Reference(value) => anchor.map(|_| (value.to_string(), Precision::Reference)),
        Spec::Shift { unit, by } | Spec::Ago { unit, by } => shift(unit, by, anchor?),
        Spec::Day { by } => shift(Unit::Day, by, anchor?),
        Spec::Weekday { day, dir } => weekday(day, dir, anchor?),
        Spec::MonthOf { month, dir } => {
            let a = anchor?;
            let now = a.year() * 12 + i32::from(a.month() as u8) - 1;
            let same_year = a.year() * 12 + i32::from(month) - 1;
            let at = match dir {
                Dir::Last if same_year >= now => same_year - 12,
                Dir::Next if same_year <= now => same_year + 12,
                _ => same_year,
            };
            Some((month_value(at), Precision::Month))
        }
        Spec::Season { season, year, dir } => {
            let year = match (year, anchor) {
                (Some(y), _) => y,
                (None, Some(a)) => season_year(season, dir, a),
                (None, None) => return None,
            };
            Some((format!("{year:04}-{}", season.code()), Precision::Season))
        }
        Spec::Quarter { n, year } => {
            let year = match (year, anchor) {
                (Some(y), _) => y,
                (None, Some(a)) if n <= quarter_of(a) => a.year(),
                (None, Some(a)) => a.year() - 1,
                (None, None) => return None,
            };
            Some((format!("{year:04}-Q{n}"), Precision::Quarter))
        }
        Spec::LatestQuarter => shift(Unit::Quarter, -1, anchor?),
        // Resolved by `Resolver`, which knows the quarter under discussion.
        Spec::QuarterOfYear(_) | Spec::RelativeQuarter { .. } | Spec::Anaphor { .. } => None,
    }
}

/// The date of `holiday` in `year`.
fn holiday_date(holiday: Holiday, year: i32) -> Option<Date> {
    let fixed = |m: Month, d: u8| Date::from_calendar_date(year, m, d).ok();
    // The `n`th `weekday` (0 = Monday) on or after day `from` of `month`.
    let nth = |month: Month, from: u8, weekday: u8, n: i32| {
        let first = Date::from_calendar_date(year, month, from).ok()?;
        let ahead = (i32::from(weekday) - i32::from(first.weekday().number_days_from_monday()))
            .rem_euclid(7);
        add_days(first, ahead + 7 * (n - 1))
    };
    match holiday {
        Holiday::Thanksgiving => nth(Month::November, 1, 3, 4),
        Holiday::Christmas => fixed(Month::December, 25),
        Holiday::ChristmasEve => fixed(Month::December, 24),
        Holiday::Halloween => fixed(Month::October, 31),
        Holiday::Independence => fixed(Month::July, 4),
        // The Tuesday after the first Monday of November.
        Holiday::Election => nth(Month::November, 2, 1, 1),
        Holiday::Labor => nth(Month::September, 1, 0, 1),
        // The last Monday of May.
        Holiday::Memorial => nth(Month::May, 25, 0, 1),
    }
}

/// A holiday resolved like a weekday: the latest one by default, or as `last`/`next` say.
/// Without an anchor, fixed-date holidays stay partial and moving ones are dropped.
fn holiday_value(holiday: Holiday, dir: Dir, anchor: Option<Date>) -> Option<(String, Precision)> {
    let Some(a) = anchor else {
        let date = holiday_date(holiday, 2001)?;
        let moving = matches!(
            holiday,
            Holiday::Thanksgiving | Holiday::Election | Holiday::Labor | Holiday::Memorial
        );
        return (!moving).then(|| {
            (format!("XXXX-{:02}-{:02}", date.month() as u8, date.day()), Precision::Day)
        });
    };
    let offset = |d: &Date| d.to_julian_day() - a.to_julian_day();
    let candidates = (a.year() - 1..=a.year() + 1).filter_map(|y| holiday_date(holiday, y));
    let date = match dir {
        Dir::Last => candidates.filter(|d| offset(d) < 0).max_by_key(offset),
        Dir::Next => candidates.filter(|d| offset(d) > 0).min_by_key(offset),
        Dir::This => candidates.min_by_key(|d| offset(d).abs()),
        Dir::Latest => candidates.min_by_key(|d| past_leaning(offset(d))),
        Dir::Upcoming => candidates.min_by_key(|d| future_leaning(offset(d))),
    }?;
    Some((day_value(date), Precision::Day))
}

fn quarter_of(date: Date) -> u8 {
    (date.month() as u8 - 1) / 3 + 1
}

/// `YYYY-MM` from a month count (`year * 12 + month0`).
fn month_value(months: i32) -> String {
    format!("{:04}-{:02}", months.div_euclid(12), months.rem_euclid(12) + 1)
}

fn day_value(date: Date) -> String {
    format!("{:04}-{:02}-{:02}", date.year(), date.month() as u8, date.day())
}

fn add_days(date: Date, days: i32) -> Option<Date> {
    Date::from_julian_day(date.to_julian_day().checked_add(days)?).ok()
}

fn week_value(date: Date) -> String {
    let (year, week, _) = date.to_iso_week_date();
    format!("{year:04}-W{week:02}")
}

/// A calendar date; a year-less one takes the year whose date is cheapest by `lean`.
fn calendar(
    year: Option<i32>,
    month: Option<u8>,
    day: Option<u8>,
    anchor: Option<Date>,
    lean: fn(i32) -> i32,
) -> Option<(String, Precision)> {
    match (year, month, day) {
        (Some(y), Some(m), Some(d)) => {
            let date = Date::from_calendar_date(y, Month::try_from(m).ok()?, d).ok()?;
            Some((day_value(date), Precision::Day))
        }
        (Some(y), Some(m), None) => Some((format!("{y:04}-{m:02}"), Precision::Month)),
        (Some(y), None, None) => Some((format!("{y:04}"), Precision::Year)),
        (None, Some(m), Some(d)) => {
            let month = Month::try_from(m).ok()?;
            // Feb 29 exists in some year; anything past the longest month never does.
            if d > month.length(2000) {
                return None;
            }
            let Some(a) = anchor else {
                return Some((format!("XXXX-{m:02}-{d:02}"), Precision::Day));
            };
            let nearest = (a.year() - 1..=a.year() + 1)
                .filter_map(|y| Date::from_calendar_date(y, month, d).ok())
                .min_by_key(|date| lean(date.to_julian_day() - a.to_julian_day()))?;
            Some((day_value(nearest), Precision::Day))
        }
        (None, Some(m), None) => {
            let Some(a) = anchor else {
                return Some((format!("XXXX-{m:02}"), Precision::Month));
            };
            let now = a.year() * 12 + i32::from(a.month() as u8) - 1;
            let nearest = (a.year() - 1..=a.year() + 1)
                .map(|y| y * 12 + i32::from(m) - 1)
                .min_by_key(|at| lean(at - now))?;
            Some((month_value(nearest), Precision::Month))
        }
        _ => None,
    }
}

/// Distance to a candidate date, future ones counting half again as far: news
/// mostly reports what happened, so a year-less date leans to the past.
fn past_leaning(offset: i32) -> i32 {
    if offset <= 0 {
        -2 * offset
    } else {
        3 * offset
    }
}

/// After a past-tense cue a future date is much less likely, though not ruled out
/// (`said it expects to close by Dec. 15`).
fn past_tense(offset: i32) -> i32 {
    if offset <= 0 {
        -offset
    } else {
        6 * offset
    }
}

/// The mirror of [`past_leaning`], after a future cue.
fn future_leaning(offset: i32) -> i32 {
    past_leaning(-offset)
}

fn shift(unit: Unit, by: i32, a: Date) -> Option<(String, Precision)> {
    Some(match unit {
        Unit::Day => (day_value(add_days(a, by)?), Precision::Day),
        Unit::Week => (week_value(add_days(a, by.checked_mul(7)?)?), Precision::Week),
        Unit::Weekend => {
            let since_monday = i32::from(a.weekday().number_days_from_monday());
            // The weekend being talked about: this one if it has begun, else the last one.
            let saturday = if by > 0 || since_monday >= 5 {
                add_days(a, 5 - since_monday + 7 * by.max(0))?
            } else {
                add_days(a, -2 - since_monday + 7 * by)?
            };
            (format!("{}-WE", week_value(saturday)), Precision::Week)
        }
        Unit::Month => {
            let now = a.year() * 12 + i32::from(a.month() as u8) - 1;
            (month_value(now + by), Precision::Month)
        }
        Unit::Quarter => {
            let now = a.year() * 4 + i32::from(quarter_of(a)) - 1 + by;
            (format!("{:04}-Q{}", now.div_euclid(4), now.rem_euclid(4) + 1), Precision::Quarter)
        }
        Unit::Year => (format!("{:04}", a.year() + by), Precision::Year),
        Unit::Decade => (format!("{}X", (a.year() + 10 * by).div_euclid(10)), Precision::Decade),
    })
}

fn weekday(day: u8, dir: Dir, a: Date) -> Option<(String, Precision)> {
    let today = i32::from(a.weekday().number_days_from_monday());
    let day = i32::from(day);
    let back = (today - day).rem_euclid(7);
    let ahead = (day - today).rem_euclid(7);
    let offset = match dir {
        Dir::Latest => -back,
        Dir::Upcoming => ahead,
        Dir::Last => -(if back == 0 { 7 } else { back }),
        Dir::Next => {
            if ahead == 0 {
                7
            } else {
                ahead
            }
        }
        Dir::This => day - today,
    };
    Some((day_value(add_days(a, offset)?), Precision::Day))
}

/// Year of a season named without one (`this summer`, `last winter`), as TimeML
/// counts it: winter belongs to the year it starts in.
fn season_year(season: Season, dir: Dir, a: Date) -> i32 {
    let month = a.month() as u8;
    // Index of the season the anchor is in, counted in a season-year starting in spring.
    let (current, current_year) = match month {
        3..=5 => (0, a.year()),
        6..=8 => (1, a.year()),
        9..=11 => (2, a.year()),
        12 => (3, a.year()),
        _ => (3, a.year() - 1),
    };
    let wanted = match season {
        Season::Spring => 0,
        Season::Summer => 1,
        Season::Fall => 2,
        Season::Winter => 3,
    };
    match dir {
        Dir::Last | Dir::Latest if wanted >= current => current_year - 1,
        Dir::Next | Dir::Upcoming if wanted <= current => current_year + 1,
        _ => current_year,
    }
}
