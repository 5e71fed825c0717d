//! lede: passage search for folders of news articles.
//!
//! The crate is a library with a thin binary (`src/main.rs`). Data flows
//!
//! ```text
//! corpus::walk → read (one reader per format; text: split::split) → extract → index::update (tantivy)
//! query text + filters → search::run → Vec<Hit> → render::{human, json}
//! ```
//!
//! [`cli`] holds the clap types, [`config`] validates them once, and
//! [`cmd`] wires one subcommand to the core modules.

pub mod analysis;
pub mod argv;
mod chunked;
pub mod cli;
pub mod cmd;
pub mod config;
pub mod corpus;
pub mod error;
pub mod eval;
pub mod export;
pub mod extract;
pub mod index;
pub mod read;
pub mod render;
pub mod schema;
pub mod search;
pub mod serve;
pub mod split;
pub mod watch;
