//! Trains the bundled NER model (see `lede::extract::entities` for the recipe).
//!
//! ```text
//! cargo run --release --example train_ner -- <eng.train> <eng.testa> data/models/ner.model
//! ```
//! Deterministic: the same inputs give the same model file. Prints dev F1 per epoch.
//! Experiments can override the defaults with `NER_EPOCHS`, `NER_MIN_COUNT`,
//! `NER_PRUNE`, `NER_FOLDS`, `NER_SEED` and `NER_ONE_STAGE=1`, and train with other word
//! clusters than the compiled-in `data/models/clusters.bin` with
//! `NER_CLUSTERS=file` (a model trained so only tags right in a build with
//! that file compiled in); the shipped model uses none of them.
//!
//! `cargo run --release --example train_ner -- --eval <conll file>` scores the
//! model compiled into this build instead (the same as `lede eval ner FILE`).

use std::path::PathBuf;
use std::time::Instant;

use anyhow::{bail, Context};
use lede::eval::ner::{read_conll, score_documents};
use lede::extract::entities::clusters::Clusters;
use lede::extract::entities::train::{train, TrainConfig};

fn main() -> anyhow::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    install_clusters()?;
    if let [flag, path] = args.as_slice() {
        if flag == "--eval" {
            let report = lede::eval::ner::evaluate_conll(&PathBuf::from(path))?;
            println!("{report}");
            return Ok(());
        }
    }
    let [train_path, dev_path, out_path] = args.as_slice() else {
        bail!("usage: train_ner <eng.train> <eng.testa> <out.model>");
    };
    let started = Instant::now();
    let train_docs = read_conll(&PathBuf::from(train_path))?;
    let dev_docs = read_conll(&PathBuf::from(dev_path))?;
    let mut cfg = TrainConfig::default();
    if let Ok(e) = std::env::var("NER_EPOCHS") {
        cfg.epochs = e.parse().context("NER_EPOCHS must be a number")?;
    }
    if let Ok(v) = std::env::var("NER_MIN_COUNT") {
        cfg.min_count = v.parse().context("NER_MIN_COUNT must be a number")?;
    }
    if let Ok(v) = std::env::var("NER_PRUNE") {
        cfg.prune_below = v.parse().context("NER_PRUNE must be a number")?;
    }
    if let Ok(v) = std::env::var("NER_FOLDS") {
        cfg.folds = v.parse().context("NER_FOLDS must be a number")?;
    }
    if let Ok(v) = std::env::var("NER_ENSEMBLE") {
        cfg.ensemble = v.parse().context("NER_ENSEMBLE must be a number")?;
    }
    if let Ok(v) = std::env::var("NER_SEED") {
        cfg.seed = v.parse().context("NER_SEED must be a number")?;
    }
    if std::env::var("NER_ONE_STAGE").is_ok() {
        cfg.two_stage = false;
    }
    eprintln!(
        "training on {} documents, dev {} documents, {cfg:?}",
        train_docs.len(),
        dev_docs.len()
    );
    let dev_f1 = |tagger: &_| score_documents(tagger, &dev_docs).0.overall().f1();
    let model = train(&train_docs, &dev_f1, &cfg, &mut |line| eprintln!("{line}"));
    let bytes = model.to_bytes();
    std::fs::write(out_path, &bytes).with_context(|| format!("failed to write {out_path}"))?;
    eprintln!(
        "wrote {out_path}: {} bytes, {} stage(s), in {:.1} s",
        bytes.len(),
        model.stages.len(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Installs the word clusters `NER_CLUSTERS` names, if it is set, before
/// anything tags.
fn install_clusters() -> anyhow::Result<()> {
    let Ok(path) = std::env::var("NER_CLUSTERS") else { return Ok(()) };
    let bytes = std::fs::read(&path).with_context(|| format!("failed to read {path}"))?;
    let clusters = Clusters::from_bytes(&bytes).with_context(|| format!("in {path}"))?;
    eprintln!(
        "word clusters from {path}: {} words, classes {:?}",
        clusters.len(),
        clusters.classes()
    );
    if clusters.install().is_err() {
        bail!("word clusters were in use before NER_CLUSTERS could replace them");
    }
    Ok(())
}
