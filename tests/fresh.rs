//! Freshness without rewriting: a search right after `lede index` writes
//! nothing and answers exactly as `--no-refresh` does, and an update that
//! deletes a large share of a segment merges the deletes away.

use std::fs::{self, File};
use std::path::Path;
use std::thread::sleep;
use std::time::{Duration, SystemTime};

use crate::util::Corpus;

/// The index folder's files with their sizes, and `meta.json` itself:
/// anything a write would change (tantivy's lock files excepted).
fn index_snapshot(index: &Path) -> (Vec<(String, u64)>, String) {
    let mut files: Vec<(String, u64)> = fs::read_dir(index)
        .unwrap()
        .map(|entry| entry.unwrap())
        .filter(|entry| !entry.file_name().to_string_lossy().ends_with(".lock"))
        .map(|entry| {
            (entry.file_name().to_string_lossy().into_owned(), entry.metadata().unwrap().len())
        })
        .collect();
    files.sort();
    (files, fs::read_to_string(index.join("meta.json")).unwrap())
}

/// (documents, deleted documents) of each segment of the last commit.
fn segments(index: &Path) -> Vec<(u64, u64)> {
    let meta: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(index.join("meta.json")).unwrap()).unwrap();
    meta["segments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|segment| {
            let deleted = segment["deletes"]["num_deleted_docs"].as_u64().unwrap_or(0);
            (segment["max_doc"].as_u64().unwrap(), deleted)
        })
        .collect()
}

fn search_output(corpus: &Corpus, args: &[&str]) -> String {
    let output = corpus.lede().arg("search").args(args).output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "a search that changes nothing says nothing"
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn article(i: usize) -> String {
    let topic = ["harbour", "grain", "copper", "tariff"][i % 4];
    format!("Report {i}\n\nThe {topic} market moved {i} points.\n\nTraders in the {topic} pits were calm.\n")
}

#[test]
fn a_search_right_after_indexing_writes_nothing_and_matches_no_refresh() {
    let corpus = Corpus::new();
    // Written just before indexing: their mtimes are too recent for the
    // index to trust later, so their records keep no mtime. Half of them
    // carry an mtime a moment ahead (a clock slightly ahead, or a write in
    // the same second as the index), which is racy however slow the run.
    let ahead = SystemTime::now() + Duration::from_millis(400);
    for i in 0..40 {
        let path = corpus.create(&format!("d{}/a{i}.txt", i % 3), article(i));
        if i % 2 == 0 {
            File::options().write(true).open(&path).unwrap().set_modified(ahead).unwrap();
        }
    }
    corpus.lede().arg("index").assert().success();
    let index = corpus.path().join(".lede");
    let built = index_snapshot(&index);
    // One segment: a file record, a title and two paragraphs per file.
    assert_eq!(segments(&index), [(40 * 4, 0)]);
    // Past every racy window: a search may now trust what it reads.
    sleep(Duration::from_millis(600));

    let args = ["--json", "-n", "100", "--per-file", "0", "harbour copper calm"];
    let no_refresh = search_output(&corpus, &[&["--no-refresh"][..], &args].concat());
    assert!(no_refresh.lines().count() > 20, "{no_refresh}");
    for _ in 0..2 {
        assert_eq!(search_output(&corpus, &args), no_refresh);
        assert_eq!(index_snapshot(&index), built, "the search rewrote the index");
    }

    // A real edit is still found, and only that file is rewritten.
    corpus.create("d0/a0.txt", "Report 0\n\nA zinc smelter closed.\n");
    let output = corpus.lede().args(["search", "zinc"]).output().unwrap();
    let (hits, note) =
        (String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(hits.contains("a0.txt:3"), "{hits}");
    assert!(note.contains("added 0, updated 1, removed 0, unchanged 39"), "{note}");
}

#[test]
fn an_update_deleting_a_large_share_merges_the_deletes_away() {
    let corpus = Corpus::new();
    for i in 0..30 {
        corpus.create(&format!("a{i}.txt"), article(i));
    }
    corpus.lede().arg("index").assert().success();
    let index = corpus.path().join(".lede");
    // A third of the files edited: over the share a segment may keep deleted.
    for i in 0..10 {
        corpus.create(&format!("a{i}.txt"), format!("{}\nA late addendum.\n", article(i)));
    }
    corpus.lede().arg("index").assert().success();
    let deleted: u64 = segments(&index).iter().map(|&(_, deleted)| deleted).sum();
    assert_eq!(deleted, 0, "{:?}", segments(&index));

    // Scores are those of an index built from scratch on the same files.
    let args = ["--json", "-n", "100", "--per-file", "0", "--no-refresh", "copper addendum"];
    let updated = search_output(&corpus, &args);
    let fresh = tempfile::tempdir().unwrap();
    let mut build = corpus.lede();
    build.arg("--index").arg(fresh.path()).arg("index").assert().success();
    let output =
        corpus.lede().arg("--index").arg(fresh.path()).arg("search").args(args).output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stdout), updated);
}
