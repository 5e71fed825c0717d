//! Integration tests: drive the `lede` binary on the bundled corpus and on
//! temporary corpora. One test binary; each area has its own module.

mod util;

mod entities;
mod errors;
mod filters;
mod finding;
mod formats;
mod index;
mod json;
mod query;
mod reindex;
mod search;
