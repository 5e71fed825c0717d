//! Quality evaluation against gold data (CoNLL-2003, TimeML).

pub mod dates;
pub mod ner;
