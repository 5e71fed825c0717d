//! The English words the date grammar recognises (month and weekday names,
//! calendar units, relative keywords), mapped to small enums so matching
//! never compares strings twice.

/// Seasons, in TimeML order of their codes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Season {
    Spring,
    Summer,
    Fall,
    Winter,
}

impl Season {
    /// TimeML season code (`1998-SU`).
    pub(super) fn code(self) -> &'static str {
        match self {
            Season::Spring => "SP",
            Season::Summer => "SU",
            Season::Fall => "FA",
            Season::Winter => "WI",
        }
    }
}

/// Holidays whose date follows from the year (US-centred, as the news data is).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Holiday {
    Thanksgiving,
    Christmas,
    ChristmasEve,
    Halloween,
    /// Needs a following `Day`.
    Election,
    /// Needs a following `Day`.
    Independence,
    /// Needs a following `Day`.
    Labor,
    /// Needs a following `Day`.
    Memorial,
}

impl Holiday {
    /// Whether the name needs `Day` after it to be the holiday (`Election Day`).
    pub(super) fn needs_day(self) -> bool {
        matches!(
            self,
            Holiday::Election | Holiday::Independence | Holiday::Labor | Holiday::Memorial
        )
    }
}

/// Calendar units that relative expressions count in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Unit {
    Day,
    Week,
    Weekend,
    Month,
    Quarter,
    Year,
    Decade,
}

/// Keywords that build or modify date expressions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Kw {
    A,
    Last,
    This,
    Next,
    Past,
    Coming,
    The,
    Ago,
    Earlier,
    Later,
    Early,
    Late,
    Mid,
    End,
    Beginning,
    Start,
    Middle,
    Of,
    Today,
    Yesterday,
    Tomorrow,
    Now,
    Currently,
    Current,
    Recently,
    Recent,
    Previously,
    Future,
    Soon,
    Fiscal,
    Latest,
    Will,
    OrdinalSuffix,
    Century,
    Tonight,
    That,
    Following,
    Same,
    Thousand,
}

/// Class of a word the grammar knows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Lex {
    /// Full month name, 1-based; `may` and `march` also need a capital.
    Month(u8),
    /// Abbreviated month name (`Nov`, `Sept`), 1-based.
    MonthAbbr(u8),
    /// Weekday, 0 = Monday.
    Weekday(u8),
    Season(Season),
    /// A unit and whether the word is plural.
    Unit(Unit, bool),
    /// `first` … `fourth`: quarter ordinals.
    Ordinal(u8),
    /// `two` … `twelve`: counts in relative expressions.
    Count(u8),
    /// `nineteen`: the first half of a spelled-out year (`nineteen ninety-six`).
    Century(u8),
    /// `twenty` … `ninety`: the second half of a spelled-out year.
    Tens(u8),
    Kw(Kw),
    /// `morning`, `afternoon`, `evening`, `night`.
    PartOfDay,
    Holiday(Holiday),
}

/// Russian and Ukrainian month names in the genitive, the form a date takes
/// (`26 апреля 2025`, `26 квітня 2025`), 1-based. The nominatives are left
/// out: a date never uses them, and some are also common words (`лютий`,
/// `листопад`).
const SLAVIC_MONTHS: [[&str; 2]; 12] = [
    ["января", "січня"],
    ["февраля", "лютого"],
    ["марта", "березня"],
    ["апреля", "квітня"],
    ["мая", "травня"],
    ["июня", "червня"],
    ["июля", "липня"],
    ["августа", "серпня"],
    ["сентября", "вересня"],
    ["октября", "жовтня"],
    ["ноября", "листопада"],
    ["декабря", "грудня"],
];

/// The month a Russian or Ukrainian genitive month name stands for.
fn slavic_month(word: &str) -> Option<u8> {
    if word.len() > 20 || !word.starts_with(|c: char| ('\u{0400}'..='\u{04FF}').contains(&c)) {
        return None;
    }
    let lower = word.to_lowercase();
    let index = SLAVIC_MONTHS.iter().position(|names| names.contains(&lower.as_str()))?;
    u8::try_from(index + 1).ok()
}

/// Classifies one word, ignoring ASCII case; `None` for words the grammar never uses.
pub(super) fn classify(word: &str) -> Option<Lex> {
    if !word.is_ascii() {
        return slavic_month(word).map(Lex::Month);
    }
    if word.len() > 12 || word.len() < 2 {
        return if word.eq_ignore_ascii_case("a") { Some(Lex::Kw(self::Kw::A)) } else { None };
    }
    let mut buf = [0u8; 12];
    let bytes = word.as_bytes();
    for (slot, b) in buf.iter_mut().zip(bytes) {
        *slot = b.to_ascii_lowercase();
    }
    let lower = std::str::from_utf8(&buf[..bytes.len()]).ok()?;
    use Lex::*;
    Some(match lower {
        "january" => Month(1),
        "february" => Month(2),
        "march" => Month(3),
        "april" => Month(4),
        "may" => Month(5),
        "june" => Month(6),
        "july" => Month(7),
        "august" => Month(8),
        "september" => Month(9),
        "october" => Month(10),
        "november" => Month(11),
        "december" => Month(12),
        "jan" => MonthAbbr(1),
        "feb" => MonthAbbr(2),
        "mar" => MonthAbbr(3),
        "apr" => MonthAbbr(4),
        "jun" => MonthAbbr(6),
        "jul" => MonthAbbr(7),
        "aug" => MonthAbbr(8),
        "sep" | "sept" => MonthAbbr(9),
        "oct" => MonthAbbr(10),
        "nov" => MonthAbbr(11),
        "dec" => MonthAbbr(12),
        "monday" => Weekday(0),
        "tuesday" => Weekday(1),
        "wednesday" => Weekday(2),
        "thursday" => Weekday(3),
        "friday" => Weekday(4),
        "saturday" => Weekday(5),
        "sunday" => Weekday(6),
        "spring" => Season(self::Season::Spring),
        "summer" => Season(self::Season::Summer),
        "fall" | "autumn" => Season(self::Season::Fall),
        "winter" => Season(self::Season::Winter),
        "day" => Unit(self::Unit::Day, false),
        "days" => Unit(self::Unit::Day, true),
        "week" => Unit(self::Unit::Week, false),
        "weeks" => Unit(self::Unit::Week, true),
        "weekend" => Unit(self::Unit::Weekend, false),
        "month" => Unit(self::Unit::Month, false),
        "months" => Unit(self::Unit::Month, true),
        "quarter" => Unit(self::Unit::Quarter, false),
        "quarters" => Unit(self::Unit::Quarter, true),
        "year" => Unit(self::Unit::Year, false),
        "years" => Unit(self::Unit::Year, true),
        "decade" => Unit(self::Unit::Decade, false),
        "decades" => Unit(self::Unit::Decade, true),
        "first" => Ordinal(1),
        "second" => Ordinal(2),
        "third" => Ordinal(3),
        "fourth" => Ordinal(4),
        "an" => Kw(self::Kw::A),
        "one" => Count(1),
        "two" => Count(2),
        "three" => Count(3),
        "four" => Count(4),
        "five" => Count(5),
        "six" => Count(6),
        "seven" => Count(7),
        "eight" => Count(8),
        "nine" => Count(9),
        "ten" => Count(10),
        "eleven" => Count(11),
        "twelve" => Count(12),
        "nineteen" => Century(19),
        "twenty" => Tens(20),
        "thirty" => Tens(30),
        "forty" => Tens(40),
        "fifty" => Tens(50),
        "sixty" => Tens(60),
        "seventy" => Tens(70),
        "eighty" => Tens(80),
        "ninety" => Tens(90),
        "thousand" => Kw(self::Kw::Thousand),
        "last" => Kw(self::Kw::Last),
        "this" => Kw(self::Kw::This),
        "next" => Kw(self::Kw::Next),
        "past" => Kw(self::Kw::Past),
        "coming" => Kw(self::Kw::Coming),
        "the" => Kw(self::Kw::The),
        "ago" => Kw(self::Kw::Ago),
        "earlier" => Kw(self::Kw::Earlier),
        "later" => Kw(self::Kw::Later),
        "early" => Kw(self::Kw::Early),
        "late" => Kw(self::Kw::Late),
        "mid" => Kw(self::Kw::Mid),
        "end" => Kw(self::Kw::End),
        "beginning" => Kw(self::Kw::Beginning),
        "start" => Kw(self::Kw::Start),
        "middle" => Kw(self::Kw::Middle),
        "of" => Kw(self::Kw::Of),
        "today" => Kw(self::Kw::Today),
        "yesterday" => Kw(self::Kw::Yesterday),
        "tomorrow" => Kw(self::Kw::Tomorrow),
        "now" => Kw(self::Kw::Now),
        "currently" => Kw(self::Kw::Currently),
        "current" => Kw(self::Kw::Current),
        "recently" => Kw(self::Kw::Recently),
        "recent" => Kw(self::Kw::Recent),
        "previously" => Kw(self::Kw::Previously),
        "future" => Kw(self::Kw::Future),
        "soon" => Kw(self::Kw::Soon),
        "fiscal" => Kw(self::Kw::Fiscal),
        "latest" => Kw(self::Kw::Latest),
        "will" | "ll" => Kw(self::Kw::Will),
        "st" | "nd" | "rd" | "th" => Kw(self::Kw::OrdinalSuffix),
        "century" => Kw(self::Kw::Century),
        "tonight" => Kw(self::Kw::Tonight),
        "that" => Kw(self::Kw::That),
        "following" => Kw(self::Kw::Following),
        "same" => Kw(self::Kw::Same),
        "morning" | "afternoon" | "evening" | "night" => PartOfDay,
        "thanksgiving" => Holiday(self::Holiday::Thanksgiving),
        "christmas" | "xmas" => Holiday(self::Holiday::Christmas),
        "halloween" => Holiday(self::Holiday::Halloween),
        "election" => Holiday(self::Holiday::Election),
        "independence" => Holiday(self::Holiday::Independence),
        "labor" | "labour" => Holiday(self::Holiday::Labor),
        "memorial" => Holiday(self::Holiday::Memorial),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classifies_russian_and_ukrainian_months() {
        assert_eq!(classify("апреля"), Some(Lex::Month(4)));
        assert_eq!(classify("Сентября"), Some(Lex::Month(9)));
        assert_eq!(classify("квітня"), Some(Lex::Month(4)));
        assert_eq!(classify("листопада"), Some(Lex::Month(11)));
        assert_eq!(classify("лютий"), None);
        assert_eq!(classify("Москве"), None);
    }

    #[test]
    fn classifies_ignoring_case() {
        assert_eq!(classify("NOVEMBER"), Some(Lex::Month(11)));
        assert_eq!(classify("Sept"), Some(Lex::MonthAbbr(9)));
        assert_eq!(classify("friday"), Some(Lex::Weekday(4)));
        assert_eq!(classify("years"), Some(Lex::Unit(Unit::Year, true)));
        assert_eq!(classify("troops"), None);
        assert_eq!(classify("extraordinarily"), None);
    }
}
