//! `lede serve` in a real browser: Debian's chromium, headless, driven
//! through chromedriver (WebDriver). Types a query, checks the first hit
//! and its highlight, narrows by a person facet and a timeline bar, opens
//! the document view at the hit and fetches the CSV export.
//!
//! Skips itself, saying so, when chromedriver is not installed; CI installs
//! it (`.ci/run`). With `LEDE_SCREENSHOT=docs/serve.png` it also saves a
//! picture of the search page for the README.

#[allow(dead_code)]
mod util;

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use lede::index::LedeIndex;
use lede::serve::{router, ServeOptions, Shared};
use serde_json::json;

/// How long any one step may take.
const STEP: Duration = Duration::from_secs(10);

/// Stops chromedriver when the test ends, however it ends.
struct Driver(Child);

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn find_program(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|p| p.is_file())
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).expect("free port").port()
}

/// chromedriver on a free port, once it accepts connections.
fn start_driver(program: &Path) -> (Driver, u16) {
    let port = free_port();
    let child = Command::new(program)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start chromedriver");
    let driver = Driver(child);
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(started.elapsed() < STEP, "chromedriver did not start on port {port}");
        std::thread::sleep(Duration::from_millis(50));
    }
    (driver, port)
}

async fn connect(port: u16) -> Client {
    let mut capabilities = serde_json::Map::new();
    let mut args =
        vec!["--headless=new", "--no-sandbox", "--disable-gpu", "--window-size=1280,900"];
    args.push("--disable-dev-shm-usage");
    let mut options = json!({ "args": args });
    if let Some(chromium) = find_program("chromium") {
        options["binary"] = json!(chromium);
    }
    capabilities.insert("goog:chromeOptions".to_string(), options);
    ClientBuilder::new(HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{port}"))
        .await
        .expect("a WebDriver session")
}

/// Waits until the page's address differs from `before`.
async fn navigated(client: &Client, before: &str) -> String {
    let started = Instant::now();
    loop {
        let now = client.current_url().await.expect("url").to_string();
        if now != before {
            return now;
        }
        assert!(started.elapsed() < STEP, "no navigation away from {before}");
        tokio::time::sleep(Duration::from_millis(30)).await;
    }
}

async fn click_and_wait(client: &Client, css: &str) -> String {
    let before = client.current_url().await.expect("url").to_string();
    client
        .find(Locator::Css(css))
        .await
        .unwrap_or_else(|_| panic!("{css} on {before}"))
        .click()
        .await
        .expect("click");
    let now = navigated(client, &before).await;
    client.wait().at_most(STEP).for_element(Locator::Css("body")).await.expect("page");
    now
}

async fn total(client: &Client) -> usize {
    let text =
        client.find(Locator::Css("#total")).await.expect("#total").text().await.expect("text");
    text.split_whitespace().next().and_then(|n| n.parse().ok()).expect("a passage count")
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn search_narrow_read_and_export_in_chromium() {
    let Some(program) = find_program("chromedriver") else {
        eprintln!(
            "SKIPPED browser test: chromedriver is not installed \
             (apt-get install -y chromium chromium-driver)"
        );
        return;
    };
    let started = Instant::now();
    let index_dir = tempfile::TempDir::new().expect("temp dir");
    util::lede()
        .arg("index")
        .arg(util::bundled_corpus())
        .arg("--index")
        .arg(index_dir.path())
        .assert()
        .success();
    let index = LedeIndex::open(index_dir.path()).expect("index");
    let shared = Arc::new(
        Shared::new(index, ServeOptions { refresh: false, ..ServeOptions::default() })
            .expect("state"),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("listen");
    let base = format!("http://{}", listener.local_addr().expect("address"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(lede::serve::serve(listener, router(shared), async {
        let _ = stopped.await;
    }));
    let (_driver, port) = start_driver(&program);
    let client = connect(port).await;

    // Type the query and submit it.
    client.goto(&format!("{base}/")).await.expect("open the page");
    let search_box = client.find(Locator::Css("#q")).await.expect("query box");
    search_box.send_keys("5,000 engineers\u{E007}").await.expect("type");
    client.wait().at_most(STEP).for_element(Locator::Css(".hit")).await.expect("hits");
    let first = client
        .find(Locator::Css(".hit .path"))
        .await
        .expect("first hit")
        .text()
        .await
        .expect("text");
    assert!(first.contains("000_"), "first hit: {first}");
    let marked: Vec<String> = {
        let mut texts = Vec::new();
        for mark in
            client.find_all(Locator::Css(".hit:first-child .passage mark.hl")).await.expect("marks")
        {
            texts.push(mark.text().await.expect("text"));
        }
        texts
    };
    assert!(marked.iter().any(|t| t == "5,000"), "highlighted: {marked:?}");
    let searched = client.current_url().await.expect("url").to_string();

    // A timeline bar narrows a search to its period.
    client.goto(&format!("{base}/?q=Kursk")).await.expect("open the page");
    let kursk = client.current_url().await.expect("url").to_string();
    let all = total(&client).await;
    let url = click_and_wait(&client, "svg.timeline a.bar").await;
    assert!(url.contains("on="), "{url}");
    assert!(total(&client).await < all, "the bar narrows the results");
    assert!(client.find(Locator::Css(".chip")).await.is_ok(), "the period is a chip");

    // A person facet narrows it, and a chip shows it.
    client.goto(&kursk).await.expect("back");
    let url = click_and_wait(&client, "a[data-kind=person]").await;
    assert!(url.contains("person="), "{url}");
    assert!(total(&client).await < all, "the facet narrows the results");
    let chip = client.find(Locator::Css(".chip")).await.expect("chip").text().await.expect("text");
    assert!(chip.starts_with("person:"), "{chip}");

    // The document view opens at the hit, in view, with the number marked.
    client.goto(&searched).await.expect("back");
    let url = click_and_wait(&client, ".hit a.title").await;
    assert!(url.contains("/doc?") && url.contains("#p"), "{url}");
    let target = client
        .wait()
        .at_most(STEP)
        .for_element(Locator::Css(".para.target"))
        .await
        .expect("hit paragraph");
    assert!(target.text().await.expect("text").contains("5,000"));
    let in_view = client
        .execute(
            "const r = document.querySelector('.para.target').getBoundingClientRect();\
             return r.top >= 0 && r.top < window.innerHeight;",
            vec![],
        )
        .await
        .expect("script");
    assert_eq!(in_view, json!(true), "the hit is scrolled into view");

    // The CSV export, fetched by the page.
    client.goto(&searched).await.expect("back");
    let csv = client
        .execute_async(
            "const done = arguments[0];\
             fetch(document.querySelector('#csv').href).then(r => r.text()).then(done, e => done('failed: ' + e));",
            vec![],
        )
        .await
        .expect("fetch CSV");
    let csv = csv.as_str().expect("CSV text");
    assert!(csv.starts_with("\"rank\",\"score\",\"path\""), "{csv:.80}");
    assert!(csv.lines().nth(1).is_some_and(|row| row.contains("000_") && row.contains("5,000")));

    if let Some(file) = std::env::var_os("LEDE_SCREENSHOT") {
        client.goto(&format!("{base}/?q=Kursk")).await.expect("page");
        client
            .wait()
            .at_most(STEP)
            .for_element(Locator::Css("svg.timeline"))
            .await
            .expect("timeline");
        let png = client.screenshot().await.expect("screenshot");
        std::fs::write(&file, png).expect("write the screenshot");
        eprintln!("saved {}", Path::new(&file).display());
    }

    client.close().await.expect("end the session");
    let _ = stop.send(());
    server.await.expect("server task").expect("server");
    eprintln!("browser test took {:.1} s", started.elapsed().as_secs_f64());
}
