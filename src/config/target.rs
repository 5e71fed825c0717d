//! The targets of `lede show`: `PATH`, `PATH:LINE`, `PATH:pN` or
//! `PATH:page N` as typed, or a line of `lede search` output in any format
//! piped in, read into a file and a place in it.

use std::path::Path;

/// Which paragraph of a file to show.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum At {
    /// The title (paragraph 0).
    Title,
    /// The paragraph holding this 1-based line.
    Line(u32),
    /// Paragraph number.
    Para(u32),
    /// The first paragraph of a PDF page.
    Page(u32),
}

/// A file and a place in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Target {
    pub path: String,
    pub at: At,
}

/// The file's path relative to the corpus root (`/`-separated): a path that
/// exists is resolved against the corpus folder, anything else is taken as
/// already relative to it.
/// A document inside a file keeps its `#part`.
pub(crate) fn corpus_relative(corpus: &Path, path: &str) -> String {
    let (file, part) = match path.rsplit_once('#') {
        Some((file, part)) if !Path::new(path).exists() => (file, Some(part)),
        _ => (path, None),
    };
    let mut relative = file.trim_start_matches("./").to_string();
    if let Ok(full) = Path::new(file).canonicalize() {
        if let Ok(rel) = full.strip_prefix(corpus) {
            let parts: Vec<String> =
                rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
            relative = parts.join("/");
        }
    }
    match part {
        Some(part) => format!("{relative}#{part}"),
        None => relative,
    }
}

/// Reads a target from a command-line argument or a line of piped output:
/// a `--json` hit, a `--tsv` line, a human header `1. path:line  title`, or
/// `PATH`, `PATH:LINE`, `PATH:pN`. Passage lines of human output (indented)
/// and blank lines give `None`.
pub(crate) fn parse_target(line: &str) -> Option<Target> {
    let trimmed = line.trim_end_matches(['\r', '\n']);
    if trimmed.trim().is_empty() || trimmed.starts_with(char::is_whitespace) {
        return None;
    }
    if trimmed.starts_with('{') {
        let hit: serde_json::Value = serde_json::from_str(trimmed).ok()?;
        let path = hit["path"].as_str().or(hit["doc"].as_str())?.to_string();
        let at = hit["para"].as_u64().map_or(At::Title, |p| At::Para(p as u32));
        return Some(Target { path, at });
    }
    if trimmed.contains('\t') {
        let columns: Vec<&str> = trimmed.split('\t').collect();
        let line = columns.get(3)?.parse().ok()?;
        return Some(Target { path: columns.get(2)?.to_string(), at: At::Line(line) });
    }
    let mut text = trimmed;
    if let Some((rank, rest)) = text.split_once(". ") {
        if !rank.is_empty() && rank.chars().all(|c| c.is_ascii_digit()) {
            text = rest.split("  ").next().unwrap_or(rest);
        }
    }
    if let Some((path, place)) = text.rsplit_once(':') {
        if let Ok(line) = place.parse() {
            return Some(Target { path: path.to_string(), at: At::Line(line) });
        }
        if let Some(Ok(para)) = place.strip_prefix('p').map(str::parse) {
            return Some(Target { path: path.to_string(), at: At::Para(para) });
        }
        if let Some(Ok(page)) = place.strip_prefix("page ").map(str::parse) {
            return Some(Target { path: path.to_string(), at: At::Page(page) });
        }
    }
    Some(Target { path: text.to_string(), at: At::Title })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn target(path: &str, at: At) -> Option<Target> {
        Some(Target { path: path.to_string(), at })
    }

    #[test]
    fn parse_target_table() {
        let cases = [
            ("a/b.txt", target("a/b.txt", At::Title)),
            ("a/b.txt:27", target("a/b.txt", At::Line(27))),
            ("a/b.txt:p14", target("a/b.txt", At::Para(14))),
            ("1. r.pdf:page 3  Annual report", target("r.pdf", At::Page(3))),
            ("d.jsonl#4:p2", target("d.jsonl#4", At::Para(2))),
            ("1. data/x.txt:21  Covert: Operation", target("data/x.txt", At::Line(21))),
            ("12. my file.txt:3  Title  with gaps", target("my file.txt", At::Line(3))),
            ("1\t3.2100\tdata/x.txt\t21\tThe passage", target("data/x.txt", At::Line(21))),
            (
                r#"{"path":"data/x.txt","doc":"x.txt","para":14,"line":27}"#,
                target("data/x.txt", At::Para(14)),
            ),
            ("   an indented passage line", None),
            ("", None),
        ];
        for (line, expected) in cases {
            assert_eq!(parse_target(line), expected, "{line}");
        }
    }
}
