//! Prints search results. The search returns plain data with highlight
//! ranges; this module decides how they look: [`human`] for people,
//! [`json`] for scripts. Printers write to any `io::Write`.

pub mod human;
pub mod json;
