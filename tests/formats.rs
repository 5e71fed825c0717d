//! Formats other than text: each fixture of `tests/data/formats` is
//! indexed, found by its unique word, located, dated and shown; bad input
//! is reported with its path and the run goes on.

use std::path::Path;

use crate::util::{json_lines, Corpus};

/// A file of `tests/data/` (its README says how each was made).
fn fixture(name: &str) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name);
    std::fs::read(path).expect("fixture")
}

/// Adds the HTML page and the JSON Lines dump of `tests/data/formats` and a
/// text file to `corpus`.
fn add_saved_pages(corpus: &Corpus) {
    for name in ["harbour-strike.html", "wire-dump.jsonl"] {
        corpus.create(&format!("saved/{name}"), fixture(&format!("formats/{name}")));
    }
    corpus.create("notes.txt", "Notes\n\nNothing here yet.\n");
}

/// Runs `lede index`, which must succeed; returns its stderr.
fn index_ok(corpus: &Corpus) -> String {
    let output = corpus.lede().arg("index").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    stderr
}

/// A corpus holding every fixture, indexed; returns the index's stderr.
fn indexed_fixtures() -> (Corpus, String) {
    let corpus = Corpus::new();
    add_saved_pages(&corpus);
    let stderr = index_ok(&corpus);
    (corpus, stderr)
}

fn search_json(corpus: &Corpus, args: &[&str]) -> Vec<serde_json::Value> {
    let output = corpus.lede().arg("search").arg("--json").args(args).output().unwrap();
    json_lines(&output.stdout)
}

#[test]
fn html_main_text_is_indexed_dated_and_shown() {
    let (corpus, stderr) = indexed_fixtures();
    assert!(stderr.contains("documents read: text 1, HTML 1, JSON 2 (1 skipped)"), "{stderr}");
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
    // Dated documents exist, so an empty result gets no note about dates.
    let late = corpus.lede().args(["search", "--published-from", "2030", "harbour"]).output();
    let late = late.unwrap();
    assert_eq!(late.status.code(), Some(1));
    assert!(!String::from_utf8_lossy(&late.stderr).contains("publication date"));
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
    let page = corpus.create("page.html", fixture("formats/harbour-strike.html"));
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

/// One folder holding a file of every format, indexed; returns stderr.
fn every_format() -> (Corpus, String) {
    let corpus = Corpus::new();
    for (name, fixture_name) in [
        ("report.pdf", "two-columns.pdf"),
        ("memo.docx", "memo.docx"),
        ("mail/tip.eml", "tip.eml"),
        ("mail/digest.eml", "digest.eml"),
        ("mail/inbox.mbox", "inbox.mbox"),
        ("site.warc.gz", "site.warc.gz"),
    ] {
        corpus.create(name, fixture(fixture_name));
    }
    add_saved_pages(&corpus);
    let stderr = index_ok(&corpus);
    (corpus, stderr)
}

/// The one hit for `word`: its document is `doc`, dated `published`, found
/// with a publication-date filter around that day and not with one before
/// it, and `lede show` prints it.
fn assert_found(corpus: &Corpus, word: &str, doc: &str, published: &str) -> serde_json::Value {
    let hits = search_json(corpus, &[word]);
    assert_eq!(hits.len(), 1, "{word}: {hits:?}");
    let hit = hits[0].clone();
    assert_eq!(hit["doc"], doc, "{word}");
    assert_eq!(hit["published"], published, "{word}");
    let day = ["--published-from", published, "--published-to", published, word];
    assert_eq!(search_json(corpus, &day).len(), 1, "{word} on {published}");
    assert!(search_json(corpus, &["--published-to", "1999", word]).is_empty(), "{word}");
    let target = format!("{doc}:p{}", hit["para"]);
    let shown = corpus.lede().args(["show", &target]).output().unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    assert!(shown.to_lowercase().contains(word), "show {target}: {shown}");
    hit
}

#[test]
fn a_folder_of_every_format_reports_documents_read_and_skipped_per_format() {
    let (_, stderr) = every_format();
    assert!(
        stderr.contains(
            "documents read: text 1, HTML 1, PDF 1, DOCX 1, e-mail 3, mbox 2 (1 skipped), \
             JSON 2 (1 skipped), WARC 2"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("inbox.mbox#2: message 2 skipped"), "{stderr}");
}

#[test]
fn pdf_paragraphs_are_found_at_their_page() {
    let (corpus, _) = every_format();
    let hit = assert_found(&corpus, "zanzibarite", "report.pdf", "2000-01-01");
    assert_eq!((hit["page"].as_u64(), hit["line"].as_u64()), (Some(1), Some(0)));
    let hit = assert_found(&corpus, "dredging", "report.pdf", "2000-01-01");
    assert_eq!(hit["page"], 2);
    assert_eq!(hit["title"], "Harbour Authority Quarterly Report");
    let human = corpus.lede().args(["search", "dredging"]).output().unwrap();
    let human = String::from_utf8_lossy(&human.stdout);
    assert!(human.contains("report.pdf:page 2  Harbour Authority Quarterly Report"), "{human}");
    let shown = corpus.lede().args(["show", "report.pdf:page 2", "-C", "3"]).output().unwrap();
    let shown = String::from_utf8_lossy(&shown.stdout);
    let target = shown.lines().find(|line| line.starts_with('>'));
    assert!(target.is_some_and(|line| line.contains("page 2] On the second page")), "{shown}");
    assert!(shown.contains("dredging"), "{shown}");
    // The running header is dropped from every page: of every match (-n 0
    // keeps headline hits), only the title holds it.
    assert!(search_json(&corpus, &["\"quarterly report\"", "--per-file", "0", "-n", "0"])
        .iter()
        .all(|hit| hit["para"] == 0));
}

#[test]
fn docx_and_email_attachments_are_documents_of_their_own() {
    let (corpus, _) = every_format();
    assert_found(&corpus, "marlinspike", "mail/tip.eml", "2024-08-14");
    assert_found(&corpus, "cormorant", "mail/digest.eml", "2024-08-20");
    let hits = search_json(&corpus, &["--all-copies", "--per-file", "1", "quillwort"]);
    let mut docs: Vec<&str> = hits.iter().map(|h| h["doc"].as_str().unwrap()).collect();
    docs.sort_unstable();
    assert_eq!(docs, ["mail/tip.eml#memo.docx", "memo.docx"]);
    // The attachment is the same memo: one hit, the other listed as its copy.
    let folded = search_json(&corpus, &["--per-file", "1", "quillwort"]);
    assert_eq!(folded.len(), 1);
    let copy = if folded[0]["doc"] == "memo.docx" { "mail/tip.eml#memo.docx" } else { "memo.docx" };
    assert_eq!(folded[0]["copies"].as_array().unwrap().len(), 1);
    assert!(folded[0]["copies"][0].as_str().unwrap().ends_with(copy), "{}", folded[0]);
    for hit in &hits {
        assert_eq!(hit["title"], "Port tender memo");
        assert_eq!(hit["published"], "2024-03-05");
    }
    let shown = corpus.lede().args(["show", "mail/tip.eml#memo.docx:p1"]).output().unwrap();
    assert!(String::from_utf8_lossy(&shown.stdout).contains("Port tender memo"));
}

#[test]
fn mbox_messages_and_warc_pages_are_records_of_their_file() {
    let (corpus, _) = every_format();
    let hit = assert_found(&corpus, "wombat", "mail/inbox.mbox#3", "2024-09-04");
    assert_eq!(hit["record"], 3);
    assert_eq!(hit["title"], "Third message");
    let hit = assert_found(
        &corpus,
        "narwhal",
        "site.warc.gz#https://news.example.com/ferry",
        "2024-07-01",
    );
    assert_eq!(hit["title"], "Ferry fares");
    assert!(hit.get("record").is_none(), "a URI is no record number: {hit}");
    let human = corpus.lede().args(["search", "wombat"]).output().unwrap();
    assert!(String::from_utf8_lossy(&human.stdout).contains("mail/inbox.mbox#3:p1"));
}

#[test]
fn hits_of_every_format_validate_against_the_schema() {
    let (corpus, _) = every_format();
    let validator = crate::json::schema();
    let query = "zanzibarite OR quillwort OR wombat OR narwhal OR zephyrantine OR quillmarrow";
    let hits = search_json(&corpus, &["-n", "0", query]);
    assert!(hits.len() >= 7, "{hits:?}");
    for hit in &hits {
        let errors: Vec<String> = validator.iter_errors(hit).map(|e| e.to_string()).collect();
        assert!(errors.is_empty(), "{hit}: {errors:?}");
    }
    assert!(hits.iter().any(|h| h["page"].is_u64()) && hits.iter().any(|h| h["record"].is_u64()));
}

#[test]
fn bad_files_of_every_format_are_reported_once_and_the_run_goes_on() {
    let corpus = Corpus::new();
    for name in [
        "truncated.pdf",
        "encrypted.pdf",
        "not-a-zip.docx",
        "bomb.docx",
        "inbox.mbox",
        "truncated.warc.gz",
    ] {
        corpus.create(name, fixture(name));
    }
    corpus.create("wire-dump.jsonl", fixture("formats/wire-dump.jsonl"));
    corpus.create("empty.pdf", "");
    corpus.create("good.txt", "Good file\n\nThe word plinthwater is here.\n");
    let output = corpus.lede().arg("index").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    // Files that could not be indexed make the run exit 2 (README, exit status).
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    for (name, why) in [
        ("truncated.pdf", "truncated PDF"),
        ("encrypted.pdf", "encrypted PDF (password needed)"),
        ("not-a-zip.docx", "not a DOCX"),
        ("bomb.docx", "word/document.xml"),
        ("inbox.mbox#2", "message 2 skipped"),
        ("wire-dump.jsonl#2", "invalid JSON"),
        ("truncated.warc.gz#", "the archive breaks off"),
        ("empty.pdf", "empty file, nothing to index"),
    ] {
        let lines: Vec<&str> = stderr.lines().filter(|line| line.contains(name)).collect();
        assert_eq!(lines.len(), 1, "{name}: {stderr}");
        assert!(lines[0].contains(why), "{name}: {stderr}");
    }
    // The rest of each file, and the other files, are indexed.
    for word in ["plinthwater", "quokka", "wombat", "pelican", "zephyrantine"] {
        assert_eq!(search_json(&corpus, &[word]).len(), 1, "{word}");
    }
    // Skipped files are recorded: the next run does not report them again.
    let again = corpus.lede().arg("index").output().unwrap();
    let again = String::from_utf8_lossy(&again.stderr).into_owned();
    assert!(!again.contains("encrypted.pdf"), "{again}");
}

#[test]
fn a_scanned_pdf_is_reported_once_until_it_changes() {
    let corpus = Corpus::new();
    corpus.create("scan.pdf", fixture("scanned.pdf"));
    corpus.create("notes.txt", "Notes\n\nThe ledger mentions plinthwater.\n");
    let output = corpus.lede().arg("index").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    let reports = stderr.matches("scan.pdf: no text layer: scanned? run OCR first").count();
    assert_eq!(reports, 1, "{stderr}");
    assert!(stderr.contains("PDF 0 (1 skipped)"), "{stderr}");
    // Neither the next run nor a search's refresh reports it again.
    let again = corpus.lede().arg("index").output().unwrap();
    assert!(!String::from_utf8_lossy(&again.stderr).contains("scan.pdf"));
    let search = corpus.lede().args(["search", "plinthwater"]).output().unwrap();
    assert!(search.status.success());
    assert!(!String::from_utf8_lossy(&search.stderr).contains("scan.pdf"));
    // Once it has a text layer (OCR done), it is read.
    corpus.create("scan.pdf", fixture("two-columns.pdf"));
    let output = corpus.lede().arg("index").output().unwrap();
    assert!(output.status.success());
    assert_eq!(search_json(&corpus, &["zanzibarite"]).len(), 1);
}

#[test]
fn json_keys_named_by_options_are_kept_by_later_runs_and_searches() {
    let corpus = Corpus::new();
    let record = |word: &str, day: &str| {
        format!(
            "{{\"headline_en\": \"Ferry {word}\", \"story\": \"The {word} ferry sailed.\", \
             \"ts\": \"{day}\", \"permalink\": \"https://x.test/{word}\"}}\n"
        )
    };
    let dump = corpus.create("dump.jsonl", record("gannetmoor", "2024-05-01"));
    corpus.create("notes.txt", "Notes\n\nNothing here yet.\n");
    let output = corpus.lede().arg("index").output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(stderr.contains("dump.jsonl#1: no text under the keys text, content"), "{stderr}");
    assert!(search_json(&corpus, &["gannetmoor"]).is_empty());

    let keys = ["--json-text", "story", "--json-title", "headline_en", "--json-date", "ts"];
    let output = corpus.lede().arg("index").args(keys).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("the JSON keys changed"), "{stderr}");
    let hits = search_json(&corpus, &["--per-file", "1", "gannetmoor"]);
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0]["title"], "Ferry gannetmoor");
    assert_eq!(hits[0]["published"], "2024-05-01");

    // A record added later is read with the same keys, by `lede index` and
    // by the refresh a search makes.
    let mut text = std::fs::read_to_string(&dump).unwrap();
    text.push_str(&record("skuabrook", "2024-06-02"));
    std::fs::write(&dump, &text).unwrap();
    corpus.lede().arg("index").assert().success();
    assert_eq!(search_json(&corpus, &["skuabrook"])[0]["published"], "2024-06-02");
    text.push_str(&record("terncastle", "2024-07-03"));
    std::fs::write(&dump, &text).unwrap();
    assert_eq!(search_json(&corpus, &["terncastle"])[0]["title"], "Ferry terncastle");

    let output = crate::util::lede()
        .args(["extract", "--json", "--json-text", "story", "--json-url", "permalink"])
        .arg(&dump)
        .output()
        .unwrap();
    let docs = json_lines(&output.stdout);
    assert_eq!(docs.len(), 3);
    assert_eq!(docs[0]["url"], "https://x.test/gannetmoor");
    let paragraphs = docs[0]["paragraphs"].as_array().unwrap();
    assert!(paragraphs.iter().any(|p| p["text"] == "The gannetmoor ferry sailed."), "{docs:?}");
}
