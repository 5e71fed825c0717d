//! Date filters and the timeline on the bundled corpus and temporary corpora.

use predicates::prelude::*;

use crate::util::{json_lines, lede, search_bundled, Corpus};

fn hits(args: &[&str]) -> Vec<serde_json::Value> {
    let mut all = vec!["--json", "--per-file", "0", "-n", "100"];
    all.extend_from_slice(args);
    json_lines(&search_bundled(&all).output().unwrap().stdout)
}

fn texts(hits: &[serde_json::Value]) -> Vec<(String, String)> {
    hits.iter()
        .map(|h| (h["doc"].as_str().unwrap().to_string(), h["text"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn a_month_range_returns_day_and_month_mentions_inside_it() {
    let found = texts(&hits(&["--from", "2024-08", "--to", "2024-08"]));
    assert!(
        found
            .iter()
            .any(|(doc, text)| doc.starts_with("002_") && text.contains("since August 6, 2024")),
        "{found:?}"
    );
    assert!(
        found.iter().any(|(doc, text)| doc.starts_with("004_") && text.contains("August 2024")),
        "{found:?}"
    );
    assert!(found.iter().all(|(_, text)| text.contains("August")), "{found:?}");
}

#[test]
fn on_a_day_returns_that_day_and_json_carries_the_mention() {
    let hits = hits(&["--on", "2025-04-26"]);
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert!(hits[0]["doc"].as_str().unwrap().starts_with("002_"));
    assert!(hits[0]["text"].as_str().unwrap().contains("On April 26, 2025"));
    let date = &hits[0]["dates"][0];
    assert_eq!(date["value"], "2025-04-26");
    assert_eq!(date["precision"], "day");
    let text = hits[0]["text"].as_str().unwrap();
    let (start, end) =
        (date["start"].as_u64().unwrap() as usize, date["end"].as_u64().unwrap() as usize);
    assert_eq!(&text[start..end], date["text"].as_str().unwrap());
}

#[test]
fn a_year_less_date_is_partial_not_this_year() {
    let hits = hits(&["--on", "11-07"]);
    let hit = hits
        .iter()
        .find(|h| h["doc"].as_str().unwrap().starts_with("000_"))
        .expect("November 7 in 000_");
    let value = hit["dates"][0]["value"].as_str().unwrap();
    assert_eq!(value, "XXXX-11-07");
    assert!(self::hits(&["--from", "2026", "--to", "2026"]).is_empty());
}

#[test]
fn filters_combine_with_query_words() {
    let hits = hits(&["Kursk", "--from", "2024", "--to", "2025"]);
    assert!(!hits.is_empty());
    for hit in &hits {
        assert!(hit["text"].as_str().unwrap().contains("Kursk"));
        assert!(!hit["dates"].as_array().unwrap().is_empty());
    }
}

#[test]
fn year_and_decade_mentions_overlap_ranges() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe treaty was signed in 2021 by both sides.\n\nIn the 1990s the plant closed.\n\nNothing dated here.\n");
    let run = |from: &str, to: &str| {
        let out =
            corpus.lede().args(["search", "--json", "--from", from, "--to", to]).output().unwrap();
        json_lines(&out.stdout).into_iter().map(|h| h["para"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(run("2021-06-01", "2021-06-30"), [1]);
    assert_eq!(run("1995-03", "1995-03"), [2]);
    assert_eq!(run("1980", "2030"), [1, 2]);
    assert!(run("2022", "2023").is_empty());
}

#[test]
fn bad_dates_are_one_clear_error() {
    let output = search_bundled(&["--from", "August"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("--from") && stderr.contains("YYYY-MM-DD"), "{stderr}");
    search_bundled(&["--from", "2025", "--to", "2024"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("swap"));
}

#[test]
fn no_query_and_no_filter_is_an_error() {
    lede()
        .args(["search"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("nothing to search for"));
}

#[test]
fn timeline_counts_passages_per_period() {
    let output = crate::util::lede()
        .arg("--index")
        .arg(crate::util::bundled_index())
        .args(["dates", "--by", "month", "--json"])
        .output()
        .unwrap();
    let periods = json_lines(&output.stdout);
    let august = periods.iter().find(|p| p["period"] == "2024-08").expect("2024-08");
    assert_eq!(august["paragraphs"], 2);
    let keys: Vec<&str> = periods.iter().map(|p| p["period"].as_str().unwrap()).collect();
    let mut sorted = keys.clone();
    sorted.sort();
    assert_eq!(keys, sorted);
}
