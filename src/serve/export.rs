//! The current results as files: CSV for spreadsheets and JSON Lines with
//! the fields of `lede search --json`.

use crate::config::PathDisplay;
use crate::extract::entities::EntityKind;
use crate::render;
use crate::search::Hit;

/// The CSV columns, in order.
pub(super) const CSV_HEADER: [&str; 14] = [
    "rank",
    "score",
    "path",
    "doc",
    "para",
    "line",
    "page",
    "published",
    "title",
    "text",
    "person",
    "org",
    "place",
    "dates",
];

/// One CSV row per hit (RFC 4180 quoting; names joined with `; `). A cell
/// that a spreadsheet would run as a formula (`=`, `+`, `-`, `@`) starts
/// with `'`.
pub(super) fn csv(hits: &[Hit], display: &PathDisplay) -> Vec<u8> {
    let mut out = String::new();
    push_row(&mut out, CSV_HEADER.iter().map(|c| c.to_string()));
    for hit in hits {
        let dates: Vec<&str> = hit.dates.iter().map(|d| d.value.as_str()).collect();
        push_row(
            &mut out,
            [
                hit.rank.to_string(),
                format!("{:.4}", hit.score),
                display.show(&hit.doc),
                hit.doc.clone(),
                hit.para.to_string(),
                hit.line.to_string(),
                hit.page.map(|p| p.to_string()).unwrap_or_default(),
                hit.published.clone().unwrap_or_default(),
                hit.title.clone(),
                hit.text.clone(),
                hit.entities[EntityKind::Person].join("; "),
                hit.entities[EntityKind::Org].join("; "),
                hit.entities[EntityKind::Place].join("; "),
                dates.join("; "),
            ]
            .into_iter(),
        );
    }
    out.into_bytes()
}

fn push_row(out: &mut String, cells: impl Iterator<Item = String>) {
    for (i, cell) in cells.enumerate() {
        if i > 0 {
            out.push(',');
        }
        let guarded =
            if cell.starts_with(['=', '+', '-', '@']) { format!("'{cell}") } else { cell };
        out.push('"');
        out.push_str(&guarded.replace('"', "\"\""));
        out.push('"');
    }
    out.push_str("\r\n");
}

/// One JSON line per hit, exactly as `lede search --json` prints them.
pub(super) fn json_lines(hits: &[Hit], display: &PathDisplay) -> std::io::Result<Vec<u8>> {
    let mut out = Vec::new();
    render::json::write_hits(&mut out, hits, display)?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_and_formula_guard() {
        let mut out = String::new();
        push_row(&mut out, ["a \"b\", c".to_string(), "=SUM(A1)".to_string()].into_iter());
        assert_eq!(out, "\"a \"\"b\"\", c\",\"'=SUM(A1)\"\r\n");
    }
}
