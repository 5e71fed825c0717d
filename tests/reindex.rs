//! Keeping the index in step with the folder: incremental `lede index`, the
//! freshness check of `lede search`, `lede watch`, concurrent and killed
//! runs, and files that cannot be indexed.

use std::fs::{self, File, Permissions};
use std::io::{BufRead, BufReader};
use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant, SystemTime};

use predicates::prelude::*;

use crate::util::{json_lines, Corpus};

/// Paths of the passages `query` finds (no refresh unless `refresh`).
fn hit_paths(corpus: &Corpus, query: &str, refresh: bool) -> Vec<String> {
    let mut cmd = corpus.lede();
    cmd.args(["search", "--json", "--per-file", "0", "-n", "1000"]);
    if !refresh {
        cmd.arg("--no-refresh");
    }
    let output = cmd.arg(query).output().unwrap();
    json_lines(&output.stdout).iter().map(|hit| hit["doc"].as_str().unwrap().to_string()).collect()
}

fn index_stderr(corpus: &Corpus) -> String {
    let output = corpus.lede().arg("index").output().unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// Sets a file's mtime, as an editor or `touch -d` would.
fn set_mtime(path: &Path, time: SystemTime) {
    File::options().write(true).open(path).unwrap().set_modified(time).unwrap();
}

fn an_hour_ago() -> SystemTime {
    SystemTime::now() - Duration::from_secs(3600)
}

#[test]
fn a_new_file_is_found_by_the_next_search_without_lede_index() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.lede().arg("index").assert().success();
    corpus.create("new/b.txt", "Other\n\nA lighthouse keeper retired.\n");
    corpus
        .lede()
        .args(["search", "lighthouse"])
        .assert()
        .success()
        .stdout(predicate::str::contains("b.txt:3"))
        .stderr(predicate::str::contains("index updated: added 1, updated 0, removed 0"));
}

#[test]
fn no_refresh_searches_the_last_commit_as_it_is() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.lede().arg("index").assert().success();
    corpus.create("b.txt", "Other\n\nA lighthouse keeper retired.\n");
    // Nothing but the empty result is said: no update, no note about it.
    let search = corpus.lede().args(["search", "--no-refresh", "lighthouse"]).assert();
    search.code(1).stderr("lede: no passage matches\n");
    assert_eq!(hit_paths(&corpus, "lighthouse", true), ["b.txt"]);
}

#[test]
fn counts_refresh_first_unless_told_not_to() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.lede().arg("index").assert().success();
    corpus.create("b.txt", "Other\n\nVladimir Putin spoke in Moscow on 3 March 2021.\n");
    let stdout = |args: &[&str]| {
        String::from_utf8(corpus.lede().args(args).output().unwrap().stdout).unwrap()
    };
    assert!(!stdout(&["entities", "--type", "place", "--no-refresh"]).contains("Moscow"));
    assert!(!stdout(&["dates", "--by", "year", "--no-refresh"]).contains("2021"));
    assert!(stdout(&["entities", "--type", "place"]).contains("Moscow"));
    assert!(stdout(&["dates", "--by", "year", "--no-refresh"]).contains("2021"));
}

#[test]
fn an_edit_replaces_the_old_text() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.lede().arg("index").assert().success();
    corpus.create("a.txt", "Title\n\nThe glacier retreated quickly, experts said.\n");
    let stderr = index_stderr(&corpus);
    assert!(stderr.starts_with("added 0, updated 1, removed 0, unchanged 0"), "{stderr}");
    assert!(hit_paths(&corpus, "harbour", false).is_empty());
    assert_eq!(hit_paths(&corpus, "glacier", false), ["a.txt"]);
}

#[test]
fn a_shortened_file_keeps_no_stale_paragraphs() {
    let corpus = Corpus::new();
    corpus.create(
        "a.txt",
        "Title\n\nFirst paragraph on tariffs.\n\nSecond on tariffs.\n\nThird on tariffs.\n",
    );
    corpus.lede().arg("index").assert().success();
    assert_eq!(hit_paths(&corpus, "tariffs", false).len(), 3);
    corpus.create("a.txt", "Title\n\nOnly tariffs now.\n");
    corpus.lede().arg("index").assert().success();
    let output = corpus
        .lede()
        .args(["search", "--json", "--no-refresh", "--per-file", "0", "tariffs"])
        .output()
        .unwrap();
    let hits = json_lines(&output.stdout);
    let texts: Vec<&str> = hits.iter().map(|h| h["text"].as_str().unwrap()).collect();
    assert_eq!(texts, ["Only tariffs now."]);
}

#[test]
fn a_deleted_file_disappears_from_results() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.create("b.txt", "Other\n\nThe harbour thawed.\n");
    corpus.lede().arg("index").assert().success();
    fs::remove_file(corpus.path().join("a.txt")).unwrap();
    let stderr = index_stderr(&corpus);
    assert!(stderr.starts_with("added 0, updated 0, removed 1, unchanged 1"), "{stderr}");
    assert_eq!(hit_paths(&corpus, "harbour", false), ["b.txt"]);
}

#[test]
fn a_renamed_file_is_found_under_its_new_path_only() {
    let corpus = Corpus::new();
    corpus.create("old/a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.lede().arg("index").assert().success();
    fs::create_dir(corpus.path().join("new")).unwrap();
    fs::rename(corpus.path().join("old/a.txt"), corpus.path().join("new/b.txt")).unwrap();
    let stderr = index_stderr(&corpus);
    assert!(stderr.starts_with("added 1, updated 0, removed 1, unchanged 0"), "{stderr}");
    assert_eq!(hit_paths(&corpus, "harbour", false), ["new/b.txt"]);
}

/// All a human search with one hit says on stderr when nothing is wrong.
const ONLY_THE_COUNT: &str = "1 of 1 passage, best first\n";

#[test]
fn a_touched_file_is_reported_unchanged() {
    let corpus = Corpus::new();
    let path = corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    set_mtime(&path, an_hour_ago());
    corpus.lede().arg("index").assert().success();
    set_mtime(&path, an_hour_ago() + Duration::from_secs(60));
    let stderr = index_stderr(&corpus);
    assert!(stderr.starts_with("added 0, updated 0, removed 0, unchanged 1;"), "{stderr}");
    // The record now has the new mtime: the search does not see a change.
    corpus.lede().args(["search", "harbour"]).assert().success().stderr(ONLY_THE_COUNT);
}

#[test]
fn a_same_size_edit_with_an_unchanged_recent_mtime_is_caught() {
    let corpus = Corpus::new();
    let path = corpus.create("a.txt", "Title\n\nThe harbour froze.\n");
    // An mtime too close to the scan to prove anything later (here in the
    // future, as after a copy from a machine whose clock runs ahead).
    let mtime = SystemTime::now() + Duration::from_secs(30);
    set_mtime(&path, mtime);
    corpus.lede().arg("index").assert().success();
    // Same size, same mtime: only the content tells the edit apart.
    corpus.create("a.txt", "Title\n\nThe glacier froze.\n");
    set_mtime(&path, mtime);
    let stderr = index_stderr(&corpus);
    assert!(stderr.starts_with("added 0, updated 1,"), "{stderr}");
    assert_eq!(hit_paths(&corpus, "glacier", false), ["a.txt"]);
}

#[test]
fn dry_run_prints_the_plan_and_changes_nothing() {
    let corpus = Corpus::new();
    corpus.create("keep.txt", "Keep\n\nUnchanged text.\n");
    corpus.create("edit.txt", "Edit\n\nOld text.\n");
    corpus.create("gone.txt", "Gone\n\nRemoved text.\n");
    corpus.lede().arg("index").assert().success();
    corpus.create("edit.txt", "Edit\n\nNew wording entirely.\n");
    corpus.create("add.txt", "Add\n\nBrand new.\n");
    fs::remove_file(corpus.path().join("gone.txt")).unwrap();
    corpus
        .lede()
        .args(["index", "--dry-run"])
        .assert()
        .success()
        .stdout("add\tadd.txt\nupdate\tedit.txt\nremove\tgone.txt\n")
        .stderr(predicate::str::starts_with("would have: added 1, updated 1, removed 1"));
    assert_eq!(hit_paths(&corpus, "removed", false), ["gone.txt"]);
    assert!(hit_paths(&corpus, "brand", false).is_empty());
}

#[test]
fn rebuild_indexes_every_file_again() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze.\n");
    corpus.create("b.txt", "Other\n\nThe glacier froze.\n");
    corpus.lede().arg("index").assert().success();
    corpus
        .lede()
        .args(["index", "--rebuild"])
        .assert()
        .success()
        .stderr(predicate::str::starts_with("added 2, updated 0, removed 0, unchanged 0"));
    assert_eq!(hit_paths(&corpus, "froze", false).len(), 2);
}

/// Holds the index writer lock, as a running `lede index` does.
fn hold_writer_lock(corpus: &Corpus) -> tantivy::IndexWriter {
    let index = lede::index::LedeIndex::open(&corpus.path().join(".lede")).unwrap();
    index.index.writer_with_num_threads(1, 15_000_000).unwrap()
}

#[test]
fn a_second_indexer_gets_a_clear_error_and_searches_see_the_last_commit() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.lede().arg("index").assert().success();
    let writer = hold_writer_lock(&corpus);
    corpus.create("b.txt", "Other\n\nA lighthouse keeper retired.\n");
    corpus
        .lede()
        .arg("index")
        .assert()
        .code(2)
        .stderr(predicate::str::contains("is being updated by another lede process"))
        .stderr(predicate::str::contains("--wait"));
    corpus
        .lede()
        .args(["search", "harbour"])
        .assert()
        .success()
        .stdout(predicate::str::contains("a.txt:3"))
        .stderr(predicate::str::contains("searching its last commit"));
    assert!(hit_paths(&corpus, "lighthouse", true).is_empty());

    // With --wait the second indexer runs once the first is done.
    let mut waiting = spawn_lede(corpus.path(), &["index", "--wait"]);
    waiting.line_containing("waiting", Duration::from_secs(20));
    assert!(waiting.child.try_wait().unwrap().is_none(), "--wait did not wait");
    drop(writer);
    let status = waiting.child.wait().unwrap();
    assert!(status.success());
    assert_eq!(hit_paths(&corpus, "lighthouse", false), ["b.txt"]);
}

#[test]
fn two_first_runs_at_once_build_one_index_and_the_loser_says_why() {
    let corpus = Corpus::new();
    for i in 0..300 {
        corpus
            .create(&format!("r{i}.txt"), format!("Report {i}\n\nThe ferry number {i} sailed.\n"));
    }
    let runs: Vec<_> = (0..2)
        .map(|_| {
            Command::new(assert_cmd::cargo::cargo_bin("lede"))
                .arg("index")
                .arg(corpus.path())
                .env_remove("LEDE_CORPUS")
                .stderr(Stdio::piped())
                .spawn()
                .unwrap()
        })
        .collect();
    let outputs: Vec<_> = runs.into_iter().map(|run| run.wait_with_output().unwrap()).collect();
    assert!(outputs.iter().any(|o| o.status.success()));
    for output in &outputs {
        let stderr = String::from_utf8_lossy(&output.stderr);
        if !output.status.success() {
            assert_eq!(output.status.code(), Some(2));
            assert!(stderr.contains("being updated by another lede process"), "{stderr}");
        }
    }
    assert_eq!(hit_paths(&corpus, "ferry", false).len(), 300);
}

/// A `lede` child process whose stderr lines arrive on a channel.
struct Spawned {
    child: Child,
    lines: Receiver<String>,
}

fn spawn_lede(corpus: &Path, args: &[&str]) -> Spawned {
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("lede"))
        .arg("--corpus")
        .arg(corpus)
        .args(args)
        .env_remove("LEDE_CORPUS")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let stderr = child.stderr.take().unwrap();
    let (tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    Spawned { child, lines }
}

impl Spawned {
    /// Waits for a stderr line containing `needle`; panics after `timeout`.
    fn line_containing(&self, needle: &str, timeout: Duration) -> String {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(line) if line.contains(needle) => return line,
                Ok(_) => {}
                Err(err) => panic!("no stderr line with {needle:?}: {err}"),
            }
        }
    }
}

#[test]
fn a_run_killed_mid_write_leaves_the_last_commit_and_the_next_run_completes() {
    let corpus = Corpus::new();
    corpus.create("old.txt", "Old\n\nThe zebra crossing was repainted.\n");
    corpus.lede().arg("index").assert().success();
    // Enough text that the run is still writing when it is killed.
    let filler: String = (0..15)
        .map(|p| format!("Paragraph {p} of the minutes records the vote on motion {p}.\n\n"))
        .collect();
    for i in 0..2000 {
        let text = format!("Report {i}\n\nThe committee number {i} agreed.\n\n{filler}");
        corpus.create(&format!("batch/{:02}/r{i}.txt", i % 40), text);
    }
    let mut run = spawn_lede(corpus.path(), &["index"]);
    run.line_containing("new or changed files", Duration::from_secs(30));
    assert!(run.child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
    run.child.kill().unwrap();
    run.child.wait().unwrap();

    assert_eq!(hit_paths(&corpus, "zebra", false), ["old.txt"]);
    let stderr = index_stderr(&corpus);
    assert!(stderr.contains("\nadded 2000, updated 0, removed 0, unchanged 1"), "{stderr}");
    assert_eq!(hit_paths(&corpus, "committee", false).len(), 1000);
}

#[test]
fn watch_picks_up_a_new_file_and_stops_cleanly_on_ctrl_c() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    let watch = spawn_lede(corpus.path(), &["watch", "--debounce", "100", "--rescan", "0"]);
    watch.line_containing("watching", Duration::from_secs(30));
    corpus.create("b.txt", "Other\n\nA lighthouse keeper retired.\n");
    let line = watch.line_containing("added 1, updated 0, removed 0", Duration::from_secs(30));
    assert!(line.starts_with("lede: "), "{line}");
    assert_eq!(hit_paths(&corpus, "lighthouse", false), ["b.txt"]);

    let mut watch = watch;
    let pid = watch.child.id().to_string();
    assert!(Command::new("kill").args(["-INT", &pid]).status().unwrap().success());
    watch.line_containing("stopped watching", Duration::from_secs(30));
    assert_eq!(watch.child.wait().unwrap().code(), Some(0));
    // No lock is left behind: another update runs at once.
    index_stderr(&corpus);
}

// --- files that cannot be indexed ----------------------------------------

fn index_output(corpus: &Corpus) -> (Option<i32>, String) {
    let output = corpus.lede().arg("index").output().unwrap();
    (output.status.code(), String::from_utf8_lossy(&output.stderr).into_owned())
}

/// `count` stderr lines mention `name`.
fn mentions(stderr: &str, name: &str) -> usize {
    stderr.lines().filter(|line| line.contains(name)).count()
}

#[test]
fn an_unreadable_file_is_reported_and_fails_the_run_but_not_the_corpus() {
    let corpus = Corpus::new();
    corpus.create("good.txt", "Good\n\nThe harbour froze.\n");
    let secret = corpus.create("secret.txt", "Secret\n\nClassified harbour plans.\n");
    fs::set_permissions(&secret, Permissions::from_mode(0o000)).unwrap();
    if fs::read(&secret).is_ok() {
        eprintln!("skipped: running as root, a mode-000 file is still readable");
        return;
    }
    let (code, stderr) = index_output(&corpus);
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(mentions(&stderr, "secret.txt"), 1, "{stderr}");
    assert!(stderr.contains("ermission denied"), "{stderr}");
    assert_eq!(hit_paths(&corpus, "harbour", false), ["good.txt"]);
    // Searches do not retry it (nor print it again); `lede index` does.
    corpus.lede().args(["search", "harbour"]).assert().success().stderr(ONLY_THE_COUNT);
    assert_eq!(index_output(&corpus).0, Some(2));
    fs::set_permissions(&secret, Permissions::from_mode(0o644)).unwrap();
    let (code, stderr) = index_output(&corpus);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.starts_with("added 1,"), "{stderr}");
}

#[test]
fn binary_and_empty_files_are_reported_once_and_skipped() {
    let corpus = Corpus::new();
    corpus.create("good.txt", "Good\n\nThe harbour froze.\n");
    corpus.create("blob.txt", b"\x7fELF\x02\x01\x01\x00\x00\x00binary");
    corpus.create("empty.txt", "");
    let (code, stderr) = index_output(&corpus);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(mentions(&stderr, "blob.txt: binary file"), 1, "{stderr}");
    assert_eq!(mentions(&stderr, "empty.txt: empty file"), 1, "{stderr}");
    assert_eq!(hit_paths(&corpus, "harbour", false), ["good.txt"]);
    let (code, stderr) = index_output(&corpus);
    assert_eq!((code, mentions(&stderr, "blob"), mentions(&stderr, "empty")), (Some(0), 0, 0));
    corpus.lede().args(["search", "harbour"]).assert().success().stderr(ONLY_THE_COUNT);
}

#[test]
fn a_ten_megabyte_single_line_file_is_indexed() {
    let corpus = Corpus::new();
    let mut line = String::with_capacity(10 * 1024 * 1024 + 64);
    let mut i = 0u64;
    while line.len() < 10 * 1024 * 1024 {
        line.push_str(&format!("token{} ", i % 5000));
        i += 1;
    }
    line.push_str("quokka\n");
    corpus.create("huge.txt", &line);
    corpus.create("small.txt", "Small\n\nThe harbour froze.\n");
    let (code, stderr) = index_output(&corpus);
    assert_eq!(code, Some(0), "{stderr}");
    // Its one line, cut into pieces of at most 64 KiB, and the small file's
    // two paragraphs.
    let pieces = line.len().div_ceil(64 * 1024);
    let paragraphs: usize = stderr
        .split("; ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(stderr.starts_with("added 2, updated 0, removed 0, unchanged 0;"), "{stderr}");
    assert!((pieces + 2..=pieces + 4).contains(&paragraphs), "{paragraphs} for {pieces}");
    assert_eq!(hit_paths(&corpus, "harbour", false), ["small.txt"]);
    assert_eq!(hit_paths(&corpus, "quokka", false), ["huge.txt"]);
}

#[test]
fn symlink_loops_and_dangling_links_are_reported_and_skipped() {
    let corpus = Corpus::new();
    corpus.create("sub/good.txt", "Good\n\nThe harbour froze.\n");
    std::os::unix::fs::symlink("..", corpus.path().join("sub/loop")).unwrap();
    std::os::unix::fs::symlink("nowhere.txt", corpus.path().join("dangling.txt")).unwrap();
    let (code, stderr) = index_output(&corpus);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(mentions(&stderr, "symbolic link loop"), 1, "{stderr}");
    assert_eq!(mentions(&stderr, "dangling.txt: broken symbolic link"), 1, "{stderr}");
    assert!(stderr.contains("added 1,"), "{stderr}");
    // Warnings, not errors: the run succeeds (exit 0) and says so.
    assert!(stderr.contains("warning: ") && !stderr.contains("error"), "{stderr}");
    assert_eq!(hit_paths(&corpus, "harbour", false), ["sub/good.txt"]);
    // The update behind a search does not repeat them...
    corpus.create("sub/more.txt", "More\n\nThe harbour thawed.\n");
    let search = corpus.lede().args(["search", "--json", "harbour"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&search.stderr);
    assert!(stderr.contains("index updated: added 1"), "{stderr}");
    assert!(!stderr.contains("symbolic link"), "{stderr}");
    // ...but names a new one.
    std::os::unix::fs::symlink("gone.txt", corpus.path().join("lost.txt")).unwrap();
    corpus.create("sub/third.txt", "Third\n\nThe harbour opened.\n");
    let search = corpus.lede().args(["search", "--json", "harbour"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&search.stderr);
    assert_eq!(mentions(&stderr, "lost.txt: broken symbolic link"), 1, "{stderr}");
    assert_eq!(mentions(&stderr, "symbolic link"), 1, "{stderr}");
    // `lede index` still lists them all.
    let (_, stderr) = index_output(&corpus);
    assert_eq!(mentions(&stderr, "symbolic link"), 3, "{stderr}");
}

#[test]
fn a_read_only_corpus_is_told_about_index_dir() {
    let corpus = Corpus::new();
    corpus.create("good.txt", "Good\n\nThe harbour froze.\n");
    fs::set_permissions(corpus.path(), Permissions::from_mode(0o555)).unwrap();
    let writable = fs::write(corpus.path().join("probe"), "").is_ok();
    if writable {
        fs::set_permissions(corpus.path(), Permissions::from_mode(0o755)).unwrap();
        eprintln!("skipped: running as root, a read-only folder is still writable");
        return;
    }
    let (code, stderr) = index_output(&corpus);
    fs::set_permissions(corpus.path(), Permissions::from_mode(0o755)).unwrap();
    assert_eq!(code, Some(2), "{stderr}");
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("--index DIR"), "{stderr}");
}
