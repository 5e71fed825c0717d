//! Syndicated copies fold into one hit: the same paragraph in another file,
//! and a document that shares nearly all its wording with another (a wire
//! story with its own headline and an edited last line). `--all-copies`
//! shows each, `--count` says how many passages differ, `--copies PATH`
//! lists a document's copies.

use assert_cmd::Command;

use crate::util::{json_lines, lede, Corpus};

/// `lede` run from inside the corpus, as a user there would.
fn lede_in(corpus: &Corpus) -> Command {
    let mut command = lede();
    command.current_dir(corpus.path());
    command
}

const STORY: &str = "\
Approximately 5,000 North Korean Army engineers are expected to arrive in the Kursk region to help rebuild infrastructure damaged during the fighting.

The deployment was confirmed by officials in Moscow, who said the engineers would clear mines and restore bridges and roads over the coming months.

Analysts said the move deepens military cooperation between the two countries and follows the earlier arrival of troops that fought in the region.
";

const LAST_LINE: &str = "Officials in Kyiv did not comment on the report on Tuesday evening.";
const LAST_LINE_EDITED: &str = "Officials in Kyiv did not comment on Tuesday.";
const STRIKE: &str = "Railway engineers in Leeds walked out on Monday over pay, the union said.";

/// `wire/a.txt`, its byte copy, a rewrite with another headline and last
/// line, a story that quotes one paragraph, and an unrelated one.
fn syndicated() -> Corpus {
    let corpus = Corpus::new();
    let original = format!("North Korean engineers head to Kursk\n\n{STORY}\n{LAST_LINE}\n");
    corpus.create("wire/a.txt", &original);
    corpus.create("outlets/a-copy.txt", &original);
    corpus.create(
        "outlets/rewrite.txt",
        format!("Pyongyang sends army engineers to Russia\n\n{STORY}\n{LAST_LINE_EDITED}\n"),
    );
    let first = STORY.split("\n\n").next().unwrap();
    corpus.create("outlets/quote.txt", format!("Railway strike in Leeds\n\n{STRIKE}\n\n{first}\n"));
    corpus.create(
        "outlets/floods.txt",
        "Floods\n\nRain flooded Valencia overnight, and engineers worked to reopen roads.\n",
    );
    lede_in(&corpus).args(["index", "."]).assert().success();
    corpus
}

fn search(corpus: &Corpus, args: &[&str]) -> Vec<serde_json::Value> {
    let output = lede_in(corpus).args(["search", "--json"]).args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    json_lines(&output.stdout)
}

fn texts_and_docs(hits: &[serde_json::Value]) -> Vec<(String, String)> {
    hits.iter()
        .map(|h| (h["text"].as_str().unwrap().to_string(), h["doc"].as_str().unwrap().to_string()))
        .collect()
}

#[test]
fn each_passage_is_shown_once_with_the_documents_that_copy_it() {
    let corpus = syndicated();
    let hits = search(&corpus, &["engineers", "Kursk"]);
    let texts: Vec<String> = texts_and_docs(&hits).into_iter().map(|(text, _)| text).collect();
    let mut distinct = texts.clone();
    distinct.sort();
    distinct.dedup();
    assert_eq!(distinct.len(), texts.len(), "a passage shown twice: {texts:#?}");
    let lead =
        hits.iter().find(|h| h["text"].as_str().unwrap().starts_with("Approximately")).unwrap();
    let mut expected =
        vec!["outlets/a-copy.txt", "outlets/quote.txt", "outlets/rewrite.txt", "wire/a.txt"];
    expected.retain(|doc| *doc != lead["doc"]);
    assert_eq!(lead["copies"], serde_json::json!(expected));
    assert_eq!(lead["copy_count"], 3);

    // The edited last line differs in every copy but one: the rewrite is a
    // copy of the same document, so its line folds into the original's.
    let last = search(&corpus, &["Kyiv", "comment"]);
    assert_eq!(last.len(), 1, "{:#?}", texts_and_docs(&last));
    let copies = last[0]["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 2, "{copies:?}");
    // The unrelated story and the one that quotes a paragraph stay apart.
    let floods = search(&corpus, &["engineers", "roads"]);
    assert!(floods.iter().any(|h| h["doc"] == "outlets/floods.txt" && h["copy_count"] == 0));

    let human = lede_in(&corpus).args(["search", "Kyiv comment"]).output().unwrap();
    let stdout = String::from_utf8(human.stdout).unwrap();
    assert!(stdout.contains("also in 2 files: "), "{stdout}");
    let stderr = String::from_utf8(human.stderr).unwrap();
    assert!(stderr.contains("copies folded (--all-copies shows each)"), "{stderr}");
}

#[test]
fn all_copies_shows_each_and_the_count_says_how_many_differ() {
    let corpus = syndicated();
    let all = search(&corpus, &["--all-copies", "Approximately"]);
    let docs: Vec<String> = texts_and_docs(&all).into_iter().map(|(_, doc)| doc).collect();
    assert_eq!(docs.len(), 4, "{docs:?}");
    assert!(all.iter().all(|h| h["copy_count"] == 0));
    let folded = search(&corpus, &["Approximately"]);
    assert_eq!(folded.len(), 1);

    let count = lede_in(&corpus).args(["search", "-c", "Approximately"]).output().unwrap();
    assert_eq!(String::from_utf8(count.stdout).unwrap(), "4 paragraphs (1 distinct) in 4 files\n");
    let json = lede_in(&corpus).args(["search", "-c", "--json", "engineers"]).output().unwrap();
    let counted = &json_lines(&json.stdout)[0];
    // "engineers": the original's headline (twice) and the rewrite's, two
    // story paragraphs in each of the three copies, the quoted one, the
    // strike's own and the floods'.
    assert_eq!(counted["paragraphs"], 3 + 2 * 3 + 1 + 1 + 1);
    assert_eq!(counted["distinct"], 2 + 2 + 1 + 1);
}

#[test]
fn copies_of_a_document_are_listed_most_similar_first() {
    let corpus = syndicated();
    let output =
        lede_in(&corpus).args(["search", "--copies", "wire/a.txt", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let listed = json_lines(&output.stdout);
    let paths: Vec<&str> = listed.iter().map(|c| c["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["outlets/a-copy.txt", "outlets/rewrite.txt", "outlets/quote.txt"]);
    assert_eq!(listed[0]["similarity"], 1.0);
    assert!(listed[1]["similarity"].as_f64().unwrap() >= 0.9);
    assert!(listed[2].get("similarity").is_none());
    assert_eq!(
        (listed[2]["shared_paragraphs"].as_u64(), listed[2]["paragraphs"].as_u64()),
        (Some(1), Some(4))
    );

    let human =
        lede_in(&corpus).args(["search", "--copies", "outlets/floods.txt"]).output().unwrap();
    assert_eq!(human.status.code(), Some(1), "no copies: exit 1");
    assert!(human.stdout.is_empty());
    let missing = lede_in(&corpus).args(["search", "--copies", "nowhere.txt"]).output().unwrap();
    assert_eq!(missing.status.code(), Some(2));
    let stderr = String::from_utf8(missing.stderr).unwrap();
    assert!(stderr.contains("nowhere.txt: no such document in the index"), "{stderr}");
}

#[test]
fn stats_count_the_copies_of_the_corpus() {
    let corpus = syndicated();
    let output = lede_in(&corpus).args(["stats", "--copies", "--json"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stats = &json_lines(&output.stdout)[0];
    // The original's headline, three story paragraphs and last line, each
    // in two to four documents; the original, its copy and the rewrite.
    let copies = &stats["copies"];
    assert_eq!(copies["copied_paragraphs"], 2 + 4 + 3 + 3 + 2, "{copies}");
    assert_eq!(copies["paragraph_groups"], 5);
    assert_eq!(copies["copied_documents"], 3);
    assert_eq!(copies["document_groups"], 1);
    let plain = lede_in(&corpus).args(["stats"]).output().unwrap();
    assert!(!String::from_utf8(plain.stdout).unwrap().contains("copies:"));
}

#[test]
fn a_near_copy_folded_into_a_hit_is_listed_though_it_lacks_some_of_its_words() {
    let corpus = syndicated();
    // The original's last line ranks first; the rewrite's shorter line
    // lacks "report", one of the words a copy lookup uses, yet says the same.
    let hits = search(&corpus, &["report", "Tuesday", "evening", "Kyiv"]);
    assert_eq!(hits[0]["text"], LAST_LINE, "{hits:#?}");
    let copies: Vec<&str> =
        hits[0]["copies"].as_array().unwrap().iter().map(|c| c.as_str().unwrap()).collect();
    assert!(copies.contains(&"outlets/rewrite.txt"), "{copies:?}");
    assert!(hits
        .iter()
        .all(|h| h["doc"] != "outlets/rewrite.txt" || h["text"] != LAST_LINE_EDITED));
}

#[test]
fn a_document_of_short_paragraphs_has_its_copies_listed() {
    let corpus = Corpus::new();
    let digest: String =
        (1..=12).map(|i| format!("Item {i}: markets moved on day {i}.\n\n")).collect();
    corpus.create("digest.txt", format!("Market digest\n\n{digest}"));
    corpus.create("mirror/digest.txt", format!("Market digest\n\n{digest}"));
    lede_in(&corpus).args(["index", "."]).assert().success();
    let output = lede_in(&corpus).args(["search", "--copies", "digest.txt"]).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout, "mirror/digest.txt  near copy (100% of its wording)\n");
}

/// Human output names three copies and reads no more paths than that:
/// they must be the first three of the full list JSON gives, in path order,
/// and the count must cover them all.
#[test]
fn human_output_names_the_first_copies_in_path_order() {
    let corpus = Corpus::new();
    let story = format!("North Korean engineers head to Kursk\n\n{STORY}");
    for name in ["d/5.txt", "b/3.txt", "f/7.txt", "a/2.txt", "e/6.txt", "c/4.txt", "a/1.txt"] {
        corpus.create(name, &story);
    }
    lede_in(&corpus).args(["index", "."]).assert().success();

    let hits = search(&corpus, &["--no-refresh", "bridges"]);
    assert_eq!(hits.len(), 1, "{:#?}", texts_and_docs(&hits));
    let shown = hits[0]["doc"].as_str().unwrap().to_string();
    let mut others: Vec<&str> =
        ["a/1.txt", "a/2.txt", "b/3.txt", "c/4.txt", "d/5.txt", "e/6.txt", "f/7.txt"]
            .into_iter()
            .filter(|doc| *doc != shown)
            .collect();
    others.sort();
    assert_eq!(hits[0]["copies"], serde_json::json!(others));
    assert_eq!(hits[0]["copy_count"], 6);

    let human = lede_in(&corpus).args(["search", "--no-refresh", "bridges"]).output().unwrap();
    let stdout = String::from_utf8(human.stdout).unwrap();
    let named = format!("also in 6 files: {} and 3 more", others[..3].join(", "));
    assert!(stdout.contains(&named), "expected {named:?} in {stdout}");
}
