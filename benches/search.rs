//! In-process search latency: `lede::search::run` over the fixed query set
//! of `bench/queries.tsv`, so the cost of process start-up, argument parsing
//! and printing (measured whole-process by `bench/run`) is separated out.
//!
//! `LEDE_BENCH_INDEX=DIR cargo bench --bench search` measures an index built
//! by `lede index`; without it the bundled `data/corpus` is indexed into a
//! temporary folder first. Filter rows of the query list are left out: their
//! options are parsed by the command line, not by `search::run`.

use std::hint::black_box;
use std::path::{Path, PathBuf};

use criterion::{criterion_group, criterion_main, Criterion};
use lede::index::update::{self, UpdateOptions};
use lede::index::LedeIndex;
use lede::search::{self, SearchRequest};

/// The query list shared with `bench/run`.
const QUERIES: &str = include_str!("../bench/queries.tsv");

/// (id, query text) of every row without filter options.
fn queries() -> Vec<(String, String)> {
    QUERIES
        .lines()
        .filter(|line| !line.trim().is_empty() && !line.starts_with('#'))
        .filter_map(|line| {
            let mut columns = line.split('\t');
            let kind = columns.next()?;
            let text = columns.next()?;
            let filters = columns.next()?;
            (filters == "-").then(|| (kind.to_string(), text.to_string()))
        })
        .enumerate()
        .map(|(i, (kind, text))| (format!("{:02}-{kind}", i + 1), text))
        .collect()
}

/// The index to measure, and the temporary folder that holds it (if any).
fn bench_index() -> (PathBuf, Option<tempfile::TempDir>) {
    if let Some(dir) = std::env::var_os("LEDE_BENCH_INDEX") {
        return (PathBuf::from(dir), None);
    }
    let corpus = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/corpus");
    let tmp = tempfile::tempdir().expect("temporary folder");
    let index = LedeIndex::create(tmp.path(), &corpus).expect("create index");
    update::update(&index, &UpdateOptions::default(), &mut |_| {}).expect("index data/corpus");
    (tmp.path().to_path_buf(), Some(tmp))
}

fn search_latency(c: &mut Criterion) {
    let (dir, _tmp) = bench_index();

    // What a `lede search` process pays before its query: open and read the index.
    c.benchmark_group("open").bench_function("open-index", |b| {
        b.iter(|| {
            let index = LedeIndex::open(&dir).expect("open index");
            black_box(index.reader().expect("reader").searcher());
        })
    });

    let index = LedeIndex::open(&dir).expect("open index");
    let mut group = c.benchmark_group("search");
    for (id, text) in queries() {
        let request =
            SearchRequest { query: text, limit: 10, per_file: 3, ..SearchRequest::default() };
        group.bench_function(id, |b| {
            b.iter(|| black_box(search::run(&index, &request, Vec::new()).expect("search")))
        });
    }
    group.finish();
}

criterion_group! {
    name = benches;
    // Short windows: 35 queries must finish in about a minute on 2 cores.
    config = Criterion::default()
        .sample_size(20)
        .warm_up_time(std::time::Duration::from_millis(300))
        .measurement_time(std::time::Duration::from_secs(1));
    targets = search_latency
}
criterion_main!(benches);
