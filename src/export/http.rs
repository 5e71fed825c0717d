//! A minimal blocking HTTP/1.1 client over `std::net`, enough for `_bulk`
//! and `_search`: one request per connection (`Connection: close`), bodies
//! with `Content-Length` or chunked. Plain HTTP only: a cluster reached
//! over TLS is fronted by a local proxy or tunnel (README, "Scaling out").
//! It needs no crate, so lede still builds offline from its lock file.

use std::io::{self, Read, Write};
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use anyhow::{bail, Context, Result};

/// An `http://host[:port]/path` URL, split.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    pub host: String,
    pub port: u16,
    /// Path without a trailing `/` (empty for the root).
    pub path: String,
}

impl Url {
    /// Parses `text`; an `https://` or malformed URL is an error that says
    /// what lede accepts.
    pub(crate) fn parse(text: &str) -> Result<Url> {
        let Some(rest) = text.strip_prefix("http://") else {
            if text.starts_with("https://") {
                bail!(
                    "{text}: lede speaks plain HTTP only; reach a TLS cluster through a local \
                     proxy or SSH tunnel and pass its http:// URL"
                );
            }
            bail!("{text}: expected a URL like http://localhost:9200/lede");
        };
        let (authority, path) = rest.split_once('/').unwrap_or((rest, ""));
        if authority.is_empty() || authority.contains('@') {
            bail!("{text}: expected http://HOST[:PORT]/INDEX (credentials in the URL are not supported)");
        }
        let (host, port) = match authority.rsplit_once(':') {
            Some((host, port)) => {
                let port = port.parse().with_context(|| format!("{text}: bad port {port:?}"))?;
                (host.to_string(), port)
            }
            None => (authority.to_string(), 80),
        };
        Ok(Url { host, port, path: format!("/{}", path.trim_end_matches('/')) })
    }

    /// This URL's path followed by `/suffix`.
    pub(crate) fn join(&self, suffix: &str) -> String {
        format!("{}/{}", self.path.trim_end_matches('/'), suffix.trim_start_matches('/'))
    }
}

/// A response: status code and body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Response {
    pub status: u16,
    pub body: Vec<u8>,
}

impl Response {
    pub(crate) fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

/// How long a connection may stay silent before the request fails.
const TIMEOUT: Duration = Duration::from_secs(120);

/// Sends one request and reads the whole response. I/O failures (refused,
/// reset, timed out) are `Err`, HTTP error statuses are `Ok`.
pub(crate) fn request(
    method: &str,
    url: &Url,
    path: &str,
    content_type: &str,
    body: &[u8],
) -> io::Result<Response> {
    let address = (url.host.as_str(), url.port)
        .to_socket_addrs()?
        .next()
        .ok_or_else(|| io::Error::new(io::ErrorKind::NotFound, "host has no address"))?;
    let mut stream = TcpStream::connect_timeout(&address, TIMEOUT)?;
    stream.set_read_timeout(Some(TIMEOUT))?;
    stream.set_write_timeout(Some(TIMEOUT))?;
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: {}:{}\r\nContent-Type: {content_type}\r\n\
         Content-Length: {}\r\nAccept: application/json\r\nConnection: close\r\n\r\n",
        url.host,
        url.port,
        body.len()
    );
    stream.write_all(head.as_bytes())?;
    stream.write_all(body)?;
    stream.flush()?;
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw)?;
    parse_response(&raw)
}

/// Splits a whole HTTP/1.1 response into status and (de-chunked) body.
fn parse_response(raw: &[u8]) -> io::Result<Response> {
    let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
    let end = raw.windows(4).position(|w| w == b"\r\n\r\n").ok_or_else(|| bad("no HTTP header"))?;
    let head = String::from_utf8_lossy(&raw[..end]);
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .and_then(|line| line.split(' ').nth(1))
        .and_then(|code| code.parse().ok())
        .ok_or_else(|| bad("no HTTP status"))?;
    let header = |name: &str| {
        head.split("\r\n").skip(1).find_map(|line| {
            let (key, value) = line.split_once(':')?;
            key.trim().eq_ignore_ascii_case(name).then(|| value.trim().to_ascii_lowercase())
        })
    };
    let rest = &raw[end + 4..];
    let body = if header("transfer-encoding").is_some_and(|v| v.contains("chunked")) {
        crate::chunked::decode(rest).ok_or_else(|| bad("broken chunked body"))?
    } else if let Some(length) = header("content-length").and_then(|v| v.parse::<usize>().ok()) {
        rest.get(..length).ok_or_else(|| bad("body shorter than Content-Length"))?.to_vec()
    } else {
        rest.to_vec()
    };
    Ok(Response { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_split_and_refuse_what_is_not_plain_http() {
        let url = Url::parse("http://localhost:9200/lede/").unwrap();
        assert_eq!(url, Url { host: "localhost".into(), port: 9200, path: "/lede".into() });
        assert_eq!(url.join("_bulk"), "/lede/_bulk");
        assert_eq!(Url::parse("http://h").unwrap().join("_search"), "/_search");
        assert!(format!("{:#}", Url::parse("https://h/x").unwrap_err()).contains("plain HTTP"));
        assert!(Url::parse("http://u:p@h/x").is_err());
        assert!(Url::parse("localhost:9200").is_err());
    }

    #[test]
    fn responses_with_length_or_chunks() {
        let fixed = b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}";
        assert_eq!(parse_response(fixed).unwrap(), Response { status: 200, body: b"{}".to_vec() });
        let chunked =
            b"HTTP/1.1 429 Too Many Requests\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n";
        let response = parse_response(chunked).unwrap();
        assert_eq!((response.status, response.body_text().as_str()), (429, "abcde"));
        assert!(parse_response(b"garbage").is_err());
    }
}
