//! Learns the word clusters the NER tagger uses (`data/models/clusters.bin`)
//! from unlabelled news text; see `lede::extract::entities::exchange` for the
//! method and `lede::extract::entities` for the whole recipe.
//!
//! ```text
//! cargo run --release --example word_clusters -- ../shared/corpora data/models/clusters.bin
//! ```
//! Every `.txt` file under the given folders is read (headline, blank line,
//! paragraphs; invalid UTF-8 is decoded leniently), in path order. A file
//! named directly is read as text, or as CoNLL columns (first column) if it
//! starts with `-DOCSTART-`. Deterministic: the same inputs give the same
//! file. Experiments can override the defaults with `CLUSTERS_CLASSES`
//! (comma-separated, finest first), `CLUSTERS_MIN_COUNT` and
//! `CLUSTERS_PASSES`; the shipped file uses none of them.
//!
//! The tagger's features depend on the clusters: after writing a new file,
//! rebuild and retrain the model (`examples/train_ner.rs`).

use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{bail, Context};
use lede::eval::ner::read_conll;
use lede::extract::entities::clusters::Clusters;
use lede::extract::entities::exchange::{learn, Corpus, ExchangeConfig};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some((out_path, inputs)) = args.split_last().filter(|(_, inputs)| !inputs.is_empty())
    else {
        bail!("usage: word_clusters <corpus folder or file>... <out.bin>");
    };
    let mut cfg = ExchangeConfig::default();
    if let Ok(v) = std::env::var("CLUSTERS_CLASSES") {
        cfg.classes = v
            .split(',')
            .map(|c| c.trim().parse())
            .collect::<Result<_, _>>()
            .context("CLUSTERS_CLASSES must be comma-separated numbers")?;
    }
    if let Ok(v) = std::env::var("CLUSTERS_MIN_COUNT") {
        cfg.min_count = v.parse().context("CLUSTERS_MIN_COUNT must be a number")?;
    }
    if let Ok(v) = std::env::var("CLUSTERS_PASSES") {
        cfg.passes = v.parse().context("CLUSTERS_PASSES must be a number")?;
    }
    let started = Instant::now();
    let mut corpus = Corpus::new();
    let mut files = 0usize;
    for input in inputs {
        files += add_input(&mut corpus, Path::new(input))?;
    }
    eprintln!(
        "read {files} files: {} tokens, {} distinct words ({:.1} s); {cfg:?}",
        corpus.tokens(),
        corpus.vocabulary(),
        started.elapsed().as_secs_f64()
    );
    let clusters = learn(&corpus, &cfg, &mut |line| eprintln!("{line}"))?;
    let bytes = clusters.to_bytes();
    std::fs::write(out_path, &bytes).with_context(|| format!("failed to write {out_path}"))?;
    eprintln!(
        "wrote {out_path}: {} words, classes {:?}, {} bytes, in {:.1} s",
        clusters.len(),
        clusters.classes(),
        bytes.len(),
        started.elapsed().as_secs_f64()
    );
    // What the tagger pays once per process to load them.
    let parsing = Instant::now();
    let parsed = Clusters::from_bytes(&bytes)?;
    eprintln!(
        "the file parses back ({} words) in {:.1} ms",
        parsed.len(),
        parsing.elapsed().as_secs_f64() * 1000.0
    );
    Ok(())
}

/// Adds a folder's `.txt` files (sorted by path) or one file; returns how
/// many files were read.
fn add_input(corpus: &mut Corpus, path: &Path) -> anyhow::Result<usize> {
    if path.is_file() {
        add_file(corpus, path)?;
        return Ok(1);
    }
    let mut paths: Vec<PathBuf> = Vec::new();
    for entry in walkdir::WalkDir::new(path) {
        let entry = entry.with_context(|| format!("failed to list {}", path.display()))?;
        if entry.file_type().is_file() && entry.path().extension().is_some_and(|e| e == "txt") {
            paths.push(entry.into_path());
        }
    }
    paths.sort();
    for p in &paths {
        let bytes = std::fs::read(p).with_context(|| format!("failed to read {}", p.display()))?;
        corpus.add_text(&String::from_utf8_lossy(&bytes));
    }
    Ok(paths.len())
}

fn add_file(corpus: &mut Corpus, path: &Path) -> anyhow::Result<()> {
    let bytes =
        std::fs::read(path).with_context(|| format!("failed to read {}", path.display()))?;
    if bytes.starts_with(b"-DOCSTART-") {
        for doc in read_conll(path)? {
            for s in &doc.sentences {
                let tokens: Vec<&str> = s.tokens.iter().map(String::as_str).collect();
                corpus.add_sentence(&tokens);
            }
        }
    } else {
        corpus.add_text(&String::from_utf8_lossy(&bytes));
    }
    Ok(())
}
