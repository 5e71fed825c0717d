//! `lede entities` and `lede dates` output: a table of names and a text
//! histogram of periods for people, JSON Lines for scripts.

use std::io::{self, Write};

use super::json::write_lines;
use crate::search::counts::{EntityCount, PeriodCount};

/// Width of the longest histogram bar.
const BAR_WIDTH: usize = 50;

/// Writes the names, most mentioned first: a table, or one JSON line each.
pub(crate) fn write_entities<W: Write>(
    out: &mut W,
    list: &[EntityCount],
    json: bool,
) -> io::Result<()> {
    if json {
        return write_lines(out, list);
    }
    writeln!(out, "{:>6} {:>5}  {:<6}  name", "paras", "files", "type")?;
    for entry in list {
        let kind = entry.kind.name();
        writeln!(out, "{:>6} {:>5}  {:<6}  {}", entry.paragraphs, entry.files, kind, entry.name)?;
    }
    Ok(())
}

/// Writes the periods in order: a bar per period scaled to the busiest, or
/// one JSON line each.
pub(crate) fn write_timeline<W: Write>(
    out: &mut W,
    periods: &[PeriodCount],
    json: bool,
) -> io::Result<()> {
    if json {
        return write_lines(out, periods);
    }
    let max = periods.iter().map(|p| p.paragraphs).max().unwrap_or(1);
    for period in periods {
        let bar = (period.paragraphs * BAR_WIDTH).div_ceil(max);
        writeln!(out, "{:<10} {:>6} {}", period.period, period.paragraphs, "█".repeat(bar))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::entities::EntityKind;

    #[test]
    fn entities_table_and_timeline_bars() {
        let list = [EntityCount {
            name: "Tony Blair".to_string(),
            kind: EntityKind::Person,
            paragraphs: 12,
            files: 3,
        }];
        let mut out = Vec::new();
        write_entities(&mut out, &list, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            " paras files  type    name\n    12     3  person  Tony Blair\n"
        );
        let periods = [
            PeriodCount { period: "2024-07".to_string(), paragraphs: 4 },
            PeriodCount { period: "2024-08".to_string(), paragraphs: 1 },
        ];
        let mut out = Vec::new();
        write_timeline(&mut out, &periods, false).unwrap();
        let expected =
            format!("2024-07         4 {}\n2024-08         1 {}\n", "█".repeat(50), "█".repeat(13));
        assert_eq!(String::from_utf8(out).unwrap(), expected);
    }
}
