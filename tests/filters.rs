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
fn a_publication_date_filter_on_undated_text_says_why_it_finds_nothing() {
    let output = search_bundled(&["--published-from", "2024", "Korea"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("no document in the index has a publication date"), "{stderr}");
    assert!(stderr.contains("--from/--to/--on"), "{stderr}");
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
fn year_and_decade_mentions_overlap_ranges_with_dates_overlap() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe treaty was signed in 2021 by both sides.\n\nIn the 1990s the plant closed.\n\nNothing dated here.\n");
    let run = |from: &str, to: &str| {
        let args = ["search", "--json", "--dates", "overlap", "--from", from, "--to", to];
        let out = corpus.lede().args(args).output().unwrap();
        json_lines(&out.stdout).into_iter().map(|h| h["para"].as_u64().unwrap()).collect::<Vec<_>>()
    };
    assert_eq!(run("2021-06-01", "2021-06-30"), [1]);
    assert_eq!(run("1995-03", "1995-03"), [2]);
    // Filters only: in date order, the 1990s first.
    assert_eq!(run("1980", "2030"), [2, 1]);
    assert!(run("2022", "2023").is_empty());
}

#[test]
fn bad_dates_are_one_clear_error() {
    let cases = [
        ("--from", "August"),
        ("--from", "2024-13"),
        ("--to", "2024-02-30"),
        ("--on", "2023-02-29"),
        ("--from", "24-01-01"),
        ("--published-from", "2024-1-1x"),
        ("--published-to", "2024-257"),
        ("--to", "2024-01-257"),
        ("--on", "02-30"),
    ];
    for (option, value) in cases {
        let output = search_bundled(&[option, value, "Kursk"]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{option} {value}");
        assert!(output.stdout.is_empty());
        let stderr = String::from_utf8_lossy(&output.stderr);
        let line = stderr.lines().next().unwrap_or_default();
        assert!(line.contains(&format!("'{value}'")), "{line}");
        assert!(line.contains(option) && line.contains("YYYY, YYYY-MM or YYYY-MM-DD"), "{line}");
    }
    // One-digit months and days are dates, not typos.
    search_bundled(&["--from", "2024-8-6", "--to", "2025-4-26", "-c"]).assert().success();
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

/// A file whose paragraphs mention a day, a month, a year and a decade,
/// in no date order.
fn dated_corpus() -> Corpus {
    let corpus = Corpus::new();
    corpus.create(
        "markets.txt",
        "Markets review\n\n\
         The board met on March 19, 1987 to discuss the shares, shares and more shares.\n\n\
         Shares fell on March 18, 1987, after the report.\n\n\
         The company was founded in 1987 with three shares.\n\n\
         Sales of shares rose in March 1987.\n\n\
         In the 1980s the market for shares boomed.\n\n\
         Nothing dated here about shares.\n",
    );
    corpus
}

fn paras(corpus: &Corpus, args: &[&str]) -> Vec<u64> {
    let out =
        corpus.lede().args(["search", "--json", "--per-file", "0"]).args(args).output().unwrap();
    json_lines(&out.stdout).into_iter().map(|h| h["para"].as_u64().unwrap()).collect()
}

#[test]
fn a_filter_matches_mentions_at_its_precision_or_finer() {
    let corpus = dated_corpus();
    // A day: only that day; "1987" and "March 1987" are not on it.
    assert_eq!(paras(&corpus, &["--on", "1987-03-18"]), [2]);
    // A month: its days and itself.
    assert_eq!(paras(&corpus, &["--on", "1987-03", "--sort", "relevance"]), [1, 2, 4]);
    // A year: anything inside it, but not the decade around it.
    assert_eq!(paras(&corpus, &["--on", "1987", "--sort", "relevance"]), [1, 2, 3, 4]);
    assert_eq!(
        paras(&corpus, &["--from", "1980", "--to", "1989", "--sort", "relevance"]),
        [1, 2, 3, 4, 5]
    );
    assert_eq!(paras(&corpus, &["--from", "1987-03-18", "--to", "1987-03-31"]), [2, 1]);
    // The wide reading: every period sharing a day with the range.
    let overlap =
        paras(&corpus, &["--dates", "overlap", "--on", "1987-03-18", "--sort", "relevance"]);
    assert_eq!(overlap, [2, 3, 4, 5]);
}

#[test]
fn filter_only_searches_list_passages_in_date_order() {
    let corpus = dated_corpus();
    // Each passage by the earliest day it mentions in the range: the year
    // from its first day, the month from the 1st.
    assert_eq!(paras(&corpus, &["--on", "1987"]), [3, 4, 2, 1]);
    assert_eq!(paras(&corpus, &["--on", "1987", "--sort", "date"]), [3, 4, 2, 1]);
    // With words, relevance stays the order: the latest date says
    // "shares" three times.
    let ranked = paras(&corpus, &["shares", "--on", "1987"]);
    assert_eq!((ranked.len(), ranked[0]), (4, 1), "{ranked:?}");
}

#[test]
fn the_timeline_says_what_it_left_out() {
    let corpus = dated_corpus();
    corpus.create("later.txt", "Later\n\nThe vote is on November 7, whatever the year.\n");
    let output = corpus.lede().args(["dates", "--by", "month"]).output().unwrap();
    assert!(output.status.success());
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(stdout.starts_with("1987-03 "), "{stdout}");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("2 mentions of a year or longer and 1 without a year"), "{stderr}");
}
