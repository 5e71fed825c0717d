//! Recognises date expressions in a token stream and says *what* was written
//! (a [`Spec`]), without deciding the calendar value: resolving a year-less or
//! relative expression needs an anchor date, which is `resolve`'s job.
//!
//! Matching is greedy and left to right: at each token the longest expression
//! starting there wins, and scanning resumes after it.

use super::lexicon::{Holiday, Kw, Lex, Season, Unit};
use super::tense::{tense, Tense};
use super::tokens::{Kind, Token};

/// Which occurrence of a named day, month or season is meant.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Dir {
    /// `last Friday`: strictly before the anchor.
    Last,
    /// `next Friday`: strictly after the anchor.
    Next,
    /// `this Friday`, `this summer`: the one around the anchor.
    This,
    /// A bare name in past-tense narrative: on or before the anchor.
    Latest,
    /// A bare name after `will`: on or after the anchor.
    Upcoming,
}

/// What a date expression says, before resolution.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Spec {
    /// A calendar date as written; absent parts were not said.
    Calendar { year: Option<i32>, month: Option<u8>, day: Option<u8> },
    /// A year-less date after a future cue (`will add flights from August 6`).
    Ahead { month: u8, day: Option<u8> },
    /// A year-less date in a past-tense clause (`bought it in February`).
    Behind { month: u8, day: Option<u8> },
    /// `June last year`, `February this year`: a month (and day) in a year relative to the anchor.
    InYear { month: u8, day: Option<u8>, by: i32 },
    /// `this year's third quarter`, `last year's quarter`: a quarter (by default the one under
    /// discussion) in a year relative to the anchor.
    RelativeQuarter { n: Option<u8>, by: i32 },
    /// `that year`, `the following day`, `earlier that day`: `by` units from the date last
    /// mentioned in the text (not from the anchor).
    Anaphor { unit: Unit, by: i32 },
    /// `the 1988 period`: the quarter under discussion, in that year.
    QuarterOfYear(i32),
    /// `Thanksgiving`, `last Christmas`, `Election Day`.
    Holiday { holiday: Holiday, dir: Dir },
    /// `the week of March 6`: the ISO week holding that day.
    WeekOf { year: Option<i32>, month: u8, day: u8 },
    /// `the 1990s` (first year of the decade).
    Decade(i32),
    /// `the 20th century` (the century's number, 20).
    Century(i32),
    /// `by` units from the anchor: `today` (0 days), `last week` (-1 week), `two years ago`.
    Shift { unit: Unit, by: i32 },
    /// A weekday name, 0 = Monday (`Friday`, `Friday night`: the gold data values a part of
    /// day as the day itself more often than with a `TNI`-style suffix).
    Weekday { day: u8, dir: Dir },
    /// `today`, `yesterday morning`, `tonight`: days from the anchor.
    Day { by: i32 },
    /// `a year ago`, `two weeks earlier`, `the year-ago quarter`: like [`Spec::Shift`], but a
    /// year back from a quarter being discussed means that quarter a year earlier.
    Ago { unit: Unit, by: i32 },
    /// `last April`, `this September`.
    MonthOf { month: u8, dir: Dir },
    /// `this summer`, `summer 1998`.
    Season { season: Season, year: Option<i32>, dir: Dir },
    /// `the third quarter [of 1989]`.
    Quarter { n: u8, year: Option<i32> },
    /// `the quarter`, `the latest quarter`: the last completed quarter.
    LatestQuarter,
    /// `now`, `recently`, `the future`: TimeML reference values.
    Reference(&'static str),
}

/// One recognised expression: token range `[first, end)` and what it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) struct Found {
    pub first: usize,
    pub end: usize,
    pub spec: Spec,
}

/// Finds every date expression in `tokens`, in order, without overlaps.
pub(super) fn find(tokens: &[Token<'_>]) -> Vec<Found> {
    let mut found = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        // Cheap filter: only words the lexicon knows and digit runs can start a date.
        let t = &tokens[i];
        if t.lex.is_none() && t.kind != Kind::Number {
            i += 1;
            continue;
        }
        if t.kind == Kind::Number {
            if let Some((end, spec)) = super::cjk::calendar_at(tokens, i) {
                found.push(Found { first: i, end, spec });
                i = end;
                continue;
            }
        }
        let g = Grammar { t: tokens };
        match g.with_modifier(i) {
            Some((end, mut spec)) => {
                if let Spec::Calendar { year: None, month: Some(month), day } = spec {
                    match tense(tokens, i) {
                        Some(Tense::Future) => spec = Spec::Ahead { month, day },
                        Some(Tense::Past) => spec = Spec::Behind { month, day },
                        None => {}
                    }
                }
                found.push(Found { first: i, end, spec });
                i = end;
                // "April 24 and 25": the second day shares the month (and year).
                if let Some(second) = g.listed_day(end) {
                    let day = Some(tokens[second].value as u8);
                    let spec = match spec {
                        Spec::Calendar { year, month, day: Some(_) } => {
                            Some(Spec::Calendar { year, month, day })
                        }
                        Spec::Ahead { month, day: Some(_) } => Some(Spec::Ahead { month, day }),
                        Spec::Behind { month, day: Some(_) } => Some(Spec::Behind { month, day }),
                        _ => None,
                    };
                    if let Some(spec) = spec {
                        found.push(Found { first: second, end: second + 1, spec });
                        i = second + 1;
                    }
                }
            }
            None => i += 1,
        }
    }
    found
}

/// Four-digit numbers taken as years.
const YEARS: std::ops::RangeInclusive<u32> = 1000..=2099;
/// Four-digit numbers taken as years when nothing else says they are dates.
const BARE_YEARS: std::ops::RangeInclusive<u32> = 1800..=2099;

struct Grammar<'t, 'a> {
    t: &'t [Token<'a>],
}

impl Grammar<'_, '_> {
    fn lex(&self, i: usize) -> Option<Lex> {
        self.t.get(i).and_then(|t| t.lex)
    }

    fn kw(&self, i: usize, kw: Kw) -> bool {
        self.lex(i) == Some(Lex::Kw(kw))
    }

    fn punct(&self, i: usize, c: char) -> bool {
        self.t.get(i).is_some_and(|t| t.is_punct(c))
    }

    /// Token `i` exists and touches the previous one (no whitespace between).
    fn glued(&self, i: usize) -> bool {
        self.t.get(i).is_some_and(|t| !t.spaced)
    }

    fn number(&self, i: usize) -> Option<&Token<'_>> {
        self.t.get(i).filter(|t| t.kind == Kind::Number)
    }

    /// A number token is a whole number: not part of `2,021`, `1.5`, `10:30` or `5-6`.
    fn standalone_number(&self, i: usize) -> bool {
        let joined = |j: usize, k: usize| {
            // Token j glued to token k, k a digit run, with a joining character between.
            self.t.get(j).is_some_and(|t| matches!(t.text, "," | "." | ":" | "/" | "-"))
                && self.glued(j)
                && self.glued(k)
                && self.number(k).is_some()
        };
        let before = i >= 2
            && joined(i - 1, i)
            && self.number(i - 2).is_some()
            && self.glued(i - 1)
            && !(self.year_range_at(i - 2) && self.t[i].digits() == 4);
        let after = joined(i + 1, i + 2) && !self.year_range_at(i);
        let money = i >= 1 && self.glued(i) && self.t[i - 1].text.starts_with(['$', '£', '€', '#']);
        let unit_after = self.glued(i + 1) && self.t.get(i + 1).is_some_and(|t| t.text == "%");
        !(before || after || money || unit_after)
    }

    /// A range of years at `i` glued by a hyphen (`2015-2017`, `2023-24`),
    /// whose years count as years as they do around an en dash: the second
    /// later than the first, within a century, and no more number glued on
    /// (`2015-2017-05` is something else).
    fn year_range_at(&self, i: usize) -> bool {
        let (Some(first), Some(second)) = (self.number(i), self.number(i + 2)) else {
            return false;
        };
        let later = match second.digits() {
            4 => second.value > first.value && second.value - first.value <= 100,
            2 => second.value > first.value % 100,
            _ => false,
        };
        let glued_before = i >= 1 && self.glued(i) && self.continues_back(i);
        first.digits() == 4
            && YEARS.contains(&first.value)
            && self.punct(i + 1, '-')
            && self.glued(i + 1)
            && self.glued(i + 2)
            && later
            && !self.continues(i + 3)
            && !glued_before
    }

    /// Token `i` is glued to a number or a joining mark before it.
    fn continues_back(&self, i: usize) -> bool {
        self.t.get(i - 1).is_some_and(|t| {
            t.kind == Kind::Number || matches!(t.text, "-" | "/" | ":" | "." | ",")
        })
    }

    /// Token `k` carries on the number before it (`…-06-7`, `…/2024/5`, `…06.5`).
    fn continues(&self, k: usize) -> bool {
        self.glued(k)
            && (self.number(k).is_some()
                || (self.t[k].kind == Kind::Punct
                    && matches!(self.t[k].text, "-" | "/" | ":" | "." | ",")
                    && self.glued(k + 1)
                    && self.number(k + 1).is_some()))
    }

    /// Day of month at `i` (1–31), with an optional glued `th`; returns the next index.
    fn day(&self, i: usize) -> Option<(usize, u8)> {
        let t = self.number(i)?;
        if t.digits() > 2 || !(1..=31).contains(&t.value) || !self.standalone_number(i) {
            return None;
        }
        let mut next = i + 1;
        if self.kw(next, Kw::OrdinalSuffix) && self.glued(next) {
            next += 1;
        }
        // `May 5:30` or `June 3-4` are times and ranges, `Jan 5 percent` a misparse.
        Some((next, t.value as u8))
    }

    /// A year at `i`: a standalone four-digit number in range.
    fn year(&self, i: usize) -> Option<i32> {
        let t = self.number(i)?;
        (t.digits() == 4 && YEARS.contains(&t.value) && self.standalone_number(i))
            .then_some(t.value as i32)
    }

    /// A month name at `i` (with the glued `.` of an abbreviation); `bare` asks whether it may
    /// stand alone, without day or year.
    fn month(&self, i: usize) -> Option<(usize, u8, bool)> {
        let t = self.t.get(i)?;
        match t.lex? {
            Lex::Month(m) => {
                // `may` and `march` are also a verb; lower-case month names are rare in
                // English news (Russian and Ukrainian write every month in lower case).
                let ambiguous = matches!(m, 3 | 5) && t.text.is_ascii();
                if ambiguous && !t.capital {
                    return None;
                }
                let mut next = i + 1;
                if self.punct(next, '.') && self.glued(next) && t.text.len() == 4 {
                    next += 1; // "June." as an abbreviation is harmless
                }
                Some((next, m, t.capital && !(m == 5 && i == 0)))
            }
            Lex::MonthAbbr(m) if t.capital => {
                let next = if self.punct(i + 1, '.') && self.glued(i + 1) { i + 2 } else { i + 1 };
                Some((next, m, false))
            }
            _ => None,
        }
    }

    /// A second day of month right after a month-day (`and 25`, `-25`, `or 25`), if not itself
    /// followed by a month (`24 and 25 May` is read by the day-first rule).
    fn listed_day(&self, i: usize) -> Option<usize> {
        let t = self.t.get(i)?;
        let joiner = t.text.eq_ignore_ascii_case("and")
            || t.text.eq_ignore_ascii_case("or")
            || t.is_punct('-')
            || t.is_punct('–');
        let (_, day) = self.day(i + 1)?;
        let month_follows = matches!(self.lex(i + 2), Some(Lex::Month(_) | Lex::MonthAbbr(_)));
        (joiner && day > 0 && !month_follows && self.t[i + 1].digits() <= 2).then_some(i + 1)
    }

    /// Optional lead-in modifiers (`early`, `late`, `mid-`, `the end of`) before a date.
    fn with_modifier(&self, i: usize) -> Option<(usize, Spec)> {
        let mut j = i;
        match self.lex(i) {
            Some(Lex::Kw(Kw::Early | Kw::Late | Kw::Mid | Kw::Earlier | Kw::Later)) => {
                j = i + 1;
                if self.punct(j, '-') && self.glued(j) {
                    j += 1;
                }
            }
            Some(Lex::Kw(Kw::The))
                if matches!(
                    self.lex(i + 1),
                    Some(Lex::Kw(Kw::End | Kw::Beginning | Kw::Start | Kw::Middle))
                ) && self.kw(i + 2, Kw::Of) =>
            {
                j = i + 3;
            }
            _ => {}
        }
        if j > i {
            if let Some((end, spec)) = self.core(j) {
                // `earlier`/`later` only modify `this`/`last`/`that` expressions ("earlier this year").
                let weak = matches!(self.lex(i), Some(Lex::Kw(Kw::Earlier | Kw::Later)));
                if !weak
                    || matches!(
                        self.lex(j),
                        Some(Lex::Kw(Kw::This | Kw::Last | Kw::Next | Kw::That) | Lex::Weekday(_))
                    )
                {
                    return Some((end, spec));
                }
            }
            if let Some(Lex::Kw(Kw::End)) = self.lex(i + 1) {
                // "the end of the month/year"
                if self.kw(j, Kw::The) {
                    if let Some(Lex::Unit(unit @ (Unit::Month | Unit::Year | Unit::Week), false)) =
                        self.lex(j + 1)
                    {
                        return Some((j + 2, Spec::Shift { unit, by: 0 }));
                    }
                }
            }
        }
        self.core(i)
    }

    /// The longest date expression starting exactly at `i`.
    fn core(&self, i: usize) -> Option<(usize, Spec)> {
        let t = self.t.get(i)?;
        if t.kind == Kind::Number {
            return self.numeric(i);
        }
        match t.lex? {
            Lex::Month(_) | Lex::MonthAbbr(_) => self.month_first(i),
            Lex::Weekday(day) => Some(self.weekday(i, i, day, None)),
            Lex::Holiday(_) => self.holiday(i, Dir::Latest),
            Lex::Season(season) if t.capital => self.season_year(i, season),
            Lex::Kw(kw) => self.keyword(i, kw),
            Lex::Unit(Unit::Year, false) => self.year_ago(i),
            Lex::Ordinal(n) if n <= 4 => self.quarter_ordinal(i, n, None),
            Lex::Count(n) => self.ago(i, i32::from(n)),
            Lex::Century(_) => self.spelled_year(i).map(|(end, year)| {
                (end, Spec::Calendar { year: Some(year), month: None, day: None })
            }),
            _ => None,
        }
    }

    /// Expressions starting with digits: ISO and numeric dates, `26 April 2025`, years, decades.
    fn numeric(&self, i: usize) -> Option<(usize, Spec)> {
        let t = self.number(i)?;
        if let Some(found) = self.iso(i).or_else(|| self.slashed(i)) {
            return Some(found);
        }
        if t.digits() <= 2 && self.standalone_number(i) {
            if let Some(found) = self.ago(i, t.value as i32) {
                return Some(found);
            }
        }
        if let Some((next, day)) = self.day(i) {
            let after_of = if self.kw(next, Kw::Of) { next + 1 } else { next };
            if let Some((next, month, _)) = self.month(after_of) {
                let (end, year) = self.trailing_year(next);
                return Some((end, Spec::Calendar { year, month: Some(month), day: Some(day) }));
            }
            // "20th century"
            if next > i + 1 && self.kw(next, Kw::Century) {
                return Some((next + 1, Spec::Century(t.value as i32)));
            }
        }
        if t.digits() == 4 && t.value % 10 == 0 && YEARS.contains(&t.value) && self.glued(i + 1) {
            // "1990s" (tokenised as 1990 + s) or "1990's"
            let s_at =
                if self.punct(i + 1, '\'') || self.punct(i + 1, '’') { i + 2 } else { i + 1 };
            if self.t.get(s_at).is_some_and(|s| s.text == "s" && !s.spaced) {
                return Some((s_at + 1, Spec::Decade(t.value as i32)));
            }
        }
        if t.digits() == 4
            && BARE_YEARS.contains(&t.value)
            && self.standalone_number(i)
            && self.reads_as_year(i)
        {
            return Some((
                i + 1,
                Spec::Calendar { year: Some(t.value as i32), month: None, day: None },
            ));
        }
        None
    }

    /// Whether a bare four-digit number reads as a year rather than a count:
    /// `2021 troops` is a count unless a determiner or preposition sets it up as a year.
    fn reads_as_year(&self, i: usize) -> bool {
        let Some(next) = self.t.get(i + 1) else {
            return true;
        };
        if next.kind != Kind::Word || next.capital || next.lex.is_some() {
            return true;
        }
        let set_up = i > 0
            && self.t[i - 1].kind == Kind::Word
            && matches!(
                self.t[i - 1].text.to_ascii_lowercase().as_str(),
                "the"
                    | "in"
                    | "since"
                    | "of"
                    | "by"
                    | "from"
                    | "until"
                    | "till"
                    | "to"
                    | "before"
                    | "after"
                    | "during"
                    | "for"
                    | "between"
                    | "and"
                    | "its"
                    | "their"
                    | "his"
                    | "her"
                    | "early"
                    | "late"
                    | "mid"
                    | "fiscal"
                    | "spring"
                    | "summer"
                    | "autumn"
                    | "fall"
                    | "winter"
                    | "through"
            );
        if set_up {
            return true;
        }
        let word = next.text;
        let plural =
            word.len() > 3 && word.ends_with('s') && !word.ends_with("ss") && !word.ends_with("us");
        let count_noun = matches!(
            word,
            "people"
                | "men"
                | "women"
                | "children"
                | "personnel"
                | "staff"
                | "police"
                | "military"
                | "more"
                | "other"
                | "new"
                | "additional"
                | "extra"
                | "million"
                | "billion"
                | "thousand"
                | "hundred"
        );
        !(plural || count_noun)
            || matches!(word, "was" | "is" | "has" | "as" | "this" | "its" | "elections")
    }

    /// `2024-08-06`.
    fn iso(&self, i: usize) -> Option<(usize, Spec)> {
        let y = self.number(i)?;
        if y.digits() != 4 || !YEARS.contains(&y.value) {
            return None;
        }
        let (m, d) = (self.number(i + 2)?, self.number(i + 4)?);
        let glued = (i + 1..=i + 4).all(|k| self.glued(k));
        if !glued
            || !self.punct(i + 1, '-')
            || !self.punct(i + 3, '-')
            || m.digits() != 2
            || d.digits() != 2
        {
            return None;
        }
        if !(1..=12).contains(&m.value) || !(1..=31).contains(&d.value) || self.continues(i + 5) {
            return None;
        }
        let spec = Spec::Calendar {
            year: Some(y.value as i32),
            month: Some(m.value as u8),
            day: Some(d.value as u8),
        };
        Some((i + 5, spec))
    }

    /// `08/26/2024` or `26/08/2024`; skipped when both orders are valid calendar dates.
    fn slashed(&self, i: usize) -> Option<(usize, Spec)> {
        let (a, b, y) = (self.number(i)?, self.number(i + 2)?, self.number(i + 4)?);
        let glued = (i + 1..=i + 4).all(|k| self.glued(k));
        if !glued
            || !self.punct(i + 1, '/')
            || !self.punct(i + 3, '/')
            || a.digits() > 2
            || b.digits() > 2
        {
            return None;
        }
        if y.digits() != 4 || !YEARS.contains(&y.value) || self.continues(i + 5) {
            return None;
        }
        let (a, b) = (a.value, b.value);
        let (month, day) = match (a, b) {
            _ if a == b && a <= 12 => (a, b),
            _ if a <= 12 && b > 12 && b <= 31 => (a, b),
            _ if b <= 12 && a > 12 && a <= 31 => (b, a),
            _ => return None,
        };
        if month == 0 || day == 0 {
            return None;
        }
        Some((
            i + 5,
            Spec::Calendar {
                year: Some(y.value as i32),
                month: Some(month as u8),
                day: Some(day as u8),
            },
        ))
    }

    /// An optional `, 2025` / ` 2025` after a day-month or month-day.
    fn trailing_year(&self, i: usize) -> (usize, Option<i32>) {
        let at = if self.punct(i, ',') { i + 1 } else { i };
        match self.year(at) {
            Some(year) => (at + 1, Some(year)),
            None => (i, None),
        }
    }

    /// `April 26, 2025`, `Nov. 1`, `August 2024`, `January`.
    fn month_first(&self, i: usize) -> Option<(usize, Spec)> {
        let (next, month, bare_ok) = self.month(i)?;
        if let Some((after_day, day)) = self.day(next) {
            if let Some((end, by)) = self.relative_year(after_day) {
                return Some((end, Spec::InYear { month, day: Some(day), by }));
            }
            // "Aug. 5-6" is a range; still report the first day.
            let (end, year) = self.trailing_year(after_day);
            return Some((end, Spec::Calendar { year, month: Some(month), day: Some(day) }));
        }
        let at = if self.punct(next, ',') || self.kw(next, Kw::Of) { next + 1 } else { next };
        if let Some((end, year)) = self.year(at).map(|y| (at + 1, y)).or(self.spelled_year(at)) {
            return Some((end, Spec::Calendar { year: Some(year), month: Some(month), day: None }));
        }
        if let Some((end, by)) = self.relative_year(next) {
            return Some((end, Spec::InYear { month, day: None, by }));
        }
        // "the March for Life", "March on Washington": a name, not a month.
        // Also "the March of the Combatant Mothers".
        let name_at = if self.kw(next + 1, Kw::The) { next + 2 } else { next + 1 };
        let name = matches!(month, 3 | 5)
            && self.t.get(next).is_some_and(|t| matches!(t.text, "for" | "of" | "on"))
            && self.t.get(name_at).is_some_and(|t| t.capital);
        (bare_ok && !name)
            .then_some((next, Spec::Calendar { year: None, month: Some(month), day: None }))
    }

    /// A capitalised holiday name at `i` (`Thanksgiving [Day]`, `Christmas Eve`, `Election Day`).
    fn holiday(&self, i: usize, dir: Dir) -> Option<(usize, Spec)> {
        let t = self.t.get(i)?;
        let Some(Lex::Holiday(mut holiday)) = t.lex else {
            return None;
        };
        if !t.capital {
            return None;
        }
        let next = self.t.get(i + 1).filter(|n| n.capital);
        let day = next.is_some_and(|n| n.lex == Some(Lex::Unit(Unit::Day, false)));
        let eve = next.is_some_and(|n| n.text == "Eve");
        if holiday.needs_day() && !day {
            return None;
        }
        if holiday == Holiday::Christmas && eve {
            holiday = Holiday::ChristmasEve;
        }
        let end = if day || eve { i + 2 } else { i + 1 };
        Some((end, Spec::Holiday { holiday, dir }))
    }

    /// `[few|several] months` after `last`/`past`/`coming`: returns the end of the phrase.
    fn vague_plural(&self, i: usize) -> Option<usize> {
        let vague = self.t.get(i).is_some_and(|t| {
            t.text.eq_ignore_ascii_case("few") || t.text.eq_ignore_ascii_case("several")
        });
        let unit_at = if vague { i + 1 } else { i };
        match self.lex(unit_at)? {
            Lex::Unit(Unit::Day | Unit::Week | Unit::Month | Unit::Quarter | Unit::Year, true) => {
                Some(unit_at + 1)
            }
            _ => None,
        }
    }

    /// The unit of `that year`, `the following day`, `that night` (a day).
    fn anaphor_unit(&self, i: usize) -> Option<Unit> {
        match self.lex(i)? {
            Lex::Unit(unit @ (Unit::Year | Unit::Month | Unit::Week | Unit::Day), false) => {
                Some(unit)
            }
            Lex::PartOfDay => Some(Unit::Day),
            _ => None,
        }
    }

    /// `[this] year's third quarter`, `[last] year's quarter`: `i` is at `year`, `by` its offset.
    fn years_quarter(&self, i: usize, by: i32) -> Option<(usize, Spec)> {
        if self.lex(i) != Some(Lex::Unit(Unit::Year, false)) {
            return None;
        }
        let apostrophe =
            self.t.get(i + 1).is_some_and(|t| matches!(t.text, "'" | "’") && !t.spaced);
        if !apostrophe || !self.t.get(i + 2).is_some_and(|t| t.text == "s" && !t.spaced) {
            return None;
        }
        match self.lex(i + 3)? {
            Lex::Ordinal(n) if n <= 4 => {
                let (end, _) = self.quarter_ordinal(i + 3, n, None)?;
                Some((end, Spec::RelativeQuarter { n: Some(n), by }))
            }
            Lex::Unit(Unit::Quarter, false) => Some((i + 4, Spec::RelativeQuarter { n: None, by })),
            _ => None,
        }
    }

    /// `last year`, `this year`, `next year` right after a month: its year relative to the anchor.
    fn relative_year(&self, i: usize) -> Option<(usize, i32)> {
        let at = if self.punct(i, ',') { i + 1 } else { i };
        if self.lex(at + 1) != Some(Lex::Unit(Unit::Year, false)) {
            return None;
        }
        match self.lex(at)? {
            Lex::Kw(Kw::Last) => Some((at + 2, -1)),
            Lex::Kw(Kw::This) => Some((at + 2, 0)),
            Lex::Kw(Kw::Next) => Some((at + 2, 1)),
            _ => None,
        }
    }

    /// A weekday, optionally followed by its date (`Friday, Oct. 23`) or part of day.
    fn weekday(&self, first: usize, i: usize, day: u8, dir: Option<Dir>) -> (usize, Spec) {
        let next = if self.punct(i + 1, ',') { i + 2 } else { i + 1 };
        if dir.is_none() {
            if let Some((end, spec @ Spec::Calendar { day: Some(_), .. })) = self.month_first(next)
            {
                return (end, spec);
            }
        }
        // "Wednesday's ruling" names an event already known, whatever the clause's tense.
        let possessive = self.t.get(i + 1).is_some_and(|t| matches!(t.text, "'" | "’"))
            && self.glued(i + 1)
            && self.t.get(i + 2).is_some_and(|t| t.text == "s" && !t.spaced);
        let dir = dir.unwrap_or(match tense(self.t, first) {
            Some(Tense::Future) if !possessive => Dir::Upcoming,
            _ => Dir::Latest,
        });
        let end = if self.lex(i + 1) == Some(Lex::PartOfDay) { i + 2 } else { i + 1 };
        (end, Spec::Weekday { day, dir })
    }

    /// A year spelled out as spoken in broadcast transcripts: `nineteen ninety-six`,
    /// `nineteen seventy` or `two thousand`; returns the end and the year.
    fn spelled_year(&self, i: usize) -> Option<(usize, i32)> {
        match self.lex(i)? {
            Lex::Century(c) => {
                let Some(Lex::Tens(tens)) = self.lex(i + 1) else {
                    return None;
                };
                let base = i32::from(c) * 100 + i32::from(tens);
                let hyphen = self.punct(i + 2, '-') && self.glued(i + 2) && self.glued(i + 3);
                match self.lex(i + 3) {
                    Some(Lex::Count(n)) if hyphen && n <= 9 => Some((i + 4, base + i32::from(n))),
                    _ => Some((i + 2, base)),
                }
            }
            Lex::Count(2) if self.kw(i + 1, Kw::Thousand) => Some((i + 2, 2000)),
            _ => None,
        }
    }

    /// `Summer 1998` (a capitalised season followed by a year).
    fn season_year(&self, i: usize, season: Season) -> Option<(usize, Spec)> {
        let year = self.year(i + 1)?;
        Some((i + 2, Spec::Season { season, year: Some(year), dir: Dir::This }))
    }

    /// `third quarter [of 1989]`, `third-quarter`.
    fn quarter_ordinal(&self, i: usize, n: u8, year: Option<i32>) -> Option<(usize, Spec)> {
        let q = if self.punct(i + 1, '-') && self.glued(i + 1) { i + 2 } else { i + 1 };
        if self.lex(q) != Some(Lex::Unit(Unit::Quarter, false)) {
            return None;
        }
        if self.kw(q + 1, Kw::Of) {
            if let Some(y) = self.year(q + 2) {
                return Some((q + 3, Spec::Quarter { n, year: Some(y) }));
            }
        }
        Some((q + 1, Spec::Quarter { n, year }))
    }

    /// `a year ago`, `two weeks earlier`, `5 days ago`.
    fn ago(&self, i: usize, n: i32) -> Option<(usize, Spec)> {
        let Some(Lex::Unit(unit, plural)) = self.lex(i + 1) else {
            return None;
        };
        if (n == 1) == plural {
            return None;
        }
        if matches!(self.lex(i + 2), Some(Lex::Kw(Kw::Ago | Kw::Earlier))) {
            return Some((i + 3, Spec::Ago { unit, by: -n }));
        }
        None
    }

    /// `year-ago`, `year-earlier [quarter|period]`: the same period a year before.
    fn year_ago(&self, i: usize) -> Option<(usize, Spec)> {
        if !(self.punct(i + 1, '-') && self.glued(i + 1) && self.glued(i + 2)) {
            return None;
        }
        if !matches!(self.lex(i + 2), Some(Lex::Kw(Kw::Ago | Kw::Earlier))) {
            return None;
        }
        let period = self.t.get(i + 3).is_some_and(|t| {
            t.lex == Some(Lex::Unit(Unit::Quarter, false)) || t.text.eq_ignore_ascii_case("period")
        });
        Some((if period { i + 4 } else { i + 3 }, Spec::Ago { unit: Unit::Year, by: -1 }))
    }

    /// Expressions led by a keyword: relative words, `last/this/next X`, `the …`.
    fn keyword(&self, i: usize, kw: Kw) -> Option<(usize, Spec)> {
        match kw {
            Kw::Today | Kw::Yesterday | Kw::Tomorrow | Kw::Tonight => {
                let by = match kw {
                    Kw::Yesterday => -1,
                    Kw::Tomorrow => 1,
                    _ => 0,
                };
                let part = kw != Kw::Tonight && self.lex(i + 1) == Some(Lex::PartOfDay);
                Some((if part { i + 2 } else { i + 1 }, Spec::Day { by }))
            }
            Kw::Now | Kw::Currently => Some((i + 1, Spec::Reference("PRESENT_REF"))),
            // `previously` and `soon` were wrong more often than right on TimeBank/AQUAINT.
            Kw::Recently => Some((i + 1, Spec::Reference("PAST_REF"))),
            // "the current quarter" is a quarter (see `the`), "current market prices" the present.
            Kw::Current
                if !matches!(self.lex(i + 1), Some(Lex::Unit(..) | Lex::Kw(Kw::Fiscal))) =>
            {
                Some((i + 1, Spec::Reference("PRESENT_REF")))
            }
            // Bare `recent` and `future` are mostly plain adjectives ("future earnings").
            Kw::Recent => match self.lex(i + 1) {
                Some(Lex::Unit(_, true)) => Some((i + 2, Spec::Reference("PAST_REF"))),
                _ => None,
            },
            // "this past spring", "this past week": the last one.
            Kw::This if self.kw(i + 1, Kw::Past) => self.keyword(i + 1, Kw::Last),
            Kw::Last | Kw::This | Kw::Next | Kw::Coming => {
                let (by, dir) = match kw {
                    Kw::Last => (-1, Dir::Last),
                    Kw::Next | Kw::Coming => (1, Dir::Next),
                    _ => (0, Dir::This),
                };
                if let Some(found) = self.years_quarter(i + 1, by) {
                    return Some(found);
                }
                if let Some(end) = self.vague_plural(i + 1) {
                    let reference = if kw == Kw::Last { "PAST_REF" } else { "FUTURE_REF" };
                    return (kw != Kw::This).then_some((end, Spec::Reference(reference)));
                }
                match self.lex(i + 1)? {
                    Lex::Unit(unit, false) if unit != Unit::Day && unit != Unit::Decade => {
                        Some((i + 2, Spec::Shift { unit, by }))
                    }
                    Lex::Weekday(day) => Some(self.weekday(i, i + 1, day, Some(dir))),
                    Lex::Holiday(_) => self.holiday(i + 1, dir),
                    Lex::Month(month) if self.t[i + 1].capital => {
                        Some((i + 2, Spec::MonthOf { month, dir }))
                    }
                    Lex::Season(season) => Some((i + 2, Spec::Season { season, year: None, dir })),
                    _ => None,
                }
            }
            Kw::A => self.ago(i, 1),
            Kw::That => {
                let j = if self.kw(i + 1, Kw::Same) { i + 2 } else { i + 1 };
                let unit = self.anaphor_unit(j)?;
                Some((j + 1, Spec::Anaphor { unit, by: 0 }))
            }
            Kw::The => self.the(i),
            Kw::Fiscal => {
                let year = self.year(i + 1)?;
                Some((i + 2, Spec::Calendar { year: Some(year), month: None, day: None }))
            }
            _ => None,
        }
    }

    /// Expressions after `the`: decades, quarters, `the past`, `the future`, `the weekend`.
    fn the(&self, i: usize) -> Option<(usize, Spec)> {
        let j = i + 1;
        let next = self.t.get(j)?;
        if next.kind == Kind::Number {
            return match self.numeric(j)? {
                found @ (_, Spec::Decade(_) | Spec::Century(_)) => Some(found),
                (end, Spec::Calendar { year: Some(y), month: None, day: None }) => {
                    // "the 1989 third quarter" / "the 1988 period"
                    if let Some(Lex::Ordinal(n)) = self.lex(end) {
                        return self.quarter_ordinal(end, n, Some(y));
                    }
                    let period = self.t.get(end).is_some_and(|t| {
                        t.lex == Some(Lex::Unit(Unit::Quarter, false))
                            || t.text.eq_ignore_ascii_case("period")
                    });
                    period.then_some((end + 1, Spec::QuarterOfYear(y)))
                }
                _ => None,
            };
        }
        match next.lex? {
            Lex::Ordinal(n) => self.quarter_ordinal(j, n, None),
            // "the winter of 1994", "the summer of nineteen ninety-four"
            Lex::Season(season) if self.kw(j + 1, Kw::Of) => {
                let (end, year) =
                    self.year(j + 2).map(|y| (j + 3, y)).or(self.spelled_year(j + 2))?;
                Some((end, Spec::Season { season, year: Some(year), dir: Dir::This }))
            }
            // "the year two thousand", "the year nineteen ninety-nine"
            Lex::Unit(Unit::Year, false) if self.spelled_year(j + 1).is_some() => {
                let (end, year) = self.spelled_year(j + 1)?;
                Some((end, Spec::Calendar { year: Some(year), month: None, day: None }))
            }
            // "the year" in company reports is the current (fiscal) year.
            Lex::Unit(Unit::Year, false) => {
                self.year_ago(j).or(Some((j + 1, Spec::Shift { unit: Unit::Year, by: 0 })))
            }
            Lex::Kw(Kw::Fiscal) => match self.lex(j + 1)? {
                Lex::Ordinal(n) => self.quarter_ordinal(j + 1, n, None),
                Lex::Unit(Unit::Year, false) => {
                    Some((j + 2, Spec::Shift { unit: Unit::Year, by: 0 }))
                }
                _ => None,
            },
            Lex::Kw(Kw::Past) if self.vague_plural(j + 1).is_some() => {
                Some((self.vague_plural(j + 1)?, Spec::Reference("PAST_REF")))
            }
            Lex::Kw(Kw::Past) if self.lex(j + 1) == Some(Lex::Unit(Unit::Year, false)) => {
                Some((j + 2, Spec::Shift { unit: Unit::Year, by: -1 }))
            }
            Lex::Kw(Kw::Latest)
                if self.t.get(j + 1).is_some_and(|t| t.text.eq_ignore_ascii_case("period")) =>
            {
                Some((j + 2, Spec::LatestQuarter))
            }
            Lex::Kw(Kw::Past)
                if !matches!(self.lex(j + 1), Some(Lex::Unit(..) | Lex::Count(_))) =>
            {
                (self.t.get(j + 1).is_none_or(|t| t.kind != Kind::Number))
                    .then_some((j + 1, Spec::Reference("PAST_REF")))
            }
            Lex::Kw(Kw::Future) => Some((j + 1, Spec::Reference("FUTURE_REF"))),
            Lex::Kw(Kw::Following | Kw::Next) => {
                let unit = self.anaphor_unit(j + 1)?;
                Some((j + 2, Spec::Anaphor { unit, by: 1 }))
            }
            Lex::Unit(Unit::Week, false) if self.kw(j + 1, Kw::Of) => {
                match self.month_first(j + 2)? {
                    // "the week of March 6"
                    (end, Spec::Calendar { year, month: Some(month), day: Some(day) }) => {
                        Some((end, Spec::WeekOf { year, month, day }))
                    }
                    _ => None,
                }
            }
            Lex::Unit(Unit::Weekend, false) => {
                Some((j + 1, Spec::Shift { unit: Unit::Weekend, by: 0 }))
            }
            Lex::Unit(Unit::Quarter, false) => match self.ago(j + 1, 1) {
                // "the quarter a year ago"
                Some((end, spec)) => Some((end, spec)),
                None => Some((j + 1, Spec::LatestQuarter)),
            },
            Lex::Kw(Kw::Latest) if self.lex(j + 1) == Some(Lex::Unit(Unit::Quarter, false)) => {
                Some((j + 2, Spec::LatestQuarter))
            }
            Lex::Kw(Kw::Current) => match self.lex(j + 1)? {
                Lex::Unit(unit, false) if unit != Unit::Day => {
                    Some((j + 2, Spec::Shift { unit, by: 0 }))
                }
                _ => None,
            },
            _ => None,
        }
    }
}
