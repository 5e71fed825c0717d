//! Main-text extraction against the Article Extraction Benchmark: each
//! page's body as lede's HTML reader extracts it, scored against its gold
//! `articleBody` the way the benchmark scores (4-token shingles).

use std::collections::HashMap;
use std::fmt;
use std::path::Path;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use serde::Serialize;

use crate::read::html;

/// Pages listed with their scores, worst first.
const WORST_SHOWN: usize = 10;

/// Scores of one run over a benchmark folder.
#[derive(Debug, Serialize)]
pub(crate) struct HtmlReport {
    pub pages: usize,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// Megabytes of HTML read per second of reader time (one thread).
    pub mb_per_s: f64,
    pub worst: Vec<PageScore>,
}

/// One page's scores.
#[derive(Debug, Serialize)]
pub(crate) struct PageScore {
    pub page: String,
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

/// Scores every page of `dir` (`pages/KEY.html` and `ground-truth.json`).
pub(crate) fn evaluate(dir: &Path) -> Result<HtmlReport> {
    let gold_path = dir.join("ground-truth.json");
    let gold: HashMap<String, serde_json::Value> = serde_json::from_slice(
        &std::fs::read(&gold_path)
            .with_context(|| format!("cannot read {}", gold_path.display()))?,
    )
    .with_context(|| format!("{}: not the benchmark's ground truth", gold_path.display()))?;
    let mut keys: Vec<&String> = gold.keys().collect();
    keys.sort();
    let mut scores = Vec::new();
    let (mut bytes, mut spent) = (0usize, Duration::ZERO);
    for key in keys {
        let page = dir.join("pages").join(format!("{key}.html"));
        let html =
            std::fs::read(&page).with_context(|| format!("cannot read {}", page.display()))?;
        let truth = gold[key]["articleBody"].as_str().unwrap_or_default();
        let started = Instant::now();
        let extracted = main_text(&html);
        spent += started.elapsed();
        bytes += html.len();
        let (tp, fp, fn_) = shingle_match(truth, &extracted);
        scores.push((key.clone(), tp, fp, fn_));
    }
    Ok(report(&scores, bytes, spent))
}

/// The body text the reader keeps, one paragraph a line (the title is
/// metadata, as in the benchmark's gold).
pub(crate) fn main_text(page: &[u8]) -> String {
    match html::read(page) {
        Ok(docs) => docs
            .iter()
            .flat_map(|d| &d.paragraphs)
            .map(|p| p.text.as_str())
            .collect::<Vec<_>>()
            .join("\n"),
        Err(_) => String::new(),
    }
}

fn report(scores: &[(String, f64, f64, f64)], bytes: usize, spent: Duration) -> HtmlReport {
    let mut pages: Vec<PageScore> = scores
        .iter()
        .map(|(page, tp, fp, fn_)| {
            let precision = ratio(*tp, tp + fp).unwrap_or(0.0);
            let recall = ratio(*tp, tp + fn_).unwrap_or(0.0);
            PageScore { page: page.clone(), precision, recall, f1: f1(precision, recall) }
        })
        .collect();
    let mean = |values: Vec<f64>| values.iter().sum::<f64>() / values.len().max(1) as f64;
    let precision = mean(scores.iter().filter_map(|(_, tp, fp, _)| ratio(*tp, tp + fp)).collect());
    let recall = mean(scores.iter().filter_map(|(_, tp, _, fn_)| ratio(*tp, tp + fn_)).collect());
    pages.sort_by(|a, b| a.f1.total_cmp(&b.f1));
    pages.truncate(WORST_SHOWN);
    HtmlReport {
        pages: scores.len(),
        precision,
        recall,
        f1: f1(precision, recall),
        mb_per_s: bytes as f64 / 1e6 / spent.as_secs_f64().max(1e-9),
        worst: pages,
    }
}

/// `None` when the denominator is 0 (the page is left out of that average).
fn ratio(part: f64, whole: f64) -> Option<f64> {
    (whole > 0.0).then(|| part / whole)
}

fn f1(precision: f64, recall: f64) -> f64 {
    if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    }
}

/// The benchmark's tp/fp/fn of one page: 4-token shingle multisets of the
/// gold and extracted texts, normalised by their sum.
pub(crate) fn shingle_match(truth: &str, extracted: &str) -> (f64, f64, f64) {
    let truth = shingles(truth);
    let extracted = shingles(extracted);
    let (mut tp, mut fp, mut fn_) = (0usize, 0usize, 0usize);
    for (shingle, &want) in &truth {
        let got = extracted.get(shingle).copied().unwrap_or(0);
        tp += want.min(got);
        fn_ += want.saturating_sub(got);
    }
    for (shingle, &got) in &extracted {
        let want = truth.get(shingle).copied().unwrap_or(0);
        fp += got.saturating_sub(want);
    }
    let sum = (tp + fp + fn_) as f64;
    if sum == 0.0 {
        return (0.0, 0.0, 0.0);
    }
    (tp as f64 / sum, fp as f64 / sum, fn_ as f64 / sum)
}

fn shingles(text: &str) -> HashMap<Vec<&str>, usize> {
    let tokens: Vec<&str> = text
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|t| !t.is_empty())
        .collect();
    let mut counts = HashMap::new();
    for window in tokens.windows(4) {
        *counts.entry(window.to_vec()).or_insert(0) += 1;
    }
    counts
}

impl fmt::Display for HtmlReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{} pages: F1 {:.3}, precision {:.3}, recall {:.3}; {:.1} MB/s of HTML (one thread)",
            self.pages, self.f1, self.precision, self.recall, self.mb_per_s
        )?;
        writeln!(f, "worst pages (F1 precision recall):")?;
        for page in &self.worst {
            writeln!(
                f,
                "  {:.3} {:.3} {:.3}  {}",
                page.f1, page.precision, page.recall, page.page
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shingles_score_as_the_benchmark_does() {
        let truth = "one two three four five";
        assert_eq!(shingle_match(truth, truth), (1.0, 0.0, 0.0));
        // Two gold shingles; the extraction has one of them and one more.
        let (tp, fp, fn_) = shingle_match(truth, "one two three four, six");
        assert_eq!((tp, fp, fn_), (1.0 / 3.0, 1.0 / 3.0, 1.0 / 3.0));
        assert_eq!(shingle_match("too short", "too short"), (0.0, 0.0, 0.0));
    }

    #[test]
    fn averages_leave_out_pages_with_nothing_to_score() {
        let scores = vec![
            ("a".to_string(), 1.0, 0.0, 0.0),
            ("b".to_string(), 0.5, 0.5, 0.0),
            ("c".to_string(), 0.0, 0.0, 0.0),
        ];
        let report = report(&scores, 1_000_000, Duration::from_secs(1));
        assert_eq!((report.precision, report.recall), (0.75, 1.0));
        assert_eq!(report.worst[0].page, "c");
        assert_eq!(report.mb_per_s, 1.0);
    }
}
