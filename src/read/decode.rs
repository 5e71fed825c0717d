//! Turns a text file's bytes into text: UTF-16 with a byte-order mark and
//! UTF-8 are taken as they are, anything else falls back to Latin-1
//! (reported), and binary content is refused.

use anyhow::Result;

/// How the bytes of a file were turned into text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Encoding {
    Utf8,
    /// UTF-16 with a byte-order mark (what Windows' Notepad writes as "Unicode").
    Utf16,
    /// Not valid UTF-8; each byte was read as a Latin-1 character.
    Latin1,
}

/// The decoded text of a file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Decoded {
    pub text: String,
    pub encoding: Encoding,
}

/// A file that is readable but is not an article lede indexes (binary,
/// oversized): skipped with a warning rather than counted as a failure.
#[derive(Debug)]
pub(crate) struct NotText(pub String);

impl std::fmt::Display for NotText {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for NotText {}

/// Decodes file bytes: UTF-16 when it starts with a byte-order mark, UTF-8
/// (BOM dropped), else Latin-1; binary is an error.
pub(crate) fn decode(bytes: Vec<u8>) -> Result<Decoded> {
    if let Some(text) = decode_utf16(&bytes) {
        return Ok(Decoded { text, encoding: Encoding::Utf16 });
    }
    if looks_binary(&bytes) {
        return Err(NotText("binary file (contains NUL bytes), skipped".to_string()).into());
    }
    match String::from_utf8(bytes) {
        Ok(mut text) => {
            if text.starts_with('\u{feff}') {
                text.drain(..3);
            }
            Ok(Decoded { text, encoding: Encoding::Utf8 })
        }
        Err(err) => {
            let text = err.into_bytes().iter().map(|&b| b as char).collect();
            Ok(Decoded { text, encoding: Encoding::Latin1 })
        }
    }
}

/// The text of UTF-16 bytes behind a byte-order mark (little- or
/// big-endian), invalid sequences replaced; `None` without a mark. Checked
/// before the binary test, since UTF-16 is full of NUL bytes.
fn decode_utf16(bytes: &[u8]) -> Option<String> {
    let from: fn([u8; 2]) -> u16 = match bytes {
        [0xff, 0xfe, ..] => u16::from_le_bytes,
        [0xfe, 0xff, ..] => u16::from_be_bytes,
        _ => return None,
    };
    let units = bytes[2..].chunks_exact(2).map(|pair| from([pair[0], pair[1]]));
    Some(char::decode_utf16(units).map(|c| c.unwrap_or(char::REPLACEMENT_CHARACTER)).collect())
}

/// NUL bytes never occur in text files; look at the first 8 KiB like git does.
fn looks_binary(bytes: &[u8]) -> bool {
    bytes[..bytes.len().min(8192)].contains(&0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_utf8_latin1_and_rejects_binary() {
        let utf8 = decode("Kyiv – Київ".as_bytes().to_vec()).unwrap();
        assert_eq!((utf8.text.as_str(), utf8.encoding), ("Kyiv – Київ", Encoding::Utf8));
        let bom = decode(b"\xef\xbb\xbfTitle".to_vec()).unwrap();
        assert_eq!(bom.text, "Title");
        let latin1 = decode(b"cost \xa3600m".to_vec()).unwrap();
        assert_eq!((latin1.text.as_str(), latin1.encoding), ("cost £600m", Encoding::Latin1));
        let err = decode(b"PK\x03\x04\x00\x00".to_vec()).unwrap_err();
        assert!(err.to_string().contains("binary"));
        let mut le = vec![0xff, 0xfe];
        le.extend("Київ, 5,000".encode_utf16().flat_map(u16::to_le_bytes));
        assert_eq!(decode(le).unwrap().text, "Київ, 5,000");
        let mut be = vec![0xfe, 0xff];
        be.extend("Kyiv".encode_utf16().flat_map(u16::to_be_bytes));
        assert_eq!(decode(be).unwrap().encoding, Encoding::Utf16);
    }
}
