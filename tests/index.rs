//! `lede index` on temporary corpora: splitting, encodings, bad files,
//! re-runs, a separate index folder.

use std::fs::Permissions;
use std::os::unix::fs::PermissionsExt;

use predicates::prelude::*;

use crate::util::{json_lines, lede, Corpus};

fn search_json(corpus: &Corpus, query: &str) -> Vec<serde_json::Value> {
    let output = corpus
        .lede()
        .args(["search", "--json", "--per-file", "0", "-n", "100", query])
        .output()
        .unwrap();
    json_lines(&output.stdout)
}

#[test]
fn first_search_builds_the_index_and_says_so() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Headline\n\nThe harbour froze overnight.\n");
    corpus
        .lede()
        .args(["search", "harbour"])
        .assert()
        .success()
        .stdout(predicate::str::contains("a.txt:3"))
        .stderr(predicate::str::contains("building it"));
    assert!(corpus.path().join(".lede/lede.json").exists());
}

#[test]
fn summary_line_counts_files_and_paragraphs() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "One\n\nPara one.\n\nPara two.\n");
    corpus.create("sub/b.md", "# Two\n\nPara three.\n");
    corpus.lede().arg("index").assert().success().stdout("").stderr(
        predicate::str::is_match(
            r"^added 2, updated 0, removed 0, unchanged 0; 5 paragraphs, .* s\ndocuments read: text 2\n$",
        )
        .unwrap(),
    );
    corpus
        .lede()
        .arg("index")
        .assert()
        .success()
        .stderr(predicate::str::starts_with("added 0, updated 0, removed 0, unchanged 2"));
}

#[test]
fn hard_wrapped_and_line_per_paragraph_files_give_the_right_lines() {
    let corpus = Corpus::new();
    corpus.create(
        "wrapped.txt",
        "Wrapped story\n\nThe council met on Tuesday and agreed that the\nbridge would be rebuilt before the winter storms\narrived.\n",
    );
    corpus.create(
        "lines.txt",
        "Line story\nFirst paragraph is here.\nSecond paragraph mentions the bridge.\n",
    );
    let hits = search_json(&corpus, "bridge");
    let wrapped = hits.iter().find(|h| h["doc"] == "wrapped.txt").unwrap();
    assert_eq!(wrapped["line"], 3);
    assert!(wrapped["text"].as_str().unwrap().ends_with("before the winter storms arrived."));
    let lines = hits.iter().find(|h| h["doc"] == "lines.txt").unwrap();
    assert_eq!((lines["line"].as_u64(), lines["para"].as_u64()), (Some(3), Some(2)));
}

#[test]
fn crlf_files_work() {
    let corpus = Corpus::new();
    corpus.create("dos.txt", "Title\r\n\r\nFirst line here.\r\n\r\nSecond with lighthouse.\r\n");
    let hits = search_json(&corpus, "lighthouse");
    assert_eq!(hits[0]["line"], 5);
    assert_eq!(hits[0]["text"], "Second with lighthouse.");
}

#[test]
fn latin1_is_decoded_with_a_warning_and_binary_is_skipped() {
    let corpus = Corpus::new();
    corpus.create("latin1.txt", b"Prices\n\nIt cost \xa3600m in the end.\n");
    corpus.create("blob.txt", b"\x00\x01\x02binary");
    corpus.create("good.txt", "Fine\n\nA normal article.\n");
    corpus
        .lede()
        .arg("index")
        .assert()
        .success()
        .stderr(predicate::str::contains("latin1.txt: not valid UTF-8, decoded as Latin-1"))
        .stderr(predicate::str::contains("blob.txt: binary file"));
    let hits = search_json(&corpus, "600m");
    assert!(hits[0]["text"].as_str().unwrap().contains("£600m"));
}

#[test]
fn index_folder_elsewhere_for_a_read_only_corpus_and_search_by_index_alone() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nGlaciers retreat.\n");
    let elsewhere = tempfile::tempdir().unwrap();
    let index = elsewhere.path().join("idx");
    let set_mode =
        |mode| std::fs::set_permissions(corpus.path(), Permissions::from_mode(mode)).unwrap();
    set_mode(0o555);
    let status = corpus.lede().arg("--index").arg(&index).arg("index").output().unwrap().status;
    set_mode(0o755);
    assert!(status.success());
    assert!(!corpus.path().join(".lede").exists());
    lede()
        .arg("--index")
        .arg(&index)
        .args(["search", "glaciers"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Glaciers retreat."));
}

#[test]
fn edits_and_removals_are_picked_up_on_the_next_run() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nAlpha paragraph.\n\nBeta paragraph.\n");
    corpus.create("b.txt", "Other\n\nGamma paragraph.\n");
    corpus.lede().arg("index").assert().success();
    corpus.create("a.txt", "Title\n\nDelta paragraph.\n");
    std::fs::remove_file(corpus.path().join("b.txt")).unwrap();
    corpus
        .lede()
        .arg("index")
        .assert()
        .success()
        .stderr(predicate::str::starts_with("added 0, updated 1, removed 1, unchanged 0"));
    assert!(search_json(&corpus, "alpha OR beta OR gamma").is_empty());
    assert_eq!(search_json(&corpus, "delta").len(), 1);
}

#[test]
fn an_index_inside_its_corpus_follows_the_folder_when_it_moves() {
    let parent = tempfile::tempdir().unwrap();
    let before = parent.path().join("articles");
    std::fs::create_dir_all(&before).unwrap();
    std::fs::write(before.join("a.txt"), "Title\n\nThe lighthouse keeper retired.\n").unwrap();
    lede().arg("--corpus").arg(&before).arg("index").assert().success();
    let after = parent.path().join("renamed");
    std::fs::rename(&before, &after).unwrap();
    let output = lede()
        .arg("--corpus")
        .arg(&after)
        .args(["search", "--json", "lighthouse"])
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let hit = &json_lines(&output.stdout)[0];
    assert!(hit["path"].as_str().unwrap().contains("renamed"), "{hit}");
    assert!(String::from_utf8_lossy(&output.stderr).contains("the index follows it"));
}

#[test]
fn an_index_of_another_corpus_is_refused() {
    let one = Corpus::new();
    one.create("a.txt", "Title\n\nOne.\n");
    let two = Corpus::new();
    two.create("b.txt", "Title\n\nTwo.\n");
    let index = tempfile::tempdir().unwrap();
    one.lede().arg("--index").arg(index.path()).arg("index").assert().success();
    two.lede()
        .arg("--index")
        .arg(index.path())
        .args(["search", "two"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("belongs to the corpus"));
}

/// A corpus with its index built, and the index folder.
fn indexed_corpus() -> (Corpus, std::path::PathBuf) {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Headline\n\nThe harbour froze overnight.\n");
    corpus.create("b.txt", "Other\n\nThe glacier froze too.\n");
    corpus.lede().arg("index").assert().success();
    let index = corpus.path().join(".lede");
    (corpus, index)
}

fn files_ending(dir: &std::path::Path, suffix: &str) -> Vec<std::path::PathBuf> {
    std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.to_string_lossy().ends_with(suffix))
        .collect()
}

#[test]
fn an_emptied_store_file_is_reported_in_one_line_and_rebuild_repairs_it() {
    let (corpus, index) = indexed_corpus();
    let stores = files_ending(&index, ".store");
    assert!(!stores.is_empty());
    std::fs::write(&stores[0], b"").unwrap();
    // --no-refresh promises not to index: the damage is named in one line
    // with the command that repairs it.
    let output = corpus.lede().args(["search", "--no-refresh", "froze"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert_eq!(stderr.trim_end().lines().count(), 1, "{stderr}");
    assert!(stderr.contains("cannot be read") && stderr.contains(".store is empty"), "{stderr}");
    assert!(stderr.contains("lede index --rebuild"), "{stderr}");
    corpus
        .lede()
        .args(["index", "--rebuild"])
        .assert()
        .success()
        .stderr(predicate::str::starts_with("added 2, updated 0, removed 0"));
    assert_eq!(search_json(&corpus, "froze").len(), 2);
}

#[test]
fn a_search_that_may_index_repairs_an_emptied_store_file_and_says_so() {
    let (corpus, index) = indexed_corpus();
    let stores = files_ending(&index, ".store");
    std::fs::write(&stores[0], b"").unwrap();
    let output = corpus.lede().args(["search", "--json", "froze"]).output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains(".store is empty); rebuilding it"), "{stderr}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    assert_eq!(stdout.lines().count(), 2, "{stdout}");
}

#[test]
fn a_plain_index_run_rebuilds_an_index_without_meta_json() {
    let (corpus, index) = indexed_corpus();
    std::fs::remove_file(index.join("meta.json")).unwrap();
    let output = corpus.lede().args(["search", "--no-refresh", "froze"]).output().unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8(output.stderr).unwrap();
    assert!(stderr.contains("meta.json is missing"), "{stderr}");
    corpus
        .lede()
        .arg("index")
        .assert()
        .success()
        .stderr(predicate::str::contains("cannot be read (meta.json is missing); rebuilding it"));
    assert_eq!(search_json(&corpus, "froze").len(), 2);
}

#[test]
fn leftovers_of_a_killed_rebuild_are_removed_by_the_next_run() {
    let (corpus, _) = indexed_corpus();
    // What a rebuild killed with -9 leaves: its folder, named after its
    // process (an id no process has).
    let leftover = corpus.create(".lede.rebuild-2147483600-x1/000.store", vec![7u8; 4096]);
    corpus.create("c.txt", "Third\n\nThe lake froze.\n");
    corpus.lede().arg("index").assert().success();
    assert!(!leftover.parent().unwrap().exists());
    let siblings: Vec<_> = std::fs::read_dir(corpus.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".lede"))
        .collect();
    assert_eq!(siblings, [".lede"]);
    assert_eq!(search_json(&corpus, "froze").len(), 3);
}

#[test]
fn rebuild_refuses_a_folder_that_is_not_an_index() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Headline\n\nThe harbour froze overnight.\n");
    let elsewhere = tempfile::tempdir().unwrap();
    std::fs::write(elsewhere.path().join("notes.txt"), "mine").unwrap();
    let output = corpus
        .lede()
        .arg("--index")
        .arg(elsewhere.path())
        .args(["index", "--rebuild"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(elsewhere.path().join("notes.txt").exists());
}

#[test]
fn a_utf16_file_with_a_byte_order_mark_is_decoded() {
    let corpus = Corpus::new();
    let mut bytes = vec![0xff, 0xfe];
    let text = "Notepad headline\r\n\r\nThe harbour in Київ froze overnight.\r\n";
    bytes.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    corpus.create("notepad.txt", bytes);
    corpus.lede().arg("index").assert().success().stderr(predicate::str::contains("added 1,"));
    let hits = search_json(&corpus, "Київ harbour");
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(hits[0]["text"], "The harbour in Київ froze overnight.");
    assert_eq!(hits[0]["line"], 3);
}
