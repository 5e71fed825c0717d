//! HTTP/1.1 chunked transfer coding, decoded: the export client reads
//! engines' responses with it and the WARC reader the payloads of records
//! that were archived chunked.

/// The body of a `Transfer-Encoding: chunked` message; `None` when it is
/// malformed or ends before its last (zero-size) chunk.
pub(crate) fn decode(mut rest: &[u8]) -> Option<Vec<u8>> {
    let mut body = Vec::new();
    loop {
        let line_end = rest.windows(2).position(|w| w == b"\r\n")?;
        let size_text = std::str::from_utf8(&rest[..line_end]).ok()?;
        let size = usize::from_str_radix(size_text.split(';').next()?.trim(), 16).ok()?;
        rest = &rest[line_end + 2..];
        if size == 0 {
            return Some(body);
        }
        body.extend_from_slice(rest.get(..size)?);
        rest = rest.get(size + 2..)?;
    }
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn joins_chunks_and_refuses_a_cut_body() {
        let body = b"4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\n\r\n";
        assert_eq!(decode(body).as_deref(), Some(&b"Wikipedia "[..]));
        assert_eq!(decode(b"4\r\nWiki\r\n6\r\nped"), None);
        assert_eq!(decode(b"zz\r\nWiki\r\n0\r\n\r\n"), None);
    }
}
