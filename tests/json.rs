//! `--json` output: JSON Lines that validate against schema/hit.schema.json
//! and decode into typed hits.

use serde::Deserialize;

use crate::util::{bundled_corpus, json_lines, lede, search_bundled};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Hit {
    rank: usize,
    score: f64,
    path: String,
    doc: String,
    para: u32,
    line: u32,
    #[serde(default)]
    page: Option<u32>,
    #[serde(default)]
    record: Option<u64>,
    #[serde(default)]
    published: Option<String>,
    lang: String,
    title: String,
    text: String,
    highlights: Vec<Span>,
    entities: Entities,
    dates: Vec<serde_json::Value>,
    copies: Vec<String>,
    copy_count: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Span {
    start: usize,
    end: usize,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Entities {
    person: Vec<String>,
    org: Vec<String>,
    place: Vec<String>,
    misc: Vec<String>,
}

pub fn schema() -> jsonschema::Validator {
    let text = include_str!("../schema/hit.schema.json");
    let schema: serde_json::Value = serde_json::from_str(text).unwrap();
    jsonschema::validator_for(&schema).expect("a valid JSON Schema")
}

#[test]
fn every_line_validates_against_the_schema_and_decodes() {
    let validator = schema();
    let output =
        search_bundled(&["--json", "-n", "20", "--per-file", "0", "North Korean troops Kursk"])
            .output()
            .unwrap();
    assert!(output.status.success());
    let lines = json_lines(&output.stdout);
    assert_eq!(lines.len(), 20);
    for (i, value) in lines.iter().enumerate() {
        let errors: Vec<String> = validator.iter_errors(value).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "line {i}: {errors:?}");
        let hit: Hit = serde_json::from_value(value.clone()).unwrap();
        assert_eq!(hit.rank, i + 1);
        assert!(hit.score > 0.0);
        assert!(!hit.title.is_empty());
        assert!(hit.para > 0 || hit.text == hit.title);
        assert!(hit.copy_count >= hit.copies.len());
        assert!(hit.line >= 1);
        // Text files have lines, not pages or records, and no publication date.
        assert!(hit.page.is_none() && hit.record.is_none() && hit.published.is_none());
        // The bundled corpus is English news, its headlines included.
        assert_eq!(hit.lang, "en", "{hit:?}");
        assert!(!hit.highlights.is_empty(), "{hit:?}");
        for span in &hit.highlights {
            let marked = &hit.text[span.start..span.end];
            assert!(
                ["north", "korean", "troop", "kursk"]
                    .iter()
                    .any(|w| marked.to_lowercase().starts_with(w)),
                "highlight {marked:?}"
            );
        }
        let _ = (
            &hit.entities.person,
            &hit.entities.org,
            &hit.entities.place,
            &hit.entities.misc,
            &hit.dates,
        );
        assert!(hit.path.ends_with(&hit.doc));
    }
}

#[test]
fn path_opens_from_the_current_directory_and_line_points_at_the_paragraph() {
    let output = search_bundled(&["--json", "-n", "5", "1,500 special forces"]).output().unwrap();
    for hit in json_lines(&output.stdout) {
        let hit: Hit = serde_json::from_value(hit).unwrap();
        let file = std::fs::read_to_string(&hit.path).expect("path opens from here");
        let line = file.lines().nth(hit.line as usize - 1).unwrap();
        let words: Vec<&str> = hit.text.split_whitespace().take(4).collect();
        assert!(line.contains(&words.join(" ")), "{line:?} vs {:?}", hit.text);
    }
}

#[test]
fn json_paths_are_relative_when_the_corpus_is_below_the_current_directory() {
    let output = lede()
        .current_dir(bundled_corpus().parent().unwrap())
        .arg("--index")
        .arg(crate::util::bundled_index())
        .args(["search", "--json", "-n", "1", "Yonhap"])
        .output()
        .unwrap();
    let hit: Hit = serde_json::from_value(json_lines(&output.stdout).remove(0)).unwrap();
    assert_eq!(hit.path, format!("corpus/{}", hit.doc));
}
