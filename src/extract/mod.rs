//! Pure extraction of annotations from paragraph text: entities, dates and
//! numbers. Nothing here does I/O at call time or knows about tantivy.

pub mod dates;
pub mod entities;
pub mod numbers;
