//! Feeding a distributed engine (OpenSearch, Elasticsearch, Quickwit) with
//! what lede knows and they do not: paragraph records with canonical
//! entities, the dates mentioned, and the file records.
//!
//! [`mapping`] turns lede's schema into the engines' index definitions;
//! [`records`] reads the index's records back and [`ndjson`] writes them in
//! the `_bulk` format; [`push`] sends them to a running engine over
//! [`http`], in byte-sized batches with retries, remembering in [`state`]
//! what was sent so the next export sends only what changed; [`remote`]
//! translates a lede query into the engines' query DSL.

pub(crate) mod http;
pub(crate) mod mapping;
pub(crate) mod ndjson;
pub(crate) mod push;
pub(crate) mod records;
pub(crate) mod remote;
pub(crate) mod state;

use std::fmt;

/// The engines lede can feed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Engine {
    OpenSearch,
    Elasticsearch,
    /// Append-only, takes only `create` bulk actions (see [`Engine::deletes`]).
    Quickwit,
}

impl Engine {
    /// Whether the engine's `_bulk` endpoint applies `delete` actions and
    /// replaces a document sent again under the same `_id`. Quickwit's
    /// Elasticsearch-compatible `_bulk` accepts only `create` and ignores the
    /// rest; removed records are deleted there with a delete task instead.
    pub(crate) fn deletes(self) -> bool {
        !matches!(self, Engine::Quickwit)
    }

    /// The bulk action that adds a record: `index` adds or replaces,
    /// `create` is the only action Quickwit takes.
    pub(crate) fn add_action(self) -> &'static str {
        if self.deletes() {
            "index"
        } else {
            "create"
        }
    }
}

impl fmt::Display for Engine {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Engine::OpenSearch => "opensearch",
            Engine::Elasticsearch => "elasticsearch",
            Engine::Quickwit => "quickwit",
        })
    }
}
