//! An in-process stand-in for a search engine's HTTP API, written from the
//! engines' published documentation (not from lede's output), for the parts
//! lede uses:
//!
//! `POST /<index>/_bulk` (OpenSearch "Bulk API", Elasticsearch "Bulk API";
//! Quickwit's `/api/v1/_elastic/<index>/_bulk`): an NDJSON body of action
//! lines `{ "index": { "_index": "movies", "_id": "tt1979320" } }`, each
//! `index`/`create` followed by its document line, `delete` by nothing; the
//! answer is `{"took": …, "errors": bool, "items": [{"index": {"_index": …,
//! "_id": …, "result": "created", "status": 201}}, …]}` with one item per
//! action, in order; a refused item carries `"error": {"type": …,
//! "reason": …}` and its own status (429 when the node's queue is full); a
//! delete of a missing id answers `"result": "not_found", "status": 404`.
//! `create` of an existing id is refused with 409.
//!
//! `POST /<index>/_search`: the request body is recorded; the answer is
//! `{"hits": {"total": {"value": N, "relation": "eq"}, "hits": [{"_index",
//! "_id", "_score", "_source": {…}, "highlight": {"text": ["…"]}}]}}`.
//!
//! `POST /api/v1/<index>/delete-tasks` (Quickwit "Delete API"): body
//! `{"query": "…"}`, recorded and answered 200.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};
use std::thread;

use serde_json::{json, Value};

/// One request as received.
#[derive(Clone, Debug)]
pub struct Request {
    pub method: String,
    pub path: String,
    pub body: String,
}

/// What the stub holds and how it should misbehave.
#[derive(Default)]
pub struct State {
    pub requests: Vec<Request>,
    /// Documents by `_id`.
    pub docs: BTreeMap<String, Value>,
    /// Whole-request statuses to answer before behaving (429, 500, …).
    pub fail_next: VecDeque<u16>,
    /// Ids refused with 400 on every attempt.
    pub refuse: BTreeSet<String>,
    /// Ids refused with a per-item 429 once, then accepted.
    pub busy_once: BTreeSet<String>,
    /// The `_search` answer's hits, as (id, highlighted text or None).
    pub search_hits: Vec<(String, Option<String>)>,
}

pub struct Stub {
    pub url: String,
    pub state: Arc<Mutex<State>>,
}

impl Stub {
    /// Listens on a free local port; `index_path` is the URL path of the
    /// index (`/lede` or `/api/v1/_elastic/lede`).
    pub fn start(index_path: &str) -> Stub {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let url = format!("http://{}{index_path}", listener.local_addr().expect("addr"));
        let state = Arc::new(Mutex::new(State::default()));
        let shared = Arc::clone(&state);
        thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                serve(stream, &shared);
            }
        });
        Stub { url, state }
    }

    pub fn with<T>(&self, f: impl FnOnce(&mut State) -> T) -> T {
        f(&mut self.state.lock().expect("stub state"))
    }

    pub fn requests_to(&self, suffix: &str) -> Vec<Request> {
        self.with(|s| s.requests.iter().filter(|r| r.path.ends_with(suffix)).cloned().collect())
    }
}

fn serve(stream: TcpStream, state: &Mutex<State>) {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    if reader.read_line(&mut line).is_err() {
        return;
    }
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_string();
    let path = parts.next().unwrap_or_default().to_string();
    let mut length = 0;
    loop {
        let mut header = String::new();
        if reader.read_line(&mut header).is_err() || header.trim().is_empty() {
            break;
        }
        if let Some((name, value)) = header.split_once(':') {
            if name.trim().eq_ignore_ascii_case("content-length") {
                length = value.trim().parse().unwrap_or(0);
            }
        }
    }
    let mut body = vec![0; length];
    if reader.read_exact(&mut body).is_err() {
        return;
    }
    let request = Request { method, path, body: String::from_utf8_lossy(&body).into_owned() };
    let (status, answer) = answer(&mut state.lock().expect("stub state"), request);
    let mut stream = reader.into_inner();
    let _ = write!(
        stream,
        "HTTP/1.1 {status} X\r\nContent-Type: application/json\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{answer}",
        answer.len()
    );
}

fn answer(state: &mut State, request: Request) -> (u16, String) {
    state.requests.push(request.clone());
    if let Some(status) = state.fail_next.pop_front() {
        return (status, json!({"error": {"type": "stub", "reason": "on demand"}}).to_string());
    }
    if request.path.ends_with("/_bulk") {
        return (200, bulk(state, &request.body).to_string());
    }
    if request.path.ends_with("/_search") {
        return (200, search(state).to_string());
    }
    if request.path.ends_with("/delete-tasks") {
        let query: Value = serde_json::from_str(&request.body).unwrap_or(Value::Null);
        // Only path:"…" queries are answered: delete that file's records.
        if let Some(path) = query["query"].as_str().and_then(|q| q.strip_prefix("path:")) {
            let path: String = serde_json::from_str(path).unwrap_or_default();
            state.docs.retain(|_, doc| doc["path"] != path.as_str());
        }
        return (200, json!({"create_timestamp": 0, "opstamp": 1}).to_string());
    }
    (404, json!({"error": "no such endpoint"}).to_string())
}

fn bulk(state: &mut State, body: &str) -> Value {
    let mut lines = body.lines();
    let mut items = Vec::new();
    while let Some(line) = lines.next() {
        let action: Value = serde_json::from_str(line).expect("action line is JSON");
        let (name, meta) = action.as_object().and_then(|o| o.iter().next()).expect("one action");
        let id = meta["_id"].as_str().expect("_id").to_string();
        let source = match name.as_str() {
            "index" | "create" => {
                Some(serde_json::from_str::<Value>(lines.next().expect("source")).expect("JSON"))
            }
            "delete" => None,
            other => panic!("unexpected action {other}"),
        };
        let item = if state.refuse.contains(&id) {
            json!({"_id": id, "status": 400,
                   "error": {"type": "mapper_parsing_exception", "reason": "refused by the stub"}})
        } else if state.busy_once.remove(&id) {
            json!({"_id": id, "status": 429,
                   "error": {"type": "es_rejected_execution_exception", "reason": "queue full"}})
        } else {
            match (name.as_str(), source) {
                ("create", Some(_)) if state.docs.contains_key(&id) => {
                    json!({"_id": id, "status": 409,
                    "error": {"type": "version_conflict_engine_exception", "reason": "exists"}})
                }
                (_, Some(source)) => {
                    let replaced = state.docs.insert(id.clone(), source).is_some();
                    let (result, status) =
                        if replaced { ("updated", 200) } else { ("created", 201) };
                    json!({"_id": id, "result": result, "status": status})
                }
                (_, None) => match state.docs.remove(&id) {
                    Some(_) => json!({"_id": id, "result": "deleted", "status": 200}),
                    None => json!({"_id": id, "result": "not_found", "status": 404}),
                },
            }
        };
        items.push(json!({ name.clone(): item }));
    }
    let errors = items.iter().any(|item| {
        item.as_object().and_then(|o| o.values().next()).is_some_and(|i| i.get("error").is_some())
    });
    json!({"took": 1, "errors": errors, "items": items})
}

fn search(state: &State) -> Value {
    let hits: Vec<Value> = state
        .search_hits
        .iter()
        .enumerate()
        .filter_map(|(i, (id, highlighted))| {
            let source = state.docs.get(id)?.clone();
            let mut hit = json!({"_index": "lede", "_id": id, "_score": 10.0 - i as f64,
                                 "_source": source});
            if let Some(text) = highlighted {
                hit["highlight"] = json!({"text": [text]});
            }
            Some(hit)
        })
        .collect();
    json!({"took": 1, "timed_out": false,
           "hits": {"total": {"value": hits.len(), "relation": "eq"}, "max_score": 10.0,
                    "hits": hits},
           "aggregations": {"files": {"value": 1}}})
}
