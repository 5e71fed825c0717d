//! The query string of a page or API call, read strictly: parameters are
//! named like `lede search`'s options, every value is checked, and anything
//! malformed or oversized is a [`BadRequest`] (a 400 with a message) rather
//! than a guess. [`Params::to_query`] writes the state back into a URL, so
//! every page carries its whole search and can be bookmarked.

use std::fmt;

use crate::config::{self, FilterOptions, Order, OutputFormat, SearchConfig};
use crate::extract::entities::{ByKind, EntityKind};
use crate::search::date_args::{parse_date, parse_on};
use crate::search::filters::{DateMatch, Filters};

/// Longest query string accepted (the batch page's list rides in it).
pub(crate) const MAX_QUERY_STRING: usize = 32 * 1024;
/// Longest single value (a query, a name).
pub(crate) const MAX_VALUE: usize = 4096;
/// Most passages one request may ask for (`limit=0`, "no limit", means this).
pub(crate) const MAX_LIMIT: usize = crate::search::EVERY_MATCH;

/// Why a request cannot be answered: shown to the user as is, with a 400.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct BadRequest(pub String);

impl fmt::Display for BadRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every parameter the pages and the API understand, as given.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Params {
    pub(crate) q: String,
    /// `person`, `org`, `place`, `misc`: entity filters, by kind.
    pub(crate) entities: ByKind<Vec<String>>,
    pub(crate) from: Option<String>,
    pub(crate) to: Option<String>,
    pub(crate) on: Option<String>,
    pub(crate) published_from: Option<String>,
    pub(crate) published_to: Option<String>,
    /// `limit`, as given (None: the default).
    pub(crate) limit: Option<usize>,
    pub(crate) per_file: Option<usize>,
    /// `sort`: relevance, date or published (None: relevance, or date when
    /// only filters select the passages, as `lede search` does).
    pub(crate) sort: Option<Order>,
    /// `dates=overlap` (`--dates`): a date filter matches periods that
    /// share a day with it, not only those inside it.
    pub(crate) overlap: bool,
    /// `expand=1`.
    pub(crate) expand: bool,
    /// `all_copies=1` (`--all-copies`): every copy a hit of its own.
    pub(crate) all_copies: bool,
    /// `count=1`: counts instead of hits (API).
    pub(crate) count: bool,
    /// 1-based page of the search page.
    pub(crate) page: usize,
    /// `timeline=published`: the histogram of publication dates.
    pub(crate) published_timeline: bool,
    /// `lang` (`--lang`): passages in this language.
    pub(crate) lang: Option<String>,
    /// `path` (document view, file, API doc).
    pub(crate) path: Option<String>,
    /// `para` (document view: the paragraph to open at).
    pub(crate) para: Option<u32>,
    /// `type` (entities API): person, org, place or misc.
    pub(crate) kind: Option<String>,
    /// `with` (entities API).
    pub(crate) with: Option<String>,
    /// `by` (dates API): year, month or day.
    pub(crate) by: Option<String>,
    /// `lines` (batch page): one query per line.
    pub(crate) lines: Option<String>,
}

impl Params {
    /// Reads a raw query string (`None`: no `?` part).
    pub(crate) fn parse(raw: Option<&str>) -> Result<Params, BadRequest> {
        let raw = raw.unwrap_or_default();
        if raw.len() > MAX_QUERY_STRING {
            return Err(BadRequest(format!(
                "the query string is {} bytes; the most accepted is {MAX_QUERY_STRING}",
                raw.len()
            )));
        }
        let mut params = Params { page: 1, ..Params::default() };
        for pair in raw.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let name = decode(name)?;
            let value = decode(value)?;
            if value.len() > MAX_VALUE && name != "lines" {
                return Err(BadRequest(format!(
                    "{name} is {} bytes long; the most accepted is {MAX_VALUE}",
                    value.len()
                )));
            }
            params.set(&name, value)?;
        }
        Ok(params)
    }

    fn set(&mut self, name: &str, value: String) -> Result<(), BadRequest> {
        let given = |value: String| (!value.trim().is_empty()).then_some(value);
        if let Some(kind) = EntityKind::parse(name) {
            self.entities[kind].extend(given(value));
            return Ok(());
        }
        match name {
            "q" => self.q = value,
            "from" => self.from = given(value),
            "to" => self.to = given(value),
            "on" => self.on = given(value),
            "published_from" | "published-from" => self.published_from = given(value),
            "published_to" | "published-to" => self.published_to = given(value),
            "limit" | "n" => self.limit = Some(count(name, &value)?),
            "per_file" | "per-file" => self.per_file = Some(count(name, &value)?),
            "sort" => {
                self.sort = match value.as_str() {
                    "" => None,
                    "relevance" => Some(Order::Relevance),
                    "date" => Some(Order::Date),
                    "published" => Some(Order::Published),
                    _ => return Err(bad_choice(name, &value, "relevance, date or published")),
                }
            }
            "dates" => {
                self.overlap = match value.as_str() {
                    "within" | "" => false,
                    "overlap" => true,
                    _ => return Err(bad_choice(name, &value, "within or overlap")),
                }
            }
            "expand" => self.expand = flag(name, &value)?,
            "all_copies" => self.all_copies = flag(name, &value)?,
            "count" => self.count = flag(name, &value)?,
            "page" => {
                self.page = match count(name, &value)? {
                    0 => 1,
                    n if n > MAX_LIMIT => {
                        return Err(BadRequest(format!("page {n} is past the last one")))
                    }
                    n => n,
                }
            }
            "timeline" => {
                self.published_timeline = match value.as_str() {
                    "mentioned" | "" => false,
                    "published" => true,
                    _ => return Err(bad_choice(name, &value, "mentioned or published")),
                }
            }
            "lang" => self.lang = given(value),
            "path" => self.path = Some(value),
            "para" => {
                let para = value.trim().parse().map_err(|_| {
                    BadRequest(format!("para: expected a paragraph number, not {value:?}"))
                })?;
                self.para = Some(para);
            }
            "type" => self.kind = given(value),
            "with" => self.with = given(value),
            "by" => self.by = given(value),
            "lines" => self.lines = Some(value),
            _ => return Err(BadRequest(format!("unknown parameter {name:?}"))),
        }
        Ok(())
    }

    /// Whether there is anything to search for.
    pub(crate) fn has_search(&self) -> bool {
        let dates = [&self.from, &self.to, &self.on, &self.published_from, &self.published_to];
        !self.q.trim().is_empty()
            || dates.iter().any(|d| d.is_some())
            || self.lang.is_some()
            || self.entities.values().any(|names| !names.is_empty())
    }

    /// The filter options as `lede search` takes them, dates read as its
    /// options read them.
    pub(crate) fn filter_options(&self) -> Result<FilterOptions, BadRequest> {
        let date = |name: &str, value: &Option<String>| {
            value
                .as_deref()
                .map(|text| parse_date(text).map_err(|why| BadRequest(format!("{name}: {why}"))))
                .transpose()
        };
        let on = self
            .on
            .as_deref()
            .map(|text| parse_on(text).map_err(|why| BadRequest(format!("on: {why}"))))
            .transpose()?;
        Ok(FilterOptions {
            entities: self.entities.clone(),
            from: date("from", &self.from)?,
            to: date("to", &self.to)?,
            on,
            date_match: if self.overlap { DateMatch::Overlap } else { DateMatch::Within },
            published_from: date("published_from", &self.published_from)?,
            published_to: date("published_to", &self.published_to)?,
            lang: self.lang.clone(),
        })
    }

    /// The validated filters (dates read, ranges checked).
    pub(crate) fn filters(&self) -> Result<Filters, BadRequest> {
        if self.on.is_some() && (self.from.is_some() || self.to.is_some()) {
            return Err(BadRequest("on cannot be combined with from or to".to_string()));
        }
        // The messages name the CLI's options (`--from`); here they are parameters.
        config::filters(&self.filter_options()?)
            .map_err(|err| BadRequest(format!("{err:#}").replace("--", "")))
    }

    /// The search, as `lede search --json` (or `--count --json`) would run
    /// it; `limit` 0 means the most a request may ask for.
    pub(crate) fn search_config(&self, filters: Filters) -> SearchConfig {
        let limit = match self.limit {
            None => config::DEFAULT_LIMIT,
            Some(0) => MAX_LIMIT,
            Some(n) => n.min(MAX_LIMIT),
        };
        SearchConfig {
            limit,
            per_file: self.per_file.unwrap_or(config::DEFAULT_PER_FILE),
            order: self.sort,
            expand: self.expand,
            all_copies: self.all_copies,
            format: if self.count {
                OutputFormat::Count { json: true }
            } else {
                OutputFormat::Json { explain: false }
            },
            ..SearchConfig::new(self.q.clone(), filters)
        }
    }

    /// The search state as a query string (no `?`): the words, filters and
    /// options that differ from the defaults. Page, path and batch lines
    /// are left out.
    pub(crate) fn to_query(&self) -> String {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if !self.q.is_empty() {
            pairs.push(("q", self.q.clone()));
        }
        for (kind, values) in self.entities.iter() {
            pairs.extend(values.iter().map(|v| (kind.name(), v.clone())));
        }
        for (name, value) in [
            ("from", &self.from),
            ("to", &self.to),
            ("on", &self.on),
            ("published_from", &self.published_from),
            ("published_to", &self.published_to),
            ("lang", &self.lang),
        ] {
            pairs.extend(value.iter().map(|v| (name, v.clone())));
        }
        if let Some(limit) = self.limit {
            pairs.push(("limit", limit.to_string()));
        }
        if let Some(per_file) = self.per_file {
            pairs.push(("per_file", per_file.to_string()));
        }
        if let Some(sort) = self.sort {
            pairs.push(("sort", sort.name().to_string()));
        }
        if self.overlap {
            pairs.push(("dates", "overlap".to_string()));
        }
        if self.expand {
            pairs.push(("expand", "1".to_string()));
        }
        if self.all_copies {
            pairs.push(("all_copies", "1".to_string()));
        }
        if self.published_timeline {
            pairs.push(("timeline", "published".to_string()));
        }
        encode_pairs(&pairs)
    }
}

fn count(name: &str, value: &str) -> Result<usize, BadRequest> {
    value.trim().parse().map_err(|_| {
        BadRequest(format!("{name}: expected a whole number (0: no limit), not {value:?}"))
    })
}

fn flag(name: &str, value: &str) -> Result<bool, BadRequest> {
    match value {
        "" | "1" | "true" | "on" | "yes" => Ok(true),
        "0" | "false" | "off" | "no" => Ok(false),
        _ => Err(bad_choice(name, value, "1 or 0")),
    }
}

fn bad_choice(name: &str, value: &str, choices: &str) -> BadRequest {
    BadRequest(format!("{name}: expected {choices}, not {value:?}"))
}

/// Decodes one `application/x-www-form-urlencoded` component strictly: `+`
/// is a space, `%XX` a byte, and the bytes must be UTF-8.
pub(crate) fn decode(text: &str) -> Result<String, BadRequest> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' => {
                let hex = bytes.get(i + 1..i + 3).and_then(|h| std::str::from_utf8(h).ok());
                let Some(byte) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) else {
                    return Err(BadRequest(format!(
                        "malformed query string: % must be followed by two hex digits in {:?}",
                        truncated(text)
                    )));
                };
                out.push(byte);
                i += 2;
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| {
        BadRequest(format!("malformed query string: {:?} is not UTF-8", truncated(text)))
    })
}

fn truncated(text: &str) -> String {
    text.chars().take(60).collect()
}

/// Percent-encodes `text` for a query string value.
pub fn encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(byte as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

/// `name=value&…`, encoded.
pub(crate) fn encode_pairs(pairs: &[(&str, String)]) -> String {
    let encoded: Vec<String> =
        pairs.iter().map(|(name, value)| format!("{name}={}", encode(value))).collect();
    encoded.join("&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips_through_the_url() {
        let raw = "q=5%2C000+engineers&person=Ann+Lee&person=Bo&on=2024-08&sort=published";
        let params = Params::parse(Some(raw)).unwrap();
        assert_eq!(params.q, "5,000 engineers");
        assert_eq!(params.entities[EntityKind::Person], ["Ann Lee", "Bo"]);
        assert_eq!(params.sort, Some(Order::Published));
        assert_eq!(Params::parse(Some(&params.to_query())).unwrap(), params);
    }

    #[test]
    fn malformed_input_is_refused() {
        for raw in ["q=%", "q=%zz", "q=%FF", "nope=1", "limit=-1", "sort=up", "para=x"] {
            assert!(Params::parse(Some(raw)).is_err(), "{raw}");
        }
        let long = format!("q={}", "a".repeat(MAX_VALUE + 1));
        assert!(Params::parse(Some(&long)).is_err());
    }
}
