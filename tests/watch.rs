//! `lede watch --background/--status/--stop`, and searches served by a
//! running watcher: they see files written just before them without walking
//! the folder, and fall back to the walk when the watcher is killed.

use std::process::Command as Process;
use std::time::{Duration, Instant};

use crate::util::Corpus;

/// Generous: the machine running the tests may be busy.
const PATIENCE: &str = "60000";

/// A background watcher, killed with the test even when it fails.
struct Watcher {
    pid: u32,
}

impl Drop for Watcher {
    fn drop(&mut self) {
        let _ = Process::new("kill").args(["-KILL", &self.pid.to_string()]).status();
    }
}

fn start_watcher(corpus: &Corpus) -> Watcher {
    let output = corpus.lede().args(["watch", "--background"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("in the background (pid "), "{stderr}");
    Watcher { pid: watcher_pid(corpus).expect("the watcher is running") }
}

fn watcher_pid(corpus: &Corpus) -> Option<u32> {
    let output = corpus.lede().args(["stats", "--json"]).output().unwrap();
    assert!(output.status.success());
    let stats: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(stats["watched"], stats["watcher_pid"].is_u64());
    stats["watcher_pid"].as_u64().map(|pid| u32::try_from(pid).unwrap())
}

/// `lede search WORD -l` with freshness traced: (files found, stderr).
fn search(corpus: &Corpus, word: &str) -> (Vec<String>, String) {
    let output = corpus
        .lede()
        .args(["search", word, "-l"])
        .env("LEDE_TRACE", "1")
        .env("LEDE_SYNC_WAIT_MS", PATIENCE)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    let files = stdout.lines().map(|line| line.rsplit('/').next().unwrap_or("").to_string());
    (files.collect(), String::from_utf8_lossy(&output.stderr).into_owned())
}

fn wait_until(what: &str, mut done: impl FnMut() -> bool) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while !done() {
        assert!(Instant::now() < deadline, "timed out waiting until {what}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_background_watcher_serves_searches_what_was_written_just_before() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    let watcher = start_watcher(&corpus);

    corpus.create("b.txt", "Other\n\nA lighthouse keeper retired.\n");
    let (files, stderr) = search(&corpus, "lighthouse");
    assert_eq!(files, ["b.txt"], "{stderr}");
    assert!(stderr.contains("lede: freshness: watcher"), "{stderr}");
    assert!(!stderr.contains("index updated"), "the search did not update itself: {stderr}");

    // An edit in place and a removal, each searched at once.
    corpus.create("a.txt", "Title\n\nThe lighthouse froze overnight.\n");
    let (mut files, stderr) = search(&corpus, "lighthouse");
    files.sort();
    assert_eq!(files, ["a.txt", "b.txt"], "{stderr}");
    std::fs::remove_file(corpus.path().join("b.txt")).unwrap();
    let (files, stderr) = search(&corpus, "lighthouse");
    assert_eq!(files, ["a.txt"], "{stderr}");
    assert!(stderr.contains("lede: freshness: watcher"), "{stderr}");
    // No cookie is left in the corpus.
    let left: Vec<_> = std::fs::read_dir(corpus.path())
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.starts_with(".lede-sync"))
        .collect();
    assert!(left.is_empty(), "{left:?}");

    let status = corpus.lede().args(["watch", "--status"]).output().unwrap();
    let text = String::from_utf8_lossy(&status.stdout);
    assert!(status.status.success(), "{text}");
    assert!(text.contains(&format!("watched by lede process {}: up ", watcher.pid)), "{text}");
    assert!(!text.contains("last sync never"), "{text}");
    let stats = corpus.lede().arg("stats").output().unwrap();
    let text = String::from_utf8_lossy(&stats.stdout);
    assert!(
        text.contains(&format!("watched:       yes (lede watch, pid {})", watcher.pid)),
        "{text}"
    );

    // A second watcher on the same index is refused.
    let second = corpus.lede().args(["watch", "--background"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&second.stderr);
    assert_eq!(second.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("is already watched by lede process"), "{stderr}");

    let stop = corpus.lede().args(["watch", "--stop"]).output().unwrap();
    let stderr = String::from_utf8_lossy(&stop.stderr);
    assert!(stop.status.success(), "{stderr}");
    assert!(stderr.contains(&format!("stopped the watcher (pid {})", watcher.pid)), "{stderr}");
    assert_eq!(watcher_pid(&corpus), None);
    let status = corpus.lede().args(["watch", "--status"]).output().unwrap();
    assert_eq!(status.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&status.stdout).starts_with("not watched"));
    assert_eq!(corpus.lede().args(["watch", "--stop"]).output().unwrap().status.code(), Some(1));

    corpus.create("c.txt", "Third\n\nThe lighthouse was sold.\n");
    let (files, stderr) = search(&corpus, "lighthouse");
    assert_eq!(files.len(), 2, "{stderr}");
    assert!(stderr.contains("lede: freshness: walk"), "{stderr}");
}

/// `lede search ARGS` in `corpus`: (exit code, stdout, stderr).
fn search_with(corpus: &Corpus, args: &[&str]) -> (Option<i32>, String, String) {
    let output = corpus
        .lede()
        .arg("search")
        .args(args)
        .env("LEDE_TRACE", "1")
        .env("LEDE_SYNC_WAIT_MS", PATIENCE)
        .output()
        .unwrap();
    let text = |bytes: &[u8]| String::from_utf8_lossy(bytes).into_owned();
    (output.status.code(), text(&output.stdout), text(&output.stderr))
}

#[test]
fn a_search_the_watcher_runs_prints_what_the_search_run_here_prints() {
    let corpus = Corpus::new();
    for path in crate::util::bundled_articles() {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        corpus.create(&name, std::fs::read(&path).unwrap());
    }
    let searches: &[&[&str]] = &[
        &["5,000 engineers"],
        &["Kursk", "--json", "--entities"],
        &["engineers", "--explain", "-n", "3"],
        &["Kursk", "-c"],
        &["--place", "Kursk", "-l"],
        &["Putin", "--from", "2024-01-01", "--tsv"],
        &["Kursk", "--lang", "en", "--sort", "published", "--json"],
        &["\"North Korean\" OR Rosgarde", "--json", "--per-file", "1"],
        // Nothing matches: searched here again, for its notes.
        &["zebra", "--place", "Kursk"],
    ];
    let watcher = start_watcher(&corpus);
    let served: Vec<_> = searches.iter().map(|args| search_with(&corpus, args)).collect();
    let (_, _, stderr) = &served[0];
    assert!(stderr.contains("lede: freshness: watcher (search served)"), "{stderr}");
    // The watcher also answers a search of its last commit.
    let (_, _, stderr) = search_with(&corpus, &["Kursk", "--no-refresh"]);
    assert!(!stderr.contains("freshness"), "{stderr}");
    drop(watcher);
    wait_until("the killed watcher's lock is gone", || watcher_pid(&corpus).is_none());

    for (args, (code, stdout, stderr)) in searches.iter().zip(served) {
        let args = [*args, &["--no-refresh"]].concat();
        let (code_here, stdout_here, stderr_here) = search_with(&corpus, &args);
        assert_eq!(code, code_here, "{args:?}: {stderr} / {stderr_here}");
        assert_eq!(stdout, stdout_here, "{args:?}");
        let notes = |text: &str| {
            text.lines().filter(|l| !l.contains("freshness")).collect::<Vec<_>>().join("\n")
        };
        assert_eq!(notes(&stderr), notes(&stderr_here), "{args:?}");
    }
}

#[test]
fn a_watcher_follows_its_index_through_a_rebuild() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    let watcher = start_watcher(&corpus);
    corpus.lede().args(["index", "--rebuild"]).assert().success();
    // The rebuilt folder has no watcher until it notices and locks it again.
    wait_until("the watcher locks the rebuilt index", || watcher_pid(&corpus) == Some(watcher.pid));
    wait_until("the watcher answers", || {
        corpus.lede().args(["watch", "--status"]).output().unwrap().status.success()
    });
    corpus.create("b.txt", "Other\n\nA lighthouse keeper retired.\n");
    let (files, stderr) = search(&corpus, "lighthouse");
    assert_eq!(files, ["b.txt"], "{stderr}");
    assert!(stderr.contains("lede: freshness: watcher"), "{stderr}");
    // Its log moved with it: the update it ran for b.txt is in the new
    // folder's watch.log.
    let log = corpus.path().join(".lede/watch.log");
    wait_until("the update is logged in the new folder", || {
        std::fs::read_to_string(&log).is_ok_and(|text| text.contains("added 1"))
    });
}

#[test]
fn a_killed_watcher_is_not_trusted_and_a_new_one_catches_up() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    let watcher = start_watcher(&corpus);
    let killed = Process::new("kill").args(["-KILL", &watcher.pid.to_string()]).status().unwrap();
    assert!(killed.success());
    wait_until("the killed watcher's lock is gone", || watcher_pid(&corpus).is_none());

    corpus.create("b.txt", "Other\n\nA lighthouse keeper retired.\n");
    let (files, stderr) = search(&corpus, "lighthouse");
    assert_eq!(files, ["b.txt"], "{stderr}");
    assert!(stderr.contains("lede: freshness: walk"), "{stderr}");

    // Changed while nothing watched: the next watcher applies it on start.
    corpus.create("c.txt", "Third\n\nA zebra escaped.\n");
    let _watcher = start_watcher(&corpus);
    let output = corpus.lede().args(["search", "zebra", "-l", "--no-refresh"]).output().unwrap();
    assert!(String::from_utf8_lossy(&output.stdout).ends_with("c.txt\n"));
}

#[test]
fn a_watcher_that_does_not_answer_leaves_the_last_commit_searched_with_a_note() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    let watcher = start_watcher(&corpus);
    let pid = watcher.pid.to_string();
    assert!(Process::new("kill").args(["-STOP", &pid]).status().unwrap().success());
    corpus.create("b.txt", "Other\n\nA harbour master retired.\n");
    let output = corpus
        .lede()
        .args(["search", "harbour", "-l"])
        .env("LEDE_SYNC_WAIT_MS", "300")
        .output()
        .unwrap();
    let _ = Process::new("kill").args(["-CONT", &pid]).status();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("did not apply the latest changes in time"), "{stderr}");
    assert!(String::from_utf8_lossy(&output.stdout).ends_with("a.txt\n"), "{stderr}");
}

#[test]
fn a_slow_walk_earns_one_hint_a_day_on_stderr_only() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Title\n\nThe harbour froze overnight.\n");
    corpus.lede().arg("index").assert().success();
    let run = || {
        let output = corpus
            .lede()
            .args(["search", "harbour", "--json"])
            .env("LEDE_SLOW_WALK_MS", "0")
            .output()
            .unwrap();
        assert!(output.status.success());
        crate::util::json_lines(&output.stdout);
        String::from_utf8_lossy(&output.stderr).into_owned()
    };
    let first = run();
    assert!(first.contains("lede: hint: checking the folder for changes took"), "{first}");
    assert!(first.contains("lede watch --background"), "{first}");
    assert_eq!(run(), "");
}
