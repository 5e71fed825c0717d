//! `lede serve`: opens the index, binds the address, prints the URL and
//! runs the server (src/serve) until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::sync::Arc;

use anyhow::{Context, Result};

use super::open::open_for_reading;
use super::Status;
use crate::cli::{Location, ServeArgs};
use crate::render;
use crate::serve::watching::{self, Started};
use crate::serve::{self, ServeOptions, Shared};

pub(super) fn run(location: &Location, args: &ServeArgs) -> Result<Status> {
    let location = Location {
        corpus: args.corpus.clone().or_else(|| location.corpus.clone()),
        index: location.index.clone(),
    };
    let (_, index) = open_for_reading(&location, !args.no_refresh)?;
    let options = ServeOptions { refresh: !args.no_refresh, ..ServeOptions::default() };
    let shared = Arc::new(Shared::new(index, options)?);
    // Dropped (the watcher stopped) when the server has stopped.
    let _watching = if args.no_refresh { None } else { watch(&shared) };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the server's threads")?;
    runtime.block_on(async {
        let address = SocketAddr::new(args.bind, args.port);
        let listener = tokio::net::TcpListener::bind(address)
            .await
            .with_context(|| format!("cannot listen on {address} (--bind, --port)"))?;
        let bound = listener.local_addr()?;
        if !args.bind.is_loopback() {
            eprintln!("{}", render::serving::exposed(bound, &shared.corpus));
        }
        let url = render::serving::page_url(args.bind, bound);
        println!("{}", render::serving::serving(&shared.corpus, &url));
        if args.open {
            open_browser(&url);
        }
        serve::serve(listener, serve::router(shared), stop_signal()).await?;
        eprintln!("lede: stopped");
        Ok(Status::Success)
    })
}

/// Starts the server's watcher; says so when another process watches the
/// index or watching cannot start (the requests then check the folder).
fn watch(shared: &Arc<Shared>) -> Option<watching::Watching> {
    match watching::start(shared) {
        Ok(Started::Watching(watching)) => Some(watching),
        Ok(Started::WatchedBy(pid)) => {
            eprintln!("{}", render::serving::watched_by(pid));
            None
        }
        Err(err) => {
            eprintln!("{}", render::serving::cannot_watch(&err));
            None
        }
    }
}

/// Completes on Ctrl-C or SIGTERM.
async fn stop_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {},
        () = terminate => {},
    }
}

/// Asks the desktop to open `url`; says so when it cannot.
fn open_browser(url: &str) {
    let opener = if cfg!(target_os = "macos") { "open" } else { "xdg-open" };
    if std::process::Command::new(opener).arg(url).spawn().is_err() {
        eprintln!("lede: note: cannot start {opener}; open {url} in a browser");
    }
}
