//! Prints search results. The search returns plain data with highlight
//! ranges; this module decides how they look: [`human`] for people,
//! [`json`] and [`tsv`] for scripts, [`summary`] for `--count`/`--files`,
//! [`explain`] for `--explain`, [`passage`] for `lede show` and [`stats`]
//! for `lede stats`. Printers write to any `io::Write`.

pub mod explain;
pub mod human;
pub mod json;
pub mod passage;
pub mod stats;
pub mod summary;
pub mod tsv;
