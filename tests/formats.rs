//! Formats other than text: each fixture of `tests/data/formats` is
//! indexed, found by its unique word, located, dated and shown; bad input
//! is reported with its path and the run goes on.

use std::path::Path;

use crate::util::{json_lines, Corpus};

fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/formats").join(name);
    std::fs::read(path).expect("fixture")
}

/// A corpus holding every fixture, indexed; returns the index's stderr.
fn indexed_fixtures() -> (Corpus, String) {
    let corpus = Corpus::new();
    for name in ["harbour-strike.html", "wire-dump.jsonl"] {
        corpus.create(&format!("saved/{name}"), fixture(name));
    }
    corpus.create("notes.txt", "Notes\n\nNothing here yet.\n");
    let output = corpus.lede().arg("index").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    (corpus, stderr)
}

fn search_json(corpus: &Corpus, args: &[&str]) -> Vec<serde_json::Value> {
    let output = corpus.lede().arg("search").arg("--json").args(args).output().unwrap();
    json_lines(&output.stdout)
}

#[test]
fn html_main_text_is_indexed_dated_and_shown() {
    let (corpus, stderr) = indexed_fixtures();
    assert!(stderr.contains("documents read: text 1, HTML 1, JSON 2"), "{stderr}");
    let hits = search_json(&corpus, &["quillmarrow"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc"], "saved/harbour-strike.html");
    assert_eq!(hits[0]["title"], "Harbour strike ends after nine days");
    assert_eq!(hits[0]["published"], "2024-08-06");
    // Boilerplate and scripts are not indexed.
    for word in ["cookies", "trackingscriptword", "Copyright", "walkout"] {
        assert!(search_json(&corpus, &[word]).is_empty(), "{word} was indexed");
    }
    let para = hits[0]["para"].as_u64().unwrap();
    let shown = corpus
        .lede()
        .args(["show", &format!("saved/harbour-strike.html:p{para}")])
        .output()
        .unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.contains("quillmarrow-class vessels"), "{shown}");
}

#[test]
fn json_lines_records_are_addressed_by_line_and_bad_lines_reported() {
    let (corpus, stderr) = indexed_fixtures();
    assert!(stderr.contains("wire-dump.jsonl#2: invalid JSON"), "{stderr}");
    let hits = search_json(&corpus, &["zephyrantine"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc"], "saved/wire-dump.jsonl#3");
    assert_eq!(hits[0]["record"], 3);
    assert_eq!(hits[0]["title"], "Copper price record");
    assert_eq!(hits[0]["published"], "2024-09-04");
    let shown = corpus.lede().args(["show", "saved/wire-dump.jsonl#3:p1"]).output().unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("zephyrantine shortage"));
}

#[test]
fn publication_dates_filter_and_sort() {
    let (corpus, _) = indexed_fixtures();
    let docs = |args: &[&str]| -> Vec<String> {
        search_json(&corpus, args).iter().map(|h| h["doc"].as_str().unwrap().to_string()).collect()
    };
    let august = docs(&[
        "--published-from",
        "2024-08",
        "--published-to",
        "2024-08",
        "--per-file",
        "1",
        "harbour",
    ]);
    assert_eq!(august, ["saved/harbour-strike.html"]);
    assert!(docs(&["--published-from", "2024-09", "harbour"]).is_empty());
    let newest_first =
        docs(&["--sort", "published", "--per-file", "1", "port OR copper OR harbour"]);
    assert_eq!(
        newest_first,
        ["saved/wire-dump.jsonl#3", "saved/harbour-strike.html", "saved/wire-dump.jsonl#1"]
    );
}

#[test]
fn a_changed_multi_document_file_replaces_all_its_documents() {
    let (corpus, _) = indexed_fixtures();
    corpus.create(
        "saved/wire-dump.jsonl",
        "{\"title\": \"Only record\", \"text\": \"A single replacement record about tin.\"}\n",
    );
    corpus.lede().arg("index").assert().success();
    assert!(search_json(&corpus, &["zephyrantine"]).is_empty());
    let hits = search_json(&corpus, &["tin"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["doc"], "saved/wire-dump.jsonl#1");
}

#[test]
fn extract_prints_what_would_be_indexed() {
    let corpus = Corpus::new();
    let page = corpus.create("page.html", fixture("harbour-strike.html"));
    let output = crate::util::lede().arg("extract").arg("--json").arg(&page).output().unwrap();
    assert!(output.status.success());
    let docs = json_lines(&output.stdout);
    assert_eq!(docs.len(), 1);
    assert_eq!(docs[0]["title"], "Harbour strike ends after nine days");
    assert_eq!(docs[0]["published"], "2024-08-06");
    assert_eq!(docs[0]["author"], "Marta Quillfeather");
    assert_eq!(docs[0]["url"], "https://ledger.example/2024/08/harbour-strike");
    let paragraphs = docs[0]["paragraphs"].as_array().unwrap();
    assert_eq!(paragraphs[0]["para"], 0);
    assert!(paragraphs.iter().any(|p| p["text"].as_str().unwrap().contains("quillmarrow")));
}

#[test]
fn bad_html_is_reported_and_the_run_goes_on() {
    let corpus = Corpus::new();
    corpus.create("empty.html", "<html><head><title>Nothing</title></head></html>");
    // 20 MB of markup: over the HTML size cap, skipped without parsing.
    let huge = format!("<html><body>{}</body></html>", "<div><span>x</span></div>".repeat(800_000));
    corpus.create("huge.html", huge);
    corpus.create("good.txt", "Good file\n\nThe word plinthwater is here.\n");
    let output = corpus.lede().arg("index").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("empty.html: no article text found"), "{stderr}");
    assert!(stderr.contains("huge.html: larger than 16 MiB, skipped"), "{stderr}");
    assert_eq!(search_json(&corpus, &["plinthwater"]).len(), 1);
    // Reported once: a second run does not read them again.
    let again = corpus.lede().arg("index").output().unwrap();
    assert!(!String::from_utf8_lossy(&again.stderr).contains("empty.html"));
}

#[test]
fn a_pdf_named_html_is_read_as_a_pdf_with_a_note() {
    let corpus = Corpus::new();
    corpus.create("report.html", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n");
    let output = crate::util::lede().arg("extract").arg(corpus.path().join("report.html")).output();
    let stderr = String::from_utf8_lossy(&output.unwrap().stderr).into_owned();
    assert!(stderr.contains("report.html") && stderr.contains("PDF"), "{stderr}");
}
