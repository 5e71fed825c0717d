//! `lede export` and `lede search --remote` against the stub engine of
//! `stub.rs`: definitions and NDJSON compared with checked-in golden files,
//! pushes with retries, partial failures and incremental changes.

use std::fs;
use std::path::Path;

use serde_json::Value;

use crate::stub::Stub;
use crate::util::{bundled_index, json_lines, lede, Corpus};

fn golden(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(name);
    fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.assert().success().get_output().stdout.clone()).expect("UTF-8")
}

#[test]
fn mappings_match_the_checked_in_definitions() {
    let opensearch = stdout_of(lede().args(["export", "--mapping", "opensearch"]));
    assert_eq!(opensearch, golden("schema/export/opensearch.json"));
    let elasticsearch = stdout_of(lede().args(["export", "--mapping", "elasticsearch"]));
    assert_eq!(elasticsearch, opensearch);
    let quickwit = stdout_of(lede().args(["export", "--mapping", "quickwit"]));
    assert_eq!(quickwit, golden("schema/export/quickwit.yaml"));
    let body: Value = serde_json::from_str(&opensearch).expect("valid JSON");
    let properties = body["mappings"]["properties"].as_object().expect("properties");
    // Every field lede stores (schema/fields.json) is named, except the
    // local modification time, the fingerprints that fold copies, the key
    // the index is sorted by and the per-language stems (not exported yet);
    // text_exact is the text.exact subfield.
    let fields: Value = serde_json::from_str(&golden("schema/fields.json")).unwrap();
    for field in fields["fields"].as_array().unwrap() {
        let name = field["name"].as_str().unwrap();
        match name {
            "mtime" | "para_hash" | "doc_signature" | "order" => {
                assert!(!properties.contains_key(name))
            }
            stems if stems.starts_with("stem_") => assert!(!properties.contains_key(stems)),
            "text_exact" => assert!(properties["text"]["fields"]["exact"].is_object()),
            _ => {
                assert!(properties.contains_key(name), "{name} not in the mapping");
                assert!(
                    quickwit.contains(&format!(" name: \"{name}\"\n")),
                    "{name} not in Quickwit"
                );
            }
        }
    }
}

#[test]
fn bundled_corpus_exports_the_checked_in_ndjson() {
    let out =
        stdout_of(lede().arg("--index").arg(bundled_index()).args(["export", "--no-refresh"]));
    assert_eq!(out, golden("tests/golden/bundled.ndjson"));
    let lines = json_lines(out.as_bytes());
    assert_eq!(lines.len() % 2, 0);
    for pair in lines.chunks(2) {
        let id = pair[0]["index"]["_id"].as_str().expect("_id");
        let source = &pair[1];
        let path = source["path"].as_str().unwrap();
        match source["para"].as_u64() {
            Some(para) => assert_eq!(id, format!("{path}:p{para}")),
            None => assert_eq!(id, path),
        }
    }
}

#[test]
fn records_of_multi_document_files_keep_their_file_number_and_date() {
    let corpus = Corpus::new();
    let dump = concat!(
        r#"{"title": "Grain corridor", "text": "Ships left Odesa.", "publishedAt": "2024-07-15T08:00:00Z"}"#,
        "\n",
        r#"{"title": "Copper", "text": "Copper reached a record.", "pubDate": "Wed, 04 Sep 2024 14:00:00 GMT"}"#,
        "\n",
    );
    corpus.create("wire #2.jsonl", dump);
    corpus.create("notes.txt", "Notes\n\nNothing dated here.\n");
    let out = stdout_of(corpus.lede().arg("export"));
    let sources: Vec<Value> = json_lines(out.as_bytes()).into_iter().skip(1).step_by(2).collect();
    let copper = sources
        .iter()
        .find(|s| s["text"] == "Copper reached a record.")
        .unwrap_or_else(|| panic!("no copper paragraph in {out}"));
    assert_eq!(copper["path"], "wire #2.jsonl#2");
    assert_eq!(copper["file"], "wire #2.jsonl");
    assert_eq!(copper["record"], 2);
    assert_eq!(copper["published"], "2024-09-04T00:00:00Z");
    let grain = sources.iter().find(|s| s["text"] == "Ships left Odesa.").expect("grain");
    assert_eq!(
        (&grain["record"], &grain["published"]),
        (&1.into(), &"2024-07-15T00:00:00Z".into())
    );
    let notes = sources.iter().find(|s| s["path"] == "notes.txt" && s["para"] == 1).expect("notes");
    for absent in ["file", "record", "published", "page"] {
        assert!(notes.get(absent).is_none(), "{absent} in {notes}");
    }
}

#[test]
fn output_file_and_quickwit_actions() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Headline\n\nSome 5,000 engineers left Kursk.\n");
    let file = corpus.path().join("out.ndjson");
    corpus.lede().args(["export", "--engine", "quickwit", "-o"]).arg(&file).assert().success();
    let lines = json_lines(&fs::read(&file).unwrap());
    assert_eq!(lines[0]["create"]["_id"], "a.txt");
    assert_eq!(lines[3]["title"], "Headline");
    assert_eq!(lines[5]["text"], "Some 5,000 engineers left Kursk.");
}

fn export_to(corpus: &Corpus, stub: &Stub) -> assert_cmd::assert::Assert {
    corpus.lede().args(["export", "--retry-ms", "1", "--url", &stub.url]).assert()
}

/// Ids on the stub with their `path`, for comparison with a fresh NDJSON.
fn expected_docs(corpus: &Corpus) -> Vec<(String, Value)> {
    let out = stdout_of(corpus.lede().args(["export"]));
    json_lines(out.as_bytes())
        .chunks(2)
        .map(|pair| (pair[0]["index"]["_id"].as_str().unwrap().to_string(), pair[1].clone()))
        .collect()
}

fn stub_docs(stub: &Stub) -> Vec<(String, Value)> {
    stub.with(|s| s.docs.clone().into_iter().collect())
}

#[test]
fn incremental_export_sends_adds_edits_and_deletes() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nFirst paragraph.\n\nSecond paragraph.\n\nThird.\n");
    corpus.create("b.txt", "B title\n\nOnly paragraph.\n");
    corpus.create("c.txt", "C title\n\nWill be removed.\n");
    let stub = Stub::start("/lede");
    export_to(&corpus, &stub).success();
    assert_eq!(stub_docs(&stub), expected_docs(&corpus));
    assert_eq!(stub.requests_to("/lede/_bulk").len(), 1);

    // Nothing changed: nothing sent.
    export_to(&corpus, &stub).success();
    assert_eq!(stub.requests_to("/_bulk").len(), 1);

    corpus.create("a.txt", "A title\n\nFirst paragraph, edited.\n");
    fs::remove_file(corpus.path().join("c.txt")).unwrap();
    corpus.create("d.txt", "D title\n\nNew file.\n");
    export_to(&corpus, &stub).success();
    assert_eq!(stub_docs(&stub), expected_docs(&corpus));
    let bulk = stub.requests_to("/_bulk");
    assert!(bulk.iter().all(|r| r.method == "POST"));
    let last = &bulk.last().unwrap().body;
    assert!(last.contains(r#"{"delete":{"_id":"a.txt:p3"}}"#), "{last}");
    assert!(last.contains(r#"{"delete":{"_id":"c.txt"}}"#));
    assert!(!last.contains("b.txt"), "unchanged b.txt was sent again");
}

#[test]
fn busy_engine_is_retried_with_backoff() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nText.\n");
    let stub = Stub::start("/lede");
    stub.with(|s| s.fail_next.extend([429, 503]));
    let assert = export_to(&corpus, &stub).success();
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("answered 429; retrying"), "{stderr}");
    assert!(stderr.contains("answered 503; retrying"), "{stderr}");
    assert_eq!(stub.requests_to("/_bulk").len(), 3);
    assert_eq!(stub_docs(&stub), expected_docs(&corpus));
}

#[test]
fn items_refused_for_now_are_resent_alone() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nText.\n\nMore.\n");
    let stub = Stub::start("/lede");
    stub.with(|s| s.busy_once.insert("a.txt:p2".to_string()));
    export_to(&corpus, &stub).success();
    let bulk = stub.requests_to("/_bulk");
    assert_eq!(bulk.len(), 2);
    assert_eq!(bulk[1].body.lines().count(), 2, "only the refused item: {}", bulk[1].body);
    assert_eq!(stub_docs(&stub), expected_docs(&corpus));
}

#[test]
fn refused_records_are_listed_and_sent_again_next_time() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nText.\n");
    corpus.create("b.txt", "B title\n\nText.\n");
    let stub = Stub::start("/lede");
    stub.with(|s| s.refuse.insert("b.txt:p1".to_string()));
    let assert = export_to(&corpus, &stub).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(
        stderr.contains("not exported: b.txt (b.txt:p1): 400 mapper_parsing_exception"),
        "{stderr}"
    );
    stub.with(|s| s.refuse.clear());
    export_to(&corpus, &stub).success();
    let last = stub.requests_to("/_bulk").pop().unwrap().body;
    assert!(last.contains("b.txt:p1") && !last.contains("a.txt"), "{last}");
    assert_eq!(stub_docs(&stub), expected_docs(&corpus));
}

#[test]
fn an_engine_that_stays_down_fails_the_export_with_its_records_counted_once() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nText.\n");
    let stub = Stub::start("/lede");
    stub.with(|s| s.fail_next.extend([500; 7]));
    let assert = export_to(&corpus, &stub).code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    let expected = "not exported: 3 records of 1 file (a.txt): gave up after 6 retries";
    assert_eq!(stderr.matches("not exported").count(), 1, "{stderr}");
    assert!(stderr.contains(expected), "{stderr}");
    // Next time everything is sent.
    export_to(&corpus, &stub).success();
    assert_eq!(stub_docs(&stub), expected_docs(&corpus));
}

#[test]
fn an_engine_never_reached_fails_at_once_and_keeps_everything_for_next_time() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nText.\n");
    // A port that was free a moment ago: nothing listens there.
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let url = format!("http://127.0.0.1:{port}/lede");
    let assert = corpus.lede().args(["export", "--url", &url]).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains(&format!("cannot reach 127.0.0.1:{port}")), "{stderr}");
    assert!(stderr.contains("Nothing was exported"), "{stderr}");
    // One line after the first build's: no retries announced, no list of records.
    let after_build: Vec<&str> =
        stderr.lines().skip_while(|l| !l.contains("cannot reach")).collect();
    assert_eq!(after_build.len(), 1, "{stderr}");
    let stub = Stub::start("/lede");
    export_to(&corpus, &stub).success();
    assert_eq!(stub_docs(&stub), expected_docs(&corpus));
}

#[test]
fn quickwit_edits_go_through_delete_tasks() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nOld text.\n\nGone paragraph.\n");
    let stub = Stub::start("/api/v1/_elastic/lede");
    let run = || {
        corpus
            .lede()
            .args(["export", "--engine", "quickwit", "--retry-ms", "1", "--url", &stub.url])
            .assert()
            .success();
    };
    run();
    corpus.create("a.txt", "A title\n\nNew text.\n");
    run();
    let tasks = stub.requests_to("/api/v1/lede/delete-tasks");
    assert_eq!(tasks.len(), 1);
    assert_eq!(serde_json::from_str::<Value>(&tasks[0].body).unwrap()["query"], "path:\"a.txt\"");
    assert!(stub.requests_to("/_bulk").iter().all(|r| !r.body.contains("\"delete\"")));
    let expected: Vec<(String, Value)> = expected_docs(&corpus);
    assert_eq!(stub_docs(&stub), expected);
}

#[test]
fn bad_urls_are_refused_before_reading_anything() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "A title\n\nText.\n");
    let assert =
        corpus.lede().args(["export", "--url", "https://example.org/lede"]).assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
    assert!(stderr.contains("plain HTTP"), "{stderr}");
}

/// Runs `lede search --remote` against `stub` and returns the `_search`
/// body it sent.
fn sent_query(stub: &Stub, args: &[&str]) -> Value {
    let before = stub.requests_to("/_search").len();
    lede().args(["search", "--remote", &stub.url]).args(args).assert().code(1);
    let requests = stub.requests_to("/_search");
    assert_eq!(requests.len(), before + 1, "{args:?} sent no search");
    serde_json::from_str(&requests[before].body).expect("JSON body")
}

/// The translated query words: `query.bool.must[0]`.
fn words(stub: &Stub, args: &[&str]) -> Value {
    sent_query(stub, args)["query"]["bool"]["must"][0].clone()
}

#[test]
fn every_query_element_is_translated_to_the_dsl() {
    let stub = Stub::start("/lede");
    // A word: stemmed and exact text, title, and its transliteration skeleton.
    let word = words(&stub, &["Mikhailov"]);
    let multi = &word["bool"]["should"][0]["multi_match"];
    assert_eq!(multi["query"], "Mikhailov");
    assert_eq!(multi["fields"], serde_json::json!(["text^1", "text.exact^0.6", "title^0.3"]));
    assert_eq!(word["bool"]["should"][1]["match"]["translit"]["query"], "mihailov");
    // Phrases, proximity, phrase prefix, prefix, fuzzy, numbers never fuzzed.
    assert_eq!(words(&stub, &["\"north korean\""])["multi_match"]["type"], "phrase");
    let near = words(&stub, &["\"north engineers\"~3"]);
    assert_eq!(
        (near["multi_match"]["type"].as_str(), near["multi_match"]["slop"].as_u64()),
        (Some("phrase"), Some(3))
    );
    assert_eq!(words(&stub, &["\"north kor\"*"])["multi_match"]["type"], "phrase_prefix");
    let prefix = words(&stub, &["engine*"]);
    assert_eq!(
        (prefix["multi_match"]["query"].as_str(), prefix["multi_match"]["type"].as_str()),
        (Some("engine"), Some("phrase_prefix"))
    );
    let fuzzy = words(&stub, &["Gerasimv~1"]);
    assert_eq!(
        (fuzzy["multi_match"]["query"].as_str(), fuzzy["multi_match"]["fuzziness"].as_u64()),
        (Some("Gerasimv"), Some(1))
    );
    assert!(words(&stub, &["5000~1"])["multi_match"].get("fuzziness").is_none());
    // -word, AND, OR and grouping.
    let not = words(&stub, &["troops", "-russia"]);
    assert_eq!(not["bool"]["must_not"][0]["bool"]["should"][0]["multi_match"]["query"], "russia");
    assert_eq!(not["bool"]["minimum_should_match"], 1);
    let and = words(&stub, &["troops", "AND", "russia"]);
    assert_eq!(and["bool"]["must"].as_array().map(Vec::len), Some(2));
    let or = words(&stub, &["troops", "OR", "russia"]);
    assert_eq!(or["bool"]["should"].as_array().map(Vec::len), Some(2));
    let grouped = words(&stub, &["(troops", "OR", "soldiers)", "AND", "kursk"]);
    assert_eq!(grouped["bool"]["must"][0]["bool"]["should"].as_array().map(Vec::len), Some(2));
    // Fields.
    assert_eq!(
        words(&stub, &["title:kursk"])["multi_match"]["fields"],
        serde_json::json!(["title"])
    );
    assert_eq!(
        words(&stub, &["person:\"Kim Jong Un\""]),
        serde_json::json!({"term": {"person": "kim jong un"}})
    );
}

#[test]
fn filters_and_modes_are_translated() {
    let stub = Stub::start("/lede");
    let body = sent_query(
        &stub,
        &[
            "--person",
            "Valery Gerasimov",
            "--place",
            "Kursk",
            "--from",
            "2024-08",
            "--to",
            "2024-09-15",
            "--dates",
            "overlap",
        ],
    );
    let filter = body["query"]["bool"]["filter"].as_array().expect("filter").clone();
    assert_eq!(filter[0], serde_json::json!({"term": {"kind": "para"}}));
    assert_eq!(filter[1], serde_json::json!({"term": {"person": "valery gerasimov"}}));
    assert_eq!(filter[2], serde_json::json!({"term": {"place": "kursk"}}));
    let ranges = &filter[3]["bool"]["should"];
    assert_eq!(ranges[0]["range"]["date_day"]["gte"], "2024-08-01T00:00:00Z");
    assert_eq!(ranges[1]["range"]["date_month"]["lte"], "2024-09-15T00:00:00Z");
    assert_eq!(ranges[2]["range"]["date_year"]["gte"], "2024-01-01T00:00:00Z");
    assert_eq!(ranges[3]["range"]["date_decade"]["gte"], "2020-01-01T00:00:00Z");
    let published =
        sent_query(&stub, &["--published-from", "2024-07", "--published-to", "2024-09-04"]);
    assert_eq!(
        published["query"]["bool"]["filter"][1],
        serde_json::json!({"range": {"published": {
            "gte": "2024-07-01T00:00:00Z", "lte": "2024-09-04T00:00:00Z"}}})
    );
    // By default a mention must lie inside the range: one range of
    // `date_span` keys (length × 10^8 + YYYYMMDD) per mention length.
    let within = sent_query(&stub, &["--on", "2024-08"]);
    let ranges = &within["query"]["bool"]["filter"][1]["bool"]["should"];
    assert_eq!(
        ranges[0],
        serde_json::json!({"range": {"date_span": {"gte": 20240801_u64, "lte": 20240831_u64}}})
    );
    assert_eq!(ranges[6]["range"]["date_span"]["gte"], 30 * 100_000_000 + 20240801_u64);
    assert_eq!(ranges.as_array().map(Vec::len), Some(7));
    let on = sent_query(&stub, &["--on", "11-07"]);
    assert_eq!(on["query"]["bool"]["filter"][1], serde_json::json!({"term": {"date_md": 1107}}));
    let lang = sent_query(&stub, &["--lang", "Russian", "Kursk"]);
    assert_eq!(lang["query"]["bool"]["filter"][1], serde_json::json!({"term": {"lang": "ru"}}));
    let count = sent_query(&stub, &["--count", "troops"]);
    assert_eq!(count["size"], 0);
    assert_eq!(count["aggs"]["files"]["cardinality"]["field"], "path");
    assert!(count["highlight"]["fields"]["text"].is_object());
    let quickwit = Stub::start("/api/v1/_elastic/lede");
    let body = sent_query(&quickwit, &["--engine", "quickwit", "troops"]);
    assert_eq!(body["sort"], serde_json::json!([{"_score": {"order": "desc"}}]));
    assert!(body.get("highlight").is_none());
    assert!(!body.to_string().contains("text.exact"));
}

#[test]
fn unsupported_query_parts_are_named() {
    let stub = Stub::start("/lede");
    for (query, named) in [
        ("size:[1 TO 5]", "ranges"),
        ("hash:abc", "field hash: is not searchable"),
        ("/eng.*/", "regular expressions"),
    ] {
        let assert = lede().args(["search", "--remote", &stub.url, query]).assert().code(2);
        let stderr = String::from_utf8_lossy(&assert.get_output().stderr).into_owned();
        assert!(stderr.contains(named), "{query}: {stderr}");
    }
    assert!(stub.requests_to("/_search").is_empty());
}

#[test]
fn remote_hits_are_printed_by_the_usual_printers() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Kursk offensive\n\nSome 5,000 engineers left Kursk.\n");
    let stub = Stub::start("/lede");
    export_to(&corpus, &stub).success();
    let marked = "Some \u{E000}5,000\u{E001} engineers left Kursk.";
    stub.with(|s| s.search_hits.push(("a.txt:p1".to_string(), Some(marked.to_string()))));
    let search = |args: &[&str]| {
        let mut cmd = corpus.lede();
        cmd.args(["search", "--remote", &stub.url, "--color", "never"]).args(args);
        stdout_of(&mut cmd)
    };
    let human = search(&["5000 engineers"]);
    assert!(human.contains("a.txt:3"), "{human}");
    assert!(human.contains("Some 5,000 engineers left Kursk."), "{human}");
    let json = json_lines(search(&["--json", "5000"]).as_bytes());
    assert_eq!(json[0]["para"], 1);
    assert_eq!(json[0]["title"], "Kursk offensive");
    assert_eq!(json[0]["lang"], "en");
    assert_eq!(json[0]["highlights"][0], serde_json::json!({"start": 5, "end": 10}));
    let tsv = search(&["--tsv", "5000"]);
    assert!(tsv.starts_with("1\t") && tsv.contains("\t3\tSome 5,000"), "{tsv}");
    assert_eq!(search(&["--count", "5000"]), "1 paragraph in 1 file\n");
    assert!(search(&["--files", "5000"]).trim_end().ends_with("a.txt"));
}
