//! Case tables for date extraction, plus the bundled sample articles.

use super::*;

fn day(y: i32, m: u8, d: u8) -> Date {
    Date::from_calendar_date(y, Month::try_from(m).unwrap(), d).unwrap()
}

/// (surface, value, precision) of every mention.
fn mentions(text: &str, anchor: Option<Date>) -> Vec<(String, String, Precision)> {
    extract(text, anchor).into_iter().map(|m| (m.text, m.value, m.precision)).collect()
}

fn one(text: &str, anchor: Option<Date>) -> (String, String, Precision) {
    let found = mentions(text, anchor);
    assert_eq!(found.len(), 1, "{text:?} gave {found:?}");
    found.into_iter().next().unwrap()
}

#[test]
fn absolute_forms() {
    use Precision::*;
    let cases = [
        ("On April 26, 2025, it ended.", "April 26, 2025", "2025-04-26", Day),
        ("It ended on 26 April 2025.", "26 April 2025", "2025-04-26", Day),
        ("It ended on the 26th of April, 2025.", "26th of April, 2025", "2025-04-26", Day),
        ("Talks on Sept. 30, 1989 failed.", "Sept. 30, 1989", "1989-09-30", Day),
        ("Fighting in August 2024 was fierce.", "August 2024", "2024-08", Month),
        ("Fighting since August 6, 2024 went on.", "August 6, 2024", "2024-08-06", Day),
        ("The 2021 treaty was signed.", "2021", "2021", Year),
        ("In 2021, troops moved.", "2021", "2021", Year),
        ("It peaked in the 1990s.", "the 1990s", "199X", Decade),
        ("Filed 2024-08-06 at noon.", "2024-08-06", "2024-08-06", Day),
        ("Filed 08/26/2024 at noon.", "08/26/2024", "2024-08-26", Day),
        ("Filed 26/08/2024 at noon.", "26/08/2024", "2024-08-26", Day),
        (
            "Results for the third quarter of 1989 were weak.",
            "the third quarter of 1989",
            "1989-Q3",
            Quarter,
        ),
        ("Summer 1998 was hot.", "Summer 1998", "1998-SU", Season),
        ("Friday, Oct. 23, 1998 was calm.", "Friday, Oct. 23, 1998", "1998-10-23", Day),
    ];
    for (text, surface, value, precision) in cases {
        assert_eq!(one(text, None), (surface.to_string(), value.to_string(), precision), "{text}");
    }
}

#[test]
fn spans_are_byte_offsets_in_the_input() {
    let text = "Kremlin’s claim: on Nov. 1, they move.";
    let found = extract(text, None);
    assert_eq!(found.len(), 1);
    assert_eq!(&text[found[0].start..found[0].end], "Nov. 1");
    assert_eq!(found[0].text, "Nov. 1");
}

#[test]
fn year_less_dates_stay_partial_without_anchor() {
    use Precision::*;
    let cases = [
        ("On November 7 the meeting ended.", "November 7", "XXXX-11-07", Day),
        ("They will be ready on Nov. 1.", "Nov. 1", "XXXX-11-01", Day),
        ("Due Sept. 30.", "Sept. 30", "XXXX-09-30", Day),
        ("Sales fell in January.", "January", "XXXX-01", Month),
    ];
    for (text, surface, value, precision) in cases {
        assert_eq!(one(text, None), (surface.to_string(), value.to_string(), precision), "{text}");
    }
    let partial = &extract("On November 7 it ended.", None)[0];
    assert_eq!(partial.day_range(), None);
    assert_eq!(partial.month_day(), Some((11, 7)));
}

#[test]
fn year_less_dates_take_the_nearest_year_to_the_anchor() {
    let anchor = Some(day(1989, 11, 2));
    assert_eq!(one("Due Nov. 7.", anchor).1, "1989-11-07");
    assert_eq!(one("Due Jan. 5.", anchor).1, "1990-01-05");
    assert_eq!(one("Signed on March 3.", Some(day(1989, 5, 2))).1, "1989-03-03");
    assert_eq!(one("Sales figures for January.", anchor).1, "1990-01");
}

#[test]
fn relative_dates_need_an_anchor() {
    use Precision::*;
    // 1998-08-07 was a Friday.
    let anchor = Some(day(1998, 8, 7));
    let cases = [
        ("It happened yesterday.", "yesterday", "1998-08-06", Day),
        ("It happens today.", "today", "1998-08-07", Day),
        ("He said on Friday that", "Friday", "1998-08-07", Day),
        ("He left on Tuesday.", "Tuesday", "1998-08-04", Day),
        ("He will leave on Tuesday.", "Tuesday", "1998-08-11", Day),
        ("He left last Friday.", "last Friday", "1998-07-31", Day),
        ("It happened last week.", "last week", "1998-W31", Week),
        ("It happened this month.", "this month", "1998-08", Month),
        ("It happens next month.", "next month", "1998-09", Month),
        ("Profit rose last year.", "last year", "1997", Year),
        ("Profit rose earlier this year.", "earlier this year", "1998", Year),
        ("Profit rose a year ago.", "a year ago", "1997", Year),
        ("Profit rose three years ago.", "three years ago", "1995", Year),
        ("Profit rose in the latest quarter.", "the latest quarter", "1998-Q2", Quarter),
        ("Profit rose in the second quarter.", "the second quarter", "1998-Q2", Quarter),
        ("Profit rose last April.", "last April", "1998-04", Month),
        ("Talks resumed over the weekend.", "the weekend", "1998-W31-WE", Week),
        ("Prices are now higher.", "now", "PRESENT_REF", Reference),
    ];
    for (text, surface, value, precision) in cases {
        assert_eq!(
            one(text, anchor),
            (surface.to_string(), value.to_string(), precision),
            "{text}"
        );
        assert!(extract(text, None).is_empty(), "{text} needs an anchor");
    }
}

#[test]
fn hyphenated_year_ranges_give_their_years() {
    let years = |text: &str| -> Vec<String> {
        mentions(text, None).into_iter().map(|(_, value, _)| value).collect()
    };
    assert_eq!(years("The plan covering 2023-2024 was cut."), ["2023", "2024"]);
    assert_eq!(years("From 2015-2017 it grew."), ["2015", "2017"]);
    assert_eq!(years("The 2023-24 season ended."), ["2023"]);
    // Not a range: backwards, or glued to more numbers.
    assert_eq!(years("Rule 2017-2015 applies."), Vec::<String>::new());
    assert_eq!(years("Ref 2015-2017-05 filed."), Vec::<String>::new());
}

#[test]
fn counts_and_numbers_are_not_years() {
    for text in [
        "They sent 2,021 soldiers.",
        "They sent 2021 troops.",
        "North Korea shipped 1,500 special forces.",
        "It costs $1999 now.",
        "Turnout was 2000% higher.",
        "A score of 12.2021 points.",
        "Call 555-2021-88.",
        "Dates 05/06/2024 and 5/6/2024 are ambiguous.",
    ] {
        let found: Vec<_> = extract(text, None)
            .into_iter()
            .filter(|m| m.precision != Precision::Reference)
            .collect();
        assert!(found.is_empty(), "{text:?} gave {found:?}");
    }
}

#[test]
fn lower_case_may_and_march_are_verbs() {
    assert!(extract("Prices may rise as troops march on.", None).is_empty());
    assert_eq!(one("Prices rose in May 2020.", None).1, "2020-05");
}

#[test]
fn day_ranges_cover_each_precision() {
    let range = |value: &str| value_range(value).map(|(a, b)| (a.to_string(), b.to_string()));
    let pair = |a: &str, b: &str| Some((a.to_string(), b.to_string()));
    assert_eq!(range("2024-08-06"), pair("2024-08-06", "2024-08-06"));
    assert_eq!(range("2024-02"), pair("2024-02-01", "2024-02-29"));
    assert_eq!(range("2024"), pair("2024-01-01", "2024-12-31"));
    assert_eq!(range("199X"), pair("1990-01-01", "1999-12-31"));
    assert_eq!(range("1989-Q3"), pair("1989-07-01", "1989-09-30"));
    assert_eq!(range("1998-W32"), pair("1998-08-03", "1998-08-09"));
    assert_eq!(range("1998-W31-WE"), pair("1998-08-01", "1998-08-02"));
    assert_eq!(range("1998-WI"), pair("1998-12-01", "1999-02-28"));
    assert_eq!(range("XXXX-11-07"), None);
    assert_eq!(range("PRESENT_REF"), None);
}

/// Paragraphs of a bundled article: its non-empty lines.
fn paragraphs(text: &str) -> Vec<&str> {
    text.lines().filter(|l| !l.trim().is_empty()).collect()
}

fn find_in<'a>(doc: &'a [Vec<DateMention>], surface: &str) -> &'a DateMention {
    doc.iter()
        .flatten()
        .find(|m| m.text == surface)
        .unwrap_or_else(|| panic!("{surface} not found in {doc:?}"))
}

#[test]
fn bundled_articles() {
    let a002 = include_str!("../../../data/corpus/002_39c058633f6a2cf7.txt");
    let doc = extract_document(&paragraphs(a002));
    assert_eq!(find_in(&doc, "August 6, 2024").value, "2024-08-06");
    let april = find_in(&doc, "April 26, 2025");
    assert_eq!((april.value.as_str(), april.precision), ("2025-04-26", Precision::Day));
    assert_eq!(april.day_range(), Some((day(2025, 4, 26), day(2025, 4, 26))));

    let a004 = include_str!("../../../data/corpus/004_14779f4508bfdd0b.txt");
    let doc = extract_document(&paragraphs(a004));
    let august = find_in(&doc, "August 2024");
    assert_eq!((august.value.as_str(), august.precision), ("2024-08", Precision::Month));
    // No date line: "on Friday" cannot be resolved and is not reported.
    assert!(doc.iter().flatten().all(|m| m.text != "Friday"));

    let a000 = include_str!("../../../data/corpus/000_45b7c3c7b98d9dfb.txt");
    let doc = extract_document(&paragraphs(a000));
    let november = find_in(&doc, "November 7");
    assert_eq!((november.value.as_str(), november.month_day()), ("XXXX-11-07", Some((11, 7))));
    assert_eq!(november.day_range(), None);
}

#[test]
fn document_date_line_anchors_relative_dates() {
    let doc = extract_document(&[
        "Talks collapse",
        "2024-11-05",
        "Talks collapsed yesterday, after a deal on Nov. 1.",
    ]);
    let values: Vec<&str> = doc[2].iter().map(|m| m.value.as_str()).collect();
    assert_eq!(values, ["2024-11-04", "2024-11-01"]);
}

#[test]
fn year_less_dates_borrow_a_close_full_date_only() {
    let doc = extract_document(&[
        "On April 26, 2025, the operation ended.",
        "On April 28, troops left.",
        "On November 7 they met.",
    ]);
    assert_eq!(doc[1][0].value, "2025-04-28");
    assert_eq!(doc[2][0].value, "XXXX-11-07");
}

#[test]
fn holidays_resolve_by_year_and_stay_partial_only_when_fixed() {
    let anchor = Some(day(1999, 12, 1));
    assert_eq!(one("He was found on Thanksgiving Day.", anchor).1, "1999-11-25");
    assert_eq!(one("Polls open on Election Day.", Some(day(1998, 10, 26))).1, "1998-11-03");
    assert_eq!(one("He left last Christmas.", anchor).1, "1998-12-25");
    assert_eq!(one("See you at Christmas.", None).1, "XXXX-12-25");
    assert!(extract("See you at Thanksgiving.", None).is_empty(), "its day depends on the year");
    assert!(extract("The election day care centre.", anchor).is_empty(), "holidays need capitals");
}

#[test]
fn quarters_follow_the_quarter_under_discussion() {
    let anchor = Some(day(1989, 10, 26));
    let text =
        "Third-quarter profit rose 5% from a year ago. In this year's third quarter and the \
                1988 period, sales fell; year-earlier results were restated.";
    let values: Vec<String> = mentions(text, anchor).into_iter().map(|(_, v, _)| v).collect();
    assert_eq!(values, ["1989-Q3", "1988-Q3", "1989-Q3", "1988-Q3", "1988-Q3"]);
    // Without a quarter in the text, "a year ago" is the year before the anchor.
    assert_eq!(one("Profit rose from a year ago.", anchor).1, "1988");
}

#[test]
fn anaphoric_dates_follow_the_last_date_mentioned() {
    let found = mentions(
        "He arrived in June 1998 and left later that year. The following day was calm.",
        Some(day(2000, 1, 28)),
    );
    assert_eq!(found[1], ("later that year".to_string(), "1998".to_string(), Precision::Year));
    // "the following day" needs a day, and June 1998 is only a month.
    assert_eq!(found.len(), 2, "{found:?}");
    let found = mentions("It began on March 3, 1987. The following day, troops left.", None);
    assert_eq!(found[1].1, "1987-03-04");
    assert!(extract("He left later that year.", Some(day(2000, 1, 28))).is_empty());
}

#[test]
fn month_lists_names_and_relative_years() {
    let found = mentions("The summit is on April 24 and 25.", None);
    assert_eq!(
        found.iter().map(|m| m.1.as_str()).collect::<Vec<_>>(),
        ["XXXX-04-24", "XXXX-04-25"]
    );
    assert_eq!(found[1].0, "25");
    assert!(extract("They joined the annual March for Life.", None).is_empty());
    assert!(extract("She led the March of the Combatant Mothers.", None).is_empty());
    let anchor = Some(day(1989, 10, 26));
    assert_eq!(one("Sales fell this past spring.", anchor).1, "1989-SP");
    assert_eq!(one("Sales fell this past week.", anchor).1, "1989-W42");
    assert_eq!(
        one("A hearing the week of March 6, 2000 was set.", None),
        ("the week of March 6, 2000".to_string(), "2000-W10".to_string(), Precision::Week)
    );
    let anchor = Some(day(1998, 2, 19));
    assert_eq!(
        one("In June last year, he fled.", anchor),
        ("June last year".to_string(), "1997-06".to_string(), Precision::Month)
    );
    assert_eq!(one("It will add flights from August 6.", Some(day(1998, 2, 13))).1, "1998-08-06");
    assert_eq!(one("Flights began on August 6.", Some(day(1998, 2, 13))).1, "1997-08-06");
}

#[test]
fn vague_references_and_parts_of_day() {
    let anchor = Some(day(1998, 8, 7));
    assert_eq!(one("Rates fell in the last few months.", anchor).1, "PAST_REF");
    assert_eq!(one("Rates will fall in coming months.", anchor).1, "FUTURE_REF");
    assert_eq!(one("Prices are currently high.", anchor).1, "PRESENT_REF");
    assert!(extract("He expects future earnings to grow.", anchor).is_empty());
    assert_eq!(
        one("They rallied Wednesday night.", anchor),
        ("Wednesday night".to_string(), "1998-08-05".to_string(), Precision::Day)
    );
    assert_eq!(one("Earlier Wednesday, they met.", anchor).0, "Earlier Wednesday");
}

#[test]
fn odd_input_and_extreme_anchors_never_panic() {
    let vocabulary = [
        "Nov",
        ".",
        "31",
        "2024",
        "-",
        "/",
        "'",
        "s",
        "the",
        "year",
        "ago",
        "Friday",
        "é",
        "—",
        ",",
        "29",
        "Feb",
        "0",
        "99999999999",
        "last",
        "quarter",
        "third",
        "of",
        "that",
        "day",
        "following",
        "1990",
        "’",
        "and",
        "Thanksgiving",
        "week",
        "a",
        "12",
        "13",
        "2024-02-30",
        "th",
        "century",
        "early",
        "mid",
        "今日",
    ];
    let anchors = [None, Some(Date::MIN), Some(Date::MAX), Some(day(2024, 2, 29))];
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..300 {
        let mut text = String::new();
        for _ in 0..12 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            text.push_str(vocabulary[(state >> 33) as usize % vocabulary.len()]);
            if state & 1 == 0 {
                text.push(' ');
            }
        }
        for anchor in anchors {
            for m in extract(&text, anchor) {
                assert_eq!(&text[m.start..m.end], m.text);
                let _ = (m.day_range(), m.month_day());
            }
        }
        let _ = extract_document(&[text.as_str(), "2024-02-29", text.as_str()]);
    }
}

#[test]
fn tense_of_the_clause_places_bare_weekdays_and_months() {
    // 1998-08-08 was a Saturday; 1989-10-30 a Monday.
    let saturday = Some(day(1998, 8, 8));
    let monday = Some(day(1989, 10, 30));
    let cases = [
        // The nearest tense cue wins over an earlier future-looking word.
        (
            "Costs were higher than expected after the market closed Wednesday.",
            saturday,
            "1998-08-05",
        ),
        // A date opening its sentence takes the tense of the verb after it.
        ("On Tuesday, the league plans to hold a news conference.", saturday, "1998-08-11"),
        ("On Tuesday, the government planned to pay the victims.", saturday, "1998-08-04"),
        // `set Friday as` and `are statements made` are not future cues; `set for` is.
        ("The court set Friday as the deadline.", saturday, "1998-08-07"),
        ("Following are statements made Thursday by the lawyer.", saturday, "1998-08-06"),
        ("The vote is set for Thursday.", saturday, "1998-08-13"),
        ("The boy could be located Wednesday in his home town.", saturday, "1998-08-05"),
        // `would` looks ahead from a past report; a possessive weekday is a known event.
        ("He said the father would be traveling to the capital Thursday.", saturday, "1998-08-13"),
        ("They said they would get around Wednesday's ruling.", saturday, "1998-08-05"),
        // Year-less months: past tense pulls them back, a present passive forward.
        ("KKR bought RJR in February for $25 billion.", monday, "1989-02"),
        ("In January, the company brought in a new chief.", monday, "1989-01"),
        ("Its fiscal period ended Jan. 31.", monday, "1989-01-31"),
        ("The case is heard in May in the appeals court.", monday, "1990-05"),
        ("The talks are supposed to conclude by May.", monday, "1990-05"),
        ("It will be paid on a still unspecified date in January.", monday, "1990-01"),
        ("Mr. Kane will succeed him Feb. 1.", monday, "1990-02-01"),
        // Past tense makes a later date less likely, not impossible.
        ("It said it expects to close the deal by Dec. 15.", monday, "1989-12-15"),
    ];
    for (text, anchor, value) in cases {
        assert_eq!(one(text, anchor).1, value, "{text}");
    }
}

#[test]
fn spelled_out_years_of_broadcast_transcripts() {
    use Precision::*;
    let anchor = Some(day(1998, 2, 27));
    let cases = [
        ("In nineteen ninety-one he was convicted.", "nineteen ninety-one", "1991", Year),
        ("It began in nineteen seventy.", "nineteen seventy", "1970", Year),
        (
            "January nineteen ninety-seven. Atlanta again.",
            "January nineteen ninety-seven",
            "1997-01",
            Month,
        ),
        ("He promised it by the year two thousand.", "the year two thousand", "2000", Year),
        (
            "Prices fell in the winter of nineteen ninety-four.",
            "the winter of nineteen ninety-four",
            "1994-WI",
            Season,
        ),
        ("Prices fell in the summer of 1994.", "the summer of 1994", "1994-SU", Season),
    ];
    for (text, surface, value, precision) in cases {
        assert_eq!(
            one(text, anchor),
            (surface.to_string(), value.to_string(), precision),
            "{text}"
        );
    }
    // Counts stay counts.
    assert!(extract("They hired two thousand workers and nineteen guards.", anchor).is_empty());
}

#[test]
fn precision_names_are_the_serde_names_and_parse_back() {
    for precision in Precision::ALL {
        assert_eq!(serde_json::to_value(precision).unwrap(), precision.name());
        assert_eq!(Precision::parse(precision.name()), Some(precision));
    }
    assert_eq!(Precision::parse("days"), None);
}
