//! Chinese, Japanese and Korean calendar dates: a number glued to a year,
//! month or day sign, in that order (`2025年4月26日`, `2025년 4월 26일`,
//! `4月26日`). They become the same [`Spec::Calendar`] as `April 26, 2025`,
//! so a year-less one follows the same partial-date rules.

use super::grammar::Spec;
use super::tokens::{Kind, Token};

/// The part of a date a sign after a number names.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Part {
    Year,
    Month,
    Day,
}

/// The part named by the word glued after a number (`年`/`년`, `月`/`월`,
/// `日`/`号`/`일`); Korean particles may follow the sign (`26일에`).
fn part_after(tokens: &[Token<'_>], k: usize) -> Option<Part> {
    let sign = tokens.get(k).filter(|t| t.kind == Kind::Word && !t.spaced)?;
    match sign.text.chars().next()? {
        '年' | '년' => Some(Part::Year),
        '月' | '월' => Some(Part::Month),
        '日' | '号' | '일' => Some(Part::Day),
        _ => None,
    }
}

/// The date that starts at token `i` (a number), with the token index just
/// past it; at least a month is needed (a bare `2025年` is left to the
/// year rules).
pub(super) fn calendar_at(tokens: &[Token<'_>], i: usize) -> Option<(usize, Spec)> {
    part_after(tokens, i + 1)?;
    let (mut year, mut month, mut day) = (None, None, None);
    let mut last: Option<Part> = None;
    let mut k = i;
    while let Some(part) =
        tokens.get(k).filter(|t| t.kind == Kind::Number).and(part_after(tokens, k + 1))
    {
        if last.is_some_and(|l| l >= part) {
            break;
        }
        let value = tokens[k].value;
        match part {
            Part::Year if tokens[k].digits() == 4 => year = i32::try_from(value).ok(),
            Part::Month if (1..=12).contains(&value) => month = u8::try_from(value).ok(),
            Part::Day if (1..=31).contains(&value) => day = u8::try_from(value).ok(),
            _ => break,
        }
        last = Some(part);
        k += 2;
    }
    month?;
    Some((k, Spec::Calendar { year, month, day }))
}

#[cfg(test)]
mod tests {
    use crate::extract::dates::extract;

    fn values(text: &str) -> Vec<(String, String)> {
        extract(text, None).into_iter().map(|m| (m.text, m.value)).collect()
    }

    fn pair(text: &str, value: &str) -> (String, String) {
        (text.to_string(), value.to_string())
    }

    #[test]
    fn chinese_and_korean_dates() {
        assert_eq!(values("2025年4月26日，中国外交部长"), [pair("2025年4月26日", "2025-04-26")]);
        assert_eq!(values("2025년 4월 26일 북한과"), [pair("2025년 4월 26일", "2025-04-26")]);
        assert_eq!(values("회의는 2024년 8월에 열렸다"), [pair("2024년 8월에", "2024-08")]);
        assert_eq!(values("4月26日"), [pair("4月26日", "XXXX-04-26")]);
        assert!(values("13月40日").is_empty());
    }

    #[test]
    fn russian_and_ukrainian_dates() {
        assert_eq!(
            values("Встреча состоялась 26 апреля 2025 года в Москве"),
            [pair("26 апреля 2025", "2025-04-26")]
        );
        assert_eq!(values("с 6 августа 2024 года"), [pair("6 августа 2024", "2024-08-06")]);
        assert_eq!(values("26 квітня 2025 року"), [pair("26 квітня 2025", "2025-04-26")]);
        assert_eq!(values("к 9 мая"), [pair("9 мая", "XXXX-05-09")]);
    }
}
