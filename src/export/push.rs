//! Sends bulk actions to a running engine: batches cut by bytes, the whole
//! batch retried with exponential backoff on 429 and 5xx (and when the
//! connection fails), each item's own result read from the response, items
//! refused with 429/5xx retried, every other refusal reported with its path.
//! Nothing is dropped silently: what did not arrive is in
//! [`PushReport::failed`].
//!
//! The response shape relied on (OpenSearch and Elasticsearch `_bulk`; items
//! are in the order of the actions):
//!
//! ```text
//! {"took":11,"errors":true,"items":[
//!   {"index":{"_index":"lede","_id":"a.txt:p1","result":"created","status":201}},
//!   {"index":{"_id":"a.txt:p2","status":400,
//!             "error":{"type":"mapper_parsing_exception","reason":"…"}}},
//!   {"delete":{"_id":"b.txt:p3","result":"not_found","status":404}}]}
//! ```

use std::collections::BTreeSet;
use std::thread;
use std::time::Duration;

use anyhow::{bail, Result};
use serde_json::Value;

use super::http::{self, Url};
use super::ndjson;
use super::state::Plan;
use super::Engine;

/// Where records go.
#[derive(Clone, Debug)]
pub(crate) struct Target {
    /// The index URL: `http://host:9200/lede`, or for Quickwit
    /// `http://host:7280/api/v1/_elastic/lede`.
    pub url: Url,
    pub engine: Engine,
}

/// Batch size and retry policy.
#[derive(Clone, Debug)]
pub(crate) struct PushOptions {
    /// A batch closes before it would pass this many bytes (Quickwit refuses
    /// requests over 10 MB by default; OpenSearch's `http.max_content_length`
    /// is 100 MB).
    pub batch_bytes: usize,
    /// Attempts after the first, for a batch or an item.
    pub retries: u32,
    /// First wait; doubled after each retry.
    pub backoff: Duration,
}

impl Default for PushOptions {
    fn default() -> PushOptions {
        PushOptions { batch_bytes: 5 << 20, retries: 6, backoff: Duration::from_millis(500) }
    }
}

/// A record that did not arrive.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Failure {
    pub path: String,
    pub id: String,
    pub reason: String,
}

/// What a push did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct PushReport {
    pub added: usize,
    pub deleted: usize,
    pub batches: usize,
    pub retries: usize,
    pub failed: Vec<Failure>,
}

impl PushReport {
    /// The failures grouped by reason, in order of first appearance, so a
    /// cause shared by many records (an engine gone away) is told once.
    pub(crate) fn failures_by_reason(&self) -> Vec<(&str, Vec<&Failure>)> {
        let mut groups: Vec<(&str, Vec<&Failure>)> = Vec::new();
        for failure in &self.failed {
            match groups.iter_mut().find(|(reason, _)| *reason == failure.reason) {
                Some((_, members)) => members.push(failure),
                None => groups.push((&failure.reason, vec![failure])),
            }
        }
        groups
    }

    /// Paths with at least one record that did not arrive.
    pub(crate) fn failed_paths(&self) -> BTreeSet<String> {
        self.failed.iter().map(|f| f.path.clone()).collect()
    }
}

/// One action with its lines.
struct Op {
    path: String,
    id: String,
    delete: bool,
    lines: Vec<u8>,
}

/// Sends what `plan` says: deletes (or, on Quickwit, delete tasks) first,
/// then the records of new and edited files. `log` hears about retries.
pub(crate) fn push(
    target: &Target,
    plan: &Plan,
    options: &PushOptions,
    log: &mut dyn FnMut(&str),
) -> Result<PushReport> {
    let mut report = PushReport::default();
    let mut ops = Vec::new();
    if target.engine.deletes() {
        for (path, id) in &plan.deletes {
            let mut lines = Vec::new();
            ndjson::write_delete(&mut lines, id)?;
            ops.push(Op { path: path.clone(), id: id.clone(), delete: true, lines });
        }
    } else {
        let stale: Vec<&String> = plan.edited.iter().chain(&plan.removed).collect();
        quickwit_delete_tasks(target, &stale, options, &mut report, log)?;
    }
    for record in &plan.adds {
        let mut lines = Vec::new();
        ndjson::write_add(&mut lines, target.engine, record)?;
        ops.push(Op { path: record.path.clone(), id: record.id(), delete: false, lines });
    }
    for batch in batches(ops, options.batch_bytes) {
        send_batch(target, batch, options, &mut report, log)?;
    }
    Ok(report)
}

/// Cuts `ops` into runs of at most `limit` bytes (an op larger than that
/// goes alone).
fn batches(ops: Vec<Op>, limit: usize) -> Vec<Vec<Op>> {
    let mut out: Vec<Vec<Op>> = Vec::new();
    let mut bytes = 0;
    for op in ops {
        match out.last_mut() {
            Some(batch) if bytes + op.lines.len() <= limit => {
                bytes += op.lines.len();
                batch.push(op);
            }
            _ => {
                bytes = op.lines.len();
                out.push(vec![op]);
            }
        }
    }
    out
}

/// Whether a status means "try again later".
fn retryable(status: u16) -> bool {
    status == 429 || status >= 500
}

fn send_batch(
    target: &Target,
    mut pending: Vec<Op>,
    options: &PushOptions,
    report: &mut PushReport,
    log: &mut dyn FnMut(&str),
) -> Result<()> {
    let path = target.url.join("_bulk");
    let mut attempt = 0;
    loop {
        let body: Vec<u8> = pending.iter().flat_map(|op| op.lines.iter().copied()).collect();
        report.batches += 1;
        let retry_reason = match http::request("POST", &target.url, &path, NDJSON, &body) {
            // Nothing ever reached the engine: a wrong URL or an engine not
            // running, which half a minute of retries would only hide.
            Err(err) if report.batches == 1 && report.added + report.deleted == 0 => bail!(
                "cannot reach {}:{} ({err}): is the engine running and the URL right? \
                 Nothing was exported",
                target.url.host,
                target.url.port
            ),
            Err(err) => format!("connection failed: {err}"),
            Ok(response) if retryable(response.status) => {
                format!("{} answered {}", target.url.host, response.status)
            }
            Ok(response) if (200..300).contains(&response.status) => {
                let refused = item_results(&response.body, pending.len());
                let mut again = Vec::new();
                for (op, result) in pending.into_iter().zip(refused) {
                    match result {
                        ItemResult::Done => {
                            if op.delete {
                                report.deleted += 1;
                            } else {
                                report.added += 1;
                            }
                        }
                        ItemResult::Retry(reason) if attempt < options.retries => {
                            again.push((op, reason));
                        }
                        ItemResult::Retry(reason) | ItemResult::Refused(reason) => {
                            report.failed.push(Failure { path: op.path, id: op.id, reason });
                        }
                    }
                }
                if again.is_empty() {
                    return Ok(());
                }
                let reason = format!("{} items refused for now ({})", again.len(), again[0].1);
                pending = again.into_iter().map(|(op, _)| op).collect();
                reason
            }
            Ok(response) => bail!(
                "{}:{}{path} answered {}: {}",
                target.url.host,
                target.url.port,
                response.status,
                first_chars(&response.body_text(), 300)
            ),
        };
        if attempt >= options.retries {
            for op in pending {
                let reason = format!("gave up after {} retries: {retry_reason}", options.retries);
                report.failed.push(Failure { path: op.path, id: op.id, reason });
            }
            return Ok(());
        }
        let wait = options.backoff * 2u32.saturating_pow(attempt);
        log(&format!("{retry_reason}; retrying in {} ms", wait.as_millis()));
        thread::sleep(wait);
        attempt += 1;
        report.retries += 1;
    }
}

const NDJSON: &str = "application/x-ndjson";
const JSON: &str = "application/json";

/// The outcome of one bulk item.
#[derive(Clone, Debug, PartialEq, Eq)]
enum ItemResult {
    Done,
    Retry(String),
    Refused(String),
}

/// Each action's result, in order, from a 2xx `_bulk` response. Without
/// per-item results (Quickwit's answer carries none), `errors: false` means
/// all arrived; `errors: true` without items fails them all.
fn item_results(body: &[u8], count: usize) -> Vec<ItemResult> {
    let parsed: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    let items = parsed["items"].as_array();
    let any_error = parsed["errors"].as_bool().unwrap_or(false);
    (0..count)
        .map(|i| {
            let Some(item) = items.and_then(|items| items.get(i)) else {
                return if any_error || parsed.is_null() {
                    ItemResult::Refused("the engine reported errors but no per-item result".into())
                } else {
                    ItemResult::Done
                };
            };
            // {"index": {...}}: the one value, whatever the action.
            let result = item.as_object().and_then(|o| o.values().next()).unwrap_or(&Value::Null);
            let status = result["status"].as_u64().unwrap_or(0) as u16;
            let deleted_already = status == 404 && result["result"] == "not_found";
            if (200..300).contains(&status) || deleted_already {
                return ItemResult::Done;
            }
            let error = &result["error"];
            let reason = match (error["type"].as_str(), error["reason"].as_str()) {
                (Some(kind), Some(reason)) => format!("{status} {kind}: {reason}"),
                _ if error.is_string() => format!("{status} {}", error.as_str().unwrap_or("")),
                _ => format!("status {status}"),
            };
            if retryable(status) {
                ItemResult::Retry(reason)
            } else {
                ItemResult::Refused(reason)
            }
        })
        .collect()
}

/// Quickwit keeps every document it was given: before an edited file's
/// records are sent again, and for a removed file, its old records are
/// deleted by a delete task on `path` (`POST /api/v1/<index>/delete-tasks`
/// with `{"query": "path:\"…\""}`), which applies to what was indexed before it.
fn quickwit_delete_tasks(
    target: &Target,
    paths: &[&String],
    options: &PushOptions,
    report: &mut PushReport,
    log: &mut dyn FnMut(&str),
) -> Result<()> {
    if paths.is_empty() {
        return Ok(());
    }
    let Some((base, index)) = target.url.path.split_once("/_elastic/") else {
        bail!(
            "{}: for Quickwit pass the Elasticsearch-compatible index URL, \
             http://HOST:7280/api/v1/_elastic/INDEX",
            target.url.path
        );
    };
    let endpoint = format!("{base}/{index}/delete-tasks");
    for path in paths {
        let query = format!("path:{}", serde_json::to_string(path)?);
        let body = serde_json::to_vec(&serde_json::json!({ "query": query }))?;
        let mut attempt = 0;
        loop {
            // Ok: worth another try; Err: final.
            let outcome = match http::request("POST", &target.url, &endpoint, JSON, &body) {
                Ok(response) if (200..300).contains(&response.status) => {
                    report.deleted += 1;
                    break;
                }
                Ok(response) if retryable(response.status) => {
                    Ok(format!("answered {}", response.status))
                }
                Ok(response) => {
                    Err(format!("delete task refused: {}", first_chars(&response.body_text(), 200)))
                }
                Err(err) => Ok(format!("connection failed: {err}")),
            };
            let reason = match outcome {
                Ok(reason) if attempt < options.retries => reason,
                Ok(reason) | Err(reason) => {
                    let (path, id) = (path.to_string(), path.to_string());
                    report.failed.push(Failure { path, id, reason });
                    break;
                }
            };
            let wait = options.backoff * 2u32.saturating_pow(attempt);
            log(&format!("delete task for {path}: {reason}; retrying in {} ms", wait.as_millis()));
            thread::sleep(wait);
            attempt += 1;
            report.retries += 1;
        }
    }
    Ok(())
}

fn first_chars(text: &str, n: usize) -> String {
    text.chars().take(n).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn item_results_by_position_and_status() {
        let body = br#"{"errors":true,"items":[
            {"index":{"_id":"a","status":201,"result":"created"}},
            {"index":{"_id":"b","status":429,"error":{"type":"es_rejected_execution_exception","reason":"queue full"}}},
            {"create":{"_id":"c","status":400,"error":{"type":"mapper_parsing_exception","reason":"bad date"}}},
            {"delete":{"_id":"d","status":404,"result":"not_found"}}]}"#;
        let results = item_results(body, 4);
        assert_eq!(results[0], ItemResult::Done);
        assert!(matches!(&results[1], ItemResult::Retry(r) if r.contains("queue full")));
        assert_eq!(
            results[2],
            ItemResult::Refused("400 mapper_parsing_exception: bad date".into())
        );
        assert_eq!(results[3], ItemResult::Done);
        assert_eq!(item_results(br#"{"errors":false}"#, 2), [ItemResult::Done, ItemResult::Done]);
        assert!(matches!(item_results(b"not json", 1)[0], ItemResult::Refused(_)));
    }

    #[test]
    fn batches_stay_under_the_byte_limit() {
        let op = |n: usize| Op {
            path: String::new(),
            id: String::new(),
            delete: false,
            lines: vec![b'x'; n],
        };
        let sizes: Vec<Vec<usize>> = batches(vec![op(4), op(4), op(3), op(20), op(1)], 10)
            .iter()
            .map(|b| b.iter().map(|o| o.lines.len()).collect())
            .collect();
        assert_eq!(sizes, [vec![4, 4], vec![3], vec![20], vec![1]]);
    }
}
