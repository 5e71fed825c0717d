//! `lede show` output: a header with `path:line` and the file's title, the
//! passage between its neighbouring paragraphs (each with its paragraph and
//! line numbers, the passage marked with `>`), then the passage's entities
//! and dates.

use std::io::{self, Write};

use crate::extract::dates::DateMention;
use crate::search::passages::Paragraph;

const BOLD: &str = "\x1b[1m";
const MAGENTA: &str = "\x1b[35m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

/// Writes `window` (consecutive paragraphs) with `target` marked.
pub(crate) fn write_passage<W: Write>(
    out: &mut W,
    path: &str,
    title: &str,
    window: &[Paragraph],
    target: &Paragraph,
    color: bool,
) -> io::Result<()> {
    let at = super::target(target.para, target.line, target.page);
    if color {
        writeln!(out, "{MAGENTA}{path}{RESET}:{at}  {BOLD}{title}{RESET}")?;
    } else {
        writeln!(out, "{path}:{at}  {title}")?;
    }
    for paragraph in window {
        let is_target = paragraph.para == target.para;
        let mark = if is_target { '>' } else { ' ' };
        let label = match super::place(paragraph.line, paragraph.page) {
            Some(place) => format!("{mark} [{} {place}]", paragraph.para),
            None => format!("{mark} [{}]", paragraph.para),
        };
        match (color, is_target) {
            (true, true) => writeln!(out, "{BOLD}{label} {}{RESET}", paragraph.text)?,
            (true, false) => writeln!(out, "{DIM}{label}{RESET} {}", paragraph.text)?,
            (false, _) => writeln!(out, "{label} {}", paragraph.text)?,
        }
    }
    let named: Vec<String> = target
        .entities
        .iter()
        .filter(|(_, names)| !names.is_empty())
        .map(|(kind, names)| format!("{}: {}", kind.name(), names.join(", ")))
        .collect();
    writeln!(
        out,
        "  entities: {}",
        if named.is_empty() { "none".into() } else { named.join("; ") }
    )?;
    let dates: Vec<String> = target.dates.iter().map(describe_date).collect();
    writeln!(out, "  dates: {}", if dates.is_empty() { "none".into() } else { dates.join("; ") })
}

/// `"April 26, 2025" = 2025-04-26 (day)`.
fn describe_date(mention: &DateMention) -> String {
    format!("\"{}\" = {} ({})", mention.text, mention.value, mention.precision.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extract::dates::Precision;
    use crate::extract::entities::EntityKind;
    use crate::search::Entities;

    #[test]
    fn marks_the_passage_and_lists_entities_and_dates() {
        let para = |para: u32, text: &str| Paragraph {
            para,
            line: para * 2 + 1,
            page: None,
            text: text.to_string(),
            lang: "en".to_string(),
            entities: Entities::default(),
            dates: Vec::new(),
        };
        let mut target = para(2, "middle");
        target.entities[EntityKind::Person] = vec!["Valery Gerasimov".into()];
        target.dates = vec![DateMention {
            text: "April 26, 2025".into(),
            start: 3,
            end: 17,
            value: "2025-04-26".into(),
            precision: Precision::Day,
        }];
        let window = [para(1, "before"), target.clone(), para(3, "after")];
        let mut out = Vec::new();
        write_passage(&mut out, "a.txt", "Title", &window, &target, false).unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a.txt:5  Title\n  [1 line 3] before\n> [2 line 5] middle\n  [3 line 7] after\n  \
             entities: person: Valery Gerasimov\n  dates: \"April 26, 2025\" = 2025-04-26 (day)\n"
        );
    }
}
