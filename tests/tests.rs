//! Integration tests: drive the `lede` binary on the bundled corpus and on
//! temporary corpora. One test binary; each area has its own module.

mod stub;
mod util;

mod copies;
mod entities;
mod errors;
mod export;
mod filters;
mod finding;
mod formats;
mod fresh;
mod index;
mod json;
mod multilingual;
mod query;
mod reindex;
mod search;
mod serve;
mod watch;
