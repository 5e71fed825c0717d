//! Load test for `lede serve` (not run by CI; `bench/serve-load` drives it):
//! N clients, each sending `/api/search` requests one after another over a
//! kept-alive connection for a fixed time, with the plain-word queries of
//! `bench/queries.tsv`. Prints requests/s, latency percentiles and errors.
//!
//! `--uncached` spells every request's query string differently (the
//! spaces before the query as `+` or `%20`, by the bits of the request's
//! number): the same searches, none of which the server's answer cache has
//! seen, so the figures are those of searching.
//!
//! ```sh
//! cargo run --release --example load -- http://127.0.0.1:7700 --clients 32 --secs 30
//! ```

use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::client::legacy::Client;
use hyper_util::rt::TokioExecutor;

fn main() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let base =
        args.first().ok_or("usage: load BASE_URL [--clients N] [--secs S] [--uncached]")?.clone();
    let option = |name: &str, default: u64| -> Result<u64, String> {
        match args.iter().position(|a| a == name) {
            Some(i) => args
                .get(i + 1)
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name}: expected a number")),
            None => Ok(default),
        }
    };
    let clients = option("--clients", 32)? as usize;
    let secs = option("--secs", 30)?;
    let uncached = args.iter().any(|a| a == "--uncached");
    let queries = queries()?;
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| e.to_string())?;
    runtime.block_on(run(base, clients, Duration::from_secs(secs), queries, uncached))
}

/// The queries of bench/queries.tsv that need no filter options.
fn queries() -> Result<Vec<String>, String> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/bench/queries.tsv");
    let text = std::fs::read_to_string(path).map_err(|e| format!("{path}: {e}"))?;
    Ok(text
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .filter_map(|l| {
            let columns: Vec<&str> = l.split('\t').collect();
            (columns.get(2) == Some(&"-")).then(|| columns.get(1).map(|q| q.to_string()))?
        })
        .collect())
}

/// 24 spaces, spelled by the bits of the client and its request count:
/// no two requests of a run share the spelling.
fn distinct_spaces(count: u64, client: usize) -> String {
    let bits = (count << 8) | client as u64 & 0xff;
    (0..24).map(|bit| if bits >> bit & 1 == 1 { "%20" } else { "+" }).collect()
}

async fn run(
    base: String,
    clients: usize,
    duration: Duration,
    queries: Vec<String>,
    uncached: bool,
) -> Result<(), String> {
    let client: Client<_, Empty<Bytes>> = Client::builder(TokioExecutor::new()).build_http();
    let deadline = Instant::now() + duration;
    let started = Instant::now();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let (client, base, queries) = (client.clone(), base.clone(), queries.clone());
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0usize;
            let mut i = c;
            let mut sent_count = 0u64;
            while Instant::now() < deadline {
                let q = lede::serve::params::encode(&queries[i % queries.len()]);
                i += 1;
                let spaces = if uncached { distinct_spaces(sent_count, c) } else { String::new() };
                sent_count += 1;
                let uri = format!("{base}/api/search?q={spaces}{q}");
                let sent = Instant::now();
                let ok = match uri.parse() {
                    Ok(uri) => match client.get(uri).await {
                        Ok(response) => {
                            let status = response.status();
                            let body = response.into_body().collect().await;
                            status.is_success() && body.is_ok()
                        }
                        Err(_) => false,
                    },
                    Err(_) => false,
                };
                latencies.push(sent.elapsed());
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for task in tasks {
        let (mine, failed) = task.await.map_err(|e| e.to_string())?;
        latencies.extend(mine);
        errors += failed;
    }
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort();
    let pct = |p: f64| {
        let rank = ((p / 100.0) * latencies.len() as f64).ceil() as usize;
        latencies.get(rank.saturating_sub(1)).map_or(0.0, |d| d.as_secs_f64() * 1000.0)
    };
    let how = if uncached { "uncached" } else { "repeated queries" };
    println!(
        "{how}: {clients} clients, {elapsed:.1} s: {} requests, {:.0} requests/s, p50 {:.1} ms, \
         p99 {:.1} ms, max {:.1} ms, {errors} errors",
        latencies.len(),
        latencies.len() as f64 / elapsed,
        pct(50.0),
        pct(99.0),
        pct(100.0),
    );
    Ok(())
}
