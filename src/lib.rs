//! lede: passage search for folders of news articles.
//!
//! The crate is a library with a thin binary (`src/main.rs`). Data flows
//!
//! ```text
//! corpus::walk → read (one reader per format; text: split::split) → extract → index::update (tantivy)
//! query text + filters → config::SearchConfig → search::Engine::run → Vec<Hit> → render::Printer
//! ```
//!
//! [`cli`] holds the clap types, [`config`] validates them once (the web
//! server builds the same configs from a query string), and [`cmd`] wires
//! one subcommand: config → core call → printer → exit status.
//!
//! Where each seam lives:
//! - options: `config::SearchConfig` (with its `OutputFormat`), the
//!   filter, count and `show` target configs beside it;
//! - output: `render::Printer` (human, JSON, TSV, count, files, explain)
//!   over typed hits; render computes nothing;
//! - the index's life (open, build when missing, rebuild when damaged or
//!   of another format, refresh, busy writer): `index::lifecycle`, which
//!   tells an `Observer` what happened; `watch` keeps it fresh between runs;
//! - field names: only through `schema::Fields`; entity kinds through
//!   `EntityKind::ALL` and collections indexed by kind (`ByKind`);
//! - the process (allocator settings): `src/main.rs`, not the library.

// What benches, examples, tests and the binary use is `pub`; the rest is
// `pub(crate)`, so the compiler finds what nothing calls.
#![warn(unreachable_pub)]

pub(crate) mod analysis;
pub mod argv;
mod chunked;
pub mod cli;
pub mod cmd;
pub(crate) mod config;
pub(crate) mod corpus;
pub mod crash;
pub(crate) mod error;
pub mod eval;
pub(crate) mod export;
pub mod extract;
pub(crate) mod fingerprint;
pub mod index;
pub(crate) mod read;
pub(crate) mod render;
pub(crate) mod schema;
pub mod search;
pub mod serve;
pub(crate) mod split;
pub mod watch;
