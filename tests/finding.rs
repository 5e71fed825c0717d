//! Finding the corpus from where the user stands: the nearest folder above
//! with an index, `show -` on hits of any corpus, `--index` that names no
//! index, a corpus that is gone, and `show` of a file edited since.

use predicates::prelude::*;

use crate::util::{json_lines, lede, Corpus};

fn indexed(files: &[(&str, &str)]) -> Corpus {
    let corpus = Corpus::new();
    for (name, text) in files {
        corpus.create(name, text);
    }
    lede().current_dir(corpus.path()).args(["index", "."]).assert().success();
    corpus
}

#[test]
fn a_search_finds_the_index_of_the_current_folder_or_one_above() {
    let corpus = indexed(&[("spain/valencia.txt", "Floods\n\nRain flooded Valencia overnight.\n")]);
    for dir in [corpus.path().to_path_buf(), corpus.path().join("spain")] {
        let output = lede().current_dir(&dir).args(["search", "--json", "Valencia"]).output();
        let output = output.unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        assert_eq!(json_lines(&output.stdout)[0]["doc"], "spain/valencia.txt");
    }
}

#[test]
fn show_reads_each_hit_from_its_own_corpus() {
    let first = indexed(&[("a.txt", "Floods\n\nRain flooded Valencia overnight.\n")]);
    let second = indexed(&[("b.txt", "Drought\n\nValencia had no rain for months.\n")]);
    let mut hits = Vec::new();
    for corpus in [&first, &second] {
        let output = corpus.lede().args(["search", "--json", "Valencia"]).output().unwrap();
        hits.extend(String::from_utf8(output.stdout).unwrap().lines().map(str::to_string));
    }
    let elsewhere = tempfile::tempdir().unwrap();
    lede()
        .current_dir(elsewhere.path())
        .args(["show", "-"])
        .write_stdin(hits.join("\n") + "\n")
        .assert()
        .success()
        .stdout(predicate::str::contains("Rain flooded Valencia"))
        .stdout(predicate::str::contains("no rain for months"));
}

/// A quote is taken from the file as it is now: `show` picks up an edit
/// first, as a search does, unless told not to.
#[test]
fn show_prints_a_file_edited_since_it_was_indexed_as_it_is_now() {
    let corpus = indexed(&[("mill.txt", "Mill report\n\nThe mill closed on Friday.\n")]);
    corpus.create("mill.txt", "Mill report\n\nThe plant closed on Friday, after talks.\n");
    let shown = |extra: &[&str]| {
        let output = corpus.lede().arg("show").args(extra).arg("mill.txt:3").output().unwrap();
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        String::from_utf8(output.stdout).unwrap()
    };
    assert!(shown(&["--no-refresh"]).contains("The mill closed on Friday."));
    assert!(shown(&[]).contains("The plant closed on Friday, after talks."));
}

#[test]
fn an_index_option_naming_no_index_says_so() {
    let empty = tempfile::tempdir().unwrap();
    let missing = empty.path().join("nowhere");
    for (dir, state) in [(&missing, "does not exist"), (&empty.path().to_path_buf(), "is empty")] {
        let output = lede().arg("--index").arg(dir).args(["search", "x"]).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains("no lede index at") && stderr.contains(state), "{stderr}");
        assert!(!stderr.contains("data/corpus"), "{stderr}");
    }
    // A file, and a corpus folder named where its index was meant.
    let file = empty.path().join("notes.txt");
    std::fs::write(&file, "x").unwrap();
    let corpus = indexed(&[("a.txt", "Floods\n\nRain flooded Valencia overnight.\n")]);
    for (dir, says) in [(file, "is a file"), (corpus.path().to_path_buf(), "its index is")] {
        let output = lede().arg("--index").arg(&dir).args(["search", "x"]).output().unwrap();
        assert_eq!(output.status.code(), Some(2));
        let stderr = String::from_utf8(output.stderr).unwrap();
        assert!(stderr.contains(says) && stderr.lines().count() == 1, "{stderr}");
    }
}

#[test]
fn no_refresh_searches_an_index_whose_corpus_is_gone() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Floods\n\nRain flooded Valencia overnight.\n");
    let keep = tempfile::tempdir().unwrap();
    let index = keep.path().join("idx");
    corpus.lede().arg("--index").arg(&index).arg("index").assert().success();
    corpus.dir.close().unwrap();
    let search = |extra: &[&str]| {
        lede().arg("--index").arg(&index).arg("search").args(extra).arg("Valencia").output()
    };
    let refused = search(&[]).unwrap();
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8(refused.stderr).unwrap();
    assert!(stderr.contains("does not exist") && stderr.contains("--no-refresh"), "{stderr}");
    let output = search(&["--no-refresh"]).unwrap();
    assert!(output.status.success());
    assert!(String::from_utf8(output.stdout).unwrap().contains("Rain flooded Valencia"));
    assert!(String::from_utf8(output.stderr).unwrap().contains("warning: the corpus folder"));
}
