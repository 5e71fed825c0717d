//! What `lede serve` says as it starts: the address of the page, a
//! warning when machines other than this one can reach it, and who keeps
//! the index fresh.

use std::net::{IpAddr, SocketAddr};
use std::path::Path;

/// The URL to open for a server asked to listen on `bind` and bound to
/// `bound`: an unspecified address (`0.0.0.0`, `::`) is opened as
/// `127.0.0.1`, and an IPv6 host goes in brackets.
pub(crate) fn page_url(bind: IpAddr, bound: SocketAddr) -> String {
    if bind.is_unspecified() {
        return format!("http://127.0.0.1:{}/", bound.port());
    }
    match bound.ip() {
        IpAddr::V6(ip) => format!("http://[{ip}]:{}/", bound.port()),
        IpAddr::V4(ip) => format!("http://{ip}:{}/", bound.port()),
    }
}

/// The line on stdout that says where the page is.
pub(crate) fn serving(corpus: &Path, url: &str) -> String {
    format!("lede: serving {} at {url} (Ctrl-C to stop)", corpus.display())
}

/// The warning for an address other machines can reach.
pub(crate) fn exposed(bound: SocketAddr, corpus: &Path) -> String {
    format!(
        "lede: warning: listening on {bound}: anyone who can reach this machine can read the \
         corpus {}",
        corpus.display()
    )
}

/// The note for an index another process already watches.
pub(crate) fn watched_by(pid: u32) -> String {
    format!(
        "lede: note: lede process {pid} already watches this index; the page asks it for \
         changes before a search"
    )
}

/// The warning for a server that cannot watch its index.
pub(crate) fn cannot_watch(err: &std::io::Error) -> String {
    format!(
        "lede: warning: cannot watch the index ({err}); the page checks the folder for \
         changes before a search instead"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_open_from_this_machine() {
        let cases = [
            ("127.0.0.1", "127.0.0.1:7700", "http://127.0.0.1:7700/"),
            ("0.0.0.0", "0.0.0.0:7701", "http://127.0.0.1:7701/"),
            ("::", "[::]:7702", "http://127.0.0.1:7702/"),
            ("::1", "[::1]:7703", "http://[::1]:7703/"),
            ("192.168.1.5", "192.168.1.5:80", "http://192.168.1.5:80/"),
        ];
        for (bind, bound, url) in cases {
            let bind: IpAddr = bind.parse().unwrap();
            assert_eq!(page_url(bind, bound.parse().unwrap()), url, "{bind}");
        }
    }
}
