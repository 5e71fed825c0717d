//! `lede serve`: every route of the page and the API, driven in process
//! through the router (no socket), and every safety case of issue 16:
//! escaping of hostile titles, text and file names, paths outside the index
//! or the corpus, malformed and oversized query strings, and a slow index
//! update that must not hold up other requests.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::{Request, StatusCode};
use http_body_util::BodyExt;
use lede::index::LedeIndex;
use lede::serve::{router, ServeOptions, Shared};
use tower::ServiceExt;

use crate::util::{bundled_index, json_lines, lede, search_bundled, Corpus};

/// A response, read whole.
struct Got {
    status: StatusCode,
    content_type: String,
    body: String,
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime")
}

async fn fetch(app: axum::Router, uri: &str) -> Got {
    let request = Request::get(uri).body(Body::empty()).expect("request");
    let response = app.oneshot(request).await.expect("response");
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_string();
    let bytes = response.into_body().collect().await.expect("body").to_bytes();
    Got { status, content_type, body: String::from_utf8_lossy(&bytes).into_owned() }
}

/// A router on the index in `dir`.
fn app_on(dir: &Path, options: ServeOptions) -> axum::Router {
    let index = LedeIndex::open(dir).expect("open index");
    router(Arc::new(Shared::new(index, options).expect("shared state")))
}

/// A router on the bundled corpus's shared index, which it never updates.
fn bundled_app() -> axum::Router {
    app_on(bundled_index(), ServeOptions { refresh: false, ..ServeOptions::default() })
}

fn get(uri: &str) -> Got {
    runtime().block_on(fetch(bundled_app(), uri))
}

#[test]
fn api_search_answers_as_lede_search_json() {
    let got = get("/api/search?q=5%2C000+engineers&limit=5");
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.content_type.starts_with("application/x-ndjson"));
    let api = json_lines(got.body.as_bytes());
    let cli = search_bundled(&["5,000 engineers", "-n", "5", "--json"]).assert().success();
    let cli = json_lines(&cli.get_output().stdout);
    let key = |hits: &[serde_json::Value]| -> Vec<(String, u64, String)> {
        hits.iter()
            .map(|h| {
                let doc = h["doc"].as_str().unwrap_or_default().to_string();
                (doc, h["para"].as_u64().unwrap_or(0), h["highlights"].to_string())
            })
            .collect()
    };
    assert_eq!(key(&api), key(&cli), "same hits, order and highlights as the CLI");
    assert!(api[0]["doc"].as_str().unwrap().starts_with("000_"));
    assert!(!api[0]["entities"]["org"].as_array().unwrap().is_empty());
}

#[test]
fn api_search_prints_what_lede_search_json_prints() {
    // A misspelt query is searched as corrected: the hits say so, as the CLI's do.
    let api = get("/api/search?q=Gerasimv&limit=3");
    assert_eq!(api.status, StatusCode::OK);
    let cli = search_bundled(&["Gerasimv", "-n", "3", "--json"]).assert().success();
    let cli = String::from_utf8_lossy(&cli.get_output().stdout).into_owned();
    let hits = json_lines(api.body.as_bytes());
    assert!(!hits.is_empty());
    assert_eq!(hits[0]["corrected_query"], "Gerasimov");
    // `path` is shown from the current folder; the rest is the same bytes.
    let without_path = |text: &str| -> Vec<serde_json::Value> {
        let mut hits = json_lines(text.as_bytes());
        for hit in &mut hits {
            hit.as_object_mut().map(|h| h.remove("path"));
        }
        hits
    };
    assert_eq!(without_path(&api.body), without_path(&cli));
}

#[test]
fn filters_alone_order_by_date_as_lede_search_does() {
    let api = json_lines(get("/api/search?place=Kursk&limit=5").body.as_bytes());
    let cli = search_bundled(&["--place", "Kursk", "-n", "5", "--json"]).assert().success();
    let cli = json_lines(&cli.get_output().stdout);
    let key = |hits: &[serde_json::Value]| -> Vec<(String, u64)> {
        hits.iter()
            .map(|h| {
                (h["doc"].as_str().unwrap_or_default().to_string(), h["para"].as_u64().unwrap_or(0))
            })
            .collect()
    };
    assert!(!api.is_empty());
    assert_eq!(key(&api), key(&cli));
}

#[test]
fn api_search_counts_and_filters() {
    let all: serde_json::Value =
        serde_json::from_str(&get("/api/search?q=Kursk&count=1").body).expect("count JSON");
    let august: serde_json::Value =
        serde_json::from_str(&get("/api/search?q=Kursk&on=2024-08&count=1").body).expect("JSON");
    assert!(all["paragraphs"].as_u64().unwrap() > august["paragraphs"].as_u64().unwrap());
    assert!(august["paragraphs"].as_u64().unwrap() > 0);
    let nothing = get("/api/search");
    assert_eq!(nothing.status, StatusCode::BAD_REQUEST);
    assert!(nothing.body.contains("nothing to search for"), "{}", nothing.body);
}

#[test]
fn api_entities_dates_and_doc() {
    let entities = json_lines(get("/api/entities?q=Kursk&type=place&limit=3").body.as_bytes());
    assert!(!entities.is_empty() && entities.len() <= 3);
    assert!(entities.iter().all(|e| e["type"] == "place"));
    assert!(entities.iter().any(|e| e["name"] == "Kursk"), "{entities:?}");

    let dates = json_lines(get("/api/dates?q=Kursk&by=year").body.as_bytes());
    assert!(dates.iter().any(|d| d["period"] == "2024"), "{dates:?}");
    assert_eq!(get("/api/dates?by=week").status, StatusCode::BAD_REQUEST);

    let hit = &json_lines(get("/api/search?q=5%2C000+engineers&limit=1").body.as_bytes())[0];
    let doc = hit["doc"].as_str().unwrap();
    let got = get(&format!("/api/doc?path={doc}"));
    assert_eq!(got.status, StatusCode::OK);
    let json: serde_json::Value = serde_json::from_str(&got.body).expect("doc JSON");
    assert_eq!(json["title"], hit["title"]);
    let para = hit["para"].as_u64().unwrap() as usize;
    assert_eq!(json["paragraphs"][para]["text"], hit["text"]);
}

#[test]
fn search_page_shows_hits_facets_timeline_and_exports() {
    let got = get("/?q=Kursk");
    assert_eq!(got.status, StatusCode::OK);
    assert!(got.content_type.starts_with("text/html"));
    let page = &got.body;
    assert!(page.contains("<mark class=\"hl\">Kursk</mark>"), "highlighted query");
    assert!(page.contains("data-kind=\"person\""), "person facet");
    assert!(page.contains("<svg class=\"timeline\""), "timeline");
    assert!(page.contains("href=\"/?q=Kursk&amp;on=2024"), "bars filter to their period");
    assert!(page.contains("/export.csv?q=Kursk&amp;limit=0"));
    // A facet link adds the filter; the narrowed search shows it as a chip.
    let narrowed = get("/?q=Kursk&place=Kursk");
    assert!(narrowed.body.contains("class=\"chip\""), "chip for the active filter");

    let csv = get("/export.csv?q=Kursk&limit=0");
    assert!(csv.content_type.starts_with("text/csv"));
    let mut lines = csv.body.lines();
    assert!(lines.next().unwrap().starts_with("\"rank\",\"score\",\"path\""));
    assert!(lines.next().unwrap().contains("Kursk"));
    let jsonl = get("/export.jsonl?q=Kursk&limit=0");
    assert!(json_lines(jsonl.body.as_bytes()).len() > 1);

    let second = get("/?q=Kursk&page=2").body;
    assert!(second.contains("<ol class=\"hits\" start=\"11\">"), "page 2 starts at 11");
    assert!(second.contains("rel=\"prev\""));
}

#[test]
fn the_publication_timeline_links_to_publication_filters() {
    let corpus = Corpus::new();
    corpus.create(
        "wire.jsonl",
        concat!(
            r#"{"title":"Harbour opens","text":"The harbour opened to ferries.","date":"2024-08-06"}"#,
            "\n",
            r#"{"title":"Harbour closes","text":"The harbour closed for the winter.","date":"2024-11-20"}"#,
            "\n"
        ),
    );
    let index = tempfile::TempDir::new().expect("temp dir");
    lede().arg("index").arg(corpus.path()).arg("--index").arg(index.path()).assert().success();
    let app = || app_on(index.path(), ServeOptions { refresh: false, ..ServeOptions::default() });
    let rt = runtime();
    let page = rt.block_on(fetch(app(), "/?q=harbour&timeline=published")).body;
    assert!(page.contains("published_from=2024-08&amp;published_to=2024-08"), "{page}");
    assert!(page.contains("published_from=2024-11&amp;published_to=2024-11"), "{page}");
    let narrowed = rt.block_on(fetch(
        app(),
        "/api/search?q=harbour&published_from=2024-11&published_to=2024-11",
    ));
    let hits = json_lines(narrowed.body.as_bytes());
    // The headline lifts its record's text, as on any corpus.
    assert_eq!(hits.len(), 1, "the text of the November record: {hits:?}");
    assert_eq!(hits[0]["text"], "The harbour closed for the winter.");
    assert!(hits.iter().all(|h| h["published"] == "2024-11-20"));
}

#[test]
fn document_view_opens_at_the_hit_with_marks() {
    let hit = &json_lines(get("/api/search?q=5%2C000+engineers&limit=1").body.as_bytes())[0];
    let (doc, para) = (hit["doc"].as_str().unwrap(), hit["para"].as_u64().unwrap());
    let got = get(&format!("/doc?path={doc}&para={para}&q=5%2C000+engineers"));
    assert_eq!(got.status, StatusCode::OK);
    let page = &got.body;
    assert!(page.contains(&format!("class=\"para target\" id=\"p{para}\"")), "hit paragraph");
    assert!(page.contains("<mark class=\"hl\">5,000</mark>"));
    assert!(page.contains("<mark class=\"place\">") || page.contains("<mark class=\"org\">"));
    let file = get(&format!("/file?path={doc}"));
    assert_eq!(file.status, StatusCode::OK);
    assert!(file.content_type.starts_with("text/plain"));
}

#[test]
fn batch_page_counts_each_line() {
    let got = get("/batch?lines=Kursk%0Anosuchwordanywhere%0A%22unclosed");
    assert_eq!(got.status, StatusCode::OK);
    let page = &got.body;
    assert!(
        page.contains("<td>nosuchwordanywhere</td>") || page.contains(">nosuchwordanywhere</a>")
    );
    assert!(page.contains("<td>0</td>"), "a line with no hits counts 0");
    assert!(page.contains("unclosed `&quot;`"), "a bad line says why: {page}");
}

#[test]
fn malformed_and_oversized_requests_get_400() {
    let long = format!("/?q={}", "a".repeat(40_000));
    let long_value = format!("/api/search?q={}", "a".repeat(5000));
    for uri in [
        "/api/search?q=%zz",
        "/api/search?q=%FF%FE",
        "/api/search?q=a&limit=ten",
        "/api/search?q=a&bogus=1",
        "/api/search?q=a&from=yesterday",
        "/api/search?q=a&from=2024&to=2023",
        "/api/search?q=%22unclosed",
        "/api/search?q=a&page=99999999999999999999999",
        "/api/doc",
        long.as_str(),
        long_value.as_str(),
    ] {
        let got = get(uri);
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{uri}: {}", got.body);
        assert!(!got.body.contains("--"), "{uri}: parameters, not options: {}", got.body);
        assert!(!got.body.trim().is_empty(), "{uri}: a message says why");
    }
    // The page shows a query it cannot parse on the page itself.
    let page = get("/?q=%22unclosed");
    assert!(page.body.contains("class=\"problem\""));
}

/// A corpus whose file names, titles and text try to inject markup.
fn hostile_corpus() -> (Corpus, tempfile::TempDir) {
    let corpus = Corpus::new();
    let body = "<script>alert('t')</script> \"><img src=x onerror=alert(1)> title\n\n\
                Alert text: <script>alert(2)</script> and \"><img src=x onerror=alert(3)> and \
                <a href=\"javascript:alert(4)\">click</a> javascript:alert(5)\n";
    corpus.create("\"><img src=x onerror=alert(6)>.txt", body);
    corpus.create("javascript:alert(7).txt", body);
    corpus.create("<script>alert(8)<\\script>.txt", body);
    let index = tempfile::TempDir::new().expect("temp dir");
    lede().arg("index").arg(corpus.path()).arg("--index").arg(index.path()).assert().success();
    (corpus, index)
}

#[test]
fn corpus_text_is_escaped_everywhere() {
    let (_corpus, index) = hostile_corpus();
    let app = || app_on(index.path(), ServeOptions { refresh: false, ..ServeOptions::default() });
    let rt = runtime();
    let hits = json_lines(rt.block_on(fetch(app(), "/api/search?q=alert&limit=0")).body.as_bytes());
    assert_eq!(
        hits.iter().map(|h| h["doc"].as_str()).collect::<std::collections::HashSet<_>>().len(),
        3
    );
    let mut pages = vec![rt.block_on(fetch(app(), "/?q=alert")).body];
    for hit in &hits {
        let doc = lede::serve::params::encode(hit["doc"].as_str().unwrap());
        pages.push(rt.block_on(fetch(app(), &format!("/doc?path={doc}&para=1&q=alert"))).body);
        pages.push(rt.block_on(fetch(app(), &format!("/batch?lines={doc}"))).body);
    }
    for page in &pages {
        let lower = page.to_lowercase();
        assert!(!lower.contains("<script>alert"), "{page}");
        assert!(!lower.contains("<img"), "{page}");
        assert!(!lower.contains("href=\"javascript:"), "{page}");
        assert!(!lower.contains("onerror=alert") || lower.contains("&gt;"), "{page}");
    }
    assert!(pages[0].contains("&lt;script&gt;"), "shown as text");
    // The three files are one text: one hit, the others its copies, whose
    // hostile paths are escaped too (checked above) and linked encoded.
    assert!(pages[0].contains("also in 2 files: "), "{}", pages[0]);
    for path in ["%22%3E%3Cimg", "javascript%3Aalert%287%29", "%3Cscript%3Ealert%288%29"] {
        assert!(pages[0].contains(&format!("/doc?path={path}")), "{path}: {}", pages[0]);
    }
    let folded = json_lines(rt.block_on(fetch(app(), "/api/search?q=alert")).body.as_bytes());
    let all = rt.block_on(fetch(app(), "/api/search?q=alert&all_copies=1")).body;
    assert_eq!(folded.iter().filter(|h| h["para"] == 1).count(), 1);
    assert_eq!(folded.iter().find(|h| h["para"] == 1).unwrap()["copy_count"], 2);
    assert_eq!(json_lines(all.as_bytes()).iter().filter(|h| h["para"] == 1).count(), 3);
    // The only scripts are the page's own.
    for page in &pages {
        assert_eq!(page.matches("<script").count(), 1, "{page}");
    }
}

#[test]
fn only_indexed_files_inside_the_corpus_are_served() {
    let corpus = Corpus::new();
    corpus.create("inside.txt", "Inside title\n\nThe harbour was quiet.\n");
    let outside = tempfile::TempDir::new().expect("temp dir");
    std::fs::write(outside.path().join("secret.txt"), "Secret title\n\nThe harbour code.\n")
        .expect("write");
    std::os::unix::fs::symlink(outside.path().join("secret.txt"), corpus.path().join("leak.txt"))
        .expect("symlink");
    std::os::unix::fs::symlink(outside.path(), corpus.path().join("away")).expect("symlink");
    let index = tempfile::TempDir::new().expect("temp dir");
    lede().arg("index").arg(corpus.path()).arg("--index").arg(index.path()).assert().success();
    let app = || app_on(index.path(), ServeOptions { refresh: false, ..ServeOptions::default() });
    let rt = runtime();
    assert_eq!(rt.block_on(fetch(app(), "/file?path=inside.txt")).status, StatusCode::OK);
    let secret = outside.path().join("secret.txt");
    let absolute = lede::serve::params::encode(&secret.to_string_lossy());
    for uri in [
        "/file?path=leak.txt".to_string(),
        "/file?path=away/secret.txt".to_string(),
        "/file?path=../secret.txt".to_string(),
        "/file?path=..%2F..%2F..%2Fetc%2Fpasswd".to_string(),
        "/file?path=%2e%2e/%2e%2e/etc/passwd".to_string(),
        "/file?path=inside.txt/../../etc/passwd".to_string(),
        format!("/file?path={absolute}"),
        "/doc?path=..%2Finside.txt".to_string(),
        format!("/doc?path={absolute}"),
        "/api/doc?path=%2Fetc%2Fpasswd".to_string(),
        "/file/../etc/passwd".to_string(),
        "/nosuchpage".to_string(),
    ] {
        let got = rt.block_on(fetch(app(), &uri));
        assert_eq!(got.status, StatusCode::NOT_FOUND, "{uri}: {}", got.body);
        assert!(!got.body.contains("harbour code"), "{uri}");
    }
}

#[test]
fn a_slow_index_update_does_not_hold_up_other_requests() {
    let corpus = Corpus::new();
    corpus.create("a.txt", "Harbour news\n\nThe harbour reopened on Monday.\n");
    let index = tempfile::TempDir::new().expect("temp dir");
    lede().arg("index").arg(corpus.path()).arg("--index").arg(index.path()).assert().success();
    let app = app_on(index.path(), ServeOptions { refresh_every: Duration::ZERO, refresh: true });
    // A big new file: the next request that checks the folder indexes it.
    let paragraph = "The committee met again in Brussels to discuss the harbour budget and \
                     the new ferry timetable for the islands. ";
    let mut big = String::from("Ferry report\n\n");
    while big.len() < 12_000_000 {
        big.push_str(&paragraph.repeat(6));
        big.push_str("\n\n");
    }
    corpus.create("big.txt", big);
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    rt.block_on(async {
        let started = Instant::now();
        let slow = tokio::spawn(fetch(app.clone(), "/api/search?q=ferry&count=1"));
        tokio::time::sleep(Duration::from_millis(300)).await;
        let quick_start = Instant::now();
        let quick = fetch(app.clone(), "/api/search?q=harbour&count=1").await;
        let quick_time = quick_start.elapsed();
        assert_eq!(quick.status, StatusCode::OK);
        assert!(!slow.is_finished(), "the update should still run (took {:?})", started.elapsed());
        let slow = slow.await.expect("slow request");
        let slow_time = started.elapsed();
        assert!(quick_time * 4 < slow_time, "quick {quick_time:?}, slow {slow_time:?}");
        // The request that ran the update sees the new file.
        let counted: serde_json::Value = serde_json::from_str(&slow.body).expect("JSON");
        assert!(counted["paragraphs"].as_u64().unwrap() > 0, "{}", slow.body);
    });
}

/// The server is its index's watcher: a file added to the folder reaches
/// the page with no request checking the folder (`refresh` is off here),
/// and the answer cached for a query gives way to the new commit's.
#[test]
fn the_server_watches_its_index_and_new_commits_replace_cached_answers() {
    use lede::serve::watching::{self, Started};
    let corpus = Corpus::new();
    corpus.create("a.txt", "Harbour news\n\nThe harbour reopened on Monday.\n");
    let index = tempfile::TempDir::new().expect("temp dir");
    lede().arg("index").arg(corpus.path()).arg("--index").arg(index.path()).assert().success();
    let opened = LedeIndex::open(index.path()).expect("open index");
    let options = ServeOptions { refresh: false, ..ServeOptions::default() };
    let shared = Arc::new(Shared::new(opened, options).expect("shared state"));
    let Started::Watching(watching) = watching::start(&shared).expect("watch") else {
        panic!("nobody else watches a new index");
    };
    assert_eq!(lede::watch::watcher_pid(index.path()), Some(std::process::id()));
    let app = router(Arc::clone(&shared));
    let ferries = |app: &axum::Router| {
        let got = runtime().block_on(fetch(app.clone(), "/api/search?q=ferry&count=1"));
        let counted: serde_json::Value = serde_json::from_str(&got.body).expect("JSON");
        counted["paragraphs"].as_u64().expect("a count")
    };
    assert_eq!(ferries(&app), 0);
    corpus.create("b.txt", "Ferry report\n\nThe ferry to the islands runs again.\n");
    let deadline = Instant::now() + Duration::from_secs(30);
    while ferries(&app) == 0 {
        assert!(Instant::now() < deadline, "the new file never reached the page");
        std::thread::sleep(Duration::from_millis(100));
    }
    // `lede watch` says whose watcher it is, and does not stop a server's.
    let watch = |flag: &str| {
        lede().arg("--index").arg(index.path()).args(["watch", flag]).output().expect("run")
    };
    let status = watch("--status");
    assert!(String::from_utf8_lossy(&status.stdout).contains("watched by lede serve"));
    let stop = watch("--stop");
    assert_eq!(stop.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&stop.stderr).contains("part of `lede serve`"));
    assert_eq!(lede::watch::watcher_pid(index.path()), Some(std::process::id()));
    drop(watching);
    // Released at once; but a process another test forks at that moment
    // shares the lock until it execs, so allow it a moment.
    let deadline = Instant::now() + Duration::from_secs(5);
    while lede::watch::watcher_pid(index.path()).is_some() {
        assert!(Instant::now() < deadline, "the watcher's lock was never released");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// `lede serve` as a process: prints its address, answers on it, warns
/// when bound beyond loopback, and stops cleanly on SIGTERM.
#[test]
fn the_command_prints_its_url_answers_and_stops_on_sigterm() {
    use std::io::{BufRead, BufReader, Read, Write};
    let binary = assert_cmd::cargo::cargo_bin("lede");
    let mut child = std::process::Command::new(binary)
        .arg("--index")
        .arg(bundled_index())
        .args(["serve", "--port", "0", "--bind", "0.0.0.0", "--no-refresh"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start lede serve");
    let mut line = String::new();
    BufReader::new(child.stdout.take().expect("stdout")).read_line(&mut line).expect("a line");
    let url = line.split_whitespace().find(|w| w.starts_with("http://")).expect("a URL");
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = std::net::TcpStream::connect(address).expect("connect");
    write!(
        stream,
        "GET /api/search?q=Kursk&count=1 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
    )
    .expect("send");
    let mut answer = String::new();
    stream.read_to_string(&mut answer).expect("read");
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
    assert!(answer.contains("\"paragraphs\":"), "{answer}");
    // SAFETY: signalling our own child process by its id.
    unsafe { libc::kill(child.id() as libc::pid_t, libc::SIGTERM) };
    let output = child.wait_with_output().expect("exit");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("warning: listening on 0.0.0.0"), "{stderr}");
    assert!(stderr.contains("stopped"), "{stderr}");
}
