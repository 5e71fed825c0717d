//! Test harness: temporary corpora, a `lede` command with a clean
//! environment, and a shared index of the bundled corpus.

use std::fs;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use assert_cmd::Command;
use tempfile::TempDir;

/// The bundled corpus in the repository.
pub fn bundled_corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus")
}

/// The bundled corpus's article files, sorted; the index folder `.lede`
/// that the README's first command leaves there is not one of them.
pub fn bundled_articles() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(bundled_corpus())
        .expect("the bundled corpus")
        .map(|entry| entry.expect("a folder entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    files
}

/// `lede` with none of our environment variables, run in a scratch folder.
pub fn lede() -> Command {
    let mut cmd = Command::cargo_bin("lede").expect("lede binary");
    cmd.env_remove("LEDE_CORPUS").env_remove("NO_COLOR").env("RUST_BACKTRACE", "0");
    cmd
}

/// An index of the bundled corpus, built once per test run in a temporary
/// folder (the corpus folder itself is left untouched).
pub fn bundled_index() -> &'static Path {
    static INDEX: OnceLock<(TempDir, PathBuf)> = OnceLock::new();
    let (_, path) = INDEX.get_or_init(|| {
        let dir = TempDir::new().expect("temp dir");
        let index = dir.path().join("idx");
        lede().arg("index").arg(bundled_corpus()).arg("--index").arg(&index).assert().success();
        (dir, index)
    });
    path
}

/// `lede search` over the bundled corpus's shared index.
pub fn search_bundled(args: &[&str]) -> Command {
    let mut cmd = lede();
    cmd.arg("--index").arg(bundled_index()).arg("search").args(args);
    cmd
}

/// A temporary corpus folder.
pub struct Corpus {
    pub dir: TempDir,
}

impl Corpus {
    pub fn new() -> Corpus {
        Corpus { dir: TempDir::new().expect("temp dir") }
    }

    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// Writes `name` (creating folders) with `contents`.
    pub fn create(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.dir.path().join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent).expect("mkdir");
        }
        fs::write(&path, contents).expect("write");
        path
    }

    /// `lede` with `--corpus` pointing here.
    pub fn lede(&self) -> Command {
        let mut cmd = lede();
        cmd.arg("--corpus").arg(self.path());
        cmd
    }
}

/// Decoded JSON Lines output.
pub fn json_lines(stdout: &[u8]) -> Vec<serde_json::Value> {
    String::from_utf8_lossy(stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}
