//! A date mention as every JSON output writes it: hits (`--json`), the web
//! API and export records all carry the same object, so its shape lives
//! beside the type rather than in one of its printers.

use serde::{Serialize, Serializer};

use super::{DateMention, Precision};

/// A date mention as every JSON output writes it (hits, the web API,
/// export records): keys in alphabetical order, the order of the JSON
/// objects mentions were kept as before they were typed.
#[derive(Serialize)]
struct JsonDate<'a> {
    end: usize,
    precision: Precision,
    start: usize,
    text: &'a str,
    value: &'a str,
}

/// Writes date mentions in their JSON form; for `#[serde(serialize_with)]`
/// on the wire structs that carry them.
pub(crate) fn mentions<S: Serializer>(
    dates: &[DateMention],
    serializer: S,
) -> Result<S::Ok, S::Error> {
    serializer.collect_seq(dates.iter().map(|date| JsonDate {
        end: date.end,
        precision: date.precision,
        start: date.start,
        text: &date.text,
        value: &date.value,
    }))
}
