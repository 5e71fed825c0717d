//! Bad input gets one clear line on stderr and exit status 2, never a panic.

use predicates::prelude::*;

use crate::util::{bundled_index, lede, search_bundled, Corpus};

fn one_line(stderr: &[u8]) -> String {
    let text = String::from_utf8_lossy(stderr).to_string();
    assert_eq!(text.trim_end().lines().count(), 1, "{text}");
    assert!(!text.contains("panicked") && !text.contains("backtrace"), "{text}");
    text
}

#[test]
fn a_query_that_does_not_parse() {
    let output = search_bundled(&["\"unclosed phrase"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = one_line(&output.stderr);
    assert!(line.starts_with("lede: cannot parse query"), "{line}");
}

#[test]
fn a_word_before_a_colon_that_is_no_field_is_text() {
    let output = search_bundled(&["nosuchfield:value"]).output().unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("cannot parse") && !stderr.contains("Field"), "{stderr}");
}

/// Pasted text keeps its brackets and bullets: they are text, not syntax.
#[test]
fn pasted_brackets_and_bullets_are_searched_as_written() {
    for query in ["- approximately [5,000] North Korean engineers", "{5,000} engineers [sic]"] {
        let output = search_bundled(&["-n", "1", query]).output().unwrap();
        assert_eq!(output.status.code(), Some(0), "{query}: {}", one_line(&output.stderr));
        let hits = String::from_utf8_lossy(&output.stdout);
        assert!(hits.contains("000_45b7c3c7b98d9dfb.txt:21"), "{query}: {hits}");
    }
}

#[test]
fn a_missing_corpus() {
    let output =
        lede().args(["--corpus", "/nonexistent/articles", "search", "x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = one_line(&output.stderr);
    assert!(line.contains("/nonexistent/articles") && line.contains("does not exist"), "{line}");
    assert!(!line.contains("data/corpus") && !line.contains("repository"), "{line}");
}

#[test]
fn no_bundled_corpus_in_the_current_directory() {
    let dir = tempfile::tempdir().unwrap();
    let output = lede().current_dir(dir.path()).args(["search", "x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = one_line(&output.stderr);
    assert!(line.contains("no lede index in") && line.contains("lede index DIR"), "{line}");
    assert!(!line.contains("data/corpus") && !line.contains("repository"), "{line}");
}

#[test]
fn a_corpus_with_no_readable_files() {
    let corpus = Corpus::new();
    corpus.create("photo.png", "not an article");
    let output = corpus.lede().args(["search", "x"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("no file lede reads"), "{stderr}");
}

/// Garbled postings make tantivy panic inside a search: the user gets one
/// line naming the cause and the command that rebuilds, not a backtrace.
#[test]
fn a_garbled_index_file_gets_one_line_that_names_the_rebuild() {
    let corpus = Corpus::new();
    for i in 0..200 {
        let text = format!("Report {i}\n\nKursk troops moved {i} km with unit{i}.\n");
        corpus.create(&format!("a{i}.txt"), text);
    }
    corpus.lede().arg("index").assert().success();
    let postings = std::fs::read_dir(corpus.path().join(".lede"))
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .find(|path| path.extension().is_some_and(|ext| ext == "idx"))
        .expect("a postings file");
    let mut bytes = std::fs::read(&postings).unwrap();
    // Its middle, not its footer (a bad footer is caught when opening).
    let middle = bytes.len() - 300;
    let mut state = 0x2545_f491_u32;
    for byte in &mut bytes[16..middle] {
        state = state.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        *byte = (state >> 16) as u8;
    }
    std::fs::write(&postings, bytes).unwrap();
    let output = corpus
        .lede()
        .env_remove("RUST_BACKTRACE")
        .args(["search", "--no-refresh", "Kursk troops"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.starts_with("lede: ") && stderr.contains("lede index --rebuild"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn an_index_from_an_incompatible_version() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nSome text.\n");
    corpus.lede().arg("index").assert().success();
    let manifest = corpus.path().join(".lede/lede.json");
    let text = std::fs::read_to_string(&manifest).unwrap();
    let mut value: serde_json::Value = serde_json::from_str(&text).unwrap();
    value["format"] = serde_json::json!(0);
    std::fs::write(&manifest, value.to_string()).unwrap();
    // Without indexing allowed, the error says what to run.
    let output = corpus.lede().args(["search", "--no-refresh", "text"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let line = one_line(&output.stderr);
    assert!(line.contains("incompatible") && line.contains("--rebuild"), "{line}");
    // A search that may index rebuilds the index from the corpus and finds.
    let output = corpus.lede().args(["search", "text"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("built by another version of lede"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).contains("Some text."));
    let text = std::fs::read_to_string(&manifest).unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    assert_ne!(value["format"], 0, "{value}");
    // So does `lede index`, once the index is old again.
    let mut old = value.clone();
    old["format"] = serde_json::json!(0);
    std::fs::write(&manifest, old.to_string()).unwrap();
    let output = corpus.lede().arg("index").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    corpus.lede().args(["search", "--no-refresh", "text"]).assert().success();
}

#[test]
fn unknown_option_is_a_usage_error() {
    lede()
        .args(["index", "--frobnicate"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--frobnicate"));
}

/// A grep habit (`-v`, `-i`) is refused, not searched as an excluded letter.
#[test]
fn an_unknown_letter_option_of_a_search_is_a_usage_error() {
    for command in ["search", "entities", "dates"] {
        lede()
            .arg("--index")
            .arg(bundled_index())
            .args([command, "Kursk", "-v"])
            .assert()
            .code(2)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains("unexpected argument '-v'"));
    }
}

#[test]
fn parse_errors_say_what_is_wrong_and_where() {
    for (query, expected) in [
        ("\"special forces", "unclosed `\"` at column 1"),
        ("(Putin OR Kim", "unclosed `(` at column 1"),
        ("Putin OR Kim)", "unmatched `)` at column 13"),
        ("-Kursk", "it only excludes words"),
        ("NOT Kursk", "it only excludes words"),
    ] {
        let output = search_bundled(&[query]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{query}");
        let line = one_line(&output.stderr);
        assert!(line.contains(expected), "{query}: {line}");
    }
}

#[test]
fn an_empty_quoted_query_says_the_query_is_empty() {
    for query in ["\"\"", "\" \"", "''"] {
        let output = search_bundled(&[query]).output().unwrap();
        assert_eq!(output.status.code(), Some(2), "{query}");
        assert!(one_line(&output.stderr).contains("the query is empty"), "{query}");
    }
}
