//! The watcher's local socket (`watch.sock` in the index folder) and its
//! one-line protocol: a client sends `sync`, `status`, `stop`, or `search`
//! or `search-last` followed by a JSON question; the watcher answers one
//! line (`ok`, `failed: REASON`, a JSON status line, `stopping`, `result`
//! followed by JSON). A socket file left by a killed watcher refuses connections,
//! so a client never mistakes it for a live one.

use std::io::{self, BufRead, BufReader, Write};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long the watcher waits for a connected client's request line.
const REQUEST_WAIT: Duration = Duration::from_secs(1);

/// What a client asks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Kind {
    /// Apply every change made before this request, then answer.
    Sync,
    /// Answer with the watcher's status as one JSON line.
    Status,
    /// Stop after the update in progress.
    Stop,
    /// Apply every change made before this request, then run the search
    /// that follows the word ([`super::served`]) and answer its result.
    Search,
    /// Run the search that follows the word on the last commit.
    SearchLast,
}

impl Kind {
    fn word(self) -> &'static str {
        match self {
            Kind::Sync => "sync",
            Kind::Status => "status",
            Kind::Stop => "stop",
            Kind::Search => "search",
            Kind::SearchLast => "search-last",
        }
    }

    /// The kind of a request line, and what follows its word.
    fn parse(line: &str) -> Option<(Kind, &str)> {
        let line = line.trim();
        let (word, rest) = line.split_once(' ').unwrap_or((line, ""));
        let kinds = [Kind::Sync, Kind::Status, Kind::Stop, Kind::Search, Kind::SearchLast];
        kinds.into_iter().find(|kind| kind.word() == word).map(|kind| (kind, rest))
    }
}

/// One client's request, answered through it.
#[derive(Debug)]
pub(crate) struct Request {
    pub kind: Kind,
    /// What followed the word (a search's question).
    pub payload: String,
    stream: UnixStream,
}

impl Request {
    /// Sends the one-line answer; a client that gave up is ignored.
    pub(crate) fn answer(mut self, line: &str) {
        let _ = writeln!(self.stream, "{line}");
    }
}

/// The listening socket; its file is removed when dropped, unless another
/// watcher's socket has taken its place.
#[derive(Debug)]
pub(crate) struct Listening {
    path: PathBuf,
    inode: Option<u64>,
}

impl Drop for Listening {
    fn drop(&mut self) {
        if inode(&self.path).is_some_and(|now| Some(now) == self.inode) {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn inode(path: &Path) -> Option<u64> {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata(path).ok().map(|meta| meta.ino())
}

/// Listens on `path` (replacing a dead watcher's file: the caller holds the
/// presence lock) and hands each request to `deliver` from a thread of its
/// own.
pub(crate) fn listen(
    path: &Path,
    deliver: impl Fn(Request) -> bool + Send + 'static,
) -> io::Result<Listening> {
    let _ = std::fs::remove_file(path);
    let listener = UnixListener::bind(path)?;
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(stream) = stream else { continue };
            if let Some(request) = read_request(stream) {
                if !deliver(request) {
                    break;
                }
            }
        }
    });
    Ok(Listening { path: path.to_path_buf(), inode: inode(path) })
}

fn read_request(stream: UnixStream) -> Option<Request> {
    stream.set_read_timeout(Some(REQUEST_WAIT)).ok()?;
    let mut line = String::new();
    BufReader::new(&stream).read_line(&mut line).ok()?;
    let (kind, payload) = Kind::parse(&line)?;
    let payload = payload.to_string();
    Some(Request { kind, payload, stream })
}

/// Why a request got no answer.
#[derive(Debug)]
pub(crate) enum Unanswered {
    /// Nothing listens: no watcher runs (or it was killed).
    NoWatcher,
    /// Connected, but no answer within the time allowed.
    Late,
    /// The connection broke.
    Broken(io::Error),
}

/// Sends one request and reads the one-line answer within `wait`.
pub(crate) fn ask(path: &Path, kind: Kind, wait: Duration) -> Result<String, Unanswered> {
    ask_with(path, kind, "", wait)
}

/// Sends one request with `payload` (one line) after its word and reads
/// the one-line answer within `wait`.
pub(crate) fn ask_with(
    path: &Path,
    kind: Kind,
    payload: &str,
    wait: Duration,
) -> Result<String, Unanswered> {
    let mut stream = UnixStream::connect(path).map_err(|_| Unanswered::NoWatcher)?;
    stream.set_read_timeout(Some(wait)).map_err(Unanswered::Broken)?;
    stream.set_write_timeout(Some(wait)).map_err(Unanswered::Broken)?;
    let line = if payload.is_empty() {
        kind.word().to_string()
    } else {
        format!("{} {payload}", kind.word())
    };
    writeln!(stream, "{line}").map_err(Unanswered::Broken)?;
    let mut line = String::new();
    match BufReader::new(&stream).read_line(&mut line) {
        Ok(0) => Err(Unanswered::Broken(io::ErrorKind::UnexpectedEof.into())),
        Ok(_) => Ok(line.trim_end().to_string()),
        Err(err) if matches!(err.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut) => {
            Err(Unanswered::Late)
        }
        Err(err) => Err(Unanswered::Broken(err)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_is_answered_and_a_dead_socket_means_no_watcher() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("watch.sock");
        assert!(matches!(
            ask(&path, Kind::Sync, Duration::from_secs(1)),
            Err(Unanswered::NoWatcher)
        ));
        let listening = listen(&path, |request| {
            let answer = format!("{:?}", request.kind);
            request.answer(&answer);
            true
        })
        .unwrap();
        let answer =
            ask(&path, Kind::Status, Duration::from_secs(30)).map_err(|e| format!("{e:?}"));
        assert_eq!(answer, Ok("Status".to_string()));
        let listening_echo = listen(&dir.path().join("echo.sock"), |request| {
            let answer = format!("{:?} {}", request.kind, request.payload);
            request.answer(&answer);
            true
        })
        .unwrap();
        let echo = dir.path().join("echo.sock");
        let answer =
            ask_with(&echo, Kind::SearchLast, r#"{"query":"a b"}"#, Duration::from_secs(30));
        assert_eq!(
            answer.map_err(|e| format!("{e:?}")),
            Ok(r#"SearchLast {"query":"a b"}"#.to_string())
        );
        drop(listening_echo);
        drop(listening);
        assert!(!path.exists());
    }
}
